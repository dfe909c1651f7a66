//! What a user of the API notices: logging in and out, CSRF, tokens, throttling, conflicts,
//! bad input, the audit log, what clients do not see, import and export, the schedule's speed.

use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::support::{Reply, World, token_of};

fn login_request(login: &str, password: &str, from: [u8; 4]) -> Request<Body> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"login": login, "password": password}).to_string(),
        ))
        .expect("a request");
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((from, 4000))));
    request
}

fn cookie_of(reply: &Reply) -> String {
    let set_cookie = reply
        .headers
        .get(header::SET_COOKIE)
        .expect("a Set-Cookie header")
        .to_str()
        .expect("ASCII");
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    set_cookie.split(';').next().expect("name=value").to_owned()
}

fn with_cookie(
    method: Method,
    path: &str,
    cookie: &str,
    csrf: Option<&str>,
    version: Option<i64>,
    body: Option<Value>,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, cookie);
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    if let Some(version) = version {
        request = request.header(header::IF_MATCH, format!("\"{version}\""));
    }
    let body = match body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    request.body(body).expect("a request")
}

#[tokio::test]
async fn login_session_csrf_and_logout() {
    let world = World::sqlite().await;
    world
        .store
        .set_membership(
            world.p,
            world.extra,
            regie_store::Role::ProjectManager,
            None,
        )
        .await
        .expect("member");
    let wrong = world
        .send(login_request("extra", "wrong password", [10, 0, 0, 1]))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let reply = world
        .send(login_request("extra", World::PASSWORD, [10, 0, 0, 1]))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let cookie = cookie_of(&reply);
    let csrf = reply.json["csrf_token"]
        .as_str()
        .expect("a CSRF token")
        .to_owned();
    assert!(!reply.text.contains("password_hash"));

    let me = world
        .send(with_cookie(
            Method::GET,
            "/api/v1/me",
            &cookie,
            None,
            None,
            None,
        ))
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json["user"]["login"], "extra");
    assert_eq!(me.json["csrf_token"], csrf.as_str());

    let path = format!("/api/v1/projects/{}/tasks", world.p.0);
    let version = world.version(world.p).await;
    let task = json!({"uid": "c1", "name": "Cutover"});
    let forged = world
        .send(with_cookie(
            Method::POST,
            &path,
            &cookie,
            None,
            Some(version),
            Some(task.clone()),
        ))
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "a write without the CSRF token: {}",
        forged.text
    );
    assert_eq!(world.version(world.p).await, version, "nothing written");
    let wrong_token = world
        .send(with_cookie(
            Method::POST,
            &path,
            &cookie,
            Some("guess"),
            Some(version),
            Some(task.clone()),
        ))
        .await;
    assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);
    let done = world
        .send(with_cookie(
            Method::POST,
            &path,
            &cookie,
            Some(&csrf),
            Some(version),
            Some(task),
        ))
        .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);

    let out = world
        .send(with_cookie(
            Method::POST,
            "/api/v1/auth/logout",
            &cookie,
            Some(&csrf),
            None,
            None,
        ))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let after = world
        .send(with_cookie(
            Method::GET,
            "/api/v1/me",
            &cookie,
            None,
            None,
            None,
        ))
        .await;
    assert_eq!(
        after.status,
        StatusCode::UNAUTHORIZED,
        "the session is gone after logout"
    );
}

#[tokio::test]
async fn secure_cookie_behind_https() {
    let world = World::sqlite().await;
    let mut request = login_request("extra", World::PASSWORD, [10, 0, 0, 2]);
    request
        .headers_mut()
        .insert("x-forwarded-proto", "https".parse().expect("a value"));
    let reply = world.send(request).await;
    let set_cookie = reply
        .headers
        .get(header::SET_COOKIE)
        .expect("a cookie")
        .to_str()
        .expect("ASCII");
    assert!(set_cookie.contains("; Secure"), "{set_cookie}");
}

