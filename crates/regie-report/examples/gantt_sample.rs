//! Writes the Gantt chart of a hand-scheduled ~60-task IT project, to look at the renderer's
//! output: `cargo run -p regie-report --example gantt_sample -- /tmp/gantt-sample.svg
//! [day|week|month|quarter] [critical] [big]` (`big`: ten releases of it, staggered by four
//! weeks, about 570 tasks).
//!
//! The schedule is made here by a few lines of working-day arithmetic (Mon–Fri, the holidays
//! below), not by the engine, so the sample shows the renderer alone.

use jiff::civil::{Date, date};
use regie_core::{
    Assignment, Link, LinkKind, Project, Resource, ResourceId, Schedule, Task, TaskId,
    TaskSchedule,
    calendar::{DateRule, Exception},
    time,
};
use regie_report::{GanttOptions, Zoom, gantt_svg, schedule_table};

/// (outline level, name, working days or `None` for a summary, predecessors by name with kind
/// and lag in days, resources).
type Line = (
    usize,
    &'static str,
    Option<i64>,
    &'static [(&'static str, LinkKind, i64)],
    &'static [&'static str],
);

use LinkKind::{FinishToFinish as FF, FinishToStart as FS, StartToStart as SS};

const PLAN: &[Line] = &[
    (0, "Initiation", None, &[], &[]),
    (1, "Kick-off meeting", Some(1), &[], &["Ana"]),
    (
        1,
        "Stakeholder interviews",
        Some(5),
        &[("Kick-off meeting", FS, 0)],
        &["Ana", "Hana"],
    ),
    (
        1,
        "Project charter",
        Some(3),
        &[("Stakeholder interviews", FS, 0)],
        &["Ana"],
    ),
    (
        1,
        "Charter signed by the sponsor",
        Some(0),
        &[("Project charter", FS, 0)],
        &[],
    ),
    (0, "Analysis & design", None, &[], &[]),
    (
        1,
        "Requirements workshops",
        Some(10),
        &[("Charter signed by the sponsor", FS, 0)],
        &["Hana", "Fay"],
    ),
    (
        1,
        "Current-state analysis",
        Some(8),
        &[("Requirements workshops", SS, 2)],
        &["Bob"],
    ),
    (
        1,
        "Requirements specification",
        Some(5),
        &[("Requirements workshops", FS, 0)],
        &["Hana"],
    ),
    (
        1,
        "Solution architecture",
        Some(8),
        &[
            ("Current-state analysis", FS, 0),
            ("Requirements specification", SS, 2),
        ],
        &["Bob"],
    ),
    (
        1,
        "Security & privacy review",
        Some(3),
        &[("Solution architecture", FS, 0)],
        &["Bob", "Gus"],
    ),
    (
        1,
        "UX prototypes <v1 & v2>",
        Some(10),
        &[("Requirements specification", SS, 1)],
        &["Fay"],
    ),
    (
        1,
        "Design sign-off (gate 1)",
        Some(0),
        &[
            ("Security & privacy review", FS, 0),
            ("UX prototypes <v1 & v2>", FS, 0),
        ],
        &[],
    ),
    (0, "Build", None, &[], &[]),
    (1, "Backend", None, &[], &[]),
    (
        2,
        "Data model",
        Some(5),
        &[("Design sign-off (gate 1)", FS, 0)],
        &["Chen"],
    ),
    (
        2,
        "Core API",
        Some(15),
        &[("Data model", FS, 0)],
        &["Chen", "Dana"],
    ),
    (
        2,
        "ERP integration",
        Some(12),
        &[("Data model", FS, 0)],
        &["Dana"],
    ),
    (
        2,
        "Authentication & single sign-on",
        Some(6),
        &[("Core API", SS, 5)],
        &["Chen"],
    ),
    (2, "Batch jobs", Some(8), &[("Core API", FS, 0)], &["Dana"]),
    (1, "Frontend", None, &[], &[]),
    (
        2,
        "Design system",
        Some(8),
        &[("Design sign-off (gate 1)", FS, 0)],
        &["Fay"],
    ),
    (
        2,
        "Customer portal",
        Some(20),
        &[("Design system", FS, 0), ("Data model", FS, 0)],
        &["Fay", "Dana"],
    ),
    (
        2,
        "Back-office screens",
        Some(15),
        &[("Design system", FS, 0)],
        &["Fay"],
    ),
    (
        2,
        "Accessibility fixes",
        Some(5),
        &[("Customer portal", FS, 0)],
        &["Fay"],
    ),
    (1, "Data migration", None, &[], &[]),
    (
        2,
        "Field mapping",
        Some(6),
        &[("Design sign-off (gate 1)", FS, 0)],
        &["Hana"],
    ),
    (
        2,
        "Migration scripts",
        Some(10),
        &[("Field mapping", FS, 0), ("Data model", FS, 0)],
        &["Chen [50%]"],
    ),
    (
        2,
        "Dry run 1",
        Some(3),
        &[("Migration scripts", FS, 0)],
        &["Gus"],
    ),
    (2, "Dry run 2", Some(3), &[("Dry run 1", FS, 5)], &["Gus"]),
    (1, "Infrastructure", None, &[], &[]),
    (
        2,
        "Environments (dev, test, prod)",
        Some(8),
        &[("Design sign-off (gate 1)", FS, 0)],
        &["Gus"],
    ),
    (
        2,
        "CI/CD pipeline",
        Some(5),
        &[("Environments (dev, test, prod)", FS, 0)],
        &["Gus"],
    ),
    (
        2,
        "Monitoring & alerting",
        Some(4),
        &[("CI/CD pipeline", FS, 0)],
        &["Gus"],
    ),
    (
        1,
        "Build complete",
        Some(0),
        &[
            ("Batch jobs", FS, 0),
            ("Authentication & single sign-on", FS, 0),
            ("Accessibility fixes", FS, 0),
            ("Back-office screens", FS, 0),
            ("ERP integration", FS, 0),
            ("Monitoring & alerting", FS, 0),
        ],
        &[],
    ),
    (0, "Test", None, &[], &[]),
    (
        1,
        "System test",
        Some(15),
        &[("Build complete", FS, 0)],
        &["Eli"],
    ),
    (
        1,
        "Performance test",
        Some(5),
        &[("System test", SS, 5)],
        &["Eli", "Gus"],
    ),
    (
        1,
        "Penetration test",
        Some(5),
        &[("Build complete", FS, 10)],
        &["External auditor"],
    ),
    (
        1,
        "UAT preparation",
        Some(5),
        &[("System test", SS, 3)],
        &["Hana"],
    ),
    (
        1,
        "User acceptance test",
        Some(10),
        &[("System test", FS, 0), ("UAT preparation", FS, 0)],
        &["Hana", "Eli"],
    ),
    (
        1,
        "Bug fixing",
        Some(12),
        &[("User acceptance test", FF, 2), ("System test", SS, 2)],
        &["Chen", "Dana"],
    ),
    (
        1,
        "UAT sign-off (gate 2)",
        Some(0),
        &[("User acceptance test", FS, 0), ("Penetration test", FS, 0)],
        &[],
    ),
    (0, "Deployment", None, &[], &[]),
    (
        1,
        "Training material",
        Some(8),
        &[("User acceptance test", SS, 0)],
        &["Hana"],
    ),
    (
        1,
        "End-user training",
        Some(5),
        &[("Training material", FS, 0)],
        &["Hana"],
    ),
    (
        1,
        "Cut-over plan",
        Some(3),
        &[("Dry run 2", FS, 0)],
        &["Gus", "Ana"],
    ),
    (
        1,
        "Go/no-go meeting",
        Some(0),
        &[
            ("UAT sign-off (gate 2)", FS, 0),
            ("Cut-over plan", FS, 0),
            ("Bug fixing", FS, 0),
        ],
        &[],
    ),
    (
        1,
        "Production cut-over",
        Some(2),
        &[("Go/no-go meeting", FS, 0)],
        &["Gus", "Chen"],
    ),
    (
        1,
        "Go-live",
        Some(0),
        &[("Production cut-over", FS, 0)],
        &[],
    ),
    (
        1,
        "Hypercare",
        Some(10),
        &[("Go-live", FS, 0)],
        &["Dana", "Eli"],
    ),
    (0, "Closure", None, &[], &[]),
    (
        1,
        "Lessons learned",
        Some(2),
        &[("Hypercare", SS, 5)],
        &["Ana"],
    ),
    (
        1,
        "Handover to operations",
        Some(3),
        &[("Hypercare", FS, 0)],
        &["Gus"],
    ),
    (
        1,
        "Final report to the CIO",
        Some(2),
        &[
            ("Handover to operations", FS, 0),
            ("Lessons learned", FS, 0),
        ],
        &["Ana"],
    ),
    (
        1,
        "Project closed",
        Some(0),
        &[("Final report to the CIO", FS, 0)],
        &[],
    ),
];

