//! A project's people (`/projects/{project}/people`, the internal team): the resources, the
//! calendars with their working week and exceptions (holidays, vacations), and each person's
//! workload per week of the plan, over-allocation in red. A project manager adds a resource or
//! a vacation, removes an exception, and previews resource leveling (which tasks it would move
//! and why); the page's script does all of it through the API.
//!
//! `?fragment=people-body` answers only the part below the tabs, which the script swaps in
//! after a change.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::response::{Html, IntoResponse, Response};
use jiff::civil::Weekday;
use serde::Deserialize;

use regie_core::calendar::WEEKDAY_NAMES;
use regie_core::calendar::{Calendar, DateRule, Shift, YearlyDay};
use regie_core::time::{self, MINUTES_PER_DAY, date_midnight};
use regie_core::{CalendarId, Project, ResourceKind};

use crate::error::{ApiError, ApiResult};
use crate::permissions::Action;
use crate::routes::Ctx;
use crate::state::AppState;
use crate::ui::error::page_for_problem;
use crate::ui::plan::{Plan, day};
use crate::ui::shell::{Shell, render};
use crate::ui::workload::{HeatCell, WeekHead, heat_cell, monday_of, week_heads, weekly_of};

/// At most this many weeks in the grid (five years).
const MAX_WEEKS: usize = 260;

#[derive(Deserialize)]
pub struct PeopleQuery {
    fragment: Option<String>,
}

#[derive(Clone)]
pub struct ResourceRow {
    pub uid: String,
    pub name: String,
    /// Empty for work resources, else `material` or `cost`.
    pub kind: &'static str,
    pub group: String,
    pub email: String,
    pub max_units: u32,
    pub calendar: String,
    /// The calendar the resource works on (its own, else the project's).
    pub calendar_id: u32,
    /// Its calendar is its alone: a vacation goes there. Else the script creates one.
    pub own_calendar: bool,
    pub rate: String,
    pub overtime: String,
    pub over_weeks: usize,
}

pub struct ExceptionRow {
    pub index: usize,
    pub name: String,
    pub dates: String,
    /// Empty: not worked; else the hours worked on those days.
    pub worked: String,
}

