//! Writers of a [`Network`]: GEXF 1.3 (Gephi), GraphML (networkx, igraph, yEd), CSV (two
//! files, in Gephi's spreadsheet columns) and node-link JSON (d3, networkx).
//!
//! Every format writes the same attributes, declared with their types, from one table
//! ([`node_attributes`], [`edge_attributes`]). XML goes through quick-xml's writer, which
//! escapes every value; characters XML 1.0 cannot hold at all (control characters) are
//! replaced first. CSV cells that a spreadsheet would run as a formula are neutralised.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{EdgeType, Network, Node};
use crate::export::neutralise;

/// The formats `earful network` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFormat {
    Gexf,
    Graphml,
    Csv,
    Json,
}

impl NetworkFormat {
    pub const NAMES: [&'static str; 4] = ["gexf", "graphml", "csv", "json"];

    /// The format of a `--format` name or a file extension (case-insensitive).
    pub fn from_name(name: &str) -> Option<NetworkFormat> {
        match name.to_ascii_lowercase().as_str() {
            "gexf" => Some(NetworkFormat::Gexf),
            "graphml" | "xml" => Some(NetworkFormat::Graphml),
            "csv" => Some(NetworkFormat::Csv),
            "json" => Some(NetworkFormat::Json),
            _ => None,
        }
    }

    /// The format of an output: `--format`, else the `-o` file's extension, else GEXF.
    pub fn resolve(
        format: Option<&str>,
        output: Option<&std::path::Path>,
    ) -> Result<NetworkFormat, String> {
        crate::export::resolve_format(
            format,
            output,
            NetworkFormat::Gexf,
            &NetworkFormat::NAMES,
            NetworkFormat::from_name,
        )
    }
}

/// The nodes file written beside a CSV edges file: `nodes.csv` beside `edges.csv`, else
/// `<name>.nodes.csv` beside `<name>.csv`.
pub fn nodes_path(edges: &std::path::Path) -> std::path::PathBuf {
    let stem = edges
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("graph");
    let name = if stem.eq_ignore_ascii_case("edges") {
        "nodes.csv".to_owned()
    } else {
        format!("{stem}.nodes.csv")
    };
    edges.with_file_name(name)
}

/// The type of an attribute, as each format names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    String,
    Long,
    Double,
}

impl AttrType {
    /// The type's name, the same in GEXF and GraphML.
    fn name(self) -> &'static str {
        match self {
            AttrType::String => "string",
            AttrType::Long => "long",
            AttrType::Double => "double",
        }
    }
}

/// One attribute's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Str(&'a str),
    /// Seconds since the epoch, written as RFC 3339.
    Time(i64),
    Long(u64),
    Double(f64),
}

impl Value<'_> {
    fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Str(s) => Cow::Borrowed(s),
            Value::Time(t) => Cow::Owned(rfc3339(*t)),
            Value::Long(n) => Cow::Owned(n.to_string()),
            Value::Double(x) => Cow::Owned(x.to_string()),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Value::Str(s) => (*s).into(),
            Value::Time(t) => rfc3339(*t).into(),
            Value::Long(n) => (*n).into(),
            Value::Double(x) => (*x).into(),
        }
    }
}

fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(crate::mention::format_timestamp)
        .unwrap_or_default()
}

/// The node attributes of a network, in the order every format writes them.
pub fn node_attributes(net: &Network) -> Vec<(&'static str, AttrType)> {
    use AttrType::*;
    let mut attrs = vec![
        ("type", String),
        ("platform", String),
        ("name", String),
        ("mentions", Long),
        ("first_seen", String),
        ("last_seen", String),
        ("sentiment", Double),
        ("labels", String),
        ("degree", Long),
    ];
    if net.directed {
        attrs.extend([("in_degree", Long), ("out_degree", Long)]);
    }
    attrs.extend([("weighted_degree", Long), ("community", Long)]);
    attrs
}

