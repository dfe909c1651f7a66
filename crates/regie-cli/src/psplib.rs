//! `regie bench psplib`: the leveling core on the PSPLIB benchmark, scored the way the
//! literature scores it (deviation from the best known makespan and from the critical-path
//! bound, at a budget of generated schedules).
//!
//! Every schedule is checked here, from the problem's definition, before it is scored: a
//! violated precedence or capacity is printed and counted, and makes the command fail.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use regie_core::level::{Rcpsp, SolveOptions, energy_bound, lower_bound, solve, violations};

use crate::Reported;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum BenchFormat {
    Table,
    Jsonl,
}

/// Input files above this size are refused (the largest PSPLIB-format file we use is ~1 MB).
const MAX_FILE_BYTES: u64 = 64 << 20;

struct Reference {
    set: String,
    best_known: u32,
    optimal: bool,
}

/// One line of `--format jsonl`, fields in this order.
#[derive(serde::Serialize)]
struct JsonLine<'a> {
    instance: &'a str,
    makespan: u32,
    /// Start period of jobs 1..n, in file order.
    starts: &'a [u32],
    ms: f64,
}

struct Outcome {
    instance: String,
    set: String,
    jobs: usize,
    makespan: u32,
    bound: u32,
    /// The larger of the critical-path and the resource-energy bound: a makespan equal to it is
    /// proven optimal.
    best_bound: u32,
    reference: Option<(u32, bool)>,
    ms: f64,
    schedules: u32,
}

pub fn command(
    paths: &[PathBuf],
    schedules: u32,
    format: BenchFormat,
    seed: u64,
) -> Result<(), Reported> {
    let files = collect_files(paths)?;
    if files.is_empty() {
        eprintln!("error: no .sm files in the given paths");
        return Err(Reported);
    }
    let references = load_references(&files);
    if matches!(format, BenchFormat::Table) {
        println!(
            "PSPLIB, {schedules} schedules per instance, seed {seed}; dev = (makespan - reference) / reference"
        );
        println!(
            "best: best known makespan; cp lb: critical-path bound; lb: the larger of it and the"
        );
        println!("resource-energy bound, `*` when the makespan reaches it (proven optimal)");
        println!(
            "{:<16} {:>6} {:>8} {:>6} {:>7} {:>6} {:>7} {:>7} {:>9}",
            "instance", "jobs", "makespan", "best", "dev %", "cp lb", "dev %", "lb", "ms"
        );
    }
    let mut outcomes = Vec::with_capacity(files.len());
    let mut total_violations = 0usize;
    let mut failed = false;
    for file in &files {
        let instance = file
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let problem = match read_problem(file) {
            Ok(problem) => problem,
            Err(message) => {
                eprintln!("error: {message}");
                failed = true;
                continue;
            }
        };
        let bound = match lower_bound(&problem) {
            Ok(bound) => bound,
            Err(error) => {
                eprintln!("error: {}: {error}", file.display());
                failed = true;
                continue;
            }
        };
        let best_bound = energy_bound(&problem).map_or(bound, |energy| energy.max(bound));
        let options = SolveOptions { schedules, seed };
        let started = Instant::now();
        let solution = match solve(&problem, &options) {
            Ok(solution) => solution,
            Err(error) => {
                eprintln!("error: {}: {error}", file.display());
                failed = true;
                continue;
            }
        };
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let found = violations(&problem, &solution.starts);
        let finish = problem
            .jobs
            .iter()
            .zip(&solution.starts)
            .map(|(job, &start)| u64::from(start) + u64::from(job.duration))
            .max()
            .unwrap_or(0);
        if finish != u64::from(solution.makespan) {
            eprintln!(
                "VIOLATION {instance}: reported makespan {} but the last job finishes at {finish}",
                solution.makespan
            );
            total_violations += 1;
        }
        for violation in &found {
            eprintln!("VIOLATION {instance}: {violation}");
        }
        total_violations += found.len();
        let reference = references.get(&instance);
        let outcome = Outcome {
            set: reference.map_or_else(|| "-".to_owned(), |r| r.set.clone()),
            reference: reference.map(|r| (r.best_known, r.optimal)),
            instance,
            jobs: problem.jobs.len(),
            makespan: solution.makespan,
            bound,
            best_bound,
            ms,
            schedules: solution.schedules_generated,
        };
        match format {
            BenchFormat::Table => print_row(&outcome),
            BenchFormat::Jsonl => {
                let line = JsonLine {
                    instance: &outcome.instance,
                    makespan: outcome.makespan,
                    starts: &solution.starts,
                    ms: (ms * 1000.0).round() / 1000.0,
                };
                match serde_json::to_string(&line) {
                    Ok(text) => println!("{text}"),
                    Err(error) => {
                        eprintln!("error: {error}");
                        failed = true;
                    }
                }
            }
        }
        outcomes.push(outcome);
    }
    if matches!(format, BenchFormat::Table) {
        print_summary(&outcomes, total_violations);
    } else if total_violations > 0 {
        eprintln!("{total_violations} violations");
    }
    if failed || total_violations > 0 {
        Err(Reported)
    } else {
        Ok(())
    }
}

