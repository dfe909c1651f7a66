//! The `regie` command from the outside: data-driven schedules (small KDL → expected dates) and
//! the command's exit codes and messages.

mod browser;
mod cli;
mod conformance;
mod export;
mod import;
mod mpxj;
mod schedule;
mod server;
mod support;

/// The benchmark's HTTP client, shared with the server tests.
#[path = "../../src/http_client.rs"]
mod http_client;
