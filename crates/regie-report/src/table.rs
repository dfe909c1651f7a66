//! The schedule as text: an aligned table for the terminal (`regie schedule --format table`) and
//! CSV for spreadsheets.

use regie_core::{Project, Schedule, time};

use crate::common::{
    depths, format_days, plan_span, project_calendar_index, table_datetime, task_count,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// The schedule as a table aligned with spaces: WBS, Name (indented two spaces per outline
/// level), Start, Finish (`YYYY-MM-DD HH:MM`), Duration (working days on the project calendar
/// between start and finish), Total float (days) and Critical (`*`).
///
/// With `critical_only`, only critical tasks are listed (their summaries only when they are
/// critical themselves); names keep their indentation.
pub fn schedule_table(project: &Project, schedule: &Schedule, critical_only: bool) -> String {
    let count = task_count(project, schedule);
    let depth = depths(project);
    let numbers = project.outline_numbers();
    let per_day = project.units.minutes_per_day;
    let (from, to) = plan_span(schedule, count);
    let index = project_calendar_index(project, from, to);

    let header = [
        "WBS",
        "Name",
        "Start",
        "Finish",
        "Duration",
        "Total float",
        "Critical",
    ];
    let align = [
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Left,
    ];
    let summary = project.summary_flags();
    let mut rows: Vec<[String; 7]> = vec![header.map(str::to_owned)];
    for index_in_plan in 0..count {
        let task = &project.tasks[index_in_plan];
        let sched = &schedule.tasks[index_in_plan];
        if critical_only && !sched.critical {
            continue;
        }
        let is_summary = summary[index_in_plan];
        let duration = if task.milestone {
            "0d".to_owned()
        } else if !is_summary && task.duration.minutes > 0 {
            // The duration the plan gives, as MS Project shows it: a task stretched over a
            // vacation or run on a 24-hour calendar keeps its own length.
            match task.duration.elapsed {
                // Elapsed days are 24 hours.
                true => {
                    format!("{}e", format_days(task.duration.minutes, 1440)).replace("de", "ed")
                }
                false => format_days(task.duration.minutes, per_day),
            }
        } else {
            match &index {
                Some(index) => format_days(
                    index.work_between(sched.start, sched.finish.max(sched.start)),
                    per_day,
                ),
                None => "-".to_owned(),
            }
        };
        rows.push([
            numbers[index_in_plan].clone(),
            format!(
                "{}{}",
                "  ".repeat(depth[index_in_plan]),
                task.name.replace(['\n', '\r', '\t'], " ")
            ),
            table_datetime(sched.start),
            table_datetime(sched.finish),
            duration,
            format_days(sched.total_float, per_day),
            if sched.critical { "*" } else { "" }.to_owned(),
        ]);
    }

    let mut widths = [0usize; 7];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            if column > 0 {
                line.push_str("  ");
            }
            let pad = widths[column] - cell.chars().count();
            match align[column] {
                Align::Left => {
                    line.push_str(cell);
                    line.extend(std::iter::repeat_n(' ', pad));
                }
                Align::Right => {
                    line.extend(std::iter::repeat_n(' ', pad));
                    line.push_str(cell);
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The schedule as CSV with a header row: `id,uid,wbs,name,summary,milestone,start,finish,
/// total_float_minutes,critical`. `id` is the task's 1-based row number (MS Project's ID), `uid`
/// its id in the project file; booleans are `true`/`false`; dates are `YYYY-MM-DDTHH:MM` in the
/// project's local time. Fields are quoted as RFC 4180 says (when they hold a comma, a quote or a
/// line break; quotes doubled); lines end with `\n`.
///
/// With `critical_only`, only critical tasks are listed.
pub fn schedule_csv(project: &Project, schedule: &Schedule, critical_only: bool) -> String {
    let count = task_count(project, schedule);
    let numbers = project.outline_numbers();
    let summary = project.summary_flags();
    let mut out = String::from(
        "id,uid,wbs,name,summary,milestone,start,finish,total_float_minutes,critical\n",
    );
    for index in 0..count {
        let task = &project.tasks[index];
        let sched = &schedule.tasks[index];
        if critical_only && !sched.critical {
            continue;
        }
        let fields = [
            (index + 1).to_string(),
            task.uid.clone(),
            numbers[index].clone(),
            task.name.clone(),
            summary[index].to_string(),
            task.milestone.to_string(),
            time::format_minute(sched.start),
            time::format_minute(sched.finish),
            sched.total_float.to_string(),
            sched.critical.to_string(),
        ];
        for (column, field) in fields.iter().enumerate() {
            if column > 0 {
                out.push(',');
            }
            push_csv_field(&mut out, field);
        }
        out.push('\n');
    }
    out
}

fn push_csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}
