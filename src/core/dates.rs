//! Calendar words and date parsing shared by metadata cleaning and entity extraction.

/// Month names and abbreviations, with their number.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    let n = match w.as_str() {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// Whether a word is a weekday name.
pub fn is_weekday(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn valid(year: i32, month: u32, day: u32) -> bool {
    (1000..=2999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

pub fn iso(year: i32, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

fn parse_year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

fn parse_day(s: &str) -> Option<u32> {
    let digits = s.trim_end_matches(',').trim_end_matches(|c: char| c.is_ascii_alphabetic()); // 13th, 1st
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Parses a whole date written as `2023-12-13`, `2023/12/13`, `13 December 2023`,
/// `December 13, 2023` or `Dec. 13 2023`, with an optional leading weekday, into ISO 8601.
pub fn parse_date(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches(['.', ',']);
    if let Some(d) = parse_numeric(text) {
        return Some(d);
    }
    let mut words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let weekday_abbr = |w: &str| {
        matches!(
            w.trim_end_matches('.').to_ascii_lowercase().as_str(),
            "mon" | "tue" | "tues" | "wed" | "thu" | "thur" | "thurs" | "fri" | "sat" | "sun"
        )
    };
    if words.first().is_some_and(|w| is_weekday(w) || weekday_abbr(w)) {
        words.remove(0);
    }
    match words.as_slice() {
        [d, m, y] => {
            let (day, month, year) = match (parse_day(d), month_number(m)) {
                (Some(day), Some(month)) => (day, month, parse_year(y)?),
                _ => (parse_day(m)?, month_number(d)?, parse_year(y)?),
            };
            valid(year, month, day).then(|| iso(year, month, day))
        }
        _ => None,
    }
}

fn parse_numeric(text: &str) -> Option<String> {
    let head = text.get(..10)?;
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with(['T', ' '])) {
        return None;
    }
    let parts: Vec<&str> = head.split(['-', '/']).collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return None;
    }
    let year = parse_year(parts[0])?;
    let month: u32 = parts[1].parse().ok()?;
    let day: u32 = parts[2].parse().ok()?;
    valid(year, month, day).then(|| iso(year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_written_dates() {
        assert_eq!(parse_date("2023-12-13").as_deref(), Some("2023-12-13"));
        assert_eq!(parse_date("30 January 2023").as_deref(), Some("2023-01-30"));
        assert_eq!(parse_date("December 13, 2023").as_deref(), Some("2023-12-13"));
        assert_eq!(parse_date("Wed, Dec. 13th 2023").as_deref(), Some("2023-12-13"));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("soon"), None);
    }
}
