//! Exit codes, in one place. Listed in the README and in `earful --help`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// How an earful process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Success, including empty output and a downstream reader closing the pipe.
    Success,
    /// Runtime failure (I/O, network, malformed input), or the run finished but some items
    /// (lines, feeds) failed and were skipped.
    Failure,
    /// Usage error: bad flags, an invalid query, a bad configuration file.
    Usage,
    /// `stats --fail-on-spike`: the latest period of a group is a spike (for cron: `earful
    /// stats ... || mail ...`).
    Spike,
    /// Stopped by SIGINT or SIGTERM after finishing and flushing the current line (128 + 2,
    /// the shell's code for an interrupted program).
    Interrupted,
}

impl ExitCode {
    /// The process exit status.
    pub fn code(self) -> u8 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Failure => 1,
            ExitCode::Usage => 2,
            ExitCode::Spike => 3,
            ExitCode::Interrupted => 130,
        }
    }

    /// `Failure` if anything failed, else `Success`.
    pub fn from_failures(failures: u64) -> ExitCode {
        if failures == 0 {
            ExitCode::Success
        } else {
            ExitCode::Failure
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.code())
    }
}

/// The flag SIGINT and SIGTERM set (the binary registers it for the line stages). Readers
/// check it between lines and end their input early, so a stage stops on a whole line,
/// flushes and exits with [`ExitCode::Interrupted`].
pub fn stop_flag() -> &'static Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(Arc::default)
}

/// True once SIGINT or SIGTERM arrived.
pub fn interrupted() -> bool {
    stop_flag().load(Ordering::Relaxed)
}

/// An error caused by how earful was called (exit code 2), as opposed to what it read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_documented_values() {
        assert_eq!(ExitCode::Success.code(), 0);
        assert_eq!(ExitCode::Failure.code(), 1);
        assert_eq!(ExitCode::Usage.code(), 2);
        assert_eq!(ExitCode::Interrupted.code(), 130);
        assert_eq!(ExitCode::Spike.code(), 3);
        assert_eq!(ExitCode::from_failures(0), ExitCode::Success);
        assert_eq!(ExitCode::from_failures(3), ExitCode::Failure);
    }
}
