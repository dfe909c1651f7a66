//! The small languages inside KDL strings: dates, durations, lags, money, percentages, shifts,
//! weekday lists and yearly dates — read and written.
//!
//! Readers take the text of one value and return the model's type or a [`Bad`] (message and
//! hint) that the caller places at the value's span. Writers return the shortest text that reads
//! back to the same value. No KDL and no spans here.

use jiff::civil::{Date, DateTime, Time, Weekday};
use regie_core::calendar::{Shift, YearlyDay};
use regie_core::{ConstraintKind, Duration, Lag, Money, Units};

/// Why a value could not be read: a message for the header and a hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bad {
    pub message: String,
    pub help: String,
}

fn bad(message: impl Into<String>, help: impl Into<String>) -> Bad {
    Bad {
        message: message.into(),
        help: help.into(),
    }
}

pub(crate) const DATE_HELP: &str = "dates look like 2027-01-04, date-times like 2027-01-04T08:00";
pub(crate) const DURATION_HELP: &str =
    "durations look like 5d, 4h, 30m, 2w, 1mo, 3ed (elapsed days), 1.5d";
pub(crate) const LAG_HELP: &str = "lags look like 2d, 4h, -1d (a lead), 3ed (elapsed days) or 50% (of the predecessor's duration)";

/// Durations and lags beyond this many minutes (20 years on the clock) are refused: they are
/// typing mistakes, and they would make the engine build calendars over centuries.
pub(crate) const MAX_MINUTES: i64 = 20 * 366 * 1440;

// ---------------------------------------------------------------------------------------------
// Dates

/// Which edge of a day a date without a time stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Edge {
    /// 00:00 of that day: starts, status date, SNET/SNLT/MSO.
    Start,
    /// 00:00 of the next day, the end of that day: finishes, deadlines, FNET/FNLT/MFO.
    Finish,
}

/// The constraint kinds: the long name of the project file, the short one, the kind.
pub(crate) const CONSTRAINT_KINDS: &[(&str, &str, ConstraintKind)] = &[
    (
        "as-soon-as-possible",
        "asap",
        ConstraintKind::AsSoonAsPossible,
    ),
    (
        "as-late-as-possible",
        "alap",
        ConstraintKind::AsLateAsPossible,
    ),
    (
        "start-no-earlier-than",
        "snet",
        ConstraintKind::StartNoEarlierThan,
    ),
    (
        "start-no-later-than",
        "snlt",
        ConstraintKind::StartNoLaterThan,
    ),
    (
        "finish-no-earlier-than",
        "fnet",
        ConstraintKind::FinishNoEarlierThan,
    ),
    (
        "finish-no-later-than",
        "fnlt",
        ConstraintKind::FinishNoLaterThan,
    ),
    ("must-start-on", "mso", ConstraintKind::MustStartOn),
    ("must-finish-on", "mfo", ConstraintKind::MustFinishOn),
];

/// The edge of the day a constraint's date alone stands for, as MS Project reads it: the start
/// of the day for start constraints, its end for finish constraints.
pub(crate) fn constraint_edge(kind: ConstraintKind) -> Edge {
    match kind {
        ConstraintKind::FinishNoEarlierThan
        | ConstraintKind::FinishNoLaterThan
        | ConstraintKind::MustFinishOn => Edge::Finish,
        _ => Edge::Start,
    }
}

/// `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Result<Date, Bad> {
    let not_a_date = || bad(format!("`{text}` is not a date"), DATE_HELP);
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(not_a_date());
    }
    let year = digits(&text[0..4]).ok_or_else(not_a_date)?;
    let month = digits(&text[5..7]).ok_or_else(not_a_date)?;
    let day = digits(&text[8..10]).ok_or_else(not_a_date)?;
    make_date(text, year, month, day)
}

