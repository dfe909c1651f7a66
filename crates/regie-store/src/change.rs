//! Granular changes to a stored project under optimistic concurrency.
//!
//! [`Store::apply`] is the one write path for edits: in one transaction it bumps the project's
//! version only if it still is `expected_version` (else [`StoreError::Stale`] and nothing is
//! written), applies each [`Change`], and writes an audit row per changed thing with its old and
//! new value as JSON. Any error rolls the whole transaction back.
//!
//! Changes name tasks and resources by uid (stable across edits) and calendars by
//! [`CalendarId`], their index in the project: calendars are only ever appended, never removed
//! by a change, so an index stays valid across versions.

use std::collections::HashSet;

use jiff::civil::{Date, DateTime};
use regie_core::calendar::{Calendar, Exception};
use regie_core::{
    Anchor, Assignment, CalendarId, Lag, Link, LinkKind, Project, Resource, Task, TaskId, Units,
};
use serde_json::{Value, json};
use sqlx::{AnyConnection, Row};

use crate::audit::{Action, record};
use crate::codec::{self, flag};
use crate::error::classify;
use crate::project::{self, unique_resource, unique_task};
use crate::{ClientId, ProjectId, Result, Store, StoreError, UserId, now_ms};

/// The project-level fields: the model's scalars plus what only the store keeps (phase,
/// client, the date agreed with the client).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectSettings {
    pub name: String,
    pub anchor: Anchor,
    pub time_zone: String,
    pub currency: String,
    pub status_date: Option<DateTime>,
    pub calendar: CalendarId,
    pub units: Units,
    pub honor_constraints: bool,
    pub phase: Option<String>,
    pub client: Option<ClientId>,
    pub client_deadline: Option<Date>,
}

impl ProjectSettings {
    /// The model's settings of `project`, with no phase, client or client deadline.
    pub fn of(project: &Project) -> ProjectSettings {
        ProjectSettings {
            name: project.name.clone(),
            anchor: project.anchor,
            time_zone: project.time_zone.clone(),
            currency: project.currency.clone(),
            status_date: project.status_date,
            calendar: project.calendar,
            units: project.units,
            honor_constraints: project.honor_constraints,
            phase: None,
            client: None,
            client_deadline: None,
        }
    }
}

/// One edit to a stored project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    UpdateSettings(ProjectSettings),
    /// Adds `task` under the task with uid `parent` (or at the top level): just before its
    /// child `before` (insert), or as its last child when `before` is `None`. `task.parent` is
    /// ignored; `task.calendar` is an index into the calendars.
    AddTask {
        task: Task,
        parent: Option<String>,
        before: Option<String>,
    },
    /// Replaces every field of task `uid` but its place in the outline (`task.parent` is
    /// ignored); `task.uid` may differ to rename it.
    UpdateTask {
        uid: String,
        task: Task,
    },
    /// Moves task `uid` with its subtasks under `parent` (or to the top level): just before its
    /// child `before`, or as its last child when `before` is `None`. Outdent, indent, reorder.
    MoveTask {
        uid: String,
        parent: Option<String>,
        before: Option<String>,
    },
    /// Deletes a task without subtasks, with its links and assignments.
    DeleteTask {
        uid: String,
    },
    AddLink {
        pred: String,
        succ: String,
        kind: LinkKind,
        lag: Lag,
    },
    UpdateLink {
        pred: String,
        succ: String,
        kind: LinkKind,
        lag: Lag,
    },
    DeleteLink {
        pred: String,
        succ: String,
    },
    AddResource(Resource),
    /// Replaces every field of resource `uid`; `resource.uid` may differ to rename it.
    UpdateResource {
        uid: String,
        resource: Resource,
    },
    /// Deletes a resource with its assignments.
    DeleteResource {
        uid: String,
    },
    AddAssignment {
        task: String,
        resource: String,
        units: u32,
        work: Option<i64>,
    },
    UpdateAssignment {
        task: String,
        resource: String,
        units: u32,
        work: Option<i64>,
    },
    DeleteAssignment {
        task: String,
        resource: String,
    },
    /// Appends a calendar; `calendar.base` is an index into the calendars.
    AddCalendar(Calendar),
    /// Replaces calendar `id` (week, exceptions, name, uid, base).
    UpdateCalendar {
        id: CalendarId,
        calendar: Calendar,
    },
}

/// The project being changed, as the version check found it.
struct Ctx {
    project: ProjectId,
    name: String,
    /// The version this transaction produces.
    version: i64,
    actor: Option<UserId>,
}

impl Store {
    /// Applies `changes` to `project` if it is still at `expected_version`, in one transaction
    /// with the audit rows and the version bump; returns the new version.
    pub async fn apply(
        &self,
        project: ProjectId,
        expected_version: i64,
        actor: Option<UserId>,
        changes: &[Change],
    ) -> Result<i64> {
        if changes.is_empty() {
            return Err(StoreError::Invalid("no change to apply".into()));
        }
        let mut tx = self.begin_write().await?;
        let (version, name) = bump_version(&mut tx, project, expected_version).await?;
        let ctx = Ctx {
            project,
            name,
            version,
            actor,
        };
        for change in changes {
            apply_one(&mut tx, &ctx, change).await?;
        }
        tx.commit().await?;
        Ok(version)
    }
}

