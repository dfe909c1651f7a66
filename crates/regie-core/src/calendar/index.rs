//! The precomputed working-time index of one calendar.
//!
//! [`CalendarIndex::build`] resolves a [`Calendar`] (its base chain, week days and exceptions)
//! day by day over a horizon `from..=to` into sorted, merged, half-open working intervals
//! `[start, end)`. Intervals that touch are merged, also across midnight: a 24-hour calendar is a
//! single interval, a 22:00–06:00 night shift written as two shifts is one interval per night.
//!
//! # Representation
//!
//! * `starts`, `ends`: the intervals as two parallel vectors (the locating scan reads only `ends`,
//!   so it walks one dense array);
//! * `cum[i]`: working minutes before interval `i` (`cum` has one more entry than there are
//!   intervals; the last is the horizon's total);
//! * `day_first[d]`: for day `d` of the horizon, the first interval whose end is after that day's
//!   midnight.
//!
//! Everything is expressed through `W(t)`, the working minutes in `[horizon start, t)`: a
//! continuous, non-decreasing, piecewise-linear function. Locating `t` is one division plus a
//! forward scan over at most one day's intervals from `day_first`, so `W(t)`, [`is_working`],
//! [`next_working`], [`prev_working_end`] and [`work_between`] are O(1). [`add`] and [`sub`] turn
//! into "find where `W` reaches a target", a galloping search on `cum` from the located interval:
//! O(log k) where k is the number of intervals crossed, so short durations cost a couple of
//! comparisons whatever the horizon. None of these allocate.
//!
//! # Outside the horizon
//!
//! Time outside `[midnight of from, midnight after to)` is not worked. Operations that would have
//! to look beyond saturate at the horizon's edge instead of panicking or looping; the engine builds
//! its horizon with a margin and asks [`saturated`] to warn when a result reached an edge.
//!
//! [`CalendarIndex::always`] is the 24/7 clock used for elapsed durations and lags: unbounded,
//! special-cased to plain arithmetic.
//!
//! [`is_working`]: CalendarIndex::is_working
//! [`next_working`]: CalendarIndex::next_working
//! [`prev_working_end`]: CalendarIndex::prev_working_end
//! [`work_between`]: CalendarIndex::work_between
//! [`add`]: CalendarIndex::add
//! [`sub`]: CalendarIndex::sub
//! [`saturated`]: CalendarIndex::saturated

use jiff::civil::Date;

use crate::{
    CalendarId, Minute,
    calendar::{Calendar, DateRule, Exception, Shift, YearlyDay},
    time::{MINUTES_PER_DAY, date_of_day, day_number},
};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error("calendar {name:?} inherits from itself through its base calendars")]
    BaseCycle { name: String },
    #[error("calendar #{index} does not exist")]
    UnknownCalendar { index: u32 },
    #[error(
        "calendar {calendar:?}: the shift {:02}:{:02}-{:02}:{:02} of {owner} is invalid \
         (it must start before it ends and end at 24:00 at the latest)",
        .start / 60, .start % 60, .end / 60, .end % 60
    )]
    InvalidShift {
        calendar: String,
        /// `Monday`…`Sunday`, or `exception "<name>"`.
        owner: String,
        start: u16,
        end: u16,
    },
    #[error("calendar {calendar:?}: exception {exception:?} {reason}")]
    InvalidException {
        calendar: String,
        exception: String,
        reason: &'static str,
    },
}

/// The shifts worked on `date` by calendar `id`, sorted and merged (touching shifts become one),
/// resolved exactly as [`CalendarIndex::build`] does. Empty when the date is not worked, and also
/// when the calendar cannot be resolved (unknown id, base cycle, invalid shift): `build` reports
/// those errors, renderers only draw.
pub fn shifts_on(calendars: &[Calendar], id: CalendarId, date: Date) -> Vec<Shift> {
    let mut out = Vec::new();
    // A one-day horizon goes through the same resolution code as `build`, so what a renderer
    // draws cannot disagree with what the engine schedules.
    match resolve_days(calendars, id, day_number(date), 1, |_, shifts| {
        out.extend_from_slice(shifts)
    }) {
        Ok(()) => out,
        Err(_) => Vec::new(),
    }
}

/// Sorted, merged working intervals over a horizon with cumulative working minutes.
#[derive(Clone, Debug)]
pub struct CalendarIndex {
    /// 24/7 and unbounded: every operation is plain arithmetic, the vectors are empty.
    always: bool,
    h_start: Minute,
    h_end: Minute,
    starts: Vec<Minute>,
    ends: Vec<Minute>,
    /// `cum[i]`: working minutes in the intervals before `i`; `cum.len() == starts.len() + 1`.
    cum: Vec<i64>,
    /// Per day of the horizon: index of the first interval whose end is after its midnight.
    day_first: Vec<u32>,
    /// Per [`WORK_BUCKET`] working minutes: the interval holding the bucket's first working
    /// minute, so that finding where "n working minutes later" falls is a lookup and a short
    /// scan, whatever n.
    work_buckets: Vec<u32>,
}

/// Working minutes per entry of [`CalendarIndex::work_buckets`]: a working day, so a bucket
/// spans a handful of intervals at most.
const WORK_BUCKET: i64 = 480;

impl CalendarIndex {
    /// Resolves calendar `id` (its base chain, week days and exceptions) for every date in
    /// `from..=to` into working intervals. `to < from` gives an empty horizon (nothing is worked,
    /// everything saturates).
    pub fn build(
        calendars: &[Calendar],
        id: CalendarId,
        from: Date,
        to: Date,
    ) -> Result<CalendarIndex, CalendarError> {
        let first_day = day_number(from);
        let n_days = usize::try_from(day_number(to) - first_day + 1).unwrap_or(0);
        let h_start = first_day * MINUTES_PER_DAY;
        let h_end = h_start + n_days as i64 * MINUTES_PER_DAY;

        // Two shifts a day is the common case.
        let mut starts: Vec<Minute> = Vec::with_capacity(n_days * 2);
        let mut ends: Vec<Minute> = Vec::with_capacity(n_days * 2);
        let mut day_first: Vec<u32> = Vec::with_capacity(n_days);
        resolve_days(calendars, id, first_day, n_days, |day, shifts| {
            let midnight = day * MINUTES_PER_DAY;
            // The next interval pushed is the first one ending after this midnight, unless the
            // day's first shift continues yesterday's last interval (it starts at 00:00 and that
            // one ends at 24:00): then the merged interval is.
            let mut first = starts.len();
            for shift in shifts {
                let (s, e) = (
                    midnight + i64::from(shift.start),
                    midnight + i64::from(shift.end),
                );
                match ends.last_mut() {
                    Some(end) if *end >= s => {
                        if *end <= midnight {
                            first -= 1;
                        }
                        *end = (*end).max(e);
                    }
                    _ => {
                        starts.push(s);
                        ends.push(e);
                    }
                }
            }
            day_first.push(first as u32);
        })?;

        let mut cum = Vec::with_capacity(starts.len() + 1);
        let mut total = 0;
        cum.push(0);
        for (s, e) in starts.iter().zip(&ends) {
            total += e - s;
            cum.push(total);
        }
        let mut work_buckets = Vec::with_capacity((total / WORK_BUCKET + 1) as usize);
        for (index, pair) in cum.windows(2).enumerate() {
            // Interval `index` holds the working minutes `pair[0]..pair[1]`.
            while (work_buckets.len() as i64) * WORK_BUCKET < pair[1] {
                work_buckets.push(index as u32);
            }
        }
        Ok(CalendarIndex {
            always: false,
            h_start,
            h_end,
            starts,
            ends,
            cum,
            day_first,
            work_buckets,
        })
    }

