//! The words that make a sentence report an event of violence or a security action, and the
//! words that make it something else: a statistic, a habit, a hypothesis, a negation, an
//! anniversary, a comparison. Precision first: when a sentence could be either, it is left out.

use serde::{Deserialize, Serialize};

/// What happened, as ACLED would code it (see [`EventKind::acled`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    SuicideBomb,
    Explosive,
    AirStrike,
    Shelling,
    ArmedClash,
    /// An armed attack with no more detail (its target decides the ACLED type).
    Attack,
    Abduction,
    Arrest,
    /// A military or security operation.
    Operation,
}

/// Who an event was aimed at, when the sentence says it in general words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    SecurityForces,
    Police,
    Civilians,
    Militants,
}

impl Side {
    pub fn label(self) -> &'static str {
        match self {
            Side::SecurityForces => "security forces",
            Side::Police => "police",
            Side::Civilians => "civilians",
            Side::Militants => "militants",
        }
    }
}

impl EventKind {
    /// How much the kind says: when two reports of one event differ, the more specific stands
    /// ("the attack" and "the mosque bombing" are one bombing).
    pub fn specificity(self) -> u8 {
        match self {
            EventKind::Attack => 0,
            EventKind::Explosive | EventKind::ArmedClash | EventKind::Shelling => 1,
            _ => 2,
        }
    }

    /// Whether two reports may be of the same event.
    pub fn compatible(self, other: EventKind) -> bool {
        use EventKind::*;
        let violent = |k: EventKind| matches!(k, SuicideBomb | Explosive | Shelling | ArmedClash | Attack);
        self == other
            || (violent(self) && violent(other) && (self == Attack || other == Attack))
            || matches!((self, other), (SuicideBomb, Explosive) | (Explosive, SuicideBomb))
    }

    /// ACLED's event type and sub-event type. An attack whose target is not named has no ACLED
    /// type of its own: it is "Political violence" / "Attack (target not named)".
    pub fn acled(self, target: Option<Side>, killed: bool) -> (&'static str, &'static str) {
        const EXPLOSIONS: &str = "Explosions/Remote violence";
        match self {
            EventKind::SuicideBomb => (EXPLOSIONS, "Suicide bomb"),
            EventKind::Explosive => (EXPLOSIONS, "Remote explosive/landmine/IED"),
            EventKind::AirStrike => (EXPLOSIONS, "Air/drone strike"),
            EventKind::Shelling => (EXPLOSIONS, "Shelling/artillery/missile attack"),
            EventKind::ArmedClash => ("Battles", "Armed clash"),
            EventKind::Attack => match target {
                Some(Side::Civilians) => ("Violence against civilians", "Attack"),
                Some(_) => ("Battles", "Armed clash"),
                None => ("Political violence", "Attack (target not named)"),
            },
            EventKind::Abduction => ("Violence against civilians", "Abduction/forced disappearance"),
            EventKind::Arrest => ("Strategic developments", "Arrests"),
            EventKind::Operation if killed => ("Battles", "Armed clash"),
            EventKind::Operation => ("Strategic developments", "Other"),
        }
    }
}

/// A trigger word in a clause.
#[derive(Debug, Clone, Copy)]
pub struct Trigger {
    pub at: usize,
    pub kind: EventKind,
    pub plural: bool,
    /// Counts only with an armed cue in the clause ("attack" may be a heart attack or words).
    pub needs_cue: bool,
}

/// Word stems any event sentence has one of: an article without any is skipped at once.
pub const STEMS: &[&str] = &[
    "attack",
    "assault",
    "ambush",
    "raid",
    "bomb",
    "blast",
    "explo",
    "detonat",
    "blew",
    "strike",
    "struck",
    "shell",
    "clash",
    "gunfight",
    "firefight",
    "shootout",
    "skirmish",
    "abduct",
    "kidnap",
    "arrest",
    "detain",
    "apprehend",
    "nabbed",
    "operation",
    "killed",
    "killing",
    "dead ",
    "dead,",
    "dead.",
    "martyr",
    "stormed",
    "opened fire",
    "open fire",
    "gunned",
    "lives",
    "injur",
    "wound",
    "ied",
    "massacre",
    "targeted",
    "died",
    "airstrike",
    "air strike",
    "drone",
    "jets",
    "death",
    "exchange of fire",
    "encounter",
    "hit",
    "pounded",
    "bombard",
    "gunmen",
];

