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
//!
//! Clustering is incremental and order-driven: `place` decides where one new quote goes,
//! given the clusters so far, and is the only decision procedure. The store runs it over its
//! tables (`ingest.rs`); [`Clusterer`] runs it over memory, so that [`assign`] replays the
//! store's clustering of a sequence of quotes exactly (the Spark job does, per group of
//! quotes that can meet: docs/SCALE.md). What a quote can meet is bounded by its
//! [`signature`]: only clusters holding its exact key or one of its probe shingles as a
//! fingerprint are ever looked at.

use std::collections::{BTreeSet, HashMap};

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

/// At most this many candidate clusters (those sharing the most fingerprints with a new
/// quote) are compared with it: a common phrase must not make one quote cost thousands of
/// comparisons.
pub const MAX_CANDIDATES: usize = 16;

/// What the index sees of a quote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    /// The exact-match key ([`text_key`]), for quotes of [`MIN_WORDS`] plain words or more.
    pub key: Option<i64>,
    /// The probe ([`shingles`]): compared with the fingerprints of the clusters so far.
    pub shingles: Vec<i64>,
    /// What the quote adds to its cluster's fingerprints ([`fingerprints`]) when it joins by
    /// anything but its exact key.
    pub fingerprints: Vec<i64>,
}

impl Signature {
    fn of(words: &[String]) -> Signature {
        if plain(words).len() < MIN_WORDS {
            return Signature::default();
        }
        Signature {
            key: Some(text_key(words)),
            shingles: shingles(words),
            fingerprints: fingerprints(words),
        }
    }
}

/// The signature of a quote's text: two quotes can only ever land in one cluster through a
/// chain of quotes that share a key, or where one's shingle is the other's fingerprint.
pub fn signature(text: &str) -> Signature {
    Signature::of(&normalize(text))
}

/// The clusters so far, wherever they are kept. Cluster ids must grow with creation among
/// the clusters that exist (SQLite's rowids do: a new row gets the largest id plus one),
/// since the oldest matching cluster wins and ties rank by id.
pub(crate) trait Index {
    type Error;
    /// The cluster holding exact key `key`.
    fn by_key(&mut self, key: i64) -> Result<Option<i64>, Self::Error>;
    /// The `limit` clusters whose fingerprints hold the most of `probe` (at least one), most
    /// first, ties by id; each with its representative (normalized words joined by spaces).
    fn candidates(
        &mut self,
        probe: &[i64],
        limit: usize,
    ) -> Result<Vec<(i64, String)>, Self::Error>;
    /// A new cluster of one quote, with representative `rep`.
    fn create(&mut self, rep: &str) -> Result<i64, Self::Error>;
    /// One more quote in cluster `id`; `rep` is its representative from now on, if given.
    fn grow(&mut self, id: i64, rep: Option<&str>) -> Result<(), Self::Error>;
    /// Move everything of cluster `from` (quotes, keys, fingerprints) into `into`.
    fn merge(&mut self, into: i64, from: i64) -> Result<(), Self::Error>;
    /// Index cluster `id` under `key` (unless that key is taken) and `fps`.
    fn index(&mut self, id: i64, key: i64, fps: &[i64]) -> Result<(), Self::Error>;
}

