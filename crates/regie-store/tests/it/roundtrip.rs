//! A whole project saved and loaded back is the same model.

use jiff::civil::{date, datetime};
use regie_core::calendar::{Calendar, DateRule, Exception, Shift, YearlyDay};
use regie_core::{
    Anchor, Assignment, CalendarId, ConstraintKind, Duration, Lag, Link, LinkKind, ManualDates,
    Money, Project, Resource, ResourceId, ResourceKind, Split, Task, TaskId, TaskType,
};
use regie_store::{Backend, Page, StoreError, dialect};

use crate::on_both;
use crate::support::{TestDb, example};

on_both!(
    example_round_trip,
    every_field_round_trips,
    duplicate_project_name,
    list_projects_pages,
    delete_project
);

#[test]
fn both_dialects_have_the_same_migration_versions() {
    assert_eq!(
        dialect::migration_versions(Backend::Sqlite),
        dialect::migration_versions(Backend::Postgres)
    );
}

async fn example_round_trip(db: &TestDb) {
    let project = example();
    let id = db.store.create_project(&project, None).await.unwrap();
    let loaded = db.store.load_project(id).await.unwrap();
    assert_eq!(loaded.summary.version, 1);
    assert_eq!(loaded.summary.name, project.name);
    assert_eq!(loaded.project, project);
    // The engine gives the same schedule for the loaded model.
    assert_eq!(
        regie_core::schedule(&loaded.project),
        regie_core::schedule(&project)
    );
}

/// A model that sets what the example leaves at its defaults.
pub fn kitchen_sink() -> Project {
    let mut project = Project::new("Kitchen sink", datetime(2027, 3, 1, 9, 30, 0, 0));
    project.anchor = Anchor::Finish(datetime(2027, 12, 17, 17, 0, 0, 0));
    project.time_zone = "America/New_York".into();
    project.currency = "USD".into();
    project.status_date = Some(datetime(2027, 6, 1, 0, 0, 0, 0));
    project.units.minutes_per_day = 450;
    project.units.minutes_per_week = 2250;
    project.units.days_per_month = 21;
    project.honor_constraints = false;
    let mut base = Calendar::standard("Company");
    base.uid = "company".into();
    base.exceptions = vec![
        Exception {
            name: "Thanksgiving".into(),
            dates: DateRule::Yearly {
                month: 11,
                day: YearlyDay::Nth {
                    n: 4,
                    weekday: jiff::civil::Weekday::Thursday,
                },
                from_year: Some(2020),
                to_year: None,
            },
            shifts: vec![],
        },
        Exception {
            name: "Last Friday of August".into(),
            dates: DateRule::Yearly {
                month: 8,
                day: YearlyDay::Nth {
                    n: -1,
                    weekday: jiff::civil::Weekday::Friday,
                },
                from_year: None,
                to_year: Some(2030),
            },
            shifts: vec![Shift::new(8, 0, 12, 0)],
        },
        Exception {
            name: "Summer Fridays".into(),
            dates: DateRule::Weekly {
                weekdays: vec![jiff::civil::Weekday::Friday, jiff::civil::Weekday::Monday],
                from: date(2027, 7, 1),
                to: date(2027, 8, 31),
            },
            shifts: vec![],
        },
    ];
    // Calendar 0 derives from calendar 2, declared later: bases may point forward.
    let mut derived = Calendar::derived("Night shift", CalendarId(2));
    derived.week[6] = Some(vec![Shift::new(22, 0, 24, 0)]);
    derived.exceptions.push(Exception {
        name: "Stocktake".into(),
        dates: DateRule::Range {
            from: date(2027, 9, 1),
            to: date(2027, 9, 3),
        },
        shifts: vec![Shift::new(0, 0, 6, 0), Shift::new(22, 0, 24, 0)],
    });
    project.calendars = vec![derived, Calendar::twenty_four_hours("24h"), base];
    project.calendar = CalendarId(2);

    let mut summary = Task::new("1", "Phase with notes");
    summary.notes = "Line one\nLine \"two\" — with ünïcode".into();
    let mut leaf = Task::new("1.1", "Elapsed, fixed work, must finish on");
    leaf.parent = Some(TaskId(0));
    leaf.duration = Duration::elapsed(3 * 1440);
    leaf.work = Some(1234);
    leaf.task_type = TaskType::FixedWork;
    leaf.effort_driven = false;
    leaf.constraint.kind = ConstraintKind::MustFinishOn;
    leaf.constraint.date = Some(datetime(2027, 4, 2, 17, 0, 0, 0));
    leaf.deadline = Some(datetime(2027, 4, 9, 17, 0, 0, 0));
    leaf.priority = 1000;
    leaf.calendar = Some(CalendarId(1));
    leaf.progress.percent_complete = 40;
    leaf.progress.actual_start = Some(datetime(2027, 3, 30, 8, 0, 0, 0));
    let mut manual = Task::new("1.2", "Manual, finished");
    manual.parent = Some(TaskId(0));
    manual.duration = Duration::working(600);
    manual.task_type = TaskType::FixedDuration;
    manual.splits = vec![
        Split {
            after: 0,
            pause: 960,
        },
        Split {
            after: 300,
            pause: 60,
        },
    ];
    manual.manual = Some(ManualDates {
        start: datetime(2027, 5, 3, 8, 0, 0, 0),
        finish: datetime(2027, 5, 4, 12, 0, 0, 0),
    });
    manual.progress.percent_complete = 100;
    manual.progress.actual_start = Some(datetime(2027, 5, 3, 8, 0, 0, 0));
    manual.progress.actual_finish = Some(datetime(2027, 5, 4, 12, 0, 0, 0));
    let mut milestone = Task::new("2", "Milestone ALAP");
    milestone.milestone = true;
    milestone.constraint.kind = ConstraintKind::AsLateAsPossible;
    milestone.priority = 0;
    project.tasks = vec![summary, leaf, manual, milestone];
    project.links = vec![
        Link {
            pred: TaskId(1),
            succ: TaskId(2),
            kind: LinkKind::StartToFinish,
            lag: Lag::Percent(-25),
        },
        Link {
            pred: TaskId(2),
            succ: TaskId(3),
            kind: LinkKind::FinishToFinish,
            lag: Lag::Elapsed(2880),
        },
        Link {
            pred: TaskId(0),
            succ: TaskId(3),
            kind: LinkKind::StartToStart,
            lag: Lag::Working(-480),
        },
    ];
    let mut licence = Resource::new("lic", "Licences");
    licence.kind = ResourceKind::Material;
    licence.max_units = 0;
    licence.rates.standard = Money(1999);
    licence.rates.per_use = Money(5);
    let mut nightly = Resource::new("op", "Night operator");
    nightly.calendar = Some(CalendarId(0));
    nightly.max_units = 300;
    nightly.rates.overtime = Money(12_345);
    nightly.email = Some("op@example.com".into());
    nightly.group = Some("Operations".into());
    let mut travel = Resource::new("travel", "Travel");
    travel.kind = ResourceKind::Cost;
    project.resources = vec![licence, nightly, travel];
    project.assignments = vec![
        Assignment {
            task: TaskId(1),
            resource: ResourceId(1),
            units: 250,
            work: Some(2000),
        },
        Assignment {
            task: TaskId(1),
            resource: ResourceId(0),
            units: 1200,
            work: None,
        },
        Assignment {
            task: TaskId(2),
            resource: ResourceId(2),
            units: 100,
            work: None,
        },
    ];
    project
        .validate()
        .expect("the kitchen sink is a valid model");
    project
}

