//! Resource leveling of a real [`Project`]: delay tasks until nobody is booked beyond their
//! capacity.
//!
//! The engine does the scheduling: a leveling pass works on a clone of the project, schedules it
//! with [`crate::schedule`], finds the over-allocated days with [`usage::overallocated_days`]
//! and, day by day, keeps the tasks with the best claim on the resource and delays the others
//! with a *leveling delay*, a start-no-earlier-than at the first working day of the resource
//! from which the tasks with a better claim leave room for the task's whole span (see
//! `room_for`; a round handles many days per schedule, see `Round`). Every calendar, lag,
//! constraint, actual and manual date therefore keeps its exact meaning, and the leveled plan
//! is the plan plus those start-no-earlier-than constraints ([`leveled_project`]).
//!
//! Tasks that cannot move claim first (started or finished, manually scheduled, must-start-on /
//! must-finish-on, priority 1000); the others in a *claim order* fixed for the pass. A single
//! greedy pass is only as good as its order, so [`level`] runs one pass per order within the
//! budget ([`orders_to_try`]: MS Project's order, then other priority rules, an RCPSP solution,
//! and seeded random samples) and keeps the best plan: fewest unresolved days, then no missed
//! deadline, then the earliest finish, then the least delay; ties go to the first. A pass that
//! can no longer win is abandoned early.
//!
//! A leveling delay is combined with an existing start-no-earlier-than (the later date wins) and
//! never overrides another constraint kind: such a task is not moved and its conflict stays
//! unresolved. Every round moves some task strictly later, so a pass ends; it is also capped at
//! 20 rounds per task.
//!
//! With [`LevelOptions::split`], a waiting task already underway on the conflict day (it started
//! on an earlier day, not by its actuals) may instead *pause*: a [`Split`] is inserted into it
//! from that day until the tasks with a better claim leave room for the rest of its work
//! (`pause_for`), and its start is held by a start-no-earlier-than. It pauses only when that
//! finishes it earlier than delaying it whole: pausing whenever a task was underway made the
//! generated programmes of `regie bench level` finish years later (pauses of months, which stay
//! where they are when the task later moves, compounding). A task delayed whole drops the
//! pauses leveling gave it. `room_for` does not count a better task's pauses as booked.
//! Only a task whose work runs on one calendar, the resource's, is split, so a pause counts on
//! the calendar it is measured on.

use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::calendar::CalendarIndex;
use crate::cpm::{Schedule, ScheduleError, Warning, schedule_with};
use crate::generate::SplitMix64;
use crate::level::orders::{self, ClaimOrder, orders_to_try};
use crate::model::{
    CalendarId, Constraint, ConstraintKind, Project, Resource, ResourceId, ResourceKind, Split,
    TaskId,
};
use crate::time::{MINUTES_PER_DAY, Minute, datetime_of, day_number, minute_of};
use crate::usage::{self, CalendarCache, DayLoad};

/// How leveling may move tasks, and how hard it searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelOptions {
    /// Only delay tasks within their total float (never beyond their late start before
    /// leveling), so the project finish does not move.
    pub within_slack: bool,
    /// How many claim orders to try (at least one, MS Project's): see [`orders_to_try`].
    pub budget: usize,
    /// Seeds the sampled orders: the same seed gives the same plan.
    pub seed: u64,
    /// Task splitting: a task already underway when a task with a better claim needs its
    /// resource pauses until the resource is free (a [`Split`] inserted into it) instead of
    /// being delayed whole. Off by default, as in MS Project.
    pub split: bool,
}

/// The default number of claim orders: the four rules and eight samples. On the example plans
/// more samples rarely found a better finish.
pub const DEFAULT_BUDGET: usize = 12;

/// The budget a user gets without asking for one: [`DEFAULT_BUDGET`] orders up to a thousand
/// tasks, fewer beyond, at least two (MS Project's order and latest finish first). Each order
/// is a whole leveling pass — about a second on a 10,000-task plan — and a leveling someone
/// waits for should stay within seconds.
pub fn default_budget(project: &Project) -> usize {
    (DEFAULT_BUDGET * 1000 / project.tasks.len().max(1)).clamp(2, DEFAULT_BUDGET)
}

impl Default for LevelOptions {
    fn default() -> LevelOptions {
        LevelOptions {
            within_slack: false,
            budget: DEFAULT_BUDGET,
            seed: 0,
            split: false,
        }
    }
}

/// The leveled plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leveled {
    /// The schedule of the leveled plan, indexed by the input's task ids.
    pub schedule: Schedule,
    /// One per task leveling delayed, in task order.
    pub delays: Vec<Delay>,
    /// One per pause leveling inserted into a task (with [`LevelOptions::split`]), by task
    /// then place in its work.
    pub pauses: Vec<Pause>,
    /// The over-allocated days leveling could not resolve (empty when it resolved them all).
    pub unresolved: Vec<DayLoad>,
    /// Every claim order tried, in the order tried; the first is MS Project's.
    pub attempts: Vec<Attempt>,
    /// The attempt this plan comes from.
    pub chosen: usize,
}

/// One claim order tried, and the finish it reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub order: ClaimOrder,
    /// The project finish of the plan this order gave; for an abandoned attempt, the finish when
    /// it was abandoned (the plan could only have finished later).
    pub finish: Minute,
    /// False when the attempt was abandoned because it could no longer beat the best plan so
    /// far.
    pub completed: bool,
    /// The over-allocated days the plan left (0 for an abandoned attempt: not known).
    pub unresolved_days: usize,
}

/// A task leveling delayed, and why (the last conflict that moved it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delay {
    pub task: TaskId,
    /// Start before leveling.
    pub from: Minute,
    /// Start after leveling.
    pub to: Minute,
    /// The resource it waited for.
    pub resource: ResourceId,
    /// The competing tasks that had the resource, in task order.
    pub held_by: Vec<TaskId>,
    /// When the resource became free enough: the end of its last working day before the new
    /// start date.
    pub busy_until: Minute,
}

/// A pause leveling inserted into a task already underway, and why (the last conflict that
/// lengthened it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pause {
    pub task: TaskId,
    /// What was inserted: after `split.after` minutes of the task's work, `split.pause` working
    /// minutes more than the task had paused there before leveling.
    pub split: Split,
    /// The first working instant of the pause, in the leveled schedule.
    pub from: Minute,
    /// The end of its last working minute: the work resumes at the next working instant.
    pub to: Minute,
    /// The resource it gave way on.
    pub resource: ResourceId,
    /// The tasks with a better claim that had the resource, in task order.
    pub held_by: Vec<TaskId>,
}

/// Why a task was delayed: the resource, the tasks that held it, and when it was free.
type Reason = (ResourceId, Vec<TaskId>, Minute);

/// The pauses a pass inserted, by (task, work before the pause): the minutes added and why.
type Pauses = std::collections::BTreeMap<(TaskId, i64), (i64, Reason)>;