/// Put a new quote with text `content` in a cluster of `index`: the cluster of its exact key;
/// else the clusters it relates to among the candidates, merged into the oldest; else a new
/// one. Returns the cluster's id.
pub(crate) fn place<I: Index>(index: &mut I, content: &str) -> Result<i64, I::Error> {
    let words = normalize(content);
    let sig = Signature::of(&words);
    if let Some(key) = sig.key {
        if let Some(id) = index.by_key(key)? {
            index.grow(id, None)?;
            return Ok(id);
        }
    }
    let norm = words.join(" ");
    let mut matched: Vec<(i64, Relation, String)> = Vec::new();
    if !sig.shingles.is_empty() {
        for (id, rep) in index.candidates(&sig.shingles, MAX_CANDIDATES)? {
            // Words never hold a space, so this gives the representative's words back.
            let rep_words: Vec<String> = rep.split(' ').map(str::to_string).collect();
            let rel = relate(&words, &rep_words);
            if rel != Relation::None {
                matched.push((id, rel, rep));
            }
        }
    }
    let target = match matched.iter().map(|m| m.0).min() {
        None => index.create(&norm)?,
        Some(target) => {
            // The representative: the longest of the merged texts and this one (the first
            // of equal lengths, in candidate order).
            let mut rep = matched
                .iter()
                .find(|m| m.0 == target)
                .map(|m| m.2.clone())
                .unwrap_or_default();
            for (id, rel, other) in &matched {
                if *id != target {
                    index.merge(target, *id)?;
                    if other.len() > rep.len() {
                        rep = other.clone();
                    }
                }
                if *rel == Relation::Contains && norm.len() > rep.len() {
                    rep = norm.clone();
                }
            }
            index.grow(target, Some(&rep))?;
            target
        }
    };
    if let Some(key) = sig.key {
        index.index(target, key, &sig.fingerprints)?;
    }
    Ok(target)
}

/// One cluster of a [`Clusterer`].
#[derive(Debug, Default)]
struct Held {
    rep: String,
    keys: Vec<i64>,
    fps: BTreeSet<i64>,
}

/// The store's clustering, in memory: quotes are added in the order the store would ingest
/// them, and each ends in the cluster the store would give it.
///
/// A cluster is named by the position of the quote that opened it (0 for the first quote
/// added); when clusters merge, the oldest name stays, as in the store.
#[derive(Debug, Default)]
pub struct Clusterer {
    clusters: HashMap<i64, Held>,
    keys: HashMap<i64, i64>,
    /// Fingerprint -> the clusters holding it.
    fps: HashMap<i64, BTreeSet<i64>>,
    /// The cluster each quote was put in when it was added.
    placed: Vec<i64>,
    /// Cluster -> the cluster it was merged into.
    merged: HashMap<i64, i64>,
}

impl Clusterer {
    pub fn new() -> Clusterer {
        Clusterer::default()
    }

    /// Add the next quote; returns the cluster it joins now (a later quote may still merge
    /// that cluster into an older one).
    pub fn add(&mut self, content: &str) -> usize {
        let id = match place(self, content) {
            Ok(id) => id,
            Err(never) => match never {},
        };
        self.placed.push(id);
        to_usize(id)
    }

    /// How many quotes were added.
    pub fn len(&self) -> usize {
        self.placed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.placed.is_empty()
    }

    /// For every quote added, in order, the cluster it is in now: the position of the quote
    /// that opened it.
    pub fn assignments(&self) -> Vec<usize> {
        // Resolved merge chains, so that long chains are walked once.
        let mut resolved: HashMap<i64, i64> = HashMap::new();
        let mut path = Vec::new();
        self.placed
            .iter()
            .map(|&id| {
                let mut cur = id;
                while let Some(&into) = self.merged.get(&cur) {
                    if let Some(&done) = resolved.get(&cur) {
                        cur = done;
                        break;
                    }
                    path.push(cur);
                    cur = into;
                }
                for p in path.drain(..) {
                    resolved.insert(p, cur);
                }
                to_usize(cur)
            })
            .collect()
    }

    /// The cluster that `id` became through merges.
    fn current(&self, mut id: i64) -> i64 {
        // Merges go from younger to older clusters, so this ends.
        while let Some(&into) = self.merged.get(&id) {
            id = into;
        }
        id
    }

    /// The representative of the cluster the quote at `position` is in now: the longest text
    /// it holds, normalized (words separated by spaces, "…" for an ellipsis), as the store's
    /// `clusters.rep_norm`.
    pub fn representative(&self, position: usize) -> Option<&str> {
        let id = *self.placed.get(position)?;
        self.clusters.get(&self.current(id)).map(|c| c.rep.as_str())
    }
}

