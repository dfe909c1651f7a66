//! The node graph the passes walk, numbered in topological order.
//!
//! A leaf task is one node; a summary task is a *begin* node (which hands the bounds of its
//! incoming links and constraints down to its children) and an *end* node (which rolls its
//! children up and where its outgoing links start). Edges are the links plus `begin(S) → child`
//! and `child → end(S)`.
//!
//! Nodes are renumbered in topological order so that every pass walks arrays from first to last
//! (or last to first): on 100,000 tasks the passes are bound by memory traffic, and reading in
//! sequence is what keeps them within a few times a bare topological sort.

use crate::model::{
    Anchor, CalendarId, ConstraintKind, Lag, LinkKind, ModelError, Project, ResourceKind, TaskId,
};
use crate::time::{Minute, minute_of};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EdgeKind {
    Link(LinkKind),
    /// `begin(S) → child`: the child inherits the summary's bounds.
    Parent,
    /// `child → end(S)`: the summary rolls the child up.
    RollUp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LagUnit {
    Working,
    Elapsed,
    Percent,
}

/// An edge as the passes read it, packed into 12 bytes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Edge {
    pub other: u32,
    pub lag_amount: i32,
    pub kind: EdgeKind,
    pub lag_unit: LagUnit,
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

    pub fn lag(&self) -> Lag {
        let amount = i64::from(self.lag_amount);
        match self.lag_unit {
            LagUnit::Working => Lag::Working(amount),
            LagUnit::Elapsed => Lag::Elapsed(amount),
            LagUnit::Percent => Lag::Percent(self.lag_amount),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NodeKind {
    Leaf,
    Begin,
    End,
}

/// A stretch of a leaf task's work on one calendar. A task is one part on its own calendar, or
/// one per assigned resource whose calendar differs (it finishes when its last assignment does,
/// as in MS Project).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    /// `None`: the 24-hour clock (elapsed durations).
    pub calendar: Option<CalendarId>,
    /// The task's span on that calendar: its work and its pauses.
    pub minutes: i64,
    /// Of `minutes`, the pauses of a split task.
    pub paused: i64,
}

/// For every task, the working minutes it takes on each calendar it is worked on, exactly as
/// the engine counts them (summaries get one part of their own duration; the caller ignores
/// it). Writers that must state durations per calendar use this rather than re-deriving it.
pub fn task_parts(project: &Project) -> Vec<Vec<Part>> {
    let assignments = AssignmentsByTask::new(project);
    let mut parts = Vec::new();
    (0..project.tasks.len())
        .map(|index| {
            leaf_parts(project, index, &assignments, &mut parts);
            parts.clone()
        })
        .collect()
}

/// What the passes need of a task, gathered in one scan of the model: reaching into the large
/// `Task` structs in dependency order would cost a cache miss per task. A summary's begin and
/// end nodes share their task's entry.
#[derive(Clone, Copy, Debug)]
pub(super) struct TaskData {
    pub parent: Option<TaskId>,
    pub summary: bool,
    pub alap: bool,
    /// As soon as possible when the constraint has no date.
    pub constraint: ConstraintKind,
    pub constraint_at: Minute,
    pub deadline: Option<Minute>,
    /// The first part of a leaf; `extra` indexes the others in [`Graph::extra_parts`].
    pub part: Part,
    pub extra: (u32, u32),
    /// The longest part, for percent lags.
    pub length: i64,
    /// Dates that are facts or the user's own: actuals, manual scheduling.
    pub fixed: Fixed,
    /// The fixed dates are actuals: the task has started, so the links into it no longer
    /// hold its predecessors back.
    pub started: bool,
}

/// Dates of a leaf task that no link moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fixed {
    Free,
    /// Started (an actual start) and not finished: the rest of its work follows.
    Start(Minute),
    /// Finished, or manually scheduled: it stays exactly there.
    Dates(Minute, Minute),
    /// Finished with no recorded start: it ran its duration up to this finish.
    Finish(Minute),
}

impl TaskData {
    /// The constraint's date, when its kind has one.
    pub fn constraint_date(&self) -> Option<Minute> {
        self.constraint.needs_date().then_some(self.constraint_at)
    }
}

pub(super) enum GraphError {
    /// The tasks around a dependency cycle.
    Cycle(Vec<TaskId>),
    Model(ModelError),
}

impl From<ModelError> for GraphError {
    fn from(error: ModelError) -> GraphError {
        GraphError::Model(error)
    }
}

pub(super) struct Graph {
    /// Per node.
    pub kinds: Vec<NodeKind>,
    pub node_task: Vec<u32>,
    /// A begin node's end node and back; a leaf's own position.
    pub partner: Vec<u32>,
    out_offsets: Vec<u32>,
    out_edges: Vec<Edge>,
    pub extra_parts: Vec<Part>,
    /// Per task.
    pub tasks: Vec<TaskData>,
    /// Per task: its leaf or begin node, and its end node (the same for a leaf).
    pub node_of: Vec<u32>,
    pub end_of: Vec<u32>,
    /// The earliest and latest date the model names (start, constraints, deadlines).
    pub date_range: (Minute, Minute),
}

impl Graph {
    /// Builds the graph, checking each reference as it reads it.
    pub fn build(project: &Project) -> Result<Graph, GraphError> {
        project.validate_outside_tasks()?;
        let (tasks, extra_parts, date_range) = scan_tasks(project)?;
        let outline = Outline::number(&tasks);
        let n_nodes = outline.task.len();
        let (offsets, edges) = first_adjacency(project, &tasks, &outline, n_nodes)?;

        // Plans are mostly written in the order they are carried out: when the outline
        // numbering is already topological, it is the order (and the graph is acyclic).
        let outline_is_topological = (0..n_nodes).all(|v| {
            edges[offsets[v] as usize..offsets[v + 1] as usize]
                .iter()
                .all(|edge| edge.other as usize > v)
        });
        let Outline {
            task: first_task,
            kind: first_kind,
            begin,
            end,
        } = outline;
        let (kinds, node_task, node_of, end_of, out_offsets, out_edges) = if outline_is_topological
        {
            (first_kind, first_task, begin, end, offsets, edges)
        } else {
            let order = topological_order(&offsets, &edges).map_err(|cycle| {
                GraphError::Cycle(
                    cycle
                        .into_iter()
                        .map(|node| TaskId(first_task[node as usize]))
                        .collect(),
                )
            })?;
            let mut position = vec![0u32; n_nodes];
            for (at, &node) in order.iter().enumerate() {
                position[node as usize] = at as u32;
            }
            let (out_offsets, out_edges) = renumber(&order, &position, &offsets, &edges);
            let kinds = order.iter().map(|&v| first_kind[v as usize]).collect();
            let node_task = order.iter().map(|&v| first_task[v as usize]).collect();
            let node_of = begin.iter().map(|&v| position[v as usize]).collect();
            let end_of = end.iter().map(|&v| position[v as usize]).collect();
            (kinds, node_task, node_of, end_of, out_offsets, out_edges)
        };
        let mut partner: Vec<u32> = (0..n_nodes as u32).collect();
        for (&begin, &end) in node_of.iter().zip(&end_of) {
            partner[begin as usize] = end;
            partner[end as usize] = begin;
        }
        Ok(Graph {
            kinds,
            node_task,
            partner,
            out_offsets,
            out_edges,
            extra_parts,
            tasks,
            node_of,
            end_of,
            date_range,
        })
    }

    /// The nodes in topological order: position, kind and the data of its task.
    pub fn nodes(
        &self,
    ) -> impl DoubleEndedIterator<Item = (usize, NodeKind, &TaskData)> + ExactSizeIterator {
        self.kinds
            .iter()
            .zip(&self.node_task)
            .enumerate()
            .map(|(at, (&kind, &task))| (at, kind, &self.tasks[task as usize]))
    }

    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    pub fn out(&self, node: usize) -> &[Edge] {
        &self.out_edges[self.out_offsets[node] as usize..self.out_offsets[node + 1] as usize]
    }

    /// The parts of a leaf task beyond its first.
    pub fn extra(&self, task: &TaskData) -> &[Part] {
        &self.extra_parts[task.extra.0 as usize..task.extra.1 as usize]
    }

    /// Every calendar some part is worked on.
    pub fn calendars_used(&self) -> impl Iterator<Item = CalendarId> + '_ {
        let main = self.tasks.iter().filter_map(|t| t.part.calendar);
        main.chain(self.extra_parts.iter().filter_map(|p| p.calendar))
    }
}

