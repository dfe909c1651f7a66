//! `parse(print(p)) == p`: on the example, on snippets that use every feature, and on many
//! generated projects.

use jiff::civil::{Date, DateTime, Weekday};
use regie_core::calendar::{Calendar, DateRule, Exception, Shift, YearlyDay};
use regie_core::{
    Anchor, Assignment, CalendarId, Constraint, ConstraintKind, Duration, Lag, Link, LinkKind,
    ManualDates, Money, Progress, Project, Rates, Resource, ResourceId, ResourceKind, Task, TaskId,
    TaskType, Units,
};

use crate::example::EXAMPLE;
use crate::parse_ok;

#[track_caller]
fn assert_round_trip(project: &Project) {
    let printed = regie_lang::print(project);
    let reparsed = match regie_lang::parse("printed.kdl", &printed) {
        Ok(parsed) => parsed.project,
        Err(diagnostics) => panic!("printed text does not parse:\n{diagnostics}\n{printed}"),
    };
    if reparsed != *project {
        panic!(
            "round trip changed the project\n--- printed:\n{printed}\n--- before:\n{project:#?}\n--- after:\n{reparsed:#?}"
        );
    }
    // Printing is canonical: the printed text prints the same again.
    assert_eq!(regie_lang::print(&reparsed), printed);
}

#[test]
fn the_example() {
    assert_round_trip(&parse_ok(EXAMPLE).project);
}

