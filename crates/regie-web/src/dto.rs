//! The JSON shapes of the API and their conversions to and from the model.
//!
//! Conventions: dates and times are ISO 8601 strings in the project's local civil time
//! (`"2027-01-04T08:00:00"`; a date alone means its midnight); durations, work and lags are
//! integer minutes (`duration_minutes: 2400` is 5 days of 8 hours), which JSON clients compute
//! with easily, where the KDL file's `"5d"` would need the project's units to read; money is
//! integer cents. Request DTOs refuse unknown fields, so a typo is a 422 naming it, never a
//! silently ignored value.

use jiff::civil::{Date, DateTime, Weekday};
use serde::{Deserialize, Deserializer, Serialize};

use regie_core::calendar::{Calendar, DateRule, Exception, Shift, YearlyDay};
use regie_core::{
    Assignment, CalendarId, ConstraintKind, Lag, Link, LinkKind, Project, Resource, ResourceKind,
    Task, TaskType,
};
use regie_store::{AuditEntry, LoadedProject, ProjectSummary, User};

use crate::error::{ApiError, ApiResult};

/// For fields that may be set to `null` in a PATCH: absent → `None`, `null` → `Some(None)`.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

pub fn parse_datetime(field: &str, text: &str) -> ApiResult<DateTime> {
    if let Ok(datetime) = text.parse::<DateTime>() {
        return Ok(datetime);
    }
    text.parse::<Date>()
        .map(|date| date.to_datetime(jiff::civil::Time::midnight()))
        .map_err(|_| {
            ApiError::field(
                field,
                format!("{text:?} is not a date and time such as \"2027-01-04T08:00:00\""),
            )
        })
}

pub fn parse_date(field: &str, text: &str) -> ApiResult<Date> {
    text.parse::<Date>().map_err(|_| {
        ApiError::field(
            field,
            format!("{text:?} is not a date such as \"2027-01-04\""),
        )
    })
}

fn text_of(datetime: Option<DateTime>) -> Option<String> {
    datetime.map(|datetime| datetime.to_string())
}

// ---------------------------------------------------------------- lists

/// Pagination and filters of list routes (every one optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub offset: Option<usize>,
    pub limit: Option<usize>,
    /// Case-insensitive substring of the name (or login).
    pub q: Option<String>,
    pub parent: Option<String>,
    pub milestone: Option<bool>,
    pub phase: Option<String>,
    pub client: Option<i64>,
    pub group: Option<String>,
    pub task: Option<String>,
    pub resource: Option<String>,
    pub entity: Option<String>,
    pub since_version: Option<i64>,
}

impl ListQuery {
    pub const DEFAULT_LIMIT: usize = 100;
    pub const MAX_LIMIT: usize = 1000;

    pub fn limit(&self) -> usize {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }

    pub fn matches_name(&self, name: &str) -> bool {
        self.q
            .as_deref()
            .is_none_or(|q| name.to_lowercase().contains(&q.to_lowercase()))
    }

    /// One page of `items` (already filtered).
    pub fn page<T: Serialize>(&self, items: Vec<T>) -> ListOut<T> {
        let total = items.len();
        let offset = self.offset.unwrap_or(0).min(total);
        let limit = self.limit();
        let items: Vec<T> = items.into_iter().skip(offset).take(limit).collect();
        ListOut {
            items,
            total,
            offset,
            limit,
        }
    }
}

#[derive(Serialize)]
pub struct ListOut<T> {
    pub items: Vec<T>,
    /// How many match the filters, over all pages.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
}

// ---------------------------------------------------------------- accounts

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Serialize)]
pub struct UserOut {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub is_admin: bool,
    pub disabled: bool,
    pub client: Option<i64>,
}

