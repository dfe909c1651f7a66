//! Critical path method. (Being written.)
use crate::{Minute, Project, TaskId};

#[derive(Clone, Debug, Default)]
pub struct ScheduleOptions {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskSchedule {
    pub start: Minute,
    pub finish: Minute,
    pub early_start: Minute,
    pub early_finish: Minute,
    pub late_start: Minute,
    pub late_finish: Minute,
    pub total_float: i64,
    pub free_float: i64,
    pub critical: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    MissedDeadline { task: TaskId, deadline: Minute, finish: Minute },
}

#[derive(Clone, Debug)]
pub struct Schedule {
    pub start: Minute,
    pub finish: Minute,
    pub tasks: Vec<TaskSchedule>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScheduleError {
    #[error("dependency cycle: {}", names.join(" → "))]
    Cycle { tasks: Vec<TaskId>, names: Vec<String> },
}

pub fn schedule(project: &Project, options: &ScheduleOptions) -> Result<Schedule, ScheduleError> {
    let _ = (project, options);
    todo!()
}
