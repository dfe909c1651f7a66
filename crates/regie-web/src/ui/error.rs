//! The guard's refusals and other failures as pages a person can act on.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::error::ApiError;
use crate::ui::assets;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    css: String,
}

/// A page with a title and a sentence, at `status`.
pub fn message_page(status: StatusCode, title: &str, message: &str) -> Response {
    let page = ErrorPage {
        title,
        message,
        css: assets::url("app.css"),
    };
    let html = page
        .render()
        .unwrap_or_else(|_| format!("<h1>{status}</h1>"));
    let mut response = (status, Html(html)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub fn not_found_page() -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no such page, or it belongs to a project you are not a member of.",
    )
}

/// The page for a refusal of the guard (or a handler) on `uri`.
pub fn page_for(problem: ApiError, uri: &Uri) -> Response {
    match problem.status {
        StatusCode::UNAUTHORIZED => {
            let next = uri
                .path_and_query()
                .map(|path| path.as_str())
                .unwrap_or("/");
            Redirect::to(&format!("/login?next={}", encode_component(next))).into_response()
        }
        StatusCode::NOT_FOUND => not_found_page(),
        StatusCode::FORBIDDEN => message_page(
            StatusCode::FORBIDDEN,
            "Not allowed",
            "Your role in this project does not give access to this page.",
        ),
        status => message_page(status, "Something went wrong", &problem.detail),
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A handler's failure as a page.
pub fn page_for_problem(problem: ApiError) -> Response {
    page_for(problem, &Uri::from_static("/"))
}
