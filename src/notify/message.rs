//! What a notification says: one line per mention (or spike row), in the payload a chat
//! or ticketing webhook takes.

use serde_json::{Value, json};

use crate::jsonl::LineError;
use crate::report::html::HttpUrl;
use crate::report::render::md;
use crate::stats::rows::CountRow;

/// Characters of a mention's text put in a message.
pub const TEXT_CHARS: usize = 500;

/// The webhook's payload format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// `{"text": ...}`: Slack incoming webhooks, and the Slack-compatible endpoints of
    /// Mattermost, Rocket.Chat and Discord (`/slack`).
    Slack,
    /// A Microsoft Teams message with an Adaptive Card (Teams workflows' webhooks).
    Teams,
    /// `{"text": ..., "mentions": [...]}` with the records as they came, for your own service.
    Json,
}

impl Payload {
    pub const NAMES: [&str; 3] = ["slack", "teams", "json"];

    pub fn from_name(name: &str) -> Option<Payload> {
        match name {
            "slack" => Some(Payload::Slack),
            "teams" => Some(Payload::Teams),
            "json" => Some(Payload::Json),
            _ => None,
        }
    }
}

/// One thing to notify: a mention, or a spike row of `stats --spikes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What makes it sent once: the mention's `id`, or `spike:` with the row's period and
    /// group.
    pub id: String,
    pub record: Value,
    /// A spike row rather than a mention.
    pub spike: bool,
}

impl Item {
    /// Reads one JSONL line. `Ok(None)` for a `stats` row that is not a spike (nothing to
    /// say); a mention without an `id` is malformed here (it could not be sent only once).
    pub fn parse(line: &str) -> Result<Option<Item>, LineError> {
        let record: Value = serde_json::from_str(line).map_err(|e| LineError::from_json(&e))?;
        let Some(obj) = record.as_object() else {
            return Err(LineError::Malformed(crate::jsonl::not_an_object(line)));
        };
        if obj.contains_key("period") && obj.contains_key("count") && !obj.contains_key("id") {
            let spike = ["spike", "negative_spike"]
                .iter()
                .any(|k| obj.get(*k).and_then(Value::as_bool) == Some(true));
            if !spike {
                return Ok(None);
            }
            let id = format!(
                "spike:{}:{}",
                obj["period"].as_str().unwrap_or_default(),
                obj.get("group").map_or_else(String::new, Value::to_string)
            );
            return Ok(Some(Item {
                id,
                record,
                spike: true,
            }));
        }
        match obj.get("id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => Ok(Some(Item {
                id: id.to_owned(),
                record,
                spike: false,
            })),
            _ => Err(LineError::Malformed(
                "no `id`: a mention is notified once by its id".into(),
            )),
        }
    }

    /// The link to the post, when it is an http(s) URL.
    pub fn url(&self) -> Option<HttpUrl> {
        self.record.get("url")?.as_str().and_then(HttpUrl::parse)
    }

    /// The message line, from `template` when given (see [`Template`]), else the default:
    /// `[team] label · @author: text (labels)` for a mention, `stats`' spike line for a row.
    pub fn line(&self, template: Option<&Template>) -> String {
        if let Some(t) = template {
            return t.render(&self.record);
        }
        if self.spike {
            return serde_json::from_value::<CountRow>(self.record.clone())
                .map_or_else(|_| format!("spike: {}", self.id), |row| row.spike_line());
        }
        let r = &self.record;
        let get = |path: &str| lookup(r, path).map(text_of).filter(|s| !s.is_empty());
        let mut line = String::new();
        if let Some(team) = get("team") {
            line.push_str(&format!("[{team}] "));
        }
        if let Some(p) = get("priority").filter(|p| p == "urgent" || p == "high") {
            line.push_str(&format!("{} ", p.to_uppercase()));
        }
        if let Some(s) = get("sentiment.label") {
            line.push_str(&format!("{s} · "));
        }
        if let Some(a) = get("author.handle").or_else(|| get("author.name")) {
            line.push_str(&format!("@{}: ", a.trim_start_matches('@')));
        }
        let text = get("text").or_else(|| get("title")).unwrap_or_default();
        line.push_str(&shorten(&text, TEXT_CHARS));
        if let Some(labels) = get("labels") {
            line.push_str(&format!(" ({labels})"));
        }
        line
    }
}

