//! A project's history: the audit log, newest first, 50 rows a page (`?page=N`), filtered by
//! the kind of thing changed (`?entity=task`). Each row says when, who, what, and the fields
//! that changed, old → new (`duration: 2400 → 4800 min`, `name: A → B`).

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value};

use regie_store::{AuditEntry, AuditQuery, Page as StorePage, UserId};

use crate::error::ApiResult;
use crate::routes::Ctx;
use crate::state::AppState;
use crate::ui::error::{encode_component, page_for_problem};
use crate::ui::shell::{Shell, render};

const PER_PAGE: usize = 50;

/// The kinds of things the audit log records, as the filter offers them.
const KINDS: [(&str, &str); 8] = [
    ("task", "Tasks"),
    ("link", "Dependencies"),
    ("resource", "Resources"),
    ("assignment", "Assignments"),
    ("calendar", "Calendars"),
    ("settings", "Project settings"),
    ("member", "Members"),
    ("project", "Project creation"),
];

struct Row {
    when: String,
    iso: String,
    version: i64,
    who: String,
    action: String,
    badge: &'static str,
    entity: String,
    entity_id: String,
    /// The thing's name when it has one (`Backend`), or the member's name.
    label: String,
    changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    shell: Shell,
    base: String,
    kinds: Vec<(&'static str, &'static str)>,
    entity: String,
    page: usize,
    rows: Vec<Row>,
    has_older: bool,
    newer_url: String,
    older_url: String,
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    page: Option<String>,
    entity: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(query): Query<HistoryQuery>,
) -> Response {
    match history_page(&state, &ctx, query).await {
        Ok(page) => render(&page),
        Err(problem) => page_for_problem(problem),
    }
}

async fn history_page(state: &AppState, ctx: &Ctx, query: HistoryQuery) -> ApiResult<HistoryPage> {
    let loaded = crate::api::load(state, ctx).await?;
    let project = loaded.summary.id;
    let page = query
        .page
        .and_then(|page| page.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1_000_000);
    let entity = query
        .entity
        .filter(|entity| KINDS.iter().any(|(kind, _)| kind == entity))
        .unwrap_or_default();
    let skip = (page - 1) * PER_PAGE;
    // One more than a page, to know whether there is an older one.
    let wanted = PER_PAGE + 1;
    let mut entries: Vec<AuditEntry> = Vec::new();
    if entity.is_empty() {
        entries = state
            .store
            .audit_log(
                project,
                AuditQuery {
                    page: StorePage {
                        offset: skip as i64,
                        limit: wanted as i64,
                    },
                    since_version: None,
                },
            )
            .await?;
    } else {
        // The store does not filter by kind: read in chunks, keep the matching rows.
        let chunk = StorePage::MAX_LIMIT;
        let mut offset = 0i64;
        let mut matched = 0usize;
        loop {
            let batch = state
                .store
                .audit_log(
                    project,
                    AuditQuery {
                        page: StorePage {
                            offset,
                            limit: chunk,
                        },
                        since_version: None,
                    },
                )
                .await?;
            let len = batch.len() as i64;
            for entry in batch {
                if entry.entity != entity {
                    continue;
                }
                if matched >= skip && entries.len() < wanted {
                    entries.push(entry);
                }
                matched += 1;
            }
            if len < chunk || entries.len() >= wanted {
                break;
            }
            offset += chunk;
        }
    }
    let has_older = entries.len() > PER_PAGE;
    entries.truncate(PER_PAGE);

    let mut names: HashMap<i64, String> = HashMap::new();
    let mut rows = Vec::with_capacity(entries.len());
    for entry in entries {
        let who = match entry.user {
            Some(user) => user_name(state, &mut names, user).await,
            None => "command line".to_owned(),
        };
        let label = label(state, &mut names, &entry).await;
        rows.push(Row {
            when: entry.at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            iso: entry.at.to_string(),
            version: entry.version,
            who,
            badge: match entry.action.as_str() {
                "create" => "good",
                "delete" => "bad",
                _ => "",
            },
            changes: describe(&entry.entity, entry.old.as_ref(), entry.new.as_ref()),
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            label,
        });
    }

    let base = format!("/projects/{}", project.0);
    let link = |page: usize| {
        let mut url = format!("{base}/history?page={page}");
        if !entity.is_empty() {
            url.push_str("&entity=");
            url.push_str(&encode_component(&entity));
        }
        url
    };
    Ok(HistoryPage {
        shell: Shell::for_project(ctx, &loaded.summary, "History"),
        kinds: KINDS.to_vec(),
        newer_url: link(page.saturating_sub(1).max(1)),
        older_url: link(page + 1),
        base,
        entity,
        page,
        rows,
        has_older,
    })
}

