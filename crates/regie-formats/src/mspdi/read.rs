//! MSPDI bytes → [`Project`].
//!
//! Two steps. The first streams the document once and keeps, per element Regie understands,
//! a raw record with its values and byte offsets (MSPDI refers forward: a link names a task
//! further down, a calendar its base further down). The second resolves the records into the
//! model: UIDs into ids, outline levels into parents, units and formats into minutes.
//!
//! Choices where MSPDI leaves room, and why:
//! - The project summary task (UID 0, outline level 0) and blank rows (`IsNull`) are not
//!   tasks; links and assignments that name them are dropped with them.
//! - Tasks keep the document's order unless every task has an `ID` and they are out of
//!   order, in which case they are put in `ID` order: outline levels only make sense in the
//!   order of the rows.
//! - A summary's progress, manual dates and milestone flag are MS Project's roll-ups of its
//!   children, which the engine derives again; they are not kept. A milestone flag on a task
//!   with a duration is not kept either: MS Project schedules such a task over its duration.
//! - `LinkLag` is in tenths of a minute, except with the percent formats (19, 20 and their
//!   estimated forms 51, 52) where it is the whole percent (MPXJ and Aspose read it so; no
//!   file at hand has one). The model's percent lags count working time, so an elapsed
//!   percent lag is read as a working one.
//! - Assignment work is kept only where the task's `Duration` does not already say it: flat
//!   work that differs from duration × units by more than an hour and a percent (one person
//!   on a task for all of it, another for half). Contoured work is not kept: MS Project has
//!   already stretched the task's duration for the contour.
//! - Split tasks: the pauses are read from the first assignment's timephased work (remaining
//!   and actual): the runs without work between its first and last worked runs, measured in
//!   working time of the task's calendar. Runs without work in built-in contours (1–7) are
//!   rounding, not pauses; a timephased run with a malformed date is passed over (MPXJ has
//!   written some), since it only places pauses.
//! - Calendar references MS Project leaves dangling (resource UID 0 points at calendar 2 that
//!   is not saved; derived calendars of some versions name base 0) fall back to the project
//!   calendar instead of failing. A base calendar that leaves weekdays out (other writers do)
//!   has MS Project's default times for them.
//! - The project's name is its `Title`, else its `Name` (often the file name MS Project saved
//!   to), else the name of the file read. Dates are local times; seconds are dropped.
//! - Rates: `StandardRate` and `OvertimeRate` are currency units per hour, `CostPerUse` is in
//!   hundredths (MS Project's cost unit): all become cents.

use std::collections::{HashMap, HashSet};

use jiff::civil::DateTime;
use regie_core::calendar::{Calendar, CalendarIndex};
use regie_core::time::minute_of;
use regie_core::{
    Anchor, Assignment, CalendarId, Constraint, ConstraintKind, Duration, Lag, Link, LinkKind,
    ManualDates, Money, Progress, Project, Rates, Resource, ResourceId, ResourceKind, Split, Task,
    TaskId, TaskType, Units,
};

use super::calendar::{self, RawCalendar};
use super::error::{Failure, ReadError, ReadErrorKind, Result, line_column};
use super::values::{
    XsdDuration, invalid_value, parse_datetime, read_bool, read_datetime, read_decimal,
    read_duration, read_int, read_string,
};
use super::xml::{Cursor, Element};
use super::{MAX_INPUT_BYTES, NAMESPACE, NO_RESOURCE};

/// Where the tasks and links of a project read from MSPDI are in the file, as byte offsets of
/// their start tags (see [`super::line_column`]), so that later errors can point into it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Indexed by [`TaskId`]: the `<Task>` element.
    pub tasks: Vec<usize>,
    /// Indexed like `project.links`: the `<PredecessorLink>` element.
    pub links: Vec<usize>,
}

/// Reads an MS Project XML file. `file_name` is used in error messages and, when the file names
/// no project, as the project's name.
pub fn read(file_name: &str, bytes: &[u8]) -> std::result::Result<Project, ReadError> {
    read_with_source_map(file_name, bytes).map(|(project, _)| project)
}

/// [`read`], with where each task and link is in the file.
pub fn read_with_source_map(
    file_name: &str,
    bytes: &[u8],
) -> std::result::Result<(Project, SourceMap), ReadError> {
    read_bytes(file_name, bytes).map_err(|failure| failure.locate(file_name, bytes))
}

