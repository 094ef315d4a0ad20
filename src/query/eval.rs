//! Evaluation: does a mention match a node? Pure: works over a [`MentionView`], no I/O.
//!
//! The title and text are tokenised at most once per mention, lazily, into buffers that live
//! in a thread-local scratch space and are reused from one mention to the next, so matching
//! does not allocate per line once the buffers have grown (NEAR and `~n` allocate a little).

use std::cell::RefCell;
use std::sync::Arc;

use crate::mention::MentionView;
use crate::scratch;

use super::ast::{FieldPred, KeywordField, Node, RangeField, Span, TextField, Word, WordKind};
use super::compile::Prog;
use super::parse::strip_scheme;
use super::text::{Doc, Sig, Sigil, Tokens, bare};

thread_local! {
    /// The title, text and lists documents of the mention being evaluated.
    static DOCS: RefCell<[Doc; 3]> = RefCell::new(Default::default());
    /// The matches of a NEAR or a sloppy phrase, as (first, last) token positions.
    static SPANS: RefCell<Vec<(usize, usize)>> = const { RefCell::new(Vec::new()) };
}

const TITLE: usize = 0;
const TEXT: usize = 1;
const LISTS: usize = 2;

pub(super) struct Cx<'s, 'v> {
    m: &'v MentionView<'v>,
    docs: &'s mut [Doc; 3],
    filled: [bool; 3],
    /// The union of the three documents' signatures, once all are filled.
    any: Option<Sig>,
    /// The answers of the shared programs run so far, by address ([`Prog::Shared`]).
    shared: Vec<(usize, bool)>,
}

impl<'s, 'v> Cx<'s, 'v> {
    fn new(m: &'v MentionView<'v>, docs: &'s mut [Doc; 3]) -> Self {
        Cx {
            m,
            docs,
            filled: [false; 3],
            any: None,
            shared: Vec::new(),
        }
    }

    /// The answer of a shared program on this mention: run the first time it is asked for.
    pub(super) fn shared(&mut self, prog: &Arc<Prog>) -> bool {
        let key = Arc::as_ptr(prog) as usize;
        if let Some(&(_, answer)) = self.shared.iter().find(|s| s.0 == key) {
            return answer;
        }
        let answer = prog.run(self);
        self.shared.push((key, answer));
        answer
    }

    /// The signature of title, text, tags and mentions together: one test rejects a term
    /// that is in none of them.
    #[inline]
    pub(super) fn any_sig(&mut self) -> &Sig {
        if self.any.is_none() {
            self.fill_any();
        }
        self.any.as_ref().expect("filled above")
    }

    #[cold]
    fn fill_any(&mut self) {
        let mut sig = self.doc(TITLE).sig;
        sig.union(&self.doc(TEXT).sig);
        sig.union(&self.doc(LISTS).sig);
        self.any = Some(sig);
    }

    fn doc(&mut self, which: usize) -> &Doc {
        if !self.filled[which] {
            self.filled[which] = true;
            let doc = &mut self.docs[which];
            match which {
                TITLE => doc.fill(self.m.title.as_deref().unwrap_or("")),
                TEXT => doc.fill(self.m.text.as_deref().unwrap_or("")),
                _ => {
                    doc.clear();
                    for t in &self.m.tags {
                        doc.add_item(t, Sigil::Hash);
                    }
                    for h in &self.m.mentions {
                        doc.add_item(h, Sigil::At);
                    }
                }
            }
        }
        &self.docs[which]
    }
}

/// True when `prog` matches the mention.
pub(crate) fn matches(prog: &Prog, m: &MentionView<'_>) -> bool {
    scratch::with(&DOCS, |docs| prog.run(&mut Cx::new(m, docs)))
}

