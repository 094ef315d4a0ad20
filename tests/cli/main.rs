//! Integration tests for the earful binary: one module per subcommand, plus the pipeline.

mod classify;
mod common;
mod cookbook;
mod export;
mod fetch;
mod filter;
mod init;
mod network;
mod notify;
mod pipeline;
mod progress;
pub mod readme;
mod report;
mod route;
mod scaling;
mod social;
mod stats;
mod store;
mod train;
