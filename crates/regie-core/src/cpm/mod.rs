//! The critical path method: forward and backward pass, floats, critical path.
//!
//! The pass runs over a node graph built from the WBS and the links:
//! - a leaf task (or milestone) is one node;
//! - a summary task is two nodes: its *begin* node, which gathers the bounds its incoming links
//!   and constraints put on its whole subtree and hands them down to its children, and its *end*
//!   node, which rolls its children's dates up and is where its outgoing links start.
//!
//! Edges are the links plus the structural edges `begin(S) → child` and `child → end(S)`. One
//! topological order of that graph serves three passes, each pulling from finished neighbours:
//! forward (early dates), backward (late dates), and the placement of as-late-as-possible tasks
//! against their successors' *scheduled* dates (so an ALAP task never overlaps an ASAP successor).
//!
//! MS Project's conventions are followed where a choice exists: a task's finish is the end of its
//! last working minute (17:00, not 08:00 the next day), a successor starts at the next working
//! instant after its predecessor's finish, a milestone sits at its predecessor's finish, working
//! lags count on the project calendar, elapsed lags on the clock, and constraint dates win over
//! links ("tasks will always honor their constraint dates") unless the project says otherwise.

mod graph;
mod pass;

pub use graph::{Part, task_parts};

use crate::calendar::{CalendarError, IndexCache};
use crate::model::{Anchor, ConstraintKind, ModelError, Project, TaskId};
use crate::time::{MINUTES_PER_DAY, Minute, format_end, format_minute, format_start, minute_of};

use graph::{Graph, GraphError};
use pass::{Calendars, Pass};

/// The dates and floats of one task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskSchedule {
    /// Where the task is planned: the early dates, or the late ones for as-late-as-possible tasks.
    pub start: Minute,
    pub finish: Minute,
    pub early_start: Minute,
    pub early_finish: Minute,
    pub late_start: Minute,
    pub late_finish: Minute,
    /// Working minutes the task can slip without moving the project finish (or a constraint).
    pub total_float: i64,
    /// Working minutes the task can slip without moving any successor's early date.
    pub free_float: i64,
    pub critical: bool,
}

/// Something the user should know about the schedule that does not stop it being computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The task finishes after its deadline.
    MissedDeadline {
        task: TaskId,
        deadline: Minute,
        finish: Minute,
    },
    /// A constraint date was honoured against the links, which wanted the task later; the
    /// links it overrides are not met.
    ConstraintConflict {
        task: TaskId,
        kind: ConstraintKind,
        date: Minute,
        /// Where the links alone would have put the task's start.
        links_start: Minute,
    },
    /// The late dates come before the early ones: the task has negative float because a
    /// constraint or the project finish is too tight.
    NegativeFloat { task: TaskId, total_float: i64 },
}

impl Warning {
    /// A stable machine name for the kind of warning.
    pub fn kind(&self) -> &'static str {
        match self {
            Warning::MissedDeadline { .. } => "missed-deadline",
            Warning::ConstraintConflict { .. } => "constraint-conflict",
            Warning::NegativeFloat { .. } => "negative-float",
        }
    }

    /// One sentence for the project manager, naming the task and the dates.
    pub fn message(&self, project: &Project) -> String {
        let task = project.task(self.task());
        let who = format!("{} {:?}", task.uid, task.name);
        match *self {
            Warning::MissedDeadline {
                deadline, finish, ..
            } => format!(
                "{who} finishes {} after its deadline {}",
                format_minute(finish),
                format_end(deadline)
            ),
            Warning::ConstraintConflict {
                kind,
                date,
                links_start,
                ..
            } => format!(
                "{who} is held by its constraint {} {} although its links would start it at {}",
                constraint_name(kind),
                if matches!(
                    kind,
                    ConstraintKind::MustFinishOn | ConstraintKind::FinishNoLaterThan
                ) {
                    format_end(date)
                } else {
                    format_start(date)
                },
                format_minute(links_start)
            ),
            Warning::NegativeFloat { total_float, .. } => format!(
                "{who} has negative float ({} working minutes): a constraint or deadline is tighter than its predecessors allow",
                total_float
            ),
        }
    }

    pub fn task(&self) -> TaskId {
        match *self {
            Warning::MissedDeadline { task, .. }
            | Warning::ConstraintConflict { task, .. }
            | Warning::NegativeFloat { task, .. } => task,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub start: Minute,
    pub finish: Minute,
    /// Indexed by [`TaskId`].
    pub tasks: Vec<TaskSchedule>,
    pub warnings: Vec<Warning>,
}

impl Schedule {
    pub fn task(&self, id: TaskId) -> &TaskSchedule {
        &self.tasks[id.index()]
    }

    /// The critical path(s): groups of critical leaf tasks joined by driving links, each in
    /// order of start. Several groups mean several independent critical chains.
    pub fn critical_paths(&self, project: &Project) -> Vec<Vec<TaskId>> {
        let summary = project.summary_flags();
        let n = project.tasks.len();
        // Union-find over critical leaves joined by links between critical tasks.
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        let is_critical_leaf = |id: TaskId| !summary[id.index()] && self.tasks[id.index()].critical;
        let leaves_of = |id: TaskId| -> Vec<TaskId> {
            if !summary[id.index()] {
                return vec![id];
            }
            descendants(project, id)
                .into_iter()
                .filter(|&d| !summary[d.index()])
                .collect()
        };
        for link in &project.links {
            for pred in leaves_of(link.pred) {
                for succ in leaves_of(link.succ) {
                    if is_critical_leaf(pred) && is_critical_leaf(succ) {
                        let (a, b) = (
                            find(&mut parent, pred.index()),
                            find(&mut parent, succ.index()),
                        );
                        parent[a] = b;
                    }
                }
            }
        }
        let mut groups: std::collections::BTreeMap<usize, Vec<TaskId>> = Default::default();
        for id in project.task_ids() {
            if is_critical_leaf(id) {
                let root = find(&mut parent, id.index());
                groups.entry(root).or_default().push(id);
            }
        }
        let mut paths: Vec<Vec<TaskId>> = groups.into_values().collect();
        for path in &mut paths {
            path.sort_by_key(|id| {
                (
                    self.tasks[id.index()].start,
                    self.tasks[id.index()].finish,
                    *id,
                )
            });
        }
        paths.sort_by_key(|p| (self.tasks[p[0].index()].start, p[0]));
        paths
    }
}

fn constraint_name(kind: ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::AsSoonAsPossible => "as-soon-as-possible",
        ConstraintKind::AsLateAsPossible => "as-late-as-possible",
        ConstraintKind::StartNoEarlierThan => "start-no-earlier-than",
        ConstraintKind::StartNoLaterThan => "start-no-later-than",
        ConstraintKind::FinishNoEarlierThan => "finish-no-earlier-than",
        ConstraintKind::FinishNoLaterThan => "finish-no-later-than",
        ConstraintKind::MustStartOn => "must-start-on",
        ConstraintKind::MustFinishOn => "must-finish-on",
    }
}