    /// Every minute is working time (elapsed durations and lags). Unbounded: the horizon is
    /// `(Minute::MIN, Minute::MAX)` and nothing ever saturates.
    pub fn always() -> CalendarIndex {
        CalendarIndex {
            always: true,
            h_start: Minute::MIN,
            h_end: Minute::MAX,
            starts: Vec::new(),
            ends: Vec::new(),
            cum: vec![0],
            day_first: Vec::new(),
            work_buckets: Vec::new(),
        }
    }

    /// True for [`CalendarIndex::always`].
    pub fn is_always(&self) -> bool {
        self.always
    }

    /// The covered range: `[midnight of from, midnight after to)`.
    pub fn horizon(&self) -> (Minute, Minute) {
        (self.h_start, self.h_end)
    }

    /// Whether `t` is at or beyond an edge of the horizon, i.e. a result that may have been cut
    /// short by saturation. Never true for [`CalendarIndex::always`].
    pub fn saturated(&self, t: Minute) -> bool {
        !self.always && (t <= self.h_start || t >= self.h_end)
    }

    /// Total working minutes in the horizon.
    pub fn total_work(&self) -> i64 {
        if self.always { i64::MAX } else { self.total() }
    }

    /// `t` lies inside some working interval `[s, e)`.
    pub fn is_working(&self, t: Minute) -> bool {
        if self.always {
            return true;
        }
        let i = self.locate(t);
        i < self.starts.len() && self.starts[i] <= t
    }

    /// `t` if it is working, else the start of the next working interval. With none before the
    /// horizon's end: the horizon's end (or `t` itself when already beyond it).
    pub fn next_working(&self, t: Minute) -> Minute {
        if self.always {
            return t;
        }
        let i = self.locate(t);
        match self.starts.get(i) {
            Some(&s) => s.max(t),
            None => t.max(self.h_end),
        }
    }

    /// `t` if it lies in some `(s, e]`, else the end of the previous working interval. With none
    /// after the horizon's start: the horizon's start (or `t` itself when already before it).
    pub fn prev_working_end(&self, t: Minute) -> Minute {
        if self.always {
            return t;
        }
        let i = self.locate(t);
        if i < self.starts.len() && self.starts[i] < t {
            t
        } else if i > 0 {
            // `locate` found the first interval ending after `t`; the one before ends at or
            // before `t`.
            self.ends[i - 1]
        } else {
            t.min(self.h_start)
        }
    }

    /// `n` working minutes after `t`: the smallest `t' >= t` with `n` working minutes in
    /// `[t, t')`. So a result lands on a shift's end, never on the next shift's start (MS
    /// Project: one day from Monday 08:00 finishes Monday 17:00), and counting from a
    /// non-working instant starts at the next working one. `n == 0` returns `t` unchanged;
    /// `n < 0` is [`sub`](Self::sub). Saturates at the horizon's end.
    pub fn add(&self, t: Minute, n: i64) -> Minute {
        if self.always {
            return t.saturating_add(n);
        }
        if n < 0 {
            return self.sub(t, n.saturating_neg());
        }
        if n == 0 {
            return t;
        }
        let (i, w) = self.locate_work(t);
        let target = w.saturating_add(n);
        if target > self.total() {
            return t.max(self.h_end);
        }
        let j = self.first_reaching(i, target);
        self.starts[j] + (target - self.cum[j])
    }

    /// `n` working minutes before `t`: the largest `t' <= t` with `n` working minutes in
    /// `[t', t)`. So an exact count lands on a shift's start (one day back from Friday 17:00 is
    /// Friday 08:00). `n == 0` returns `t`; `n < 0` is [`add`](Self::add). Saturates at the
    /// horizon's start.
    pub fn sub(&self, t: Minute, n: i64) -> Minute {
        if self.always {
            return t.saturating_sub(n);
        }
        if n < 0 {
            return self.add(t, n.saturating_neg());
        }
        if n == 0 {
            return t;
        }
        let (i, w) = self.locate_work(t);
        let target = w - n;
        if target < 0 {
            return t.min(self.h_start);
        }
        // `target < W(t) <= cum[i + 1]`, so the interval holding the answer is at most `i`.
        let j = self.last_at_most(i.min(self.starts.len() - 1), target);
        self.starts[j] + (target - self.cum[j])
    }

    /// A task of `n > 0` working minutes that starts no earlier than `t`: `(next_working(t),
    /// add(t, n))` with one lookup of `t`, the engine's hottest pair.
    pub fn span_after(&self, t: Minute, n: i64) -> (Minute, Minute) {
        if self.always || n <= 0 {
            return (self.next_working(t), self.add(t, n));
        }
        let (i, w) = self.locate_work(t);
        let start = match self.starts.get(i) {
            Some(&s) => s.max(t),
            None => return (t.max(self.h_end), t.max(self.h_end)),
        };
        let target = w.saturating_add(n);
        if target > self.total() {
            return (start, t.max(self.h_end));
        }
        let j = self.first_reaching(i, target);
        (start, self.starts[j] + (target - self.cum[j]))
    }

    /// A task of `n > 0` working minutes that finishes no later than `t`: `(sub(t, n),
    /// prev_working_end(t))` with one lookup of `t`.
    pub fn span_before(&self, t: Minute, n: i64) -> (Minute, Minute) {
        if self.always || n <= 0 {
            return (self.sub(t, n), self.prev_working_end(t));
        }
        let (i, w) = self.locate_work(t);
        let finish = if i < self.starts.len() && self.starts[i] < t {
            t
        } else if i > 0 {
            self.ends[i - 1]
        } else {
            t.min(self.h_start)
        };
        let target = w - n;
        if target < 0 {
            return (t.min(self.h_start), finish);
        }
        let j = self.last_at_most(i.min(self.starts.len() - 1), target);
        (self.starts[j] + (target - self.cum[j]), finish)
    }

    /// Working minutes from the horizon's start to `t`: a position in working time, so that
    /// `work_between(a, b) == work_until(b) - work_until(a)` and `work_until(add(t, n)) ==
    /// work_until(t) + n` inside the horizon. For [`CalendarIndex::always`]: `t` itself.
    pub fn work_until(&self, t: Minute) -> i64 {
        if self.always {
            return t;
        }
        self.work_before(t)
    }

    /// Working minutes in `[a, b)`; negative (`-work_between(b, a)`) when `b < a`.
    pub fn work_between(&self, a: Minute, b: Minute) -> i64 {
        if self.always {
            return b.saturating_sub(a);
        }
        self.work_before(b) - self.work_before(a)
    }

