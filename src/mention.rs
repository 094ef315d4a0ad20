//! The mention record: schema v1 of the JSONL wire format (`docs/schema.md`).
//!
//! Producers (`fetch`) build [`Mention`] values and serialise them. Later stages never
//! re-serialise a whole line through this type: they read the fields they need through
//! [`MentionView`] and splice their own fields into the original bytes
//! ([`crate::jsonl::set_fields`]), so fields they do not know pass through unchanged.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

mod fast;

/// Version of the mention schema described in `docs/schema.md`. Bumped on breaking changes.
pub const SCHEMA_VERSION: u32 = 1;

/// One normalised mention. Optional fields are omitted from the JSON when unknown.
///
/// Field order in the JSON output is the declaration order below, then `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Stable id: `<platform>:<native id>`, or derived from the entry's guid or link.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// RFC 3339, UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// RFC 3339, UTC: when earful read the mention (metrics are a snapshot at this time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Author>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Metrics>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceInfo>,
    /// Names of the queries that matched (added by `filter`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<String>,
    /// Added by `classify`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<Sentiment>,
    /// Intent labels (added by `classify`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Fields earful does not know, passed through unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a mention is, relative to the conversation it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Post,
    Reply,
    Repost,
    Quote,
    Article,
    Comment,
}

impl Kind {
    /// All kinds, in schema order.
    pub const ALL: [Kind; 6] = [
        Kind::Post,
        Kind::Reply,
        Kind::Repost,
        Kind::Quote,
        Kind::Article,
        Kind::Comment,
    ];

