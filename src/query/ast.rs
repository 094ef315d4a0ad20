//! The parsed query, and its canonical printed form.
//!
//! Every node keeps what it was written as, so printing a query and parsing the result gives
//! the same tree. Printing is canonical: operators are spelled out (`-a` prints as `NOT a`,
//! adjacency as `AND`), nested groups are bracketed, fields are distributed over groups
//! (`lang:(en OR fr)` prints as `lang:en OR lang:fr`).

use std::collections::HashMap;
use std::fmt::{self, Display, Formatter, Write as _};
use std::sync::Arc;

use crate::mention::TEXT_FIELDS;

use super::text::Sigil;

/// A node of the boolean tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// Terms, phrases and proximity over tokenised text.
    Text {
        field: TextField,
        span: Span,
    },
    /// `/regex/` over the text fields.
    Regex {
        field: TextField,
        re: Re,
    },
    /// `raw:"..."`: literal, case-sensitive substring of the title or text.
    Raw(String),
    /// A test on a metadata field.
    Field(FieldPred),
    /// A named query, resolved when parsing.
    Ref {
        name: String,
        node: Arc<Node>,
    },
}

/// Which text a term looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextField {
    /// Title and text, and the `tags` and `mentions` lists for single words.
    Any,
    Title,
    Text,
}

impl TextField {
    fn prefix(self) -> &'static str {
        match self {
            TextField::Any => "",
            TextField::Title => "title:",
            TextField::Text => "text:",
        }
    }
}

/// Something that matches at positions of a token stream.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Span {
    Word(Word),
    Phrase {
        src: String,
        style: PhraseStyle,
        words: Vec<Word>,
        /// `"..."~n`: the words in any order with at most `n` other words among them.
        slop: Option<u32>,
    },
    Or(Vec<Span>),
    Near {
        left: Box<Span>,
        right: Box<Span>,
        dist: u32,
        ordered: bool,
    },
}

impl Span {
    /// The depth of the span tree: a word or phrase is 1.
    fn depth(&self) -> usize {
        match self {
            Span::Word(_) | Span::Phrase { .. } => 1,
            Span::Or(xs) => 1 + xs.iter().map(Span::depth).max().unwrap_or(0),
            Span::Near { left, right, .. } => 1 + left.depth().max(right.depth()),
        }
    }
}

/// How a phrase was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhraseStyle {
    /// `"a b"`
    Quoted,
    /// A bare word that is several tokens: `e-mail`.
    Bare,
    /// `{Big Tech}`
    Brace,
}

/// One word of a term or phrase.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    /// As written (for a braced word, without the braces).
    pub src: String,
    pub sigil: Sigil,
    pub kind: WordKind,
    /// The body folded: `lower` when accented, else `bare`; as written for [`WordKind::Exact`].
    pub text: String,
    /// Compare with the token's `lower` fold (the word has accents) rather than `bare`.
    pub accented: bool,
    /// The hash of a fold that any token this word matches puts in its document's
    /// [`Sig`](super::text::Sig); `None` for wildcards.
    pub sig: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WordKind {
    Term,
    /// `*` and `?` in `text`.
    Wild,
    /// `{...}`: case- and accent-sensitive.
    Exact,
}

/// A compiled regular expression, compared by its source.
#[derive(Debug, Clone)]
pub(crate) struct Re {
    pub src: String,
    pub ci: bool,
    pub re: regex::Regex,
}

impl PartialEq for Re {
    fn eq(&self, other: &Re) -> bool {
        self.src == other.src && self.ci == other.ci
    }
}

/// A test on a metadata field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldPred {
    /// A string field: the value as written and normalised for comparison.
    Keyword {
        field: KeywordField,
        value: String,
        norm: String,
    },
    Range {
        field: RangeField,
        range: NumRange,
    },
    Published(DateRange),
}

/// Fields compared with a single value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeywordField {
    Author,
    Site,
    Url,
    Links,
    Lang,
    Platform,
    Source,
    Kind,
    Engagement,
    Sentiment,
    Label,
    Match,
    Id,
    /// `team` or any of `teams` (written by `route`).
    Team,
    Priority,
}

