//! The shapes scraped text arrives in, through `clean` and `clean_document`: what a reader sees
//! of each (title, date, author, paragraphs) once cleaning is done.

use newsroom::core::article::Article;
use newsroom::core::clean::{clean, clean_document, render_source};
use newsroom::core::document::SourceMeta;
use newsroom::core::furniture::Furniture;

fn run(raw: &str) -> Article {
    clean(raw, "id", "p", &Furniture::builtin()).0
}

fn run_known(raw: &str, known: &SourceMeta) -> Article {
    clean_document(raw, known, "id", "p", &Furniture::builtin()).0
}

/// Cleaning the rendered article again with the same metadata changes nothing.
fn assert_settled(a: &Article, known: &SourceMeta) {
    let again = run_known(&render_source(a), known);
    assert_eq!(&again, a, "cleaning its own output changed the article");
}

const STORY: &str = "Officials said the blast tore through the crowded market shortly after noon. \
                     Rescue teams worked through the afternoon to reach people under the rubble.";

// ---- source metadata ----

#[test]
fn a_known_title_is_the_title_and_its_repeat_leaves_the_body() {
    let known = SourceMeta { title: Some("Blast Hits Market in Peshawar".into()), ..SourceMeta::default() };
    let raw = format!("BLAST HITS MARKET  IN PESHAWAR\n\nA short standfirst line\n\n{STORY}");
    let a = run_known(&raw, &known);
    assert_eq!(a.title, "Blast Hits Market in Peshawar");
    assert!(!a.title_derived);
    // No deck is taken from the text when the source names the title.
    assert_eq!(a.deck, None);
    assert_eq!(a.paragraphs, vec!["A short standfirst line".to_string(), STORY.to_string()]);
    assert_settled(&a, &known);
}

#[test]
fn a_known_title_keeps_a_different_first_line_in_the_body() {
    let known = SourceMeta { title: Some("The feed's own headline".into()), ..SourceMeta::default() };
    let a = run_known(&format!("Something else entirely\n\n{STORY}"), &known);
    assert_eq!(a.title, "The feed's own headline");
    assert_eq!(a.paragraphs[0], "Something else entirely");
    assert_settled(&a, &known);
}

#[test]
fn known_date_and_author_win_but_the_text_metadata_lines_still_go() {
    let known = SourceMeta {
        date: Some("2024-03-27".into()),
        author: Some("Sana Jamal".into()),
        url: Some("https://example.org/story".into()),
        tags: vec!["Security".into(), "Peshawar".into()],
        ..SourceMeta::default()
    };
    let raw = format!("Blast hits market\nBy Ali Raza\nPublished: March 26, 2024\n\n{STORY}");
    let a = run_known(&raw, &known);
    assert_eq!(a.date.as_deref(), Some("2024-03-27"));
    assert_eq!(a.author.as_deref(), Some("Sana Jamal"));
    assert_eq!(a.url.as_deref(), Some("https://example.org/story"));
    assert_eq!(a.tags, vec!["Security", "Peshawar"]);
    assert_eq!(a.title, "Blast hits market");
    assert_eq!(a.body, STORY);
    assert_settled(&a, &known);
}

#[test]
fn a_known_author_the_byline_rule_would_not_read_still_settles() {
    let known = SourceMeta { author: Some("staff".into()), title: Some("T".into()), ..SourceMeta::default() };
    let a = run_known(STORY, &known);
    assert_eq!(a.author.as_deref(), Some("staff"));
    assert_eq!(a.body, STORY);
    assert_settled(&a, &known);
}

#[test]
fn source_metadata_is_sanitised() {
    let known = SourceMeta {
        title: Some("Red \u{1b}[31malert\u{1b}[0m\n here".into()),
        date: Some("not a date".into()),
        ..SourceMeta::default()
    };
    let (a, report) = clean_document(STORY, &known, "id", "p", &Furniture::builtin());
    assert_eq!(a.title, "Red alert here");
    assert_eq!(a.date, None);
    assert_eq!(report.control_removed, 2);
}

// ---- navigation lines ----

#[test]
fn navigation_lines_leave_and_never_become_the_title() {
    for nav in [
        "Home | Pakistan | World",
        "Home > World > Asia",
        "News » Politics » Elections 2024",
        "Sport / Cricket / Live Scores",
        "Business • Markets • Economy",
    ] {
        let a = run(&format!("{nav}\nBlast hits market in Peshawar\n\n{STORY}\n\n{nav}"));
        assert_eq!(a.title, "Blast hits market in Peshawar", "{nav}");
        assert_eq!(a.body, STORY, "{nav}");
    }
}

#[test]
fn a_navigation_line_alone_above_the_story_is_not_the_title() {
    let a = run(&format!("Home › Opinion › Columns\n\n{STORY}"));
    assert!(a.title_derived);
    assert!(a.title.starts_with("Officials said the blast"), "{}", a.title);
}

// ---- dates ----

