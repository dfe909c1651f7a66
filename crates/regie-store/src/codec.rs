//! The model's values as column values and JSON, both ways. Text codes are spelled out
//! ("fixed-work", "snet") so the database stays readable by hand; JSON is used for lists that
//! are only ever read whole (a calendar's week, an exception's rule, a task's splits) and for the
//! audit log's old and new values.

use jiff::civil::{Date, DateTime, Weekday};
use regie_core::calendar::{Calendar, DateRule, Exception, Shift, YearlyDay};
use regie_core::{
    Anchor, Assignment, ConstraintKind, Lag, Link, LinkKind, Resource, ResourceKind, Split, Task,
    TaskType,
};
use serde_json::{Value, json};

use crate::{Result, StoreError};

pub(crate) fn corrupt(
    table: &'static str,
    column: &'static str,
    value: &str,
    reason: &str,
) -> StoreError {
    StoreError::Corrupt {
        table,
        column,
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

pub(crate) fn datetime_text(at: DateTime) -> String {
    at.to_string()
}

pub(crate) fn parse_datetime(
    table: &'static str,
    column: &'static str,
    text: &str,
) -> Result<DateTime> {
    text.parse::<DateTime>()
        .map_err(|error| corrupt(table, column, text, &error.to_string()))
}

pub(crate) fn parse_datetime_opt(
    table: &'static str,
    column: &'static str,
    text: Option<String>,
) -> Result<Option<DateTime>> {
    text.map(|text| parse_datetime(table, column, &text))
        .transpose()
}

pub(crate) fn parse_date(table: &'static str, column: &'static str, text: &str) -> Result<Date> {
    text.parse::<Date>()
        .map_err(|error| corrupt(table, column, text, &error.to_string()))
}

pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
}

pub(crate) fn anchor_columns(anchor: Anchor) -> (&'static str, String) {
    match anchor {
        Anchor::Start(at) => ("start", datetime_text(at)),
        Anchor::Finish(at) => ("finish", datetime_text(at)),
    }
}

pub(crate) fn parse_anchor(kind: &str, at: &str) -> Result<Anchor> {
    let at = parse_datetime("projects", "anchor_at", at)?;
    match kind {
        "start" => Ok(Anchor::Start(at)),
        "finish" => Ok(Anchor::Finish(at)),
        other => Err(corrupt(
            "projects",
            "anchor_kind",
            other,
            "expected start or finish",
        )),
    }
}

pub(crate) fn task_type_code(task_type: TaskType) -> &'static str {
    match task_type {
        TaskType::FixedUnits => "fixed-units",
        TaskType::FixedDuration => "fixed-duration",
        TaskType::FixedWork => "fixed-work",
    }
}

pub(crate) fn parse_task_type(code: &str) -> Result<TaskType> {
    match code {
        "fixed-units" => Ok(TaskType::FixedUnits),
        "fixed-duration" => Ok(TaskType::FixedDuration),
        "fixed-work" => Ok(TaskType::FixedWork),
        other => Err(corrupt("tasks", "task_type", other, "unknown task type")),
    }
}

pub(crate) fn constraint_code(kind: ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::AsSoonAsPossible => "asap",
        ConstraintKind::AsLateAsPossible => "alap",
        ConstraintKind::StartNoEarlierThan => "snet",
        ConstraintKind::StartNoLaterThan => "snlt",
        ConstraintKind::FinishNoEarlierThan => "fnet",
        ConstraintKind::FinishNoLaterThan => "fnlt",
        ConstraintKind::MustStartOn => "mso",
        ConstraintKind::MustFinishOn => "mfo",
    }
}

pub(crate) fn parse_constraint(code: &str) -> Result<ConstraintKind> {
    Ok(match code {
        "asap" => ConstraintKind::AsSoonAsPossible,
        "alap" => ConstraintKind::AsLateAsPossible,
        "snet" => ConstraintKind::StartNoEarlierThan,
        "snlt" => ConstraintKind::StartNoLaterThan,
        "fnet" => ConstraintKind::FinishNoEarlierThan,
        "fnlt" => ConstraintKind::FinishNoLaterThan,
        "mso" => ConstraintKind::MustStartOn,
        "mfo" => ConstraintKind::MustFinishOn,
        other => {
            return Err(corrupt(
                "tasks",
                "constraint_kind",
                other,
                "unknown constraint",
            ));
        }
    })
}

pub(crate) fn parse_link_kind(code: &str) -> Result<LinkKind> {
    Ok(match code {
        "FS" => LinkKind::FinishToStart,
        "SS" => LinkKind::StartToStart,
        "FF" => LinkKind::FinishToFinish,
        "SF" => LinkKind::StartToFinish,
        other => return Err(corrupt("links", "kind", other, "expected FS, SS, FF or SF")),
    })
}

pub(crate) fn lag_columns(lag: Lag) -> (&'static str, i64) {
    match lag {
        Lag::Working(minutes) => ("working", minutes),
        Lag::Elapsed(minutes) => ("elapsed", minutes),
        Lag::Percent(percent) => ("percent", i64::from(percent)),
    }
}

