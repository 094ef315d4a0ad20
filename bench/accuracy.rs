//! Measuring tools for the sentiment engine, over `../shared/data` (not tests: they
//! print figures and assert nothing, except `parity`). Run one with:
//!
//! ```text
//! cargo run --release --example accuracy -- accuracy      # the table of docs/classify.md
//! cargo run --release --example accuracy -- parity FILE   # compat mode against Python VADER
//! cargo run --release --example accuracy -- dump FILE     # every score and its steps, as JSONL
//! cargo run --release --example accuracy -- throughput    # texts per CPU second, one thread
//! cargo run --release --example accuracy -- explain TEXT...  # the steps for each text
//! ```
//!
//! `bench/accuracy.sh` measures the same figures through the `earful classify` binary, side
//! by side with Python vaderSentiment. The data folder is `../shared/data` next to the
//! repository, or the one in `EARFUL_DATA`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use earful::classify::{Analyzer, label};

/// The airline names masked when scoring the airline tweets (the `--brand` list).
const AIRLINE_BRANDS: &[&str] = &[
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

const USAGE: &str =
    "usage: accuracy [accuracy | parity FILE | dump FILE | throughput | explain [TEXT]...]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        [] | ["accuracy"] => data_dir().map(|dir| accuracy(&dir)),
        ["parity", file] => parity(Path::new(file)),
        ["dump", file] => data_dir().map(|dir| dump(&dir, Path::new(file))),
        ["throughput"] => data_dir().map(|dir| throughput(&dir)),
        ["explain", texts @ ..] => {
            explain(texts);
            Ok(())
        }
        ["help" | "-h" | "--help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("accuracy: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `EARFUL_DATA`, or `../shared/data` beside the repository.
fn data_dir() -> Result<PathBuf, String> {
    let dir = std::env::var_os("EARFUL_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        PathBuf::from,
    );
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(format!("{} is absent (set EARFUL_DATA)", dir.display()))
    }
}

/// (text, label in {0 neg, 1 neu, 2 pos}) of the airline test split.
fn airline_test(dir: &Path) -> Vec<(String, usize)> {
    airline_split(dir, true)
}

/// The airline test split (`tweet_id % 5 == 0`, first row of each id) or the train split.
fn airline_split(dir: &Path, test: bool) -> Vec<(String, usize)> {
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

fn tweeteval(dir: &Path) -> Vec<(String, usize)> {
    let d = dir.join("tweeteval-sentiment");
    let texts = std::fs::read_to_string(d.join("val_text.txt")).unwrap();
    let labels = std::fs::read_to_string(d.join("val_labels.txt")).unwrap();
    texts
        .lines()
        .zip(labels.lines())
        .map(|(t, l)| (t.to_string(), l.trim().parse().unwrap()))
        .collect()
}

fn ground_truth(dir: &Path, stem: &str) -> Vec<(String, f64)> {
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
fn metrics(pairs: &[(usize, usize)]) -> (f64, f64, f64) {
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

fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
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

/// Accuracy, macro-F1 and correlation with human ratings, VADER next to earful.
fn accuracy(dir: &Path) {
    let vader = Analyzer::builder().vader_compat(true).build();
    let ours_airline = Analyzer::builder().brands(AIRLINE_BRANDS.iter()).build();
    let ours = Analyzer::new();
    println!(
        "{:<28} {:>22} {:>22}",
        "dataset / metric", "VADER (Rust compat)", "earful"
    );
    let airline = airline_test(dir);
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
    let te = tweeteval(dir);
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
        let gt = ground_truth(dir, stem);
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
/// `{"text", "compound", "pos", "neg", "neu"}` lines (from `bench/vader_parity.py`); fails
/// when more than 0.1% of the texts differ.
fn parity(path: &Path) -> Result<(), String> {
    let vader = Analyzer::builder().vader_compat(true).build();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
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
    println!("parity: {bad} of {n} texts differ");
    if bad * 1000 <= n {
        Ok(())
    } else {
        Err("more than 0.1% of texts differ".into())
    }
}

/// Writes `{"set", "text", "y", "ours", "vader", "pos", "neg", "why"}` lines to `out`, for
/// analysis.
fn dump(dir: &Path, out: &Path) {
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
    for (t, y) in airline_test(dir) {
        put("airline", &airline, &t, y as f64);
    }
    for (t, y) in tweeteval(dir) {
        put("tweeteval", &ours, &t, y as f64);
    }
    for (t, y) in airline_split(dir, false) {
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
        for (t, y) in ground_truth(dir, stem) {
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
fn throughput(dir: &Path) {
    let mut texts: Vec<(String, usize)> = airline_split(dir, true);
    texts.extend(airline_split(dir, false));
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

/// Prints the steps of each text (the arguments, or the lines of stdin), with the airline
/// names masked.
fn explain(args: &[&str]) {
    let stdin;
    let texts: Vec<&str> = if args.is_empty() {
        stdin = std::io::read_to_string(std::io::stdin()).unwrap_or_default();
        stdin.lines().collect()
    } else {
        args.to_vec()
    };
    let a = Analyzer::builder().brands(AIRLINE_BRANDS.iter()).build();
    for t in texts {
        let (s, why) = a.explain(t);
        println!("{:.3} {t}", s.compound);
        for c in why {
            println!("    {:<20} {:<18} {:+.3}", c.token, c.rule, c.delta);
        }
    }
}