/// Bumps the version if it is `expected`: the first statement of every change, so on
/// PostgreSQL it also locks the project row for the rest of the transaction. Returns the new
/// version and the project's name.
pub(crate) async fn bump_version(
    conn: &mut AnyConnection,
    project: ProjectId,
    expected: i64,
) -> Result<(i64, String)> {
    let bumped = sqlx::query(
        "UPDATE projects SET version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2 \
         RETURNING version, name",
    )
    .bind(project.0)
    .bind(expected)
    .bind(now_ms())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = bumped {
        return Ok((row.try_get("version")?, row.try_get("name")?));
    }
    let current = sqlx::query("SELECT version, name FROM projects WHERE id = $1")
        .bind(project.0)
        .fetch_optional(&mut *conn)
        .await?;
    match current {
        Some(row) => Err(StoreError::Stale {
            project: row.try_get("name")?,
            expected,
            current: row.try_get("version")?,
        }),
        None => Err(StoreError::NotFound(format!("project #{}", project.0))),
    }
}

async fn audit(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    entity: &str,
    entity_id: &str,
    action: Action,
    old: Option<Value>,
    new: Option<Value>,
) -> Result<()> {
    record(
        conn,
        ctx.project,
        ctx.actor,
        ctx.version,
        entity,
        entity_id,
        action,
        old,
        new,
    )
    .await
}