/// The first numbering of the nodes, in outline order: a leaf or a summary's begin node where
/// the task stands, a summary's end node right after its last descendant.
struct Outline {
    /// Per node.
    task: Vec<u32>,
    kind: Vec<NodeKind>,
    /// Per task.
    begin: Vec<u32>,
    end: Vec<u32>,
}

impl Outline {
    fn number(tasks: &[TaskData]) -> Outline {
        let n_tasks = tasks.len();
        let mut outline = Outline {
            task: Vec::with_capacity(n_tasks + n_tasks / 4),
            kind: Vec::with_capacity(n_tasks + n_tasks / 4),
            begin: vec![0; n_tasks],
            end: vec![0; n_tasks],
        };
        let mut open: Vec<u32> = Vec::new();
        let close = |outline: &mut Outline, summary: u32| {
            outline.end[summary as usize] = outline.task.len() as u32;
            outline.task.push(summary);
            outline.kind.push(NodeKind::End);
        };
        for (index, task) in tasks.iter().enumerate() {
            // Close the summaries this task is not inside.
            while let Some(&top) = open.last() {
                if task.parent == Some(TaskId(top)) {
                    break;
                }
                open.pop();
                close(&mut outline, top);
            }
            let node = outline.task.len() as u32;
            outline.begin[index] = node;
            outline.end[index] = node;
            outline.task.push(index as u32);
            if task.summary {
                outline.kind.push(NodeKind::Begin);
                open.push(index as u32);
            } else {
                outline.kind.push(NodeKind::Leaf);
            }
        }
        while let Some(top) = open.pop() {
            close(&mut outline, top);
        }
        outline
    }
}

