//! Everything that differs between SQLite and PostgreSQL, in one place: how a target is
//! recognised, connection settings, how read and write transactions begin, and which migration
//! folder applies. The rest of the crate is portable SQL through the `Any` driver.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Any, Executor, SqlSafeStr, Transaction};

use crate::{Backend, Result, StoreError};

/// How many times a write transaction retries `BEGIN IMMEDIATE` after SQLite reported busy
/// (each try already waited the 30 s busy timeout): a lock held that long by another process is
/// reported rather than waited on forever.
const SQLITE_BEGIN_RETRIES: u32 = 3;
const SQLITE_READERS: u32 = 4;
const POSTGRES_CONNECTIONS: u32 = 16;

pub(crate) enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Target {
    pub(crate) fn parse(target: &str) -> Result<Target> {
        if target.starts_with("postgres://") || target.starts_with("postgresql://") {
            return Ok(Target::Postgres(target.to_owned()));
        }
        let path = target
            .strip_prefix("sqlite://")
            .or_else(|| target.strip_prefix("sqlite:"))
            .unwrap_or(target);
        // A URL's query (`?mode=...`) is ours to set; a plain path keeps every character.
        let path = if path.len() < target.len() {
            path.split('?').next().unwrap_or(path)
        } else {
            path
        };
        if path.is_empty() || path == ":memory:" {
            return Err(StoreError::Open {
                target: target.to_owned(),
                reason: "give a file path (an in-memory database would lose every write)".into(),
            });
        }
        Ok(Target::Sqlite(PathBuf::from(path)))
    }
}

/// The `sqlite://` URL of a file path. sqlx percent-decodes the path, so `%`, `?` and `#` are
/// encoded here; `mode=rwc` creates the file when missing.
fn sqlite_url(path: &Path, target: &str) -> Result<String> {
    let text = path.to_str().ok_or_else(|| StoreError::Open {
        target: target.to_owned(),
        reason: "the path is not valid UTF-8".into(),
    })?;
    let mut url = String::from("sqlite://");
    for c in text.chars() {
        match c {
            '%' => url.push_str("%25"),
            '?' => url.push_str("%3F"),
            '#' => url.push_str("%23"),
            _ => url.push(c),
        }
    }
    url.push_str("?mode=rwc");
    Ok(url)
}

/// Settings every SQLite connection needs, set on connect because they are per connection:
/// foreign keys (off by default in SQLite), a busy timeout of 30 s (how long SQLite waits for a
/// lock another *process* holds, e.g. `regie backup` beside the server, before [`begin_write`]
/// retries), and `synchronous = FULL` so a commit is on disk before it is acknowledged (WAL with
/// FULL survives power loss too, not only kill -9).
fn sqlite_options() -> AnyPoolOptions {
    AnyPoolOptions::new().after_connect(|conn, _meta| {
        Box::pin(async move {
            conn.execute("PRAGMA foreign_keys = ON").await?;
            conn.execute("PRAGMA busy_timeout = 30000").await?;
            conn.execute("PRAGMA synchronous = FULL").await?;
            Ok(())
        })
    })
}

pub(crate) async fn sqlite_pools(path: &Path, target: &str) -> Result<(AnyPool, AnyPool)> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
        && !dir.is_dir()
    {
        return Err(StoreError::Open {
            target: target.to_owned(),
            reason: format!("the folder {} does not exist", dir.display()),
        });
    }
    check_sqlite_header(path).map_err(|reason| StoreError::Open {
        target: target.to_owned(),
        reason,
    })?;
    let url = sqlite_url(path, target)?;
    let open_error = |error: sqlx::Error| StoreError::Open {
        target: target.to_owned(),
        reason: error.to_string(),
    };
    try_connect(&url).await.map_err(open_error)?;
    let write = sqlite_options()
        .max_connections(1)
        .min_connections(1)
        // Every writer of the process queues here; give the queue time to drain under load.
        .acquire_timeout(Duration::from_secs(120))
        .connect(&url)
        .await
        .map_err(open_error)?;
    // WAL lets readers go on while one writer writes. The mode is stored in the file, so setting
    // it once at open is enough; it needs the write connection.
    let mode: (String,) = sqlx::query_as("PRAGMA journal_mode = WAL")
        .fetch_one(&write)
        .await
        .map_err(open_error)?;
    if !mode.0.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Open {
            target: target.to_owned(),
            reason: format!("SQLite refused WAL mode (journal mode is {:?})", mode.0),
        });
    }
    let read = sqlite_options()
        .max_connections(SQLITE_READERS)
        .acquire_timeout(Duration::from_secs(60))
        .connect(&url)
        .await
        .map_err(open_error)?;
    Ok((read, write))
}

