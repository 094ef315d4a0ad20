//! The network stage: who talks to whom, as a graph for Gephi, networkx, igraph or d3.
//!
//! One accumulator, [`Graph`], absorbs mentions line by line ([`Graph::add_line`]) and
//! other accumulators of its kind ([`Graph::merge`], for threads), then
//! [`Graph::finish`]es into a [`Network`]: nodes with their attributes, degrees and
//! communities ([`louvain`]), edges with a count per type and first/last dates. [`mod@write`]
//! turns a network into GEXF 1.3, GraphML, CSV or node-link JSON.
//!
//! Memory grows with the distinct nodes and edges, plus 16 bytes per post id and per post URL
//! (to find the author of a post a reply names, even later in the input) and the replies
//! waiting for their parent; never with the text of the mentions. Definitions: `docs/network.md`.

pub mod louvain;
pub mod write;

use std::hash::BuildHasher;

use indexmap::IndexMap;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::jsonl::LineError;
use crate::mention::{MentionView, ViewFields};
use crate::stats::period::parse_published;

pub use self::write::{NetworkFormat, write_csv, write_gexf, write_graphml, write_json};

/// What the nodes of the graph are (`--nodes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// Users (`platform:handle`), linked by replies, mentions, reposts and quotes (directed).
    Users,
    /// Hashtags, linked when they are used together (undirected).
    Hashtags,
    /// Posts, linked by replies and quotes (directed): the threads.
    Posts,
    /// Users and the hashtags they use (bipartite, undirected).
    UsersHashtags,
}

impl NodeKind {
    pub const NAMES: [&'static str; 4] = ["users", "hashtags", "posts", "users,hashtags"];

    /// The kind a `--nodes` value names: `users`, `hashtags`, `posts` or `users,hashtags`
    /// (in either order).
    pub fn from_name(name: &str) -> Option<NodeKind> {
        let mut parts: Vec<String> = name
            .split(',')
            .map(|p| p.trim().to_ascii_lowercase())
            .collect();
        parts.sort();
        parts.dedup();
        match parts.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["users"] | ["user"] => Some(NodeKind::Users),
            ["hashtags"] | ["hashtag"] | ["tags"] => Some(NodeKind::Hashtags),
            ["posts"] | ["post"] => Some(NodeKind::Posts),
            ["hashtags", "users"] => Some(NodeKind::UsersHashtags),
            _ => None,
        }
    }

    /// Whether edges have a direction.
    pub fn directed(self) -> bool {
        matches!(self, NodeKind::Users | NodeKind::Posts)
    }

    /// What a mention lacks when it has no place in a graph of this kind.
    pub fn unplaced(self) -> &'static str {
        match self {
            NodeKind::Hashtags => "without a hashtag",
            NodeKind::Posts => "without an id",
            NodeKind::Users | NodeKind::UsersHashtags => "without an author handle or name",
        }
    }

    /// The edge types a graph of this kind has, in the order of [`EdgeType`].
    pub fn edge_types(self) -> &'static [EdgeType] {
        match self {
            NodeKind::Users => &EdgeType::USERS,
            NodeKind::Posts => &[EdgeType::Reply, EdgeType::Quote],
            NodeKind::Hashtags => &[EdgeType::Cooccurrence],
            NodeKind::UsersHashtags => &[EdgeType::Uses],
        }
    }
}

/// Why an edge was drawn. Each edge counts how often each type links its two nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeType {
    /// A reply, to the author of the parent post.
    Reply = 0,
    /// An `@handle` in a post (other than the addressee of a reply).
    Mention = 1,
    /// A repost, of the original's author.
    Repost = 2,
    /// A quote, of the quoted post's author.
    Quote = 3,
    /// Two hashtags in the same mention.
    Cooccurrence = 4,
    /// A user used a hashtag.
    Uses = 5,
}

const EDGE_TYPES: usize = 6;

