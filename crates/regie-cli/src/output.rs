//! Machine-readable schedule output and warnings on stderr.

use serde::Serialize;

use regie_core::time::format_minute;

use crate::load::Loaded;

#[derive(Serialize)]
struct JsonSchedule<'a> {
    project: JsonProject<'a>,
    tasks: Vec<JsonTask<'a>>,
    warnings: Vec<JsonWarning>,
}

#[derive(Serialize)]
struct JsonProject<'a> {
    name: &'a str,
    start: String,
    finish: String,
}

#[derive(Serialize)]
struct JsonTask<'a> {
    /// Row number in outline order, as MS Project's ID.
    id: u32,
    uid: &'a str,
    wbs: String,
    name: &'a str,
    summary: bool,
    milestone: bool,
    start: String,
    finish: String,
    total_float_minutes: i64,
    critical: bool,
}

#[derive(Serialize)]
struct JsonWarning {
    kind: &'static str,
    task: String,
    message: String,
}

pub fn schedule_json(loaded: &Loaded, critical_only: bool) -> String {
    let project = &loaded.project;
    let schedule = &loaded.schedule;
    let summary = project.summary_flags();
    let wbs = project.outline_numbers();
    let tasks = project
        .task_ids()
        .zip(wbs)
        .filter(|(id, _)| !critical_only || schedule.task(*id).critical)
        .map(|(id, wbs)| {
            let task = project.task(id);
            let dates = schedule.task(id);
            JsonTask {
                id: id.0 + 1,
                uid: &task.uid,
                wbs,
                name: &task.name,
                summary: summary[id.index()],
                milestone: task.milestone,
                start: format_minute(dates.start),
                finish: format_minute(dates.finish),
                total_float_minutes: dates.total_float,
                critical: dates.critical,
            }
        })
        .collect();
    let warnings = schedule
        .warnings
        .iter()
        .map(|w| JsonWarning {
            kind: w.kind(),
            task: project.task(w.task()).uid.clone(),
            message: w.message(project),
        })
        .collect();
    let out = JsonSchedule {
        project: JsonProject {
            name: &project.name,
            start: format_minute(schedule.start),
            finish: format_minute(schedule.finish),
        },
        tasks,
        warnings,
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

pub fn print_warnings(loaded: &Loaded) {
    for warning in &loaded.schedule.warnings {
        eprintln!("warning: {}", warning.message(&loaded.project));
    }
}
