//! earful's layers for customer mentions: masking, customer-service phrases, cues,
//! tweet spelling, and hand-labelled mentions.

use super::super::{Buffers, NoTrace, Source};
use super::{Analyzer, airline, c, label, ours, rules, sgn, vader};

#[test]
fn masks_handles_urls_and_brands() {
    // (analyzer, text, expected compound equal to the score of `same_as`)
    let cases: &[(&Analyzer, &str, &str)] = &[
        (ours(), "@united", ""),
        (ours(), "@united thank you", "thank you"),
        (ours(), ".@united thank you", "thank you"),
        (ours(), "great https://t.co/great?x=1?y", "great"),
        (ours(), "great www.example.com/?q=!!", "great"),
        (airline(), "United", ""),
        (airline(), "I flew United Airlines", "I flew Airlines"),
        (airline(), "#United again", "again"),
        (airline(), "United's crew", "crew"),
        (airline(), "virginamerica rocks", "rocks"),
        (airline(), "Virgin America rocks", "rocks"),
        (airline(), "flying jetblue", "flying"),
    ];
    for &(a, text, same_as) in cases {
        assert_eq!(c(a, text), c(a, same_as), "{text:?} vs {same_as:?}");
    }
    assert!(
        c(vader(), "@united") > 0.0,
        "vaderSentiment reads @united as positive"
    );
    let why = rules(airline(), "@united United great http://x.y");
    assert!(why.contains(&("@united".into(), "masked-handle")));
    assert!(why.contains(&("united".into(), "masked-brand")));
    assert!(why.contains(&("http://x.y".into(), "masked-url")));
    // A brand name is masked only as whole words.
    assert!(c(airline(), "we stand united") == 0.0 || c(airline(), "reunited") > 0.0);
}

#[test]
fn customer_service_phrases() {
    let cases: &[(&str, &str)] = &[
        ("I have been on hold for 2 hours", "on hold"),
        ("still waiting for my refund", "still waiting"),
        ("my package never arrived", "never arrived"),
        ("you charged twice for one ticket", "charged twice"),
        ("lost luggage again", "lost luggage"),
        ("no response from support", "no response"),
        ("flight delayed", "delayed"),
        ("stuck at the gate", "stuck"),
    ];
    for &(text, token) in cases {
        assert!(c(ours(), text) < -0.05, "{text:?}: {}", c(ours(), text));
        let why = rules(ours(), text);
        assert!(
            why.contains(&(token.into(), "customer-service")),
            "{text:?}: {why:?}"
        );
    }
    assert_eq!(c(vader(), "I have been on hold for 2 hours"), 0.0);
    // Negation in front of a phrase still applies.
    assert!(c(ours(), "never stuck on hold") > 0.0);
    // A phrase does not run across a sentence end.
    assert!(
        !rules(ours(), "I am on. Hold on")
            .iter()
            .any(|r| r.0 == "on hold")
    );
}

#[test]
fn sarcasm_cues() {
    let sarcastic = [
        "great, another delay",
        "Great. Another delay",
        "love being on hold",
        "thanks for the delay",
        "thanks for nothing",
        "thanks a lot, now my bag is lost and nobody answers",
        "love how you can't answer a simple question",
        "oh great, yet another email",
    ];
    for text in sarcastic {
        assert!(c(ours(), text) < -0.05, "{text:?}: {}", c(ours(), text));
        assert!(c(vader(), text) > c(ours(), text), "{text:?}");
    }
    let sincere = [
        "great flight, thanks!",
        "thanks for the help",
        "love the new seats",
        "thanks a lot, you made my day",
        "great crew, and the delay was short",
    ];
    for text in sincere {
        assert!(c(ours(), text) > 0.05, "{text:?}: {}", c(ours(), text));
    }
    assert!(rules(ours(), "great, another delay").contains(&("great".into(), "sarcasm")));
}

#[test]
fn complaint_questions() {
    let cases: &[(&str, i8)] = &[
        ("why is my flight delayed again?", -1),
        ("when will I get my refund?", -1),
        ("why can't I check in online?", -1),
        ("how long do I have to wait on hold?", -1),
        ("when does the lounge open?", 0),
        ("why is the sky blue", 0),
    ];
    for &(text, sign) in cases {
        let got = c(ours(), text);
        assert_eq!(
            label(got),
            ["negative", "neutral", "positive"][(sign + 1) as usize],
            "{text:?}: {got}"
        );
    }
    assert!(c(ours(), "why can't I check in online?") < c(vader(), "why can't I check in online?"));
    assert!(
        rules(ours(), "why can't I check in online?")
            .iter()
            .any(|r| r.1 == "question-complaint")
    );
}

