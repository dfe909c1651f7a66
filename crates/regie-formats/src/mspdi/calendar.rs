//! `<Calendar>`: week days, exceptions (both MSPDI styles) and work weeks, into
//! [`regie_core::calendar`] terms.
//!
//! MSPDI has two ways to write exceptions. Project 2003 lists each as a `<WeekDay>` with
//! `DayType` 0 and a `<TimePeriod>`; Project 2007 and later write `<Exceptions>`, whose entries
//! can recur (daily, weekly, monthly, yearly), and *also* the old form, expanded, for older
//! readers. When `<Exceptions>` is there it is the one read (as MPXJ does), since it keeps the
//! recurrence and the names.
//!
//! A recurrence becomes a [`DateRule`] when one says exactly the same dates (every day of a
//! range, given weekdays every week, the same day every year); otherwise its dates are listed,
//! consecutive days merged into ranges. The dates follow MS Project's rules as MPXJ documents
//! them (weeks counted from the Sunday on or before the start, a day of the month past the
//! month's end meaning its last day, the finish date winning over the count of occurrences);
//! the tests check them against the expanded form MS Project writes beside them.
//!
//! Work weeks (Project 2007+: other working times between two dates) have no counterpart in
//! the model; each becomes exceptions ahead of the real ones, so that those still win.

use jiff::civil::{Date, DateTime, Weekday};
use regie_core::calendar::{DateRule, Exception, Shift, YearlyDay};
use regie_core::time::{date_of_day, day_number};

use super::error::{Failure, ReadErrorKind, Result};
use super::values::{read_bool, read_datetime, read_int, read_string, read_time};
use super::xml::{Cursor, Element};

/// At most this many dates are listed for recurring exceptions, over the whole file. MS Project
/// caps a recurrence at 999 occurrences; a calendar needing more is hostile or broken.
pub(super) const MAX_LISTED_DATES: usize = 100_000;

/// MS Project's default working times, for a working day given without times.
const DEFAULT_SHIFTS: [Shift; 2] = [Shift::new(8, 0, 12, 0), Shift::new(13, 0, 17, 0)];

#[derive(Debug, Default)]
pub(super) struct RawCalendar {
    pub offset: usize,
    pub uid: Option<(i64, usize)>,
    pub name: String,
    pub is_base: Option<bool>,
    pub base_uid: Option<i64>,
    pub week_days: Vec<RawWeekDay>,
    pub exceptions: Vec<RawException>,
    pub work_weeks: Vec<RawWorkWeek>,
}

#[derive(Debug, Default)]
pub(super) struct RawWeekDay {
    offset: usize,
    day_type: Option<i64>,
    working: Option<bool>,
    times: Option<Vec<RawWorkingTime>>,
    period: RawPeriod,
}

#[derive(Debug, Default)]
struct RawPeriod {
    from: Option<DateTime>,
    to: Option<DateTime>,
    /// Of `<ToDate>`, for an error about the range.
    to_offset: usize,
}

#[derive(Debug)]
struct RawWorkingTime {
    offset: usize,
    from: Option<u16>,
    to: Option<u16>,
}

#[derive(Debug, Default)]
pub(super) struct RawException {
    offset: usize,
    name: String,
    period: RawPeriod,
    occurrences: Option<i64>,
    kind: Option<i64>,
    every: Option<i64>,
    days_of_week: Option<i64>,
    month_item: Option<i64>,
    month_position: Option<i64>,
    month: Option<i64>,
    month_day: Option<i64>,
    working: Option<bool>,
    times: Option<Vec<RawWorkingTime>>,
}

#[derive(Debug, Default)]
pub(super) struct RawWorkWeek {
    name: String,
    period: RawPeriod,
    week_days: Vec<RawWeekDay>,
}

