//! The document model every stage extends.
//!
//! [`Analysis`] holds, for one text, the layers the stages add in order: paragraphs,
//! sentences and tokens (segment), quotations (quotes), cues, attributions, entities and
//! dates. Layers refer to the text by byte [`Span`]s and to each other by index.

use crate::dates::{self, DateMention};
use crate::document::Document;
use crate::judge::{self, Judge};
use crate::quotes::{self, Quotation};
use crate::span::Span;
use crate::{attribution, resolve, segment, tag};
use std::ops::Range;

/// One token: a word, a number or a punctuation mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    /// Word class, set by the tagging stage.
    pub class: Class,
    /// The Penn Treebank tag, when the learned tagger ran.
    pub pos: Option<crate::tagger::Pos>,
}

impl Token {
    pub const fn new(span: Span) -> Self {
        Token {
            span,
            class: Class::Other,
            pos: None,
        }
    }
}

/// The coarse word classes the attribution rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    Noun,
    Proper,
    Pronoun,
    PossPronoun,
    /// The possessive `'s`.
    Possessive,
    Det,
    Adj,
    Num,
    /// A finite verb or a past participle.
    Verb,
    /// A present participle or gerund.
    Participle,
    Aux,
    Modal,
    Neg,
    Adverb,
    Prep,
    Conj,
    /// Subordinators and the complementizer "that".
    Subord,
    Wh,
    To,
    Comma,
    Quote,
    Dash,
    Punct,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Indices into [`Analysis::tokens`].
    pub tokens: Range<usize>,
    /// Index into [`Analysis::paragraphs`].
    pub paragraph: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttributionKind {
    /// The content is a quotation.
    Direct,
    /// Reported speech that contains a quoted fragment.
    Mixed,
    /// Reported speech or an attributed claim, without quotation marks.
    Indirect,
}

/// A statement with its evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    pub kind: AttributionKind,
    pub content: Span,
    pub cue: Option<Span>,
    pub source: Option<Span>,
    /// The tokens of the source mention.
    pub source_tokens: Option<Range<usize>>,
    /// Index into [`Analysis::entities`].
    pub speaker: Option<usize>,
    pub confidence: f32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityType {
    Person,
    Organization,
    Location,
    Other,
}

/// Mentions of one referent clustered together, with its fullest proper name.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub name: String,
    pub kind: EntityType,
    pub mentions: Vec<Span>,
}

/// All layers of one document.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Where extraction runs: from the title (or the start of the body) to the end.
    pub region: Span,
    pub paragraphs: Vec<Span>,
    /// The headline ([`headline`]), when the document has one.
    pub headline: Option<Span>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub quotations: Vec<Quotation>,
    pub attributions: Vec<Attribution>,
    pub entities: Vec<Entity>,
    pub dates: Vec<DateMention>,
}

impl Analysis {
    /// Run every stage over the document, with the built-in judge.
    pub fn run(doc: &Document) -> Analysis {
        Analysis::run_with(doc, Some(Judge::builtin()))
    }

    /// Run every stage, scoring the attributions with `judge`; `None` keeps every
    /// candidate the rules propose, with the rules' own confidence (what the judge is
    /// trained on).
    pub fn run_with(doc: &Document, judge: Option<&Judge>) -> Analysis {
        let text = doc.text.as_str();
        let start = doc
            .title_span
            .map(|s| s.start)
            .unwrap_or(doc.body_start)
            .min(text.len());
        let start = floor_char_boundary(text, start);
        let region = Span::new(start, text.len());
        let mut analysis = Analysis {
            region,
            ..Default::default()
        };
        analysis.paragraphs = paragraphs(text, region);
        let (mut tokens, sentences) = segment::segment(text, &analysis.paragraphs);
        tag::tag(text, &mut tokens, &sentences);
        analysis.headline = headline(doc, &analysis.paragraphs, &sentences);
        analysis.tokens = tokens;
        analysis.sentences = sentences;
        analysis.quotations = quotes::find(text, &analysis.paragraphs);
        let mut attributions = attribution::attribute(&attribution::Input {
            text,
            tokens: &analysis.tokens,
            sentences: &analysis.sentences,
            quotations: &analysis.quotations,
            headline: analysis.headline,
        });
        analysis.entities = resolve::resolve(
            &resolve::Input {
                text,
                tokens: &analysis.tokens,
                sentences: &analysis.sentences,
                quotations: &analysis.quotations,
            },
            &mut attributions,
        );
        analysis.attributions = attributions;
        if let Some(judge) = judge {
            judge::apply(judge, &mut analysis, text);
        }
        analysis.dates = dates::find(text, region, doc.date);
        analysis
    }
}

