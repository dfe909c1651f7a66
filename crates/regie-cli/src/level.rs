//! `regie level FILE`: resource leveling, which delays tasks until nobody is booked beyond their
//! capacity, and `regie level FILE --report`: who is booked beyond their capacity in the plan as
//! it stands, on which days, by which tasks.

use std::path::Path;

use serde::Serialize;

use regie_core::calendar::CalendarIndex;
use regie_core::level::project::{LevelOptions, Leveled, level, leveled_project};
use regie_core::time::{MINUTES_PER_DAY, Minute, date_of_day, format_minute};
use regie_core::usage::{Overallocation, daily_loads, overallocated_days, overallocations};
use regie_core::{CalendarId, Project, TaskId};

use crate::Reported;
use crate::load::Loaded;

#[derive(Serialize)]
struct JsonRun {
    resource: String,
    name: String,
    from: String,
    to: String,
    peak_percent: i64,
    tasks: Vec<String>,
}

#[derive(Serialize)]
struct JsonLeveled {
    finish_before: String,
    finish_after: String,
    /// The claim order whose plan was kept.
    order: String,
    /// The finish of the first try, in MS Project's order, for comparison with `finish_after`.
    finish_first_try: String,
    orders_tried: Vec<JsonAttempt>,
    delays: Vec<JsonDelay>,
    /// The pauses inserted into tasks underway (`--split`); left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pauses: Vec<JsonPause>,
    unresolved: Vec<JsonRun>,
}

#[derive(Serialize)]
struct JsonPause {
    uid: String,
    name: String,
    /// The first and last day of the pause.
    from: String,
    to: String,
    /// Minutes of the task's work done before the pause, and the working minutes it lasts.
    after_minutes: i64,
    pause_minutes: i64,
    resource: String,
    held_by: Vec<String>,
}

#[derive(Serialize)]
struct JsonAttempt {
    order: String,
    finish: String,
    /// False when the try was abandoned once it could no longer beat the best plan: `finish`
    /// is then where it had got to.
    completed: bool,
    /// Person-days still over-allocated in the plan of this order.
    unresolved_days: usize,
}

#[derive(Serialize)]
struct JsonDelay {
    uid: String,
    name: String,
    from: String,
    to: String,
    resource: String,
    held_by: Vec<String>,
    busy_until: String,
}

fn failed(error: impl std::fmt::Display) -> Reported {
    eprintln!("error: {error}");
    Reported
}

/// The over-allocation report of the plan as it stands (no leveling).
pub fn report(loaded: &Loaded, json: bool) -> Result<(), Reported> {
    let project = &loaded.project;
    let days = overallocated_days(project, &loaded.schedule).map_err(failed)?;
    let runs = overallocations(&days);
    if json {
        let out = json_runs(project, &runs);
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(());
    }
    if runs.is_empty() {
        println!("Nobody is booked beyond their capacity.");
        return Ok(());
    }
    for run in &runs {
        println!("{}", run_text(project, run));
    }
    Ok(())
}