/// The adjacency with nodes renumbered so that node `order[i]` becomes node `i`.
fn renumber(
    order: &[u32],
    position: &[u32],
    offsets: &[u32],
    edges: &[Edge],
) -> (Vec<u32>, Vec<Edge>) {
    let mut out_offsets = Vec::with_capacity(order.len() + 1);
    let mut out_edges = Vec::with_capacity(edges.len());
    out_offsets.push(0u32);
    for &first in order {
        let first = first as usize;
        let range = offsets[first] as usize..offsets[first + 1] as usize;
        out_edges.extend(edges[range].iter().map(|edge| Edge {
            other: position[edge.other as usize],
            ..*edge
        }));
        out_offsets.push(out_edges.len() as u32);
    }
    (out_offsets, out_edges)
}

/// One scan of the tasks: per-task info, a node template per task, the extra parts, and the
/// range of dates named.
type Scan = (Vec<TaskData>, Vec<Part>, (Minute, Minute));

fn scan_tasks(project: &Project) -> Result<Scan, ModelError> {
    let finish_anchored = matches!(project.anchor, Anchor::Finish(_));
    let anchor = match project.anchor {
        Anchor::Start(at) | Anchor::Finish(at) => minute_of(at),
    };
    let mut range = (anchor, anchor);
    let assignments = AssignmentsByTask::new(project);
    let mut extra_parts = Vec::new();
    let mut tasks = Vec::with_capacity(project.tasks.len());
    let mut parts = Vec::with_capacity(4);
    for (index, task) in project.tasks.iter().enumerate() {
        project.validate_task(index, task)?;
        let kind = task.constraint.kind;
        let constraint = match task.constraint.date {
            None if kind.needs_date() => ConstraintKind::AsSoonAsPossible,
            _ => kind,
        };
        let constraint_at = task.constraint.date.map_or(0, minute_of);
        let deadline = task.deadline.map(minute_of);
        let actual_start = task.progress.actual_start.map(minute_of);
        let actual_finish = task.progress.actual_finish.map(minute_of);
        let fixed = match (task.manual, actual_start, actual_finish) {
            (_, Some(start), Some(finish)) => Fixed::Dates(start, finish.max(start)),
            (_, None, Some(finish)) => Fixed::Finish(finish),
            (_, Some(start), None) => Fixed::Start(start),
            (Some(manual), None, None) => {
                let start = minute_of(manual.start);
                Fixed::Dates(start, minute_of(manual.finish).max(start))
            }
            (None, None, None) => Fixed::Free,
        };
        for at in [actual_start, actual_finish].into_iter().flatten() {
            range = (range.0.min(at), range.1.max(at));
        }
        for at in deadline
            .into_iter()
            .chain(task.constraint.date.map(|_| constraint_at))
        {
            range = (range.0.min(at), range.1.max(at));
        }
        let extra_start = extra_parts.len() as u32;
        leaf_parts(project, index, &assignments, &mut parts);
        let part = parts[0];
        extra_parts.extend_from_slice(&parts[1..]);
        tasks.push(TaskData {
            parent: task.parent,
            summary: false,
            deadline,
            constraint,
            alap: match kind {
                ConstraintKind::AsLateAsPossible => true,
                // A project planned back from its finish places its tasks as late as it can.
                ConstraintKind::AsSoonAsPossible => finish_anchored,
                _ => false,
            },
            constraint_at,
            part,
            extra: (extra_start, extra_parts.len() as u32),
            length: parts.iter().map(|p| p.minutes).max().unwrap_or(0),
            fixed,
            started: actual_start.is_some() || actual_finish.is_some(),
        });
    }
    for index in 0..tasks.len() {
        if let Some(parent) = tasks[index].parent {
            tasks[parent.index()].summary = true;
        }
    }
    Ok((tasks, extra_parts, range))
}

