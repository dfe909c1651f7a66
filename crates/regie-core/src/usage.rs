//! Resource usage: what the schedule asks of each person, day by day, against what their own
//! calendar gives.
//!
//! An assignment books its resource at its units for every working minute of the resource's
//! calendar between the task's start and finish (the vacation in the middle is not booked). A
//! day is over-allocated when the minutes booked exceed the resource's working minutes that day
//! times its maximum units. Like MS Project's default "day by day" leveling basis, two half-day
//! tasks on one day do not clash; two full-day ones do. A split task books nothing during its
//! pauses ([`crate::model::Split`]: after `after` minutes of its work, `pause` working minutes of
//! the task's calendar, or of the resource's when the task has none).

use jiff::civil::Date;

use crate::calendar::{CalendarError, CalendarIndex};
use crate::cpm::Schedule;
use crate::model::{CalendarId, Project, ResourceId, ResourceKind, Task, TaskId};
use crate::time::{MINUTES_PER_DAY, Minute, date_of_day};

/// One resource over-allocated on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayLoad {
    pub resource: ResourceId,
    pub date: Date,
    /// Minutes of work booked that day (units × working minutes, summed over assignments).
    pub booked_minutes: i64,
    /// Minutes the resource can give that day (its calendar × its maximum units).
    pub capacity_minutes: i64,
    /// The tasks booking the resource that day, in task order.
    pub tasks: Vec<TaskId>,
    /// The resource's working day before this one (so runs continue over weekends).
    pub previous_working_day: Option<Date>,
}

/// A run of consecutive over-allocated days of one resource, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overallocation {
    pub resource: ResourceId,
    pub from: Date,
    pub to: Date,
    /// The worst day: booked over capacity, as a percentage (150 = half as much again).
    pub peak_percent: i64,
    pub tasks: Vec<TaskId>,
}

/// What one work resource is booked and can give, day by day, for histograms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceLoad {
    pub resource: ResourceId,
    /// The day of `booked_minutes[0]`.
    pub first_day: Date,
    /// Minutes of work booked each day (units × working minutes, summed over assignments).
    pub booked_minutes: Vec<i64>,
    /// Minutes the resource can give each day (its calendar × its maximum units).
    pub capacity_minutes: Vec<i64>,
}

/// The daily load of every work resource with at least one assignment, by resource, over the
/// days of the schedule (a day either side, so every booked day is in).
pub fn daily_loads(
    project: &Project,
    schedule: &Schedule,
) -> Result<Vec<ResourceLoad>, CalendarError> {
    let first_day = schedule.start.div_euclid(MINUTES_PER_DAY) - 1;
    let last_day = schedule.finish.div_euclid(MINUTES_PER_DAY) + 1;
    let (from, to) = (date_of_day(first_day), date_of_day(last_day));
    let mut indexes: Vec<Option<CalendarIndex>> = vec![None; project.calendars.len()];
    let summary = project.summary_flags();
    let n_days = (last_day - first_day + 1) as usize;
    let mut loads = Vec::new();
    for (r, assignments) in work_assignments(project).iter().enumerate() {
        if assignments.is_empty() {
            continue;
        }
        let resource = &project.resources[r];
        let calendar: CalendarId = resource.calendar.unwrap_or(project.calendar);
        if indexes[calendar.index()].is_none() {
            indexes[calendar.index()] = Some(CalendarIndex::build(
                &project.calendars,
                calendar,
                from,
                to,
            )?);
        }
        // The pauses of split tasks, on the task's calendar (or the resource's).
        let mut paused: Vec<(usize, Vec<(Minute, Minute)>)> = Vec::new();
        for &a in assignments {
            let task = project.task(project.assignments[a].task);
            if task.splits.is_empty() || summary[project.assignments[a].task.index()] {
                continue;
            }
            let on = task.calendar.unwrap_or(calendar);
            if indexes[on.index()].is_none() {
                indexes[on.index()] = Some(CalendarIndex::build(&project.calendars, on, from, to)?);
            }
            if let Some(task_index) = indexes[on.index()].as_ref() {
                let start = schedule.task(project.assignments[a].task).start;
                paused.push((a, pauses_of(task, start, task_index)));
            }
        }
        let Some(index) = indexes[calendar.index()].as_ref() else {
            continue;
        };
        let mut booked = vec![0i64; n_days];
        for &a in assignments {
            let assignment = &project.assignments[a];
            if summary[assignment.task.index()] {
                continue;
            }
            let dates = schedule.task(assignment.task);
            let pauses = paused
                .iter()
                .find(|(b, _)| *b == a)
                .map_or(&[][..], |(_, p)| &p[..]);
            for_each_booked_day(index, dates.start, dates.finish, pauses, |day, minutes| {
                booked[(day - first_day) as usize] += minutes * i64::from(assignment.units) / 100;
            });
        }
        let capacity = (first_day..=last_day)
            .map(|day| {
                let midnight = day * MINUTES_PER_DAY;
                index.work_between(midnight, midnight + MINUTES_PER_DAY)
                    * i64::from(resource.max_units)
                    / 100
            })
            .collect();
        loads.push(ResourceLoad {
            resource: ResourceId(r as u32),
            first_day: from,
            booked_minutes: booked,
            capacity_minutes: capacity,
        });
    }
    Ok(loads)
}

