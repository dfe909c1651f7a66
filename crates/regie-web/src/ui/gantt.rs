//! The Gantt page: the engine's chart (`regie_report::gantt_svg` in interactive mode) with zoom,
//! collapse/expand of the WBS, and, for those who may edit, drag to move, drag the end to change
//! the duration and draw links (`assets/gantt.js`, through the API).
//!
//! The view's state is in the URL (`?zoom=week&collapsed=uid,uid`), so a reload or a shared
//! link shows the same chart; `?fragment=gantt` answers only the chart, which the script swaps
//! in after each change.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use regie_core::{Minute, Project};
use regie_lang::cells::{format_constraint, format_duration};
use regie_report::{GanttOptions, Zoom, gantt_svg};

use crate::permissions::Action;
use crate::routes::Ctx;
use crate::state::AppState;
use crate::ui::error::page_for_problem;
use crate::ui::plan::Plan;
use crate::ui::shell::{Shell, render, render_fragment, timing_headers};

#[derive(Deserialize)]
pub struct GanttQuery {
    zoom: Option<String>,
    /// Uids of collapsed summaries, comma-separated.
    collapsed: Option<String>,
    /// `gantt`: only the chart.
    fragment: Option<String>,
}

/// The chart and what the script needs to undo a change: each task's constraint and duration
/// as a cell shows them.
#[derive(Template)]
#[template(path = "gantt_fragment.html")]
struct GanttFragment {
    svg: String,
    version: i64,
    editable: bool,
    cells: String,
}

#[derive(Template)]
#[template(path = "gantt.html")]
struct GanttPage {
    shell: Shell,
    chart: GanttFragment,
    zoom: &'static str,
    script: String,
}

const ZOOMS: [&str; 4] = ["day", "week", "month", "quarter"];

pub async fn page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(query): Query<GanttQuery>,
) -> Response {
    let (plan, loaded) = match Plan::timed(&state, &ctx).await {
        Ok(timed) => timed,
        Err(problem) => return page_for_problem(problem),
    };
    let began = Instant::now();
    let zoom = query.zoom.as_deref().and_then(Zoom::from_name);
    let collapsed: BTreeSet<String> = query
        .collapsed
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|uid| !uid.is_empty())
        .map(str::to_owned)
        .collect();
    let project = plan.project();
    let options = GanttOptions {
        today: Some(today(project)),
        interactive: true,
        collapsed,
        zoom,
        ..GanttOptions::default()
    };
    let editable = ctx.may(Action::EditPlan);
    let chart = GanttFragment {
        svg: gantt_svg(project, &plan.schedule, &options),
        version: plan.loaded.summary.version,
        editable,
        cells: if editable {
            undo_cells(project)
        } else {
            String::new()
        },
    };
    let mut response = if query.fragment.as_deref() == Some("gantt") {
        render_fragment(&chart)
    } else {
        let svg_zoom = svg_attribute(&chart.svg, "data-zoom");
        render(&GanttPage {
            shell: Shell::for_project(&ctx, &plan.loaded.summary, "Gantt"),
            zoom: ZOOMS
                .iter()
                .find(|name| Some(**name) == svg_zoom.as_deref())
                .copied()
                .unwrap_or("week"),
            chart,
            script: Shell::script("gantt.js"),
        })
    };
    timing_headers(&mut response, loaded, began, plan.loaded.summary.version);
    response
}

/// "Today" for the chart's line: the status date if the plan has one, else now on the
/// project's clock.
pub fn today(project: &Project) -> Minute {
    if let Some(status) = project.status_date {
        return regie_core::time::minute_of(status);
    }
    let zone = jiff::tz::TimeZone::get(&project.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    regie_core::time::minute_of(zone.to_datetime(jiff::Timestamp::now()))
}

/// `{"uid": ["SNET 2027-01-04", "5d"], ...}`: what a move or a resize replaces, for undo.
fn undo_cells(project: &Project) -> String {
    let cells: BTreeMap<&str, [String; 2]> = project
        .task_ids()
        .map(|id| {
            let task = project.task(id);
            (
                task.uid.as_str(),
                [
                    format_constraint(&task.constraint),
                    format_duration(task.duration, &project.units),
                ],
            )
        })
        .collect();
    // In a <script type="application/json">: `</` must not close the element.
    serde_json::to_string(&cells)
        .unwrap_or_default()
        .replace("</", "<\\/")
}

/// The value of `name="..."` in the first tag of `svg`.
fn svg_attribute(svg: &str, name: &str) -> Option<String> {
    let start = svg.find(&format!("{name}=\""))? + name.len() + 2;
    let end = svg[start..].find('"')? + start;
    Some(svg[start..end].to_owned())
}
