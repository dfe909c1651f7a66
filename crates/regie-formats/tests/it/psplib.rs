//! PSPLIB instances of every size read, solve with a small budget, and give feasible schedules
//! no shorter than the critical-path bound (nor, for J30, than the proven optimum).

use std::path::Path;

use regie_core::level::{SolveOptions, lower_bound, solve, violations};
use regie_formats::psplib;

/// Instances across parameter classes: easy and tight resources, sparse and dense networks.
const SAMPLE: &[&str] = &[
    "j30/j301_1.sm",
    "j30/j3013_1.sm",
    "j30/j3045_3.sm",
    "j60/j601_1.sm",
    "j60/j6029_5.sm",
    "j120/j1201_1.sm",
    "j120/j12046_4.sm",
];

/// ../shared/data/psplib, or `None` (saying so) on a machine without it.
fn psplib_dir() -> Option<&'static Path> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/psplib"
    ));
    if !dir.is_dir() {
        eprintln!("SKIPPED: no PSPLIB data at {}", dir.display());
        return None;
    }
    Some(dir)
}

#[test]
fn psplib_sample_solves_feasibly() {
    let Some(dir) = psplib_dir() else { return };
    let optima = std::fs::read_to_string(dir.join("solutions/reference.csv")).unwrap();
    for name in SAMPLE {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap();
        let problem = match psplib::read(name, &bytes) {
            Ok(problem) => problem,
            Err(error) => panic!("{error}"),
        };
        let jobs = problem.jobs.len();
        assert!(
            jobs == 32 || jobs == 62 || jobs == 122,
            "{name}: {jobs} jobs"
        );
        assert_eq!(problem.capacities.len(), 4, "{name}");
        let bound = lower_bound(&problem).unwrap();
        let solution = solve(
            &problem,
            &SolveOptions {
                schedules: 500,
                seed: 1,
            },
        )
        .unwrap();
        assert_eq!(violations(&problem, &solution.starts), vec![], "{name}");
        assert!(
            solution.makespan >= bound,
            "{name}: below the bound {bound}"
        );
        assert!(solution.schedules_generated <= 500, "{name}");
        let instance = name.rsplit('/').next().unwrap().trim_end_matches(".sm");
        let optimum: Option<u32> = optima.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[0] == instance && fields.get(4) == Some(&"1"))
                .then(|| fields[2].parse().unwrap())
        });
        if let Some(optimum) = optimum {
            assert!(
                solution.makespan >= optimum,
                "{name}: below the optimum {optimum}"
            );
            // A weak guard against a search that does nothing: within 10% at 500 schedules.
            assert!(
                solution.makespan * 10 <= optimum * 11,
                "{name}: {} against the optimum {optimum}",
                solution.makespan
            );
        }
    }
}

#[test]
fn every_psplib_file_reads() {
    let Some(dir) = psplib_dir() else { return };
    let mut count = 0;
    for (set, jobs) in [("j30", 32), ("j60", 62), ("j120", 122)] {
        for entry in std::fs::read_dir(dir.join(set)).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let name = path.display().to_string();
            let problem = match psplib::read(&name, &bytes) {
                Ok(problem) => problem,
                Err(error) => panic!("{error}"),
            };
            assert_eq!(problem.jobs.len(), jobs, "{name}");
            assert!(lower_bound(&problem).is_ok(), "{name}");
            count += 1;
        }
    }
    assert_eq!(count, 480 + 480 + 600);
}
