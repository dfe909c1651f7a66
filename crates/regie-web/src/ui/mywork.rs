//! My work (`/my-work`): the caller's tasks across their projects — overdue ones, this week's,
//! next week's and the next few after — as cards that work on a phone, with percent complete
//! and "started" / "done" buttons for those who record progress.
//!
//! A task is the caller's when a resource assigned to it has their email (ignoring case), or,
//! when the account has no email, their display name. Each card carries its project's version
//! (`data-version`): the script sends it as `If-Match` and updates every card of that project
//! from the answer's `ETag`.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;

use regie_core::time::{self, MINUTES_PER_DAY, format_minute};
use regie_core::{Minute, ResourceKind};
use regie_store::Role;

use crate::error::ApiResult;
use crate::permissions::allowed;
use crate::routes::Ctx;
use crate::state::AppState;
use crate::ui::error::page_for_problem;
use crate::ui::plan::{Plan, day, end_day};
use crate::ui::shell::{Shell, render};
use crate::ui::workload::{monday_of, team_projects};

/// How many tasks "Coming up" lists.
const COMING_UP: usize = 6;

struct TaskCard {
    project_id: i64,
    project_name: String,
    version: i64,
    uid: String,
    wbs: String,
    name: String,
    milestone: bool,
    start: String,
    finish: String,
    start_iso: String,
    finish_iso: String,
    actual_start: String,
    actual_finish: String,
    percent: u8,
    state: &'static str,
    overdue: bool,
    may_update: bool,
    /// For sorting.
    at: Minute,
}

struct Section {
    id: &'static str,
    title: &'static str,
    tasks: Vec<TaskCard>,
    /// Shown when the section has no task; empty: the section is left out then.
    empty: &'static str,
}

#[derive(Template)]
#[template(path = "mywork.html", whitespace = "minimize")]
struct MyWorkPage {
    shell: Shell,
    who: String,
    hint: String,
    sections: Vec<Section>,
    total: usize,
    broken: Vec<String>,
    script: String,
}

pub async fn page(State(state): State<AppState>, Extension(ctx): Extension<Ctx>) -> Response {
    match my_work(&state, &ctx).await {
        Ok(page) => render(&page),
        Err(problem) => page_for_problem(problem),
    }
}

