//! `regie bench cpm`: the engine against a bare topological sort of the same graph.
//!
//! Both sides start from the project's link list, so the baseline includes building the
//! adjacency (as the engine must) and nothing else: no calendars, no dates.

use std::hint::black_box;
use std::time::Instant;

use regie_core::Project;
use regie_core::generate::{layered_network, shuffle_tasks};

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
            &regie_core::time::format_minute(schedule.finish)[..10],
            cpm_ms,
            kahn_ms,
            cpm_ms / kahn_ms,
            petgraph_ms,
            cpm_ms / petgraph_ms,
        );
    }
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
