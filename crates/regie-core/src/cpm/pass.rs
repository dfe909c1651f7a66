//! The passes over the graph: forward (early dates), backward (late dates), placement of
//! as-late-as-possible tasks, then floats and the per-task result.
//!
//! The forward pass walks nodes in topological order and *pushes* each node's dates along its
//! outgoing edges into its successors' bounds; the backward pass and the placement walk the other
//! way and *pull* from the successors. Both read only outgoing edges, so the graph keeps one
//! adjacency.

use std::sync::Arc;

use crate::calendar::{CalendarError, CalendarIndex, IndexCache};
use crate::model::{CalendarId, ConstraintKind, Lag, LinkKind, Project, TaskId};
use crate::time::Minute;

use super::graph::{EdgeKind, Fixed, Graph, LagUnit, NodeKind, Part, TaskData};
use super::{Schedule, TaskSchedule, Warning};

const NEVER_BEFORE: Minute = Minute::MIN / 4;
const NEVER_AFTER: Minute = Minute::MAX / 4;

/// Calendar index per calendar in use, plus the 24-hour clock for elapsed time.
pub(super) struct Calendars {
    by_id: Vec<Option<Arc<CalendarIndex>>>,
    always: CalendarIndex,
    project: usize,
}

impl Calendars {
    /// The calendars the plan uses, indexed over `from_day..=to_day` at least, from `cache`.
    pub fn build(
        project: &Project,
        graph: &Graph,
        from_day: i64,
        to_day: i64,
        cache: &mut IndexCache,
    ) -> Result<Calendars, CalendarError> {
        let mut used = vec![false; project.calendars.len()];
        used[project.calendar.index()] = true;
        for calendar in graph.calendars_used() {
            used[calendar.index()] = true;
        }
        let mut by_id = Vec::with_capacity(used.len());
        for (index, used) in used.into_iter().enumerate() {
            let id = CalendarId(index as u32);
            by_id.push(match used {
                true => Some(cache.get(&project.calendars, id, from_day, to_day)?),
                false => None,
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
            Some(id) => self.by_id[id.index()].as_deref().unwrap_or(&self.always),
            None => &self.always,
        }
    }

    fn project(&self) -> &CalendarIndex {
        self.by_id[self.project].as_deref().unwrap_or(&self.always)
    }
}

/// The dates of one node, kept together so each node costs one cache line.
///
/// Before the forward pass reaches a leaf or begin node, `es`/`ef` collect the lower bounds its
/// predecessors push; before it reaches an end node, they collect its children's roll-up. For
/// a begin node they stay bounds (handed to the children), and after the backward pass
/// `ls`/`lf` and `ss`/`sf` hold the earliest late and scheduled start/finish among its children,
/// which is what links into a summary must respect.
#[derive(Clone, Copy, Debug)]
struct Times {
    es: Minute,
    ef: Minute,
    ls: Minute,
    lf: Minute,
    ss: Minute,
    sf: Minute,
    /// Working length, for percent lags.
    length: i64,
    /// The finish bound comes from a predecessor's start (a start-to-finish link).
    finish_from_start: bool,
}

pub(super) struct Pass<'a> {
    project: &'a Project,
    graph: &'a Graph,
    calendars: &'a Calendars,
    times: Vec<Times>,
    warnings: Vec<Warning>,
    /// Some date ran into the edge of the calendar horizon: recompute over a longer one.
    pub saturated: bool,
    /// Some task has actuals (most plans being planned have none: skip the lookups).
    any_started: bool,
    project_start: Minute,
    project_finish: Minute,
}

impl<'a> Pass<'a> {
    pub fn new(project: &'a Project, graph: &'a Graph, calendars: &'a Calendars) -> Pass<'a> {
        let times = graph
            .nodes()
            .map(|(_, _, node)| Times {
                es: NEVER_BEFORE,
                ef: NEVER_BEFORE,
                ls: NEVER_AFTER,
                lf: NEVER_AFTER,
                ss: 0,
                sf: 0,
                length: node.length,
                finish_from_start: false,
            })
            .collect();
        Pass {
            project,
            graph,
            calendars,
            times,
            warnings: Vec::new(),
            saturated: false,
            any_started: graph.tasks.iter().any(|t| t.started),
            project_start: 0,
            project_finish: 0,
        }
    }

    pub fn run(&mut self, anchor: super::AnchorAt) {
        match anchor {
            super::AnchorAt::Start(start) => {
                self.project_start = start;
                self.forward();
                self.project_finish = self
                    .graph
                    .kinds
                    .iter()
                    .zip(&self.times)
                    .filter(|(kind, _)| **kind != NodeKind::Begin)
                    .map(|(_, t)| t.ef)
                    .max()
                    .unwrap_or(start);
                self.backward();
            }
            super::AnchorAt::Finish(finish) => {
                // Backward first from the finish, then forward from the earliest late start.
                self.project_finish = finish;
                self.backward();
                self.project_start = self
                    .graph
                    .kinds
                    .iter()
                    .zip(&self.times)
                    .filter(|(kind, _)| **kind == NodeKind::Leaf)
                    .map(|(_, t)| t.ls)
                    .min()
                    .unwrap_or(finish);
                self.forward();
            }
        }
        // Without as-late-as-possible tasks every node is placed at its early dates.
        if self.graph.tasks.iter().any(|t| t.alap && !t.summary) {
            self.place();
        } else {
            for t in &mut self.times {
                (t.ss, t.sf) = (t.es, t.ef);
            }
        }
    }

    fn cal(&self) -> &'a CalendarIndex {
        self.calendars.project()
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
        self.saturated |= cal.saturated(shifted);
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
        self.saturated |= cal.saturated(shifted);
        shifted
    }

