//! `regie bench http`: the server under load, measured from 127.0.0.1.
//!
//! It starts the real server (the same router `regie serve` runs) in this process on a fresh
//! database — a temporary SQLite file, or the PostgreSQL database given with `--db` — seeds it
//! through the store, and drives it over TCP from one thread per client with a kept-alive
//! HTTP/1.1 connection each ([`crate::http_client`]): the measure includes HTTP parsing,
//! authentication, permissions, the store and the engine, as a user would meet them.
//!
//! Two loads, each for `--seconds`:
//! - reads: `GET /api/v1/projects/{p}/schedule` of a `--tasks`-task plan (one client first,
//!   then `--clients` at once, then the same accepting gzip as browsers do): requests per
//!   second, p50, p99;
//! - writes: `--clients` writers, each renaming a task of its own project again and again with
//!   `If-Match` (a PM per project): updates per second, p50, p99, and every answer that is not
//!   `200 OK` counted as an error ("database is locked" would show there).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use clap::Args;
use regie_core::Project;
use regie_store::{NewUser, ProjectId, Store};

use crate::Reported;
use crate::http_client::Client;

#[derive(Args)]
pub struct HttpArgs {
    /// A PostgreSQL URL (a database for the benchmark: it adds projects and a user, and
    /// deletes the projects at the end); default: a temporary SQLite file.
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// Concurrent clients (and writers).
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Length of each load.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Tasks in the plan whose schedule is read.
    #[arg(long, default_value_t = 1000)]
    tasks: usize,
}

fn fail(what: &str, error: impl std::fmt::Display) -> Reported {
    eprintln!("error: {what}: {error}");
    Reported
}

/// What one load measured.
struct Load {
    latencies: Vec<Duration>,
    errors: Vec<String>,
    elapsed: Duration,
}

impl Load {
    fn line(&self, what: &str) -> String {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let at = |q: f64| {
            sorted
                .get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1)))
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        format!(
            "{what:<34} {:>8.0}/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  {:>7} ok  {} errors",
            self.latencies.len() as f64 / self.elapsed.as_secs_f64(),
            at(0.50),
            at(0.99),
            sorted.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
            self.latencies.len(),
            self.errors.len(),
        )
    }
}

/// Runs `clients` threads, each with its own connection, calling `step` until `seconds` are
/// over; `step` returns `Err` with a description for an answer that is an error.
fn load<S: FnMut(&mut Client) -> Result<(), String> + Send>(
    addr: SocketAddr,
    clients: usize,
    seconds: f64,
    make_step: impl Fn(usize) -> S + Sync,
) -> Load {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let results: Vec<(Vec<Duration>, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|n| {
                let mut step = make_step(n);
                scope.spawn(move || {
                    let (mut latencies, mut errors) = (Vec::new(), Vec::new());
                    let mut client = match Client::connect(addr) {
                        Ok(client) => client,
                        Err(error) => return (latencies, vec![format!("connect: {error}")]),
                    };
                    while Instant::now() < deadline {
                        let at = Instant::now();
                        match step(&mut client) {
                            Ok(()) => latencies.push(at.elapsed()),
                            Err(error) => errors.push(error),
                        }
                    }
                    (latencies, errors)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|_| (Vec::new(), vec!["a client thread panicked".into()]))
            })
            .collect()
    });
    let elapsed = started.elapsed();
    let mut all = Load {
        latencies: Vec::new(),
        errors: Vec::new(),
        elapsed,
    };
    for (latencies, errors) in results {
        all.latencies.extend(latencies);
        all.errors.extend(errors);
    }
    all
}

/// `project` under `name`, with one link per pair of tasks (the generator may draw a pair
/// twice; the store keeps one link per pair, as MS Project does).
fn named(mut project: Project, name: String) -> Project {
    project.name = name;
    let mut seen = std::collections::HashSet::new();
    project
        .links
        .retain(|link| seen.insert((link.pred, link.succ)));
    project
}