/// Levels `project`: one leveling pass per claim order within the budget, keeping the best plan
/// (see the module documentation).
pub fn level(project: &Project, options: &LevelOptions) -> Result<Leveled, ScheduleError> {
    // One set of calendar indexes for every reschedule and measurement of every pass.
    let mut indexes = CalendarCache::for_a_growing_plan();
    let original = schedule_with(project, &mut indexes)?;
    let units = units_by_task_and_resource(project);
    let links = Successors::new(project);
    let splittable = splittable(project, options);
    let context = Context {
        project,
        original: &original,
        options,
        units: &units,
        links: &links,
        splittable: &splittable,
    };
    let ms_project = orders::ms_project_priorities(project, &original);
    let mut attempts: Vec<Attempt> = Vec::new();
    let mut best: Option<(Score, Plan, usize)> = None;
    for order in orders_to_try(options.budget) {
        let rank = match order {
            ClaimOrder::MsProject => links.claim_rank(project, &ms_project, None),
            ClaimOrder::LatestFinish => {
                let priority = orders::latest_finish_priorities(project, &original);
                links.claim_rank(project, &priority, None)
            }
            ClaimOrder::RankPositionalWeight => {
                let priority = orders::rank_positional_weight_priorities(project, &original);
                links.claim_rank(project, &priority, None)
            }
            ClaimOrder::Rcpsp => {
                match orders::rcpsp_priorities(project, &original, &ms_project, options.seed) {
                    Some(priority) => links.claim_rank(project, &priority, None),
                    // The plan does not fit the solver: the other orders are tried instead.
                    None => continue,
                }
            }
            ClaimOrder::Sampled { sample } => {
                let mut rng = SplitMix64::new(options.seed.wrapping_add(u64::from(sample)));
                links.claim_rank(project, &ms_project, Some(&mut rng))
            }
        };
        // Once a plan resolves everything, a pass that can no longer beat it is abandoned.
        let bound = match &best {
            Some((score, _, _)) if score.unresolved_days == 0 => Some(*score),
            _ => None,
        };
        match level_in_order(&context, &rank, bound, &mut indexes)? {
            Pass::Done(plan) => {
                let score = Score::of(&plan);
                attempts.push(Attempt {
                    order,
                    finish: plan.schedule.finish,
                    completed: true,
                    unresolved_days: plan.unresolved.len(),
                });
                if best.as_ref().is_none_or(|(best, _, _)| score < *best) {
                    best = Some((score, plan, attempts.len() - 1));
                }
            }
            Pass::Abandoned { finish } => attempts.push(Attempt {
                order,
                finish,
                completed: false,
                unresolved_days: 0,
            }),
        }
    }
    let Some((_, plan, chosen)) = best else {
        unreachable!("MS Project's order is always tried and never abandoned")
    };
    Ok(Leveled {
        schedule: plan.schedule,
        delays: plan.delays,
        pauses: plan.pauses,
        unresolved: plan.unresolved,
        attempts,
        chosen,
    })
}

/// What one leveling pass needs that does not change between passes.
#[derive(Clone, Copy)]
struct Context<'a> {
    project: &'a Project,
    original: &'a Schedule,
    options: &'a LevelOptions,
    units: &'a Units,
    links: &'a Successors,
    /// Per task, with splitting on: the calendar its work and pauses count on and its work in
    /// minutes, when it can be split (one calendar for all its work).
    splittable: &'a [Option<(CalendarId, i64)>],
}

/// The plan one pass produced.
struct Plan {
    schedule: Schedule,
    delays: Vec<Delay>,
    pauses: Vec<Pause>,
    unresolved: Vec<DayLoad>,
}

/// Per task, with splitting on, whether leveling may pause it: a leaf with work on a single
/// calendar (a task calendar, or resources sharing one), so that its pauses count on the
/// calendar of the resource it gives way on. With the calendar and the work in minutes.
fn splittable(project: &Project, options: &LevelOptions) -> Vec<Option<(CalendarId, i64)>> {
    if !options.split {
        return vec![None; project.tasks.len()];
    }
    let summary = project.summary_flags();
    crate::cpm::task_parts(project)
        .iter()
        .enumerate()
        .map(|(index, parts)| {
            let task = &project.tasks[index];
            if summary[index] || task.milestone || task.duration.elapsed {
                return None;
            }
            match parts[..] {
                [part] => Some((part.calendar?, part.minutes - part.paused)),
                _ => None,
            }
        })
        .collect()
}

enum Pass {
    Done(Plan),
    /// Given up once it could no longer beat the best plan: see [`Score::out_of_reach`].
    Abandoned {
        finish: Minute,
    },
}

/// How plans compare, best first: fewer unresolved over-allocated days, then no missed deadline,
/// then the earliest finish, then less delay in total, then fewer delayed tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    unresolved_days: usize,
    misses_deadlines: bool,
    finish: Minute,
    delay_minutes: i64,
    delayed_tasks: usize,
}

impl Score {
    fn of(plan: &Plan) -> Score {
        Score {
            unresolved_days: plan.unresolved.len(),
            misses_deadlines: missed_deadlines(&plan.schedule) > 0,
            finish: plan.schedule.finish,
            delay_minutes: plan.delays.iter().map(|d| d.to - d.from).sum::<i64>()
                + plan.pauses.iter().map(|p| p.split.pause).sum::<i64>(),
            delayed_tasks: plan.delays.len() + plan.pauses.len(),
        }
    }
}

fn missed_deadlines(schedule: &Schedule) -> usize {
    schedule
        .warnings
        .iter()
        .filter(|w| matches!(w, Warning::MissedDeadline { .. }))
        .count()
}

impl Score {
    /// Whether a pass whose current schedule is `schedule` can no longer beat this plan (which
    /// resolves every conflict). Delays and pauses only push dates later, so a finish past this one stays
    /// past it and a missed deadline stays missed; the pass might still resolve everything.
    fn out_of_reach(&self, schedule: &Schedule) -> bool {
        let misses = missed_deadlines(schedule) > 0;
        (misses && !self.misses_deadlines)
            || (schedule.finish > self.finish && (misses || !self.misses_deadlines))
    }
}