/// The assignments of each work resource (by resource index) that book something.
fn work_assignments(project: &Project) -> Vec<Vec<usize>> {
    let mut by_resource: Vec<Vec<usize>> = vec![Vec::new(); project.resources.len()];
    for (index, assignment) in project.assignments.iter().enumerate() {
        let resource = &project.resources[assignment.resource.index()];
        if resource.kind == ResourceKind::Work && assignment.units > 0 {
            by_resource[assignment.resource.index()].push(index);
        }
    }
    by_resource
}

/// The calendar indexes leveling keeps between its measurements (see [`IndexCache`]).
pub use crate::calendar::IndexCache as CalendarCache;

/// Every day on which some work resource is booked beyond its capacity, by resource then date.
pub fn overallocated_days(
    project: &Project,
    schedule: &Schedule,
) -> Result<Vec<DayLoad>, CalendarError> {
    let all = vec![true; project.resources.len()];
    overallocated_days_cached(project, schedule, &mut CalendarCache::default(), &all)
}

/// [`overallocated_days`] of the resources flagged in `resources` (by index), with the
/// calendars indexed once for many calls: leveling asks again only for the people whose tasks
/// moved.
pub fn overallocated_days_cached(
    project: &Project,
    schedule: &Schedule,
    indexes: &mut CalendarCache,
    resources: &[bool],
) -> Result<Vec<DayLoad>, CalendarError> {
    let first_day = schedule.start.div_euclid(MINUTES_PER_DAY) - 1;
    let last_day = schedule.finish.div_euclid(MINUTES_PER_DAY) + 1;
    let by_resource = work_assignments(project);
    let summary = project.summary_flags();
    let mut out = Vec::new();
    let n_days = (last_day - first_day + 1) as usize;
    let mut booked = vec![0i64; n_days];
    let mut tasks_on: Vec<Vec<TaskId>> = vec![Vec::new(); n_days];
    for (r, assignments) in by_resource.iter().enumerate() {
        if assignments.is_empty() || !resources.get(r).copied().unwrap_or(false) {
            continue;
        }
        let resource = &project.resources[r];
        let calendar: CalendarId = resource.calendar.unwrap_or(project.calendar);
        // The pauses of split tasks, on the task's calendar (or the resource's).
        let mut paused: Vec<(usize, Vec<(Minute, Minute)>)> = Vec::new();
        for &a in assignments {
            let task = project.task(project.assignments[a].task);
            if task.splits.is_empty() || summary[project.assignments[a].task.index()] {
                continue;
            }
            let task_index =
                indexes.covering(project, task.calendar.unwrap_or(calendar), schedule)?;
            let start = schedule.task(project.assignments[a].task).start;
            paused.push((a, pauses_of(task, start, &task_index)));
        }
        let index = indexes.covering(project, calendar, schedule)?;
        booked.iter_mut().for_each(|b| *b = 0);
        tasks_on.iter_mut().for_each(Vec::clear);
        for &a in assignments {
            let assignment = &project.assignments[a];
            if summary[assignment.task.index()] {
                continue;
            }
            let dates = schedule.task(assignment.task);
            let pauses = paused
                .iter()
                .find(|(b, _)| *b == a)
                .map_or(&[][..], |(_, p)| &p[..]);
            for_each_booked_day(&index, dates.start, dates.finish, pauses, |day, minutes| {
                let slot = (day - first_day) as usize;
                booked[slot] += minutes * i64::from(assignment.units) / 100;
                if tasks_on[slot].last() != Some(&assignment.task) {
                    tasks_on[slot].push(assignment.task);
                }
            });
        }
        for (slot, &minutes) in booked.iter().enumerate() {
            if minutes == 0 {
                continue;
            }
            let day = first_day + slot as i64;
            let midnight = day * MINUTES_PER_DAY;
            let working = index.work_between(midnight, midnight + MINUTES_PER_DAY);
            let capacity = working * i64::from(resource.max_units) / 100;
            if minutes > capacity {
                let mut tasks = tasks_on[slot].clone();
                tasks.sort();
                tasks.dedup();
                // The end of the last working interval before this day names the day it ends in.
                let previous_end = index.prev_working_end(midnight);
                let previous_working_day = (previous_end < midnight
                    && !index.saturated(previous_end))
                .then(|| date_of_day((previous_end - 1).div_euclid(MINUTES_PER_DAY)));
                out.push(DayLoad {
                    resource: ResourceId(r as u32),
                    date: date_of_day(day),
                    booked_minutes: minutes,
                    capacity_minutes: capacity,
                    tasks,
                    previous_working_day,
                });
            }
        }
    }
    Ok(out)
}

