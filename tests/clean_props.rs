//! Property tests: cleaning never panics, and cleaning its own output changes nothing.

use newsroom::core::clean::{clean, render_source};
use newsroom::core::furniture::Furniture;
use newsroom::core::ingest::{load_bytes, LoadOptions};
use proptest::prelude::*;

/// Pieces real articles are made of, furniture and traps included.
const PIECES: &[&str] = &[
    "Pakistan",
    "the",
    "army",
    "said",
    "Gen.",
    "Asim",
    "Munir",
    "U.S.",
    "Feb.",
    "21",
    "No.",
    "5",
    "attack",
    "in",
    "Peshawar",
    "on",
    "Tuesday",
    "Tehrik-i-Taliban",
    "(TTP)",
    "“quoted”",
    "—",
    "a",
    "and",
    "of",
    ".",
    ".",
    ".",
    ",",
    "?",
    "!",
    "\n",
    "\n",
    "\n\n",
    "\n\n",
    "- Advertisement -\n",
    "Must Read\n",
    "Please enter your comment!\n",
    "NEWS DESK\n",
    "date 2023-12-13",
    "By Jane Doe\n",
    "Jane Doe\n",
    "The writer is an analyst.",
    "She tweets @someone.",
    "[email\u{a0}protected]",
    "\u{1b}[31m",
    "\u{a0}",
    "日本語",
    "Caught in the crosscurrents of geopolitical competitions, internal strife.",
];

fn article_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..400).prop_map(|pieces| pieces.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn cleaning_never_panics_on_arbitrary_text(s in any::<String>()) {
        let (a, _) = clean(&s, "id", "p", &Furniture::builtin());
        prop_assert_eq!(a.body.clone(), a.paragraphs.join("\n\n"));
        prop_assert!(!a.body.contains(char::from(27)), "escape left in body");
    }

    #[test]
    fn loading_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = load_bytes(&bytes, "p", &LoadOptions::default());
    }

    #[test]
    fn cleaning_is_idempotent_on_its_own_output(s in article_text()) {
        let furniture = Furniture::builtin();
        let (first, _) = clean(&s, "id", "p", &furniture);
        let (second, _) = clean(&render_source(&first), "id", "p", &furniture);
        prop_assert_eq!(first, second);
    }

    #[test]
    fn cleaning_is_idempotent_on_arbitrary_text(s in any::<String>()) {
        let furniture = Furniture::builtin();
        let (first, _) = clean(&s, "id", "p", &furniture);
        let (second, _) = clean(&render_source(&first), "id", "p", &furniture);
        prop_assert_eq!(first, second);
    }
}
