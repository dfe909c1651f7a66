//! Writing a scheduled project as MS Project XML (MSPDI, namespace
//! `http://schemas.microsoft.com/project`): the file MS Project 2007 and later and MPXJ read.
//!
//! What the file holds and why (each point checked against MPXJ by `scripts/mpxj_check.py`):
//!
//! - **UIDs.** A task or resource keeps its id as its UID when the id is a positive integer
//!   written canonically (`"12"`); the others get the smallest free numbers, in file order
//!   ([`uids`]). Ids that are not their UID are kept in the `Text1` field (alias `Regie ID`), so
//!   an import can give them back. Calendars are numbered in model order from 1.
//! - **Calendars.** MS Project knows two kinds: base calendars, and a resource's own calendar
//!   derived from one base. A derived calendar of ours that is exactly that (used by one work
//!   resource, by no task, not the project calendar, base of no other) is written as derived;
//!   every other calendar is flattened into a base calendar (its week days resolved through its
//!   bases, the bases' exceptions under its own). A work resource without such a calendar gets
//!   one made for it, named after it and derived from the calendar it works by, as MS Project
//!   and MPXJ do.
//! - **Exceptions** are written in the 2007+ `Exceptions` form, and expanded day by day in the
//!   2003 `WeekDay`/`DayType 0` form as MS Project and MPXJ also do (readers that know the new
//!   form ignore the old one). MS Project rejects overlapping exceptions, where ours overlap and
//!   the later wins: exceptions that share no date with another are written as their rule
//!   (dates, a weekly rule, or a yearly rule by day or by n-th weekday, as recurring exceptions),
//!   the dates where exceptions overlap are written as plain date ranges of the winning one. A
//!   yearly rule without bounds recurs from the year before the project starts to five years
//!   after it finishes (MS Project's recurrences are finite); one MSPDI cannot express (29
//!   February, a 5th weekday) is written as its dates.
//! - **Dates** are the schedule's, in the project's local time (MSPDI has no time zone). A
//!   task's duration is the one the plan gives it: its duration (or work / units) on its
//!   calendar, in the unit it divides into (days, hours, minutes; elapsed units for elapsed
//!   durations); a manual task and one with both actual dates last from start to finish.
//! - **Links**: `LinkLag` in tenths of a minute with the unit it divides into, elapsed lags in
//!   elapsed units, percent lags as a whole percent with `LagFormat` 19 (MPXJ's convention).
//! - **Assignments** carry units and work such that MS Project, which schedules each
//!   assignment for work / units on its resource's calendar, finds our dates: work given to an
//!   assignment of a task on its own calendar or with an elapsed duration (which the engine
//!   stretches over the whole task) is written with units of work / duration. A task calendar
//!   sets `IgnoreResourceCalendar`, since ours replaces the resources' calendars where MS
//!   Project would intersect them. Actual and remaining durations and work are always written
//!   (MPXJ's scheduler needs them).
//!
//! Output is deterministic: the same project and schedule give the same bytes.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{NAMESPACE, NO_RESOURCE};
use jiff::civil::{Date, DateTime, Weekday};
use regie_core::calendar::{Calendar, CalendarIndex, DateRule, Exception, Shift, YearlyDay};
use regie_core::time::{Minute, date_of_day, datetime_of, day_number, minute_of};
use regie_core::{
    Anchor, CalendarId, ConstraintKind, Lag, LinkKind, Project, ResourceKind, Schedule, TaskType,
};

/// `FieldID` of the task field `Text1`, where ids that are not UIDs are kept.
pub const TASK_ID_FIELD: u32 = 188_743_731;
/// `FieldID` of the resource field `Text1`.
pub const RESOURCE_ID_FIELD: u32 = 205_520_904;
/// The alias the file gives those fields.
pub const ID_FIELD_ALIAS: &str = "Regie ID";

/// MS Project's range of dates; recurring exceptions are kept inside it.
const FIRST_YEAR: i16 = 1984;
const LAST_YEAR: i16 = 2149;
/// MS Project accepts at most this many occurrences in one recurring exception.
const MAX_OCCURRENCES: usize = 999;

/// The UIDs a project's entities get in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uids {
    /// Indexed by [`TaskId`](regie_core::TaskId).
    pub tasks: Vec<u32>,
    /// Indexed by [`ResourceId`](regie_core::ResourceId).
    pub resources: Vec<u32>,
    /// Indexed by [`CalendarId`]: `index + 1`.
    pub calendars: Vec<u32>,
}

/// The UIDs [`write`] gives the project's tasks, resources and calendars.
pub fn uids(project: &Project) -> Uids {
    Uids {
        tasks: assign_uids(project.tasks.iter().map(|t| t.uid.as_str())),
        resources: assign_uids(project.resources.iter().map(|r| r.uid.as_str())),
        calendars: (1..=project.calendars.len() as u32).collect(),
    }
}

/// `"12"` is 12; `"012"`, `"0"`, `"a"` and numbers past `i32::MAX` are not UIDs.
fn numeric_uid(id: &str) -> Option<u32> {
    let n: u32 = id.parse().ok()?;
    (n > 0 && n <= i32::MAX as u32 && n.to_string() == id).then_some(n)
}

fn assign_uids<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let ids: Vec<&str> = ids.collect();
    let mut used = std::collections::HashSet::new();
    let mut out: Vec<Option<u32>> = ids
        .iter()
        .map(|id| numeric_uid(id).filter(|n| used.insert(*n)))
        .collect();
    let mut next = 1u32;
    for slot in &mut out {
        if slot.is_none() {
            while used.contains(&next) {
                next += 1;
            }
            used.insert(next);
            *slot = Some(next);
        }
    }
    out.into_iter().map(|n| n.unwrap_or(0)).collect()
}

/// Writes the project and its schedule as an MSPDI document.
pub fn write(project: &Project, schedule: &Schedule) -> String {
    Writer::new(project, schedule).document()
}

/// A tiny indenting XML writer: elements in the order the MSPDI schema requires.
struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, tag: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{tag}>");
        self.depth += 1;
    }

    fn close(&mut self, tag: &str) {
        self.depth -= 1;
        self.indent();
        let _ = writeln!(self.out, "</{tag}>");
    }

    /// An element holding a value that needs no escaping (numbers, dates, codes).
    fn value(&mut self, tag: &str, value: impl std::fmt::Display) {
        self.indent();
        let _ = writeln!(self.out, "<{tag}>{value}</{tag}>");
    }

    fn text(&mut self, tag: &str, text: &str) {
        self.indent();
        let _ = write!(self.out, "<{tag}>");
        escape_into(&mut self.out, text);
        let _ = writeln!(self.out, "</{tag}>");
    }

    fn flag(&mut self, tag: &str, on: bool) {
        self.value(tag, u8::from(on));
    }
}

