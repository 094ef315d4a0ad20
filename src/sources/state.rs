//! The state file of incremental runs (`fetch --state FILE`).
//!
//! It remembers, per feed, the HTTP validators (`ETag`, `Last-Modified`) sent back as a
//! conditional GET, the last success and the consecutive failures; and, for all feeds
//! together, the ids of the mentions already delivered with the time each was last seen,
//! so a run emits only new mentions. Ids not seen for longer than the retention window
//! are pruned when the state is saved.
//!
//! # The guarantee
//!
//! The state is saved atomically (a temporary file in the same directory, `fsync`, then
//! `rename` over the old file, then `fsync` of the directory), so a reader sees either the
//! old or the new state, never a mix. It is saved only after every mention it records as
//! delivered has been written and flushed to the output (a checkpoint), and the validators
//! of a feed are recorded in the same checkpoint as that feed's mentions. Checkpoints are
//! taken every [`CHECKPOINT_EVERY`] during a run (or ten times as long as the last save
//! took, when a save takes more than 0.2 s) and at its end. Hence, if a run is killed
//! at any moment (even `kill -9`):
//!
//! - nothing is lost: every mention the saved state calls delivered was flushed before
//!   the state was saved, and every feed whose validators were saved had its mentions
//!   delivered, so the next run fetches again and emits whatever was not delivered;
//! - at most the mentions that reached the output after the last checkpoint (the last
//!   [`CHECKPOINT_EVERY`] of the killed run, plus the time to write the source being
//!   written then) are emitted a second time by the next run.
//!
//! "Flushed" means handed to the operating system (`write` returned): a mention survives
//! the death of the earful process, but not a power failure before the OS wrote it out,
//! and a downstream process in a pipe that dies loses what it had read but not processed.
//!
//! A lock file (`FILE.lock`, held with an OS advisory lock for the whole run) keeps two
//! runs from using the same state at once: the second one exits with a message.
//!
//! A state path that is a symbolic link stands for the file it points to: the lock is
//! taken and the file replaced there (the link stays a link), so runs through the link and
//! through the real path exclude each other. A file of another version is an error, keys
//! this version does not know are kept on save, the file keeps its permissions, and a
//! read-only state file is an error before anything is fetched, not silently replaced.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How often a run saves its state while it goes (or ten times as long as the last save
/// took, if that is longer).
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(2);

/// Version of the state file format.
pub const STATE_VERSION: u32 = 1;

/// What is remembered about one feed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedState {
    /// The last `ETag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The last `Last-Modified`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success: Option<String>,
    /// Consecutive failures.
    #[serde(default)]
    pub failures: u32,
    /// The reason of the last failure, while failing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// The whole state: per-feed records and the delivered ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// [`STATE_VERSION`].
    pub version: u32,
    /// By feed URL or path.
    #[serde(default)]
    pub feeds: HashMap<String, FeedState>,
    /// Delivered mention id → Unix time it was last seen in a feed.
    #[serde(default)]
    pub seen: HashMap<String, i64>,
    /// Keys this version does not know (written by a later one), kept as they were.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, thiserror::Error)]
#[allow(missing_docs)]
pub enum StateError {
    /// The file exists but cannot be read.
    #[error("reading state {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    /// The file is not JSON of the expected shape.
    #[error("state {path} is not a valid earful state file: {source}")]
    Invalid {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// Saving failed (the old state is intact).
    #[error("writing state {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    /// Another run holds the lock.
    #[error(
        "another earful run is using {path} (lock {lock} is held); exiting without doing anything"
    )]
    Locked { path: PathBuf, lock: PathBuf },
    /// The file is of another version of the format.
    #[error(
        "state {path} has version {found}, expected {STATE_VERSION}; use the earful that \
         wrote it, or another --state file"
    )]
    Version { path: PathBuf, found: u32 },
    /// The file cannot be written.
    #[error("state {path} is read-only; make it writable or use another --state file")]
    ReadOnly { path: PathBuf },
}

/// The file a state path stands for: the target of a symbolic link (followed to the end,
/// relative to the link's folder), the path itself otherwise.
fn resolve(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    // A bound on the links followed, as the OS has (a loop is left to fail at open).
    for _ in 0..40 {
        match fs::read_link(&path) {
            Ok(target) => {
                let dir = path.parent().unwrap_or(Path::new(""));
                path = dir.join(target);
            }
            Err(_) => break,
        }
    }
    path
}

