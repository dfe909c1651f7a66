//! What `progress` and `manual` lines put in the model.

use jiff::civil::date;
use regie_core::{ManualDates, Progress};

use expect_test::expect;

use crate::{HEADER, check_messages, parse_ok};

#[test]
fn dates_alone_take_the_edge_of_the_day() {
    let text = format!(
        "{HEADER}task \"a\" duration=\"5d\" {{\n    progress \"100%\" actual-start=\"2027-01-04\" actual-finish=\"2027-01-08\"\n    manual start=\"2027-01-04\" finish=\"2027-01-08\"\n}}\ntask \"b\" {{\n    progress 40 actual-start=\"2027-01-11T08:30\"\n}}\ntask \"c\"\n"
    );
    let project = parse_ok(&text).project;
    assert_eq!(
        project.tasks[0].progress,
        Progress {
            percent_complete: 100,
            actual_start: Some(date(2027, 1, 4).at(0, 0, 0, 0)),
            actual_finish: Some(date(2027, 1, 9).at(0, 0, 0, 0)),
        }
    );
    assert_eq!(
        project.tasks[0].manual,
        Some(ManualDates {
            start: date(2027, 1, 4).at(0, 0, 0, 0),
            finish: date(2027, 1, 9).at(0, 0, 0, 0),
        })
    );
    assert_eq!(
        project.tasks[1].progress,
        Progress {
            percent_complete: 40,
            actual_start: Some(date(2027, 1, 11).at(8, 30, 0, 0)),
            actual_finish: None,
        }
    );
    assert_eq!(project.tasks[1].manual, None);
    assert!(project.tasks[2].progress.is_empty());
}

#[test]
fn a_milestone_takes_one_date() {
    let text = format!(
        "{HEADER}milestone \"g1\" {{\n    manual start=\"2027-02-05T17:00\"\n    progress 100 actual-finish=\"2027-02-05\"\n}}\nmilestone \"g2\" {{\n    manual finish=\"2027-02-05\"\n}}\n"
    );
    let project = parse_ok(&text).project;
    let at_five = date(2027, 2, 5).at(17, 0, 0, 0);
    let end_of_day = date(2027, 2, 6).at(0, 0, 0, 0);
    assert_eq!(
        project.tasks[0].manual,
        Some(ManualDates {
            start: at_five,
            finish: at_five,
        })
    );
    // The finish alone: a milestone has no duration, so nothing is invented for its start.
    assert_eq!(
        project.tasks[0].progress,
        Progress {
            percent_complete: 100,
            actual_start: None,
            actual_finish: Some(end_of_day),
        }
    );
    assert_eq!(
        project.tasks[1].manual,
        Some(ManualDates {
            start: end_of_day,
            finish: end_of_day,
        })
    );
}

#[test]
fn the_documented_example_is_valid_and_canonical() {
    let doc = include_str!("../../../../docs/project-file.md");
    let start = doc
        .find("as a status update records them:\n\n```kdl\n")
        .expect("the progress example in the docs")
        + "as a status update records them:\n\n```kdl\n".len();
    let end = start + doc[start..].find("```").expect("the end of the example");
    let example = &doc[start..end];
    let project = parse_ok(&format!("{HEADER}{example}")).project;
    assert_eq!(project.tasks[1].progress.percent_complete, 40);
    let printed = regie_lang::print(&project);
    // The canonical form separates top-level tasks with a blank line.
    let expected = example.replace("\n}\n", "\n}\n\n");
    assert!(
        printed.ends_with(&expected[..expected.len() - 1]),
        "{printed}"
    );
}

/// `pause` lines: the task's work stops after so much of it, for so long, and prints back.
#[test]
fn pauses_split_the_work_and_print_back() {
    let text = format!(
        "{HEADER}task \"a\" duration=\"10d\" {{\n    pause after=\"4d\" for=\"1d\"\n    pause after=\"6d\" for=\"2.5d\"\n}}\n"
    );
    let project = parse_ok(&text).project;
    let splits: Vec<(i64, i64)> = project.tasks[0]
        .splits
        .iter()
        .map(|split| (split.after, split.pause))
        .collect();
    assert_eq!(splits, [(4 * 480, 480), (6 * 480, 1200)]);
    let printed = regie_lang::print(&project);
    assert!(
        printed.contains("    pause after=\"4d\" for=\"1d\"\n    pause after=\"6d\" for=\"20h\"\n"),
        "{printed}"
    );
    assert_eq!(parse_ok(&printed).project, project);
}

#[test]
fn pauses_that_cannot_be() {
    check_messages(
        &format!(
            "{HEADER}milestone \"m\" {{\n    pause after=\"1d\" for=\"1d\"\n}}\n\
             task \"s\" {{\n    pause after=\"1d\" for=\"1d\"\n    task \"c\" duration=\"2d\"\n}}\n\
             task \"a\" duration=\"5d\" {{\n    pause after=\"1d\"\n    pause after=\"5d\" for=\"1d\"\n    pause after=\"2d\" for=\"0d\"\n}}\n\
             task \"b\" duration=\"5d\" {{\n    pause after=\"3d\" for=\"1d\"\n    pause after=\"2d\" for=\"1d\"\n}}\n\
             task \"e\" duration=\"5ed\" {{\n    pause after=\"1d\" for=\"1d\"\n}}\n"
        ),
        expect![[r#"
            plan.kdl:5:5: a milestone cannot pause
            plan.kdl:8:5: a summary task cannot pause: its dates span its subtasks
            plan.kdl:12:5: `pause` has no `for`
            plan.kdl:13:17: a pause of `a` comes after 5d of its work, outside the work
            plan.kdl:14:26: a pause lasts some time
            plan.kdl:18:17: pauses come in the order they happen, each after more of the work
            plan.kdl:21:17: an elapsed duration runs on the clock and cannot pause
        "#]],
    );
}
