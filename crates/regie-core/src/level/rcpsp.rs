//! The single-mode resource-constrained project scheduling problem (RCPSP) and its solver.
//!
//! Jobs have an integer duration and a demand per renewable resource for every period they run;
//! links are finish-to-start without lag; a job, once started, is not interrupted. The solver
//! minimises the makespan (the latest finish). The problem is NP-hard, so [`solve`] is a
//! heuristic with a budget counted in generated schedules, the unit the literature uses
//! (Kolisch & Hartmann 2006), so that results compare across machines and the engine needs no
//! clock.
//!
//! The method, each part chosen because the literature shows it pays:
//! - schedules are decoded from *activity lists* (precedence-feasible orders of the jobs) by the
//!   serial schedule generation scheme (SGS), which can reach an optimal schedule;
//! - the first population comes from priority rules (LFT, LST, MTS, GRPW) with regret-based
//!   biased random sampling, each rule's deterministic list decoded by the serial and the parallel
//!   SGS;
//! - every schedule is improved by forward-backward improvement (justification: shift every job
//!   right as far as it goes, then left again; Valls, Ballestín & Quintanilla 2005), and the
//!   individual keeps the improved order;
//! - a genetic algorithm over activity lists (Hartmann 1998: two-point crossover, swap mutation,
//!   ranking selection) searches from there, with two additions that measured better on PSPLIB:
//!   half the children come from a peak crossover (the densest stretch of one parent's schedule
//!   kept whole, after Valls, Ballestín & Quintanilla 2008) and a shift mutation, and copies of
//!   one list are ranked last. The best schedule seen is returned.
//!
//! The population has `budget / jobs` individuals (2 to 100): larger populations did better on
//! J30, smaller ones on J120, at 5,000 schedules.
//!
//! Each SGS pass (forward, backward, parallel) counts as one generated schedule. The search stops
//! early when it reaches a lower bound.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A single-mode RCPSP instance. Job indices (in [`Job::successors`]) are 0-based positions in
/// [`Rcpsp::jobs`]; the jobs need not be in topological order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rcpsp {
    pub jobs: Vec<Job>,
    /// Units of each renewable resource available in every period.
    pub capacities: Vec<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Job {
    /// Periods the job runs, uninterrupted. Zero for milestones (such as PSPLIB's dummies).
    pub duration: u32,
    /// Units of each resource used in every period the job runs, one per capacity.
    pub demands: Vec<u32>,
    /// Jobs that start no earlier than this job finishes (0-based indices).
    pub successors: Vec<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SolveOptions {
    /// Budget of generated schedules (SGS passes). At least one schedule is always generated.
    pub schedules: u32,
    pub seed: u64,
}

impl Default for SolveOptions {
    fn default() -> SolveOptions {
        SolveOptions {
            schedules: 5_000,
            seed: 0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solution {
    /// Start period of every job, in the order of [`Rcpsp::jobs`].
    pub starts: Vec<u32>,
    /// The latest finish.
    pub makespan: u32,
    pub schedules_generated: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RcpspError {
    #[error("job {job} has {found} demands but there are {expected} resources")]
    DemandCount {
        job: usize,
        found: usize,
        expected: usize,
    },
    #[error("job {job} names successor {successor}, but there are only {jobs} jobs")]
    UnknownSuccessor {
        job: usize,
        successor: u32,
        jobs: usize,
    },
    #[error("job {job} needs {demand} of resource {resource}, whose capacity is {capacity}")]
    DemandOverCapacity {
        job: usize,
        resource: usize,
        demand: u32,
        capacity: u32,
    },
    #[error("the precedences form a cycle through job {job}")]
    Cycle { job: usize },
    #[error("the sum of durations ({total}) is beyond the {limit} periods this solver handles")]
    HorizonTooLong { total: u64, limit: u64 },
}

/// Where a schedule breaks the problem's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// `successor` starts before `job` finishes.
    Precedence {
        job: usize,
        successor: usize,
        finish: u64,
        start: u64,
    },
    /// In `period`, the running jobs use more of `resource` than its capacity.
    Capacity {
        period: u64,
        resource: usize,
        used: u64,
        capacity: u32,
    },
    /// The schedule has a different number of starts than the problem has jobs.
    Length { starts: usize, jobs: usize },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::Precedence {
                job,
                successor,
                finish,
                start,
            } => write!(
                f,
                "job {successor} starts at {start}, before its predecessor {job} finishes at {finish}"
            ),
            Violation::Capacity {
                period,
                resource,
                used,
                capacity,
            } => write!(
                f,
                "period {period}: resource {resource} is used {used} times, capacity {capacity}"
            ),
            Violation::Length { starts, jobs } => {
                write!(f, "{starts} starts for {jobs} jobs")
            }
        }
    }
}

/// Periods the resource profile may span (the sum of durations bounds every schedule the SGS
/// builds). Beyond it the profile would take gigabytes.
const HORIZON_LIMIT: u64 = 50_000_000;

/// Every way `starts` breaks `problem`'s precedences or capacities, checked directly from the
/// definition (independently of the solver's data structures). Empty when the schedule is
/// feasible. Successor indices out of range are ignored here: [`solve`] rejects them.
pub fn violations(problem: &Rcpsp, starts: &[u32]) -> Vec<Violation> {
    let mut found = Vec::new();
    if starts.len() != problem.jobs.len() {
        found.push(Violation::Length {
            starts: starts.len(),
            jobs: problem.jobs.len(),
        });
        return found;
    }
    let mut horizon = 0u64;
    for (job, data) in problem.jobs.iter().enumerate() {
        let finish = u64::from(starts[job]) + u64::from(data.duration);
        horizon = horizon.max(finish);
        for &successor in &data.successors {
            let Some(&start) = starts.get(successor as usize) else {
                continue;
            };
            if u64::from(start) < finish {
                found.push(Violation::Precedence {
                    job,
                    successor: successor as usize,
                    finish,
                    start: u64::from(start),
                });
            }
        }
    }
    // A sweep over start and finish events keeps the check linear in jobs plus events, so it
    // also serves for schedules with long horizons.
    let resources = problem.capacities.len();
    let mut events: Vec<(u64, usize, bool)> = Vec::with_capacity(problem.jobs.len() * 2);
    for (job, data) in problem.jobs.iter().enumerate() {
        if data.duration > 0 {
            let start = u64::from(starts[job]);
            events.push((start, job, true));
            events.push((start + u64::from(data.duration), job, false));
        }
    }
    // Finishes before starts at the same time: a job finishing at t frees period t.
    events.sort_by_key(|&(time, job, is_start)| (time, is_start, job));
    let mut used = vec![0u64; resources];
    let mut index = 0;
    while index < events.len() {
        let time = events[index].0;
        while index < events.len() && events[index].0 == time {
            let (_, job, is_start) = events[index];
            for (resource, slot) in used.iter_mut().enumerate() {
                let demand = u64::from(
                    problem.jobs[job]
                        .demands
                        .get(resource)
                        .copied()
                        .unwrap_or(0),
                );
                if is_start {
                    *slot += demand;
                } else {
                    *slot -= demand;
                }
            }
            index += 1;
        }
        for (resource, &amount) in used.iter().enumerate() {
            if amount > u64::from(problem.capacities[resource]) {
                found.push(Violation::Capacity {
                    period: time,
                    resource,
                    used: amount,
                    capacity: problem.capacities[resource],
                });
            }
        }
    }
    found
}

/// The critical-path lower bound: the longest path through the precedences, resources ignored.
pub fn lower_bound(problem: &Rcpsp) -> Result<u32, RcpspError> {
    let prepared = Prepared::new(problem)?;
    Ok(prepared.critical_path)
}

/// The resource-energy lower bound: for each resource, the periods its total demand
/// (duration × units, summed over jobs) needs at full capacity; the largest of them. Weak on
/// PSPLIB, but it proves optimality where resources are tight overall.
pub fn energy_bound(problem: &Rcpsp) -> Result<u32, RcpspError> {
    let prepared = Prepared::new(problem)?;
    Ok(prepared.energy_bound)
}

/// The best schedule found within `options.schedules` generated schedules. Deterministic for a
/// seed.
pub fn solve(problem: &Rcpsp, options: &SolveOptions) -> Result<Solution, RcpspError> {
    let prepared = Prepared::new(problem)?;
    let mut search = Search::new(&prepared, options);
    search.run();
    let best = search.best_starts;
    Ok(Solution {
        makespan: search.best_makespan,
        starts: best,
        schedules_generated: search.generated,
    })
}

/// The problem in the solver's layout: compressed adjacency, non-zero demands only, a
/// topological rank, and the bounds.
struct Prepared {
    jobs: usize,
    resources: usize,
    capacities: Vec<u32>,
    durations: Vec<u32>,
    /// `demands[demand_start[j]..demand_start[j + 1]]`: (resource, units) with units > 0, for
    /// jobs with a duration.
    demand_start: Vec<u32>,
    demands: Vec<(u32, u32)>,
    pred_start: Vec<u32>,
    preds: Vec<u32>,
    succ_start: Vec<u32>,
    succs: Vec<u32>,
    /// Position in a topological order (breaks ties so sorted lists stay precedence-feasible).
    rank: Vec<u32>,
    topological: Vec<u32>,
    latest_start: Vec<u32>,
    critical_path: u32,
    energy_bound: u32,
    /// The larger of the critical path and the resource-energy bound: reaching it ends the search.
    stop_bound: u32,
    horizon: usize,
}

impl Prepared {
    fn new(problem: &Rcpsp) -> Result<Prepared, RcpspError> {
        let jobs = problem.jobs.len();
        let resources = problem.capacities.len();
        let mut total_duration = 0u64;
        for (job, data) in problem.jobs.iter().enumerate() {
            if data.demands.len() != resources {
                return Err(RcpspError::DemandCount {
                    job,
                    found: data.demands.len(),
                    expected: resources,
                });
            }
            for &successor in &data.successors {
                if successor as usize >= jobs {
                    return Err(RcpspError::UnknownSuccessor {
                        job,
                        successor,
                        jobs,
                    });
                }
            }
            if data.duration > 0 {
                for (resource, (&demand, &capacity)) in
                    data.demands.iter().zip(&problem.capacities).enumerate()
                {
                    if demand > capacity {
                        return Err(RcpspError::DemandOverCapacity {
                            job,
                            resource,
                            demand,
                            capacity,
                        });
                    }
                }
            }
            total_duration += u64::from(data.duration);
        }
        if total_duration > HORIZON_LIMIT {
            return Err(RcpspError::HorizonTooLong {
                total: total_duration,
                limit: HORIZON_LIMIT,
            });
        }

        let durations: Vec<u32> = problem.jobs.iter().map(|job| job.duration).collect();
        let mut demand_start = Vec::with_capacity(jobs + 1);
        let mut demands = Vec::new();
        demand_start.push(0);
        for data in &problem.jobs {
            if data.duration > 0 {
                for (resource, &units) in data.demands.iter().enumerate() {
                    if units > 0 {
                        demands.push((resource as u32, units));
                    }
                }
            }
            demand_start.push(demands.len() as u32);
        }

        let mut succ_start = Vec::with_capacity(jobs + 1);
        let mut succs = Vec::new();
        succ_start.push(0);
        let mut pred_count = vec![0u32; jobs + 1];
        for data in &problem.jobs {
            for &successor in &data.successors {
                succs.push(successor);
                pred_count[successor as usize + 1] += 1;
            }
            succ_start.push(succs.len() as u32);
        }
        let mut pred_start = pred_count;
        for index in 1..pred_start.len() {
            pred_start[index] += pred_start[index - 1];
        }
        let mut fill = pred_start.clone();
        let mut preds = vec![0u32; succs.len()];
        for (job, data) in problem.jobs.iter().enumerate() {
            for &successor in &data.successors {
                let slot = &mut fill[successor as usize];
                preds[*slot as usize] = job as u32;
                *slot += 1;
            }
        }

        // Kahn's algorithm, smallest index first, so a file already in topological order keeps
        // its order.
        let mut remaining: Vec<u32> = (0..jobs)
            .map(|job| pred_start[job + 1] - pred_start[job])
            .collect();
        let mut ready: BinaryHeap<Reverse<u32>> = (0..jobs as u32)
            .filter(|&job| remaining[job as usize] == 0)
            .map(Reverse)
            .collect();
        let mut topological = Vec::with_capacity(jobs);
        while let Some(Reverse(job)) = ready.pop() {
            topological.push(job);
            let job = job as usize;
            for &successor in &succs[succ_start[job] as usize..succ_start[job + 1] as usize] {
                remaining[successor as usize] -= 1;
                if remaining[successor as usize] == 0 {
                    ready.push(Reverse(successor));
                }
            }
        }
        if topological.len() < jobs {
            let job = remaining.iter().position(|&count| count > 0).unwrap_or(0);
            return Err(RcpspError::Cycle { job });
        }
        let mut rank = vec![0u32; jobs];
        for (position, &job) in topological.iter().enumerate() {
            rank[job as usize] = position as u32;
        }

        let mut earliest_start = vec![0u32; jobs];
        let mut critical_path = 0u32;
        for &job in &topological {
            let job = job as usize;
            let finish = earliest_start[job] + durations[job];
            critical_path = critical_path.max(finish);
            for &successor in &succs[succ_start[job] as usize..succ_start[job + 1] as usize] {
                let slot = &mut earliest_start[successor as usize];
                *slot = (*slot).max(finish);
            }
        }
        let mut latest_finish = vec![critical_path; jobs];
        let mut latest_start = vec![0u32; jobs];
        for &job in topological.iter().rev() {
            let job = job as usize;
            let mut finish = critical_path;
            for &successor in &succs[succ_start[job] as usize..succ_start[job + 1] as usize] {
                finish = finish.min(latest_start[successor as usize]);
            }
            latest_finish[job] = finish;
            latest_start[job] = finish - durations[job];
        }

        let mut energy_bound = 0u32;
        for (resource, &capacity) in problem.capacities.iter().enumerate() {
            if capacity == 0 {
                continue;
            }
            let energy: u64 = problem
                .jobs
                .iter()
                .map(|job| u64::from(job.duration) * u64::from(job.demands[resource]))
                .sum();
            let bound = energy.div_ceil(u64::from(capacity));
            energy_bound = energy_bound.max(bound.min(u64::from(u32::MAX)) as u32);
        }

        Ok(Prepared {
            jobs,
            resources,
            capacities: problem.capacities.clone(),
            durations,
            demand_start,
            demands,
            pred_start,
            preds,
            succ_start,
            succs,
            rank,
            topological,
            latest_start,
            critical_path,
            energy_bound,
            stop_bound: critical_path.max(energy_bound),
            horizon: total_duration as usize + 1,
        })
    }

    fn preds(&self, job: usize) -> &[u32] {
        &self.preds[self.pred_start[job] as usize..self.pred_start[job + 1] as usize]
    }

    fn succs(&self, job: usize) -> &[u32] {
        &self.succs[self.succ_start[job] as usize..self.succ_start[job + 1] as usize]
    }

    fn demands(&self, job: usize) -> &[(u32, u32)] {
        &self.demands[self.demand_start[job] as usize..self.demand_start[job + 1] as usize]
    }
}

/// SplitMix64, kept here so the engine needs no random-number crate.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn chance(&mut self, numerator: u64, denominator: u64) -> bool {
        self.below(denominator) < numerator
    }
}

