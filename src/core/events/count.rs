//! Numbers of people killed or injured as a sentence gives them: digits ("1,600"), number words
//! ("twenty-five", "a dozen", "one hundred"), "a"/"an" before a singular victim ("killing a
//! soldier"), vague plurals ("dozens of people") and qualifiers ("at least", "more than",
//! "over"). A count keeps its qualifier; two reports that differ make a range.

use serde::{Deserialize, Serialize};

/// How a count was hedged in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Qualifier {
    #[serde(rename = "at least")]
    AtLeast,
    #[serde(rename = "more than")]
    MoreThan,
    #[serde(rename = "over")]
    Over,
    #[serde(rename = "nearly")]
    Nearly,
    #[serde(rename = "about")]
    About,
    #[serde(rename = "up to")]
    UpTo,
    #[serde(rename = "several")]
    Several,
    #[serde(rename = "dozens")]
    Dozens,
    #[serde(rename = "scores")]
    Scores,
    #[serde(rename = "hundreds")]
    Hundreds,
    #[serde(rename = "thousands")]
    Thousands,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::AtLeast => "at least",
            Qualifier::MoreThan => "more than",
            Qualifier::Over => "over",
            Qualifier::Nearly => "nearly",
            Qualifier::About => "about",
            Qualifier::UpTo => "up to",
            Qualifier::Several => "several",
            Qualifier::Dozens => "dozens",
            Qualifier::Scores => "scores",
            Qualifier::Hundreds => "hundreds",
            Qualifier::Thousands => "thousands",
        }
    }
}

/// A number of people: `min`, and `max` when reports differ or the text gives a range;
/// `qualifier` as written ("more than 100": min 100, qualifier "more than").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub min: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
}

impl Count {
    pub fn exact(n: u32) -> Count {
        Count { min: n, max: None, qualifier: None }
    }

    /// Two reports of the same number: the same count, or the range both span.
    pub fn combine(self, other: Count) -> Count {
        if self == other {
            return self;
        }
        let lo = self.min.min(other.min);
        let hi = self.max.unwrap_or(self.min).max(other.max.unwrap_or(other.min));
        let qualifier = if self.qualifier == other.qualifier { self.qualifier } else { None };
        Count { min: lo, max: (hi > lo).then_some(hi), qualifier }
    }

    /// "more than 100", "16", "16–20", "dozens".
    pub fn text(&self) -> String {
        let n = match self.max {
            Some(max) => format!("{}-{max}", self.min),
            None => self.min.to_string(),
        };
        match self.qualifier {
            Some(q @ (Qualifier::Dozens | Qualifier::Scores | Qualifier::Hundreds | Qualifier::Thousands)) => {
                q.as_str().to_string()
            }
            Some(q) => format!("{} {n}", q.as_str()),
            None => n,
        }
    }
}

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/// A number word below a hundred: "seven", "forty", "twenty-five".
fn small_number(word: &str) -> Option<u32> {
    if let Some(n) = UNITS.iter().position(|u| *u == word) {
        return Some(n as u32);
    }
    if let Some(n) = TENS.iter().position(|t| !t.is_empty() && *t == word) {
        return Some(n as u32 * 10);
    }
    let (tens, unit) = word.split_once('-')?;
    let t = TENS.iter().position(|t| !t.is_empty() && *t == tens)?;
    let u = UNITS[1..10].iter().position(|u| *u == unit)? + 1;
    Some((t * 10 + u) as u32)
}

/// Digits with thousands separators ("1,600"); not decimals, not years glued to letters.
fn digits(word: &str) -> Option<u32> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit() || b == b',') || word.starts_with(',') {
        return None;
    }
    word.replace(',', "").parse().ok()
}