#[test]
fn snippets_using_every_feature() {
    let snippets = [
        // A finish anchor with a date only, status date with a time, all the settings.
        "project \"Backward\" {\n finish \"2027-06-30\"\n status-date \"2027-03-01T12:30\"\n time-zone \"America/New_York\"\n currency \"USD\"\n minutes-per-day 450\n minutes-per-week 2250\n days-per-month 21\n honor-constraints #false\n}\ntask \"a\" \"A\" duration=\"1.5d\" work=\"7.5h\"\n",
        // Durations of every unit, elapsed ones included.
        "project \"D\" { start \"2027-01-04T08:00\"; }\ntask \"m\" duration=\"90m\"\ntask \"h\" duration=\"4h\"\ntask \"w\" duration=\"2w\"\ntask \"mo\" duration=\"1mo\"\ntask \"em\" duration=\"45em\"\ntask \"ed\" duration=\"3ed\"\ntask \"ew\" duration=\"1ew\"\ntask \"emo\" duration=\"1emo\"\ntask \"zero\" duration=\"0ed\"\n",
        // Every link type and kind of lag; several predecessors in one `after`.
        "project \"L\" { start \"2027-01-04\"; }\ntask \"a\" duration=\"2d\"\ntask \"b\" duration=\"2d\"\ntask \"c\" duration=\"1d\" {\n after \"a\" \"b\"\n}\ntask \"d\" {\n after \"a\" type=\"SS\" lag=\"2d\"\n after \"b\" type=\"ff\" lag=\"-4h\"\n after \"c\" type=\"SF\" lag=\"25%\"\n}\ntask \"e\" {\n after \"d\" lag=\"3ed\"\n after \"c\" lag=\"-50%\"\n}\n",
        // Constraints of every kind, short codes, date-times.
        "project \"C\" { start \"2027-01-04\"; }\ntask \"a\" { constraint \"asap\"; }\ntask \"b\" { constraint \"as-late-as-possible\"; }\ntask \"c\" { constraint \"snet\" \"2027-01-11\"; }\ntask \"d\" { constraint \"snlt\" \"2027-01-11T13:00\"; }\ntask \"e\" { constraint \"fnet\" \"2027-01-11\"; }\ntask \"f\" { constraint \"fnlt\" \"2027-01-11T17:00\"; }\ntask \"g\" { constraint \"mso\" \"2027-01-11\"; }\ntask \"h\" { constraint \"MFO\" \"2027-01-12\"; }\n",
        // Calendars: inheritance, 24 hours, every exception rule.
        "project \"Cal\" {\n start \"2027-01-04\"\n calendar \"night\"\n}\ncalendar \"base\" {\n week \"mon-wed,fri\" \"08:00-12:00\" \"13:00-17:00\"\n week \"thu\" \"08:00-12:00\"\n week \"sat,sun\"\n holiday \"Christmas\" yearly=\"12-25\"\n holiday \"Thanksgiving\" yearly=\"4th thu nov\" from-year=2027 to-year=2030\n holiday \"Memorial\" yearly=\"last mon may\" from-year=2027\n holiday \"Summer Fridays\" weekly=\"fri,mon\" from=\"2027-07-01\" to=\"2027-08-31\"\n work \"Saturday release\" date=\"2027-03-06\" \"09:00-13:00\"\n vacation from=\"2027-04-01\" to=\"2027-04-02\"\n}\ncalendar \"night\" name=\"Night shift\" base=\"base\" {\n week \"mon-fri\" \"00:00-06:00\" \"22:00-24:00\"\n}\ncalendar \"24h\" twenty-four-hours=#true\ntask \"a\" calendar=\"24h\" duration=\"10h\"\n",
        // Resources of every kind, with and without their own calendars.
        "project \"R\" { start \"2027-01-04\"; }\ncalendar \"std\"\ncalendar \"part-time\" base=\"std\" {\n week \"wed\"\n}\nresource \"ana\" name=\"Ana Lima\" group=\"DBA\" rate=\"85.00\" overtime-rate=110.5 cost-per-use=12 email=\"ana@example.com\" max-units=\"50%\" {\n vacation from=\"2027-03-01\" to=\"2027-03-12\"\n holiday \"Doctor\" date=\"2027-02-02\"\n}\nresource \"bob\" calendar=\"part-time\" {\n vacation \"Ski\" from=\"2027-02-08\" to=\"2027-02-12\"\n work \"Weekend\" date=\"2027-02-13\" \"10:00-14:00\"\n}\nresource \"carl\" calendar=\"part-time\"\nresource \"licences\" kind=\"material\" rate=12.99\nresource \"travel\" kind=\"cost\" max-units=250\ntask \"a\" duration=\"5d\" {\n assign \"ana\" \"bob\" units=\"50%\"\n assign \"carl\" work=\"16h\"\n assign \"licences\" units=300\n}\n",
        // Task properties, notes over several lines, milestones, nesting, forward references.
        // Progress and manual scheduling: every shape the file allows, dates alone and with times.
        "project \"P\" { start \"2027-01-04\"; }\ntask \"done\" duration=\"5d\" {\n progress 100 actual-start=\"2027-01-04T08:00\" actual-finish=\"2027-01-08\"\n}\ntask \"doing\" duration=\"5d\" {\n progress \"40%\" actual-start=\"2027-01-11\"\n manual start=\"2027-01-11\" finish=\"2027-01-15T17:00\"\n}\ntask \"begun\" duration=\"1d\" {\n progress \"0%\" actual-start=\"2027-01-12T13:30\"\n}\ntask \"pinned\" duration=\"2d\" {\n manual start=\"2027-02-01\" finish=\"2027-02-01\"\n}\nmilestone \"g1\" {\n progress \"100%\" actual-finish=\"2027-01-15\"\n manual start=\"2027-01-15T17:00\"\n}\nmilestone \"g2\" {\n progress \"100%\" actual-start=\"2027-01-16\" actual-finish=\"2027-01-15\"\n manual start=\"2027-01-16\" finish=\"2027-01-15\"\n}\nmilestone \"g3\" {\n manual finish=\"2027-01-29\"\n}\n",
        "project \"T\" { start \"2027-01-04\"; }\ntask \"phase\" \"Phase 1\" priority=900 deadline=\"2027-02-26T12:00\" {\n after \"later\"\n task \"x\" \"Fixed\" duration=\"3d\" type=\"fixed-duration\" effort-driven=#false\n task \"y\" \"Work\" work=\"40h\" type=\"fixed-work\" {\n  note \"line one\"\n  note \"\"\n  note \"line \\\"three\\\"\\twith a tab\"\n }\n milestone \"g\" \"Gate\" deadline=\"2027-02-26\" {\n  after \"x\" \"y\"\n }\n}\ntask \"later\" \"Later\" duration=\"0d\"\n",
        // Odd but valid text: unicode, escapes, raw strings, multi-line strings, slashdash.
        "project #\"Raw \"quoted\" name\"# { start \"2027-01-04\"; }\ntask \"ü\" \"名前 \\u{1F600}\" {\n note \"\"\"\n    first\n      second\n    \"\"\"\n /- note \"commented out\"\n}\n",
        // The implicit Standard calendar with a resource on vacation.
        "project \"S\" { start \"2027-01-04\"; }\nresource \"ana\" {\n vacation date=\"2027-01-05\"\n}\n",
        // The implicit Standard next to declared calendars, with resources on vacation on top of
        // it and on top of a declared one.
        "project \"S\" { start \"2027-01-04\"; }\ncalendar \"24h\" twenty-four-hours=#true\ncalendar \"half\" base=\"24h\" {\n week \"sat,sun\"\n}\nresource \"ana\" {\n vacation date=\"2027-01-05\"\n}\nresource \"bob\" calendar=\"half\" {\n vacation date=\"2027-01-06\"\n}\nresource \"eve\" calendar=\"24h\"\ntask \"a\" calendar=\"half\" duration=\"1d\"\n",
        // A declared calendar with Standard's hours and name, named as the project calendar.
        "project \"N\" { start \"2027-01-04\"; calendar \"standard\"; }\ncalendar \"standard\" name=\"Standard\" {\n week \"mon-fri\" \"08:00-12:00\" \"13:00-17:00\"\n week \"sat,sun\"\n}\nresource \"ana\" calendar=\"standard\" {\n vacation date=\"2027-01-05\"\n}\n",
    ];
    for snippet in snippets {
        let parsed = parse_ok(snippet);
        assert_round_trip(&parsed.project);
    }
}

