//! Lexing: the query string to tokens with byte spans. Comments (`<<< ... >>>`) and
//! whitespace are dropped here.

use std::ops::Range;

use super::QueryError;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A bare word as written: a term, a wildcard, a value.
    Word(String),
    /// `"..."`, unescaped.
    Phrase(String),
    /// `{...}`: case-sensitive.
    Brace(String),
    /// `/.../` with an optional `i` after it.
    Regex {
        src: String,
        ci: bool,
    },
    /// `[...]`: the text between the brackets.
    Range(String),
    /// `name:` (the name as written, without the colon).
    Field(String),
    LParen,
    RParen,
    And,
    Or,
    Not,
    Near {
        dist: u32,
        ordered: bool,
    },
    /// `~n` right after a phrase or a closing bracket.
    Tilde(u32),
    /// `-` right before a term: NOT.
    Minus,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub span: Range<usize>,
}

/// Characters that end a bare word.
pub(crate) fn is_special(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '{' | '}' | '[' | ']')
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// How a token is shown in "found X".
pub(crate) fn describe(src: &str, span: &Range<usize>) -> String {
    match src.get(span.clone()) {
        None | Some("") => "end of query".to_owned(),
        Some(s) => {
            let short: String = s.chars().take(30).collect();
            if short.len() < s.len() {
                format!("`{short}...`")
            } else {
                format!("`{s}`")
            }
        }
    }
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn push(&mut self, kind: Kind, start: usize) {
        self.out.push(Token {
            kind,
            span: start..self.pos,
        });
    }

    fn err(&self, span: Range<usize>, msg: impl Into<String>) -> QueryError {
        QueryError::new(span, msg)
    }

    /// Scans a delimited string starting after the opening delimiter; `\` escapes the
    /// next character. Returns the content with escaped delimiters unescaped; other escapes
    /// are kept as written, except `\\` outside a regular expression.
    fn delimited(&mut self, open: usize, close: char, what: &str) -> Result<String, QueryError> {
        let mut out = String::new();
        let mut chars = self.src[self.pos..].char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some((_, d)) => {
                        if d != close && (d != '\\' || close == '/') {
                            out.push('\\');
                        }
                        out.push(d);
                    }
                    None => break,
                }
            } else if c == close {
                self.pos += i + 1;
                return Ok(out);
            } else {
                out.push(c);
            }
        }
        Err(self.err(
            open..self.src.len(),
            format!("expected `{close}` to close the {what}, found end of query"),
        ))
    }

    fn number_after(&self, s: &str, span: Range<usize>, what: &str) -> Result<u32, QueryError> {
        s.parse::<u32>().map_err(|_| {
            let found = if s.is_empty() {
                "nothing".to_owned()
            } else {
                format!("`{s}`")
            };
            self.err(
                span,
                format!("expected a number after {what}, found {found}"),
            )
        })
    }

    fn run(mut self) -> Result<Vec<Token>, QueryError> {
        let mut after_field = false;
        while let Some(c) = self.peek() {
            let start = self.pos;
            let field_value = std::mem::take(&mut after_field);
            if c.is_whitespace() {
                self.pos += c.len_utf8();
                continue;
            }
            if self.src[start..].starts_with("<<<") {
                match self.src[start + 3..].find(">>>") {
                    Some(end) => self.pos = start + 3 + end + 3,
                    None => {
                        return Err(self.err(
                            start..start + 3,
                            "expected `>>>` to end the comment, found end of query",
                        ));
                    }
                }
                continue;
            }
            match c {
                '(' => {
                    self.pos += 1;
                    self.push(Kind::LParen, start);
                }
                ')' => {
                    self.pos += 1;
                    self.push(Kind::RParen, start);
                }
                '"' => {
                    self.pos += 1;
                    let s = self.delimited(start, '"', "phrase")?;
                    self.push(Kind::Phrase(s), start);
                }
                '{' => {
                    self.pos += 1;
                    let s = self.delimited(start, '}', "case-sensitive term")?;
                    self.push(Kind::Brace(s), start);
                }
                '[' => {
                    self.pos += 1;
                    let s = self.delimited(start, ']', "range")?;
                    self.push(Kind::Range(s), start);
                }
                '}' | ']' => {
                    return Err(self.err(
                        start..start + 1,
                        format!("expected a term, found `{c}` without its opening bracket"),
                    ));
                }
                '~' if self.out.last().is_some_and(|t| {
                    t.span.end == start && matches!(t.kind, Kind::Phrase(_) | Kind::RParen)
                }) =>
                {
                    self.pos += 1;
                    let digits: String = self.src[self.pos..]
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    self.pos += digits.len();
                    let n = self.number_after(&digits, start..self.pos.max(start + 1), "`~`")?;
                    self.push(Kind::Tilde(n), start);
                }
                '-' if !field_value
                    && self.src[start + 1..]
                        .chars()
                        .next()
                        .is_some_and(|d| !d.is_whitespace() && d != '-' && d != ')') =>
                {
                    self.pos += 1;
                    self.push(Kind::Minus, start);
                }
                '/' => {
                    self.pos += 1;
                    let s = self.delimited(start, '/', "regular expression")?;
                    let ci = self.src[self.pos..].starts_with('i')
                        && self.src[self.pos + 1..]
                            .chars()
                            .next()
                            .is_none_or(is_special);
                    if ci {
                        self.pos += 1;
                    }
                    self.push(Kind::Regex { src: s, ci }, start);
                }
                _ => {
                    let len = self.src[start..]
                        .find(is_special)
                        .unwrap_or(self.src.len() - start);
                    let word = &self.src[start..start + len];
                    if !field_value && let Some(name) = field_name(word) {
                        self.pos = start + name.len() + 1;
                        self.push(Kind::Field(name.to_owned()), start);
                        after_field = true;
                        continue;
                    }
                    self.pos = start + len;
                    let kind = match word {
                        "AND" => Kind::And,
                        "OR" => Kind::Or,
                        "NOT" => Kind::Not,
                        "NEAR" => {
                            return Err(self.err(
                                start..self.pos,
                                "expected NEAR/n (for example NEAR/3), found `NEAR`",
                            ));
                        }
                        _ => match word.strip_prefix("NEAR/") {
                            Some(rest) => {
                                let (num, ordered) = match rest.strip_suffix('f') {
                                    Some(n) => (n, true),
                                    None => (rest, false),
                                };
                                let dist = self.number_after(num, start..self.pos, "`NEAR/`")?;
                                Kind::Near { dist, ordered }
                            }
                            None => Kind::Word(word.to_owned()),
                        },
                    };
                    self.push(kind, start);
                }
            }
        }
        Ok(self.out)
    }
}

