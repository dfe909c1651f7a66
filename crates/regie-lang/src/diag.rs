//! Errors as data, and their rendering.
//!
//! Every problem found in a file becomes an [`Error`]: what kind of problem, a one-line message,
//! the byte span it is about (with a short label), an optional hint and optional secondary spans
//! ("first defined here"). [`Diagnostics`] holds all the errors of one file together with the
//! file's name and text, and renders them with miette's graphical handler. Nothing here knows the
//! format itself; `lower` and `resolve` decide what is wrong.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

/// What went wrong, for callers that react to some errors differently from others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not valid KDL v2 (reported by the `kdl` crate), or is too large or too deep
    /// to read.
    Syntax,
    /// A node name that has no meaning at its place.
    UnknownNode,
    /// A property name that has no meaning on its node.
    UnknownProperty,
    /// A task, resource or calendar id that nothing declares.
    UnknownReference,
    /// A second declaration of the same id, or a second node where only one is allowed.
    Duplicate,
    /// A required argument, property or node is not there.
    Missing,
    /// An argument the node does not take.
    UnexpectedArgument,
    /// A value of the wrong KDL type (a number where text is expected, ...).
    WrongType,
    /// A value of the right type that does not mean anything valid (a bad date, duration, ...).
    BadValue,
    /// A structure the model cannot hold: a milestone with a duration, a link from a task to
    /// itself, tasks nested too deep, a calendar inheriting from itself.
    Invalid,
    /// Found after parsing, by the engine (a dependency cycle), and located with the
    /// [`crate::SourceMap`].
    Schedule,
}

/// One problem in a file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    /// One line, lower case, no final period: "unknown property `durration`".
    pub message: String,
    /// Byte range in the file's text.
    pub span: SourceSpan,
    /// A few words shown under the span.
    pub label: String,
    pub help: Option<String>,
    /// Other places that explain this one ("first defined here").
    pub related: Vec<(SourceSpan, String)>,
}

impl Error {
    pub(crate) fn new(
        kind: ErrorKind,
        span: SourceSpan,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Error {
        Error {
            kind,
            message: message.into(),
            span,
            label: label.into(),
            help: None,
            related: Vec::new(),
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Error {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn help_opt(mut self, help: Option<String>) -> Error {
        self.help = help;
        self
    }

    pub(crate) fn related(mut self, span: SourceSpan, label: impl Into<String>) -> Error {
        self.related.push((span, label.into()));
        self
    }
}

/// All the errors found in one file (at least one).
#[derive(Clone)]
pub struct Diagnostics {
    source: Arc<Source>,
    errors: Vec<Error>,
}

impl Diagnostics {
    /// Sorts the errors in reading order and drops exact repeats; spans are clamped to the text.
    pub(crate) fn new(file_name: &str, text: &str, mut errors: Vec<Error>) -> Diagnostics {
        for error in &mut errors {
            error.span = clamp(text, error.span);
            for (span, _) in &mut error.related {
                *span = clamp(text, *span);
            }
        }
        errors.sort_by_key(|e| (e.span.offset(), e.span.len()));
        errors.dedup_by(|a, b| a.span == b.span && a.message == b.message);
        Diagnostics {
            source: Arc::new(Source::new(file_name, text)),
            errors,
        }
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Always false for a `Diagnostics` returned by this crate; here for symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn errors(&self) -> &[Error] {
        &self.errors
    }

    /// Every error as miette draws it: the message, a `file:line:col` header, the source lines
    /// with the span underlined and labelled, and the hint. `color` adds ANSI colours; without it
    /// the output is plain text (unicode box drawing, no escape sequences). Errors are separated
    /// by a blank line; the text ends with a newline.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        // A fixed width keeps the output identical whatever the terminal, so it can be tested.
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false)
            .with_context_lines(1);
        let mut out = String::new();
        for (index, error) in self.errors.iter().enumerate() {
            if index > 0 {
                out.push('\n');
            }
            let report = Report {
                error,
                source: &self.source,
            };
            let mut one = String::new();
            if handler.render_report(&mut one, &report).is_err() {
                // miette only fails when it cannot read the span; fall back to the one-line form.
                one = format!("{}\n", self.message_line(error));
            }
            out.push_str(one.trim_end());
            out.push('\n');
        }
        out
    }

    /// One line per error: `file:line:col: message`.
    pub fn messages(&self) -> Vec<String> {
        self.errors.iter().map(|e| self.message_line(e)).collect()
    }

    fn message_line(&self, error: &Error) -> String {
        let (line, column) = self
            .source
            .lines
            .line_column(&self.source.text, error.span.offset());
        format!("{}:{line}:{column}: {}", self.source.name, error.message)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl fmt::Debug for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diagnostics")
            .field("file_name", &self.source.name)
            .field("errors", &self.errors)
            .finish()
    }
}

impl std::error::Error for Diagnostics {}

/// An error found after parsing (the engine's cycle report), located in the file.
pub fn diagnostic_at(
    file_name: &str,
    text: &str,
    span: SourceSpan,
    message: &str,
    help: Option<&str>,
) -> Diagnostics {
    let error =
        Error::new(ErrorKind::Schedule, span, message, "here").help_opt(help.map(str::to_owned));
    Diagnostics::new(file_name, text, vec![error])
}

/// Where lines start in a text, to turn byte offsets into lines and columns in O(log n) however
/// many errors a file has. Line breaks are `\n`, `\r\n` and a lone `\r`, as miette counts them.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let breaks = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if breaks {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// 0-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(0)
    }

    /// 1-based line and column (in characters) of a byte offset in `text`, the indexed text.
    pub(crate) fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line(offset);
        let column = text
            .get(self.line_start(line)..offset)
            .map_or(0, |before| before.chars().count());
        (line + 1, column + 1)
    }
}

