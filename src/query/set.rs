//! Named queries: a TOML file of `name = 'query'` lines, optionally in groups, that refer to
//! each other by name (`query:brand` or `@brand`).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use super::ast::Node;
use super::parse::{self, Resolve};
use super::prefilter::{self, Prefilter};
use super::{Query, QueryError};
use crate::mention::MentionView;

/// One named query.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedQuery {
    /// The name, appended to `matches` when the query matches.
    pub name: String,
    /// The TOML table the query was in (`[brands]`), if any.
    pub group: Option<String>,
    pub query: Query,
}

/// An ordered set of named queries.
///
/// ```
/// use earful::query::{Query, QuerySet};
///
/// let set = QuerySet::from_toml(r#"
/// [brands]
/// acme = 'acme OR "acme air"'
/// [competitors]
/// globex = 'globex'
/// [topics]
/// lost = 'query:brands AND (lost OR missing) AND (bag* OR luggage)'
/// "#).unwrap();
/// assert_eq!(set.len(), 3);
/// let q = Query::parse_with("@acme NOT @globex", &set).unwrap();
/// assert_eq!(q.to_string(), "query:acme AND NOT query:globex");
/// ```
///
/// A reference to a group (`query:brands`) matches when any query of the group matches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuerySet {
    entries: Vec<NamedQuery>,
}

/// Why a set of named queries could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QuerySetError {
    /// The file is not valid TOML or not of the expected shape.
    #[error("{0}")]
    Toml(String),
    /// One query has a syntax error.
    #[error("query `{name}`: {error}")]
    Query {
        name: String,
        src: String,
        error: QueryError,
    },
}

impl QuerySetError {
    /// The message; for a query's syntax error, with the query and a caret under the place.
    pub fn render(&self) -> String {
        match self {
            QuerySetError::Toml(m) => m.clone(),
            QuerySetError::Query { name, src, error } => {
                format!("query `{name}`:\n{}", error.render(src))
            }
        }
    }
}

impl QuerySet {
    /// An empty set.
    pub fn new() -> QuerySet {
        QuerySet::default()
    }

    /// Reads `name = 'query'` lines, at the top level or in tables (groups). Queries may
    /// refer to each other in any order; cycles are errors. Names must be unique across
    /// groups and differ from group names.
    pub fn from_toml(src: &str) -> Result<QuerySet, QuerySetError> {
        let doc = toml_edit::Document::parse(src).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    format!(
                        " at line {}",
                        src[..s.start.min(src.len())].lines().count().max(1)
                    )
                })
                .unwrap_or_default();
            QuerySetError::Toml(format!("invalid TOML{at}: {}", e.message().trim()))
        })?;
        let mut entries: Vec<(String, Option<String>, String)> = Vec::new();
        let mut groups: Vec<String> = Vec::new();
        let as_query = |key: &str, item: &toml_edit::Item| -> Result<String, QuerySetError> {
            item.as_str().map(str::to_owned).ok_or_else(|| {
                QuerySetError::Toml(format!(
                    "`{key}`: expected a query string, found {}",
                    item.type_name()
                ))
            })
        };
        for (key, item) in doc.as_table().iter() {
            if let Some(table) = item.as_table_like() {
                groups.push(key.to_owned());
                for (name, q) in table.iter() {
                    entries.push((name.to_owned(), Some(key.to_owned()), as_query(name, q)?));
                }
            } else {
                entries.push((key.to_owned(), None, as_query(key, item)?));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (name, _, _) in &entries {
            if !seen.insert(name.as_str()) {
                return Err(QuerySetError::Toml(format!(
                    "query `{name}` is defined twice; names must be unique across groups"
                )));
            }
            if groups.iter().any(|g| g == name) {
                return Err(QuerySetError::Toml(format!(
                    "`{name}` is both a group and a query; rename one"
                )));
            }
        }
        let loader = Loader {
            entries: &entries,
            groups: &groups,
            state: RefCell::new(HashMap::new()),
            first_error: RefCell::new(None),
            active: Cell::new(0),
        };
        let mut set = QuerySet::new();
        for (i, (name, group, src)) in entries.iter().enumerate() {
            match loader.build(i) {
                Ok(root) => set.entries.push(NamedQuery {
                    name: name.clone(),
                    group: group.clone(),
                    query: Query::new(root, src),
                }),
                Err(_) => {
                    return Err(loader
                        .first_error
                        .borrow_mut()
                        .take()
                        .expect("a failed build records its error"));
                }
            }
        }
        Ok(set)
    }

    /// Adds a query; it may refer to the queries already in the set.
    pub fn add(&mut self, name: &str, group: Option<&str>, src: &str) -> Result<(), QuerySetError> {
        let query = Query::parse_with(src, self).map_err(|error| QuerySetError::Query {
            name: name.to_owned(),
            src: src.to_owned(),
            error,
        })?;
        self.entries.retain(|e| e.name != name);
        self.entries.push(NamedQuery {
            name: name.to_owned(),
            group: group.map(str::to_owned),
            query,
        });
        Ok(())
    }

    /// Inserts an already parsed query: one with the same name is replaced in its place,
    /// a new name goes at the end.
    pub fn insert(&mut self, entry: NamedQuery) {
        match self.entries.iter_mut().find(|e| e.name == entry.name) {
            Some(existing) => *existing = entry,
            None => self.entries.push(entry),
        }
    }

    /// The query called `name`.
    pub fn get(&self, name: &str) -> Option<&Query> {
        self.entries
            .iter()
            .find(|e| e.name == name)
            .map(|e| &e.query)
    }

    /// The queries, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &NamedQuery> {
        self.entries.iter()
    }

    /// The [`Query::warnings`] of the queries, each after the name of its query.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for e in &self.entries {
            let name = &e.name;
            out.extend(
                e.query
                    .warnings()
                    .iter()
                    .map(|w| format!("query `{name}`: {w}")),
            );
        }
        out
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The names of the queries that match `m`, in file order.
    pub fn matching<'s>(&'s self, m: &MentionView<'_>) -> Vec<&'s str> {
        let mut names = Vec::new();
        self.matching_each(m, |name| names.push(name));
        names
    }

    /// Calls `hit` with the name of each query that matches `m`, in file order.
    pub fn matching_each<'s>(&'s self, m: &MentionView<'_>, mut hit: impl FnMut(&'s str)) {
        let progs = self.entries.iter().map(|e| e.query.prog());
        super::eval::matches_each(progs, m, |i| hit(self.entries[i].name.as_str()));
    }

    /// A prefilter passing every line that any of the queries may match; `None` when one of
    /// them has no required literal (or the set is empty).
    pub fn prefilter(&self) -> Option<Prefilter> {
        let mut all = Vec::new();
        for e in &self.entries {
            all.extend(prefilter::required(e.query.node())?);
        }
        Prefilter::new(all)
    }

    fn group(&self, name: &str) -> Option<Node> {
        let members: Vec<Node> = self
            .entries
            .iter()
            .filter(|e| e.group.as_deref() == Some(name))
            .map(|e| Node::Ref {
                name: e.name.clone(),
                node: e.query.node().clone(),
            })
            .collect();
        (!members.is_empty()).then_some(Node::Or(members))
    }
}

