//! A lazy, borrowed view of one JSON object: the members are split once, each value stays
//! raw text until a normaliser asks for it. Parsing a tweet this way allocates almost
//! nothing for the (many) fields earful does not read.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// One JSON object, its members borrowed from the source text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Obj<'a> {
    members: Vec<(Cow<'a, str>, &'a RawValue)>,
}

#[derive(serde::Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Obj<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Obj<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Obj<'a>, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some((Key(k), v)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    members.push((k, v));
                }
                Ok(Obj { members })
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl<'a> Obj<'a> {
    /// Parses `json`, which must be one object.
    pub fn parse(json: &'a str) -> Result<Obj<'a>, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The object in `raw`, if it is one.
    pub fn from_raw(raw: &'a RawValue) -> Option<Obj<'a>> {
        if raw.get().starts_with('{') {
            Obj::parse(raw.get()).ok()
        } else {
            None
        }
    }

    /// Member names, in document order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(k, _)| k.as_ref())
    }

    /// Members, in document order.
    pub fn members(&self) -> impl Iterator<Item = (&str, &'a RawValue)> {
        self.members.iter().map(|(k, v)| (k.as_ref(), *v))
    }

    /// The raw value of `key` (the first occurrence), `null` included.
    pub fn raw(&self, key: &str) -> Option<&'a RawValue> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// True when `key` is present and not `null`.
    pub fn has(&self, key: &str) -> bool {
        self.raw(key).is_some_and(|v| v.get() != "null")
    }

    /// The string value of `key`; `None` for other types and empty strings.
    pub fn str(&self, key: &str) -> Option<Cow<'a, str>> {
        self.raw(key).and_then(raw_str)
    }

    /// An id: a string, or an integer written as its exact decimal digits.
    pub fn id(&self, key: &str) -> Option<String> {
        self.raw(key).and_then(raw_id)
    }

    /// A count: a non-negative integer, given as a number or as a string of digits.
    pub fn count(&self, key: &str) -> Option<u64> {
        self.raw(key).and_then(raw_count)
    }

    /// A boolean.
    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.raw(key)?.get() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// The object value of `key`.
    pub fn obj(&self, key: &str) -> Option<Obj<'a>> {
        self.raw(key).and_then(Obj::from_raw)
    }

    /// The elements of the array value of `key` (empty when absent or not an array).
    pub fn arr(&self, key: &str) -> Vec<&'a RawValue> {
        self.raw(key).map(raw_arr).unwrap_or_default()
    }

    /// The raw value at a dotted path (`user.screen_name`, `entities.urls.0.url`). A key
    /// that itself contains dots (`author.name` in twarc-csv style JSON) is tried whole first.
    pub fn path(&self, path: &str) -> Option<&'a RawValue> {
        if let Some(v) = self.raw(path) {
            return Some(v);
        }
        let (head, rest) = path.split_once('.')?;
        let next = self.raw(head)?;
        if let Some(obj) = Obj::from_raw(next) {
            return obj.path(rest);
        }
        if next.get().starts_with('[') {
            let (index, rest) = rest
                .split_once('.')
                .map_or((rest, None), |(i, r)| (i, Some(r)));
            let elem = *raw_arr(next).get(index.parse::<usize>().ok()?)?;
            return match rest {
                None => Some(elem),
                Some(rest) => Obj::from_raw(elem)?.path(rest),
            };
        }
        None
    }
}

/// A JSON string value; `None` for other types and for empty strings.
pub(crate) fn raw_str(raw: &RawValue) -> Option<Cow<'_, str>> {
    if !raw.get().starts_with('"') {
        return None;
    }
    let Key(s) = serde_json::from_str::<Key>(raw.get()).ok()?;
    (!s.is_empty()).then_some(s)
}

/// A string or integer as exact decimal text (never through a float).
pub(crate) fn raw_id(raw: &RawValue) -> Option<String> {
    let text = raw.get();
    if text.starts_with('"') {
        return raw_str(raw)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| text.to_owned())
}

/// A count from a number (`3`, `3.0`) or a string (`"3"`, `"1,234"`).
pub(crate) fn raw_count(raw: &RawValue) -> Option<u64> {
    let text = raw.get();
    if text.starts_with('"') {
        return parse_count(&raw_str(raw)?);
    }
    parse_count(text)
}

/// Parses a count written as digits, with optional thousands separators or a fraction.
pub(crate) fn parse_count(s: &str) -> Option<u64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<u64>() {
        return Some(n);
    }
    let cleaned: String = s.chars().filter(|c| *c != ',' && *c != '_').collect();
    if let Ok(n) = cleaned.parse::<u64>() {
        return Some(n);
    }
    let f = cleaned.parse::<f64>().ok()?;
    (f.is_finite() && (0.0..1.8e19).contains(&f)).then(|| f.round() as u64)
}

/// The elements of a JSON array (empty for anything else).
pub(crate) fn raw_arr(raw: &RawValue) -> Vec<&RawValue> {
    if !raw.get().starts_with('[') {
        return Vec::new();
    }
    serde_json::from_str(raw.get()).unwrap_or_default()
}

/// The strings of a JSON array of strings (other elements skipped).
pub(crate) fn raw_strs(raw: &RawValue) -> Vec<String> {
    raw_arr(raw)
        .into_iter()
        .filter_map(raw_str)
        .map(Cow::into_owned)
        .collect()
}

/// Any scalar as text: strings as they are, numbers and booleans as written.
pub(crate) fn raw_scalar(raw: &RawValue) -> Option<String> {
    let text = raw.get();
    match text.as_bytes().first()? {
        b'"' => raw_str(raw).map(Cow::into_owned),
        b'{' | b'[' | b'n' => None,
        _ => Some(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_members_lazily() {
        let json = r#"{"id":1614695471923216384,"id_str":"7","n":"1,234","s":"caf\u00e9","o":{"a":[{"b":"x"}]},"e":"","z":null}"#;
        let o = Obj::parse(json).unwrap();
        assert_eq!(o.id("id").as_deref(), Some("1614695471923216384"));
        assert_eq!(o.id("id_str").as_deref(), Some("7"));
        assert_eq!(o.count("n"), Some(1234));
        assert_eq!(o.str("s").as_deref(), Some("café"));
        assert_eq!(o.str("e"), None);
        assert!(!o.has("z"));
        assert_eq!(raw_str(o.path("o.a.0.b").unwrap()).as_deref(), Some("x"));
        assert!(o.path("o.a.1.b").is_none());
        assert!(o.path("o.a.x").is_none());
    }

    #[test]
    fn ids_never_go_through_floats() {
        let o = Obj::parse(r#"{"a":12345678901234567891,"b":1.5e3,"c":-3}"#).unwrap();
        assert_eq!(o.id("a").as_deref(), Some("12345678901234567891"));
        assert_eq!(o.id("b"), None);
        assert_eq!(o.id("c").as_deref(), Some("-3"));
    }
}
