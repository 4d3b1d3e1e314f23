//! Python's character classes, as score.py sees text: `\w` (word characters, for word
//! tokens) and `str.isspace` (for `strip`). Takes chars, gives booleans and the word
//! tokens of a text in code points.
//!
//! Rust's `char::is_alphanumeric` differs from Python's `\w` on about 15,000 code points
//! (Other_Alphabetic marks such as Devanagari vowel signs, circled letters, and letters
//! added after Python's Unicode version), so the non-ASCII part is a table generated from
//! Python itself (`tools/gen_word_table.py`).

use crate::word_table::WORD_RANGES;

/// Whether Python's `re` matches `c` with `\w` (str patterns: alphanumerics and `_`).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    let cp = c as u32;
    // Index of the first range bound above cp: odd means inside [start, end).
    WORD_RANGES.partition_point(|&b| b <= cp) % 2 == 1
}

/// Python's `str.isspace`: Unicode White_Space plus the ASCII separators U+001C..U+001F.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The word tokens (`\w+` runs) of a text, as code-point offsets.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    /// Token starts, increasing.
    pub starts: Vec<usize>,
    /// Token ends (exclusive), increasing.
    pub ends: Vec<usize>,
}

impl Tokens {
    pub fn new(chars: &[char]) -> Tokens {
        let mut t = Tokens::default();
        let mut start = None;
        for (i, &c) in chars.iter().enumerate() {
            match (is_word_char(c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    t.starts.push(s);
                    t.ends.push(i);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            t.starts.push(s);
            t.ends.push(chars.len());
        }
        t
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Indices of the tokens with at least one character in `start..end`.
    pub fn range(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        if end <= start {
            return 0..0;
        }
        let i = self.ends.partition_point(|&e| e <= start);
        let j = self.starts.partition_point(|&s| s < end);
        i..j.max(i)
    }

    /// Whether `start..end` holds a word character (`WORD.search(text[start:end])`).
    pub fn any_in(&self, start: usize, end: usize) -> bool {
        !self.range(start, end).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_chars_follow_python() {
        for c in ['a', 'Z', '0', '_', 'é', 'ß', '½', '²', 'Ж', '中', 'ǅ'] {
            assert!(is_word_char(c), "{c:?}");
        }
        // Marks, circled letters, punctuation, quotes, spaces: not \w in Python.
        for c in [
            '-', '\'', '’', '“', ' ', '\u{a0}', '\u{301}', '\u{93e}', 'Ⓐ', '€', '\u{200b}',
        ] {
            assert!(!is_word_char(c), "{c:?}");
        }
    }

    #[test]
    fn python_spaces() {
        assert!(is_py_space('\u{1f}') && is_py_space('\u{a0}') && is_py_space('\u{3000}'));
        assert!(!is_py_space('\u{200b}') && !is_py_space('x'));
    }

    #[test]
    fn tokens_and_ranges() {
        let chars: Vec<char> = "“Hi,” she_2 said ½.".chars().collect();
        let t = Tokens::new(&chars);
        assert_eq!(t.starts, vec![1, 6, 12, 17]);
        assert_eq!(t.ends, vec![3, 11, 16, 18]);
        assert_eq!(t.range(0, 1), 0..0);
        assert_eq!(t.range(2, 7), 0..2);
        assert_eq!(t.range(3, 6), 1..1);
        assert_eq!(t.range(10, 10), 0..0);
        assert_eq!(t.range(15, 100), 2..4);
        assert!(t.any_in(0, 2) && !t.any_in(3, 6) && !t.any_in(40, 50));
    }
}