fn descendants(project: &Project, id: TaskId) -> Vec<TaskId> {
    // Tasks are in outline order: the subtree of `id` is the run of tasks after it whose
    // ancestor chain reaches `id`.
    let mut inside = vec![false; project.tasks.len()];
    inside[id.index()] = true;
    let mut out = Vec::new();
    for index in id.index() + 1..project.tasks.len() {
        match project.tasks[index].parent {
            Some(p) if inside[p.index()] => {
                inside[index] = true;
                out.push(TaskId(index as u32));
            }
            _ => break,
        }
    }
    out
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScheduleError {
    #[error("dependency cycle: {}", names.join(" → "))]
    Cycle {
        /// The tasks around the cycle, the first repeated at the end.
        tasks: Vec<TaskId>,
        names: Vec<String>,
    },
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("the plan runs past year {year}: check durations, lags and constraint dates")]
    TooLong { year: i16 },
}

/// Computes the schedule of `project`.
pub fn schedule(project: &Project) -> Result<Schedule, ScheduleError> {
    schedule_with(project, &mut IndexCache::default())
}

/// [`schedule`], keeping the calendar indexes in `cache` for the next call: what leveling,
/// which reschedules a plan many times with only its constraints changed, calls. The result
/// is the same as [`schedule`]'s.
pub fn schedule_with(project: &Project, cache: &mut IndexCache) -> Result<Schedule, ScheduleError> {
    cache.use_calendars(&project.calendars);
    let graph = Graph::build(project).map_err(|error| {
        let mut cycle = match error {
            GraphError::Model(error) => return ScheduleError::Model(error),
            GraphError::Cycle(cycle) => cycle,
        };
        // Name each task once (a summary has two nodes), start at the earliest task in the
        // file, and close the loop.
        cycle.dedup();
        if cycle.len() > 1 && cycle.first() == cycle.last() {
            cycle.pop();
        }
        let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
        cycle.rotate_left(first);
        cycle.extend(cycle.first().copied());
        let names = cycle
            .iter()
            .map(|id| project.task(*id).name.clone())
            .collect();
        ScheduleError::Cycle {
            tasks: cycle,
            names,
        }
    })?;
    let anchor = match project.anchor {
        Anchor::Start(at) => AnchorAt::Start(minute_of(at)),
        Anchor::Finish(at) => AnchorAt::Finish(minute_of(at)),
    };
    // The calendars are indexed over a horizon around the project's dates; a plan that runs
    // past it is recomputed over a longer one (rare: the first horizon spans twelve years).
    let (first, last) = graph.date_range;
    let (first_day, last_day) = (
        first.div_euclid(MINUTES_PER_DAY),
        last.div_euclid(MINUTES_PER_DAY),
    );
    let (mut from_day, mut to_day) = match anchor {
        AnchorAt::Start(_) => (first_day - 2 * 366, last_day + 10 * 366),
        AnchorAt::Finish(_) => (first_day - 10 * 366, last_day + 2 * 366),
    };
    loop {
        let calendars = Calendars::build(project, &graph, from_day, to_day, cache)?;
        let mut pass = Pass::new(project, &graph, &calendars);
        pass.run(anchor);
        if !pass.saturated {
            return Ok(pass.finish());
        }
        let span = to_day - from_day;
        if span > 200 * 366 {
            let year = crate::time::date_of_day(to_day).year();
            return Err(ScheduleError::TooLong { year });
        }
        from_day -= span;
        to_day += span;
    }
}

/// The project's anchor as an instant.
#[derive(Clone, Copy, Debug)]
enum AnchorAt {
    Start(Minute),
    Finish(Minute),
}
