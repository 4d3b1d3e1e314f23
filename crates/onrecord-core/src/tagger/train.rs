//! Training: averaged perceptrons over in-memory sentences, and compilation to model bytes.
//!
//! Deterministic: sentences are visited in an order shuffled by a seeded SplitMix64, the
//! weights are integers until averaged, and rows are written sorted by key, so the same
//! sentences and config give byte-identical model files.

use super::hash::{hash_str, KeyMap};
use super::model::{self, Kind, ModelData};
use super::tags::{EntityClass, Pos};
use super::window::vocab_key;
use super::{ner, pos};
use std::collections::BTreeMap;

/// One training sentence: tokens as written with their tags.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sentence {
    pub words: Vec<String>,
    pub pos: Vec<Pos>,
    /// Entity class of each token (a run of one class is one entity), None outside.
    pub ner: Vec<Option<EntityClass>>,
}

impl Sentence {
    pub fn word_refs(&self) -> Vec<&str> {
        self.words.iter().map(String::as_str).collect()
    }
}

/// Training settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub epochs: usize,
    pub seed: u64,
    /// Averaged weights smaller than this in magnitude are dropped.
    pub prune: f32,
    /// Words seen at least this often are listed in the model, so that the loader sums
    /// their features into one block (faster tagging, larger file).
    pub min_fold_count: usize,
}

impl Config {
    pub fn pos() -> Config {
        Config {
            epochs: 8,
            seed: 0x5eed_0001,
            // halves the file for 0.02 points of dev accuracy; 2.0 costs 0.3
            prune: 1.0,
            min_fold_count: 3,
        }
    }
    pub fn ner() -> Config {
        Config {
            epochs: 10,
            seed: 0x5eed_0002,
            // 0.6 the size for 0.1 points of dev F1
            prune: 2.0,
            min_fold_count: 3,
        }
    }
}

/// Progress of one training epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochReport {
    pub epoch: usize,
    pub epochs: usize,
    /// Share of training tokens tagged right during the epoch (before averaging).
    pub train_accuracy: f64,
}

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            xs.swap(i, j);
        }
    }
}

/// Averaged perceptron with lazily updated per-row totals.
struct Perceptron {
    nl: usize,
    index: KeyMap<u32, u32>,
    weights: Vec<i32>,
    totals: Vec<i64>,
    stamps: Vec<u64>,
    now: u64,
}

impl Perceptron {
    fn new(nl: usize) -> Perceptron {
        Perceptron {
            nl,
            index: KeyMap::default(),
            weights: Vec::new(),
            totals: Vec::new(),
            stamps: Vec::new(),
            now: 0,
        }
    }

    fn score(&self, keys: &[u32], acc: &mut [i64]) {
        acc.fill(0);
        for k in keys {
            if let Some(&r) = self.index.get(k) {
                let row = &self.weights[r as usize * self.nl..][..self.nl];
                for (a, &w) in acc.iter_mut().zip(row) {
                    *a += w as i64;
                }
            }
        }
    }

    fn settle(&mut self, r: usize) {
        let dt = (self.now - self.stamps[r]) as i64;
        if dt > 0 {
            let nl = self.nl;
            let (w, t) = (
                &self.weights[r * nl..][..nl],
                &mut self.totals[r * nl..][..nl],
            );
            for (t, &w) in t.iter_mut().zip(w) {
                *t += w as i64 * dt;
            }
        }
        self.stamps[r] = self.now;
    }

    fn update(&mut self, keys: &[u32], truth: usize, guess: usize) {
        for &k in keys {
            let next = self.stamps.len() as u32;
            let r = *self.index.entry(k).or_insert(next) as usize;
            if r == self.stamps.len() {
                self.weights.resize(self.weights.len() + self.nl, 0);
                self.totals.resize(self.totals.len() + self.nl, 0);
                self.stamps.push(self.now);
            }
            self.settle(r);
            self.weights[r * self.nl + truth] += 1;
            self.weights[r * self.nl + guess] -= 1;
        }
    }