impl EdgeType {
    /// The types of a user graph, the ones `--edges` chooses from.
    pub const USERS: [EdgeType; 4] = [
        EdgeType::Reply,
        EdgeType::Mention,
        EdgeType::Repost,
        EdgeType::Quote,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EdgeType::Reply => "reply",
            EdgeType::Mention => "mention",
            EdgeType::Repost => "repost",
            EdgeType::Quote => "quote",
            EdgeType::Cooccurrence => "cooccurrence",
            EdgeType::Uses => "uses",
        }
    }

    /// The user edge type a `--edges` value names.
    pub fn from_name(name: &str) -> Option<EdgeType> {
        let name = name.trim().to_ascii_lowercase();
        let name = name.strip_suffix('s').unwrap_or(&name);
        EdgeType::USERS.into_iter().find(|t| t.name() == name)
    }
}

/// What goes into the graph: the node kind and the edge types kept (`--nodes`, `--edges`).
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub nodes: NodeKind,
    /// One bit per [`EdgeType`]; types outside [`NodeKind::edge_types`] are never drawn.
    pub edges: u8,
}

impl Options {
    /// All the edge types of `nodes`.
    pub fn new(nodes: NodeKind) -> Options {
        Options {
            nodes,
            edges: u8::MAX,
        }
    }

    /// Only the user edge types in `types` (`--edges reply,mention`).
    pub fn with_edges(mut self, types: &[EdgeType]) -> Options {
        self.edges = types.iter().fold(0, |bits, t| bits | 1 << *t as u8);
        self
    }

    /// The options `--nodes` and `--edges` name; the error says what was expected.
    pub fn parse(nodes: &str, edges: Option<&[String]>) -> Result<Options, String> {
        let kind = NodeKind::from_name(nodes).ok_or_else(|| {
            format!(
                "--nodes: expected one of {}, found {nodes:?}",
                NodeKind::NAMES.join(", ")
            )
        })?;
        // The edge types one may choose from; hashtag graphs have one, fixed.
        let choices: &[EdgeType] = match kind {
            NodeKind::Users | NodeKind::Posts => kind.edge_types(),
            _ => &[],
        };
        let Some(edges) = edges else {
            return Ok(Options::new(kind));
        };
        let mut types = Vec::new();
        for name in edges {
            let t = EdgeType::from_name(name)
                .filter(|t| choices.contains(t))
                .ok_or_else(|| {
                    let names: Vec<&str> = choices.iter().map(|t| t.name()).collect();
                    format!(
                        "--edges: {name:?} is not an edge type of --nodes {nodes} (expected: {})",
                        if names.is_empty() {
                            "none, its edges are fixed".to_owned()
                        } else {
                            names.join(", ")
                        }
                    )
                })?;
            types.push(t);
        }
        Ok(Options::new(kind).with_edges(&types))
    }

    fn keeps(&self, t: EdgeType) -> bool {
        self.edges & 1 << t as u8 != 0
    }
}

/// How a graph is trimmed and laid out at the end (`--min-weight`, `--top`, `--seed`).
#[derive(Debug, Clone, Copy)]
pub struct FinishOptions {
    /// Edges lighter than this are left out (and, above 1, the nodes left without an edge).
    pub min_weight: u64,
    /// Keep only the N nodes of highest degree (and the edges between them).
    pub top: Option<usize>,
    /// The seed of the community search's node order.
    pub seed: u64,
}

impl Default for FinishOptions {
    fn default() -> Self {
        FinishOptions {
            min_weight: 1,
            top: None,
            seed: 0,
        }
    }
}

/// Distinct labels counted per node; later ones are not counted (a node's dominant labels
/// are among the first seen, and hostile input cannot grow a node without bound).
const MAX_LABELS: usize = 32;
/// Distinct hashtags of one mention that are paired (co-occurrence grows as their square).
const MAX_TAGS: usize = 50;
/// Distinct handles of one mention that get an edge: a real post names a few, and a hostile
/// line of millions must not cost their square.
const MAX_MENTIONS: usize = 100;
/// Dominant labels written per node.
const DOMINANT_LABELS: usize = 3;
/// Seconds "never": first/last seen of a node or edge without a dated mention.
const NO_TIME: (i64, i64) = (i64::MAX, i64::MIN);

