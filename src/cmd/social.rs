//! `fetch` flags for social exports (X archives, twarc, snscrape, CSV, Mastodon, Bluesky,
//! any JSON); reading them is the library's (`earful::sources::local`).

use earful::exit::UsageError;
use earful::sources::InputFormat;
use earful::sources::social::{self, FieldMap};

/// Flags for reading exports, flattened into `fetch`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SocialArgs {
    /// Read every file as this format instead of detecting it: x-archive, twarc, twarc2,
    /// snscrape, csv, mastodon, bluesky, json, rss, atom, jsonfeed
    #[arg(long, value_name = "NAME", value_parser = parse_format)]
    pub format: Option<InputFormat>,
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
    /// Longest record of an export (`8MiB`, `512K`): a JSONL line, an element of a JSON
    /// array, a tweet of an archive; a longer one is skipped and counted without being
    /// held in memory
    #[arg(long, value_name = "SIZE", default_value = "8MiB", value_parser = crate::cli::parse_record_size)]
    pub max_record_size: usize,
}

fn parse_format(name: &str) -> Result<InputFormat, String> {
    InputFormat::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = InputFormat::ALL.iter().map(|(_, n)| *n).collect();
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
            since: None,
            until: None,
        })
    }
}