/// One greedy leveling pass with the claims in `rank` order (see the module documentation);
/// abandoned when it can no longer beat `best`.
fn level_in_order(
    context: &Context<'_>,
    rank: &[usize],
    best: Option<Score>,
    indexes: &mut CalendarCache,
) -> Result<Pass, ScheduleError> {
    let Context {
        project,
        original,
        options,
        units,
        links,
        splittable,
    } = *context;
    let mut plan = project.clone();
    let mut current = original.clone();
    let mut reasons: Vec<Option<Reason>> = vec![None; project.tasks.len()];
    let mut pauses = Pauses::new();
    let status = project.status_date.map(minute_of);
    // Conflicts nothing could resolve, not tried again while the same tasks make them.
    let mut given_up: BTreeSet<(Date, ResourceId, Vec<TaskId>)> = BTreeSet::new();
    let max_rounds = 20 * project.tasks.len().max(1);
    let mut round = Round::new(2 * project.tasks.len());
    let mut conflicts = Conflicts::new(&plan, &current, indexes)?;
    for _ in 0..max_rounds {
        let days = &conflicts.days;
        // One schedule per round, not per conflict: every open conflict whose data this round's
        // moves leave exact is resolved, earliest first (see `Stale`).
        let mut candidates: Vec<&DayLoad> = days
            .iter()
            .filter(|d| !given_up.contains(&(d.date, d.resource, d.tasks.clone())))
            .collect();
        if candidates.is_empty() {
            break;
        }
        candidates.sort_by_key(|d| (d.date, d.resource));
        if options.within_slack {
            // Delays within slack only add up safely one at a time: two moved in one round
            // could together spend more float than either has.
            candidates.truncate(1);
        }
        let mut moved_any = false;
        round.clear(project.resources.len());
        // What this round changed, to undo it if it moved the finish in within-slack mode.
        let mut undo: Vec<(TaskId, Constraint, Vec<Split>, Option<Reason>)> = Vec::new();
        let pauses_before = options.within_slack.then(|| pauses.clone());
        let mut given_up_now: Vec<(Date, ResourceId, Vec<TaskId>)> = Vec::new();
        for day in candidates {
            let midnight = day_number(day.date) * MINUTES_PER_DAY;
            let Some(mut by_claim) = round.tasks_on(day, midnight) else {
                continue;
            };
            let resource = &plan.resources[day.resource.index()];
            let calendar = resource.calendar.unwrap_or(plan.calendar);
            let index = indexes.covering(&plan, calendar, &current)?;
            let capacity = index.work_between(midnight, midnight + MINUTES_PER_DAY)
                * i64::from(resource.max_units);
            let load = |task: TaskId, at: Minute| -> i64 {
                let (start, finish) = round.span(day.resource, task, &current);
                let (a, b) = (start.max(at), finish.min(at + MINUTES_PER_DAY));
                if a >= b {
                    return 0;
                }
                index.work_between(a, b) * i64::from(units.of(task, day.resource))
            };
            if by_claim.iter().map(|&t| load(t, midnight)).sum::<i64>() <= capacity {
                // This round's moves already made room.
                continue;
            }

            // Best claim first (a fixed rank: see `claim_rank`); keep what fits, the rest waits.
            by_claim.sort_by_key(|&t| rank[t.index()]);
            let drives: Vec<Vec<bool>> = by_claim
                .iter()
                .map(|&t| {
                    let reached = links.reach(t);
                    by_claim
                        .iter()
                        .map(|&u| u != t && reached[u.index()])
                        .collect()
                })
                .collect();
            let claim = 0..by_claim.len();
            let (mut kept, mut waiting) = (Vec::new(), Vec::new());
            let mut waiting_at: Vec<usize> = Vec::new();
            let mut booked = 0i64;
            for i in claim {
                let t = by_claim[i];
                if waiting_at.iter().any(|&w| drives[w][i]) {
                    // A waiting task drives it: it moves with that one.
                    continue;
                }
                let need = load(t, midnight);
                if kept.is_empty() || booked + need <= capacity {
                    booked += need;
                    kept.push(t);
                } else if !movable(project, t) {
                    // It stays where it is, holding the resource.
                    kept.push(t);
                } else {
                    waiting.push(t);
                    waiting_at.push(i);
                }
            }

            let mut moved = false;
            for &t in &waiting {
                let room_context = RoomContext {
                    plan: &plan,
                    resource,
                    index: &index,
                    current: &current,
                    units,
                    rank,
                    round: &round,
                };
                // Delayed whole, the task drops the pauses leveling gave it (they count on this
                // calendar when it could be split here).
                let dates = current.task(t);
                let split_here = splittable[t.index()].filter(|&(on, _)| on == calendar);
                let paused: i64 = match split_here {
                    Some(_) => pauses
                        .range((t, i64::MIN)..=(t, i64::MAX))
                        .map(|(_, (minutes, _))| minutes)
                        .sum(),
                    None => 0,
                };
                let span = index.work_between(dates.start, dates.finish) - paused;
                let delay_room = room_for(
                    t,
                    day.resource,
                    midnight + MINUTES_PER_DAY,
                    span,
                    &room_context,
                );
                let delay_finish = delay_room
                    .as_ref()
                    .map(|room| index.add(index.next_working(room.at), span));
                // Splitting: a task underway before this day pauses until the resource is free,
                // when that finishes it earlier than delaying it whole.
                let pause = match split_here {
                    Some((_, work)) if status.is_none_or(|s| midnight >= s) => {
                        pause_for(t, day.resource, midnight, work, &room_context)
                            .filter(|pause| delay_finish.is_none_or(|f| pause.finish < f))
                    }
                    _ => None,
                };
                if let Some(NewPause {
                    split,
                    room,
                    resume,
                    finish,
                }) = pause
                {
                    if options.within_slack && finish > current.task(t).late_finish {
                        continue;
                    }
                    let task = &mut plan.tasks[t.index()];
                    undo.push((
                        t,
                        task.constraint,
                        task.splits.clone(),
                        reasons[t.index()].clone(),
                    ));
                    insert_split(&mut task.splits, split);
                    // Its start stays: a task whose finish a link drives would otherwise start
                    // earlier by the pause.
                    task.constraint = no_earlier_than(task.constraint, current.task(t).start);
                    let reason = (day.resource, room.held_by, index.prev_working_end(room.at));
                    let entry = pauses
                        .entry((t, split.after))
                        .or_insert((0, reason.clone()));
                    *entry = (entry.0 + split.pause, reason);
                    round.moved(t, day.resource, resume, finish, links);
                    moved = true;
                    continue;
                }
                let Some(room) = delay_room else {
                    continue;
                };
                let Room { at, held_by } = room;
                let first_working = index.next_working(at);
                if options.within_slack && first_working > current.task(t).late_start {
                    continue;
                }
                let task = &mut plan.tasks[t.index()];
                undo.push((
                    t,
                    task.constraint,
                    task.splits.clone(),
                    reasons[t.index()].clone(),
                ));
                task.constraint = no_earlier_than(task.constraint, at);
                if paused > 0 {
                    task.splits = project.tasks[t.index()].splits.clone();
                    pauses.retain(|&(u, _), _| u != t);
                }
                let busy_until = index.prev_working_end(at);
                reasons[t.index()] = Some((day.resource, held_by, busy_until));
                let start = index.next_working(at);
                let finish = index.add(start, span);
                // Recorded at once, so the next waiting task is placed after this one.
                round.moved(t, day.resource, start, finish, links);
                moved = true;
            }
            if !moved {
                given_up.insert((day.date, day.resource, day.tasks.clone()));
                continue;
            }
            given_up_now.push((day.date, day.resource, day.tasks.clone()));
            moved_any = true;
        }
        if moved_any {
            let next = schedule_with(&plan, indexes)?;
            // Float is a forecast: with clock lags a delay that fits a task's slack can still
            // move the finish by a day. Within slack, the finish is the rule: undo and give up.
            if options.within_slack && next.finish > original.finish {
                for (t, constraint, splits, reason) in undo.into_iter().rev() {
                    plan.tasks[t.index()].constraint = constraint;
                    plan.tasks[t.index()].splits = splits;
                    reasons[t.index()] = reason;
                }
                if let Some(before) = pauses_before {
                    pauses = before;
                }
                given_up.extend(given_up_now);
                continue;
            }
            conflicts.update(&plan, &current, &next, units, indexes)?;
            current = next;
            if best.is_some_and(|best| best.out_of_reach(&current)) {
                return Ok(Pass::Abandoned {
                    finish: current.finish,
                });
            }
        }
    }
    let unresolved = conflicts.days;
    let delays = reasons
        .into_iter()
        .enumerate()
        .filter_map(|(i, reason)| {
            let (resource, held_by, busy_until) = reason?;
            let task = TaskId(i as u32);
            Some(Delay {
                task,
                from: original.task(task).start,
                to: current.task(task).start,
                resource,
                held_by,
                busy_until,
            })
        })
        .collect();
    let pauses = pause_records(&plan, &current, pauses, indexes)?;
    Ok(Pass::Done(Plan {
        schedule: current,
        delays,
        pauses,
        unresolved,
    }))
}

/// A pause for a task underway: the split to insert, where the task resumes (the room found)
/// and its new finish.
struct NewPause {
    split: Split,
    room: Room,
    resume: Minute,
    finish: Minute,
}

/// The pause `task` (with `work` minutes of work, counted on the resource's calendar) takes
/// from the conflict day at `midnight` until the tasks with a better claim leave room for the
/// rest of its span: `None` when the task is not underway that day (it starts that day or later,
/// or is waiting in a pause from its start), moved this round (its dates are not known), or no
/// room is found.
fn pause_for(
    task: TaskId,
    resource: ResourceId,
    midnight: Minute,
    work: i64,
    context: &RoomContext<'_>,
) -> Option<NewPause> {
    let RoomContext {
        plan,
        index,
        current,
        round,
        ..
    } = *context;
    if round.moved[task.index()] == round.number {
        return None;
    }
    let dates = current.task(task);
    if dates.start >= midnight || dates.finish <= midnight {
        return None;
    }
    // Where the day falls in the task's span, in working minutes, and the work done by then.
    let elapsed = index.work_between(dates.start, midnight);
    let mut paused = 0;
    let mut done = None;
    for split in &plan.task(task).splits {
        let begin = split.after + paused;
        if elapsed <= begin {
            break;
        }
        if elapsed < begin + split.pause {
            done = Some(split.after);
            break;
        }
        paused += split.pause;
    }
    let done = done.unwrap_or(elapsed - paused);
    if done <= 0 || done >= work {
        return None;
    }
    let rest = index.work_between(midnight, dates.finish);
    let room = room_for(task, resource, midnight + MINUTES_PER_DAY, rest, context)?;
    let resume = index.next_working(room.at);
    let pause = index.work_between(midnight, resume);
    if pause <= 0 {
        return None;
    }
    Some(NewPause {
        split: Split { after: done, pause },
        finish: index.add(resume, rest),
        resume,
        room,
    })
}

