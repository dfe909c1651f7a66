//! The Regie project file: a whole project as KDL v2 text.
//!
//! [`parse`] reads a file into a [`regie_core::Project`] and a [`SourceMap`] that locates its
//! tasks and links in the text, or returns [`Diagnostics`]: every error in the file, each with
//! its place, a message and a hint. [`print()`] writes a project back as canonical text, and
//! [`diagnostic_at`] locates an error found later (the engine's dependency cycle) in the file.
//! The format itself is documented in `docs/project-file.md`.
//!
//! Reading goes through three passes, each with its own module:
//! - `syntax`: text → KDL document (the `kdl` crate), after bounding size and nesting;
//! - `lower`: KDL → raw project: node and property names, argument counts, value types, and every
//!   value that can be read on its own, with spans;
//! - `resolve`: raw → `Project`: the project settings, ids and references, durations (which
//!   depend on the project's units), calendars, links and assignments.
//!
//! Architecture Invariant: no pass stops at the first error, and none panics or recurses without
//! bound on any input: errors are data ([`Error`]) and the nesting of the text is limited before
//! anything recursive looks at it. The crate does no I/O; callers hand it the text.

pub mod cells;
mod diag;
mod lower;
mod print;
mod resolve;
mod suggest;
mod syntax;
mod values;

pub use diag::{Diagnostics, Error, ErrorKind, diagnostic_at};
pub use miette::SourceSpan;
pub use print::print;

/// A project read from a file, with where its parts are in the text.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub project: regie_core::Project,
    pub source_map: SourceMap,
}

/// Byte spans into the parsed text, indexed like the project's vectors.
///
/// A task's span covers its node up to its block (`task "id" "Name" duration="5d"`), so that an
/// error about a summary task underlines one line, not the whole outline below it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Indexed by [`regie_core::TaskId`]: the `task` or `milestone` node.
    pub tasks: Vec<SourceSpan>,
    /// Indexed like `project.links`: the `after` node that made the link.
    pub links: Vec<SourceSpan>,
    /// Indexed by [`regie_core::ResourceId`]: the `resource` node.
    pub resources: Vec<SourceSpan>,
    /// Indexed like `project.assignments`: the `assign` node.
    pub assignments: Vec<SourceSpan>,
    /// Indexed by [`regie_core::CalendarId`]: the `calendar` node; for a calendar made from a
    /// resource's vacations, the `resource` node; for the built-in Standard calendar, an empty
    /// span at the start of the file.
    pub calendars: Vec<SourceSpan>,
}

/// Reads a project file. `file_name` is only used in messages.
pub fn parse(file_name: &str, text: &str) -> Result<Parsed, Diagnostics> {
    let document = match syntax::parse_kdl(text) {
        Ok(document) => document,
        Err(errors) => return Err(Diagnostics::new(file_name, text, errors)),
    };
    let mut lowerer = lower::Lowerer {
        text,
        errors: Vec::new(),
    };
    let raw = lowerer.file(&document);
    let mut resolver = resolve::Resolver {
        lines: diag::LineIndex::new(text),
        errors: lowerer.errors,
    };
    match resolver.project(&raw) {
        Some((project, source_map)) if resolver.errors.is_empty() => Ok(Parsed {
            project,
            source_map,
        }),
        _ => {
            let mut errors = resolver.errors;
            if errors.is_empty() {
                // `resolve` returns nothing only with a reason; keep that promise visible.
                errors.push(Error::new(
                    ErrorKind::Invalid,
                    SourceSpan::new(0.into(), 0),
                    "the file could not be read",
                    "here",
                ));
            }
            Err(Diagnostics::new(file_name, text, errors))
        }
    }
}
