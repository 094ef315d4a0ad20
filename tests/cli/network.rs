//! `earful network`: the graph of who talks to whom.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{earful, fixture};

fn conversation() -> std::path::PathBuf {
    fixture("network/conversation.jsonl")
}

/// The graph as node-link JSON.
fn graph_json(args: &[&str], input: &Path) -> Value {
    let out = earful()
        .args(["network", "-q", "--format", "json"])
        .args(args)
        .arg(input)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("the json format is one JSON value")
}

/// `source -> target` to `(weight, reply, mention, repost, quote)`.
fn user_edges(graph: &Value) -> BTreeMap<String, [u64; 5]> {
    graph["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let n = |k: &str| l[k].as_u64().unwrap();
            (
                format!(
                    "{} -> {}",
                    l["source"].as_str().unwrap(),
                    l["target"].as_str().unwrap()
                ),
                [
                    n("weight"),
                    n("reply"),
                    n("mention"),
                    n("repost"),
                    n("quote"),
                ],
            )
        })
        .collect()
}

#[test]
fn replies_mentions_reposts_and_quotes_give_exactly_these_edges() {
    let graph = graph_json(&[], &conversation());
    let expected: BTreeMap<String, [u64; 5]> = [
        (
            "mastodon:bob -> mastodon:alice@example.social",
            [1, 1, 0, 0, 0],
        ),
        ("reddit:carol -> reddit:someone", [1, 0, 1, 0, 0]),
        ("x:maria_k -> x:nimbushelp", [2, 0, 2, 0, 0]),
        ("x:maria_k -> x:nimbusmobile", [1, 0, 0, 0, 1]),
        ("x:nimbushelp -> x:maria_k", [1, 1, 0, 0, 0]),
        ("x:pat -> x:maria_k", [1, 1, 0, 0, 0]),
        ("x:pat -> x:nimbushelp", [1, 0, 1, 0, 0]),
        ("x:pat -> x:nimbusmobile", [1, 0, 0, 1, 0]),
        ("x:sam -> x:dana", [1, 1, 0, 0, 0]),
        ("x:sam -> x:nimbushelp", [1, 0, 1, 0, 0]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(user_edges(&graph), expected);
    assert_eq!(graph["directed"], true);
    let nodes = graph["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 11);
    let maria = nodes.iter().find(|n| n["id"] == "x:maria_k").unwrap();
    assert_eq!(maria["name"], "Maria K.");
    assert_eq!(maria["mentions"], 3);
    assert_eq!(maria["labels"], "complaint, praise, urgent");
    assert_eq!(
        (maria["degree"].as_u64(), maria["weighted_degree"].as_u64()),
        (Some(4), Some(5))
    );
    assert!(nodes.iter().all(|n| n["community"].is_u64()));
}

#[test]
fn edges_min_weight_top_and_node_kinds_are_options() {
    let graph = graph_json(
        &["--edges", "mention", "--min-weight", "2"],
        &conversation(),
    );
    let edges: Vec<String> = user_edges(&graph).into_keys().collect();
    assert_eq!(edges, ["x:maria_k -> x:nimbushelp"]);
    assert_eq!(graph["nodes"].as_array().unwrap().len(), 2);

    let graph = graph_json(&["--top", "3"], &conversation());
    let ids: Vec<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["x:maria_k", "x:nimbushelp", "x:pat"]);

    let graph = graph_json(&["--nodes", "hashtags"], &conversation());
    assert_eq!(graph["directed"], false);
    let pairs: Vec<(String, u64)> = graph["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                format!(
                    "{} {}",
                    l["source"].as_str().unwrap(),
                    l["target"].as_str().unwrap()
                ),
                l["weight"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("#5g #dropped".to_owned(), 1),
            ("#5g #nimbus".to_owned(), 2),
            ("#dropped #nimbus".to_owned(), 2)
        ]
    );
    let graph = graph_json(&["--nodes", "posts"], &conversation());
    assert_eq!(graph["links"].as_array().unwrap().len(), 5);
    let graph = graph_json(&["--nodes", "hashtags,users"], &conversation());
    assert_eq!(graph["links"].as_array().unwrap().len(), 5);
}

#[test]
fn csv_writes_edges_and_nodes_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    let edges = dir.path().join("edges.csv");
    earful()
        .args(["network", "-q", "-o"])
        .arg(&edges)
        .arg(conversation())
        .assert()
        .success();
    let edges = std::fs::read_to_string(&edges).unwrap();
    let nodes = std::fs::read_to_string(dir.path().join("nodes.csv")).unwrap();
    assert_eq!(edges.lines().count(), 11, "{edges}");
    assert_eq!(nodes.lines().count(), 12, "{nodes}");
    assert!(edges.contains(
        "x:maria_k,x:nimbushelp,Directed,2,0,2,0,0,2026-03-01T10:00:00Z,2026-03-05T10:00:00Z\n"
    ));
    let other = dir.path().join("mentions.csv");
    earful()
        .args(["network", "-q", "-o"])
        .arg(&other)
        .arg(conversation())
        .assert()
        .success();
    assert!(dir.path().join("mentions.nodes.csv").exists());
}

