//! Progress bars of the stages that read JSONL (issue 14, item 17): drawn on stderr only
//! when it is a terminal, never with `-q`.

use std::process::Command;

use crate::common::{earful, fixture};

const MENTIONS: &str = "records/airline-mentions.jsonl";

#[test]
fn no_bar_when_stderr_is_not_a_terminal() {
    for args in [&["filter", "delay"][..], &["classify"], &["export"]] {
        let out = earful().args(args).arg(fixture(MENTIONS)).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

/// Runs `shell` under a pseudo-terminal (`script`, from util-linux) and returns what the
/// terminal showed; `None` (and a SKIP line) without `script`.
fn on_terminal(shell: &str) -> Option<String> {
    let Ok(out) = Command::new("script")
        .args(["-qec", shell, "/dev/null"])
        .output()
    else {
        println!("SKIP: no `script` to run under a pseudo-terminal");
        return None;
    };
    assert!(out.status.success(), "{shell}: {out:?}");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn bar_on_a_terminal_bytes_of_files_lines_of_a_pipe() {
    let bin = env!("CARGO_BIN_EXE_earful");
    let file = fixture(MENTIONS);
    let file = file.display();
    let Some(shown) = on_terminal(&format!("{bin} filter delay {file} -o /dev/null")) else {
        return;
    };
    assert!(shown.contains("1.09 KiB/1.09 KiB"), "{shown:?}");
    let shown = on_terminal(&format!("cat {file} | {bin} classify -o /dev/null")).unwrap();
    assert!(shown.contains("7 lines,"), "{shown:?}");
    let shown = on_terminal(&format!("{bin} export -q {file} > /dev/null")).unwrap();
    assert_eq!(shown, "");
}