/// The syntax tree evaluated with every signature test passing: the reference that
/// compiled programs and signatures must agree with (a property test).
#[cfg(test)]
pub(crate) fn matches_without_signatures(node: &Node, m: &MentionView<'_>) -> bool {
    let mut docs: [Doc; 3] = Default::default();
    let mut cx = Cx::new(m, &mut docs);
    for which in [TITLE, TEXT, LISTS] {
        cx.doc(which);
        cx.docs[which].sig = Sig::full();
    }
    cx.any = Some(Sig::full());
    eval(node, &mut cx)
}

/// Evaluates several programs on one mention, tokenising its text once for all of them;
/// calls `hit` with the index of each that matches.
pub(crate) fn matches_each<'p>(
    progs: impl Iterator<Item = &'p Prog>,
    m: &MentionView<'_>,
    mut hit: impl FnMut(usize),
) {
    let run = |docs: &mut [Doc; 3]| {
        let mut cx = Cx::new(m, docs);
        for (i, prog) in progs.enumerate() {
            if prog.run(&mut cx) {
                hit(i);
            }
        }
    };
    scratch::with(&DOCS, run)
}

pub(super) fn eval(node: &Node, cx: &mut Cx<'_, '_>) -> bool {
    match node {
        Node::And(xs) => xs.iter().all(|x| eval(x, cx)),
        Node::Or(xs) => xs.iter().any(|x| eval(x, cx)),
        Node::Not(x) => !eval(x, cx),
        Node::Ref { node, .. } => eval(node, cx),
        Node::Text { field, span } => {
            let which: &[usize] = match field {
                TextField::Any if !span_may(span, cx.any_sig()) => return false,
                TextField::Any => &[TITLE, TEXT, LISTS],
                TextField::Title => &[TITLE],
                TextField::Text => &[TEXT],
            };
            which.iter().any(|&w| {
                // The tags and mentions lists only hold single words.
                if w == LISTS && !matches!(span, Span::Word(_)) {
                    return false;
                }
                span_matches(span, cx.doc(w))
            })
        }
        Node::Regex { field, re } => text_fields(cx.m, *field).any(|s| re.re.is_match(s)),
        Node::Raw(lit) => text_fields(cx.m, TextField::Any).any(|s| raw_match(s, lit)),
        Node::Field(p) => field_matches(p, cx.m),
    }
}