#[test]
fn like_proper_nouns_and_irrealis() {
    let cases: &[(&str, i8)] = &[
        ("looks like rain", 0),
        ("I like it", 1),
        ("I really like it", 1),
        ("we waited like 3 hours", 0),
        ("last weekend we took the kids to the Jones County Fair", 0),
        ("the fair was fair", 1),
        ("it would be nice if someone answered", 0),
        ("is my flight on time?", 0),
        ("my flight is on time", 1),
        ("if this is delayed again I will scream", -1),
    ];
    for &(text, sign) in cases {
        let got = c(ours(), text);
        assert_eq!(sgn(got), sign, "{text:?}: {got}");
    }
}

#[test]
fn tweet_spelling() {
    // (text, reads like)
    let cases: &[(&str, &str)] = &[
        ("don’t like it", "don't like it"),
        ("don\\u2019t like it", "don't like it"),
        ("so goooood", "so good"),
        ("loooove it", "love it"),
        ("delayed...again", "delayed... again"),
        ("great,thanks", "great, thanks"),
        ("bad\\u002c sad", "bad, sad"),
        ("my favourite seat", "my favorite seat"),
        ("they antagonised me", "they antagonized me"),
    ];
    for &(text, same_as) in cases {
        assert_eq!(
            c(ours(), text),
            c(ours(), same_as),
            "{text:?} vs {same_as:?}"
        );
    }
    // Not split: initials, numbers, "w/".
    let cases: &[(&str, usize)] = &[
        ("U.S.", 1),
        ("3.5", 1),
        ("w/the", 1),
        ("and/or", 2),
        ("wait...what", 2),
    ];
    for &(text, n) in cases {
        for ascii in [true, false] {
            let mut scratch = Buffers::default();
            let mut lower = String::new();
            let src = Source {
                text,
                ascii,
                emoji_spans: &[],
            };
            ours().tokenize(src, &mut lower, &mut scratch.toks, &mut NoTrace);
            assert_eq!(scratch.toks.len(), n, "{text:?}");
        }
    }
    assert!(c(ours(), "can't wait for the weekend") > 0.3);
    assert!(c(vader(), "can't wait for the weekend") == 0.0);
    // Unknown escapes are left alone.
    assert_eq!(c(ours(), "\\uZZZZ good"), c(ours(), "good"));
}

/// Hand-written mentions with the airline names as brands: the labels a support team
/// would give.
#[test]
fn customer_mentions_golden() {
    let a = Analyzer::builder()
        .brands([
            "United",
            "Delta",
            "JetBlue",
            "American Airlines",
            "SouthwestAir",
        ])
        .build();
    let cases: &[(&str, &str)] = &[
        (
            "@united thanks for the quick response, rebooked on the next flight",
            "positive",
        ),
        (
            "@SouthwestAir I've been on hold for 2 hours. Unacceptable.",
            "negative",
        ),
        (
            "@JetBlue flight was delayed but the crew was amazing",
            "positive",
        ),
        ("@AmericanAir can you help me change my flight?", "neutral"),
        ("@delta lost my bag again. Thanks a lot.", "negative"),
        (
            "@united great, another delay. love sitting on the tarmac",
            "negative",
        ),
        ("@JetBlue best airline ever! ❤️", "positive"),
        ("@united why is my flight delayed again?", "negative"),
        ("@Delta when will I get my refund?", "negative"),
        ("@SouthwestAir what time does boarding start?", "neutral"),
        ("United Airlines is the worst", "negative"),
        ("I flew United today", "neutral"),
        ("@united thank you so much for getting me home!", "positive"),
        (
            "@delta still waiting for my refund, no response to emails",
            "negative",
        ),
        (
            "@JetBlue charged twice for the same seat. Please fix",
            "negative",
        ),
        ("@united my luggage never arrived", "negative"),
        ("Not bad at all, @JetBlue", "positive"),
        (
            "@united customer service was rude and unhelpful",
            "negative",
        ),
        ("@SouthwestAir you guys rock 🙌", "positive"),
        ("@united Is there wifi on this flight?", "neutral"),
        ("@delta thanks for nothing", "negative"),
        ("thanks so much for nothing", "negative"),
        ("The new app is great but it keeps crashing", "negative"),
        (
            "Love how @united can't answer a simple question",
            "negative",
        ),
    ];
    for &(text, want) in cases {
        let got = a.score(text).compound;
        assert_eq!(label(got), want, "{text:?}: {got}");
    }
}