/// Inserts `split` into a task's splits (kept in order), adding to a pause at the same place.
fn insert_split(splits: &mut Vec<Split>, split: Split) {
    match splits.iter().position(|s| s.after >= split.after) {
        Some(at) if splits[at].after == split.after => splits[at].pause += split.pause,
        Some(at) => splits.insert(at, split),
        None => splits.push(split),
    }
}

/// The pauses a pass inserted, as they fall in its final schedule.
fn pause_records(
    plan: &Project,
    schedule: &Schedule,
    pauses: Pauses,
    indexes: &mut CalendarCache,
) -> Result<Vec<Pause>, ScheduleError> {
    let mut out = Vec::with_capacity(pauses.len());
    for ((task, after), (added, (resource, held_by, _))) in pauses {
        let t = plan.task(task);
        let resource_calendar = plan.resources[resource.index()]
            .calendar
            .unwrap_or(plan.calendar);
        let index = indexes.covering(plan, t.calendar.unwrap_or(resource_calendar), schedule)?;
        let at = t.splits.iter().position(|s| s.after == after);
        let spans = usage::pauses_of(t, schedule.task(task).start, &index);
        let Some(&(from, to)) = at.and_then(|at| spans.get(at)) else {
            continue;
        };
        out.push(Pause {
            task,
            split: Split {
                after,
                pause: added,
            },
            from: index.next_working(from),
            to,
            resource,
            held_by,
        });
    }
    Ok(out)
}

/// What [`room_for`] looks at: one resource, its calendar, the current dates and the claims.
struct RoomContext<'a> {
    /// The plan as leveled so far (the splits of the tasks).
    plan: &'a Project,
    resource: &'a Resource,
    index: &'a CalendarIndex,
    current: &'a Schedule,
    units: &'a Units,
    rank: &'a [usize],
    round: &'a Round,
}

/// Where a waiting task can go on a resource, and who holds the resource until then.
struct Room {
    /// Midnight of the first day.
    at: Minute,
    /// The tasks with a better claim booked on the resource between the conflict and `at`, in
    /// task order.
    held_by: Vec<TaskId>,
}

/// The first day from `from` (a midnight) on which `task` fits on the resource for its whole
/// span, given what the tasks with a better claim book there: the serial schedule generation
/// scheme's rule, so a task lands in a real gap instead of at the next day and colliding again
/// (each collision is another round, and a round is a schedule of the whole plan). Tasks with a
/// worse claim are ignored: where they collide, they wait. A task that alone needs more than
/// the capacity fits where nobody with a better claim is booked. `None` when nothing fits within
/// a year after the better tasks finish.
fn room_for(
    task: TaskId,
    resource_id: ResourceId,
    from: Minute,
    work: i64,
    context: &RoomContext<'_>,
) -> Option<Room> {
    let RoomContext {
        plan,
        resource,
        index,
        current,
        units,
        rank,
        round,
    } = *context;
    let on = resource.calendar.unwrap_or(plan.calendar);
    let span = |u: TaskId| round.span(resource_id, u, current);
    let better: Vec<(TaskId, u32)> = units.by_resource[resource_id.index()]
        .iter()
        .copied()
        .filter(|&(u, _)| u != task && rank[u.index()] < rank[task.index()])
        .filter(|&(u, _)| span(u).1 > from)
        .collect();
    let first_day = from.div_euclid(MINUTES_PER_DAY);
    let last_better = better
        .iter()
        .map(|&(u, _)| span(u).1.div_euclid(MINUTES_PER_DAY))
        .max()
        .unwrap_or(first_day);
    // Better-claim load (minutes × units) per day from `first_day` to `last_better`.
    let mut booked = vec![0i64; (last_better - first_day + 1) as usize];
    for &(u, units) in &better {
        let (start, finish) = span(u);
        // A split task books nothing in its pauses (known when it has not moved this round
        // and they count on this calendar; else its whole span counts, which only waits more).
        let task = plan.task(u);
        let pauses = match task.splits.is_empty()
            || round.moved[u.index()] == round.number
            || task.calendar.is_some_and(|c| c != on)
        {
            true => Vec::new(),
            false => usage::pauses_of(task, start, index),
        };
        let start = start.max(from);
        for day in start.div_euclid(MINUTES_PER_DAY)..=(finish - 1).div_euclid(MINUTES_PER_DAY) {
            let midnight = day * MINUTES_PER_DAY;
            let (a, b) = (start.max(midnight), finish.min(midnight + MINUTES_PER_DAY));
            let mut minutes = index.work_between(a, b);
            for &(p, q) in &pauses {
                if p.max(a) < q.min(b) {
                    minutes -= index.work_between(p.max(a), q.min(b));
                }
            }
            if let Some(slot) = booked.get_mut((day - first_day) as usize) {
                *slot += minutes * i64::from(units);
            }
        }
    }
    let booked_on = |day: i64| booked.get((day - first_day) as usize).copied().unwrap_or(0);
    let work = work.max(1);
    let need_units = i64::from(units.of(task, resource_id));
    let max_units = i64::from(resource.max_units);
    let fits_from = |day: i64| -> bool {
        let start = index.next_working(day * MINUTES_PER_DAY);
        let finish = index.add(start, work);
        (start.div_euclid(MINUTES_PER_DAY)..=(finish - 1).div_euclid(MINUTES_PER_DAY)).all(|d| {
            let midnight = d * MINUTES_PER_DAY;
            let day_end = midnight + MINUTES_PER_DAY;
            let capacity = index.work_between(midnight, day_end) * max_units;
            let need = index.work_between(start.max(midnight), finish.min(day_end)) * need_units;
            let others = booked_on(d);
            others == 0 || others + need <= capacity
        })
    };
    let mut day = first_day;
    let at = loop {
        let midnight = day * MINUTES_PER_DAY;
        if index.saturated(midnight) || day > last_better + 366 {
            return None;
        }
        if index.work_between(midnight, midnight + MINUTES_PER_DAY) > 0 && fits_from(day) {
            break midnight;
        }
        day += 1;
    };
    let mut held_by: Vec<TaskId> = better
        .iter()
        .map(|&(u, _)| u)
        .filter(|&u| span(u).0 < at)
        .collect();
    held_by.sort();
    Some(Room { at, held_by })
}

/// The over-allocated days of the current schedule, by resource then date, kept up to date
/// for the resources whose tasks moved: after most rounds only a few people's days change, and
/// measuring everyone's each round was a fifth of the time on large plans.
struct Conflicts {
    days: Vec<DayLoad>,
}

impl Conflicts {
    fn new(
        plan: &Project,
        schedule: &Schedule,
        indexes: &mut CalendarCache,
    ) -> Result<Conflicts, ScheduleError> {
        let all = vec![true; plan.resources.len()];
        let days = usage::overallocated_days_cached(plan, schedule, indexes, &all)?;
        Ok(Conflicts { days })
    }

    /// From `before` to `after`: the days of every resource booked on a task whose dates
    /// changed are measured again.
    fn update(
        &mut self,
        plan: &Project,
        before: &Schedule,
        after: &Schedule,
        units: &Units,
        indexes: &mut CalendarCache,
    ) -> Result<(), ScheduleError> {
        let mut changed = vec![false; plan.resources.len()];
        for (index, (old, new)) in before.tasks.iter().zip(&after.tasks).enumerate() {
            if (old.start, old.finish) != (new.start, new.finish) {
                for &(_, resource, _) in units.of_task(TaskId(index as u32)) {
                    changed[resource.index()] = true;
                }
            }
        }
        let fresh = usage::overallocated_days_cached(plan, after, indexes, &changed)?;
        self.days.retain(|day| !changed[day.resource.index()]);
        self.days.extend(fresh);
        // By resource then date, as `usage` gives them.
        self.days.sort_by_key(|day| (day.resource, day.date));
        Ok(())
    }
}

