//! The value types of MSPDI elements: integers, decimals, booleans, local date-times
//! (`2027-03-01T08:00:00`), times of day (`08:00:00`) and XML durations (`PT8H0M0S`).
//!
//! Each `read_*` function consumes the element and reports a value it cannot read as an error
//! naming the element, its text and what was expected.

use jiff::civil::DateTime;

use super::error::{Failure, ReadErrorKind, Result};
use super::xml::{Cursor, Element};

fn invalid(element: &Element<'_>, value: &str, expected: &'static str) -> Failure {
    Failure::new(
        element.offset,
        ReadErrorKind::Invalid {
            element: element.name.to_owned(),
            value: value.to_owned(),
            expected,
        },
    )
}

pub(super) fn read_string(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<String> {
    Ok(cursor.text(element)?.into_owned())
}

/// The element's text parsed by `parse`; `None` when it is empty (`<Deadline/>`), which some
/// writers use for "no value".
fn read_with<T>(
    cursor: &mut Cursor<'_>,
    element: &Element<'_>,
    parse: impl FnOnce(&str) -> Option<T>,
    expected: &'static str,
) -> Result<Option<T>> {
    let text = cursor.text(element)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    match parse(&text) {
        Some(value) => Ok(Some(value)),
        None => Err(invalid(element, &text, expected)),
    }
}

pub(super) fn read_int(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<Option<i64>> {
    read_with(cursor, element, parse_int, "an integer")
}

pub(super) fn read_decimal(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<Option<f64>> {
    read_with(cursor, element, parse_decimal, "a number")
}

pub(super) fn read_bool(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<Option<bool>> {
    let parse = |text: &str| match text.trim() {
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    };
    read_with(cursor, element, parse, "0 or 1")
}

pub(super) fn read_datetime(
    cursor: &mut Cursor<'_>,
    element: &Element<'_>,
) -> Result<Option<DateTime>> {
    let expected = "a local date and time such as 2027-03-01T08:00:00";
    read_with(cursor, element, parse_datetime, expected)
}

/// A time of day in minutes from midnight, 0 to 1440 (`24:00:00`).
pub(super) fn read_time(cursor: &mut Cursor<'_>, element: &Element<'_>) -> Result<Option<u16>> {
    read_with(
        cursor,
        element,
        parse_time,
        "a time of day such as 08:00:00",
    )
}

pub(super) fn read_duration(
    cursor: &mut Cursor<'_>,
    element: &Element<'_>,
) -> Result<Option<XsdDuration>> {
    read_with(
        cursor,
        element,
        parse_duration,
        "a duration such as PT8H0M0S",
    )
}

/// An error about the value of `element`.
pub(super) fn invalid_value(
    element: &Element<'_>,
    value: impl ToString,
    expected: &'static str,
) -> Failure {
    invalid(element, &value.to_string(), expected)
}

/// An integer; a decimal with no fraction (`1.0`, which some writers produce) is accepted too.
pub(super) fn parse_int(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(value) = text.parse::<i64>() {
        return Some(value);
    }
    let value = parse_decimal(text)?;
    (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
}

pub(super) fn parse_decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    // Rust's float syntax is wider than XML's decimals ("inf", "NaN", "1e5"): keep to digits.
    if !text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'))
    {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `YYYY-MM-DD`, optionally followed by `THH:MM`, `:SS` and a fraction of a second (dropped:
/// Regie works to the minute). MSPDI dates are local times: a time zone suffix is an error
/// rather than a silent shift.
pub(super) fn parse_datetime(text: &str) -> Option<DateTime> {
    let text = text.trim().as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i16> {
        let digits = text.get(range)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    if text.len() < 10 || text[4] != b'-' || text[7] != b'-' {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (mut hour, mut minute) = (0, 0);
    if text.len() > 10 {
        if text[10] != b'T' || text.len() < 16 || text[13] != b':' {
            return None;
        }
        hour = number(11..13)?;
        minute = number(14..16)?;
        let rest = &text[16..];
        let rest = match rest {
            [b':', s1, s2, rest @ ..] if s1.is_ascii_digit() && s2.is_ascii_digit() => rest,
            _ => rest,
        };
        match rest {
            [] => {}
            [b'.', fraction @ ..]
                if !fraction.is_empty() && fraction.iter().all(u8::is_ascii_digit) => {}
            _ => return None,
        }
    }
    let (month, day, hour, minute) = (
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
    );
    // 24:00 is the end of the day, which some writers use for finishes.
    if hour == 24 && minute == 0 {
        let date = jiff::civil::Date::new(year, month, day).ok()?;
        return date
            .tomorrow()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()));
    }
    DateTime::new(year, month, day, hour, minute, 0, 0).ok()
}

/// `HH:MM:SS` (or `HH:MM`) as minutes from midnight; `24:00:00` is the end of the day.
pub(super) fn parse_time(text: &str) -> Option<u16> {
    let text = text.trim();
    let mut parts = text.split(':');
    let hour: u16 = parts.next()?.parse().ok()?;
    let minute: u16 = parts.next()?.parse().ok()?;
    if let Some(second) = parts.next() {
        let second: f64 = second.parse().ok()?;
        if !(0.0..60.0).contains(&second) {
            return None;
        }
    }
    if parts.next().is_some() || minute >= 60 || hour > 24 || (hour == 24 && minute > 0) {
        return None;
    }
    Some(hour * 60 + minute)
}

/// An `xs:duration` split into calendar parts and clock minutes: what a year, month or day is
/// worth depends on the project's units and on whether the duration is elapsed, which are known
/// only once the whole file is read.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct XsdDuration {
    pub years: f64,
    pub months: f64,
    pub days: f64,
    /// Hours, minutes and seconds, in minutes.
    pub minutes: f64,
    pub negative: bool,
}

impl XsdDuration {
    /// In minutes. MS Project writes only hours, minutes and seconds; days, months and years
    /// (from other writers) count as working days, months and years of the project's units, or
    /// as 24-hour days, 30-day months and 365-day years for elapsed durations.
    pub fn to_minutes(self, units: &regie_core::Units, elapsed: bool) -> Option<i64> {
        let (day, days_per_month, days_per_year) = if elapsed {
            (1440.0, 30.0, 365.0)
        } else {
            let per_month = f64::from(units.days_per_month);
            (
                f64::from(units.minutes_per_day),
                per_month,
                per_month * 12.0,
            )
        };
        let minutes = self.minutes
            + day * (self.days + self.months * days_per_month + self.years * days_per_year);
        // About 19,000 years of minutes: beyond any plan, and far from i64's limits.
        if !minutes.is_finite() || minutes > 1.0e10 {
            return None;
        }
        let minutes = minutes.round() as i64;
        Some(if self.negative { -minutes } else { minutes })
    }
}

/// Back in `xs:duration` form (hours, minutes and seconds as minutes), for messages.
impl std::fmt::Display for XsdDuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.negative { "-" } else { "" };
        write!(f, "{sign}P")?;
        for (value, unit) in [(self.years, 'Y'), (self.months, 'M'), (self.days, 'D')] {
            if value != 0.0 {
                write!(f, "{value}{unit}")?;
            }
        }
        write!(f, "T{}M", self.minutes)
    }
}

/// `[-]P[nY][nM][nD][T[nH][nM][nS]]`, each `n` a decimal.
pub(super) fn parse_duration(text: &str) -> Option<XsdDuration> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut rest = text.strip_prefix('P')?;
    let mut duration = XsdDuration {
        negative,
        ..XsdDuration::default()
    };
    let mut in_time = false;
    let mut seen_any = false;
    // Designators must come in this order, each at most once.
    let mut last_rank = 0;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('T') {
            if in_time {
                return None;
            }
            in_time = true;
            rest = after;
            continue;
        }
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        if end == 0 {
            return None;
        }
        let value: f64 = rest[..end].parse().ok()?;
        let designator = rest[end..].chars().next()?;
        rest = &rest[end + designator.len_utf8()..];
        let rank = match (in_time, designator) {
            (false, 'Y') => 1,
            (false, 'M') => 2,
            (false, 'D') => 3,
            (true, 'H') => 4,
            (true, 'M') => 5,
            (true, 'S') => 6,
            _ => return None,
        };
        if rank <= last_rank {
            return None;
        }
        last_rank = rank;
        seen_any = true;
        match rank {
            1 => duration.years = value,
            2 => duration.months = value,
            3 => duration.days = value,
            4 => duration.minutes += value * 60.0,
            5 => duration.minutes += value,
            _ => duration.minutes += value / 60.0,
        }
    }
    seen_any.then_some(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_local_and_cut_to_the_minute() {
        let dt = |s| parse_datetime(s).map(|d| d.to_string());
        assert_eq!(
            dt("2017-10-20T08:00:00").as_deref(),
            Some("2017-10-20T08:00:00")
        );
        assert_eq!(
            dt("2017-10-20T08:05:59.5").as_deref(),
            Some("2017-10-20T08:05:00")
        );
        assert_eq!(dt(" 2017-10-20 ").as_deref(), Some("2017-10-20T00:00:00"));
        assert_eq!(
            dt("2017-10-20T24:00:00").as_deref(),
            Some("2017-10-21T00:00:00")
        );
        assert_eq!(dt("2017-10-20T08:00"), dt("2017-10-20T08:00:00"));
        for bad in [
            "2017-02-30T08:00:00",
            "2017-10-20T08:00:00Z",
            "20171020",
            "2017-10-20T8:00",
        ] {
            assert_eq!(dt(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_run_to_midnight() {
        assert_eq!(parse_time("08:30:00"), Some(510));
        assert_eq!(parse_time("24:00:00"), Some(1440));
        assert_eq!(parse_time("13:00"), Some(780));
        assert_eq!(parse_time("25:00:00"), None);
        assert_eq!(parse_time("12:60:00"), None);
    }

    #[test]
    fn durations_in_hours_minutes_and_seconds() {
        let units = regie_core::Units::default();
        let minutes = |s: &str, elapsed| parse_duration(s)?.to_minutes(&units, elapsed);
        assert_eq!(minutes("PT8H0M0S", false), Some(480));
        assert_eq!(minutes("PT0H30M0S", false), Some(30));
        assert_eq!(minutes("PT1.5H", false), Some(90));
        assert_eq!(minutes("PT0H0M90S", false), Some(2));
        assert_eq!(minutes("-PT4H0M0S", false), Some(-240));
        assert_eq!(minutes("P1DT2H", false), Some(600));
        assert_eq!(minutes("P1DT2H", true), Some(1560));
        assert_eq!(minutes("P1M", false), Some(20 * 480));
        for bad in [
            "8h", "PT", "P", "PT8M8H", "PT8H8H", "P1H", "PT1D", "PTxH", "PT1e3H",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(minutes("PT99999999999999H", false), None);
    }

    #[test]
    fn numbers_keep_to_decimal_digits() {
        assert_eq!(parse_int(" 42 "), Some(42));
        assert_eq!(parse_int("1.0"), Some(1));
        assert_eq!(parse_int("1.5"), None);
        assert_eq!(parse_decimal("0.25"), Some(0.25));
        assert_eq!(parse_decimal("NaN"), None);
        assert_eq!(parse_decimal("inf"), None);
    }
}
