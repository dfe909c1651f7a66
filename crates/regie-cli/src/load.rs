//! Reading a project file into a scheduled project, with every failure reported on stderr.
//!
//! The format is told by content, not by name: MS Project XML (MSPDI) is read with
//! `regie_formats::mspdi`, anything without another format's signature as a Regie project file
//! (KDL), and the formats Regie does not read (`.mpp`, Primavera, GanttProject...) are refused
//! with a message saying how to get MS Project XML out of them.

use std::path::Path;

use regie_core::{Project, Schedule, ScheduleError, TaskId};
use regie_formats::mspdi::{self, Detected};
use regie_lang::Parsed;

use crate::Reported;

/// Project files are text written by people; anything this large is a mistake.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// MS Project XML is verbose (18 MB for 6,000 tasks): its reader has its own, larger limit.
const MAX_XML_BYTES: u64 = mspdi::MAX_INPUT_BYTES as u64;

pub struct Loaded {
    pub project: Project,
    pub schedule: Schedule,
}

/// A file's contents, by format.
enum Source {
    /// A Regie project file, checked to be UTF-8 text.
    Kdl(String),
    /// MS Project XML, as bytes: its reader checks the encoding itself, with positions.
    Mspdi(Vec<u8>),
}

fn fail(path: &Path, message: impl std::fmt::Display) -> Reported {
    eprintln!("error: {}: {message}", path.display());
    Reported
}

fn read_source(path: &Path) -> Result<Source, Reported> {
    let metadata = std::fs::metadata(path).map_err(|e| fail(path, e))?;
    if metadata.len() > MAX_XML_BYTES {
        return Err(fail(
            path,
            format!(
                "the file is {} bytes; project files are limited to {MAX_FILE_BYTES} \
                 (MS Project XML to {MAX_XML_BYTES})",
                metadata.len()
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(path, e))?;
    match mspdi::detect(&bytes) {
        Detected::Mspdi => return Ok(Source::Mspdi(bytes)),
        Detected::Foreign(format) => return Err(fail(path, format)),
        Detected::Other => {}
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(
            path,
            format!(
                "the file is {} bytes; project files are limited to {MAX_FILE_BYTES}",
                bytes.len()
            ),
        ));
    }
    String::from_utf8(bytes).map(Source::Kdl).map_err(|e| {
        let (line, column) = mspdi::line_column(e.as_bytes(), e.utf8_error().valid_up_to());
        fail(
            path,
            format!("{line}:{column}: the file is not valid UTF-8 text"),
        )
    })
}

/// Parses a Regie project file; on failure, prints every diagnostic.
pub fn parse_only(path: &Path) -> Result<(Parsed, String), Reported> {
    let text = match read_source(path)? {
        Source::Kdl(text) => text,
        Source::Mspdi(_) => {
            return Err(fail(
                path,
                "this is MS Project XML, not a Regie project file: convert it with \
                 `regie import FILE -o plan.kdl`",
            ));
        }
    };
    parse_kdl(path, text)
}

fn parse_kdl(path: &Path, text: String) -> Result<(Parsed, String), Reported> {
    let name = path.display().to_string();
    match regie_lang::parse(&name, &text) {
        Ok(parsed) => Ok((parsed, text)),
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(false));
            let n = diagnostics.len();
            eprintln!("{name}: {n} error{}", if n == 1 { "" } else { "s" });
            Err(Reported)
        }
    }
}

/// Reads MS Project XML; a failure is printed as `file:line:column: message`.
fn read_mspdi(path: &Path, bytes: &[u8]) -> Result<(Project, mspdi::SourceMap), Reported> {
    mspdi::read_with_source_map(&path.display().to_string(), bytes).map_err(|error| {
        eprintln!("{error}");
        Reported
    })
}

