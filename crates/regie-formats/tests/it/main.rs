//! The MSPDI reader from the outside: every file of the shared MS Project corpus against its
//! oracle, one small hand-written file per feature, hostile inputs, and a timing run (ignored:
//! `cargo test --release -p regie-formats -- --ignored --nocapture timing`).

mod corpus;
mod features;
mod hostile;
mod psplib;
mod timing;

use std::path::PathBuf;

use regie_core::Project;
use regie_formats::mspdi::{self, ReadError};

/// The shared data directory: `$REGIE_SHARED`, else `../shared` beside the workspace. `None`
/// (with a note on stderr) when it is not there, so tests that need it are skipped.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("REGIE_SHARED").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")),
        PathBuf::from,
    );
    if dir.join("data").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: no shared data at {} (set REGIE_SHARED to its folder)",
            dir.display()
        );
        None
    }
}

/// A small MSPDI document: `body` inside `<Project>`, after a start date.
pub fn mspdi(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Project xmlns=\"http://schemas.microsoft.com/project\">\n\
         <StartDate>2027-01-04T08:00:00</StartDate>\n{body}\n</Project>\n"
    )
}

pub fn read(text: &str) -> Project {
    match mspdi::read("test.xml", text.as_bytes()) {
        Ok(project) => project,
        Err(error) => panic!("{error}\n{text}"),
    }
}

pub fn read_error(bytes: impl AsRef<[u8]>) -> ReadError {
    match mspdi::read("test.xml", bytes.as_ref()) {
        Ok(_) => panic!("read without error"),
        Err(error) => error,
    }
}
