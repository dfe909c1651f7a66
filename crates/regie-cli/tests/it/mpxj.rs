//! MPXJ, the independent MS Project file library behind ProjectLibre's and GanttProject's
//! MS Project import, reads the MSPDI `regie export` writes: the example plan and small plans
//! that cover every link type, lag kind, constraint, calendar rule and task kind are exported,
//! and so are the 78 real MS Project files of `../shared/data/msproject` as we read them,
//! `scripts/mpxj_check.py` reads them all in one JVM, and MPXJ must see our tasks, dates to the
//! minute, links with their types and lags, calendars (working time day by day), resources and
//! assignments. The same run has MPXJ's own scheduler (which mimics MS Project) recompute the
//! dates, and writes each project back as MSPDI with MPXJ's writer for the round trip.
//!
//! Skipped, with a message, when `python3 -c "import mpxj, jpype"` fails (`pip install mpxj
//! JPype1`; CI installs them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use regie_core::calendar::shifts_on;
use regie_core::time::{date_of_day, format_minute};
use regie_core::{
    Anchor, ConstraintKind, Lag, LinkKind, Project, ResourceKind, Schedule, TaskType,
};
use regie_formats::mspdi::write::{Uids, uids, write};
use serde_json::Value;

const HEADER_START: &str = "project \"{name}\" {\n    start \"2027-03-01\"\n}\n";

/// Small plans, each on one theme. (The example plan is the first case.)
const SNIPPETS: &[(&str, &str)] = &[
    (
        "links",
        r#"
task "a" "Design" duration="3d"
task "b" "Build" duration="5d" { after "a"; }
task "c" "Docs" duration="2d" { after "a" type="SS" lag="1d"; }
task "d" "Review" duration="1d" { after "b" type="FF" lag="4h"; }
task "e" "Handover" duration="2d" { after "c" type="SF" lag="-1d"; }
task "f" "Cure" duration="2d" { after "b" lag="2ed"; }
task "g" "Tests" duration="4d" { after "b" type="SS" lag="50%"; }
task "h" "Fixes" duration="1d" { after "g" lag="-25%"; }
task "i" "Overlap" duration="2d" { after "d" lag="-1d"; }
task "j" "Minutes" duration="90m" { after "i" lag="30m"; }
task "k" "Elapsed hours" duration="36eh" { after "j" lag="12eh"; }
task "l" "Weeks" duration="1w" { after "k" type="SS" lag="1.5d"; }
"#,
    ),
    (
        "constraints",
        r#"
task "start" "Start" duration="2d"
task "snet" "SNET" duration="1d" { after "start"; constraint "snet" "2027-03-10T08:00"; }
task "snlt" "SNLT" duration="1d" { after "start"; constraint "snlt" "2027-03-15T08:00"; }
task "fnet" "FNET" duration="1d" { after "start"; constraint "fnet" "2027-03-12T17:00"; }
task "fnlt" "FNLT" duration="1d" { after "start"; constraint "fnlt" "2027-03-20"; }
task "mso" "MSO" duration="2d" { constraint "mso" "2027-03-08T13:00"; }
task "mfo" "MFO" duration="2d" { constraint "mfo" "2027-03-19T17:00"; }
task "alap" "ALAP" duration="1d" { after "start"; constraint "alap"; }
task "end" "End" duration="1d" deadline="2027-03-18" priority=900 {
    after "snet" "snlt" "fnet" "fnlt" "mso" "mfo" "alap"
    note "R&D <review> \"quoted\", done; twice\nsecond line"
}
"#,
    ),
    (
        "yearly",
        r#"
calendar "us" name="US office" {
    week "mon-fri" "09:00-12:00" "13:00-18:00"
    week "sat,sun"
    holiday "Thanksgiving" yearly="4th thu nov"
    holiday "Memorial Day" yearly="last mon may"
    holiday "Christmas" yearly="12-25"
    holiday "New Year" yearly="01-01" from-year=2028 to-year=2030
    holiday "Leap day" yearly="02-29"
    holiday "Winter shutdown" from="2027-12-24" to="2027-12-31"
}
task "a" "Year-end work" duration="30d"
task "b" "Spring work" duration="90d" { after "a"; }
milestone "m" "Done" { after "b"; }
"#,
    ),
    (
        "weekly",
        r#"
calendar "office" name="Office" {
    week "mon-fri" "08:00-12:00" "13:00-17:00"
    week "sat,sun"
    holiday "Fridays off in summer" weekly="fri" from="2027-07-01" to="2027-08-31"
    holiday "Short fortnight" weekly="mon,wed" from="2027-06-14" to="2027-06-25"
    work "Saturday mornings" weekly="sat" from="2027-06-01" to="2027-06-30" "09:00-12:00"
}
task "a" "Summer work" duration="40d"
milestone "m" "Done" { after "a"; }
"#,
    ),
    (
        "clock",
        r#"
calendar "std" name="Standard hours" {
    week "mon-fri" "08:00-12:00" "13:00-17:00"
    week "sat,sun"
}
calendar "clock" name="Round the clock" twenty-four-hours=#true
calendar "night" name="Night shift" base="std" {
    week "mon-fri" "00:00-06:00" "22:00-24:00"
}
task "load" "Data load" duration="50h" calendar="clock"
task "batch" "Night batch" duration="16h" calendar="night" { after "load"; }
task "soak" "Soak test" duration="3ed" { after "batch"; }
task "report" "Report" duration="1d" { after "soak"; }
"#,
    ),
    (
        "working-exceptions",
        r#"
calendar "fr" name="France" {
    week "mon-fri" "08:00-12:00" "13:00-17:00"
    week "sat,sun"
    holiday "Bastille Day" yearly="07-14"
    holiday "Assumption" yearly="08-15"
}
calendar "cutover" name="Cutover" base="fr" {
    work "Go-live weekend" from="2027-07-24" to="2027-07-25" "08:00-12:00" "13:00-20:00"
    work "Short Friday" date="2027-07-23" "08:00-11:00"
}
task "prep" "Prepare" duration="4d"
task "go" "Go live" duration="3d" calendar="cutover" { after "prep"; }
milestone "live" "Live" calendar="cutover" { after "go"; }
"#,
    ),
    (
        "resources",
        r#"
calendar "std" name="Company" {
    week "mon-fri" "08:00-12:00" "13:00-17:00"
    week "sat,sun"
    holiday "Carnival" date="2027-03-09"
}
calendar "short" name="Short weeks" base="std" {
    week "fri"
}
resource "ann" name="Ann Archer" group="Analysis" email="ann@example.com" rate=80 overtime-rate=100 {
    vacation from="2027-03-15" to="2027-03-19"
}
resource "bob" name="Bob Baker" calendar="short" max-units="50%" rate=60.5
resource "cid" name="Cid Cole" calendar="short" cost-per-use=150
resource "lic" name="Licences" kind="material" rate=12.5
resource "fee" name="Travel" kind="cost"
task "a" "Analysis" duration="5d" {
    assign "ann"
    assign "bob" units="50%"
}
task "b" "Build" duration="10d" {
    after "a"
    assign "bob" "cid"
    assign "lic" units="300%"
}
task "c" "Work-driven" work="40h" {
    after "a"
    assign "ann" "cid"
}
task "d" "Trip" duration="1d" {
    after "b" "c"
    assign "fee"
}
task "e" "Batch with supervision" duration="36eh" {
    after "d"
    assign "cid" work="4h"
}
"#,
    ),
    (
        "outline",
        r#"
task "p1" "Phase 1" {
    task "w1" "Workstream A" {
        task "t1" "Task A1" duration="2d"
        task "t2" "Task A2" duration="3d" { after "t1"; }
    }
    task "w2" "Workstream B" {
        task "t3" "Task B1" duration="4d"
    }
    milestone "m1" "Gate 1: phase 1 done" { after "w1" "w2"; }
}
task "p2" "Phase 2" {
    after "p1"
    task "t4" "Task C1" duration="1w" type="fixed-work" effort-driven=#false
    task "t5" "Task C2" duration="2d" type="fixed-duration" { after "t4"; }
    milestone "m2" "Phase 2 done" { after "t5"; }
}
"#,
    ),
    (
        "manual-and-progress",
        r#"
task "a" "Done" duration="3d" {
    progress "100%" actual-start="2027-03-01T08:00" actual-finish="2027-03-03T17:00"
}
task "b" "Started" duration="5d" {
    after "a"
    progress "40%" actual-start="2027-03-04T08:00"
}
task "c" "Pinned by hand" duration="2d" {
    after "b"
    manual start="2027-03-08T08:00" finish="2027-03-10T17:00"
}
task "d" "After the manual task" duration="1d" { after "c"; }
"#,
    ),
    (
        "splits",
        r#"
resource "ana" name="Ana"
task "a" "Design" duration="2d"
task "b" "Build, paused twice" duration="5d" {
    after "a"
    assign "ana" units="50%"
    pause after="2d" for="1d"
    pause after="3d" for="2d"
}
task "c" "Review, paused for a morning" duration="3d" {
    after "b"
    pause after="1d" for="4h"
}
"#,
    ),
    (
        "backward",
        r#"
task "a" "A" duration="3d"
task "b" "B" duration="2.5d" { after "a"; }
task "c" "C" duration="1d" { after "b"; }
milestone "m" "End" { after "c"; }
"#,
    ),
];