/// Levels the plan and says which tasks move, why, and what it does to the finish.
pub fn level_command(
    loaded: &Loaded,
    json: bool,
    options: &LevelOptions,
    histogram: Option<&Path>,
) -> Result<(), Reported> {
    let project = &loaded.project;
    let leveled = level(project, options).map_err(failed)?;
    if let Some(path) = histogram {
        let before = daily_loads(project, &loaded.schedule).map_err(failed)?;
        // Measured on the leveled plan, whose pauses book nothing.
        let plan = leveled_project(project, &leveled);
        let after = daily_loads(&plan, &leveled.schedule).map_err(failed)?;
        let svg = regie_report::workload_svg(project, &before, &after);
        crate::load::write_atomically(path, svg.as_bytes())?;
    }
    let dates = Dates::new(project, &loaded.schedule, &leveled.schedule).map_err(failed)?;
    let (before, after) = (loaded.schedule.finish, leveled.schedule.finish);
    let runs = overallocations(&leveled.unresolved);
    let wbs = project.outline_numbers();
    let label = |id: TaskId| format!("{} {}", wbs[id.index()], project.task(id).name);
    if json {
        let out = JsonLeveled {
            finish_before: dates.end(project.calendar, before),
            finish_after: dates.end(project.calendar, after),
            order: leveled.attempts[leveled.chosen].order.to_string(),
            finish_first_try: dates.end(project.calendar, leveled.attempts[0].finish),
            orders_tried: leveled
                .attempts
                .iter()
                .map(|attempt| JsonAttempt {
                    order: attempt.order.to_string(),
                    finish: dates.end(project.calendar, attempt.finish),
                    completed: attempt.completed,
                    unresolved_days: attempt.unresolved_days,
                })
                .collect(),
            delays: leveled
                .delays
                .iter()
                .map(|delay| {
                    let resource = &project.resources[delay.resource.index()];
                    let calendar = resource.calendar.unwrap_or(project.calendar);
                    JsonDelay {
                        uid: project.task(delay.task).uid.clone(),
                        name: project.task(delay.task).name.clone(),
                        from: dates.start(calendar, delay.from),
                        to: dates.start(calendar, delay.to),
                        resource: resource.uid.clone(),
                        held_by: delay
                            .held_by
                            .iter()
                            .map(|&t| project.task(t).uid.clone())
                            .collect(),
                        busy_until: dates.end(calendar, delay.busy_until),
                    }
                })
                .collect(),
            pauses: leveled
                .pauses
                .iter()
                .map(|pause| {
                    let resource = &project.resources[pause.resource.index()];
                    let calendar = resource.calendar.unwrap_or(project.calendar);
                    JsonPause {
                        uid: project.task(pause.task).uid.clone(),
                        name: project.task(pause.task).name.clone(),
                        from: dates.start(calendar, pause.from),
                        to: dates.end(calendar, pause.to),
                        after_minutes: pause.split.after,
                        pause_minutes: pause.split.pause,
                        resource: resource.uid.clone(),
                        held_by: pause
                            .held_by
                            .iter()
                            .map(|&t| project.task(t).uid.clone())
                            .collect(),
                    }
                })
                .collect(),
            unresolved: json_runs(project, &runs),
        };
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(());
    }
    if leveled.delays.is_empty() && leveled.pauses.is_empty() && runs.is_empty() {
        println!("Nobody is booked beyond their capacity: nothing to level.");
        return Ok(());
    }
    // Delays and pauses by task, a task's delay before its pauses.
    let mut moves: Vec<(TaskId, String)> = Vec::new();
    for delay in &leveled.delays {
        let resource = &project.resources[delay.resource.index()];
        let calendar = resource.calendar.unwrap_or(project.calendar);
        let holders: Vec<String> = delay.held_by.iter().map(|&t| label(t)).collect();
        moves.push((
            delay.task,
            format!(
                "{} starts {} instead of {}: {} is on {} until {}",
                label(delay.task),
                dates.start(calendar, delay.to),
                dates.start(calendar, delay.from),
                who(project, delay.resource),
                and_list(&holders),
                dates.end(calendar, delay.busy_until),
            ),
        ));
    }
    for pause in &leveled.pauses {
        let resource = &project.resources[pause.resource.index()];
        let calendar = resource.calendar.unwrap_or(project.calendar);
        let holders: Vec<String> = pause.held_by.iter().map(|&t| label(t)).collect();
        let (from, to) = (
            dates.start(calendar, pause.from),
            dates.end(calendar, pause.to),
        );
        let when = match from == to {
            true => format!("on {from}"),
            false => format!("{from} to {to}"),
        };
        moves.push((
            pause.task,
            format!(
                "{} pauses {when}: {} is on {}",
                label(pause.task),
                who(project, pause.resource),
                and_list(&holders),
            ),
        ));
    }
    moves.sort_by_key(|&(task, _)| task);
    for (_, line) in &moves {
        println!("{line}");
    }
    let (old, new) = (
        dates.end(project.calendar, before),
        dates.end(project.calendar, after),
    );
    if before == after {
        println!("The project still finishes {new}.");
    } else {
        println!("The project now finishes {new} instead of {old}.");
    }
    println!("{}", search_text(&leveled, &dates, project));
    // What the delays did to deadlines and constraints (new missed deadlines and conflicts).
    let new_warnings: Vec<String> = leveled
        .schedule
        .warnings
        .iter()
        .filter(|w| {
            // Negative float follows from these and would only repeat them, task by task.
            w.kind() != "negative-float"
                && !loaded
                    .schedule
                    .warnings
                    .iter()
                    .any(|old| (old.kind(), old.task()) == (w.kind(), w.task()))
        })
        .map(|w| w.message(project))
        .collect();
    if !new_warnings.is_empty() {
        println!("After leveling:");
        for warning in &new_warnings {
            println!("  {warning}");
        }
    }
    if !runs.is_empty() {
        println!("Still over-allocated:");
        for run in &runs {
            println!("  {}", run_text(project, run));
        }
    }
    Ok(())
}

