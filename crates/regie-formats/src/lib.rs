//! Interchange formats: MS Project XML (MSPDI) in and out, CSV, iCalendar.
//!
//! Architecture Invariant: this crate reads and writes bytes in memory; it opens no files. The
//! caller (the CLI, the server) owns I/O and limits.

pub mod ics;
pub mod mspdi;
pub mod psplib;