pub fn http(args: HttpArgs) -> Result<(), Reported> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| fail("cannot start the runtime", error))?;
    let scratch = std::env::temp_dir().join(format!("regie-bench-http-{}", std::process::id()));
    let target = match &args.db {
        Some(url) => url.clone(),
        None => {
            std::fs::create_dir_all(&scratch)
                .map_err(|error| fail("cannot create a temporary folder", error))?;
            scratch.join("regie.db").to_string_lossy().into_owned()
        }
    };
    let run = format!("bench-{}", std::process::id());
    let seeded = runtime.block_on(seed(&target, &run, &args));
    let outcome = seeded.and_then(|(store, token, plan, writers)| {
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .map_err(|error| fail("cannot listen", error))?;
        let addr = listener
            .local_addr()
            .map_err(|error| fail("cannot listen", error))?;
        let state = regie_web::AppState::new(store.clone(), regie_web::Config::default());
        runtime.spawn(regie_web::serve(listener, state));
        println!(
            "{} on 127.0.0.1, a {}-task plan, {} clients, {} s per load",
            match store.backend() {
                regie_store::Backend::Sqlite => "SQLite",
                regie_store::Backend::Postgres => "PostgreSQL",
            },
            args.tasks,
            args.clients,
            args.seconds
        );
        measure(addr, &token, plan, &writers, &args);
        runtime.block_on(async {
            for &(project, _) in writers
                .iter()
                .chain(std::iter::once(&(plan, String::new())))
            {
                if let Ok(version) = store.project_version(project).await {
                    let _ = store.delete_project(project, version).await;
                }
            }
        });
        Ok(())
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    if args.db.is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    outcome
}

/// The database with an administrator and their API token, the plan to read, and one small
/// project per writer with the uid of the task it renames.
async fn seed(
    target: &str,
    run: &str,
    args: &HttpArgs,
) -> Result<(Store, String, ProjectId, Vec<(ProjectId, String)>), Reported> {
    let store = crate::serve::open(target).await?;
    let admin = store
        .create_user(&NewUser {
            login: run.to_owned(),
            display_name: "Benchmark".into(),
            is_admin: true,
            ..NewUser::default()
        })
        .await
        .map_err(|error| fail("cannot create the benchmark user", error))?;
    let (token, hash) =
        regie_web::auth::new_api_token().map_err(|error| fail("no token", error.detail))?;
    store
        .create_api_token(admin, "bench", &hash)
        .await
        .map_err(|error| fail("cannot store the token", error))?;
    let plan = regie_core::generate::layered_network(args.tasks, 1.5, 7);
    let plan = store
        .create_project(&named(plan, format!("{run} plan")), Some(admin))
        .await
        .map_err(|error| fail("cannot save the plan", error))?;
    let mut writers = Vec::with_capacity(args.clients);
    for n in 0..args.clients {
        let project = regie_core::generate::layered_network(20, 1.5, n as u64);
        let uid = project.tasks[project.tasks.len() / 2].uid.clone();
        let id = store
            .create_project(&named(project, format!("{run} writer {n}")), Some(admin))
            .await
            .map_err(|error| fail("cannot save a writer's project", error))?;
        writers.push((id, uid));
    }
    Ok((store, token, plan, writers))
}

fn measure(
    addr: SocketAddr,
    token: &str,
    plan: ProjectId,
    writers: &[(ProjectId, String)],
    args: &HttpArgs,
) {
    let auth = format!("Bearer {token}");
    let schedule = format!("/api/v1/projects/{}/schedule", plan.0);
    // `encoding`: what the client accepts (`identity`, or `gzip` as browsers do).
    let reads = |encoding: &'static str| {
        let (auth, schedule) = (auth.clone(), schedule.clone());
        move |_: usize| {
            let (auth, schedule) = (auth.clone(), schedule.clone());
            move |client: &mut Client| {
                let headers = [
                    ("Authorization", auth.as_str()),
                    ("Accept-Encoding", encoding),
                ];
                let response = client
                    .send("GET", &schedule, &headers, b"")
                    .map_err(|error| error.to_string())?;
                match response.status {
                    200 => Ok(()),
                    status => Err(format!("{status}: {}", response.text())),
                }
            }
        }
    };
    let read = reads("identity");
    let read_gzip = reads("gzip");
    // The first read computes and caches the schedule: its time is the uncached one.
    if let Ok(mut client) = Client::connect(addr) {
        let at = Instant::now();
        let first = client.send("GET", &schedule, &[("Authorization", &auth)], b"");
        match first {
            Ok(response) if response.status == 200 => println!(
                "{:<34} {:>8.2} ms ({} KB)",
                "first schedule read (computed)",
                at.elapsed().as_secs_f64() * 1000.0,
                response.body.len() / 1024
            ),
            Ok(response) => println!(
                "the schedule read fails: {} {}",
                response.status,
                response.text()
            ),
            Err(error) => println!("the schedule read fails: {error}"),
        }
    }
    println!(
        "{}",
        load(addr, 1, args.seconds, &read).line("schedule reads, 1 client")
    );
    let reads = load(addr, args.clients, args.seconds, &read);
    println!(
        "{}",
        reads.line(&format!("schedule reads, {} clients", args.clients))
    );
    let gzipped = load(addr, args.clients, args.seconds, &read_gzip);
    println!("{}", gzipped.line("  the same, gzip (as browsers)"));
    // The web UI's two heaviest pages, drawn by the server from the cached schedule (the
    // browser test times them in Chromium too).
    for (page, what) in [
        ("gantt", "Gantt page, 1 client"),
        ("tasks", "task table page, 1 client"),
    ] {
        let path = format!("/projects/{}/{page}", plan.0);
        let get_page = |_: usize| {
            let (auth, path) = (auth.clone(), path.clone());
            move |client: &mut Client| {
                let response = client
                    .send("GET", &path, &[("Authorization", auth.as_str())], b"")
                    .map_err(|error| error.to_string())?;
                match response.status {
                    200 => Ok(()),
                    status => Err(format!("{status}: {}", response.text())),
                }
            }
        };
        println!("{}", load(addr, 1, args.seconds / 2.0, get_page).line(what));
    }

    let write = |n: usize| {
        let auth = auth.clone();
        let (project, uid) = &writers[n % writers.len()];
        let path = format!("/api/v1/projects/{}/tasks/{uid}", project.0);
        let mut version: Option<String> = None;
        let mut count = 0u64;
        move |client: &mut Client| {
            let etag = match &version {
                Some(etag) => etag.clone(),
                None => {
                    let response = client
                        .send("GET", &path, &[("Authorization", &auth)], b"")
                        .map_err(|error| error.to_string())?;
                    response
                        .header("etag")
                        .map(str::to_owned)
                        .ok_or_else(|| format!("{}: no ETag", response.status))?
                }
            };
            count += 1;
            let body = format!("{{\"name\": \"Renamed {count}\"}}");
            let response = client
                .send(
                    "PATCH",
                    &path,
                    &[("Authorization", &auth), ("If-Match", &etag)],
                    body.as_bytes(),
                )
                .map_err(|error| error.to_string())?;
            version = response.header("etag").map(str::to_owned);
            match response.status {
                200 => Ok(()),
                status => Err(format!("{status}: {}", response.text())),
            }
        }
    };
    let writes = load(addr, args.clients, args.seconds, write);
    println!(
        "{}",
        writes.line(&format!("task updates, {} writers", args.clients))
    );
    for (what, load) in [
        ("reads", &reads),
        ("gzip reads", &gzipped),
        ("writes", &writes),
    ] {
        let mut kinds: Vec<&str> = load
            .errors
            .iter()
            .map(|error| error.split(':').next().unwrap_or(""))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        if let Some(first) = load.errors.first() {
            println!("{what}: errors of kinds {kinds:?}, the first: {first}");
        }
    }
}
