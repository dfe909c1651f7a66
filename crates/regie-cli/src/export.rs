//! `regie export`: a scheduled project as MS Project XML, CSV or an iCalendar feed of its
//! milestones, written atomically (or to standard output with `-o -`).

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::{Reported, load};

#[derive(Args)]
pub struct ExportArgs {
    /// The project file.
    file: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    to: ExportFormat,
    /// The file to write, `-` for standard output.
    #[arg(short, long)]
    output: PathBuf,
    /// With `--to ics`: milestones as whole-day events instead of timed ones.
    #[arg(long)]
    all_day: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// MS Project XML (MSPDI), for MS Project, ProjectLibre, GanttProject and MPXJ.
    Mspdi,
    /// The schedule, one task per row (the same as `regie schedule --format csv`).
    Csv,
    /// An iCalendar feed of the milestones and gates.
    Ics,
}

pub fn run(args: ExportArgs) -> Result<(), Reported> {
    if args.all_day && !matches!(args.to, ExportFormat::Ics) {
        clap::Error::raw(
            clap::error::ErrorKind::ArgumentConflict,
            "--all-day applies only to --to ics\n",
        )
        .exit();
    }
    let loaded = load::load(&args.file)?;
    let (project, schedule) = (&loaded.project, &loaded.schedule);
    let text = match args.to {
        ExportFormat::Mspdi => regie_formats::mspdi::write::write(project, schedule),
        ExportFormat::Csv => regie_report::schedule_csv(project, schedule, false),
        ExportFormat::Ics => {
            let options = regie_formats::ics::IcsOptions {
                stamp: jiff::Timestamp::now(),
                all_day: args.all_day,
            };
            regie_formats::ics::milestones(project, schedule, &options)
        }
    };
    if args.output.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        return stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| {
                eprintln!("error: standard output: {e}");
                Reported
            });
    }
    load::write_atomically(&args.output, text.as_bytes())
}