/// A message line with `{field}` placeholders: any dotted path of the record
/// (`{author.handle}`, `{sentiment.label}`); lists are joined with `, `, a missing field is
/// empty, `{{` and `}}` are braces. Text is cut at [`TEXT_CHARS`] characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Template(Vec<Part>);

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Field(String),
}

impl Template {
    pub fn parse(src: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = src.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) if c.is_alphanumeric() || matches!(c, '_' | '.' | '-') => {
                                name.push(c)
                            }
                            Some(c) => return Err(format!("{c:?} in a {{field}} of the template")),
                            None => {
                                return Err("a `{` is never closed (write `{{` for a brace)".into());
                            }
                        }
                    }
                    if name.is_empty() {
                        return Err("an empty `{}` in the template".into());
                    }
                    parts.push(Part::Text(std::mem::take(&mut text)));
                    parts.push(Part::Field(name));
                }
                '}' => return Err("a `}` that closes nothing (write `}}` for a brace)".into()),
                c => text.push(c),
            }
        }
        parts.push(Part::Text(text));
        Ok(Template(parts))
    }

    pub fn render(&self, record: &Value) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Field(f) => {
                    if let Some(v) = lookup(record, f) {
                        out.push_str(&shorten(&text_of(v), TEXT_CHARS));
                    }
                }
            }
        }
        out
    }
}

fn lookup<'v>(record: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(record, |v, key| v.get(key))
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Whitespace collapsed, at most `n` characters.
fn shorten(s: &str, n: usize) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= n {
        return joined;
    }
    joined.chars().take(n).chain(['…']).collect()
}

