//! Dates in prose: "30 January 2023", "Feb 21", "November 2022", "Tuesday", "the 2000s",
//! "2024", "yesterday" — each normalised to an ISO 8601 date or period, resolved against the
//! article's own date where the text leaves the year or day open.

use serde::{Deserialize, Serialize};

use super::tokens::{Token, TokenKind};
use crate::core::dates::{days_in_month, is_weekday, iso, month_number};

/// A date as written, before or after resolving against the article's date. The variants
/// without a year (`MonthDay`, `MonthOnly`, `Weekday`) are the unresolved ones: what the text
/// left open and no article date filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateValue {
    Day(i32, u32, u32),
    Month(i32, u32),
    Year(i32),
    /// The decade starting at this year ("the 2000s").
    Decade(i32),
    /// Day and month, year unknown ("Feb 21").
    MonthDay(u32, u32),
    /// Month, year unknown ("February").
    MonthOnly(u32),
    /// 1 = Monday … 7 = Sunday, week unknown.
    Weekday(u32),
    /// From one day to another, both included ("last week": the seven days before the week of
    /// the article's date).
    Range((i32, u32, u32), (i32, u32, u32)),
}

/// How precisely a date value names a time: what an event table's `time_precision` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Week,
    Month,
    Year,
    Decade,
    /// Only known to be on or before a date (an article's "recent attack").
    Approximate,
    /// Not resolved: a weekday or a month without the article's date to place it.
    Unresolved,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Week => "week",
            Precision::Month => "month",
            Precision::Year => "year",
            Precision::Decade => "decade",
            Precision::Approximate => "approximate",
            Precision::Unresolved => "unresolved",
        }
    }
}

pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAY_NAMES: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

impl DateValue {
    /// ISO 8601: a date, a month, a year, an interval for a decade, `--MM-DD` or `--MM` when the
    /// year is unknown, and the week-date form `XXXX-WXX-D` for a bare weekday.
    pub fn iso(&self) -> String {
        match *self {
            DateValue::Day(y, m, d) => iso(y, m, d),
            DateValue::Month(y, m) => format!("{y:04}-{m:02}"),
            DateValue::Year(y) => format!("{y:04}"),
            DateValue::Decade(y) => format!("{y:04}/{:04}", y + 9),
            DateValue::MonthDay(m, d) => format!("--{m:02}-{d:02}"),
            DateValue::MonthOnly(m) => format!("--{m:02}"),
            DateValue::Weekday(w) => format!("XXXX-WXX-{w}"),
            DateValue::Range((y, m, d), (y2, m2, d2)) => format!("{}/{}", iso(y, m, d), iso(y2, m2, d2)),
        }
    }

    /// How precise the value is; the year-less values are unresolved.
    pub fn precision(&self) -> Precision {
        match *self {
            DateValue::Day(..) => Precision::Day,
            DateValue::Range(a, b) => {
                let days = days_from_civil(b.0, b.1, b.2) - days_from_civil(a.0, a.1, a.2);
                match days {
                    0 => Precision::Day,
                    1..=7 => Precision::Week,
                    8..=31 => Precision::Month,
                    _ => Precision::Year,
                }
            }
            DateValue::Month(..) => Precision::Month,
            DateValue::Year(_) => Precision::Year,
            DateValue::Decade(_) => Precision::Decade,
            DateValue::MonthDay(..) | DateValue::MonthOnly(_) | DateValue::Weekday(_) => Precision::Unresolved,
        }
    }

    /// Whether the value names a time on the calendar (it has a year).
    pub fn is_resolved(&self) -> bool {
        self.precision() != Precision::Unresolved
    }

    /// The first and last day the value covers, as days since 1970-01-01; `None` when unresolved.
    pub fn day_span(&self) -> Option<(i64, i64)> {
        let d = |y, m, d| days_from_civil(y, m, d);
        Some(match *self {
            DateValue::Day(y, m, day) => (d(y, m, day), d(y, m, day)),
            DateValue::Range(a, b) => (d(a.0, a.1, a.2), d(b.0, b.1, b.2)),
            DateValue::Month(y, m) => (d(y, m, 1), d(y, m, days_in_month(y, m))),
            DateValue::Year(y) => (d(y, 1, 1), d(y, 12, 31)),
            DateValue::Decade(y) => (d(y, 1, 1), d(y + 9, 12, 31)),
            _ => return None,
        })
    }

