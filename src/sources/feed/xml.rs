//! A forgiving XML reader for feeds: it builds a tree from whatever it is given.
//!
//! Real feeds are often not well-formed XML: bare `&`, HTML `<br>` inside `<description>`,
//! mismatched or missing end tags, truncated documents. Like feedparser's loose parser,
//! this one never rejects a document. It reads tag soup:
//!
//! - unknown entities and bare `&` stay as text; all HTML5 named and numeric references are
//!   decoded in text and attribute values;
//! - an end tag closes the nearest open element of that name (and everything opened inside
//!   it); an end tag with no open element of that name is ignored;
//! - a new `<item>`/`<entry>` closes an unclosed one, and a feed element opening inside a
//!   text-only element (`<title>`, `<link>`, ...) closes that element first;
//! - the end of the input closes everything still open;
//! - nesting deeper than [`MAX_DEPTH`] is read as text, so no input can exhaust the stack.
//!
//! Element and attribute names are lower-cased, and namespace prefixes are replaced by a
//! canonical prefix for the namespaces feeds use (`dc`, `content`, `media`, `yt`, `atom`,
//! `rdf`, ...), whatever prefix the document declared. Each element keeps the byte span of
//! its inner source, so embedded (unescaped) HTML can be read back as markup.

use std::collections::HashMap;

/// Nesting deeper than this is read as text.
pub const MAX_DEPTH: usize = 200;

/// An element of the tree.
#[derive(Debug, Default, Clone)]
pub struct Element {
    /// Lower-cased name with a canonical namespace prefix (`dc:creator`, `link`).
    pub name: String,
    /// Attributes in document order; names lower-cased and canonically prefixed.
    pub attrs: Vec<(String, String)>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// The element's own text (entities decoded, CDATA included), child text excluded.
    pub text: String,
    /// Byte range of the inner source in the document.
    pub inner: (usize, usize),
    /// The `xml:base` in force for this element, resolved, if any.
    pub base: Option<String>,
}