fn read_problem(file: &Path) -> Result<Rcpsp, String> {
    let size = std::fs::metadata(file)
        .map_err(|error| format!("{}: {error}", file.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "{}: {size} bytes; at most {MAX_FILE_BYTES} are read",
            file.display()
        ));
    }
    let bytes = std::fs::read(file).map_err(|error| format!("{}: {error}", file.display()))?;
    regie_formats::psplib::read(&file.display().to_string(), &bytes)
        .map_err(|error| error.to_string())
}

fn deviation(makespan: u32, reference: u32) -> f64 {
    if reference == 0 {
        0.0
    } else {
        100.0 * (f64::from(makespan) - f64::from(reference)) / f64::from(reference)
    }
}

fn print_row(outcome: &Outcome) {
    let (best, best_dev) = match outcome.reference {
        Some((best, _)) => (
            best.to_string(),
            format!("{:.2}", deviation(outcome.makespan, best)),
        ),
        None => ("-".to_owned(), "-".to_owned()),
    };
    println!(
        "{:<16} {:>6} {:>8} {:>6} {:>7} {:>6} {:>7.2} {:>7} {:>9.2}",
        outcome.instance,
        outcome.jobs,
        outcome.makespan,
        best,
        best_dev,
        outcome.bound,
        deviation(outcome.makespan, outcome.bound),
        format!(
            "{}{}",
            if outcome.makespan == outcome.best_bound {
                "*"
            } else {
                ""
            },
            outcome.best_bound
        ),
        outcome.ms,
    );
}

