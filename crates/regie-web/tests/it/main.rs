//! regie-web's integration tests: the router driven in process with `tower::ServiceExt::oneshot`
//! on a SQLite store in a temporary folder (PostgreSQL too where `REGIE_TEST_PG_URL` is set).

mod cells;
mod flows;
mod matrix;
mod outline;
mod pages;
mod support;
mod ui_admin;
mod ui_people;
