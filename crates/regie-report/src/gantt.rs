//! The Gantt chart as one standalone SVG document, made to be printed as a wall chart as much as to
//! be looked at in a browser.
//!
//! Left to right: a table (outline number, name indented by depth, start, finish), then the time
//! axis with the bars and their labels. Top to bottom: title, summary line and legend, the
//! status-date tag, the two-row time header, one fixed-height row per task, and for long plans the
//! time header again at the bottom. Rows never shrink: 600 tasks make one tall document, so the
//! text stays at its size whatever the plan.
//!
//! Size: what repeats per row is kept small (classes from one `<style>` block, coordinates to a
//! tenth of a pixel), and what spans the whole height (non-working time, grid lines) is drawn once,
//! not once per row.
//!
//! The same chart serves the web UI's interactive Gantt page (`GanttOptions::interactive`): the
//! marks its script needs are added by `gantt/interactive.rs`, and summaries can be drawn
//! collapsed (`GanttOptions::collapsed`) in either form.

mod interactive;

use std::collections::BTreeSet;

use regie_core::{LinkKind, Minute, Project, Schedule, TaskSchedule, time};

use crate::common::{
    depths, finish_day_minute, format_days, project_calendar_index, resource_names, short_date,
    table_datetime, task_count,
};
use crate::svg::{Esc, Px, bold_width, one_line, text_width, truncate_to_width, w};
use crate::timescale::{Unit, Zoom};

/// What to draw besides the plan itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GanttOptions {
    /// The status date ("today"): drawn as a dashed vertical line with a dated tag.
    pub today: Option<Minute>,
    /// Show only critical tasks, with their summary tasks for context.
    pub critical_only: bool,
    /// The chart's title; the project's name when `None`.
    pub title: Option<String>,
    /// The time scale; chosen from the plan's length when `None` (about three months or less:
    /// days; a bit over a year or less: weeks; about four years or less: months; else quarters).
    pub zoom: Option<Zoom>,
    /// Marks for the web UI's interactive Gantt page, which embeds the SVG inline in HTML and
    /// lets a script move, stretch and link bars. The picture stays the same; added are:
    ///
    /// - no XML prolog and no root `<title>` (an `aria-label` instead); the style block is
    ///   scoped to the root's class `rg-gantt`, since an inline `<style>` applies to the page;
    /// - on the root `<svg>`: `data-day-px` (pixels per calendar day), `data-origin` (the date,
    ///   `YYYY-MM-DD`, whose midnight is at x = `data-x0`), `data-x0`, `data-row-h`,
    ///   `data-rows-top` (y of the first row) and `data-zoom` (see [`Zoom::name`]);
    /// - one `<g class="r">` per row: a transparent `rect.rowhit` over the chart part of the
    ///   row, the task's shape (`rect.bar.drag` for a task, `path.ms.drag` for a milestone,
    ///   `path.sb` for a summary) with `data-uid`, `data-id` (1-based position in outline
    ///   order), `data-start` and `data-finish` (dates of the scheduled start and of the last
    ///   working minute); for a task the resize handle `rect.rh` over its right end, and for a
    ///   task or milestone the link connector `circle.lk` right of it, shown while the row is
    ///   hovered. Each carries `data-uid`;
    /// - on each dependency line `path.ln`: `data-pred`, `data-succ` (uids), `data-type` (FS,
    ///   SS, FF or SF); the lines are drawn over the rows so they can still be pointed at;
    /// - before each summary's name a `text.tg` with `data-toggle` (its uid): ▾ when expanded,
    ///   ▸ when collapsed (see `collapsed`). Names move right to make room for it.
    pub interactive: bool,
    /// Uids of summary tasks drawn collapsed: their subtasks' rows, and links touching those
    /// subtasks, are not drawn. The time axis and the columns stay those of the whole plan, so
    /// collapsing or expanding moves nothing else.
    pub collapsed: BTreeSet<String>,
}

const FONT: f64 = 12.0;
const HEADER_FONT: f64 = 11.0;
const TITLE_FONT: f64 = 18.0;
const ROW_H: f64 = 22.0;
const SCALE_ROW_H: f64 = 22.0;
const PAD: f64 = 8.0;
const INDENT: f64 = 14.0;
/// Leaf bars: offset from the row's top and height.
const BAR_TOP: f64 = 5.0;
const BAR_H: f64 = 12.0;
/// Summary bars: offset of the bar's top, its thickness, and how far its end caps hang down.
const SUMMARY_TOP: f64 = 6.0;
const SUMMARY_H: f64 = 5.0;
const SUMMARY_CAP: f64 = 5.0;
const MILESTONE_HALF: f64 = 7.0;
/// Distance a dependency line runs straight out of a bar before it turns.
const LINK_GAP: f64 = 5.0;
/// Room between a bar and its label: more than [`LINK_GAP`], so that a line turning down out of a
/// bar passes between the bar and its label instead of through the label's first letter.
const LABEL_GAP: f64 = 10.0;
/// Longest label drawn right of a bar; longer names are cut (the table and tooltip have them).
const LABEL_MAX_PX: f64 = 360.0;
const NAME_COLUMN_MIN_PX: f64 = 180.0;
const NAME_COLUMN_MAX_PX: f64 = 380.0;
/// From this many rows on the time header is repeated under the last row.
const BOTTOM_SCALE_MIN_ROWS: usize = 30;