/// The buffers of the schedule generation schemes, reused across every schedule.
struct Profile {
    /// Free units per period and resource, period-major (`free[t * resources + k]`), so the
    /// check of one period reads one cache line. Periods from `dirty` on are untouched.
    free: Vec<u32>,
    dirty: usize,
}

impl Profile {
    fn reset(&mut self, prepared: &Prepared) {
        let resources = prepared.resources;
        if resources > 0 {
            for period in self.free[..self.dirty * resources].chunks_exact_mut(resources) {
                period.copy_from_slice(&prepared.capacities);
            }
        }
        self.dirty = 0;
    }

    /// Whether `job` fits in every period of `start..start + duration`. When it does not, the
    /// latest clashing period, so the caller can skip past it.
    fn clash(&self, prepared: &Prepared, job: usize, start: usize) -> Option<usize> {
        let resources = prepared.resources;
        let demands = prepared.demands(job);
        // Backwards: the latest clash lets the search jump furthest.
        let mut period = start + prepared.durations[job] as usize;
        while period > start {
            period -= 1;
            let row = &self.free[period * resources..period * resources + resources];
            for &(resource, units) in demands {
                if row[resource as usize] < units {
                    return Some(period);
                }
            }
        }
        None
    }

    fn place(&mut self, prepared: &Prepared, job: usize, start: usize) {
        let resources = prepared.resources;
        let finish = start + prepared.durations[job] as usize;
        let demands = prepared.demands(job);
        if !demands.is_empty() {
            for period in start..finish {
                let row = &mut self.free[period * resources..period * resources + resources];
                for &(resource, units) in demands {
                    row[resource as usize] -= units;
                }
            }
        }
        self.dirty = self.dirty.max(finish);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Forward,
    /// On the reversed network: successors become predecessors; times run back from the end.
    Backward,
}

/// The serial SGS: each job of `list` in turn at its earliest precedence- and resource-feasible
/// start. `list` must be precedence-feasible for `direction`. Returns the makespan.
fn serial_sgs(
    prepared: &Prepared,
    profile: &mut Profile,
    direction: Direction,
    list: &[u32],
    starts: &mut [u32],
) -> u32 {
    profile.reset(prepared);
    let mut makespan = 0u32;
    for &job in list {
        let job = job as usize;
        let before = match direction {
            Direction::Forward => prepared.preds(job),
            Direction::Backward => prepared.succs(job),
        };
        let mut start = 0u32;
        for &other in before {
            let other = other as usize;
            start = start.max(starts[other] + prepared.durations[other]);
        }
        let mut start = start as usize;
        if prepared.durations[job] > 0
            && prepared.demand_start[job] < prepared.demand_start[job + 1]
        {
            while let Some(period) = profile.clash(prepared, job, start) {
                start = period + 1;
            }
            profile.place(prepared, job, start);
        }
        starts[job] = start as u32;
        makespan = makespan.max(start as u32 + prepared.durations[job]);
    }
    makespan
}

/// The parallel SGS on a list read as priorities: at each decision time, every eligible job that
/// fits now starts, in list order. Produces non-delay schedules, which suit some instances
/// better than the serial scheme's active ones.
fn parallel_sgs(
    prepared: &Prepared,
    profile: &mut Profile,
    list: &[u32],
    starts: &mut [u32],
    scratch: &mut ParallelScratch,
) -> u32 {
    profile.reset(prepared);
    let jobs = prepared.jobs;
    let ParallelScratch {
        waiting,
        ready_at,
        unplaced_preds,
        finishes,
    } = scratch;
    waiting.clear();
    waiting.extend_from_slice(list);
    ready_at.clear();
    ready_at.resize(jobs, 0);
    unplaced_preds.clear();
    unplaced_preds.extend((0..jobs).map(|job| prepared.preds(job).len() as u32));
    finishes.clear();
    let mut now = 0usize;
    let mut makespan = 0u32;
    while !waiting.is_empty() {
        let mut placed_any = true;
        // Repeat at the same time while milestones placed now release further jobs.
        while placed_any {
            placed_any = false;
            let mut kept = 0;
            for index in 0..waiting.len() {
                let job = waiting[index] as usize;
                let eligible = unplaced_preds[job] == 0 && ready_at[job] as usize <= now;
                if eligible && profile.clash(prepared, job, now).is_none() {
                    profile.place(prepared, job, now);
                    starts[job] = now as u32;
                    let finish = now as u32 + prepared.durations[job];
                    makespan = makespan.max(finish);
                    for &successor in prepared.succs(job) {
                        let successor = successor as usize;
                        unplaced_preds[successor] -= 1;
                        ready_at[successor] = ready_at[successor].max(finish);
                    }
                    if finish as usize > now {
                        finishes.push(Reverse(finish));
                    } else {
                        placed_any = true;
                    }
                } else {
                    waiting[kept] = job as u32;
                    kept += 1;
                }
            }
            waiting.truncate(kept);
        }
        if waiting.is_empty() {
            break;
        }
        let mut next = None;
        while let Some(Reverse(finish)) = finishes.pop() {
            if finish as usize > now {
                next = Some(finish as usize);
                break;
            }
        }
        match next {
            Some(time) => now = time,
            // Cannot happen for a validated problem (every job fits an empty profile); stop
            // rather than loop.
            None => return u32::MAX,
        }
    }
    makespan
}

#[derive(Default)]
struct ParallelScratch {
    waiting: Vec<u32>,
    ready_at: Vec<u32>,
    unplaced_preds: Vec<u32>,
    finishes: BinaryHeap<Reverse<u32>>,
}

#[derive(Clone, Copy)]
enum Rule {
    LatestFinish,
    LatestStart,
    MostTotalSuccessors,
    GreatestRankPositionalWeight,
    Random,
}

const SHIFT_NUMERATOR: u64 = 4;
const JUSTIFICATION_ROUNDS: usize = 1;

const RULES: [Rule; 4] = [
    Rule::LatestFinish,
    Rule::LatestStart,
    Rule::MostTotalSuccessors,
    Rule::GreatestRankPositionalWeight,
];

struct Individual {
    list: Vec<u32>,
    makespan: u32,
    /// Starts of the list's (last) schedule, for the peak crossover.
    starts: Vec<u32>,
}

struct Search<'a> {
    prepared: &'a Prepared,
    budget: u32,
    generated: u32,
    rng: Rng,
    profile: Profile,
    parallel: ParallelScratch,
    starts: Vec<u32>,
    backward_starts: Vec<u32>,
    keys: Vec<u64>,
    best_makespan: u32,
    best_starts: Vec<u32>,
}

