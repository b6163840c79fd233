//! Event records from sentences written for these tests (news and defence reporting from many
//! countries), not from the bundled samples.

use super::*;
use crate::core::article::Article;
use crate::core::extract::extract;
use crate::core::intern::Interner;

/// What a test looks at in a record: kind, date ISO, precision, place names, killed, injured,
/// actor names (entity names or general words).
#[derive(Debug)]
struct Seen {
    kind: EventKind,
    date: Option<String>,
    precision: Precision,
    places: Vec<String>,
    killed: Option<Count>,
    injured: Option<Count>,
    actors: Vec<(Role, String)>,
    target: Option<Side>,
    spans: Vec<String>,
}

fn events(body: &str, date: Option<&str>) -> Vec<Seen> {
    let ex = extract(body, date);
    let interner = Interner::default();
    let (entities, local) = ex.summarize(&interner);
    let strings = interner.into_strings();
    let name = |g: u32| strings[entities.groups[g as usize].name as usize].to_string();
    detect(body, date, &ex.mentions, &local)
        .into_iter()
        .map(|e| Seen {
            kind: e.kind,
            date: e.date.map(|d| d.iso()),
            precision: e.precision,
            places: e.places.iter().map(|&g| name(g)).collect(),
            killed: e.killed,
            injured: e.injured,
            actors: e
                .actors
                .iter()
                .map(|a| (a.role, a.group.map(name).or_else(|| a.label.clone()).unwrap_or_default()))
                .collect(),
            target: e.target,
            spans: e.spans.iter().map(|&(a, b)| body[a as usize..b as usize].to_string()).collect(),
        })
        .collect()
}

fn one(body: &str, date: Option<&str>) -> Seen {
    let mut got = events(body, date);
    assert_eq!(got.len(), 1, "{body:?} gave {got:#?}");
    got.remove(0)
}

fn none(body: &str) {
    let got = events(body, Some("2024-05-20"));
    assert!(got.is_empty(), "{body:?} is no event but gave {got:#?}");
}

fn exact(n: u32) -> Option<Count> {
    Some(Count::exact(n))
}

fn qualified(n: u32, q: Qualifier) -> Option<Count> {
    Some(Count { min: n, max: None, qualifier: Some(q) })
}

#[test]
fn an_ambush_with_a_weekday_resolved_against_the_article_date() {
    let e = one(
        "At least 14 soldiers were killed when militants ambushed a military convoy in North Waziristan on Saturday.",
        Some("2024-03-18"),
    );
    assert_eq!(e.kind, EventKind::Attack);
    assert_eq!(e.date.as_deref(), Some("2024-03-16"));
    assert_eq!(e.precision, Precision::Day);
    assert_eq!(e.places, ["North Waziristan"]);
    assert_eq!(e.killed, qualified(14, Qualifier::AtLeast));
    assert_eq!(e.target, Some(Side::SecurityForces));
    assert!(e.actors.contains(&(Role::Perpetrator, "militants".into())), "{:?}", e.actors);
}

#[test]
fn a_suicide_bombing_at_a_market_kills_and_wounds() {
    let e = one(
        "A suicide bomber blew himself up at a crowded market in Maiduguri on Tuesday, killing 12 people and wounding more than 40 others.",
        Some("2024-06-12"),
    );
    assert_eq!(e.kind, EventKind::SuicideBomb);
    assert_eq!(e.date.as_deref(), Some("2024-06-11"));
    assert_eq!(e.places, ["Maiduguri"]);
    assert_eq!(e.killed, exact(12));
    assert_eq!(e.injured, qualified(40, Qualifier::MoreThan));
    assert_eq!(e.target, Some(Side::Civilians));
}

#[test]
fn an_attack_on_police_with_a_written_date() {
    let e = one(
        "Two police officers were killed in an armed attack on a police station in Cali on 3 May 2024.",
        Some("2024-05-05"),
    );
    assert_eq!(e.date.as_deref(), Some("2024-05-03"));
    assert_eq!(e.killed, exact(2));
    assert_eq!(e.target, Some(Side::Police));
    assert_eq!(EventKind::Attack.acled(e.target, true), ("Battles", "Armed clash"));
}

#[test]
fn drone_strikes_abductions_and_arrests() {
    let e = one(
        "Russian drones struck an apartment block in Odesa overnight, killing eight civilians.",
        Some("2024-03-03"),
    );
    assert_eq!(e.kind, EventKind::AirStrike);
    assert_eq!(e.places, ["Odesa"]);
    assert_eq!(e.killed, exact(8));
    // No date in the sentence: the article's, marked approximate.
    assert_eq!((e.date.as_deref(), e.precision), (Some("2024-03-03"), Precision::Approximate));

    let e = one("Gunmen abducted 20 students from a boarding school in Kaduna on Friday.", Some("2024-03-11"));
    assert_eq!(e.kind, EventKind::Abduction);
    assert_eq!(e.date.as_deref(), Some("2024-03-08"));

    let e =
        one("Police arrested three suspects in Karachi on Monday in connection with the bombing.", Some("2024-01-10"));
    assert_eq!(e.kind, EventKind::Arrest);
    assert_eq!(e.places, ["Karachi"]);
}