/// `name` when `word` starts with `name:` and `name` is an identifier.
fn field_name(word: &str) -> Option<&str> {
    let colon = word.find(':')?;
    let name = &word[..colon];
    let mut chars = name.chars();
    (chars.next().is_some_and(is_ident_start) && chars.all(is_ident)).then_some(name)
}

/// Splits `src` into tokens.
pub(crate) fn lex(src: &str) -> Result<Vec<Token>, QueryError> {
    Lexer {
        src,
        pos: 0,
        out: Vec::new(),
    }
    .run()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Kind> {
        lex(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    fn w(s: &str) -> Kind {
        Kind::Word(s.to_owned())
    }

    #[test]
    fn lexes() {
        use Kind::*;
        let cases: Vec<(&str, Vec<Kind>)> = vec![
            ("a AND b", vec![w("a"), And, w("b")]),
            ("a and b", vec![w("a"), w("and"), w("b")]),
            ("(a OR -b)", vec![LParen, w("a"), Or, Minus, w("b"), RParen]),
            ("NOT e-mail", vec![Not, w("e-mail")]),
            (r#""a \"b\""~3"#, vec![Phrase("a \"b\"".into()), Tilde(3)]),
            (r#""a b" ~3"#, vec![Phrase("a b".into()), w("~3")]),
            (
                "x NEAR/3f y NEAR/10 z",
                vec![
                    w("x"),
                    Near {
                        dist: 3,
                        ordered: true,
                    },
                    w("y"),
                    Near {
                        dist: 10,
                        ordered: false,
                    },
                    w("z"),
                ],
            ),
            ("title:foo", vec![Field("title".into()), w("foo")]),
            (
                "url:https://a.com/x",
                vec![Field("url".into()), w("https://a.com/x")],
            ),
            ("sentiment:-0.5", vec![Field("sentiment".into()), w("-0.5")]),
            (
                "likes:[10 TO *]",
                vec![Field("likes".into()), Range("10 TO *".into())],
            ),
            (
                "{BT} raw:Google+",
                vec![Brace("BT".into()), Field("raw".into()), w("Google+")],
            ),
            (
                r"/a\/b\d/i x",
                vec![
                    Regex {
                        src: r"a/b\d".into(),
                        ci: true,
                    },
                    w("x"),
                ],
            ),
            (
                "/ab/in",
                vec![
                    Regex {
                        src: "ab".into(),
                        ci: false,
                    },
                    w("in"),
                ],
            ),
            ("a <<< note (x >>> b", vec![w("a"), w("b")]),
            (
                "10:30 #tag @x wendy's",
                vec![w("10:30"), w("#tag"), w("@x"), w("wendy's")],
            ),
            ("- a", vec![w("-"), w("a")]),
        ];
        for (give, gives) in cases {
            assert_eq!(kinds(give), gives, "{give}");
        }
    }

    #[test]
    fn errors() {
        let cases = [
            (
                "\"abc",
                0..4,
                "expected `\"` to close the phrase, found end of query",
            ),
            (
                "a {BT",
                2..5,
                "expected `}` to close the case-sensitive term, found end of query",
            ),
            (
                "a <<< b",
                2..5,
                "expected `>>>` to end the comment, found end of query",
            ),
            (
                "a NEAR/x b",
                2..8,
                "expected a number after `NEAR/`, found `x`",
            ),
            (
                "a NEAR b",
                2..6,
                "expected NEAR/n (for example NEAR/3), found `NEAR`",
            ),
            (
                "\"a\"~x",
                3..4,
                "expected a number after `~`, found nothing",
            ),
            (
                "a ] b",
                2..3,
                "expected a term, found `]` without its opening bracket",
            ),
        ];
        for (give, span, msg) in cases {
            let e = lex(give).unwrap_err();
            assert_eq!((e.span.clone(), e.message.as_str()), (span, msg), "{give}");
        }
    }
}
