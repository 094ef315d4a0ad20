//! The fields `stats` groups and ranks by (`--group`, `--top`): a few names for the schema's
//! fields, or any dotted path into the record.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::value::RawValue;

use crate::mention::{MentionView, ViewFields};

/// A field to group or rank by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// `matches`: the named queries a mention matched (one value each).
    Match,
    /// `labels`: the intents (one value each).
    Label,
    /// `sentiment.label`.
    Sentiment,
    Platform,
    Kind,
    Lang,
    /// `source.uri`, `source.title`, `source.type`, `source.group`.
    Source(SourcePart),
    /// `author.handle`, else `author.name` (`author`); or one of them.
    Author(AuthorPart),
    /// `tags`, one value each.
    Tag,
    /// `mentions` (handles mentioned), one value each.
    Mention,
    /// The host of `url`, without `www.`.
    Domain,
    /// Any other dotted path (`airline`, `extra.team`): a string is its value, a number or
    /// boolean its JSON text, a list one value per element.
    Path(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourcePart {
    Uri,
    Title,
    Type,
    Group,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorPart {
    HandleOrName,
    Handle,
    Name,
}

/// The names `--group` and `--top` know besides dotted paths, for the help and docs.
pub const NAMED: &str = "match, label, sentiment, platform, kind, lang, source, author, tag, \
                         mention, domain";

impl Field {
    /// The field a user names; any other name is a dotted path into the record.
    pub fn parse(name: &str) -> Result<Field, String> {
        let name = name.trim();
        Ok(match name {
            "match" | "matches" => Field::Match,
            "label" | "labels" => Field::Label,
            "sentiment" | "sentiment.label" => Field::Sentiment,
            "platform" => Field::Platform,
            "kind" => Field::Kind,
            "lang" => Field::Lang,
            "source" | "source.uri" => Field::Source(SourcePart::Uri),
            "source.title" => Field::Source(SourcePart::Title),
            "source.type" => Field::Source(SourcePart::Type),
            "source.group" => Field::Source(SourcePart::Group),
            "author" => Field::Author(AuthorPart::HandleOrName),
            "author.handle" => Field::Author(AuthorPart::Handle),
            "author.name" => Field::Author(AuthorPart::Name),
            "tag" | "tags" | "hashtag" | "hashtags" => Field::Tag,
            "mention" | "mentions" => Field::Mention,
            "domain" | "domains" => Field::Domain,
            _ => {
                let parts: Vec<String> = name.split('.').map(str::to_owned).collect();
                if name.is_empty() || parts.iter().any(String::is_empty) {
                    return Err(format!(
                        "expected a field name ({NAMED}) or a dotted path, found {name:?}"
                    ));
                }
                Field::Path(parts)
            }
        })
    }

    /// The fields of the mention view this field reads.
    pub fn reads(&self) -> ViewFields {
        match self {
            Field::Match => ViewFields::MATCHES,
            Field::Label => ViewFields::LABELS,
            Field::Sentiment => ViewFields::SENTIMENT,
            Field::Platform => ViewFields::PLATFORM,
            Field::Kind => ViewFields::KIND,
            Field::Lang => ViewFields::LANG,
            Field::Source(_) => ViewFields::SOURCE,
            Field::Author(_) => ViewFields::AUTHOR,
            Field::Tag => ViewFields::TAGS,
            Field::Mention => ViewFields::MENTIONS,
            Field::Domain => ViewFields::URL,
            Field::Path(_) => ViewFields(0),
        }
    }

    /// Whether reading this field needs the record beyond the mention view.
    pub fn is_path(&self) -> bool {
        matches!(self, Field::Path(_))
    }

    /// Appends the values of this field in a mention to `out` (`None` when it has none).
    /// `extra` holds the record's top-level fields when a [`Field::Path`] is read.
    pub fn values<'a>(
        &self,
        m: &'a MentionView<'a>,
        extra: &Extra<'a>,
        out: &mut Vec<Option<Cow<'a, str>>>,
    ) {
        let start = out.len();
        let one = |v: &'a Option<Cow<'a, str>>| v.as_deref().map(Cow::Borrowed);
        match self {
            Field::Match => out.extend(m.matches.iter().map(|v| Some(Cow::Borrowed(&**v)))),
            Field::Label => out.extend(m.labels.iter().map(|v| Some(Cow::Borrowed(&**v)))),
            Field::Tag => out.extend(m.tags.iter().map(|v| Some(Cow::Borrowed(&**v)))),
            Field::Mention => out.extend(m.mentions.iter().map(|v| Some(Cow::Borrowed(&**v)))),
            Field::Sentiment => out.push(
                m.sentiment
                    .as_ref()
                    .map(|s| Cow::Borrowed(s.label.as_ref())),
            ),
            Field::Platform => out.push(one(&m.platform)),
            Field::Kind => out.push(one(&m.kind)),
            Field::Lang => out.push(one(&m.lang)),
            Field::Domain => out.push(
                m.url
                    .as_deref()
                    .map(crate::query::url_host)
                    .filter(|h| !h.is_empty())
                    .map(Cow::Borrowed),
            ),
            Field::Source(part) => out.push(m.source.as_ref().and_then(|s| {
                one(match part {
                    SourcePart::Uri => &s.uri,
                    SourcePart::Title => &s.title,
                    SourcePart::Type => &s.kind,
                    SourcePart::Group => &s.group,
                })
            })),
            Field::Author(part) => out.push(m.author.as_ref().and_then(|a| match part {
                AuthorPart::HandleOrName => one(&a.handle).or_else(|| one(&a.name)),
                AuthorPart::Handle => one(&a.handle),
                AuthorPart::Name => one(&a.name),
            })),
            Field::Path(path) => extra.values(path, out),
        }
        // Each distinct value once: a mention that matched `a` twice counts once for `a`.
        let mut i = start;
        while i < out.len() {
            if out[start..i].contains(&out[i]) {
                out.remove(i);
            } else {
                i += 1;
            }
        }
        if out.len() == start {
            out.push(None);
        }
    }
}

/// A record's top-level fields, kept as raw JSON, for [`Field::Path`]s.
#[derive(Debug, Default)]
pub struct Extra<'a> {
    fields: HashMap<String, &'a RawValue>,
}

