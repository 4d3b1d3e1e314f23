//! The scorer, a port of shared/eval/score.py: takes a split and predictions, gives a
//! [`Report`] with exact / partial / overlap / c50 / src_acc / cue_acc / ATTR for the
//! subsets all, direct and strict. `Report::table` prints score.py's table and
//! `Report::to_json` writes score.py's `--json` file byte for byte.

use crate::corpus::Split;
use crate::matching::{ArticleEval, Text, Unit};
use crate::preds::{Attribution, PredictionDoc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Precision, recall and F1; serialized as `[p, r, f]` like score.py's tuples.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "[f64; 3]", into = "[f64; 3]")]
pub struct Prf {
    pub p: f64,
    pub r: f64,
    pub f: f64,
}

impl From<[f64; 3]> for Prf {
    fn from([p, r, f]: [f64; 3]) -> Self {
        Prf { p, r, f }
    }
}

impl From<Prf> for [f64; 3] {
    fn from(x: Prf) -> Self {
        [x.p, x.r, x.f]
    }
}

impl Prf {
    /// score.py's `prf`, with the same operation order so the floats agree to the bit.
    fn new(tp_p: u64, n_p: u64, tp_r: u64, n_r: u64) -> Prf {
        let p = if n_p > 0 {
            tp_p as f64 / n_p as f64
        } else {
            0.0
        };
        let r = if n_r > 0 {
            tp_r as f64 / n_r as f64
        } else {
            0.0
        };
        let f = if p + r != 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf { p, r, f }
    }
}

/// The metrics of one subset (field order is score.py's JSON order).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SubsetScores {
    pub n_gold: u64,
    pub n_pred: u64,
    pub exact: Prf,
    pub partial: Prf,
    pub overlap_count: Prf,
    pub c50: Prf,
    pub n_matched: u64,
    pub src_acc: f64,
    pub cue_acc: f64,
    pub attr: Prf,
}

/// The three subsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subset {
    All,
    Direct,
    Strict,
}

impl Subset {
    pub const ALL: [Subset; 3] = [Subset::All, Subset::Direct, Subset::Strict];

    pub fn name(self) -> &'static str {
        match self {
            Subset::All => "all",
            Subset::Direct => "direct",
            Subset::Strict => "strict",
        }
    }

    fn contains(self, (direct, strict): (bool, bool)) -> bool {
        match self {
            Subset::All => true,
            Subset::Direct => direct,
            Subset::Strict => strict,
        }
    }
}

/// A scoring result. Serializes to score.py's `--json` structure (the run details are
/// not serialized).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub all: SubsetScores,
    pub direct: SubsetScores,
    pub strict: SubsetScores,
    /// The split name (`dev`, `dev+train`).
    #[serde(skip)]
    pub split: String,
    #[serde(skip)]
    pub unit: Unit,
    /// Number of articles scored.
    #[serde(skip)]
    pub articles: usize,
    /// Predicted ids that are not articles of the split (ignored), in file order.
    #[serde(skip)]
    pub unknown_ids: Vec<String>,
}

impl Report {
    pub fn subset(&self, s: Subset) -> &SubsetScores {
        match s {
            Subset::All => &self.all,
            Subset::Direct => &self.direct,
            Subset::Strict => &self.strict,
        }
    }

    /// score.py's `fmt`: the header and one line per subset, no trailing newline.
    pub fn table(&self) -> String {
        let f3 = |x: &Prf| format!("{:.3}/{:.3}/{:.3}", x.p, x.r, x.f);
        let mut lines = vec![
            "subset  #gold #pred | exact P/R/F       | partial(tok) P/R/F | c50 P/R/F         \
             | #match src_acc cue_acc | ATTR P/R/F"
                .to_string(),
        ];
        for s in Subset::ALL {
            let r = self.subset(s);
            lines.push(format!(
                "{:<7} {:>5} {:>5} | {} | {}  | {} | {:>6}  {:.3}   {:.3}  | {}",
                s.name(),
                r.n_gold,
                r.n_pred,
                f3(&r.exact),
                f3(&r.partial),
                f3(&r.c50),
                r.n_matched,
                r.src_acc,
                r.cue_acc,
                f3(&r.attr)
            ));
        }
        lines.join("\n")
    }