/// Refuses an existing file that is not a SQLite database before sqlx sees it: the pool would
/// otherwise retry the connection until its timeout. A missing or empty file is fine (SQLite
/// creates the database).
pub(crate) fn check_sqlite_header(path: &Path) -> std::result::Result<(), String> {
    use std::io::Read;
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error.to_string()),
    };
    let mut header = Vec::with_capacity(16);
    file.by_ref()
        .take(16)
        .read_to_end(&mut header)
        .map_err(|error| error.to_string())?;
    if header.is_empty() || header == b"SQLite format 3\0" {
        Ok(())
    } else {
        Err("the file is not a SQLite database".into())
    }
}

pub(crate) async fn postgres_pool(url: &str, target: &str) -> Result<AnyPool> {
    let open_error = |error: sqlx::Error| StoreError::Open {
        // The URL may hold a password.
        target: redact_url(target),
        reason: error.to_string(),
    };
    try_connect(url).await.map_err(open_error)?;
    AnyPoolOptions::new()
        .max_connections(POSTGRES_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(60))
        .connect(url)
        .await
        .map_err(open_error)
}

/// One plain connection before the pool: a pool retries a failing connection until its
/// acquire timeout, so a wrong URL, a refused port or an unreadable file would take a minute to
/// report; this reports it at once.
async fn try_connect(url: &str) -> std::result::Result<(), sqlx::Error> {
    use sqlx::Connection;
    let conn = sqlx::AnyConnection::connect(url).await?;
    conn.close().await
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Begins a write transaction.
///
/// SQLite: `BEGIN IMMEDIATE` takes the write lock up front. A plain (deferred) `BEGIN` would take
/// it at the first write, and in WAL mode that upgrade fails with SQLITE_BUSY at once, without
/// waiting, whenever another connection committed in between — the "database is locked" errors
/// other tools show under concurrent writes. Within this process the single-connection write
/// pool already serialises writers; the busy timeout and the retry here cover other processes.
///
/// PostgreSQL: `READ COMMITTED`. Writes start by bumping the project's version row
/// (`UPDATE ... WHERE version = $expected`), which locks the row: concurrent writers to one
/// project queue on it, and a writer that waited sees the new version and gets `Stale`.
pub(crate) async fn begin_write(
    backend: Backend,
    pool: &AnyPool,
) -> Result<Transaction<'static, Any>> {
    match backend {
        Backend::Postgres => Ok(pool.begin().await?),
        Backend::Sqlite => {
            let mut attempt = 0;
            loop {
                match pool.begin_with("BEGIN IMMEDIATE").await {
                    Ok(tx) => return Ok(tx),
                    Err(error) if is_sqlite_busy(&error) && attempt < SQLITE_BEGIN_RETRIES => {
                        attempt += 1;
                        tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt))).await;
                    }
                    Err(error) => return Err(error.into()),
                }
            }
        }
    }
}

/// Begins a read-only transaction with one snapshot for all its statements. SQLite's deferred
/// transaction already reads one snapshot in WAL mode; PostgreSQL's default (READ COMMITTED)
/// would give each statement its own, so a project could be read half before and half after a
/// change.
pub(crate) async fn begin_read(
    backend: Backend,
    pool: &AnyPool,
) -> Result<Transaction<'static, Any>> {
    match backend {
        Backend::Sqlite => Ok(pool.begin().await?),
        Backend::Postgres => Ok(pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?),
    }
}

fn is_sqlite_busy(error: &sqlx::Error) -> bool {
    match error {
        // SQLITE_BUSY is 5; its extended codes keep 5 in the low byte.
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i32>().ok())
            .is_some_and(|code| code & 0xff == 5),
        _ => false,
    }
}

/// One migration per version, in both dialects. Adding a version means adding a file to both
/// folders and a line to each list; `tests` check the two lists have the same versions.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "initial",
    include_str!("../migrations/sqlite/0001_initial.sql"),
)];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "initial",
    include_str!("../migrations/postgres/0001_initial.sql"),
)];

/// The migrations compiled into the binary (sqlx's `migrate!` macro would need the `macros`
/// feature and its build time; this is the same `Migrator`, built by hand).
pub(crate) fn migrator(backend: Backend) -> Migrator {
    let list = match backend {
        Backend::Sqlite => SQLITE_MIGRATIONS,
        Backend::Postgres => POSTGRES_MIGRATIONS,
    };
    let migrations = list
        .iter()
        .map(|&(version, description, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(description),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

/// The migration versions of each dialect, for the test that they match.
pub fn migration_versions(backend: Backend) -> Vec<i64> {
    migrator(backend).iter().map(|m| m.version).collect()
}
