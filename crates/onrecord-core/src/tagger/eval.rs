//! Scoring taggers against reference sentences.

use super::tags::{bio_from_classes, entity_spans, EntityClass, NerTag, Pos};
use super::train::Sentence;
use super::{NerTagger, PosTagger};
use std::collections::HashSet;

/// Token accuracy of the part-of-speech tagger.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Accuracy {
    pub right: usize,
    pub total: usize,
}

impl Accuracy {
    pub fn value(&self) -> f64 {
        self.right as f64 / self.total.max(1) as f64
    }
}

/// Entity-level precision, recall and F1 (exact span and class).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    pub found: usize,
    pub expected: usize,
    pub correct: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        self.correct as f64 / self.found.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.correct as f64 / self.expected.max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Count one sentence's predicted against expected tags.
    pub fn add(&mut self, predicted: &[NerTag], expected: &[NerTag]) {
        let p: HashSet<_> = entity_spans(predicted).into_iter().collect();
        let e: HashSet<_> = entity_spans(expected).into_iter().collect();
        self.found += p.len();
        self.expected += e.len();
        self.correct += p.intersection(&e).count();
    }
}

/// Tag every sentence and compare with its `pos`.
pub fn pos_accuracy(tagger: &PosTagger, sents: &[Sentence]) -> Accuracy {
    let mut acc = Accuracy::default();
    let mut out = Vec::new();
    for s in sents {
        tagger.tag(&s.word_refs(), &mut out);
        acc.total += s.pos.len();
        acc.right += out.iter().zip(&s.pos).filter(|(a, b)| a == b).count();
    }
    acc
}

/// Tag every sentence with `pos_tagger` then `ner_tagger`, and compare the entities with
/// its `ner`; also per class.
pub fn ner_scores(
    pos_tagger: &PosTagger,
    ner_tagger: &NerTagger,
    sents: &[Sentence],
) -> (Prf, [Prf; 4]) {
    let mut all = Prf::default();
    let mut per = [Prf::default(); 4];
    let (mut tags, mut out) = (Vec::<Pos>::new(), Vec::new());
    for s in sents {
        let words = s.word_refs();
        pos_tagger.tag(&words, &mut tags);
        ner_tagger.tag(&words, &tags, &mut out);
        let gold = bio_from_classes(&s.ner);
        all.add(&out, &gold);
        for c in EntityClass::ALL {
            let only = |t: &[NerTag]| -> Vec<NerTag> {
                t.iter()
                    .map(|&x| if x.class() == Some(c) { x } else { NerTag::O })
                    .collect()
            };
            per[c.index()].add(&only(&out), &only(&gold));
        }
    }
    (all, per)
}
