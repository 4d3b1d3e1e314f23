//! onrecord-eval: PolNeAR reader and attribution scorer, a faithful port of
//! `shared/eval/score.py` (same numbers, same table, same JSON).
//!
//! * [`brat`]: the .ann reader; [`Split::load`]: a split's texts, gold and dates.
//! * [`preds`]: score.py's predictions JSON Lines, and [`from_extraction`] for onrecord's
//!   own output.
//! * [`score()`]: the metrics as a [`Report`]; [`error_analysis`]: what went wrong where.
//!
//! All offsets are Unicode code points into the article text, end exclusive.

pub mod brat;
pub mod corpus;
pub mod error;
pub mod error_analysis;
mod matching;
pub mod preds;
mod pyjson;
pub mod score;
pub mod word;
mod word_table;

pub use corpus::{Article, Split};
pub use error::EvalError;
pub use error_analysis::{error_analysis, ArticleErrors, ErrorItem, ErrorKind, Shown};
pub use matching::{prediction_labels, Unit};
pub use preds::{
    from_extraction, read_predictions, read_predictions_file, write_predictions,
    write_predictions_file, Attribution, CharSpan, PredictionDoc,
};
pub use score::{score, Prf, Report, Subset, SubsetScores};
