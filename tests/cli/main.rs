//! Integration tests for the earful binary: one module per subcommand, plus the pipeline.

mod classify;
mod common;
mod export;
mod fetch;
mod filter;
mod network;
mod notify;
mod pipeline;
mod progress;
mod readme;
mod report;
mod route;
mod scaling;
mod social;
mod stats;
mod store;
