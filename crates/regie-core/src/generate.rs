//! Seeded generators of synthetic plans, for benchmarks and property tests.
//!
//! Deterministic for a seed, with a small built-in generator (SplitMix64) so the engine crate
//! needs no random-number dependency.

use jiff::civil::{Date, Weekday, datetime};

use crate::calendar::{Calendar, DateRule, Exception, Shift, YearlyDay};
use crate::model::{
    Assignment, CalendarId, Duration, Lag, Link, LinkKind, Project, Resource, ResourceId, Task,
    TaskId,
};
use crate::time::MINUTES_PER_DAY;

/// SplitMix64: tiny, fast, and good enough to shape test networks.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A random layered network of `n_tasks` leaf tasks (no summaries), about `links_per_task`
/// links into each task after the first layer, mixed link types and lags, on a Mon–Fri
/// 8-hour calendar with yearly holidays. About 150 layers deep whatever the size, so the plan
/// spans a few years.
pub fn layered_network(n_tasks: usize, links_per_task: f64, seed: u64) -> Project {
    let mut rng = SplitMix64::new(seed);
    let mut project = Project::new(
        format!("Layered network of {n_tasks} tasks"),
        datetime(2027, 1, 4, 8, 0, 0, 0),
    );
    add_company_holidays(&mut project.calendars[0]);

    let width = (n_tasks / 150).max(1);
    let mut layer_start: Vec<usize> = Vec::new();
    for index in 0..n_tasks {
        if index % width == 0 {
            layer_start.push(index);
        }
        let mut task = Task::new(format!("t{index}"), format!("Task {index}"));
        if rng.chance(5) {
            task.milestone = true;
        } else {
            task.duration = Duration::working(480 * (1 + rng.below(10) as i64));
        }
        project.tasks.push(task);
    }
    let extra = links_per_task - links_per_task.floor();
    for index in width..n_tasks {
        let layer = index / width;
        let mut count = links_per_task.floor() as u64;
        if (rng.below(1000) as f64) < extra * 1000.0 {
            count += 1;
        }
        for _ in 0..count {
            // Predecessors come from the one to three layers before.
            let back = 1 + rng.below(3.min(layer as u64)) as usize;
            let from_layer = layer - back;
            let first = layer_start[from_layer];
            let pred = first + rng.below(width as u64) as usize;
            let kind = match rng.below(100) {
                0..70 => LinkKind::FinishToStart,
                70..85 => LinkKind::StartToStart,
                85..95 => LinkKind::FinishToFinish,
                _ => LinkKind::StartToFinish,
            };
            let lag = match rng.below(100) {
                0..60 => Lag::Working(0),
                60..85 => Lag::Working(480 * (1 + rng.below(3) as i64)),
                85..95 => Lag::Working(-480),
                _ => Lag::Elapsed(1440 * (1 + rng.below(2) as i64)),
            };
            project.links.push(Link {
                pred: TaskId(pred as u32),
                succ: TaskId(index as u32),
                kind,
                lag,
            });
        }
    }
    project
}

/// The phases every workstream of [`realistic_plan`] goes through, in order.
const PHASES: [&str; 5] = ["Analysis", "Design", "Build", "Test", "Deployment"];