#[test]
fn models_built_in_code() {
    // `Project::new`'s Standard is the implicit one: calendars added after it are printed with
    // their uids, and the project calendar stays Standard.
    let start = jiff::civil::date(2027, 1, 4).at(8, 0, 0, 0);
    let mut project = Project::new("Built", start);
    let mut night = Calendar::twenty_four_hours("Round the clock");
    night.uid = "24h".to_owned();
    project.calendars.push(night);
    let mut task = Task::new("a", "Alpha");
    task.calendar = Some(CalendarId(1));
    project.tasks.push(task);
    assert_round_trip(&project);

    // The built-in Standard calendar named by a task must be printed, so the name resolves. It
    // has no uid to print, so it gets an id made from its name, which comes back as its uid:
    // the one change a round trip makes (a file has no way to name a calendar without an id).
    let mut project = Project::new("Built", start);
    let mut task = Task::new("a", "Alpha");
    task.calendar = Some(CalendarId(0));
    project.tasks.push(task);
    let printed = regie_lang::print(&project);
    let reparsed = parse_ok(&printed).project;
    let mut expected = project.clone();
    expected.calendars[0].uid = "standard".to_owned();
    assert_eq!(reparsed, expected, "{printed}");
    assert_round_trip(&reparsed);

    // Strings that KDL cannot hold literally.
    let mut project = Project::new(
        "Control \u{0}\u{7}\u{1b}\u{7f}\u{85}\u{2028}\u{200e}\u{feff} \\ \" #",
        start,
    );
    project
        .tasks
        .push(Task::new("\u{1}id", "name\r\nwith CRLF"));
    assert_round_trip(&project);
}

#[test]
fn generated_projects() {
    // How often each shape of progress and manual dates came up, so that the generator is known
    // to reach them: started, finished, a milestone reached (finish alone), manual, manual
    // milestone.
    let mut seen = [0usize; 5];
    for seed in 1..=400u64 {
        let project = generate(seed);
        assert_round_trip(&project);
        for task in &project.tasks {
            let progress = task.progress;
            seen[0] +=
                usize::from(progress.actual_start.is_some() && progress.actual_finish.is_none());
            seen[1] +=
                usize::from(progress.actual_start.is_some() && progress.actual_finish.is_some());
            seen[2] +=
                usize::from(progress.actual_start.is_none() && progress.actual_finish.is_some());
            seen[3] += usize::from(task.manual.is_some() && !task.milestone);
            seen[4] += usize::from(task.manual.is_some() && task.milestone);
        }
    }
    assert!(seen.iter().all(|&n| n >= 10), "{seen:?}");
}

