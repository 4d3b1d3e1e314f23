//! The input of the pipeline: an article's text and what is known about it.

use crate::span::Span;
use serde_json::{Map, Value};

/// A calendar date (no time zone), as articles give them.
pub type Date = jiff::civil::Date;

/// One article. `text` is the text as given: every offset the pipeline reports points
/// into it.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// A stable identifier: the record's id in JSON Lines, else the file name without
    /// extension.
    pub id: String,
    pub text: String,
    /// The publication date; relative dates ("Wednesday") are resolved against it.
    pub date: Option<Date>,
    /// The headline, when known.
    pub title: Option<String>,
    /// Where the headline stands in `text`, when it is part of it.
    pub title_span: Option<Span>,
    /// Where the article body starts in `text` (after a header line and the title, if any).
    /// Extraction runs over the title and the body; text before the title (a dated
    /// header with its summary) is metadata.
    pub body_start: usize,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// Other fields of the record (JSON Lines input), kept as they came.
    pub metadata: Map<String, Value>,
}

impl Document {
    /// A document of plain text, with nothing else known.
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            ..Default::default()
        }
    }

    pub fn with_date(mut self, date: Date) -> Self {
        self.date = Some(date);
        self
    }
}

/// Parse `YYYY-MM-DD` (a longer ISO timestamp is cut to its date).
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let head = s.get(..10)?;
    if s.len() > 10 && !matches!(s.as_bytes()[10], b'T' | b' ' | b't') {
        return None;
    }
    head.parse::<Date>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_timestamps() {
        assert_eq!(
            parse_iso_date("2022-03-10"),
            Some(jiff::civil::date(2022, 3, 10))
        );
        assert_eq!(
            parse_iso_date("2022-03-10T08:00:00Z"),
            Some(jiff::civil::date(2022, 3, 10))
        );
        assert_eq!(parse_iso_date("2022-02-30"), None);
        assert_eq!(parse_iso_date("March 3"), None);
        assert_eq!(parse_iso_date("2022-03-101"), None);
    }
}
