//! The audit log: who changed what and when, with the old and new values, per project. Rows
//! are written in the same transaction as the change they describe and never updated.

use serde_json::Value;
use sqlx::{AnyConnection, Row};

use crate::project::Page;
use crate::{ProjectId, Result, Store, StoreError, UserId, from_ms, now_ms};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    fn code(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// One audit row.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub project: ProjectId,
    /// `None` for changes made without a user (the command line, a deleted user).
    pub user: Option<UserId>,
    pub at: jiff::Timestamp,
    /// The project version the change produced.
    pub version: i64,
    /// What was changed: `project`, `settings`, `task`, `link`, `resource`, `assignment`,
    /// `calendar`, `member` (then `entity_id` is the user's id).
    pub entity: String,
    /// Which one: a uid, `pred->succ` for a link, `resource@task` for an assignment.
    pub entity_id: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// Which audit rows to list: newest first, optionally only those after a version.
#[derive(Clone, Copy, Debug)]
pub struct AuditQuery {
    pub page: Page,
    /// Only changes that produced a version greater than this.
    pub since_version: Option<i64>,
}

impl Store {
    /// A project's audit log, newest first.
    pub async fn audit_log(
        &self,
        project: ProjectId,
        query: AuditQuery,
    ) -> Result<Vec<AuditEntry>> {
        let limit = query.page.limit.clamp(0, Page::MAX_LIMIT);
        let offset = query.page.offset.max(0);
        let rows = sqlx::query(
            "SELECT id, project_id, user_id, at, version, entity, entity_id, action, old_value, new_value \
             FROM audit_log WHERE project_id = $1 AND version > $2 ORDER BY id DESC LIMIT $3 OFFSET $4",
        )
        .bind(project.0)
        .bind(query.since_version.unwrap_or(i64::MIN))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                let json = |column: &'static str| -> Result<Option<Value>> {
                    let text: Option<String> = row.try_get(column)?;
                    let Some(text) = text else {
                        return Ok(None);
                    };
                    match serde_json::from_str::<Value>(&text) {
                        Ok(value) => Ok(Some(value)),
                        Err(error) => Err(StoreError::Corrupt {
                            table: "audit_log",
                            column,
                            reason: error.to_string(),
                            value: text,
                        }),
                    }
                };
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    project: ProjectId(row.try_get("project_id")?),
                    user: row.try_get::<Option<i64>, _>("user_id")?.map(UserId),
                    at: from_ms(row.try_get("at")?)?,
                    version: row.try_get("version")?,
                    entity: row.try_get("entity")?,
                    entity_id: row.try_get("entity_id")?,
                    action: row.try_get("action")?,
                    old: json("old_value")?,
                    new: json("new_value")?,
                })
            })
            .collect()
    }
}

/// Writes one audit row inside the caller's transaction.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    project: ProjectId,
    user: Option<UserId>,
    version: i64,
    entity: &str,
    entity_id: &str,
    action: Action,
    old: Option<Value>,
    new: Option<Value>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (project_id, user_id, at, version, entity, entity_id, action, old_value, new_value) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(project.0)
    .bind(user.map(|user| user.0))
    .bind(now_ms())
    .bind(version)
    .bind(entity)
    .bind(entity_id)
    .bind(action.code())
    .bind(old.map(|value| value.to_string()))
    .bind(new.map(|value| value.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