/// XML text: markup characters escaped, characters XML 1.0 forbids (most C0 controls) dropped.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// `2027-01-04T08:00:00`.
fn xml_datetime(minute: Minute) -> String {
    civil_datetime(datetime_of(minute))
}

fn civil_datetime(dt: DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

fn xml_date(date: Date, time: &str) -> String {
    format!(
        "{:04}-{:02}-{:02}T{time}",
        date.year(),
        date.month(),
        date.day()
    )
}

/// `PT36H30M0S`: MSPDI durations are hours and minutes, whatever unit they are shown in.
fn xml_duration(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    format!("{sign}PT{}H{}M0S", m / 60, m % 60)
}

/// `08:00:00`; the end of the day is `00:00:00`, as MS Project writes it.
fn xml_time(minute_of_day: u16) -> String {
    let m = minute_of_day % 1440;
    format!("{:02}:{:02}:00", m / 60, m % 60)
}

/// MSPDI duration and lag formats.
mod format {
    pub const MINUTES: u8 = 3;
    pub const ELAPSED_MINUTES: u8 = 4;
    pub const HOURS: u8 = 5;
    pub const ELAPSED_HOURS: u8 = 6;
    pub const DAYS: u8 = 7;
    pub const ELAPSED_DAYS: u8 = 8;
    pub const PERCENT: u8 = 19;
}

/// The unit a length of time is best shown in: days when it is whole days, else hours, else
/// minutes (24-hour days for elapsed time).
fn duration_format(minutes: i64, elapsed: bool, minutes_per_day: u32) -> u8 {
    let per_day = if elapsed {
        1440
    } else {
        i64::from(minutes_per_day.max(1))
    };
    match (minutes % per_day == 0, minutes % 60 == 0, elapsed) {
        (true, _, false) => format::DAYS,
        (true, _, true) => format::ELAPSED_DAYS,
        (false, true, false) => format::HOURS,
        (false, true, true) => format::ELAPSED_HOURS,
        (false, false, false) => format::MINUTES,
        (false, false, true) => format::ELAPSED_MINUTES,
    }
}

/// Sorted, touching or overlapping shifts merged; shifts the engine would refuse left out.
fn normalize(shifts: &[Shift]) -> Vec<Shift> {
    let valid: Vec<Shift> = shifts
        .iter()
        .copied()
        .filter(|s| s.start < s.end && s.end <= 1440)
        .collect();
    regie_core::calendar::normalize_shifts(&valid)
}

/// MSPDI day numbers: 1 = Sunday … 7 = Saturday. Our weeks start on Monday (index 0).
fn day_type(monday_index: usize) -> u32 {
    (monday_index as u32 + 1) % 7 + 1
}

fn weekday_day_type(weekday: Weekday) -> u32 {
    day_type(weekday.to_monday_zero_offset() as usize)
}

/// How the calendars go into the file.
struct CalendarPlan {
    /// Per model calendar: written as a resource's own calendar, derived from its base.
    derived: Vec<bool>,
    /// Per resource: the UID of the calendar it works by in the file (none for materials and
    /// costs, which MS Project schedules on no calendar).
    resource_calendar: Vec<Option<u32>>,
    /// Calendars made for resources: (UID, resource index, base UID).
    made: Vec<(u32, usize, u32)>,
}

impl CalendarPlan {
    fn new(project: &Project) -> CalendarPlan {
        let n = project.calendars.len();
        let valid = |id: CalendarId| id.index() < n;
        // Calendars MS Project needs as base calendars.
        let mut pinned = vec![false; n];
        let mut users = vec![0usize; n];
        if valid(project.calendar) {
            pinned[project.calendar.index()] = true;
        }
        for task in &project.tasks {
            if let Some(id) = task.calendar.filter(|&id| valid(id)) {
                pinned[id.index()] = true;
            }
        }
        for cal in &project.calendars {
            if let Some(id) = cal.base.filter(|&id| valid(id)) {
                pinned[id.index()] = true;
            }
        }
        for resource in &project.resources {
            if let Some(id) = resource.calendar.filter(|&id| valid(id)) {
                users[id.index()] += 1;
            }
        }
        let derived: Vec<bool> = (0..n)
            .map(|i| {
                project.calendars[i].base.is_some_and(valid)
                    && !pinned[i]
                    && users[i] == 1
                    && project.resources.iter().any(|r| {
                        r.kind == ResourceKind::Work && r.calendar == Some(CalendarId(i as u32))
                    })
            })
            .collect();
        let mut next = n as u32 + 1;
        let mut made = Vec::new();
        let resource_calendar = project
            .resources
            .iter()
            .enumerate()
            .map(|(index, resource)| {
                if resource.kind != ResourceKind::Work {
                    return None;
                }
                let id = resource.calendar.unwrap_or(project.calendar);
                if !valid(id) {
                    return None;
                }
                if derived[id.index()] {
                    return Some(id.0 + 1);
                }
                made.push((next, index, id.0 + 1));
                next += 1;
                Some(next - 1)
            })
            .collect();
        CalendarPlan {
            derived,
            resource_calendar,
            made,
        }
    }
}

/// The calendar then its bases, nearest first (a base cycle is cut where it closes).
fn base_chain(calendars: &[Calendar], id: CalendarId) -> Vec<&Calendar> {
    let mut chain: Vec<&Calendar> = Vec::new();
    let mut seen = vec![false; calendars.len()];
    let mut next = Some(id);
    while let Some(cid) = next {
        let Some(cal) = calendars.get(cid.index()) else {
            break;
        };
        if std::mem::replace(&mut seen[cid.index()], true) {
            break;
        }
        chain.push(cal);
        next = cal.base;
    }
    chain
}

/// The dates an exception of the file covers.
#[derive(Clone, Debug)]
enum OutRule {
    /// Every day from the first date to the last.
    Range,
    /// Days of the week (MSPDI bit mask, Sunday = 1).
    Weekly {
        mask: u32,
    },
    YearlyDay {
        month: i8,
        day: i8,
    },
    /// `position`: 0–3 for the first to fourth, 4 for the last.
    YearlyNth {
        month: i8,
        position: u8,
        weekday: Weekday,
    },
}

#[derive(Clone, Debug)]
struct OutException {
    name: String,
    shifts: Vec<Shift>,
    rule: OutRule,
    /// The days covered, sorted (first and last for a range).
    days: Vec<i64>,
}

impl OutException {
    fn first(&self) -> i64 {
        self.days.first().copied().unwrap_or(0)
    }
    fn last(&self) -> i64 {
        self.days.last().copied().unwrap_or(0)
    }
    fn occurrences(&self) -> usize {
        match self.rule {
            OutRule::Range => (self.last() - self.first() + 1) as usize,
            _ => self.days.len(),
        }
    }
    /// Runs of consecutive days, for the 2003 form.
    fn runs(&self) -> Vec<(i64, i64)> {
        if matches!(self.rule, OutRule::Range) {
            return vec![(self.first(), self.last())];
        }
        let mut runs: Vec<(i64, i64)> = Vec::new();
        for &day in &self.days {
            match runs.last_mut() {
                Some(run) if run.1 + 1 == day => run.1 = day,
                _ => runs.push((day, day)),
            }
        }
        runs
    }
}

/// The days in `years` (clamped to MS Project's range) a yearly rule covers.
fn yearly_days(month: i8, day: YearlyDay, years: (i16, i16)) -> Vec<i64> {
    let mut out = Vec::new();
    for year in years.0.max(FIRST_YEAR)..=years.1.min(LAST_YEAR) {
        let date = match day {
            YearlyDay::Day(d) => Date::new(year, month, d).ok(),
            YearlyDay::Nth { n, weekday } => Date::new(year, month, 1)
                .ok()
                .and_then(|first| first.nth_weekday_of_month(n, weekday).ok()),
        };
        if let Some(date) = date {
            out.push(day_number(date));
        }
    }
    out
}

/// Turns exceptions where later ones win on shared dates into exceptions MS Project accepts:
/// none sharing a date, sorted by first date. `years` bounds yearly rules that have no bounds.
fn plan_exceptions(exceptions: &[&Exception], years: (i16, i16)) -> Vec<OutException> {
    // The days each exception covers.
    let covered: Vec<Vec<i64>> = exceptions
        .iter()
        .map(|e| match &e.dates {
            DateRule::Range { from, to } => (day_number(*from)..=day_number(*to)).collect(),
            DateRule::Weekly { weekdays, from, to } => {
                let mask = weekdays
                    .iter()
                    .fold(0u8, |m, w| m | 1 << w.to_monday_zero_offset());
                (day_number(*from)..=day_number(*to))
                    .filter(|&d| mask & (1 << (d + 3).rem_euclid(7)) != 0)
                    .collect()
            }
            DateRule::Yearly {
                month,
                day,
                from_year,
                to_year,
            } => yearly_days(
                *month,
                *day,
                (from_year.unwrap_or(years.0), to_year.unwrap_or(years.1)),
            ),
        })
        .collect();
    let mut by_day: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (k, days) in covered.iter().enumerate() {
        for &day in days {
            by_day.entry(day).or_default().push(k);
        }
    }
    let mut conflicting = vec![false; exceptions.len()];
    for ks in by_day.values().filter(|ks| ks.len() > 1) {
        for &k in ks {
            conflicting[k] = true;
        }
    }
    let mut out = Vec::new();
    let plain = |k: usize, first: i64, last: i64| OutException {
        name: exceptions[k].name.clone(),
        shifts: normalize(&exceptions[k].shifts),
        rule: OutRule::Range,
        days: vec![first, last],
    };
    for (k, exception) in exceptions.iter().enumerate() {
        let days = &covered[k];
        if conflicting[k] || days.is_empty() {
            continue;
        }
        let rule = match &exception.dates {
            DateRule::Range { .. } => Some(OutRule::Range),
            DateRule::Weekly { weekdays, .. } => Some(OutRule::Weekly {
                mask: weekdays
                    .iter()
                    .fold(0, |m, w| m | 1 << (weekday_day_type(*w) - 1)),
            }),
            DateRule::Yearly {
                month,
                day,
                from_year,
                to_year,
            } => {
                let (from, to) = (from_year.unwrap_or(years.0), to_year.unwrap_or(years.1));
                let every_year = days.len() as i64
                    == i64::from(to.min(LAST_YEAR)) - i64::from(from.max(FIRST_YEAR)) + 1;
                match *day {
                    YearlyDay::Day(d) if every_year && !(*month == 2 && d == 29) => {
                        Some(OutRule::YearlyDay {
                            month: *month,
                            day: d,
                        })
                    }
                    YearlyDay::Nth { n, weekday } if every_year && (1..=4).contains(&n) => {
                        Some(OutRule::YearlyNth {
                            month: *month,
                            position: (n - 1) as u8,
                            weekday,
                        })
                    }
                    YearlyDay::Nth { n: -1, weekday } if every_year => Some(OutRule::YearlyNth {
                        month: *month,
                        position: 4,
                        weekday,
                    }),
                    _ => None,
                }
            }
        };
        match rule {
            Some(OutRule::Range) => out.push(plain(k, days[0], days[days.len() - 1])),
            Some(rule) => {
                for chunk in days.chunks(MAX_OCCURRENCES) {
                    out.push(OutException {
                        name: exception.name.clone(),
                        shifts: normalize(&exception.shifts),
                        rule: rule.clone(),
                        days: chunk.to_vec(),
                    });
                }
            }
            None => {
                for &day in days {
                    out.push(plain(k, day, day));
                }
            }
        }
    }
    // Where exceptions overlap: runs of days won by the same exception, as date ranges.
    let mut run: Option<(usize, i64, i64)> = None;
    for (&day, ks) in &by_day {
        if !ks.iter().any(|&k| conflicting[k]) {
            continue;
        }
        let winner = ks.iter().copied().max().unwrap_or(0);
        match &mut run {
            Some((k, _, last)) if *k == winner && *last + 1 == day => *last = day,
            _ => {
                if let Some((k, first, last)) = run.take() {
                    out.push(plain(k, first, last));
                }
                run = Some((winner, day, day));
            }
        }
    }
    if let Some((k, first, last)) = run {
        out.push(plain(k, first, last));
    }
    out.sort_by(|a, b| (a.first(), a.last(), &a.name).cmp(&(b.first(), b.last(), &b.name)));
    out
}

struct Writer<'a> {
    project: &'a Project,
    schedule: &'a Schedule,
    uids: Uids,
    plan: CalendarPlan,
    /// Years over which unbounded yearly exceptions recur.
    years: (i16, i16),
    /// Per model calendar, its index over `horizon`, built when first needed (durations
    /// measured between dates: summaries, manual and finished tasks).
    indexes: Vec<OnceCell<Option<CalendarIndex>>>,
    horizon: (Date, Date),
    /// Per task, the indexes of its assignments (to resources that exist).
    by_task: Vec<Vec<usize>>,
    /// Per task, its working minutes per calendar as the engine counts them.
    task_parts: Vec<Vec<regie_core::cpm::Part>>,
    xml: Xml,
}

