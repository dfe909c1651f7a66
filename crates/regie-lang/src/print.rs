//! [`Project`] → canonical KDL text.
//!
//! One way to write each thing, in a fixed order: the `project` block, calendars, resources,
//! then the task outline. Values equal to their default are left out; durations and lags use
//! the largest unit that is exact; dates use the short form when it reads back the same. The
//! text parses back to an equal `Project` (see [`print()`] for the exact condition).
//!
//! Calendars are printed with their `uid` as id when they have a usable one. What the file
//! cannot say directly is recovered from the model's shape: a calendar that only exists to hold
//! one resource's vacations is printed inside that resource, and the built-in Standard calendar
//! is left out (with the project's `calendar` line) when it is the project calendar and nothing
//! else names it.

use std::collections::HashSet;
use std::fmt::Write;

use regie_core::calendar::{Calendar, DateRule, Exception, Shift};
use regie_core::{
    Anchor, Assignment, CalendarId, ConstraintKind, Link, LinkKind, Project, ResourceKind,
    TaskType, Units,
};

use crate::values::{self, Edge};

const INDENT: &str = "    ";

/// The project as canonical KDL.
///
/// `parse(print(p))` gives back `p` for every project `parse` can produce, and for any other
/// project that is valid in the file's terms: tasks in outline pre-order, `links` ordered by
/// successor in task order and `assignments` by task (the order `parse` produces; otherwise the
/// same links and assignments come back in that order), ids unique and non-empty, names of the
/// time zone and currency valid, values within the format's ranges, progress and manual dates
/// as the file allows them (none on summaries; percent complete at most 100, above 0 only with
/// an actual start, 100 exactly when there is an actual finish, which is not before the actual
/// start and needs one but on a milestone; manual finish not before its start, and equal to it
/// on a milestone). For calendars that means:
/// each has a unique, non-empty `uid`, except the built-in Standard
/// (`Calendar::standard("Standard")`, no uid) when it is calendar 0 and the project calendar and
/// nothing else names it (but as the base of resources' vacations), and the calendars holding
/// one resource's vacations (no uid, after all others, in resource order, as `parse` makes
/// them). A calendar without a usable uid gets an
/// id made from its name, which `parse` then gives back as its uid.
pub fn print(project: &Project) -> String {
    let names = CalendarNames::new(project);
    let mut out = String::new();
    project_block(&mut out, project, &names);
    for (index, calendar) in project.calendars.iter().enumerate() {
        if names.printed[index] {
            out.push('\n');
            calendar_block(&mut out, calendar, index, &names);
        }
    }
    for (index, _) in project.resources.iter().enumerate() {
        out.push('\n');
        resource_block(&mut out, project, index, &names);
    }
    task_outline(&mut out, project, &names);
    out
}

// ---------------------------------------------------------------------------------------------
// Calendar ids

/// The id each calendar is printed and referred to by, and which calendars are printed where.
struct CalendarNames {
    /// The id each calendar is printed or referred to by: its `uid` when that is non-empty and
    /// no other calendar's; otherwise one made from its name.
    ids: Vec<String>,
    /// Printed as a `calendar` node (not left out as the implicit Standard, not owned by a
    /// resource).
    printed: Vec<bool>,
    /// The project calendar is the built-in Standard that `parse` supplies when the `project`
    /// node names no calendar: it is calendar 0 and is not printed.
    implicit_standard: bool,
    /// For each resource, the calendar printed inside it (its vacations).
    owned_by: Vec<Option<CalendarId>>,
}

