//! `earful generate` (hidden): man pages and shell completions from the clap definitions,
//! so they never drift from `--help`.

use std::path::PathBuf;

use anyhow::Context;
use clap::CommandFactory;
use earful::exit::ExitCode;

use crate::cli::Cli;

/// Generate man pages or shell completions.
///
/// Examples:
///   earful generate man target/man && man target/man/earful-filter.1
///   earful generate completions bash > /etc/bash_completion.d/earful
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Write earful.1 and one page per subcommand into DIR
    Man {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Print a completion script for SHELL to stdout
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut cmd = Cli::command();
    match args.what {
        What::Man { dir } => {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir)
                .with_context(|| format!("writing man pages to {}", dir.display()))?;
        }
        What::Completions { shell } => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut cmd, "earful", &mut out);
        }
    }
    Ok(ExitCode::Success)
}