fn make_date(text: &str, year: u32, month: u32, day: u32) -> Result<Date, Bad> {
    if !(1..=12).contains(&month) {
        return Err(bad(
            format!("`{text}` is not a date: there is no month {month}"),
            DATE_HELP,
        ));
    }
    // Years are four digits, so they fit jiff's range; only the day can still be wrong.
    Date::new(year as i16, month as i8, day as i8).map_err(|_| {
        bad(
            format!(
                "`{text}` is not a date: {} {year} has no day {day}",
                regie_core::time::month_name(month as i8)
            ),
            DATE_HELP,
        )
    })
}

/// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`. A date alone is the start or the
/// end of that day, depending on `edge`.
pub(crate) fn parse_datetime(text: &str, edge: Edge) -> Result<DateTime, Bad> {
    let (date_text, time_text) = match text.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let date = parse_date(date_text).map_err(|mut e| {
        e.message = e
            .message
            .replace(&format!("`{date_text}`"), &format!("`{text}`"));
        e
    })?;
    let Some(time_text) = time_text else {
        return match edge {
            Edge::Start => Ok(date.to_datetime(Time::midnight())),
            Edge::Finish => date
                .tomorrow()
                .map(|d| d.to_datetime(Time::midnight()))
                .map_err(|_| bad(format!("`{text}` is out of range"), DATE_HELP)),
        };
    };
    let bad_time = || bad(format!("`{text}` is not a date-time"), DATE_HELP);
    let parts: Vec<&str> = time_text.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
        return Err(bad_time());
    }
    let hour = digits(parts[0]).ok_or_else(bad_time)?;
    let minute = digits(parts[1]).ok_or_else(bad_time)?;
    let second = match parts.get(2) {
        Some(s) => digits(s).ok_or_else(bad_time)?,
        None => 0,
    };
    if hour > 23 || minute > 59 || second > 59 {
        return Err(bad(
            format!("`{text}` is not a date-time: there is no time {time_text}"),
            "times go from 00:00 to 23:59; the end of a day is 00:00 of the next one",
        ));
    }
    Ok(date.to_datetime(Time::constant(hour as i8, minute as i8, second as i8, 0)))
}

pub(crate) fn format_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// The shortest text that [`parse_datetime`] reads back as `datetime` for this `edge`.
pub(crate) fn format_datetime(datetime: DateTime, edge: Edge) -> String {
    let time = datetime.time();
    if time == Time::midnight() {
        match edge {
            Edge::Start => return format_date(datetime.date()),
            Edge::Finish => {
                if let Ok(day) = datetime.date().yesterday() {
                    return format_date(day);
                }
            }
        }
    }
    format_instant(datetime)
}

/// Always with the time, `2027-01-15T00:00`: for messages that compare instants a date alone
/// would blur (the same date is a different instant as a start and as a finish).
pub(crate) fn format_instant(datetime: DateTime) -> String {
    let time = datetime.time();
    let mut text = format!(
        "{}T{:02}:{:02}",
        format_date(datetime.date()),
        time.hour(),
        time.minute()
    );
    if time.second() != 0 {
        text.push_str(&format!(":{:02}", time.second()));
    }
    text
}

fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Durations and lags

/// A decimal number as written: `mantissa / 10^scale`.
#[derive(Clone, Copy, Debug)]
struct Decimal {
    negative: bool,
    mantissa: i128,
    scale: u32,
}

/// Digits with an optional sign and fraction. At most 15 digits, so every product below fits
/// an `i128`.
fn parse_decimal(text: &str) -> Option<Decimal> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((i, f)) => (i, f),
        None => (unsigned, ""),
    };
    if int_part.is_empty()
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
        || (unsigned.contains('.') && frac_part.is_empty())
        || int_part.len() + frac_part.len() > 15
    {
        return None;
    }
    let mut mantissa: i128 = 0;
    for b in int_part.bytes().chain(frac_part.bytes()) {
        mantissa = mantissa * 10 + i128::from(b - b'0');
    }
    Some(Decimal {
        negative,
        mantissa,
        scale: frac_part.len() as u32,
    })
}

