//! The Members, Files and History pages and the Import page, as their users see them.

use axum::http::{Method, StatusCode, header};
use serde_json::json;

use crate::support::World;

#[tokio::test]
async fn a_manager_changes_roles_on_members_and_a_team_member_only_reads_the_list() {
    let world = World::sqlite().await;
    let path = format!("/projects/{}/members", world.p.0);
    let pm = world.call("pm", Method::GET, &path, None, None).await;
    assert_eq!(pm.status, StatusCode::OK, "{}", pm.text);
    assert!(pm.text.contains("id=\"members-table\""), "{}", pm.text);
    let sponsor_select = format!("id=\"role-{}\"", world.user("sponsor").0);
    assert!(
        pm.text.contains(&sponsor_select),
        "a role select per member"
    );
    assert!(pm.text.contains("class=\"member-role\""));
    assert!(pm.text.contains("member-remove"));
    assert!(pm.text.contains("id=\"member-add-form\""));
    assert!(pm.text.contains("Project manager") && pm.text.contains("Client"));
    // A manager is no administrator: no list of every user's login in the page.
    assert!(
        !pm.text.contains("<datalist"),
        "a manager cannot browse users"
    );

    let member = world.call("member", Method::GET, &path, None, None).await;
    assert_eq!(member.status, StatusCode::OK, "{}", member.text);
    assert!(member.text.contains("id=\"members-table\""));
    assert!(
        member.text.contains("<code>pm</code>"),
        "the members are listed"
    );
    assert!(member.text.contains("Team member"));
    assert!(
        !member.text.contains("class=\"member-role\""),
        "no role selects"
    );
    assert!(!member.text.contains("member-remove"), "no remove buttons");
    assert!(!member.text.contains("member-add-form"), "no add form");

    let client = world.call("client", Method::GET, &path, None, None).await;
    assert_ne!(client.status, StatusCode::OK, "clients do not see the team");
}

#[tokio::test]
async fn a_manager_adds_an_existing_user_by_login() {
    let world = World::sqlite().await;
    let base = format!("/projects/{}/members", world.p.0);
    let found = world
        .call(
            "pm",
            Method::GET,
            &format!("{base}?fragment=member-lookup&login=extra"),
            None,
            None,
        )
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(
        found.text.starts_with("<p id=\"member-lookup\""),
        "{}",
        found.text
    );
    assert!(
        found
            .text
            .contains(&format!("data-user=\"{}\"", world.extra.0))
    );
    let unknown = world
        .call(
            "pm",
            Method::GET,
            &format!("{base}?fragment=member-lookup&login=nobody"),
            None,
            None,
        )
        .await;
    assert!(unknown.text.contains("data-user=\"\""), "{}", unknown.text);
    // A team member's page never resolves logins.
    let member = world
        .call(
            "member",
            Method::GET,
            &format!("{base}?fragment=member-lookup&login=extra"),
            None,
            None,
        )
        .await;
    assert!(
        !member
            .text
            .contains(&format!("data-user=\"{}\"", world.extra.0))
    );

    let added = world
        .call(
            "pm",
            Method::PUT,
            &format!("/api/v1/projects/{}/members/{}", world.p.0, world.extra.0),
            None,
            Some(json!({"role": "team-member"})),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text);
    let list = world
        .call(
            "pm",
            Method::GET,
            &format!("{base}?fragment=members-list"),
            None,
            None,
        )
        .await;
    assert!(
        list.text
            .starts_with("<section class=\"card\" id=\"members-list\"")
    );
    assert!(list.text.contains("<code>extra</code>"), "{}", list.text);
}

#[tokio::test]
async fn the_files_page_exports_the_plan_as_a_named_download() {
    let world = World::sqlite().await;
    let page = world
        .call(
            "pm",
            Method::GET,
            &format!("/projects/{}/files", world.p.0),
            None,
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text.contains("id=\"replace-form\""),
        "a manager may replace the plan"
    );
    let kdl_url = format!("/api/v1/projects/{}/export?format=kdl", world.p.0);
    assert!(
        page.text
            .contains(&format!("id=\"export-kdl\" href=\"{kdl_url}\"")),
        "{}",
        page.text
    );
    assert!(page.text.contains("id=\"export-mspdi\""));

    let kdl = world.call("pm", Method::GET, &kdl_url, None, None).await;
    assert_eq!(kdl.status, StatusCode::OK);
    let disposition = kdl.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert_eq!(disposition, "attachment; filename=\"project-p.kdl\"");
    assert!(kdl.text.contains("project \"Project P\""), "{}", kdl.text);
    let xml = world
        .call(
            "pm",
            Method::GET,
            &format!("/api/v1/projects/{}/export?format=mspdi", world.p.0),
            None,
            None,
        )
        .await;
    assert_eq!(
        xml.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"project-p.xml\""
    );

    // A sponsor exports but does not replace.
    let sponsor = world
        .call(
            "sponsor",
            Method::GET,
            &format!("/projects/{}/files", world.p.0),
            None,
            None,
        )
        .await;
    assert_eq!(sponsor.status, StatusCode::OK);
    assert!(sponsor.text.contains("id=\"export-kdl\""));
    assert!(!sponsor.text.contains("replace-form"));
}

