//! The web UI in a real browser: `regie serve` on a free port with a fresh data folder, users of
//! each role with known passwords, then `node ui-tests/ui.mjs` drives headless Chromium through
//! what people do (log in, plan in the table and the Gantt, record progress, a client's view, a
//! stale edit, screenshots of every page, timings on a 1,000-task plan). See ui-tests/README.md.
//!
//! It needs Node (`node` on the PATH), `npm ci` done in ui-tests/ and Chromium
//! (`/usr/bin/chromium`, or `REGIE_CHROMIUM`). Without them the test says it is skipped and
//! why, unless `REGIE_REQUIRE_BROWSER=1` (CI sets it): then it fails.

use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::http_client::Client;
use crate::support::scratch_dir;

/// The browser script may take this long (it takes about a minute).
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(300);

/// Writes to the test's real stderr: the harness captures `eprintln!`, and the figures and the
/// screenshot folder must show in CI's log.
fn say(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.write_all(b"\n");
}

fn ui_tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui-tests")
}

fn chromium() -> PathBuf {
    std::env::var_os("REGIE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Why the browser tests cannot run here, if they cannot.
fn missing_tools(ui: &Path) -> Option<String> {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !node.is_ok_and(|status| status.success()) {
        return Some("`node` is not on the PATH (Node 20 or later)".into());
    }
    if !ui.join("node_modules/playwright-core").is_dir() {
        return Some(format!(
            "{} has no node_modules/playwright-core (run `npm ci` there)",
            ui.display()
        ));
    }
    let browser = chromium();
    if !browser.is_file() {
        return Some(format!(
            "no Chromium at {} (`apt-get install chromium`, or set REGIE_CHROMIUM)",
            browser.display()
        ));
    }
    None
}

fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
}

/// A running `regie serve`, killed when dropped.
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `regie serve` on a fresh SQLite folder; returns it with the first administrator's
/// password (printed once at the first start).
fn start_server(dir: &Path, addr: SocketAddr) -> (Server, String) {
    let log = dir.join("serve.log");
    let child = Command::new(env!("CARGO_BIN_EXE_regie"))
        .args(["serve", "--addr", &addr.to_string(), "--data"])
        .arg(dir.join("data"))
        .current_dir(dir)
        .stdout(std::fs::File::create(&log).expect("the server's log"))
        .stderr(Stdio::null())
        .spawn()
        .expect("regie serve starts");
    let server = Server { child };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let printed = std::fs::read_to_string(&log).unwrap_or_default();
        let password = printed
            .split("`admin` with the password ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next());
        if let Some(password) = password
            && Client::connect(addr).is_ok()
        {
            return (server, password.to_owned());
        }
        assert!(
            Instant::now() < deadline,
            "regie serve does not start on {addr}: {printed}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The administrator's session: (cookie, CSRF token).
fn login(addr: SocketAddr, login: &str, password: &str) -> (String, String) {
    let body = serde_json::json!({"login": login, "password": password}).to_string();
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
    (cookie, json["csrf_token"].as_str().unwrap().to_owned())
}

fn post(addr: SocketAddr, session: &(String, String), path: &str, body: serde_json::Value) {
    let headers = [
        ("Cookie", session.0.as_str()),
        ("X-CSRF-Token", session.1.as_str()),
    ];
    let response = Client::connect(addr)
        .unwrap()
        .send("POST", path, &headers, body.to_string().as_bytes())
        .unwrap();
    assert_eq!(response.status, 201, "POST {path}: {}", response.text());
}

/// The users the scenarios play: (variable, login, name, password).
const USERS: [(&str, &str, &str, &str); 3] = [
    ("REGIE_PM", "pm.ines", "Inès Moreau", "pm-password-4711"),
    (
        "REGIE_MEMBER",
        "dev.noah",
        "Noah Keller",
        "member-password-4711",
    ),
    (
        "REGIE_CLIENT",
        "client.acme",
        "Alice Dupont (Acme)",
        "client-password-4711",
    ),
];

#[test]
fn the_web_ui_works_in_a_real_browser() {
    let required = std::env::var("REGIE_REQUIRE_BROWSER").is_ok_and(|value| value == "1");
    let ui = ui_tests_dir();
    if let Some(why) = missing_tools(&ui) {
        assert!(
            !required,
            "REGIE_REQUIRE_BROWSER=1 but the browser tests cannot run: {why}"
        );
        say(&format!(
            "SKIPPED the browser tests (crates/regie-cli/tests/it/browser.rs): {why}"
        ));
        return;
    }

    let dir = scratch_dir();
    let addr = free_port();
    let (_server, admin_password) = start_server(&dir, addr);
    let admin = login(addr, "admin", &admin_password);
    for (_, user, name, password) in USERS {
        post(
            addr,
            &admin,
            "/api/v1/users",
            serde_json::json!({"login": user, "display_name": name, "password": password,
                               "email": format!("{user}@example.com")}),
        );
    }

    let target = Path::new(env!("CARGO_BIN_EXE_regie"))
        .parent()
        .and_then(Path::parent)
        .expect("the target folder")
        .to_path_buf();
    let screenshots = std::env::var_os("REGIE_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("ui-screenshots"));
    let (stdout, stderr) = (dir.join("ui.out"), dir.join("ui.err"));
    let mut command = Command::new("node");
    command
        .arg("ui.mjs")
        .current_dir(&ui)
        .env("REGIE_URL", format!("http://{addr}"))
        .env("REGIE_ADMIN", format!("admin:{admin_password}"))
        .env("REGIE_CHROMIUM", chromium())
        .env("REGIE_SCREENSHOTS", &screenshots)
        .env(
            "REGIE_PROFILE",
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
        )
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap());
    for (variable, user, _, password) in USERS {
        command.env(variable, format!("{user}:{password}"));
    }
    let started = Instant::now();
    let mut node = command.spawn().expect("node starts");
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > SCRIPT_TIMEOUT {
            let _ = node.kill();
            let _ = node.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = format!(
        "{}{}",
        std::fs::read_to_string(&stdout).unwrap_or_default(),
        std::fs::read_to_string(&stderr).unwrap_or_default()
    );
    match status {
        Some(status) if status.success() => say(&format!(
            "browser tests passed in {:.0} s:\n{output}",
            started.elapsed().as_secs_f64()
        )),
        Some(status) => panic!("the browser tests failed ({status}):\n{output}"),
        None => panic!(
            "the browser tests did not finish within {} s:\n{output}",
            SCRIPT_TIMEOUT.as_secs()
        ),
    }
}
