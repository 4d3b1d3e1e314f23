//! Quote clusters: when two reported quotes are the same statement
//! (docs/STORE.md, "Quote clusters").
//!
//! Quote text is normalized to lower-case folded words; an ellipsis ("...", "…") is kept as a
//! break. Two quotes belong together when, after normalization,
//!
//! * they are **equal** (quotes of [`MIN_WORDS`] words or more; shorter ones, "No." or
//!   "Thank you", stay alone: they are too common to mean the same statement);
//! * one is a **fragment** of the other: its words run, in order and contiguous, inside the
//!   other's, and it has at least [`MIN_FRAGMENT`] words;
//! * one is a **near variant** of the other: the pieces between its ellipses appear in order
//!   in the other, or the two differ by a few word edits (at most one in ten words).
//!
//! Candidates are found through fingerprints: the store indexes each text's 4-word shingles,
//! hashed and winnowed (the minimum of every window of 4 consecutive shingles), and a new
//! quote probes that index with all of its shingles, so any run of 7 words it shares with
//! a stored text is found (shorter runs often are), with a few index look-ups per quote.

/// The marker of an ellipsis in normalized words.
pub const BREAK: &str = "…";
/// Quotes shorter than this are never clustered with others.
pub const MIN_WORDS: usize = 4;
/// A fragment must have this many words to join a longer quote.
pub const MIN_FRAGMENT: usize = 5;
/// Near variants by word edits must have this many words.
const MIN_EDITED: usize = 6;
const SHINGLE: usize = 4;
const WINDOW: usize = 4;
/// Longer quotes are not compared word by word (their fingerprints and fragments still are).
const MAX_EDIT_WORDS: usize = 400;

/// Normalized words, with [`BREAK`] where an ellipsis stood (never first or last, never
/// twice in a row).
pub fn normalize(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut dots = 0;
    let flush = |cur: &mut String, words: &mut Vec<String>| {
        if !cur.is_empty() {
            words.push(std::mem::take(cur));
        }
    };
    let brk = |words: &mut Vec<String>| {
        if words.last().is_some_and(|w| w != BREAK) {
            words.push(BREAK.to_string());
        }
    };
    for c in text.chars() {
        if c == '.' {
            dots += 1;
            flush(&mut cur, &mut words);
            if dots == 3 {
                brk(&mut words);
            }
            continue;
        }
        if c != ' ' || dots == 0 {
            // ". . ." counts as an ellipsis too: spaces between dots keep the count.
            dots = 0;
        }
        if c == '…' {
            flush(&mut cur, &mut words);
            brk(&mut words);
        } else if c.is_alphanumeric() {
            crate::names::fold_into(c, &mut cur);
        } else if matches!(c, '\'' | '’' | 'ʼ') && !cur.is_empty() {
            // "don't" -> "dont": an apostrophe inside a word does not split it.
        } else {
            flush(&mut cur, &mut words);
        }
    }
    flush(&mut cur, &mut words);
    if words.last().is_some_and(|w| w == BREAK) {
        words.pop();
    }
    words
}

/// The words without ellipsis marks.
pub fn plain(words: &[String]) -> Vec<&str> {
    words
        .iter()
        .map(String::as_str)
        .filter(|w| *w != BREAK)
        .collect()
}

/// The exact-match key: a 64-bit FNV-1a hash of the plain words.
pub fn text_key(words: &[String]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, w) in plain(words).iter().enumerate() {
        if i > 0 {
            h = fnv_step(h, b' ');
        }
        for b in w.bytes() {
            h = fnv_step(h, b);
        }
    }
    h as i64
}

fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// The hashes of every 4-word shingle, sorted and de-duplicated: what a new quote probes
/// the index with. Shingles never span an ellipsis.
pub fn shingles(words: &[String]) -> Vec<i64> {
    let mut out: Vec<i64> = shingle_runs(words)
        .into_iter()
        .flatten()
        .map(|h| h as i64)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The winnowed fingerprints (the minimum of every window of 4 consecutive shingles),
/// sorted and de-duplicated: what the index keeps of a quote. Any run of 7 words shared
/// with a later quote holds one of them.
pub fn fingerprints(words: &[String]) -> Vec<i64> {
    let mut out = Vec::new();
    for hashes in shingle_runs(words) {
        if hashes.len() <= WINDOW {
            out.extend(hashes.iter().min().map(|&h| h as i64));
            continue;
        }
        for win in hashes.windows(WINDOW) {
            if let Some(&m) = win.iter().min() {
                out.push(m as i64);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Shingle hashes of each piece between ellipses.
fn shingle_runs(words: &[String]) -> Vec<Vec<u64>> {
    words
        .split(|w| w == BREAK)
        .filter(|piece| piece.len() >= SHINGLE)
        .map(|piece| {
            piece
                .windows(SHINGLE)
                .map(|sh| {
                    let mut h: u64 = 0x8422_2325_cbf2_9ce4;
                    for w in sh {
                        for b in w.bytes() {
                            h = fnv_step(h, b);
                        }
                        h = fnv_step(h, 0);
                    }
                    // Finalize: FNV's low bits mix poorly, and winnowing compares whole values.
                    h ^= h >> 33;
                    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
                    h ^ (h >> 33)
                })
                .collect()
        })
        .collect()
}

/// How a new quote relates to a cluster's representative text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// Not the same statement.
    None,
    /// The new quote is a fragment or a shortened variant of the representative.
    Within,
    /// The representative is a fragment or shortened variant of the new quote, which
    /// becomes the representative.
    Contains,
    /// A few word edits apart.
    Variant,
}

/// Compare normalized quotes `new` and `rep`.
pub fn relate(new: &[String], rep: &[String]) -> Relation {
    let (a, b) = (plain(new), plain(rep));
    if a == b {
        return if a.len() >= MIN_WORDS {
            Relation::Variant
        } else {
            Relation::None
        };
    }
    if a.len() >= MIN_FRAGMENT && a.len() < b.len() && contains(&b, &a) {
        return Relation::Within;
    }
    if b.len() >= MIN_FRAGMENT && b.len() < a.len() && contains(&a, &b) {
        return Relation::Contains;
    }
    if pieces_in_order(new, &b) {
        return Relation::Within;
    }
    if pieces_in_order(rep, &a) {
        return Relation::Contains;
    }
    let (short, long) = (a.len().min(b.len()), a.len().max(b.len()));
    if short >= MIN_EDITED && long <= MAX_EDIT_WORDS {
        let allowed = (long / 10).max(1);
        if long - short <= allowed && edit_distance(&a, &b, allowed) <= allowed {
            return Relation::Variant;
        }
    }
    Relation::None
}

/// Does `needle` occur as a contiguous run of words in `hay`?
fn contains(hay: &[&str], needle: &[&str]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Does a quote with ellipses (`with`) match `hay` piece by piece, in order? Needs at least
/// two pieces and [`MIN_FRAGMENT`] words in all.
fn pieces_in_order(with: &[String], hay: &[&str]) -> bool {
    let pieces: Vec<Vec<&str>> = with
        .split(|w| w == BREAK)
        .map(|p| p.iter().map(String::as_str).collect())
        .collect();
    if pieces.len() < 2 || pieces.iter().map(Vec::len).sum::<usize>() < MIN_FRAGMENT {
        return false;
    }
    let mut from = 0;
    for p in &pieces {
        if p.is_empty() || from + p.len() > hay.len() {
            return false;
        }
        match hay[from..].windows(p.len()).position(|w| w == p.as_slice()) {
            Some(i) => from += i + p.len(),
            None => return false,
        }
    }
    true
}

/// Word-level Levenshtein distance, stopping early once it must exceed `cap`.
fn edit_distance(a: &[&str], b: &[&str], cap: usize) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, wa) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, wb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(wa != wb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > cap {
            return cap + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Vec<String> {
        normalize(s)
    }

    #[test]
    fn normalization_folds_case_punctuation_and_ellipses() {
        assert_eq!(n("We Will NOT wait!"), ["we", "will", "not", "wait"]);
        assert_eq!(n("don’t stop"), ["dont", "stop"]);
        assert_eq!(
            n("ten years ago ... we wait"),
            ["ten", "years", "ago", BREAK, "we", "wait"]
        );
        assert_eq!(n("ago. . . we"), ["ago", BREAK, "we"]);
        assert_eq!(n("ago…we"), ["ago", BREAK, "we"]);
        assert_eq!(n("...and then..."), ["and", "then"]);
        assert_eq!(n("U.S. troops"), ["u", "s", "troops"]);
        assert_eq!(
            text_key(&n("We will not wait.")),
            text_key(&n("we will NOT wait"))
        );
    }

    const LONG: &str = "They promised us a replacement ten years ago and we are still waiting \
                        for a bridge that never comes";

    #[test]
    fn fragments_join_longer_quotes() {
        let frag = n("we are still waiting for a bridge");
        assert_eq!(relate(&frag, &n(LONG)), Relation::Within);
        assert_eq!(relate(&n(LONG), &frag), Relation::Contains);
        // Too short to be evidence.
        assert_eq!(relate(&n("we are still"), &n(LONG)), Relation::None);
    }

    #[test]
    fn ellipses_and_small_edits_are_variants() {
        let cut = n("They promised us a replacement ... we are still waiting");
        assert_eq!(relate(&cut, &n(LONG)), Relation::Within);
        assert_eq!(relate(&n(LONG), &cut), Relation::Contains);
        let edited = n(
            "They promised us a replacement ten years ago and we are still waiting \
                        for the bridge that never comes",
        );
        assert_eq!(relate(&edited, &n(LONG)), Relation::Variant);
        let other = n("They promised us lower taxes and we got higher ones instead, again");
        assert_eq!(relate(&other, &n(LONG)), Relation::None);
        assert_eq!(relate(&n("Thank you"), &n("thank you")), Relation::None);
    }

    #[test]
    fn shared_runs_share_fingerprints() {
        let long = fingerprints(&n(LONG));
        // Every 7-word run of the long quote, probed with all its shingles, is found.
        let words = n(LONG);
        for run in words.windows(7) {
            let probe = shingles(run);
            assert!(
                probe.iter().any(|f| long.binary_search(f).is_ok()),
                "{run:?}"
            );
        }
        assert!(fingerprints(&n("too short")).is_empty());
        assert!(shingles(&n("too short")).is_empty());
        // About one fingerprint per two or three shingles.
        assert!(long.len() < 14, "{}", long.len());
    }

    #[test]
    fn edit_distance_counts_words() {
        let a = ["a", "b", "c", "d"];
        assert_eq!(edit_distance(&a, &["a", "x", "c", "d"], 3), 1);
        assert_eq!(edit_distance(&a, &["a", "c", "d"], 3), 1);
        assert_eq!(edit_distance(&a, &["w", "x", "y", "z"], 2), 3);
    }
}