/// The over-allocated days grouped into runs of consecutive working days per resource.
pub fn overallocations(days: &[DayLoad]) -> Vec<Overallocation> {
    let mut runs: Vec<Overallocation> = Vec::new();
    for day in days {
        let peak = match day.capacity_minutes {
            0 => i64::MAX,
            capacity => day.booked_minutes * 100 / capacity,
        };
        match runs.last_mut() {
            Some(run)
                if run.resource == day.resource && day.previous_working_day == Some(run.to) =>
            {
                run.to = day.date;
                run.peak_percent = run.peak_percent.max(peak);
                for &task in &day.tasks {
                    if !run.tasks.contains(&task) {
                        run.tasks.push(task);
                    }
                }
            }
            _ => runs.push(Overallocation {
                resource: day.resource,
                from: day.date,
                to: day.date,
                peak_percent: peak,
                tasks: day.tasks.clone(),
            }),
        }
    }
    for run in &mut runs {
        run.tasks.sort();
    }
    runs
}

/// The pauses of a split task starting at `start`, as `[from, to)` instants on `index`, the
/// calendar its pauses count on: each begins after `after` minutes of work (and the pauses
/// before it) and lasts `pause` working minutes. In order, not overlapping.
pub fn pauses_of(task: &Task, start: Minute, index: &CalendarIndex) -> Vec<(Minute, Minute)> {
    let mut paused = 0;
    task.splits
        .iter()
        .map(|split| {
            let from = index.add(start, split.after + paused);
            paused += split.pause;
            (from, index.add(start, split.after + paused))
        })
        .collect()
}