/// What a round has moved so far, so that one round resolves every conflict it still sees
/// right, not just one per resource (each round is a schedule of the whole plan).
///
/// A moved task leaves its old days (which only lowers their load) and *arrives* on the
/// resource it waited for, where it is expected from its new start for the same working time:
/// the round's later conflicts on that resource count it there, and a task placed after it
/// waits for it, as the serial schedule generation scheme would. Where it lands on its other
/// resources, and where the tasks its links drive go, is left to the next schedule: a conflict
/// involving a driven task waits for the next round, and a collision the round could not see
/// becomes a conflict of the next one, resolved by the same claims.
struct Round {
    /// Per graph node (task, then summary end): the round in which a moved task drove it.
    driven: Vec<u32>,
    /// Per task: the round in which it moved.
    moved: Vec<u32>,
    number: u32,
    /// Per resource: (task, start, finish) of the tasks that moved onto it this round.
    arrivals: Vec<Vec<(TaskId, Minute, Minute)>>,
    stack: Vec<usize>,
}

impl Round {
    fn new(nodes: usize) -> Round {
        Round {
            driven: vec![0; nodes],
            moved: vec![0; nodes],
            number: 0,
            arrivals: Vec::new(),
            stack: Vec::new(),
        }
    }

    /// A new round: nothing has moved.
    fn clear(&mut self, resources: usize) {
        self.number += 1;
        self.arrivals.iter_mut().for_each(Vec::clear);
        self.arrivals.resize_with(resources, Vec::new);
    }

    /// The tasks on the resource on `day` (starting at `midnight`) as this round left it: the
    /// listed ones that have not moved away, and those that moved there. `None` when one of
    /// them is driven by a move of this round, so its dates are unknown.
    fn tasks_on(&self, day: &DayLoad, midnight: Minute) -> Option<Vec<TaskId>> {
        let mut tasks: Vec<TaskId> = day
            .tasks
            .iter()
            .copied()
            .filter(|t| self.moved[t.index()] != self.number)
            .collect();
        for &(t, start, finish) in &self.arrivals[day.resource.index()] {
            if start < midnight + MINUTES_PER_DAY && finish > midnight {
                tasks.push(t);
            }
        }
        let driven = tasks.iter().any(|t| self.driven[t.index()] == self.number);
        (!driven).then_some(tasks)
    }

    /// Where `task` books `resource` as far as this round knows: its arrival if it moved onto
    /// the resource, nowhere if it moved for another one (it left; where it lands is unknown),
    /// else its scheduled dates.
    fn span(&self, resource: ResourceId, task: TaskId, current: &Schedule) -> (Minute, Minute) {
        if self.moved[task.index()] != self.number {
            let dates = current.task(task);
            return (dates.start, dates.finish);
        }
        self.arrivals[resource.index()]
            .iter()
            .find(|&&(t, _, _)| t == task)
            .map_or((0, 0), |&(_, start, finish)| (start, finish))
    }

    /// `task` moved onto `resource` from `start` to `finish`; what its links drive is marked.
    fn moved(
        &mut self,
        task: TaskId,
        resource: ResourceId,
        start: Minute,
        finish: Minute,
        links: &Successors,
    ) {
        let arrivals = &mut self.arrivals[resource.index()];
        arrivals.retain(|&(t, _, _)| t != task);
        arrivals.push((task, start, finish));
        self.moved[task.index()] = self.number;
        self.stack.push(task.index());
        while let Some(node) = self.stack.pop() {
            for &next in &links.edges[node] {
                if self.driven[next] != self.number {
                    self.driven[next] = self.number;
                    self.stack.push(next);
                }
            }
        }
    }
}

/// `project` with the leveling delays as start-no-earlier-than constraints (combined with an
/// existing one): scheduling it gives `leveled.schedule`.
/// A paused task keeps its start with a start-no-earlier-than as well.
pub fn leveled_project(project: &Project, leveled: &Leveled) -> Project {
    let mut plan = project.clone();
    for pause in &leveled.pauses {
        let task = &mut plan.tasks[pause.task.index()];
        insert_split(&mut task.splits, pause.split);
        let start = leveled.schedule.task(pause.task).start;
        task.constraint = no_earlier_than(task.constraint, start);
    }
    for delay in &leveled.delays {
        let task = &mut plan.tasks[delay.task.index()];
        task.constraint = no_earlier_than(task.constraint, delay.to);
    }
    plan
}

/// A start-no-earlier-than `at`, combined with an existing one (the later date wins).
fn no_earlier_than(constraint: Constraint, at: Minute) -> Constraint {
    let at = datetime_of(at);
    let date = match (constraint.kind, constraint.date) {
        (ConstraintKind::StartNoEarlierThan, Some(old)) => old.max(at),
        _ => at,
    };
    Constraint {
        kind: ConstraintKind::StartNoEarlierThan,
        date: Some(date),
    }
}

/// Tasks leveling never moves and that claim their resources first: started or finished,
/// manually scheduled, pinned by a must-start/finish-on constraint, or priority 1000.
fn immovable(project: &Project, task: TaskId) -> bool {
    let task = project.task(task);
    task.progress.actual_start.is_some()
        || task.progress.actual_finish.is_some()
        || task.manual.is_some()
        || matches!(
            task.constraint.kind,
            ConstraintKind::MustStartOn | ConstraintKind::MustFinishOn
        )
        || task.priority >= 1000
}

/// Whether a leveling delay can be given to the task: it is not immovable and its constraint
/// combines with a start-no-earlier-than.
fn movable(project: &Project, task: TaskId) -> bool {
    !immovable(project, task)
        && matches!(
            project.task(task).constraint.kind,
            ConstraintKind::AsSoonAsPossible | ConstraintKind::StartNoEarlierThan
        )
}

/// What each task's dates push, through links and summaries: a node per leaf, a begin and an
/// end node per summary (as in the engine's graph). Links into a pinned task (started,
/// manual, must-start/finish-on with constraints honoured) are left out: it does not move.
struct Successors {
    n: usize,
    edges: Vec<Vec<usize>>,
}

impl Successors {
    fn new(project: &Project) -> Successors {
        let n = project.tasks.len();
        let summary = project.summary_flags();
        let begin = |t: TaskId| t.index();
        let end = |t: TaskId| {
            if summary[t.index()] {
                n + t.index()
            } else {
                t.index()
            }
        };
        let mut edges = vec![Vec::new(); 2 * n];
        for (index, task) in project.tasks.iter().enumerate() {
            if let Some(parent) = task.parent {
                let child = TaskId(index as u32);
                edges[begin(parent)].push(begin(child));
                edges[end(child)].push(end(parent));
            }
        }
        for link in &project.links {
            if link.pred.index() >= n || link.succ.index() >= n {
                continue;
            }
            let pinned = project.task(link.succ).progress.actual_start.is_some()
                || project.task(link.succ).progress.actual_finish.is_some()
                || project.task(link.succ).manual.is_some()
                || (project.honor_constraints
                    && matches!(
                        project.task(link.succ).constraint.kind,
                        ConstraintKind::MustStartOn | ConstraintKind::MustFinishOn
                    ));
            if !pinned {
                edges[end(link.pred)].push(begin(link.succ));
            }
        }
        Successors { n, edges }
    }