pub struct CalendarCard {
    pub id: u32,
    pub name: String,
    pub base: String,
    pub is_project: bool,
    pub used_by: String,
    /// (weekday, hours), Monday first; empty hours: not worked.
    pub week: Vec<(&'static str, String)>,
    pub weekly_hours: String,
    pub exceptions: Vec<ExceptionRow>,
}

pub struct LoadRow {
    pub key: String,
    pub name: String,
    pub cells: Vec<HeatCell>,
    pub over_weeks: usize,
}

pub struct Workload {
    pub weeks: Vec<WeekHead>,
    pub rows: Vec<LoadRow>,
}

#[derive(Template)]
#[template(path = "people_body.html", whitespace = "minimize")]
struct PeopleBody {
    version: i64,
    resources: Vec<ResourceRow>,
    calendars: Vec<CalendarCard>,
    workload: Workload,
    over_people: usize,
    may_edit: bool,
    show_costs: bool,
    work_resources: Vec<ResourceRow>,
    project_calendar: String,
    calendar_options: Vec<(u32, String)>,
    currency: String,
    /// For the script: resource names by uid, calendar uids, the plan's finish.
    data_json: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    shell: Shell,
    body: PeopleBody,
    script: String,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(query): Query<PeopleQuery>,
) -> Response {
    let plan = match Plan::of_page(&state, &ctx).await {
        Ok(plan) => plan,
        Err(problem) => return page_for_problem(problem),
    };
    let version = plan.loaded.summary.version;
    let body = match body_of(&plan, &ctx) {
        Ok(body) => body,
        Err(problem) => return page_for_problem(problem),
    };
    let mut response = if query.fragment.as_deref() == Some("people-body") {
        match body.render() {
            Ok(html) => Html(html).into_response(),
            Err(error) => page_for_problem(ApiError::internal(error)),
        }
    } else {
        render(&PeoplePage {
            shell: Shell::for_project(&ctx, &plan.loaded.summary, "People"),
            body,
            script: Shell::script("people.js"),
        })
    };
    if let Ok(value) = HeaderValue::from_str(&version.to_string()) {
        response.headers_mut().insert("x-regie-version", value);
    }
    response
}

/// JSON to put inside `<script type="application/json">`: no `</script>` can close it early.
pub fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn body_of(plan: &Plan, ctx: &Ctx) -> ApiResult<PeopleBody> {
    let project = plan.project();
    let schedule = &plan.schedule;
    let show_costs = ctx.may(Action::SeeCosts);
    let may_edit = ctx.may(Action::EditPlan);

    // Workload per week of the plan.
    let loads = regie_core::usage::daily_loads(project, schedule).map_err(|error| {
        ApiError::unprocessable(format!("the workload cannot be measured: {error}"))
    })?;
    let first = monday_of(time::date_of_day(
        schedule.start.div_euclid(MINUTES_PER_DAY),
    ));
    let from = time::day_number(first);
    let last = (schedule.finish - 1).div_euclid(MINUTES_PER_DAY).max(from);
    let n_weeks = (((last - from) / 7 + 1) as usize).min(MAX_WEEKS);
    let today = crate::ui::workload::server_today();
    let weeks = week_heads(first, n_weeks, today);
    let mut over_by_resource = vec![0usize; project.resources.len()];
    let mut rows = Vec::new();
    for (r, resource) in project.resources.iter().enumerate() {
        if resource.kind != ResourceKind::Work {
            continue;
        }
        let load = loads.iter().find(|load| load.resource.index() == r);
        let cells: Vec<HeatCell> = match load {
            Some(load) => {
                let bins = weekly_of(load, from, n_weeks);
                over_by_resource[r] = bins.iter().filter(|bin| bin.over > 0).count();
                bins.iter()
                    .zip(&weeks)
                    .map(|(bin, head)| heat_cell(bin, "", &head.date, ""))
                    .collect()
            }
            None => weeks
                .iter()
                .map(|_| HeatCell {
                    class: "l0",
                    text: String::new(),
                    title: "no task".to_owned(),
                })
                .collect(),
        };
        rows.push(LoadRow {
            key: resource.uid.clone(),
            name: resource.name.clone(),
            cells,
            over_weeks: over_by_resource[r],
        });
    }

    // Who uses each calendar.
    let mut users: Vec<Vec<&str>> = vec![Vec::new(); project.calendars.len()];
    for resource in &project.resources {
        let calendar = resource.calendar.unwrap_or(project.calendar);
        if let Some(list) = users.get_mut(calendar.index()) {
            list.push(&resource.name);
        }
    }
    let mut task_calendars = vec![false; project.calendars.len()];
    for task in &project.tasks {
        if let Some(calendar) = task.calendar
            && let Some(flag) = task_calendars.get_mut(calendar.index())
        {
            *flag = true;
        }
    }
    let money = |cents: i64| {
        if cents == 0 {
            "—".to_owned()
        } else {
            format!("{}.{:02} {}", cents / 100, cents % 100, project.currency)
        }
    };
    let resources: Vec<ResourceRow> = project
        .resources
        .iter()
        .enumerate()
        .map(|(r, resource)| {
            let calendar = resource.calendar.unwrap_or(project.calendar);
            let calendar_name = project
                .calendars
                .get(calendar.index())
                .map(|c| c.name.clone())
                .unwrap_or_default();
            ResourceRow {
                uid: resource.uid.clone(),
                name: resource.name.clone(),
                kind: match resource.kind {
                    ResourceKind::Work => "",
                    ResourceKind::Material => "material",
                    ResourceKind::Cost => "cost",
                },
                group: resource.group.clone().unwrap_or_default(),
                email: resource.email.clone().unwrap_or_default(),
                max_units: resource.max_units,
                calendar: match resource.calendar {
                    None => format!("Project calendar ({calendar_name})"),
                    Some(_) => calendar_name,
                },
                calendar_id: calendar.0,
                own_calendar: resource.calendar.is_some()
                    && calendar != project.calendar
                    && users.get(calendar.index()).is_some_and(|u| u.len() == 1)
                    && !task_calendars
                        .get(calendar.index())
                        .copied()
                        .unwrap_or(true),
                rate: money(resource.rates.standard.0),
                overtime: money(resource.rates.overtime.0),
                over_weeks: over_by_resource[r],
            }
        })
        .collect();
    let work_resources = resources
        .iter()
        .filter(|row| row.kind.is_empty())
        .cloned()
        .collect();

    let calendars = project
        .calendars
        .iter()
        .enumerate()
        .map(|(index, calendar)| {
            let week: Vec<(&'static str, String)> = WEEKDAY_NAMES
                .iter()
                .enumerate()
                .map(|(d, name)| {
                    let shifts = effective_day(project, calendar, d);
                    (*name, shifts_text(&shifts))
                })
                .collect();
            let minutes: i64 = (0..7)
                .flat_map(|d| effective_day(project, calendar, d))
                .map(|shift| i64::from(shift.end) - i64::from(shift.start))
                .sum();
            let mut used: Vec<&str> = users[index].clone();
            if task_calendars[index] {
                used.push("some tasks");
            }
            CalendarCard {
                id: index as u32,
                name: calendar.name.clone(),
                base: calendar
                    .base
                    .and_then(|base| project.calendars.get(base.index()))
                    .map(|base| base.name.clone())
                    .unwrap_or_default(),
                is_project: CalendarId(index as u32) == project.calendar,
                used_by: used.join(", "),
                week,
                weekly_hours: crate::ui::workload::hours(minutes),
                exceptions: calendar
                    .exceptions
                    .iter()
                    .enumerate()
                    .map(|(i, exception)| ExceptionRow {
                        index: i,
                        name: exception.name.clone(),
                        dates: rule_text(&exception.dates),
                        worked: shifts_text(&exception.shifts),
                    })
                    .collect(),
            }
        })
        .collect();
    let names: serde_json::Map<String, serde_json::Value> = project
        .resources
        .iter()
        .map(|r| (r.uid.clone(), r.name.clone().into()))
        .collect();
    let data = serde_json::json!({
        "project": plan.loaded.summary.id.0,
        "project_calendar": project.calendar.0,
        "resources": names,
        "calendars": project.calendars.iter().map(|c| c.uid.clone()).collect::<Vec<_>>(),
        "finish": time::format_minute(schedule.finish),
    });
    Ok(PeopleBody {
        version: plan.loaded.summary.version,
        project_calendar: project
            .calendars
            .get(project.calendar.index())
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        calendar_options: project
            .calendars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != project.calendar.index())
            .map(|(i, c)| (i as u32, c.name.clone()))
            .collect(),
        currency: project.currency.clone(),
        data_json: script_json(&data),
        over_people: rows.iter().filter(|row| row.over_weeks > 0).count(),
        resources,
        calendars,
        workload: Workload { weeks, rows },
        may_edit,
        show_costs,
        work_resources,
    })
}

/// The shifts of weekday `d` (Monday 0) of `calendar`, following its bases.
fn effective_day(project: &Project, calendar: &Calendar, d: usize) -> Vec<Shift> {
    let mut at = calendar;
    for _ in 0..16 {
        if let Some(shifts) = &at.week[d] {
            return shifts.clone();
        }
        match at.base.and_then(|base| project.calendars.get(base.index())) {
            Some(base) => at = base,
            None => return Vec::new(),
        }
    }
    Vec::new()
}

/// `08:00–12:00, 13:00–17:00`; empty when there are none.
fn shifts_text(shifts: &[Shift]) -> String {
    shifts
        .iter()
        .map(|shift| {
            format!(
                "{:02}:{:02}–{:02}:{:02}",
                shift.start / 60,
                shift.start % 60,
                shift.end / 60,
                shift.end % 60
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn weekday_name(day: Weekday) -> &'static str {
    WEEKDAY_NAMES[day.to_monday_zero_offset() as usize]
}

fn ordinal(n: i8) -> String {
    match n {
        -1 => "last".to_owned(),
        1 => "1st".to_owned(),
        2 => "2nd".to_owned(),
        3 => "3rd".to_owned(),
        n => format!("{n}th"),
    }
}

/// `26 Apr 2027 – 30 Apr 2027`, `Wednesdays, 1 Jan 2027 – 31 Dec 2027`, `every 1 May`.
fn rule_text(rule: &DateRule) -> String {
    let date = |d: jiff::civil::Date| day(date_midnight(d));
    match rule {
        DateRule::Range { from, to } if from == to => date(*from),
        DateRule::Range { from, to } => format!("{} – {}", date(*from), date(*to)),
        DateRule::Weekly { weekdays, from, to } => {
            let days: Vec<String> = weekdays
                .iter()
                .map(|d| format!("{}s", weekday_name(*d)))
                .collect();
            format!("{}, {} – {}", days.join(" and "), date(*from), date(*to))
        }
        DateRule::Yearly {
            month,
            day: which,
            from_year,
            to_year,
        } => {
            let month = time::month_name(*month);
            let mut text = match which {
                YearlyDay::Day(d) => format!("every year on {d} {month}"),
                YearlyDay::Nth { n, weekday } => format!(
                    "every year, the {} {} of {month}",
                    ordinal(*n),
                    weekday_name(*weekday)
                ),
            };
            match (from_year, to_year) {
                (Some(a), Some(b)) => text.push_str(&format!(" ({a}–{b})")),
                (Some(a), None) => text.push_str(&format!(" (from {a})")),
                (None, Some(b)) => text.push_str(&format!(" (until {b})")),
                (None, None) => {}
            }
            text
        }
    }
}