/// A node as it is accumulated.
#[derive(Debug, Clone)]
struct NodeAcc {
    kind: NodeType,
    platform: Option<Box<str>>,
    /// Display name (users) or author (posts), of the latest dated mention (ties: the
    /// greatest), so that any split of the input gives the same one.
    name: Option<(i64, Box<str>)>,
    /// Mentions written (users), carrying the hashtag (hashtags), 1 for a post read.
    mentions: u64,
    first: i64,
    last: i64,
    score_sum: f64,
    scored: u64,
    labels: Vec<(Box<str>, u64)>,
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeType {
    User,
    Hashtag,
    Post,
}

impl NodeType {
    pub fn name(self) -> &'static str {
        match self {
            NodeType::User => "user",
            NodeType::Hashtag => "hashtag",
            NodeType::Post => "post",
        }
    }
}

impl NodeAcc {
    fn new(kind: NodeType) -> NodeAcc {
        NodeAcc {
            kind,
            platform: None,
            name: None,
            mentions: 0,
            first: NO_TIME.0,
            last: NO_TIME.1,
            score_sum: 0.0,
            scored: 0,
            labels: Vec::new(),
        }
    }

    /// Counts one mention this node wrote (or carries).
    fn wrote(&mut self, m: &MentionView<'_>, time: Option<i64>) {
        self.mentions += 1;
        if let Some(t) = time {
            self.first = self.first.min(t);
            self.last = self.last.max(t);
        }
        if let Some(s) = &m.sentiment
            && s.score.is_finite()
        {
            self.score_sum += s.score;
            self.scored += 1;
        }
        for label in &m.labels {
            self.count_label(label, 1);
        }
    }

    /// Notes a name seen at `time`.
    fn name(&mut self, name: &str, time: Option<i64>) {
        let time = time.unwrap_or(i64::MIN);
        let newer = match &self.name {
            None => true,
            Some((t, old)) => (time, name) > (*t, &**old),
        };
        if newer {
            self.name = Some((time, name.into()));
        }
    }

    fn count_label(&mut self, label: &str, n: u64) {
        if let Some(slot) = self.labels.iter_mut().find(|(l, _)| &**l == label) {
            slot.1 += n;
        } else if self.labels.len() < MAX_LABELS {
            self.labels.push((label.into(), n));
        }
    }

    fn merge(&mut self, other: NodeAcc) {
        self.mentions += other.mentions;
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        self.score_sum += other.score_sum;
        self.scored += other.scored;
        if other.name > self.name {
            self.name = other.name;
        }
        if self.platform.is_none() {
            self.platform = other.platform;
        }
        for (label, n) in other.labels {
            self.count_label(&label, n);
        }
    }
}

/// An edge as it is accumulated: a count per type, first and last seen.
#[derive(Debug, Clone, Copy, PartialEq)]
struct EdgeAcc {
    counts: [u64; EDGE_TYPES],
    first: i64,
    last: i64,
}

impl Default for EdgeAcc {
    fn default() -> Self {
        EdgeAcc {
            counts: [0; EDGE_TYPES],
            first: NO_TIME.0,
            last: NO_TIME.1,
        }
    }
}

impl EdgeAcc {
    fn merge(&mut self, other: &EdgeAcc) {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
    }
}

/// A reply whose parent post was not read yet: resolved in [`Graph::finish`].
#[derive(Debug, Clone)]
struct PendingReply {
    from: u32,
    parent: u64,
    time: Option<i64>,
    /// The platform puts a reply's addressee in `mentions` (X, Mastodon).
    addressed: bool,
    /// The author it quotes, if it is a quote too.
    quoted: Option<u32>,
    /// The users it mentions, in order.
    mentioned: Vec<u32>,
}

/// The graph accumulator: add mentions, merge accumulators, finish into a [`Network`].
#[derive(Debug, Clone)]
pub struct Graph {
    options: Options,
    nodes: IndexMap<Box<str>, NodeAcc, FxBuildHasher>,
    edges: FxHashMap<(u32, u32), EdgeAcc>,
    /// Post id (and URL) hashes and their author's node, to resolve replies at the end
    /// (appended here, sorted once: cheaper than a map, and most inputs have no reply).
    posts: Vec<(u64, u32)>,
    pending: Vec<PendingReply>,
    /// Mentions without an author (users) or without a hashtag (hashtags) or an id (posts).
    pub unplaced: u64,
    key: String,
}

