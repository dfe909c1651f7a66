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

use crate::calendar::{CalendarError, CalendarIndex};
use crate::model::{
    Anchor, CalendarId, ConstraintKind, Lag, LinkKind, ModelError, Project, ResourceKind, TaskId,
};
use crate::time::{Minute, day_number, format_minute, minute_of};

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
                format_minute(deadline)
            ),
            Warning::ConstraintConflict {
                kind,
                date,
                links_start,
                ..
            } => format!(
                "{who} is held by its constraint {} {} although its links would start it at {}",
                constraint_name(kind),
                format_minute(date),
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
    project.validate_references()?;
    let graph = Graph::build(project).map_err(|mut cycle| {
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
    // The calendars are indexed over a horizon around the project's dates; a plan that runs
    // past it is recomputed over a longer one (rare: the first horizon spans twelve years).
    let (mut from_day, mut to_day) = initial_horizon(project);
    loop {
        let calendars = Calendars::build(project, &graph, from_day, to_day)?;
        let mut pass = Pass::new(project, &graph, &calendars);
        pass.run();
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

fn initial_horizon(project: &Project) -> (i64, i64) {
    let mut days: Vec<i64> = Vec::new();
    match project.anchor {
        Anchor::Start(dt) | Anchor::Finish(dt) => days.push(day_number(dt.date())),
    }
    days.extend(project.status_date.map(|d| day_number(d.date())));
    for task in &project.tasks {
        days.extend(task.constraint.date.map(|d| day_number(d.date())));
        days.extend(task.deadline.map(|d| day_number(d.date())));
    }
    let min = days.iter().copied().min().unwrap_or(0);
    let max = days.iter().copied().max().unwrap_or(0);
    match project.anchor {
        Anchor::Start(_) => (min - 2 * 366, max + 10 * 366),
        Anchor::Finish(_) => (min - 10 * 366, max + 2 * 366),
    }
}

/// Calendar index per calendar in use, plus the 24-hour clock for elapsed time.
struct Calendars {
    by_id: Vec<Option<CalendarIndex>>,
    always: CalendarIndex,
    project: usize,
}

impl Calendars {
    fn build(
        project: &Project,
        graph: &Graph,
        from_day: i64,
        to_day: i64,
    ) -> Result<Calendars, CalendarError> {
        let mut used = vec![false; project.calendars.len()];
        used[project.calendar.index()] = true;
        for part in &graph.parts {
            if let Some(cal) = part.calendar {
                used[cal.index()] = true;
            }
        }
        let from = crate::time::date_of_day(from_day);
        let to = crate::time::date_of_day(to_day);
        let mut by_id = Vec::with_capacity(used.len());
        for (index, used) in used.into_iter().enumerate() {
            by_id.push(if used {
                Some(CalendarIndex::build(
                    &project.calendars,
                    CalendarId(index as u32),
                    from,
                    to,
                )?)
            } else {
                None
            });
        }
        Ok(Calendars {
            by_id,
            always: CalendarIndex::always(),
            project: project.calendar.index(),
        })
    }

    fn get(&self, calendar: Option<CalendarId>) -> &CalendarIndex {
        match calendar {
            Some(id) => self.by_id[id.index()].as_ref().unwrap_or(&self.always),
            None => &self.always,
        }
    }

    fn project(&self) -> &CalendarIndex {
        self.by_id[self.project].as_ref().unwrap_or(&self.always)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EdgeKind {
    Link(LinkKind),
    /// `begin(S) → child`: the child inherits the summary's bounds.
    Parent,
    /// `child → end(S)`: the summary rolls the child up.
    RollUp,
}

/// An edge as the passes read it, packed into 12 bytes: the passes are bound by memory
/// traffic over a quarter of a million edges, not by arithmetic.
#[derive(Clone, Copy, Debug)]
struct Edge {
    other: u32,
    lag_amount: i32,
    kind: EdgeKind,
    lag_unit: LagUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LagUnit {
    Working,
    Elapsed,
    Percent,
}

impl Edge {
    fn new(other: u32, kind: EdgeKind, lag: Lag) -> Edge {
        // Lags beyond ±4,000 years of minutes are clamped: no plan lives that long.
        let clamp = |m: i64| m.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
        let (lag_unit, lag_amount) = match lag {
            Lag::Working(m) => (LagUnit::Working, clamp(m)),
            Lag::Elapsed(m) => (LagUnit::Elapsed, clamp(m)),
            Lag::Percent(p) => (LagUnit::Percent, p),
        };
        Edge {
            other,
            lag_amount,
            kind,
            lag_unit,
        }
    }

    fn lag(&self) -> Lag {
        let amount = i64::from(self.lag_amount);
        match self.lag_unit {
            LagUnit::Working => Lag::Working(amount),
            LagUnit::Elapsed => Lag::Elapsed(amount),
            LagUnit::Percent => Lag::Percent(self.lag_amount),
        }
    }
}

/// How a leaf task spends its duration: on one calendar, or one per assigned resource whose
/// calendar differs (the task finishes when its last assignment does, as in MS Project).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Part {
    /// `None`: the 24-hour clock (elapsed durations).
    calendar: Option<CalendarId>,
    minutes: i64,
}

/// What the passes need of a task, gathered in one scan of the model: the passes visit tasks
/// in dependency order, and reaching into the large `Task` structs there costs a cache miss
/// each time.
#[derive(Clone, Copy, Debug)]
struct TaskInfo {
    parent: Option<TaskId>,
    summary: bool,
    alap: bool,
    constraint: ConstraintKind,
    /// The constraint's date (meaningless when the kind needs none).
    constraint_at: Minute,
    deadline: Option<Minute>,
}

impl TaskInfo {
    /// The constraint with its date, when it has one.
    fn dated(&self) -> Option<(ConstraintKind, Minute)> {
        self.constraint
            .needs_date()
            .then_some((self.constraint, self.constraint_at))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NodeKind {
    Leaf,
    Begin,
    End,
}

/// The node graph, numbered in topological order: every pass walks the nodes `0..n` forward or
/// backward over arrays laid out in that order, so memory is read in sequence (on 100,000 tasks
/// the passes are bound by memory traffic, not arithmetic).
struct Graph {
    n_tasks: usize,
    /// Per node.
    kinds: Vec<NodeKind>,
    task_of: Vec<u32>,
    info: Vec<TaskInfo>,
    /// A begin node's end node and back; a leaf's own position.
    partner: Vec<u32>,
    out_offsets: Vec<u32>,
    out_edges: Vec<Edge>,
    in_offsets: Vec<u32>,
    in_edges: Vec<Edge>,
    /// Parts of leaf node `i`: `parts[part_offsets[i]..part_offsets[i + 1]]`.
    part_offsets: Vec<u32>,
    parts: Vec<Part>,
    /// Per task.
    tasks: Vec<TaskInfo>,
    /// Per task: its leaf or begin node, and its end node (the same for a leaf).
    node_of: Vec<u32>,
    end_of: Vec<u32>,
}

/// An edge between two nodes, before the adjacency is built.
#[derive(Clone, Copy, Debug)]
struct RawEdge {
    from: u32,
    to: u32,
    edge: Edge,
}

impl Graph {
    /// Builds the graph, or returns the tasks around a dependency cycle.
    fn build(project: &Project) -> Result<Graph, Vec<TaskId>> {
        let n_tasks = project.tasks.len();
        let tasks = task_infos(project);

        // First numbering: task `i` is node `i` (a leaf, or a summary's begin node); the end
        // nodes of summaries follow.
        let mut first_kind: Vec<NodeKind> = tasks
            .iter()
            .map(|t| if t.summary { NodeKind::Begin } else { NodeKind::Leaf })
            .collect();
        let mut first_task: Vec<u32> = (0..n_tasks as u32).collect();
        let mut first_end: Vec<u32> = (0..n_tasks as u32).collect();
        for (index, task) in tasks.iter().enumerate() {
            if task.summary {
                first_end[index] = first_kind.len() as u32;
                first_kind.push(NodeKind::End);
                first_task.push(index as u32);
            }
        }
        let n_nodes = first_kind.len();
        let mut edges = edge_list(project, &tasks, &first_end);

        let order = topological_order(n_nodes, &edges).map_err(|cycle| {
            cycle
                .into_iter()
                .map(|node| TaskId(first_task[node as usize]))
                .collect::<Vec<_>>()
        })?;
        let mut position = vec![0u32; n_nodes];
        for (at, &node) in order.iter().enumerate() {
            position[node as usize] = at as u32;
        }

        let kinds: Vec<NodeKind> = order.iter().map(|&v| first_kind[v as usize]).collect();
        let task_of: Vec<u32> = order.iter().map(|&v| first_task[v as usize]).collect();
        let info: Vec<TaskInfo> = task_of.iter().map(|&t| tasks[t as usize]).collect();
        let node_of: Vec<u32> = position[..n_tasks].to_vec();
        let end_of: Vec<u32> = first_end.iter().map(|&e| position[e as usize]).collect();
        let mut partner: Vec<u32> = (0..n_nodes as u32).collect();
        for task in 0..n_tasks {
            partner[node_of[task] as usize] = end_of[task];
            partner[end_of[task] as usize] = node_of[task];
        }
        for raw in &mut edges {
            raw.from = position[raw.from as usize];
            raw.to = position[raw.to as usize];
        }
        let Adjacency {
            out_offsets,
            out_edges,
            in_offsets,
            in_edges,
        } = adjacency(n_nodes, &edges);

        let (task_part_offsets, task_parts) = leaf_parts(project, &tasks);
        let mut part_offsets = Vec::with_capacity(n_nodes + 1);
        let mut parts = Vec::with_capacity(task_parts.len());
        part_offsets.push(0u32);
        for (at, &v) in order.iter().enumerate() {
            if kinds[at] == NodeKind::Leaf {
                let task = first_task[v as usize] as usize;
                let range = task_part_offsets[task] as usize..task_part_offsets[task + 1] as usize;
                parts.extend_from_slice(&task_parts[range]);
            }
            part_offsets.push(parts.len() as u32);
        }
        Ok(Graph {
            n_tasks,
            kinds,
            task_of,
            info,
            partner,
            out_offsets,
            out_edges,
            in_offsets,
            in_edges,
            part_offsets,
            parts,
            tasks,
            node_of,
            end_of,
        })
    }

    fn out(&self, node: usize) -> &[Edge] {
        &self.out_edges[self.out_offsets[node] as usize..self.out_offsets[node + 1] as usize]
    }

    fn inc(&self, node: usize) -> &[Edge] {
        &self.in_edges[self.in_offsets[node] as usize..self.in_offsets[node + 1] as usize]
    }

    fn parts(&self, node: usize) -> &[Part] {
        &self.parts[self.part_offsets[node] as usize..self.part_offsets[node + 1] as usize]
    }
}

fn task_infos(project: &Project) -> Vec<TaskInfo> {
    let finish_anchored = matches!(project.anchor, Anchor::Finish(_));
    let mut tasks: Vec<TaskInfo> = project
        .tasks
        .iter()
        .map(|task| {
            let constraint = task.constraint.kind;
            TaskInfo {
                parent: task.parent,
                summary: false,
                alap: match constraint {
                    ConstraintKind::AsLateAsPossible => true,
                    // A project planned back from its finish places its tasks as late as it can.
                    ConstraintKind::AsSoonAsPossible => finish_anchored,
                    _ => false,
                },
                constraint: if constraint.needs_date() && task.constraint.date.is_none() {
                    ConstraintKind::AsSoonAsPossible
                } else {
                    constraint
                },
                constraint_at: task.constraint.date.map_or(0, minute_of),
                deadline: task.deadline.map(minute_of),
            }
        })
        .collect();
    for index in 0..tasks.len() {
        if let Some(parent) = tasks[index].parent {
            tasks[parent.index()].summary = true;
        }
    }
    tasks
}

/// The links and the structural edges, in the first numbering.
fn edge_list(project: &Project, tasks: &[TaskInfo], end_of: &[u32]) -> Vec<RawEdge> {
    let mut edges = Vec::with_capacity(project.links.len() + 2 * tasks.len());
    edges.extend(project.links.iter().map(|link| RawEdge {
        from: end_of[link.pred.index()],
        to: link.succ.0,
        edge: Edge::new(0, EdgeKind::Link(link.kind), link.lag),
    }));
    let no_lag = Lag::Working(0);
    for (index, task) in tasks.iter().enumerate() {
        if let Some(parent) = task.parent {
            edges.push(RawEdge {
                from: parent.0,
                to: index as u32,
                edge: Edge::new(0, EdgeKind::Parent, no_lag),
            });
            edges.push(RawEdge {
                from: end_of[index],
                to: end_of[parent.index()],
                edge: Edge::new(0, EdgeKind::RollUp, no_lag),
            });
        }
    }
    edges
}

/// Kahn's algorithm; on a cycle, the nodes around one cycle (first numbering).
fn topological_order(n_nodes: usize, edges: &[RawEdge]) -> Result<Vec<u32>, Vec<u32>> {
    let mut offsets = vec![0u32; n_nodes + 1];
    let mut indegree = vec![0u32; n_nodes];
    for raw in edges {
        offsets[raw.from as usize + 1] += 1;
        indegree[raw.to as usize] += 1;
    }
    for i in 0..n_nodes {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut targets = vec![0u32; offsets[n_nodes] as usize];
    for raw in edges {
        let slot = &mut fill[raw.from as usize];
        targets[*slot as usize] = raw.to;
        *slot += 1;
    }
    let mut order: Vec<u32> = Vec::with_capacity(n_nodes);
    order.extend((0..n_nodes as u32).filter(|&v| indegree[v as usize] == 0));
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
    if order.len() == n_nodes {
        return Ok(order);
    }
    Err(find_cycle(n_nodes, edges, &indegree))
}

/// Every node left with a nonzero in-degree lies on or behind a cycle: walking backwards along
/// such predecessors must come back to a node already seen.
fn find_cycle(n_nodes: usize, edges: &[RawEdge], indegree: &[u32]) -> Vec<u32> {
    let mut predecessor = vec![u32::MAX; n_nodes];
    for raw in edges {
        if indegree[raw.from as usize] > 0 && indegree[raw.to as usize] > 0 {
            predecessor[raw.to as usize] = raw.from;
        }
    }
    let start = indegree.iter().position(|&d| d > 0).unwrap_or(0);
    let mut seen_at = vec![usize::MAX; n_nodes];
    let mut walk: Vec<u32> = Vec::new();
    let mut v = start;
    while seen_at[v] == usize::MAX && predecessor[v] != u32::MAX {
        seen_at[v] = walk.len();
        walk.push(v as u32);
        v = predecessor[v] as usize;
    }
    // `walk[seen_at[v]..]` is the cycle, walked backwards.
    let from = seen_at[v].min(walk.len());
    walk[from..].iter().rev().copied().collect()
}

/// Outgoing and incoming adjacency, compressed (offsets into one edge array per direction).
struct Adjacency {
    out_offsets: Vec<u32>,
    out_edges: Vec<Edge>,
    in_offsets: Vec<u32>,
    in_edges: Vec<Edge>,
}

fn adjacency(n_nodes: usize, edges: &[RawEdge]) -> Adjacency {
    let mut out_offsets = vec![0u32; n_nodes + 1];
    let mut in_offsets = vec![0u32; n_nodes + 1];
    for raw in edges {
        out_offsets[raw.from as usize + 1] += 1;
        in_offsets[raw.to as usize + 1] += 1;
    }
    for i in 0..n_nodes {
        out_offsets[i + 1] += out_offsets[i];
        in_offsets[i + 1] += in_offsets[i];
    }
    let mut out_fill = out_offsets.clone();
    let mut in_fill = in_offsets.clone();
    let placeholder = Edge::new(0, EdgeKind::Parent, Lag::Working(0));
    let mut out_edges = vec![placeholder; out_offsets[n_nodes] as usize];
    let mut in_edges = vec![placeholder; in_offsets[n_nodes] as usize];
    for raw in edges {
        let slot = &mut out_fill[raw.from as usize];
        out_edges[*slot as usize] = Edge {
            other: raw.to,
            ..raw.edge
        };
        *slot += 1;
        let slot = &mut in_fill[raw.to as usize];
        in_edges[*slot as usize] = Edge {
            other: raw.from,
            ..raw.edge
        };
        *slot += 1;
    }
    Adjacency {
        out_offsets,
        out_edges,
        in_offsets,
        in_edges,
    }
}

/// The duration of each leaf task on each calendar it is worked on.
fn leaf_parts(project: &Project, tasks: &[TaskInfo]) -> (Vec<u32>, Vec<Part>) {
    let mut assignments_of: Vec<Vec<usize>> = vec![Vec::new(); project.tasks.len()];
    for (index, assignment) in project.assignments.iter().enumerate() {
        let resource = &project.resources[assignment.resource.index()];
        if resource.kind == ResourceKind::Work && assignment.units > 0 {
            assignments_of[assignment.task.index()].push(index);
        }
    }
    let mut offsets = Vec::with_capacity(project.tasks.len() + 1);
    let mut parts = Vec::with_capacity(project.tasks.len());
    offsets.push(0u32);
    for (index, task) in project.tasks.iter().enumerate() {
        if tasks[index].summary {
            offsets.push(parts.len() as u32);
            continue;
        }
        let first = parts.len();
        let total_units: i64 = assignments_of[index]
            .iter()
            .map(|&a| i64::from(project.assignments[a].units))
            .sum();
        // A task given as work with no duration lasts work / units (effort-driven).
        let task_minutes = if task.milestone {
            0
        } else if task.duration.minutes == 0 && total_units > 0 {
            task.work.map_or(0, |w| w * 100 / total_units)
        } else {
            task.duration.minutes
        };
        if task.duration.elapsed && !task.milestone {
            parts.push(Part {
                calendar: None,
                minutes: task_minutes,
            });
        } else if let Some(cal) = task.calendar {
            parts.push(Part {
                calendar: Some(cal),
                minutes: task_minutes,
            });
        } else {
            for &a in &assignments_of[index] {
                let assignment = &project.assignments[a];
                let resource = &project.resources[assignment.resource.index()];
                let minutes = match (task.milestone, assignment.work) {
                    (true, _) => 0,
                    (false, Some(work)) => work * 100 / i64::from(assignment.units),
                    (false, None) => task_minutes,
                };
                let part = Part {
                    calendar: Some(resource.calendar.unwrap_or(project.calendar)),
                    minutes,
                };
                if !parts[first..].contains(&part) {
                    parts.push(part);
                }
            }
            if parts.len() == first {
                parts.push(Part {
                    calendar: Some(project.calendar),
                    minutes: task_minutes,
                });
            }
        }
        offsets.push(parts.len() as u32);
    }
    (offsets, parts)
}

const NEVER_BEFORE: Minute = Minute::MIN / 4;
const NEVER_AFTER: Minute = Minute::MAX / 4;

/// The working state of one computation.
struct Pass<'a> {
    project: &'a Project,
    graph: &'a Graph,
    calendars: &'a Calendars,
    /// Per node. For a begin node: `es`/`ef` hold the bounds handed to the children, and after
    /// the backward pass `ls`/`lf` hold the earliest late start/finish among them.
    es: Vec<Minute>,
    ef: Vec<Minute>,
    ls: Vec<Minute>,
    lf: Vec<Minute>,
    /// Scheduled dates (early, or late for ALAP), per node like the others.
    ss: Vec<Minute>,
    sf: Vec<Minute>,
    /// Working length of each node (for percent lags).
    length: Vec<i64>,
    warnings: Vec<Warning>,
    saturated: bool,
    project_start: Minute,
    project_finish: Minute,
}

impl<'a> Pass<'a> {
    fn new(project: &'a Project, graph: &'a Graph, calendars: &'a Calendars) -> Pass<'a> {
        let n = graph.kinds.len();
        Pass {
            project,
            graph,
            calendars,
            es: vec![NEVER_BEFORE; n],
            ef: vec![NEVER_BEFORE; n],
            ls: vec![NEVER_AFTER; n],
            lf: vec![NEVER_AFTER; n],
            ss: vec![0; n],
            sf: vec![0; n],
            length: vec![0; n],
            warnings: Vec::new(),
            saturated: false,
            project_start: 0,
            project_finish: 0,
        }
    }

    fn run(&mut self) {
        match self.project.anchor {
            Anchor::Start(start) => {
                self.project_start = minute_of(start);
                self.forward();
                self.project_finish = self.max_early_finish();
                self.backward();
            }
            Anchor::Finish(finish) => {
                self.project_finish = minute_of(finish);
                // The forward pass needs each task's length for percent lags and its start
                // bound: run backward first from the finish, then forward from the earliest
                // late start.
                self.compute_lengths();
                self.backward();
                self.project_start = self.min_late_start();
                self.forward();
            }
        }
        self.place();
    }

    fn max_early_finish(&self) -> Minute {
        (0..self.graph.n_tasks)
            .filter(|&t| self.graph.tasks[t].parent.is_none())
            .map(|t| self.ef[self.graph.end_of[t] as usize])
            .max()
            .unwrap_or(self.project_start)
    }

    fn min_late_start(&self) -> Minute {
        (0..self.graph.n_tasks)
            .filter(|&t| self.graph.tasks[t].parent.is_none())
            .map(|t| self.ls[self.graph.node_of[t] as usize])
            .min()
            .unwrap_or(self.project_finish)
    }

    fn compute_lengths(&mut self) {
        for node in 0..self.graph.kinds.len() {
            if self.graph.kinds[node] == NodeKind::Leaf {
                self.length[node] = self
                    .graph
                    .parts(node)
                    .iter()
                    .map(|p| p.minutes)
                    .max()
                    .unwrap_or(0);
            }
        }
    }

    fn cal(&self) -> &'a CalendarIndex {
        self.calendars.project()
    }

    fn note_saturation(&mut self, calendar: &CalendarIndex, t: Minute) {
        if calendar.saturated(t) {
            self.saturated = true;
        }
    }

    /// `t` moved by the lag of a link, forward.
    fn lagged(&mut self, t: Minute, lag: Lag, pred_length: i64) -> Minute {
        let cal = self.cal();
        let shifted = match lag {
            Lag::Working(0) => return t,
            Lag::Working(m) => cal.add(t, m),
            Lag::Elapsed(m) => return t + m,
            Lag::Percent(p) => cal.add(t, pred_length * i64::from(p) / 100),
        };
        self.note_saturation(cal, shifted);
        shifted
    }

    /// `t` moved by the lag of a link, backward (the inverse of [`Self::lagged`]).
    fn unlagged(&mut self, t: Minute, lag: Lag, pred_length: i64) -> Minute {
        let cal = self.cal();
        let shifted = match lag {
            Lag::Working(0) => return t,
            Lag::Working(m) => cal.sub(t, m),
            Lag::Elapsed(m) => return t - m,
            Lag::Percent(p) => cal.sub(t, pred_length * i64::from(p) / 100),
        };
        self.note_saturation(cal, shifted);
        shifted
    }

    /// Start and finish of leaf `task` when it starts no earlier than `t`.
    fn forward_timing(&mut self, task: usize, t: Minute) -> (Minute, Minute) {
        let mut start = NEVER_AFTER;
        let mut finish = NEVER_BEFORE;
        let (graph, calendars) = (self.graph, self.calendars);
        for part in graph.parts(task) {
            let cal = calendars.get(part.calendar);
            let (s, f) = if part.minutes == 0 {
                let at = if cal.is_working(t) || cal.prev_working_end(t) == t {
                    t
                } else {
                    cal.next_working(t)
                };
                (at, at)
            } else {
                let s = cal.next_working(t);
                (s, cal.add(s, part.minutes))
            };
            if cal.saturated(f) || cal.saturated(s) {
                self.saturated = true;
            }
            start = start.min(s);
            finish = finish.max(f);
        }
        (start, finish)
    }

    /// Start and finish of leaf `task` when it finishes no later than `t`.
    fn backward_timing(&mut self, task: usize, t: Minute) -> (Minute, Minute) {
        let mut start = NEVER_AFTER;
        let mut finish = NEVER_BEFORE;
        let (graph, calendars) = (self.graph, self.calendars);
        for part in graph.parts(task) {
            let cal = calendars.get(part.calendar);
            let (s, f) = if part.minutes == 0 {
                let at = if cal.is_working(t) || cal.prev_working_end(t) == t {
                    t
                } else {
                    cal.prev_working_end(t)
                };
                (at, at)
            } else {
                let f = cal.prev_working_end(t);
                (cal.sub(f, part.minutes), f)
            };
            if cal.saturated(f) || cal.saturated(s) {
                self.saturated = true;
            }
            start = start.min(s);
            finish = finish.max(f);
        }
        (start, finish)
    }

    /// Lower bounds (start, finish) that a node's incoming edges put on it.
    fn incoming_bounds(&mut self, node: usize) -> (Minute, Minute) {
        let mut start_bound = self.project_start;
        let mut finish_bound = NEVER_BEFORE;
        let graph = self.graph;
        for edge in graph.inc(node) {
            let u = edge.other as usize;
            match edge.kind {
                EdgeKind::Parent => {
                    start_bound = start_bound.max(self.es[u]);
                    finish_bound = finish_bound.max(self.ef[u]);
                }
                EdgeKind::RollUp => {}
                EdgeKind::Link(kind) => {
                    let length = self.length[u];
                    match kind {
                        LinkKind::FinishToStart => {
                            let t = self.lagged(self.ef[u], edge.lag(), length);
                            start_bound = start_bound.max(t);
                        }
                        LinkKind::StartToStart => {
                            let t = self.lagged(self.es[u], edge.lag(), length);
                            start_bound = start_bound.max(t);
                        }
                        LinkKind::FinishToFinish => {
                            let t = self.lagged(self.ef[u], edge.lag(), length);
                            finish_bound = finish_bound.max(t);
                        }
                        LinkKind::StartToFinish => {
                            let t = self.lagged(self.es[u], edge.lag(), length);
                            finish_bound = finish_bound.max(t);
                        }
                    }
                }
            }
        }
        (start_bound, finish_bound)
    }

    fn forward(&mut self) {
        let honor = self.project.honor_constraints;
        let graph = self.graph;
        for node in 0..graph.kinds.len() {
            let info = graph.info[node];
            let constraint_date = info.dated().map(|(_, date)| date);
            match graph.kinds[node] {
                NodeKind::End => {
                    let (mut start, mut finish) = (NEVER_AFTER, NEVER_BEFORE);
                    for edge in graph.inc(node) {
                        if edge.kind == EdgeKind::RollUp {
                            let child = edge.other as usize;
                            start = start.min(self.es[child]);
                            finish = finish.max(self.ef[child]);
                        }
                    }
                    self.es[node] = start;
                    self.ef[node] = finish;
                    self.length[node] = self.cal().work_between(start, finish);
                }
                NodeKind::Begin => {
                    let (mut start_bound, mut finish_bound) = self.incoming_bounds(node);
                    // Summaries take the two "no earlier than" constraints, which bound their
                    // whole subtree; the others belong on leaf tasks.
                    match (info.constraint, constraint_date) {
                        (ConstraintKind::StartNoEarlierThan, Some(d)) => {
                            start_bound = start_bound.max(d)
                        }
                        (ConstraintKind::FinishNoEarlierThan, Some(d)) => {
                            finish_bound = finish_bound.max(d)
                        }
                        _ => {}
                    }
                    self.es[node] = start_bound;
                    self.ef[node] = finish_bound;
                }
                NodeKind::Leaf => {
                    let (mut start_bound, finish_bound) = self.incoming_bounds(node);
                    let mut finish_bound = finish_bound;
                    let kind = info.constraint;
                    match (kind, constraint_date) {
                        (ConstraintKind::StartNoEarlierThan, Some(d)) => {
                            start_bound = start_bound.max(d)
                        }
                        (ConstraintKind::FinishNoEarlierThan, Some(d)) => {
                            finish_bound = finish_bound.max(d)
                        }
                        (ConstraintKind::MustStartOn, Some(d)) if !honor => {
                            start_bound = start_bound.max(d)
                        }
                        (ConstraintKind::MustFinishOn, Some(d)) if !honor => {
                            finish_bound = finish_bound.max(d)
                        }
                        _ => {}
                    }
                    if finish_bound > NEVER_BEFORE {
                        let (s, _) = self.backward_timing(node, finish_bound);
                        start_bound = start_bound.max(s);
                    }
                    let (mut start, mut finish) = self.forward_timing(node, start_bound);
                    if honor {
                        let pinned = match (kind, constraint_date) {
                            (ConstraintKind::MustStartOn, Some(d)) => {
                                Some(self.forward_timing(node, d))
                            }
                            (ConstraintKind::MustFinishOn, Some(d)) => {
                                Some(self.backward_timing(node, d))
                            }
                            (ConstraintKind::StartNoLaterThan, Some(d)) => {
                                let at = self.forward_timing(node, d);
                                (at.0 < start).then_some(at)
                            }
                            (ConstraintKind::FinishNoLaterThan, Some(d)) => {
                                let at = self.backward_timing(node, d);
                                (at.1 < finish).then_some(at)
                            }
                            _ => None,
                        };
                        if let (Some(at), Some(d)) = (pinned, constraint_date) {
                            if at.0 < start {
                                self.warnings.push(Warning::ConstraintConflict {
                                    task: TaskId(graph.task_of[node]),
                                    kind,
                                    date: d,
                                    links_start: start,
                                });
                            }
                            (start, finish) = at;
                        }
                    }
                    self.es[node] = start;
                    self.ef[node] = finish;
                    self.length[node] = graph
                        .parts(node)
                        .iter()
                        .map(|p| p.minutes)
                        .max()
                        .unwrap_or(0);
                }
            }
        }
    }

    /// Upper bounds (start, finish) that a node's outgoing edges put on it, from `late` dates
    /// (`ls`/`lf`) or from the scheduled ones (`ss`/`sf`).
    fn outgoing_bounds(&mut self, node: usize, scheduled: bool) -> (Minute, Minute) {
        let mut start_bound = NEVER_AFTER;
        let mut finish_bound = self.project_finish;
        let length = self.length[node];
        let graph = self.graph;
        for edge in graph.out(node) {
            let w = edge.other as usize;
            let (w_start, w_finish) = if scheduled {
                (self.ss[w], self.sf[w])
            } else {
                (self.ls[w], self.lf[w])
            };
            match edge.kind {
                EdgeKind::RollUp => {
                    // `w` is the parent's end node: its bounds, from the parent's successors,
                    // hold for each child.
                    start_bound = start_bound.min(w_start);
                    finish_bound = finish_bound.min(w_finish);
                }
                EdgeKind::Parent => {}
                EdgeKind::Link(kind) => {
                    let cal = self.cal();
                    let elapsed = matches!(edge.lag(), Lag::Elapsed(_));
                    // Working lags count the same from any instant of one working-time point
                    // (Fri 17:00 is Mon 08:00); clock lags do not, so for them the backward
                    // pass inverts exactly what the forward pass does: a successor's date at the
                    // end of a working day reaches up to the next working instant, and a predecessor's start
                    // must be a working instant no later than the bound.
                    let (from, to_start) = match kind {
                        LinkKind::FinishToStart => (w_start, false),
                        LinkKind::StartToStart => (w_start, true),
                        LinkKind::FinishToFinish => (w_finish, false),
                        LinkKind::StartToFinish => (w_finish, true),
                    };
                    let from = if elapsed && !cal.is_working(from) {
                        cal.next_working(from)
                    } else {
                        from
                    };
                    let mut t = self.unlagged(from, edge.lag(), length);
                    if elapsed && to_start && !cal.is_working(t) {
                        // A milestone may sit at the end of a working day; a task must start
                        // on a working minute.
                        t = cal.prev_working_end(t) - i64::from(length > 0);
                    }
                    if to_start {
                        start_bound = start_bound.min(t);
                    } else {
                        finish_bound = finish_bound.min(t);
                    }
                }
            }
        }
        (start_bound, finish_bound)
    }

    /// The latest (start, finish) of a leaf given upper bounds on both.
    fn latest_timing(
        &mut self,
        node: usize,
        start_bound: Minute,
        finish_bound: Minute,
    ) -> (Minute, Minute) {
        let mut finish_bound = finish_bound;
        if start_bound < NEVER_AFTER {
            let (_, f) = self.forward_timing(node, start_bound);
            // A start bound at a working instant lets the task finish where a start there would.
            finish_bound = finish_bound.min(f);
        }
        self.backward_timing(node, finish_bound)
    }

    fn backward(&mut self) {
        let honor = self.project.honor_constraints;
        let graph = self.graph;
        for node in (0..graph.kinds.len()).rev() {
            let info = graph.info[node];
            let constraint_date = info.dated().map(|(_, date)| date);
            match graph.kinds[node] {
                NodeKind::Begin => {
                    // Roll the children up: links into the summary hold for every child, so
                    // their predecessors see the earliest late start and the earliest late finish.
                    let (mut start, mut finish) = (NEVER_AFTER, NEVER_AFTER);
                    for edge in graph.out(node) {
                        if edge.kind == EdgeKind::Parent {
                            let child = edge.other as usize;
                            start = start.min(self.ls[child]);
                            finish = finish.min(self.lf[child]);
                        }
                    }
                    self.ls[node] = start;
                    self.lf[node] = finish;
                }
                NodeKind::End => {
                    let (mut start_bound, mut finish_bound) = self.outgoing_bounds(node, false);
                    match (info.constraint, constraint_date) {
                        (ConstraintKind::StartNoLaterThan, Some(d)) => {
                            start_bound = start_bound.min(d)
                        }
                        (ConstraintKind::FinishNoLaterThan, Some(d)) => {
                            finish_bound = finish_bound.min(d)
                        }
                        _ => {}
                    }
                    self.ls[node] = start_bound;
                    self.lf[node] = finish_bound;
                }
                NodeKind::Leaf => {
                    let (mut start_bound, mut finish_bound) = self.outgoing_bounds(node, false);
                    let pinned = match (info.constraint, constraint_date) {
                        (ConstraintKind::StartNoLaterThan, Some(d)) => {
                            start_bound = start_bound.min(d);
                            None
                        }
                        (ConstraintKind::FinishNoLaterThan, Some(d)) => {
                            finish_bound = finish_bound.min(d);
                            None
                        }
                        (ConstraintKind::MustStartOn, Some(d)) if honor => {
                            Some(self.forward_timing(node, d))
                        }
                        (ConstraintKind::MustFinishOn, Some(d)) if honor => {
                            Some(self.backward_timing(node, d))
                        }
                        (ConstraintKind::MustStartOn, Some(d)) => {
                            start_bound = start_bound.min(d);
                            None
                        }
                        (ConstraintKind::MustFinishOn, Some(d)) => {
                            finish_bound = finish_bound.min(d);
                            None
                        }
                        _ => None,
                    };
                    let (start, finish) = match pinned {
                        Some(at) => at,
                        None => self.latest_timing(node, start_bound, finish_bound),
                    };
                    self.ls[node] = start;
                    self.lf[node] = finish;
                }
            }
        }
    }

    /// Scheduled dates: early dates, except as-late-as-possible tasks, placed as late as their
    /// successors' scheduled dates allow (never before their early dates).
    fn place(&mut self) {
        let graph = self.graph;
        for node in (0..graph.kinds.len()).rev() {
            match graph.kinds[node] {
                NodeKind::Begin => {
                    let (mut start, mut finish) = (NEVER_AFTER, NEVER_AFTER);
                    for edge in graph.out(node) {
                        if edge.kind == EdgeKind::Parent {
                            let child = edge.other as usize;
                            start = start.min(self.ss[child]);
                            finish = finish.min(self.sf[child]);
                        }
                    }
                    self.ss[node] = start;
                    self.sf[node] = finish;
                }
                NodeKind::End => {
                    let (start_bound, finish_bound) = self.outgoing_bounds(node, true);
                    let (ls, lf) = (self.ls[node], self.lf[node]);
                    self.ss[node] = start_bound.min(ls);
                    self.sf[node] = finish_bound.min(lf);
                }
                NodeKind::Leaf => {
                    let (start, finish) = if graph.info[node].alap {
                        let (start_bound, finish_bound) = self.outgoing_bounds(node, true);
                        let late = self.latest_timing(node, start_bound, finish_bound);
                        if late.0 < self.es[node] {
                            (self.es[node], self.ef[node])
                        } else {
                            late
                        }
                    } else {
                        (self.es[node], self.ef[node])
                    };
                    self.ss[node] = start;
                    self.sf[node] = finish;
                }
            }
        }
    }

    fn finish(mut self) -> Schedule {
        let graph = self.graph;
        let n = graph.n_tasks;
        let mut tasks: Vec<TaskSchedule> = (0..n)
            .map(|t| {
                if graph.tasks[t].summary {
                    // Filled by the roll-up below.
                    let end = graph.end_of[t] as usize;
                    return TaskSchedule {
                        start: NEVER_AFTER,
                        finish: NEVER_BEFORE,
                        early_start: self.es[end],
                        early_finish: self.ef[end],
                        late_start: NEVER_AFTER,
                        late_finish: NEVER_BEFORE,
                        total_float: i64::MAX,
                        free_float: 0,
                        critical: false,
                    };
                }
                let node = graph.node_of[t] as usize;
                let (es, ef, ls, lf) = (self.es[node], self.ef[node], self.ls[node], self.lf[node]);
                let total_float = if es == ls && ef == lf {
                    0
                } else {
                    let calendar = graph.parts(node).first().and_then(|p| p.calendar);
                    let calendar = self.calendars.get(calendar);
                    calendar
                        .work_between(es, ls)
                        .min(calendar.work_between(ef, lf))
                };
                TaskSchedule {
                    start: self.ss[node],
                    finish: self.sf[node],
                    early_start: es,
                    early_finish: ef,
                    late_start: ls,
                    late_finish: lf,
                    total_float,
                    free_float: 0,
                    critical: total_float <= 0,
                }
            })
            .collect();
        // Summaries roll their children up, bottom-up: children come after their parent in
        // outline order, so a reverse walk sees every child before its parent.
        for t in (0..n).rev() {
            if let Some(parent) = graph.tasks[t].parent {
                let child = tasks[t];
                let summary = &mut tasks[parent.index()];
                summary.start = summary.start.min(child.start);
                summary.finish = summary.finish.max(child.finish);
                summary.late_start = summary.late_start.min(child.late_start);
                summary.late_finish = summary.late_finish.max(child.late_finish);
                summary.total_float = summary.total_float.min(child.total_float);
                summary.critical = summary.total_float <= 0;
            }
        }
        self.free_floats(&mut tasks);
        for (index, task) in tasks.iter().enumerate() {
            let info = &graph.tasks[index];
            let id = TaskId(index as u32);
            if let Some(deadline) = info.deadline
                && task.finish > deadline
            {
                self.warnings.push(Warning::MissedDeadline {
                    task: id,
                    deadline,
                    finish: task.finish,
                });
            }
            if !info.summary && task.total_float < 0 {
                self.warnings.push(Warning::NegativeFloat {
                    task: id,
                    total_float: task.total_float,
                });
            }
        }
        self.warnings.sort_by_key(|w| w.task());
        let start = tasks
            .iter()
            .map(|t| t.start)
            .min()
            .unwrap_or(self.project_start);
        let finish = tasks.iter().map(|t| t.finish).max().unwrap_or(start);
        Schedule {
            start,
            finish,
            tasks,
            warnings: self.warnings,
        }
    }

    /// How far each task can slip, in working minutes of the project calendar, before some
    /// successor's early date moves; at most its total float.
    fn free_floats(&mut self, tasks: &mut [TaskSchedule]) {
        let graph = self.graph;
        let n_nodes = graph.kinds.len();
        let mut gap = vec![i64::MAX; n_nodes];
        let cal = self.cal();
        // A node's gap depends on its successors' early dates and, through its roll-up edge, on
        // its parent's end node, which comes later in topological order: walk backwards.
        for node in (0..n_nodes).rev() {
            if graph.kinds[node] == NodeKind::Begin {
                continue;
            }
            let mut smallest = i64::MAX;
            let length = self.length[node];
            for edge in graph.out(node) {
                let w = edge.other as usize;
                let slack = match edge.kind {
                    EdgeKind::RollUp => {
                        let parent_gap = gap[w];
                        let to_parent_end = cal.work_between(self.ef[node], self.ef[w]);
                        if parent_gap == i64::MAX {
                            continue;
                        }
                        to_parent_end.saturating_add(parent_gap)
                    }
                    EdgeKind::Parent => continue,
                    EdgeKind::Link(kind) => {
                        let (from, to) = match kind {
                            LinkKind::FinishToStart => (self.ef[node], self.es_of_successor(w)),
                            LinkKind::StartToStart => (self.es[node], self.es_of_successor(w)),
                            LinkKind::FinishToFinish => (self.ef[node], self.ef_of_successor(w)),
                            LinkKind::StartToFinish => (self.es[node], self.ef_of_successor(w)),
                        };
                        let required = self.lagged(from, edge.lag(), length);
                        if required >= to {
                            0
                        } else {
                            cal.work_between(required, to)
                        }
                    }
                };
                smallest = smallest.min(slack);
            }
            gap[node] = smallest;
        }
        for (t, task) in tasks.iter_mut().enumerate() {
            let node = graph.end_of[t] as usize;
            task.free_float = gap[node].min(task.total_float.max(0));
        }
    }

    fn es_of_successor(&self, node: usize) -> Minute {
        match self.graph.kinds[node] {
            // A link into a summary reaches its earliest child.
            NodeKind::Begin => self.es[self.graph.partner[node] as usize],
            _ => self.es[node],
        }
    }

    fn ef_of_successor(&self, node: usize) -> Minute {
        match self.graph.kinds[node] {
            NodeKind::Begin => self.ef[self.graph.partner[node] as usize],
            _ => self.ef[node],
        }
    }
}
