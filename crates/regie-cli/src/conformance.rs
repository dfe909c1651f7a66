//! `regie conformance DIR`: our engine against the dates MS Project itself saved.
//!
//! DIR holds `files/*.xml` (MSPDI written by MS Project, or converted without rescheduling) and
//! `expected/<stem>.json` (schema `ms-project-oracle/1`, see ../shared/data/msproject/README.md).
//! Each file is imported, scheduled by our engine, and every task's start and finish compared
//! with MS Project's, to the minute (or to the day for files saved without times).

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use regie_core::time::format_minute;

use crate::Reported;

/// The outcome for one file.
#[derive(Serialize)]
pub struct FileResult {
    pub file: String,
    pub tasks: usize,
    pub matching: usize,
    /// UIDs of the tasks whose start or finish differ, with ours and MS Project's dates.
    pub mismatches: Vec<Mismatch>,
    /// Why the file could not be compared at all (import or scheduling error).
    pub error: Option<String>,
}

#[derive(Serialize)]
pub struct Mismatch {
    pub uid: String,
    pub name: String,
    pub ours: (String, String),
    pub ms_project: (String, String),
}

impl FileResult {
    pub fn all_match(&self) -> bool {
        self.error.is_none() && self.matching == self.tasks
    }
}

#[derive(Serialize)]
pub struct Totals {
    pub files: usize,
    pub files_all_match: usize,
    pub tasks: usize,
    pub tasks_matching: usize,
}

pub fn totals(results: &[FileResult]) -> Totals {
    Totals {
        files: results.len(),
        files_all_match: results.iter().filter(|r| r.all_match()).count(),
        tasks: results.iter().map(|r| r.tasks).sum(),
        tasks_matching: results.iter().map(|r| r.matching).sum(),
    }
}

/// Runs the comparison on every file of `dir`, in file-name order.
pub fn run(dir: &Path) -> Result<Vec<FileResult>, String> {
    let expected_dir = dir.join("expected");
    let mut oracles: Vec<PathBuf> = std::fs::read_dir(&expected_dir)
        .map_err(|e| format!("{}: {e}", expected_dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|x| x == "json"))
        .collect();
    oracles.sort();
    let mut results = Vec::with_capacity(oracles.len());
    for oracle_path in oracles {
        let text = std::fs::read_to_string(&oracle_path)
            .map_err(|e| format!("{}: {e}", oracle_path.display()))?;
        let oracle: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", oracle_path.display()))?;
        results.push(compare_file(dir, &oracle));
    }
    Ok(results)
}

fn compare_file(dir: &Path, oracle: &Value) -> FileResult {
    let file = oracle["file"].as_str().unwrap_or_default().to_owned();
    let by_day = oracle["date_precision"] == "day";
    let expected: Vec<&Value> = oracle["tasks"]
        .as_object()
        .map(|tasks| {
            tasks
                .values()
                .filter(|t| t["is_project_summary"] != true)
                .collect()
        })
        .unwrap_or_default();
    let mut result = FileResult {
        file: file.trim_start_matches("files/").to_owned(),
        tasks: expected.len(),
        matching: 0,
        mismatches: Vec::new(),
        error: None,
    };
    let path = dir.join(&file);
    let outcome = std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            regie_formats::mspdi::read(&file, &bytes).map_err(|e| format!("import: {e}"))
        })
        .and_then(|project| {
            regie_core::schedule(&project)
                .map(|schedule| (project, schedule))
                .map_err(|e| format!("schedule: {e}"))
        });
    let (project, schedule) = match outcome {
        Ok(both) => both,
        Err(error) => {
            result.error = Some(error);
            return result;
        }
    };
    let cut = |text: &str| -> String {
        match by_day {
            true => text.get(..10).unwrap_or(text).to_owned(),
            false => text.to_owned(),
        }
    };
    for task in expected {
        let uid = task["uid"].to_string();
        let theirs = (
            cut(task["start"].as_str().unwrap_or_default()),
            cut(task["finish"].as_str().unwrap_or_default()),
        );
        let ours = project
            .task_ids()
            .find(|&id| project.task(id).uid == uid)
            .map(|id| {
                let dates = schedule.task(id);
                (
                    cut(&format_minute(dates.start)),
                    cut(&format_minute(dates.finish)),
                )
            });
        match ours {
            Some(ours) if ours == theirs => result.matching += 1,
            ours => result.mismatches.push(Mismatch {
                uid,
                name: task["name"].as_str().unwrap_or_default().to_owned(),
                ours: ours.unwrap_or_else(|| ("missing".into(), "missing".into())),
                ms_project: theirs,
            }),
        }
    }
    result
}

pub fn print_table(results: &[FileResult], verbose: bool) {
    println!(
        "{:<70} {:>6} {:>6}  first differences",
        "file", "tasks", "match"
    );
    for r in results {
        let note = match (&r.error, r.mismatches.first()) {
            (Some(error), _) => error.clone(),
            (None, Some(m)) => format!(
                "uid {} {:?}: ours {}–{}, MS Project {}–{}{}",
                m.uid,
                m.name,
                m.ours.0,
                m.ours.1,
                m.ms_project.0,
                m.ms_project.1,
                match r.mismatches.len() {
                    1 => String::new(),
                    n => format!(" (+{} more)", n - 1),
                }
            ),
            (None, None) => String::new(),
        };
        println!("{:<70} {:>6} {:>6}  {}", r.file, r.tasks, r.matching, note);
        if verbose {
            for m in r.mismatches.iter().skip(1) {
                println!(
                    "{:<70} {:>6} {:>6}  uid {} {:?}: ours {}–{}, MS Project {}–{}",
                    "", "", "", m.uid, m.name, m.ours.0, m.ours.1, m.ms_project.0, m.ms_project.1
                );
            }
        }
    }
    let t = totals(results);
    println!();
    println!(
        "files with every task matching: {} of {} ({:.1}%); tasks matching: {} of {} ({:.1}%)",
        t.files_all_match,
        t.files,
        100.0 * t.files_all_match as f64 / t.files.max(1) as f64,
        t.tasks_matching,
        t.tasks,
        100.0 * t.tasks_matching as f64 / t.tasks.max(1) as f64
    );
}

/// The command: prints the table, or JSON with the totals.
pub fn command(dir: &Path, json: bool, verbose: bool) -> Result<(), Reported> {
    let results = run(dir).map_err(|error| {
        eprintln!("error: {error}");
        Reported
    })?;
    if json {
        let out = serde_json::json!({ "files": results, "totals": totals(&results) });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        print_table(&results, verbose);
    }
    Ok(())
}
