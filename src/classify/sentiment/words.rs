//! What the analyzer knows about each lower-cased word, found with one hash lookup.

use rustc_hash::FxHashMap;

use super::tables::{B_DECR, B_INCR};
use crate::classify::lexicon::{Entry, Layer};

/// What the analyzer knows about one lower-cased word.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct WordInfo {
    pub(super) entry: Option<Entry>,
    pub(super) booster: Option<f64>,
    pub(super) negation: bool,
    /// The first word of a multi-word lexicon phrase, cue phrase or brand name.
    pub(super) phrase_start: bool,
    pub(super) cue_start: bool,
    pub(super) brand_start: bool,
    /// The first word of an entry of [`SPECIAL_CASES`] or [`BOOSTER_NGRAMS`].
    pub(super) idiom_start: bool,
}

/// [`WordInfo`] in 16 bytes, so that the map's buckets take 32 bytes: the lexicon's table
/// then stays in the caches, where lookups of the text's words go at every token.
#[derive(Debug, Clone, Copy, Default)]
struct PackedInfo {
    valence: f64,
    /// `None`: no lexicon entry.
    layer: Option<Layer>,
    /// 1 for a booster ([`B_INCR`]), -1 for a dampener ([`B_DECR`]).
    booster: i8,
    flags: u8,
}

const NEGATION: u8 = 1;
const PHRASE_START: u8 = 2;
const CUE_START: u8 = 4;
const BRAND_START: u8 = 8;
const IDIOM_START: u8 = 16;

impl PackedInfo {
    fn pack(info: WordInfo) -> PackedInfo {
        let flag = |on: bool, bit: u8| if on { bit } else { 0 };
        PackedInfo {
            valence: info.entry.map_or(0.0, |e| e.valence),
            layer: info.entry.map(|e| e.layer),
            booster: match info.booster {
                None => 0,
                Some(b) if b == B_INCR => 1,
                Some(b) if b == B_DECR => -1,
                Some(b) => unreachable!("booster {b} is neither B_INCR nor B_DECR"),
            },
            flags: flag(info.negation, NEGATION)
                | flag(info.phrase_start, PHRASE_START)
                | flag(info.cue_start, CUE_START)
                | flag(info.brand_start, BRAND_START)
                | flag(info.idiom_start, IDIOM_START),
        }
    }

    #[inline]
    fn unpack(self) -> WordInfo {
        WordInfo {
            entry: self.layer.map(|layer| Entry {
                valence: self.valence,
                layer,
            }),
            booster: match self.booster {
                0 => None,
                1 => Some(B_INCR),
                _ => Some(B_DECR),
            },
            negation: self.flags & NEGATION != 0,
            phrase_start: self.flags & PHRASE_START != 0,
            cue_start: self.flags & CUE_START != 0,
            brand_start: self.flags & BRAND_START != 0,
            idiom_start: self.flags & IDIOM_START != 0,
        }
    }
}

/// Word -> [`WordInfo`]. Words of up to 15 bytes (nearly all) are packed into a `u128`
/// key, so a lookup hashes two machine words and never follows a pointer to compare keys.
#[derive(Debug, Clone, Default)]
pub(super) struct WordMap {
    short: FxHashMap<u128, PackedInfo>,
    long: FxHashMap<Box<[u8]>, PackedInfo>,
}

impl WordMap {
    /// Packs bytes (little-endian) and length (in the top byte), so "a" and "a\0" differ.
    /// Reads the bytes with a few overlapping loads: copying them into a buffer and loading
    /// it back stalls the processor (the small stores cannot be forwarded to the load).
    #[inline]
    fn pack(b: &[u8]) -> Option<u128> {
        let n = b.len();
        let le64 = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        let le32 = |i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().unwrap()));
        let (lo, hi) = match n {
            0 => (0, 0),
            1..=3 => {
                let byte = |i: usize| u64::from(b[i]) << (8 * i);
                (byte(0) | byte(n / 2) | byte(n - 1), 0)
            }
            4..=7 => (le32(0) | le32(n - 4) << (8 * (n - 4)), 0),
            8 => (le64(0), 0),
            9..=15 => (le64(0), le64(n - 8) >> (8 * (16 - n))),
            _ => return None,
        };
        Some(u128::from(lo) | u128::from(hi) << 64 | (n as u128) << 120)
    }

    /// What is known about `word` (bytes of a string: callers slice their buffers as
    /// bytes, which spares the character-boundary checks of slicing a `str`).
    #[inline]
    pub(super) fn get(&self, word: &[u8]) -> Option<WordInfo> {
        let packed = match Self::pack(word) {
            Some(key) => self.short.get(&key),
            None => self.long.get(word),
        };
        packed.map(|p| p.unpack())
    }

    /// Changes what is known about `word`.
    pub(super) fn update(&mut self, word: &str, change: impl FnOnce(&mut WordInfo)) {
        let slot = match Self::pack(word.as_bytes()) {
            Some(key) => self.short.entry(key).or_default(),
            None => self.long.entry(word.as_bytes().into()).or_default(),
        };
        let mut info = slot.unpack();
        change(&mut info);
        *slot = PackedInfo::pack(info);
    }
}

#[cfg(test)]
mod tests {
    use super::WordMap;

    #[test]
    fn word_keys_pack_bytes_and_length() {
        let reference = |w: &str| {
            let mut buf = [0u8; 16];
            buf[..w.len()].copy_from_slice(w.as_bytes());
            buf[15] = w.len() as u8;
            u128::from_le_bytes(buf)
        };
        let word = "abcdefghijklmnopq";
        for n in 0..=15 {
            let w = &word[..n];
            assert_eq!(WordMap::pack(w.as_bytes()), Some(reference(w)), "{w:?}");
            // A zero byte is a byte like any other.
            let z = format!("{}\0", &word[..n.saturating_sub(1)]);
            assert_eq!(WordMap::pack(z.as_bytes()), Some(reference(&z)), "{z:?}");
        }
        assert_eq!(WordMap::pack(&word.as_bytes()[..16]), None);
    }
}