const STYLE: &str = "\
text{font-family:'Liberation Sans',Arial,Helvetica,sans-serif;font-size:12px;fill:#1b1f24}\
.ttl{font-size:18px;font-weight:bold}\
.sub{fill:#4a525c}\
.th{font-weight:bold;font-size:11px;fill:#2b3138}\
.sc{font-size:11px;fill:#2b3138}\
.c{text-anchor:middle}\
.bg{fill:#fff}\
.hdr{fill:#eceff3}\
.zb{fill:#f4f6f9}\
.nw{fill:#8c96a3;fill-opacity:.16}\
.gr{fill:none;stroke:#dfe3e8;stroke-width:1}\
.gm{fill:none;stroke:#b4bcc6;stroke-width:1}\
.sep{fill:none;stroke:#8c96a3;stroke-width:1}\
.wbs{fill:#5b6470}\
.sum{font-weight:bold}\
.dt{fill:#2b3138}\
.bar{fill:#4a86c5;stroke:#2c5d92;stroke-width:1}\
.bar.crit{fill:#d9443a;stroke:#9f2219}\
.sb{fill:#1b1f24}\
.ms{fill:#2c5d92;stroke:#1b3d63;stroke-width:1}\
.ms.crit{fill:#d9443a;stroke:#9f2219}\
.dl{fill:#2e8b57}\
.dl.miss{fill:#d9443a}\
.lbl{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\
.res{fill:#5b6470}\
.msd{font-weight:bold}\
.ln{fill:none;stroke:#6b7785;stroke-width:1;marker-end:url(#arr)}\
.ln.crit{stroke:#d9443a;marker-end:url(#arr-crit)}\
.td{stroke:#e07000;stroke-width:1.5;stroke-dasharray:6 4;fill:none}\
.tdt{fill:#e07000}\
.tdl{fill:#fff;font-weight:bold;font-size:11px;text-anchor:middle}";

/// One row of the chart.
#[derive(Clone)]
struct Row {
    /// Index into the project's tasks and the schedule's.
    task: usize,
    depth: usize,
    summary: bool,
    milestone: bool,
    critical: bool,
    /// A summary whose subtasks are hidden.
    collapsed: bool,
    /// The span drawn: the schedule's, widened for summaries to cover their children.
    start: Minute,
    finish: Minute,
}

/// Maps instants to x coordinates.
struct Scale {
    origin: Minute,
    x0: f64,
    px_per_minute: f64,
}

impl Scale {
    fn x(&self, minute: Minute) -> f64 {
        self.x0 + (minute - self.origin) as f64 * self.px_per_minute
    }
}

/// Horizontal layout of the left table.
struct Columns {
    wbs_x: f64,
    name_x: f64,
    name_w: f64,
    start_x: f64,
    finish_x: f64,
    end: f64,
}

/// The bar (or diamond, or bracket) of one row and the label right of it.
struct Bar {
    x0: f64,
    x1: f64,
    /// Where the label starts and how wide it is estimated to be.
    label_x: f64,
    label_end: f64,
    /// Name part of the label (already cut to fit) and the part shown in grey.
    label: String,
    label_extra: String,
}

