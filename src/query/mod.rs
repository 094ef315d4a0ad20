//! The filter query language: Brandwatch-style boolean queries over mentions.
//!
//! Stages, one file each: `lex` (tokens with byte spans), `parse` (recursive descent
//! to an `ast`, resolving fields and named queries once), `compile` (the program matched
//! against many mentions: flattened groups and signature bits), `eval` (pure matching over a
//! [`MentionView`]) and `prefilter` (rejecting raw lines before JSON parsing). `text` holds
//! the tokeniser and case/accent folding shared by the query and the mentions.
//!
//! ```
//! use earful::mention::MentionView;
//! use earful::query::Query;
//!
//! let q = Query::parse(r#"(luggage OR baggage) AND "lost" NOT site:example.com"#).unwrap();
//! let m: MentionView = serde_json::from_str(r#"{"id":"1","text":"They LOST my luggage!"}"#).unwrap();
//! assert!(q.matches(&m));
//! assert_eq!(q.to_string(), r#"(luggage OR baggage) AND "lost" AND NOT site:example.com"#);
//! ```
//!
//! The language is documented in `docs/query.md`.

mod ast;
mod check;
mod compile;
mod eval;
mod lex;
mod parse;
mod prefilter;
mod set;
mod text;

#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use crate::mention::MentionView;

pub(crate) use eval::host as url_host;
pub use parse::FIELDS;
pub use prefilter::Prefilter;
pub use set::{NamedQuery, QuerySet, QuerySetError};
pub(crate) use text::{Sigil, Tokens, push_lower};

/// A parsed query. Cheap to share between threads (`Send + Sync`).
#[derive(Debug, Clone)]
pub struct Query {
    root: Arc<ast::Node>,
    /// The same query prepared for matching.
    prog: Arc<compile::Prog>,
    /// What the query's author may not have meant (see [`Query::warnings`]).
    warnings: Vec<String>,
}

impl PartialEq for Query {
    fn eq(&self, other: &Query) -> bool {
        self.root == other.root
    }
}

impl Query {
    /// Parses a query. References to named queries are errors here; use [`Query::parse_with`].
    pub fn parse(src: &str) -> Result<Query, QueryError> {
        Query::parse_with(src, &QuerySet::new())
    }

    /// Parses a query that may refer to the queries in `named`, as `query:name` or `@name`.
    ///
    /// `@name` is a reference when `named` has a query or group called `name`, and a handle
    /// term otherwise; `query:name` is always a reference (an error if there is none).
    pub fn parse_with(src: &str, named: &QuerySet) -> Result<Query, QueryError> {
        parse::parse(src, named).map(|root| Query::new(Arc::new(root), src))
    }

    /// The query of `root`, parsed from `src`.
    pub(crate) fn new(root: Arc<ast::Node>, src: &str) -> Query {
        let prog = Arc::new(compile::Prog::compile(&root));
        let warnings = parse::lowercase_operators(src);
        Query {
            root,
            prog,
            warnings,
        }
    }

    /// Things in the query that parse but were probably not meant: lower-case `or`, `and`
    /// and `not` between two terms, which are searched as words (operators are upper-case).
    /// A stage prints them as warnings.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Why no mention can ever match this query, when the query alone shows it (`a AND NOT
    /// a`, `sentiment:positive AND sentiment:negative`); `None` when it may match.
    pub fn never_matches(&self) -> Option<String> {
        check::never_matches(&self.root)
    }

    /// True when the mention matches.
    pub fn matches(&self, m: &MentionView<'_>) -> bool {
        eval::matches(&self.prog, m)
    }

    /// True when matching reads only the text fields of a mention (title, text, lang, tags,
    /// mentions, labels) and its sentiment, so
    /// [`MentionView::parse_text_fields`](crate::mention::MentionView::parse_text_fields)
    /// is enough.
    pub fn reads_only_text(&self) -> bool {
        self.root.reads_only_text()
    }

    pub(crate) fn prog(&self) -> &compile::Prog {
        &self.prog
    }

    /// A raw-line prefilter for this query, when it has required literals.
    pub fn prefilter(&self) -> Option<Prefilter> {
        Prefilter::new(prefilter::required(&self.root)?)
    }

    pub(crate) fn node(&self) -> &Arc<ast::Node> {
        &self.root
    }
}

impl fmt::Display for Query {
    /// The canonical form, which parses back to the same query.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root.fmt(f)
    }
}

/// A syntax error in a query: where it is and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    /// Byte range in the query source.
    pub span: Range<usize>,
    /// "expected X, found Y", possibly with advice after it.
    pub message: String,
}

impl QueryError {
    pub(crate) fn new(span: Range<usize>, message: impl Into<String>) -> QueryError {
        QueryError {
            span,
            message: message.into(),
        }
    }

    pub(crate) fn with_hint(mut self, hint: impl AsRef<str>) -> QueryError {
        self.message.push_str(" (");
        self.message.push_str(hint.as_ref());
        self.message.push(')');
        self
    }

    /// The query on one line, a caret line under the span, and the message:
    ///
    /// ```text
    ///   luggage AND OR bags
    ///               ^^
    /// expected a term, phrase or `(`, found `OR`
    /// ```
    pub fn render(&self, src: &str) -> String {
        let clean: String = src
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let start = self.span.start.min(src.len());
        let end = self.span.end.clamp(start, src.len());
        let before = src.get(..start).map_or(start, |s| s.chars().count());
        let width = src.get(start..end).map_or(1, |s| s.chars().count()).max(1);
        format!(
            "  {clean}\n  {}{}\n{}",
            " ".repeat(before),
            "^".repeat(width),
            self.message
        )
    }
}
