//! Accuracy and parity harness over `../shared/data` (ignored tests; they skip when the
//! data is absent). Run with:
//!
//! ```text
//! cargo test --release --lib -- --ignored --nocapture classify::accuracy
//! ```
//!
//! `bench/accuracy.py` measures the same figures through the `earful classify` binary, side
//! by side with Python vaderSentiment.

use std::path::{Path, PathBuf};

use super::{Analyzer, label};

/// The airline names masked when scoring the airline tweets (the `--brand` list).
pub(crate) const AIRLINE_BRANDS: &[&str] = &[
    "United",
    "United Airlines",
    "American",
    "American Airlines",
    "AmericanAir",
    "Delta",
    "Delta Airlines",
    "Southwest",
    "Southwest Airlines",
    "SouthwestAir",
    "US Airways",
    "USAirways",
    "Virgin America",
    "VirginAmerica",
    "JetBlue",
];

fn data_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let dir = if dir.exists() {
        dir
    } else {
        PathBuf::from("/work/shared/data")
    };
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared/data is absent");
        None
    }
}

/// (text, label in {0 neg, 1 neu, 2 pos}) of the airline test split.
pub(crate) fn airline_test(dir: &Path) -> Vec<(String, usize)> {
    airline_split(dir, true)
}

/// The airline test split (`tweet_id % 5 == 0`, first row of each id) or the train split.
pub(crate) fn airline_split(dir: &Path, test: bool) -> Vec<(String, usize)> {
    let mut rdr = csv::Reader::from_path(dir.join("airline-tweets/Tweets.csv")).unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let id: u64 = rec[0].parse().unwrap();
        if !seen.insert(id) || id.is_multiple_of(5) != test {
            continue;
        }
        let y = match &rec[1] {
            "negative" => 0,
            "neutral" => 1,
            _ => 2,
        };
        out.push((rec[10].to_string(), y));
    }
    out
}

pub(crate) fn tweeteval(dir: &Path) -> Vec<(String, usize)> {
    let d = dir.join("tweeteval-sentiment");
    let texts = std::fs::read_to_string(d.join("val_text.txt")).unwrap();
    let labels = std::fs::read_to_string(d.join("val_labels.txt")).unwrap();
    texts
        .lines()
        .zip(labels.lines())
        .map(|(t, l)| (t.to_string(), l.trim().parse().unwrap()))
        .collect()
}

pub(crate) fn ground_truth(dir: &Path, stem: &str) -> Vec<(String, f64)> {
    let path = dir.join(format!("vader-groundtruth-other/{stem}_GroundTruth.txt"));
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter_map(|l| {
            let mut f = l.trim_end_matches('\r').splitn(3, '\t');
            let (_, m, t) = (f.next()?, f.next()?, f.next()?);
            Some((t.to_string(), m.trim().parse().ok()?))
        })
        .collect()
}

/// The class index by earful's `label`, or by VADER's own ±0.05 thresholds.
fn class(compound: f64, vader_thresholds: bool) -> usize {
    if vader_thresholds {
        return if compound >= 0.05 {
            2
        } else if compound <= -0.05 {
            0
        } else {
            1
        };
    }
    match label(compound) {
        "negative" => 0,
        "neutral" => 1,
        _ => 2,
    }
}

/// (accuracy, macro-F1, macro-recall)
pub(crate) fn metrics(pairs: &[(usize, usize)]) -> (f64, f64, f64) {
    let mut cm = [[0usize; 3]; 3];
    for &(y, p) in pairs {
        cm[y][p] += 1;
    }
    let acc = (0..3).map(|k| cm[k][k]).sum::<usize>() as f64 / pairs.len() as f64;
    let mut f1 = 0.0;
    let mut rec = 0.0;
    for (k, row) in cm.iter().enumerate() {
        let tp = row[k] as f64;
        let actual: usize = row.iter().sum();
        let predicted: usize = (0..3).map(|y| cm[y][k]).sum();
        let r = if actual > 0 { tp / actual as f64 } else { 0.0 };
        let p = if predicted > 0 {
            tp / predicted as f64
        } else {
            0.0
        };
        rec += r / 3.0;
        f1 += if p + r > 0.0 {
            2.0 * p * r / (p + r) / 3.0
        } else {
            0.0
        };
    }
    (acc, f1, rec)
}

pub(crate) fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    sxy / (sxx.sqrt() * syy.sqrt())
}

