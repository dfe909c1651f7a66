//! The project as plain data.
//!
//! Entities live in `Vec`s on [`Project`] and refer to each other through typed ids (the index into
//! their `Vec`). Inputs (the KDL file, MSPDI, the store) build a `Project`, check it with
//! [`Project::validate`], and hand it to the engine. Every struct has `Default`-able optional parts,
//! so later capabilities (progress, baselines, costs, gates, risks, meetings) add fields or new
//! `Vec`s here without reshaping what exists.

use jiff::civil::DateTime;

use crate::calendar::Calendar;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index of a task in [`Project::tasks`].
    TaskId
);
id_type!(
    /// Index of a calendar in [`Project::calendars`].
    CalendarId
);
id_type!(
    /// Index of a resource in [`Project::resources`].
    ResourceId
);

/// Money in minor units of the project's currency (cents), never floating point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

/// Whether the project is planned forward from its start or backward from its finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start(DateTime),
    Finish(DateTime),
}

/// Unit conversions used when durations are written in days, weeks or months (MS Project's
/// "hours per day", "hours per week", "days per month").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Units {
    pub minutes_per_day: u32,
    pub minutes_per_week: u32,
    pub days_per_month: u32,
}

impl Default for Units {
    fn default() -> Self {
        Units {
            minutes_per_day: 480,
            minutes_per_week: 2400,
            days_per_month: 20,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub name: String,
    pub anchor: Anchor,
    /// IANA time zone name, e.g. `Europe/Paris`. Scheduling is in local civil time.
    pub time_zone: String,
    /// ISO 4217 code.
    pub currency: String,
    pub status_date: Option<DateTime>,
    /// The project calendar: used by tasks without a calendar of their own and for lags.
    pub calendar: CalendarId,
    pub units: Units,
    /// MS Project's "tasks will always honor their constraint dates" (on by default).
    pub honor_constraints: bool,
    pub calendars: Vec<Calendar>,
    /// Tasks in outline (pre-)order: a parent comes before its children, siblings in order.
    pub tasks: Vec<Task>,
    pub links: Vec<Link>,
    pub resources: Vec<Resource>,
    pub assignments: Vec<Assignment>,
}

impl Project {
    /// An empty project starting at `start` with one standard calendar (Mon–Fri, 08:00–12:00 and
    /// 13:00–17:00), the calendar MS Project creates.
    pub fn new(name: impl Into<String>, start: DateTime) -> Project {
        Project {
            name: name.into(),
            anchor: Anchor::Start(start),
            time_zone: "UTC".to_owned(),
            currency: "EUR".to_owned(),
            status_date: None,
            calendar: CalendarId(0),
            units: Units::default(),
            honor_constraints: true,
            calendars: vec![Calendar::standard("Standard")],
            tasks: Vec::new(),
            links: Vec::new(),
            resources: Vec::new(),
            assignments: Vec::new(),
        }
    }

    pub fn task(&self, id: TaskId) -> &Task {
        &self.tasks[id.index()]
    }

    pub fn task_ids(&self) -> impl Iterator<Item = TaskId> + use<> {
        (0..self.tasks.len() as u32).map(TaskId)
    }

    /// True when some task names `id` as its parent.
    pub fn summary_flags(&self) -> Vec<bool> {
        let mut summary = vec![false; self.tasks.len()];
        for task in &self.tasks {
            if let Some(parent) = task.parent {
                summary[parent.index()] = true;
            }
        }
        summary
    }

    /// Outline numbers ("1", "1.2", "1.2.3") in task order.
    pub fn outline_numbers(&self) -> Vec<String> {
        let mut numbers: Vec<String> = Vec::with_capacity(self.tasks.len());
        let mut child_count: Vec<u32> = vec![0; self.tasks.len()];
        let mut top_count = 0u32;
        for task in &self.tasks {
            let number = match task.parent {
                None => {
                    top_count += 1;
                    top_count.to_string()
                }
                Some(parent) => {
                    child_count[parent.index()] += 1;
                    format!(
                        "{}.{}",
                        numbers[parent.index()],
                        child_count[parent.index()]
                    )
                }
            };
            numbers.push(number);
        }
        numbers
    }

    /// Checks the references, the outline order and that task ids are unique. Inputs report
    /// richer, located errors themselves; this is the check for models built in code.
    pub fn validate(&self) -> Result<(), ModelError> {
        self.validate_references()?;
        let mut seen = std::collections::HashSet::new();
        for task in &self.tasks {
            if !seen.insert(task.uid.as_str()) {
                return Err(ModelError::DuplicateTask {
                    uid: task.uid.clone(),
                });
            }
        }
        Ok(())
    }

    /// Checks every id points into its `Vec` and parents come before their children: what the
    /// engine needs before it indexes by id. Cheap enough to run on every schedule.
    pub fn validate_references(&self) -> Result<(), ModelError> {
        self.validate_outside_tasks()?;
        for (index, task) in self.tasks.iter().enumerate() {
            self.validate_task(index, task)?;
        }
        for link in &self.links {
            self.validate_link(link)?;
        }
        Ok(())
    }

    /// The references of calendars, resources and assignments. (The engine checks tasks and
    /// links as it reads them, to read them once.)
    pub(crate) fn validate_outside_tasks(&self) -> Result<(), ModelError> {
        let n_cals = self.calendars.len();
        if self.calendar.index() >= n_cals {
            return Err(ModelError::MissingCalendar {
                owner: "the project".to_owned(),
            });
        }
        for (index, cal) in self.calendars.iter().enumerate() {
            if let Some(base) = cal.base
                && (base.index() >= n_cals || base.index() == index)
            {
                return Err(ModelError::MissingCalendar {
                    owner: format!("calendar {:?}", cal.name),
                });
            }
        }
        for resource in &self.resources {
            if let Some(cal) = resource.calendar
                && cal.index() >= n_cals
            {
                return Err(ModelError::MissingCalendar {
                    owner: format!("resource {:?}", resource.name),
                });
            }
        }
        for assignment in &self.assignments {
            if assignment.task.index() >= self.tasks.len()
                || assignment.resource.index() >= self.resources.len()
            {
                return Err(ModelError::DanglingAssignment);
            }
        }
        Ok(())
    }

    /// Task `index`'s parent comes before it and its calendar exists.
    pub(crate) fn validate_task(&self, index: usize, task: &Task) -> Result<(), ModelError> {
        if let Some(parent) = task.parent
            && parent.index() >= index
        {
            return Err(ModelError::OutlineOrder {
                task: task.name.clone(),
            });
        }
        if let Some(cal) = task.calendar
            && cal.index() >= self.calendars.len()
        {
            return Err(ModelError::MissingCalendar {
                owner: format!("task {:?}", task.name),
            });
        }
        // The first pause may come before any work (a started task waiting), each next one
        // after more of the work.
        let mut previous = -1;
        for split in &task.splits {
            if split.after <= previous || split.pause <= 0 || task.duration.elapsed {
                return Err(ModelError::InvalidSplit {
                    task: task.name.clone(),
                });
            }
            previous = split.after;
        }
        Ok(())
    }

    pub(crate) fn validate_link(&self, link: &Link) -> Result<(), ModelError> {
        if link.pred.index() >= self.tasks.len() || link.succ.index() >= self.tasks.len() {
            return Err(ModelError::DanglingLink);
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("{owner} refers to a calendar that does not exist")]
    MissingCalendar { owner: String },
    #[error("two tasks have the id {uid:?}")]
    DuplicateTask { uid: String },
    #[error("task {task:?} comes before its parent in the outline")]
    OutlineOrder { task: String },
    #[error("task {task:?} has a pause that is empty, out of order or in an elapsed duration")]
    InvalidSplit { task: String },
    #[error("a link refers to a task that does not exist")]
    DanglingLink,
    #[error("an assignment refers to a task or resource that does not exist")]
    DanglingAssignment,
}

/// A length of time as the user wrote it, kept in minutes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Duration {
    pub minutes: i64,
    /// Elapsed ("3ed"): counted on the clock, 24 hours a day, 7 days a week, whatever the calendar.
    pub elapsed: bool,
}

impl Duration {
    pub fn working(minutes: i64) -> Duration {
        Duration {
            minutes,
            elapsed: false,
        }
    }
    pub fn elapsed(minutes: i64) -> Duration {
        Duration {
            minutes,
            elapsed: true,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TaskType {
    /// Units stay fixed; changing duration changes work (MS Project's default).
    #[default]
    FixedUnits,
    FixedDuration,
    FixedWork,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConstraintKind {
    #[default]
    AsSoonAsPossible,
    AsLateAsPossible,
    StartNoEarlierThan,
    StartNoLaterThan,
    FinishNoEarlierThan,
    FinishNoLaterThan,
    MustStartOn,
    MustFinishOn,
}

impl ConstraintKind {
    pub fn needs_date(self) -> bool {
        !matches!(
            self,
            ConstraintKind::AsSoonAsPossible | ConstraintKind::AsLateAsPossible
        )
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Constraint {
    pub kind: ConstraintKind,
    /// Required by every kind but ASAP and ALAP.
    pub date: Option<DateTime>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// The task's id in its source (the KDL id, MSPDI UID): stable, unique, a string.
    pub uid: String,
    pub name: String,
    pub parent: Option<TaskId>,
    /// A milestone has no duration; a summary is any task that is some task's parent.
    pub milestone: bool,
    /// For a leaf task without assignments: how long it takes. With assignments, see
    /// [`Assignment::work`]. Ignored for summaries, whose dates roll up.
    pub duration: Duration,
    /// Total work in minutes when the user fixed work instead of duration.
    pub work: Option<i64>,
    pub task_type: TaskType,
    pub effort_driven: bool,
    pub constraint: Constraint,
    /// Reported when the task finishes later; never moves the task.
    pub deadline: Option<DateTime>,
    /// 0–1000, MS Project's scale; 1000 is never moved by leveling.
    pub priority: u16,
    /// Overrides the resource and project calendars for this task.
    pub calendar: Option<CalendarId>,
    pub notes: String,
    /// What has been done: actual dates and percent complete, facts the schedule keeps.
    pub progress: Progress,
    /// A manually scheduled task (MS Project's "manual" mode): it stays where the user put it
    /// whatever its links say; its successors still follow it.
    pub manual: Option<ManualDates>,
    /// Pauses in the work (MS Project's split tasks), in the order they happen. The task's
    /// span is its duration plus the pauses; they move with the task.
    pub splits: Vec<Split>,
}

/// A pause in a task's work: after `after` working minutes of the task's duration (0: before
/// any work, a started task that waits), the work stops for `pause` working minutes of the
/// task's calendar, then goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    pub after: i64,
    pub pause: i64,
}

/// Progress recorded on a task. A task with an actual start starts then, whatever its
/// predecessors; one with an actual finish is over and stays where it was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// 0–100.
    pub percent_complete: u8,
    pub actual_start: Option<DateTime>,
    pub actual_finish: Option<DateTime>,
}

impl Progress {
    pub fn is_empty(&self) -> bool {
        *self == Progress::default()
    }
}

/// The dates a manually scheduled task was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManualDates {
    pub start: DateTime,
    pub finish: DateTime,
}

impl Task {
    pub fn new(uid: impl Into<String>, name: impl Into<String>) -> Task {
        Task {
            uid: uid.into(),
            name: name.into(),
            parent: None,
            milestone: false,
            duration: Duration::default(),
            work: None,
            task_type: TaskType::default(),
            effort_driven: true,
            constraint: Constraint::default(),
            deadline: None,
            priority: 500,
            calendar: None,
            notes: String::new(),
            progress: Progress::default(),
            manual: None,
            splits: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkKind {
    FinishToStart,
    StartToStart,
    FinishToFinish,
    StartToFinish,
}

impl LinkKind {
    pub fn code(self) -> &'static str {
        match self {
            LinkKind::FinishToStart => "FS",
            LinkKind::StartToStart => "SS",
            LinkKind::FinishToFinish => "FF",
            LinkKind::StartToFinish => "SF",
        }
    }
}

/// Lag (positive) or lead (negative) on a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lag {
    /// Working minutes on the project calendar.
    Working(i64),
    /// Clock minutes, nights and weekends included.
    Elapsed(i64),
    /// Percent of the predecessor's duration, in working time.
    Percent(i32),
}

impl Default for Lag {
    fn default() -> Self {
        Lag::Working(0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub pred: TaskId,
    pub succ: TaskId,
    pub kind: LinkKind,
    pub lag: Lag,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResourceKind {
    /// People and equipment whose time is booked (work in minutes).
    #[default]
    Work,
    /// Consumables counted in their own unit (licences, servers).
    Material,
    /// A cost that is neither time nor quantity (travel, fees).
    Cost,
}

/// Rates in minor currency units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rates {
    /// Per hour for work resources, per unit for material resources.
    pub standard: Money,
    pub overtime: Money,
    pub per_use: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// The resource's id in its source.
    pub uid: String,
    pub name: String,
    pub kind: ResourceKind,
    /// Percent of one full-time person (100) available at once; 300 = three people.
    pub max_units: u32,
    /// `None`: the project calendar.
    pub calendar: Option<CalendarId>,
    pub rates: Rates,
    pub email: Option<String>,
    pub group: Option<String>,
}

impl Resource {
    pub fn new(uid: impl Into<String>, name: impl Into<String>) -> Resource {
        Resource {
            uid: uid.into(),
            name: name.into(),
            kind: ResourceKind::Work,
            max_units: 100,
            calendar: None,
            rates: Rates::default(),
            email: None,
            group: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub task: TaskId,
    pub resource: ResourceId,
    /// Percent of the resource's time (100 = full time). For material resources, units × 100.
    pub units: u32,
    /// Work in minutes when given explicitly; otherwise the task's duration × units.
    pub work: Option<i64>,
}
