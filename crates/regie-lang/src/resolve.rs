//! Raw project → [`Project`] (the "high" pass).
//!
//! Everything that needs the whole file: the one `project` node, the units that give `d` its
//! meaning, ids (unique, and every reference pointing at something declared, forward or not),
//! calendar inheritance without cycles, resource calendars, durations, links and assignments.
//! The output is a `Project` the engine can index without checks, and a [`SourceMap`] to point
//! at its parts later.

use std::collections::HashMap;

use miette::SourceSpan;
use regie_core::calendar::Calendar;
use regie_core::{
    Anchor, Assignment, CalendarId, Duration, Lag, Link, Project, ResourceId, Split, Task, TaskId,
    Units,
};

use crate::SourceMap;
use crate::diag::{Error, ErrorKind, LineIndex};
use crate::lower::{RawCalendar, RawFile, RawTask, Sp};
use crate::suggest;
use crate::values::{self, DurationRules};

pub(crate) struct Resolver {
    pub lines: LineIndex,
    pub errors: Vec<Error>,
}

/// A task flattened in outline order, with what is left to resolve.
struct Flat<'a> {
    raw: &'a RawTask,
    parent: Option<TaskId>,
}

impl Resolver {
    fn push(&mut self, error: Error) {
        self.errors.push(error);
    }

    fn line_of(&self, span: SourceSpan) -> usize {
        self.lines.line(span.offset()) + 1
    }

    fn duplicate(&mut self, what: &str, id: &Sp<String>, first: SourceSpan) {
        let line = self.line_of(first);
        self.push(
            Error::new(
                ErrorKind::Duplicate,
                id.span,
                format!(
                    "duplicate {what} id `{}` (first defined on line {line})",
                    id.value
                ),
                "declared again",
            )
            .related(first, "first defined here")
            .help(format!(
                "{what} ids are unique in a file: rename one of them"
            )),
        );
    }

    fn unknown(&mut self, what: &str, id: &Sp<String>, known: &[&str]) {
        let help = match suggest::closest(&id.value, known.iter().copied()) {
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None if known.is_empty() => format!("the file declares no {what}"),
            None => format!("no {what} has this id; check the spelling, or declare it"),
        };
        self.push(
            Error::new(
                ErrorKind::UnknownReference,
                id.span,
                format!("unknown {what} `{}`", id.value),
                format!("no such {what}"),
            )
            .help(help),
        );
    }

