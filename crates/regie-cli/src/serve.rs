//! The server commands: `regie serve`, `regie demo`, `regie admin create-user`, `regie backup`
//! and `regie restore`. They open the store (a SQLite file in a data folder, or a database
//! URL), and hand it to `regie_web`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use regie_store::{NewUser, Page, ProjectSettings, Role, Store, UserId};

use crate::Reported;

/// Where the data lives.
#[derive(Args, Clone)]
pub struct Database {
    /// Folder of the SQLite database (`regie.db` in it), created if needed.
    #[arg(
        long,
        value_name = "DIR",
        default_value = "regie-data",
        conflicts_with = "db"
    )]
    data: PathBuf,
    /// A database URL instead: `postgres://user@host/db`, or `sqlite:path/to/file.db`.
    #[arg(long, value_name = "URL")]
    db: Option<String>,
}

#[derive(Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    #[command(flatten)]
    database: Database,
    /// Always mark the session cookie Secure (behind a TLS proxy that does not send
    /// X-Forwarded-Proto: https).
    #[arg(long)]
    secure_cookies: bool,
}

#[derive(Args)]
pub struct DemoArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// The demo's own data folder. Its database is created anew at every start.
    #[arg(long, value_name = "DIR", default_value = "regie-demo-data")]
    data: PathBuf,
    /// Seed the data and print the credentials, then stop instead of serving.
    #[arg(long)]
    no_serve: bool,
}

#[derive(Args)]
pub struct AdminArgs {
    #[command(subcommand)]
    which: AdminCommand,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a user and print their one-time password.
    CreateUser {
        #[arg(long)]
        login: String,
        /// The name shown to others (default: the login).
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// An administrator: manages users, creates projects, sees everything.
        #[arg(long)]
        admin: bool,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Args)]
pub struct BackupArgs {
    /// The backup file to write (must not exist).
    file: PathBuf,
    #[command(flatten)]
    database: Database,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The backup file to restore from.
    file: PathBuf,
    #[command(flatten)]
    database: Database,
}

fn fail(what: &str, error: impl std::fmt::Display) -> Reported {
    eprintln!("error: {what}: {error}");
    Reported
}

fn runtime() -> Result<tokio::runtime::Runtime, Reported> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| fail("cannot start the runtime", error))
}

/// The store's target: the URL, or `DIR/regie.db` (the folder created).
fn target(database: &Database) -> Result<String, Reported> {
    if let Some(url) = &database.db {
        return Ok(url.clone());
    }
    sqlite_in(&database.data)
}

fn sqlite_in(dir: &Path) -> Result<String, Reported> {
    std::fs::create_dir_all(dir)
        .map_err(|error| fail(&format!("cannot create {}", dir.display()), error))?;
    let file = dir.join("regie.db");
    file.to_str()
        .map(str::to_owned)
        .ok_or_else(|| fail("the data folder", "its path is not UTF-8"))
}

/// Opens the database named by `target` and brings its schema up to date.
pub(crate) async fn open(target: &str) -> Result<Store, Reported> {
    let store = Store::open(target)
        .await
        .map_err(|error| fail("cannot open the database", error))?;
    store
        .migrate()
        .await
        .map_err(|error| fail("cannot migrate the database", error))?;
    Ok(store)
}

/// Creates a user with a generated password; returns it (to print once).
async fn create_user(
    store: &Store,
    login: &str,
    name: &str,
    email: Option<String>,
    admin: bool,
    client: Option<regie_store::ClientId>,
) -> Result<(UserId, String), Reported> {
    let password = regie_web::auth::random_secret()
        .map(|secret| secret.chars().take(20).collect::<String>())
        .map_err(|error| fail("cannot make a password", error.detail))?;
    let hash = regie_web::auth::hash_password_blocking(&password)
        .map_err(|error| fail("cannot hash the password", error.detail))?;
    let id = store
        .create_user(&NewUser {
            login: login.to_owned(),
            display_name: name.to_owned(),
            email,
            password_hash: Some(hash),
            is_admin: admin,
            client,
        })
        .await
        .map_err(|error| fail(&format!("cannot create the user {login:?}"), error))?;
    Ok((id, password))
}

