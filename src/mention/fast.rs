//! A one-pass reader for the text fields of a mention line, for
//! [`MentionView::parse_text_fields`].
//!
//! serde_json spends most of a mention line skipping the fields a stage does not read (ids,
//! URLs, dates, author, metrics), validating each value through its generic visitor
//! machinery. This reader validates the same grammar with a tight byte loop (eight bytes at
//! a time inside strings) and picks out the six text fields. It answers only for lines it
//! is sure about; anything else (invalid JSON, a field of an unexpected type or given twice,
//! a `\u` escape where a string is read, deep nesting) returns `None`, and the caller asks
//! serde_json, which gives the error message or the unescaped value. Whenever this returns a
//! view, serde_json accepts the line and reads the same values: a property test checks it.

use std::borrow::Cow;

use super::{MentionView, SENTIMENT, TEXT_FIELDS, TopKeys, ViewFields};

/// Objects and arrays nested deeper than this are left to serde_json (which stops at 128).
const MAX_DEPTH: u32 = 64;

// The keys of TEXT_FIELDS as byte patterns; each one's index is its bit in `TopKeys`.
const TITLE: &[u8] = TEXT_FIELDS[0].as_bytes();
const TEXT: &[u8] = TEXT_FIELDS[1].as_bytes();
const LANG: &[u8] = TEXT_FIELDS[2].as_bytes();
const TAGS: &[u8] = TEXT_FIELDS[3].as_bytes();
const MENTIONS: &[u8] = TEXT_FIELDS[4].as_bytes();
const LABELS: &[u8] = TEXT_FIELDS[5].as_bytes();
const SENTIMENT_KEY: &[u8] = SENTIMENT.as_bytes();

/// Reads the [`TEXT_FIELDS`] of a JSON object line, and notes which top-level keys it has
/// among those and [`SENTIMENT`].
pub(super) fn text_fields(line: &str) -> Option<(MentionView<'_>, TopKeys)> {
    let mut sc = Scan {
        s: line,
        b: line.as_bytes(),
        i: 0,
    };
    let mut view = MentionView::default();
    let mut seen = 0u8;
    sc.ws();
    sc.list(b'{', b'}', |sc| {
        let (key, esc) = sc.key()?;
        // serde_json compares a key after unescaping it.
        if esc != Esc::None {
            return None;
        }
        let field = match &sc.b[key] {
            TITLE => 0,
            TEXT => 1,
            LANG => 2,
            TAGS => 3,
            MENTIONS => 4,
            LABELS => 5,
            SENTIMENT_KEY => {
                seen |= 1 << TEXT_FIELDS.len();
                return sc.value(1);
            }
            _ => return sc.value(1),
        };
        // A known field given twice is an error for serde.
        if seen & 1 << field != 0 {
            return None;
        }
        seen |= 1 << field;
        match field {
            0 => view.title = sc.opt_str()?,
            1 => view.text = sc.opt_str()?,
            2 => view.lang = sc.opt_str()?,
            3 => view.tags = sc.str_array()?,
            4 => view.mentions = sc.str_array()?,
            _ => view.labels = sc.str_array()?,
        }
        Some(())
    })?;
    sc.ws();
    (sc.i == sc.b.len()).then_some((view, TopKeys(seen)))
}