/// Draws the Gantt chart of `project` as scheduled in `schedule`.
///
/// `schedule` must be the project's schedule (one entry per task, by `TaskId`); tasks without an
/// entry are left out rather than drawn wrong.
pub fn gantt_svg(project: &Project, schedule: &Schedule, options: &GanttOptions) -> String {
    let count = task_count(project, schedule);
    // Everything but the rows themselves is laid out for the plan with no summary collapsed.
    let all_rows = chart_rows(project, schedule, count, options);
    let rows_under_collapsed;
    let rows: &[Row] = if options.collapsed.is_empty() {
        &all_rows
    } else {
        rows_under_collapsed = expanded_rows(project, &all_rows);
        &rows_under_collapsed
    };
    let interactive = options.interactive;
    let numbers = project.outline_numbers();
    let resources = resource_names(project);
    let per_day = project.units.minutes_per_day;

    // The time axis: the plan's span (with deadlines and the status date), widened to whole units
    // of the lower header row plus one unit of air on each side.
    let (low, high) = time_span(project, schedule, &all_rows, options.today);
    let span_days = (high - low) as f64 / time::MINUTES_PER_DAY as f64;
    let zoom = options.zoom.unwrap_or_else(|| Zoom::auto(span_days));
    let px_per_day = zoom.px_per_day(span_days);
    let (major, minor) = zoom.units();
    let range_start = time::date_midnight(minor.previous(time::datetime_of(low).date()));
    let last_unit = minor.floor(time::datetime_of(finish_day_minute(low, high)).date());
    let range_end = time::date_midnight(minor.next(minor.next(last_unit)));

    let columns = table_columns(project, &all_rows, &numbers, interactive);
    let scale = Scale {
        origin: range_start,
        x0: columns.end,
        px_per_minute: px_per_day / time::MINUTES_PER_DAY as f64,
    };
    let chart_x1 = scale.x(range_end);

    // Vertical layout.
    let title_y = 26.0;
    let subtitle_y = 48.0;
    let scale_top = if options.today.is_some() { 84.0 } else { 60.0 };
    let rows_top = scale_top + 2.0 * SCALE_ROW_H;
    let row_count = rows.len().max(1);
    let rows_bottom = rows_top + row_count as f64 * ROW_H;
    let bottom_scale = rows.len() >= BOTTOM_SCALE_MIN_ROWS;
    let content_bottom = rows_bottom + if bottom_scale { 2.0 * SCALE_ROW_H } else { 0.0 };
    let height = (content_bottom + PAD).ceil();

    let bars: Vec<Bar> = rows
        .iter()
        .map(|row| bar_geometry(project, &scale, row, &resources, interactive))
        .collect();

    let shading = nonworking_spans(project, zoom, range_start, range_end);

    let title = options
        .title
        .clone()
        .unwrap_or_else(|| project.name.clone());
    let title = one_line(&title);
    let mut subtitle = if all_rows.is_empty() {
        "No tasks".to_owned()
    } else {
        let plan_start = all_rows.iter().map(|r| r.start).min().unwrap_or(low);
        let plan_finish = all_rows.iter().map(|r| r.finish).max().unwrap_or(high);
        format!(
            "{} – {} · {} task{}",
            short_date(plan_start),
            short_date(finish_day_minute(plan_start, plan_finish)),
            all_rows.len(),
            if all_rows.len() == 1 { "" } else { "s" }
        )
    };
    if options.critical_only {
        subtitle.push_str(" · critical tasks only");
    }
    let legend_x = (PAD + text_width(&subtitle, FONT) + 24.0).max(columns.end);
    let legend = legend_items(!shading.is_empty(), options.today.is_some());
    let legend_end = legend_x
        + legend
            .iter()
            .map(|item| 26.0 + text_width(item.1, FONT) + 14.0)
            .sum::<f64>();

    let width = [
        chart_x1,
        legend_end,
        PAD + bold_width(&title, TITLE_FONT),
        bars.iter().map(|b| b.label_end).fold(0.0, f64::max),
    ]
    .into_iter()
    .fold(0.0, f64::max)
        + PAD;
    let width = width.ceil();

    let mut out = String::with_capacity(4096 + rows.len() * if interactive { 1400 } else { 900 });
    if !interactive {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    w!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"",
        w = Px(width),
        h = Px(height)
    );
    if interactive {
        // No <title> child: inline in a page it would be the tooltip of every bare spot.
        interactive::root_attributes(
            &mut out,
            &title,
            px_per_day,
            scale.origin,
            scale.x0,
            rows_top,
            zoom.name(),
        );
        w!(
            out,
            ">\n<style>{}</style>\n",
            interactive::scoped_style(STYLE)
        );
    } else {
        w!(out, ">\n<title>{} — Gantt chart</title>\n", Esc(&title));
        w!(out, "<style>{STYLE}</style>\n");
    }
    w!(
        out,
        "<defs>\
<marker id=\"arr\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0L8 4L0 8z\" fill=\"#6b7785\"/></marker>\
<marker id=\"arr-crit\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0L8 4L0 8z\" fill=\"#d9443a\"/></marker>\
<clipPath id=\"name-col\"><rect x=\"{}\" y=\"0\" width=\"{}\" height=\"{}\"/></clipPath>\
</defs>\n",
        Px(columns.name_x),
        Px(columns.name_w - 6.0),
        Px(height)
    );
    w!(
        out,
        "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\"/>\n",
        Px(width),
        Px(height)
    );

    // Zebra rows, then non-working time and grid lines over the whole height of the rows.
    for index in (1..rows.len()).step_by(2) {
        w!(
            out,
            "<rect class=\"zb\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
            Px(rows_top + index as f64 * ROW_H),
            Px(width),
            Px(ROW_H)
        );
    }
    for &(from, to) in &shading {
        w!(
            out,
            "<rect class=\"nw\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
            Px(scale.x(from)),
            Px(rows_top),
            Px(scale.x(to) - scale.x(from)),
            Px(rows_bottom - rows_top)
        );
    }
    draw_grid(
        &mut out,
        &scale,
        minor,
        range_start,
        range_end,
        rows_top,
        rows_bottom,
        "gr",
    );
    draw_grid(
        &mut out,
        &scale,
        major,
        range_start,
        range_end,
        rows_top,
        rows_bottom,
        "gm",
    );

    // Time header(s) and the table's column headings.
    draw_time_header(
        &mut out,
        &scale,
        zoom,
        range_start,
        range_end,
        width,
        scale_top,
        false,
    );
    draw_table_header(&mut out, &columns, scale_top);
    if bottom_scale {
        draw_time_header(
            &mut out,
            &scale,
            zoom,
            range_start,
            range_end,
            width,
            rows_bottom,
            true,
        );
    }

    // Title, summary line and legend.
    w!(
        out,
        "<text class=\"ttl\" x=\"{}\" y=\"{}\">{}</text>\n",
        Px(PAD),
        Px(title_y),
        Esc(&title)
    );
    w!(
        out,
        "<text class=\"sub\" x=\"{}\" y=\"{}\">{}</text>\n",
        Px(PAD),
        Px(subtitle_y),
        Esc(&subtitle)
    );
    draw_legend(&mut out, &legend, legend_x, subtitle_y);

    draw_table(
        &mut out,
        project,
        schedule,
        rows,
        &numbers,
        &columns,
        rows_top,
        interactive,
    );
    if rows.is_empty() {
        w!(
            out,
            "<text class=\"sub\" x=\"{}\" y=\"{}\">{}</text>\n",
            Px(columns.name_x),
            Px(rows_top + 15.0),
            if options.critical_only {
                "This plan has no critical tasks to show."
            } else {
                "This plan has no tasks to show."
            }
        );
    }
    // The line between the table and the chart.
    w!(
        out,
        "<path class=\"sep\" d=\"M{x} {} V{}\"/>\n",
        Px(scale_top),
        Px(content_bottom),
        x = Px(columns.end)
    );

    // The status-date line goes under the bars and labels it crosses; its tag is drawn last.
    if let Some(today) = options.today {
        w!(
            out,
            "<path class=\"td\" d=\"M{} {}V{}\"/>\n",
            Px(scale.x(today)),
            Px(scale_top - 4.0),
            Px(content_bottom)
        );
    }
    // Interactive rows are groups under a hit area as wide as the chart; the dependency lines go
    // over them, so that they can still be pointed at.
    if !interactive {
        draw_links(&mut out, project, rows, &bars, rows_top, false);
    }
    let row_band = interactive.then_some((columns.end, width));
    draw_bars(
        &mut out, project, schedule, rows, &bars, &numbers, &resources, &scale, rows_top, per_day,
        row_band,
    );
    if interactive {
        draw_links(&mut out, project, rows, &bars, rows_top, true);
    }

    if let Some(today) = options.today {
        draw_today_tag(&mut out, &scale, today, scale_top, columns.end, chart_x1);
    }
    out.push_str("</svg>\n");
    out
}

