//! `regie serve` as a process, as operations meet it: killed with `kill -9` in the middle of a
//! stream of writes and restarted (every acknowledged write is there, nothing else is), and two
//! instances on one PostgreSQL database behind a load balancer (a change through one is seen
//! through the other at once; a session opened on one works on the other).
//!
//! PostgreSQL runs where `REGIE_TEST_PG_URL` is set (CI sets it); each test works in a schema
//! of its own, made and dropped with `psql`.

use std::collections::BTreeSet;
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::http_client::{Client, Response};
use crate::support::scratch_dir;

/// Where a server keeps its data: a SQLite folder or a PostgreSQL URL.
#[derive(Clone)]
enum Data {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Data {
    fn args(&self) -> Vec<String> {
        match self {
            Data::Sqlite(dir) => vec!["--data".into(), dir.to_string_lossy().into_owned()],
            Data::Postgres(url) => vec!["--db".into(), url.clone()],
        }
    }
}

/// A PostgreSQL schema for one test, dropped at the end; `None` (said) without the variable.
struct Schema {
    base: String,
    name: String,
}

impl Schema {
    fn new(tag: &str) -> Option<Schema> {
        let Ok(base) = std::env::var("REGIE_TEST_PG_URL") else {
            println!("skipping PostgreSQL: REGIE_TEST_PG_URL is unset");
            return None;
        };
        let name = format!("regie_cli_{tag}_{}", std::process::id());
        psql(
            &base,
            &format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"),
        );
        Some(Schema { base, name })
    }