impl KeywordField {
    /// The record field the keyword is compared with (`docs/schema.md`).
    pub(crate) fn record_field(self) -> &'static str {
        match self {
            KeywordField::Author => "author",
            KeywordField::Site | KeywordField::Url => "url",
            KeywordField::Links => "links",
            KeywordField::Lang => "lang",
            KeywordField::Platform => "platform",
            KeywordField::Source => "source",
            KeywordField::Kind | KeywordField::Engagement => "kind",
            KeywordField::Sentiment => "sentiment",
            KeywordField::Label => "labels",
            KeywordField::Match => "matches",
            KeywordField::Id => "id",
            KeywordField::Team => "team",
            KeywordField::Priority => "priority",
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            KeywordField::Author => "author",
            KeywordField::Site => "site",
            KeywordField::Url => "url",
            KeywordField::Links => "links",
            KeywordField::Lang => "lang",
            KeywordField::Platform => "platform",
            KeywordField::Source => "source",
            KeywordField::Kind => "kind",
            KeywordField::Engagement => "engagementType",
            KeywordField::Sentiment => "sentiment",
            KeywordField::Label => "label",
            KeywordField::Match => "match",
            KeywordField::Id => "id",
            KeywordField::Team => "team",
            KeywordField::Priority => "priority",
        }
    }
}

/// Numeric fields compared with a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeField {
    AuthorFollowers,
    MinuteOfDay,
    Sentiment,
    Likes,
    Reposts,
    Replies,
    Quotes,
    Views,
    Score,
    Comments,
}

impl RangeField {
    pub(crate) fn name(self) -> &'static str {
        match self {
            RangeField::AuthorFollowers => "authorFollowers",
            RangeField::MinuteOfDay => "minuteOfDay",
            RangeField::Sentiment => "sentiment",
            RangeField::Likes => "likes",
            RangeField::Reposts => "reposts",
            RangeField::Replies => "replies",
            RangeField::Quotes => "quotes",
            RangeField::Views => "views",
            RangeField::Score => "score",
            RangeField::Comments => "comments",
        }
    }
}

/// A bound of a range as written and as a number.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bound<T> {
    pub text: String,
    pub value: T,
}

/// `[lo TO hi]`, inclusive; `*` is open.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NumRange {
    pub lo: Option<Bound<f64>>,
    pub hi: Option<Bound<f64>>,
}

impl NumRange {
    pub(crate) fn contains(&self, v: f64) -> bool {
        self.lo.as_ref().is_none_or(|b| v >= b.value)
            && self.hi.as_ref().is_none_or(|b| v <= b.value)
    }
}

/// Dates as seconds since the epoch, inclusive; a date-only upper bound includes its day.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DateRange {
    pub lo: Option<Bound<i64>>,
    pub hi: Option<Bound<i64>>,
}

impl DateRange {
    pub(crate) fn contains(&self, secs: i64) -> bool {
        self.lo.as_ref().is_none_or(|b| secs >= b.value)
            && self.hi.as_ref().is_none_or(|b| secs <= b.value)
    }
}

fn bound<T>(b: &Option<Bound<T>>) -> &str {
    b.as_ref().map_or("*", |b| b.text.as_str())
}

/// True when `s` lexes back as one bare word after a field.
pub(crate) fn is_plain_value(s: &str) -> bool {
    !s.is_empty()
        && !s.contains(super::lex::is_special)
        && !s.contains("<<<")
        && !s.starts_with('/')
        && !matches!(s, "AND" | "OR" | "NOT" | "NEAR")
        && !s.starts_with("NEAR/")
}