impl Decimal {
    /// `self × factor`, rounded half away from zero.
    fn times(self, factor: i64) -> i128 {
        let divisor = 10i128.pow(self.scale);
        let product = self.mantissa * i128::from(factor);
        let rounded = (product + divisor / 2) / divisor;
        if self.negative { -rounded } else { rounded }
    }

    fn is_integral(self) -> bool {
        self.mantissa % 10i128.pow(self.scale) == 0
    }
}

/// Minutes in one of `unit`, and whether the unit is elapsed.
fn unit_minutes(unit: &str, units: &Units) -> Option<(i64, bool)> {
    let day = i64::from(units.minutes_per_day);
    Some(match unit {
        "m" => (1, false),
        "h" => (60, false),
        "d" => (day, false),
        "w" => (i64::from(units.minutes_per_week), false),
        "mo" => (i64::from(units.days_per_month) * day, false),
        "em" => (1, true),
        "eh" => (60, true),
        "ed" => (1440, true),
        "ew" => (7 * 1440, true),
        "emo" => (30 * 1440, true),
        _ => return None,
    })
}

/// Splits `5.5d` into `5.5` and `d`.
fn split_number_unit(text: &str) -> (&str, &str) {
    let at = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(text.len(), |(i, _)| i);
    text.split_at(at)
}

/// What a duration may be at its place.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DurationRules {
    pub allow_negative: bool,
    pub allow_elapsed: bool,
}

/// `5d`, `1.5h`, `30m`, `2w`, `1mo`, `3ed`, ... Fractions of a minute are rounded.
pub(crate) fn parse_duration(
    text: &str,
    units: &Units,
    rules: DurationRules,
) -> Result<Duration, Bad> {
    let (number, unit) = split_number_unit(text.trim());
    let Some(decimal) = parse_decimal(number) else {
        return Err(bad(format!("`{text}` is not a duration"), DURATION_HELP));
    };
    if unit.starts_with(char::is_whitespace) {
        return Err(bad(
            format!("`{text}` has a space before its unit"),
            format!(
                "write the unit right after the number, like `{number}{}`",
                unit.trim().chars().next().unwrap_or('d')
            ),
        ));
    }
    if unit.is_empty() {
        return Err(bad(
            format!("`{text}` has no unit"),
            format!("add a unit: `{number}d` for days, `{number}h` for hours ({DURATION_HELP})"),
        ));
    }
    let Some((factor, elapsed)) = unit_minutes(unit, units) else {
        return Err(bad(
            format!("`{text}` has an unknown unit `{unit}`"),
            DURATION_HELP,
        ));
    };
    if elapsed && !rules.allow_elapsed {
        return Err(bad(
            format!("`{text}` is elapsed time; work is counted in working time"),
            "write it without the `e`, like 16h or 2d",
        ));
    }
    if decimal.negative && decimal.mantissa != 0 && !rules.allow_negative {
        return Err(bad(
            format!("`{text}` is negative"),
            "a duration is zero or more; only a link's lag can be negative (a lead)",
        ));
    }
    let minutes = decimal.times(factor);
    if minutes.abs() > i128::from(MAX_MINUTES) {
        return Err(bad(
            format!("`{text}` is longer than 20 years"),
            "is a unit wrong? 5d is five days, 5mo five months",
        ));
    }
    let minutes = minutes as i64;
    Ok(Duration { minutes, elapsed })
}

/// A lag: a duration (negative allowed) or a percentage of the predecessor's duration.
pub(crate) fn parse_lag(text: &str, units: &Units) -> Result<Lag, Bad> {
    if let Some(number) = text.trim().strip_suffix('%') {
        let Some(decimal) = parse_decimal(number).filter(|d| d.is_integral()) else {
            return Err(bad(format!("`{text}` is not a lag"), LAG_HELP));
        };
        let percent = decimal.times(1);
        return i32::try_from(percent)
            .ok()
            .filter(|p| p.abs() <= 100_000)
            .map(Lag::Percent)
            .ok_or_else(|| bad(format!("`{text}` is too large"), LAG_HELP));
    }
    let rules = DurationRules {
        allow_negative: true,
        allow_elapsed: true,
    };
    let duration = parse_duration(text, units, rules).map_err(|mut e| {
        if e.help == DURATION_HELP {
            e.help = LAG_HELP.to_owned();
        }
        e
    })?;
    Ok(if duration.elapsed {
        Lag::Elapsed(duration.minutes)
    } else {
        Lag::Working(duration.minutes)
    })
}