    /// The working intervals clipped to `[a, b)`, in order (for Gantt shading). For
    /// [`CalendarIndex::always`]: `(a, b)` once.
    pub fn working_intervals(
        &self,
        a: Minute,
        b: Minute,
    ) -> impl Iterator<Item = (Minute, Minute)> + '_ {
        let (lo, hi) = if self.always || a >= b {
            (0, 0)
        } else {
            let hi = self.locate(b);
            let hi = if hi < self.starts.len() && self.starts[hi] < b {
                hi + 1
            } else {
                hi
            };
            (self.locate(a), hi)
        };
        let once = (self.always && a < b).then_some((a, b));
        self.starts[lo..hi]
            .iter()
            .zip(&self.ends[lo..hi])
            .map(move |(&s, &e)| (s.max(a), e.min(b)))
            .chain(once)
    }

    fn total(&self) -> i64 {
        self.cum[self.starts.len()]
    }

    /// The first interval whose end is after `t` (`starts.len()` if none).
    #[inline]
    fn locate(&self, t: Minute) -> usize {
        if t < self.h_start {
            return 0;
        }
        if t >= self.h_end {
            return self.starts.len();
        }
        let day = ((t - self.h_start) / MINUTES_PER_DAY) as usize;
        let mut i = self.day_first[day] as usize;
        // At most the intervals of this one day.
        while i < self.ends.len() && self.ends[i] <= t {
            i += 1;
        }
        i
    }

    /// `locate(t)` and `W(t)`, the working minutes in `[horizon start, t)`.
    #[inline]
    fn locate_work(&self, t: Minute) -> (usize, i64) {
        let i = self.locate(t);
        let w = match self.starts.get(i) {
            Some(&s) if s < t => self.cum[i] + (t - s),
            _ => self.cum[i],
        };
        (i, w)
    }

    #[inline]
    fn work_before(&self, t: Minute) -> i64 {
        self.locate_work(t).1
    }

    /// The interval `k` with `cum[k] < target <= cum[k + 1]`, given `0 < target <= total`:
    /// the one where the `target`-th working minute ends. `_lo` is a lower bound callers know.
    fn first_reaching(&self, _lo: usize, target: i64) -> usize {
        // The bucket of working minute `target - 1` names the interval holding it.
        let mut k = self.work_buckets[((target - 1) / WORK_BUCKET) as usize] as usize;
        while self.cum[k + 1] < target {
            k += 1;
        }
        k
    }

    /// The last interval `k <= hi` with `cum[k] <= target`, given `0 <= target`.
    fn last_at_most(&self, hi: usize, target: i64) -> usize {
        let bucket = (target / WORK_BUCKET) as usize;
        let mut k = match self.work_buckets.get(bucket) {
            Some(&k) => (k as usize).min(hi),
            None => hi,
        };
        while k > 0 && self.cum[k] > target {
            k -= 1;
        }
        while k < hi && self.cum[k + 1] <= target {
            k += 1;
        }
        k
    }
}

/// No exception covers the day.
const NO_EXCEPTION: u32 = u32::MAX;

/// Resolves calendar `id` for the `n_days` days from day number `first_day`, calling `each_day`
/// in order with each day's number and its shifts (sorted, merged; empty: not worked).
///
/// Per date: the last exception of the calendar covering it, else the last of its base, and so
/// on up the chain; else the first calendar of the chain that defines the weekday; else not
/// worked. Rather than testing every rule on every date, each exception paints the days it covers
/// into a per-day table, lowest priority first (the deepest base's first exception) so that a
/// higher-priority exception simply overwrites: the cost is the days actually covered, not
/// days × exceptions.
fn resolve_days(
    calendars: &[Calendar],
    id: CalendarId,
    first_day: i64,
    n_days: usize,
    mut each_day: impl FnMut(i64, &[Shift]),
) -> Result<(), CalendarError> {
    let chain = base_chain(calendars, id)?;
    for cal in &chain {
        validate(cal)?;
    }
    let week: [Vec<Shift>; 7] = std::array::from_fn(|w| {
        chain
            .iter()
            .find_map(|cal| cal.week[w].as_deref())
            .map(normalize_shifts)
            .unwrap_or_default()
    });
    let exceptions: Vec<&Exception> = chain
        .iter()
        .rev()
        .flat_map(|cal| cal.exceptions.iter())
        .collect();
    let exception_shifts: Vec<Vec<Shift>> = exceptions
        .iter()
        .map(|e| normalize_shifts(&e.shifts))
        .collect();

    let mut by_day = vec![NO_EXCEPTION; n_days];
    if n_days > 0 {
        let last_day = first_day + n_days as i64 - 1;
        for (k, exception) in exceptions.iter().enumerate() {
            covered_days(&exception.dates, first_day, last_day, |day| {
                by_day[(day - first_day) as usize] = k as u32;
            });
        }
    }
    for (offset, &k) in by_day.iter().enumerate() {
        let day = first_day + offset as i64;
        let shifts = if k == NO_EXCEPTION {
            &week[weekday_index(day)]
        } else {
            &exception_shifts[k as usize]
        };
        each_day(day, shifts);
    }
    Ok(())
}

/// The calendar then its bases, nearest first.
fn base_chain(calendars: &[Calendar], id: CalendarId) -> Result<Vec<&Calendar>, CalendarError> {
    let mut seen: Vec<usize> = Vec::new();
    let mut chain = Vec::new();
    let mut next = Some(id);
    while let Some(cid) = next {
        let cal = calendars
            .get(cid.index())
            .ok_or(CalendarError::UnknownCalendar { index: cid.0 })?;
        if seen.contains(&cid.index()) {
            return Err(CalendarError::BaseCycle {
                name: cal.name.clone(),
            });
        }
        seen.push(cid.index());
        chain.push(cal);
        next = cal.base;
    }
    Ok(chain)
}

/// English weekday names, Monday first (as a calendar's week is stored).
pub const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Checks what the index relies on: shifts within one day, rules that name real dates. The whole
/// calendar is checked, not only the dates in the horizon, so an error does not come and go with
/// the plan's length.
fn validate(cal: &Calendar) -> Result<(), CalendarError> {
    let check_shifts = |shifts: &[Shift], owner: &dyn Fn() -> String| {
        for shift in shifts {
            if shift.start >= shift.end || shift.end > 1440 {
                return Err(CalendarError::InvalidShift {
                    calendar: cal.name.clone(),
                    owner: owner(),
                    start: shift.start,
                    end: shift.end,
                });
            }
        }
        Ok(())
    };
    for (w, shifts) in cal.week.iter().enumerate() {
        if let Some(shifts) = shifts {
            check_shifts(shifts, &|| WEEKDAY_NAMES[w].to_owned())?;
        }
    }
    for exception in &cal.exceptions {
        check_shifts(&exception.shifts, &|| {
            format!("exception {:?}", exception.name)
        })?;
        let invalid = |reason| CalendarError::InvalidException {
            calendar: cal.name.clone(),
            exception: exception.name.clone(),
            reason,
        };
        match &exception.dates {
            DateRule::Range { from, to } | DateRule::Weekly { from, to, .. } => {
                if to < from {
                    return Err(invalid("ends before it starts"));
                }
            }
            DateRule::Yearly {
                month,
                day,
                from_year,
                to_year,
            } => {
                if !(1..=12).contains(month) {
                    return Err(invalid("names a month outside 1-12"));
                }
                match *day {
                    YearlyDay::Day(d) if !(1..=31).contains(&d) => {
                        return Err(invalid("names a day of the month outside 1-31"));
                    }
                    YearlyDay::Nth { n, .. } if n == 0 || !(-5..=5).contains(&n) => {
                        return Err(invalid(
                            "names an n-th weekday outside 1-5 (or -1 for the last)",
                        ));
                    }
                    _ => {}
                }
                if let (Some(from), Some(to)) = (from_year, to_year)
                    && to < from
                {
                    return Err(invalid("ends before it starts"));
                }
            }
        }
    }
    Ok(())
}

/// Sorted by start, overlapping or touching shifts merged (validated shifts only): the form
/// the engine resolves a day into, and the one writers should emit.
pub fn normalize_shifts(shifts: &[Shift]) -> Vec<Shift> {
    let mut sorted = shifts.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<Shift> = Vec::with_capacity(sorted.len());
    for shift in sorted {
        match out.last_mut() {
            Some(last) if last.end >= shift.start => last.end = last.end.max(shift.end),
            _ => out.push(shift),
        }
    }
    out
}