/// Writes `s` as a quoted string, escaping `"` and `\`.
pub(crate) fn write_quoted(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        if c == '"' || c == '\\' {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

/// Needs brackets as an operand of AND, OR or NOT.
fn is_group(n: &Node) -> bool {
    matches!(
        n,
        Node::And(_)
            | Node::Or(_)
            | Node::Text {
                field: TextField::Any,
                span: Span::Near { .. } | Span::Or(_)
            }
    )
}

impl Node {
    /// The depth of the tree: a leaf is 1, and brackets, NOT, the spans of NEAR and OR, and
    /// the queries that references stand for all count. A node shared by several references
    /// is measured once (`seen`, by address), so queries that each refer to the previous
    /// two cost a step each, not a walk of the whole expansion.
    pub(crate) fn depth(&self, seen: &mut HashMap<usize, usize>) -> usize {
        1 + match self {
            Node::And(xs) | Node::Or(xs) => xs.iter().map(|x| x.depth(seen)).max().unwrap_or(0),
            Node::Not(x) => x.depth(seen),
            Node::Text { span, .. } => span.depth(),
            Node::Ref { node, .. } => {
                let key = Arc::as_ptr(node) as usize;
                match seen.get(&key) {
                    Some(&d) => d,
                    None => {
                        let d = node.depth(seen);
                        seen.insert(key, d);
                        d
                    }
                }
            }
            Node::Regex { .. } | Node::Raw(_) | Node::Field(_) => 0,
        }
    }

    /// True when matching looks at no field beyond those of
    /// [`MentionView::parse_text_fields`](crate::mention::MentionView::parse_text_fields)
    /// and the sentiment.
    pub(crate) fn reads_only_text(&self) -> bool {
        self.reads_only_text_in(&mut HashMap::new())
    }

    /// [`Node::reads_only_text`], each referenced node walked once (`seen`, by address).
    fn reads_only_text_in(&self, seen: &mut HashMap<usize, bool>) -> bool {
        match self {
            Node::And(xs) | Node::Or(xs) => xs.iter().all(|x| x.reads_only_text_in(seen)),
            Node::Not(x) => x.reads_only_text_in(seen),
            Node::Ref { node, .. } => {
                let key = Arc::as_ptr(node) as usize;
                if let Some(&answer) = seen.get(&key) {
                    return answer;
                }
                let answer = node.reads_only_text_in(seen);
                seen.insert(key, answer);
                answer
            }
            Node::Text { .. } | Node::Regex { .. } | Node::Raw(_) => true,
            Node::Field(FieldPred::Keyword { field, .. }) => {
                *field == KeywordField::Sentiment || TEXT_FIELDS.contains(&field.record_field())
            }
            Node::Field(FieldPred::Range { field, .. }) => *field == RangeField::Sentiment,
            Node::Field(FieldPred::Published(_)) => false,
        }
    }

    fn fmt_child(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if is_group(self) {
            write!(f, "({self})")
        } else {
            write!(f, "{self}")
        }
    }
}

impl Display for Node {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Node::And(xs) | Node::Or(xs) => {
                let op = if matches!(self, Node::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(op)?;
                    }
                    x.fmt_child(f)?;
                }
                Ok(())
            }
            Node::Not(x) => {
                f.write_str("NOT ")?;
                x.fmt_child(f)
            }
            Node::Text {
                field: TextField::Any,
                span,
            } => write!(f, "{span}"),
            Node::Text { field, span } => {
                f.write_str(field.prefix())?;
                span.fmt_operand(f)
            }
            Node::Regex { field, re } => {
                f.write_str(field.prefix())?;
                f.write_char('/')?;
                for c in re.src.chars() {
                    if c == '/' {
                        f.write_char('\\')?;
                    }
                    f.write_char(c)?;
                }
                f.write_char('/')?;
                if re.ci {
                    f.write_char('i')?;
                }
                Ok(())
            }
            Node::Raw(s) => {
                f.write_str("raw:")?;
                write_quoted(f, s)
            }
            Node::Field(FieldPred::Keyword { field, value, .. }) => {
                write!(f, "{}:", field.name())?;
                if is_plain_value(value) {
                    f.write_str(value)
                } else {
                    write_quoted(f, value)
                }
            }
            Node::Field(FieldPred::Range { field, range }) => {
                write!(
                    f,
                    "{}:[{} TO {}]",
                    field.name(),
                    bound(&range.lo),
                    bound(&range.hi)
                )
            }
            Node::Field(FieldPred::Published(r)) => {
                write!(f, "published:[{} TO {}]", bound(&r.lo), bound(&r.hi))
            }
            Node::Ref { name, .. } => write!(f, "query:{name}"),
        }
    }
}

impl Span {
    /// Writes the span bracketed when it is a group.
    fn fmt_operand(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Span::Or(_) | Span::Near { .. } => write!(f, "({self})"),
            _ => write!(f, "{self}"),
        }
    }
}

impl Display for Span {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Span::Word(w) if w.kind == WordKind::Exact => write!(f, "{{{}}}", w.src),
            Span::Word(w) => f.write_str(&w.src),
            Span::Phrase {
                src, style, slop, ..
            } => {
                match style {
                    PhraseStyle::Quoted => write_quoted(f, src)?,
                    PhraseStyle::Bare => f.write_str(src)?,
                    PhraseStyle::Brace => write!(f, "{{{src}}}")?,
                }
                if let Some(n) = slop {
                    write!(f, "~{n}")?;
                }
                Ok(())
            }
            Span::Or(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    x.fmt_operand(f)?;
                }
                Ok(())
            }
            Span::Near {
                left,
                right,
                dist,
                ordered,
            } => {
                left.fmt_operand(f)?;
                write!(f, " NEAR/{dist}{} ", if *ordered { "f" } else { "" })?;
                right.fmt_operand(f)
            }
        }
    }
}