    /// Averaged weights by key, sorted.
    fn averaged(mut self) -> Vec<(u32, Vec<f32>)> {
        let mut keys: Vec<(u32, u32)> = self.index.iter().map(|(&k, &r)| (k, r)).collect();
        keys.sort_unstable();
        let now = self.now.max(1) as f64;
        let mut out = Vec::with_capacity(keys.len());
        for (k, r) in keys {
            self.settle(r as usize);
            let row = self.totals[r as usize * self.nl..][..self.nl]
                .iter()
                .map(|&t| (t as f64 / now) as f32)
                .collect();
            out.push((k, row));
        }
        out
    }
}

/// A corpus in feature form: static keys per token, gold labels, sentence bounds.
struct Corpus {
    sent_bounds: Vec<(usize, usize)>,
    key_bounds: Vec<(usize, usize)>,
    keys: Vec<u32>,
    gold: Vec<u8>,
}

impl Corpus {
    fn new() -> Corpus {
        Corpus {
            sent_bounds: Vec::new(),
            key_bounds: Vec::new(),
            keys: Vec::new(),
            gold: Vec::new(),
        }
    }
}

/// Appends the label-dependent keys of (token, label before last, last label).
type DynamicFeatures<'a> = dyn Fn(usize, usize, usize, &mut Vec<u32>) + 'a;
/// Emits the features of a word at a window slot.
type WordFeatures<'a> = dyn Fn(usize, &str, &mut dyn FnMut(u32)) + 'a;

/// Greedy left-to-right perceptron training with the model's own previous predictions as
/// history, as at run time.
fn train_greedy(
    corpus: &Corpus,
    nl: usize,
    start: usize,
    cfg: &Config,
    dynamic: &DynamicFeatures<'_>,
    allowed: &dyn Fn(usize, &[i64]) -> usize,
    report: &mut dyn FnMut(&EpochReport),
) -> Vec<(u32, Vec<f32>)> {
    let mut p = Perceptron::new(nl);
    let mut rng = SplitMix64(cfg.seed);
    let mut order: Vec<usize> = (0..corpus.sent_bounds.len()).collect();
    let mut keys = Vec::with_capacity(64);
    let mut acc = vec![0i64; nl];
    for epoch in 0..cfg.epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &s in &order {
            let (a, b) = corpus.sent_bounds[s];
            let (mut t2, mut t1) = (start, start);
            for tok in a..b {
                let (ka, kb) = corpus.key_bounds[tok];
                keys.clear();
                keys.extend_from_slice(&corpus.keys[ka..kb]);
                dynamic(tok, t2, t1, &mut keys);
                p.score(&keys, &mut acc);
                let guess = allowed(t1, &acc);
                let truth = corpus.gold[tok] as usize;
                if guess == truth {
                    right += 1;
                } else {
                    p.update(&keys, truth, guess);
                }
                total += 1;
                p.now += 1;
                t2 = t1;
                t1 = guess;
            }
        }
        report(&EpochReport {
            epoch: epoch + 1,
            epochs: cfg.epochs,
            train_accuracy: right as f64 / total.max(1) as f64,
        });
    }
    p.averaged()
}

/// What the compiler needs to know about a tagger.
struct Spec<'a> {
    slot_features: fn(usize, &str, &mut dyn FnMut(u32)),
    /// Features only known words have (listed in their blocks, never computed at run time).
    known_word_features: Box<WordFeatures<'a>>,
    labels: Vec<String>,
    feature_version: u16,
}

