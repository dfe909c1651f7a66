//! Granular changes: each applied to the store and to an in-memory copy of the model, and the
//! loaded project must equal the copy. Plus optimistic concurrency, the audit log and rollback.

use jiff::civil::{date, datetime};
use regie_core::calendar::{Calendar, DateRule, Exception, Shift};
use regie_core::{
    Assignment, CalendarId, Lag, Link, LinkKind, Project, Resource, ResourceId, Split, Task, TaskId,
};
use regie_store::{AuditQuery, Change, NewUser, Page, ProjectId, ProjectSettings, StoreError};

use crate::on_both;
use crate::support::{TestDb, example};

on_both!(
    changes_match_the_model,
    stale_version_is_refused,
    audit_rows_hold_old_and_new_values,
    failed_change_leaves_nothing,
    refused_changes_name_the_thing,
    replacing_a_whole_project
);

fn index_of(project: &Project, uid: &str) -> usize {
    project.tasks.iter().position(|t| t.uid == uid).unwrap()
}

/// Inserts `task` at `at` in the model, shifting every task reference at or after it.
fn insert_task(project: &mut Project, at: usize, task: Task) {
    let shift = |id: &mut TaskId| {
        if id.index() >= at {
            id.0 += 1;
        }
    };
    for t in &mut project.tasks {
        if let Some(parent) = &mut t.parent {
            shift(parent);
        }
    }
    for link in &mut project.links {
        shift(&mut link.pred);
        shift(&mut link.succ);
    }
    for a in &mut project.assignments {
        shift(&mut a.task);
    }
    project.tasks.insert(at, task);
}

/// Removes task `at` (a leaf) with its links and assignments.
fn remove_task(project: &mut Project, at: usize) {
    project
        .links
        .retain(|l| l.pred.index() != at && l.succ.index() != at);
    project.assignments.retain(|a| a.task.index() != at);
    project.tasks.remove(at);
    let shift = |id: &mut TaskId| {
        if id.index() > at {
            id.0 -= 1;
        }
    };
    for t in &mut project.tasks {
        if let Some(parent) = &mut t.parent {
            shift(parent);
        }
    }
    for link in &mut project.links {
        shift(&mut link.pred);
        shift(&mut link.succ);
    }
    for a in &mut project.assignments {
        shift(&mut a.task);
    }
}

/// The index after the last task of `parent`'s subtree.
fn subtree_end(project: &Project, parent: usize) -> usize {
    let is_under = |mut i: usize| loop {
        match project.tasks[i].parent {
            Some(p) if p.index() == parent => return true,
            Some(p) => i = p.index(),
            None => return false,
        }
    };
    let mut end = parent + 1;
    while end < project.tasks.len() && is_under(end) {
        end += 1;
    }
    end
}

fn is_under(project: &Project, mut i: usize, ancestor: usize) -> bool {
    while let Some(parent) = project.tasks[i].parent {
        if parent.index() == ancestor {
            return true;
        }
        i = parent.index();
    }
    false
}

/// Moves task `uid` and its subtree just before task `before` or to the end of `parent`'s
/// subtree (or to the end), remapping every task reference: what `Change::MoveTask` should do
/// to the model.
fn move_subtree(project: &mut Project, uid: &str, parent: Option<&str>, before: Option<&str>) {
    let start = index_of(project, uid);
    let end = subtree_end(project, start);
    let mut order: Vec<usize> = (0..project.tasks.len()).collect();
    let moved: Vec<usize> = order.drain(start..end).collect();
    let before = before.map(|before| index_of(project, before));
    let at = match (before, parent) {
        (Some(before), _) => order.iter().position(|&i| i == before).unwrap(),
        (None, None) => order.len(),
        (None, Some(parent)) => {
            let p = index_of(project, parent);
            let mut at = order.iter().position(|&i| i == p).unwrap() + 1;
            while at < order.len() && is_under(project, order[at], p) {
                at += 1;
            }
            at
        }
    };
    order.splice(at..at, moved);
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let remap = |id: &mut TaskId| id.0 = new_index[id.index()] as u32;
    let mut tasks: Vec<Task> = order
        .iter()
        .map(|&old| project.tasks[old].clone())
        .collect();
    for task in &mut tasks {
        if let Some(p) = &mut task.parent {
            remap(p);
        }
    }
    tasks[new_index[start]].parent = parent.map(|p| TaskId(new_index[index_of(project, p)] as u32));
    for link in &mut project.links {
        remap(&mut link.pred);
        remap(&mut link.succ);
    }
    for a in &mut project.assignments {
        remap(&mut a.task);
    }
    project.tasks = tasks;
}