#[test]
fn a_time_after_a_date_goes_with_it() {
    for raw in [
        "date 2024-03-26 06:30:00\n\n",
        "date 2024-03-26 06:30:00 PKT\n\n",
        "Date: 2024-03-26 06:30 GMT+5\n\n",
        "date 2024-03-26T06:30:00+05:00 ",
        "Published: March 26, 2024 10:45 am PKT\n\n",
    ] {
        let a = run(&format!("{raw}{STORY}"));
        assert_eq!(a.date.as_deref(), Some("2024-03-26"), "{raw:?}");
        assert_eq!(a.body, STORY, "{raw:?}");
        assert!(!a.title.contains(':'), "{raw:?}: {}", a.title);
    }
}

#[test]
fn dates_in_many_written_forms_are_read() {
    for line in [
        "2024-03-26T06:30:00Z",
        "2024-03-26T06:30:00+05:00",
        "March 26, 2024",
        "26 March 2024",
        "Mar. 26, 2024",
        "Tue, 26 Mar 2024 06:30:00 +0000",
        "Updated 26 Mar 2024, 11:02am",
        "Published: Tuesday, March 26, 2024",
        "Last updated 26 March 2024 at 11:02 PKT",
        "Posted on March 26, 2024",
        "Published: 26 Mar 2024 | Updated: 27 Mar 2024",
    ] {
        let a = run(&format!("Blast hits market\n{line}\n\n{STORY}"));
        assert_eq!(a.date.as_deref(), Some("2024-03-26"), "{line}");
        assert_eq!(a.title, "Blast hits market", "{line}");
        assert_eq!(a.body, STORY, "{line}");
    }
}

#[test]
fn a_byline_may_carry_the_date() {
    let a = run(&format!("Blast hits market\nBy Sana Jamal | March 26, 2024\n\n{STORY}"));
    assert_eq!(a.author.as_deref(), Some("Sana Jamal"));
    assert_eq!(a.date.as_deref(), Some("2024-03-26"));
    assert_eq!(a.body, STORY);
    let a = run(&format!("Blast hits market\nPosted on March 26, 2024 by Sana Jamal\n\n{STORY}"));
    assert_eq!(a.author.as_deref(), Some("Sana Jamal"));
    assert_eq!(a.body, STORY);
}

#[test]
fn a_sentence_that_starts_with_a_date_stays() {
    let raw = format!("Blast hits market\n\nMarch 26, 2024 was the worst day of the year for traders.\n\n{STORY}");
    let a = run(&raw);
    assert_eq!(a.date, None);
    assert_eq!(a.paragraphs[0], "March 26, 2024 was the worst day of the year for traders.");
}

// ---- datelines ----

const LEAD: &str = "A bomb ripped through a crowded vegetable market on Tuesday, killing at least twelve people.";

#[test]
fn a_lead_repeated_after_its_dateline_is_told_once_with_the_dateline() {
    for dateline in ["PESHAWAR: ", "PESHAWAR (Reuters) - ", "ISLAMABAD, March 26 (AP) — ", "DERA ISMAIL KHAN: "] {
        let with = format!("{dateline}{LEAD}");
        for (first, second) in [(with.as_str(), LEAD), (LEAD, with.as_str())] {
            let a = run(&format!("Market bombing\n\n{first}\n\n{second}\n\n{STORY}"));
            assert_eq!(a.paragraphs, vec![with.clone(), STORY.to_string()], "{first} / {second}");
        }
    }
}

#[test]
fn a_lead_repeated_in_one_block_is_told_once() {
    let a = run(&format!("Market bombing\nKARACHI: {LEAD}\n{LEAD}\n{STORY}"));
    assert_eq!(a.body.matches("A bomb ripped").count(), 1);
    assert!(a.body.starts_with("KARACHI: A bomb"));
}

// ---- furniture ----

#[test]
fn comment_counters_and_page_furniture_leave_the_body() {
    for line in [
        "Comments (12)",
        "12 Comments",
        "1 Comment",
        "Leave a comment",
        "Share this article",
        "Follow us on Instagram and X",
        "Read more: Floods displace thousands in Sindh",
        "Advertisement",
        "Sign up for our newsletter",
        "Facebook Twitter WhatsApp Email",
        "Tags: Peshawar, Security, KP",
        "5 min read",
        "Skip to content",
    ] {
        let a = run(&format!(
            "Blast hits market\n\n{line}\n\n{STORY}\n\n{line}\n\nThe market reopened on Wednesday morning."
        ));
        assert_eq!(
            a.paragraphs,
            vec![STORY.to_string(), "The market reopened on Wednesday morning.".to_string()],
            "{line}"
        );
    }
}

#[test]
fn sentences_that_merely_mention_furniture_words_stay() {
    let kept = [
        "Comments by the minister drew anger across the province.",
        "12 comments were filed with the court before the hearing.",
        "Tags are sold at the market for a few rupees each.",
        "Share prices fell sharply after the attack.",
    ];
    let a = run(&format!("Blast hits market\n\n{}", kept.join("\n\n")));
    assert_eq!(a.paragraphs, kept);
}

#[test]
fn a_teaser_marker_late_in_the_piece_ends_it() {
    let a = run(&format!(
        "Blast hits market\n\n{STORY}\n\nRead more:\n\nFloods displace thousands in Sindh\n\nPolice arrest two"
    ));
    assert_eq!(a.paragraphs, vec![STORY]);
}

