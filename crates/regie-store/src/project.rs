//! Whole projects: save a `regie_core::Project` as a new project, load it back identical, list
//! and delete projects.

use std::collections::HashMap;

use jiff::civil::Date;
use regie_core::calendar::{Calendar, Exception};
use regie_core::{
    Assignment, CalendarId, Duration, Link, ManualDates, Money, Progress, Project, Rates, Resource,
    ResourceId, Task, TaskId, Units,
};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{Action, record};
use crate::codec::{self, flag, narrow};
use crate::error::classify;
use crate::{ClientId, ProjectId, Result, Store, StoreError, UserId, from_ms, now_ms};

/// One page of a listing: `limit` items after skipping `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub offset: i64,
    pub limit: i64,
}

impl Page {
    /// The most a page may hold, so one request cannot ask for the whole database.
    pub const MAX_LIMIT: i64 = 1000;

    pub fn first(limit: i64) -> Page {
        Page { offset: 0, limit }
    }

    /// Clamped to `0..=MAX_LIMIT` and a non-negative offset, so any input is a valid query.
    fn clamped(self) -> (i64, i64) {
        (self.limit.clamp(0, Page::MAX_LIMIT), self.offset.max(0))
    }
}

/// What a listing shows of a project, and the store-only facts the model does not carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectSummary {
    pub id: ProjectId,
    pub name: String,
    /// Bumped by every change; pass it back as `expected_version`.
    pub version: i64,
    pub phase: Option<String>,
    pub client: Option<ClientId>,
    /// The finish date agreed with the client.
    pub client_deadline: Option<Date>,
    pub updated_at: jiff::Timestamp,
}

/// A project as loaded: the model and the version it was read at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedProject {
    pub summary: ProjectSummary,
    pub project: Project,
}

