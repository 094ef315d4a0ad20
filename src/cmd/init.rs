//! `earful init`: start a listening project in a folder.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use earful::exit::{ExitCode, UsageError};
use earful::init::{self, Starter};
use earful::progress::Printer;

/// Start a listening project: earful.toml, the queries, routes and feeds, and listen.sh.
///
/// Writes, in DIR (default: here), a commented earful.toml (brands, competitors, handles,
/// queries, routes, sources; every stage run in the folder reads its defaults from it),
/// queries.toml (a named query per brand and competitor), teams.toml (starter routes),
/// feeds.opml (the public feeds of each name: Reddit, Hacker News, Google News, Mastodon)
/// and listen.sh (the hourly job, with its crontab lines). A file that exists is never
/// overwritten: it is left as it is and named. Prints the feeds a brand can be heard on
/// without an API key, and how to add Google Alerts and YouTube.
///
/// Examples:
///   earful init --brand "Nimbus Mobile" --brand Nimbus --competitor Vireo --handle @NimbusHelp
///   earful init --brand Acme --source exports/ --source feeds.opml listening/acme
///   cd listening/acme && ./listen.sh && ./listen.sh report
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The folder of the project (created if missing)
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// The brand's name (repeatable; the first names the project)
    #[arg(long, value_name = "NAME", required = true)]
    pub brand: Vec<String>,
    /// A competitor's name (repeatable)
    #[arg(long, value_name = "NAME")]
    pub competitor: Vec<String>,
    /// The brand's own handle (repeatable)
    #[arg(long, value_name = "@HANDLE")]
    pub handle: Vec<String>,
    /// What fetch reads: a feed URL, an OPML list, an export folder (repeatable)
    /// [default: the feeds.opml written]
    #[arg(long, value_name = "SOURCE")]
    pub source: Vec<String>,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    if args
        .brand
        .iter()
        .chain(&args.competitor)
        .any(|b| b.trim().is_empty())
    {
        return Err(UsageError("--brand and --competitor need a name".into()).into());
    }
    let starter = Starter {
        brands: args.brand.clone(),
        competitors: args.competitor.clone(),
        handles: args
            .handle
            .iter()
            .map(|h| h.trim().trim_start_matches('@').to_owned())
            .collect(),
        // A local source is named from anywhere: the project may be in another folder.
        sources: args
            .source
            .iter()
            .map(|s| match Path::new(s).exists() {
                true => std::path::absolute(s).map_or(s.clone(), |p| p.display().to_string()),
                false => s.clone(),
            })
            .collect(),
    };
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("creating {}", args.dir.display()))?;
    let files = [
        ("earful.toml", init::config(&starter)),
        ("queries.toml", init::queries(&starter)),
        ("teams.toml", init::TEAMS.to_owned()),
        ("feeds.opml", init::opml(&starter)),
        ("listen.sh", init::LISTEN.to_owned()),
    ];
    for (name, text) in files {
        let path = args.dir.join(name);
        match write_new(&path, &text) {
            Ok(true) => printer.warn(&format!("wrote {}", path.display())),
            Ok(false) => printer.warn(&format!("kept {} (it exists)", path.display())),
            Err(e) => return Err(e).with_context(|| format!("writing {}", path.display())),
        }
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Feeds to listen to, no API key needed (in feeds.opml):"
    )?;
    for name in starter.brands.iter().chain(&starter.competitors) {
        for f in init::feeds(name) {
            writeln!(out, "  {:<20} {}", f.what, f.url)?;
        }
    }
    writeln!(out, "More:\n{}", init::MORE_FEEDS)?;
    let dir = std::path::absolute(&args.dir).unwrap_or(args.dir.clone());
    writeln!(
        out,
        "\nRun it now: cd {0} && ./listen.sh && ./listen.sh report\nInstall it (crontab -e):\n  7 * * * *   cd {0} && ./listen.sh >> data/listen.log 2>&1\n  30 7 * * 1  cd {0} && ./listen.sh report >> data/listen.log 2>&1",
        dir.display()
    )?;
    Ok(ExitCode::Success)
}

/// Writes `text` to `path` unless it exists (`Ok(false)`): created exclusively, so a file
/// that appears meanwhile is not overwritten either. `listen.sh` is made executable.
fn write_new(path: &Path, text: &str) -> std::io::Result<bool> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if path.extension().is_some_and(|e| e == "sh") {
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o755);
    }
    match options.open(path) {
        Ok(mut f) => f.write_all(text.as_bytes()).map(|()| true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}
