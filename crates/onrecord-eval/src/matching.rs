//! score.py's per-article machinery: takes an article's text with its gold and predicted
//! attributions, gives the scored items (token sets, direct/strict kinds), the greedy
//! one-to-one pairing and the exact matches. Shared by scoring and error analysis.

use crate::preds::{Attribution, CharSpan};
use crate::word::{is_py_space, Tokens};
use std::collections::{HashMap, VecDeque};

/// Quotation marks for the direct/strict subsets (score.py's `QUOTES`).
const QUOTES: &[char] = &['"', '“', '”', '\'', '‘', '’', '«', '»'];

/// The scoring unit.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Every attribution exploded into its contiguous content pieces (score.py default).
    #[default]
    Piece,
    /// Attributions as annotated or predicted.
    Attr,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Piece => "piece",
            Unit::Attr => "attr",
        }
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Unit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "piece" => Ok(Unit::Piece),
            "attr" => Ok(Unit::Attr),
            _ => Err(format!("unknown unit {s:?} (expected piece or attr)")),
        }
    }
}

/// An article's text in code points with its word tokens.
pub(crate) struct Text {
    pub chars: Vec<char>,
    pub tokens: Tokens,
}

impl Text {
    pub fn new(text: &str) -> Text {
        let chars: Vec<char> = text.chars().collect();
        let tokens = Tokens::new(&chars);
        Text { chars, tokens }
    }

    /// `text[s:e]` with Python's clamping.
    pub fn slice(&self, s: usize, e: usize) -> &[char] {
        let n = self.chars.len();
        let (s, e) = (s.min(n), e.min(n));
        if s < e {
            &self.chars[s..e]
        } else {
            &[]
        }
    }

    /// score.py's `T.of(spans)`: the set of tokens with a character inside `spans`.
    pub fn tok(&self, spans: &[CharSpan]) -> TokSet {
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|&(s, e)| self.tokens.range(s, e))
            .filter(|r| !r.is_empty())
            .map(|r| (r.start, r.end))
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (s, e) in ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        let len = merged.iter().map(|(s, e)| e - s).sum();
        TokSet {
            ranges: merged,
            len,
        }
    }

    /// score.py's `direct_kind`: (direct, strict) for a content given as sorted spans.
    pub fn direct_kind(&self, spans: &[CharSpan]) -> (bool, bool) {
        let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
            return (false, false);
        };
        let (s0, e1) = (first.0, last.1);
        let seg = self.slice(s0, e1);
        let st = trim_chars(seg, is_py_space);
        let (Some(&first_in), Some(&last_in)) = (st.first(), st.last()) else {
            return (false, false);
        };
        let last_in2 = trim_end_chars(st, |c| ".,;:!?".contains(c))
            .last()
            .copied()
            .unwrap_or(last_in);
        let n = self.chars.len();
        let before = trim_end_chars(&self.chars[..s0.min(n)], is_py_space).last();
        let after = self.chars[e1.min(n)..].iter().find(|&&c| !is_py_space(c));
        let is_q = |c: Option<&char>| c.is_some_and(|c| QUOTES.contains(c));
        let left = is_q(Some(&first_in)) || is_q(before);
        let right = is_q(Some(&last_in)) || is_q(Some(&last_in2)) || is_q(after);
        (left || right, left && right)
    }

    /// score.py's `explode`: one item per contiguous content piece, pieces whose gap holds
    /// no word character merged first; source and cue inherited.
    fn explode(&self, items: Vec<Attribution>) -> Vec<Attribution> {
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            let mut merged: Vec<CharSpan> = Vec::new();
            for &(s, e) in &it.content {
                match merged.last_mut() {
                    Some(last) if !self.tokens.any_in(last.1, s) => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            for piece in merged {
                out.push(Attribution {
                    content: vec![piece],
                    source: it.source.clone(),
                    cue: it.cue.clone(),
                });
            }
        }
        out
    }
}

fn trim_end_chars(s: &[char], f: impl Fn(char) -> bool) -> &[char] {
    let end = s.iter().rposition(|&c| !f(c)).map_or(0, |i| i + 1);
    &s[..end]
}

fn trim_chars(s: &[char], f: impl Fn(char) -> bool + Copy) -> &[char] {
    let s = trim_end_chars(s, f);
    let start = s.iter().position(|&c| !f(c)).unwrap_or(s.len());
    &s[start..]
}

/// A set of token indices, as sorted, disjoint, non-adjacent ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct TokSet {
    ranges: Vec<(usize, usize)>,
    len: usize,
}

impl TokSet {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `|self & other|`.
    pub fn overlap(&self, other: &TokSet) -> usize {
        let (a, b) = (&self.ranges, &other.ranges);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            let lo = a[i].0.max(b[j].0);
            let hi = a[i].1.min(b[j].1);
            if lo < hi {
                n += hi - lo;
            }
            if a[i].1 < b[j].1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        n
    }

    fn intersects(&self, other: &TokSet) -> bool {
        self.overlap(other) > 0
    }
}

