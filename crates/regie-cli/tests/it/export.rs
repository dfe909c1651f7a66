//! `regie export`: the formats, standard output, atomic writes and exit codes.

use std::path::PathBuf;

use crate::support::{Run, regie, scratch_dir};

const PLAN: &str = r#"project "Website relaunch" {
    start "2027-03-01T09:00"
    time-zone "Europe/Paris"
}
task "site" "New site" {
    task "design" "Page design" duration="5d"
    task "build" "Build, test; ship" duration="8d" { after "design"; }
    milestone "live" "Site live" { after "build"; }
}
task "gate" "Gate review" duration="1d" { after "site"; }
"#;

/// Runs `regie` in a fresh folder holding `plan.kdl`.
fn on_plan(args: &[&str]) -> (Run, PathBuf) {
    let dir = scratch_dir();
    std::fs::write(dir.join("plan.kdl"), PLAN).unwrap();
    (regie(args, &dir), dir)
}

#[test]
fn mspdi_is_written_to_the_file_and_nothing_else_is_left() {
    let (run, dir) = on_plan(&["export", "plan.kdl", "--to", "mspdi", "-o", "plan.xml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let xml = std::fs::read_to_string(dir.join("plan.xml")).unwrap();
    assert!(xml.contains("<Project xmlns=\"http://schemas.microsoft.com/project\">"));
    assert!(xml.contains("<Name>Build, test; ship</Name>"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["plan.kdl", "plan.xml"]);
}

#[test]
fn csv_is_the_schedule_csv() {
    let (export, dir) = on_plan(&["export", "plan.kdl", "--to", "csv", "-o", "-"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let schedule = regie(&["schedule", "plan.kdl", "--format", "csv"], &dir);
    assert_eq!(export.stdout, schedule.stdout);
    assert!(export.stdout.contains("\"Build, test; ship\""));
}

#[test]
fn ics_has_the_milestones_and_gates() {
    let (run, _) = on_plan(&["export", "plan.kdl", "--to", "ics", "-o", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let feed = run.stdout;
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(feed.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2, "{feed}");
    assert!(
        feed.contains("UID:live@website-relaunch.regie\r\n"),
        "{feed}"
    );
    assert!(
        feed.contains("UID:gate@website-relaunch.regie\r\n"),
        "{feed}"
    );
    assert!(feed.contains("SUMMARY:Site live\r\n"), "{feed}");
    assert!(feed.contains("DTSTAMP:"), "{feed}");

    let (run, _) = on_plan(&["export", "plan.kdl", "--to", "ics", "--all-day", "-o", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("DTSTART;VALUE=DATE:"), "{}", run.stdout);
}

#[test]
fn usage_errors_exit_2_and_bad_input_exits_1() {
    let (run, _) = on_plan(&["export", "plan.kdl", "--to", "pdf", "-o", "x"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let (run, _) = on_plan(&["export", "plan.kdl", "--to", "mspdi"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let (run, _) = on_plan(&[
        "export",
        "plan.kdl",
        "--to",
        "mspdi",
        "--all-day",
        "-o",
        "x",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--all-day"), "{}", run.stderr);
    let (run, dir) = on_plan(&["export", "missing.kdl", "--to", "mspdi", "-o", "x.xml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("missing.kdl"), "{}", run.stderr);
    assert!(!dir.join("x.xml").exists());
    let (run, _) = on_plan(&[
        "export",
        "plan.kdl",
        "--to",
        "ics",
        "-o",
        "no/such/dir/feed.ics",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}
