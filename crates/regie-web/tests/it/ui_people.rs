//! The People, Workload and My work pages, as their users see them.

use axum::http::{Method, StatusCode};
use regie_store::{NewUser, ProjectId, Role, UserId};
use regie_web::auth;

use crate::support::{World, token_of};

/// The Monday of the server's current week (UTC), as the pages compute it.
fn this_monday() -> jiff::civil::Date {
    let today = jiff::tz::TimeZone::UTC
        .to_datetime(jiff::Timestamp::now())
        .date();
    let back = i64::from(today.weekday().to_monday_zero_offset());
    today
        .checked_sub(jiff::Span::new().days(back))
        .expect("a date")
}

async fn project(world: &World, text: &str) -> ProjectId {
    let parsed = regie_lang::parse("test.kdl", text).expect("a valid plan");
    world
        .store
        .create_project(&parsed.project, None)
        .await
        .expect("a project")
}

/// A user called `login` (their API token is `token_of(login)`) with an optional email.
async fn user(world: &World, login: &str, name: &str, email: Option<&str>) -> UserId {
    let id = world
        .store
        .create_user(&NewUser {
            login: login.into(),
            display_name: name.into(),
            email: email.map(str::to_owned),
            ..NewUser::default()
        })
        .await
        .expect("a user");
    world
        .store
        .create_api_token(id, "test", &auth::sha256_hex(&token_of(login)))
        .await
        .expect("a token");
    id
}

async fn member(world: &World, project: ProjectId, user: UserId, role: Role) {
    world
        .store
        .set_membership(project, user, role, None)
        .await
        .expect("a membership");
}

/// Lucas is on two full-time tasks at once from this Monday; Ana on a third.
fn team_plan() -> String {
    format!(
        r#"
project "Team R" {{
    start "{}"
}}
resource "lucas" name="Lucas Bernard" email="lucas.bernard@example.com" rate=80.00
resource "ana" name="Ana Lima"
task "t1" "Deployment pipeline" duration="5d" {{ assign "lucas"; }}
task "t2" "Extraction jobs" duration="5d" {{ assign "lucas"; }}
task "t3" "Other work" duration="3d" {{ assign "ana"; }}
"#,
        this_monday()
    )
}

async fn people_page_story(world: &World) {
    let r = project(world, &team_plan()).await;
    for (actor, role) in [
        ("pm", Role::ProjectManager),
        ("member", Role::TeamMember),
        ("client", Role::Client),
    ] {
        member(world, r, world.user(actor), role).await;
    }
    let path = format!("/projects/{}/people", r.0);

    let pm = world.call("pm", Method::GET, &path, None, None).await;
    assert_eq!(pm.status, StatusCode::OK, "{}", pm.text);
    assert!(pm.text.contains("Lucas Bernard"), "{}", pm.text);
    assert!(pm.text.contains("lucas.bernard@example.com"));
    // The week both tasks share is over-allocated: 80 hours booked of 40.
    assert!(
        pm.text
            .contains("<tr data-resource=\"lucas\" class=\"overloaded\">"),
        "{}",
        pm.text
    );
    assert!(
        pm.text.contains("80 h booked of 40 h (40 h over capacity)"),
        "{}",
        pm.text
    );
    assert!(pm.text.contains("<td class=\"over\""));
    assert!(pm.text.contains("id=\"level-button\""));
    // A manager sees rates and may add resources and vacations.
    assert!(pm.text.contains("80.00 EUR"));
    assert!(pm.text.contains("id=\"add-resource-open\""));
    assert!(pm.text.contains("id=\"vacation-form\""));
    // The calendars with their week.
    assert!(pm.text.contains("class=\"card calendar-card\""));
    assert!(pm.text.contains("08:00–12:00, 13:00–17:00"));

    // The part the script redraws after a change.
    let fragment = world
        .call(
            "pm",
            Method::GET,
            &format!("{path}?fragment=people-body"),
            None,
            None,
        )
        .await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert!(fragment.text.starts_with("<div id=\"people-body\""));
    assert!(!fragment.text.contains("<html"));

    let team = world.call("member", Method::GET, &path, None, None).await;
    assert_eq!(team.status, StatusCode::OK, "{}", team.text);
    assert!(team.text.contains("Lucas Bernard"));
    assert!(
        !team.text.contains("80.00 EUR"),
        "no rates for team members"
    );
    assert!(!team.text.contains("add-resource-open"), "no edit buttons");
    assert!(!team.text.contains("exception-remove"));

    let outsider = world.call("member_q", Method::GET, &path, None, None).await;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND);
    assert!(!outsider.text.contains("Lucas Bernard"));

    let client = world.call("client", Method::GET, &path, None, None).await;
    assert!(
        matches!(client.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        client.status
    );
    assert!(!client.text.contains("Lucas Bernard"));
}

