//! The time axis: zoom levels, the calendar units of the two header rows, and their labels.

use jiff::civil::Date;

use regie_core::{Minute, time};

use crate::common::{MONTHS, MONTHS_LONG};

/// How much time one screen inch covers; names the header's lower row (its upper row is the next
/// larger unit): days under weeks, weeks under months, months under quarters, quarters under
/// years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Zoom {
    Day,
    Week,
    Month,
    Quarter,
}

/// Widest time axis the automatic zoom accepts before it moves to the next coarser level.
const MAX_AUTO_WIDTH_PX: f64 = 2400.0;
/// Width the time axis aims for when the zoom level leaves room to choose.
const TARGET_WIDTH_PX: f64 = 1600.0;

impl Zoom {
    const ALL: [Zoom; 4] = [Zoom::Day, Zoom::Week, Zoom::Month, Zoom::Quarter];

    /// The level's name in lower case (`day`, `week`, `month`, `quarter`), as the interactive
    /// chart's `data-zoom` gives it and a web page would pass it back.
    pub fn name(self) -> &'static str {
        match self {
            Zoom::Day => "day",
            Zoom::Week => "week",
            Zoom::Month => "month",
            Zoom::Quarter => "quarter",
        }
    }

    /// The level named `name` (as [`Zoom::name`] writes it), or `None`.
    pub fn from_name(name: &str) -> Option<Zoom> {
        Zoom::ALL.into_iter().find(|zoom| zoom.name() == name)
    }

    /// The finest zoom at which a plan of `span_days` fits a readable width.
    pub(crate) fn auto(span_days: f64) -> Zoom {
        Zoom::ALL
            .into_iter()
            .find(|zoom| zoom.px_per_day_bounds().0 * span_days <= MAX_AUTO_WIDTH_PX)
            .unwrap_or(Zoom::Quarter)
    }

    /// The bounds keep the lower header row's labels legible (a day column fits its number, a
    /// quarter column fits "Q3") and stop short plans from stretching absurdly.
    fn px_per_day_bounds(self) -> (f64, f64) {
        match self {
            Zoom::Day => (24.0, 64.0),
            Zoom::Week => (6.0, 24.0),
            Zoom::Month => (1.6, 6.0),
            Zoom::Quarter => (0.5, 1.6),
        }
    }

    pub(crate) fn px_per_day(self, span_days: f64) -> f64 {
        let (low, high) = self.px_per_day_bounds();
        (TARGET_WIDTH_PX / span_days.max(1.0)).clamp(low, high)
    }

    /// (upper row, lower row).
    pub(crate) fn units(self) -> (Unit, Unit) {
        match self {
            Zoom::Day => (Unit::Week, Unit::Day),
            Zoom::Week => (Unit::Month, Unit::Week),
            Zoom::Month => (Unit::Quarter, Unit::Month),
            Zoom::Quarter => (Unit::Year, Unit::Quarter),
        }
    }

    /// Whether one column per non-working day is worth drawing. Coarser zooms shade only breaks
    /// of several days (see the Gantt renderer).
    pub(crate) fn shades_every_day(self) -> bool {
        matches!(self, Zoom::Day | Zoom::Week)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

fn add_days(date: Date, days: i64) -> Date {
    time::date_of_day(time::day_number(date) + days)
}

fn first_of_month(year: i16, month0: i64) -> Date {
    let absolute = i64::from(year) * 12 + month0;
    let year = absolute.div_euclid(12);
    let month = absolute.rem_euclid(12) + 1;
    i16::try_from(year)
        .ok()
        .and_then(|y| Date::new(y, month as i8, 1).ok())
        .unwrap_or(if year < 0 { Date::MIN } else { Date::MAX })
}

impl Unit {
    /// The first day of the unit containing `date` (weeks start on Monday, as ISO 8601 has it).
    pub(crate) fn floor(self, date: Date) -> Date {
        let month0 = i64::from(date.month() - 1);
        match self {
            Unit::Day => date,
            Unit::Week => add_days(date, -i64::from(date.weekday().to_monday_zero_offset())),
            Unit::Month => first_of_month(date.year(), month0),
            Unit::Quarter => first_of_month(date.year(), month0 - month0 % 3),
            Unit::Year => first_of_month(date.year(), 0),
        }
    }

    /// The first day of the next unit after the one starting at `start`.
    pub(crate) fn next(self, start: Date) -> Date {
        let month0 = i64::from(start.month() - 1);
        match self {
            Unit::Day => add_days(start, 1),
            Unit::Week => add_days(start, 7),
            Unit::Month => first_of_month(start.year(), month0 + 1),
            Unit::Quarter => first_of_month(start.year(), month0 + 3),
            Unit::Year => first_of_month(start.year(), 12),
        }
    }

    /// The first day of the unit before the one containing `date`.
    pub(crate) fn previous(self, date: Date) -> Date {
        self.floor(add_days(self.floor(date), -1))
    }

    /// The units overlapping `from..to` (midnights), each clipped to it, with the date the unit
    /// starts on.
    pub(crate) fn cells(self, from: Minute, to: Minute) -> Vec<(Minute, Minute, Date)> {
        let mut cells = Vec::new();
        let mut start = self.floor(time::datetime_of(from).date());
        loop {
            let begin = time::date_midnight(start);
            if begin >= to {
                break;
            }
            let next = self.next(start);
            if next <= start {
                break;
            }
            cells.push((begin.max(from), time::date_midnight(next).min(to), start));
            start = next;
        }
        cells
    }

    /// Labels for the unit starting on `date`, longest first: the header uses the longest that
    /// fits its cell.
    pub(crate) fn labels(self, date: Date, upper_row: bool) -> Vec<String> {
        let day = date.day();
        let mon = MONTHS[(date.month() - 1) as usize];
        let year = date.year();
        let quarter = (date.month() - 1) / 3 + 1;
        match self {
            Unit::Day => {
                let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                    [date.weekday().to_monday_zero_offset() as usize];
                vec![format!("{weekday} {day}"), day.to_string()]
            }
            Unit::Week if upper_row => {
                let week = date.iso_week_date().week();
                vec![
                    format!("Week {week} · {day} {mon} {year}"),
                    format!("W{week} · {day} {mon}"),
                    format!("W{week}"),
                ]
            }
            Unit::Week => vec![format!("{day} {mon}"), day.to_string()],
            Unit::Month if upper_row => vec![
                format!("{} {year}", MONTHS_LONG[(date.month() - 1) as usize]),
                format!("{mon} {year}"),
                mon.to_owned(),
            ],
            Unit::Month => vec![mon.to_owned(), mon[..1].to_owned()],
            Unit::Quarter if upper_row => vec![format!("Q{quarter} {year}"), format!("Q{quarter}")],
            Unit::Quarter => vec![format!("Q{quarter}")],
            Unit::Year => vec![year.to_string()],
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn units_align_to_calendar_boundaries() {
        let d = date(2027, 5, 19); // a Wednesday
        assert_eq!(Unit::Week.floor(d), date(2027, 5, 17));
        assert_eq!(Unit::Quarter.floor(d), date(2027, 4, 1));
        assert_eq!(Unit::Quarter.next(date(2027, 10, 1)), date(2028, 1, 1));
        assert_eq!(Unit::Month.previous(d), date(2027, 4, 1));
        assert_eq!(Unit::Year.next(date(2027, 1, 1)), date(2028, 1, 1));
    }

    #[test]
    fn auto_zoom_follows_the_span() {
        assert_eq!(Zoom::auto(21.0), Zoom::Day);
        assert_eq!(Zoom::auto(182.0), Zoom::Week);
        assert_eq!(Zoom::auto(3.0 * 365.0), Zoom::Month);
        assert_eq!(Zoom::auto(10.0 * 365.0), Zoom::Quarter);
    }

    #[test]
    fn zoom_names_read_back() {
        for zoom in Zoom::ALL {
            assert_eq!(Zoom::from_name(zoom.name()), Some(zoom));
        }
        assert_eq!(Zoom::from_name("Week"), None);
    }
}