async fn every_field_round_trips(db: &TestDb) {
    let project = kitchen_sink();
    let id = db.store.create_project(&project, None).await.unwrap();
    let loaded = db.store.load_project(id).await.unwrap();
    assert_eq!(loaded.project, project);
}

async fn duplicate_project_name(db: &TestDb) {
    let project = kitchen_sink();
    db.store.create_project(&project, None).await.unwrap();
    let error = db.store.create_project(&project, None).await.unwrap_err();
    assert!(matches!(error, StoreError::Conflict(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "a project named \"Kitchen sink\" already exists"
    );
    // The failed save left nothing behind: one project, one audit row.
    let all = db.store.list_projects(Page::first(10)).await.unwrap();
    assert_eq!(all.len(), 1);
}

async fn list_projects_pages(db: &TestDb) {
    let mut project = kitchen_sink();
    for name in ["e", "c", "a", "d", "b"] {
        project.name = name.into();
        db.store.create_project(&project, None).await.unwrap();
    }
    let page = |offset, limit| async move {
        db.store
            .list_projects(Page { offset, limit })
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(page(0, 2).await, ["a", "b"]);
    assert_eq!(page(2, 2).await, ["c", "d"]);
    assert_eq!(page(4, 2).await, ["e"]);
    assert!(page(6, 2).await.is_empty());
    // Nonsense paging is clamped, not an error.
    assert_eq!(page(-5, 1).await, ["a"]);
    assert!(page(0, -1).await.is_empty());
    let id = db.store.find_project("c").await.unwrap().unwrap();
    assert_eq!(db.store.project_version(id).await.unwrap(), 1);
    assert_eq!(db.store.find_project("zzz").await.unwrap(), None);
}

async fn delete_project(db: &TestDb) {
    let id = db.store.create_project(&example(), None).await.unwrap();
    let kept = db
        .store
        .create_project(&kitchen_sink(), None)
        .await
        .unwrap();
    let error = db.store.delete_project(id, 7).await.unwrap_err();
    assert!(
        matches!(error, StoreError::Stale { current: 1, .. }),
        "{error:?}"
    );
    db.store.delete_project(id, 1).await.unwrap();
    assert!(matches!(
        db.store.load_project(id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        db.store.load_project(kept).await.unwrap().project,
        kitchen_sink()
    );
}
