//! The route table: one row per route (method, path, permission action, summary, schemas,
//! handler). [`build`] registers every row behind [`guard`]; [`crate::openapi`] documents every
//! row; the permission-matrix test walks every row.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use serde_json::Value;

use regie_store::{ProjectId, Role, UserId};

use crate::api::{account, admin, plan, projects};
use crate::auth::{self, Credential};
use crate::dto::schema;
use crate::error::ApiError;
use crate::permissions::{Action, Actor, allowed};
use crate::state::AppState;

/// One route.
pub struct Route {
    pub method: Method,
    /// axum's syntax: `/api/v1/projects/{project}/tasks/{task}`.
    pub path: &'static str,
    pub action: Action,
    pub summary: &'static str,
    /// The status of a successful answer.
    pub success: u16,
    /// JSON schema of the body, if it takes a JSON body.
    pub request: Option<fn() -> Value>,
    /// JSON schema of a successful answer (`None`: no body, or not JSON).
    pub response: Option<fn() -> Value>,
    handler: fn() -> MethodRouter<AppState>,
}

/// What the guard learnt about the caller, for the handler.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub actor: Actor,
    pub credential: Credential,
    /// The project named by the path, for project routes.
    pub project: Option<ProjectId>,
    /// The caller's role there (`None` for admins who are not members).
    pub role: Option<Role>,
    /// For a read, the project's version when the guard let it in: the handler answers at it,
    /// from the caches, without asking the database again. `None` for writes.
    pub version: Option<i64>,
}

impl Ctx {
    pub fn user_id(&self) -> Option<UserId> {
        self.actor.user().map(|user| user.id)
    }

    /// Whether the caller may do `action` here: for redaction inside answers.
    pub fn may(&self, action: Action) -> bool {
        allowed(&self.actor, self.role, action)
    }

    pub fn project(&self) -> Result<ProjectId, ApiError> {
        self.project
            .ok_or_else(|| ApiError::internal("project route without a project"))
    }
}

fn filter(method: &Method) -> MethodFilter {
    match *method {
        Method::POST => MethodFilter::POST,
        Method::PUT => MethodFilter::PUT,
        Method::PATCH => MethodFilter::PATCH,
        Method::DELETE => MethodFilter::DELETE,
        _ => MethodFilter::GET,
    }
}

macro_rules! route {
    ($method:ident $path:literal, $action:ident, $success:literal, $summary:literal,
     $handler:path, $request:expr, $response:expr) => {
        Route {
            method: Method::$method,
            path: $path,
            action: Action::$action,
            summary: $summary,
            success: $success,
            request: $request,
            response: $response,
            handler: || on(filter(&Method::$method), $handler),
        }
    };
}

