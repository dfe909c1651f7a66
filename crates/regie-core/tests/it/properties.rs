//! Invariants of every schedule, over random networks: links hold, floats are consistent, the
//! critical tasks form chains from the start to the finish.

use proptest::prelude::*;
use regie_core::calendar::CalendarIndex;
use regie_core::generate::{SplitMix64, layered_network, shuffle_tasks};
use regie_core::time::{date_of_day, day_number, format_minute};
use regie_core::{
    ConstraintKind, Lag, LinkKind, Minute, Project, Schedule, TaskId, schedule, time::minute_of,
};

/// The random network, with some tasks wrapped in summaries and some linked to summaries.
fn network(n: usize, seed: u64, summaries: bool) -> Project {
    let mut project = layered_network(n, 2.5, seed);
    if !summaries {
        return project;
    }
    // Wrap runs of four consecutive tasks of one layer in a summary: tasks of one layer are
    // never linked to each other, so no link joins a summary and its own subtask.
    let width = (n / 150).max(1);
    if width < 4 {
        return project;
    }
    let mut rng = SplitMix64::new(seed ^ 0xABCD);
    let group_starts: Vec<bool> = (0..project.tasks.len())
        .map(|index| {
            let in_layer = index % width;
            in_layer.is_multiple_of(4) && in_layer + 4 <= width && rng.chance(50)
        })
        .collect();
    let mut tasks = Vec::new();
    let mut new_index = vec![0u32; project.tasks.len()];
    let mut summary_of_group = Vec::new();
    let mut current_summary = None;
    for (index, task) in project.tasks.iter().enumerate() {
        if group_starts[index] {
            let summary = regie_core::Task::new(format!("s{index}"), format!("Group {index}"));
            current_summary = Some((TaskId(tasks.len() as u32), index + 4));
            summary_of_group.push((tasks.len(), index / width));
            tasks.push(summary);
        }
        let mut task = task.clone();
        task.parent = match current_summary {
            Some((summary, end)) if index < end => Some(summary),
            _ => None,
        };
        new_index[index] = tasks.len() as u32;
        tasks.push(task);
    }
    for link in &mut project.links {
        link.pred = TaskId(new_index[link.pred.index()]);
        link.succ = TaskId(new_index[link.succ.index()]);
    }
    // Link a few summaries to tasks two layers on.
    for &(summary, layer) in &summary_of_group {
        let target_layer = layer + 2;
        if rng.chance(50) && (target_layer + 1) * width <= n {
            let old = target_layer * width + rng.below(width as u64) as usize;
            project.links.push(regie_core::Link {
                pred: TaskId(summary as u32),
                succ: TaskId(new_index[old]),
                kind: if rng.chance(50) {
                    LinkKind::FinishToStart
                } else {
                    LinkKind::StartToStart
                },
                lag: Lag::Working(0),
            });
        }
    }
    project.tasks = tasks;
    project
}

fn project_calendar(project: &Project, s: &Schedule) -> CalendarIndex {
    let from = date_of_day(s.start.div_euclid(1440) - 400);
    let to = date_of_day(s.finish.div_euclid(1440) + 400);
    CalendarIndex::build(&project.calendars, project.calendar, from, to).unwrap()
}

fn lagged(cal: &CalendarIndex, t: Minute, lag: Lag, pred_length: i64) -> Minute {
    match lag {
        Lag::Working(m) => cal.add(t, m),
        Lag::Elapsed(m) => t + m,
        Lag::Percent(p) => cal.add(t, pred_length * i64::from(p) / 100),
    }
}

/// `a` is no later than `b` in working time (Fri 17:00 and Mon 08:00 are the same point).
fn not_after(cal: &CalendarIndex, a: Minute, b: Minute) -> bool {
    a <= b || cal.work_between(b, a) == 0
}

