//! Any bytes: `read` returns a project or a located error, never panics, hangs or exhausts
//! memory; `detect` classifies them without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use regie_formats::mspdi;

fuzz_target!(|bytes: &[u8]| {
    let _ = mspdi::detect(bytes);
    match mspdi::read_with_source_map("fuzz.xml", bytes) {
        Ok((project, source_map)) => {
            // What the reader hands the engine holds together.
            assert_eq!(project.validate_references(), Ok(()));
            assert_eq!(source_map.tasks.len(), project.tasks.len());
            assert_eq!(source_map.links.len(), project.links.len());
        }
        Err(error) => {
            // Every error is located inside the input (or just past its end).
            let (line, column) = mspdi::line_column(bytes, bytes.len());
            assert!(error.line >= 1 && error.line <= line, "{error}");
            assert!(
                error.column >= 1 && (error.line < line || error.column <= column),
                "{error}"
            );
        }
    }
});
