//! The shipped example, `examples/crm-migration.kdl`, as a user would first meet the format.

use regie_core::{Anchor, ConstraintKind, Lag, LinkKind, TaskType};

use crate::parse_ok;

pub const EXAMPLE: &str = include_str!("../../../../examples/crm-migration.kdl");

#[test]
fn the_example_parses_cleanly() {
    let parsed = parse_ok(EXAMPLE);
    let project = &parsed.project;
    assert_eq!(project.name, "CRM migration for Northwind Insurance");
    assert_eq!(
        project.anchor,
        Anchor::Start(jiff::civil::date(2027, 1, 4).at(0, 0, 0, 0))
    );
    assert_eq!(project.time_zone, "Europe/Paris");
    // The project names its calendar: no built-in Standard, and the declared calendars keep ids.
    assert_eq!(
        project.calendars[project.calendar.index()].uid,
        "france-standard"
    );
    assert!(project.calendars.iter().all(|c| c.name != "Standard"));
    assert!(project.tasks.len() >= 60, "{} tasks", project.tasks.len());
    assert_eq!(project.resources.len(), 8);
    assert_eq!(parsed.source_map.tasks.len(), project.tasks.len());
    assert_eq!(parsed.source_map.links.len(), project.links.len());

    // Six phases at the top, each ending with a client gate that has a deadline.
    let phases: Vec<&str> = project
        .tasks
        .iter()
        .filter(|t| t.parent.is_none())
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        phases,
        [
            "Initiation",
            "Analysis and design",
            "Build",
            "Test",
            "Deployment",
            "Closure"
        ]
    );
    let gates: Vec<&str> = project
        .tasks
        .iter()
        .filter(|t| t.milestone && t.deadline.is_some())
        .map(|t| t.uid.as_str())
        .collect();
    assert_eq!(gates, ["g1", "g2", "g3", "g4", "g5", "g6"]);

    // The features the example is there to show.
    let kinds: Vec<LinkKind> = project.links.iter().map(|l| l.kind).collect();
    for kind in [
        LinkKind::FinishToStart,
        LinkKind::StartToStart,
        LinkKind::FinishToFinish,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?} link");
    }
    assert!(
        project
            .links
            .iter()
            .any(|l| matches!(l.lag, Lag::Working(m) if m < 0))
    );
    assert!(
        project
            .links
            .iter()
            .any(|l| matches!(l.lag, Lag::Elapsed(_)))
    );
    assert!(
        project
            .links
            .iter()
            .any(|l| matches!(l.lag, Lag::Percent(_)))
    );
    assert!(
        project
            .tasks
            .iter()
            .any(|t| t.task_type == TaskType::FixedDuration)
    );
    assert!(
        project
            .tasks
            .iter()
            .any(|t| t.constraint.kind != ConstraintKind::AsSoonAsPossible)
    );
    assert!(project.tasks.iter().any(|t| !t.notes.is_empty()));
    assert!(
        project.resources.iter().all(|r| r.calendar.is_some()),
        "everyone has vacations"
    );
}

#[test]
fn the_example_has_no_link_inside_a_summary() {
    let project = parse_ok(EXAMPLE).project;
    let ancestors = |mut id: regie_core::TaskId| {
        let mut list = Vec::new();
        while let Some(parent) = project.task(id).parent {
            list.push(parent);
            id = parent;
        }
        list
    };
    for link in &project.links {
        assert!(!ancestors(link.succ).contains(&link.pred));
        assert!(!ancestors(link.pred).contains(&link.succ));
    }
}

#[test]
fn the_example_schedules_over_seven_to_nine_months() {
    let project = parse_ok(EXAMPLE).project;
    let schedule = match regie_core::schedule(&project) {
        Ok(schedule) => schedule,
        Err(error) => panic!("the example does not schedule: {error}"),
    };
    let finish = regie_core::time::format_minute(schedule.finish);
    assert!(
        ("2027-08-01".."2027-10-31").contains(&finish.as_str()),
        "finishes {finish}"
    );
}

#[test]
fn the_documented_example_parses_and_round_trips() {
    let doc = include_str!("../../../../docs/project-file.md");
    let start = doc
        .find("```kdl\nproject")
        .expect("a complete example in the docs")
        + 7;
    let end = start + doc[start..].find("```").expect("the end of the example");
    let project = parse_ok(&doc[start..end]).project;
    assert_eq!(project.tasks.len(), 5);
    let printed = regie_lang::print(&project);
    assert_eq!(parse_ok(&printed).project, project);
}
