//! `stats --partial` and `--merge`: the accumulator written out as JSON Lines, and read back.
//!
//! A partial is a header line (what was counted: `--by`, `--tz`, `--group`, `--top`,
//! `--terms`, `--spikes`, and how many mentions), then one line per (period, group) cell and
//! one per group's term table. Parts merge in any order and any grouping into exactly the
//! counts of one pass over the whole input, because every counter is an integer (scores
//! are summed in millionths) and the top-value summaries merge within their documented bound.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::terms::TermCounts;
use super::{Cell, Options, Stats};
use crate::jsonl::{Input, LineError, Location, ReadSummary};

/// The partial format's version, in every header.
pub const VERSION: u32 = 1;

/// What a partial was counted with; parts merge only when their headers agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub earful_stats_partial: u32,
    pub by: String,
    pub tz: String,
    pub group: Vec<String>,
    pub top: Option<(usize, String)>,
    pub terms: bool,
    pub spikes: bool,
}

impl Options {
    /// The header of a partial counted with these options.
    pub fn header(&self) -> Header {
        Header {
            earful_stats_partial: VERSION,
            by: self.unit.as_str().to_owned(),
            tz: self.tz_name.clone(),
            group: self.groups.iter().map(|(name, _)| name.clone()).collect(),
            top: self.top.as_ref().map(|(n, name, _)| (*n, name.clone())),
            terms: self.terms,
            spikes: self.drivers,
        }
    }
}

/// One line of a partial.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Record {
    Header {
        #[serde(flatten)]
        header: Header,
        mentions: u64,
        undated: u64,
    },
    Cell {
        period: i64,
        group: Box<RawValue>,
        #[serde(flatten)]
        cell: Cell,
    },
    Terms {
        group: Box<RawValue>,
        #[serde(flatten)]
        counts: TermCounts,
    },
}

/// Why a line of a partial could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Not a partial line (or a damaged one).
    #[error("not a line of `earful stats --partial`: {0}")]
    Malformed(String),
    /// A part counted with other options.
    #[error(
        "this part was counted with {theirs}, this run with {ours}: run --merge with the \
         options of the --partial runs"
    )]
    Mismatch { theirs: String, ours: String },
    /// Lines, but no partial header among them.
    #[error(
        "--merge reads the output of `earful stats --partial`; this input has no partial header"
    )]
    NoHeader,
    /// Reading the inputs failed, or a bad line under `--strict`.
    #[error(transparent)]
    Read(#[from] crate::jsonl::ReadError),
}

impl MergeError {
    /// Whether the run was asked the wrong thing (other options, not partials): a usage
    /// error rather than a failure.
    pub fn is_usage(&self) -> bool {
        matches!(self, MergeError::Mismatch { .. } | MergeError::NoHeader)
    }
}

