//! The `regie` command from the outside: data-driven schedules (small KDL → expected dates) and
//! the command's exit codes and messages.

mod cli;
mod conformance;
mod export;
mod import;
mod mpxj;
mod schedule;
mod support;