/// Every route of the API.
pub static ROUTES: LazyLock<Vec<Route>> = LazyLock::new(|| {
    vec![
        route!(GET "/api/openapi.json", Public, 200, "This API's OpenAPI 3.1 document", account::openapi, None, None),
        route!(POST "/api/v1/auth/login", Public, 200, "Log in with login and password: sets the session cookie, returns the CSRF token", account::login, Some(schema::login), Some(schema::login_answer)),
        route!(POST "/api/v1/auth/logout", Authenticated, 204, "End the current session", account::logout, None, None),
        route!(GET "/api/v1/me", Authenticated, 200, "The caller, with the session's CSRF token", account::me, None, Some(schema::me)),
        route!(POST "/api/v1/me/password", Authenticated, 204, "Change the caller's password (ends their sessions)", account::change_password, Some(schema::password_change), None),
        route!(GET "/api/v1/me/tokens", Authenticated, 200, "The caller's API tokens (never their secret)", account::list_tokens, None, Some(|| schema::list(schema::token()))),
        route!(POST "/api/v1/me/tokens", Authenticated, 201, "Create an API token: its secret is in this answer only", account::create_token, Some(schema::token_request), Some(schema::token_created)),
        route!(DELETE "/api/v1/me/tokens/{token}", Authenticated, 204, "Revoke one of the caller's API tokens", account::revoke_token, None, None),
        route!(GET "/api/v1/users", ManageUsers, 200, "List users (filter: q; pagination)", admin::list_users, None, Some(|| schema::list(schema::user()))),
        route!(POST "/api/v1/users", ManageUsers, 201, "Create a user; without a password one is generated and shown once", admin::create_user, Some(schema::user_create), Some(schema::user_created)),
        route!(PATCH "/api/v1/users/{user}", ManageUsers, 200, "Change a user (name, email, admin flag, disabled, client, password)", admin::update_user, Some(schema::user_update), Some(schema::user)),
        route!(GET "/api/v1/clients", ManageUsers, 200, "List client organisations", admin::list_clients, None, Some(|| schema::list(schema::client()))),
        route!(POST "/api/v1/clients", ManageUsers, 201, "Create a client organisation", admin::create_client, Some(schema::client_create), Some(schema::client)),
        route!(GET "/api/v1/projects", Authenticated, 200, "The projects the caller may see (filters: q, phase, client; pagination)", projects::list, None, Some(|| schema::list(schema::project()))),
        route!(POST "/api/v1/projects", CreateProject, 201, "Create an empty project", projects::create, Some(schema::project_create), Some(schema::project)),
        route!(POST "/api/v1/projects/import", CreateProject, 201, "Create a project from a KDL project file or MS Project XML (the body; format=kdl|mspdi|auto)", projects::import, None, Some(schema::project)),
        route!(GET "/api/v1/projects/{project}", ViewPlan, 200, "A project's settings and version", projects::get, None, Some(schema::project)),
        route!(PATCH "/api/v1/projects/{project}", EditPlan, 200, "Change a project's settings", projects::update, Some(schema::project_update), Some(schema::project)),
        route!(DELETE "/api/v1/projects/{project}", DeleteProject, 204, "Delete a project and everything in it", projects::delete, None, None),
        route!(GET "/api/v1/projects/{project}/export", ViewFull, 200, "The project as a KDL project file or MS Project XML (format=kdl|mspdi)", projects::export, None, None),
        route!(PUT "/api/v1/projects/{project}/content", EditPlan, 200, "Replace the whole plan with a KDL project file or MS Project XML (the body; format=kdl|mspdi|auto); settings kept by the store (phase, client), members and audit log stay", projects::replace, None, Some(schema::project)),
        route!(GET "/api/v1/projects/{project}/schedule", ViewPlan, 200, "The computed schedule: dates, floats, critical path, warnings (level=true: after resource leveling)", projects::schedule, None, Some(schema::schedule)),
        route!(POST "/api/v1/projects/{project}/level", EditPlan, 200, "Level resources and keep the result: tasks are delayed (start-no-earlier-than constraints) until nobody is over-allocated, in one change; answers what moved and why", projects::level, None, Some(schema::level_answer)),
        route!(GET "/api/v1/projects/{project}/audit", ViewFull, 200, "Who changed what and when, with old and new values (filters: entity, since_version; pagination)", projects::audit, None, Some(|| schema::list(schema::audit_entry()))),
        route!(GET "/api/v1/projects/{project}/members", ViewTeam, 200, "The project's members and their roles", projects::members, None, Some(|| schema::list(schema::member()))),
        route!(PUT "/api/v1/projects/{project}/members/{user}", ManageMembers, 200, "Give a user a role in the project", projects::set_member, Some(schema::member_request), Some(schema::member)),
        route!(DELETE "/api/v1/projects/{project}/members/{user}", ManageMembers, 204, "Remove a user from the project", projects::remove_member, None, None),
        route!(GET "/api/v1/projects/{project}/tasks", ViewPlan, 200, "Tasks in outline order (filters: parent, milestone, q; pagination)", plan::list_tasks, None, Some(|| schema::list(schema::task()))),
        route!(POST "/api/v1/projects/{project}/tasks", EditPlan, 201, "Add a task: last child of `parent`, or before the sibling `before`", plan::create_task, Some(schema::task_fields), Some(schema::task)),
        route!(GET "/api/v1/projects/{project}/tasks/{task}", ViewPlan, 200, "One task", plan::get_task, None, Some(schema::task)),
        route!(PATCH "/api/v1/projects/{project}/tasks/{task}", EditPlan, 200, "Change a task's fields", plan::update_task, Some(schema::task_fields), Some(schema::task)),
        route!(DELETE "/api/v1/projects/{project}/tasks/{task}", EditPlan, 204, "Delete a task without subtasks, with its links and assignments", plan::delete_task, None, None),
        route!(POST "/api/v1/projects/{project}/tasks/{task}/move", EditPlan, 200, "Move a task (with its subtasks) in the WBS: last child of `parent`, or before the sibling `before`", plan::move_task, Some(schema::move_request), Some(schema::task)),
        route!(PATCH "/api/v1/projects/{project}/tasks/{task}/cells", EditPlan, 200, "Edit a task's cells as typed in the task table (name, duration, predecessors, resources, constraint, start, finish), read with the project's units and applied together", crate::api::cells::edit_cells, Some(schema::cells), Some(schema::task)),
        route!(PATCH "/api/v1/projects/{project}/tasks/{task}/progress", UpdateProgress, 200, "Record progress: percent complete, actual start and finish", plan::update_progress, Some(schema::progress), Some(schema::task)),
        route!(GET "/api/v1/projects/{project}/links", ViewPlan, 200, "Dependencies (filter: task; pagination)", plan::list_links, None, Some(|| schema::list(schema::link()))),
        route!(POST "/api/v1/projects/{project}/links", EditPlan, 201, "Add a dependency", plan::create_link, Some(schema::link), Some(schema::link)),
        route!(PATCH "/api/v1/projects/{project}/links/{pred}/{succ}", EditPlan, 200, "Change a dependency's kind or lag", plan::update_link, Some(schema::link_update), Some(schema::link)),
        route!(DELETE "/api/v1/projects/{project}/links/{pred}/{succ}", EditPlan, 204, "Delete a dependency", plan::delete_link, None, None),
        route!(GET "/api/v1/projects/{project}/calendars", ViewTeam, 200, "Calendars with their exceptions", plan::list_calendars, None, Some(|| schema::list(schema::calendar()))),
        route!(POST "/api/v1/projects/{project}/calendars", EditPlan, 201, "Add a calendar", plan::create_calendar, Some(schema::calendar_input), Some(schema::calendar)),
        route!(GET "/api/v1/projects/{project}/calendars/{calendar}", ViewTeam, 200, "One calendar", plan::get_calendar, None, Some(schema::calendar)),
        route!(PUT "/api/v1/projects/{project}/calendars/{calendar}", EditPlan, 200, "Replace a calendar (week and exceptions)", plan::replace_calendar, Some(schema::calendar_input), Some(schema::calendar)),
        route!(POST "/api/v1/projects/{project}/calendars/{calendar}/exceptions", EditPlan, 201, "Add an exception (holiday, working day) to a calendar", plan::add_exception, Some(schema::exception), Some(schema::calendar)),
        route!(DELETE "/api/v1/projects/{project}/calendars/{calendar}/exceptions/{index}", EditPlan, 204, "Remove a calendar's exception by its index", plan::delete_exception, None, None),
        route!(GET "/api/v1/projects/{project}/resources", ViewTeam, 200, "Resources (filter: group, q; pagination); rates only for sponsors and managers", plan::list_resources, None, Some(|| schema::list(schema::resource()))),
        route!(POST "/api/v1/projects/{project}/resources", EditPlan, 201, "Add a resource", plan::create_resource, Some(schema::resource_fields), Some(schema::resource)),
        route!(GET "/api/v1/projects/{project}/resources/{resource}", ViewTeam, 200, "One resource", plan::get_resource, None, Some(schema::resource)),
        route!(PATCH "/api/v1/projects/{project}/resources/{resource}", EditPlan, 200, "Change a resource", plan::update_resource, Some(schema::resource_fields), Some(schema::resource)),
        route!(DELETE "/api/v1/projects/{project}/resources/{resource}", EditPlan, 204, "Delete a resource with its assignments", plan::delete_resource, None, None),
        route!(GET "/api/v1/projects/{project}/assignments", ViewTeam, 200, "Assignments (filters: task, resource; pagination)", plan::list_assignments, None, Some(|| schema::list(schema::assignment()))),
        route!(POST "/api/v1/projects/{project}/assignments", EditPlan, 201, "Assign a resource to a task", plan::create_assignment, Some(schema::assignment), Some(schema::assignment)),
        route!(PATCH "/api/v1/projects/{project}/assignments/{task}/{resource}", EditPlan, 200, "Change an assignment's units or work", plan::update_assignment, Some(schema::assignment_update), Some(schema::assignment)),
        route!(DELETE "/api/v1/projects/{project}/assignments/{task}/{resource}", EditPlan, 204, "Remove an assignment", plan::delete_assignment, None, None),
    ]
});

