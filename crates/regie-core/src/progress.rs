//! Progress against the status date: what is left is scheduled after it.
//!
//! The engine keeps recorded facts where they are (actual dates, the work done) and, left to
//! itself, schedules the rest of a started task right after the work done, even when that lies
//! in the past. [`reschedule_after_status`] is MS Project's *Update Project → reschedule
//! uncompleted work to start after the status date*, as a change of the model (so the engine
//! stays a pure function of the model, and the change can be shown, saved or undone):
//! - a started task whose work done ends before the status date pauses there: the rest of its
//!   work resumes at the status date (a [`Split`] after the work done);
//! - a task not started yet starts no earlier than the status date (its "as soon as possible"
//!   becomes "start no earlier than" the status date, or an earlier such date moves up to it);
//!   other constraints are the user's and stay;
//! - finished and manually scheduled tasks, summaries and milestones reached stay as they are.

use jiff::civil::DateTime;

use crate::calendar::{CalendarError, IndexCache};
use crate::model::{Constraint, ConstraintKind, Project, Split};
use crate::time::{MINUTES_PER_DAY, minute_of};

/// What [`reschedule_after_status`] changed, task by task, for the user to see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rescheduled {
    /// Started tasks that now pause until the status date: (task index, working minutes of
    /// the pause).
    pub paused: Vec<(usize, i64)>,
    /// Tasks not started yet that now start no earlier than the status date.
    pub held: Vec<usize>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RescheduleError {
    #[error("the project has no status date to reschedule the remaining work after")]
    NoStatusDate,
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// The project with its uncompleted work moved after `project.status_date`, and what moved.
pub fn reschedule_after_status(
    project: &Project,
) -> Result<(Project, Rescheduled), RescheduleError> {
    let status = project.status_date.ok_or(RescheduleError::NoStatusDate)?;
    let status_at = minute_of(status);
    let summary = project.summary_flags();
    let mut out = project.clone();
    let mut changes = Rescheduled::default();
    // The calendars the started tasks are worked on, resolved once each, from the earliest
    // actual start to a year past the status date.
    let earliest = project
        .tasks
        .iter()
        .filter_map(|task| task.progress.actual_start)
        .map(minute_of)
        .min()
        .unwrap_or(status_at)
        .min(status_at);
    let (first_day, last_day) = (
        earliest.div_euclid(MINUTES_PER_DAY) - 1,
        status_at.div_euclid(MINUTES_PER_DAY) + 366,
    );
    let parts = crate::cpm::task_parts(project);
    let mut indexes = IndexCache::default();

    for (index, task) in project.tasks.iter().enumerate() {
        let progress = task.progress;
        if summary[index] || task.manual.is_some() || progress.actual_finish.is_some() {
            continue;
        }
        let Some(actual_start) = progress.actual_start else {
            if progress.percent_complete == 0 && hold(&mut out.tasks[index].constraint, status) {
                changes.held.push(index);
            }
            continue;
        };
        // Started: the work done runs from the actual start on the task's (first) calendar.
        let Some(part) = parts[index].first() else {
            continue;
        };
        let work = part.minutes - part.paused;
        let Some(calendar_id) = part.calendar.filter(|_| work > 0 && !task.milestone) else {
            continue;
        };
        let calendar = indexes.get(&project.calendars, calendar_id, first_day, last_day)?;
        let done = work * i64::from(progress.percent_complete.min(100)) / 100;
        if done >= work {
            continue;
        }
        // Where the rest of the work resumes: after the work done and the pauses up to it.
        let paused_before: i64 = task
            .splits
            .iter()
            .filter(|split| split.after <= done)
            .map(|split| split.pause)
            .sum();
        let done_until = calendar.add(minute_of(actual_start), done + paused_before);
        let pause = calendar.work_between(done_until, status_at.max(done_until));
        if pause <= 0 {
            continue;
        }
        let splits = &mut out.tasks[index].splits;
        match splits.iter().position(|split| split.after >= done) {
            Some(at) if splits[at].after == done => splits[at].pause += pause,
            Some(at) => splits.insert(at, Split { after: done, pause }),
            None => splits.push(Split { after: done, pause }),
        }
        changes.paused.push((index, pause));
    }
    Ok((out, changes))
}

/// A task not started yet starts no earlier than `status`: true when that changed anything.
fn hold(constraint: &mut Constraint, status: DateTime) -> bool {
    match (constraint.kind, constraint.date) {
        (ConstraintKind::AsSoonAsPossible, _) => {
            *constraint = Constraint {
                kind: ConstraintKind::StartNoEarlierThan,
                date: Some(status),
            };
            true
        }
        (ConstraintKind::StartNoEarlierThan, Some(date)) if date < status => {
            constraint.date = Some(status);
            true
        }
        _ => false,
    }
}