impl<'a> Writer<'a> {
    fn new(project: &'a Project, schedule: &'a Schedule) -> Writer<'a> {
        let (start, finish) = (schedule.start.min(schedule.finish), schedule.finish);
        let mut first_year = date_of_day(start.div_euclid(1440)).year() - 1;
        let mut last_year = date_of_day(finish.div_euclid(1440)).year() + 5;
        // Dated exceptions outside that span still need the yearly rules around them, to
        // tell which one wins where they meet.
        for cal in &project.calendars {
            for exception in &cal.exceptions {
                let (a, b) = match &exception.dates {
                    DateRule::Range { from, to } | DateRule::Weekly { from, to, .. } => {
                        (Some(from.year()), Some(to.year()))
                    }
                    DateRule::Yearly {
                        from_year, to_year, ..
                    } => (*from_year, *to_year),
                };
                first_year = first_year.min(a.unwrap_or(first_year));
                last_year = last_year.max(b.unwrap_or(last_year));
            }
        }
        let years = (
            first_year.clamp(FIRST_YEAR, LAST_YEAR),
            last_year.clamp(FIRST_YEAR, LAST_YEAR),
        );
        let horizon = (
            date_of_day(start.div_euclid(1440) - 400),
            date_of_day(finish.div_euclid(1440) + 400),
        );
        let mut by_task = vec![Vec::new(); project.tasks.len()];
        for (k, a) in project.assignments.iter().enumerate() {
            if a.resource.index() < project.resources.len()
                && let Some(list) = by_task.get_mut(a.task.index())
            {
                list.push(k);
            }
        }
        Writer {
            project,
            schedule,
            uids: uids(project),
            plan: CalendarPlan::new(project),
            years,
            indexes: (0..project.calendars.len())
                .map(|_| OnceCell::new())
                .collect(),
            horizon,
            by_task,
            task_parts: regie_core::cpm::task_parts(project),
            xml: Xml {
                out: String::with_capacity(4096 + project.tasks.len() * 1500),
                depth: 0,
            },
        }
    }

    fn calendar_uid(&self, id: CalendarId) -> Option<u32> {
        self.uids.calendars.get(id.index()).copied()
    }

    fn document(mut self) -> String {
        self.xml
            .out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
        let _ = writeln!(self.xml.out, "<Project xmlns=\"{NAMESPACE}\">");
        self.xml.depth = 1;
        self.properties();
        self.calendars();
        self.tasks();
        self.resources();
        self.assignments();
        self.xml.out.push_str("</Project>\n");
        self.xml.out
    }

    fn properties(&mut self) {
        let p = self.project;
        let x = &mut self.xml;
        x.value("SaveVersion", 14);
        x.text("Name", &p.name);
        x.text("Title", &p.name);
        x.flag("ScheduleFromStart", matches!(p.anchor, Anchor::Start(_)));
        let (start, finish) = match p.anchor {
            Anchor::Start(at) => (minute_of(at), self.schedule.finish),
            Anchor::Finish(at) => (self.schedule.start, minute_of(at)),
        };
        x.value("StartDate", xml_datetime(start));
        x.value("FinishDate", xml_datetime(finish));
        x.value("CurrencyDigits", 2);
        x.text("CurrencyCode", &p.currency);
        if let Some(uid) = self.uids.calendars.get(p.calendar.index()) {
            x.value("CalendarUID", uid);
        }
        // The project calendar's usual day, for dates typed without a time in MS Project.
        let day = p
            .calendars
            .get(p.calendar.index())
            .map(|_| {
                let chain = base_chain(&p.calendars, p.calendar);
                (0..7)
                    .find_map(|w| {
                        let shifts = normalize(chain.iter().find_map(|c| c.week[w].as_deref())?);
                        Some((shifts.first()?.start, shifts.last()?.end))
                    })
                    .unwrap_or((480, 1020))
            })
            .unwrap_or((480, 1020));
        x.value("DefaultStartTime", xml_time(day.0));
        x.value("DefaultFinishTime", xml_time(day.1));
        x.value("MinutesPerDay", p.units.minutes_per_day);
        x.value("MinutesPerWeek", p.units.minutes_per_week);
        x.value("DaysPerMonth", p.units.days_per_month);
        x.value("DefaultTaskType", 0);
        x.value("DurationFormat", format::DAYS);
        x.value("WorkFormat", 2);
        x.flag("HonorConstraints", p.honor_constraints);
        x.flag("NewTasksEffortDriven", true);
        x.flag("NewTasksEstimated", false);
        x.value("WeekStartDay", 1);
        if let Some(status) = p.status_date {
            x.value("StatusDate", civil_datetime(status));
        }
        x.flag("NewTasksAreManual", false);
        let tasks_need = p
            .tasks
            .iter()
            .zip(&self.uids.tasks)
            .any(|(t, uid)| t.uid != uid.to_string());
        let resources_need = p
            .resources
            .iter()
            .zip(&self.uids.resources)
            .any(|(r, uid)| r.uid != uid.to_string());
        if tasks_need || resources_need {
            x.open("ExtendedAttributes");
            for (need, field, name) in [
                (tasks_need, TASK_ID_FIELD, "Text1"),
                (resources_need, RESOURCE_ID_FIELD, "Text1"),
            ] {
                if need {
                    x.open("ExtendedAttribute");
                    x.value("FieldID", field);
                    x.value("FieldName", name);
                    x.text("Alias", ID_FIELD_ALIAS);
                    x.close("ExtendedAttribute");
                }
            }
            x.close("ExtendedAttributes");
        }
    }

    fn calendars(&mut self) {
        let p = self.project;
        if p.calendars.is_empty() {
            return;
        }
        self.xml.open("Calendars");
        // Base calendars first, then the derived ones, each by UID, as MS Project writes them.
        for (index, _) in p.calendars.iter().enumerate() {
            if !self.plan.derived[index] {
                self.flattened_calendar(CalendarId(index as u32));
            }
        }
        for (index, cal) in p.calendars.iter().enumerate() {
            if self.plan.derived[index] {
                let base = cal.base.and_then(|b| self.calendar_uid(b));
                let own: Vec<&Exception> = cal.exceptions.iter().collect();
                let week: [Option<Vec<Shift>>; 7] =
                    std::array::from_fn(|w| cal.week[w].as_deref().map(normalize));
                self.calendar(index as u32 + 1, &cal.name, base, &week, &own);
            }
        }
        for k in 0..self.plan.made.len() {
            let (uid, resource, base) = self.plan.made[k];
            let name = p.resources[resource].name.clone();
            self.calendar(uid, &name, Some(base), &Default::default(), &[]);
        }
        self.xml.close("Calendars");
    }

    /// A base calendar: week days through its bases, their exceptions under its own.
    fn flattened_calendar(&mut self, id: CalendarId) {
        let cals = &self.project.calendars;
        let chain = base_chain(cals, id);
        let week: [Option<Vec<Shift>>; 7] = std::array::from_fn(|w| {
            Some(
                chain
                    .iter()
                    .find_map(|c| c.week[w].as_deref())
                    .map(normalize)
                    .unwrap_or_default(),
            )
        });
        let exceptions: Vec<&Exception> = chain
            .iter()
            .rev()
            .flat_map(|c| c.exceptions.iter())
            .collect();
        let name = cals[id.index()].name.clone();
        self.calendar(id.0 + 1, &name, None, &week, &exceptions);
    }

    fn calendar(
        &mut self,
        uid: u32,
        name: &str,
        base: Option<u32>,
        week: &[Option<Vec<Shift>>; 7],
        exceptions: &[&Exception],
    ) {
        let planned = plan_exceptions(exceptions, self.years);
        let x = &mut self.xml;
        x.open("Calendar");
        x.value("UID", uid);
        x.text("Name", name);
        x.flag("IsBaseCalendar", base.is_none());
        x.flag("IsBaselineCalendar", false);
        match base {
            Some(base) => x.value("BaseCalendarUID", base),
            None => x.value("BaseCalendarUID", -1),
        }
        // Sunday first, as MSPDI numbers the days.
        let order = [6, 0, 1, 2, 3, 4, 5];
        let has_days = week.iter().any(Option::is_some) || !planned.is_empty();
        if has_days {
            x.open("WeekDays");
            for w in order {
                if let Some(shifts) = &week[w] {
                    x.open("WeekDay");
                    x.value("DayType", day_type(w));
                    x.flag("DayWorking", !shifts.is_empty());
                    working_times(x, shifts);
                    x.close("WeekDay");
                }
            }
            // The 2003 form: every date of every exception, in date order.
            let mut legacy: Vec<(i64, i64, &OutException)> = planned
                .iter()
                .flat_map(|e| e.runs().into_iter().map(move |(a, b)| (a, b, e)))
                .collect();
            legacy.sort_by_key(|&(a, b, _)| (a, b));
            for (first, last, exception) in legacy {
                x.open("WeekDay");
                x.value("DayType", 0);
                x.flag("DayWorking", !exception.shifts.is_empty());
                x.open("TimePeriod");
                x.value("FromDate", xml_date(date_of_day(first), "00:00:00"));
                x.value("ToDate", xml_date(date_of_day(last), "23:59:00"));
                x.close("TimePeriod");
                working_times(x, &exception.shifts);
                x.close("WeekDay");
            }
            x.close("WeekDays");
        }
        if !planned.is_empty() {
            x.open("Exceptions");
            for exception in &planned {
                x.open("Exception");
                x.flag("EnteredByOccurrences", false);
                x.open("TimePeriod");
                x.value(
                    "FromDate",
                    xml_date(date_of_day(exception.first()), "00:00:00"),
                );
                x.value(
                    "ToDate",
                    xml_date(date_of_day(exception.last()), "23:59:00"),
                );
                x.close("TimePeriod");
                x.value("Occurrences", exception.occurrences());
                x.text("Name", &exception.name);
                match exception.rule {
                    OutRule::Range => x.value("Type", 1),
                    OutRule::Weekly { mask } => {
                        x.value("Type", 6);
                        x.value("Period", 1);
                        x.value("DaysOfWeek", mask);
                    }
                    OutRule::YearlyDay { month, day } => {
                        x.value("Type", 2);
                        x.value("Month", month - 1);
                        x.value("MonthDay", day);
                    }
                    OutRule::YearlyNth {
                        month,
                        position,
                        weekday,
                    } => {
                        x.value("Type", 3);
                        x.value("MonthItem", weekday_day_type(weekday) + 2);
                        x.value("MonthPosition", position);
                        x.value("Month", month - 1);
                    }
                }
                x.flag("DayWorking", !exception.shifts.is_empty());
                working_times(x, &exception.shifts);
                x.close("Exception");
            }
            x.close("Exceptions");
        }
        x.close("Calendar");
    }

    /// The working minutes of a leaf task on each calendar it is worked on (`None`: the clock),
    /// as the engine counts them, without its pauses: MSPDI's durations and work leave them out.
    fn parts(&self, index: usize) -> Vec<(Option<CalendarId>, i64)> {
        self.task_parts[index]
            .iter()
            .map(|part| (part.calendar, part.minutes - part.paused))
            .collect()
    }

    /// A calendar's index over the writer's horizon (`None` for the clock, or when the
    /// calendar cannot be resolved).
    fn index(&self, calendar: Option<CalendarId>) -> Option<&CalendarIndex> {
        let id = calendar?;
        self.indexes
            .get(id.index())?
            .get_or_init(|| {
                let (from, to) = self.horizon;
                CalendarIndex::build(&self.project.calendars, id, from, to).ok()
            })
            .as_ref()
    }

    /// Working minutes between two instants on a calendar (`None`: the clock).
    fn work_between(&self, calendar: Option<CalendarId>, a: Minute, b: Minute) -> Option<i64> {
        match calendar {
            None => Some(b - a),
            Some(_) => {
                let index = self.index(calendar)?;
                let (lo, hi) = index.horizon();
                (a >= lo && b <= hi).then(|| index.work_between(a, b))
            }
        }
    }

    /// A split task's timephased work from `start` on its calendar: `(from, to, minutes of
    /// work)` runs, a run without work for each pause. Empty for a task without pauses.
    fn work_runs(&self, index: usize, start: Minute, work: i64) -> Vec<(Minute, Minute, i64)> {
        let task = &self.project.tasks[index];
        let Some(part) = self.task_parts[index].first() else {
            return Vec::new();
        };
        let Some(calendar) = self
            .index(part.calendar)
            .filter(|_| !task.splits.is_empty())
        else {
            return Vec::new();
        };
        let mut runs = Vec::with_capacity(task.splits.len() * 2 + 1);
        let (mut from, mut done) = (start, 0);
        for split in task.splits.iter().filter(|s| s.after < work) {
            let stop = calendar.add(from, split.after - done);
            let resume = calendar.add(stop, split.pause);
            runs.push((from, stop, split.after - done));
            let resume = calendar.next_working(resume);
            runs.push((stop, resume, 0));
            (from, done) = (resume, split.after);
        }
        runs.push((from, calendar.add(from, work - done), work - done));
        runs
    }

    fn tasks(&mut self) {
        let p = self.project;
        if p.tasks.is_empty() {
            return;
        }
        let summary = p.summary_flags();
        let numbers = p.outline_numbers();
        let mut level = vec![1usize; p.tasks.len()];
        for (index, task) in p.tasks.iter().enumerate() {
            if let Some(parent) = task.parent.filter(|p| p.index() < index) {
                level[index] = level[parent.index()] + 1;
            }
        }
        // Incoming links per task, in model order.
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); p.tasks.len()];
        for (k, link) in p.links.iter().enumerate() {
            if link.pred.index() < p.tasks.len() && link.succ.index() < p.tasks.len() {
                preds[link.succ.index()].push(k);
            }
        }
        self.xml.open("Tasks");
        for index in 0..p.tasks.len() {
            let Some(sched) = self.schedule.tasks.get(index) else {
                break;
            };
            let task = &p.tasks[index];
            let parts = self.parts(index);
            let main_calendar = parts.first().and_then(|part| part.0);
            let elapsed = task.duration.elapsed && !task.milestone && !summary[index];
            let fixed_span = match (task.progress.actual_start, task.progress.actual_finish) {
                (Some(a), Some(b)) => Some((minute_of(a), minute_of(b))),
                (None, None) => task
                    .manual
                    .map(|m| (minute_of(m.start), minute_of(m.finish))),
                _ => None,
            };
            let duration = if summary[index] {
                self.work_between(Some(p.calendar), sched.start, sched.finish)
                    .unwrap_or(0)
            } else if task.milestone {
                0
            } else if let Some((a, b)) = fixed_span {
                let paused = self.task_parts[index].first().map_or(0, |part| part.paused);
                self.work_between(main_calendar, a, b.max(a))
                    .map(|span| (span - paused).max(0))
                    .unwrap_or_else(|| parts.iter().map(|p| p.1).max().unwrap_or(0))
            } else {
                parts.iter().map(|p| p.1).max().unwrap_or(0)
            };
            let format = duration_format(duration, elapsed, p.units.minutes_per_day);
            let work: Option<i64> = task.work.or_else(|| {
                let works: Vec<i64> = self.assignment_works(index, &parts);
                (!works.is_empty()).then(|| works.iter().sum())
            });
            let uid = self.uids.tasks[index];
            let x = &mut self.xml;
            x.open("Task");
            x.value("UID", uid);
            x.value("ID", index + 1);
            x.text("Name", &task.name);
            x.flag("Active", true);
            x.flag("Manual", task.manual.is_some() && !summary[index]);
            x.value(
                "Type",
                match task.task_type {
                    TaskType::FixedUnits => 0,
                    TaskType::FixedDuration => 1,
                    TaskType::FixedWork => 2,
                },
            );
            x.flag("IsNull", false);
            x.text("WBS", &numbers[index]);
            x.text("OutlineNumber", &numbers[index]);
            x.value("OutlineLevel", level[index]);
            x.value("Priority", task.priority.min(1000));
            x.value("Start", xml_datetime(sched.start));
            x.value("Finish", xml_datetime(sched.finish));
            x.value("Duration", xml_duration(duration));
            x.value("DurationFormat", format);
            if let Some(work) = work.filter(|_| !summary[index]) {
                x.value("Work", xml_duration(work));
            }
            x.flag("EffortDriven", task.effort_driven);
            x.flag("Estimated", false);
            x.flag("Milestone", task.milestone);
            x.flag("Summary", summary[index]);
            x.flag("Critical", sched.critical);
            x.value("EarlyStart", xml_datetime(sched.early_start));
            x.value("EarlyFinish", xml_datetime(sched.early_finish));
            x.value("LateStart", xml_datetime(sched.late_start));
            x.value("LateFinish", xml_datetime(sched.late_finish));
            x.value("FreeSlack", sched.free_float.saturating_mul(10));
            x.value("TotalSlack", sched.total_float.saturating_mul(10));
            x.value("PercentComplete", task.progress.percent_complete.min(100));
            if let Some(at) = task.progress.actual_start {
                x.value("ActualStart", civil_datetime(at));
            }
            if let Some(at) = task.progress.actual_finish {
                x.value("ActualFinish", civil_datetime(at));
            }
            // MS Project writes the actual and remaining durations even when nothing is done;
            // MPXJ's scheduler needs them.
            let pct = i64::from(task.progress.percent_complete.min(100));
            let actual = (duration * pct + 50) / 100;
            x.value("ActualDuration", xml_duration(actual));
            x.value("RemainingDuration", xml_duration(duration - actual));
            x.value(
                "ConstraintType",
                match task.constraint.kind {
                    ConstraintKind::AsSoonAsPossible => 0,
                    ConstraintKind::AsLateAsPossible => 1,
                    ConstraintKind::MustStartOn => 2,
                    ConstraintKind::MustFinishOn => 3,
                    ConstraintKind::StartNoEarlierThan => 4,
                    ConstraintKind::StartNoLaterThan => 5,
                    ConstraintKind::FinishNoEarlierThan => 6,
                    ConstraintKind::FinishNoLaterThan => 7,
                },
            );
            let calendar_uid = task
                .calendar
                .and_then(|c| self.uids.calendars.get(c.index()).copied());
            match calendar_uid {
                Some(uid) => x.value("CalendarUID", uid),
                None => x.value("CalendarUID", -1),
            }
            if let Some(date) = task
                .constraint
                .date
                .filter(|_| task.constraint.kind.needs_date())
            {
                x.value("ConstraintDate", civil_datetime(date));
            }
            if let Some(deadline) = task.deadline {
                x.value("Deadline", civil_datetime(deadline));
            }
            // Our task calendar replaces the resources' calendars; in MS Project it would
            // intersect them unless told to ignore them.
            x.flag("IgnoreResourceCalendar", task.calendar.is_some());
            if !task.notes.is_empty() {
                x.text("Notes", &task.notes);
            }
            for &k in &preds[index] {
                let link = &p.links[k];
                x.open("PredecessorLink");
                x.value("PredecessorUID", self.uids.tasks[link.pred.index()]);
                x.value(
                    "Type",
                    match link.kind {
                        LinkKind::FinishToFinish => 0,
                        LinkKind::FinishToStart => 1,
                        LinkKind::StartToFinish => 2,
                        LinkKind::StartToStart => 3,
                    },
                );
                x.flag("CrossProject", false);
                let (lag, format) = match link.lag {
                    Lag::Working(m) => (
                        m.saturating_mul(10),
                        duration_format(m, false, p.units.minutes_per_day),
                    ),
                    Lag::Elapsed(m) => (m.saturating_mul(10), duration_format(m, true, 1440)),
                    Lag::Percent(pct) => (i64::from(pct), format::PERCENT),
                };
                x.value("LinkLag", lag);
                x.value("LagFormat", format);
                x.close("PredecessorLink");
            }
            if task.uid != uid.to_string() {
                x.open("ExtendedAttribute");
                x.value("FieldID", TASK_ID_FIELD);
                x.text("Value", &task.uid);
                x.close("ExtendedAttribute");
            }
            if let Some(manual) = task.manual.filter(|_| !summary[index]) {
                x.value("ManualStart", civil_datetime(manual.start));
                x.value("ManualFinish", civil_datetime(manual.finish));
                x.value("ManualDuration", xml_duration(duration));
            }
            x.close("Task");
        }
        self.xml.close("Tasks");
    }

    /// Work in minutes of each of a task's work assignments, in assignment order.
    fn assignment_works(&self, index: usize, parts: &[(Option<CalendarId>, i64)]) -> Vec<i64> {
        self.by_task[index]
            .iter()
            .filter_map(|&k| {
                self.assignment_work(&self.project.assignments[k], parts)
                    .map(|(work, _)| work)
            })
            .collect()
    }

    /// Work in minutes and units (hundredths of a percent) of a work assignment as MS Project
    /// must see them to give the task our dates: its work stretched over its part of the task
    /// (work = part × units). Given as work with the task on its own calendar or on the clock,
    /// the assignment lasts the whole task, so its units are work / duration.
    fn assignment_work(
        &self,
        a: &regie_core::Assignment,
        parts: &[(Option<CalendarId>, i64)],
    ) -> Option<(i64, i64)> {
        let p = self.project;
        let task = p.tasks.get(a.task.index())?;
        let resource = p.resources.get(a.resource.index())?;
        if resource.kind != ResourceKind::Work {
            return None;
        }
        if task.milestone {
            // No work, as MS Project writes it.
            return Some((0, i64::from(a.units) * 100));
        }
        let calendar = resource.calendar.unwrap_or(p.calendar);
        let whole_task = task.calendar.is_some() || task.duration.elapsed;
        let part = parts
            .iter()
            .find(|part| whole_task || part.0 == Some(calendar))
            .or(parts.first())
            .map_or(0, |part| part.1);
        let units = i64::from(a.units) * 100;
        Some(match a.work {
            Some(work) if whole_task && part > 0 => (work, work * 10_000 / part),
            Some(work) => (work, units),
            None => (part * i64::from(a.units) / 100, units),
        })
    }

    fn resources(&mut self) {
        let p = self.project;
        if p.resources.is_empty() {
            return;
        }
        self.xml.open("Resources");
        for (index, resource) in p.resources.iter().enumerate() {
            let uid = self.uids.resources[index];
            let calendar = self.plan.resource_calendar[index];
            let x = &mut self.xml;
            x.open("Resource");
            x.value("UID", uid);
            x.value("ID", index + 1);
            x.text("Name", &resource.name);
            x.value(
                "Type",
                match resource.kind {
                    ResourceKind::Material | ResourceKind::Cost => 0,
                    ResourceKind::Work => 1,
                },
            );
            x.flag("IsNull", false);
            if let Some(group) = &resource.group {
                x.text("Group", group);
            }
            if let Some(email) = &resource.email {
                x.text("EmailAddress", email);
            }
            if resource.kind == ResourceKind::Work {
                x.value(
                    "MaxUnits",
                    decimal_hundredths(i64::from(resource.max_units)),
                );
            }
            if resource.kind != ResourceKind::Cost {
                // Rates are currency units per hour (per unit for materials).
                x.value(
                    "StandardRate",
                    decimal_hundredths(resource.rates.standard.0),
                );
                x.value(
                    "StandardRateFormat",
                    if resource.kind == ResourceKind::Work {
                        2
                    } else {
                        8
                    },
                );
                if resource.kind == ResourceKind::Work {
                    x.value(
                        "OvertimeRate",
                        decimal_hundredths(resource.rates.overtime.0),
                    );
                    x.value("OvertimeRateFormat", 2);
                }
                // MSPDI costs are in hundredths.
                x.value("CostPerUse", resource.rates.per_use.0);
            }
            if let Some(uid) = calendar {
                x.value("CalendarUID", uid);
            }
            if resource.uid != uid.to_string() {
                x.open("ExtendedAttribute");
                x.value("FieldID", RESOURCE_ID_FIELD);
                x.text("Value", &resource.uid);
                x.close("ExtendedAttribute");
            }
            x.flag("IsCostResource", resource.kind == ResourceKind::Cost);
            x.close("Resource");
        }
        self.xml.close("Resources");
    }

    fn assignments(&mut self) {
        let p = self.project;
        let summary = p.summary_flags();
        // A split task without a work assignment carries its pauses on an assignment to no
        // resource, as MS Project does.
        let unassigned_splits: Vec<usize> = (0..p.tasks.len())
            .filter(|&index| {
                !summary[index]
                    && !p.tasks[index].splits.is_empty()
                    && !self.by_task[index].iter().any(|&k| {
                        let resource = p.assignments[k].resource.index();
                        p.resources[resource].kind == ResourceKind::Work
                    })
            })
            .collect();
        if p.assignments.is_empty() && unassigned_splits.is_empty() {
            return;
        }
        self.xml.open("Assignments");
        for (k, a) in p.assignments.iter().enumerate() {
            let (Some(task), Some(_), Some(sched)) = (
                p.tasks.get(a.task.index()),
                p.resources.get(a.resource.index()),
                self.schedule.tasks.get(a.task.index()),
            ) else {
                continue;
            };
            let figures = if summary[a.task.index()] {
                None
            } else {
                self.assignment_work(a, &self.parts(a.task.index()))
            };
            let units = figures.map_or(i64::from(a.units) * 100, |f| f.1);
            let pct = i64::from(task.progress.percent_complete.min(100));
            let x = &mut self.xml;
            x.open("Assignment");
            x.value("UID", k + 1);
            x.value("TaskUID", self.uids.tasks[a.task.index()]);
            x.value("ResourceUID", self.uids.resources[a.resource.index()]);
            if let Some((work, _)) = figures {
                x.value("ActualWork", xml_duration((work * pct + 50) / 100));
            }
            x.value("Finish", xml_datetime(sched.finish));
            if let Some((work, _)) = figures {
                x.value(
                    "RemainingWork",
                    xml_duration(work - (work * pct + 50) / 100),
                );
            }
            x.value("Start", xml_datetime(sched.start));
            x.value("Units", decimal(units, 4));
            if let Some((work, _)) = figures {
                x.value("Work", xml_duration(work));
                let runs =
                    self.work_runs(a.task.index(), sched.start, work * 10_000 / units.max(1));
                self.timephased(k + 1, &runs, units);
            }
            self.xml.close("Assignment");
        }
        for (n, &index) in unassigned_splits.iter().enumerate() {
            let Some(sched) = self.schedule.tasks.get(index) else {
                continue;
            };
            let work = self.parts(index).first().map_or(0, |part| part.1);
            let uid = p.assignments.len() + n + 1;
            let x = &mut self.xml;
            x.open("Assignment");
            x.value("UID", uid);
            x.value("TaskUID", self.uids.tasks[index]);
            x.value("ResourceUID", NO_RESOURCE);
            x.value("Finish", xml_datetime(sched.finish));
            x.value("Start", xml_datetime(sched.start));
            x.value("Units", "1");
            x.value("Work", xml_duration(work));
            let runs = self.work_runs(index, sched.start, work);
            self.timephased(uid, &runs, 10_000);
            self.xml.close("Assignment");
        }
        self.xml.close("Assignments");
    }
}