impl Element {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The children called `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Descendants called `name` (not looking inside a match), in document order.
    pub fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            } else {
                c.descendants(name, out);
            }
        }
    }

    /// The first descendant called `name`, depth first.
    pub fn find(&self, name: &str) -> Option<&Element> {
        self.children.iter().find_map(|c| {
            if c.name == name {
                Some(c)
            } else {
                c.find(name)
            }
        })
    }

    /// The element's text, trimmed, or `None` when empty.
    pub fn text_trimmed(&self) -> Option<&str> {
        Some(self.text.trim()).filter(|t| !t.is_empty())
    }

    /// The inner source, verbatim (markup and entities as written).
    pub fn inner_source<'a>(&self, doc: &'a str) -> &'a str {
        doc.get(self.inner.0..self.inner.1).unwrap_or("")
    }
}

/// Canonical prefixes for the namespaces feeds use.
const NAMESPACES: &[(&str, &str)] = &[
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://purl.org/dc/terms/", "dcterms"),
    ("http://purl.org/rss/1.0/modules/content/", "content"),
    ("http://www.w3.org/2005/atom", "atom"),
    ("http://purl.org/atom/ns#", "atom"),
    ("http://search.yahoo.com/mrss/", "media"),
    ("http://search.yahoo.com/mrss", "media"),
    ("http://www.youtube.com/xml/schemas/2015", "yt"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"),
    ("http://purl.org/rss/1.0/modules/slash/", "slash"),
    ("http://wellformedweb.org/commentapi/", "wfw"),
    ("http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://www.w3.org/1999/xhtml", "xhtml"),
    ("http://www.w3.org/xml/1998/namespace", "xml"),
    // RSS's own namespaces: a prefix on them (`rss:item`) means nothing.
    ("http://purl.org/rss/1.0/", ""),
    ("http://my.netscape.com/rdf/simple/0.9/", ""),
    ("http://backend.userland.com/rss2", ""),
    ("http://backend.userland.com/rss", ""),
];

/// Elements that hold only text: a feed element opening inside one closes it.
const TEXT_ONLY: &[&str] = &[
    "title",
    "link",
    "guid",
    "pubdate",
    "comments",
    "dc:creator",
    "dc:date",
    "id",
    "published",
    "updated",
    "issued",
    "modified",
    "category",
    "name",
    "uri",
    "email",
];

/// Elements that start a new sibling when they appear inside a text-only element.
const FEED_ELEMENTS: &[&str] = &[
    "item",
    "entry",
    "title",
    "link",
    "guid",
    "pubdate",
    "description",
    "category",
    "comments",
    "dc:creator",
    "dc:date",
    "content:encoded",
    "id",
    "published",
    "updated",
    "summary",
    "content",
    "author",
    "enclosure",
    "source",
];

/// Parses `doc` into a tree under a synthetic root element (name `""`). `base` is the URL
/// relative references resolve against when the document gives no `xml:base`.
pub fn parse(doc: &str, base: Option<&str>) -> Element {
    Builder {
        doc,
        prefixes: HashMap::new(),
        stack: vec![Element {
            base: base.map(str::to_owned),
            ..Element::default()
        }],
    }
    .run()
}

struct Builder<'a> {
    doc: &'a str,
    prefixes: HashMap<String, String>,
    stack: Vec<Element>,
}

impl Builder<'_> {
    fn run(mut self) -> Element {
        let doc = self.doc;
        let bytes = doc.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            let Some(lt) = memchr::memchr(b'<', &bytes[pos..]).map(|i| pos + i) else {
                self.text(&doc[pos..]);
                break;
            };
            if lt > pos {
                self.text(&doc[pos..lt]);
            }
            let rest = &doc[lt..];
            if rest.starts_with("<!--") {
                pos = find_from(doc, lt + 4, "-->").map_or(doc.len(), |e| e + 3);
            } else if rest.starts_with("<![CDATA[") {
                let start = lt + 9;
                let end = find_from(doc, start, "]]>").unwrap_or(doc.len());
                self.top().text.push_str(&doc[start..end]);
                pos = (end + 3).min(doc.len());
            } else if rest.starts_with("<!") {
                pos = skip_declaration(doc, lt);
            } else if rest.starts_with("<?") {
                pos = find_from(doc, lt + 2, "?>").map_or(doc.len(), |e| e + 2);
            } else if rest.starts_with("</") {
                let end = tag_end(doc, lt + 2);
                let name = doc[lt + 2..end]
                    .trim_end_matches('>')
                    .split(|c: char| c.is_whitespace())
                    .next()
                    .unwrap_or("");
                let name = self.canonical(name);
                self.close(&name, lt);
                pos = end;
            } else if bytes
                .get(lt + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_' || *b >= 0x80)
            {
                let end = tag_end(doc, lt + 1);
                let tag = doc[lt + 1..end].trim_end_matches('>');
                let self_closing = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                self.open(tag, end, self_closing);
                pos = end;
            } else {
                // `a < b`: a literal `<`.
                self.top().text.push('<');
                pos = lt + 1;
            }
        }
        // The input ended inside some elements (a truncated download). Like feedparser,
        // drop the unfinished text-only ones (a link or title cut in the middle is
        // wrong) and keep the containers with what they hold so far.
        while self.stack.len() > 1 {
            if self.top().children.is_empty() && !is_container(&self.top().name) {
                self.stack.pop();
            } else {
                self.pop(doc.len());
            }
        }
        self.stack.pop().unwrap_or_default()
    }

    fn top(&mut self) -> &mut Element {
        // The synthetic root is never popped before the end of `run`.
        self.stack
            .last_mut()
            .expect("the root element stays on the stack")
    }

    fn text(&mut self, raw: &str) {
        if raw.contains('&') {
            let decoded = html_escape::decode_html_entities(raw);
            self.top().text.push_str(&decoded);
        } else {
            self.top().text.push_str(raw);
        }
    }

    fn open(&mut self, tag: &str, inner_start: usize, self_closing: bool) {
        let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
        let raw_name = &tag[..name_end];
        let raw_attrs = parse_attributes(&tag[name_end..]);
        for (k, v) in &raw_attrs {
            if let Some(prefix) = k.strip_prefix("xmlns:") {
                let uri = v.trim().to_ascii_lowercase();
                if let Some((_, canon)) = NAMESPACES.iter().find(|(u, _)| *u == uri) {
                    self.prefixes.insert(prefix.to_owned(), (*canon).to_owned());
                }
            }
        }
        let name = self.canonical(raw_name);
        if self.stack.len() > MAX_DEPTH {
            return;
        }
        if name == "item" || name == "entry" {
            if let Some(i) = self.stack.iter().rposition(|e| e.name == name) {
                while self.stack.len() > i {
                    self.pop(inner_start.saturating_sub(tag.len() + 2));
                }
            }
        } else if FEED_ELEMENTS.contains(&name.as_str())
            && TEXT_ONLY.contains(&self.top().name.as_str())
            && self.stack.len() > 1
        {
            self.pop(inner_start.saturating_sub(tag.len() + 2));
        }
        let attrs: Vec<(String, String)> = raw_attrs
            .into_iter()
            .map(|(k, v)| (self.canonical(&k), v))
            .collect();
        let parent_base = self.top().base.clone();
        let base = match attrs.iter().find(|(k, _)| k == "xml:base") {
            Some((_, b)) => Some(resolve(parent_base.as_deref(), b)),
            None => parent_base,
        };
        let element = Element {
            name,
            attrs,
            base,
            inner: (inner_start, inner_start),
            ..Element::default()
        };
        if self_closing {
            self.top().children.push(element);
        } else {
            self.stack.push(element);
        }
    }

    fn close(&mut self, name: &str, at: usize) {
        if let Some(i) = self.stack.iter().rposition(|e| e.name == name) {
            if i == 0 {
                return;
            }
            while self.stack.len() > i {
                self.pop(at);
            }
        }
    }

    fn pop(&mut self, inner_end: usize) {
        if self.stack.len() <= 1 {
            return;
        }
        if let Some(mut element) = self.stack.pop() {
            element.inner.1 = inner_end.max(element.inner.0);
            self.top().children.push(element);
        }
    }

    fn canonical(&self, raw: &str) -> String {
        let lower = raw.to_ascii_lowercase();
        match lower.split_once(':') {
            Some((prefix, local)) if prefix != "xmlns" => match self.prefixes.get(prefix) {
                Some(canon) if canon.is_empty() => local.to_owned(),
                Some(canon) => format!("{canon}:{local}"),
                None => lower,
            },
            _ => lower,
        }
    }
}

/// Elements kept at the end of a truncated input even when empty.
fn is_container(name: &str) -> bool {
    matches!(
        name,
        "rss" | "channel" | "item" | "feed" | "entry" | "rdf:rdf" | "author" | "media:group"
    )
}

fn find_from(doc: &str, from: usize, needle: &str) -> Option<usize> {
    memchr::memmem::find(doc.as_bytes().get(from..)?, needle.as_bytes()).map(|i| from + i)
}

/// The end of a tag starting at `from` (just past its `>`), respecting quoted attribute
/// values. A tag cut short by another `<` or the end of the input ends there.
fn tag_end(doc: &str, from: usize) -> usize {
    let bytes = doc.as_bytes();
    let mut quote = None;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) if b == b'\n' && bytes[i..].starts_with(b"\n<") => return i,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None if b == b'<' => return i,
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Skips `<!DOCTYPE ...>` including an internal subset in brackets.
fn skip_declaration(doc: &str, from: usize) -> usize {
    let bytes = doc.as_bytes();
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate().skip(from + 2) {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'>' if depth == 0 => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// Attributes from the part of a start tag after its name. Values may be double-quoted,
/// single-quoted, unquoted or missing; entities in them are decoded.
fn parse_attributes(s: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        if start == i {
            break;
        }
        let name = s[start..i].to_owned();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i];
                let vstart = i + 1;
                let vend = memchr::memchr(q, &bytes[vstart..]).map_or(bytes.len(), |e| vstart + e);
                value = s[vstart..vend].to_owned();
                i = vend + 1;
            } else {
                let vstart = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = s[vstart..i].to_owned();
            }
        }
        let value = if value.contains('&') {
            html_escape::decode_html_entities(&value).into_owned()
        } else {
            value
        };
        attrs.push((name.to_ascii_lowercase(), value));
    }
    attrs
}

/// Resolves `href` against `base` when it is relative; an absolute `href` (or one that
/// cannot be resolved) is returned unchanged, never rewritten.
pub fn resolve(base: Option<&str>, href: &str) -> String {
    let href = href.trim();
    if url::Url::parse(href).is_ok() {
        return href.to_owned();
    }
    base.and_then(|b| url::Url::parse(b).ok())
        .and_then(|b| b.join(href).ok())
        .map_or_else(|| href.to_owned(), |u| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(doc: &str) -> Element {
        parse(doc, None)
    }

    #[test]
    fn well_formed() {
        let r = root(
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>A &amp; B</title></channel></rss>"#,
        );
        let rss = r.child("rss").unwrap();
        assert_eq!(rss.attr("version"), Some("2.0"));
        assert_eq!(
            rss.child("channel").unwrap().child("title").unwrap().text,
            "A & B"
        );
    }

    #[test]
    fn bare_ampersand_and_html_entities() {
        let r = root("<t>AT&T caf&eacute; &#8211; &bogus;</t>");
        assert_eq!(r.child("t").unwrap().text, "AT&T café – &bogus;");
    }

    #[test]
    fn br_inside_description_is_markup() {
        let doc = "<item><description>a<br>b</description><title>t</title></item>";
        let r = root(doc);
        let item = r.child("item").unwrap();
        let d = item.child("description").unwrap();
        assert_eq!(d.inner_source(doc), "a<br>b");
        assert_eq!(item.child("title").unwrap().text, "t");
    }

    #[test]
    fn mismatched_and_truncated() {
        let r =
            root("<rss><channel><item><title>one</titel><link>l1</link></item><item><title>two");
        let mut items = Vec::new();
        r.descendants("item", &mut items);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].child("title").unwrap().text, "one");
        assert_eq!(items[0].child("link").unwrap().text, "l1");
        // The title cut by the end of the input is dropped, its item kept.
        assert!(items[1].child("title").is_none());
    }

    #[test]
    fn unclosed_items_are_siblings() {
        let r = root("<channel><item><title>a<item><title>b</channel>");
        let mut items = Vec::new();
        r.descendants("item", &mut items);
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn namespaces_are_canonical() {
        let r = root(
            r#"<rss xmlns:x="http://purl.org/dc/elements/1.1/"><x:Creator>me</x:Creator></rss>"#,
        );
        assert_eq!(r.find("dc:creator").unwrap().text, "me");
    }

    #[test]
    fn cdata_and_comments() {
        let r = root("<t><!-- no --><![CDATA[<b>x</b> & y]]></t>");
        assert_eq!(r.child("t").unwrap().text, "<b>x</b> & y");
    }

    #[test]
    fn xml_base_resolves() {
        let r = parse(
            r#"<feed xml:base="http://a.example/dir/"><entry xml:base="sub/"><link href="x"/></entry></feed>"#,
            Some("http://other.example/"),
        );
        let entry = r.find("entry").unwrap();
        assert_eq!(entry.base.as_deref(), Some("http://a.example/dir/sub/"));
        assert_eq!(
            resolve(entry.base.as_deref(), "x"),
            "http://a.example/dir/sub/x"
        );
        assert_eq!(
            resolve(None, "HTTPS://Keep.Example"),
            "HTTPS://Keep.Example"
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let doc = "<item>".repeat(100_000);
        let r = root(&doc);
        assert!(r.find("item").is_some());
        let closed = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        assert!(root(&closed).find("a").is_some());
    }

    #[test]
    fn literal_less_than() {
        let r = root("<t>a < b</t>");
        assert_eq!(r.child("t").unwrap().text, "a < b");
    }
}