/// The simplest text that reads back exactly: whole days, whole hours, days with one decimal
/// (`1.5d`), hours with up to two (`3.75h`), else minutes; `e` before the unit when elapsed.
pub(crate) fn format_minutes(minutes: i64, elapsed: bool, units: &Units) -> String {
    let (day, prefix) = if elapsed {
        (1440, "e")
    } else {
        (i64::from(units.minutes_per_day), "")
    };
    if minutes == 0 {
        return format!("0{prefix}d");
    }
    let decimal = |value: i64, scale: i64, decimals: usize| {
        let sign = if value < 0 { "-" } else { "" };
        let abs = value.unsigned_abs();
        let scale = scale as u64;
        let fraction = format!("{:0decimals$}", abs % scale);
        format!("{sign}{}.{}", abs / scale, fraction.trim_end_matches('0'))
    };
    if day > 0 && minutes % day == 0 {
        format!("{}{prefix}d", minutes / day)
    } else if minutes % 60 == 0 {
        format!("{}{prefix}h", minutes / 60)
    } else if day > 0 && (minutes * 10) % day == 0 {
        format!("{}{prefix}d", decimal(minutes * 10 / day, 10, 1))
    } else if (minutes * 100) % 60 == 0 {
        format!("{}{prefix}h", decimal(minutes * 100 / 60, 100, 2))
    } else {
        format!("{minutes}{prefix}m")
    }
}

pub(crate) fn format_duration(duration: Duration, units: &Units) -> String {
    format_minutes(duration.minutes, duration.elapsed, units)
}

pub(crate) fn format_lag(lag: Lag, units: &Units) -> String {
    match lag {
        Lag::Working(minutes) => format_minutes(minutes, false, units),
        Lag::Elapsed(minutes) => format_minutes(minutes, true, units),
        Lag::Percent(percent) => format!("{percent}%"),
    }
}

// ---------------------------------------------------------------------------------------------
// Money and percentages

pub(crate) const MONEY_HELP: &str = "amounts look like 85, 85.5 or \"85.50\": at most two decimals";

/// A decimal amount in major units (`85.50`) to minor units (8550), exactly.
pub(crate) fn parse_money(text: &str) -> Result<Money, Bad> {
    let Some(decimal) = parse_decimal(text.trim()) else {
        return Err(bad(
            format!("`{text}` is not an amount of money"),
            MONEY_HELP,
        ));
    };
    if decimal.scale > 2 {
        return Err(bad(
            format!("`{text}` has more than two decimals"),
            MONEY_HELP,
        ));
    }
    if decimal.negative && decimal.mantissa != 0 {
        return Err(bad(
            format!("`{text}` is negative"),
            "rates and costs are zero or more",
        ));
    }
    // 15 digits at most, so this fits an i64.
    Ok(Money(decimal.times(100) as i64))
}

