//! The files of an archive, whether it is a folder or a zip file.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use super::SocialError;

/// An archive's files, by path relative to the archive root (`data/tweets.js`).
pub(crate) enum Files {
    Dir(PathBuf),
    Zip {
        path: PathBuf,
        zip: Box<zip::ZipArchive<BufReader<crate::progress::Counted<File>>>>,
        /// A folder every entry sits in (`twitter-2024-01-01-abc/`), or empty.
        prefix: String,
    },
}

impl Files {
    /// A folder: the archive root, or its `data/` folder.
    pub fn dir(path: &Path) -> Files {
        let root = if path.file_name().is_some_and(|n| n == "data")
            && !path.join("data").is_dir()
            && (path.join("tweets.js").exists()
                || path.join("tweet.js").exists()
                || path.join("manifest.js").exists()
                || path.join("js").is_dir())
        {
            path.parent()
                .map_or_else(|| path.to_path_buf(), Path::to_path_buf)
        } else {
            path.to_path_buf()
        };
        Files::Dir(root)
    }

    /// A zip file. `marker` is a file name that locates the archive root inside it.
    pub fn zip(path: &Path, markers: &[&str]) -> Result<Files, SocialError> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|source| SocialError::Read {
            file: name.clone(),
            source,
        })?;
        let file = crate::progress::counted(file);
        let zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| SocialError::Read {
            file: name.clone(),
            source: io::Error::other(e),
        })?;
        let all: Vec<String> = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect();
        let prefix = all
            .iter()
            .filter_map(|n| {
                markers.iter().find_map(|m| {
                    n.strip_suffix(m)
                        .filter(|p| p.is_empty() || p.ends_with('/'))
                })
            })
            .min_by_key(|p| p.len())
            .unwrap_or("")
            .to_owned();
        Ok(Files::Zip {
            path: path.to_path_buf(),
            zip: Box::new(zip),
            prefix,
        })
    }

    /// Relative paths of the files, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names = match self {
            Files::Dir(root) => {
                let mut out = Vec::new();
                for sub in ["", "data", "data/js/tweets"] {
                    let Ok(entries) = std::fs::read_dir(root.join(sub)) else {
                        continue;
                    };
                    for entry in entries.flatten() {
                        if entry.file_type().is_ok_and(|t| t.is_file()) {
                            let file = entry.file_name().to_string_lossy().into_owned();
                            out.push(if sub.is_empty() {
                                file
                            } else {
                                format!("{sub}/{file}")
                            });
                        }
                    }
                }
                out
            }
            Files::Zip { zip, prefix, .. } => zip
                .file_names()
                .filter_map(Result::ok)
                .filter_map(|n| n.strip_prefix(prefix.as_str()).map(str::to_owned))
                .filter(|n| !n.ends_with('/'))
                .collect(),
        };
        names.sort_by_key(|a| natural_key(a));
        names
    }

    /// True when the archive lists `name` (a file in it, or a link in it that
    /// [`Files::open`] will still refuse when it leads outside).
    pub fn has(&self, name: &str) -> bool {
        match self {
            Files::Dir(root) => {
                Path::new(name)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)))
                    && root.join(name).is_file()
            }
            Files::Zip { zip, prefix, .. } => {
                zip.index_for_name(&format!("{prefix}{name}")).is_some()
            }
        }
    }

    /// The name of `name` in messages: `archive.zip:data/tweets.js` or a path.
    pub fn display(&self, name: &str) -> String {
        match self {
            Files::Dir(root) => root.join(name).display().to_string(),
            Files::Zip { path, prefix, .. } => format!("{}:{prefix}{name}", path.display()),
        }
    }

    /// Checks that `name` stays inside the archive: a relative path without `..`, and in a
    /// folder no symlink leading out of it. An archive's own files (`data/manifest.js`)
    /// name the files to read, so they are untrusted.
    pub fn confine(&self, name: &str) -> Result<(), String> {
        let rel = Path::new(name);
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(format!("{name:?} is not a path inside the archive"));
        }
        if let Files::Dir(root) = self {
            let outside = || format!("{name:?} leads outside the archive folder");
            let root = root.canonicalize().map_err(|e| e.to_string())?;
            match root.join(rel).canonicalize() {
                Ok(real) if !real.starts_with(&root) => return Err(outside()),
                _ => {}
            }
        }
        Ok(())
    }

    /// Opens `name` for reading; a name that leads outside the archive is refused.
    pub fn open(&mut self, name: &str) -> Result<Box<dyn Read + '_>, SocialError> {
        let display = self.display(name);
        let err = |source| SocialError::Read {
            file: display.clone(),
            source,
        };
        self.confine(name)
            .map_err(|e| err(io::Error::new(io::ErrorKind::PermissionDenied, e)))?;
        match self {
            Files::Dir(root) => Ok(Box::new(crate::progress::counted(
                File::open(root.join(name)).map_err(err)?,
            ))),
            Files::Zip { zip, prefix, .. } => {
                let full = format!("{prefix}{name}");
                let entry = zip.by_name(&full).map_err(|e| err(io::Error::other(e)))?;
                Ok(Box::new(entry))
            }
        }
    }

    /// Reads a small file whole, as text.
    pub fn read_string(&mut self, name: &str) -> Result<String, SocialError> {
        let display = self.display(name);
        let mut s = String::new();
        self.open(name)?
            .read_to_string(&mut s)
            .map_err(|source| SocialError::Read {
                file: display,
                source,
            })?;
        Ok(s)
    }
}

/// Sorts `tweets-part10.js` after `tweets-part2.js`.
fn natural_key(name: &str) -> (String, u64) {
    let stem = name.trim_end_matches(".js").trim_end_matches(".json");
    let digits = stem.len() - stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (text, num) = stem.split_at(stem.len() - digits);
    (text.to_owned(), num.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_sort_naturally() {
        let mut v = vec![
            "data/tweets-part10.js",
            "data/tweets-part2.js",
            "data/tweets.js",
        ];
        v.sort_by_key(|a| natural_key(a));
        assert_eq!(
            v,
            [
                "data/tweets.js",
                "data/tweets-part2.js",
                "data/tweets-part10.js"
            ]
        );
    }

    /// Issue 14, item 1: names that leave an archive folder (absolute, `..`, a link that
    /// points outside) cannot be opened; names inside can.
    #[test]
    fn regression_14_1_names_are_confined_to_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("archive");
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::fs::write(root.join("data/tweets.js"), "[]").unwrap();
        std::fs::write(tmp.path().join("secret.js"), "secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(tmp.path().join("secret.js"), root.join("data/link.js"))
            .unwrap();
        let mut files = Files::dir(&root);
        assert!(files.has("data/tweets.js"));
        assert_eq!(files.read_string("data/tweets.js").unwrap(), "[]");
        let outside = [
            "../secret.js".to_owned(),
            "data/../../secret.js".to_owned(),
            tmp.path().join("secret.js").display().to_string(),
            "/etc/hostname".to_owned(),
            "data/link.js".to_owned(),
        ];
        for name in &outside {
            // A link is listed (so it is reported), but never opened.
            assert_eq!(files.has(name), name == "data/link.js", "{name}");
            let err = files.read_string(name).unwrap_err().to_string();
            assert!(
                err.contains("inside the archive") || err.contains("outside the archive"),
                "{name}: {err}"
            );
        }
    }
}
