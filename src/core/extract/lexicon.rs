//! The word lists extraction stands on, compiled into the binary from `assets/` and loaded once.
//! Sources and licences: `assets/README.md`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

use super::Kind;

const ENGLISH_WORDS: &str = include_str!("../../../assets/lexicon/english_words.txt");
const CENSUS_FIRST_NAMES: &str = include_str!("../../../assets/lexicon/first_names_census.txt");
const GIVEN_NAMES: &str = include_str!("../../../assets/lexicon/given_names.txt");
const PERSON_TITLES: &str = include_str!("../../../assets/lexicon/person_titles.txt");
const ORGANISATION_HEADS: &str = include_str!("../../../assets/lexicon/organisation_heads.txt");
const PLACE_HEADS: &str = include_str!("../../../assets/lexicon/place_heads.txt");
const DIRECTION_WORDS: &str = include_str!("../../../assets/lexicon/direction_words.txt");
const CONTEXT_CUES: &str = include_str!("../../../assets/lexicon/context_cues.txt");
const GROUPS: &str = include_str!("../../../assets/lexicon/groups.txt");
const ORGANISATIONS: &str = include_str!("../../../assets/lexicon/organisations.txt");
const PLACES: &str = include_str!("../../../assets/lexicon/places.txt");
const NOT_ENTITY_ACRONYMS: &str = include_str!("../../../assets/lexicon/acronyms.txt");
const WORLD_NAMES: &str = include_str!("../../../assets/lexicon/world_names.txt");
const PLACES_1000: &str = include_str!("../../../assets/gazetteer/places1000.txt");
const WORDNET_NAMES: &str = include_str!("../../../assets/lexicon/wordnet_names.txt");
const BRANDS: &str = include_str!("../../../assets/lexicon/brands.txt");
pub(crate) const CITIES: &str = include_str!("../../../assets/gazetteer/cities.tsv");
pub(crate) const COUNTRIES: &str = include_str!("../../../assets/gazetteer/countries.tsv");
const US_STATES: &str = include_str!("../../../assets/gazetteer/us_states.tsv");

/// A name the lexicon knows: its kind, and the canonical name when it is a listed alias.
#[derive(Debug, Clone)]
pub struct Known {
    pub kind: Kind,
    pub canonical: Option<String>,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    /// Lower-case English words: a capitalised one at a sentence start is not a name.
    pub english: HashSet<String>,
    /// Lower-case given names.
    pub first_names: HashSet<String>,
    /// Keys of person titles; the longest has `max_title_words` words.
    pub titles: HashSet<String>,
    pub max_title_words: usize,
    pub organisation_heads: HashSet<String>,
    pub place_heads: HashSet<String>,
    pub directions: HashSet<String>,
    pub cues: HashMap<String, Kind>,
    /// Keys of known names: places, organisations, groups.
    pub known: HashMap<String, Known>,
    pub not_entity_acronyms: HashSet<String>,
    /// Given names and surnames of many countries (folded, lower case): tagger features.
    pub world_given: HashSet<String>,
    pub world_surnames: HashSet<String>,
    /// Keys of populated places of 1,000 people or more that `known` does not list: evidence
    /// for the tagger and after a locative cue ("in Husaybah"), never a place on their own.
    pub small_places: HashSet<String>,
    /// WordNet's proper names by kind and brand names, as one-word keys with their
    /// `Lists::WORDNET_*` and `Lists::BRAND` bits: a one-word name is its kind, and so is each
    /// word of a longer name that is no English word (each word of a person's name).
    pub proper_names: HashMap<String, u8>,
    /// Keys of city names and their alternates, written in mixed case: an all-capitals word
    /// never matches one of these ("USI" is no spelling of Wuxi).
    pub city_keys: HashSet<String>,
    /// Names with capitals inside ("LeT", "McDonald's"), by key: only this writing matches them
    /// ("Let" starting a sentence is no Lashkar-e-Taiba).
    pub cased: HashMap<String, String>,
    /// Every word list a lower-cased word is looked up in, by that word: one look-up for what
    /// would be several (the sets above stay as they are; this only merges their answers).
    pub word_lists: HashMap<String, Lists>,
    /// The same for the lists a name's key is looked up in (titles, directions, small places).
    pub key_lists: HashMap<String, Lists>,
}

