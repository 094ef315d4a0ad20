//! Language detection for mentions that do not say their language (whatlang, offline).

/// The ISO 639-1 code of the language of `text`, when whatlang is confident about it.
///
/// Short texts (a few words) are often unreliable; then the answer is `None` rather than a
/// guess.
pub fn detect(text: &str) -> Option<&'static str> {
    let info = whatlang::detect(text)?;
    if !info.is_reliable() {
        return None;
    }
    iso639_1(info.lang().code())
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
    fn tags_compare_by_primary_language() {
        assert!(is("en", "en"));
        assert!(is("en-GB", "en"));
        assert!(is("eng", "en"));
        assert!(!is("es", "en"));
        assert!(!is("und", "en"));
    }
}
