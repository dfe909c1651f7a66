//! regie-lang's integration tests: one binary, one module per concern.
//!
//! Most tests are data: a small project file and the exact output a person would see,
//! as inline `expect_test` snapshots. `UPDATE_EXPECT=1 cargo test -p regie-lang` rewrites them;
//! review the diff.

mod diagnostics;
mod example;
mod print;
mod progress;
mod project_calendar;
mod robustness;
mod round_trip;

use expect_test::Expect;
use regie_lang::Parsed;

/// Parses `text`, which must be valid.
#[track_caller]
pub fn parse_ok(text: &str) -> Parsed {
    match regie_lang::parse("plan.kdl", text) {
        Ok(parsed) => parsed,
        Err(diagnostics) => panic!("expected no errors, got:\n{diagnostics}"),
    }
}

/// Parses `text`, which must fail, and compares the rendered diagnostics.
#[track_caller]
pub fn check_errors(text: &str, expect: Expect) {
    match regie_lang::parse("plan.kdl", text) {
        Ok(_) => panic!("expected errors, but the file parsed"),
        Err(diagnostics) => expect.assert_eq(&counted(&diagnostics)),
    }
}

/// The rendering after a count line: the count line starts at the margin, which keeps
/// `expect_test` from stripping the rendering's own indentation.
pub fn counted(diagnostics: &regie_lang::Diagnostics) -> String {
    let n = diagnostics.len();
    format!(
        "{n} error{}\n{}",
        if n == 1 { "" } else { "s" },
        diagnostics.render(false)
    )
}

/// Parses `text`, which must fail, and compares the one-line messages.
#[track_caller]
pub fn check_messages(text: &str, expect: Expect) {
    match regie_lang::parse("plan.kdl", text) {
        Ok(_) => panic!("expected errors, but the file parsed"),
        Err(diagnostics) => expect.assert_eq(&(diagnostics.messages().join("\n") + "\n")),
    }
}

/// A valid project header to put in front of snippets.
pub const HEADER: &str = "project \"Demo\" {\n    start \"2027-01-04\"\n}\n";
