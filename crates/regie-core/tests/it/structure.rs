//! The shape of the answer: cycles spelled out, summaries rolled up, critical chains.

use jiff::civil::datetime;
use regie_core::{
    Duration, Lag, Link, LinkKind, Project, ScheduleError, Task, TaskId, schedule,
    time::format_minute,
};

fn project(tasks: &[(&str, Option<usize>, i64)], links: &[(usize, usize)]) -> Project {
    let mut project = Project::new("Test", datetime(2027, 1, 4, 8, 0, 0, 0));
    for &(name, parent, days) in tasks {
        let mut task = Task::new(name, name);
        task.parent = parent.map(|p| TaskId(p as u32));
        task.duration = Duration::working(days * 480);
        task.milestone = days == 0;
        project.tasks.push(task);
    }
    for &(pred, succ) in links {
        project.links.push(Link {
            pred: TaskId(pred as u32),
            succ: TaskId(succ as u32),
            kind: LinkKind::FinishToStart,
            lag: Lag::Working(0),
        });
    }
    project
}

#[test]
fn a_cycle_is_reported_with_the_task_names_in_order() {
    let p = project(
        &[
            ("Design", None, 2),
            ("Build", None, 3),
            ("Test", None, 1),
            ("Docs", None, 1),
        ],
        &[(0, 1), (1, 2), (2, 0), (2, 3)],
    );
    let error = schedule(&p).unwrap_err();
    assert_eq!(
        error.to_string(),
        "dependency cycle: Design → Build → Test → Design"
    );
    let ScheduleError::Cycle { tasks, .. } = error else {
        panic!("expected a cycle")
    };
    assert_eq!(tasks, vec![TaskId(0), TaskId(1), TaskId(2), TaskId(0)]);
}

#[test]
fn a_link_from_a_summary_to_its_own_subtask_is_a_cycle() {
    let p = project(&[("Phase", None, 0), ("Inside", Some(0), 2)], &[(0, 1)]);
    let error = schedule(&p).unwrap_err();
    assert_eq!(
        error.to_string(),
        "dependency cycle: Phase → Inside → Phase"
    );
}

#[test]
fn summaries_roll_up_and_links_into_a_summary_hold_for_every_child() {
    // Prep (2d) → Phase { A (3d), B (1d) } → Close (milestone)
    let p = project(
        &[
            ("Prep", None, 2),
            ("Phase", None, 0),
            ("A", Some(1), 3),
            ("B", Some(1), 1),
            ("Close", None, 0),
        ],
        &[(0, 1), (1, 4)],
    );
    let s = schedule(&p).unwrap();
    let dates = |i: usize| {
        let t = s.task(TaskId(i as u32));
        (format_minute(t.start), format_minute(t.finish))
    };
    assert_eq!(
        dates(0),
        ("2027-01-04T08:00".into(), "2027-01-05T17:00".into())
    );
    assert_eq!(
        dates(2),
        ("2027-01-06T08:00".into(), "2027-01-08T17:00".into())
    );
    assert_eq!(
        dates(3),
        ("2027-01-06T08:00".into(), "2027-01-06T17:00".into())
    );
    assert_eq!(
        dates(1),
        ("2027-01-06T08:00".into(), "2027-01-08T17:00".into())
    );
    // The milestone sits at the summary's finish, Friday 17:00, not Monday 08:00.
    assert_eq!(
        dates(4),
        ("2027-01-08T17:00".into(), "2027-01-08T17:00".into())
    );
    // B can slip two days inside the phase.
    assert_eq!(s.task(TaskId(3)).total_float, 2 * 480);
    assert_eq!(s.task(TaskId(3)).free_float, 2 * 480);
    assert!(!s.task(TaskId(3)).critical);
    assert_eq!(
        s.critical_paths(&p),
        vec![vec![TaskId(0), TaskId(2), TaskId(4)]]
    );
}