    /// The metrics as score.py's `--json` writes them (`json.dump(res, f, indent=1)`),
    /// byte for byte, floats in Python's repr.
    pub fn to_json(&self) -> String {
        crate::pyjson::to_string_indent1(self)
    }
}

/// Per-subset counters, as score.py's accumulators.
#[derive(Default)]
struct Acc {
    n_pred: u64,
    tok_pred: u64,
    ex_p: u64,
    ov_p: u64,
    m_p: u64,
    c50_p: u64,
    src_ok: u64,
    cue_ok: u64,
    attr_p: u64,
    n_gold: u64,
    tok_gold: u64,
    ex_g: u64,
    ov_g: u64,
    m_g: u64,
    c50_g: u64,
    attr_g: u64,
}

impl Acc {
    fn add(&mut self, ev: &ArticleEval, s: Subset) {
        for i in 0..ev.pred.len() {
            if !s.contains(ev.pred.kind[i]) {
                continue;
            }
            self.n_pred += 1;
            self.tok_pred += ev.pred.tok[i].len() as u64;
            self.ex_p += ev.ex_p[i] as u64;
            if let Some(j) = ev.p2g[i] {
                let c50 = ev.c50(i, j);
                let src = ev.src_ok(i, j);
                self.ov_p += ev.overlap(i, j) as u64;
                self.m_p += 1;
                self.c50_p += c50 as u64;
                self.src_ok += src as u64;
                self.cue_ok += ev.cue_ok(i, j) as u64;
                self.attr_p += (c50 && src) as u64;
            }
        }
        for j in 0..ev.gold.len() {
            if !s.contains(ev.gold.kind[j]) {
                continue;
            }
            self.n_gold += 1;
            self.tok_gold += ev.gold.tok[j].len() as u64;
            self.ex_g += ev.ex_g[j] as u64;
            if let Some(i) = ev.g2p[j] {
                let c50 = ev.c50(i, j);
                self.ov_g += ev.overlap(i, j) as u64;
                self.m_g += 1;
                self.c50_g += c50 as u64;
                self.attr_g += (c50 && ev.src_ok(i, j)) as u64;
            }
        }
    }

    fn finish(&self) -> SubsetScores {
        let ratio = |a: u64, b: u64| if b > 0 { a as f64 / b as f64 } else { 0.0 };
        SubsetScores {
            n_gold: self.n_gold,
            n_pred: self.n_pred,
            exact: Prf::new(self.ex_p, self.n_pred, self.ex_g, self.n_gold),
            partial: Prf::new(self.ov_p, self.tok_pred, self.ov_g, self.tok_gold),
            overlap_count: Prf::new(self.m_p, self.n_pred, self.m_g, self.n_gold),
            c50: Prf::new(self.c50_p, self.n_pred, self.c50_g, self.n_gold),
            n_matched: self.m_p,
            src_acc: ratio(self.src_ok, self.m_p),
            cue_acc: ratio(self.cue_ok, self.m_p),
            attr: Prf::new(self.attr_p, self.n_pred, self.attr_g, self.n_gold),
        }
    }
}

/// Predictions pooled by article id (several records with one id are concatenated, as
/// score.py does), and the ids that are not in the split.
pub(crate) fn pool<'a>(
    split: &Split,
    predictions: &'a [PredictionDoc],
) -> (HashMap<&'a str, Vec<&'a Attribution>>, Vec<String>) {
    let mut by_id: HashMap<&str, Vec<&Attribution>> = HashMap::new();
    let mut order = Vec::new();
    for doc in predictions {
        let entry = by_id.entry(doc.id.as_str()).or_insert_with(|| {
            order.push(doc.id.as_str());
            Vec::new()
        });
        entry.extend(doc.quotes.iter());
    }
    let known: std::collections::HashSet<&str> =
        split.articles.iter().map(|a| a.name.as_str()).collect();
    let unknown = order
        .into_iter()
        .filter(|id| !known.contains(id))
        .map(str::to_string)
        .collect();
    (by_id, unknown)
}

