//! Judge: the learned model that scores every attribution the rules propose.
//!
//! Takes the analysis (tokens, sentences, quotations, entities) with its candidate
//! attributions; gives each candidate the probability that it is right, which becomes its
//! `confidence`, and drops the reported speech (indirect and mixed) under the model's
//! threshold; direct quotations are only scored.
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

use crate::analysis::{Analysis, AttributionKind};

/// Whether the judge keeps a candidate of `kind` scored `p`. Direct quotations are always
/// kept: quotation marks with a reporting frame are strong evidence of a quote even where
/// PolNeAR's annotators passed one over (a one-word answer, a headline), so the judge only
/// scores them; readers can filter on the confidence.
pub fn keeps(judge: &Judge, kind: AttributionKind, p: f32) -> bool {
    kind == AttributionKind::Direct || p >= judge.threshold()
}

/// Score the analysis's attributions with `judge`: set each one's confidence to the
/// model's probability and drop the reported speech (indirect and mixed) under its
/// threshold.
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
    let mut scores = scores.into_iter();
    analysis.attributions.retain_mut(|a| {
        let p = scores.next().unwrap_or(0.0);
        a.confidence = p;
        keeps(judge, a.kind, p)
    });
}