    /// Each task's place in the order of claims on resources: tasks that cannot move first, then
    /// by `priority` (lower first, taken over the schedule before leveling: see [`orders`]),
    /// with a task always before the tasks its links drive (delaying it would drag them along).
    /// Fixed for a whole pass, so two tasks never take turns displacing each other.
    ///
    /// With a `sampler`, the next task is drawn among the ready ones of the first tier with a
    /// weight growing with the square of its regret (how much better its priority is than the
    /// worst ready one's): regret-biased random sampling, which stays close to the rule's order
    /// while exploring around it.
    fn claim_rank(
        &self,
        project: &Project,
        priority: &[i64],
        mut sampler: Option<&mut SplitMix64>,
    ) -> Vec<usize> {
        let n = self.n;
        let summary = project.summary_flags();
        // (tier, priority, node): summary nodes only pass the order on, as soon as they are
        // ready; then the tasks that cannot move; then the rest.
        let key = |node: usize| -> (u8, i64, usize) {
            if node >= n || summary[node] {
                return (0, 0, node);
            }
            let tier = if immovable(project, TaskId(node as u32)) {
                1
            } else {
                2
            };
            (tier, priority[node], node)
        };
        let mut indegree = vec![0usize; 2 * n];
        for edges in &self.edges {
            for &e in edges {
                indegree[e] += 1;
            }
        }
        let mut ready: Vec<(u8, i64, usize)> =
            (0..2 * n).filter(|&v| indegree[v] == 0).map(key).collect();
        let mut rank = vec![usize::MAX; n];
        let mut next = 0;
        while !ready.is_empty() {
            let pick = match sampler.as_deref_mut() {
                Some(rng) => regret_biased_pick(&ready, rng),
                None => (0..ready.len()).min_by_key(|&i| ready[i]).unwrap_or(0),
            };
            let node = ready.swap_remove(pick).2;
            if node < n && !summary[node] {
                rank[node] = next;
                next += 1;
            }
            for &e in &self.edges[node] {
                indegree[e] -= 1;
                if indegree[e] == 0 {
                    ready.push(key(e));
                }
            }
        }
        // A cycle (the engine rejects them first) would leave tasks unranked: last, by key.
        let mut rest: Vec<usize> = (0..n).filter(|&t| rank[t] == usize::MAX).collect();
        rest.sort_by_key(|&t| key(t));
        for t in rest {
            rank[t] = next;
            next += 1;
        }
        rank
    }

