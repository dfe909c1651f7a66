use expect_test::expect;
use regie_report::{schedule_csv, schedule_table};

use crate::{at, website};

#[test]
fn the_table_lists_every_task_aligned() {
    let (plan, _) = website();
    let table = schedule_table(&plan.project, &plan.schedule(), false);
    expect![[r#"
        WBS  Name          Start             Finish            Duration  Total float  Critical
        1    Design        2027-03-01 08:00  2027-03-09 17:00        7d           0d  *
        1.1    Wireframes  2027-03-01 08:00  2027-03-05 17:00        5d           0d  *
        1.2    Review      2027-03-08 08:00  2027-03-09 17:00        2d           8d
        2    Build         2027-03-08 08:00  2027-03-19 17:00       10d           0d  *
        3    Go-live       2027-03-19 17:00  2027-03-19 17:00        0d           0d  *
    "#]]
    .assert_eq(&table);
}

#[test]
fn the_critical_table_keeps_only_critical_tasks() {
    let (mut plan, ids) = website();
    plan.entries[ids[0].index()].critical = false;
    let table = schedule_table(&plan.project, &plan.schedule(), true);
    expect![[r#"
        WBS  Name          Start             Finish            Duration  Total float  Critical
        1.1    Wireframes  2027-03-01 08:00  2027-03-05 17:00        5d           0d  *
        2    Build         2027-03-08 08:00  2027-03-19 17:00       10d           0d  *
        3    Go-live       2027-03-19 17:00  2027-03-19 17:00        0d           0d  *
    "#]]
    .assert_eq(&table);
}

#[test]
fn durations_are_working_days_of_the_project_calendar() {
    let (mut plan, ids) = website();
    // Half a day: Monday 08:00 to 12:00.
    plan.entries[ids[2].index()].start = at(2027, 3, 8, 8, 0);
    plan.entries[ids[2].index()].finish = at(2027, 3, 8, 12, 0);
    let table = schedule_table(&plan.project, &plan.schedule(), false);
    let review = table.lines().find(|l| l.contains("Review")).unwrap();
    assert!(review.contains(" 0.5d "), "{review}");
    // Build: two working weeks, whatever the weekend in between.
    let build = table.lines().find(|l| l.contains("Build")).unwrap();
    assert!(build.contains(" 10d "), "{build}");
}

#[test]
fn the_csv_has_one_quoted_row_per_task() {
    let (mut plan, ids) = website();
    plan.project.tasks[ids[2].index()].name = "Review, \"final\"".to_owned();
    let csv = schedule_csv(&plan.project, &plan.schedule(), false);
    expect![[r#"
        id,uid,wbs,name,summary,milestone,start,finish,total_float_minutes,critical
        1,t0,1,Design,true,false,2027-03-01T08:00,2027-03-09T17:00,0,true
        2,t1,1.1,Wireframes,false,false,2027-03-01T08:00,2027-03-05T17:00,0,true
        3,t2,1.2,"Review, ""final""",false,false,2027-03-08T08:00,2027-03-09T17:00,3840,false
        4,t3,2,Build,false,false,2027-03-08T08:00,2027-03-19T17:00,0,true
        5,t4,3,Go-live,false,true,2027-03-19T17:00,2027-03-19T17:00,0,true
    "#]]
    .assert_eq(&csv);
    let critical = schedule_csv(&plan.project, &plan.schedule(), true);
    expect![[r#"
        id,uid,wbs,name,summary,milestone,start,finish,total_float_minutes,critical
        1,t0,1,Design,true,false,2027-03-01T08:00,2027-03-09T17:00,0,true
        2,t1,1.1,Wireframes,false,false,2027-03-01T08:00,2027-03-05T17:00,0,true
        4,t3,2,Build,false,false,2027-03-08T08:00,2027-03-19T17:00,0,true
        5,t4,3,Go-live,false,true,2027-03-19T17:00,2027-03-19T17:00,0,true
    "#]]
    .assert_eq(&critical);
}

#[test]
fn a_task_shows_the_duration_the_plan_gives_it() {
    let (mut plan, ids) = website();
    // Wireframes: three days of work stretched over a week by a vacation.
    plan.project.tasks[ids[1].index()].duration = regie_core::Duration::working(3 * 480);
    // Build: a 36-hour unattended run.
    plan.project.tasks[ids[3].index()].duration = regie_core::Duration::elapsed(36 * 60);
    let table = schedule_table(&plan.project, &plan.schedule(), false);
    let wireframes = table.lines().find(|l| l.contains("Wireframes")).unwrap();
    assert!(wireframes.contains(" 3d "), "{wireframes}");
    let build = table.lines().find(|l| l.contains("Build")).unwrap();
    assert!(build.contains(" 1.5ed "), "{build}");
}
