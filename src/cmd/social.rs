//! `fetch` flags and glue for social exports (X archives, twarc, snscrape, CSV, Mastodon,
//! Bluesky, any JSON): kept apart from `fetch.rs` so the feed side can change freely.

use earful::exit::UsageError;
use earful::jsonl::{Input, Output};
use earful::progress::Printer;
use earful::sources::social::{self, FieldMap, Opened};
use earful::sources::{Context, Format};

/// Flags for reading exports, flattened into `fetch`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SocialArgs {
    /// Read every file as this format instead of detecting it: x-archive, twarc, twarc2,
    /// snscrape, csv, mastodon, bluesky, json, rss, atom, jsonfeed
    #[arg(long, value_name = "NAME", value_parser = parse_format)]
    pub format: Option<Format>,
    /// Fill a mention field from a CSV column or a dotted JSON path (repeatable), e.g.
    /// --map text=Body --map published=meta.date --map author=User
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,
    /// strftime format of the dates in a CSV or JSON export, when they are not detected,
    /// e.g. '%d/%m/%Y %H:%M' (no offset means UTC)
    #[arg(long, value_name = "FORMAT")]
    pub date_format: Option<String>,
    /// Stop at the first record of an export that cannot be read instead of skipping it
    #[arg(long)]
    pub strict: bool,
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|(_, n)| *n).collect();
        format!("unknown format `{name}`; formats are {}", names.join(", "))
    })
}

impl SocialArgs {
    /// The validated options (a bad `--map` is a usage error).
    pub fn options(&self) -> Result<social::Options, UsageError> {
        Ok(social::Options {
            map: FieldMap::parse(&self.map).map_err(|e| UsageError(e.to_string()))?,
            date_format: self.date_format.clone(),
            strict: self.strict,
        })
    }
}

/// What happened to one local source.
pub enum Local {
    /// A web feed: its bytes, for the feed parser.
    Feed(Vec<u8>),
    /// An export, read: the number of records skipped.
    Read { skipped: u64 },
    /// An export that could not be read (already reported).
    Failed,
}

/// Reads a local file, folder or stdin: exports are read and written to `out` here; web
/// feeds are handed back as bytes.
pub fn read_local(
    args: &SocialArgs,
    opts: &social::Options,
    source: &str,
    printer: &Printer,
    out: &mut Output,
) -> anyhow::Result<Local> {
    let opened = Opened::open(&Input::from_arg(source.as_ref()))
        .map_err(|e| anyhow::anyhow!("reading {source}: {e}"))?;
    let format = match args.format.or_else(|| opened.detect()) {
        Some(f) if f.is_feed() => return Ok(Local::Feed(opened.into_bytes()?)),
        Some(f) => f,
        // Not an export: the forgiving feed reader may still recover a broken feed.
        None => {
            let bytes = opened.into_bytes()?;
            if earful::sources::feed::parse(&bytes, &Context::new(source)).is_ok() {
                return Ok(Local::Feed(bytes));
            }
            anyhow::bail!(
                "{source}: unknown format: not a web feed, X archive, twarc, twarc2, snscrape, \
                 CSV, Mastodon or Bluesky export; name it with --format NAME"
            )
        }
    };
    printer.info(&format!("{source}: reading as {}", format.name()));
    let ctx = Context::new(source);
    let mut report = |p: &social::Problem| {
        if p.skipped {
            printer.error(&p.to_string());
        } else {
            printer.warn(&p.to_string());
        }
    };
    let mut emit = |m: &earful::mention::Mention| out.write_json(m);
    let summary = match social::read(opened, format, opts, &ctx, &mut report, &mut emit) {
        Ok(summary) => summary,
        Err(err @ social::SocialError::Write(_)) => return Err(err.into()),
        Err(err) => {
            printer.error(&err.to_string());
            return Ok(Local::Failed);
        }
    };
    printer.info(&format!(
        "{source}: {} mentions from {} records",
        summary.mentions, summary.records
    ));
    Ok(Local::Read {
        skipped: summary.skipped,
    })
}