async fn check(db: &TestDb, id: ProjectId, version: i64, expected: &Project) {
    let loaded = db.store.load_project(id).await.unwrap();
    assert_eq!(loaded.summary.version, version);
    assert_eq!(&loaded.project, expected);
}

async fn changes_match_the_model(db: &TestDb) {
    let mut model = example();
    let id = db.store.create_project(&model, None).await.unwrap();
    let mut version = 1;
    let store = &db.store;

    // Update a leaf: every field but its parent.
    let i = index_of(&model, "stakeholders");
    let mut task = model.tasks[i].clone();
    task.name = "Stakeholder interviews (extended)".into();
    task.notes = "Two more sites".into();
    task.progress.percent_complete = 35;
    task.progress.actual_start = Some(datetime(2027, 1, 6, 8, 0, 0, 0));
    task.splits = vec![Split {
        after: 960,
        pause: 480,
    }];
    task.calendar = Some(CalendarId(2));
    task.priority = 900;
    version = store
        .apply(
            id,
            version,
            None,
            &[Change::UpdateTask {
                uid: "stakeholders".into(),
                task: task.clone(),
            }],
        )
        .await
        .unwrap();
    model.tasks[i] = task;
    check(db, id, version, &model).await;

    // Add a task under "init": it goes after init's whole subtree, before the next phase.
    let parent = index_of(&model, "init");
    let mut new_task = Task::new("init-extra", "Extra workshop");
    new_task.duration = regie_core::Duration::working(960);
    new_task.calendar = Some(CalendarId(1));
    version = store
        .apply(
            id,
            version,
            None,
            &[Change::AddTask {
                task: new_task.clone(),
                parent: Some("init".into()),
                before: None,
            }],
        )
        .await
        .unwrap();
    let at = subtree_end(&model, parent);
    new_task.parent = Some(TaskId(parent as u32));
    insert_task(&mut model, at, new_task);
    check(db, id, version, &model).await;

    // A top-level task goes last.
    let top = Task::new("closing-party", "Closing party");
    version = store
        .apply(
            id,
            version,
            None,
            &[Change::AddTask {
                task: top.clone(),
                parent: None,
                before: None,
            }],
        )
        .await
        .unwrap();
    model.tasks.push(top);
    check(db, id, version, &model).await;

    // Several changes in one transaction: a link, a resource, an assignment, a calendar.
    let mut resource = Resource::new("zoe", "Zoé Durand");
    resource.rates.standard = regie_core::Money(9_050);
    resource.calendar = Some(CalendarId(0));
    let mut calendar = Calendar::derived("Zoé", CalendarId(0));
    calendar.uid = "zoe-cal".into();
    calendar.exceptions.push(Exception {
        name: "Vacation".into(),
        dates: DateRule::Range {
            from: date(2027, 2, 1),
            to: date(2027, 2, 5),
        },
        shifts: vec![],
    });
    let before = version;
    version = store
        .apply(
            id,
            version,
            None,
            &[
                Change::AddLink {
                    pred: "init-extra".into(),
                    succ: "closing-party".into(),
                    kind: LinkKind::StartToStart,
                    lag: Lag::Elapsed(1440),
                },
                Change::AddCalendar(calendar.clone()),
                Change::AddResource(resource.clone()),
                Change::AddAssignment {
                    task: "init-extra".into(),
                    resource: "zoe".into(),
                    units: 50,
                    work: Some(480),
                },
            ],
        )
        .await
        .unwrap();
    assert_eq!(version, before + 1, "one transaction, one version");
    model.links.push(Link {
        pred: TaskId(index_of(&model, "init-extra") as u32),
        succ: TaskId(index_of(&model, "closing-party") as u32),
        kind: LinkKind::StartToStart,
        lag: Lag::Elapsed(1440),
    });
    model.calendars.push(calendar);
    model.resources.push(resource.clone());
    model.assignments.push(Assignment {
        task: TaskId(index_of(&model, "init-extra") as u32),
        resource: ResourceId(model.resources.len() as u32 - 1),
        units: 50,
        work: Some(480),
    });
    check(db, id, version, &model).await;

    // Update and delete links and assignments.
    version = store
        .apply(
            id,
            version,
            None,
            &[
                Change::UpdateLink {
                    pred: "init-extra".into(),
                    succ: "closing-party".into(),
                    kind: LinkKind::FinishToStart,
                    lag: Lag::Percent(50),
                },
                Change::UpdateAssignment {
                    task: "init-extra".into(),
                    resource: "zoe".into(),
                    units: 100,
                    work: None,
                },
            ],
        )
        .await
        .unwrap();
    let link = model.links.last_mut().unwrap();
    link.kind = LinkKind::FinishToStart;
    link.lag = Lag::Percent(50);
    let assignment = model.assignments.last_mut().unwrap();
    assignment.units = 100;
    assignment.work = None;
    check(db, id, version, &model).await;

    // Update a resource (rename it) and a calendar.
    let r = model.resources.len() - 1;
    resource.uid = "zoe.durand".into();
    resource.max_units = 50;
    resource.email = Some("zoe@example.com".into());
    let c = model.calendars.len() - 1;
    let mut calendar = model.calendars[c].clone();
    calendar.week[4] = Some(vec![Shift::new(9, 0, 13, 0)]);
    calendar.exceptions.clear();
    version = store
        .apply(
            id,
            version,
            None,
            &[
                Change::UpdateResource {
                    uid: "zoe".into(),
                    resource: resource.clone(),
                },
                Change::UpdateCalendar {
                    id: CalendarId(c as u32),
                    calendar: calendar.clone(),
                },
            ],
        )
        .await
        .unwrap();
    model.resources[r] = resource;
    model.calendars[c] = calendar;
    check(db, id, version, &model).await;

    // Delete a task that has links and assignments: they go with it.
    let k = index_of(&model, "kickoff");
    assert!(model.links.iter().any(|l| l.pred.index() == k));
    assert!(model.assignments.iter().any(|a| a.task.index() == k));
    version = store
        .apply(
            id,
            version,
            None,
            &[Change::DeleteTask {
                uid: "kickoff".into(),
            }],
        )
        .await
        .unwrap();
    remove_task(&mut model, k);
    check(db, id, version, &model).await;

    // Delete a resource with its assignments, then a link and an assignment by name.
    let claire = model
        .resources
        .iter()
        .position(|r| r.uid == "claire")
        .unwrap();
    version = store
        .apply(
            id,
            version,
            None,
            &[Change::DeleteResource {
                uid: "claire".into(),
            }],
        )
        .await
        .unwrap();
    model.assignments.retain(|a| a.resource.index() != claire);
    model.resources.remove(claire);
    for a in &mut model.assignments {
        if a.resource.index() > claire {
            a.resource.0 -= 1;
        }
    }
    check(db, id, version, &model).await;
    version = store
        .apply(
            id,
            version,
            None,
            &[
                Change::DeleteLink {
                    pred: "init-extra".into(),
                    succ: "closing-party".into(),
                },
                Change::DeleteAssignment {
                    task: "init-extra".into(),
                    resource: "zoe.durand".into(),
                },
            ],
        )
        .await
        .unwrap();
    model.links.pop();
    model.assignments.pop();
    check(db, id, version, &model).await;

    // Move a leaf to another phase, a summary with its subtree to the top level, and back; then
    // to places before a sibling: first under a parent, first at the top level, back in the
    // middle of a phase, and a reorder among siblings.
    for (uid, parent, before) in [
        ("governance", Some("design"), None),
        ("as-is", None, None),
        ("as-is", Some("init"), None),
        ("as-is", Some("design"), Some("requirements")),
        ("charter", None, Some("init")),
        ("charter", Some("init"), Some("stakeholders")),
        ("risk-register", Some("init"), Some("charter")),
    ] {
        version = store
            .apply(
                id,
                version,
                None,
                &[Change::MoveTask {
                    uid: uid.into(),
                    parent: parent.map(Into::into),
                    before: before.map(Into::into),
                }],
            )
            .await
            .unwrap();
        move_subtree(&mut model, uid, parent, before);
        check(db, id, version, &model).await;
    }

    // Insert a task before a sibling, at the top level and under a parent.
    for (uid, parent, before) in [
        ("preface", None, "init"),
        ("scoping", Some("init"), "stakeholders"),
    ] {
        let task = Task::new(uid, uid);
        version = store
            .apply(
                id,
                version,
                None,
                &[Change::AddTask {
                    task: task.clone(),
                    parent: parent.map(Into::into),
                    before: Some(before.into()),
                }],
            )
            .await
            .unwrap();
        let at = index_of(&model, before);
        let mut task = task;
        task.parent = model.tasks[at].parent;
        insert_task(&mut model, at, task);
        check(db, id, version, &model).await;
    }
    model.validate().unwrap();

    // Settings: the model's and the store's own.
    let client = store.create_client("Northwind Insurance").await.unwrap();
    let mut settings = ProjectSettings::of(&model);
    settings.status_date = Some(datetime(2027, 3, 1, 0, 0, 0, 0));
    settings.honor_constraints = false;
    settings.calendar = CalendarId(1);
    settings.phase = Some("build".into());
    settings.client = Some(client);
    settings.client_deadline = Some(date(2027, 9, 30));
    version = store
        .apply(id, version, None, &[Change::UpdateSettings(settings)])
        .await
        .unwrap();
    model.status_date = Some(datetime(2027, 3, 1, 0, 0, 0, 0));
    model.honor_constraints = false;
    model.calendar = CalendarId(1);
    check(db, id, version, &model).await;
    let summary = store.load_project(id).await.unwrap().summary;
    assert_eq!(summary.phase.as_deref(), Some("build"));
    assert_eq!(summary.client, Some(client));
    assert_eq!(summary.client_deadline, Some(date(2027, 9, 30)));
    // The engine still schedules what was stored.
    assert!(regie_core::schedule(&store.load_project(id).await.unwrap().project).is_ok());
}

