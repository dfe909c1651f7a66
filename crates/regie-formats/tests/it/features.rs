//! One small hand-written file per feature of the reader, and one per error it reports.

use expect_test::{Expect, expect};
use jiff::civil::{Date, DateTime, Weekday, date, datetime};
use regie_core::calendar::{DateRule, Exception, Shift, YearlyDay};
use regie_core::{
    Anchor, CalendarId, ConstraintKind, Lag, LinkKind, ManualDates, Money, ResourceKind, TaskId,
    TaskType, Units,
};

use crate::{mspdi, read, read_error};

fn at(y: i16, m: i8, d: i8, h: i8, min: i8) -> DateTime {
    datetime(y, m, d, h, min, 0, 0)
}

fn day(y: i16, m: i8, d: i8) -> Date {
    date(y, m, d)
}

/// A `<Tasks>` block of tasks given as `(UID, OutlineLevel, extra elements)`.
fn tasks(rows: &[(i64, i64, &str)]) -> String {
    let mut out = String::from("<Tasks>\n");
    for (uid, level, extra) in rows {
        out.push_str(&format!(
            "<Task><UID>{uid}</UID><Name>T{uid}</Name><OutlineLevel>{level}</OutlineLevel>\
             <Duration>PT8H0M0S</Duration><DurationFormat>7</DurationFormat>{extra}</Task>\n"
        ));
    }
    out.push_str("</Tasks>");
    out
}

fn check_error(text: &str, expected: Expect) {
    expected.assert_eq(&read_error(text).to_string());
}

#[test]
fn project_properties() {
    let project = read(
        "<?xml version=\"1.0\"?><Project xmlns=\"http://schemas.microsoft.com/project\">\
         <Name>plan.xml</Name><Title>Data centre move</Title>\
         <ScheduleFromStart>0</ScheduleFromStart>\
         <StartDate>2027-01-04T08:00:00</StartDate><FinishDate>2027-06-30T17:00:00</FinishDate>\
         <StatusDate>2027-02-01T17:00:00</StatusDate>\
         <CurrencyCode>GBP</CurrencyCode><CalendarUID>3</CalendarUID>\
         <MinutesPerDay>450</MinutesPerDay><MinutesPerWeek>2250</MinutesPerWeek>\
         <DaysPerMonth>21</DaysPerMonth><HonorConstraints>0</HonorConstraints>\
         <Calendars>\
         <Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar></Calendar>\
         <Calendar><UID>3</UID><Name>Night</Name><IsBaseCalendar>1</IsBaseCalendar></Calendar>\
         </Calendars></Project>",
    );
    assert_eq!(project.name, "Data centre move");
    assert_eq!(project.anchor, Anchor::Finish(at(2027, 6, 30, 17, 0)));
    assert_eq!(project.status_date, Some(at(2027, 2, 1, 17, 0)));
    assert_eq!(project.currency, "GBP");
    assert_eq!(project.calendar, CalendarId(1));
    assert_eq!(
        project.units,
        Units {
            minutes_per_day: 450,
            minutes_per_week: 2250,
            days_per_month: 21
        }
    );
    assert!(!project.honor_constraints);
    // Calendars that say nothing of their week get MS Project's default one.
    assert_eq!(
        project.calendars[1].week[0],
        Some(vec![Shift::new(8, 0, 12, 0), Shift::new(13, 0, 17, 0)])
    );

    let project = read(&mspdi("<Name>only-a-name.xml</Name>"));
    assert_eq!(project.name, "only-a-name.xml");
    assert_eq!(project.anchor, Anchor::Start(at(2027, 1, 4, 8, 0)));
    assert!(project.honor_constraints);
    // No calendars in the file: the model's Standard.
    assert_eq!(project.calendars.len(), 1);
    assert_eq!(read(&mspdi("")).name, "test");
}

