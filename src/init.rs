//! `earful init`: the starter files of a listening project, and the feeds a brand can be
//! heard on without an API key.

use std::fmt::Write as _;

/// What the project is about.
#[derive(Debug, Clone, Default)]
pub struct Starter {
    pub brands: Vec<String>,
    pub competitors: Vec<String>,
    /// Without `@`.
    pub handles: Vec<String>,
    /// What fetch reads; empty: the `feeds.opml` written beside.
    pub sources: Vec<String>,
}

/// A public feed about `name`, with what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub what: &'static str,
    pub name: String,
    pub url: String,
}

/// Percent-encodes a search term for a query string.
fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The feeds that listen for `name` with no account or API key: Reddit search, Hacker
/// News (hnrss), Google News search, and Mastodon's tag feed.
pub fn feeds(name: &str) -> Vec<Feed> {
    let quoted = encode(&format!("\"{name}\""));
    let tag: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let feed = |what, url: String| Feed {
        what,
        name: name.to_owned(),
        url,
    };
    vec![
        feed(
            "Reddit search",
            format!("https://www.reddit.com/search.rss?q={quoted}&sort=new"),
        ),
        feed(
            "Hacker News (hnrss)",
            format!("https://hnrss.org/newest?q={quoted}"),
        ),
        feed(
            "Google News search",
            format!("https://news.google.com/rss/search?q={quoted}&hl=en-US&gl=US&ceid=US:en"),
        ),
        feed(
            "Mastodon tag",
            format!("https://mastodon.social/tags/{tag}.rss"),
        ),
    ]
}

/// How to add what needs a step in a browser: a Google Alerts feed, a YouTube channel.
pub const MORE_FEEDS: &str = "\
- Google Alerts: at https://www.google.com/alerts create an alert for the name, choose
  \"Show options\", \"Deliver to: RSS feed\", then copy the feed's link into feeds.opml.
- YouTube: a channel's uploads are https://www.youtube.com/feeds/videos.xml?channel_id=ID
  (the ID is in the channel page's source, `channelId`).
- Any subreddit: https://www.reddit.com/r/NAME/new/.rss; any Mastodon account: its profile URL + .rss.";

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `feeds.opml`: the public feeds of every brand and competitor, one folder each.
pub fn opml(s: &Starter) -> String {
    let mut o = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head><title>earful: what to listen to</title></head>\n  <body>\n",
    );
    for name in s.brands.iter().chain(&s.competitors) {
        let _ = writeln!(o, "    <outline text=\"{}\">", escape_xml(name));
        for f in feeds(name) {
            let _ = writeln!(
                o,
                "      <outline type=\"rss\" text=\"{}: {}\" xmlUrl=\"{}\"/>",
                escape_xml(f.what),
                escape_xml(name),
                escape_xml(&f.url)
            );
        }
        o.push_str("    </outline>\n");
    }
    o.push_str("  </body>\n</opml>\n");
    o
}

/// A query name from a brand name: lower case, words joined by `_`.
fn query_name(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        "brand".to_owned()
    } else {
        words.join("_")
    }
}

/// A TOML basic string (a JSON string is one: the same escapes).
fn toml_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn toml_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", items.join(", "))
}

/// `queries.toml`: one named query per brand and competitor (the name as a phrase, and the
/// handles for the brand), to sharpen by hand.
pub fn queries(s: &Starter) -> String {
    let mut o = String::from(
        "# Named queries (earful filter --queries, docs/query.md): a mention matching one gets its\n\
         # name in `matches` (share of voice counts them); one matching none is dropped. Sharpen\n\
         # them: a bare word that is also a common word needs a NOT guard.\n",
    );
    for (table, names) in [("brands", &s.brands), ("competitors", &s.competitors)] {
        if names.is_empty() {
            continue;
        }
        let _ = writeln!(o, "\n[{table}]");
        for (i, name) in names.iter().enumerate() {
            // A phrase of the name's words: quotes and backslashes cannot end it early.
            let phrase: String = name.chars().filter(|c| !matches!(c, '"' | '\\')).collect();
            let mut terms = vec![format!("\"{phrase}\"")];
            if table == "brands" && i == 0 {
                terms.extend(s.handles.iter().map(|h| format!("@{h}")));
            }
            let _ = writeln!(
                o,
                "{} = {}",
                query_name(name),
                toml_str(&terms.join(" OR "))
            );
        }
    }
    o
}