/// The values of [`node_attributes`] for one node (`None`: not known).
pub fn node_values<'a>(net: &Network, node: &'a Node) -> Vec<Option<Value<'a>>> {
    let mut values = vec![
        Some(Value::Str(node.kind.name())),
        node.platform.as_deref().map(Value::Str),
        node.name.as_deref().map(Value::Str),
        Some(Value::Long(node.mentions)),
        node.first.map(Value::Time),
        node.last.map(Value::Time),
        node.sentiment.map(Value::Double),
        node.labels.as_deref().map(Value::Str),
        Some(Value::Long(node.degree)),
    ];
    if net.directed {
        values.extend([
            Some(Value::Long(node.in_degree)),
            Some(Value::Long(node.out_degree)),
        ]);
    }
    values.extend([
        Some(Value::Long(node.weighted_degree)),
        Some(Value::Long(node.community as u64)),
    ]);
    values
}

/// The edge types counted in columns of their own: those of a graph with several.
fn counted_types(net: &Network) -> &'static [EdgeType] {
    match net.kind.edge_types() {
        [_] => &[],
        types => types,
    }
}

/// The edge attributes besides the weight, in the order every format writes them.
pub fn edge_attributes(net: &Network) -> Vec<(&'static str, AttrType)> {
    let mut attrs: Vec<_> = counted_types(net)
        .iter()
        .map(|t| (t.name(), AttrType::Long))
        .collect();
    attrs.extend([
        ("first_seen", AttrType::String),
        ("last_seen", AttrType::String),
    ]);
    attrs
}

/// The values of [`edge_attributes`] for one edge.
pub fn edge_values(net: &Network, edge: &super::Edge) -> Vec<Option<Value<'static>>> {
    let mut values: Vec<_> = counted_types(net)
        .iter()
        .map(|t| Some(Value::Long(edge.count(*t))))
        .collect();
    values.extend([edge.first.map(Value::Time), edge.last.map(Value::Time)]);
    values
}

