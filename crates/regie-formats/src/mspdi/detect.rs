//! Which project format a file is, judged by its content rather than its name: the signatures of
//! binary formats, or the root element of XML ones. For formats Regie does not read, the answer
//! says how to get MS Project XML out of them.

use std::fmt;

use super::NAMESPACE;

/// What [`detect`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detected {
    /// MS Project XML (or XML whose root could not be found, which [`read`](super::read) will
    /// then explain).
    Mspdi,
    /// Neither XML nor a known signature: presumably a Regie project file (KDL).
    Other,
    /// Another tool's format.
    Foreign(Foreign),
}

/// Project formats Regie does not read. `Display` says what the file is and how to convert it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Foreign {
    /// MS Project's binary `.mpp` (an OLE2 compound file).
    Mpp,
    /// MS Project's database `.mpd` (a Jet/Access database).
    Mpd,
    /// MPX, MS Project 98's exchange text format.
    Mpx,
    /// Primavera P6 export, `.xer`.
    Xer,
    /// Primavera P6 XML.
    Pmxml,
    /// GanttProject `.gan`.
    GanttProject,
    /// GNOME Planner `.planner`.
    Planner,
    /// ProjectLibre / OpenProj `.pod` (Java serialisation).
    ProjectLibre,
    /// Some other XML vocabulary.
    Xml { root: String },
}

const CONVERT: &str =
    "convert it with MPXJ (https://www.mpxj.org; see ../shared/tools/mspdi_convert.py)";

impl fmt::Display for Foreign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Foreign::Mpp => write!(
                f,
                "this is an MS Project .mpp file: save it as XML (File > Save As > XML) from MS \
                 Project, or {CONVERT}"
            ),
            Foreign::Mpd => write!(
                f,
                "this is an MS Project database (.mpd): open it in MS Project and save it as XML \
                 (File > Save As > XML), or {CONVERT}"
            ),
            Foreign::Mpx => write!(
                f,
                "this is an MPX file (MS Project 98's exchange format): open it in MS Project and \
                 save it as XML (File > Save As > XML), or {CONVERT}"
            ),
            Foreign::Xer => write!(
                f,
                "this is a Primavera P6 XER export: export the project from P6 as MS Project XML, \
                 or {CONVERT}"
            ),
            Foreign::Pmxml => write!(
                f,
                "this is Primavera P6 XML (PMXML), not MS Project XML: export the project from \
                 P6 as MS Project XML, or {CONVERT}"
            ),
            Foreign::GanttProject => write!(
                f,
                "this is a GanttProject file (.gan): export it from GanttProject as MS Project \
                 XML (Project > Export > Microsoft Project), or {CONVERT}"
            ),
            Foreign::Planner => write!(
                f,
                "this is a GNOME Planner file, which Regie does not read: {CONVERT}"
            ),
            Foreign::ProjectLibre => write!(
                f,
                "this is a ProjectLibre/OpenProj file (.pod): open it in ProjectLibre and save it \
                 as MS Project XML (File > Save As, type .xml)"
            ),
            Foreign::Xml { root } => write!(
                f,
                "this is XML, but not MS Project XML: its root element is <{root}>, not \
                 <Project xmlns=\"{NAMESPACE}\">"
            ),
        }
    }
}

/// How much of a file is searched for an XML root element (prologs are short; a DTD could be
/// long, and [`read`](super::read) refuses those anyway).
const SNIFF_BYTES: usize = 1 << 20;

