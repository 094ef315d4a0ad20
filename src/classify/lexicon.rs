//! Sentiment lexicons: the built-in VADER and customer-service layers, and user TSV files.
//!
//! A lexicon maps a lower-cased token or phrase to a valence on VADER's scale (-4..+4). Layers
//! are applied in order (VADER, then customer service, then each user file), and a later
//! layer replaces an earlier layer's value for the same entry.

use std::fmt;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

/// The VADER 3.3.2 lexicon (token and mean valence), MIT, see `data/LICENSE-VADER.txt`.
pub(crate) const VADER_LEXICON: &str = include_str!("../../data/vader_lexicon.tsv");
/// The VADER 3.3.2 emoji lexicon (emoji and textual description), MIT.
pub(crate) const EMOJI_LEXICON: &str = include_str!("../../data/emoji_utf8_lexicon.tsv");
/// earful's customer-service layer.
pub(crate) const CUSTOMER_SERVICE_LEXICON: &str =
    include_str!("../../data/customer-service.lexicon.tsv");
/// Cue words for the sarcasm and complaint-question rules.
pub(crate) const CUES: &str = include_str!("../../data/cues.tsv");

/// An error reading or parsing a lexicon file; it names the file and, for syntax errors, the
/// line.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The file could not be read.
    #[error("reading lexicon {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A line is not `token<TAB>valence`.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
}

/// Which layer an entry came from; shown by `Analyzer::explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layer {
    Vader,
    CustomerService,
    User,
}

impl Layer {
    pub(crate) fn rule(self) -> &'static str {
        match self {
            Layer::Vader => "lexicon",
            Layer::CustomerService => "customer-service",
            Layer::User => "user-lexicon",
        }
    }
}

/// A phrase as its lower-cased words.
pub(crate) type Words = Box<[Box<str>]>;
/// First word -> phrases starting with it, longest first.
pub(crate) type PhraseIndex = FxHashMap<Box<str>, Vec<Words>>;

/// One lexicon entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Entry {
    pub(crate) valence: f64,
    pub(crate) layer: Layer,
}

/// Token and phrase valences, with an index of multi-word phrases by their first word.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    entries: FxHashMap<Box<str>, Entry>,
    /// First word -> phrases (as word lists) starting with it, longest first.
    phrases: PhraseIndex,
}

impl Lexicon {
    /// Looks up a lower-cased token or phrase (words separated by single spaces).
    #[cfg(test)]
    pub(crate) fn get(&self, key: &str) -> Option<Entry> {
        self.entries.get(key).copied()
    }

    /// Phrases that start with `first`, longest first.
    #[inline]
    pub(crate) fn phrases_starting_with(&self, first: &str) -> &[Words] {
        self.phrases.get(first).map_or(&[], |v| v.as_slice())
    }

    /// The first words of multi-word phrases.
    pub(crate) fn phrase_first_words(&self) -> impl Iterator<Item = &str> {
        self.phrases.keys().map(|k| &**k)
    }

    /// All entries, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, Entry)> {
        self.entries.iter().map(|(k, e)| (&**k, *e))
    }

    /// Whether any multi-word phrase is known.
    pub(crate) fn has_phrases(&self) -> bool {
        !self.phrases.is_empty()
    }

    /// Adds or replaces an entry. `key` must already be normalised (see [`normalize_key`]).
    pub(crate) fn insert(&mut self, key: String, entry: Entry) {
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() > 1 {
            let list = self.phrases.entry(words[0].into()).or_default();
            if !list
                .iter()
                .any(|p| p.len() == words.len() && p.iter().zip(&words).all(|(a, b)| &**a == *b))
            {
                list.push(words.iter().map(|w| Box::from(*w)).collect());
                list.sort_by_key(|p| std::cmp::Reverse(p.len()));
            }
        }
        self.entries.insert(key.into_boxed_str(), entry);
    }

    /// Parses `token<TAB>valence` lines from `text` and adds them as `layer`. Extra columns
    /// are ignored, so VADER's own lexicon file with its rating columns is accepted too.
    pub(crate) fn add_tsv(
        &mut self,
        path: &Path,
        text: &str,
        layer: Layer,
    ) -> Result<(), LexiconError> {
        for (n, line) in text.lines().enumerate() {
            if let Some((key, valence)) =
                parse_line(line).map_err(|message| LexiconError::Parse {
                    path: path.to_path_buf(),
                    line: n + 1,
                    message,
                })?
            {
                // vaderSentiment looks tokens up lower-cased, so its few entries with capitals
                // (":P", "O_o") can never match; leave them out to score as it does.
                if layer == Layer::Vader
                    && line
                        .chars()
                        .take_while(|&c| c != '\t')
                        .any(char::is_uppercase)
                {
                    continue;
                }
                self.insert(key, Entry { valence, layer });
            }
        }
        Ok(())
    }

    /// The built-in lexicon: VADER, plus the customer-service layer unless `vader_only`.
    pub(crate) fn built_in(vader_only: bool) -> Lexicon {
        let mut lex = Lexicon::default();
        lex.add_tsv(
            Path::new("data/vader_lexicon.tsv"),
            VADER_LEXICON,
            Layer::Vader,
        )
        .expect("the built-in VADER lexicon parses");
        if !vader_only {
            lex.add_tsv(
                Path::new("data/customer-service.lexicon.tsv"),
                CUSTOMER_SERVICE_LEXICON,
                Layer::CustomerService,
            )
            .expect("the built-in customer-service lexicon parses");
        }
        lex
    }
}

