//! The plan inside a project: tasks (with WBS moves and progress), links, calendars with their
//! exceptions, resources and assignments. Every write takes the version from `If-Match` and
//! goes through one `Store::apply`, so it is all or nothing, audited, and never overwrites a
//! newer version.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use regie_core::{CalendarId, Project, Resource, Task};
use regie_store::{Change, LoadedProject};

use crate::api::{apply, load, load_at, no_content, with_etag};
use crate::dto::{
    AssignmentDto, AssignmentPatch, CalendarInput, CalendarOut, ExceptionDto, LinkDto, LinkPatch,
    ListQuery, MoveRequest, ProgressFields, ResourceFields, ResourceOut, TaskFields, TaskOut, lag,
    link_kind,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, if_match};
use crate::permissions::Action;
use crate::routes::Ctx;
use crate::state::AppState;

// ---------------------------------------------------------------- tasks

pub(crate) fn task_index(project: &Project, uid: &str) -> ApiResult<usize> {
    project
        .tasks
        .iter()
        .position(|task| task.uid == uid)
        .ok_or_else(|| ApiError::not_found(format!("task {uid:?} does not exist in this project")))
}

fn tasks_out(ctx: &Ctx, project: &Project) -> Vec<TaskOut> {
    let wbs = project.outline_numbers();
    let summary = project.summary_flags();
    let notes = ctx.may(Action::SeeNotes);
    (0..project.tasks.len())
        .map(|index| TaskOut::new(project, index, &wbs, &summary, notes))
        .collect()
}

/// Task `index` of `project` as the caller may see it.
pub(crate) fn task_out(ctx: &Ctx, project: &Project, index: usize) -> TaskOut {
    TaskOut::new(
        project,
        index,
        &project.outline_numbers(),
        &project.summary_flags(),
        ctx.may(Action::SeeNotes),
    )
}

/// Answers with task `uid` as the project now is.
pub(crate) async fn task_answer(
    state: &AppState,
    ctx: &Ctx,
    uid: &str,
    status: StatusCode,
) -> ApiResult<Response> {
    answer(state, ctx, status, |loaded| {
        let index = task_index(&loaded.project, uid)?;
        Ok(task_out(ctx, &loaded.project, index))
    })
    .await
}

/// Answers with what `pick` finds in the plan as it is now, and its version as the ETag (what
/// every write answers after its change).
async fn answer<T: serde::Serialize>(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    pick: impl FnOnce(&LoadedProject) -> ApiResult<T>,
) -> ApiResult<Response> {
    let loaded = load(state, ctx).await?;
    let body = pick(&loaded)?;
    Ok(with_etag(status, loaded.summary.version, &body))
}

pub async fn list_tasks(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let loaded = load(&state, &ctx).await?;
    let items: Vec<TaskOut> = tasks_out(&ctx, &loaded.project)
        .into_iter()
        .filter(|task| query.parent.is_none() || task.parent == query.parent)
        .filter(|task| {
            query
                .milestone
                .is_none_or(|milestone| task.milestone == milestone)
        })
        .filter(|task| query.matches_name(&task.name))
        .collect();
    Ok(with_etag(
        StatusCode::OK,
        loaded.summary.version,
        &query.page(items),
    ))
}

pub async fn get_task(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiPath((_, uid)): ApiPath<(i64, String)>,
) -> ApiResult<Response> {
    task_answer(&state, &ctx, &uid, StatusCode::OK).await
}

pub async fn create_task(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiJson(mut body): ApiJson<TaskFields>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let uid = body
        .uid
        .clone()
        .ok_or_else(|| ApiError::field("uid", "a new task needs a uid"))?;
    let name = body
        .name
        .clone()
        .ok_or_else(|| ApiError::field("name", "a new task needs a name"))?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let parent = body.parent.take();
    let before = body.before.take();
    let parent_index =
        match &parent {
            Some(parent) => Some(task_index(&loaded.project, parent).map_err(|_| {
                ApiError::field("parent", format!("no task has the uid {parent:?}"))
            })?),
            None => None,
        };
    check_before(&loaded.project, parent_index, before.as_deref(), None)?;
    let mut task = Task::new(uid.clone(), name);
    body.apply(&mut task, loaded.project.calendars.len())?;
    let change = Change::AddTask {
        task,
        parent,
        before,
    };
    apply(&state, &ctx, expected, &[change]).await?;
    task_answer(&state, &ctx, &uid, StatusCode::CREATED).await
}