fn rename(project: &Project, uid: &str, name: &str) -> Change {
    let mut task = project.tasks[index_of(project, uid)].clone();
    task.name = name.into();
    Change::UpdateTask {
        uid: uid.into(),
        task,
    }
}

async fn stale_version_is_refused(db: &TestDb) {
    let model = example();
    let id = db.store.create_project(&model, None).await.unwrap();
    let v2 = db
        .store
        .apply(id, 1, None, &[rename(&model, "kickoff", "First")])
        .await
        .unwrap();
    assert_eq!(v2, 2);
    // A second editor who loaded version 1 does not overwrite the first.
    let error = db
        .store
        .apply(id, 1, None, &[rename(&model, "kickoff", "Second")])
        .await
        .unwrap_err();
    match &error {
        StoreError::Stale {
            current,
            expected,
            project,
        } => {
            assert_eq!((*current, *expected), (2, 1));
            assert_eq!(project, &model.name);
        }
        other => panic!("expected Stale, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        format!(
            "project {:?} has changed: it is at version 2, the change was made at version 1",
            model.name
        )
    );
    let loaded = db.store.load_project(id).await.unwrap();
    assert_eq!(loaded.summary.version, 2);
    assert_eq!(
        loaded.project.tasks[index_of(&model, "kickoff")].name,
        "First"
    );
    // Reloaded at version 2, the change goes through.
    assert_eq!(
        db.store
            .apply(id, 2, None, &[rename(&model, "kickoff", "Second")])
            .await
            .unwrap(),
        3
    );
    // Unknown projects are not stale, they are missing.
    let missing = db
        .store
        .apply(
            ProjectId(999_999),
            1,
            None,
            &[rename(&model, "kickoff", "x")],
        )
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
}

