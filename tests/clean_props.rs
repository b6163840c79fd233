//! Property tests: cleaning never panics, and cleaning its own output changes nothing.

use newsroom::core::clean::{clean, clean_document, render_source};
use newsroom::core::document::SourceMeta;
use newsroom::core::furniture::Furniture;
use newsroom::core::ingest::{load_file, LoadOptions};
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
    "Home | Pakistan | World\n",
    "Home > World > Asia\n",
    "Comments (12)\n",
    "12 Comments\n",
    "PESHAWAR:",
    "ISLAMABAD, March 26 (AP) —",
    "---\n",
    "title: \"x\"\n",
    "date: 2024-03-26\n",
    "**",
    "**bold**",
    "[link](http://x.org/a)",
    "![",
    "](",
    "| a | b |\n",
    "|---|---|\n",
    "# ",
    "Updated 26 Mar 2024, 11:02am\n",
    "2024-03-26T06:30:00Z",
    "06:30:00 PKT",
    "Tue, 26 Mar 2024 06:30:00 +0000\n",
    "By Jane Doe | March 26, 2024\n",
    "Tags: a, b\n",
];

/// Source metadata as feeds and front matter give it, odd values included.
fn source_meta() -> impl Strategy<Value = SourceMeta> {
    let text = prop::option::of(prop::sample::select(PIECES).prop_map(str::to_string));
    let date = prop::option::of(
        prop::sample::select(&["2024-03-26", "2024-03-26T06:30:00Z", "soon", ""][..]).prop_map(str::to_string),
    );
    let tags = prop::collection::vec(prop::sample::select(PIECES).prop_map(str::to_string), 0..3);
    (text.clone(), date, text.clone(), text, tags).prop_map(|(title, date, author, url, tags)| SourceMeta {
        title,
        date,
        author,
        url,
        tags,
    })
}

fn article_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..400).prop_map(|pieces| pieces.join(" "))
}

proptest! {
    // A fixed seed unless PROPTEST_RNG_SEED says otherwise, so CI runs the same cases every
    // time; other seeds explore more (one found text that needed five cleaning passes, now a
    // unit test in `core::clean`).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(400),
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
            ProptestConfig::default().rng_seed
        } else {
            proptest::test_runner::RngSeed::Fixed(20_261_122)
        },
        ..ProptestConfig::default()
    })]

    #[test]
    fn cleaning_never_panics_on_arbitrary_text(s in any::<String>()) {
        let (a, _) = clean(&s, "id", "p", &Furniture::builtin());
        prop_assert_eq!(a.body.clone(), a.paragraphs.join("\n\n"));
        prop_assert!(!a.body.contains(char::from(27)), "escape left in body");
    }

    #[test]
    fn loading_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = load_file(&bytes, "p.txt", "p", None, None, &LoadOptions::default());
    }

    #[test]
    fn cleaning_is_idempotent_on_its_own_output(s in article_text()) {
        let furniture = Furniture::builtin();
        let (first, _) = clean(&s, "id", "p", &furniture);
        let (second, _) = clean(&render_source(&first), "id", "p", &furniture);
        prop_assert_eq!(first, second);
    }

    #[test]
    fn cleaning_with_source_metadata_is_idempotent(s in article_text(), known in source_meta()) {
        let furniture = Furniture::builtin();
        let (first, _) = clean_document(&s, &known, "id", "p", &furniture);
        let (second, _) = clean_document(&render_source(&first), &known, "id", "p", &furniture);
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

mod extraction {
    use newsroom::core::extract::extract;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "Pakistan",
        "Tehrik-i-Taliban",
        "Pakistan’s",
        "(TTP)",
        "General",
        "Asim",
        "Munir",
        "on",
        "30",
        "January",
        "2023",
        "Feb",
        "21",
        "the",
        "2000s",
        "Kabul",
        "U.S.",
        "Gen.",
        "Dr.",
        "’s",
        "“",
        "”",
        "日本",
        "Łódź",
        "é",
        ".",
        ",",
        "\n",
        "Tuesday",
        "Khyber",
        "Pakhtunkhwa",
        "(KP)",
        "-",
        "—",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn mentions_lie_on_char_boundaries_and_never_overlap(s in any::<String>()) {
            check(&s)?;
        }

        #[test]
        fn mentions_in_news_like_text_are_sound(words in prop::collection::vec(prop::sample::select(WORDS), 0..200)) {
            check(&words.join(" "))?;
        }
    }

    fn check(body: &str) -> Result<(), TestCaseError> {
        let ex = extract(body, Some("2023-12-13"));
        let mut last = 0;
        for m in &ex.mentions {
            prop_assert!(m.start < m.end && m.end <= body.len());
            prop_assert!(body.is_char_boundary(m.start) && body.is_char_boundary(m.end));
            prop_assert!(m.start >= last, "overlapping mentions");
            last = m.end;
        }
        Ok(())
    }
}