fn read_bytes(file_name: &str, bytes: &[u8]) -> Result<(Project, SourceMap)> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Failure::new(
            0,
            ReadErrorKind::TooLarge {
                size: bytes.len(),
                limit: MAX_INPUT_BYTES,
            },
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Failure::new(0, ReadErrorKind::Utf16));
    }
    // Checked once up front (fast, and exact about where), so the parser works on `str`.
    let text = std::str::from_utf8(bytes).map_err(|error| {
        Failure::new(
            error.valid_up_to(),
            ReadErrorKind::InvalidUtf8 {
                declared: declared_encoding(bytes),
            },
        )
    })?;
    let mut cursor = Cursor::new(text);
    let (root, namespace) = cursor.root()?;
    if root.name != "Project" {
        return Err(Failure::new(
            root.offset,
            ReadErrorKind::NotMspdi {
                root: root.name.to_owned(),
            },
        ));
    }
    // Files without a namespace (hand-written, or from some converters) are read as well;
    // a `<Project>` of another vocabulary is not MS Project's.
    if let Some(namespace) = namespace
        && !namespace.starts_with(NAMESPACE)
    {
        return Err(Failure::new(
            root.offset,
            ReadErrorKind::WrongNamespace { namespace },
        ));
    }
    let raw = read_project(&mut cursor, &root)?;
    cursor.finish()?;
    build(raw, &root, file_name, bytes)
}

/// The `encoding` of the XML declaration, for the message about bytes that are not UTF-8.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let declaration = head.strip_prefix('\u{feff}').unwrap_or(&head);
    let declaration = &declaration[..declaration.find("?>")?];
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    Some(value[..value.find(quote)?].to_owned())
}

// ---------------------------------------------------------------------------------------------
// Raw records

#[derive(Default)]
struct RawProject {
    name: Option<String>,
    title: Option<String>,
    schedule_from_start: Option<bool>,
    start: Option<DateTime>,
    finish: Option<DateTime>,
    status: Option<DateTime>,
    current: Option<DateTime>,
    units: Units,
    honor_constraints: Option<bool>,
    calendar_uid: Option<i64>,
    currency: Option<String>,
    calendars: Vec<RawCalendar>,
    tasks: Vec<RawTask>,
    resources: Vec<RawResource>,
    assignments: Vec<RawAssignment>,
}

#[derive(Default)]
struct RawTask {
    offset: usize,
    uid: Option<(i64, usize)>,
    id: Option<i64>,
    name: String,
    is_null: bool,
    outline_level: Option<i64>,
    duration: Option<(XsdDuration, usize)>,
    duration_format: Option<i64>,
    work: Option<(XsdDuration, usize)>,
    milestone: bool,
    task_type: Option<TaskType>,
    effort_driven: Option<bool>,
    constraint_kind: Option<ConstraintKind>,
    constraint_date: Option<DateTime>,
    deadline: Option<DateTime>,
    priority: Option<i64>,
    notes: String,
    calendar_uid: Option<i64>,
    manual: bool,
    start: Option<DateTime>,
    finish: Option<DateTime>,
    manual_start: Option<DateTime>,
    manual_finish: Option<DateTime>,
    actual_start: Option<DateTime>,
    actual_finish: Option<DateTime>,
    percent_complete: Option<i64>,
    links: Vec<RawLink>,
}

struct RawLink {
    offset: usize,
    predecessor: Option<(i64, usize)>,
    kind: LinkKind,
    /// `LinkLag` as written: tenths of a minute, or a percent.
    lag: f64,
    lag_format: Option<i64>,
    cross_project: bool,
}

#[derive(Default)]
struct RawResource {
    offset: usize,
    uid: Option<(i64, usize)>,
    name: String,
    is_null: bool,
    kind: Option<ResourceKind>,
    is_cost: bool,
    max_units: Option<f64>,
    standard_rate: Option<f64>,
    overtime_rate: Option<f64>,
    cost_per_use: Option<f64>,
    calendar_uid: Option<i64>,
    email: Option<String>,
    group: Option<String>,
}

#[derive(Default)]
struct RawAssignment {
    offset: usize,
    task: Option<(i64, usize)>,
    resource: Option<(i64, usize)>,
    units: Option<f64>,
    work: Option<(XsdDuration, usize)>,
    /// `WorkContour`: 0 (or absent) is flat, anything else shapes the work over the task.
    contour: Option<i64>,
    /// The planned and actual work over time (`TimephasedData` of types 1 and 2).
    work_runs: Vec<WorkRun>,
}

/// A run of an assignment's timephased work: from `start` to `finish`, with or without work.
#[derive(Clone, Copy)]
struct WorkRun {
    start: DateTime,
    finish: DateTime,
    worked: bool,
}

/// `TimephasedData` types of an assignment's remaining and actual work; the others
/// (baselines, overtime, costs) say nothing about when the work is done.
const REMAINING_WORK: i64 = 1;
const ACTUAL_WORK: i64 = 2;