impl Resolve for QuerySet {
    fn resolve(&self, name: &str, _explicit: bool) -> Option<Result<Arc<Node>, String>> {
        if let Some(q) = self.get(name) {
            return Some(Ok(q.node().clone()));
        }
        self.group(name).map(|g| Ok(Arc::new(g)))
    }

    fn known(&self) -> Vec<String> {
        let mut names: Vec<String> = self.entries.iter().map(|e| e.name.clone()).collect();
        for e in &self.entries {
            if let Some(g) = &e.group
                && !names.contains(g)
            {
                names.push(g.clone());
            }
        }
        names
    }
}

enum State {
    Busy,
    Done(Result<Arc<Node>, ()>),
}

/// Builds the queries of a file on demand, so they can refer to each other in any order.
struct Loader<'a> {
    entries: &'a [(String, Option<String>, String)],
    groups: &'a [String],
    state: RefCell<HashMap<usize, State>>,
    first_error: RefCell<Option<QuerySetError>>,
    /// Builds under way, each waiting for a query it refers to: bounded by
    /// [`parse::MAX_DEPTH`], so a long chain of references cannot overflow the stack.
    active: Cell<usize>,
}

impl Loader<'_> {
    fn build(&self, i: usize) -> Result<Arc<Node>, String> {
        let (name, _, src) = &self.entries[i];
        match self.state.borrow().get(&i) {
            Some(State::Busy) => {
                return Err(format!(
                    "expected a query that does not refer to itself, found a cycle through `{name}`"
                ));
            }
            Some(State::Done(Ok(node))) => return Ok(node.clone()),
            Some(State::Done(Err(()))) => return Err(format!("query `{name}` has an error")),
            None => {}
        }
        if self.active.get() >= parse::MAX_DEPTH {
            return Err(parse::too_deep());
        }
        self.state.borrow_mut().insert(i, State::Busy);
        self.active.set(self.active.get() + 1);
        let result = parse::parse(src, self).map(Arc::new);
        self.active.set(self.active.get() - 1);
        let stored = match &result {
            Ok(node) => Ok(node.clone()),
            Err(error) => {
                let mut first = self.first_error.borrow_mut();
                if first.is_none() {
                    *first = Some(QuerySetError::Query {
                        name: name.clone(),
                        src: src.clone(),
                        error: error.clone(),
                    });
                }
                Err(())
            }
        };
        self.state.borrow_mut().insert(i, State::Done(stored));
        result.map_err(|_| format!("query `{name}` has an error"))
    }
}

impl Resolve for Loader<'_> {
    fn resolve(&self, name: &str, explicit: bool) -> Option<Result<Arc<Node>, String>> {
        let busy = |i: usize| matches!(self.state.borrow().get(&i), Some(State::Busy));
        if let Some(i) = self.entries.iter().position(|e| e.0 == name) {
            if !explicit && busy(i) {
                return None;
            }
            return Some(self.build(i));
        }
        if !self.groups.iter().any(|g| g == name) {
            return None;
        }
        let members = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.1.as_deref() == Some(name));
        if !explicit && members.clone().any(|(i, _)| busy(i)) {
            return None;
        }
        let mut members = Vec::new();
        for (i, (member, group, _)) in self.entries.iter().enumerate() {
            if group.as_deref() == Some(name) {
                match self.build(i) {
                    Ok(node) => members.push(Node::Ref {
                        name: member.clone(),
                        node,
                    }),
                    Err(e) => return Some(Err(e)),
                }
            }
        }
        Some(Ok(Arc::new(Node::Or(members))))
    }

    fn known(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|e| e.0.clone())
            .chain(self.groups.iter().cloned())
            .collect()
    }
}
