//! Reading a project file into a scheduled project, with every failure reported on stderr.

use std::path::Path;

use regie_core::{Project, Schedule, ScheduleError};
use regie_lang::Parsed;

use crate::Reported;

/// Project files are text written by people; anything this large is a mistake.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

pub struct Loaded {
    pub project: Project,
    pub schedule: Schedule,
}

fn read_text(path: &Path) -> Result<String, Reported> {
    let fail = |message: String| {
        eprintln!("error: {}: {message}", path.display());
        Reported
    };
    let metadata = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(fail(format!(
            "the file is {} bytes; project files are limited to {MAX_FILE_BYTES}",
            metadata.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        fail(format!("{line}:{column}: the file is not valid UTF-8 text"))
    })
}

/// Parses the file; on failure, prints every diagnostic.
pub fn parse_only(path: &Path) -> Result<(Parsed, String), Reported> {
    let text = read_text(path)?;
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

/// Parses and schedules the file; a cycle is reported at the links that close it.
pub fn load(path: &Path) -> Result<Loaded, Reported> {
    let (parsed, text) = parse_only(path)?;
    let name = path.display().to_string();
    match regie_core::schedule(&parsed.project) {
        Ok(schedule) => Ok(Loaded {
            project: parsed.project,
            schedule,
        }),
        Err(ScheduleError::Cycle { tasks, names }) => {
            let project = &parsed.project;
            let closing = tasks.windows(2).find_map(|pair| {
                project
                    .links
                    .iter()
                    .position(|l| l.pred == pair[0] && l.succ == pair[1])
            });
            let span = match closing {
                Some(link) => parsed.source_map.links[link],
                None => parsed.source_map.tasks[tasks[0].index()],
            };
            let message = format!("dependency cycle: {}", names.join(" → "));
            let help = "a task cannot wait for itself: remove or reverse one of these links";
            let diagnostics = regie_lang::diagnostic_at(&name, &text, span, &message, Some(help));
            eprint!("{}", diagnostics.render(false));
            Err(Reported)
        }
        Err(error) => {
            eprintln!("error: {name}: {error}");
            Err(Reported)
        }
    }
}

/// Writes through a temporary file and a rename, so a failure never leaves half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Reported> {
    let fail = |message: String| {
        eprintln!("error: {}: {message}", path.display());
        Reported
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| fail("not a file name".to_owned()))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(file_name);
    temp_name.push(".tmp");
    let temp = path.with_file_name(temp_name);
    std::fs::write(&temp, bytes).map_err(|e| fail(e.to_string()))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        fail(e.to_string())
    })
}