const HOLIDAYS: &[(i16, i8, i8, &str)] = &[
    (2027, 3, 26, "Good Friday"),
    (2027, 3, 29, "Easter Monday"),
    (2027, 5, 6, "Ascension"),
    (2027, 5, 17, "Whit Monday"),
    (2027, 7, 14, "Bastille Day"),
];

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "/tmp/gantt-sample.svg".to_owned());
    let mut big = false;
    let mut options = GanttOptions {
        today: Some(time::minute_of(date(2027, 5, 12).at(12, 0, 0, 0))),
        ..Default::default()
    };
    for arg in args {
        match arg.as_str() {
            "day" => options.zoom = Some(Zoom::Day),
            "week" => options.zoom = Some(Zoom::Week),
            "month" => options.zoom = Some(Zoom::Month),
            "quarter" => options.zoom = Some(Zoom::Quarter),
            "critical" => options.critical_only = true,
            "big" => big = true,
            other => panic!("unknown argument {other:?}"),
        }
    }
    let (mut project, mut schedule) = sample();
    if big {
        (project, schedule) = releases(&project, &schedule, 10);
    }
    std::fs::write(&path, gantt_svg(&project, &schedule, &options)).unwrap();
    print!("{}", schedule_table(&project, &schedule, false));
    eprintln!("wrote {path}");
}

