//! The task table edited like a spreadsheet (MS Project's entry table): one request per cell
//! edit, carrying what the user typed (`"3FS+2d"`, `"Ana Lima, Bob[50%]"`, `"SNET 2027-01-04"`).
//! Reading the text is `regie_lang::cells` (with the project's units); this module resolves it
//! against the plan, checks what only the engine knows (cycles, the scheduled start a typed
//! finish counts from), and turns the edit into store changes applied in one `Store::apply`:
//! all of them or nothing, one version, audited. Every error names the cell (`field`).

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use regie_core::calendar::CalendarIndex;
use regie_core::time::{date_of_day, format_minute, minute_of};
use regie_core::{Link, Project, ResourceId, TaskId};
use regie_lang::cells::{self, CellError};
use regie_store::{Change, LoadedProject};

use crate::api::plan::{task_answer, task_index, task_out};
use crate::api::{apply, load_at, with_etag};
use crate::dto::CellEdit;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{ApiJson, ApiPath, if_match};
use crate::routes::Ctx;
use crate::state::AppState;

pub async fn edit_cells(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    ApiPath((_, uid)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<CellEdit>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let loaded = load_at(&state, &ctx, expected).await?;
    let index = task_index(&loaded.project, &uid)?;
    let plan = loaded.clone();
    // Scheduling a large plan is CPU work: off the async threads.
    let changes = tokio::task::spawn_blocking(move || cell_changes(&plan.project, index, &body))
        .await
        .map_err(ApiError::internal)??;
    if changes.is_empty() {
        // What was typed is what the plan already says: nothing to write, no new version.
        return Ok(unchanged(&ctx, &loaded, index));
    }
    apply(&state, &ctx, expected, &changes).await?;
    task_answer(&state, &ctx, &uid, StatusCode::OK).await
}

fn unchanged(ctx: &Ctx, loaded: &Arc<LoadedProject>, index: usize) -> Response {
    with_etag(
        StatusCode::OK,
        loaded.summary.version,
        &task_out(ctx, &loaded.project, index),
    )
}

/// Collects the errors of every cell of the request, so the table can mark them all at once.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn take<T>(&mut self, field: &str, result: Result<T, CellError>) -> Option<T> {
        result.map_err(|error| self.push(field, error.message)).ok()
    }

    fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn check(self) -> ApiResult<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        let detail = self
            .0
            .iter()
            .map(|error| format!("{}: {}", error.field, error.message))
            .collect::<Vec<_>>()
            .join("; ");
        let mut error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-field", detail);
        error.errors = self.0;
        Err(error)
    }
}