    /// How a reader says it: "30 January 2023", "November 2022", "the 2000s".
    pub fn label(&self) -> String {
        let month = |m: u32| MONTH_NAMES[(m as usize).clamp(1, 12) - 1];
        // Day and month labels without `format!` (one for every date extraction finds).
        let words = |day: Option<u32>, m: u32, y: i32| {
            let mut out = String::with_capacity(24);
            if let Some(d) = day {
                push_number(&mut out, i64::from(d));
                out.push(' ');
            }
            out.push_str(month(m));
            out.push(' ');
            push_number(&mut out, i64::from(y));
            out
        };
        match *self {
            DateValue::Day(y, m, d) => words(Some(d), m, y),
            DateValue::Month(y, m) => words(None, m, y),
            DateValue::Year(y) => y.to_string(),
            DateValue::Decade(y) => format!("the {y}s"),
            DateValue::MonthDay(m, d) => format!("{d} {}", month(m)),
            DateValue::MonthOnly(m) => month(m).to_string(),
            DateValue::Weekday(w) => WEEKDAY_NAMES[(w as usize).clamp(1, 7) - 1].to_string(),
            DateValue::Range(a, b) => {
                format!("{} to {}", DateValue::Day(a.0, a.1, a.2).label(), DateValue::Day(b.0, b.1, b.2).label())
            }
        }
    }

    /// Fills in what the text left open from the article's date: a month or day without a year
    /// takes the nearest such date; a weekday, the latest one on or before the article's date.
    pub fn resolve(self, anchor: Option<(i32, u32, u32)>) -> DateValue {
        let Some((ay, am, ad)) = anchor else { return self };
        let anchor_days = days_from_civil(ay, am, ad);
        let nearest_year = |m: u32, d: u32| {
            (ay - 1..=ay + 1)
                .filter(|&y| d <= days_in_month(y, m))
                .min_by_key(|&y| (days_from_civil(y, m, d) - anchor_days).abs())
                .unwrap_or(ay)
        };
        match self {
            DateValue::MonthDay(m, d) => DateValue::Day(nearest_year(m, d), m, d),
            DateValue::MonthOnly(m) => DateValue::Month(nearest_year(m, 15), m),
            DateValue::Weekday(w) => {
                let today = weekday_of(anchor_days);
                let back = (today + 7 - w) % 7;
                let (y, m, d) = civil_from_days(anchor_days - i64::from(back));
                DateValue::Day(y, m, d)
            }
            other => other,
        }
    }
}

