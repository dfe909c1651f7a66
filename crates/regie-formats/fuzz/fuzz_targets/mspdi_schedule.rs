//! Whatever the reader accepts, the engine schedules or refuses with an error: the two together
//! never panic on a file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use regie_formats::mspdi;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(project) = mspdi::read("fuzz.xml", bytes) {
        let _ = regie_core::schedule(&project);
    }
});