/// Score predictions against a split's gold (score.py's `score`). Articles without
/// predictions count as predicting nothing; predictions for unknown ids are ignored and
/// listed in [`Report::unknown_ids`].
pub fn score(split: &Split, predictions: &[PredictionDoc], unit: Unit) -> Report {
    let (by_id, unknown_ids) = pool(split, predictions);
    let mut acc: [Acc; 3] = Default::default();
    for article in &split.articles {
        let text = Text::new(&article.text);
        let pred = by_id.get(article.name.as_str()).map_or(&[][..], |v| v);
        let ev = ArticleEval::new(&text, &article.gold, pred.iter().copied(), unit);
        for (a, s) in acc.iter_mut().zip(Subset::ALL) {
            a.add(&ev, s);
        }
    }
    Report {
        all: acc[0].finish(),
        direct: acc[1].finish(),
        strict: acc[2].finish(),
        split: split.name.clone(),
        unit,
        articles: split.articles.len(),
        unknown_ids,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Article;

    const TABLE_HEADER: &str = "subset  #gold #pred | exact P/R/F       | partial(tok) P/R/F \
        | c50 P/R/F         | #match src_acc cue_acc | ATTR P/R/F";

    /// Offsets of `needle` (its `nth` occurrence) in `text`, in code points.
    fn at(text: &str, needle: &str, nth: usize) -> (usize, usize) {
        let byte = text.match_indices(needle).nth(nth).expect(needle).0;
        let s = text[..byte].chars().count();
        (s, s + needle.chars().count())
    }

    fn att(
        content: &[(usize, usize)],
        source: &[(usize, usize)],
        cue: &[(usize, usize)],
    ) -> Attribution {
        Attribution {
            content: content.to_vec(),
            source: source.to_vec(),
            cue: cue.to_vec(),
        }
    }

    /// Hand-made gold and predictions with hand-computed numbers.
    #[test]
    fn scores_hand_made_predictions() {
        let text = "The mayor said “the bridge will open in May.” Critics argue that costs \
                    doubled. “We are ready,” she added, “and proud.”";
        let a = |n: &str| at(text, n, 0);
        // g0: direct, strict; 6 tokens; source "The mayor".
        let g0 = att(
            &[a("“the bridge will open in May.”")],
            &[a("The mayor")],
            &[a("said")],
        );
        // g1: indirect; 2 tokens.
        let g1 = att(&[a("costs doubled")], &[a("Critics")], &[a("argue")]);
        // g2: one attribution with two quoted pieces (3 + 2 tokens).
        let g2 = att(
            &[a("“and proud.”"), a("“We are ready,”")],
            &[a("she")],
            &[a("added")],
        );
        let gold = vec![g0, g1, g2];

        // p0: content without the marks (still direct/strict via neighbours), right
        //     source: exact (same tokens), c50, attr.
        let p0 = att(
            &[a("the bridge will open in May.")],
            &[a("mayor")],
            &[a("said")],
        );
        // p1: 4 tokens "Critics argue that costs" vs gold "costs doubled": overlap 1,
        //     not c50; no source; wrong cue.
        let p1 = att(&[a("Critics argue that costs")], &[], &[]);
        // p2: the first quoted piece only, right source, no cue.
        let p2 = att(&[a("“We are ready,”")], &[a("she")], &[]);
        // p3: a false positive without word tokens.
        let p3 = att(&[a(". “")], &[], &[]);
        let split = Split {
            name: "hand".into(),
            articles: vec![Article {
                name: "art".into(),
                text: text.into(),
                gold,
                ..Article::default()
            }],
        };
        let preds = vec![
            PredictionDoc {
                id: "art".into(),
                quotes: vec![p0, p1],
            },
            PredictionDoc {
                id: "art".into(),
                quotes: vec![p2, p3],
            },
            PredictionDoc {
                id: "ghost".into(),
                quotes: vec![],
            },
        ];

        // Unit attr: 3 gold, 4 pred. Pairs: p0-g0 (6), p2-g2 (3), p1-g1 (1).
        let r = score(&split, &preds, Unit::Attr);
        assert_eq!(r.unknown_ids, vec!["ghost".to_string()]);
        let all = &r.all;
        assert_eq!((all.n_gold, all.n_pred, all.n_matched), (3, 4, 3));
        assert_eq!(all.exact, Prf::new(1, 4, 1, 3));
        // partial: overlaps 6 + 1 + 3 = 10; pred tokens 6+4+3+0, gold tokens 6+2+5.
        assert_eq!(all.partial, Prf::new(10, 13, 10, 13));
        assert_eq!(all.overlap_count, Prf::new(3, 4, 3, 3));
        // c50: p0-g0 yes; p1-g1 1 >= 2 but 1 < 2 of 4 -> no; p2-g2 3 of 3 and 3 of 5 -> yes.
        assert_eq!(all.c50, Prf::new(2, 4, 2, 3));
        // sources: p0 ok, p1 no (gold has one), p2 ok; cues: p0 ok, p1 no, p2 no.
        assert_eq!(all.src_acc, 2.0 / 3.0);
        assert_eq!(all.cue_acc, 1.0 / 3.0);
        assert_eq!(all.attr, Prf::new(2, 4, 2, 3));
        // direct: gold g0, g2; all preds: p1 follows a closing mark, p3 ends with one.
        assert_eq!((r.direct.n_gold, r.direct.n_pred), (2, 4));
        assert_eq!(r.direct.attr, Prf::new(2, 4, 2, 2));
        // strict: g0 and g2 (its span runs from “We to proud.”), p0 and p2.
        assert_eq!((r.strict.n_gold, r.strict.n_pred), (2, 2));
        assert_eq!(r.strict.attr, Prf::new(2, 2, 2, 2));
        // The whole table, also checked against score.py on the same fixture.
        assert_eq!(
            r.table(),
            [
                TABLE_HEADER,
                "all         3     4 | 0.250/0.333/0.286 | 0.769/0.769/0.769  \
                 | 0.500/0.667/0.571 |      3  0.667   0.333  | 0.500/0.667/0.571",
                "direct      2     4 | 0.250/0.500/0.333 | 0.769/0.818/0.793  \
                 | 0.500/1.000/0.667 |      3  0.667   0.333  | 0.500/1.000/0.667",
                "strict      2     2 | 0.500/0.500/0.500 | 1.000/0.818/0.900  \
                 | 1.000/1.000/1.000 |      2  1.000   0.500  | 1.000/1.000/1.000",
            ]
            .join("\n")
        );

        // Unit piece: g2 explodes into two pieces (its gap holds words).
        let r = score(&split, &preds, Unit::Piece);
        let all = &r.all;
        assert_eq!((all.n_gold, all.n_pred, all.n_matched), (4, 4, 3));
        // p2 now matches the piece “We are ready,” exactly.
        assert_eq!(all.exact, Prf::new(2, 4, 2, 4));
        assert_eq!(all.c50, Prf::new(2, 4, 2, 4));
        assert_eq!(all.attr, Prf::new(2, 4, 2, 4));
        assert_eq!(
            r.table(),
            [
                TABLE_HEADER,
                "all         4     4 | 0.500/0.500/0.500 | 0.769/0.769/0.769  \
                 | 0.500/0.500/0.500 |      3  0.667   0.333  | 0.500/0.500/0.500",
                "direct      3     4 | 0.500/0.667/0.571 | 0.769/0.818/0.793  \
                 | 0.500/0.667/0.571 |      3  0.667   0.333  | 0.500/0.667/0.571",
                "strict      3     2 | 1.000/0.667/0.800 | 1.000/0.818/0.900  \
                 | 1.000/0.667/0.800 |      2  1.000   0.500  | 1.000/0.667/0.800",
            ]
            .join("\n")
        );
    }

    #[test]
    fn empty_inputs() {
        let split = Split {
            name: "x".into(),
            articles: vec![Article {
                name: "a".into(),
                text: "Nothing was said.".into(),
                ..Article::default()
            }],
        };
        let r = score(&split, &[], Unit::Piece);
        assert_eq!(r.all, SubsetScores::default());
        // An attr-unit prediction without content still counts as a prediction.
        let p = PredictionDoc {
            id: "a".into(),
            quotes: vec![Attribution::default()],
        };
        assert_eq!(
            score(&split, std::slice::from_ref(&p), Unit::Attr)
                .all
                .n_pred,
            1
        );
        assert_eq!(score(&split, &[p], Unit::Piece).all.n_pred, 0);
    }
}