/// A plan shaped like a large IT programme, for leveling benchmarks: `n_tasks` tasks in all
/// (summaries included) in workstreams of about 500 tasks, each a summary over the five
/// [`PHASES`] (summaries over work packages of leaf tasks ending in a milestone);
/// `n_people` people in teams of eight, each workstream staffed mostly by its two teams.
///
/// Calendars are hourly and personal: the company calendar (Mon–Fri 08:00–12:00, 13:00–17:00
/// with holidays) or an early shift (06:00–14:00) or a four-day week (Mon–Thu, 9.5 h), each
/// person's own calendar deriving from one of them with two to four vacations of one to three
/// weeks a year; one person in six works part time (50 or 80%). A leaf lasts one to fifteen
/// working days, skewed short, and has one to three assignments at 25 to 100% (never more than
/// the person's maximum, so every over-allocation can be resolved by waiting). Links are
/// finish-to-start, a sixth start-to-start with a lag of one to three days, mostly to the
/// previous few tasks of the same workstream; one task in thirty also waits for a task of an
/// earlier workstream at about the same point of its progress. Every link goes from an earlier
/// to a later task in the outline, so there is no cycle. A third of the work-package milestones
/// carry a deadline a few weeks after their unleveled date, so leveling has deadlines to miss.
pub fn realistic_plan(n_tasks: usize, n_people: usize, seed: u64) -> Project {
    let mut rng = SplitMix64::new(seed);
    let mut project = Project::new(
        format!("Programme of {n_tasks} tasks and {n_people} people"),
        datetime(2027, 1, 4, 8, 0, 0, 0),
    );
    add_company_holidays(&mut project.calendars[0]);
    let company = CalendarId(0);
    let mut early = Calendar::derived("Early shift", company);
    let mut four_days = Calendar::derived("Four-day week", company);
    for day in 0..5 {
        early.week[day] = Some(vec![Shift::new(6, 0, 14, 0)]);
        four_days.week[day] = Some(match day {
            4 => Vec::new(),
            _ => vec![Shift::new(7, 30, 12, 0), Shift::new(12, 30, 17, 30)],
        });
    }
    project.calendars.push(early);
    project.calendars.push(four_days);
    let patterns = [company, CalendarId(1), CalendarId(2)];

    let n_people = n_people.max(1);
    for person in 0..n_people {
        let pattern = match rng.below(10) {
            0 => patterns[1],
            1 => patterns[2],
            _ => patterns[0],
        };
        let mut calendar = Calendar::derived(format!("Person {person}"), pattern);
        for year in 2027..=2030i16 {
            for _ in 0..2 + rng.below(3) {
                let month = 1 + rng.below(12) as i8;
                let day = 1 + rng.below(28) as i8;
                let from = Date::new(year, month, day).unwrap_or(Date::constant(2027, 7, 1));
                let days = 7 * (1 + rng.below(3) as i64) - 3;
                calendar.exceptions.push(Exception {
                    name: "Vacation".to_owned(),
                    dates: DateRule::Range {
                        from,
                        to: crate::time::date_of_day(crate::time::day_number(from) + days),
                    },
                    shifts: Vec::new(),
                });
            }
        }
        project.calendars.push(calendar);
        let mut resource = Resource::new(format!("p{person}"), format!("Person {person}"));
        resource.calendar = Some(CalendarId(project.calendars.len() as u32 - 1));
        resource.group = Some(format!("Team {}", person / 8));
        if rng.chance(17) {
            resource.max_units = if rng.chance(50) { 50 } else { 80 };
        }
        project.resources.push(resource);
    }
    let n_teams = n_people.div_ceil(8);
    let team_members = |team: usize| (team * 8)..((team + 1) * 8).min(n_people);

    let n_streams = (n_tasks / 500).max(1);
    // Leaves of each workstream in outline order, and the milestones that get deadlines.
    let mut stream_leaves: Vec<Vec<TaskId>> = vec![Vec::new(); n_streams];
    let mut with_deadline: Vec<TaskId> = Vec::new();
    let per_stream = n_tasks / n_streams;
    for stream in 0..n_streams {
        let budget = if stream + 1 == n_streams {
            n_tasks - project.tasks.len()
        } else {
            per_stream
        };
        let stream_id = push_summary(&mut project, None, format!("Workstream {}", stream + 1));
        let mut left = budget.saturating_sub(1);
        let teams = [stream % n_teams, (stream + 1) % n_teams];
        // The last leaf of every package of the previous phase and of this one.
        let (mut previous_ends, mut phase_ends): (Vec<TaskId>, Vec<TaskId>) = Default::default();
        for (phase_at, phase) in PHASES.iter().enumerate() {
            if left == 0 {
                break;
            }
            let phases_left = PHASES.len() - phase_at;
            let mut phase_budget = left / phases_left;
            if phase_at + 1 == PHASES.len() {
                phase_budget = left;
            }
            left -= phase_budget;
            if phase_budget == 0 {
                continue;
            }
            let phase_id = push_summary(
                &mut project,
                Some(stream_id),
                format!("{phase} (workstream {})", stream + 1),
            );
            let mut phase_left = phase_budget.saturating_sub(1);
            let mut package = 0;
            previous_ends = std::mem::take(&mut phase_ends)
                .into_iter()
                .chain(previous_ends)
                .collect();
            previous_ends.truncate(previous_ends.len().min(20));
            while phase_left > 0 {
                // A last lone task goes straight under the phase.
                let (parent, size) = match phase_left {
                    1 => (phase_id, 1),
                    _ => {
                        package += 1;
                        let id = push_summary(
                            &mut project,
                            Some(phase_id),
                            format!("{phase} package {package} (workstream {})", stream + 1),
                        );
                        phase_left -= 1;
                        (id, (6 + rng.below(10) as usize).min(phase_left))
                    }
                };
                let mut in_package: Vec<TaskId> = Vec::new();
                for at in 0..size {
                    let index = project.tasks.len();
                    let last = at + 1 == size;
                    let mut task = Task::new(format!("t{index}"), format!("Task {index}"));
                    task.parent = Some(parent);
                    let id = TaskId(index as u32);
                    if last && size > 1 {
                        task.milestone = true;
                        task.name = format!("{phase} package {package} done");
                        if rng.chance(33) {
                            with_deadline.push(id);
                        }
                    } else {
                        let days = match rng.below(10) {
                            0..=5 => 1 + rng.below(5),
                            6..=8 => 5 + rng.below(6),
                            _ => 10 + rng.below(6),
                        };
                        task.duration = Duration::working(480 * days as i64);
                    }
                    project.tasks.push(task);
                    match in_package.is_empty() {
                        // A package starts when some package of the previous phase is done.
                        true if !previous_ends.is_empty() => {
                            let pred =
                                previous_ends[rng.below(previous_ends.len() as u64) as usize];
                            push_link(&mut project, pred, id, LinkKind::FinishToStart, 0);
                        }
                        true => {}
                        false => link_into_package(&mut project, &mut rng, &in_package, id),
                    }
                    in_package.push(id);
                    if stream > 0 && rng.chance(3) {
                        // Wait for a task of an earlier workstream at about the same progress.
                        let other = &stream_leaves[rng.below(stream as u64) as usize];
                        let progress = stream_leaves[stream].len() as f64 / per_stream as f64;
                        let near = ((other.len() as f64 * progress) as usize).min(other.len());
                        if near > 0 {
                            let pred = other[near.saturating_sub(1 + rng.below(10) as usize)];
                            push_link(&mut project, pred, id, LinkKind::FinishToStart, 0);
                        }
                    }
                    if !project.tasks[index].milestone {
                        assign_people(&mut project, &mut rng, id, teams, n_teams, &team_members);
                    }
                    stream_leaves[stream].push(id);
                }
                phase_left -= size;
                phase_ends.extend(in_package.last());
            }
        }
    }
    // Deadlines a few weeks after the unleveled dates; a plan that does not schedule (it always
    // should) simply gets none.
    if let Ok(unleveled) = crate::schedule(&project) {
        for id in with_deadline {
            let slack_days = 10 + rng.below(30) as i64;
            let deadline = unleveled.task(id).finish + slack_days * MINUTES_PER_DAY;
            project.tasks[id.index()].deadline = Some(crate::time::datetime_of(deadline));
        }
    }
    project
}

