//! Keys for `--dedup`: an id, or a mention's text with what copies change removed.

/// FNV-1a, 64 bits: stable across runs and Rust versions. The one hash of ids and texts
/// for `--dedup` (filter, export) and `filter --sample`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The text `--dedup=text` compares: without URLs, @handles and an `RT` prefix, lower case,
/// letters, digits and emoji only, single-spaced.
pub fn dedup_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let lower_word = word.to_lowercase();
        if lower_word.starts_with("http://")
            || lower_word.starts_with("https://")
            || lower_word.starts_with("www.")
            || word.starts_with('@')
            || (out.is_empty() && (lower_word == "rt" || lower_word == "rt:"))
        {
            continue;
        }
        let kept: String = lower_word
            .chars()
            .filter(|c| c.is_alphanumeric() || (!c.is_ascii() && !c.is_whitespace()))
            .collect();
        if kept.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&kept);
    }
    out
}
