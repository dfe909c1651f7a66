//! The portfolio: the caller's projects (every project for admins) with their phase, planned
//! finish against the date agreed with the client, progress and warnings.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;

use regie_store::Page as StorePage;

use crate::routes::{Ctx, may_create_projects};
use crate::state::AppState;
use crate::ui::error::page_for_problem;
use crate::ui::plan::{Plan, day, end_day};
use crate::ui::shell::{Shell, render};

struct Row {
    id: i64,
    name: String,
    phase: String,
    client: String,
    start: String,
    finish: String,
    deadline: String,
    /// Planned finish after the agreed date.
    late: bool,
    percent: u8,
    warnings: usize,
    next_milestone: String,
    /// The plan cannot be scheduled (a cycle came in): shown, not hidden.
    broken: String,
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct PortfolioPage {
    shell: Shell,
    rows: Vec<Row>,
    may_create: bool,
    late_count: usize,
}

pub async fn page(State(state): State<AppState>, Extension(ctx): Extension<Ctx>) -> Response {
    let may_create = may_create_projects(&state, &ctx.actor)
        .await
        .unwrap_or(false);
    match rows(&state, &ctx).await {
        Ok(rows) => render(&PortfolioPage {
            shell: Shell::new(&ctx, "Portfolio", "portfolio"),
            late_count: rows.iter().filter(|row| row.late).count(),
            rows,
            may_create,
        }),
        Err(problem) => page_for_problem(problem),
    }
}

async fn rows(state: &AppState, ctx: &Ctx) -> crate::error::ApiResult<Vec<Row>> {
    let Some(user) = ctx.actor.user() else {
        return Ok(Vec::new());
    };
    let all = StorePage::first(StorePage::MAX_LIMIT);
    let projects = if user.is_admin {
        state.store.list_projects(all).await?
    } else {
        state.store.list_projects_of_user(user.id, all).await?
    };
    let clients = state.store.list_clients().await?;
    let mut rows = Vec::with_capacity(projects.len());
    for summary in projects {
        let client = summary
            .client
            .and_then(|id| clients.iter().find(|client| client.id == id))
            .map(|client| client.name.clone())
            .unwrap_or_default();
        let deadline = summary.client_deadline;
        let mut row = Row {
            id: summary.id.0,
            name: summary.name.clone(),
            phase: summary.phase.clone().unwrap_or_default(),
            client,
            start: String::new(),
            finish: String::new(),
            deadline: deadline.map(|date| date.to_string()).unwrap_or_default(),
            late: false,
            percent: 0,
            warnings: 0,
            next_milestone: String::new(),
            broken: String::new(),
        };
        match Plan::of(state, summary.id, summary.version).await {
            Ok(plan) => {
                let finish = plan.schedule.finish;
                row.start = day(plan.schedule.start);
                row.finish = end_day(finish);
                if let Some(date) = deadline {
                    let agreed_end = regie_core::time::date_midnight(date) + 24 * 60;
                    row.late = finish > agreed_end;
                    row.deadline = day(regie_core::time::date_midnight(date));
                }
                row.percent = plan.percent_complete();
                row.warnings = plan.schedule.warnings.len();
                if let Some(next) = plan.open_milestones().first() {
                    row.next_milestone = format!(
                        "{} · {}",
                        plan.project().task(*next).name,
                        day(plan.schedule.task(*next).start)
                    );
                }
            }
            Err(problem) => row.broken = problem.detail,
        }
        rows.push(row);
    }
    Ok(rows)
}
