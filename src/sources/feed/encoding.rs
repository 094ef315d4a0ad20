//! Character encodings: turn the bytes of a feed into UTF-8 before parsing.
//!
//! The order follows what feedparser does in practice: a byte order mark wins; then the
//! charset of the HTTP `Content-Type`; then the `encoding` of the XML prolog; then UTF-8;
//! then windows-1252 (which decodes any byte string). A declared encoding that does not
//! decode the bytes cleanly is skipped in favour of the next candidate, so a server that
//! says `charset=utf-8` in front of an ISO-8859-1 document still gives readable text.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Text decoded from a feed, with the name of the encoding that was used.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The document as UTF-8.
    pub text: Cow<'a, str>,
    /// The WHATWG name of the encoding used.
    pub encoding: &'static str,
}

/// Decodes `bytes` to UTF-8. `http_charset` is the `charset` parameter of the HTTP
/// `Content-Type`, if any. Never fails: the last resort is windows-1252.
pub fn decode<'a>(bytes: &'a [u8], http_charset: Option<&str>) -> Decoded<'a> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text,
            encoding: enc.name(),
        };
    }
    // UTF-16 without a BOM: `<?` as 16-bit units.
    if bytes.starts_with(b"\0<\0?") || bytes.starts_with(b"\0<\0") {
        let (text, _) = UTF_16BE.decode_without_bom_handling(bytes);
        return Decoded {
            text,
            encoding: UTF_16BE.name(),
        };
    }
    if bytes.starts_with(b"<\0?\0") || bytes.starts_with(b"<\0") {
        let (text, _) = UTF_16LE.decode_without_bom_handling(bytes);
        return Decoded {
            text,
            encoding: UTF_16LE.name(),
        };
    }
    let declared = prolog_encoding(bytes);
    let candidates = [http_charset, declared.as_deref()];
    for label in candidates.into_iter().flatten() {
        let Some(enc) = Encoding::for_label(label.trim().as_bytes()) else {
            continue;
        };
        // A document that got here has no BOM and is ASCII-compatible; a UTF-16 label
        // on such bytes is wrong (the prolog was readable as ASCII).
        let enc = if enc == UTF_16BE || enc == UTF_16LE {
            UTF_8
        } else {
            enc
        };
        if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
            return Decoded {
                text,
                encoding: enc.name(),
            };
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded {
            text: Cow::Borrowed(s),
            encoding: UTF_8.name(),
        },
        Err(_) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            Decoded {
                text,
                encoding: WINDOWS_1252.name(),
            }
        }
    }
}

/// The `encoding` pseudo-attribute of an XML declaration at the start of `bytes`.
fn prolog_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let start = memchr::memmem::find(head, b"<?xml")?;
    let end = memchr::memmem::find(&head[start..], b"?>").map_or(head.len(), |e| start + e);
    let decl = std::str::from_utf8(&head[start..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let value = &value[..value.find(quote)?];
    Some(value.to_owned())
}

/// The `charset` parameter of a `Content-Type` header value.
pub fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim().eq_ignore_ascii_case("charset").then(|| {
            value
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_owned()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prolog_declares_latin1() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>";
        let d = decode(bytes, None);
        assert!(d.text.contains("café"), "{}", d.text);
    }

    #[test]
    fn windows_1252_is_the_fallback() {
        let d = decode(b"<a>\x93quoted\x94</a>", None);
        assert_eq!(d.text, "<a>\u{201c}quoted\u{201d}</a>");
    }

    #[test]
    fn wrong_http_charset_is_skipped() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>caf\xe9</a>";
        let d = decode(bytes, Some("utf-8"));
        assert!(d.text.contains("café"));
    }

    #[test]
    fn http_charset_beats_the_prolog() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>\xe9</a>";
        let d = decode(bytes, Some("koi8-r"));
        assert_eq!(d.encoding, "KOI8-R");
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let s = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>é</a>";
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let mut with_bom = vec![0xfe, 0xff];
        with_bom.extend(&be);
        assert_eq!(decode(&with_bom, None).text, s);
        assert_eq!(decode(&be, None).text, s);
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&le, None).text, s);
    }

    #[test]
    fn charset_parameter() {
        assert_eq!(
            charset_of("text/xml; Charset=\"ISO-8859-1\"").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(charset_of("text/xml"), None);
    }
}
