//! The precomputed working-time index of one calendar. (Stub: being implemented.)

use jiff::civil::Date;

use crate::{CalendarId, Minute, calendar::Calendar};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error("calendar {name:?} inherits from itself through its base calendars")]
    BaseCycle { name: String },
}

/// Sorted, merged working intervals over a horizon with cumulative working minutes.
#[derive(Clone, Debug)]
pub struct CalendarIndex {
    intervals: Vec<(Minute, Minute)>,
}

impl CalendarIndex {
    /// Resolves calendar `id` (its base chain, week days and exceptions) for every date in
    /// `from..=to` into working intervals.
    pub fn build(
        calendars: &[Calendar],
        id: CalendarId,
        from: Date,
        to: Date,
    ) -> Result<CalendarIndex, CalendarError> {
        let _ = (calendars, id, from, to);
        Ok(CalendarIndex {
            intervals: Vec::new(),
        })
    }

    /// Every minute is working time (elapsed durations and lags).
    pub fn always() -> CalendarIndex {
        CalendarIndex {
            intervals: Vec::new(),
        }
    }

    pub fn is_working(&self, t: Minute) -> bool {
        let _ = (t, &self.intervals);
        todo!()
    }
    pub fn next_working(&self, t: Minute) -> Minute {
        let _ = t;
        todo!()
    }
    pub fn prev_working_end(&self, t: Minute) -> Minute {
        let _ = t;
        todo!()
    }
    pub fn add(&self, t: Minute, n: i64) -> Minute {
        let _ = (t, n);
        todo!()
    }
    pub fn sub(&self, t: Minute, n: i64) -> Minute {
        let _ = (t, n);
        todo!()
    }
    pub fn work_between(&self, a: Minute, b: Minute) -> i64 {
        let _ = (a, b);
        todo!()
    }
    pub fn working_intervals(&self, a: Minute, b: Minute) -> impl Iterator<Item = (Minute, Minute)> + '_ {
        let _ = (a, b);
        self.intervals.iter().copied()
    }
}