#[test]
fn a_model_with_a_dangling_reference_is_refused_not_indexed() {
    let mut p = project(&[("A", None, 1)], &[]);
    p.links.push(Link {
        pred: TaskId(0),
        succ: TaskId(7),
        kind: LinkKind::FinishToStart,
        lag: Lag::Working(0),
    });
    assert!(matches!(schedule(&p), Err(ScheduleError::Model(_))));
    let mut p = project(&[("A", None, 1), ("B", None, 1)], &[]);
    p.tasks[0].parent = Some(TaskId(1));
    assert!(matches!(schedule(&p), Err(ScheduleError::Model(_))));
    let mut p = project(&[("A", None, 1)], &[]);
    p.tasks[0].calendar = Some(regie_core::CalendarId(3));
    assert!(matches!(schedule(&p), Err(ScheduleError::Model(_))));
}

fn dates(s: &regie_core::Schedule, i: u32) -> (String, String) {
    let t = s.task(TaskId(i));
    (format_minute(t.start), format_minute(t.finish))
}

#[test]
fn actuals_are_facts_the_links_do_not_move() {
    // A (3d) → B (2d) → C (1d). B really started on Thursday, before A finished; C is done.
    let mut p = project(
        &[("A", None, 3), ("B", None, 2), ("C", None, 1)],
        &[(0, 1), (1, 2)],
    );
    p.tasks[1].progress.actual_start = Some(datetime(2027, 1, 5, 8, 0, 0, 0));
    p.tasks[1].progress.percent_complete = 50;
    p.tasks[2].progress.actual_start = Some(datetime(2027, 1, 4, 8, 0, 0, 0));
    p.tasks[2].progress.actual_finish = Some(datetime(2027, 1, 4, 17, 0, 0, 0));
    p.tasks[2].progress.percent_complete = 100;
    let s = schedule(&p).unwrap();
    assert_eq!(
        dates(&s, 1),
        ("2027-01-05T08:00".into(), "2027-01-06T17:00".into())
    );
    assert_eq!(
        dates(&s, 2),
        ("2027-01-04T08:00".into(), "2027-01-04T17:00".into())
    );
    // A finished task with only its finish recorded ran its duration up to it.
    let mut p = project(&[("A", None, 2)], &[]);
    p.tasks[0].progress.actual_finish = Some(datetime(2027, 1, 8, 17, 0, 0, 0));
    let s = schedule(&p).unwrap();
    assert_eq!(
        dates(&s, 0),
        ("2027-01-07T08:00".into(), "2027-01-08T17:00".into())
    );
}

#[test]
fn a_manual_task_stays_where_it_was_put_and_its_successors_follow() {
    let mut p = project(
        &[("A", None, 3), ("Manual", None, 2), ("After", None, 1)],
        &[(0, 1), (1, 2)],
    );
    p.tasks[1].manual = Some(regie_core::ManualDates {
        start: datetime(2027, 1, 4, 8, 0, 0, 0),
        finish: datetime(2027, 1, 12, 17, 0, 0, 0),
    });
    let s = schedule(&p).unwrap();
    assert_eq!(
        dates(&s, 1),
        ("2027-01-04T08:00".into(), "2027-01-12T17:00".into())
    );
    assert_eq!(
        dates(&s, 2),
        ("2027-01-13T08:00".into(), "2027-01-13T17:00".into())
    );
}

#[test]
fn a_split_task_pauses_and_its_pauses_move_with_it() {
    // A (2d) → B (3d, paused for a day after one day of work) → C (1d).
    let mut p = project(
        &[("A", None, 2), ("B", None, 3), ("C", None, 1)],
        &[(0, 1), (1, 2)],
    );
    p.tasks[1].splits = vec![regie_core::Split {
        after: 480,
        pause: 480,
    }];
    let s = schedule(&p).unwrap();
    // Wednesday worked, Thursday off, Friday and Monday worked.
    assert_eq!(
        dates(&s, 1),
        ("2027-01-06T08:00".into(), "2027-01-11T17:00".into())
    );
    assert_eq!(
        dates(&s, 2),
        ("2027-01-12T08:00".into(), "2027-01-12T17:00".into())
    );
    // When A slips a day, the pause still comes after B's first day.
    p.tasks[0].duration = Duration::working(3 * 480);
    let s = schedule(&p).unwrap();
    assert_eq!(
        dates(&s, 1),
        ("2027-01-07T08:00".into(), "2027-01-12T17:00".into())
    );

    // A pause must be inside the work, in order, and last some time.
    p.tasks[1].splits = vec![
        regie_core::Split {
            after: 960,
            pause: 480,
        },
        regie_core::Split {
            after: 480,
            pause: 480,
        },
    ];
    let error = schedule(&p).unwrap_err();
    assert_eq!(
        error.to_string(),
        "task \"B\" has a pause that is empty, out of order or in an elapsed duration"
    );
}

