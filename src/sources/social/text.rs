//! Text helpers shared by the normalisers: `@handles` and `#hashtags` found in plain text,
//! and t.co links replaced by their expanded targets.

/// Handles (`@name`, without the `@`) and hashtags (`#tag`, without the `#`) in `text`, in
/// order of first appearance, without duplicates.
pub fn scan(text: &str) -> (Vec<String>, Vec<String>) {
    let mut mentions: Vec<String> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let boundary = prev.is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == '&'));
        if boundary && (c == '@' || c == '#') {
            let start = i + 1;
            let mut end = start;
            while let Some(&(j, d)) = iter.peek() {
                let ok = if c == '@' {
                    d.is_ascii_alphanumeric() || d == '_' || d == '.'
                } else {
                    d.is_alphanumeric() || d == '_'
                };
                if !ok {
                    break;
                }
                end = j + d.len_utf8();
                iter.next();
            }
            let word = text[start..end].trim_end_matches('.');
            let list = if c == '@' { &mut mentions } else { &mut tags };
            // A hashtag needs a letter (not `#1`); a handle just a character.
            let valid = !word.is_empty() && (c == '@' || word.chars().any(char::is_alphabetic));
            if valid && !list.iter().any(|w| w.eq_ignore_ascii_case(word)) {
                list.push(word.to_owned());
            }
            prev = text[..end].chars().next_back();
            continue;
        }
        prev = Some(c);
    }
    (mentions, tags)
}

/// Replaces each short URL in `text` by its expanded form (`(short, expanded)` pairs).
pub fn expand_links(text: &str, pairs: &[(String, String)]) -> String {
    let mut out = text.to_owned();
    for (short, long) in pairs {
        if !short.is_empty() && out.contains(short.as_str()) {
            out = out.replace(short.as_str(), long);
        }
    }
    out
}

/// Pushes `item` unless it is empty or already present.
pub fn push_unique(list: &mut Vec<String>, item: impl Into<String>) {
    let item = item.into();
    if !item.is_empty() && !list.contains(&item) {
        list.push(item);
    }
}

/// Plain text of a post that has no markup (X escapes only `&`, `<` and `>`): entities
/// decoded, whitespace collapsed. Fast for the common case of text that needs neither.
pub fn plain(s: &str) -> String {
    let decoded;
    let s = if s.contains('&') {
        decoded = crate::sources::html::decode_entities(s);
        decoded.as_str()
    } else {
        s
    };
    let bytes = s.as_bytes();
    let simple = bytes
        .iter()
        .all(|b| (0x21..=0x7e).contains(b) || *b == b' ')
        && !s.contains("  ")
        && !s.starts_with(' ')
        && !s.ends_with(' ');
    if simple {
        s.to_owned()
    } else {
        crate::sources::html::collapse_whitespace(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_handles_and_tags() {
        let (m, t) = scan("@VirginAmerica what @dhepburn said. #fail #1 #Fail a@b.c &#39; #ok_2");
        assert_eq!(m, vec!["VirginAmerica", "dhepburn"]);
        assert_eq!(t, vec!["fail", "ok_2"]);
    }

    #[test]
    fn plain_text() {
        assert_eq!(plain("a &amp; b"), "a & b");
        assert_eq!(plain("  a\n\n b  "), "a b");
        assert_eq!(plain("¡Hola,  Lucía!"), "¡Hola, Lucía!");
    }

    #[test]
    fn expands_links() {
        let pairs = vec![(
            "https://t.co/abc".to_owned(),
            "https://acme.example/app".to_owned(),
        )];
        assert_eq!(
            expand_links("see https://t.co/abc now", &pairs),
            "see https://acme.example/app now"
        );
    }
}