#[test]
#[ignore = "needs ../shared/data; run with --ignored"]
fn accuracy() {
    let Some(dir) = data_dir() else { return };
    let vader = Analyzer::builder().vader_compat(true).build();
    let ours_airline = Analyzer::builder().brands(AIRLINE_BRANDS.iter()).build();
    let ours = Analyzer::new();
    println!(
        "{:<28} {:>22} {:>22}",
        "dataset / metric", "VADER (Rust compat)", "earful"
    );
    let airline = airline_test(&dir);
    let m = |a: &Analyzer, set: &[(String, usize)]| {
        let vader_thresholds = std::ptr::eq(a, &vader);
        let pairs: Vec<_> = set
            .iter()
            .map(|(t, y)| (*y, class(a.score(t).compound, vader_thresholds)))
            .collect();
        metrics(&pairs)
    };
    let (va, vf, _) = m(&vader, &airline);
    let (oa, of, _) = m(&ours_airline, &airline);
    println!("{:<28} {:>22.3} {:>22.3}", "airline accuracy", va, oa);
    println!("{:<28} {:>22.3} {:>22.3}", "airline macro-F1", vf, of);
    let te = tweeteval(&dir);
    let (va, vf, vr) = m(&vader, &te);
    let (oa, of, or) = m(&ours, &te);
    println!("{:<28} {:>22.3} {:>22.3}", "tweeteval macro-recall", vr, or);
    println!("{:<28} {:>22.3} {:>22.3}", "tweeteval macro-F1", vf, of);
    println!("{:<28} {:>22.3} {:>22.3}", "tweeteval accuracy", va, oa);
    for stem in [
        "movieReviewSnippets",
        "amazonReviewSnippets",
        "nytEditorialSnippets",
    ] {
        let gt = ground_truth(&dir, stem);
        let ys: Vec<f64> = gt.iter().map(|g| g.1).collect();
        let r = |a: &Analyzer| {
            let xs: Vec<f64> = gt.iter().map(|g| a.score(&g.0).compound).collect();
            pearson(&xs, &ys)
        };
        println!(
            "{:<28} {:>22.3} {:>22.3}",
            format!("{stem} r"),
            r(&vader),
            r(&ours)
        );
    }
}

/// Compares the compat mode with Python vaderSentiment on a JSONL file of
/// `{"text", "compound", "pos", "neg", "neu"}` lines (EARFUL_PARITY_FILE).
#[test]
#[ignore = "needs a parity file from Python vaderSentiment; run with --ignored"]
fn vader_parity() {
    let Ok(path) = std::env::var("EARFUL_PARITY_FILE") else {
        eprintln!("skipping: EARFUL_PARITY_FILE is not set");
        return;
    };
    let vader = Analyzer::builder().vader_compat(true).build();
    let text = std::fs::read_to_string(path).unwrap();
    let (mut n, mut bad) = (0, 0);
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let t = v["text"].as_str().unwrap();
        let want = v["compound"].as_f64().unwrap();
        let got = vader.score(t);
        n += 1;
        let close = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol;
        if !close(got.compound, want, 1e-4)
            || !close(got.pos, v["pos"].as_f64().unwrap(), 1e-3)
            || !close(got.neg, v["neg"].as_f64().unwrap(), 1e-3)
        {
            bad += 1;
            if bad <= 15 {
                println!("MISMATCH want {want} got {:?}: {t:?}", got);
            }
        }
    }
    println!("parity: {} of {n} texts differ", bad);
    assert!(bad * 1000 <= n, "more than 0.1% of texts differ");
}

