//! The interactive Gantt (`GanttOptions::interactive`) as the web page's script sees it: the
//! attributes that turn pixels into dates, the task shapes and handles it finds by uid, the
//! dependency ends, and collapsed summaries.

use std::collections::{BTreeSet, HashSet};
use std::time::Instant;

use jiff::civil::Date;
use regie_core::{LinkKind, Minute, TaskId, generate, time};
use regie_report::{GanttOptions, Zoom, gantt_svg};

use crate::xml::{Element, parse, path_points};
use crate::{Plan, at, website};

fn interactive() -> GanttOptions {
    GanttOptions {
        interactive: true,
        ..Default::default()
    }
}

fn collapsed(uids: &[&str]) -> GanttOptions {
    GanttOptions {
        collapsed: uids.iter().map(|u| u.to_string()).collect(),
        ..interactive()
    }
}

fn render(plan: &Plan, options: &GanttOptions) -> (String, Element) {
    let svg = gantt_svg(&plan.project, &plan.schedule(), options);
    let root = parse(&svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
    (svg, root)
}

/// The task shapes the page's script finds: elements with `data-uid` and `data-id`.
fn shapes(root: &Element) -> Vec<&Element> {
    root.descendants()
        .into_iter()
        .filter(|e| e.attr("data-uid").is_some() && e.attr("data-id").is_some())
        .collect()
}

fn shape<'a>(root: &'a Element, uid: &str) -> &'a Element {
    shapes(root)
        .into_iter()
        .find(|e| e.attr("data-uid") == Some(uid))
        .unwrap_or_else(|| panic!("no shape for {uid}"))
}

fn with_class<'a>(root: &'a Element, class: &str) -> Vec<&'a Element> {
    root.descendants()
        .into_iter()
        .filter(|e| e.has_class(class))
        .collect()
}

/// Dependency lines as (pred, succ, type).
fn link_ends(root: &Element) -> Vec<(String, String, String)> {
    root.find_all("path", "ln")
        .into_iter()
        .filter_map(|p| {
            Some((
                p.attr("data-pred")?.to_owned(),
                p.attr("data-succ")?.to_owned(),
                p.attr("data-type")?.to_owned(),
            ))
        })
        .collect()
}

fn uids(elements: &[&Element]) -> Vec<String> {
    elements
        .iter()
        .map(|e| e.attr("data-uid").unwrap().to_owned())
        .collect()
}

/// What the page computes: the x of an instant from the root's attributes.
struct PageScale {
    day_px: f64,
    origin: Minute,
    x0: f64,
}

impl PageScale {
    fn read(root: &Element) -> PageScale {
        let origin: Date = root.attr("data-origin").unwrap().parse().unwrap();
        PageScale {
            day_px: root.num("data-day-px"),
            origin: time::date_midnight(origin),
            x0: root.num("data-x0"),
        }
    }