    pub(crate) fn project(&mut self, file: &RawFile) -> Option<(Project, SourceMap)> {
        // -- the project node and its settings ------------------------------------------------
        let raw_project = file.projects.first();
        match raw_project {
            None => self.push(
                Error::new(
                    ErrorKind::Missing,
                    SourceSpan::new(0.into(), 0),
                    "the file has no `project` node",
                    "expected `project` here",
                )
                .help("start the file with: project \"Name\" { start \"2027-01-04\" }"),
            ),
            Some(first) => {
                for extra in &file.projects[1..] {
                    let line = self.line_of(first.span);
                    self.push(
                        Error::new(
                            ErrorKind::Duplicate,
                            extra.span,
                            format!("a second `project` node (the first is on line {line})"),
                            "second project",
                        )
                        .related(first.span, "first project")
                        .help("a file describes one project: merge the two blocks"),
                    );
                }
            }
        }
        let units = Units {
            minutes_per_day: raw_project
                .and_then(|p| p.minutes_per_day)
                .unwrap_or(Units::default().minutes_per_day),
            minutes_per_week: raw_project
                .and_then(|p| p.minutes_per_week)
                .unwrap_or(Units::default().minutes_per_week),
            days_per_month: raw_project
                .and_then(|p| p.days_per_month)
                .unwrap_or(Units::default().days_per_month),
        };
        let anchor = match raw_project {
            Some(p) => match (&p.start, &p.finish) {
                (Some(start), _) => Some(Anchor::Start(start.value)),
                (None, Some(finish)) => Some(Anchor::Finish(finish.value)),
                (None, None) if p.anchor_given => None,
                (None, None) => {
                    self.push(
                        Error::new(
                            ErrorKind::Missing,
                            p.span,
                            "the project has no `start`",
                            "starts when?",
                        )
                        .help("add `start \"2027-01-04\"` to the project block, or `finish \"…\"` to schedule backward from a finish date"),
                    );
                    None
                }
            },
            None => None,
        };

        // -- calendars -------------------------------------------------------------------------
        // When the project names no calendar, its calendar is the built-in Standard, even if the
        // file declares others (a `24h` calendar declared for one task must not become the
        // project's): Standard is then calendar 0, with no id in the file, and the declared
        // calendars follow it.
        let names_calendar = raw_project.is_some_and(|p| p.calendar.is_some());
        let mut calendars: Vec<Calendar> = Vec::new();
        let mut calendar_spans: Vec<SourceSpan> = Vec::new();
        if !names_calendar {
            calendars.push(Calendar::standard("Standard"));
            calendar_spans.push(SourceSpan::new(0.into(), 0));
        }
        let first_declared = calendars.len();
        let mut calendar_ids: HashMap<&str, (CalendarId, SourceSpan)> = HashMap::new();
        for raw in &file.calendars {
            if let Some(&(_, first)) = calendar_ids.get(raw.id.value.as_str()) {
                self.duplicate("calendar", &raw.id, first);
                continue;
            }
            let id = CalendarId(calendars.len() as u32);
            calendar_ids.insert(&raw.id.value, (id, raw.id.span));
            calendars.push(Calendar {
                uid: raw.id.value.clone(),
                name: raw.name.clone().unwrap_or_else(|| raw.id.value.clone()),
                base: None,
                week: raw.week.clone(),
                exceptions: raw.exceptions.clone(),
            });
            calendar_spans.push(raw.span);
        }
        let declared: Vec<&RawCalendar> = {
            // The calendars kept above, in the same order (duplicates were skipped).
            let mut seen = std::collections::HashSet::new();
            file.calendars
                .iter()
                .filter(|c| seen.insert(c.id.value.as_str()))
                .collect()
        };
        let calendar_names: Vec<&str> = declared.iter().map(|c| c.id.value.as_str()).collect();
        for (index, raw) in declared.iter().enumerate() {
            let Some(base) = &raw.base else { continue };
            match calendar_ids.get(base.value.as_str()) {
                Some(&(id, _)) => calendars[first_declared + index].base = Some(id),
                None => self.unknown("calendar", base, &calendar_names),
            }
        }
        self.calendar_cycles(&mut calendars, first_declared, &declared);
        let lookup_calendar = |this: &mut Self, id: &Sp<String>| -> Option<CalendarId> {
            match calendar_ids.get(id.value.as_str()) {
                Some(&(id, _)) => Some(id),
                None => {
                    this.unknown("calendar", id, &calendar_names);
                    None
                }
            }
        };
        // Standard when the project names no calendar; when it names an unknown one, the error
        // is reported and the project is not returned, so calendar 0 is only a placeholder.
        let project_calendar = raw_project
            .and_then(|p| p.calendar.as_ref())
            .and_then(|id| lookup_calendar(self, id))
            .unwrap_or(CalendarId(0));

        // -- resources -------------------------------------------------------------------------
        let mut resources = Vec::new();
        let mut resource_spans = Vec::new();
        let mut resource_ids: HashMap<&str, (ResourceId, SourceSpan)> = HashMap::new();
        for raw in &file.resources {
            if let Some(&(_, first)) = resource_ids.get(raw.id.value.as_str()) {
                self.duplicate("resource", &raw.id, first);
                continue;
            }
            resource_ids.insert(
                &raw.id.value,
                (ResourceId(resources.len() as u32), raw.id.span),
            );
            let mut resource = raw.resource.clone();
            resource.calendar = raw
                .calendar
                .as_ref()
                .and_then(|id| lookup_calendar(self, id));
            if !raw.exceptions.is_empty() {
                // Vacations make a calendar of the resource's own, on top of the one it works by.
                let base = resource.calendar.unwrap_or(project_calendar);
                let mut own = Calendar::derived(resource.name.clone(), base);
                own.exceptions = raw.exceptions.clone();
                resource.calendar = Some(CalendarId(calendars.len() as u32));
                calendars.push(own);
                calendar_spans.push(raw.span);
            }
            resources.push(resource);
            resource_spans.push(raw.span);
        }
        let resource_names: Vec<&str> = {
            let mut names: Vec<(&str, ResourceId)> =
                resource_ids.iter().map(|(k, v)| (*k, v.0)).collect();
            names.sort_by_key(|(_, id)| *id);
            names.into_iter().map(|(k, _)| k).collect()
        };

        // -- tasks -----------------------------------------------------------------------------
        let mut flat: Vec<Flat<'_>> = Vec::new();
        flatten(&file.tasks, None, &mut flat);
        let mut tasks: Vec<Task> = Vec::with_capacity(flat.len());
        let mut task_spans = Vec::with_capacity(flat.len());
        let mut task_ids: HashMap<&str, (TaskId, SourceSpan)> = HashMap::new();
        // A task whose id is a duplicate is left out (the file is in error anyway).
        let mut ids_of_flat: Vec<Option<TaskId>> = Vec::with_capacity(flat.len());
        for item in &flat {
            let raw = item.raw;
            if let Some(&(_, first)) = task_ids.get(raw.id.value.as_str()) {
                self.duplicate("task", &raw.id, first);
                ids_of_flat.push(None);
                continue;
            }
            let id = TaskId(tasks.len() as u32);
            task_ids.insert(&raw.id.value, (id, raw.id.span));
            ids_of_flat.push(Some(id));
            let mut task = raw.task.clone();
            task.parent = item.parent;
            if let Some(text) = &raw.duration {
                let rules = DurationRules {
                    allow_negative: false,
                    allow_elapsed: true,
                };
                if let Some(duration) = self.duration(text, &units, rules) {
                    if task.milestone && duration.minutes != 0 {
                        let error = self
                            .nonzero_on_milestone(raw, text, "duration")
                            .related(raw.name_span, "a milestone")
                            .help("remove `duration`, or make it a `task` if it takes time");
                        self.push(error);
                    }
                    task.duration = duration;
                }
            }
            if let Some(text) = &raw.work {
                let rules = DurationRules {
                    allow_negative: false,
                    allow_elapsed: false,
                };
                if let Some(work) = self.duration(text, &units, rules) {
                    if task.milestone && work.minutes != 0 {
                        let error = self
                            .nonzero_on_milestone(raw, text, "work")
                            .help("remove `work`, or make it a `task`");
                        self.push(error);
                    }
                    task.work = Some(work.minutes);
                }
            }
            task.calendar = raw
                .calendar
                .as_ref()
                .and_then(|id| lookup_calendar(self, id));
            task.splits = self.pauses(raw, &task, &units);
            tasks.push(task);
            task_spans.push(raw.span);
        }
        // Parents were recorded as positions in `flat`; now that duplicates are out, map them to
        // task ids.
        for (item, id) in flat.iter().zip(&ids_of_flat) {
            if let Some(id) = id {
                tasks[id.index()].parent = item.parent.and_then(|p| ids_of_flat[p.index()]);
            }
        }
        let task_names: Vec<&str> = tasks.iter().map(|t| t.uid.as_str()).collect();

        // -- links -----------------------------------------------------------------------------
        let mut links: Vec<Link> = Vec::new();
        let mut link_spans: Vec<SourceSpan> = Vec::new();
        let mut link_index: HashMap<(TaskId, TaskId), usize> = HashMap::new();
        for (item, id) in flat.iter().zip(&ids_of_flat) {
            let Some(succ) = *id else { continue };
            for after in &item.raw.afters {
                let lag = match &after.lag {
                    None => Some(Lag::default()),
                    Some(text) => match values::parse_lag(&text.value, &units) {
                        Ok(lag) => Some(lag),
                        Err(bad) => {
                            self.push(
                                Error::new(
                                    ErrorKind::BadValue,
                                    text.span,
                                    bad.message,
                                    "not a lag",
                                )
                                .help(bad.help),
                            );
                            None
                        }
                    },
                };
                for pred_id in &after.predecessors {
                    let Some(&(pred, _)) = task_ids.get(pred_id.value.as_str()) else {
                        self.unknown("task", pred_id, &task_names);
                        continue;
                    };
                    if pred == succ {
                        self.push(
                            Error::new(
                                ErrorKind::Invalid,
                                pred_id.span,
                                format!("task `{}` comes after itself", pred_id.value),
                                "itself",
                            )
                            .help("a link joins two different tasks: remove this one"),
                        );
                        continue;
                    }
                    if let Some((ancestor, descendant)) = lineage(&tasks, pred, succ) {
                        self.push(
                            Error::new(
                                ErrorKind::Invalid,
                                pred_id.span,
                                format!(
                                    "`{}` is inside `{}`: a summary task cannot be linked to its own subtasks",
                                    tasks[descendant.index()].uid,
                                    tasks[ancestor.index()].uid
                                ),
                                "summary and subtask",
                            )
                            .help("link the subtask to tasks outside the summary instead; a summary spans its subtasks anyway"),
                        );
                        continue;
                    }
                    if let Some(&index) = link_index.get(&(pred, succ)) {
                        let first = link_spans[index];
                        let line = self.line_of(first);
                        self.push(
                            Error::new(
                                ErrorKind::Duplicate,
                                pred_id.span,
                                format!(
                                    "`{}` already comes after `{}` (line {line})",
                                    tasks[succ.index()].uid,
                                    pred_id.value
                                ),
                                "second link",
                            )
                            .related(first, "first link")
                            .help("two tasks are linked once; keep one `after`"),
                        );
                        continue;
                    }
                    let Some(lag) = lag else { continue };
                    link_index.insert((pred, succ), links.len());
                    links.push(Link {
                        pred,
                        succ,
                        kind: after.kind,
                        lag,
                    });
                    link_spans.push(after.span);
                }
            }
        }

        // -- assignments -----------------------------------------------------------------------
        let mut assignments: Vec<Assignment> = Vec::new();
        let mut assignment_spans: Vec<SourceSpan> = Vec::new();
        let mut assignment_index: HashMap<(TaskId, ResourceId), usize> = HashMap::new();
        for (item, id) in flat.iter().zip(&ids_of_flat) {
            let Some(task) = *id else { continue };
            for assign in &item.raw.assigns {
                let work = match &assign.work {
                    None => None,
                    Some(text) => {
                        let rules = DurationRules {
                            allow_negative: false,
                            allow_elapsed: false,
                        };
                        match self.duration(text, &units, rules) {
                            Some(work) => Some(work.minutes),
                            None => continue,
                        }
                    }
                };
                for resource_id in &assign.resources {
                    let Some(&(resource, _)) = resource_ids.get(resource_id.value.as_str()) else {
                        self.unknown("resource", resource_id, &resource_names);
                        continue;
                    };
                    if let Some(&index) = assignment_index.get(&(task, resource)) {
                        let first = assignment_spans[index];
                        let line = self.line_of(first);
                        self.push(
                            Error::new(
                                ErrorKind::Duplicate,
                                resource_id.span,
                                format!(
                                    "`{}` is already assigned to `{}` (line {line})",
                                    resource_id.value,
                                    tasks[task.index()].uid
                                ),
                                "assigned again",
                            )
                            .related(first, "first assignment")
                            .help("assign a resource to a task once; give the total with units= or work="),
                        );
                        continue;
                    }
                    assignment_index.insert((task, resource), assignments.len());
                    assignments.push(Assignment {
                        task,
                        resource,
                        units: assign.units,
                        work,
                    });
                    assignment_spans.push(assign.span);
                }
            }
        }

        let raw_project = raw_project?;
        let anchor = anchor?;
        if !self.errors.is_empty() {
            return None;
        }
        let project = Project {
            name: raw_project.name.clone(),
            anchor,
            time_zone: raw_project
                .time_zone
                .clone()
                .unwrap_or_else(|| "UTC".to_owned()),
            currency: raw_project
                .currency
                .clone()
                .unwrap_or_else(|| "EUR".to_owned()),
            status_date: raw_project.status_date,
            calendar: project_calendar,
            units,
            honor_constraints: raw_project.honor_constraints.unwrap_or(true),
            calendars,
            tasks,
            links,
            resources,
            assignments,
        };
        if let Err(error) = project.validate() {
            // Every check above should make this impossible; say so rather than panic.
            self.push(Error::new(
                ErrorKind::Invalid,
                raw_project.span,
                format!("internal error, please report: {error}"),
                "here",
            ));
            return None;
        }
        let source_map = SourceMap {
            tasks: task_spans,
            links: link_spans,
            resources: resource_spans,
            assignments: assignment_spans,
            calendars: calendar_spans,
        };
        Some((project, source_map))
    }

