//! The store's test suite. Every case runs on SQLite (a temporary file) and on PostgreSQL when
//! `REGIE_TEST_PG_URL` is set (`.ci/run` sets it; otherwise the PostgreSQL half says it skips).

mod backup;
mod changes;
mod concurrency;
mod durability;
mod open;
mod roundtrip;
mod size;
mod support;
mod users;
