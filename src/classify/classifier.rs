//! The `classify` stage for one line: language, sentiment, intent labels, spliced into the
//! original line so every other field passes through unchanged.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::Write as _;

use serde::Serialize;

use super::{Analyzer, Contribution, label, language};
use crate::jsonl::{self, LineError};
use crate::mention::{MentionView, Sentiment};
use crate::query::{QuerySet, QuerySetError};
use crate::scratch;
use crate::train::{Model, SENTIMENT_LABELS, Target};

/// The built-in intent rules (`data/intents.toml`), in the query language of `filter`.
pub const BUILTIN_RULES: &str = include_str!("../../data/intents.toml");

/// The label of mentions in a language the loaded lexicons do not cover.
pub const UNKNOWN: &str = "unknown";

/// Classifies mention lines: fills `lang` when missing (if it can tell), adds `sentiment`
/// and `labels`.
#[derive(Debug)]
pub struct Classifier {
    analyzer: Analyzer,
    rules: QuerySet,
    /// The rules read only text fields and sentiment: parse just those.
    text_only: bool,
    languages: Vec<String>,
    detect_language: bool,
    explain: bool,
    /// Trained models (`--model`), applied in order after the engine.
    models: Vec<Model>,
}

impl Classifier {
    /// A classifier with the built-in rules, scoring English only.
    pub fn new(analyzer: Analyzer) -> Classifier {
        let rules = builtin_rules();
        Classifier {
            analyzer,
            text_only: text_only(&rules),
            rules,
            languages: vec!["en".to_owned()],
            detect_language: true,
            explain: false,
            models: Vec::new(),
        }
    }

    /// Adds trained models: a sentiment model (labels negative, neutral, positive) sets
    /// `sentiment`, another adds its labels to `labels` or sets the field it was trained
    /// `--as`. Models apply to the mentions the engine scores (see [`Classifier::languages`]).
    pub fn models(mut self, models: Vec<Model>) -> Classifier {
        self.models = models;
        self
    }

    /// Replaces the intent rules.
    pub fn rules(mut self, rules: QuerySet) -> Classifier {
        self.text_only = text_only(&rules);
        self.rules = rules;
        self
    }

    /// Languages (two-letter codes) the lexicons cover; mentions in other languages get the
    /// sentiment label `unknown`. Mentions whose language is not known are scored.
    pub fn languages(mut self, languages: Vec<String>) -> Classifier {
        self.languages = languages;
        self
    }

    /// Whether to detect the language of mentions that have no `lang` (default: yes).
    pub fn detect_language(mut self, on: bool) -> Classifier {
        self.detect_language = on;
        self
    }

    /// Whether to add `sentiment.explain`: the tokens and rules that moved the score.
    pub fn explain(mut self, on: bool) -> Classifier {
        self.explain = on;
        self
    }

