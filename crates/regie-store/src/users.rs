//! Users, client organisations, project memberships with roles, sessions, API tokens and login
//! attempts. Secrets are stored as hashes only (argon2id PHC strings for passwords, a hash of
//! session ids and API tokens): the caller hashes, the store compares hashes for equality.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{Action, record};
use crate::error::classify;
use crate::project::Page;
use crate::{ClientId, ProjectId, Result, Store, StoreError, UserId, from_ms, now_ms, to_ms};

/// A user's role in one project (see the product's role table). Admin is not a project role but
/// a flag on the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Sponsor,
    ProjectManager,
    TeamMember,
    Client,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Sponsor => "sponsor",
            Role::ProjectManager => "project-manager",
            Role::TeamMember => "team-member",
            Role::Client => "client",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Some(match code {
            "sponsor" => Role::Sponsor,
            "project-manager" => Role::ProjectManager,
            "team-member" => Role::TeamMember,
            "client" => Role::Client,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    /// The argon2id PHC string; `None` when the account has no password.
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub disabled: bool,
    /// The organisation of a client-side user.
    pub client: Option<ClientId>,
    pub created_at: jiff::Timestamp,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub client: Option<ClientId>,
}

/// The fields of a user an administrator may change (the login stays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserUpdate {
    pub display_name: String,
    pub email: Option<String>,
    pub is_admin: bool,
    pub disabled: bool,
    pub client: Option<ClientId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub id: ClientId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub project: ProjectId,
    pub user: UserId,
    pub role: Role,
}

/// A browser session. `id_hash` is the hash of the cookie's value, never the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    /// `None` before login.
    pub user: Option<UserId>,
    pub csrf_token: String,
    /// The session layer's own data, serialised (JSON), opaque to the store.
    pub data: String,
    pub expires_at: jiff::Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub user: UserId,
    pub name: String,
    pub created_at: jiff::Timestamp,
    pub last_used_at: Option<jiff::Timestamp>,
    pub revoked_at: Option<jiff::Timestamp>,
}

/// One try at logging in, for throttling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginAttempt {
    pub login: String,
    pub remote_addr: String,
    pub at: jiff::Timestamp,
    pub succeeded: bool,
}

/// How precisely a token's last use is kept: recording it costs a write.
const LAST_USE_PRECISION: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

fn user_from_row(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        login: row.try_get("login")?,
        display_name: row.try_get("display_name")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        is_admin: row.try_get::<i64, _>("is_admin")? != 0,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        client: row.try_get::<Option<i64>, _>("client_id")?.map(ClientId),
        created_at: from_ms(row.try_get("created_at")?)?,
    })
}

fn opt_ms(ms: Option<i64>) -> Result<Option<jiff::Timestamp>> {
    ms.map(from_ms).transpose()
}

fn token_from_row(row: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: row.try_get("id")?,
        user: UserId(row.try_get("user_id")?),
        name: row.try_get("name")?,
        created_at: from_ms(row.try_get("created_at")?)?,
        last_used_at: opt_ms(row.try_get("last_used_at")?)?,
        revoked_at: opt_ms(row.try_get("revoked_at")?)?,
    })
}

