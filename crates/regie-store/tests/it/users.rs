//! Users, memberships and roles, sessions, API tokens, login attempts.

use jiff::{SignedDuration, Timestamp};
use regie_store::{LoginAttempt, NewUser, Page, Role, Session, StoreError, UserUpdate};

use crate::on_both;
use crate::roundtrip::kitchen_sink;
use crate::support::TestDb;

on_both!(
    users_and_roles,
    sessions_expire_and_end,
    api_tokens_by_hash,
    login_attempts_count
);

fn new_user(login: &str) -> NewUser {
    NewUser {
        login: login.into(),
        display_name: format!("{login} display"),
        email: Some(format!("{login}@example.com")),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        ..NewUser::default()
    }
}

async fn users_and_roles(db: &TestDb) {
    let store = &db.store;
    let ana = store.create_user(&new_user("ana")).await.unwrap();
    let error = store.create_user(&new_user("ana")).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "a user with login \"ana\" already exists"
    );
    assert!(matches!(
        store.create_user(&new_user("  ")).await,
        Err(StoreError::Invalid(_))
    ));

    let user = store.user_by_login("ana").await.unwrap().unwrap();
    assert_eq!(user.id, ana);
    assert_eq!(user.email.as_deref(), Some("ana@example.com"));
    assert!(
        user.password_hash
            .as_deref()
            .unwrap()
            .starts_with("$argon2id$")
    );
    assert!(!user.is_admin && !user.disabled);
    assert_eq!(store.user_by_login("nobody").await.unwrap(), None);

    let client = store.create_client("Northwind").await.unwrap();
    assert_eq!(
        store
            .create_client("Northwind")
            .await
            .unwrap_err()
            .to_string(),
        "a client named \"Northwind\" already exists"
    );
    let bob = store
        .create_user(&NewUser {
            client: Some(client),
            ..new_user("bob")
        })
        .await
        .unwrap();
    store
        .update_user(
            ana,
            &UserUpdate {
                display_name: "Ana L.".into(),
                email: None,
                is_admin: true,
                disabled: false,
                client: None,
            },
        )
        .await
        .unwrap();
    let user = store.user(ana).await.unwrap();
    assert_eq!(
        (user.display_name.as_str(), user.is_admin, user.email),
        ("Ana L.", true, None)
    );
    let users = store.list_users(Page::first(10)).await.unwrap();
    assert_eq!(
        users.iter().map(|u| u.login.as_str()).collect::<Vec<_>>(),
        ["ana", "bob"]
    );

    let project = store
        .create_project(&kitchen_sink(), Some(ana))
        .await
        .unwrap();
    store
        .set_membership(project, ana, Role::ProjectManager, None)
        .await
        .unwrap();
    store
        .set_membership(project, bob, Role::TeamMember, None)
        .await
        .unwrap();
    // Setting a role again replaces it.
    store
        .set_membership(project, bob, Role::Client, None)
        .await
        .unwrap();
    assert_eq!(store.role(project, bob).await.unwrap(), Some(Role::Client));
    assert_eq!(
        store.role(project, ana).await.unwrap(),
        Some(Role::ProjectManager)
    );
    let members = store.memberships(project).await.unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(
        store
            .list_projects_of_user(bob, Page::first(10))
            .await
            .unwrap()
            .len(),
        1
    );
    store
        .remove_membership(project, bob, Some(ana))
        .await
        .unwrap();
    assert_eq!(store.role(project, bob).await.unwrap(), None);
    // Who gave whom which role, and who ended it, are in the project's audit log.
    let log = store
        .audit_log(
            project,
            regie_store::AuditQuery {
                page: Page::first(10),
                since_version: None,
            },
        )
        .await
        .unwrap();
    let role = |value: &Option<serde_json::Value>| {
        value
            .as_ref()
            .map_or("-".to_owned(), |v| v["role"].as_str().unwrap().to_owned())
    };
    let members: Vec<String> = log
        .iter()
        .filter(|entry| entry.entity == "member")
        .map(|entry| {
            format!(
                "user {} {} {} -> {} by {:?}",
                entry.entity_id,
                entry.action,
                role(&entry.old),
                role(&entry.new),
                entry.user.map(|user| user.0)
            )
        })
        .collect();
    let (a, b) = (ana.0, bob.0);
    assert_eq!(
        members,
        [
            format!("user {b} delete client -> - by Some({a})"),
            format!("user {b} update team-member -> client by None"),
            format!("user {b} create - -> team-member by None"),
            format!("user {a} create - -> project-manager by None"),
        ]
    );
    assert!(matches!(
        store.remove_membership(project, bob, None).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .list_projects_of_user(bob, Page::first(10))
            .await
            .unwrap()
            .is_empty()
    );
    let missing = store
        .set_membership(project, regie_store::UserId(4242), Role::Sponsor, None)
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
}

fn session(id_hash: &str, user: Option<regie_store::UserId>, expires_at: Timestamp) -> Session {
    Session {
        id_hash: id_hash.into(),
        user,
        csrf_token: format!("csrf-{id_hash}"),
        data: "{}".into(),
        expires_at,
    }
}