/// Text as XML 1.0 can hold it: control characters (other than tab, newline and carriage
/// return) and the non-characters U+FFFE/U+FFFF become U+FFFD. Escaping is the writer's.
fn xml_safe(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if s.chars().any(bad) {
        Cow::Owned(
            s.chars()
                .map(|c| if bad(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// Writes GEXF 1.3, what Gephi opens. With `dynamic`, each node and edge gets `start` and
/// `end` (its first and last mention) for Gephi's timeline.
pub fn write_gexf<W: Write>(net: &Network, dynamic: bool, out: W) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let node_attrs = node_attributes(net);
    let edge_attrs = edge_attributes(net);
    let spell = |first: Option<i64>, last: Option<i64>| -> Vec<(&'static str, String)> {
        match (dynamic, first, last) {
            (true, Some(first), Some(last)) => {
                vec![("start", rfc3339(first)), ("end", rfc3339(last))]
            }
            _ => Vec::new(),
        }
    };
    w.create_element("gexf")
        .with_attributes([
            ("xmlns", "http://gexf.net/1.3"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            ),
            ("version", "1.3"),
        ])
        .write_inner_content(|w| {
            w.create_element("meta").write_inner_content(|w| {
                w.create_element("creator")
                    .write_text_content(BytesText::new(concat!(
                        "earful ",
                        env!("CARGO_PKG_VERSION")
                    )))?;
                w.create_element("description")
                    .write_text_content(BytesText::new(&description(net)))?;
                Ok(())
            })?;
            let mut graph = w.create_element("graph").with_attributes([
                (
                    "defaultedgetype",
                    if net.directed {
                        "directed"
                    } else {
                        "undirected"
                    },
                ),
                ("mode", if dynamic { "dynamic" } else { "static" }),
            ]);
            if dynamic {
                graph = graph.with_attributes([
                    ("timeformat", "dateTime"),
                    ("timerepresentation", "interval"),
                ]);
            }
            graph.write_inner_content(|w| {
                for (class, attrs) in [("node", &node_attrs), ("edge", &edge_attrs)] {
                    w.create_element("attributes")
                        .with_attributes([("class", class), ("mode", "static")])
                        .write_inner_content(|w| {
                            for (name, ty) in attrs.iter() {
                                w.create_element("attribute")
                                    .with_attributes([
                                        ("id", *name),
                                        ("title", *name),
                                        ("type", ty.name()),
                                    ])
                                    .write_empty()?;
                            }
                            Ok(())
                        })?;
                }
                w.create_element("nodes").write_inner_content(|w| {
                    for node in &net.nodes {
                        let id = xml_safe(&node.id);
                        let times = spell(node.first, node.last);
                        w.create_element("node")
                            .with_attributes([("id", &*id), ("label", &*id)])
                            .with_attributes(times.iter().map(|(k, v)| (*k, v.as_str())))
                            .write_inner_content(|w| {
                                gexf_values(w, &node_attrs, node_values(net, node))
                            })?;
                    }
                    Ok(())
                })?;
                w.create_element("edges").write_inner_content(|w| {
                    for (i, edge) in net.edges.iter().enumerate() {
                        let id = i.to_string();
                        let weight = edge.weight().to_string();
                        let (source, target) = (
                            xml_safe(&net.nodes[edge.source].id),
                            xml_safe(&net.nodes[edge.target].id),
                        );
                        let times = spell(edge.first, edge.last);
                        w.create_element("edge")
                            .with_attributes([
                                ("id", id.as_str()),
                                ("source", &*source),
                                ("target", &*target),
                                ("weight", weight.as_str()),
                            ])
                            .with_attributes(times.iter().map(|(k, v)| (*k, v.as_str())))
                            .write_inner_content(|w| {
                                gexf_values(w, &edge_attrs, edge_values(net, edge))
                            })?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}

fn gexf_values<W: Write>(
    w: &mut Writer<W>,
    attrs: &[(&'static str, AttrType)],
    values: Vec<Option<Value<'_>>>,
) -> io::Result<()> {
    w.create_element("attvalues").write_inner_content(|w| {
        for ((name, _), value) in attrs.iter().zip(values) {
            if let Some(value) = value {
                w.create_element("attvalue")
                    .with_attributes([("for", *name), ("value", &*xml_safe(&value.text()))])
                    .write_empty()?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// What the graph is, in words, for the file's metadata.
fn description(net: &Network) -> String {
    let kind = match net.kind {
        super::NodeKind::Users => "users linked by replies, mentions, reposts and quotes",
        super::NodeKind::Hashtags => "hashtags linked when used together",
        super::NodeKind::Posts => "posts linked by replies and quotes",
        super::NodeKind::UsersHashtags => "users linked to the hashtags they use",
    };
    format!(
        "earful network: {kind}; {} nodes, {} edges, {} communities",
        net.nodes.len(),
        net.edges.len(),
        net.communities()
    )
}

/// Writes GraphML, with every attribute declared as a typed key.
pub fn write_graphml<W: Write>(net: &Network, out: W) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut node_attrs = vec![("label", AttrType::String)];
    node_attrs.extend(node_attributes(net));
    let mut edge_attrs = vec![("weight", AttrType::Long)];
    edge_attrs.extend(edge_attributes(net));
    w.create_element("graphml")
        .with_attributes([
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ])
        .write_inner_content(|w| {
            for (class, prefix, attrs) in [("node", "n_", &node_attrs), ("edge", "e_", &edge_attrs)] {
                for (name, ty) in attrs.iter() {
                    let id = format!("{prefix}{name}");
                    w.create_element("key")
                        .with_attributes([
                            ("id", id.as_str()),
                            ("for", class),
                            ("attr.name", name),
                            ("attr.type", ty.name()),
                        ])
                        .write_empty()?;
                }
            }
            w.create_element("graph")
                .with_attributes([
                    ("id", "G"),
                    ("edgedefault", if net.directed { "directed" } else { "undirected" }),
                ])
                .write_inner_content(|w| {
                    for node in &net.nodes {
                        let id = xml_safe(&node.id);
                        let mut values = vec![Some(Value::Str(&node.id))];
                        values.extend(node_values(net, node));
                        w.create_element("node")
                            .with_attribute(("id", &*id))
                            .write_inner_content(|w| graphml_data(w, "n_", &node_attrs, values))?;
                    }
                    for edge in &net.edges {
                        let (source, target) = (
                            xml_safe(&net.nodes[edge.source].id),
                            xml_safe(&net.nodes[edge.target].id),
                        );
                        let mut values = vec![Some(Value::Long(edge.weight()))];
                        values.extend(edge_values(net, edge));
                        w.create_element("edge")
                            .with_attributes([("source", &*source), ("target", &*target)])
                            .write_inner_content(|w| graphml_data(w, "e_", &edge_attrs, values))?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}

fn graphml_data<W: Write>(
    w: &mut Writer<W>,
    prefix: &str,
    attrs: &[(&'static str, AttrType)],
    values: Vec<Option<Value<'_>>>,
) -> io::Result<()> {
    for ((name, _), value) in attrs.iter().zip(values) {
        if let Some(value) = value {
            let key = format!("{prefix}{name}");
            w.create_element("data")
                .with_attribute(("key", key.as_str()))
                .write_text_content(BytesText::new(&xml_safe(&value.text())))?;
        }
    }
    Ok(())
}

/// Writes the edges and the nodes as two CSV files, with Gephi's column names (`Source`,
/// `Target`, `Type`, `Weight`; `Id`, `Label`) so its spreadsheet import needs no mapping.
pub fn write_csv<E: Write, N: Write>(net: &Network, edges: E, nodes: N) -> io::Result<()> {
    let cells = |values: Vec<Option<Value<'_>>>| -> Vec<String> {
        values
            .into_iter()
            .map(|v| v.map(|v| v.text().into_owned()).unwrap_or_default())
            .collect()
    };
    let mut w = csv::Writer::from_writer(nodes);
    let mut header = vec!["Id".to_owned(), "Label".to_owned()];
    header.extend(node_attributes(net).iter().map(|(n, _)| (*n).to_owned()));
    csv_row(&mut w, header)?;
    for node in &net.nodes {
        let mut r = vec![node.id.clone(), node.id.clone()];
        r.extend(cells(node_values(net, node)));
        csv_row(&mut w, r)?;
    }
    w.flush()?;
    let mut w = csv::Writer::from_writer(edges);
    let mut header: Vec<String> = ["Source", "Target", "Type", "Weight"]
        .map(String::from)
        .into();
    header.extend(edge_attributes(net).iter().map(|(n, _)| (*n).to_owned()));
    csv_row(&mut w, header)?;
    let kind = if net.directed {
        "Directed"
    } else {
        "Undirected"
    };
    for edge in &net.edges {
        let mut r = vec![
            net.nodes[edge.source].id.clone(),
            net.nodes[edge.target].id.clone(),
            kind.to_owned(),
            edge.weight().to_string(),
        ];
        r.extend(cells(edge_values(net, edge)));
        csv_row(&mut w, r)?;
    }
    w.flush()
}

/// Writes one CSV row, each cell neutralised.
fn csv_row<W: Write>(w: &mut csv::Writer<W>, cells: Vec<String>) -> io::Result<()> {
    w.write_record(cells.into_iter().map(|mut c| {
        neutralise(&mut c);
        c
    }))
    .map_err(io::Error::other)
}

/// Writes node-link JSON: `{"directed", "multigraph", "graph", "nodes": [{"id", ...}],
/// "links": [{"source", "target", "weight", ...}]}`, what d3's force layout and networkx's
/// `node_link_graph(data, edges="links")` read. Unknown attributes are left out.
pub fn write_json<W: Write>(net: &Network, mut out: W) -> io::Result<()> {
    let node_attrs = node_attributes(net);
    let edge_attrs = edge_attributes(net);
    let object = |first: Vec<(&str, serde_json::Value)>,
                  attrs: &[(&'static str, AttrType)],
                  values: Vec<Option<Value<'_>>>| {
        let mut map = serde_json::Map::new();
        for (k, v) in first {
            map.insert(k.to_owned(), v);
        }
        for ((name, _), value) in attrs.iter().zip(values) {
            if let Some(value) = value {
                map.insert((*name).to_owned(), value.json());
            }
        }
        serde_json::Value::Object(map)
    };
    write!(
        out,
        "{{\"directed\":{},\"multigraph\":false,\"graph\":{{\"description\":{}}},\"nodes\":[",
        net.directed,
        serde_json::Value::from(description(net))
    )?;
    for (i, node) in net.nodes.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let v = object(
            vec![("id", node.id.as_str().into())],
            &node_attrs,
            node_values(net, node),
        );
        serde_json::to_writer(&mut out, &v)?;
    }
    out.write_all(b"\n],\"links\":[")?;
    for (i, edge) in net.edges.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let first = vec![
            ("source", net.nodes[edge.source].id.as_str().into()),
            ("target", net.nodes[edge.target].id.as_str().into()),
            ("weight", edge.weight().into()),
        ];
        serde_json::to_writer(
            &mut out,
            &object(first, &edge_attrs, edge_values(net, edge)),
        )?;
    }
    out.write_all(b"\n]}\n")
}

#[cfg(test)]
mod tests {
    use quick_xml::events::Event;

    use super::*;
    use crate::network::{FinishOptions, Graph, NodeKind, Options};

    const HOSTILE: &str = "<b>\"&'\u{1}\u{7}]]>";

    fn hostile() -> Network {
        let line = serde_json::json!({
            "id": "x:1", "platform": "x", "published": "2026-03-01T10:00:00Z",
            "author": {"handle": HOSTILE, "name": "=HYPERLINK(\"http://x\")"},
            "mentions": ["=cmd|' /C calc'!A0"], "labels": [HOSTILE],
        });
        let mut g = Graph::new(Options::new(NodeKind::Users));
        g.add_line(&line.to_string()).unwrap();
        g.finish(&FinishOptions::default())
    }

    /// Every attribute value of an XML document, unescaped by a reader.
    fn xml_strings(xml: &[u8]) -> Vec<String> {
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut out = Vec::new();
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf).expect("well-formed XML") {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    for a in e.attributes() {
                        let value = a
                            .unwrap()
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0);
                        out.push(value.unwrap().into_owned());
                    }
                }
                _ => {}
            }
            buf.clear();
        }
        out
    }

    #[test]
    fn hostile_text_is_escaped_in_xml() {
        let net = hostile();
        let expected = "<b>\"&'\u{FFFD}\u{FFFD}]]>";
        for xml in [
            {
                let mut v = Vec::new();
                write_gexf(&net, true, &mut v).unwrap();
                v
            },
            {
                let mut v = Vec::new();
                write_graphml(&net, &mut v).unwrap();
                v
            },
        ] {
            let text = String::from_utf8(xml.clone()).unwrap();
            assert!(!text.contains("<b>"), "{text}");
            let strings = xml_strings(&xml);
            assert!(
                strings
                    .iter()
                    .any(|s| s == &format!("x:{}", expected.to_lowercase()))
            );
        }
    }

    #[test]
    fn csv_cells_are_neutralised() {
        let net = hostile();
        let (mut edges, mut nodes) = (Vec::new(), Vec::new());
        write_csv(&net, &mut edges, &mut nodes).unwrap();
        let edges = String::from_utf8(edges).unwrap();
        assert!(edges.starts_with(
            "Source,Target,Type,Weight,reply,mention,repost,quote,first_seen,last_seen\n"
        ));
        let nodes = String::from_utf8(nodes).unwrap();
        assert!(nodes.starts_with("Id,Label,type,platform,name,mentions,"));
        assert!(
            nodes.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","),
            "{nodes}"
        );
    }

    #[test]
    fn json_is_node_link() {
        let net = hostile();
        let mut out = Vec::new();
        write_json(&net, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["directed"], true);
        assert_eq!(v["nodes"].as_array().unwrap().len(), 2);
        assert_eq!(v["links"][0]["weight"], 1);
        assert_eq!(v["links"][0]["mention"], 1);
        assert_eq!(v["links"][0]["first_seen"], "2026-03-01T10:00:00Z");
    }
}