/// The rows to draw, in outline order, with summary spans rolled up from their children: every
/// task, or with `critical_only` the critical ones and their summaries. Collapsed summaries are
/// marked but their subtasks kept (see [`expanded_rows`]).
fn chart_rows(
    project: &Project,
    schedule: &Schedule,
    count: usize,
    options: &GanttOptions,
) -> Vec<Row> {
    let critical_only = options.critical_only;
    let depth = depths(project);
    let summary = project.summary_flags();

    // Children come after their parent, so walking backwards folds every subtree into its root.
    let mut span: Vec<(Minute, Minute)> = schedule.tasks[..count]
        .iter()
        .map(|t| (t.start, t.finish.max(t.start)))
        .collect();
    for index in (0..count).rev() {
        if let Some(parent) = project.tasks[index].parent.map(|p| p.index())
            && parent < index
        {
            let (start, finish) = span[index];
            span[parent].0 = span[parent].0.min(start);
            span[parent].1 = span[parent].1.max(finish);
        }
    }

    // With critical_only, a critical task keeps its summaries so the phases still read.
    let mut shown = vec![!critical_only; count];
    if critical_only {
        for index in 0..count {
            if schedule.tasks[index].critical {
                let mut current = Some(index);
                while let Some(task) = current {
                    if shown[task] {
                        break;
                    }
                    shown[task] = true;
                    current = project.tasks[task]
                        .parent
                        .map(|p| p.index())
                        .filter(|&p| p < task);
                }
            }
        }
    }

    (0..count)
        .filter(|&index| shown[index])
        .map(|index| {
            let task = &project.tasks[index];
            let sched = &schedule.tasks[index];
            let (start, finish) = span[index];
            Row {
                task: index,
                depth: depth[index],
                summary: summary[index],
                milestone: !summary[index] && (task.milestone || sched.finish <= sched.start),
                critical: sched.critical,
                collapsed: summary[index] && options.collapsed.contains(&task.uid),
                start,
                finish,
            }
        })
        .collect()
}

/// The rows not inside a collapsed summary.
fn expanded_rows(project: &Project, rows: &[Row]) -> Vec<Row> {
    // Parents come before their children: a task is hidden when its parent is collapsed or
    // hidden itself.
    let mut hidden = vec![false; project.tasks.len()];
    let mut closed = vec![false; project.tasks.len()];
    for row in rows {
        closed[row.task] = row.collapsed;
    }
    for index in 0..project.tasks.len() {
        if let Some(parent) = project.tasks[index].parent.map(|p| p.index())
            && parent < index
        {
            hidden[index] = hidden[parent] || closed[parent];
        }
    }
    rows.iter()
        .filter(|row| !hidden[row.task])
        .cloned()
        .collect()
}

/// Earliest and latest instants the chart must show; at least one day.
fn time_span(
    project: &Project,
    schedule: &Schedule,
    rows: &[Row],
    today: Option<Minute>,
) -> (Minute, Minute) {
    let mut low = Minute::MAX;
    let mut high = Minute::MIN;
    for row in rows {
        low = low.min(row.start);
        high = high.max(row.finish);
        if let Some(deadline) = project.tasks[row.task].deadline {
            let deadline = time::minute_of(deadline);
            low = low.min(deadline);
            high = high.max(deadline);
        }
    }
    if rows.is_empty() {
        low = schedule.start;
        high = schedule.finish.max(schedule.start);
    }
    if let Some(today) = today {
        low = low.min(today);
        high = high.max(today);
    }
    (low, high.max(low + time::MINUTES_PER_DAY))
}

fn table_columns(
    project: &Project,
    rows: &[Row],
    numbers: &[String],
    interactive: bool,
) -> Columns {
    let wbs_w = rows
        .iter()
        .map(|row| text_width(&numbers[row.task], FONT))
        .fold(text_width("WBS", HEADER_FONT), f64::max)
        + 14.0;
    let widest_name = rows
        .iter()
        .map(|row| {
            let name = one_line(&project.tasks[row.task].name);
            let text = if row.summary {
                bold_width(&name, FONT)
            } else {
                text_width(&name, FONT)
            };
            row.depth as f64 * INDENT + text
        })
        .fold(0.0, f64::max)
        + if interactive {
            interactive::TOGGLE_W
        } else {
            0.0
        };
    let name_w = (widest_name + 16.0).clamp(NAME_COLUMN_MIN_PX, NAME_COLUMN_MAX_PX);
    let date_w = text_width("30 Sep 2027", FONT) + 14.0;
    let wbs_x = PAD;
    let name_x = wbs_x + wbs_w;
    let start_x = name_x + name_w;
    let finish_x = start_x + date_w;
    Columns {
        wbs_x,
        name_x,
        name_w,
        start_x,
        finish_x,
        end: finish_x + date_w,
    }
}