async fn audit_rows_hold_old_and_new_values(db: &TestDb) {
    let model = example();
    let ana = db
        .store
        .create_user(&NewUser {
            login: "ana".into(),
            display_name: "Ana Lima".into(),
            ..NewUser::default()
        })
        .await
        .unwrap();
    let id = db.store.create_project(&model, Some(ana)).await.unwrap();
    let i = index_of(&model, "charter");
    let mut task = model.tasks[i].clone();
    task.progress.percent_complete = 60;
    db.store
        .apply(
            id,
            1,
            Some(ana),
            &[
                Change::UpdateTask {
                    uid: "charter".into(),
                    task,
                },
                Change::DeleteLink {
                    pred: "stakeholders".into(),
                    succ: "charter".into(),
                },
            ],
        )
        .await
        .unwrap();
    let log = db
        .store
        .audit_log(
            id,
            AuditQuery {
                page: Page::first(10),
                since_version: None,
            },
        )
        .await
        .unwrap();
    // Newest first: the link, the task, then the project's creation.
    let entries: Vec<(&str, &str, &str, i64)> = log
        .iter()
        .map(|e| {
            (
                e.entity.as_str(),
                e.entity_id.as_str(),
                e.action.as_str(),
                e.version,
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("link", "stakeholders->charter", "delete", 2),
            ("task", "charter", "update", 2),
            ("project", model.name.as_str(), "create", 1),
        ]
    );
    let task_entry = &log[1];
    assert_eq!(task_entry.user, Some(ana));
    let old = task_entry.old.as_ref().unwrap();
    let new = task_entry.new.as_ref().unwrap();
    assert_eq!(old["progress"]["percent_complete"], 0);
    assert_eq!(new["progress"]["percent_complete"], 60);
    assert_eq!(old["parent"], "init");
    assert_eq!(new["name"], old["name"]);
    let link_entry = &log[0];
    assert_eq!(link_entry.old.as_ref().unwrap()["kind"], "FS");
    assert_eq!(link_entry.new, None);
    // Listing from a version on shows only what came after it.
    let since = db
        .store
        .audit_log(
            id,
            AuditQuery {
                page: Page::first(10),
                since_version: Some(1),
            },
        )
        .await
        .unwrap();
    assert_eq!(since.len(), 2);
    let now = jiff::Timestamp::now();
    assert!(log.iter().all(|e| (now - e.at).as_secs().abs() < 600));
}

async fn failed_change_leaves_nothing(db: &TestDb) {
    let model = example();
    let id = db.store.create_project(&model, None).await.unwrap();
    // The first change is fine; the second breaks a unique constraint midway.
    let result = db
        .store
        .apply(
            id,
            1,
            None,
            &[
                rename(&model, "kickoff", "Renamed"),
                Change::AddTask {
                    task: Task::new("kickoff", "Second kickoff"),
                    parent: None,
                    before: None,
                },
            ],
        )
        .await;
    let error = result.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "a task with uid \"kickoff\" in project {:?} already exists",
            model.name
        )
    );
    // A CHECK constraint midway (percent complete over 100) rolls back as well.
    let mut over = model.tasks[index_of(&model, "charter")].clone();
    over.progress.percent_complete = 150;
    let error = db
        .store
        .apply(
            id,
            1,
            None,
            &[
                rename(&model, "kickoff", "Renamed"),
                Change::UpdateTask {
                    uid: "charter".into(),
                    task: over,
                },
            ],
        )
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Constraint(_)), "{error:?}");
    let loaded = db.store.load_project(id).await.unwrap();
    assert_eq!(loaded.summary.version, 1, "no version bump");
    assert_eq!(loaded.project, model, "no half-applied change");
    let log = db
        .store
        .audit_log(
            id,
            AuditQuery {
                page: Page::first(10),
                since_version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "no audit row of the failed changes");
}

