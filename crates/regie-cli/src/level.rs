//! `regie level FILE --report`: who is booked beyond their capacity, on which days, by which
//! tasks. (Leveling itself, which moves tasks to resolve this, arrives with its own issue.)

use serde::Serialize;

use regie_core::usage::{overallocated_days, overallocations};

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

pub fn report(loaded: &Loaded, json: bool) -> Result<(), Reported> {
    let project = &loaded.project;
    let days = overallocated_days(project, &loaded.schedule).map_err(|error| {
        eprintln!("error: {error}");
        Reported
    })?;
    let runs = overallocations(&days);
    let wbs = project.outline_numbers();
    let task_label =
        |id: regie_core::TaskId| format!("{} {}", wbs[id.index()], project.task(id).name);
    if json {
        let out: Vec<JsonRun> = runs
            .iter()
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
            .collect();
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(());
    }
    if runs.is_empty() {
        println!("Nobody is booked beyond their capacity.");
        return Ok(());
    }
    for run in &runs {
        let resource = &project.resources[run.resource.index()];
        let who = match &resource.group {
            Some(group) => format!("{} ({group})", resource.name),
            None => resource.name.clone(),
        };
        let when = match run.from == run.to {
            true => run.from.to_string(),
            false => format!("{} to {}", run.from, run.to),
        };
        let tasks: Vec<String> = run.tasks.iter().map(|&t| task_label(t)).collect();
        println!(
            "{who}: {when}, booked up to {}% of capacity, by {}",
            run.peak_percent,
            tasks.join("; ")
        );
    }
    Ok(())
}
