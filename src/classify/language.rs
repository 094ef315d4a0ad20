//! Language detection for mentions that do not say their language (whatlang, offline).

/// The ISO 639-1 code of the language of `text`, when whatlang is confident about it.
///
/// Short texts (a few words) are often unreliable; then the answer is `None` rather than a
/// guess.
pub fn detect(text: &str) -> Option<&'static str> {
    if clearly_english(text) {
        return Some("en");
    }
    let info = whatlang::detect(text)?;
    if !info.is_reliable() {
        return None;
    }
    iso639_1(info.lang().code())
}

/// English function words that are not words of other languages written in Latin
/// letters (so not "is", "of", "to", "me", "was", "will", "in", "die"), sorted.
const ENGLISH: [&str; 56] = [
    "about", "again", "and", "any", "are", "been", "but", "can't", "could", "didn't", "doesn't",
    "don't", "for", "from", "get", "got", "has", "have", "haven't", "how", "i'd", "i'll", "i'm",
    "i've", "isn't", "it", "it's", "just", "my", "not", "our", "please", "should", "still",
    "thank", "thanks", "that", "that's", "the", "their", "there", "there's", "they", "this",
    "wasn't", "we're", "what", "what's", "when", "why", "with", "won't", "would", "you", "you're",
    "your",
];

/// A fast answer for the common case, before the trigram model (which compares the text
/// with every profile of its script: about 100 µs per text, whatever its length): no
/// letters outside ASCII, and at least two English function words making up at least a
/// tenth of the words.
fn clearly_english(text: &str) -> bool {
    if text.chars().any(|c| !c.is_ascii() && c.is_alphabetic()) {
        return false;
    }
    let (mut words, mut hits) = (0usize, 0usize);
    let mut buf = [0u8; 8];
    let is_word = |b: u8| b.is_ascii_alphabetic() || b == b'\'';
    for word in text.as_bytes().split(|&b| !is_word(b)) {
        if word.is_empty() {
            continue;
        }
        words += 1;
        if word.len() <= buf.len() {
            let w = &mut buf[..word.len()];
            w.copy_from_slice(word);
            w.make_ascii_lowercase();
            let w = std::str::from_utf8(w).unwrap_or("");
            hits += usize::from(ENGLISH.binary_search(&w).is_ok());
        }
    }
    hits >= 2 && hits * 10 >= words
}

/// True when a language tag (`en`, `en-GB`, `eng`) names `lang` (a two-letter code).
pub fn is(tag: &str, lang: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or(tag);
    primary.eq_ignore_ascii_case(lang)
        || iso639_1(&primary.to_ascii_lowercase()).is_some_and(|code| code == lang)
}

/// Maps whatlang's ISO 639-3 codes to ISO 639-1.
fn iso639_1(code: &str) -> Option<&'static str> {
    const CODES: [(&str, &str); 69] = [
        ("afr", "af"),
        ("aka", "ak"),
        ("amh", "am"),
        ("ara", "ar"),
        ("aze", "az"),
        ("bel", "be"),
        ("ben", "bn"),
        ("bul", "bg"),
        ("cat", "ca"),
        ("ces", "cs"),
        ("cmn", "zh"),
        ("cym", "cy"),
        ("dan", "da"),
        ("deu", "de"),
        ("ell", "el"),
        ("eng", "en"),
        ("epo", "eo"),
        ("est", "et"),
        ("fin", "fi"),
        ("fra", "fr"),
        ("guj", "gu"),
        ("heb", "he"),
        ("hin", "hi"),
        ("hrv", "hr"),
        ("hun", "hu"),
        ("hye", "hy"),
        ("ind", "id"),
        ("ita", "it"),
        ("jav", "jv"),
        ("jpn", "ja"),
        ("kan", "kn"),
        ("kat", "ka"),
        ("khm", "km"),
        ("kor", "ko"),
        ("lat", "la"),
        ("lav", "lv"),
        ("lit", "lt"),
        ("mal", "ml"),
        ("mar", "mr"),
        ("mkd", "mk"),
        ("mya", "my"),
        ("nep", "ne"),
        ("nld", "nl"),
        ("nob", "nb"),
        ("ori", "or"),
        ("pan", "pa"),
        ("pes", "fa"),
        ("pol", "pl"),
        ("por", "pt"),
        ("ron", "ro"),
        ("rus", "ru"),
        ("sin", "si"),
        ("slk", "sk"),
        ("slv", "sl"),
        ("sna", "sn"),
        ("spa", "es"),
        ("srp", "sr"),
        ("swe", "sv"),
        ("tam", "ta"),
        ("tel", "te"),
        ("tgl", "tl"),
        ("tha", "th"),
        ("tuk", "tk"),
        ("tur", "tr"),
        ("ukr", "uk"),
        ("urd", "ur"),
        ("uzb", "uz"),
        ("vie", "vi"),
        ("zul", "zu"),
    ];
    CODES
        .iter()
        .find(|(three, _)| *three == code)
        .map(|(_, two)| *two)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_clear_cases_and_declines_short_ones() {
        assert_eq!(
            detect(
                "Llevo dos horas esperando en la tienda y nadie me atiende, qué vergüenza de servicio"
            ),
            Some("es")
        );
        assert_eq!(
            detect("My phone has had no signal since the update and support keeps me on hold"),
            Some("en")
        );
        assert_eq!(detect("ok"), None);
    }

    #[test]
    fn english_fast_path() {
        assert!(ENGLISH.windows(2).all(|w| w[0] < w[1]), "ENGLISH is sorted");
        assert!(clearly_english(
            "@united my flight was cancelled and I have been waiting for 3 hours"
        ));
        assert!(clearly_english("Thanks for the help, it's working now 👍"));
        // Too few English words, other languages, other scripts: the model decides.
        assert!(!clearly_english("@united thanks!"));
        assert!(!clearly_english(
            "Das ist der beste Flug, den ich je hatte, aber the food war kalt und das Personal unfreundlich"
        ));
        assert!(!clearly_english(
            "Muy mal servicio, the worst, qué vergüenza"
        ));
        assert_eq!(
            detect("Das ist der beste Flug den ich je hatte"),
            Some("de")
        );
    }

    #[test]
    fn tags_compare_by_primary_language() {
        assert!(is("en", "en"));
        assert!(is("en-GB", "en"));
        assert!(is("eng", "en"));
        assert!(!is("es", "en"));
        assert!(!is("und", "en"));
    }
}
