//! Resource leveling: scheduling under per-period resource capacities.
//!
//! [`rcpsp`] is the core: the resource-constrained project scheduling problem in its classic
//! single-mode form (integer durations, renewable resources, finish-to-start links without lags),
//! as the PSPLIB benchmark states it, and a heuristic solver measured on that benchmark.
//! [`project`] levels a real `Project` (calendars, lags, constraints, actuals) by delaying tasks
//! with start-no-earlier-than constraints and rescheduling with the engine, one greedy pass per
//! claim order of [`orders`] (priority rules, an RCPSP solution of the plan in working days,
//! random samples), keeping the best plan.

pub mod orders;
pub mod project;
pub mod rcpsp;

pub use rcpsp::{
    Job, Rcpsp, RcpspError, Solution, SolveOptions, Violation, energy_bound, lower_bound, solve,
    violations,
};