    fn x(&self, minute: Minute) -> f64 {
        self.x0 + (minute - self.origin) as f64 / 1440.0 * self.day_px
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.15
}

/// The website plan with a uid that needs escaping and a task that ends at midnight (its last
/// working minute is on the day before).
fn website_plan() -> (Plan, [TaskId; 5]) {
    let (mut plan, ids) = website();
    plan.project.tasks[ids[3].index()].uid = "build<&\"x\">".to_owned();
    plan.entries[ids[2].index()].finish = at(2027, 3, 10, 0, 0);
    (plan, ids)
}

#[test]
fn each_visible_task_has_one_shape_with_its_uid_id_and_dates() {
    let (plan, _) = website_plan();
    let (_, root) = render(&plan, &interactive());
    let all = shapes(&root);
    assert_eq!(
        uids(&all),
        ["t0", "t1", "t2", "build<&\"x\">", "t4"],
        "one shape per task, in outline order, uids unescaped back"
    );
    let leaves = with_class(&root, "bar")
        .into_iter()
        .filter(|e| e.attr("data-uid").is_some())
        .collect::<Vec<_>>();
    assert_eq!(uids(&leaves), ["t1", "t2", "build<&\"x\">"]);
    let row = |uid: &str| {
        let e = shape(&root, uid);
        (
            e.name.as_str(),
            e.attr("data-id").unwrap(),
            e.attr("data-start").unwrap(),
            e.attr("data-finish").unwrap(),
        )
    };
    assert_eq!(row("t0"), ("path", "1", "2027-03-01", "2027-03-09"));
    assert_eq!(row("t1"), ("rect", "2", "2027-03-01", "2027-03-05"));
    assert_eq!(
        row("t2"),
        ("rect", "3", "2027-03-08", "2027-03-09"),
        "a finish at midnight is the day before"
    );
    assert_eq!(
        row("build<&\"x\">"),
        ("rect", "4", "2027-03-08", "2027-03-19")
    );
    assert_eq!(row("t4"), ("path", "5", "2027-03-19", "2027-03-19"));
    // Leaves and milestones are draggable, summaries are told apart and are not.
    assert!(shape(&root, "t1").has_class("bar") && shape(&root, "t1").has_class("drag"));
    assert!(shape(&root, "t4").has_class("ms") && shape(&root, "t4").has_class("drag"));
    assert!(shape(&root, "t0").has_class("sb") && !shape(&root, "t0").has_class("drag"));
}

#[test]
fn the_root_attributes_turn_pixels_into_dates() {
    let (plan, _) = website_plan();
    let (svg, root) = render(&plan, &interactive());
    assert_eq!(root.attr("data-zoom"), Some("day"));
    let scale = PageScale::read(&root);
    // Every leaf bar starts and ends where the page would place its scheduled instants.
    for (uid, start, finish) in [
        ("t1", at(2027, 3, 1, 8, 0), at(2027, 3, 5, 17, 0)),
        ("t2", at(2027, 3, 8, 8, 0), at(2027, 3, 10, 0, 0)),
    ] {
        let bar = shape(&root, uid);
        let (x, width) = (bar.num("x"), bar.num("width"));
        assert!(close(x, scale.x(start)), "{uid}: {x} vs {}", scale.x(start));
        assert!(close(x + width, scale.x(finish)), "{uid}");
    }
    // A day is data-day-px wide: a day later is exactly that much further right.
    assert!(close(
        scale.x(at(2027, 3, 2, 8, 0)) - scale.x(at(2027, 3, 1, 8, 0)),
        scale.day_px
    ));
    // Rows: the n-th visible row's hit area starts at rows-top + n * row-h.
    let (top, row_h) = (root.num("data-rows-top"), root.num("data-row-h"));
    let hits = with_class(&root, "rowhit");
    assert_eq!(hits.len(), 5);
    for (n, hit) in hits.iter().enumerate() {
        assert!(close(hit.num("y"), top + n as f64 * row_h));
        assert!(close(hit.num("height"), row_h));
        assert!(
            close(hit.num("x"), scale.x0),
            "the hit area covers the chart part"
        );
    }
    // A forced zoom is named as such.
    let (_, week) = render(
        &plan,
        &GanttOptions {
            zoom: Some(Zoom::Week),
            ..interactive()
        },
    );
    assert_eq!(week.attr("data-zoom"), Some("week"));
    let week_scale = PageScale::read(&week);
    let bar = shape(&week, "t1");
    assert!(close(bar.num("x"), week_scale.x(at(2027, 3, 1, 8, 0))));
    assert!(svg.contains("data-day-px=\"64\""), "a plain decimal");
}

#[test]
fn leaves_have_a_resize_handle_and_a_link_connector() {
    let (plan, _) = website_plan();
    let (svg, root) = render(&plan, &interactive());
    let handles = with_class(&root, "rh");
    assert_eq!(uids(&handles), ["t1", "t2", "build<&\"x\">"]);
    for handle in &handles {
        let bar = shape(&root, handle.attr("data-uid").unwrap());
        let bar_end = bar.num("x") + bar.num("width");
        let (x, width) = (handle.num("x"), handle.num("width"));
        assert!(
            x < bar_end && x + width > bar_end,
            "over the bar's right end"
        );
        assert!((5.0..=7.0).contains(&width));
        assert_eq!(handle.name, "rect");
    }
    let connectors = with_class(&root, "lk");
    assert_eq!(uids(&connectors), ["t1", "t2", "build<&\"x\">", "t4"]);
    for connector in &connectors {
        assert_eq!(connector.name, "circle");
        let uid = connector.attr("data-uid").unwrap();
        let element = shape(&root, uid);
        let end = match element.name.as_str() {
            "rect" => element.num("x") + element.num("width"),
            _ => path_points(element.attr("d").unwrap())
                .iter()
                .map(|p| p.0)
                .fold(f64::MIN, f64::max),
        };
        let cx = connector.num("cx");
        assert!(cx > end && cx < end + 12.0, "{uid}: just right of the end");
    }
    // Hidden until the row is hovered; cursors say what dragging does.
    for rule in [
        ".rg-gantt .lk{",
        "opacity:0",
        ".rg-gantt .r:hover .lk{opacity:1}",
        ".rg-gantt .drag{cursor:grab}",
        "cursor:ew-resize",
        "cursor:crosshair",
    ] {
        assert!(svg.contains(rule), "{rule}");
    }
    // Each row is one group: hit area, shape and handles together, so hovering the row shows
    // its connector.
    let rows: Vec<&Element> = root.find_all("g", "r");
    assert_eq!(rows.len(), 5);
    let build = rows
        .iter()
        .find(|g| {
            g.descendants()
                .iter()
                .any(|e| e.attr("data-id") == Some("4"))
        })
        .unwrap();
    let kinds: Vec<&str> = build
        .descendants()
        .iter()
        .filter(|e| e.attr("data-uid").is_some())
        .map(|e| e.attr("class").unwrap())
        .collect();
    assert_eq!(kinds, ["rowhit", "bar crit drag", "rh", "lk"]);
}

#[test]
fn dependency_lines_name_their_ends() {
    let (mut plan, ids) = website_plan();
    plan.link(ids[1], ids[2], LinkKind::StartToStart);
    let (_, root) = render(&plan, &interactive());
    let ends = link_ends(&root);
    let expect = |p: &str, s: &str, k: &str| (p.to_owned(), s.to_owned(), k.to_owned());
    assert_eq!(
        ends,
        [
            expect("t1", "t2", "FS"),
            expect("t1", "build<&\"x\">", "FS"),
            expect("build<&\"x\">", "t4", "FS"),
            expect("t1", "t2", "SS"),
        ]
    );
    // Every line with a tooltip (all but the legend's sample) has its ends.
    let lines = root
        .find_all("path", "ln")
        .into_iter()
        .filter(|p| p.tooltip().is_some())
        .count();
    assert_eq!(lines, ends.len());
}

#[test]
fn collapsing_a_summary_hides_its_subtasks_and_their_links() {
    let (plan, _) = website_plan();
    let (_, open) = render(&plan, &interactive());
    let (_, closed) = render(&plan, &collapsed(&["t0"]));
    assert_eq!(uids(&shapes(&closed)), ["t0", "build<&\"x\">", "t4"]);
    assert!(
        !closed
            .descendants()
            .iter()
            .any(|e| matches!(e.attr("data-uid"), Some("t1" | "t2")))
    );
    let names: Vec<String> = closed
        .find_all("text", "")
        .iter()
        .map(|t| t.text())
        .collect();
    assert!(!names.iter().any(|t| t == "Wireframes" || t == "Review"));
    // Only the link between two visible tasks is left.
    let expect = ("build<&\"x\">".to_owned(), "t4".to_owned(), "FS".to_owned());
    assert_eq!(link_ends(&closed), [expect]);
    // The rows below move up; the time axis and the table stay as they were.
    let top = closed.num("data-rows-top");
    let build = shape(&closed, "build<&\"x\">");
    assert!(close(build.num("y"), top + 22.0 + 5.0));
    for attribute in [
        "data-day-px",
        "data-origin",
        "data-x0",
        "width",
        "data-zoom",
    ] {
        assert_eq!(open.attr(attribute), closed.attr(attribute), "{attribute}");
    }
    let (open_x, closed_x): (Vec<f64>, Vec<f64>) = (
        path_points(shape(&open, "t4").attr("d").unwrap())
            .iter()
            .map(|p| p.0)
            .collect(),
        path_points(shape(&closed, "t4").attr("d").unwrap())
            .iter()
            .map(|p| p.0)
            .collect(),
    );
    assert_eq!(open_x, closed_x, "the milestone keeps its x");
}

#[test]
fn summaries_have_a_toggle_showing_their_state() {
    let mut plan = Plan::new("Nested");
    let start = at(2027, 3, 1, 8, 0);
    let finish = at(2027, 3, 5, 17, 0);
    let a = plan.task("A", None, start, finish, 0);
    let b = plan.task("B", Some(a), start, finish, 0);
    let c = plan.task("C", Some(b), start, finish, 0);
    let d = plan.task("D", Some(b), start, finish, 0);
    let e = plan.task("E", Some(a), start, finish, 0);
    plan.link(c, d, LinkKind::StartToStart);
    plan.link(d, e, LinkKind::FinishToFinish);
    let toggles = |options: &GanttOptions| {
        let (_, root) = render(&plan, options);
        let toggles: Vec<(String, String)> = with_class(&root, "tg")
            .iter()
            .map(|t| (t.attr("data-toggle").unwrap().to_owned(), t.text()))
            .collect();
        // Each toggle is a button for the keyboard and screen readers, named after its task.
        for toggle in with_class(&root, "tg") {
            assert_eq!(toggle.attr("tabindex"), Some("0"));
            assert_eq!(toggle.attr("role"), Some("button"));
            let label = toggle.attr("aria-label").unwrap_or_default();
            assert!(
                label.starts_with("Collapse ") || label.starts_with("Expand "),
                "{label}"
            );
        }
        (uids(&shapes(&root)), toggles, link_ends(&root).len())
    };
    let pair = |uid: &str, glyph: &str| (uid.to_owned(), glyph.to_owned());
    assert_eq!(
        toggles(&interactive()),
        (
            vec![
                "t0".into(),
                "t1".into(),
                "t2".into(),
                "t3".into(),
                "t4".into()
            ],
            vec![pair("t0", "▾"), pair("t1", "▾")],
            2
        )
    );
    // The inner summary collapsed: its two subtasks go, and both links touch one of them.
    assert_eq!(
        toggles(&collapsed(&["t1"])),
        (
            vec!["t0".into(), "t1".into(), "t4".into()],
            vec![pair("t0", "▾"), pair("t1", "▸")],
            0
        )
    );
    // The outer one: everything under it goes, whatever the inner one's state.
    assert_eq!(
        toggles(&collapsed(&["t0"])),
        (vec!["t0".into()], vec![pair("t0", "▸")], 0)
    );
    assert_eq!(toggles(&collapsed(&["t0", "t1"])).0, ["t0"]);
    // A leaf or an unknown uid collapses nothing.
    assert_eq!(toggles(&collapsed(&["t2", "nope"])).0.len(), 5);
    let _ = (b, c, d, e);
}

#[test]
fn collapsing_works_on_the_wall_chart_too_without_toggles() {
    let (plan, _) = website_plan();
    let options = GanttOptions {
        collapsed: BTreeSet::from(["t0".to_owned()]),
        ..Default::default()
    };
    let (svg, root) = render(&plan, &options);
    assert!(root.by_id("task-0").has_class("sb"));
    for hidden in ["task-1", "task-2"] {
        assert!(!svg.contains(&format!("id=\"{hidden}\"")), "{hidden}");
    }
    assert!(!svg.contains("data-") && !svg.contains("class=\"tg\""));
}

#[test]
fn the_wall_chart_has_none_of_the_interactive_marks() {
    let (plan, _) = website_plan();
    let (svg, _) = render(&plan, &GanttOptions::default());
    assert!(svg.starts_with("<?xml"));
    for mark in [
        "data-",
        "rg-gantt",
        "rowhit",
        "class=\"rh\"",
        "class=\"lk\"",
        "class=\"tg\"",
        "drag",
    ] {
        assert!(!svg.contains(mark), "{mark}");
    }
}

#[test]
fn the_interactive_chart_embeds_inline_in_html() {
    let (plan, _) = website_plan();
    let (svg, root) = render(
        &plan,
        &GanttOptions {
            today: Some(at(2027, 3, 4, 12, 0)),
            ..interactive()
        },
    );
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "no prolog"
    );
    assert!(!svg.contains("<?xml") && !svg.contains("<!DOCTYPE") && !svg.contains("<![CDATA["));
    assert_eq!(root.name, "svg");
    assert!(root.has_class("rg-gantt"));
    assert_eq!(
        root.attr("aria-label"),
        Some("Website relaunch — Gantt chart")
    );
    // Inline, a <style> applies to the whole page: every rule is scoped to the chart.
    let style = root.find_all("style", "")[0].text();
    for rule in style.split_inclusive('}') {
        assert!(rule.starts_with(".rg-gantt "), "{rule}");
    }
    // Ids are unique.
    let ids: Vec<&str> = root
        .descendants()
        .iter()
        .filter_map(|e| e.attr("id"))
        .collect();
    let unique: HashSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len());
    // The status line is kept.
    assert_eq!(
        root.find_all("path", "td").len(),
        2,
        "line and legend sample"
    );
}