fn bar_geometry(
    project: &Project,
    scale: &Scale,
    row: &Row,
    resources: &[Vec<String>],
    interactive: bool,
) -> Bar {
    // Interactive labels keep clear of the link connector right of the bar.
    let label_gap = LABEL_GAP
        + if interactive {
            interactive::LABEL_SHIFT
        } else {
            0.0
        };
    let task = &project.tasks[row.task];
    let name = one_line(&task.name);
    let x0 = scale.x(row.start);
    if row.milestone {
        let date = short_date(row.start);
        let label_x = x0 + MILESTONE_HALF + label_gap;
        let (name, _) = truncate_to_width(&name, LABEL_MAX_PX, FONT, false);
        let text = format!("{date} {name}");
        return Bar {
            x0,
            x1: x0,
            label_x,
            label_end: label_x + text_width(&text, FONT) + 4.0,
            label: date,
            label_extra: name,
        };
    }
    if row.summary {
        let x1 = scale.x(row.finish).max(x0 + 2.0 * SUMMARY_CAP);
        return Bar {
            x0,
            x1,
            label_x: x1,
            label_end: x1,
            label: String::new(),
            label_extra: String::new(),
        };
    }
    let x1 = scale.x(row.finish).max(x0 + 3.0);
    let label_x = x1 + label_gap;
    let (label, _) = truncate_to_width(&name, LABEL_MAX_PX, FONT, false);
    let (label_extra, _) = truncate_to_width(
        &one_line(&resources[row.task].join(", ")),
        LABEL_MAX_PX,
        FONT,
        false,
    );
    let text = format!("{label}  {label_extra}");
    Bar {
        x0,
        x1,
        label_x,
        label_end: label_x + text_width(&text, FONT) + 4.0,
        label,
        label_extra,
    }
}

/// Non-working days to shade, as `[from, to)` spans of whole days inside `range_start..range_end`
/// (both midnights). At day and week zoom every non-working day is shaded (weekends, holidays);
/// at month and quarter zoom one column per weekend would be noise, so only breaks of two or more
/// days that are normally worked (a Christmas closure, an Easter weekend) are.
fn nonworking_spans(
    project: &Project,
    zoom: Zoom,
    range_start: Minute,
    range_end: Minute,
) -> Vec<(Minute, Minute)> {
    let day = time::MINUTES_PER_DAY;
    let Some(index) = project_calendar_index(project, range_start, range_end) else {
        return Vec::new();
    };
    let days = ((range_end - range_start) / day).max(0) as usize;
    let mut working = vec![false; days];
    let mut any_work = false;
    for (from, to) in index.working_intervals(range_start, range_end) {
        let (from, to) = (from.max(range_start), to.min(range_end));
        if from >= to {
            continue;
        }
        any_work = true;
        let first = ((from - range_start) / day) as usize;
        let last = (((to - 1 - range_start) / day) as usize).min(days.saturating_sub(1));
        for flag in &mut working[first..=last] {
            *flag = true;
        }
    }
    // A calendar without any working time over the whole chart says nothing by shading all of it.
    if !any_work {
        return Vec::new();
    }

    // A weekday off in most weeks is part of the week pattern (a weekend); other days off are
    // holidays.
    let first_weekday = time::datetime_of(range_start)
        .date()
        .weekday()
        .to_monday_zero_offset() as usize;
    let mut off = [0u32; 7];
    let mut seen = [0u32; 7];
    for (offset, &worked) in working.iter().enumerate() {
        let weekday = (first_weekday + offset) % 7;
        seen[weekday] += 1;
        if !worked {
            off[weekday] += 1;
        }
    }
    let is_holiday = |offset: usize| {
        let weekday = (first_weekday + offset) % 7;
        off[weekday] * 2 <= seen[weekday]
    };

    let mut spans = Vec::new();
    let mut offset = 0;
    while offset < days {
        if working[offset] {
            offset += 1;
            continue;
        }
        let start = offset;
        while offset < days && !working[offset] {
            offset += 1;
        }
        let holidays = (start..offset).filter(|&d| is_holiday(d)).count();
        if zoom.shades_every_day() || holidays >= 2 {
            spans.push((
                range_start + start as i64 * day,
                range_start + offset as i64 * day,
            ));
        }
    }
    spans
}

/// Vertical lines at every boundary of `unit` inside the chart, as one path.
fn draw_grid(
    out: &mut String,
    scale: &Scale,
    unit: Unit,
    range_start: Minute,
    range_end: Minute,
    top: f64,
    bottom: f64,
    class: &str,
) {
    let mut path = String::new();
    for (from, _, _) in unit.cells(range_start, range_end) {
        if from > range_start {
            w!(path, "M{} {}V{}", Px(scale.x(from)), Px(top), Px(bottom));
        }
    }
    if !path.is_empty() {
        w!(out, "<path class=\"{class}\" d=\"{path}\"/>\n");
    }
}

/// The two header rows over the time axis. At the bottom of the chart (`mirrored`) the lower
/// unit's row comes first, next to the rows it labels.
fn draw_time_header(
    out: &mut String,
    scale: &Scale,
    zoom: Zoom,
    range_start: Minute,
    range_end: Minute,
    width: f64,
    top: f64,
    mirrored: bool,
) {
    let (major, minor) = zoom.units();
    let (major_top, minor_top) = if mirrored {
        (top + SCALE_ROW_H, top)
    } else {
        (top, top + SCALE_ROW_H)
    };
    w!(
        out,
        "<rect class=\"hdr\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
        Px(top),
        Px(width),
        Px(2.0 * SCALE_ROW_H)
    );
    let x_end = scale.x(range_end);
    let mut lines = String::new();
    w!(
        lines,
        "M{} {y}H{}M0 {}H{}M0 {}H{}",
        Px(scale.x0),
        Px(x_end),
        Px(top),
        Px(width),
        Px(top + 2.0 * SCALE_ROW_H),
        Px(width),
        y = Px(top + SCALE_ROW_H)
    );
    let mut labels = String::new();
    for (unit, row_top, upper) in [(major, major_top, true), (minor, minor_top, false)] {
        for (from, to, date) in unit.cells(range_start, range_end) {
            let (x0, x1) = (scale.x(from), scale.x(to));
            if from > range_start {
                w!(
                    lines,
                    "M{} {}V{}",
                    Px(x0),
                    Px(row_top),
                    Px(row_top + SCALE_ROW_H)
                );
            }
            let room = x1 - x0 - 6.0;
            if let Some(label) = unit
                .labels(date, upper)
                .into_iter()
                .find(|label| text_width(label, HEADER_FONT) <= room)
            {
                w!(
                    labels,
                    "<text class=\"sc c\" x=\"{}\" y=\"{}\">{}</text>",
                    Px((x0 + x1) / 2.0),
                    Px(row_top + 15.0),
                    Esc(&label)
                );
            }
        }
    }
    w!(out, "<path class=\"gm\" d=\"{lines}\"/>\n{labels}\n");
}

