//! Calendar indexes kept between computations on the same calendars.
//!
//! Indexing a calendar over the engine's horizon costs far more than using it: leveling
//! reschedules a plan and measures its bookings dozens of times with only constraints
//! changed, and indexing two hundred personal calendars each time was most of its work. An
//! [`IndexCache`] keeps each calendar's index while the days asked for stay inside it; whoever
//! may hand it other calendars calls [`IndexCache::use_calendars`] first (the engine does at
//! every schedule), which empties it when they differ.

use std::sync::Arc;

use super::{Calendar, CalendarError, CalendarIndex};
use crate::cpm::Schedule;
use crate::model::{CalendarId, Project};
use crate::time::{MINUTES_PER_DAY, date_of_day};

#[derive(Default)]
pub struct IndexCache {
    /// The calendars the indexes were built from; other calendars empty the cache.
    calendars: Vec<Calendar>,
    /// Per calendar: the first and last day indexed, and the index.
    by_id: Vec<Option<(i64, i64, Arc<CalendarIndex>)>>,
    /// Days indexed beyond the last day asked for.
    margin_days: i64,
}

impl IndexCache {
    /// A cache for a plan that grows between calls (leveling delays push its finish day by
    /// day): each index is built two years longer than asked, so it is not rebuilt at every
    /// step. (`IndexCache::default()` builds exactly what is asked.)
    pub fn for_a_growing_plan() -> IndexCache {
        IndexCache {
            margin_days: 2 * 366,
            ..IndexCache::default()
        }
    }

    /// Forgets every index unless they were built from `calendars`.
    pub fn use_calendars(&mut self, calendars: &[Calendar]) {
        if self.calendars != calendars {
            self.calendars = calendars.to_vec();
            self.by_id.clear();
        }
    }

    /// The index of calendar `id` of `calendars` over at least the days
    /// `first_day..=last_day`.
    pub fn get(
        &mut self,
        calendars: &[Calendar],
        id: CalendarId,
        first_day: i64,
        last_day: i64,
    ) -> Result<Arc<CalendarIndex>, CalendarError> {
        if self.by_id.len() < calendars.len() {
            self.by_id.resize_with(calendars.len(), || None);
        }
        let build = |from: i64, to: i64| {
            CalendarIndex::build(calendars, id, date_of_day(from), date_of_day(to)).map(Arc::new)
        };
        let Some(slot) = self.by_id.get_mut(id.index()) else {
            // Not one of the calendars: the build reports it.
            return build(first_day, last_day);
        };
        if let Some((from, to, index)) = slot
            && *from <= first_day
            && *to >= last_day
        {
            return Ok(index.clone());
        }
        let (from, to) = (first_day, last_day + self.margin_days);
        let index = build(from, to)?;
        *slot = Some((from, to, index.clone()));
        Ok(index)
    }

    /// The index of calendar `id` of `project` over the days of `schedule`, a week before
    /// it and two years after (what bookings and leveling delays reach).
    pub fn covering(
        &mut self,
        project: &Project,
        id: CalendarId,
        schedule: &Schedule,
    ) -> Result<Arc<CalendarIndex>, CalendarError> {
        let first = schedule.start.div_euclid(MINUTES_PER_DAY) - 7;
        let last = schedule.finish.div_euclid(MINUTES_PER_DAY) + 2 * 366;
        self.get(&project.calendars, id, first, last)
    }
}