/// Writes `{"set", "text", "y", "ours", "vader"}` lines for analysis (EARFUL_DUMP_FILE).
#[test]
#[ignore = "diagnostics; run with --ignored"]
fn dump_scores() {
    let (Some(dir), Ok(out)) = (data_dir(), std::env::var("EARFUL_DUMP_FILE")) else {
        eprintln!("skipping: EARFUL_DUMP_FILE is not set");
        return;
    };
    let vader = Analyzer::builder().vader_compat(true).build();
    let airline = Analyzer::builder().brands(AIRLINE_BRANDS.iter()).build();
    let ours = Analyzer::new();
    let mut lines = String::new();
    let mut put = |set: &str, a: &Analyzer, text: &str, y: f64| {
        let (scores, why) = a.explain(text);
        let v = serde_json::json!({
            "set": set, "text": text, "y": y,
            "ours": scores.compound, "vader": vader.score(text).compound,
            "pos": scores.pos, "neg": scores.neg,
            "why": why,
        });
        lines.push_str(&v.to_string());
        lines.push('\n');
    };
    for (t, y) in airline_test(&dir) {
        put("airline", &airline, &t, y as f64);
    }
    for (t, y) in tweeteval(&dir) {
        put("tweeteval", &ours, &t, y as f64);
    }
    for (t, y) in airline_split(&dir, false) {
        put("airline-train", &airline, &t, y as f64);
    }
    let semeval = dir.join("semeval2017-task4a-train/train_tweeteval_style.tsv");
    for line in std::fs::read_to_string(semeval).unwrap().lines() {
        if let Some((y, t)) = line.split_once('\t')
            && let Ok(y) = y.parse::<usize>()
        {
            put("semeval-train", &ours, t, y as f64);
        }
    }
    for stem in [
        "movieReviewSnippets",
        "amazonReviewSnippets",
        "nytEditorialSnippets",
    ] {
        for (t, y) in ground_truth(&dir, stem) {
            put(stem, &ours, &t, y);
        }
    }
    std::fs::write(out, lines).unwrap();
}

/// CPU time of this thread in seconds (Linux `schedstat`), so that a busy machine does not
/// skew the figure; `None` elsewhere.
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Single-thread throughput on the airline tweets (release build), per second of CPU time.
#[test]
#[ignore = "timing; run with --release --ignored"]
fn throughput() {
    let Some(dir) = data_dir() else { return };
    let mut texts: Vec<(String, usize)> = airline_split(&dir, true);
    texts.extend(airline_split(&dir, false));
    for (name, a) in [
        (
            "earful",
            Analyzer::builder().brands(AIRLINE_BRANDS.iter()).build(),
        ),
        (
            "vader-compat",
            Analyzer::builder().vader_compat(true).build(),
        ),
    ] {
        let wall = std::time::Instant::now();
        let cpu = thread_cpu_secs();
        let mut n = 0usize;
        let mut sum = 0.0;
        while wall.elapsed().as_secs_f64() < 3.0 {
            for (t, _) in &texts {
                sum += a.score(t).compound;
                n += 1;
            }
        }
        let secs = match (cpu, thread_cpu_secs()) {
            (Some(a), Some(b)) => b - a,
            _ => wall.elapsed().as_secs_f64(),
        };
        println!(
            "{name}: {:.0} texts/s per CPU second on one thread ({n} texts, checksum {sum:.1})",
            n as f64 / secs
        );
    }
}

/// Stand-in for `earful classify` until the CLI glue is merged, for trying
/// `bench/accuracy.py`: reads JSONL from EARFUL_FILTER_IN, writes each line with
/// `"sentiment": {"score", "label"}` to EARFUL_FILTER_OUT; brands from EARFUL_FILTER_BRANDS
/// (separated by `|`).
#[test]
#[ignore = "helper for bench/accuracy.py; run with --ignored"]
fn jsonl_filter() {
    let (Ok(input), Ok(output)) = (
        std::env::var("EARFUL_FILTER_IN"),
        std::env::var("EARFUL_FILTER_OUT"),
    ) else {
        eprintln!("skipping: EARFUL_FILTER_IN / EARFUL_FILTER_OUT not set");
        return;
    };
    let brands = std::env::var("EARFUL_FILTER_BRANDS").unwrap_or_default();
    let a = Analyzer::builder()
        .brands(brands.split('|').filter(|b| !b.is_empty()))
        .build();
    let mut out = String::new();
    for line in std::fs::read_to_string(input).unwrap().lines() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        let s = a.score(v["text"].as_str().unwrap_or_default());
        v["sentiment"] = serde_json::json!({"score": s.compound, "label": label(s.compound)});
        out.push_str(&v.to_string());
        out.push('\n');
    }
    std::fs::write(output, out).unwrap();
}

/// Prints `explain` for the texts in EARFUL_EXPLAIN (one per line).
#[test]
#[ignore = "diagnostics; run with --ignored --nocapture"]
fn explain_texts() {
    let Ok(texts) = std::env::var("EARFUL_EXPLAIN") else {
        return;
    };
    let a = Analyzer::builder().brands(AIRLINE_BRANDS.iter()).build();
    for t in texts.lines() {
        let (s, why) = a.explain(t);
        println!("{:.3} {t}", s.compound);
        for c in why {
            println!("    {:<20} {:<18} {:+.3}", c.token, c.rule, c.delta);
        }
    }
}