async fn apply_one(conn: &mut AnyConnection, ctx: &Ctx, change: &Change) -> Result<()> {
    match change {
        Change::UpdateSettings(settings) => update_settings(conn, ctx, settings).await,
        Change::AddTask {
            task,
            parent,
            before,
        } => add_task(conn, ctx, task, parent.as_deref(), before.as_deref()).await,
        Change::UpdateTask { uid, task } => update_task(conn, ctx, uid, task).await,
        Change::MoveTask {
            uid,
            parent,
            before,
        } => move_task(conn, ctx, uid, parent.as_deref(), before.as_deref()).await,
        Change::DeleteTask { uid } => delete_task(conn, ctx, uid).await,
        Change::AddLink {
            pred,
            succ,
            kind,
            lag,
        } => {
            if pred == succ {
                return Err(StoreError::Invalid(format!(
                    "task {pred:?} cannot depend on itself"
                )));
            }
            let pred_id = task_id(conn, ctx, pred).await?;
            let succ_id = task_id(conn, ctx, succ).await?;
            let link = link_value(*kind, *lag);
            let position = next_position(conn, ctx, "links").await?;
            project::insert_link(conn, ctx.project, position, pred_id, succ_id, &link, || {
                format!("a link from {pred:?} to {succ:?} in project {:?}", ctx.name)
            })
            .await?;
            let new = codec::link_json(pred, succ, &link);
            audit(
                conn,
                ctx,
                "link",
                &link_key(pred, succ),
                Action::Create,
                None,
                Some(new),
            )
            .await
        }
        Change::UpdateLink {
            pred,
            succ,
            kind,
            lag,
        } => {
            let (id, old) = link_row(conn, ctx, pred, succ).await?;
            let link = link_value(*kind, *lag);
            let (lag_kind, lag_value) = codec::lag_columns(link.lag);
            sqlx::query("UPDATE links SET kind = $1, lag_kind = $2, lag_value = $3 WHERE id = $4")
                .bind(link.kind.code())
                .bind(lag_kind)
                .bind(lag_value)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            let new = codec::link_json(pred, succ, &link);
            audit(
                conn,
                ctx,
                "link",
                &link_key(pred, succ),
                Action::Update,
                Some(old),
                Some(new),
            )
            .await
        }
        Change::DeleteLink { pred, succ } => {
            let (id, old) = link_row(conn, ctx, pred, succ).await?;
            sqlx::query("DELETE FROM links WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            audit(
                conn,
                ctx,
                "link",
                &link_key(pred, succ),
                Action::Delete,
                Some(old),
                None,
            )
            .await
        }
        Change::AddResource(resource) => {
            let (calendar, calendar_label) = calendar_opt(conn, ctx, resource.calendar).await?;
            let position = next_position(conn, ctx, "resources").await?;
            project::insert_resource(conn, ctx.project, &ctx.name, position, resource, calendar)
                .await?;
            let new = codec::resource_json(resource, calendar_label);
            audit(
                conn,
                ctx,
                "resource",
                &resource.uid,
                Action::Create,
                None,
                Some(new),
            )
            .await
        }
        Change::UpdateResource { uid, resource } => update_resource(conn, ctx, uid, resource).await,
        Change::DeleteResource { uid } => {
            let (id, old) = resource_row(conn, ctx, uid).await?;
            let rows = sqlx::query(
                "SELECT a.id, a.units, a.work_minutes, t.uid AS task_uid FROM assignments a \
                 JOIN tasks t ON t.id = a.task_id WHERE a.resource_id = $1 ORDER BY a.position",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
            for row in &rows {
                let task_uid: String = row.try_get("task_uid")?;
                delete_assignment_row(conn, ctx, row, &task_uid, uid).await?;
            }
            sqlx::query("DELETE FROM resources WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            audit(conn, ctx, "resource", uid, Action::Delete, Some(old), None).await
        }
        Change::AddAssignment {
            task,
            resource,
            units,
            work,
        } => {
            let task_db = task_id(conn, ctx, task).await?;
            let (resource_db, _) = resource_row(conn, ctx, resource).await?;
            let assignment = assignment_value(*units, *work);
            let position = next_position(conn, ctx, "assignments").await?;
            project::insert_assignment(
                conn,
                ctx.project,
                position,
                task_db,
                resource_db,
                &assignment,
                || {
                    format!(
                        "an assignment of {resource:?} to {task:?} in project {:?}",
                        ctx.name
                    )
                },
            )
            .await?;
            let new = codec::assignment_json(task, resource, &assignment);
            audit(
                conn,
                ctx,
                "assignment",
                &assignment_key(task, resource),
                Action::Create,
                None,
                Some(new),
            )
            .await
        }
        Change::UpdateAssignment {
            task,
            resource,
            units,
            work,
        } => {
            let (id, old) = assignment_row(conn, ctx, task, resource).await?;
            let assignment = assignment_value(*units, *work);
            sqlx::query("UPDATE assignments SET units = $1, work_minutes = $2 WHERE id = $3")
                .bind(i64::from(assignment.units))
                .bind(assignment.work)
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(|e| classify(e, String::new))?;
            let new = codec::assignment_json(task, resource, &assignment);
            audit(
                conn,
                ctx,
                "assignment",
                &assignment_key(task, resource),
                Action::Update,
                Some(old),
                Some(new),
            )
            .await
        }
        Change::DeleteAssignment { task, resource } => {
            let (id, old) = assignment_row(conn, ctx, task, resource).await?;
            sqlx::query("DELETE FROM assignments WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            audit(
                conn,
                ctx,
                "assignment",
                &assignment_key(task, resource),
                Action::Delete,
                Some(old),
                None,
            )
            .await
        }
        Change::AddCalendar(calendar) => {
            let (base, base_label) = calendar_opt(conn, ctx, calendar.base).await?;
            let position = next_position(conn, ctx, "calendars").await?;
            project::insert_calendar(conn, ctx.project, position, calendar, base).await?;
            let new = codec::calendar_json(calendar, base_label);
            audit(
                conn,
                ctx,
                "calendar",
                &calendar_key(calendar),
                Action::Create,
                None,
                Some(new),
            )
            .await
        }
        Change::UpdateCalendar { id, calendar } => update_calendar(conn, ctx, *id, calendar).await,
    }
}

fn link_key(pred: &str, succ: &str) -> String {
    format!("{pred}->{succ}")
}

fn assignment_key(task: &str, resource: &str) -> String {
    format!("{resource}@{task}")
}

fn calendar_key(calendar: &Calendar) -> String {
    if calendar.uid.is_empty() {
        calendar.name.clone()
    } else {
        calendar.uid.clone()
    }
}

fn link_value(kind: LinkKind, lag: Lag) -> Link {
    // The model's task ids are unused here: the row ids are bound separately.
    Link {
        pred: TaskId(0),
        succ: TaskId(0),
        kind,
        lag,
    }
}

fn assignment_value(units: u32, work: Option<i64>) -> Assignment {
    Assignment {
        task: TaskId(0),
        resource: regie_core::ResourceId(0),
        units,
        work,
    }
}

/// The position after the last row of `table` in this project. Only the four tables with a
/// `position` column are allowed: the name is spliced into no SQL, each has its own statement.
async fn next_position(conn: &mut AnyConnection, ctx: &Ctx, table: &'static str) -> Result<i64> {
    let sql = match table {
        "links" => "SELECT COALESCE(MAX(position), -1) + 1 FROM links WHERE project_id = $1",
        "resources" => {
            "SELECT COALESCE(MAX(position), -1) + 1 FROM resources WHERE project_id = $1"
        }
        "assignments" => {
            "SELECT COALESCE(MAX(position), -1) + 1 FROM assignments WHERE project_id = $1"
        }
        "calendars" => {
            "SELECT COALESCE(MAX(position), -1) + 1 FROM calendars WHERE project_id = $1"
        }
        _ => return Err(StoreError::Invalid(format!("no positions in {table}"))),
    };
    Ok(sqlx::query_scalar(sql)
        .bind(ctx.project.0)
        .fetch_one(&mut *conn)
        .await?)
}

async fn task_id(conn: &mut AnyConnection, ctx: &Ctx, uid: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT id FROM tasks WHERE project_id = $1 AND uid = $2")
        .bind(ctx.project.0)
        .bind(uid)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("task {uid:?} in project {:?}", ctx.name)))
}

/// The row id and audit label of calendar `id` (by index), if given.
async fn calendar_opt(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    id: Option<CalendarId>,
) -> Result<(Option<i64>, Value)> {
    let Some(id) = id else {
        return Ok((None, Value::Null));
    };
    let row =
        sqlx::query("SELECT id, uid, name FROM calendars WHERE project_id = $1 AND position = $2")
            .bind(ctx.project.0)
            .bind(i64::from(id.0))
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(format!("calendar #{} in project {:?}", id.0, ctx.name))
            })?;
    Ok((
        Some(row.try_get("id")?),
        calendar_label(row.try_get("uid")?, row.try_get("name")?),
    ))
}

