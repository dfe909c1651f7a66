//! Inputs made to hurt a reader: entity bombs, deep nesting, huge and broken files. Each must
//! give a clear, located error (or read within bounds), never a panic, a hang or a blow-up.

use std::time::{Duration, Instant};

use regie_formats::mspdi::{self, MAX_INPUT_BYTES, ReadErrorKind};

use crate::{mspdi as document, read_error};

/// The classic "billion laughs": ten levels of entities, each ten times the one below. No DTD
/// is read, so nothing expands.
#[test]
fn billion_laughs_is_refused_at_the_doctype() {
    let mut dtd = String::from("<!ENTITY lol \"lol\">\n");
    for level in 1..10 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{level} \"{}\">\n",
            format!("&{previous};").repeat(10)
        ));
    }
    let text = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Project [\n{dtd}]>\n\
         <Project xmlns=\"http://schemas.microsoft.com/project\"><Name>&lol9;</Name></Project>"
    );
    let started = Instant::now();
    let error = read_error(&text);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!((error.line, error.column), (2, 1));
    assert_eq!(error.kind, ReadErrorKind::DocType);
    assert!(error.to_string().contains("DOCTYPE"), "{error}");

    // An entity used without a DTD is not defined: refused, not expanded or kept as text.
    let error = read_error(document("<Name>&lol9;</Name>"));
    assert_eq!(
        error.kind,
        ReadErrorKind::UnknownEntity {
            name: "lol9".to_owned()
        }
    );
    assert_eq!((error.line, error.column), (4, 7));
}