/// The router: every route of [`ROUTES`] behind the guard, problems for unknown paths.
pub fn build(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for route in ROUTES.iter() {
        let guarded = (route.handler)().route_layer(middleware::from_fn_with_state(
            (state.clone(), route.action),
            guard,
        ));
        router = router.route(route.path, guarded);
    }
    router
        .merge(crate::ui::router(state.clone()))
        .fallback(not_found)
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "this route does not take this method",
            )
            .into_response()
        })
        .with_state(state)
        .layer(middleware::from_fn(not_modified))
}

/// An unknown path: a problem for the API, a page for a browser.
async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::not_found("no such route").into_response()
    } else {
        crate::ui::not_found_page()
    }
}

/// Conditional GET: an answer whose `ETag` the client already holds (`If-None-Match`) is a
/// `304 Not Modified` without a body, so a page that polls a plan (the schedule of 1,000 tasks
/// is 300 KB) only downloads it again when the project has changed.
async fn not_modified(req: Request, next: Next) -> Response {
    let held = match *req.method() {
        Method::GET => req.headers().get(header::IF_NONE_MATCH).cloned(),
        _ => None,
    };
    let response = next.run(req).await;
    let (Some(held), Some(etag)) = (held, response.headers().get(header::ETAG)) else {
        return response;
    };
    if response.status() != StatusCode::OK || !etag_listed(&held, etag) {
        return response;
    }
    let mut unchanged = StatusCode::NOT_MODIFIED.into_response();
    unchanged.headers_mut().insert(header::ETAG, etag.clone());
    unchanged
}

