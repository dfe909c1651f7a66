//! A pull cursor over quick-xml's events, with the reader's limits built in.
//!
//! The MSPDI reader walks the document as nested loops (`while let Some(child) =
//! cursor.next_child(&parent)?`), one function per element it understands; everything else is
//! [`Cursor::skip`]ped with a counter, never by recursion. Every element handed out must be
//! consumed exactly once, by reading its children to the end, its [`Cursor::text`], or a skip.
//!
//! The cursor is where the input is held to what MSPDI is: no DOCTYPE (so no entity definitions
//! to expand), only XML's five predefined entities and character references, and at most
//! [`MAX_DEPTH`] nested elements.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::MAX_DEPTH;
use super::error::{Failure, ReadErrorKind, Result};

/// An element whose start tag has been read.
#[derive(Clone, Copy, Debug)]
pub(super) struct Element<'a> {
    /// The local name (without a namespace prefix).
    pub name: &'a str,
    /// Byte offset of the `<` of its start tag: where errors about it point.
    pub offset: usize,
    /// `<Name/>`: no content and no end tag to read.
    pub empty: bool,
}

pub(super) struct Cursor<'a> {
    reader: Reader<&'a [u8]>,
    /// The input after its byte order mark, if any.
    input: &'a str,
    /// Length of the byte order mark: quick-xml's positions do not count it, ours do.
    base: usize,
    /// Elements open around the current position.
    depth: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(input: &'a str) -> Cursor<'a> {
        let body = input.strip_prefix('\u{feff}').unwrap_or(input);
        Cursor {
            reader: Reader::from_str(body),
            input: body,
            base: input.len() - body.len(),
            depth: 0,
        }
    }

    /// The next event and the offset in `input` where it starts (not counting the byte order
    /// mark: see [`Cursor::offset`]).
    fn event(&mut self) -> Result<(usize, Event<'a>)> {
        let at = self.reader.buffer_position() as usize;
        match self.reader.read_event() {
            Ok(Event::DocType(_)) => Err(Failure::new(self.base + at, ReadErrorKind::DocType)),
            Ok(event) => Ok((at, event)),
            Err(error) => Err(Failure::new(
                self.base + self.reader.error_position() as usize,
                ReadErrorKind::Syntax(error.to_string()),
            )),
        }
    }

    /// A failure at position `at` of `input`.
    fn failure(&self, at: usize, kind: ReadErrorKind) -> Failure {
        Failure::new(self.base + at, kind)
    }

    /// The root element, after the XML declaration, comments and processing instructions, with
    /// the namespace its name is in (the `xmlns` or `xmlns:prefix` attribute of the root).
    pub fn root(&mut self) -> Result<(Element<'a>, Option<String>)> {
        loop {
            let (at, event) = self.event()?;
            match event {
                Event::Start(start) => {
                    let namespace = namespace_of(&start);
                    return Ok((self.open(at, &start, false)?, namespace));
                }
                Event::Empty(start) => {
                    let namespace = namespace_of(&start);
                    return Ok((self.open(at, &start, true)?, namespace));
                }
                Event::Eof => return Err(self.failure(at, ReadErrorKind::NoRoot)),
                Event::Text(text) if !text.trim_ascii().is_empty() => {
                    return Err(self.failure(
                        at,
                        ReadErrorKind::Syntax("text before the root element".to_owned()),
                    ));
                }
                _ => {}
            }
        }
    }

    /// After the root element: only comments, processing instructions and white space may
    /// follow.
    pub fn finish(&mut self) -> Result<()> {
        loop {
            let (at, event) = self.event()?;
            match event {
                Event::Eof => return Ok(()),
                Event::Start(_) | Event::Empty(_) => {
                    return Err(self.failure(
                        at,
                        ReadErrorKind::Syntax("a second root element".to_owned()),
                    ));
                }
                Event::Text(text) if !text.trim_ascii().is_empty() => {
                    return Err(self.failure(
                        at,
                        ReadErrorKind::Syntax("text after the root element".to_owned()),
                    ));
                }
                _ => {}
            }
        }
    }

    /// The element whose start tag `start` begins at `at`; entering it counts against the depth
    /// limit.
    fn open(&mut self, at: usize, start: &BytesStart<'_>, empty: bool) -> Result<Element<'a>> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(self.failure(at, ReadErrorKind::TooDeep { limit: MAX_DEPTH }));
        }
        if !empty {
            self.depth += 1;
        }
        // The name is sliced from the input rather than taken from the event, so that it lives
        // as long as the input: the tag's `<` is the first one at or after where the event
        // began (text events never contain one).
        let raw_name = start.name().0;
        let bytes = self.input.as_bytes();
        let lt = bytes
            .get(at..)
            .and_then(|rest| rest.iter().position(|&b| b == b'<'))
            .map_or(at, |p| at + p);
        let name = self
            .input
            .get(lt + 1..lt + 1 + raw_name.len())
            .filter(|name| *name == raw_name)
            .unwrap_or("");
        let local = name.rsplit(':').next().unwrap_or(name);
        Ok(Element {
            name: local,
            offset: self.base + lt,
            empty,
        })
    }

    /// The next child element of `parent`, or `None` when `parent` ends. Text, comments and
    /// processing instructions between children are passed over.
    pub fn next_child(&mut self, parent: &Element<'_>) -> Result<Option<Element<'a>>> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            let (at, event) = self.event()?;
            match event {
                Event::Start(start) => return self.open(at, &start, false).map(Some),
                Event::Empty(start) => return self.open(at, &start, true).map(Some),
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(None);
                }
                Event::GeneralRef(reference) => {
                    resolve_reference(self.base + at, &reference)?;
                }
                Event::Eof => return Err(unexpected_end(self.base + at, parent)),
                _ => {}
            }
        }
    }

    /// Reads the children of a list element (`<Tasks>`, `<WeekDays>`…) named `item` with
    /// `read_item`, skipping anything else, into `out`.
    pub fn read_list<T>(
        &mut self,
        list: &Element<'_>,
        item: &str,
        out: &mut Vec<T>,
        mut read_item: impl FnMut(&mut Cursor<'a>, &Element<'a>) -> Result<T>,
    ) -> Result<()> {
        while let Some(child) = self.next_child(list)? {
            if child.name == item {
                out.push(read_item(self, &child)?);
            } else {
                self.skip(&child)?;
            }
        }
        Ok(())
    }

    /// The text content of `element` (character data, CDATA sections and references resolved),
    /// consuming it. Markup inside it is passed over.
    pub fn text(&mut self, element: &Element<'_>) -> Result<Cow<'a, str>> {
        if element.empty {
            return Ok(Cow::Borrowed(""));
        }
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        loop {
            let (at, event) = self.event()?;
            match event {
                Event::Text(part) => append(&mut text, part.xml10_content()),
                Event::CData(part) => append(&mut text, part.xml10_content()),
                Event::GeneralRef(reference) => {
                    let c = resolve_reference(self.base + at, &reference)?;
                    text.to_mut().push(c);
                }
                Event::Start(start) => {
                    let child = self.open(at, &start, false)?;
                    self.skip(&child)?;
                }
                Event::Empty(start) => {
                    self.open(at, &start, true)?;
                }
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(text);
                }
                Event::Eof => return Err(unexpected_end(self.base + at, element)),
                _ => {}
            }
        }
    }

    /// Passes over `element` and everything in it. Iterative: the depth limit is the only bound
    /// on nesting, whatever is skipped.
    pub fn skip(&mut self, element: &Element<'_>) -> Result<()> {
        if element.empty {
            return Ok(());
        }
        let outside = self.depth - 1;
        while self.depth > outside {
            let (at, event) = self.event()?;
            match event {
                Event::Start(start) => {
                    self.open(at, &start, false)?;
                }
                Event::Empty(start) => {
                    self.open(at, &start, true)?;
                }
                Event::End(_) => self.depth -= 1,
                Event::GeneralRef(reference) => {
                    resolve_reference(self.base + at, &reference)?;
                }
                Event::Eof => return Err(unexpected_end(self.base + at, element)),
                _ => {}
            }
        }
        Ok(())
    }
}