    /// "a milestone has no duration (work), but ... is given ...", at the value.
    fn nonzero_on_milestone(&self, raw: &RawTask, text: &Sp<String>, what: &str) -> Error {
        Error::new(
            ErrorKind::Invalid,
            text.span,
            format!(
                "a milestone has no {what}, but `{}` is given {}",
                raw.id.value, text.value
            ),
            format!("nonzero {what}"),
        )
    }

    fn duration(
        &mut self,
        text: &Sp<String>,
        units: &Units,
        rules: DurationRules,
    ) -> Option<Duration> {
        match values::parse_duration(&text.value, units, rules) {
            Ok(duration) => Some(duration),
            Err(bad) => {
                self.push(
                    Error::new(
                        ErrorKind::BadValue,
                        text.span,
                        bad.message,
                        "not a duration",
                    )
                    .help(bad.help),
                );
                None
            }
        }
    }

    /// The task's `pause` lines as splits: working durations, each after more of the work than
    /// the one before and within the task's duration when it has one.
    fn pauses(&mut self, raw: &RawTask, task: &Task, units: &Units) -> Vec<Split> {
        let rules = DurationRules {
            allow_negative: false,
            allow_elapsed: false,
        };
        let mut splits: Vec<Split> = Vec::with_capacity(raw.pauses.len());
        for pause in &raw.pauses {
            let after = self.duration(&pause.after, units, rules);
            let length = self.duration(&pause.length, units, rules);
            let (Some(after), Some(length)) = (after, length) else {
                continue;
            };
            let problem = if task.duration.elapsed {
                Some((
                    &pause.after,
                    "an elapsed duration runs on the clock and cannot pause".to_owned(),
                    "the task's duration is elapsed",
                ))
            } else if length.minutes == 0 {
                Some((&pause.length, "a pause lasts some time".to_owned(), "zero"))
            } else if task.duration.minutes != 0 && after.minutes >= task.duration.minutes {
                Some((
                    &pause.after,
                    format!(
                        "a pause of `{}` comes after {} of its work, outside the work",
                        raw.id.value, pause.after.value
                    ),
                    "not inside the work",
                ))
            } else if splits
                .last()
                .is_some_and(|last| after.minutes <= last.after)
            {
                Some((
                    &pause.after,
                    "pauses come in the order they happen, each after more of the work".to_owned(),
                    "not after the previous pause",
                ))
            } else {
                None
            };
            if let Some((at, message, label)) = problem {
                self.push(
                    Error::new(ErrorKind::Invalid, at.span, message, label)
                        .help("write it like: pause after=\"3d\" for=\"2d\" (3 days of work, then 2 days off the task)"),
                );
                continue;
            }
            splits.push(Split {
                after: after.minutes,
                pause: length.minutes,
            });
        }
        splits
    }

