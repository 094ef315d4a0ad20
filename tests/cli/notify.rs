//! `earful notify` against a webhook the test starts on 127.0.0.1: payloads, once-only
//! delivery across runs, retries, Retry-After, the queue, --max, --dry-run and a killed run.

use std::path::Path;
use std::time::Duration;

use crate::common::earful;
use crate::common::server::{Reply, Server};

fn mentions(ids: &[u32]) -> String {
    ids.iter()
        .map(|i| {
            format!(
                r#"{{"id":"x:{i}","text":"refund number {i} <!channel>","url":"https://x.com/u/status/{i}","team":"billing","author":{{"handle":"u{i}"}},"sentiment":{{"label":"negative","score":-0.5}},"labels":["complaint"]}}"#
            ) + "\n"
        })
        .collect()
}

/// `earful notify --webhook URL --interval 0s ARGS` on `input`: (exit code, stdout, stderr).
fn notify(url: &str, args: &[&str], input: &str) -> (Option<i32>, String, String) {
    let out = earful()
        .args(["notify", "--webhook", url, "--interval", "0s"])
        .args(args)
        .write_stdin(input.to_owned())
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// The ids of the mentions in each request's body (Slack payloads: the status URLs).
fn ids_posted(server: &Server, path: &str) -> Vec<String> {
    let re = regex::Regex::new(r"status/(\d+)").unwrap();
    server
        .requests()
        .iter()
        .filter(|r| r.path == path)
        .flat_map(|r| {
            let body = String::from_utf8_lossy(&r.body).into_owned();
            re.captures_iter(&body)
                .map(|c| c[1].to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn state(dir: &Path) -> String {
    dir.join("notified.json").to_str().unwrap().to_owned()
}

#[test]
fn payloads_in_each_format() {
    let server = Server::start();
    let url = server.route("/hook", Reply::status("200 OK"));
    for payload in ["slack", "teams", "json"] {
        let (code, _, err) = notify(&url, &["--payload", payload], &mentions(&[1, 2]));
        assert_eq!(code, Some(0), "{err}");
    }
    let bodies: Vec<serde_json::Value> = server
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies.len(), 6);
    assert!(server.requests()[0].headers["content-type"].starts_with("application/json"));
    let slack = bodies[0]["text"].as_str().unwrap();
    assert!(
        slack.starts_with("[billing] negative · @u1: refund number 1"),
        "{slack}"
    );
    assert!(
        slack.contains("&lt;!channel&gt;") && slack.ends_with("<https://x.com/u/status/1|post>")
    );
    let card = &bodies[2]["attachments"][0];
    assert_eq!(
        card["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert!(
        card["content"]["body"][0]["text"]
            .as_str()
            .unwrap()
            .contains("[post](https://x.com/u/status/1)")
    );
    assert_eq!(bodies[4]["mentions"][0]["id"], "x:1");
    // A digest: one message for both.
    let (code, _, err) = notify(&url, &["--digest", "10"], &mentions(&[3, 4]));
    assert_eq!(code, Some(0));
    assert!(err.contains("sent 1 messages (2 items)"), "{err}");
}

#[test]
fn a_second_run_sends_nothing_new() {
    let server = Server::start();
    let url = server.route("/hook", Reply::status("204 No Content"));
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path());
    let (code, _, _) = notify(&url, &["--state", &st], &mentions(&[1, 2, 3]));
    assert_eq!(code, Some(0));
    let (code, _, err) = notify(&url, &["--state", &st], &mentions(&[1, 2, 3, 4]));
    assert_eq!(code, Some(0));
    assert!(
        err.contains("sent 1 messages (1 items), 3 sent before"),
        "{err}"
    );
    assert_eq!(ids_posted(&server, "/hook"), ["1", "2", "3", "4"]);
}

#[test]
fn a_server_failing_twice_gets_each_message_once() {
    let server = Server::start();
    let fail = Reply::status("503 Service Unavailable");
    let url = server.route(
        "/hook",
        Reply::Sequence(vec![fail.clone(), fail, Reply::status("200 OK")]),
    );
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path());
    let (code, _, err) = notify(&url, &["--state", &st], &mentions(&[1, 2]));
    assert_eq!(code, Some(0), "{err}");
    // Three tries of the first, one of the second; never again.
    assert_eq!(ids_posted(&server, "/hook"), ["1", "1", "1", "2"]);
    notify(&url, &["--state", &st], &mentions(&[1, 2]));
    assert_eq!(server.hits("/hook"), 4);
}

#[test]
fn retry_after_is_honoured() {
    let server = Server::start();
    let busy = Reply::with_headers("429 Too Many Requests", &[("Retry-After", "2")]);
    let url = server.route(
        "/hook",
        Reply::Sequence(vec![busy, Reply::status("200 OK")]),
    );
    let (code, _, _) = notify(&url, &[], &mentions(&[1]));
    assert_eq!(code, Some(0));
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    let waited = seen[1].at - seen[0].at;
    assert!(waited >= Duration::from_millis(1900), "waited {waited:?}");
}

#[test]
fn a_failed_post_waits_in_the_queue_and_the_url_stays_secret() {
    let server = Server::start();
    let secret = "/services/T000/B000/SECRETTOKEN";
    let url = server.route(secret, Reply::status("500 Internal Server Error"));
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path());
    let args = ["--state", st.as_str(), "--retries", "1"];
    let (code, _, err) = notify(&url, &args, &mentions(&[1, 2, 3]));
    assert_eq!(code, Some(1));
    assert!(
        err.contains("failed: HTTP 500") && err.contains("3 waiting in the queue"),
        "{err}"
    );
    assert!(!err.contains("SECRETTOKEN"), "{err}");
    // The webhook recovers; the next run (with nothing new) sends the queue, once.
    server.route(secret, Reply::status("200 OK"));
    let (code, _, err) = notify(&url, &args, "");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(ids_posted(&server, secret), ["1", "1", "1", "2", "3"]);
    assert_eq!(std::fs::read_to_string(format!("{st}.queue")).unwrap(), "");
    notify(&url, &args, &mentions(&[2]));
    assert_eq!(server.hits(secret), 5);
}

#[test]
fn over_max_waits_for_the_next_run() {
    let server = Server::start();
    let url = server.route("/hook", Reply::status("200 OK"));
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path());
    let (code, _, err) = notify(&url, &["--state", &st, "--max", "2"], &mentions(&[1, 2, 3]));
    assert_eq!(code, Some(0));
    assert!(
        err.contains("sent 2 messages (2 items), 1 waiting in the queue"),
        "{err}"
    );
    notify(&url, &["--state", &st, "--max", "2"], "");
    assert_eq!(ids_posted(&server, "/hook"), ["1", "2", "3"]);
}

#[test]
fn dry_run_sends_nothing_and_spikes_can_be_notified() {
    let server = Server::start();
    let url = server.route("/hook", Reply::status("200 OK"));
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path());
    let spike = r#"{"period":"2026-03-05T00:00:00Z","group":{"match":"nimbus"},"count":57,"negative":40,"neutral":10,"positive":7,"unknown":0,"reach":0,"engagement":0,"baseline":12.0,"z":4.1,"spike":true,"negative_spike":false}
{"period":"2026-03-06T00:00:00Z","group":{"match":"nimbus"},"count":12,"negative":4,"neutral":4,"positive":4,"unknown":0,"reach":0,"engagement":0,"baseline":12.0,"z":0.0,"spike":false,"negative_spike":false}
"#;
    let (code, out, err) = notify(
        &url,
        &["--dry-run", "--state", &st],
        &(mentions(&[1]) + spike),
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(server.hits("/hook"), 0);
    assert!(!Path::new(&st).exists());
    let payloads: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(payloads.len(), 2, "the quiet row says nothing");
    assert_eq!(
        payloads[1]["text"],
        "spike: 2026-03-05T00:00:00Z match=nimbus: 57 mentions, baseline 12.0, z 4.1"
    );
    assert!(err.contains("would send 2 messages"), "{err}");
}

#[test]
fn bad_webhooks_are_usage_errors() {
    for args in [
        &["--webhook", "file:///etc/passwd"][..],
        &["--webhook", "javascript:alert(1)"],
        &["--webhook-env", "EARFUL_NO_SUCH_VARIABLE"],
    ] {
        let out = earful()
            .arg("notify")
            .args(args)
            .write_stdin("")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let server = Server::start();
    let url = server.route("/hook", Reply::status("200 OK"));
    let out = earful()
        .args(["notify", "--webhook-env", "EARFUL_TEST_HOOK"])
        .env("EARFUL_TEST_HOOK", &url)
        .write_stdin(mentions(&[1]))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(server.hits("/hook"), 1);
}

#[test]
fn a_killed_run_loses_nothing_and_repeats_at_most_the_message_in_flight() {
    let server = Server::start();
    let slow = server.route(
        "/hook",
        Reply::Slow(Duration::from_secs(30), Box::new(Reply::status("200 OK"))),
    );
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("earful"))
        .args([
            "notify",
            "--interval",
            "0s",
            "--webhook",
            &slow,
            "--state",
            &st,
        ])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        mentions(&[1, 2, 3]).as_bytes(),
    )
    .unwrap();
    // Killed (SIGKILL) while the first post is in flight.
    let start = std::time::Instant::now();
    while server.hits("/hook") == 0 {
        assert!(start.elapsed() < Duration::from_secs(20), "no post arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let url = server.route("/hook", Reply::status("200 OK"));
    let (code, _, err) = notify(&url, &["--state", &st], "");
    assert_eq!(code, Some(0), "{err}");
    // All three arrived; only the one in flight twice.
    assert_eq!(ids_posted(&server, "/hook"), ["1", "1", "2", "3"]);
}

/// The cron recipe of docs/route.md (examples/cron/listen.sh and digest.sh) on the sample
/// data: urgent and high priority mentions are posted once each, a second hourly run posts
/// nothing, and the daily digest carries the rest.
#[test]
fn the_cron_recipe_runs() {
    let server = Server::start();
    let url = server.route("/hook", Reply::status("200 OK"));
    let dir = tempfile::tempdir().unwrap();
    let run = |script: &str| {
        let out = std::process::Command::new("bash")
            .arg(script)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("EARFUL", assert_cmd::cargo::cargo_bin("earful"))
            .env("DATA", dir.path())
            .env("SLACK_URL", &url)
            .env("SINCE", "2026-01-01")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{script}: {err}");
        err
    };
    run("examples/cron/listen.sh");
    let hour = std::fs::read(dir.path().join("hour.jsonl")).unwrap();
    let routed = crate::common::json_lines(&hour);
    let pressing = routed
        .iter()
        .filter(|m| m["priority"] == "urgent" || m["priority"] == "high")
        .count();
    assert!(pressing > 0 && pressing < routed.len());
    assert_eq!(server.hits("/hook"), pressing);
    assert!(dir.path().join("teams/network.jsonl").exists());
    run("examples/cron/listen.sh");
    assert_eq!(
        server.hits("/hook"),
        pressing,
        "the second hour posts nothing new"
    );
    let err = run("examples/cron/digest.sh");
    let rest = routed.len() - pressing;
    assert_eq!(server.hits("/hook"), pressing + rest.div_ceil(50), "{err}");
    assert!(err.contains(&format!("({rest} items)")), "{err}");
}