fn push_summary(project: &mut Project, parent: Option<TaskId>, name: String) -> TaskId {
    let id = TaskId(project.tasks.len() as u32);
    let mut task = Task::new(format!("s{}", id.0), name);
    task.parent = parent;
    project.tasks.push(task);
    id
}

fn push_link(project: &mut Project, pred: TaskId, succ: TaskId, kind: LinkKind, lag_days: i64) {
    project.links.push(Link {
        pred,
        succ,
        kind,
        lag: Lag::Working(480 * lag_days),
    });
}

/// One or two links from the last three leaves of the same work package: mostly
/// finish-to-start, a sixth start-to-start with a lag of one to three days.
fn link_into_package(project: &mut Project, rng: &mut SplitMix64, earlier: &[TaskId], id: TaskId) {
    let count = if rng.chance(30) { 2 } else { 1 };
    let mut preds: Vec<TaskId> = Vec::new();
    for _ in 0..count {
        let back = 1 + rng.below(3.min(earlier.len() as u64)) as usize;
        let pred = earlier[earlier.len() - back];
        if preds.contains(&pred) {
            continue;
        }
        preds.push(pred);
        match rng.chance(17) {
            true => push_link(
                project,
                pred,
                id,
                LinkKind::StartToStart,
                1 + rng.below(3) as i64,
            ),
            false => push_link(project, pred, id, LinkKind::FinishToStart, 0),
        }
    }
}