fn draw_table_header(out: &mut String, columns: &Columns, scale_top: f64) {
    let y = Px(scale_top + SCALE_ROW_H + 4.0);
    for (x, heading) in [
        (columns.wbs_x, "WBS"),
        (columns.name_x, "Task"),
        (columns.start_x, "Start"),
        (columns.finish_x, "Finish"),
    ] {
        w!(
            out,
            "<text class=\"th\" x=\"{}\" y=\"{y}\">{heading}</text>",
            Px(x)
        );
    }
    out.push('\n');
}

fn legend_items(shading: bool, today: bool) -> Vec<(&'static str, &'static str)> {
    let mut items = vec![
        ("crit", "Critical task"),
        ("task", "Task"),
        ("summary", "Summary"),
        ("milestone", "Milestone"),
        ("link", "Dependency"),
    ];
    if shading {
        items.push(("nonwork", "Non-working time"));
    }
    if today {
        items.push(("today", "Status date"));
    }
    items
}

fn draw_legend(out: &mut String, items: &[(&str, &str)], x: f64, baseline: f64) {
    let mid = baseline - 4.0;
    let mut x = x;
    for &(kind, text) in items {
        match kind {
            "crit" | "task" => w!(
                out,
                "<rect class=\"bar{}\" x=\"{}\" y=\"{}\" width=\"20\" height=\"10\" rx=\"2\"/>",
                if kind == "crit" { " crit" } else { "" },
                Px(x),
                Px(mid - 5.0)
            ),
            "summary" => w!(
                out,
                "<path class=\"sb\" d=\"{}\"/>",
                summary_path(x, x + 20.0, mid - 5.0)
            ),
            "milestone" => w!(
                out,
                "<path class=\"ms\" d=\"{}\"/>",
                diamond_path(x + 10.0, mid, 6.0)
            ),
            "link" => w!(
                out,
                "<path class=\"ln\" d=\"M{} {}H{}\"/>",
                Px(x),
                Px(mid),
                Px(x + 20.0)
            ),
            "nonwork" => w!(
                out,
                "<rect class=\"nw\" x=\"{}\" y=\"{}\" width=\"20\" height=\"14\"/>",
                Px(x),
                Px(mid - 7.0)
            ),
            _ => w!(
                out,
                "<path class=\"td\" d=\"M{} {}V{}\"/>",
                Px(x + 10.0),
                Px(mid - 8.0),
                Px(mid + 8.0)
            ),
        }
        w!(
            out,
            "<text class=\"sub\" x=\"{}\" y=\"{}\">{}</text>",
            Px(x + 26.0),
            Px(baseline),
            text
        );
        x += 26.0 + text_width(text, FONT) + 14.0;
    }
    out.push('\n');
}

fn draw_table(
    out: &mut String,
    project: &Project,
    schedule: &Schedule,
    rows: &[Row],
    numbers: &[String],
    columns: &Columns,
    rows_top: f64,
    interactive: bool,
) {
    let baseline = |index: usize| Px(rows_top + index as f64 * ROW_H + 15.0);
    let toggle_w = if interactive {
        interactive::TOGGLE_W
    } else {
        0.0
    };
    out.push_str("<g class=\"wbs\">");
    for (index, row) in rows.iter().enumerate() {
        w!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            Px(columns.wbs_x),
            baseline(index),
            Esc(&numbers[row.task])
        );
    }
    out.push_str("</g>\n<g clip-path=\"url(#name-col)\">");
    for (index, row) in rows.iter().enumerate() {
        let task = &project.tasks[row.task];
        let name = one_line(&task.name);
        let indent = row.depth as f64 * INDENT;
        if interactive && row.summary {
            interactive::toggle(
                out,
                &task.uid,
                &name,
                row.collapsed,
                Px(columns.name_x + indent),
                baseline(index),
            );
        }
        let room = (columns.name_w - 10.0 - indent - toggle_w).max(24.0);
        let (shown, cut) = truncate_to_width(&name, room, FONT, row.summary);
        w!(
            out,
            "<text{} x=\"{}\" y=\"{}\">{}",
            if row.summary { " class=\"sum\"" } else { "" },
            Px(columns.name_x + indent + toggle_w),
            baseline(index),
            Esc(&shown)
        );
        if cut {
            w!(out, "<title>{}</title>", Esc(&name));
        }
        out.push_str("</text>");
    }
    out.push_str("</g>\n<g class=\"dt\">");
    for (index, row) in rows.iter().enumerate() {
        let sched = &schedule.tasks[row.task];
        w!(
            out,
            "<text x=\"{}\" y=\"{y}\">{}</text><text x=\"{}\" y=\"{y}\">{}</text>",
            Px(columns.start_x),
            short_date(sched.start),
            Px(columns.finish_x),
            short_date(finish_day_minute(sched.start, sched.finish)),
            y = baseline(index)
        );
    }
    out.push_str("</g>\n");
}