// ---------------------------------------------------------------------------------------------
// A small deterministic generator of valid projects.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "a", "b", "Z", " ", "-", "_", "1", "é", "ß", "名", "😀", "\"", "\\", "#", "{", "}",
            "/", "=", ";", "\n", "\t", "\r", "\u{0}", "\u{7f}", "\u{85}", "\u{2028}", "\u{feff}",
            "\u{202e}", "Vacation", "true", "null",
        ];
        let len = self.below(8);
        (0..len).map(|_| *self.pick(PIECES)).collect()
    }
    fn date(&mut self) -> Date {
        let days = self.range(0, 365 * 3);
        jiff::civil::date(2026, 1, 1)
            .checked_add(jiff::Span::new().days(days))
            .unwrap()
    }
    fn datetime(&mut self) -> DateTime {
        let date = self.date();
        if self.chance(40) {
            date.at(0, 0, 0, 0)
        } else {
            date.at(self.range(0, 23) as i8, self.range(0, 59) as i8, 0, 0)
        }
    }
    fn shifts(&mut self) -> Vec<Shift> {
        let mut shifts = Vec::new();
        let mut at = 0u16;
        for _ in 0..self.below(4) {
            let start = at + self.range(0, 300) as u16;
            let end = start + self.range(1, 400) as u16;
            if end > 1440 {
                break;
            }
            shifts.push(Shift { start, end });
            at = end;
        }
        shifts
    }
    fn weekdays(&mut self) -> Vec<Weekday> {
        let mut all = [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ];
        for i in (1..7).rev() {
            let j = self.below(i as u64 + 1) as usize;
            all.swap(i, j);
        }
        all[..self.range(1, 7) as usize].to_vec()
    }
    fn exception(&mut self) -> Exception {
        let from = self.date();
        let to = from
            .checked_add(jiff::Span::new().days(self.range(0, 30)))
            .unwrap();
        let dates = match self.below(3) {
            0 => DateRule::Range { from, to },
            1 => {
                let month = self.range(1, 12) as i8;
                let day = if self.chance(50) {
                    YearlyDay::Day(self.range(1, 28) as i8)
                } else {
                    YearlyDay::Nth {
                        n: *self.pick(&[1, 2, 3, 4, -1]),
                        weekday: self.weekdays()[0],
                    }
                };
                let from_year = self.chance(50).then(|| self.range(2026, 2028) as i16);
                let to_year = self.chance(50).then(|| self.range(2028, 2030) as i16);
                DateRule::Yearly {
                    month,
                    day,
                    from_year,
                    to_year,
                }
            }
            _ => DateRule::Weekly {
                weekdays: self.weekdays(),
                from,
                to,
            },
        };
        let shifts = if self.chance(30) {
            self.shifts()
        } else {
            Vec::new()
        };
        Exception {
            name: self.text(),
            dates,
            shifts,
        }
    }
    fn minutes(&mut self, units: &Units) -> i64 {
        match self.below(3) {
            0 => self.range(0, 2000),
            1 => self.range(0, 40) * 60,
            _ => self.range(0, 40) * i64::from(units.minutes_per_day),
        }
    }
}