/// Which claim order won among how many, and what the first try (MS Project's order) gave, so
/// the gain of the search is visible.
fn search_text(leveled: &Leveled, dates: &Dates, project: &Project) -> String {
    let kept = &leveled.attempts[leveled.chosen];
    let first = &leveled.attempts[0];
    match (leveled.attempts.len(), leveled.chosen) {
        (1, _) => format!("Kept the plan of {} (the only order tried).", kept.order),
        (tried, 0) => format!(
            "Kept the plan of {} ({tried} orders tried, none better).",
            kept.order
        ),
        (tried, _) => format!(
            "Kept the plan of {} (best of {tried} orders tried); {} alone finishes {}{}.",
            kept.order,
            first.order,
            dates.end(project.calendar, first.finish),
            match first.unresolved_days {
                0 => String::new(),
                1 => " and leaves 1 day over-allocated".to_owned(),
                days => format!(" and leaves {days} days over-allocated"),
            }
        ),
    }
}

/// "Ana Lima (DBA)".
fn who(project: &Project, resource: regie_core::ResourceId) -> String {
    let resource = &project.resources[resource.index()];
    match &resource.group {
        Some(group) => format!("{} ({group})", resource.name),
        None => resource.name.clone(),
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn run_text(project: &Project, run: &Overallocation) -> String {
    let wbs = project.outline_numbers();
    let when = match run.from == run.to {
        true => run.from.to_string(),
        false => format!("{} to {}", run.from, run.to),
    };
    let tasks: Vec<String> = run
        .tasks
        .iter()
        .map(|&t| format!("{} {}", wbs[t.index()], project.task(t).name))
        .collect();
    format!(
        "{}: {when}, booked up to {}% of capacity, by {}",
        who(project, run.resource),
        run.peak_percent,
        tasks.join("; ")
    )
}

fn json_runs(project: &Project, runs: &[Overallocation]) -> Vec<JsonRun> {
    runs.iter()
        .map(|run| {
            let resource = &project.resources[run.resource.index()];
            JsonRun {
                resource: resource.uid.clone(),
                name: resource.name.clone(),
                from: run.from.to_string(),
                to: run.to.to_string(),
                peak_percent: run.peak_percent,
                tasks: run
                    .tasks
                    .iter()
                    .map(|&t| project.task(t).uid.clone())
                    .collect(),
            }
        })
        .collect()
}

/// Dates as the user thinks of them: a bare `YYYY-MM-DD` for a start at the beginning of a
/// working day or a finish at its end (on the calendar concerned), else `YYYY-MM-DDTHH:MM`.
struct Dates {
    by_calendar: Vec<Option<CalendarIndex>>,
}

impl Dates {
    fn new(
        project: &Project,
        before: &regie_core::Schedule,
        after: &regie_core::Schedule,
    ) -> Result<Dates, regie_core::calendar::CalendarError> {
        let from = before.start.min(after.start).div_euclid(MINUTES_PER_DAY) - 7;
        let to = before.finish.max(after.finish).div_euclid(MINUTES_PER_DAY) + 7;
        let mut used = vec![false; project.calendars.len()];
        used[project.calendar.index()] = true;
        for resource in &project.resources {
            if let Some(calendar) = resource.calendar {
                used[calendar.index()] = true;
            }
        }
        let by_calendar = used
            .into_iter()
            .enumerate()
            .map(|(index, used)| {
                used.then(|| {
                    CalendarIndex::build(
                        &project.calendars,
                        CalendarId(index as u32),
                        date_of_day(from),
                        date_of_day(to),
                    )
                })
                .transpose()
            })
            .collect::<Result<_, _>>()?;
        Ok(Dates { by_calendar })
    }

    fn start(&self, calendar: CalendarId, at: Minute) -> String {
        let midnight = at.div_euclid(MINUTES_PER_DAY) * MINUTES_PER_DAY;
        match self.index(calendar) {
            Some(index) if index.work_between(midnight, at) == 0 => format_minute(at)[..10].into(),
            _ => regie_core::time::format_start(at),
        }
    }

    fn end(&self, calendar: CalendarId, at: Minute) -> String {
        if at.rem_euclid(MINUTES_PER_DAY) == 0 {
            return regie_core::time::format_end(at);
        }
        let next_midnight = (at.div_euclid(MINUTES_PER_DAY) + 1) * MINUTES_PER_DAY;
        match self.index(calendar) {
            Some(index) if index.work_between(at, next_midnight) == 0 => {
                format_minute(at)[..10].into()
            }
            _ => format_minute(at),
        }
    }

    fn index(&self, calendar: CalendarId) -> Option<&CalendarIndex> {
        self.by_calendar.get(calendar.index())?.as_ref()
    }
}
