//! The `regie` command: checks, schedules and draws project files.
//!
//! Exit codes: 0 success, 1 invalid input (the file, its contents, or a schedule that cannot be
//! computed), 2 usage error (clap's own code for bad arguments).

mod bench;
mod bench_http;
mod conformance;
mod export;
mod http_client;
mod level;
mod load;
mod output;
mod psplib;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "regie",
    version,
    about = "Plan, schedule and report on IT projects"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a project file and report every problem in it.
    Check { file: PathBuf },
    /// Compute the schedule: dates, floats, critical path.
    Schedule {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Only the critical tasks.
        #[arg(long)]
        critical: bool,
        /// Reschedule uncompleted work after the project's status date (MS Project's Update
        /// Project): started tasks behind it pause until then, tasks not started wait for it.
        #[arg(long)]
        reschedule: bool,
    },
    /// Draw the Gantt chart as SVG.
    Gantt {
        file: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// Only the critical tasks.
        #[arg(long)]
        critical: bool,
    },
    /// Print the project file back in canonical form.
    Fmt {
        file: PathBuf,
        /// Rewrite the file in place instead of printing it.
        #[arg(long)]
        write: bool,
    },
    /// Write the project as MS Project XML, CSV or an iCalendar feed of its milestones.
    Export(export::ExportArgs),
    /// Convert MS Project XML (File > Save As > XML) into a Regie project file. (`check`,
    /// `schedule`, `gantt` and `export` also read MS Project XML directly.)
    Import {
        file: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Resource leveling: delay tasks until nobody is booked beyond their capacity, and say
    /// which tasks move, why, and what it does to the finish.
    Level {
        file: PathBuf,
        /// Only report the over-allocations of the plan as it stands (who is booked beyond
        /// their capacity, when, by which tasks); move nothing.
        #[arg(long)]
        report: bool,
        /// Only delay tasks within their total float, so the project finish does not move.
        #[arg(long, conflicts_with = "report")]
        within_slack: bool,
        /// How many claim orders to try (MS Project's first, then other rules and random
        /// samples); the best plan is kept. Default: 12, fewer on plans over 1,000 tasks.
        #[arg(long, conflicts_with = "report")]
        budget: Option<usize>,
        /// Seed of the random samples: the same seed gives the same plan.
        #[arg(long, default_value_t = 0, conflicts_with = "report")]
        seed: u64,
        /// Task splitting: a task already underway pauses while a task with a better claim
        /// has its resource, instead of being delayed whole.
        #[arg(long, conflicts_with = "report")]
        split: bool,
        /// Also write each person's workload before and after leveling as SVG histograms to
        /// this file (hours per day or per week, capacity line, over-allocation in red).
        #[arg(long, value_name = "SVG", conflicts_with = "report")]
        histogram: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Our schedules against the dates MS Project saved in its own files: per file, how many
    /// tasks start and finish on the same minute.
    Conformance {
        /// A folder with `files/*.xml` and `expected/*.json`.
        #[arg(default_value = "../shared/data/msproject")]
        dir: PathBuf,
        /// Print JSON (per file and totals) instead of the table.
        #[arg(long)]
        json: bool,
        /// List every differing task, not only the first of each file.
        #[arg(long)]
        verbose: bool,
    },
    /// Serve the REST API on a database (first start creates the administrator).
    Serve(serve::ServeArgs),
    /// Seed a demo portfolio (three projects, users of every role, passwords printed) and serve it.
    Demo(serve::DemoArgs),
    /// Administration on the database: `regie admin create-user`.
    Admin(serve::AdminArgs),
    /// Copy the SQLite database to a new file, consistently, while it is in use.
    Backup(serve::BackupArgs),
    /// Replace the SQLite database's content with a backup, online.
    Restore(serve::RestoreArgs),
    /// Benchmarks that print figures.
    Bench {
        #[command(subcommand)]
        which: BenchCommand,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Leveling of a generated realistic programme (workstreams, personal hourly calendars with
    /// vacations, part-timers, one to three people per task): time, over-allocation and finish
    /// before and after.
    Level {
        #[arg(long, default_value_t = 10_000)]
        tasks: usize,
        #[arg(long, default_value_t = 200)]
        people: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Timed runs (the median is reported).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Claim orders tried per leveling (default: as `regie level`, by the plan's size).
        #[arg(long)]
        budget: Option<usize>,
        /// Level with task splitting (`regie level --split`).
        #[arg(long)]
        split: bool,
    },
    /// The server under load from 127.0.0.1: schedule reads of a 1,000-task plan and task
    /// updates from concurrent writers (req/s, p50, p99, errors), on SQLite or PostgreSQL.
    Http(bench_http::HttpArgs),
    /// CPM on random layered networks against a bare topological sort of the same graph.
    Cpm {
        /// Network sizes in tasks.
        #[arg(long, value_delimiter = ',', default_values_t = [1_000, 10_000, 100_000])]
        sizes: Vec<usize>,
        /// Timed runs per size (the median is reported).
        #[arg(long, default_value_t = 15)]
        runs: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// List the tasks in a random order, so the outline order is not a topological order
        /// (the engine's slower path).
        #[arg(long)]
        shuffled: bool,
    },
    /// The resource-constrained scheduler on PSPLIB `.sm` files: makespans against the best
    /// known and the critical-path bound, time per instance, every schedule checked.
    Psplib {
        /// `.sm` files, or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Budget of generated schedules per instance.
        #[arg(long, default_value_t = 5_000)]
        schedules: u32,
        #[arg(long, value_enum, default_value_t = psplib::BenchFormat::Table)]
        format: psplib::BenchFormat,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// mimalloc keeps freed memory for reuse where the system allocator hands large blocks back to
/// the kernel at once: recomputing a 100,000-task schedule then costs no fresh page faults,
/// which on these machines were a third of its time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A failure already explained to the user; only the exit code is left to give.
pub struct Reported;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { file } => load::load(&file).map(|loaded| {
            let tasks = loaded.project.tasks.len();
            println!(
                "{}: ok ({} tasks, {} links, {} resources, {} warnings)",
                file.display(),
                tasks,
                loaded.project.links.len(),
                loaded.project.resources.len(),
                loaded.schedule.warnings.len()
            );
            output::print_warnings(&loaded);
        }),
        Command::Schedule {
            file,
            format,
            critical,
            reschedule,
        } => load::load(&file)
            .and_then(|loaded| match reschedule {
                true => load::reschedule_after_status(&file, loaded),
                false => Ok(loaded),
            })
            .map(|loaded| {
                let text = match format {
                    Format::Table => {
                        let mut table = regie_report::schedule_table(
                            &loaded.project,
                            &loaded.schedule,
                            critical,
                        );
                        table.push_str(&output::critical_paths_text(&loaded));
                        table
                    }
                    Format::Csv => {
                        regie_report::schedule_csv(&loaded.project, &loaded.schedule, critical)
                    }
                    Format::Json => output::schedule_json(&loaded, critical),
                };
                print!("{text}");
                if matches!(format, Format::Table) {
                    output::print_warnings(&loaded);
                }
            }),
        Command::Gantt {
            file,
            output,
            critical,
        } => load::load(&file).and_then(|loaded| {
            let options = regie_report::GanttOptions {
                today: loaded.project.status_date.map(regie_core::time::minute_of),
                critical_only: critical,
                ..Default::default()
            };
            let svg = regie_report::gantt_svg(&loaded.project, &loaded.schedule, &options);
            load::write_atomically(&output, svg.as_bytes())
        }),
        Command::Fmt { file, write } => load::parse_only(&file).and_then(|(parsed, _)| {
            let text = regie_lang::print(&parsed.project);
            if write {
                load::write_atomically(&file, text.as_bytes())
            } else {
                print!("{text}");
                Ok(())
            }
        }),
        Command::Export(args) => export::run(args),
        Command::Import { file, output } => load::import(&file, &output),
        Command::Level {
            file,
            report,
            within_slack,
            budget,
            seed,
            split,
            histogram,
            json,
        } => load::load(&file).and_then(|loaded| match report {
            true => level::report(&loaded, json),
            false => {
                let options = regie_core::level::project::LevelOptions {
                    within_slack,
                    budget: budget.unwrap_or_else(|| {
                        regie_core::level::project::default_budget(&loaded.project)
                    }),
                    seed,
                    split,
                };
                level::level_command(&loaded, json, &options, histogram.as_deref())
            }
        }),
        Command::Conformance { dir, json, verbose } => conformance::command(&dir, json, verbose),
        Command::Serve(args) => serve::serve(args),
        Command::Demo(args) => serve::demo(args),
        Command::Admin(args) => serve::admin(args),
        Command::Backup(args) => serve::backup(args),
        Command::Restore(args) => serve::restore(args),
        Command::Bench {
            which:
                BenchCommand::Cpm {
                    sizes,
                    runs,
                    seed,
                    shuffled,
                },
        } => bench::cpm(&sizes, runs.max(1), seed, shuffled),
        Command::Bench {
            which:
                BenchCommand::Level {
                    tasks,
                    people,
                    seed,
                    runs,
                    budget,
                    split,
                },
        } => bench::level_plan(tasks, people, seed, runs.max(1), budget, split),
        Command::Bench {
            which: BenchCommand::Http(args),
        } => bench_http::http(args),
        Command::Bench {
            which:
                BenchCommand::Psplib {
                    paths,
                    schedules,
                    format,
                    seed,
                },
        } => psplib::command(&paths, schedules, format, seed),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Reported) => ExitCode::from(1),
    }
}
