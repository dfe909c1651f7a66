//! The claim orders leveling tries: which task keeps a resource when several want it.
//!
//! A greedy leveling pass is only as good as its order, and no single priority rule is best on
//! every plan (Kolisch & Hartmann 2006), so [`super::project::level`] runs the pass under several
//! orders and keeps the best plan. Each order here is a *priority value* per task, lower claiming
//! first; the pass turns it into a precedence-respecting rank (a task before the tasks its links
//! drive) and, for the sampled orders, draws that rank by regret-biased random sampling.

use std::fmt;

use crate::calendar::CalendarIndex;
use crate::cpm::Schedule;
use crate::level::rcpsp::{self, Job, Rcpsp, SolveOptions};
use crate::model::{LinkKind, Project, ResourceKind, TaskId};
use crate::time::{MINUTES_PER_DAY, Minute, date_of_day};

/// One way of ordering the claims on resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimOrder {
    /// MS Project's standard order: lower total float, earlier start, higher priority, lower id.
    MsProject,
    /// Earliest late finish first (the LFT rule), from the schedule before leveling.
    LatestFinish,
    /// Greatest rank positional weight first: a task's duration plus its direct successors'.
    RankPositionalWeight,
    /// The start order of an RCPSP solution of the plan in whole working days of the project
    /// calendar (see [`rcpsp_priorities`]).
    Rcpsp,
    /// A regret-biased random sample around MS Project's order (`sample` counts from 1), drawn
    /// from the seed of the options.
    Sampled { sample: u32 },
}

impl fmt::Display for ClaimOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimOrder::MsProject => f.write_str("MS Project's order"),
            ClaimOrder::LatestFinish => f.write_str("latest finish first"),
            ClaimOrder::RankPositionalWeight => f.write_str("greatest rank positional weight"),
            ClaimOrder::Rcpsp => f.write_str("RCPSP solution in working days"),
            ClaimOrder::Sampled { sample } => write!(f, "random sample {sample}"),
        }
    }
}

/// The first `budget` orders to try (at least one): the deterministic rules first, so a small
/// budget still tries the ones that are usually best, then random samples.
pub fn orders_to_try(budget: usize) -> Vec<ClaimOrder> {
    let rules = [
        ClaimOrder::MsProject,
        ClaimOrder::LatestFinish,
        ClaimOrder::RankPositionalWeight,
        ClaimOrder::Rcpsp,
    ];
    let budget = budget.max(1);
    let mut orders: Vec<ClaimOrder> = rules.into_iter().take(budget).collect();
    for sample in 1..=budget.saturating_sub(rules.len()) {
        orders.push(ClaimOrder::Sampled {
            sample: sample as u32,
        });
    }
    orders
}

/// MS Project's order as a position per task (0 = first claim).
pub fn ms_project_priorities(project: &Project, before: &Schedule) -> Vec<i64> {
    positions(project, |id| {
        let dates = before.task(id);
        (
            dates.total_float,
            dates.start,
            -i64::from(project.task(id).priority),
        )
    })
}

/// Earliest late finish first; ties by earlier start.
pub fn latest_finish_priorities(project: &Project, before: &Schedule) -> Vec<i64> {
    positions(project, |id| {
        let dates = before.task(id);
        (dates.late_finish, dates.start, 0)
    })
}

/// Greatest rank positional weight first: the task's span plus the spans of the tasks its links
/// lead to directly (Kolisch's GRPW), in minutes of the schedule before leveling.
pub fn rank_positional_weight_priorities(project: &Project, before: &Schedule) -> Vec<i64> {
    let span = |id: TaskId| before.task(id).finish - before.task(id).start;
    let mut weight: Vec<i64> = project.task_ids().map(span).collect();
    for link in &project.links {
        if link.pred.index() < weight.len() && link.succ.index() < weight.len() {
            weight[link.pred.index()] += span(link.succ);
        }
    }
    positions(project, |id| {
        (-weight[id.index()], before.task(id).start, 0)
    })
}