/// Which event a word at `i` (lower-cased words) names, if any.
pub fn trigger_at(w: &[&str], i: usize) -> Option<Trigger> {
    let word = w[i];
    let prev = if i > 0 { w[i - 1] } else { "" };
    let next = w.get(i + 1).copied().unwrap_or("");
    let t = |kind, plural, needs_cue| Some(Trigger { at: i, kind, plural, needs_cue });
    const FIGURATIVE: &[&str] = &[
        "heart",
        "panic",
        "cyber",
        "verbal",
        "personal",
        "political",
        "scathing",
        "blistering",
        "asthma",
        "anxiety",
        "stinging",
        "rhetorical",
        "media",
        "legal",
        "sexual",
        "sharp",
        "bitter",
        "fresh-air",
        "charm",
    ];
    if FIGURATIVE.contains(&prev) {
        return None;
    }
    match word {
        "air" | "drone" | "aerial"
            if matches!(next, "strike" | "strikes" | "raid" | "raids" | "attack" | "attacks") =>
        {
            t(EventKind::AirStrike, next.ends_with('s'), false)
        }
        "airstrike" | "air-strike" | "drone-strike" => t(EventKind::AirStrike, false, false),
        "airstrikes" | "air-strikes" | "drone-strikes" => t(EventKind::AirStrike, true, false),
        "attack" | "assault" | "raid" => t(EventKind::Attack, false, true),
        "attacked" | "raided" | "stormed" => t(EventKind::Attack, false, true),
        "attacks" | "assaults" | "raids" => t(EventKind::Attack, true, true),
        "ambush" | "ambushed" | "massacre" | "massacred" => t(EventKind::Attack, false, false),
        "ambushes" => t(EventKind::Attack, true, false),
        "fire" if prev == "opened" || prev == "open" => t(EventKind::Attack, false, false),
        "dead" | "down" if prev == "shot" || prev == "gunned" => t(EventKind::Attack, false, false),
        "bombing" | "bombed" => t(EventKind::Explosive, false, false),
        "bombings" => t(EventKind::Explosive, true, false),
        "bomb" if !matches!(next, "threat" | "threats" | "scare" | "disposal" | "squad" | "hoax") => {
            t(EventKind::Explosive, false, true)
        }
        "blast" | "explosion" | "exploded" | "detonated" | "car-bomb" => t(EventKind::Explosive, false, true),
        "blew" if matches!(next, "up" | "himself" | "herself" | "themselves") => t(EventKind::Explosive, false, true),
        "blasts" | "explosions" | "bombs" => t(EventKind::Explosive, true, true),
        "ied" | "landmine" | "roadside" if word != "roadside" || next == "bomb" => {
            t(EventKind::Explosive, false, false)
        }
        "ieds" | "landmines" => t(EventKind::Explosive, true, false),
        "strike" | "strikes"
            if matches!(
                prev,
                "retaliatory"
                    | "military"
                    | "missile"
                    | "precision"
                    | "punitive"
                    | "cross-border"
                    | "rocket"
                    | "artillery"
                    | "preemptive"
                    | "pre-emptive"
                    | "surgical"
                    | "targeted"
                    | "counter"
            ) =>
        {
            t(EventKind::AirStrike, word == "strikes", false)
        }
        "shelling" | "shelled" => t(EventKind::Shelling, false, false),
        "clash" | "clashed" => t(EventKind::ArmedClash, false, true),
        "clashes" => t(EventKind::ArmedClash, true, true),
        "gunfight" | "firefight" | "shootout" | "skirmish" | "gunbattle" | "gun-battle" | "encounter"
            if word != "encounter" || prev == "armed" =>
        {
            t(EventKind::ArmedClash, false, false)
        }
        "gunfights" | "skirmishes" => t(EventKind::ArmedClash, true, false),
        "exchange" if next == "of" && w.get(i + 2) == Some(&"fire") => t(EventKind::ArmedClash, false, false),
        "abducted" | "kidnapped" | "abduction" | "kidnapping" | "abducting" => t(EventKind::Abduction, false, false),
        "abductions" | "kidnappings" => t(EventKind::Abduction, true, false),
        "arrested" | "detained" | "apprehended" | "nabbed" => t(EventKind::Arrest, false, false),
        "arrest" if next != "warrant" && next != "warrants" => t(EventKind::Arrest, false, false),
        "arrests" => t(EventKind::Arrest, true, false),
        "operation" | "operations"
            if matches!(
                prev,
                "military"
                    | "security"
                    | "intelligence-based"
                    | "counter-terrorism"
                    | "counterterrorism"
                    | "search"
                    | "clearance"
                    | "combing"
                    | "ground"
                    | "anti-terror"
                    | "anti-terrorist"
                    | "joint"
                    | "cordon"
            ) =>
        {
            t(EventKind::Operation, word == "operations", false)
        }
        _ => None,
    }
}