fn append<'a>(text: &mut Cow<'a, str>, part: Cow<'a, str>) {
    if text.is_empty() {
        *text = part;
    } else {
        text.to_mut().push_str(&part);
    }
}

fn unexpected_end(at: usize, element: &Element<'_>) -> Failure {
    Failure::new(
        at,
        ReadErrorKind::UnexpectedEnd {
            inside: element.name.to_owned(),
        },
    )
}

/// The character a reference stands for. Only XML's five predefined entities exist: without a
/// DTD there are no others, so an unknown name is an error rather than something to expand.
fn resolve_reference(at: usize, reference: &BytesRef<'_>) -> Result<char> {
    let invalid = || {
        Failure::new(
            at,
            ReadErrorKind::UnknownEntity {
                name: (**reference).to_owned(),
            },
        )
    };
    if reference.is_char_ref() {
        return match reference.resolve_char_ref() {
            Ok(Some(c)) => Ok(c),
            _ => Err(invalid()),
        };
    }
    match &**reference {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        _ => Err(invalid()),
    }
}

/// The namespace URI declared for the element's own prefix (`xmlns` when it has none).
fn namespace_of(start: &BytesStart<'_>) -> Option<String> {
    let name = start.name().0;
    let wanted = match name.split_once(':') {
        Some((prefix, _)) => format!("xmlns:{prefix}"),
        None => "xmlns".to_owned(),
    };
    start
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.0 == wanted)
        .map(|attribute| attribute.value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names and offsets come from the input, whatever precedes the tag.
    #[test]
    fn elements_point_at_their_start_tags() {
        let input = "<?xml version=\"1.0\"?>\n<p:Project xmlns:p=\"urn:x\">\n  <!-- c -->\n  \
                     <A>x &amp; y<![CDATA[<z>]]>&#x41;</A><B/>text<C><D/></C></p:Project>";
        let mut cursor = Cursor::new(input);
        let (root, namespace) = cursor.root().unwrap();
        assert_eq!(
            (root.name, namespace.as_deref()),
            ("Project", Some("urn:x"))
        );
        assert_eq!(&input[root.offset..root.offset + 10], "<p:Project");
        let a = cursor.next_child(&root).unwrap().unwrap();
        assert_eq!((a.name, &input[a.offset..a.offset + 3]), ("A", "<A>"));
        assert_eq!(cursor.text(&a).unwrap(), "x & y<z>A");
        let b = cursor.next_child(&root).unwrap().unwrap();
        assert_eq!((b.name, b.empty), ("B", true));
        let c = cursor.next_child(&root).unwrap().unwrap();
        assert_eq!(&input[c.offset..c.offset + 3], "<C>");
        cursor.skip(&c).unwrap();
        assert!(cursor.next_child(&root).unwrap().is_none());
        cursor.finish().unwrap();
    }

    /// Found by fuzzing: quick-xml's positions leave out a leading byte order mark, so they
    /// were three bytes short (and could fall inside a later character).
    #[test]
    fn offsets_count_the_byte_order_mark() {
        let input = "\u{feff}<P>x\u{feff}<B/><C>&bad;</C></P>";
        let mut cursor = Cursor::new(input);
        let (root, _) = cursor.root().unwrap();
        assert_eq!(root.offset, 3);
        let b = cursor.next_child(&root).unwrap().unwrap();
        assert_eq!((b.name, &input[b.offset..b.offset + 4]), ("B", "<B/>"));
        let c = cursor.next_child(&root).unwrap().unwrap();
        assert_eq!(
            cursor.text(&c).unwrap_err().offset,
            input.find("&bad").unwrap()
        );
    }

    #[test]
    fn unknown_entities_and_doctypes_are_refused() {
        let mut cursor = Cursor::new("<P><A>&lol;</A></P>");
        let (root, _) = cursor.root().unwrap();
        let a = cursor.next_child(&root).unwrap().unwrap();
        let failure = cursor.text(&a).unwrap_err();
        assert_eq!(failure.offset, 6);
        assert!(matches!(failure.kind, ReadErrorKind::UnknownEntity { .. }));

        let mut cursor = Cursor::new("<!DOCTYPE P [<!ENTITY a \"b\">]><P/>");
        assert!(matches!(
            cursor.root().unwrap_err().kind,
            ReadErrorKind::DocType
        ));
    }

    #[test]
    fn nesting_is_limited_even_in_skipped_elements() {
        let deep = format!("<P><X>{}{}</X></P>", "<a>".repeat(100), "</a>".repeat(100));
        let mut cursor = Cursor::new(&deep);
        let (root, _) = cursor.root().unwrap();
        let x = cursor.next_child(&root).unwrap().unwrap();
        let failure = cursor.skip(&x).unwrap_err();
        assert!(matches!(failure.kind, ReadErrorKind::TooDeep { limit: 64 }));
        assert_eq!(&deep[failure.offset..failure.offset + 3], "<a>");
    }
}
