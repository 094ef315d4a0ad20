//! `earful.toml`: a listening project in one file.
//!
//! ```toml
//! [project]
//! name = "Nimbus Mobile"
//! brands = ["Nimbus Mobile", "Nimbus"]      # masked by classify, left out of terms
//! competitors = ["Vireo", "Kestrel"]
//! handles = ["@NimbusHelp"]                  # the brand's own: report --brand-handle
//! queries = "brands.toml"                     # filter, classify, route --queries
//! sources = ["feeds.opml", "exports/"]        # fetch's sources
//! rules = "rules.toml"                        # classify --rules
//! routes = "teams.toml"                       # route --routes
//! store = "data/mentions.db"                  # for listen.sh
//!
//! [report]                                    # any option of a stage, by its long name
//! period = "7d"
//! top = 20
//! ```
//!
//! [`Config::settings`] turns the file into defaults per stage: the `[project]` values each
//! stage uses, then the stage's own table, whose keys are the stage's long option names.
//! The binary checks every key against the stage's options (an unknown one is an error with
//! its line) and sets them as the options' defaults, so a flag on the command line always
//! wins. Relative paths are relative to the file's folder.

use std::path::{Path, PathBuf};

/// The file looked for in the working directory.
pub const FILE_NAME: &str = "earful.toml";

/// The environment variable naming a project file.
pub const ENV: &str = "EARFUL_CONFIG";

/// A project file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}{message}", path.display(), line.map_or(": ".to_owned(), |l| format!(":{l}: ")))]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

/// One default: a stage's option (its long name, or `sources` for fetch's sources) and its
/// values as they would be typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub key: String,
    pub values: Vec<String>,
    /// Its line in the file.
    pub line: usize,
    /// Relative paths in `values` are relative to [`Config::dir`], when the option takes a
    /// path (the binary knows which).
    pub from_project: bool,
}

/// The `[project]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Project {
    pub name: Option<String>,
    pub brands: Vec<String>,
    pub competitors: Vec<String>,
    /// Without `@`.
    pub handles: Vec<String>,
    pub queries: Option<String>,
    pub sources: Vec<String>,
    pub rules: Option<String>,
    pub routes: Option<String>,
    pub store: Option<String>,
}

const PROJECT_KEYS: [&str; 9] = [
    "name",
    "brands",
    "competitors",
    "handles",
    "queries",
    "sources",
    "rules",
    "routes",
    "store",
];

/// A parsed project file.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub path: PathBuf,
    pub project: Project,
    /// The `[project]` keys, with their lines.
    project_lines: Vec<(String, usize)>,
    /// Per stage table: its settings.
    stages: Vec<(String, usize, Vec<Setting>)>,
}