/// The fields a graph reads of a line.
const WANT: ViewFields = ViewFields(
    ViewFields::ID.0
        | ViewFields::PLATFORM.0
        | ViewFields::KIND.0
        | ViewFields::URL.0
        | ViewFields::TEXT.0
        | ViewFields::PUBLISHED.0
        | ViewFields::AUTHOR.0
        | ViewFields::LINKS.0
        | ViewFields::TAGS.0
        | ViewFields::MENTIONS.0
        | ViewFields::SENTIMENT.0
        | ViewFields::LABELS.0
        | ViewFields::IN_REPLY_TO.0,
);

/// A stable 64-bit hash of a post id or URL (SipHash with fixed keys, the same in every
/// thread and run).
fn post_hash(s: &str) -> u64 {
    std::hash::BuildHasherDefault::<std::hash::DefaultHasher>::default().hash_one(s)
}

/// Appends `s` lowercased to `out`, without a leading `@` or `#`.
fn push_lower(out: &mut String, s: &str) {
    let s = s.trim().trim_start_matches(['@', '#']);
    if s.is_ascii() {
        out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
    }
}

impl Graph {
    pub fn new(options: Options) -> Graph {
        Graph {
            options,
            nodes: IndexMap::default(),
            edges: FxHashMap::default(),
            posts: Vec::new(),
            pending: Vec::new(),
            unplaced: 0,
            key: String::new(),
        }
    }

    /// Adds one JSONL line; a line that is not a mention object is a [`LineError`].
    pub fn add_line(&mut self, line: &str) -> Result<(), LineError> {
        let m = MentionView::parse(line, WANT).map_err(|e| LineError::from_json(&e))?;
        self.add(&m);
        Ok(())
    }

    /// Adds one mention.
    pub fn add(&mut self, m: &MentionView<'_>) {
        let time = m.published.as_deref().and_then(parse_published);
        match self.options.nodes {
            NodeKind::Users => self.add_user_edges(m, time),
            NodeKind::Hashtags => self.add_hashtags(m, time),
            NodeKind::Posts => self.add_post(m, time),
            NodeKind::UsersHashtags => self.add_user_hashtags(m, time),
        }
    }

    /// The node of `key` (built in `self.key` by `build`), made when new.
    fn node(&mut self, kind: NodeType, build: impl FnOnce(&mut String)) -> u32 {
        let mut key = std::mem::take(&mut self.key);
        key.clear();
        build(&mut key);
        let id = match self.nodes.get_index_of(key.as_str()) {
            Some(id) => id,
            None => {
                let id = self.nodes.len();
                self.nodes.insert(key.as_str().into(), NodeAcc::new(kind));
                id
            }
        };
        self.key = key;
        u32::try_from(id).expect("fewer than 2^32 nodes: each takes memory")
    }

    /// The user node of a mentioned handle on `platform`.
    fn user(&mut self, platform: &str, handle: &str) -> u32 {
        let id = self.node(NodeType::User, |k| {
            k.push_str(platform);
            k.push(':');
            push_lower(k, handle);
        });
        let node = &mut self.nodes[id as usize];
        if node.platform.is_none() {
            node.platform = Some(platform.into());
        }
        id
    }

    /// The author's node, with their name and platform noted and this mention counted.
    fn author(&mut self, m: &MentionView<'_>, time: Option<i64>) -> Option<u32> {
        let author = m.author.as_ref()?;
        let handle = [&author.handle, &author.name].into_iter().find_map(|h| {
            h.as_deref()
                .filter(|h| !h.trim().trim_start_matches('@').is_empty())
        })?;
        let id = self.user(platform(m), handle);
        let node = &mut self.nodes[id as usize];
        node.wrote(m, time);
        if let Some(name) = &author.name {
            node.name(name, time);
        }
        Some(id)
    }

    fn edge(&mut self, from: u32, to: u32, t: EdgeType, time: Option<i64>) {
        if from == to || !self.options.keeps(t) {
            return;
        }
        let key = if self.options.nodes.directed() || from < to {
            (from, to)
        } else {
            (to, from)
        };
        let e = self.edges.entry(key).or_default();
        e.counts[t as usize] += 1;
        if let Some(t) = time {
            e.first = e.first.min(t);
            e.last = e.last.max(t);
        }
    }