impl From<&User> for UserOut {
    fn from(user: &User) -> UserOut {
        UserOut {
            id: user.id.0,
            login: user.login.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            is_admin: user.is_admin,
            disabled: user.disabled,
            client: user.client.map(|client| client.0),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    /// At least 10 characters; omitted: one is generated and returned once.
    pub password: Option<String>,
    #[serde(default)]
    pub is_admin: bool,
    pub client: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub email: Option<Option<String>>,
    pub is_admin: Option<bool>,
    pub disabled: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub client: Option<Option<i64>>,
    pub password: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub name: String,
}

#[derive(Serialize)]
pub struct TokenOut {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<&regie_store::ApiToken> for TokenOut {
    fn from(token: &regie_store::ApiToken) -> TokenOut {
        TokenOut {
            id: token.id,
            name: token.name.clone(),
            created_at: token.created_at.to_string(),
            last_used_at: token.last_used_at.map(|at| at.to_string()),
            revoked_at: token.revoked_at.map(|at| at.to_string()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientCreate {
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    /// `sponsor`, `project-manager`, `team-member` or `client`.
    pub role: String,
}

// ---------------------------------------------------------------- projects

#[derive(Serialize)]
pub struct ProjectOut {
    pub id: i64,
    pub name: String,
    pub version: i64,
    pub phase: Option<String>,
    pub client: Option<i64>,
    pub client_deadline: Option<String>,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<SettingsOut>,
}

#[derive(Serialize)]
pub struct SettingsOut {
    /// The start the project is planned forward from, or `null` when planned back from `finish`.
    pub start: Option<String>,
    pub finish: Option<String>,
    pub time_zone: String,
    pub currency: String,
    pub status_date: Option<String>,
    /// Index of the project calendar in the calendar list.
    pub calendar: u32,
    pub honor_constraints: bool,
    pub tasks: usize,
}

impl ProjectOut {
    pub fn summary(summary: &ProjectSummary) -> ProjectOut {
        ProjectOut {
            id: summary.id.0,
            name: summary.name.clone(),
            version: summary.version,
            phase: summary.phase.clone(),
            client: summary.client.map(|client| client.0),
            client_deadline: summary.client_deadline.map(|date| date.to_string()),
            updated_at: summary.updated_at.to_string(),
            settings: None,
        }
    }

    pub fn full(loaded: &LoadedProject) -> ProjectOut {
        let project = &loaded.project;
        let (start, finish) = match project.anchor {
            regie_core::Anchor::Start(at) => (Some(at.to_string()), None),
            regie_core::Anchor::Finish(at) => (None, Some(at.to_string())),
        };
        ProjectOut {
            settings: Some(SettingsOut {
                start,
                finish,
                time_zone: project.time_zone.clone(),
                currency: project.currency.clone(),
                status_date: text_of(project.status_date),
                calendar: project.calendar.0,
                honor_constraints: project.honor_constraints,
                tasks: project.tasks.len(),
            }),
            ..ProjectOut::summary(&loaded.summary)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectCreate {
    pub name: String,
    pub start: String,
    pub time_zone: Option<String>,
    pub currency: Option<String>,
    pub phase: Option<String>,
    pub client: Option<i64>,
    pub client_deadline: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    pub name: Option<String>,
    pub start: Option<String>,
    pub finish: Option<String>,
    pub time_zone: Option<String>,
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub status_date: Option<Option<String>>,
    pub calendar: Option<u32>,
    pub honor_constraints: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub phase: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub client: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub client_deadline: Option<Option<String>>,
}

#[derive(Serialize)]
pub struct AuditOut {
    pub id: i64,
    pub at: String,
    pub version: i64,
    pub user: Option<i64>,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

impl From<&AuditEntry> for AuditOut {
    fn from(entry: &AuditEntry) -> AuditOut {
        AuditOut {
            id: entry.id,
            at: entry.at.to_string(),
            version: entry.version,
            user: entry.user.map(|user| user.0),
            entity: entry.entity.clone(),
            entity_id: entry.entity_id.clone(),
            action: entry.action.clone(),
            old: entry.old.clone(),
            new: entry.new.clone(),
        }
    }
}

// ---------------------------------------------------------------- tasks

#[derive(Serialize)]
pub struct TaskOut {
    pub uid: String,
    pub name: String,
    pub parent: Option<String>,
    pub wbs: String,
    pub summary: bool,
    pub milestone: bool,
    pub duration_minutes: i64,
    pub elapsed: bool,
    pub work_minutes: Option<i64>,
    pub task_type: &'static str,
    pub effort_driven: bool,
    pub constraint: &'static str,
    pub constraint_date: Option<String>,
    pub deadline: Option<String>,
    pub priority: u16,
    pub calendar: Option<u32>,
    /// Internal notes: absent for clients.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub percent_complete: u8,
    pub actual_start: Option<String>,
    pub actual_finish: Option<String>,
}

fn task_type_code(kind: TaskType) -> &'static str {
    match kind {
        TaskType::FixedUnits => "fixed-units",
        TaskType::FixedDuration => "fixed-duration",
        TaskType::FixedWork => "fixed-work",
    }
}

const CONSTRAINTS: [(ConstraintKind, &str); 8] = [
    (ConstraintKind::AsSoonAsPossible, "asap"),
    (ConstraintKind::AsLateAsPossible, "alap"),
    (ConstraintKind::StartNoEarlierThan, "snet"),
    (ConstraintKind::StartNoLaterThan, "snlt"),
    (ConstraintKind::FinishNoEarlierThan, "fnet"),
    (ConstraintKind::FinishNoLaterThan, "fnlt"),
    (ConstraintKind::MustStartOn, "mso"),
    (ConstraintKind::MustFinishOn, "mfo"),
];

fn constraint_code(kind: ConstraintKind) -> &'static str {
    CONSTRAINTS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("asap", |(_, code)| code)
}

impl TaskOut {
    /// Task `index` of `project`; `notes` only when the caller may see internal notes.
    pub fn new(
        project: &Project,
        index: usize,
        wbs: &[String],
        summary: &[bool],
        notes: bool,
    ) -> TaskOut {
        let task = &project.tasks[index];
        TaskOut {
            uid: task.uid.clone(),
            name: task.name.clone(),
            parent: task.parent.map(|parent| project.task(parent).uid.clone()),
            wbs: wbs.get(index).cloned().unwrap_or_default(),
            summary: summary.get(index).copied().unwrap_or(false),
            milestone: task.milestone,
            duration_minutes: task.duration.minutes,
            elapsed: task.duration.elapsed,
            work_minutes: task.work,
            task_type: task_type_code(task.task_type),
            effort_driven: task.effort_driven,
            constraint: constraint_code(task.constraint.kind),
            constraint_date: text_of(task.constraint.date),
            deadline: text_of(task.deadline),
            priority: task.priority,
            calendar: task.calendar.map(|calendar| calendar.0),
            notes: notes.then(|| task.notes.clone()),
            percent_complete: task.progress.percent_complete,
            actual_start: text_of(task.progress.actual_start),
            actual_finish: text_of(task.progress.actual_finish),
        }
    }
}

/// A task's fields for POST (uid and name required, `parent` allowed) and PATCH (all
/// optional; `parent` refused: moves go through `/move`).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TaskFields {
    pub uid: Option<String>,
    pub name: Option<String>,
    pub parent: Option<String>,
    /// For POST: the uid of the child of `parent` the new task goes just before (an insert);
    /// absent: after the last child. Refused by PATCH, like `parent`.
    pub before: Option<String>,
    pub milestone: Option<bool>,
    pub duration_minutes: Option<i64>,
    pub elapsed: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub work_minutes: Option<Option<i64>>,
    pub task_type: Option<String>,
    pub effort_driven: Option<bool>,
    pub constraint: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub constraint_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub deadline: Option<Option<String>>,
    pub priority: Option<u16>,
    #[serde(default, deserialize_with = "nullable")]
    pub calendar: Option<Option<u32>>,
    pub notes: Option<String>,
    pub percent_complete: Option<u8>,
    #[serde(default, deserialize_with = "nullable")]
    pub actual_start: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub actual_finish: Option<Option<String>>,
}

fn opt_datetime(field: &str, value: Option<String>) -> ApiResult<Option<DateTime>> {
    value.map(|text| parse_datetime(field, &text)).transpose()
}

impl TaskFields {
    /// Writes the given fields onto `task`, checking each; `calendars` is how many calendars
    /// the project has.
    pub fn apply(self, task: &mut Task, calendars: usize) -> ApiResult<()> {
        if let Some(uid) = self.uid {
            if uid.trim().is_empty() {
                return Err(ApiError::field("uid", "must not be empty"));
            }
            task.uid = uid;
        }
        if let Some(name) = self.name {
            task.name = name;
        }
        if let Some(milestone) = self.milestone {
            task.milestone = milestone;
        }
        if let Some(minutes) = self.duration_minutes {
            if minutes < 0 {
                return Err(ApiError::field("duration_minutes", "must not be negative"));
            }
            task.duration.minutes = minutes;
        }
        if let Some(elapsed) = self.elapsed {
            task.duration.elapsed = elapsed;
        }
        if let Some(work) = self.work_minutes {
            if work.is_some_and(|work| work < 0) {
                return Err(ApiError::field("work_minutes", "must not be negative"));
            }
            task.work = work;
        }
        if let Some(kind) = self.task_type {
            task.task_type = match kind.as_str() {
                "fixed-units" => TaskType::FixedUnits,
                "fixed-duration" => TaskType::FixedDuration,
                "fixed-work" => TaskType::FixedWork,
                _ => {
                    return Err(ApiError::field(
                        "task_type",
                        format!("{kind:?} is not one of fixed-units, fixed-duration, fixed-work"),
                    ));
                }
            };
        }
        if let Some(effort_driven) = self.effort_driven {
            task.effort_driven = effort_driven;
        }
        if let Some(code) = self.constraint {
            task.constraint.kind = CONSTRAINTS
                .iter()
                .find(|(_, c)| *c == code)
                .map(|(kind, _)| *kind)
                .ok_or_else(|| {
                    ApiError::field(
                        "constraint",
                        format!(
                            "{code:?} is not one of asap, alap, snet, snlt, fnet, fnlt, mso, mfo"
                        ),
                    )
                })?;
        }
        if let Some(date) = self.constraint_date {
            task.constraint.date = opt_datetime("constraint_date", date)?;
        }
        if task.constraint.kind.needs_date() && task.constraint.date.is_none() {
            return Err(ApiError::field(
                "constraint_date",
                format!(
                    "the constraint {} needs a date",
                    constraint_code(task.constraint.kind)
                ),
            ));
        }
        if let Some(deadline) = self.deadline {
            task.deadline = opt_datetime("deadline", deadline)?;
        }
        if let Some(priority) = self.priority {
            if priority > 1000 {
                return Err(ApiError::field("priority", "must be between 0 and 1000"));
            }
            task.priority = priority;
        }
        if let Some(calendar) = self.calendar {
            if calendar.is_some_and(|index| index as usize >= calendars) {
                return Err(ApiError::field("calendar", "no calendar has this index"));
            }
            task.calendar = calendar.map(CalendarId);
        }
        if let Some(notes) = self.notes {
            task.notes = notes;
        }
        let progress = ProgressFields {
            percent_complete: self.percent_complete,
            actual_start: self.actual_start,
            actual_finish: self.actual_finish,
        };
        progress.apply(task)?;
        if task.milestone && task.duration.minutes != 0 {
            return Err(ApiError::field(
                "duration_minutes",
                "a milestone has no duration: leave it at 0",
            ));
        }
        Ok(())
    }
}

/// What a team member may change on a task.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProgressFields {
    pub percent_complete: Option<u8>,
    #[serde(default, deserialize_with = "nullable")]
    pub actual_start: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub actual_finish: Option<Option<String>>,
}

impl ProgressFields {
    pub fn apply(self, task: &mut Task) -> ApiResult<()> {
        if let Some(percent) = self.percent_complete {
            if percent > 100 {
                return Err(ApiError::field(
                    "percent_complete",
                    "must be between 0 and 100",
                ));
            }
            task.progress.percent_complete = percent;
        }
        if let Some(start) = self.actual_start {
            task.progress.actual_start = opt_datetime("actual_start", start)?;
        }
        if let Some(finish) = self.actual_finish {
            task.progress.actual_finish = opt_datetime("actual_finish", finish)?;
        }
        if let (Some(start), Some(finish)) =
            (task.progress.actual_start, task.progress.actual_finish)
            && finish < start
        {
            return Err(ApiError::field(
                "actual_finish",
                "is before the actual start",
            ));
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    /// The new parent's uid; `null`: a top-level task.
    pub parent: Option<String>,
    /// The uid of the child of `parent` the task goes just before; absent or `null`: after the
    /// last child.
    #[serde(default)]
    pub before: Option<String>,
}

/// A row of the task table edited like a spreadsheet (`PATCH .../tasks/{task}/cells`): each
/// cell as the user typed it, all optional; the server reads them with the project's units.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CellEdit {
    /// Not blank.
    pub name: Option<String>,
    /// `5d`, `2w`, `3h`, `1.5d`, `30m`, `0` (a milestone), `4ed` (elapsed days).
    pub duration: Option<String>,
    /// Task IDs (1-based positions in outline order) with link type and lag: `3, 4SS+2d`.
    /// Replaces the task's predecessors.
    pub predecessors: Option<String>,
    /// Resource names or uids with optional units: `Ana Lima, Bob[50%]`. Replaces the task's
    /// assignments (a resource that stays keeps its work).
    pub resources: Option<String>,
    /// `ASAP`, `ALAP`, or `SNET`/`SNLT`/`FNET`/`FNLT`/`MSO`/`MFO` and a date.
    pub constraint: Option<String>,
    /// A date: a start-no-earlier-than constraint there.
    pub start: Option<String>,
    /// A date: the duration that makes the task finish at the end of that day's work.
    pub finish: Option<String>,
}

// ---------------------------------------------------------------- links

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkDto {
    pub pred: String,
    pub succ: String,
    /// `FS` (default), `SS`, `FF`, `SF`.
    #[serde(default = "fs")]
    pub kind: String,
    /// Minutes (working or elapsed) or percent of the predecessor's duration; negative: a lead.
    #[serde(default)]
    pub lag: i64,
    /// `working` (default), `elapsed` or `percent`.
    #[serde(default = "working")]
    pub lag_kind: String,
}

fn fs() -> String {
    "FS".into()
}

fn working() -> String {
    "working".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkPatch {
    pub kind: Option<String>,
    pub lag: Option<i64>,
    pub lag_kind: Option<String>,
}

pub fn link_kind(text: &str) -> ApiResult<LinkKind> {
    Ok(match text {
        "FS" => LinkKind::FinishToStart,
        "SS" => LinkKind::StartToStart,
        "FF" => LinkKind::FinishToFinish,
        "SF" => LinkKind::StartToFinish,
        _ => {
            return Err(ApiError::field(
                "kind",
                format!("{text:?} is not one of FS, SS, FF, SF"),
            ));
        }
    })
}

pub fn lag(kind: &str, value: i64) -> ApiResult<Lag> {
    Ok(match kind {
        "working" => Lag::Working(value),
        "elapsed" => Lag::Elapsed(value),
        "percent" => Lag::Percent(
            i32::try_from(value).map_err(|_| ApiError::field("lag", "percent out of range"))?,
        ),
        _ => {
            return Err(ApiError::field(
                "lag_kind",
                format!("{kind:?} is not one of working, elapsed, percent"),
            ));
        }
    })
}

impl LinkDto {
    pub fn of(project: &Project, link: &Link) -> LinkDto {
        let (lag_kind, lag) = match link.lag {
            Lag::Working(minutes) => ("working", minutes),
            Lag::Elapsed(minutes) => ("elapsed", minutes),
            Lag::Percent(percent) => ("percent", i64::from(percent)),
        };
        LinkDto {
            pred: project.task(link.pred).uid.clone(),
            succ: project.task(link.succ).uid.clone(),
            kind: link.kind.code().to_owned(),
            lag,
            lag_kind: lag_kind.to_owned(),
        }
    }
}

// ---------------------------------------------------------------- resources

#[derive(Serialize)]
pub struct ResourceOut {
    pub uid: String,
    pub name: String,
    pub kind: &'static str,
    pub max_units: u32,
    pub calendar: Option<u32>,
    pub email: Option<String>,
    pub group: Option<String>,
    /// Rates in cents: only for sponsors, project managers and admins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rates: Option<RatesOut>,
}

#[derive(Serialize)]
pub struct RatesOut {
    pub standard_cents: i64,
    pub overtime_cents: i64,
    pub per_use_cents: i64,
}

fn resource_kind_code(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Work => "work",
        ResourceKind::Material => "material",
        ResourceKind::Cost => "cost",
    }
}

impl ResourceOut {
    pub fn new(resource: &Resource, costs: bool) -> ResourceOut {
        ResourceOut {
            uid: resource.uid.clone(),
            name: resource.name.clone(),
            kind: resource_kind_code(resource.kind),
            max_units: resource.max_units,
            calendar: resource.calendar.map(|calendar| calendar.0),
            email: resource.email.clone(),
            group: resource.group.clone(),
            rates: costs.then_some(RatesOut {
                standard_cents: resource.rates.standard.0,
                overtime_cents: resource.rates.overtime.0,
                per_use_cents: resource.rates.per_use.0,
            }),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ResourceFields {
    pub uid: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub max_units: Option<u32>,
    #[serde(default, deserialize_with = "nullable")]
    pub calendar: Option<Option<u32>>,
    pub standard_rate_cents: Option<i64>,
    pub overtime_rate_cents: Option<i64>,
    pub per_use_cents: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub group: Option<Option<String>>,
}

impl ResourceFields {
    pub fn apply(self, resource: &mut Resource, calendars: usize) -> ApiResult<()> {
        if let Some(uid) = self.uid {
            if uid.trim().is_empty() {
                return Err(ApiError::field("uid", "must not be empty"));
            }
            resource.uid = uid;
        }
        if let Some(name) = self.name {
            resource.name = name;
        }
        if let Some(kind) = self.kind {
            resource.kind = match kind.as_str() {
                "work" => ResourceKind::Work,
                "material" => ResourceKind::Material,
                "cost" => ResourceKind::Cost,
                _ => {
                    return Err(ApiError::field(
                        "kind",
                        format!("{kind:?} is not one of work, material, cost"),
                    ));
                }
            };
        }
        if let Some(units) = self.max_units {
            resource.max_units = units;
        }
        if let Some(calendar) = self.calendar {
            if calendar.is_some_and(|index| index as usize >= calendars) {
                return Err(ApiError::field("calendar", "no calendar has this index"));
            }
            resource.calendar = calendar.map(CalendarId);
        }
        for (field, value, target) in [
            (
                "standard_rate_cents",
                self.standard_rate_cents,
                &mut resource.rates.standard,
            ),
            (
                "overtime_rate_cents",
                self.overtime_rate_cents,
                &mut resource.rates.overtime,
            ),
            (
                "per_use_cents",
                self.per_use_cents,
                &mut resource.rates.per_use,
            ),
        ] {
            if let Some(cents) = value {
                if cents < 0 {
                    return Err(ApiError::field(field, "must not be negative"));
                }
                target.0 = cents;
            }
        }
        if let Some(email) = self.email {
            resource.email = email;
        }
        if let Some(group) = self.group {
            resource.group = group;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- assignments

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentDto {
    pub task: String,
    pub resource: String,
    /// Percent of the resource's time (100: full time).
    #[serde(default = "hundred")]
    pub units: u32,
    /// Work in minutes when fixed; `null`: the task's duration × units.
    #[serde(default)]
    pub work_minutes: Option<i64>,
}

fn hundred() -> u32 {
    100
}

impl AssignmentDto {
    pub fn of(project: &Project, assignment: &Assignment) -> AssignmentDto {
        AssignmentDto {
            task: project.task(assignment.task).uid.clone(),
            resource: project.resources[assignment.resource.index()].uid.clone(),
            units: assignment.units,
            work_minutes: assignment.work,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentPatch {
    pub units: Option<u32>,
    #[serde(default, deserialize_with = "nullable")]
    pub work_minutes: Option<Option<i64>>,
}

// ---------------------------------------------------------------- calendars

#[derive(Serialize)]
pub struct CalendarOut {
    /// The calendar's index in the project: what tasks and resources refer to.
    pub id: u32,
    pub uid: String,
    pub name: String,
    pub base: Option<u32>,
    /// Monday first; `null`: as the base calendar; `[]`: not worked; else `"08:00-12:00"` shifts.
    pub week: Vec<Option<Vec<String>>>,
    pub exceptions: Vec<ExceptionDto>,
}

#[derive(Serialize, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ExceptionDto {
    pub name: String,
    pub rule: RuleDto,
    /// `[]`: not worked (a holiday); else the working shifts of those days.
    #[serde(default)]
    pub shifts: Vec<String>,
}

/// Which days an exception covers.
#[derive(Serialize, Deserialize, Clone)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum RuleDto {
    /// Every day from `from` to `to`, both included.
    Range { from: String, to: String },
    /// These weekdays (`mon`..`sun`) between two dates.
    Weekly {
        weekdays: Vec<String>,
        from: String,
        to: String,
    },
    /// Each year: day `day` of `month`, or the `nth` `weekday` (`-1`: the last).
    Yearly {
        month: i8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        day: Option<i8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nth: Option<i8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weekday: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_year: Option<i16>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_year: Option<i16>,
    },
}

const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Monday, "mon"),
    (Weekday::Tuesday, "tue"),
    (Weekday::Wednesday, "wed"),
    (Weekday::Thursday, "thu"),
    (Weekday::Friday, "fri"),
    (Weekday::Saturday, "sat"),
    (Weekday::Sunday, "sun"),
];

fn weekday_code(day: Weekday) -> String {
    WEEKDAYS
        .iter()
        .find(|(d, _)| *d == day)
        .map_or("mon", |(_, code)| code)
        .to_owned()
}

fn parse_weekday(field: &str, text: &str) -> ApiResult<Weekday> {
    WEEKDAYS
        .iter()
        .find(|(_, code)| *code == text)
        .map(|(day, _)| *day)
        .ok_or_else(|| ApiError::field(field, format!("{text:?} is not one of mon..sun")))
}

fn shift_text(shift: Shift) -> String {
    format!(
        "{:02}:{:02}-{:02}:{:02}",
        shift.start / 60,
        shift.start % 60,
        shift.end / 60,
        shift.end % 60
    )
}

fn parse_clock(text: &str) -> Option<u16> {
    let (hours, minutes) = text.split_once(':')?;
    let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours <= 24 && minutes < 60 && hours * 60 + minutes <= 1440).then_some(hours * 60 + minutes)
}

fn parse_shifts(field: &str, shifts: &[String]) -> ApiResult<Vec<Shift>> {
    let mut out: Vec<Shift> = Vec::with_capacity(shifts.len());
    for (index, text) in shifts.iter().enumerate() {
        let shift = text
            .split_once('-')
            .and_then(|(start, end)| {
                Some(Shift {
                    start: parse_clock(start)?,
                    end: parse_clock(end)?,
                })
            })
            .filter(|shift| shift.start < shift.end)
            .ok_or_else(|| {
                ApiError::field(
                    format!("{field}[{index}]"),
                    format!("{text:?} is not a shift such as \"08:00-12:00\""),
                )
            })?;
        if out.last().is_some_and(|last| last.end > shift.start) {
            return Err(ApiError::field(
                format!("{field}[{index}]"),
                "shifts must be in order and not overlap",
            ));
        }
        out.push(shift);
    }
    Ok(out)
}

impl ExceptionDto {
    pub fn of(exception: &Exception) -> ExceptionDto {
        let rule = match &exception.dates {
            DateRule::Range { from, to } => RuleDto::Range {
                from: from.to_string(),
                to: to.to_string(),
            },
            DateRule::Weekly { weekdays, from, to } => RuleDto::Weekly {
                weekdays: weekdays.iter().map(|day| weekday_code(*day)).collect(),
                from: from.to_string(),
                to: to.to_string(),
            },
            DateRule::Yearly {
                month,
                day,
                from_year,
                to_year,
            } => {
                let (day, nth, weekday) = match day {
                    YearlyDay::Day(day) => (Some(*day), None, None),
                    YearlyDay::Nth { n, weekday } => (None, Some(*n), Some(weekday_code(*weekday))),
                };
                RuleDto::Yearly {
                    month: *month,
                    day,
                    nth,
                    weekday,
                    from_year: *from_year,
                    to_year: *to_year,
                }
            }
        };
        ExceptionDto {
            name: exception.name.clone(),
            rule,
            shifts: exception
                .shifts
                .iter()
                .map(|shift| shift_text(*shift))
                .collect(),
        }
    }

    /// `field` is where this exception is in the request (`exceptions[2]`).
    pub fn to_model(&self, field: &str) -> ApiResult<Exception> {
        let dates = match &self.rule {
            RuleDto::Range { from, to } => {
                let from = parse_date(&format!("{field}.rule.from"), from)?;
                let to = parse_date(&format!("{field}.rule.to"), to)?;
                if to < from {
                    return Err(ApiError::field(
                        format!("{field}.rule.to"),
                        "is before `from`",
                    ));
                }
                DateRule::Range { from, to }
            }
            RuleDto::Weekly { weekdays, from, to } => DateRule::Weekly {
                weekdays: weekdays
                    .iter()
                    .enumerate()
                    .map(|(i, day)| parse_weekday(&format!("{field}.rule.weekdays[{i}]"), day))
                    .collect::<ApiResult<_>>()?,
                from: parse_date(&format!("{field}.rule.from"), from)?,
                to: parse_date(&format!("{field}.rule.to"), to)?,
            },
            RuleDto::Yearly {
                month,
                day,
                nth,
                weekday,
                from_year,
                to_year,
            } => {
                if !(1..=12).contains(month) {
                    return Err(ApiError::field(
                        format!("{field}.rule.month"),
                        "must be 1 to 12",
                    ));
                }
                let day = match (day, nth, weekday) {
                    (Some(day), None, None) if (1..=31).contains(day) => YearlyDay::Day(*day),
                    (None, Some(n), Some(weekday)) if (-1..=5).contains(n) && *n != 0 => {
                        YearlyDay::Nth {
                            n: *n,
                            weekday: parse_weekday(&format!("{field}.rule.weekday"), weekday)?,
                        }
                    }
                    _ => {
                        return Err(ApiError::field(
                            format!("{field}.rule"),
                            "a yearly rule has either `day` (1-31) or `nth` (1-5 or -1) with `weekday`",
                        ));
                    }
                };
                DateRule::Yearly {
                    month: *month,
                    day,
                    from_year: *from_year,
                    to_year: *to_year,
                }
            }
        };
        Ok(Exception {
            name: self.name.clone(),
            dates,
            shifts: parse_shifts(&format!("{field}.shifts"), &self.shifts)?,
        })
    }
}

impl CalendarOut {
    pub fn new(index: usize, calendar: &Calendar) -> CalendarOut {
        CalendarOut {
            id: index as u32,
            uid: calendar.uid.clone(),
            name: calendar.name.clone(),
            base: calendar.base.map(|base| base.0),
            week: calendar
                .week
                .iter()
                .map(|day| {
                    day.as_ref()
                        .map(|shifts| shifts.iter().map(|s| shift_text(*s)).collect())
                })
                .collect(),
            exceptions: calendar.exceptions.iter().map(ExceptionDto::of).collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarInput {
    #[serde(default)]
    pub uid: String,
    pub name: String,
    pub base: Option<u32>,
    /// Seven entries, Monday first (see [`CalendarOut::week`]); omitted: Monday to Friday
    /// 08:00-12:00 and 13:00-17:00 (or all as the base calendar when there is one).
    pub week: Option<Vec<Option<Vec<String>>>>,
    #[serde(default)]
    pub exceptions: Vec<ExceptionDto>,
}

impl CalendarInput {
    pub fn to_model(&self, calendars: usize) -> ApiResult<Calendar> {
        let mut calendar = match self.base {
            Some(base) => {
                if base as usize >= calendars {
                    return Err(ApiError::field("base", "no calendar has this index"));
                }
                Calendar::derived(self.name.clone(), CalendarId(base))
            }
            None => Calendar::standard(self.name.clone()),
        };
        calendar.uid = self.uid.clone();
        if let Some(week) = &self.week {
            if week.len() != 7 {
                return Err(ApiError::field("week", "needs 7 entries, Monday first"));
            }
            for (index, day) in week.iter().enumerate() {
                calendar.week[index] = day
                    .as_ref()
                    .map(|shifts| parse_shifts(&format!("week[{index}]"), shifts))
                    .transpose()?;
            }
        }
        calendar.exceptions = self
            .exceptions
            .iter()
            .enumerate()
            .map(|(index, exception)| exception.to_model(&format!("exceptions[{index}]")))
            .collect::<ApiResult<_>>()?;
        Ok(calendar)
    }
}

// ---------------------------------------------------------------- schemas

/// JSON schemas (2020-12, as OpenAPI 3.1 uses) of the DTOs above, for the OpenAPI document.
/// Written by hand next to the structs they describe; the OpenAPI test checks every route has
/// them and the API tests check the answers have the fields named here.
pub mod schema {
    use serde_json::{Value, json};

    fn object(properties: Value, required: &[&str]) -> Value {
        json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
    }

    const STR: &str = "string";
    fn t(kind: &str) -> Value {
        json!({"type": kind})
    }
    fn nullable(kind: &str) -> Value {
        json!({"type": [kind, "null"]})
    }
    fn datetime() -> Value {
        json!({"type": ["string", "null"], "description": "ISO 8601 local date and time, e.g. 2027-01-04T08:00:00"})
    }

    pub fn list(item: Value) -> Value {
        object(
            json!({"items": {"type": "array", "items": item}, "total": t("integer"), "offset": t("integer"), "limit": t("integer")}),
            &["items", "total", "offset", "limit"],
        )
    }
    pub fn login() -> Value {
        object(
            json!({"login": t(STR), "password": t(STR)}),
            &["login", "password"],
        )
    }
    pub fn login_answer() -> Value {
        object(
            json!({"user": user(), "csrf_token": t(STR)}),
            &["user", "csrf_token"],
        )
    }
    pub fn me() -> Value {
        object(
            json!({"user": user(), "csrf_token": nullable(STR)}),
            &["user"],
        )
    }
    pub fn user() -> Value {
        object(
            json!({"id": t("integer"), "login": t(STR), "display_name": t(STR), "email": nullable(STR),
                   "is_admin": t("boolean"), "disabled": t("boolean"), "client": nullable("integer")}),
            &["id", "login", "display_name", "is_admin", "disabled"],
        )
    }
    pub fn user_create() -> Value {
        object(
            json!({"login": t(STR), "display_name": t(STR), "email": nullable(STR), "password": nullable(STR),
                   "is_admin": t("boolean"), "client": nullable("integer")}),
            &["login", "display_name"],
        )
    }
    pub fn user_created() -> Value {
        object(
            json!({"user": user(), "password": nullable(STR)}),
            &["user"],
        )
    }
    pub fn user_update() -> Value {
        object(
            json!({"display_name": t(STR), "email": nullable(STR), "is_admin": t("boolean"), "disabled": t("boolean"),
                   "client": nullable("integer"), "password": t(STR)}),
            &[],
        )
    }
    pub fn token() -> Value {
        object(
            json!({"id": t("integer"), "name": t(STR), "created_at": t(STR), "last_used_at": nullable(STR), "revoked_at": nullable(STR)}),
            &["id", "name", "created_at"],
        )
    }
    pub fn password_change() -> Value {
        object(
            json!({"current_password": t(STR), "new_password": {"type": "string", "minLength": 10}}),
            &["current_password", "new_password"],
        )
    }
    pub fn token_request() -> Value {
        object(json!({"name": t(STR)}), &["name"])
    }
    pub fn token_created() -> Value {
        object(
            json!({"token": token(), "secret": {"type": "string", "description": "shown once: `Authorization: Bearer <secret>`"}}),
            &["token", "secret"],
        )
    }
    pub fn client() -> Value {
        object(json!({"id": t("integer"), "name": t(STR)}), &["id", "name"])
    }
    pub fn client_create() -> Value {
        object(json!({"name": t(STR)}), &["name"])
    }
    pub fn project() -> Value {
        object(
            json!({"id": t("integer"), "name": t(STR), "version": t("integer"), "phase": nullable(STR),
                   "client": nullable("integer"), "client_deadline": nullable(STR), "updated_at": t(STR),
                   "settings": object(json!({"start": datetime(), "finish": datetime(), "time_zone": t(STR),
                       "currency": t(STR), "status_date": datetime(), "calendar": t("integer"),
                       "honor_constraints": t("boolean"), "tasks": t("integer")}), &[])}),
            &["id", "name", "version"],
        )
    }
    pub fn project_create() -> Value {
        object(
            json!({"name": t(STR), "start": datetime(), "time_zone": t(STR), "currency": t(STR), "phase": nullable(STR),
                   "client": nullable("integer"), "client_deadline": nullable(STR)}),
            &["name", "start"],
        )
    }
    pub fn project_update() -> Value {
        object(
            json!({"name": t(STR), "start": datetime(), "finish": datetime(), "time_zone": t(STR), "currency": t(STR),
                   "status_date": datetime(), "calendar": t("integer"), "honor_constraints": t("boolean"),
                   "phase": nullable(STR), "client": nullable("integer"), "client_deadline": nullable(STR)}),
            &[],
        )
    }
    pub fn level_answer() -> Value {
        object(
            json!({"version": t("integer"), "moved": t("integer"),
                   "leveling": object(json!({"delays": {"type": "array", "items": object(json!({
                       "task": t(STR), "from": t(STR), "to": t(STR), "waits_for": t(STR),
                       "held_by": {"type": "array", "items": t(STR)}, "busy_until": t(STR)}), &["task", "from", "to"])},
                       "unresolved_days": t("integer")}), &["delays", "unresolved_days"])}),
            &["version", "moved", "leveling"],
        )
    }
    pub fn schedule() -> Value {
        object(
            json!({"project": t("object"), "version": t("integer"),
                   "tasks": {"type": "array", "items": object(json!({"uid": t(STR), "wbs": t(STR), "name": t(STR),
                       "summary": t("boolean"), "milestone": t("boolean"), "start": t(STR), "finish": t(STR),
                       "early_start": t(STR), "early_finish": t(STR), "late_start": t(STR), "late_finish": t(STR),
                       "total_float_minutes": t("integer"), "free_float_minutes": t("integer"), "critical": t("boolean")}), &["uid", "start", "finish"])},
                   "warnings": {"type": "array", "items": t("object")},
                   "critical_paths": {"type": "array", "items": {"type": "array", "items": t(STR)}},
                   "leveling": {"type": ["object", "null"]}}),
            &["project", "tasks", "warnings"],
        )
    }
    pub fn audit_entry() -> Value {
        object(
            json!({"id": t("integer"), "at": t(STR), "version": t("integer"), "user": nullable("integer"),
                   "entity": t(STR), "entity_id": t(STR), "action": {"enum": ["create", "update", "delete"]},
                   "old": {}, "new": {}}),
            &["id", "at", "version", "entity", "entity_id", "action"],
        )
    }
    pub fn member() -> Value {
        object(
            json!({"user": t("integer"), "login": t(STR), "display_name": t(STR), "role": {"enum": ["sponsor", "project-manager", "team-member", "client"]}}),
            &["user", "role"],
        )
    }
    pub fn member_request() -> Value {
        object(
            json!({"role": {"enum": ["sponsor", "project-manager", "team-member", "client"]}}),
            &["role"],
        )
    }
    fn task_properties() -> Value {
        json!({"uid": t(STR), "name": t(STR), "parent": nullable(STR), "milestone": t("boolean"),
               "duration_minutes": t("integer"), "elapsed": t("boolean"), "work_minutes": nullable("integer"),
               "task_type": {"enum": ["fixed-units", "fixed-duration", "fixed-work"]}, "effort_driven": t("boolean"),
               "constraint": {"enum": ["asap", "alap", "snet", "snlt", "fnet", "fnlt", "mso", "mfo"]},
               "constraint_date": datetime(), "deadline": datetime(), "priority": {"type": "integer", "minimum": 0, "maximum": 1000},
               "calendar": nullable("integer"), "notes": t(STR), "percent_complete": {"type": "integer", "minimum": 0, "maximum": 100},
               "actual_start": datetime(), "actual_finish": datetime()})
    }
    pub fn task() -> Value {
        let mut properties = task_properties();
        properties["wbs"] = t(STR);
        properties["summary"] = t("boolean");
        object(
            properties,
            &[
                "uid",
                "name",
                "wbs",
                "summary",
                "milestone",
                "duration_minutes",
            ],
        )
    }
    pub fn task_fields() -> Value {
        let mut properties = task_properties();
        properties["before"] = json!({"type": ["string", "null"], "description": "POST only: uid of the child of `parent` the new task goes just before; absent: last child"});
        object(properties, &[])
    }
    pub fn move_request() -> Value {
        object(
            json!({"parent": nullable(STR),
                   "before": {"type": ["string", "null"], "description": "uid of the child of `parent` the task goes just before; absent: last child"}}),
            &["parent"],
        )
    }
    pub fn cells() -> Value {
        let cell = |description: &str| json!({"type": "string", "description": description});
        object(
            json!({"name": cell("the task's name, not blank"),
                   "duration": cell("5d, 2w, 3h, 1.5d, 30m, 0 (a milestone), 4ed (elapsed days), in the project's units"),
                   "predecessors": cell("task IDs (1-based outline positions) with optional type and lag, comma separated: 3, 3FS, 3SS+2d, 12FF-1d, 4SF+50%, 7FS+3ed; replaces the task's predecessors"),
                   "resources": cell("resource names or uids with optional units: Ana Lima, Bob[50%]; replaces the task's assignments"),
                   "constraint": cell("ASAP, ALAP, or SNET, SNLT, FNET, FNLT, MSO, MFO (or the words) followed by YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
                   "start": cell("YYYY-MM-DD: sets a start-no-earlier-than constraint"),
                   "finish": cell("YYYY-MM-DD: sets the duration so the task finishes at the end of that day's work")}),
            &[],
        )
    }
    pub fn progress() -> Value {
        object(
            json!({"percent_complete": {"type": "integer", "minimum": 0, "maximum": 100}, "actual_start": datetime(), "actual_finish": datetime()}),
            &[],
        )
    }
    pub fn link() -> Value {
        object(
            json!({"pred": t(STR), "succ": t(STR), "kind": {"enum": ["FS", "SS", "FF", "SF"]}, "lag": t("integer"),
                   "lag_kind": {"enum": ["working", "elapsed", "percent"]}}),
            &["pred", "succ"],
        )
    }
    pub fn link_update() -> Value {
        object(
            json!({"kind": {"enum": ["FS", "SS", "FF", "SF"]}, "lag": t("integer"), "lag_kind": {"enum": ["working", "elapsed", "percent"]}}),
            &[],
        )
    }
    fn resource_properties() -> Value {
        json!({"uid": t(STR), "name": t(STR), "kind": {"enum": ["work", "material", "cost"]}, "max_units": t("integer"),
               "calendar": nullable("integer"), "email": nullable(STR), "group": nullable(STR)})
    }
    pub fn resource() -> Value {
        let mut properties = resource_properties();
        properties["rates"] = object(
            json!({"standard_cents": t("integer"), "overtime_cents": t("integer"), "per_use_cents": t("integer")}),
            &["standard_cents", "overtime_cents", "per_use_cents"],
        );
        object(properties, &["uid", "name", "kind", "max_units"])
    }
    pub fn resource_fields() -> Value {
        let mut properties = resource_properties();
        for field in [
            "standard_rate_cents",
            "overtime_rate_cents",
            "per_use_cents",
        ] {
            properties[field] = t("integer");
        }
        object(properties, &[])
    }
    pub fn assignment() -> Value {
        object(
            json!({"task": t(STR), "resource": t(STR), "units": t("integer"), "work_minutes": nullable("integer")}),
            &["task", "resource"],
        )
    }
    pub fn assignment_update() -> Value {
        object(
            json!({"units": t("integer"), "work_minutes": nullable("integer")}),
            &[],
        )
    }
    pub fn exception() -> Value {
        object(
            json!({"name": t(STR), "rule": {"type": "object", "description": "{kind: range, from, to} | {kind: weekly, weekdays, from, to} | {kind: yearly, month, day | nth + weekday, from_year, to_year}"},
                   "shifts": {"type": "array", "items": t(STR)}}),
            &["name", "rule"],
        )
    }
    fn week() -> Value {
        json!({"type": "array", "minItems": 7, "maxItems": 7, "items": {"type": ["array", "null"], "items": t(STR)}})
    }
    pub fn calendar() -> Value {
        object(
            json!({"id": t("integer"), "uid": t(STR), "name": t(STR), "base": nullable("integer"), "week": week(),
                   "exceptions": {"type": "array", "items": exception()}}),
            &["id", "name", "week", "exceptions"],
        )
    }
    pub fn calendar_input() -> Value {
        object(
            json!({"uid": t(STR), "name": t(STR), "base": nullable("integer"), "week": week(),
                   "exceptions": {"type": "array", "items": exception()}}),
            &["name"],
        )
    }
}