impl Config {
    /// The project file to use: `explicit` (`--config`), else `$EARFUL_CONFIG`, else
    /// `./earful.toml` when it exists; `None` when there is none.
    pub fn find(explicit: Option<&Path>) -> Result<Option<Config>, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_owned(),
            None => match std::env::var_os(ENV).filter(|v| !v.is_empty()) {
                Some(p) => PathBuf::from(p),
                None if Path::new(FILE_NAME).is_file() => PathBuf::from(FILE_NAME),
                None => return Ok(None),
            },
        };
        let src = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            path: path.clone(),
            line: None,
            message: e.to_string(),
        })?;
        Config::parse(&src, &path).map(Some)
    }

    /// The folder relative paths are relative to.
    pub fn dir(&self) -> &Path {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }

    /// Reads a project file (`path` names it in errors).
    pub fn parse(src: &str, path: &Path) -> Result<Config, ConfigError> {
        let line_of = |span: Option<std::ops::Range<usize>>| {
            span.map_or(1, |s| {
                src.as_bytes()[..s.start.min(src.len())]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1
            })
        };
        let err = |line: usize, message: String| ConfigError {
            path: path.to_owned(),
            line: Some(line),
            message,
        };
        let doc = toml_edit::Document::parse(src).map_err(|e| {
            err(
                line_of(e.span()),
                format!("invalid TOML: {}", e.message().trim()),
            )
        })?;
        let mut config = Config {
            path: path.to_owned(),
            project: Project::default(),
            project_lines: Vec::new(),
            stages: Vec::new(),
        };
        for (name, item) in doc.as_table().iter() {
            let line = line_of(doc.as_table().key(name).and_then(|k| k.span()));
            let Some(table) = item.as_table() else {
                return Err(err(
                    line,
                    format!("`{name}` must be a table: [project] or a stage such as [report]"),
                ));
            };
            let mut settings = Vec::new();
            for (key, value) in table.iter() {
                let line = line_of(table.key(key).and_then(|k| k.span()));
                let values = values_of(value).ok_or_else(|| {
                    err(
                        line,
                        format!(
                            "`{key}`: expected a string, number, boolean or list of them, found {}",
                            value.type_name()
                        ),
                    )
                })?;
                settings.push(Setting {
                    key: key.to_owned(),
                    values,
                    line,
                    from_project: false,
                });
            }
            if name == "project" {
                config.read_project(settings).map_err(|(l, m)| err(l, m))?;
            } else {
                config.stages.push((name.to_owned(), line, settings));
            }
        }
        Ok(config)
    }

    fn read_project(&mut self, settings: Vec<Setting>) -> Result<(), (usize, String)> {
        let p = &mut self.project;
        for s in settings {
            let one = || -> Result<String, (usize, String)> {
                match s.values.as_slice() {
                    [v] => Ok(v.clone()),
                    _ => Err((s.line, format!("`{}`: expected one value", s.key))),
                }
            };
            match s.key.as_str() {
                "name" => p.name = Some(one()?),
                "brands" => p.brands = s.values.clone(),
                "competitors" => p.competitors = s.values.clone(),
                "handles" => {
                    p.handles = s
                        .values
                        .iter()
                        .map(|h| h.trim().trim_start_matches('@').to_owned())
                        .collect()
                }
                "queries" => p.queries = Some(one()?),
                "sources" => p.sources = s.values.clone(),
                "rules" => p.rules = Some(one()?),
                "routes" => p.routes = Some(one()?),
                "store" => p.store = Some(one()?),
                other => {
                    return Err((
                        s.line,
                        format!(
                            "unknown key `{other}` in [project] (expected one of: {})",
                            PROJECT_KEYS.join(", ")
                        ),
                    ));
                }
            }
            self.project_lines.push((s.key, s.line));
        }
        Ok(())
    }

    /// The stage tables, with their lines: the binary checks that each names a stage.
    pub fn stages(&self) -> impl Iterator<Item = (&str, usize)> {
        self.stages.iter().map(|(n, l, _)| (n.as_str(), *l))
    }

    /// The defaults of `stage`: the `[project]` values it takes (only for the options it
    /// has: `has(long)`), then its own table's, which replace them.
    pub fn settings(&self, stage: &str, has: impl Fn(&str) -> bool) -> Vec<Setting> {
        let p = &self.project;
        let line = |key: &str| {
            self.project_lines
                .iter()
                .find(|(k, _)| k == key)
                .map_or(1, |(_, l)| *l)
        };
        let mut out: Vec<Setting> = Vec::new();
        let mut add = |key: &str, from: &str, values: Vec<String>| {
            if !values.is_empty() && has(key) {
                out.push(Setting {
                    key: key.to_owned(),
                    values,
                    line: line(from),
                    from_project: true,
                });
            }
        };
        let names: Vec<String> = p.brands.iter().chain(&p.competitors).cloned().collect();
        match stage {
            "fetch" => add("sources", "sources", p.sources.clone()),
            "classify" | "stats" | "report" => add("brand", "brands", names),
            _ => {}
        }
        match stage {
            // filter's --queries makes every argument a FILE; the project's leave the first
            // argument the query (`earful filter 'priority:urgent' new.jsonl`).
            "filter" => add(
                "project-queries",
                "queries",
                p.queries.iter().cloned().collect(),
            ),
            "route" => add("queries", "queries", p.queries.iter().cloned().collect()),
            "classify" => add("rules", "rules", p.rules.iter().cloned().collect()),
            "report" => {
                add(
                    "brand-handle",
                    "handles",
                    p.handles.iter().map(|h| format!("@{h}")).collect(),
                );
                let title = p
                    .name
                    .as_ref()
                    .map(|n| format!("{n}: voice of the customer"));
                add("title", "name", title.into_iter().collect());
            }
            _ => {}
        }
        if stage == "route" {
            add("routes", "routes", p.routes.iter().cloned().collect());
        }
        if let Some((_, _, own)) = self.stages.iter().find(|(n, _, _)| n == stage) {
            for s in own {
                out.retain(|o| o.key != s.key);
                out.push(s.clone());
            }
        }
        out
    }
}