/// Verbs that make an event only with an armed agent in the clause ("jets struck").
pub fn is_weak_verb(word: &str) -> bool {
    matches!(word, "struck" | "targeted" | "hit" | "pounded" | "bombarded" | "strikes" | "strike")
}

/// Who does the violence, and what kind of event it makes.
pub fn agent_kind(word: &str) -> Option<EventKind> {
    Some(match word {
        "jets" | "warplanes" | "aircraft" | "drones" | "drone" | "helicopters" | "gunships" | "fighter-jets"
        | "planes" | "jet" | "warplane" => EventKind::AirStrike,
        "bomber" | "bombers" => EventKind::Explosive,
        "missile" | "missiles" | "rocket" | "rockets" | "artillery" | "mortar" | "mortars" | "shells" => {
            EventKind::Shelling
        }
        "militants" | "gunmen" | "insurgents" | "terrorists" | "attackers" | "assailants" | "fighters" | "rebels"
        | "jihadists" | "extremists" | "gunman" | "militant" | "terrorist" => EventKind::Attack,
        _ => return None,
    })
}

/// Words that show a clause is about armed violence.
pub fn is_armed_cue(word: &str) -> bool {
    agent_kind(word).is_some()
        || matches!(
            word,
            "terror"
                | "security"
                | "forces"
                | "troops"
                | "soldiers"
                | "soldier"
                | "police"
                | "policemen"
                | "army"
                | "military"
                | "checkpoint"
                | "checkpost"
                | "post"
                | "convoy"
                | "camp"
                | "base"
                | "installation"
                | "station"
                | "mosque"
                | "church"
                | "temple"
                | "market"
                | "gun"
                | "guns"
                | "rifle"
                | "rifles"
                | "grenade"
                | "grenades"
                | "explosive"
                | "explosives"
                | "bomb"
                | "ied"
                | "suicide"
                | "armed"
                | "insurgent"
                | "militia"
                | "paramilitary"
                | "frontier"
                | "rangers"
                | "personnel"
                | "cantonment"
                | "gun-attack"
                | "firing"
                | "shot"
                | "gunfire"
        )
}

/// The side a general word names.
pub fn side_of(word: &str) -> Option<Side> {
    Some(match word {
        "soldiers" | "soldier" | "troops" | "security" | "forces" | "army" | "military" | "post" | "checkpoint"
        | "checkpost" | "convoy" | "installation" | "base" | "cantonment" | "personnel" | "fc" | "frontier"
        | "rangers" | "paramilitary" | "paramilitaries" | "sepoys" | "jawans" | "garrison" | "barracks" => {
            Side::SecurityForces
        }
        "police" | "policemen" | "policeman" | "constables" | "constable" | "cops" => Side::Police,
        "civilians" | "worshippers" | "worshipers" | "mosque" | "church" | "temple" | "market" | "school" | "bus"
        | "passengers" | "children" | "wedding" | "funeral" | "shrine" | "villagers" | "residents" | "students"
        | "pilgrims" | "shoppers" | "journalists" | "hospital" | "bazaar" | "rally" => Side::Civilians,
        "militants" | "terrorists" | "hideouts" | "camps" | "insurgents" | "suspects" | "hideout" | "sanctuaries"
        | "fighters" | "rebels" => Side::Militants,
        _ => return None,
    })
}

