//! `regie bench cpm`: the engine against a bare topological sort of the same graph. Both sides
//! start from the project's link list, so the baseline includes building the adjacency (as the
//! engine must) and nothing else: no calendars, no dates.
//!
//! `regie bench level`: leveling a large realistic plan (workstreams, personal hourly calendars
//! with vacations, part-timers, several assignments per task), timed end to end.

use std::hint::black_box;
use std::time::Instant;

use regie_core::Project;
use regie_core::generate::{layered_network, realistic_plan, shuffle_tasks};
use regie_core::level::project::{LevelOptions, level};
use regie_core::time::format_minute;
use regie_core::usage::overallocated_days;

use crate::Reported;

pub fn cpm(sizes: &[usize], runs: usize, seed: u64, shuffled: bool) -> Result<(), Reported> {
    println!("CPM on random layered networks (2.5 links per task, FS/SS/FF/SF, lags and leads,");
    println!("Mon-Fri 8h calendar with holidays); median of {runs} runs after one warm-up.");
    println!("Baselines, from the same link list: Kahn's algorithm on a compressed adjacency");
    println!("(hand-written, the fastest we know) and petgraph's toposort on a DiGraph.");
    if shuffled {
        println!("Tasks listed in a random order: the outline order is not topological.");
    }
    println!();
    println!(
        "{:>8} {:>8} {:>11} {:>10} {:>10} {:>7} {:>12} {:>7}",
        "tasks", "links", "finish", "cpm ms", "kahn ms", "ratio", "petgraph ms", "ratio"
    );
    for &n in sizes {
        let mut project = layered_network(n, 2.5, seed);
        if shuffled {
            project = shuffle_tasks(&project, seed).0;
        }
        let schedule = match regie_core::schedule(&project) {
            Ok(schedule) => schedule,
            Err(error) => {
                eprintln!("error: the {n}-task network did not schedule: {error}");
                return Err(Reported);
            }
        };
        let cpm_ms = median_ms(runs, || {
            black_box(regie_core::schedule(black_box(&project)).ok());
        });
        let kahn_ms = median_ms(runs, || {
            black_box(topological_sort(black_box(&project)));
        });
        let petgraph_ms = median_ms(runs, || {
            black_box(petgraph_topological_sort(black_box(&project)));
        });
        println!(
            "{:>8} {:>8} {:>11} {:>10.3} {:>10.3} {:>6.1}x {:>12.3} {:>6.1}x",
            n,
            project.links.len(),
            &format_minute(schedule.finish)[..10],
            cpm_ms,
            kahn_ms,
            cpm_ms / kahn_ms,
            petgraph_ms,
            cpm_ms / petgraph_ms,
        );
    }
    Ok(())
}

/// Levels `realistic_plan(tasks, people, seed)` `runs` times after one warm-up and prints the
/// median time with what leveling did: over-allocated person-days and finish, before and after.
/// With `split`, leveling may pause tasks underway ([`LevelOptions::split`]).
pub fn level_plan(
    tasks: usize,
    people: usize,
    seed: u64,
    runs: usize,
    budget: Option<usize>,
    split: bool,
) -> Result<(), Reported> {
    let project = realistic_plan(tasks, people, seed);
    let budget = budget.unwrap_or_else(|| regie_core::level::project::default_budget(&project));
    let fail = |error: &dyn std::fmt::Display| {
        eprintln!("error: the generated plan did not level: {error}");
        Reported
    };
    let before = regie_core::schedule(&project).map_err(|e| fail(&e))?;
    let over_before = overallocated_days(&project, &before).map_err(|e| fail(&e))?;
    let options = LevelOptions {
        budget,
        seed,
        split,
        ..LevelOptions::default()
    };
    let leveled = level(&project, &options).map_err(|e| fail(&e))?;
    let level_ms = median_ms(runs, || {
        black_box(level(black_box(&project), &options).ok());
    });
    let missed = |schedule: &regie_core::Schedule| {
        schedule
            .warnings
            .iter()
            .filter(|w| w.kind() == "missed-deadline")
            .count()
    };
    let leaves = project.summary_flags().iter().filter(|&&s| !s).count();
    println!(
        "Leveling a generated programme: {} tasks ({leaves} leaves), {} links, {} people, {} \
         assignments, {} calendars; seed {seed}, {budget} claim orders{}; median of {runs} runs \
         after one warm-up.",
        project.tasks.len(),
        project.links.len(),
        project.resources.len(),
        project.assignments.len(),
        project.calendars.len(),
        if split { ", task splitting on" } else { "" },
    );
    println!();
    println!("{:<34} {:>18} {:>18}", "", "before", "after");
    println!(
        "{:<34} {:>18} {:>18}",
        "over-allocated person-days",
        over_before.len(),
        leveled.unresolved.len()
    );
    println!(
        "{:<34} {:>18} {:>18}",
        "finish",
        &format_minute(before.finish)[..10],
        &format_minute(leveled.schedule.finish)[..10]
    );
    println!(
        "{:<34} {:>18} {:>18}",
        "missed deadlines",
        missed(&before),
        missed(&leveled.schedule)
    );
    println!("{:<34} {:>18}", "tasks delayed", leveled.delays.len());
    if split {
        println!("{:<34} {:>18}", "pauses inserted", leveled.pauses.len());
    }
    println!(
        "{:<34} {:>18}",
        "first try (MS Project's order)",
        &format_minute(leveled.attempts[0].finish)[..10]
    );
    println!(
        "{:<34} {:>18}",
        "kept",
        leveled.attempts[leveled.chosen].order.to_string()
    );
    println!("{:<34} {:>18.0}", "leveling time, ms", level_ms);
    Ok(())
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// `petgraph::algo::toposort` over a `DiGraph` built from the link list: the topological sort
/// of the graph crate our stack names.
fn petgraph_topological_sort(project: &Project) -> Vec<petgraph::graph::NodeIndex> {
    let mut graph =
        petgraph::graph::DiGraph::<(), ()>::with_capacity(project.tasks.len(), project.links.len());
    for _ in 0..project.tasks.len() {
        graph.add_node(());
    }
    for link in &project.links {
        graph.add_edge(link.pred.0.into(), link.succ.0.into(), ());
    }
    petgraph::algo::toposort(&graph, None).unwrap_or_default()
}

/// Kahn's algorithm over a compressed adjacency built from the link list.
fn topological_sort(project: &Project) -> Vec<u32> {
    let n = project.tasks.len();
    let mut offsets = vec![0u32; n + 1];
    for link in &project.links {
        offsets[link.pred.index() + 1] += 1;
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut targets = vec![0u32; project.links.len()];
    let mut indegree = vec![0u32; n];
    for link in &project.links {
        let slot = &mut fill[link.pred.index()];
        targets[*slot as usize] = link.succ.0;
        *slot += 1;
        indegree[link.succ.index()] += 1;
    }
    let mut order: Vec<u32> = (0..n as u32)
        .filter(|&v| indegree[v as usize] == 0)
        .collect();
    let mut head = 0;
    while head < order.len() {
        let v = order[head] as usize;
        head += 1;
        for &w in &targets[offsets[v] as usize..offsets[v + 1] as usize] {
            indegree[w as usize] -= 1;
            if indegree[w as usize] == 0 {
                order.push(w);
            }
        }
    }
    order
}
