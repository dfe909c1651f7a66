//! Regie's domain model and scheduling engine.
//!
//! Architecture Invariant: this crate does no I/O, starts no threads, reads no clock and knows no
//! file format. Time ("the status date", "today") is always an input. Given the same [`Project`],
//! [`schedule`] returns the same [`Schedule`].
//!
//! Layout: [`model`] holds the plain data (typed ids into `Vec`s), [`calendar`] the working-time
//! calendars and their precomputed index, [`cpm`] the forward/backward pass.

pub mod calendar;
pub mod cpm;
pub mod generate;
pub mod level;
pub mod model;
pub mod progress;
pub mod time;
pub mod usage;

pub use cpm::{Schedule, ScheduleError, TaskSchedule, Warning, schedule, schedule_with};
pub use model::*;
pub use time::Minute;
