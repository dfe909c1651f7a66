//! The cells of the task table, read as users type them in MS Project's entry table: a duration
//! (`5d`, `2 wks`, `0` for a milestone), predecessors (`3FS+2d, 4SS`), resources
//! (`Ana Lima, Bob[50%]`), a constraint (`SNET 2027-01-04`), start and finish dates.
//!
//! Readers take the text of one cell (and the project's units where lengths are read) and return
//! the model's values, or a [`CellError`] naming the part of the cell at fault, so the table can
//! show it at the cell. Writers give the text a cell shows, which reads back to the same value.
//! Numbers, units and dates are read by the project file's own readers (`values`), so a cell
//! and a file mean the same by `1.5d` or `2027-01-04`.

use std::fmt;

use jiff::civil::DateTime;
use regie_core::{
    Constraint, ConstraintKind, Duration, Lag, Link, LinkKind, Project, Resource, ResourceId,
    TaskId, Units,
};

use crate::resolve::lineage;
use crate::suggest;
use crate::values::{self, Bad, DurationRules, Edge};

/// Why a cell could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    /// The part of the cell at fault, as typed: one predecessor of the list, one resource, the
    /// date (empty when the whole cell is).
    pub part: String,
    /// One sentence quoting that part first: `"3XX": unknown link type "XX" (expected FS, SS,
    /// FF or SF)`.
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CellError {}

fn error(part: &str, message: impl fmt::Display) -> CellError {
    CellError {
        part: part.to_owned(),
        message: format!("\"{part}\": {message}"),
    }
}

fn empty(message: &str) -> CellError {
    CellError {
        part: String::new(),
        message: message.to_owned(),
    }
}

/// A `values` reader's complaint about `read` (what `typed` was rewritten to), quoting `typed`.
fn reword(typed: &str, read: &str, bad: Bad) -> String {
    let message = bad
        .message
        .replace(&format!("`{read}`"), &format!("\"{typed}\""))
        .replace('`', "\"");
    format!("{message} ({})", bad.help.replace('`', "\""))
}

fn from_bad(typed: &str, read: &str, bad: Bad) -> CellError {
    CellError {
        part: typed.to_owned(),
        message: reword(typed, read, bad),
    }
}

// ---------------------------------------------------------------------------------------------
// Name

/// A task's name: anything but blank (trimmed).
pub fn parse_name(text: &str) -> Result<String, CellError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(empty("a task needs a name"));
    }
    Ok(name.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Durations

/// The words MS Project takes for each unit, by the project file's unit.
const UNIT_WORDS: &[(&str, &[&str])] = &[
    ("m", &["m", "min", "mins", "minute", "minutes"]),
    ("h", &["h", "hr", "hrs", "hour", "hours"]),
    ("d", &["d", "dy", "dys", "day", "days"]),
    ("w", &["w", "wk", "wks", "week", "weeks"]),
    ("mo", &["mo", "mon", "mons", "month", "months"]),
];

/// Rewrites a length as typed (`5`, `5 days`, `2wks`, `3 ehrs`, `1.5d`) in the project file's
/// spelling (`5d`, `2w`, `3eh`, `1.5d`): a bare number is days, as MS Project reads it. The
/// unit it does not know is the error.
fn canonical(text: &str) -> Result<String, String> {
    let text = text.trim();
    let at = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(text.len(), |(i, _)| i);
    let (number, unit) = text.split_at(at);
    let unit = unit.trim().to_ascii_lowercase();
    if unit.is_empty() {
        return Ok(format!("{number}d"));
    }
    let find = |word: &str| {
        UNIT_WORDS
            .iter()
            .find(|(_, words)| words.contains(&word))
            .map(|(short, _)| *short)
    };
    let spelled = match find(&unit) {
        Some(short) => short.to_owned(),
        None => match unit.strip_prefix('e').and_then(find) {
            Some(short) => format!("e{short}"),
            None => return Err(unit),
        },
    };
    Ok(format!("{number}{spelled}"))
}

const DURATION_HELP: &str =
    "durations look like 5d, 2w, 3h, 30m, 1.5d, 0 (a milestone) or 4ed (elapsed days)";

/// A duration cell: `5d`, `2w`, `3h`, `1.5d`, `30m`, `0` (a milestone), `4ed` (elapsed days),
/// `5` (days), `2 weeks`. Days, weeks and months are the project's `units`.
pub fn parse_duration(text: &str, units: &Units) -> Result<Duration, CellError> {
    let typed = text.trim();
    if typed.is_empty() {
        return Err(empty("a duration is needed, like 5d"));
    }
    let read = canonical(typed)
        .map_err(|unit| error(typed, format!("unknown unit \"{unit}\" ({DURATION_HELP})")))?;
    let rules = DurationRules {
        allow_negative: false,
        allow_elapsed: true,
    };
    values::parse_duration(&read, units, rules).map_err(|bad| from_bad(typed, &read, bad))
}

/// The text of a duration cell: `5d`, `1.5d`, `3h`, `0d`, `4ed`.
pub fn format_duration(duration: Duration, units: &Units) -> String {
    values::format_duration(duration, units)
}

// ---------------------------------------------------------------------------------------------
// Predecessors

/// One predecessor of a predecessors cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Predecessor {
    /// The predecessor's task ID: its 1-based position in outline order.
    pub id: usize,
    pub kind: LinkKind,
    pub lag: Lag,
    /// As typed, for messages.
    pub text: String,
}