#[tokio::test]
async fn the_people_page_shows_the_team_and_who_is_over_allocated() {
    people_page_story(&World::sqlite().await).await;
}

#[tokio::test]
async fn the_people_page_on_postgresql() {
    if let Some(world) = World::postgres().await {
        people_page_story(&world).await;
    }
}

#[tokio::test]
async fn my_work_lists_the_tasks_assigned_to_my_email_and_no_others() {
    let world = World::sqlite().await;
    let r = project(&world, &team_plan()).await;
    let lucas = user(
        &world,
        "lucas",
        "Lucas B.",
        Some("Lucas.Bernard@Example.com"),
    )
    .await;
    member(&world, r, lucas, Role::TeamMember).await;
    // No email: matched by name.
    let ana = user(&world, "ana", "Ana Lima", None).await;
    member(&world, r, ana, Role::TeamMember).await;

    let page = world
        .call("lucas", Method::GET, "/my-work", None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("Deployment pipeline"), "{}", page.text);
    assert!(page.text.contains("Extraction jobs"));
    assert!(!page.text.contains("Other work"), "not Lucas's task");
    let version = world.version(r).await;
    assert!(page.text.contains(&format!(
        "data-project=\"{}\" data-version=\"{version}\" data-task=\"t1\"",
        r.0
    )));
    assert!(page.text.contains("class=\"percent-button\""));
    assert!(page.text.contains("class=\"primary mark-done\""));

    let page = world.call("ana", Method::GET, "/my-work", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Other work"), "{}", page.text);
    assert!(!page.text.contains("Deployment pipeline"));

    // Someone without tasks sees an empty page, not somebody else's work.
    let page = world.call("pm", Method::GET, "/my-work", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text.contains("data-task="));
    assert!(page.text.contains("id=\"mywork-empty\""));
}

#[tokio::test]
async fn the_workload_adds_up_one_person_over_two_projects() {
    let world = World::sqlite().await;
    let plan = |name: &str, email: &str| {
        format!(
            r#"
project "{name}" {{
    start "{}"
}}
resource "ana" name="Ana Lima" email="{email}"
task "w" "Work for {name}" duration="5d" {{ assign "ana"; }}
"#,
            this_monday()
        )
    };
    let one = project(&world, &plan("Alpha", "ana@example.com")).await;
    let two = project(&world, &plan("Beta", "ANA@Example.com")).await;
    let lead = user(&world, "lead", "Lead", None).await;
    member(&world, one, lead, Role::ProjectManager).await;
    member(&world, two, lead, Role::TeamMember).await;

    let page = world
        .call("lead", Method::GET, "/workload", None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    // One row for Ana, over both projects.
    assert_eq!(
        page.text.matches("data-person=\"ana@example.com\"").count(),
        1,
        "{}",
        page.text
    );
    let week = this_monday();
    let week = format!(
        "{} {} {}",
        week.day(),
        &regie_core::time::month_name(week.month())[..3],
        week.year()
    );
    let cell = format!(
        "<td class=\"over\" title=\"Ana Lima, week of {week}: 80 h booked of 40 h (40 h over capacity) — Alpha 40 h, Beta 40 h\">80</td>"
    );
    assert!(page.text.contains(&cell), "{cell}\n{}", page.text);
    assert!(
        page.text
            .contains(&format!("href=\"/projects/{}/people\"", one.0))
    );
    assert!(
        page.text
            .contains(&format!("href=\"/projects/{}/people\"", two.0))
    );

    // A client of one project sees nobody's workload.
    let client = user(&world, "viewer", "Viewer", None).await;
    member(&world, one, client, Role::Client).await;
    let page = world
        .call("viewer", Method::GET, "/workload", None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text.contains("Ana Lima"));
}

#[tokio::test]
async fn the_pages_of_a_thousand_task_project_draw_quickly() {
    let world = World::sqlite().await;
    let mut plan = regie_core::generate::realistic_plan(1000, 40, 7);
    plan.name = "Thousand".into();
    let id = world
        .store
        .create_project(&plan, None)
        .await
        .expect("stored");
    for path in [
        format!("/projects/{}/people", id.0),
        "/workload".to_owned(),
        "/my-work".to_owned(),
    ] {
        // The first call schedules the plan (cached by version); the next ones draw the page.
        let first = world.call("admin", Method::GET, &path, None, None).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        let runs = 5;
        let started = std::time::Instant::now();
        for _ in 0..runs {
            world.call("admin", Method::GET, &path, None, None).await;
        }
        let ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
        println!("{path}: {ms:.1} ms, {} bytes", first.text.len());
    }
}
