//! The `earful` binary: parse arguments, dispatch, turn errors into exit codes.

mod cli;
mod cmd;

use clap::Parser;
use earful::exit::{ExitCode, UsageError};
use earful::jsonl::is_broken_pipe;
use earful::progress::{Printer, Verbosity};

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let verbosity = match (cli.global.quiet, cli.global.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let printer = Printer::new(cmd::name(&cli.command), verbosity);
    let stops_on_signal = matches!(
        cli.command,
        cli::Command::Fetch(_)
            | cli::Command::Filter(_)
            | cli::Command::Classify(_)
            | cli::Command::Export(_)
    );
    if stops_on_signal {
        // A first SIGINT/SIGTERM asks the stage to stop on a whole line and flush (fetch:
        // start no more sources, keep what was written, save --state); a second
        // one ends the process at once.
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            let flag = earful::exit::stop_flag();
            let _ = signal_hook::flag::register_conditional_shutdown(signal, 130, flag.clone());
            let _ = signal_hook::flag::register(signal, flag.clone());
        }
    }
    let code = match cmd::run(cli.command, &printer) {
        Ok(code) => code,
        // The reader has enough (`| head`): stop quietly.
        Err(err) if is_broken_pipe(err.as_ref()) => ExitCode::Success,
        Err(err) => {
            // A message may span lines (a query with a caret under the error): each line
            // gets the `earful <cmd>:` prefix, so the caret stays aligned.
            for line in format!("{err:#}").lines() {
                printer.error(line);
            }
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::Usage
            } else {
                ExitCode::Failure
            }
        }
    };
    let code = if earful::exit::interrupted() && code != ExitCode::Usage {
        ExitCode::Interrupted
    } else {
        code
    };
    code.into()
}
