//! Data-driven schedule tests: a small project file, the dates and floats MS Project would give.
//!
//! Each case is a KDL body (the project starts Monday 2027-01-04 08:00 on the standard calendar,
//! Mon–Fri 08:00–12:00 and 13:00–17:00) and the expected table: task id, start, finish, total
//! float in working hours, `*` when critical; then any warnings. Update the expectations with
//! `UPDATE_EXPECT=1 cargo test -p regie-cli` and review the diff.

use expect_test::{Expect, expect};
use regie_core::time::format_minute;

fn check(body: &str, expect: Expect) {
    check_project(
        r#"project "Test" { start "2027-01-04T08:00" }"#,
        body,
        expect,
    );
}

fn check_project(project: &str, body: &str, expect: Expect) {
    let text = format!("{project}\n{body}");
    let parsed = regie_lang::parse("test.kdl", &text).unwrap_or_else(|d| panic!("{d}"));
    let project = parsed.project;
    let schedule = regie_core::schedule(&project).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    for id in project.task_ids() {
        let task = schedule.task(id);
        out.push_str(&format!(
            "{:<4} {} {} {:>5}h{}\n",
            project.task(id).uid,
            format_minute(task.start).replace('T', " "),
            format_minute(task.finish).replace('T', " "),
            task.total_float as f64 / 60.0,
            if task.critical { " *" } else { "" },
        ));
    }
    for warning in &schedule.warnings {
        out.push_str(&format!("warning: {}\n", warning.message(&project)));
    }
    expect.assert_eq(&out);
}

