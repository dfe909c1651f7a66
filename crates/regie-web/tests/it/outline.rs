//! Places in the WBS, as the task table's insert, indent and outdent need them: a new task or a
//! moved one goes just before a sibling (`before`), or last under its parent as before.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::World;

#[tokio::test]
async fn insert_indent_and_outdent() {
    outline_story(&World::sqlite().await).await;
}

#[tokio::test]
async fn insert_indent_and_outdent_on_postgresql() {
    if let Some(world) = World::postgres().await {
        outline_story(&world).await;
    }
}

/// The table as a user reads it: `wbs uid` per row, in outline order.
async fn rows(world: &World) -> Vec<String> {
    let reply = world
        .call(
            "pm",
            Method::GET,
            &format!("/api/v1/projects/{}/tasks", world.p.0),
            None,
            None,
        )
        .await;
    reply.json["items"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|task| {
            format!(
                "{} {}",
                task["wbs"].as_str().unwrap(),
                task["uid"].as_str().unwrap()
            )
        })
        .collect()
}

async fn outline_story(world: &World) {
    let p = world.p.0;
    let tasks = format!("/api/v1/projects/{p}/tasks");
    let mv = |uid: &str| format!("/api/v1/projects/{p}/tasks/{uid}/move");
    assert_eq!(rows(world).await, ["1 a", "2 b", "2.1 b1", "2.2 b2", "3 m"]);

    // Insert a row above "Backend": a new first child of "Build".
    let version = world.version(world.p).await;
    let inserted = world
        .call(
            "pm",
            Method::POST,
            &tasks,
            Some(version),
            Some(json!({"uid": "setup", "name": "Setup", "parent": "b", "before": "b1", "duration_minutes": 480})),
        )
        .await;
    assert_eq!(inserted.status, StatusCode::CREATED, "{}", inserted.text);
    assert_eq!(inserted.json["wbs"], "2.1");
    // And a row above the first one: a new first top-level task.
    let first = world
        .call(
            "pm",
            Method::POST,
            &tasks,
            inserted.etag(),
            Some(json!({"uid": "kickoff", "name": "Kick-off", "before": "a"})),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(
        rows(world).await,
        [
            "1 kickoff",
            "2 a",
            "3 b",
            "3.1 setup",
            "3.2 b1",
            "3.3 b2",
            "4 m"
        ]
    );

    // Outdent "Frontend": it leaves "Build" and comes right after it, before "Go-live".
    let outdented = world
        .call(
            "pm",
            Method::POST,
            &mv("b2"),
            first.etag(),
            Some(json!({"parent": null, "before": "m"})),
        )
        .await;
    assert_eq!(outdented.status, StatusCode::OK, "{}", outdented.text);
    assert_eq!(outdented.json["parent"], Value::Null);
    assert_eq!(outdented.json["wbs"], "4");
    // Indent it again: back under "Build", as its last child.
    let indented = world
        .call(
            "pm",
            Method::POST,
            &mv("b2"),
            outdented.etag(),
            Some(json!({"parent": "b"})),
        )
        .await;
    assert_eq!(indented.status, StatusCode::OK, "{}", indented.text);
    assert_eq!(indented.json["wbs"], "3.3");
    // Move "Backend" up above "Setup".
    let up = world
        .call(
            "pm",
            Method::POST,
            &mv("b1"),
            indented.etag(),
            Some(json!({"parent": "b", "before": "setup"})),
        )
        .await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.text);
    assert_eq!(
        rows(world).await,
        [
            "1 kickoff",
            "2 a",
            "3 b",
            "3.1 b1",
            "3.2 setup",
            "3.3 b2",
            "4 m"
        ]
    );

    // A `before` that is not a child of `parent` is named, and nothing changes.
    let version = up.etag().expect("a version");
    for (path, body, message) in [
        (
            tasks.clone(),
            json!({"uid": "x", "name": "X", "parent": "b", "before": "a"}),
            "\"a\" is not a child of \"b\": `before` names a sibling under `parent`",
        ),
        (
            mv("m"),
            json!({"parent": null, "before": "b1"}),
            "\"b1\" is not a top-level task: `before` names a sibling under `parent`",
        ),
        (
            mv("m"),
            json!({"parent": null, "before": "m"}),
            "\"m\" is the task being moved",
        ),
        (
            mv("m"),
            json!({"parent": null, "before": "nope"}),
            "no task has the uid \"nope\"",
        ),
    ] {
        let refused = world
            .call("pm", Method::POST, &path, Some(version), Some(body))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text
        );
        assert_eq!(refused.json["errors"][0]["field"], "before");
        assert_eq!(refused.json["errors"][0]["message"], message);
    }
    assert_eq!(world.version(world.p).await, version, "nothing was written");
    // PATCH does not move.
    let patch = world
        .call(
            "pm",
            Method::PATCH,
            &format!("/api/v1/projects/{p}/tasks/m"),
            Some(version),
            Some(json!({"before": "a"})),
        )
        .await;
    assert_eq!(patch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(patch.json["errors"][0]["field"], "before");
}
