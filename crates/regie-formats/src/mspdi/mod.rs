//! MS Project XML (MSPDI): the `<Project xmlns="http://schemas.microsoft.com/project">` files
//! MS Project writes with File > Save As > XML.
//!
//! [`read`] turns such a file into a [`regie_core::Project`]; [`detect`] tells MSPDI from the
//! other project formats by content, so that a caller can say what to do with an `.mpp` or a
//! Primavera export instead of failing on it as text.
//!
//! Reading is one streaming pass of quick-xml's pull parser over the bytes (no tree of the whole
//! file): the elements Regie knows become plain "raw" records with the byte offset of each, every
//! other element is skipped, and the raw records are then resolved into the model (UIDs into
//! ids, outline levels into parents, calendars and recurring exceptions into date rules). Errors
//! carry the byte offset of the element at fault and become `file:line:column` only when they
//! are reported.
//!
//! Architecture Invariant: the reader never expands entities and accepts no DTD; it bounds the
//! input size ([`MAX_INPUT_BYTES`]) and the nesting depth ([`MAX_DEPTH`]) and never recurses on
//! the input's structure, so no file makes it allocate or recurse without bound, or panic.

mod calendar;
mod detect;
mod error;
mod read;
mod values;
pub mod write;
mod xml;

pub use detect::{Detected, Foreign, detect};
pub use error::{ReadError, ReadErrorKind, line_column};
pub use read::{SourceMap, read, read_with_source_map};

/// The namespace of MS Project's XML schema (every version since Project 2002 uses it).
pub const NAMESPACE: &str = "http://schemas.microsoft.com/project";

/// The resource MS Project assigns to tasks with work but no resources.
const NO_RESOURCE: i64 = -65535;

/// Larger inputs are refused before parsing. The largest real plan at hand (6,260 tasks with
/// costs and timephased data) is 18 MB; this leaves room for plans ten times that size.
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;

/// Deeper nesting is refused. MSPDI itself nests at most 10 levels (`Project/Calendars/Calendar/
/// WorkWeeks/WorkWeek/WeekDays/WeekDay/WorkingTimes/WorkingTime/FromTime`).
pub const MAX_DEPTH: usize = 64;