/// Dependency lines: orthogonal paths from the predecessor's side the link names (finish for FS
/// and FF, start for SS and SF) to the successor's, ending in an arrowhead; red when both tasks
/// are critical. Links to a task not drawn are left out.
fn draw_links(
    out: &mut String,
    project: &Project,
    rows: &[Row],
    bars: &[Bar],
    rows_top: f64,
    interactive: bool,
) {
    let mut row_of = vec![None; project.tasks.len()];
    for (index, row) in rows.iter().enumerate() {
        row_of[row.task] = Some(index);
    }
    for link in &project.links {
        let (Some(Some(pred)), Some(Some(succ))) =
            (row_of.get(link.pred.index()), row_of.get(link.succ.index()))
        else {
            continue;
        };
        let (pred, succ) = (*pred, *succ);
        if pred == succ {
            continue;
        }
        // +1: the finish side, left by going right / entered moving left; -1: the start side.
        let (from_side, to_side) = match link.kind {
            LinkKind::FinishToStart => (1.0, -1.0),
            LinkKind::StartToStart => (-1.0, -1.0),
            LinkKind::FinishToFinish => (1.0, 1.0),
            LinkKind::StartToFinish => (-1.0, 1.0),
        };
        let anchor = |row: usize, side: f64| {
            let bar = &bars[row];
            let x = if side > 0.0 { bar.x1 } else { bar.x0 };
            let x = if rows[row].milestone {
                x + side * MILESTONE_HALF
            } else {
                x
            };
            (x, rows_top + row as f64 * ROW_H + ROW_H / 2.0)
        };
        let from = anchor(pred, from_side);
        let to = anchor(succ, to_side);
        // The horizontal run between rows, when one is needed, follows the edge of the
        // successor's row that faces the predecessor.
        let succ_top = rows_top + succ as f64 * ROW_H;
        let between = if succ > pred {
            succ_top
        } else {
            succ_top + ROW_H
        };
        let path = link_path(from, from_side, to, -to_side, between);
        let critical = rows[pred].critical && rows[succ].critical;
        let (pred_task, succ_task) = (
            &project.tasks[rows[pred].task],
            &project.tasks[rows[succ].task],
        );
        w!(
            out,
            "<path class=\"ln{}\" d=\"{path}\"",
            if critical { " crit" } else { "" }
        );
        if interactive {
            w!(
                out,
                " data-pred=\"{}\" data-succ=\"{}\" data-type=\"{}\"",
                Esc(&pred_task.uid),
                Esc(&succ_task.uid),
                link.kind.code()
            );
        }
        w!(
            out,
            "><title>{} {} {}</title></path>\n",
            Esc(&one_line(&pred_task.name)),
            link.kind.code(),
            Esc(&one_line(&succ_task.name)),
        );
    }
}

/// An orthogonal path from `from`, leaving in direction `exit` (±1 along x), to `to`, arriving
/// while moving in direction `arrive`. `between` is a y where a horizontal run can pass between
/// the two rows when the line has to double back.
fn link_path(from: (f64, f64), exit: f64, to: (f64, f64), arrive: f64, between: f64) -> String {
    let (xa, ya) = from;
    let (xb, yb) = to;
    let out_x = xa + exit * LINK_GAP;
    let in_x = xb - arrive * LINK_GAP;
    let mut path = String::new();
    if exit == arrive {
        // FS (or SF): one elbow if the successor's side lies ahead, else go round.
        if (xb - out_x) * exit >= LINK_GAP {
            w!(
                path,
                "M{} {}H{}V{}H{}",
                Px(xa),
                Px(ya),
                Px(out_x),
                Px(yb),
                Px(xb)
            );
        } else {
            w!(
                path,
                "M{} {}H{}V{}H{}V{}H{}",
                Px(xa),
                Px(ya),
                Px(out_x),
                Px(between),
                Px(in_x),
                Px(yb),
                Px(xb)
            );
        }
    } else {
        // SS goes round the left of both starts, FF round the right of both finishes.
        let turn = if exit < 0.0 {
            out_x.min(in_x)
        } else {
            out_x.max(in_x)
        };
        w!(
            path,
            "M{} {}H{}V{}H{}",
            Px(xa),
            Px(ya),
            Px(turn),
            Px(yb),
            Px(xb)
        );
    }
    path
}

fn summary_path(x0: f64, x1: f64, top: f64) -> String {
    let bottom = top + SUMMARY_H;
    let cap = top + SUMMARY_H + SUMMARY_CAP;
    format!(
        "M{x0} {top}H{x1}V{cap}L{xi1} {bottom}H{xi0}L{x0} {cap}Z",
        x0 = Px(x0),
        x1 = Px(x1),
        xi0 = Px(x0 + SUMMARY_CAP),
        xi1 = Px(x1 - SUMMARY_CAP),
        top = Px(top),
        bottom = Px(bottom),
        cap = Px(cap)
    )
}

fn diamond_path(cx: f64, cy: f64, half: f64) -> String {
    format!(
        "M{cx} {top}L{right} {cy}L{cx} {bottom}L{left} {cy}Z",
        cx = Px(cx),
        cy = Px(cy),
        top = Px(cy - half),
        bottom = Px(cy + half),
        left = Px(cx - half),
        right = Px(cx + half)
    )
}