#[test]
fn uncompleted_work_is_rescheduled_after_the_status_date() {
    // A (5d) started Monday, 40% done: two days of work. Friday evening is the status date.
    // B (2d) follows A; C (1d) and the milestone M wait for nothing; D is done.
    let mut p = project(
        &[
            ("A", None, 5),
            ("B", None, 2),
            ("C", None, 1),
            ("D", None, 1),
            ("M", None, 0),
        ],
        &[(0, 1)],
    );
    p.status_date = Some(datetime(2027, 1, 8, 17, 0, 0, 0));
    p.tasks[0].progress.actual_start = Some(datetime(2027, 1, 4, 8, 0, 0, 0));
    p.tasks[0].progress.percent_complete = 40;
    p.tasks[3].progress.actual_start = Some(datetime(2027, 1, 4, 8, 0, 0, 0));
    p.tasks[3].progress.actual_finish = Some(datetime(2027, 1, 4, 17, 0, 0, 0));
    p.tasks[3].progress.percent_complete = 100;
    let before = schedule(&p).unwrap();
    assert_eq!(dates(&before, 0).1, "2027-01-08T17:00");
    assert_eq!(dates(&before, 2).0, "2027-01-04T08:00");

    let (moved, changes) = regie_core::progress::reschedule_after_status(&p).unwrap();
    assert_eq!(changes.paused, [(0, 3 * 480)]);
    assert_eq!(changes.held, [1, 2, 4]);
    let after = schedule(&moved).unwrap();
    // A keeps its actual start and two days done, waits Wednesday to Friday, and its last
    // three days run from Monday.
    assert_eq!(
        dates(&after, 0),
        ("2027-01-04T08:00".into(), "2027-01-13T17:00".into())
    );
    assert_eq!(
        dates(&after, 1),
        ("2027-01-14T08:00".into(), "2027-01-15T17:00".into())
    );
    assert_eq!(
        dates(&after, 2),
        ("2027-01-11T08:00".into(), "2027-01-11T17:00".into())
    );
    assert_eq!(dates(&after, 3), dates(&before, 3));
    // Ahead of the status date already: nothing to do.
    let (again, changes) = regie_core::progress::reschedule_after_status(&moved).unwrap();
    assert_eq!(changes, Default::default());
    assert_eq!(again, moved);

    p.status_date = None;
    assert_eq!(
        regie_core::progress::reschedule_after_status(&p)
            .unwrap_err()
            .to_string(),
        "the project has no status date to reschedule the remaining work after"
    );
}

/// Calendar indexes kept between schedules give the same dates, and a changed calendar is
/// indexed again, never answered from the old one.
#[test]
fn a_kept_calendar_cache_gives_the_same_schedules() {
    let mut cache = regie_core::calendar::IndexCache::for_a_growing_plan();
    let mut p = project(&[("A", None, 3), ("B", None, 2)], &[(0, 1)]);
    assert_eq!(
        regie_core::schedule_with(&p, &mut cache).unwrap(),
        schedule(&p).unwrap()
    );
    // A holiday on Wednesday: B, which started then, now starts on Thursday.
    p.calendars[0]
        .exceptions
        .push(regie_core::calendar::Exception {
            name: "Holiday".into(),
            dates: regie_core::calendar::DateRule::Range {
                from: jiff::civil::date(2027, 1, 6),
                to: jiff::civil::date(2027, 1, 6),
            },
            shifts: Vec::new(),
        });
    let with_cache = regie_core::schedule_with(&p, &mut cache).unwrap();
    assert_eq!(with_cache, schedule(&p).unwrap());
    assert_eq!(dates(&with_cache, 0).1, "2027-01-07T17:00");
    // A plan pushed years out runs past the first index: indexed further, same answer.
    p.tasks[1].duration = Duration::working(4000 * 480);
    assert_eq!(
        regie_core::schedule_with(&p, &mut cache).unwrap(),
        schedule(&p).unwrap()
    );
}
