//! Dispatch: one arm per subcommand. Each `cmd/<name>.rs` holds its `Args` and a `run`
//! that resolves the arguments, calls the library and flushes.

pub mod classify;
pub mod evaluate;
pub mod export;
pub mod fetch;
pub mod filter;
pub mod generate;
pub mod init;
pub mod network;
pub mod notify;
pub mod report;
pub mod route;
pub mod social;
pub mod stats;
pub mod train;

use earful::exit::{ExitCode, UsageError};
use earful::jsonl::{self, Input, LineError, Location, ReadSummary};
use earful::progress::Printer;

use crate::cli::{Command, InputArgs};

/// The subcommand's name, for the `earful <name>:` prefix of messages.
pub fn name(command: &Command) -> &'static str {
    match command {
        Command::Fetch(_) => "fetch",
        Command::Filter(_) => "filter",
        Command::Classify(_) => "classify",
        Command::Export(_) => "export",
        Command::Stats(_) => "stats",
        Command::Report(_) => "report",
        Command::Train(_) => "train",
        Command::Evaluate(_) => "evaluate",
        Command::Route(_) => "route",
        Command::Notify(_) => "notify",
        Command::Network(_) => "network",
        Command::Init(_) => "init",
        Command::Generate(_) => "generate",
    }
}

pub fn run(command: Command, printer: &Printer) -> anyhow::Result<ExitCode> {
    match command {
        Command::Fetch(args) => fetch::run(args, printer),
        Command::Filter(args) => filter::run(args, printer),
        Command::Classify(args) => classify::run(args, printer),
        Command::Export(args) => export::run(args, printer),
        Command::Stats(args) => stats::run(args, printer),
        Command::Report(args) => report::run(args, printer),
        Command::Train(args) => train::run(args, printer),
        Command::Evaluate(args) => evaluate::run(args, printer),
        Command::Route(args) => route::run(args, printer),
        Command::Notify(args) => notify::run(args, printer),
        Command::Network(args) => network::run(args, printer),
        Command::Init(args) => init::run(args, printer),
        Command::Generate(args) => generate::run(args),
    }
}

/// The JSONL inputs named by the arguments (stdin when none). Every file is opened here,
/// before anything is written: a missing or unreadable one is a usage error naming it, so
/// no stage writes a partial result or truncates its `-o` file for a typo (issue 14).
/// Their reading is shown on a progress bar when stderr is a terminal.
pub fn inputs(input: &InputArgs, printer: &Printer) -> anyhow::Result<Vec<Input>> {
    jsonl::set_max_record_size(input.max_record_size);
    let inputs = jsonl::inputs_from_args(&input.files).map_err(|e| UsageError(e.to_string()))?;
    for input in &inputs {
        if let Input::Path(path) = input {
            std::fs::File::open(path)
                .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
        }
    }
    printer.reading(&inputs);
    Ok(inputs)
}

/// The named queries of a `--queries FILE`: a missing, unreadable or invalid file is a usage
/// error naming it (with a caret under a query's syntax error).
pub fn named_queries(path: &std::path::Path) -> anyhow::Result<earful::query::QuerySet> {
    earful::query::QuerySet::from_toml(&read_text(path)?)
        .map_err(|e| UsageError(format!("{}: {}", path.display(), e.render())).into())
}

/// The text of a file an option names (`--queries`, `--rules`): one that is missing,
/// unreadable or not UTF-8 is a usage error naming it, like a bad input file.
pub fn read_text(path: &std::path::Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => {
            UsageError(format!("{}: expected UTF-8 text", path.display())).into()
        }
        _ => UsageError(format!("{}: {e}", path.display())).into(),
    })
}

/// How a stage reports a bad line: `<file>:<line>: <why>` through `printer`.
pub fn bad_line_report(printer: &Printer) -> impl FnMut(Location<'_>, &str) + '_ {
    move |loc, why| printer.error(&format!("{loc}: {why}"))
}

/// Reads the JSONL `inputs` of a stage: bad lines are reported through `printer` and
/// skipped (or fatal with `strict`).
pub fn for_each_line<F>(
    inputs: &[Input],
    strict: bool,
    printer: &Printer,
    handle: F,
) -> anyhow::Result<ReadSummary>
where
    F: FnMut(&str, Location<'_>) -> Result<(), LineError>,
{
    Ok(jsonl::for_each_line(
        inputs,
        strict,
        bad_line_report(printer),
        handle,
    )?)
}

/// The exit code after reading: 1 with a summary line when lines were skipped. With
/// `--verbose`, the lines read (a pipeline's counts, stage by stage: `listen.sh` shows them).
pub fn finish_read(printer: &Printer, summary: ReadSummary) -> ExitCode {
    printer.info(&format!("read {} lines", summary.lines));
    if let Some(message) = summary.skipped_message() {
        printer.error(&message);
    }
    ExitCode::from_failures(summary.skipped)
}