fn generated(n: usize, seed: u64) -> (regie_core::Project, regie_core::Schedule) {
    let project = generate::realistic_plan(n, n / 25, seed);
    let schedule = regie_core::schedule(&project).unwrap();
    (project, schedule)
}

#[test]
fn a_generated_plan_of_a_thousand_tasks_renders_every_task() {
    let (project, schedule) = generated(1000, 11);
    let svg = gantt_svg(&project, &schedule, &interactive());
    let root = parse(&svg).unwrap();
    let all = shapes(&root);
    assert_eq!(all.len(), project.tasks.len());
    let ids: Vec<&str> = root
        .descendants()
        .iter()
        .filter_map(|e| e.attr("id"))
        .collect();
    assert_eq!(ids.len(), ids.iter().collect::<HashSet<_>>().len());
    let summaries = project.summary_flags();
    let leaves = summaries.iter().filter(|s| !**s).count();
    assert_eq!(with_class(&root, "lk").len(), leaves);
    assert_eq!(link_ends(&root).len(), project.links.len());
    // Collapsing every top-level summary leaves one row per top-level task.
    let tops: BTreeSet<String> = project
        .tasks
        .iter()
        .filter(|t| t.parent.is_none())
        .map(|t| t.uid.clone())
        .collect();
    let options = GanttOptions {
        collapsed: tops.clone(),
        ..interactive()
    };
    let root = parse(&gantt_svg(&project, &schedule, &options)).unwrap();
    assert_eq!(shapes(&root).len(), tops.len());
}

/// `cargo test --release -p regie-report -- --ignored --nocapture`
#[test]
#[ignore = "timing; run in release"]
fn time_a_thousand_task_chart() {
    let (project, schedule) = generated(1000, 7);
    for (label, options) in [
        ("wall chart", GanttOptions::default()),
        ("interactive", interactive()),
    ] {
        let mut times: Vec<f64> = (0..20)
            .map(|_| {
                let started = Instant::now();
                let svg = gantt_svg(&project, &schedule, &options);
                let elapsed = started.elapsed().as_secs_f64() * 1000.0;
                assert!(svg.len() > 100_000);
                elapsed
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let bytes = gantt_svg(&project, &schedule, &options).len();
        println!(
            "{} tasks, {label}: median {:.2} ms, min {:.2} ms, max {:.2} ms over 20 renders, {} bytes",
            project.tasks.len(),
            (times[9] + times[10]) / 2.0,
            times[0],
            times[19],
            bytes
        );
    }
}