#[test]
fn usage_errors_exit_2_before_writing() {
    for (args, says) in [
        (vec!["--nodes", "people"], "--nodes: expected one of users"),
        (
            vec!["--nodes", "hashtags", "--edges", "reply"],
            "is not an edge type of --nodes hashtags",
        ),
        (vec!["--edges", "like"], "\"like\" is not an edge type"),
        (vec!["--format", "csv"], "csv writes two files"),
        (
            vec!["-o", "graph.png"],
            "cannot tell the format of graph.png",
        ),
        (vec!["--top", "0"], "--top"),
    ] {
        earful()
            .arg("network")
            .args(&args)
            .arg(conversation())
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says));
    }
}

#[test]
fn a_bad_line_is_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let mut text = std::fs::read_to_string(conversation()).unwrap();
    text.push_str("{\"id\": broken\n");
    std::fs::write(&input, text).unwrap();
    let out = earful()
        .args(["network", "--format", "json"])
        .arg(&input)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("in.jsonl:13:"));
    let graph: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(graph["links"].as_array().unwrap().len(), 10);
}

/// Two groups of users who mention everyone in their own group, and one mention between
/// the groups, come out as two communities.
#[test]
fn two_planted_cliques_are_two_communities() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cliques.jsonl");
    let mut lines = String::new();
    for group in ["a", "b"] {
        for i in 0..6 {
            let others: Vec<String> = (0..6)
                .filter(|j| *j != i)
                .map(|j| format!("\"{group}{j}\""))
                .collect();
            lines.push_str(&format!(
                "{{\"id\":\"x:{group}{i}\",\"platform\":\"x\",\"author\":{{\"handle\":\"{group}{i}\"}},\"mentions\":[{}]}}\n",
                others.join(",")
            ));
        }
    }
    lines.push_str("{\"id\":\"x:bridge\",\"platform\":\"x\",\"author\":{\"handle\":\"a5\"},\"mentions\":[\"b0\"]}\n");
    std::fs::write(&input, lines).unwrap();
    for seed in ["1", "2", "99"] {
        let graph = graph_json(&["--seed", seed], &input);
        let community: BTreeMap<String, u64> = graph["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["id"].as_str().unwrap().to_owned(),
                    n["community"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(community.len(), 12);
        for group in ["a", "b"] {
            let mine: Vec<u64> = (0..6)
                .map(|i| community[&format!("x:{group}{i}")])
                .collect();
            assert!(mine.iter().all(|c| *c == mine[0]), "{community:?}");
        }
        assert_ne!(community["x:a0"], community["x:b0"], "{community:?}");
    }
}

/// 6000 random mentions among 300 users, of every kind, with tags, links and parents.
fn many(dir: &Path) -> std::path::PathBuf {
    let input = dir.join("many.jsonl");
    let mut lines = String::new();
    let mut rng = 7u64;
    let mut next = |n: u64| {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (rng >> 33) % n
    };
    for i in 0..6000 {
        let kind = ["post", "reply", "repost", "quote"][next(4) as usize];
        let line = serde_json::json!({
            "id": format!("x:{i}"), "platform": "x", "kind": kind,
            "text": format!("RT @u{}: hi", next(300)),
            "published": format!("2026-03-{:02}T10:00:00Z", 1 + next(28)),
            "author": {"handle": format!("u{}", next(300)), "name": format!("U {}", next(5))},
            "in_reply_to": format!("x:{}", next(7000)),
            "mentions": [format!("u{}", next(300)), format!("u{}", next(300))],
            "tags": [format!("t{}", next(20)), format!("t{}", next(20))],
            "links": [format!("https://x.com/u{}/status/{}", next(300), next(6000))],
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    input
}

/// The same input on one thread and on four gives the same bytes.
#[test]
fn threads_do_not_change_the_graph() {
    let dir = tempfile::tempdir().unwrap();
    let input = many(dir.path());
    for nodes in ["users", "hashtags", "posts", "users,hashtags"] {
        let run = |threads: &str| {
            earful()
                .args([
                    "network",
                    "-q",
                    "--dynamic",
                    "--nodes",
                    nodes,
                    "--threads",
                    threads,
                ])
                .arg(&input)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone()
        };
        let one = run("1");
        assert!(one.len() > 10_000);
        assert!(one == run("4"), "--nodes {nodes}: 1 and 4 threads differ");
    }
}

/// Whether python3 has networkx; else a SKIP line.
fn networkx() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIP: networkx absent (pip install networkx); .ci/run installs it");
    }
    ok
}

/// GEXF and GraphML as networkx reads them: the same nodes, edges, weights and typed
/// attributes as the JSON, hostile text back as it was.
#[test]
fn networkx_reads_gexf_and_graphml() {
    if !networkx() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let mut text = std::fs::read_to_string(conversation()).unwrap();
    text.push_str(
        r#"{"id":"x:66","platform":"x","published":"2026-03-06T10:00:00Z","author":{"handle":"evil","name":"<script>alert(\"&amp;\")</script>\u0001 ]]>"},"mentions":["maria_k"]}"#,
    );
    text.push('\n');
    std::fs::write(&input, text).unwrap();
    for (file, extra) in [
        ("g.gexf", None),
        ("g.graphml", None),
        ("d.gexf", Some("--dynamic")),
    ] {
        earful()
            .args(["network", "-q", "-o"])
            .arg(dir.path().join(file))
            .args(extra)
            .arg(&input)
            .assert()
            .success();
    }
    let script = r#"
import sys, networkx as nx, xml.etree.ElementTree as ET
d = sys.argv[1]
for g in (nx.read_gexf(d + "/g.gexf"), nx.read_graphml(d + "/g.graphml")):
    assert g.is_directed()
    assert g.number_of_nodes() == 12, g.number_of_nodes()
    assert g.number_of_edges() == 11, g.number_of_edges()
    m = g.nodes["x:maria_k"]
    assert m["name"] == "Maria K." and m["mentions"] == 3 and m["degree"] == 5, m
    assert isinstance(m["community"], int) and isinstance(m["sentiment"], float), m
    e = g.edges["x:maria_k", "x:nimbushelp"]
    assert e["weight"] == 2 and e["mention"] == 2 and e["reply"] == 0, e
    assert e["first_seen"] == "2026-03-01T10:00:00Z", e
    assert g.nodes["x:evil"]["name"] == '<script>alert("&amp;")</script>\ufffd ]]>', g.nodes["x:evil"]
ns = {"g": "http://gexf.net/1.3"}
root = ET.parse(d + "/d.gexf").getroot()
graph = root.find("g:graph", ns)
assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "dateTime"
node = [n for n in graph.iter("{http://gexf.net/1.3}node") if n.get("id") == "x:maria_k"][0]
assert (node.get("start"), node.get("end")) == ("2026-03-01T10:00:00Z", "2026-03-06T10:00:00Z"), node.attrib
print("ok")
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let input = many(dir.path());
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; {} network --nodes posts {} | head -c 10 >/dev/null",
            assert_cmd::cargo::cargo_bin("earful").display(),
            input.display()
        ))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn help_says_memory_and_ends_with_examples() {
    let out = earful().args(["network", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        help.contains("Memory grows with the number of distinct nodes and edges"),
        "{help}"
    );
    let examples = help.split("Examples:").nth(1).expect("an Examples block");
    assert!(
        examples.contains("earful network mentions.jsonl -o graph.gexf"),
        "{help}"
    );
}