/// Reads every field of a [`MentionView`] from a JSON object line, for stages that look at
/// the whole record ([`MentionView::parse`]). Strings and lists of strings are read here;
/// the small objects (`author`, `metrics`, `source`, `sentiment`) are validated here and
/// handed to serde_json alone, so the long text fields are scanned once, eight bytes at a
/// time.
pub(super) fn view(line: &str, want: ViewFields) -> Option<MentionView<'_>> {
    let mut sc = Scan {
        s: line,
        b: line.as_bytes(),
        i: 0,
    };
    let mut v = MentionView::default();
    let mut seen = 0u32;
    sc.ws();
    sc.list(b'{', b'}', |sc| {
        let (key, esc) = sc.key()?;
        if esc != Esc::None {
            return None;
        }
        let field: u32 = match &sc.b[key] {
            b"id" => 0,
            b"platform" => 1,
            b"kind" => 2,
            b"url" => 3,
            b"title" => 4,
            b"text" => 5,
            b"lang" => 6,
            b"published" => 7,
            b"author" => 8,
            b"metrics" => 9,
            b"links" => 10,
            b"tags" => 11,
            b"mentions" => 12,
            b"source" => 13,
            b"matches" => 14,
            b"sentiment" => 15,
            b"labels" => 16,
            b"in_reply_to" => 17,
            b"team" => 18,
            b"priority" => 19,
            b"teams" => 20,
            _ => return sc.value(1),
        };
        if seen & 1 << field != 0 {
            return None;
        }
        seen |= 1 << field;
        if want.0 & 1 << field == 0 {
            // Not read, but checked as serde_json would check it: a line is bad or not
            // whatever a stage reads of it.
            return match field {
                0..=7 | 17..=19 => sc.skip_opt_str(),
                10..=12 | 14 | 16 | 20 => sc.list(b'[', b']', |sc| sc.string().map(drop)),
                _ => {
                    let start = sc.i;
                    sc.value(1)?;
                    let raw = &sc.s[start..sc.i];
                    let checked = match field {
                        8 => serde_json::from_str::<Option<super::AuthorView>>(raw).is_ok(),
                        9 => serde_json::from_str::<Option<super::Metrics>>(raw).is_ok(),
                        13 => serde_json::from_str::<Option<super::SourceView>>(raw).is_ok(),
                        _ => serde_json::from_str::<Option<super::Sentiment>>(raw).is_ok(),
                    };
                    checked.then_some(())
                }
            };
        }
        match field {
            0 => v.id = sc.opt_str()?,
            1 => v.platform = sc.opt_str()?,
            2 => v.kind = sc.opt_str()?,
            3 => v.url = sc.opt_str()?,
            4 => v.title = sc.opt_str()?,
            5 => v.text = sc.opt_str()?,
            6 => v.lang = sc.opt_str()?,
            7 => v.published = sc.opt_str()?,
            17 => v.in_reply_to = sc.opt_str()?,
            18 => v.team = sc.opt_str()?,
            19 => v.priority = sc.opt_str()?,
            20 => v.teams = sc.str_array()?,
            10 => v.links = sc.str_array()?,
            11 => v.tags = sc.str_array()?,
            12 => v.mentions = sc.str_array()?,
            14 => v.matches = sc.str_array()?,
            16 => v.labels = sc.str_array()?,
            _ => {
                let start = sc.i;
                sc.value(1)?;
                let raw = &sc.s[start..sc.i];
                match field {
                    8 => v.author = serde_json::from_str(raw).ok()?,
                    9 => v.metrics = serde_json::from_str(raw).ok()?,
                    13 => v.source = serde_json::from_str(raw).ok()?,
                    _ => v.sentiment = serde_json::from_str(raw).ok()?,
                }
            }
        }
        Some(())
    })?;
    sc.ws();
    (sc.i == sc.b.len()).then_some(v)
}

/// The escapes a string holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Esc {
    None,
    /// Only two-character escapes (`\"`, `\n`, ...).
    Simple,
    /// A `\uXXXX` escape.
    Unicode,
}

struct Scan<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes among eight (little-endian) that end or escape a string or are control
/// characters: `"`, `\` or below 0x20. The bit tricks of "Bit Twiddling Hacks" flag
/// every such byte and may also flag a byte after one, so the lowest flag is exact.
#[inline]
fn special(x: u64) -> u64 {
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let quote = zero(x ^ (ONES * u64::from(b'"')));
    let backslash = zero(x ^ (ONES * u64::from(b'\\')));
    let control = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
    quote | backslash | control
}