// ---- front matter ----

#[test]
fn front_matter_is_metadata_not_the_title() {
    let raw = format!(
        "---\ntitle: \"Floods: what comes next\"\ndate: 2024-03-26T08:00:00+05:00\nauthor: Sana Jamal\ntags: [floods, Sindh]\n---\n\n{STORY}"
    );
    let a = run(&raw);
    assert_eq!(a.title, "Floods: what comes next");
    assert!(!a.title_derived);
    assert_eq!(a.date.as_deref(), Some("2024-03-26"));
    assert_eq!(a.author.as_deref(), Some("Sana Jamal"));
    assert_eq!(a.tags, vec!["floods", "Sindh"]);
    assert_eq!(a.body, STORY);
    assert!(!a.body.contains("---") && !a.body.contains("title:"));
    assert_settled(&a, &SourceMeta::default());
}

#[test]
fn front_matter_without_a_title_leaves_the_title_to_the_text() {
    let a = run(&format!("---\nlayout: post\ncategories:\n  - news\n---\nBlast hits market\n\n{STORY}"));
    assert_eq!(a.title, "Blast hits market");
    assert_eq!(a.tags, vec!["news"]);
    assert_eq!(a.body, STORY);
}

#[test]
fn a_rule_of_dashes_that_opens_no_front_matter_is_not_read_as_one() {
    let a = run(&format!("---\nBlast hits market\n\n{STORY}\n---\nMore text follows here."));
    assert_eq!(a.title, "Blast hits market");
    assert!(a.body.starts_with("Officials said"));
}

#[test]
fn the_source_title_wins_over_front_matter() {
    let known = SourceMeta { title: Some("Feed title".into()), ..SourceMeta::default() };
    let a = run_known(&format!("---\ntitle: Front matter title\n---\n\n{STORY}"), &known);
    assert_eq!(a.title, "Feed title");
    assert_eq!(a.body, STORY);
}

// ---- stray Markdown ----

#[test]
fn stray_markdown_comes_out_as_text() {
    let raw = "# Blast hits market\n\nOfficials said the **blast** tore through the [crowded market](https://example.org/m) at noon.\n\n| District | Dead | Injured |\n|---|---|---|\n| Peshawar | 12 | 40 |\n| Mardan | 2 | 9 |\n\n> Rescue teams worked through the afternoon.";
    let a = run(raw);
    assert_eq!(a.title, "Blast hits market");
    assert_eq!(
        a.paragraphs,
        vec![
            "Officials said the blast tore through the crowded market at noon.",
            "District · Dead · Injured",
            "Peshawar · 12 · 40",
            "Mardan · 2 · 9",
            "Rescue teams worked through the afternoon.",
        ]
    );
    assert!(!a.body.contains(['*', '|', '[', ']', '#']));
}

// ---- everything at once ----

#[test]
fn a_scraped_page_reads_as_its_story() {
    let raw = format!(
        "Skip to main content\nHome | Pakistan | KP\nMarket bombing kills twelve in Peshawar\nBy Sana Jamal\nUpdated 26 Mar 2024, 11:02am\nShare Facebook Twitter\n\nPESHAWAR: {LEAD}\n\n{LEAD}\n\nAdvertisement\n\n{STORY}\n\nComments (3)\n\nLeave a comment"
    );
    let a = run(&raw);
    assert_eq!(a.title, "Market bombing kills twelve in Peshawar");
    assert_eq!(a.author.as_deref(), Some("Sana Jamal"));
    assert_eq!(a.date.as_deref(), Some("2024-03-26"));
    assert_eq!(a.paragraphs, vec![format!("PESHAWAR: {LEAD}"), STORY.to_string()]);
    assert_settled(&a, &SourceMeta::default());
}

// ---- size ----

/// Regression: repeat detection compared paragraphs pairwise and extraction scanned every
/// earlier person mention, so these took minutes. No clock here: the checks are on what comes
/// out, at a size that is quick when linear (the timings live in `benches/pathological.rs`).
#[test]
fn many_short_paragraphs_are_read_whole_and_repeats_still_go() {
    let people = ["Asim Munir", "Sana Jamal", "Imran Khan", "Ayesha Siddiqui", "Bilal Raza"];
    let mut raw = String::from("Briefing notes\n\n");
    for i in 0..20_000 {
        let name = people[i % people.len()];
        raw.push_str(&format!("Officer {name} filed report number {i} today.\n\n"));
        if i % 1000 == 0 {
            raw.push_str("The same long sentence is repeated here many times over.\n\n");
        }
    }
    let a = run(&raw);
    assert_eq!(a.title, "Briefing notes");
    assert_eq!(a.paragraphs.len(), 20_001);
    assert_eq!(a.body.matches("The same long sentence").count(), 1);
    let ex = newsroom::core::extract::extract(&a.body, None);
    let people_found = ex.mentions.iter().filter(|m| people.contains(&m.name.as_str())).count();
    assert_eq!(people_found, 20_000);
}