/// Lower-cases a token or phrase and joins its words with single spaces.
pub(crate) fn normalize_key(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// Parses one lexicon line: `Ok(None)` for blank and comment lines.
fn parse_line(line: &str) -> Result<Option<(String, f64)>, String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let mut fields = line.split('\t');
    let token = fields.next().unwrap_or_default();
    let Some(valence) = fields.next() else {
        return Err(format!(
            "expected token<TAB>valence, found {:?}",
            truncate(line)
        ));
    };
    let key = normalize_key(token);
    if key.is_empty() {
        return Err("empty token".to_string());
    }
    let valence = valence.trim();
    let value: f64 = valence
        .parse()
        .map_err(|_| format!("invalid valence {:?} for {:?}", truncate(valence), key))?;
    if !value.is_finite() {
        return Err(format!("valence for {key:?} is not a finite number"));
    }
    Ok(Some((key, value)))
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Emoji (one code point) -> textual description, from VADER's emoji lexicon.
pub(crate) fn emoji_map() -> FxHashMap<char, Box<str>> {
    let mut map = FxHashMap::default();
    for line in EMOJI_LEXICON.lines() {
        let mut fields = line.split('\t');
        let (Some(emoji), Some(desc)) = (fields.next(), fields.next()) else {
            continue;
        };
        let mut chars = emoji.chars();
        // vaderSentiment compares the text one code point at a time, so only one-code-point
        // entries can ever match.
        if let (Some(c), None) = (chars.next(), chars.next()) {
            map.insert(c, Box::from(desc.trim()));
        }
    }
    map
}

/// The kinds of cue in `data/cues.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueKind {
    SarcasmOpener,
    SarcasmMarker,
    SarcasmContext,
    ClauseBreak,
    QuestionCue,
    ComplaintMarker,
    LikeSubject,
    LikeAdverb,
    Irrealis,
}

impl fmt::Display for CueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CueKind::SarcasmOpener => "sarcasm_opener",
            CueKind::SarcasmMarker => "sarcasm_marker",
            CueKind::SarcasmContext => "sarcasm_context",
            CueKind::ClauseBreak => "clause_break",
            CueKind::QuestionCue => "question_cue",
            CueKind::ComplaintMarker => "complaint_marker",
            CueKind::LikeSubject => "like_subject",
            CueKind::LikeAdverb => "like_adverb",
            CueKind::Irrealis => "irrealis",
        })
    }
}

/// Cue phrases by kind, as lower-cased word lists.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cues {
    pub(crate) by_kind: Vec<(CueKind, Words)>,
}

impl Cues {
    pub(crate) fn built_in() -> Cues {
        Cues::parse(CUES).expect("the built-in cue file parses")
    }

