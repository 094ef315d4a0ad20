//! Parsing: tokens to a [`Node`] tree, by recursive descent.
//!
//! ```text
//! query   := level EOF
//! level   := unary ((AND | OR | NOT | <adjacent>) unary)*   -- one kind of operator per level
//! unary   := ("-" | NOT) unary | near
//! near    := primary (NEAR/n[f] primary)*
//! primary := "(" level ")" ["~" n] | field ":" primary | word | "phrase" ["~" n]
//!          | {case} | /regex/ | [a TO b]
//! ```
//!
//! `a NOT b` means `a AND NOT b`, so NOT counts as an AND-kind operator: mixing it with OR
//! at one level is an error, like mixing AND and OR. NEAR binds tighter than everything else.
//! Fields are resolved here, once: each leaf knows which field it tests.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::QueryError;
use super::ast::{
    Bound, DateRange, FieldPred, KeywordField, Node, NumRange, PhraseStyle, RangeField, Re, Span,
    TextField, Word, WordKind,
};
use super::lex::{Kind, Token, describe, lex};
use super::text::{Sigil, Tokens, bare, lower, sig_hash};

/// Looks up named queries while parsing.
pub(crate) trait Resolve {
    /// `None` when no query or group has that name; `Some(Err)` when it could not be built.
    /// `explicit` is true for `query:name`, false for `@name`, which falls back to a handle
    /// term (`None`) where a reference would be a cycle: `united = 'united OR @united'`.
    fn resolve(&self, name: &str, explicit: bool) -> Option<Result<Arc<Node>, String>>;
    /// The names that can be referred to, for error messages.
    fn known(&self) -> Vec<String>;
}

/// The field names the language knows, as listed in error messages.
pub const FIELDS: &[&str] = &[
    "title",
    "text",
    "author",
    "site",
    "url",
    "links",
    "language",
    "lang",
    "platform",
    "source",
    "kind",
    "engagementType",
    "authorFollowers",
    "minuteOfDay",
    "sentiment",
    "label",
    "match",
    "likes",
    "reposts",
    "replies",
    "quotes",
    "views",
    "score",
    "comments",
    "published",
    "id",
    "team",
    "priority",
    "raw",
    "query",
];

/// What the values after a field are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Text(TextField),
    Keyword(KeywordField),
    Range(RangeField),
    /// `sentiment:`: a label or a score range.
    Sentiment,
    Published,
    Raw,
    Query,
}

impl Ctx {
    fn field(name: &str) -> Option<Ctx> {
        let lower = name.to_ascii_lowercase();
        let lower = lower.strip_prefix("metrics.").unwrap_or(&lower);
        Some(match lower {
            "title" => Ctx::Text(TextField::Title),
            "text" => Ctx::Text(TextField::Text),
            "author" => Ctx::Keyword(KeywordField::Author),
            "site" => Ctx::Keyword(KeywordField::Site),
            "url" => Ctx::Keyword(KeywordField::Url),
            "links" => Ctx::Keyword(KeywordField::Links),
            "language" | "lang" => Ctx::Keyword(KeywordField::Lang),
            "platform" => Ctx::Keyword(KeywordField::Platform),
            "source" => Ctx::Keyword(KeywordField::Source),
            "kind" => Ctx::Keyword(KeywordField::Kind),
            "engagementtype" => Ctx::Keyword(KeywordField::Engagement),
            "label" | "labels" => Ctx::Keyword(KeywordField::Label),
            "match" | "matches" => Ctx::Keyword(KeywordField::Match),
            "id" | "guid" => Ctx::Keyword(KeywordField::Id),
            "team" | "teams" => Ctx::Keyword(KeywordField::Team),
            "priority" => Ctx::Keyword(KeywordField::Priority),
            "authorfollowers" => Ctx::Range(RangeField::AuthorFollowers),
            "minuteofday" => Ctx::Range(RangeField::MinuteOfDay),
            "likes" => Ctx::Range(RangeField::Likes),
            "reposts" => Ctx::Range(RangeField::Reposts),
            "replies" => Ctx::Range(RangeField::Replies),
            "quotes" => Ctx::Range(RangeField::Quotes),
            "views" => Ctx::Range(RangeField::Views),
            "score" => Ctx::Range(RangeField::Score),
            "comments" => Ctx::Range(RangeField::Comments),
            "sentiment" => Ctx::Sentiment,
            "published" => Ctx::Published,
            "raw" => Ctx::Raw,
            "query" => Ctx::Query,
            _ => return None,
        })
    }

