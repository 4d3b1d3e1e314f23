//! onrecord-core: the extraction pipeline.
//!
//! One article in, its attributed statements out. The pipeline reads a [`Document`]
//! (text plus metadata) and builds an [`Analysis`]: every stage reads it and extends it,
//! and refers to text only by byte offsets. The last step turns the analysis into an
//! [`Extraction`], the public `onrecord/1` contract, whose offsets are Unicode code points.
//!
//! ```text
//! Document -> segment (paragraphs, sentences, tokens) -> tag -> quotes -> cues
//!          -> attribution -> resolve (entities) -> judge -> dates -> Extraction
//! ```
//!
//! The library never prints, never exits and never reads a file it was not handed.

pub mod analysis;
pub mod attribution;
pub mod dates;
pub mod document;
pub mod extraction;
pub mod input;
pub mod judge;
pub mod lexicon;
pub mod quotes;
pub mod resolve;
pub mod segment;
pub mod span;
pub mod tag;
pub mod tagger;

pub use analysis::Analysis;
pub use document::{Date, Document};
pub use extraction::{Extraction, SCHEMA};
pub use span::Span;

/// Run the whole pipeline over one document.
pub fn extract(doc: &Document) -> Extraction {
    let analysis = Analysis::run(doc);
    Extraction::from_analysis(doc, &analysis)
}
