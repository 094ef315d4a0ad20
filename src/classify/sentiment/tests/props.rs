//! Properties over arbitrary text: no panics, scores in range, and the ASCII path agrees
//! with the general one.

use proptest::prelude::*;

use super::super::Buffers;
use super::{airline, ours, vader};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn never_panics_and_stays_in_range(text in "\\PC{0,200}") {
        for a in [ours(), vader(), airline()] {
            let s = a.score(&text);
            prop_assert!((-1.0..=1.0).contains(&s.compound));
            for x in [s.pos, s.neg, s.neu] {
                prop_assert!((0.0..=1.0).contains(&x));
            }
            prop_assert_eq!(s, a.score(&text));
            prop_assert_eq!(s, a.explain(&text).0);
        }
    }

    #[test]
    fn ascii_path_agrees_with_general_path(
        words in proptest::collection::vec(
            prop_oneof![
                "[ -~]{1,12}",
                prop::sample::select(vec![
                    "not", "don't", "no", "but", "GREAT", "Great", "sooo", "goooood",
                    "colour", "apologise", "@united", "http://x.co", "www.x.com", ":)",
                    ":D", "ok!", "ok,thanks", "delayed...again", "U.S.", "#fail", "on",
                    "hold", "thanks", "for", "nothing", "?", "!", "kind", "of", "least",
                    "shouldn't've", "Wouldn't've", "good", "bad", "love", "like", "i",
                ]).prop_map(String::from),
            ],
            0..30,
        ),
        seps in proptest::collection::vec(prop::sample::select(vec![" ", "  ", "\t", "\n", "\r\n"]), 30),
    ) {
        let mut text = String::new();
        for (w, sep) in words.iter().zip(&seps) {
            text.push_str(w);
            text.push_str(sep);
        }
        for a in [ours(), vader(), airline()] {
            let mut general = Buffers { general: true, ..Buffers::default() };
            let (mut slow_trace, mut fast_trace) = (Vec::new(), Vec::new());
            let slow = a.run(&text, &mut general, &mut slow_trace);
            let fast = a.run(&text, &mut Buffers::default(), &mut fast_trace);
            prop_assert_eq!(fast, slow);
            prop_assert_eq!(fast_trace, slow_trace);
        }
    }

    #[test]
    fn word_soup_never_panics(words in proptest::collection::vec(
        prop::sample::select(vec![
            "not", "no", "but", "great", "GREAT", "delay", "on", "hold", "why", "?", "!",
            "kind", "of", "least", "at", "very", "@united", "United", "like", "I", "would",
            "thanks", "for", "nothing", "another", ":)", "😀", "never", "so", "this",
            "the", "shit", "yeah", "right", "http://x", ".", ",",
        ]),
        0..40,
    )) {
        let text = words.join(" ");
        for a in [ours(), vader(), airline()] {
            let s = a.score(&text);
            prop_assert!((-1.0..=1.0).contains(&s.compound));
            prop_assert_eq!(s, a.score(&text));
        }
    }
}
