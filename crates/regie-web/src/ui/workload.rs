//! Workload across projects (`/workload`): one row per person over every project the caller
//! may see the team of, one column per week from this week on, hours booked against what the
//! person can give. Also the week bins and heat cells the People page shares.
//!
//! A person is the same across projects when their resources have the same email (ignoring
//! case), else the same name. Hours booked add up over the projects; capacity does not (a
//! person in two projects has one working week, not two): each day's capacity is the most any
//! of their projects' calendars gives that day. As the engine checks it, a week is
//! over-allocated when some day of it is booked beyond that day's capacity.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use jiff::civil::Date;

use regie_core::time::{self, MINUTES_PER_DAY};
use regie_core::usage::ResourceLoad;
use regie_store::{Page as StorePage, ProjectSummary, Role};

use crate::error::ApiResult;
use crate::routes::Ctx;
use crate::state::AppState;
use crate::ui::error::page_for_problem;
use crate::ui::plan::{Plan, day};
use crate::ui::shell::{Shell, render};

/// How many weeks `/workload` shows.
pub const WEEKS: usize = 16;

/// A column of a weekly grid.
pub struct WeekHead {
    /// `7 Jun`
    pub label: String,
    /// `Week of 7 Jun 2027`
    pub title: String,
    /// `7 Jun 2027`
    pub date: String,
    /// The week of today.
    pub current: bool,
}

/// A cell of a heat grid: class `l0`..`l3` or `over`, the hours booked, a tooltip.
pub struct HeatCell {
    pub class: &'static str,
    pub text: String,
    pub title: String,
}

/// What one person is booked and can give over one week.
#[derive(Clone, Copy, Default)]
pub struct WeekLoad {
    pub booked: i64,
    pub capacity: i64,
    /// Minutes booked beyond capacity, summed day by day.
    pub over: i64,
    /// Some day of the week is within the plans measured (else nothing is known of it).
    pub known: bool,
}

/// Today on the server's clock (UTC).
pub fn server_today() -> Date {
    jiff::tz::TimeZone::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}

/// The Monday of `date`'s week.
pub fn monday_of(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    time::date_of_day(time::day_number(date) - back)
}

/// The heads of `weeks` weeks from the Monday `first`; `today` marks the current one.
pub fn week_heads(first: Date, weeks: usize, today: Date) -> Vec<WeekHead> {
    let first_day = time::day_number(first);
    let today = time::day_number(today);
    (0..weeks as i64)
        .map(|week| {
            let monday = first_day + 7 * week;
            let date = time::date_of_day(monday);
            WeekHead {
                label: format!("{} {}", date.day(), &time::month_name(date.month())[..3]),
                title: format!("Week of {}", day(monday * MINUTES_PER_DAY)),
                date: day(monday * MINUTES_PER_DAY),
                current: (monday..monday + 7).contains(&today),
            }
        })
        .collect()
}

/// Bins daily minutes (booked and capacity from day number `first`) into `weeks` weeks from
/// the day number `from` (a Monday).
pub fn weekly(
    booked: &[i64],
    capacity: &[i64],
    first: i64,
    from: i64,
    weeks: usize,
) -> Vec<WeekLoad> {
    let mut out = vec![WeekLoad::default(); weeks];
    for (i, (&booked, &capacity)) in booked.iter().zip(capacity).enumerate() {
        let offset = first + i as i64 - from;
        if offset < 0 {
            continue;
        }
        let Some(week) = out.get_mut((offset / 7) as usize) else {
            break;
        };
        week.known = true;
        week.booked += booked;
        week.capacity += capacity;
        week.over += (booked - capacity).max(0);
    }
    out
}

/// The weekly bins of one resource's daily load.
pub fn weekly_of(load: &ResourceLoad, from: i64, weeks: usize) -> Vec<WeekLoad> {
    weekly(
        &load.booked_minutes,
        &load.capacity_minutes,
        time::day_number(load.first_day),
        from,
        weeks,
    )
}

/// `32`, `7.5`: minutes as hours.
pub fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{:.1}", minutes as f64 / 60.0)
    }
}

/// The heat class of a week: over-allocated, else how full it is.
pub fn heat_class(week: &WeekLoad) -> &'static str {
    if week.over > 0 {
        return "over";
    }
    if week.booked == 0 {
        return "l0";
    }
    match week.booked * 100 / week.capacity.max(1) {
        0..=40 => "l1",
        41..=80 => "l2",
        _ => "l3",
    }
}

