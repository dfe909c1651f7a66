//! Instants on the project's local clock.
//!
//! The engine works on [`Minute`]: whole minutes since 1970-01-01T00:00 *local civil time* of the
//! project. Like MS Project, scheduling ignores daylight-saving shifts: a working day is 08:00 to
//! 17:00 whatever the offset. The project's time zone matters only at the edges (feeds, API
//! instants), where callers convert with `jiff`.

use jiff::civil::{Date, DateTime};

/// Minutes since 1970-01-01T00:00 in the project's local civil time.
pub type Minute = i64;

pub const MINUTES_PER_DAY: i64 = 1440;

/// Day number (days since 1970-01-01) of a civil date.
pub fn day_number(date: Date) -> i64 {
    // The epoch difference of two civil dates never fails within jiff's range.
    let epoch = Date::constant(1970, 1, 1);
    i64::from((date - epoch).get_days())
}

/// The civil date of a day number.
pub fn date_of_day(day: i64) -> Date {
    let epoch = Date::constant(1970, 1, 1);
    epoch
        .checked_add(jiff::Span::new().days(day))
        .unwrap_or(if day < 0 { Date::MIN } else { Date::MAX })
}

pub fn minute_of(datetime: DateTime) -> Minute {
    day_number(datetime.date()) * MINUTES_PER_DAY
        + i64::from(datetime.hour()) * 60
        + i64::from(datetime.minute())
}

pub fn date_midnight(date: Date) -> Minute {
    day_number(date) * MINUTES_PER_DAY
}

pub fn datetime_of(minute: Minute) -> DateTime {
    let day = minute.div_euclid(MINUTES_PER_DAY);
    let in_day = minute.rem_euclid(MINUTES_PER_DAY);
    date_of_day(day).to_datetime(jiff::civil::Time::constant(
        (in_day / 60) as i8,
        (in_day % 60) as i8,
        0,
        0,
    ))
}

/// `YYYY-MM-DDTHH:MM`, the form every output of Regie uses for local times.
pub fn format_minute(minute: Minute) -> String {
    let dt = datetime_of(minute);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute()
    )
}

/// English month names, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The English name of month `month` (1–12); `?` outside.
pub fn month_name(month: i8) -> &'static str {
    MONTH_NAMES
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// An instant that opens a period: a bare date when it is midnight (a date-only start).
pub fn format_start(minute: Minute) -> String {
    let text = format_minute(minute);
    match text.strip_suffix("T00:00") {
        Some(date) => date.to_owned(),
        None => text,
    }
}

/// An instant that closes a period: midnight is the end of the day before, shown as that bare
/// date (a deadline "2027-01-06" is stored as 2027-01-07T00:00).
pub fn format_end(minute: Minute) -> String {
    if minute.rem_euclid(MINUTES_PER_DAY) == 0 {
        return format_minute(minute - MINUTES_PER_DAY)[..10].to_owned();
    }
    format_minute(minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_round_trip_through_civil_time() {
        let dt = jiff::civil::datetime(2027, 3, 1, 17, 5, 0, 0);
        let m = minute_of(dt);
        assert_eq!(datetime_of(m), dt);
        assert_eq!(format_minute(m), "2027-03-01T17:05");
        let before_epoch = jiff::civil::datetime(1969, 12, 31, 23, 59, 0, 0);
        assert_eq!(minute_of(before_epoch), -1);
        assert_eq!(datetime_of(-1), before_epoch);
    }

    #[test]
    fn midnight_shows_as_a_date_that_opens_or_closes_a_period() {
        let midnight = minute_of(jiff::civil::datetime(2027, 1, 7, 0, 0, 0, 0));
        assert_eq!(format_start(midnight), "2027-01-07");
        assert_eq!(format_end(midnight), "2027-01-06");
        assert_eq!(format_end(midnight + 17 * 60), "2027-01-07T17:00");
    }
}