/// Prune and quantize averaged weights, and list each frequent word's rows, into model data.
fn compile(rows: Vec<(u32, Vec<f32>)>, vocab: &[&str], spec: Spec, prune: f32) -> ModelData {
    let mut rows: Vec<(u32, Vec<f32>)> = rows
        .into_iter()
        .map(|(k, mut row)| {
            for w in row.iter_mut().filter(|w| w.abs() < prune) {
                *w = 0.0;
            }
            (k, row)
        })
        .filter(|(_, row)| row.iter().any(|&w| w != 0.0))
        .collect();
    rows.sort_unstable_by_key(|r| r.0);
    let index: KeyMap<u32, usize> = rows.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
    let word_keys = |w: &str, slot: usize| {
        let mut ks = Vec::new();
        (spec.slot_features)(slot, w, &mut |k| ks.push(k));
        (spec.known_word_features)(slot, w, &mut |k| ks.push(k));
        ks
    };
    // the loader sums a known word's rows into 16-bit blocks: size the scale to fit them
    let nl = spec.labels.len();
    let mut max = rows
        .iter()
        .flat_map(|r| r.1.iter())
        .fold(0f32, |m, &w| m.max(w.abs()));
    for w in vocab {
        for slot in 0..5 {
            let mut sum = vec![0f32; nl];
            for k in word_keys(w, slot) {
                if let Some(&r) = index.get(&k) {
                    for (a, b) in sum.iter_mut().zip(&rows[r].1) {
                        *a += b;
                    }
                }
            }
            max = sum.iter().fold(max, |m, &w| m.max(w.abs()));
        }
    }
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    let quantized: Vec<(u32, Vec<(u8, i16)>)> = rows
        .iter()
        .filter_map(|(k, row)| {
            let entries: Vec<(u8, i16)> = row
                .iter()
                .enumerate()
                .map(|(t, w)| (t as u8, (w / scale).round() as i16))
                .filter(|e| e.1 != 0)
                .collect();
            (!entries.is_empty()).then_some((*k, entries))
        })
        .collect();
    let index: KeyMap<u32, u32> = quantized
        .iter()
        .enumerate()
        .map(|(i, r)| (r.0, i as u32))
        .collect();
    let mut words: Vec<(u32, [Vec<u32>; 5])> = vocab
        .iter()
        .map(|w| {
            let slots = std::array::from_fn(|slot| {
                let mut ids: Vec<u32> = word_keys(w, slot)
                    .iter()
                    .filter_map(|k| index.get(k).copied())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            });
            (vocab_key(hash_str(w)), slots)
        })
        .collect();
    words.sort_by_key(|w| w.0);
    words.dedup_by_key(|w| w.0);
    ModelData {
        feature_version: spec.feature_version,
        labels: spec.labels,
        scale,
        rows: quantized,
        words,
    }
}

