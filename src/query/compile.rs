//! Compilation: a query's syntax tree becomes a [`Prog`] for matching many mentions, with
//! ANDs and ORs flattened, references resolved and signature bits given to each text test.
//! Running a program falls back to the tree walk of `eval.rs` for what it cannot decide
//! from the signature.

use std::collections::HashMap;
use std::sync::Arc;

use super::ast::{Node, Span, Word};
use super::eval::{Cx, eval};
use super::text::Sig;

/// A query prepared for matching many mentions: ANDs and ORs flattened, references
/// resolved, and each text test given signature bits its words need, so most tests end
/// after a few bit operations, without walking the syntax tree.
#[derive(Debug)]
pub(crate) enum Prog {
    And(Group),
    Or(Group),
    Not(Box<Prog>),
    /// A `Node::Text`: possible only when the mention's signature has every bit of `need`
    /// and at least one bit of each of `alts` (the words of an OR, one of which must occur).
    Text {
        need: Need,
        alts: Box<[Sig]>,
        node: Box<Node>,
    },
    /// Any other node, evaluated on the syntax tree.
    Node(Box<Node>),
    /// A query that several references share: run at most once per mention, its answer
    /// kept for the other references (queries that each refer to the previous two would
    /// otherwise run 2^n times).
    Shared(Arc<Prog>),
}

/// The children of an AND or an OR, with the signature bits each one needs (none for
/// children that are not text tests) in a dense array of their own: most children end at
/// that test, so walking a long AND reads a few bytes per child and stays in cache.
///
/// An OR is also indexed by one bit that each of its text tests needs (its anchor): the
/// mention's signature picks out the few children whose anchor it has, and the others are
/// never read. A long OR of terms then costs a few word operations, not a test per term.
#[derive(Debug)]
pub(crate) struct Group {
    needs: Box<[Need]>,
    items: Box<[Prog]>,
    /// An OR's children that have an anchor, as (anchor bit, child), by bit.
    anchored: Box<[(u16, u32)]>,
    /// The anchor bits of `anchored`.
    anchors: Sig,
    /// An OR's children without an anchor (other tests, wildcards), in order.
    rest: Box<[u32]>,
}

impl Group {
    fn new(items: Vec<Prog>, and: bool) -> Group {
        let needs: Box<[Need]> = items
            .iter()
            .map(|p| match p {
                Prog::Text { need, .. } => *need,
                _ => Need::default(),
            })
            .collect();
        let mut anchored = Vec::new();
        let mut anchors = Sig::default();
        let mut rest = Vec::new();
        if !and {
            for (k, need) in (0u32..).zip(&needs) {
                match need.anchor() {
                    Some(bit) => {
                        anchored.push((bit, k));
                        anchors.insert_index(bit);
                    }
                    None => rest.push(k),
                }
            }
            anchored.sort_unstable();
        }
        Group {
            needs,
            items: items.into_boxed_slice(),
            anchored: anchored.into_boxed_slice(),
            anchors,
            rest: rest.into_boxed_slice(),
        }
    }

    /// The children in order, each with its need.
    fn each(&self) -> impl Iterator<Item = (&Need, &Prog)> {
        self.needs.iter().zip(self.items.iter())
    }

    /// True when a child matches (an OR). Children are tested in no particular order:
    /// evaluation has no effects, so the answer is the same.
    fn any(&self, cx: &mut Cx<'_, '_>) -> bool {
        let test = |k: u32, cx: &mut Cx<'_, '_>| {
            let k = k as usize;
            may(&self.needs[k], cx) && self.items[k].run_met(cx)
        };
        if self.rest.iter().any(|&k| test(k, cx)) {
            return true;
        }
        if self.anchored.is_empty() {
            return false;
        }
        let hits = self.anchors.intersection(cx.any_sig());
        let mut from = 0;
        for bit in hits.indexes() {
            from += self.anchored[from..].partition_point(|a| a.0 < bit);
            for &(_, k) in self.anchored[from..].iter().take_while(|a| a.0 == bit) {
                if test(k, cx) {
                    return true;
                }
            }
        }
        false
    }
}

/// A child's need is tested before the child is read: most end there.
#[inline]
fn may(need: &Need, cx: &mut Cx<'_, '_>) -> bool {
    need.len == 0 || need.met(cx.any_sig())
}

/// Up to four [`Sig`] bits that a text test needs (a subset of what it needs is still a
/// valid reason to reject), and the bit of its longest word, usually the rarest.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Need {
    bits: [u16; 4],
    len: u8,
    /// The length of the longest word seen, whose bit is `anchor`.
    longest: u8,
    anchor: u16,
}

impl Need {
    fn add(&mut self, w: &Word) {
        if let Some(hash) = w.sig {
            let bit = Sig::index(hash);
            let have = &self.bits[..self.len as usize];
            if usize::from(self.len) < self.bits.len() && !have.contains(&bit) {
                self.bits[self.len as usize] = bit;
                self.len += 1;
            }
            // Later words win ties: the last word of a phrase is usually the rarer one
            // ("still waiting").
            let len = u8::try_from(w.text.len()).unwrap_or(u8::MAX);
            if len >= self.longest {
                (self.longest, self.anchor) = (len, bit);
            }
        }
    }