async fn listen(addr: &str, store: Store, config: regie_web::Config) -> Result<(), Reported> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| fail(&format!("cannot listen on {addr}"), error))?;
    println!(
        "Serving the API on http://{addr}/api/v1 (OpenAPI: http://{addr}/api/openapi.json); Ctrl-C stops."
    );
    regie_web::serve(listener, regie_web::AppState::new(store, config))
        .await
        .map_err(|error| fail("the server stopped", error))
}

/// On a database without users, creates the administrator `admin`; returns their password.
async fn ensure_admin(store: &Store) -> Result<Option<String>, Reported> {
    let users = store
        .list_users(Page::first(1))
        .await
        .map_err(|error| fail("cannot read the users", error))?;
    if !users.is_empty() {
        return Ok(None);
    }
    let (_, password) = create_user(store, "admin", "Administrator", None, true, None).await?;
    Ok(Some(password))
}

/// `regie serve`: on first start (no user yet) creates the administrator `admin` and prints
/// their one-time password.
pub fn serve(args: ServeArgs) -> Result<(), Reported> {
    let target = target(&args.database)?;
    runtime()?.block_on(async {
        let store = open(&target).await?;
        if let Some(password) = ensure_admin(&store).await? {
            println!("First start: created the administrator `admin` with the password {password}");
            println!("(shown once: log in and change it with POST /api/v1/me/password; more users with `regie admin create-user` or POST /api/v1/users)");
        }
        let config = regie_web::Config {
            secure_cookies: args.secure_cookies,
            ..regie_web::Config::default()
        };
        listen(&args.addr, store, config).await
    })
}

pub fn admin(args: AdminArgs) -> Result<(), Reported> {
    match args.which {
        AdminCommand::CreateUser {
            login,
            name,
            email,
            admin,
            database,
        } => {
            let target = target(&database)?;
            runtime()?.block_on(async {
                let store = open(&target).await?;
                let name = name.unwrap_or_else(|| login.clone());
                let (id, password) = create_user(&store, &login, &name, email, admin, None).await?;
                println!(
                    "Created user #{} `{login}` with the password {password} (shown once)",
                    id.0
                );
                Ok(())
            })
        }
    }
}

pub fn backup(args: BackupArgs) -> Result<(), Reported> {
    let target = target(&args.database)?;
    runtime()?.block_on(async {
        let store = open(&target).await?;
        store
            .backup(&args.file)
            .await
            .map_err(|error| fail("backup failed", error))?;
        println!("Backed up to {}", args.file.display());
        Ok(())
    })
}

pub fn restore(args: RestoreArgs) -> Result<(), Reported> {
    let target = target(&args.database)?;
    runtime()?.block_on(async {
        let store = open(&target).await?;
        store
            .restore(&args.file)
            .await
            .map_err(|error| fail("restore failed", error))?;
        println!("Restored from {}", args.file.display());
        Ok(())
    })
}

/// The demo portfolio: three IT projects in different phases for two clients.
const DEMO_PROJECTS: [(&str, &str, &str, &str); 3] = [
    (
        "crm-migration.kdl",
        include_str!("../../../examples/crm-migration.kdl"),
        "build",
        "Northwind Insurance",
    ),
    (
        "data-warehouse.kdl",
        include_str!("../../../examples/data-warehouse.kdl"),
        "analysis and design",
        "Northwind Insurance",
    ),
    (
        "network-upgrade.kdl",
        include_str!("../../../examples/network-upgrade.kdl"),
        "deploy",
        "Borealis Bank",
    ),
];

/// A demo person: login, name, role per project in [`DEMO_PROJECTS`] order, client organisation,
/// email (that of their resource in the plans, so "My work" finds their tasks).
type DemoUser = (
    &'static str,
    &'static str,
    [Option<Role>; 3],
    Option<&'static str>,
    Option<&'static str>,
);

