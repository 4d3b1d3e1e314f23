//! The judge's weights and their file format.
//!
//! ```text
//! magic "ONRJUDGE" (8 bytes) | format version u16 | feature-set version u16
//! | threshold f32 | bias f32 | weight count u32
//! | weights, by increasing key: key u32 | weight f32
//! | CRC-32 (IEEE) of everything before it, u32
//! ```
//! All integers and floats are little-endian.

use super::features::FEATURE_VERSION;
use crate::tagger::hash::KeyMap;
use crate::tagger::model::{check_length, check_prelude, crc32};
use crate::tagger::ModelError;
use std::sync::OnceLock;

const MAGIC: &[u8; 8] = b"ONRJUDGE";
/// Version of the container layout above.
pub const FORMAT_VERSION: u16 = 1;
const HEADER_LEN: usize = 8 + 2 + 2 + 4 + 4 + 4;

/// A trained judge: a weight per feature key, a bias and the keep threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct Judge {
    weights: KeyMap<u32, f32>,
    bias: f32,
    threshold: f32,
}

static BUILTIN: OnceLock<Result<Judge, ModelError>> = OnceLock::new();
static MODEL: &[u8] = include_bytes!("../../../../models/judge.bin");

impl Judge {
    /// A judge from weights (any order; zero weights are dropped).
    pub fn new(weights: impl IntoIterator<Item = (u32, f32)>, bias: f32, threshold: f32) -> Judge {
        Judge {
            weights: weights.into_iter().filter(|&(_, w)| w != 0.0).collect(),
            bias,
            threshold,
        }
    }

    /// The model shipped in `models/judge.bin`, loaded on first use.
    ///
    /// # Panics
    /// Only if the model compiled into this binary is unusable, which the test suite
    /// rules out; use [`Judge::try_builtin`] to get the error instead.
    pub fn builtin() -> &'static Judge {
        match Self::try_builtin() {
            Ok(j) => j,
            Err(e) => panic!("the built-in judge model is unusable: {e}"),
        }
    }

    /// The shipped model, or why it cannot be loaded.
    pub fn try_builtin() -> Result<&'static Judge, ModelError> {
        BUILTIN
            .get_or_init(|| Judge::from_bytes(MODEL))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The probability that a candidate with these features is right.
    pub fn probability(&self, features: &[u32]) -> f32 {
        let z = self.bias
            + features
                .iter()
                .map(|k| self.weights.get(k).copied().unwrap_or(0.0))
                .sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }

    /// Candidates scored under this are dropped.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The same weights with another threshold.
    pub fn with_threshold(mut self, threshold: f32) -> Judge {
        self.threshold = threshold;
        self
    }

    /// How many features carry a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The model file's bytes (the same model always gives the same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut weights: Vec<(u32, f32)> = self.weights.iter().map(|(&k, &w)| (k, w)).collect();
        weights.sort_unstable_by_key(|&(k, _)| k);
        let mut out = Vec::with_capacity(HEADER_LEN + 8 * weights.len() + 4);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&self.threshold.to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        out.extend_from_slice(&(weights.len() as u32).to_le_bytes());
        for (k, w) in weights {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&w.to_le_bytes());
        }
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Load a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Judge, ModelError> {
        check_prelude(bytes, MAGIC, HEADER_LEN)?;
        let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
        let u32_at =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let version = u16_at(8);
        if version != FORMAT_VERSION {
            return Err(ModelError::UnsupportedVersion {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        let count = u32_at(20) as usize;
        let total = count
            .checked_mul(8)
            .and_then(|w| w.checked_add(HEADER_LEN + 4))
            .ok_or(ModelError::Malformed("weight count out of range"))?;
        check_length(bytes, total)?;
        let stored = u32_at(total - 4);
        let computed = crc32(&bytes[..total - 4]);
        if stored != computed {
            return Err(ModelError::Checksum { stored, computed });
        }
        let features = u16_at(10);
        if features != FEATURE_VERSION {
            return Err(ModelError::FeatureMismatch {
                found: features,
                expected: FEATURE_VERSION,
            });
        }
        let threshold = f32::from_bits(u32_at(12));
        let bias = f32::from_bits(u32_at(16));
        if !threshold.is_finite() || !bias.is_finite() {
            return Err(ModelError::Malformed("threshold or bias is not a number"));
        }
        let mut weights = KeyMap::default();
        let mut prev = None;
        for i in 0..count {
            let at = HEADER_LEN + 8 * i;
            let k = u32_at(at);
            let w = f32::from_bits(u32_at(at + 4));
            if prev.is_some_and(|p| p >= k) {
                return Err(ModelError::Malformed(
                    "feature keys not strictly increasing",
                ));
            }
            if !w.is_finite() {
                return Err(ModelError::Malformed("a weight is not a number"));
            }
            prev = Some(k);
            weights.insert(k, w);
        }
        Ok(Judge {
            weights,
            bias,
            threshold,
        })
    }
}