impl CalendarNames {
    fn new(project: &Project) -> CalendarNames {
        let n = project.calendars.len();
        let mut references = vec![0usize; n];
        let mut count = |id: CalendarId| {
            if let Some(r) = references.get_mut(id.index()) {
                *r += 1;
            }
        };
        count(project.calendar);
        project
            .tasks
            .iter()
            .filter_map(|t| t.calendar)
            .for_each(&mut count);
        project
            .resources
            .iter()
            .filter_map(|r| r.calendar)
            .for_each(&mut count);
        project
            .calendars
            .iter()
            .filter_map(|c| c.base)
            .for_each(&mut count);

        // `parse` puts the calendars made from resource vacations after all declared ones, in
        // resource order, without a uid: find the longest such tail.
        let owner = |index: usize| -> Option<usize> {
            let calendar = &project.calendars[index];
            let base = calendar.base?;
            if base.index() >= index
                || references[index] != 1
                || !calendar.uid.is_empty()
                || calendar.exceptions.is_empty()
                || calendar.week.iter().any(Option::is_some)
            {
                return None;
            }
            project.resources.iter().position(|r| {
                r.calendar == Some(CalendarId(index as u32)) && r.name == calendar.name
            })
        };
        let mut owned_by = vec![None; project.resources.len()];
        let mut declared_end = n;
        let mut next_owner = usize::MAX;
        for index in (0..n).rev() {
            match owner(index) {
                Some(resource) if resource < next_owner => {
                    owned_by[resource] = Some(CalendarId(index as u32));
                    next_owner = resource;
                    declared_end = index;
                }
                _ => break,
            }
        }

        let mut printed: Vec<bool> = (0..n).map(|i| i < declared_end).collect();
        // When the project names no calendar, `parse` supplies Standard (without a uid) as
        // calendar 0, before the declared ones, and makes it the project calendar. Leave it out
        // when it is that one and nothing but the project refers to it: the file has no id to
        // name it by. (Owned calendars may have it as their base: a resource's vacations are
        // then on top of the project calendar, which the file does not spell out.)
        let zero = CalendarId(0);
        let implicit_standard = declared_end >= 1
            && project.calendar == zero
            && project.calendars[0] == Calendar::standard("Standard")
            && !project.tasks.iter().any(|t| t.calendar == Some(zero))
            && !project.resources.iter().any(|r| r.calendar == Some(zero))
            && !project.calendars[1..declared_end]
                .iter()
                .any(|c| c.base == Some(zero));
        if implicit_standard {
            printed[0] = false;
        }

        // The printed calendars' uids first, so that an id made from a name never takes one;
        // then ids made from names for the printed calendars without a usable uid; then the
        // calendars not printed, whose ids nothing in the file uses.
        let mut ids: Vec<Option<String>> = vec![None; n];
        let mut taken: HashSet<String> = HashSet::new();
        for (index, calendar) in project.calendars.iter().enumerate() {
            if printed[index] && !calendar.uid.is_empty() && taken.insert(calendar.uid.clone()) {
                ids[index] = Some(calendar.uid.clone());
            }
        }
        let order = (0..n)
            .filter(|&i| printed[i])
            .chain((0..n).filter(|&i| !printed[i]));
        for index in order {
            if ids[index].is_some() {
                continue;
            }
            let base = slug(&project.calendars[index].name);
            let mut id = base.clone();
            let mut suffix = 2;
            while taken.contains(&id) {
                id = format!("{base}-{suffix}");
                suffix += 1;
            }
            taken.insert(id.clone());
            ids[index] = Some(id);
        }
        CalendarNames {
            ids: ids.into_iter().map(Option::unwrap_or_default).collect(),
            printed,
            implicit_standard,
            owned_by,
        }
    }

    fn id(&self, id: CalendarId) -> &str {
        self.ids.get(id.index()).map_or("", String::as_str)
    }
}

/// `France standard` → `france-standard`.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("calendar");
    }
    slug
}

// ---------------------------------------------------------------------------------------------
// Blocks

fn project_block(out: &mut String, project: &Project, names: &CalendarNames) {
    let _ = writeln!(out, "project {} {{", quote(&project.name));
    match project.anchor {
        Anchor::Start(start) => line(
            out,
            1,
            &format!(
                "start {}",
                quote(&values::format_datetime(start, Edge::Start))
            ),
        ),
        Anchor::Finish(finish) => line(
            out,
            1,
            &format!(
                "finish {}",
                quote(&values::format_datetime(finish, Edge::Finish))
            ),
        ),
    }
    line(out, 1, &format!("time-zone {}", quote(&project.time_zone)));
    line(out, 1, &format!("currency {}", quote(&project.currency)));
    if let Some(status) = project.status_date {
        line(
            out,
            1,
            &format!(
                "status-date {}",
                quote(&values::format_datetime(status, Edge::Start))
            ),
        );
    }
    // Without a `calendar` line, `parse` makes the built-in Standard the project calendar.
    if !names.implicit_standard {
        line(
            out,
            1,
            &format!("calendar {}", quote(names.id(project.calendar))),
        );
    }
    let defaults = Units::default();
    if project.units.minutes_per_day != defaults.minutes_per_day {
        line(
            out,
            1,
            &format!("minutes-per-day {}", project.units.minutes_per_day),
        );
    }
    if project.units.minutes_per_week != defaults.minutes_per_week {
        line(
            out,
            1,
            &format!("minutes-per-week {}", project.units.minutes_per_week),
        );
    }
    if project.units.days_per_month != defaults.days_per_month {
        line(
            out,
            1,
            &format!("days-per-month {}", project.units.days_per_month),
        );
    }
    if !project.honor_constraints {
        line(out, 1, "honor-constraints #false");
    }
    out.push_str("}\n");
}

