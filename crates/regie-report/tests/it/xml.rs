//! A small, strict XML reader for the tests: enough to prove the SVG is well-formed (one root,
//! balanced and matching tags, quoted attributes, known entities, no raw `<` or `&`) and to query
//! its elements.

#[derive(Debug)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn num(&self, name: &str) -> f64 {
        self.attr(name)
            .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
            .parse()
            .unwrap()
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }

    /// This element and all elements below it, in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for child in &self.children {
            if let Node::Element(e) = child {
                out.extend(e.descendants());
            }
        }
        out
    }

    pub fn find_all<'a>(&'a self, name: &str, class: &str) -> Vec<&'a Element> {
        self.descendants()
            .into_iter()
            .filter(|e| e.name == name && (class.is_empty() || e.has_class(class)))
            .collect()
    }

    pub fn by_id(&self, id: &str) -> &Element {
        self.descendants()
            .into_iter()
            .find(|e| e.attr("id") == Some(id))
            .unwrap_or_else(|| panic!("no element with id {id}"))
    }

    /// The decoded text of this element and its descendants.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for child in &self.children {
            match child {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => out.push_str(&e.text()),
            }
        }
        out
    }

    /// The text of the element's own `<title>` child.
    pub fn tooltip(&self) -> Option<String> {
        self.children.iter().find_map(|c| match c {
            Node::Element(e) if e.name == "title" => Some(e.text()),
            _ => None,
        })
    }
}

pub fn parse(input: &str) -> Result<Element, String> {
    let mut p = Parser { s: input, i: 0 };
    p.skip_misc()?;
    let root = p.element()?;
    p.skip_misc()?;
    if p.i != p.s.len() {
        return Err(format!("content after the root element at byte {}", p.i));
    }
    Ok(root)
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.i..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.i = self.s.len() - trimmed.len();
    }

    /// Whitespace, the XML declaration and comments.
    fn skip_misc(&mut self) -> Result<(), String> {
        loop {
            self.skip_ws();
            if self.rest().starts_with("<?") {
                let end = self.rest().find("?>").ok_or("unclosed <?")?;
                self.i += end + 2;
            } else if self.rest().starts_with("<!--") {
                let end = self.rest().find("-->").ok_or("unclosed comment")?;
                self.i += end + 3;
            } else {
                return Ok(());
            }
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self
            .rest()
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')))
            .unwrap_or(self.rest().len());
        if len == 0
            || self
                .rest()
                .starts_with(|c: char| c.is_ascii_digit() || c == '-')
        {
            return Err(format!("bad name at byte {}", self.i));
        }
        let name = self.rest()[..len].to_owned();
        self.i += len;
        Ok(name)
    }

    fn element(&mut self) -> Result<Element, String> {
        if !self.rest().starts_with('<') {
            return Err(format!("expected < at byte {}", self.i));
        }
        self.i += 1;
        let name = self.name()?;
        let mut attrs = Vec::new();
        loop {
            let before = self.i;
            self.skip_ws();
            if self.rest().starts_with("/>") {
                self.i += 2;
                return Ok(Element {
                    name,
                    attrs,
                    children: Vec::new(),
                });
            }
            if self.rest().starts_with('>') {
                self.i += 1;
                break;
            }
            if self.i == before {
                return Err(format!(
                    "expected whitespace before attribute at byte {}",
                    self.i
                ));
            }
            let attr = self.name()?;
            if !self.rest().starts_with('=') {
                return Err(format!("attribute {attr} without value"));
            }
            self.i += 1;
            let quote = self.rest().chars().next().ok_or("eof")?;
            if quote != '"' && quote != '\'' {
                return Err(format!("unquoted attribute {attr}"));
            }
            self.i += 1;
            let end = self.rest().find(quote).ok_or("unclosed attribute")?;
            let raw = &self.rest()[..end];
            if raw.contains('<') {
                return Err(format!("< in attribute {attr}"));
            }
            let value = decode(raw)?;
            self.i += end + 1;
            if attrs.iter().any(|(n, _): &(String, String)| *n == attr) {
                return Err(format!("duplicate attribute {attr}"));
            }
            attrs.push((attr, value));
        }
        let mut children = Vec::new();
        loop {
            if self.rest().starts_with("</") {
                self.i += 2;
                let end_name = self.name()?;
                if end_name != name {
                    return Err(format!("</{end_name}> closes <{name}>"));
                }
                self.skip_ws();
                if !self.rest().starts_with('>') {
                    return Err("bad end tag".to_owned());
                }
                self.i += 1;
                return Ok(Element {
                    name,
                    attrs,
                    children,
                });
            } else if self.rest().starts_with("<!--") {
                let end = self.rest().find("-->").ok_or("unclosed comment")?;
                self.i += end + 3;
            } else if self.rest().starts_with('<') {
                children.push(Node::Element(self.element()?));
            } else if self.rest().is_empty() {
                return Err(format!("<{name}> is never closed"));
            } else {
                let end = self.rest().find('<').unwrap_or(self.rest().len());
                let raw = &self.rest()[..end];
                if raw.contains('>') && raw.contains("]]>") {
                    return Err("]]> in text".to_owned());
                }
                children.push(Node::Text(decode(raw)?));
                self.i += end;
            }
        }
    }
}

fn decode(raw: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.find(';').ok_or("bare &")?;
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ if entity.starts_with("#x") => u32::from_str_radix(&entity[2..], 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or("bad character reference")?,
            _ if entity.starts_with('#') => entity[1..]
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .ok_or("bad character reference")?,
            _ => return Err(format!("unknown entity &{entity};")),
        };
        out.push(c);
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    if out
        .chars()
        .any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err("control character not allowed in XML".to_owned());
    }
    Ok(out)
}

/// The points an SVG path's `d` passes through (commands M, L, H, V, Z with absolute
/// coordinates, which is all the renderer writes).
pub fn path_points(d: &str) -> Vec<(f64, f64)> {
    let mut points = Vec::new();
    let mut current = (0.0, 0.0);
    let mut command = ' ';
    let mut numbers: Vec<f64> = Vec::new();
    let mut flush = |command: char, numbers: &mut Vec<f64>, current: &mut (f64, f64)| {
        match command {
            'M' | 'L' => {
                for pair in numbers.chunks(2) {
                    *current = (pair[0], pair[1]);
                    points.push(*current);
                }
            }
            'H' => {
                for &x in numbers.iter() {
                    current.0 = x;
                    points.push(*current);
                }
            }
            'V' => {
                for &y in numbers.iter() {
                    current.1 = y;
                    points.push(*current);
                }
            }
            'Z' | ' ' => {}
            other => panic!("unexpected path command {other}"),
        }
        numbers.clear();
    };
    let mut token = String::new();
    for c in d.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || c == '.' || (c == '-' && token.is_empty()) {
            token.push(c);
            continue;
        }
        if !token.is_empty() {
            numbers.push(token.parse().unwrap());
            token.clear();
        }
        if c == '-' {
            token.push(c);
        } else if c.is_ascii_alphabetic() {
            flush(command, &mut numbers, &mut current);
            command = c;
        }
    }
    flush(command, &mut numbers, &mut current);
    points
}
