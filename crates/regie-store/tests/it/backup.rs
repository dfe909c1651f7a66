//! Online backup and restore of the SQLite store.

use regie_core::Task;
use regie_store::{Change, NewUser, Store, StoreError};

use crate::roundtrip::kitchen_sink;
use crate::support::{self, example};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backup_then_restore_brings_back_the_backed_up_state() {
    let db = support::sqlite().await;
    let store = &db.store;
    let id = store.create_project(&example(), None).await.unwrap();
    store
        .create_user(&NewUser {
            login: "ana".into(),
            display_name: "Ana".into(),
            ..NewUser::default()
        })
        .await
        .unwrap();
    let backup_file = db.path.as_ref().unwrap().with_file_name("backup.db");

    // Writers go on during the backup; the copy is one consistent snapshot.
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut version = 1;
            for i in 0..20 {
                version = store
                    .apply(
                        id,
                        version,
                        None,
                        &[Change::AddTask {
                            task: Task::new(format!("during-{i}"), "x"),
                            parent: None,
                            before: None,
                        }],
                    )
                    .await?;
            }
            Ok::<i64, StoreError>(version)
        })
    };
    store.backup(&backup_file).await.unwrap();
    let version = writer.await.unwrap().unwrap();
    assert_eq!(version, 21);

    // The backup is a store of its own, with a version and its tasks matching.
    let copy = Store::open(backup_file.to_str().unwrap()).await.unwrap();
    let copied = copy.load_project(id).await.unwrap();
    let during = copied
        .project
        .tasks
        .iter()
        .filter(|t| t.uid.starts_with("during-"))
        .count() as i64;
    assert_eq!(copied.summary.version, 1 + during, "a consistent snapshot");
    copy.close().await;

    // Changes after the backup, then restore: the backup's state comes back, online.
    let after = store.create_project(&kitchen_sink(), None).await.unwrap();
    store.restore(&backup_file).await.unwrap();
    let restored = store.load_project(id).await.unwrap();
    assert_eq!(restored, copied);
    assert!(matches!(
        store.load_project(after).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store.user_by_login("ana").await.unwrap().is_some());
    // The store still takes writes after a restore.
    let next = store
        .apply(
            id,
            restored.summary.version,
            None,
            &[Change::DeleteTask {
                uid: "kickoff".into(),
            }],
        )
        .await
        .unwrap();
    assert_eq!(next, restored.summary.version + 1);
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_refuses_to_overwrite_and_restore_refuses_foreign_files() {
    let db = support::sqlite().await;
    let store = &db.store;
    let id = store.create_project(&example(), None).await.unwrap();
    let folder = db.path.as_ref().unwrap().parent().unwrap().to_path_buf();

    let existing = folder.join("existing.db");
    std::fs::write(&existing, b"keep me").unwrap();
    let error = store.backup(&existing).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{} already exists: back up to a new file",
            existing.display()
        )
    );
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");

    let error = store.restore(&existing).await.unwrap_err();
    assert!(
        error.to_string().contains("is not a Regie backup"),
        "{error}"
    );
    let empty = folder.join("empty.db");
    sqlx::any::install_default_drivers();
    let plain = Store::open(empty.to_str().unwrap()).await.unwrap();
    plain.close().await;
    let error = store.restore(&empty).await.unwrap_err();
    assert!(
        error.to_string().contains("has no migration history"),
        "{error}"
    );
    let missing = folder.join("missing.db");
    assert!(store.restore(&missing).await.is_err());
    // Nothing happened to the store.
    assert_eq!(store.load_project(id).await.unwrap().project, example());
    db.finish().await;
}

#[tokio::test]
async fn postgres_backup_points_to_pg_dump() {
    let Some(db) = support::postgres().await else {
        return;
    };
    let error = db
        .store
        .backup(std::path::Path::new("/tmp/never-written.db"))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("pg_dump"), "{error}");
    db.finish().await;
}
