//! `earful generate`: man pages and shell completions from the clap definitions, so they
//! never drift from `--help`.

use std::path::PathBuf;

use anyhow::Context;
use clap::CommandFactory;
use earful::exit::ExitCode;

use crate::cli::Cli;

/// Write the man pages or a shell completion script.
///
/// Both come from the same definitions as `--help`. Man pages go into a folder that `man`
/// searches (`~/.local/share/man/man1` when `~/.local/bin` is on PATH); a completion script
/// goes where the shell loads it from.
///
/// Examples:
///   earful generate man ~/.local/share/man/man1 && man earful-filter
///   earful generate completions bash > ~/.local/share/bash-completion/completions/earful
///   earful generate completions zsh > ~/.zfunc/_earful
///   earful generate completions fish > ~/.config/fish/completions/earful.fish
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