/// `teams.toml`: starter routes.
pub const TEAMS: &str = r#"# Who owns what (earful route --routes, docs/route.md): the first route that matches sets
# `team`, `priority` and, with an sla, `due`. Rename the teams, add your own rules.

[[route]]
team = "support"
query = 'label:urgent OR (label:complaint AND (outage OR down OR "not working" OR broken))'
priority = "urgent"
sla = "2h"

[[route]]
team = "billing"
query = 'label:complaint AND (bill* OR charg* OR refund* OR invoice* OR price*)'
priority = "high"
sla = "8h"

[[route]]
team = "retention"
query = 'label:churn_risk'
priority = "high"
sla = "24h"

[[route]]
team = "product"
query = 'label:suggestion OR label:question'
priority = "normal"
sla = "72h"

[[route]]
team = "marketing"
query = 'label:praise'
priority = "low"
"#;

/// `earful.toml`, commented.
pub fn config(s: &Starter) -> String {
    let sources = if s.sources.is_empty() {
        vec!["feeds.opml".to_owned()]
    } else {
        s.sources.clone()
    };
    let name = s
        .brands
        .first()
        .cloned()
        .unwrap_or_else(|| "My brand".into());
    let handles: Vec<String> = s.handles.iter().map(|h| format!("@{h}")).collect();
    format!(
        r#"# earful.toml: this listening project. Every earful stage run in this folder (or with
# --config FILE, or EARFUL_CONFIG=FILE) takes its defaults from here; a flag on the command
# line always wins, and --no-config ignores the file. Relative paths are relative to this file.

[project]
name = {name}
# Masked before sentiment is scored (so "Nimbus" is not read as a word), and left out of
# the distinctive terms of the report.
brands = {brands}
competitors = {competitors}
# The brand's own accounts: a question they replied to is answered in the report.
handles = {handles}
# Named queries (filter, classify, route read them), routes (route), what fetch reads.
queries = "queries.toml"
routes = "teams.toml"
sources = {sources}
# Where listen.sh keeps the mentions (SQLite, upserted by id).
store = "data/mentions.db"

# Any option of a stage, by its long name, in the stage's table:
[classify]
languages = ["en"]

[report]
top = 10

[route]
default-team = "care"

# [notify]
# webhook-env = "SLACK_URL"
"#,
        name = toml_str(&name),
        brands = toml_list(&s.brands),
        competitors = toml_list(&s.competitors),
        handles = toml_list(&handles),
        sources = toml_list(&sources),
    )
}

/// `listen.sh`: the hourly job, and the weekly report with `./listen.sh report`.
pub const LISTEN: &str = r#"#!/usr/bin/env bash
# The listening job of this project (written by `earful init`; edit it freely). It reads
# earful.toml in this folder for the brands, queries, routes and sources.
#
#   ./listen.sh            every hour: fetch what is new, filter, classify, route, store,
#                          look for spikes; prints each stage's counts
#   ./listen.sh report     the report of the last 7 days (SINCE=30d for another span)
#
# Install with `crontab -e`:
#   7 * * * *   cd PROJECT && ./listen.sh >> data/listen.log 2>&1
#   30 7 * * 1  cd PROJECT && ./listen.sh report >> data/listen.log 2>&1
#
# Exit status: 0, 1 when a stage failed (its messages are in data/logs/), 3 when the last
# hour of a brand is a spike (stats --fail-on-spike: `./listen.sh || mail ...`).
set -uo pipefail
cd "$(dirname "$0")"
earful=${EARFUL:-earful}
mkdir -p data/logs
logs=data/logs
store=data/mentions.db