/// Monday = 0 of a day number: 1970-01-01 was a Thursday (3). Arithmetic, so the per-day loops
/// need no calendar conversion.
fn weekday_index(day: i64) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// Calls `f` with the day numbers in `first..=last` that `rule` covers, in no particular order.
fn covered_days(rule: &DateRule, first: i64, last: i64, mut f: impl FnMut(i64)) {
    match rule {
        DateRule::Range { from, to } => {
            for day in day_number(*from).max(first)..=day_number(*to).min(last) {
                f(day);
            }
        }
        DateRule::Weekly { weekdays, from, to } => {
            let mask = weekdays
                .iter()
                .fold(0u8, |m, w| m | 1 << w.to_monday_zero_offset());
            for day in day_number(*from).max(first)..=day_number(*to).min(last) {
                if mask & (1 << weekday_index(day)) != 0 {
                    f(day);
                }
            }
        }
        DateRule::Yearly {
            month,
            day,
            from_year,
            to_year,
        } => {
            let mut y0 = date_of_day(first).year();
            let mut y1 = date_of_day(last).year();
            if let Some(from) = *from_year {
                y0 = y0.max(from);
            }
            if let Some(to) = *to_year {
                y1 = y1.min(to);
            }
            for year in y0..=y1 {
                if let Some(date) = yearly_date(year, *month, *day) {
                    let d = day_number(date);
                    if (first..=last).contains(&d) {
                        f(d);
                    }
                }
            }
        }
    }
}

