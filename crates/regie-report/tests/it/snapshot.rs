//! The non-interactive chart byte for byte: snapshots taken before the interactive marks were
//! added, so that `GanttOptions::default()` (the CLI's wall chart) keeps giving the same bytes.
//! Refresh deliberately with `UPDATE_EXPECT=1 cargo test -p regie-report`.

use expect_test::expect_file;
use jiff::civil::date;
use regie_core::{
    LinkKind,
    calendar::{DateRule, Exception},
};
use regie_report::{GanttOptions, Zoom, gantt_svg};

use crate::{Plan, at, website};

fn svg(plan: &Plan, options: &GanttOptions) -> String {
    gantt_svg(&plan.project, &plan.schedule(), options)
}

/// The website plan with a holiday, a deadline, every link type and a name with markup.
fn rich_plan() -> Plan {
    let (mut plan, ids) = website();
    plan.project.calendars[0].exceptions.push(Exception {
        name: "Plant closed".to_owned(),
        dates: DateRule::Range {
            from: date(2027, 3, 12),
            to: date(2027, 3, 12),
        },
        shifts: Vec::new(),
    });
    plan.project.tasks[ids[2].index()].name = "R&D <draft> \"final\"".to_owned();
    plan.project.tasks[ids[3].index()].deadline =
        Some(jiff::civil::datetime(2027, 3, 18, 17, 0, 0, 0));
    plan.link(ids[1], ids[2], LinkKind::StartToStart);
    plan.link(ids[2], ids[3], LinkKind::FinishToFinish);
    plan.link(ids[3], ids[1], LinkKind::StartToFinish);
    let extra = plan.task(
        "Hand-over",
        None,
        at(2027, 3, 15, 8, 0),
        at(2027, 3, 16, 12, 0),
        3,
    );
    plan.link(ids[4], extra, LinkKind::FinishToStart);
    plan
}

#[test]
fn the_default_chart_keeps_its_bytes() {
    let (plan, _) = website();
    expect_file!["snapshots/website.svg"].assert_eq(&svg(&plan, &GanttOptions::default()));
}

#[test]
fn the_chart_with_status_date_and_forced_zoom_keeps_its_bytes() {
    let options = GanttOptions {
        today: Some(at(2027, 3, 10, 12, 0)),
        zoom: Some(Zoom::Week),
        title: Some("Wall chart".to_owned()),
        ..Default::default()
    };
    expect_file!["snapshots/rich-week.svg"].assert_eq(&svg(&rich_plan(), &options));
}

#[test]
fn the_rich_chart_keeps_its_bytes() {
    expect_file!["snapshots/rich.svg"].assert_eq(&svg(&rich_plan(), &GanttOptions::default()));
}

#[test]
fn the_critical_chart_keeps_its_bytes() {
    let options = GanttOptions {
        critical_only: true,
        today: Some(at(2027, 3, 3, 9, 0)),
        ..Default::default()
    };
    expect_file!["snapshots/rich-critical.svg"].assert_eq(&svg(&rich_plan(), &options));
}