fn read_project(cursor: &mut Cursor<'_>, root: &Element<'_>) -> Result<RawProject> {
    let mut raw = RawProject::default();
    while let Some(child) = cursor.next_child(root)? {
        match child.name {
            "Name" => raw.name = Some(read_string(cursor, &child)?),
            "Title" => raw.title = Some(read_string(cursor, &child)?),
            "ScheduleFromStart" => raw.schedule_from_start = read_bool(cursor, &child)?,
            "StartDate" => raw.start = read_datetime(cursor, &child)?,
            "FinishDate" => raw.finish = read_datetime(cursor, &child)?,
            "StatusDate" => raw.status = read_datetime(cursor, &child)?,
            "CurrentDate" => raw.current = read_datetime(cursor, &child)?,
            "MinutesPerDay" => {
                if let Some(value) = read_positive(cursor, &child)? {
                    raw.units.minutes_per_day = value;
                }
            }
            "MinutesPerWeek" => {
                if let Some(value) = read_positive(cursor, &child)? {
                    raw.units.minutes_per_week = value;
                }
            }
            "DaysPerMonth" => {
                if let Some(value) = read_positive(cursor, &child)? {
                    raw.units.days_per_month = value;
                }
            }
            "HonorConstraints" => raw.honor_constraints = read_bool(cursor, &child)?,
            "CalendarUID" => raw.calendar_uid = read_int(cursor, &child)?,
            "CurrencyCode" => raw.currency = Some(read_string(cursor, &child)?),
            "Calendars" => {
                cursor.read_list(
                    &child,
                    "Calendar",
                    &mut raw.calendars,
                    calendar::read_calendar,
                )?;
            }
            "Tasks" => {
                cursor.read_list(&child, "Task", &mut raw.tasks, read_task)?;
            }
            "Resources" => {
                cursor.read_list(&child, "Resource", &mut raw.resources, read_resource)?;
            }
            "Assignments" => {
                cursor.read_list(&child, "Assignment", &mut raw.assignments, read_assignment)?;
            }
            _ => cursor.skip(&child)?,
        }
    }
    Ok(raw)
}