    /// Start and finish of a part that starts no earlier than `t`. A zero-length part (a
    /// milestone) stays at a working day's end rather than moving to the next morning.
    fn part_forward(&mut self, part: Part, t: Minute) -> (Minute, Minute) {
        let cal = self.calendars.get(part.calendar);
        let (s, f) = if part.minutes == 0 {
            let at = if cal.is_working(t) || cal.prev_working_end(t) == t {
                t
            } else {
                cal.next_working(t)
            };
            (at, at)
        } else {
            cal.span_after(t, part.minutes)
        };
        self.saturated |= cal.saturated(s) || cal.saturated(f);
        (s, f)
    }

    /// Start and finish of a part that finishes no later than `t`.
    fn part_backward(&mut self, part: Part, t: Minute) -> (Minute, Minute) {
        let cal = self.calendars.get(part.calendar);
        let (s, f) = if part.minutes == 0 {
            let at = if cal.is_working(t) || cal.prev_working_end(t) == t {
                t
            } else {
                cal.prev_working_end(t)
            };
            (at, at)
        } else {
            cal.span_before(t, part.minutes)
        };
        self.saturated |= cal.saturated(s) || cal.saturated(f);
        (s, f)
    }

    /// Start and finish of a leaf that starts no earlier than `t`: its first part's start, its
    /// last part's finish.
    fn forward_timing(&mut self, node: &TaskData, t: Minute) -> (Minute, Minute) {
        let (mut start, mut finish) = self.part_forward(node.part, t);
        for &part in self.graph.extra(node) {
            let (s, f) = self.part_forward(part, t);
            (start, finish) = (start.min(s), finish.max(f));
        }
        (start, finish)
    }

    /// Start and finish of a leaf that finishes no later than `t`.
    fn backward_timing(&mut self, node: &TaskData, t: Minute) -> (Minute, Minute) {
        let (mut start, mut finish) = self.part_backward(node.part, t);
        for &part in self.graph.extra(node) {
            let (s, f) = self.part_backward(part, t);
            (start, finish) = (start.min(s), finish.max(f));
        }
        (start, finish)
    }