/// The project summary (UID 0) and blank rows are not tasks; outline levels give parents, also
/// across a skipped level; rows are taken in ID order.
#[test]
fn outline() {
    let project = read(&mspdi(
        "<Tasks>\
         <Task><UID>0</UID><ID>0</ID><Name>Plan</Name><OutlineLevel>0</OutlineLevel></Task>\
         <Task><UID>1</UID><ID>1</ID><Name>Phase</Name><OutlineLevel>1</OutlineLevel></Task>\
         <Task><UID>7</UID><ID>3</ID><Name>Deep</Name><OutlineLevel>3</OutlineLevel></Task>\
         <Task><UID>2</UID><ID>2</ID><Name>Step</Name><OutlineLevel>2</OutlineLevel></Task>\
         <Task><UID>9</UID><ID>4</ID><IsNull>1</IsNull></Task>\
         <Task><UID>3</UID><ID>5</ID><Name>Next</Name><OutlineLevel>1</OutlineLevel></Task>\
         <Task><UID>4</UID><ID>6</ID><Name>Jump</Name><OutlineLevel>3</OutlineLevel></Task>\
         </Tasks>",
    ));
    let outline: Vec<(&str, Option<u32>)> = project
        .tasks
        .iter()
        .map(|t| (t.uid.as_str(), t.parent.map(|p| p.0)))
        .collect();
    assert_eq!(
        outline,
        [
            ("1", None),
            ("2", Some(0)),
            ("7", Some(1)),
            ("3", None),
            ("4", Some(3))
        ]
    );
    assert_eq!(project.summary_flags(), [true, true, false, true, false]);
}

#[test]
fn durations_milestones_and_task_fields() {
    let project = read(&mspdi(&tasks(&[
        (
            1,
            1,
            "<Duration>PT12H30M0S</Duration><DurationFormat>5</DurationFormat>",
        ),
        // 3 elapsed days; 39 is "estimated days", a working format.
        (
            2,
            1,
            "<Duration>PT72H0M0S</Duration><DurationFormat>8</DurationFormat>",
        ),
        (
            3,
            1,
            "<Duration>PT16H0M0S</Duration><DurationFormat>39</DurationFormat>",
        ),
        (
            4,
            1,
            "<Duration>PT0H0M0S</Duration><Milestone>1</Milestone>",
        ),
        // MS Project lets a task with a duration carry the milestone flag, and schedules it over
        // its duration: the model's milestone has none, so the flag is not kept.
        (5, 1, "<Milestone>1</Milestone>"),
        (
            6,
            1,
            "<Type>2</Type><Work>PT24H0M0S</Work><EffortDriven>0</EffortDriven><Priority>1000</Priority>\
             <Notes>Line one\nline &amp; two</Notes><Deadline>2027-02-26T17:00:00</Deadline>",
        ),
        (7, 1, "<Type>1</Type><Priority>1200</Priority>"),
    ])));
    let durations: Vec<(i64, bool, bool)> = project
        .tasks
        .iter()
        .map(|t| (t.duration.minutes, t.duration.elapsed, t.milestone))
        .collect();
    assert_eq!(
        durations,
        [
            (750, false, false),
            (4320, true, false),
            (960, false, false),
            (0, false, true),
            (480, false, false),
            (480, false, false),
            (480, false, false)
        ]
    );
    let fixed_work = &project.tasks[5];
    assert_eq!(fixed_work.task_type, TaskType::FixedWork);
    assert_eq!(fixed_work.work, Some(1440));
    assert!(!fixed_work.effort_driven);
    assert_eq!(fixed_work.priority, 1000);
    assert_eq!(fixed_work.notes, "Line one\nline & two");
    assert_eq!(fixed_work.deadline, Some(at(2027, 2, 26, 17, 0)));
    assert_eq!(project.tasks[6].task_type, TaskType::FixedDuration);
    assert_eq!(project.tasks[6].priority, 1000);
    assert_eq!(project.tasks[6].work, None);
}

#[test]
fn constraints() {
    let rows: Vec<(i64, i64, String)> = (0..8)
        .map(|code| {
            (
                code + 1,
                1,
                format!(
                    "<ConstraintType>{code}</ConstraintType>\
                     <ConstraintDate>2027-03-01T08:00:00</ConstraintDate>"
                ),
            )
        })
        .collect();
    let rows: Vec<(i64, i64, &str)> = rows.iter().map(|(u, l, e)| (*u, *l, e.as_str())).collect();
    let project = read(&mspdi(&tasks(&rows)));
    let constraints: Vec<(ConstraintKind, Option<DateTime>)> = project
        .tasks
        .iter()
        .map(|t| (t.constraint.kind, t.constraint.date))
        .collect();
    let on = Some(at(2027, 3, 1, 8, 0));
    use ConstraintKind::*;
    assert_eq!(
        constraints,
        [
            // A date saved beside ASAP or ALAP means nothing.
            (AsSoonAsPossible, None),
            (AsLateAsPossible, None),
            (MustStartOn, on),
            (MustFinishOn, on),
            (StartNoEarlierThan, on),
            (StartNoLaterThan, on),
            (FinishNoEarlierThan, on),
            (FinishNoLaterThan, on),
        ]
    );
}