fn calendar_label(uid: Option<String>, name: Option<String>) -> Value {
    match (uid, name) {
        (Some(uid), _) if !uid.is_empty() => Value::String(uid),
        (_, Some(name)) => Value::String(name),
        _ => Value::Null,
    }
}

struct TaskRow {
    id: i64,
    json: Value,
    parent_uid: Option<String>,
}

async fn task_row(conn: &mut AnyConnection, ctx: &Ctx, uid: &str) -> Result<TaskRow> {
    let row = sqlx::query(
        "SELECT t.*, p.uid AS parent_uid, c.uid AS calendar_uid, c.name AS calendar_name \
         FROM tasks t LEFT JOIN tasks p ON p.id = t.parent_id LEFT JOIN calendars c ON c.id = t.calendar_id \
         WHERE t.project_id = $1 AND t.uid = $2",
    )
    .bind(ctx.project.0)
    .bind(uid)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("task {uid:?} in project {:?}", ctx.name)))?;
    let task = project::task_from_row(&row)?;
    let parent_uid: Option<String> = row.try_get("parent_uid")?;
    let calendar = calendar_label(row.try_get("calendar_uid")?, row.try_get("calendar_name")?);
    Ok(TaskRow {
        id: row.try_get("id")?,
        json: codec::task_json(&task, parent_uid.as_deref(), calendar),
        parent_uid,
    })
}

async fn add_task(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    task: &Task,
    parent: Option<&str>,
    before: Option<&str>,
) -> Result<()> {
    let parent_id = match parent {
        Some(uid) => Some(task_id(conn, ctx, uid).await?),
        None => None,
    };
    let (calendar, calendar_label) = calendar_opt(conn, ctx, task.calendar).await?;
    // Outline order: the new task goes just before its sibling `before`, else after its
    // parent's whole subtree (or after every task).
    let outline = outline(conn, ctx).await?;
    let last = outline.last().map_or(-1, |row| row.position);
    let before_at = match before {
        Some(before) => Some(sibling_at(conn, ctx, &outline, before, parent_id, parent).await?),
        None => None,
    };
    let position = match (before_at, parent_id) {
        (Some(at), _) => {
            let position = outline[at].position;
            sqlx::query(
                "UPDATE tasks SET position = position + 1 WHERE project_id = $1 AND position >= $2",
            )
            .bind(ctx.project.0)
            .bind(position)
            .execute(&mut *conn)
            .await?;
            position
        }
        (None, None) => last + 1,
        (None, Some(parent_id)) => {
            let start = outline
                .iter()
                .position(|row| row.id == parent_id)
                .ok_or_else(|| {
                    StoreError::NotFound(format!("the parent of task {:?}", task.uid))
                })?;
            let end = outline[subtree_end(&outline, start) - 1].position;
            if end < last {
                sqlx::query("UPDATE tasks SET position = position + 1 WHERE project_id = $1 AND position > $2")
                    .bind(ctx.project.0)
                    .bind(end)
                    .execute(&mut *conn)
                    .await?;
            }
            end + 1
        }
    };
    project::insert_task(
        conn,
        ctx.project,
        &ctx.name,
        position,
        task,
        parent_id,
        calendar,
    )
    .await?;
    let new = codec::task_json(task, parent, calendar_label);
    audit(
        conn,
        ctx,
        "task",
        &task.uid,
        Action::Create,
        None,
        Some(new),
    )
    .await
}

/// A task's place in the outline.
struct OutlineRow {
    id: i64,
    parent: Option<i64>,
    position: i64,
}

/// The project's tasks in outline order.
async fn outline(conn: &mut AnyConnection, ctx: &Ctx) -> Result<Vec<OutlineRow>> {
    let rows = sqlx::query(
        "SELECT id, parent_id, position FROM tasks WHERE project_id = $1 ORDER BY position, id",
    )
    .bind(ctx.project.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(OutlineRow {
                id: row.try_get("id")?,
                parent: row.try_get("parent_id")?,
                position: row.try_get("position")?,
            })
        })
        .collect()
}

/// The index just past the subtree of `outline[start]`: in outline order a subtree is the task
/// and the run of tasks after it whose parent is in the subtree.
fn subtree_end(outline: &[OutlineRow], start: usize) -> usize {
    let mut members = HashSet::from([outline[start].id]);
    let mut end = start + 1;
    while let Some(row) = outline.get(end) {
        match row.parent {
            Some(parent) if members.contains(&parent) => {
                members.insert(row.id);
                end += 1;
            }
            _ => break,
        }
    }
    end
}

