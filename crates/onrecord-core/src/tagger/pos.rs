//! The part-of-speech tagger: greedy left-to-right, averaged-perceptron weights.
//!
//! Takes one sentence of tokens as written and gives one Penn tag per token. The score of
//! a tag at token i sums the weights of
//! * word features of the window i-2..=i+2: at i the word, its lowercase, prefixes of 1-3
//!   and suffixes of 1-4 characters, shape and orthographic flags; at i±1 the lowercase
//!   and 3-character suffix; at i±2 the lowercase; past the sentence ends, padding;
//! * the two previous predicted tags, alone and together, and the previous tag with the word.
//!
//! For speed the loader sums each frequent training word's features per window position
//! into a dense block, and expands the tag-history weights into a dense table, so that a
//! known word costs two hash probes (its block and the previous-tag-and-word feature) and
//! seven vector adds of 16-bit weights.

use super::hash::{flags, hash_lower, hash_str, key, prefix_hashes, shape_hash, suffix_hashes};
use super::model::{self, Blocks, Kind, ModelData, Table};
use super::tags::Pos;
use super::window::Window;
use super::ModelError;
use std::sync::OnceLock;

/// Version of the feature templates below; a model trained with others is refused.
pub(crate) const FEATURES: u16 = 1;

pub(crate) const NT: usize = Pos::COUNT;
/// The "before the sentence" tag in the history.
pub(crate) const START: usize = NT;
/// Row width at run time, padded for vector adds.
const NTP: usize = 48;

// feature templates
const T_BIAS: u32 = 0;
pub(crate) const T_WORD: u32 = 1;
const T_LOWER: u32 = 2;
const T_PRE: u32 = 3; // ..=5
const T_SUF: u32 = 6; // ..=9
const T_SHAPE: u32 = 10;
const T_FLAGS: u32 = 11;
const T_CTX_LOWER: u32 = 12; // + slot
const T_CTX_SUF3: u32 = 17; // + slot
const T_PAD: u32 = 22; // + slot
const T_T1: u32 = 30;
const T_T2: u32 = 31;
const T_T12: u32 = 32;
const T_T1_WORD: u32 = 33;

/// Word features of `w` seen at window slot `slot` (0..5 = offsets -2..=2).
#[inline]
pub(crate) fn slot_features(slot: usize, w: &str, mut emit: impl FnMut(u32)) {
    let s = slot as u32;
    match slot {
        2 => {
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
        }
        1 | 3 => {
            emit(key(T_CTX_LOWER + s, hash_lower(w)));
            emit(key(T_CTX_SUF3 + s, suffix_hashes::<3>(w)[2]));
        }
        _ => emit(key(T_CTX_LOWER + s, hash_lower(w))),
    }
}

#[inline]
pub(crate) fn pad_key(slot: usize) -> u32 {
    key(T_PAD + slot as u32, 0)
}

fn dyn_slot_features(slot: usize, w: &str, emit: &mut dyn FnMut(u32)) {
    slot_features(slot, w, emit)
}

/// Features of the tag history that the dense table holds.
pub(crate) fn history_features(t2: usize, t1: usize, mut emit: impl FnMut(u32)) {
    emit(key(T_BIAS, 0));
    emit(key(T_T1, t1 as u64));
    emit(key(T_T2, t2 as u64));
    emit(key(T_T12, (t2 * 64 + t1) as u64));
}

#[inline]
pub(crate) fn conj_key(t1: usize, word_hash: u64) -> u32 {
    key(
        T_T1_WORD,
        word_hash ^ (t1 as u64 + 1).wrapping_mul(0xa076_1d64_78bd_642f),
    )
}

/// The part-of-speech tagger.
pub struct PosTagger {
    table: Table,
    blocks: Blocks<NTP>,
    /// Dense history rows, indexed by `t2 * (NT + 1) + t1`.
    history: Vec<[i32; NTP]>,
}

static BUILTIN: OnceLock<Result<PosTagger, ModelError>> = OnceLock::new();
static MODEL: &[u8] = include_bytes!("../../../../models/pos.bin");

impl PosTagger {
    /// The model shipped in `models/pos.bin`, loaded on first use.
    ///
    /// # Panics
    /// Only if the model compiled into this binary is unusable, which the test suite
    /// rules out; use [`PosTagger::try_builtin`] to get the error instead.
    pub fn builtin() -> &'static PosTagger {
        match Self::try_builtin() {
            Ok(t) => t,
            Err(e) => panic!("the built-in part-of-speech model is unusable: {e}"),
        }
    }

    /// The shipped model, or why it cannot be loaded.
    pub fn try_builtin() -> Result<&'static PosTagger, ModelError> {
        BUILTIN
            .get_or_init(|| PosTagger::from_bytes(MODEL))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Load a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<PosTagger, ModelError> {
        let data = model::decode(Kind::Pos, bytes)?;
        model::check_labels(&data, FEATURES, Pos::ALL.iter().map(|p| p.as_str()))?;
        Ok(PosTagger::from_data(&data))
    }

    pub(crate) fn from_data(data: &ModelData) -> PosTagger {
        let table = Table::new(data);
        let blocks = Blocks::new(data, &table, std::array::from_fn(pad_key));
        let mut history = vec![[0i32; NTP]; (NT + 1) * (NT + 1)];
        for t2 in 0..=NT {
            for t1 in 0..=NT {
                let row = &mut history[t2 * (NT + 1) + t1];
                history_features(t2, t1, |k| {
                    table.add(k, row);
                });
            }
        }
        PosTagger {
            table,
            blocks,
            history,
        }
    }

    /// Tag one sentence: `out` gets one tag per word (it is cleared first).
    pub fn tag(&self, words: &[&str], out: &mut Vec<Pos>) {
        out.clear();
        out.reserve(words.len());
        let mut win = Window::new(words, &self.blocks, &self.table, dyn_slot_features);
        let (mut t2, mut t1) = (START, START);
        for i in 0..words.len() {
            let mut acc = self.history[t2 * (NT + 1) + t1];
            win.add_to(&mut acc);
            self.table.add(conj_key(t1, win.hashes[2]), &mut acc);
            let best = argmax(&acc[..NT]);
            out.push(Pos::ALL[best]);
            t2 = t1;
            t1 = best;
            win.advance(i);
        }
    }

    /// Tag one sentence into a new vector.
    pub fn tag_vec(&self, words: &[&str]) -> Vec<Pos> {
        let mut out = Vec::new();
        self.tag(words, &mut out);
        out
    }

    /// Approximate heap memory of the loaded model, in bytes.
    pub fn memory(&self) -> usize {
        self.table.memory() + self.blocks.memory() + self.history.len() * NTP * 4
    }
}

impl std::fmt::Debug for PosTagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PosTagger")
            .field("memory", &self.memory())
            .finish_non_exhaustive()
    }
}

/// Index of the first maximum.
#[inline]
pub(crate) fn argmax(xs: &[i32]) -> usize {
    let mut best = 0;
    for (i, &x) in xs.iter().enumerate() {
        if x > xs[best] {
            best = i;
        }
    }
    best
}