/// The store changes that make task `index` of `project` say what `edit` typed; empty when it
/// already does. Refuses the whole edit, naming each cell at fault, if any cell is wrong.
pub fn cell_changes(project: &Project, index: usize, edit: &CellEdit) -> ApiResult<Vec<Change>> {
    let id = TaskId(index as u32);
    let units = &project.units;
    let old = &project.tasks[index];
    let summary = project.summary_flags()[index];
    let mut task = old.clone();
    let mut errors = Errors::default();

    if let Some(text) = &edit.name
        && let Some(name) = errors.take("name", cells::parse_name(text))
    {
        task.name = name;
    }
    if let Some(text) = &edit.duration {
        if summary {
            errors.push(
                "duration",
                "a summary task's duration follows its subtasks: change theirs",
            );
        } else if let Some(duration) = errors.take("duration", cells::parse_duration(text, units)) {
            if duration.elapsed && !task.splits.is_empty() {
                errors.push(
                    "duration",
                    format!(
                        "\"{}\": a task with pauses cannot have an elapsed duration",
                        text.trim()
                    ),
                );
            }
            task.duration = duration;
            task.milestone = duration.minutes == 0;
        }
    }
    if let Some(text) = &edit.constraint
        && let Some(constraint) = errors.take("constraint", cells::parse_constraint(text))
    {
        task.constraint = constraint;
    }
    if let Some(text) = &edit.start {
        if edit.constraint.is_some() {
            errors.push(
                "start",
                "a typed start is a start-no-earlier-than constraint: give the start or the constraint, not both",
            );
        } else if let Some(constraint) = errors.take("start", cells::parse_start(text)) {
            task.constraint = constraint;
        }
    }
    let links: Option<Vec<Link>> = edit.predecessors.as_deref().and_then(|text| {
        let list = errors.take("predecessors", cells::parse_predecessors(text, units))?;
        errors.take(
            "predecessors",
            cells::resolve_predecessors(&list, project, id),
        )
    });
    let resources: Option<Vec<(ResourceId, Option<u32>)>> =
        edit.resources.as_deref().and_then(|text| {
            let list = errors.take("resources", cells::parse_resources(text))?;
            errors.take(
                "resources",
                cells::resolve_resources(&list, &project.resources),
            )
        });
    let finish = match &edit.finish {
        Some(_) if edit.duration.is_some() => {
            errors.push(
                "finish",
                "a typed finish sets the duration: give the finish or the duration, not both",
            );
            None
        }
        Some(_) if summary => {
            errors.push(
                "finish",
                "a summary task's finish follows its subtasks: change theirs",
            );
            None
        }
        Some(text) => errors
            .take("finish", cells::parse_finish(text))
            .map(|at| (text.trim(), at)),
        None => None,
    };
    errors.check()?;

    // The plan as it would be, to check it schedules and to read the start a finish counts from.
    let mut trial = project.clone();
    trial.tasks[index] = task.clone();
    if let Some(links) = &links {
        trial.links.retain(|link| link.succ != id);
        trial.links.extend(links.iter().copied());
    }
    if let Some(resources) = &resources {
        trial.assignments = assignments_after(project, id, resources);
    }
    if links.is_some() || finish.is_some() {
        match regie_core::schedule(&trial) {
            Err(error @ regie_core::ScheduleError::Cycle { .. }) => {
                let field = if links.is_some() {
                    "predecessors"
                } else {
                    "finish"
                };
                return Err(ApiError::field(field, error.to_string()));
            }
            Err(error) => {
                if finish.is_some() {
                    return Err(ApiError::field(
                        "finish",
                        format!("the plan cannot be scheduled to count the duration: {error}"),
                    ));
                }
            }
            Ok(schedule) => {
                if let Some((typed, at)) = finish {
                    let start = schedule.tasks[index].start;
                    let minutes =
                        duration_to(&trial, index, start, minute_of(at)).map_err(|message| {
                            ApiError::field("finish", format!("\"{typed}\": {message}"))
                        })?;
                    task.duration.minutes = minutes;
                    task.milestone = minutes == 0;
                }
            }
        }
    }

    let mut changes = Vec::new();
    if task != *old {
        changes.push(Change::UpdateTask {
            uid: old.uid.clone(),
            task,
        });
    }
    if let Some(links) = &links {
        link_changes(project, id, links, &mut changes);
    }
    if let Some(resources) = &resources {
        assignment_changes(project, id, resources, &mut changes);
    }
    Ok(changes)
}

/// The duration of task `index`, starting at `start`, that finishes at `finish`: working
/// minutes on its calendar (the end of a day's work when `finish` is a date's end), clock
/// minutes for an elapsed duration, without the pauses of a split task.
fn duration_to(
    project: &Project,
    index: usize,
    start: regie_core::Minute,
    finish: regie_core::Minute,
) -> Result<i64, String> {
    if finish <= start {
        return Err(format!(
            "the task starts {}: it cannot finish before",
            format_minute(start)
        ));
    }
    let task = &project.tasks[index];
    let span = if task.duration.elapsed {
        finish - start
    } else {
        let calendar = task.calendar.unwrap_or(project.calendar);
        let day = regie_core::time::MINUTES_PER_DAY;
        let index = CalendarIndex::build(
            &project.calendars,
            calendar,
            date_of_day(start.div_euclid(day) - 1),
            date_of_day(finish.div_euclid(day) + 1),
        )
        .map_err(|error| error.to_string())?;
        index.work_between(start, finish)
    };
    // A split task's span holds its pauses too: what remains is its duration (a finish inside
    // a pause ends the work where the pause begins).
    let mut paused = 0;
    for split in &task.splits {
        let begins = split.after + paused;
        if begins >= span {
            break;
        }
        if begins + split.pause >= span {
            return Ok(split.after);
        }
        paused += split.pause;
    }
    Ok(span - paused)
}