/// The plan as an RCPSP in whole working days of the project calendar, solved within a budget
/// of generated schedules, and each task's start day in the solution (ties by MS Project's
/// order). `None` when the plan does not fit the solver (a calendar error, a horizon beyond its
/// limit).
///
/// The translation keeps what matters for an order and drops what the solver cannot express:
/// a task lasts the working days its unleveled span touches; it needs its units of every work
/// resource, capped at the resource's maximum; a finish-to-start link between two leaf tasks is
/// a precedence; every other effect of links, lags, constraints and summaries is kept as a
/// release date (its unleveled start day), modelled by a zero-demand job of that length before
/// it. The leveling pass then works on the real plan, so an approximation here can only make the
/// order less good, never the plan wrong.
pub fn rcpsp_priorities(
    project: &Project,
    before: &Schedule,
    ms_project: &[i64],
    seed: u64,
) -> Option<Vec<i64>> {
    let first_day = before.start.div_euclid(MINUTES_PER_DAY) - 1;
    let last_day = before.finish.div_euclid(MINUTES_PER_DAY) + 1;
    let index = CalendarIndex::build(
        &project.calendars,
        project.calendar,
        date_of_day(first_day),
        date_of_day(last_day),
    )
    .ok()?;
    // working_days_before[d]: working days of the project calendar before day `first_day + d`.
    let mut working_days_before = Vec::with_capacity((last_day - first_day + 2) as usize);
    let mut count = 0u32;
    for day in first_day..=last_day + 1 {
        working_days_before.push(count);
        let midnight = day * MINUTES_PER_DAY;
        if index.work_between(midnight, midnight + MINUTES_PER_DAY) > 0 {
            count += 1;
        }
    }
    let period_of = |at: Minute| -> u32 {
        let day = at
            .div_euclid(MINUTES_PER_DAY)
            .clamp(first_day, last_day + 1);
        working_days_before[(day - first_day) as usize]
    };

    let resources: Vec<usize> = (0..project.resources.len())
        .filter(|&r| project.resources[r].kind == ResourceKind::Work)
        .collect();
    let mut column = vec![usize::MAX; project.resources.len()];
    for (at, &r) in resources.iter().enumerate() {
        column[r] = at;
    }
    let capacities: Vec<u32> = resources
        .iter()
        .map(|&r| project.resources[r].max_units)
        .collect();
    let summary = project.summary_flags();
    let n = project.tasks.len();
    let mut jobs: Vec<Job> = project
        .task_ids()
        .map(|id| {
            let dates = before.task(id);
            let duration = match summary[id.index()] || dates.finish <= dates.start {
                true => 0,
                false => (period_of(dates.finish - 1) + 1).saturating_sub(period_of(dates.start)),
            };
            Job {
                duration,
                demands: vec![0; capacities.len()],
                successors: Vec::new(),
            }
        })
        .collect();
    for assignment in &project.assignments {
        let (task, resource) = (assignment.task.index(), assignment.resource.index());
        if task >= n || resource >= column.len() || column[resource] == usize::MAX {
            continue;
        }
        let slot = &mut jobs[task].demands[column[resource]];
        *slot = (*slot + assignment.units).min(capacities[column[resource]]);
    }
    for link in &project.links {
        let (pred, succ) = (link.pred.index(), link.succ.index());
        let leaves = pred < n && succ < n && !summary[pred] && !summary[succ];
        if link.kind == LinkKind::FinishToStart && leaves {
            jobs[pred].successors.push(succ as u32);
        }
    }
    // One release job per distinct release day, shared by the tasks released that day.
    let mut release_job: std::collections::BTreeMap<u32, usize> = Default::default();
    for id in project.task_ids() {
        let release = period_of(before.task(id).start).saturating_sub(period_of(before.start));
        if release == 0 || summary[id.index()] {
            continue;
        }
        let job = *release_job.entry(release).or_insert_with(|| {
            jobs.push(Job {
                duration: release,
                demands: vec![0; capacities.len()],
                successors: Vec::new(),
            });
            jobs.len() - 1
        });
        jobs[job].successors.push(id.0);
    }
    let problem = Rcpsp { jobs, capacities };
    // A few hundred schedules on a small plan, a handful on a large one: the order is a
    // starting point for the pass, not the answer, and must not dominate its time.
    let schedules = (200_000 / problem.jobs.len().max(1)).clamp(4, 1_000) as u32;
    let solution = rcpsp::solve(&problem, &SolveOptions { schedules, seed }).ok()?;
    Some(
        (0..n)
            .map(|t| i64::from(solution.starts[t]) * n as i64 + ms_project[t])
            .collect(),
    )
}

/// Each task's position when sorted by `key`, ties by task id.
fn positions<K: Ord>(project: &Project, key: impl Fn(TaskId) -> K) -> Vec<i64> {
    let mut ids: Vec<TaskId> = project.task_ids().collect();
    ids.sort_by_cached_key(|&id| (key(id), id));
    let mut position = vec![0i64; ids.len()];
    for (at, id) in ids.into_iter().enumerate() {
        position[id.index()] = at as i64;
    }
    position
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_come_before_the_samples_and_the_budget_is_respected() {
        assert_eq!(orders_to_try(0), [ClaimOrder::MsProject]);
        assert_eq!(
            orders_to_try(2),
            [ClaimOrder::MsProject, ClaimOrder::LatestFinish]
        );
        let six = orders_to_try(6);
        assert_eq!(six.len(), 6);
        assert_eq!(six[3], ClaimOrder::Rcpsp);
        assert_eq!(six[5], ClaimOrder::Sampled { sample: 2 });
    }
}