/// One to three people, mostly from the workstream's two teams, at 25 to 100% and never more
/// than their maximum.
fn assign_people(
    project: &mut Project,
    rng: &mut SplitMix64,
    task: TaskId,
    teams: [usize; 2],
    n_teams: usize,
    team_members: &impl Fn(usize) -> std::ops::Range<usize>,
) {
    let count = match rng.below(10) {
        0..=5 => 1,
        6..=8 => 2,
        _ => 3,
    };
    let mut chosen: Vec<usize> = Vec::new();
    for _ in 0..count {
        let team = match rng.chance(90) {
            true => teams[rng.below(2) as usize],
            false => rng.below(n_teams as u64) as usize,
        };
        let members = team_members(team);
        if members.is_empty() {
            continue;
        }
        let person = members.start + rng.below(members.len() as u64) as usize;
        if chosen.contains(&person) {
            continue;
        }
        chosen.push(person);
        let wanted = match rng.below(20) {
            0 => 25,
            1..=5 => 50,
            _ => 100,
        };
        project.assignments.push(Assignment {
            task,
            resource: ResourceId(person as u32),
            units: wanted.min(project.resources[person].max_units),
            work: None,
        });
    }
}

/// The same plan with its tasks listed in a random order (links follow their tasks). Only for
/// plans without summaries, whose outline order carries no meaning. Returns the plan and, for
/// each original task, its new index.
pub fn shuffle_tasks(project: &Project, seed: u64) -> (Project, Vec<u32>) {
    let mut rng = SplitMix64::new(seed);
    let mut order: Vec<usize> = (0..project.tasks.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut new_index = vec![0u32; order.len()];
    for (at, &old) in order.iter().enumerate() {
        new_index[old] = at as u32;
    }
    let mut shuffled = project.clone();
    shuffled.tasks = order
        .iter()
        .map(|&old| project.tasks[old].clone())
        .collect();
    for link in &mut shuffled.links {
        link.pred = TaskId(new_index[link.pred.index()]);
        link.succ = TaskId(new_index[link.succ.index()]);
    }
    (shuffled, new_index)
}

/// French public holidays that fall on fixed dates, a company day (the first Friday of June)
/// and a winter shutdown at the end of 2027: what the synthetic plans' company calendar closes.
fn add_company_holidays(calendar: &mut Calendar) {
    let holidays = [
        (1, 1),
        (5, 1),
        (5, 8),
        (7, 14),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
    ];
    for (month, day) in holidays {
        calendar.exceptions.push(Exception {
            name: format!("Holiday {month:02}-{day:02}"),
            dates: DateRule::Yearly {
                month,
                day: YearlyDay::Day(day),
                from_year: None,
                to_year: None,
            },
            shifts: Vec::new(),
        });
    }
    calendar.exceptions.push(Exception {
        name: "Company day".to_owned(),
        dates: DateRule::Yearly {
            month: 6,
            day: YearlyDay::Nth {
                n: 1,
                weekday: Weekday::Friday,
            },
            from_year: None,
            to_year: None,
        },
        shifts: Vec::new(),
    });
    calendar.exceptions.push(Exception {
        name: "Winter shutdown 2027".to_owned(),
        dates: DateRule::Range {
            from: Date::constant(2027, 12, 27),
            to: Date::constant(2027, 12, 31),
        },
        shifts: Vec::new(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_realistic_plan_has_the_size_asked_and_the_shape_promised() {
        let p = realistic_plan(1_200, 30, 5);
        assert_eq!(p.tasks.len(), 1_200);
        assert_eq!(p.resources.len(), 30);
        assert_eq!(p, realistic_plan(1_200, 30, 5), "deterministic for a seed");
        p.validate().unwrap();
        let summary = p.summary_flags();
        // Every link goes forward in the outline, between leaves.
        for link in &p.links {
            assert!(link.pred < link.succ);
            assert!(!summary[link.pred.index()] && !summary[link.succ.index()]);
        }
        // One to three people on every leaf that is not a milestone, never beyond their maximum.
        for id in p.task_ids() {
            let people: Vec<_> = p.assignments.iter().filter(|a| a.task == id).collect();
            let task = p.task(id);
            match summary[id.index()] || task.milestone {
                true => assert!(people.is_empty()),
                false => assert!((1..=3).contains(&people.len()), "{people:?}"),
            }
            for a in people {
                assert!(a.units <= p.resources[a.resource.index()].max_units);
            }
        }
        // Personal calendars with vacations, part-timers, deadlines, cross-workstream links.
        assert!(p.resources.iter().all(|r| r.calendar.is_some()));
        assert!(p.resources.iter().any(|r| r.max_units < 100));
        assert!(p.tasks.iter().any(|t| t.deadline.is_some()));
        assert!(p.links.iter().any(|l| l.kind == LinkKind::StartToStart));
        let s = crate::schedule(&p).unwrap();
        assert!(!crate::usage::overallocated_days(&p, &s).unwrap().is_empty());
    }
}