    fn url(&self) -> String {
        let separator = if self.base.contains('?') { '&' } else { '?' };
        format!(
            "{}{separator}options=-c%20search_path%3D{}",
            self.base, self.name
        )
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        psql(
            &self.base,
            &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
    }
}

fn psql(url: &str, sql: &str) {
    let output = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .expect("psql runs (PostgreSQL's client, on every machine of this project)");
    assert!(
        output.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
}

/// A running `regie serve`, killed with SIGKILL when dropped.
struct Server {
    child: Child,
}

impl Server {
    fn start(data: &Data, addr: SocketAddr, dir: &Path) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_regie"))
            .arg("serve")
            .args(["--addr", &addr.to_string()])
            .args(data.args())
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("regie serve starts");
        let server = Server { child };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Client::connect(addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "regie serve does not listen on {addr}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL on Unix: no shutdown, no flush.
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An administrator made with `regie admin create-user`: (login, password).
fn create_admin(data: &Data, dir: &Path) -> (String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_regie"))
        .args(["admin", "create-user", "--login", "pm", "--admin"])
        .args(data.args())
        .current_dir(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let password = stdout
        .split("with the password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no password in {stdout:?}"));
    ("pm".into(), password.into())
}

/// A logged-in browser: the session cookie and its CSRF token.
#[derive(Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

fn login(addr: SocketAddr, user: &(String, String)) -> Session {
    let body = serde_json::json!({"login": user.0, "password": user.1}).to_string();
    let response = Client::connect(addr)
        .unwrap()
        .send("POST", "/api/v1/auth/login", &[], body.as_bytes())
        .unwrap();
    assert_eq!(response.status, 200, "{}", response.text());
    let cookie = response
        .header("set-cookie")
        .and_then(|value| value.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let json: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    Session {
        cookie,
        csrf: json["csrf_token"]
            .as_str()
            .expect("a CSRF token")
            .to_owned(),
    }
}

fn call(
    client: &mut Client,
    session: &Session,
    method: &str,
    path: &str,
    if_match: Option<&str>,
    body: &str,
) -> std::io::Result<Response> {
    let mut headers = vec![
        ("Cookie", session.cookie.as_str()),
        ("X-CSRF-Token", session.csrf.as_str()),
    ];
    if let Some(etag) = if_match {
        headers.push(("If-Match", etag));
    }
    client.send(method, path, &headers, body.as_bytes())
}

/// A new project through the API: its path and ETag.
fn new_project(addr: SocketAddr, session: &Session, name: &str) -> (String, String) {
    let plan =
        "project \"P\" {\n    start \"2027-01-04\"\n}\ntask \"first\" \"First\" duration=\"1d\"\n";
    let mut client = Client::connect(addr).unwrap();
    let response = call(
        &mut client,
        session,
        "POST",
        &format!("/api/v1/projects/import?format=kdl&name={name}"),
        None,
        plan,
    )
    .unwrap();
    assert_eq!(response.status, 201, "{}", response.text());
    let json: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    let path = format!("/api/v1/projects/{}", json["id"]);
    (path, response.header("etag").unwrap().to_owned())
}

fn task_uids(addr: SocketAddr, session: &Session, project: &str) -> BTreeSet<String> {
    let mut client = Client::connect(addr).unwrap();
    let response = call(
        &mut client,
        session,
        "GET",
        &format!("{project}/tasks?limit=1000"),
        None,
        "",
    )
    .unwrap();
    assert_eq!(response.status, 200, "{}", response.text());
    let json: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|task| task["uid"].as_str().unwrap().to_owned())
        .collect()
}

/// What the writer saw: the tasks acknowledged, and those sent when the server died (which
/// may or may not have been committed).
#[derive(Default)]
struct Writes {
    acknowledged: BTreeSet<String>,
    in_doubt: BTreeSet<String>,
}

/// Adds tasks one after another until `stop`, riding out the server's deaths: a request that
/// fails is in doubt; then it waits for the server, reads the project's version, goes on.
fn write_until(
    addr: SocketAddr,
    session: &Session,
    project: &str,
    stop: &AtomicBool,
    writes: &Mutex<Writes>,
) {
    let mut n = 0;
    let mut etag: Option<String> = None;
    let mut client: Option<Client> = None;
    while !stop.load(Ordering::Relaxed) {
        let Some(connection) = client.as_mut() else {
            client = Client::connect(addr).ok();
            if client.is_none() {
                std::thread::sleep(Duration::from_millis(10));
            }
            continue;
        };
        let Some(version) = etag.clone() else {
            match call(connection, session, "GET", project, None, "") {
                Ok(response) if response.status == 200 => {
                    etag = response.header("etag").map(str::to_owned)
                }
                Ok(response) => panic!(
                    "reading the project: {} {}",
                    response.status,
                    response.text()
                ),
                Err(_) => client = None,
            }
            continue;
        };
        n += 1;
        let uid = format!("w{n}");
        let body = serde_json::json!({"uid": uid, "name": format!("Write {n}")}).to_string();
        match call(
            connection,
            session,
            "POST",
            &format!("{project}/tasks"),
            Some(&version),
            &body,
        ) {
            Ok(response) if response.status == 201 => {
                etag = response.header("etag").map(str::to_owned);
                writes.lock().unwrap().acknowledged.insert(uid);
            }
            Ok(response) => panic!("write {uid}: {} {}", response.status, response.text()),
            Err(_) => {
                writes.lock().unwrap().in_doubt.insert(uid);
                (client, etag) = (None, None);
            }
        }
    }
}

fn kill_nine_story(data: Data, seed: u64) {
    let dir = scratch_dir();
    let admin = create_admin(&data, &dir);
    let addr = free_port();
    let mut server = Server::start(&data, addr, &dir);
    let session = login(addr, &admin);
    let (project, _) = new_project(addr, &session, "Killed");
    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(Mutex::new(Writes::default()));
    let writer = {
        let (session, project, stop, writes) = (
            session.clone(),
            project.clone(),
            stop.clone(),
            writes.clone(),
        );
        std::thread::spawn(move || write_until(addr, &session, &project, &stop, &writes))
    };
    // Three deaths at moments drawn from the seed, each after some writes went through.
    let mut rng = regie_core::generate::SplitMix64::new(seed);
    for _ in 0..3 {
        let before = writes.lock().unwrap().acknowledged.len();
        let deadline = Instant::now() + Duration::from_secs(30);
        while writes.lock().unwrap().acknowledged.len() < before + 5 {
            assert!(Instant::now() < deadline, "the writer makes no progress");
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(rng.below(200)));
        server.kill();
        server = Server::start(&data, addr, &dir);
    }
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    writer.join().expect("the writer");
    // The session outlived the deaths too: it is in the database.
    let stored = task_uids(addr, &session, &project);
    let writes = writes.lock().unwrap();
    let missing: Vec<_> = writes.acknowledged.difference(&stored).collect();
    assert!(
        missing.is_empty(),
        "acknowledged writes lost after kill -9: {missing:?}"
    );
    let unexplained: Vec<_> = stored
        .iter()
        .filter(|uid| {
            *uid != "first"
                && !writes.acknowledged.contains(*uid)
                && !writes.in_doubt.contains(*uid)
        })
        .collect();
    assert!(
        unexplained.is_empty(),
        "tasks nobody wrote: {unexplained:?}"
    );
    assert!(
        writes.acknowledged.len() >= 15,
        "{} writes",
        writes.acknowledged.len()
    );
    eprintln!(
        "kill -9 three times: {} writes acknowledged and kept, {} in flight at the kills ({} of them committed)",
        writes.acknowledged.len(),
        writes.in_doubt.len(),
        writes.in_doubt.intersection(&stored).count()
    );
}

#[test]
fn kill_nine_loses_no_acknowledged_write_on_sqlite() {
    let dir = scratch_dir();
    kill_nine_story(Data::Sqlite(dir.join("data")), 1);
}

#[test]
fn kill_nine_loses_no_acknowledged_write_on_postgresql() {
    let Some(schema) = Schema::new("kill") else {
        return;
    };
    kill_nine_story(Data::Postgres(schema.url()), 2);
}

/// Two instances on one database, as behind a load balancer.
#[test]
fn two_instances_share_changes_and_sessions() {
    let Some(schema) = Schema::new("two") else {
        return;
    };
    let data = Data::Postgres(schema.url());
    let dir = scratch_dir();
    let admin = create_admin(&data, &dir);
    let (a, b) = (free_port(), free_port());
    let (_one, _two) = (Server::start(&data, a, &dir), Server::start(&data, b, &dir));

    // A session opened on A works on B.
    let session = login(a, &admin);
    let me = call(
        &mut Client::connect(b).unwrap(),
        &session,
        "GET",
        "/api/v1/me",
        None,
        "",
    )
    .unwrap();
    assert_eq!(me.status, 200, "{}", me.text());

    // A change through A is seen through B on the next request, with the same version.
    let (project, created) = new_project(a, &session, "Shared");
    let mut on_a = Client::connect(a).unwrap();
    let mut on_b = Client::connect(b).unwrap();
    let added = call(
        &mut on_a,
        &session,
        "POST",
        &format!("{project}/tasks"),
        Some(&created),
        r#"{"uid": "via-a", "name": "Added through A"}"#,
    )
    .unwrap();
    assert_eq!(added.status, 201, "{}", added.text());
    let version = added.header("etag").unwrap().to_owned();
    let seen = call(
        &mut on_b,
        &session,
        "GET",
        &format!("{project}/tasks/via-a"),
        None,
        "",
    )
    .unwrap();
    assert_eq!(seen.status, 200, "{}", seen.text());
    assert_eq!(seen.header("etag"), Some(version.as_str()));
    let schedule = call(
        &mut on_b,
        &session,
        "GET",
        &format!("{project}/schedule"),
        None,
        "",
    )
    .unwrap();
    assert!(
        schedule.text().contains("via-a"),
        "B's schedule misses A's task"
    );

    // B edits at that version; A, still holding the old one, is refused (no silent overwrite).
    let renamed = call(
        &mut on_b,
        &session,
        "PATCH",
        &format!("{project}/tasks/via-a"),
        Some(&version),
        r#"{"name": "Renamed through B"}"#,
    )
    .unwrap();
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    let stale = call(
        &mut on_a,
        &session,
        "PATCH",
        &format!("{project}/tasks/via-a"),
        Some(&version),
        r#"{"name": "Lost update"}"#,
    )
    .unwrap();
    assert_eq!(stale.status, 412, "{}", stale.text());
    let now = call(
        &mut on_a,
        &session,
        "GET",
        &format!("{project}/tasks/via-a"),
        None,
        "",
    )
    .unwrap();
    assert!(now.text().contains("Renamed through B"), "{}", now.text());

    // Logging out on B ends the session on A too.
    let out = call(&mut on_b, &session, "POST", "/api/v1/auth/logout", None, "").unwrap();
    assert!(out.status < 300, "{} {}", out.status, out.text());
    let me = call(&mut on_a, &session, "GET", "/api/v1/me", None, "").unwrap();
    assert_eq!(me.status, 401, "{}", me.text());
}