    fn forward(&mut self) {
        let graph = self.graph;
        for (at, kind, _) in graph.nodes() {
            let t = &mut self.times[at];
            match kind {
                // Nothing pushed yet; the project start is applied at the leaf, see
                // `leaf_forward`.
                NodeKind::Leaf | NodeKind::Begin => (t.es, t.ef) = (NEVER_BEFORE, NEVER_BEFORE),
                // The minimum and maximum of the children's dates.
                NodeKind::End => (t.es, t.ef) = (NEVER_AFTER, NEVER_BEFORE),
            }
        }
        for (at, kind, node) in graph.nodes() {
            let (start, finish) = match kind {
                NodeKind::End => {
                    // The children have pushed their dates in.
                    let t = self.times[at];
                    self.times[at].length = self.cal().work_between(t.es, t.ef);
                    (t.es, t.ef)
                }
                NodeKind::Begin => {
                    let (mut start_bound, mut finish_bound) =
                        (self.times[at].es, self.times[at].ef);
                    // Summaries take the two "no earlier than" constraints, which bound their
                    // whole subtree; the others belong on leaf tasks.
                    match (node.constraint, node.constraint_date()) {
                        (ConstraintKind::StartNoEarlierThan, Some(d)) => {
                            start_bound = start_bound.max(d)
                        }
                        (ConstraintKind::FinishNoEarlierThan, Some(d)) => {
                            finish_bound = finish_bound.max(d)
                        }
                        _ => {}
                    }
                    (start_bound, finish_bound)
                }
                NodeKind::Leaf => self.leaf_forward(at, node),
            };
            self.times[at].es = start;
            self.times[at].ef = finish;
            self.push(at, start, finish);
        }
    }

    /// Where actuals or manual scheduling put a leaf, whatever its links say. Dates given
    /// without a time (midnight) mean the working day's start and end.
    fn fixed_timing(&mut self, node: &TaskData) -> Option<(Minute, Minute)> {
        let cal = self.calendars.get(node.part.calendar);
        match node.fixed {
            Fixed::Free => None,
            Fixed::Dates(start, finish) => {
                let start = if cal.is_working(start) {
                    start
                } else {
                    cal.next_working(start)
                };
                Some((start, cal.prev_working_end(finish).max(start)))
            }
            Fixed::Start(start) => {
                let (_, finish) = self.forward_timing(node, start);
                Some((start, finish.max(start)))
            }
            Fixed::Finish(finish) => {
                let (start, finish) = self.backward_timing(node, finish);
                Some((start.min(finish), finish))
            }
        }
    }