const DEMO_USERS: [DemoUser; 8] = [
    (
        "cio",
        "Claire Roux, CIO",
        [
            Some(Role::Sponsor),
            Some(Role::Sponsor),
            Some(Role::Sponsor),
        ],
        None,
        None,
    ),
    (
        "pm.claire",
        "Claire Martin",
        [Some(Role::ProjectManager), None, None],
        None,
        Some("claire.martin@example.com"),
    ),
    (
        "pm.hugo",
        "Hugo Laurent",
        [None, Some(Role::ProjectManager), None],
        None,
        Some("hugo.laurent@example.com"),
    ),
    (
        "pm.marc",
        "Marc Dubois",
        [None, None, Some(Role::ProjectManager)],
        None,
        Some("marc.dubois@example.com"),
    ),
    (
        "dev.lucas",
        "Lucas Bernard",
        [Some(Role::TeamMember), Some(Role::TeamMember), None],
        None,
        Some("lucas.bernard@example.com"),
    ),
    (
        "net.tom",
        "Tom Jansen",
        [None, None, Some(Role::TeamMember)],
        None,
        Some("tom.jansen@example.com"),
    ),
    (
        "client.northwind",
        "Nadia Weber (Northwind)",
        [Some(Role::Client), Some(Role::Client), None],
        Some("Northwind Insurance"),
        None,
    ),
    (
        "client.borealis",
        "Bruno Vogel (Borealis)",
        [None, None, Some(Role::Client)],
        Some("Borealis Bank"),
        None,
    ),
];

/// `regie demo`: a fresh database in the demo folder, the portfolio seeded, the credentials
/// printed, then served.
pub fn demo(args: DemoArgs) -> Result<(), Reported> {
    for suffix in ["", "-wal", "-shm"] {
        let file = args.data.join(format!("regie.db{suffix}"));
        if file.exists() {
            std::fs::remove_file(&file)
                .map_err(|error| fail(&format!("cannot reset {}", file.display()), error))?;
        }
    }
    let target = sqlite_in(&args.data)?;
    runtime()?.block_on(async {
        let store = open(&target).await?;
        let credentials = seed(&store).await?;
        println!();
        println!("Demo data in {} (created anew at each `regie demo`). Users and their passwords:", args.data.display());
        println!();
        for (login, role, password) in &credentials {
            println!("  {login:<18} {password:<22} {role}");
        }
        println!();
        println!("Log in:  curl -c cookies -H 'Content-Type: application/json' \\");
        println!("           -d '{{\"login\": \"cio\", \"password\": \"...\"}}' http://{}/api/v1/auth/login", args.addr);
        println!("or create a token (POST /api/v1/me/tokens) and send `Authorization: Bearer regie_...`.");
        if args.no_serve {
            return Ok(());
        }
        listen(&args.addr, store, regie_web::Config::default()).await
    })
}

/// A demo plan as its project manager would have it at its status date: what the plan had
/// finished by then is done (on its planned dates), what was underway is done in proportion.
/// Plans without a status date are left as written.
fn record_progress_at_status_date(project: &mut regie_core::Project) {
    use regie_core::time::{datetime_of, minute_of};
    let Some(status) = project.status_date.map(minute_of) else {
        return;
    };
    let Ok(schedule) = regie_core::schedule(project) else {
        return;
    };
    let summary = project.summary_flags();
    for id in project.task_ids() {
        let dates = schedule.task(id);
        if summary[id.index()] || dates.start >= status {
            continue;
        }
        let progress = &mut project.tasks[id.index()].progress;
        progress.actual_start = Some(datetime_of(dates.start));
        if dates.finish <= status {
            progress.percent_complete = 100;
            progress.actual_finish = Some(datetime_of(dates.finish));
        } else {
            let done = (status - dates.start) * 100 / (dates.finish - dates.start).max(1);
            progress.percent_complete = done.clamp(1, 99) as u8;
        }
    }
}

