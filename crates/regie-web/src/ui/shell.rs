//! What every page shares: the top bar (who is logged in, the CSRF token the scripts send), the
//! project header with its tabs (only the tabs the caller's role may open), and rendering.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use regie_store::{ProjectSummary, Role};

use crate::auth::Credential;
use crate::permissions::Action;
use crate::routes::Ctx;
use crate::ui::assets;

/// The frame of a page.
pub struct Shell {
    pub title: String,
    /// Which top-level section is current: `portfolio`, `my-work`, `account`, or `project`.
    pub section: &'static str,
    pub user_name: String,
    pub is_admin: bool,
    /// Sent by the scripts in `X-CSRF-Token` (empty for API-token callers, who do not browse).
    pub csrf: String,
    pub project: Option<ProjectHeader>,
    pub css: String,
    pub js: String,
}

/// The header of a project's pages.
pub struct ProjectHeader {
    pub id: i64,
    pub name: String,
    pub phase: String,
    pub role: String,
    pub version: i64,
    pub tabs: Vec<Tab>,
}

pub struct Tab {
    pub label: &'static str,
    pub href: String,
    pub active: bool,
}

/// The tabs of a project, in order, with the action each needs.
const PROJECT_TABS: [(&str, &str, Action); 7] = [
    ("Overview", "", Action::ViewPlan),
    ("Gantt", "/gantt", Action::ViewPlan),
    ("Tasks", "/tasks", Action::ViewPlan),
    ("People", "/people", Action::ViewTeam),
    ("Members", "/members", Action::ViewTeam),
    ("Files", "/files", Action::ViewFull),
    ("History", "/history", Action::ViewFull),
];

impl Shell {
    pub fn new(ctx: &Ctx, title: impl Into<String>, section: &'static str) -> Shell {
        let user = ctx.actor.user();
        Shell {
            title: title.into(),
            section,
            user_name: user
                .map(|user| user.display_name.clone())
                .unwrap_or_default(),
            is_admin: user.is_some_and(|user| user.is_admin),
            csrf: match &ctx.credential {
                Credential::Session { csrf_token, .. } => csrf_token.clone(),
                _ => String::new(),
            },
            project: None,
            css: assets::url("app.css"),
            js: assets::url("app.js"),
        }
    }

    /// A project page: the header with the tabs the caller may open, `tab` the current one
    /// (its label).
    pub fn for_project(ctx: &Ctx, summary: &ProjectSummary, tab: &str) -> Shell {
        let mut shell = Shell::new(ctx, format!("{tab} · {}", summary.name), "project");
        let base = format!("/projects/{}", summary.id.0);
        shell.project = Some(ProjectHeader {
            id: summary.id.0,
            name: summary.name.clone(),
            phase: summary.phase.clone().unwrap_or_default(),
            role: match ctx.role {
                Some(role) => role_label(role).to_owned(),
                None if shell.is_admin => "Administrator".to_owned(),
                None => String::new(),
            },
            version: summary.version,
            tabs: PROJECT_TABS
                .iter()
                .filter(|(_, _, action)| ctx.may(*action))
                .map(|(label, suffix, _)| Tab {
                    label,
                    href: format!("{base}{suffix}"),
                    active: *label == tab,
                })
                .collect(),
        });
        shell
    }

    /// The script of a page, after the common one.
    pub fn script(name: &str) -> String {
        assets::url(name)
    }
}

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Sponsor => "Sponsor",
        Role::ProjectManager => "Project manager",
        Role::TeamMember => "Team member",
        Role::Client => "Client",
    }
}

/// Renders a template as a page; a template that fails to render is a 500 page, not a panic.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = Html(html).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => crate::ui::error::message_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            &format!("This page could not be drawn: {error}"),
        ),
    }
}

/// Renders a template that is a fragment of a page (what a script swaps in after a change).
pub fn render_fragment(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => crate::ui::error::page_for_problem(crate::error::ApiError::internal(error)),
    }
}

/// `Server-Timing`: `plan` (the model and its schedule: from the caches, or read and computed
/// for a new version) and `render` (drawing the page since `began`), and the version shown,
/// which the script sends as `If-Match` on the next change.
pub fn timing_headers(
    response: &mut Response,
    plan: std::time::Duration,
    began: std::time::Instant,
    version: i64,
) {
    let (plan, render) = (
        plan.as_secs_f64() * 1000.0,
        began.elapsed().as_secs_f64() * 1000.0,
    );
    if let Ok(value) = HeaderValue::from_str(&format!("render;dur={render:.1}, plan;dur={plan:.1}"))
    {
        response.headers_mut().insert("server-timing", value);
    }
    if let Ok(value) = HeaderValue::from_str(&version.to_string()) {
        response.headers_mut().insert("x-regie-version", value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