/// A count starting at word `i` of `words` (lower-cased): its value and the index after it.
/// `a`/`an` count as one only when `singular_ok` (the caller checks a singular victim follows).
pub fn count_at(words: &[&str], i: usize) -> Option<(Count, usize)> {
    let w = |k: usize| words.get(k).copied().unwrap_or("");
    let (qualifier, mut j) = match (w(i), w(i + 1), w(i + 2)) {
        ("at", "least", _) => (Some(Qualifier::AtLeast), i + 2),
        ("more" | "greater", "than", _) => (Some(Qualifier::MoreThan), i + 2),
        ("over", _, _) => (Some(Qualifier::Over), i + 1),
        ("nearly" | "almost", _, _) => (Some(Qualifier::Nearly), i + 1),
        ("about" | "around" | "approximately" | "roughly" | "some", _, _) => (Some(Qualifier::About), i + 1),
        ("up", "to", _) | ("at", "most", _) => (Some(Qualifier::UpTo), i + 2),
        ("as", "many", "as") => (Some(Qualifier::UpTo), i + 3),
        _ => (None, i),
    };
    // Vague plurals: "dozens of", "scores of", "hundreds of", "several".
    let vague = match w(j) {
        "dozens" => Some((24, Qualifier::Dozens)),
        "scores" => Some((40, Qualifier::Scores)),
        "hundreds" => Some((200, Qualifier::Hundreds)),
        "thousands" => Some((2000, Qualifier::Thousands)),
        "several" => Some((3, Qualifier::Several)),
        _ => None,
    };
    if let Some((n, q)) = vague {
        j += 1;
        if w(j) == "of" {
            j += 1;
        }
        return Some((Count { min: n, max: None, qualifier: Some(qualifier.unwrap_or(q)) }, j));
    }
    let one = |k: usize| -> Option<(u32, usize)> {
        let word = w(k);
        if let Some(n) = digits(word) {
            return Some((n, k + 1));
        }
        if matches!(word, "a" | "an") {
            return match w(k + 1) {
                "dozen" => Some((12, k + 2)),
                "hundred" => Some((100, k + 2)),
                "thousand" => Some((1000, k + 2)),
                _ => Some((1, k + 1)),
            };
        }
        let n = small_number(word)?;
        match w(k + 1) {
            "hundred" => Some((n * 100, k + 2)),
            "thousand" => Some((n * 1000, k + 2)),
            "dozen" => Some((n * 12, k + 2)),
            _ => Some((n, k + 1)),
        }
    };
    let (n, after) = one(j)?;
    // "a" is a count only right before its noun; a qualifier before it is no count ("over a").
    if matches!(w(j), "a" | "an") && after == j + 1 && qualifier.is_some() {
        return None;
    }
    // Ranges: "10 to 15", "between 10 and 15" (the "between" is before i; "and" suffices).
    if matches!(w(after), "to" | "and" | "or") && !matches!(w(j), "a" | "an") {
        if let Some((m, after2)) = one(after + 1).filter(|(m, _)| *m > n && !matches!(w(after + 1), "a" | "an")) {
            return Some((Count { min: n, max: Some(m), qualifier }, after2));
        }
    }
    Some((Count { min: n, max: None, qualifier }, after))
}

/// A number that reads as a year ("2024"): never a bare count.
fn year_like(word: &str) -> bool {
    word.len() == 4 && word.parse::<u32>().is_ok_and(|y| (1900..=2099).contains(&y))
}