    /// Classifies one JSONL line and appends the result (with a newline) to `out`.
    pub fn classify_line(&self, line: &str, out: &mut Vec<u8>) -> Result<(), LineError> {
        // The top-level keys, when known: new fields are then appended without a search.
        let parsed = if self.text_only {
            MentionView::parse_text_fields_keys(line)
        } else {
            serde_json::from_str(line).map(|view| (view, None))
        };
        let (mut view, keys) = parsed.map_err(|e| LineError::from_json(&e))?;
        let text = scoring_text(&view);
        let detected = match &view.lang {
            None if self.detect_language => language::detect(&text),
            _ => None,
        };
        let lang = view.lang.as_deref().or(detected);
        let scored = lang.is_none_or(|l| self.languages.iter().any(|s| language::is(l, s)));
        let (scores, explanation) = match (scored, self.explain) {
            (false, _) => (Default::default(), None),
            (true, false) => (self.analyzer.score(&text), None),
            (true, true) => {
                let (scores, steps) = self.analyzer.explain(&text);
                (scores, Some(steps))
            }
        };
        let score = scores.compound;
        let mut sentiment = Sentiment {
            score: round4(score),
            label: Cow::Borrowed(if scored { label(score) } else { UNKNOWN }),
        };
        // What the models say: labels to add, fields to set (rendered JSON).
        let mut model_labels: Vec<&str> = Vec::new();
        let mut model_fields: Vec<(&str, String)> = Vec::new();
        for model in self.models.iter().filter(|_| scored) {
            let decision = model.decide(&text, &scores);
            match model.target() {
                Target::Sentiment => {
                    sentiment.score = round4(decision.score);
                    sentiment.label = Cow::Borrowed(SENTIMENT_LABELS[decision.best]);
                }
                Target::Labels => model_labels.extend(decision.labels),
                Target::Field(field) => {
                    let mut json = String::new();
                    if model.header.multi_label {
                        json.push('[');
                        for (i, l) in decision.labels.iter().enumerate() {
                            if i > 0 {
                                json.push(',');
                            }
                            write_json_str(&mut json, l);
                        }
                        json.push(']');
                    } else {
                        write_json_str(&mut json, decision.labels[0]);
                    }
                    model_fields.retain(|(f, _)| *f != field);
                    model_fields.push((field, json));
                }
            }
        }
        // The new values, rendered one after the other into one buffer (reused per thread).
        thread_local! {
            static JSON: RefCell<String> = const { RefCell::new(String::new()) };
        }
        let write = |json: &mut String| -> Result<(), LineError> {
            json.clear();
            render_sentiment(&sentiment, explanation.as_deref(), json);
            let sentiment_end = json.len();
            view.sentiment = Some(sentiment);
            // `labels` is written when a rule matches, or to clear labels the line had.
            json.push('[');
            let mut matched = 0;
            let labels_start = json.len();
            self.rules.matching_each(&view, |name| {
                if matched > 0 {
                    json.push(',');
                }
                matched += 1;
                write_json_str(json, name);
            });
            for name in &model_labels {
                // A rule of the same name already wrote it.
                let quoted = serde_json::to_string(name).unwrap_or_default();
                let written = &json[labels_start..];
                if written.split(',').any(|w| w == quoted) {
                    continue;
                }
                if matched > 0 {
                    json.push(',');
                }
                matched += 1;
                write_json_str(json, name);
            }
            json.push(']');
            let labels = matched > 0 || !view.labels.is_empty();
            if !labels {
                json.truncate(sentiment_end);
            }
            let lang_start = json.len();
            if let Some(code) = detected {
                write_json_str(json, code);
            }

            let mut fields: [(&str, &str); 3] = [("", ""); 3];
            let mut n = 0;
            if detected.is_some() {
                fields[n] = ("lang", &json[lang_start..]);
                n += 1;
            }
            fields[n] = ("sentiment", &json[..sentiment_end]);
            n += 1;
            if labels {
                fields[n] = ("labels", &json[sentiment_end..lang_start]);
                n += 1;
            }
            let fields: Cow<'_, [(&str, &str)]> = if model_fields.is_empty() {
                Cow::Borrowed(&fields[..n])
            } else {
                let set = model_fields.iter().map(|(k, v)| (*k, v.as_str()));
                Cow::Owned(fields[..n].iter().copied().chain(set).collect())
            };
            let fields = &fields[..];
            match keys {
                Some(keys) if !fields.iter().any(|(key, _)| keys.has(key)) => {
                    jsonl::append_fields(line, fields, out)?;
                }
                _ => jsonl::set_fields(line, fields, out)?,
            }
            Ok(())
        };
        scratch::with(&JSON, write)?;
        out.push(b'\n');
        Ok(())
    }
}

