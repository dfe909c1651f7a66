//! The login page and form, and the account page (password, API tokens: the page's script
//! calls `/api/v1/me/...`).

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use crate::api::account::{log_in, remote_addr};
use crate::dto::LoginRequest;
use crate::routes::Ctx;
use crate::state::AppState;
use crate::ui::assets;
use crate::ui::shell::{Shell, render};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    css: String,
    next: String,
    login: String,
    error: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Only a path of this site: `/projects/3`, not `//evil.example` nor `https://...`.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

pub async fn login_page(Query(query): Query<NextQuery>) -> Response {
    render(&LoginPage {
        css: assets::url("app.css"),
        next: local_path(query.next.as_deref()),
        login: String::new(),
        error: String::new(),
    })
}

/// The login form: on success the session cookie and a redirect to where the user was going;
/// else the form again with the reason (and the login typed kept).
pub async fn login_form(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = local_path(Some(&form.next));
    let request = LoginRequest {
        login: form.login.clone(),
        password: form.password,
    };
    match log_in(&state, &remote_addr(connect), &headers, request).await {
        Ok((_, cookie, _)) => {
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(problem) => {
            let mut response = render(&LoginPage {
                css: assets::url("app.css"),
                next,
                login: form.login,
                error: match problem.status {
                    StatusCode::UNAUTHORIZED => "Wrong login or password.".to_owned(),
                    _ => problem.detail,
                },
            });
            *response.status_mut() = problem.status;
            response
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    shell: Shell,
    login: String,
    email: String,
}

pub async fn page(Extension(ctx): Extension<Ctx>) -> Response {
    let user = ctx.actor.user();
    render(&AccountPage {
        login: user.map(|user| user.login.clone()).unwrap_or_default(),
        email: user.and_then(|user| user.email.clone()).unwrap_or_default(),
        shell: Shell::new(&ctx, "Account", "account"),
    })
}