pub(crate) fn parse_lag(kind: &str, value: i64) -> Result<Lag> {
    Ok(match kind {
        "working" => Lag::Working(value),
        "elapsed" => Lag::Elapsed(value),
        "percent" => Lag::Percent(i32::try_from(value).map_err(|_| {
            corrupt(
                "links",
                "lag_value",
                &value.to_string(),
                "percent out of range",
            )
        })?),
        other => return Err(corrupt("links", "lag_kind", other, "unknown lag kind")),
    })
}

pub(crate) fn resource_kind_code(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Work => "work",
        ResourceKind::Material => "material",
        ResourceKind::Cost => "cost",
    }
}

pub(crate) fn parse_resource_kind(code: &str) -> Result<ResourceKind> {
    Ok(match code {
        "work" => ResourceKind::Work,
        "material" => ResourceKind::Material,
        "cost" => ResourceKind::Cost,
        other => return Err(corrupt("resources", "kind", other, "unknown resource kind")),
    })
}

/// Converts a stored integer into a narrower model integer, naming the column when it does not fit.
pub(crate) fn narrow<T: TryFrom<i64>>(
    table: &'static str,
    column: &'static str,
    value: i64,
) -> Result<T> {
    T::try_from(value).map_err(|_| corrupt(table, column, &value.to_string(), "out of range"))
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "monday",
        Weekday::Tuesday => "tuesday",
        Weekday::Wednesday => "wednesday",
        Weekday::Thursday => "thursday",
        Weekday::Friday => "friday",
        Weekday::Saturday => "saturday",
        Weekday::Sunday => "sunday",
    }
}