    fn add_user_edges(&mut self, m: &MentionView<'_>, time: Option<i64>) {
        let Some(from) = self.author(m, time) else {
            self.unplaced += 1;
            return;
        };
        for key in [&m.id, &m.url].into_iter().flatten() {
            if !key.is_empty() {
                self.posts.push((post_hash(key), from));
            }
        }
        let platform = platform(m);
        let kind = m.kind.as_deref().unwrap_or("");
        if kind == "repost" {
            let target = repost_target(m).or_else(|| m.mentions.first().map(|h| &**h));
            if let Some(handle) = target {
                let to = self.user(platform, handle);
                self.edge(from, to, EdgeType::Repost, time);
            }
            return;
        }
        let mut mentioned: Vec<u32> = Vec::with_capacity(m.mentions.len().min(MAX_MENTIONS));
        for handle in &m.mentions {
            if mentioned.len() == MAX_MENTIONS {
                break;
            }
            if handle.trim().trim_start_matches('@').is_empty() {
                continue;
            }
            let to = self.user(platform, handle);
            if !mentioned.contains(&to) {
                mentioned.push(to);
            }
        }
        let mut addressee = None;
        if kind == "quote"
            && let Some((qp, handle)) = m.links.iter().find_map(|l| quoted_author(l))
        {
            let to = self.user(qp, handle);
            self.edge(from, to, EdgeType::Quote, time);
            addressee = Some(to);
        }
        let addressed = matches!(platform, "x" | "twitter" | "mastodon");
        if let Some(parent) = m.in_reply_to.as_deref().filter(|p| !p.is_empty()) {
            // The parent may come later in the input, or in another thread's share of it.
            self.pending.push(PendingReply {
                from,
                parent: post_hash(parent),
                time,
                addressed,
                quoted: addressee,
                mentioned,
            });
            return;
        } else if kind == "reply" && addressed {
            addressee = mentioned.first().copied();
            if let Some(to) = addressee {
                self.edge(from, to, EdgeType::Reply, time);
            }
        }
        for to in mentioned {
            if Some(to) != addressee {
                self.edge(from, to, EdgeType::Mention, time);
            }
        }
    }

    /// The distinct hashtag nodes of a mention, each counting it.
    fn hashtags(&mut self, m: &MentionView<'_>, time: Option<i64>) -> Vec<u32> {
        let mut tags = Vec::new();
        for tag in &m.tags {
            if tags.len() == MAX_TAGS {
                break;
            }
            if tag.trim().trim_start_matches('#').is_empty() {
                continue;
            }
            let id = self.node(NodeType::Hashtag, |k| {
                k.push('#');
                push_lower(k, tag);
            });
            if !tags.contains(&id) {
                tags.push(id);
                self.nodes[id as usize].wrote(m, time);
            }
        }
        tags
    }

    fn add_hashtags(&mut self, m: &MentionView<'_>, time: Option<i64>) {
        let tags = self.hashtags(m, time);
        if tags.is_empty() {
            self.unplaced += 1;
        }
        for (i, &a) in tags.iter().enumerate() {
            for &b in &tags[i + 1..] {
                self.edge(a, b, EdgeType::Cooccurrence, time);
            }
        }
    }

    fn add_user_hashtags(&mut self, m: &MentionView<'_>, time: Option<i64>) {
        let Some(user) = self.author(m, time) else {
            self.unplaced += 1;
            return;
        };
        for tag in self.hashtags(m, time) {
            self.edge(user, tag, EdgeType::Uses, time);
        }
    }

    fn add_post(&mut self, m: &MentionView<'_>, time: Option<i64>) {
        let Some(id) = m.id.as_deref().filter(|id| !id.is_empty()) else {
            self.unplaced += 1;
            return;
        };
        let post = self.node(NodeType::Post, |k| k.push_str(id));
        let node = &mut self.nodes[post as usize];
        node.wrote(m, time);
        if let Some(p) = &m.platform {
            node.platform = Some(p.as_ref().into());
        }
        if let Some(author) = m
            .author
            .as_ref()
            .and_then(|a| a.handle.as_ref().or(a.name.as_ref()))
        {
            node.name(author, time);
        }
        if let Some(parent) = m.in_reply_to.as_deref().filter(|p| !p.is_empty()) {
            let to = self.node(NodeType::Post, |k| k.push_str(parent));
            self.edge(post, to, EdgeType::Reply, time);
        }
        if m.kind.as_deref() == Some("quote")
            && let Some(quoted) = m.links.iter().find_map(|l| quoted_post_id(l))
        {
            let to = self.node(NodeType::Post, |k| k.push_str(&quoted));
            self.edge(post, to, EdgeType::Quote, time);
        }
    }

