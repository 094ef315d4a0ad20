//! The `earful` binary: parse arguments, dispatch, turn errors into exit codes.

mod cli;
mod cmd;

use clap::{CommandFactory, FromArgMatches};
use earful::exit::{ExitCode, UsageError};
use earful::jsonl::is_broken_pipe;
use earful::progress::{Printer, Verbosity};

fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match parse(&args) {
        Ok(cli) => cli,
        Err(message) => {
            for line in message.lines() {
                eprintln!("earful: {}", earful::progress::sanitize(line));
            }
            return ExitCode::Usage.into();
        }
    };
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

/// The command line, with the project file's values as the defaults (`earful.toml`,
/// `--config`, `$EARFUL_CONFIG`; `--no-config` for none). A bad project file is an error
/// message; clap's own errors (and `--help`) end the process as usual.
fn parse(args: &[std::ffi::OsString]) -> Result<cli::Cli, String> {
    let explicit = cli::config_arg(args);
    let config = match explicit {
        Some(None) => Ok(None),
        Some(Some(path)) => earful::config::Config::find(Some(&path)),
        None => earful::config::Config::find(None),
    }
    .map_err(|e| e.to_string())?;
    let mut command = cli::Cli::command();
    if let Some(config) = &config {
        command = cli::with_config(command, config)?;
    }
    let matches = command.get_matches_from(args);
    cli::Cli::from_arg_matches(&matches).map_err(|e| e.to_string())
}
