//! 50 concurrent writers: no error ever reaches them (no "database is locked"), every
//! acknowledged write is in the database afterwards, and the version counts every write. The
//! measured throughput is printed, not asserted.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use regie_core::{Project, Task};
use regie_store::{AuditQuery, Change, Page, ProjectId, Store, StoreError};

use crate::on_both;
use crate::support::TestDb;

on_both!(fifty_concurrent_writers);

const WRITERS: usize = 50;
/// Updates per writer, per phase.
const UPDATES: usize = 20;
/// Phase two puts this many writers on each project, so they race for its version.
const WRITERS_PER_SHARED_PROJECT: usize = 10;

fn project(name: &str, tasks: usize) -> Project {
    let mut project = Project::new(name, jiff::civil::datetime(2027, 1, 4, 8, 0, 0, 0));
    for i in 0..tasks {
        project
            .tasks
            .push(Task::new(format!("t{i}"), format!("Task {i}")));
    }
    project
}

fn update(uid: &str, writer: usize, step: usize) -> Change {
    let mut task = Task::new(uid, format!("Task written by {writer}"));
    task.notes = format!("w{writer}-{step}");
    task.progress.percent_complete = step as u8;
    Change::UpdateTask {
        uid: uid.into(),
        task,
    }
}

/// Each writer applies `UPDATES` changes to its task, reloading the version and retrying when
/// another writer got there first (a `Stale` answer is the designed outcome, not an error).
/// Returns (acknowledged writes, stale retries, elapsed seconds).
async fn run(store: &Store, targets: Vec<(ProjectId, String)>) -> (u64, u64, f64) {
    let acknowledged = Arc::new(AtomicU64::new(0));
    let stale = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut handles = Vec::new();
    for (writer, (project, uid)) in targets.into_iter().enumerate() {
        let store = store.clone();
        let acknowledged = acknowledged.clone();
        let stale = stale.clone();
        handles.push(tokio::spawn(async move {
            for step in 0..UPDATES {
                let mut version = store.project_version(project).await?;
                loop {
                    match store
                        .apply(project, version, None, &[update(&uid, writer, step)])
                        .await
                    {
                        Ok(_) => break,
                        Err(StoreError::Stale { current, .. }) => {
                            stale.fetch_add(1, Ordering::Relaxed);
                            version = current;
                        }
                        Err(error) => return Err(error),
                    }
                }
                acknowledged.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<(), StoreError>(())
        }));
    }
    let mut errors = Vec::new();
    for handle in handles {
        match handle.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => errors.push(error.to_string()),
            Err(panic) => errors.push(panic.to_string()),
        }
    }
    assert!(errors.is_empty(), "writers saw errors: {errors:?}");
    (
        acknowledged.load(Ordering::Relaxed),
        stale.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
    )
}