    /// Adds another accumulator (of the same options) into this one.
    pub fn merge(&mut self, other: Graph) {
        let map: Vec<u32> = other
            .nodes
            .into_iter()
            .map(|(key, node)| {
                let id = match self.nodes.get_index_of(&key) {
                    Some(id) => {
                        self.nodes[id].merge(node);
                        id
                    }
                    None => self.nodes.insert_full(key, node).0,
                };
                u32::try_from(id).expect("fewer than 2^32 nodes: each takes memory")
            })
            .collect();
        for ((a, b), e) in other.edges {
            let (a, b) = (map[a as usize], map[b as usize]);
            let key = if self.options.nodes.directed() || a < b {
                (a, b)
            } else {
                (b, a)
            };
            self.edges.entry(key).or_default().merge(&e);
        }
        self.posts.extend(
            other
                .posts
                .into_iter()
                .map(|(post, author)| (post, map[author as usize])),
        );
        self.pending.extend(other.pending.into_iter().map(|mut p| {
            p.from = map[p.from as usize];
            p.mentioned.iter_mut().for_each(|m| *m = map[*m as usize]);
            p.quoted = p.quoted.map(|q| map[q as usize]);
            p
        }));
        self.unplaced += other.unplaced;
    }

    /// Resolves the replies still waiting for their parent: the parent's author when the
    /// parent was read, else the first user mentioned where the platform puts the
    /// addressee there (X, Mastodon).
    fn resolve_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        // A post read twice counts once, by its author of lowest key.
        let key = |id: u32| self.nodes.get_index(id as usize).map(|(k, _)| k);
        let mut posts = std::mem::take(&mut self.posts);
        posts.sort_unstable_by(|a, b| (a.0, key(a.1)).cmp(&(b.0, key(b.1))));
        posts.dedup_by_key(|p| p.0);
        for p in std::mem::take(&mut self.pending) {
            let parent = posts
                .binary_search_by_key(&p.parent, |x| x.0)
                .ok()
                .map(|i| posts[i].1);
            let addressee = match parent {
                Some(to) => Some(to),
                None if p.addressed => p.mentioned.first().copied(),
                None => None,
            };
            if let Some(to) = addressee {
                self.edge(p.from, to, EdgeType::Reply, p.time);
            }
            for &to in &p.mentioned {
                if Some(to) != addressee && Some(to) != p.quoted {
                    self.edge(p.from, to, EdgeType::Mention, p.time);
                }
            }
        }
    }

    /// The nodes and edges, trimmed by `options`, with degrees and communities. Nodes come
    /// out sorted by id and edges by their nodes, so the result does not depend on the
    /// order of the input or the number of threads.
    pub fn finish(mut self, options: &FinishOptions) -> Network {
        self.resolve_pending();
        let mut nodes: Vec<(Box<str>, NodeAcc)> = self.nodes.into_iter().collect();
        let n = nodes.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by(|&a, &b| nodes[a].0.cmp(&nodes[b].0));
        let mut rank = vec![0u32; n];
        for (r, &old) in order.iter().enumerate() {
            rank[old] = r as u32;
        }
        let mut sorted: Vec<Option<(Box<str>, NodeAcc)>> = (0..n).map(|_| None).collect();
        for (old, node) in nodes.drain(..).enumerate() {
            sorted[rank[old] as usize] = Some(node);
        }
        let directed = self.options.nodes.directed();
        let mut edges: Vec<((u32, u32), EdgeAcc)> = self
            .edges
            .into_iter()
            .filter(|(_, e)| e.counts.iter().sum::<u64>() >= options.min_weight)
            .map(|((a, b), e)| {
                let (a, b) = (rank[a as usize], rank[b as usize]);
                ((if directed || a < b { (a, b) } else { (b, a) }), e)
            })
            .collect();
        edges.sort_unstable_by_key(|(k, _)| *k);
        let weights = |edges: &[((u32, u32), EdgeAcc)]| -> Vec<((u32, u32), u64)> {
            edges
                .iter()
                .map(|(k, e)| (*k, e.counts.iter().sum()))
                .collect()
        };
        let touched = |edges: &[((u32, u32), EdgeAcc)]| {
            let mut touched = vec![false; n];
            for ((a, b), _) in edges {
                touched[*a as usize] = true;
                touched[*b as usize] = true;
            }
            touched
        };
        // Above --min-weight 1, nodes left without an edge go; posts stand in the graph
        // for their threads, so a post without a reply or quote is left out.
        let mut keep = if options.min_weight > 1 || self.options.nodes == NodeKind::Posts {
            touched(&edges)
        } else {
            vec![true; n]
        };
        if let Some(top) = options.top {
            let degrees = Degrees::of(n, &weights(&edges));
            let mut by_degree: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
            by_degree.sort_by(|&a, &b| {
                (degrees.degree[b], degrees.weighted[b], a).cmp(&(
                    degrees.degree[a],
                    degrees.weighted[a],
                    b,
                ))
            });
            keep = vec![false; n];
            for &i in by_degree.iter().take(top) {
                keep[i] = true;
            }
        }
        edges.retain(|((a, b), _)| keep[*a as usize] && keep[*b as usize]);
        let mut new_id = vec![u32::MAX; n];
        let mut kept = Vec::new();
        for (i, node) in sorted.into_iter().enumerate() {
            if keep[i] {
                new_id[i] = kept.len() as u32;
                kept.push(node.expect("every rank is filled once"));
            }
        }
        for ((a, b), _) in &mut edges {
            (*a, *b) = (new_id[*a as usize], new_id[*b as usize]);
        }
        let weighted = weights(&edges);
        let degrees = Degrees::of(kept.len(), &weighted);
        let links: Vec<(usize, usize, f64)> = weighted
            .iter()
            .map(|((a, b), w)| (*a as usize, *b as usize, *w as f64))
            .collect();
        let communities = louvain::communities(kept.len(), &links, options.seed);
        // A node is seen from the first mention by or to it to the last.
        for ((a, b), e) in &edges {
            for end in [*a, *b] {
                let node = &mut kept[end as usize].1;
                node.first = node.first.min(e.first);
                node.last = node.last.max(e.last);
            }
        }
        let nodes = kept
            .into_iter()
            .enumerate()
            .map(|(i, (key, acc))| Node {
                id: key.into(),
                kind: acc.kind,
                platform: acc.platform.map(Into::into),
                name: acc.name.map(|(_, name)| name.into()),
                mentions: acc.mentions,
                first: time_of(acc.first),
                last: time_of(acc.last),
                sentiment: (acc.scored > 0).then(|| acc.score_sum / acc.scored as f64),
                labels: dominant_labels(acc.labels),
                degree: degrees.degree[i],
                in_degree: degrees.in_degree[i],
                out_degree: degrees.out_degree[i],
                weighted_degree: degrees.weighted[i],
                community: communities[i],
            })
            .collect();
        let edges = edges
            .into_iter()
            .map(|((a, b), e)| Edge {
                source: a as usize,
                target: b as usize,
                counts: e.counts,
                first: time_of(e.first),
                last: time_of(e.last),
            })
            .collect();
        Network {
            kind: self.options.nodes,
            directed,
            nodes,
            edges,
        }
    }
}