/// Where in `outline` task `before` is, checking it is a child of `parent` (row id
/// `parent_id`; `None`: a top-level task), so that "just before it" is a place under `parent`.
async fn sibling_at(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    outline: &[OutlineRow],
    before: &str,
    parent_id: Option<i64>,
    parent: Option<&str>,
) -> Result<usize> {
    let before_id = task_id(conn, ctx, before).await?;
    let at = outline
        .iter()
        .position(|row| row.id == before_id)
        .ok_or_else(|| {
            StoreError::NotFound(format!("task {before:?} in project {:?}", ctx.name))
        })?;
    if outline[at].parent != parent_id {
        return Err(StoreError::Invalid(match parent {
            Some(parent) => format!("task {before:?} is not a child of {parent:?}"),
            None => format!("task {before:?} is not a top-level task"),
        }));
    }
    Ok(at)
}

/// Moves task `uid` with its subtree under `parent` (or to the top level), just before its
/// child `before` or as its last child, renumbering the positions that change.
async fn move_task(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    uid: &str,
    parent: Option<&str>,
    before: Option<&str>,
) -> Result<()> {
    let old = task_row(conn, ctx, uid).await?;
    let parent_id = match parent {
        Some(parent_uid) => Some(task_id(conn, ctx, parent_uid).await?),
        None => None,
    };
    let mut order = outline(conn, ctx).await?;
    let start = order
        .iter()
        .position(|row| row.id == old.id)
        .ok_or_else(|| StoreError::NotFound(format!("task {uid:?} in project {:?}", ctx.name)))?;
    let end = subtree_end(&order, start);
    if let Some(parent_id) = parent_id
        && order[start..end].iter().any(|row| row.id == parent_id)
    {
        return Err(StoreError::Invalid(format!(
            "task {uid:?} cannot move under {:?}, which is inside it",
            parent.unwrap_or_default()
        )));
    }
    if let Some(before) = before {
        let before_id = task_id(conn, ctx, before).await?;
        if order[start..end].iter().any(|row| row.id == before_id) {
            return Err(StoreError::Invalid(format!(
                "task {uid:?} cannot move before {before:?}, which is itself or inside it"
            )));
        }
    }
    let old_positions: Vec<(i64, i64)> = order.iter().map(|row| (row.id, row.position)).collect();
    let mut moved: Vec<OutlineRow> = order.drain(start..end).collect();
    moved[0].parent = parent_id;
    let before_at = match before {
        Some(before) => Some(sibling_at(conn, ctx, &order, before, parent_id, parent).await?),
        None => None,
    };
    let at = match (before_at, parent_id) {
        (Some(at), _) => at,
        (None, None) => order.len(),
        (None, Some(parent_id)) => {
            let parent_at = order
                .iter()
                .position(|row| row.id == parent_id)
                .ok_or_else(|| {
                    StoreError::NotFound(format!("task {:?}", parent.unwrap_or_default()))
                })?;
            subtree_end(&order, parent_at)
        }
    };
    order.splice(at..at, moved);
    let old_position: std::collections::HashMap<i64, i64> = old_positions.into_iter().collect();
    for (index, row) in order.iter().enumerate() {
        let position = index as i64;
        if old_position.get(&row.id) != Some(&position) {
            sqlx::query("UPDATE tasks SET position = $1 WHERE id = $2")
                .bind(position)
                .bind(row.id)
                .execute(&mut *conn)
                .await?;
        }
    }
    sqlx::query("UPDATE tasks SET parent_id = $1 WHERE id = $2")
        .bind(parent_id)
        .bind(old.id)
        .execute(&mut *conn)
        .await?;
    let mut new = old.json.clone();
    new["parent"] = parent.map_or(Value::Null, |p| Value::String(p.to_owned()));
    audit(
        conn,
        ctx,
        "task",
        uid,
        Action::Update,
        Some(old.json),
        Some(new),
    )
    .await
}

async fn update_task(conn: &mut AnyConnection, ctx: &Ctx, uid: &str, task: &Task) -> Result<()> {
    let old = task_row(conn, ctx, uid).await?;
    let (calendar, calendar_label) = calendar_opt(conn, ctx, task.calendar).await?;
    let query = sqlx::query(
        "UPDATE tasks SET uid = $1, name = $2, milestone = $3, duration_minutes = $4, duration_elapsed = $5, \
         work_minutes = $6, task_type = $7, effort_driven = $8, constraint_kind = $9, constraint_date = $10, \
         deadline = $11, priority = $12, calendar_id = $13, notes = $14, percent_complete = $15, \
         actual_start = $16, actual_finish = $17, manual_start = $18, manual_finish = $19, splits = $20 \
         WHERE id = $21",
    )
    .bind(&task.uid)
    .bind(&task.name);
    project::bind_task_fields(query, task, calendar)
        .bind(old.id)
        .execute(&mut *conn)
        .await
        .map_err(|e| classify(e, || unique_task(&task.uid, &ctx.name)))?;
    let new = codec::task_json(task, old.parent_uid.as_deref(), calendar_label);
    audit(
        conn,
        ctx,
        "task",
        uid,
        Action::Update,
        Some(old.json),
        Some(new),
    )
    .await
}

