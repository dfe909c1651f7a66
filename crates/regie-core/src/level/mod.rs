//! Resource leveling: scheduling under per-period resource capacities.
//!
//! [`rcpsp`] is the core: the resource-constrained project scheduling problem in its classic
//! single-mode form (integer durations, renewable resources, finish-to-start links without lags),
//! as the PSPLIB benchmark states it, and a heuristic solver measured on that benchmark. Calendars,
//! lags and the mapping from a `Project` come on top of it; they are not here yet.

pub mod rcpsp;

pub use rcpsp::{
    Job, Rcpsp, RcpspError, Solution, SolveOptions, Violation, energy_bound, lower_bound, solve,
    violations,
};
