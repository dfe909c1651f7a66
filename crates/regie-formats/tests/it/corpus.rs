//! The 78 real files of `../shared/data/msproject` (written by MS Project 98 to 2019, or converted
//! from its binary files without rescheduling), each against the oracle extracted from it.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use regie_core::calendar::{CalendarIndex, Shift};
use regie_core::time::format_minute;
use regie_core::{CalendarId, Project, ScheduleError};
use regie_formats::mspdi;
use serde_json::Value;

use crate::shared_dir;

fn corpus_files(shared: &Path) -> Vec<PathBuf> {
    let dir = shared.join("data/msproject/files");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    files
}

fn read_file(path: &Path) -> Project {
    let bytes = std::fs::read(path).unwrap();
    mspdi::read(&path.display().to_string(), &bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// Every file reads; its tasks are the oracle's (UIDs in order, names, summaries, milestones,
/// durations, progress, manual mode) less the project summary; and the engine schedules it.
#[test]
fn every_file_reads_with_ms_projects_tasks_and_schedules() {
    let Some(shared) = shared_dir() else { return };
    let files = corpus_files(&shared);
    assert_eq!(files.len(), 78, "the corpus has 78 files");
    let mut problems = Vec::new();
    let mut scheduled = 0;
    for path in &files {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let bytes = std::fs::read(path).unwrap();
        let project = match mspdi::read(stem, &bytes) {
            Ok(project) => project,
            Err(error) => {
                problems.push(format!("{error}"));
                continue;
            }
        };
        let oracle: Value = serde_json::from_str(
            &std::fs::read_to_string(shared.join(format!("data/msproject/expected/{stem}.json")))
                .unwrap(),
        )
        .unwrap();
        let mut check = |what: &str, ours: String, theirs: String| {
            if ours != theirs {
                problems.push(format!(
                    "{stem}: {what}: ours {ours}, MS Project's {theirs}"
                ));
            }
        };
        let expected: Vec<&Value> = oracle["tasks"]
            .as_object()
            .unwrap()
            .values()
            .filter(|t| t["is_project_summary"] != true)
            .collect();
        let with_summary = expected.len() + usize::from(oracle["tasks"].get("0").is_some());
        check(
            "counts.tasks",
            with_summary.to_string(),
            oracle["counts"]["tasks"].to_string(),
        );
        let mut ours: Vec<i64> = project
            .tasks
            .iter()
            .map(|t| t.uid.parse().unwrap())
            .collect();
        ours.sort();
        let mut theirs: Vec<i64> = expected
            .iter()
            .map(|t| t["uid"].as_i64().unwrap())
            .collect();
        theirs.sort();
        check("UIDs", format!("{ours:?}"), format!("{theirs:?}"));
        let summary = project.summary_flags();
        for (index, task) in project.tasks.iter().enumerate() {
            let Some(t) = oracle["tasks"].get(&task.uid) else {
                continue;
            };
            let what = |field: &str| format!("task {} {field}", task.uid);
            check(
                &what("name"),
                task.name.clone(),
                t["name"].as_str().unwrap().to_owned(),
            );
            check(
                &what("summary"),
                summary[index].to_string(),
                t["is_summary"].to_string(),
            );
            let minutes = t["duration_minutes"].as_f64().unwrap_or(0.0).round() as i64;
            check(
                &what("duration"),
                task.duration.minutes.to_string(),
                minutes.to_string(),
            );
            check(
                &what("elapsed"),
                task.duration.elapsed.to_string(),
                t["duration_elapsed"].to_string(),
            );
            if !summary[index] {
                let milestone = t["is_milestone"] == true && minutes == 0;
                check(
                    &what("milestone"),
                    task.milestone.to_string(),
                    milestone.to_string(),
                );
                check(
                    &what("manual"),
                    task.manual.is_some().to_string(),
                    t["is_manual"].to_string(),
                );
                check(
                    &what("percent complete"),
                    task.progress.percent_complete.to_string(),
                    t["percent_complete"].to_string(),
                );
                let actual = |d: Option<jiff::civil::DateTime>| {
                    d.map_or("null".to_owned(), |d| {
                        format!("\"{}\"", &d.to_string()[..16])
                    })
                };
                let cut = |v: &Value| match v.as_str() {
                    Some(s) => format!("\"{}\"", &s[..s.len().min(16)]),
                    None => "null".to_owned(),
                };
                if oracle["date_precision"] == "minute" {
                    check(
                        &what("actual start"),
                        actual(task.progress.actual_start),
                        cut(&t["actual_start"]),
                    );
                }
            }
        }
        match regie_core::schedule(&project) {
            Ok(_) => scheduled += 1,
            Err(error @ ScheduleError::Cycle { .. }) => {
                problems.push(format!("{stem}: has a cycle? {error}"));
            }
            Err(error) => problems.push(format!("{stem}: schedule: {error}")),
        }
    }
    eprintln!("{} files read, {scheduled} scheduled", files.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What `regie import` writes reads back as the same project.
#[test]
fn every_file_survives_the_trip_through_the_project_file() {
    let Some(shared) = shared_dir() else { return };
    let mut problems = Vec::new();
    for path in corpus_files(&shared) {
        let project = read_file(&path);
        let text = regie_lang::print(&project);
        match regie_lang::parse("plan.kdl", &text) {
            Ok(parsed) if parsed.project == project => {}
            Ok(parsed) => problems.push(format!(
                "{}: reads back differently:\n{}",
                path.display(),
                first_difference(&project, &parsed.project)
            )),
            Err(diagnostics) => problems.push(format!(
                "{}: does not read back:\n{}",
                path.display(),
                diagnostics.render(false)
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn first_difference(a: &Project, b: &Project) -> String {
    let a = format!("{a:#?}");
    let b = format!("{b:#?}");
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(0);
    let window = |s: &str| {
        s.lines()
            .skip(line.saturating_sub(8))
            .take(12)
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "--- imported\n{}\n--- read back\n{}",
        window(&a),
        window(&b)
    )
}

/// MS Project 2007+ writes each calendar's exceptions twice: as `<Exceptions>` (with the
/// recurrence) and expanded as `DayType` 0 week days for older readers. The recurrences, as we
/// expand them, must give exactly the working time of MS Project's own expansion.
#[test]
fn recurring_exceptions_give_ms_projects_own_expansion() {
    let Some(shared) = shared_dir() else { return };
    let mut compared = 0;
    for path in corpus_files(&shared) {
        let text = std::fs::read_to_string(&path).unwrap();
        if !text.contains("<Exceptions>") || !text.contains("<DayType>0</DayType>") {
            continue;
        }
        // Without `<Exceptions>` the reader takes the expanded form.
        let mut expanded = text.clone();
        while let (Some(from), Some(to)) = (
            expanded.find("<Exceptions>"),
            expanded.find("</Exceptions>"),
        ) {
            expanded.replace_range(from..to + "</Exceptions>".len(), "");
        }
        let mut recurring = mspdi::read("recurring", text.as_bytes()).unwrap();
        let mut listed = mspdi::read("expanded", expanded.as_bytes()).unwrap();
        // Every day worked around the clock but for the exceptions, so that those falling on
        // weekends count too.
        for calendar in recurring
            .calendars
            .iter_mut()
            .chain(listed.calendars.iter_mut())
        {
            calendar.week = std::array::from_fn(|_| {
                Some(vec![Shift {
                    start: 0,
                    end: 1440,
                }])
            });
        }
        // Both resolved over 1999-2030 into working intervals, which must be the same.
        let (from, to) = (Date::constant(1999, 1, 1), Date::constant(2030, 12, 31));
        let mut exception_days = 0;
        for index in 0..recurring.calendars.len() {
            let id = CalendarId(index as u32);
            let ours = CalendarIndex::build(&recurring.calendars, id, from, to).unwrap();
            let theirs = CalendarIndex::build(&listed.calendars, id, from, to).unwrap();
            let (start, end) = ours.horizon();
            let intervals =
                |index: &CalendarIndex| index.working_intervals(start, end).collect::<Vec<_>>();
            let (ours_intervals, theirs_intervals) = (intervals(&ours), intervals(&theirs));
            if ours_intervals != theirs_intervals {
                let first = ours_intervals
                    .iter()
                    .zip(&theirs_intervals)
                    .find(|(a, b)| a != b)
                    .map(|(a, _)| format_minute(a.0));
                panic!(
                    "{}: calendar {:?} differs from {first:?}",
                    path.display(),
                    recurring.calendars[index].name
                );
            }
            // Days off or short: the exceptions are really there.
            let mut day = start;
            while day < end {
                exception_days += usize::from(ours.work_between(day, day + 1440) != 1440);
                day += 1440;
            }
        }
        assert!(exception_days > 0, "{}: no exception found", path.display());
        compared += 1;
    }
    assert!(compared >= 4, "only {compared} files with both forms");
}

/// Every file of `../shared/data/projects` is recognised by its content, whatever its name;
/// the MSPDI ones (MS Project's, GanttProject's, ProjectLibre's, MPXJ's) read and schedule.
#[test]
fn every_format_of_the_project_corpus_is_detected_and_mspdi_read() {
    use regie_formats::mspdi::{Detected, Foreign};
    let Some(shared) = shared_dir() else { return };
    let root = shared.join("data/projects");
    let mut seen = 0;
    for (folder, expected) in [
        ("mpp", Detected::Foreign(Foreign::Mpp)),
        ("mpd", Detected::Foreign(Foreign::Mpd)),
        ("mpx", Detected::Foreign(Foreign::Mpx)),
        ("xer", Detected::Foreign(Foreign::Xer)),
        ("pmxml", Detected::Foreign(Foreign::Pmxml)),
        ("gan", Detected::Foreign(Foreign::GanttProject)),
        ("planner", Detected::Foreign(Foreign::Planner)),
        ("pod", Detected::Foreign(Foreign::ProjectLibre)),
        ("mspdi", Detected::Mspdi),
        ("derived", Detected::Mspdi),
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_none_or(|e| e != "gz"))
            .collect();
        files.sort();
        for path in files {
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(mspdi::detect(&bytes), expected, "{}", path.display());
            if expected == Detected::Mspdi {
                let project = read_file(&path);
                if let Err(error) = regie_core::schedule(&project) {
                    panic!("{}: {error}", path.display());
                }
            }
            seen += 1;
        }
    }
    assert!(seen > 150, "only {seen} files");
}
