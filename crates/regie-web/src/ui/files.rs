//! A project's files: export buttons (KDL project file, MS Project XML: links to
//! `GET /api/v1/projects/{project}/export`, which names the file in `Content-Disposition`)
//! and, for a project manager, an upload that replaces the plan
//! (`PUT /api/v1/projects/{project}/content` with `If-Match`). Also the "Import a project"
//! page (`/import`), which creates a project from a file (`POST /api/v1/projects/import`).

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;

use crate::api::projects::export_file_name;
use crate::error::ApiResult;
use crate::permissions::Action;
use crate::routes::Ctx;
use crate::state::AppState;
use crate::ui::error::page_for_problem;
use crate::ui::shell::{Shell, render};

#[derive(Template)]
#[template(path = "files.html")]
struct FilesPage {
    shell: Shell,
    script: String,
    version: i64,
    kdl_url: String,
    kdl_name: String,
    mspdi_url: String,
    mspdi_name: String,
    may_replace: bool,
    replace_url: String,
}

pub async fn page(State(state): State<AppState>, Extension(ctx): Extension<Ctx>) -> Response {
    match files_page(&state, &ctx).await {
        Ok(page) => render(&page),
        Err(problem) => page_for_problem(problem),
    }
}

async fn files_page(state: &AppState, ctx: &Ctx) -> ApiResult<FilesPage> {
    let loaded = crate::api::load(state, ctx).await?;
    let summary = &loaded.summary;
    let api = format!("/api/v1/projects/{}", summary.id.0);
    Ok(FilesPage {
        shell: Shell::for_project(ctx, summary, "Files"),
        script: Shell::script("project-admin.js"),
        version: summary.version,
        kdl_url: format!("{api}/export?format=kdl"),
        kdl_name: export_file_name(&summary.name, "kdl"),
        mspdi_url: format!("{api}/export?format=mspdi"),
        mspdi_name: export_file_name(&summary.name, "xml"),
        may_replace: ctx.may(Action::EditPlan),
        replace_url: format!("{api}/content"),
    })
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    shell: Shell,
    script: String,
}

/// `GET /import`: a file becomes a new project; the script then opens its overview.
pub async fn import_page(Extension(ctx): Extension<Ctx>) -> Response {
    render(&ImportPage {
        shell: Shell::new(&ctx, "Import a project", "portfolio"),
        script: Shell::script("project-admin.js"),
    })
}
