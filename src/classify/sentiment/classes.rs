//! Byte classes of ASCII text and the letter case of a token, found in the tokenizer's
//! byte loop so that most tokens are never scanned twice.

/// Classes of ASCII bytes (`BYTE_CLASS`): a token's classes are the OR of its bytes'.
pub(super) type Class = u16;
const UPPER: Class = 1;
const LOWER: Class = 2;
const DIGIT: Class = 4;
const APOSTROPHE: Class = 8;
/// ASCII punctuation (`str.strip(string.punctuation)` strips these).
pub(super) const PUNCT: Class = 16;
/// What [`glued_split`] cuts after: `.,;!?/`.
pub(super) const GLUE: Class = 32;
/// What [`mask_rule`] needs: `@` of a handle, `:` of `http://`, `.` of `www.`.
pub(super) const MASKABLE: Class = 64;
/// Unicode White_Space in ASCII: \t \n \x0b \x0c \r and space.
pub(super) const SPACE: Class = 128;
pub(super) const BANG: Class = 256;
pub(super) const QUESTION: Class = 512;
/// The classes of a token that were not computed: every test answers "maybe".
pub(super) const UNKNOWN: Class = Class::MAX;

pub(super) static BYTE_CLASS: [Class; 256] = {
    let mut t = [0; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        let mut k = if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_lowercase() {
            LOWER
        } else if b.is_ascii_digit() {
            DIGIT
        } else if matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            SPACE
        } else {
            0
        };
        if b.is_ascii_punctuation() {
            k |= PUNCT;
        }
        if b == b'\'' {
            k |= APOSTROPHE;
        }
        if matches!(b, b'.' | b',' | b';' | b'!' | b'?' | b'/') {
            k |= GLUE;
        }
        if matches!(b, b'@' | b':' | b'.') {
            k |= MASKABLE;
        }
        if b == b'!' {
            k |= BANG;
        }
        if b == b'?' {
            k |= QUESTION;
        }
        t[c] = k;
        c += 1;
    }
    t
};

/// The OR of the classes of an ASCII string's bytes.
pub(super) fn classes(s: &str) -> Class {
    s.bytes().fold(0, |acc, c| acc | BYTE_CLASS[usize::from(c)])
}

/// Letter case and character classes of a token.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shape {
    /// [`is_upper`] of the token as written.
    pub(super) upper: bool,
    /// [`is_title`] of the token as written.
    pub(super) title: bool,
    /// The lower-cased token has an ASCII letter or digit.
    pub(super) alnum: bool,
    /// The lower-cased token has an `'`.
    pub(super) apostrophe: bool,
}

impl Shape {
    /// The shape of `word`, whose lower-cased form is `lower`; `class` is its [`classes`]
    /// for ASCII text, else [`UNKNOWN`].
    #[inline]
    pub(super) fn of(word: &str, lower: &[u8], class: Class) -> Shape {
        if class == UNKNOWN {
            return Shape {
                upper: is_upper(word),
                title: is_title(word),
                alnum: lower.iter().any(u8::is_ascii_alphanumeric),
                apostrophe: lower.contains(&b'\''),
            };
        }
        let low = class & LOWER != 0;
        Shape {
            upper: class & UPPER != 0 && !low,
            title: word.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && low,
            alnum: class & (UPPER | LOWER | DIGIT) != 0,
            apostrophe: class & APOSTROPHE != 0,
        }
    }
}

/// Python's `str.isupper`: at least one cased character and no lower-case one.
pub(super) fn is_upper(s: &str) -> bool {
    if s.is_ascii() {
        let mut upper = false;
        for &b in s.as_bytes() {
            if b.is_ascii_lowercase() {
                return false;
            }
            upper |= b.is_ascii_uppercase();
        }
        upper
    } else {
        s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)
    }
}

/// An upper-case first letter followed by at least one lower-case letter ("United", "K-Pop").
fn is_title(s: &str) -> bool {
    if s.is_ascii() {
        let b = s.as_bytes();
        return b.first().is_some_and(u8::is_ascii_uppercase)
            && b[1..].iter().any(u8::is_ascii_lowercase);
    }
    let mut chars = s.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}
