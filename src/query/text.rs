//! Tokenising and folding text the way query terms see it.
//!
//! A token is a run of letters, digits, `_` and combining marks, where an apostrophe
//! (`'` or `’`) between two such characters stays inside the token (`wendy's`). A `#` or
//! `@` directly before a word that does not follow another word is kept as the token's
//! sigil (`#delta`, `@united`), and an emoji (with its modifiers, variation selectors and
//! ZWJ sequences) or another symbol is a token of its own. Everything else separates tokens.
//!
//! Each token has two folded forms: `lower` (lower case, NFC, `’` as `'`) and `bare`
//! (lower case with accents removed). An accented query term is compared with `lower`, an
//! unaccented one with `bare`, so `nino` matches `niño` but `niño` does not match `nino`.
//! Emoji are treated alike: variation selectors are ignored, and a skin tone counts as an
//! accent (`👍` matches `👍🏽`, `👍🏽` matches only itself).

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// What comes before a token's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Sigil {
    None,
    Hash,
    At,
}

impl Sigil {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Sigil::None => "",
            Sigil::Hash => "#",
            Sigil::At => "@",
        }
    }
}

/// A token found in a string: byte range of its body (without the sigil).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawTok {
    pub body: Range<usize>,
    pub sigil: Sigil,
}

/// [`is_word`] of each ASCII byte, for the byte loop of [`Doc::add`].
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = (c as u8).is_ascii_alphanumeric() || c as u8 == b'_';
        c += 1;
    }
    t
};

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || (!c.is_ascii() && is_combining_mark(c))
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// A symbol that stands as a token of its own: emoji and other non-ASCII symbols, but not
/// punctuation, spaces, joiners or selectors.
fn is_symbol(c: char) -> bool {
    if c.is_ascii() || c.is_alphanumeric() || c.is_whitespace() || is_combining_mark(c) {
        return false;
    }
    let u = c as u32;
    !matches!(u,
        0x80..=0xA8 | 0xAA..=0xAD | 0xAF..=0xBF // Latin-1 punctuation, but © and ® count
        | 0x2000..=0x206F                        // general punctuation, ZWJ
        | 0x2E00..=0x2E7F                        // supplemental punctuation
        | 0x3000..=0x303F                        // CJK punctuation
        | 0xFE00..=0xFE0F                        // variation selectors
        | 0xFE30..=0xFE6F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
        | 0xFEFF | 0xFFF0..=0xFFFF
        | 0x1F3FB..=0x1F3FF                      // skin tones (attached to the emoji before)
        | 0xE0000..=0xE007F                      // tags
    )
}

fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32, 0xFE0E | 0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F)
}

fn is_regional(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

/// Iterates over the tokens of a string. With `wild`, `*` and `?` are word characters
/// (query words); otherwise they separate tokens (text).
pub(crate) struct Tokens<'a> {
    s: &'a str,
    pos: usize,
    wild: bool,
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(s: &'a str, wild: bool) -> Tokens<'a> {
        Tokens { s, pos: 0, wild }
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        let b = *self.s.as_bytes().get(pos)?;
        if b < 0x80 {
            Some(b as char)
        } else {
            self.s.get(pos..)?.chars().next()
        }
    }

    fn word_char(&self, c: char) -> bool {
        is_word(c) || (self.wild && (c == '*' || c == '?'))
    }

    /// End of the word that starts at `pos`.
    fn scan_word(&self, mut pos: usize) -> usize {
        while let Some(c) = self.char_at(pos) {
            let joins = is_apostrophe(c)
                && self
                    .char_at(pos + c.len_utf8())
                    .is_some_and(|d| self.word_char(d));
            if self.word_char(c) || joins {
                pos += c.len_utf8();
            } else {
                break;
            }
        }
        pos
    }

    fn scan_symbol(&self, mut pos: usize, first: char) -> usize {
        pos += first.len_utf8();
        if is_regional(first)
            && let Some(c) = self.char_at(pos).filter(|c| is_regional(*c))
        {
            return pos + c.len_utf8();
        }
        while let Some(c) = self.char_at(pos) {
            if is_emoji_modifier(c) {
                pos += c.len_utf8();
            } else if c == '\u{200D}' {
                match self.char_at(pos + 3) {
                    Some(d) if is_symbol(d) => pos += 3 + d.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        pos
    }
}

impl Iterator for Tokens<'_> {
    type Item = RawTok;

    fn next(&mut self) -> Option<RawTok> {
        while let Some(c) = self.char_at(self.pos) {
            let start = self.pos;
            if self.word_char(c) {
                self.pos = self.scan_word(start);
                return Some(RawTok {
                    body: start..self.pos,
                    sigil: Sigil::None,
                });
            }
            if c == '#' || c == '@' {
                let after_word = self.s[..start].chars().next_back().is_some_and(is_word);
                let body = start + 1;
                if !after_word && self.char_at(body).is_some_and(|d| self.word_char(d)) {
                    self.pos = self.scan_word(body);
                    let sigil = if c == '#' { Sigil::Hash } else { Sigil::At };
                    return Some(RawTok {
                        body: body..self.pos,
                        sigil,
                    });
                }
            } else if is_symbol(c) {
                self.pos = self.scan_symbol(start, c);
                return Some(RawTok {
                    body: start..self.pos,
                    sigil: Sigil::None,
                });
            }
            self.pos += c.len_utf8();
        }
        None
    }
}

/// Appends the `lower` fold of `s`: lower case, NFC, `’` as `'`.
pub(crate) fn push_lower(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
        return;
    }
    for c in s.nfc() {
        match c {
            '\u{2019}' => out.push('\''),
            '\u{FE0E}' | '\u{FE0F}' => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
}

/// Appends the `bare` fold of `s`: lower case without accents.
pub(crate) fn push_bare(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
        return;
    }
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            '\u{2019}' => out.push('\''),
            // Emoji presentation and skin tones are the "accents" of emoji.
            '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' => {}
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            _ => {
                for l in c.to_lowercase() {
                    // Lower-casing can compose again (İ → i̇): drop the marks it brings.
                    if !is_combining_mark(l) {
                        out.push(l);
                    }
                }
            }
        }
    }
}

pub(crate) fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_lower(s, &mut out);
    out
}

