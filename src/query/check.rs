//! What can be told about a query without a mention: whether it can never match.

use super::ast::{FieldPred, KeywordField, Node};

/// Why no mention can match `node`, if that can be seen from the query alone: a term and
/// its negation required together (`a AND NOT a`), or two values of a field that has one
/// (`sentiment:positive AND sentiment:negative`, likewise `platform:`, `kind:`, `id:`).
/// `None` means it may match (the check is sound, not complete).
pub(crate) fn never_matches(node: &Node) -> Option<String> {
    match node {
        Node::And(children) => {
            if let Some(why) = children.iter().find_map(never_matches) {
                return Some(why);
            }
            for (i, a) in children.iter().enumerate() {
                for b in &children[i + 1..] {
                    if let Some(why) = contradiction(a, b).or_else(|| contradiction(b, a)) {
                        return Some(why);
                    }
                }
            }
            None
        }
        Node::Or(children) => {
            let whys: Option<Vec<String>> = children.iter().map(never_matches).collect();
            whys.map(|w| w.join("; and "))
        }
        Node::Ref { node, .. } => never_matches(node),
        _ => None,
    }
}

/// Why `a AND b` cannot hold.
fn contradiction(a: &Node, b: &Node) -> Option<String> {
    if let Node::Not(inner) = b
        && **inner == *a
    {
        return Some(format!("it requires both {a} and {b}"));
    }
    fn single(n: &Node) -> Option<(&'static str, &str)> {
        match n {
            Node::Field(FieldPred::Keyword { field, norm, .. })
                if matches!(
                    field,
                    KeywordField::Platform
                        | KeywordField::Sentiment
                        | KeywordField::Kind
                        | KeywordField::Id
                        | KeywordField::Priority
                ) =>
            {
                Some((field.record_field(), norm.as_str()))
            }
            _ => None,
        }
    }
    match (single(a), single(b)) {
        (Some((fa, va)), Some((fb, vb))) if fa == fb && !va.eq_ignore_ascii_case(vb) => Some(
            format!("a mention has one `{fa}`, and it requires both {a} and {b}"),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::query::Query;

    fn never(q: &str) -> Option<String> {
        Query::parse(q).unwrap().never_matches()
    }

    #[test]
    fn contradictions_are_found() {
        assert!(never("refund AND NOT refund").is_some());
        assert!(never("label:complaint AND (sentiment:positive AND sentiment:negative)").is_some());
        assert!(never("platform:x platform:reddit").is_some());
        assert!(never("(a -a) OR (b AND NOT b)").is_some());
    }

    #[test]
    fn satisfiable_queries_pass() {
        for q in [
            "refund",
            "refund AND NOT refunded",
            "sentiment:positive OR sentiment:negative",
            "platform:x AND platform:X",
            "(a -a) OR b",
            "lang:en AND lang:en-us",
            "label:complaint AND label:urgent",
        ] {
            assert_eq!(never(q), None, "{q}");
        }
    }
}
