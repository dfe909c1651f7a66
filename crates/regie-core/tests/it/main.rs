//! Engine tests on models built in code: cycle reports and the invariants every schedule keeps.

mod properties;
mod structure;