/// Reads back an ISO value made by [`DateValue::iso`].
pub fn from_iso(iso: &str) -> Option<DateValue> {
    let num = |s: &str| s.parse::<u32>().ok();
    if let Some(w) = iso.strip_prefix("XXXX-WXX-") {
        return num(w).map(DateValue::Weekday);
    }
    if let Some(rest) = iso.strip_prefix("--") {
        return match rest.split_once('-') {
            Some((m, d)) => Some(DateValue::MonthDay(num(m)?, num(d)?)),
            None => num(rest).map(DateValue::MonthOnly),
        };
    }
    if let Some((a, b)) = iso.split_once('/') {
        if let (Some(DateValue::Day(y, m, d)), Some(DateValue::Day(y2, m2, d2))) = (from_iso(a), from_iso(b)) {
            return Some(DateValue::Range((y, m, d), (y2, m2, d2)));
        }
        return a.parse().ok().map(DateValue::Decade);
    }
    let parts: Vec<&str> = iso.split('-').collect();
    let y: i32 = parts.first()?.parse().ok()?;
    match parts.len() {
        1 => Some(DateValue::Year(y)),
        2 => Some(DateValue::Month(y, num(parts[1])?)),
        3 => Some(DateValue::Day(y, num(parts[1])?, num(parts[2])?)),
        _ => None,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

/// 1 = Monday … 7 = Sunday.
fn weekday_of(days: i64) -> u32 {
    // 1970-01-01 was a Thursday.
    ((days + 3).rem_euclid(7) + 1) as u32
}

pub fn parse_anchor(date: Option<&str>) -> Option<(i32, u32, u32)> {
    let d = date?;
    let y = d.get(0..4)?.parse().ok()?;
    let m = d.get(5..7)?.parse().ok()?;
    let day = d.get(8..10)?.parse().ok()?;
    Some((y, m, day))
}

/// A date found in the text: token range `[first, last]` and its value.
#[derive(Debug, Clone)]
pub struct FoundDate {
    pub first: usize,
    pub last: usize,
    pub value: DateValue,
}

/// Counted things after a four-digit number that make it a count, not a year.
const COUNT_NOUNS: &[&str] = &[
    "people",
    "persons",
    "soldiers",
    "troops",
    "fighters",
    "militants",
    "lives",
    "men",
    "women",
    "children",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "metres",
    "meters",
    "rupees",
    "dollars",
    "tons",
    "tonnes",
    "feet",
    "hours",
    "votes",
    "seats",
    "cases",
    "deaths",
    "units",
    "times",
    "families",
    "refugees",
    "civilians",
    "police",
    "officers",
    "members",
    "students",
    "homes",
    "houses",
    "acres",
    "hectares",
    "words",
    "pages",
    "kg",
];

pub fn find_dates(body: &str, tokens: &[Token]) -> Vec<FoundDate> {
    let text = |i: usize| tokens.get(i).map_or("", |t: &Token| t.text(body));
    let is_punct = |i: usize, p: &str| tokens.get(i).is_some_and(|t| t.kind == TokenKind::Punct) && text(i) == p;
    let adjacent = |i: usize| tokens.get(i).is_some_and(|t| !t.line_before);
    let day_at = |i: usize| -> Option<u32> {
        let t = tokens.get(i)?;
        if t.kind != TokenKind::Number || t.line_before && i > 0 {
            return None;
        }
        let s = t.text(body);
        let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &s[digits.len()..];
        if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.len() > 2 {
            return None;
        }
        digits.parse().ok().filter(|d| (1..=31).contains(d))
    };
    let year_at = |i: usize| -> Option<i32> {
        let t = tokens.get(i)?;
        let s = t.text(body);
        (t.kind == TokenKind::Number && s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|y| (1000..=2199).contains(y))
    };
    // A month name, and the index of the token after it (past a full stop after "Feb.").
    let month_at = |i: usize| -> Option<(u32, usize)> {
        let t = tokens.get(i)?;
        if t.kind != TokenKind::Word || !super::tokens::is_capitalised(t.text(body)) {
            return None;
        }
        let w = t.text(body);
        let m = month_number(w)?;
        let abbreviated = w.len() <= 4 && !matches!(w, "May" | "June" | "July");
        let next = if abbreviated && is_punct(i + 1, ".") { i + 2 } else { i + 1 };
        Some((m, next))
    };

    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Every date starts on a number or a capitalised word: anything else is passed at once.
        let t = &tokens[i];
        if t.kind == TokenKind::Punct || (t.kind == TokenKind::Word && !super::tokens::is_capitalised(t.text(body))) {
            i += 1;
            continue;
        }
        // 30 January 2023 | 30 January
        if let Some(d) = day_at(i) {
            if let Some((m, after)) = month_at(i + 1).filter(|_| adjacent(i + 1)) {
                if let Some(y) = year_at(after).filter(|_| adjacent(after)) {
                    if d <= days_in_month(y, m) {
                        found.push(FoundDate { first: i, last: after, value: DateValue::Day(y, m, d) });
                        i = after + 1;
                        continue;
                    }
                }
                if d <= days_in_month(2024, m) {
                    found.push(FoundDate { first: i, last: after - 1, value: DateValue::MonthDay(m, d) });
                    i = after;
                    continue;
                }
            }
        }
        if let Some((m, after)) = month_at(i) {
            let word = text(i);
            // January 30, 2023 | Feb 21 | November 2022 | March
            if let Some(d) = day_at(after).filter(|_| adjacent(after)) {
                let comma = is_punct(after + 1, ",");
                let year_i = if comma { after + 2 } else { after + 1 };
                if let Some(y) = year_at(year_i).filter(|_| adjacent(year_i)) {
                    if d <= days_in_month(y, m) {
                        found.push(FoundDate { first: i, last: year_i, value: DateValue::Day(y, m, d) });
                        i = year_i + 1;
                        continue;
                    }
                }
                if d <= days_in_month(2024, m) {
                    found.push(FoundDate { first: i, last: after, value: DateValue::MonthDay(m, d) });
                    i = after + 1;
                    continue;
                }
            }
            if let Some(y) = year_at(after).filter(|_| adjacent(after)) {
                found.push(FoundDate { first: i, last: after, value: DateValue::Month(y, m) });
                i = after + 1;
                continue;
            }
            // A month alone must be spelt out; "May" alone is too often the verb.
            if word.len() > 3 && word != "May" && !word.ends_with('.') && !tokens[i].sentence_start {
                found.push(FoundDate { first: i, last: i, value: DateValue::MonthOnly(m) });
            }
            i = after.max(i + 1);
            continue;
        }
        let t = &tokens[i];
        let w = text(i);
        if t.kind == TokenKind::Word && super::tokens::is_capitalised(w) && is_weekday(w) {
            found.push(FoundDate { first: i, last: i, value: DateValue::Weekday(weekday_number(w)) });
        } else if t.kind == TokenKind::Number {
            if let Some(y) = year_at(i) {
                let next = text(i + 1);
                let counted = COUNT_NOUNS.iter().any(|n| n.eq_ignore_ascii_case(next));
                let currency = i > 0 && matches!(text(i - 1), "$" | "£" | "€" | "Rs" | "Rs.");
                if (1900..=2099).contains(&y) && !counted && !currency {
                    found.push(FoundDate { first: i, last: i, value: DateValue::Year(y) });
                }
            } else if let Some(decade) = w.strip_suffix('s').filter(|d| d.len() == 4 && d.ends_with('0')) {
                if let Ok(y) = decade.parse::<i32>() {
                    let first = if i > 0 && text(i - 1).eq_ignore_ascii_case("the") { i - 1 } else { i };
                    found.push(FoundDate { first, last: i, value: DateValue::Decade(y) });
                }
            }
        }
        i += 1;
    }
    found
}

fn weekday_number(w: &str) -> u32 {
    WEEKDAY_NAMES.iter().position(|n| n.eq_ignore_ascii_case(w)).map_or(1, |p| p as u32 + 1)
}

/// Appends `n` in decimal, as `Display` writes it.
fn push_number(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let (mut digits, mut len, mut v) = ([0u8; 20], 0, n.unsigned_abs());
    loop {
        digits[len] = b'0' + (v % 10) as u8;
        len += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend(digits[..len].iter().rev().map(|&d| char::from(d)));
}

/// Relative days ("yesterday") resolved against the article's date; they name no date without it.
pub fn relative_day(word: &str, anchor: Option<(i32, u32, u32)>) -> Option<DateValue> {
    if !matches!(word.len(), 8 | 9) {
        return None; // asked of every word
    }
    let offset = if word.eq_ignore_ascii_case("yesterday") {
        -1
    } else if word.eq_ignore_ascii_case("tomorrow") {
        1
    } else {
        return None;
    };
    let (y, m, d) = anchor?;
    let (y, m, d) = civil_from_days(days_from_civil(y, m, d) + offset);
    Some(DateValue::Day(y, m, d))
}

/// Relative periods of two words ("last week", "last month", "this year", "next month")
/// resolved against the article's date: `None` when the words are no such period or there is
/// no date to resolve them against (they name no time then; the caller marks them unresolved).
/// "Last week" is the Monday-to-Sunday week before the article's week.
pub fn relative_period(first: &str, second: &str, anchor: Option<(i32, u32, u32)>) -> Option<DateValue> {
    // Compared without lower-casing into a new string: this runs on every pair of words.
    if !matches!(first.len(), 4 | 8) {
        return None; // "last", "past", "this", "next", "previous"
    }
    let is = |word: &str, any: &[&str]| any.iter().any(|w| word.eq_ignore_ascii_case(w));
    let step: i32 = if is(first, &["last", "past", "previous"]) {
        -1
    } else if is(first, &["this"]) {
        0
    } else if is(first, &["next"]) {
        1
    } else {
        return None;
    };
    let unit = ["week", "month", "year"].into_iter().find(|u| second.eq_ignore_ascii_case(u))?;
    let (y, m, d) = anchor?;
    Some(match unit {
        "week" => {
            let today = days_from_civil(y, m, d);
            let monday = today - i64::from(weekday_of(today) - 1) + 7 * i64::from(step);
            DateValue::Range(civil_from_days(monday), civil_from_days(monday + 6))
        }
        "month" => {
            let months = y * 12 + m as i32 - 1 + step;
            DateValue::Month(months.div_euclid(12), months.rem_euclid(12) as u32 + 1)
        }
        _ => DateValue::Year(y + step),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extract::tokens::tokenize;

    fn dates(body: &str, anchor: Option<(i32, u32, u32)>) -> Vec<(String, String)> {
        let tokens = tokenize(body);
        find_dates(body, &tokens)
            .into_iter()
            .map(|f| (body[tokens[f.first].start..tokens[f.last].end].to_string(), f.value.resolve(anchor).iso()))
            .collect()
    }

    #[test]
    fn finds_and_normalises_written_dates() {
        let got =
            dates("On 30 January 2023 and since Feb 21, in November 2022, on Tuesday, in the 2000s and in 2024.", None);
        let want = [
            ("30 January 2023", "2023-01-30"),
            ("Feb 21", "--02-21"),
            ("November 2022", "2022-11"),
            ("Tuesday", "XXXX-WXX-2"),
            ("the 2000s", "2000/2009"),
            ("2024", "2024"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec());
    }

    #[test]
    fn open_dates_resolve_against_the_article_date() {
        let anchor = Some((2023, 12, 13)); // a Wednesday
        let got = dates("Elections come in February. It happened on Tuesday. Since Feb 21.", anchor);
        assert_eq!(got[0].1, "2024-02");
        assert_eq!(got[1].1, "2023-12-12");
        assert_eq!(got[2].1, "2024-02-21");
        assert_eq!(relative_day("Yesterday", anchor).unwrap().iso(), "2023-12-12");
    }

    #[test]
    fn counts_and_sums_are_not_years() {
        assert!(dates("Some 2000 people and $1999 were there; May we go?", None).is_empty());
    }

    #[test]
    fn labels_and_iso_dates_are_written_as_format_writes_them() {
        for (y, m, d) in [(2023, 1, 30), (999, 12, 1), (-44, 3, 15), (10_000, 2, 9), (0, 7, 4)] {
            assert_eq!(DateValue::Day(y, m, d).label(), format!("{d} {} {y}", MONTH_NAMES[m as usize - 1]));
            assert_eq!(DateValue::Month(y, m).label(), format!("{} {y}", MONTH_NAMES[m as usize - 1]));
            assert_eq!(DateValue::Day(y, m, d).iso(), format!("{y:04}-{m:02}-{d:02}"));
        }
    }

    #[test]
    fn iso_values_read_back() {
        for v in [
            DateValue::Day(2023, 1, 30),
            DateValue::Month(2022, 11),
            DateValue::Year(2024),
            DateValue::Decade(2000),
            DateValue::MonthDay(2, 21),
            DateValue::MonthOnly(2),
            DateValue::Weekday(2),
            DateValue::Range((2023, 12, 4), (2023, 12, 10)),
        ] {
            assert_eq!(from_iso(&v.iso()), Some(v));
        }
    }

    #[test]
    fn relative_periods_resolve_or_stay_unresolved() {
        let anchor = Some((2023, 12, 13)); // a Wednesday
        let last_week = relative_period("last", "week", anchor).unwrap();
        assert_eq!(last_week.iso(), "2023-12-04/2023-12-10");
        assert_eq!(last_week.precision(), Precision::Week);
        assert_eq!(relative_period("Last", "month", anchor).unwrap().iso(), "2023-11");
        assert_eq!(relative_period("last", "month", Some((2024, 1, 5))).unwrap().iso(), "2023-12");
        assert_eq!(relative_period("this", "year", anchor).unwrap().iso(), "2023");
        assert_eq!(relative_period("next", "month", Some((2023, 12, 1))).unwrap().iso(), "2024-01");
        assert_eq!(relative_period("last", "week", None), None, "no article date: nothing to resolve against");
        assert_eq!(relative_period("last", "minute", anchor), None);
        // A weekday or a month without an article date stays unresolved.
        assert!(!DateValue::Weekday(2).resolve(None).is_resolved());
        assert!(!DateValue::MonthOnly(2).resolve(None).is_resolved());
        assert_eq!(DateValue::Weekday(2).resolve(anchor).precision(), Precision::Day);
        assert_eq!(DateValue::MonthOnly(2).resolve(anchor), DateValue::Month(2024, 2));
    }

    #[test]
    fn day_arithmetic_round_trips() {
        for days in [-1000, 0, 19_000, 20_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(weekday_of(days_from_civil(2023, 12, 13)), 3);
    }
}