/// The name of what an entry changed (a task's or resource's name, a member's display name),
/// when it says more than its id; else empty.
pub async fn label(
    state: &AppState,
    names: &mut HashMap<i64, String>,
    entry: &AuditEntry,
) -> String {
    match entry.entity.as_str() {
        "member" => match entry.entity_id.parse::<i64>() {
            Ok(id) => user_name(state, names, UserId(id)).await,
            Err(_) => String::new(),
        },
        _ => name_of(entry.new.as_ref())
            .or_else(|| name_of(entry.old.as_ref()))
            .filter(|name| *name != entry.entity_id)
            .unwrap_or_default(),
    }
}

/// A user's display name, asked once per page.
pub async fn user_name(state: &AppState, names: &mut HashMap<i64, String>, user: UserId) -> String {
    if let Some(name) = names.get(&user.0) {
        return name.clone();
    }
    let name = state
        .store
        .user(user)
        .await
        .map(|user| user.display_name)
        .unwrap_or_else(|_| format!("user #{}", user.0));
    names.insert(user.0, name.clone());
    name
}

fn name_of(value: Option<&Value>) -> Option<String> {
    value?.get("name")?.as_str().map(str::to_owned)
}

/// What a change did, readably: for an update the fields whose value differs (nested objects
/// compared key by key), for a creation or a deletion the thing's main fields.
pub fn describe(entity: &str, old: Option<&Value>, new: Option<&Value>) -> Vec<String> {
    match (old, new) {
        (Some(old), Some(new)) => {
            let (mut before, mut after) = (Vec::new(), Vec::new());
            flatten("", old, &mut before);
            flatten("", new, &mut after);
            let old_of: HashMap<&str, &Value> = before
                .iter()
                .map(|(key, value)| (key.as_str(), *value))
                .collect();
            let new_of: HashMap<&str, &Value> = after
                .iter()
                .map(|(key, value)| (key.as_str(), *value))
                .collect();
            // Keys of the new value, then those only the old one had.
            let mut keys: Vec<&str> = after.iter().map(|(key, _)| key.as_str()).collect();
            keys.extend(
                before
                    .iter()
                    .map(|(key, _)| key.as_str())
                    .filter(|key| !new_of.contains_key(key)),
            );
            // The name first: it is what people look for.
            keys.sort_by_key(|key| *key != "name");
            let null = Value::Null;
            keys.into_iter()
                .filter_map(|key| {
                    let (was, is) = (
                        old_of.get(key).copied().unwrap_or(&null),
                        new_of.get(key).copied().unwrap_or(&null),
                    );
                    (was != is).then(|| change_line(key, was, is))
                })
                .collect()
        }
        (None, Some(value)) | (Some(value), None) => summary(entity, value),
        (None, None) => Vec::new(),
    }
}

/// The leaves of a JSON object as (`a.b`, value); arrays are leaves.
fn flatten<'a>(prefix: &str, value: &'a Value, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, value) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, value, out);
            }
        }
        _ => out.push((prefix.to_owned(), value)),
    }
}

/// `duration: 2400 → 4800 min`, `name: A → B`, `progress.percent complete: 0 → 50`.
fn change_line(path: &str, old: &Value, new: &Value) -> String {
    let (label, unit) = label_of(path);
    let (old, new) = (show(old, unit), show(new, unit));
    let suffix = match unit {
        Unit::Minutes if !new.ends_with('—') => " min",
        _ => "",
    };
    format!("{label}: {old} → {new}{suffix}")
}