pub(crate) fn format_money(money: Money) -> String {
    let sign = if money.0 < 0 { "-" } else { "" };
    let abs = money.0.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

pub(crate) const PERCENT_HELP: &str =
    "write a whole percentage like \"50%\" or 50; 100% is one full-time person";
pub(crate) const PROGRESS_HELP: &str =
    "percent complete is a whole percentage from 0 to 100, like \"40%\" or 40";

/// `50%` or `50` (whole percent, zero or more, at most `max`). `help` is the hint for a bad one.
pub(crate) fn parse_percent(text: &str, max: u32, help: &str) -> Result<u32, Bad> {
    let number = text.trim().strip_suffix('%').unwrap_or(text.trim());
    let Some(decimal) = parse_decimal(number) else {
        return Err(bad(format!("`{text}` is not a percentage"), help));
    };
    if !decimal.is_integral() {
        return Err(bad(format!("`{text}` is not a whole percentage"), help));
    }
    let value = decimal.times(1);
    if value < 0 {
        return Err(bad(format!("`{text}` is negative"), help));
    }
    if value > i128::from(max) {
        return Err(bad(format!("`{text}` is more than {max}%"), help));
    }
    Ok(value as u32)
}

// ---------------------------------------------------------------------------------------------
// Calendars: shifts, weekdays, yearly dates

pub(crate) const SHIFT_HELP: &str =
    "working hours look like \"08:00-12:00\"; a day ends at \"24:00\"";

fn parse_clock(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (digits(h)?, digits(m)?);
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some((h * 60 + m) as u16)
}

pub(crate) fn parse_shift(text: &str) -> Result<Shift, Bad> {
    let not_a_shift = || bad(format!("`{text}` is not working hours"), SHIFT_HELP);
    let (start, end) = text.trim().split_once('-').ok_or_else(not_a_shift)?;
    let start = parse_clock(start.trim()).ok_or_else(not_a_shift)?;
    let end = parse_clock(end.trim()).ok_or_else(not_a_shift)?;
    if start >= end {
        return Err(bad(
            format!("`{text}` ends before it starts"),
            "a shift lies within one day; split a night shift into two days",
        ));
    }
    Ok(Shift { start, end })
}

pub(crate) fn format_shift(shift: Shift) -> String {
    format!(
        "{:02}:{:02}-{:02}:{:02}",
        shift.start / 60,
        shift.start % 60,
        shift.end / 60,
        shift.end % 60
    )
}

pub(crate) const DAYS_HELP: &str = "days look like \"mon\", \"mon-fri\" or \"mon,wed,fri\"";

pub(crate) const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

const DAY_NAMES: [(&str, &str); 7] = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

/// Monday = 0.
fn parse_weekday(text: &str) -> Option<usize> {
    let lower = text.trim().to_ascii_lowercase();
    DAY_NAMES
        .iter()
        .position(|(short, long)| lower == *short || lower == *long)
}

pub(crate) fn weekday_index(day: Weekday) -> usize {
    day.to_monday_zero_offset() as usize
}

/// `mon`, `mon-fri`, `mon,wed,fri`, `mon-wed,sat`: weekdays in the written order, no repeats.
pub(crate) fn parse_days(text: &str) -> Result<Vec<Weekday>, Bad> {
    let mut days: Vec<Weekday> = Vec::new();
    for item in text.split(',') {
        let range = match item.split_once('-') {
            Some((from, to)) => (parse_weekday(from), parse_weekday(to)),
            None => {
                let day = parse_weekday(item);
                (day, day)
            }
        };
        let (Some(from), Some(to)) = range else {
            return Err(bad(
                format!("`{}` is not a day of the week", item.trim()),
                DAYS_HELP,
            ));
        };
        if from > to {
            return Err(bad(
                format!("`{}` goes backwards", item.trim()),
                "weeks run from mon to sun: write \"sat,sun,mon\" rather than \"sat-mon\"",
            ));
        }
        for index in from..=to {
            let day = WEEKDAYS[index];
            if days.contains(&day) {
                return Err(bad(
                    format!("`{text}` names {} twice", DAY_NAMES[index].1),
                    DAYS_HELP,
                ));
            }
            days.push(day);
        }
    }
    Ok(days)
}

/// Day lists as [`parse_days`] reads them back in the same order: runs of three or more
/// consecutive days become ranges.
pub(crate) fn format_days(days: &[Weekday]) -> String {
    let indices: Vec<usize> = days.iter().map(|&d| weekday_index(d)).collect();
    let mut items: Vec<String> = Vec::new();
    let mut i = 0;
    while i < indices.len() {
        let mut j = i;
        while j + 1 < indices.len() && indices[j + 1] == indices[j] + 1 {
            j += 1;
        }
        if j - i >= 2 {
            items.push(format!(
                "{}-{}",
                DAY_NAMES[indices[i]].0, DAY_NAMES[indices[j]].0
            ));
        } else {
            for &index in &indices[i..=j] {
                items.push(DAY_NAMES[index].0.to_owned());
            }
        }
        i = j + 1;
    }
    items.join(",")
}

const MONTHS: [(&str, &str); 12] = [
    ("jan", "january"),
    ("feb", "february"),
    ("mar", "march"),
    ("apr", "april"),
    ("may", "may"),
    ("jun", "june"),
    ("jul", "july"),
    ("aug", "august"),
    ("sep", "september"),
    ("oct", "october"),
    ("nov", "november"),
    ("dec", "december"),
];

pub(crate) const YEARLY_HELP: &str =
    "yearly dates look like \"12-25\" (month-day), \"4th thu nov\" or \"last mon may\"";

/// `12-25` (a day of the month) or `4th thu nov`, `last mon may` (an n-th weekday).
pub(crate) fn parse_yearly(text: &str) -> Result<(i8, YearlyDay), Bad> {
    let not_yearly = || bad(format!("`{text}` is not a yearly date"), YEARLY_HELP);
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [month_day] => {
            let (month, day) = month_day.split_once('-').ok_or_else(not_yearly)?;
            if month.len() != 2 || day.len() != 2 {
                return Err(not_yearly());
            }
            let month = digits(month).ok_or_else(not_yearly)?;
            let day = digits(day).ok_or_else(not_yearly)?;
            if !(1..=12).contains(&month) {
                return Err(bad(
                    format!("`{text}`: there is no month {month}"),
                    YEARLY_HELP,
                ));
            }
            // A leap year, so that 02-29 is accepted: it is skipped in other years.
            if Date::new(2028, month as i8, day as i8).is_err() {
                return Err(bad(
                    format!(
                        "`{text}`: {} has no day {day}",
                        regie_core::time::month_name(month as i8)
                    ),
                    YEARLY_HELP,
                ));
            }
            Ok((month as i8, YearlyDay::Day(day as i8)))
        }
        [nth, weekday, month] => {
            let n = match nth.to_ascii_lowercase().as_str() {
                "1st" | "first" => 1,
                "2nd" | "second" => 2,
                "3rd" | "third" => 3,
                "4th" | "fourth" => 4,
                "last" => -1,
                _ => {
                    return Err(bad(
                        format!("`{nth}` is not 1st, 2nd, 3rd, 4th or last"),
                        YEARLY_HELP,
                    ));
                }
            };
            let weekday = parse_weekday(weekday)
                .ok_or_else(|| bad(format!("`{weekday}` is not a day of the week"), YEARLY_HELP))?;
            let lower = month.to_ascii_lowercase();
            let month = MONTHS
                .iter()
                .position(|(short, long)| lower == *short || lower == *long)
                .ok_or_else(|| bad(format!("`{month}` is not a month"), YEARLY_HELP))?;
            Ok((
                month as i8 + 1,
                YearlyDay::Nth {
                    n,
                    weekday: WEEKDAYS[weekday],
                },
            ))
        }
        _ => Err(not_yearly()),
    }
}

