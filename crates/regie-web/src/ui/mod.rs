//! The web UI: server-rendered HTML pages (askama templates in `templates/`, compiled into the
//! binary), one stylesheet and a few small hand-written scripts (`assets/`, embedded too).
//!
//! Pages read; they never write. Every change a page offers is made by its script through the
//! JSON API (`/api/v1`, with the session's CSRF token and the page's `If-Match` version), so
//! there is one edit path, one permission check per write and one audit trail. After a change
//! the script asks the page again for the fragment it shows (`?fragment=...`) and swaps it in,
//! so the Gantt and the table are always drawn by the server, from the engine's schedule.
//!
//! [`PAGES`] is the pages' route table, like [`crate::routes::ROUTES`] for the API: each row
//! names the [`Action`] it needs, every row is registered behind [`page_guard`] (the API's
//! decision, answered in HTML: a login redirect, a 404 page for another project, a 403 page),
//! and the permission-matrix test walks it too.

mod account;
mod assets;
mod error;
mod files;
mod gantt;
mod history;
mod members;
mod mywork;
mod people;
mod plan;
mod portfolio;
mod project;
mod shell;
mod table;
mod workload;

use std::sync::LazyLock;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};

use crate::permissions::Action;
use crate::routes::{check, project_in_path};
use crate::state::AppState;

pub use error::not_found_page;

/// One page (or the one form the UI posts: the login).
pub struct Page {
    pub method: Method,
    /// axum's syntax; project pages start with `/projects/{project}`.
    pub path: &'static str,
    pub action: Action,
    handler: fn() -> MethodRouter<AppState>,
}

macro_rules! page {
    (GET $path:literal, $action:ident, $handler:path) => {
        Page {
            method: Method::GET,
            path: $path,
            action: Action::$action,
            handler: || get($handler),
        }
    };
    (POST $path:literal, $action:ident, $handler:path) => {
        Page {
            method: Method::POST,
            path: $path,
            action: Action::$action,
            handler: || post($handler),
        }
    };
}

/// Every page of the UI.
pub static PAGES: LazyLock<Vec<Page>> = LazyLock::new(|| {
    vec![
        page!(GET "/login", Public, account::login_page),
        page!(POST "/login", Public, account::login_form),
        page!(GET "/", Authenticated, portfolio::page),
        page!(GET "/account", Authenticated, account::page),
        page!(GET "/projects/{project}", ViewPlan, project::overview),
        page!(GET "/projects/{project}/people", ViewTeam, people::page),
        page!(GET "/projects/{project}/members", ViewTeam, members::page),
        page!(GET "/projects/{project}/files", ViewFull, files::page),
        page!(GET "/projects/{project}/history", ViewFull, history::page),
        page!(GET "/import", CreateProject, files::import_page),
        page!(GET "/workload", Authenticated, workload::page),
        page!(GET "/my-work", Authenticated, mywork::page),
        page!(GET "/projects/{project}/gantt", ViewPlan, gantt::page),
        page!(GET "/projects/{project}/tasks", ViewPlan, table::page),
    ]
});

/// The pages behind [`page_guard`], and the embedded assets (public, cached for a year: their
/// URLs carry a hash of their content).
pub fn router(state: AppState) -> Router<AppState> {
    let mut router: Router<AppState> = Router::new();
    for page in PAGES.iter() {
        let guarded = (page.handler)().route_layer(middleware::from_fn_with_state(
            (state.clone(), page.action),
            page_guard,
        ));
        router = router.route(page.path, guarded);
    }
    router
        .route("/assets/{name}", get(assets::serve))
        .layer(middleware::from_fn(compress))
}

/// Pages of more than a few kilobytes go gzipped to browsers that take it (all do): the Gantt
/// of 1,000 tasks is about 1 MB of SVG, a tenth of it compressed at the fastest level.
async fn compress(req: Request, next: Next) -> Response {
    use axum::http::{HeaderValue, header};
    const MIN_BYTES: usize = 16 * 1024;
    let gzip = crate::gzip::accepted(req.headers());
    let response = next.run(req).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    if !gzip || !is_html || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be read",
        )
            .into_response();
    };
    if bytes.len() < MIN_BYTES {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    }
    match crate::gzip::compress(&bytes) {
        Ok(gzipped) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            parts
                .headers
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            parts
                .headers
                .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            Response::from_parts(parts, axum::body::Body::from(gzipped))
        }
        Err(_) => Response::from_parts(parts, axum::body::Body::from(bytes)),
    }
}

/// The API's guard decision, answered for a browser: not logged in → the login page (coming
/// back here after), another project → a 404 page, not allowed → a 403 page.
async fn page_guard(
    State((state, action)): State<(AppState, Action)>,
    mut req: Request,
    next: Next,
) -> Response {
    // /projects/{project}/...
    let project = project_in_path(req.uri().path(), 2);
    let method = req.method().clone();
    match check(&state, action, &method, req.headers(), project).await {
        Ok(ctx) => {
            req.extensions_mut().insert(ctx);
            next.run(req).await
        }
        Err(problem) => error::page_for(problem, req.uri()),
    }
}
