//! The pages' permission matrix: every row of the UI's page table × the eight callers → the
//! status they get. Anonymous visitors are sent to the login page (303), outsiders get the 404
//! page (a project they do not belong to does not exist for them), roles that may not get the
//! 403 page. A page missing from the table fails the test.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use tower::ServiceExt;

use regie_web::ui::PAGES;

use crate::support::{ACTORS, World, token_of};

//                                        anon adm spo  pm  mem cli cliQ memQ
const PUBLIC: [u16; 8] = [200; 8];
const LOGGED_IN: [u16; 8] = [303, 200, 200, 200, 200, 200, 200, 200];
const VIEW_PLAN: [u16; 8] = [303, 200, 200, 200, 200, 200, 404, 404];
const VIEW_TEAM: [u16; 8] = [303, 200, 200, 200, 200, 403, 404, 404];
const VIEW_FULL: [u16; 8] = [303, 200, 200, 200, 403, 403, 404, 404];
/// Admins, and project managers (of any project).
const CREATE: [u16; 8] = [303, 200, 403, 200, 403, 403, 403, 403];

/// (method, page, statuses). `{p}` is a project where the roles are members.
#[rustfmt::skip]
const TABLE: &[(&str, &str, [u16; 8])] = &[
    ("GET", "/login", PUBLIC),
    // A wrong password: the form again, with the reason, for everyone.
    ("POST", "/login", [401; 8]),
    ("GET", "/", LOGGED_IN),
    ("GET", "/account", LOGGED_IN),
    ("GET", "/my-work", LOGGED_IN),
    ("GET", "/workload", LOGGED_IN),
    ("GET", "/import", CREATE),
    ("GET", "/projects/{project}", VIEW_PLAN),
    ("GET", "/projects/{project}/gantt", VIEW_PLAN),
    ("GET", "/projects/{project}/tasks", VIEW_PLAN),
    ("GET", "/projects/{project}/people", VIEW_TEAM),
    ("GET", "/projects/{project}/members", VIEW_TEAM),
    ("GET", "/projects/{project}/files", VIEW_FULL),
    ("GET", "/projects/{project}/history", VIEW_FULL),
];