async fn my_work(state: &AppState, ctx: &Ctx) -> ApiResult<MyWorkPage> {
    let shell = Shell::new(ctx, "My work", "my-work");
    let script = Shell::script("people.js");
    let Some(user) = ctx.actor.user() else {
        return Ok(MyWorkPage {
            shell,
            who: String::new(),
            hint: String::new(),
            sections: Vec::new(),
            total: 0,
            broken: Vec::new(),
            script,
        });
    };
    let email = user
        .email
        .as_deref()
        .map(str::trim)
        .filter(|email| !email.is_empty())
        .map(str::to_lowercase);
    let display = user.display_name.trim().to_lowercase();
    let mine = |resource: &regie_core::Resource| match &email {
        Some(email) => resource
            .email
            .as_deref()
            .is_some_and(|their| their.trim().to_lowercase() == *email),
        None => resource.name.trim().to_lowercase() == display,
    };
    let (who, hint) = match &email {
        Some(email) => (
            format!("Tasks assigned to {email} in your projects."),
            "A task is yours when a resource with your email is assigned to it.".to_owned(),
        ),
        None => (
            format!("Tasks assigned to {} in your projects.", user.display_name),
            "Your account has no email, so tasks are matched by your name: ask an administrator to add your email for a reliable match.".to_owned(),
        ),
    };

    let today = crate::ui::workload::server_today();
    let today_start = time::date_midnight(today);
    let week_start = time::date_midnight(monday_of(today));
    let next_week = week_start + 7 * MINUTES_PER_DAY;
    let after_next = next_week + 7 * MINUTES_PER_DAY;

    let mut overdue = Vec::new();
    let mut this_week = Vec::new();
    let mut next = Vec::new();
    let mut later = Vec::new();
    let mut broken = Vec::new();
    for (summary, role) in team_projects(state, ctx, true).await? {
        let plan = match Plan::of(state, summary.id, summary.version).await {
            Ok(plan) => plan,
            Err(problem) => {
                broken.push(format!("{}: {}", summary.name, problem.detail));
                continue;
            }
        };
        let project = plan.project();
        let my_resources: Vec<bool> = project
            .resources
            .iter()
            .map(|resource| resource.kind == ResourceKind::Work && mine(resource))
            .collect();
        if !my_resources.contains(&true) {
            continue;
        }
        let summary_flags = project.summary_flags();
        let wbs = project.outline_numbers();
        let mut mine_tasks: Vec<usize> = project
            .assignments
            .iter()
            .filter(|a| my_resources[a.resource.index()] && !summary_flags[a.task.index()])
            .map(|a| a.task.index())
            .collect();
        mine_tasks.sort_unstable();
        mine_tasks.dedup();
        let may_update = allowed(&ctx.actor, role, crate::permissions::Action::UpdateProgress)
            && role != Some(Role::Client);
        for index in mine_tasks {
            let task = &project.tasks[index];
            let dates = plan.schedule.task(regie_core::TaskId(index as u32));
            let percent = task.progress.percent_complete;
            let done = percent >= 100;
            let is_overdue = !done && dates.finish <= today_start;
            let card = TaskCard {
                project_id: summary.id.0,
                project_name: summary.name.clone(),
                version: summary.version,
                uid: task.uid.clone(),
                wbs: wbs[index].clone(),
                name: task.name.clone(),
                milestone: task.milestone,
                start: day(dates.start),
                finish: end_day(dates.finish),
                start_iso: format_minute(dates.start),
                finish_iso: format_minute(dates.finish),
                actual_start: task
                    .progress
                    .actual_start
                    .map(|d| format_minute(time::minute_of(d)))
                    .unwrap_or_default(),
                actual_finish: task
                    .progress
                    .actual_finish
                    .map(|d| format_minute(time::minute_of(d)))
                    .unwrap_or_default(),
                percent,
                state: state_of(percent, task.progress.actual_start.is_some()),
                overdue: is_overdue,
                may_update,
                at: dates.start,
            };
            let touches = |from: Minute, to: Minute| {
                dates.start < to
                    && (dates.finish > from || (dates.finish == dates.start && dates.start >= from))
            };
            if is_overdue {
                overdue.push(card);
            } else if touches(week_start, next_week) {
                this_week.push(card);
            } else if touches(next_week, after_next) {
                next.push(card);
            } else if !done && dates.start >= after_next {
                later.push(card);
            }
        }
    }
    for list in [&mut overdue, &mut this_week, &mut next, &mut later] {
        list.sort_by(|a, b| {
            a.at.cmp(&b.at)
                .then_with(|| a.project_name.cmp(&b.project_name))
        });
    }
    later.truncate(COMING_UP);
    let total = overdue.len() + this_week.len() + next.len() + later.len();
    Ok(MyWorkPage {
        shell,
        who,
        hint,
        sections: vec![
            Section {
                id: "overdue",
                title: "Overdue",
                tasks: overdue,
                empty: "",
            },
            Section {
                id: "this-week",
                title: "This week",
                tasks: this_week,
                empty: "Nothing planned for you this week.",
            },
            Section {
                id: "next-week",
                title: "Next week",
                tasks: next,
                empty: "Nothing planned for you next week.",
            },
            Section {
                id: "coming-up",
                title: "Coming up",
                tasks: later,
                empty: "",
            },
        ],
        total,
        broken,
        script,
    })
}

fn state_of(percent: u8, started: bool) -> &'static str {
    match percent {
        100.. => "Done",
        0 if !started => "Not started",
        _ => "In progress",
    }
}
