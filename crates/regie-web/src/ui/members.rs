//! A project's members: name, login, role and client organisation. A project manager (or an
//! admin) changes roles, removes and adds members; the page's script calls
//! `PUT`/`DELETE /api/v1/projects/{project}/members/{user}` (no `If-Match`: memberships are not
//! versioned).
//!
//! Adding needs the user's id, and listing users (`GET /api/v1/users`) is for administrators
//! only. So a manager types a login and the page resolves that exact login
//! (`?fragment=member-lookup&login=...`): one active account by its exact login, never a
//! list, so a manager cannot browse the directory (client users of other organisations
//! included). Administrators, who may list users anyway, also get the logins as suggestions.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use regie_store::{Page as StorePage, Role};

use crate::error::ApiResult;
use crate::permissions::Action;
use crate::routes::Ctx;
use crate::state::AppState;
use crate::ui::error::page_for_problem;
use crate::ui::shell::{Shell, render, role_label};

/// The roles a member may have, in the order the selects offer them.
const ROLES: [Role; 4] = [
    Role::Sponsor,
    Role::ProjectManager,
    Role::TeamMember,
    Role::Client,
];

pub struct MemberRow {
    pub user: i64,
    pub name: String,
    pub login: String,
    pub role_code: &'static str,
    pub role: &'static str,
    pub client: String,
    pub disabled: bool,
    pub is_self: bool,
}

pub struct UserOption {
    pub login: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    shell: Shell,
    script: String,
    project_id: i64,
    rows: Vec<MemberRow>,
    may_manage: bool,
    roles: Vec<(&'static str, &'static str)>,
    /// Suggestions for the login field: administrators only.
    users: Vec<UserOption>,
}

#[derive(Template)]
#[template(path = "members_list.html")]
struct MembersList {
    rows: Vec<MemberRow>,
    may_manage: bool,
    roles: Vec<(&'static str, &'static str)>,
}

/// The answer to a login typed in the add form: the user's id in `data-user`, or a reason.
#[derive(Template)]
#[template(
    source = r#"<p id="member-lookup" hidden data-user="{{ user }}" data-login="{{ login }}" data-name="{{ name }}">{{ message }}</p>"#,
    ext = "html"
)]
struct Lookup {
    user: String,
    login: String,
    name: String,
    message: String,
}

#[derive(Deserialize)]
pub struct MembersQuery {
    fragment: Option<String>,
    login: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(query): Query<MembersQuery>,
) -> Response {
    let may_manage = ctx.may(Action::ManageMembers);
    match query.fragment.as_deref() {
        Some("member-lookup") if may_manage => {
            let login = query.login.unwrap_or_default();
            match lookup(&state, login.trim()).await {
                Ok(answer) => render(&answer),
                Err(problem) => page_for_problem(problem),
            }
        }
        Some("members-list") => match rows(&state, &ctx).await {
            Ok(rows) => render(&MembersList {
                rows,
                may_manage,
                roles: roles(),
            }),
            Err(problem) => page_for_problem(problem),
        },
        _ => match members_page(&state, &ctx).await {
            Ok(page) => render(&page),
            Err(problem) => page_for_problem(problem),
        },
    }
}

fn roles() -> Vec<(&'static str, &'static str)> {
    ROLES
        .iter()
        .map(|role| (role.code(), role_label(*role)))
        .collect()
}

async fn lookup(state: &AppState, login: &str) -> ApiResult<Lookup> {
    let mut answer = Lookup {
        user: String::new(),
        login: login.to_owned(),
        name: String::new(),
        message: String::new(),
    };
    if login.is_empty() {
        answer.message = "Type a login.".to_owned();
        return Ok(answer);
    }
    match state.store.user_by_login(login).await? {
        Some(user) if !user.disabled => {
            answer.user = user.id.0.to_string();
            answer.name = user.display_name;
        }
        _ => answer.message = format!("No active user has the login “{login}”."),
    }
    Ok(answer)
}

async fn rows(state: &AppState, ctx: &Ctx) -> ApiResult<Vec<MemberRow>> {
    let project = ctx.project()?;
    let clients: HashMap<i64, String> = state
        .store
        .list_clients()
        .await?
        .into_iter()
        .map(|client| (client.id.0, client.name))
        .collect();
    let me = ctx.user_id();
    let mut rows = Vec::new();
    for membership in state.store.memberships(project).await? {
        let user = state.store.user(membership.user).await?;
        rows.push(MemberRow {
            user: user.id.0,
            is_self: Some(user.id) == me,
            client: user
                .client
                .and_then(|client| clients.get(&client.0).cloned())
                .unwrap_or_default(),
            name: user.display_name,
            login: user.login,
            role_code: membership.role.code(),
            role: role_label(membership.role),
            disabled: user.disabled,
        });
    }
    rows.sort_by_key(|row| {
        (
            ROLES.iter().position(|role| role.code() == row.role_code),
            row.name.to_lowercase(),
        )
    });
    Ok(rows)
}

async fn members_page(state: &AppState, ctx: &Ctx) -> ApiResult<MembersPage> {
    let loaded = crate::api::load(state, ctx).await?;
    let may_manage = ctx.may(Action::ManageMembers);
    let rows = rows(state, ctx).await?;
    let mut users = Vec::new();
    if may_manage && ctx.may(Action::ManageUsers) {
        for user in state
            .store
            .list_users(StorePage::first(StorePage::MAX_LIMIT))
            .await?
        {
            if !user.disabled && !rows.iter().any(|row| row.user == user.id.0) {
                users.push(UserOption {
                    login: user.login,
                    name: user.display_name,
                });
            }
        }
    }
    Ok(MembersPage {
        shell: Shell::for_project(ctx, &loaded.summary, "Members"),
        script: Shell::script("project-admin.js"),
        project_id: loaded.summary.id.0,
        rows,
        may_manage,
        roles: roles(),
        users,
    })
}