    /// Reports each cycle of base calendars once and cuts it, so nothing later loops.
    /// `declared[i]` is `calendars[first + i]`; bases are indices into `calendars`, and only
    /// declared calendars have one yet.
    fn calendar_cycles(
        &mut self,
        calendars: &mut [Calendar],
        first: usize,
        declared: &[&RawCalendar],
    ) {
        let n = declared.len().min(calendars.len().saturating_sub(first));
        // Positions in `declared`. 0: not visited, 1: on the current path, 2: done.
        let mut state = vec![0u8; n];
        for start in 0..n {
            let mut path: Vec<usize> = Vec::new();
            let mut current = Some(start);
            while let Some(index) = current {
                if index >= n || state[index] == 2 {
                    break;
                }
                if state[index] == 1 {
                    let from = path.iter().position(|&i| i == index).unwrap_or(0);
                    let cycle = &path[from..];
                    let mut names: Vec<&str> = cycle
                        .iter()
                        .map(|&i| declared[i].id.value.as_str())
                        .collect();
                    names.push(declared[index].id.value.as_str());
                    let at = declared[index]
                        .base
                        .as_ref()
                        .map_or(declared[index].span, |b| b.span);
                    self.push(
                        Error::new(
                            ErrorKind::Invalid,
                            at,
                            format!(
                                "calendar `{}` inherits from itself: {}",
                                declared[index].id.value,
                                names.join(" → ")
                            ),
                            "closes the cycle",
                        )
                        .help(
                            "one calendar of the chain must have no `base`, or a base outside it",
                        ),
                    );
                    calendars[first + index].base = None;
                    break;
                }
                state[index] = 1;
                path.push(index);
                // A base before `first` (none today) would end the chain: `checked_sub` fails.
                current = calendars[first + index]
                    .base
                    .and_then(|b| b.index().checked_sub(first));
            }
            for i in path {
                state[i] = 2;
            }
        }
    }
}

fn flatten<'a>(raws: &'a [RawTask], parent: Option<TaskId>, out: &mut Vec<Flat<'a>>) {
    // `lower` refuses tasks deeper than MAX_TASK_DEPTH, so this recursion is bounded.
    for raw in raws {
        let position = TaskId(out.len() as u32);
        out.push(Flat { raw, parent });
        flatten(&raw.children, Some(position), out);
    }
}

/// `(ancestor, descendant)` when one task contains the other.
pub(crate) fn lineage(tasks: &[Task], a: TaskId, b: TaskId) -> Option<(TaskId, TaskId)> {
    let contains = |outer: TaskId, inner: TaskId| {
        let mut current = tasks[inner.index()].parent;
        while let Some(parent) = current {
            if parent == outer {
                return true;
            }
            current = tasks[parent.index()].parent;
        }
        false
    };
    if contains(a, b) {
        Some((a, b))
    } else if contains(b, a) {
        Some((b, a))
    } else {
        None
    }
}
