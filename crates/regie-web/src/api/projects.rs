//! Projects: list, create, import, settings, delete, export, the computed schedule, the audit
//! log and the members.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use regie_core::time::format_minute;
use regie_core::{Anchor, CalendarId, Project};
use regie_store::{AuditQuery, Change, ClientId, Page, ProjectId, ProjectSettings, Role, UserId};

use crate::api::{apply, json, load, load_at, no_content, with_etag};
use crate::dto::{
    AuditOut, ListQuery, MemberRequest, ProjectCreate, ProjectOut, ProjectPatch, parse_date,
    parse_datetime,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, RawBody, if_match};
use crate::permissions::Action;
use crate::routes::Ctx;
use crate::state::{AppState, CachedSchedule};

/// Admins see every project; everyone else the projects they are a member of.
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let user = ctx
        .actor
        .user()
        .ok_or_else(|| ApiError::unauthorized("not logged in"))?;
    let all = Page::first(Page::MAX_LIMIT);
    let projects = if ctx.may(Action::CreateProject) {
        state.store.list_projects(all).await?
    } else {
        state.store.list_projects_of_user(user.id, all).await?
    };
    let items: Vec<ProjectOut> = projects
        .iter()
        .filter(|p| query.matches_name(&p.name))
        .filter(|p| query.phase.is_none() || p.phase == query.phase)
        .filter(|p| {
            query
                .client
                .is_none_or(|client| p.client == Some(ClientId(client)))
        })
        .map(ProjectOut::summary)
        .collect();
    Ok(json(StatusCode::OK, &query.page(items)))
}

fn created(loaded: &regie_store::LoadedProject) -> Response {
    let mut response = with_etag(
        StatusCode::CREATED,
        loaded.summary.version,
        &ProjectOut::full(loaded),
    );
    if let Ok(location) =
        HeaderValue::from_str(&format!("/api/v1/projects/{}", loaded.summary.id.0))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Sets the store-only settings (phase, client, agreed date) of a just-created project.
async fn set_store_settings(
    state: &AppState,
    id: ProjectId,
    actor: Option<UserId>,
    phase: Option<String>,
    client: Option<i64>,
    client_deadline: Option<String>,
) -> ApiResult<()> {
    if phase.is_none() && client.is_none() && client_deadline.is_none() {
        return Ok(());
    }
    let loaded = state.store.load_project(id).await?;
    let mut settings = ProjectSettings::of(&loaded.project);
    settings.phase = phase;
    settings.client = client.map(ClientId);
    settings.client_deadline = client_deadline
        .map(|text| parse_date("client_deadline", &text))
        .transpose()?;
    state
        .store
        .apply(
            id,
            loaded.summary.version,
            actor,
            &[Change::UpdateSettings(settings)],
        )
        .await?;
    Ok(())
}

pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiJson(body): ApiJson<ProjectCreate>,
) -> ApiResult<Response> {
    if body.name.trim().is_empty() {
        return Err(ApiError::field("name", "must not be empty"));
    }
    let start = parse_datetime("start", &body.start)?;
    if let Some(deadline) = &body.client_deadline {
        parse_date("client_deadline", deadline)?;
    }
    let mut project = Project::new(body.name, start);
    if let Some(zone) = body.time_zone {
        check_time_zone(&zone)?;
        project.time_zone = zone;
    }
    if let Some(currency) = body.currency {
        project.currency = currency;
    }
    let id = state.store.create_project(&project, ctx.user_id()).await?;
    set_store_settings(
        &state,
        id,
        ctx.user_id(),
        body.phase,
        body.client,
        body.client_deadline,
    )
    .await?;
    make_creator_manager(&state, &ctx, id).await?;
    Ok(created(&state.store.load_project(id).await?))
}

/// A project manager who creates a project manages it (an admin creates projects for others
/// and stays out of them).
async fn make_creator_manager(state: &AppState, ctx: &Ctx, project: ProjectId) -> ApiResult<()> {
    if let Some(user) = ctx.actor.user()
        && !user.is_admin
    {
        state
            .store
            .set_membership(project, user.id, Role::ProjectManager, Some(user.id))
            .await?;
    }
    Ok(())
}