fn sample() -> (Project, Schedule) {
    let start = date(2027, 3, 1);
    let mut project = Project::new("Customer portal — phase 1", start.at(8, 0, 0, 0));
    for &(y, m, d, name) in HOLIDAYS {
        project.calendars[0].exceptions.push(Exception {
            name: name.to_owned(),
            dates: DateRule::Range {
                from: date(y, m, d),
                to: date(y, m, d),
            },
            shifts: Vec::new(),
        });
    }
    // Working days from the start, Monday to Friday less the holidays.
    let working_days: Vec<Date> = (0..800)
        .map(|n| time::date_of_day(time::day_number(start) + n))
        .filter(|d| d.weekday().to_monday_zero_offset() < 5)
        .filter(|d| !HOLIDAYS.iter().any(|&(y, m, day, _)| *d == date(y, m, day)))
        .collect();

    let mut parents: Vec<Option<TaskId>> = Vec::new();
    let mut stack: Vec<TaskId> = Vec::new();
    for (index, &(level, name, duration, _, _)) in PLAN.iter().enumerate() {
        stack.truncate(level);
        let parent = stack.last().copied();
        let mut task = Task::new(format!("T{}", index + 1), name);
        task.parent = parent;
        task.milestone = duration == Some(0);
        if name == "Go-live" {
            task.deadline = Some(date(2027, 7, 9).at(17, 0, 0, 0));
        }
        project.tasks.push(task);
        parents.push(parent);
        stack.push(TaskId(index as u32));
    }
    let id_of = |name: &str| PLAN.iter().position(|l| l.1 == name).unwrap();
    for (succ, &(_, _, _, preds, resources)) in PLAN.iter().enumerate() {
        for &(pred, kind, lag) in preds {
            project.links.push(Link {
                pred: TaskId(id_of(pred) as u32),
                succ: TaskId(succ as u32),
                kind,
                lag: regie_core::Lag::Working(lag * 480),
            });
        }
        for &resource in resources {
            let (name, units) = match resource.strip_suffix(" [50%]") {
                Some(name) => (name, 50),
                None => (resource, 100),
            };
            let position = project.resources.iter().position(|r| r.name == name);
            let id = position.unwrap_or_else(|| {
                project
                    .resources
                    .push(Resource::new(name.to_lowercase(), name));
                project.resources.len() - 1
            });
            project.assignments.push(Assignment {
                task: TaskId(succ as u32),
                resource: ResourceId(id as u32),
                units,
                work: None,
            });
        }
    }

    // Forward pass in working-day numbers: a task runs over days [es, ef); a milestone sits at
    // the end of day ef - 1.
    let n = PLAN.len();
    let dur = |i: usize| PLAN[i].2.unwrap_or(0);
    let mut es = vec![0i64; n];
    let mut ef = vec![0i64; n];
    for succ in 0..n {
        if PLAN[succ].2.is_none() {
            continue;
        }
        let mut earliest = 0;
        for link in project.links.iter().filter(|l| l.succ.index() == succ) {
            let (p, lag) = (link.pred.index(), lag_days(link));
            earliest = earliest.max(match link.kind {
                FS => ef[p] + lag,
                SS => es[p] + lag,
                FF => ef[p] + lag - dur(succ),
                LinkKind::StartToFinish => es[p] + lag - dur(succ),
            });
        }
        es[succ] = earliest;
        ef[succ] = earliest + dur(succ);
    }
    let end = (0..n).map(|i| ef[i]).max().unwrap();
    // Backward pass.
    let mut lf = vec![end; n];
    for pred in (0..n).rev() {
        if PLAN[pred].2.is_none() {
            continue;
        }
        for link in project.links.iter().filter(|l| l.pred.index() == pred) {
            let (s, lag) = (link.succ.index(), lag_days(link));
            let ls = lf[s] - dur(s);
            lf[pred] = lf[pred].min(match link.kind {
                FS => ls - lag,
                SS => ls - lag + dur(pred),
                FF => lf[s] - lag,
                LinkKind::StartToFinish => lf[s] - lag + dur(pred),
            });
        }
    }
    let float: Vec<i64> = (0..n).map(|i| lf[i] - ef[i]).collect();

    let day_start = |k: i64| time::minute_of(working_days[k as usize].at(8, 0, 0, 0));
    let day_end = |k: i64| time::minute_of(working_days[k as usize].at(17, 0, 0, 0));
    let mut tasks: Vec<TaskSchedule> = (0..n)
        .map(|i| {
            let (start, finish) = if dur(i) == 0 {
                let at = day_end((ef[i] - 1).max(0));
                (at, at)
            } else {
                (day_start(es[i]), day_end(ef[i] - 1))
            };
            let total_float = float[i] * 480;
            TaskSchedule {
                start,
                finish,
                early_start: start,
                early_finish: finish,
                late_start: start + total_float,
                late_finish: finish + total_float,
                total_float,
                free_float: 0,
                critical: float[i] <= 0,
            }
        })
        .collect();
    // Summaries roll up their children (children come after their parent).
    for i in (0..n).rev() {
        if PLAN[i].2.is_none() {
            let children: Vec<usize> = (0..n)
                .filter(|&c| parents[c] == Some(TaskId(i as u32)))
                .collect();
            let start = children.iter().map(|&c| tasks[c].start).min().unwrap();
            let finish = children.iter().map(|&c| tasks[c].finish).max().unwrap();
            let total_float = children
                .iter()
                .map(|&c| tasks[c].total_float)
                .min()
                .unwrap();
            tasks[i] = TaskSchedule {
                start,
                finish,
                early_start: start,
                early_finish: finish,
                late_start: start,
                late_finish: finish,
                total_float,
                free_float: 0,
                critical: total_float <= 0,
            };
        }
    }
    let schedule = Schedule {
        start: tasks.iter().map(|t| t.start).min().unwrap(),
        finish: tasks.iter().map(|t| t.finish).max().unwrap(),
        tasks,
        warnings: Vec::new(),
    };
    (project, schedule)
}

