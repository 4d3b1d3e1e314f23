//! The key that groups the same quote across articles (the Spark job's cluster table):
//! the store's exact-match normalization (crates/onrecord-store/src/cluster.rs, docs/STORE.md
//! "Quote clusters"), its words joined by one space.
//!
//! * letters and digits are kept, lowercased and folded to ASCII where the store folds them
//!   (`onrecord_store::names::fold_into`: "é" is "e", "ß" is "ss");
//! * an apostrophe (`'`, `’`, `ʼ`) inside a word is dropped: "don't" and "don’t" are `dont`;
//! * every other character (spaces, punctuation, dashes, quotation marks, ellipses)
//!   separates words.
//!
//! "We will NOT wait — not again," and "we will not wait... not again" share the key
//! `we will not wait not again`. The store also joins fragments and close variants of a
//! quote to its cluster; the Spark job groups exact keys only (docs/SCALE.md).

pub fn normalize_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            onrecord_store::names::fold_into(c, &mut word);
        } else if matches!(c, '\'' | '’' | 'ʼ') && !word.is_empty() {
            // "don't" -> "dont": an apostrophe inside a word does not split it.
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}