pub async fn update_task(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, uid)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<TaskFields>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    for (field, given) in [("parent", &body.parent), ("before", &body.before)] {
        if given.is_some() {
            return Err(ApiError::field(
                field,
                "move a task with POST .../tasks/{task}/move",
            ));
        }
    }
    let loaded = load_at(&state, &ctx, expected).await?;
    let index = task_index(&loaded.project, &uid)?;
    let mut task = loaded.project.tasks[index].clone();
    body.apply(&mut task, loaded.project.calendars.len())?;
    let new_uid = task.uid.clone();
    apply(&state, &ctx, expected, &[Change::UpdateTask { uid, task }]).await?;
    task_answer(&state, &ctx, &new_uid, StatusCode::OK).await
}

pub async fn update_progress(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, uid)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<ProgressFields>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let index = task_index(&loaded.project, &uid)?;
    let mut task = loaded.project.tasks[index].clone();
    body.apply(&mut task)?;
    apply(
        &state,
        &ctx,
        expected,
        &[Change::UpdateTask {
            uid: uid.clone(),
            task,
        }],
    )
    .await?;
    task_answer(&state, &ctx, &uid, StatusCode::OK).await
}

pub async fn delete_task(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, uid)): ApiPath<(i64, String)>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    task_index(&loaded.project, &uid)?;
    let version = apply(&state, &ctx, expected, &[Change::DeleteTask { uid }]).await?;
    Ok(no_content(version))
}

/// Checks `before`, the sibling a task goes just before, before the store sees it, so the error
/// names the field: it exists, it is a child of the parent (task `parent`, or the top level),
/// and it is not the task being moved (`moving`).
fn check_before(
    project: &Project,
    parent: Option<usize>,
    before: Option<&str>,
    moving: Option<usize>,
) -> ApiResult<()> {
    let Some(before) = before else {
        return Ok(());
    };
    let index = task_index(project, before)
        .map_err(|_| ApiError::field("before", format!("no task has the uid {before:?}")))?;
    if moving == Some(index) {
        return Err(ApiError::field(
            "before",
            format!("{before:?} is the task being moved"),
        ));
    }
    if project.tasks[index].parent.map(|p| p.index()) != parent {
        let under = match parent {
            Some(parent) => format!("a child of {:?}", project.tasks[parent].uid),
            None => "a top-level task".to_owned(),
        };
        return Err(ApiError::field(
            "before",
            format!("{before:?} is not {under}: `before` names a sibling under `parent`"),
        ));
    }
    Ok(())
}

/// Checks a move of task `index` under `parent`, just before its child `before`, before the
/// store sees it, so the error names the field: the parent exists and is not in the task's own
/// subtree, and `before` is one of its children.
fn check_move(
    project: &Project,
    index: usize,
    parent: Option<&str>,
    before: Option<&str>,
) -> ApiResult<()> {
    let Some(parent) = parent else {
        return check_before(project, None, before, Some(index));
    };
    let parent_index = task_index(project, parent)
        .map_err(|_| ApiError::field("parent", format!("no task has the uid {parent:?}")))?;
    let mut in_subtree = vec![false; project.tasks.len()];
    for (i, task) in project.tasks.iter().enumerate() {
        in_subtree[i] = i == index || task.parent.is_some_and(|p| in_subtree[p.index()]);
    }
    if in_subtree[parent_index] {
        return Err(ApiError::field(
            "parent",
            "a task cannot move under itself or its subtasks",
        ));
    }
    check_before(project, Some(parent_index), before, Some(index))
}

pub async fn move_task(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, uid)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<MoveRequest>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let index = task_index(&loaded.project, &uid)?;
    check_move(
        &loaded.project,
        index,
        body.parent.as_deref(),
        body.before.as_deref(),
    )?;
    let change = Change::MoveTask {
        uid: uid.clone(),
        parent: body.parent,
        before: body.before,
    };
    apply(&state, &ctx, expected, &[change]).await?;
    task_answer(&state, &ctx, &uid, StatusCode::OK).await
}

// ---------------------------------------------------------------- links

