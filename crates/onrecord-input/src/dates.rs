//! Publication dates as web pages write them in metadata: takes a string, gives a
//! calendar date, or none when unsure (a missing date is better than a wrong one).
//!
//! ISO 8601 (`2022-03-10`, `2022-03-10T08:00:00+01:00`: the date as written, not moved to
//! UTC, which is the article's own calendar day), `2022/03/10`, `20220310`, RFC 2822
//! (`Thu, 10 Mar 2022 08:00:00 GMT`), `March 10, 2022` and `10 March 2022`.

use onrecord_core::document::parse_iso_date;
use onrecord_core::Date;

pub fn parse(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Some(d) = parse_iso_date(s) {
        return Some(d);
    }
    let b = s.as_bytes();
    // 2022/03/10, 2022.03.10
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!(b[4], b'/' | b'.')
        && b[7] == b[4]
    {
        let iso = format!("{}-{}-{}", &s[..4], &s[5..7], &s[8..10]);
        if b.len() == 10 || !b[10].is_ascii_digit() {
            return parse_iso_date(&iso);
        }
    }
    // 20220310 (alone or before a time)
    if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) && (b.len() == 8 || b[8] == b'T') {
        return parse_iso_date(&format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..8]));
    }
    words(s)
}

/// Day, month name and year in either order, with a weekday or a time around them.
fn words(s: &str) -> Option<Date> {
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let mut month = None;
    let mut day = None;
    let mut year = None;
    for t in tokens.iter().take(6) {
        let t = t.trim_end_matches('.');
        if let Some(m) = month_number(t) {
            if month.is_some() {
                return None;
            }
            month = Some(m);
        } else if let Ok(n) = t
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<i16>()
        {
            if t.len() == 4 && year.is_none() && (1800..=2200).contains(&n) {
                year = Some(n);
            } else if day.is_none() && (1..=31).contains(&n) && year.is_none() {
                day = Some(n as i8);
            }
        }
    }
    Date::new(year?, month?, day?).ok()
}

fn month_number(t: &str) -> Option<i8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let t = t.to_ascii_lowercase();
    if t.len() < 3 {
        return None;
    }
    let t = if t == "sept" { "sep".to_string() } else { t };
    MONTHS
        .iter()
        .position(|m| *m == t || (t.len() == 3 && m.starts_with(&t)))
        .map(|i| i as i8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn forms() {
        let d = Some(date(2022, 3, 10));
        for s in [
            "2022-03-10",
            "2022-03-10T23:30:00-05:00",
            " 2022-03-10 08:00 ",
            "2022/03/10",
            "2022.03.10",
            "20220310",
            "20220310T080000Z",
            "Thu, 10 Mar 2022 08:00:00 GMT",
            "10 March 2022",
            "March 10, 2022",
            "Mar. 10, 2022 at 8:00 a.m.",
            "Thursday, March 10th, 2022",
        ] {
            assert_eq!(parse(s), d, "{s}");
        }
        for s in [
            "",
            "yesterday",
            "2022-02-30",
            "2022/13/01",
            "March 2022",
            "March May 2022 10",
            "10 Mar",
            "123456789",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }
}
