//! Workload histograms: for each person, the hours booked per day or per week against what they
//! can give, before and after leveling, one above the other on the same time axis and scale, so
//! the red over-allocated part visibly goes away.
//!
//! The renderer draws [`ResourceLoad`]s, which the engine computes from each person's own
//! calendar ([`regie_core::usage::daily_loads`]); it computes nothing but bins. A bin of several
//! days is over-allocated by the sum of its days' excesses, because capacity is checked day by
//! day (as MS Project's default leveling basis does): a busy Monday is not offset by a free
//! Friday.

use jiff::civil::Date;

use regie_core::time::{self, MINUTES_PER_DAY};
use regie_core::usage::ResourceLoad;
use regie_core::{Project, ResourceId};

use crate::svg::{Esc, Px, one_line, truncate_to_width, w};
use crate::timescale::Unit;

const LABEL_WIDTH: f64 = 170.0;
const PANEL_HEIGHT: f64 = 56.0;
const NAME_HEIGHT: f64 = 20.0;
const PANEL_GAP: f64 = 6.0;
const ROW_GAP: f64 = 18.0;
const HEADER_HEIGHT: f64 = 24.0;
const MARGIN: f64 = 8.0;
const FONT_PX: f64 = 12.0;
const BOOKED: &str = "#4a7fb5";
const OVER: &str = "#d62728";
const CAPACITY: &str = "#222";

/// One bin of the histogram: the days it covers and what they add up to.
struct Bin {
    first_day: i64,
    booked: i64,
    capacity: i64,
    /// Minutes booked beyond the capacity, summed day by day.
    over: i64,
}

