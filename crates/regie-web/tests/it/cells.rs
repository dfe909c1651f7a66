//! The task table edited like a spreadsheet: `PATCH .../tasks/{task}/cells` takes what the user
//! typed in a cell. These tests check what a user notices: the schedule moves, an error points
//! at the cell and nothing changes, a stale page is refused.
//!
//! Plan P (IDs are outline positions): 1 a "Analysis" 5d (Ana), 2 b "Build" { 3 b1 "Backend"
//! 10d after a, 4 b2 "Frontend" 8d after a }, 5 m "Go-live" after b; it starts Monday
//! 2027-01-04 on the standard calendar (08:00-12:00, 13:00-17:00, Monday to Friday).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Reply, World};

async fn both(story: impl AsyncFn(&World)) {
    story(&World::sqlite().await).await;
    if let Some(world) = World::postgres().await {
        story(&world).await;
    }
}

async fn edit(world: &World, uid: &str, version: Option<i64>, cells: Value) -> Reply {
    world
        .call(
            "pm",
            Method::PATCH,
            &format!("/api/v1/projects/{}/tasks/{uid}/cells", world.p.0),
            version,
            Some(cells),
        )
        .await
}

/// `(start, finish)` of task `uid` in the computed schedule.
async fn dates(world: &World, uid: &str) -> (String, String) {
    let reply = world
        .call(
            "pm",
            Method::GET,
            &format!("/api/v1/projects/{}/schedule", world.p.0),
            None,
            None,
        )
        .await;
    let task = reply.json["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|task| task["uid"] == uid)
        .expect("the task is scheduled")
        .clone();
    (
        task["start"].as_str().unwrap().to_owned(),
        task["finish"].as_str().unwrap().to_owned(),
    )
}

/// `pred kind lag` of every link into `uid`.
async fn predecessors(world: &World, uid: &str) -> Vec<String> {
    let reply = world
        .call(
            "pm",
            Method::GET,
            &format!("/api/v1/projects/{}/links?task={uid}", world.p.0),
            None,
            None,
        )
        .await;
    reply.json["items"]
        .as_array()
        .expect("links")
        .iter()
        .filter(|link| link["succ"] == uid)
        .map(|link| {
            format!(
                "{} {} {}",
                link["pred"].as_str().unwrap(),
                link["kind"].as_str().unwrap(),
                link["lag"]
            )
        })
        .collect()
}

#[tokio::test]
async fn typing_a_predecessor_links_the_task_and_moves_it() {
    both(async |world: &World| {
        assert_eq!(dates(world, "b2").await.0, "2027-01-11T08:00");
        let version = world.version(world.p).await;
        // "Frontend" (4) after "Backend" (3), two days later, instead of after "Analysis".
        let reply = edit(
            world,
            "b2",
            Some(version),
            json!({"predecessors": "3FS+2d"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(reply.json["uid"], "b2");
        assert_eq!(
            reply.etag(),
            Some(version + 1),
            "one version for the whole edit"
        );
        assert_eq!(predecessors(world, "b2").await, ["b1 FS 960"]);
        // Backend finishes Friday 22nd at 17:00; two working days later is Wednesday 27th.
        assert_eq!(dates(world, "b2").await.0, "2027-01-27T08:00");

        // Several links in one cell, an existing one changed in place.
        let reply = edit(
            world,
            "b2",
            reply.etag(),
            json!({"predecessors": "1SS+50%; 3FS"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(predecessors(world, "b2").await, ["b1 FS 0", "a SS 50"]);
        // And emptied.
        let reply = edit(world, "b2", reply.etag(), json!({"predecessors": ""})).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert!(predecessors(world, "b2").await.is_empty());
        assert_eq!(dates(world, "b2").await.0, "2027-01-04T08:00");
    })
    .await;
}

#[tokio::test]
async fn a_bad_cell_is_a_422_naming_it_and_nothing_changes() {
    both(async |world: &World| {
        let version = world.version(world.p).await;
        let cases = [
            (
                "b2",
                json!({"predecessors": "3XX"}),
                "predecessors",
                "\"3XX\": unknown link type \"XX\" (expected FS, SS, FF or SF)",
            ),
            (
                "b2",
                json!({"predecessors": "3, 9"}),
                "predecessors",
                "\"9\": no task has ID 9 (IDs go from 1 to 5)",
            ),
            (
                "b1",
                json!({"predecessors": "2"}),
                "predecessors",
                "\"2\": task 3 \"Backend\" is inside task 2 \"Build\": a summary task cannot be linked to its own subtasks",
            ),
            (
                "a",
                json!({"predecessors": "4"}),
                "predecessors",
                "dependency cycle: Analysis → Frontend → Analysis",
            ),
            (
                "a",
                json!({"resources": "Ana Lma"}),
                "resources",
                "\"Ana Lma\": no resource is called \"Ana Lma\"; did you mean \"Ana Lima\"?",
            ),
            (
                "a",
                json!({"constraint": "SNET 2027-02-30"}),
                "constraint",
                "\"2027-02-30\" is not a date: February 2027 has no day 30 (dates look like 2027-01-04, date-times like 2027-01-04T08:00)",
            ),
            (
                "a",
                json!({"finish": "2027-01-01"}),
                "finish",
                "\"2027-01-01\": the task starts 2027-01-04T08:00: it cannot finish before",
            ),
            (
                "b",
                json!({"duration": "3d"}),
                "duration",
                "a summary task's duration follows its subtasks: change theirs",
            ),
            ("a", json!({"name": "  "}), "name", "a task needs a name"),
        ];
        for (uid, body, field, message) in cases {
            let reply = edit(world, uid, Some(version), body.clone()).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", reply.text);
            assert!(reply.is_problem());
            assert_eq!(reply.json["errors"][0]["field"], field, "{body}");
            assert_eq!(reply.json["errors"][0]["message"], message, "{body}");
            assert_eq!(reply.json["detail"], format!("{field}: {message}"));
        }
        // A good cell with a bad one: neither is written, both errors are named.
        let reply = edit(
            world,
            "a",
            Some(version),
            json!({"name": "Renamed", "duration": "5x", "predecessors": "3XX"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
        let fields: Vec<&str> = reply.json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|error| error["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["duration", "predecessors"]);
        assert_eq!(world.version(world.p).await, version, "nothing was written");
        let a = world
            .call("pm", Method::GET, &format!("/api/v1/projects/{}/tasks/a", world.p.0), None, None)
            .await;
        assert_eq!(a.json["name"], "Analysis");
        assert_eq!(predecessors(world, "b2").await, ["a FS 0"]);
    })
    .await;
}

#[tokio::test]
async fn a_stale_page_is_refused() {
    both(async |world: &World| {
        let version = world.version(world.p).await;
        let missing = edit(world, "a", None, json!({"duration": "6d"})).await;
        assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
        let first = edit(world, "a", Some(version), json!({"duration": "6d"})).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.text);
        let stale = edit(world, "a", Some(version), json!({"duration": "7d"})).await;
        assert_eq!(
            stale.status,
            StatusCode::PRECONDITION_FAILED,
            "{}",
            stale.text
        );
        assert_eq!(stale.json["current_version"], version + 1);
        let a = world
            .call(
                "pm",
                Method::GET,
                &format!("/api/v1/projects/{}/tasks/a", world.p.0),
                None,
                None,
            )
            .await;
        assert_eq!(
            a.json["duration_minutes"],
            6 * 480,
            "the stale edit changed nothing"
        );
    })
    .await;
}

#[tokio::test]
async fn a_typed_finish_sets_the_duration_in_working_days() {
    both(async |world: &World| {
        // "Analysis" starts Monday 4th; finishing Tuesday 12th is 7 working days (the weekend
        // does not count), ending at 17:00.
        let version = world.version(world.p).await;
        let reply = edit(world, "a", Some(version), json!({"finish": "2027-01-12"})).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(reply.json["duration_minutes"], 7 * 480);
        assert_eq!(reply.json["milestone"], false);
        assert_eq!(
            dates(world, "a").await,
            ("2027-01-04T08:00".to_owned(), "2027-01-12T17:00".to_owned())
        );
        // Its successors follow: Backend starts the next morning.
        assert_eq!(dates(world, "b1").await.0, "2027-01-13T08:00");
        // A typed start is a start-no-earlier-than constraint (a dragged bar); a finish typed
        // with it counts from the new start.
        let reply = edit(
            world,
            "a",
            reply.etag(),
            json!({"start": "2027-01-18", "finish": "2027-01-19"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(reply.json["constraint"], "snet");
        assert_eq!(reply.json["constraint_date"], "2027-01-18T00:00:00");
        assert_eq!(reply.json["duration_minutes"], 2 * 480);
        assert_eq!(
            dates(world, "a").await,
            ("2027-01-18T08:00".to_owned(), "2027-01-19T17:00".to_owned())
        );
    })
    .await;
}

#[tokio::test]
async fn durations_resources_and_constraints_as_typed() {
    both(async |world: &World| {
        let version = world.version(world.p).await;
        // Several cells at once: one version, audited.
        let reply = edit(
            world,
            "b1",
            Some(version),
            json!({"name": "Backend services", "duration": "2w", "resources": "Ana Lima[50%]", "constraint": "fnlt 2027-02-26"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(reply.etag(), Some(version + 1));
        assert_eq!(reply.json["name"], "Backend services");
        assert_eq!(reply.json["duration_minutes"], 10 * 480);
        assert_eq!(reply.json["constraint"], "fnlt");
        assert_eq!(reply.json["constraint_date"], "2027-02-27T00:00:00", "the end of the 26th");
        let assignments = world
            .call(
                "pm",
                Method::GET,
                &format!("/api/v1/projects/{}/assignments?task=b1", world.p.0),
                None,
                None,
            )
            .await;
        assert_eq!(assignments.json["items"][0]["resource"], "ana");
        assert_eq!(assignments.json["items"][0]["units"], 50);
        let audit = world
            .call(
                "pm",
                Method::GET,
                &format!("/api/v1/projects/{}/audit?since_version={version}", world.p.0),
                None,
                None,
            )
            .await;
        let entities: Vec<&str> = audit.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["entity"].as_str().unwrap())
            .collect();
        assert!(entities.contains(&"task") && entities.contains(&"assignment"), "{entities:?}");

        // A zero duration is a milestone; elapsed days are elapsed.
        let reply = edit(world, "b1", reply.etag(), json!({"duration": "0"})).await;
        assert_eq!(reply.json["milestone"], true);
        let reply = edit(world, "b1", reply.etag(), json!({"duration": "4ed"})).await;
        assert_eq!(reply.json["milestone"], false);
        assert_eq!(reply.json["elapsed"], true);
        assert_eq!(reply.json["duration_minutes"], 4 * 1440);
        // The long words, and ASAP clears the date.
        let reply = edit(
            world,
            "b1",
            reply.etag(),
            json!({"constraint": "Must Start On 2027-01-20T13:00"}),
        )
        .await;
        assert_eq!(reply.json["constraint"], "mso");
        assert_eq!(reply.json["constraint_date"], "2027-01-20T13:00:00");
        let reply = edit(world, "b1", reply.etag(), json!({"constraint": "asap", "resources": ""})).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(reply.json["constraint"], "asap");
        assert_eq!(reply.json["constraint_date"], Value::Null);

        // What the plan already says writes nothing: no new version.
        let version = reply.etag().unwrap();
        let same = edit(world, "b1", Some(version), json!({"constraint": "ASAP"})).await;
        assert_eq!(same.status, StatusCode::OK, "{}", same.text);
        assert_eq!(same.etag(), Some(version));
        assert_eq!(world.version(world.p).await, version);
    })
    .await;
}

#[tokio::test]
async fn a_resource_that_stays_keeps_its_work() {
    both(async |world: &World| {
        let p = world.p.0;
        let version = world.version(world.p).await;
        let set = world
            .call(
                "pm",
                Method::PATCH,
                &format!("/api/v1/projects/{p}/assignments/a/ana"),
                Some(version),
                Some(json!({"work_minutes": 1200})),
            )
            .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.text);
        let reply = edit(world, "a", set.etag(), json!({"resources": "ana[50%]"})).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        let assignment = world
            .call(
                "pm",
                Method::GET,
                &format!("/api/v1/projects/{p}/assignments?task=a"),
                None,
                None,
            )
            .await;
        assert_eq!(assignment.json["items"][0]["units"], 50);
        assert_eq!(assignment.json["items"][0]["work_minutes"], 1200);
    })
    .await;
}
