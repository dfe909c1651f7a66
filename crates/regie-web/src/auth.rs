//! Accounts: argon2id passwords, server-side sessions in the store (cookie `regie_session`),
//! CSRF tokens for cookie-authenticated writes, personal API tokens (`Bearer regie_...`), and
//! the login throttle.
//!
//! Secrets never reach the store or a log: a session cookie and an API token are 256 random
//! bits shown to their owner once; the store keeps their SHA-256. Passwords are argon2id PHC
//! strings, hashed on the blocking pool so a login does not stall other requests.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use regie_store::{Session, UserId};

use crate::error::{ApiError, ApiResult};
use crate::permissions::Actor;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "regie_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const TOKEN_PREFIX: &str = "regie_";
/// How long a session lives after login.
pub const SESSION_HOURS: i64 = 12;

/// How the caller proved who they are.
#[derive(Clone, Debug)]
pub enum Credential {
    None,
    /// A browser session: writes need its CSRF token.
    Session {
        id_hash: String,
        csrf_token: String,
    },
    Token {
        id: i64,
    },
}

/// 256 random bits, URL-safe base64.
pub fn random_secret() -> ApiResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|error| ApiError::internal(format!("getrandom: {error}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A new API token: the text shown once, and the hash to store.
pub fn new_api_token() -> ApiResult<(String, String)> {
    let token = format!("{TOKEN_PREFIX}{}", random_secret()?);
    let hash = sha256_hex(&token);
    Ok((token, hash))
}

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 passes), off the async
/// threads.
pub async fn hash_password(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .map_err(ApiError::internal)?
}

pub fn hash_password_blocking(password: &str) -> ApiResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| ApiError::internal(format!("argon2: {error}")))
}

/// Checks `password` against a PHC string; with no hash (unknown user, account without a
/// password) it still spends the time of one check, so timing does not tell which logins exist.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        static DUMMY: OnceLock<Option<String>> = OnceLock::new();
        let dummy = DUMMY.get_or_init(|| hash_password_blocking("not a password").ok());
        let (phc, real) = match &hash {
            Some(hash) => (hash.as_str(), true),
            None => (dummy.as_deref().unwrap_or(""), false),
        };
        let ok = PasswordHash::new(phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && real
    })
    .await
    .unwrap_or(false)
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Who is calling: a bearer token (which must be valid: a bad token is a 401, not anonymous),
/// else a session cookie (an unknown or expired one is simply anonymous).
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> ApiResult<(Actor, Credential)> {
    let now = jiff::Timestamp::now();
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let text = value.to_str().unwrap_or("");
        let token = text
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|token| token.starts_with(TOKEN_PREFIX))
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "the Authorization header must be `Bearer regie_...` with a personal API token",
                )
            })?;
        return match state.store.use_api_token(&sha256_hex(token), now).await? {
            Some((token, user)) => Ok((
                Actor::User(Box::new(user)),
                Credential::Token { id: token.id },
            )),
            None => Err(ApiError::unauthorized(
                "this API token is unknown or has been revoked",
            )),
        };
    }
    if let Some(cookie) = cookie_value(headers, SESSION_COOKIE) {
        let id_hash = sha256_hex(cookie);
        if let Some(session) = state.store.session(&id_hash, now).await?
            && let Some(user_id) = session.user
        {
            let user = state.store.user(user_id).await?;
            if !user.disabled {
                return Ok((
                    Actor::User(Box::new(user)),
                    Credential::Session {
                        id_hash,
                        csrf_token: session.csrf_token,
                    },
                ));
            }
        }
    }
    Ok((Actor::Anonymous, Credential::None))
}

/// Cookie-authenticated writes must echo the session's CSRF token in `X-CSRF-Token`: a page of
/// another site can make the browser send the cookie, not read the token.
pub fn check_csrf(method: &Method, headers: &HeaderMap, credential: &Credential) -> ApiResult<()> {
    let Credential::Session { csrf_token, .. } = credential else {
        return Ok(());
    };
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if constant_time_eq(sent.as_bytes(), csrf_token.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "a write with a session cookie needs the session's CSRF token in the X-CSRF-Token header (given at login and by GET /api/v1/me)",
        ))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Opens a session for `user`; returns the cookie header value and the CSRF token.
pub async fn open_session(
    state: &AppState,
    user: UserId,
    secure: bool,
) -> ApiResult<(HeaderValue, String)> {
    let cookie = random_secret()?;
    let csrf_token = random_secret()?;
    let expires_at = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(SESSION_HOURS))
        .map_err(ApiError::internal)?;
    state
        .store
        .create_session(&Session {
            id_hash: sha256_hex(&cookie),
            user: Some(user),
            csrf_token: csrf_token.clone(),
            data: "{}".into(),
            expires_at,
        })
        .await?;
    let header = session_cookie(&cookie, SESSION_HOURS * 3600, secure)?;
    Ok((header, csrf_token))
}

/// The `Set-Cookie` value: HttpOnly (no script reads it), SameSite=Lax (no cross-site POST
/// carries it), Secure behind HTTPS.
pub fn session_cookie(value: &str, max_age_seconds: i64, secure: bool) -> ApiResult<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"
    ))
    .map_err(ApiError::internal)
}

/// Whether cookies get the `Secure` flag: configured, or the proxy in front says HTTPS.
pub fn secure_request(state: &AppState, headers: &HeaderMap) -> bool {
    state.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}