pub async fn list_links(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let loaded = load(&state, &ctx).await?;
    let items: Vec<LinkDto> = loaded
        .project
        .links
        .iter()
        .map(|link| LinkDto::of(&loaded.project, link))
        .filter(|link| {
            query
                .task
                .as_ref()
                .is_none_or(|task| &link.pred == task || &link.succ == task)
        })
        .collect();
    Ok(with_etag(
        StatusCode::OK,
        loaded.summary.version,
        &query.page(items),
    ))
}

fn find_link(loaded: &LoadedProject, pred: &str, succ: &str) -> ApiResult<LinkDto> {
    loaded
        .project
        .links
        .iter()
        .map(|link| LinkDto::of(&loaded.project, link))
        .find(|link| link.pred == pred && link.succ == succ)
        .ok_or_else(|| ApiError::not_found(format!("no link from {pred:?} to {succ:?}")))
}

async fn link_answer(
    state: &AppState,
    ctx: &Ctx,
    pred: &str,
    succ: &str,
    status: StatusCode,
) -> ApiResult<Response> {
    answer(state, ctx, status, |loaded| find_link(loaded, pred, succ)).await
}

pub async fn create_link(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LinkDto>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    for (field, uid) in [("pred", &body.pred), ("succ", &body.succ)] {
        task_index(&loaded.project, uid)
            .map_err(|_| ApiError::field(field, format!("no task has the uid {uid:?}")))?;
    }
    let change = Change::AddLink {
        pred: body.pred.clone(),
        succ: body.succ.clone(),
        kind: link_kind(&body.kind)?,
        lag: lag(&body.lag_kind, body.lag)?,
    };
    check_schedulable(&loaded.project, &change)?;
    apply(&state, &ctx, expected, &[change]).await?;
    link_answer(&state, &ctx, &body.pred, &body.succ, StatusCode::CREATED).await
}

/// Refuses a new link that would close a dependency cycle, naming the cycle, before anything
/// is written.
fn check_schedulable(project: &Project, change: &Change) -> ApiResult<()> {
    let Change::AddLink {
        pred,
        succ,
        kind,
        lag,
    } = change
    else {
        return Ok(());
    };
    let (Ok(pred), Ok(succ)) = (task_index(project, pred), task_index(project, succ)) else {
        return Ok(());
    };
    let mut trial = project.clone();
    trial.links.push(regie_core::Link {
        pred: regie_core::TaskId(pred as u32),
        succ: regie_core::TaskId(succ as u32),
        kind: *kind,
        lag: *lag,
    });
    match regie_core::schedule(&trial) {
        Err(error @ regie_core::ScheduleError::Cycle { .. }) => {
            Err(ApiError::field("succ", error.to_string()))
        }
        _ => Ok(()),
    }
}

pub async fn update_link(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, pred, succ)): ApiPath<(i64, String, String)>,
    ApiJson(body): ApiJson<LinkPatch>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let link = find_link(&loaded, &pred, &succ)?;
    let kind = link_kind(body.kind.as_deref().unwrap_or(&link.kind))?;
    let lag = lag(
        body.lag_kind.as_deref().unwrap_or(&link.lag_kind),
        body.lag.unwrap_or(link.lag),
    )?;
    apply(
        &state,
        &ctx,
        expected,
        &[Change::UpdateLink {
            pred: pred.clone(),
            succ: succ.clone(),
            kind,
            lag,
        }],
    )
    .await?;
    link_answer(&state, &ctx, &pred, &succ, StatusCode::OK).await
}

pub async fn delete_link(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, pred, succ)): ApiPath<(i64, String, String)>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    find_link(&loaded, &pred, &succ)?;
    let version = apply(&state, &ctx, expected, &[Change::DeleteLink { pred, succ }]).await?;
    Ok(no_content(version))
}

// ---------------------------------------------------------------- calendars

fn calendar_at(project: &Project, id: u32) -> ApiResult<&regie_core::calendar::Calendar> {
    project.calendars.get(id as usize).ok_or_else(|| {
        ApiError::not_found(format!("calendar #{id} does not exist in this project"))
    })
}

async fn calendar_answer(
    state: &AppState,
    ctx: &Ctx,
    id: u32,
    status: StatusCode,
) -> ApiResult<Response> {
    answer(state, ctx, status, |loaded| {
        let calendar = calendar_at(&loaded.project, id)?;
        Ok(CalendarOut::new(id as usize, calendar))
    })
    .await
}

