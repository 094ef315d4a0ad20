//! Helpers shared by the integration tests.

pub mod server;

use std::io::Write;
use std::path::PathBuf;

use assert_cmd::Command;

/// The earful binary with a clean environment: no `EARFUL_*`, colour or proxy variables,
/// working directory at the crate root.
pub fn earful() -> Command {
    let mut cmd = Command::cargo_bin("earful").expect("the earful binary is built by cargo test");
    for key in shell_settings() {
        cmd.env_remove(&key);
    }
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The variables of the developer's shell that change what earful does (`EARFUL_*`, colour,
/// proxies): [`earful`] removes them, and so must a tool that runs earful itself.
pub fn shell_settings() -> Vec<String> {
    std::env::vars_os()
        .map(|(key, _)| key.to_string_lossy().to_string())
        .filter(|key| {
            let upper = key.to_ascii_uppercase();
            upper.starts_with("EARFUL_") || upper == "NO_COLOR" || upper.ends_with("_PROXY")
        })
        .collect()
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

/// A path under the shared data folder (`../shared` beside the checkout, or the folder named
/// by `EARFUL_TEST_SHARED`). When it is absent: `None`, after a `SKIP: <why>` line on stderr
/// (shown without `--nocapture`), so a fresh clone passes and says what it did not run.
/// `.ci/run` checks that the data is there, so CI never skips.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let root = std::env::var_os("EARFUL_TEST_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = root.join(rel);
    if path.exists() {
        Some(path)
    } else {
        // Written to the stderr handle, not with `eprintln!`, which the test harness captures.
        let _ = writeln!(
            std::io::stderr(),
            "SKIP: {} is absent (set EARFUL_TEST_SHARED to the shared data folder)",
            path.display()
        );
        None
    }
}

/// The peak resident memory in KiB of `earful ARGS...` (which must succeed or exit 1),
/// measured by `/usr/bin/time`; `None` (and a SKIP line) without it.
pub fn peak_kib(args: &[&std::ffi::OsStr]) -> Option<u64> {
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(assert_cmd::cargo::cargo_bin("earful"))
        .args(args)
        .output();
    let Ok(out) = out else {
        println!("SKIP: no /usr/bin/time to measure peak memory");
        return None;
    };
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() || err.contains("exited with non-zero status 1"),
        "{out:?}"
    );
    Some(err.lines().last()?.trim().parse().unwrap())
}