/// A cell for the week of `date` (its Monday, `7 Jun 2027`); `who` opens its tooltip (none
/// when empty: the row and column say it), `more` ends it.
pub fn heat_cell(week: &WeekLoad, who: &str, date: &str, more: &str) -> HeatCell {
    let mut title = if who.is_empty() {
        String::new()
    } else {
        format!("{who}, week of {date}: ")
    };
    if !week.known {
        title.push_str("outside the plans");
        return HeatCell {
            class: "l0",
            text: String::new(),
            title,
        };
    }
    title.push_str(&format!(
        "{} h booked of {} h",
        hours(week.booked),
        hours(week.capacity)
    ));
    if week.over > 0 {
        title.push_str(&format!(" ({} h over capacity)", hours(week.over)));
    }
    let off = week.capacity == 0 && week.booked == 0;
    if off {
        title.push_str(" (not working: holidays or vacation)");
    }
    title.push_str(more);
    HeatCell {
        class: if off { "l0 off" } else { heat_class(week) },
        text: if week.booked == 0 {
            String::new()
        } else {
            hours(week.booked)
        },
        title,
    }
}

/// The key that makes resources of several projects one person.
pub fn person_key(email: Option<&str>, name: &str) -> String {
    match email.map(str::trim).filter(|email| !email.is_empty()) {
        Some(email) => email.to_lowercase(),
        None => format!("name:{}", name.trim().to_lowercase()),
    }
}

/// The projects whose team the caller may see (every project for admins; else those where
/// they are a sponsor, project manager or team member), with their role.
pub async fn team_projects(
    state: &AppState,
    ctx: &Ctx,
    include_sponsors: bool,
) -> ApiResult<Vec<(ProjectSummary, Option<Role>)>> {
    let Some(user) = ctx.actor.user() else {
        return Ok(Vec::new());
    };
    let all = StorePage::first(StorePage::MAX_LIMIT);
    if user.is_admin {
        let mut out = Vec::new();
        for summary in state.store.list_projects(all).await? {
            let role = state.store.role(summary.id, user.id).await?;
            out.push((summary, role));
        }
        return Ok(out);
    }
    let mut out = Vec::new();
    for summary in state.store.list_projects_of_user(user.id, all).await? {
        let role = state.store.role(summary.id, user.id).await?;
        let keep = match role {
            Some(Role::ProjectManager | Role::TeamMember) => true,
            Some(Role::Sponsor) => include_sponsors,
            Some(Role::Client) | None => false,
        };
        if keep {
            out.push((summary, role));
        }
    }
    Ok(out)
}

struct ProjectLink {
    name: String,
    href: String,
}

struct PersonRow {
    name: String,
    email: String,
    projects: Vec<ProjectLink>,
    cells: Vec<HeatCell>,
    over_weeks: usize,
    booked: bool,
}

#[derive(Template)]
#[template(path = "workload.html", whitespace = "minimize")]
struct WorkloadPage {
    shell: Shell,
    weeks: Vec<WeekHead>,
    rows: Vec<PersonRow>,
    projects: usize,
    broken: Vec<String>,
    over_people: usize,
}

/// A person being gathered over the projects.
struct Person {
    name: String,
    email: String,
    /// (index in the projects seen, name, id)
    projects: Vec<(usize, String, i64)>,
    booked: Vec<i64>,
    capacity: Vec<i64>,
    /// The days some plan of theirs covers.
    known: Vec<bool>,
    /// Minutes booked per week, by project index.
    per_project: Vec<(usize, Vec<i64>)>,
}

pub async fn page(State(state): State<AppState>, Extension(ctx): Extension<Ctx>) -> Response {
    match workload_page(&state, &ctx).await {
        Ok(page) => render(&page),
        Err(problem) => page_for_problem(problem),
    }
}

