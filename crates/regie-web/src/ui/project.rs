//! A project's overview: key dates, the next milestones and client gates, the critical path,
//! the engine's warnings, who is over-allocated, and the latest changes.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;

use regie_core::time::date_midnight;
use regie_store::{AuditQuery, Page as StorePage};

use crate::error::ApiResult;
use crate::permissions::Action;
use crate::routes::Ctx;
use crate::state::AppState;
use crate::ui::error::page_for_problem;
use crate::ui::history;
use crate::ui::plan::{Plan, day, end_day};
use crate::ui::shell::{Shell, render};

/// At most this many warnings are listed on the overview.
const SHOWN_WARNINGS: usize = 12;

struct Milestone {
    name: String,
    date: String,
    /// `2027-03-31` when it has a deadline (a gate agreed with the client).
    deadline: String,
    late: bool,
    critical: bool,
}

struct Warning {
    kind: &'static str,
    message: String,
}

struct Overload {
    person: String,
    days: usize,
    first: String,
}

struct Change {
    when: String,
    who: String,
    what: String,
    /// The fields changed, old → new.
    detail: String,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    shell: Shell,
    start: String,
    finish: String,
    deadline: String,
    late: bool,
    status_date: String,
    percent: u8,
    tasks: usize,
    milestones: Vec<Milestone>,
    critical_count: usize,
    critical_chain: Vec<String>,
    warnings: Vec<Warning>,
    warnings_total: usize,
    overloads: Vec<Overload>,
    show_team: bool,
    changes: Vec<Change>,
    show_changes: bool,
    base: String,
}

pub async fn overview(State(state): State<AppState>, Extension(ctx): Extension<Ctx>) -> Response {
    match overview_page(&state, &ctx).await {
        Ok(page) => render(&page),
        Err(problem) => page_for_problem(problem),
    }
}

async fn overview_page(state: &AppState, ctx: &Ctx) -> ApiResult<OverviewPage> {
    let plan = Plan::of_page(state, ctx).await?;
    let project = plan.project();
    let schedule = &plan.schedule;
    let summary = &plan.loaded.summary;
    let agreed_end = summary
        .client_deadline
        .map(|date| date_midnight(date) + 24 * 60);
    let milestones = plan
        .open_milestones()
        .into_iter()
        .take(8)
        .map(|id| {
            let task = project.task(id);
            let dates = schedule.task(id);
            let deadline = task.deadline.map(regie_core::time::minute_of);
            Milestone {
                name: task.name.clone(),
                date: day(dates.start),
                deadline: deadline.map(end_day).unwrap_or_default(),
                late: deadline.is_some_and(|deadline| dates.finish > deadline),
                critical: dates.critical,
            }
        })
        .collect();
    let paths = schedule.critical_paths(project);
    let longest = paths.iter().max_by_key(|path| path.len());
    let critical_chain = longest
        .map(|path| {
            path.iter()
                .map(|id| project.task(*id).name.clone())
                .collect()
        })
        .unwrap_or_default();
    let summary_flags = project.summary_flags();
    let critical_count = project
        .task_ids()
        .filter(|id| !summary_flags[id.index()] && schedule.task(*id).critical)
        .count();
    // Missed deadlines first (what the client sees), then constraint conflicts, then negative
    // float; a long list is cut (the count says how many there are).
    let mut sorted: Vec<_> = schedule.warnings.iter().collect();
    sorted.sort_by_key(|warning| match warning.kind() {
        "missed-deadline" => 0,
        "constraint-conflict" => 1,
        _ => 2,
    });
    let warnings_total = sorted.len();
    let warnings = sorted
        .into_iter()
        .take(SHOWN_WARNINGS)
        .map(|warning| Warning {
            kind: match warning.kind() {
                "missed-deadline" => "Missed deadline",
                "constraint-conflict" => "Constraint conflict",
                _ => "Negative float",
            },
            message: warning.message(project),
        })
        .collect();
    let show_team = ctx.may(Action::ViewTeam);
    let mut overloads = Vec::new();
    if show_team && let Ok(days) = regie_core::usage::overallocated_days(project, schedule) {
        for resource in project.resources.iter().enumerate() {
            let mine: Vec<_> = days
                .iter()
                .filter(|load| load.resource.index() == resource.0)
                .collect();
            if let Some(first) = mine.first() {
                overloads.push(Overload {
                    person: resource.1.name.clone(),
                    days: mine.len(),
                    first: day(date_midnight(first.date)),
                });
            }
        }
    }
    let show_changes = ctx.may(Action::ViewFull);
    let mut changes = Vec::new();
    if show_changes {
        let entries = state
            .store
            .audit_log(
                summary.id,
                AuditQuery {
                    page: StorePage::first(8),
                    since_version: None,
                },
            )
            .await?;
        let mut names = std::collections::HashMap::new();
        for entry in entries {
            let who = match entry.user {
                Some(user) => history::user_name(state, &mut names, user).await,
                None => "command line".to_owned(),
            };
            let label = history::label(state, &mut names, &entry).await;
            let thing = if label.is_empty() {
                entry.entity_id.clone()
            } else {
                format!("“{label}”")
            };
            changes.push(Change {
                when: entry.at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
                who,
                what: format!("{} {} {thing}", past_tense(&entry.action), entry.entity),
                detail: history::describe(&entry.entity, entry.old.as_ref(), entry.new.as_ref())
                    .join("; "),
            });
        }
    }
    Ok(OverviewPage {
        shell: Shell::for_project(ctx, summary, "Overview"),
        start: day(schedule.start),
        finish: end_day(schedule.finish),
        deadline: summary
            .client_deadline
            .map(|date| day(date_midnight(date)))
            .unwrap_or_default(),
        late: agreed_end.is_some_and(|end| schedule.finish > end),
        status_date: project
            .status_date
            .map(|date| day(regie_core::time::minute_of(date)))
            .unwrap_or_default(),
        percent: plan.percent_complete(),
        tasks: project.tasks.len(),
        milestones,
        critical_count,
        critical_chain,
        warnings,
        warnings_total,
        overloads,
        show_team,
        changes,
        show_changes,
        base: format!("/projects/{}", summary.id.0),
    })
}

/// "created", "updated", "deleted": how the overview tells a change.
fn past_tense(action: &str) -> &str {
    match action {
        "create" => "created",
        "update" => "updated",
        "delete" => "deleted",
        other => other,
    }
}
