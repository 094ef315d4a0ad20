use proptest::prelude::*;

use super::*;

const CONVERSATION: &str = include_str!("../../tests/fixtures/network/conversation.jsonl");

fn graph(lines: &[&str], options: Options) -> Graph {
    let mut g = Graph::new(options);
    for line in lines {
        g.add_line(line).unwrap();
    }
    g
}

fn network(options: Options) -> Network {
    let lines: Vec<&str> = CONVERSATION.lines().collect();
    graph(&lines, options).finish(&FinishOptions::default())
}

/// `source -> target: weight [counts of the graph's types]`, sorted.
fn edges(net: &Network) -> Vec<String> {
    let mut out: Vec<String> = net
        .edges
        .iter()
        .map(|e| {
            let counts: Vec<String> = net
                .kind
                .edge_types()
                .iter()
                .filter(|t| e.count(**t) > 0)
                .map(|t| format!("{}={}", t.name(), e.count(*t)))
                .collect();
            format!(
                "{} -> {}: {} {}",
                net.nodes[e.source].id,
                net.nodes[e.target].id,
                e.weight(),
                counts.join(",")
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn users_are_linked_by_replies_mentions_reposts_and_quotes() {
    let net = network(Options::new(NodeKind::Users));
    assert!(net.directed);
    assert_eq!(
        edges(&net),
        [
            "mastodon:bob -> mastodon:alice@example.social: 1 reply=1",
            "reddit:carol -> reddit:someone: 1 mention=1",
            "x:maria_k -> x:nimbushelp: 2 mention=2",
            "x:maria_k -> x:nimbusmobile: 1 quote=1",
            "x:nimbushelp -> x:maria_k: 1 reply=1",
            "x:pat -> x:maria_k: 1 reply=1",
            "x:pat -> x:nimbushelp: 1 mention=1",
            "x:pat -> x:nimbusmobile: 1 repost=1",
            "x:sam -> x:dana: 1 reply=1",
            "x:sam -> x:nimbushelp: 1 mention=1",
        ]
    );
    assert_eq!(net.nodes.len(), 11);
    let maria = &net.nodes[net.node("x:maria_k").unwrap()];
    assert_eq!(maria.name.as_deref(), Some("Maria K."));
    assert_eq!(maria.platform.as_deref(), Some("x"));
    assert_eq!(maria.mentions, 3);
    assert!((maria.sentiment.unwrap() + 0.4).abs() < 1e-12);
    assert_eq!(maria.labels.as_deref(), Some("complaint, praise, urgent"));
    assert_eq!((maria.in_degree, maria.out_degree, maria.degree), (2, 2, 4));
    assert_eq!(maria.weighted_degree, 5);
    assert_eq!(maria.first, parse_published("2026-03-01T10:00:00Z"));
    assert_eq!(maria.last, parse_published("2026-03-05T10:00:00Z"));
    let helper = &net.nodes[net.node("x:nimbushelp").unwrap()];
    assert_eq!(helper.mentions, 1);
    let mentioned_only = &net.nodes[net.node("x:nimbusmobile").unwrap()];
    assert_eq!(
        (mentioned_only.mentions, mentioned_only.platform.as_deref()),
        (0, Some("x"))
    );
    assert!(net.node("web:dana reyes").is_some());
    let e = &net.edges[0];
    assert!(e.first.is_some() && e.first <= e.last);
}

#[test]
fn edge_types_are_chosen() {
    let net = network(Options::new(NodeKind::Users).with_edges(&[EdgeType::Mention]));
    assert_eq!(
        edges(&net),
        [
            "reddit:carol -> reddit:someone: 1 mention=1",
            "x:maria_k -> x:nimbushelp: 2 mention=2",
            "x:pat -> x:nimbushelp: 1 mention=1",
            "x:sam -> x:nimbushelp: 1 mention=1",
        ]
    );
}

#[test]
fn hashtags_are_linked_when_used_together() {
    let net = network(Options::new(NodeKind::Hashtags));
    assert!(!net.directed);
    assert_eq!(
        edges(&net),
        [
            "#5g -> #dropped: 1 cooccurrence=1",
            "#5g -> #nimbus: 2 cooccurrence=2",
            "#dropped -> #nimbus: 2 cooccurrence=2",
        ]
    );
    assert_eq!(net.nodes[net.node("#nimbus").unwrap()].mentions, 3);
}

#[test]
fn posts_are_linked_into_threads() {
    let net = network(Options::new(NodeKind::Posts));
    assert_eq!(
        edges(&net),
        [
            "reddit:t1_9 -> reddit:t3_gone: 1 reply=1",
            "x:2 -> x:1: 1 reply=1",
            "x:3 -> x:99: 1 reply=1",
            "x:5 -> x:1765000000000000000: 1 quote=1",
            "x:6 -> x:7: 1 reply=1",
        ]
    );
    assert_eq!(net.nodes.len(), 10, "posts outside a thread are left out");
    assert_eq!(
        net.nodes[net.node("x:2").unwrap()].name.as_deref(),
        Some("NimbusHelp")
    );
}

#[test]
fn users_and_hashtags_are_bipartite() {
    let net = network(Options::new(NodeKind::UsersHashtags));
    assert_eq!(
        edges(&net),
        [
            "#5g -> x:dana: 1 uses=1",
            "#5g -> x:maria_k: 1 uses=1",
            "#dropped -> x:maria_k: 2 uses=2",
            "#nimbus -> x:dana: 1 uses=1",
            "#nimbus -> x:maria_k: 2 uses=2",
        ]
    );
}

#[test]
fn min_weight_and_top_trim_the_graph() {
    let lines: Vec<&str> = CONVERSATION.lines().collect();
    let g = graph(&lines, Options::new(NodeKind::Users));
    let heavy = g.clone().finish(&FinishOptions {
        min_weight: 2,
        ..FinishOptions::default()
    });
    assert_eq!(edges(&heavy), ["x:maria_k -> x:nimbushelp: 2 mention=2"]);
    assert_eq!(heavy.nodes.len(), 2);
    let top = g.finish(&FinishOptions {
        top: Some(3),
        ..FinishOptions::default()
    });
    let ids: Vec<&str> = top.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["x:maria_k", "x:nimbushelp", "x:pat"]);
    assert_eq!(top.edges.len(), 4);
}

#[test]
fn a_reply_resolves_to_its_parent_before_the_mentions() {
    let lines = [
        r#"{"id":"x:2","platform":"x","kind":"reply","author":{"handle":"b"},"in_reply_to":"x:1","mentions":["c","a"]}"#,
        r#"{"id":"x:1","platform":"x","author":{"handle":"a"}}"#,
    ];
    let net = graph(&lines, Options::new(NodeKind::Users)).finish(&FinishOptions::default());
    assert_eq!(
        edges(&net),
        ["x:b -> x:a: 1 reply=1", "x:b -> x:c: 1 mention=1"]
    );
    // A quote that replies: the quoted author is not mentioned as well.
    let lines = [
        r#"{"id":"x:3","platform":"x","kind":"quote","author":{"handle":"b"},"in_reply_to":"x:1","mentions":["q","c"],"links":["https://x.com/Q/status/9"]}"#,
        r#"{"id":"x:1","platform":"x","author":{"handle":"a"}}"#,
    ];
    let net = graph(&lines, Options::new(NodeKind::Users)).finish(&FinishOptions::default());
    assert_eq!(
        edges(&net),
        [
            "x:b -> x:a: 1 reply=1",
            "x:b -> x:c: 1 mention=1",
            "x:b -> x:q: 1 quote=1"
        ]
    );
    // An empty id names no post, and an empty parent is no parent.
    let lines = [
        r#"{"id":"","platform":"x","author":{"handle":"a"}}"#,
        r#"{"id":"x:2","platform":"x","kind":"reply","author":{"handle":"b"},"in_reply_to":"","mentions":["c"]}"#,
    ];
    let net = graph(&lines, Options::new(NodeKind::Users)).finish(&FinishOptions::default());
    assert_eq!(edges(&net), ["x:b -> x:c: 1 reply=1"]);
    // A URL names the parent as well as its id.
    let lines = [
        r#"{"id":"x:1","platform":"x","url":"https://x.com/a/status/1","author":{"handle":"a"}}"#,
        r#"{"id":"web:2","platform":"web","kind":"comment","author":{"name":"B"},"in_reply_to":"https://x.com/a/status/1"}"#,
    ];
    let net = graph(&lines, Options::new(NodeKind::Users)).finish(&FinishOptions::default());
    assert_eq!(edges(&net), ["web:b -> x:a: 1 reply=1"]);
}

#[test]
fn quoted_authors_come_from_post_links() {
    assert_eq!(
        quoted_author("https://x.com/NimbusMobile/status/17"),
        Some(("x", "NimbusMobile"))
    );
    assert_eq!(
        quoted_author("https://twitter.com/a_b/status/1?s=20"),
        Some(("x", "a_b"))
    );
    assert_eq!(
        quoted_author("https://mastodon.social/@ann/1122"),
        Some(("mastodon", "ann"))
    );
    assert_eq!(
        quoted_author("https://bsky.app/profile/ann.bsky.social/post/3kx"),
        Some(("bluesky", "ann.bsky.social"))
    );
    assert_eq!(quoted_author("https://x.com/home"), None);
    assert_eq!(quoted_author("https://example.com/@x/notanumber"), None);
    assert_eq!(
        quoted_post_id("https://x.com/a/status/17?s=1").as_deref(),
        Some("x:17")
    );
}

#[test]
fn bad_lines_are_errors_and_hostile_ones_are_not_panics() {
    let mut g = Graph::new(Options::new(NodeKind::Users));
    assert!(g.add_line("{not json").is_err());
    assert!(g.add_line(r#"{"mentions":"x"}"#).is_err());
    g.add_line(r#"{"platform":"","author":{"handle":"  "},"mentions":["","@"]}"#)
        .unwrap();
    g.add_line(r#"{"kind":"repost","text":"RT @","author":{"handle":"@@"}}"#)
        .unwrap();
    let net = g.finish(&FinishOptions::default());
    assert!(net.edges.is_empty());
    // A line naming 200,000 handles and hashtags: the first 100 handles and 50 hashtags.
    let many: Vec<String> = (0..200_000).map(|i| format!("h{i}")).collect();
    let line = serde_json::json!({"platform": "x", "author": {"handle": "a"}, "mentions": many, "tags": many});
    for (nodes, edges) in [(NodeKind::Users, 100), (NodeKind::Hashtags, 50 * 49 / 2)] {
        let mut g = Graph::new(Options::new(nodes));
        g.add_line(&line.to_string()).unwrap();
        assert_eq!(g.finish(&FinishOptions::default()).edges.len(), edges);
    }
}

fn conversation_split(assign: &[u8], options: Options) -> Network {
    let mut parts: Vec<Graph> = (0..3).map(|_| Graph::new(options)).collect();
    for (line, part) in CONVERSATION.lines().zip(assign.iter().cycle()) {
        parts[*part as usize % 3].add_line(line).unwrap();
    }
    let mut parts = parts.into_iter().rev();
    let mut all = parts.next().unwrap();
    parts.for_each(|p| all.merge(p));
    all.finish(&FinishOptions::default())
}

proptest! {
    /// Any split of the input into three accumulators, merged in any order, gives what one
    /// pass over the whole input gives.
    #[test]
    fn any_split_merged_is_one_pass(assign in proptest::collection::vec(0u8..3, 12)) {
        for nodes in [NodeKind::Users, NodeKind::Hashtags, NodeKind::Posts, NodeKind::UsersHashtags] {
            let whole = network(Options::new(nodes));
            let split = conversation_split(&assign, Options::new(nodes));
            prop_assert_eq!(&whole.nodes, &split.nodes);
            prop_assert_eq!(&whole.edges, &split.edges);
        }
    }
}

proptest! {
    /// Any text in the fields a graph reads gives a graph, and every writer writes it:
    /// well-formed XML, JSON that parses.
    #[test]
    fn any_text_gives_a_graph_every_writer_writes(
        fields in proptest::collection::vec(".{0,12}", 8),
        kind in prop_oneof![Just("post"), Just("reply"), Just("repost"), Just("quote")],
        nodes in prop_oneof![Just(NodeKind::Users), Just(NodeKind::Hashtags), Just(NodeKind::Posts), Just(NodeKind::UsersHashtags)],
    ) {
        let line = serde_json::json!({
            "id": fields[0], "platform": fields[1], "kind": kind, "text": format!("RT @{}", fields[2]),
            "author": {"handle": fields[2], "name": fields[3]}, "in_reply_to": fields[4],
            "mentions": [fields[5], fields[2]], "tags": [fields[6], fields[5]],
            "links": [format!("https://x.com/{}/status/1", fields[7])], "labels": [fields[3]],
        });
        let mut g = Graph::new(Options::new(nodes));
        g.add_line(&line.to_string()).unwrap();
        g.add_line(&line.to_string()).unwrap();
        let net = g.finish(&FinishOptions::default());
        for dynamic in [false, true] {
            let mut xml = Vec::new();
            write_gexf(&net, dynamic, &mut xml).unwrap();
            let mut reader = quick_xml::Reader::from_reader(&xml[..]);
            let mut buf = Vec::new();
            while reader.read_event_into(&mut buf).map_err(|e| TestCaseError::fail(e.to_string()))? != quick_xml::events::Event::Eof {
                buf.clear();
            }
        }
        let mut json = Vec::new();
        write_json(&net, &mut json).unwrap();
        prop_assert!(serde_json::from_slice::<serde_json::Value>(&json).is_ok());
        let (mut e, mut n) = (Vec::new(), Vec::new());
        write_csv(&net, &mut e, &mut n).unwrap();
        write_graphml(&net, &mut Vec::new()).unwrap();
    }
}
