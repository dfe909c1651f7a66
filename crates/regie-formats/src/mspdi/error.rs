//! What can go wrong reading MSPDI, and where: every error names the element at fault and its
//! place in the file as `file:line:column`.

/// A file that could not be read, with the place of the problem.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {kind}")]
pub struct ReadError {
    /// The name the caller gave the file.
    pub file: String,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
    pub kind: ReadErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadErrorKind {
    #[error("the file is {size} bytes; MS Project XML files are limited to {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("the file is UTF-16 text: save it as UTF-8, the encoding MS Project writes by default")]
    Utf16,
    #[error("the file is not valid UTF-8 text{}", match declared {
        Some(encoding) => format!(" (it declares the encoding {encoding:?}; save it as UTF-8)"),
        None => String::new(),
    })]
    InvalidUtf8 { declared: Option<String> },
    #[error("XML syntax error: {0}")]
    Syntax(String),
    #[error(
        "the file has a DOCTYPE declaration: MS Project XML has none, and DTDs (whose entities \
         can expand without bound) are not accepted"
    )]
    DocType,
    #[error(
        "the entity reference &{name}; is not one of XML's own (&amp; &lt; &gt; &quot; &apos;) or a character reference"
    )]
    UnknownEntity { name: String },
    #[error("elements are nested more than {limit} deep")]
    TooDeep { limit: usize },
    #[error("the file ends inside <{inside}>")]
    UnexpectedEnd { inside: String },
    #[error("the file has no root element")]
    NoRoot,
    #[error("the root element is <{root}>, not MS Project's <Project>")]
    NotMspdi { root: String },
    #[error(
        "<Project> is in the namespace {namespace:?}, not MS Project's {:?}",
        super::NAMESPACE
    )]
    WrongNamespace { namespace: String },
    #[error("<{parent}> has no <{element}>")]
    Missing {
        parent: &'static str,
        element: &'static str,
    },
    #[error("<{element}> holds {value:?}; expected {expected}")]
    Invalid {
        element: String,
        value: String,
        expected: &'static str,
    },
    #[error("two {what}s have the UID {uid} (the first is at line {first_line})")]
    DuplicateUid {
        what: &'static str,
        uid: i64,
        first_line: u32,
    },
    #[error("<{element}> names the task with UID {uid}, which is not in the file")]
    UnknownTask { element: &'static str, uid: i64 },
    #[error("<ResourceUID> names the resource with UID {uid}, which is not in the file")]
    UnknownResource { uid: i64 },
    #[error("the recurring exceptions of the calendars expand to more than {limit} dates")]
    TooManyOccurrences { limit: usize },
}

/// An error before it is located: the byte offset of the element at fault.
#[derive(Debug)]
pub(super) struct Failure {
    pub offset: usize,
    pub kind: ReadErrorKind,
}

impl Failure {
    pub fn new(offset: usize, kind: ReadErrorKind) -> Failure {
        Failure { offset, kind }
    }

    pub fn locate(self, file: &str, bytes: &[u8]) -> ReadError {
        let (line, column) = line_column(bytes, self.offset);
        ReadError {
            file: file.to_owned(),
            line,
            column,
            kind: self.kind,
        }
    }
}

pub(super) type Result<T> = std::result::Result<T, Failure>;

/// The 1-based line and column (in characters) of byte `offset` of `bytes`. Computed only when
/// something is reported, so the reader itself keeps bare offsets.
pub fn line_column(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    // Characters rather than bytes: count the bytes that start a UTF-8 sequence. A byte order
    // mark is no column in an editor.
    let line_text = &before[line_start..];
    let line_text = line_text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line_text);
    let column = line_text.iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters_from_one() {
        let text = "ab\nçd<x>\n".as_bytes();
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // `ç` is two bytes but one column.
        assert_eq!(line_column(text, 6), (2, 3));
        assert_eq!(line_column(text, 1000), (3, 1));
        assert_eq!(line_column("\u{feff}<P>".as_bytes(), 3), (1, 1));
    }
}
