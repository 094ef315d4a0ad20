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

/// fetch's local files: a bar of the bytes read of their total size, and a log line written
/// while it shows (a folder's notice) takes the bar off the screen instead of tearing it.
#[test]
fn fetch_bar_counts_bytes_and_log_lines_stay_whole() {
    let bin = env!("CARGO_BIN_EXE_earful");
    let dir = tempfile::tempdir().unwrap();
    let mut total = 0;
    for name in ["rss-2.01.xml", "atom-0.3.xml", "google-alerts.xml"] {
        let bytes = std::fs::read(fixture(&format!("feeds/{name}"))).unwrap();
        total += bytes.len() as u64;
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), "not a feed\n").unwrap();
    total += 11;
    let shown = on_terminal(&format!(
        "{bin} fetch {} -o /dev/null",
        dir.path().display()
    ));
    let Some(shown) = shown else { return };
    let size = indicatif::BinaryBytes(total).to_string();
    assert!(shown.contains(&format!("{size}/{size}")), "{shown:?}");
    let lines: Vec<usize> = shown
        .match_indices("earful fetch: ")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(lines.len(), 2, "{shown:?}");
    for i in lines {
        // At the start of a line, or right after the bar was cleared (an escape sequence
        // such as `ESC[2K`), never after the bar's text.
        let before = &shown[..i];
        let escape = before
            .rfind('\u{1b}')
            .is_some_and(|e| before[e..].len() <= 6 && before.ends_with(char::is_alphabetic));
        assert!(
            before.is_empty() || before.ends_with('\n') || escape,
            "a log line was written into the bar: {shown:?}"
        );
    }
}