async fn workload_page(state: &AppState, ctx: &Ctx) -> ApiResult<WorkloadPage> {
    let today = server_today();
    let monday = monday_of(today);
    let from = time::day_number(monday);
    let days = WEEKS * 7;
    let projects = team_projects(state, ctx, true).await?;
    let mut people: Vec<Person> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut broken = Vec::new();
    let mut names = Vec::new();
    for (index, (summary, _)) in projects.iter().enumerate() {
        names.push(summary.name.clone());
        let plan = match Plan::of(state, summary.id, summary.version).await {
            Ok(plan) => plan,
            Err(problem) => {
                broken.push(format!("{}: {}", summary.name, problem.detail));
                continue;
            }
        };
        let project = plan.project();
        let loads = match regie_core::usage::daily_loads(project, &plan.schedule) {
            Ok(loads) => loads,
            Err(error) => {
                broken.push(format!("{}: {error}", summary.name));
                continue;
            }
        };
        for load in &loads {
            let resource = &project.resources[load.resource.index()];
            let key = person_key(resource.email.as_deref(), &resource.name);
            let slot = *by_key.entry(key).or_insert_with(|| {
                people.push(Person {
                    name: resource.name.clone(),
                    email: resource.email.clone().unwrap_or_default(),
                    projects: Vec::new(),
                    booked: vec![0; days],
                    capacity: vec![0; days],
                    known: vec![false; days],
                    per_project: Vec::new(),
                });
                people.len() - 1
            });
            let person = &mut people[slot];
            if !person.projects.iter().any(|(i, _, _)| *i == index) {
                person
                    .projects
                    .push((index, summary.name.clone(), summary.id.0));
            }
            let first = time::day_number(load.first_day);
            let mut weekly_booked = vec![0i64; WEEKS];
            for (i, (&booked, &capacity)) in load
                .booked_minutes
                .iter()
                .zip(&load.capacity_minutes)
                .enumerate()
            {
                let offset = first + i as i64 - from;
                if offset < 0 {
                    continue;
                }
                if offset >= days as i64 {
                    break;
                }
                let offset = offset as usize;
                person.known[offset] = true;
                person.booked[offset] += booked;
                person.capacity[offset] = person.capacity[offset].max(capacity);
                weekly_booked[offset / 7] += booked;
            }
            person.per_project.push((index, weekly_booked));
        }
    }
    let weeks = week_heads(monday, WEEKS, today);
    let mut rows: Vec<PersonRow> = people
        .into_iter()
        .map(|person| {
            let mut bins = weekly(&person.booked, &person.capacity, from, from, WEEKS);
            for (w, bin) in bins.iter_mut().enumerate() {
                bin.known = person.known[w * 7..(w + 1) * 7].contains(&true);
            }
            let cells: Vec<HeatCell> = bins
                .iter()
                .enumerate()
                .map(|(w, bin)| {
                    let mut parts: Vec<String> = Vec::new();
                    for (project, booked) in &person.per_project {
                        if booked[w] > 0 {
                            parts.push(format!("{} {} h", names[*project], hours(booked[w])));
                        }
                    }
                    let more = if parts.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", parts.join(", "))
                    };
                    heat_cell(bin, &person.name, &weeks[w].date, &more)
                })
                .collect();
            PersonRow {
                over_weeks: bins.iter().filter(|bin| bin.over > 0).count(),
                booked: bins.iter().any(|bin| bin.booked > 0),
                name: person.name,
                email: person.email,
                projects: person
                    .projects
                    .into_iter()
                    .map(|(_, name, id)| ProjectLink {
                        name,
                        href: format!("/projects/{id}/people"),
                    })
                    .collect(),
                cells,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.email.cmp(&b.email))
    });
    Ok(WorkloadPage {
        shell: Shell::new(ctx, "Workload", "workload"),
        over_people: rows.iter().filter(|row| row.over_weeks > 0).count(),
        weeks,
        rows,
        projects: projects.len(),
        broken,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_sum_days_and_over_counts_day_by_day() {
        // Two weeks from day 7; data from day 5: days 5 and 6 are before the first week.
        let booked = [480, 480, 960, 0, 0, 0, 0, 0, 0, 480];
        let capacity = [480; 10];
        let weeks = weekly(&booked, &capacity, 5, 7, 2);
        assert_eq!(weeks[0].booked, 960);
        assert_eq!(weeks[0].capacity, 7 * 480);
        assert_eq!(weeks[0].over, 480);
        assert_eq!(heat_class(&weeks[0]), "over");
        assert_eq!(weeks[1].booked, 480);
        assert!(weeks[1].known);
        assert_eq!(hours(450), "7.5");
        assert_eq!(
            person_key(Some(" Ana@Example.com "), "Ana"),
            "ana@example.com"
        );
        assert_eq!(person_key(Some(""), "Ana Lima"), "name:ana lima");
        assert_eq!(
            monday_of(jiff::civil::date(2026, 11, 29)),
            jiff::civil::date(2026, 11, 23)
        );
    }
}