/// The most frequent labels, comma-separated (ties by name).
fn dominant_labels(mut labels: Vec<(Box<str>, u64)>) -> Option<String> {
    labels.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top: Vec<&str> = labels
        .iter()
        .take(DOMINANT_LABELS)
        .map(|(l, _)| &**l)
        .collect();
    (!top.is_empty()).then(|| top.join(", "))
}

fn time_of(secs: i64) -> Option<i64> {
    (secs != NO_TIME.0 && secs != NO_TIME.1).then_some(secs)
}

/// A mention's platform, `unknown` when it has none.
fn platform<'a>(m: &'a MentionView<'a>) -> &'a str {
    m.platform
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or("unknown")
}

/// The handle of `RT @handle:` at the start of a repost's text.
fn repost_target<'a>(m: &'a MentionView<'a>) -> Option<&'a str> {
    let rest = m.text.as_deref()?.trim_start().strip_prefix("RT @")?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// The platform and handle of the author of a post URL: `x.com/<handle>/status/<id>`
/// (and twitter.com), `<instance>/@<handle>/<id>` (Mastodon), `bsky.app/profile/<handle>/post/<id>`.
fn quoted_author(link: &str) -> Option<(&'static str, &str)> {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let host = host
        .strip_prefix("www.")
        .unwrap_or(host)
        .strip_prefix("mobile.")
        .unwrap_or(host);
    let parts: Vec<&str> = path.split(['?', '#']).next()?.split('/').collect();
    match (host, parts.as_slice()) {
        ("x.com" | "twitter.com", [handle, "status", id, ..])
            if !handle.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(("x", handle))
        }
        ("bsky.app", ["profile", handle, "post", _, ..]) if !handle.is_empty() => {
            Some(("bluesky", handle))
        }
        (_, [user, id, ..])
            if user.len() > 1
                && user.starts_with('@')
                && id.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(("mastodon", &user[1..]))
        }
        _ => None,
    }
}