/// Slack's control characters in text (`<`, `>`, `&`) escaped, so a mention saying
/// `<!channel>` or `<https://evil|bank>` is shown, not acted on.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The body of one message about `items` (one item, or a digest of several) with `title`
/// heading a digest.
pub fn payload(
    format: Payload,
    title: Option<&str>,
    items: &[&Item],
    template: Option<&Template>,
) -> Value {
    let lines: Vec<(String, Option<HttpUrl>)> =
        items.iter().map(|i| (i.line(template), i.url())).collect();
    match format {
        Payload::Slack => {
            let mut text: Vec<String> = title
                .map(|t| format!("*{}*", slack_escape(t)))
                .into_iter()
                .collect();
            for (line, url) in &lines {
                let link = url.as_ref().map_or(String::new(), |u| {
                    format!(" <{}|post>", u.as_str().replace('|', "%7C"))
                });
                let bullet = if title.is_some() { "• " } else { "" };
                text.push(format!("{bullet}{}{link}", slack_escape(line)));
            }
            json!({"text": text.join("\n"), "unfurl_links": false, "unfurl_media": false})
        }
        Payload::Teams => {
            let mut body: Vec<Value> = title
                .map(|t| json!({"type": "TextBlock", "text": md(t), "weight": "Bolder", "wrap": true}))
                .into_iter()
                .collect();
            for (line, url) in &lines {
                let link = url.as_ref().map_or(String::new(), |u| {
                    format!(
                        " [post]({})",
                        u.as_str().replace(')', "%29").replace(' ', "%20")
                    )
                });
                body.push(json!({"type": "TextBlock", "text": format!("{}{link}", md(line)), "wrap": true}));
            }
            json!({
                "type": "message",
                "attachments": [{
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": body,
                    }
                }]
            })
        }
        Payload::Json => {
            let text: Vec<&str> = title
                .into_iter()
                .chain(lines.iter().map(|(l, _)| l.as_str()))
                .collect();
            json!({
                "text": text.join("\n"),
                "mentions": items.iter().map(|i| &i.record).collect::<Vec<_>>(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(line: &str) -> Item {
        Item::parse(line).unwrap().unwrap()
    }

    #[test]
    fn mention_lines_and_templates() {
        let m = item(
            r#"{"id":"x:1","text":"my  bill\nis wrong","team":"billing","priority":"high","author":{"handle":"maria_k"},"sentiment":{"label":"negative","score":-0.5},"labels":["complaint","urgent"],"url":"https://x.com/maria_k/status/1"}"#,
        );
        assert_eq!(
            m.line(None),
            "[billing] HIGH negative · @maria_k: my bill is wrong (complaint, urgent)"
        );
        let t = Template::parse("{{{team}}} {author.handle} {missing}{sentiment.score}").unwrap();
        assert_eq!(m.line(Some(&t)), "{billing} maria_k -0.5");
        for bad in ["{", "}", "{}", "{a b}"] {
            assert!(Template::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_and_spikes() {
        assert!(Item::parse(r#"{"text":"no id"}"#).is_err());
        assert!(Item::parse("[1]").is_err());
        let quiet = r#"{"period":"2026-03-05T00:00:00Z","group":{},"count":3,"spike":false,"negative_spike":false}"#;
        assert_eq!(Item::parse(quiet).unwrap(), None);
        let row = r#"{"period":"2026-03-05T00:00:00Z","group":{"match":"nimbus"},"count":57,"negative":40,"neutral":10,"positive":7,"unknown":0,"reach":0,"engagement":0,"baseline":12.25,"z":4.1,"spike":true,"negative_spike":false,"drivers":{"terms":[{"value":"outage","count":30,"baseline":1.0}],"authors":[],"labels":[]}}"#;
        let s = item(row);
        assert_eq!(s.id, r#"spike:2026-03-05T00:00:00Z:{"match":"nimbus"}"#);
        assert_eq!(
            s.line(None),
            "spike: 2026-03-05T00:00:00Z match=nimbus: 57 mentions, baseline 12.2, z 4.1 (terms: outage)"
        );
    }

    #[test]
    fn hostile_text_is_shown_not_acted_on() {
        let m = item(
            r#"{"id":"1","text":"<!channel> <https://evil.example|your bank> [x](javascript:alert(1)) & co","url":"javascript:alert(1)"}"#,
        );
        let slack = payload(Payload::Slack, None, &[&m], None);
        let text = slack["text"].as_str().unwrap();
        assert!(!text.contains('<') && !text.contains('>'), "{text}");
        assert!(text.contains("&lt;!channel&gt;") && text.contains("&amp; co"));
        let teams = payload(Payload::Teams, Some("Digest"), &[&m], None);
        let text = teams["attachments"][0]["content"]["body"][1]["text"]
            .as_str()
            .unwrap();
        // Markdown's brackets are escaped: no link, and none to the javascript: URL.
        assert!(
            text.contains(r"\[x\](javascript") && !text.contains("[post]"),
            "{text}"
        );
        assert!(
            !payload(Payload::Json, None, &[&m], None)["text"]
                .as_str()
                .unwrap()
                .contains("post")
        );
    }

    #[test]
    fn digests_list_every_item() {
        let a = item(r#"{"id":"1","text":"one","url":"https://e.com/1"}"#);
        let b = item(r#"{"id":"2","text":"two"}"#);
        let slack = payload(Payload::Slack, Some("earful: 2 mentions"), &[&a, &b], None);
        assert_eq!(
            slack["text"],
            "*earful: 2 mentions*\n• one <https://e.com/1|post>\n• two"
        );
        let j = payload(Payload::Json, Some("2"), &[&a, &b], None);
        assert_eq!(j["mentions"].as_array().unwrap().len(), 2);
    }
}