/// A positive count (minutes per day and the like); 0 leaves the default.
fn read_positive(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<Option<u32>> {
    match read_int(cursor, element)? {
        None | Some(0) => Ok(None),
        Some(value) => u32::try_from(value)
            .ok()
            .filter(|v| *v <= 100_000)
            .map(Some)
            .ok_or_else(|| invalid_value(element, value, "a positive whole number")),
    }
}

fn read_task(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<RawTask> {
    let mut task = RawTask {
        offset: element.offset,
        ..RawTask::default()
    };
    while let Some(child) = cursor.next_child(element)? {
        let date = match child.name {
            "UID" => {
                task.uid = read_int(cursor, &child)?.map(|uid| (uid, child.offset));
                continue;
            }
            "ID" => {
                task.id = read_int(cursor, &child)?;
                continue;
            }
            "Name" => {
                task.name = read_string(cursor, &child)?;
                continue;
            }
            "IsNull" => {
                task.is_null = read_bool(cursor, &child)?.unwrap_or(false);
                continue;
            }
            "OutlineLevel" => {
                task.outline_level = read_int(cursor, &child)?;
                continue;
            }
            "Duration" => {
                task.duration = read_duration(cursor, &child)?.map(|d| (d, child.offset));
                continue;
            }
            "DurationFormat" => {
                task.duration_format = read_int(cursor, &child)?;
                continue;
            }
            "Work" => {
                task.work = read_duration(cursor, &child)?.map(|d| (d, child.offset));
                continue;
            }
            "Milestone" => {
                task.milestone = read_bool(cursor, &child)?.unwrap_or(false);
                continue;
            }
            "Type" => {
                task.task_type = match read_int(cursor, &child)? {
                    None => None,
                    Some(0) => Some(TaskType::FixedUnits),
                    Some(1) => Some(TaskType::FixedDuration),
                    Some(2) => Some(TaskType::FixedWork),
                    Some(other) => {
                        return Err(invalid_value(
                            &child,
                            other,
                            "0 (fixed units), 1 (fixed duration) or 2 (fixed work)",
                        ));
                    }
                };
                continue;
            }
            "EffortDriven" => {
                task.effort_driven = read_bool(cursor, &child)?;
                continue;
            }
            "ConstraintType" => {
                task.constraint_kind = read_int(cursor, &child)?
                    .map(|code| {
                        constraint_kind(code).ok_or_else(|| {
                            invalid_value(&child, code, "a constraint type from 0 to 7")
                        })
                    })
                    .transpose()?;
                continue;
            }
            "Priority" => {
                task.priority = read_int(cursor, &child)?;
                continue;
            }
            "Notes" => {
                task.notes = read_string(cursor, &child)?;
                continue;
            }
            "CalendarUID" => {
                task.calendar_uid = read_int(cursor, &child)?;
                continue;
            }
            "Manual" => {
                task.manual = read_bool(cursor, &child)?.unwrap_or(false);
                continue;
            }
            "PercentComplete" => {
                task.percent_complete = read_int(cursor, &child)?;
                continue;
            }
            "PredecessorLink" => {
                task.links.push(read_link(cursor, &child)?);
                continue;
            }
            "ConstraintDate" => &mut task.constraint_date,
            "Deadline" => &mut task.deadline,
            "Start" => &mut task.start,
            "Finish" => &mut task.finish,
            "ManualStart" => &mut task.manual_start,
            "ManualFinish" => &mut task.manual_finish,
            "ActualStart" => &mut task.actual_start,
            "ActualFinish" => &mut task.actual_finish,
            _ => {
                cursor.skip(&child)?;
                continue;
            }
        };
        *date = read_datetime(cursor, &child)?;
    }
    Ok(task)
}

/// MSPDI's `ConstraintType` codes.
fn constraint_kind(code: i64) -> Option<ConstraintKind> {
    Some(match code {
        0 => ConstraintKind::AsSoonAsPossible,
        1 => ConstraintKind::AsLateAsPossible,
        2 => ConstraintKind::MustStartOn,
        3 => ConstraintKind::MustFinishOn,
        4 => ConstraintKind::StartNoEarlierThan,
        5 => ConstraintKind::StartNoLaterThan,
        6 => ConstraintKind::FinishNoEarlierThan,
        7 => ConstraintKind::FinishNoLaterThan,
        _ => return None,
    })
}

fn read_link(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<RawLink> {
    let mut link = RawLink {
        offset: element.offset,
        predecessor: None,
        kind: LinkKind::FinishToStart,
        lag: 0.0,
        lag_format: None,
        cross_project: false,
    };
    while let Some(child) = cursor.next_child(element)? {
        match child.name {
            "PredecessorUID" => {
                link.predecessor = read_int(cursor, &child)?.map(|uid| (uid, child.offset));
            }
            "Type" => {
                link.kind = match read_int(cursor, &child)? {
                    None | Some(1) => LinkKind::FinishToStart,
                    Some(0) => LinkKind::FinishToFinish,
                    Some(2) => LinkKind::StartToFinish,
                    Some(3) => LinkKind::StartToStart,
                    Some(other) => {
                        return Err(invalid_value(
                            &child,
                            other,
                            "0 (finish-to-finish), 1 (finish-to-start), 2 (start-to-finish) \
                             or 3 (start-to-start)",
                        ));
                    }
                };
            }
            "LinkLag" => {
                let lag = read_decimal(cursor, &child)?.unwrap_or(0.0);
                // A hundred thousand years in tenths of a minute.
                if lag.abs() > 5.0e11 {
                    return Err(invalid_value(&child, lag, "a lag within a plan's lifetime"));
                }
                link.lag = lag;
            }
            "LagFormat" => link.lag_format = read_int(cursor, &child)?,
            "CrossProject" => link.cross_project = read_bool(cursor, &child)?.unwrap_or(false),
            _ => cursor.skip(&child)?,
        }
    }
    Ok(link)
}

fn read_resource(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<RawResource> {
    let mut resource = RawResource {
        offset: element.offset,
        ..RawResource::default()
    };
    while let Some(child) = cursor.next_child(element)? {
        match child.name {
            "UID" => resource.uid = read_int(cursor, &child)?.map(|uid| (uid, child.offset)),
            "Name" => resource.name = read_string(cursor, &child)?,
            "IsNull" => resource.is_null = read_bool(cursor, &child)?.unwrap_or(false),
            "Type" => {
                resource.kind = match read_int(cursor, &child)? {
                    None => None,
                    Some(0) => Some(ResourceKind::Material),
                    Some(1) => Some(ResourceKind::Work),
                    Some(2) => Some(ResourceKind::Cost),
                    Some(other) => {
                        return Err(invalid_value(
                            &child,
                            other,
                            "0 (material), 1 (work) or 2 (cost)",
                        ));
                    }
                };
            }
            "IsCostResource" => {
                resource.is_cost = read_bool(cursor, &child)?.unwrap_or(false);
            }
            "MaxUnits" => resource.max_units = read_decimal(cursor, &child)?,
            "StandardRate" => resource.standard_rate = read_decimal(cursor, &child)?,
            "OvertimeRate" => resource.overtime_rate = read_decimal(cursor, &child)?,
            "CostPerUse" => resource.cost_per_use = read_decimal(cursor, &child)?,
            "CalendarUID" => resource.calendar_uid = read_int(cursor, &child)?,
            "EmailAddress" => resource.email = Some(read_string(cursor, &child)?),
            "Group" => resource.group = Some(read_string(cursor, &child)?),
            _ => cursor.skip(&child)?,
        }
    }
    Ok(resource)
}

fn read_assignment(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<RawAssignment> {
    let mut assignment = RawAssignment {
        offset: element.offset,
        ..RawAssignment::default()
    };
    while let Some(child) = cursor.next_child(element)? {
        match child.name {
            "TaskUID" => {
                assignment.task = read_int(cursor, &child)?.map(|uid| (uid, child.offset));
            }
            "ResourceUID" => {
                assignment.resource = read_int(cursor, &child)?.map(|uid| (uid, child.offset));
            }
            "Units" => assignment.units = read_decimal(cursor, &child)?,
            "Work" => {
                assignment.work = read_duration(cursor, &child)?.map(|d| (d, child.offset));
            }
            "WorkContour" => assignment.contour = read_int(cursor, &child)?,
            "TimephasedData" => {
                if let Some(run) = read_work_run(cursor, &child)? {
                    assignment.work_runs.push(run);
                }
            }
            _ => cursor.skip(&child)?,
        }
    }
    Ok(assignment)
}

/// A `TimephasedData` element of remaining or actual work; `None` for the other types and
/// for runs without dates. A run without a `Value` has no work.
fn read_work_run(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<Option<WorkRun>> {
    let (mut kind, mut start, mut finish, mut worked) = (None, None, None, false);
    while let Some(child) = cursor.next_child(element)? {
        match child.name {
            "Type" => kind = read_int(cursor, &child)?,
            // Timephased data only informs where the pauses are: a run with a date no writer
            // should have produced (MPXJ has written "2008-12-04T17:-0:00") is passed over.
            "Start" => start = parse_datetime(&cursor.text(&child)?),
            "Finish" => finish = parse_datetime(&cursor.text(&child)?),
            "Value" => {
                worked = read_duration(cursor, &child)?
                    .and_then(|value| value.to_minutes(&Units::default(), true))
                    .is_some_and(|minutes| minutes > 0);
            }
            _ => cursor.skip(&child)?,
        }
    }
    Ok(match (kind, start, finish) {
        (Some(REMAINING_WORK | ACTUAL_WORK), Some(start), Some(finish)) if start <= finish => {
            Some(WorkRun {
                start,
                finish,
                worked,
            })
        }
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------------
// Resolution into the model

/// `DurationFormat` and `LagFormat` codes of elapsed units (minutes, hours, days, weeks,
/// months; then their estimated forms). Percent codes are handled apart.
const ELAPSED_FORMATS: [i64; 10] = [4, 6, 8, 10, 12, 36, 38, 40, 42, 44];
const PERCENT_FORMATS: [i64; 4] = [19, 20, 51, 52];

fn build(
    mut raw: RawProject,
    root: &Element<'_>,
    file_name: &str,
    bytes: &[u8],
) -> Result<(Project, SourceMap)> {
    let units = raw.units;
    let duplicate = |what: &'static str, uid: i64, first: usize, second: usize| {
        Failure::new(
            second,
            ReadErrorKind::DuplicateUid {
                what,
                uid,
                first_line: line_column(bytes, first).0,
            },
        )
    };

    // The project's dates: planned forward from its start or back from its finish.
    let earliest_start = raw.tasks.iter().filter_map(|t| t.start).min();
    let latest_finish = raw.tasks.iter().filter_map(|t| t.finish).max();
    let start = raw.start.or(earliest_start).or(raw.current);
    let finish = raw.finish.or(latest_finish);
    let anchor = match (raw.schedule_from_start, start, finish) {
        (Some(false), _, Some(finish)) => Anchor::Finish(finish),
        (_, Some(start), _) => Anchor::Start(start),
        _ => {
            return Err(Failure::new(
                root.offset,
                ReadErrorKind::Missing {
                    parent: "Project",
                    element: "StartDate",
                },
            ));
        }
    };
    let name = [raw.title.take(), raw.name.take()]
        .into_iter()
        .flatten()
        .find(|name| !name.trim().is_empty())
        .unwrap_or_else(|| file_stem(file_name));
    let mut project = Project::new(name, DateTime::default());
    project.anchor = anchor;
    project.units = units;
    project.status_date = raw.status;
    project.honor_constraints = raw.honor_constraints.unwrap_or(true);
    if let Some(code) = raw.currency.as_deref().map(str::trim)
        && code.len() == 3
        && code.bytes().all(|b| b.is_ascii_uppercase())
    {
        project.currency = code.to_owned();
    }

    // Calendars.
    let mut calendar_ids: HashMap<i64, (CalendarId, usize)> = HashMap::new();
    for (index, calendar) in raw.calendars.iter().enumerate() {
        let Some((uid, at)) = calendar.uid else {
            return Err(missing(calendar.offset, "Calendar", "UID"));
        };
        if let Some(&(_, first)) = calendar_ids.get(&uid) {
            return Err(duplicate("calendar", uid, first, at));
        }
        calendar_ids.insert(uid, (CalendarId(index as u32), at));
    }
    let calendar_of = |uid: Option<i64>| uid.and_then(|uid| calendar_ids.get(&uid)).map(|c| c.0);
    if !raw.calendars.is_empty() {
        project.calendar = calendar_of(raw.calendar_uid)
            .or_else(|| {
                let standard = raw
                    .calendars
                    .iter()
                    .position(|c| c.name == "Standard" && c.is_base != Some(false));
                let first_base = raw.calendars.iter().position(|c| c.is_base != Some(false));
                standard.or(first_base).map(|i| CalendarId(i as u32))
            })
            .unwrap_or(CalendarId(0));
        let mut calendars = Vec::with_capacity(raw.calendars.len());
        let mut listed = 0;
        for (index, raw_calendar) in raw.calendars.iter().enumerate() {
            let (week, exceptions) = calendar::resolve(raw_calendar, &mut listed)?;
            let base = match raw_calendar.is_base {
                Some(true) => None,
                // A derived calendar whose base is not in the file: the project calendar is the
                // likeliest base, and the only one that keeps its weeks worked.
                Some(false) => calendar_of(raw_calendar.base_uid).or(Some(project.calendar)),
                None => calendar_of(raw_calendar.base_uid),
            }
            .filter(|base| base.index() != index);
            let mut calendar = Calendar {
                uid: raw_calendar
                    .uid
                    .map(|(uid, _)| uid.to_string())
                    .unwrap_or_default(),
                name: raw_calendar.name.clone(),
                base,
                week,
                exceptions,
            };
            // A base calendar that leaves out days of its week has MS Project's defaults for
            // them (MS Project itself always writes all seven; other writers do not).
            if base.is_none() {
                let standard = Calendar::standard("").week;
                for (day, default) in calendar.week.iter_mut().zip(standard) {
                    if day.is_none() {
                        *day = default;
                    }
                }
            }
            calendars.push(calendar);
        }
        project.calendars = calendars;
    }

    // Tasks, in the order of the rows.
    let mut skipped_tasks: HashSet<i64> = HashSet::new();
    let mut rows: Vec<RawTask> = Vec::with_capacity(raw.tasks.len());
    for task in std::mem::take(&mut raw.tasks) {
        if task.is_null {
            continue;
        }
        let Some((uid, _)) = task.uid else {
            return Err(missing(task.offset, "Task", "UID"));
        };
        if uid == 0 && task.outline_level.unwrap_or(0) == 0 {
            skipped_tasks.insert(uid);
            continue;
        }
        rows.push(task);
    }
    if rows.iter().all(|t| t.id.is_some()) && !rows.is_sorted_by_key(|t| t.id) {
        rows.sort_by_key(|t| t.id);
    }
    let mut task_ids: HashMap<i64, (TaskId, usize)> = HashMap::with_capacity(rows.len());
    for (index, task) in rows.iter().enumerate() {
        let Some((uid, at)) = task.uid else {
            continue;
        };
        if let Some(&(_, first)) = task_ids.get(&uid) {
            return Err(duplicate("task", uid, first, at));
        }
        task_ids.insert(uid, (TaskId(index as u32), at));
    }
    let mut source_map = SourceMap {
        tasks: Vec::with_capacity(rows.len()),
        links: Vec::new(),
    };
    // The open ancestors of the current row, with their outline levels.
    let mut outline: Vec<(i64, TaskId)> = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let level = row.outline_level.unwrap_or(1).max(1);
        while outline.last().is_some_and(|&(open, _)| open >= level) {
            outline.pop();
        }
        let parent = outline.last().map(|&(_, id)| id);
        outline.push((level, TaskId(index as u32)));
        let mut task = task_of(row, &units, &calendar_of)?;
        task.parent = parent;
        project.tasks.push(task);
        source_map.tasks.push(row.offset);
    }
    let summary = project.summary_flags();
    for (index, &summary) in summary.iter().enumerate() {
        if summary {
            let task = &mut project.tasks[index];
            task.progress = Progress::default();
            task.manual = None;
            task.milestone = false;
        }
    }

    // Links, by successor in task order.
    for (index, row) in rows.iter().enumerate() {
        for link in &row.links {
            let Some((uid, at)) = link.predecessor else {
                return Err(missing(link.offset, "PredecessorLink", "PredecessorUID"));
            };
            // A link to another project's task has nothing to point at here.
            if link.cross_project || skipped_tasks.contains(&uid) {
                continue;
            }
            let Some(&(pred, _)) = task_ids.get(&uid) else {
                return Err(Failure::new(
                    at,
                    ReadErrorKind::UnknownTask {
                        element: "PredecessorUID",
                        uid,
                    },
                ));
            };
            project.links.push(Link {
                pred,
                succ: TaskId(index as u32),
                kind: link.kind,
                lag: lag_of(link),
            });
            source_map.links.push(link.offset);
        }
    }

    // Resources.
    let mut resource_ids: HashMap<i64, (ResourceId, usize)> = HashMap::new();
    let mut skipped_resources: HashSet<i64> = HashSet::from([NO_RESOURCE]);
    for raw_resource in &raw.resources {
        let Some((uid, at)) = raw_resource.uid else {
            return Err(missing(raw_resource.offset, "Resource", "UID"));
        };
        // UID 0 without a name is MS Project's placeholder row, not a resource.
        if raw_resource.is_null || (uid == 0 && raw_resource.name.trim().is_empty()) {
            skipped_resources.insert(uid);
            continue;
        }
        if let Some(&(_, first)) = resource_ids.get(&uid) {
            return Err(duplicate("resource", uid, first, at));
        }
        resource_ids.insert(uid, (ResourceId(project.resources.len() as u32), at));
        project
            .resources
            .push(resource_of(raw_resource, uid, &calendar_of));
    }

    // Assignments, by task.
    for raw_assignment in &raw.assignments {
        let Some((task_uid, task_at)) = raw_assignment.task else {
            return Err(missing(raw_assignment.offset, "Assignment", "TaskUID"));
        };
        let Some((resource_uid, resource_at)) = raw_assignment.resource else {
            return Err(missing(raw_assignment.offset, "Assignment", "ResourceUID"));
        };
        if skipped_tasks.contains(&task_uid) {
            continue;
        }
        let Some(&(task, _)) = task_ids.get(&task_uid) else {
            return Err(Failure::new(
                task_at,
                ReadErrorKind::UnknownTask {
                    element: "TaskUID",
                    uid: task_uid,
                },
            ));
        };
        // The task's pauses are in its first assignment's timephased work, even when that
        // assignment is to no resource (MS Project keeps one for an unassigned task's work).
        let resource_calendar = resource_ids
            .get(&resource_uid)
            .and_then(|&(resource, _)| project.resources[resource.index()].calendar);
        let task_row = &mut project.tasks[task.index()];
        // A built-in contour (1 to 7) shapes the work without pausing it: its empty runs are
        // rounding, not pauses. Flat work and hand-edited work (8) pause where they are empty.
        let shaped = matches!(raw_assignment.contour, Some(1..=7));
        // An elapsed task runs on the clock: its empty runs are not pauses of working time.
        let elapsed = task_row.duration.elapsed;
        if task_row.splits.is_empty() && !summary[task.index()] && !shaped && !elapsed {
            let calendar = task_row
                .calendar
                .or(resource_calendar)
                .unwrap_or(project.calendar);
            task_row.splits = splits_of(&raw_assignment.work_runs, &project.calendars, calendar);
            // A pause after the task's duration (an assignment longer than its task) pauses
            // nothing the task does; the project file would refuse it.
            let duration = task_row.duration.minutes;
            task_row
                .splits
                .retain(|split| duration == 0 || split.after < duration);
        }
        if skipped_resources.contains(&resource_uid) {
            continue;
        }
        let Some(&(resource, _)) = resource_ids.get(&resource_uid) else {
            return Err(Failure::new(
                resource_at,
                ReadErrorKind::UnknownResource { uid: resource_uid },
            ));
        };
        let units = hundredths(raw_assignment.units.unwrap_or(1.0));
        let work = raw_assignment
            .work
            .and_then(|(w, _)| w.to_minutes(&project.units, false));
        let task_row = &project.tasks[task.index()];
        // Work the task's duration and these units already imply stays derived. Flat work
        // that differs by more than an hour and a percent (one person on for the whole task,
        // another for half of it) is kept, so each assignment runs its own length, as in MS
        // Project. A contour stretches the work over the task's duration, which MS Project
        // has already lengthened for it: that duration is the one to keep.
        let task_minutes = task_row.duration.minutes;
        let flat = raw_assignment.contour.unwrap_or(0) == 0;
        let work = work.filter(|&w| {
            flat && units > 0
                && (w * 100 / i64::from(units) - task_minutes).abs() > 60.max(task_minutes / 100)
        });
        project.assignments.push(Assignment {
            task,
            resource,
            units,
            work,
        });
    }
    project.assignments.sort_by_key(|a| a.task);
    Ok((project, source_map))
}

/// The pauses in an assignment's timephased work: the runs without work between its first and
/// last worked runs that hold working time of `calendar`, each measured in that working time
/// and placed after the work done before it. Runs without work outside working time (nights,
/// weekends) are no pause.
fn splits_of(runs: &[WorkRun], calendars: &[Calendar], calendar: CalendarId) -> Vec<Split> {
    let mut runs = runs.to_vec();
    runs.sort_by_key(|run| run.start);
    let (Some(first), Some(last)) = (
        runs.iter().position(|run| run.worked),
        runs.iter().rposition(|run| run.worked),
    ) else {
        return Vec::new();
    };
    let interior = &runs[first..=last];
    if interior.iter().all(|run| run.worked) {
        return Vec::new();
    }
    let Ok(index) = CalendarIndex::build(
        calendars,
        calendar,
        interior[0].start.date(),
        interior[interior.len() - 1].finish.date(),
    ) else {
        return Vec::new();
    };
    let begin = minute_of(interior[0].start);
    let mut splits: Vec<Split> = Vec::new();
    let mut paused = 0;
    let mut at = 0;
    while at < interior.len() {
        if interior[at].worked {
            at += 1;
            continue;
        }
        let pause_start = minute_of(interior[at].start);
        while !interior[at].worked {
            at += 1;
        }
        let pause_end = minute_of(interior[at].start);
        let pause = index.work_between(pause_start, pause_end);
        if pause > 0 {
            let after = index.work_between(begin, pause_start) - paused;
            match splits.last_mut() {
                Some(previous) if previous.after == after => previous.pause += pause,
                _ => splits.push(Split { after, pause }),
            }
            paused += pause;
        }
    }
    splits
}

fn missing(offset: usize, parent: &'static str, element: &'static str) -> Failure {
    Failure::new(offset, ReadErrorKind::Missing { parent, element })
}

fn file_stem(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    base.rsplit_once('.')
        .map_or(base, |(stem, _)| stem)
        .to_owned()
}

/// A decimal count of whole units (1.0 = 100 %) as a percentage, bounded to the model's range.
fn hundredths(value: f64) -> u32 {
    (value * 100.0).round().clamp(0.0, f64::from(u32::MAX)) as u32
}

fn money(value: Option<f64>, scale: f64) -> Money {
    let value = value.unwrap_or(0.0) * scale;
    // Beyond ±10^15 cents there is no plan; bound it rather than wrap.
    Money(value.round().clamp(-1.0e15, 1.0e15) as i64)
}

fn task_of(
    row: &RawTask,
    units: &Units,
    calendar_of: &impl Fn(Option<i64>) -> Option<CalendarId>,
) -> Result<Task> {
    let uid = row.uid.map_or(0, |(uid, _)| uid);
    let mut task = Task::new(uid.to_string(), row.name.clone());
    let elapsed = row
        .duration_format
        .is_some_and(|f| ELAPSED_FORMATS.contains(&f));
    // `element` names the element in a message about a duration too long for any plan.
    let minutes = |element: &str, value: Option<(XsdDuration, usize)>, elapsed: bool| {
        let Some((duration, at)) = value else {
            return Ok(None);
        };
        match duration.to_minutes(units, elapsed) {
            Some(minutes) => Ok(Some(minutes)),
            None => Err(Failure::new(
                at,
                ReadErrorKind::Invalid {
                    element: element.to_owned(),
                    value: duration.to_string(),
                    expected: "a duration within a plan's lifetime",
                },
            )),
        }
    };
    let duration = minutes("Duration", row.duration, elapsed)?
        .unwrap_or(0)
        .max(0);
    task.duration = Duration {
        minutes: duration,
        elapsed,
    };
    task.milestone = row.milestone && duration == 0;
    task.task_type = row.task_type.unwrap_or_default();
    // Work drives the duration only for fixed-work tasks; the others' work follows from it.
    if task.task_type == TaskType::FixedWork {
        task.work = minutes("Work", row.work, false)?.filter(|w| *w > 0);
    }
    if let Some(effort_driven) = row.effort_driven {
        task.effort_driven = effort_driven;
    }
    let kind = row.constraint_kind.unwrap_or_default();
    task.constraint = Constraint {
        kind,
        date: row.constraint_date.filter(|_| kind.needs_date()),
    };
    task.deadline = row.deadline;
    task.priority = row.priority.map_or(500, |p| p.clamp(0, 1000) as u16);
    task.calendar = calendar_of(row.calendar_uid.filter(|uid| *uid >= 0));
    task.notes = row.notes.clone();
    task.progress = Progress {
        percent_complete: row.percent_complete.map_or(0, |p| p.clamp(0, 100) as u8),
        actual_start: row.actual_start,
        actual_finish: row.actual_finish,
    };
    if row.manual
        && let (Some(start), Some(finish)) = (
            row.start.or(row.manual_start),
            row.finish.or(row.manual_finish),
        )
    {
        let finish = if task.milestone {
            start
        } else {
            finish.max(start)
        };
        task.manual = Some(ManualDates { start, finish });
    }
    Ok(task)
}

fn lag_of(link: &RawLink) -> Lag {
    let format = link.lag_format.unwrap_or(7);
    if PERCENT_FORMATS.contains(&format) {
        return Lag::Percent(
            link.lag
                .round()
                .clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32,
        );
    }
    let minutes = (link.lag / 10.0).round() as i64;
    if ELAPSED_FORMATS.contains(&format) {
        Lag::Elapsed(minutes)
    } else {
        Lag::Working(minutes)
    }
}

fn resource_of(
    raw: &RawResource,
    uid: i64,
    calendar_of: &impl Fn(Option<i64>) -> Option<CalendarId>,
) -> Resource {
    let mut resource = Resource::new(uid.to_string(), raw.name.clone());
    resource.kind = if raw.is_cost {
        ResourceKind::Cost
    } else {
        raw.kind.unwrap_or_default()
    };
    resource.max_units = raw.max_units.map_or(100, hundredths);
    resource.calendar = calendar_of(raw.calendar_uid.filter(|uid| *uid >= 0));
    resource.rates = Rates {
        standard: money(raw.standard_rate, 100.0),
        overtime: money(raw.overtime_rate, 100.0),
        per_use: money(raw.cost_per_use, 1.0),
    };
    let non_empty = |text: &Option<String>| {
        text.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    resource.email = non_empty(&raw.email);
    resource.group = non_empty(&raw.group);
    resource
}