fn calendar_block(out: &mut String, calendar: &Calendar, index: usize, names: &CalendarNames) {
    let id = &names.ids[index];
    let mut head = format!("calendar {}", quote(id));
    if calendar.name != *id {
        let _ = write!(head, " name={}", quote(&calendar.name));
    }
    if let Some(base) = calendar.base {
        let _ = write!(head, " base={}", quote(names.id(base)));
    }
    let full_day = Some(vec![Shift {
        start: 0,
        end: 1440,
    }]);
    let twenty_four = calendar.week.iter().all(|day| *day == full_day);
    if twenty_four {
        head.push_str(" twenty-four-hours=#true");
    }
    let mut body = Vec::new();
    if !twenty_four {
        week_lines(&calendar.week, &mut body);
    }
    for exception in &calendar.exceptions {
        body.push(exception_line(exception));
    }
    block(out, 0, &head, &body);
}

/// `week` lines: days with the same hours together, in the order of their first day.
fn week_lines(week: &[Option<Vec<Shift>>; 7], body: &mut Vec<String>) {
    let mut done = [false; 7];
    for first in 0..7 {
        let Some(shifts) = &week[first] else { continue };
        if done[first] {
            continue;
        }
        let mut days = Vec::new();
        for (index, day) in week.iter().enumerate().skip(first) {
            if day.as_ref() == Some(shifts) {
                done[index] = true;
                days.push(values::WEEKDAYS[index]);
            }
        }
        let mut text = format!("week {}", quote(&values::format_days(&days)));
        for shift in shifts {
            let _ = write!(text, " {}", quote(&values::format_shift(*shift)));
        }
        body.push(text);
    }
}

fn exception_line(exception: &Exception) -> String {
    let mut text = if exception.shifts.is_empty() {
        if exception.name == "Vacation" {
            "vacation".to_owned()
        } else {
            format!("holiday {}", quote(&exception.name))
        }
    } else {
        let mut text = format!("work {}", quote(&exception.name));
        for shift in &exception.shifts {
            let _ = write!(text, " {}", quote(&values::format_shift(*shift)));
        }
        text
    };
    match &exception.dates {
        DateRule::Range { from, to } if from == to => {
            let _ = write!(text, " date={}", quote(&values::format_date(*from)));
        }
        DateRule::Range { from, to } => {
            let _ = write!(
                text,
                " from={} to={}",
                quote(&values::format_date(*from)),
                quote(&values::format_date(*to))
            );
        }
        DateRule::Yearly {
            month,
            day,
            from_year,
            to_year,
        } => {
            let _ = write!(
                text,
                " yearly={}",
                quote(&values::format_yearly(*month, *day))
            );
            if let Some(year) = from_year {
                let _ = write!(text, " from-year={year}");
            }
            if let Some(year) = to_year {
                let _ = write!(text, " to-year={year}");
            }
        }
        DateRule::Weekly { weekdays, from, to } => {
            let _ = write!(
                text,
                " weekly={} from={} to={}",
                quote(&values::format_days(weekdays)),
                quote(&values::format_date(*from)),
                quote(&values::format_date(*to))
            );
        }
    }
    text
}

fn resource_block(out: &mut String, project: &Project, index: usize, names: &CalendarNames) {
    let resource = &project.resources[index];
    let mut head = format!("resource {}", quote(&resource.uid));
    if resource.name != resource.uid {
        let _ = write!(head, " name={}", quote(&resource.name));
    }
    if let Some(group) = &resource.group {
        let _ = write!(head, " group={}", quote(group));
    }
    match resource.kind {
        ResourceKind::Work => {}
        ResourceKind::Material => head.push_str(" kind=\"material\""),
        ResourceKind::Cost => head.push_str(" kind=\"cost\""),
    }
    if resource.max_units != 100 {
        let _ = write!(head, " max-units=\"{}%\"", resource.max_units);
    }
    let rates = &resource.rates;
    for (name, money) in [
        ("rate", rates.standard),
        ("overtime-rate", rates.overtime),
        ("cost-per-use", rates.per_use),
    ] {
        if money.0 != 0 {
            let _ = write!(head, " {name}={}", values::format_money(money));
        }
    }
    let owned = names.owned_by.get(index).copied().flatten();
    let calendar = match owned {
        // The owned calendar's base is what `calendar=` names; the project calendar is implied.
        Some(own) => project.calendars[own.index()]
            .base
            .filter(|base| *base != project.calendar),
        None => resource.calendar,
    };
    if let Some(calendar) = calendar {
        let _ = write!(head, " calendar={}", quote(names.id(calendar)));
    }
    if let Some(email) = &resource.email {
        let _ = write!(head, " email={}", quote(email));
    }
    let body: Vec<String> = match owned {
        Some(own) => project.calendars[own.index()]
            .exceptions
            .iter()
            .map(exception_line)
            .collect(),
        None => Vec::new(),
    };
    block(out, 0, &head, &body);
}

