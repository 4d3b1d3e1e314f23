//! The named-entity tagger: greedy left-to-right BILOU labelling with averaged-perceptron
//! weights, over PERSON, ORGANIZATION, LOCATION and MISC.
//!
//! Takes one sentence of tokens as written with their part-of-speech tags and gives one
//! BIO tag per token (internally it predicts BILOU, which a greedy tagger learns better,
//! and only ever continues an entity it has begun). The score of a label at token i sums
//! the weights of
//! * word features of the window i-2..=i+2: at i the word, its lowercase, prefixes of 1-3
//!   and suffixes of 1-4 characters, shape and orthographic flags; elsewhere the lowercase
//!   and the shape; past the sentence ends, padding;
//! * the tags at i-1, i, i+1 and the tag bigrams around i; the lowercase word bigrams
//!   around i; the shape of a sentence-initial word;
//! * the two previous labels, alone and together, and the previous label with the word,
//!   its shape and its tag.
//!
//! As in the part-of-speech tagger, the loader sums frequent words' features into dense
//! blocks and expands the tag and label features into dense tables.

use super::hash::{flags, hash_lower, hash_str, key, prefix_hashes, shape_hash, suffix_hashes};
use super::model::{self, add_i32, Blocks, Kind, ModelData, Table};
use super::tags::{EntityClass, NerTag, Pos};
use super::window::Window;
use super::ModelError;
use std::ops::Range;
use std::sync::OnceLock;

/// Version of the feature templates below; a model trained with others is refused.
pub(crate) const FEATURES: u16 = 1;

/// Labels: O, then B, I, L, U for each class.
pub(crate) const NL: usize = 17;
pub(crate) const START: usize = NL;
const NLP: usize = 24;
/// Part-of-speech index used past the sentence ends.
const NP: usize = Pos::COUNT;

pub(crate) const LABELS: [&str; NL] = [
    "O", "B-PER", "I-PER", "L-PER", "U-PER", "B-ORG", "I-ORG", "L-ORG", "U-ORG", "B-LOC", "I-LOC",
    "L-LOC", "U-LOC", "B-MISC", "I-MISC", "L-MISC", "U-MISC",
];

const B: usize = 0;
const I: usize = 1;
const L: usize = 2;
const U: usize = 3;

#[inline]
fn label(class: EntityClass, part: usize) -> usize {
    1 + 4 * class.index() + part
}

/// (class, part) of a label other than O.
#[inline]
fn parts(l: usize) -> Option<(EntityClass, usize)> {
    if l == 0 || l >= NL {
        return None;
    }
    Some((EntityClass::ALL[(l - 1) / 4], (l - 1) % 4))
}

/// Whether label `cur` may follow label `prev` (START before the first token).
#[inline]
pub(crate) fn allowed(prev: usize, cur: usize) -> bool {
    match (parts(prev), parts(cur)) {
        // inside an entity: only its continuation or end
        (Some((pc, B | I)), c) => matches!(c, Some((cc, I | L)) if cc == pc),
        // outside: anything that does not continue an entity
        (_, None) => true,
        (_, Some((_, p))) => p == B || p == U,
    }
}

/// BILOU labels from per-token classes; a run of one class is one entity.
pub(crate) fn bilou(classes: &[Option<EntityClass>]) -> Vec<u8> {
    let n = classes.len();
    (0..n)
        .map(|i| match classes[i] {
            None => 0,
            Some(c) => {
                let cont_left = i > 0 && classes[i - 1] == Some(c);
                let cont_right = i + 1 < n && classes[i + 1] == Some(c);
                let part = match (cont_left, cont_right) {
                    (false, false) => U,
                    (false, true) => B,
                    (true, true) => I,
                    (true, false) => L,
                };
                label(c, part) as u8
            }
        })
        .collect()
}

#[inline]
pub(crate) fn to_bio(l: usize) -> NerTag {
    match parts(l) {
        None => NerTag::O,
        Some((c, B | U)) => NerTag::B(c),
        Some((c, _)) => NerTag::I(c),
    }
}