pub(crate) fn bare(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_bare(s, &mut out);
    out
}

/// A token of a [`Doc`]: where its body is in the source and in the folded buffers.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    raw: (u32, u32),
    lower: (u32, u32),
    /// `None` when the bare fold equals the lower fold (always for ASCII).
    bare: Option<(u32, u32)>,
    /// [`sig_hash`] of the lower and of the bare fold: a term is compared with a token's
    /// fold only when the hashes agree.
    pub lower_key: u64,
    pub bare_key: u64,
    /// The body holds an apostrophe (a term may match the part before it).
    pub apostrophe: bool,
    pub sigil: Sigil,
}

/// The tokens of one field, folded once and reused by every term of a query. The buffers
/// are kept between lines, so tokenising does not allocate once they have grown.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub toks: Vec<Tok>,
    lower: String,
    bare: String,
    raw: String,
    /// A Bloom filter of the tokens' folds (and of the part before an apostrophe), so a
    /// term that is in no token is rejected with one bit test instead of a scan.
    pub sig: Sig,
}

/// A 1,024-bit Bloom filter of folded words, one bit per word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Sig([u64; 16]);

impl Sig {
    /// A signature that may have every word.
    #[cfg(test)]
    pub(crate) fn full() -> Sig {
        Sig([u64::MAX; 16])
    }

    /// The bit of a hash: its top 10 bits, 0..1024.
    pub(crate) fn index(hash: u64) -> u16 {
        (hash >> 54) as u16
    }

    #[inline]
    pub(crate) fn has_index(&self, bit: u16) -> bool {
        self.0[usize::from(bit / 64)] & (1 << (bit % 64)) != 0
    }

    fn insert_hash(&mut self, hash: u64) {
        self.insert_index(Sig::index(hash));
    }

    pub(crate) fn insert_index(&mut self, bit: u16) {
        self.0[usize::from(bit / 64)] |= 1 << (bit % 64);
    }

    /// False when no word hashed to `hash` was inserted; true may be a collision.
    #[inline]
    pub(crate) fn may_have(&self, hash: u64) -> bool {
        self.has_index(Sig::index(hash))
    }

    /// The signature with only the bit of `hash`.
    pub(crate) fn of_hash(hash: u64) -> Sig {
        let mut sig = Sig::default();
        sig.insert_hash(hash);
        sig
    }

    /// True when `other` has at least one bit of `self`.
    #[inline]
    pub(crate) fn meets(&self, other: &Sig) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }

    /// The bits set in both.
    #[inline]
    pub(crate) fn intersection(&self, other: &Sig) -> Sig {
        Sig(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }

    /// The indexes of the bits set, in increasing order.
    pub(crate) fn indexes(&self) -> impl Iterator<Item = u16> + '_ {
        (0u16..).zip(&self.0).flat_map(|(w, &bits)| {
            let mut bits = bits;
            std::iter::from_fn(move || {
                let low = bits.trailing_zeros();
                (bits != 0).then(|| {
                    bits &= bits - 1;
                    w * 64 + low as u16
                })
            })
        })
    }

    pub(crate) fn union(&mut self, other: &Sig) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// The hash of a folded word that [`Sig`] takes (FxHash: a few cycles for a short word).