fn parse_weekday(name: &str) -> Option<Weekday> {
    Some(match name {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

pub(crate) fn shifts_json(shifts: &[Shift]) -> Value {
    Value::Array(shifts.iter().map(|s| json!([s.start, s.end])).collect())
}

fn parse_shifts(value: &Value) -> Option<Vec<Shift>> {
    value
        .as_array()?
        .iter()
        .map(|pair| {
            let pair = pair.as_array()?;
            if pair.len() != 2 {
                return None;
            }
            Some(Shift {
                start: u16::try_from(pair[0].as_u64()?).ok()?,
                end: u16::try_from(pair[1].as_u64()?).ok()?,
            })
        })
        .collect()
}

pub(crate) fn parse_shifts_text(
    table: &'static str,
    column: &'static str,
    text: &str,
) -> Result<Vec<Shift>> {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|value| parse_shifts(&value))
        .ok_or_else(|| corrupt(table, column, text, "expected [[start, end], ...]"))
}

pub(crate) fn week_json(week: &[Option<Vec<Shift>>; 7]) -> Value {
    Value::Array(
        week.iter()
            .map(|day| day.as_deref().map_or(Value::Null, shifts_json))
            .collect(),
    )
}

pub(crate) fn parse_week(text: &str) -> Result<[Option<Vec<Shift>>; 7]> {
    let bad = || {
        corrupt(
            "calendars",
            "week",
            text,
            "expected 7 entries, null or [[start, end], ...]",
        )
    };
    let value: Value = serde_json::from_str(text).map_err(|_| bad())?;
    let days = value
        .as_array()
        .filter(|days| days.len() == 7)
        .ok_or_else(bad)?;
    let mut week: [Option<Vec<Shift>>; 7] = Default::default();
    for (slot, day) in week.iter_mut().zip(days) {
        *slot = if day.is_null() {
            None
        } else {
            Some(parse_shifts(day).ok_or_else(bad)?)
        };
    }
    Ok(week)
}

pub(crate) fn rule_json(rule: &DateRule) -> Value {
    match rule {
        DateRule::Range { from, to } => {
            json!({"range": {"from": from.to_string(), "to": to.to_string()}})
        }
        DateRule::Yearly {
            month,
            day,
            from_year,
            to_year,
        } => {
            let day = match day {
                YearlyDay::Day(d) => json!({"day": d}),
                YearlyDay::Nth { n, weekday } => {
                    json!({"nth": n, "weekday": weekday_name(*weekday)})
                }
            };
            json!({"yearly": {"month": month, "day": day, "from_year": from_year, "to_year": to_year}})
        }
        DateRule::Weekly { weekdays, from, to } => json!({"weekly": {
            "weekdays": weekdays.iter().map(|d| weekday_name(*d)).collect::<Vec<_>>(),
            "from": from.to_string(),
            "to": to.to_string(),
        }}),
    }
}

pub(crate) fn parse_rule(text: &str) -> Result<DateRule> {
    let bad = |reason: &str| corrupt("calendar_exceptions", "rule", text, reason);
    let value: Value = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
    let date = |v: &Value| -> Result<Date> {
        let s = v.as_str().ok_or_else(|| bad("a date is not a string"))?;
        parse_date("calendar_exceptions", "rule", s)
    };
    let small = |v: &Value| -> Option<i8> { v.as_i64().and_then(|n| i8::try_from(n).ok()) };
    let year = |v: &Value| -> Result<Option<i16>> {
        if v.is_null() {
            return Ok(None);
        }
        v.as_i64()
            .and_then(|n| i16::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| bad("a year is out of range"))
    };
    if let Some(range) = value.get("range") {
        return Ok(DateRule::Range {
            from: date(&range["from"])?,
            to: date(&range["to"])?,
        });
    }
    if let Some(yearly) = value.get("yearly") {
        let day = &yearly["day"];
        let day = if let Some(d) = day.get("day") {
            YearlyDay::Day(small(d).ok_or_else(|| bad("day out of range"))?)
        } else {
            YearlyDay::Nth {
                n: small(&day["nth"]).ok_or_else(|| bad("nth out of range"))?,
                weekday: day["weekday"]
                    .as_str()
                    .and_then(parse_weekday)
                    .ok_or_else(|| bad("unknown weekday"))?,
            }
        };
        return Ok(DateRule::Yearly {
            month: small(&yearly["month"]).ok_or_else(|| bad("month out of range"))?,
            day,
            from_year: year(&yearly["from_year"])?,
            to_year: year(&yearly["to_year"])?,
        });
    }
    if let Some(weekly) = value.get("weekly") {
        let weekdays = weekly["weekdays"]
            .as_array()
            .ok_or_else(|| bad("weekdays is not a list"))?
            .iter()
            .map(|d| {
                d.as_str()
                    .and_then(parse_weekday)
                    .ok_or_else(|| bad("unknown weekday"))
            })
            .collect::<Result<Vec<_>>>()?;
        return Ok(DateRule::Weekly {
            weekdays,
            from: date(&weekly["from"])?,
            to: date(&weekly["to"])?,
        });
    }
    Err(bad("expected range, yearly or weekly"))
}

pub(crate) fn splits_json(splits: &[Split]) -> Value {
    Value::Array(splits.iter().map(|s| json!([s.after, s.pause])).collect())
}

pub(crate) fn parse_splits(text: &str) -> Result<Vec<Split>> {
    let bad = || corrupt("tasks", "splits", text, "expected [[after, pause], ...]");
    let value: Value = serde_json::from_str(text).map_err(|_| bad())?;
    value
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|pair| {
            let split = match pair.as_array().map(Vec::as_slice) {
                Some([after, pause]) => after.as_i64().zip(pause.as_i64()),
                _ => None,
            };
            split
                .map(|(after, pause)| Split { after, pause })
                .ok_or_else(bad)
        })
        .collect()
}

fn opt_datetime(at: Option<DateTime>) -> Value {
    at.map_or(Value::Null, |at| Value::String(datetime_text(at)))
}

/// A task as the audit log shows it: references by uid, not by index.
pub(crate) fn task_json(task: &Task, parent_uid: Option<&str>, calendar: Value) -> Value {
    json!({
        "uid": task.uid,
        "name": task.name,
        "parent": parent_uid,
        "milestone": task.milestone,
        "duration": {"minutes": task.duration.minutes, "elapsed": task.duration.elapsed},
        "work": task.work,
        "type": task_type_code(task.task_type),
        "effort_driven": task.effort_driven,
        "constraint": {"kind": constraint_code(task.constraint.kind), "date": opt_datetime(task.constraint.date)},
        "deadline": opt_datetime(task.deadline),
        "priority": task.priority,
        "calendar": calendar,
        "notes": task.notes,
        "progress": {
            "percent_complete": task.progress.percent_complete,
            "actual_start": opt_datetime(task.progress.actual_start),
            "actual_finish": opt_datetime(task.progress.actual_finish),
        },
        "manual": task.manual.map(|m| json!({"start": datetime_text(m.start), "finish": datetime_text(m.finish)})),
        "splits": splits_json(&task.splits),
    })
}

pub(crate) fn link_json(pred: &str, succ: &str, link: &Link) -> Value {
    let (lag_kind, lag_value) = lag_columns(link.lag);
    json!({"pred": pred, "succ": succ, "kind": link.kind.code(), "lag": {"kind": lag_kind, "value": lag_value}})
}

pub(crate) fn resource_json(resource: &Resource, calendar: Value) -> Value {
    json!({
        "uid": resource.uid,
        "name": resource.name,
        "kind": resource_kind_code(resource.kind),
        "max_units": resource.max_units,
        "calendar": calendar,
        "rates": {
            "standard_cents": resource.rates.standard.0,
            "overtime_cents": resource.rates.overtime.0,
            "per_use_cents": resource.rates.per_use.0,
        },
        "email": resource.email,
        "group": resource.group,
    })
}

pub(crate) fn assignment_json(task: &str, resource: &str, assignment: &Assignment) -> Value {
    json!({"task": task, "resource": resource, "units": assignment.units, "work": assignment.work})
}

pub(crate) fn calendar_json(calendar: &Calendar, base: Value) -> Value {
    json!({
        "uid": calendar.uid,
        "name": calendar.name,
        "base": base,
        "week": week_json(&calendar.week),
        "exceptions": calendar.exceptions.iter().map(exception_json).collect::<Vec<_>>(),
    })
}

fn exception_json(exception: &Exception) -> Value {
    json!({"name": exception.name, "dates": rule_json(&exception.dates), "shifts": shifts_json(&exception.shifts)})
}