// feature templates
const T_BIAS: u32 = 0;
pub(crate) const T_WORD: u32 = 1;
const T_LOWER: u32 = 2;
const T_PRE: u32 = 3; // ..=5
const T_SUF: u32 = 6; // ..=9
const T_SHAPE: u32 = 10;
const T_FLAGS: u32 = 11;
const T_CTX_LOWER: u32 = 12; // + slot
const T_CTX_SHAPE: u32 = 17; // + slot
const T_PAD: u32 = 22; // + slot
const T_L1: u32 = 30;
const T_L2: u32 = 31;
const T_L12: u32 = 32;
const T_L1_WORD: u32 = 33;
const T_L1_SHAPE: u32 = 34;
const T_L1_POS: u32 = 35;
const T_INIT_SHAPE: u32 = 36;
const T_P0: u32 = 50;
const T_PM1: u32 = 51;
const T_PP1: u32 = 52;
const T_PM1P0: u32 = 53;
const T_P0PP1: u32 = 54;
const T_BI_L: u32 = 60;
const T_BI_R: u32 = 61;
const T_SHAPE3: u32 = 62;
const T_LM1_SH0: u32 = 63;
const T_SH0_LP1: u32 = 64;
const T_PRIOR: u32 = 70; // + slot

/// Word features of `w` seen at window slot `slot` (0..5 = offsets -2..=2).
#[inline]
pub(crate) fn slot_features(slot: usize, w: &str, mut emit: impl FnMut(u32)) {
    let s = slot as u32;
    if slot == 2 {
        emit(key(T_WORD, hash_str(w)));
        emit(key(T_LOWER, hash_lower(w)));
        for (k, h) in prefix_hashes::<3>(w).into_iter().enumerate() {
            emit(key(T_PRE + k as u32, h));
        }
        for (k, h) in suffix_hashes::<4>(w).into_iter().enumerate() {
            emit(key(T_SUF + k as u32, h));
        }
        emit(key(T_SHAPE, shape_hash(w)));
        emit(key(T_FLAGS, flags(w)));
    } else {
        emit(key(T_CTX_LOWER + s, hash_lower(w)));
        emit(key(T_CTX_SHAPE + s, shape_hash(w)));
    }
}

/// How often a word carried each label in training data: a gazetteer learned from data.
pub(crate) type Prior = [u32; NL];

/// Features of a word's label distribution, seen at window slot `slot`: for each label it
/// carried at least a tenth of the time, that label and a bucket of its share. Only for
/// words seen at least `min` times; at run time such words' features come from their
/// blocks, so the loader needs no word list.
pub(crate) fn prior_features(slot: usize, counts: &Prior, min: u32, mut emit: impl FnMut(u32)) {
    let total: u32 = counts.iter().sum();
    if total < min.max(1) {
        return;
    }
    for (l, &c) in counts.iter().enumerate() {
        let bucket = if c * 10 >= total * 9 {
            0
        } else if c * 2 >= total {
            1
        } else if c * 4 >= total {
            2
        } else if c * 10 >= total {
            3
        } else {
            continue;
        };
        emit(key(T_PRIOR + slot as u32, (l * 4 + bucket) as u64));
    }
}

#[inline]
pub(crate) fn pad_key(slot: usize) -> u32 {
    key(T_PAD + slot as u32, 0)
}

fn dyn_slot_features(slot: usize, w: &str, emit: &mut dyn FnMut(u32)) {
    slot_features(slot, w, emit)
}

#[inline]
fn pair(a: usize, b: usize) -> u64 {
    (a * 64 + b) as u64
}

#[inline]
fn mix(a: u64, b: u64) -> u64 {
    a.rotate_left(29) ^ b.wrapping_mul(0xa076_1d64_78bd_642f)
}

/// Part-of-speech features; the dense tables split them into (i-1, i) and (i, i+1) parts.
fn pos_left_features(pm1: usize, p0: usize, mut emit: impl FnMut(u32)) {
    emit(key(T_P0, p0 as u64));
    emit(key(T_PM1, pm1 as u64));
    emit(key(T_PM1P0, pair(pm1, p0)));
}
fn pos_right_features(p0: usize, pp1: usize, mut emit: impl FnMut(u32)) {
    emit(key(T_PP1, pp1 as u64));
    emit(key(T_P0PP1, pair(p0, pp1)));
}