pub(crate) fn sig_hash(fold: &[u8]) -> u64 {
    use std::hash::Hasher as _;
    let mut h = rustc_hash::FxHasher::default();
    h.write(fold);
    h.finish()
}

impl Doc {
    pub(crate) fn clear(&mut self) {
        self.sig = Sig::default();
        self.toks.clear();
        self.lower.clear();
        self.bare.clear();
        self.raw.clear();
    }

    /// Replaces the contents with the tokens of `s`.
    pub(crate) fn fill(&mut self, s: &str) {
        self.clear();
        self.add(s);
    }

    /// Adds the tokens of `s` after the current ones.
    pub(crate) fn add(&mut self, s: &str) {
        let base = self.raw.len();
        self.raw.push_str(s);
        self.raw.push('\n');
        if s.is_ascii() {
            return self.add_ascii(base);
        }
        for t in Tokens::new(s, false) {
            let body = &s[t.body.clone()];
            let l0 = self.lower.len();
            push_lower(body, &mut self.lower);
            let lower = (l0 as u32, self.lower.len() as u32);
            let b0 = self.bare.len();
            push_bare(body, &mut self.bare);
            let bare = if self.bare[b0..] == self.lower[l0..] {
                self.bare.truncate(b0);
                None
            } else {
                Some((b0 as u32, self.bare.len() as u32))
            };
            let raw = ((base + t.body.start) as u32, (base + t.body.end) as u32);
            let apostrophe = self.lower[l0..].contains('\'');
            self.push(raw, lower, bare, t.sigil, apostrophe);
        }
    }

    /// [`Doc::add`] for ASCII text, already in `raw` from `base`: the text is lower-cased
    /// in one go, so each token's lower fold has the same offsets as its body, and a byte
    /// loop finds the tokens with the rules of [`Tokens`] (where ASCII has no symbols).
    fn add_ascii(&mut self, base: usize) {
        let word = |b: u8| ASCII_WORD[usize::from(b)];
        let l_base = self.lower.len();
        self.lower.push_str(&self.raw[base..]);
        self.lower[l_base..].make_ascii_lowercase();
        let end = self.raw.len() - 1; // without the newline
        let mut pos = base;
        while pos < end {
            let b = self.raw.as_bytes();
            let (start, sigil) = match b[pos] {
                c if word(c) => (pos, Sigil::None),
                c @ (b'#' | b'@')
                    if pos + 1 < end && word(b[pos + 1]) && (pos == base || !word(b[pos - 1])) =>
                {
                    (pos + 1, if c == b'#' { Sigil::Hash } else { Sigil::At })
                }
                _ => {
                    pos += 1;
                    continue;
                }
            };
            let mut stop = start;
            let mut apostrophe = false;
            loop {
                while stop < end && word(b[stop]) {
                    stop += 1;
                }
                if stop + 1 < end && b[stop] == b'\'' && word(b[stop + 1]) {
                    apostrophe = true;
                    stop += 1;
                } else {
                    break;
                }
            }
            pos = stop;
            let lower = (
                (l_base + start - base) as u32,
                (l_base + stop - base) as u32,
            );
            self.push((start as u32, stop as u32), lower, None, sigil, apostrophe);
        }
    }

    /// Adds a token whose folds are in the buffers, and its folds to the signature: the
    /// lower fold, the bare fold if it has its own, and, when the body has an `apostrophe`,
    /// each fold's part before it, which a term without one matches (`wendy's`).
    fn push(
        &mut self,
        raw: (u32, u32),
        lower: (u32, u32),
        bare: Option<(u32, u32)>,
        sigil: Sigil,
        apostrophe: bool,
    ) {
        // Folds are sliced as bytes: slicing a str would check character boundaries.
        let range = |r: (u32, u32)| r.0 as usize..r.1 as usize;
        let sig = &mut self.sig;
        let mut remember = |fold: &[u8]| {
            let key = sig_hash(fold);
            sig.insert_hash(key);
            // Tokens are short: a byte loop beats a call to memchr.
            if apostrophe && let Some(i) = fold.iter().position(|&b| b == b'\'') {
                sig.insert_hash(sig_hash(&fold[..i]));
            }
            key
        };
        let lower_key = remember(&self.lower.as_bytes()[range(lower)]);
        let bare_key = bare.map_or(lower_key, |b| remember(&self.bare.as_bytes()[range(b)]));
        let t = Tok {
            raw,
            lower,
            bare,
            lower_key,
            bare_key,
            apostrophe,
            sigil,
        };
        self.toks.push(t);
    }

    /// Adds one list item (a tag or a handle) as a single token with the given sigil.
    pub(crate) fn add_item(&mut self, item: &str, sigil: Sigil) {
        let item = item.trim_start_matches(['#', '@']);
        let before = self.toks.len();
        self.add(item);
        if self.toks.len() == before + 1 {
            if let Some(t) = self.toks.last_mut() {
                t.sigil = sigil;
            }
        } else {
            self.toks.truncate(before);
        }
    }