pub(super) fn read_calendar(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<RawCalendar> {
    let mut raw = RawCalendar {
        offset: element.offset,
        ..RawCalendar::default()
    };
    while let Some(child) = cursor.next_child(element)? {
        match child.name {
            "UID" => raw.uid = read_int(cursor, &child)?.map(|uid| (uid, child.offset)),
            "Name" => raw.name = read_string(cursor, &child)?,
            "IsBaseCalendar" => raw.is_base = read_bool(cursor, &child)?,
            "BaseCalendarUID" => raw.base_uid = read_int(cursor, &child)?,
            "WeekDays" => {
                cursor.read_list(&child, "WeekDay", &mut raw.week_days, read_week_day)?;
            }
            "Exceptions" => {
                cursor.read_list(&child, "Exception", &mut raw.exceptions, read_exception)?;
            }
            "WorkWeeks" => {
                cursor.read_list(&child, "WorkWeek", &mut raw.work_weeks, read_work_week)?;
            }
            _ => cursor.skip(&child)?,
        }
    }
    Ok(raw)
}

fn read_week_day(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<RawWeekDay> {
    let mut raw = RawWeekDay {
        offset: element.offset,
        ..RawWeekDay::default()
    };
    while let Some(child) = cursor.next_child(element)? {
        match child.name {
            "DayType" => raw.day_type = read_int(cursor, &child)?,
            "DayWorking" => raw.working = read_bool(cursor, &child)?,
            "WorkingTimes" => raw.times = Some(read_working_times(cursor, &child)?),
            "TimePeriod" => raw.period = read_period(cursor, &child)?,
            _ => cursor.skip(&child)?,
        }
    }
    Ok(raw)
}

fn read_working_times(
    cursor: &mut Cursor<'_>,
    element: &Element<'_>,
) -> Result<Vec<RawWorkingTime>> {
    let mut times = Vec::new();
    while let Some(time) = cursor.next_child(element)? {
        if time.name != "WorkingTime" {
            cursor.skip(&time)?;
            continue;
        }
        let mut raw = RawWorkingTime {
            offset: time.offset,
            from: None,
            to: None,
        };
        while let Some(child) = cursor.next_child(&time)? {
            match child.name {
                "FromTime" => raw.from = read_time(cursor, &child)?,
                "ToTime" => raw.to = read_time(cursor, &child)?,
                _ => cursor.skip(&child)?,
            }
        }
        times.push(raw);
    }
    Ok(times)
}

fn read_period(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<RawPeriod> {
    let mut period = RawPeriod {
        to_offset: element.offset,
        ..RawPeriod::default()
    };
    while let Some(child) = cursor.next_child(element)? {
        match child.name {
            "FromDate" => period.from = read_datetime(cursor, &child)?,
            "ToDate" => {
                period.to = read_datetime(cursor, &child)?;
                period.to_offset = child.offset;
            }
            _ => cursor.skip(&child)?,
        }
    }
    Ok(period)
}

fn read_exception(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<RawException> {
    let mut raw = RawException {
        offset: element.offset,
        ..RawException::default()
    };
    while let Some(child) = cursor.next_child(element)? {
        let int = match child.name {
            "Occurrences" => &mut raw.occurrences,
            "Type" => &mut raw.kind,
            "Period" => &mut raw.every,
            "DaysOfWeek" => &mut raw.days_of_week,
            "MonthItem" => &mut raw.month_item,
            "MonthPosition" => &mut raw.month_position,
            "Month" => &mut raw.month,
            "MonthDay" => &mut raw.month_day,
            "Name" => {
                raw.name = read_string(cursor, &child)?;
                continue;
            }
            "TimePeriod" => {
                raw.period = read_period(cursor, &child)?;
                continue;
            }
            "DayWorking" => {
                raw.working = read_bool(cursor, &child)?;
                continue;
            }
            "WorkingTimes" => {
                raw.times = Some(read_working_times(cursor, &child)?);
                continue;
            }
            _ => {
                cursor.skip(&child)?;
                continue;
            }
        };
        *int = read_int(cursor, &child)?;
    }
    Ok(raw)
}

fn read_work_week(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<RawWorkWeek> {
    let mut raw = RawWorkWeek::default();
    while let Some(child) = cursor.next_child(element)? {
        match child.name {
            "Name" => raw.name = read_string(cursor, &child)?,
            "TimePeriod" => raw.period = read_period(cursor, &child)?,
            "WeekDays" => {
                cursor.read_list(&child, "WeekDay", &mut raw.week_days, read_week_day)?;
            }
            _ => cursor.skip(&child)?,
        }
    }
    Ok(raw)
}

/// The week (Monday first; `None` where the calendar says nothing) and the exceptions of a
/// calendar. `listed` counts the dates listed so far in the file, against [`MAX_LISTED_DATES`].
#[allow(clippy::type_complexity)]
pub(super) fn resolve(
    raw: &RawCalendar,
    listed: &mut usize,
) -> Result<([Option<Vec<Shift>>; 7], Vec<Exception>)> {
    let mut week: [Option<Vec<Shift>>; 7] = Default::default();
    let mut exceptions = Vec::new();
    for work_week in &raw.work_weeks {
        work_week_exceptions(work_week, &mut exceptions)?;
    }
    // With `<Exceptions>` present, the `DayType` 0 days are its expansion for older readers.
    let old_style_exceptions = raw.exceptions.is_empty();
    for day in &raw.week_days {
        match day.day_type {
            Some(0) if old_style_exceptions => {
                let Some((from, to)) = day_range(&day.period)? else {
                    continue;
                };
                exceptions.push(Exception {
                    name: String::new(),
                    dates: DateRule::Range { from, to },
                    shifts: day_shifts(day.working, day.times.as_deref())?,
                });
            }
            Some(day_type @ 1..=7) => {
                week[week_index(day_type)] = Some(day_shifts(day.working, day.times.as_deref())?);
            }
            Some(0) => {}
            Some(other) => {
                return Err(Failure::new(
                    day.offset,
                    ReadErrorKind::Invalid {
                        element: "DayType".to_owned(),
                        value: other.to_string(),
                        expected: "0 (an exception) or 1-7 (Sunday to Saturday)",
                    },
                ));
            }
            None => {}
        }
    }
    for exception in &raw.exceptions {
        let Some((from, to)) = exception_window(exception)? else {
            continue;
        };
        let shifts = day_shifts(exception.working, exception.times.as_deref())?;
        for dates in exception_rules(exception, from, to, listed)? {
            exceptions.push(Exception {
                name: exception.name.clone(),
                dates,
                shifts: shifts.clone(),
            });
        }
    }
    Ok((week, exceptions))
}

/// `DayType` 1 (Sunday) to 7 (Saturday) as an index into a Monday-first week.
fn week_index(day_type: i64) -> usize {
    ((day_type + 5) % 7) as usize
}

/// The shifts of a day: none when it is not worked, the default times for a working day given
/// without times. A `ToTime` of midnight ends the day.
fn day_shifts(working: Option<bool>, times: Option<&[RawWorkingTime]>) -> Result<Vec<Shift>> {
    let times = times.unwrap_or_default();
    if working == Some(false) {
        return Ok(Vec::new());
    }
    if times.is_empty() {
        return Ok(if working == Some(true) {
            DEFAULT_SHIFTS.to_vec()
        } else {
            Vec::new()
        });
    }
    let mut shifts = Vec::with_capacity(times.len());
    for time in times {
        let (Some(start), Some(end)) = (time.from, time.to) else {
            continue;
        };
        let end = if end == 0 { 1440 } else { end };
        if start >= end {
            return Err(Failure::new(
                time.offset,
                ReadErrorKind::Invalid {
                    element: "WorkingTime".to_owned(),
                    value: format!(
                        "{:02}:{:02}-{:02}:{:02}",
                        start / 60,
                        start % 60,
                        end / 60,
                        end % 60
                    ),
                    expected: "a FromTime before the ToTime (a ToTime of 00:00:00 is midnight)",
                },
            ));
        }
        shifts.push(Shift { start, end });
    }
    Ok(shifts)
}

/// The dates of a `<TimePeriod>`: a missing end is the start's day (MPXJ skips periods with
/// neither, as MS Project is said to).
fn day_range(period: &RawPeriod) -> Result<Option<(Date, Date)>> {
    let (from, to) = match (period.from, period.to) {
        (Some(from), Some(to)) => (from.date(), to.date()),
        (Some(only), None) | (None, Some(only)) => (only.date(), only.date()),
        (None, None) => return Ok(None),
    };
    if to < from {
        return Err(Failure::new(
            period.to_offset,
            ReadErrorKind::Invalid {
                element: "ToDate".to_owned(),
                value: to.to_string(),
                expected: "a date not before the FromDate",
            },
        ));
    }
    Ok(Some((from, to)))
}

/// The start and (when given) the end date of an exception.
fn exception_window(exception: &RawException) -> Result<Option<(Date, Option<Date>)>> {
    let Some(from) = exception.period.from else {
        // Without a start there is nothing to place (MPXJ and MS Project ignore these).
        return Ok(None);
    };
    let from = from.date();
    let to = exception.period.to.map(|to| to.date());
    if let Some(to) = to
        && to < from
    {
        return Err(Failure::new(
            exception.period.to_offset,
            ReadErrorKind::Invalid {
                element: "ToDate".to_owned(),
                value: to.to_string(),
                expected: "a date not before the FromDate",
            },
        ));
    }
    Ok(Some((from, to)))
}

fn work_week_exceptions(work_week: &RawWorkWeek, exceptions: &mut Vec<Exception>) -> Result<()> {
    let Some((from, to)) = day_range(&work_week.period)? else {
        return Ok(());
    };
    // One exception per distinct set of shifts, over the weekdays that have it. Days the work
    // week leaves out keep the calendar's own week.
    let mut groups: Vec<(Vec<Shift>, Vec<Weekday>)> = Vec::new();
    for day in &work_week.week_days {
        let Some(day_type @ 1..=7) = day.day_type else {
            continue;
        };
        let shifts = day_shifts(day.working, day.times.as_deref())?;
        let weekday = sunday_based(day_type - 1);
        match groups.iter_mut().find(|(s, _)| *s == shifts) {
            Some((_, days)) => days.push(weekday),
            None => groups.push((shifts, vec![weekday])),
        }
    }
    for (shifts, mut weekdays) in groups {
        weekdays.sort_by_key(|w| w.to_monday_zero_offset());
        exceptions.push(Exception {
            name: work_week.name.clone(),
            dates: DateRule::Weekly { weekdays, from, to },
            shifts,
        });
    }
    Ok(())
}

/// 0 = Sunday … 6 = Saturday.
fn sunday_based(offset: i64) -> Weekday {
    Weekday::from_sunday_zero_offset(offset.rem_euclid(7) as i8).unwrap_or(Weekday::Sunday)
}

/// Which days of a month an `<Exception>` names: `MonthItem` 0 any day, 1 a weekday, 2 a
/// weekend day, 3–9 Sunday to Saturday; `MonthPosition` 0–3 the first to fourth, 4 the last.
#[derive(Clone, Copy, Debug)]
struct MonthSlot {
    /// 1–4, or -1 for the last.
    nth: i8,
    item: i64,
}

impl MonthSlot {
    fn new(exception: &RawException) -> Result<MonthSlot> {
        let item = exception.month_item.unwrap_or(0);
        let position = exception.month_position.unwrap_or(0);
        if !(0..=9).contains(&item) {
            return Err(invalid_field(exception, "MonthItem", item, "0-9"));
        }
        let nth = match position {
            0..=3 => position as i8 + 1,
            4 => -1,
            _ => return Err(invalid_field(exception, "MonthPosition", position, "0-4")),
        };
        Ok(MonthSlot { nth, item })
    }

    fn matches(self, date: Date) -> bool {
        let sunday_offset = i64::from(date.weekday().to_sunday_zero_offset());
        match self.item {
            0 => true,
            1 => (1..=5).contains(&sunday_offset),
            2 => sunday_offset == 0 || sunday_offset == 6,
            item => sunday_offset == item - 3,
        }
    }

    /// The weekday, when the slot names one.
    fn weekday(self) -> Option<Weekday> {
        (self.item >= 3).then(|| sunday_based(self.item - 3))
    }

    /// The slot's date in the month of `first` (the 1st of a month).
    fn in_month(self, first: Date) -> Option<Date> {
        let first_day = day_number(first);
        let days = i64::from(first.days_in_month());
        let mut matching = (0..days)
            .map(|d| date_of_day(first_day + d))
            .filter(|d| self.matches(*d));
        if self.nth < 0 {
            matching.next_back()
        } else {
            matching.nth(self.nth as usize - 1)
        }
    }
}

fn invalid_field(
    exception: &RawException,
    element: &str,
    value: i64,
    expected: &'static str,
) -> Failure {
    Failure::new(
        exception.offset,
        ReadErrorKind::Invalid {
            element: element.to_owned(),
            value: value.to_string(),
            expected,
        },
    )
}

/// The date rules covering exactly the dates of `exception`.
fn exception_rules(
    exception: &RawException,
    from: Date,
    to: Option<Date>,
    listed: &mut usize,
) -> Result<Vec<DateRule>> {
    let every = exception.every.unwrap_or(1).max(1);
    // The finish date wins over the count of occurrences, as in MPXJ; the count (at least one)
    // ends recurrences saved without a finish.
    let end = match to {
        Some(to) => End::Date(to),
        None => End::Count(exception.occurrences.unwrap_or(1).clamp(1, i64::MAX) as usize),
    };
    let mut dates = Dates {
        end,
        dates: Vec::new(),
        listed,
        offset: exception.offset,
    };
    match exception.kind.unwrap_or(1) {
        // 1 and 7: daily (7 written with a period); 0 and unknown types: a plain range (MPXJ).
        1 | 7 if every > 1 => {
            let mut day = day_number(from);
            while dates.wants(date_of_day(day))? {
                dates.push(date_of_day(day));
                day += every;
            }
        }
        2 | 3 => return yearly(exception, from, dates),
        4 => {
            let day_of_month = exception.month_day.unwrap_or(1);
            if !(1..=31).contains(&day_of_month) {
                return Err(invalid_field(exception, "MonthDay", day_of_month, "1-31"));
            }
            // The first month is the start's, or the next one when the day is already past.
            let mut month = Some(from.first_of_month());
            if i64::from(from.day()) > day_of_month {
                month = month.and_then(|m| add_months(m, 1));
            }
            while let Some(first) = month {
                let date = clamp_day(first, day_of_month);
                if !dates.wants(date)? {
                    break;
                }
                dates.push(date);
                month = add_months(first, every);
            }
        }
        5 => {
            let slot = MonthSlot::new(exception)?;
            let mut month = Some(from.first_of_month());
            while let Some(first) = month {
                let Some(date) = slot.in_month(first) else {
                    break;
                };
                if date >= from {
                    if !dates.wants(date)? {
                        break;
                    }
                    dates.push(date);
                } else if dates.past_end(date) {
                    break;
                }
                month = add_months(first, every);
            }
        }
        6 => {
            let mask = exception.days_of_week.unwrap_or(0);
            let weekdays: Vec<Weekday> = (0..7)
                .filter(|bit| mask & (1 << bit) != 0)
                .map(sunday_based)
                .collect();
            if weekdays.is_empty() {
                return Ok(Vec::new());
            }
            if every == 1
                && let Some(to) = to
            {
                return Ok(vec![DateRule::Weekly {
                    weekdays: monday_first(weekdays),
                    from,
                    to,
                }]);
            }
            // Weeks run from the Sunday on or before the start; days before it are not counted.
            let mut week_start =
                day_number(from) - i64::from(from.weekday().to_sunday_zero_offset());
            'weeks: loop {
                for d in 0..7 {
                    let date = date_of_day(week_start + d);
                    if !weekdays.contains(&date.weekday()) || date < from {
                        continue;
                    }
                    if !dates.wants(date)? {
                        break 'weeks;
                    }
                    dates.push(date);
                }
                week_start += 7 * every;
            }
            if every == 1
                && let (Some(first), Some(last)) = (dates.dates.first(), dates.dates.last())
            {
                return Ok(vec![DateRule::Weekly {
                    weekdays: monday_first(weekdays),
                    from: *first,
                    to: *last,
                }]);
            }
        }
        _ => {
            let to = match to {
                Some(to) => to,
                None => date_of_day(day_number(from) + dates.count_limit() as i64 - 1),
            };
            return Ok(vec![DateRule::Range { from, to }]);
        }
    }
    Ok(merge_into_ranges(&dates.dates))
}

/// Yearly recurrences (`Type` 2: a day of a month; 3: the n-th weekday of a month). `Month` is
/// 0-based.
fn yearly(exception: &RawException, from: Date, mut dates: Dates<'_>) -> Result<Vec<DateRule>> {
    let month = exception.month.unwrap_or(0);
    if !(0..=11).contains(&month) {
        return Err(invalid_field(
            exception,
            "Month",
            month,
            "0-11 (January to December)",
        ));
    }
    let month = month as i8 + 1;
    let absolute = exception.kind == Some(2);
    let (day_of_month, slot) = if absolute {
        let day = exception.month_day.unwrap_or(1);
        if !(1..=31).contains(&day) {
            return Err(invalid_field(exception, "MonthDay", day, "1-31"));
        }
        (day, None)
    } else {
        (0, Some(MonthSlot::new(exception)?))
    };
    let mut clamped = false;
    let mut year = from.year();
    loop {
        let Ok(first) = Date::new(year, month, 1) else {
            break;
        };
        let date = match slot {
            None => {
                let date = clamp_day(first, day_of_month);
                clamped |= i64::from(date.day()) != day_of_month;
                date
            }
            Some(slot) => match slot.in_month(first) {
                Some(date) => date,
                None => break,
            },
        };
        if date >= from {
            if !dates.wants(date)? {
                break;
            }
            dates.push(date);
        }
        year += 1;
    }
    let (Some(first), Some(last)) = (dates.dates.first(), dates.dates.last()) else {
        return Ok(Vec::new());
    };
    // One date in each year from the first to the last: a yearly rule says exactly that, unless
    // a day of the month had to be moved to a short month's end (the rule would skip it).
    let day = match slot {
        None if !clamped => Some(YearlyDay::Day(day_of_month as i8)),
        Some(slot) => slot.weekday().map(|weekday| YearlyDay::Nth {
            n: slot.nth,
            weekday,
        }),
        None => None,
    };
    if let Some(day) = day {
        return Ok(vec![DateRule::Yearly {
            month,
            day,
            from_year: Some(first.year()),
            to_year: Some(last.year()),
        }]);
    }
    Ok(merge_into_ranges(&dates.dates))
}

fn monday_first(mut weekdays: Vec<Weekday>) -> Vec<Weekday> {
    weekdays.sort_by_key(|w| w.to_monday_zero_offset());
    weekdays
}

/// Day `day` of the month of `first`, or the month's last day when it is shorter.
fn clamp_day(first: Date, day: i64) -> Date {
    let last = i64::from(first.days_in_month());
    date_of_day(day_number(first) + day.min(last) - 1)
}

/// The first of the month `months` after the month of `first`; `None` past the last year a
/// date can have.
fn add_months(first: Date, months: i64) -> Option<Date> {
    let index = i64::from(first.year()) * 12 + i64::from(first.month()) - 1 + months;
    let year = i16::try_from(index.div_euclid(12)).ok()?;
    let month = index.rem_euclid(12) as i8 + 1;
    Date::new(year, month, 1).ok()
}

/// Sorted dates into ranges of consecutive days.
fn merge_into_ranges(dates: &[Date]) -> Vec<DateRule> {
    let mut rules: Vec<DateRule> = Vec::new();
    for &date in dates {
        if let Some(DateRule::Range { to, .. }) = rules.last_mut()
            && day_number(*to) + 1 == day_number(date)
        {
            *to = date;
            continue;
        }
        rules.push(DateRule::Range {
            from: date,
            to: date,
        });
    }
    rules
}

enum End {
    Date(Date),
    Count(usize),
}

/// The dates of one recurrence as they are found, with its end and the file's budget.
struct Dates<'l> {
    end: End,
    dates: Vec<Date>,
    listed: &'l mut usize,
    offset: usize,
}

impl Dates<'_> {
    /// Whether `date` (the next candidate, in order) is still part of the recurrence.
    fn wants(&mut self, date: Date) -> Result<bool> {
        let wanted = match self.end {
            End::Date(to) => date <= to,
            End::Count(count) => self.dates.len() < count,
        };
        if wanted && *self.listed >= MAX_LISTED_DATES {
            return Err(Failure::new(
                self.offset,
                ReadErrorKind::TooManyOccurrences {
                    limit: MAX_LISTED_DATES,
                },
            ));
        }
        Ok(wanted)
    }

    fn past_end(&self, date: Date) -> bool {
        matches!(self.end, End::Date(to) if date > to)
    }

    fn count_limit(&self) -> usize {
        match self.end {
            End::Count(count) => count.min(MAX_LISTED_DATES),
            End::Date(_) => 1,
        }
    }

    fn push(&mut self, date: Date) {
        *self.listed += 1;
        self.dates.push(date);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    fn rules(exception: RawException, from: Date, to: Option<Date>) -> Vec<DateRule> {
        let mut listed = 0;
        exception_rules(&exception, from, to, &mut listed).unwrap()
    }

    fn ranges(dates: &[(i16, i8, i8)]) -> Vec<DateRule> {
        merge_into_ranges(
            &dates
                .iter()
                .map(|&(y, m, d)| date(y, m, d))
                .collect::<Vec<_>>(),
        )
    }

    /// The cases of MS Project's own `calendar-recurring-exceptions` files, with the dates it
    /// expanded them to.
    #[test]
    fn recurrences_expand_to_ms_projects_dates() {
        let daily = RawException {
            kind: Some(7),
            every: Some(3),
            ..Default::default()
        };
        assert_eq!(
            rules(daily, date(2000, 2, 1), Some(date(2000, 2, 10))),
            ranges(&[(2000, 2, 1), (2000, 2, 4), (2000, 2, 7), (2000, 2, 10)])
        );
        let every_second_tuesday = RawException {
            kind: Some(6),
            every: Some(2),
            days_of_week: Some(4),
            ..Default::default()
        };
        assert_eq!(
            rules(
                every_second_tuesday,
                date(2001, 1, 1),
                Some(date(2001, 2, 13))
            ),
            ranges(&[(2001, 1, 2), (2001, 1, 16), (2001, 1, 30), (2001, 2, 13)])
        );
        let third_wednesday_every_4_months = RawException {
            kind: Some(5),
            every: Some(4),
            month_item: Some(6),
            month_position: Some(2),
            ..Default::default()
        };
        assert_eq!(
            rules(
                third_wednesday_every_4_months,
                date(2002, 1, 1),
                Some(date(2003, 5, 21))
            ),
            ranges(&[
                (2002, 1, 16),
                (2002, 5, 15),
                (2002, 9, 18),
                (2003, 1, 15),
                (2003, 5, 21)
            ])
        );
        let fourth_of_every_5_months = RawException {
            kind: Some(4),
            every: Some(5),
            month_day: Some(4),
            ..Default::default()
        };
        assert_eq!(
            rules(fourth_of_every_5_months, date(2003, 1, 1), None),
            ranges(&[(2003, 1, 4)])
        );
        let second_of_march = RawException {
            kind: Some(2),
            month: Some(2),
            month_day: Some(2),
            ..Default::default()
        };
        assert_eq!(
            rules(second_of_march, date(2005, 1, 1), Some(date(2008, 3, 2))),
            vec![DateRule::Yearly {
                month: 3,
                day: YearlyDay::Day(2),
                from_year: Some(2005),
                to_year: Some(2008),
            }]
        );
        let last_thursday_of_may = RawException {
            kind: Some(3),
            month: Some(4),
            month_item: Some(7),
            month_position: Some(4),
            ..Default::default()
        };
        assert_eq!(
            rules(
                last_thursday_of_may,
                date(2004, 6, 1),
                Some(date(2009, 5, 21))
            ),
            vec![DateRule::Yearly {
                month: 5,
                day: YearlyDay::Nth {
                    n: -1,
                    weekday: Weekday::Thursday,
                },
                from_year: Some(2005),
                to_year: Some(2008),
            }]
        );
    }

    #[test]
    fn exact_rules_when_they_exist_and_listed_dates_otherwise() {
        let fridays = RawException {
            kind: Some(6),
            days_of_week: Some(32 | 2),
            occurrences: Some(3),
            ..Default::default()
        };
        // Monday and Friday from a Wednesday, three times: Fri, Mon, Fri.
        assert_eq!(
            rules(fridays, date(2027, 1, 6), None),
            vec![DateRule::Weekly {
                weekdays: vec![Weekday::Monday, Weekday::Friday],
                from: date(2027, 1, 8),
                to: date(2027, 1, 15),
            }]
        );
        let leap_day = RawException {
            kind: Some(2),
            month: Some(1),
            month_day: Some(29),
            ..Default::default()
        };
        // A 29 February every year falls back to the 28th in other years, as in MS Project.
        assert_eq!(
            rules(leap_day, date(2027, 1, 1), Some(date(2028, 12, 31))),
            ranges(&[(2027, 2, 28), (2028, 2, 29)])
        );
        let plain = RawException {
            kind: Some(1),
            occurrences: Some(3),
            ..Default::default()
        };
        assert_eq!(
            rules(plain, date(2027, 12, 30), None),
            vec![DateRule::Range {
                from: date(2027, 12, 30),
                to: date(2028, 1, 1),
            }]
        );
    }

    #[test]
    fn listing_is_bounded() {
        let every_other_day = RawException {
            kind: Some(7),
            every: Some(2),
            ..Default::default()
        };
        let mut listed = 0;
        let failure = exception_rules(
            &every_other_day,
            date(1000, 1, 1),
            Some(date(9000, 1, 1)),
            &mut listed,
        )
        .unwrap_err();
        assert!(matches!(
            failure.kind,
            ReadErrorKind::TooManyOccurrences { .. }
        ));
    }
}