fn draw_bars(
    out: &mut String,
    project: &Project,
    schedule: &Schedule,
    rows: &[Row],
    bars: &[Bar],
    numbers: &[String],
    resources: &[Vec<String>],
    scale: &Scale,
    rows_top: f64,
    per_day: u32,
    interactive_band: Option<(f64, f64)>,
) {
    for (index, (row, bar)) in rows.iter().zip(bars).enumerate() {
        let top = rows_top + index as f64 * ROW_H;
        let task = &project.tasks[row.task];
        let sched = &schedule.tasks[row.task];
        if let Some((x0, x1)) = interactive_band {
            interactive::open_row(out, &task.uid, x0, x1, top);
        }
        // Interactive: what the page's script reads on the shape, and leaves and milestones are
        // draggable.
        let mut data = String::new();
        if interactive_band.is_some() {
            interactive::task_attributes(
                &mut data,
                &task.uid,
                row.task,
                sched.start,
                finish_day_minute(sched.start, sched.finish),
            );
        }
        let drag = if interactive_band.is_some() && !row.summary {
            " drag"
        } else {
            ""
        };
        let tip = tooltip(
            &numbers[row.task],
            &one_line(&task.name),
            sched,
            row,
            &resources[row.task],
            per_day,
        );
        let crit = if row.critical { " crit" } else { "" };
        let id = row.task;
        if row.milestone {
            w!(
                out,
                "<path id=\"task-{id}\" class=\"ms{crit}{drag}\"{data} d=\"{}\"><title>{}</title></path>",
                diamond_path(bar.x0, top + ROW_H / 2.0, MILESTONE_HALF),
                Esc(&tip)
            );
        } else if row.summary {
            w!(
                out,
                "<path id=\"task-{id}\" class=\"sb\"{data} d=\"{}\"><title>{}</title></path>",
                summary_path(bar.x0, bar.x1, top + SUMMARY_TOP),
                Esc(&tip)
            );
        } else {
            w!(
                out,
                "<rect id=\"task-{id}\" class=\"bar{crit}{drag}\"{data} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\"><title>{}</title></rect>",
                Px(bar.x0),
                Px(top + BAR_TOP),
                Px(bar.x1 - bar.x0),
                Px(BAR_H),
                Esc(&tip)
            );
        }
        if let Some(deadline) = task.deadline {
            let deadline = time::minute_of(deadline);
            let x = scale.x(deadline);
            let missed = sched.finish > deadline;
            w!(
                out,
                "<path class=\"dl{}\" d=\"M{} {}H{}L{} {}Z\"><title>Deadline {}{}</title></path>",
                if missed { " miss" } else { "" },
                Px(x - 5.0),
                Px(top + 1.0),
                Px(x + 5.0),
                Px(x),
                Px(top + 7.0),
                Esc(&table_datetime(deadline)),
                if missed { " (missed)" } else { "" }
            );
        }
        let y = Px(top + 15.0);
        if row.milestone {
            w!(
                out,
                "<text class=\"lbl\" x=\"{}\" y=\"{y}\"><tspan class=\"msd\">{}</tspan> {}</text>",
                Px(bar.label_x),
                Esc(&bar.label),
                Esc(&bar.label_extra)
            );
        } else if !row.summary {
            w!(
                out,
                "<text class=\"lbl\" x=\"{}\" y=\"{y}\">{}",
                Px(bar.label_x),
                Esc(&bar.label)
            );
            if !bar.label_extra.is_empty() {
                // The space stays outside the tspan: renderers drop whitespace that starts one.
                w!(
                    out,
                    " <tspan class=\"res\" dx=\"3\">{}</tspan>",
                    Esc(&bar.label_extra)
                );
            }
            out.push_str("</text>");
        }
        if interactive_band.is_some() {
            if !row.summary && !row.milestone {
                interactive::resize_handle(out, &task.uid, bar.x0, bar.x1, top);
                interactive::connector(out, &task.uid, bar.x1, top);
            } else if row.milestone {
                interactive::connector(out, &task.uid, bar.x0 + MILESTONE_HALF, top);
            }
            out.push_str("</g>");
        }
        out.push('\n');
    }
}

fn tooltip(
    number: &str,
    name: &str,
    sched: &TaskSchedule,
    row: &Row,
    resources: &[String],
    per_day: u32,
) -> String {
    let mut tip = format!("{number} {name}\n");
    if row.milestone {
        w!(tip, "Milestone: {}\n", table_datetime(sched.start));
    } else {
        w!(
            tip,
            "Start: {}\nFinish: {}\n",
            table_datetime(sched.start),
            table_datetime(sched.finish)
        );
    }
    w!(
        tip,
        "Total float: {} · Free float: {}",
        format_days(sched.total_float, per_day),
        format_days(sched.free_float, per_day)
    );
    if sched.critical {
        tip.push_str("\nCritical");
    }
    if !resources.is_empty() {
        w!(tip, "\nResources: {}", resources.join(", "));
    }
    tip
}

fn draw_today_tag(
    out: &mut String,
    scale: &Scale,
    today: Minute,
    scale_top: f64,
    chart_x0: f64,
    chart_x1: f64,
) {
    let x = scale.x(today);
    let text = format!("Status date {}", short_date(today));
    let tag_w = text_width(&text, HEADER_FONT) * 1.08 + 12.0;
    let tag_x = (x - tag_w / 2.0).clamp(chart_x0, (chart_x1 - tag_w).max(chart_x0));
    let tag_top = scale_top - 22.0;
    w!(
        out,
        "<g><title>Status date {}</title><rect class=\"tdt\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" rx=\"3\"/><text class=\"tdl\" x=\"{}\" y=\"{}\">{}</text></g>\n",
        table_datetime(today),
        Px(tag_x),
        Px(tag_top),
        Px(tag_w),
        Px(tag_x + tag_w / 2.0),
        Px(tag_top + 13.0),
        Esc(&text),
    );
}