/// The lowercase and shape hashes of tokens i-1, i, i+1 (0 past the ends).
#[derive(Clone, Copy, Default)]
struct Local {
    lower: [u64; 3],
    shape: [u64; 3],
}

impl Local {
    fn at(words: &[&str], i: usize) -> Local {
        let mut l = Local::default();
        for d in 0..3 {
            l.set(
                d,
                (i + d).checked_sub(1).and_then(|j| words.get(j)).copied(),
            );
        }
        l
    }
    #[inline]
    fn set(&mut self, d: usize, word: Option<&str>) {
        (self.lower[d], self.shape[d]) = word.map_or((0, 0), |w| (hash_lower(w), shape_hash(w)));
    }
    /// Move on one token; `next` is the word at i+2.
    #[inline]
    fn advance(&mut self, next: Option<&str>) {
        self.lower.copy_within(1..3, 0);
        self.shape.copy_within(1..3, 0);
        self.set(2, next);
    }
}

/// Token-level features that are neither in blocks nor in dense tables.
#[inline]
fn token_features(l: &Local, first: bool, mut emit: impl FnMut(u32)) {
    emit(key(T_BI_L, mix(l.lower[0], l.lower[1])));
    emit(key(T_BI_R, mix(l.lower[1], l.lower[2])));
    emit(key(T_SHAPE3, mix(mix(l.shape[0], l.shape[1]), l.shape[2])));
    emit(key(T_LM1_SH0, mix(l.lower[0], l.shape[1])));
    emit(key(T_SH0_LP1, mix(l.shape[1], l.lower[2])));
    if first {
        emit(key(T_INIT_SHAPE, l.shape[1]));
    }
}

fn history_features(l2: usize, l1: usize, mut emit: impl FnMut(u32)) {
    emit(key(T_BIAS, 0));
    emit(key(T_L1, l1 as u64));
    emit(key(T_L2, l2 as u64));
    emit(key(T_L12, pair(l2, l1)));
}

#[inline]
fn label_pos_key(l1: usize, p0: usize) -> u32 {
    key(T_L1_POS, pair(l1, p0))
}

#[inline]
fn conj_keys(l1: usize, word_hash: u64, shape: u64) -> [u32; 2] {
    let l = (l1 as u64 + 1).wrapping_mul(0xe703_7ed1_a0b4_28db);
    [key(T_L1_WORD, word_hash ^ l), key(T_L1_SHAPE, shape ^ l)]
}

#[inline]
fn pos_at(pos: &[Pos], j: Option<usize>) -> usize {
    j.and_then(|j| pos.get(j)).map_or(NP, |p| p.index())
}

/// What training needs to know about a sentence's tokens.
pub(crate) struct TrainFeatures {
    /// Per token: the static feature keys.
    pub(crate) static_keys: Vec<Vec<u32>>,
    /// Per token: (word hash, shape hash, tag index) for the label-dependent features.
    pub(crate) token_info: Vec<(u64, u64, usize)>,
}

/// Static features of every token, as the tagger computes them (unfolded).
pub(crate) fn train_features(words: &[&str], pos: &[Pos]) -> TrainFeatures {
    let n = words.len();
    let mut static_keys = Vec::with_capacity(n);
    let mut token_info = Vec::with_capacity(n);
    for i in 0..n {
        let mut ks = Vec::with_capacity(40);
        for s in 0..5 {
            match (i + s).checked_sub(2).filter(|&j| j < n) {
                None => ks.push(pad_key(s)),
                Some(j) => slot_features(s, words[j], |k| ks.push(k)),
            }
        }
        let (pm1, p0, pp1) = (
            pos_at(pos, i.checked_sub(1)),
            pos_at(pos, Some(i)),
            pos_at(pos, Some(i + 1)),
        );
        pos_left_features(pm1, p0, |k| ks.push(k));
        pos_right_features(p0, pp1, |k| ks.push(k));
        let local = Local::at(words, i);
        token_features(&local, i == 0, |k| ks.push(k));
        let shape = local.shape[1];
        static_keys.push(ks);
        token_info.push((hash_str(words[i]), shape, p0));
    }
    TrainFeatures {
        static_keys,
        token_info,
    }
}