impl State {
    /// Loads the state from `path`; a missing file is an empty state.
    pub fn load(path: &Path) -> Result<State, StateError> {
        match fs::read(path) {
            Ok(bytes) => {
                let state: State =
                    serde_json::from_slice(&bytes).map_err(|source| StateError::Invalid {
                        path: path.to_owned(),
                        source,
                    })?;
                if state.version != STATE_VERSION {
                    return Err(StateError::Version {
                        path: path.to_owned(),
                        found: state.version,
                    });
                }
                Ok(state)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(State {
                version: STATE_VERSION,
                ..State::default()
            }),
            Err(source) => Err(StateError::Read {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Drops ids last seen before `now - retention`.
    pub fn prune(&mut self, now: i64, retention: Duration) {
        let cutoff = now.saturating_sub(i64::try_from(retention.as_secs()).unwrap_or(i64::MAX));
        self.seen.retain(|_, t| *t >= cutoff);
    }

    /// Writes the state atomically: temp file, fsync, rename, fsync of the directory. A
    /// symbolic link is followed (its target is replaced), and the file keeps its
    /// permissions.
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        let err = |source| StateError::Write {
            path: path.to_owned(),
            source,
        };
        let path = &resolve(path);
        let permissions = fs::metadata(path).ok().map(|m| m.permissions());
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
        let write = || -> io::Result<()> {
            let mut file = File::create(&tmp)?;
            if let Some(permissions) = &permissions {
                file.set_permissions(permissions.clone())?;
            }
            let mut w = io::BufWriter::new(&mut file);
            serde_json::to_writer(&mut w, self).map_err(io::Error::from)?;
            w.write_all(b"\n")?;
            w.flush()?;
            drop(w);
            file.sync_all()?;
            fs::rename(&tmp, path)?;
            // Make the rename itself durable (not possible on every platform).
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(())
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            err(e)
        })
    }
}

/// An exclusive lock on `<state>.lock`, held until dropped.
#[derive(Debug)]
pub struct StateLock {
    _file: File,
}

impl StateLock {
    /// Takes the lock next to the file `state` stands for (through a symbolic link), or
    /// fails at once with [`StateError::Locked`]; a read-only state file fails with
    /// [`StateError::ReadOnly`].
    pub fn acquire(state: &Path) -> Result<StateLock, StateError> {
        let state = &resolve(state);
        if fs::metadata(state).is_ok_and(|m| m.permissions().readonly()) {
            return Err(StateError::ReadOnly {
                path: state.to_owned(),
            });
        }
        let mut lock = state.as_os_str().to_owned();
        lock.push(".lock");
        let lock = PathBuf::from(lock);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(|source| StateError::Write {
                path: lock.clone(),
                source,
            })?;
        match <File as fs4::FileExt>::try_lock(&file) {
            Ok(()) => Ok(StateLock { _file: file }),
            Err(fs4::TryLockError::WouldBlock) => Err(StateError::Locked {
                path: state.to_owned(),
                lock,
            }),
            Err(fs4::TryLockError::Error(source)) => Err(StateError::Write { path: lock, source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_load_round_trip_and_prune() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let mut s = State::load(&path).unwrap();
        s.seen.insert("a".into(), 100);
        s.seen.insert("b".into(), 10_000_000);
        s.feeds.insert(
            "http://x".into(),
            FeedState {
                etag: Some("\"e\"".into()),
                ..FeedState::default()
            },
        );
        s.save(&path).unwrap();
        let mut back = State::load(&path).unwrap();
        assert_eq!(back, s);
        back.prune(10_000_100, Duration::from_secs(1000));
        assert_eq!(back.seen.len(), 1);
        assert!(back.seen.contains_key("b"));
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file is left behind");
    }

    #[test]
    fn a_second_lock_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let first = StateLock::acquire(&path).unwrap();
        let second = StateLock::acquire(&path).unwrap_err();
        assert!(
            second.to_string().contains("another earful run"),
            "{second}"
        );
        drop(first);
        StateLock::acquire(&path).unwrap();
    }

    /// Issue 14, item 8: a symlinked state is locked and saved as the file it points to.
    #[cfg(unix)]
    #[test]
    fn regression_14_8_a_symlink_stands_for_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        State::load(&real).unwrap().save(&real).unwrap();
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        let held = StateLock::acquire(&link).unwrap();
        let second = StateLock::acquire(&real).unwrap_err();
        assert!(matches!(second, StateError::Locked { .. }), "{second}");
        drop(held);
        let mut s = State::load(&link).unwrap();
        s.seen.insert("a".into(), 1);
        s.save(&link).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(State::load(&real).unwrap(), s);
    }

    /// Issue 14, item 8: another version is an error; keys of a later version are kept.
    #[test]
    fn regression_14_8_version_is_checked_and_unknown_keys_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        for version in [0, 2] {
            fs::write(&path, format!(r#"{{"version":{version},"seen":{{}}}}"#)).unwrap();
            let err = State::load(&path).unwrap_err().to_string();
            assert!(
                err.contains(&format!("has version {version}, expected 1")),
                "{err}"
            );
        }
        fs::write(&path, r#"{"version":1,"seen":{"a":5},"later":{"x":[1,2]}}"#).unwrap();
        State::load(&path).unwrap().save(&path).unwrap();
        let saved: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(saved["later"], serde_json::json!({"x": [1, 2]}));
        assert_eq!(saved["seen"]["a"], 5);
    }

    /// Issue 14, item 8: the file keeps its mode, and a read-only one is not replaced.
    #[cfg(unix)]
    #[test]
    fn regression_14_8_mode_is_kept_and_read_only_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let state = State::load(&path).unwrap();
        state.save(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        state.save(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let err = StateLock::acquire(&path).unwrap_err();
        assert!(matches!(err, StateError::ReadOnly { .. }), "{err}");
    }

    #[test]
    fn corrupt_state_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        fs::write(&path, "{not json").unwrap();
        assert!(State::load(&path).is_err());
    }
}
