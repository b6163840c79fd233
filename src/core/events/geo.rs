//! What the bundled gazetteer knows of a place name: whether it is a country, a province (an
//! ISO 3166-2 subdivision) or a city, and in which country. Loaded on first use, only by the
//! views and commands that show events (never while a collection is loaded).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::core::extract::lexicon::{name_key, CITIES, COUNTRIES};

/// How large a place is: smaller is more specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// A place the gazetteer does not know (a village, a district, "Bannu Cantonment").
    Local,
    City,
    Province,
    Country,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceInfo {
    pub level: Level,
    /// ISO 3166-1 alpha-2 codes of the countries it may be in (a province name may be shared:
    /// Punjab is in India and Pakistan).
    pub countries: Vec<&'static str>,
}

struct Geo {
    places: HashMap<String, PlaceInfo>,
    country_names: HashMap<&'static str, &'static str>,
}

fn geo() -> &'static Geo {
    static GEO: OnceLock<Geo> = OnceLock::new();
    GEO.get_or_init(|| {
        let mut places: HashMap<String, PlaceInfo> = HashMap::new();
        let mut country_names = HashMap::new();
        let rows = |src: &'static str| {
            src.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| l.split('\t').collect::<Vec<_>>())
        };
        // Cities, largest first in the file: the first country given for a name stands.
        for cols in rows(CITIES) {
            if let (Some(name), Some(cc)) = (cols.first(), cols.get(1)) {
                places.entry(name_key(name)).or_insert(PlaceInfo { level: Level::City, countries: vec![cc] });
            }
        }
        for country in rust_iso3166::ALL {
            for sub in country.subdivisions().unwrap_or(&[]) {
                let info =
                    places.entry(name_key(sub.name)).or_insert(PlaceInfo { level: Level::Province, countries: vec![] });
                if info.level != Level::Province {
                    // A city and a province of one name (Peshawar): the city is more specific,
                    // and a province of that name in another country is not it.
                    continue;
                }
                if !info.countries.contains(&country.alpha2) {
                    info.countries.push(country.alpha2);
                }
            }
        }
        for cols in rows(COUNTRIES) {
            if let (Some(name), Some(cc)) = (cols.first(), cols.get(1)) {
                country_names.insert(*cc, *name);
                places.insert(name_key(name), PlaceInfo { level: Level::Country, countries: vec![cc] });
            }
        }
        // Common short forms the table spells out.
        for (short, cc) in [("kp", "PK"), ("fata", "PK"), ("us", "US"), ("usa", "US"), ("uk", "GB")] {
            let level = if cc == "PK" { Level::Province } else { Level::Country };
            places.entry(short.to_string()).or_insert(PlaceInfo { level, countries: vec![cc] });
        }
        Geo { places, country_names }
    })
}

/// What the gazetteer knows of a place name (any of its aliases).
pub fn lookup(name: &str) -> Option<&'static PlaceInfo> {
    geo().places.get(&name_key(name))
}

/// A country's name from its ISO code.
pub fn country_name(code: &str) -> Option<&'static str> {
    geo().country_names.get(code).copied()
}

/// Where an event was: the most specific of its places, its province and country when the
/// gazetteer (or another place named with it) tells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    /// Index into the names given to [`locate`].
    pub place: Option<usize>,
    pub admin1: Option<String>,
    pub country: Option<String>,
}

/// Picks the most specific place of `names` (the event's places, preferred first), and its
/// province and country from the others: "Mianwali, Punjab" gives Mianwali, Punjab, Pakistan.
pub fn locate(names: &[&str]) -> Located {
    let infos: Vec<Option<&PlaceInfo>> = names.iter().map(|n| lookup(n)).collect();
    let level = |i: usize| infos[i].map_or(Level::Local, |p| p.level);
    let Some(best) = (0..names.len()).min_by_key(|&i| (level(i), i)) else { return Located::default() };
    // The country: the best place's own, else one another place gives.
    let mut countries: Vec<&str> = infos[best].map(|p| p.countries.clone()).unwrap_or_default();
    if countries.is_empty() {
        for info in infos.iter().flatten() {
            if info.level != Level::Local && info.countries.len() == 1 {
                countries = info.countries.clone();
                break;
            }
        }
    }
    let admin1 = if level(best) == Level::Province {
        Some(names[best].to_string())
    } else {
        (0..names.len()).find_map(|i| {
            let p = infos[i]?;
            (p.level == Level::Province && (countries.is_empty() || p.countries.iter().any(|c| countries.contains(c))))
                .then(|| names[i].to_string())
        })
    };
    if countries.len() > 1 {
        // A province shared by several countries: the country named with it decides.
        let named: Vec<&str> = infos
            .iter()
            .flatten()
            .filter(|p| p.level == Level::Country)
            .flat_map(|p| p.countries.iter().copied())
            .collect();
        countries.retain(|c| named.contains(c));
    }
    let country = (countries.len() == 1).then(|| country_name(countries[0]).unwrap_or(countries[0]).to_string());
    Located { place: Some(best), admin1, country }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_place_with_its_province_and_country() {
        let l = locate(&["Mianwali", "Punjab"]);
        assert_eq!(l.place, Some(0));
        assert_eq!(l.admin1.as_deref(), Some("Punjab"));
        assert_eq!(l.country.as_deref(), Some("Pakistan"));
        let l = locate(&["Pakistan", "Peshawar", "Khyber Pakhtunkhwa"]);
        assert_eq!(l.place, Some(1));
        assert_eq!(l.admin1.as_deref(), Some("Khyber Pakhtunkhwa"));
        assert_eq!(l.country.as_deref(), Some("Pakistan"));
        // A village the gazetteer does not know is more specific than the city named with it.
        let l = locate(&["Dera Ismail Khan", "Daraban"]);
        assert_eq!(l.place, Some(1));
        assert_eq!(l.country.as_deref(), Some("Pakistan"));
        assert_eq!(locate(&["Paktika"]).country.as_deref(), Some("Afghanistan"));
        assert_eq!(locate(&[]), Located::default());
    }
}
