//! Tests of the sentiment engine: VADER's behaviour (against vaderSentiment 3.3.2),
//! earful's layers for customer mentions (`earful.rs`) and properties (`props.rs`).

mod earful;
mod props;

use std::sync::OnceLock;

use super::score::normalize;
use super::*;
use crate::classify::LexiconError;

pub(super) fn ours() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::new)
}

pub(super) fn vader() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::builder().vader_compat(true).build())
}

pub(super) fn airline() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| {
        Analyzer::builder()
            .brands(["United", "Virgin America", "@JetBlue"])
            .build()
    })
}

pub(super) fn c(a: &Analyzer, text: &str) -> f64 {
    a.score(text).compound
}

/// -1, 0 or 1 by the label thresholds.
pub(super) fn sgn(x: f64) -> i8 {
    match label(x) {
        "negative" => -1,
        "neutral" => 0,
        _ => 1,
    }
}

pub(super) fn rules(a: &Analyzer, text: &str) -> Vec<(String, &'static str)> {
    a.explain(text)
        .1
        .into_iter()
        .map(|c| (c.token, c.rule))
        .collect()
}

#[test]
fn analyzer_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Analyzer>();
}

/// Values printed by vaderSentiment 3.3.2 (compound rounded to 4 places, the rest to 3).
#[test]
fn vader_compat_matches_python() {
    let cases: &[(&str, f64, f64, f64, f64)] = &[
        (
            "VADER is smart, handsome, and funny.",
            0.8316,
            0.746,
            0.0,
            0.254,
        ),
        (
            "VADER is smart, handsome, and funny!",
            0.8439,
            0.752,
            0.0,
            0.248,
        ),
        (
            "VADER is very smart, handsome, and funny.",
            0.8545,
            0.701,
            0.0,
            0.299,
        ),
        (
            "VADER is VERY SMART, handsome, and FUNNY.",
            0.9227,
            0.754,
            0.0,
            0.246,
        ),
        (
            "VADER is VERY SMART, handsome, and FUNNY!!!",
            0.9342,
            0.767,
            0.0,
            0.233,
        ),
        (
            "VADER is not smart, handsome, nor funny.",
            -0.7424,
            0.0,
            0.646,
            0.354,
        ),
        ("The book was good.", 0.4404, 0.492, 0.0, 0.508),
        (
            "At least it isn't a horrible book.",
            0.431,
            0.322,
            0.0,
            0.678,
        ),
        ("The book was only kind of good.", 0.3832, 0.303, 0.0, 0.697),
        (
            "The plot was good, but the characters are uncompelling and the dialog is not great.",
            -0.7042,
            0.094,
            0.327,
            0.579,
        ),
        ("Today SUX!", -0.5461, 0.0, 0.779, 0.221),
        (
            "Today only kinda sux! But I'll get by, lol",
            0.5249,
            0.317,
            0.127,
            0.556,
        ),
        ("Make sure you :) or :D today!", 0.8633, 0.706, 0.0, 0.294),
        (
            "Catch utf-8 emoji such as 💘 and 💋 and 😁",
            0.875,
            0.417,
            0.0,
            0.583,
        ),
        ("Not bad at all", 0.431, 0.487, 0.0, 0.513),
        (
            "Sentiment analysis has never been this good!",
            0.5672,
            0.379,
            0.0,
            0.621,
        ),
        (
            "With VADER, sentiment analysis is the shit!",
            0.6476,
            0.417,
            0.0,
            0.583,
        ),
        (
            "Roger Dodger is one of the least compelling variations on this theme.",
            -0.1695,
            0.0,
            0.132,
            0.868,
        ),
        ("not the food was good", 0.4404, 0.42, 0.0, 0.58),
        ("I am happy??", 0.6199, 0.67, 0.0, 0.33),
        ("I am happy!!!!!!", 0.7067, 0.709, 0.0, 0.291),
        ("it is good but bad", -0.5859, 0.201, 0.49, 0.309),
        ("@united is great", 0.7845, 0.873, 0.0, 0.127),
        ("", 0.0, 0.0, 0.0, 0.0),
    ];
    for &(text, compound, pos, neg, neu) in cases {
        let s = vader().score(text);
        assert!((s.compound - compound).abs() < 6e-5, "{text:?}: {s:?}");
        assert!((s.pos - pos).abs() < 6e-4, "{text:?}: {s:?}");
        assert!((s.neg - neg).abs() < 6e-4, "{text:?}: {s:?}");
        assert!((s.neu - neu).abs() < 6e-4, "{text:?}: {s:?}");
    }
}