impl Store {
    /// Saves `project` as a new project, in one transaction, and records its creation in the
    /// audit log. The project name must be unused.
    pub async fn create_project(
        &self,
        project: &Project,
        actor: Option<UserId>,
    ) -> Result<ProjectId> {
        project
            .validate()
            .map_err(|error| StoreError::Invalid(format!("project {:?}: {error}", project.name)))?;
        let mut tx = self.begin_write().await?;
        let id = insert_project(&mut tx, project).await?;
        record(
            &mut tx,
            id,
            actor,
            1,
            "project",
            &project.name,
            Action::Create,
            None,
            Some(json!({
                "name": project.name,
                "tasks": project.tasks.len(),
                "links": project.links.len(),
                "resources": project.resources.len(),
                "assignments": project.assignments.len(),
                "calendars": project.calendars.len(),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Loads a project whole, with the version it was read at (one consistent snapshot).
    pub async fn load_project(&self, id: ProjectId) -> Result<LoadedProject> {
        let mut tx = self.begin_read().await?;
        let loaded = read_project(&mut tx, id).await?;
        tx.commit().await?;
        Ok(loaded)
    }

    /// The current version of a project: the cheap check behind an ETag.
    pub async fn project_version(&self, id: ProjectId) -> Result<i64> {
        let version: Option<i64> = sqlx::query_scalar("SELECT version FROM projects WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?;
        version.ok_or_else(|| StoreError::NotFound(format!("project #{}", id.0)))
    }

    /// The project named `name`, if any.
    pub async fn find_project(&self, name: &str) -> Result<Option<ProjectId>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.read)
            .await?;
        Ok(id.map(ProjectId))
    }

    /// Projects by name, one page at a time.
    pub async fn list_projects(&self, page: Page) -> Result<Vec<ProjectSummary>> {
        let (limit, offset) = page.clamped();
        let rows = sqlx::query(
            "SELECT id, name, version, phase, client_id, client_deadline, updated_at \
             FROM projects ORDER BY name, id LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// The projects `user` is a member of (in any role), by name, one page at a time.
    pub async fn list_projects_of_user(
        &self,
        user: UserId,
        page: Page,
    ) -> Result<Vec<ProjectSummary>> {
        let (limit, offset) = page.clamped();
        let rows = sqlx::query(
            "SELECT p.id, p.name, p.version, p.phase, p.client_id, p.client_deadline, p.updated_at \
             FROM projects p JOIN memberships m ON m.project_id = p.id \
             WHERE m.user_id = $1 ORDER BY p.name, p.id LIMIT $2 OFFSET $3",
        )
        .bind(user.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// Deletes a project and everything in it (its audit log too), if it is still at
    /// `expected_version`.
    pub async fn delete_project(&self, id: ProjectId, expected_version: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        crate::change::bump_version(&mut tx, id, expected_version).await?;
        delete_contents(&mut tx, id).await?;
        sqlx::query("DELETE FROM projects WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Replaces the whole content of a project (an edited plan file uploaded again) if it is
    /// still at `expected_version`, in one transaction: one audit row per task, link,
    /// resource, assignment or calendar that was added, changed or removed (matched by uid),
    /// and one version bump. Keeps the store's own settings (phase, client, client deadline),
    /// the members and the audit log.
    pub async fn replace_project(
        &self,
        id: ProjectId,
        expected_version: i64,
        actor: Option<UserId>,
        project: &Project,
    ) -> Result<i64> {
        project
            .validate()
            .map_err(|error| StoreError::Invalid(format!("project {:?}: {error}", project.name)))?;
        let mut tx = self.begin_write().await?;
        let (version, _) = crate::change::bump_version(&mut tx, id, expected_version).await?;
        let old = read_project(&mut tx, id).await?.project;
        delete_contents(&mut tx, id).await?;
        let (anchor_kind, anchor_at) = codec::anchor_columns(project.anchor);
        sqlx::query(
            "UPDATE projects SET name = $1, anchor_kind = $2, anchor_at = $3, time_zone = $4, currency = $5, \
             status_date = $6, minutes_per_day = $7, minutes_per_week = $8, days_per_month = $9, \
             honor_constraints = $10 WHERE id = $11",
        )
        .bind(&project.name)
        .bind(anchor_kind)
        .bind(anchor_at)
        .bind(&project.time_zone)
        .bind(&project.currency)
        .bind(project.status_date.map(codec::datetime_text))
        .bind(i64::from(project.units.minutes_per_day))
        .bind(i64::from(project.units.minutes_per_week))
        .bind(i64::from(project.units.days_per_month))
        .bind(flag(project.honor_constraints))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| classify(e, || format!("a project named {:?}", project.name)))?;
        insert_contents(&mut tx, id, project).await?;

        let old_entities = entities(&old);
        let before: HashMap<(&str, &str), &serde_json::Value> = old_entities
            .iter()
            .map(|(entity, key, json)| ((*entity, key.as_str()), json))
            .collect();
        let after = entities(project);
        let after_keys: std::collections::HashSet<(&str, &str)> = after
            .iter()
            .map(|(entity, key, _)| (*entity, key.as_str()))
            .collect();
        for (entity, key, json) in &old_entities {
            if !after_keys.contains(&(*entity, key.as_str())) {
                record(
                    &mut tx,
                    id,
                    actor,
                    version,
                    entity,
                    key,
                    Action::Delete,
                    Some(json.clone()),
                    None,
                )
                .await?;
            }
        }
        for (entity, key, json) in after {
            let entity_id = if entity == "settings" {
                project.name.clone()
            } else {
                key.clone()
            };
            match before.get(&(entity, key.as_str())) {
                None => {
                    record(
                        &mut tx,
                        id,
                        actor,
                        version,
                        entity,
                        &entity_id,
                        Action::Create,
                        None,
                        Some(json),
                    )
                    .await?
                }
                Some(&old) if *old != json => {
                    record(
                        &mut tx,
                        id,
                        actor,
                        version,
                        entity,
                        &entity_id,
                        Action::Update,
                        Some(old.clone()),
                        Some(json),
                    )
                    .await?
                }
                Some(_) => {}
            }
        }
        tx.commit().await?;
        Ok(version)
    }
}

fn summary_from_row(row: &AnyRow) -> Result<ProjectSummary> {
    let client_deadline: Option<String> = row.try_get("client_deadline")?;
    Ok(ProjectSummary {
        id: ProjectId(row.try_get("id")?),
        name: row.try_get("name")?,
        version: row.try_get("version")?,
        phase: row.try_get("phase")?,
        client: row.try_get::<Option<i64>, _>("client_id")?.map(ClientId),
        client_deadline: client_deadline
            .map(|text| codec::parse_date("projects", "client_deadline", &text))
            .transpose()?,
        updated_at: from_ms(row.try_get("updated_at")?)?,
    })
}

pub(crate) fn unique_task(uid: &str, project: &str) -> String {
    format!("a task with uid {uid:?} in project {project:?}")
}

pub(crate) fn unique_resource(uid: &str, project: &str) -> String {
    format!("a resource with uid {uid:?} in project {project:?}")
}

/// Inserts every row of a new project; the caller owns the transaction.
async fn insert_project(conn: &mut AnyConnection, project: &Project) -> Result<ProjectId> {
    let (anchor_kind, anchor_at) = codec::anchor_columns(project.anchor);
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO projects (name, anchor_kind, anchor_at, time_zone, currency, status_date, \
         minutes_per_day, minutes_per_week, days_per_month, honor_constraints, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id",
    )
    .bind(&project.name)
    .bind(anchor_kind)
    .bind(anchor_at)
    .bind(&project.time_zone)
    .bind(&project.currency)
    .bind(project.status_date.map(codec::datetime_text))
    .bind(i64::from(project.units.minutes_per_day))
    .bind(i64::from(project.units.minutes_per_week))
    .bind(i64::from(project.units.days_per_month))
    .bind(flag(project.honor_constraints))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| classify(e, || format!("a project named {:?}", project.name)))?;
    let project_id = ProjectId(id);
    insert_contents(conn, project_id, project).await?;
    Ok(project_id)
}

/// Everything of a project but its own row: calendars, tasks, links, resources, assignments.
async fn insert_contents(
    conn: &mut AnyConnection,
    project_id: ProjectId,
    project: &Project,
) -> Result<()> {
    let id = project_id.0;
    let mut calendar_ids = Vec::with_capacity(project.calendars.len());
    for (position, calendar) in project.calendars.iter().enumerate() {
        calendar_ids
            .push(insert_calendar(conn, project_id, position as i64, calendar, None).await?);
    }
    // Bases may point forward in the list, so they are set once every calendar has its row.
    for (calendar, &db_id) in project.calendars.iter().zip(&calendar_ids) {
        if let Some(base) = calendar.base {
            sqlx::query("UPDATE calendars SET base_id = $1 WHERE id = $2")
                .bind(calendar_ids[base.index()])
                .bind(db_id)
                .execute(&mut *conn)
                .await?;
        }
    }
    sqlx::query("UPDATE projects SET calendar_id = $1 WHERE id = $2")
        .bind(calendar_ids[project.calendar.index()])
        .bind(id)
        .execute(&mut *conn)
        .await?;

    let calendar_of = |cal: Option<CalendarId>| cal.map(|cal| calendar_ids[cal.index()]);
    let mut task_ids: Vec<i64> = Vec::with_capacity(project.tasks.len());
    for (position, task) in project.tasks.iter().enumerate() {
        let parent = task.parent.map(|parent| task_ids[parent.index()]);
        let task_id = insert_task(
            conn,
            project_id,
            &project.name,
            position as i64,
            task,
            parent,
            calendar_of(task.calendar),
        )
        .await?;
        task_ids.push(task_id);
    }
    for (position, link) in project.links.iter().enumerate() {
        insert_link(
            conn,
            project_id,
            position as i64,
            task_ids[link.pred.index()],
            task_ids[link.succ.index()],
            link,
            || {
                format!(
                    "a link from {:?} to {:?} in project {:?}",
                    project.tasks[link.pred.index()].uid,
                    project.tasks[link.succ.index()].uid,
                    project.name
                )
            },
        )
        .await?;
    }
    let mut resource_ids = Vec::with_capacity(project.resources.len());
    for (position, resource) in project.resources.iter().enumerate() {
        resource_ids.push(
            insert_resource(
                conn,
                project_id,
                &project.name,
                position as i64,
                resource,
                calendar_of(resource.calendar),
            )
            .await?,
        );
    }
    for (position, assignment) in project.assignments.iter().enumerate() {
        insert_assignment(
            conn,
            project_id,
            position as i64,
            task_ids[assignment.task.index()],
            resource_ids[assignment.resource.index()],
            assignment,
            || {
                format!(
                    "an assignment of {:?} to {:?} in project {:?}",
                    project.resources[assignment.resource.index()].uid,
                    project.tasks[assignment.task.index()].uid,
                    project.name
                )
            },
        )
        .await?;
    }
    Ok(())
}

/// Deletes everything of a project but its own row (and its audit log and memberships).
async fn delete_contents(conn: &mut AnyConnection, id: ProjectId) -> Result<()> {
    // The project row points at its calendar, tasks and calendars point at each other within the
    // project: cut those references so the rows can go in any order.
    for sql in [
        "UPDATE projects SET calendar_id = NULL WHERE id = $1",
        "DELETE FROM links WHERE project_id = $1",
        "DELETE FROM assignments WHERE project_id = $1",
        "DELETE FROM resources WHERE project_id = $1",
        "UPDATE tasks SET parent_id = NULL WHERE project_id = $1",
        "DELETE FROM tasks WHERE project_id = $1",
        "UPDATE calendars SET base_id = NULL WHERE project_id = $1",
        "DELETE FROM calendars WHERE project_id = $1",
    ] {
        sqlx::query(sql).bind(id.0).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The audit JSON of every entity of a model, keyed as [`crate::Change`]s name them.
fn entities(project: &Project) -> Vec<(&'static str, String, serde_json::Value)> {
    let calendar =
        |id: Option<CalendarId>| match id.and_then(|id| project.calendars.get(id.index())) {
            Some(cal) if !cal.uid.is_empty() => serde_json::Value::String(cal.uid.clone()),
            Some(cal) => serde_json::Value::String(cal.name.clone()),
            None => serde_json::Value::Null,
        };
    let uid = |id: TaskId| project.tasks[id.index()].uid.as_str();
    let mut all = Vec::new();
    let settings = crate::ProjectSettings::of(project);
    all.push((
        "settings",
        String::new(),
        crate::change::settings_json(&settings, calendar(Some(project.calendar))),
    ));
    for cal in &project.calendars {
        let key = if cal.uid.is_empty() {
            cal.name.clone()
        } else {
            cal.uid.clone()
        };
        all.push((
            "calendar",
            key,
            codec::calendar_json(cal, calendar(cal.base)),
        ));
    }
    for task in &project.tasks {
        let json = codec::task_json(task, task.parent.map(uid), calendar(task.calendar));
        all.push(("task", task.uid.clone(), json));
    }
    for link in &project.links {
        let (pred, succ) = (uid(link.pred), uid(link.succ));
        all.push((
            "link",
            format!("{pred}->{succ}"),
            codec::link_json(pred, succ, link),
        ));
    }
    for resource in &project.resources {
        all.push((
            "resource",
            resource.uid.clone(),
            codec::resource_json(resource, calendar(resource.calendar)),
        ));
    }
    for a in &project.assignments {
        let (task, resource) = (
            uid(a.task),
            project.resources[a.resource.index()].uid.as_str(),
        );
        all.push((
            "assignment",
            format!("{resource}@{task}"),
            codec::assignment_json(task, resource, a),
        ));
    }
    all
}

/// Inserts a calendar and its exceptions; `base` is the base calendar's row id when known.
pub(crate) async fn insert_calendar(
    conn: &mut AnyConnection,
    project: ProjectId,
    position: i64,
    calendar: &Calendar,
    base: Option<i64>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO calendars (project_id, position, uid, name, base_id, week) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(project.0)
    .bind(position)
    .bind(&calendar.uid)
    .bind(&calendar.name)
    .bind(base)
    .bind(codec::week_json(&calendar.week).to_string())
    .fetch_one(&mut *conn)
    .await?;
    insert_exceptions(conn, id, &calendar.exceptions).await?;
    Ok(id)
}

pub(crate) async fn insert_exceptions(
    conn: &mut AnyConnection,
    calendar: i64,
    exceptions: &[Exception],
) -> Result<()> {
    for (position, exception) in exceptions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO calendar_exceptions (calendar_id, position, name, rule, shifts) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(calendar)
        .bind(position as i64)
        .bind(&exception.name)
        .bind(codec::rule_json(&exception.dates).to_string())
        .bind(codec::shifts_json(&exception.shifts).to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub(crate) async fn insert_task(
    conn: &mut AnyConnection,
    project: ProjectId,
    project_name: &str,
    position: i64,
    task: &Task,
    parent: Option<i64>,
    calendar: Option<i64>,
) -> Result<i64> {
    let query = sqlx::query(
        "INSERT INTO tasks (project_id, position, uid, name, parent_id, milestone, duration_minutes, \
         duration_elapsed, work_minutes, task_type, effort_driven, constraint_kind, constraint_date, \
         deadline, priority, calendar_id, notes, percent_complete, actual_start, actual_finish, \
         manual_start, manual_finish, splits) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20, $21, $22, $23) RETURNING id",
    )
    .bind(project.0)
    .bind(position)
    .bind(&task.uid)
    .bind(&task.name)
    .bind(parent);
    let row = bind_task_fields(query, task, calendar)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| classify(e, || unique_task(&task.uid, project_name)))?;
    Ok(row.try_get("id")?)
}

/// Binds a task's fields from `milestone` to `splits`, in the column order the INSERT and the
/// UPDATE of tasks share after the uid and name.
pub(crate) fn bind_task_fields<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    task: &'q Task,
    calendar: Option<i64>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    query
        .bind(flag(task.milestone))
        .bind(task.duration.minutes)
        .bind(flag(task.duration.elapsed))
        .bind(task.work)
        .bind(codec::task_type_code(task.task_type))
        .bind(flag(task.effort_driven))
        .bind(codec::constraint_code(task.constraint.kind))
        .bind(task.constraint.date.map(codec::datetime_text))
        .bind(task.deadline.map(codec::datetime_text))
        .bind(i64::from(task.priority))
        .bind(calendar)
        .bind(&task.notes)
        .bind(i64::from(task.progress.percent_complete))
        .bind(task.progress.actual_start.map(codec::datetime_text))
        .bind(task.progress.actual_finish.map(codec::datetime_text))
        .bind(task.manual.map(|m| codec::datetime_text(m.start)))
        .bind(task.manual.map(|m| codec::datetime_text(m.finish)))
        .bind(codec::splits_json(&task.splits).to_string())
}

pub(crate) async fn insert_link(
    conn: &mut AnyConnection,
    project: ProjectId,
    position: i64,
    pred: i64,
    succ: i64,
    link: &Link,
    describe: impl FnOnce() -> String,
) -> Result<i64> {
    let (lag_kind, lag_value) = codec::lag_columns(link.lag);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO links (project_id, position, pred_id, succ_id, kind, lag_kind, lag_value) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(project.0)
    .bind(position)
    .bind(pred)
    .bind(succ)
    .bind(link.kind.code())
    .bind(lag_kind)
    .bind(lag_value)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| classify(e, describe))?;
    Ok(id)
}

pub(crate) async fn insert_resource(
    conn: &mut AnyConnection,
    project: ProjectId,
    project_name: &str,
    position: i64,
    resource: &Resource,
    calendar: Option<i64>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO resources (project_id, position, uid, name, kind, max_units, calendar_id, \
         standard_rate_cents, overtime_rate_cents, per_use_cents, email, group_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(project.0)
    .bind(position)
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
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| classify(e, || unique_resource(&resource.uid, project_name)))?;
    Ok(id)
}

pub(crate) async fn insert_assignment(
    conn: &mut AnyConnection,
    project: ProjectId,
    position: i64,
    task: i64,
    resource: i64,
    assignment: &Assignment,
    describe: impl FnOnce() -> String,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO assignments (project_id, position, task_id, resource_id, units, work_minutes) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(project.0)
    .bind(position)
    .bind(task)
    .bind(resource)
    .bind(i64::from(assignment.units))
    .bind(assignment.work)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| classify(e, describe))?;
    Ok(id)
}

/// A task row as the model's `Task`, without its references (parent and calendar are left
/// `None`; the caller maps the row ids it returns).
pub(crate) fn task_from_row(row: &AnyRow) -> Result<Task> {
    const T: &str = "tasks";
    let manual_start: Option<String> = row.try_get("manual_start")?;
    let manual_finish: Option<String> = row.try_get("manual_finish")?;
    let manual = match (manual_start, manual_finish) {
        (Some(start), Some(finish)) => Some(ManualDates {
            start: codec::parse_datetime(T, "manual_start", &start)?,
            finish: codec::parse_datetime(T, "manual_finish", &finish)?,
        }),
        (None, None) => None,
        (Some(text), None) | (None, Some(text)) => {
            return Err(codec::corrupt(
                T,
                "manual_start",
                &text,
                "manual start and finish go together",
            ));
        }
    };
    let mut task = Task::new(
        row.try_get::<String, _>("uid")?,
        row.try_get::<String, _>("name")?,
    );
    task.milestone = row.try_get::<i64, _>("milestone")? != 0;
    task.duration = Duration {
        minutes: row.try_get("duration_minutes")?,
        elapsed: row.try_get::<i64, _>("duration_elapsed")? != 0,
    };
    task.work = row.try_get("work_minutes")?;
    task.task_type = codec::parse_task_type(&row.try_get::<String, _>("task_type")?)?;
    task.effort_driven = row.try_get::<i64, _>("effort_driven")? != 0;
    task.constraint.kind = codec::parse_constraint(&row.try_get::<String, _>("constraint_kind")?)?;
    task.constraint.date =
        codec::parse_datetime_opt(T, "constraint_date", row.try_get("constraint_date")?)?;
    task.deadline = codec::parse_datetime_opt(T, "deadline", row.try_get("deadline")?)?;
    task.priority = narrow(T, "priority", row.try_get("priority")?)?;
    task.notes = row.try_get("notes")?;
    task.progress = Progress {
        percent_complete: narrow(T, "percent_complete", row.try_get("percent_complete")?)?,
        actual_start: codec::parse_datetime_opt(T, "actual_start", row.try_get("actual_start")?)?,
        actual_finish: codec::parse_datetime_opt(
            T,
            "actual_finish",
            row.try_get("actual_finish")?,
        )?,
    };
    task.manual = manual;
    task.splits = codec::parse_splits(&row.try_get::<String, _>("splits")?)?;
    Ok(task)
}

/// A resource row without its calendar reference.
pub(crate) fn resource_from_row(row: &AnyRow) -> Result<Resource> {
    let mut resource = Resource::new(
        row.try_get::<String, _>("uid")?,
        row.try_get::<String, _>("name")?,
    );
    resource.kind = codec::parse_resource_kind(&row.try_get::<String, _>("kind")?)?;
    resource.max_units = narrow("resources", "max_units", row.try_get("max_units")?)?;
    resource.rates = Rates {
        standard: Money(row.try_get("standard_rate_cents")?),
        overtime: Money(row.try_get("overtime_rate_cents")?),
        per_use: Money(row.try_get("per_use_cents")?),
    };
    resource.email = row.try_get("email")?;
    resource.group = row.try_get("group_name")?;
    Ok(resource)
}

/// Maps a row id to the model index it was given while loading, naming the dangling column.
fn index_of(
    map: &HashMap<i64, u32>,
    table: &'static str,
    column: &'static str,
    id: i64,
) -> Result<u32> {
    map.get(&id).copied().ok_or_else(|| {
        codec::corrupt(
            table,
            column,
            &id.to_string(),
            "refers to a row of another project or none",
        )
    })
}

pub(crate) async fn read_project(conn: &mut AnyConnection, id: ProjectId) -> Result<LoadedProject> {
    let row = sqlx::query(
        "SELECT id, name, version, phase, client_id, client_deadline, updated_at, anchor_kind, \
         anchor_at, time_zone, currency, status_date, calendar_id, minutes_per_day, \
         minutes_per_week, days_per_month, honor_constraints FROM projects WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("project #{}", id.0)))?;
    let summary = summary_from_row(&row)?;
    let anchor = codec::parse_anchor(
        &row.try_get::<String, _>("anchor_kind")?,
        &row.try_get::<String, _>("anchor_at")?,
    )?;
    let project_calendar: Option<i64> = row.try_get("calendar_id")?;
    let mut project = Project::new(summary.name.clone(), jiff::civil::DateTime::default());
    project.anchor = anchor;
    project.time_zone = row.try_get("time_zone")?;
    project.currency = row.try_get("currency")?;
    project.status_date =
        codec::parse_datetime_opt("projects", "status_date", row.try_get("status_date")?)?;
    project.units = Units {
        minutes_per_day: narrow(
            "projects",
            "minutes_per_day",
            row.try_get("minutes_per_day")?,
        )?,
        minutes_per_week: narrow(
            "projects",
            "minutes_per_week",
            row.try_get("minutes_per_week")?,
        )?,
        days_per_month: narrow("projects", "days_per_month", row.try_get("days_per_month")?)?,
    };
    project.honor_constraints = row.try_get::<i64, _>("honor_constraints")? != 0;

    // Calendars, in position order; the row id → index map resolves every calendar reference.
    let rows = sqlx::query("SELECT id, uid, name, base_id, week FROM calendars WHERE project_id = $1 ORDER BY position")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    let mut calendar_index = HashMap::with_capacity(rows.len());
    let mut bases = Vec::with_capacity(rows.len());
    project.calendars.clear();
    for (index, row) in rows.iter().enumerate() {
        calendar_index.insert(row.try_get::<i64, _>("id")?, index as u32);
        bases.push(row.try_get::<Option<i64>, _>("base_id")?);
        project.calendars.push(Calendar {
            uid: row.try_get("uid")?,
            name: row.try_get("name")?,
            base: None,
            week: codec::parse_week(&row.try_get::<String, _>("week")?)?,
            exceptions: Vec::new(),
        });
    }
    for (calendar, base) in project.calendars.iter_mut().zip(bases) {
        if let Some(base) = base {
            calendar.base = Some(CalendarId(index_of(
                &calendar_index,
                "calendars",
                "base_id",
                base,
            )?));
        }
    }
    let calendar_ref = |id: Option<i64>, table, column| -> Result<Option<CalendarId>> {
        id.map(|id| index_of(&calendar_index, table, column, id).map(CalendarId))
            .transpose()
    };
    project.calendar =
        calendar_ref(project_calendar, "projects", "calendar_id")?.ok_or_else(|| {
            codec::corrupt(
                "projects",
                "calendar_id",
                "NULL",
                "a project needs a calendar",
            )
        })?;
    let rows = sqlx::query(
        "SELECT e.calendar_id, e.name, e.rule, e.shifts FROM calendar_exceptions e \
         JOIN calendars c ON c.id = e.calendar_id WHERE c.project_id = $1 ORDER BY c.position, e.position",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        let calendar = index_of(
            &calendar_index,
            "calendar_exceptions",
            "calendar_id",
            row.try_get("calendar_id")?,
        )?;
        project.calendars[calendar as usize]
            .exceptions
            .push(Exception {
                name: row.try_get("name")?,
                dates: codec::parse_rule(&row.try_get::<String, _>("rule")?)?,
                shifts: codec::parse_shifts_text(
                    "calendar_exceptions",
                    "shifts",
                    &row.try_get::<String, _>("shifts")?,
                )?,
            });
    }

    let rows = sqlx::query("SELECT * FROM tasks WHERE project_id = $1 ORDER BY position, id")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    let mut task_index = HashMap::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        task_index.insert(row.try_get::<i64, _>("id")?, index as u32);
        let mut task = task_from_row(row)?;
        if let Some(parent) = row.try_get::<Option<i64>, _>("parent_id")? {
            task.parent = Some(TaskId(index_of(&task_index, "tasks", "parent_id", parent)?));
        }
        task.calendar = calendar_ref(row.try_get("calendar_id")?, "tasks", "calendar_id")?;
        project.tasks.push(task);
    }

    let rows = sqlx::query("SELECT pred_id, succ_id, kind, lag_kind, lag_value FROM links WHERE project_id = $1 ORDER BY position, id")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    for row in &rows {
        project.links.push(Link {
            pred: TaskId(index_of(
                &task_index,
                "links",
                "pred_id",
                row.try_get("pred_id")?,
            )?),
            succ: TaskId(index_of(
                &task_index,
                "links",
                "succ_id",
                row.try_get("succ_id")?,
            )?),
            kind: codec::parse_link_kind(&row.try_get::<String, _>("kind")?)?,
            lag: codec::parse_lag(
                &row.try_get::<String, _>("lag_kind")?,
                row.try_get("lag_value")?,
            )?,
        });
    }

    let rows = sqlx::query("SELECT * FROM resources WHERE project_id = $1 ORDER BY position, id")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    let mut resource_index = HashMap::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        resource_index.insert(row.try_get::<i64, _>("id")?, index as u32);
        let mut resource = resource_from_row(row)?;
        resource.calendar = calendar_ref(row.try_get("calendar_id")?, "resources", "calendar_id")?;
        project.resources.push(resource);
    }

    let rows = sqlx::query("SELECT task_id, resource_id, units, work_minutes FROM assignments WHERE project_id = $1 ORDER BY position, id")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    for row in &rows {
        project.assignments.push(Assignment {
            task: TaskId(index_of(
                &task_index,
                "assignments",
                "task_id",
                row.try_get("task_id")?,
            )?),
            resource: ResourceId(index_of(
                &resource_index,
                "assignments",
                "resource_id",
                row.try_get("resource_id")?,
            )?),
            units: narrow("assignments", "units", row.try_get("units")?)?,
            work: row.try_get("work_minutes")?,
        });
    }
    Ok(LoadedProject { summary, project })
}