/// Whether the words contain this sequence.
pub fn has_seq(w: &[&str], seq: &[&str]) -> bool {
    w.windows(seq.len()).any(|win| win == seq)
}

/// Why a clause reports no event, if it does not: the filters, in the order they are tried.
pub fn rejection(w: &[&str], original: &[&str], specific_date: bool, casualties: bool) -> Option<&'static str> {
    let any = |list: &[&str]| w.iter().any(|x| list.contains(x));
    // Statistics: totals over a period, rates, counts of events ("hundreds of attacks").
    const STAT_WORDS: &[&str] = &[
        "percent",
        "%",
        "statistics",
        "figures",
        "tally",
        "average",
        "annual",
        "annually",
        "alone",
        "witnessed",
        "recorded",
        "cumulative",
        "terror-related",
        "terrorism-related",
        "compared",
        "year-on-year",
        "overall",
    ];
    const STAT_SEQS: &[&[&str]] = &[
        &["to", "terrorism"],
        &["to", "terror"],
        &["to", "violence"],
        &["per", "cent"],
        &["so", "far", "this"],
        &["in", "total"],
        &["a", "total", "of"],
        &["number", "of"],
        &["rise", "in"],
        &["increase", "in"],
        &["surge", "in"],
        &["decline", "in"],
        &["spike", "in"],
        &["drop", "in"],
        &["per", "year"],
        &["each", "year"],
        &["every", "year"],
        &["over", "the", "past"],
        &["over", "the", "last"],
        &["in", "the", "past"],
        &["during", "the", "year"],
        &["since", "the", "start"],
    ];
    if any(STAT_WORDS) || STAT_SEQS.iter().any(|s| has_seq(w, s)) {
        return Some("statistic");
    }
    // A count right before a plural event noun: "hundreds of militant attacks", "12 bombings".
    for i in 0..w.len() {
        if trigger_at(w, i).is_some_and(|t| t.plural) {
            let before = &w[i.saturating_sub(3)..i];
            let counted = before.iter().any(|b| {
                b.bytes().all(|c| c.is_ascii_digit() || c == b',')
                    || matches!(
                        *b,
                        "hundreds"
                            | "dozens"
                            | "scores"
                            | "numerous"
                            | "several"
                            | "many"
                            | "multiple"
                            | "series"
                            | "spate"
                            | "string"
                            | "thousands"
                            | "frequent"
                            | "repeated"
                            | "more"
                            | "most"
                            | "these"
                            | "such"
                            | "other"
                            | "similar"
                            | "future"
                            | "such-like"
                    )
            });
            if counted && !casualties {
                return Some("statistic");
            }
        }
    }
    // Habits and trends.
    const HABIT: &[&str] = &[
        "frequently",
        "often",
        "regularly",
        "repeatedly",
        "routinely",
        "increasingly",
        "usually",
        "continue",
        "continues",
        "continued",
        "continuing",
        "typically",
        "generally",
        "sometimes",
        "occasionally",
        "ongoing",
        "wave",
    ];
    if any(HABIT) {
        return Some("habit or trend");
    }
    // Negation, denial, foiled plots.
    const NEG: &[&str] = &[
        "not",
        "never",
        "n't",
        "neither",
        "nor",
        "denied",
        "deny",
        "denies",
        "false",
        "hoax",
        "foiled",
        "thwarted",
        "averted",
        "prevented",
        "foil",
        "thwart",
        "avert",
        "prevent",
        "failed",
        "fake",
        "debunked",
        "no",
    ];
    let zero = has_seq(w, &["no", "casualties"])
        || has_seq(w, &["no", "one"])
        || has_seq(w, &["no", "injuries"])
        || has_seq(w, &["no", "deaths"]);
    if w.iter().enumerate().any(|(i, x)| NEG.contains(x) && !(zero && *x == "no" && i + 1 < w.len())) {
        return Some("negation");
    }
    // Hypotheses, threats, plans, the future, the modal; "may" only in lower case (May is a month).
    const HYPO: &[&str] = &[
        "could",
        "would",
        "might",
        "if",
        "unless",
        "should",
        "must",
        "can",
        "cannot",
        "will",
        "shall",
        "threatened",
        "threatens",
        "threaten",
        "warned",
        "warns",
        "warning",
        "vowed",
        "vows",
        "plans",
        "planned",
        "planning",
        "plot",
        "plotting",
        "intend",
        "intends",
        "intended",
        "prepared",
        "ready",
        "willing",
        "possible",
        "possibly",
        "potential",
        "potentially",
        "risk",
        "risks",
        "feared",
        "fear",
        "fears",
        "hypothetical",
        "imagine",
        "likely",
        "unlikely",
        "expected",
        "whether",
        "allegedly",
        "alleged",
        "rumoured",
        "rumored",
        "believed",
        "presumably",
    ];
    if any(HYPO) || original.contains(&"may") {
        return Some("hypothesis, threat or plan");
    }
    // "to launch attacks", "to strike": purpose, not a report.
    for pair in w.windows(2) {
        if pair[0] == "to"
            && matches!(
                pair[1],
                "launch"
                    | "carry"
                    | "conduct"
                    | "attack"
                    | "strike"
                    | "target"
                    | "kill"
                    | "bomb"
                    | "hit"
                    | "use"
                    | "curb"
                    | "prevent"
                    | "counter"
                    | "combat"
                    | "tackle"
                    | "address"
                    | "respond"
            )
        {
            return Some("purpose or plan");
        }
    }
    // Remembrance and anniversaries.
    const ANNIV: &[&str] = &[
        "anniversary",
        "commemorate",
        "commemorated",
        "commemorating",
        "commemoration",
        "memorial",
        "remembrance",
        "remembered",
        "remember",
        "mark",
        "marks",
        "marked",
        "mourning",
        "ago",
    ];
    if any(ANNIV) {
        return Some("anniversary or remembrance");
    }
    // Policy talk, reactions, characterisations.
    const POLICY: &[&str] = &[
        "strategy",
        "policy",
        "policies",
        "cooperation",
        "need",
        "needs",
        "needed",
        "urge",
        "urged",
        "urges",
        "calls",
        "demand",
        "demands",
        "condemn",
        "condemned",
        "condemns",
        "condemnation",
        "condemning",
        "measures",
        "efforts",
        "approach",
        "dialogue",
        "talks",
        "negotiations",
        "counterterrorism",
        "lessons",
        "attributed",
        "blamed",
        "criticised",
        "criticized",
        "debate",
        "reactions",
        "legislation",
        "law",
        "laws",
    ];
    if any(POLICY) {
        return Some("policy or reaction");
    }
    // Comparisons and superlatives ("the first attack of its kind") unless the clause gives
    // a date or a count of its own.
    const COMPARE: &[&str] = &["deadliest", "worst", "largest", "biggest", "first", "kind", "similar", "like"];
    if any(COMPARE) && !specific_date && !casualties {
        return Some("comparison");
    }
    // Background: "since" and "ago" without a date of the clause's own.
    if w.contains(&"since") && !specific_date {
        return Some("background");
    }
    None
}

