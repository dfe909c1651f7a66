//! Who may do what: the product's role table as one function. Every route names the
//! [`Action`] it performs (in the route table) and the guard asks [`allowed`] before the
//! handler runs; handlers that redact (rates, costs, internal notes) ask it too.
//!
//! Admin is a flag on the user, not a project role: an admin may do everything everywhere.
//! Project roles come from the store's memberships.

use regie_store::{Role, User};

/// What a request does. Instance actions need no project; project actions are checked against
/// the caller's role in the project named by the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Anyone, logged in or not (login, the OpenAPI document).
    Public,
    /// Any logged-in user (their profile, their tokens, the projects they belong to).
    Authenticated,
    /// Users and client organisations.
    ManageUsers,
    /// Create or import a project: admins, and users who manage a project (the guard asks the
    /// store; the creator becomes the new project's manager).
    CreateProject,
    /// The project, its tasks, milestones, links and computed schedule: every role, clients
    /// included (without internal notes).
    ViewPlan,
    /// Resources, assignments, calendars and members: the internal team, not clients.
    ViewTeam,
    /// The audit log and whole-project exports (which carry rates and notes).
    ViewFull,
    /// Progress of tasks (percent complete, actual dates): team members and up.
    UpdateProgress,
    /// Any change to the plan or the project's settings.
    EditPlan,
    /// Who belongs to the project and in which role.
    ManageMembers,
    /// Delete the whole project.
    DeleteProject,
    /// See rates and costs (redaction inside answers, not a route).
    SeeCosts,
    /// See internal notes (redaction inside answers, not a route).
    SeeNotes,
}

impl Action {
    /// Whether the action concerns one project (its id is in the path).
    pub fn project_scoped(self) -> bool {
        !matches!(
            self,
            Action::Public | Action::Authenticated | Action::ManageUsers | Action::CreateProject
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Action::Public => "public",
            Action::Authenticated => "authenticated",
            Action::ManageUsers => "manage-users",
            Action::CreateProject => "create-project",
            Action::ViewPlan => "view-plan",
            Action::ViewTeam => "view-team",
            Action::ViewFull => "view-full",
            Action::UpdateProgress => "update-progress",
            Action::EditPlan => "edit-plan",
            Action::ManageMembers => "manage-members",
            Action::DeleteProject => "delete-project",
            Action::SeeCosts => "see-costs",
            Action::SeeNotes => "see-notes",
        }
    }
}

/// The caller of a request.
#[derive(Clone, Debug)]
pub enum Actor {
    Anonymous,
    User(Box<User>),
}

impl Actor {
    pub fn user(&self) -> Option<&User> {
        match self {
            Actor::Anonymous => None,
            Actor::User(user) => Some(user),
        }
    }
}

/// The one permission decision. `project_role` is the actor's role in the project the action
/// is about (`None` for instance actions or when they are not a member).
pub fn allowed(actor: &Actor, project_role: Option<Role>, action: Action) -> bool {
    if action == Action::Public {
        return true;
    }
    let Some(user) = actor.user() else {
        return false;
    };
    if user.disabled {
        return false;
    }
    if user.is_admin {
        return true;
    }
    use Role::*;
    match action {
        Action::Public | Action::Authenticated => true,
        Action::ManageUsers | Action::CreateProject | Action::DeleteProject => false,
        Action::ViewPlan => project_role.is_some(),
        Action::ViewTeam | Action::SeeNotes => {
            matches!(project_role, Some(Sponsor | ProjectManager | TeamMember))
        }
        Action::ViewFull | Action::SeeCosts => {
            matches!(project_role, Some(Sponsor | ProjectManager))
        }
        Action::UpdateProgress => matches!(project_role, Some(ProjectManager | TeamMember)),
        Action::EditPlan | Action::ManageMembers => project_role == Some(ProjectManager),
    }
}
