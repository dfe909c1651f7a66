//! The task table: MS Project's entry table in the browser. Every cell shows what a user would
//! type (`5d`, `3FS+2d`, `Ana Lima[50%]`, `SNET 2027-01-04`), so what the script sends back
//! on an edit is exactly the cell's text, read on the server (`PATCH .../cells`).
//! `?fragment=sheet-wrap` answers only the table, which the script swaps in after each change.

use std::time::Instant;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use regie_lang::cells::{
    format_constraint, format_duration, format_predecessors, format_resources,
};

use crate::permissions::Action;
use crate::routes::Ctx;
use crate::state::AppState;
use crate::ui::error::page_for_problem;
use crate::ui::plan::{Plan, day, end_day, iso_day};
use crate::ui::shell::{Shell, render, render_fragment, timing_headers};

#[derive(Deserialize)]
pub struct TableQuery {
    fragment: Option<String>,
}

struct Row {
    id: usize,
    uid: String,
    parent: String,
    wbs: String,
    depth: usize,
    summary: bool,
    milestone: bool,
    critical: bool,
    name: String,
    duration: String,
    start: String,
    /// The start as a day (`4 Jan 2027`), shown; `start` is what an edit starts from.
    start_shown: String,
    finish: String,
    /// The finish as a day (`8 Sep 2027`), shown; `finish` is what an edit starts from.
    finish_shown: String,
    predecessors: String,
    resources: String,
    constraint: String,
    percent: u8,
}

#[derive(Template)]
#[template(path = "table_fragment.html")]
struct Sheet {
    rows: Vec<Row>,
    /// Minutes in a day of the project's units: a new task lasts one day, as in MS Project.
    day_minutes: u32,
    version: i64,
    editable: bool,
    show_resources: bool,
}

#[derive(Template)]
#[template(path = "table.html")]
struct TablePage {
    shell: Shell,
    sheet: Sheet,
    script: String,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(query): Query<TableQuery>,
) -> Response {
    let (plan, loaded) = match Plan::timed(&state, &ctx).await {
        Ok(timed) => timed,
        Err(problem) => return page_for_problem(problem),
    };
    let began = Instant::now();
    let show_resources = ctx.may(Action::ViewTeam);
    let sheet = Sheet {
        rows: rows(&plan, show_resources),
        day_minutes: plan.project().units.minutes_per_day,
        version: plan.loaded.summary.version,
        editable: ctx.may(Action::EditPlan),
        show_resources,
    };
    let mut response = if query.fragment.as_deref() == Some("sheet-wrap") {
        render_fragment(&sheet)
    } else {
        render(&TablePage {
            shell: Shell::for_project(&ctx, &plan.loaded.summary, "Tasks"),
            sheet,
            script: Shell::script("table.js"),
        })
    };
    timing_headers(&mut response, loaded, began, plan.loaded.summary.version);
    response
}

fn rows(plan: &Plan, show_resources: bool) -> Vec<Row> {
    let project = plan.project();
    let wbs = project.outline_numbers();
    let summary = project.summary_flags();
    let units = &project.units;
    let mut depth = vec![0usize; project.tasks.len()];
    let percent = rolled_up_percent(project);
    // A summary's duration is the working time of its span on the project calendar.
    let calendar = regie_core::calendar::IndexCache::default()
        .covering(project, project.calendar, &plan.schedule)
        .ok();
    project
        .task_ids()
        .map(|id| {
            let task = project.task(id);
            let dates = plan.schedule.task(id);
            if let Some(parent) = task.parent {
                depth[id.index()] = depth[parent.index()] + 1;
            }
            Row {
                id: id.index() + 1,
                uid: task.uid.clone(),
                parent: task
                    .parent
                    .map(|parent| project.task(parent).uid.clone())
                    .unwrap_or_default(),
                wbs: wbs[id.index()].clone(),
                depth: depth[id.index()],
                summary: summary[id.index()],
                milestone: task.milestone,
                critical: dates.critical,
                name: task.name.clone(),
                duration: if summary[id.index()] {
                    let minutes = calendar
                        .as_ref()
                        .map(|index| index.work_between(dates.start, dates.finish))
                        .unwrap_or(0);
                    let span = regie_core::Duration {
                        minutes,
                        elapsed: false,
                    };
                    format_duration(span, units)
                } else {
                    format_duration(task.duration, units)
                },
                start: iso_day(dates.start),
                start_shown: day(dates.start),
                finish: iso_day(dates.finish - 1),
                finish_shown: end_day(dates.finish),
                predecessors: format_predecessors(project, id, units),
                resources: if show_resources {
                    format_resources(project, id)
                } else {
                    String::new()
                },
                constraint: format_constraint(&task.constraint),
                percent: percent[id.index()],
            }
        })
        .collect()
}

/// Percent complete of every task, summaries rolled up from their leaves weighted by duration
/// (as MS Project does; milestones weigh a minute).
fn rolled_up_percent(project: &regie_core::Project) -> Vec<u8> {
    let n = project.tasks.len();
    let summary = project.summary_flags();
    let (mut done, mut total) = (vec![0i64; n], vec![0i64; n]);
    // Children come after their parent in outline order: walking backwards, a task's own
    // figures are complete before they are added to its parent's.
    for id in (0..n as u32).rev().map(regie_core::TaskId) {
        let task = project.task(id);
        if !summary[id.index()] {
            let weight = task.duration.minutes.max(1);
            total[id.index()] = weight;
            done[id.index()] = weight * i64::from(task.progress.percent_complete) / 100;
        }
        if let Some(parent) = task.parent {
            total[parent.index()] += total[id.index()];
            done[parent.index()] += done[id.index()];
        }
    }
    (0..n)
        .map(|i| match total[i] {
            0 => 0,
            all => (done[i] * 100 / all) as u8,
        })
        .collect()
}