async fn delete_task(conn: &mut AnyConnection, ctx: &Ctx, uid: &str) -> Result<()> {
    let old = task_row(conn, ctx, uid).await?;
    let children: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE parent_id = $1")
        .bind(old.id)
        .fetch_one(&mut *conn)
        .await?;
    if children > 0 {
        return Err(StoreError::Invalid(format!(
            "task {uid:?} in project {:?} has {children} subtask(s): delete them first",
            ctx.name
        )));
    }
    let links = sqlx::query(
        "SELECT l.id, l.kind, l.lag_kind, l.lag_value, p.uid AS pred_uid, s.uid AS succ_uid FROM links l \
         JOIN tasks p ON p.id = l.pred_id JOIN tasks s ON s.id = l.succ_id \
         WHERE l.pred_id = $1 OR l.succ_id = $1 ORDER BY l.position",
    )
    .bind(old.id)
    .fetch_all(&mut *conn)
    .await?;
    for row in &links {
        let (pred, succ): (String, String) = (row.try_get("pred_uid")?, row.try_get("succ_uid")?);
        let json = link_row_json(row, &pred, &succ)?;
        sqlx::query("DELETE FROM links WHERE id = $1")
            .bind(row.try_get::<i64, _>("id")?)
            .execute(&mut *conn)
            .await?;
        audit(
            conn,
            ctx,
            "link",
            &link_key(&pred, &succ),
            Action::Delete,
            Some(json),
            None,
        )
        .await?;
    }
    let assignments = sqlx::query(
        "SELECT a.id, a.units, a.work_minutes, r.uid AS resource_uid FROM assignments a \
         JOIN resources r ON r.id = a.resource_id WHERE a.task_id = $1 ORDER BY a.position",
    )
    .bind(old.id)
    .fetch_all(&mut *conn)
    .await?;
    for row in &assignments {
        let resource_uid: String = row.try_get("resource_uid")?;
        delete_assignment_row(conn, ctx, row, uid, &resource_uid).await?;
    }
    sqlx::query("DELETE FROM tasks WHERE id = $1")
        .bind(old.id)
        .execute(&mut *conn)
        .await?;
    audit(conn, ctx, "task", uid, Action::Delete, Some(old.json), None).await
}

fn link_row_json(row: &sqlx::any::AnyRow, pred: &str, succ: &str) -> Result<Value> {
    let link = link_value(
        codec::parse_link_kind(&row.try_get::<String, _>("kind")?)?,
        codec::parse_lag(
            &row.try_get::<String, _>("lag_kind")?,
            row.try_get("lag_value")?,
        )?,
    );
    Ok(codec::link_json(pred, succ, &link))
}

async fn link_row(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    pred: &str,
    succ: &str,
) -> Result<(i64, Value)> {
    let row = sqlx::query(
        "SELECT l.id, l.kind, l.lag_kind, l.lag_value FROM links l \
         JOIN tasks p ON p.id = l.pred_id JOIN tasks s ON s.id = l.succ_id \
         WHERE l.project_id = $1 AND p.uid = $2 AND s.uid = $3",
    )
    .bind(ctx.project.0)
    .bind(pred)
    .bind(succ)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        StoreError::NotFound(format!(
            "a link from {pred:?} to {succ:?} in project {:?}",
            ctx.name
        ))
    })?;
    Ok((row.try_get("id")?, link_row_json(&row, pred, succ)?))
}

async fn resource_row(conn: &mut AnyConnection, ctx: &Ctx, uid: &str) -> Result<(i64, Value)> {
    let row = sqlx::query(
        "SELECT r.*, c.uid AS calendar_uid, c.name AS calendar_name FROM resources r \
         LEFT JOIN calendars c ON c.id = r.calendar_id WHERE r.project_id = $1 AND r.uid = $2",
    )
    .bind(ctx.project.0)
    .bind(uid)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("resource {uid:?} in project {:?}", ctx.name)))?;
    let resource = project::resource_from_row(&row)?;
    let calendar = calendar_label(row.try_get("calendar_uid")?, row.try_get("calendar_name")?);
    Ok((
        row.try_get("id")?,
        codec::resource_json(&resource, calendar),
    ))
}

async fn update_resource(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    uid: &str,
    resource: &Resource,
) -> Result<()> {
    let (id, old) = resource_row(conn, ctx, uid).await?;
    let (calendar, calendar_label) = calendar_opt(conn, ctx, resource.calendar).await?;
    sqlx::query(
        "UPDATE resources SET uid = $1, name = $2, kind = $3, max_units = $4, calendar_id = $5, \
         standard_rate_cents = $6, overtime_rate_cents = $7, per_use_cents = $8, email = $9, group_name = $10 \
         WHERE id = $11",
    )
    .bind(&resource.uid)
    .bind(&resource.name)
    .bind(codec::resource_kind_code(resource.kind))
    .bind(i64::from(resource.max_units))
    .bind(calendar)
    .bind(resource.rates.standard.0)
    .bind(resource.rates.overtime.0)
    .bind(resource.rates.per_use.0)
    .bind(resource.email.as_deref())
    .bind(resource.group.as_deref())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(|e| classify(e, || unique_resource(&resource.uid, &ctx.name)))?;
    let new = codec::resource_json(resource, calendar_label);
    audit(
        conn,
        ctx,
        "resource",
        uid,
        Action::Update,
        Some(old),
        Some(new),
    )
    .await
}

