//! Request extractors whose rejections are problems naming the field, instead of axum's plain
//! text: JSON bodies (size-limited, unknown fields refused by the DTOs), raw bodies for imports,
//! path and query parameters, and the `If-Match` precondition.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

/// The largest request body accepted, imports included.
pub const BODY_LIMIT: usize = 8 * 1024 * 1024;

/// A JSON body, decoded into `T`. `T`s are `deny_unknown_fields` DTOs, so a typo is an error.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                let media = value.split(';').next().unwrap_or("").trim();
                media == "application/json" || media.ends_with("+json")
            });
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "the body must be JSON, sent with Content-Type: application/json",
            ));
        }
        let bytes = read_body(req).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A raw body (an imported file), at most [`BODY_LIMIT`] bytes.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        read_body(req).await.map(RawBody)
    }
}

async fn read_body(req: Request) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(req.into_body(), BODY_LIMIT)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                format!("the request body is larger than the limit of {BODY_LIMIT} bytes (8 MiB)"),
            )
        })
}

/// Decodes JSON, naming the field at fault: a syntax error is a 400 with its line and column,
/// a wrong type, a missing or an unknown field is a 422 with the field's path.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => value,
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            return Err(json_error(&path, &inner));
        }
    };
    if let Err(error) = deserializer.end() {
        return Err(json_error(".", &error));
    }
    Ok(value)
}

fn json_error(path: &str, error: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::bad_request(format!("the body is not valid JSON: {error}"))
        }
        Category::Data => {
            // serde's message ends with " at line L column C"; keep it, it helps with big bodies.
            let message = error.to_string();
            let field = if path == "." {
                unknown_field_name(&message).unwrap_or_else(|| "(body)".to_owned())
            } else {
                path.to_owned()
            };
            let mut api = ApiError::field(field.clone(), message.clone());
            api.detail = format!("{field}: {message}");
            api.errors = vec![FieldError { field, message }];
            api
        }
    }
}

/// serde reports an unknown or missing top-level field with the path "."; the name is in the
/// message between backquotes.
fn unknown_field_name(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}

/// Path parameters; a malformed one is a 404 (no such thing), never axum's text.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(ApiError::not_found(format!(
                "no such resource: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// Query parameters (`deny_unknown_fields` DTOs); a bad one is a 400 naming it.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => {
                let text = rejection.body_text();
                let message = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text)
                    .to_owned();
                let field = message
                    .split_once(": ")
                    .map(|(field, _)| field.to_owned())
                    .filter(|field| !field.contains(' '))
                    .or_else(|| unknown_field_name(&message))
                    .unwrap_or_else(|| "(query)".to_owned());
                let mut error = ApiError::bad_request(format!("query parameter {message}"));
                error.errors.push(FieldError { field, message });
                Err(error)
            }
        }
    }
}

/// The version an update was made at, from `If-Match: "7"`. Missing: 428, so no client can
/// overwrite by forgetting the header.
pub fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if-match-required",
            "updates need an If-Match header with the ETag of the project version they were made at (GET the resource to learn it)",
        ));
    };
    let text = value.to_str().unwrap_or("").trim();
    let text = text.strip_prefix("W/").unwrap_or(text);
    text.trim_matches('"').parse::<i64>().map_err(|_| {
        let mut error = ApiError::bad_request(format!(
            "If-Match must be an ETag this server gave, such as \"7\"; got {text:?}"
        ));
        error.errors.push(FieldError {
            field: "If-Match".into(),
            message: "not a project version".into(),
        });
        error
    })
}