/// The file as miette reads it: named, and read through a window of a few lines around each
/// span rather than from the start of the file every time.
struct Source {
    name: String,
    text: String,
    lines: LineIndex,
}

impl Source {
    fn new(name: &str, text: &str) -> Source {
        Source {
            name: name.to_owned(),
            text: text.to_owned(),
            lines: LineIndex::new(text),
        }
    }
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let starts = &self.lines.starts;
        let line_of = |offset: usize| self.lines.line(offset);
        let end = span.offset() + span.len().saturating_sub(1);
        let first_line = line_of(span.offset()).saturating_sub(context_lines_before + 1);
        let last_line = line_of(end) + context_lines_after + 2;
        let window_start = starts[first_line];
        let window_end = starts.get(last_line).copied().unwrap_or(self.text.len());
        let window = self
            .text
            .get(window_start..window_end)
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new((span.offset() - window_start).into(), span.len());
        let contents = window.read_span(&local, context_lines_before, context_lines_after)?;
        let found = contents.span();
        let column = if context_lines_before == 0 {
            // miette counts bytes; the header should agree with `messages()`, in characters.
            let line_start = starts[line_of(span.offset())];
            self.text
                .get(line_start..span.offset())
                .map_or(contents.column(), |before| before.chars().count())
        } else {
            contents.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            SourceSpan::new((found.offset() + window_start).into(), found.len()),
            contents.line() + first_line,
            column,
            contents.line_count() + first_line,
        )))
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Keeps a span inside the text and on character boundaries, so rendering never fails.
fn clamp(text: &str, span: SourceSpan) -> SourceSpan {
    let start = floor_char_boundary(text, span.offset().min(text.len()));
    let mut end = span.offset().saturating_add(span.len()).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    SourceSpan::new(start.into(), end.max(start) - start)
}

/// Secondary labels further than this many lines from the primary one are not drawn.
const MAX_RELATED_DISTANCE: usize = 4;

struct Report<'a> {
    error: &'a Error,
    source: &'a Source,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.error, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error.message)
    }
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary =
            LabeledSpan::new_primary_with_span(Some(self.error.label.clone()), self.error.span);
        // miette draws every line between two labels; a far-away first definition would print
        // a page of the file, so it is left to the message ("first defined on line 12").
        let lines = &self.source.lines;
        let line = move |span: &SourceSpan| lines.line(span.offset());
        let primary_line = line(&self.error.span);
        let related = self
            .error
            .related
            .iter()
            .filter(move |(span, _)| line(span).abs_diff(primary_line) <= MAX_RELATED_DISTANCE)
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\nçd x\r\ny\rz";
        let index = LineIndex::new(text);
        assert_eq!(index.line_column(text, 0), (1, 1));
        assert_eq!(index.line_column(text, 3), (2, 1));
        // "ç" is two bytes but one column.
        assert_eq!(index.line_column(text, 6), (2, 3));
        assert_eq!(index.line_column(text, 10), (3, 1));
        assert_eq!(index.line_column(text, 12), (4, 1));
        assert_eq!(index.line_column(text, 99), (4, 2));
    }

    #[test]
    fn spans_are_clamped_to_the_text() {
        let span = clamp("aé", SourceSpan::new(2.into(), 10));
        assert_eq!((span.offset(), span.len()), (1, 2));
    }
}
