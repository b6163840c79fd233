//! Calendar words and date parsing shared by metadata cleaning and entity extraction.

/// Month names and abbreviations, with their number.
pub fn month_number(word: &str) -> Option<u32> {
    // Lower-cased on the stack: extraction asks this of every capitalised word.
    let w = word.trim_end_matches('.').as_bytes();
    let mut buf = [0u8; 9];
    if w.len() > buf.len() {
        return None;
    }
    buf[..w.len()].copy_from_slice(w);
    buf.make_ascii_lowercase();
    let n = match &buf[..w.len()] {
        b"january" | b"jan" => 1,
        b"february" | b"feb" => 2,
        b"march" | b"mar" => 3,
        b"april" | b"apr" => 4,
        b"may" => 5,
        b"june" | b"jun" => 6,
        b"july" | b"jul" => 7,
        b"august" | b"aug" => 8,
        b"september" | b"sep" | b"sept" => 9,
        b"october" | b"oct" => 10,
        b"november" | b"nov" => 11,
        b"december" | b"dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// Whether a word is a weekday name.
pub fn is_weekday(word: &str) -> bool {
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        .iter()
        .any(|d| d.eq_ignore_ascii_case(word))
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
    // Digit by digit (extraction writes one for every date it finds); `format!` for the rest.
    if !(0..=9999).contains(&year) || month > 99 || day > 99 {
        return format!("{year:04}-{month:02}-{day:02}");
    }
    let year = year as u32;
    let digits = [year / 1000, year / 100 % 10, year / 10 % 10, year % 10, month / 10, month % 10, day / 10, day % 10];
    let mut out = String::with_capacity(10);
    for (k, d) in digits.into_iter().enumerate() {
        if k == 4 || k == 6 {
            out.push('-');
        }
        out.push(char::from(b'0' + d as u8));
    }
    out
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
/// A time and zone after the date are read and ignored: ISO 8601 / RFC 3339 timestamps
/// (`2024-03-26T06:30:00+05:00`), RFC 2822 (`Tue, 26 Mar 2024 06:30:00 +0000`) and written
/// times (`26 Mar 2024, 11:02am PKT`).
pub fn parse_date(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches(['.', ',']);
    let (date, used) = date_prefix(text)?;
    text[used..].trim().is_empty().then_some(date)
}

/// A date at the start of `text`, with any time and zone after it (see [`parse_date`]).
/// Returns the ISO date and how many bytes of `text` it takes; what follows is left alone.
pub fn date_prefix(text: &str) -> Option<(String, usize)> {
    let (date, end) = numeric_prefix(text).or_else(|| written_prefix(text))?;
    Some((date, end + time_len(&text[end..])))
}

/// `2023-12-13` or `2023/12/13`, ended by anything but a letter or digit (or by the `T` of a
/// timestamp).
fn numeric_prefix(text: &str) -> Option<(String, usize)> {
    let b = text.as_bytes();
    if b.len() < 10 || !b[..10].is_ascii() {
        return None;
    }
    let sep = b[4];
    if !(sep == b'-' || sep == b'/') || b[7] != sep {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return None;
    }
    match b.get(10) {
        Some(b'T') if b.get(11).is_some_and(u8::is_ascii_digit) => {}
        Some(c) if c.is_ascii_alphanumeric() => return None,
        _ => {}
    }
    let year = parse_year(&text[0..4])?;
    let month: u32 = text[5..7].parse().ok()?;
    let day: u32 = text[8..10].parse().ok()?;
    valid(year, month, day).then(|| (iso(year, month, day), 10))
}

/// Words with their byte ranges, split at white space and commas; at most `max` of them.
fn words_with_ends(text: &str, max: usize) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let boundary = c.is_whitespace() || c == ',';
        match (start, boundary) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push((&text[s..i], i));
                start = None;
                if out.len() == max {
                    return out;
                }
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((&text[s..], text.len()));
    }
    out
}

/// `13 December 2023`, `December 13, 2023`, `Dec. 13th 2023`, `Tue, 26 Mar 2024`.
fn written_prefix(text: &str) -> Option<(String, usize)> {
    let words = words_with_ends(text, 4);
    let weekday_abbr = |w: &str| {
        matches!(
            w.trim_end_matches('.').to_ascii_lowercase().as_str(),
            "mon" | "tue" | "tues" | "wed" | "thu" | "thur" | "thurs" | "fri" | "sat" | "sun"
        )
    };
    let skip = usize::from(words.first().is_some_and(|(w, _)| is_weekday(w) || weekday_abbr(w)));
    let [(a, _), (b, _), (y, end)] = words.get(skip..skip + 3)? else { return None };
    // The year ends the date; "2024." at the end of a sentence is still the year.
    let (y, end) = match y.strip_suffix('.') {
        Some(short) => (short, end - 1),
        None => (*y, *end),
    };
    let (day, month) = match (parse_day(a), month_number(b)) {
        (Some(day), Some(month)) => (day, month),
        _ => (parse_day(b)?, month_number(a)?),
    };
    let year = parse_year(y)?;
    valid(year, month, day).then(|| (iso(year, month, day), end))
}

/// Time-zone abbreviations read after a time ("PKT", "GMT", "UTC", "EST", "CEST").
fn is_zone_name(w: &str) -> bool {
    (2..=5).contains(&w.len())
        && w.bytes().all(|b| b.is_ascii_uppercase())
        && (w.ends_with('T') || matches!(w, "UTC" | "Z"))
}

/// How many bytes of `rest` (what follows a date) are a time and zone: `T06:30:00Z`,
/// ` 06:30:00 +0000`, `, 11:02am`, ` | 10:45 AM PKT`, ` at 6pm GMT+5`. Zero when none.
fn time_len(rest: &str) -> usize {
    let b = rest.as_bytes();
    let mut i = 0;
    // A timestamp's `T`, or separators and "at" before a written time.
    if b.first() == Some(&b'T') {
        i = 1;
    } else {
        while i < b.len() && matches!(b[i], b' ' | b',' | b'|' | b'-' | b'@') {
            i += 1;
        }
        for sep in ["\u{2013}", "\u{2014}", "\u{b7}", "\u{2022}"] {
            if rest[i..].starts_with(sep) {
                i += sep.len();
                while i < b.len() && b[i] == b' ' {
                    i += 1;
                }
            }
        }
        if b.len() >= i + 3 && b[i..i + 3].eq_ignore_ascii_case(b"at ") {
            i += 3;
        }
    }
    let Some(after_time) = clock_len(&b[i..]).map(|n| i + n) else {
        // A zone alone after a date, ending the text: "March 26, 2024 PKT".
        let j = zone_len(b, 0);
        return if j > 0 && rest[j..].trim().is_empty() { j } else { 0 };
    };
    zone_len(b, after_time)
}

/// `06:30`, `06:30:00`, `06:30:00.123`, `11:02am`, `11:02 a.m.`, `6pm`, `6.30 pm`.
fn clock_len(b: &[u8]) -> Option<usize> {
    let digits = |from: usize| b[from.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    let h = digits(0);
    if !(1..=2).contains(&h) {
        return None;
    }
    let mut i = h;
    let mut minutes = false;
    let mut colon = false;
    if matches!(b.get(i), Some(b':' | b'.')) && digits(i + 1) == 2 {
        colon = b[i] == b':';
        minutes = true;
        i += 3;
        if colon && b.get(i) == Some(&b':') && digits(i + 1) == 2 {
            i += 3;
            if b.get(i) == Some(&b'.') && digits(i + 1) > 0 {
                i += 1 + digits(i + 1);
            }
        }
    }
    // am / pm, perhaps after a space, perhaps dotted.
    let mut j = i;
    if b.get(j) == Some(&b' ') {
        j += 1;
    }
    let meridiem = [&b"a.m."[..], b"p.m.", b"am", b"pm", b"AM", b"PM", b"A.M.", b"P.M."]
        .iter()
        .find(|m| b[j.min(b.len())..].starts_with(m) && !b.get(j + m.len()).is_some_and(u8::is_ascii_alphanumeric))
        .map(|m| j + m.len());
    match meridiem {
        Some(end) => Some(end),
        // A zone may follow at once: "06:30:00Z".
        None if colon && minutes && (!b.get(i).is_some_and(u8::is_ascii_alphanumeric) || zone_len(b, i) > i) => Some(i),
        None => None,
    }
}

/// The end of a time zone starting at or after `i` (after optional spaces): `Z`, `+05:00`,
/// `+0000`, `PKT`, `GMT+5`, `(PKT)`. Returns `i` itself when there is none.
fn zone_len(b: &[u8], i: usize) -> usize {
    let offset = |from: usize| -> usize {
        if !matches!(b.get(from), Some(b'+' | b'-')) {
            return from;
        }
        let d = b[from + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        match d {
            1 | 2 if b.get(from + 1 + d) == Some(&b':') => {
                let m = b[from + 2 + d..].iter().take_while(|c| c.is_ascii_digit()).count();
                if m == 2 {
                    from + 1 + d + 3
                } else {
                    from + 1 + d
                }
            }
            1 | 2 | 4 => from + 1 + d,
            _ => from,
        }
    };
    if b.get(i) == Some(&b'Z') && !b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) {
        return i + 1;
    }
    let direct = offset(i);
    if direct > i {
        return direct;
    }
    let mut j = i;
    while b.get(j) == Some(&b' ') {
        j += 1;
    }
    let paren = b.get(j) == Some(&b'(');
    let k = j + usize::from(paren);
    let letters = b[k.min(b.len())..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let name = std::str::from_utf8(&b[k..k + letters]).unwrap_or("");
    if letters > 0 && is_zone_name(name) {
        let mut end = offset(k + letters);
        if paren {
            if b.get(end) != Some(&b')') {
                return i;
            }
            end += 1;
        }
        if !b.get(end).is_some_and(u8::is_ascii_alphanumeric) {
            return end;
        }
        return i;
    }
    let numeric = offset(j);
    if numeric > j {
        numeric
    } else {
        i
    }
}

/// A date as feeds, exports, pages, mail and e-books write it in their metadata — RFC 3339/ISO
/// 8601 (`2024-03-05T10:00:00Z`, `2024/03/05`), RFC 2822 (`Tue, 05 Mar 2024 10:00:00 +0000`),
/// compact (`20240305`) or prose (`March 5, 2024`) — as `YYYY-MM-DD`.
/// The calendar date is the one written, in the writer's own time zone.
pub fn metadata_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if let Some(d) = parse_date(s) {
        return Some(d);
    }
    // `2024/03/05` as pages write it.
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'/' && b[7] == b'/' && b.get(10).is_none_or(|c| !c.is_ascii_digit()) {
        if let Some(d) = s.get(..10).and_then(|h| parse_date(&h.replace('/', "-"))) {
            return Some(d);
        }
    }
    // `2024-03-05 10:00` or `2024-03-05T10:00` forms parse_date does not take whole.
    if let Some(d) = s.get(..10).and_then(parse_date) {
        if s.len() == 10 || s[10..].starts_with(['T', 't', ' ', '_']) {
            return Some(d);
        }
    }
    // RFC 2822 and its kin: the first three words after an optional weekday.
    let words: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).take(5).collect();
    let skip =
        usize::from(words.first().is_some_and(|w| w.chars().all(|c| c.is_alphabetic() || c == '.') && words.len() > 3));
    if words.len() >= skip + 3 {
        let date = words[skip..skip + 3].join(" ");
        if let Some(d) = parse_date(&date) {
            return Some(d);
        }
    }
    // Compact ISO: 20240305 or 20240305T100000Z.
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() == 8 && (s.len() == 8 || s[8..].starts_with(['T', 't'])) {
        return parse_date(&format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]));
    }
    None
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

    #[test]
    fn timestamps_and_written_times_are_read_as_their_date() {
        for (text, want) in [
            ("2024-03-26T06:30:00Z", "2024-03-26"),
            ("2024-03-26T06:30:00+05:00", "2024-03-26"),
            ("2024-03-26 06:30:00", "2024-03-26"),
            ("2024-03-26T06:30:00.250-0400", "2024-03-26"),
            ("Tue, 26 Mar 2024 06:30:00 +0000", "2024-03-26"),
            ("Tue, 26 Mar 2024 06:30:00 GMT", "2024-03-26"),
            ("March 26, 2024", "2024-03-26"),
            ("26 March 2024", "2024-03-26"),
            ("Mar. 26, 2024", "2024-03-26"),
            ("26 Mar 2024, 11:02am", "2024-03-26"),
            ("March 26, 2024 | 10:45 AM PKT", "2024-03-26"),
            ("March 26, 2024 at 6 pm GMT+5", "2024-03-26"),
            ("26 March 2024 06:30 (PKT)", "2024-03-26"),
        ] {
            assert_eq!(parse_date(text).as_deref(), Some(want), "{text}");
        }
        assert_eq!(parse_date("2024-03-26 and then some"), None);
        assert_eq!(parse_date("2024-03-26x"), None);
        assert_eq!(parse_date("26 March 2024 TTP"), None);
    }

    #[test]
    fn date_prefix_leaves_the_text_after_the_time() {
        let text = "2024-03-26 06:30:00 PKT The story";
        let (date, used) = date_prefix(text).unwrap();
        assert_eq!(date, "2024-03-26");
        assert_eq!(text[used..].trim(), "The story");
        let text = "2024-03-26 12 people died";
        let (_, used) = date_prefix(text).unwrap();
        assert_eq!(text[used..].trim(), "12 people died");
    }
}