pub(crate) fn format_yearly(month: i8, day: YearlyDay) -> String {
    match day {
        YearlyDay::Day(day) => format!("{month:02}-{day:02}"),
        YearlyDay::Nth { n, weekday } => {
            let nth = match n {
                1 => "1st".to_owned(),
                2 => "2nd".to_owned(),
                3 => "3rd".to_owned(),
                -1 => "last".to_owned(),
                n => format!("{n}th"),
            };
            let month = MONTHS
                .get((month as usize).wrapping_sub(1))
                .map_or("?", |m| m.0);
            format!("{nth} {} {month}", DAY_NAMES[weekday_index(weekday)].0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: DurationRules = DurationRules {
        allow_negative: false,
        allow_elapsed: true,
    };

    #[test]
    fn durations_use_the_project_units() {
        let units = Units::default();
        let minutes = |text| parse_duration(text, &units, RULES).map(|d| (d.minutes, d.elapsed));
        assert_eq!(minutes("5d"), Ok((2400, false)));
        assert_eq!(minutes("1.5d"), Ok((720, false)));
        assert_eq!(minutes("2w"), Ok((4800, false)));
        assert_eq!(minutes("1mo"), Ok((9600, false)));
        assert_eq!(minutes("3ed"), Ok((4320, true)));
        assert_eq!(minutes("0.01h"), Ok((1, false)));
        let short_days = Units {
            minutes_per_day: 450,
            ..Units::default()
        };
        assert_eq!(
            parse_duration("2d", &short_days, RULES).map(|d| d.minutes),
            Ok(900)
        );
        assert!(minutes("5").is_err());
        assert!(minutes("5x").is_err());
        assert!(minutes("-1d").is_err());
        assert!(minutes("99999999999999d").is_err());
        assert!(minutes("1.d").is_err());
    }

    #[test]
    fn lags_read_back_what_they_print() {
        let units = Units::default();
        for lag in [
            Lag::Working(0),
            Lag::Working(-480),
            Lag::Working(90),
            Lag::Working(120),
            Lag::Working(-675),
            Lag::Working(225),
            Lag::Working(45),
            Lag::Working(7),
            Lag::Elapsed(4320),
            Lag::Elapsed(61),
            Lag::Percent(-25),
        ] {
            assert_eq!(parse_lag(&format_lag(lag, &units), &units), Ok(lag));
        }
    }

    #[test]
    fn money_is_exact() {
        assert_eq!(parse_money("85.00"), Ok(Money(8500)));
        assert_eq!(parse_money("85.5"), Ok(Money(8550)));
        assert_eq!(parse_money("0.07"), Ok(Money(7)));
        assert_eq!(parse_money("123456789012.34"), Ok(Money(12345678901234)));
        assert!(parse_money("1.005").is_err());
        assert!(parse_money("-3").is_err());
        assert_eq!(format_money(Money(8550)), "85.50");
    }

    #[test]
    fn dates_take_the_edge_of_the_day() {
        let start = parse_datetime("2027-01-04", Edge::Start).unwrap();
        let finish = parse_datetime("2027-01-04", Edge::Finish).unwrap();
        assert_eq!(start.to_string(), "2027-01-04T00:00:00");
        assert_eq!(finish.to_string(), "2027-01-05T00:00:00");
        assert_eq!(format_datetime(finish, Edge::Finish), "2027-01-04");
        assert_eq!(format_datetime(finish, Edge::Start), "2027-01-05");
        assert!(parse_datetime("2027-02-29", Edge::Start).is_err());
        assert!(parse_datetime("2027-01-04T24:00", Edge::Start).is_err());
        assert!(parse_datetime("9999-12-31", Edge::Finish).is_err());
    }

    #[test]
    fn day_lists_keep_their_order() {
        for text in ["mon-fri", "sat,sun", "fri,mon", "mon-wed,fri", "sun"] {
            assert_eq!(format_days(&parse_days(text).unwrap()), text);
        }
        assert!(parse_days("fri-mon").is_err());
        assert!(parse_days("mon,mon").is_err());
    }

    #[test]
    fn yearly_dates() {
        for text in [
            "12-25",
            "02-29",
            "4th thu nov",
            "last mon may",
            "1st sun jan",
        ] {
            let (month, day) = parse_yearly(text).unwrap();
            assert_eq!(format_yearly(month, day), text);
        }
        assert!(parse_yearly("02-30").is_err());
        assert!(parse_yearly("5th mon may").is_err());
    }
}