/// The date of a yearly rule in `year`; `None` when that year has no such date (31 April,
/// 29 February outside leap years, a 5th Monday).
fn yearly_date(year: i16, month: i8, day: YearlyDay) -> Option<Date> {
    match day {
        YearlyDay::Day(d) => Date::new(year, month, d).ok(),
        YearlyDay::Nth { n, weekday } => Date::new(year, month, 1)
            .ok()?
            .nth_weekday_of_month(n, weekday)
            .ok(),
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::{Weekday, date};
    use proptest::prelude::*;

    use super::*;
    use crate::time::{format_minute, minute_of};

    /// `"2027-03-01T08:00"` as a [`Minute`].
    fn m(s: &str) -> Minute {
        minute_of(s.parse().unwrap())
    }

    fn f(t: Minute) -> String {
        format_minute(t)
    }

    /// 2027 and 2028.
    fn index(cals: &[Calendar], id: u32) -> CalendarIndex {
        CalendarIndex::build(cals, CalendarId(id), date(2027, 1, 1), date(2028, 12, 31)).unwrap()
    }

    fn exception(name: &str, dates: DateRule, shifts: Vec<Shift>) -> Exception {
        Exception {
            name: name.to_owned(),
            dates,
            shifts,
        }
    }

    fn on(y: i16, mo: i8, d: i8) -> DateRule {
        DateRule::Range {
            from: date(y, mo, d),
            to: date(y, mo, d),
        }
    }

    fn yearly(month: i8, day: YearlyDay) -> DateRule {
        DateRule::Yearly {
            month,
            day,
            from_year: None,
            to_year: None,
        }
    }

    fn hours(shifts: &[(u16, u16)]) -> Vec<Shift> {
        shifts
            .iter()
            .map(|&(s, e)| Shift::new(s, 0, e, 0))
            .collect()
    }

    /// Checks `(op, t, n, expected)` rows against `idx`.
    fn check(idx: &CalendarIndex, rows: &[(&str, &str, i64, &str)]) {
        for &(op, t, n, want) in rows {
            let got = match op {
                "add" => f(idx.add(m(t), n)),
                "sub" => f(idx.sub(m(t), n)),
                "next" => f(idx.next_working(m(t))),
                "prev" => f(idx.prev_working_end(m(t))),
                "work" => idx.work_between(m(t), m(want)).to_string(),
                _ => unreachable!("{op}"),
            };
            let want = if op == "work" {
                n.to_string()
            } else {
                want.to_owned()
            };
            assert_eq!(got, want, "{op}({t}, {n})");
        }
    }

    #[test]
    fn standard_calendar_follows_ms_project() {
        let idx = index(&[Calendar::standard("Standard")], 0);
        // 2027-03-01 is a Monday.
        check(
            &idx,
            &[
                // One day from Monday 08:00 finishes Monday 17:00, not Tuesday 08:00.
                ("add", "2027-03-01T08:00", 480, "2027-03-01T17:00"),
                // Half a day ends at noon, not when the afternoon starts.
                ("add", "2027-03-01T08:00", 240, "2027-03-01T12:00"),
                ("add", "2027-03-01T08:00", 241, "2027-03-01T13:01"),
                // Crossing the lunch break.
                ("add", "2027-03-01T11:00", 120, "2027-03-01T14:00"),
                // From a non-working instant: count from the next working one.
                ("add", "2027-03-01T12:30", 60, "2027-03-01T14:00"),
                ("add", "2027-03-01T06:00", 60, "2027-03-01T09:00"),
                ("add", "2027-03-06T10:00", 60, "2027-03-08T09:00"),
                // Crossing the weekend.
                ("add", "2027-03-05T16:00", 120, "2027-03-08T09:00"),
                ("add", "2027-03-05T17:00", 480, "2027-03-08T17:00"),
                // A week.
                ("add", "2027-03-01T08:00", 2400, "2027-03-05T17:00"),
                // Zero: unchanged, even on a Saturday.
                ("add", "2027-03-06T10:00", 0, "2027-03-06T10:00"),
                // Negative: backwards.
                ("add", "2027-03-05T17:00", -480, "2027-03-05T08:00"),
                // One day back from Friday 17:00 is Friday 08:00.
                ("sub", "2027-03-05T17:00", 480, "2027-03-05T08:00"),
                ("sub", "2027-03-08T09:00", 120, "2027-03-05T16:00"),
                ("sub", "2027-03-01T13:00", 240, "2027-03-01T08:00"),
                ("sub", "2027-03-01T13:00", 60, "2027-03-01T11:00"),
                ("sub", "2027-03-01T12:30", 60, "2027-03-01T11:00"),
                ("sub", "2027-03-02T08:00", 480, "2027-03-01T08:00"),
                ("sub", "2027-03-07T12:00", 0, "2027-03-07T12:00"),
                ("sub", "2027-03-01T08:00", -480, "2027-03-01T17:00"),
                ("next", "2027-03-01T08:00", 0, "2027-03-01T08:00"),
                ("next", "2027-03-01T12:00", 0, "2027-03-01T13:00"),
                ("next", "2027-03-01T17:00", 0, "2027-03-02T08:00"),
                ("next", "2027-03-06T00:00", 0, "2027-03-08T08:00"),
                ("prev", "2027-03-01T10:00", 0, "2027-03-01T10:00"),
                ("prev", "2027-03-01T12:00", 0, "2027-03-01T12:00"),
                ("prev", "2027-03-01T13:00", 0, "2027-03-01T12:00"),
                ("prev", "2027-03-08T08:00", 0, "2027-03-05T17:00"),
                ("work", "2027-03-01T08:00", 2400, "2027-03-05T17:00"),
                ("work", "2027-03-05T16:00", 120, "2027-03-08T09:00"),
                ("work", "2027-03-08T09:00", -120, "2027-03-05T16:00"),
                ("work", "2027-03-01T12:00", 0, "2027-03-01T13:00"),
                ("work", "2027-03-06T00:00", 0, "2027-03-08T00:00"),
            ],
        );
        for (t, working) in [
            ("2027-03-01T07:59", false),
            ("2027-03-01T08:00", true),
            ("2027-03-01T11:59", true),
            ("2027-03-01T12:00", false),
            ("2027-03-01T16:59", true),
            ("2027-03-01T17:00", false),
            ("2027-03-06T10:00", false),
        ] {
            assert_eq!(idx.is_working(m(t)), working, "is_working({t})");
        }
        let shading: Vec<_> = idx
            .working_intervals(m("2027-03-05T10:00"), m("2027-03-08T09:00"))
            .map(|(s, e)| format!("{}..{}", f(s), f(e)))
            .collect();
        assert_eq!(
            shading,
            [
                "2027-03-05T10:00..2027-03-05T12:00",
                "2027-03-05T13:00..2027-03-05T17:00",
                "2027-03-08T08:00..2027-03-08T09:00",
            ]
        );
        assert_eq!(
            idx.working_intervals(m("2027-03-06T00:00"), m("2027-03-08T00:00"))
                .count(),
            0
        );
    }

    #[test]
    fn holidays_are_skipped() {
        let mut cal = Calendar::standard("France");
        cal.exceptions = vec![
            exception("Fête nationale", yearly(7, YearlyDay::Day(14)), vec![]),
            exception("Pont", on(2027, 7, 15), vec![]),
        ];
        let idx = index(&[cal], 0);
        check(
            &idx,
            &[
                // Tuesday 16:00 + 2 h: Wednesday 14th and Thursday 15th are off.
                ("add", "2027-07-13T16:00", 120, "2027-07-16T09:00"),
                ("sub", "2027-07-16T09:00", 120, "2027-07-13T16:00"),
                ("next", "2027-07-14T10:00", 0, "2027-07-16T08:00"),
                ("prev", "2027-07-16T08:00", 0, "2027-07-13T17:00"),
                ("work", "2027-07-12T00:00", 1440, "2027-07-19T00:00"),
                // Next year's 14 July (a Friday) too.
                ("add", "2028-07-13T17:00", 60, "2028-07-17T09:00"),
            ],
        );
    }

    #[test]
    fn yearly_rules_resolve_to_the_right_dates() {
        let mut cal = Calendar::standard("US");
        cal.exceptions = vec![
            exception(
                "Thanksgiving",
                yearly(
                    11,
                    YearlyDay::Nth {
                        n: 4,
                        weekday: Weekday::Thursday,
                    },
                ),
                vec![],
            ),
            exception(
                "Memorial Day",
                yearly(
                    5,
                    YearlyDay::Nth {
                        n: -1,
                        weekday: Weekday::Monday,
                    },
                ),
                vec![],
            ),
            exception("Leap day", yearly(2, YearlyDay::Day(29)), vec![]),
            exception(
                "Fifth Friday",
                yearly(
                    1,
                    YearlyDay::Nth {
                        n: 5,
                        weekday: Weekday::Friday,
                    },
                ),
                vec![],
            ),
            exception(
                "Only 2028",
                DateRule::Yearly {
                    month: 6,
                    day: YearlyDay::Day(14),
                    from_year: Some(2028),
                    to_year: Some(2030),
                },
                vec![],
            ),
        ];
        let cals = [cal];
        let idx = index(&cals, 0);
        let worked = |y, mo, d| !shifts_on(&cals, CalendarId(0), date(y, mo, d)).is_empty();
        for (y, mo, d, want) in [
            (2027, 11, 25, false), // 4th Thursday of November 2027
            (2027, 11, 18, true),
            (2028, 11, 23, false),
            (2027, 5, 31, false), // last Monday of May 2027
            (2027, 5, 24, true),
            (2028, 5, 29, false),
            (2028, 2, 29, false), // a Tuesday in a leap year
            (2027, 3, 1, true),   // no 29 February in 2027: skipped, not moved
            (2027, 2, 26, true),
            (2027, 1, 29, false), // January 2027 has five Fridays…
            (2028, 1, 28, true),  // …January 2028 only four
            (2027, 6, 14, true),  // before from_year
            (2028, 6, 14, false),
        ] {
            assert_eq!(worked(y, mo, d), want, "{y}-{mo}-{d}");
            let noon = date(y, mo, d).to_datetime(jiff::civil::time(10, 0, 0, 0));
            assert_eq!(idx.is_working(minute_of(noon)), want, "{y}-{mo}-{d}");
        }
        check(
            &idx,
            &[("add", "2028-02-28T17:00", 480, "2028-03-01T17:00")],
        );
    }

    #[test]
    fn weekly_exceptions_and_working_saturdays() {
        let mut cal = Calendar::standard("Summer");
        cal.exceptions = vec![
            exception(
                "Fridays off in August",
                DateRule::Weekly {
                    weekdays: vec![Weekday::Friday],
                    from: date(2027, 8, 1),
                    to: date(2027, 8, 31),
                },
                vec![],
            ),
            exception("Release weekend", on(2027, 3, 6), hours(&[(9, 12)])),
        ];
        let cals = [cal];
        let idx = index(&cals, 0);
        for (d, want) in [(5, true), (6, false), (13, false), (27, false), (30, true)] {
            assert_eq!(
                !shifts_on(&cals, CalendarId(0), date(2027, 8, d)).is_empty(),
                want,
                "August {d}"
            );
        }
        assert_eq!(
            shifts_on(&cals, CalendarId(0), date(2027, 3, 6)),
            hours(&[(9, 12)])
        );
        check(
            &idx,
            &[
                ("add", "2027-08-05T16:00", 120, "2027-08-09T09:00"),
                // Friday 16:00 + 2 h: one hour on Friday, one on Saturday morning.
                ("add", "2027-03-05T16:00", 120, "2027-03-06T10:00"),
                ("add", "2027-03-05T16:00", 240, "2027-03-06T12:00"),
                ("add", "2027-03-05T16:00", 241, "2027-03-08T08:01"),
                ("sub", "2027-03-08T08:00", 180, "2027-03-06T09:00"),
            ],
        );
    }

    #[test]
    fn derived_calendars_inherit_and_override() {
        let mut company = Calendar::standard("Company");
        company.exceptions = vec![
            exception("Fête nationale", on(2027, 7, 14), vec![]),
            // A Friday: the base's holiday beats the derived calendar's own Friday.
            exception("Summer closing", on(2027, 7, 16), vec![]),
            exception("Christmas", yearly(12, YearlyDay::Day(24)), vec![]),
        ];
        let mut alice = Calendar::derived("Alice", CalendarId(0));
        // Half days on Fridays.
        alice.week[4] = Some(hours(&[(8, 12)]));
        alice.exceptions = vec![
            exception("On call", on(2027, 7, 14), hours(&[(8, 12)])),
            exception("Vacation", on(2027, 3, 3), vec![]),
            // The last exception covering a date wins.
            exception("Vacation cancelled", on(2027, 3, 3), hours(&[(10, 11)])),
        ];
        let mut bob = Calendar::derived("Bob", CalendarId(1));
        bob.week[5] = Some(hours(&[(10, 14)]));
        let cals = [company, alice, bob];
        let shifts = |id, y, mo, d| shifts_on(&cals, CalendarId(id), date(y, mo, d));
        let standard = hours(&[(8, 12), (13, 17)]);
        assert_eq!(shifts(1, 2027, 3, 1), standard); // inherited Monday
        assert_eq!(shifts(1, 2027, 3, 5), hours(&[(8, 12)])); // own Friday
        assert_eq!(shifts(1, 2027, 3, 6), vec![]); // inherited weekend
        assert_eq!(shifts(1, 2027, 7, 14), hours(&[(8, 12)])); // own exception beats the base's
        assert_eq!(shifts(1, 2027, 7, 16), vec![]); // base holiday beats own weekday
        assert_eq!(shifts(1, 2027, 12, 24), vec![]); // inherited yearly holiday
        assert_eq!(shifts(1, 2027, 3, 3), hours(&[(10, 11)]));
        // Two levels: Bob works Saturdays, otherwise Alice's calendar.
        assert_eq!(shifts(2, 2027, 3, 6), hours(&[(10, 14)]));
        assert_eq!(shifts(2, 2027, 3, 5), hours(&[(8, 12)]));
        assert_eq!(shifts(2, 2027, 7, 14), hours(&[(8, 12)]));
        assert_eq!(shifts(2, 2027, 7, 16), vec![]);

        let idx = index(&cals, 1);
        check(
            &idx,
            &[
                ("add", "2027-03-05T08:00", 480, "2027-03-08T12:00"),
                // Wednesday 3rd: one hour (the vacation was cancelled for 10:00-11:00).
                (
                    "work",
                    "2027-03-01T00:00",
                    480 * 3 + 60 + 240,
                    "2027-03-06T00:00",
                ),
                (
                    "work",
                    "2027-03-01T00:00",
                    480 * 3 + 60 + 240 + 60,
                    "2027-03-08T09:00",
                ),
            ],
        );

        // A derived calendar whose chain never defines a weekday does not work it.
        let mut bare = Calendar::derived("Bare", CalendarId(0));
        bare.week = Default::default();
        let empty = Calendar {
            uid: String::new(),
            name: "Empty".to_owned(),
            base: None,
            week: Default::default(),
            exceptions: vec![],
        };
        let cals = [empty, bare];
        assert_eq!(shifts_on(&cals, CalendarId(1), date(2027, 3, 1)), vec![]);
        assert_eq!(index(&cals, 1).total_work(), 0);
    }

    #[test]
    fn twenty_four_hours_is_one_interval() {
        let idx = index(&[Calendar::twenty_four_hours("24h")], 0);
        let (start, end) = idx.horizon();
        assert_eq!(
            idx.working_intervals(start, end).collect::<Vec<_>>(),
            [(start, end)]
        );
        check(
            &idx,
            &[
                ("add", "2027-03-01T23:00", 120, "2027-03-02T01:00"),
                ("sub", "2027-03-02T01:00", 120, "2027-03-01T23:00"),
                ("add", "2027-03-05T00:00", 3 * 1440, "2027-03-08T00:00"),
                ("next", "2027-03-06T03:00", 0, "2027-03-06T03:00"),
                ("prev", "2027-03-06T00:00", 0, "2027-03-06T00:00"),
                ("work", "2027-03-01T00:00", 7 * 1440, "2027-03-08T00:00"),
            ],
        );
        assert!(idx.is_working(m("2027-03-06T00:00")));
    }

    #[test]
    fn night_shift_merges_across_midnight() {
        // Monday to Friday nights 22:00-06:00, written as each day's 00:00-06:00 and 22:00-24:00.
        let night = Some(hours(&[(22, 24), (0, 6)]));
        let cal = Calendar {
            uid: String::new(),
            name: "Night".to_owned(),
            base: None,
            week: [
                night.clone(),
                night.clone(),
                night.clone(),
                night.clone(),
                night,
                Some(vec![]),
                Some(vec![]),
            ],
            exceptions: vec![],
        };
        let idx = index(&[cal], 0);
        let shading: Vec<_> = idx
            .working_intervals(m("2027-03-01T20:00"), m("2027-03-02T12:00"))
            .map(|(s, e)| format!("{}..{}", f(s), f(e)))
            .collect();
        assert_eq!(shading, ["2027-03-01T22:00..2027-03-02T06:00"]);
        check(
            &idx,
            &[
                ("add", "2027-03-01T23:00", 120, "2027-03-02T01:00"),
                ("add", "2027-03-01T22:00", 480, "2027-03-02T06:00"),
                ("sub", "2027-03-02T06:00", 480, "2027-03-01T22:00"),
                ("next", "2027-03-02T06:00", 0, "2027-03-02T22:00"),
                ("prev", "2027-03-02T00:00", 0, "2027-03-02T00:00"),
                // Friday night's shift ends at midnight; the weekend is off.
                ("add", "2027-03-05T23:00", 120, "2027-03-08T01:00"),
            ],
        );
        assert!(idx.is_working(m("2027-03-02T00:00")));
        assert!(!idx.is_working(m("2027-03-06T00:00")));
    }

    #[test]
    fn always_is_the_clock() {
        let idx = CalendarIndex::always();
        let t = m("2027-03-06T10:00");
        assert!(idx.is_always());
        assert!(idx.is_working(t));
        assert_eq!(idx.add(t, 3 * 1440), m("2027-03-09T10:00"));
        assert_eq!(idx.add(t, -60), m("2027-03-06T09:00"));
        assert_eq!(idx.sub(t, 60), m("2027-03-06T09:00"));
        assert_eq!(idx.work_between(t, t + 100), 100);
        assert_eq!(idx.work_between(t + 100, t), -100);
        assert_eq!(idx.next_working(t), t);
        assert_eq!(idx.prev_working_end(t), t);
        assert_eq!(
            idx.working_intervals(t, t + 5).collect::<Vec<_>>(),
            [(t, t + 5)]
        );
        assert_eq!(idx.working_intervals(t, t).count(), 0);
        assert!(!idx.saturated(t));
        assert_eq!(idx.add(t, i64::MAX), i64::MAX);
    }

    #[test]
    fn saturates_at_the_horizon() {
        let cals = [Calendar::standard("S")];
        // Monday 1 to Sunday 7 March 2027.
        let idx =
            CalendarIndex::build(&cals, CalendarId(0), date(2027, 3, 1), date(2027, 3, 7)).unwrap();
        let (start, end) = idx.horizon();
        assert_eq!(
            (f(start), f(end)),
            ("2027-03-01T00:00".into(), "2027-03-08T00:00".into())
        );
        let t = m("2027-03-03T10:00");
        assert_eq!(idx.add(t, 100_000), end);
        assert!(idx.saturated(idx.add(t, 100_000)));
        assert_eq!(idx.sub(t, 100_000), start);
        assert!(idx.saturated(idx.sub(t, 100_000)));
        assert!(!idx.saturated(idx.add(t, 60)));
        assert_eq!(idx.add(t, i64::MAX), end);
        assert_eq!(idx.add(t, i64::MIN), start);
        assert_eq!(idx.sub(t, i64::MAX), start);
        assert_eq!(idx.sub(t, i64::MIN), end);
        assert_eq!(idx.next_working(m("2027-03-05T18:00")), end);
        assert_eq!(idx.prev_working_end(m("2027-03-01T07:00")), start);
        // Outside the horizon nothing is worked, and nothing moves backwards.
        let before = start - 5000;
        let after = end + 5000;
        assert!(!idx.is_working(before) && !idx.is_working(after));
        assert_eq!(idx.add(after, 60), after);
        assert_eq!(idx.sub(before, 60), before);
        assert_eq!(idx.next_working(after), after);
        assert_eq!(idx.next_working(before), m("2027-03-01T08:00"));
        assert_eq!(idx.prev_working_end(before), before);
        assert_eq!(idx.prev_working_end(after), m("2027-03-05T17:00"));
        assert_eq!(idx.add(before, 60), m("2027-03-01T09:00"));
        assert_eq!(idx.sub(after, 60), m("2027-03-05T16:00"));
        assert_eq!(idx.work_between(before, after), 2400);
        assert_eq!(idx.work_between(i64::MIN, i64::MAX), 2400);
        assert_eq!(idx.working_intervals(before, after).count(), 10);

        // An empty horizon and a calendar that never works: no panic, no loop.
        let empty =
            CalendarIndex::build(&cals, CalendarId(0), date(2027, 3, 7), date(2027, 3, 1)).unwrap();
        assert_eq!(empty.add(t, 60), t.max(empty.horizon().1));
        assert_eq!(empty.sub(t, 60), t.min(empty.horizon().0));
        assert!(!empty.is_working(t));
        assert_eq!(empty.work_between(t, t + 1000), 0);
        let mut never = Calendar::standard("Never");
        never.week = std::array::from_fn(|_| Some(vec![]));
        let never = index(&[never], 0);
        assert_eq!(never.add(t, 1), never.horizon().1);
        assert_eq!(never.sub(t, 1), never.horizon().0);
        assert_eq!(never.next_working(t), never.horizon().1);
        assert_eq!(never.prev_working_end(t), never.horizon().0);
    }

    #[test]
    fn invalid_calendars_are_errors() {
        let a = Calendar::derived("A", CalendarId(1));
        let b = Calendar::derived("B", CalendarId(0));
        let c = Calendar::derived("C", CalendarId(0));
        let cals = [a, b, c];
        let build = |cals: &[Calendar], id| {
            CalendarIndex::build(cals, CalendarId(id), date(2027, 1, 1), date(2027, 12, 31))
                .map(|_| ())
        };
        assert_eq!(
            build(&cals, 0),
            Err(CalendarError::BaseCycle { name: "A".into() })
        );
        // C is not in the cycle but reaches it.
        assert_eq!(
            build(&cals, 2),
            Err(CalendarError::BaseCycle { name: "A".into() })
        );
        assert_eq!(shifts_on(&cals, CalendarId(0), date(2027, 3, 1)), vec![]);
        assert_eq!(
            build(&cals, 7),
            Err(CalendarError::UnknownCalendar { index: 7 })
        );

        let mut bad = Calendar::standard("Bad");
        bad.week[2] = Some(vec![Shift {
            start: 600,
            end: 600,
        }]);
        let err = build(&[bad.clone()], 0).unwrap_err();
        assert_eq!(
            err,
            CalendarError::InvalidShift {
                calendar: "Bad".into(),
                owner: "Wednesday".into(),
                start: 600,
                end: 600
            }
        );
        assert_eq!(
            err.to_string(),
            "calendar \"Bad\": the shift 10:00-10:00 of Wednesday is invalid \
             (it must start before it ends and end at 24:00 at the latest)"
        );
        bad.week[2] = None;
        bad.exceptions = vec![exception(
            "Late",
            on(2027, 3, 1),
            vec![Shift {
                start: 1380,
                end: 1500,
            }],
        )];
        assert_eq!(
            build(&[bad.clone()], 0),
            Err(CalendarError::InvalidShift {
                calendar: "Bad".into(),
                owner: "exception \"Late\"".into(),
                start: 1380,
                end: 1500
            })
        );
        // Checked even when the exception is outside the horizon.
        bad.exceptions[0].dates = on(1999, 3, 1);
        assert!(build(&[bad.clone()], 0).is_err());

        for rule in [
            DateRule::Range {
                from: date(2027, 3, 2),
                to: date(2027, 3, 1),
            },
            yearly(13, YearlyDay::Day(1)),
            yearly(1, YearlyDay::Day(0)),
            yearly(
                1,
                YearlyDay::Nth {
                    n: 0,
                    weekday: Weekday::Monday,
                },
            ),
        ] {
            bad.exceptions = vec![exception("Odd", rule.clone(), vec![])];
            assert!(
                matches!(
                    build(&[bad.clone()], 0),
                    Err(CalendarError::InvalidException { .. })
                ),
                "{rule:?}"
            );
        }
    }

    #[test]
    fn unsorted_and_overlapping_shifts_are_normalised() {
        let mut cal = Calendar::standard("Messy");
        cal.week[0] = Some(hours(&[(13, 17), (8, 12), (9, 10), (12, 13)]));
        let cals = [cal];
        assert_eq!(
            shifts_on(&cals, CalendarId(0), date(2027, 3, 1)),
            hours(&[(8, 17)])
        );
        let idx = index(&cals, 0);
        check(
            &idx,
            &[("add", "2027-03-01T08:00", 540, "2027-03-01T17:00")],
        );
    }

    #[test]
    fn weekday_arithmetic_matches_jiff() {
        for day in -800..800 {
            let expected = date_of_day(day).weekday().to_monday_zero_offset() as usize;
            assert_eq!(weekday_index(day), expected, "day {day}");
        }
    }

    /// A minute-by-minute reference: `work[k]` says whether minute `start + k` is worked.
    struct Reference {
        start: Minute,
        work: Vec<bool>,
        /// `prefix[k]`: worked minutes in `[start, start + k)`.
        prefix: Vec<i64>,
    }

    impl Reference {
        fn new(cals: &[Calendar], id: CalendarId, from: Date, days: i64) -> Reference {
            let start = day_number(from) * MINUTES_PER_DAY;
            let mut work = vec![false; (days * MINUTES_PER_DAY) as usize];
            for d in 0..days {
                let day = day_number(from) + d;
                for s in shifts_on(cals, id, date_of_day(day)) {
                    for k in s.start..s.end {
                        work[(d * MINUTES_PER_DAY) as usize + k as usize] = true;
                    }
                }
            }
            let mut prefix = vec![0];
            for &w in &work {
                prefix.push(prefix.last().unwrap() + i64::from(w));
            }
            Reference {
                start,
                work,
                prefix,
            }
        }
        fn end(&self) -> Minute {
            self.start + self.work.len() as i64
        }
        fn w(&self, t: Minute) -> i64 {
            self.prefix[(t - self.start).clamp(0, self.work.len() as i64) as usize]
        }
        fn is_working(&self, t: Minute) -> bool {
            t >= self.start && t < self.end() && self.work[(t - self.start) as usize]
        }
        fn next_working(&self, t: Minute) -> Minute {
            (t.max(self.start)..self.end())
                .find(|&u| self.is_working(u))
                .unwrap_or(t.max(self.end()))
        }
        fn prev_working_end(&self, t: Minute) -> Minute {
            (self.start + 1..=t.min(self.end()))
                .rev()
                .find(|&u| self.is_working(u - 1))
                .unwrap_or(t.min(self.start))
        }
        fn add(&self, t: Minute, n: i64) -> Minute {
            let target = self.w(t) + n;
            (t.max(self.start)..=self.end())
                .find(|&u| self.w(u) == target)
                .unwrap_or(t.max(self.end()))
        }
        fn sub(&self, t: Minute, n: i64) -> Minute {
            let target = self.w(t) - n;
            (self.start..=t.min(self.end()))
                .rev()
                .find(|&u| self.w(u) == target)
                .unwrap_or(t.min(self.start))
        }
    }

    fn boundary() -> impl Strategy<Value = u16> {
        // Mostly round values, so shifts touch each other and midnight often.
        prop_oneof![
            Just(0u16),
            Just(1440u16),
            (0u16..=24).prop_map(|h| h * 60),
            0u16..=1440
        ]
    }

    fn shifts() -> impl Strategy<Value = Vec<Shift>> {
        prop::collection::vec((boundary(), boundary()), 0..4).prop_map(|pairs| {
            pairs
                .into_iter()
                .filter(|(a, b)| a != b)
                .map(|(a, b)| Shift {
                    start: a.min(b),
                    end: a.max(b),
                })
                .collect()
        })
    }

    /// A calendar with random week days, over a base with random exceptions, resolved over the
    /// 21 days from Monday 2027-03-01.
    fn random_calendars() -> impl Strategy<Value = Vec<Calendar>> {
        let week = || prop::array::uniform7(prop::option::of(shifts()));
        let exceptions = prop::collection::vec((0i64..21, 0i64..4, shifts()), 0..5);
        (week(), week(), exceptions).prop_map(|(base_week, own_week, exceptions)| {
            let first = day_number(date(2027, 3, 1));
            let base = Calendar {
                uid: String::new(),
                name: "Base".into(),
                base: None,
                week: base_week,
                exceptions: exceptions
                    .into_iter()
                    .map(|(from, len, shifts)| Exception {
                        name: "x".into(),
                        dates: DateRule::Range {
                            from: date_of_day(first + from),
                            to: date_of_day(first + from + len),
                        },
                        shifts,
                    })
                    .collect(),
            };
            let own = Calendar {
                uid: String::new(),
                name: "Own".into(),
                base: Some(CalendarId(0)),
                week: own_week,
                exceptions: vec![],
            };
            vec![base, own]
        })
    }

    const DAYS: i64 = 21;

    proptest! {
        /// Every operation agrees with a minute-by-minute reference, in and around the horizon.
        #[test]
        fn matches_minute_by_minute_reference(
            cals in random_calendars(),
            probes in prop::collection::vec((-2000i64..DAYS * 1440 + 2000, 0i64..6000), 40),
        ) {
            let from = date(2027, 3, 1);
            let idx = CalendarIndex::build(
                &cals, CalendarId(1), from, date_of_day(day_number(from) + DAYS - 1),
            ).unwrap();
            let reference = Reference::new(&cals, CalendarId(1), from, DAYS);
            prop_assert_eq!(idx.horizon(), (reference.start, reference.end()));
            for (offset, n) in probes {
                let t = reference.start + offset;
                prop_assert_eq!(idx.is_working(t), reference.is_working(t), "is_working {}", t);
                prop_assert_eq!(idx.next_working(t), reference.next_working(t), "next {}", t);
                prop_assert_eq!(
                    idx.prev_working_end(t), reference.prev_working_end(t), "prev {}", t
                );
                if n > 0 {
                    prop_assert_eq!(idx.add(t, n), reference.add(t, n), "add {} {}", t, n);
                    prop_assert_eq!(idx.sub(t, n), reference.sub(t, n), "sub {} {}", t, n);
                }
                let u = t + n - 3000;
                prop_assert_eq!(idx.work_between(t, u), reference.w(u) - reference.w(t));
                let clipped: i64 = idx.working_intervals(t, u).map(|(s, e)| e - s).sum();
                prop_assert_eq!(clipped, (reference.w(u) - reference.w(t)).max(0));
            }
        }

        /// On the standard calendar: `add` counts exactly `n`, is monotonic in `t` and `n`, and
        /// round-trips with `sub` up to snapping to working time.
        #[test]
        fn add_and_sub_are_consistent(
            t in 0i64..300 * 1440,
            dt in 0i64..5000,
            n in 0i64..100_000,
            dn in 0i64..5000,
        ) {
            thread_local! {
                static IDX: CalendarIndex = index(&[Calendar::standard("S")], 0);
            }
            IDX.with(|idx| {
                let t = idx.horizon().0 + t;
                let end = idx.add(t, n);
                prop_assert!(!idx.saturated(end));
                prop_assert_eq!(idx.work_between(t, end), n);
                prop_assert_eq!(idx.work_between(idx.sub(t, n), t), n.min(idx.work_between(i64::MIN, t)));
                prop_assert!(idx.add(t + dt, n) >= end);
                prop_assert!(idx.add(t, n + dn) >= end);
                prop_assert!(idx.sub(t + dt, n) >= idx.sub(t, n));
                prop_assert!(idx.sub(t, n + dn) <= idx.sub(t, n));
                if n > 0 {
                    // `add` lands on a working end, `sub` on a working start.
                    prop_assert_eq!(idx.prev_working_end(end), end);
                    prop_assert_eq!(idx.sub(end, n), idx.next_working(t));
                    let back = idx.sub(t, n);
                    if !idx.saturated(back) {
                        prop_assert_eq!(idx.next_working(back), back);
                        prop_assert_eq!(idx.add(back, n), idx.prev_working_end(t));
                    }
                }
                Ok(())
            })?;
        }
    }

    /// `cargo test --release -p regie-core calendar::index::tests::bench -- --ignored --nocapture`
    #[test]
    #[ignore = "timing, run by hand in release mode"]
    fn bench() {
        use std::hint::black_box;
        use std::time::Instant;

        let mut cal = Calendar::standard("Company");
        let day = |month, d| yearly(month, YearlyDay::Day(d));
        let nth = |month, n, weekday| yearly(month, YearlyDay::Nth { n, weekday });
        cal.exceptions = vec![
            exception("New year", day(1, 1), vec![]),
            exception("May day", day(5, 1), vec![]),
            exception("Victory", day(5, 8), vec![]),
            exception("Bastille", day(7, 14), vec![]),
            exception("Assumption", day(8, 15), vec![]),
            exception("All saints", day(11, 1), vec![]),
            exception("Armistice", day(11, 11), vec![]),
            exception("Christmas", day(12, 25), vec![]),
            exception("Boxing day", day(12, 26), vec![]),
            exception("Thanksgiving", nth(11, 4, Weekday::Thursday), vec![]),
            exception("Memorial", nth(5, -1, Weekday::Monday), vec![]),
            exception("Labor", nth(9, 1, Weekday::Monday), vec![]),
            exception("Leap", day(2, 29), vec![]),
            exception(
                "Summer Fridays",
                DateRule::Weekly {
                    weekdays: vec![Weekday::Friday],
                    from: date(2030, 7, 1),
                    to: date(2040, 8, 31),
                },
                hours(&[(8, 12)]),
            ),
            exception(
                "Closing",
                DateRule::Range {
                    from: date(2031, 12, 20),
                    to: date(2032, 1, 5),
                },
                vec![],
            ),
            exception("Release", on(2033, 3, 5), hours(&[(9, 15)])),
            exception("Move", on(2034, 6, 1), vec![]),
            exception("Audit", on(2035, 6, 1), hours(&[(8, 10)])),
            exception("Offsite", on(2036, 9, 9), vec![]),
            exception("Strike", on(2037, 10, 10), vec![]),
        ];
        let cals = [cal];
        let (from, to) = (date(2025, 1, 1), date(2054, 12, 31));
        let runs = 200;
        let started = Instant::now();
        for _ in 0..runs {
            black_box(CalendarIndex::build(black_box(&cals), CalendarId(0), from, to).unwrap());
        }
        let build = started.elapsed() / runs;
        let idx = CalendarIndex::build(&cals, CalendarId(0), from, to).unwrap();

        // xorshift: no dev-dependency needed for a few million numbers.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (start, _) = idx.horizon();
        let span = 28 * 365 * 1440;
        let probes: Vec<(Minute, i64)> = (0..1_000_000)
            .map(|_| {
                let t = start + (next() % span) as i64;
                let n = (next() % (20 * 480)) as i64;
                (t, n)
            })
            .collect();
        let started = Instant::now();
        let mut acc = 0;
        for &(t, n) in &probes {
            acc ^= idx.add(black_box(t), black_box(n));
        }
        let add = started.elapsed().as_nanos() as f64 / probes.len() as f64;
        let started = Instant::now();
        for &(t, n) in &probes {
            acc ^= idx.sub(black_box(t), black_box(n));
        }
        let sub = started.elapsed().as_nanos() as f64 / probes.len() as f64;
        let started = Instant::now();
        for &(t, n) in &probes {
            acc ^= idx.work_between(black_box(t), black_box(t + 3 * n));
        }
        let between = started.elapsed().as_nanos() as f64 / probes.len() as f64;
        black_box(acc);
        println!(
            "30-year build: {build:?} ({} intervals); add {add:.1} ns, sub {sub:.1} ns, \
             work_between {between:.1} ns",
            idx.starts.len()
        );
    }

    proptest! {
        #[test]
        fn spans_equal_the_composed_operations(t in 0i64..40_000, n in 1i64..20_000) {
            let calendars = vec![Calendar::standard("Standard")];
            let index = CalendarIndex::build(
                &calendars,
                CalendarId(0),
                date(1970, 1, 1),
                date(1970, 3, 31),
            )
            .unwrap();
            let t = t * 3;
            prop_assert_eq!(index.span_after(t, n), (index.next_working(t), index.add(t, n)));
            prop_assert_eq!(index.span_before(t, n), (index.sub(t, n), index.prev_working_end(t)));
        }
    }
}
