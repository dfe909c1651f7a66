//! An iCalendar (RFC 5545) feed of a project's milestones and gates, for the calendars of the
//! people who wait for them.
//!
//! One `VEVENT` per milestone and per task named like a gate (`Gate 2: design signed off`),
//! in outline order. Each event's `UID` is `<task id>@<project slug>.regie`, so a calendar that
//! subscribes to the feed moves the event when the plan moves it instead of adding a new one.
//! Dates come from the schedule; they are the project's local civil time, converted to UTC with
//! the project's time zone (`...Z` instants), or written as floating local times when the zone
//! is unknown. `DTSTAMP` is given by the caller: this crate reads no clock.
//!
//! Written by hand rather than with the `icalendar` crate: a feed of events is a hundred lines
//! (escaping, folding at 75 octets, CRLF), and the crate would add chrono and uuid to the build.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use regie_core::time::datetime_of;
use regie_core::{Minute, Project, Schedule, Task};

/// What the caller decides about a feed.
#[derive(Clone, Debug)]
pub struct IcsOptions {
    /// `DTSTAMP` of every event: when the feed was made.
    pub stamp: jiff::Timestamp,
    /// Whole-day events (`DTSTART;VALUE=DATE`) instead of timed ones.
    pub all_day: bool,
}

/// The events of a feed: milestones and gates (tasks whose name starts with the word `Gate`).
pub fn is_feed_event(task: &Task) -> bool {
    task.milestone || {
        let name = task.name.trim_start();
        name.strip_prefix("Gate")
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
    }
}