/// `count` copies of the plan, each under a "Release n" summary and four weeks after the last.
fn releases(project: &Project, schedule: &Schedule, count: u32) -> (Project, Schedule) {
    let mut all = project.clone();
    all.tasks.clear();
    all.links.clear();
    all.assignments.clear();
    let mut tasks = Vec::new();
    let n = project.tasks.len() as u32;
    for release in 0..count {
        let shift = i64::from(release) * 28 * time::MINUTES_PER_DAY;
        let base = release * (n + 1);
        let mut summary = Task::new(format!("R{release}"), format!("Release {}", release + 1));
        summary.parent = None;
        all.tasks.push(summary);
        let mut rolled = schedule.tasks[0];
        rolled.start = schedule.start + shift;
        rolled.finish = schedule.finish + shift;
        tasks.push(rolled);
        for (index, task) in project.tasks.iter().enumerate() {
            let mut copy = task.clone();
            copy.uid = format!("R{release}.{}", task.uid);
            copy.parent = Some(TaskId(task.parent.map_or(base, |p| base + 1 + p.0)));
            copy.deadline = None;
            all.tasks.push(copy);
            let mut entry = schedule.tasks[index];
            entry.start += shift;
            entry.finish += shift;
            tasks.push(entry);
        }
        for link in &project.links {
            all.links.push(Link {
                pred: TaskId(base + 1 + link.pred.0),
                succ: TaskId(base + 1 + link.succ.0),
                ..*link
            });
        }
        for assignment in &project.assignments {
            all.assignments.push(Assignment {
                task: TaskId(base + 1 + assignment.task.0),
                ..*assignment
            });
        }
    }
    let schedule = Schedule {
        start: tasks.iter().map(|t| t.start).min().unwrap(),
        finish: tasks.iter().map(|t| t.finish).max().unwrap(),
        tasks,
        warnings: Vec::new(),
    };
    (all, schedule)
}

fn lag_days(link: &Link) -> i64 {
    match link.lag {
        regie_core::Lag::Working(minutes) => minutes / 480,
        _ => 0,
    }
}