pub async fn list_calendars(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let loaded = load(&state, &ctx).await?;
    let items: Vec<CalendarOut> = loaded
        .project
        .calendars
        .iter()
        .enumerate()
        .map(|(index, calendar)| CalendarOut::new(index, calendar))
        .filter(|calendar| query.matches_name(&calendar.name))
        .collect();
    Ok(with_etag(
        StatusCode::OK,
        loaded.summary.version,
        &query.page(items),
    ))
}

pub async fn get_calendar(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiPath((_, id)): ApiPath<(i64, u32)>,
) -> ApiResult<Response> {
    calendar_answer(&state, &ctx, id, StatusCode::OK).await
}

pub async fn create_calendar(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CalendarInput>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let calendar = body.to_model(loaded.project.calendars.len())?;
    let id = loaded.project.calendars.len() as u32;
    apply(&state, &ctx, expected, &[Change::AddCalendar(calendar)]).await?;
    calendar_answer(&state, &ctx, id, StatusCode::CREATED).await
}

pub async fn replace_calendar(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, id)): ApiPath<(i64, u32)>,
    ApiJson(body): ApiJson<CalendarInput>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    calendar_at(&loaded.project, id)?;
    let calendar = body.to_model(loaded.project.calendars.len())?;
    if calendar.base == Some(CalendarId(id)) {
        return Err(ApiError::field("base", "a calendar cannot be its own base"));
    }
    apply(
        &state,
        &ctx,
        expected,
        &[Change::UpdateCalendar {
            id: CalendarId(id),
            calendar,
        }],
    )
    .await?;
    calendar_answer(&state, &ctx, id, StatusCode::OK).await
}

pub async fn add_exception(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, id)): ApiPath<(i64, u32)>,
    ApiJson(body): ApiJson<ExceptionDto>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let mut calendar = calendar_at(&loaded.project, id)?.clone();
    calendar.exceptions.push(body.to_model("")?);
    apply(
        &state,
        &ctx,
        expected,
        &[Change::UpdateCalendar {
            id: CalendarId(id),
            calendar,
        }],
    )
    .await?;
    calendar_answer(&state, &ctx, id, StatusCode::CREATED).await
}

pub async fn delete_exception(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, id, index)): ApiPath<(i64, u32, usize)>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let mut calendar = calendar_at(&loaded.project, id)?.clone();
    if index >= calendar.exceptions.len() {
        return Err(ApiError::not_found(format!(
            "calendar #{id} has no exception #{index}"
        )));
    }
    calendar.exceptions.remove(index);
    let version = apply(
        &state,
        &ctx,
        expected,
        &[Change::UpdateCalendar {
            id: CalendarId(id),
            calendar,
        }],
    )
    .await?;
    Ok(no_content(version))
}

// ---------------------------------------------------------------- resources

fn resource_at<'a>(project: &'a Project, uid: &str) -> ApiResult<&'a Resource> {
    project
        .resources
        .iter()
        .find(|resource| resource.uid == uid)
        .ok_or_else(|| {
            ApiError::not_found(format!("resource {uid:?} does not exist in this project"))
        })
}

async fn resource_answer(
    state: &AppState,
    ctx: &Ctx,
    uid: &str,
    status: StatusCode,
) -> ApiResult<Response> {
    answer(state, ctx, status, |loaded| {
        let resource = resource_at(&loaded.project, uid)?;
        Ok(ResourceOut::new(resource, ctx.may(Action::SeeCosts)))
    })
    .await
}

pub async fn list_resources(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let loaded = load(&state, &ctx).await?;
    let costs = ctx.may(Action::SeeCosts);
    let items: Vec<ResourceOut> = loaded
        .project
        .resources
        .iter()
        .filter(|resource| query.matches_name(&resource.name))
        .filter(|resource| query.group.is_none() || resource.group == query.group)
        .map(|resource| ResourceOut::new(resource, costs))
        .collect();
    Ok(with_etag(
        StatusCode::OK,
        loaded.summary.version,
        &query.page(items),
    ))
}

pub async fn get_resource(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiPath((_, uid)): ApiPath<(i64, String)>,
) -> ApiResult<Response> {
    resource_answer(&state, &ctx, &uid, StatusCode::OK).await
}