#[test]
fn a_day_long_task_finishes_at_17_00_and_its_successor_starts_next_morning() {
    check(
        r#"
task "a" "A" duration="1d"
task "b" "B" duration="2d" { after "a" }
"#,
        expect![[r#"
            a    2027-01-04 08:00 2027-01-04 17:00     0h *
            b    2027-01-05 08:00 2027-01-06 17:00     0h *
        "#]],
    );
}

#[test]
fn a_task_crosses_the_weekend_and_the_lunch_break() {
    check(
        r#"
task "a" "A" duration="4.5d" { constraint "snet" "2027-01-06T13:00" }
"#,
        expect![[r#"
            a    2027-01-06 13:00 2027-01-12 17:00     0h *
        "#]],
    );
}

#[test]
fn link_types_with_working_lags_and_leads() {
    check(
        r#"
task "a" "A" duration="3d"
task "fs" "FS+1d" duration="1d" { after "a" lag="1d" }
task "ss" "SS+2h" duration="1d" { after "a" type="SS" lag="2h" }
task "ff" "FF-1d" duration="1d" { after "a" type="FF" lag="-1d" }
task "sf" "SF+4d" duration="1d" { after "a" type="SF" lag="4d" }
task "lead" "FS-2d" duration="1d" { after "a" lag="-2d" }
"#,
        expect![[r#"
            a    2027-01-04 08:00 2027-01-06 17:00     0h *
            fs   2027-01-08 08:00 2027-01-08 17:00     0h *
            ss   2027-01-04 10:00 2027-01-05 10:00    30h
            ff   2027-01-05 08:00 2027-01-05 17:00    24h
            sf   2027-01-07 08:00 2027-01-07 17:00     8h
            lead 2027-01-05 08:00 2027-01-05 17:00    24h
        "#]],
    );
}

#[test]
fn elapsed_and_percent_lags() {
    check(
        r#"
task "a" "A" duration="4d"
task "e" "FS+2ed" duration="1d" { after "a" lag="2ed" }
task "p" "SS+50%" duration="1d" { after "a" type="SS" lag="50%" }
"#,
        expect![[r#"
            a    2027-01-04 08:00 2027-01-07 17:00     8h
            e    2027-01-11 08:00 2027-01-11 17:00     0h *
            p    2027-01-06 08:00 2027-01-06 17:00    24h
        "#]],
    );
}

#[test]
fn milestones_sit_at_their_predecessors_finish() {
    check(
        r#"
milestone "m0" "Kick-off"
task "a" "A" duration="5d" { after "m0" }
milestone "m1" "Done" { after "a" }
task "b" "B" duration="1d" { after "m1" }
"#,
        expect![[r#"
            m0   2027-01-04 08:00 2027-01-04 08:00     0h *
            a    2027-01-04 08:00 2027-01-08 17:00     0h *
            m1   2027-01-08 17:00 2027-01-08 17:00     0h *
            b    2027-01-11 08:00 2027-01-11 17:00     0h *
        "#]],
    );
}

#[test]
fn constraints_of_every_kind() {
    check(
        r#"
task "a" "A" duration="2d"
task "snet" "SNET" duration="1d" { after "a"; constraint "snet" "2027-01-11"; }
task "fnet" "FNET" duration="1d" { after "a"; constraint "fnet" "2027-01-13"; }
task "mso" "MSO" duration="1d" { constraint "mso" "2027-01-07"; }
task "mfo" "MFO" duration="1d" { constraint "mfo" "2027-01-08"; }
task "snlt" "SNLT" duration="1d" { after "a"; constraint "snlt" "2027-01-05"; }
task "fnlt" "FNLT" duration="1d" { after "a"; constraint "fnlt" "2027-01-07"; }
task "alap" "ALAP" duration="1d" { after "a"; constraint "alap"; }
"#,
        expect![[r#"
            a    2027-01-04 08:00 2027-01-05 17:00    -8h *
            snet 2027-01-11 08:00 2027-01-11 17:00    16h
            fnet 2027-01-13 08:00 2027-01-13 17:00     0h *
            mso  2027-01-07 08:00 2027-01-07 17:00     0h *
            mfo  2027-01-08 08:00 2027-01-08 17:00     0h *
            snlt 2027-01-05 08:00 2027-01-05 17:00     0h *
            fnlt 2027-01-06 08:00 2027-01-06 17:00     8h
            alap 2027-01-13 08:00 2027-01-13 17:00    40h
            warning: a "A" has negative float (-480 working minutes): a constraint or deadline is tighter than its predecessors allow
            warning: snlt "SNLT" is held by its constraint start-no-later-than 2027-01-05 although its links would start it at 2027-01-06T08:00
        "#]],
    );
}

#[test]
fn as_late_as_possible_never_overlaps_its_successor() {
    check(
        r#"
task "long" "Long" duration="10d"
task "prep" "Prep (ALAP)" duration="2d" { constraint "alap"; }
task "use" "Use" duration="1d" { after "prep" }
task "end" "End" duration="1d" { after "long" }
"#,
        expect![[r#"
            long 2027-01-04 08:00 2027-01-15 17:00     0h *
            prep 2027-01-04 08:00 2027-01-05 17:00    64h
            use  2027-01-06 08:00 2027-01-06 17:00    64h
            end  2027-01-18 08:00 2027-01-18 17:00     0h *
        "#]],
    );
}

#[test]
fn a_missed_deadline_is_a_warning_and_does_not_move_the_task() {
    check(
        r#"
task "a" "A" duration="5d" deadline="2027-01-06"
"#,
        expect![[r#"
            a    2027-01-04 08:00 2027-01-08 17:00   -16h *
            warning: a "A" finishes 2027-01-08T17:00 after its deadline 2027-01-06
            warning: a "A" has negative float (-960 working minutes): a constraint or deadline is tighter than its predecessors allow
        "#]],
    );
}

#[test]
fn holidays_and_recurring_exceptions_are_skipped() {
    // `std` is the project calendar too, so floats are counted in its working time, holidays out.
    check_project(
        r#"project "Test" { start "2027-01-04T08:00"; calendar "std"; }"#,
        r#"
calendar "std" {
    week "mon-fri" "09:00-17:00"
    week "sat,sun"
    holiday "Twelfth Night" date="2027-01-06"
    holiday "Fridays off in January" weekly="fri" from="2027-01-01" to="2027-01-31"
    holiday "Thanksgiving" yearly="4th thu nov"
    work "Saturday release" date="2027-01-09" "09:00-13:00"
}
task "a" "A" duration="4d" calendar="std"
task "b" "B" duration="2d" calendar="std" { constraint "snet" "2027-11-24"; }
"#,
        expect![[r#"
            a    2027-01-04 09:00 2027-01-11 13:00  1804h
            b    2027-11-24 09:00 2027-11-26 17:00     0h *
        "#]],
    );
}

#[test]
fn a_resource_on_vacation_stretches_the_task_assigned_to_them() {
    check(
        r#"
resource "ana" name="Ana" { vacation from="2027-01-06" to="2027-01-07"; }
resource "bob" name="Bob"
task "a" "Ana's task" duration="3d" { assign "ana"; }
task "b" "Bob's task" duration="3d" { assign "bob"; }
task "both" "Together" duration="2d" { assign "ana" "bob"; }
"#,
        expect![[r#"
            a    2027-01-04 08:00 2027-01-08 17:00     0h *
            b    2027-01-04 08:00 2027-01-06 17:00    16h
            both 2027-01-04 08:00 2027-01-05 17:00     8h
        "#]],
    );
}

#[test]
fn a_24_hour_calendar_works_nights_and_weekends() {
    check(
        r#"
calendar "24h" twenty-four-hours=#true
task "a" "Work" duration="2d"
task "run" "Batch" duration="36h" calendar="24h" { after "a" }
task "check" "Check" duration="1d" { after "run" }
"#,
        expect![[r#"
            a    2027-01-04 08:00 2027-01-05 17:00     0h *
            run  2027-01-05 17:00 2027-01-07 05:00     0h *
            check 2027-01-07 08:00 2027-01-07 17:00     0h *
        "#]],
    );
}

#[test]
fn links_into_and_out_of_summaries() {
    check(
        r#"
task "prep" "Prep" duration="2d"
task "ph" "Phase" {
    after "prep"
    task "x" "X" duration="3d"
    task "y" "Y" duration="1d"
}
task "close" "Close" duration="1d" { after "ph" }
task "watch" "Starts with the phase" duration="1d" { after "ph" type="SS" }
"#,
        expect![[r#"
            prep 2027-01-04 08:00 2027-01-05 17:00     0h *
            ph   2027-01-06 08:00 2027-01-08 17:00     0h *
            x    2027-01-06 08:00 2027-01-08 17:00     0h *
            y    2027-01-06 08:00 2027-01-06 17:00    16h
            close 2027-01-11 08:00 2027-01-11 17:00     0h *
            watch 2027-01-06 08:00 2027-01-06 17:00    24h
        "#]],
    );
}

#[test]
fn a_project_scheduled_back_from_its_finish() {
    check_project(
        r#"project "Test" { finish "2027-01-29T17:00" }"#,
        r#"
task "a" "A" duration="2d"
task "b" "B" duration="3d" { after "a" }
task "c" "C" duration="1d"
"#,
        expect![[r#"
            a    2027-01-25 08:00 2027-01-26 17:00     0h *
            b    2027-01-27 08:00 2027-01-29 17:00     0h *
            c    2027-01-29 08:00 2027-01-29 17:00    32h
        "#]],
    );
}

#[test]
fn free_float_is_what_a_task_can_slip_before_its_successor_moves() {
    let text = r#"project "Test" { start "2027-01-04T08:00" }
task "a" "A" duration="5d"
task "b" "B" duration="2d"
task "c" "C" duration="1d" { after "a" "b" }
"#;
    let parsed = regie_lang::parse("test.kdl", text).unwrap();
    let schedule = regie_core::schedule(&parsed.project).unwrap();
    let b = schedule.task(regie_core::TaskId(1));
    assert_eq!(b.free_float, 3 * 480);
    assert_eq!(b.total_float, 3 * 480);
    let a = schedule.task(regie_core::TaskId(0));
    assert_eq!((a.free_float, a.total_float, a.critical), (0, 0, true));
}

#[test]
fn actual_dates_and_manual_tasks_stay_put() {
    check(
        r#"
task "a" "A" duration="3d"
task "b" "Started early" duration="2d" {
    after "a"
    progress "50%" actual-start="2027-01-05T08:00"
}
task "c" "Done" duration="1d" {
    after "b"
    progress "100%" actual-start="2027-01-04T08:00" actual-finish="2027-01-04T17:00"
}
task "m" "Manual" duration="2d" {
    after "a"
    manual start="2027-01-11" finish="2027-01-13"
}
task "d" "After the manual task" duration="1d" { after "m"; }
"#,
        expect![[r#"
            a    2027-01-04 08:00 2027-01-06 17:00    16h
            b    2027-01-05 08:00 2027-01-06 17:00    48h
            c    2027-01-04 08:00 2027-01-04 17:00     0h
            m    2027-01-11 08:00 2027-01-13 17:00     0h *
            d    2027-01-14 08:00 2027-01-14 17:00     0h *
        "#]],
    );
}

/// `regie schedule --reschedule`: the rest of a late task after the status date, the tasks
/// not started after it too; without a status date, a clear error.
#[test]
fn reschedule_moves_uncompleted_work_after_the_status_date() {
    let dir = crate::support::scratch_dir();
    let plan = "project \"Late\" {\n    start \"2027-01-04\"\n    status-date \"2027-01-08T17:00\"\n}\n\
                task \"a\" \"Build\" duration=\"5d\" {\n    progress \"40%\" actual-start=\"2027-01-04T08:00\"\n}\n\
                task \"b\" \"Test\" duration=\"2d\" { after \"a\"; }\n\
                task \"c\" \"Docs\" duration=\"1d\"\n";
    std::fs::write(dir.join("plan.kdl"), plan).unwrap();
    let run = crate::support::regie(&["schedule", "plan.kdl", "--reschedule"], &dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "rescheduled after the status date 2027-01-08T17:00: 1 started task paused until then, 2 not started held after it"
        ),
        "{}",
        run.stderr
    );
    let rows: Vec<&str> = run.stdout.lines().skip(1).take(3).collect();
    assert!(
        rows[0].contains("2027-01-04 08:00  2027-01-13 17:00"),
        "{}",
        run.stdout
    );
    assert!(
        rows[1].contains("2027-01-14 08:00  2027-01-15 17:00"),
        "{}",
        run.stdout
    );
    assert!(
        rows[2].contains("2027-01-11 08:00  2027-01-11 17:00"),
        "{}",
        run.stdout
    );

    std::fs::write(
        dir.join("plan.kdl"),
        plan.replace("    status-date \"2027-01-08T17:00\"\n", ""),
    )
    .unwrap();
    let run = crate::support::regie(&["schedule", "plan.kdl", "--reschedule"], &dir);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("plan.kdl: the project has no status date to reschedule the remaining work after: add `status-date"),
        "{}",
        run.stderr
    );
}