#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Plain,
    Minutes,
    Cents,
}

/// A path's label and unit: `duration.minutes` is the duration in minutes,
/// `rates.standard_cents` the standard rate in money.
fn label_of(path: &str) -> (String, Unit) {
    let (path, unit) = if let Some(stem) = path.strip_suffix(".minutes") {
        (stem.to_owned(), Unit::Minutes)
    } else if let Some(stem) = path.strip_suffix("_minutes") {
        (stem.to_owned(), Unit::Minutes)
    } else if let Some(stem) = path.strip_suffix("_cents") {
        (stem.to_owned(), Unit::Cents)
    } else {
        (path.to_owned(), Unit::Plain)
    };
    let label = if path.is_empty() {
        "value".to_owned()
    } else {
        path.replace('_', " ")
    };
    (label, unit)
}

/// A value as a person reads it; long values are cut.
fn show(value: &Value, unit: Unit) -> String {
    let text = match value {
        Value::Null => return "—".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Number(number) if unit == Unit::Cents => match number.as_i64() {
            Some(cents) => format!(
                "{}{}.{:02}",
                if cents < 0 { "-" } else { "" },
                cents.abs() / 100,
                cents.abs() % 100
            ),
            None => number.to_string(),
        },
        Value::Number(number) => number.to_string(),
        Value::String(text) if text.is_empty() => "“”".to_owned(),
        Value::String(text) => text.clone(),
        Value::Array(items) if items.is_empty() => "none".to_owned(),
        Value::Object(map) if map.is_empty() => "none".to_owned(),
        other => other.to_string(),
    };
    cut(&text, 120)
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max).collect();
    cut.push('…');
    cut
}

/// The main fields of a thing created or deleted.
fn summary(entity: &str, value: &Value) -> Vec<String> {
    let keys: &[&str] = match entity {
        "task" => &["name", "parent", "duration.minutes", "milestone"],
        "link" => &["kind", "lag.value"],
        "resource" => &["name", "kind", "group"],
        "assignment" => &["units"],
        "calendar" => &["name", "base"],
        "member" => &["role"],
        _ => &["name"],
    };
    let mut leaves = Vec::new();
    flatten("", value, &mut leaves);
    let of: Map<String, Value> = leaves
        .into_iter()
        .map(|(key, value)| (key, value.clone()))
        .collect();
    keys.iter()
        .filter_map(|key| {
            let value = of.get(*key)?;
            if value.is_null() || *value == Value::Bool(false) {
                return None;
            }
            let (label, unit) = label_of(key);
            let suffix = if unit == Unit::Minutes { " min" } else { "" };
            Some(format!("{label}: {}{suffix}", show(value, unit)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::describe;

    #[test]
    fn an_update_shows_the_changed_fields_only() {
        let old = json!({"uid": "a", "name": "A", "duration": {"minutes": 2400, "elapsed": false}, "notes": null});
        let new = json!({"uid": "a", "name": "B", "duration": {"minutes": 4800, "elapsed": false}, "notes": "n"});
        assert_eq!(
            describe("task", Some(&old), Some(&new)),
            ["name: A → B", "duration: 2400 → 4800 min", "notes: — → n"]
        );
    }

    #[test]
    fn money_members_and_creations_read_as_people_say_them() {
        let old = json!({"rates": {"standard_cents": 8500}});
        let new = json!({"rates": {"standard_cents": 9050}});
        assert_eq!(
            describe("resource", Some(&old), Some(&new)),
            ["rates.standard: 85.00 → 90.50"]
        );
        let member = json!({"user": 3, "role": "team-member"});
        assert_eq!(
            describe("member", None, Some(&member)),
            ["role: team-member"]
        );
        let task =
            json!({"name": "X", "parent": null, "duration": {"minutes": 480}, "milestone": false});
        assert_eq!(
            describe("task", None, Some(&task)),
            ["name: X", "duration: 480 min"]
        );
    }
}