async fn assignment_row(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    task: &str,
    resource: &str,
) -> Result<(i64, Value)> {
    let row = sqlx::query(
        "SELECT a.id, a.units, a.work_minutes FROM assignments a \
         JOIN tasks t ON t.id = a.task_id JOIN resources r ON r.id = a.resource_id \
         WHERE a.project_id = $1 AND t.uid = $2 AND r.uid = $3",
    )
    .bind(ctx.project.0)
    .bind(task)
    .bind(resource)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        StoreError::NotFound(format!(
            "an assignment of {resource:?} to {task:?} in project {:?}",
            ctx.name
        ))
    })?;
    let assignment = assignment_value(
        codec::narrow("assignments", "units", row.try_get("units")?)?,
        row.try_get("work_minutes")?,
    );
    Ok((
        row.try_get("id")?,
        codec::assignment_json(task, resource, &assignment),
    ))
}

async fn delete_assignment_row(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    row: &sqlx::any::AnyRow,
    task: &str,
    resource: &str,
) -> Result<()> {
    let assignment = assignment_value(
        codec::narrow("assignments", "units", row.try_get("units")?)?,
        row.try_get("work_minutes")?,
    );
    sqlx::query("DELETE FROM assignments WHERE id = $1")
        .bind(row.try_get::<i64, _>("id")?)
        .execute(&mut *conn)
        .await?;
    let old = codec::assignment_json(task, resource, &assignment);
    audit(
        conn,
        ctx,
        "assignment",
        &assignment_key(task, resource),
        Action::Delete,
        Some(old),
        None,
    )
    .await
}

/// A calendar's row id and its audit JSON.
async fn calendar_row(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    id: CalendarId,
) -> Result<(i64, Calendar, Value)> {
    let row = sqlx::query(
        "SELECT c.id, c.uid, c.name, c.week, b.uid AS base_uid, b.name AS base_name FROM calendars c \
         LEFT JOIN calendars b ON b.id = c.base_id WHERE c.project_id = $1 AND c.position = $2",
    )
    .bind(ctx.project.0)
    .bind(i64::from(id.0))
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("calendar #{} in project {:?}", id.0, ctx.name)))?;
    let db_id: i64 = row.try_get("id")?;
    let base = calendar_label(row.try_get("base_uid")?, row.try_get("base_name")?);
    let mut calendar = Calendar {
        uid: row.try_get("uid")?,
        name: row.try_get("name")?,
        base: None,
        week: codec::parse_week(&row.try_get::<String, _>("week")?)?,
        exceptions: Vec::new(),
    };
    let rows = sqlx::query("SELECT name, rule, shifts FROM calendar_exceptions WHERE calendar_id = $1 ORDER BY position")
        .bind(db_id)
        .fetch_all(&mut *conn)
        .await?;
    for row in &rows {
        calendar.exceptions.push(Exception {
            name: row.try_get("name")?,
            dates: codec::parse_rule(&row.try_get::<String, _>("rule")?)?,
            shifts: codec::parse_shifts_text(
                "calendar_exceptions",
                "shifts",
                &row.try_get::<String, _>("shifts")?,
            )?,
        });
    }
    let json = codec::calendar_json(&calendar, base);
    Ok((db_id, calendar, json))
}

/// Refuses a base calendar that derives, directly or through others, from the calendar being
/// changed: the engine resolves a calendar through its bases and needs the chain to end.
async fn check_no_base_cycle(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    calendar: i64,
    base: i64,
    name: &str,
) -> Result<()> {
    let rows = sqlx::query("SELECT id, base_id FROM calendars WHERE project_id = $1")
        .bind(ctx.project.0)
        .fetch_all(&mut *conn)
        .await?;
    let mut base_of = std::collections::HashMap::with_capacity(rows.len());
    for row in &rows {
        base_of.insert(
            row.try_get::<i64, _>("id")?,
            row.try_get::<Option<i64>, _>("base_id")?,
        );
    }
    let mut next = Some(base);
    let mut steps = 0;
    while let Some(current) = next {
        if current == calendar || steps > rows.len() {
            return Err(StoreError::Invalid(format!(
                "calendar {name:?} in project {:?} cannot derive from a calendar that derives from it",
                ctx.name
            )));
        }
        next = base_of.get(&current).copied().flatten();
        steps += 1;
    }
    Ok(())
}