fn check_links_hold(project: &Project, s: &Schedule) -> Result<(), String> {
    let cal = project_calendar(project, s);
    for link in &project.links {
        let (p, q) = (s.task(link.pred), s.task(link.succ));
        let length = cal.work_between(p.start, p.finish);
        let (required, actual) = match link.kind {
            LinkKind::FinishToStart => (lagged(&cal, p.finish, link.lag, length), q.start),
            LinkKind::StartToStart => (lagged(&cal, p.start, link.lag, length), q.start),
            LinkKind::FinishToFinish => (lagged(&cal, p.finish, link.lag, length), q.finish),
            LinkKind::StartToFinish => (lagged(&cal, p.start, link.lag, length), q.finish),
        };
        if !not_after(&cal, required, actual) {
            return Err(format!(
                "{} {} → {} {:?}: needs {} but got {}",
                project.task(link.pred).name,
                link.kind.code(),
                project.task(link.succ).name,
                link.lag,
                format_minute(required),
                format_minute(actual)
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_link_holds(seed in any::<u64>(), n in 20usize..400, summaries in any::<bool>()) {
        let project = network(n, seed, summaries);
        let s = schedule(&project).unwrap();
        prop_assert_eq!(check_links_hold(&project, &s), Ok(()));
    }

    #[test]
    fn floats_are_consistent(seed in any::<u64>(), n in 20usize..400, summaries in any::<bool>()) {
        let project = network(n, seed, summaries);
        let s = schedule(&project).unwrap();
        for id in project.task_ids() {
            let t = s.task(id);
            prop_assert!(t.total_float >= 0, "{}: negative float without constraints", id.0);
            prop_assert!(t.free_float <= t.total_float, "{}: free {} > total {}", id.0, t.free_float, t.total_float);
            prop_assert!(t.early_start <= t.late_start || t.total_float == 0);
            prop_assert!(t.start <= t.finish);
            prop_assert_eq!(t.critical, t.total_float <= 0);
        }
        prop_assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }

    #[test]
    fn critical_tasks_chain_from_start_to_finish(seed in any::<u64>(), n in 20usize..400) {
        // Clock lags can absorb a predecessor's float over a weekend (Wed 17:00 + 2 elapsed
        // days and Fri 17:00 + 2 both give Monday 08:00), leaving a critical task with no
        // critical driver: the chain property is about working time, so use working lags.
        let mut project = network(n, seed, false);
        for link in &mut project.links {
            if let Lag::Elapsed(m) = link.lag {
                link.lag = Lag::Working(m / 3);
            }
        }
        let s = schedule(&project).unwrap();
        let cal = project_calendar(&project, &s);
        // Every critical task starts with the project (or before it, pulled by a lead) or has
        // a critical predecessor driving it.
        let project_start = match project.anchor {
            regie_core::Anchor::Start(at) => minute_of(at),
            regie_core::Anchor::Finish(_) => s.start,
        };
        for id in project.task_ids().filter(|&id| s.task(id).critical) {
            let t = s.task(id);
            if cal.work_between(project_start, t.start) <= 0 {
                continue;
            }
            let driven = project.links.iter().filter(|l| l.succ == id).any(|l| {
                let p = s.task(l.pred);
                let length = cal.work_between(p.start, p.finish);
                let (required, actual) = match l.kind {
                    LinkKind::FinishToStart => (lagged(&cal, p.finish, l.lag, length), t.start),
                    LinkKind::StartToStart => (lagged(&cal, p.start, l.lag, length), t.start),
                    LinkKind::FinishToFinish => (lagged(&cal, p.finish, l.lag, length), t.finish),
                    LinkKind::StartToFinish => (lagged(&cal, p.start, l.lag, length), t.finish),
                };
                p.critical && cal.work_between(required, actual) == 0
            });
            prop_assert!(driven, "critical task {} has no critical driving predecessor", project.task(id).name);
        }
        // And some critical task ends the project.
        let ends = project.task_ids().any(|id| s.task(id).critical && s.task(id).finish == s.finish);
        prop_assert!(ends);
    }

    #[test]
    fn same_input_same_schedule(seed in any::<u64>(), n in 20usize..200) {
        let project = network(n, seed, true);
        prop_assert_eq!(schedule(&project).unwrap(), schedule(&project).unwrap());
    }

    #[test]
    fn constraints_hold_when_they_do_not_conflict(seed in any::<u64>(), n in 20usize..200, pick in 0usize..1000) {
        // A start-no-earlier-than constraint two months in: the task starts no earlier, and
        // nothing else breaks.
        let mut project = network(n, seed, false);
        let id = pick % project.tasks.len();
        let date = jiff::civil::datetime(2027, 3, 1, 8, 0, 0, 0);
        project.tasks[id].constraint.kind = ConstraintKind::StartNoEarlierThan;
        project.tasks[id].constraint.date = Some(date);
        let s = schedule(&project).unwrap();
        prop_assert!(s.task(TaskId(id as u32)).start >= minute_of(date));
        prop_assert_eq!(check_links_hold(&project, &s), Ok(()));
        let _ = day_number(date.date());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Listing the tasks in another order changes nothing but the order of the answer (and
    /// takes the engine off its fast path, where the outline is already topological).
    #[test]
    fn the_order_tasks_are_listed_in_does_not_matter(seed in any::<u64>(), n in 20usize..300) {
        let project = network(n, seed, false);
        let (shuffled, new_index) = shuffle_tasks(&project, seed.rotate_left(17));
        let a = schedule(&project).unwrap();
        let b = schedule(&shuffled).unwrap();
        for (old, &new) in new_index.iter().enumerate() {
            prop_assert_eq!(a.tasks[old], b.tasks[new as usize]);
        }
    }
}
