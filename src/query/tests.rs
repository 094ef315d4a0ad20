//! Query semantics as one-line table cases: a query, a mention (its text, or a whole JSON
//! object when it starts with `{`), and whether it matches.

use super::*;
use proptest::prelude::*;

fn line(give: &str) -> String {
    if give.starts_with('{') {
        give.to_owned()
    } else {
        serde_json::json!({ "id": "t:1", "text": give }).to_string()
    }
}

fn matches_line(q: &Query, give: &str) -> bool {
    let l = line(give);
    let v: MentionView = serde_json::from_str(&l).expect("test line is valid");
    q.matches(&v)
}

/// `query` gives `want` on each mention.
#[track_caller]
fn gives(query: &str, cases: &[(&str, bool)]) {
    let q = Query::parse(query).unwrap_or_else(|e| panic!("{query}: {}", e.render(query)));
    for (give, want) in cases {
        assert_eq!(matches_line(&q, give), *want, "query {query:?} on {give:?}");
        // The prefilter never rejects a line that matches.
        if *want && let Some(p) = q.prefilter() {
            assert!(
                p.may_match(line(give).as_bytes()),
                "prefilter of {query:?} on {give:?}"
            );
        }
    }
}

#[test]
fn terms() {
    gives(
        "luggage",
        &[
            ("Lost my LUGGAGE again", true),
            ("luggage.", true),
            ("luggages", false),
            ("carryluggage", false),
            ("", false),
            (r#"{"id":"1","title":"Luggage woes"}"#, true),
            (r#"{"id":"1"}"#, false),
        ],
    );
    gives(
        "wendy's",
        &[
            ("I love Wendy’s fries", true),
            ("wendys", false),
            ("wendy", false),
        ],
    );
    gives("wendy", &[("Wendy's fries", true), ("wendy s", true)]);
    gives(
        "e-mail",
        &[("send an E-Mail", true), ("e mail", true), ("email", false)],
    );
    gives("東京", &[("行く 東京 now", true)]);
    gives("123", &[("flight 123 late", true), ("flight 1234", false)]);
}

#[test]
fn hashtags_handles_emoji() {
    gives(
        "#delta",
        &[
            ("fly #Delta today", true),
            ("fly delta today", false),
            (r#"{"id":"1","tags":["Delta"]}"#, true),
        ],
    );
    gives(
        "delta",
        &[("fly #Delta today", true), ("@delta help", true)],
    );
    gives(
        "@united",
        &[
            ("@United where is my bag", true),
            ("united we stand", false),
            (r#"{"id":"1","mentions":["united"]}"#, true),
            ("mail me@united.com", false),
        ],
    );
    gives("🔥", &[("this is 🔥🔥", true), ("cold", false)]);
    gives("👍", &[("ok 👍🏽", true), ("ok 👍", true)]);
    gives("👍🏽", &[("ok 👍🏽", true), ("ok 👍", false), ("ok 👍🏿", false)]);
    gives("❤️", &[("I ❤ it", true), ("I ❤️ it", true)]);
    gives("❤", &[("I ❤️ it", true)]);
}

#[test]
fn accents() {
    gives("nino", &[("el Niño", true), ("el nino", true)]);
    gives(
        "niño",
        &[("el Niño", true), ("el nino", false), ("el NIÑO", true)],
    );
    gives("cafe", &[("caf\u{e9}", true), ("cafe\u{301}", true)]);
    gives(
        "café",
        &[("CAFÉ", true), ("cafe\u{301}", true), ("cafe", false)],
    );
    gives("cafe", &[(r#"{"id":"1","text":"caf\u00e9"}"#, true)]);
}

#[test]
fn phrases() {
    gives(
        r#""lost luggage""#,
        &[
            ("they Lost   luggage!", true),
            ("lost my luggage", false),
            ("luggage lost", false),
        ],
    );
    gives(
        r#""lost luggage"~2"#,
        &[
            ("lost my luggage", true),
            ("luggage was lost", true),
            ("lost all my old luggage", false),
            ("lost it", false),
        ],
    );
    gives(r#""never again""#, &[("Never, again.", true)]);
    gives(
        r#""customer serv*""#,
        &[("customer service sucks", true), ("customer", false)],
    );
}

#[test]
fn near() {
    gives(
        "delay NEAR/2 flight",
        &[
            ("delay on my flight", true),
            ("flight had a delay", true),
            ("delay and then after that my flight", false),
            ("delayed flight", false),
        ],
    );
    gives(
        "delay NEAR/2f flight",
        &[("delay on my flight", true), ("flight had a delay", false)],
    );
    gives(
        "(late OR delayed) NEAR/1 (flight OR plane)",
        &[
            ("delayed the plane", true),
            ("plane very late", true),
            ("plane was very late", false),
        ],
    );
    gives(
        r#""lost bag" NEAR/3 refund"#,
        &[
            ("lost bag, want a refund", true),
            ("refund for lost bag", true),
            ("lost refund bag", false),
        ],
    );
    gives(
        "(delay AND flight)~1",
        &[("flight X delay", true), ("flight X Y delay", false)],
    );
    gives("a NEAR/0 a", &[("a", false), ("a a", true)]);
    gives(
        "title:(crash NEAR/1 landing)",
        &[
            (r#"{"id":"1","title":"crash landing","text":"x"}"#, true),
            ("crash landing", false),
        ],
    );
}

#[test]
fn wildcards() {
    gives(
        "complain*",
        &[
            ("Complaint filed", true),
            ("complain", true),
            ("uncomplain", false),
        ],
    );
    gives(
        "customi?e",
        &[
            ("customise", true),
            ("customize", true),
            ("customie", false),
        ],
    );
    gives(
        "c*t",
        &[("cat", true), ("ct", true), ("cast", true), ("cats", false)],
    );
    gives("caf*", &[("café", true)]);
}

#[test]
fn case_sensitive_and_raw() {
    gives(
        "{BT}",
        &[
            ("BT broadband", true),
            ("bt broadband", false),
            ("Bt", false),
        ],
    );
    gives(
        "{Big Tech}",
        &[("Big Tech firms", true), ("big tech", false)],
    );
    gives(
        r#"raw:"Google+""#,
        &[
            ("I use Google+ daily", true),
            ("google+", false),
            ("Google", false),
            ("XGoogle+", false),
        ],
    );
    gives(
        "raw:C#",
        &[("code in C# now", true), ("code in C now", false)],
    );
    gives(
        r"/\bflight\s+\d{3,4}\b/",
        &[("flight 1234 delayed", true), ("flight 12", false)],
    );
    gives("/FLIGHT/i", &[("my flight", true)]);
    gives("/FLIGHT/", &[("my flight", false)]);
}

#[test]
fn boolean() {
    gives("a AND b", &[("a b", true), ("a", false), ("b", false)]);
    gives("a b", &[("b x a", true), ("a", false)]);
    gives("a OR b", &[("b", true), ("a", true), ("c", false)]);
    gives("a NOT b", &[("a", true), ("a b", false)]);
    gives("a -b", &[("a", true), ("a b", false)]);
    gives("a AND NOT b", &[("a", true), ("a b", false)]);
    gives(
        "a OR (b AND NOT c)",
        &[("a c", true), ("b", true), ("b c", false)],
    );
    gives("(a OR b) AND (c OR d)", &[("b d", true), ("a b", false)]);
    gives("a and b", &[("a b", false), ("a and b", true)]);
    gives(
        "a <<< the brand >>> b",
        &[("a b", true), ("a the brand", false)],
    );
    gives("NOT NOT a", &[("a", true), ("b", false)]);
    gives("a -(b OR c)", &[("a", true), ("a c", false)]);
}

#[test]
fn fields() {
    let m = r#"{"id":"x:1","platform":"x","kind":"repost","url":"https://www.Example.com/news/1","title":"Big news","text":"delay","lang":"en-GB","published":"2024-01-15T18:45:00Z","author":{"name":"Ana María López","handle":"AnaML","followers":1500},"metrics":{"likes":12,"reposts":3,"score":-2},"links":["https://t.co/abc","https://news.bbc.co.uk/x"],"source":{"type":"rss","title":"Feed","group":"News/Tech"},"matches":["acme"],"sentiment":{"score":-0.7,"label":"negative"},"labels":["complaint"]}"#;
    let cases: &[(&str, bool)] = &[
        ("title:news", true),
        ("title:delay", false),
        ("text:delay", true),
        ("text:news", false),
        (r#"title:"big news""#, true),
        ("title:(big AND news)", true),
        ("author:anaml", true),
        ("author:@AnaML", true),
        (r#"author:"maria lopez""#, true),
        ("author:ana.maria", true),
        ("author:ana", true),
        ("author:bob", false),
        ("site:example.com", true),
        ("site:www.example.com", true),
        ("site:ample.com", false),
        ("site:com", true),
        (r#"url:"example.com/news""#, true),
        (r#"url:"https://example.com/news/1""#, true),
        ("url:example.com/sport", false),
        ("links:bbc.co.uk", true),
        ("links:t.co", true),
        ("links:example.com", false),
        ("lang:en", true),
        ("language:EN-gb", true),
        ("lang:fr", false),
        ("lang:(fr OR en)", true),
        ("platform:X", true),
        ("platform:reddit", false),
        ("source:rss", true),
        ("source:news", true),
        ("source:News/Tech", true),
        ("source:atom", false),
        ("kind:repost", true),
        ("engagementType:RETWEET", true),
        ("engagementType:REPLY", false),
        ("authorFollowers:[1000 TO 2000]", true),
        ("authorFollowers:[2000 TO *]", false),
        ("authorFollowers:1500", true),
        ("minuteOfDay:[1110 TO 1140]", true),
        ("minuteOfDay:[0 TO 1000]", false),
        ("sentiment:negative", true),
        ("sentiment:positive", false),
        ("sentiment:[-1 TO -0.5]", true),
        ("sentiment:[0 TO *]", false),
        ("label:complaint", true),
        ("label:praise", false),
        ("match:acme", true),
        ("match:globex", false),
        ("likes:[10 TO *]", true),
        ("likes:[13 TO *]", false),
        ("metrics.reposts:3", true),
        ("score:[* TO 0]", true),
        ("views:[0 TO *]", false),
        ("comments:[* TO *]", false),
        ("published:[2024-01-01 TO 2024-02-01]", true),
        ("published:[2024-01-01 TO 2024-01-15]", true),
        ("published:[2024-01-16 TO *]", false),
        ("published:2024-01-15", true),
        ("published:[* TO 2024-01-15T18:00:00Z]", false),
        ("id:x:1", true),
        ("delay AND lang:en AND NOT platform:reddit", true),
        ("LANG:en", true),
    ];
    for (q, want) in cases {
        gives(q, &[(m, *want)]);
    }
    // Missing fields never match.
    for q in [
        "lang:en",
        "likes:[0 TO *]",
        "site:x.com",
        "sentiment:negative",
        "author:a",
        "minuteOfDay:[0 TO *]",
    ] {
        gives(q, &[(r#"{"id":"1","text":"x"}"#, false)]);
    }
}

#[test]
fn named_queries() {
    let set = QuerySet::from_toml(
        r#"
        <<<ignored: not a comment in TOML>>> = "x"
        all = 'query:brands'
        [brands]
        acme = 'acme OR "acme air"'
        globex = 'globex'
        [topics]
        lost = '@acme AND (lost OR missing)'
        "#,
    );
    // `<<<...>>>` is not a valid bare key: TOML errors are reported.
    assert!(matches!(set, Err(QuerySetError::Toml(_))), "{set:?}");

    let set = QuerySet::from_toml(
        r#"
        all = 'query:brands'
        [brands]
        acme = 'acme OR "acme air"'
        globex = 'globex'
        [topics]
        lost = '@acme AND (lost OR missing)'
        "#,
    )
    .unwrap();
    let names: Vec<_> = set
        .iter()
        .map(|n| (n.name.as_str(), n.group.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("all", None),
            ("acme", Some("brands")),
            ("globex", Some("brands")),
            ("lost", Some("topics"))
        ]
    );
    let v = |t: &str| line(t);
    let check = |text: &str, want: &[&str]| {
        let l = v(text);
        let m: MentionView = serde_json::from_str(&l).unwrap();
        assert_eq!(set.matching(&m), want, "{text}");
    };
    check("Acme lost my bag", &["all", "acme", "lost"]);
    check("globex is fine", &["all", "globex"]);
    check("@acme hello", &["all", "acme"]);
    check("nothing", &[]);

    let q = Query::parse_with("@globex -@acme", &set).unwrap();
    assert_eq!(q.to_string(), "query:globex AND NOT query:acme");
    // Not a defined name: a handle.
    let q = Query::parse_with("@nobody", &set).unwrap();
    assert!(matches_line(&q, "hi @nobody"));
    let err = Query::parse_with("query:nobody", &set).unwrap_err();
    assert_eq!(
        err.message,
        "expected the name of a query, found `nobody`; known: all, acme, globex, lost, brands, topics"
    );
    let err = Query::parse("query:x").unwrap_err();
    assert_eq!(
        err.message,
        "expected the name of a query, found `x`; no named queries are defined"
    );

    // `@name` inside the query `name` itself is the handle, not a cycle.
    let set2 =
        QuerySet::from_toml("[brands]\nunited = 'united OR @united'\nall = '@brands'").unwrap();
    let m: MentionView = serde_json::from_str(r#"{"id":"1","text":"hi @united"}"#).unwrap();
    assert_eq!(set2.matching(&m), ["united"]);
    assert_eq!(set2.get("united").unwrap().to_string(), "united OR @united");

    let prefilter = set.prefilter().unwrap();
    assert_eq!(prefilter.literals(), ["acme", "globex", "lost", "missing"]);
}

#[test]
fn named_query_errors() {
    let cases: &[(&str, &str)] = &[
        (
            "a = 'b AND'",
            "query `a`: expected a term, phrase or `(`, found end of query",
        ),
        (
            "a = 'query:b'\nb = 'query:a'",
            "query `b`: expected a query that does not refer to itself, found a cycle through `a`",
        ),
        (
            "a = 'x'\n[g]\na = 'y'",
            "query `a` is defined twice; names must be unique across groups",
        ),
        ("a = 1", "`a`: expected a query string, found integer"),
        (
            "a = 'x' b",
            "invalid TOML at line 1: unexpected key or value, expected newline, `#`",
        ),
        (
            "a = 'query:b'\nb = '(x'",
            "query `b`: expected `)`, found end of query (to close the `(` at byte 0)",
        ),
    ];
    for (give, want) in cases {
        let err = QuerySet::from_toml(give).unwrap_err();
        assert_eq!(err.to_string(), *want, "{give}");
    }
    let err = QuerySet::from_toml("b = 'x OR'").unwrap_err();
    assert_eq!(
        err.render(),
        "query `b`:\n  x OR\n      ^\nexpected a term, phrase or `(`, found end of query"
    );
}

/// (query, span, message)
#[test]
fn errors() {
    let cases: &[(&str, std::ops::Range<usize>, &str)] = &[
        (
            "",
            0..0,
            "expected a term, phrase or `(`, found end of query",
        ),
        (
            "a AND",
            5..5,
            "expected a term, phrase or `(`, found end of query",
        ),
        (
            "a AND OR b",
            6..8,
            "expected a term, phrase or `(`, found `OR`",
        ),
        (
            "(a OR b",
            7..7,
            "expected `)`, found end of query (to close the `(` at byte 0)",
        ),
        (
            "a OR b)",
            6..7,
            "expected a term or an operator, found `)` (this `)` has no `(`)",
        ),
        (
            "a AND b OR c",
            8..10,
            "expected AND, found OR: AND and OR cannot be mixed at one level without brackets; \
             write `(a AND b) OR c` or `a AND (b OR c)`",
        ),
        (
            "a OR b c",
            7..8,
            "expected OR, found adjacent terms (which mean AND): AND and OR cannot be mixed at one \
             level without brackets; write `(a OR b) c` or `a OR (b c)`",
        ),
        (
            "apple NOT juice OR pear",
            16..18,
            "expected NOT, found OR: AND and OR cannot be mixed at one level without brackets; \
             write `(apple NOT juice) OR pear` or `apple NOT (juice OR pear)`",
        ),
        (
            "NOT spam",
            0..8,
            "expected at least one term that must match, found only exclusions: a purely negative \
             query matches almost everything; add what to look for, for example `brand NOT spam`",
        ),
        (
            "a OR NOT b",
            0..10,
            "expected at least one term that must match, found only exclusions: a purely negative query matches almost everything; add what to look for, for example `brand NOT spam`",
        ),
        (
            "-a -b",
            0..5,
            "expected at least one term that must match, found only exclusions: a purely negative query matches almost everything; add what to look for, for example `brand NOT spam`",
        ),
        (
            "foo:bar",
            0..3,
            "expected a known field, found `foo:`; known fields: title, text, author, site, url, \
             links, language, lang, platform, source, kind, engagementType, authorFollowers, \
             minuteOfDay, sentiment, label, match, likes, reposts, replies, quotes, views, score, \
             comments, published, id, team, priority, raw, query",
        ),
        (
            "*ing",
            0..1,
            "expected a letter or digit, found `*` at the start of `*ing`: a wildcard cannot start a word",
        ),
        (
            "a ***",
            2..5,
            "expected a letter or digit, found only wildcards in `***`",
        ),
        (
            "+++",
            0..3,
            "expected a term, found `+++`, which has no letters, digits or emoji; use raw:\"+++\" to match punctuation",
        ),
        (
            "likes:[a TO 3]",
            6..14,
            "expected a number or `*` in the range, found `a`",
        ),
        (
            "likes:[1 3]",
            6..11,
            "expected a range like [a TO b], found `[1 3]`",
        ),
        (
            "likes:many",
            6..10,
            "expected a number or a range like [10 TO *], found `many`",
        ),
        (
            "published:[2024-13-01 TO *]",
            10..27,
            "expected a date (2024-01-31), an RFC 3339 time or `*` in the range, found `2024-13-01`",
        ),
        (
            "engagementType:LIKE",
            15..19,
            "expected COMMENT, REPLY, RETWEET or QUOTE, found `LIKE`",
        ),
        (
            "sentiment:angry",
            10..15,
            "expected negative, neutral, positive or a range like [-1 TO -0.5], found `angry`",
        ),
        (
            "kind:tweet",
            5..10,
            "expected post, reply, repost, quote, article or comment, found `tweet`",
        ),
        (
            "lang:[1 TO 2]",
            5..13,
            "expected a value for this field, found a range",
        ),
        (
            "title:(lang:en)",
            7..12,
            "expected a value, found the field `lang:` inside another field",
        ),
        (
            "a NEAR/3 (b AND c)",
            9..18,
            "expected a term, phrase or OR group beside NEAR, found `(b AND c)`",
        ),
        (
            "a NEAR/3 lang:en",
            9..16,
            "expected a term, phrase or OR group beside NEAR, found `lang:en`",
        ),
        (
            "(a OR b)~3",
            0..8,
            "expected `(a AND b)~n` with two terms or groups, found `(a OR b)`",
        ),
        (
            "/a(/",
            0..4,
            "expected a valid regular expression, found an error: unclosed group",
        ),
        (
            "raw:",
            4..4,
            "expected a word or \"quoted text\" after `raw:`, found end of query",
        ),
        (
            "a NEAR/2",
            8..8,
            "expected a term, phrase or `(`, found end of query",
        ),
        (
            "\"\"",
            0..2,
            "expected a term, found ``, which has no letters, digits or emoji; use raw:\"\" to match punctuation",
        ),
    ];
    for (give, span, msg) in cases {
        let e = Query::parse(give).expect_err(give);
        assert_eq!(
            (e.span.clone(), e.message.as_str()),
            (span.clone(), *msg),
            "{give}"
        );
    }
}

#[test]
fn render_points_at_the_span() {
    let src = "luggage AND OR bags";
    let e = Query::parse(src).unwrap_err();
    assert_eq!(
        e.render(src),
        "  luggage AND OR bags\n              ^^\nexpected a term, phrase or `(`, found `OR`"
    );
    let src = "café\tAND";
    let e = Query::parse(src).unwrap_err();
    assert_eq!(
        e.render(src),
        "  café AND\n          ^\nexpected a term, phrase or `(`, found end of query"
    );
}

#[test]
fn canonical_form() {
    let cases: &[(&str, &str)] = &[
        ("a b", "a AND b"),
        ("a -b", "a AND NOT b"),
        ("a NOT b", "a AND NOT b"),
        ("(a OR b) c", "(a OR b) AND c"),
        ("lang:(en OR fr) x", "(lang:en OR lang:fr) AND x"),
        ("language:EN x", "lang:EN AND x"),
        (r#""a \"b\""~2 title:x"#, r#""a \"b\""~2 AND title:x"#),
        ("(a OR b) NEAR/3f c", "(a OR b) NEAR/3f c"),
        ("(a AND b)~4", "a NEAR/4 b"),
        ("title:(a NEAR/2 b)", "title:(a NEAR/2 b)"),
        ("x AND a NEAR/1 b NEAR/2 c", "x AND ((a NEAR/1 b) NEAR/2 c)"),
        (
            "{BT} raw:Google+ /a\\/b/i",
            r#"{BT} AND raw:"Google+" AND /a\/b/i"#,
        ),
        (
            "likes:[10 TO *] published:2024-01-01",
            "likes:[10 TO *] AND published:[2024-01-01 TO 2024-01-01]",
        ),
        ("a <<< c >>>", "a"),
        ("url:\"https://x.com/a b\"", "url:\"https://x.com/a b\""),
    ];
    for (give, want) in cases {
        let q = Query::parse(give).unwrap_or_else(|e| panic!("{give}: {e}"));
        assert_eq!(q.to_string(), *want, "{give}");
        assert_eq!(Query::parse(want).unwrap(), q, "{want}");
    }
}

#[test]
fn prefilter_literals() {
    let cases: &[(&str, Option<&[&str]>)] = &[
        ("luggage OR baggage", Some(&["baggage", "luggage"])),
        ("lost AND (luggage OR bag)", Some(&["lost"])),
        ("a AND luggage", Some(&["luggage"])),
        ("luggage OR lang:en", None),
        ("luggage NOT bag", Some(&["luggage"])),
        ("\"lost luggage\"~3", Some(&["luggage"])),
        ("wendy's complain*", Some(&["complain"])),
        ("🔥", None),
        ("/x/", None),
        ("{BT}", Some(&["bt"])),
    ];
    for (give, want) in cases {
        let got = Query::parse(give).unwrap().prefilter();
        let got: Option<Vec<&str>> = got
            .as_ref()
            .map(|p| p.literals().iter().map(String::as_str).collect());
        assert_eq!(got.as_deref(), *want, "{give}");
    }
    let p = Query::parse("luggage OR baggage")
        .unwrap()
        .prefilter()
        .unwrap();
    assert!(!p.may_match(br#"{"text":"my bags"}"#));
    assert!(p.may_match(br#"{"text":"my BAGGAGE"}"#));
    assert!(p.may_match(br#"{"text":"my l\u0075ggage"}"#));
}

#[test]
fn query_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Query>();
    check::<QuerySet>();
    check::<Prefilter>();
}

const ATOMS: &[&str] = &[
    "a",
    "b",
    "Café",
    "nino",
    "wendy's",
    "#tag",
    "@who",
    "🔥",
    "e-mail",
    "complain*",
    "c?t",
    "\"a b\"",
    "\"b a\"~2",
    "{BT}",
    "raw:\"x+\"",
    "/a.c/",
    "/a/i",
    "title:a",
    "text:(a OR b)",
    "lang:en",
    "site:x.com",
    "likes:[1 TO *]",
    "sentiment:negative",
    "published:[2024-01-01 TO *]",
    "author:\"a b\"",
];
const GLUE: &[&str] = &[
    " ",
    " AND ",
    " OR ",
    " NOT ",
    " -",
    " NEAR/2 ",
    " NEAR/1f ",
    " (",
    ") ",
    "~3 ",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec((0..ATOMS.len(), 0..GLUE.len()), 1..8).prop_map(|parts| {
        let mut s = String::new();
        for (a, g) in parts {
            s.push_str(ATOMS[a]);
            s.push_str(GLUE[g]);
        }
        s
    })
}

fn mention_texts() -> impl Strategy<Value = Vec<String>> {
    let words = prop::sample::select(vec![
        "a",
        "b",
        "A",
        "café",
        "cafe",
        "niño",
        "Wendy's",
        "#tag",
        "@who",
        "🔥",
        "e-mail",
        "complaint",
        "cat",
        "BT",
        "x+",
        "abc",
        "x",
        ".",
        "!",
    ]);
    prop::collection::vec(
        prop::collection::vec(words, 0..8).prop_map(|w| w.join(" ")),
        0..12,
    )
}

proptest! {
    #[test]
    fn parser_never_panics(src in "\\PC{0,40}") {
        let _ = Query::parse(&src).map(|q| q.to_string());
    }

    #[test]
    fn parser_never_panics_on_query_like_input(src in "[a-c \"()*?~:/\\[\\]{}<>#@'-]{0,30}|(AND|OR|NOT|NEAR/2|title:|-| |a|\\(|\\)|\"|~2|\\[1 TO 2\\]){0,12}") {
        if let Err(e) = Query::parse(&src) {
            let _ = e.render(&src);
            prop_assert!(e.span.start <= e.span.end && e.span.end <= src.len());
        }
    }

    #[test]
    fn print_then_parse_gives_the_same_query(src in soup()) {
        if let Ok(q) = Query::parse(&src) {
            let printed = q.to_string();
            let again = Query::parse(&printed);
            prop_assert_eq!(again.as_ref().ok(), Some(&q), "{} printed as {}: {:?}", src, printed, again);
        }
    }

    #[test]
    fn filtering_twice_equals_filtering_once(src in soup(), texts in mention_texts()) {
        if let Ok(q) = Query::parse(&src) {
            let once: Vec<&String> = texts.iter().filter(|t| matches_line(&q, t)).collect();
            let twice: Vec<&String> = once.iter().copied().filter(|t| matches_line(&q, t)).collect();
            prop_assert_eq!(&once, &twice);
            // And the prefilter never drops a match.
            if let Some(p) = q.prefilter() {
                for t in &once {
                    prop_assert!(p.may_match(line(t).as_bytes()), "{} on {}", src, t);
                }
            }
        }
    }

    #[test]
    fn signatures_and_programs_change_no_answer(
        src in soup(),
        texts in mention_texts(),
        lists in prop::collection::vec(prop::sample::select(vec!["a", "cat", "who", "tag", "café", "BT"]), 0..4),
    ) {
        if let Ok(q) = Query::parse(&src) {
            // Each text alone, then as a title over the next text with tags and mentions.
            let mut lines: Vec<String> = texts.iter().map(|t| line(t)).collect();
            for pair in texts.windows(2) {
                lines.push(serde_json::json!({
                    "id": "t:2", "title": pair[0], "text": pair[1],
                    "tags": lists, "mentions": lists.iter().rev().collect::<Vec<_>>(),
                }).to_string());
            }
            for l in &lines {
                let m: MentionView = serde_json::from_str(l).unwrap();
                let want = super::eval::matches_without_signatures(q.node(), &m);
                prop_assert_eq!(q.matches(&m), want, "{} on {}", src, l);
            }
        }
    }
}

/// Ties `reads_only_text` to [`crate::mention::TEXT_FIELDS`]: every query that says it
/// reads only the text fields (and the sentiment, which `classify` sets before its rules
/// run) gives the same answer on the view of [`MentionView::parse_text_fields`] as on the
/// full record. One query per field of the language.
#[test]
fn reads_only_text_agrees_with_text_fields() {
    let queries = [
        ("title", "title:late"),
        ("text", "text:late"),
        ("author", "author:bob"),
        ("site", "site:example.com"),
        ("url", "url:example.com/a"),
        ("links", "links:example.org"),
        ("language", "language:en"),
        ("lang", "lang:en"),
        ("platform", "platform:x"),
        ("source", "source:rss"),
        ("kind", "kind:repost"),
        ("engagementType", "engagementType:RETWEET"),
        ("authorFollowers", "authorFollowers:[10 TO *]"),
        ("minuteOfDay", "minuteOfDay:[0 TO 1439]"),
        ("sentiment", "sentiment:negative OR sentiment:[-1 TO 0]"),
        ("label", "label:complaint"),
        ("match", "match:brand"),
        ("likes", "likes:[1 TO *]"),
        ("reposts", "reposts:[1 TO *]"),
        ("replies", "replies:[1 TO *]"),
        ("quotes", "quotes:[1 TO *]"),
        ("views", "views:[1 TO *]"),
        ("score", "score:[1 TO *]"),
        ("comments", "comments:[1 TO *]"),
        ("published", "published:[2024-01-01 TO *]"),
        ("id", r#"id:"x:1""#),
        ("team", "team:billing"),
        ("priority", "priority:urgent"),
        ("raw", "raw:Late"),
        ("query", "late"),
    ];
    for field in FIELDS {
        assert!(
            queries.iter().any(|(f, _)| f == field),
            "no query reads {field}: add one to this test"
        );
    }
    let lines = [
        r#"{"id":"x:1","platform":"x","kind":"repost","url":"https://example.com/a","title":"Late","text":"Late again #fail @united","lang":"en","published":"2024-03-01T10:00:00Z","author":{"name":"Bob","handle":"bob","followers":50},"metrics":{"likes":3,"reposts":2,"replies":1,"quotes":1,"views":9,"score":4,"comments":2},"links":["https://example.org/x"],"tags":["fail"],"mentions":["united"],"source":{"type":"rss"},"matches":["brand"],"sentiment":{"score":-0.6,"label":"negative"},"labels":["complaint"],"team":"care","teams":["care","billing"],"priority":"urgent"}"#,
        r#"{"id":"x:2","text":"all fine","lang":"fr","labels":[]}"#,
    ];
    for (field, src) in queries {
        let q = Query::parse(src).unwrap_or_else(|e| panic!("{src}: {}", e.render(src)));
        for line in lines {
            let full: MentionView = serde_json::from_str(line).unwrap();
            let mut text = MentionView::parse_text_fields(line).unwrap();
            text.sentiment = full.sentiment.clone();
            let (on_full, on_text) = (q.matches(&full), q.matches(&text));
            if q.reads_only_text() {
                assert_eq!(on_text, on_full, "{field}: {src} on {line}");
            } else if line.contains("x:1") {
                // A query that needs more than the text fields sees the difference.
                assert!(on_full && !on_text, "{field}: {src} on {line}");
            }
        }
    }
}

/// Issue 14, item 2: nesting deeper than `MAX_DEPTH` (100) is an error that names the limit,
/// however it is written, not a stack overflow; nesting within the limit still parses.
#[test]
fn regression_14_2_deep_nesting_is_an_error() {
    let n = 5000;
    let deep = [
        format!("{}a{}", "(".repeat(n), ")".repeat(n)),
        format!("x AND {}y", "NOT ".repeat(n)),
        format!("{}a", "a NEAR/5 ".repeat(n)),
        format!("{}a{}", "(a OR ".repeat(n), ")".repeat(n)),
        format!("{}a{}", "(b AND ".repeat(n), ")".repeat(n)),
    ];
    for q in &deep {
        let err = Query::parse(q).expect_err(&q[..30]).to_string();
        assert!(
            err.contains("at most 100 levels deep"),
            "{}: {err}",
            &q[..30]
        );
    }
    for q in [
        format!("{}a{}", "(".repeat(100), ")".repeat(100)),
        format!("{}a", "a NEAR/5 ".repeat(50)),
        format!("{}a{}", "(a OR ".repeat(50), ")".repeat(50)),
    ] {
        Query::parse(&q).unwrap_or_else(|e| panic!("{}: {e}", &q[..30]));
    }
}

/// Issue 14, item 2: chains of `query:` references are bounded the same way, in either
/// order of definition.
#[test]
fn regression_14_2_long_reference_chains_are_an_error() {
    let n = 20_000;
    // Each refers to the next one, defined later: the loader builds them recursively.
    let mut forward: String = (0..n)
        .map(|i| format!("q{i} = 'query:q{} OR x{i}'\n", i + 1))
        .collect();
    forward.push_str(&format!("q{n} = 'end'\n"));
    // Each refers to the one before.
    let mut backward = String::from("q0 = 'start'\n");
    backward.extend((1..=n).map(|i| format!("q{i} = 'query:q{} OR x{i}'\n", i - 1)));
    for toml in [forward, backward] {
        let err = QuerySet::from_toml(&toml).unwrap_err().to_string();
        assert!(err.contains("at most 100 levels deep"), "{err}");
    }
}

/// Queries that each refer to the previous two share their nodes: measuring the depth
/// visits each once (2^60 visits otherwise).
#[test]
fn depth_measures_shared_references_once() {
    use std::sync::Arc;
    let leaf = |w: &str| Arc::new(Query::parse(w).unwrap().node().as_ref().clone());
    let (mut older, mut old) = (leaf("a"), leaf("b"));
    for i in 0..60 {
        let r = |node: &Arc<ast::Node>| ast::Node::Ref {
            name: format!("q{i}"),
            node: node.clone(),
        };
        let next = Arc::new(ast::Node::Or(vec![r(&old), r(&older)]));
        (older, old) = (old, next);
    }
    // A term is 2 (the text test and its word), each level adds an OR and a reference.
    assert_eq!(old.depth(&mut std::collections::HashMap::new()), 2 + 60 * 2);
}

/// Issue 14, item 3: queries that each refer to the previous two (28 of them took 4.8 s and
/// 394 MB, 40 would take hours) are compiled, checked and run once per shared query.
#[test]
fn regression_14_3_shared_references_run_once() {
    let mut toml = String::from("q0 = 'alpha'\nq1 = 'beta'\n");
    toml.extend((2..40).map(|i| format!("q{i} = 'query:q{} OR query:q{}'\n", i - 1, i - 2)));
    let set = QuerySet::from_toml(&toml).unwrap();
    let last = set.get("q39").unwrap();
    assert!(last.reads_only_text());
    assert!(last.prefilter().is_some());
    for (text, want) in [("alpha here", true), ("beta too", true), ("nothing", false)] {
        let l = line(text);
        let m: MentionView = serde_json::from_str(&l).unwrap();
        assert_eq!(last.matches(&m), want, "{text}");
        // All but the one of q0 and q1 that the text does not have.
        assert_eq!(set.matching(&m).len(), if want { 39 } else { 0 }, "{text}");
    }
}

/// Issue 14, item 15: lower-case `or`, `and` and `not` between two operands are searched as
/// words; the query says so, so that a stage can warn.
#[test]
fn regression_14_15_lowercase_operators_are_warned_about() {
    for (src, words) in [
        ("@united or @delta", &["or"][..]),
        ("lost and found", &["and"]),
        ("(a OR b) not c", &["not"]),
        ("\"on hold\"~2 Or title:late", &["Or"]),
        ("(a OR b) NOT c", &[]),
        ("not happy", &[]),
        ("title:or", &[]),
        ("\"this or that\"", &[]),
        ("or", &[]),
    ] {
        let q = Query::parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let got = q.warnings();
        assert_eq!(got.len(), words.len(), "{src}: {got:?}");
        for (w, word) in got.iter().zip(words) {
            assert!(
                w.starts_with(&format!("`{word}` is searched as a word")),
                "{w}"
            );
        }
    }
    let set = QuerySet::from_toml("a = 'x or y'\nb = 'x OR y'\n").unwrap();
    assert_eq!(
        set.warnings(),
        ["query `a`: `or` is searched as a word; the operator is `OR` (operators are upper-case)"]
    );
}
