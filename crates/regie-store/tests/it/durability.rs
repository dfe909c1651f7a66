//! kill -9 loses no acknowledged write: a child process (this test binary, re-run in child
//! mode) adds tasks and reports each one after `apply` returns; the parent kills it with SIGKILL
//! mid-stream and then finds every reported task in the database.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use regie_core::{Project, Task};
use regie_store::{Change, Store};

const CHILD_ENV: &str = "REGIE_STORE_TEST_CHILD_DB";
const ACKS_BEFORE_KILL: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_acknowledged_write() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        return child(&path).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regie.db");
    let path_text = path.to_str().unwrap();
    let store = Store::open(path_text).await.unwrap();
    store.migrate().await.unwrap();
    let project = Project::new("Durable", jiff::civil::datetime(2027, 1, 4, 8, 0, 0, 0));
    let id = store.create_project(&project, None).await.unwrap();
    store.close().await;

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "durability::kill_9_loses_no_acknowledged_write",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, path_text)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut acknowledged = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(uid) = line.strip_prefix("ack ") {
            acknowledged.push(uid.to_owned());
            if acknowledged.len() == ACKS_BEFORE_KILL {
                break;
            }
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let _ = child.wait();
    assert_eq!(
        acknowledged.len(),
        ACKS_BEFORE_KILL,
        "the child stopped early"
    );

    let store = Store::open(path_text).await.unwrap();
    let loaded = store.load_project(id).await.unwrap();
    for uid in &acknowledged {
        assert!(
            loaded.project.tasks.iter().any(|t| &t.uid == uid),
            "acknowledged task {uid} was lost"
        );
    }
    assert!(loaded.summary.version > ACKS_BEFORE_KILL as i64);
    store.close().await;
}

/// Writes until killed, printing each acknowledged write.
async fn child(path: &str) {
    let store = Store::open(path).await.unwrap();
    let id = store.find_project("Durable").await.unwrap().unwrap();
    let mut version = store.project_version(id).await.unwrap();
    let mut stdout = std::io::stdout();
    for i in 0.. {
        let uid = format!("k{i}");
        version = store
            .apply(
                id,
                version,
                None,
                &[Change::AddTask {
                    task: Task::new(&uid, "written before the kill"),
                    parent: None,
                    before: None,
                }],
            )
            .await
            .unwrap();
        writeln!(stdout, "ack {uid}").unwrap();
        stdout.flush().unwrap();
    }
}
