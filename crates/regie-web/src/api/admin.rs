//! Users and client organisations (admins only).

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use regie_store::{ClientId, NewUser, Page, UserId, UserUpdate};

use crate::api::json;
use crate::auth;
use crate::dto::{ClientCreate, ListQuery, UserCreate, UserOut, UserPatch};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::Ctx;
use crate::state::AppState;

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 10;

pub fn check_password(password: &str) -> ApiResult<()> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(ApiError::field(
            "password",
            format!("must have at least {MIN_PASSWORD} characters"),
        ));
    }
    Ok(())
}

/// A password to hand to a new user: 20 characters of a 256-bit secret.
pub fn generated_password() -> ApiResult<String> {
    Ok(auth::random_secret()?.chars().take(20).collect())
}

pub async fn list_users(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let users = state.store.list_users(Page::first(Page::MAX_LIMIT)).await?;
    let items: Vec<UserOut> = users
        .iter()
        .filter(|user| query.matches_name(&user.login) || query.matches_name(&user.display_name))
        .map(UserOut::from)
        .collect();
    Ok(json(StatusCode::OK, &query.page(items)))
}

pub async fn create_user(
    State(state): State<AppState>,
    Extension(_ctx): Extension<Ctx>,
    ApiJson(body): ApiJson<UserCreate>,
) -> ApiResult<Response> {
    if body.login.trim().is_empty() {
        return Err(ApiError::field("login", "must not be empty"));
    }
    let (password, generated) = match body.password {
        Some(password) => {
            check_password(&password)?;
            (password, false)
        }
        None => (generated_password()?, true),
    };
    let hash = auth::hash_password(password.clone()).await?;
    let id = state
        .store
        .create_user(&NewUser {
            login: body.login,
            display_name: body.display_name,
            email: body.email,
            password_hash: Some(hash),
            is_admin: body.is_admin,
            client: body.client.map(ClientId),
        })
        .await?;
    let user = state.store.user(id).await?;
    Ok(json(
        StatusCode::CREATED,
        &json!({"user": UserOut::from(&user), "password": generated.then_some(password)}),
    ))
}

pub async fn update_user(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UserPatch>,
) -> ApiResult<Response> {
    let id = UserId(id);
    let user = state.store.user(id).await?;
    let update = UserUpdate {
        display_name: body.display_name.unwrap_or(user.display_name),
        email: body.email.unwrap_or(user.email),
        is_admin: body.is_admin.unwrap_or(user.is_admin),
        disabled: body.disabled.unwrap_or(user.disabled),
        client: body
            .client
            .map_or(user.client, |client| client.map(ClientId)),
    };
    if let Some(password) = body.password {
        check_password(&password)?;
        let hash = auth::hash_password(password).await?;
        state.store.set_password_hash(id, &hash).await?;
    }
    state.store.update_user(id, &update).await?;
    let user = state.store.user(id).await?;
    Ok(json(StatusCode::OK, &UserOut::from(&user)))
}

pub async fn list_clients(State(state): State<AppState>) -> ApiResult<Response> {
    let clients = state.store.list_clients().await?;
    let items: Vec<_> = clients
        .iter()
        .map(|client| json!({"id": client.id.0, "name": client.name}))
        .collect();
    let total = items.len();
    Ok(json(
        StatusCode::OK,
        &json!({"items": items, "total": total, "offset": 0, "limit": total}),
    ))
}

pub async fn create_client(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ClientCreate>,
) -> ApiResult<Response> {
    if body.name.trim().is_empty() {
        return Err(ApiError::field("name", "must not be empty"));
    }
    let id = state.store.create_client(&body.name).await?;
    Ok(json(
        StatusCode::CREATED,
        &json!({"id": id.0, "name": body.name}),
    ))
}