async fn refused_changes_name_the_thing(db: &TestDb) {
    let model = example();
    let id = db.store.create_project(&model, None).await.unwrap();
    let name = &model.name;
    let cases: Vec<(Change, String)> = vec![
        (
            Change::DeleteTask { uid: "nope".into() },
            format!("task \"nope\" in project {name:?} does not exist"),
        ),
        (
            Change::DeleteTask { uid: "init".into() },
            format!("task \"init\" in project {name:?} has 6 subtask(s): delete them first"),
        ),
        (
            Change::AddLink {
                pred: "kickoff".into(),
                succ: "kickoff".into(),
                kind: LinkKind::FinishToStart,
                lag: Lag::default(),
            },
            "task \"kickoff\" cannot depend on itself".into(),
        ),
        (
            Change::AddLink {
                pred: "kickoff".into(),
                succ: "stakeholders".into(),
                kind: LinkKind::FinishToStart,
                lag: Lag::default(),
            },
            format!(
                "a link from \"kickoff\" to \"stakeholders\" in project {name:?} already exists"
            ),
        ),
        (
            Change::AddResource(Resource::new("ana", "Another Ana")),
            format!("a resource with uid \"ana\" in project {name:?} already exists"),
        ),
        (
            Change::AddAssignment {
                task: "kickoff".into(),
                resource: "claire".into(),
                units: 100,
                work: None,
            },
            format!(
                "an assignment of \"claire\" to \"kickoff\" in project {name:?} already exists"
            ),
        ),
        (
            Change::UpdateCalendar {
                id: CalendarId(42),
                calendar: Calendar::standard("x"),
            },
            format!("calendar #42 in project {name:?} does not exist"),
        ),
        (
            Change::DeleteResource { uid: "bob".into() },
            format!("resource \"bob\" in project {name:?} does not exist"),
        ),
        (
            Change::MoveTask {
                uid: "design".into(),
                parent: Some("as-is".into()),
                before: None,
            },
            "task \"design\" cannot move under \"as-is\", which is inside it".into(),
        ),
        (
            Change::MoveTask {
                uid: "charter".into(),
                parent: Some("design".into()),
                before: Some("kickoff".into()),
            },
            "task \"kickoff\" is not a child of \"design\"".into(),
        ),
        (
            Change::AddTask {
                task: Task::new("x", "X"),
                parent: None,
                before: Some("kickoff".into()),
            },
            "task \"kickoff\" is not a top-level task".into(),
        ),
        (
            Change::MoveTask {
                uid: "as-is".into(),
                parent: Some("design".into()),
                before: Some("siebel-inventory".into()),
            },
            "task \"as-is\" cannot move before \"siebel-inventory\", which is itself or inside it"
                .into(),
        ),
        (
            // Calendar 0 would derive from "cutover", which derives from calendar 0.
            Change::UpdateCalendar {
                id: CalendarId(0),
                calendar: Calendar {
                    base: Some(CalendarId(2)),
                    ..model.calendars[0].clone()
                },
            },
            format!(
                "calendar \"France standard\" in project {name:?} cannot derive from a calendar that derives from it"
            ),
        ),
    ];
    for (change, message) in cases {
        let error = db.store.apply(id, 1, None, &[change]).await.unwrap_err();
        assert_eq!(error.to_string(), message);
    }
    assert!(matches!(
        db.store.apply(id, 1, None, &[]).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(db.store.project_version(id).await.unwrap(), 1);
}

async fn replacing_a_whole_project(db: &TestDb) {
    let store = &db.store;
    let old = example();
    let id = store.create_project(&old, None).await.unwrap();
    let other = store
        .create_project(&crate::roundtrip::kitchen_sink(), None)
        .await
        .unwrap();
    let client = store.create_client("Northwind").await.unwrap();
    let mut settings = ProjectSettings::of(&old);
    settings.client = Some(client);
    let v2 = store
        .apply(id, 1, None, &[Change::UpdateSettings(settings)])
        .await
        .unwrap();

    // The plan file edited: a task renamed, a leaf removed with its links and assignments, a
    // task added, a rate changed.
    let mut new = old.clone();
    let i = index_of(&new, "charter");
    new.tasks[i].name = "Charter".into();
    let governance = index_of(&new, "governance");
    remove_task(&mut new, governance);
    new.tasks.push(Task::new("retro", "Retrospective"));
    new.resources[0].rates.standard = regie_core::Money(99_00);

    let stale = store.replace_project(id, 1, None, &new).await.unwrap_err();
    assert!(
        matches!(stale, StoreError::Stale { current: 2, .. }),
        "{stale:?}"
    );
    let mut clash = new.clone();
    clash.name = "Kitchen sink".into();
    let conflict = store
        .replace_project(id, v2, None, &clash)
        .await
        .unwrap_err();
    assert_eq!(
        conflict.to_string(),
        "a project named \"Kitchen sink\" already exists"
    );
    assert_eq!(
        store.load_project(id).await.unwrap().project,
        old,
        "nothing replaced"
    );

    let v3 = store.replace_project(id, v2, None, &new).await.unwrap();
    assert_eq!(v3, v2 + 1);
    let loaded = store.load_project(id).await.unwrap();
    assert_eq!(loaded.project, new);
    assert_eq!(
        loaded.summary.client,
        Some(client),
        "the store's own settings stay"
    );
    assert_eq!(
        store.load_project(other).await.unwrap().project,
        crate::roundtrip::kitchen_sink()
    );

    let log = store
        .audit_log(
            id,
            AuditQuery {
                page: Page::first(100),
                since_version: Some(v2),
            },
        )
        .await
        .unwrap();
    let mut rows: Vec<(String, String, String)> = log
        .iter()
        .map(|e| (e.entity.clone(), e.entity_id.clone(), e.action.clone()))
        .collect();
    rows.sort();
    let claire = old.resources[0].uid.clone();
    let mut expected: Vec<(String, String, String)> = [
        ("assignment", "claire@governance", "delete"),
        ("link", "governance->g1", "delete"),
        ("link", "kickoff->governance", "delete"),
        ("resource", claire.as_str(), "update"),
        ("task", "charter", "update"),
        ("task", "governance", "delete"),
        ("task", "retro", "create"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    expected.sort();
    assert_eq!(rows, expected);
    let charter = log.iter().find(|e| e.entity_id == "charter").unwrap();
    assert_eq!(
        charter.old.as_ref().unwrap()["name"],
        old.tasks[i].name.as_str()
    );
    assert_eq!(charter.new.as_ref().unwrap()["name"], "Charter");
}