/// Deletes, changes and adds the links into task `id` so that its predecessors are `links`.
fn link_changes(project: &Project, id: TaskId, links: &[Link], changes: &mut Vec<Change>) {
    let uid = |task: TaskId| project.task(task).uid.clone();
    let old: Vec<&Link> = project.links.iter().filter(|l| l.succ == id).collect();
    for link in &old {
        if !links.iter().any(|new| new.pred == link.pred) {
            changes.push(Change::DeleteLink {
                pred: uid(link.pred),
                succ: uid(id),
            });
        }
    }
    for new in links {
        match old.iter().find(|link| link.pred == new.pred) {
            Some(link) if link.kind == new.kind && link.lag == new.lag => {}
            Some(_) => changes.push(Change::UpdateLink {
                pred: uid(new.pred),
                succ: uid(id),
                kind: new.kind,
                lag: new.lag,
            }),
            None => changes.push(Change::AddLink {
                pred: uid(new.pred),
                succ: uid(id),
                kind: new.kind,
                lag: new.lag,
            }),
        }
    }
}

/// Units of a resource typed without them: full time, or what it had.
const FULL_TIME: u32 = 100;

/// The project's assignments once task `id`'s are `resources` (for the trial schedule).
fn assignments_after(
    project: &Project,
    id: TaskId,
    resources: &[(ResourceId, Option<u32>)],
) -> Vec<regie_core::Assignment> {
    let mut assignments: Vec<regie_core::Assignment> = project
        .assignments
        .iter()
        .filter(|a| a.task != id || resources.iter().any(|(r, _)| *r == a.resource))
        .copied()
        .collect();
    for assignment in assignments.iter_mut().filter(|a| a.task == id) {
        if let Some((_, Some(units))) = resources.iter().find(|(r, _)| *r == assignment.resource) {
            assignment.units = *units;
        }
    }
    for (resource, units) in resources {
        if !assignments
            .iter()
            .any(|a| a.task == id && a.resource == *resource)
        {
            assignments.push(regie_core::Assignment {
                task: id,
                resource: *resource,
                units: units.unwrap_or(FULL_TIME),
                work: None,
            });
        }
    }
    assignments
}

/// Removes, changes and adds task `id`'s assignments so that its resources are `resources`;
/// a resource that stays keeps its work (and its units unless new ones are typed).
fn assignment_changes(
    project: &Project,
    id: TaskId,
    resources: &[(ResourceId, Option<u32>)],
    changes: &mut Vec<Change>,
) {
    let task = project.task(id).uid.clone();
    let resource_uid = |r: ResourceId| project.resources[r.index()].uid.clone();
    let old: Vec<&regie_core::Assignment> = project
        .assignments
        .iter()
        .filter(|a| a.task == id)
        .collect();
    for assignment in &old {
        if !resources.iter().any(|(r, _)| *r == assignment.resource) {
            changes.push(Change::DeleteAssignment {
                task: task.clone(),
                resource: resource_uid(assignment.resource),
            });
        }
    }
    for (resource, units) in resources {
        match old.iter().find(|a| a.resource == *resource) {
            Some(assignment) => {
                if let Some(units) = units
                    && *units != assignment.units
                {
                    changes.push(Change::UpdateAssignment {
                        task: task.clone(),
                        resource: resource_uid(*resource),
                        units: *units,
                        work: assignment.work,
                    });
                }
            }
            None => changes.push(Change::AddAssignment {
                task: task.clone(),
                resource: resource_uid(*resource),
                units: units.unwrap_or(FULL_TIME),
                work: None,
            }),
        }
    }
}