#[test]
fn progress_and_manual_tasks() {
    let project = read(&mspdi(&tasks(&[
        (
            1,
            1,
            "<ActualStart>2027-01-04T08:00:00</ActualStart>\
             <ActualFinish>2027-01-04T17:00:00</ActualFinish><PercentComplete>100</PercentComplete>",
        ),
        (
            2,
            1,
            "<ActualStart>2027-01-05T08:00:00</ActualStart><PercentComplete>40</PercentComplete>",
        ),
        (
            3,
            1,
            "<Manual>1</Manual><Start>2027-02-01T08:00:00</Start><Finish>2027-02-03T17:00:00</Finish>",
        ),
        (4, 1, "<Manual>0</Manual><Start>2027-02-01T08:00:00</Start>"),
        // A summary's progress and dates are roll-ups of its children.
        (
            5,
            1,
            "<Manual>1</Manual><Start>2027-02-01T08:00:00</Start><Finish>2027-02-01T17:00:00</Finish><PercentComplete>50</PercentComplete><ActualStart>2027-02-01T08:00:00</ActualStart>",
        ),
        (6, 2, ""),
    ])));
    let t = &project.tasks;
    assert_eq!(t[0].progress.percent_complete, 100);
    assert_eq!(t[0].progress.actual_finish, Some(at(2027, 1, 4, 17, 0)));
    assert_eq!(t[1].progress.actual_start, Some(at(2027, 1, 5, 8, 0)));
    assert_eq!(t[1].progress.actual_finish, None);
    assert_eq!(t[1].progress.percent_complete, 40);
    assert_eq!(
        t[2].manual,
        Some(ManualDates {
            start: at(2027, 2, 1, 8, 0),
            finish: at(2027, 2, 3, 17, 0)
        })
    );
    assert_eq!(t[3].manual, None);
    assert_eq!(t[4].manual, None);
    assert!(t[4].progress.is_empty());
}

/// Link types, and lags in every unit: working and elapsed time in tenths of a minute, percent
/// as a whole percent; negative lags are leads.
#[test]
fn links_and_lags() {
    let link = |pred: i64, kind: i64, lag: i64, format: i64| {
        format!(
            "<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>{kind}</Type>\
             <CrossProject>0</CrossProject><LinkLag>{lag}</LinkLag><LagFormat>{format}</LagFormat>\
             </PredecessorLink>"
        )
    };
    let successor = [
        link(1, 1, 4800, 7),
        link(2, 3, -4800, 7),
        link(3, 0, 14400, 8),
        link(4, 2, 600, 5),
        link(1, 1, 50, 19),
        link(2, 1, 25, 20),
        link(3, 1, 12000, 10),
        "<PredecessorLink><PredecessorUID>4</PredecessorUID></PredecessorLink>".to_owned(),
        // Another project's task: nothing to link to here.
        "<PredecessorLink><PredecessorUID>99</PredecessorUID><CrossProject>1</CrossProject>\
         </PredecessorLink>"
            .to_owned(),
    ]
    .concat();
    let project = read(&mspdi(&tasks(&[
        (1, 1, ""),
        (2, 1, ""),
        (3, 1, ""),
        (4, 1, ""),
        (5, 1, &successor),
    ])));
    let links: Vec<(u32, LinkKind, Lag)> = project
        .links
        .iter()
        .inspect(|l| assert_eq!(l.succ, TaskId(4)))
        .map(|l| (l.pred.0, l.kind, l.lag))
        .collect();
    use LinkKind::*;
    assert_eq!(
        links,
        [
            (0, FinishToStart, Lag::Working(480)),
            (1, StartToStart, Lag::Working(-480)),
            (2, FinishToFinish, Lag::Elapsed(1440)),
            (3, StartToFinish, Lag::Working(60)),
            (0, FinishToStart, Lag::Percent(50)),
            // The model's percent lags are of working time; an elapsed percent becomes one.
            (1, FinishToStart, Lag::Percent(25)),
            (2, FinishToStart, Lag::Elapsed(1200)),
            (3, FinishToStart, Lag::Working(0)),
        ]
    );
}

