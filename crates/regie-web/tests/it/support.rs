//! A small world to test in: a store, the router, users of every role with API tokens, a
//! project P they belong to and a project Q for the outsiders.

use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use serde_json::Value;
use sqlx::{Connection, Executor};
use tower::ServiceExt;

use regie_store::{NewUser, ProjectId, Role, Store, UserId};
use regie_web::{AppState, Config, auth};

/// The plan of project P: a summary with two children, a milestone, a resource with a rate,
/// an assignment and internal notes.
pub const PLAN_P: &str = r#"
project "Project P" {
    start "2027-01-04"
}
resource "ana" name="Ana Lima" rate=85.00
task "a" "Analysis" duration="5d" {
    note "internal: the client has not decided on the CRM licence"
    assign "ana"
}
task "b" "Build" {
    task "b1" "Backend" duration="10d" { after "a"; }
    task "b2" "Frontend" duration="8d" { after "a"; }
}
milestone "m" "Go-live" { after "b"; }
"#;

pub const PLAN_Q: &str = r#"
project "Project Q" {
    start "2027-02-01"
}
task "x" "Other work" duration="3d"
"#;

/// The eight callers of the permission matrix, in its column order.
pub const ACTORS: [&str; 8] = [
    "anonymous",
    "admin",
    "sponsor",
    "pm",
    "member",
    "client",
    "client_q",
    "member_q",
];

pub struct World {
    pub app: Router,
    pub store: Store,
    pub p: ProjectId,
    pub q: ProjectId,
    /// A user member of nothing. Every user has the password [`World::PASSWORD`].
    pub extra: UserId,
    pub users: Vec<(String, UserId)>,
    _dir: Option<tempfile::TempDir>,
    _schema: Option<Schema>,
}

/// A PostgreSQL schema of its own for one test, dropped when the test ends (also on failure).
pub struct Schema {
    base_url: String,
    name: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (base_url, name) = (self.base_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot block: a thread with its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut conn = sqlx::AnyConnection::connect(&base_url).await.ok()?;
                conn.execute(sqlx::AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS {name} CASCADE"
                )))
                .await
                .ok()?;
                conn.close().await.ok()
            })
        })
        .join();
    }
}

impl World {
    pub const PASSWORD: &str = "correct horse battery";

    pub async fn sqlite() -> World {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("regie.db");
        let store = Store::open(path.to_str().expect("a UTF-8 path"))
            .await
            .expect("the store opens");
        World::build(store, Some(dir), None).await
    }

    /// On the PostgreSQL server of `REGIE_TEST_PG_URL`, in a fresh schema; `None` (after
    /// saying so) when the variable is unset.
    pub async fn postgres() -> Option<World> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let Ok(base_url) = std::env::var("REGIE_TEST_PG_URL") else {
            println!("skipping PostgreSQL: REGIE_TEST_PG_URL is unset");
            return None;
        };
        sqlx::any::install_default_drivers();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "regie_web_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = sqlx::AnyConnection::connect(&base_url)
            .await
            .expect("REGIE_TEST_PG_URL connects");
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
            .await
            .expect("a test schema");
        conn.close().await.expect("closed");
        let separator = if base_url.contains('?') { '&' } else { '?' };
        let url = format!("{base_url}{separator}options=-c%20search_path%3D{name}");
        let schema = Schema { base_url, name };
        let store = Store::open(&url).await.expect("PostgreSQL opens");
        Some(World::build(store, None, Some(schema)).await)
    }

    async fn build(store: Store, dir: Option<tempfile::TempDir>, schema: Option<Schema>) -> World {
        store.migrate().await.expect("migrations run");
        let parse = |text: &str| {
            regie_lang::parse("test.kdl", text)
                .expect("a valid plan")
                .project
        };
        let p = store
            .create_project(&parse(PLAN_P), None)
            .await
            .expect("P is created");
        let q = store
            .create_project(&parse(PLAN_Q), None)
            .await
            .expect("Q is created");
        let mut users = Vec::new();
        let hash = auth::hash_password_blocking(World::PASSWORD).expect("argon2 works");
        for name in ACTORS.iter().skip(1) {
            let id = store
                .create_user(&NewUser {
                    login: name.to_string(),
                    display_name: name.to_string(),
                    is_admin: *name == "admin",
                    password_hash: Some(hash.clone()),
                    ..NewUser::default()
                })
                .await
                .expect("a user");
            store
                .create_api_token(id, "test", &auth::sha256_hex(&token_of(name)))
                .await
                .expect("a token");
            let membership = match *name {
                "sponsor" => Some((p, Role::Sponsor)),
                "pm" => Some((p, Role::ProjectManager)),
                "member" => Some((p, Role::TeamMember)),
                "client" => Some((p, Role::Client)),
                "client_q" => Some((q, Role::Client)),
                "member_q" => Some((q, Role::TeamMember)),
                _ => None,
            };
            if let Some((project, role)) = membership {
                store
                    .set_membership(project, id, role, None)
                    .await
                    .expect("a membership");
            }
            users.push((name.to_string(), id));
        }
        let extra = store
            .create_user(&NewUser {
                login: "extra".into(),
                display_name: "Extra".into(),
                password_hash: Some(hash),
                ..NewUser::default()
            })
            .await
            .expect("the extra user");
        let app = regie_web::router(AppState::new(store.clone(), Config::default()));
        World {
            app,
            store,
            p,
            q,
            extra,
            users,
            _dir: dir,
            _schema: schema,
        }
    }

    pub fn user(&self, name: &str) -> UserId {
        self.users
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
            .expect("a known actor")
    }

    pub async fn version(&self, project: ProjectId) -> i64 {
        self.store
            .project_version(project)
            .await
            .expect("a version")
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    /// A JSON request as `actor` (a name of [`ACTORS`]) with an optional `If-Match`.
    pub async fn call(
        &self,
        actor: &str,
        method: Method,
        path: &str,
        if_match: Option<i64>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        if actor != "anonymous" {
            request = request.header(header::AUTHORIZATION, format!("Bearer {}", token_of(actor)));
        }
        if let Some(version) = if_match {
            request = request.header(header::IF_MATCH, format!("\"{version}\""));
        }
        let body = match body {
            Some(body) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(body.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).expect("a request")).await
    }
}

pub fn token_of(actor: &str) -> String {
    format!("regie_test_{actor}")
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Reply {
    pub fn etag(&self) -> Option<i64> {
        self.headers
            .get(header::ETAG)?
            .to_str()
            .ok()?
            .trim_matches('"')
            .parse()
            .ok()
    }

    pub fn is_problem(&self) -> bool {
        self.headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|value| value == "application/problem+json")
    }
}