impl Writer<'_> {
    /// An assignment's runs of remaining work at `units` (hundredths of a percent), a run
    /// without work written without a value, as MS Project writes a split.
    fn timephased(&mut self, assignment_uid: usize, runs: &[(Minute, Minute, i64)], units: i64) {
        for &(from, to, minutes) in runs {
            let x = &mut self.xml;
            x.open("TimephasedData");
            x.value("Type", 1);
            x.value("UID", assignment_uid);
            x.value("Start", xml_datetime(from));
            x.value("Finish", xml_datetime(to));
            x.value("Unit", 2);
            if minutes > 0 {
                x.value("Value", xml_duration(minutes * units / 10_000));
            }
            x.close("TimephasedData");
        }
    }
}

fn working_times(x: &mut Xml, shifts: &[Shift]) {
    if shifts.is_empty() {
        return;
    }
    x.open("WorkingTimes");
    for shift in shifts {
        x.open("WorkingTime");
        x.value("FromTime", xml_time(shift.start));
        x.value("ToTime", xml_time(shift.end));
        x.close("WorkingTime");
    }
    x.close("WorkingTimes");
}

/// Hundredths as a decimal: 150 → `1.5`, 9500 → `95`, 9550 → `95.5`, 9555 → `95.55`.
fn decimal_hundredths(value: i64) -> String {
    decimal(value, 2)
}

