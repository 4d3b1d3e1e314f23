//! Byte spans into a document's text, and their conversion to the code-point offsets of
//! the public contract.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into a document's text. Both ends always lie on
/// UTF-8 character boundaries.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub const fn len(&self) -> usize {
        self.end - self.start
    }
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
    pub const fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub const fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    /// Shrink the span so that it neither starts nor ends with whitespace.
    pub fn trim(&self, text: &str) -> Span {
        let s = self.slice(text);
        let lead = s.len() - s.trim_start().len();
        let trimmed = s.trim();
        Span::new(self.start + lead, self.start + lead + trimmed.len())
    }
}

/// Maps byte offsets of one text to code-point offsets. ASCII text maps to itself without
/// any table.
pub struct CharIndex {
    /// For each byte offset that starts a char (and the end), the code-point index;
    /// empty when the text is ASCII.
    table: Vec<u32>,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharIndex { table: Vec::new() };
        }
        let mut table = vec![0u32; text.len() + 1];
        let mut cp = 0u32;
        for (i, ch) in text.char_indices() {
            for slot in &mut table[i..i + ch.len_utf8()] {
                *slot = cp;
            }
            cp += 1;
        }
        table[text.len()] = cp;
        CharIndex { table }
    }

    /// The code-point offset of a byte offset (which should be a char boundary).
    pub fn chars(&self, byte: usize) -> usize {
        if self.table.is_empty() {
            byte
        } else {
            self.table[byte.min(self.table.len() - 1)] as usize
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_maps_multibyte_text() {
        let text = "a “b” é";
        let idx = CharIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(idx.chars(b), 3);
        assert_eq!(idx.chars(text.len()), text.chars().count());
    }

    #[test]
    fn trim_drops_outer_whitespace() {
        let text = "  hello \n";
        assert_eq!(Span::new(0, text.len()).trim(text).slice(text), "hello");
        assert!(Span::new(0, 2).trim(text).is_empty());
    }
}