pub async fn create_resource(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ResourceFields>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let uid = body
        .uid
        .clone()
        .ok_or_else(|| ApiError::field("uid", "a new resource needs a uid"))?;
    let name = body
        .name
        .clone()
        .ok_or_else(|| ApiError::field("name", "a new resource needs a name"))?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let mut resource = Resource::new(uid.clone(), name);
    body.apply(&mut resource, loaded.project.calendars.len())?;
    apply(&state, &ctx, expected, &[Change::AddResource(resource)]).await?;
    resource_answer(&state, &ctx, &uid, StatusCode::CREATED).await
}

pub async fn update_resource(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, uid)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<ResourceFields>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let mut resource = resource_at(&loaded.project, &uid)?.clone();
    body.apply(&mut resource, loaded.project.calendars.len())?;
    let new_uid = resource.uid.clone();
    apply(
        &state,
        &ctx,
        expected,
        &[Change::UpdateResource { uid, resource }],
    )
    .await?;
    resource_answer(&state, &ctx, &new_uid, StatusCode::OK).await
}

pub async fn delete_resource(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, uid)): ApiPath<(i64, String)>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    resource_at(&loaded.project, &uid)?;
    let version = apply(&state, &ctx, expected, &[Change::DeleteResource { uid }]).await?;
    Ok(no_content(version))
}

// ---------------------------------------------------------------- assignments

fn find_assignment(loaded: &LoadedProject, task: &str, resource: &str) -> ApiResult<AssignmentDto> {
    loaded
        .project
        .assignments
        .iter()
        .map(|assignment| AssignmentDto::of(&loaded.project, assignment))
        .find(|a| a.task == task && a.resource == resource)
        .ok_or_else(|| ApiError::not_found(format!("{resource:?} is not assigned to {task:?}")))
}

async fn assignment_answer(
    state: &AppState,
    ctx: &Ctx,
    task: &str,
    resource: &str,
    status: StatusCode,
) -> ApiResult<Response> {
    answer(state, ctx, status, |loaded| {
        find_assignment(loaded, task, resource)
    })
    .await
}

pub async fn list_assignments(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let loaded = load(&state, &ctx).await?;
    let items: Vec<AssignmentDto> = loaded
        .project
        .assignments
        .iter()
        .map(|assignment| AssignmentDto::of(&loaded.project, assignment))
        .filter(|a| query.task.as_ref().is_none_or(|task| &a.task == task))
        .filter(|a| {
            query
                .resource
                .as_ref()
                .is_none_or(|resource| &a.resource == resource)
        })
        .collect();
    Ok(with_etag(
        StatusCode::OK,
        loaded.summary.version,
        &query.page(items),
    ))
}

pub async fn create_assignment(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<AssignmentDto>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    task_index(&loaded.project, &body.task)
        .map_err(|_| ApiError::field("task", format!("no task has the uid {:?}", body.task)))?;
    resource_at(&loaded.project, &body.resource).map_err(|_| {
        ApiError::field(
            "resource",
            format!("no resource has the uid {:?}", body.resource),
        )
    })?;
    if body.work_minutes.is_some_and(|work| work < 0) {
        return Err(ApiError::field("work_minutes", "must not be negative"));
    }
    apply(
        &state,
        &ctx,
        expected,
        &[Change::AddAssignment {
            task: body.task.clone(),
            resource: body.resource.clone(),
            units: body.units,
            work: body.work_minutes,
        }],
    )
    .await?;
    assignment_answer(
        &state,
        &ctx,
        &body.task,
        &body.resource,
        StatusCode::CREATED,
    )
    .await
}

pub async fn update_assignment(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, task, resource)): ApiPath<(i64, String, String)>,
    ApiJson(body): ApiJson<AssignmentPatch>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let old = find_assignment(&loaded, &task, &resource)?;
    let work = body.work_minutes.unwrap_or(old.work_minutes);
    if work.is_some_and(|work| work < 0) {
        return Err(ApiError::field("work_minutes", "must not be negative"));
    }
    let change = Change::UpdateAssignment {
        task: task.clone(),
        resource: resource.clone(),
        units: body.units.unwrap_or(old.units),
        work,
    };
    apply(&state, &ctx, expected, &[change]).await?;
    assignment_answer(&state, &ctx, &task, &resource, StatusCode::OK).await
}

pub async fn delete_assignment(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, task, resource)): ApiPath<(i64, String, String)>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    find_assignment(&loaded, &task, &resource)?;
    let version = apply(
        &state,
        &ctx,
        expected,
        &[Change::DeleteAssignment { task, resource }],
    )
    .await?;
    Ok(no_content(version))
}
