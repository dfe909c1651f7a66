//! Tests of the renderers on small hand-made projects and schedules (no scheduling engine).

mod gantt;
mod interactive;
mod snapshot;
mod table;
mod xml;

use jiff::civil::{DateTime, datetime};
use regie_core::{
    Assignment, Link, LinkKind, Minute, Project, Resource, ResourceId, Schedule, Task, TaskId,
    TaskSchedule, time,
};

pub fn at(y: i16, m: i8, d: i8, h: i8, min: i8) -> Minute {
    time::minute_of(dt(y, m, d, h, min))
}

pub fn dt(y: i16, m: i8, d: i8, h: i8, min: i8) -> DateTime {
    datetime(y, m, d, h, min, 0, 0)
}

/// A schedule entry at the given dates with the given total float (working minutes).
pub fn entry(start: Minute, finish: Minute, total_float: i64, critical: bool) -> TaskSchedule {
    TaskSchedule {
        start,
        finish,
        early_start: start,
        early_finish: finish,
        late_start: start + total_float,
        late_finish: finish + total_float,
        total_float,
        free_float: total_float,
        critical,
    }
}

/// Builds a project and its schedule side by side.
pub struct Plan {
    pub project: Project,
    pub entries: Vec<TaskSchedule>,
}

impl Plan {
    pub fn new(name: &str) -> Plan {
        Plan {
            project: Project::new(name, dt(2027, 3, 1, 8, 0)),
            entries: Vec::new(),
        }
    }

    pub fn task(
        &mut self,
        name: &str,
        parent: Option<TaskId>,
        start: Minute,
        finish: Minute,
        float_days: i64,
    ) -> TaskId {
        let id = TaskId(self.project.tasks.len() as u32);
        let mut task = Task::new(format!("t{}", id.0), name);
        task.parent = parent;
        task.milestone = start == finish;
        self.project.tasks.push(task);
        self.entries
            .push(entry(start, finish, float_days * 480, float_days == 0));
        id
    }

    pub fn link(&mut self, pred: TaskId, succ: TaskId, kind: LinkKind) {
        self.project.links.push(Link {
            pred,
            succ,
            kind,
            lag: Default::default(),
        });
    }

    pub fn assign(&mut self, task: TaskId, name: &str, units: u32) {
        let resource = match self.project.resources.iter().position(|r| r.name == name) {
            Some(index) => ResourceId(index as u32),
            None => {
                let id = ResourceId(self.project.resources.len() as u32);
                self.project
                    .resources
                    .push(Resource::new(name.to_lowercase(), name));
                id
            }
        };
        self.project.assignments.push(Assignment {
            task,
            resource,
            units,
            work: None,
        });
    }

    pub fn schedule(&self) -> Schedule {
        Schedule {
            start: self.entries.iter().map(|e| e.start).min().unwrap_or(0),
            finish: self.entries.iter().map(|e| e.finish).max().unwrap_or(0),
            tasks: self.entries.clone(),
            warnings: Vec::new(),
        }
    }
}

/// A three-week website plan starting Monday 1 March 2027: a design phase with two tasks, a build
/// task and a go-live milestone; the critical path runs wireframes → build → go-live.
pub fn website() -> (Plan, [TaskId; 5]) {
    let mut plan = Plan::new("Website relaunch");
    let design = plan.task(
        "Design",
        None,
        at(2027, 3, 1, 8, 0),
        at(2027, 3, 9, 17, 0),
        0,
    );
    let wireframes = plan.task(
        "Wireframes",
        Some(design),
        at(2027, 3, 1, 8, 0),
        at(2027, 3, 5, 17, 0),
        0,
    );
    let review = plan.task(
        "Review",
        Some(design),
        at(2027, 3, 8, 8, 0),
        at(2027, 3, 9, 17, 0),
        8,
    );
    let build = plan.task(
        "Build",
        None,
        at(2027, 3, 8, 8, 0),
        at(2027, 3, 19, 17, 0),
        0,
    );
    let live = plan.task(
        "Go-live",
        None,
        at(2027, 3, 19, 17, 0),
        at(2027, 3, 19, 17, 0),
        0,
    );
    plan.link(wireframes, review, LinkKind::FinishToStart);
    plan.link(wireframes, build, LinkKind::FinishToStart);
    plan.link(build, live, LinkKind::FinishToStart);
    plan.assign(wireframes, "Ana", 100);
    plan.assign(build, "Bob", 100);
    plan.assign(build, "Chen", 50);
    (plan, [design, wireframes, review, build, live])
}
