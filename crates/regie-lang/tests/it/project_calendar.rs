//! The project calendar: the built-in Standard unless the `project` node names one, and calendar
//! ids printed from the calendars' uids.

use expect_test::expect;
use regie_core::calendar::Calendar;
use regie_core::time::format_minute;
use regie_core::{CalendarId, Project, Task, TaskId};

use crate::parse_ok;

/// `(start, finish)` of each task, as `YYYY-MM-DDTHH:MM`.
fn dates(project: &Project) -> Vec<(String, String)> {
    let schedule = regie_core::schedule(project).unwrap_or_else(|e| panic!("{e}"));
    project
        .task_ids()
        .map(|id| {
            let task = schedule.task(id);
            (format_minute(task.start), format_minute(task.finish))
        })
        .collect()
}

fn pair(start: &str, finish: &str) -> (String, String) {
    (start.to_owned(), finish.to_owned())
}

#[test]
fn a_declared_calendar_does_not_become_the_project_calendar() {
    // The trap this rule closes: a `24h` calendar declared for one batch task must not make the
    // whole project run around the clock.
    let text = r#"project "P" { start "2027-01-04"; }
calendar "24h" twenty-four-hours=#true
task "a" "A" duration="1d"
task "batch" "Batch" duration="36h" calendar="24h"
"#;
    let parsed = parse_ok(text);
    let project = &parsed.project;
    assert_eq!(project.calendar, CalendarId(0));
    assert_eq!(project.calendars[0], Calendar::standard("Standard"));
    assert_eq!(project.calendars[1].uid, "24h");
    assert_eq!(project.tasks[1].calendar, Some(CalendarId(1)));
    assert_eq!(
        parsed.source_map.calendars.len(),
        project.calendars.len(),
        "the source map covers the built-in Standard too"
    );
    // Monday 2027-01-04: a day on Standard hours; 36 hours straight on the 24h calendar.
    assert_eq!(
        dates(project),
        [
            pair("2027-01-04T08:00", "2027-01-04T17:00"),
            pair("2027-01-04T00:00", "2027-01-05T12:00"),
        ]
    );

    // Printed without a `calendar` line in `project` and without Standard.
    expect![[r#"
        project "P" {
            start "2027-01-04"
            time-zone "UTC"
            currency "EUR"
        }

        calendar "24h" twenty-four-hours=#true

        task "a" "A" duration="1d"

        task "batch" "Batch" duration="36h" calendar="24h"
    "#]]
    .assert_eq(&regie_lang::print(project));
    assert_eq!(
        &parse_ok(&regie_lang::print(project)).project,
        project,
        "round trip"
    );
}

#[test]
fn the_project_node_selects_its_calendar() {
    let text = r#"project "P" {
    start "2027-01-04"
    calendar "x"
}
calendar "office" {
    week "mon-fri" "09:00-17:00"
}
calendar "x" name="Round the clock" twenty-four-hours=#true
task "a" "A" duration="1d"
task "b" "B" duration="1d" calendar="office"
"#;
    let parsed = parse_ok(text);
    let project = &parsed.project;
    // No built-in Standard: the declared calendars only, in file order.
    assert_eq!(project.calendars.len(), 2);
    assert_eq!(project.calendar, CalendarId(1));
    assert_eq!(project.calendars[1].uid, "x");
    // A day of 8 working hours on the 24h calendar from Monday 00:00; the office's day.
    assert_eq!(
        dates(project),
        [
            pair("2027-01-04T00:00", "2027-01-04T08:00"),
            pair("2027-01-04T09:00", "2027-01-04T17:00"),
        ]
    );
    expect![[r#"
        project "P" {
            start "2027-01-04"
            time-zone "UTC"
            currency "EUR"
            calendar "x"
        }

        calendar "office" {
            week "mon-fri" "09:00-17:00"
        }

        calendar "x" name="Round the clock" twenty-four-hours=#true

        task "a" "A" duration="1d"

        task "b" "B" duration="1d" calendar="office"
    "#]]
    .assert_eq(&regie_lang::print(project));
    assert_eq!(&parse_ok(&regie_lang::print(project)).project, project);
}

#[test]
fn vacations_are_on_top_of_the_project_calendar() {
    // Ana is off on Monday: her 2-day task runs Tuesday and Wednesday on Standard hours, or
    // Tuesday 00:00–16:00 when the project calendar is the 24h one.
    let body = r#"calendar "24h" twenty-four-hours=#true
resource "ana" {
    vacation date="2027-01-04"
}
task "a" "A" duration="2d" {
    assign "ana"
}
"#;
    let cases = [
        (
            r#"project "P" { start "2027-01-04"; }"#,
            pair("2027-01-05T08:00", "2027-01-06T17:00"),
        ),
        (
            r#"project "P" { start "2027-01-04"; calendar "24h"; }"#,
            pair("2027-01-05T00:00", "2027-01-05T16:00"),
        ),
    ];
    for (head, expected) in cases {
        let project = parse_ok(&format!("{head}\n{body}")).project;
        let own = project.resources[0]
            .calendar
            .expect("a calendar of her own");
        assert_eq!(project.calendars[own.index()].base, Some(project.calendar));
        assert_eq!(dates(&project), [expected]);
        let printed = regie_lang::print(&project);
        assert!(printed.contains("resource \"ana\" {\n"), "{printed}");
        assert_eq!(parse_ok(&printed).project, project, "{printed}");
    }
}

#[test]
fn calendars_are_printed_with_their_uids() {
    // The id is the uid, not one made from the name.
    let text = r#"project "P" { start "2027-01-04"; calendar "fr"; }
calendar "fr" name="France standard" {
    week "mon-fri" "08:00-12:00" "13:00-17:00"
}
calendar "Night_Shift" name="France standard" base="fr"
"#;
    let project = parse_ok(text).project;
    expect![[r#"
        project "P" {
            start "2027-01-04"
            time-zone "UTC"
            currency "EUR"
            calendar "fr"
        }

        calendar "fr" name="France standard" {
            week "mon-fri" "08:00-12:00" "13:00-17:00"
        }

        calendar "Night_Shift" name="France standard" base="fr"
    "#]]
    .assert_eq(&regie_lang::print(&project));
}

#[test]
fn calendars_without_a_usable_uid_get_an_id_from_their_name() {
    // Built in code: one calendar without a uid, two with the same one. The uids are kept where
    // they can be, even by a later calendar whose uid an id made from a name would have taken.
    let start = jiff::civil::date(2027, 1, 4).at(8, 0, 0, 0);
    let mut project = Project::new("Built", start);
    let mut shop = Calendar::standard("Shop");
    shop.uid = "late".to_owned();
    let mut again = Calendar::standard("Shop");
    again.uid = "late".to_owned();
    let mut late = Calendar::twenty_four_hours("Late");
    late.uid = String::new();
    let mut named = Calendar::standard("Shop floor");
    named.uid = "shop".to_owned();
    project.calendars.extend([shop, again, late, named]);
    for (index, calendar) in (1..=4).enumerate() {
        let mut task = Task::new(format!("t{index}"), "T");
        task.calendar = Some(CalendarId(calendar));
        project.tasks.push(task);
    }
    let printed = regie_lang::print(&project);
    expect![[r#"
        project "Built" {
            start "2027-01-04T08:00"
            time-zone "UTC"
            currency "EUR"
        }

        calendar "late" name="Shop" {
            week "mon-fri" "08:00-12:00" "13:00-17:00"
            week "sat,sun"
        }

        calendar "shop-2" name="Shop" {
            week "mon-fri" "08:00-12:00" "13:00-17:00"
            week "sat,sun"
        }

        calendar "late-2" name="Late" twenty-four-hours=#true

        calendar "shop" name="Shop floor" {
            week "mon-fri" "08:00-12:00" "13:00-17:00"
            week "sat,sun"
        }

        task "t0" "T" calendar="late"

        task "t1" "T" calendar="shop-2"

        task "t2" "T" calendar="late-2"

        task "t3" "T" calendar="shop"
    "#]]
    .assert_eq(&printed);
    // Everything but the ids made up comes back.
    let reparsed = parse_ok(&printed).project;
    let uids: Vec<&str> = reparsed.calendars.iter().map(|c| c.uid.as_str()).collect();
    assert_eq!(uids, ["", "late", "shop-2", "late-2", "shop"]);
    assert_eq!(reparsed.tasks[3].calendar, Some(CalendarId(4)));
    assert_eq!(reparsed.task(TaskId(0)).calendar, Some(CalendarId(1)));
}
