//! Command-line definition: the top-level parser, global flags and shared argument groups.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use earful::config::{self, Config};
use earful::jsonl::Output;

use crate::cmd;

const ABOUT_LONG: &str = "\
earful mines mentions of a brand from feeds and exported social posts and turns them into a
voice-of-the-customer report. Every stage reads JSON Lines (one mention per line) and writes
JSON Lines, passing through fields it does not know, so the stages compose with each other
and with jq, mlr, duckdb and cron.";

const AFTER_LONG: &str = "\
Examples:
  # The whole pipeline: feeds in, a report out
  earful fetch --opml feeds.opml | earful filter '(nimbus OR @NimbusHelp) NOT careers' \\
    | earful classify | earful export --format csv -o mentions.csv

  # Read a feed file and an X archive, keep complaints, look at them with jq
  earful fetch news.rss.xml twitter-archive/ | earful classify | jq -c 'select(.sentiment.label == \"negative\")'

Exit codes:
  0  success, including empty output and a reader closing the pipe (| head)
  1  runtime failure, or some items (lines, feeds) failed and were skipped
  2  usage error: bad flags, an invalid query, a bad configuration file
  3  stats --fail-on-spike: the latest period of a group is a spike
  130  stopped by Ctrl-C (SIGINT) or SIGTERM after a whole line (fetch: the --state saved)

Project file:
  ./earful.toml (or --config FILE, or EARFUL_CONFIG) sets the options' defaults of every
  stage; a flag wins; `earful init` writes one (docs/project.md)

Environment:
  NO_COLOR       disables colour on stderr
  EARFUL_CONFIG  the project file to read";

/// Mine brand mentions from feeds and social exports into a voice-of-the-customer report.
#[derive(Debug, Parser)]
#[command(
    name = "earful",
    version,
    long_about = ABOUT_LONG,
    after_long_help = AFTER_LONG,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Print only errors on stderr (no warnings, summary or progress)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print informational logs on stderr (hides progress bars)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// The project file whose values are the options' defaults [default: $EARFUL_CONFIG,
    /// else ./earful.toml when it exists]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Read no project file
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,
}

/// The `--config FILE` (or `--no-config`) of a command line, read before it is parsed: the
/// project file's values become the options' defaults. `None`: none given.
pub fn config_arg(args: &[std::ffi::OsString]) -> Option<Option<PathBuf>> {
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let a = a.to_string_lossy();
        if a == "--" {
            break;
        } else if a == "--no-config" {
            return Some(None);
        } else if a == "--config" {
            return it.next().map(|p| Some(PathBuf::from(p)));
        } else if let Some(p) = a.strip_prefix("--config=") {
            return Some(Some(PathBuf::from(p)));
        }
    }
    None
}

/// `cmd` with the values of the project file as its subcommands' defaults (a flag on the
/// command line still wins). A stage table naming no stage, or an option the stage does not
/// have, is an error with its line.
pub fn with_config(mut cmd: clap::Command, config: &Config) -> Result<clap::Command, String> {
    let stages: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    let at = |line: usize| format!("{}:{line}", config.path.display());
    for (stage, line) in config.stages() {
        if !stages.iter().any(|s| s == stage) {
            return Err(format!(
                "{}: [{stage}] is not a stage (expected [project] or one of: {})",
                at(line),
                stages.join(", ")
            ));
        }
    }
    let find = |sub: &clap::Command, key: &str| -> Option<clap::Arg> {
        sub.get_arguments()
            .find(|a| a.get_long() == Some(key) || (a.is_positional() && a.get_id() == key))
            .cloned()
    };
    for stage in stages {
        let sub = cmd.find_subcommand(&stage).expect("listed above");
        let mut defaults = Vec::new();
        for s in config.settings(&stage, |key| find(sub, key).is_some()) {
            let arg = find(sub, &s.key)
                .ok_or_else(|| format!("{}: [{stage}] has no option --{}", at(s.line), s.key))?;
            let is_path = matches!(
                arg.get_value_hint(),
                clap::ValueHint::AnyPath | clap::ValueHint::FilePath | clap::ValueHint::DirPath
            ) || s.key == "sources";
            let values: Vec<String> = s
                .values
                .iter()
                .map(|v| match is_path {
                    true => config::resolve(config.dir(), v),
                    false => v.clone(),
                })
                .collect();
            defaults.push((arg.get_id().clone(), values));
        }
        cmd = cmd.mut_subcommand(&stage, |mut sub| {
            for (id, values) in defaults {
                sub = sub.mut_arg(id, |a| {
                    // A switch the file turns on can be turned off again: `--keep-all=false`.
                    let a = match a.get_action() {
                        clap::ArgAction::SetTrue => a
                            .action(clap::ArgAction::Set)
                            .num_args(0..=1)
                            .require_equals(true)
                            .default_missing_value("true"),
                        _ => a,
                    };
                    a.default_values(values).required(false)
                });
            }
            sub
        });
    }
    Ok(cmd)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Fetch(cmd::fetch::Args),
    Filter(cmd::filter::Args),
    Classify(cmd::classify::Args),
    Export(cmd::export::Args),
    Stats(cmd::stats::Args),
    Report(cmd::report::Args),
    Train(cmd::train::Args),
    Evaluate(cmd::evaluate::Args),
    Route(cmd::route::Args),
    Notify(cmd::notify::Args),
    Network(cmd::network::Args),
    Init(cmd::init::Args),
    Generate(cmd::generate::Args),
}

/// JSONL inputs, shared by every stage that reads mentions.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// JSONL files to read in order; `-` or nothing reads stdin
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Stop at the first malformed line instead of reporting and skipping it
    #[arg(long)]
    pub strict: bool,
    /// Longest line read as a record (`8MiB`, `512K`); a longer one is a bad line, skipped
    /// without being held in memory
    #[arg(long, value_name = "SIZE", default_value = "8MiB", value_parser = parse_record_size)]
    pub max_record_size: usize,
}

pub(crate) fn parse_record_size(s: &str) -> Result<usize, String> {
    earful::sources::run::parse_size(s)
        .filter(|n| *n >= 1024)
        .ok_or_else(|| format!("invalid size {s:?} (at least 1K, e.g. 8MiB)"))
}

/// `--threads`, shared by the stages that use several cores.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct ThreadsArgs {
    /// Worker threads, 1 to 256; the output is the same for any number [default: all cores]
    #[arg(long = "threads", value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

impl ThreadsArgs {
    /// The number of threads to run.
    pub fn count(self) -> usize {
        earful::parallel::threads(self.threads)
    }
}

/// Where a stage writes its records, shared by every stage that writes them.
#[derive(Debug, Clone, Default, Args)]
pub struct OutputArgs {
    /// Write records to FILE (created or truncated) instead of stdout; `-` is stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    /// Opens the output: stdout, or the file. Stages call it after checking their other
    /// arguments, so a usage error leaves an existing file untouched.
    pub fn open(&self) -> anyhow::Result<Output> {
        Output::from_arg(self.output.as_deref())
            .with_context(|| format!("creating {}", self.name()))
    }

    /// The output in messages: the path, or `stdout`.
    pub fn name(&self) -> String {
        self.output
            .as_ref()
            .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
