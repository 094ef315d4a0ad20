//! Writing a [`Summary`] as one self-contained HTML page (inline CSS and SVG, no script, a
//! Content-Security-Policy that forbids scripts) or as Markdown.

use std::fmt::Write as _;

use super::chart::{self, SENTIMENTS, Series};
use super::html::{Html, HttpUrl};
use super::{Quote, Summary, Totals};
use crate::stats::period::format_utc;
use crate::stats::rows::CountRow;

/// What a report is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

impl Format {
    /// `--format`, else the `-o` extension, else HTML (as export resolves its formats).
    pub fn resolve(
        format: Option<&str>,
        output: Option<&std::path::Path>,
    ) -> Result<Format, String> {
        crate::export::resolve_format(format, output, Format::Html, &["html", "md"], |name| {
            match name.to_ascii_lowercase().as_str() {
                "html" | "htm" => Some(Format::Html),
                "md" | "markdown" => Some(Format::Markdown),
                _ => None,
            }
        })
    }

    /// The document.
    pub fn render(self, s: &Summary, meta: &Meta) -> String {
        match self {
            Format::Html => html(s, meta),
            Format::Markdown => markdown(s, meta),
        }
    }
}

/// Where the numbers come from, for the method note.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: String,
    /// The inputs as named (`<stdin>` for stdin).
    pub inputs: Vec<String>,
    pub lines: u64,
    pub skipped: u64,
    pub version: String,
    pub command: String,
}

