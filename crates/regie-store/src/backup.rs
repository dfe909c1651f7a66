//! Online backup and restore of the SQLite store (`regie backup FILE`, `regie restore FILE`).
//!
//! Backup is `VACUUM INTO`: one read transaction, so the copy is consistent while writers go on,
//! and the copy is compact. Restore replaces every row in one write transaction, so readers see
//! the old data or the new, never a mix, and a failed restore leaves the store as it was. The
//! backup is first copied aside and migrated, so a backup from an older Regie restores into the
//! current schema. PostgreSQL has its own tools (`pg_dump`); these refuse it by name.

use std::path::{Path, PathBuf};

use sqlx::Executor;

use crate::{Backend, Result, Store, StoreError};

/// Every table, parents before children: the order rows are copied in.
const TABLES: &[(&str, &str)] = &[
    (
        "DELETE FROM main.clients",
        "INSERT INTO main.clients SELECT * FROM restore_source.clients",
    ),
    (
        "DELETE FROM main.users",
        "INSERT INTO main.users SELECT * FROM restore_source.users",
    ),
    (
        "DELETE FROM main.projects",
        "INSERT INTO main.projects SELECT * FROM restore_source.projects",
    ),
    (
        "DELETE FROM main.calendars",
        "INSERT INTO main.calendars SELECT * FROM restore_source.calendars",
    ),
    (
        "DELETE FROM main.calendar_exceptions",
        "INSERT INTO main.calendar_exceptions SELECT * FROM restore_source.calendar_exceptions",
    ),
    (
        "DELETE FROM main.tasks",
        "INSERT INTO main.tasks SELECT * FROM restore_source.tasks",
    ),
    (
        "DELETE FROM main.links",
        "INSERT INTO main.links SELECT * FROM restore_source.links",
    ),
    (
        "DELETE FROM main.resources",
        "INSERT INTO main.resources SELECT * FROM restore_source.resources",
    ),
    (
        "DELETE FROM main.assignments",
        "INSERT INTO main.assignments SELECT * FROM restore_source.assignments",
    ),
    (
        "DELETE FROM main.memberships",
        "INSERT INTO main.memberships SELECT * FROM restore_source.memberships",
    ),
    (
        "DELETE FROM main.sessions",
        "INSERT INTO main.sessions SELECT * FROM restore_source.sessions",
    ),
    (
        "DELETE FROM main.api_tokens",
        "INSERT INTO main.api_tokens SELECT * FROM restore_source.api_tokens",
    ),
    (
        "DELETE FROM main.audit_log",
        "INSERT INTO main.audit_log SELECT * FROM restore_source.audit_log",
    ),
    (
        "DELETE FROM main.login_attempts",
        "INSERT INTO main.login_attempts SELECT * FROM restore_source.login_attempts",
    ),
];

impl Store {
    fn sqlite_file(&self, what: &str) -> Result<&Path> {
        match (self.backend, &self.sqlite_path) {
            (Backend::Sqlite, Some(path)) => Ok(path),
            _ => Err(StoreError::Backup(format!(
                "{what} works on the SQLite store only; for PostgreSQL use pg_dump and pg_restore"
            ))),
        }
    }

    /// Writes a consistent copy of the database to `file`, which must not exist yet.
    pub async fn backup(&self, file: &Path) -> Result<()> {
        self.sqlite_file("backup")?;
        if file.exists() {
            return Err(StoreError::Backup(format!(
                "{} already exists: back up to a new file",
                file.display()
            )));
        }
        let target = path_text(file)?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.read)
            .await
            .map_err(|error| {
                StoreError::Backup(format!("cannot back up to {}: {error}", file.display()))
            })?;
        Ok(())
    }

    /// Replaces the whole content of the store with the backup in `file`, online.
    pub async fn restore(&self, file: &Path) -> Result<()> {
        let own = self.sqlite_file("restore")?.to_path_buf();
        if !file.is_file() {
            return Err(StoreError::Backup(format!(
                "{} is not a file",
                file.display()
            )));
        }
        let staging = staging_path(&own);
        let result = self.restore_via(file, &staging).await;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = staging.clone().into_os_string();
            name.push(suffix);
            // Best effort: a leftover staging file is harmless and overwritten next time.
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
        result
    }

    async fn restore_via(&self, file: &Path, staging: &Path) -> Result<()> {
        crate::dialect::check_sqlite_header(file).map_err(|reason| {
            StoreError::Backup(format!(
                "{} is not a Regie backup: {reason}",
                file.display()
            ))
        })?;
        std::fs::copy(file, staging).map_err(|error| {
            StoreError::Backup(format!(
                "cannot copy {} to {}: {error}",
                file.display(),
                staging.display()
            ))
        })?;
        // Bring the copy to this version's schema, so both have the same tables and columns.
        {
            let source = Store::open(&staging.to_string_lossy())
                .await
                .map_err(|error| {
                    StoreError::Backup(format!("{} is not a Regie backup: {error}", file.display()))
                })?;
            let history: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
            )
            .fetch_one(&source.read)
            .await
            .map_err(|error| StoreError::Backup(format!("{} is not a Regie backup: {error}", file.display())))?;
            if history == 0 {
                source.close().await;
                return Err(StoreError::Backup(format!(
                    "{} is not a Regie backup (it has no migration history)",
                    file.display()
                )));
            }
            let migrated = source.migrate().await;
            source.close().await;
            migrated.map_err(|error| {
                StoreError::Backup(format!(
                    "cannot bring {} to this version's schema: {error}",
                    file.display()
                ))
            })?;
        }
        let mut conn = self.write.acquire().await?;
        sqlx::query("ATTACH DATABASE $1 AS restore_source")
            .bind(path_text(staging)?)
            .execute(&mut *conn)
            .await?;
        let copied = copy_all(&mut conn).await;
        // Detach whatever happened, so the pooled connection is clean for the next writer.
        let detached = conn.execute("DETACH DATABASE restore_source").await;
        copied?;
        detached?;
        Ok(())
    }
}

async fn copy_all(conn: &mut sqlx::AnyConnection) -> Result<()> {
    use sqlx::Connection;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    // Foreign keys are checked at commit, so rows can go in table by table (projects and their
    // calendars point at each other).
    tx.execute("PRAGMA defer_foreign_keys = ON").await?;
    for (delete, _) in TABLES.iter().rev() {
        tx.execute(*delete).await?;
    }
    for (_, insert) in TABLES {
        tx.execute(*insert).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn staging_path(own: &Path) -> PathBuf {
    let mut name = own.as_os_str().to_owned();
    name.push(format!(".restore-{}", std::process::id()));
    PathBuf::from(name)
}

fn path_text(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| StoreError::Backup(format!("{} is not a UTF-8 path", path.display())))
}