#[tokio::test]
async fn clients_and_team_members_do_not_get_files_or_history() {
    let world = World::sqlite().await;
    for page in ["files", "history"] {
        let path = format!("/projects/{}/{page}", world.p.0);
        for actor in ["client", "member", "member_q", "anonymous"] {
            let reply = world.call(actor, Method::GET, &path, None, None).await;
            assert_ne!(reply.status, StatusCode::OK, "{actor} on {page}");
            assert!(!reply.text.contains("export-kdl") && !reply.text.contains("history-table"));
        }
    }
    let import = world
        .call("member", Method::GET, "/import", None, None)
        .await;
    assert_ne!(
        import.status,
        StatusCode::OK,
        "only those who create projects import"
    );
    let admin = world
        .call("admin", Method::GET, "/import", None, None)
        .await;
    assert_eq!(admin.status, StatusCode::OK);
    assert!(admin.text.contains("id=\"import-form\""));
    let portfolio = world.call("admin", Method::GET, "/", None, None).await;
    assert!(portfolio.text.contains("href=\"/import\""));
}

async fn history_shows_a_rename(world: &World) {
    let version = world.version(world.p).await;
    let renamed = world
        .call(
            "pm",
            Method::PATCH,
            &format!("/api/v1/projects/{}/tasks/b1", world.p.0),
            Some(version),
            Some(json!({"name": "Backend API", "duration_minutes": 4800})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    let path = format!("/projects/{}/history", world.p.0);
    let page = world.call("sponsor", Method::GET, &path, None, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text.contains("<li>name: Backend → Backend API</li>"),
        "{}",
        page.text
    );
    // Only what changed: b1's duration was 10 days (4800 min) and stays.
    assert!(
        !page.text.contains("uid: "),
        "unchanged fields are not listed"
    );
    assert!(page.text.contains(">pm<"), "who: {}", page.text);

    let tasks = world
        .call(
            "pm",
            Method::GET,
            &format!("{path}?entity=task"),
            None,
            None,
        )
        .await;
    assert!(tasks.text.contains("name: Backend → Backend API"));
    let members = world
        .call(
            "pm",
            Method::GET,
            &format!("{path}?entity=member"),
            None,
            None,
        )
        .await;
    assert!(!members.text.contains("name: Backend → Backend API"));
    assert!(members.text.contains("role: "), "{}", members.text);
}

#[tokio::test]
async fn history_shows_a_renamed_task_as_old_and_new_name() {
    history_shows_a_rename(&World::sqlite().await).await;
}

#[tokio::test]
async fn history_on_postgresql() {
    if let Some(world) = World::postgres().await {
        history_shows_a_rename(&world).await;
    }
}

#[tokio::test]
async fn history_pages_hold_fifty_changes() {
    let world = World::sqlite().await;
    let path = format!("/api/v1/projects/{}/tasks/a", world.p.0);
    for n in 0..55 {
        let version = world.version(world.p).await;
        let reply = world
            .call(
                "pm",
                Method::PATCH,
                &path,
                Some(version),
                Some(json!({"name": format!("Analysis {n}")})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let base = format!("/projects/{}/history", world.p.0);
    let first = world
        .call(
            "pm",
            Method::GET,
            &format!("{base}?entity=task"),
            None,
            None,
        )
        .await;
    assert_eq!(first.text.matches("<tr data-entity=").count(), 50);
    assert!(first.text.contains("name: Analysis 53 → Analysis 54"));
    assert!(first.text.contains("id=\"history-older\""));
    assert!(
        first.text.contains("page=2&#38;entity=task"),
        "{}",
        first.text
    );
    let second = world
        .call(
            "pm",
            Method::GET,
            &format!("{base}?entity=task&page=2"),
            None,
            None,
        )
        .await;
    assert_eq!(second.text.matches("<tr data-entity=").count(), 5);
    assert!(second.text.contains("name: Analysis → Analysis 0"));
    assert!(!second.text.contains("id=\"history-older\""));
    assert!(second.text.contains("id=\"history-newer\""));
}
