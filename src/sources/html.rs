//! HTML to plain text for mention bodies and titles.
//!
//! Feed text is untrusted and often broken HTML: this is a forgiving single-pass scanner,
//! not a DOM parser. It drops tags, comments and the contents of `script`/`style`, decodes
//! every HTML5 named and numeric entity, and collapses whitespace to single spaces.

/// Plain text of an HTML fragment, with the `href`s of its anchors.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub text: String,
    pub links: Vec<String>,
}

/// Converts an HTML fragment to plain text (tags stripped, entities decoded, whitespace
/// collapsed, trimmed).
pub fn to_text(html: &str) -> String {
    extract(html).text
}

/// Like [`to_text`], also collecting the `href` of every `<a>` in document order, decoded,
/// without duplicates.
pub fn extract(html: &str) -> Extracted {
    let mut raw = String::with_capacity(html.len());
    let mut links = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        raw.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        // A `<` not followed by a tag name, `/` or `!` is text ("a < b").
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            raw.push('<');
            rest = after;
            continue;
        }
        let Some(gt) = after.find('>') else {
            // Truncated tag at the end: drop it.
            rest = "";
            break;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        let name = tag_name(tag);
        if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
            rest = skip_raw_text(rest, name);
            raw.push(' ');
            continue;
        }
        if let Some(href) = attribute(tag, "href").filter(|_| name.eq_ignore_ascii_case("a")) {
            let href = decode_entities(href.trim());
            if !href.is_empty() && !href.starts_with('#') && !links.contains(&href) {
                links.push(href);
            }
        }
        if !is_inline(name) {
            raw.push(' ');
        }
    }
    raw.push_str(rest);
    Extracted {
        text: collapse_whitespace(&decode_entities(&raw)),
        links,
    }
}

/// Decodes HTML named (all of HTML5) and numeric character references.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    html_escape::decode_html_entities(s).into_owned()
}

/// Collapses runs of whitespace (including non-breaking and zero-width spaces) to one space
/// and trims both ends.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
            pending_space = !out.is_empty();
        } else if c.is_control() {
            // Control characters never belong in mention text.
            continue;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

fn tag_name(tag: &str) -> &str {
    let tag = tag.trim_start_matches('/');
    let end = tag
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(tag.len());
    &tag[..end]
}

/// Elements that do not separate words: `<b>Ac</b>me` is "Acme".
fn is_inline(name: &str) -> bool {
    const INLINE: [&str; 20] = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "font", "i", "mark", "q", "s",
        "small", "span", "strong", "sub", "sup", "tt", "u",
    ];
    INLINE.iter().any(|t| name.eq_ignore_ascii_case(t))
}

fn skip_raw_text<'a>(rest: &'a str, name: &str) -> &'a str {
    let lower = rest.to_ascii_lowercase();
    let close = format!("</{}", name.to_ascii_lowercase());
    match lower.find(&close) {
        Some(i) => rest[i..].find('>').map_or("", |gt| &rest[i + gt + 1..]),
        None => "",
    }
}

/// The value of attribute `name` in the inside of a start tag, quoted or not.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let bytes = tag.as_bytes();
    let mut i = 0;
    while i + name.len() <= bytes.len() {
        let at_boundary = i == 0 || bytes[i - 1].is_ascii_whitespace();
        if at_boundary
            && tag[i..].len() >= name.len()
            && bytes[i..i + name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            let after = tag[i + name.len()..].trim_start();
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start();
                return Some(match value.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let inner = &value[1..];
                        inner.find(q).map_or(inner, |end| &inner[..end])
                    }
                    _ => value
                        .split(|c: char| c.is_whitespace())
                        .next()
                        .unwrap_or(""),
                });
            }
        }
        i += 1;
        while i < bytes.len() && !tag.is_char_boundary(i) {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn to_text_cases() {
        let cases = [
            ("<p>Hello <b>world</b></p>", "Hello world"),
            (
                "Caf&eacute; &amp; bar&nbsp;&#8217;s &#x41;",
                "Café & bar ’s A",
            ),
            ("a<br>b<br/>c", "a b c"),
            ("<b>Ac</b>me", "Acme"),
            ("x <!-- hidden --> y", "x y"),
            ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
            ("<script>var a = '<p>';</script>kept", "kept"),
            ("  lots\n\tof   space ", "lots of space"),
            ("broken <a href=\"x\"", "broken"),
            ("<!-- unterminated", ""),
            ("&unknownentity; stays", "&unknownentity; stays"),
        ];
        for (input, want) in cases {
            assert_eq!(to_text(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn links_are_collected() {
        let e = extract(
            r#"<a href="https://a.example/x?a=1&amp;b=2">x</a> <a HREF='https://b.example'>b</a> <a href=#top>t</a> <a href="https://a.example/x?a=1&amp;b=2">again</a>"#,
        );
        assert_eq!(
            e.links,
            vec!["https://a.example/x?a=1&b=2", "https://b.example"]
        );
        assert_eq!(e.text, "x b t again");
    }

    proptest! {
        #[test]
        fn never_panics_and_has_no_runs_of_spaces(s in ".*") {
            let t = to_text(&s);
            prop_assert!(!t.contains("  "));
            prop_assert_eq!(t.trim(), t.as_str());
        }
    }
}