const STYLE: &str = "<style>
:root{--neg:#c0392b;--neu:#95a5a6;--pos:#27ae60;--unk:#d5d8dc;--ink:#1c2833;--mute:#5d6d7e;--line:#d6dbdf}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);margin:0 auto;max-width:960px;padding:16px;overflow-wrap:anywhere}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;border-bottom:2px solid var(--line);padding-bottom:.2em;margin-top:1.8em}
.sub,.mute{color:var(--mute)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 10px}.card b{display:block;font-size:1.5em}
svg.chart{width:100%;height:auto;display:block}svg text{font-size:12px;fill:var(--mute)}
.neg{fill:var(--neg)}.neu{fill:var(--neu)}.pos{fill:var(--pos)}.unk{fill:var(--unk)}.bar{fill:#2e86c1}.spike{fill:#f39c12;stroke:#000}.axis{stroke:var(--line)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:16px}
blockquote{margin:.5em 0;padding:.3em .8em;border-left:3px solid var(--line)}
.terms span{display:inline-block;background:#eaf2f8;border-radius:4px;padding:0 6px;margin:2px}
.urgent{color:var(--neg);font-weight:600}
.legend span{margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.line0{--c:#2e86c1}.line1{--c:#e67e22}.line2{--c:#8e44ad}.line3{--c:#16a085}.line4{--c:#c0392b}.line5{--c:#7f8c8d}.line6{--c:#b7950b}.line7{--c:#1c2833}
[class^=line]>polyline{fill:none;stroke:var(--c);stroke-width:2}[class^=line]>circle{fill:var(--c)}.legend i[class^=line]{background:var(--c)}
.legend .neg{background:var(--neg)}.legend .neu{background:var(--neu)}.legend .pos{background:var(--pos)}.legend .unk{background:var(--unk)}
@media print{body{max-width:none}h2{break-after:avoid}section{break-inside:avoid-page}details{display:block}}
</style>";

/// A trend chart's data: one series per group over the periods.
struct Trend {
    title: String,
    periods: Vec<String>,
    series: Vec<Series>,
    /// Shares (shown as percentages) rather than counts.
    percent: bool,
}

impl Trend {
    fn show(&self, v: f64) -> String {
        if self.percent {
            pct(Some(v))
        } else {
            format!("{v}")
        }
    }
}

/// Share of voice per match and mentions per label over time, for the groups with the most
/// mentions (at most [`chart::MAX_SERIES`] each).
fn trends(s: &Summary) -> [Trend; 2] {
    let names = |totals: &[(String, Totals)]| -> Vec<String> {
        totals
            .iter()
            .filter(|(n, _)| n != "(none)")
            .take(chart::MAX_SERIES)
            .map(|(n, _)| n.clone())
            .collect()
    };
    let make = |title: String, rows: &[CountRow], totals, percent: bool| {
        let names = names(totals);
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (periods, series) = super::series(rows, &names, |r| {
            if percent {
                r.share.unwrap_or(0.0)
            } else {
                r.count as f64
            }
        });
        Trend {
            title,
            periods,
            series,
            percent,
        }
    };
    let unit = s.unit.as_str();
    [
        make(
            format!("Share of voice per {unit}"),
            &s.match_trend,
            &s.matches,
            true,
        ),
        make(
            format!("Mentions per label per {unit}"),
            &s.label_trend,
            &s.labels,
            false,
        ),
    ]
}

/// A trend as a legend, a line chart and its table.
fn trend_html(h: &mut Html, t: &Trend) {
    if t.series.is_empty() {
        return;
    }
    h.elem("h3", &[], &t.title);
    h.open("p", &[("class", "legend")]);
    for (k, (name, _)) in t.series.iter().enumerate() {
        h.open("span", &[])
            .open("i", &[("class", &format!("line{k}"))])
            .close()
            .text(name)
            .close();
    }
    h.close();
    chart::lines(h, &t.title, &t.periods, &t.series, |v| t.show(v));
    h.open("details", &[]).elem("summary", &[], "Table");
    let mut heads = vec!["period"];
    heads.extend(t.series.iter().map(|(n, _)| n.as_str()));
    table_head(h, &heads);
    for (i, period) in t.periods.iter().enumerate() {
        let mut cells = vec![period.clone()];
        cells.extend(t.series.iter().map(|(_, v)| t.show(v[i])));
        table_row(h, &cells);
    }
    table_end(h);
    h.close();
}

/// A trend as a Markdown table.
fn trend_md(o: &mut String, t: &Trend) {
    if t.series.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n### {}\n", md(&t.title));
    let names: Vec<String> = t.series.iter().map(|(n, _)| md(n)).collect();
    let _ = writeln!(
        o,
        "| period | {} |\n|---|{}",
        names.join(" | "),
        "---:|".repeat(names.len())
    );
    for (i, period) in t.periods.iter().enumerate() {
        let cells: Vec<String> = t.series.iter().map(|(_, v)| t.show(v[i])).collect();
        let _ = writeln!(o, "| {period} | {} |", cells.join(" | "));
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{:.1}%", x * 100.0))
}

fn signed(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{:+.2}", x))
}

/// The change from `before` to `now`, as a signed percentage.
pub fn change(now: u64, before: Option<u64>) -> String {
    match before {
        Some(0) if now > 0 => "new".to_owned(),
        Some(b) if b > 0 => format!("{:+.1}%", (now as f64 - b as f64) / b as f64 * 100.0),
        _ => "–".to_owned(),
    }
}

/// The period the report covers, as text.
pub fn period(s: &Summary) -> String {
    match (s.window, s.volume.first(), s.volume.last()) {
        (Some((a, b)), _, _) => format!("{} to {}", format_utc(a), format_utc(b)),
        (None, Some(first), Some(last)) => {
            format!("{} to {} (the input's span)", first.period, last.period)
        }
        _ => "no dated mentions".to_owned(),
    }
}

fn headline(s: &Summary) -> Vec<(&'static str, String)> {
    let t = &s.total;
    vec![
        ("Mentions", t.count.to_string()),
        ("Change vs previous period", change(t.count, s.previous)),
        ("Negative", pct(t.share(t.negative))),
        ("Neutral", pct(t.share(t.neutral))),
        ("Positive", pct(t.share(t.positive))),
        ("Net sentiment", signed(t.net())),
        ("Unique authors", s.authors.to_string()),
        ("Reach", t.reach.to_string()),
    ]
}

fn table_head(h: &mut Html, heads: &[&str]) {
    h.open("div", &[("class", "scroll")])
        .open("table", &[])
        .open("thead", &[])
        .open("tr", &[]);
    for (i, head) in heads.iter().enumerate() {
        h.elem("th", &[("class", if i == 0 { "" } else { "n" })], head);
    }
    h.close().close().open("tbody", &[]);
}

fn table_row(h: &mut Html, cells: &[String]) {
    h.open("tr", &[]);
    for (i, c) in cells.iter().enumerate() {
        h.elem("td", &[("class", if i == 0 { "" } else { "n" })], c);
    }
    h.close();
}

fn table_end(h: &mut Html) {
    h.close().close().close();
}

fn sentiment_cells(name: &str, t: &Totals) -> Vec<String> {
    vec![
        name.to_owned(),
        t.count.to_string(),
        t.negative.to_string(),
        t.neutral.to_string(),
        t.positive.to_string(),
        t.unknown.to_string(),
        signed(t.net()),
    ]
}

const SENTIMENT_HEADS: [&str; 7] = [
    "", "mentions", "negative", "neutral", "positive", "unknown", "net",
];

fn quote_html(h: &mut Html, q: &Quote, end: Option<i64>) {
    h.open("blockquote", &[]).text(&q.text).void("br", &[]);
    h.open("small", &[("class", "mute")]);
    let when = q.age(end).map_or(q.published.clone(), |age| {
        format!("{} ({age} before the end of the period)", q.published)
    });
    h.text(&format!("{} · {} followers · {when} · ", q.author, q.reach));
    match &q.url {
        Some(url) => h.link(url, "open the post"),
        None => h.text(&q.id),
    };
    h.close().close();
}

/// The report as one HTML page.
pub fn html(s: &Summary, meta: &Meta) -> String {
    let mut h = Html::new();
    h.trusted("<!DOCTYPE html>\n");
    h.open("html", &[("lang", "en")]).open("head", &[]);
    h.void("meta", &[("charset", "utf-8")]);
    h.void(
        "meta",
        &[
            ("http-equiv", "Content-Security-Policy"),
            (
                "content",
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'",
            ),
        ],
    );
    h.void(
        "meta",
        &[
            ("name", "viewport"),
            ("content", "width=device-width, initial-scale=1"),
        ],
    );
    h.void(
        "meta",
        &[
            ("name", "generator"),
            ("content", &format!("earful {}", meta.version)),
        ],
    );
    h.elem("title", &[], &meta.title);
    h.trusted(STYLE);
    h.close().open("body", &[]);
    h.elem("h1", &[], &meta.title);
    h.elem("p", &[("class", "sub")], &period(s));

    h.open("section", &[("id", "headline")])
        .elem("h2", &[], "Headline numbers");
    h.open("div", &[("class", "cards")]);
    for (name, value) in headline(s) {
        h.open("div", &[("class", "card")])
            .elem("b", &[], &value)
            .text(name)
            .close();
    }
    h.close().close();

    h.open("section", &[("id", "volume")]);
    h.elem(
        "h2",
        &[],
        &format!("Volume per {} by sentiment", s.unit.as_str()),
    );
    h.open("p", &[("class", "legend")]);
    for (name, class) in SENTIMENTS {
        h.open("span", &[])
            .open("i", &[("class", class)])
            .close()
            .text(name)
            .close();
    }
    h.open("span", &[])
        .text("● spike (its drivers in the tooltip and the table)")
        .close();
    h.close();
    chart::volume(&mut h, &s.volume);
    h.open("details", &[]).elem("summary", &[], "Table");
    table_head(
        &mut h,
        &[
            "period", "mentions", "negative", "neutral", "positive", "unknown", "spike",
        ],
    );
    for row in &s.volume {
        let spike = row
            .spike
            .as_ref()
            .filter(|x| x.spike || x.negative_spike)
            .map_or(String::new(), |x| {
                let what = if x.spike { "spike" } else { "negative spike" };
                x.drivers
                    .as_ref()
                    .map_or(what.to_owned(), |d| format!("{what}: {d}"))
            });
        let mut cells = vec![row.period.clone(), row.count.to_string()];
        cells.extend(
            SENTIMENTS
                .iter()
                .map(|(n, _)| chart::sentiment_count(row, n).to_string()),
        );
        cells.push(spike);
        table_row(&mut h, &cells);
    }
    table_end(&mut h);
    h.close().close();

    h.open("section", &[("id", "share-of-voice")]).elem(
        "h2",
        &[],
        "Share of voice and sentiment per brand",
    );
    if s.matches.iter().all(|(n, _)| n == "(none)") {
        h.elem(
            "p",
            &[("class", "mute")],
            "No named queries matched (run earful filter --queries first).",
        );
    } else {
        let rows: Vec<(String, u64)> = s
            .matches
            .iter()
            .map(|(n, t)| (n.clone(), t.count))
            .collect();
        chart::bars(&mut h, "Mentions per named query", &rows, "mentions");
        let all: u64 = rows.iter().map(|r| r.1).sum();
        let mut heads = SENTIMENT_HEADS.to_vec();
        heads[0] = "match";
        heads.push("share");
        table_head(&mut h, &heads);
        for (name, t) in &s.matches {
            let mut cells = sentiment_cells(name, t);
            cells.push(pct((all > 0).then(|| t.count as f64 / all as f64)));
            table_row(&mut h, &cells);
        }
        table_end(&mut h);
    }
    let [share_trend, label_trend] = trends(s);
    trend_html(&mut h, &share_trend);
    h.close();

    h.open("section", &[("id", "topics")])
        .elem("h2", &[], "What people talk about");
    trend_html(&mut h, &label_trend);
    for (label, t) in s.labels.iter().filter(|(n, _)| n != "(none)") {
        h.elem(
            "h3",
            &[],
            &format!("{label}: {} mentions, net {}", t.count, signed(t.net())),
        );
        if let Some(row) = s
            .terms
            .iter()
            .find(|r| r.group.values().next().and_then(|v| v.as_str()) == Some(label))
        {
            h.open("p", &[("class", "terms")]);
            for term in &row.terms {
                h.elem(
                    "span",
                    &[("title", &format!("{} times, z {:.1}", term.count, term.z))],
                    &term.term,
                );
            }
            h.close();
        }
        for q in s.quotes.get(label).into_iter().flatten() {
            quote_html(&mut h, q, s.end);
        }
    }
    h.close();

    h.open("section", &[("id", "needs-an-answer")])
        .elem("h2", &[], "Needs an answer");
    let who = if s.brand_handles.is_empty() {
        "no --brand-handle given: every question and complaint is listed".to_owned()
    } else {
        format!(
            "questions and complaints with no reply from @{}",
            s.brand_handles.join(", @")
        )
    };
    h.elem(
        "p",
        &[("class", "mute")],
        &format!("{who}; urgent and churn risk first, then by reach."),
    );
    h.open("ol", &[]);
    for q in &s.open {
        h.open("li", &[]);
        if q.urgent {
            h.elem("span", &[("class", "urgent")], "urgent ");
        }
        h.elem(
            "span",
            &[("class", "mute")],
            &format!("[{}] ", q.labels.join(", ")),
        );
        quote_html(&mut h, q, s.end);
        h.close();
    }
    h.close().close();

    h.open("section", &[("id", "top")]).elem(
        "h2",
        &[],
        "Top authors, sources, hashtags and domains",
    );
    h.open("div", &[("class", "grid")]);
    for (title, rows) in &s.tops {
        h.open("div", &[]);
        table_head(&mut h, &[title, "mentions"]);
        for (v, c) in rows {
            table_row(&mut h, &[v.clone(), c.to_string()]);
        }
        table_end(&mut h);
        h.close();
    }
    h.close().close();

    h.open("section", &[("id", "languages")])
        .elem("h2", &[], "Language mix");
    let rows: Vec<(String, u64)> = s.langs.iter().map(|(n, t)| (n.clone(), t.count)).collect();
    chart::bars(&mut h, "Mentions per language", &rows, "mentions");
    table_head(&mut h, &["language", "mentions", "share"]);
    for (name, t) in &s.langs {
        table_row(
            &mut h,
            &[
                name.clone(),
                t.count.to_string(),
                pct(s.total.share(t.count)),
            ],
        );
    }
    table_end(&mut h);
    h.close();

    h.open("section", &[("id", "method")])
        .elem("h2", &[], "Method");
    h.open("ul", &[]);
    for line in method(s, meta) {
        h.elem("li", &[], &line);
    }
    h.close().close();
    h.finish()
}

/// The method note, one sentence per line.
fn method(s: &Summary, meta: &Meta) -> Vec<String> {
    vec![
        format!("Sources: {}.", meta.inputs.join(", ")),
        format!("Period: {}, cut in UTC.", period(s)),
        format!(
            "Read {} lines: {} skipped as malformed, {} mentions counted, {} without a published time, {} outside the period{}; {} with an unknown sentiment.",
            meta.lines,
            meta.skipped,
            s.total.count,
            s.undated,
            s.outside,
            s.previous.map_or(String::new(), |p| format!(", {p} in the previous period")),
            s.total.unknown
        ),
        "Counts are those of `earful stats` (the same accumulators); net sentiment is (positive − negative) / mentions; reach sums author followers where known; spikes are periods above the mean + 2 standard deviations of the periods before them (docs/stats.md).".to_owned(),
        format!("earful {}: {}", meta.version, meta.command),
    ]
}

/// Escapes text for Markdown (inline and table cells).
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn md_link(url: &Option<HttpUrl>) -> String {
    url.as_ref().map_or(String::new(), |u| {
        format!(" [post](<{}>)", u.as_str().replace('>', "%3E"))
    })
}

/// The report as Markdown (CommonMark with GFM tables).
pub fn markdown(s: &Summary, meta: &Meta) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {}\n\n{}\n\n## Headline numbers\n",
        md(&meta.title),
        md(&period(s))
    );
    let _ = writeln!(o, "| | |\n|---|---:|");
    for (name, value) in headline(s) {
        let _ = writeln!(o, "| {name} | {} |", md(&value));
    }
    let _ = writeln!(o, "\n## Volume per {} by sentiment\n", s.unit.as_str());
    let _ = writeln!(
        o,
        "| period | mentions | negative | neutral | positive | unknown | spike |\n|---|---:|---:|---:|---:|---:|---|"
    );
    for r in &s.volume {
        let spike = r
            .spike
            .as_ref()
            .filter(|x| x.spike || x.negative_spike)
            .map_or(String::new(), |x| {
                x.drivers
                    .as_ref()
                    .map_or("spike".to_owned(), |d| format!("spike: {d}"))
            });
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.period,
            r.count,
            r.negative,
            r.neutral,
            r.positive,
            r.unknown,
            md(&spike)
        );
    }
    let _ = writeln!(o, "\n## Share of voice and sentiment per brand\n");
    let _ = writeln!(
        o,
        "| match | mentions | negative | neutral | positive | unknown | net |\n|---|---:|---:|---:|---:|---:|---:|"
    );
    for (name, t) in &s.matches {
        let cells: Vec<String> = sentiment_cells(&md(name), t);
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
    let [share_trend, label_trend] = trends(s);
    trend_md(&mut o, &share_trend);
    let _ = writeln!(o, "\n## What people talk about");
    trend_md(&mut o, &label_trend);
    let _ = writeln!(o);
    for (label, t) in s.labels.iter().filter(|(n, _)| n != "(none)") {
        let _ = writeln!(
            o,
            "### {}: {} mentions, net {}\n",
            md(label),
            t.count,
            signed(t.net())
        );
        if let Some(row) = s
            .terms
            .iter()
            .find(|r| r.group.values().next().and_then(|v| v.as_str()) == Some(label))
        {
            let terms: Vec<String> = row.terms.iter().map(|t| md(&t.term)).collect();
            let _ = writeln!(o, "Terms: {}\n", terms.join(", "));
        }
        for q in s.quotes.get(label).into_iter().flatten() {
            let _ = writeln!(
                o,
                "> {}\n>\n> — {}, {} followers{}\n",
                md(&q.text),
                md(&q.author),
                q.reach,
                md_link(&q.url)
            );
        }
    }
    let _ = writeln!(o, "## Needs an answer\n");
    for (i, q) in s.open.iter().enumerate() {
        let urgent = if q.urgent { "**urgent** " } else { "" };
        let age = q.age(s.end).map_or(String::new(), |a| format!(", {a} old"));
        let _ = writeln!(
            o,
            "{}. {urgent}\\[{}\\] {} — {}, {} followers{age}{}",
            i + 1,
            md(&q.labels.join(", ")),
            md(&q.text),
            md(&q.author),
            q.reach,
            md_link(&q.url)
        );
    }
    for (title, rows) in &s.tops {
        let _ = writeln!(
            o,
            "\n## Top {}\n\n| {title} | mentions |\n|---|---:|",
            title.to_lowercase()
        );
        for (v, c) in rows {
            let _ = writeln!(o, "| {} | {c} |", md(v));
        }
    }
    let _ = writeln!(
        o,
        "\n## Language mix\n\n| language | mentions | share |\n|---|---:|---:|"
    );
    for (name, t) in &s.langs {
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            md(name),
            t.count,
            pct(s.total.share(t.count))
        );
    }
    let _ = writeln!(o, "\n## Method\n");
    for line in method(s, meta) {
        let _ = writeln!(o, "- {}", md(&line));
    }
    o
}