const PREDECESSORS_HELP: &str =
    "predecessors look like 3, 3FS, 3SS+2d, 12FF-1d, 4SF+50% or 7FS+3ed, separated by commas";

/// A predecessors cell: task IDs with an optional link type (FS when absent) and lag, separated
/// by commas or semicolons: `3`, `3FS`, `3SS+2d`, `12FF-1d`, `4SF+50%`, `7FS+3ed`. An empty
/// cell is no predecessors. Lags are read with the project's `units`.
pub fn parse_predecessors(text: &str, units: &Units) -> Result<Vec<Predecessor>, CellError> {
    let mut list: Vec<Predecessor> = Vec::new();
    for item in text.split([',', ';']) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let compact: String = item.chars().filter(|c| !c.is_whitespace()).collect();
        let digits = compact
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(compact.len());
        if digits == 0 {
            return Err(error(
                item,
                format!("does not start with a task ID ({PREDECESSORS_HELP})"),
            ));
        }
        let Ok(id) = compact[..digits].parse::<usize>() else {
            return Err(error(item, "no task has so large an ID"));
        };
        let rest = &compact[digits..];
        let letters = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let (kind_text, lag_text) = rest.split_at(letters);
        let kind = match kind_text.to_ascii_uppercase().as_str() {
            "" | "FS" => LinkKind::FinishToStart,
            "SS" => LinkKind::StartToStart,
            "FF" => LinkKind::FinishToFinish,
            "SF" => LinkKind::StartToFinish,
            _ => {
                return Err(error(
                    item,
                    format!("unknown link type \"{kind_text}\" (expected FS, SS, FF or SF)"),
                ));
            }
        };
        let lag = if lag_text.is_empty() {
            Lag::default()
        } else {
            parse_lag(item, lag_text, units)?
        };
        if list.iter().any(|p| p.id == id) {
            return Err(error(item, format!("task {id} is listed twice")));
        }
        list.push(Predecessor {
            id,
            kind,
            lag,
            text: item.to_owned(),
        });
    }
    Ok(list)
}

/// The lag of predecessor `item`: `+2d`, `-1d`, `+50%`, `+3ed`, `+2` (days).
fn parse_lag(item: &str, lag_text: &str, units: &Units) -> Result<Lag, CellError> {
    let Some(body) = lag_text
        .strip_prefix('+')
        .or_else(|| lag_text.strip_prefix('-'))
    else {
        return Err(error(
            item,
            format!("\"{lag_text}\" is not a lag: a lag follows + or -, like 3FS+2d or 3FS-1d"),
        ));
    };
    let sign = &lag_text[..1];
    let read = if body.ends_with('%') {
        lag_text.to_owned()
    } else {
        let spelled = canonical(body).map_err(|unit| {
            error(
                item,
                format!("unknown unit \"{unit}\" in the lag ({})", values::LAG_HELP),
            )
        })?;
        format!("{sign}{spelled}")
    };
    values::parse_lag(&read, units).map_err(|bad| error(item, reword(lag_text, &read, bad)))
}