/// Project 2003 style: week days by `DayType`, exceptions as `DayType` 0 with a period; a
/// derived (resource) calendar inherits what it does not say.
#[test]
fn calendars_in_the_project_2003_style() {
    let project = read(&mspdi(
        "<CalendarUID>1</CalendarUID><Calendars>\
         <Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>\
         <BaseCalendarUID>-1</BaseCalendarUID><WeekDays>\
         <WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>\
         <WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes>\
           <WorkingTime><FromTime>07:00:00</FromTime><ToTime>15:00:00</ToTime></WorkingTime>\
         </WorkingTimes></WeekDay>\
         <WeekDay><DayType>7</DayType><DayWorking>1</DayWorking><WorkingTimes>\
           <WorkingTime><FromTime>22:00:00</FromTime><ToTime>00:00:00</ToTime></WorkingTime>\
         </WorkingTimes></WeekDay>\
         <WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>\
           <FromDate>2027-12-24T00:00:00</FromDate><ToDate>2027-12-26T23:59:00</ToDate>\
         </TimePeriod></WeekDay>\
         <WeekDay><DayType>0</DayType><DayWorking>1</DayWorking><TimePeriod>\
           <FromDate>2027-12-31T00:00:00</FromDate><ToDate>2027-12-31T23:59:00</ToDate>\
         </TimePeriod><WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>\
         </WeekDays></Calendar>\
         <Calendar><UID>2</UID><Name>Ann</Name><IsBaseCalendar>0</IsBaseCalendar>\
         <BaseCalendarUID>1</BaseCalendarUID><WeekDays>\
         <WeekDay><DayType>6</DayType><DayWorking>0</DayWorking></WeekDay>\
         </WeekDays></Calendar>\
         <Calendar><UID>5</UID><Name>Orphan</Name><IsBaseCalendar>0</IsBaseCalendar>\
         <BaseCalendarUID>42</BaseCalendarUID></Calendar>\
         </Calendars>",
    ));
    let standard = &project.calendars[0];
    assert_eq!(standard.uid, "1");
    assert_eq!(standard.week[0], Some(vec![Shift::new(7, 0, 15, 0)]));
    assert_eq!(standard.week[5], Some(vec![Shift::new(22, 0, 24, 0)]));
    assert_eq!(standard.week[6], Some(vec![]));
    // Days a base calendar leaves out are MS Project's default ones.
    assert_eq!(
        standard.week[1],
        Some(vec![Shift::new(8, 0, 12, 0), Shift::new(13, 0, 17, 0)])
    );
    assert_eq!(
        standard.exceptions,
        [
            Exception {
                name: String::new(),
                dates: DateRule::Range {
                    from: day(2027, 12, 24),
                    to: day(2027, 12, 26)
                },
                shifts: vec![]
            },
            Exception {
                name: String::new(),
                dates: DateRule::Range {
                    from: day(2027, 12, 31),
                    to: day(2027, 12, 31)
                },
                shifts: vec![Shift::new(8, 0, 12, 0)]
            }
        ]
    );
    let ann = &project.calendars[1];
    assert_eq!(ann.base, Some(CalendarId(0)));
    assert_eq!(ann.week[4], Some(vec![]));
    assert_eq!(ann.week[0], None);
    // A base that is not in the file: the project calendar.
    assert_eq!(project.calendars[2].base, Some(CalendarId(0)));
}