/// Project blocks other than the plain one.
fn header(case: &str) -> String {
    match case {
        "yearly" => "project \"Holidays\" {\n    start \"2027-11-01\"\n    calendar \"us\"\n    time-zone \"America/New_York\"\n    currency \"USD\"\n}\n".into(),
        "weekly" => "project \"Summer\" {\n    start \"2027-06-01\"\n    calendar \"office\"\n}\n".into(),
        "working-exceptions" => "project \"Cutover\" {\n    start \"2027-07-19\"\n    calendar \"fr\"\n}\n".into(),
        "resources" => "project \"Team\" {\n    start \"2027-03-01\"\n    calendar \"std\"\n    status-date \"2027-03-10\"\n}\n".into(),
        "backward" => "project \"Backward\" {\n    finish \"2027-09-30T17:00\"\n    minutes-per-day 420\n    minutes-per-week 2100\n    days-per-month 21\n    honor-constraints #false\n}\n".into(),
        _ => HEADER_START.replace("{name}", case),
    }
}

/// Cases where MPXJ's scheduler (`org.mpxj.cpm.MicrosoftScheduler`, which mimics MS Project)
/// must give our dates to the minute, task for task, but for the known differences below.
const CPM_EXACT: &[&str] = &[
    "crm-migration (comparable)",
    "links",
    "constraints",
    "yearly",
    "weekly",
    "clock",
    "working-exceptions",
    "resources",
    "outline",
    "manual-and-progress",
];