/// The links a predecessors cell gives task `task` of `project`: IDs are positions in the
/// outline, counted from 1. Refuses unknown IDs, the task itself, and links between a summary
/// and its own subtasks (as the project file does). Cycles through other tasks are the
/// engine's to find.
pub fn resolve_predecessors(
    list: &[Predecessor],
    project: &Project,
    task: TaskId,
) -> Result<Vec<Link>, CellError> {
    let count = project.tasks.len();
    let label = |id: TaskId| format!("task {} \"{}\"", id.index() + 1, project.task(id).name);
    list.iter()
        .map(|p| {
            if p.id == 0 || p.id > count {
                return Err(error(
                    &p.text,
                    format!("no task has ID {} (IDs go from 1 to {count})", p.id),
                ));
            }
            let pred = TaskId((p.id - 1) as u32);
            if pred == task {
                return Err(error(&p.text, "a task cannot be its own predecessor"));
            }
            if let Some((ancestor, descendant)) = lineage(&project.tasks, pred, task) {
                return Err(error(
                    &p.text,
                    format!(
                        "{} is inside {}: a summary task cannot be linked to its own subtasks",
                        label(descendant),
                        label(ancestor)
                    ),
                ));
            }
            Ok(Link {
                pred,
                succ: task,
                kind: p.kind,
                lag: p.lag,
            })
        })
        .collect()
}

