//! earful: mine brand mentions from feeds and social exports into a voice-of-the-customer report.
//!
//! The library does the work; the `earful` binary is thin glue over it. Every module here is
//! usable without clap: functions take readers, writers and typed options.
//!
//! - [`mention`]: the record (schema v1) and a borrowed view for later stages
//! - [`jsonl`]: inputs, the line reader with bad-line accounting, output, field splicing
//! - [`sources`]: reading feeds and exports into mentions
//! - [`query`]: the filter query language
//! - [`filter`]: the filter stage (query, named queries, dates, dedup, sampling)
//! - [`classify`]: sentiment and intent
//! - [`export`]: CSV, JSON and other record writers
//! - [`network`]: who talks to whom, as a graph (GEXF, GraphML, CSV, JSON)
//! - [`time`]: the one grammar for times and durations users type; dates found in data
//! - [`train`]: models trained from a team's labels, and measuring any labelling
#![forbid(unsafe_code)]

pub mod classify;
pub mod config;
pub mod exit;
pub mod export;
pub mod filter;
pub mod init;
pub mod jsonl;
pub mod mention;
pub mod network;
pub mod notify;
pub mod parallel;
pub mod progress;
pub mod query;
pub mod report;
pub mod route;
mod scratch;
pub mod sources;
pub mod stats;
pub mod store;
pub mod time;
pub mod train;