fn text_fields<'a>(m: &'a MentionView<'_>, field: TextField) -> impl Iterator<Item = &'a str> {
    let title = matches!(field, TextField::Any | TextField::Title)
        .then(|| m.title.as_deref())
        .flatten();
    let text = matches!(field, TextField::Any | TextField::Text)
        .then(|| m.text.as_deref())
        .flatten();
    title.into_iter().chain(text)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `lit` occurs in `s`, case-sensitively, not inside a longer word.
pub(crate) fn raw_match(s: &str, lit: &str) -> bool {
    if lit.is_empty() {
        return false;
    }
    let first_word = lit.chars().next().is_some_and(is_word_char);
    let last_word = lit.chars().next_back().is_some_and(is_word_char);
    let mut from = 0;
    while let Some(i) = s[from..].find(lit) {
        let start = from + i;
        let end = start + lit.len();
        let before_ok = !first_word || !s[..start].chars().next_back().is_some_and(is_word_char);
        let after_ok = !last_word || !s[end..].chars().next().is_some_and(is_word_char);
        if before_ok && after_ok {
            return true;
        }
        from = start + s[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// `?` is one character, `*` any number.
pub(crate) fn glob(pat: &str, s: &str) -> bool {
    // Most tokens fail on the part before the first wildcard.
    let fixed = pat.find(['*', '?']).unwrap_or(pat.len());
    if !s.starts_with(&pat[..fixed]) {
        return false;
    }
    if pat.is_ascii() && s.is_ascii() {
        return glob_units(pat.as_bytes(), s.as_bytes());
    }
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = s.chars().collect();
    glob_units(&p, &t)
}

fn glob_units<T: Copy + PartialEq + Wild>(p: &[T], t: &[T]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi].wild_one() || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi].wild_any() {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| c.wild_any())
}

/// A pattern unit: a byte or a char.
trait Wild {
    fn wild_one(self) -> bool;
    fn wild_any(self) -> bool;
}

impl Wild for u8 {
    fn wild_one(self) -> bool {
        self == b'?'
    }
    fn wild_any(self) -> bool {
        self == b'*'
    }
}

impl Wild for char {
    fn wild_one(self) -> bool {
        self == '?'
    }
    fn wild_any(self) -> bool {
        self == '*'
    }
}

// Always inlined: called for every token a term is compared with, and the inliner's
// choice otherwise moves with the module layout (it lost 4% of filter's instructions once).
#[inline(always)]
fn word_matches(w: &Word, doc: &Doc, t: &super::text::Tok) -> bool {
    if w.sigil != Sigil::None && t.sigil != w.sigil {
        return false;
    }
    match w.kind {
        WordKind::Exact => doc.raw(t) == w.text,
        WordKind::Term => {
            // Most tokens differ in the hash: the fold is read only when it agrees.
            let key = if w.accented { t.lower_key } else { t.bare_key };
            if w.sig != Some(key) && !t.apostrophe {
                return false;
            }
            let s = doc.fold_bytes(t, w.accented);
            let text = w.text.as_bytes();
            (w.sig == Some(key) && s == text)
                || (t.apostrophe
                    && s.len() > text.len()
                    && s[text.len()] == b'\''
                    && s.starts_with(text)
                    && !text.contains(&b'\''))
        }
        WordKind::Wild => glob(
            &w.text,
            if w.accented {
                doc.lower(t)
            } else {
                doc.bare(t)
            },
        ),
    }
}

/// False when the word certainly occurs nowhere in a document with signature `sig`.
fn may_occur(w: &Word, sig: &Sig) -> bool {
    w.sig.is_none_or(|hash| sig.may_have(hash))
}

/// False when `span` certainly has no match in a document with signature `sig`.
fn span_may(span: &Span, sig: &Sig) -> bool {
    match span {
        Span::Word(w) => may_occur(w, sig),
        Span::Phrase { words, .. } => words.iter().all(|w| may_occur(w, sig)),
        Span::Or(xs) => xs.iter().any(|x| span_may(x, sig)),
        Span::Near { left, right, .. } => span_may(left, sig) && span_may(right, sig),
    }
}

fn span_matches(span: &Span, doc: &Doc) -> bool {
    if !span_may(span, &doc.sig) {
        return false;
    }
    match span {
        Span::Word(w) => doc.toks.iter().any(|t| word_matches(w, doc, t)),
        Span::Phrase {
            words, slop: None, ..
        } => phrase_at(words, doc).next().is_some(),
        _ => scratch::with(&SPANS, |out| {
            out.clear();
            spans(span, doc, out);
            !out.is_empty()
        }),
    }
}

/// Start positions of the exact phrase.
fn phrase_at<'d>(words: &'d [Word], doc: &'d Doc) -> impl Iterator<Item = usize> + 'd {
    let n = doc.toks.len();
    let k = words.len();
    (0..(n + 1).saturating_sub(k)).filter(move |&i| {
        words
            .iter()
            .zip(&doc.toks[i..i + k])
            .all(|(w, t)| word_matches(w, doc, t))
    })
}

/// Pushes every match of `span` as (first, last) token positions.
fn spans(span: &Span, doc: &Doc, out: &mut Vec<(usize, usize)>) {
    // The signature is tested at the words and phrases: testing every level of an OR or a
    // NEAR would walk each subtree again.
    if matches!(span, Span::Word(_) | Span::Phrase { .. }) && !span_may(span, &doc.sig) {
        return;
    }
    match span {
        Span::Word(w) => out.extend(
            doc.toks
                .iter()
                .enumerate()
                .filter(|(_, t)| word_matches(w, doc, t))
                .map(|(i, _)| (i, i)),
        ),
        Span::Phrase {
            words, slop: None, ..
        } => {
            let k = words.len();
            out.extend(phrase_at(words, doc).map(|i| (i, i + k - 1)));
        }
        Span::Phrase {
            words,
            slop: Some(n),
            ..
        } => {
            let k = words.len();
            let window = k + *n as usize;
            let toks = &doc.toks;
            let mut used = Vec::with_capacity(k);
            for start in 0..toks.len() {
                if !words.iter().any(|w| word_matches(w, doc, &toks[start])) {
                    continue;
                }
                let end = (start + window).min(toks.len());
                used.clear();
                let mut ok = true;
                for w in words {
                    let found = (start..end)
                        .find(|&i| !used.contains(&i) && word_matches(w, doc, &toks[i]));
                    match found {
                        Some(i) => used.push(i),
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
                if ok && used.contains(&start) {
                    let last = used.iter().copied().max().unwrap_or(start);
                    out.push((start, last));
                }
            }
        }
        Span::Or(xs) => {
            for x in xs {
                spans(x, doc, out);
            }
        }
        Span::Near {
            left,
            right,
            dist,
            ordered,
        } => {
            // The matches of each side go after what `out` holds; they are taken out and
            // the pairs pushed in their place, so one buffer serves any nesting.
            let l0 = out.len();
            spans(left, doc, out);
            if out.len() == l0 {
                return;
            }
            let r0 = out.len();
            spans(right, doc, out);
            let mut right = out.split_off(r0);
            let left = out.split_off(l0);
            near_pairs(&left, &mut right, *dist as usize, *ordered, out);
            // Each span once: nested NEARs over common words would otherwise multiply the
            // same spans level by level (issue 14, item 3).
            let mut pairs = out.split_off(l0);
            pairs.sort_unstable();
            pairs.dedup();
            out.extend(pairs);
        }
    }
}

/// Pushes the span of each pair of a `left` and a `right` match at most `dist` words apart
/// (right after left when `ordered`). Looks up the right matches that can pair with each
/// left one in sorted copies of `right` (by first, then by last position), so the work
/// grows with the pairs found, not with every left match times every right match.
fn near_pairs(
    left: &[(usize, usize)],
    right: &mut [(usize, usize)],
    dist: usize,
    ordered: bool,
    out: &mut Vec<(usize, usize)>,
) {
    // After: b.0 in a.1 + 1 ..= a.1 + 1 + dist.
    right.sort_unstable();
    for &a in left {
        let from = right.partition_point(|b| b.0 <= a.1);
        for &b in right[from..].iter().take_while(|b| b.0 - a.1 - 1 <= dist) {
            out.push((a.0, b.1));
        }
    }
    if ordered {
        return;
    }
    // Before: b.1 in a.0 - 1 - dist ..= a.0 - 1.
    right.sort_unstable_by_key(|b| (b.1, b.0));
    for &a in left {
        let from = right.partition_point(|b| b.1 + 1 + dist < a.0);
        for &b in right[from..].iter().take_while(|b| b.1 < a.0) {
            out.push((b.0, a.1));
        }
    }
}

fn eq_fold(a: &str, b_norm: &str) -> bool {
    if a.is_ascii() {
        a.eq_ignore_ascii_case(b_norm)
    } else {
        super::text::lower(a) == b_norm
    }
}

/// The host of a URL, without `www.`.
pub(crate) fn host(url: &str) -> &str {
    let rest = strip_scheme(url);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let auth = &rest[..end];
    let auth = auth.rsplit('@').next().unwrap_or(auth);
    let host = auth.split(':').next().unwrap_or(auth);
    host.strip_prefix("www.")
        .or_else(|| host.strip_prefix("WWW."))
        .unwrap_or(host)
}

fn domain_matches(url: &str, want: &str) -> bool {
    let h = host(url);
    h.eq_ignore_ascii_case(want)
        || (h.len() > want.len()
            && h.is_char_boundary(h.len() - want.len() - 1)
            && h[h.len() - want.len()..].eq_ignore_ascii_case(want)
            && h.as_bytes()[h.len() - want.len() - 1] == b'.')
}

fn published_secs(m: &MentionView<'_>) -> Option<i64> {
    m.published
        .as_deref()?
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_second())
}

fn range_value(field: RangeField, m: &MentionView<'_>) -> Option<f64> {
    let metric = |f: fn(&crate::mention::Metrics) -> Option<u64>| {
        m.metrics.as_ref().and_then(f).map(|v| v as f64)
    };
    match field {
        RangeField::AuthorFollowers => m.author.as_ref()?.followers.map(|v| v as f64),
        RangeField::MinuteOfDay => published_secs(m).map(|s| (s.rem_euclid(86_400) / 60) as f64),
        RangeField::Sentiment => m.sentiment.as_ref().map(|s| s.score),
        RangeField::Likes => metric(|x| x.likes),
        RangeField::Reposts => metric(|x| x.reposts),
        RangeField::Replies => metric(|x| x.replies),
        RangeField::Quotes => metric(|x| x.quotes),
        RangeField::Views => metric(|x| x.views),
        RangeField::Comments => metric(|x| x.comments),
        RangeField::Score => m.metrics.as_ref()?.score.map(|v| v as f64),
    }
}

fn field_matches(p: &FieldPred, m: &MentionView<'_>) -> bool {
    match p {
        FieldPred::Range { field, range } => {
            range_value(*field, m).is_some_and(|v| range.contains(v))
        }
        FieldPred::Published(r) => published_secs(m).is_some_and(|s| r.contains(s)),
        FieldPred::Keyword { field, norm, .. } => {
            let n = norm.as_str();
            match field {
                KeywordField::Author => m.author.as_ref().is_some_and(|a| {
                    a.handle.as_deref().is_some_and(|h| {
                        eq_fold(h.trim_start_matches('@'), n)
                            || bare(h.trim_start_matches('@')) == n
                    }) || a.name.as_deref().is_some_and(|name| name_contains(name, n))
                }),
                KeywordField::Site => m.url.as_deref().is_some_and(|u| domain_matches(u, n)),
                KeywordField::Links => m.links.iter().any(|u| domain_matches(u, n)),
                KeywordField::Url => m.url.as_deref().is_some_and(|u| {
                    let u = strip_scheme(u);
                    u.len() >= n.len() && u.is_char_boundary(n.len()) && eq_fold(&u[..n.len()], n)
                }),
                KeywordField::Lang => m.lang.as_deref().is_some_and(|l| {
                    eq_fold(l, n)
                        || (l.len() > n.len()
                            && l.is_char_boundary(n.len())
                            && eq_fold(&l[..n.len()], n)
                            && matches!(l.as_bytes()[n.len()], b'-' | b'_'))
                }),
                KeywordField::Platform => m.platform.as_deref().is_some_and(|x| eq_fold(x, n)),
                KeywordField::Kind | KeywordField::Engagement => {
                    m.kind.as_deref().is_some_and(|x| eq_fold(x, n))
                }
                KeywordField::Source => m.source.as_ref().is_some_and(|s| {
                    s.kind.as_deref().is_some_and(|x| eq_fold(x, n))
                        || s.title.as_deref().is_some_and(|x| eq_fold(x, n))
                        || s.group.as_deref().is_some_and(|g| {
                            eq_fold(g, n)
                                || (g.len() > n.len()
                                    && g.is_char_boundary(n.len())
                                    && eq_fold(&g[..n.len()], n)
                                    && g.as_bytes()[n.len()] == b'/')
                        })
                }),
                KeywordField::Sentiment => {
                    m.sentiment.as_ref().is_some_and(|s| eq_fold(&s.label, n))
                }
                KeywordField::Label => m.labels.iter().any(|x| eq_fold(x, n)),
                KeywordField::Match => m.matches.iter().any(|x| eq_fold(x, n)),
                KeywordField::Id => m.id.as_deref() == Some(n),
                KeywordField::Team => {
                    m.team.as_deref().is_some_and(|x| eq_fold(x, n))
                        || m.teams.iter().any(|x| eq_fold(x, n))
                }
                KeywordField::Priority => m.priority.as_deref().is_some_and(|x| eq_fold(x, n)),
            }
        }
    }
}

/// The words of `want` (bare fold; `.` counts as a space) appear in a row in `name`.
fn name_contains(name: &str, want: &str) -> bool {
    let fold =
        |s: &str| -> Vec<String> { Tokens::new(s, false).map(|t| bare(&s[t.body])).collect() };
    let have = fold(name);
    let want = fold(want);
    !want.is_empty() && have.windows(want.len()).any(|w| w == want.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spans of `span` the slow way: every left match against every right match, as
    /// NEAR was evaluated before issue 14, item 3.
    fn naive(span: &Span, doc: &Doc) -> Vec<(usize, usize)> {
        match span {
            Span::Near {
                left,
                right,
                dist,
                ordered,
            } => {
                let mut out = Vec::new();
                for a in naive(left, doc) {
                    for b in naive(right, doc) {
                        let gap = if a.1 < b.0 {
                            b.0 - a.1 - 1
                        } else if !*ordered && b.1 < a.0 {
                            a.0 - b.1 - 1
                        } else {
                            continue;
                        };
                        if gap <= *dist as usize {
                            out.push((a.0.min(b.0), a.1.max(b.1)));
                        }
                    }
                }
                out
            }
            _ => {
                let mut out = Vec::new();
                spans(span, doc, &mut out);
                out
            }
        }
    }

    /// Issue 14, item 3: nested NEARs over common words list each span once (they were
    /// multiplied level by level: ten levels on a 2,000-word line took 14 s and 341 MB),
    /// and find the same spans as pairing every match with every other.
    #[test]
    fn regression_14_3_near_spans_are_listed_once() {
        let words = ["a", "b", "c", "a", "a", "c", "b", "b", "a", "c", "c"];
        let text: Vec<&str> = (0..120)
            .map(|i| words[(i * 7 + i / 5) % words.len()])
            .collect();
        let mut doc = Doc::default();
        doc.fill(&text.join(" "));
        for src in [
            "a NEAR/2 b",
            "a NEAR/2f b",
            "(a OR b) NEAR/1 c NEAR/3 a",
            "(a OR b) NEAR/5 (a OR b) NEAR/5 (a OR b) NEAR/5 (a OR b)",
            "c NEAR/0f (a NEAR/2 b)",
        ] {
            let q = crate::query::Query::parse(src).unwrap();
            let Node::Text { span, .. } = q.node().as_ref() else {
                panic!("{src} is not a text test");
            };
            let mut got = Vec::new();
            spans(span, &doc, &mut got);
            let mut want = naive(span, &doc);
            want.sort_unstable();
            want.dedup();
            assert!(!want.is_empty(), "{src} finds something");
            let mut sorted = got.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, want, "{src}");
            sorted.dedup();
            assert_eq!(sorted.len(), got.len(), "{src}: a span listed twice");
        }
        // Ten levels on 2,000 words: a few thousand spans, not millions.
        let long: Vec<&str> = (0..2000).map(|i| ["a", "b"][i % 2]).collect();
        doc.fill(&long.join(" "));
        let q = crate::query::Query::parse(&["(a OR b)"; 11].join(" NEAR/5 ")).unwrap();
        let Node::Text { span, .. } = q.node().as_ref() else {
            panic!("not a text test");
        };
        let mut got = Vec::new();
        spans(span, &doc, &mut got);
        assert!(got.len() < 2000 * 70, "{} spans", got.len());
    }
}