/// The format of `bytes`, by content.
pub fn detect(bytes: &[u8]) -> Detected {
    const OLE2: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    const JAVA_SERIALIZATION: [u8; 4] = [0xAC, 0xED, 0x00, 0x05];
    if bytes.starts_with(&OLE2) {
        return Detected::Foreign(Foreign::Mpp);
    }
    if matches!(
        bytes.get(4..19),
        Some(b"Standard Jet DB" | b"Standard ACE DB")
    ) {
        return Detected::Foreign(Foreign::Mpd);
    }
    // MPX's first record: `MPX` and the file's list separator (`,` or `;`).
    if bytes.starts_with(b"MPX") && bytes.get(3).is_some_and(|b| !b.is_ascii_alphanumeric()) {
        return Detected::Foreign(Foreign::Mpx);
    }
    if bytes.starts_with(b"ERMHDR") {
        return Detected::Foreign(Foreign::Xer);
    }
    if bytes.starts_with(&JAVA_SERIALIZATION) {
        return Detected::Foreign(Foreign::ProjectLibre);
    }
    // UTF-16 XML: the reader explains that it wants UTF-8.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Detected::Mspdi;
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let head = String::from_utf8_lossy(head);
    let text = head.trim_start();
    if !text.starts_with('<') {
        return Detected::Other;
    }
    let Some((name, attributes)) = xml_root(text) else {
        return Detected::Mspdi;
    };
    let local = name.rsplit(':').next().unwrap_or(name);
    match local {
        "Project" => {
            let namespaces = namespace_declarations(attributes);
            if namespaces.is_empty() || namespaces.iter().any(|ns| ns.starts_with(NAMESPACE)) {
                Detected::Mspdi
            } else {
                Detected::Foreign(Foreign::Xml {
                    root: name.to_owned(),
                })
            }
        }
        "project" if attributes.contains("mrproject-version") => {
            Detected::Foreign(Foreign::Planner)
        }
        "project" => Detected::Foreign(Foreign::GanttProject),
        "APIBusinessObjects" => Detected::Foreign(Foreign::Pmxml),
        _ => Detected::Foreign(Foreign::Xml {
            root: name.to_owned(),
        }),
    }
}

/// The name and attribute text of the root element, past the declaration, comments,
/// processing instructions and a DOCTYPE.
fn xml_root(mut text: &str) -> Option<(&str, &str)> {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("<?") {
            text = &rest[rest.find("?>")? + 2..];
        } else if let Some(rest) = text.strip_prefix("<!--") {
            text = &rest[rest.find("-->")? + 3..];
        } else if let Some(rest) = text.strip_prefix("<!") {
            // A DOCTYPE, perhaps with an internal subset in brackets.
            let mut depth = 0usize;
            let end = rest.char_indices().find_map(|(i, c)| match c {
                '[' => {
                    depth += 1;
                    None
                }
                ']' => {
                    depth = depth.saturating_sub(1);
                    None
                }
                '>' if depth == 0 => Some(i),
                _ => None,
            })?;
            text = &rest[end + 1..];
        } else {
            let rest = text.strip_prefix('<')?;
            let tag = &rest[..rest.find('>')?];
            let tag = tag.strip_suffix('/').unwrap_or(tag);
            let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
            let name = &tag[..name_end];
            return (!name.is_empty()).then_some((name, &tag[name_end..]));
        }
    }
}

/// The values of the `xmlns` and `xmlns:*` attributes.
fn namespace_declarations(attributes: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = attributes;
    while let Some(at) = rest.find("xmlns") {
        rest = &rest[at + 5..];
        let Some(eq) = rest.find('=') else { break };
        let key_rest = &rest[..eq];
        if !(key_rest.trim().is_empty() || key_rest.starts_with(':')) {
            continue;
        }
        let value = rest[eq + 1..].trim_start();
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let value = &value[1..];
        let Some(end) = value.find(quote) else { break };
        found.push(&value[..end]);
        rest = &value[end..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_roots_and_signatures() {
        let mspdi = "\u{feff}<?xml version=\"1.0\"?>\n<!-- x -->\n<Project xmlns=\"http://schemas.microsoft.com/project\">";
        assert_eq!(detect(mspdi.as_bytes()), Detected::Mspdi);
        assert_eq!(detect(b"<Project><Tasks/></Project>"), Detected::Mspdi);
        assert_eq!(
            detect(b"<!DOCTYPE Project [<!ENTITY a \"<b>\">]><Project>"),
            Detected::Mspdi
        );
        assert_eq!(
            detect(b"<p:Project xmlns:p=\"urn:other\"/>"),
            Detected::Foreign(Foreign::Xml {
                root: "p:Project".to_owned()
            })
        );
        assert_eq!(
            detect(b"<project name=\"\" mrproject-version=\"2\">"),
            Detected::Foreign(Foreign::Planner)
        );
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?><project name=\"\" version=\"3.3\">"),
            Detected::Foreign(Foreign::GanttProject)
        );
        assert_eq!(
            detect(b"project \"Plan\" start=\"2027-01-04\""),
            Detected::Other
        );
        assert_eq!(detect(b""), Detected::Other);
        assert_eq!(
            detect(b"MPX;Microsoft Project"),
            Detected::Foreign(Foreign::Mpx)
        );
        assert_eq!(detect(b"MPXfoo"), Detected::Other);
    }
}
