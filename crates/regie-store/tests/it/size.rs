//! How long saving and loading a large plan takes: printed, not asserted (run with
//! `cargo test -p regie-store --release -- --ignored size`).

use std::io::Write;
use std::time::Instant;

use crate::support::{self, TestDb};

async fn measure(db: &TestDb, tasks: usize) {
    let mut project = regie_core::generate::layered_network(tasks, 1.5, 7);
    // The generator may link a pair twice; the store keeps one link per pair.
    let mut seen = std::collections::HashSet::new();
    project
        .links
        .retain(|link| seen.insert((link.pred, link.succ)));
    for r in 0..tasks / 20 {
        project.resources.push(regie_core::Resource::new(
            format!("r{r}"),
            format!("Person {r}"),
        ));
    }
    for t in 0..project.tasks.len() {
        project.assignments.push(regie_core::Assignment {
            task: regie_core::TaskId(t as u32),
            resource: regie_core::ResourceId((t % (tasks / 20)) as u32),
            units: 100,
            work: None,
        });
    }
    let started = Instant::now();
    let id = db.store.create_project(&project, None).await.unwrap();
    let saved = started.elapsed();
    let started = Instant::now();
    let loaded = db.store.load_project(id).await.unwrap();
    let load = started.elapsed();
    assert_eq!(loaded.project, project);
    let _ = writeln!(
        std::io::stderr(),
        "{:?}: {} tasks, {} links, {} assignments: save {:.0} ms, load {:.0} ms",
        db.store.backend(),
        project.tasks.len(),
        project.links.len(),
        project.assignments.len(),
        saved.as_secs_f64() * 1000.0,
        load.as_secs_f64() * 1000.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, not a check"]
async fn size_save_and_load_a_large_plan() {
    let db = support::sqlite().await;
    measure(&db, 5000).await;
    db.finish().await;
    if let Some(db) = support::postgres().await {
        measure(&db, 5000).await;
        db.finish().await;
    }
}
