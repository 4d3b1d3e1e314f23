//! `onrecord train judge`: fit the attribution judge on PolNeAR train and pick its
//! threshold on dev.
//!
//! Every candidate the rules propose on a train article becomes an example, labelled as
//! the scorer would count it in the piece unit (content matched at 50% and the right
//! source). The threshold (which applies to reported speech; direct quotes have their
//! own fixed floor, `judge::DIRECT_FLOOR`) is the one that maximizes the sum of the ATTR
//! F1 of the three subsets (all, direct, strict) on dev, averaged over neighbouring
//! thresholds.

use crate::eval_cmd::document;
use anyhow::{Context, Result};
use onrecord_core::analysis::Attribution;
use onrecord_core::judge::train::{self, Config, Example};
use onrecord_core::judge::{self, Judge};
use onrecord_core::{Analysis, Extraction, Span};
use onrecord_eval::{from_extraction, prediction_labels, score, PredictionDoc, Split, Unit};
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;

/// The rules' candidates on one article, with what the judge sees and what the scorer says.
struct Candidates {
    /// All candidates, as predictions.
    preds: PredictionDoc,
    features: Vec<Vec<u32>>,
    candidates: Vec<Attribution>,
    labels: Vec<bool>,
    /// The headline (`judge::selection` keeps its direct quotes).
    headline: Option<Span>,
}

fn candidates(split: &Split) -> Vec<Candidates> {
    split
        .articles
        .par_iter()
        .map(|a| {
            let doc = document(a);
            let an = Analysis::run_with(&doc, None);
            let preds = from_extraction(&Extraction::from_analysis(&doc, &an));
            let labels = prediction_labels(&a.text, &a.gold, &preds.quotes);
            let features = an
                .attributions
                .iter()
                .map(|x| {
                    let mut f = Vec::new();
                    judge::features(&an, &doc.text, x, &mut f);
                    f
                })
                .collect();
            Candidates {
                headline: an.headline,
                candidates: an.attributions.clone(),
                preds,
                features,
                labels,
            }
        })
        .collect()
}

/// How many threshold steps (of 0.01) on each side the threshold's score is averaged over.
const SMOOTHING: usize = 3;

impl Candidates {
    /// The candidates `keep` marks, as predictions.
    fn only(&self, keep: &[bool]) -> PredictionDoc {
        PredictionDoc {
            id: self.preds.id.clone(),
            quotes: self
                .preds
                .quotes
                .iter()
                .zip(keep)
                .filter(|(_, &k)| k)
                .map(|(q, _)| q.clone())
                .collect(),
        }
    }
}

/// The predictions the judge keeps at `threshold`.
fn kept(judge: &Judge, cands: &[Candidates], threshold: f32) -> Vec<PredictionDoc> {
    let judge = judge.clone().with_threshold(threshold);
    cands
        .iter()
        .map(|c| {
            let p: Vec<f32> = c.features.iter().map(|f| judge.probability(f)).collect();
            c.only(&judge::selection(&judge, &c.candidates, &p, c.headline))
        })
        .collect()
}

fn f1s(split: &Split, preds: &[PredictionDoc]) -> [f64; 3] {
    let r = score(split, preds, Unit::Piece);
    [r.all.attr.f, r.direct.attr.f, r.strict.attr.f]
}

/// Train, pick the threshold, write `out/judge.bin` and print the dev scores.
pub fn run(data: &Path, out: &Path, epochs: Option<usize>, seed: Option<u64>) -> Result<()> {
    let t0 = Instant::now();
    let load = |name: &str| {
        Split::load(data, name).with_context(|| format!("loading PolNeAR from {}", data.display()))
    };
    let (train_split, dev_split) = (load("train")?, load("dev")?);
    let train_c = candidates(&train_split);
    let dev_c = candidates(&dev_split);
    let examples: Vec<Example> = train_c
        .iter()
        .flat_map(|c| {
            c.features.iter().zip(&c.labels).map(|(f, &label)| Example {
                features: f.clone(),
                label,
            })
        })
        .collect();
    let positives = examples.iter().filter(|e| e.label).count();
    eprintln!(
        "judge: {} train candidates ({} right, {:.1}%) from {} articles in {:.1}s",
        examples.len(),
        positives,
        100.0 * positives as f64 / examples.len().max(1) as f64,
        train_split.articles.len(),
        t0.elapsed().as_secs_f64()
    );
    let mut cfg = Config::default();
    cfg.epochs = epochs.unwrap_or(cfg.epochs);
    cfg.seed = seed.unwrap_or(cfg.seed);
    let t = Instant::now();
    let fitted = train::train(&examples, &cfg);
    eprintln!(
        "judge: fitted {} weights in {:.1}s",
        fitted.len(),
        t.elapsed().as_secs_f64()
    );

    let every: Vec<PredictionDoc> = dev_c.iter().map(|c| c.preds.clone()).collect();
    let rules = f1s(&dev_split, &every);
    // what a perfect judge would reach: exactly the candidates the scorer counts right
    let right: Vec<PredictionDoc> = dev_c.iter().map(|c| c.only(&c.labels)).collect();
    let ceiling = f1s(&dev_split, &right);
    let sweep: Vec<(f32, [f64; 3])> = (0..=70)
        .map(|step| {
            let threshold = step as f32 / 100.0;
            let f = f1s(&dev_split, &kept(&fitted, &dev_c, threshold));
            (threshold, f)
        })
        .collect();
    // the sum of the three F1s, averaged over neighbouring thresholds: dev is small and
    // the curve is flat near its top, so a lone peak is more likely noise than a better
    // judge
    let smoothed = |i: usize| {
        let window = &sweep[i.saturating_sub(SMOOTHING)..(i + SMOOTHING + 1).min(sweep.len())];
        window
            .iter()
            .map(|(_, f)| f.iter().sum::<f64>())
            .sum::<f64>()
            / window.len() as f64
    };
    let mut best = (f64::NEG_INFINITY, 0.0f32, rules);
    for (i, &(threshold, f)) in sweep.iter().enumerate() {
        let score = smoothed(i);
        if score > best.0 + 1e-9 {
            best = (score, threshold, f);
        }
    }
    let (_, threshold, f) = best;
    let judge = fitted.with_threshold(threshold);
    let bytes = judge.to_bytes();
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let path = out.join("judge.bin");
    std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
    println!(
        "judge: {} ({} KB, {} weights, threshold {:.2}); dev ATTR F1 all/direct/strict \
         {:.4}/{:.4}/{:.4} (rules alone {:.4}/{:.4}/{:.4}; ceiling, every right candidate \
         and nothing else, {:.4}/{:.4}/{:.4})",
        path.display(),
        bytes.len().div_ceil(1024),
        judge.len(),
        threshold,
        f[0],
        f[1],
        f[2],
        rules[0],
        rules[1],
        rules[2],
        ceiling[0],
        ceiling[1],
        ceiling[2]
    );
    Ok(())
}