impl<'a> Search<'a> {
    fn new(prepared: &'a Prepared, options: &SolveOptions) -> Search<'a> {
        Search {
            prepared,
            budget: options.schedules.max(1),
            generated: 0,
            rng: Rng(options.seed ^ 0x5EED_1E7E_1000_0001),
            profile: Profile {
                free: vec![0; prepared.horizon * prepared.resources],
                dirty: prepared.horizon,
            },
            parallel: ParallelScratch::default(),
            starts: vec![0; prepared.jobs],
            backward_starts: vec![0; prepared.jobs],
            keys: Vec::with_capacity(prepared.jobs),
            best_makespan: u32::MAX,
            best_starts: Vec::new(),
        }
    }

    fn done(&self) -> bool {
        self.generated >= self.budget || self.best_makespan <= self.prepared.stop_bound
    }

    fn record(&mut self, makespan: u32, starts_are_backward: bool) {
        if makespan >= self.best_makespan {
            return;
        }
        self.best_makespan = makespan;
        if starts_are_backward {
            let prepared = self.prepared;
            self.best_starts.clear();
            self.best_starts.extend(
                (0..prepared.jobs)
                    .map(|job| makespan - self.backward_starts[job] - prepared.durations[job]),
            );
        } else {
            self.best_starts.clone_from(&self.starts);
        }
    }

    fn run(&mut self) {
        let prepared = self.prepared;
        if prepared.jobs == 0 {
            self.best_makespan = 0;
            self.generated = 1;
            return;
        }
        let priorities = Priorities::new(prepared);
        // Fewer generations of more individuals for small problems, the reverse for large ones
        // (see the module notes).
        let population_size =
            ((u64::from(self.budget) / prepared.jobs as u64) as usize).clamp(2, 100) & !1;

        let mut population: Vec<Individual> = Vec::with_capacity(population_size * 2);
        for rule in RULES {
            if self.done() {
                break;
            }
            let mut list = priority_list(prepared, &priorities, rule, None);
            let makespan = self.evaluate(&mut list);
            population.push(Individual {
                list,
                makespan,
                starts: self.starts.clone(),
            });
            if self.done() {
                break;
            }
            let list = priority_list(prepared, &priorities, rule, None);
            let mut starts = std::mem::take(&mut self.starts);
            let makespan = parallel_sgs(
                prepared,
                &mut self.profile,
                &list,
                &mut starts,
                &mut self.parallel,
            );
            self.starts = starts;
            self.generated += 1;
            if makespan != u32::MAX {
                self.record(makespan, false);
                let mut list = self.list_by_start(false);
                // The serial SGS on the order of a schedule's starts rebuilds that schedule or
                // a shorter one, so the list carries the parallel scheme's result.
                let makespan = if self.done() {
                    makespan
                } else {
                    self.evaluate(&mut list).min(makespan)
                };
                population.push(Individual {
                    list,
                    makespan,
                    starts: self.starts.clone(),
                });
            }
        }
        let mut rule_index = 0;
        while population.len() < population_size && !self.done() {
            let rule = if rule_index % 5 == 4 {
                Rule::Random
            } else {
                RULES[rule_index % 5]
            };
            rule_index += 1;
            let mut list = priority_list(prepared, &priorities, rule, Some(&mut self.rng));
            let makespan = self.evaluate(&mut list);
            population.push(Individual {
                list,
                makespan,
                starts: self.starts.clone(),
            });
        }

        let mut children: Vec<Individual> = Vec::with_capacity(population_size);
        let mut order: Vec<usize> = Vec::with_capacity(population.len());
        let mut taken = vec![false; prepared.jobs];
        while !self.done() && population.len() >= 2 {
            order.clear();
            order.extend(0..population.len());
            for index in (1..order.len()).rev() {
                let other = self.rng.below(index as u64 + 1) as usize;
                order.swap(index, other);
            }
            children.clear();
            for pair in order.chunks_exact(2) {
                if self.done() {
                    break;
                }
                let (mother, father) = (&population[pair[0]], &population[pair[1]]);
                let (daughter, son) = if self.rng.chance(1, 2) {
                    let (low, high) = self.peak(mother);
                    let daughter = peak_crossover(mother, father, low, high, &mut taken);
                    let (low, high) = self.peak(father);
                    let son = peak_crossover(father, mother, low, high, &mut taken);
                    (daughter, son)
                } else {
                    let cut_a = self.rng.below(prepared.jobs as u64 + 1) as usize;
                    let cut_b = self.rng.below(prepared.jobs as u64 + 1) as usize;
                    let (low, high) = (cut_a.min(cut_b), cut_a.max(cut_b));
                    (
                        two_point_crossover(&mother.list, &father.list, low, high, &mut taken),
                        two_point_crossover(&father.list, &mother.list, low, high, &mut taken),
                    )
                };
                for mut list in [daughter, son] {
                    if self.done() {
                        break;
                    }
                    self.mutate(&mut list);
                    let makespan = self.evaluate(&mut list);
                    children.push(Individual {
                        list,
                        makespan,
                        starts: self.starts.clone(),
                    });
                }
            }
            population.append(&mut children);
            // Ranking selection: the best of parents and children survive; among equals, the
            // newer (children come last) first, so the search keeps moving on plateaus. Copies
            // of one list go last: justified lists are canonical (ordered by start), so a
            // population of copies is what premature convergence looks like here.
            let mut ranked: Vec<(bool, u32, Reverse<usize>, Individual)> = population
                .drain(..)
                .enumerate()
                .map(|(index, individual)| (false, individual.makespan, Reverse(index), individual))
                .collect();
            ranked.sort_by_key(|&(_, makespan, index, _)| (makespan, index));
            let mut seen: Vec<u64> = Vec::with_capacity(ranked.len());
            for entry in &mut ranked {
                let fingerprint = fingerprint(&entry.3.list);
                entry.0 = seen.contains(&fingerprint);
                if !entry.0 {
                    seen.push(fingerprint);
                }
            }
            ranked.sort_by_key(|&(copy, makespan, index, _)| (copy, makespan, index));
            population.extend(
                ranked
                    .into_iter()
                    .take(population_size)
                    .map(|(_, _, _, individual)| individual),
            );
        }
    }

    /// The window of a random length (a quarter to a half of the makespan) where `individual`'s
    /// schedule uses the resources most (summed relative utilisation): `low..high` in periods.
    fn peak(&mut self, individual: &Individual) -> (u32, u32) {
        let prepared = self.prepared;
        let makespan = individual.makespan as usize;
        if makespan == 0 || individual.starts.len() != prepared.jobs {
            return (0, 0);
        }
        let mut load = vec![0f64; makespan + 1];
        for job in 0..prepared.jobs {
            let weight: f64 = prepared
                .demands(job)
                .iter()
                .map(|&(resource, units)| {
                    f64::from(units) / f64::from(prepared.capacities[resource as usize])
                })
                .sum();
            let start = individual.starts[job] as usize;
            let finish = (start + prepared.durations[job] as usize).min(makespan);
            if start < finish {
                load[start] += weight;
                load[finish] -= weight;
            }
        }
        // Running sum of the difference array, then prefix sums for window totals.
        let mut prefix = vec![0f64; makespan + 1];
        let mut current = 0.0;
        for period in 0..makespan {
            current += load[period];
            prefix[period + 1] = prefix[period] + current;
        }
        let shortest = (makespan / 4).max(1);
        let longest = (makespan / 2).max(shortest);
        let length = shortest + self.rng.below((longest - shortest + 1) as u64) as usize;
        let mut best = (f64::MIN, 0);
        for low in 0..=makespan - length {
            let total = prefix[low + length] - prefix[low];
            if total > best.0 {
                best = (total, low);
            }
        }
        (best.1 as u32, (best.1 + length) as u32)
    }

    /// Swap neighbours with probability 1/20 each, where they are not linked (Hartmann).
    fn mutate(&mut self, list: &mut [u32]) {
        let prepared = self.prepared;
        for index in 0..list.len().saturating_sub(1) {
            if self.rng.chance(1, 20) {
                let (first, second) = (list[index], list[index + 1]);
                if !prepared.preds(second as usize).contains(&first) {
                    list.swap(index, index + 1);
                }
            }
        }
        if self.rng.chance(SHIFT_NUMERATOR, 8) && list.len() > 1 {
            self.shift(list);
        }
    }

    /// Moves one random job to a random place between its last predecessor and its first
    /// successor in the list: a larger step than a swap of neighbours.
    fn shift(&mut self, list: &mut [u32]) {
        let prepared = self.prepared;
        let from = self.rng.below(list.len() as u64) as usize;
        let job = list[from] as usize;
        let mut low = 0;
        let mut high = list.len() - 1;
        for (position, &other) in list.iter().enumerate() {
            if prepared.preds(job).contains(&other) {
                low = low.max(position + 1);
            }
            if prepared.succs(job).contains(&other) {
                high = high.min(position.saturating_sub(1));
            }
        }
        // Positions are those of the list with the job still in it; removing it shifts the
        // later ones left by one.
        // The job's own place lies in `low..=high` (the list is precedence-feasible), and in the
        // list without the job the bounds keep their meaning: predecessors sit before `from`,
        // successors moved one left.
        let to = low + self.rng.below((high - low + 1) as u64) as usize;
        if to < from {
            list[to..=from].rotate_right(1);
        } else {
            list[from..=to].rotate_left(1);
        }
    }

    /// Decodes `list` with the serial SGS, then justifies the schedule right and left again
    /// within the budget; `list` becomes the order of the improved schedule. The best makespan
    /// of the passes.
    fn evaluate(&mut self, list: &mut Vec<u32>) -> u32 {
        let prepared = self.prepared;
        let mut makespan = serial_sgs(
            prepared,
            &mut self.profile,
            Direction::Forward,
            list,
            &mut self.starts,
        );
        self.generated += 1;
        self.record(makespan, false);
        // One round of justification per schedule: repeating it while it improves measured worse
        // on PSPLIB at 5,000 schedules (the budget does more in the genetic search).
        let mut previous = makespan;
        for _ in 0..JUSTIFICATION_ROUNDS {
            if self.done() {
                return makespan;
            }
            // Right justification: latest finishes first, on the reversed network.
            self.keys.clear();
            self.keys.extend((0..prepared.jobs).map(|job| {
                let finish = u64::from(self.starts[job] + prepared.durations[job]);
                let rank = u64::from(prepared.rank[job]);
                (u64::from(u32::MAX) - finish) << 32 | (u64::from(u32::MAX) - rank)
            }));
            let backward_list = self.sorted_by_keys();
            let backward = serial_sgs(
                prepared,
                &mut self.profile,
                Direction::Backward,
                &backward_list,
                &mut self.backward_starts,
            );
            self.generated += 1;
            self.record(backward, true);
            makespan = makespan.min(backward);
            if self.done() {
                return makespan;
            }
            // Left justification: earliest (right-justified) starts first.
            *list = self.list_by_start(true);
            let forward = serial_sgs(
                prepared,
                &mut self.profile,
                Direction::Forward,
                list,
                &mut self.starts,
            );
            self.generated += 1;
            self.record(forward, false);
            makespan = makespan.min(forward);
            if forward >= previous {
                break;
            }
            previous = forward;
        }
        makespan
    }

    /// The jobs ordered by start in the last forward schedule, or in the last backward one read
    /// in forward time. Ties go by topological rank, so the list is precedence-feasible.
    fn list_by_start(&mut self, from_backward: bool) -> Vec<u32> {
        let prepared = self.prepared;
        self.keys.clear();
        if from_backward {
            // Forward start = end - backward start - duration; ordering by backward finish
            // descending is the same order.
            self.keys.extend((0..prepared.jobs).map(|job| {
                let backward_finish =
                    u64::from(self.backward_starts[job] + prepared.durations[job]);
                (u64::from(u32::MAX) - backward_finish) << 32 | u64::from(prepared.rank[job])
            }));
        } else {
            self.keys.extend(
                (0..prepared.jobs)
                    .map(|job| u64::from(self.starts[job]) << 32 | u64::from(prepared.rank[job])),
            );
        }
        self.sorted_by_keys()
    }

    /// Jobs sorted by `self.keys`, whose low 32 bits encode the (unique) rank.
    fn sorted_by_keys(&mut self) -> Vec<u32> {
        let prepared = self.prepared;
        self.keys.sort_unstable();
        self.keys
            .iter()
            .map(|&key| {
                let low = key as u32;
                // Either the rank or its complement; both map back to one job.
                let rank = if (low as usize) < prepared.jobs {
                    low
                } else {
                    u32::MAX - low
                };
                prepared.topological[rank as usize]
            })
            .collect()
    }
}

/// FNV-1a over the list: equal lists, equal prints (collisions only cost diversity).
fn fingerprint(list: &[u32]) -> u64 {
    list.iter().fold(0xCBF2_9CE4_8422_2325, |hash, &job| {
        (hash ^ u64::from(job)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// The peak crossover (after Valls, Ballestín & Quintanilla 2008): the jobs `first` starts in
/// its dense window `low..high` keep `first`'s order; those it starts before come first and those
/// after last, both in `second`'s order. Jobs starting before a time are closed under
/// predecessors, so the child is precedence-feasible.
fn peak_crossover(
    first: &Individual,
    second: &Individual,
    low: u32,
    high: u32,
    taken: &mut [bool],
) -> Vec<u32> {
    if first.starts.len() != first.list.len() {
        return first.list.clone();
    }
    taken.fill(false);
    let mut child = Vec::with_capacity(first.list.len());
    for &job in &second.list {
        if first.starts[job as usize] < low {
            child.push(job);
            taken[job as usize] = true;
        }
    }
    for &job in &first.list {
        if !taken[job as usize] && first.starts[job as usize] < high {
            child.push(job);
            taken[job as usize] = true;
        }
    }
    for &job in &second.list {
        if !taken[job as usize] {
            child.push(job);
        }
    }
    child
}

/// Hartmann's two-point crossover: positions `..low` from `first`, `low..high` the remaining jobs
/// in `second`'s order, the rest in `first`'s order. Keeps precedence feasibility.
fn two_point_crossover(
    first: &[u32],
    second: &[u32],
    low: usize,
    high: usize,
    taken: &mut [bool],
) -> Vec<u32> {
    taken.fill(false);
    let mut child = Vec::with_capacity(first.len());
    for &job in &first[..low] {
        child.push(job);
        taken[job as usize] = true;
    }
    for &job in second {
        if child.len() >= high {
            break;
        }
        if !taken[job as usize] {
            child.push(job);
            taken[job as usize] = true;
        }
    }
    for &job in first {
        if !taken[job as usize] {
            child.push(job);
            taken[job as usize] = true;
        }
    }
    child
}

/// Priority values per rule, all as "smaller is more urgent".
struct Priorities {
    latest_finish: Vec<i64>,
    latest_start: Vec<i64>,
    most_total_successors: Vec<i64>,
    rank_positional_weight: Vec<i64>,
}

impl Priorities {
    fn new(prepared: &Prepared) -> Priorities {
        let jobs = prepared.jobs;
        let latest_start: Vec<i64> = prepared
            .latest_start
            .iter()
            .map(|&t| i64::from(t))
            .collect();
        let latest_finish: Vec<i64> = (0..jobs)
            .map(|job| i64::from(prepared.latest_start[job] + prepared.durations[job]))
            .collect();
        let rank_positional_weight = (0..jobs)
            .map(|job| {
                let weight: i64 = i64::from(prepared.durations[job])
                    + prepared
                        .succs(job)
                        .iter()
                        .map(|&successor| i64::from(prepared.durations[successor as usize]))
                        .sum::<i64>();
                -weight
            })
            .collect();
        let most_total_successors = total_successors(prepared)
            .into_iter()
            .map(|count| -(count as i64))
            .collect();
        Priorities {
            latest_finish,
            latest_start,
            most_total_successors,
            rank_positional_weight,
        }
    }

    fn values(&self, rule: Rule) -> Option<&[i64]> {
        match rule {
            Rule::LatestFinish => Some(&self.latest_finish),
            Rule::LatestStart => Some(&self.latest_start),
            Rule::MostTotalSuccessors => Some(&self.most_total_successors),
            Rule::GreatestRankPositionalWeight => Some(&self.rank_positional_weight),
            Rule::Random => None,
        }
    }
}

/// The number of transitive successors of each job: exact with bit sets up to a few thousand
/// jobs; beyond (where the sets would take too long) an over-count by paths, still a fair
/// urgency signal.
fn total_successors(prepared: &Prepared) -> Vec<u64> {
    let jobs = prepared.jobs;
    let mut counts = vec![0u64; jobs];
    if jobs <= 3_000 {
        let words = jobs.div_ceil(64);
        let mut reach = vec![0u64; jobs * words];
        for &job in prepared.topological.iter().rev() {
            let job = job as usize;
            for &successor in prepared.succs(job) {
                let successor = successor as usize;
                reach[job * words + successor / 64] |= 1 << (successor % 64);
                for word in 0..words {
                    let bits = reach[successor * words + word];
                    reach[job * words + word] |= bits;
                }
            }
            counts[job] = reach[job * words..(job + 1) * words]
                .iter()
                .map(|word| u64::from(word.count_ones()))
                .sum();
        }
    } else {
        for &job in prepared.topological.iter().rev() {
            let job = job as usize;
            counts[job] = prepared
                .succs(job)
                .iter()
                .map(|&successor| 1 + counts[successor as usize])
                .fold(0u64, u64::saturating_add);
        }
    }
    counts
}

/// A precedence-feasible list built by a priority rule: the most urgent eligible job each step,
/// or, with `rng`, one drawn by regret-based biased random sampling (Drexl 1991: weight of a job
/// = 1 + how much less urgent the least urgent eligible job is).
fn priority_list(
    prepared: &Prepared,
    priorities: &Priorities,
    rule: Rule,
    mut rng: Option<&mut Rng>,
) -> Vec<u32> {
    let jobs = prepared.jobs;
    let values = priorities.values(rule);
    let mut remaining: Vec<u32> = (0..jobs)
        .map(|job| prepared.preds(job).len() as u32)
        .collect();
    let mut eligible: Vec<u32> = (0..jobs as u32)
        .filter(|&job| remaining[job as usize] == 0)
        .collect();
    let mut list = Vec::with_capacity(jobs);
    let mut weights: Vec<u64> = Vec::new();
    while !eligible.is_empty() {
        let pick = match (values, rng.as_deref_mut()) {
            (None, Some(rng)) => rng.below(eligible.len() as u64) as usize,
            (None, None) => 0,
            (Some(values), None) => {
                let mut best = 0;
                for index in 1..eligible.len() {
                    let (job, current) = (eligible[index] as usize, eligible[best] as usize);
                    if (values[job], job) < (values[current], current) {
                        best = index;
                    }
                }
                best
            }
            (Some(values), Some(rng)) => {
                let worst = eligible
                    .iter()
                    .map(|&job| values[job as usize])
                    .max()
                    .unwrap_or(0);
                weights.clear();
                weights.extend(
                    eligible
                        .iter()
                        .map(|&job| (worst - values[job as usize]) as u64 + 1),
                );
                let total: u64 = weights.iter().sum();
                let mut draw = rng.below(total);
                let mut chosen = 0;
                for (index, &weight) in weights.iter().enumerate() {
                    if draw < weight {
                        chosen = index;
                        break;
                    }
                    draw -= weight;
                }
                chosen
            }
        };
        let job = eligible.swap_remove(pick) as usize;
        list.push(job as u32);
        for &successor in prepared.succs(job) {
            let successor = successor as usize;
            remaining[successor] -= 1;
            if remaining[successor] == 0 {
                eligible.push(successor as u32);
            }
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn job(duration: u32, demands: &[u32], successors: &[u32]) -> Job {
        Job {
            duration,
            demands: demands.to_vec(),
            successors: successors.to_vec(),
        }
    }

    fn solve_checked(problem: &Rcpsp, schedules: u32, seed: u64) -> Solution {
        let solution = solve(problem, &SolveOptions { schedules, seed }).unwrap();
        assert_eq!(violations(problem, &solution.starts), vec![]);
        let finish = problem
            .jobs
            .iter()
            .zip(&solution.starts)
            .map(|(job, &start)| start + job.duration)
            .max()
            .unwrap_or(0);
        assert_eq!(solution.makespan, finish, "makespan is the latest finish");
        solution
    }

    /// Two jobs that each need the whole resource cannot overlap: they run one after the other.
    #[test]
    fn jobs_that_exceed_capacity_together_run_in_sequence() {
        let problem = Rcpsp {
            jobs: vec![job(3, &[2], &[]), job(4, &[2], &[])],
            capacities: vec![3],
        };
        let solution = solve_checked(&problem, 50, 1);
        assert_eq!(solution.makespan, 7);
        assert_eq!(lower_bound(&problem), Ok(4));
        assert_eq!(energy_bound(&problem), Ok(5), "14 unit-periods on 3 units");
    }

    /// Capacity 4; `a` (3 periods x 3 units) precedes `d` (2 x 2), `b` is 3 x 3, `c` 6 x 1.
    /// `a` and `b` cannot overlap, and `d` cannot run beside `b`: the search has to find the
    /// order that the exhaustive check below proves optimal.
    #[test]
    fn finds_the_optimum_of_a_small_instance() {
        let problem = Rcpsp {
            jobs: vec![
                job(3, &[3], &[3]),
                job(3, &[3], &[]),
                job(6, &[1], &[]),
                job(2, &[2], &[]),
            ],
            capacities: vec![4],
        };
        let solution = solve_checked(&problem, 300, 7);
        assert_eq!(solution.makespan, brute_force_optimum(&problem));
    }

    #[test]
    fn psplib_style_instance_with_dummies() {
        // Source 0, sink 5; 1 -> 3, 2 -> 4; one resource of 2 units.
        let problem = Rcpsp {
            jobs: vec![
                job(0, &[0], &[1, 2]),
                job(2, &[1], &[3]),
                job(2, &[2], &[4]),
                job(3, &[2], &[5]),
                job(1, &[1], &[5]),
                job(0, &[0], &[]),
            ],
            capacities: vec![2],
        };
        let solution = solve_checked(&problem, 200, 3);
        assert_eq!(solution.makespan, brute_force_optimum(&problem));
        assert_eq!(lower_bound(&problem), Ok(5));
    }

    #[test]
    fn same_seed_same_solution() {
        let problem = random_problem(25, 3, 99);
        let first = solve(
            &problem,
            &SolveOptions {
                schedules: 400,
                seed: 5,
            },
        )
        .unwrap();
        let second = solve(
            &problem,
            &SolveOptions {
                schedules: 400,
                seed: 5,
            },
        )
        .unwrap();
        assert_eq!(first, second);
    }

    #[test]
    fn budget_counts_generated_schedules() {
        let problem = random_problem(30, 4, 3);
        for budget in [1, 2, 3, 10, 137] {
            let solution = solve(
                &problem,
                &SolveOptions {
                    schedules: budget,
                    seed: 0,
                },
            )
            .unwrap();
            assert!(
                solution.schedules_generated <= budget,
                "{budget}: {solution:?}"
            );
            assert_eq!(violations(&problem, &solution.starts), vec![]);
        }
    }

    #[test]
    fn invalid_problems_are_errors_not_panics() {
        let cycle = Rcpsp {
            jobs: vec![job(1, &[], &[1]), job(1, &[], &[0])],
            capacities: vec![],
        };
        assert!(matches!(
            solve(&cycle, &SolveOptions::default()),
            Err(RcpspError::Cycle { .. })
        ));
        let too_big = Rcpsp {
            jobs: vec![job(1, &[5], &[])],
            capacities: vec![4],
        };
        assert!(matches!(
            lower_bound(&too_big),
            Err(RcpspError::DemandOverCapacity { .. })
        ));
        let unknown = Rcpsp {
            jobs: vec![job(1, &[1], &[3])],
            capacities: vec![4],
        };
        assert!(matches!(
            lower_bound(&unknown),
            Err(RcpspError::UnknownSuccessor { .. })
        ));
        let short = Rcpsp {
            jobs: vec![job(1, &[1], &[])],
            capacities: vec![4, 4],
        };
        assert!(matches!(
            lower_bound(&short),
            Err(RcpspError::DemandCount { .. })
        ));
        let empty = Rcpsp::default();
        assert_eq!(solve(&empty, &SolveOptions::default()).unwrap().makespan, 0);
    }

    #[test]
    fn checker_finds_broken_precedence_and_capacity() {
        let problem = Rcpsp {
            jobs: vec![job(2, &[2], &[1]), job(2, &[2], &[])],
            capacities: vec![3],
        };
        assert_eq!(violations(&problem, &[0, 2]), vec![]);
        let found = violations(&problem, &[0, 1]);
        assert!(
            found
                .iter()
                .any(|v| matches!(v, Violation::Precedence { .. }))
        );
        assert!(
            found
                .iter()
                .any(|v| matches!(v, Violation::Capacity { period: 1, .. }))
        );
        assert_eq!(
            violations(&problem, &[0]),
            vec![Violation::Length { starts: 1, jobs: 2 }]
        );
    }

    /// Every schedule of the jobs as serial-SGS decodings of every precedence-feasible order:
    /// the serial SGS reaches an optimum from some order, so the best of them is the optimum.
    fn brute_force_optimum(problem: &Rcpsp) -> u32 {
        let prepared = Prepared::new(problem).unwrap();
        let mut profile = Profile {
            free: vec![0; prepared.horizon * prepared.resources],
            dirty: prepared.horizon,
        };
        let mut starts = vec![0; prepared.jobs];
        let mut best = u32::MAX;
        let mut list = Vec::new();
        let mut used = vec![false; prepared.jobs];
        fn walk(
            prepared: &Prepared,
            profile: &mut Profile,
            list: &mut Vec<u32>,
            used: &mut [bool],
            starts: &mut [u32],
            best: &mut u32,
        ) {
            if list.len() == prepared.jobs {
                let makespan = serial_sgs(prepared, profile, Direction::Forward, list, starts);
                *best = (*best).min(makespan);
                return;
            }
            for job in 0..prepared.jobs {
                if !used[job] && prepared.preds(job).iter().all(|&p| used[p as usize]) {
                    used[job] = true;
                    list.push(job as u32);
                    walk(prepared, profile, list, used, starts, best);
                    list.pop();
                    used[job] = false;
                }
            }
        }
        walk(
            &prepared,
            &mut profile,
            &mut list,
            &mut used,
            &mut starts,
            &mut best,
        );
        best
    }

    /// A random layered instance: links only forward (so no cycles), demands within capacity.
    fn random_problem(jobs: usize, resources: usize, seed: u64) -> Rcpsp {
        let mut rng = Rng(seed);
        let capacities: Vec<u32> = (0..resources).map(|_| 1 + rng.below(8) as u32).collect();
        let jobs = (0..jobs)
            .map(|index| {
                let successors = (index + 1..jobs)
                    .filter(|_| rng.chance(1, 6))
                    .map(|s| s as u32)
                    .collect();
                Job {
                    duration: rng.below(8) as u32,
                    demands: capacities
                        .iter()
                        .map(|&capacity| rng.below(u64::from(capacity) + 1) as u32)
                        .collect(),
                    successors,
                }
            })
            .collect();
        Rcpsp { jobs, capacities }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_solution_is_feasible_and_above_the_bound(
            jobs in 0usize..25,
            resources in 0usize..4,
            seed in any::<u64>(),
            budget in 1u32..200,
        ) {
            let problem = random_problem(jobs, resources, seed);
            let solution = solve(&problem, &SolveOptions { schedules: budget, seed }).unwrap();
            prop_assert_eq!(violations(&problem, &solution.starts), vec![]);
            prop_assert!(solution.makespan >= lower_bound(&problem).unwrap());
            prop_assert!(solution.makespan >= energy_bound(&problem).unwrap());
            prop_assert!(solution.schedules_generated <= budget);
        }

        #[test]
        fn small_instances_reach_the_optimum(seed in any::<u64>()) {
            let problem = random_problem(7, 2, seed);
            let solution = solve(&problem, &SolveOptions { schedules: 2_000, seed }).unwrap();
            prop_assert_eq!(solution.makespan, brute_force_optimum(&problem));
        }
    }
}
