//! The command as a user meets it: exit codes (0 ok, 1 invalid input, 2 usage) and messages
//! that name the file, line and column.

use std::path::PathBuf;

use crate::support::{Run, regie, scratch_dir};

/// Runs `regie <command> plan.kdl` on the given file text.
fn on_file(command: &[&str], text: &[u8]) -> Run {
    let dir = scratch_dir();
    std::fs::write(dir.join("plan.kdl"), text).unwrap();
    let mut args = command.to_vec();
    args.push("plan.kdl");
    regie(&args, &dir)
}

const HEADER: &str = "project \"Demo\" {\n    start \"2027-01-04\"\n}\n";

fn invalid(body: &str) -> Run {
    let run = on_file(&["check"], format!("{HEADER}{body}").as_bytes());
    assert_eq!(
        run.code, 1,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

#[test]
fn a_valid_file_checks_and_schedules() {
    let body = "task \"a\" \"Design\" duration=\"2d\"\ntask \"b\" \"Build\" duration=\"3d\" { after \"a\"; }\n";
    let run = on_file(&["check"], format!("{HEADER}{body}").as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("ok (2 tasks, 1 links"),
        "{}",
        run.stdout
    );

    let run = on_file(&["schedule"], format!("{HEADER}{body}").as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Build"), "{}", run.stdout);
    assert!(run.stdout.contains("2027-01-08 17:00"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Critical path: 1 Design → 2 Build"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let body = "task \"ph\" \"Phase\" {\n    task \"a\" \"Design\" duration=\"2d\"\n    milestone \"m\" \"Signed\" { after \"a\"; }\n}\n";
    let run = on_file(
        &["schedule", "--format", "json"],
        format!("{HEADER}{body}").as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["project"]["name"], "Demo");
    assert_eq!(json["project"]["start"], "2027-01-04T08:00");
    assert_eq!(json["project"]["finish"], "2027-01-05T17:00");
    let tasks = json["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    let milestone = &tasks[2];
    assert_eq!(milestone["uid"], "m");
    assert_eq!(milestone["wbs"], "1.2");
    assert_eq!(milestone["milestone"], true);
    assert_eq!(milestone["summary"], false);
    assert_eq!(milestone["start"], "2027-01-05T17:00");
    assert_eq!(milestone["total_float_minutes"], 0);
    assert_eq!(milestone["critical"], true);
    assert_eq!(tasks[0]["summary"], true);
    assert_eq!(tasks[0]["id"], 1);
    assert!(json["warnings"].as_array().unwrap().is_empty());
    assert_eq!(json["critical_paths"], serde_json::json!([["a", "m"]]));
}

#[test]
fn critical_only_and_csv() {
    let body = "task \"a\" \"Long\" duration=\"5d\"\ntask \"b\" \"Short\" duration=\"1d\"\n";
    let run = on_file(
        &["schedule", "--format", "csv", "--critical"],
        format!("{HEADER}{body}").as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with(
        "id,uid,wbs,name,summary,milestone,start,finish,total_float_minutes,critical\n"
    ));
    assert!(run.stdout.contains(",a,"), "{}", run.stdout);
    assert!(!run.stdout.contains(",b,"), "{}", run.stdout);
}

#[test]
fn a_cycle_is_spelled_out_and_located() {
    let run = invalid(
        "task \"a\" \"Design\" duration=\"1d\" { after \"c\"; }\ntask \"b\" \"Build\" duration=\"1d\" { after \"a\"; }\ntask \"c\" \"Test\" duration=\"1d\" { after \"b\"; }\n",
    );
    assert!(
        run.stderr
            .contains("dependency cycle: Design → Build → Test → Design"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("plan.kdl:"), "{}", run.stderr);
}

#[test]
fn an_unknown_task_is_located_with_a_suggestion() {
    let run = invalid(
        "task \"design\" \"Design\" duration=\"1d\"\ntask \"b\" \"Build\" duration=\"1d\" { after \"desing\"; }\n",
    );
    assert!(run.stderr.contains("plan.kdl:5:"), "{}", run.stderr);
    assert!(run.stderr.contains("design"), "{}", run.stderr);
}

#[test]
fn a_bad_date_is_located() {
    let run = invalid("task \"a\" \"A\" duration=\"1d\" deadline=\"2027-02-30\"\n");
    assert!(run.stderr.contains("plan.kdl:4:"), "{}", run.stderr);
}

#[test]
fn a_bad_duration_is_located_with_the_units_allowed() {
    let run = invalid("task \"a\" \"A\" duration=\"5 days\"\n");
    assert!(run.stderr.contains("plan.kdl:4:"), "{}", run.stderr);
    assert!(run.stderr.contains("5d"), "{}", run.stderr);
}

#[test]
fn an_unknown_key_gets_a_did_you_mean() {
    let run = invalid("task \"a\" \"A\" duraton=\"1d\"\n");
    assert!(run.stderr.contains("plan.kdl:4:"), "{}", run.stderr);
    assert!(run.stderr.contains("duration"), "{}", run.stderr);
}

#[test]
fn a_duplicate_id_points_at_both() {
    let run = invalid("task \"a\" \"A\" duration=\"1d\"\ntask \"a\" \"Again\" duration=\"1d\"\n");
    assert!(run.stderr.contains("plan.kdl:5:"), "{}", run.stderr);
}

#[test]
fn a_truncated_file_is_a_located_syntax_error() {
    let run = invalid("task \"a\" \"A\" duration=\"1d\" {\n    after \"b\n");
    assert!(run.stderr.contains("plan.kdl:"), "{}", run.stderr);
}

#[test]
fn several_errors_are_reported_at_once() {
    let run = invalid("task \"a\" \"A\" duraton=\"1d\"\ntask \"b\" \"B\" duration=\"1x\"\n");
    assert!(run.stderr.contains("plan.kdl:4:"), "{}", run.stderr);
    assert!(run.stderr.contains("plan.kdl:5:"), "{}", run.stderr);
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_its_position() {
    let mut text = HEADER.as_bytes().to_vec();
    text.extend_from_slice(b"task \"a\" \"\xff\xfe\" duration=\"1d\"\n");
    let run = on_file(&["check"], &text);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("4:11: the file is not valid UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_file_is_invalid_input() {
    let run = regie(&["check", "nowhere.kdl"], &scratch_dir());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("nowhere.kdl"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = scratch_dir();
    assert_eq!(regie(&[], &dir).code, 2);
    assert_eq!(regie(&["schedule"], &dir).code, 2);
    assert_eq!(
        regie(&["schedule", "x.kdl", "--format", "xml"], &dir).code,
        2
    );
    assert_eq!(regie(&["frobnicate"], &dir).code, 2);
}

#[test]
fn gantt_writes_an_svg_and_nothing_on_failure() {
    let dir = scratch_dir();
    std::fs::write(
        dir.join("plan.kdl"),
        format!("{HEADER}task \"a\" \"A\" duration=\"2d\"\n"),
    )
    .unwrap();
    let run = regie(&["gantt", "plan.kdl", "-o", "plan.svg"], &dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let svg = std::fs::read_to_string(dir.join("plan.svg")).unwrap();
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "{}",
        &svg[..80]
    );

    std::fs::write(
        dir.join("bad.kdl"),
        format!("{HEADER}task \"a\" \"A\" duration=\"2\"\n"),
    )
    .unwrap();
    let run = regie(&["gantt", "bad.kdl", "-o", "bad.svg"], &dir);
    assert_eq!(run.code, 1);
    assert!(!dir.join("bad.svg").exists());
}

#[test]
fn fmt_prints_a_file_that_reads_back_the_same() {
    let text = format!(
        "{HEADER}task   \"a\" \"A\"    duration=\"2d\"\ntask \"b\" \"B\" duration=\"16h\" {{ after \"a\"; }}\n"
    );
    let run = on_file(&["fmt"], text.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let original = regie_lang::parse("plan.kdl", &text).unwrap().project;
    let printed = regie_lang::parse("printed.kdl", &run.stdout)
        .unwrap()
        .project;
    assert_eq!(original, printed);
    let again = on_file(&["fmt"], run.stdout.as_bytes());
    assert_eq!(again.stdout, run.stdout, "fmt is idempotent");
}

#[test]
fn the_example_project_schedules() {
    let example =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/crm-migration.kdl");
    let run = regie(
        &["schedule", example.to_str().unwrap(), "--critical"],
        &scratch_dir(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Gate 6"), "{}", run.stdout);
}

#[test]
fn the_readme_example_file_schedules() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = readme
        .find("```kdl\n")
        .expect("the README shows a project file")
        + 7;
    let length = readme[start..].find("```").unwrap();
    let run = on_file(
        &["schedule", "--format", "json"],
        &readme.as_bytes()[start..start + length],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["project"]["finish"], "2027-02-16T17:00");
}

#[test]
fn the_overallocation_report_names_the_person_the_days_and_the_tasks() {
    let body = "resource \"ana\" name=\"Ana\" group=\"DBA\"\n\
        task \"a\" \"Schema design\" duration=\"3d\" { assign \"ana\"; }\n\
        task \"b\" \"Data migration\" duration=\"2d\" { assign \"ana\"; }\n";
    let run = on_file(&["level", "--report"], format!("{HEADER}{body}").as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Ana (DBA): 2027-01-04 to 2027-01-05, booked up to 200% of capacity, by 1 Schema design; 2 Data migration\n"
    );
}

#[test]
fn leveling_delays_the_task_with_float_and_names_who_holds_the_person() {
    let body = "resource \"ana\" name=\"Ana\" group=\"DBA\"\n\
        task \"a\" \"Schema design\" duration=\"3d\" { assign \"ana\"; }\n\
        task \"b\" \"Data migration\" duration=\"2d\" { assign \"ana\"; }\n";
    let run = on_file(
        &["level", "--budget", "1"],
        format!("{HEADER}{body}").as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "2 Data migration starts 2027-01-07 instead of 2027-01-04: Ana (DBA) is on 1 Schema design until 2027-01-06\n\
         The project now finishes 2027-01-08 instead of 2027-01-06.\n\
         Kept the plan of MS Project's order (the only order tried).\n"
    );

    let run = on_file(
        &["level", "--json", "--budget", "1"],
        format!("{HEADER}{body}").as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "finish_before": "2027-01-06",
            "finish_after": "2027-01-08",
            "order": "MS Project's order",
            "finish_first_try": "2027-01-08",
            "orders_tried": [
                {
                    "order": "MS Project's order", "finish": "2027-01-08", "completed": true,
                    "unresolved_days": 0
                }
            ],
            "delays": [{
                "uid": "b", "name": "Data migration", "from": "2027-01-04", "to": "2027-01-07",
                "resource": "ana", "held_by": ["a"], "busy_until": "2027-01-06"
            }],
            "unresolved": []
        })
    );

    // Within the float of one day, Data migration cannot wait three: nothing moves and the
    // over-allocation is reported.
    let run = on_file(
        &["level", "--within-slack"],
        format!("{HEADER}{body}").as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "The project still finishes 2027-01-06.\n\
         Kept the plan of MS Project's order (12 orders tried, none better).\n\
         Still over-allocated:\n  \
         Ana (DBA): 2027-01-04 to 2027-01-05, booked up to 200% of capacity, by 1 Schema design; 2 Data migration\n"
    );
}

#[test]
fn leveling_with_split_pauses_a_task_underway_and_says_so() {
    // B, on the critical path after P, needs Ana on Wednesday and Thursday, in the middle of A.
    let body = "resource \"ana\" name=\"Ana\" group=\"DBA\"\n\
        resource \"bob\" name=\"Bob\"\n\
        task \"a\" \"Schema design\" duration=\"5d\" { assign \"ana\"; }\n\
        task \"p\" \"Extraction\" duration=\"2d\" { assign \"bob\"; }\n\
        task \"b\" \"Data migration\" duration=\"2d\" { assign \"ana\"; after \"p\"; }\n\
        task \"c\" \"Reconciliation\" duration=\"2d\" { assign \"bob\"; after \"b\"; }\n";
    let plan = format!("{HEADER}{body}");
    let run = on_file(&["level", "--budget", "1"], plan.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "1 Schema design starts 2027-01-08 instead of 2027-01-04: Ana (DBA) is on 3 Data migration until 2027-01-07\n\
         The project now finishes 2027-01-14 instead of 2027-01-11.\n\
         Kept the plan of MS Project's order (the only order tried).\n"
    );
    let run = on_file(&["level", "--budget", "1", "--split"], plan.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "1 Schema design pauses 2027-01-06 to 2027-01-07: Ana (DBA) is on 3 Data migration\n\
         The project now finishes 2027-01-12 instead of 2027-01-11.\n\
         Kept the plan of MS Project's order (the only order tried).\n"
    );
    let run = on_file(&["level", "--split", "--json"], plan.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["finish_after"], "2027-01-12");
    assert_eq!(
        json["pauses"],
        serde_json::json!([{
            "uid": "a", "name": "Schema design", "from": "2027-01-06", "to": "2027-01-07",
            "after_minutes": 960, "pause_minutes": 960, "resource": "ana", "held_by": ["b"]
        }])
    );
    assert_eq!(json["delays"], serde_json::json!([]));
}

#[test]
fn leveling_writes_the_workload_histograms_before_and_after() {
    let body = "resource \"ana\" name=\"Ana\" group=\"DBA\"\n\
        task \"a\" \"Schema design\" duration=\"3d\" { assign \"ana\"; }\n\
        task \"b\" \"Data migration\" duration=\"2d\" { assign \"ana\"; }\n";
    let dir = scratch_dir();
    std::fs::write(dir.join("plan.kdl"), format!("{HEADER}{body}")).unwrap();
    let run = regie(&["level", "plan.kdl", "--histogram", "load.svg"], &dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let svg = std::fs::read_to_string(dir.join("load.svg")).unwrap();
    let after = svg.find("<g class=\"after\">").unwrap();
    let (before, after) = (&svg[..after], &svg[after..]);
    assert_eq!(before.matches("class=\"over\"").count(), 2, "{svg}");
    assert!(before.contains("Ana, Mon 4 Jan 2027: 16 h booked of 8 h, 8 h over"));
    assert!(!after.contains("class=\"over\""), "{svg}");

    // Not with --report, which moves nothing.
    let run = regie(
        &["level", "plan.kdl", "--report", "--histogram", "load.svg"],
        &dir,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn leveling_tries_several_orders_and_says_which_won_and_what_the_first_gave() {
    // On the example, MS Project's order leaves Inès double-booked (her training tasks are held
    // by a finish-no-later-than); another order resolves everything by the same finish.
    let example =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/crm-migration.kdl");
    let example = example.to_str().unwrap();
    let run = regie(&["level", example, "--json"], &scratch_dir());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let tried = json["orders_tried"].as_array().unwrap();
    assert_eq!(tried.len(), 12);
    assert_eq!(tried[0]["order"], "MS Project's order");
    assert_eq!(json["finish_first_try"], tried[0]["finish"]);
    assert!(tried[0]["unresolved_days"].as_u64().unwrap() > 0);
    assert_ne!(json["order"], "MS Project's order");
    assert_eq!(json["unresolved"], serde_json::json!([]));
    assert!(json["finish_after"].as_str() <= json["finish_first_try"].as_str());

    let run = regie(&["level", example, "--budget", "1"], &scratch_dir());
    assert!(
        run.stdout.contains("Still over-allocated:"),
        "{}",
        run.stdout
    );
    let run = regie(&["level", example, "--seed", "0"], &scratch_dir());
    assert!(
        run.stdout
            .contains("(best of 12 orders tried); MS Project's order alone finishes "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("days over-allocated."),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("Still over-allocated:"),
        "{}",
        run.stdout
    );
}
