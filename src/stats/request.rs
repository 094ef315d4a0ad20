//! What `earful stats` is asked, as typed on the command line, checked into [`Options`]
//! and [`ReportOptions`]: the one place the flags' words become counting options.

use super::{Field, Options, ReportOptions, SpikeOptions, Unit};

/// The flags of a stats run, as typed.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub by: String,
    pub tz: String,
    pub group: Vec<String>,
    /// `--top N FIELD`.
    pub top: Option<Vec<String>>,
    pub terms: Option<usize>,
    pub brands: Vec<String>,
    /// `--spikes` (or `--fail-on-spike`).
    pub spikes: bool,
    pub window: Option<u32>,
    pub k: f64,
    pub min_count: u64,
}

impl Request {
    /// The counting and reporting options; an error says which flag is wrong and why.
    pub fn resolve(&self) -> Result<(Options, ReportOptions), String> {
        let unit = Unit::from_name(&self.by).ok_or_else(|| {
            format!(
                "--by: expected one of {}, found {:?}",
                Unit::NAMES.join(", "),
                self.by
            )
        })?;
        let tz = jiff::tz::TimeZone::get(&self.tz).map_err(|_| {
            format!(
                "--tz: unknown time zone {:?} (e.g. UTC, Europe/Paris, America/New_York)",
                self.tz
            )
        })?;
        let mut groups = Vec::new();
        for name in &self.group {
            let field = Field::parse(name).map_err(|e| format!("--group: {e}"))?;
            groups.push((name.trim().to_owned(), field));
        }
        let top = match self.top.as_deref() {
            Some([n, name]) => {
                let n: usize = n.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    format!("--top N FIELD: expected a number of values ≥ 1, found {n:?}")
                })?;
                let field = Field::parse(name).map_err(|e| format!("--top: {e}"))?;
                Some((n, name.trim().to_owned(), field))
            }
            _ => None,
        };
        if self.terms.is_some() && groups.is_empty() {
            return Err(
                "--terms compares groups with each other: add --group (e.g. --group label)".into(),
            );
        }
        if !self.k.is_finite() || self.k < 0.0 {
            return Err(format!(
                "--k: expected a number of standard deviations ≥ 0, found {}",
                self.k
            ));
        }
        let report = ReportOptions {
            spikes: self.spikes.then_some(SpikeOptions {
                window: self.window.map_or(unit.default_window(), |w| w as usize),
                k: self.k,
                min_count: self.min_count,
            }),
            terms: self.terms,
            brands: self.brands.clone(),
        };
        let options = Options {
            unit,
            tz_name: self.tz.clone(),
            tz,
            groups,
            top,
            terms: self.terms.is_some(),
            drivers: self.spikes,
        };
        Ok((options, report))
    }
}
