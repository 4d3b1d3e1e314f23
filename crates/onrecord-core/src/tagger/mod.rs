//! Learned part-of-speech and named-entity taggers.
//!
//! Both take one sentence of tokens as written in the text, split Penn Treebank style
//! ("U.S.", "n't", "'s", "“", "$", "--", "Mr."), and tag it greedily from left to right
//! with averaged-perceptron weights over hashed features:
//! * [`PosTagger`] gives one Penn Treebank tag ([`Pos`]) per token;
//! * [`NerTagger`] takes the tokens and their tags and gives one BIO tag ([`NerTag`]) per
//!   token over PERSON, ORGANIZATION, LOCATION and MISC; [`entity_spans`] turns the tags
//!   into token ranges.
//!
//! ```
//! use onrecord_core::tagger::{entity_spans, EntityClass, NerTagger, Pos, PosTagger};
//!
//! let words = ["Sen.", "Elizabeth", "Warren", "said", "on", "Monday", "."];
//! let mut tags = Vec::new();
//! PosTagger::builtin().tag(&words, &mut tags);
//! assert_eq!(tags[..4], [Pos::NNP, Pos::NNP, Pos::NNP, Pos::VBD]);
//! let mut ner = Vec::new();
//! NerTagger::builtin().tag(&words, &tags, &mut ner);
//! assert_eq!(entity_spans(&ner), [(1..3, EntityClass::Person)]);
//! ```
//!
//! The trained models ship in `models/` and are compiled into the binary; `builtin()`
//! loads one on first use. [`train`] holds the (deterministic) training code, [`eval`] the
//! scoring. docs/MODELS.md describes the models, their scores and how to retrain them.

pub(crate) mod hash;
pub(crate) mod model;
mod ner;
mod pos;
mod tags;
mod window;

pub mod eval;
pub mod train;

#[cfg(test)]
mod tests;

pub use model::FORMAT_VERSION;
pub use ner::NerTagger;
pub use pos::PosTagger;
pub use tags::{bio_from_classes, entity_spans, EntityClass, NerTag, Pos};

/// Why a model file could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("model data is empty")]
    Empty,
    #[error("not an onrecord model file (bad magic number)")]
    BadMagic,
    #[error(
        "model format version {found} is not supported (this build reads version {supported})"
    )]
    UnsupportedVersion { found: u16, supported: u16 },
    #[error("this is a {found} model, not a {expected} model")]
    WrongKind {
        expected: &'static str,
        found: &'static str,
    },
    #[error("model data truncated: {expected} bytes expected, {actual} present")]
    Truncated { expected: usize, actual: usize },
    #[error(
        "model checksum mismatch: stored {stored:#010x}, computed {computed:#010x} (corrupt data)"
    )]
    Checksum { stored: u32, computed: u32 },
    #[error(
        "model uses feature set {found}, this build computes feature set {expected}: retrain it"
    )]
    FeatureMismatch { found: u16, expected: u16 },
    #[error("model predicts other labels than this build knows: retrain it")]
    LabelMismatch,
    #[error("malformed model: {0}")]
    Malformed(&'static str),
}
