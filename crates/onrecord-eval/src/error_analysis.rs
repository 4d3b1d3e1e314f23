//! Error analysis: takes a split and predictions, gives per article the gold
//! attributions that were missed (no c50 match) or wrongly attributed (c50 match, wrong
//! source), and the false-positive predictions (no c50 match), with their text and some
//! context. Pairing and rules are the scorer's, for the chosen unit.

use crate::corpus::Split;
use crate::matching::{ArticleEval, Text, Unit};
use crate::preds::{Attribution, CharSpan, PredictionDoc};
use crate::score::pool;
use std::fmt;

/// Characters of context shown on each side of an item.
const CONTEXT: usize = 80;
/// Longest context shown; longer ones lose their middle.
const MAX_CONTEXT: usize = 600;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A gold item with no c50 match (unpaired, or paired below 50%).
    Missed,
    /// A gold item with a c50 match whose source is wrong.
    WrongSource,
    /// A prediction with no c50 match.
    FalsePositive,
}

impl ErrorKind {
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Missed => "MISSED",
            ErrorKind::WrongSource => "WRONG SOURCE",
            ErrorKind::FalsePositive => "FALSE POSITIVE",
        }
    }
}

/// An item (gold or predicted) with the text of its roles; discontinuous pieces are
/// joined with ` … `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub spans: Attribution,
    pub content: String,
    pub source: String,
    pub cue: String,
}

/// One error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorItem {
    pub kind: ErrorKind,
    pub article: String,
    /// The gold item (the one paired with the prediction for a false positive, if any).
    pub gold: Option<Shown>,
    /// The prediction (the one paired with the gold item for a miss, if any).
    pub pred: Option<Shown>,
    /// Content tokens shared by `gold` and `pred`.
    pub overlap: usize,
    /// The text around the item in error, with its content in `[[ ]]`, source in `{{ }}`
    /// and cue in `<< >>`, paragraph breaks as `¶`.
    pub context: String,
}

/// The errors of one article, in text order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleErrors {
    pub name: String,
    /// Missed and wrongly attributed gold items.
    pub missed: Vec<ErrorItem>,
    pub false_positives: Vec<ErrorItem>,
}

/// The errors of `predictions` on `split`, article by article (articles without errors
/// included, with empty lists).
pub fn error_analysis(
    split: &Split,
    predictions: &[PredictionDoc],
    unit: Unit,
) -> Vec<ArticleErrors> {
    let (by_id, _) = pool(split, predictions);
    let mut out = Vec::with_capacity(split.articles.len());
    for article in &split.articles {
        let text = Text::new(&article.text);
        let pred = by_id.get(article.name.as_str()).map_or(&[][..], |v| v);
        let ev = ArticleEval::new(&text, &article.gold, pred.iter().copied(), unit);
        let shown = |a: &Attribution| Shown {
            spans: a.clone(),
            content: span_text(&text, &a.content),
            source: span_text(&text, &a.source),
            cue: span_text(&text, &a.cue),
        };
        let item = |kind, main: &Attribution, gold: Option<usize>, pred: Option<usize>| ErrorItem {
            kind,
            article: article.name.clone(),
            gold: gold.map(|j| shown(&ev.gold.items[j])),
            pred: pred.map(|i| shown(&ev.pred.items[i])),
            overlap: match (gold, pred) {
                (Some(j), Some(i)) => ev.overlap(i, j),
                _ => 0,
            },
            context: context(&text, main),
        };
        let mut errs = ArticleErrors {
            name: article.name.clone(),
            ..ArticleErrors::default()
        };
        for j in order(&ev.gold.items) {
            let g = &ev.gold.items[j];
            match ev.g2p[j] {
                Some(i) if ev.c50(i, j) && !ev.src_ok(i, j) => {
                    errs.missed
                        .push(item(ErrorKind::WrongSource, g, Some(j), Some(i)))
                }
                Some(i) if ev.c50(i, j) => {}
                paired => errs
                    .missed
                    .push(item(ErrorKind::Missed, g, Some(j), paired)),
            }
        }
        for i in order(&ev.pred.items) {
            let paired = ev.p2g[i];
            if !paired.is_some_and(|j| ev.c50(i, j)) {
                let p = &ev.pred.items[i];
                errs.false_positives
                    .push(item(ErrorKind::FalsePositive, p, paired, Some(i)));
            }
        }
        out.push(errs);
    }
    out
}

/// Item indices in text order of their content.
fn order(items: &[Attribution]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..items.len()).collect();
    idx.sort_by_key(|&i| (items[i].content.first().copied(), i));
    idx
}

fn span_text(text: &Text, spans: &[CharSpan]) -> String {
    spans
        .iter()
        .map(|&(s, e)| text.slice(s, e).iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" … ")
}