#[test]
fn negation_scope() {
    // (text, expected sign of compound) for the default analyzer.
    let cases: &[(&str, i8)] = &[
        ("good", 1),
        ("not good", -1),
        ("isn't good", -1),
        ("not very good", -1),
        ("not at all good", -1),      // "not" three tokens back still negates
        ("not the food was good", 1), // four tokens back is out of scope
        ("never so good", 1),         // "never so" intensifies instead
        ("not bad", 1),
        ("no problems", 1),
        ("without a doubt good", 1),
        // Emoji, emoticons and negators are never negated.
        ("I don't want to go :(", -1),
        ("I don't want 😢", -1),
        ("can't believe there's no", -1),
        // "never ... more" intensifies.
        ("I have never been more angry", -1),
        ("never been more happy", 1),
    ];
    for &(text, sign) in cases {
        let got = c(ours(), text);
        assert_eq!(sgn(got), sign, "{text:?}: {got}");
    }
    assert!(rules(ours(), "not good").contains(&("good".into(), "negation")));
}

#[test]
fn but_clause_shifts_weight_to_the_second_half() {
    let cases: &[(&str, i8)] = &[
        ("the seats were good but the food was bad", -1),
        ("the food was bad but the seats were good", 1),
    ];
    for &(text, sign) in cases {
        assert_eq!(sgn(c(ours(), text)), sign, "{text:?}");
    }
    let why = rules(ours(), "good but bad");
    assert!(why.contains(&("good".into(), "but")));
    assert!(why.contains(&("bad".into(), "but")));
}

#[test]
fn caps_and_exclamation_emphasis() {
    // (weaker, stronger)
    let cases: &[(&str, &str)] = &[
        ("I am happy", "I am HAPPY"),
        ("I am happy", "I am happy!"),
        ("I am happy!", "I am happy!!!"),
        ("this is bad", "this is BAD"),
    ];
    for &(weak, strong) in cases {
        let (w, s) = (c(ours(), weak).abs(), c(ours(), strong).abs());
        assert!(
            s > w,
            "{strong:?} ({s}) should be stronger than {weak:?} ({w})"
        );
    }
    // "!" counts up to four; all-caps text has no caps differential.
    assert_eq!(c(ours(), "happy!!!!"), c(ours(), "happy!!!!!!!!"));
    assert_eq!(c(ours(), "I AM HAPPY"), c(ours(), "i am happy"));
    assert!(rules(ours(), "I am HAPPY").contains(&("happy".into(), "caps")));
}

#[test]
fn emoji_and_emoticons() {
    let cases: &[(&str, i8)] = &[
        ("😀", 1),
        ("😠", -1),
        ("❤️", 1), // red heart + variation selector
        (":)", 1),
        (":(", -1),
        (":-)", 1),
        ("<3", 1),
        ("🙂🙂", 1),
        ("flight 🛫", 0),
    ];
    for &(text, sign) in cases {
        let got = c(ours(), text);
        assert_eq!(sgn(got), sign, "{text:?}: {got}");
    }
    // Skin-tone modifiers add nothing.
    assert_eq!(c(ours(), "😀🏽"), c(ours(), "😀"));
    // vaderSentiment glues the next word onto an emoji's description; we do not.
    assert!(c(ours(), "😀great") > c(ours(), "😀"));
    // vaderSentiment keeps short tokens with punctuation whole: "ok!" is unknown to it.
    assert!(c(ours(), "ok!") > 0.0);
    assert_eq!(c(vader(), "ok!"), 0.0);
}

