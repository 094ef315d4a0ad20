//! The one way the report writes HTML: a small builder whose tag and attribute names are
//! `&'static str` (written by us, never by a mention) and whose every text and attribute
//! value is escaped. A link target is an [`HttpUrl`], checked to be http(s); there is no
//! method that writes a string from a mention without escaping it.

use std::fmt;

/// A URL checked to be absolute http or https, with no characters that need quoting.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HttpUrl(String);

impl HttpUrl {
    /// `None` for anything but an `http://` or `https://` URL with a host (so `javascript:`,
    /// `data:` and relative links are refused).
    pub fn parse(s: &str) -> Option<HttpUrl> {
        let s = s.trim();
        let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            &s[8..]
        } else if lower.starts_with("http://") {
            &s[7..]
        } else {
            return None;
        };
        let host_ok = rest
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '[');
        let clean = !s
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '"' | '<' | '>' | '`'));
        (host_ok && clean).then(|| HttpUrl(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Appends `s` to `out` with `& < > " '` escaped (safe in text and in quoted attributes).
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// An HTML (and inline SVG) document under construction.
#[derive(Debug, Default)]
pub struct Html {
    out: String,
    open: Vec<&'static str>,
}

impl Html {
    pub fn new() -> Html {
        Html::default()
    }

    /// Markup we wrote ourselves (the doctype, the style sheet): only a `'static` string.
    pub fn trusted(&mut self, markup: &'static str) -> &mut Self {
        self.out.push_str(markup);
        self
    }

    /// Opens `<tag attr="value"...>`; every value is escaped.
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.start_tag(tag, attrs);
        self.open.push(tag);
        self
    }

    /// A void or self-closed element (`<meta />`, `<line />`: SVG needs the slash).
    pub fn void(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.start_tag(tag, attrs);
        self.out.insert(self.out.len() - 1, '/');
        self
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) -> &mut Self {
        if let Some(tag) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push('>');
        }
        self
    }

    /// Escaped text.
    pub fn text(&mut self, s: &str) -> &mut Self {
        escape_into(&mut self.out, s);
        self
    }

    /// `<tag attrs>text</tag>`.
    pub fn elem(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, &str)],
        text: &str,
    ) -> &mut Self {
        self.open(tag, attrs).text(text).close()
    }

    /// A link to a checked URL, opened without a referrer.
    pub fn link(&mut self, url: &HttpUrl, text: &str) -> &mut Self {
        self.elem(
            "a",
            &[
                ("href", url.as_str()),
                ("rel", "noopener noreferrer nofollow"),
            ],
            text,
        )
    }

    /// The document, every element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }

    fn start_tag(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            debug_assert!(*name != "href" || HttpUrl::parse(value).is_some());
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_http_urls_pass() {
        assert!(HttpUrl::parse("https://x.com/a?b=1&c=2").is_some());
        assert!(HttpUrl::parse("HTTP://example.org").is_some());
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<b>",
            "//evil.example",
            "/relative",
            "https://",
            "https://a.b/\"onmouseover=x",
            "https://a.b/<script>",
            " https://a b",
        ] {
            assert_eq!(HttpUrl::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut h = Html::new();
        h.elem(
            "p",
            &[("title", "\"><script>")],
            "<img src=x onerror=alert(1)>&",
        );
        assert_eq!(
            h.finish(),
            "<p title=\"&quot;&gt;&lt;script&gt;\">&lt;img src=x onerror=alert(1)&gt;&amp;</p>"
        );
    }

    proptest! {
        /// No text, however hostile, opens a tag or ends an attribute.
        #[test]
        fn escaped_text_has_no_markup(s in ".*") {
            let mut h = Html::new();
            h.elem("p", &[("title", &s)], &s);
            let out = h.finish();
            prop_assert_eq!(out.matches('<').count(), 2);
            prop_assert_eq!(out.matches('>').count(), 2);
            prop_assert_eq!(out.matches('"').count(), 2);
        }
    }
}