/// Whether an `If-None-Match` value (`*`, or a list of tags, weak or strong) names `etag`.
fn etag_listed(held: &header::HeaderValue, etag: &header::HeaderValue) -> bool {
    let (Ok(held), Ok(etag)) = (held.to_str(), etag.to_str()) else {
        return false;
    };
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    held.trim() == "*" || held.split(',').any(|tag| bare(tag) == bare(etag))
}

/// Authenticates, checks CSRF, finds the caller's role in the project of the path and asks
/// [`allowed`]. Outsiders get 404 on a project (its existence is not revealed), members 403 on
/// what their role does not allow, anonymous callers 401.
async fn guard(
    State((state, action)): State<(AppState, Action)>,
    mut req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    let headers = req.headers().clone();
    // /api/v1/projects/{project}/...
    let project = project_in_path(req.uri().path(), 4);
    match check(&state, action, &method, &headers, project).await {
        Ok(ctx) => {
            req.extensions_mut().insert(ctx);
            next.run(req).await
        }
        Err(error) => error.into_response(),
    }
}

/// Admins create projects, and so do project managers (of any project): they become the new
/// project's manager.
pub(crate) async fn may_create_projects(state: &AppState, actor: &Actor) -> Result<bool, ApiError> {
    match actor.user() {
        Some(user) if user.is_admin => Ok(!user.disabled),
        Some(user) if !user.disabled => Ok(state.store.manages_a_project(user.id).await?),
        _ => Ok(false),
    }
}

/// The project id at `segment` of `path` (`/api/v1/projects/7/tasks`: segment 4), if it is one.
pub(crate) fn project_in_path(path: &str, segment: usize) -> Option<ProjectId> {
    path.split('/')
        .nth(segment)
        .and_then(|segment| segment.parse::<i64>().ok())
        .map(ProjectId)
}

/// The guard's decision, shared with the HTML pages' guard (`crate::ui`): the caller, their
/// role in `project` (the project named by the path, if the action is about one) and whether
/// [`allowed`] lets them do `action`.
pub(crate) async fn check(
    state: &AppState,
    action: Action,
    method: &Method,
    headers: &axum::http::HeaderMap,
    project: Option<ProjectId>,
) -> Result<Ctx, ApiError> {
    let (actor, credential) = auth::authenticate(state, headers).await?;
    let mut ctx = Ctx {
        actor,
        credential,
        project: None,
        role: None,
        version: None,
    };
    if action == Action::Public {
        return Ok(ctx);
    }
    let Some(user) = ctx.actor.user() else {
        return Err(ApiError::unauthorized(
            "log in (POST /api/v1/auth/login) or send `Authorization: Bearer regie_...`",
        ));
    };
    auth::check_csrf(method, headers, &ctx.credential)?;
    if action.project_scoped() {
        let hidden = || ApiError::not_found("no such project, or you are not one of its members");
        let Some(project) = project else {
            return Err(hidden());
        };
        let Some((version, role)) = state.store.access(project, user.id).await? else {
            return Err(hidden());
        };
        if role.is_none() && !user.is_admin {
            return Err(hidden());
        }
        (ctx.project, ctx.role) = (Some(project), role);
        // Only reads answer at the guard's version: a write reads the plan at the client's
        // `If-Match` version, and what it answers after the change at the new one.
        if method == Method::GET {
            ctx.version = Some(version);
        }
    }
    let manager_creates =
        action == Action::CreateProject && may_create_projects(state, &ctx.actor).await?;
    if !manager_creates && !allowed(&ctx.actor, ctx.role, action) {
        return Err(ApiError::forbidden(format!(
            "your role does not allow this ({})",
            action.name()
        )));
    }
    Ok(ctx)
}
