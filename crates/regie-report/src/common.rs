//! What the table and the chart both need: outline depths, date and duration formats, resource
//! names per task, and the project calendar's index over the plan.

use regie_core::{Minute, Project, ResourceKind, Schedule, calendar::CalendarIndex, time};

pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
pub(crate) use regie_core::time::MONTH_NAMES as MONTHS_LONG;

/// Outline depth of every task (0 for top-level tasks). Relies on the outline order the model
/// guarantees: a parent comes before its children.
pub(crate) fn depths(project: &Project) -> Vec<usize> {
    let mut depth = vec![0usize; project.tasks.len()];
    for (index, task) in project.tasks.iter().enumerate() {
        if let Some(parent) = task.parent.filter(|p| p.index() < index) {
            depth[index] = depth[parent.index()] + 1;
        }
    }
    depth
}

/// Number of tasks that have both a definition and a schedule entry. A schedule computed for this
/// project has one entry per task; the renderers still never index past either.
pub(crate) fn task_count(project: &Project, schedule: &Schedule) -> usize {
    project.tasks.len().min(schedule.tasks.len())
}

/// `3 Mar 2027`: day, month abbreviation and year, unambiguous in every locale.
pub(crate) fn short_date(minute: Minute) -> String {
    let date = time::datetime_of(minute).date();
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[(date.month() - 1) as usize],
        date.year()
    )
}

/// The instant whose date is shown as a finish date: a task that finishes at midnight finished on
/// the day before.
pub(crate) fn finish_day_minute(start: Minute, finish: Minute) -> Minute {
    if finish > start { finish - 1 } else { finish }
}

/// `YYYY-MM-DD HH:MM`.
pub(crate) fn table_datetime(minute: Minute) -> String {
    time::format_minute(minute).replacen('T', " ", 1)
}

/// Working minutes as days: `5d`, `0.5d`, `1.25d`, `-2d` (at most two decimals).
pub(crate) fn format_days(minutes: i64, minutes_per_day: u32) -> String {
    let per_day = if minutes_per_day == 0 {
        480
    } else {
        minutes_per_day
    };
    let hundredths = (minutes as f64 * 100.0 / f64::from(per_day)).round() as i64;
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    match frac {
        0 => format!("{sign}{whole}d"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}d", f / 10),
        f => format!("{sign}{whole}.{f:02}d"),
    }
}

/// For every task, the names of its assigned resources in assignment order, with the units when
/// a person is not assigned full time (`Ana [50%]`).
pub(crate) fn resource_names(project: &Project) -> Vec<Vec<String>> {
    let mut names = vec![Vec::new(); project.tasks.len()];
    for assignment in &project.assignments {
        let (Some(slot), Some(resource)) = (
            names.get_mut(assignment.task.index()),
            project.resources.get(assignment.resource.index()),
        ) else {
            continue;
        };
        if resource.kind == ResourceKind::Work && assignment.units != 100 {
            slot.push(format!("{} [{}%]", resource.name, assignment.units));
        } else {
            slot.push(resource.name.clone());
        }
    }
    names
}

/// The project calendar's index from `from` to `to` with a week of margin on both sides, or `None`
/// when the calendars cannot be resolved (then nothing is shaded and no duration is printed).
pub(crate) fn project_calendar_index(
    project: &Project,
    from: Minute,
    to: Minute,
) -> Option<CalendarIndex> {
    if project.calendar.index() >= project.calendars.len() {
        return None;
    }
    let margin = 7 * time::MINUTES_PER_DAY;
    let first = time::datetime_of(from.saturating_sub(margin)).date();
    let last = time::datetime_of(to.saturating_add(margin)).date();
    CalendarIndex::build(&project.calendars, project.calendar, first, last).ok()
}

/// Earliest start and latest finish over the first `count` tasks, or the schedule's own span when
/// there are none.
pub(crate) fn plan_span(schedule: &Schedule, count: usize) -> (Minute, Minute) {
    let tasks = &schedule.tasks[..count];
    let start = tasks
        .iter()
        .map(|t| t.start)
        .min()
        .unwrap_or(schedule.start);
    let finish = tasks
        .iter()
        .map(|t| t.finish)
        .max()
        .unwrap_or(schedule.finish);
    (start, finish.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_short_and_exact() {
        assert_eq!(format_days(2400, 480), "5d");
        assert_eq!(format_days(240, 480), "0.5d");
        assert_eq!(format_days(600, 480), "1.25d");
        assert_eq!(format_days(0, 480), "0d");
        assert_eq!(format_days(-960, 480), "-2d");
        assert_eq!(format_days(160, 480), "0.33d");
    }
}
