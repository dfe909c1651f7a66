//! Machine-readable schedule output and warnings on stderr.

use serde::Serialize;

use regie_core::time::format_minute;

use crate::load::Loaded;

#[derive(Serialize)]
struct JsonSchedule<'a> {
    project: JsonProject<'a>,
    tasks: Vec<JsonTask<'a>>,
    warnings: Vec<JsonWarning>,
    /// Each critical chain as the `uid`s of its tasks, in order.
    critical_paths: Vec<Vec<&'a str>>,
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
    let critical_paths = schedule
        .critical_paths(project)
        .into_iter()
        .map(|path| {
            path.into_iter()
                .map(|id| project.task(id).uid.as_str())
                .collect()
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
        critical_paths,
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

/// One line per critical chain: "Critical path: 1.1 Kick-off → 1.4 Charter → …".
pub fn critical_paths_text(loaded: &Loaded) -> String {
    let project = &loaded.project;
    let wbs = project.outline_numbers();
    let paths = loaded.schedule.critical_paths(project);
    let mut text = String::new();
    for (index, path) in paths.iter().enumerate() {
        let label = match paths.len() {
            1 => "Critical path".to_owned(),
            _ => format!("Critical path {}", index + 1),
        };
        let steps: Vec<String> = path
            .iter()
            .map(|id| format!("{} {}", wbs[id.index()], project.task(*id).name))
            .collect();
        text.push_str(&format!("\n{label}: {}\n", steps.join(" → ")));
    }
    text
}

pub fn print_warnings(loaded: &Loaded) {
    for warning in &loaded.schedule.warnings {
        eprintln!("warning: {}", warning.message(&loaded.project));
    }
}
