//! Quotation marks paired into quoted spans. (Being written.)

use crate::span::Span;

/// A quoted span: its marks and what stands between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quotation {
    pub open: Span,
    pub close: Option<Span>,
    pub content: Span,
    pub depth: u8,
}

pub fn find(_text: &str, _paragraphs: &[Span]) -> Vec<Quotation> {
    Vec::new()
}