/// The before/after workload histograms of every person booked in either plan, as a standalone
/// SVG document. Bars are per day for plans up to three months, per week up to three years,
/// per month beyond.
pub fn workload_svg(project: &Project, before: &[ResourceLoad], after: &[ResourceLoad]) -> String {
    let days = |load: &ResourceLoad| {
        let first = time::day_number(load.first_day);
        (first, first + load.booked_minutes.len() as i64)
    };
    let (first_day, end_day) = before
        .iter()
        .chain(after)
        .map(days)
        .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
        .unwrap_or((0, 1));
    let unit = match end_day - first_day {
        span if span <= 92 => Unit::Day,
        span if span <= 3 * 366 => Unit::Week,
        _ => Unit::Month,
    };
    let cells = unit.cells(first_day * MINUTES_PER_DAY, end_day * MINUTES_PER_DAY);
    let bin_px = (1000.0 / cells.len().max(1) as f64).clamp(3.0, 24.0);
    let chart_width = bin_px * cells.len() as f64;
    let width = MARGIN * 2.0 + LABEL_WIDTH + chart_width;

    let mut resources: Vec<_> = before.iter().chain(after).map(|l| l.resource).collect();
    resources.sort();
    resources.dedup();
    let row_height = NAME_HEIGHT + 2.0 * PANEL_HEIGHT + PANEL_GAP + ROW_GAP;
    let height = MARGIN * 2.0 + HEADER_HEIGHT + row_height * resources.len() as f64;

    let mut out = String::new();
    w!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" \
         font-family=\"Helvetica, Arial, sans-serif\" font-size=\"{FONT_PX}\">\n",
        Px(width),
        Px(height),
        Px(width),
        Px(height)
    );
    w!(
        out,
        "<title>Workload before and after leveling</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
    );
    let x0 = MARGIN + LABEL_WIDTH;
    // The header: the first unit above the bins (months over days and weeks, years over months).
    let header_unit = match unit {
        Unit::Month => Unit::Year,
        _ => Unit::Month,
    };
    let x_of_day = |day: i64| -> f64 {
        let bin = cells.partition_point(|&(_, end, _)| end <= day * MINUTES_PER_DAY);
        let Some(&(start, end, _)) = cells.get(bin) else {
            return x0 + chart_width;
        };
        let within = (day * MINUTES_PER_DAY - start) as f64 / (end - start).max(1) as f64;
        x0 + (bin as f64 + within.clamp(0.0, 1.0)) * bin_px
    };
    for (start, end, date) in
        header_unit.cells(first_day * MINUTES_PER_DAY, end_day * MINUTES_PER_DAY)
    {
        let (left, right) = (
            x_of_day(start.div_euclid(MINUTES_PER_DAY)),
            x_of_day(end.div_euclid(MINUTES_PER_DAY)),
        );
        let label = header_unit
            .labels(date, true)
            .into_iter()
            .find(|l| crate::svg::text_width(l, FONT_PX) <= right - left - 4.0)
            .unwrap_or_default();
        w!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ccc\"/>\n",
            Px(left),
            Px(MARGIN),
            Px(left),
            Px(height - MARGIN)
        );
        if !label.is_empty() {
            w!(
                out,
                "<text x=\"{}\" y=\"{}\">{}</text>\n",
                Px(left + 3.0),
                Px(MARGIN + 15.0),
                Esc(&label)
            );
        }
    }

    for (row, &resource) in resources.iter().enumerate() {
        let top = MARGIN + HEADER_HEIGHT + row as f64 * row_height;
        let name = project
            .resources
            .get(resource.index())
            .map(|r| one_line(&r.name))
            .unwrap_or_default();
        let panels = [
            ("Before leveling", load_of(before, resource)),
            ("After leveling", load_of(after, resource)),
        ];
        let bins: Vec<Vec<Bin>> = panels
            .iter()
            .map(|(_, load)| load.map(|l| bins_of(l, &cells)).unwrap_or_default())
            .collect();
        let scale_max = bins
            .iter()
            .flatten()
            .map(|b| b.booked.max(b.capacity))
            .max()
            .unwrap_or(0)
            .max(1);
        let (shown, _) = truncate_to_width(&name, LABEL_WIDTH - 8.0, FONT_PX + 1.0, true);
        w!(
            out,
            "<g class=\"resource\">\n<text x=\"{}\" y=\"{}\" font-weight=\"bold\" font-size=\"{}\">{}</text>\n",
            Px(MARGIN),
            Px(top + 14.0),
            FONT_PX + 1.0,
            Esc(&shown)
        );
        for (panel, ((label, _), bins)) in panels.iter().zip(&bins).enumerate() {
            let panel_top = top + NAME_HEIGHT + panel as f64 * (PANEL_HEIGHT + PANEL_GAP);
            let base = panel_top + PANEL_HEIGHT;
            let y_of = |minutes: i64| base - minutes as f64 / scale_max as f64 * PANEL_HEIGHT;
            w!(
                out,
                "<g class=\"{}\">\n<text x=\"{}\" y=\"{}\" fill=\"#555\">{label}</text>\n\
                 <text x=\"{}\" y=\"{}\" fill=\"#555\" text-anchor=\"end\">{}</text>\n\
                 <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\"/>\n",
                if panel == 0 { "before" } else { "after" },
                Px(MARGIN + 8.0),
                Px(panel_top + PANEL_HEIGHT / 2.0 + 4.0),
                Px(x0 - 4.0),
                Px(panel_top + 10.0),
                hours(scale_max),
                Px(x0),
                Px(base),
                Px(x0 + chart_width),
                Px(base)
            );
            let mut capacity_path = String::new();
            for (i, bin) in bins.iter().enumerate() {
                let left = x0 + i as f64 * bin_px;
                let within = bin.booked - bin.over;
                let when = bin_label(bin, unit);
                w!(
                    out,
                    "<g><title>{}, {when}: {} booked of {}{}</title>",
                    Esc(&name),
                    hours(bin.booked),
                    hours(bin.capacity),
                    if bin.over > 0 {
                        format!(", {} over", hours(bin.over))
                    } else {
                        String::new()
                    }
                );
                if within > 0 {
                    w!(
                        out,
                        "<rect class=\"booked\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{BOOKED}\"/>",
                        Px(left + 0.5),
                        Px(y_of(within)),
                        Px(bin_px - 1.0),
                        Px(base - y_of(within))
                    );
                }
                if bin.over > 0 {
                    w!(
                        out,
                        "<rect class=\"over\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{OVER}\"/>",
                        Px(left + 0.5),
                        Px(y_of(bin.booked)),
                        Px(bin_px - 1.0),
                        Px(y_of(within) - y_of(bin.booked))
                    );
                }
                w!(out, "</g>\n");
                let y = y_of(bin.capacity);
                let command = if i == 0 { 'M' } else { 'L' };
                w!(
                    capacity_path,
                    "{command}{} {}H{}",
                    Px(left),
                    Px(y),
                    Px(left + bin_px)
                );
            }
            if !capacity_path.is_empty() {
                w!(
                    out,
                    "<path class=\"capacity\" d=\"{capacity_path}\" fill=\"none\" stroke=\"{CAPACITY}\" stroke-width=\"1.5\"/>\n"
                );
            }
            w!(out, "</g>\n");
        }
        w!(out, "</g>\n");
    }
    w!(out, "</svg>\n");
    out
}

fn load_of(loads: &[ResourceLoad], resource: ResourceId) -> Option<&ResourceLoad> {
    loads.iter().find(|load| load.resource == resource)
}

/// The load summed over each cell (`cells` are midnights, as [`Unit::cells`] gives them).
fn bins_of(load: &ResourceLoad, cells: &[(i64, i64, Date)]) -> Vec<Bin> {
    let first = time::day_number(load.first_day);
    cells
        .iter()
        .map(|&(start, end, _)| {
            let (from, to) = (
                start.div_euclid(MINUTES_PER_DAY),
                end.div_euclid(MINUTES_PER_DAY),
            );
            let mut bin = Bin {
                first_day: from,
                booked: 0,
                capacity: 0,
                over: 0,
            };
            for day in from..to {
                let Ok(slot) = usize::try_from(day - first) else {
                    continue;
                };
                let (Some(&booked), Some(&capacity)) = (
                    load.booked_minutes.get(slot),
                    load.capacity_minutes.get(slot),
                ) else {
                    continue;
                };
                bin.booked += booked;
                bin.capacity += capacity;
                bin.over += (booked - capacity).max(0);
            }
            bin
        })
        .collect()
}

