//! earful: mine brand mentions from feeds and social exports into a voice-of-the-customer report.
//!
//! The library does the work; the `earful` binary is thin glue over it. Every module here is
//! usable without clap.
#![forbid(unsafe_code)]

pub mod classify;