#[tokio::test]
async fn throttled_after_ten_failures_even_with_the_right_password() {
    let world = World::sqlite().await;
    for _ in 0..10 {
        let reply = world
            .send(login_request("extra", "guess", [10, 0, 0, 3]))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = world
        .send(login_request("extra", World::PASSWORD, [10, 0, 0, 3]))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.text
    );
    assert!(reply.headers.contains_key(header::RETRY_AFTER));
    assert!(reply.is_problem());
    // Another login from another address is not locked out.
    let other = world
        .send(login_request("nobody", "x", [10, 0, 0, 4]))
        .await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn api_tokens_are_shown_once_and_stop_working_when_revoked() {
    let world = World::sqlite().await;
    let created = world
        .call(
            "pm",
            Method::POST,
            "/api/v1/me/tokens",
            None,
            Some(json!({"name": "ci"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let secret = created.json["secret"]
        .as_str()
        .expect("the secret")
        .to_owned();
    assert!(secret.starts_with("regie_"));
    let id = created.json["token"]["id"].as_i64().expect("an id");
    let list = world
        .call("pm", Method::GET, "/api/v1/me/tokens", None, None)
        .await;
    assert!(
        !list.text.contains(&secret),
        "the secret is never shown again"
    );

    let me = |token: String| {
        Request::builder()
            .uri("/api/v1/me")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("a request")
    };
    assert_eq!(world.send(me(secret.clone())).await.status, StatusCode::OK);
    let revoked = world
        .call(
            "pm",
            Method::DELETE,
            &format!("/api/v1/me/tokens/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = world.send(me(secret)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    // Someone else's token cannot be revoked by id.
    let other = world
        .call(
            "member",
            Method::DELETE,
            &format!("/api/v1/me/tokens/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn updates_need_if_match_and_a_stale_one_writes_nothing() {
    let world = World::sqlite().await;
    if_match_story(&world).await;
}

#[tokio::test]
async fn if_match_on_postgresql() {
    if let Some(world) = World::postgres().await {
        if_match_story(&world).await;
    }
}

async fn if_match_story(world: &World) {
    let path = format!("/api/v1/projects/{}/tasks/a", world.p.0);
    let read = world.call("pm", Method::GET, &path, None, None).await;
    let version = read.etag().expect("an ETag");
    let missing = world
        .call(
            "pm",
            Method::PATCH,
            &path,
            None,
            Some(json!({"name": "A1"})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);

    let first = world
        .call(
            "pm",
            Method::PATCH,
            &path,
            Some(version),
            Some(json!({"name": "A1"})),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let new_version = first.etag().expect("the new ETag");
    assert!(new_version > version);

    let stale = world
        .call(
            "admin",
            Method::PATCH,
            &path,
            Some(version),
            Some(json!({"name": "A2"})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.json["current_version"], new_version);
    let now = world.call("pm", Method::GET, &path, None, None).await;
    assert_eq!(now.json["name"], "A1", "the stale write changed nothing");
    assert_eq!(now.etag(), Some(new_version));
}

#[tokio::test]
async fn bad_input_is_a_4xx_naming_the_field_and_writes_nothing() {
    let world = World::sqlite().await;
    let path = format!("/api/v1/projects/{}/tasks", world.p.0);
    let version = world.version(world.p).await;
    let send = |body: String, content_type: &'static str| {
        Request::builder()
            .method(Method::POST)
            .uri(&path)
            .header(header::AUTHORIZATION, format!("Bearer {}", token_of("pm")))
            .header(header::IF_MATCH, format!("\"{version}\""))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("a request")
    };
    let broken = world
        .send(send("{\"uid\": \"x\",".into(), "application/json"))
        .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert!(broken.is_problem());

    let unknown = world
        .send(send(
            json!({"uid": "x", "name": "X", "durration_minutes": 5}).to_string(),
            "application/json",
        ))
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.text
    );
    assert_eq!(
        unknown.json["errors"][0]["field"], "durration_minutes",
        "{}",
        unknown.text
    );

    let wrong_type = world
        .send(send(
            json!({"uid": "x", "name": "X", "duration_minutes": "5d"}).to_string(),
            "application/json",
        ))
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong_type.json["errors"][0]["field"], "duration_minutes",
        "{}",
        wrong_type.text
    );

    let bad_value = world
        .send(send(
            json!({"uid": "x", "name": "X", "deadline": "next week"}).to_string(),
            "application/json",
        ))
        .await;
    assert_eq!(bad_value.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_value.json["errors"][0]["field"], "deadline");

    let nested = world
        .call("pm", Method::POST, &format!("/api/v1/projects/{}/calendars", world.p.0), Some(version),
            Some(json!({"name": "C", "exceptions": [{"name": "ok", "rule": {"kind": "range", "from": "2027-01-01", "to": "2027-01-01"}},
                                                    {"name": "bad", "rule": {"kind": "range", "from": "2027-01-01", "to": "2027-01-01"}, "shifts": ["9-5"]}]})))
        .await;
    assert_eq!(nested.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        nested.json["errors"][0]["field"], "exceptions[1].shifts[0]",
        "{}",
        nested.text
    );

    let not_json = world
        .send(send("uid=x".into(), "application/x-www-form-urlencoded"))
        .await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let huge = format!(
        "{{\"uid\": \"x\", \"name\": \"{}\"}}",
        "x".repeat(9 * 1024 * 1024)
    );
    let too_large = world.send(send(huge, "application/json")).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        too_large.json["detail"]
            .as_str()
            .unwrap_or("")
            .contains("8 MiB")
    );

    let cycle = world
        .call(
            "pm",
            Method::POST,
            &format!("/api/v1/projects/{}/links", world.p.0),
            Some(version),
            Some(json!({"pred": "b1", "succ": "a"})),
        )
        .await;
    assert_eq!(
        cycle.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        cycle.text
    );

    assert_eq!(world.version(world.p).await, version, "nothing was written");
    let unknown_route = world
        .call("pm", Method::GET, "/api/v1/nothing", None, None)
        .await;
    assert_eq!(unknown_route.status, StatusCode::NOT_FOUND);
    assert!(unknown_route.is_problem());
}

#[tokio::test]
async fn the_audit_log_shows_who_changed_what_with_old_and_new_values() {
    let world = World::sqlite().await;
    let version = world.version(world.p).await;
    let path = format!("/api/v1/projects/{}/tasks/b1", world.p.0);
    let changed = world
        .call(
            "pm",
            Method::PATCH,
            &path,
            Some(version),
            Some(json!({"duration_minutes": 960})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let audit = world
        .call(
            "sponsor",
            Method::GET,
            &format!("/api/v1/projects/{}/audit?entity=task", world.p.0),
            None,
            None,
        )
        .await;
    assert_eq!(audit.status, StatusCode::OK);
    let entry = &audit.json["items"][0];
    assert_eq!(entry["entity_id"], "b1");
    assert_eq!(entry["action"], "update");
    assert_eq!(entry["user"], world.user("pm").0);
    assert_ne!(entry["old"], entry["new"], "{entry}");
    assert!(
        entry["old"].to_string().contains("4800"),
        "old duration: {entry}"
    );
    assert!(
        entry["new"].to_string().contains("960"),
        "new duration: {entry}"
    );
}

#[tokio::test]
async fn clients_never_see_rates_costs_or_internal_notes() {
    let world = World::sqlite().await;
    let task = format!("/api/v1/projects/{}/tasks/a", world.p.0);
    let pm = world.call("pm", Method::GET, &task, None, None).await;
    assert!(pm.json["notes"].as_str().unwrap_or("").contains("internal"));
    let client = world.call("client", Method::GET, &task, None, None).await;
    assert_eq!(client.status, StatusCode::OK);
    assert!(
        client.json.get("notes").is_none() && !client.text.contains("internal"),
        "{}",
        client.text
    );
    let list = world
        .call(
            "client",
            Method::GET,
            &format!("/api/v1/projects/{}/tasks", world.p.0),
            None,
            None,
        )
        .await;
    assert!(!list.text.contains("internal"));

    let resources = format!("/api/v1/projects/{}/resources", world.p.0);
    assert_eq!(
        world
            .call("client", Method::GET, &resources, None, None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let pm_view = world.call("pm", Method::GET, &resources, None, None).await;
    assert_eq!(pm_view.json["items"][0]["rates"]["standard_cents"], 8500);
    let member_view = world
        .call("member", Method::GET, &resources, None, None)
        .await;
    assert!(
        member_view.json["items"][0].get("rates").is_none(),
        "{}",
        member_view.text
    );
    for path in ["audit", "export", "assignments"] {
        let reply = world
            .call(
                "client",
                Method::GET,
                &format!("/api/v1/projects/{}/{path}", world.p.0),
                None,
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    // A client of another project does not learn P exists.
    let outsider = world
        .call(
            "client_q",
            Method::GET,
            &format!("/api/v1/projects/{}", world.p.0),
            None,
            None,
        )
        .await;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND);
    let listed = world
        .call("client_q", Method::GET, "/api/v1/projects", None, None)
        .await;
    assert_eq!(listed.json["total"], 1);
    assert_eq!(listed.json["items"][0]["id"], world.q.0);
}

async fn import(world: &World, format: &str, name: &str, body: String) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!(
            "/api/v1/projects/import?format={format}&name={name}"
        ))
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", token_of("admin")),
        )
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::from(body))
        .expect("a request");
    world.send(request).await
}

#[tokio::test]
async fn kdl_and_mspdi_round_trip_through_the_api() {
    let world = World::sqlite().await;
    let tasks_of = |reply: &Reply| -> Vec<(String, String)> {
        reply.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|task| {
                (
                    task["uid"].as_str().unwrap_or("").to_owned(),
                    task["wbs"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    let original = world
        .call(
            "admin",
            Method::GET,
            &format!("/api/v1/projects/{}/tasks", world.p.0),
            None,
            None,
        )
        .await;
    for (format, name) in [("kdl", "Copy%20K"), ("mspdi", "Copy%20M")] {
        let export = world
            .call(
                "pm",
                Method::GET,
                &format!("/api/v1/projects/{}/export?format={format}", world.p.0),
                None,
                None,
            )
            .await;
        assert_eq!(export.status, StatusCode::OK, "{}", export.text);
        let created = import(&world, format, name, export.text).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let id = created.json["id"].as_i64().expect("an id");
        let copy = world
            .call(
                "admin",
                Method::GET,
                &format!("/api/v1/projects/{id}/tasks"),
                None,
                None,
            )
            .await;
        if format == "kdl" {
            assert_eq!(tasks_of(&copy), tasks_of(&original));
        } else {
            assert_eq!(copy.json["total"], original.json["total"]);
        }
        let a = world
            .call(
                "admin",
                Method::GET,
                &format!("/api/v1/projects/{id}/schedule"),
                None,
                None,
            )
            .await;
        let b = world
            .call(
                "admin",
                Method::GET,
                &format!("/api/v1/projects/{}/schedule", world.p.0),
                None,
                None,
            )
            .await;
        assert_eq!(
            a.json["project"]["finish"], b.json["project"]["finish"],
            "{format}"
        );
    }
    let bad = import(
        &world,
        "auto",
        "Bad",
        "project \"X\" {\n  start \"2027-13-45\"\n}\n".into(),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.json["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("body:2:"),
        "{}",
        bad.text
    );
}

#[tokio::test]
async fn a_task_moves_in_the_wbs_with_its_links() {
    let world = World::sqlite().await;
    let version = world.version(world.p).await;
    let moved = world
        .call(
            "pm",
            Method::POST,
            &format!("/api/v1/projects/{}/tasks/b2/move", world.p.0),
            Some(version),
            Some(json!({"parent": null})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.json["parent"], Value::Null);
    assert_eq!(moved.json["wbs"], "4");
    let links = world
        .call(
            "pm",
            Method::GET,
            &format!("/api/v1/projects/{}/links?task=b2", world.p.0),
            None,
            None,
        )
        .await;
    assert_eq!(links.json["items"][0]["pred"], "a", "{}", links.text);
    let under_itself = world
        .call(
            "pm",
            Method::POST,
            &format!("/api/v1/projects/{}/tasks/b/move", world.p.0),
            moved.etag(),
            Some(json!({"parent": "b1"})),
        )
        .await;
    assert_eq!(under_itself.status, StatusCode::UNPROCESSABLE_ENTITY);
    let progress = world
        .call(
            "member",
            Method::PATCH,
            &format!("/api/v1/projects/{}/tasks/a/progress", world.p.0),
            moved.etag(),
            Some(json!({"percent_complete": 40, "name": "renamed"})),
        )
        .await;
    assert_eq!(
        progress.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a member changes progress fields only"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let world = World::sqlite().await;
    let reply = world
        .call("anonymous", Method::GET, "/api/openapi.json", None, None)
        .await;
    assert_eq!(reply.json["openapi"], "3.1.0");
    for route in regie_web::routes::ROUTES.iter() {
        let operation = &reply.json["paths"][route.path][route.method.as_str().to_lowercase()];
        assert_eq!(
            operation["x-regie-permission"],
            route.action.name(),
            "{} {}",
            route.method,
            route.path
        );
    }
}

/// The schedule GET of a 1,000-task project, in process: prints the figures (run with
/// `--nocapture`). Not a timing assertion.
#[tokio::test]
async fn schedule_of_a_thousand_tasks() {
    let world = World::sqlite().await;
    let mut project = regie_core::generate::realistic_plan(1000, 40, 7);
    project.name = "Thousand".into();
    let id = world
        .store
        .create_project(&project, None)
        .await
        .expect("stored");
    let path = format!("/api/v1/projects/{}/schedule", id.0);
    let started = Instant::now();
    let cold = world.call("admin", Method::GET, &path, None, None).await;
    let cold_ms = started.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(
        cold.status,
        StatusCode::OK,
        "{}",
        &cold.text[..cold.text.len().min(500)]
    );
    assert_eq!(
        cold.json["tasks"].as_array().map(Vec::len),
        Some(project.tasks.len())
    );
    let runs = 20;
    let started = Instant::now();
    for _ in 0..runs {
        world.call("admin", Method::GET, &path, None, None).await;
    }
    let warm_ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    let started = Instant::now();
    let tasks = world
        .call(
            "admin",
            Method::GET,
            &format!("/api/v1/projects/{}/tasks?limit=1000", id.0),
            None,
            None,
        )
        .await;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(tasks.status, StatusCode::OK);
    println!(
        "schedule GET, {} tasks: first {cold_ms:.1} ms (load + CPM + JSON), cached {warm_ms:.1} ms; task list GET {load_ms:.1} ms",
        project.tasks.len()
    );
}

#[tokio::test]
async fn a_changed_password_ends_sessions_and_a_wrong_current_one_is_refused() {
    let world = World::sqlite().await;
    let reply = world
        .send(login_request("extra", World::PASSWORD, [10, 0, 0, 5]))
        .await;
    let cookie = cookie_of(&reply);
    let csrf = reply.json["csrf_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let change = |current: &str| json!({"current_password": current, "new_password": "a brand new passphrase"});
    let wrong = world
        .send(with_cookie(
            Method::POST,
            "/api/v1/me/password",
            &cookie,
            Some(&csrf),
            None,
            Some(change("guess")),
        ))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json["errors"][0]["field"], "current_password");
    let done = world
        .send(with_cookie(
            Method::POST,
            "/api/v1/me/password",
            &cookie,
            Some(&csrf),
            None,
            Some(change(World::PASSWORD)),
        ))
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.text);
    let after = world
        .send(with_cookie(
            Method::GET,
            "/api/v1/me",
            &cookie,
            None,
            None,
            None,
        ))
        .await;
    assert_eq!(
        after.status,
        StatusCode::UNAUTHORIZED,
        "the old session ended"
    );
    let old = world
        .send(login_request("extra", World::PASSWORD, [10, 0, 0, 5]))
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = world
        .send(login_request(
            "extra",
            "a brand new passphrase",
            [10, 0, 0, 5],
        ))
        .await;
    assert_eq!(new.status, StatusCode::OK);
}

#[tokio::test]
async fn lists_page_and_filter() {
    let world = World::sqlite().await;
    let tasks = format!("/api/v1/projects/{}/tasks", world.p.0);
    let page = world
        .call(
            "pm",
            Method::GET,
            &format!("{tasks}?offset=1&limit=2"),
            None,
            None,
        )
        .await;
    assert_eq!(page.json["total"], 5);
    let uids: Vec<&str> = page.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["uid"].as_str())
        .collect();
    assert_eq!(uids, ["b", "b1"]);
    let children = world
        .call("pm", Method::GET, &format!("{tasks}?parent=b"), None, None)
        .await;
    assert_eq!(children.json["total"], 2);
    let milestones = world
        .call(
            "pm",
            Method::GET,
            &format!("{tasks}?milestone=true"),
            None,
            None,
        )
        .await;
    assert_eq!(milestones.json["items"][0]["uid"], "m");
    let by_name = world
        .call("pm", Method::GET, &format!("{tasks}?q=FRONT"), None, None)
        .await;
    assert_eq!(by_name.json["items"][0]["uid"], "b2");
    let typo = world
        .call("pm", Method::GET, &format!("{tasks}?limt=2"), None, None)
        .await;
    assert_eq!(typo.status, StatusCode::BAD_REQUEST);
    assert!(typo.text.contains("limt"), "{}", typo.text);
    let bad = world
        .call(
            "pm",
            Method::GET,
            &format!("{tasks}?limit=many"),
            None,
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json["errors"][0]["field"], "limit", "{}", bad.text);
}

#[tokio::test]
async fn the_schedule_can_be_leveled_with_every_delay_explained() {
    let world = World::sqlite().await;
    let plan = "project \"Clash\" { start \"2027-01-04\"; }\n\
        resource \"ana\" name=\"Ana\"\n\
        task \"one\" \"One\" duration=\"5d\" { assign \"ana\"; }\n\
        task \"two\" \"Two\" duration=\"5d\" { assign \"ana\"; }\n";
    let created = import(&world, "kdl", "Clash", plan.to_owned()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.json["id"].as_i64().expect("an id");
    let plain = world
        .call(
            "admin",
            Method::GET,
            &format!("/api/v1/projects/{id}/schedule"),
            None,
            None,
        )
        .await;
    assert_eq!(plain.json["leveling"], Value::Null);
    let leveled = world
        .call(
            "admin",
            Method::GET,
            &format!("/api/v1/projects/{id}/schedule?level=true"),
            None,
            None,
        )
        .await;
    assert_eq!(leveled.status, StatusCode::OK, "{}", leveled.text);
    let delays = leveled.json["leveling"]["delays"]
        .as_array()
        .expect("delays");
    assert_eq!(delays.len(), 1, "{}", leveled.text);
    assert_eq!(delays[0]["waits_for"], "ana");
    assert_ne!(
        leveled.json["project"]["finish"],
        plain.json["project"]["finish"]
    );
}

/// A client that holds the current version gets 304 without a body; after a change, the new
/// schedule.
#[tokio::test]
async fn a_schedule_already_held_is_not_sent_again() {
    let world = World::sqlite().await;
    let path = format!("/api/v1/projects/{}/schedule", world.p.0);
    let first = world.call("pm", Method::GET, &path, None, None).await;
    assert_eq!(first.status, StatusCode::OK);
    let version = first.etag().expect("an ETag");
    let conditional = |tags: String| {
        Request::builder()
            .method(Method::GET)
            .uri(&path)
            .header(header::AUTHORIZATION, format!("Bearer {}", token_of("pm")))
            .header(header::IF_NONE_MATCH, tags)
            .body(Body::empty())
            .expect("a request")
    };
    let again = world
        .send(conditional(format!("W/\"0\", \"{version}\"")))
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.text.is_empty(), "{}", again.text);
    assert_eq!(again.etag(), Some(version));
    // Not for someone who may not see it.
    let outsider = Request::builder()
        .method(Method::GET)
        .uri(&path)
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", token_of("client_q")),
        )
        .header(header::IF_NONE_MATCH, format!("\"{version}\""))
        .body(Body::empty())
        .expect("a request");
    assert_eq!(world.send(outsider).await.status, StatusCode::NOT_FOUND);

    let renamed = world
        .call(
            "pm",
            Method::PATCH,
            &format!("/api/v1/projects/{}/tasks/a", world.p.0),
            Some(version),
            Some(json!({"name": "Analysis, renamed"})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    let changed = world.send(conditional(format!("\"{version}\""))).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.text.contains("Analysis, renamed"));
}

/// A client that accepts gzip gets the schedule gzipped, the same JSON once inflated.
#[tokio::test]
async fn the_schedule_is_gzipped_for_clients_that_accept_it() {
    use std::io::Read as _;
    let world = World::sqlite().await;
    let path = format!("/api/v1/projects/{}/schedule", world.p.0);
    let request = |encoding: &str| {
        Request::builder()
            .method(Method::GET)
            .uri(&path)
            .header(header::AUTHORIZATION, format!("Bearer {}", token_of("pm")))
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .expect("a request")
    };
    let app = world.app.clone();
    let plain = world.call("pm", Method::GET, &path, None, None).await;
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    for encoding in ["gzip", "deflate, gzip;q=0.5"] {
        let response = tower::ServiceExt::oneshot(app.clone(), request(encoding))
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        let mut json = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut json)
            .expect("gzip");
        assert_eq!(json, plain.text);
        assert!(bytes.len() < plain.text.len() / 2, "{} bytes", bytes.len());
    }
    let refused = world.send(request("gzip;q=0, identity")).await;
    assert!(refused.headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(refused.text, plain.text);
}