/// Project 2007+ style: `<Exceptions>` with recurrences (the `DayType` 0 days beside them are
/// their expansion and are not read twice), and work weeks.
#[test]
fn calendars_in_the_project_2007_style() {
    let exception = |name: &str, from: &str, to: &str, fields: &str| {
        format!(
            "<Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>\
             <FromDate>{from}T00:00:00</FromDate><ToDate>{to}T23:59:00</ToDate></TimePeriod>\
             <Name>{name}</Name>{fields}</Exception>"
        )
    };
    let exceptions = [
        exception("Holidays", "2027-12-24", "2027-12-31", "<Type>1</Type><DayWorking>0</DayWorking>"),
        exception(
            "Christmas",
            "2027-01-01",
            "2035-12-31",
            "<Type>2</Type><Month>11</Month><MonthDay>25</MonthDay><DayWorking>0</DayWorking>",
        ),
        exception(
            "Thanksgiving",
            "2027-01-01",
            "2030-12-31",
            "<Type>3</Type><Month>10</Month><MonthItem>7</MonthItem><MonthPosition>3</MonthPosition>",
        ),
        exception(
            "Summer Fridays",
            "2027-07-01",
            "2027-08-31",
            "<Type>6</Type><Period>1</Period><DaysOfWeek>32</DaysOfWeek><DayWorking>1</DayWorking>\
             <WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes>",
        ),
        exception(
            "Last Monday",
            "2027-01-01",
            "2027-03-31",
            "<Type>5</Type><Period>1</Period><MonthItem>4</MonthItem><MonthPosition>4</MonthPosition>",
        ),
    ]
    .concat();
    let project = read(&mspdi(&format!(
        "<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>\
         <WeekDays>\
         <WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>\
         <FromTime>08:00:00</FromTime><ToTime>16:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>\
         <WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>\
         <FromDate>2027-12-24T00:00:00</FromDate><ToDate>2027-12-31T23:59:00</ToDate></TimePeriod></WeekDay>\
         </WeekDays>\
         <Exceptions>{exceptions}</Exceptions>\
         <WorkWeeks><WorkWeek><TimePeriod><FromDate>2027-06-01T00:00:00</FromDate>\
         <ToDate>2027-06-30T23:59:00</ToDate></TimePeriod><Name>June</Name><WeekDays>\
         <WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>\
         <FromTime>06:00:00</FromTime><ToTime>14:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>\
         <WeekDay><DayType>3</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>\
         <FromTime>06:00:00</FromTime><ToTime>14:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>\
         <WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>\
         </WeekDays></WorkWeek></WorkWeeks>\
         </Calendar></Calendars>"
    )));
    let rules: Vec<(&str, &DateRule, usize)> = project.calendars[0]
        .exceptions
        .iter()
        .map(|e| (e.name.as_str(), &e.dates, e.shifts.len()))
        .collect();
    assert_eq!(
        rules,
        [
            // The work week first, so that exceptions win over it.
            (
                "June",
                &DateRule::Weekly {
                    weekdays: vec![Weekday::Monday, Weekday::Tuesday],
                    from: day(2027, 6, 1),
                    to: day(2027, 6, 30)
                },
                1
            ),
            (
                "June",
                &DateRule::Weekly {
                    weekdays: vec![Weekday::Sunday],
                    from: day(2027, 6, 1),
                    to: day(2027, 6, 30)
                },
                0
            ),
            (
                "Holidays",
                &DateRule::Range {
                    from: day(2027, 12, 24),
                    to: day(2027, 12, 31)
                },
                0
            ),
            (
                "Christmas",
                &DateRule::Yearly {
                    month: 12,
                    day: YearlyDay::Day(25),
                    from_year: Some(2027),
                    to_year: Some(2035)
                },
                0
            ),
            (
                "Thanksgiving",
                &DateRule::Yearly {
                    month: 11,
                    day: YearlyDay::Nth {
                        n: 4,
                        weekday: Weekday::Thursday
                    },
                    from_year: Some(2027),
                    to_year: Some(2030)
                },
                0
            ),
            (
                "Summer Fridays",
                &DateRule::Weekly {
                    weekdays: vec![Weekday::Friday],
                    from: day(2027, 7, 1),
                    to: day(2027, 8, 31)
                },
                1
            ),
            (
                "Last Monday",
                &DateRule::Range {
                    from: day(2027, 1, 25),
                    to: day(2027, 1, 25)
                },
                0
            ),
            (
                "Last Monday",
                &DateRule::Range {
                    from: day(2027, 2, 22),
                    to: day(2027, 2, 22)
                },
                0
            ),
            (
                "Last Monday",
                &DateRule::Range {
                    from: day(2027, 3, 29),
                    to: day(2027, 3, 29)
                },
                0
            ),
        ]
    );
}

