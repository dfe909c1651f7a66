//! MS Project XML at the command line: `regie import`, and `check`/`schedule`/`gantt` reading
//! MSPDI directly; formats told by content; reader errors as `file:line:column: message`.

use crate::support::{regie, scratch_dir};

/// Three tasks under a summary, FS links with a one-day lag, on MS Project's Standard calendar.
const PLAN: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <Title>Move</Title>
  <StartDate>2027-01-04T08:00:00</StartDate>
  <CalendarUID>1</CalendarUID>
  <Calendars>
    <Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar><BaseCalendarUID>-1</BaseCalendarUID>
      <WeekDays>
        <WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
        <WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay>
        <WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes>
          <WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>
          <WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
      </WeekDays>
    </Calendar>
  </Calendars>
  <Tasks>
    <Task><UID>0</UID><ID>0</ID><Name>Move</Name><OutlineLevel>0</OutlineLevel></Task>
    <Task><UID>10</UID><ID>1</ID><Name>Phase</Name><OutlineLevel>1</OutlineLevel></Task>
    <Task><UID>11</UID><ID>2</ID><Name>Pack</Name><OutlineLevel>2</OutlineLevel>
      <Duration>PT16H0M0S</Duration><DurationFormat>7</DurationFormat></Task>
    <Task><UID>12</UID><ID>3</ID><Name>Ship</Name><OutlineLevel>2</OutlineLevel>
      <Duration>PT8H0M0S</Duration><DurationFormat>7</DurationFormat>
      <PredecessorLink><PredecessorUID>11</PredecessorUID><Type>1</Type><LinkLag>4800</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
    </Task>
  </Tasks>
</Project>
"#;

#[test]
fn commands_read_ms_project_xml_directly() {
    let dir = scratch_dir();
    // The name says nothing: the content does.
    std::fs::write(dir.join("plan.data"), PLAN).unwrap();
    let run = regie(&["check", "plan.data"], &dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("ok (3 tasks, 1 links"),
        "{}",
        run.stdout
    );

    let run = regie(&["schedule", "plan.data", "--format", "json"], &dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let tasks: Vec<(String, String, String)> = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["uid"].as_str().unwrap().to_owned(),
                t["start"].as_str().unwrap().to_owned(),
                t["finish"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // The MSPDI UIDs; Ship one working day after Pack.
    assert_eq!(
        tasks,
        [
            (
                "10".into(),
                "2027-01-04T08:00".into(),
                "2027-01-07T17:00".into()
            ),
            (
                "11".into(),
                "2027-01-04T08:00".into(),
                "2027-01-05T17:00".into()
            ),
            (
                "12".into(),
                "2027-01-07T08:00".into(),
                "2027-01-07T17:00".into()
            ),
        ]
    );

    let run = regie(&["gantt", "plan.data", "-o", "plan.svg"], &dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(dir.join("plan.svg"))
            .unwrap()
            .contains("Ship")
    );
}

#[test]
fn import_writes_a_project_file_that_schedules_the_same() {
    let dir = scratch_dir();
    std::fs::write(dir.join("plan.xml"), PLAN).unwrap();
    let run = regie(&["import", "plan.xml", "-o", "plan.kdl"], &dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("plan.kdl: 3 tasks, 1 links, 0 resources, 1 calendars from plan.xml"),
        "{}",
        run.stdout
    );
    let kdl = std::fs::read_to_string(dir.join("plan.kdl")).unwrap();
    assert!(kdl.contains("project \"Move\""), "{kdl}");
    let from_xml = regie(&["schedule", "plan.xml", "--format", "csv"], &dir);
    let from_kdl = regie(&["schedule", "plan.kdl", "--format", "csv"], &dir);
    assert_eq!(from_kdl.code, 0, "{}", from_kdl.stderr);
    assert_eq!(from_xml.stdout, from_kdl.stdout);
    // No temporary file left behind.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");

    // A project file is not MS Project XML; `fmt` wants a project file.
    let run = regie(&["import", "plan.kdl", "-o", "again.kdl"], &dir);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not MS Project XML"), "{}", run.stderr);
    assert!(!dir.join("again.kdl").exists());
    let run = regie(&["fmt", "plan.xml"], &dir);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("regie import"), "{}", run.stderr);
}

#[test]
fn reader_errors_and_cycles_are_located() {
    let dir = scratch_dir();
    let broken = PLAN.replace(
        "<PredecessorUID>11</PredecessorUID>",
        "<PredecessorUID>99</PredecessorUID>",
    );
    std::fs::write(dir.join("broken.xml"), broken).unwrap();
    let run = regie(&["import", "broken.xml", "-o", "plan.kdl"], &dir);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "broken.xml:24:24: <PredecessorUID> names the task with UID 99, which is not in the file\n"
    );
    assert!(!dir.join("plan.kdl").exists());

    let cycle = PLAN.replace(
        "<Duration>PT16H0M0S</Duration>",
        "<Duration>PT16H0M0S</Duration><PredecessorLink><PredecessorUID>12</PredecessorUID></PredecessorLink>",
    );
    std::fs::write(dir.join("cycle.xml"), cycle).unwrap();
    let run = regie(&["check", "cycle.xml"], &dir);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("cycle.xml:24:")
            && run.stderr.contains("dependency cycle: Pack → Ship → Pack"),
        "{}",
        run.stderr
    );
    // The import itself keeps the cycle: it is the engine's to report.
    let run = regie(&["import", "cycle.xml", "-o", "cycle.kdl"], &dir);
    assert_eq!(run.code, 0, "{}", run.stderr);

    std::fs::write(
        dir.join("deep.xml"),
        format!("<Project>{}", "<a>".repeat(100)),
    )
    .unwrap();
    let run = regie(&["check", "deep.xml"], &dir);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "deep.xml:1:199: elements are nested more than 64 deep\n"
    );
}

#[test]
fn other_formats_are_refused_with_the_way_to_ms_project_xml() {
    let dir = scratch_dir();
    let cases: [(&str, &[u8], &str); 5] = [
        ("plan.mpp", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", "File > Save As > XML"),
        ("plan.xer", b"ERMHDR\t8.2.0\t2020-03-17", "Primavera P6 XER"),
        ("plan.mpx", b"MPX,Microsoft Project for Windows,4.0,ANSI\r\n", "MPX file"),
        ("plan.gan", b"<?xml version=\"1.0\"?><project name=\"\" version=\"3.3\">", "GanttProject"),
        ("plan.xml", b"<?xml version=\"1.0\"?><APIBusinessObjects xmlns=\"http://xmlns.oracle.com/Primavera/P6/V8.4/API/BusinessObjects\">", "PMXML"),
    ];
    for (name, bytes, hint) in cases {
        std::fs::write(dir.join(name), bytes).unwrap();
        for command in [&["check", name][..], &["import", name, "-o", "out.kdl"][..]] {
            let run = regie(command, &dir);
            assert_eq!(run.code, 1, "{name}");
            assert!(
                run.stderr.starts_with(&format!("error: {name}: this is "))
                    && run.stderr.contains(hint),
                "{name}: {}",
                run.stderr
            );
        }
    }
}