    fn parse(text: &str) -> Result<Cues, String> {
        let mut by_kind = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let (kind, phrase) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: expected kind<TAB>phrase", n + 1))?;
            let kind = match kind.trim() {
                "sarcasm_opener" => CueKind::SarcasmOpener,
                "sarcasm_marker" => CueKind::SarcasmMarker,
                "sarcasm_context" => CueKind::SarcasmContext,
                "clause_break" => CueKind::ClauseBreak,
                "question_cue" => CueKind::QuestionCue,
                "complaint_marker" => CueKind::ComplaintMarker,
                "like_subject" => CueKind::LikeSubject,
                "like_adverb" => CueKind::LikeAdverb,
                "irrealis" => CueKind::Irrealis,
                other => return Err(format!("line {}: unknown cue kind {other:?}", n + 1)),
            };
            let key = normalize_key(phrase);
            if key.is_empty() {
                return Err(format!("line {}: empty phrase", n + 1));
            }
            by_kind.push((kind, key.split(' ').map(Box::from).collect()));
        }
        Ok(Cues { by_kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_lexicons_parse() {
        let vader = Lexicon::built_in(true);
        assert_eq!(vader.get("great").map(|e| e.valence), Some(3.1));
        // vaderSentiment keeps the last of duplicate entries.
        assert_eq!(vader.get("lol").map(|e| e.valence), Some(1.8));
        let full = Lexicon::built_in(false);
        let delayed = full.get("delayed").unwrap();
        assert_eq!(delayed.layer, Layer::CustomerService);
        assert!(full.get("on hold").is_some());
        assert!(
            full.phrases_starting_with("on")
                .iter()
                .any(|p| p.len() == 2 && &*p[1] == "hold")
        );
        assert!(!Cues::built_in().by_kind.is_empty());
    }

    #[test]
    fn emoji_map_has_only_non_ascii_keys() {
        let map = emoji_map();
        assert!(map.len() > 1000);
        assert!(map.keys().all(|c| !c.is_ascii()));
        assert_eq!(map.get(&'😀').map(|d| &**d), Some("grinning face"));
    }

    #[test]
    fn phrases_are_indexed_longest_first() {
        let mut lex = Lexicon::default();
        let e = Entry {
            valence: -1.0,
            layer: Layer::User,
        };
        lex.insert("on hold".into(), e);
        lex.insert("on hold again".into(), e);
        lex.insert("on hold".into(), e);
        let p = lex.phrases_starting_with("on");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].len(), 3);
    }

    #[test]
    fn parse_lines() {
        type Case<'a> = (&'a str, Result<Option<(&'a str, f64)>, &'a str>);
        let cases: &[Case] = &[
            ("", Ok(None)),
            ("   ", Ok(None)),
            ("# comment\tx", Ok(None)),
            ("  # indented comment", Ok(None)),
            ("good\t1.5", Ok(Some(("good", 1.5)))),
            ("Good\t1.5\r", Ok(Some(("good", 1.5)))),
            ("On  Hold\t-2", Ok(Some(("on hold", -2.0)))),
            ("x\t-0.5\t0.3\t[1, 2]", Ok(Some(("x", -0.5)))),
            ("nothab 1.0", Err("expected token<TAB>valence")),
            ("\t1.0", Err("empty token")),
            ("bad\tone", Err("invalid valence")),
            ("bad\tNaN", Err("not a finite number")),
            ("bad\tinf", Err("not a finite number")),
        ];
        for (line, want) in cases {
            let got = parse_line(line);
            match (got, want) {
                (Ok(g), Ok(w)) => {
                    assert_eq!(g, w.map(|(k, v)| (k.to_string(), v)), "line {line:?}")
                }
                (Err(g), Err(w)) => assert!(g.contains(w), "line {line:?}: {g}"),
                (g, w) => panic!("line {line:?}: got {g:?}, want {w:?}"),
            }
        }
    }

    #[test]
    fn parse_error_names_file_and_line() {
        let mut lex = Lexicon::default();
        let err = lex
            .add_tsv(
                Path::new("my.tsv"),
                "# c\nok\t1\nbroken line\n",
                Layer::User,
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "my.tsv:3: expected token<TAB>valence, found \"broken line\""
        );
        assert!(matches!(err, LexiconError::Parse { line: 3, .. }));
    }

    #[test]
    fn cue_file_errors() {
        assert!(
            Cues::parse("nope\tx")
                .unwrap_err()
                .contains("unknown cue kind")
        );
        assert!(Cues::parse("why").unwrap_err().contains("line 1"));
    }
}