fn to_usize(id: i64) -> usize {
    // Ids are positions of quotes in a Vec: never negative.
    usize::try_from(id).unwrap_or_default()
}

impl Index for Clusterer {
    type Error = std::convert::Infallible;

    fn by_key(&mut self, key: i64) -> Result<Option<i64>, Self::Error> {
        Ok(self.keys.get(&key).copied())
    }

    fn candidates(
        &mut self,
        probe: &[i64],
        limit: usize,
    ) -> Result<Vec<(i64, String)>, Self::Error> {
        let mut shared: HashMap<i64, usize> = HashMap::new();
        let probe: BTreeSet<i64> = probe.iter().copied().collect();
        for fp in &probe {
            for &id in self.fps.get(fp).into_iter().flatten() {
                *shared.entry(id).or_default() += 1;
            }
        }
        let mut ranked: Vec<(i64, usize)> = shared.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        Ok(ranked
            .into_iter()
            .map(|(id, _)| {
                let rep = self.clusters.get(&id).map(|c| c.rep.clone());
                (id, rep.unwrap_or_default())
            })
            .collect())
    }

    fn create(&mut self, rep: &str) -> Result<i64, Self::Error> {
        // Named by the quote being added: younger clusters get larger names.
        let id = i64::try_from(self.placed.len()).unwrap_or(i64::MAX);
        self.clusters.insert(
            id,
            Held {
                rep: rep.to_string(),
                ..Held::default()
            },
        );
        Ok(id)
    }

    fn grow(&mut self, id: i64, rep: Option<&str>) -> Result<(), Self::Error> {
        if let (Some(c), Some(rep)) = (self.clusters.get_mut(&id), rep) {
            c.rep = rep.to_string();
        }
        Ok(())
    }

    fn merge(&mut self, into: i64, from: i64) -> Result<(), Self::Error> {
        let Some(old) = self.clusters.remove(&from) else {
            return Ok(());
        };
        for key in &old.keys {
            self.keys.insert(*key, into);
        }
        for fp in &old.fps {
            if let Some(set) = self.fps.get_mut(fp) {
                set.remove(&from);
                set.insert(into);
            }
        }
        if let Some(c) = self.clusters.get_mut(&into) {
            c.keys.extend(old.keys);
            c.fps.extend(old.fps);
        }
        self.merged.insert(from, into);
        Ok(())
    }

    fn index(&mut self, id: i64, key: i64, fps: &[i64]) -> Result<(), Self::Error> {
        let Some(c) = self.clusters.get_mut(&id) else {
            return Ok(());
        };
        if let std::collections::hash_map::Entry::Vacant(e) = self.keys.entry(key) {
            e.insert(id);
            c.keys.push(key);
        }
        for &fp in fps {
            if c.fps.insert(fp) {
                self.fps.entry(fp).or_default().insert(id);
            }
        }
        Ok(())
    }
}