async fn check(world: &World) {
    let mut failures = Vec::new();
    let mut cases = 0;
    for page in PAGES.iter() {
        let Some((_, _, expected)) = TABLE
            .iter()
            .find(|(method, path, _)| *method == page.method.as_str() && *path == page.path)
        else {
            failures.push(format!(
                "{} {} is not in the pages' matrix",
                page.method, page.path
            ));
            continue;
        };
        let path = page.path.replace("{project}", &world.p.0.to_string());
        for (column, actor) in ACTORS.iter().enumerate() {
            cases += 1;
            let mut request = Request::builder().method(page.method.clone()).uri(&path);
            if *actor != "anonymous" {
                request =
                    request.header(header::AUTHORIZATION, format!("Bearer {}", token_of(actor)));
            }
            let body = if page.method == Method::POST {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from("login=nobody&password=wrong")
            } else {
                Body::empty()
            };
            let reply = world.send(request.body(body).expect("a request")).await;
            if reply.status.as_u16() != expected[column] {
                failures.push(format!(
                    "{} {path} as {actor}: expected {}, got {}",
                    page.method, expected[column], reply.status
                ));
            }
            let is_html = reply
                .headers
                .get(header::CONTENT_TYPE)
                .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
            if reply.status != StatusCode::SEE_OTHER && !is_html {
                failures.push(format!(
                    "{} {path} as {actor}: not an HTML page",
                    page.method
                ));
            }
            if reply.status == StatusCode::SEE_OTHER {
                let location = reply
                    .headers
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok());
                if !location.is_some_and(|to| to.starts_with("/login?next=")) {
                    failures.push(format!(
                        "{path} as {actor}: redirected to {location:?}, not the login page"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!(
        "pages matrix: {} pages x {} callers = {cases} cases, all as expected",
        PAGES.len(),
        ACTORS.len()
    );
}

#[tokio::test]
async fn every_page_answers_every_caller_as_the_table_says() {
    check(&World::sqlite().await).await;
}

#[tokio::test]
async fn every_page_answers_every_caller_as_the_table_says_on_postgresql() {
    if let Some(world) = World::postgres().await {
        check(&world).await;
    }
}

/// A project from a KDL plan, managed by the caller `pm`.
async fn managed_by_pm(world: &World, plan: &str) -> regie_store::ProjectId {
    let parsed = regie_lang::parse("test.kdl", plan).expect("a valid plan");
    let id = world
        .store
        .create_project(&parsed.project, None)
        .await
        .expect("a project");
    world
        .store
        .set_membership(
            id,
            world.user("pm"),
            regie_store::Role::ProjectManager,
            None,
        )
        .await
        .expect("a membership");
    id
}

/// A page as `actor` sees it.
async fn page_as(world: &World, actor: &str, path: &str) -> crate::support::Reply {
    let request = Request::builder()
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {}", token_of(actor)))
        .body(Body::empty())
        .expect("a request");
    world.send(request).await
}

/// A project manager creates a project from the portfolio and manages it at once; a team member
/// may not create one.
#[tokio::test]
async fn a_project_manager_creates_a_project_and_manages_it() {
    let world = World::sqlite().await;
    let body = serde_json::json!({"name": "Intranet rebuild", "start": "2027-04-05T08:00"});
    let refused = world
        .call(
            "member",
            Method::POST,
            "/api/v1/projects",
            None,
            Some(body.clone()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let created = world
        .call("pm", Method::POST, "/api/v1/projects", None, Some(body))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.json["id"].as_i64().expect("an id");
    let members = world
        .call(
            "pm",
            Method::GET,
            &format!("/api/v1/projects/{id}/members"),
            None,
            None,
        )
        .await;
    assert_eq!(members.status, StatusCode::OK, "{}", members.text);
    assert_eq!(
        members.json["items"][0]["role"], "project-manager",
        "{}",
        members.text
    );
    let portfolio = page_as(&world, "pm", "/").await;
    assert!(
        portfolio.text.contains("Intranet rebuild"),
        "the new project is on the PM's portfolio"
    );
    assert!(
        portfolio.text.contains("new-project-open"),
        "the PM is offered to create projects"
    );
}

/// Leveling kept from the People page: one change (one version), the over-allocated person's
/// second task delayed with a start-no-earlier-than constraint, the reason in the answer; a
/// stale version changes nothing.
#[tokio::test]
async fn leveling_applied_to_the_plan_is_one_change() {
    let world = World::sqlite().await;
    let plan = r#"
project "Levelled" {
    start "2027-03-01"
}
resource "lucas" name="Lucas Bernard"
task "a" "Deployment pipeline" duration="5d" { assign "lucas"; }
task "b" "Extraction jobs" duration="5d" { assign "lucas"; }
"#;
    let id = managed_by_pm(&world, plan).await;
    let version = world.version(id).await;
    let path = format!("/api/v1/projects/{}/level", id.0);
    let stale = world
        .call("pm", Method::POST, &path, Some(version - 1), None)
        .await;
    assert_eq!(
        stale.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        stale.text
    );
    let leveled = world
        .call("pm", Method::POST, &path, Some(version), None)
        .await;
    assert_eq!(leveled.status, StatusCode::OK, "{}", leveled.text);
    assert_eq!(leveled.json["moved"], 1, "{}", leveled.text);
    assert_eq!(
        leveled.etag(),
        Some(version + 1),
        "one version for the whole leveling"
    );
    let delay = &leveled.json["leveling"]["delays"][0];
    assert_eq!(delay["waits_for"], "lucas", "{}", leveled.text);
    let delayed = delay["task"].as_str().expect("a task uid");
    let task = world
        .call(
            "pm",
            Method::GET,
            &format!("/api/v1/projects/{}/tasks/{delayed}", id.0),
            None,
            None,
        )
        .await;
    assert_eq!(task.json["constraint"], "snet", "{}", task.text);
    assert_eq!(
        task.json["constraint_date"], "2027-03-08T08:00:00",
        "after the first task"
    );
    // Nobody is over-allocated any more: leveling again moves nothing.
    let again = world
        .call("pm", Method::POST, &path, Some(version + 1), None)
        .await;
    assert_eq!(again.json["moved"], 0, "{}", again.text);
    assert_eq!(again.etag(), Some(version + 1), "nothing written");
}

/// The overview tells the plan's story: the missed gate first among the warnings, the change
/// just made named after its task with what changed.
#[tokio::test]
async fn the_overview_shows_the_missed_gate_and_the_last_change() {
    let world = World::sqlite().await;
    let plan = r#"
project "Gated" {
    start "2027-03-01"
}
task "build" "Build" duration="10d"
milestone "gate" "Gate 1: signed by the client" deadline="2027-03-05" {
    after "build"
}
"#;
    let id = managed_by_pm(&world, plan).await;
    let version = world.version(id).await;
    let renamed = world
        .call(
            "pm",
            Method::PATCH,
            &format!("/api/v1/projects/{}/tasks/build/cells", id.0),
            Some(version),
            Some(serde_json::json!({"name": "Build the API"})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    let page = page_as(&world, "pm", &format!("/projects/{}", id.0)).await;
    assert_eq!(page.status, StatusCode::OK);
    let warnings = page
        .text
        .find("Missed deadline")
        .expect("the missed gate is listed");
    assert!(
        page.text[warnings..].contains("Gate 1: signed by the client"),
        "the warning names the gate"
    );
    assert!(
        page.text.contains("updated task “Build the API”"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("name: Build → Build the API"),
        "{}",
        page.text
    );
}

/// A big page goes gzipped to a browser that takes it, and unzips to the same page.
#[tokio::test]
async fn big_pages_are_sent_gzipped() {
    use std::io::Read as _;
    let world = World::sqlite().await;
    let mut plan = String::from("project \"Big\" {\n    start \"2027-03-01\"\n}\n");
    for n in 0..300 {
        plan.push_str(&format!(
            "task \"t{n}\" \"Task number {n}\" duration=\"2d\"\n"
        ));
    }
    let id = managed_by_pm(&world, &plan).await;
    let path = format!("/projects/{}/tasks", id.0);
    let plain = page_as(&world, "pm", &path).await;
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    let request = Request::builder()
        .uri(&path)
        .header(header::AUTHORIZATION, format!("Bearer {}", token_of("pm")))
        .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
        .body(Body::empty())
        .expect("a request");
    let response = world
        .app
        .clone()
        .oneshot(request)
        .await
        .expect("infallible");
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    let mut html = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut html)
        .expect("gzip");
    assert!(
        bytes.len() * 4 < html.len(),
        "{} bytes for {}",
        bytes.len(),
        html.len()
    );
    assert!(html.contains("Task number 299"));
}