/// Which word lists hold a string ([`Lexicon::word_lists`], [`Lexicon::key_lists`]): bits, and
/// the cue's kind when it is a cue word.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lists {
    pub bits: u8,
    pub cue: Option<Kind>,
}

impl Lists {
    pub const ENGLISH: u8 = 1;
    pub const FIRST_NAME: u8 = 1 << 1;
    pub const WORLD_GIVEN: u8 = 1 << 2;
    pub const WORLD_SURNAME: u8 = 1 << 3;
    pub const ORGANISATION_HEAD: u8 = 1 << 4;
    pub const PLACE_HEAD: u8 = 1 << 5;
    pub const TITLE: u8 = 1 << 6;
    pub const DIRECTION: u8 = 1 << 7;
    /// In `key_lists`, the bit of a small place (no word list is looked up by it).
    pub const SMALL_PLACE: u8 = 1;
    /// In `key_lists`, WordNet's proper names by kind ([`Lexicon::proper_names`]).
    pub const WORDNET_PERSON: u8 = 1 << 1;
    pub const WORDNET_ORGANISATION: u8 = 1 << 2;
    pub const WORDNET_PLACE: u8 = 1 << 3;
    pub const WORDNET_OTHER: u8 = 1 << 4;
    /// In `key_lists`, a brand's name (a company, a service, a product).
    pub const BRAND: u8 = 1 << 5;

    pub fn has(self, bit: u8) -> bool {
        self.bits & bit != 0
    }
}

/// A hash of every word list, so caches of extractions made with other lists are not trusted.
pub fn data_fingerprint() -> u64 {
    let all = [
        ENGLISH_WORDS,
        CENSUS_FIRST_NAMES,
        GIVEN_NAMES,
        PERSON_TITLES,
        ORGANISATION_HEADS,
        PLACE_HEADS,
        DIRECTION_WORDS,
        CONTEXT_CUES,
        GROUPS,
        ORGANISATIONS,
        PLACES,
        NOT_ENTITY_ACRONYMS,
        CITIES,
        COUNTRIES,
        US_STATES,
        WORLD_NAMES,
        PLACES_1000,
        WORDNET_NAMES,
        BRANDS,
    ];
    let mut h = crate::core::text::StableHasher::default();
    for part in all {
        part.bytes().for_each(|b| h.write_byte(b));
        h.write_byte(0);
    }
    xxhash_rust::xxh3::xxh3_64(super::tagger::weight_bytes()).to_le_bytes().iter().for_each(|&b| h.write_byte(b));
    h.value()
}

/// The key names are compared by: accents folded, lower case, punctuation as spaces, dots in
/// abbreviations dropped ("U.S." and "US" share one).
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    crate::core::text::fold_key_into(name, true, &mut out);
    out
}

fn is_all_capitals(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
}