/// Label-dependent features of a token, as the tagger computes them.
pub(crate) fn dynamic_features(info: (u64, u64, usize), l2: usize, l1: usize, out: &mut Vec<u32>) {
    history_features(l2, l1, |k| out.push(k));
    out.push(label_pos_key(l1, info.2));
    out.extend(conj_keys(l1, info.0, info.1));
}

/// Emits the features of a pair of small indices (tags, labels).
type PairFeatures = dyn Fn(usize, usize, &mut dyn FnMut(u32));

/// The named-entity tagger.
pub struct NerTagger {
    table: Table,
    blocks: Blocks<NLP>,
    /// Indexed by `l2 * (NL + 1) + l1`.
    history: Vec<[i32; NLP]>,
    /// Indexed by `l1 * (NP + 1) + p0`.
    label_pos: Vec<[i32; NLP]>,
    /// Indexed by `pm1 * (NP + 1) + p0`.
    pos_left: Vec<[i32; NLP]>,
    /// Indexed by `p0 * (NP + 1) + pp1`.
    pos_right: Vec<[i32; NLP]>,
}

static BUILTIN: OnceLock<Result<NerTagger, ModelError>> = OnceLock::new();
static MODEL: &[u8] = include_bytes!("../../../../models/ner.bin");

impl NerTagger {
    /// The model shipped in `models/ner.bin`, loaded on first use.
    ///
    /// # Panics
    /// Only if the model compiled into this binary is unusable, which the test suite
    /// rules out; use [`NerTagger::try_builtin`] to get the error instead.
    pub fn builtin() -> &'static NerTagger {
        match Self::try_builtin() {
            Ok(t) => t,
            Err(e) => panic!("the built-in named-entity model is unusable: {e}"),
        }
    }

    /// The shipped model, or why it cannot be loaded.
    pub fn try_builtin() -> Result<&'static NerTagger, ModelError> {
        BUILTIN
            .get_or_init(|| NerTagger::from_bytes(MODEL))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Load a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<NerTagger, ModelError> {
        let data = model::decode(Kind::Ner, bytes)?;
        model::check_labels(&data, FEATURES, LABELS.iter().copied())?;
        Ok(NerTagger::from_data(&data))
    }

    pub(crate) fn from_data(data: &ModelData) -> NerTagger {
        let table = Table::new(data);
        let blocks = Blocks::new(data, &table, std::array::from_fn(pad_key));
        let dense = |rows: usize, cols: usize, f: &PairFeatures| {
            let mut out = vec![[0i32; NLP]; rows * cols];
            for a in 0..rows {
                for b in 0..cols {
                    let row = &mut out[a * cols + b];
                    f(a, b, &mut |k| {
                        table.add(k, row);
                    });
                }
            }
            out
        };
        let history = dense(NL + 1, NL + 1, &|a, b, e| history_features(a, b, e));
        let label_pos = dense(NL + 1, NP + 1, &|a, b, e| e(label_pos_key(a, b)));
        let pos_left = dense(NP + 1, NP + 1, &|a, b, e| pos_left_features(a, b, e));
        let pos_right = dense(NP + 1, NP + 1, &|a, b, e| pos_right_features(a, b, e));
        NerTagger {
            table,
            blocks,
            history,
            label_pos,
            pos_left,
            pos_right,
        }
    }

    /// Tag one sentence: `out` gets one BIO tag per word (it is cleared first). `pos` holds
    /// the words' part-of-speech tags; missing ones count as unknown.
    pub fn tag(&self, words: &[&str], pos: &[Pos], out: &mut Vec<NerTag>) {
        out.clear();
        let n = words.len();
        out.reserve(n);
        let mut win = Window::new(words, &self.blocks, &self.table, dyn_slot_features);
        let mut local = Local::at(words, 0);
        let (mut l2, mut l1) = (START, START);
        for i in 0..n {
            let (pm1, p0, pp1) = (
                pos_at(pos, i.checked_sub(1)),
                pos_at(pos, Some(i)),
                pos_at(pos, Some(i + 1)),
            );
            let mut acc = self.pos_left[pm1 * (NP + 1) + p0];
            add_i32(&mut acc, &self.pos_right[p0 * (NP + 1) + pp1]);
            win.add_to(&mut acc);
            token_features(&local, i == 0, |k| {
                self.table.add(k, &mut acc);
            });
            let shape = local.shape[1];
            add_i32(&mut acc, &self.history[l2 * (NL + 1) + l1]);
            add_i32(&mut acc, &self.label_pos[l1 * (NP + 1) + p0]);
            for k in conj_keys(l1, win.hashes[2], shape) {
                self.table.add(k, &mut acc);
            }
            let best = best_allowed(&acc, l1);
            out.push(to_bio(best));
            l2 = l1;
            l1 = best;
            win.advance(i);
            local.advance(words.get(i + 2).copied());
        }
    }

    /// The entities of one sentence: token ranges with their classes.
    pub fn entities(&self, words: &[&str], pos: &[Pos]) -> Vec<(Range<usize>, EntityClass)> {
        let mut tags = Vec::new();
        self.tag(words, pos, &mut tags);
        super::tags::entity_spans(&tags)
    }

    /// Approximate heap memory of the loaded model, in bytes.
    pub fn memory(&self) -> usize {
        self.table.memory()
            + self.blocks.memory()
            + (self.history.len()
                + self.label_pos.len()
                + self.pos_left.len()
                + self.pos_right.len())
                * NLP
                * 4
    }
}

