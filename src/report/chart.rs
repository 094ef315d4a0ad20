//! Charts as data first: series in, SVG out, with explicit scales. Every mark carries its
//! value (`data-value` and a `<title>` tooltip); the report puts a table beside each chart.

use super::html::Html;
use crate::stats::rows::CountRow;

/// The sentiments stacked in a bar, bottom first, with their CSS class.
pub const SENTIMENTS: [(&str, &str); 4] = [
    ("negative", "neg"),
    ("neutral", "neu"),
    ("positive", "pos"),
    ("unknown", "unk"),
];

/// A row's count of one of [`SENTIMENTS`].
pub fn sentiment_count(row: &CountRow, sentiment: &str) -> u64 {
    match sentiment {
        "negative" => row.negative,
        "neutral" => row.neutral,
        "positive" => row.positive,
        _ => row.unknown,
    }
}

/// A linear scale from `[0, max]` to `[0, len]` (pixels).
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    max: f64,
    len: f64,
}

impl Scale {
    pub fn new(max: u64, len: f64) -> Scale {
        Scale {
            max: max.max(1) as f64,
            len,
        }
    }

    pub fn at(self, value: u64) -> f64 {
        value as f64 / self.max * self.len
    }
}

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 240.0;
const TOP: f64 = 24.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 20.0;

fn num(x: f64) -> String {
    format!("{x:.1}")
}

/// Stacked bars of mentions per period by sentiment; a spike is marked above its bar with
/// its drivers in the mark's title.
pub fn volume(h: &mut Html, rows: &[CountRow]) {
    let max = rows.iter().map(|r| r.count).max().unwrap_or(0);
    let y = Scale::new(max, HEIGHT - TOP - BOTTOM);
    let step = (WIDTH - LEFT) / rows.len().max(1) as f64;
    let bar = (step * 0.8).max(0.5);
    h.open(
        "svg",
        &[
            ("class", "chart"),
            ("viewBox", &format!("0 0 {WIDTH} {HEIGHT}")),
            ("role", "img"),
            ("aria-label", "Mentions per period by sentiment"),
        ],
    );
    let base = HEIGHT - BOTTOM;
    axis(h, base, "0", &max.to_string());
    for (i, row) in rows.iter().enumerate() {
        let x = LEFT + step * i as f64 + (step - bar) / 2.0;
        let mut bottom = base;
        h.open(
            "g",
            &[
                ("data-period", &row.period),
                ("data-value", &row.count.to_string()),
            ],
        );
        for (name, class) in SENTIMENTS {
            let n = sentiment_count(row, name);
            if n == 0 {
                continue;
            }
            let height = y.at(n);
            bottom -= height;
            h.open(
                "rect",
                &[
                    ("class", class),
                    ("x", &num(x)),
                    ("y", &num(bottom)),
                    ("width", &num(bar)),
                    ("height", &num(height)),
                    ("data-sentiment", name),
                    ("data-value", &n.to_string()),
                ],
            );
            h.elem("title", &[], &format!("{}: {n} {name}", row.period));
            h.close();
        }
        if let Some(spike) = row.spike.as_ref().filter(|s| s.spike || s.negative_spike) {
            let what = if spike.spike {
                "spike"
            } else {
                "negative spike"
            };
            let mut title = format!("{}: {what}, {} mentions", row.period, row.count);
            if let Some(d) = &spike.drivers {
                title.push_str(&format!(" ({d})"));
            }
            h.open(
                "circle",
                &[
                    ("class", "spike"),
                    ("cx", &num(x + bar / 2.0)),
                    ("cy", &num((bottom - 8.0).max(4.0))),
                    ("r", "4"),
                    ("data-value", &row.count.to_string()),
                ],
            );
            h.elem("title", &[], &title);
            h.close();
        }
        h.close();
    }
    period_labels(
        h,
        rows.first().map(|r| &r.period),
        rows.last().map(|r| &r.period),
    );
    h.close();
}

/// Series drawn by [`lines`], at most: one colour each (CSS classes `line0`…`line7`).
pub const MAX_SERIES: usize = 8;

/// A named series of values, one per period.
pub type Series = (String, Vec<f64>);