/// Words seen at least `min` times, sorted.
fn frequent_words(sents: &[Sentence], min: usize) -> Vec<&str> {
    let mut counts: BTreeMap<&str, usize> = Default::default();
    for s in sents {
        for w in &s.words {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|&(_, c)| c >= min.max(1))
        .map(|(w, _)| w)
        .collect()
}

/// Train the part-of-speech model; returns the model file's bytes.
pub fn train_pos(
    sents: &[Sentence],
    cfg: &Config,
    report: &mut dyn FnMut(&EpochReport),
) -> Vec<u8> {
    let mut corpus = Corpus::new();
    let mut word_hashes = Vec::new();
    for s in sents {
        let n = s.words.len().min(s.pos.len());
        let start = corpus.gold.len();
        for i in 0..n {
            let ka = corpus.keys.len();
            for slot in 0..5 {
                match (i + slot).checked_sub(2).filter(|&j| j < n) {
                    None => corpus.keys.push(pos::pad_key(slot)),
                    Some(j) => pos::slot_features(slot, &s.words[j], |k| corpus.keys.push(k)),
                }
            }
            corpus.key_bounds.push((ka, corpus.keys.len()));
            corpus.gold.push(s.pos[i] as u8);
            word_hashes.push(hash_str(&s.words[i]));
        }
        corpus.sent_bounds.push((start, corpus.gold.len()));
    }
    let dynamic = |tok: usize, t2: usize, t1: usize, out: &mut Vec<u32>| {
        pos::history_features(t2, t1, |k| out.push(k));
        out.push(pos::conj_key(t1, word_hashes[tok]));
    };
    let best = |_prev: usize, scores: &[i64]| {
        let mut best = 0;
        for (i, &x) in scores.iter().enumerate() {
            if x > scores[best] {
                best = i;
            }
        }
        best
    };
    let rows = train_greedy(&corpus, pos::NT, pos::START, cfg, &dynamic, &best, report);
    let vocab = frequent_words(sents, cfg.min_fold_count);
    let spec = Spec {
        slot_features: |s, w, e| pos::slot_features(s, w, e),
        known_word_features: Box::new(|_, _, _| {}),
        labels: Pos::ALL.iter().map(|p| p.as_str().to_string()).collect(),
        feature_version: pos::FEATURES,
    };
    let data = compile(rows, &vocab, spec, cfg.prune);
    model::encode(Kind::Pos, &data)
}

/// Train the named-entity model on the sentences' words, part-of-speech tags (use the
/// tags the tagger will see at run time) and entity classes; returns the model file's bytes.
pub fn train_ner(
    sents: &[Sentence],
    cfg: &Config,
    report: &mut dyn FnMut(&EpochReport),
) -> Vec<u8> {
    // label counts per word, overall and per part of the corpus: a sentence sees the counts
    // of the other parts only, so that the feature is as unreliable as on new text
    const PARTS: usize = 10;
    let min = cfg.min_fold_count as u32;
    let part_of = |si: usize| si * PARTS / sents.len().max(1);
    let mut total: KeyMap<&str, ner::Prior> = KeyMap::default();
    let mut parts: Vec<KeyMap<&str, ner::Prior>> = vec![KeyMap::default(); PARTS];
    let labels: Vec<Vec<u8>> = sents.iter().map(|s| ner::bilou(&s.ner)).collect();
    for (si, (s, ls)) in sents.iter().zip(&labels).enumerate() {
        for (w, &l) in s.words.iter().zip(ls) {
            total.entry(w).or_insert([0; ner::NL])[l as usize] += 1;
            parts[part_of(si)].entry(w).or_insert([0; ner::NL])[l as usize] += 1;
        }
    }
    let mut corpus = Corpus::new();
    let mut infos = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        let words = s.word_refs();
        let n = words.len().min(s.ner.len());
        let words = &words[..n];
        let mut feats = ner::train_features(words, &s.pos);
        let part = &parts[part_of(si)];
        for (i, ks) in feats.static_keys.iter_mut().enumerate() {
            for slot in 0..5 {
                let Some(w) = (i + slot).checked_sub(2).and_then(|j| words.get(j)) else {
                    continue;
                };
                let mut counts = total.get(w).copied().unwrap_or([0; ner::NL]);
                if let Some(own) = part.get(w) {
                    for (c, o) in counts.iter_mut().zip(own) {
                        *c -= o;
                    }
                }
                ner::prior_features(slot, &counts, min, |k| ks.push(k));
            }
        }
        let start = corpus.gold.len();
        for (ks, info) in feats.static_keys.iter().zip(feats.token_info) {
            let ka = corpus.keys.len();
            corpus.keys.extend_from_slice(ks);
            corpus.key_bounds.push((ka, corpus.keys.len()));
            infos.push(info);
        }
        corpus.gold.extend_from_slice(&labels[si][..n]);
        corpus.sent_bounds.push((start, corpus.gold.len()));
    }
    let dynamic = |tok: usize, l2: usize, l1: usize, out: &mut Vec<u32>| {
        ner::dynamic_features(infos[tok], l2, l1, out);
    };
    let best = |prev: usize, scores: &[i64]| ner::best_allowed(scores, prev);
    let rows = train_greedy(&corpus, ner::NL, ner::START, cfg, &dynamic, &best, report);
    let vocab = frequent_words(sents, cfg.min_fold_count);
    let spec = Spec {
        slot_features: |s, w, e| ner::slot_features(s, w, e),
        known_word_features: Box::new(|slot, w, e| {
            if let Some(counts) = total.get(w) {
                ner::prior_features(slot, counts, min, e);
            }
        }),
        labels: ner::LABELS.iter().map(|l| l.to_string()).collect(),
        feature_version: ner::FEATURES,
    };
    let data = compile(rows, &vocab, spec, cfg.prune);
    model::encode(Kind::Ner, &data)
}

/// Part-of-speech tags for every sentence from models that did not see it: the sentences
/// are split into `folds` interleaved parts, and each part is tagged by a model trained on
/// the others. Gives the named-entity trainer tags as noisy as at run time.
pub fn jackknife_pos(
    sents: &[Sentence],
    folds: usize,
    cfg: &Config,
    report: &mut dyn FnMut(usize, &EpochReport),
) -> Vec<Vec<Pos>> {
    let folds = folds.max(2);
    let mut out = vec![Vec::new(); sents.len()];
    for f in 0..folds {
        let train: Vec<Sentence> = sents
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != f)
            .map(|(_, s)| s.clone())
            .collect();
        let bytes = train_pos(&train, cfg, &mut |r| report(f, r));
        let Ok(tagger) = pos::PosTagger::from_bytes(&bytes) else {
            continue;
        };
        for (i, s) in sents.iter().enumerate().filter(|(i, _)| i % folds == f) {
            tagger.tag(&s.word_refs(), &mut out[i]);
        }
    }
    out
}
