//! Opening a store that cannot be opened says why, at once, naming the target (and never a
//! password).

use std::time::{Duration, Instant};

use regie_store::{Store, StoreError};

async fn open_error(target: &str) -> String {
    let started = Instant::now();
    let error = match Store::open(target).await {
        Ok(_) => panic!("{target} opened"),
        Err(error) => error,
    };
    assert!(matches!(error, StoreError::Open { .. }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    error.to_string()
}

#[tokio::test]
async fn open_errors_name_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/folder/regie.db");
    assert_eq!(
        open_error(missing.to_str().unwrap()).await,
        format!(
            "cannot open the database {}: the folder {} does not exist",
            missing.display(),
            missing.parent().unwrap().display()
        )
    );
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all").unwrap();
    assert_eq!(
        open_error(text.to_str().unwrap()).await,
        format!(
            "cannot open the database {}: the file is not a SQLite database",
            text.display()
        )
    );
    assert!(open_error(":memory:").await.contains("give a file path"));
    assert!(
        open_error("sqlite::memory:")
            .await
            .contains("give a file path")
    );
    // Nothing listens on port 1; the password stays out of the message.
    let message = open_error("postgres://regie:sekrit@127.0.0.1:1/regie").await;
    assert!(
        message.starts_with("cannot open the database postgres://regie:***@127.0.0.1:1/regie: "),
        "{message}"
    );
    assert!(!message.contains("sekrit"));
}

#[tokio::test]
async fn paths_with_url_characters_open_as_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd name #1 ?x=y %41.db");
    let store = Store::open(path.to_str().unwrap()).await.unwrap();
    store.migrate().await.unwrap();
    // Migrating twice is harmless.
    store.migrate().await.unwrap();
    store.close().await;
    assert!(
        path.is_file(),
        "the database is the file named, not a URL's reading of it"
    );
}
