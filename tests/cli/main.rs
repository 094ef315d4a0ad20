//! Integration tests for the earful binary: one module per subcommand, plus the pipeline.

mod classify;
mod common;
mod export;
mod fetch;
mod filter;
mod pipeline;
mod progress;
mod readme;
mod report;
mod social;
mod stats;
mod store;
mod train;
