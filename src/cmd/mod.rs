//! Dispatch: one arm per subcommand. Each `cmd/<name>.rs` holds its `Args` and a `run`
//! that resolves the arguments, calls the library and flushes.

pub mod export;
pub mod fetch;
pub mod social;

use earful::exit::ExitCode;
use earful::progress::Printer;

use crate::cli::Command;

/// The subcommand's name, for the `earful <name>:` prefix of messages.
pub fn name(command: &Command) -> &'static str {
    match command {
        Command::Fetch(_) => "fetch",
        Command::Export(_) => "export",
    }
}

pub fn run(command: Command, printer: &Printer) -> anyhow::Result<ExitCode> {
    match command {
        Command::Fetch(args) => fetch::run(args, printer),
        Command::Export(args) => export::run(args, printer),
    }
}

/// Reads the JSONL inputs of a stage: bad lines are reported through `printer` as
/// `<file>:<line>: <why>` and skipped (or fatal with `--strict`).
pub fn for_each_line<F>(
    input: &crate::cli::InputArgs,
    printer: &Printer,
    handle: F,
) -> anyhow::Result<earful::jsonl::ReadSummary>
where
    F: FnMut(&str, earful::jsonl::Location<'_>) -> Result<(), earful::jsonl::LineError>,
{
    let inputs = earful::jsonl::inputs_from_args(&input.files)
        .map_err(|e| earful::exit::UsageError(e.to_string()))?;
    let report =
        |loc: earful::jsonl::Location<'_>, why: &str| printer.error(&format!("{loc}: {why}"));
    Ok(earful::jsonl::for_each_line(
        &inputs,
        input.strict,
        report,
        handle,
    )?)
}

/// The exit code after reading: 1 with a summary line when lines were skipped.
pub fn finish_read(printer: &Printer, summary: earful::jsonl::ReadSummary) -> ExitCode {
    if summary.skipped > 0 {
        printer.error(&format!(
            "skipped {} malformed line{} of {}",
            summary.skipped,
            if summary.skipped == 1 { "" } else { "s" },
            summary.lines
        ));
    }
    ExitCode::from_failures(summary.skipped)
}