#[test]
fn a_weekday_without_an_article_date_stays_unresolved() {
    let e = one("Gunmen killed four policemen at a checkpoint in Dera Ismail Khan on Tuesday.", None);
    assert_eq!(e.date, None);
    assert_eq!(e.precision, Precision::Unresolved);
    assert_eq!(e.killed, exact(4));
}

#[test]
fn a_sentence_pointing_back_adds_to_the_event_before_it() {
    let body = "Militants attacked a police post in Lakki Marwat late on Sunday. The attack killed three policemen and wounded two others.";
    let e = one(body, Some("2024-02-05"));
    assert_eq!(e.places, ["Lakki Marwat"]);
    assert_eq!(e.date.as_deref(), Some("2024-02-04"));
    assert_eq!((e.killed, e.injured), (exact(3), exact(2)));
    assert_eq!(e.spans.len(), 2, "both sentences are its source");
}

#[test]
fn two_clauses_two_events() {
    let got = events(
        "A roadside bomb hit a patrol in Kurram on Monday, while gunmen attacked a checkpoint near Tank, killing a soldier.",
        Some("2024-04-02"),
    );
    assert_eq!(got.len(), 2, "{got:#?}");
    assert_eq!(got[0].kind, EventKind::Explosive);
    assert_eq!(got[1].killed, exact(1));
}

#[test]
fn statistics_are_not_events() {
    none("More than 700 people were killed in militant attacks across the country in 2023, according to a think tank.");
    none("Over 300 lives were lost to terrorism in January alone, the report said.");
    none("The province has witnessed dozens of bombings over the past year.");
    none("There has been a 60 percent increase in attacks on police since 2021.");
    none("The number of kidnappings in the region doubled last year.");
}

#[test]
fn anniversaries_hypotheses_negations_and_policy_are_not_events() {
    none("Families gathered in Peshawar on Monday to mark ten years since the school massacre that killed 147 people.");
    none("Officials warned that militants could attack polling stations in Balochistan next week.");
    none("The army denied that any soldiers were killed in the reported attack on the base in Zhob.");
    none("The government must launch a military operation in the tribal districts.");
    none("Insurgents have frequently attacked convoys on the highway to Quetta.");
    none("The minister died of a heart attack in Lahore on Sunday.");
    none("Twelve people were killed when a bus crashed into a ravine in Gilgit on Friday.");
    none("Doctors went on strike in Lahore on Monday over unpaid salaries.");
    none("The opposition leader launched a blistering attack on the budget in Islamabad on Tuesday.");
}

fn article(id: &str, date: &str, body: &str) -> Article {
    Article {
        id: id.into(),
        path: format!("{id}.txt"),
        title: id.into(),
        title_derived: false,
        deck: None,
        date: Some(date.into()),
        author: None,
        author_note: None,
        url: None,
        tags: vec![],
        paragraphs: vec![body.into()],
        body: body.into(),
    }
}

#[test]
fn the_same_event_in_two_articles_is_one_with_two_sources() {
    let corpus = Corpus::build(vec![
        article("a", "2024-01-31", "A bomb blast at a mosque in Quetta on Tuesday killed 16 worshippers."),
        article(
            "b",
            "2024-02-01",
            "At least 20 people were killed in a bombing at a mosque in Quetta on 30 January 2024.",
        ),
        article(
            "c",
            "2024-02-01",
            "Separately, a bomb blast at a market in Quetta on 12 January 2024 killed two people.",
        ),
    ]);
    let all = collect(&corpus, 0..corpus.articles.len());
    assert_eq!(all.len(), 2, "{all:#?}");
    let mosque = all.iter().find(|e| e.sources.len() == 2).expect("merged");
    assert_eq!(mosque.date.map(|d| d.iso()).as_deref(), Some("2024-01-30"));
    assert_eq!(mosque.killed, Some(Count { min: 16, max: Some(20), qualifier: None }), "reports differ: a range");
    assert_eq!(mosque.country.as_deref(), Some("Pakistan"));
    let market = all.iter().find(|e| e.sources.len() == 1).expect("a separate event");
    assert_eq!(market.killed, exact(2));
}

#[test]
fn a_more_specific_event_noun_is_another_event() {
    let got = events(
        "Gunmen attacked a checkpoint near Chaman on Friday, killing two soldiers. The bombing of a seminary followed.",
        Some("2024-04-08"),
    );
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].spans.len(), 1, "the bombing sentence is not this attack's source");
}