/// 10,000 nested elements, inside an element the reader skips: refused at the 65th level.
#[test]
fn deep_nesting_is_refused() {
    let depth = 10_000;
    let text = document(&format!(
        "<X>{}{}</X>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    ));
    let error = read_error(&text);
    assert_eq!(error.kind, ReadErrorKind::TooDeep { limit: 64 });
    // <Project> is level 1, <X> level 2, so the 63rd <a> is one too many.
    assert_eq!((error.line, error.column), (4, 1 + 3 + 62 * 3));
    // Also where the reader looks at every element (in a task).
    let text = document(&format!(
        "<Tasks><Task><UID>1</UID><Notes>{}x{}</Notes></Task></Tasks>",
        "<b>".repeat(depth),
        "</b>".repeat(depth)
    ));
    assert_eq!(read_error(&text).kind, ReadErrorKind::TooDeep { limit: 64 });
}

/// A real-sized plan repeated to ~200 MB (below the 256 MiB limit) is read, in one pass and
/// within memory proportional to what it keeps: no DOM, only the tasks. Anything larger is
/// refused before parsing starts.
#[test]
fn a_200_mb_file_is_read_and_a_larger_one_refused_at_once() {
    // Each task carries timephased data and custom fields the reader skips, as real files do.
    let padding = "<ExtendedAttribute><FieldID>188743731</FieldID><Value>padding padding</Value></ExtendedAttribute>"
        .repeat(20);
    let mut text = String::with_capacity(200 << 20);
    text.push_str(&document("<Tasks>").replace("</Project>\n", ""));
    let mut uid = 0;
    while text.len() < 200 << 20 {
        uid += 1;
        text.push_str(&format!(
            "<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Task {uid}</Name><OutlineLevel>1</OutlineLevel>\
             <Duration>PT8H0M0S</Duration>{padding}\
             <PredecessorLink><PredecessorUID>{}</PredecessorUID><Type>1</Type></PredecessorLink></Task>\n",
            uid.max(2) - 1
        ));
    }
    text.push_str("</Tasks></Project>\n");
    let started = Instant::now();
    let project = mspdi::read("big.xml", text.as_bytes()).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(project.tasks.len(), uid);
    assert_eq!(project.links.len(), uid);
    eprintln!("{} MB, {uid} tasks read in {elapsed:?}", text.len() >> 20);
    drop(project);

    let too_big = vec![b' '; MAX_INPUT_BYTES + 1];
    let started = Instant::now();
    let error = read_error(&too_big);
    assert!(started.elapsed() < Duration::from_millis(100));
    assert!(
        matches!(error.kind, ReadErrorKind::TooLarge { .. }),
        "{error}"
    );
}

#[test]
fn invalid_utf8_is_reported_where_it_is() {
    let mut bytes = document("<Name>Caf\u{e9}</Name>").into_bytes();
    let at = bytes.iter().position(|&b| b == 0xC3).unwrap();
    bytes[at] = 0xE9; // Latin-1 é: not UTF-8.
    bytes.remove(at + 1);
    let error = read_error(&bytes);
    assert_eq!((error.line, error.column), (4, 10));
    assert_eq!(
        error.kind,
        ReadErrorKind::InvalidUtf8 {
            declared: Some("UTF-8".to_owned())
        }
    );

    let latin1 =
        b"<?xml version='1.0' encoding='ISO-8859-1'?><Project><Name>Caf\xE9</Name></Project>";
    let error = read_error(latin1);
    assert_eq!(
        error.to_string(),
        "test.xml:1:62: the file is not valid UTF-8 text (it declares the encoding \"ISO-8859-1\"; save it as UTF-8)"
    );

    let utf16: Vec<u8> = "\u{feff}<Project/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(read_error(&utf16).kind, ReadErrorKind::Utf16);
}

#[test]
fn a_link_to_a_missing_task_and_duplicate_uids_are_errors() {
    let error = read_error(document(
        "<Tasks><Task><UID>1</UID><PredecessorLink><PredecessorUID>2</PredecessorUID>\
         </PredecessorLink></Task></Tasks>",
    ));
    assert_eq!(
        error.kind,
        ReadErrorKind::UnknownTask {
            element: "PredecessorUID",
            uid: 2
        }
    );
    let error = read_error(document(
        "<Calendars><Calendar><UID>1</UID></Calendar>\n<Calendar><UID>1</UID></Calendar></Calendars>",
    ));
    assert_eq!(
        error.to_string(),
        "test.xml:5:11: two calendars have the UID 1 (the first is at line 4)"
    );
    let error = read_error(document(
        "<Resources><Resource><UID>3</UID><Name>A</Name></Resource><Resource><UID>3</UID><Name>B</Name></Resource></Resources>",
    ));
    assert!(matches!(
        error.kind,
        ReadErrorKind::DuplicateUid {
            what: "resource",
            uid: 3,
            ..
        }
    ));
}

/// Every prefix of a real file, and the file with bytes flipped: errors, never panics.
#[test]
fn truncated_and_corrupted_files_fail_cleanly() {
    let text = document(
        "<Calendars><Calendar><UID>1</UID><Name>S</Name><IsBaseCalendar>1</IsBaseCalendar><Exceptions>\
         <Exception><TimePeriod><FromDate>2027-01-01T00:00:00</FromDate><ToDate>2027-12-31T23:59:00</ToDate>\
         </TimePeriod><Type>5</Type><Period>1</Period><MonthItem>4</MonthItem><MonthPosition>4</MonthPosition>\
         </Exception></Exceptions></Calendar></Calendars>\
         <Tasks><Task><UID>1</UID><Name>A &amp; B</Name><Duration>PT8H0M0S</Duration></Task>\
         <Task><UID>2</UID><PredecessorLink><PredecessorUID>1</PredecessorUID><LinkLag>4800</LinkLag>\
         </PredecessorLink></Task></Tasks>",
    );
    let bytes = text.as_bytes();
    assert!(mspdi::read("ok.xml", bytes).is_ok());
    for end in 0..bytes.len() - 1 {
        let result = mspdi::read("cut.xml", &bytes[..end]);
        if end < bytes.len() - 12 {
            assert!(result.is_err(), "a file cut at {end} reads");
        }
    }
    for at in 0..bytes.len() {
        for byte in [b'<', b'>', b'&', b'/', 0xFF, b'9', b' '] {
            let mut corrupt = bytes.to_vec();
            corrupt[at] = byte;
            let _ = mspdi::read("corrupt.xml", &corrupt);
        }
    }
}

/// A byte order mark (Notepad writes one) neither hides errors nor shifts their place.
#[test]
fn errors_after_a_byte_order_mark_are_where_editors_show_them() {
    let text = format!(
        "\u{feff}{}",
        document("<Tasks><Task><Name>x</Name></Task></Tasks>")
    );
    let error = read_error(&text);
    assert_eq!(error.to_string(), "test.xml:4:8: <Task> has no <UID>");
    let error = read_error("\u{feff}<Project><Name>&x;</Name></Project>");
    assert_eq!((error.line, error.column), (1, 16));
}