/// Where MPXJ's scheduler and ours differ on purpose or where MPXJ is known to differ from
/// MS Project: (case, task id, why).
const CPM_KNOWN: &[(&str, &str, &str)] = &[
    (
        "links",
        "e",
        "an SF lead would finish the task before the project start: MPXJ schedules it there, \
         we (like MS Project) keep every task after the project start",
    ),
    (
        "links",
        "k",
        "an elapsed task after a lag ending out of working time: MPXJ moves its start to \
         working time, we start it on the clock",
    ),
    ("clock", "soak", "the same, after a night shift"),
    (
        "resources",
        "e",
        "the same; and MPXJ spreads the assignment's work over the resource's calendar",
    ),
    (
        "constraints",
        "alap",
        "its successor has a deadline: MPXJ lets deadlines tighten late dates (as MS Project \
         does), so the as-late-as-possible task is placed before it; our deadlines never move \
         a task",
    ),
];

struct Case {
    name: String,
    project: Project,
    schedule: Schedule,
    uids: Uids,
    xml: PathBuf,
}

struct Checked {
    cases: Vec<Case>,
    /// Per case, what MPXJ saw.
    seen: Vec<Value>,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn mpxj_available() -> bool {
    Command::new("python3")
        .args(["-c", "import mpxj, jpype"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Exports every case and has MPXJ read them all, once per test process.
fn checked() -> Option<&'static Checked> {
    static CHECKED: OnceLock<Option<Checked>> = OnceLock::new();
    CHECKED
        .get_or_init(|| {
            if !mpxj_available() {
                eprintln!(
                    "skipping the MPXJ checks: `python3 -c \"import mpxj, jpype\"` fails \
                     (pip install mpxj JPype1; Java 17 must be on PATH)"
                );
                return None;
            }
            Some(run_checks())
        })
        .as_ref()
}

fn run_checks() -> Checked {
    let dir = std::env::temp_dir().join(format!("regie-mpxj-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cases = Vec::new();

    // The example, through the command itself.
    let example = workspace().join("examples/crm-migration.kdl");
    let xml = dir.join("crm-migration.xml");
    let output = Command::new(env!("CARGO_BIN_EXE_regie"))
        .args(["export", example.to_str().unwrap(), "--to", "mspdi", "-o"])
        .arg(&xml)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "regie export: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&example).unwrap();
    cases.push(case("crm-migration", &text, xml, false));
    // The example without what MPXJ's scheduler does differently: fixed-duration tasks worked
    // on resource calendars (MPXJ counts their duration on the project calendar) and a
    // start-no-earlier-than date at midnight (MPXJ starts the task at 00:00, not at the next
    // working time).
    let comparable = text.replace(" type=\"fixed-duration\"", "").replace(
        "\"start-no-earlier-than\" \"2027-06-01\"",
        "\"start-no-earlier-than\" \"2027-06-01T08:00\"",
    );
    assert!(
        text.contains(" type=\"fixed-duration\"")
            && text.contains("\"start-no-earlier-than\" \"2027-06-01\""),
        "the example changed: update the comparable variant"
    );
    cases.push(case(
        "crm-migration (comparable)",
        &comparable,
        dir.join("crm-migration-comparable.xml"),
        true,
    ));

    for (name, body) in SNIPPETS {
        let text = format!("{}{body}", header(name));
        cases.push(case(name, &text, dir.join(format!("{name}.xml")), true));
    }
    // MS Project's own files, read and written back by us: real plans, every feature they use.
    cases.extend(corpus_cases(&dir));

    let started = Instant::now();
    let output = Command::new("python3")
        .arg(workspace().join("scripts/mpxj_check.py"))
        .args(["--validate", "--cpm", "--roundtrip"])
        .arg(dir.join("mpxj"))
        .args(cases.iter().map(|c| &c.xml))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "mpxj_check.py failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "mpxj_check.py read {} files in {:.1} s (one JVM)",
        cases.len(),
        started.elapsed().as_secs_f64()
    );
    let seen: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(seen.len(), cases.len());
    Checked { cases, seen }
}

fn case(name: &str, text: &str, xml: PathBuf, write_it: bool) -> Case {
    let parsed =
        regie_lang::parse(name, text).unwrap_or_else(|d| panic!("{name}: {}", d.render(false)));
    let project = parsed.project;
    let schedule = regie_core::schedule(&project).unwrap();
    if write_it {
        std::fs::write(&xml, write(&project, &schedule)).unwrap();
    }
    Case {
        name: name.to_owned(),
        uids: uids(&project),
        project,
        schedule,
        xml,
    }
}

/// The files of `../shared/data/msproject` as we read, schedule and write them (none when the
/// shared data is absent; the conformance test says so).
fn corpus_cases(dir: &Path) -> Vec<Case> {
    let files = workspace().join("../shared/data/msproject/files");
    let Ok(entries) = std::fs::read_dir(&files) else {
        eprintln!(
            "no MS Project corpus at {}: its exports are not checked",
            files.display()
        );
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "xml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(path).unwrap();
            let project =
                regie_formats::mspdi::read(&stem, &bytes).unwrap_or_else(|e| panic!("{stem}: {e}"));
            let schedule = regie_core::schedule(&project).unwrap();
            let xml = dir.join(format!("corpus-{stem}.xml"));
            std::fs::write(&xml, write(&project, &schedule)).unwrap();
            Case {
                name: format!("corpus {stem}"),
                uids: uids(&project),
                project,
                schedule,
                xml,
            }
        })
        .collect()
}

/// How long a leaf task works, pauses aside, as the engine counts it: its duration, or its
/// longest assignment when each assignment carries its own work (MSPDI then states that).
fn working_length(project: &Project, index: usize) -> i64 {
    regie_core::cpm::task_parts(project)[index]
        .iter()
        .map(|part| part.minutes - part.paused)
        .max()
        .unwrap_or(0)
}

/// MPXJ's `{value, units}` in minutes (percent for `%`), with the project's day and week.
fn minutes(duration: &Value, project: &Project) -> i64 {
    let value = duration["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("MPXJ gives no duration: {duration}"));
    let u = &project.units;
    let per = match duration["units"].as_str().unwrap() {
        "m" | "em" | "%" | "e%" => 1.0,
        "h" | "eh" => 60.0,
        "d" => f64::from(u.minutes_per_day),
        "w" => f64::from(u.minutes_per_week),
        "mo" => f64::from(u.minutes_per_day * u.days_per_month),
        "ed" => 1440.0,
        "ew" => 10080.0,
        "emo" => 43200.0,
        other => panic!("unknown unit {other}"),
    };
    (value * per).round() as i64
}

fn is_elapsed(duration: &Value) -> bool {
    duration["units"].as_str().unwrap().starts_with('e')
}

/// `08:00-12:00,13:00-17:00` as minutes of the day, touching shifts merged.
fn parse_hours(text: &str) -> Vec<(u16, u16)> {
    let mut out: Vec<(u16, u16)> = Vec::new();
    for range in text.split(',').filter(|r| !r.is_empty()) {
        let (a, b) = range.split_once('-').unwrap();
        let m = |t: &str| {
            let (h, m) = t.split_once(':').unwrap();
            h.parse::<u16>().unwrap() * 60 + m.parse::<u16>().unwrap()
        };
        let (start, mut end) = (m(a), m(b));
        if end == 0 {
            end = 1440;
        }
        match out.last_mut() {
            Some(last) if last.1 == start => last.1 = end,
            _ => out.push((start, end)),
        }
    }
    out
}

fn by_uid<'a>(items: &'a Value, key: &str) -> BTreeMap<i64, &'a Value> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v[key].as_i64().unwrap(), v))
        .collect()
}

fn kind_code(kind: LinkKind) -> &'static str {
    kind.code()
}

fn constraint_name(kind: ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::AsSoonAsPossible => "AS_SOON_AS_POSSIBLE",
        ConstraintKind::AsLateAsPossible => "AS_LATE_AS_POSSIBLE",
        ConstraintKind::MustStartOn => "MUST_START_ON",
        ConstraintKind::MustFinishOn => "MUST_FINISH_ON",
        ConstraintKind::StartNoEarlierThan => "START_NO_EARLIER_THAN",
        ConstraintKind::StartNoLaterThan => "START_NO_LATER_THAN",
        ConstraintKind::FinishNoEarlierThan => "FINISH_NO_EARLIER_THAN",
        ConstraintKind::FinishNoLaterThan => "FINISH_NO_LATER_THAN",
    }
}