/// The text of task `task`'s predecessors cell: `3`, `3SS`, `4FS+2d`, `5FF-1d`, in the order
/// of the project's links.
pub fn format_predecessors(project: &Project, task: TaskId, units: &Units) -> String {
    project
        .links
        .iter()
        .filter(|link| link.succ == task)
        .map(|link| {
            let id = link.pred.index() + 1;
            let lag = match link.lag {
                Lag::Working(0) => String::new(),
                lag => {
                    let text = values::format_lag(lag, units);
                    if text.starts_with('-') {
                        text
                    } else {
                        format!("+{text}")
                    }
                }
            };
            if link.kind == LinkKind::FinishToStart && lag.is_empty() {
                id.to_string()
            } else {
                format!("{id}{}{lag}", link.kind.code())
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

// ---------------------------------------------------------------------------------------------
// Resources

/// One resource of a resources cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceEntry {
    /// The resource's name or uid, as typed (trimmed).
    pub name: String,
    /// The units in brackets, in percent (`Bob[50%]`: 50); `None` when not given.
    pub units: Option<u32>,
    /// As typed, for messages.
    pub text: String,
}

const UNITS_HELP: &str = "units are a whole percentage in brackets, like Bob[50%]";

/// A resources cell: names (or uids) separated by commas or semicolons, each with optional
/// units in brackets: `Ana Lima, Bob[50%]`. An empty cell is no resources.
pub fn parse_resources(text: &str) -> Result<Vec<ResourceEntry>, CellError> {
    let mut list: Vec<ResourceEntry> = Vec::new();
    for item in text.split([',', ';']) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (name, units) = match item.split_once('[') {
            None if item.contains(']') => {
                return Err(error(
                    item,
                    format!("a \"]\" without its \"[\" ({UNITS_HELP})"),
                ));
            }
            None => (item, None),
            Some((name, rest)) => {
                let Some(inner) = rest.trim_end().strip_suffix(']') else {
                    return Err(error(
                        item,
                        format!("the units end with \"]\" ({UNITS_HELP})"),
                    ));
                };
                let inner = inner.trim();
                let units = values::parse_percent(inner, 100_000, UNITS_HELP)
                    .map_err(|bad| error(item, reword(inner, inner, bad)))?;
                (name.trim(), Some(units))
            }
        };
        if name.is_empty() {
            return Err(error(
                item,
                "which resource? Write its name before the units",
            ));
        }
        if list.iter().any(|e| e.name.eq_ignore_ascii_case(name)) {
            return Err(error(item, format!("\"{name}\" is listed twice")));
        }
        list.push(ResourceEntry {
            name: name.to_owned(),
            units,
            text: item.to_owned(),
        });
    }
    Ok(list)
}

/// Finds each entry's resource by name, then uid, then either ignoring case; an unknown one is
/// an error with "did you mean". Returns the resources with the units given.
pub fn resolve_resources(
    list: &[ResourceEntry],
    resources: &[Resource],
) -> Result<Vec<(ResourceId, Option<u32>)>, CellError> {
    let mut found: Vec<(ResourceId, Option<u32>)> = Vec::with_capacity(list.len());
    for entry in list {
        let name = entry.name.as_str();
        let exact = resources
            .iter()
            .position(|r| r.name == name)
            .or_else(|| resources.iter().position(|r| r.uid == name));
        let index = exact.or_else(|| {
            let mut matches = resources.iter().enumerate().filter(|(_, r)| {
                r.name.eq_ignore_ascii_case(name) || r.uid.eq_ignore_ascii_case(name)
            });
            match (matches.next(), matches.next()) {
                (Some((index, _)), None) => Some(index),
                _ => None,
            }
        });
        let Some(index) = index else {
            let words = resources
                .iter()
                .flat_map(|r| [r.name.as_str(), r.uid.as_str()]);
            let hint = match suggest::closest(name, words) {
                Some(close) => {
                    let close = resources
                        .iter()
                        .find(|r| r.uid == close)
                        .map_or(close, |r| r.name.as_str());
                    format!("; did you mean \"{close}\"?")
                }
                None if resources.is_empty() => {
                    "; the project has no resources yet: add them first".to_owned()
                }
                None => String::new(),
            };
            return Err(error(
                &entry.text,
                format!("no resource is called \"{name}\"{hint}"),
            ));
        };
        let id = ResourceId(index as u32);
        if found.iter().any(|(other, _)| *other == id) {
            return Err(error(
                &entry.text,
                format!("\"{}\" is listed twice", resources[index].name),
            ));
        }
        found.push((id, entry.units));
    }
    Ok(found)
}

/// The text of task `task`'s resources cell: `Ana Lima, Bob[50%]` (units shown when not 100%).
pub fn format_resources(project: &Project, task: TaskId) -> String {
    project
        .assignments
        .iter()
        .filter(|a| a.task == task)
        .filter_map(|a| {
            let resource = project.resources.get(a.resource.index())?;
            Some(if a.units == 100 {
                resource.name.clone()
            } else {
                format!("{}[{}%]", resource.name, a.units)
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------------
// Constraints and dates

const CONSTRAINTS_HELP: &str = "constraints are ASAP, ALAP, SNET, SNLT, FNET, FNLT, MSO and MFO (or the words: \"start no earlier than\"), the last six followed by a date like 2027-01-04";

fn short_name(kind: ConstraintKind) -> String {
    values::CONSTRAINT_KINDS
        .iter()
        .find(|(_, _, k)| *k == kind)
        .map_or_else(String::new, |(_, short, _)| short.to_ascii_uppercase())
}

/// A constraint cell: `ASAP`, `ALAP`, or `SNET`, `SNLT`, `FNET`, `FNLT`, `MSO`, `MFO` followed by
/// a date (`2027-01-04`) or a date and time (`2027-01-04T08:00`), in any case; the long words
/// too (`start no earlier than 2027-01-04`, `must-finish-on 2027-03-31`). A date alone is the
/// start of that day for start constraints and its end for finish constraints, which the engine
/// reads as the start and the end of the working day, as MS Project does. An empty cell is ASAP.
pub fn parse_constraint(text: &str) -> Result<Constraint, CellError> {
    let typed = text.trim();
    if typed.is_empty() {
        return Ok(Constraint::default());
    }
    let words: Vec<&str> = typed.split_whitespace().collect();
    let date_at = words
        .iter()
        .position(|word| word.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(words.len());
    let kind_text = words[..date_at].join(" ");
    let date_text = words[date_at..].join(" ");
    if kind_text.is_empty() {
        return Err(error(
            typed,
            format!("which constraint? Write it before the date, like SNET {date_text}"),
        ));
    }
    let key = kind_text.to_ascii_lowercase().replace('-', " ");
    let found = values::CONSTRAINT_KINDS
        .iter()
        .find(|(long, short, _)| key == long.replace('-', " ") || key == *short);
    let Some(&(_, _, kind)) = found else {
        let names: Vec<String> = values::CONSTRAINT_KINDS
            .iter()
            .flat_map(|(long, short, _)| [short.to_ascii_uppercase(), long.replace('-', " ")])
            .collect();
        let hint = match suggest::closest(&kind_text, names.iter().map(String::as_str)) {
            Some(name) => format!("did you mean \"{name}\"?"),
            None => CONSTRAINTS_HELP.to_owned(),
        };
        return Err(error(&kind_text, format!("unknown constraint ({hint})")));
    };
    let short = short_name(kind);
    match (kind.needs_date(), date_text.is_empty()) {
        (true, true) => Err(error(
            typed,
            format!("{short} needs a date, like {short} 2027-01-04"),
        )),
        (false, false) => Err(error(typed, format!("{short} takes no date"))),
        (false, true) => Ok(Constraint { kind, date: None }),
        (true, false) => {
            let date = values::parse_datetime(&date_text, values::constraint_edge(kind))
                .map_err(|bad| from_bad(&date_text, &date_text, bad))?;
            Ok(Constraint {
                kind,
                date: Some(date),
            })
        }
    }
}

/// The text of a constraint cell: `ASAP`, `SNET 2027-01-04`, `MFO 2027-03-31T12:00`.
pub fn format_constraint(constraint: &Constraint) -> String {
    let short = short_name(constraint.kind);
    match constraint.date {
        Some(date) => format!(
            "{short} {}",
            values::format_datetime(date, values::constraint_edge(constraint.kind))
        ),
        None => short,
    }
}

fn parse_date_cell(text: &str, edge: Edge) -> Result<DateTime, CellError> {
    let typed = text.trim();
    if typed.is_empty() {
        return Err(empty("a date is needed, like 2027-01-04"));
    }
    values::parse_datetime(typed, edge).map_err(|bad| from_bad(typed, typed, bad))
}

/// A start cell: a date (`2027-01-04`, the start of that day) or a date and time. Typing a start
/// is asking the task to start no earlier than that (what dragging a bar does in MS Project):
/// the constraint it gives.
pub fn parse_start(text: &str) -> Result<Constraint, CellError> {
    Ok(Constraint {
        kind: ConstraintKind::StartNoEarlierThan,
        date: Some(parse_date_cell(text, Edge::Start)?),
    })
}

/// A finish cell: a date (`2027-01-12`: the end of that day, 00:00 of the next one) or a date
/// and time. What it does to the task's duration depends on the schedule and the task's
/// calendar, which the caller has.
pub fn parse_finish(text: &str) -> Result<DateTime, CellError> {
    parse_date_cell(text, Edge::Finish)
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // the case tables spell out what each row expects
mod tests {
    use super::*;
    use regie_core::Task;

    fn units() -> Units {
        Units::default()
    }

    #[test]
    fn durations() {
        let cases: &[(&str, Result<(i64, bool), &str>)] = &[
            ("5d", Ok((2400, false))),
            ("2w", Ok((4800, false))),
            ("3h", Ok((180, false))),
            ("1.5d", Ok((720, false))),
            ("30m", Ok((30, false))),
            ("0", Ok((0, false))),
            ("0d", Ok((0, false))),
            ("4ed", Ok((4 * 1440, true))),
            ("5", Ok((2400, false))),
            (" 5 days ", Ok((2400, false))),
            ("2 wks", Ok((4800, false))),
            ("3 ehrs", Ok((180, true))),
            ("1mo", Ok((9600, false))),
            ("5D", Ok((2400, false))),
            ("", Err("a duration is needed, like 5d")),
            (
                "5x",
                Err(
                    "\"5x\": unknown unit \"x\" (durations look like 5d, 2w, 3h, 30m, 1.5d, 0 (a milestone) or 4ed (elapsed days))",
                ),
            ),
            (
                "-1d",
                Err(
                    "\"-1d\" is negative (a duration is zero or more; only a link's lag can be negative (a lead))",
                ),
            ),
            (
                "abc",
                Err(
                    "\"abc\": unknown unit \"abc\" (durations look like 5d, 2w, 3h, 30m, 1.5d, 0 (a milestone) or 4ed (elapsed days))",
                ),
            ),
            (
                "1.d",
                Err(
                    "\"1.d\" is not a duration (durations look like 5d, 4h, 30m, 2w, 1mo, 3ed (elapsed days), 1.5d)",
                ),
            ),
            (
                "99999999d",
                Err(
                    "\"99999999d\" is longer than 20 years (is a unit wrong? 5d is five days, 5mo five months)",
                ),
            ),
        ];
        for (text, expected) in cases {
            let got = parse_duration(text, &units())
                .map(|d| (d.minutes, d.elapsed))
                .map_err(|e| e.message);
            assert_eq!(got, expected.map_err(str::to_owned), "{text:?}");
        }
        let short_days = Units {
            minutes_per_day: 450,
            minutes_per_week: 2250,
            ..Units::default()
        };
        assert_eq!(parse_duration("2d", &short_days).unwrap().minutes, 900);
        assert_eq!(parse_duration("1w", &short_days).unwrap().minutes, 2250);
    }

    #[test]
    fn predecessors() {
        use LinkKind::*;
        let cases: &[(&str, Result<Vec<(usize, LinkKind, Lag)>, &str>)] = &[
            ("", Ok(vec![])),
            ("3", Ok(vec![(3, FinishToStart, Lag::Working(0))])),
            ("3FS", Ok(vec![(3, FinishToStart, Lag::Working(0))])),
            ("3ss+2d", Ok(vec![(3, StartToStart, Lag::Working(960))])),
            (
                "12FF-1d",
                Ok(vec![(12, FinishToFinish, Lag::Working(-480))]),
            ),
            ("4SF+50%", Ok(vec![(4, StartToFinish, Lag::Percent(50))])),
            (
                "7FS+3ed",
                Ok(vec![(7, FinishToStart, Lag::Elapsed(3 * 1440))]),
            ),
            ("3+2", Ok(vec![(3, FinishToStart, Lag::Working(960))])),
            (
                "3 FS + 2 days",
                Ok(vec![(3, FinishToStart, Lag::Working(960))]),
            ),
            (
                "3FS+2d; 4SS, 5",
                Ok(vec![
                    (3, FinishToStart, Lag::Working(960)),
                    (4, StartToStart, Lag::Working(0)),
                    (5, FinishToStart, Lag::Working(0)),
                ]),
            ),
            (
                "3,,4,",
                Ok(vec![
                    (3, FinishToStart, Lag::Working(0)),
                    (4, FinishToStart, Lag::Working(0)),
                ]),
            ),
            (
                "3XX",
                Err("\"3XX\": unknown link type \"XX\" (expected FS, SS, FF or SF)"),
            ),
            (
                "2, 3XX+1d",
                Err("\"3XX+1d\": unknown link type \"XX\" (expected FS, SS, FF or SF)"),
            ),
            (
                "FS3",
                Err(
                    "\"FS3\": does not start with a task ID (predecessors look like 3, 3FS, 3SS+2d, 12FF-1d, 4SF+50% or 7FS+3ed, separated by commas)",
                ),
            ),
            (
                "3FS2d",
                Err("\"3FS2d\": \"2d\" is not a lag: a lag follows + or -, like 3FS+2d or 3FS-1d"),
            ),
            (
                "3FS+2x",
                Err(
                    "\"3FS+2x\": unknown unit \"x\" in the lag (lags look like 2d, 4h, -1d (a lead), 3ed (elapsed days) or 50% (of the predecessor's duration))",
                ),
            ),
            (
                "3FS+1.5%",
                Err(
                    "\"3FS+1.5%\": \"+1.5%\" is not a lag (lags look like 2d, 4h, -1d (a lead), 3ed (elapsed days) or 50% (of the predecessor's duration))",
                ),
            ),
            ("3, 3SS", Err("\"3SS\": task 3 is listed twice")),
            (
                "99999999999999999999999",
                Err("\"99999999999999999999999\": no task has so large an ID"),
            ),
        ];
        for (text, expected) in cases {
            let got = parse_predecessors(text, &units())
                .map(|list| {
                    list.iter()
                        .map(|p| (p.id, p.kind, p.lag))
                        .collect::<Vec<_>>()
                })
                .map_err(|e| e.message);
            assert_eq!(got, expected.clone().map_err(str::to_owned), "{text:?}");
        }
        let error = parse_predecessors("1, 3XX", &units()).unwrap_err();
        assert_eq!(error.part, "3XX");
    }

    /// 1 A, 2 B (summary), 3 B1 (in B), 4 B2 (in B), 5 C.
    fn plan() -> Project {
        let start = "2027-01-04T08:00".parse().unwrap();
        let mut project = Project::new("P", start);
        for (uid, parent) in [
            ("a", None),
            ("b", None),
            ("b1", Some(1)),
            ("b2", Some(1)),
            ("c", None),
        ] {
            let mut task = Task::new(uid, uid.to_uppercase());
            task.parent = parent.map(TaskId);
            project.tasks.push(task);
        }
        project.resources.push(Resource::new("ana", "Ana Lima"));
        project.resources.push(Resource::new("bob", "Bob"));
        project
    }

    #[test]
    fn predecessors_resolve_to_links() {
        let project = plan();
        let resolve = |text: &str, task: u32| {
            let list = parse_predecessors(text, &units()).map_err(|e| e.message)?;
            resolve_predecessors(&list, &project, TaskId(task))
                .map(|links| {
                    links
                        .iter()
                        .map(|l| (l.pred.0, l.succ.0))
                        .collect::<Vec<_>>()
                })
                .map_err(|e| e.message)
        };
        let cases: &[(&str, u32, Result<Vec<(u32, u32)>, &str>)] = &[
            ("1, 3", 4, Ok(vec![(0, 4), (2, 4)])),
            ("2", 4, Ok(vec![(1, 4)])),
            ("6", 4, Err("\"6\": no task has ID 6 (IDs go from 1 to 5)")),
            ("0", 4, Err("\"0\": no task has ID 0 (IDs go from 1 to 5)")),
            (
                "5FS",
                4,
                Err("\"5FS\": a task cannot be its own predecessor"),
            ),
            (
                "2",
                2,
                Err(
                    "\"2\": task 3 \"B1\" is inside task 2 \"B\": a summary task cannot be linked to its own subtasks",
                ),
            ),
            (
                "3",
                1,
                Err(
                    "\"3\": task 3 \"B1\" is inside task 2 \"B\": a summary task cannot be linked to its own subtasks",
                ),
            ),
        ];
        for (text, task, expected) in cases {
            assert_eq!(
                resolve(text, *task),
                expected.clone().map_err(str::to_owned),
                "{text:?} on {task}"
            );
        }
    }

    #[test]
    fn predecessors_read_back_what_they_show() {
        let mut project = plan();
        let list = parse_predecessors("1, 2SS+2d, 3FF-1.5d, 4SF+50%, 5FS+3ed", &units()).unwrap();
        // Task 5 cannot precede itself: resolve onto a sixth task.
        project.tasks.push(Task::new("d", "D"));
        project.links = resolve_predecessors(&list, &project, TaskId(5)).unwrap();
        let text = format_predecessors(&project, TaskId(5), &units());
        assert_eq!(text, "1,2SS+2d,3FF-12h,4SF+50%,5FS+3ed");
        let again = parse_predecessors(&text, &units()).unwrap();
        assert_eq!(
            resolve_predecessors(&again, &project, TaskId(5)).unwrap(),
            project.links
        );
    }

    #[test]
    fn resources() {
        let project = plan();
        let read = |text: &str| {
            let list = parse_resources(text).map_err(|e| e.message)?;
            resolve_resources(&list, &project.resources)
                .map(|found| {
                    found
                        .iter()
                        .map(|(id, units)| (id.0, *units))
                        .collect::<Vec<_>>()
                })
                .map_err(|e| e.message)
        };
        let cases: &[(&str, Result<Vec<(u32, Option<u32>)>, &str>)] = &[
            ("", Ok(vec![])),
            ("Ana Lima", Ok(vec![(0, None)])),
            ("Ana Lima, Bob[50%]", Ok(vec![(0, None), (1, Some(50))])),
            ("bob [ 150 ]; ana", Ok(vec![(1, Some(150)), (0, None)])),
            ("ana lima", Ok(vec![(0, None)])),
            (
                "Ana Lma",
                Err("\"Ana Lma\": no resource is called \"Ana Lma\"; did you mean \"Ana Lima\"?"),
            ),
            ("Carla", Err("\"Carla\": no resource is called \"Carla\"")),
            (
                "Bob[50",
                Err(
                    "\"Bob[50\": the units end with \"]\" (units are a whole percentage in brackets, like Bob[50%])",
                ),
            ),
            (
                "Bob[half]",
                Err(
                    "\"Bob[half]\": \"half\" is not a percentage (units are a whole percentage in brackets, like Bob[50%])",
                ),
            ),
            (
                "[50%]",
                Err("\"[50%]\": which resource? Write its name before the units"),
            ),
            (
                "Bob, bob[50%]",
                Err("\"bob[50%]\": \"bob\" is listed twice"),
            ),
            (
                "ana, Ana Lima",
                Err("\"Ana Lima\": \"Ana Lima\" is listed twice"),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                read(text),
                expected.clone().map_err(str::to_owned),
                "{text:?}"
            );
        }
        let empty = parse_resources("Ana").unwrap();
        assert_eq!(
            resolve_resources(&empty, &[]).unwrap_err().message,
            "\"Ana\": no resource is called \"Ana\"; the project has no resources yet: add them first"
        );
    }

    #[test]
    fn constraints() {
        use ConstraintKind::*;
        let at = |text: &str| Some(text.parse::<DateTime>().unwrap());
        let cases: &[(&str, Result<(ConstraintKind, Option<DateTime>), &str>)] = &[
            ("", Ok((AsSoonAsPossible, None))),
            ("ASAP", Ok((AsSoonAsPossible, None))),
            ("alap", Ok((AsLateAsPossible, None))),
            (
                "SNET 2027-01-04",
                Ok((StartNoEarlierThan, at("2027-01-04T00:00"))),
            ),
            (
                "snlt 2027-01-04T10:30",
                Ok((StartNoLaterThan, at("2027-01-04T10:30"))),
            ),
            (
                "FNET 2027-01-04",
                Ok((FinishNoEarlierThan, at("2027-01-05T00:00"))),
            ),
            (
                "fnlt 2027-01-04 12:00",
                Ok((FinishNoLaterThan, at("2027-01-04T12:00"))),
            ),
            ("MSO 2027-01-04", Ok((MustStartOn, at("2027-01-04T00:00")))),
            ("MFO 2027-01-04", Ok((MustFinishOn, at("2027-01-05T00:00")))),
            (
                "start no earlier than 2027-01-04",
                Ok((StartNoEarlierThan, at("2027-01-04T00:00"))),
            ),
            (
                "Must-Finish-On 2027-01-04",
                Ok((MustFinishOn, at("2027-01-05T00:00"))),
            ),
            ("As soon as possible", Ok((AsSoonAsPossible, None))),
            (
                "SNET",
                Err("\"SNET\": SNET needs a date, like SNET 2027-01-04"),
            ),
            (
                "ASAP 2027-01-04",
                Err("\"ASAP 2027-01-04\": ASAP takes no date"),
            ),
            (
                "SNETT 2027-01-04",
                Err("\"SNETT\": unknown constraint (did you mean \"SNET\"?)"),
            ),
            (
                "2027-01-04",
                Err(
                    "\"2027-01-04\": which constraint? Write it before the date, like SNET 2027-01-04",
                ),
            ),
            (
                "SNET 2027-02-30",
                Err(
                    "\"2027-02-30\" is not a date: February 2027 has no day 30 (dates look like 2027-01-04, date-times like 2027-01-04T08:00)",
                ),
            ),
            (
                "SNET 2027-01-04T25:00",
                Err(
                    "\"2027-01-04T25:00\" is not a date-time: there is no time 25:00 (times go from 00:00 to 23:59; the end of a day is 00:00 of the next one)",
                ),
            ),
        ];
        for (text, expected) in cases {
            let got = parse_constraint(text)
                .map(|c| (c.kind, c.date))
                .map_err(|e| e.message);
            assert_eq!(got, expected.map_err(str::to_owned), "{text:?}");
        }
        for text in [
            "ASAP",
            "SNET 2027-01-04",
            "MFO 2027-01-04",
            "FNLT 2027-01-04T12:00",
        ] {
            assert_eq!(format_constraint(&parse_constraint(text).unwrap()), text);
        }
    }

    #[test]
    fn start_and_finish() {
        let start = parse_start("2027-01-11").unwrap();
        assert_eq!(start.kind, ConstraintKind::StartNoEarlierThan);
        assert_eq!(start.date.unwrap().to_string(), "2027-01-11T00:00:00");
        assert_eq!(
            parse_finish("2027-01-12").unwrap().to_string(),
            "2027-01-13T00:00:00"
        );
        assert_eq!(
            parse_finish("2027-01-12T12:00").unwrap().to_string(),
            "2027-01-12T12:00:00"
        );
        assert_eq!(
            parse_finish("").unwrap_err().message,
            "a date is needed, like 2027-01-04"
        );
        assert_eq!(
            parse_start("next monday").unwrap_err().message,
            "\"next monday\" is not a date (dates look like 2027-01-04, date-times like 2027-01-04T08:00)"
        );
    }

    #[test]
    fn names() {
        assert_eq!(parse_name("  Build  "), Ok("Build".to_owned()));
        assert_eq!(parse_name(" ").unwrap_err().message, "a task needs a name");
    }
}