fn print_summary(outcomes: &[Outcome], total_violations: usize) {
    let mut by_set: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for outcome in outcomes {
        by_set.entry(&outcome.set).or_default().push(outcome);
    }
    println!();
    println!(
        "{:<6} {:>5} {:>11} {:>11} {:>9} {:>7} {:>10} {:>10} {:>9} {:>9} {:>10}",
        "set",
        "inst",
        "avg dev bk",
        "max dev bk",
        "bk hits",
        "proven",
        "avg dev lb",
        "max dev lb",
        "median ms",
        "mean ms",
        "schedules"
    );
    let all: Vec<&Outcome> = outcomes.iter().collect();
    let mut groups: Vec<(&str, Vec<&Outcome>)> = by_set.into_iter().collect();
    if groups.len() > 1 {
        groups.push(("all", all));
    }
    for (set, group) in groups {
        let with_reference: Vec<(f64, bool)> = group
            .iter()
            .filter_map(|o| {
                o.reference
                    .map(|(best, _)| (deviation(o.makespan, best), o.makespan <= best))
            })
            .collect();
        let (avg_bk, max_bk, hits) = if with_reference.is_empty() {
            ("-".to_owned(), "-".to_owned(), "-".to_owned())
        } else {
            let count = with_reference.len() as f64;
            let avg = with_reference.iter().map(|(d, _)| d).sum::<f64>() / count;
            let max = with_reference
                .iter()
                .map(|(d, _)| *d)
                .fold(f64::MIN, f64::max);
            let hits = with_reference.iter().filter(|(_, hit)| *hit).count();
            (
                format!("{avg:.3}%"),
                format!("{max:.2}%"),
                format!("{hits}/{}", with_reference.len()),
            )
        };
        let lb: Vec<f64> = group
            .iter()
            .map(|o| deviation(o.makespan, o.bound))
            .collect();
        let avg_lb = lb.iter().sum::<f64>() / lb.len() as f64;
        let max_lb = lb.iter().copied().fold(f64::MIN, f64::max);
        let mut ms: Vec<f64> = group.iter().map(|o| o.ms).collect();
        ms.sort_by(f64::total_cmp);
        let median = if ms.len() % 2 == 1 {
            ms[ms.len() / 2]
        } else {
            (ms[ms.len() / 2 - 1] + ms[ms.len() / 2]) / 2.0
        };
        let mean = ms.iter().sum::<f64>() / ms.len() as f64;
        let proven = group.iter().filter(|o| o.makespan == o.best_bound).count();
        let schedules =
            group.iter().map(|o| u64::from(o.schedules)).sum::<u64>() / group.len() as u64;
        println!(
            "{:<6} {:>5} {:>11} {:>11} {:>9} {:>7} {:>9.2}% {:>9.2}% {:>9.2} {:>9.2} {:>10}",
            set,
            group.len(),
            avg_bk,
            max_bk,
            hits,
            proven,
            avg_lb,
            max_lb,
            median,
            mean,
            schedules
        );
    }
    let optimal_misses = outcomes
        .iter()
        .filter(|o| matches!(o.reference, Some((best, true)) if o.makespan < best))
        .count();
    if optimal_misses > 0 {
        println!(
            "{optimal_misses} makespans below a proven optimum: the reference or the checker is wrong"
        );
    }
    println!(
        "feasibility: {} schedules checked, {total_violations} violations (\"schedules\" = mean generated per instance)",
        outcomes.len()
    );
}

/// The `.sm` files of the paths: files as given, folders' `*.sm` in natural order
/// (`j301_2` before `j301_10`).
fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Reported> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|error| {
                eprintln!("error: {}: {error}", path.display());
                Reported
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|file| file.extension().is_some_and(|ext| ext == "sm") && file.is_file())
                .collect();
            found.sort_by_key(|file| {
                natural_key(&file.file_name().unwrap_or_default().to_string_lossy())
            });
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            eprintln!("error: {}: no such file or folder", path.display());
            return Err(Reported);
        }
    }
    Ok(files)
}

/// Runs of digits compare as numbers, the rest as text.
fn natural_key(name: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut chars = name.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut number = 0u64;
            while let Some(&digit) = chars.peek().filter(|d| d.is_ascii_digit()) {
                number = number
                    .saturating_mul(10)
                    .saturating_add(u64::from(digit as u8 - b'0'));
                chars.next();
            }
            key.push((std::mem::take(&mut text), number));
        } else {
            text.push(c);
            chars.next();
        }
    }
    key.push((text, 0));
    key
}

/// `solutions/reference.csv` beside the instances' folder (`psplib/j30/x.sm` →
/// `psplib/solutions/reference.csv`), else in `../shared/data/psplib`. Empty when there is none:
/// the table then shows the bound only.
fn load_references(files: &[PathBuf]) -> BTreeMap<String, Reference> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    for file in files.iter().take(1) {
        if let Some(parent) = file.parent() {
            candidates.push(parent.join("solutions/reference.csv"));
            if let Some(grandparent) = parent.parent() {
                candidates.push(grandparent.join("solutions/reference.csv"));
            }
        }
    }
    candidates.push(PathBuf::from(
        "../shared/data/psplib/solutions/reference.csv",
    ));
    let Some(text) = candidates
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok())
    else {
        eprintln!(
            "note: no solutions/reference.csv found; deviations from best known are not shown"
        );
        return BTreeMap::new();
    };
    let mut references = BTreeMap::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let [instance, set, best_known, _lower, optimal, ..] = fields.as_slice() else {
            continue;
        };
        let Ok(best_known) = best_known.parse() else {
            continue;
        };
        references.insert(
            (*instance).to_owned(),
            Reference {
                set: (*set).to_owned(),
                best_known,
                optimal: *optimal == "1",
            },
        );
    }
    references
}