/// Words for the people a count counts.
pub fn is_victim_noun(word: &str) -> bool {
    const NOUNS: &[&str] = &[
        "people",
        "persons",
        "person",
        "civilians",
        "civilian",
        "soldiers",
        "soldier",
        "troops",
        "personnel",
        "policemen",
        "policeman",
        "police",
        "policewomen",
        "officers",
        "officer",
        "officials",
        "official",
        "militants",
        "militant",
        "terrorists",
        "terrorist",
        "fighters",
        "fighter",
        "insurgents",
        "insurgent",
        "rebels",
        "rebel",
        "children",
        "child",
        "women",
        "woman",
        "men",
        "man",
        "worshippers",
        "worshipers",
        "worshipper",
        "students",
        "student",
        "passengers",
        "passenger",
        "others",
        "members",
        "member",
        "guards",
        "guard",
        "workers",
        "worker",
        "pilgrims",
        "villagers",
        "residents",
        "innocents",
        "lives",
        "life",
        "bystanders",
        "labourers",
        "laborers",
        "tourists",
        "commandos",
        "paramilitaries",
        "rangers",
        "jawans",
        "cadets",
        "recruits",
        "journalists",
        "journalist",
        "protesters",
        "demonstrators",
        "nationals",
        "citizens",
        "migrants",
        "refugees",
        "attackers",
        "attacker",
        "assailants",
        "gunmen",
        "gunman",
        "suspects",
        "suspect",
        "hostages",
        "individuals",
        "staff",
        "sailors",
        "marines",
        "servicemen",
        "peacekeepers",
        "shoppers",
        "farmers",
        "teachers",
        "doctors",
        "patients",
        "family",
        "boys",
        "girls",
        "boy",
        "girl",
        "infants",
        "babies",
        "persons",
        "casualties",
        "bombers",
        "bomber",
        "guardsmen",
        "constables",
        "constable",
        "militiamen",
        "jihadists",
        "combatants",
    ];
    NOUNS.contains(&word)
}

/// A count followed by what it counts: the count, the index of the victim noun and whether the
/// noun is plural-or-singular-compatible with the count.
pub fn counted_victims(words: &[&str], i: usize) -> Option<(Count, usize)> {
    let (count, after) = count_at(words, i)?;
    // The victim noun within four words ("twenty-five brave soldiers", "a Frontier Corps
    // soldier", "four security personnel").
    for k in after..(after + 5).min(words.len()) {
        let word = words[k];
        if is_victim_noun(word) {
            // "a soldier", not "a dozen soldiers" misread, nor "a ... people".
            let singular = !word.ends_with('s') || matches!(word, "police" | "personnel" | "staff");
            if count.min == 1
                && count.max.is_none()
                && count.qualifier.is_none()
                && !singular
                && matches!(words[i], "a" | "an")
            {
                return None;
            }
            // "two police officers": the noun phrase ends at its last noun.
            let mut last = k;
            while words.get(last + 1).is_some_and(|w| is_victim_noun(w)) {
                last += 1;
            }
            return Some((count, last));
        }
        // Stop at words that end the noun phrase.
        if matches!(
            word,
            "were"
                | "was"
                | "are"
                | "is"
                | "have"
                | "has"
                | "had"
                | "and"
                | "in"
                | "on"
                | "at"
                | "of"
                | "by"
                | "to"
                | "killed"
                | "injured"
                | "wounded"
                | "dead"
                | "with"
                | "from"
                | ","
                | "."
        ) {
            break;
        }
    }
    None
}

