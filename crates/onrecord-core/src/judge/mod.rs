//! Judge: the learned model that scores every attribution the rules propose.
//!
//! Takes the analysis (tokens, sentences, quotations, entities) with its candidate
//! attributions; gives each candidate the probability that it is right, which becomes its
//! `confidence`, and drops the reported speech (indirect and mixed) under the model's
//! threshold and direct quotations under [`DIRECT_FLOOR`].
//!
//! The model is a logistic regression over hashed features of a candidate ([`features`]):
//! its kind, the cue word and its lexicon class, the shape of the source, the length and
//! edges of the content, where the frame stands, and which rule proposed it. It is trained
//! on PolNeAR train by `onrecord train judge` ([`train`]), which labels each candidate the
//! way the scorer would (content matched at 50% and the right source) and picks the
//! threshold on dev. docs/MODELS.md describes it.

mod features;
mod model;
pub mod train;

#[cfg(test)]
mod tests;

pub use features::{features, FEATURE_VERSION};
pub use model::Judge;

use crate::analysis::{Analysis, Attribution, AttributionKind};
use crate::span::Span;

/// The probability under which the judge drops a direct quotation. Quotation marks with a
/// reporting frame are strong evidence of a quote even where PolNeAR's annotators passed
/// one over (a one-word answer, a headline), so a framed quotation goes only when the
/// judge is all but sure it is wrong (a wrong speaker, a title, a scare quote); the
/// trained threshold, chosen on dev, would drop more (docs/MODELS.md, "The judge").
pub const DIRECT_FLOOR: f32 = 0.05;

/// Whether the judge keeps a candidate of `kind` scored `p`: reported speech (indirect and
/// mixed) at the model's threshold, direct quotations at [`DIRECT_FLOOR`].
pub fn keeps(judge: &Judge, kind: AttributionKind, p: f32) -> bool {
    if kind == AttributionKind::Direct {
        p >= DIRECT_FLOOR
    } else {
        p >= judge.threshold()
    }
}

/// Which candidates the judge keeps, given their probabilities: those [`keeps`] accepts
/// and every direct quotation inside `headline` ([`Analysis::headline`]), and of two readings
/// of one report (the same cue, overlapping content, as when the rules offer a content
/// with and without its trailing adjunct) only the likelier.
///
/// A headline's quotation stays at any score: headlines frame quotes with title-case
/// verbs and parentheses ("Mayor Defends Plan ('We Will Not Wait')") that the judge has
/// seen too few of to rule out, and it is the quote a reader sees first.
pub fn selection(
    judge: &Judge,
    attributions: &[Attribution],
    probabilities: &[f32],
    headline: Option<Span>,
) -> Vec<bool> {
    let mut keep: Vec<bool> = attributions
        .iter()
        .zip(probabilities)
        .map(|(a, &p)| {
            keeps(judge, a.kind, p)
                || (a.kind == AttributionKind::Direct
                    && headline.is_some_and(|h| h.contains(a.content)))
        })
        .collect();
    // candidates are sorted by content start, so readings of one report are neighbours
    for i in 0..attributions.len() {
        let Some(cue) = attributions[i].cue else {
            continue;
        };
        for j in i + 1..attributions.len().min(i + 8) {
            let (a, b) = (&attributions[i], &attributions[j]);
            let direct = a.kind == AttributionKind::Direct || b.kind == AttributionKind::Direct;
            if direct
                || !keep[i]
                || !keep[j]
                || b.cue != Some(cue)
                || !a.content.overlaps(b.content)
            {
                continue;
            }
            if probabilities[j] > probabilities[i] {
                keep[i] = false;
            } else {
                keep[j] = false;
            }
        }
    }
    keep
}

/// Score the analysis's attributions with `judge`: set each one's confidence to the
/// model's probability and drop those [`selection`] does not keep.
pub fn apply(judge: &Judge, analysis: &mut Analysis, text: &str) {
    let mut feats = Vec::new();
    let scores: Vec<f32> = analysis
        .attributions
        .iter()
        .map(|a| {
            feats.clear();
            features(analysis, text, a, &mut feats);
            judge.probability(&feats)
        })
        .collect();
    let keep = selection(judge, &analysis.attributions, &scores, analysis.headline);
    let mut verdicts = scores.into_iter().zip(keep);
    analysis.attributions.retain_mut(|a| {
        let (p, keep) = verdicts.next().unwrap_or((0.0, false));
        a.confidence = p;
        keep
    });
}