fn civil(dt: jiff::civil::DateTime) -> String {
    format_minute(regie_core::time::minute_of(dt))
}

/// Everything MPXJ read of one case, against the model and schedule it was written from.
fn check_case(case: &Case, seen: &Value) {
    let name = &case.name;
    assert!(seen.get("error").is_none(), "{name}: {}", seen["error"]);
    // Element order and types as the MSPDI schema has them (null: no javac to check with).
    match seen["schema_errors"].as_array() {
        Some(errors) => assert!(errors.is_empty(), "{name}: not valid MSPDI: {errors:#?}"),
        None => eprintln!("{name}: not validated against the MSPDI schema (no javac)"),
    }
    let (p, s, ids) = (&case.project, &case.schedule, &case.uids);

    // Project properties.
    let props = &seen["project"];
    assert_eq!(props["title"], p.name.as_str(), "{name}");
    assert_eq!(props["minutes_per_day"], p.units.minutes_per_day, "{name}");
    assert_eq!(
        props["minutes_per_week"], p.units.minutes_per_week,
        "{name}"
    );
    assert_eq!(props["days_per_month"], p.units.days_per_month, "{name}");
    assert_eq!(props["honor_constraints"], p.honor_constraints, "{name}");
    assert_eq!(props["currency_code"], p.currency.as_str(), "{name}");
    assert_eq!(
        props["default_calendar_uid"],
        ids.calendars[p.calendar.index()],
        "{name}"
    );
    match p.anchor {
        Anchor::Start(at) => {
            assert_eq!(props["schedule_from"], "START", "{name}");
            assert_eq!(props["start"], civil(at).as_str(), "{name}");
        }
        Anchor::Finish(at) => {
            assert_eq!(props["schedule_from"], "FINISH", "{name}");
            assert_eq!(props["finish"], civil(at).as_str(), "{name}");
        }
    }
    assert_eq!(
        props["status_date"].as_str(),
        p.status_date.map(civil).as_deref(),
        "{name}"
    );

    // Tasks: one each, in outline order, with our dates to the minute.
    let tasks = seen["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), p.tasks.len(), "{name}: task count");
    let summary = p.summary_flags();
    let numbers = p.outline_numbers();
    let resources_seen = by_uid(&seen["resources"], "uid");
    for (index, (task, got)) in p.tasks.iter().zip(tasks).enumerate() {
        let at = format!("{name}: task {} {:?}", task.uid, task.name);
        let sched = &s.tasks[index];
        assert_eq!(got["uid"], ids.tasks[index], "{at}");
        assert_eq!(got["id"], index + 1, "{at}");
        assert_eq!(got["name"], task.name.as_str(), "{at}");
        assert_eq!(got["outline_number"], numbers[index].as_str(), "{at}");
        assert_eq!(got["wbs"], numbers[index].as_str(), "{at}");
        let parent_uid = task.parent.map(|p| ids.tasks[p.index()]);
        assert_eq!(
            got["parent_uid"].as_u64(),
            parent_uid.map(u64::from),
            "{at}"
        );
        assert_eq!(got["summary"], summary[index], "{at}");
        assert_eq!(got["milestone"], task.milestone, "{at}");
        assert_eq!(got["manual"], task.manual.is_some(), "{at}");
        assert_eq!(got["start"], format_minute(sched.start).as_str(), "{at}");
        assert_eq!(got["finish"], format_minute(sched.finish).as_str(), "{at}");
        let text1 = (task.uid != ids.tasks[index].to_string()).then_some(task.uid.as_str());
        assert_eq!(got["text1"].as_str(), text1, "{at}");
        assert_eq!(
            got["type"],
            match task.task_type {
                TaskType::FixedUnits => "FIXED_UNITS",
                TaskType::FixedDuration => "FIXED_DURATION",
                TaskType::FixedWork => "FIXED_WORK",
            },
            "{at}"
        );
        assert_eq!(got["effort_driven"], task.effort_driven, "{at}");
        assert_eq!(got["priority"], task.priority, "{at}");
        assert_eq!(
            got["constraint_type"],
            constraint_name(task.constraint.kind),
            "{at}"
        );
        let constraint_date = task
            .constraint
            .date
            .filter(|_| task.constraint.kind.needs_date())
            .map(civil);
        assert_eq!(
            got["constraint_date"].as_str(),
            constraint_date.as_deref(),
            "{at}"
        );
        assert_eq!(
            got["deadline"].as_str(),
            task.deadline.map(civil).as_deref(),
            "{at}"
        );
        let notes = (!task.notes.is_empty()).then_some(task.notes.as_str());
        assert_eq!(got["notes"].as_str(), notes, "{at}");
        assert_eq!(
            got["percent_complete"], task.progress.percent_complete,
            "{at}"
        );
        assert_eq!(
            got["actual_start"].as_str(),
            task.progress.actual_start.map(civil).as_deref(),
            "{at}"
        );
        assert_eq!(
            got["actual_finish"].as_str(),
            task.progress.actual_finish.map(civil).as_deref(),
            "{at}"
        );
        assert_eq!(
            got["calendar_uid"].as_u64(),
            task.calendar.map(|c| u64::from(ids.calendars[c.index()])),
            "{at}"
        );
        assert_eq!(
            got["ignore_resource_calendar"],
            task.calendar.is_some(),
            "{at}"
        );
        // Durations as the plan gives them (work-driven and pinned tasks aside).
        let duration = &got["duration"];
        if task.milestone {
            assert_eq!(minutes(duration, p), 0, "{at}");
        } else if !summary[index]
            && task.manual.is_none()
            && task.progress.actual_finish.is_none()
            && task.duration.minutes > 0
        {
            assert_eq!(
                minutes(duration, p),
                working_length(p, index),
                "{at}: duration"
            );
            assert_eq!(
                is_elapsed(duration),
                task.duration.elapsed,
                "{at}: duration"
            );
        }
        // Links: every predecessor with its type and lag in the unit it was given in.
        let preds: Vec<&Value> = got["predecessors"].as_array().unwrap().iter().collect();
        let ours: Vec<_> = p.links.iter().filter(|l| l.succ.index() == index).collect();
        assert_eq!(preds.len(), ours.len(), "{at}: predecessors");
        for (link, pred) in ours.iter().zip(&preds) {
            assert_eq!(pred["uid"], ids.tasks[link.pred.index()], "{at}");
            assert_eq!(pred["type"], kind_code(link.kind), "{at}");
            let lag = &pred["lag"];
            match link.lag {
                Lag::Working(m) => {
                    assert_eq!(minutes(lag, p), m, "{at}: lag");
                    assert!(!is_elapsed(lag) || m == 0, "{at}: lag {lag}");
                }
                Lag::Elapsed(m) => {
                    assert_eq!(minutes(lag, p), m, "{at}: lag");
                    assert!(is_elapsed(lag), "{at}: lag {lag}");
                }
                Lag::Percent(pct) => {
                    assert_eq!(lag["units"], "%", "{at}: lag");
                    assert_eq!(lag["value"], pct, "{at}: lag");
                }
            }
        }
    }

    // Calendars: names, and the working time of every day MPXJ computes, inheritance and
    // exceptions applied, equal to ours; per task calendar and per resource.
    let calendars = by_uid(&seen["calendars"], "uid");
    let check_calendar = |uid: u32, id: regie_core::CalendarId, what: &str| {
        let cal = calendars
            .get(&i64::from(uid))
            .unwrap_or_else(|| panic!("{name}: {what}: no calendar {uid}"));
        let resolved = cal["resolved"].as_object().unwrap();
        assert!(!resolved.is_empty(), "{name}: {what}");
        for (day, hours) in resolved {
            let date: jiff::civil::Date = day.parse().unwrap();
            let ours: Vec<(u16, u16)> = shifts_on(&p.calendars, id, date)
                .iter()
                .map(|s| (s.start, s.end))
                .collect();
            assert_eq!(
                parse_hours(hours.as_str().unwrap()),
                ours,
                "{name}: {what} on {day}"
            );
        }
    };
    for (index, cal) in p.calendars.iter().enumerate() {
        let uid = ids.calendars[index];
        let got = calendars[&i64::from(uid)];
        assert_eq!(got["name"], cal.name.as_str(), "{name}: calendar {uid}");
        check_calendar(uid, regie_core::CalendarId(index as u32), &cal.name);
    }
    for (index, resource) in p.resources.iter().enumerate() {
        let at = format!("{name}: resource {}", resource.uid);
        let got = resources_seen[&i64::from(ids.resources[index])];
        assert_eq!(got["name"], resource.name.as_str(), "{at}");
        assert_eq!(got["id"], index + 1, "{at}");
        assert_eq!(
            got["type"],
            match resource.kind {
                ResourceKind::Work => "WORK",
                ResourceKind::Material => "MATERIAL",
                ResourceKind::Cost => "COST",
            },
            "{at}"
        );
        assert_eq!(got["group"].as_str(), resource.group.as_deref(), "{at}");
        assert_eq!(got["email"].as_str(), resource.email.as_deref(), "{at}");
        let text1 =
            (resource.uid != ids.resources[index].to_string()).then_some(resource.uid.as_str());
        assert_eq!(got["text1"].as_str(), text1, "{at}");
        if resource.kind != ResourceKind::Cost {
            let money = |v: &Value| (v.as_f64().unwrap() * 100.0).round() as i64;
            assert_eq!(
                money(&got["standard_rate"]),
                resource.rates.standard.0,
                "{at}"
            );
            assert_eq!(
                money(&got["cost_per_use"]),
                resource.rates.per_use.0,
                "{at}"
            );
        }
        if resource.kind == ResourceKind::Work {
            assert_eq!(got["max_units"], resource.max_units, "{at}");
            assert_eq!(got["standard_rate_units"], "h", "{at}");
            assert_eq!(
                (got["overtime_rate"].as_f64().unwrap() * 100.0).round() as i64,
                resource.rates.overtime.0,
                "{at}"
            );
            let uid = got["calendar_uid"].as_u64().unwrap() as u32;
            check_calendar(uid, resource.calendar.unwrap_or(p.calendar), &at);
        }
    }

    // Assignments: the same pairs, units and work.
    let assignments = seen["assignments"].as_array().unwrap();
    let real: Vec<&Value> = assignments
        .iter()
        .filter(|a| a["resource_uid"].as_i64().is_some_and(|r| r > 0))
        .collect();
    assert_eq!(real.len(), p.assignments.len(), "{name}: assignments");
    for (a, got) in p.assignments.iter().zip(&real) {
        let task = p.task(a.task);
        let resource = &p.resources[a.resource.index()];
        let at = format!("{name}: assignment {} to {}", resource.uid, task.uid);
        assert_eq!(got["task_uid"], ids.tasks[a.task.index()], "{at}");
        assert_eq!(
            got["resource_uid"],
            ids.resources[a.resource.index()],
            "{at}"
        );
        let whole_task = task.calendar.is_some() || task.duration.elapsed;
        match a.work {
            Some(work) if whole_task => {
                // Work over the whole task: units are work / duration.
                let expected = work as f64 * 100.0 / task.duration.minutes as f64;
                let units = got["units"].as_f64().unwrap();
                assert!((units - expected).abs() < 0.01, "{at}: units {units}");
            }
            _ => assert_eq!(got["units"], a.units, "{at}"),
        }
        if resource.kind == ResourceKind::Work {
            let work = minutes(&got["work"], p);
            match a.work {
                Some(w) => assert_eq!(work, w, "{at}: work"),
                None if task.work.is_none() && task.calendar.is_none() => assert_eq!(
                    work,
                    task.duration.minutes * i64::from(a.units) / 100,
                    "{at}: work"
                ),
                None => {}
            }
        }
    }
}

#[test]
fn mpxj_reads_what_we_write() {
    let Some(checked) = checked() else { return };
    for (case, seen) in checked.cases.iter().zip(&checked.seen) {
        check_case(case, seen);
    }

    // Recurring rules MSPDI can express stay rules; the overlap of a range with a yearly rule
    // is cut into dates MS Project accepts.
    let calendar = |case: &str, name: &str| -> &Value {
        let at = checked.cases.iter().position(|c| c.name == case).unwrap();
        checked.seen[at]["calendars"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()
    };
    let exceptions = calendar("yearly", "US office")["exceptions"]
        .as_array()
        .unwrap();
    let rule = |name: &str| {
        exceptions
            .iter()
            .find(|e| e["name"] == name && !e["recurring"].is_null())
            .unwrap_or_else(|| panic!("no recurring {name}: {exceptions:#?}"))
    };
    assert_eq!(rule("Thanksgiving")["recurring"]["type"], "YEARLY");
    assert_eq!(rule("Thanksgiving")["recurring"]["relative"], true);
    assert_eq!(rule("Thanksgiving")["recurring"]["day_of_week"], "THU");
    assert_eq!(rule("Memorial Day")["recurring"]["day_number"], 5);
    assert_eq!(
        rule("New Year")["recurring"]["dates"],
        serde_json::json!(["2028-01-01", "2029-01-01", "2030-01-01"])
    );
    let shutdown: Vec<_> = exceptions
        .iter()
        .filter(|e| e["name"] == "Winter shutdown")
        .map(|e| (e["from"].as_str().unwrap(), e["to"].as_str().unwrap()))
        .collect();
    assert_eq!(shutdown, vec![("2027-12-24", "2027-12-31")]);
    let fridays = calendar("weekly", "Office")["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Fridays off in summer")
        .unwrap();
    assert_eq!(fridays["recurring"]["type"], "WEEKLY");
    assert_eq!(fridays["recurring"]["weekdays"], serde_json::json!(["FRI"]));
}

#[test]
fn mpxj_scheduler_agrees_with_ours() {
    let Some(checked) = checked() else { return };
    let mut report = String::new();
    let mut failures = Vec::new();
    for (case, seen) in checked.cases.iter().zip(&checked.seen) {
        let name = case.name.as_str();
        let exact = CPM_EXACT.contains(&name);
        let Some(cpm) = seen["cpm"].as_object() else {
            report.push_str(&format!(
                "{name}: MPXJ could not schedule: {}\n",
                seen["cpm_error"]
            ));
            if exact {
                failures.push(format!("{name}: {}", seen["cpm_error"]));
            }
            continue;
        };
        let mut differ = Vec::new();
        for (index, task) in case.project.tasks.iter().enumerate() {
            let sched = &case.schedule.tasks[index];
            let ours = [format_minute(sched.start), format_minute(sched.finish)];
            let theirs = &cpm[&case.uids.tasks[index].to_string()];
            if theirs[0] != ours[0].as_str() || theirs[1] != ours[1].as_str() {
                let known = CPM_KNOWN
                    .iter()
                    .find(|k| k.0 == name && k.1 == task.uid)
                    .map_or("", |k| k.2);
                differ.push((task.uid.as_str(), known));
                report.push_str(&format!(
                    "  {} {:?}: ours {} – {}, MPXJ {} – {}{}\n",
                    task.uid,
                    task.name,
                    ours[0],
                    ours[1],
                    theirs[0],
                    theirs[1],
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!(" (known: {known})")
                    }
                ));
            }
        }
        report.push_str(&format!(
            "{name}: MPXJ's scheduler agrees on {} of {} tasks\n",
            case.project.tasks.len() - differ.len(),
            case.project.tasks.len(),
        ));
        if exact {
            let unexpected: Vec<&str> = differ
                .iter()
                .filter(|d| d.1.is_empty())
                .map(|d| d.0)
                .collect();
            let expected: Vec<&str> = CPM_KNOWN
                .iter()
                .filter(|k| k.0 == name)
                .map(|k| k.1)
                .collect();
            let gone: Vec<&&str> = expected
                .iter()
                .filter(|e| !differ.iter().any(|d| d.0 == **e))
                .collect();
            if !unexpected.is_empty() || !gone.is_empty() {
                failures.push(format!(
                    "{name}: unexpected differences {unexpected:?}, known differences that went away {gone:?}"
                ));
            }
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{}\n\n{report}", failures.join("\n"));
}

/// Our MSPDI → MPXJ → MSPDI (MPXJ's writer) → our reader: the same plan. MPXJ restructures
/// what it writes (a calendar per resource, flattened task calendars, an empty assignment on
/// tasks with progress), so calendars are compared by the working time of every day around
/// the plan, and the read plan is scheduled again and must give the same dates.
#[test]
fn mpxj_round_trip_reads_back_the_same_plan() {
    let Some(checked) = checked() else { return };
    let mut problems = Vec::new();
    for (case, seen) in checked.cases.iter().zip(&checked.seen) {
        let name = &case.name;
        let file = seen["roundtrip"].as_str().unwrap();
        let bytes = std::fs::read(file).unwrap();
        let back = match regie_formats::mspdi::read(file, &bytes) {
            Ok(project) => project,
            Err(e) => {
                problems.push(format!("{name}: our reader refuses MPXJ's file: {e}"));
                continue;
            }
        };
        let mut diff = |what: String| problems.push(format!("{name}: {what}"));
        compare(case, &back, &mut diff);
        // And through the command: `regie schedule` reads MS Project XML too.
        let output = Command::new(env!("CARGO_BIN_EXE_regie"))
            .args(["schedule", "--format", "json", file])
            .output()
            .unwrap();
        if !output.status.success() {
            diff(format!(
                "regie schedule {file}: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        }
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        let dates: Vec<(String, String)> = json["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["start"].as_str().unwrap().into(),
                    t["finish"].as_str().unwrap().into(),
                )
            })
            .collect();
        let ours: Vec<(String, String)> = case
            .schedule
            .tasks
            .iter()
            .map(|t| (format_minute(t.start), format_minute(t.finish)))
            .collect();
        if dates != ours {
            diff(format!("regie schedule {file} gives other dates"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The differences between the plan a case was written from and the plan read back.
fn compare(case: &Case, back: &Project, diff: &mut dyn FnMut(String)) {
    let (p, s) = (&case.project, &case.schedule);
    macro_rules! same {
        ($what:expr, $a:expr, $b:expr) => {
            if $a != $b {
                diff(format!("{}: {:?} became {:?}", $what, $a, $b));
            }
        };
    }
    same!("name", p.name, back.name);
    same!("anchor", p.anchor, back.anchor);
    same!("units", p.units, back.units);
    same!(
        "honor constraints",
        p.honor_constraints,
        back.honor_constraints
    );
    same!("currency", p.currency, back.currency);
    same!("status date", p.status_date, back.status_date);
    if back.tasks.len() != p.tasks.len() {
        diff(format!(
            "{} tasks became {}",
            p.tasks.len(),
            back.tasks.len()
        ));
        return;
    }
    let summary = p.summary_flags();
    for (index, (a, b)) in p.tasks.iter().zip(&back.tasks).enumerate() {
        let at = format!("task {} {:?}", a.uid, a.name);
        if b.uid != a.uid && b.uid != case.uids.tasks[index].to_string() {
            diff(format!("{at}: id {:?}", b.uid));
        }
        same!(format!("{at}: name"), a.name, b.name);
        same!(format!("{at}: parent"), a.parent, b.parent);
        same!(format!("{at}: milestone"), a.milestone, b.milestone);
        same!(format!("{at}: type"), a.task_type, b.task_type);
        same!(
            format!("{at}: effort driven"),
            a.effort_driven,
            b.effort_driven
        );
        same!(format!("{at}: constraint"), a.constraint, b.constraint);
        same!(format!("{at}: deadline"), a.deadline, b.deadline);
        same!(format!("{at}: priority"), a.priority, b.priority);
        same!(format!("{at}: notes"), a.notes, b.notes);
        if !summary[index] {
            same!(format!("{at}: progress"), a.progress, b.progress);
            same!(format!("{at}: manual"), a.manual, b.manual);
        }
        let calendar = |project: &Project, id: Option<regie_core::CalendarId>| {
            id.map(|c| project.calendars[c.index()].name.clone())
        };
        same!(
            format!("{at}: calendar"),
            calendar(p, a.calendar),
            calendar(back, b.calendar)
        );
        let pinned = a.manual.is_some() || a.progress.actual_finish.is_some();
        if !summary[index] && !pinned && a.duration.minutes > 0 {
            same!(
                format!("{at}: duration"),
                (working_length(p, index), a.duration.elapsed),
                (working_length(back, index), b.duration.elapsed)
            );
            same!(format!("{at}: pauses"), a.splits, b.splits);
        }
    }
    let links = |project: &Project| {
        let mut links: Vec<_> = project
            .links
            .iter()
            .map(|l| (l.pred.0, l.succ.0, l.kind.code(), l.lag))
            .collect();
        links.sort_by_key(|l| (l.0, l.1));
        links
    };
    same!("links", links(p), links(back));
    // Working time, day by day, of the calendars the plan uses.
    let days = (s.start.div_euclid(1440) - 14)..=(s.finish.div_euclid(1440) + 14);
    let mut uses: Vec<(String, regie_core::CalendarId, regie_core::CalendarId)> =
        vec![("the project calendar".into(), p.calendar, back.calendar)];
    for (a, b) in p.tasks.iter().zip(&back.tasks) {
        if let (Some(x), Some(y)) = (a.calendar, b.calendar) {
            uses.push((format!("task {}'s calendar", a.uid), x, y));
        }
    }
    if back.resources.len() != p.resources.len() {
        diff(format!(
            "{} resources became {}",
            p.resources.len(),
            back.resources.len()
        ));
        return;
    }
    for (a, b) in p.resources.iter().zip(&back.resources) {
        let at = format!("resource {}", a.uid);
        same!(format!("{at}: name"), a.name, b.name);
        same!(format!("{at}: kind"), a.kind, b.kind);
        same!(format!("{at}: rates"), a.rates, b.rates);
        same!(format!("{at}: email"), a.email, b.email);
        same!(format!("{at}: group"), a.group, b.group);
        if a.kind == ResourceKind::Work {
            same!(format!("{at}: max units"), a.max_units, b.max_units);
            uses.push((
                format!("{at}'s calendar"),
                a.calendar.unwrap_or(p.calendar),
                b.calendar.unwrap_or(back.calendar),
            ));
        }
    }
    for (what, x, y) in uses {
        for day in days.clone() {
            let date = date_of_day(day);
            let ours = shifts_on(&p.calendars, x, date);
            let theirs = shifts_on(&back.calendars, y, date);
            if ours != theirs {
                diff(format!("{what} on {date}: {ours:?} became {theirs:?}"));
                break;
            }
        }
    }
    // Work given to an assignment that lasts the whole task (the task has its own calendar,
    // or an elapsed duration) is written as units of work / duration; readers keep the units.
    let expected: Vec<_> = p
        .assignments
        .iter()
        .map(|a| {
            let task = p.task(a.task);
            let units = match a.work {
                Some(work) if task.calendar.is_some() || task.duration.elapsed => {
                    (work as f64 * 100.0 / task.duration.minutes as f64).round() as u32
                }
                _ => a.units,
            };
            (a.task.0, a.resource.0, units)
        })
        .collect();
    let read: Vec<_> = back
        .assignments
        .iter()
        .filter(|a| a.resource.index() < back.resources.len())
        .map(|a| (a.task.0, a.resource.0, a.units))
        .collect();
    same!("assignments", expected, read);
    // The plan read back gives the same schedule.
    match regie_core::schedule(back) {
        Err(e) => diff(format!("the plan read back does not schedule: {e}")),
        Ok(again) => {
            for (index, (a, b)) in s.tasks.iter().zip(&again.tasks).enumerate() {
                if (a.start, a.finish) != (b.start, b.finish) {
                    diff(format!(
                        "task {} is scheduled {} – {}, read back {} – {}",
                        p.tasks[index].uid,
                        format_minute(a.start),
                        format_minute(a.finish),
                        format_minute(b.start),
                        format_minute(b.finish)
                    ));
                }
            }
        }
    }
}

#[test]
fn the_example_export_is_deterministic_and_names_every_calendar_day() {
    // Independent of MPXJ: two writes give the same bytes, and the horizon of recurring
    // exceptions covers the plan.
    let text = std::fs::read_to_string(workspace().join("examples/crm-migration.kdl")).unwrap();
    let project = regie_lang::parse("crm", &text).unwrap().project;
    let schedule = regie_core::schedule(&project).unwrap();
    let a = write(&project, &schedule);
    assert_eq!(a, write(&project, &schedule));
    assert!(a.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Project xmlns=\"http://schemas.microsoft.com/project\">"));
    let finish_year = date_of_day(schedule.finish.div_euclid(1440)).year();
    assert!(a.contains(&format!(
        "<ToDate>{}-12-25T23:59:00</ToDate>",
        finish_year + 5
    )));
}
