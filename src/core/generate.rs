//! A generator of realistic test collections: deterministic by seed, 300–3,000 words an
//! article, headlines, dates over ten years, a recurring cast of people, organisations and places
//! written with spelling variants and acronyms, and some web furniture — so that cleaning,
//! extraction and filtering do real work in benchmarks.

use std::fmt::Write;

/// SplitMix64: small, fast and the same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A recurring organisation: its spellings (first is canonical) and acronym.
const ORGANISATIONS: &[(&[&str], &str)] = &[
    (&["Tehrik-i-Taliban Pakistan", "Tehreek-e-Taliban Pakistan", "Tehrik i Taliban Pakistan"], "TTP"),
    (&["Balochistan Liberation Army"], "BLA"),
    (&["Pakistan Institute for Conflict and Security Studies"], "PICSS"),
    (&["National Counter Terrorism Authority"], "NACTA"),
    (&["Frontier Corps"], "FC"),
    (&["International Monetary Fund"], "IMF"),
    (&["Pakistan Peoples Party"], "PPP"),
    (&["Election Commission of Pakistan"], "ECP"),
    (&["Human Rights Commission of Pakistan"], "HRCP"),
    (&["World Health Organization"], "WHO"),
    (&["Northern Rivers Power Company"], "NRPC"),
    (&["Karachi Port Trust"], "KPT"),
];

const PEOPLE: &[(&str, &str)] = &[
    ("General", "Asim Munir"),
    ("Prime Minister", "Shehbaz Sharif"),
    ("former prime minister", "Imran Khan"),
    ("Chief Minister", "Maryam Nawaz"),
    ("Foreign Minister", "Ishaq Dar"),
    ("Interior Minister", "Mohsin Naqvi"),
    ("President", "Asif Ali Zardari"),
    ("Dr", "Ayesha Siddiqa"),
    ("spokesman", "Zabihullah Mujahid"),
    ("analyst", "Hassan Abbas"),
    ("Senator", "Sherry Rehman"),
    ("Justice", "Qazi Faez Isa"),
];

const PLACES: &[&str] = &[
    "Peshawar",
    "Kabul",
    "Islamabad",
    "Quetta",
    "Karachi",
    "Lahore",
    "Khyber Pakhtunkhwa",
    "Balochistan",
    "North Waziristan",
    "South Waziristan",
    "Dera Ismail Khan",
    "Bannu",
    "Kurram",
    "Bajaur",
    "Torkham",
    "Gwadar",
    "Rawalpindi",
    "Multan",
    "Chaman",
    "Kandahar",
    "Tehran",
    "Beijing",
    "Washington",
    "New Delhi",
];

const VERBS: &[&str] = &[
    "condemned",
    "welcomed",
    "rejected",
    "questioned",
    "reviewed",
    "announced",
    "criticised",
    "praised",
    "investigated",
    "defended",
];

const FILLER: &[&str] = &[
    "the",
    "security",
    "situation",
    "remained",
    "tense",
    "across",
    "the",
    "region",
    "as",
    "officials",
    "weighed",
    "their",
    "options",
    "and",
    "residents",
    "waited",
    "for",
    "news",
    "of",
    "the",
    "talks",
    "while",
    "markets",
    "reacted",
    "cautiously",
    "to",
    "reports",
    "that",
    "the",
    "border",
    "would",
    "stay",
    "closed",
    "for",
    "another",
    "week",
    "with",
    "traders",
    "counting",
    "losses",
    "and",
    "families",
    "stranded",
    "on",
    "both",
    "sides",
    "government",
    "policy",
    "economy",
    "inflation",
    "budget",
    "elections",
    "parliament",
    "courts",
    "police",
    "schools",
    "hospitals",
    "roads",
    "water",
    "power",
    "shortages",
    "protests",
    "negotiations",
    "ceasefire",
];

const FURNITURE: &[&str] = &[
    "- Advertisement -",
    "Please enter your comment!",
    "Please enter your name here",
    "NEWS DESK",
    "Share this article",
];

const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: &[&str] = &crate::core::extract::dates::MONTH_NAMES;

fn rng_for(seed: u64, index: usize) -> Rng {
    Rng::new(seed ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d))
}

/// The headline: the same draws `article` makes first, so `title` can make it alone.
fn headline(rng: &mut Rng) -> (String, usize, usize, usize, usize) {
    // Most news is short: lengths run from 300 to 3,000 words, skewed low (about 600 on
    // average, so 100k articles come to roughly 400 MB, as in the scale targets).
    let u = rng.below(1_000_000) as f64 / 1e6;
    let target_words = 300 + (2700.0 * u.powi(8)) as usize;
    let year = 2015 + rng.below(10);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let (org_names, acronym) = rng.pick(ORGANISATIONS);
    let place = rng.pick(PLACES);
    let headline_org = if rng.chance(50) { org_names[0] } else { acronym };
    let verb = rng.pick(VERBS);
    let what = rng.pick(&["deadly", "failed", "new", "border"]);
    (format!("{headline_org} {verb} over {what} strike in {place}"), target_words, year, month, day)
}