/// Calls `f(day number, minutes)` for the working time of `index` in `[start, end)` outside
/// `pauses` (sorted, not overlapping), per day.
fn for_each_booked_day(
    index: &CalendarIndex,
    start: Minute,
    end: Minute,
    pauses: &[(Minute, Minute)],
    mut f: impl FnMut(i64, i64),
) {
    for (mut from, to) in index.working_intervals(start, end) {
        for &(pause_from, pause_to) in pauses {
            if pause_to <= from || pause_from >= to {
                continue;
            }
            if pause_from > from {
                for_each_day(from, pause_from, &mut f);
            }
            from = from.max(pause_to);
            if from >= to {
                break;
            }
        }
        if from < to {
            for_each_day(from, to, &mut f);
        }
    }
}

/// Calls `f(day number, minutes)` for the part of `[start, end)` in each day it touches.
fn for_each_day(start: Minute, end: Minute, f: &mut impl FnMut(i64, i64)) {
    let mut at = start;
    while at < end {
        let day = at.div_euclid(MINUTES_PER_DAY);
        let day_end = (day + 1) * MINUTES_PER_DAY;
        let until = end.min(day_end);
        f(day, until - at);
        at = until;
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, datetime};

    use super::*;
    use crate::model::{Assignment, Duration, Resource, Task};
    use crate::{calendar::Calendar, schedule};

    /// Ana on "A" (3d) and "B" (2d) at the given units, both from Monday 2027-01-04; Bob on "C".
    fn plan(units_a: u32, units_b: u32) -> Project {
        let mut p = Project::new("Usage", datetime(2027, 1, 4, 8, 0, 0, 0));
        for (uid, days) in [("A", 3), ("B", 2), ("C", 4)] {
            let mut task = Task::new(uid, uid);
            task.duration = Duration::working(days * 480);
            p.tasks.push(task);
        }
        p.resources.push(Resource::new("ana", "Ana"));
        p.resources.push(Resource::new("bob", "Bob"));
        for (task, resource, units) in [(0, 0, units_a), (1, 0, units_b), (2, 1, 100)] {
            p.assignments.push(Assignment {
                task: TaskId(task),
                resource: ResourceId(resource),
                units,
                work: None,
            });
        }
        p
    }

    #[test]
    fn two_full_time_tasks_at_once_overallocate_the_days_they_share() {
        let p = plan(100, 100);
        let s = schedule(&p).unwrap();
        let days = overallocated_days(&p, &s).unwrap();
        let dates: Vec<Date> = days.iter().map(|d| d.date).collect();
        assert_eq!(dates, [date(2027, 1, 4), date(2027, 1, 5)]);
        assert!(days.iter().all(|d| d.resource == ResourceId(0)));
        assert_eq!(
            (days[0].booked_minutes, days[0].capacity_minutes),
            (960, 480)
        );
        assert_eq!(days[0].tasks, [TaskId(0), TaskId(1)]);
        let runs = overallocations(&days);
        assert_eq!(runs.len(), 1);
        assert_eq!(
            (runs[0].from, runs[0].to),
            (date(2027, 1, 4), date(2027, 1, 5))
        );
        assert_eq!(runs[0].peak_percent, 200);
    }

    #[test]
    fn a_run_of_overallocated_days_goes_on_over_the_weekend() {
        // A (8d) and B (6d) both from Monday 2027-01-04: Ana is double-booked Monday to the
        // next Monday, one run across Saturday and Sunday.
        let mut p = plan(100, 100);
        p.tasks[0].duration = Duration::working(8 * 480);
        p.tasks[1].duration = Duration::working(6 * 480);
        let s = schedule(&p).unwrap();
        let runs = overallocations(&overallocated_days(&p, &s).unwrap());
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(
            (runs[0].from, runs[0].to),
            (date(2027, 1, 4), date(2027, 1, 11))
        );
    }

    #[test]
    fn daily_loads_give_every_day_booked_and_the_capacity() {
        let mut p = plan(100, 100);
        p.resources[1].max_units = 50;
        let s = schedule(&p).unwrap();
        let loads = daily_loads(&p, &s).unwrap();
        assert_eq!(loads.len(), 2);
        let ana = &loads[0];
        // A day either side of the plan: Sunday 3 January is the first day.
        assert_eq!(ana.first_day, date(2027, 1, 3));
        assert_eq!(&ana.booked_minutes[..5], [0, 960, 960, 480, 0]);
        assert_eq!(&ana.capacity_minutes[..5], [0, 480, 480, 480, 480]);
        let bob = &loads[1];
        assert_eq!(bob.resource, ResourceId(1));
        assert_eq!(&bob.capacity_minutes[1..3], [240, 240]);
        assert_eq!(bob.booked_minutes.iter().sum::<i64>(), 4 * 480);
    }

    #[test]
    fn a_split_task_books_nothing_on_its_pause_days() {
        // A (3d) works Monday, pauses Tuesday and Wednesday, then works Thursday and Friday;
        // B (2d) waits for Tuesday: Ana is never booked twice.
        let mut p = plan(100, 100);
        p.tasks[0].splits.push(crate::model::Split {
            after: 480,
            pause: 2 * 480,
        });
        p.tasks[1].constraint = crate::model::Constraint {
            kind: crate::model::ConstraintKind::StartNoEarlierThan,
            date: Some(datetime(2027, 1, 5, 8, 0, 0, 0)),
        };
        let s = schedule(&p).unwrap();
        assert_eq!(
            s.task(TaskId(0)).finish,
            crate::time::minute_of(datetime(2027, 1, 8, 17, 0, 0, 0))
        );
        let loads = daily_loads(&p, &s).unwrap();
        assert_eq!(
            &loads[0].booked_minutes[..7],
            [0, 480, 480, 480, 480, 480, 0]
        );
        assert!(overallocated_days(&p, &s).unwrap().is_empty());
        // Without B: nothing on the pause days.
        p.assignments.remove(1);
        let s = schedule(&p).unwrap();
        let loads = daily_loads(&p, &s).unwrap();
        assert_eq!(&loads[0].booked_minutes[..7], [0, 480, 0, 0, 480, 480, 0]);
        // A pause on a task calendar of its own counts on that calendar: a 24-hour calendar's
        // pause of 1,440 minutes is one calendar day (Tuesday) for Ana.
        p.calendars.push(Calendar::twenty_four_hours("24h"));
        p.tasks[0].calendar = Some(CalendarId(1));
        p.tasks[0].duration = Duration::working(3 * 1440);
        p.tasks[0].splits[0] = crate::model::Split {
            after: 1440 - 8 * 60,
            pause: 1440,
        };
        let s = schedule(&p).unwrap();
        let loads = daily_loads(&p, &s).unwrap();
        assert_eq!(loads[0].booked_minutes[2], 0);
        assert_eq!(loads[0].booked_minutes[3], 480);
    }

    #[test]
    fn half_time_on_two_tasks_fits() {
        let p = plan(50, 50);
        let s = schedule(&p).unwrap();
        assert!(overallocated_days(&p, &s).unwrap().is_empty());
    }

    #[test]
    fn a_vacation_is_not_booked_and_a_part_timer_has_less_room() {
        let mut p = plan(100, 0);
        p.assignments.remove(1);
        // Ana works half time: 60% booked is too much.
        p.resources[0].max_units = 50;
        p.assignments[0].units = 60;
        let s = schedule(&p).unwrap();
        assert_eq!(overallocated_days(&p, &s).unwrap().len(), 3);
        // On vacation the whole week, she is booked on no day of it.
        let mut cal = Calendar::derived("Ana", p.calendar);
        cal.exceptions.push(crate::calendar::Exception {
            name: "Vacation".into(),
            dates: crate::calendar::DateRule::Range {
                from: date(2027, 1, 4),
                to: date(2027, 1, 8),
            },
            shifts: Vec::new(),
        });
        p.calendars.push(cal);
        p.resources[0].calendar = Some(CalendarId(1));
        p.resources[0].max_units = 100;
        p.assignments[0].units = 100;
        let s = schedule(&p).unwrap();
        // The task moved after the vacation: nothing overlaps.
        assert!(overallocated_days(&p, &s).unwrap().is_empty());
    }
}