/// `value` (a path, or for fetch's sources also a URL) relative to `dir` when it is a
/// relative path; URLs, absolute paths and `-` (stdin) as they are.
pub fn resolve(dir: &Path, value: &str) -> String {
    let is_url = value.contains("://");
    if is_url || value == "-" || Path::new(value).is_absolute() || dir == Path::new(".") {
        return value.to_owned();
    }
    dir.join(value).to_string_lossy().into_owned()
}

/// A TOML value as the strings a user would type.
fn values_of(item: &toml_edit::Item) -> Option<Vec<String>> {
    let one = |v: &toml_edit::Value| -> Option<String> {
        match v {
            toml_edit::Value::String(s) => Some(s.value().clone()),
            toml_edit::Value::Integer(i) => Some(i.value().to_string()),
            toml_edit::Value::Float(f) => Some(f.value().to_string()),
            toml_edit::Value::Boolean(b) => Some(b.value().to_string()),
            _ => None,
        }
    };
    match item.as_value()? {
        toml_edit::Value::Array(a) => a.iter().map(one).collect(),
        v => one(v).map(|s| vec![s]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
[project]
name = "Nimbus"
brands = ["Nimbus"]
competitors = ["Vireo"]
handles = ["@NimbusHelp"]
queries = "brands.toml"

[report]
period = "7d"
brand = ["Only"]

[classify]
threads = 2
explain = true
"#;

    fn parse(src: &str) -> Result<Config, ConfigError> {
        Config::parse(src, Path::new("proj/earful.toml"))
    }

    #[test]
    fn project_values_feed_the_stages_and_tables_replace_them() {
        let c = parse(SRC).unwrap();
        assert_eq!(c.dir(), Path::new("proj"));
        let report = c.settings("report", |_| true);
        let get = |s: &[Setting], k: &str| s.iter().find(|x| x.key == k).map(|x| x.values.clone());
        assert_eq!(get(&report, "brand"), Some(vec!["Only".to_owned()]));
        assert_eq!(
            get(&report, "brand-handle"),
            Some(vec!["@NimbusHelp".to_owned()])
        );
        assert_eq!(
            get(&report, "title"),
            Some(vec!["Nimbus: voice of the customer".to_owned()])
        );
        assert_eq!(get(&report, "period"), Some(vec!["7d".to_owned()]));
        let classify = c.settings("classify", |_| true);
        assert_eq!(
            get(&classify, "brand"),
            Some(vec!["Nimbus".to_owned(), "Vireo".to_owned()])
        );
        assert_eq!(get(&classify, "explain"), Some(vec!["true".to_owned()]));
        assert_eq!(get(&classify, "threads"), Some(vec!["2".to_owned()]));
        // Only the options a stage has.
        assert!(c.settings("stats", |k| k != "brand").is_empty());
        assert_eq!(
            get(&c.settings("filter", |_| true), "project-queries"),
            Some(vec!["brands.toml".to_owned()])
        );
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("[project]\nname = \"a\"\ncolour = \"red\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(
            e.to_string()
                .starts_with("proj/earful.toml:3: unknown key `colour`"),
            "{e}"
        );
        assert_eq!(
            parse("[report]\ntop = { a = 1 }\n").unwrap_err().line,
            Some(2)
        );
        assert_eq!(parse("x = 1\n").unwrap_err().line, Some(1));
        assert_eq!(parse("[report\n").unwrap_err().line, Some(1));
        assert_eq!(
            parse("[project]\nname = [\"a\", \"b\"]\n")
                .unwrap_err()
                .line,
            Some(2)
        );
    }
}
