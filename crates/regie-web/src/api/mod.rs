//! The handlers, one module per group of resources. Each is a thin map from a request to store
//! calls; the guard in `routes` has already checked the caller may do it.

pub mod account;
pub mod admin;
pub mod cells;
pub mod plan;
pub mod projects;

use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use regie_store::{Change, LoadedProject};

use crate::error::{ApiError, ApiResult};
use crate::routes::Ctx;
use crate::state::AppState;

/// A JSON answer carrying the project version as its `ETag`.
pub fn with_etag(status: StatusCode, version: i64, body: &impl Serialize) -> Response {
    let mut response = json(status, body);
    set_etag(&mut response, version);
    response
}

pub fn json(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(error) => ApiError::internal(error).into_response(),
    }
}

pub fn set_etag(response: &mut Response, version: i64) {
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
}

/// 204 with the new version.
pub fn no_content(version: i64) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    set_etag(&mut response, version);
    response
}

/// The project the request is about, at the version the guard saw when the model cache has
/// it, else as the store has it now.
pub async fn load(state: &AppState, ctx: &Ctx) -> ApiResult<Arc<LoadedProject>> {
    let project = ctx.project()?;
    if let Some(loaded) = ctx
        .version
        .and_then(|version| state.models.get(project, version))
    {
        return Ok(loaded);
    }
    let loaded = Arc::new(state.store.load_project(project).await?);
    state.models.put(loaded.clone());
    Ok(loaded)
}

/// Loads the project for an update made at `expected`: a 412 before any work when the client's
/// version is already stale (the store checks again in the write transaction). The model
/// cache answers when it holds that very version.
pub async fn load_at(state: &AppState, ctx: &Ctx, expected: i64) -> ApiResult<Arc<LoadedProject>> {
    if let Some(loaded) = state.models.get(ctx.project()?, expected) {
        return Ok(loaded);
    }
    let loaded = load(state, ctx).await?;
    if loaded.summary.version != expected {
        return Err(ApiError::stale(expected, loaded.summary.version));
    }
    Ok(loaded)
}

/// Applies `changes` at version `expected` as the caller; returns the new version.
pub async fn apply(
    state: &AppState,
    ctx: &Ctx,
    expected: i64,
    changes: &[Change],
) -> ApiResult<i64> {
    Ok(state
        .store
        .apply(ctx.project()?, expected, ctx.user_id(), changes)
        .await?)
}