    /// The wire name (`post`, `reply`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Post => "post",
            Kind::Reply => "reply",
            Kind::Repost => "repost",
            Kind::Quote => "quote",
            Kind::Article => "article",
            Kind::Comment => "comment",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Author {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Platform handle without a leading `@` or `/u/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<u64>,
}

impl Author {
    pub fn is_empty(&self) -> bool {
        *self == Author::default()
    }
}

/// Engagement counts, a snapshot taken at `collected`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reposts: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quotes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub views: Option<u64>,
    /// Net score where a platform has one (Hacker News points, Reddit score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<u64>,
}

impl Metrics {
    pub fn is_empty(&self) -> bool {
        *self == Metrics::default()
    }
}

/// Where a mention was read from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Format: `rss`, `atom`, `jsonfeed`, `x-archive`, `twarc`, `twarc2`, `snscrape`, `csv`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// The URL or file path the mention was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// The feed's or export's own title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Folder path of the source in an OPML list (`News/Tech`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// Sentiment added by `classify`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    /// In [-1, 1].
    pub score: f64,
    /// `negative`, `neutral`, `positive` or `unknown` (borrowed when classify writes it).
    pub label: Cow<'static, str>,
}

/// A borrowed, read-only view of the fields later stages look at. Unknown fields are
/// skipped while parsing (cheaply) and survive because the stage writes the original bytes.
#[derive(Debug, Default, Deserialize)]
pub struct MentionView<'a> {
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub platform: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub url: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub title: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub text: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub lang: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub published: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub author: Option<AuthorView<'a>>,
    #[serde(default)]
    pub metrics: Option<Metrics>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub in_reply_to: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::vec")]
    pub links: Vec<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::vec")]
    pub tags: Vec<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::vec")]
    pub mentions: Vec<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub source: Option<SourceView<'a>>,
    #[serde(borrow, default, deserialize_with = "borrowed::vec")]
    pub matches: Vec<Cow<'a, str>>,
    #[serde(default)]
    pub sentiment: Option<Sentiment>,
    #[serde(borrow, default, deserialize_with = "borrowed::vec")]
    pub labels: Vec<Cow<'a, str>>,
    /// Written by `route`.
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub team: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub priority: Option<Cow<'a, str>>,
    /// Written by `route --all`: every matching team.
    #[serde(borrow, default, deserialize_with = "borrowed::vec")]
    pub teams: Vec<Cow<'a, str>>,
}

/// Which fields of a [`MentionView`] [`MentionView::parse`] reads: a set of bits, one per
/// field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewFields(pub u32);

impl ViewFields {
    pub const ALL: ViewFields = ViewFields(u32::MAX);
    pub const ID: ViewFields = ViewFields(1 << 0);
    pub const PLATFORM: ViewFields = ViewFields(1 << 1);
    pub const KIND: ViewFields = ViewFields(1 << 2);
    pub const URL: ViewFields = ViewFields(1 << 3);
    pub const TITLE: ViewFields = ViewFields(1 << 4);
    pub const TEXT: ViewFields = ViewFields(1 << 5);
    pub const LANG: ViewFields = ViewFields(1 << 6);
    pub const PUBLISHED: ViewFields = ViewFields(1 << 7);
    pub const AUTHOR: ViewFields = ViewFields(1 << 8);
    pub const METRICS: ViewFields = ViewFields(1 << 9);
    pub const LINKS: ViewFields = ViewFields(1 << 10);
    pub const TAGS: ViewFields = ViewFields(1 << 11);
    pub const MENTIONS: ViewFields = ViewFields(1 << 12);
    pub const SOURCE: ViewFields = ViewFields(1 << 13);
    pub const MATCHES: ViewFields = ViewFields(1 << 14);
    pub const SENTIMENT: ViewFields = ViewFields(1 << 15);
    pub const LABELS: ViewFields = ViewFields(1 << 16);
    pub const IN_REPLY_TO: ViewFields = ViewFields(1 << 17);
    pub const TEAM: ViewFields = ViewFields(1 << 18);
    pub const PRIORITY: ViewFields = ViewFields(1 << 19);
    pub const TEAMS: ViewFields = ViewFields(1 << 20);
}

impl std::ops::BitOr for ViewFields {
    type Output = ViewFields;
    fn bitor(self, other: ViewFields) -> ViewFields {
        ViewFields(self.0 | other.0)
    }
}

impl std::ops::BitOrAssign for ViewFields {
    fn bitor_assign(&mut self, other: ViewFields) {
        self.0 |= other.0;
    }
}

/// The text fields: what [`MentionView::parse_text_fields`] reads, for stages that look at
/// nothing else. The index of a field is its bit in [`TopKeys`] (and [`SENTIMENT`]'s is the
/// next one). The one-pass reader (`mention/fast.rs`), its serde_json fallback,
/// [`TopKeys::has`] and the query language's `reads_only_text` all follow this list;
/// `tests::text_fields_are_read_and_tracked` and the query test
/// `reads_only_text_agrees_with_text_fields` fail when one of them drifts from it.
pub const TEXT_FIELDS: [&str; 6] = ["title", "text", "lang", "tags", "mentions", "labels"];

/// The `sentiment` key, which `classify` writes and [`TopKeys`] also tracks.
pub const SENTIMENT: &str = "sentiment";

/// Which top-level keys a line's object has among the [`TEXT_FIELDS`] and [`SENTIMENT`]:
/// enough for `classify` to know that the keys it writes are new.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TopKeys(u8);

impl TopKeys {
    /// Whether the object has `key` at its top level; true for a key this does not track.
    pub fn has(self, key: &str) -> bool {
        let bit = match TEXT_FIELDS.iter().position(|f| *f == key) {
            Some(bit) => bit,
            None if key == SENTIMENT => TEXT_FIELDS.len(),
            None => return true,
        };
        self.0 & 1 << bit != 0
    }
}

impl<'a> MentionView<'a> {
    /// Parses the fields of the view a stage reads (`want`; the others stay empty, though
    /// the whole line is still checked), for stages that read more than the text: a
    /// one-pass reader answers for ordinary lines, serde_json reads the rest and words the
    /// errors (and may fill fields not asked for).
    pub fn parse(line: &'a str, want: ViewFields) -> serde_json::Result<MentionView<'a>> {
        match fast::view(line, want) {
            Some(view) => Ok(view),
            None => serde_json::from_str(line),
        }
    }

    /// Parses only the [`TEXT_FIELDS`] (`title`, `text`, `lang`, `tags`, `mentions` and
    /// `labels`), leaving the other fields empty, for stages that look at nothing else. A one-pass reader answers
    /// for ordinary lines (in two thirds of serde_json's instructions); serde_json reads the
    /// rest and words the errors.
    pub fn parse_text_fields(line: &'a str) -> serde_json::Result<MentionView<'a>> {
        Self::parse_text_fields_keys(line).map(|(view, _)| view)
    }

    /// [`MentionView::parse_text_fields`], and the top-level keys among the [`TEXT_FIELDS`]
    /// and [`SENTIMENT`] when the one-pass reader saw them (`None` when serde_json read the
    /// line).
    pub fn parse_text_fields_keys(
        line: &'a str,
    ) -> serde_json::Result<(MentionView<'a>, Option<TopKeys>)> {
        match fast::text_fields(line) {
            Some((view, keys)) => Ok((view, Some(keys))),
            None => Self::parse_text_fields_serde(line).map(|view| (view, None)),
        }
    }

    /// [`MentionView::parse_text_fields`] by serde_json alone: the fields of `TextFields`
    /// are the [`TEXT_FIELDS`].
    fn parse_text_fields_serde(line: &'a str) -> serde_json::Result<MentionView<'a>> {
        #[derive(Deserialize)]
        struct TextFields<'a> {
            #[serde(borrow, default, deserialize_with = "borrowed::opt")]
            title: Option<Cow<'a, str>>,
            #[serde(borrow, default, deserialize_with = "borrowed::opt")]
            text: Option<Cow<'a, str>>,
            #[serde(borrow, default, deserialize_with = "borrowed::opt")]
            lang: Option<Cow<'a, str>>,
            #[serde(borrow, default, deserialize_with = "borrowed::vec")]
            tags: Vec<Cow<'a, str>>,
            #[serde(borrow, default, deserialize_with = "borrowed::vec")]
            mentions: Vec<Cow<'a, str>>,
            #[serde(borrow, default, deserialize_with = "borrowed::vec")]
            labels: Vec<Cow<'a, str>>,
        }
        let f: TextFields<'a> = serde_json::from_str(line)?;
        Ok(MentionView {
            title: f.title,
            text: f.text,
            lang: f.lang,
            tags: f.tags,
            mentions: f.mentions,
            labels: f.labels,
            ..MentionView::default()
        })
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AuthorView<'a> {
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub handle: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub url: Option<Cow<'a, str>>,
    #[serde(default)]
    pub followers: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SourceView<'a> {
    #[serde(borrow, default, rename = "type", deserialize_with = "borrowed::opt")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub uri: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub title: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed::opt")]
    pub group: Option<Cow<'a, str>>,
}

/// Serde borrows a `Cow<str>` field marked `borrow`, but one inside an `Option` or a `Vec`
/// is always copied into a new `String`. These borrow from the line whenever the JSON
/// string has no escapes (nearly always), so reading a view does not allocate per field.
mod borrowed {
    use std::borrow::Cow;
    use std::fmt;

    use serde::de::{Deserialize, Deserializer, Error, Visitor};

    /// A string that borrows from the input when it can.
    struct Str<'a>(Cow<'a, str>);

    impl<'de> Deserialize<'de> for Str<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct StrVisitor;
            impl<'de> Visitor<'de> for StrVisitor {
                type Value = Str<'de>;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a string")
                }

                fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                    Ok(Str(Cow::Borrowed(v)))
                }

                fn visit_str<E: Error>(self, v: &str) -> Result<Str<'de>, E> {
                    Ok(Str(Cow::Owned(v.to_owned())))
                }

                fn visit_string<E: Error>(self, v: String) -> Result<Str<'de>, E> {
                    Ok(Str(Cow::Owned(v)))
                }
            }
            d.deserialize_str(StrVisitor)
        }
    }

    pub(super) fn opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
        Ok(Option::<Str<'de>>::deserialize(d)?.map(|s| s.0))
    }

    pub(super) fn vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Cow<'de, str>>, D::Error> {
        Ok(Vec::<Str<'de>>::deserialize(d)?
            .into_iter()
            .map(|s| s.0)
            .collect())
    }
}

/// `<platform>:<native>`, the id of a mention whose source gives it a native id.
pub fn native_id(platform: &str, native: &str) -> String {
    format!("{platform}:{native}")
}

/// A deterministic id for an entry without a native id: `<platform>:<16 hex digits>` from
/// a SHA-256 of the key (the entry's guid, else its link, else title and date).
pub fn derived_id(platform: &str, key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let mut id = String::with_capacity(platform.len() + 17);
    id.push_str(platform);
    id.push(':');
    for byte in &digest[..8] {
        use std::fmt::Write;
        let _ = write!(id, "{byte:02x}");
    }
    id
}

/// Formats a timestamp as the schema wants it: RFC 3339 in UTC, whole seconds.
pub fn format_timestamp(ts: jiff::Timestamp) -> String {
    // Round down to whole seconds: feeds rarely carry more, and equal inputs must give equal output.
    let secs = ts.as_second();
    jiff::Timestamp::from_second(secs)
        .unwrap_or(ts)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values a view holds for `field`, one of [`TEXT_FIELDS`].
    fn text_field<'v>(v: &'v MentionView<'_>, field: &str) -> Vec<&'v str> {
        let list = |xs: &'v [Cow<'_, str>]| xs.iter().map(|x| x.as_ref()).collect();
        match field {
            "title" => v.title.as_deref().into_iter().collect(),
            "text" => v.text.as_deref().into_iter().collect(),
            "lang" => v.lang.as_deref().into_iter().collect(),
            "tags" => list(&v.tags),
            "mentions" => list(&v.mentions),
            "labels" => list(&v.labels),
            _ => panic!("{field} is in TEXT_FIELDS, but this test does not know it"),
        }
    }

    /// Ties the readers to [`TEXT_FIELDS`]: each field, alone on a line, is read by the
    /// one-pass reader and by its serde_json fallback as the full view reads it, and
    /// [`TopKeys`] reports it and no other.
    #[test]
    fn text_fields_are_read_and_tracked() {
        for field in TEXT_FIELDS {
            // A string or a list of strings, whichever the full view reads.
            let line = [r#""v""#, r#"["v"]"#]
                .iter()
                .map(|value| format!(r#"{{"id":"x:1","{field}":{value},"n":1}}"#))
                .find(|line| {
                    serde_json::from_str::<MentionView>(line)
                        .is_ok_and(|full| text_field(&full, field) == ["v"])
                })
                .unwrap_or_else(|| panic!("{field} is not a field of MentionView"));
            let (fast, keys) = fast::text_fields(&line).expect("a plain line");
            assert_eq!(text_field(&fast, field), ["v"], "{field} (one-pass reader)");
            let serde = MentionView::parse_text_fields_serde(&line).unwrap();
            assert_eq!(text_field(&serde, field), ["v"], "{field} (serde_json)");
            for key in TEXT_FIELDS.iter().chain([&SENTIMENT]) {
                assert_eq!(keys.has(key), *key == field, "{key} on {line}");
            }
        }
        let (_, keys) = fast::text_fields(r#"{"sentiment":{"score":0}}"#).unwrap();
        assert!(keys.has(SENTIMENT) && !keys.has("text"));
        assert!(keys.has("author"), "keys not tracked are reported present");
    }

    #[test]
    fn views_borrow_strings_without_escapes() {
        let line = r#"{"text":"plain","title":"a \"quoted\" title","tags":["x","y\u00e9"],"author":{"name":"n"},"source":{"type":"rss"}}"#;
        for view in [
            serde_json::from_str::<MentionView>(line).unwrap(),
            MentionView::parse_text_fields(line).unwrap(),
        ] {
            assert!(matches!(view.text, Some(Cow::Borrowed("plain"))));
            assert!(matches!(&view.title, Some(Cow::Owned(t)) if t == "a \"quoted\" title"));
            assert!(matches!(view.tags[0], Cow::Borrowed("x")));
            assert!(matches!(&view.tags[1], Cow::Owned(t) if t == "yé"));
        }
        let full: MentionView = serde_json::from_str(line).unwrap();
        assert!(matches!(
            full.author.unwrap().name,
            Some(Cow::Borrowed("n"))
        ));
        assert!(matches!(
            full.source.unwrap().kind,
            Some(Cow::Borrowed("rss"))
        ));
        // Missing, null and wrong types read as before.
        let view: MentionView = serde_json::from_str(r#"{"text":null}"#).unwrap();
        assert!(view.text.is_none() && view.tags.is_empty());
        let err = serde_json::from_str::<MentionView>(r#"{"text":5}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid type: integer `5`, expected a string at line 1 column 9"
        );
        assert!(serde_json::from_str::<MentionView>(r#"{"tags":null}"#).is_err());
    }

    #[test]
    fn optional_fields_are_omitted_and_order_is_stable() {
        let m = Mention {
            id: "x:1".into(),
            platform: Some("x".into()),
            kind: Some(Kind::Reply),
            text: Some("hi".into()),
            ..Mention::default()
        };
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"id":"x:1","platform":"x","kind":"reply","text":"hi"}"#
        );
    }

    #[test]
    fn unknown_fields_round_trip() {
        let line = r#"{"id":"a","my_field":{"b":[1,2]},"text":"t"}"#;
        let m: Mention = serde_json::from_str(line).unwrap();
        assert_eq!(m.extra["my_field"]["b"][1], 2);
        let out = serde_json::to_string(&m).unwrap();
        assert_eq!(out, r#"{"id":"a","text":"t","my_field":{"b":[1,2]}}"#);
    }

    #[test]
    fn derived_ids_are_deterministic() {
        let a = derived_id("web", "https://example.com/a");
        assert_eq!(a, derived_id("web", "https://example.com/a"));
        assert_ne!(a, derived_id("web", "https://example.com/b"));
        assert_eq!(a.len(), "web:".len() + 16);
    }

    #[test]
    fn view_reads_escaped_and_plain_strings() {
        let line = r#"{"id":"1","text":"caf\u00e9 \"ok\"","author":{"handle":"bob"},"x":1}"#;
        let v: MentionView = serde_json::from_str(line).unwrap();
        assert_eq!(v.text.as_deref(), Some("café \"ok\""));
        assert_eq!(v.author.unwrap().handle.as_deref(), Some("bob"));
    }

    #[test]
    fn timestamps_are_utc_seconds() {
        let ts: jiff::Timestamp = "2024-03-01T10:00:00.750+01:00".parse().unwrap();
        assert_eq!(format_timestamp(ts), "2024-03-01T09:00:00Z");
    }

    #[test]
    fn schema_doc_examples_are_canonical() {
        let doc = include_str!("../docs/schema.md");
        let lines: Vec<&str> = doc.lines().filter(|l| l.starts_with('{')).collect();
        assert!(lines.len() >= 6, "docs/schema.md has an example per kind");
        let mut kinds = std::collections::HashSet::new();
        for line in lines {
            let m: Mention = serde_json::from_str(line).unwrap();
            kinds.insert(m.kind.expect("examples have a kind"));
            assert_eq!(
                serde_json::to_string(&m).unwrap(),
                line,
                "not in schema order"
            );
        }
        let missing: Vec<_> = Kind::ALL.iter().filter(|k| !kinds.contains(k)).collect();
        assert!(missing.is_empty(), "no example for {missing:?}");
    }
}