#[test]
fn resources_and_assignments() {
    let project = read(&mspdi(&format!(
        "<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar></Calendar>\
         <Calendar><UID>4</UID><Name>Ann</Name><IsBaseCalendar>0</IsBaseCalendar><BaseCalendarUID>1</BaseCalendarUID></Calendar>\
         </Calendars>{}\
         <Resources>\
         <Resource><UID>0</UID><ID>0</ID><Type>1</Type><CalendarUID>2</CalendarUID></Resource>\
         <Resource><UID>1</UID><Name>Ann</Name><Type>1</Type><MaxUnits>0.5</MaxUnits>\
           <StandardRate>62.5</StandardRate><OvertimeRate>90</OvertimeRate><CostPerUse>10500</CostPerUse>\
           <CalendarUID>4</CalendarUID><EmailAddress>ann@example.com</EmailAddress><Group>Ops</Group></Resource>\
         <Resource><UID>2</UID><Name>Cable</Name><Type>0</Type><StandardRate>3.25</StandardRate></Resource>\
         <Resource><UID>3</UID><Name>Travel</Name><Type>1</Type><IsCostResource>1</IsCostResource></Resource>\
         </Resources>\
         <Assignments>\
         <Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID><Units>0.5</Units><Work>PT4H0M0S</Work></Assignment>\
         <Assignment><UID>2</UID><TaskUID>1</TaskUID><ResourceUID>2</ResourceUID><Units>40</Units></Assignment>\
         <Assignment><UID>3</UID><TaskUID>1</TaskUID><ResourceUID>-65535</ResourceUID></Assignment>\
         <Assignment><UID>4</UID><TaskUID>0</TaskUID><ResourceUID>1</ResourceUID></Assignment>\
         </Assignments>",
        tasks(&[(0, 0, ""), (1, 1, ""), (2, 1, "")])
    )));
    let resources: Vec<(&str, ResourceKind, u32, Option<CalendarId>)> = project
        .resources
        .iter()
        .map(|r| (r.name.as_str(), r.kind, r.max_units, r.calendar))
        .collect();
    assert_eq!(
        resources,
        [
            ("Ann", ResourceKind::Work, 50, Some(CalendarId(1))),
            ("Cable", ResourceKind::Material, 100, None),
            ("Travel", ResourceKind::Cost, 100, None),
        ]
    );
    let ann = &project.resources[0];
    assert_eq!(ann.uid, "1");
    assert_eq!(
        (ann.rates.standard, ann.rates.overtime, ann.rates.per_use),
        (Money(6250), Money(9000), Money(10500))
    );
    assert_eq!(ann.email.as_deref(), Some("ann@example.com"));
    assert_eq!(ann.group.as_deref(), Some("Ops"));
    assert_eq!(project.resources[1].rates.standard, Money(325));
    let assignments: Vec<(u32, u32, u32, Option<i64>)> = project
        .assignments
        .iter()
        .map(|a| (a.task.0, a.resource.0, a.units, a.work))
        .collect();
    // In task order; MS Project's "no resource" and the project summary's are dropped.
    assert_eq!(assignments, [(0, 1, 4000, None), (1, 0, 50, None)]);
}