/// "Mon 4 Jan 2027" for a day, "week of 4 Jan 2027", "Jan 2027".
fn bin_label(bin: &Bin, unit: Unit) -> String {
    let date = time::date_of_day(bin.first_day);
    let short = crate::common::short_date(time::date_midnight(date));
    match unit {
        Unit::Day => {
            let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                [date.weekday().to_monday_zero_offset() as usize];
            format!("{weekday} {short}")
        }
        Unit::Week => format!("week of {short}"),
        _ => format!(
            "{} {}",
            crate::common::MONTHS[(date.month() - 1) as usize],
            date.year()
        ),
    }
}

/// Minutes as hours: "8 h", "7.5 h".
fn hours(minutes: i64) -> String {
    let tenths = (minutes as f64 / 6.0).round() as i64;
    if tenths % 10 == 0 {
        format!("{} h", tenths / 10)
    } else {
        format!("{}.{} h", tenths / 10, (tenths % 10).abs())
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::datetime;
    use regie_core::level::project::{LevelOptions, level};
    use regie_core::usage::daily_loads;
    use regie_core::{Assignment, Duration, Resource, Task, TaskId, schedule};

    use super::*;

    /// Ana on "A" (3d) and "B" (2d) from Monday 2027-01-04, at the given units.
    fn plan(units: u32) -> Project {
        let mut p = Project::new("Workload", datetime(2027, 1, 4, 8, 0, 0, 0));
        for (uid, days) in [("A", 3), ("B", 2)] {
            let mut task = Task::new(uid, uid);
            task.duration = Duration::working(days * 480);
            p.tasks.push(task);
        }
        p.resources.push(Resource::new("ana", "Ana Lima"));
        for task in 0..2 {
            p.assignments.push(Assignment {
                task: TaskId(task),
                resource: ResourceId(0),
                units,
                work: None,
            });
        }
        p
    }

    fn panel<'a>(svg: &'a str, class: &str) -> &'a str {
        let start = svg.find(&format!("<g class=\"{class}\">")).unwrap();
        let end = start + svg[start..].find("<path class=\"capacity\"").unwrap();
        &svg[start..end]
    }

    #[test]
    fn an_overallocated_day_is_red_before_and_gone_after_leveling() {
        let p = plan(100);
        let before = schedule(&p).unwrap();
        let leveled = level(&p, &LevelOptions::default()).unwrap();
        let svg = workload_svg(
            &p,
            &daily_loads(&p, &before).unwrap(),
            &daily_loads(&p, &leveled.schedule).unwrap(),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        let (before_panel, after_panel) = (panel(&svg, "before"), panel(&svg, "after"));
        // Monday and Tuesday: both tasks, 16 h booked of 8 h.
        assert_eq!(before_panel.matches("class=\"over\"").count(), 2);
        assert!(
            before_panel.contains("Ana Lima, Mon 4 Jan 2027: 16 h booked of 8 h, 8 h over"),
            "{before_panel}"
        );
        assert_eq!(after_panel.matches("class=\"over\"").count(), 0);
        assert_eq!(after_panel.matches("class=\"booked\"").count(), 5);
        assert!(after_panel.contains("Ana Lima, Fri 8 Jan 2027: 8 h booked of 8 h"));
    }

    #[test]
    fn the_capacity_line_is_max_units_times_the_calendar_hours() {
        // Ana works half time and each task books her at half time: every bar reaches the line.
        let mut p = plan(50);
        p.assignments.pop();
        p.resources[0].max_units = 50;
        let s = schedule(&p).unwrap();
        let loads = daily_loads(&p, &s).unwrap();
        let svg = workload_svg(&p, &loads, &loads);
        let before_panel = panel(&svg, "before");
        assert!(before_panel.contains("Mon 4 Jan 2027: 4 h booked of 4 h</title>"));
        assert!(!before_panel.contains("class=\"over\""));
        // The bar's top and the capacity line on Monday (the second bin) are at the same height.
        let bar = &before_panel[before_panel.find("class=\"booked\"").unwrap()..];
        let bar_y = attribute(bar, "y");
        let path_start = svg.find("<path class=\"capacity\" d=\"").unwrap();
        let path = &svg[path_start + 26..];
        let second_segment = path.split('L').nth(1).unwrap();
        let line_y = second_segment.split(['H', ' ']).nth(1).unwrap();
        assert_eq!(bar_y, line_y);
        // Sunday has no capacity: the line drops to the axis.
        assert!(svg.contains("Sun 3 Jan 2027: 0 h booked of 0 h"));
    }

    fn attribute<'a>(element: &'a str, name: &str) -> &'a str {
        let key = format!(" {name}=\"");
        let start = element.find(&key).unwrap() + key.len();
        let end = start + element[start..].find('"').unwrap();
        &element[start..end]
    }
}
