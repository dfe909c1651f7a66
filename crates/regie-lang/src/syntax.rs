//! Text → KDL document, with KDL's own syntax errors turned into ours.
//!
//! The `kdl` crate parses recursively, one stack frame group per nested block, so a hostile file
//! of a million `{` would overflow the stack (an abort, not a panic). A cheap scan that counts
//! braces outside strings and comments refuses such files before `kdl` sees them.

use kdl::KdlDocument;
use miette::SourceSpan;

use crate::diag::{Error, ErrorKind};

/// Files larger than this are refused: a project file is written by people.
pub(crate) const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Blocks deeper than this are refused before parsing. It is above the task depth limit
/// ([`crate::lower::MAX_TASK_DEPTH`]), so that limit gets its own, clearer message.
pub(crate) const MAX_BLOCK_DEPTH: usize = 100;

pub(crate) fn parse_kdl(text: &str) -> Result<KdlDocument, Vec<Error>> {
    if text.len() > MAX_FILE_BYTES {
        return Err(vec![
            Error::new(
                ErrorKind::Syntax,
                SourceSpan::new(0.into(), 0),
                format!(
                    "the file is {} bytes; project files are limited to {MAX_FILE_BYTES}",
                    text.len()
                ),
                "too large",
            )
            .help("split the project, or check that this is the right file"),
        ]);
    }
    if let Some(offset) = too_deep(text) {
        return Err(vec![
            Error::new(
                ErrorKind::Syntax,
                SourceSpan::new(offset.into(), 1),
                format!("blocks nest more than {MAX_BLOCK_DEPTH} levels deep"),
                "too deep",
            )
            .help("a project file nests tasks at most 64 levels deep; is a `}` missing?"),
        ]);
    }
    // The kdl parser is a dependency; should it ever panic on some input, that becomes one more
    // syntax error rather than a crash of the caller.
    let parsed = std::panic::catch_unwind(|| KdlDocument::parse_v2(text)).unwrap_or_else(|_| {
        Err(kdl::KdlError {
            input: std::sync::Arc::new(String::new()),
            diagnostics: vec![kdl::KdlDiagnostic {
                input: std::sync::Arc::new(String::new()),
                span: SourceSpan::new(0.into(), 0),
                message: Some("The KDL parser failed on this file".to_owned()),
                label: None,
                help: Some("please report this file to the Regie developers".to_owned()),
                severity: miette::Severity::Error,
            }],
        })
    });
    parsed.map_err(|error| {
        let unclosed = error.diagnostics.iter().any(|d| {
            d.message
                .as_deref()
                .is_some_and(|m| m.starts_with("No closing '}'"))
        });
        error
            .diagnostics
            .into_iter()
            // kdl reports an unclosed block twice, once at its `{` and once after its nodes;
            // the first is the useful one.
            .filter(|d| {
                !(unclosed && d.message.as_deref() == Some("Closing '}' was not found after nodes"))
            })
            .map(|d| {
                let message = d.message.unwrap_or_else(|| "invalid KDL".to_owned());
                let span = narrow(text, d.span);
                let found = text
                    .get(span.offset()..span.offset() + span.len())
                    .unwrap_or("");
                let help = match found {
                    "true" | "false" | "null" => {
                        format!("KDL v2 writes #{found}, with a `#`")
                    }
                    _ => d.help.unwrap_or_else(|| syntax_help(&message).to_owned()),
                };
                Error::new(
                    ErrorKind::Syntax,
                    span,
                    lower_first(&message),
                    d.label.unwrap_or_else(|| "here".to_owned()),
                )
                .help(help)
            })
            .collect()
    })
}

/// kdl sometimes reports a span from far back to the actual problem (a property without value
/// spans everything before it); a span over several lines is cut to its last character.
fn narrow(text: &str, span: SourceSpan) -> SourceSpan {
    let start = span.offset().min(text.len());
    let end = (start + span.len()).min(text.len());
    let Some(covered) = text.get(start..end) else {
        return span;
    };
    if !covered.trim_end().contains('\n') {
        return span;
    }
    let last = covered.trim_end();
    match last.char_indices().next_back() {
        Some((i, c)) => SourceSpan::new((start + i).into(), c.len_utf8()),
        None => span,
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A hint for the kdl messages that come without one.
fn syntax_help(message: &str) -> &'static str {
    if message.contains("closing '}'") || message.contains("Closing '}'") {
        "every `{` needs a matching `}`: is the file cut short?"
    } else if message.contains("property value") {
        "write a value after `=`, like duration=\"5d\""
    } else if message.contains("float") || message.contains("number") {
        "numbers are written like 480 or 85.50; durations and dates go in quotes: \"5d\", \"2027-01-04\""
    } else {
        "project files are KDL v2: strings in quotes (\"...\"), properties as key=value, #true and #false, blocks in { }"
    }
}

/// The offset of the first `{` that opens a block deeper than [`MAX_BLOCK_DEPTH`], looking
/// past strings and comments. Approximate on invalid text, where kdl reports the real error.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                depth += 1;
                if depth > MAX_BLOCK_DEPTH {
                    return Some(i);
                }
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = find(bytes, i, b"\n").unwrap_or(bytes.len());
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                // Block comments nest in KDL.
                let mut level = 0usize;
                while i < bytes.len() {
                    if bytes[i..].starts_with(b"/*") {
                        level += 1;
                        i += 2;
                    } else if bytes[i..].starts_with(b"*/") {
                        level -= 1;
                        i += 2;
                        if level == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'"' => i = skip_string(bytes, i, 0),
            b'#' => {
                let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
                if bytes.get(i + hashes) == Some(&b'"') {
                    i = skip_string(bytes, i + hashes, hashes);
                } else {
                    i += hashes;
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// Skips a string starting at the `"` at `start`; `hashes` > 0 for raw strings. Returns the
/// offset after it, or the end of the text when it is not closed.
fn skip_string(bytes: &[u8], start: usize, hashes: usize) -> usize {
    let raw = hashes > 0;
    let multi = bytes[start..].starts_with(b"\"\"\"");
    let quote_len = if multi { 3 } else { 1 };
    let mut i = start + quote_len;
    while i < bytes.len() {
        if !raw && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if !multi && !raw && bytes[i] == b'\n' {
            return i;
        }
        let closes = bytes[i..].starts_with(if multi { b"\"\"\"" } else { b"\"" })
            && bytes[i + quote_len..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes;
        if closes {
            return i + quote_len + hashes;
        }
        i += 1;
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        let deep = "{".repeat(MAX_BLOCK_DEPTH + 1);
        let hidden = format!(
            "a \"{deep}\" #\"{deep}\"# /* {deep} /* {deep} */ */ // {deep}\nb \"\"\"\n{deep}\n\"\"\""
        );
        assert_eq!(too_deep(&hidden), None);
        assert_eq!(too_deep(&deep), Some(MAX_BLOCK_DEPTH));
    }
}