if [ "${1:-}" = report ]; then
  out="data/report-$(date +%F).html"
  "$earful" fetch -q "$store" --since "${SINCE:-7d}" | "$earful" report -q -o "$out"
  status=$?
  echo "report: $out"
  exit $status
fi

hour="data/new.jsonl"
"$earful" fetch -v --state data/fetch-state.json 2> "$logs/fetch.log" \
  | "$earful" filter -v 2> "$logs/filter.log" \
  | "$earful" classify -v 2> "$logs/classify.log" \
  | "$earful" route -v --split data/teams -o "$hour" 2> "$logs/route.log"
codes=("${PIPESTATUS[@]}")
"$earful" export -v -o "$store" "$hour" 2> "$logs/export.log"
codes+=($?)

# Urgent mentions to chat, each once (set [notify] webhook-env in earful.toml first):
# "$earful" filter -q 'priority:urgent' "$hour" | "$earful" notify --state data/notified.json

"$earful" fetch -q "$store" --since 3d \
  | "$earful" stats -q --by hour --group match --spikes --fail-on-spike -o data/spikes.jsonl 2> "$logs/stats.log"
spike=$?

status=0
for i in "${!codes[@]}"; do
  stage=(fetch filter classify route export)
  lines=2; [ "$i" -gt 0 ] || lines=1  # fetch's summary is its last line
  echo "${stage[$i]}: $(tail -n "$lines" "$logs/${stage[$i]}.log" | sed 's/^earful [a-z]*: //' | paste -sd '|' - | sed 's/|/; /g')"
  [ "${codes[$i]}" -eq 0 ] || { status=1; echo "  ${stage[$i]} failed (exit ${codes[$i]}): see $logs/${stage[$i]}.log"; }
done
if [ "$spike" -eq 3 ]; then
  cat "$logs/stats.log"
  [ "$status" -ne 0 ] || status=3
elif [ "$spike" -ne 0 ]; then
  status=1; echo "stats failed (exit $spike): see $logs/stats.log"
fi
exit $status
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn starter() -> Starter {
        Starter {
            brands: vec!["Nimbus Mobile".into(), "Nimbus".into()],
            competitors: vec![
                "Vireo <Telecom> & co".into(),
                "Back\\slash \"Quoted\"".into(),
            ],
            handles: vec!["NimbusHelp".into()],
            sources: Vec::new(),
        }
    }

    #[test]
    fn the_starter_files_parse() {
        let s = starter();
        let config =
            crate::config::Config::parse(&config(&s), std::path::Path::new("earful.toml")).unwrap();
        assert_eq!(config.project.brands, s.brands);
        assert_eq!(config.project.handles, ["NimbusHelp"]);
        assert_eq!(config.project.sources, ["feeds.opml"]);
        let q = crate::query::QuerySet::from_toml(&queries(&s)).unwrap();
        let names: Vec<&str> = q.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "nimbus_mobile",
                "nimbus",
                "vireo_telecom_co",
                "back_slash_quoted"
            ]
        );
        crate::route::parse_routes(TEAMS, &crate::query::QuerySet::new(), false).unwrap();
        let opml = opml(&s);
        assert!(opml.contains("Vireo &lt;Telecom&gt; &amp; co") && !opml.contains("<Telecom>"));
        assert!(opml.contains("https://hnrss.org/newest?q=%22Nimbus+Mobile%22"));
    }

    #[test]
    fn feeds_encode_the_name() {
        let f = feeds("Nimbus Mobile");
        assert_eq!(f.len(), 4);
        assert!(f.iter().all(|f| f.url.starts_with("https://")));
        assert_eq!(f[3].url, "https://mastodon.social/tags/nimbusmobile.rss");
    }
}