fn check_time_zone(zone: &str) -> ApiResult<()> {
    jiff::tz::TimeZone::get(zone).map(|_| ()).map_err(|_| {
        ApiError::field(
            "time_zone",
            format!("{zone:?} is not an IANA time zone such as \"Europe/Paris\""),
        )
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// `kdl`, `mspdi` or `auto` (the default: by content).
    format: Option<String>,
    /// The new project's name, instead of the file's.
    name: Option<String>,
    phase: Option<String>,
    client: Option<i64>,
}

/// Reads a project file from the body: MS Project XML or a Regie KDL file.
pub fn read_project_file(format: &str, bytes: &[u8]) -> ApiResult<Project> {
    use regie_formats::mspdi::{self, Detected};
    let format = match format {
        "auto" => match mspdi::detect(bytes) {
            Detected::Mspdi => "mspdi",
            Detected::Other => "kdl",
            Detected::Foreign(foreign) => {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported-format",
                    foreign.to_string(),
                ));
            }
        },
        other => other,
    };
    match format {
        "mspdi" => {
            mspdi::read("body", bytes).map_err(|error| ApiError::field("body", error.to_string()))
        }
        "kdl" => {
            let text = std::str::from_utf8(bytes).map_err(|error| {
                ApiError::field(
                    "body",
                    format!("the project file is not UTF-8 text: {error}"),
                )
            })?;
            match regie_lang::parse("body", text) {
                Ok(parsed) => Ok(parsed.project),
                Err(diagnostics) => {
                    let mut error = ApiError::unprocessable(format!(
                        "the project file has {} error(s)",
                        diagnostics.len()
                    ));
                    error.errors = diagnostics
                        .messages()
                        .into_iter()
                        .map(|message| crate::error::FieldError {
                            field: "body".into(),
                            message,
                        })
                        .collect();
                    Err(error)
                }
            }
        }
        other => Err(ApiError::field(
            "format",
            format!("{other:?} is not one of kdl, mspdi, auto"),
        )),
    }
}

