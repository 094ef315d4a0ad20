//! `route --split DIR`: one JSONL file per team, appended to.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::valid_team;

/// Appends each routed line to `DIR/<team>.jsonl`. Team names are checked by the routes
/// file ([`valid_team`]), so every path stays in `DIR`. Files are opened for appending
/// (a cron run adds to the last one's) and written in whole lines: a buffer is handed to
/// the OS only up to the end of a line, so two runs appending at once never split a line.
#[derive(Debug)]
pub struct Split {
    dir: PathBuf,
    files: HashMap<String, BufWriter<File>>,
}

/// Lines kept per team before they are written.
const BUFFER: usize = 64 * 1024;

impl Split {
    /// Creates `dir` if needed.
    pub fn new(dir: &Path) -> io::Result<Split> {
        std::fs::create_dir_all(dir)?;
        Ok(Split {
            dir: dir.to_owned(),
            files: HashMap::new(),
        })
    }

    /// The file a team's lines go to.
    pub fn path(&self, team: &str) -> PathBuf {
        self.dir.join(format!("{team}.jsonl"))
    }

    /// Appends one line (ending in a newline) to the team's file.
    pub fn write(&mut self, team: &str, line: &[u8]) -> io::Result<()> {
        if !valid_team(team) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("team {team:?} cannot name a file"),
            ));
        }
        if !self.files.contains_key(team) {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.path(team))?;
            self.files
                .insert(team.to_owned(), BufWriter::with_capacity(BUFFER, file));
        }
        let w = self.files.get_mut(team).expect("opened above");
        // A line that does not fit what is left goes after the lines before it are out,
        // in one write of its own when longer than the buffer.
        if w.buffer().len() + line.len() > w.capacity() {
            w.flush()?;
        }
        if line.len() > w.capacity() {
            return w.get_mut().write_all(line);
        }
        w.write_all(line)
    }

    /// Writes out every team's lines.
    pub fn flush(&mut self) -> io::Result<()> {
        self.files.values_mut().try_for_each(|w| w.flush())
    }

    /// The teams written to, with their files.
    pub fn teams(&self) -> Vec<(&str, PathBuf)> {
        let mut teams: Vec<_> = self
            .files
            .keys()
            .map(|t| (t.as_str(), self.path(t)))
            .collect();
        teams.sort();
        teams
    }
}