/// Killed and injured in one clause (words lower-cased): (killed, injured).
pub fn casualties(words: &[&str]) -> (Option<Count>, Option<Count>) {
    let mut killed: Option<Count> = None;
    let mut injured: Option<Count> = None;
    let add = |slot: &mut Option<Count>, c: Count| {
        *slot = Some(match *slot {
            Some(old) => old.combine(c),
            None => c,
        })
    };
    let w = |k: usize| words.get(k).copied().unwrap_or("");
    // Zero counts said outright.
    for i in 0..words.len() {
        match (w(i), w(i + 1), w(i + 2), w(i + 3)) {
            ("no", "casualties", _, _) | ("without", "casualties", _, _) => {
                killed = Some(Count::exact(0));
                injured = Some(Count::exact(0));
            }
            ("no" | "nobody", "one" | "was" | "were", _, _) | ("nobody", _, _, _) => {
                let rest = [w(i + 1), w(i + 2), w(i + 3)];
                if rest.iter().any(|x| matches!(*x, "killed" | "died")) {
                    killed = Some(Count::exact(0));
                }
                if rest.iter().any(|x| matches!(*x, "injured" | "hurt" | "wounded")) {
                    injured = Some(Count::exact(0));
                }
            }
            _ => {}
        }
    }
    let mut i = 0;
    while i < words.len() {
        let word = w(i);
        // Verb or noun first: "killing a soldier", "claimed the lives of 25 soldiers",
        // "the deaths of more than 100 people", "the loss of 16 soldiers", "injuring 30".
        let lead = match (word, w(i + 1), w(i + 2), w(i + 3)) {
            ("deaths" | "death" | "loss" | "killing" | "killings", "of", ..) => Some((true, i + 2)),
            ("killed" | "killing" | "kills" | "kill" | "massacred" | "slaughtered" | "martyring", ..) => {
                Some((true, i + 1))
            }
            ("shot" | "gunned", "dead" | "down", ..) => Some((true, i + 2)),
            ("claimed" | "claiming" | "claims" | "took" | "taking" | "takes", "the", "lives", "of") => {
                Some((true, i + 4))
            }
            ("injuring" | "wounding" | "injured" | "wounded" | "injures" | "wounds", ..) => Some((false, i + 1)),
            _ => None,
        };
        if let Some((is_killed, at)) = lead {
            if let Some((c, noun)) = counted_victims(words, at) {
                // "the loss of lives" is no count; "killing 5 and injuring 12" each get theirs.
                add(if is_killed { &mut killed } else { &mut injured }, c);
                i = noun + 1;
                continue;
            }
            // "killed 12" with no noun, before "and"/"," or at the end.
            if let Some((c, after)) = count_at(words, at)
                .filter(|_| !year_like(w(at)))
                .filter(|(_, a)| matches!(w(*a), "" | "and" | "," | "." | "others" | "in" | "on"))
            {
                if !matches!(w(at), "a" | "an" | "one") {
                    add(if is_killed { &mut killed } else { &mut injured }, c);
                    i = after;
                    continue;
                }
            }
        }
        // Death toll: "the death toll rose to 40".
        if word == "toll" && i > 0 && matches!(w(i - 1), "death" | "casualty") {
            for k in i + 1..(i + 6).min(words.len()) {
                if let Some((c, _)) = count_at(words, k).filter(|_| !matches!(w(k), "a" | "an")) {
                    add(&mut killed, c);
                    break;
                }
            }
        }
        // Count first: "four security personnel lost their lives", "at least 12 killed",
        // "left over 200 others injured", "100 lives were lost".
        if let Some((c, after, noun)) = counted_victims(words, i)
            .map(|(c, noun)| (c, noun + 1, Some(noun)))
            .or_else(|| count_at(words, i).map(|(c, a)| (c, a, None)))
        {
            let mut k = after;
            while matches!(
                w(k),
                "were"
                    | "was"
                    | "have"
                    | "has"
                    | "had"
                    | "been"
                    | "are"
                    | "is"
                    | "reportedly"
                    | "also"
                    | "all"
                    | "later"
                    | "were,"
                    | "confirmed"
                    | "others"
                    | "people"
            ) {
                k += 1;
            }
            let first_word_is_article = matches!(w(i), "a" | "an");
            let lives = noun.is_some_and(|n| matches!(w(n), "lives" | "life"));
            let verb_killed = match (w(k), w(k + 1), w(k + 2)) {
                ("killed" | "dead" | "died" | "martyred" | "slain" | "perished" | "massacred", ..) => true,
                ("shot", "dead", _) => true,
                ("lost", "their" | "his" | "her", "lives" | "life") => true,
                ("lost", ..) if lives => true,
                _ => false,
            };
            let verb_injured = matches!(w(k), "injured" | "wounded" | "hurt");
            // Without a noun only a bare number counts ("12 killed"), never "a"/"one".
            let bare_ok = noun.is_some() || (!first_word_is_article && w(i) != "one" && k == after && !year_like(w(i)));
            if bare_ok && (verb_killed || verb_injured) && !(first_word_is_article && noun.is_none()) {
                add(if verb_killed { &mut killed } else { &mut injured }, c);
                i = k + 1;
                continue;
            }
        }
        i += 1;
    }
    (killed, injured)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(|c: char| c.is_whitespace())
            .flat_map(|w| {
                let trimmed = w.trim_end_matches([',', '.']);
                let mut v = vec![trimmed.to_lowercase()];
                if trimmed.len() < w.len() {
                    v.push(w[trimmed.len()..trimmed.len() + 1].to_string());
                }
                v
            })
            .filter(|w| !w.is_empty())
            .collect()
    }

    fn cas(s: &str) -> (Option<Count>, Option<Count>) {
        let owned = words(s);
        let w: Vec<&str> = owned.iter().map(String::as_str).collect();
        casualties(&w)
    }

    fn q(min: u32, q: Qualifier) -> Option<Count> {
        Some(Count { min, max: None, qualifier: Some(q) })
    }

    #[test]
    fn number_words_and_digits() {
        assert_eq!(cas("The ambush claimed the lives of twenty-five brave soldiers").0, Some(Count::exact(25)));
        assert_eq!(cas("a blast killed 1,250 people").0, Some(Count::exact(1250)));
        assert_eq!(cas("gunmen shot dead two hundred villagers").0, Some(Count::exact(200)));
        assert_eq!(cas("an attack near the border, killing a Frontier Corps soldier").0, Some(Count::exact(1)));
        assert_eq!(
            cas("seven policemen were killed and a dozen others were wounded"),
            (Some(Count::exact(7)), Some(Count::exact(12)))
        );
        assert_eq!(cas("four security personnel lost their lives in clashes").0, Some(Count::exact(4)));
        assert_eq!(cas("resulting in the tragic loss of 16 soldiers").0, Some(Count::exact(16)));
    }

    #[test]
    fn qualifiers_are_kept() {
        let (k, i) = cas("resulted in the deaths of more than 100 people and left over 200 others injured");
        assert_eq!(k, q(100, Qualifier::MoreThan));
        assert_eq!(i, q(200, Qualifier::Over));
        assert_eq!(cas("at least 12 killed in the explosion").0, q(12, Qualifier::AtLeast));
        assert_eq!(cas("the strike killed dozens of fighters").0, q(24, Qualifier::Dozens));
        assert_eq!(cas("nearly 40 people died").0, q(40, Qualifier::Nearly));
        assert_eq!(cas("the death toll rose to at least 57").0, q(57, Qualifier::AtLeast));
        assert_eq!(cas("injuring scores of worshippers").1, q(40, Qualifier::Scores));
    }

    #[test]
    fn ranges_and_differing_reports() {
        assert_eq!(
            cas("between 10 and 15 people were killed").0,
            Some(Count { min: 10, max: Some(15), qualifier: None })
        );
        // Two figures in one report: the range both span.
        assert_eq!(
            cas("officials said 16 soldiers were killed ; local sources said 20 soldiers died").0,
            Some(Count { min: 16, max: Some(20), qualifier: None })
        );
        assert_eq!(
            Count::exact(16).combine(Count { min: 18, max: Some(22), qualifier: None }),
            Count { min: 16, max: Some(22), qualifier: None }
        );
        assert_eq!(Count { min: 100, max: None, qualifier: Some(Qualifier::MoreThan) }.text(), "more than 100");
    }

    #[test]
    fn no_count_where_none_is_given() {
        assert_eq!(cas("the loss of lives was mourned"), (None, None));
        assert_eq!(cas("the incident claimed the lives of numerous innocents"), (None, None));
        assert_eq!(cas("one of the soldiers later said the attack killed"), (None, None));
        assert_eq!(cas("the 2000 election killed the reform bill"), (None, None));
        assert_eq!(cas("no one was killed in the blast"), (Some(Count::exact(0)), None));
    }
}