    fn leaf_forward(&mut self, at: usize, node: &TaskData) -> (Minute, Minute) {
        if let Some(fixed) = self.fixed_timing(node) {
            return fixed;
        }
        let honor = self.project.honor_constraints;
        let (mut start_bound, mut finish_bound) = (self.times[at].es, self.times[at].ef);
        let kind = node.constraint;
        let date = node.constraint_date();
        // A task nothing else holds starts with the project. A start constraint replaces that
        // default: MS Project starts such a task on its date, even before the project start.
        let start_constrained = matches!(
            (kind, date),
            (
                ConstraintKind::StartNoEarlierThan | ConstraintKind::MustStartOn,
                Some(_)
            )
        );
        if start_bound == NEVER_BEFORE && !start_constrained {
            start_bound = self.project_start;
        }
        match (kind, date) {
            (ConstraintKind::StartNoEarlierThan, Some(d)) => start_bound = start_bound.max(d),
            (ConstraintKind::FinishNoEarlierThan, Some(d)) => finish_bound = finish_bound.max(d),
            (ConstraintKind::MustStartOn, Some(d)) if !honor => start_bound = start_bound.max(d),
            (ConstraintKind::MustFinishOn, Some(d)) if !honor => finish_bound = finish_bound.max(d),
            _ => {}
        }
        let mut finish_driven = false;
        if finish_bound > NEVER_BEFORE {
            let (s, _) = self.backward_timing(node, finish_bound);
            finish_driven = s >= start_bound;
            start_bound = start_bound.max(s);
        }
        let (start, mut finish) = self.forward_timing(node, start_bound);
        // MS Project keeps a finish set by a start-to-finish link where the predecessor
        // starts (Monday 08:00), not at the same point in working time on the evening before.
        if finish_driven
            && self.times[at].finish_from_start
            && finish_bound > finish
            && self
                .calendars
                .get(node.part.calendar)
                .work_between(finish, finish_bound)
                == 0
        {
            finish = finish_bound;
        }
        if !honor {
            return (start, finish);
        }
        let pinned = match (kind, date) {
            (ConstraintKind::MustStartOn, Some(d)) => Some(self.forward_timing(node, d)),
            (ConstraintKind::MustFinishOn, Some(d)) => Some(self.backward_timing(node, d)),
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
        match (pinned, date) {
            (Some(pinned), Some(d)) => {
                if pinned.0 < start {
                    self.warnings.push(Warning::ConstraintConflict {
                        task: TaskId(self.graph.node_task[at]),
                        kind,
                        date: d,
                        links_start: start,
                    });
                }
                pinned
            }
            _ => (start, finish),
        }
    }

    /// Pushes a processed node's dates along its outgoing edges.
    fn push(&mut self, at: usize, start: Minute, finish: Minute) {
        let graph = self.graph;
        let length = self.times[at].length;
        for edge in graph.out(at) {
            let w = edge.other as usize;
            match edge.kind {
                EdgeKind::Parent => {
                    let child = &mut self.times[w];
                    child.es = child.es.max(start);
                    child.ef = child.ef.max(finish);
                }
                EdgeKind::RollUp => {
                    let end = &mut self.times[w];
                    end.es = end.es.min(start);
                    end.ef = end.ef.max(finish);
                }
                EdgeKind::Link(kind) => {
                    let from = match kind {
                        LinkKind::FinishToStart | LinkKind::FinishToFinish => finish,
                        LinkKind::StartToStart | LinkKind::StartToFinish => start,
                    };
                    let required = self.lagged(from, edge.lag(), length);
                    let succ = &mut self.times[w];
                    match kind {
                        LinkKind::FinishToStart | LinkKind::StartToStart => {
                            succ.es = succ.es.max(required)
                        }
                        LinkKind::FinishToFinish | LinkKind::StartToFinish => {
                            let from_start = kind == LinkKind::StartToFinish;
                            if required > succ.ef || (required == succ.ef && from_start) {
                                succ.finish_from_start = from_start;
                            }
                            succ.ef = succ.ef.max(required)
                        }
                    }
                }
            }
        }
    }

    /// Upper bounds (start, finish) that a node's outgoing edges put on it, from the late dates
    /// or from the scheduled ones.
    fn outgoing_bounds(&mut self, at: usize, scheduled: bool) -> (Minute, Minute) {
        let mut start_bound = NEVER_AFTER;
        let mut finish_bound = self.project_finish;
        let length = self.times[at].length;
        let graph = self.graph;
        for edge in graph.out(at) {
            let w = self.times[edge.other as usize];
            let (w_start, w_finish) = if scheduled {
                (w.ss, w.sf)
            } else {
                (w.ls, w.lf)
            };
            match edge.kind {
                EdgeKind::RollUp => {
                    // The parent's end node: its bounds, from the parent's successors, hold
                    // for each child.
                    start_bound = start_bound.min(w_start);
                    finish_bound = finish_bound.min(w_finish);
                }
                EdgeKind::Parent => {}
                // A successor that has started no longer holds this task back.
                EdgeKind::Link(_) if self.started(edge.other as usize) => {}
                EdgeKind::Link(kind) => {
                    let (from, to_start) = match kind {
                        LinkKind::FinishToStart => (w_start, false),
                        LinkKind::StartToStart => (w_start, true),
                        LinkKind::FinishToFinish => (w_finish, false),
                        LinkKind::StartToFinish => (w_finish, true),
                    };
                    let t = if edge.lag_unit == LagUnit::Elapsed {
                        self.unlag_elapsed(from, edge.lag_amount, to_start, length)
                    } else {
                        self.unlagged(from, edge.lag(), length)
                    };
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

    fn started(&self, at: usize) -> bool {
        self.any_started
            && self.graph.kinds[at] == NodeKind::Leaf
            && self.graph.tasks[self.graph.node_task[at] as usize].started
    }

    /// Working lags count the same from any instant of one working-time point (Fri 17:00 is
    /// Mon 08:00); clock lags do not, so for them the backward pass inverts exactly what the
    /// forward pass does: a successor's date at the end of a working day reaches up to the next
    /// working instant, and a predecessor's start must be a working instant no later than the
    /// bound (a milestone may sit at the end of a day).
    fn unlag_elapsed(&self, from: Minute, minutes: i32, to_start: bool, length: i64) -> Minute {
        let cal = self.cal();
        let from = if cal.is_working(from) {
            from
        } else {
            cal.next_working(from)
        };
        let t = from - i64::from(minutes);
        if to_start && !cal.is_working(t) {
            cal.prev_working_end(t) - i64::from(length > 0)
        } else {
            t
        }
    }

    /// The latest (start, finish) of a leaf given upper bounds on both.
    fn latest_timing(
        &mut self,
        node: &TaskData,
        start_bound: Minute,
        finish_bound: Minute,
    ) -> (Minute, Minute) {
        let mut finish_bound = finish_bound;
        if start_bound < NEVER_AFTER {
            let (_, f) = self.forward_timing(node, start_bound);
            finish_bound = finish_bound.min(f);
        }
        self.backward_timing(node, finish_bound)
    }

    fn backward(&mut self) {
        let honor = self.project.honor_constraints;
        let graph = self.graph;
        for (at, kind, node) in graph.nodes().rev() {
            let date = node.constraint_date();
            let (start, finish) = match kind {
                // Links into the summary hold for every child: their predecessors see the
                // earliest late start and the earliest late finish among the children.
                NodeKind::Begin => self.earliest_of_children(at, |t| (t.ls, t.lf)),
                NodeKind::End => {
                    let (mut start_bound, mut finish_bound) = self.outgoing_bounds(at, false);
                    finish_bound = finish_bound.min(node.deadline.unwrap_or(NEVER_AFTER));
                    match (node.constraint, date) {
                        (ConstraintKind::StartNoLaterThan, Some(d)) => {
                            start_bound = start_bound.min(d)
                        }
                        (ConstraintKind::FinishNoLaterThan, Some(d)) => {
                            finish_bound = finish_bound.min(d)
                        }
                        _ => {}
                    }
                    (start_bound, finish_bound)
                }
                NodeKind::Leaf => {
                    let (mut start_bound, mut finish_bound) = self.outgoing_bounds(at, false);
                    // As in MS Project, a deadline bounds the late finish (so a task that
                    // misses it shows negative float), though it never moves the task.
                    finish_bound = finish_bound.min(node.deadline.unwrap_or(NEVER_AFTER));
                    // A task under way still has late dates: only finished and manually
                    // scheduled tasks are pinned.
                    let fixed = match node.fixed {
                        Fixed::Start(_) => None,
                        _ => self.fixed_timing(node),
                    };
                    let pinned = match (node.constraint, date) {
                        _ if fixed.is_some() => fixed,
                        (ConstraintKind::MustStartOn, Some(d)) if honor => {
                            Some(self.forward_timing(node, d))
                        }
                        (ConstraintKind::MustFinishOn, Some(d)) if honor => {
                            Some(self.backward_timing(node, d))
                        }
                        (
                            ConstraintKind::StartNoLaterThan | ConstraintKind::MustStartOn,
                            Some(d),
                        ) => {
                            start_bound = start_bound.min(d);
                            None
                        }
                        (
                            ConstraintKind::FinishNoLaterThan | ConstraintKind::MustFinishOn,
                            Some(d),
                        ) => {
                            finish_bound = finish_bound.min(d);
                            None
                        }
                        _ => None,
                    };
                    match pinned {
                        Some(pinned) => pinned,
                        None => self.latest_timing(node, start_bound, finish_bound),
                    }
                }
            };
            self.times[at].ls = start;
            self.times[at].lf = finish;
        }
    }

    /// The earliest start and the earliest finish among a begin node's children, of the dates
    /// `pick` reads.
    fn earliest_of_children(
        &self,
        at: usize,
        pick: fn(&Times) -> (Minute, Minute),
    ) -> (Minute, Minute) {
        let (mut start, mut finish) = (NEVER_AFTER, NEVER_AFTER);
        for edge in self.graph.out(at) {
            if edge.kind == EdgeKind::Parent {
                let (s, f) = pick(&self.times[edge.other as usize]);
                (start, finish) = (start.min(s), finish.min(f));
            }
        }
        (start, finish)
    }

    /// Scheduled dates: early dates, except as-late-as-possible tasks, placed as late as their
    /// successors' scheduled dates allow (never before their early dates).
    fn place(&mut self) {
        let graph = self.graph;
        for (at, kind, node) in graph.nodes().rev() {
            let t = self.times[at];
            let (start, finish) = match kind {
                NodeKind::Begin => self.earliest_of_children(at, |t| (t.ss, t.sf)),
                NodeKind::End => {
                    let (start_bound, finish_bound) = self.outgoing_bounds(at, true);
                    (start_bound.min(t.ls), finish_bound.min(t.lf))
                }
                NodeKind::Leaf if node.alap && node.fixed == Fixed::Free => {
                    let (start_bound, finish_bound) = self.outgoing_bounds(at, true);
                    let late = self.latest_timing(node, start_bound, finish_bound);
                    if late.0 < t.es { (t.es, t.ef) } else { late }
                }
                NodeKind::Leaf => (t.es, t.ef),
            };
            self.times[at].ss = start;
            self.times[at].sf = finish;
        }
    }

    pub fn finish(mut self) -> Schedule {
        let graph = self.graph;
        let mut tasks: Vec<TaskSchedule> = (0..graph.tasks.len())
            .map(|task| self.task_schedule(task))
            .collect();
        // Summaries roll their children up, bottom-up: children come after their parent in
        // outline order, so a reverse walk sees every child before its parent.
        for t in (0..tasks.len()).rev() {
            if let Some(parent) = graph.tasks[t].parent {
                let child = tasks[t];
                let summary = &mut tasks[parent.index()];
                summary.start = summary.start.min(child.start);
                summary.finish = summary.finish.max(child.finish);
                summary.late_start = summary.late_start.min(child.late_start);
                summary.late_finish = summary.late_finish.max(child.late_finish);
                summary.total_float = summary.total_float.min(child.total_float);
                summary.critical |= child.critical;
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
        let start = tasks.iter().map(|t| t.start).min();
        let finish = tasks.iter().map(|t| t.finish).max();
        Schedule {
            start: start.unwrap_or(self.project_start),
            finish: finish.unwrap_or(self.project_start),
            tasks,
            warnings: self.warnings,
        }
    }

    /// A leaf's dates and total float; a summary's early dates, the rest to be rolled up.
    fn task_schedule(&self, task: usize) -> TaskSchedule {
        let graph = self.graph;
        if graph.tasks[task].summary {
            let end = self.times[graph.end_of[task] as usize];
            return TaskSchedule {
                start: NEVER_AFTER,
                finish: NEVER_BEFORE,
                early_start: end.es,
                early_finish: end.ef,
                late_start: NEVER_AFTER,
                late_finish: NEVER_BEFORE,
                total_float: i64::MAX,
                free_float: 0,
                critical: false,
            };
        }
        let at = graph.node_of[task] as usize;
        let t = self.times[at];
        let node = &graph.tasks[task];
        // Floats are counted in the project calendar's working time, as MS Project reports
        // slack, whatever calendar the task itself runs on.
        let total_float = if t.es == t.ls && t.ef == t.lf {
            0
        } else {
            let calendar = self.cal();
            let by_start = calendar.work_between(t.es, t.ls);
            // On one calendar a task's start and finish move together; a task spread over
            // several calendars may have less room at one end.
            if node.extra.0 == node.extra.1 && node.part.calendar == Some(self.project.calendar) {
                by_start
            } else {
                by_start.min(calendar.work_between(t.ef, t.lf))
            }
        };
        // A finished task is history: it cannot make the project late.
        let finished = node.started && matches!(node.fixed, Fixed::Dates(..) | Fixed::Finish(_));
        TaskSchedule {
            start: t.ss,
            finish: t.sf,
            early_start: t.es,
            early_finish: t.ef,
            late_start: t.ls,
            late_finish: t.lf,
            total_float,
            free_float: 0,
            critical: total_float <= 0 && !finished,
        }
    }

    /// How far each task can slip, in working minutes of the project calendar, before some
    /// successor's early date moves; at most its total float.
    ///
    /// Computed on positions in working time (`work_until`), where a working lag is a plain
    /// addition: one calendar lookup per date instead of one per link.
    fn free_floats(&mut self, tasks: &mut [TaskSchedule]) {
        let graph = self.graph;
        let cal = self.cal();
        let work: Vec<(i64, i64)> = self
            .times
            .iter()
            .map(|t| (cal.work_until(t.es), cal.work_until(t.ef)))
            .collect();
        let mut gap = vec![i64::MAX; graph.len()];
        // A node's gap depends on its successors' early dates and, through its roll-up edge,
        // on its parent's end node, which comes later in topological order: walk backwards.
        for (at, kind, _) in graph.nodes().rev() {
            if kind == NodeKind::Begin {
                continue;
            }
            let (start, finish) = work[at];
            let mut smallest = i64::MAX;
            for edge in graph.out(at) {
                let w = edge.other as usize;
                let slack = match edge.kind {
                    EdgeKind::Parent => continue,
                    EdgeKind::RollUp => {
                        if gap[w] == i64::MAX {
                            continue;
                        }
                        (work[w].1 - finish).saturating_add(gap[w])
                    }
                    EdgeKind::Link(kind) => {
                        // A link into a summary reaches its earliest child.
                        let succ = match graph.kinds[w] {
                            NodeKind::Begin => work[graph.partner[w] as usize],
                            _ => work[w],
                        };
                        let from_start =
                            matches!(kind, LinkKind::StartToStart | LinkKind::StartToFinish);
                        let to = match kind {
                            LinkKind::FinishToStart | LinkKind::StartToStart => succ.0,
                            LinkKind::FinishToFinish | LinkKind::StartToFinish => succ.1,
                        };
                        let amount = i64::from(edge.lag_amount);
                        let from = if from_start { start } else { finish };
                        let required = match edge.lag_unit {
                            LagUnit::Working => from + amount,
                            LagUnit::Percent => from + self.times[at].length * amount / 100,
                            LagUnit::Elapsed => {
                                let t = self.times[at];
                                let clock = if from_start { t.es } else { t.ef };
                                cal.work_until(clock + amount)
                            }
                        };
                        (to - required).max(0)
                    }
                };
                smallest = smallest.min(slack);
            }
            gap[at] = smallest;
        }
        for (task, schedule) in tasks.iter_mut().enumerate() {
            let node = graph.end_of[task] as usize;
            schedule.free_float = gap[node].min(schedule.total_float.max(0));
        }
    }
}
