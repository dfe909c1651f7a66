//! Seeded generators of synthetic plans, for benchmarks and property tests.
//!
//! Deterministic for a seed, with a small built-in generator (SplitMix64) so the engine crate
//! needs no random-number dependency.

use jiff::civil::{Date, Weekday, datetime};

use crate::calendar::{DateRule, Exception, YearlyDay};
use crate::model::{Duration, Lag, Link, LinkKind, Project, Task, TaskId};

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
        project.calendars[0].exceptions.push(Exception {
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
    project.calendars[0].exceptions.push(Exception {
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
    project.calendars[0].exceptions.push(Exception {
        name: "Winter shutdown 2027".to_owned(),
        dates: DateRule::Range {
            from: Date::constant(2027, 12, 27),
            to: Date::constant(2027, 12, 31),
        },
        shifts: Vec::new(),
    });

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