/// The text around an item, its roles marked.
fn context(text: &Text, a: &Attribution) -> String {
    let all = || a.content.iter().chain(&a.source).chain(&a.cue);
    let n = text.chars.len();
    let lo = all().map(|s| s.0).min().unwrap_or(0).min(n);
    let hi = all().map(|s| s.1).max().unwrap_or(0).clamp(lo, n);
    let w0 = lo.saturating_sub(CONTEXT);
    let w1 = (hi + CONTEXT).min(n);
    // (position, closers before openers, marker)
    let mut marks: Vec<(usize, u8, &str)> = Vec::new();
    for (spans, open, close) in [
        (&a.content, "[[", "]]"),
        (&a.source, "{{", "}}"),
        (&a.cue, "<<", ">>"),
    ] {
        for &(s, e) in spans.iter().filter(|(s, e)| s < e) {
            marks.push((s.min(n), 1, open));
            marks.push((e.min(n), 0, close));
        }
    }
    marks.sort();
    let mut out = String::new();
    let mut m = marks.iter().peekable();
    let mut newline = false;
    for pos in w0..=w1 {
        while let Some(&&(p, _, mark)) = m.peek() {
            if p != pos {
                break;
            }
            out.push_str(mark);
            m.next();
        }
        let Some(&c) = text.chars.get(pos).filter(|_| pos < w1) else {
            break;
        };
        if c == '\n' {
            if !newline {
                out.push_str(" ¶ ");
            }
            newline = true;
        } else {
            out.push(c);
            newline = false;
        }
    }
    let out = out.trim();
    let chars: Vec<char> = out.chars().collect();
    let mut shown = String::new();
    if w0 > 0 {
        shown.push('…');
    }
    if chars.len() > MAX_CONTEXT {
        shown.extend(&chars[..MAX_CONTEXT / 2]);
        shown.push_str(" … ");
        shown.extend(&chars[chars.len() - MAX_CONTEXT / 2..]);
    } else {
        shown.push_str(out);
    }
    if w1 < n {
        shown.push('…');
    }
    shown
}

impl fmt::Display for ErrorItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let main = match self.kind {
            ErrorKind::FalsePositive => self.pred.as_ref(),
            _ => self.gold.as_ref(),
        };
        let at = main
            .and_then(|m| m.spans.content.first())
            .map_or(String::new(), |(s, e)| format!(" @{s}-{e}"));
        writeln!(f, "{} {}{}", self.kind.label(), self.article, at)?;
        let role = |s: &str| {
            if s.is_empty() {
                "-".to_string()
            } else {
                format!("{s:?}")
            }
        };
        for (name, item) in [("gold", &self.gold), ("pred", &self.pred)] {
            if let Some(x) = item {
                writeln!(
                    f,
                    "  {name}: {}\n        source {} | cue {}",
                    role(&x.content),
                    role(&x.source),
                    role(&x.cue)
                )?;
            }
        }
        if self.gold.is_some() && self.pred.is_some() {
            writeln!(f, "  shared content tokens: {}", self.overlap)?;
        }
        write!(f, "  context: {}", self.context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Article;

    #[test]
    fn lists_misses_wrong_sources_and_false_positives() {
        //          0         1         2         3         4         5         6
        //          0123456789012345678901234567890123456789012345678901234567890123
        let text = "Ann said the plan works.\n\nBob said taxes will rise. Nobody cared.";
        let gold = vec![
            Attribution {
                content: vec![(9, 23)],
                source: vec![(0, 3)],
                cue: vec![(4, 8)],
            },
            Attribution {
                content: vec![(35, 50)],
                source: vec![(26, 29)],
                cue: vec![(30, 34)],
            },
        ];
        let split = Split {
            name: "t".into(),
            articles: vec![Article {
                name: "a".into(),
                text: text.into(),
                gold,
                ..Article::default()
            }],
        };
        let preds = vec![PredictionDoc {
            id: "a".into(),
            quotes: vec![
                // right content, wrong source
                Attribution {
                    content: vec![(9, 23)],
                    source: vec![(26, 29)],
                    cue: vec![],
                },
                // a false positive
                Attribution {
                    content: vec![(52, 65)],
                    source: vec![],
                    cue: vec![],
                },
            ],
        }];
        let errs = error_analysis(&split, &preds, Unit::Piece);
        assert_eq!(errs.len(), 1);
        let e = &errs[0];
        let kinds: Vec<_> = e.missed.iter().map(|x| x.kind).collect();
        assert_eq!(kinds, [ErrorKind::WrongSource, ErrorKind::Missed]);
        assert_eq!(e.missed[0].pred.as_ref().unwrap().source, "Bob");
        assert_eq!(e.missed[0].gold.as_ref().unwrap().content, "the plan works");
        assert_eq!(
            e.missed[0].context,
            "{{Ann}} <<said>> [[the plan works]]. ¶ Bob said taxes will rise. Nobody cared."
        );
        assert_eq!(e.missed[1].gold.as_ref().unwrap().source, "Bob");
        assert!(e.missed[1].pred.is_none());
        assert_eq!(e.false_positives.len(), 1);
        assert_eq!(
            e.false_positives[0].pred.as_ref().unwrap().content,
            "Nobody cared."
        );
        let shown = e.missed[0].to_string();
        assert!(
            shown.starts_with("WRONG SOURCE a @9-23\n  gold: \"the plan works\""),
            "{shown}"
        );
    }
}
