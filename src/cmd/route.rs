//! `earful route`: add the owning team to each mention.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use earful::exit::{ExitCode, UsageError};
use earful::progress::Printer;
use earful::query::QuerySet;
use earful::route::split::Split;
use earful::route::{self, Router, valid_team};

use crate::cli::{InputArgs, OutputArgs};

/// Add the team that owns each mention, by rules in the query language.
///
/// The routes file lists `[[route]]` tables in order, each with a `team`, a `query` (as for
/// `filter`), a `priority` (urgent, high, normal, low; default normal) and an optional `sla`
/// (a duration). The first route whose query matches sets `team`, `priority` and, with an
/// SLA, `due` (published + SLA); with --all every matching team is listed in `teams`.
/// Mentions no route matches get --default-team, or no team. Every other field passes
/// through unchanged, in input order. A routes file that does not parse, or a route that can
/// never match, is a usage error (exit 2) naming its line. See docs/route.md.
///
/// Examples:
///   earful route --routes teams.toml scored.jsonl | jq -c '[.team, .priority, .text]'
///   earful classify new.jsonl | earful route --routes teams.toml --default-team care --split teams/
///   earful route --routes teams.toml --all --queries brands.toml scored.jsonl -o routed.jsonl
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// The routes (TOML: [[route]] tables with team, query, priority, sla)
    #[arg(long, value_name = "FILE")]
    pub routes: PathBuf,
    /// Named queries the routes may refer to (`@brand`), as for `filter --queries`
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    /// Every matching route counts (listed in `teams`); `team` is the first one's
    #[arg(long)]
    pub all: bool,
    /// The team of mentions no route matches [default: none, no `team` field]
    #[arg(long, value_name = "TEAM")]
    pub default_team: Option<String>,
    /// Also append each routed mention to DIR/<team>.jsonl (created if missing)
    #[arg(long, value_name = "DIR")]
    pub split: Option<PathBuf>,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let named = match &args.queries {
        Some(path) => super::named_queries(path)?,
        None => QuerySet::new(),
    };
    let routes = route::parse_routes(&super::read_text(&args.routes)?, &named, args.all)
        .map_err(|e| UsageError(format!("{}: {e}", args.routes.display())))?;
    for r in &routes {
        for warning in r.query.warnings() {
            printer.warn(&format!(
                "{}: line {}: {warning}",
                args.routes.display(),
                r.line
            ));
        }
    }
    if let Some(team) = &args.default_team
        && !valid_team(team)
    {
        return Err(UsageError(format!(
            "--default-team {team:?}: use letters, digits, `.`, `_` and `-`"
        ))
        .into());
    }
    let router = Router::new(routes, args.all, args.default_team.clone());
    let mut split = match &args.split {
        Some(dir) => Some(Split::new(dir).with_context(|| format!("creating {}", dir.display()))?),
        None => None,
    };
    let inputs = super::inputs(&args.input, printer)?;
    let mut out = args.output.open()?;
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut buf = Vec::new();
    let summary = super::for_each_line(&inputs, args.input.strict, printer, |line, _| {
        buf.clear();
        let team = router.route_line(line, &mut buf)?;
        *counts
            .entry(team.unwrap_or("(none)").to_owned())
            .or_default() += 1;
        if let (Some(split), Some(team)) = (&mut split, team) {
            split.write(team, &buf)?;
        }
        out.write_records(&buf)?;
        Ok(())
    })?;
    out.flush()?;
    if let Some(split) = &mut split {
        split.flush().context("writing the --split files")?;
    }
    let counts: Vec<String> = counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
    if !counts.is_empty() {
        printer.info(&format!("routed: {}", counts.join(", ")));
    }
    Ok(super::finish_read(printer, summary))
}
