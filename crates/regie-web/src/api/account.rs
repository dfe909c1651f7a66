//! Login, logout, the caller's profile and API tokens; the OpenAPI document.

use std::net::SocketAddr;

use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use regie_store::LoginAttempt;

use crate::api::json;
use crate::auth::{self, Credential};
use crate::dto::{LoginRequest, PasswordChange, TokenOut, TokenRequest, UserOut};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::routes::Ctx;
use crate::state::AppState;

pub async fn openapi() -> Response {
    json(StatusCode::OK, &crate::openapi::document())
}

/// The API's login: the session cookie and, in the body, the user and the CSRF token.
pub async fn login(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let remote_addr = remote_addr(connect);
    let (user, cookie, csrf_token) = log_in(&state, &remote_addr, &headers, body).await?;
    let mut response = json(
        StatusCode::OK,
        &json!({"user": UserOut::from(&user), "csrf_token": csrf_token}),
    );
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// The peer's address as the login throttle counts it.
pub fn remote_addr(connect: Option<Extension<ConnectInfo<SocketAddr>>>) -> String {
    connect
        .map(|Extension(ConnectInfo(addr))| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Checks the password, throttled: after `max_failed_logins` failures for this login or from
/// this address within the window, 429 until the window has passed. Unknown logins and wrong
/// passwords get the same answer. On success: the user, the `Set-Cookie` value of a fresh
/// session and its CSRF token (for the API's login and the login page alike).
pub async fn log_in(
    state: &AppState,
    remote_addr: &str,
    headers: &HeaderMap,
    body: LoginRequest,
) -> ApiResult<(regie_store::User, axum::http::HeaderValue, String)> {
    let now = jiff::Timestamp::now();
    let window = state.config.throttle_window_seconds;
    let since = now
        .checked_sub(jiff::SignedDuration::from_secs(window))
        .map_err(ApiError::internal)?;
    let failures = state
        .store
        .failed_login_attempts(&body.login, remote_addr, since)
        .await?;
    if failures >= state.config.max_failed_logins {
        let mut error = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            format!(
                "too many failed logins for this account or address; try again in {window} seconds"
            ),
        );
        error.retry_after_seconds = Some(window.unsigned_abs());
        return Err(error);
    }
    let user = state.store.user_by_login(&body.login).await?;
    let hash = user
        .as_ref()
        .filter(|user| !user.disabled)
        .and_then(|user| user.password_hash.clone());
    let ok = auth::verify_password(body.password, hash).await;
    state
        .store
        .record_login_attempt(&LoginAttempt {
            login: body.login.clone(),
            remote_addr: remote_addr.to_owned(),
            at: now,
            succeeded: ok,
        })
        .await?;
    let Some(user) = user.filter(|_| ok) else {
        return Err(ApiError::unauthorized("wrong login or password"));
    };
    // A previous session on this browser ends: a login always gets a fresh session id.
    if let (_, Credential::Session { id_hash, .. }) = auth::authenticate(state, headers).await? {
        state.store.delete_session(&id_hash).await?;
    }
    let secure = auth::secure_request(state, headers);
    let (cookie, csrf_token) = auth::open_session(state, user.id, secure).await?;
    Ok((user, cookie, csrf_token))
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Credential::Session { id_hash, .. } = &ctx.credential {
        state.store.delete_session(id_hash).await?;
        let secure = auth::secure_request(&state, &headers);
        response
            .headers_mut()
            .insert(header::SET_COOKIE, auth::session_cookie("", 0, secure)?);
    }
    Ok(response)
}

pub async fn me(Extension(ctx): Extension<Ctx>) -> ApiResult<Response> {
    let user = ctx
        .actor
        .user()
        .ok_or_else(|| ApiError::unauthorized("not logged in"))?;
    let csrf_token = match &ctx.credential {
        Credential::Session { csrf_token, .. } => Some(csrf_token.clone()),
        _ => None,
    };
    Ok(json(
        StatusCode::OK,
        &json!({"user": UserOut::from(user), "csrf_token": csrf_token}),
    ))
}

/// Checks the current password (a wrong one counts as a failed login for the throttle), sets
/// the new one; the store ends every session of the user in the same transaction.
pub async fn change_password(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    ApiJson(body): ApiJson<PasswordChange>,
) -> ApiResult<Response> {
    let user = ctx
        .actor
        .user()
        .ok_or_else(|| ApiError::unauthorized("not logged in"))?;
    crate::api::admin::check_password(&body.new_password).map_err(|_| {
        ApiError::field(
            "new_password",
            format!(
                "must have at least {} characters",
                crate::api::admin::MIN_PASSWORD
            ),
        )
    })?;
    let ok = auth::verify_password(body.current_password, user.password_hash.clone()).await;
    if !ok {
        state
            .store
            .record_login_attempt(&LoginAttempt {
                login: user.login.clone(),
                remote_addr: connect
                    .map(|Extension(ConnectInfo(addr))| addr.ip().to_string())
                    .unwrap_or_else(|| "unknown".to_owned()),
                at: jiff::Timestamp::now(),
                succeeded: false,
            })
            .await?;
        return Err(ApiError::field("current_password", "is not your password"));
    }
    let hash = auth::hash_password(body.new_password).await?;
    state.store.set_password_hash(user.id, &hash).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn me_id(ctx: &Ctx) -> ApiResult<regie_store::UserId> {
    ctx.user_id()
        .ok_or_else(|| ApiError::unauthorized("not logged in"))
}

pub async fn list_tokens(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> ApiResult<Response> {
    let tokens = state.store.list_api_tokens(me_id(&ctx)?).await?;
    let items: Vec<TokenOut> = tokens.iter().map(TokenOut::from).collect();
    let total = items.len();
    Ok(json(
        StatusCode::OK,
        &json!({"items": items, "total": total, "offset": 0, "limit": total}),
    ))
}

/// The secret is in this answer and nowhere else: the store keeps its hash.
pub async fn create_token(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiJson(body): ApiJson<TokenRequest>,
) -> ApiResult<Response> {
    if body.name.trim().is_empty() {
        return Err(ApiError::field("name", "must not be empty"));
    }
    let (secret, hash) = auth::new_api_token()?;
    let token = state
        .store
        .create_api_token(me_id(&ctx)?, &body.name, &hash)
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &json!({"token": TokenOut::from(&token), "secret": secret}),
    ))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let mine = state.store.list_api_tokens(me_id(&ctx)?).await?;
    if !mine
        .iter()
        .any(|token| token.id == id && token.revoked_at.is_none())
    {
        return Err(ApiError::not_found(format!(
            "you have no live API token #{id}"
        )));
    }
    state
        .store
        .revoke_api_token(id, jiff::Timestamp::now())
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