    /// A bit that every match needs, if any.
    fn anchor(&self) -> Option<u16> {
        (self.len > 0).then_some(self.anchor)
    }

    /// Adds what a match of `span` needs: to `self`, the bits of words it cannot match
    /// without; to `alts`, for each OR, the bits of which it needs one.
    fn of(span: &Span, need: &mut Need, alts: &mut Vec<Sig>) {
        match span {
            Span::Word(w) => need.add(w),
            Span::Phrase { words, .. } => words.iter().for_each(|w| need.add(w)),
            Span::Or(_) => alts.extend(one_of(span)),
            Span::Near { left, right, .. } => {
                Need::of(left, need, alts);
                Need::of(right, need, alts);
            }
        }
    }

    #[inline]
    fn met(&self, sig: &Sig) -> bool {
        self.bits[..self.len as usize]
            .iter()
            .all(|&b| sig.has_index(b))
    }
}

/// Bits of which every match of `span` sets at least one; `None` when some match needs no
/// bit (a wildcard).
fn one_of(span: &Span) -> Option<Sig> {
    let word = |w: &Word| w.sig.map(Sig::of_hash);
    match span {
        Span::Word(w) => word(w),
        // Every word of a phrase is needed: any one of them will do.
        Span::Phrase { words, .. } => words.iter().find_map(word),
        Span::Or(xs) => xs.iter().try_fold(Sig::default(), |mut acc, x| {
            acc.union(&one_of(x)?);
            Some(acc)
        }),
        Span::Near { left, right, .. } => one_of(left).or_else(|| one_of(right)),
    }
}

impl Prog {
    /// Compiles a query. A query that several references share is compiled once, as a
    /// [`Prog::Shared`] that runs once per mention; one referred to once is inlined.
    pub(crate) fn compile(node: &Node) -> Prog {
        let mut compiler = Compiler::default();
        compiler.count(node);
        compiler.compile(node)
    }

    pub(super) fn run(&self, cx: &mut Cx<'_, '_>) -> bool {
        match self {
            Prog::And(g) => g.each().all(|(need, x)| may(need, cx) && x.run_met(cx)),
            Prog::Or(g) => g.any(cx),
            Prog::Not(x) => !x.run(cx),
            Prog::Text { need, .. } => need.met(cx.any_sig()) && self.run_met(cx),
            Prog::Node(node) => eval(node, cx),
            Prog::Shared(prog) => cx.shared(prog),
        }
    }

    /// [`Prog::run`] once the need has been met.
    fn run_met(&self, cx: &mut Cx<'_, '_>) -> bool {
        match self {
            Prog::Text { alts, node, .. } => {
                let sig = cx.any_sig();
                alts.iter().all(|a| a.meets(sig)) && eval(node, cx)
            }
            _ => self.run(cx),
        }
    }
}

/// Compiles a tree whose referenced queries may be shared, walking each shared one once.
#[derive(Default)]
struct Compiler {
    /// By the address of a referenced node: how many references point at it.
    uses: HashMap<usize, u32>,
    /// By the address of a shared node: its program, compiled once.
    done: HashMap<usize, Arc<Prog>>,
}

fn key(node: &Arc<Node>) -> usize {
    Arc::as_ptr(node) as usize
}

impl Compiler {
    /// Counts the references to each referenced node; a node is walked the first time.
    fn count(&mut self, node: &Node) {
        match node {
            Node::And(xs) | Node::Or(xs) => xs.iter().for_each(|x| self.count(x)),
            Node::Not(x) => self.count(x),
            Node::Ref { node, .. } => {
                let uses = self.uses.entry(key(node)).or_insert(0);
                *uses += 1;
                if *uses == 1 {
                    self.count(node);
                }
            }
            _ => {}
        }
    }

    fn compile(&mut self, node: &Node) -> Prog {
        match node {
            Node::And(xs) => Prog::And(self.flatten(xs, true)),
            Node::Or(xs) => Prog::Or(self.flatten(xs, false)),
            Node::Not(x) => Prog::Not(Box::new(self.compile(x))),
            Node::Ref { node, .. } if self.uses.get(&key(node)).is_some_and(|&n| n > 1) => {
                if let Some(prog) = self.done.get(&key(node)) {
                    return Prog::Shared(prog.clone());
                }
                let prog = Arc::new(self.compile(node));
                self.done.insert(key(node), prog.clone());
                Prog::Shared(prog)
            }
            Node::Ref { node, .. } => self.compile(node),
            Node::Text { span, .. } => {
                let mut need = Need::default();
                let mut alts = Vec::new();
                Need::of(span, &mut need, &mut alts);
                Prog::Text {
                    need,
                    alts: alts.into_boxed_slice(),
                    node: Box::new(node.clone()),
                }
            }
            _ => Prog::Node(Box::new(node.clone())),
        }
    }

    /// The children of an AND or an OR, with those of the same kind merged in.
    fn flatten(&mut self, xs: &[Node], and: bool) -> Group {
        let mut out = Vec::with_capacity(xs.len());
        for x in xs {
            match (self.compile(x), and) {
                (Prog::And(ys), true) | (Prog::Or(ys), false) => {
                    out.extend(Vec::from(ys.items));
                }
                (p, _) => out.push(p),
            }
        }
        Group::new(out, and)
    }
}