impl std::fmt::Debug for NerTagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NerTagger")
            .field("memory", &self.memory())
            .finish_non_exhaustive()
    }
}

/// The best label that may follow `prev`.
#[inline]
pub(crate) fn best_allowed<T: PartialOrd + Copy>(scores: &[T], prev: usize) -> usize {
    // which labels may follow each label, as bit masks
    static MASKS: OnceLock<[u32; NL + 1]> = OnceLock::new();
    let masks = MASKS.get_or_init(|| {
        std::array::from_fn(|p| (0..NL).filter(|&l| allowed(p, l)).map(|l| 1 << l).sum())
    });
    let mask = masks.get(prev).copied().unwrap_or(1);
    let mut best = 0;
    let mut bv: Option<T> = None;
    for (l, &x) in scores.iter().take(NL).enumerate() {
        if mask & (1 << l) != 0 && bv.is_none_or(|b| x > b) {
            bv = Some(x);
            best = l;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilou_round_trips_to_bio_spans() {
        use EntityClass::*;
        let classes = [
            None,
            Some(Person),
            Some(Person),
            None,
            Some(Location),
            Some(Organization),
            Some(Organization),
            Some(Organization),
        ];
        let labels = bilou(&classes);
        let names: Vec<&str> = labels.iter().map(|&l| LABELS[l as usize]).collect();
        assert_eq!(
            names,
            ["O", "B-PER", "L-PER", "O", "U-LOC", "B-ORG", "I-ORG", "L-ORG"]
        );
        let mut prev = START;
        for &l in &labels {
            assert!(allowed(prev, l as usize));
            prev = l as usize;
        }
        let bio: Vec<NerTag> = labels.iter().map(|&l| to_bio(l as usize)).collect();
        assert_eq!(bio, super::super::tags::bio_from_classes(&classes));
    }

    #[test]
    fn transitions() {
        let b_per = label(EntityClass::Person, B);
        let l_per = label(EntityClass::Person, L);
        let i_org = label(EntityClass::Organization, I);
        assert!(allowed(START, b_per));
        assert!(!allowed(START, l_per));
        assert!(allowed(b_per, l_per));
        assert!(!allowed(b_per, i_org));
        assert!(!allowed(b_per, 0));
        assert!(allowed(l_per, 0));
    }
}