pub async fn import(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiQuery(query): ApiQuery<ImportQuery>,
    RawBody(bytes): RawBody,
) -> ApiResult<Response> {
    let mut project = read_project_file(query.format.as_deref().unwrap_or("auto"), &bytes)?;
    if let Some(name) = query.name {
        project.name = name;
    }
    let id = state.store.create_project(&project, ctx.user_id()).await?;
    set_store_settings(&state, id, ctx.user_id(), query.phase, query.client, None).await?;
    make_creator_manager(&state, &ctx, id).await?;
    Ok(created(&state.store.load_project(id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplaceQuery {
    /// `kdl`, `mspdi` or `auto` (the default: by content).
    format: Option<String>,
}

/// An edited plan file uploaded again: the store diffs it, audits each change, bumps the
/// version once. The project keeps its name in the store unless the file renames it.
pub async fn replace(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<ReplaceQuery>,
    RawBody(bytes): RawBody,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let project = read_project_file(query.format.as_deref().unwrap_or("auto"), &bytes)?;
    load_at(&state, &ctx, expected).await?;
    state
        .store
        .replace_project(ctx.project()?, expected, ctx.user_id(), &project)
        .await?;
    get(State(state), Extension(ctx)).await
}

pub async fn get(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> ApiResult<Response> {
    let loaded = load(&state, &ctx).await?;
    Ok(with_etag(
        StatusCode::OK,
        loaded.summary.version,
        &ProjectOut::full(&loaded),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ProjectPatch>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let mut settings = ProjectSettings::of(&loaded.project);
    settings.phase = loaded.summary.phase.clone();
    settings.client = loaded.summary.client;
    settings.client_deadline = loaded.summary.client_deadline;
    if let Some(name) = body.name {
        if name.trim().is_empty() {
            return Err(ApiError::field("name", "must not be empty"));
        }
        settings.name = name;
    }
    match (body.start, body.finish) {
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "finish",
                "give `start` or `finish`, not both",
            ));
        }
        (Some(start), None) => settings.anchor = Anchor::Start(parse_datetime("start", &start)?),
        (None, Some(finish)) => {
            settings.anchor = Anchor::Finish(parse_datetime("finish", &finish)?)
        }
        (None, None) => {}
    }
    if let Some(zone) = body.time_zone {
        check_time_zone(&zone)?;
        settings.time_zone = zone;
    }
    if let Some(currency) = body.currency {
        settings.currency = currency;
    }
    if let Some(status_date) = body.status_date {
        settings.status_date = status_date
            .map(|text| parse_datetime("status_date", &text))
            .transpose()?;
    }
    if let Some(calendar) = body.calendar {
        if calendar as usize >= loaded.project.calendars.len() {
            return Err(ApiError::field("calendar", "no calendar has this index"));
        }
        settings.calendar = CalendarId(calendar);
    }
    if let Some(honor) = body.honor_constraints {
        settings.honor_constraints = honor;
    }
    if let Some(phase) = body.phase {
        settings.phase = phase;
    }
    if let Some(client) = body.client {
        settings.client = client.map(ClientId);
    }
    if let Some(deadline) = body.client_deadline {
        settings.client_deadline = deadline
            .map(|text| parse_date("client_deadline", &text))
            .transpose()?;
    }
    apply(&state, &ctx, expected, &[Change::UpdateSettings(settings)]).await?;
    get(State(state), Extension(ctx)).await
}

pub async fn delete(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let project = ctx.project()?;
    state.store.delete_project(project, expected).await?;
    state.schedules.forget(project);
    state.plans.forget(project);
    state.models.forget(project);
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `kdl` (default) or `mspdi`.
    format: Option<String>,
}

pub async fn export(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let loaded = load(&state, &ctx).await?;
    let (content_type, body) = match query.format.as_deref().unwrap_or("kdl") {
        "kdl" => (
            "text/plain; charset=utf-8",
            regie_lang::print(&loaded.project),
        ),
        "mspdi" => {
            let schedule = regie_core::schedule(&loaded.project).map_err(|error| {
                ApiError::unprocessable(format!("the project cannot be scheduled: {error}"))
            })?;
            (
                "application/xml",
                regie_formats::mspdi::write::write(&loaded.project, &schedule),
            )
        }
        other => {
            return Err(ApiError::field(
                "format",
                format!("{other:?} is not one of kdl, mspdi"),
            ));
        }
    };
    let extension = if content_type == "application/xml" {
        "xml"
    } else {
        "kdl"
    };
    let disposition = format!(
        "attachment; filename=\"{}\"",
        export_file_name(&loaded.summary.name, extension)
    );
    let mut response = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response();
    crate::api::set_etag(&mut response, loaded.summary.version);
    Ok(response)
}

/// The file name an export is saved under: the project's name in lower case, ASCII letters
/// and digits with dashes between words (`Project Été 2027` → `project-t-2027.kdl`), `project`
/// when nothing is left; safe inside a quoted `Content-Disposition` filename.
pub fn export_file_name(project: &str, extension: &str) -> String {
    let mut stem = String::new();
    for c in project.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
        if stem.len() >= 80 {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    let stem = if stem.is_empty() { "project" } else { stem };
    format!("{stem}.{extension}")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleQuery {
    /// Level resources first and include the delays with their reasons.
    #[serde(default)]
    level: bool,
}

/// The schedule of a project as JSON; cached per (project, version), gzipped for clients
/// that accept it.
pub async fn schedule(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<ScheduleQuery>,
) -> ApiResult<Response> {
    let gzip = crate::gzip::accepted(&headers);
    let project_id = ctx.project()?;
    let version = match ctx.version {
        Some(version) => version,
        None => state.store.project_version(project_id).await?,
    };
    // Leveled schedules are keyed apart by a negative version.
    let key = (project_id, if query.level { -version } else { version });
    if let Some(cached) = state.schedules.get(key) {
        return Ok(schedule_answer(version, cached, gzip));
    }
    let loaded = load(&state, &ctx).await?;
    let version = loaded.summary.version;
    let key = (project_id, if query.level { -version } else { version });
    let cached = tokio::task::spawn_blocking(move || {
        let value = schedule_json(&loaded.project, version, query.level)?;
        let json = serde_json::to_vec(&value).map_err(ApiError::internal)?;
        CachedSchedule::new(json).map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)??;
    state.schedules.put(key, cached.clone());
    Ok(schedule_answer(version, cached, gzip))
}

fn schedule_answer(version: i64, cached: CachedSchedule, gzip: bool) -> Response {
    let body = if gzip { cached.gzip } else { cached.json };
    let mut response = (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ],
        body,
    )
        .into_response();
    if gzip {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    crate::api::set_etag(&mut response, version);
    response
}

/// `project` leveled with the default options for its size.
fn level_plan(project: &Project) -> ApiResult<regie_core::level::project::Leveled> {
    use regie_core::level::project::{LevelOptions, default_budget, level};
    let options = LevelOptions {
        budget: default_budget(project),
        ..LevelOptions::default()
    };
    level(project, &options).map_err(|error| {
        ApiError::unprocessable(format!("the project cannot be scheduled: {error}"))
    })
}

/// What leveling moved and why: each delayed task with its old and new start, the resource it
/// waits for, the tasks holding that resource and until when; the days left over-allocated.
fn leveling_json(project: &Project, leveled: &regie_core::level::project::Leveled) -> Value {
    let delays: Vec<Value> = leveled
        .delays
        .iter()
        .map(|delay| {
            json!({
                "task": project.task(delay.task).uid,
                "from": format_minute(delay.from),
                "to": format_minute(delay.to),
                "waits_for": project.resources[delay.resource.index()].uid,
                "held_by": delay.held_by.iter().map(|id| project.task(*id).uid.clone()).collect::<Vec<_>>(),
                "busy_until": format_minute(delay.busy_until),
            })
        })
        .collect();
    json!({"delays": delays, "unresolved_days": leveled.unresolved.len()})
}

/// Levels the plan and keeps the result: the delays become start-no-earlier-than constraints
/// (`regie_core::level::project::leveled_project`), written in one change at the `If-Match`
/// version (one version, audited task by task). Answers what moved and why.
pub async fn level(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let (changes, leveling) = tokio::task::spawn_blocking(move || -> ApiResult<_> {
        let project = &loaded.project;
        let leveled = level_plan(project)?;
        let plan = regie_core::level::project::leveled_project(project, &leveled);
        let changes: Vec<Change> = project
            .task_ids()
            .filter(|id| plan.task(*id) != project.task(*id))
            .map(|id| Change::UpdateTask {
                uid: project.task(id).uid.clone(),
                task: plan.task(id).clone(),
            })
            .collect();
        Ok((changes, leveling_json(project, &leveled)))
    })
    .await
    .map_err(ApiError::internal)??;
    let version = if changes.is_empty() {
        expected
    } else {
        apply(&state, &ctx, expected, &changes).await?
    };
    Ok(with_etag(
        StatusCode::OK,
        version,
        &json!({"version": version, "moved": changes.len(), "leveling": leveling}),
    ))
}

/// The computed schedule of `project` (leveled first when `level`), as the API's JSON.
pub fn schedule_json(project: &Project, version: i64, level: bool) -> ApiResult<Value> {
    let unschedulable = |error: regie_core::ScheduleError| {
        ApiError::unprocessable(format!("the project cannot be scheduled: {error}"))
    };
    let (schedule, leveling) = if level {
        let leveled = level_plan(project)?;
        let leveling = leveling_json(project, &leveled);
        (leveled.schedule, Some(leveling))
    } else {
        (regie_core::schedule(project).map_err(unschedulable)?, None)
    };
    let wbs = project.outline_numbers();
    let summary = project.summary_flags();
    let tasks: Vec<Value> = project
        .task_ids()
        .map(|id| {
            let task = project.task(id);
            let dates = schedule.task(id);
            json!({
                "uid": task.uid,
                "wbs": wbs[id.index()],
                "name": task.name,
                "summary": summary[id.index()],
                "milestone": task.milestone,
                "start": format_minute(dates.start),
                "finish": format_minute(dates.finish),
                "early_start": format_minute(dates.early_start),
                "early_finish": format_minute(dates.early_finish),
                "late_start": format_minute(dates.late_start),
                "late_finish": format_minute(dates.late_finish),
                "total_float_minutes": dates.total_float,
                "free_float_minutes": dates.free_float,
                "critical": dates.critical,
            })
        })
        .collect();
    let warnings: Vec<Value> = schedule
        .warnings
        .iter()
        .map(|warning| {
            json!({"kind": warning.kind(), "task": project.task(warning.task()).uid, "message": warning.message(project)})
        })
        .collect();
    let critical_paths: Vec<Vec<&str>> = schedule
        .critical_paths(project)
        .into_iter()
        .map(|path| {
            path.into_iter()
                .map(|id| project.task(id).uid.as_str())
                .collect()
        })
        .collect();
    Ok(json!({
        "project": {"name": project.name, "start": format_minute(schedule.start), "finish": format_minute(schedule.finish)},
        "version": version,
        "tasks": tasks,
        "warnings": warnings,
        "critical_paths": critical_paths,
        "leveling": leveling,
    }))
}

pub async fn audit(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let project = ctx.project()?;
    let version = state.store.project_version(project).await?;
    let entries = state
        .store
        .audit_log(
            project,
            AuditQuery {
                page: Page::first(Page::MAX_LIMIT),
                since_version: query.since_version,
            },
        )
        .await?;
    let items: Vec<AuditOut> = entries
        .iter()
        .filter(|entry| {
            query
                .entity
                .as_ref()
                .is_none_or(|entity| &entry.entity == entity)
        })
        .map(AuditOut::from)
        .collect();
    Ok(with_etag(StatusCode::OK, version, &query.page(items)))
}

pub async fn members(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> ApiResult<Response> {
    let project = ctx.project()?;
    let version = state.store.project_version(project).await?;
    let mut items = Vec::new();
    for membership in state.store.memberships(project).await? {
        let user = state.store.user(membership.user).await?;
        items.push(json!({"user": user.id.0, "login": user.login, "display_name": user.display_name, "role": membership.role.code()}));
    }
    let total = items.len();
    Ok(with_etag(
        StatusCode::OK,
        version,
        &json!({"items": items, "total": total, "offset": 0, "limit": total}),
    ))
}

pub async fn set_member(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiPath((_, user)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<MemberRequest>,
) -> ApiResult<Response> {
    let role = Role::parse(&body.role).ok_or_else(|| {
        ApiError::field(
            "role",
            format!(
                "{:?} is not one of sponsor, project-manager, team-member, client",
                body.role
            ),
        )
    })?;
    let project = ctx.project()?;
    let user = state.store.user(UserId(user)).await?;
    state
        .store
        .set_membership(project, user.id, role, ctx.user_id())
        .await?;
    Ok(json(
        StatusCode::OK,
        &json!({"user": user.id.0, "login": user.login, "display_name": user.display_name, "role": role.code()}),
    ))
}

pub async fn remove_member(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiPath((_, user)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    let project = ctx.project()?;
    let is_member = state
        .store
        .memberships(project)
        .await?
        .iter()
        .any(|m| m.user.0 == user);
    if !is_member {
        return Err(ApiError::not_found(format!(
            "user #{user} is not a member of this project"
        )));
    }
    state
        .store
        .remove_membership(project, UserId(user), ctx.user_id())
        .await?;
    let version = state.store.project_version(project).await?;
    Ok(no_content(version))
}