impl<'a> Scan<'a> {
    #[inline(always)]
    fn ws(&mut self) {
        // Lines written by machines rarely have any.
        if self.b.get(self.i).is_some_and(|&c| c > b' ') {
            return;
        }
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> bool {
        let hit = self.b.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }

    /// The string at the cursor: the byte range of its contents and its escapes.
    #[inline(always)]
    fn string(&mut self) -> Option<(std::ops::Range<usize>, Esc)> {
        if !self.eat(b'"') {
            return None;
        }
        let b = self.b;
        let start = self.i;
        let mut j = start;
        let mut esc = Esc::None;
        loop {
            // Eight bytes at a time to the next special byte, then byte by byte near the end.
            let c = loop {
                if let Some(chunk) = b.get(j..j + 8) {
                    let flags = special(u64::from_le_bytes(chunk.try_into().ok()?));
                    if flags != 0 {
                        j += (flags.trailing_zeros() / 8) as usize;
                        break *b.get(j)?;
                    }
                    j += 8;
                } else {
                    let c = *b.get(j)?;
                    if c == b'"' || c == b'\\' || c < 0x20 {
                        break c;
                    }
                    j += 1;
                }
            };
            match c {
                b'"' => {
                    self.i = j + 1;
                    return Some((start..j, esc));
                }
                b'\\' => match *b.get(j + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                        esc = esc.max(Esc::Simple);
                        j += 2;
                    }
                    b'u' if b.get(j + 2..j + 6)?.iter().all(u8::is_ascii_hexdigit) => {
                        esc = Esc::Unicode;
                        j += 6;
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
    }

    /// A string read into a field: borrowed, or unescaped when it has two-character
    /// escapes; `\u` escapes are left to serde_json.
    fn field_str(&mut self) -> Option<Cow<'a, str>> {
        let (range, esc) = self.string()?;
        let raw = self.s.get(range)?;
        match esc {
            Esc::None => Some(Cow::Borrowed(raw)),
            Esc::Simple => Some(Cow::Owned(unescape(raw))),
            Esc::Unicode => None,
        }
    }

    /// A string or `null`.
    fn opt_str(&mut self) -> Option<Option<Cow<'a, str>>> {
        if self.b.get(self.i) == Some(&b'n') {
            self.literal(b"null")?;
            return Some(None);
        }
        self.field_str().map(Some)
    }

    /// A string or `null`, skipped.
    fn skip_opt_str(&mut self) -> Option<()> {
        if self.b.get(self.i) == Some(&b'n') {
            return self.literal(b"null");
        }
        self.string().map(drop)
    }

    /// An array of strings.
    fn str_array(&mut self) -> Option<Vec<Cow<'a, str>>> {
        let mut out = Vec::new();
        self.list(b'[', b']', |sc| {
            out.push(sc.field_str()?);
            Some(())
        })?;
        Some(out)
    }

    /// An object or an array at the cursor, opened by `open` and closed by `close`: `item`
    /// reads each member or element.
    #[inline(always)]
    fn list(
        &mut self,
        open: u8,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        if !self.eat(open) {
            return None;
        }
        self.ws();
        if self.eat(close) {
            return Some(());
        }
        loop {
            item(self)?;
            self.ws();
            if self.eat(b',') {
                self.ws();
            } else {
                return self.eat(close).then_some(());
            }
        }
    }

    /// A member's key and the colon after it.
    #[inline(always)]
    fn key(&mut self) -> Option<(std::ops::Range<usize>, Esc)> {
        let key = self.string()?;
        self.ws();
        if !self.eat(b':') {
            return None;
        }
        self.ws();
        Some(key)
    }

    fn literal(&mut self, lit: &[u8]) -> Option<()> {
        let end = self.i + lit.len();
        (self.b.get(self.i..end)? == lit).then(|| self.i = end)
    }

    /// Skips a value nested `depth` deep.
    fn value(&mut self, depth: u32) -> Option<()> {
        match *self.b.get(self.i)? {
            b'"' => self.string().map(drop),
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn object(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.list(b'{', b'}', |sc| {
            sc.key()?;
            sc.value(depth)
        })
    }

    fn array(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.list(b'[', b']', |sc| sc.value(depth))
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<()> {
        let b = self.b;
        let mut j = self.i + usize::from(b.get(self.i) == Some(&b'-'));
        let digits = |mut j: usize| {
            let from = j;
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            (j > from).then_some(j)
        };
        j = match b.get(j)? {
            b'0' => j + 1,
            _ => digits(j)?,
        };
        if b.get(j) == Some(&b'.') {
            j = digits(j + 1)?;
        }
        if let Some(b'e' | b'E') = b.get(j) {
            j += 1;
            j += usize::from(matches!(b.get(j), Some(b'+' | b'-')));
            j = digits(j)?;
        }
        self.i = j;
        Some(())
    }
}

/// Resolves two-character escapes (the string holds no `\u`).
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next() {
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some(other) => other,
            None => break,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the fast reader answers, next to what serde_json reads.
    fn both(line: &str) -> (Option<String>, Result<String, String>) {
        let show = |v: &MentionView| {
            format!(
                "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
                v.title, v.text, v.lang, v.tags, v.mentions, v.labels
            )
        };
        let fast = text_fields(line).map(|(v, _)| show(&v));
        let serde = MentionView::parse_text_fields_serde(line)
            .map(|v| show(&v))
            .map_err(|e| e.to_string());
        (fast, serde)
    }

    /// The whole view by this reader and by serde_json; with only some fields read, it
    /// takes no line serde_json refuses.
    fn both_views(line: &str) -> (Option<String>, Result<String, String>) {
        let some = ViewFields::PUBLISHED | ViewFields::MATCHES | ViewFields::AUTHOR;
        if view(line, some).is_some() && serde_json::from_str::<MentionView>(line).is_err() {
            return (
                Some("a partial view takes a bad line".into()),
                Err(String::new()),
            );
        }
        let fast = view(line, ViewFields::ALL).map(|v| format!("{v:?}"));
        let serde = serde_json::from_str::<MentionView>(line)
            .map(|v| format!("{v:?}"))
            .map_err(|e| e.to_string());
        (fast, serde)
    }

    fn agrees(line: &str) -> bool {
        let same = |pair| match pair {
            (Some(fast), Ok(serde)) => fast == serde,
            (Some(_), Err(_)) => false,
            (None, _) => true,
        };
        same(both(line)) && same(both_views(line))
    }

    #[test]
    fn reads_mention_lines() {
        let lines = [
            r#"{"id":"x:1","text":"Late again @united","lang":"en","author":{"name":"a","followers":12},"metrics":{"likes":-1.5e3},"mentions":["united"],"tags":[],"ok":true,"no":false,"n":null}"#,
            r#" { "title" : "T" , "text" : null , "labels" : [ "a" , "b" ] } "#,
            r#"{"text":"say \"hi\"\n\t\\ \/","x":"caf\u00e9"}"#,
            "{}",
            r#"{"deep":[[[{"a":[1,0,0.5,2E+3]}]]]}"#,
        ];
        for line in lines {
            let (fast, serde) = both(line);
            assert_eq!(fast.as_deref(), Some(serde.as_deref().unwrap()), "{line}");
        }
        let full = r#"{"id":"x:1","platform":"x","kind":"reply","url":"u","title":null,"text":"a \"b\"","lang":"en","published":"2026-03-02T10:00:00Z","author":{"name":"N","handle":"h","followers":3},"metrics":{"likes":1,"score":-2},"in_reply_to":"x:0","links":["l"],"tags":["t"],"mentions":["m"],"source":{"type":"rss","uri":"f"},"matches":["q"],"sentiment":{"score":-0.5,"label":"negative"},"labels":["complaint"],"mine":{"k":[1]}}"#;
        let (fast, serde) = both_views(full);
        assert_eq!(fast.as_deref(), Some(serde.as_deref().unwrap()), "{full}");
        for doubtful in [
            r#"{"author":{"followers":-1}}"#,
            r#"{"sentiment":{"label":"x"}}"#,
            r#"{"matches":"q"}"#,
            r#"{"author":{},"author":{}}"#,
        ] {
            assert!(view(doubtful, ViewFields::ALL).is_none(), "{doubtful}");
            assert!(agrees(doubtful), "{doubtful}");
        }
    }

    #[test]
    fn leaves_doubtful_lines_to_serde() {
        let lines = [
            r#"{"text":"caf\u00e9"}"#,    // \u in a field read
            r#"{"te\u0078t":"a"}"#,       // escaped key
            r#"{"text":"a","text":"b"}"#, // duplicate field
            r#"{"text":5}"#,              // wrong type
            r#"{"tags":null}"#,           // wrong type
            r#"{"tags":["a",null]}"#,     // wrong type
            r#"{"a":01}"#,                // leading zero
            r#"{"a":1.}"#,                // no fraction digits
            r#"{"a":-}"#,                 // no digits
            r#"{"a":1e}"#,                // no exponent digits
            r#"{"a":tru}"#,               // cut literal
            r#"{"a":"x\q"}"#,             // bad escape
            r#"{"a":"x\u12"}"#,           // short \u
            "{\"a\":\"tab\there\"}",      // control character
            r#"{"a":1,}"#,                // trailing comma
            r#"{"a":1} x"#,               // trailing characters
            r#"["text","a"]"#,            // not an object
            r#"{"a":1"#,                  // cut short
            r#"{"a" 1}"#,                 // no colon
        ];
        for line in lines {
            assert!(text_fields(line).is_none(), "{line}");
            assert!(agrees(line));
        }
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(70), "]".repeat(70));
        assert!(text_fields(&deep).is_none());
    }

    /// Valid mention-like objects, serialised by serde_json: the text fields with the types
    /// they should have, other fields with any value.
    fn objects() -> impl Strategy<Value = String> {
        use serde_json::Value;
        let text = prop_oneof![
            4 => "\\PC{0,12}",
            2 => "[a-z \"\\\\\n\t/]{0,8}",
            1 => "[a-z\u{1}\u{1f}é]{0,4}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            text.clone().prop_map(Value::from),
        ];
        let value = leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        });
        let opt_text = prop::option::of(text.clone()).prop_map(Value::from);
        let list = prop::collection::vec(text, 0..3).prop_map(Value::from);
        let field = prop_oneof![
            (Just("text"), opt_text.clone()),
            (Just("title"), opt_text.clone()),
            (Just("lang"), opt_text),
            (Just("tags"), list.clone()),
            (Just("mentions"), list.clone()),
            (Just("labels"), list),
            (
                prop::sample::select(vec![
                    "id",
                    "author",
                    "metrics",
                    "x",
                    "sentiment",
                    "published",
                    "matches",
                    "source"
                ]),
                value
            ),
            (
                Just("author"),
                (
                    prop::option::of("[a-z]{0,4}"),
                    prop::option::of(0u64..5_000)
                )
                    .prop_map(|(h, f)| serde_json::json!({"handle": h, "followers": f}))
            ),
            (
                Just("metrics"),
                (0u64..100, -5i64..5)
                    .prop_map(|(l, s)| serde_json::json!({"likes": l, "score": s}))
            ),
            (
                Just("sentiment"),
                (
                    -1.0f64..1.0,
                    prop::sample::select(vec!["negative", "neutral", "positive"])
                )
                    .prop_map(|(s, l)| serde_json::json!({"score": s, "label": l}))
            ),
            (
                Just("matches"),
                prop::collection::vec("[a-z]{1,5}", 0..3).prop_map(Value::from)
            ),
        ];
        prop::collection::vec(field, 0..8).prop_map(|fields| {
            let mut map = serde_json::Map::new();
            for (key, value) in fields {
                map.insert(key.to_owned(), value);
            }
            Value::Object(map).to_string()
        })
    }

    proptest! {
        #[test]
        fn agrees_with_serde_on_objects(line in objects()) {
            prop_assert!(agrees(&line), "{:?}: {:?}", line, both(&line));
            // Whatever serde_json reads without \u escapes, this reader reads too.
            if !line.contains("\\u") {
                prop_assert!(text_fields(&line).is_some(), "{:?}", line);
            }
            // The top-level keys it reports are the object's.
            if let Some((_, keys)) = text_fields(&line) {
                let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&line).unwrap();
                for key in TEXT_FIELDS.into_iter().chain([SENTIMENT]) {
                    prop_assert_eq!(keys.has(key), object.contains_key(key), "{} in {}", key, line);
                }
            }
        }

        /// Values written by hand, valid and not, in every position of a line.
        #[test]
        fn agrees_with_serde_on_raw_values(
            raw in prop::collection::vec(prop::sample::select(vec![
                "0", "01", "-0", "-", "1.", "1.5", ".5", "1e5", "1e", "1E+3", "1e-", "-12.5e-3",
                "true", "tru", "false", "null", "nul", "\"a\"", "\"a\\\"b\"", "\"\\u00e9\"",
                "\"\\x\"", "\"\u{1}\"", "[]", "[1,]", "[01]", "[\"a\",\"b\"]", "{}",
                "{\"a\":1,}", "{\"a\":[{}]}", "{\"a\" 1}", "{1:2}", " 1 ", "\t\"t\"\n",
            ]), 3),
        ) {
            let body: Vec<String> = raw.iter().map(|v| format!("\"x\":{v}")).collect();
            let line = format!("{{{},\"text\":\"t\"}}", body.join(","));
            prop_assert!(agrees(&line), "{:?}: {:?}", line, both(&line));
        }

        /// Valid lines with small damage: a piece inserted, or the line cut short.
        #[test]
        fn agrees_with_serde_on_damaged_objects(
            line in objects(),
            at in any::<prop::sample::Index>(),
            piece in prop::sample::select(vec![
                "0", "01", "1.", "-", "e5", "+", "\u{1}", "\t", "\n", "\\", "\\u12", "\\q",
                "\"", ",", ":", "{", "}", "[", "]", "tru", "nul", " ", "x", "é", "",
            ]),
            cut in any::<bool>(),
        ) {
            let mut at = at.index(line.len() + 1);
            while !line.is_char_boundary(at) {
                at -= 1;
            }
            let damaged = if cut {
                line[..at].to_owned()
            } else {
                format!("{}{piece}{}", &line[..at], &line[at..])
            };
            prop_assert!(agrees(&damaged), "{:?}: {:?}", damaged, both(&damaged));
        }
    }
}
