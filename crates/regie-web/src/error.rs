//! Every error the API returns, as `application/problem+json` (RFC 9457), built in one place.
//!
//! A problem has `type`, `title`, `status`, `detail` and, when fields of the request are at
//! fault, `errors: [{field, message}]` naming them as a path (`tasks[3].duration`). A stale
//! write (412) also carries `current_version`, so the client knows what to reload.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use regie_store::StoreError;

/// One field of the request at fault.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An error answer. Build it with the constructors; turn it into a response with `?`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// A short stable name: the last part of the problem's `type` URI.
    pub kind: &'static str,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub current_version: Option<i64>,
    pub retry_after_seconds: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            detail: detail.into(),
            errors: Vec::new(),
            current_version: None,
            retry_after_seconds: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    /// A well-formed request whose `field` has a value we cannot accept.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        let field = field.into();
        let message = message.into();
        let mut error = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-field",
            format!("{field}: {message}"),
        );
        error.errors.push(FieldError { field, message });
        error
    }

    pub fn unprocessable(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        // The detail goes to the server's log, not to the client: it may name files or SQL.
        eprintln!("regie-web: internal error: {detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed to answer; the error is in its log",
        )
    }

    /// The optimistic-concurrency conflict: the client edited an older version.
    pub fn stale(expected: i64, current: i64) -> ApiError {
        let mut error = ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "stale",
            format!(
                "the project has changed: it is at version {current}, the request was made at version {expected}; reload and try again"
            ),
        );
        error.current_version = Some(current);
        error
    }

    fn title(&self) -> &'static str {
        self.status.canonical_reason().unwrap_or("Error")
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::Stale {
                expected, current, ..
            } => ApiError::stale(expected, current),
            StoreError::NotFound(what) => ApiError::not_found(format!("{what} does not exist")),
            StoreError::Conflict(what) => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("{what} already exists"),
            ),
            StoreError::Invalid(why) => ApiError::unprocessable(why),
            StoreError::Constraint(why) => {
                ApiError::unprocessable(format!("the database refused the change: {why}"))
            }
            other => ApiError::internal(other),
        }
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [FieldError],
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<i64>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = Problem {
            kind: format!("urn:regie:problem:{}", self.kind),
            title: self.title(),
            status: self.status.as_u16(),
            detail: &self.detail,
            errors: &self.errors,
            current_version: self.current_version,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after_seconds {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Some(version) = self.current_version
            && let Ok(value) = HeaderValue::from_str(&format!("\"{version}\""))
        {
            headers.insert(header::ETAG, value);
        }
        response
    }
}
