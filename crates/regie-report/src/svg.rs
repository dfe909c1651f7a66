//! The few SVG/XML writing helpers the renderers share: escaping, compact numbers, and an
//! estimate of text width (there is no font engine here, so layout works from average glyph
//! widths of a Helvetica-like sans-serif, erring on the wide side).

use std::fmt::{self, Write as _};

/// Appends formatted text to a `String`; writing to a `String` cannot fail.
macro_rules! w {
    ($dst:expr, $($arg:tt)*) => {{
        use ::std::fmt::Write as _;
        $dst.write_fmt(format_args!($($arg)*))
            .expect("writing to a String cannot fail")
    }};
}
pub(crate) use w;

/// Text or attribute value with XML's five special characters escaped. Characters that XML 1.0
/// forbids (most C0 controls) become U+FFFD so a stray control character in a task name cannot
/// make the whole document unreadable.
pub(crate) struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                '\t' | '\n' | '\r' => f.write_char(c)?,
                c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                    f.write_char('\u{FFFD}')?
                }
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// A coordinate rounded to a tenth of a pixel, without a trailing `.0`: enough precision for any
/// screen or printer, and a third fewer bytes than full floats.
#[derive(Clone, Copy)]
pub(crate) struct Px(pub f64);

impl fmt::Display for Px {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10.0).round() as i64;
        if tenths < 0 {
            f.write_char('-')?;
        }
        let tenths = tenths.unsigned_abs();
        if tenths.is_multiple_of(10) {
            write!(f, "{}", tenths / 10)
        } else {
            write!(f, "{}.{}", tenths / 10, tenths % 10)
        }
    }
}

/// Single-line label text: line breaks and tabs in names become spaces.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Estimated advance width of `text` at `font_px`, slightly generous so that text laid out with
/// it does not collide with its neighbours.
pub(crate) fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().map(glyph_em).sum::<f64>() * font_px * 1.05
}

pub(crate) fn bold_width(text: &str, font_px: f64) -> f64 {
    text_width(text, font_px) * 1.08
}

fn glyph_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' => 0.25,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.33,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.85,
        'A'..='Z' => 0.68,
        '0'..='9' => 0.56,
        c if c.is_ascii() => 0.55,
        // Accented Latin letters are about as wide as their base letters; CJK and the like are
        // about one em.
        c if (c as u32) < 0x2E80 => 0.6,
        _ => 1.0,
    }
}

/// `text` shortened with an ellipsis so that its estimated width stays within `max_px`.
pub(crate) fn truncate_to_width(
    text: &str,
    max_px: f64,
    font_px: f64,
    bold: bool,
) -> (String, bool) {
    let factor = if bold { 1.08 } else { 1.0 };
    if text_width(text, font_px) * factor <= max_px {
        return (text.to_owned(), false);
    }
    let budget = max_px / (font_px * 1.05 * factor) - glyph_em('…');
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += glyph_em(c);
        if used > budget {
            break;
        }
        out.push(c);
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('…');
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_rounds() {
        assert_eq!(
            Esc("a&b<c>d\"e'f\u{1}").to_string(),
            "a&amp;b&lt;c&gt;d&quot;e&#39;f\u{FFFD}"
        );
        assert_eq!(Px(1.04).to_string(), "1");
        assert_eq!(Px(1.06).to_string(), "1.1");
        assert_eq!(Px(-0.5).to_string(), "-0.5");
        assert_eq!(Px(-0.01).to_string(), "0");
        assert_eq!(Px(120.0).to_string(), "120");
    }

    #[test]
    fn truncation_keeps_within_width() {
        let (short, cut) = truncate_to_width("Short", 200.0, 12.0, false);
        assert_eq!((short.as_str(), cut), ("Short", false));
        let long = "A very long task name that does not fit in the column at all";
        let (cut_text, cut) = truncate_to_width(long, 120.0, 12.0, false);
        assert!(cut && cut_text.ends_with('…'));
        assert!(text_width(&cut_text, 12.0) <= 120.0);
    }
}