async fn sessions_expire_and_end(db: &TestDb) {
    let store = &db.store;
    let ana = store.create_user(&new_user("ana")).await.unwrap();
    let now = Timestamp::now();
    let hour = SignedDuration::from_hours(1);
    store
        .create_session(&session("h1", Some(ana), now + hour))
        .await
        .unwrap();
    store
        .create_session(&session("h2", None, now + hour))
        .await
        .unwrap();
    store
        .create_session(&session("old", Some(ana), now - hour))
        .await
        .unwrap();
    assert!(
        store
            .create_session(&session("h1", None, now))
            .await
            .is_err()
    );

    let found = store.session("h1", now).await.unwrap().unwrap();
    assert_eq!(found.user, Some(ana));
    assert_eq!(found.csrf_token, "csrf-h1");
    assert_eq!(
        found.expires_at.as_millisecond(),
        (now + hour).as_millisecond()
    );
    assert_eq!(store.session("old", now).await.unwrap(), None, "expired");
    assert_eq!(store.session("unknown", now).await.unwrap(), None);

    // Login: the anonymous session gets its user.
    let mut anonymous = store.session("h2", now).await.unwrap().unwrap();
    anonymous.user = Some(ana);
    anonymous.data = "{\"k\":1}".into();
    store.update_session(&anonymous).await.unwrap();
    assert_eq!(
        store.session("h2", now).await.unwrap().unwrap().data,
        "{\"k\":1}"
    );

    assert_eq!(store.delete_expired_sessions(now).await.unwrap(), 1);
    store.delete_session("h2").await.unwrap();
    assert_eq!(store.session("h2", now).await.unwrap(), None);

    // A disabled user's sessions stop working; a new password ends them all.
    let update = |disabled| UserUpdate {
        display_name: "Ana".into(),
        email: None,
        is_admin: false,
        disabled,
        client: None,
    };
    store.update_user(ana, &update(true)).await.unwrap();
    assert_eq!(store.session("h1", now).await.unwrap(), None);
    store.update_user(ana, &update(false)).await.unwrap();
    assert!(store.session("h1", now).await.unwrap().is_some());
    store.set_password_hash(ana, "$argon2id$new").await.unwrap();
    assert_eq!(store.session("h1", now).await.unwrap(), None);
    assert_eq!(
        store.user(ana).await.unwrap().password_hash.as_deref(),
        Some("$argon2id$new")
    );
}

async fn api_tokens_by_hash(db: &TestDb) {
    let store = &db.store;
    let ana = store.create_user(&new_user("ana")).await.unwrap();
    let token = store.create_api_token(ana, "CI", "hash-1").await.unwrap();
    assert_eq!(token.last_used_at, None);
    assert!(
        store
            .create_api_token(ana, "again", "hash-1")
            .await
            .is_err()
    );
    assert!(matches!(
        store
            .create_api_token(regie_store::UserId(999), "x", "hash-2")
            .await,
        Err(StoreError::NotFound(_))
    ));

    let now = Timestamp::now();
    let (used, user) = store.use_api_token("hash-1", now).await.unwrap().unwrap();
    assert_eq!(user.id, ana);
    assert_eq!(
        used.last_used_at.map(|t| t.as_millisecond()),
        Some(now.as_millisecond())
    );
    assert_eq!(store.use_api_token("other", now).await.unwrap(), None);
    // The last use is kept to the minute: a call within it writes nothing.
    let soon = now + SignedDuration::from_secs(30);
    let (again, _) = store.use_api_token("hash-1", soon).await.unwrap().unwrap();
    assert_eq!(again.last_used_at, used.last_used_at);
    let later = now + SignedDuration::from_mins(2);
    let (later_use, _) = store.use_api_token("hash-1", later).await.unwrap().unwrap();
    assert_eq!(
        later_use.last_used_at.map(|t| t.as_millisecond()),
        Some(later.as_millisecond())
    );
    let listed = store.list_api_tokens(ana).await.unwrap();
    assert_eq!(listed[0].last_used_at, later_use.last_used_at);

    store.revoke_api_token(token.id, now).await.unwrap();
    assert_eq!(store.use_api_token("hash-1", now).await.unwrap(), None);
    assert!(store.revoke_api_token(token.id, now).await.is_err());
    let listed = store.list_api_tokens(ana).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].revoked_at.is_some());
}

async fn login_attempts_count(db: &TestDb) {
    let store = &db.store;
    let now = Timestamp::now();
    let minute = SignedDuration::from_mins(1);
    for (login, remote, ago, succeeded) in [
        ("ana", "10.0.0.1", 1, false),
        ("ana", "10.0.0.2", 2, false),
        ("bob", "10.0.0.1", 3, false),
        ("ana", "10.0.0.1", 4, true),
        ("ana", "10.0.0.1", 60, false),
    ] {
        store
            .record_login_attempt(&LoginAttempt {
                login: login.into(),
                remote_addr: remote.into(),
                at: now - minute * ago,
                succeeded,
            })
            .await
            .unwrap();
    }
    let since = now - minute * 10;
    assert_eq!(
        store
            .failed_login_attempts("ana", "10.0.0.9", since)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .failed_login_attempts("zed", "10.0.0.1", since)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .failed_login_attempts("ana", "10.0.0.1", since)
            .await
            .unwrap(),
        3
    );
    assert_eq!(store.prune_login_attempts(since).await.unwrap(), 1);
}