/// Seeds the portfolio; returns (login, what they are, password) per user.
async fn seed(store: &Store) -> Result<Vec<(String, String, String)>, Reported> {
    let mut clients = Vec::new();
    for name in ["Northwind Insurance", "Borealis Bank"] {
        let id = store
            .create_client(name)
            .await
            .map_err(|error| fail("cannot create a client", error))?;
        clients.push((name, id));
    }
    let client_id = |name: &str| clients.iter().find(|(n, _)| *n == name).map(|(_, id)| *id);
    let mut projects = Vec::new();
    for (file, text, phase, client) in DEMO_PROJECTS {
        let mut parsed = regie_lang::parse(file, text)
            .map_err(|diagnostics| fail(&format!("the demo plan {file}"), diagnostics))?;
        record_progress_at_status_date(&mut parsed.project);
        let id = store
            .create_project(&parsed.project, None)
            .await
            .map_err(|error| fail("cannot store a demo project", error))?;
        let mut settings = ProjectSettings::of(&parsed.project);
        settings.phase = Some(phase.to_owned());
        settings.client = client_id(client);
        // The date agreed with the client: the last gate's deadline.
        settings.client_deadline = parsed
            .project
            .tasks
            .iter()
            .filter_map(|task| task.deadline)
            .max()
            // A deadline is the end of its day (00:00 of the next): the day before midnight.
            .map(|deadline| {
                regie_core::time::datetime_of(regie_core::time::minute_of(deadline) - 1).date()
            });
        store
            .apply(
                id,
                1,
                None,
                &[regie_store::Change::UpdateSettings(settings)],
            )
            .await
            .map_err(|error| fail("cannot set a demo project's phase", error))?;
        println!(
            "Project #{}: {} ({phase}, client {client})",
            id.0, parsed.project.name
        );
        projects.push(id);
    }
    let mut credentials = Vec::new();
    let (_, password) = create_user(store, "admin", "Administrator", None, true, None).await?;
    credentials.push(("admin".to_owned(), "administrator".to_owned(), password));
    for (login, name, roles, client, email) in DEMO_USERS {
        let email = email.map(str::to_owned);
        let (id, password) =
            create_user(store, login, name, email, false, client.and_then(client_id)).await?;
        let mut described = Vec::new();
        for (project, role) in projects.iter().zip(roles) {
            if let Some(role) = role {
                store
                    .set_membership(*project, id, role, None)
                    .await
                    .map_err(|error| fail("cannot add a member", error))?;
                described.push(format!("{} of project #{}", role.code(), project.0));
            }
        }
        credentials.push((login.to_owned(), described.join(", "), password));
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_start_creates_one_administrator() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = sqlite_in(dir.path())
            .map_err(|_| "no target")
            .expect("a target");
        let runtime = runtime().map_err(|_| "no runtime").expect("a runtime");
        runtime.block_on(async {
            let store = open(&target)
                .await
                .map_err(|_| "no store")
                .expect("a store");
            let first = ensure_admin(&store)
                .await
                .map_err(|_| "failed")
                .expect("ok");
            let password = first.expect("a password on the first start");
            let admin = store
                .user_by_login("admin")
                .await
                .expect("read")
                .expect("admin");
            assert!(admin.is_admin);
            assert!(regie_web::auth::verify_password(password, admin.password_hash).await);
            let second = ensure_admin(&store)
                .await
                .map_err(|_| "failed")
                .expect("ok");
            assert!(second.is_none(), "only on the first start");
        });
    }

    /// `regie demo` seeds what the README promises: three projects in different phases for two
    /// clients, users of every role who can log in with the printed password.
    #[test]
    fn the_demo_seeds_three_projects_for_two_clients_with_every_role() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = sqlite_in(dir.path())
            .map_err(|_| "no target")
            .expect("a target");
        let runtime = runtime().map_err(|_| "no runtime").expect("a runtime");
        runtime.block_on(async {
            let store = open(&target)
                .await
                .map_err(|_| "no store")
                .expect("a store");
            let credentials = seed(&store).await.map_err(|_| "no seed").expect("seeded");
            let projects = store
                .list_projects(Page::first(10))
                .await
                .expect("projects");
            assert_eq!(projects.len(), 3);
            let phases: std::collections::BTreeSet<_> =
                projects.iter().filter_map(|p| p.phase.clone()).collect();
            assert_eq!(phases.len(), 3, "three different phases");
            let clients: std::collections::BTreeSet<_> =
                projects.iter().filter_map(|p| p.client).collect();
            assert_eq!(clients.len(), 2, "two clients");
            let mut roles = std::collections::BTreeSet::new();
            for project in &projects {
                for membership in store.memberships(project.id).await.expect("members") {
                    roles.insert(membership.role.code());
                }
            }
            assert_eq!(roles.len(), 4, "every project role: {roles:?}");
            let (login, _, password) = &credentials[1];
            let user = store
                .user_by_login(login)
                .await
                .expect("read")
                .expect("the user");
            let hash = user.password_hash.expect("a password");
            assert!(regie_web::auth::verify_password(password.clone(), Some(hash)).await);
            assert!(credentials.iter().any(|(login, _, _)| login == "admin"));
        });
    }
}