/// Paragraphs: runs of text separated by blank lines; a text without blank lines is
/// split at every line break instead.
/// The headline: the document's title where it stands in the text, else a first paragraph
/// of one sentence that other paragraphs follow (the title line of a plain-text article).
pub fn headline(doc: &Document, paragraphs: &[Span], sentences: &[Sentence]) -> Option<Span> {
    if let Some(title) = doc.title_span.filter(|t| t.end <= doc.text.len()) {
        return Some(title);
    }
    let first = *paragraphs.first()?;
    let one_sentence = sentences.iter().filter(|s| s.paragraph == 0).count() == 1;
    (paragraphs.len() > 1 && one_sentence).then_some(first)
}

pub fn paragraphs(text: &str, region: Span) -> Vec<Span> {
    let body = region.slice(text);
    let has_blank_line = body.contains("\n\n") || body.contains("\n\r\n");
    let mut out = Vec::new();
    let mut start = region.start;
    let bytes = text.as_bytes();
    let mut i = region.start;
    // the end of the last non-whitespace character before `i`, kept up to date as the scan
    // moves on: looking back from every line break would be quadratic in a run of them
    let mut scanned = region.start;
    let mut last_text: Option<char> = text
        .get(..region.start)
        .and_then(|before| before.trim_end().chars().next_back());
    while i < region.end {
        if bytes[i] == b'\n' {
            if let Some(seen) = text.get(scanned..i) {
                if let Some(c) = seen.chars().rev().find(|c| !c.is_whitespace()) {
                    last_text = Some(c);
                }
                scanned = i;
            }
            let mut j = i + 1;
            let mut blank = false;
            // a blank line: only spaces, tabs or \r until the next \n
            let mut k = j;
            while k < region.end && matches!(bytes[k], b' ' | b'\t' | b'\r') {
                k += 1;
            }
            if k < region.end && bytes[k] == b'\n' {
                blank = true;
                j = k + 1;
            }
            // In text with blank lines, a single line break after the end of a sentence
            // still ends a paragraph; one in mid-sentence is a wrapped line.
            let after_sentence = matches!(last_text, Some('.' | '?' | '!' | '"' | '”' | '’' | ':'));
            if blank || !has_blank_line || after_sentence {
                push_trimmed(text, &mut out, Span::new(start, i));
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    push_trimmed(text, &mut out, Span::new(start, region.end));
    out
}

fn push_trimmed(text: &str, out: &mut Vec<Span>, span: Span) {
    let t = span.trim(text);
    if !t.is_empty() {
        out.push(t);
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<&str> {
        paragraphs(text, Span::new(0, text.len()))
            .iter()
            .map(|s| s.slice(text))
            .collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(
            paras("Title\n\nOne line\nwrapped.\n \nTwo.\n"),
            ["Title", "One line\nwrapped.", "Two."]
        );
    }

    #[test]
    fn a_line_after_a_sentence_end_is_a_paragraph_whatever_whitespace_follows_it() {
        assert_eq!(
            paras("Title\n\nIt ended. \t\nNext one\nwrapped.\n\t\n\t\nLast."),
            ["Title", "It ended.", "Next one\nwrapped.", "Last."]
        );
        // a region that starts after a sentence end sees it
        let text = "Done.\nA\nB\n\nC";
        let region = Span::new(6, text.len());
        let got: Vec<&str> = paragraphs(text, region)
            .iter()
            .map(|s| s.slice(text))
            .collect();
        assert_eq!(got, ["A\nB", "C"]);
    }

    #[test]
    fn single_newlines_separate_when_there_is_no_blank_line() {
        assert_eq!(paras("One.\r\nTwo.\nThree."), ["One.", "Two.", "Three."]);
    }
}
