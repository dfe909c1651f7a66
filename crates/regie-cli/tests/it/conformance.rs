//! Conformance with MS Project: the engine's dates against those MS Project saved in its own
//! files (../shared/data/msproject). Fails when fewer files or tasks match than the totals
//! recorded in `tests/conformance-baseline.json`; raise those when the engine gets better.

use std::path::PathBuf;
use std::process::Command;

fn shared_msproject() -> Option<PathBuf> {
    let dir = std::env::var_os("REGIE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
        .join("data/msproject");
    dir.join("expected").is_dir().then_some(dir)
}

#[test]
fn no_regression_against_ms_project_dates() {
    let Some(dir) = shared_msproject() else {
        println!("skipping the MS Project conformance check: ../shared/data/msproject is absent");
        return;
    };
    let output = Command::new(env!("CARGO_BIN_EXE_regie"))
        .args(["conformance", "--json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let baseline: serde_json::Value =
        serde_json::from_str(include_str!("../conformance-baseline.json")).unwrap();
    let totals = &report["totals"];
    let failing: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["error"].is_null() || f["matching"] != f["tasks"])
        .map(|f| format!("{} ({} of {})", f["file"], f["matching"], f["tasks"]))
        .collect();
    println!("MS Project conformance: {totals}\nfiles with differences: {failing:#?}");
    assert_eq!(
        totals["files"], baseline["files"],
        "the set of files changed"
    );
    for key in ["files_all_match", "tasks_matching"] {
        assert!(
            totals[key].as_u64() >= baseline[key].as_u64(),
            "{key} fell from {} to {}: files with differences: {failing:#?}",
            baseline[key],
            totals[key]
        );
    }
}