/// A split task: the runs of its timephased work without work in working time are its
/// pauses, wherever the file put them (remaining or actual work, an assignment to no resource);
/// empty nights, weekends and a built-in contour's rounding are not.
#[test]
fn split_tasks_from_timephased_work() {
    let run = |kind: u8, start: &str, finish: &str, value: &str| {
        format!(
            "<TimephasedData><Type>{kind}</Type><UID>1</UID><Start>2027-01-{start}:00</Start>\
             <Finish>2027-01-{finish}:00</Finish><Unit>2</Unit>{value}</TimephasedData>"
        )
    };
    let work = |hours: u32| format!("<Value>PT{hours}H0M0S</Value>");
    let assignment = |task: u32, contour: u8, runs: &[String]| {
        format!(
            "<Assignment><UID>{task}</UID><TaskUID>{task}</TaskUID><ResourceUID>-65535</ResourceUID>\
             <WorkContour>{contour}</WorkContour>{}</Assignment>",
            runs.concat()
        )
    };
    let project = read(&mspdi(&format!(
        "{}<Assignments>{}{}{}{}</Assignments>",
        tasks(&[
            (1, 1, "<Duration>PT44H0M0S</Duration>"),
            (2, 1, ""),
            (3, 1, ""),
            (4, 1, "<DurationFormat>8</DurationFormat>")
        ]),
        // Two days of work, Wednesday off, a weekend without work, two more days: one pause
        // of a day after 16 hours; then another of half a day.
        assignment(
            1,
            0,
            &[
                run(2, "04T08:00", "05T17", &work(16)),
                run(2, "06T08:00", "06T17", ""),
                run(1, "07T08:00", "08T17", &work(16)),
                run(1, "09T08:00", "10T17", "<Value>PT0H0M0S</Value>"),
                run(1, "11T08:00", "11T12", &work(4)),
                run(1, "11T13:00", "11T17", ""),
                run(1, "12T08:00", "12T17", &work(8)),
            ]
        ),
        // Work on every working day, nothing over the weekend: no pause.
        assignment(
            2,
            0,
            &[
                run(1, "07T08:00", "08T17", &work(16)),
                run(1, "08T17:00", "11T08", ""),
                run(1, "11T08:00", "11T17", &work(8)),
            ]
        ),
        // A front-loaded contour's empty runs are rounding.
        assignment(
            3,
            1,
            &[
                run(1, "04T08:00", "04T17", &work(8)),
                run(1, "05T08:00", "05T17", ""),
                run(1, "06T08:00", "06T17", &work(1)),
            ]
        ),
        // An elapsed task runs on the clock: no pause of working time.
        assignment(
            4,
            0,
            &[
                run(1, "04T08:00", "04T17", &work(8)),
                run(1, "05T08:00", "05T17", ""),
                run(1, "06T08:00", "06T17", &work(8)),
            ]
        ),
    )));
    let splits: Vec<Vec<(i64, i64)>> = project
        .tasks
        .iter()
        .map(|task| task.splits.iter().map(|s| (s.after, s.pause)).collect())
        .collect();
    assert_eq!(
        splits,
        [
            vec![(16 * 60, 8 * 60), (36 * 60, 4 * 60)],
            vec![],
            vec![],
            vec![]
        ]
    );
    assert!(project.tasks[3].duration.elapsed);
}

/// Unknown elements anywhere are passed over, comments and processing instructions too.
#[test]
fn unknown_elements_are_skipped() {
    let project = read(&mspdi(
        "<!-- a comment --><?pi x?><Extensions><Anything><Deep><Deeper>x</Deeper></Deep></Anything></Extensions>\
         <Tasks><Task><UID>1</UID><Name>A</Name><Baseline><Number>0</Number><Start>bad</Start></Baseline>\
         <ExtendedAttribute><FieldID>1</FieldID><Value>&lt;x&gt;</Value></ExtendedAttribute>\
         <Duration>PT8H0M0S</Duration></Task><Unknown/></Tasks>",
    ));
    assert_eq!(project.tasks.len(), 1);
    assert_eq!(project.tasks[0].duration.minutes, 480);
}

/// A cycle is imported; the engine reports it, naming the tasks.
#[test]
fn a_cycle_imports_and_the_engine_reports_it() {
    let pred =
        |uid| format!("<PredecessorLink><PredecessorUID>{uid}</PredecessorUID></PredecessorLink>");
    let project = read(&mspdi(&tasks(&[
        (1, 1, &pred(3)),
        (2, 1, &pred(1)),
        (3, 1, &pred(2)),
    ])));
    assert_eq!(project.links.len(), 3);
    let error = regie_core::schedule(&project).unwrap_err();
    assert_eq!(error.to_string(), "dependency cycle: T1 → T2 → T3 → T1");
}

