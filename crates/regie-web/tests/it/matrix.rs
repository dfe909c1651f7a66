//! The permission matrix: every route of the route table × the eight callers → the status
//! they get, from the one table below. A route missing from the table fails the test, so a new
//! route cannot ship unchecked.
//!
//! Allowed callers make a real, valid request and get the route's success status; the others
//! get 401 (anonymous), 403 (a role that may not) or 404 (outsiders: a project they do not
//! belong to does not exist for them).

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::Value;

use regie_core::{Resource, Task};
use regie_store::{Change, Role};
use regie_web::routes::ROUTES;

use crate::support::{ACTORS, PLAN_P, World, token_of};

/// What must exist before a request can succeed (created anew for each caller).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Setup {
    None,
    /// A task `victim{n}`.
    Task,
    /// A task `l{n}` with a link `a -> l{n}`.
    Link,
    /// A task `l{n}` only.
    LinkTask,
    /// A resource `r{n}`.
    Resource,
    /// A resource `r{n}` assigned to `a`.
    Assignment,
    /// An exception on calendar 0 (so #0 exists).
    Exception,
    /// A project `{R}` with P's members.
    Project,
    /// A token `{tok}` of the caller.
    Token,
}

type Row = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Setup,
    [u16; 8],
);

//                                        anon adm spo  pm  mem cli cliQ memQ
const VIEW_PLAN: [u16; 8] = [401, 200, 200, 200, 200, 200, 404, 404];
const VIEW_TEAM: [u16; 8] = [401, 200, 200, 200, 200, 403, 404, 404];
const VIEW_FULL: [u16; 8] = [401, 200, 200, 200, 403, 403, 404, 404];