    pub(crate) fn raw(&self, t: &Tok) -> &str {
        &self.raw[t.raw.0 as usize..t.raw.1 as usize]
    }

    pub(crate) fn lower(&self, t: &Tok) -> &str {
        &self.lower[t.lower.0 as usize..t.lower.1 as usize]
    }

    /// The `lower` fold of a token (`accented`) or its `bare` fold, as bytes.
    pub(crate) fn fold_bytes(&self, t: &Tok, accented: bool) -> &[u8] {
        match t.bare {
            Some((a, b)) if !accented => &self.bare.as_bytes()[a as usize..b as usize],
            _ => &self.lower.as_bytes()[t.lower.0 as usize..t.lower.1 as usize],
        }
    }

    pub(crate) fn bare(&self, t: &Tok) -> &str {
        match t.bare {
            Some((a, b)) => &self.bare[a as usize..b as usize],
            None => self.lower(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        Tokens::new(s, false)
            .map(|t| format!("{}{}", t.sigil.as_str(), &s[t.body]))
            .collect()
    }

    #[test]
    fn tokenises() {
        let cases: &[(&str, &[&str])] = &[
            ("Hello, world!", &["Hello", "world"]),
            ("wendy's and Wendy’s", &["wendy's", "and", "Wendy’s"]),
            ("'quoted' it's", &["quoted", "it's"]),
            (
                "#Delta @united C# a@b.com",
                &["#Delta", "@united", "C", "a", "b", "com"],
            ),
            ("e-mail U.S.", &["e", "mail", "U", "S"]),
            ("love it🔥🔥!", &["love", "it", "🔥", "🔥"]),
            ("👍🏽 ok ❤️ 👨‍👩‍👧 🇫🇷", &["👍🏽", "ok", "❤️", "👨‍👩‍👧", "🇫🇷"]),
            ("café cafe\u{301} niño", &["café", "cafe\u{301}", "niño"]),
            ("«quote» — dash… ©", &["quote", "dash", "©"]),
            ("東京 123_abc", &["東京", "123_abc"]),
            ("", &[]),
            ("# @ #", &[]),
        ];
        for (give, gives) in cases {
            assert_eq!(toks(give), *gives, "{give:?}");
        }
    }

    #[test]
    fn wild_words() {
        let s = "complain* customi?e *x";
        let got: Vec<_> = Tokens::new(s, true).map(|t| &s[t.body]).collect();
        assert_eq!(got, ["complain*", "customi?e", "*x"]);
    }

    #[test]
    fn folds() {
        let cases = [
            ("Café", "café", "cafe"),
            ("CAFE\u{301}", "café", "cafe"),
            ("Niño", "niño", "nino"),
            ("Wendy’s", "wendy's", "wendy's"),
            ("Straße", "straße", "straße"),
            ("Øre", "øre", "ore"),
            ("İstanbul", "i\u{307}stanbul", "istanbul"),
        ];
        for (give, l, b) in cases {
            assert_eq!(lower(give), l, "{give}");
            assert_eq!(bare(give), b, "{give}");
        }
    }

    #[test]
    fn doc_keeps_folds() {
        let mut d = Doc::default();
        d.fill("Crème BRÛLÉE ok");
        d.add("#Next");
        let got: Vec<_> = d
            .toks
            .iter()
            .map(|t| (d.raw(t), d.lower(t), d.bare(t), t.sigil))
            .collect();
        assert_eq!(
            got,
            [
                ("Crème", "crème", "creme", Sigil::None),
                ("BRÛLÉE", "brûlée", "brulee", Sigil::None),
                ("ok", "ok", "ok", Sigil::None),
                ("Next", "next", "next", Sigil::Hash),
            ]
        );
    }

    proptest::proptest! {
        /// The byte loop for ASCII text finds the tokens the general tokeniser finds.
        #[test]
        fn ascii_path_agrees_with_tokens(s in "[a-zA-Z0-9_'#@ .,!?*-]{0,40}") {
            let mut d = Doc::default();
            d.fill(&s);
            let got: Vec<_> = d.toks.iter().map(|t| (d.raw(t).to_owned(), t.sigil)).collect();
            let want: Vec<_> = Tokens::new(&s, false)
                .map(|t| (s[t.body].to_owned(), t.sigil))
                .collect();
            proptest::prop_assert_eq!(got, want);
            for t in &d.toks {
                proptest::prop_assert_eq!(d.lower(t), lower(d.raw(t)));
                proptest::prop_assert_eq!(t.lower_key, sig_hash(d.lower(t).as_bytes()));
            }
        }
    }
}