fn generate(seed: u64) -> Project {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let anchor_at = rng.datetime();
    let mut project = Project::new(rng.text(), anchor_at);
    if rng.chance(30) {
        project.anchor = Anchor::Finish(anchor_at);
    }
    project.time_zone = rng.pick(&["UTC", "Europe/Paris", "Asia/Tokyo"]).to_string();
    project.currency = rng.pick(&["EUR", "USD", "JPY"]).to_string();
    project.status_date = rng.chance(50).then(|| rng.datetime());
    project.honor_constraints = rng.chance(70);
    if rng.chance(30) {
        project.units = Units {
            minutes_per_day: rng.range(60, 1440) as u32,
            minutes_per_week: rng.range(60, 10080) as u32,
            days_per_month: rng.range(1, 31) as u32,
        };
    }
    let units = project.units;

    // Declared calendars, each with a uid as its id in the file: after the implicit Standard,
    // which is then calendar 0 and the project calendar, or alone, one of them named as the
    // project calendar.
    let implicit_standard = rng.chance(40);
    if !implicit_standard {
        project.calendars.clear();
    }
    let first_declared = project.calendars.len() as u64;
    let n_declared = if implicit_standard {
        rng.range(0, 2)
    } else {
        rng.range(1, 4)
    };
    for index in 0..n_declared {
        let mut calendar = if rng.chance(30) {
            Calendar::standard(rng.text())
        } else {
            Calendar {
                uid: String::new(),
                name: rng.text(),
                base: None,
                week: Default::default(),
                exceptions: Vec::new(),
            }
        };
        calendar.uid = format!("c{index}{}", rng.text());
        if index > 0 && rng.chance(40) {
            calendar.base = Some(CalendarId(
                (first_declared + rng.below(index as u64)) as u32,
            ));
        }
        for day in calendar.week.iter_mut() {
            if rng.chance(30) {
                *day = if rng.chance(20) {
                    None
                } else {
                    Some(rng.shifts())
                };
            }
        }
        if rng.chance(10) {
            calendar.week = Calendar::twenty_four_hours("").week;
        }
        for _ in 0..rng.below(3) {
            calendar.exceptions.push(rng.exception());
        }
        project.calendars.push(calendar);
    }
    if !implicit_standard {
        project.calendar = CalendarId(rng.below(project.calendars.len() as u64) as u32);
    }
    // What a task or a resource may name: a declared calendar (the file has no id for Standard).
    let n_declared = n_declared as u64;
    let declared_calendar = |rng: &mut Rng, percent: u64| {
        (n_declared > 0 && rng.chance(percent))
            .then(|| CalendarId((first_declared + rng.below(n_declared)) as u32))
    };

    // Resources; some have vacations, which `parse` turns into calendars at the end.
    for index in 0..rng.below(5) {
        let mut resource = Resource::new(format!("r{index}{}", rng.text()), rng.text());
        if rng.chance(30) {
            resource.name = resource.uid.clone();
        }
        resource.kind = *rng.pick(&[
            ResourceKind::Work,
            ResourceKind::Material,
            ResourceKind::Cost,
        ]);
        resource.max_units = rng.range(0, 1000) as u32;
        resource.rates = Rates {
            standard: Money(rng.range(0, 1_000_000)),
            overtime: Money(rng.range(0, 1000)),
            per_use: Money(rng.range(0, 100)),
        };
        resource.email = rng.chance(50).then(|| rng.text());
        resource.group = rng.chance(50).then(|| rng.text());
        resource.calendar = declared_calendar(&mut rng, 40);
        project.resources.push(resource);
    }
    for resource in &mut project.resources {
        if rng.chance(40) {
            let base = resource.calendar.unwrap_or(project.calendar);
            let mut own = Calendar::derived(resource.name.clone(), base);
            for _ in 0..rng.range(1, 3) {
                own.exceptions.push(rng.exception());
            }
            resource.calendar = Some(CalendarId(project.calendars.len() as u32));
            project.calendars.push(own);
        }
    }

    // The outline: each task one level deeper than the previous at most.
    let n_tasks = rng.below(16) as usize;
    let mut depth_of: Vec<usize> = Vec::new();
    for index in 0..n_tasks {
        let depth = match depth_of.last() {
            None => 0,
            Some(&last) => rng.range(0, last as i64 + 1) as usize,
        };
        let parent = (0..index)
            .rev()
            .find(|&i| depth_of[i] + 1 == depth)
            .map(|i| TaskId(i as u32));
        depth_of.push(depth);
        let mut task = Task::new(format!("t{index}{}", rng.text()), rng.text());
        task.parent = parent;
        task.duration = Duration {
            minutes: rng.minutes(&units),
            elapsed: rng.chance(20),
        };
        task.work = rng.chance(30).then(|| rng.minutes(&units));
        task.task_type = *rng.pick(&[
            TaskType::FixedUnits,
            TaskType::FixedDuration,
            TaskType::FixedWork,
        ]);
        task.effort_driven = rng.chance(70);
        task.priority = rng.range(0, 1000) as u16;
        task.deadline = rng.chance(30).then(|| rng.datetime());
        task.calendar = declared_calendar(&mut rng, 20);
        task.notes = if rng.chance(30) {
            rng.text()
        } else {
            String::new()
        };
        let kind = *rng.pick(&[
            ConstraintKind::AsSoonAsPossible,
            ConstraintKind::AsLateAsPossible,
            ConstraintKind::StartNoEarlierThan,
            ConstraintKind::StartNoLaterThan,
            ConstraintKind::FinishNoEarlierThan,
            ConstraintKind::FinishNoLaterThan,
            ConstraintKind::MustStartOn,
            ConstraintKind::MustFinishOn,
        ]);
        task.constraint = Constraint {
            kind,
            date: kind.needs_date().then(|| rng.datetime()),
        };
        project.tasks.push(task);
    }
    let summary = project.summary_flags();
    for (task, is_summary) in project.tasks.iter_mut().zip(&summary) {
        if !is_summary && rng.chance(15) {
            task.milestone = true;
            task.duration = Duration::default();
            task.work = None;
        }
    }
    // Progress and manual dates on leaves, as the file allows them: work done only with an actual
    // start, 100% exactly with an actual finish, a milestone at one instant (its finish alone, or
    // the same start and finish).
    for (task, is_summary) in project.tasks.iter_mut().zip(&summary) {
        if *is_summary {
            continue;
        }
        let later = |rng: &mut Rng, at: DateTime| {
            at.checked_add(jiff::Span::new().minutes(rng.range(0, 20_000)))
                .unwrap()
        };
        if rng.chance(25) {
            let start = rng.datetime();
            let finish = if task.milestone {
                start
            } else {
                later(&mut rng, start)
            };
            task.manual = Some(ManualDates { start, finish });
        }
        if rng.chance(30) {
            let start = rng.datetime();
            let started = |rng: &mut Rng| Progress {
                percent_complete: rng.range(0, 99) as u8,
                actual_start: Some(start),
                actual_finish: None,
            };
            task.progress = match (task.milestone, rng.below(3)) {
                (_, 0) => started(&mut rng),
                (false, _) => Progress {
                    percent_complete: 100,
                    actual_start: Some(start),
                    actual_finish: Some(later(&mut rng, start)),
                },
                (true, 1) => Progress {
                    percent_complete: 100,
                    actual_start: None,
                    actual_finish: Some(start),
                },
                (true, _) => Progress {
                    percent_complete: 100,
                    actual_start: Some(start),
                    actual_finish: Some(start),
                },
            };
        }
    }

    // Links between unrelated tasks, in the order `parse` produces: by successor.
    let related = |project: &Project, a: TaskId, b: TaskId| {
        let contains = |outer: TaskId, mut inner: TaskId| {
            while let Some(parent) = project.task(inner).parent {
                if parent == outer {
                    return true;
                }
                inner = parent;
            }
            false
        };
        a == b || contains(a, b) || contains(b, a)
    };
    if n_tasks >= 2 {
        for _ in 0..rng.below(12) {
            let pred = TaskId(rng.below(n_tasks as u64) as u32);
            let succ = TaskId(rng.below(n_tasks as u64) as u32);
            if related(&project, pred, succ)
                || project
                    .links
                    .iter()
                    .any(|l| l.pred == pred && l.succ == succ)
            {
                continue;
            }
            let lag = match rng.below(4) {
                0 => Lag::Working(0),
                1 => Lag::Working(rng.range(-3000, 3000)),
                2 => Lag::Elapsed(rng.range(-3000, 3000)),
                _ => Lag::Percent(rng.range(-200, 200) as i32),
            };
            let kind = *rng.pick(&[
                LinkKind::FinishToStart,
                LinkKind::StartToStart,
                LinkKind::FinishToFinish,
                LinkKind::StartToFinish,
            ]);
            project.links.push(Link {
                pred,
                succ,
                kind,
                lag,
            });
        }
        project.links.sort_by_key(|l| l.succ);
    }
    if n_tasks > 0 && !project.resources.is_empty() {
        for _ in 0..rng.below(10) {
            let task = TaskId(rng.below(n_tasks as u64) as u32);
            let resource = ResourceId(rng.below(project.resources.len() as u64) as u32);
            if project
                .assignments
                .iter()
                .any(|a| a.task == task && a.resource == resource)
            {
                continue;
            }
            project.assignments.push(Assignment {
                task,
                resource,
                units: *rng.pick(&[100, 50, 0, 250]),
                work: rng.chance(30).then(|| rng.minutes(&units)),
            });
        }
        project.assignments.sort_by_key(|a| a.task);
    }
    project
        .validate()
        .expect("the generator makes valid projects");
    project
}
