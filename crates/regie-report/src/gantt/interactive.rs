//! The marks the web UI's Gantt page needs on top of the wall chart (`GanttOptions::interactive`):
//! what its JavaScript reads to turn pixels into dates and to find tasks, and the handles it
//! drags. The chart stays the same picture; only these attributes and a few invisible or
//! hover-only shapes are added.
//!
//! The page embeds the SVG inline in HTML, so the style block is scoped to the chart's root class
//! (an inline `<style>` applies to the whole page) and the document has no XML prolog.
//!
//! The contract itself is documented on `GanttOptions::interactive`.

use regie_core::{Minute, time};

use super::{BAR_H, BAR_TOP, ROW_H};
use crate::svg::{Esc, Px, w};

/// Class of the root element, and the scope of every style rule.
pub(super) const ROOT_CLASS: &str = "rg-gantt";

/// Room left of the names for the collapse toggle (every name moves, so siblings stay aligned).
pub(super) const TOGGLE_W: f64 = 12.0;
/// The link connector: how far right of the bar's end its centre is, and its radius.
const CONNECTOR_DX: f64 = 8.0;
const CONNECTOR_R: f64 = 4.0;
/// How much further right a bar's label starts, to keep clear of the connector.
pub(super) const LABEL_SHIFT: f64 = 12.0;
/// Width of the resize handle over a bar's right end.
const RESIZE_W: f64 = 6.0;

const STYLE: &str = "\
.rowhit{fill:#000;fill-opacity:0}\
.r:hover .rowhit{fill-opacity:.05}\
.drag{cursor:grab}\
.drag:active{cursor:grabbing}\
.rh{fill:#000;fill-opacity:0;cursor:ew-resize}\
.lk{fill:#fff;stroke:#2c5d92;stroke-width:1.5;opacity:0;cursor:crosshair}\
.r:hover .lk{opacity:1}\
.tg{fill:#5b6470;cursor:pointer;user-select:none}.tg:focus{outline:none;fill:#2c5d92;font-weight:bold}";

/// The chart's style rules followed by the interactive ones, each selector scoped to the root
/// class. Relies on the rules having one selector each (no commas before a `{`).
pub(super) fn scoped_style(base: &str) -> String {
    let mut out = String::with_capacity((base.len() + STYLE.len()) * 3 / 2);
    for rule in base.split_inclusive('}').chain(STYLE.split_inclusive('}')) {
        w!(out, ".{ROOT_CLASS} {rule}");
    }
    out
}

/// `YYYY-MM-DD` of the civil day containing `minute`.
pub(super) fn civil_date(minute: Minute) -> impl std::fmt::Display {
    time::datetime_of(minute).date()
}

/// Attributes of the root element, after its size.
pub(super) fn root_attributes(
    out: &mut String,
    title: &str,
    px_per_day: f64,
    origin: Minute,
    x0: f64,
    rows_top: f64,
    zoom: &str,
) {
    w!(
        out,
        " class=\"{ROOT_CLASS}\" aria-label=\"{} — Gantt chart\" data-day-px=\"{px_per_day}\" data-origin=\"{}\" data-x0=\"{}\" data-row-h=\"{}\" data-rows-top=\"{}\" data-zoom=\"{zoom}\"",
        Esc(title),
        civil_date(origin),
        Px(x0),
        Px(ROW_H),
        Px(rows_top),
    );
}

/// Opens a row's group with its hit area over the chart part of the row.
pub(super) fn open_row(out: &mut String, uid: &str, chart_x0: f64, chart_x1: f64, top: f64) {
    w!(
        out,
        "<g class=\"r\"><rect class=\"rowhit\" data-uid=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
        Esc(uid),
        Px(chart_x0),
        Px(top),
        Px(chart_x1 - chart_x0),
        Px(ROW_H)
    );
}

/// The data attributes of a task's shape.
pub(super) fn task_attributes(
    out: &mut String,
    uid: &str,
    index: usize,
    start: Minute,
    finish_day: Minute,
) {
    w!(
        out,
        " data-uid=\"{}\" data-id=\"{}\" data-start=\"{}\" data-finish=\"{}\"",
        Esc(uid),
        index + 1,
        civil_date(start),
        civil_date(finish_day)
    );
}

/// The resize handle over a leaf bar's right end (`x0..x1`), never covering more than the bar's
/// right half, so that a short bar can still be grabbed to move it.
pub(super) fn resize_handle(out: &mut String, uid: &str, x0: f64, x1: f64, top: f64) {
    let left = (x1 - RESIZE_W / 2.0).max((x0 + x1) / 2.0);
    w!(
        out,
        "<rect class=\"rh\" data-uid=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
        Esc(uid),
        Px(left),
        Px(top + BAR_TOP),
        Px(x1 + RESIZE_W / 2.0 - left),
        Px(BAR_H)
    );
}

/// The link connector just right of a bar or milestone ending at `end`.
pub(super) fn connector(out: &mut String, uid: &str, end: f64, top: f64) {
    w!(
        out,
        "<circle class=\"lk\" data-uid=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
        Esc(uid),
        Px(end + CONNECTOR_DX),
        Px(top + ROW_H / 2.0),
        Px(CONNECTOR_R)
    );
}

/// A summary's collapse toggle at `x`, on the row's text baseline `y`: a button for the
/// keyboard and screen readers too (focusable, named "Expand …"/"Collapse …").
pub(super) fn toggle(out: &mut String, uid: &str, name: &str, collapsed: bool, x: Px, y: Px) {
    w!(
        out,
        "<text class=\"tg\" data-toggle=\"{}\" x=\"{x}\" y=\"{y}\" tabindex=\"0\" role=\"button\" aria-expanded=\"{}\" aria-label=\"{} {}\">{}</text>",
        Esc(uid),
        !collapsed,
        if collapsed { "Expand" } else { "Collapse" },
        Esc(name),
        if collapsed { '▸' } else { '▾' }
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_scoped() {
        let style = scoped_style(super::super::STYLE);
        let rules: Vec<&str> = style.split_inclusive('}').collect();
        assert!(rules.len() > 30);
        for rule in rules {
            let selector = &rule[..rule.find('{').unwrap()];
            assert!(selector.starts_with(".rg-gantt "), "{rule}");
            assert!(!selector.contains(','), "one selector per rule: {rule}");
        }
    }
}