/// Work assignments grouped by task (a counting sort; most plans in the benchmark have none).
struct AssignmentsByTask {
    offsets: Vec<u32>,
    indexes: Vec<u32>,
}

impl AssignmentsByTask {
    fn new(project: &Project) -> AssignmentsByTask {
        let counted = project.assignments.iter().enumerate().filter(|(_, a)| {
            project.resources[a.resource.index()].kind == ResourceKind::Work && a.units > 0
        });
        if project.assignments.is_empty() {
            return AssignmentsByTask {
                offsets: Vec::new(),
                indexes: Vec::new(),
            };
        }
        let mut offsets = vec![0u32; project.tasks.len() + 1];
        for (_, a) in counted.clone() {
            offsets[a.task.index() + 1] += 1;
        }
        for i in 0..project.tasks.len() {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut indexes = vec![0u32; offsets[project.tasks.len()] as usize];
        for (index, a) in counted {
            let slot = &mut fill[a.task.index()];
            indexes[*slot as usize] = index as u32;
            *slot += 1;
        }
        AssignmentsByTask { offsets, indexes }
    }

    fn of(&self, task: usize) -> &[u32] {
        match self.offsets.get(task..task + 2) {
            Some(&[from, to]) => &self.indexes[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// The duration of one task on each calendar it is worked on (at least one part), into `parts`.
fn leaf_parts(
    project: &Project,
    index: usize,
    assignments: &AssignmentsByTask,
    parts: &mut Vec<Part>,
) {
    parts.clear();
    let task = &project.tasks[index];
    let assigned = assignments.of(index);
    let total_units: i64 = assigned
        .iter()
        .map(|&a| i64::from(project.assignments[a as usize].units))
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
            paused: 0,
        });
        return;
    }
    if let Some(calendar) = task.calendar {
        parts.push(Part {
            calendar: Some(calendar),
            minutes: task_minutes,
            paused: 0,
        });
    }
    // A task calendar overrides the resources' calendars.
    let on_resource_calendars = if task.calendar.is_some() {
        &[][..]
    } else {
        assigned
    };
    for &a in on_resource_calendars {
        let assignment = &project.assignments[a as usize];
        let resource = &project.resources[assignment.resource.index()];
        let minutes = match (task.milestone, assignment.work) {
            (true, _) => 0,
            (false, Some(work)) => work * 100 / i64::from(assignment.units),
            (false, None) => task_minutes,
        };
        let part = Part {
            calendar: Some(resource.calendar.unwrap_or(project.calendar)),
            minutes,
            paused: 0,
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        parts.push(Part {
            calendar: Some(project.calendar),
            minutes: task_minutes,
            paused: 0,
        });
    }
    // A split task's pauses lengthen its span on its calendar; a pause after the last minute
    // of work (an assignment shorter than the task) pauses nothing.
    if !task.splits.is_empty() {
        for part in parts.iter_mut() {
            part.paused = task
                .splits
                .iter()
                .filter(|split| split.after < part.minutes)
                .map(|split| split.pause)
                .sum();
            part.minutes += part.paused;
        }
    }
}

/// The outgoing adjacency in the first numbering: links, then the structural edges.
fn first_adjacency(
    project: &Project,
    tasks: &[TaskData],
    outline: &Outline,
    n_nodes: usize,
) -> Result<(Vec<u32>, Vec<Edge>), ModelError> {
    let (begin_of, end_of) = (&outline.begin, &outline.end);
    let mut offsets = vec![0u32; n_nodes + 1];
    for link in &project.links {
        project.validate_link(link)?;
        offsets[end_of[link.pred.index()] as usize + 1] += 1;
    }
    for (index, task) in tasks.iter().enumerate() {
        if let Some(parent) = task.parent {
            offsets[begin_of[parent.index()] as usize + 1] += 1;
            offsets[end_of[index] as usize + 1] += 1;
        }
    }
    for i in 0..n_nodes {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let no_lag = Lag::Working(0);
    let mut edges = vec![Edge::new(0, EdgeKind::Parent, no_lag); offsets[n_nodes] as usize];
    let mut put = |from: u32, edge: Edge| {
        let slot = &mut fill[from as usize];
        edges[*slot as usize] = edge;
        *slot += 1;
    };
    for link in &project.links {
        put(
            end_of[link.pred.index()],
            Edge::new(
                begin_of[link.succ.index()],
                EdgeKind::Link(link.kind),
                link.lag,
            ),
        );
    }
    for (index, task) in tasks.iter().enumerate() {
        if let Some(parent) = task.parent {
            put(
                begin_of[parent.index()],
                Edge::new(begin_of[index], EdgeKind::Parent, no_lag),
            );
            put(
                end_of[index],
                Edge::new(end_of[parent.index()], EdgeKind::RollUp, no_lag),
            );
        }
    }
    Ok((offsets, edges))
}

/// Kahn's algorithm; on a cycle, the nodes around one cycle, in link order.
fn topological_order(offsets: &[u32], edges: &[Edge]) -> Result<Vec<u32>, Vec<u32>> {
    let n_nodes = offsets.len() - 1;
    let mut indegree = vec![0u32; n_nodes];
    for edge in edges {
        indegree[edge.other as usize] += 1;
    }
    let mut order: Vec<u32> = Vec::with_capacity(n_nodes);
    order.extend((0..n_nodes as u32).filter(|&v| indegree[v as usize] == 0));
    let mut head = 0;
    while head < order.len() {
        let v = order[head] as usize;
        head += 1;
        for edge in &edges[offsets[v] as usize..offsets[v + 1] as usize] {
            let w = edge.other as usize;
            indegree[w] -= 1;
            if indegree[w] == 0 {
                order.push(w as u32);
            }
        }
    }
    if order.len() == n_nodes {
        return Ok(order);
    }
    Err(find_cycle(offsets, edges, &indegree))
}

/// Every node left with a nonzero in-degree lies on or behind a cycle: walking backwards along
/// such predecessors must come back to a node already seen.
fn find_cycle(offsets: &[u32], edges: &[Edge], indegree: &[u32]) -> Vec<u32> {
    let n_nodes = offsets.len() - 1;
    let mut predecessor = vec![u32::MAX; n_nodes];
    for v in (0..n_nodes).filter(|&v| indegree[v] > 0) {
        for edge in &edges[offsets[v] as usize..offsets[v + 1] as usize] {
            if indegree[edge.other as usize] > 0 {
                predecessor[edge.other as usize] = v as u32;
            }
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
