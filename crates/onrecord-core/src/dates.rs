//! Temporal expressions normalized against the article date. (Being written.)

use crate::document::Date;
use crate::span::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateMention {
    pub span: Span,
    pub value: String,
}

pub fn find(_text: &str, _region: Span, _anchor: Option<Date>) -> Vec<DateMention> {
    Vec::new()
}