impl Store {
    pub async fn create_user(&self, user: &NewUser) -> Result<UserId> {
        if user.login.trim().is_empty() {
            return Err(StoreError::Invalid("a user needs a login".into()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (login, display_name, email, password_hash, is_admin, disabled, client_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, $7) RETURNING id",
        )
        .bind(&user.login)
        .bind(&user.display_name)
        .bind(user.email.as_deref())
        .bind(user.password_hash.as_deref())
        .bind(i64::from(user.is_admin))
        .bind(user.client.map(|client| client.0))
        .bind(now_ms())
        .fetch_one(&self.write)
        .await
        .map_err(|e| classify(e, || format!("a user with login {:?}", user.login)))?;
        Ok(UserId(id))
    }

    pub async fn user(&self, id: UserId) -> Result<User> {
        let row = sqlx::query(
            "SELECT id, login, display_name, email, password_hash, is_admin, disabled, client_id, created_at \
             FROM users WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.read)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("user #{}", id.0)))?;
        user_from_row(&row)
    }

    /// The user with this login, for checking a password at login.
    pub async fn user_by_login(&self, login: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT id, login, display_name, email, password_hash, is_admin, disabled, client_id, created_at \
             FROM users WHERE login = $1",
        )
        .bind(login)
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn list_users(&self, page: Page) -> Result<Vec<User>> {
        let rows = sqlx::query(
            "SELECT id, login, display_name, email, password_hash, is_admin, disabled, client_id, created_at \
             FROM users ORDER BY login LIMIT $1 OFFSET $2",
        )
        .bind(page.limit.clamp(0, Page::MAX_LIMIT))
        .bind(page.offset.max(0))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    pub async fn update_user(&self, id: UserId, update: &UserUpdate) -> Result<()> {
        let done = sqlx::query(
            "UPDATE users SET display_name = $1, email = $2, is_admin = $3, disabled = $4, client_id = $5 WHERE id = $6",
        )
        .bind(&update.display_name)
        .bind(update.email.as_deref())
        .bind(i64::from(update.is_admin))
        .bind(i64::from(update.disabled))
        .bind(update.client.map(|client| client.0))
        .bind(id.0)
        .execute(&self.write)
        .await
        .map_err(|e| classify(e, String::new))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user #{}", id.0)));
        }
        Ok(())
    }

    /// Replaces the password hash and, in the same transaction, ends the user's sessions: a
    /// changed password logs out everyone who knew the old one.
    pub async fn set_password_hash(&self, id: UserId, password_hash: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user #{}", id.0)));
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn create_client(&self, name: &str) -> Result<ClientId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO clients (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(now_ms())
        .fetch_one(&self.write)
        .await
        .map_err(|e| classify(e, || format!("a client named {name:?}")))?;
        Ok(ClientId(id))
    }

    pub async fn list_clients(&self) -> Result<Vec<Client>> {
        let rows = sqlx::query("SELECT id, name FROM clients ORDER BY name")
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Client {
                    id: ClientId(row.try_get("id")?),
                    name: row.try_get("name")?,
                })
            })
            .collect()
    }

    /// Gives `user` the role `role` in `project`, replacing any role they had there.
    /// Makes `user` a member of `project` with `role` (or changes their role), recorded in the
    /// project's audit log as done by `actor`. Membership is not part of the plan: the
    /// project's version stays.
    pub async fn set_membership(
        &self,
        project: ProjectId,
        user: UserId,
        role: Role,
        actor: Option<UserId>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (version, old) = membership_before(&mut tx, project, user).await?;
        sqlx::query(
            "INSERT INTO memberships (project_id, user_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(project.0)
        .bind(user.0)
        .bind(role.code())
        .execute(&mut *tx)
        .await
        .map_err(|e| match classify(e, String::new) {
            StoreError::Constraint(_) => StoreError::NotFound(format!("user #{}", user.0)),
            other => other,
        })?;
        if old.as_deref() != Some(role.code()) {
            let action = if old.is_some() {
                Action::Update
            } else {
                Action::Create
            };
            let change = (old.as_deref(), Some(role.code()));
            audit_membership(&mut tx, project, actor, version, user, action, change).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Ends `user`'s membership of `project`, recorded in its audit log as done by `actor`.
    pub async fn remove_membership(
        &self,
        project: ProjectId,
        user: UserId,
        actor: Option<UserId>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (version, old) = membership_before(&mut tx, project, user).await?;
        let Some(old) = old else {
            return Err(StoreError::NotFound(format!(
                "a membership of user #{} in project #{}",
                user.0, project.0
            )));
        };
        sqlx::query("DELETE FROM memberships WHERE project_id = $1 AND user_id = $2")
            .bind(project.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        let change = (Some(old.as_str()), None);
        audit_membership(
            &mut tx,
            project,
            actor,
            version,
            user,
            Action::Delete,
            change,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What every request to a project needs first, in one query: the project's current
    /// version and `user`'s role in it. `None` when the project does not exist.
    pub async fn access(
        &self,
        project: ProjectId,
        user: UserId,
    ) -> Result<Option<(i64, Option<Role>)>> {
        let row = sqlx::query(
            "SELECT p.version, m.role FROM projects p \
             LEFT JOIN memberships m ON m.project_id = p.id AND m.user_id = $2 WHERE p.id = $1",
        )
        .bind(project.0)
        .bind(user.0)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let role = row
            .try_get::<Option<String>, _>("role")?
            .map(|code| {
                Role::parse(&code).ok_or_else(|| StoreError::Corrupt {
                    table: "memberships",
                    column: "role",
                    value: code.clone(),
                    reason: "unknown role".into(),
                })
            })
            .transpose()?;
        Ok(Some((row.try_get("version")?, role)))
    }

    /// The role of `user` in `project`, if they are a member.
    pub async fn role(&self, project: ProjectId, user: UserId) -> Result<Option<Role>> {
        let code: Option<String> = sqlx::query_scalar(
            "SELECT role FROM memberships WHERE project_id = $1 AND user_id = $2",
        )
        .bind(project.0)
        .bind(user.0)
        .fetch_optional(&self.read)
        .await?;
        code.map(|code| {
            Role::parse(&code).ok_or_else(|| StoreError::Corrupt {
                table: "memberships",
                column: "role",
                value: code.clone(),
                reason: "unknown role".into(),
            })
        })
        .transpose()
    }

    /// Whether `user` is the project manager of at least one project (such users may create
    /// projects).
    pub async fn manages_a_project(&self, user: UserId) -> Result<bool> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM memberships WHERE user_id = $1 AND role = $2")
                .bind(user.0)
                .bind(Role::ProjectManager.code())
                .fetch_one(&self.read)
                .await?;
        let n: i64 = row.try_get("n")?;
        Ok(n > 0)
    }

    pub async fn memberships(&self, project: ProjectId) -> Result<Vec<Membership>> {
        let rows = sqlx::query("SELECT project_id, user_id, role FROM memberships WHERE project_id = $1 ORDER BY user_id")
            .bind(project.0)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|row| {
                let code: String = row.try_get("role")?;
                Ok(Membership {
                    project: ProjectId(row.try_get("project_id")?),
                    user: UserId(row.try_get("user_id")?),
                    role: Role::parse(&code).ok_or_else(|| StoreError::Corrupt {
                        table: "memberships",
                        column: "role",
                        value: code.clone(),
                        reason: "unknown role".into(),
                    })?,
                })
            })
            .collect()
    }

    pub async fn create_session(&self, session: &Session) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, data, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&session.id_hash)
        .bind(session.user.map(|user| user.0))
        .bind(&session.csrf_token)
        .bind(&session.data)
        .bind(now_ms())
        .bind(to_ms(session.expires_at))
        .execute(&self.write)
        .await
        .map_err(|e| classify(e, || "a session with this id".to_owned()))?;
        Ok(())
    }

    /// Replaces a session's user, data, CSRF token and expiry (after login, on renewal).
    pub async fn update_session(&self, session: &Session) -> Result<()> {
        let done = sqlx::query(
            "UPDATE sessions SET user_id = $1, csrf_token = $2, data = $3, expires_at = $4 WHERE id_hash = $5",
        )
        .bind(session.user.map(|user| user.0))
        .bind(&session.csrf_token)
        .bind(&session.data)
        .bind(to_ms(session.expires_at))
        .bind(&session.id_hash)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("the session".into()));
        }
        Ok(())
    }

    /// The session with this id hash, unless it has expired by `now` or its user is disabled.
    pub async fn session(&self, id_hash: &str, now: jiff::Timestamp) -> Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT s.id_hash, s.user_id, s.csrf_token, s.data, s.expires_at FROM sessions s \
             LEFT JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND (u.disabled IS NULL OR u.disabled = 0)",
        )
        .bind(id_hash)
        .bind(to_ms(now))
        .fetch_optional(&self.read)
        .await?;
        row.map(|row| {
            Ok(Session {
                id_hash: row.try_get("id_hash")?,
                user: row.try_get::<Option<i64>, _>("user_id")?.map(UserId),
                csrf_token: row.try_get("csrf_token")?,
                data: row.try_get("data")?,
                expires_at: from_ms(row.try_get("expires_at")?)?,
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Deletes the sessions expired by `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: jiff::Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(to_ms(now))
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected())
    }

    /// Stores a new API token by its hash; the token itself is shown to the user once and
    /// never stored.
    pub async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
    ) -> Result<ApiToken> {
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id, user_id, name, created_at, last_used_at, revoked_at",
        )
        .bind(user.0)
        .bind(name)
        .bind(token_hash)
        .bind(now_ms())
        .fetch_one(&self.write)
        .await
        .map_err(|e| match classify(e, || "an API token with this hash".to_owned()) {
            StoreError::Constraint(_) => StoreError::NotFound(format!("user #{}", user.0)),
            other => other,
        })?;
        token_from_row(&row)
    }

    /// The live token with this hash and its user (not revoked, user not disabled), marking it
    /// used at `now` unless it was marked so less than a minute ago.
    pub async fn use_api_token(
        &self,
        token_hash: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<(ApiToken, User)>> {
        // A read: every API call authenticates, and a write per call would queue reads
        // behind SQLite's single writer. The last use is recorded to the minute.
        // The user's columns under their own names, the token's prefixed: one query.
        let row = sqlx::query(
            "SELECT u.id, u.login, u.display_name, u.email, u.password_hash, u.is_admin, \
             u.disabled, u.client_id, u.created_at, t.id AS token_id, t.user_id, t.name, \
             t.created_at AS token_created_at, t.last_used_at, t.revoked_at \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0",
        )
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let user = user_from_row(&row)?;
        let mut token = ApiToken {
            id: row.try_get("token_id")?,
            user: user.id,
            name: row.try_get("name")?,
            created_at: from_ms(row.try_get("token_created_at")?)?,
            last_used_at: opt_ms(row.try_get("last_used_at")?)?,
            revoked_at: None,
        };
        let stale = token
            .last_used_at
            .is_none_or(|at| now.duration_since(at) >= LAST_USE_PRECISION);
        if stale {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(to_ms(now))
                .bind(token.id)
                .execute(&self.write)
                .await?;
            token.last_used_at = Some(from_ms(to_ms(now))?);
        }
        Ok(Some((token, user)))
    }

    pub async fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens \
             WHERE user_id = $1 ORDER BY id",
        )
        .bind(user.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(token_from_row).collect()
    }

    pub async fn revoke_api_token(&self, id: i64, now: jiff::Timestamp) -> Result<()> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(to_ms(now))
        .bind(id)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("live API token #{id}")));
        }
        Ok(())
    }

    pub async fn record_login_attempt(&self, attempt: &LoginAttempt) -> Result<()> {
        sqlx::query("INSERT INTO login_attempts (login, remote_addr, at, succeeded) VALUES ($1, $2, $3, $4)")
            .bind(&attempt.login)
            .bind(&attempt.remote_addr)
            .bind(to_ms(attempt.at))
            .bind(i64::from(attempt.succeeded))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Failed attempts on `login` or from `remote_addr` since `since`: the throttle's input.
    pub async fn failed_login_attempts(
        &self,
        login: &str,
        remote_addr: &str,
        since: jiff::Timestamp,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_attempts WHERE succeeded = 0 AND at >= $1 \
             AND (login = $2 OR remote_addr = $3)",
        )
        .bind(to_ms(since))
        .bind(login)
        .bind(remote_addr)
        .fetch_one(&self.read)
        .await?)
    }

    /// Forgets login attempts older than `before`.
    pub async fn prune_login_attempts(&self, before: jiff::Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM login_attempts WHERE at < $1")
            .bind(to_ms(before))
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected())
    }
}

/// The project's version and `user`'s role code in it before a membership change, in the
/// change's transaction.
async fn membership_before(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    project: ProjectId,
    user: UserId,
) -> Result<(i64, Option<String>)> {
    let row = sqlx::query(
        "SELECT p.version, m.role FROM projects p \
         LEFT JOIN memberships m ON m.project_id = p.id AND m.user_id = $2 WHERE p.id = $1",
    )
    .bind(project.0)
    .bind(user.0)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("project #{}", project.0)))?;
    Ok((row.try_get("version")?, row.try_get("role")?))
}

/// The audit row of a membership change: the role before and after (`None`: not a member).
async fn audit_membership(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    project: ProjectId,
    actor: Option<UserId>,
    version: i64,
    user: UserId,
    action: Action,
    (old, new): (Option<&str>, Option<&str>),
) -> Result<()> {
    let value = |role: &str| serde_json::json!({ "user": user.0, "role": role });
    let entity_id = user.0.to_string();
    record(
        tx,
        project,
        actor,
        version,
        "member",
        &entity_id,
        action,
        old.map(value),
        new.map(value),
    )
    .await
}
