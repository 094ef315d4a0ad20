//! `earful route`: which team owns a mention.
//!
//! A routes file is an ordered list of rules in the query language, each naming a team, a
//! priority and optionally an SLA:
//!
//! ```toml
//! [[route]]
//! team = "billing"
//! query = 'label:complaint AND (bill* OR charge* OR refund*)'
//! priority = "high"
//! sla = "4h"
//! ```
//!
//! [`Router::route_line`] adds `team`, `priority` and, with an SLA and a `published` time,
//! `due` to a mention (the first rule that matches, or every one with `--all`, which also
//! writes `teams`); every other byte of the line is kept.

pub mod split;

use std::fmt::Write as _;
use std::time::Duration;

use crate::jsonl::{LineError, set_fields};
use crate::mention::{MentionView, ViewFields};
use crate::query::{Query, QuerySet};
use crate::stats::period::{format_utc, parse_published};

/// How soon a team should look at a mention, most pressing first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Urgent,
    High,
    Normal,
    Low,
}

impl Priority {
    pub const NAMES: [&str; 4] = ["urgent", "high", "normal", "low"];

    pub fn from_name(name: &str) -> Option<Priority> {
        match name {
            "urgent" => Some(Priority::Urgent),
            "high" => Some(Priority::High),
            "normal" => Some(Priority::Normal),
            "low" => Some(Priority::Low),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Priority::NAMES[self as usize]
    }
}

/// One rule of a routes file.
#[derive(Debug, Clone)]
pub struct Route {
    pub team: String,
    pub query: Query,
    pub priority: Priority,
    pub sla: Option<Duration>,
    /// Its line in the routes file.
    pub line: usize,
}

/// A routes file that cannot be used: what is wrong and on which line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map_or(String::new(), |l| format!("line {l}: ")))]
pub struct RouteError {
    pub line: Option<usize>,
    pub message: String,
}

/// Whether `name` can be a team: letters, digits, `.`, `_` and `-`, not starting with `.`
/// (it names a file under `--split`), at most 64 characters.
pub fn valid_team(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

const KEYS: [&str; 4] = ["team", "query", "priority", "sla"];

/// Reads the `[[route]]` tables of `src`, in order. Queries may name the queries of
/// `named` (`@brand`). A rule that cannot parse, lacks a team or a query, has a key this
/// version does not know, or can never match (a contradiction in its query, or, unless
/// `all`, the same query as an earlier rule) is an error with its line.
pub fn parse_routes(src: &str, named: &QuerySet, all: bool) -> Result<Vec<Route>, RouteError> {
    let line_of = |span: Option<std::ops::Range<usize>>| {
        span.map(|s| {
            src.as_bytes()[..s.start.min(src.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1
        })
    };
    let doc = toml_edit::Document::parse(src).map_err(|e| RouteError {
        line: line_of(e.span()),
        message: format!("invalid TOML: {}", e.message().trim()),
    })?;
    let err = |line, message: String| RouteError { line, message };
    for (key, item) in doc.as_table().iter() {
        if key != "route" {
            let line = line_of(doc.as_table().key(key).and_then(|k| k.span()));
            return Err(err(
                line,
                format!("unknown key `{key}`: a routes file holds [[route]] tables"),
            ));
        }
        if !item.is_array_of_tables() {
            return Err(err(
                line_of(item.span()),
                "`route` must be [[route]] tables".into(),
            ));
        }
    }
    let Some(tables) = doc.get("route").and_then(|i| i.as_array_of_tables()) else {
        return Err(err(None, "no [[route]] table: nothing to route by".into()));
    };
    let mut routes: Vec<Route> = Vec::new();
    for table in tables.iter() {
        let line = line_of(table.span());
        for (key, _) in table.iter() {
            if !KEYS.contains(&key) {
                return Err(err(
                    line_of(table.key(key).and_then(|k| k.span())).or(line),
                    format!("unknown key `{key}` (expected one of: {})", KEYS.join(", ")),
                ));
            }
        }
        let text = |key: &str| -> Result<Option<&str>, RouteError> {
            match table.get(key) {
                None => Ok(None),
                Some(item) => item.as_str().map(Some).ok_or_else(|| {
                    err(
                        line,
                        format!("`{key}` must be a string, found {}", item.type_name()),
                    )
                }),
            }
        };
        let team = text("team")?.ok_or_else(|| err(line, "a route needs a `team`".into()))?;
        if !valid_team(team) {
            return Err(err(
                line,
                format!(
                    "team {team:?}: use letters, digits, `.`, `_` and `-` (it names a file under --split)"
                ),
            ));
        }
        let src = text("query")?.ok_or_else(|| err(line, "a route needs a `query`".into()))?;
        let query = Query::parse_with(src, named)
            .map_err(|e| err(line, format!("team {team}: query:\n{}", e.render(src))))?;
        if let Some(why) = query.never_matches() {
            return Err(err(
                line,
                format!("team {team}: the query can never match: {why}"),
            ));
        }
        if !all && let Some(earlier) = routes.iter().find(|r| r.query == query) {
            return Err(err(
                line,
                format!(
                    "team {team}: the query can never match: the route of line {} has the same query and comes first (pass --all to route to both)",
                    earlier.line
                ),
            ));
        }
        let priority = match text("priority")? {
            None => Priority::Normal,
            Some(p) => Priority::from_name(p).ok_or_else(|| {
                err(
                    line,
                    format!(
                        "priority {p:?}: expected one of {}",
                        Priority::NAMES.join(", ")
                    ),
                )
            })?,
        };
        let sla = text("sla")?
            .map(|s| crate::time::parse_duration(s).map_err(|e| err(line, format!("sla: {e}"))))
            .transpose()?;
        routes.push(Route {
            team: team.to_owned(),
            query,
            priority,
            sla,
            line: line.unwrap_or(0),
        });
    }
    Ok(routes)
}

/// Routes mentions: fixed for a run, shared by threads.
#[derive(Debug, Clone)]
pub struct Router {
    routes: Vec<Route>,
    all: bool,
    default_team: Option<String>,
}

impl Router {
    /// `default_team` is given to mentions no rule matches; without one they get no team.
    pub fn new(routes: Vec<Route>, all: bool, default_team: Option<String>) -> Router {
        Router {
            routes,
            all,
            default_team,
        }
    }

    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// Writes `line` to `out` with its route's fields added, and returns its team (`None`
    /// when no rule matched and there is no default team; the line is then written
    /// unchanged).
    pub fn route_line(&self, line: &str, out: &mut Vec<u8>) -> Result<Option<&str>, LineError> {
        let m = MentionView::parse(line, ViewFields::ALL).map_err(|e| LineError::from_json(&e))?;
        let mut hits = self.routes.iter().filter(|r| r.query.matches(&m));
        let first = hits.next();
        let (team, priority, due) = match first {
            Some(r) => {
                let due = r.sla.zip(m.published.as_deref().and_then(parse_published));
                let due = due.map(|(sla, t)| {
                    format_utc(t.saturating_add(i64::try_from(sla.as_secs()).unwrap_or(i64::MAX)))
                });
                (r.team.as_str(), r.priority, due)
            }
            None => match &self.default_team {
                Some(t) => (t.as_str(), Priority::Normal, None),
                None => {
                    out.extend_from_slice(line.trim_end().as_bytes());
                    out.push(b'\n');
                    return Ok(None);
                }
            },
        };
        let json = |s: &str| serde_json::Value::from(s).to_string();
        let (team_json, priority_json) = (json(team), json(priority.as_str()));
        let mut fields = vec![
            ("team", team_json.as_str()),
            ("priority", priority_json.as_str()),
        ];
        let due_json = due.map(|d| json(&d));
        if let Some(d) = &due_json {
            fields.push(("due", d));
        }
        let mut teams = String::new();
        if self.all {
            let mut names: Vec<&str> = vec![team];
            for r in hits {
                if !names.contains(&r.team.as_str()) {
                    names.push(&r.team);
                }
            }
            teams.push('[');
            for (i, n) in names.iter().enumerate() {
                let _ = write!(teams, "{}{}", if i > 0 { "," } else { "" }, json(n));
            }
            teams.push(']');
            fields.push(("teams", &teams));
        }
        set_fields(line, &fields, out)?;
        out.push(b'\n');
        Ok(Some(team))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: &str = r#"
[[route]]
team = "network"
query = 'label:urgent AND (outage OR "no signal")'
priority = "urgent"
sla = "1h"

[[route]]
team = "billing"
query = 'bill* OR refund*'
priority = "high"
"#;

    fn route(routes: &str, all: bool, default: Option<&str>, line: &str) -> serde_json::Value {
        let r = parse_routes(routes, &QuerySet::new(), all).unwrap();
        let router = Router::new(r, all, default.map(str::to_owned));
        let mut out = Vec::new();
        router.route_line(line, &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn the_first_match_wins_unless_all() {
        let line = r#"{"id":"1","text":"outage and a refund","labels":["urgent"],"published":"2026-03-01T10:00:00Z","extra":{"k":1}}"#;
        let v = route(ROUTES, false, None, line);
        assert_eq!(v["team"], "network");
        assert_eq!(v["priority"], "urgent");
        assert_eq!(v["due"], "2026-03-01T11:00:00Z");
        assert_eq!(v["extra"]["k"], 1);
        assert!(v.get("teams").is_none());
        let v = route(ROUTES, true, None, line);
        assert_eq!(v["teams"], serde_json::json!(["network", "billing"]));
        let v = route(ROUTES, false, None, r#"{"id":"2","text":"my bill"}"#);
        assert_eq!((v["team"].as_str(), v.get("due")), (Some("billing"), None));
    }

    #[test]
    fn unmatched_gets_the_default_or_nothing() {
        let line = r#"{"id":"3","text":"hello"}"#;
        assert_eq!(route(ROUTES, false, Some("care"), line)["team"], "care");
        let v = route(ROUTES, false, None, line);
        assert!(v.get("team").is_none() && v.get("priority").is_none());
    }

    #[test]
    fn bad_routes_name_their_line() {
        let bad = |src: &str, all: bool| parse_routes(src, &QuerySet::new(), all).unwrap_err();
        let e = bad("[[route]]\nteam = \"a\"\nquery = 'x AND NOT x'\n", false);
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("can never match"), "{e}");
        let e = bad(
            "[[route]]\nteam = \"a\"\nquery = 'x'\n\n[[route]]\nteam = \"b\"\nquery = 'x'\n",
            false,
        );
        assert_eq!(e.line, Some(5));
        assert!(e.to_string().contains("line 1 has the same query"), "{e}");
        assert!(
            parse_routes(
                "[[route]]\nteam = \"a\"\nquery = 'x'\n[[route]]\nteam = \"b\"\nquery = 'x'\n",
                &QuerySet::new(),
                true
            )
            .is_ok()
        );
        assert_eq!(
            bad("[[route]]\nteam = \"a\"\nquery = '(x'\n", false).line,
            Some(1)
        );
        assert!(
            bad("[[route]]\nteam = \"../etc\"\nquery = 'x'\n", false)
                .message
                .contains("letters")
        );
        assert!(
            bad(
                "[[route]]\nteam = \"a\"\nquery = 'x'\nsla = \"soon\"\n",
                false
            )
            .message
            .contains("sla")
        );
        assert!(
            bad("[[route]]\nteam = \"a\"\nquery = 'x'\ncolour = 1\n", false)
                .message
                .contains("unknown key")
        );
        assert!(
            bad(
                "[[route]]\nteam = \"a\"\nquery = 'x'\npriority = \"asap\"\n",
                false
            )
            .message
            .contains("expected one of")
        );
        assert!(
            bad("[[route]]\nquery = 'x'\n", false)
                .message
                .contains("needs a `team`")
        );
        assert_eq!(bad("x = 1\n\n[[route]]\n", false).line, Some(1));
        assert!(bad("", false).message.contains("no [[route]]"));
        assert_eq!(
            bad("[[route]]\nteam = \"a\"\nquery = 'x\n", false).line,
            Some(3)
        );
    }
}