/// One side (gold or predictions) of an article, ready to score.
pub(crate) struct Side {
    /// The scored items: spans sorted, exploded in the piece unit.
    pub items: Vec<Attribution>,
    pub tok: Vec<TokSet>,
    pub src: Vec<TokSet>,
    pub cue: Vec<TokSet>,
    /// (direct, strict) per item.
    pub kind: Vec<(bool, bool)>,
}

impl Side {
    fn new<'a>(text: &Text, items: impl IntoIterator<Item = &'a Attribution>, unit: Unit) -> Side {
        let sorted = |v: &[CharSpan]| {
            let mut v = v.to_vec();
            v.sort_unstable();
            v
        };
        let mut items: Vec<Attribution> = items
            .into_iter()
            .map(|a| Attribution {
                content: sorted(&a.content),
                source: sorted(&a.source),
                cue: sorted(&a.cue),
            })
            .collect();
        if unit == Unit::Piece {
            items = text.explode(items);
        }
        Side {
            tok: items.iter().map(|a| text.tok(&a.content)).collect(),
            src: items.iter().map(|a| text.tok(&a.source)).collect(),
            cue: items.iter().map(|a| text.tok(&a.cue)).collect(),
            kind: items.iter().map(|a| text.direct_kind(&a.content)).collect(),
            items,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}

/// An article scored: both sides, the greedy pairing and the exact matches.
pub(crate) struct ArticleEval {
    pub gold: Side,
    pub pred: Side,
    pub p2g: Vec<Option<usize>>,
    pub g2p: Vec<Option<usize>>,
    pub ex_p: Vec<bool>,
    pub ex_g: Vec<bool>,
}

impl ArticleEval {
    pub fn new<'a>(
        text: &Text,
        gold: impl IntoIterator<Item = &'a Attribution>,
        pred: impl IntoIterator<Item = &'a Attribution>,
        unit: Unit,
    ) -> ArticleEval {
        let gold = Side::new(text, gold, unit);
        let pred = Side::new(text, pred, unit);

        // Greedy one-to-one by decreasing overlap; ties: earlier prediction, earlier gold.
        let mut pairs = Vec::new();
        for (i, a) in pred.tok.iter().enumerate() {
            if a.is_empty() {
                continue;
            }
            for (j, b) in gold.tok.iter().enumerate() {
                let o = a.overlap(b);
                if o > 0 {
                    pairs.push((std::cmp::Reverse(o), i, j));
                }
            }
        }
        pairs.sort_unstable();
        let mut p2g = vec![None; pred.len()];
        let mut g2p = vec![None; gold.len()];
        for (_, i, j) in pairs {
            if p2g[i].is_none() && g2p[j].is_none() {
                p2g[i] = Some(j);
                g2p[j] = Some(i);
            }
        }

        // Exact: each prediction takes the earliest unused gold with the same token set.
        let mut by_set: HashMap<&TokSet, VecDeque<usize>> = HashMap::new();
        for (j, b) in gold.tok.iter().enumerate() {
            if !b.is_empty() {
                by_set.entry(b).or_default().push_back(j);
            }
        }
        let mut ex_p = vec![false; pred.len()];
        let mut ex_g = vec![false; gold.len()];
        for (i, a) in pred.tok.iter().enumerate() {
            if a.is_empty() {
                continue;
            }
            if let Some(j) = by_set.get_mut(a).and_then(|q| q.pop_front()) {
                ex_g[j] = true;
                ex_p[i] = true;
            }
        }
        ArticleEval {
            gold,
            pred,
            p2g,
            g2p,
            ex_p,
            ex_g,
        }
    }

    pub fn overlap(&self, i: usize, j: usize) -> usize {
        self.pred.tok[i].overlap(&self.gold.tok[j])
    }

    pub fn c50(&self, i: usize, j: usize) -> bool {
        let o = self.overlap(i, j);
        2 * o >= self.pred.tok[i].len() && 2 * o >= self.gold.tok[j].len()
    }

    pub fn src_ok(&self, i: usize, j: usize) -> bool {
        let (p, g) = (&self.pred.src[i], &self.gold.src[j]);
        (p.is_empty() && g.is_empty()) || p.intersects(g)
    }

    pub fn cue_ok(&self, i: usize, j: usize) -> bool {
        let (p, g) = (&self.pred.cue[i], &self.gold.cue[j]);
        (p.is_empty() && g.is_empty()) || p.intersects(g)
    }
}