#[test]
fn errors_name_the_element_and_its_place() {
    check_error(
        &mspdi("<Tasks>\n<Task><Name>no uid</Name></Task></Tasks>"),
        expect!["test.xml:5:1: <Task> has no <UID>"],
    );
    check_error(
        &mspdi(&tasks(&[(
            1,
            1,
            "<PredecessorLink><Type>1</Type></PredecessorLink>",
        )])),
        expect!["test.xml:5:127: <PredecessorLink> has no <PredecessorUID>"],
    );
    check_error(
        &mspdi(&tasks(&[(
            1,
            1,
            "<PredecessorLink><PredecessorUID>8</PredecessorUID></PredecessorLink>",
        )])),
        expect![
            "test.xml:5:144: <PredecessorUID> names the task with UID 8, which is not in the file"
        ],
    );
    check_error(
        &mspdi(&tasks(&[(1, 1, ""), (2, 1, ""), (1, 2, "")])),
        expect!["test.xml:7:7: two tasks have the UID 1 (the first is at line 5)"],
    );
    check_error(
        &mspdi(&tasks(&[(1, 1, "<ConstraintType>9</ConstraintType>")])),
        expect![[
            r#"test.xml:5:127: <ConstraintType> holds "9"; expected a constraint type from 0 to 7"#
        ]],
    );
    check_error(
        &mspdi(&tasks(&[(1, 1, "<Deadline>next week</Deadline>")])),
        expect![[
            r#"test.xml:5:127: <Deadline> holds "next week"; expected a local date and time such as 2027-03-01T08:00:00"#
        ]],
    );
    check_error(
        &mspdi(&tasks(&[(
            1,
            1,
            "<Deadline>2027-03-01T08:00:00+01:00</Deadline>",
        )])),
        expect![[
            r#"test.xml:5:127: <Deadline> holds "2027-03-01T08:00:00+01:00"; expected a local date and time such as 2027-03-01T08:00:00"#
        ]],
    );
    check_error(
        &mspdi(
            "<Assignments><Assignment><TaskUID>1</TaskUID><ResourceUID>5</ResourceUID></Assignment></Assignments>",
        ),
        expect!["test.xml:4:26: <TaskUID> names the task with UID 1, which is not in the file"],
    );
    check_error(
        &mspdi(&format!(
            "{}<Assignments><Assignment><TaskUID>1</TaskUID><ResourceUID>5</ResourceUID></Assignment></Assignments>",
            tasks(&[(1, 1, "")])
        )),
        expect![
            "test.xml:6:54: <ResourceUID> names the resource with UID 5, which is not in the file"
        ],
    );
    check_error(
        &mspdi(
            "<Calendars><Calendar><UID>1</UID><WeekDays><WeekDay><DayType>2</DayType><WorkingTimes>\
                <WorkingTime><FromTime>17:00:00</FromTime><ToTime>08:00:00</ToTime></WorkingTime>\
                </WorkingTimes></WeekDay></WeekDays></Calendar></Calendars>",
        ),
        expect![[
            r#"test.xml:4:87: <WorkingTime> holds "17:00-08:00"; expected a FromTime before the ToTime (a ToTime of 00:00:00 is midnight)"#
        ]],
    );
    check_error(
        "<Project xmlns=\"http://schemas.microsoft.com/project\"><Name>x</Name></Project>",
        expect!["test.xml:1:1: <Project> has no <StartDate>"],
    );
    check_error(
        "<?xml version=\"1.0\"?>\n<project name=\"gantt\"/>",
        expect!["test.xml:2:1: the root element is <project>, not MS Project's <Project>"],
    );
    check_error(
        "<Project xmlns=\"urn:other\"/>",
        expect![[
            r#"test.xml:1:1: <Project> is in the namespace "urn:other", not MS Project's "http://schemas.microsoft.com/project""#
        ]],
    );
    check_error(
        &mspdi("<Tasks><Task><UID>1</UID></Tasks>"),
        expect![
            "test.xml:4:26: XML syntax error: ill-formed document: expected `</Task>`, but `</Tasks>` was found"
        ],
    );
    check_error("", expect!["test.xml:1:1: the file has no root element"]);
    check_error(
        &mspdi(&tasks(&[(1, 1, "<Work>P99999999Y</Work><Type>2</Type>")])),
        expect![[
            r#"test.xml:5:127: <Work> holds "P99999999YT0M"; expected a duration within a plan's lifetime"#
        ]],
    );
}