// ---------------------------------------------------------------------------------------------
// Tasks

fn task_outline(out: &mut String, project: &Project, names: &CalendarNames) {
    let n = project.tasks.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (index, task) in project.tasks.iter().enumerate() {
        match task.parent {
            Some(parent) if parent.index() < n && parent.index() != index => {
                children[parent.index()].push(index)
            }
            _ => roots.push(index),
        }
    }
    let mut links_to: Vec<Vec<&Link>> = vec![Vec::new(); n];
    for link in &project.links {
        if let Some(list) = links_to.get_mut(link.succ.index()) {
            list.push(link);
        }
    }
    let mut assignments_of: Vec<Vec<&Assignment>> = vec![Vec::new(); n];
    for assignment in &project.assignments {
        if let Some(list) = assignments_of.get_mut(assignment.task.index()) {
            list.push(assignment);
        }
    }

    // An explicit stack rather than recursion: a model from elsewhere may nest without limit.
    enum Step {
        Open(usize, usize),
        Close(usize),
    }
    let mut stack: Vec<Step> = roots.iter().rev().map(|&r| Step::Open(r, 0)).collect();
    let mut visited = vec![false; n];
    while let Some(step) = stack.pop() {
        let (index, depth) = match step {
            Step::Close(depth) => {
                line(out, depth, "}");
                continue;
            }
            Step::Open(index, depth) => (index, depth),
        };
        if visited[index] {
            continue;
        }
        visited[index] = true;
        if depth == 0 {
            out.push('\n');
        }
        let head = task_head(project, index, names);
        let body = task_body(project, index, &links_to[index], &assignments_of[index]);
        if body.is_empty() && children[index].is_empty() {
            line(out, depth, &head);
            continue;
        }
        line(out, depth, &format!("{head} {{"));
        for text in &body {
            line(out, depth + 1, text);
        }
        stack.push(Step::Close(depth));
        for &child in children[index].iter().rev() {
            stack.push(Step::Open(child, depth + 1));
        }
    }
}

fn task_head(project: &Project, index: usize, names: &CalendarNames) -> String {
    let task = &project.tasks[index];
    let node = if task.milestone { "milestone" } else { "task" };
    let mut head = format!("{node} {} {}", quote(&task.uid), quote(&task.name));
    let units = &project.units;
    if task.duration != regie_core::Duration::default() {
        let _ = write!(
            head,
            " duration={}",
            quote(&values::format_duration(task.duration, units))
        );
    }
    if let Some(work) = task.work {
        let _ = write!(
            head,
            " work={}",
            quote(&values::format_minutes(work, false, units))
        );
    }
    match task.task_type {
        TaskType::FixedUnits => {}
        TaskType::FixedDuration => head.push_str(" type=\"fixed-duration\""),
        TaskType::FixedWork => head.push_str(" type=\"fixed-work\""),
    }
    if !task.effort_driven {
        head.push_str(" effort-driven=#false");
    }
    if task.priority != 500 {
        let _ = write!(head, " priority={}", task.priority);
    }
    if let Some(calendar) = task.calendar {
        let _ = write!(head, " calendar={}", quote(names.id(calendar)));
    }
    if let Some(deadline) = task.deadline {
        let _ = write!(
            head,
            " deadline={}",
            quote(&values::format_datetime(deadline, Edge::Finish))
        );
    }
    head
}