async fn update_calendar(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    id: CalendarId,
    calendar: &Calendar,
) -> Result<()> {
    if calendar.base == Some(id) {
        return Err(StoreError::Invalid(format!(
            "calendar {:?} in project {:?} cannot be its own base",
            calendar.name, ctx.name
        )));
    }
    let (db_id, old_calendar, old) = calendar_row(conn, ctx, id).await?;
    let (base, base_label) = calendar_opt(conn, ctx, calendar.base).await?;
    if let Some(base) = base {
        check_no_base_cycle(conn, ctx, db_id, base, &calendar.name).await?;
    }
    sqlx::query("UPDATE calendars SET uid = $1, name = $2, base_id = $3, week = $4 WHERE id = $5")
        .bind(&calendar.uid)
        .bind(&calendar.name)
        .bind(base)
        .bind(codec::week_json(&calendar.week).to_string())
        .bind(db_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM calendar_exceptions WHERE calendar_id = $1")
        .bind(db_id)
        .execute(&mut *conn)
        .await?;
    project::insert_exceptions(conn, db_id, &calendar.exceptions).await?;
    let new = codec::calendar_json(calendar, base_label);
    audit(
        conn,
        ctx,
        "calendar",
        &calendar_key(&old_calendar),
        Action::Update,
        Some(old),
        Some(new),
    )
    .await
}

pub(crate) fn settings_json(settings: &ProjectSettings, calendar: Value) -> Value {
    let (anchor_kind, anchor_at) = codec::anchor_columns(settings.anchor);
    json!({
        "name": settings.name,
        "anchor": {"kind": anchor_kind, "at": anchor_at},
        "time_zone": settings.time_zone,
        "currency": settings.currency,
        "status_date": settings.status_date.map(codec::datetime_text),
        "calendar": calendar,
        "units": {
            "minutes_per_day": settings.units.minutes_per_day,
            "minutes_per_week": settings.units.minutes_per_week,
            "days_per_month": settings.units.days_per_month,
        },
        "honor_constraints": settings.honor_constraints,
        "phase": settings.phase,
        "client": settings.client.map(|client| client.0),
        "client_deadline": settings.client_deadline.map(|date| date.to_string()),
    })
}

async fn update_settings(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    settings: &ProjectSettings,
) -> Result<()> {
    let loaded = project_settings(conn, ctx).await?;
    let (calendar, calendar_label) = calendar_opt(conn, ctx, Some(settings.calendar)).await?;
    let (anchor_kind, anchor_at) = codec::anchor_columns(settings.anchor);
    sqlx::query(
        "UPDATE projects SET name = $1, anchor_kind = $2, anchor_at = $3, time_zone = $4, currency = $5, \
         status_date = $6, calendar_id = $7, minutes_per_day = $8, minutes_per_week = $9, days_per_month = $10, \
         honor_constraints = $11, phase = $12, client_id = $13, client_deadline = $14 WHERE id = $15",
    )
    .bind(&settings.name)
    .bind(anchor_kind)
    .bind(anchor_at)
    .bind(&settings.time_zone)
    .bind(&settings.currency)
    .bind(settings.status_date.map(codec::datetime_text))
    .bind(calendar)
    .bind(i64::from(settings.units.minutes_per_day))
    .bind(i64::from(settings.units.minutes_per_week))
    .bind(i64::from(settings.units.days_per_month))
    .bind(flag(settings.honor_constraints))
    .bind(settings.phase.as_deref())
    .bind(settings.client.map(|client| client.0))
    .bind(settings.client_deadline.map(|date| date.to_string()))
    .bind(ctx.project.0)
    .execute(&mut *conn)
    .await
    .map_err(|e| classify(e, || format!("a project named {:?}", settings.name)))?;
    let new = settings_json(settings, calendar_label);
    audit(
        conn,
        ctx,
        "settings",
        &ctx.name,
        Action::Update,
        Some(loaded),
        Some(new),
    )
    .await
}

/// The settings as stored, as audit JSON.
async fn project_settings(conn: &mut AnyConnection, ctx: &Ctx) -> Result<Value> {
    let row = sqlx::query(
        "SELECT p.name, p.anchor_kind, p.anchor_at, p.time_zone, p.currency, p.status_date, \
         p.minutes_per_day, p.minutes_per_week, p.days_per_month, p.honor_constraints, p.phase, \
         p.client_id, p.client_deadline, c.uid AS calendar_uid, c.name AS calendar_name \
         FROM projects p LEFT JOIN calendars c ON c.id = p.calendar_id WHERE p.id = $1",
    )
    .bind(ctx.project.0)
    .fetch_one(&mut *conn)
    .await?;
    let status_date: Option<String> = row.try_get("status_date")?;
    let client_deadline: Option<String> = row.try_get("client_deadline")?;
    let settings = ProjectSettings {
        name: row.try_get("name")?,
        anchor: codec::parse_anchor(
            &row.try_get::<String, _>("anchor_kind")?,
            &row.try_get::<String, _>("anchor_at")?,
        )?,
        time_zone: row.try_get("time_zone")?,
        currency: row.try_get("currency")?,
        status_date: codec::parse_datetime_opt("projects", "status_date", status_date)?,
        calendar: CalendarId(0),
        units: Units {
            minutes_per_day: codec::narrow(
                "projects",
                "minutes_per_day",
                row.try_get("minutes_per_day")?,
            )?,
            minutes_per_week: codec::narrow(
                "projects",
                "minutes_per_week",
                row.try_get("minutes_per_week")?,
            )?,
            days_per_month: codec::narrow(
                "projects",
                "days_per_month",
                row.try_get("days_per_month")?,
            )?,
        },
        honor_constraints: row.try_get::<i64, _>("honor_constraints")? != 0,
        phase: row.try_get("phase")?,
        client: row.try_get::<Option<i64>, _>("client_id")?.map(ClientId),
        client_deadline: client_deadline
            .map(|text| codec::parse_date("projects", "client_deadline", &text))
            .transpose()?,
    };
    Ok(settings_json(
        &settings,
        calendar_label(row.try_get("calendar_uid")?, row.try_get("calendar_name")?),
    ))
}
