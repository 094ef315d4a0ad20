//! Helpers shared by the integration tests.

pub mod server;

use std::path::PathBuf;

use assert_cmd::Command;

/// The earful binary with a clean environment: no `EARFUL_*`, colour or proxy variables,
/// working directory at the crate root.
pub fn earful() -> Command {
    let mut cmd = Command::cargo_bin("earful").expect("the earful binary is built by cargo test");
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().to_string();
        let upper = key.to_ascii_uppercase();
        if upper.starts_with("EARFUL_") || upper == "NO_COLOR" || upper.ends_with("_PROXY") {
            cmd.env_remove(&key);
        }
    }
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// A fixture path under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Parses JSONL output into values, failing on any bad line.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    std::str::from_utf8(stdout)
        .expect("stdout is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// The path of `../shared` next to the checkout, or `None` (with a note on stderr) when it
/// is absent, so tests on it are skipped rather than failing.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}