/// `value / 10^places` as a decimal without trailing zeros: `decimal(1111, 4)` is `0.1111`.
fn decimal(value: i64, places: u32) -> String {
    let scale = 10u64.pow(places);
    let sign = if value < 0 { "-" } else { "" };
    let v = value.unsigned_abs();
    let (whole, frac) = (v / scale, v % scale);
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{frac:0width$}", width = places as usize);
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn uids_keep_numeric_ids_and_fill_the_gaps() {
        let ids = ["3", "a", "1", "007", "b", "3"];
        assert_eq!(assign_uids(ids.into_iter()), vec![3, 2, 1, 4, 5, 6]);
    }

    #[test]
    fn values_are_formatted_as_mspdi_wants_them() {
        assert_eq!(xml_duration(36 * 60 + 30), "PT36H30M0S");
        assert_eq!(xml_time(1440), "00:00:00");
        assert_eq!(xml_time(8 * 60 + 30), "08:30:00");
        assert_eq!(decimal_hundredths(150), "1.5");
        assert_eq!(decimal_hundredths(9555), "95.55");
        assert_eq!(decimal_hundredths(9550), "95.5");
        assert_eq!(decimal(1111, 4), "0.1111");
        assert_eq!(decimal(5000, 4), "0.5");
        assert_eq!(day_type(0), 2); // Monday
        assert_eq!(day_type(6), 1); // Sunday
        assert_eq!(duration_format(960, false, 480), format::DAYS);
        assert_eq!(duration_format(2160, true, 480), format::ELAPSED_HOURS);
        let mut s = String::new();
        escape_into(&mut s, "R&D <x>\u{1}\r\n");
        assert_eq!(s, "R&amp;D &lt;x&gt;&#13;\n");
    }

    fn exception(name: &str, dates: DateRule) -> Exception {
        Exception {
            name: name.to_owned(),
            dates,
            shifts: Vec::new(),
        }
    }

    #[test]
    fn overlapping_exceptions_become_ranges_of_the_winner() {
        let christmas = exception(
            "Christmas",
            DateRule::Yearly {
                month: 12,
                day: YearlyDay::Day(25),
                from_year: None,
                to_year: None,
            },
        );
        let shutdown = exception(
            "Shutdown",
            DateRule::Range {
                from: date(2027, 12, 24),
                to: date(2027, 12, 26),
            },
        );
        let out = plan_exceptions(&[&christmas, &shutdown], (2026, 2028));
        let described: Vec<(String, Date, Date)> = out
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    date_of_day(e.first()),
                    date_of_day(e.last()),
                )
            })
            .collect();
        assert_eq!(
            described,
            vec![
                ("Christmas".into(), date(2026, 12, 25), date(2026, 12, 25)),
                ("Shutdown".into(), date(2027, 12, 24), date(2027, 12, 26)),
                ("Christmas".into(), date(2028, 12, 25), date(2028, 12, 25)),
            ]
        );
        // Without the overlap the rule stays a rule.
        let out = plan_exceptions(&[&christmas], (2026, 2028));
        assert_eq!(out.len(), 1);
        assert!(matches!(
            out[0].rule,
            OutRule::YearlyDay { month: 12, day: 25 }
        ));
        assert_eq!(out[0].occurrences(), 3);
    }

    #[test]
    fn rules_mspdi_cannot_express_are_written_as_dates() {
        let leap = exception(
            "Leap day",
            DateRule::Yearly {
                month: 2,
                day: YearlyDay::Day(29),
                from_year: None,
                to_year: None,
            },
        );
        let fifth = exception(
            "Fifth Monday",
            DateRule::Yearly {
                month: 3,
                day: YearlyDay::Nth {
                    n: 5,
                    weekday: Weekday::Monday,
                },
                from_year: Some(2027),
                to_year: Some(2029),
            },
        );
        let out = plan_exceptions(&[&leap, &fifth], (2027, 2029));
        let days: Vec<Date> = out.iter().map(|e| date_of_day(e.first())).collect();
        assert_eq!(days, vec![date(2027, 3, 29), date(2028, 2, 29)]);
        assert!(out.iter().all(|e| matches!(e.rule, OutRule::Range)));
    }
}