impl Stats {
    /// The counts of `inputs`: counted on `threads` cores, or with `merge` added up from
    /// `stats --partial` outputs ([`Stats::merge_partials`]). Bad lines go to `report`.
    pub fn count_inputs<R>(
        options: Options,
        inputs: Vec<Input>,
        strict: bool,
        report: R,
        threads: usize,
        merge: bool,
    ) -> Result<(Stats, ReadSummary), MergeError>
    where
        R: FnMut(Location<'_>, &str),
    {
        if merge {
            return Stats::merge_partials(options, &inputs, strict, report);
        }
        let count = (
            move || Stats::new(options.clone()),
            |stats: &mut Stats, line: &str| stats.add_line(line),
            Stats::merge,
        );
        let (summary, stats) = crate::parallel::fold_lines(inputs, threads, strict, report, count)?;
        Ok((stats, summary))
    }

    /// What the run says about mentions it could not count, if any.
    pub fn undated_message(&self) -> Option<String> {
        let n = self.undated;
        let s = if n == 1 { "" } else { "s" };
        (n > 0).then(|| format!("{n} mention{s} without a published time (RFC 3339) not counted"))
    }

    /// Adds up the partials of `inputs` (files or stdin, any number of parts each) into
    /// counts made with `options`. Lines that are not partial lines go to `report` as bad
    /// lines; a part counted with other options stops the merge.
    pub fn merge_partials<R>(
        options: Options,
        inputs: &[Input],
        strict: bool,
        report: R,
    ) -> Result<(Stats, ReadSummary), MergeError>
    where
        R: FnMut(Location<'_>, &str),
    {
        let mut stats = Stats::new(options);
        let (mut headers, mut mismatch) = (0u64, None);
        let read = crate::jsonl::for_each_line(inputs, strict, report, |line, _| {
            match stats.merge_line(line) {
                Ok(header) => {
                    headers += u64::from(header);
                    Ok(())
                }
                Err(MergeError::Malformed(why)) => Err(LineError::Malformed(why)),
                Err(err) => {
                    let stop = io::Error::other(err.to_string());
                    mismatch = Some(err);
                    Err(LineError::Fatal(stop))
                }
            }
        });
        if let Some(err) = mismatch {
            return Err(err);
        }
        let summary = read?;
        if headers == 0 && summary.lines > 0 {
            return Err(MergeError::NoHeader);
        }
        Ok((stats, summary))
    }

    /// Writes the counts as a partial.
    pub fn write_partial(&self, out: &mut dyn Write) -> io::Result<()> {
        let line = |out: &mut dyn Write, record: &Record| -> io::Result<()> {
            serde_json::to_writer(&mut *out, record)?;
            out.write_all(b"\n")
        };
        let header = Record::Header {
            header: self.options.header(),
            mentions: self.mentions,
            undated: self.undated,
        };
        line(out, &header)?;
        let key = |id: u32| {
            RawValue::from_string(String::from_utf8_lossy(&self.keys[id as usize]).into_owned())
        };
        let mut cells: Vec<_> = self.cells.iter().collect();
        cells.sort_by_key(|((period, id), _)| (*period, &self.keys[*id as usize]));
        for ((period, id), cell) in cells {
            let record = Record::Cell {
                period: *period,
                group: key(*id).map_err(io::Error::other)?,
                cell: cell.clone(),
            };
            line(out, &record)?;
        }
        let mut terms: Vec<_> = self.terms.iter().collect();
        terms.sort_by_key(|(id, _)| &self.keys[**id as usize]);
        for (id, counts) in terms {
            let record = Record::Terms {
                group: key(*id).map_err(io::Error::other)?,
                counts: counts.clone(),
            };
            line(out, &record)?;
        }
        Ok(())
    }

    /// Adds one line of a partial. Returns whether it was a header.
    pub fn merge_line(&mut self, line: &str) -> Result<bool, MergeError> {
        let record: Record =
            serde_json::from_str(line).map_err(|e| MergeError::Malformed(e.to_string()))?;
        match record {
            Record::Header {
                header,
                mentions,
                undated,
            } => {
                let ours = self.options.header();
                if header != ours {
                    return Err(MergeError::Mismatch {
                        theirs: describe(&header),
                        ours: describe(&ours),
                    });
                }
                self.mentions += mentions;
                self.undated += undated;
                return Ok(true);
            }
            Record::Cell {
                period,
                group,
                cell,
            } => {
                let id = self.key_id(&group)?;
                match self.cells.get_mut(&(period, id)) {
                    Some(mine) => mine.merge(cell),
                    None => {
                        self.cells.insert((period, id), cell);
                    }
                }
            }
            Record::Terms { group, counts } => {
                let id = self.key_id(&group)?;
                self.terms.entry(id).or_default().merge(counts);
            }
        }
        Ok(false)
    }

    /// The id of a group key read from a partial, written again the way counting writes it.
    fn key_id(&mut self, group: &RawValue) -> Result<u32, MergeError> {
        let values: Vec<Option<String>> = serde_json::from_str(group.get())
            .map_err(|e| MergeError::Malformed(format!("group: {e}")))?;
        if values.len() != self.options.groups.len() {
            return Err(MergeError::Malformed(format!(
                "group {} has {} values, expected {}",
                group.get(),
                values.len(),
                self.options.groups.len()
            )));
        }
        Ok(self.group_id(
            values
                .iter()
                .map(|v| v.as_deref().map(std::borrow::Cow::Borrowed))
                .collect::<Vec<_>>()
                .iter(),
        ))
    }
}

/// A header as the flags that made it (`--by day --group match`).
fn describe(h: &Header) -> String {
    let mut flags = format!("--by {} --tz {}", h.by, h.tz);
    for g in &h.group {
        flags.push_str(&format!(" --group {g}"));
    }
    if let Some((n, field)) = &h.top {
        flags.push_str(&format!(" --top {n} {field}"));
    }
    if h.terms {
        flags.push_str(" --terms");
    }
    if h.spikes {
        flags.push_str(" --spikes");
    }
    flags
}