    fn is_any(self) -> bool {
        self == Ctx::Text(TextField::Any)
    }
}

/// How deep a query may nest: brackets, NOT, NEAR and OR spans, and the queries that
/// `query:` references stand for, counted together ([`Node::depth`]). A deeper query is an
/// error, not a risk to the stack of the parser and the evaluator.
pub const MAX_DEPTH: usize = 100;

/// The error for a query nested deeper than [`MAX_DEPTH`].
pub(crate) fn too_deep() -> String {
    format!(
        "expected a query nested at most {MAX_DEPTH} levels deep (brackets, NOT, NEAR and \
         query: references counted together), found deeper nesting"
    )
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    names: &'a dyn Resolve,
    /// Brackets, NOTs and NEARs open at this point: the parser's own recursion, bounded
    /// before the tree is measured.
    nest: usize,
}

type Parsed = (Node, Range<usize>);

impl Parser<'_> {
    fn peek(&self) -> Option<&Kind> {
        self.toks.get(self.pos).map(|t| &t.kind)
    }

    fn here(&self) -> Range<usize> {
        self.toks
            .get(self.pos)
            .map_or(self.src.len()..self.src.len(), |t| t.span.clone())
    }

    fn bump(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += usize::from(t.is_some());
        t
    }

    /// "expected `what`, found <the current token>".
    fn expected(&self, what: &str) -> QueryError {
        let span = self.here();
        QueryError::new(
            span.clone(),
            format!("expected {what}, found {}", describe(self.src, &span)),
        )
    }

    /// Enters one more level of nesting at `span`; an error past [`MAX_DEPTH`].
    fn deeper(&mut self, span: &Range<usize>) -> Result<(), QueryError> {
        self.nest += 1;
        if self.nest > MAX_DEPTH {
            return Err(QueryError::new(span.clone(), too_deep()));
        }
        Ok(())
    }

    fn parse(&mut self) -> Result<Node, QueryError> {
        let (node, _) = self.level(Ctx::Text(TextField::Any))?;
        if node.depth(&mut HashMap::new()) > MAX_DEPTH {
            return Err(QueryError::new(0..self.src.len(), too_deep()));
        }
        if let Some(Kind::RParen) = self.peek() {
            return Err(self
                .expected("a term or an operator")
                .with_hint("this `)` has no `(`"));
        }
        if !positive(&node) {
            return Err(QueryError::new(
                0..self.src.len(),
                "expected at least one term that must match, found only exclusions: a purely \
                 negative query matches almost everything; add what to look for, for example \
                 `brand NOT spam`",
            ));
        }
        Ok(node)
    }

    fn level(&mut self, ctx: Ctx) -> Result<Parsed, QueryError> {
        let mut items = vec![self.unary(ctx)?];
        // (is OR, span of the operator, written as)
        let mut ops: Vec<(bool, Range<usize>, &'static str)> = Vec::new();
        loop {
            let (or, span, name, negate) = match self.peek() {
                None | Some(Kind::RParen) => break,
                Some(Kind::And) => (false, self.here(), "AND", false),
                Some(Kind::Or) => (true, self.here(), "OR", false),
                Some(Kind::Not) => (false, self.here(), "NOT", true),
                Some(_) => (false, self.here(), "", false),
            };
            if !name.is_empty() {
                self.bump();
            }
            // For a binary NOT, the span is the operand's, so that the advice on mixing
            // brackets the operand and leaves NOT outside.
            let (mut item, item_span) = self.unary(ctx)?;
            if negate {
                item = Node::Not(Box::new(item));
            }
            ops.push((or, span, name));
            items.push((item, item_span));
        }
        let whole = items[0].1.start..items[items.len() - 1].1.end;
        if let Some(i) = ops.iter().position(|o| o.0 != ops[0].0) {
            return Err(self.mixing(&items, &ops, i));
        }
        if items.len() == 1 {
            return Ok(items.remove(0));
        }
        let nodes = items.into_iter().map(|i| i.0).collect();
        Ok((
            if ops[0].0 {
                Node::Or(nodes)
            } else {
                Node::And(nodes)
            },
            whole,
        ))
    }

    /// The error for mixing AND and OR at one level, with two ways to bracket it.
    fn mixing(
        &self,
        items: &[Parsed],
        ops: &[(bool, Range<usize>, &'static str)],
        i: usize,
    ) -> QueryError {
        let start = items[0].1.start;
        let end = items[items.len() - 1].1.end;
        let split = items[i].1.end;
        let one = format!("({}){}", &self.src[start..split], &self.src[split..end]);
        let right = items[i].1.start;
        let two = format!("{}({})", &self.src[start..right], &self.src[right..end]);
        let name = |o: &(bool, Range<usize>, &'static str)| match o.2 {
            "" => "adjacent terms (which mean AND)".to_owned(),
            n => n.to_owned(),
        };
        let (span, found) = match ops[i].2 {
            "" => (
                items[i + 1].1.clone(),
                "adjacent terms (which mean AND)".to_owned(),
            ),
            n => (ops[i].1.clone(), n.to_owned()),
        };
        QueryError::new(
            span,
            format!(
                "expected {}, found {found}: AND and OR cannot be mixed at one level without \
                 brackets; write `{one}` or `{two}`",
                name(&ops[0]),
            ),
        )
    }

    fn unary(&mut self, ctx: Ctx) -> Result<Parsed, QueryError> {
        match self.peek() {
            Some(Kind::Minus | Kind::Not) => {
                let start = self.here().start;
                self.deeper(&self.here())?;
                self.bump();
                let (inner, span) = self.unary(ctx)?;
                self.nest -= 1;
                Ok((Node::Not(Box::new(inner)), start..span.end))
            }
            _ => self.near(ctx),
        }
    }

    fn near(&mut self, ctx: Ctx) -> Result<Parsed, QueryError> {
        let (mut left, mut span) = self.primary(ctx)?;
        let nest = self.nest;
        while let Some(&Kind::Near { dist, ordered }) = self.peek() {
            let op = self.here();
            // A chain of NEARs nests its spans to the left.
            self.deeper(&op)?;
            self.bump();
            let (right, rspan) = self.primary(ctx)?;
            left = self.make_near(left, &span, right, &rspan, dist, ordered, &op)?;
            span = span.start..rspan.end;
        }
        self.nest = nest;
        Ok((left, span))
    }

    #[allow(clippy::too_many_arguments)]
    fn make_near(
        &self,
        left: Node,
        lspan: &Range<usize>,
        right: Node,
        rspan: &Range<usize>,
        dist: u32,
        ordered: bool,
        op: &Range<usize>,
    ) -> Result<Node, QueryError> {
        let side = |node: Node, span: &Range<usize>| {
            to_span(node).ok_or_else(|| {
                QueryError::new(
                    span.clone(),
                    format!(
                        "expected a term, phrase or OR group beside NEAR, found {}",
                        describe(self.src, span)
                    ),
                )
            })
        };
        let (lf, l) = side(left, lspan)?;
        let (rf, r) = side(right, rspan)?;
        if lf != rf {
            return Err(QueryError::new(
                op.clone(),
                "expected both sides of NEAR in the same field, found two fields",
            ));
        }
        Ok(Node::Text {
            field: lf,
            span: Span::Near {
                left: Box::new(l),
                right: Box::new(r),
                dist,
                ordered,
            },
        })
    }

    fn tilde(&mut self) -> Option<(u32, Range<usize>)> {
        if let Some(&Kind::Tilde(n)) = self.peek() {
            let span = self.here();
            self.bump();
            Some((n, span))
        } else {
            None
        }
    }

    fn primary(&mut self, ctx: Ctx) -> Result<Parsed, QueryError> {
        let Some(tok) = self.toks.get(self.pos).cloned() else {
            return Err(self.expected(match ctx {
                Ctx::Text(_) => "a term, phrase or `(`",
                _ => "a value",
            }));
        };
        let span = tok.span.clone();
        match tok.kind {
            Kind::LParen => {
                self.deeper(&span)?;
                self.bump();
                let (inner, _) = self.level(ctx)?;
                self.nest -= 1;
                if self.peek() != Some(&Kind::RParen) {
                    return Err(self
                        .expected("`)`")
                        .with_hint(format!("to close the `(` at byte {}", span.start)));
                }
                let end = self.here().end;
                self.bump();
                let span = span.start..end;
                match self.tilde() {
                    Some((n, tspan)) => {
                        Ok((self.old_near(inner, &span, n)?, span.start..tspan.end))
                    }
                    None => Ok((inner, span)),
                }
            }
            Kind::Field(name) => {
                self.bump();
                let Some(field) = Ctx::field(&name) else {
                    return Err(QueryError::new(
                        span.start..span.start + name.len(),
                        format!(
                            "expected a known field, found `{name}:`; known fields: {}",
                            FIELDS.join(", ")
                        ),
                    ));
                };
                if !ctx.is_any() {
                    return Err(QueryError::new(
                        span,
                        format!("expected a value, found the field `{name}:` inside another field"),
                    ));
                }
                let (node, vspan) = match field {
                    Ctx::Raw => self.raw()?,
                    Ctx::Query => self.reference()?,
                    _ => self.primary(field)?,
                };
                Ok((node, span.start..vspan.end))
            }
            Kind::Word(w) => {
                self.bump();
                Ok((self.word(ctx, &w, &span)?, span))
            }
            Kind::Phrase(s) => {
                self.bump();
                let node = match ctx {
                    Ctx::Text(field) => {
                        let mut phrase = self.phrase(&s, &span, PhraseStyle::Quoted)?;
                        let mut span = span;
                        if let Some((n, tspan)) = self.tilde() {
                            if let Span::Phrase { slop, .. } = &mut phrase {
                                *slop = Some(n);
                            }
                            span.end = tspan.end;
                        }
                        return Ok((
                            Node::Text {
                                field,
                                span: phrase,
                            },
                            span,
                        ));
                    }
                    _ => self.value(ctx, &s, &span)?,
                };
                Ok((node, span))
            }
            Kind::Brace(s) => {
                self.bump();
                let Ctx::Text(field) = ctx else {
                    return Err(self.not_here(&span, "a case-sensitive term"));
                };
                let toks: Vec<_> = Tokens::new(&s, false).collect();
                let words: Vec<Word> = toks
                    .iter()
                    .map(|t| Word {
                        src: format!("{}{}", t.sigil.as_str(), &s[t.body.clone()]),
                        sigil: t.sigil,
                        kind: WordKind::Exact,
                        text: s[t.body.clone()].to_owned(),
                        accented: true,
                        sig: Some(sig_hash(lower(&s[t.body.clone()]).as_bytes())),
                    })
                    .collect();
                let span_node = match words.len() {
                    0 => return Err(no_words(&span, &s)),
                    1 => Span::Word(Word {
                        src: s.clone(),
                        ..words[0].clone()
                    }),
                    _ => Span::Phrase {
                        src: s,
                        style: PhraseStyle::Brace,
                        words,
                        slop: None,
                    },
                };
                Ok((
                    Node::Text {
                        field,
                        span: span_node,
                    },
                    span,
                ))
            }
            Kind::Regex { src, ci } => {
                self.bump();
                let Ctx::Text(field) = ctx else {
                    return Err(self.not_here(&span, "a regular expression"));
                };
                let re = regex::RegexBuilder::new(&src)
                    .case_insensitive(ci)
                    .size_limit(1 << 22)
                    .build()
                    .map_err(|e| {
                        let first = e.to_string();
                        let last = first.lines().last().unwrap_or("").trim();
                        let last = last.strip_prefix("error: ").unwrap_or(last);
                        QueryError::new(
                            span.clone(),
                            format!("expected a valid regular expression, found an error: {last}"),
                        )
                    })?;
                Ok((
                    Node::Regex {
                        field,
                        re: Re { src, ci, re },
                    },
                    span,
                ))
            }
            Kind::Range(inner) => {
                self.bump();
                let node = match ctx {
                    Ctx::Range(field) => Node::Field(FieldPred::Range {
                        field,
                        range: num_range(&inner, &span)?,
                    }),
                    Ctx::Sentiment => Node::Field(FieldPred::Range {
                        field: RangeField::Sentiment,
                        range: num_range(&inner, &span)?,
                    }),
                    Ctx::Published => Node::Field(FieldPred::Published(date_range(&inner, &span)?)),
                    _ => return Err(self.not_here(&span, "a range")),
                };
                Ok((node, span))
            }
            _ => Err(self.expected(match ctx {
                Ctx::Text(_) => "a term, phrase or `(`",
                _ => "a value",
            })),
        }
    }

    fn not_here(&self, span: &Range<usize>, what: &str) -> QueryError {
        QueryError::new(
            span.clone(),
            format!("expected a value for this field, found {what}"),
        )
    }

    /// `(a AND b)~n`, the older spelling of `a NEAR/n b`.
    fn old_near(&self, inner: Node, span: &Range<usize>, n: u32) -> Result<Node, QueryError> {
        match inner {
            Node::And(mut xs) if xs.len() == 2 => {
                let right = xs.pop().expect("two items");
                let left = xs.pop().expect("two items");
                self.make_near(left, span, right, span, n, false, span)
            }
            _ => Err(QueryError::new(
                span.clone(),
                format!(
                    "expected `(a AND b)~n` with two terms or groups, found {}",
                    describe(self.src, span)
                ),
            )),
        }
    }

    fn raw(&mut self) -> Result<Parsed, QueryError> {
        match self.peek() {
            Some(Kind::Word(s) | Kind::Phrase(s)) => {
                let s = s.clone();
                let span = self.here();
                self.bump();
                Ok((Node::Raw(s), span))
            }
            _ => Err(self.expected("a word or \"quoted text\" after `raw:`")),
        }
    }

    fn reference(&mut self) -> Result<Parsed, QueryError> {
        match self.peek() {
            Some(Kind::Word(s)) => {
                let name = s.clone();
                let span = self.here();
                self.bump();
                match self.names.resolve(&name, true) {
                    Some(Ok(node)) => Ok((Node::Ref { name, node }, span)),
                    Some(Err(e)) => Err(QueryError::new(span, e)),
                    None => {
                        let known = self.names.known();
                        let known = if known.is_empty() {
                            "no named queries are defined".to_owned()
                        } else {
                            format!("known: {}", known.join(", "))
                        };
                        Err(QueryError::new(
                            span,
                            format!("expected the name of a query, found `{name}`; {known}"),
                        ))
                    }
                }
            }
            _ => Err(self.expected("the name of a query after `query:`")),
        }
    }

    fn word(&self, ctx: Ctx, w: &str, span: &Range<usize>) -> Result<Node, QueryError> {
        let Ctx::Text(field) = ctx else {
            return self.value(ctx, w, span);
        };
        if let Some(name) = w.strip_prefix('@')
            && ctx.is_any()
        {
            match self.names.resolve(name, false) {
                Some(Ok(node)) => {
                    return Ok(Node::Ref {
                        name: name.to_owned(),
                        node,
                    });
                }
                Some(Err(e)) => return Err(QueryError::new(span.clone(), e)),
                None => {}
            }
        }
        let toks: Vec<_> = Tokens::new(w, true).collect();
        let mut words = Vec::with_capacity(toks.len());
        for t in &toks {
            let body = &w[t.body.clone()];
            let at = span.start + t.body.start;
            if body.chars().all(|c| c == '*' || c == '?') {
                return Err(QueryError::new(
                    at..at + body.len(),
                    format!("expected a letter or digit, found only wildcards in `{body}`"),
                ));
            }
            if body.starts_with('*') {
                return Err(QueryError::new(
                    at..at + 1,
                    format!(
                        "expected a letter or digit, found `*` at the start of `{body}`: a \
                         wildcard cannot start a word"
                    ),
                ));
            }
            words.push(make_word(
                format!("{}{body}", t.sigil.as_str()),
                body,
                t.sigil,
            ));
        }
        let span_node = match words.len() {
            0 => return Err(no_words(span, w)),
            1 => Span::Word(Word {
                src: w.to_owned(),
                ..words.remove(0)
            }),
            _ => Span::Phrase {
                src: w.to_owned(),
                style: PhraseStyle::Bare,
                words,
                slop: None,
            },
        };
        Ok(Node::Text {
            field,
            span: span_node,
        })
    }

    fn phrase(&self, s: &str, span: &Range<usize>, style: PhraseStyle) -> Result<Span, QueryError> {
        let mut words = Vec::new();
        for t in Tokens::new(s, true) {
            let body = &s[t.body.clone()];
            if body.starts_with('*') || body.chars().all(|c| c == '*' || c == '?') {
                return Err(QueryError::new(
                    span.clone(),
                    format!(
                        "expected a letter or digit, found a wildcard at the start of `{body}`"
                    ),
                ));
            }
            words.push(make_word(
                format!("{}{body}", t.sigil.as_str()),
                body,
                t.sigil,
            ));
        }
        if words.is_empty() {
            return Err(no_words(span, s));
        }
        Ok(Span::Phrase {
            src: s.to_owned(),
            style,
            words,
            slop: None,
        })
    }

    /// A value for a metadata field.
    fn value(&self, ctx: Ctx, v: &str, span: &Range<usize>) -> Result<Node, QueryError> {
        let bad =
            |what: &str| QueryError::new(span.clone(), format!("expected {what}, found `{v}`"));
        let keyword = |field: KeywordField, norm: String| {
            Node::Field(FieldPred::Keyword {
                field,
                value: v.to_owned(),
                norm,
            })
        };
        Ok(match ctx {
            Ctx::Keyword(field) => {
                let l = lower(v.trim());
                let norm = match field {
                    KeywordField::Site | KeywordField::Links => {
                        let d = strip_scheme(&l);
                        let d = d.split('/').next().unwrap_or("");
                        d.strip_prefix("www.").unwrap_or(d).to_owned()
                    }
                    KeywordField::Url => strip_scheme(&l).to_owned(),
                    KeywordField::Author => bare(l.trim_start_matches('@')),
                    KeywordField::Engagement => match v {
                        "COMMENT" | "comment" => "comment".into(),
                        "REPLY" | "reply" => "reply".into(),
                        "RETWEET" | "retweet" | "REPOST" | "repost" => "repost".into(),
                        "QUOTE" | "quote" => "quote".into(),
                        _ => return Err(bad("COMMENT, REPLY, RETWEET or QUOTE")),
                    },
                    KeywordField::Kind => {
                        if !crate::mention::Kind::ALL.iter().any(|k| k.as_str() == l) {
                            return Err(bad("post, reply, repost, quote, article or comment"));
                        }
                        l
                    }
                    KeywordField::Id => v.to_owned(),
                    _ => l,
                };
                if norm.is_empty() {
                    return Err(bad("a value"));
                }
                keyword(field, norm)
            }
            Ctx::Sentiment => {
                let l = lower(v);
                if matches!(l.as_str(), "negative" | "neutral" | "positive" | "unknown") {
                    keyword(KeywordField::Sentiment, l)
                } else if let Some(b) = num_bound(v) {
                    Node::Field(FieldPred::Range {
                        field: RangeField::Sentiment,
                        range: NumRange {
                            lo: Some(b.clone()),
                            hi: Some(b),
                        },
                    })
                } else {
                    return Err(bad(
                        "negative, neutral, positive or a range like [-1 TO -0.5]",
                    ));
                }
            }
            Ctx::Range(field) => {
                let b = num_bound(v).ok_or_else(|| bad("a number or a range like [10 TO *]"))?;
                Node::Field(FieldPred::Range {
                    field,
                    range: NumRange {
                        lo: Some(b.clone()),
                        hi: Some(b),
                    },
                })
            }
            Ctx::Published => {
                let lo = date_bound(v, false)
                    .ok_or_else(|| bad("a date (2024-01-31) or a range of dates"))?;
                let hi = date_bound(v, true)
                    .ok_or_else(|| bad("a date (2024-01-31) or a range of dates"))?;
                Node::Field(FieldPred::Published(DateRange {
                    lo: Some(lo),
                    hi: Some(hi),
                }))
            }
            Ctx::Text(_) | Ctx::Raw | Ctx::Query => unreachable!("handled by the caller"),
        })
    }
}

fn no_words(span: &Range<usize>, s: &str) -> QueryError {
    QueryError::new(
        span.clone(),
        format!(
            "expected a term, found `{s}`, which has no letters, digits or emoji; use \
             raw:\"{s}\" to match punctuation"
        ),
    )
}

fn make_word(src: String, body: &str, sigil: Sigil) -> Word {
    let l = lower(body);
    let b = bare(body);
    let accented = l != b;
    let kind = if body.contains(['*', '?']) {
        WordKind::Wild
    } else {
        WordKind::Term
    };
    let text = if accented { l } else { b };
    Word {
        src,
        sigil,
        sig: (kind == WordKind::Term).then(|| sig_hash(text.as_bytes())),
        kind,
        text,
        accented,
    }
}

pub(crate) fn strip_scheme(s: &str) -> &str {
    let s = match s.find("://") {
        Some(i)
            if s[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.') =>
        {
            &s[i + 3..]
        }
        _ => s,
    };
    s.strip_prefix("www.").unwrap_or(s)
}

/// The span as a NEAR operand: a text node, or an OR of them, all in one field.
fn to_span(node: Node) -> Option<(TextField, Span)> {
    match node {
        Node::Text { field, span } => Some((field, span)),
        Node::Or(xs) => {
            let mut field = None;
            let mut spans = Vec::with_capacity(xs.len());
            for x in xs {
                let (f, s) = to_span(x)?;
                if field.is_some_and(|g| g != f) {
                    return None;
                }
                field = Some(f);
                spans.push(s);
            }
            Some((field?, Span::Or(spans)))
        }
        _ => None,
    }
}

/// True when the node needs something to be present, so it cannot match nearly everything.
fn positive(node: &Node) -> bool {
    match node {
        Node::And(xs) => xs.iter().any(positive),
        Node::Or(xs) => xs.iter().all(positive),
        Node::Not(inner) => matches!(&**inner, Node::Not(x) if positive(x)),
        // Terms, fields and references: a referenced query passed this test when it was
        // parsed (a group's members each did), so it is not walked again.
        _ => true,
    }
}

fn num_bound(s: &str) -> Option<Bound<f64>> {
    let value: f64 = s.parse().ok()?;
    value.is_finite().then(|| Bound {
        text: s.to_owned(),
        value,
    })
}

fn date_bound(s: &str, upper: bool) -> Option<Bound<i64>> {
    let instant = crate::time::parse_instant(s)?;
    let value = if upper {
        instant.end()
    } else {
        instant.start()
    };
    Some(Bound {
        text: s.to_owned(),
        value: value.as_second(),
    })
}

fn split_range<'s>(inner: &'s str, span: &Range<usize>) -> Result<(&'s str, &'s str), QueryError> {
    let parts: Vec<&str> = inner.split_whitespace().collect();
    match parts.as_slice() {
        [a, "TO", b] => Ok((a, b)),
        _ => Err(QueryError::new(
            span.clone(),
            format!("expected a range like [a TO b], found `[{inner}]`"),
        )),
    }
}

fn num_range(inner: &str, span: &Range<usize>) -> Result<NumRange, QueryError> {
    let (a, b) = split_range(inner, span)?;
    let bound = |s: &str| -> Result<Option<Bound<f64>>, QueryError> {
        if s == "*" {
            return Ok(None);
        }
        num_bound(s).map(Some).ok_or_else(|| {
            QueryError::new(
                span.clone(),
                format!("expected a number or `*` in the range, found `{s}`"),
            )
        })
    };
    Ok(NumRange {
        lo: bound(a)?,
        hi: bound(b)?,
    })
}

fn date_range(inner: &str, span: &Range<usize>) -> Result<DateRange, QueryError> {
    let (a, b) = split_range(inner, span)?;
    let bound = |s: &str, upper| -> Result<Option<Bound<i64>>, QueryError> {
        if s == "*" {
            return Ok(None);
        }
        date_bound(s, upper).map(Some).ok_or_else(|| {
            QueryError::new(
                span.clone(),
                format!(
                    "expected a date (2024-01-31), an RFC 3339 time or `*` in the range, found `{s}`"
                ),
            )
        })
    };
    Ok(DateRange {
        lo: bound(a, false)?,
        hi: bound(b, true)?,
    })
}

/// Warnings for the lower-case operator words of `src` (`or`, `and`, `not` between two
/// operands): they are searched as words, which is rarely what was meant (issue 14).
pub(crate) fn lowercase_operators(src: &str) -> Vec<String> {
    let Ok(toks) = lex(src) else {
        return Vec::new();
    };
    // What can end the operand before a word, and start the one after it.
    let ends = |k: &Kind| matches!(k, Kind::RParen | Kind::Tilde(_)) || is_operand(k);
    let starts = |k: &Kind| matches!(k, Kind::LParen | Kind::Field(_)) || is_operand(k);
    toks.windows(3)
        .filter_map(|w| match &w[1].kind {
            Kind::Word(word)
                if ["or", "and", "not"]
                    .iter()
                    .any(|op| word.eq_ignore_ascii_case(op))
                    && ends(&w[0].kind)
                    && starts(&w[2].kind) =>
            {
                Some(format!(
                    "`{word}` is searched as a word; the operator is `{}` (operators are \
                     upper-case)",
                    word.to_ascii_uppercase()
                ))
            }
            _ => None,
        })
        .collect()
}

/// A token that is a whole operand by itself.
fn is_operand(k: &Kind) -> bool {
    matches!(
        k,
        Kind::Word(_) | Kind::Phrase(_) | Kind::Brace(_) | Kind::Regex { .. } | Kind::Range(_)
    )
}

/// Parses a whole query, resolving `query:name` and `@name` with `names`.
pub(crate) fn parse(src: &str, names: &dyn Resolve) -> Result<Node, QueryError> {
    let toks = lex(src)?;
    Parser {
        src,
        toks,
        pos: 0,
        names,
        nest: 0,
    }
    .parse()
}
