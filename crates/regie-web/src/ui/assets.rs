//! The stylesheet and scripts, embedded in the binary. Their URLs carry a hash of their
//! content (`/assets/app.css?v=3f2a...`), so browsers keep them for a year and fetch them again
//! exactly when a new binary changes them.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::sha256_hex;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: [Asset; 6] = [
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../assets/app.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/app.js"),
    },
    Asset {
        name: "gantt.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/gantt.js"),
    },
    Asset {
        name: "table.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/table.js"),
    },
    Asset {
        name: "people.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/people.js"),
    },
    Asset {
        name: "project-admin.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/project-admin.js"),
    },
];

/// The first 12 hex digits of each asset's SHA-256, by position in [`ASSETS`].
static HASHES: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|asset| sha256_hex(asset.body)[..12].to_owned())
        .collect()
});

/// The URL of an asset, with its content hash.
pub fn url(name: &str) -> String {
    match ASSETS.iter().position(|asset| asset.name == name) {
        Some(index) => format!("/assets/{name}?v={}", HASHES[index]),
        None => format!("/assets/{name}"),
    }
}

pub async fn serve(Path(name): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.name == name) else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        asset.body,
    )
        .into_response()
}