impl<'a> Extra<'a> {
    /// Reads the top-level fields of `line` (already known to be a JSON object).
    pub fn read(line: &'a str) -> serde_json::Result<Extra<'a>> {
        Ok(Extra {
            fields: serde_json::from_str(line)?,
        })
    }

    fn values(&self, path: &[String], out: &mut Vec<Option<Cow<'a, str>>>) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        let Some(mut raw) = self.fields.get(first).copied() else {
            return;
        };
        for key in rest {
            let object: Option<HashMap<String, &'a RawValue>> =
                serde_json::from_str(raw.get()).ok();
            match object.and_then(|mut o| o.remove(key)) {
                Some(inner) => raw = inner,
                None => return,
            }
        }
        push_raw(raw, out, true);
    }
}

/// A raw JSON value as group values: a string as itself, `null` as none, a list one value
/// per element (not nested further), anything else as its JSON text.
fn push_raw<'a>(raw: &'a RawValue, out: &mut Vec<Option<Cow<'a, str>>>, top: bool) {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => {
            let s = match serde_json::from_str::<&'a str>(text) {
                Ok(s) => Some(Cow::Borrowed(s)),
                Err(_) => serde_json::from_str::<String>(text).ok().map(Cow::Owned),
            };
            out.push(s);
        }
        Some(b'n') => {}
        Some(b'[') if top => {
            if let Ok(items) = serde_json::from_str::<Vec<&'a RawValue>>(text) {
                for item in items {
                    push_raw(item, out, false);
                }
            }
        }
        _ => out.push(Some(Cow::Borrowed(text))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(field: &str, line: &str) -> Vec<Option<String>> {
        let m: MentionView = serde_json::from_str(line).unwrap();
        let extra = Extra::read(line).unwrap();
        let mut out = Vec::new();
        Field::parse(field).unwrap().values(&m, &extra, &mut out);
        out.into_iter().map(|v| v.map(Cow::into_owned)).collect()
    }

    fn some(v: &[&str]) -> Vec<Option<String>> {
        v.iter().map(|s| Some((*s).to_owned())).collect()
    }

    #[test]
    fn named_fields_read_the_schema() {
        let line = r#"{"id":"x:1","platform":"x","url":"https://www.example.com/a?b","matches":["a","b","a"],"author":{"name":"N"},"sentiment":{"score":0.5,"label":"positive"},"source":{"type":"rss","uri":"u"}}"#;
        assert_eq!(values("match", line), some(&["a", "b"]));
        assert_eq!(values("author", line), some(&["N"]));
        assert_eq!(values("author.handle", line), vec![None]);
        assert_eq!(values("sentiment", line), some(&["positive"]));
        assert_eq!(values("domain", line), some(&["example.com"]));
        assert_eq!(values("source", line), some(&["u"]));
        assert_eq!(values("labels", line), vec![None]);
    }

    #[test]
    fn paths_reach_any_field() {
        let line = r#"{"id":"1","airline":"United","n":3,"deep":{"team":["x","y"],"e":"\u00e9"},"z":null}"#;
        assert_eq!(values("airline", line), some(&["United"]));
        assert_eq!(values("n", line), some(&["3"]));
        assert_eq!(values("deep.team", line), some(&["x", "y"]));
        assert_eq!(values("deep.e", line), some(&["é"]));
        assert_eq!(values("z", line), vec![None]);
        assert_eq!(values("nosuch.field", line), vec![None]);
        assert!(Field::parse("a..b").is_err());
        assert!(Field::parse("").is_err());
    }
}
