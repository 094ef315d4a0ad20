//! Integration tests for the earful binary: one module per subcommand, plus the pipeline.

mod common;
mod export;
mod fetch;
mod social;