/// Appends `s` as a JSON string.
fn write_json_str(out: &mut String, s: &str) {
    if jsonl::is_plain(s) {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

fn text_only(rules: &QuerySet) -> bool {
    rules.iter().all(|e| e.query.reads_only_text())
}

/// The built-in intent rules, parsed.
pub fn builtin_rules() -> QuerySet {
    QuerySet::from_toml(BUILTIN_RULES).expect("data/intents.toml is valid: a unit test parses it")
}

/// The built-in rules with the rules of a user file added: a label of the same name
/// replaces the built-in one.
pub fn rules_with(user: &str, builtin: bool) -> Result<QuerySet, QuerySetError> {
    let user = QuerySet::from_toml(user)?;
    let mut rules = if builtin {
        builtin_rules()
    } else {
        QuerySet::new()
    };
    for entry in user.iter() {
        rules.insert(entry.clone());
    }
    Ok(rules)
}

/// Title and text, joined as sentences; the title is skipped when the text repeats it.
pub fn scoring_text<'a>(view: &'a MentionView<'_>) -> Cow<'a, str> {
    join_title_text(view.title.as_deref(), view.text.as_deref().unwrap_or(""))
}

/// `title` and `text` joined as sentences (`Title. text`), as `classify` and `train` read a
/// mention; the title is skipped when it is empty or the text starts with it.
pub fn join_title_text<'a>(title: Option<&'a str>, text: &'a str) -> Cow<'a, str> {
    match title {
        Some(title) if !title.is_empty() && !text.starts_with(title) => {
            let mut joined = String::with_capacity(title.len() + text.len() + 2);
            joined.push_str(title);
            if !title.ends_with(['.', '!', '?']) {
                joined.push('.');
            }
            joined.push(' ');
            joined.push_str(text);
            Cow::Owned(joined)
        }
        _ => Cow::Borrowed(text),
    }
}

/// Appends `{"score":..,"label":..}`, with `explain` when there is an explanation.
fn render_sentiment(sentiment: &Sentiment, explanation: Option<&[Contribution]>, out: &mut String) {
    #[derive(Serialize)]
    struct WithExplain<'a> {
        score: f64,
        label: &'a str,
        explain: &'a [Contribution],
    }
    match explanation {
        None => {
            out.push_str(r#"{"score":"#);
            push_score(sentiment.score, out);
            out.push_str(r#","label":"#);
            write_json_str(out, &sentiment.label);
            out.push('}');
        }
        Some(explain) => out.push_str(
            &serde_json::to_string(&WithExplain {
                score: sentiment.score,
                label: &sentiment.label,
                explain,
            })
            .unwrap_or_default(),
        ),
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Appends a score as `Display` writes it (`0.4215`, `-0.05`, `1`, `-0`), for a score in
/// [-1, 1] with at most four decimals (see [`round4`]): fixed-point digits, where
/// `Display` for `f64` runs a shortest-representation search (2% of classifying a
/// mention). Anything else goes through `Display`.
fn push_score(score: f64, out: &mut String) {
    let n = (score * 10_000.0).round();
    if !(-10_000.0..=10_000.0).contains(&n) || n / 10_000.0 != score {
        let _ = write!(out, "{score}");
        return;
    }
    if score.is_sign_negative() {
        out.push('-');
    }
    let n = n.abs() as u32;
    out.push(char::from(b'0' + (n / 10_000) as u8));
    let mut frac = n % 10_000;
    if frac > 0 {
        out.push('.');
        let mut div = 1_000;
        while frac > 0 {
            out.push(char::from(b'0' + (frac / div) as u8));
            frac %= div;
            div /= 10;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(c: &Classifier, line: &str) -> serde_json::Value {
        let mut out = Vec::new();
        c.classify_line(line, &mut out).unwrap();
        assert_eq!(out.last(), Some(&b'\n'));
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn scores_are_written_as_display_writes_them() {
        for n in -10_000..=10_000 {
            let score = round4(f64::from(n) / 10_000.0);
            let mut got = String::new();
            push_score(score, &mut got);
            assert_eq!(got, score.to_string(), "{n}");
        }
        for score in [-0.0, 0.12345, f64::NAN, 2.5] {
            let mut got = String::new();
            push_score(score, &mut got);
            assert_eq!(got, score.to_string());
        }
    }

    #[test]
    fn builtin_rules_parse() {
        let rules = builtin_rules();
        for name in [
            "complaint",
            "question",
            "praise",
            "suggestion",
            "purchase_intent",
            "churn_risk",
            "urgent",
        ] {
            assert!(rules.get(name).is_some(), "no rule {name}");
        }
        // classify --rules prints the warnings of the merged rules under the user's file.
        assert_eq!(rules.warnings(), Vec::<String>::new());
    }

    #[test]
    fn adds_sentiment_and_labels_and_keeps_other_fields() {
        let c = Classifier::new(Analyzer::new());
        let v = classify(
            &c,
            r#"{"id":"1","lang":"en","text":"I was charged twice and still waiting for a refund. Why?","mine":{"a":1}}"#,
        );
        assert_eq!(v["sentiment"]["label"], "negative");
        let labels: Vec<&str> = v["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert!(labels.contains(&"complaint"), "{labels:?}");
        assert!(labels.contains(&"question"), "{labels:?}");
        assert_eq!(v["mine"]["a"], 1);
    }

    #[test]
    fn praise_needs_positive_sentiment() {
        let c = Classifier::new(Analyzer::new());
        let v = classify(
            &c,
            r#"{"id":"1","text":"Thank you so much, the new app is amazing!"}"#,
        );
        assert_eq!(v["sentiment"]["label"], "positive");
        assert!(
            v["labels"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l == "praise")
        );
    }

    #[test]
    fn other_languages_are_unknown_and_lang_is_filled() {
        let c = Classifier::new(Analyzer::new());
        let v = classify(
            &c,
            r#"{"id":"1","text":"Llevo dos horas esperando en la tienda y nadie me atiende, qué vergüenza de servicio"}"#,
        );
        assert_eq!(v["lang"], "es");
        assert_eq!(v["sentiment"]["label"], "unknown");
        let v = classify(&c, r#"{"id":"1","lang":"fr","text":"great"}"#);
        assert_eq!(v["sentiment"]["label"], "unknown");
        let c = c.languages(vec!["en".into(), "fr".into()]);
        let v = classify(&c, r#"{"id":"1","lang":"fr","text":"great"}"#);
        assert_eq!(v["sentiment"]["label"], "positive");
    }

    #[test]
    fn explain_lists_contributions() {
        let c = Classifier::new(Analyzer::new()).explain(true);
        let v = classify(&c, r#"{"id":"1","text":"The support was terrible"}"#);
        let steps = v["sentiment"]["explain"].as_array().unwrap();
        assert!(steps.iter().any(|s| s["token"] == "terrible"), "{steps:?}");
    }

    #[test]
    fn rules_on_other_fields_see_them() {
        assert!(Classifier::new(Analyzer::new()).text_only);
        let rules = rules_with("vip = 'authorFollowers:[1000 TO *] AND lang:en'", false).unwrap();
        let c = Classifier::new(Analyzer::new()).rules(rules);
        assert!(!c.text_only);
        let line = |n: u32| format!(r#"{{"lang":"en","text":"hi","author":{{"followers":{n}}}}}"#);
        assert_eq!(
            classify(&c, &line(5000))["labels"],
            serde_json::json!(["vip"])
        );
        assert!(classify(&c, &line(10)).get("labels").is_none());
    }

    #[test]
    fn user_rules_replace_and_add() {
        let rules = rules_with(
            "complaint = 'zzz'\nlost_luggage = 'luggage OR baggage'",
            true,
        )
        .unwrap();
        let c = Classifier::new(Analyzer::new()).rules(rules);
        let v = classify(&c, r#"{"id":"1","text":"They lost my luggage, terrible"}"#);
        assert_eq!(v["labels"], serde_json::json!(["lost_luggage"]));
        assert!(rules_with("x = '('", true).is_err());
    }

    /// Golden cases for the built-in labels: `(label, fires, text)`. Each label has obvious
    /// positives and near misses that share its words but not its meaning.
    const GOLDEN: &[(&str, bool, &str)] = &[
        // complaint: negative, or a named failure even when polite.
        ("complaint", true, "I was charged twice for the same order"),
        ("complaint", true, "My refund still hasn't arrived, thanks"),
        (
            "complaint",
            true,
            "The app keeps crashing when I open my cart",
        ),
        (
            "complaint",
            true,
            "Flight delayed 3 hours and nobody at the gate can tell us why",
        ),
        ("complaint", true, "Worst customer service I have ever had"),
        (
            "complaint",
            false,
            "Got my refund within a day, great service!",
        ),
        (
            "complaint",
            false,
            "I lost 5 kg with your fitness plan, love it",
        ),
        (
            "complaint",
            false,
            "What time does the store open on Sunday",
        ),
        // question: a question mark or a question opener.
        (
            "question",
            true,
            "Does the premium plan include offline mode?",
        ),
        ("question", true, "how do i change my seat"),
        (
            "question",
            true,
            "Anyone know if the lounge is open at night",
        ),
        (
            "question",
            false,
            "Read our post at https://example.com/faq?utm_source=x",
        ),
        ("question", false, "Boarding now, see you in Denver"),
        // praise: positive sentiment and an appreciative word.
        ("praise", true, "Thank you so much, the crew was amazing!"),
        ("praise", true, "Love the new update, great job team"),
        ("praise", true, "Kudos to the support team, super helpful"),
        ("praise", false, "Thanks for nothing, still no refund"),
        (
            "praise",
            false,
            "Great, another delay. Love waiting at the gate",
        ),
        ("praise", false, "Would be great if the app worked at all"),
        ("praise", false, "Thanks, when will my bag arrive?"),
        // suggestion: a feature request or proposal.
        ("suggestion", true, "Please add a dark mode to the app"),
        (
            "suggestion",
            true,
            "It would be nice to pick seats when booking",
        ),
        (
            "suggestion",
            true,
            "You should offer free wifi on long flights",
        ),
        ("suggestion", true, "Add support for Apple Pay at checkout"),
        (
            "suggestion",
            true,
            "Why not let us choose the delivery time?",
        ),
        (
            "suggestion",
            true,
            "There should be an option to export my data",
        ),
        (
            "suggestion",
            false,
            "The flight should have landed an hour ago",
        ),
        ("suggestion", false, "You should be ashamed of this service"),
        (
            "suggestion",
            false,
            "I added a new card and it was declined",
        ),
        ("suggestion", false, "Great app, works fine"),
        // purchase_intent: considering buying or signing up.
        (
            "purchase_intent",
            true,
            "Thinking of getting the family plan, is it worth it?",
        ),
        (
            "purchase_intent",
            true,
            "How much is the premium subscription?",
        ),
        (
            "purchase_intent",
            true,
            "Want to buy the new headphones, any recommendations?",
        ),
        (
            "purchase_intent",
            false,
            "How much longer do I have to wait on hold?",
        ),
        (
            "purchase_intent",
            false,
            "Honestly not worth it, the battery dies in an hour",
        ),
        (
            "purchase_intent",
            false,
            "I'm looking for a refund, not another voucher",
        ),
        (
            "purchase_intent",
            false,
            "I can't sign up, the form shows an error",
        ),
        // churn_risk: about to leave.
        (
            "churn_risk",
            true,
            "I'm switching to another carrier next month",
        ),
        ("churn_risk", true, "How do I cancel my account?"),
        (
            "churn_risk",
            true,
            "Never again. Taking my business elsewhere",
        ),
        ("churn_risk", false, "My flight is leaving at 6am tomorrow"),
        (
            "churn_risk",
            false,
            "We're moving to Denver next week, can I change my address?",
        ),
        (
            "churn_risk",
            false,
            "Last time I flew with you the crew was lovely",
        ),
        ("churn_risk", false, "Done with my order, checkout was easy"),
        // urgent: safety, fraud and security, legal threats, service-wide outages.
        (
            "urgent",
            true,
            "Someone hacked my account and made purchases",
        ),
        (
            "urgent",
            true,
            "There is smoke coming from the engine, crew is ignoring us",
        ),
        ("urgent", true, "I will sue you if this is not fixed"),
        (
            "urgent",
            true,
            "Major outage: the whole network is down for everyone",
        ),
        (
            "urgent",
            true,
            "Fraudulent charges on my card after ordering from you",
        ),
        ("urgent", false, "The app keeps crashing, please fix it"),
        ("urgent", false, "Your new ad is on fire, love it"),
        ("urgent", false, "Sue at the front desk was so helpful"),
        ("urgent", false, "No signal in my kitchen again"),
    ];

    #[test]
    fn golden_labels() {
        let c = Classifier::new(Analyzer::new());
        let mut failures = Vec::new();
        for &(label, fires, text) in GOLDEN {
            let line = serde_json::json!({"id": "1", "lang": "en", "text": text}).to_string();
            let v = classify(&c, &line);
            let got = v["labels"]
                .as_array()
                .is_some_and(|ls| ls.iter().any(|l| l == label));
            if got != fires {
                failures.push(format!(
                    "{label} {}: {text:?} (score {}, labels {})",
                    if fires { "missed" } else { "fired" },
                    v["sentiment"]["score"],
                    v["labels"]
                ));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn reclassifying_replaces_fields_in_place() {
        let c = Classifier::new(Analyzer::new());
        let mut once = Vec::new();
        c.classify_line(r#"{"id":"1","text":"awful, broken again"}"#, &mut once)
            .unwrap();
        let once = String::from_utf8(once).unwrap();
        let mut twice = Vec::new();
        c.classify_line(once.trim_end(), &mut twice).unwrap();
        assert_eq!(once, String::from_utf8(twice).unwrap());
    }

    #[test]
    fn keys_present_at_top_level_or_nested_are_written_once() {
        let c = Classifier::new(Analyzer::new());
        for line in [
            r#"{"text":"awful","labels":["x"],"sentiment":null,"lang":"en"}"#,
            r#"{"text":"awful","meta":{"labels":["x"],"sentiment":1},"lang":"en"}"#,
            r#"{"text":"awful","note":"\"labels\": and \"sentiment\":","lang":"en"}"#,
            r#"{"text":"awful","lang":"en"}"#,
        ] {
            let mut out = Vec::new();
            c.classify_line(line, &mut out).unwrap();
            let out = String::from_utf8(out).unwrap();
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["sentiment"]["label"], "negative", "{out}");
            assert_eq!(v["labels"], serde_json::json!(["complaint"]), "{out}");
            // Each once: replaced where it was, or added; nested and quoted ones untouched.
            assert_eq!(out.matches(r#""sentiment":{"score""#).count(), 1, "{out}");
            assert_eq!(out.matches(r#""labels":["complaint"]"#).count(), 1, "{out}");
            assert_eq!(
                out.matches(r#"["x"]"#).count(),
                line.matches(r#"{"labels":["x"]"#).count(),
                "{out}"
            );
        }
    }

    mod properties {
        use std::io::Write;
        use std::sync::{Arc, Mutex};

        use proptest::prelude::*;

        use super::*;
        use crate::jsonl::{Input, Output};

        /// A JSON value written the way other tools write them: odd number forms, escapes,
        /// nesting, strings that look like the keys classify writes.
        fn raw_value() -> impl Strategy<Value = String> {
            let leaf = prop_oneof![
                Just("1.50".to_owned()),
                Just("-0".to_owned()),
                Just("1e3".to_owned()),
                Just("12345678901234567890".to_owned()),
                Just("true".to_owned()),
                Just("null".to_owned()),
                Just(r#""\u00e9t\u00e9 \ud83d\ude00""#.to_owned()),
                Just(r#""\"sentiment\":{}""#.to_owned()),
                Just(r#""labels""#.to_owned()),
                "[a-zA-Z0-9 ?!.:,'é😀]{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
            ];
            leaf.prop_recursive(3, 16, 4, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..4)
                        .prop_map(|v| format!("[{}]", v.join(","))),
                    proptest::collection::vec(("[a-z]{1,5}", inner), 0..4).prop_map(|v| {
                        let members: Vec<String> =
                            v.iter().map(|(k, v)| format!("\"{k}\" : {v}")).collect();
                        format!("{{ {} }}", members.join(", "))
                    }),
                ]
            })
        }

        fn text() -> impl Strategy<Value = String> {
            proptest::collection::vec(
                prop_oneof![
                    Just("great"),
                    Just("not"),
                    Just("terrible"),
                    Just("please add"),
                    Just("refund"),
                    Just("why"),
                    Just("?"),
                    Just("!"),
                    Just("😀"),
                    Just("@united"),
                    Just("hacked"),
                    Just("switching to"),
                    Just("the"),
                    Just("flight"),
                    Just("LOVE"),
                ],
                0..12,
            )
            .prop_map(|words| words.join(" "))
        }

        /// A mention line with extra fields (`x_*`) that classify does not know.
        fn line() -> impl Strategy<Value = (String, Vec<String>)> {
            (
                text(),
                proptest::option::of("(en|fr|es)"),
                proptest::collection::vec(raw_value(), 0..5),
            )
                .prop_map(|(text, lang, extras)| {
                    let mut line = format!("{{\"id\":\"1\",\"text\":{}", serde_json::json!(text));
                    if let Some(lang) = lang {
                        line.push_str(&format!(",\"lang\":\"{lang}\""));
                    }
                    let members: Vec<String> = extras
                        .iter()
                        .enumerate()
                        .map(|(i, v)| format!("\"x_{i}\":{v}"))
                        .collect();
                    for m in &members {
                        line.push(',');
                        line.push_str(m);
                    }
                    line.push('}');
                    (line, members)
                })
        }

        #[derive(Clone, Default)]
        struct Shared(Arc<Mutex<Vec<u8>>>);

        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }

        fn run(path: &std::path::Path, threads: usize) -> Vec<u8> {
            let shared = Shared::default();
            let mut out = Output::from_writer(Box::new(shared.clone()));
            let c = Classifier::new(Analyzer::new());
            crate::parallel::map_lines(
                vec![Input::Path(path.to_path_buf())],
                threads,
                false,
                |_, why| panic!("{why}"),
                &mut out,
                move |line, buf| c.classify_line(line, buf),
            )
            .unwrap();
            out.flush().unwrap();
            drop(out);
            shared.0.lock().unwrap().clone()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Classifying is deterministic and keeps every unknown member byte for byte;
            /// when the line holds none of the keys classify writes, everything before the
            /// closing brace is kept as it was.
            #[test]
            fn deterministic_and_passes_unknown_fields_through((line, members) in line()) {
                let c = Classifier::new(Analyzer::new());
                let (mut a, mut b) = (Vec::new(), Vec::new());
                c.classify_line(&line, &mut a).unwrap();
                c.classify_line(&line, &mut b).unwrap();
                prop_assert_eq!(&a, &b);
                let out = String::from_utf8(a).unwrap();
                let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                prop_assert!(v["sentiment"]["score"].is_number());
                for m in &members {
                    prop_assert!(out.contains(m.as_str()), "lost {} in {}", m, out);
                }
                if !["\"sentiment\"", "\"labels\"", "\"lang\""].iter().any(|k| line.contains(k)) {
                    prop_assert!(out.starts_with(&line[..line.len() - 1]), "{}", out);
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(8))]

            /// `--threads N` writes the same bytes as one thread.
            #[test]
            fn threads_give_the_same_output(
                lines in proptest::collection::vec(line(), 1..1500),
                threads in 2usize..5,
            ) {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("in.jsonl");
                let body: String = lines.iter().map(|(l, _)| format!("{l}\n")).collect();
                std::fs::write(&path, body).unwrap();
                let one = run(&path, 1);
                prop_assert_eq!(one.iter().filter(|&&b| b == b'\n').count(), lines.len());
                prop_assert_eq!(run(&path, threads), one);
            }
        }
    }
}