/// For each prediction of one article, whether it is a true positive of the piece unit's
/// ATTR measure: its content is in a c50 pair with a gold piece and its source is right.
/// The labels the attribution judge learns from (`onrecord train judge`).
///
/// Predictions with several content spans are scored by their largest piece, as the
/// pairing would credit them.
pub fn prediction_labels(text: &str, gold: &[Attribution], pred: &[Attribution]) -> Vec<bool> {
    let t = Text::new(text);
    let eval = ArticleEval::new(&t, gold, pred, Unit::Piece);
    // pieces, in order, back to the prediction each came from
    let mut owner = Vec::with_capacity(eval.pred.len());
    for (i, p) in pred.iter().enumerate() {
        let mut p = p.clone();
        p.content.sort_unstable();
        let n = t.explode(vec![p]).len();
        owner.extend(std::iter::repeat_n(i, n));
    }
    let mut labels = vec![false; pred.len()];
    for (piece, &i) in owner.iter().enumerate().take(eval.pred.len()) {
        if let Some(j) = eval.p2g[piece] {
            if eval.c50(piece, j) && eval.src_ok(piece, j) {
                labels[i] = true;
            }
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn att(content: &[CharSpan], source: &[CharSpan]) -> Attribution {
        Attribution {
            content: content.to_vec(),
            source: source.to_vec(),
            cue: vec![],
        }
    }

    #[test]
    fn direct_kinds() {
        //                      0         1         2         3         4
        //                      0123456789012345678901234567890123456789012345
        let t = Text::new("He said “we will win.” Then: she thinks so.");
        assert_eq!(t.direct_kind(&[(8, 22)]), (true, true)); // marks inside
        assert_eq!(t.direct_kind(&[(9, 21)]), (true, true)); // marks just outside
        assert_eq!(t.direct_kind(&[(9, 15)]), (true, false)); // left only
        assert_eq!(t.direct_kind(&[(29, 43)]), (false, false));
        assert_eq!(t.direct_kind(&[(29, 43), (9, 12)]), (false, false)); // unsorted: as given
        assert_eq!(t.direct_kind(&[(3, 3)]), (false, false)); // empty segment
        assert_eq!(t.direct_kind(&[]), (false, false));
        assert_eq!(t.direct_kind(&[(40, 400)]), (false, false)); // clamped
        let t = Text::new("“Go home”, he said.");
        assert_eq!(t.direct_kind(&[(0, 10)]), (true, true)); // ",” then comma
    }

    #[test]
    fn tok_sets() {
        let t = Text::new("one two, three four five");
        let a = t.tok(&[(0, 5), (4, 7), (15, 19)]);
        assert_eq!(a.ranges, vec![(0, 2), (3, 4)]);
        assert_eq!(a.len(), 3);
        let b = t.tok(&[(2, 14)]);
        assert_eq!(b.len(), 3);
        assert_eq!(a.overlap(&b), 2);
        // Adjacent ranges are merged, so equal sets compare equal.
        assert_eq!(t.tok(&[(0, 3), (4, 7)]), t.tok(&[(0, 7)]));
        assert!(t.tok(&[(7, 9)]).is_empty());
    }

    #[test]
    fn explode_merges_wordless_gaps() {
        let t = Text::new("“Yes,” he said, “and no.” Then “more”.");
        let items = t.explode(vec![att(&[(0, 6), (16, 25), (31, 37)], &[(7, 9)])]);
        // The gap 6..16 holds words; 25..31 holds "Then".
        assert_eq!(items.len(), 3);
        let items = t.explode(vec![att(&[(0, 5), (5, 6), (6, 8)], &[])]);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].content, vec![(0, 8)]);
        assert!(t.explode(vec![att(&[], &[])]).is_empty());
    }

    #[test]
    fn greedy_pairing_and_ties() {
        let t = Text::new("a b c d e f g h");
        //                 0 2 4 6 8 ...
        let gold = [att(&[(0, 5)], &[]), att(&[(6, 11)], &[])]; // a b c | d e f
        let pred = [
            att(&[(4, 7)], &[]),  // c d: overlap 1 with each gold
            att(&[(0, 3)], &[]),  // a b: overlap 2 with gold 0
            att(&[(8, 11)], &[]), // e f: overlap 2 with gold 1
        ];
        let ev = ArticleEval::new(&t, &gold, &pred, Unit::Attr);
        assert_eq!(ev.p2g, vec![None, Some(0), Some(1)]);
        let pred = [att(&[(4, 7)], &[]), att(&[(4, 7)], &[])];
        let ev = ArticleEval::new(&t, &gold, &pred, Unit::Attr);
        // Tie on overlap 1: earlier prediction, then earlier gold.
        assert_eq!(ev.p2g, vec![Some(0), Some(1)]);
        assert!(!ev.c50(0, 0));
    }

    #[test]
    fn prediction_labels_follow_c50_and_source() {
        let text = "a b c d e f g h";
        let gold = [att(&[(0, 5)], &[(14, 15)]), att(&[(6, 11)], &[])]; // a b c (by h) | d e f
        let pred = [
            att(&[(0, 3)], &[(14, 15)]), // a b: c50 with gold 0, right source
            att(&[(6, 9)], &[(12, 13)]), // d e: c50 with gold 1, a source where gold has none
            att(&[(12, 13)], &[]),       // g: no gold
        ];
        assert_eq!(prediction_labels(text, &gold, &pred), [true, false, false]);
        // a prediction of two pieces is right when its matched piece is
        let pred = [att(&[(6, 11), (0, 1)], &[])];
        assert_eq!(prediction_labels(text, &gold, &pred), [true]);
    }
}