/// The store's clustering of `quotes`, taken in order as `onrecord ingest` would store them:
/// for each quote, the position of the first quote of its cluster.
pub fn assign<'a>(quotes: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    let mut c = Clusterer::new();
    for q in quotes {
        c.add(q);
    }
    c.assignments()
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

    #[test]
    fn assign_replays_repeats_fragments_variants_and_short_quotes() {
        let got = assign([
            LONG,                                                      // 0: opens a cluster
            "The ferry schedule will change next week for everyone",   // 1: another
            "we are still waiting for a bridge",                       // 2: fragment of 0
            "They promised us a replacement ... still waiting",        // 3: ellipsis cut of 0
            "Thank you",                                               // 4: short: alone
            "thank you!",                                              // 5: short: alone too
            "THE FERRY SCHEDULE will change next week, for everyone.", // 6: repeat of 1
            "They promised us a replacement ten years ago and we are still waiting \
             for the bridge that never comes", // 7: one word edit of 0
            "",                                                        // 8: nothing: alone
        ]);
        assert_eq!(got, [0, 1, 0, 0, 4, 5, 1, 0, 8]);
        assert!(assign(std::iter::empty::<&str>()).is_empty());
    }

    #[test]
    fn a_bridging_quote_merges_into_the_oldest_cluster() {
        let mut c = Clusterer::new();
        assert_eq!(c.add("the harbour bridge must reopen soon"), 0);
        assert_eq!(c.add("the ferries cannot carry everyone alone"), 1);
        // A chain: 2 joins 1 only; 3 bridges 0 and 2's cluster.
        assert_eq!(c.add("ferries cannot carry everyone alone"), 1);
        assert_eq!(
            c.add("the harbour bridge must reopen soon because the ferries cannot carry everyone alone"),
            0
        );
        assert_eq!(c.assignments(), [0, 0, 0, 0]);
        assert_eq!(c.len(), 4);
        // The bridging quote is the longest text: it represents the merged cluster.
        assert_eq!(
            c.representative(1),
            Some("the harbour bridge must reopen soon because the ferries cannot carry everyone alone")
        );
        // A later quote equal to the absorbed cluster's text finds it through its key.
        assert_eq!(c.add("The ferries cannot carry everyone alone."), 0);
    }

    #[test]
    fn the_representative_grows_and_keys_follow_merges() {
        let mut c = Clusterer::new();
        c.add("we are still waiting for a bridge");
        assert_eq!(
            c.representative(0),
            Some("we are still waiting for a bridge")
        );
        c.add(LONG);
        assert_eq!(c.assignments(), [0, 0]);
        assert_eq!(
            c.representative(0),
            Some(normalize(LONG).join(" ").as_str())
        );
        assert_eq!(c.representative(99), None);
    }

    #[test]
    fn candidates_are_the_sixteen_sharing_most() {
        // Twenty clusters share a phrase with the probe: only the sixteen holding the most of
        // its shingles as fingerprints are compared, the oldest first among equals.
        let mut c = Clusterer::new();
        let fillers = [
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
            "sierra", "tango",
        ];
        let texts: Vec<String> = fillers
            .iter()
            .map(|f| format!("{f} {f} at the end of the day we build {f} {f}"))
            .collect();
        for t in &texts {
            c.add(t);
        }
        assert_eq!(c.assignments(), (0..20).collect::<Vec<usize>>());
        let probe = signature("at the end of the day we build tango tango");
        let mut expected: Vec<(usize, i64)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let fps = signature(t).fingerprints;
                let n = probe.shingles.iter().filter(|s| fps.contains(s)).count();
                (n, i as i64)
            })
            .filter(|(n, _)| *n > 0)
            .collect();
        assert!(expected.len() > MAX_CANDIDATES);
        expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let ranked = c.candidates(&probe.shingles, MAX_CANDIDATES).unwrap();
        assert_eq!(
            ranked.iter().map(|r| r.0).collect::<Vec<_>>(),
            expected[..MAX_CANDIDATES]
                .iter()
                .map(|e| e.1)
                .collect::<Vec<_>>()
        );
        assert_eq!(
            ranked[0].1,
            normalize(&texts[ranked[0].0 as usize]).join(" ")
        );
    }

    #[test]
    fn signatures_are_empty_below_the_minimum() {
        assert_eq!(signature("Thank you"), Signature::default());
        let s = signature("we will not wait");
        assert_eq!(s.key, Some(text_key(&normalize("We will not wait!"))));
        assert_eq!(s.shingles.len(), 1);
        assert_eq!(s.fingerprints, s.shingles);
        // Pieces between ellipses shorter than a shingle give none.
        let cut = signature("we will ... not wait");
        assert!(cut.key.is_some() && cut.shingles.is_empty());
    }
}
