//! `earful notify`: post mentions or spikes to a chat or ticketing webhook.

use std::path::PathBuf;
use std::time::Duration;

use earful::exit::{ExitCode, UsageError};
use earful::notify::message::{Payload, Template};
use earful::notify::{self, Notifier, Options};
use earful::progress::Printer;
use earful::sources::http::HttpOptions;
use earful::time;

use crate::cli::{InputArgs, OutputArgs};

/// Post mentions (or `stats --spikes` rows) to a chat or ticketing webhook.
///
/// One message per mention, or digests of --digest N. Payloads: slack (`{"text": ...}`, which
/// Slack, Mattermost, Rocket.Chat and Discord's /slack endpoints take), teams (an Adaptive
/// Card for a Teams workflow webhook) or json (the text and the records). The line says team,
/// priority, sentiment, author, text, labels and links to the post, or follows --template.
/// Mention text is escaped for the chat, so it cannot ping a channel or hide a link.
///
/// With --state, each mention is sent once, ever: new ones are first queued beside the state
/// (FILE.queue), each accepted post is recorded at once, and a failed post or what is over
/// --max waits for the next run; a killed run loses nothing and repeats at most the message
/// in flight. 429 and 5xx are retried with backoff, honouring Retry-After. The URL is never
/// printed in full: keep it out of crontabs with --webhook-env. See docs/route.md.
///
/// Examples:
///   earful filter priority:urgent new.jsonl | earful notify --webhook-env SLACK_URL --state u.json
///   earful notify --webhook-env TEAMS_URL --payload teams --digest 50 --state d.json new.jsonl
///   earful stats --spikes --by hour m.jsonl | earful notify --webhook-env SLACK_URL --state s.json
///   earful notify --dry-run --webhook https://hooks.example/x --template '{team}: {text}' m.jsonl
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// The webhook URL (http or https)
    #[arg(long, value_name = "URL", conflicts_with = "webhook_env")]
    pub webhook: Option<String>,
    /// Read the webhook URL from this environment variable
    #[arg(long, value_name = "VAR")]
    pub webhook_env: Option<String>,
    /// Payload format: slack, teams or json
    #[arg(long, value_name = "FORMAT", default_value = "slack", value_parser = parse_payload)]
    pub payload: Payload,
    /// Post digests of up to N mentions per message instead of one message each
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(2..=500))]
    pub digest: Option<u16>,
    /// The message line, with {field} placeholders (dotted paths: {author.handle})
    #[arg(long, value_name = "TEXT", value_parser = Template::parse)]
    pub template: Option<Template>,
    /// Send each mention once across runs; failed and over --max ones wait in FILE.queue
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Forget the ids sent longer ago than this
    #[arg(long, value_name = "DURATION", default_value = "90d", requires = "state", value_parser = time::parse_duration)]
    pub state_retention: Duration,
    /// Messages posted per run at most
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max: usize,
    /// Wait between two posts (the webhook's rate limit)
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = time::parse_duration)]
    pub interval: Duration,
    /// Retries of a post after a timeout, a connection error, 429 or 5xx
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub retries: u32,
    /// Print the payloads instead of posting them (the state is read, not changed)
    #[arg(long)]
    pub dry_run: bool,
}

fn parse_payload(s: &str) -> Result<Payload, String> {
    Payload::from_name(s).ok_or_else(|| format!("expected one of {}", Payload::NAMES.join(", ")))
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let url = match (&args.webhook, &args.webhook_env) {
        (Some(url), _) => url.clone(),
        (None, Some(var)) => std::env::var(var)
            .map_err(|_| UsageError(format!("--webhook-env {var}: the variable is not set")))?,
        (None, None) => {
            return Err(UsageError("give --webhook URL or --webhook-env VAR".into()).into());
        }
    };
    if !url::Url::parse(&url).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
    {
        return Err(UsageError(format!(
            "the webhook must be an http(s) URL, not {}",
            notify::redact(&url)
        ))
        .into());
    }
    let options = Options {
        url,
        payload: args.payload,
        template: args.template.clone(),
        per_message: args.digest.map_or(1, usize::from),
        max: args.max,
        interval: args.interval,
        http: HttpOptions {
            retries: args.retries,
            max_backoff: Duration::from_secs(120),
            ..HttpOptions::default()
        },
        dry_run: args.dry_run,
        state: args.state.clone(),
        retention: args.state_retention,
    };
    let inputs = super::inputs(&args.input, printer)?;
    let mut out = args.output.open()?;
    let warn = |m: &str| printer.error(m);
    let notifier = Notifier::new(options, &mut out, &warn)?;
    let (read, s) = notifier.run(&inputs, args.input.strict, super::bad_line_report(printer))?;
    out.flush()?;
    let verb = if args.dry_run { "would send" } else { "sent" };
    let mut line = format!("{verb} {} messages ({} items)", s.messages, s.items);
    if s.already > 0 {
        line.push_str(&format!(", {} sent before", s.already));
    }
    if s.unsent > 0 {
        let fate = match &args.state {
            Some(_) if !args.dry_run => "waiting in the queue for the next run",
            _ => "not sent",
        };
        line.push_str(&format!(", {} {fate}", s.unsent));
    }
    printer.warn(&line);
    let code = super::finish_read(printer, read);
    Ok(if s.failed > 0 {
        ExitCode::Failure
    } else {
        code
    })
}
