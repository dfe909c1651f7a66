//! Renderers of a scheduled project: the Gantt chart and the workload histograms as standalone
//! SVG documents, and the schedule as an aligned text table or as CSV.
//!
//! Architecture Invariant: renderers do no I/O and read no clock. They take a [`Project`], the
//! [`Schedule`] the engine computed for it and options ("today" is an option), and return a
//! `String`; the same inputs give the same bytes. They never schedule: every date drawn or printed
//! comes from the `Schedule` (summary bars are only widened to cover their children).
//!
//! The one thing they compute from the calendars is presentation: non-working days to shade and
//! working durations to print, both from the project calendar's
//! [`CalendarIndex`](regie_core::calendar::CalendarIndex).
//!
//! [`Project`]: regie_core::Project
//! [`Schedule`]: regie_core::Schedule

mod common;
mod gantt;
mod svg;
mod table;
mod timescale;
mod workload;

pub use gantt::{GanttOptions, gantt_svg};
pub use table::{schedule_csv, schedule_table};
pub use timescale::Zoom;
pub use workload::workload_svg;