/// Disasters and accidents: deaths that are not violence.
pub fn is_not_violence(w: &[&str]) -> bool {
    const WORDS: &[&str] = &[
        "accident",
        "crash",
        "collision",
        "flood",
        "floods",
        "flooding",
        "earthquake",
        "landslide",
        "stampede",
        "storm",
        "cyclone",
        "drowned",
        "drowning",
        "heatwave",
        "disease",
        "outbreak",
        "virus",
        "covid",
        "overdose",
        "collapsed",
        "collapse",
        "derailed",
        "electrocuted",
        "avalanche",
        "blaze",
        "wildfire",
        "hurricane",
        "typhoon",
        "tornado",
        "mine-collapse",
        "gas-leak",
        "cholera",
        "dengue",
        "crashed",
    ];
    w.iter().any(|x| WORDS.contains(x))
}

/// Words before an event noun that say it was reported elsewhere ("a day after the Peshawar
/// attack"): the noun names another event, not this clause's.
pub fn is_reference_word(word: &str) -> bool {
    matches!(word, "after" | "following" | "since" | "before" | "like" | "than" | "amid" | "despite")
}

/// Determiners that make an event noun point back to an event already told.
pub fn is_anaphoric_determiner(word: &str) -> bool {
    matches!(word, "the" | "this" | "that" | "these" | "those" | "such" | "its" | "their")
}