#[test]
fn labels_and_thresholds() {
    let cases: &[(f64, &str)] = &[
        (-1.0, "negative"),
        (NEGATIVE_THRESHOLD, "negative"),
        (NEGATIVE_THRESHOLD + 1e-9, "neutral"),
        (0.0, "neutral"),
        (f64::NAN, "neutral"),
        (POSITIVE_THRESHOLD - 1e-9, "neutral"),
        (POSITIVE_THRESHOLD, "positive"),
        (1.0, "positive"),
    ];
    for &(x, want) in cases {
        assert_eq!(label(x), want, "{x}");
    }
}

#[test]
fn explain_adds_up_to_compound() {
    for text in [
        "great, another delay",
        "The plot was good, but the characters are uncompelling!!",
        "why is my flight delayed again??",
        "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
        "@united not bad at all :)",
        "",
    ] {
        for a in [ours(), vader()] {
            let (scores, why) = a.explain(text);
            assert_eq!(scores, a.score(text), "{text:?}");
            let sum: f64 = why.iter().map(|c| c.delta).sum();
            let want = if sum == 0.0 { 0.0 } else { normalize(sum) };
            assert!((want - scores.compound).abs() < 1e-9, "{text:?}: {why:?}");
        }
    }
}

#[test]
fn lexicon_file_adds_and_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("extra.tsv");
    std::fs::write(
        &path,
        "# team lexicon\nboarding pass\t-2.5\ngreat\t-1\n\nwidget\t2.0\t0.5\t[2, 2]\n",
    )
    .unwrap();
    let a = Analyzer::builder().lexicon_file(&path).unwrap().build();
    assert!(c(&a, "great") < 0.0);
    assert!(c(&a, "widget") > 0.0);
    assert!(c(&a, "my Boarding Pass") < 0.0);
    assert!(a.explain("boarding pass").1.contains(&Contribution {
        token: "boarding pass".into(),
        rule: "user-lexicon",
        delta: -2.5
    }));
    // A user entry survives vader_compat, where phrases are not matched.
    let compat = Analyzer::builder()
        .vader_compat(true)
        .lexicon_file(&path)
        .unwrap()
        .build();
    assert!(c(&compat, "great") < 0.0);
}

#[test]
fn lexicon_file_errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str)] = &[
        (
            "ok\t1\nno tab here\n",
            "bad.tsv:2: expected token<TAB>valence",
        ),
        ("# c\n\nx\tabc\n", "bad.tsv:3: invalid valence \"abc\""),
        ("x\t1\n\t2\n", "bad.tsv:2: empty token"),
        (
            "x\tNaN\n",
            "bad.tsv:1: valence for \"x\" is not a finite number",
        ),
    ];
    for &(content, want) in cases {
        let path = dir.path().join("bad.tsv");
        std::fs::write(&path, content).unwrap();
        let err = Analyzer::builder().lexicon_file(&path).err().unwrap();
        let msg = err.to_string();
        assert!(msg.ends_with(want) || msg.contains(want), "{msg}");
        assert!(msg.contains(&*path.display().to_string()), "{msg}");
    }
    let missing = dir.path().join("missing.tsv");
    let err = Analyzer::builder().lexicon_file(&missing).err().unwrap();
    assert!(matches!(err, LexiconError::Io { .. }));
    assert!(err.to_string().starts_with("reading lexicon "), "{err}");
    assert!(err.to_string().contains("missing.tsv"), "{err}");
}

#[test]
fn odd_inputs() {
    let long = "bad ".repeat(100_000);
    for text in [
        "",
        "   \n\t ",
        "!!!???",
        "no",
        "no no no",
        "but",
        "kind of",
        "least",
        "\u{0}\u{200D}\u{FE0F}",
        "🏽",
        long.as_str(),
    ] {
        for a in [ours(), vader(), airline()] {
            let s = a.score(text);
            assert!((-1.0..=1.0).contains(&s.compound), "{text:?}: {s:?}");
        }
    }
    assert!(c(ours(), &long) < -0.99);
}