fn lines(source: &str) -> impl Iterator<Item = &str> {
    source.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    /// The lexicon compiled into the binary, loaded on first use.
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(Lexicon::load)
    }

    fn load() -> Self {
        let mut lex = Lexicon { english: lines(ENGLISH_WORDS).map(str::to_string).collect(), ..Lexicon::default() };
        lex.first_names = lines(CENSUS_FIRST_NAMES).chain(lines(GIVEN_NAMES)).map(str::to_lowercase).collect();
        for t in lines(PERSON_TITLES) {
            let key = name_key(t);
            lex.max_title_words = lex.max_title_words.max(key.split(' ').count());
            lex.titles.insert(key);
        }
        lex.organisation_heads = lines(ORGANISATION_HEADS).map(str::to_lowercase).collect();
        lex.place_heads = lines(PLACE_HEADS).map(str::to_lowercase).collect();
        lex.directions = lines(DIRECTION_WORDS).map(name_key).collect();
        for line in lines(CONTEXT_CUES) {
            if let Some((kind, word)) = line.split_once(':') {
                if let Some(kind) = Kind::parse(kind.trim()) {
                    lex.cues.insert(word.trim().to_lowercase(), kind);
                }
            }
        }
        for line in lines(WORLD_NAMES) {
            match line.split_once(' ') {
                Some(("given", name)) => lex.world_given.insert(name.to_string()),
                Some(("surname", name)) => lex.world_surnames.insert(name.to_string()),
                _ => false,
            };
        }
        lex.not_entity_acronyms = lines(NOT_ENTITY_ACRONYMS).map(str::to_string).collect();

        // Least certain first: later lists overwrite earlier ones.
        lex.add_cities();
        for line in lines(COUNTRIES).chain(lines(US_STATES)) {
            let name = line.split('\t').next().unwrap_or("");
            lex.add(name, Kind::Place, None);
        }
        for country in rust_iso3166::ALL {
            if !country.name.contains(['(', ',']) {
                lex.add(country.name, Kind::Place, None);
            }
            for sub in country.subdivisions().unwrap_or(&[]) {
                let key = name_key(sub.name);
                if !sub.name.contains([',', '('])
                    && !lex.english.contains(&key)
                    && !lex.first_names.contains(&key)
                    && !key.is_empty()
                {
                    lex.add(sub.name, Kind::Place, None);
                }
            }
        }
        for g in lines(GROUPS) {
            lex.add(g, Kind::Group, None);
        }
        lex.add_alias_lines(PLACES, Kind::Place);
        lex.add_alias_lines(ORGANISATIONS, Kind::Organization);
        lex.small_places = lines(PLACES_1000).map(name_key).filter(|k| !lex.known.contains_key(k)).collect();
        lex.proper_names = lex.proper_names();
        lex.merge_lists();
        lex
    }

    /// [`Lexicon::proper_names`] from WordNet's `KIND NAME` lines and the brands' names.
    fn proper_names(&self) -> HashMap<String, u8> {
        let mut out: HashMap<String, u8> = HashMap::default();
        let wordnet = lines(WORDNET_NAMES).filter_map(|line| {
            let (kind, name) = line.split_once(' ')?;
            let bit = match kind {
                "per" => Lists::WORDNET_PERSON,
                "org" => Lists::WORDNET_ORGANISATION,
                "loc" => Lists::WORDNET_PLACE,
                "misc" => Lists::WORDNET_OTHER,
                _ => return None,
            };
            Some((bit, name))
        });
        for (bit, name) in wordnet.chain(lines(BRANDS).map(|name| (Lists::BRAND, name))) {
            let key = name_key(name);
            if !key.contains(' ') {
                *out.entry(key).or_default() |= bit;
                continue;
            }
            for word in name.split(' ').filter(|w| w.starts_with(char::is_uppercase)) {
                let key = name_key(word);
                if bit == Lists::WORDNET_PERSON || !self.english.contains(&key) {
                    *out.entry(key).or_default() |= bit;
                }
            }
        }
        out.remove("");
        out
    }

    /// Builds `word_lists` and `key_lists` from the sets.
    fn merge_lists(&mut self) {
        let mut words: HashMap<String, Lists> = HashMap::default();
        let sets = [
            (&self.english, Lists::ENGLISH),
            (&self.first_names, Lists::FIRST_NAME),
            (&self.world_given, Lists::WORLD_GIVEN),
            (&self.world_surnames, Lists::WORLD_SURNAME),
            (&self.organisation_heads, Lists::ORGANISATION_HEAD),
            (&self.place_heads, Lists::PLACE_HEAD),
            (&self.titles, Lists::TITLE),
        ];
        words.reserve(self.english.len() + self.first_names.len() + self.world_surnames.len());
        for (set, bit) in sets {
            for w in set {
                words.entry(w.clone()).or_default().bits |= bit;
            }
        }
        for (w, &kind) in &self.cues {
            words.entry(w.clone()).or_default().cue = Some(kind);
        }
        let mut keys: HashMap<String, Lists> = HashMap::default();
        for (set, bit) in [
            (&self.titles, Lists::TITLE),
            (&self.directions, Lists::DIRECTION),
            (&self.small_places, Lists::SMALL_PLACE),
        ] {
            for k in set {
                keys.entry(k.clone()).or_default().bits |= bit;
            }
        }
        for (k, &bits) in &self.proper_names {
            keys.entry(k.clone()).or_default().bits |= bits;
        }
        self.word_lists = words;
        self.key_lists = keys;
    }

    /// The lists holding a lower-cased word.
    pub fn word_lists(&self, lower: &str) -> Lists {
        self.word_lists.get(lower).copied().unwrap_or_default()
    }

    /// The lists holding a name's key.
    pub fn key_lists(&self, key: &str) -> Lists {
        self.key_lists.get(key).copied().unwrap_or_default()
    }

    fn add(&mut self, name: &str, kind: Kind, canonical: Option<&str>) {
        let key = name_key(name);
        if !key.is_empty() {
            self.city_keys.remove(&key);
            let inner_capital = name.chars().skip(1).any(char::is_uppercase) && !name.chars().any(char::is_whitespace);
            if inner_capital && !is_all_capitals(name) && self.english.contains(&key) {
                self.cased.insert(key.clone(), name.to_string());
            } else {
                self.cased.remove(&key);
            }
            self.known.insert(key, Known { kind, canonical: canonical.map(str::to_string) });
        }
    }

    fn add_alias_lines(&mut self, source: &str, kind: Kind) {
        for line in lines(source) {
            let mut names = line.split('|').map(str::trim);
            let Some(canonical) = names.next() else { continue };
            self.add(canonical, kind, Some(canonical));
            for alias in names {
                self.add(alias, kind, Some(canonical));
            }
        }
    }

    /// Cities of 15,000 people or more. A one-word city name that is also an English word or a
    /// given name ("Tank", "Florence") counts only for large cities.
    fn add_cities(&mut self) {
        for line in lines(CITIES) {
            let mut cols = line.split('\t');
            let (Some(name), Some(_country), Some(pop)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let population: u64 = pop.parse().unwrap_or(0);
            let alternates = cols.next().unwrap_or("");
            for n in std::iter::once(name).chain(alternates.split('|').filter(|a| !a.is_empty())) {
                let key = name_key(n);
                let ambiguous = !key.contains(' ')
                    && (self.english.contains(&key) || self.first_names.contains(&key) || key.len() <= 3);
                if (ambiguous && population < 1_000_000) || self.known.contains_key(&key) {
                    continue;
                }
                self.add(n, Kind::Place, None);
                self.city_keys.insert(key);
            }
        }
    }

    /// [`Lexicon::lookup`] for a name as written: an all-capitals word never matches a city's
    /// case-folded alternate ("USI" is not Wuxi), and a name with inner capitals only matches
    /// written so ("Let" is not LeT).
    pub fn lookup_written(&self, written: &str, key: &str) -> Option<&Known> {
        let acronym_of_city = super::tokens::is_acronym(written) && self.city_keys.contains(key);
        let miscased = self.cased.get(key).is_some_and(|w| w != written);
        if acronym_of_city || miscased {
            return None;
        }
        self.known.get(key)
    }

    pub fn lookup(&self, key: &str) -> Option<&Known> {
        self.known.get(key)
    }

    pub fn is_english(&self, lower: &str) -> bool {
        self.english.contains(lower)
    }

    /// [`Lexicon::is_english`] of a word in any case: lower-cased on the stack when it is ASCII
    /// and short (as `to_lowercase` would, without a string per word).
    pub fn is_english_lowercased(&self, word: &str) -> bool {
        let mut buf = [0u8; 48];
        if word.is_ascii() && word.len() <= buf.len() {
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return std::str::from_utf8(lower).is_ok_and(|w| self.english.contains(w));
        }
        self.english.contains(&word.to_lowercase())
    }
}