/// Lines over `periods`, one per series (at most [`MAX_SERIES`]), scaled to the largest
/// value; each point carries its value, formatted by `show` in its title.
pub fn lines(
    h: &mut Html,
    label: &str,
    periods: &[String],
    series: &[Series],
    show: impl Fn(f64) -> String,
) {
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0f64, f64::max);
    let max = if max > 0.0 { max } else { 1.0 };
    let plot = HEIGHT - TOP - BOTTOM;
    let base = HEIGHT - BOTTOM;
    let step = (WIDTH - LEFT - 8.0) / periods.len().saturating_sub(1).max(1) as f64;
    let at = |i: usize, v: f64| (LEFT + step * i as f64, base - v / max * plot);
    h.open(
        "svg",
        &[
            ("class", "chart"),
            ("viewBox", &format!("0 0 {WIDTH} {HEIGHT}")),
            ("role", "img"),
            ("aria-label", label),
        ],
    );
    axis(h, base, &show(0.0), &show(max));
    for (k, (name, values)) in series.iter().take(MAX_SERIES).enumerate() {
        let class = format!("line{k}");
        h.open("g", &[("class", &class), ("data-name", name)]);
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let (x, y) = at(i, *v);
                format!("{},{}", num(x), num(y))
            })
            .collect();
        h.void("polyline", &[("points", &points.join(" "))]);
        for (i, v) in values.iter().enumerate() {
            let (x, y) = at(i, *v);
            h.open(
                "circle",
                &[
                    ("cx", &num(x)),
                    ("cy", &num(y)),
                    ("r", "2.5"),
                    ("data-period", &periods[i]),
                    ("data-value", &v.to_string()),
                ],
            );
            h.elem(
                "title",
                &[],
                &format!("{name}, {}: {}", periods[i], show(*v)),
            );
            h.close();
        }
        h.close();
    }
    period_labels(h, periods.first(), periods.last());
    h.close();
}

/// The baseline with its zero and maximum written beside it.
fn axis(h: &mut Html, base: f64, zero: &str, max: &str) {
    h.void(
        "line",
        &[
            ("x1", &num(LEFT)),
            ("x2", &num(WIDTH)),
            ("y1", &num(base)),
            ("y2", &num(base)),
            ("class", "axis"),
        ],
    );
    h.elem("text", &[("x", "0"), ("y", &num(base))], zero);
    h.elem("text", &[("x", "0"), ("y", &num(TOP + 4.0))], max);
}

/// The names of the first and last period under a chart.
fn period_labels(h: &mut Html, first: Option<&String>, last: Option<&String>) {
    if let (Some(first), Some(last)) = (first, last) {
        h.elem(
            "text",
            &[("x", &num(LEFT)), ("y", &num(HEIGHT - 4.0))],
            first,
        );
        h.elem(
            "text",
            &[
                ("x", &num(WIDTH)),
                ("y", &num(HEIGHT - 4.0)),
                ("text-anchor", "end"),
            ],
            last,
        );
    }
}

/// Horizontal bars, one per (name, value), scaled to the largest; `unit` follows the value
/// in each title.
pub fn bars(h: &mut Html, label: &str, rows: &[(String, u64)], unit: &str) {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0);
    const ROW: f64 = 22.0;
    const NAME: f64 = 200.0;
    let x = Scale::new(max, WIDTH - NAME - 60.0);
    let height = ROW * rows.len().max(1) as f64;
    h.open(
        "svg",
        &[
            ("class", "chart"),
            ("viewBox", &format!("0 0 {WIDTH} {height}")),
            ("role", "img"),
            ("aria-label", label),
        ],
    );
    for (i, (name, value)) in rows.iter().enumerate() {
        let top = ROW * i as f64;
        h.elem(
            "text",
            &[("x", "0"), ("y", &num(top + 15.0))],
            &clip(name, 28),
        );
        h.open(
            "rect",
            &[
                ("class", "bar"),
                ("x", &num(NAME)),
                ("y", &num(top + 3.0)),
                ("width", &num(x.at(*value).max(1.0))),
                ("height", &num(ROW - 6.0)),
                ("data-name", name),
                ("data-value", &value.to_string()),
            ],
        );
        h.elem("title", &[], &format!("{name}: {value} {unit}"));
        h.close();
        h.elem(
            "text",
            &[
                ("x", &num(NAME + x.at(*value) + 6.0)),
                ("y", &num(top + 15.0)),
            ],
            &value.to_string(),
        );
    }
    h.close();
}

/// At most `n` characters of `s`.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}
