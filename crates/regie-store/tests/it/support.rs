//! The databases the suite runs on: a SQLite file in a temporary folder, and PostgreSQL in a
//! fresh schema of the server named by `REGIE_TEST_PG_URL` (dropped afterwards), so parallel
//! test runs never see each other's rows.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

use regie_store::Store;
use sqlx::{AssertSqlSafe, Connection, Executor};

pub struct TestDb {
    pub store: Store,
    /// The SQLite file, `None` on PostgreSQL.
    pub path: Option<PathBuf>,
    _dir: Option<tempfile::TempDir>,
    schema: Option<Schema>,
}

/// A PostgreSQL schema dropped when the test ends, also when it fails.
struct Schema {
    base_url: String,
    name: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        let base_url = self.base_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread with a
        // runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut conn = sqlx::AnyConnection::connect(&base_url).await.ok()?;
                conn.execute(AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS {name} CASCADE"
                )))
                .await
                .ok()?;
                conn.close().await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            let _ = writeln!(
                std::io::stderr(),
                "could not drop the test schema {}",
                self.name
            );
        }
    }
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("regie.db");
    let url = path.to_str().expect("a UTF-8 temporary path").to_owned();
    let store = Store::open(&url).await.expect("open SQLite");
    store.migrate().await.expect("migrate SQLite");
    TestDb {
        store,
        path: Some(path),
        _dir: Some(dir),
        schema: None,
    }
}

/// The PostgreSQL URL, or `None` after saying (once per test binary, past the test harness's
/// output capture) that the PostgreSQL half of the suite is skipped.
pub fn pg_url() -> Option<String> {
    static SAID: Once = Once::new();
    match std::env::var("REGIE_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            SAID.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "skipping PostgreSQL: REGIE_TEST_PG_URL is unset"
                );
            });
            None
        }
    }
}

pub async fn postgres() -> Option<TestDb> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let base_url = pg_url()?;
    sqlx::any::install_default_drivers();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "regie_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    );
    let mut conn = sqlx::AnyConnection::connect(&base_url)
        .await
        .expect("connect to REGIE_TEST_PG_URL");
    conn.execute(AssertSqlSafe(format!("CREATE SCHEMA {name}")))
        .await
        .expect("create the test schema");
    conn.close().await.expect("close");
    let schema = Schema {
        base_url: base_url.clone(),
        name: name.clone(),
    };
    let separator = if base_url.contains('?') { '&' } else { '?' };
    let url = format!("{base_url}{separator}options=-c%20search_path%3D{name}");
    let store = Store::open(&url).await.expect("open PostgreSQL");
    store.migrate().await.expect("migrate PostgreSQL");
    Some(TestDb {
        store,
        path: None,
        _dir: None,
        schema: Some(schema),
    })
}

impl TestDb {
    /// Closes the pools before the schema or folder goes.
    pub async fn finish(self) {
        self.store.close().await;
        drop(self.schema);
    }
}

/// Runs `$case(&TestDb)` once on SQLite and once on PostgreSQL, as two tests named
/// `<case>::sqlite` and `<case>::postgres`.
#[macro_export]
macro_rules! on_both {
    ($($case:ident),* $(,)?) => {$(
        mod $case {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let db = $crate::support::sqlite().await;
                super::$case(&db).await;
                db.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let Some(db) = $crate::support::postgres().await else {
                    return;
                };
                super::$case(&db).await;
                db.finish().await;
            }
        }
    )*};
}

/// The example project of the repository, parsed.
pub fn example() -> regie_core::Project {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/crm-migration.kdl"
    );
    let text = std::fs::read_to_string(path).expect("read the example project");
    match regie_lang::parse("crm-migration.kdl", &text) {
        Ok(parsed) => parsed.project,
        Err(_) => panic!("examples/crm-migration.kdl does not parse"),
    }
}