/// Reads (either format) and schedules the file; a cycle is reported at the link that closes
/// it.
pub fn load(path: &Path) -> Result<Loaded, Reported> {
    let name = path.display().to_string();
    match read_source(path)? {
        Source::Kdl(text) => {
            let (parsed, text) = parse_kdl(path, text)?;
            match regie_core::schedule(&parsed.project) {
                Ok(schedule) => Ok(Loaded {
                    project: parsed.project,
                    schedule,
                }),
                Err(ScheduleError::Cycle { tasks, names }) => {
                    let span = match closing_link(&parsed.project, &tasks) {
                        Some(link) => parsed.source_map.links[link],
                        None => parsed.source_map.tasks[tasks[0].index()],
                    };
                    let message = format!("dependency cycle: {}", names.join(" → "));
                    let diagnostics =
                        regie_lang::diagnostic_at(&name, &text, span, &message, Some(CYCLE_HELP));
                    eprint!("{}", diagnostics.render(false));
                    Err(Reported)
                }
                Err(error) => Err(fail(path, error)),
            }
        }
        Source::Mspdi(bytes) => {
            let (project, source_map) = read_mspdi(path, &bytes)?;
            match regie_core::schedule(&project) {
                Ok(schedule) => Ok(Loaded { project, schedule }),
                Err(ScheduleError::Cycle { tasks, names }) => {
                    // Located like the reader's own errors; XML files can be one long line,
                    // so no excerpt.
                    let offset = match closing_link(&project, &tasks) {
                        Some(link) => source_map.links[link],
                        None => source_map.tasks[tasks[0].index()],
                    };
                    let (line, column) = mspdi::line_column(&bytes, offset);
                    eprintln!(
                        "{name}:{line}:{column}: dependency cycle: {}\n  help: {CYCLE_HELP}",
                        names.join(" → ")
                    );
                    Err(Reported)
                }
                Err(error) => Err(fail(path, error)),
            }
        }
    }
}

/// MS Project's "reschedule uncompleted work to start after the status date", on a loaded
/// plan: the changed model, its schedule, and a line saying what moved (to stderr).
pub fn reschedule_after_status(path: &Path, loaded: Loaded) -> Result<Loaded, Reported> {
    let (project, changes) = regie_core::progress::reschedule_after_status(&loaded.project)
        .map_err(|error| {
            fail(
                path,
                format!("{error}: add `status-date \"YYYY-MM-DD\"` to the project block"),
            )
        })?;
    let schedule = regie_core::schedule(&project).map_err(|e| fail(path, e))?;
    if let Some(status) = project.status_date {
        eprintln!(
            "rescheduled after the status date {}: {} started task{} paused until then, {} not started held after it",
            regie_core::time::format_minute(regie_core::time::minute_of(status)),
            changes.paused.len(),
            if changes.paused.len() == 1 { "" } else { "s" },
            changes.held.len(),
        );
    }
    Ok(Loaded { project, schedule })
}

const CYCLE_HELP: &str = "a task cannot wait for itself: remove or reverse one of these links";

/// The link from one task of the cycle to the next.
fn closing_link(project: &Project, cycle: &[TaskId]) -> Option<usize> {
    cycle.windows(2).find_map(|pair| {
        project
            .links
            .iter()
            .position(|l| l.pred == pair[0] && l.succ == pair[1])
    })
}

/// `regie import`: MS Project XML → a Regie project file.
pub fn import(path: &Path, output: &Path) -> Result<(), Reported> {
    let bytes = match read_source(path)? {
        Source::Mspdi(bytes) => bytes,
        Source::Kdl(_) => {
            return Err(fail(
                path,
                "this is not MS Project XML (no <Project xmlns=\"http://schemas.microsoft.com/project\"> \
                 root): it reads as a Regie project file already",
            ));
        }
    };
    let (project, _) = read_mspdi(path, &bytes)?;
    let text = regie_lang::print(&project);
    // The printer promises that its text reads back as the same project. Check it here, so a
    // gap shows now rather than as an error in the next command.
    let output_name = output.display().to_string();
    match regie_lang::parse(&output_name, &text) {
        Ok(parsed) if parsed.project == project => {}
        Ok(_) => eprintln!(
            "warning: {output_name}: the project file does not read back exactly as imported \
             (please report this with the XML file)"
        ),
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(false));
            return Err(fail(
                path,
                "the project file made from it does not read back (please report this with the \
                 XML file); nothing was written",
            ));
        }
    }
    write_atomically(output, text.as_bytes())?;
    println!(
        "{output_name}: {} tasks, {} links, {} resources, {} calendars from {}",
        project.tasks.len(),
        project.links.len(),
        project.resources.len(),
        project.calendars.len(),
        path.display()
    );
    Ok(())
}

/// Writes through a temporary file and a rename, so a failure never leaves half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Reported> {
    let file_name = path
        .file_name()
        .ok_or_else(|| fail(path, "not a file name"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(file_name);
    temp_name.push(".tmp");
    let temp = path.with_file_name(temp_name);
    std::fs::write(&temp, bytes).map_err(|e| fail(path, e))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        fail(path, e)
    })
}