/// Clause openings that carry the previous sentence's date ("Hours later, …").
pub fn carries_date(w: &[&str]) -> bool {
    matches!(
        (w.first().copied().unwrap_or(""), w.get(1).copied().unwrap_or(""), w.get(2).copied().unwrap_or("")),
        ("hours" | "minutes" | "moments", "later", _)
            | ("later", "that" | "the", _)
            | ("the", "same", "day" | "night")
            | ("that", "day" | "night" | "evening" | "morning", _)
            | ("earlier", "that" | "the", _)
            | ("shortly", "after" | "afterwards", _)
            | ("soon", "after", _)
            | ("meanwhile", _, _)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower(s: &str) -> Vec<String> {
        s.split_whitespace().map(|w| w.trim_matches([',', '.']).to_lowercase()).collect()
    }

    fn why(s: &str, date: bool, cas: bool) -> Option<&'static str> {
        let l = lower(s);
        let w: Vec<&str> = l.iter().map(String::as_str).collect();
        let o: Vec<&str> = s.split_whitespace().collect();
        rejection(&w, &o, date, cas)
    }

    #[test]
    fn statistics_habits_hypotheses_and_negations_are_no_events() {
        assert_eq!(why("With over 1,600 lives lost to terrorism in 2024 alone", false, true), Some("statistic"));
        assert_eq!(
            why("The outgoing year has witnessed hundreds of militant attacks", false, false),
            Some("statistic")
        );
        assert_eq!(why("an 84 percent increase in attacks", false, false), Some("statistic"));
        assert_eq!(why("Kidnappings in Sindh rose sharply: 40 abductions in March", false, false), Some("statistic"));
        assert_eq!(why("The group has frequently attacked police posts", false, false), Some("habit or trend"));
        assert_eq!(why("Militants could attack the convoy", false, false), Some("hypothesis, threat or plan"));
        assert_eq!(
            why("The group threatened attacks on polling stations", false, false),
            Some("hypothesis, threat or plan")
        );
        assert_eq!(why("They may strike again", false, false), Some("hypothesis, threat or plan"));
        assert_eq!(why("Police said the blast was not a terrorist attack", false, false), Some("negation"));
        assert_eq!(why("Security forces foiled a bomb plot in Quetta", false, false), Some("negation"));
        assert_eq!(
            why("Mourners gathered on the tenth anniversary of the school massacre", false, false),
            Some("anniversary or remembrance")
        );
        assert_eq!(
            why("The government must respond to the attack with a new strategy", false, false),
            Some("hypothesis, threat or plan")
        );
        assert_eq!(why("It was the first terror attack of its kind in the province", false, false), Some("comparison"));
    }

    #[test]
    fn reports_pass() {
        assert_eq!(why("Suicide bombers struck the cantonment on Tuesday", true, false), None);
        assert_eq!(why("No one was killed in the blast at the market", false, true), None);
        assert_eq!(why("Gunmen killed 12 passengers on a bus in Kurram on Friday", true, true), None);
    }

    #[test]
    fn figurative_attacks_and_labour_strikes_are_no_triggers() {
        let w = ["a", "heart", "attack"];
        assert!(trigger_at(&w, 2).is_none());
        let w = ["workers", "went", "on", "strike"];
        assert!(trigger_at(&w, 3).is_none());
        let w = ["a", "retaliatory", "strike"];
        assert_eq!(trigger_at(&w, 2).map(|t| t.kind), Some(EventKind::AirStrike));
        let w = ["a", "drone", "strike"];
        assert_eq!(trigger_at(&w, 1).map(|t| t.kind), Some(EventKind::AirStrike));
    }
}
