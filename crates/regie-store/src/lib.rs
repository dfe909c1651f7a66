//! Regie's persistence: the schema, its migrations for SQLite and PostgreSQL, and a typed API
//! over them. Only this crate knows SQL.
//!
//! One [`Store`] serves both databases through sqlx's `Any` driver, so every query is written
//! once with `$n` placeholders and bound parameters (sqlx 0.9 only accepts `&'static str` SQL,
//! which keeps values out of the text). What must differ between the two databases — the
//! connection settings, how a write transaction begins, the migrations — lives in
//! [`dialect`] and in the two migration folders, which keep the same versions.
//!
//! The shape of a change, as a web handler uses it: [`Store::load_project`] returns the model and
//! its version; [`Store::apply`] takes that version back with a list of [`Change`]s and, in one
//! transaction, checks the version is still current (else [`StoreError::Stale`], nothing
//! written), applies the changes, writes one audit row per changed thing with its old and new
//! value as JSON, and bumps the version. [`Store::replace_project`] does the same for a whole
//! plan uploaded again, with audit rows for what differs.
//!
//! Edges: the store does not validate scheduling semantics (cycles, dates in order) — that is
//! the model's and the engine's job — but it keeps referential integrity and uniqueness, and
//! reports them naming the thing. It stores hashes of secrets, never the secrets; hashing is the
//! caller's (the web layer owns argon2 and token generation).

mod audit;
mod backup;
mod change;
mod codec;
pub mod dialect;
mod error;
mod project;
mod users;

use sqlx::AnyPool;

pub use audit::{AuditEntry, AuditQuery};
pub use change::{Change, ProjectSettings};
pub use error::{Result, StoreError};
pub use project::{LoadedProject, Page, ProjectSummary};
pub use users::{
    ApiToken, Client, LoginAttempt, Membership, NewUser, Role, Session, User, UserUpdate,
};

/// The name of the SQLite file in a data directory, when the command line opens the default
/// store (`regie serve` without `--db`).
pub const SQLITE_FILE_NAME: &str = "regie.db";

/// Which database a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A project's id in the store (not in the model: the model has no identity of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProjectId(pub i64);

/// A user's id in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(pub i64);

/// A client organisation's id in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientId(pub i64);

/// The database, opened. Cheap to clone (the pools are shared).
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
    /// Reads. On SQLite several connections read in parallel with the writer (WAL).
    read: AnyPool,
    /// Writes. On SQLite a pool of exactly one connection: SQLite has one writer at a time
    /// anyway, and queueing in the pool instead of in SQLite's lock is what keeps "database is
    /// locked" away from callers. On PostgreSQL the same pool as `read`.
    write: AnyPool,
    /// The SQLite file, for backups; `None` on PostgreSQL.
    sqlite_path: Option<std::path::PathBuf>,
}

impl Store {
    /// Opens (and on SQLite creates) the database named by `target`: a `postgres://` or
    /// `postgresql://` URL selects PostgreSQL, a `sqlite:` URL or anything else is a SQLite file
    /// path. Does not migrate: call [`Store::migrate`].
    pub async fn open(target: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let target_kind = dialect::Target::parse(target)?;
        match target_kind {
            dialect::Target::Postgres(url) => {
                let pool = dialect::postgres_pool(&url, target).await?;
                Ok(Store {
                    backend: Backend::Postgres,
                    read: pool.clone(),
                    write: pool,
                    sqlite_path: None,
                })
            }
            dialect::Target::Sqlite(path) => {
                let (read, write) = dialect::sqlite_pools(&path, target).await?;
                Ok(Store {
                    backend: Backend::Sqlite,
                    read,
                    write,
                    sqlite_path: Some(path),
                })
            }
        }
    }

    /// Brings the schema up to date (idempotent). The migrations are compiled into the binary.
    pub async fn migrate(&self) -> Result<()> {
        let migrator = dialect::migrator(self.backend);
        let mut conn = self.write.acquire().await?;
        migrator.run(&mut *conn).await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pools, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// Begins the transaction every write goes through (see [`dialect::begin_write`]).
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        dialect::begin_write(self.backend, &self.write).await
    }

    /// Begins a read-only transaction that sees one consistent snapshot.
    pub(crate) async fn begin_read(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        dialect::begin_read(self.backend, &self.read).await
    }
}

/// Milliseconds since the Unix epoch, the store's representation of an instant.
pub(crate) fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

pub(crate) fn to_ms(at: jiff::Timestamp) -> i64 {
    at.as_millisecond()
}

pub(crate) fn from_ms(ms: i64) -> Result<jiff::Timestamp> {
    jiff::Timestamp::from_millisecond(ms).map_err(|error| StoreError::Corrupt {
        table: "(instant)",
        column: "(milliseconds)",
        value: ms.to_string(),
        reason: error.to_string(),
    })
}