    /// Which tasks (by index) `from` reaches, itself included.
    fn reach(&self, from: TaskId) -> Vec<bool> {
        let mut seen = vec![false; 2 * self.n];
        let mut stack = vec![from.index()];
        seen[from.index()] = true;
        while let Some(node) = stack.pop() {
            for &next in &self.edges[node] {
                if !seen[next] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        seen.truncate(self.n);
        seen
    }
}

/// The index in `ready` (not empty) of the next node: a pass-through or the task with the
/// best claim of the first tier without choice, else a draw among that tier's ready tasks
/// weighted by (regret + 1)², the regret being how far ahead of the worst of them a task's
/// priority is.
fn regret_biased_pick(ready: &[(u8, i64, usize)], rng: &mut SplitMix64) -> usize {
    let tier = ready.iter().map(|k| k.0).min().unwrap_or(0);
    let candidates: Vec<usize> = (0..ready.len()).filter(|&i| ready[i].0 == tier).collect();
    if tier == 0 || candidates.len() == 1 {
        return candidates[0];
    }
    let worst = candidates.iter().map(|&i| ready[i].1).max().unwrap_or(0);
    let weight = |i: usize| {
        let regret = (worst - ready[i].1).unsigned_abs().min(1 << 20);
        (regret + 1) * (regret + 1)
    };
    let total: u64 = candidates.iter().map(|&i| weight(i)).sum();
    let mut draw = rng.below(total);
    for &i in &candidates {
        let w = weight(i);
        if draw < w {
            return i;
        }
        draw -= w;
    }
    candidates[candidates.len() - 1]
}

/// Units each task books of each work resource (summed over its assignments): sorted by task
/// for lookup, and the leaf tasks each resource is booked on.
struct Units {
    by_task: Vec<(TaskId, ResourceId, u32)>,
    by_resource: Vec<Vec<(TaskId, u32)>>,
}

impl Units {
    /// The work resources `task` books, with their units.
    fn of_task(&self, task: TaskId) -> &[(TaskId, ResourceId, u32)] {
        let from = self.by_task.partition_point(|&(t, _, _)| t < task);
        let to = self.by_task.partition_point(|&(t, _, _)| t <= task);
        &self.by_task[from..to]
    }

    fn of(&self, task: TaskId, resource: ResourceId) -> u32 {
        match self
            .by_task
            .binary_search_by_key(&(task, resource), |&(t, r, _)| (t, r))
        {
            Ok(i) => self.by_task[i].2,
            Err(_) => 0,
        }
    }
}

fn units_by_task_and_resource(project: &Project) -> Units {
    let mut all: Vec<(TaskId, ResourceId, u32)> = Vec::new();
    for a in &project.assignments {
        let kind = project.resources.get(a.resource.index()).map(|r| r.kind);
        if kind == Some(ResourceKind::Work) {
            all.push((a.task, a.resource, a.units));
        }
    }
    all.sort();
    let mut merged: Vec<(TaskId, ResourceId, u32)> = Vec::with_capacity(all.len());
    for (t, r, u) in all {
        match merged.last_mut() {
            Some(last) if (last.0, last.1) == (t, r) => last.2 += u,
            _ => merged.push((t, r, u)),
        }
    }
    let summary = project.summary_flags();
    let mut by_resource = vec![Vec::new(); project.resources.len()];
    for &(t, r, u) in &merged {
        if !summary[t.index()] {
            by_resource[r.index()].push((t, u));
        }
    }
    Units {
        by_task: merged,
        by_resource,
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, datetime};
    use proptest::prelude::*;

    use super::*;
    use crate::calendar::{Calendar, DateRule, Exception};
    use crate::cpm::schedule;
    use crate::generate::{SplitMix64, layered_network};
    use crate::model::CalendarId;
    use crate::model::{Assignment, Duration, Resource, Task};
    use crate::time::minute_of;

    /// Ana on "A" (3d) and "B" (2d), both full time from Monday 2027-01-04.
    fn two_tasks() -> Project {
        let mut p = Project::new("Level", datetime(2027, 1, 4, 8, 0, 0, 0));
        for (uid, days) in [("A", 3), ("B", 2)] {
            let mut task = Task::new(uid, uid);
            task.duration = Duration::working(days * 480);
            p.tasks.push(task);
        }
        p.resources.push(Resource::new("ana", "Ana"));
        for task in 0..2 {
            p.assignments.push(Assignment {
                task: TaskId(task),
                resource: ResourceId(0),
                units: 100,
                work: None,
            });
        }
        p
    }

    /// One pass in MS Project's order: what the single-pass tests below are about.
    const MS_ONLY: LevelOptions = LevelOptions {
        within_slack: false,
        budget: 1,
        seed: 0,
        split: false,
    };

    fn at(y: i16, m: i8, d: i8, h: i8) -> Minute {
        minute_of(datetime(y, m, d, h, 0, 0, 0))
    }

    #[test]
    fn big_plans_get_fewer_claim_orders_by_default() {
        let plan = |n: usize| {
            let mut p = Project::new("P", datetime(2027, 1, 4, 8, 0, 0, 0));
            p.tasks = (0..n).map(|i| Task::new(i.to_string(), "T")).collect();
            p
        };
        let budgets: Vec<usize> = [10, 1000, 2000, 4000, 10_000, 100_000]
            .into_iter()
            .map(|n| default_budget(&plan(n)))
            .collect();
        assert_eq!(budgets, [12, 12, 6, 3, 2, 2]);
    }

    #[test]
    fn the_task_with_more_float_waits_for_the_other() {
        let p = two_tasks();
        let leveled = level(&p, &MS_ONLY).unwrap();
        assert!(leveled.unresolved.is_empty(), "{:?}", leveled.unresolved);
        assert_eq!(
            leveled.delays,
            [Delay {
                task: TaskId(1),
                from: at(2027, 1, 4, 8),
                to: at(2027, 1, 7, 8),
                resource: ResourceId(0),
                held_by: vec![TaskId(0)],
                busy_until: at(2027, 1, 6, 17),
            }]
        );
        let s = &leveled.schedule;
        assert_eq!(s.task(TaskId(0)).start, at(2027, 1, 4, 8));
        assert_eq!(s.task(TaskId(1)).finish, at(2027, 1, 8, 17));
        assert_eq!(s.finish, at(2027, 1, 8, 17));
    }

    #[test]
    fn a_vacation_is_respected() {
        // Ana is away Thursday and Friday: B waits until Monday 2027-01-11.
        let mut p = two_tasks();
        let mut cal = Calendar::derived("Ana", p.calendar);
        cal.exceptions.push(Exception {
            name: "Vacation".into(),
            dates: DateRule::Range {
                from: date(2027, 1, 7),
                to: date(2027, 1, 8),
            },
            shifts: Vec::new(),
        });
        p.calendars.push(cal);
        p.resources[0].calendar = Some(CalendarId(1));
        let leveled = level(&p, &MS_ONLY).unwrap();
        assert!(leveled.unresolved.is_empty(), "{:?}", leveled.unresolved);
        assert_eq!(leveled.delays.len(), 1);
        let delay = &leveled.delays[0];
        assert_eq!(delay.task, TaskId(1));
        assert_eq!(delay.to, at(2027, 1, 11, 8));
        assert_eq!(delay.busy_until, at(2027, 1, 6, 17));
        assert_eq!(leveled.schedule.task(TaskId(1)).finish, at(2027, 1, 12, 17));
    }

    #[test]
    fn priority_1000_and_started_tasks_never_move() {
        // B has the float, but priority 1000: A waits.
        let mut p = two_tasks();
        p.tasks[1].priority = 1000;
        let leveled = level(&p, &MS_ONLY).unwrap();
        assert_eq!(leveled.delays.len(), 1);
        assert_eq!(leveled.delays[0].task, TaskId(0));
        assert_eq!(leveled.delays[0].held_by, [TaskId(1)]);
        assert_eq!(leveled.delays[0].to, at(2027, 1, 6, 8));

        // B has started: A waits.
        let mut p = two_tasks();
        p.tasks[1].progress.actual_start = Some(datetime(2027, 1, 4, 8, 0, 0, 0));
        let leveled = level(&p, &MS_ONLY).unwrap();
        assert_eq!(leveled.delays.len(), 1);
        assert_eq!(leveled.delays[0].task, TaskId(0));

        // Both pinned: nothing moves, the conflict is reported.
        p.tasks[0].priority = 1000;
        let leveled = level(&p, &MS_ONLY).unwrap();
        assert!(leveled.delays.is_empty());
        assert_eq!(leveled.unresolved.len(), 2);
    }

    #[test]
    fn another_constraint_kind_is_never_overridden() {
        let mut p = two_tasks();
        p.tasks[1].constraint = Constraint {
            kind: ConstraintKind::FinishNoLaterThan,
            date: Some(datetime(2027, 1, 29, 17, 0, 0, 0)),
        };
        let leveled = level(&p, &MS_ONLY).unwrap();
        assert!(leveled.delays.is_empty());
        assert_eq!(leveled.unresolved.len(), 2);

        // An existing start-no-earlier-than combines: the later date wins.
        let mut p = two_tasks();
        p.tasks[1].constraint = Constraint {
            kind: ConstraintKind::StartNoEarlierThan,
            date: Some(datetime(2027, 1, 5, 0, 0, 0, 0)),
        };
        let leveled = level(&p, &MS_ONLY).unwrap();
        assert_eq!(leveled.delays.len(), 1);
        assert_eq!(leveled.delays[0].from, at(2027, 1, 5, 8));
        assert_eq!(leveled.delays[0].to, at(2027, 1, 7, 8));
    }

    #[test]
    fn within_slack_leaves_a_conflict_that_would_move_the_finish() {
        let p = two_tasks();
        let options = LevelOptions {
            within_slack: true,
            ..LevelOptions::default()
        };
        let leveled = level(&p, &options).unwrap();
        assert!(leveled.delays.is_empty());
        assert_eq!(leveled.unresolved.len(), 2);
        assert_eq!(leveled.schedule, schedule(&p).unwrap());

        // With a week of float, B can wait.
        let mut p = two_tasks();
        p.tasks[0].duration = Duration::working(3 * 480);
        let mut long = Task::new("C", "C");
        long.duration = Duration::working(10 * 480);
        p.tasks.push(long);
        let leveled = level(&p, &options).unwrap();
        assert!(leveled.unresolved.is_empty());
        assert_eq!(leveled.delays.len(), 1);
        assert_eq!(leveled.schedule.finish, schedule(&p).unwrap().finish);
    }

    #[test]
    fn an_impossible_demand_is_reported_and_the_loop_ends() {
        let mut p = two_tasks();
        p.assignments[0].units = 150;
        p.assignments.pop();
        let leveled = level(&p, &MS_ONLY).unwrap();
        assert!(leveled.delays.is_empty());
        assert_eq!(leveled.unresolved.len(), 3);

        // With a second task as well: B waits for A, A alone stays unresolved.
        let mut p = two_tasks();
        p.assignments[0].units = 150;
        let leveled = level(&p, &MS_ONLY).unwrap();
        assert_eq!(leveled.delays.len(), 1);
        assert_eq!(leveled.delays[0].task, TaskId(1));
        assert_eq!(leveled.unresolved.len(), 3);
        assert!(leveled.unresolved.iter().all(|d| d.tasks == [TaskId(0)]));
    }

    #[test]
    fn summaries_move_by_roll_up() {
        let mut p = two_tasks();
        let mut phase = Task::new("P", "Phase");
        phase.duration = Duration::default();
        p.tasks.insert(0, phase);
        for task in &mut p.tasks[1..] {
            task.parent = Some(TaskId(0));
        }
        for a in &mut p.assignments {
            a.task = TaskId(a.task.0 + 1);
        }
        let leveled = level(&p, &MS_ONLY).unwrap();
        assert_eq!(leveled.delays.len(), 1);
        assert_eq!(leveled.delays[0].task, TaskId(2));
        assert_eq!(leveled.schedule.task(TaskId(0)).finish, at(2027, 1, 8, 17));
    }

    /// Ana on "A" (5d) from Monday 2027-01-04; Bob on "P" (2d), then Ana on "B" (2d), then Bob
    /// on "C" (2d): B, on the critical path, needs Ana on Wednesday and Thursday, in the middle
    /// of A.
    fn underway() -> Project {
        let mut p = Project::new("Split", datetime(2027, 1, 4, 8, 0, 0, 0));
        for (uid, days) in [("A", 5), ("P", 2), ("B", 2), ("C", 2)] {
            let mut task = Task::new(uid, uid);
            task.duration = Duration::working(days * 480);
            p.tasks.push(task);
        }
        p.resources.push(Resource::new("ana", "Ana"));
        p.resources.push(Resource::new("bob", "Bob"));
        for (task, resource) in [(0, 0), (1, 1), (2, 0), (3, 1)] {
            p.assignments.push(Assignment {
                task: TaskId(task),
                resource: ResourceId(resource),
                units: 100,
                work: None,
            });
        }
        for (pred, succ) in [(1, 2), (2, 3)] {
            p.links.push(crate::model::Link {
                pred: TaskId(pred),
                succ: TaskId(succ),
                kind: crate::model::LinkKind::FinishToStart,
                lag: crate::model::Lag::Working(0),
            });
        }
        p
    }

    #[test]
    fn splitting_pauses_a_task_underway_and_finishes_earlier_than_delaying_it() {
        let p = underway();
        // Delayed whole: A waits for B and starts Friday, finishing Thursday 14.
        let delayed = level(&p, &MS_ONLY).unwrap();
        assert!(delayed.unresolved.is_empty());
        assert!(delayed.pauses.is_empty());
        assert_eq!(delayed.delays.len(), 1);
        assert_eq!(delayed.delays[0].task, TaskId(0));
        assert_eq!(delayed.schedule.finish, at(2027, 1, 14, 17));

        // Split: A works Monday and Tuesday, pauses Wednesday and Thursday while Ana is on B,
        // and resumes Friday: it finishes Tuesday 12.
        let options = LevelOptions {
            split: true,
            ..MS_ONLY
        };
        let split = level(&p, &options).unwrap();
        assert!(split.unresolved.is_empty(), "{:?}", split.unresolved);
        assert!(split.delays.is_empty(), "{:?}", split.delays);
        assert_eq!(
            split.pauses,
            [Pause {
                task: TaskId(0),
                split: Split {
                    after: 2 * 480,
                    pause: 2 * 480
                },
                from: at(2027, 1, 6, 8),
                to: at(2027, 1, 7, 17),
                resource: ResourceId(0),
                held_by: vec![TaskId(2)],
            }]
        );
        let a = split.schedule.task(TaskId(0));
        assert_eq!(
            (a.start, a.finish),
            (at(2027, 1, 4, 8), at(2027, 1, 12, 17))
        );
        assert_eq!(split.schedule.finish, at(2027, 1, 12, 17));
        assert!(split.schedule.finish < delayed.schedule.finish);
        // The leveled plan carries the pause; nobody is over-allocated in it.
        let plan = leveled_project(&p, &split);
        assert_eq!(plan.tasks[0].splits, [split.pauses[0].split]);
        assert_eq!(schedule(&plan).unwrap(), split.schedule);
        assert!(
            usage::overallocated_days(&plan, &split.schedule)
                .unwrap()
                .is_empty()
        );
        // With the search, splitting still wins.
        let best = level(
            &p,
            &LevelOptions {
                split: true,
                ..LevelOptions::default()
            },
        )
        .unwrap();
        assert_eq!(best.schedule.finish, at(2027, 1, 12, 17));
    }

    #[test]
    fn a_task_is_never_split_at_its_start_nor_when_started() {
        // Both from Monday: the conflict is at B's start, so B is delayed whole.
        let options = LevelOptions {
            split: true,
            ..MS_ONLY
        };
        let leveled = level(&two_tasks(), &options).unwrap();
        assert!(leveled.pauses.is_empty());
        assert_eq!(leveled.delays.len(), 1);
        // A has started: it holds Ana, and B waits, whatever the claims.
        let mut p = underway();
        p.tasks[0].progress.actual_start = Some(datetime(2027, 1, 4, 8, 0, 0, 0));
        let leveled = level(&p, &options).unwrap();
        assert!(leveled.pauses.is_empty());
        assert_eq!(leveled.delays.len(), 1);
        assert_eq!(leveled.delays[0].task, TaskId(2));
    }

    /// A layered network with 1–2 assignments per task at 50 or 100% over 3–5 people.
    fn staffed_network(n_tasks: usize, seed: u64) -> Project {
        let mut p = layered_network(n_tasks, 1.5, seed);
        let mut rng = SplitMix64::new(seed ^ 0x5EED);
        let n_resources = 3 + rng.below(3) as u32;
        for r in 0..n_resources {
            p.resources
                .push(Resource::new(format!("r{r}"), format!("Person {r}")));
        }
        for t in 0..n_tasks as u32 {
            let first = rng.below(u64::from(n_resources)) as u32;
            let mut people = vec![first];
            if rng.chance(30) {
                let second =
                    (first + 1 + rng.below(u64::from(n_resources) - 1) as u32) % n_resources;
                people.push(second);
            }
            for r in people {
                p.assignments.push(Assignment {
                    task: TaskId(t),
                    resource: ResourceId(r),
                    units: if rng.chance(50) { 50 } else { 100 },
                    work: None,
                });
            }
        }
        p
    }

    #[test]
    fn leveling_is_deterministic_per_seed() {
        let p = staffed_network(60, 7);
        let options = |seed| LevelOptions {
            seed,
            ..LevelOptions::default()
        };
        let a = level(&p, &options(1)).unwrap();
        let b = level(&p, &options(1)).unwrap();
        assert_eq!(a, b);
        assert!(!a.delays.is_empty());
        assert_eq!(a.attempts.len(), DEFAULT_BUDGET);
        assert_eq!(a.attempts[0].order, ClaimOrder::MsProject);
    }

    #[test]
    fn the_best_order_is_kept_and_the_first_try_is_reported() {
        // On this network MS Project's order is not the best one tried.
        let p = staffed_network(60, 7);
        let first = level(&p, &MS_ONLY).unwrap();
        let best = level(&p, &LevelOptions::default()).unwrap();
        assert_eq!(best.attempts[0].finish, first.schedule.finish);
        assert!(best.attempts[0].completed);
        assert_ne!(best.chosen, 0, "{:?}", best.attempts);
        assert!(best.schedule.finish < first.schedule.finish);
        assert_eq!(best.attempts[best.chosen].finish, best.schedule.finish);
        assert!(
            best.attempts
                .iter()
                .all(|a| a.finish >= best.schedule.finish)
        );
    }

    #[test]
    fn a_plan_that_meets_the_deadlines_beats_an_earlier_one_that_misses_one() {
        // B has more float, so MS Project's order delays it; with a deadline on B that only
        // holds if B goes first, another order is kept although it finishes no earlier.
        let mut p = two_tasks();
        p.tasks[0].duration = Duration::working(2 * 480);
        p.tasks[1].duration = Duration::working(480);
        p.tasks[1].deadline = Some(datetime(2027, 1, 4, 17, 0, 0, 0));
        let first = level(&p, &MS_ONLY).unwrap();
        assert_eq!(missed_deadlines(&first.schedule), 1);
        let best = level(&p, &LevelOptions::default()).unwrap();
        assert_eq!(missed_deadlines(&best.schedule), 0, "{:?}", best.attempts);
        assert_eq!(best.delays.len(), 1);
        assert_eq!(best.delays[0].task, TaskId(0));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn leveling_resolves_without_pulling_tasks_earlier(
            n_tasks in 5usize..40,
            seed in any::<u64>(),
            within_slack in any::<bool>(),
            budget in 1usize..8,
            order_seed in 0u64..4,
            split in any::<bool>(),
        ) {
            let p = staffed_network(n_tasks, seed);
            let before = schedule(&p).unwrap();
            let options = LevelOptions { within_slack, budget, seed: order_seed, split };
            let leveled = level(&p, &options).unwrap();
            prop_assert_eq!(&leveled, &level(&p, &options).unwrap());
            let plan = leveled_project(&p, &leveled);
            let again = schedule(&plan).unwrap();
            for id in p.task_ids() {
                let (a, b) = (again.task(id), leveled.schedule.task(id));
                prop_assert_eq!((a.start, a.finish), (b.start, b.finish));
            }
            // Measured on the leveled plan: its pauses book nothing.
            let left = usage::overallocated_days(&plan, &leveled.schedule).unwrap();
            prop_assert_eq!(&left, &leveled.unresolved);
            if !within_slack {
                // Nothing here is impossible (nobody needs more than full time, no task is
                // pinned): without the slack limit every conflict is resolved, and the best
                // order is at least as good as MS Project's.
                prop_assert!(left.is_empty(), "{:?}", left);
                prop_assert!(leveled.schedule.finish <= leveled.attempts[0].finish);
            }
            for id in p.task_ids() {
                prop_assert!(leveled.schedule.task(id).start >= before.task(id).start);
            }
            for delay in &leveled.delays {
                prop_assert!(delay.to > delay.from);
                prop_assert!(!delay.held_by.contains(&delay.task));
            }
            if !split {
                prop_assert!(leveled.pauses.is_empty());
            }
            for pause in &leveled.pauses {
                prop_assert!(pause.split.after > 0 && pause.split.pause > 0);
                prop_assert!(pause.from > leveled.schedule.task(pause.task).start);
                prop_assert!(pause.to > pause.from);
                prop_assert!(pause.to < leveled.schedule.task(pause.task).finish);
                prop_assert!(!pause.held_by.contains(&pause.task));
            }

            if within_slack {
                prop_assert!(leveled.schedule.finish <= before.finish);
            }
        }
    }

    /// `cargo test -p regie-core --release -- --ignored --nocapture level_a_thousand`
    #[test]
    #[ignore]
    fn level_a_thousand_task_network() {
        let p = staffed_network(1_000, 42);
        let started = std::time::Instant::now();
        let leveled = level(&p, &LevelOptions::default()).unwrap();
        let before = schedule(&p).unwrap();
        println!(
            "1,000 tasks, {} people: {} delays, {} unresolved days, finish {} → {} \
             (first try, MS Project's order: {}; kept: {}), in {:?}",
            p.resources.len(),
            leveled.delays.len(),
            leveled.unresolved.len(),
            crate::time::format_minute(before.finish),
            crate::time::format_minute(leveled.schedule.finish),
            crate::time::format_minute(leveled.attempts[0].finish),
            leveled.attempts[leveled.chosen].order,
            started.elapsed()
        );
    }
}
