//! A project as the pages show it: the model at one version and its computed schedule (cached
//! by version), and the figures the portfolio and the overview read off them.

use std::sync::Arc;

use regie_core::time::{MINUTES_PER_DAY, datetime_of};
use regie_core::{Minute, Project, Schedule, TaskId};
use regie_store::{LoadedProject, ProjectId};

use crate::error::{ApiError, ApiResult};
use crate::routes::Ctx;
use crate::state::AppState;

/// A loaded project and its schedule.
pub struct Plan {
    pub loaded: Arc<LoadedProject>,
    pub schedule: Arc<Schedule>,
}

impl Plan {
    /// The plan of the project of the page's path, at the version the guard saw.
    pub async fn of_page(state: &AppState, ctx: &Ctx) -> ApiResult<Plan> {
        let loaded = crate::api::load(state, ctx).await?;
        Plan::scheduled(state, loaded).await
    }

    /// [`Plan::of_page`], and how long it took (for `Server-Timing`).
    pub async fn timed(state: &AppState, ctx: &Ctx) -> ApiResult<(Plan, std::time::Duration)> {
        let began = std::time::Instant::now();
        let plan = Plan::of_page(state, ctx).await?;
        Ok((plan, began.elapsed()))
    }

    /// The plan of `project` as the store has it now (the portfolio, which reads many).
    pub async fn of(state: &AppState, project: ProjectId, version: i64) -> ApiResult<Plan> {
        let loaded = match state.models.get(project, version) {
            Some(loaded) => loaded,
            None => {
                let loaded = Arc::new(state.store.load_project(project).await?);
                state.models.put(loaded.clone());
                loaded
            }
        };
        Plan::scheduled(state, loaded).await
    }

    async fn scheduled(state: &AppState, loaded: Arc<LoadedProject>) -> ApiResult<Plan> {
        let key = (loaded.summary.id, loaded.summary.version);
        if let Some(schedule) = state.plans.get(key) {
            return Ok(Plan { loaded, schedule });
        }
        let model = loaded.clone();
        let schedule = tokio::task::spawn_blocking(move || regie_core::schedule(&model.project))
            .await
            .map_err(ApiError::internal)?
            .map_err(|error| {
                ApiError::unprocessable(format!("the project cannot be scheduled: {error}"))
            })?;
        let schedule = Arc::new(schedule);
        state.plans.put(key, schedule.clone());
        Ok(Plan { loaded, schedule })
    }

    pub fn project(&self) -> &Project {
        &self.loaded.project
    }

    /// Percent complete of the whole project, weighted by duration as MS Project rolls it up
    /// (leaf tasks only; milestones count as done or not).
    pub fn percent_complete(&self) -> u8 {
        let project = self.project();
        let summary = project.summary_flags();
        let (mut done, mut total) = (0i64, 0i64);
        for id in project.task_ids() {
            if summary[id.index()] {
                continue;
            }
            let task = project.task(id);
            let weight = task.duration.minutes.max(1);
            total += weight;
            done += weight * i64::from(task.progress.percent_complete) / 100;
        }
        if total == 0 {
            return 0;
        }
        (done * 100 / total) as u8
    }

    /// Milestones not yet done, in date order.
    pub fn open_milestones(&self) -> Vec<TaskId> {
        let project = self.project();
        let mut ids: Vec<TaskId> = project
            .task_ids()
            .filter(|id| {
                let task = project.task(*id);
                task.milestone && task.progress.percent_complete < 100
            })
            .collect();
        ids.sort_by_key(|id| self.schedule.task(*id).start);
        ids
    }
}

/// `4 Jan 2027`: the day of an instant that opens a period.
pub fn day(minute: Minute) -> String {
    let dt = datetime_of(minute);
    format!(
        "{} {} {}",
        dt.day(),
        &regie_core::time::month_name(dt.month())[..3],
        dt.year()
    )
}

/// The day of an instant that closes a period (midnight closes the day before).
pub fn end_day(minute: Minute) -> String {
    if minute.rem_euclid(MINUTES_PER_DAY) == 0 {
        return day(minute - 1);
    }
    day(minute)
}

/// `2027-01-04`: the ISO date of an instant (for inputs and scripts).
#[allow(dead_code)] // the Gantt and the table use it
pub fn iso_day(minute: Minute) -> String {
    datetime_of(minute).date().to_string()
}
