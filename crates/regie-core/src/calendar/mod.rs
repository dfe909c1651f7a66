//! Working-time calendars.
//!
//! A [`Calendar`] is what the user writes: shifts per weekday, exceptions (holidays, extra working
//! days, recurring rules) and an optional base calendar it inherits from (a person's calendar is
//! the company calendar plus their vacations). A [`CalendarIndex`] is what the engine computes
//! with: the calendar resolved day by day over a horizon into sorted working intervals with
//! cumulative working minutes, so "t + n working minutes", "working minutes between t1 and t2" and
//! "next working instant" cost O(1) to O(log n) whatever the plan's length.

mod cache;
mod index;

use jiff::civil::{Date, Weekday};

pub use cache::IndexCache;
pub use index::{CalendarError, CalendarIndex, WEEKDAY_NAMES, normalize_shifts, shifts_on};

/// A working period inside one day, in minutes from midnight: `start < end <= 1440`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shift {
    pub start: u16,
    pub end: u16,
}

impl Shift {
    pub const fn new(start_hour: u16, start_minute: u16, end_hour: u16, end_minute: u16) -> Shift {
        Shift {
            start: start_hour * 60 + start_minute,
            end: end_hour * 60 + end_minute,
        }
    }

    pub fn minutes(self) -> i64 {
        i64::from(self.end) - i64::from(self.start)
    }
}

/// Which dates an [`Exception`] covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateRule {
    /// Every date from `from` to `to`, both included.
    Range { from: Date, to: Date },
    /// The same day every year (e.g. 25 December), optionally within a range of years.
    Yearly {
        month: i8,
        day: YearlyDay,
        from_year: Option<i16>,
        to_year: Option<i16>,
    },
    /// Given weekdays every week from `from` to `to` (e.g. Fridays off in August).
    Weekly {
        weekdays: Vec<Weekday>,
        from: Date,
        to: Date,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearlyDay {
    /// A day of the month (1–31); skipped in years where the month is shorter.
    Day(i8),
    /// The n-th weekday of the month (1–4, or -1 for the last), e.g. the 4th Thursday of November.
    Nth { n: i8, weekday: Weekday },
}

/// Dates whose working time differs from the week pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub name: String,
    pub dates: DateRule,
    /// Empty: the dates are not worked (holiday, vacation). Otherwise the shifts worked on them.
    pub shifts: Vec<Shift>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// The calendar's id in its source (the KDL id, the MSPDI UID); empty when it has none.
    pub uid: String,
    pub name: String,
    /// Inherits the week days left `None` and all the base's exceptions.
    pub base: Option<crate::CalendarId>,
    /// Monday first. `None`: as the base calendar (or not worked when there is no base).
    pub week: [Option<Vec<Shift>>; 7],
    /// Later exceptions win over earlier ones on the same date; the calendar's own exceptions win
    /// over the base's.
    pub exceptions: Vec<Exception>,
}

impl Calendar {
    /// Monday to Friday, 08:00–12:00 and 13:00–17:00: MS Project's "Standard".
    pub fn standard(name: impl Into<String>) -> Calendar {
        let day = Some(vec![Shift::new(8, 0, 12, 0), Shift::new(13, 0, 17, 0)]);
        Calendar {
            uid: String::new(),
            name: name.into(),
            base: None,
            week: [
                day.clone(),
                day.clone(),
                day.clone(),
                day.clone(),
                day,
                Some(Vec::new()),
                Some(Vec::new()),
            ],
            exceptions: Vec::new(),
        }
    }

    /// Every minute of every day.
    pub fn twenty_four_hours(name: impl Into<String>) -> Calendar {
        let day = Some(vec![Shift {
            start: 0,
            end: 1440,
        }]);
        Calendar {
            uid: String::new(),
            name: name.into(),
            base: None,
            week: std::array::from_fn(|_| day.clone()),
            exceptions: Vec::new(),
        }
    }

    /// A calendar that inherits everything from `base` (add exceptions for vacations).
    pub fn derived(name: impl Into<String>, base: crate::CalendarId) -> Calendar {
        Calendar {
            uid: String::new(),
            name: name.into(),
            base: Some(base),
            week: Default::default(),
            exceptions: Vec::new(),
        }
    }
}
