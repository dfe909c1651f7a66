//! How long reading takes on the largest real plan at hand: SP10, a Primavera P6 export of
//! 6,260 activities converted to MSPDI by MPXJ (18 MB). Ignored by default; run it in release:
//! `cargo test --release -p regie-formats --test it -- --ignored --nocapture timing`.

use std::io::Read;
use std::time::Instant;

use regie_formats::mspdi;

use crate::shared_dir;

#[test]
#[ignore = "a timing, not a check: run in release with --ignored --nocapture"]
fn timing_sp10() {
    let Some(shared) = shared_dir() else { return };
    let path = shared.join("data/projects/derived/SP10_COST_LOADED.from-xer.mspdi.xml.gz");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    let mut times = Vec::new();
    let mut tasks = 0;
    for _ in 0..7 {
        let started = Instant::now();
        let project = mspdi::read("SP10", &bytes).unwrap();
        times.push(started.elapsed());
        tasks = project.tasks.len();
    }
    times.sort();
    let started = Instant::now();
    let project = mspdi::read("SP10", &bytes).unwrap();
    let schedule = regie_core::schedule(&project).unwrap();
    let with_schedule = started.elapsed();
    println!(
        "SP10: {} bytes, {tasks} tasks, {} links, {} resources: read median {:.1} ms (min {:.1} ms); \
         read + schedule {:.1} ms ({} warnings)",
        bytes.len(),
        project.links.len(),
        project.resources.len(),
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        with_schedule.as_secs_f64() * 1e3,
        schedule.warnings.len()
    );
}