/// The feed of `project`'s milestones and gates, with CRLF line ends.
pub fn milestones(project: &Project, schedule: &Schedule, options: &IcsOptions) -> String {
    let zone = TimeZone::get(&project.time_zone).ok();
    let slug = project_slug(&project.name);
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Regie//Regie project milestones//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(&project.name)));
    if zone.is_some() {
        line(
            &mut out,
            &format!("X-WR-TIMEZONE:{}", escape(&project.time_zone)),
        );
    }
    let stamp = utc(options.stamp);
    for (task, sched) in project.tasks.iter().zip(&schedule.tasks) {
        if !is_feed_event(task) {
            continue;
        }
        line(&mut out, "BEGIN:VEVENT");
        line(
            &mut out,
            &format!("UID:{}", escape(&format!("{}@{slug}.regie", task.uid))),
        );
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        let one_instant = task.milestone || sched.finish <= sched.start;
        if options.all_day {
            let first = datetime_of(sched.start).date();
            // A task that finishes at midnight finished the day before.
            let last_minute = if one_instant {
                sched.start
            } else {
                sched.finish - 1
            };
            let last = datetime_of(last_minute).date().max(first);
            line(&mut out, &format!("DTSTART;VALUE=DATE:{}", ics_date(first)));
            line(
                &mut out,
                &format!("DTEND;VALUE=DATE:{}", ics_date(next_day(last))),
            );
        } else {
            line(
                &mut out,
                &format!("DTSTART:{}", instant(sched.start, zone.as_ref())),
            );
            if !one_instant {
                line(
                    &mut out,
                    &format!("DTEND:{}", instant(sched.finish, zone.as_ref())),
                );
            }
        }
        line(&mut out, &format!("SUMMARY:{}", escape(&task.name)));
        if !task.notes.is_empty() {
            line(&mut out, &format!("DESCRIPTION:{}", escape(&task.notes)));
        }
        line(
            &mut out,
            if task.milestone {
                "CATEGORIES:Milestone"
            } else {
                "CATEGORIES:Gate"
            },
        );
        line(&mut out, "TRANSP:TRANSPARENT");
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// A name as the host part of event UIDs: lower-case ASCII letters and digits joined by `-`
/// (`CRM migration — Déploiement` → `crm-migration-deploiement`), `project` when nothing is left.
pub fn project_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let ascii = match c {
            'a'..='z' | '0'..='9' => Some(c.to_string()),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => Some("a".into()),
            'ç' => Some("c".into()),
            'è' | 'é' | 'ê' | 'ë' => Some("e".into()),
            'ì' | 'í' | 'î' | 'ï' => Some("i".into()),
            'ñ' => Some("n".into()),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => Some("o".into()),
            'ù' | 'ú' | 'û' | 'ü' => Some("u".into()),
            'ý' | 'ÿ' => Some("y".into()),
            'æ' => Some("ae".into()),
            'œ' => Some("oe".into()),
            'ß' => Some("ss".into()),
            _ => None,
        };
        match ascii {
            Some(s) => slug.push_str(&s),
            None if !slug.is_empty() && !slug.ends_with('-') => slug.push('-'),
            None => {}
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("project");
    }
    slug
}

/// A local instant as UTC (`20270125T160000Z`), or as floating local time without a zone.
fn instant(minute: Minute, zone: Option<&TimeZone>) -> String {
    let local = datetime_of(minute);
    match zone.and_then(|tz| tz.to_ambiguous_zoned_datetime(local).compatible().ok()) {
        Some(zoned) => utc(zoned.timestamp()),
        None => ics_datetime(local),
    }
}

fn utc(at: jiff::Timestamp) -> String {
    let dt = at.to_zoned_datetime(TimeZone::UTC).datetime();
    format!("{}Z", ics_datetime(dt))
}

fn ics_datetime(dt: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        ics_date(dt.date()),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

fn ics_date(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

fn next_day(date: Date) -> Date {
    date.tomorrow().unwrap_or(date)
}

/// TEXT values: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11); other
/// control characters dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a UTF-8 character), CRLF-ended.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::datetime;
    use regie_core::time::minute_of;
    use regie_core::{Duration, TaskSchedule};

    fn project() -> (Project, Schedule) {
        let mut project = Project::new(
            "CRM migration — Déploiement",
            datetime(2027, 1, 4, 0, 0, 0, 0),
        );
        project.time_zone = "Europe/Paris".into();
        let mut g1 = Task::new("g1", "Gate 1: charter, signed; by Northwind");
        g1.milestone = true;
        g1.notes = "Approvers: the CIO\nand the head of service.".into();
        let mut review = Task::new("review", "Gate review workshop");
        review.duration = Duration::working(960);
        let gateway = Task::new("gateway", "Gateway configuration");
        project.tasks = vec![g1, review, gateway];
        let at = |d: i8, h: i8| minute_of(datetime(2027, 1, d, h, 0, 0, 0));
        let sched = |start, finish| TaskSchedule {
            start,
            finish,
            early_start: start,
            early_finish: finish,
            late_start: start,
            late_finish: finish,
            total_float: 0,
            free_float: 0,
            critical: true,
        };
        let schedule = Schedule {
            start: at(4, 8),
            finish: at(26, 17),
            tasks: vec![
                sched(at(25, 17), at(25, 17)),
                sched(at(26, 8), at(27, 0)),
                sched(at(4, 8), at(5, 17)),
            ],
            warnings: Vec::new(),
        };
        (project, schedule)
    }

    fn options(all_day: bool) -> IcsOptions {
        IcsOptions {
            stamp: "2027-02-15T09:30:00Z".parse().unwrap(),
            all_day,
        }
    }

    #[test]
    fn timed_feed_in_utc() {
        let (project, schedule) = project();
        let feed = milestones(&project, &schedule, &options(false));
        assert!(!feed.replace("\r\n", "").contains(['\r', '\n']));
        let unfolded = feed.replace("\r\n ", "");
        expect_test::expect![[r#"
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//Regie//Regie project milestones//EN
            CALSCALE:GREGORIAN
            METHOD:PUBLISH
            X-WR-CALNAME:CRM migration — Déploiement
            X-WR-TIMEZONE:Europe/Paris
            BEGIN:VEVENT
            UID:g1@crm-migration-deploiement.regie
            DTSTAMP:20270215T093000Z
            DTSTART:20270125T160000Z
            SUMMARY:Gate 1: charter\, signed\; by Northwind
            DESCRIPTION:Approvers: the CIO\nand the head of service.
            CATEGORIES:Milestone
            TRANSP:TRANSPARENT
            END:VEVENT
            BEGIN:VEVENT
            UID:review@crm-migration-deploiement.regie
            DTSTAMP:20270215T093000Z
            DTSTART:20270126T070000Z
            DTEND:20270126T230000Z
            SUMMARY:Gate review workshop
            CATEGORIES:Gate
            TRANSP:TRANSPARENT
            END:VEVENT
            END:VCALENDAR
        "#]]
        .assert_eq(&unfolded.replace('\r', ""));
    }

    #[test]
    fn all_day_events_end_the_day_after() {
        let (project, schedule) = project();
        let feed = milestones(&project, &schedule, &options(true));
        assert!(feed.contains("DTSTART;VALUE=DATE:20270125\r\nDTEND;VALUE=DATE:20270126\r\n"));
        // Finishing at midnight is finishing the day before.
        assert!(feed.contains("DTSTART;VALUE=DATE:20270126\r\nDTEND;VALUE=DATE:20270127\r\n"));
    }

    #[test]
    fn unknown_zone_gives_floating_times() {
        let (mut project, schedule) = project();
        project.time_zone = "Mars/Olympus".into();
        let feed = milestones(&project, &schedule, &options(false));
        assert!(feed.contains("DTSTART:20270125T170000\r\n"));
        assert!(!feed.contains("X-WR-TIMEZONE"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        let text = format!("SUMMARY:{}", "é".repeat(60));
        line(&mut out, &text);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), text);
    }

    #[test]
    fn slugs() {
        assert_eq!(
            project_slug("CRM migration for Northwind Insurance"),
            "crm-migration-for-northwind-insurance"
        );
        assert_eq!(project_slug("  Œuvre & Straße!  "), "oeuvre-strasse");
        assert_eq!(project_slug("???"), "project");
    }
}
