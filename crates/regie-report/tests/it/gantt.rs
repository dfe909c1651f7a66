use jiff::civil::date;
use regie_core::{
    LinkKind, Minute, TaskId,
    calendar::{DateRule, Exception},
};
use regie_report::{GanttOptions, Zoom, gantt_svg};

use crate::xml::{Element, parse, path_points};
use crate::{Plan, at, website};

fn render(plan: &Plan, options: &GanttOptions) -> (String, Element) {
    let svg = gantt_svg(&plan.project, &plan.schedule(), options);
    let root = parse(&svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
    (svg, root)
}

fn bar(root: &Element, task: TaskId) -> &Element {
    root.by_id(&format!("task-{}", task.0))
}

/// (left, right, vertical centre) of a leaf bar.
fn rect_span(rect: &Element) -> (f64, f64, f64) {
    assert_eq!(rect.name, "rect");
    let x = rect.num("x");
    (
        x,
        x + rect.num("width"),
        rect.num("y") + rect.num("height") / 2.0,
    )
}

/// The chart's time scale, read back from two bars whose dates are known.
struct ReadScale {
    t0: Minute,
    x0: f64,
    px_per_minute: f64,
}

impl ReadScale {
    fn from(t0: Minute, x0: f64, t1: Minute, x1: f64) -> ReadScale {
        ReadScale {
            t0,
            x0,
            px_per_minute: (x1 - x0) / (t1 - t0) as f64,
        }
    }
    fn x(&self, t: Minute) -> f64 {
        self.x0 + (t - self.t0) as f64 * self.px_per_minute
    }
}

fn website_scale(root: &Element, ids: &[TaskId; 5]) -> ReadScale {
    let (wire_x, _, _) = rect_span(bar(root, ids[1]));
    let (_, build_end, _) = rect_span(bar(root, ids[3]));
    ReadScale::from(
        at(2027, 3, 1, 8, 0),
        wire_x,
        at(2027, 3, 19, 17, 0),
        build_end,
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.3
}

fn texts(root: &Element) -> Vec<String> {
    root.find_all("text", "").iter().map(|t| t.text()).collect()
}

/// Dependency lines (the legend's sample line has no tooltip).
fn links(root: &Element) -> Vec<(&Element, String)> {
    root.find_all("path", "ln")
        .into_iter()
        .filter_map(|p| p.tooltip().map(|t| (p, t)))
        .collect()
}

/// Non-working shading over the rows (the legend's sample sits in the title band).
fn shading(root: &Element) -> Vec<(f64, f64)> {
    root.find_all("rect", "nw")
        .into_iter()
        .filter(|r| r.num("y") > 60.0)
        .map(|r| (r.num("x"), r.num("x") + r.num("width")))
        .collect()
}

#[test]
fn the_chart_is_a_standalone_svg_with_tooltips() {
    let (plan, ids) = website();
    let (_, root) = render(&plan, &GanttOptions::default());
    assert_eq!(root.name, "svg");
    assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
    let (width, height) = (root.num("width"), root.num("height"));
    assert_eq!(
        root.attr("viewBox").unwrap(),
        format!("0 0 {width} {height}")
    );
    assert_eq!(root.find_all("style", "").len(), 1);
    assert!(
        root.find_all("title", "")[0]
            .text()
            .contains("Website relaunch")
    );
    assert!(texts(&root).contains(&"Website relaunch".to_owned()));
    let tip = bar(&root, ids[2]).tooltip().unwrap();
    assert!(tip.contains("1.2 Review"), "{tip}");
    assert!(tip.contains("Start: 2027-03-08 08:00"), "{tip}");
    assert!(tip.contains("Finish: 2027-03-09 17:00"), "{tip}");
    assert!(tip.contains("Total float: 8d"), "{tip}");
    // Everything drawn lies inside the canvas.
    for rect in root.find_all("rect", "") {
        if rect.attr("x").is_some() && rect.attr("width").is_some() {
            assert!(rect.num("x") >= 0.0 && rect.num("x") + rect.num("width") <= width + 0.05);
        }
    }
}

#[test]
fn the_left_table_lists_outline_numbers_names_and_dates() {
    let (plan, _) = website();
    let (_, root) = render(&plan, &GanttOptions::default());
    let all = texts(&root);
    for expected in [
        "1",
        "1.1",
        "1.2",
        "2",
        "3",
        "Design",
        "Wireframes",
        "1 Mar 2027",
        "9 Mar 2027",
    ] {
        assert!(
            all.iter().any(|t| t == expected),
            "missing {expected:?} in {all:?}"
        );
    }
    // Summaries are bold, children indented.
    let design = root
        .find_all("text", "")
        .into_iter()
        .find(|t| t.text() == "Design")
        .unwrap();
    let wireframes = root
        .find_all("text", "")
        .into_iter()
        .find(|t| t.text() == "Wireframes")
        .unwrap();
    assert!(design.has_class("sum"));
    assert!(!wireframes.has_class("sum"));
    assert!(wireframes.num("x") > design.num("x"));
}

#[test]
fn a_milestone_is_a_diamond_at_its_date_with_the_date_beside_it() {
    let (plan, ids) = website();
    let (_, root) = render(&plan, &GanttOptions::default());
    let scale = website_scale(&root, &ids);
    let diamond = bar(&root, ids[4]);
    assert_eq!(diamond.name, "path");
    assert!(diamond.has_class("ms"));
    let points = path_points(diamond.attr("d").unwrap());
    assert_eq!(points.len(), 4, "a diamond has four corners: {points:?}");
    let xs: Vec<f64> = points.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    let (min_x, max_x) = (
        xs.iter().cloned().fold(f64::MAX, f64::min),
        xs.iter().cloned().fold(f64::MIN, f64::max),
    );
    let centre = (min_x + max_x) / 2.0;
    assert!(
        close(centre, scale.x(at(2027, 3, 19, 17, 0))),
        "diamond at {centre}"
    );
    // Top and bottom corners on the centre line, left and right at mid-height.
    assert!(close(points[0].0, centre) && close(points[2].0, centre));
    assert!(close(points[1].1, points[3].1));
    let label = root
        .find_all("text", "lbl")
        .into_iter()
        .find(|t| t.text().contains("Go-live"))
        .unwrap();
    assert!(label.text().starts_with("19 Mar 2027"), "{}", label.text());
    assert!(label.num("x") > max_x);
    let mid_y = (ys.iter().cloned().fold(f64::MAX, f64::min)
        + ys.iter().cloned().fold(f64::MIN, f64::max))
        / 2.0;
    assert!(
        (label.num("y") - mid_y).abs() < 11.0,
        "label on the diamond's row"
    );
}

#[test]
fn critical_tasks_are_drawn_in_the_critical_colour() {
    let (plan, ids) = website();
    let (svg, root) = render(&plan, &GanttOptions::default());
    assert!(bar(&root, ids[1]).has_class("crit"));
    assert!(bar(&root, ids[3]).has_class("crit"));
    assert!(bar(&root, ids[4]).has_class("crit"));
    assert!(!bar(&root, ids[2]).has_class("crit"));
    assert!(bar(&root, ids[2]).has_class("bar"));
    assert!(svg.contains(".bar.crit{fill:#d9443a"));
    assert!(svg.contains(".bar{fill:#4a86c5"));
}

#[test]
fn a_finish_to_start_arrow_runs_from_the_predecessor_end_to_the_successor_start() {
    let (plan, ids) = website();
    let (svg, root) = render(&plan, &GanttOptions::default());
    let (_, wire_end, wire_y) = rect_span(bar(&root, ids[1]));
    let (build_start, _, build_y) = rect_span(bar(&root, ids[3]));
    let all = links(&root);
    assert_eq!(all.len(), 3);
    let (path, _) = all
        .iter()
        .find(|(_, tip)| tip == "Wireframes FS Build")
        .unwrap();
    let points = path_points(path.attr("d").unwrap());
    let (first, last) = (points[0], *points.last().unwrap());
    assert!(
        close(first.0, wire_end) && close(first.1, wire_y),
        "{points:?}"
    );
    assert!(
        close(last.0, build_start) && close(last.1, build_y),
        "{points:?}"
    );
    // Orthogonal: every segment is horizontal or vertical, and it arrives moving right.
    for pair in points.windows(2) {
        assert!(
            pair[0].0 == pair[1].0 || pair[0].1 == pair[1].1,
            "{points:?}"
        );
    }
    let before_last = points[points.len() - 2];
    assert!(before_last.1 == last.1 && before_last.0 < last.0);
    // An arrowhead, red between two critical tasks, grey otherwise.
    assert!(path.has_class("crit"));
    assert!(
        svg.contains("<marker id=\"arr\"")
            && svg.contains(".ln.crit{stroke:#d9443a;marker-end:url(#arr-crit)}")
    );
    let (to_review, _) = all
        .iter()
        .find(|(_, t)| t == "Wireframes FS Review")
        .unwrap();
    assert!(!to_review.has_class("crit"));
    // Into a milestone: the arrow stops at the diamond's left corner.
    let (to_live, _) = all.iter().find(|(_, t)| t == "Build FS Go-live").unwrap();
    let diamond = path_points(bar(&root, ids[4]).attr("d").unwrap());
    let left_corner = diamond[3];
    let end = *path_points(to_live.attr("d").unwrap()).last().unwrap();
    assert!(
        close(end.0, left_corner.0) && close(end.1, left_corner.1),
        "{end:?} vs {left_corner:?}"
    );
}

#[test]
fn each_link_type_joins_the_sides_it_names() {
    let mut plan = Plan::new("Links");
    let a = plan.task("A", None, at(2027, 3, 1, 8, 0), at(2027, 3, 3, 17, 0), 0);
    let b = plan.task("B", None, at(2027, 3, 2, 8, 0), at(2027, 3, 5, 17, 0), 0);
    let c = plan.task("C", None, at(2027, 3, 4, 8, 0), at(2027, 3, 10, 17, 0), 2);
    let d = plan.task("D", None, at(2027, 3, 1, 8, 0), at(2027, 3, 2, 17, 0), 2);
    let e = plan.task("E", None, at(2027, 3, 3, 8, 0), at(2027, 3, 5, 17, 0), 2);
    plan.link(a, b, LinkKind::StartToStart);
    plan.link(b, c, LinkKind::FinishToFinish);
    plan.link(c, d, LinkKind::StartToFinish);
    // A successor starting before its predecessor ends (a lead): the line goes round.
    plan.link(a, e, LinkKind::FinishToStart);
    let (_, root) = render(&plan, &GanttOptions::default());
    let span = |id| rect_span(bar(&root, id));
    let ends = |tip: &str| {
        let (path, _) = links(&root).into_iter().find(|(_, t)| t == tip).unwrap();
        let points = path_points(path.attr("d").unwrap());
        for pair in points.windows(2) {
            assert!(
                pair[0].0 == pair[1].0 || pair[0].1 == pair[1].1,
                "{tip}: {points:?}"
            );
        }
        (points[0], *points.last().unwrap(), points[points.len() - 2])
    };
    let (from, to, before) = ends("A SS B");
    assert!(close(from.0, span(a).0) && close(to.0, span(b).0) && close(to.1, span(b).2));
    assert!(before.0 < to.0, "SS arrives from the left");
    let (from, to, before) = ends("B FF C");
    assert!(close(from.0, span(b).1) && close(to.0, span(c).1));
    assert!(before.0 > to.0, "FF arrives from the right");
    let (from, to, _) = ends("C SF D");
    assert!(close(from.0, span(c).0) && close(from.1, span(c).2));
    assert!(close(to.0, span(d).1) && close(to.1, span(d).2));
    let (from, to, before) = ends("A FS E");
    assert!(close(from.0, span(a).1) && close(to.0, span(e).0) && before.0 < to.0);
}

#[test]
fn summary_bars_span_their_children() {
    let (mut plan, ids) = website();
    // Even when the schedule's summary dates are narrower than its children (bad input), the
    // bracket covers every child.
    plan.entries[ids[0].index()].finish = plan.entries[ids[1].index()].finish;
    let (_, root) = render(&plan, &GanttOptions::default());
    let summary = bar(&root, ids[0]);
    assert!(summary.has_class("sb"));
    let points = path_points(summary.attr("d").unwrap());
    let min_x = points.iter().map(|p| p.0).fold(f64::MAX, f64::min);
    let max_x = points.iter().map(|p| p.0).fold(f64::MIN, f64::max);
    let (wire_start, _, _) = rect_span(bar(&root, ids[1]));
    let (_, review_end, _) = rect_span(bar(&root, ids[2]));
    assert!(close(min_x, wire_start), "{min_x} vs {wire_start}");
    assert!(close(max_x, review_end), "{max_x} vs {review_end}");
    // End caps: the outline reaches lower at both ends than in the middle.
    let bottom = points.iter().map(|p| p.1).fold(f64::MIN, f64::max);
    assert!(
        points
            .iter()
            .any(|p| close(p.0, min_x) && close(p.1, bottom))
    );
    assert!(
        points
            .iter()
            .any(|p| close(p.0, max_x) && close(p.1, bottom))
    );
}

#[test]
fn names_with_markup_characters_are_escaped() {
    let (mut plan, ids) = website();
    let tricky = "R&D <draft> \"final\" & 'signed'";
    plan.project.tasks[ids[2].index()].name = tricky.to_owned();
    plan.project.resources[0].name = "Ana <QA> & 'Ops'".to_owned();
    let options = GanttOptions {
        title: Some("Q&A <plan>".to_owned()),
        ..Default::default()
    };
    let (svg, root) = render(&plan, &options);
    assert!(!svg.contains("<draft>") && !svg.contains("<plan>") && !svg.contains("<QA>"));
    let all = texts(&root);
    assert!(all.iter().any(|t| t == tricky), "{all:?}");
    assert!(all.iter().any(|t| t == "Q&A <plan>"));
    assert!(all.iter().any(|t| t.contains("Ana <QA> & 'Ops'")));
    assert!(bar(&root, ids[2]).tooltip().unwrap().contains(tricky));
    // A control character cannot break the document either.
    plan.project.tasks[ids[3].index()].name = "Build\u{1b}[0m\u{0}".to_owned();
    render(&plan, &options);
}

#[test]
fn bars_are_labelled_with_name_and_resources() {
    let (plan, _) = website();
    let (_, root) = render(&plan, &GanttOptions::default());
    let labels: Vec<String> = root
        .find_all("text", "lbl")
        .iter()
        .map(|t| t.text())
        .collect();
    assert!(
        labels.contains(&"Build Bob, Chen [50%]".to_owned()),
        "{labels:?}"
    );
    assert!(labels.contains(&"Review".to_owned()), "{labels:?}");
}

#[test]
fn the_status_date_is_a_dashed_line_with_a_dated_tag() {
    let (plan, ids) = website();
    let today = at(2027, 3, 10, 12, 0);
    let options = GanttOptions {
        today: Some(today),
        ..Default::default()
    };
    let (svg, root) = render(&plan, &options);
    let scale = website_scale(&root, &ids);
    let lines: Vec<_> = root
        .find_all("path", "td")
        .into_iter()
        .map(|p| path_points(p.attr("d").unwrap()))
        .filter(|points| points[1].1 - points[0].1 > 100.0)
        .collect();
    assert_eq!(lines.len(), 1);
    assert!(close(lines[0][0].0, scale.x(today)));
    assert!(close(lines[0][0].0, lines[0][1].0), "vertical");
    assert!(svg.contains(".td{stroke:#e07000;stroke-width:1.5;stroke-dasharray:6 4"));
    assert!(texts(&root).contains(&"Status date 10 Mar 2027".to_owned()));
    // Without the option there is no line.
    let (_, root) = render(&plan, &GanttOptions::default());
    assert!(root.find_all("path", "td").is_empty());
}

/// A plan of one task lasting `days` calendar days, rendered with `zoom`.
fn header_texts(days: i64, zoom: Option<Zoom>) -> Vec<String> {
    let mut plan = Plan::new("Span");
    let start = at(2027, 3, 1, 8, 0);
    plan.task("Long task", None, start, start + days * 1440, 0);
    let (_, root) = render(
        &plan,
        &GanttOptions {
            zoom,
            ..Default::default()
        },
    );
    root.find_all("text", "sc")
        .iter()
        .map(|t| t.text())
        .collect()
}

#[test]
fn the_time_header_adapts_to_the_plan_length() {
    // Three weeks: weeks over days.
    let three_weeks = header_texts(20, None);
    assert!(
        three_weeks.contains(&"Week 9 · 1 Mar 2027".to_owned()),
        "{three_weeks:?}"
    );
    assert!(
        three_weeks.iter().any(|t| t.ends_with(" 15") || t == "15"),
        "{three_weeks:?}"
    );
    // Six months: months over weeks.
    let six_months = header_texts(182, None);
    assert!(
        six_months.contains(&"May 2027".to_owned()),
        "{six_months:?}"
    );
    assert!(
        six_months.iter().any(|t| t == "3 May" || t == "3"),
        "{six_months:?}"
    );
    // Three years: quarters over months.
    let three_years = header_texts(3 * 365, None);
    assert!(
        three_years.contains(&"Q3 2028".to_owned()),
        "{three_years:?}"
    );
    assert!(three_years.contains(&"Nov".to_owned()), "{three_years:?}");
    // Ten years: years over quarters.
    let ten_years = header_texts(10 * 365, None);
    assert!(ten_years.contains(&"2031".to_owned()), "{ten_years:?}");
    assert!(ten_years.contains(&"Q3".to_owned()), "{ten_years:?}");
    // The zoom can be forced.
    let forced = header_texts(20, Some(Zoom::Month));
    assert!(forced.contains(&"Mar".to_owned()), "{forced:?}");
}

#[test]
fn weekends_and_holidays_are_shaded_at_day_zoom() {
    let (mut plan, ids) = website();
    plan.project.calendars[0].exceptions.push(Exception {
        name: "Plant closed".to_owned(),
        dates: DateRule::Range {
            from: date(2027, 3, 12),
            to: date(2027, 3, 12),
        },
        shifts: Vec::new(),
    });
    let (_, root) = render(&plan, &GanttOptions::default());
    let scale = website_scale(&root, &ids);
    let spans = shading(&root);
    let has = |from: Minute, to: Minute| {
        spans
            .iter()
            .any(|&(a, b)| close(a, scale.x(from)) && close(b, scale.x(to)))
    };
    assert!(
        has(at(2027, 3, 6, 0, 0), at(2027, 3, 8, 0, 0)),
        "weekend: {spans:?}"
    );
    assert!(
        has(at(2027, 3, 12, 0, 0), at(2027, 3, 15, 0, 0)),
        "holiday + weekend: {spans:?}"
    );
    // One column per break over all rows, never one per row or per day.
    assert!(spans.len() <= 5, "{spans:?}");
    let columns: Vec<_> = root
        .find_all("rect", "nw")
        .into_iter()
        .filter(|r| r.num("y") > 60.0)
        .collect();
    assert!(columns.iter().all(|r| r.num("height") >= 5.0 * 22.0));
}

#[test]
fn month_zoom_shades_only_breaks_of_several_working_days() {
    let mut plan = Plan::new("Two years");
    let start = at(2027, 3, 1, 8, 0);
    let long = plan.task("Programme", None, start, at(2029, 2, 23, 17, 0), 0);
    let calendar = &mut plan.project.calendars[0];
    calendar.exceptions.push(Exception {
        name: "Winter closure".to_owned(),
        dates: DateRule::Range {
            from: date(2027, 12, 24),
            to: date(2028, 1, 2),
        },
        shifts: Vec::new(),
    });
    calendar.exceptions.push(Exception {
        name: "Bank holiday".to_owned(),
        dates: DateRule::Range {
            from: date(2027, 5, 3),
            to: date(2027, 5, 3),
        },
        shifts: Vec::new(),
    });
    let (_, root) = render(&plan, &GanttOptions::default());
    let (x0, x1, _) = rect_span(bar(&root, long));
    let scale = ReadScale::from(start, x0, at(2029, 2, 23, 17, 0), x1);
    let spans = shading(&root);
    assert_eq!(spans.len(), 1, "only the winter closure: {spans:?}");
    assert!(
        close(spans[0].0, scale.x(at(2027, 12, 24, 0, 0))),
        "{spans:?}"
    );
    assert!(
        close(spans[0].1, scale.x(at(2028, 1, 3, 0, 0))),
        "{spans:?}"
    );
}

#[test]
fn critical_only_keeps_critical_tasks_and_their_summaries() {
    let (mut plan, ids) = website();
    plan.entries[ids[0].index()].critical = false;
    let options = GanttOptions {
        critical_only: true,
        ..Default::default()
    };
    let (_, root) = render(&plan, &options);
    let has = |id: TaskId| {
        root.descendants()
            .iter()
            .any(|e| e.attr("id") == Some(&format!("task-{}", id.0)))
    };
    assert!(has(ids[0]), "the summary of a critical task stays");
    assert!(has(ids[1]) && has(ids[3]) && has(ids[4]));
    assert!(!has(ids[2]), "non-critical task left out");
    let tips: Vec<String> = links(&root).into_iter().map(|(_, t)| t).collect();
    assert_eq!(tips, ["Wireframes FS Build", "Build FS Go-live"]);
    assert!(
        texts(&root)
            .iter()
            .any(|t| t.contains("critical tasks only"))
    );
}

/// 60 phases of one summary and nine tasks each, chained.
fn big_plan() -> Plan {
    let mut plan = Plan::new("Programme of 600 tasks");
    let mut start = at(2027, 1, 4, 8, 0);
    let mut previous = None;
    for phase in 0..60 {
        let summary = plan.task(&format!("Phase {phase}"), None, start, start, 0);
        let phase_start = start;
        for task in 0..9 {
            let finish = start + 2 * 1440 + 9 * 60;
            let id = plan.task(
                &format!("Task {phase}.{task} with a realistic, fairly long name"),
                Some(summary),
                start,
                finish,
                (task % 3) as i64,
            );
            plan.assign(id, if task % 2 == 0 { "Ana" } else { "Bob" }, 100);
            if let Some(previous) = previous {
                plan.link(previous, id, LinkKind::FinishToStart);
            }
            previous = Some(id);
            start = finish + 15 * 60;
        }
        plan.entries[summary.index()].finish = start;
        plan.entries[summary.index()].start = phase_start;
    }
    plan
}

#[test]
fn six_hundred_tasks_make_one_tall_chart_of_reasonable_size() {
    let plan = big_plan();
    assert_eq!(plan.project.tasks.len(), 600);
    let (svg, root) = render(
        &plan,
        &GanttOptions {
            today: Some(at(2027, 6, 1, 0, 0)),
            ..Default::default()
        },
    );
    assert!(svg.len() < 2_000_000, "{} bytes", svg.len());
    let mut bar_tops: Vec<f64> = (0..600)
        .map(|i| {
            let element = root.by_id(&format!("task-{i}"));
            match element.name.as_str() {
                "rect" => element.num("y"),
                _ => path_points(element.attr("d").unwrap())
                    .iter()
                    .map(|p| p.1)
                    .fold(f64::MAX, f64::min),
            }
        })
        .collect();
    let in_order = bar_tops.windows(2).all(|w| w[1] - w[0] >= 18.0);
    assert!(in_order, "rows are stacked top to bottom without overlap");
    bar_tops.dedup();
    assert_eq!(bar_tops.len(), 600);
    // The table has one name per row, each at its own height, and the text is full size.
    let mut name_ys: Vec<f64> = root
        .find_all("text", "")
        .iter()
        .filter(|t| t.text().starts_with("Task ") || t.text().starts_with("Phase "))
        .filter(|t| !t.has_class("lbl"))
        .map(|t| t.num("y"))
        .collect();
    name_ys.dedup();
    assert_eq!(name_ys.len(), 600);
    assert!(root.num("height") >= 600.0 * 20.0);
    assert!(!svg.contains("font-size:9px") && !svg.contains("font-size:10px"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let plan = big_plan();
    let options = GanttOptions::default();
    assert_eq!(
        gantt_svg(&plan.project, &plan.schedule(), &options),
        gantt_svg(&plan.project, &plan.schedule(), &options)
    );
}

#[test]
fn an_empty_plan_still_renders() {
    let plan = Plan::new("Nothing yet");
    let mut schedule = plan.schedule();
    schedule.start = at(2027, 3, 1, 8, 0);
    schedule.finish = schedule.start;
    let svg = gantt_svg(&plan.project, &schedule, &GanttOptions::default());
    let root = parse(&svg).unwrap();
    assert!(texts(&root).iter().any(|t| t.contains("no tasks")));
}