/// The earful id of the post a link points to, where the schema builds it from the URL
/// (`x:<id>` for X, `mastodon:<id>` for Mastodon).
fn quoted_post_id(link: &str) -> Option<String> {
    let (platform, _) = quoted_author(link)?;
    if platform == "bluesky" {
        return None;
    }
    let path = link.split(['?', '#']).next()?;
    let id = path.trim_end_matches('/').rsplit('/').next()?;
    Some(crate::mention::native_id(platform, id))
}

/// Degrees of each node of a list of edges.
struct Degrees {
    degree: Vec<u64>,
    in_degree: Vec<u64>,
    out_degree: Vec<u64>,
    weighted: Vec<u64>,
}

impl Degrees {
    fn of(n: usize, edges: &[((u32, u32), u64)]) -> Degrees {
        let mut d = Degrees {
            degree: vec![0; n],
            in_degree: vec![0; n],
            out_degree: vec![0; n],
            weighted: vec![0; n],
        };
        for &((a, b), w) in edges {
            let (a, b) = (a as usize, b as usize);
            d.out_degree[a] += 1;
            d.in_degree[b] += 1;
            d.degree[a] += 1;
            d.degree[b] += 1;
            d.weighted[a] += w;
            d.weighted[b] += w;
        }
        d
    }
}

/// A finished graph.
#[derive(Debug, Clone)]
pub struct Network {
    pub kind: NodeKind,
    pub directed: bool,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// A node and its attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// `platform:handle` (users, handle lowercased), `#tag` (hashtags), the post's id.
    pub id: String,
    pub kind: NodeType,
    pub platform: Option<String>,
    /// Display name (users), author (posts).
    pub name: Option<String>,
    /// Mentions written (users), carrying the hashtag (hashtags), 1 per post read.
    pub mentions: u64,
    /// The first and last mention by or to it (seconds since the epoch).
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// Mean sentiment score of its mentions, when any was scored.
    pub sentiment: Option<f64>,
    /// The most frequent labels of its mentions, comma-separated.
    pub labels: Option<String>,
    pub degree: u64,
    pub in_degree: u64,
    pub out_degree: u64,
    pub weighted_degree: u64,
    pub community: usize,
}

/// An edge: indexes into [`Network::nodes`], a count per [`EdgeType`].
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    counts: [u64; EDGE_TYPES],
    pub first: Option<i64>,
    pub last: Option<i64>,
}

impl Edge {
    /// How many times the two nodes are linked, all types together.
    pub fn weight(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// How many times by `t`.
    pub fn count(&self, t: EdgeType) -> u64 {
        self.counts[t as usize]
    }
}

impl Network {
    /// The node index of `id`, for tests and lookups.
    pub fn node(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// The number of communities.
    pub fn communities(&self) -> usize {
        self.nodes
            .iter()
            .map(|n| n.community + 1)
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests;