/// The title of generated article `index`, without generating its text.
pub fn title(seed: u64, index: usize) -> String {
    headline(&mut rng_for(seed, index)).0
}

/// One generated article's text and a file name for it.
pub fn article(seed: u64, index: usize) -> (String, String) {
    let mut rng = rng_for(seed, index);
    let (title, target_words, year, month, day) = headline(&mut rng);
    let mut out = String::with_capacity(target_words * 7);
    let _ = writeln!(out, "{title}\n");
    match rng.below(3) {
        0 => {
            let _ = writeln!(out, "date {year:04}-{month:02}-{day:02}");
        }
        1 => {
            let _ = writeln!(out, "Published: {} {day}, {year}", MONTHS[month - 1]);
        }
        _ => {}
    }
    let byline = rng.chance(40).then(|| rng.pick(PEOPLE).1);
    if let Some(name) = byline {
        let _ = writeln!(out, "By {name}");
    }
    out.push('\n');

    let mut words = 0;
    let mut paragraph = 0;
    while words < target_words {
        let sentences = 3 + rng.below(4);
        for _ in 0..sentences {
            let s = sentence(&mut rng, year);
            words += s.split_whitespace().count();
            out.push_str(&s);
            out.push(' ');
        }
        out.pop();
        out.push_str("\n\n");
        paragraph += 1;
        if paragraph % 4 == 0 && rng.chance(30) {
            let _ = writeln!(out, "{}\n", rng.pick(FURNITURE));
        }
    }
    if let Some(name) = byline {
        let _ = writeln!(out, "{name}\nThe writer is a journalist based in {}.", rng.pick(PLACES));
    }
    if rng.chance(30) {
        let _ = writeln!(
            out,
            "\nMust Read\n\nWhy {} matters to {}\n\nA look at the week ahead...",
            rng.pick(PLACES),
            rng.pick(PLACES)
        );
    }
    (format!("{index:07}.txt"), out)
}

fn sentence(rng: &mut Rng, year: usize) -> String {
    let (org_names, acronym) = rng.pick(ORGANISATIONS);
    let org = if rng.chance(40) { *acronym } else { *rng.pick(org_names) };
    let (title, person) = rng.pick(PEOPLE);
    let surname = person.rsplit(' ').next().unwrap_or(person);
    let place = rng.pick(PLACES);
    let mut filler = String::new();
    for _ in 0..(4 + rng.below(14)) {
        filler.push_str(rng.pick::<&str>(FILLER));
        filler.push(' ');
    }
    let filler = filler.trim_end();
    match rng.below(7) {
        0 => {
            format!("{title} {person} said on {} that the {org} had {} {filler}.", rng.pick(WEEKDAYS), rng.pick(VERBS))
        }
        1 => format!("In {place}, {filler} after the {} ({acronym}) {} the plan.", org_names[0], rng.pick(VERBS)),
        2 => format!("{surname} {} the {org} in {} {year}, and {filler}.", rng.pick(VERBS), rng.pick(MONTHS)),
        3 => format!(
            "Officials in {place} said {filler} since {} {}.",
            rng.pick(MONTHS).get(..3).unwrap_or("Jan"),
            1 + rng.below(28)
        ),
        4 => format!("According to the {org}, {filler} near {place}."),
        5 => {
            let mut s = filler.to_string();
            if let Some(first) = s.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            format!("{s}.")
        }
        _ => format!("Residents of {place} told reporters that {filler} on {}.", rng.pick(WEEKDAYS)),
    }
}

/// Writes `count` articles under `dir`, a thousand to a folder.
pub fn write_collection(dir: &std::path::Path, count: usize, seed: u64) -> std::io::Result<u64> {
    let mut bytes = 0;
    for i in 0..count {
        let sub = dir.join(format!("{:04}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        let (name, text) = article(seed, i);
        bytes += text.len() as u64;
        std::fs::write(sub.join(name), text)?;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_by_seed_and_index() {
        assert_eq!(article(7, 3), article(7, 3));
        assert!(article(7, 3).1.starts_with(&title(7, 3)));
        assert_ne!(article(7, 3).1, article(8, 3).1);
    }

    #[test]
    fn articles_have_realistic_length_and_messy_parts() {
        let mut furniture = 0;
        for i in 0..40 {
            let (_, text) = article(1, i);
            let words = text.split_whitespace().count();
            assert!((300..=3400).contains(&words), "{words} words");
            furniture += usize::from(FURNITURE.iter().any(|f| text.contains(f)) || text.contains("Must Read"));
        }
        assert!(furniture > 5);
    }
}