async fn check_final_state(
    store: &Store,
    project: ProjectId,
    writers: &[(usize, String)],
    updates: usize,
) {
    let loaded = store.load_project(project).await.unwrap();
    for (writer, uid) in writers {
        let task = loaded.project.tasks.iter().find(|t| &t.uid == uid).unwrap();
        assert_eq!(
            task.notes,
            format!("w{writer}-{}", updates - 1),
            "last write of writer {writer}"
        );
    }
    let expected_writes = (writers.len() * updates) as i64;
    assert_eq!(
        loaded.summary.version,
        1 + expected_writes,
        "one version per acknowledged write"
    );
    let log = store
        .audit_log(
            project,
            AuditQuery {
                page: Page::first(Page::MAX_LIMIT),
                since_version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        log.iter().filter(|e| e.entity == "task").count() as i64,
        expected_writes
    );
}

async fn fifty_concurrent_writers(db: &TestDb) {
    let store = &db.store;
    // Phase one: every writer on its own project (no optimistic conflicts; SQLite's single
    // writer lock is still shared by all).
    let mut own = Vec::new();
    for writer in 0..WRITERS {
        let id = store
            .create_project(&project(&format!("own-{writer}"), 1), None)
            .await
            .unwrap();
        own.push((id, "t0".to_owned()));
    }
    let (acked, stale, seconds) = run(store, own.clone()).await;
    assert_eq!(acked as usize, WRITERS * UPDATES);
    assert_eq!(stale, 0);
    for (writer, (id, uid)) in own.iter().enumerate() {
        check_final_state(store, *id, &[(writer, uid.clone())], UPDATES).await;
    }
    let backend = format!("{:?}", store.backend());
    let _ = writeln!(
        std::io::stderr(),
        "{backend}: {WRITERS} writers x {UPDATES} updates, one project each: {acked} writes in {seconds:.2} s = {:.0} writes/s",
        acked as f64 / seconds
    );

    // Phase two: ten writers per project, racing for the version.
    let mut shared_projects = Vec::new();
    for p in 0..WRITERS / WRITERS_PER_SHARED_PROJECT {
        let id = store
            .create_project(
                &project(&format!("shared-{p}"), WRITERS_PER_SHARED_PROJECT),
                None,
            )
            .await
            .unwrap();
        shared_projects.push(id);
    }
    let targets: Vec<(ProjectId, String)> = (0..WRITERS)
        .map(|w| {
            (
                shared_projects[w / WRITERS_PER_SHARED_PROJECT],
                format!("t{}", w % WRITERS_PER_SHARED_PROJECT),
            )
        })
        .collect();
    let (acked, stale, seconds) = run(store, targets).await;
    assert_eq!(acked as usize, WRITERS * UPDATES);
    for (p, id) in shared_projects.iter().enumerate() {
        let writers: Vec<(usize, String)> = (0..WRITERS_PER_SHARED_PROJECT)
            .map(|t| (p * WRITERS_PER_SHARED_PROJECT + t, format!("t{t}")))
            .collect();
        check_final_state(store, *id, &writers, UPDATES).await;
    }
    let _ = writeln!(
        std::io::stderr(),
        "{backend}: {WRITERS} writers x {UPDATES} updates, {WRITERS_PER_SHARED_PROJECT} per project: {acked} writes in {seconds:.2} s = {:.0} writes/s ({stale} stale retries)",
        acked as f64 / seconds
    );
}

/// Several stores on one SQLite file, as a server and a command line beside it would be: their
/// writers meet in SQLite's own lock, where `BEGIN IMMEDIATE` and the busy timeout make them wait
/// instead of failing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stores_sharing_one_sqlite_file() {
    const STORES: usize = 3;
    let db = crate::support::sqlite().await;
    let path = db.path.clone().unwrap();
    let mut stores = vec![db.store.clone()];
    for _ in 1..STORES {
        stores.push(Store::open(path.to_str().unwrap()).await.unwrap());
    }
    let mut targets = Vec::new();
    for (s, store) in stores.iter().enumerate() {
        let mut mine = Vec::new();
        for w in 0..WRITERS / STORES {
            let id = store
                .create_project(&project(&format!("s{s}-w{w}"), 1), None)
                .await
                .unwrap();
            mine.push((id, "t0".to_owned()));
        }
        targets.push(mine);
    }
    let started = Instant::now();
    let runs: Vec<_> = stores
        .iter()
        .zip(targets.clone())
        .map(|(store, mine)| {
            let store = store.clone();
            tokio::spawn(async move { run(&store, mine).await })
        })
        .collect();
    let mut results = Vec::new();
    for handle in runs {
        results.push(handle.await.unwrap());
    }
    let seconds = started.elapsed().as_secs_f64();
    let acked: u64 = results.iter().map(|r| r.0).sum();
    assert_eq!(acked as usize, STORES * (WRITERS / STORES) * UPDATES);
    for (store, mine) in stores.iter().zip(&targets) {
        for (writer, (id, uid)) in mine.iter().enumerate() {
            check_final_state(store, *id, &[(writer, uid.clone())], UPDATES).await;
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "Sqlite: {STORES} stores on one file, {acked} writes in {seconds:.2} s = {:.0} writes/s",
        acked as f64 / seconds
    );
    for store in &stores[1..] {
        store.close().await;
    }
    db.finish().await;
}