fn task_body(
    project: &Project,
    index: usize,
    links: &[&Link],
    assignments: &[&Assignment],
) -> Vec<String> {
    let task = &project.tasks[index];
    let units = &project.units;
    let mut body = Vec::new();
    // Consecutive links of the same type and lag share one `after`.
    let mut i = 0;
    while i < links.len() {
        let first = links[i];
        let mut text = String::from("after");
        let mut j = i;
        while j < links.len() && links[j].kind == first.kind && links[j].lag == first.lag {
            let pred = project
                .tasks
                .get(links[j].pred.index())
                .map_or("", |t| t.uid.as_str());
            let _ = write!(text, " {}", quote(pred));
            j += 1;
        }
        if first.kind != LinkKind::FinishToStart {
            let _ = write!(text, " type=\"{}\"", first.kind.code());
        }
        if first.lag != regie_core::Lag::default() {
            let _ = write!(
                text,
                " lag={}",
                quote(&values::format_lag(first.lag, units))
            );
        }
        body.push(text);
        i = j;
    }
    // Consecutive assignments with the same units and work share one `assign`.
    let mut i = 0;
    while i < assignments.len() {
        let first = assignments[i];
        let mut text = String::from("assign");
        let mut j = i;
        while j < assignments.len()
            && assignments[j].units == first.units
            && assignments[j].work == first.work
        {
            let resource = project
                .resources
                .get(assignments[j].resource.index())
                .map_or("", |r| r.uid.as_str());
            let _ = write!(text, " {}", quote(resource));
            j += 1;
        }
        if first.units != 100 {
            let _ = write!(text, " units=\"{}%\"", first.units);
        }
        if let Some(work) = first.work {
            let _ = write!(
                text,
                " work={}",
                quote(&values::format_minutes(work, false, units))
            );
        }
        body.push(text);
        i = j;
    }
    let constraint = task.constraint;
    if constraint.kind != ConstraintKind::AsSoonAsPossible || constraint.date.is_some() {
        let (name, edge) = constraint_name(constraint.kind);
        let mut text = format!("constraint \"{name}\"");
        if let Some(date) = constraint.date {
            let _ = write!(text, " {}", quote(&values::format_datetime(date, edge)));
        }
        body.push(text);
    }
    if let Some(manual) = task.manual {
        let start = quote(&values::format_datetime(manual.start, Edge::Start));
        let finish = quote(&values::format_datetime(manual.finish, Edge::Finish));
        // A milestone is one instant: `parse` reads a lone date as both.
        if task.milestone && manual.start == manual.finish {
            body.push(format!("manual finish={finish}"));
        } else {
            body.push(format!("manual start={start} finish={finish}"));
        }
    }
    let progress = task.progress;
    if !progress.is_empty() {
        let mut text = String::from("progress");
        if progress.percent_complete != 0 {
            let _ = write!(text, " \"{}%\"", progress.percent_complete);
        }
        if let Some(start) = progress.actual_start {
            let _ = write!(
                text,
                " actual-start={}",
                quote(&values::format_datetime(start, Edge::Start))
            );
        }
        if let Some(finish) = progress.actual_finish {
            let _ = write!(
                text,
                " actual-finish={}",
                quote(&values::format_datetime(finish, Edge::Finish))
            );
        }
        body.push(text);
    }
    for split in &task.splits {
        body.push(format!(
            "pause after={} for={}",
            quote(&values::format_minutes(split.after, false, units)),
            quote(&values::format_minutes(split.pause, false, units))
        ));
    }
    if !task.notes.is_empty() {
        // One `note` per line: `parse` joins them with line breaks.
        for note_line in task.notes.split('\n') {
            body.push(format!("note {}", quote(note_line)));
        }
    }
    body
}

fn constraint_name(kind: ConstraintKind) -> (&'static str, Edge) {
    match kind {
        ConstraintKind::AsSoonAsPossible => ("as-soon-as-possible", Edge::Start),
        ConstraintKind::AsLateAsPossible => ("as-late-as-possible", Edge::Start),
        ConstraintKind::StartNoEarlierThan => ("start-no-earlier-than", Edge::Start),
        ConstraintKind::StartNoLaterThan => ("start-no-later-than", Edge::Start),
        ConstraintKind::FinishNoEarlierThan => ("finish-no-earlier-than", Edge::Finish),
        ConstraintKind::FinishNoLaterThan => ("finish-no-later-than", Edge::Finish),
        ConstraintKind::MustStartOn => ("must-start-on", Edge::Start),
        ConstraintKind::MustFinishOn => ("must-finish-on", Edge::Finish),
    }
}

// ---------------------------------------------------------------------------------------------
// Text

fn line(out: &mut String, depth: usize, text: &str) {
    for _ in 0..depth {
        out.push_str(INDENT);
    }
    out.push_str(text);
    out.push('\n');
}

fn block(out: &mut String, depth: usize, head: &str, body: &[String]) {
    if body.is_empty() {
        line(out, depth, head);
        return;
    }
    line(out, depth, &format!("{head} {{"));
    for text in body {
        line(out, depth + 1, text);
    }
    line(out, depth, "}");
}

/// A KDL v2 quoted string; everything that may not appear literally on one line is escaped.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{85}'
                        | '\u{2028}'
                        | '\u{2029}'
                        | '\u{200E}'..='\u{200F}'
                        | '\u{202A}'..='\u{202E}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{FEFF}'
                ) =>
            {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
