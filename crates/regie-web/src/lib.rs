//! Regie's HTTP layer: the REST API under `/api/v1`, its OpenAPI 3.1 document at
//! `/api/openapi.json`, accounts, sessions, API tokens, permissions, and the web pages
//! ([`ui`]: server-rendered, changes made through the API). Only this crate knows HTTP.
//!
//! One route table ([`routes::ROUTES`]) drives the router, the OpenAPI document and the
//! permission-matrix test: each row names the method, the path, the [`permissions::Action`]
//! it performs, a summary and the request/response schemas. Every row is registered behind the
//! same guard, which authenticates the caller, checks CSRF on cookie writes, looks up their
//! role in the project named by the path and asks [`permissions::allowed`]. So no route reaches
//! a handler without the permission check, by construction.
//!
//! Handlers are thin: decode a DTO (`dto`), turn it into store [`regie_store::Change`]s, apply
//! them at the version from `If-Match`, answer with the new `ETag`.

mod api;
pub mod auth;
pub mod dto;
pub mod error;
pub mod extract;
mod gzip;
pub mod openapi;
pub mod permissions;
pub mod routes;
mod state;
pub mod ui;

pub use state::{AppState, Config};

use axum::Router;

/// The whole application, ready to serve or to test with `tower::ServiceExt::oneshot`.
pub fn router(state: AppState) -> Router {
    routes::build(state)
}

/// Serves `router` on `addr` until the process is stopped. The peer address is passed to the
/// handlers (the login throttle counts failures per address).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    tokio::spawn(housekeeping(state.clone()));
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}

/// Hourly: forgets expired sessions and login attempts older than the throttle window, so
/// neither table grows without bound. Errors are logged and retried next hour.
async fn housekeeping(state: AppState) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        interval.tick().await;
        let now = jiff::Timestamp::now();
        if let Err(error) = state.store.delete_expired_sessions(now).await {
            eprintln!("regie-web: cannot delete expired sessions: {error}");
        }
        let window = jiff::SignedDuration::from_secs(state.config.throttle_window_seconds);
        if let Ok(before) = now.checked_sub(window)
            && let Err(error) = state.store.prune_login_attempts(before).await
        {
            eprintln!("regie-web: cannot prune login attempts: {error}");
        }
    }
}