/// (method, route, sample request path, JSON body or `RAW:` text body, setup, statuses).
#[rustfmt::skip]
const TABLE: &[Row] = &[
    ("GET", "/api/openapi.json", "/api/openapi.json", None, Setup::None, [200; 8]),
    ("POST", "/api/v1/auth/login", "/api/v1/auth/login", Some(r#"{"login": "extra", "password": "correct horse battery"}"#), Setup::None, [200; 8]),
    ("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", None, Setup::None, [401, 204, 204, 204, 204, 204, 204, 204]),
    ("GET", "/api/v1/me", "/api/v1/me", None, Setup::None, [401, 200, 200, 200, 200, 200, 200, 200]),
    ("POST", "/api/v1/me/password", "/api/v1/me/password", Some(r#"{"current_password": "correct horse battery", "new_password": "correct horse battery"}"#), Setup::None, [401, 204, 204, 204, 204, 204, 204, 204]),
    ("GET", "/api/v1/me/tokens", "/api/v1/me/tokens", None, Setup::None, [401, 200, 200, 200, 200, 200, 200, 200]),
    ("POST", "/api/v1/me/tokens", "/api/v1/me/tokens", Some(r#"{"name": "laptop {n}"}"#), Setup::None, [401, 201, 201, 201, 201, 201, 201, 201]),
    ("DELETE", "/api/v1/me/tokens/{token}", "/api/v1/me/tokens/{tok}", None, Setup::Token, [401, 204, 204, 204, 204, 204, 204, 204]),
    ("GET", "/api/v1/users", "/api/v1/users", None, Setup::None, [401, 200, 403, 403, 403, 403, 403, 403]),
    ("POST", "/api/v1/users", "/api/v1/users", Some(r#"{"login": "u{n}", "display_name": "U {n}", "password": "a long enough password"}"#), Setup::None, [401, 201, 403, 403, 403, 403, 403, 403]),
    ("PATCH", "/api/v1/users/{user}", "/api/v1/users/{extra}", Some(r#"{"display_name": "Extra {n}"}"#), Setup::None, [401, 200, 403, 403, 403, 403, 403, 403]),
    ("GET", "/api/v1/clients", "/api/v1/clients", None, Setup::None, [401, 200, 403, 403, 403, 403, 403, 403]),
    ("POST", "/api/v1/clients", "/api/v1/clients", Some(r#"{"name": "Client {n}"}"#), Setup::None, [401, 201, 403, 403, 403, 403, 403, 403]),
    ("GET", "/api/v1/projects", "/api/v1/projects", None, Setup::None, [401, 200, 200, 200, 200, 200, 200, 200]),
    ("POST", "/api/v1/projects", "/api/v1/projects", Some(r#"{"name": "New {n}", "start": "2027-03-01T08:00:00"}"#), Setup::None, [401, 201, 403, 201, 403, 403, 403, 403]),
    ("POST", "/api/v1/projects/import", "/api/v1/projects/import?format=kdl&name=Imported%20{n}", Some("RAW:project \"X\" { start \"2027-03-01\"; }\ntask \"t\" \"T\" duration=\"1d\""), Setup::None, [401, 201, 403, 201, 403, 403, 403, 403]),
    ("GET", "/api/v1/projects/{project}", "/api/v1/projects/{P}", None, Setup::None, VIEW_PLAN),
    ("PATCH", "/api/v1/projects/{project}", "/api/v1/projects/{P}", Some(r#"{"phase": "build {n}"}"#), Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("DELETE", "/api/v1/projects/{project}", "/api/v1/projects/{R}", None, Setup::Project, [401, 204, 403, 403, 403, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/export", "/api/v1/projects/{P}/export?format=kdl", None, Setup::None, VIEW_FULL),
    ("PUT", "/api/v1/projects/{project}/content", "/api/v1/projects/{P}/content?format=kdl", Some("RAW:PLAN_P"), Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/schedule", "/api/v1/projects/{P}/schedule", None, Setup::None, VIEW_PLAN),
    ("POST", "/api/v1/projects/{project}/level", "/api/v1/projects/{P}/level", None, Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/audit", "/api/v1/projects/{P}/audit", None, Setup::None, VIEW_FULL),
    ("GET", "/api/v1/projects/{project}/members", "/api/v1/projects/{P}/members", None, Setup::None, VIEW_TEAM),
    ("PUT", "/api/v1/projects/{project}/members/{user}", "/api/v1/projects/{P}/members/{extra}", Some(r#"{"role": "team-member"}"#), Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("DELETE", "/api/v1/projects/{project}/members/{user}", "/api/v1/projects/{P}/members/{extra}", None, Setup::None, [401, 204, 403, 204, 403, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/tasks", "/api/v1/projects/{P}/tasks", None, Setup::None, VIEW_PLAN),
    ("POST", "/api/v1/projects/{project}/tasks", "/api/v1/projects/{P}/tasks", Some(r#"{"uid": "new{n}", "name": "New {n}", "parent": "b", "duration_minutes": 480}"#), Setup::None, [401, 201, 403, 201, 403, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/tasks/{task}", "/api/v1/projects/{P}/tasks/a", None, Setup::None, VIEW_PLAN),
    ("PATCH", "/api/v1/projects/{project}/tasks/{task}", "/api/v1/projects/{P}/tasks/a", Some(r#"{"name": "Analysis {n}"}"#), Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("DELETE", "/api/v1/projects/{project}/tasks/{task}", "/api/v1/projects/{P}/tasks/victim{n}", None, Setup::Task, [401, 204, 403, 204, 403, 403, 404, 404]),
    ("POST", "/api/v1/projects/{project}/tasks/{task}/move", "/api/v1/projects/{P}/tasks/b2/move", Some(r#"{"parent": "b"}"#), Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("PATCH", "/api/v1/projects/{project}/tasks/{task}/cells", "/api/v1/projects/{P}/tasks/a/cells", Some(r#"{"name": "Analysis {n}", "duration": "{n}d"}"#), Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("PATCH", "/api/v1/projects/{project}/tasks/{task}/progress", "/api/v1/projects/{P}/tasks/a/progress", Some(r#"{"percent_complete": 50}"#), Setup::None, [401, 200, 403, 200, 200, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/links", "/api/v1/projects/{P}/links", None, Setup::None, VIEW_PLAN),
    ("POST", "/api/v1/projects/{project}/links", "/api/v1/projects/{P}/links", Some(r#"{"pred": "a", "succ": "l{n}"}"#), Setup::LinkTask, [401, 201, 403, 201, 403, 403, 404, 404]),
    ("PATCH", "/api/v1/projects/{project}/links/{pred}/{succ}", "/api/v1/projects/{P}/links/a/b1", Some(r#"{"lag": {n}}"#), Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("DELETE", "/api/v1/projects/{project}/links/{pred}/{succ}", "/api/v1/projects/{P}/links/a/l{n}", None, Setup::Link, [401, 204, 403, 204, 403, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/calendars", "/api/v1/projects/{P}/calendars", None, Setup::None, VIEW_TEAM),
    ("POST", "/api/v1/projects/{project}/calendars", "/api/v1/projects/{P}/calendars", Some(r#"{"name": "Night {n}", "week": [["20:00-24:00"], ["20:00-24:00"], [], [], [], null, []]}"#), Setup::None, [401, 201, 403, 201, 403, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/calendars/{calendar}", "/api/v1/projects/{P}/calendars/0", None, Setup::None, VIEW_TEAM),
    ("PUT", "/api/v1/projects/{project}/calendars/{calendar}", "/api/v1/projects/{P}/calendars/0", Some(r#"{"name": "Standard", "exceptions": [{"name": "Christmas", "rule": {"kind": "yearly", "month": 12, "day": 25}}]}"#), Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("POST", "/api/v1/projects/{project}/calendars/{calendar}/exceptions", "/api/v1/projects/{P}/calendars/0/exceptions", Some(r#"{"name": "Bridge {n}", "rule": {"kind": "range", "from": "2027-05-14", "to": "2027-05-14"}}"#), Setup::None, [401, 201, 403, 201, 403, 403, 404, 404]),
    ("DELETE", "/api/v1/projects/{project}/calendars/{calendar}/exceptions/{index}", "/api/v1/projects/{P}/calendars/0/exceptions/0", None, Setup::Exception, [401, 204, 403, 204, 403, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/resources", "/api/v1/projects/{P}/resources", None, Setup::None, VIEW_TEAM),
    ("POST", "/api/v1/projects/{project}/resources", "/api/v1/projects/{P}/resources", Some(r#"{"uid": "new{n}", "name": "New {n}", "standard_rate_cents": 9000}"#), Setup::None, [401, 201, 403, 201, 403, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/resources/{resource}", "/api/v1/projects/{P}/resources/ana", None, Setup::None, VIEW_TEAM),
    ("PATCH", "/api/v1/projects/{project}/resources/{resource}", "/api/v1/projects/{P}/resources/ana", Some(r#"{"group": "DBA {n}"}"#), Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("DELETE", "/api/v1/projects/{project}/resources/{resource}", "/api/v1/projects/{P}/resources/r{n}", None, Setup::Resource, [401, 204, 403, 204, 403, 403, 404, 404]),
    ("GET", "/api/v1/projects/{project}/assignments", "/api/v1/projects/{P}/assignments", None, Setup::None, VIEW_TEAM),
    ("POST", "/api/v1/projects/{project}/assignments", "/api/v1/projects/{P}/assignments", Some(r#"{"task": "a", "resource": "r{n}", "units": 50}"#), Setup::Resource, [401, 201, 403, 201, 403, 403, 404, 404]),
    ("PATCH", "/api/v1/projects/{project}/assignments/{task}/{resource}", "/api/v1/projects/{P}/assignments/a/ana", Some(r#"{"units": {n}}"#), Setup::None, [401, 200, 403, 200, 403, 403, 404, 404]),
    ("DELETE", "/api/v1/projects/{project}/assignments/{task}/{resource}", "/api/v1/projects/{P}/assignments/a/r{n}", None, Setup::Assignment, [401, 204, 403, 204, 403, 403, 404, 404]),
];

/// Prepares what the request needs; returns the ids to put in the path.
async fn setup(world: &World, setup: Setup, n: u32, actor: &str) -> (Option<i64>, Option<i64>) {
    let p = world.p;
    let version = world.version(p).await;
    let apply = |changes: Vec<Change>| async move {
        world
            .store
            .apply(p, version, None, &changes)
            .await
            .expect("setup change");
    };
    match setup {
        Setup::None => {}
        Setup::Task => {
            apply(vec![Change::AddTask {
                task: Task::new(format!("victim{n}"), "Victim"),
                parent: None,
                before: None,
            }])
            .await
        }
        Setup::LinkTask => {
            apply(vec![Change::AddTask {
                task: Task::new(format!("l{n}"), "Linked"),
                parent: None,
                before: None,
            }])
            .await
        }
        Setup::Link => {
            let mut changes = vec![Change::AddTask {
                task: Task::new(format!("l{n}"), "Linked"),
                parent: None,
                before: None,
            }];
            changes.push(Change::AddLink {
                pred: "a".into(),
                succ: format!("l{n}"),
                kind: regie_core::LinkKind::FinishToStart,
                lag: regie_core::Lag::Working(0),
            });
            apply(changes).await
        }
        Setup::Resource => {
            apply(vec![Change::AddResource(Resource::new(
                format!("r{n}"),
                "R",
            ))])
            .await
        }
        Setup::Assignment => {
            apply(vec![
                Change::AddResource(Resource::new(format!("r{n}"), "R")),
                Change::AddAssignment {
                    task: "a".into(),
                    resource: format!("r{n}"),
                    units: 100,
                    work: None,
                },
            ])
            .await
        }
        Setup::Exception => {
            let mut calendar = world
                .store
                .load_project(p)
                .await
                .expect("P")
                .project
                .calendars[0]
                .clone();
            calendar.exceptions.push(regie_core::calendar::Exception {
                name: "Holiday".into(),
                dates: regie_core::calendar::DateRule::Range {
                    from: jiff::civil::date(2027, 8, 15),
                    to: jiff::civil::date(2027, 8, 15),
                },
                shifts: Vec::new(),
            });
            apply(vec![Change::UpdateCalendar {
                id: regie_core::CalendarId(0),
                calendar,
            }])
            .await
        }
        Setup::Project => {
            let mut project = regie_lang::parse("p.kdl", PLAN_P).expect("plan").project;
            project.name = format!("Doomed {n}");
            let r = world.store.create_project(&project, None).await.expect("R");
            for membership in world.store.memberships(p).await.expect("members") {
                world
                    .store
                    .set_membership(r, membership.user, membership.role, None)
                    .await
                    .expect("member");
            }
            return (Some(r.0), None);
        }
        Setup::Token => {
            let user = if actor == "anonymous" {
                world.user("admin")
            } else {
                world.user(actor)
            };
            let token = world
                .store
                .create_api_token(user, "doomed", &format!("hash-{n}"))
                .await
                .expect("a token");
            return (None, Some(token.id));
        }
    }
    (None, None)
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_table_says() {
    run(&World::sqlite().await).await;
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_table_says_on_postgresql() {
    if let Some(world) = World::postgres().await {
        run(&world).await;
    }
}

async fn run(world: &World) {
    // The members rows need `extra` as a member to delete; PUT comes first in the table.
    world
        .store
        .set_membership(world.p, world.extra, Role::TeamMember, None)
        .await
        .expect("member");

    let table_routes: BTreeSet<(String, String)> = TABLE
        .iter()
        .map(|row| (row.0.to_owned(), row.1.to_owned()))
        .collect();
    let code_routes: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|route| (route.method.as_str().to_owned(), route.path.to_owned()))
        .collect();
    let missing: Vec<_> = code_routes.difference(&table_routes).collect();
    let unknown: Vec<_> = table_routes.difference(&code_routes).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the permission matrix: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "matrix rows for routes that do not exist: {unknown:?}"
    );
    assert_eq!(TABLE.len(), ROUTES.len(), "one row per route");

    let mut failures = Vec::new();
    let mut n = 0u32;
    for (method, route, sample, body, prepare, expected) in TABLE {
        for (column, actor) in ACTORS.iter().enumerate() {
            n += 1;
            let (r, tok) = setup(world, *prepare, n, actor).await;
            // The member row deletes `extra` from P: put them back for the next caller.
            if *method == "DELETE" && route.ends_with("/members/{user}") {
                world
                    .store
                    .set_membership(world.p, world.extra, Role::TeamMember, None)
                    .await
                    .expect("member");
            }
            let fill = |text: &str| {
                text.replace("{P}", &world.p.0.to_string())
                    .replace("{R}", &r.unwrap_or(0).to_string())
                    .replace("{tok}", &tok.unwrap_or(0).to_string())
                    .replace("{extra}", &world.extra.0.to_string())
                    .replace("{n}", &n.to_string())
            };
            let path = fill(sample);
            let target = r.map(regie_store::ProjectId).unwrap_or(world.p);
            let version = world.version(target).await;
            let mut request = Request::builder()
                .method(Method::from_bytes(method.as_bytes()).expect("a method"))
                .uri(&path)
                .header(header::IF_MATCH, format!("\"{version}\""));
            if *actor != "anonymous" {
                request =
                    request.header(header::AUTHORIZATION, format!("Bearer {}", token_of(actor)));
            }
            let body = match body {
                Some(text) if text.starts_with("RAW:") => {
                    request = request.header(header::CONTENT_TYPE, "text/plain");
                    let raw = &text[4..];
                    Body::from(if raw == "PLAN_P" {
                        PLAN_P.to_owned()
                    } else {
                        fill(raw)
                    })
                }
                Some(text) => {
                    request = request.header(header::CONTENT_TYPE, "application/json");
                    let json: Value = serde_json::from_str(&fill(text)).expect("a JSON sample");
                    Body::from(json.to_string())
                }
                None => Body::empty(),
            };
            let reply = world.send(request.body(body).expect("a request")).await;
            if reply.status.as_u16() != expected[column] {
                failures.push(format!(
                    "{method} {path} as {actor}: expected {}, got {} {}",
                    expected[column], reply.status, reply.text
                ));
            }
            if reply.status.is_client_error() && !reply.is_problem() {
                failures.push(format!(
                    "{method} {path} as {actor}: {} is not problem+json",
                    reply.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        n,
        failures.join("\n")
    );
    println!(
        "permission matrix: {} routes x {} callers = {n} cases, all as expected",
        TABLE.len(),
        ACTORS.len()
    );
}
