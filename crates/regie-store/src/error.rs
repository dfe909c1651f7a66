//! The one error type of the store. Every variant names the thing it is about, so the web layer
//! can turn it into a message (and an HTTP status) without looking at SQL.

/// What went wrong in a store operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Optimistic concurrency: the caller edited the project at an older version. Nothing was
    /// written; reload at `current` and try again.
    #[error(
        "project {project:?} has changed: it is at version {current}, the change was made at version {expected}"
    )]
    Stale {
        project: String,
        expected: i64,
        current: i64,
    },
    /// A thing looked up by id, uid or name does not exist.
    #[error("{0} does not exist")]
    NotFound(String),
    /// A unique name or id is taken, e.g. `a task with uid "3.2" already exists in project "CRM"`.
    #[error("{0} already exists")]
    Conflict(String),
    /// The change is not allowed as asked (it names why), e.g. deleting a task that has subtasks.
    #[error("{0}")]
    Invalid(String),
    /// The database rejected a value (a CHECK or NOT NULL constraint): a bug in the caller's
    /// validation rather than a user error, reported with the constraint's text.
    #[error("the database refused the change: {0}")]
    Constraint(String),
    /// A stored value could not be read back into the model (a column edited by hand, or a
    /// newer schema): names the table, the column and the value.
    #[error("corrupt value in {table}.{column}: {value:?} ({reason})")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        value: String,
        reason: String,
    },
    /// The database URL or path cannot be used.
    #[error("cannot open the database {target}: {reason}")]
    Open { target: String, reason: String },
    /// A backup or restore problem, naming the file.
    #[error("{0}")]
    Backup(String),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error (connection lost, disk full, ...).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Maps a constraint violation to a [`StoreError`] naming the thing, or keeps the raw error.
/// `unique` says what a unique violation means in this statement ("a task with uid ...").
pub(crate) fn classify(error: sqlx::Error, unique: impl FnOnce() -> String) -> StoreError {
    if let sqlx::Error::Database(db) = &error {
        match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => return StoreError::Conflict(unique()),
            sqlx::error::ErrorKind::CheckViolation
            | sqlx::error::ErrorKind::NotNullViolation
            | sqlx::error::ErrorKind::ForeignKeyViolation => {
                return StoreError::Constraint(db.message().to_owned());
            }
            _ => {}
        }
    }
    StoreError::Database(error)
}
