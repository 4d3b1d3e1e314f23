//! The judge's features: what it sees of one candidate attribution.
//!
//! Every feature is a (template, value) pair hashed to a `u32` key; values are lowercased.
//! Change anything here and bump [`FEATURE_VERSION`]: a model trained on other features
//! is refused.

use crate::analysis::{Analysis, Attribution, AttributionKind, Class, EntityType};
use crate::lexicon::{self, Form};
use crate::quotes::Quotation;
use crate::span::Span;
use crate::tagger::hash::{key, Fnv};
use std::fmt::Write;
use std::ops::Range;

/// Version of the feature set computed here.
pub const FEATURE_VERSION: u16 = 2;

struct Sink<'o> {
    out: &'o mut Vec<u32>,
}

/// Hashes what is written to it, lowercased, without building a string.
struct LowerHash(Fnv);

impl Write for LowerHash {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        for c in s.chars() {
            if c.is_ascii() {
                self.0.byte(c.to_ascii_lowercase() as u8);
            } else {
                for l in c.to_lowercase() {
                    self.0.char(l);
                }
            }
        }
        Ok(())
    }
}

impl Sink<'_> {
    fn start(template: &str) -> LowerHash {
        let mut h = Fnv::new();
        h.bytes(template.as_bytes());
        h.byte(0xff);
        LowerHash(h)
    }

    fn add(&mut self, template: &str, value: &str) {
        let mut h = Self::start(template);
        let _ = h.write_str(value);
        self.out.push(key(0, h.0.finish()));
    }

    fn add_fmt(&mut self, template: &str, args: std::fmt::Arguments) {
        let mut h = Self::start(template);
        let _ = h.write_fmt(args);
        self.out.push(key(0, h.0.finish()));
    }
}

fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        4..=6 => "4-6",
        7..=12 => "7-12",
        13..=25 => "13-25",
        26..=50 => "26-50",
        _ => "51+",
    }
}

fn kind_name(k: AttributionKind) -> &'static str {
    match k {
        AttributionKind::Direct => "direct",
        AttributionKind::Mixed => "mixed",
        AttributionKind::Indirect => "indirect",
    }
}

fn form_name(f: Form) -> &'static str {
    match f {
        Form::Base => "base",
        Form::Third => "third",
        Form::Past => "past",
        Form::Gerund => "gerund",
    }
}

/// Tokens whose spans overlap `start..end` (bytes).
fn token_range(an: &Analysis, start: usize, end: usize) -> Range<usize> {
    let first = an.tokens.partition_point(|t| t.span.end <= start);
    let last = an.tokens.partition_point(|t| t.span.start < end);
    first..last.max(first)
}

fn sentence_of(an: &Analysis, t: usize) -> usize {
    an.sentences
        .partition_point(|s| s.tokens.end <= t)
        .min(an.sentences.len().saturating_sub(1))
}

/// How far back a scan for overlapping candidates or an enclosing quotation goes.
const NEIGHBOURS: usize = 32;

/// The top-level quotation whose content holds `span`, if any.
fn quotation_around(an: &Analysis, span: Span) -> Option<&Quotation> {
    let upto = an
        .quotations
        .partition_point(|q| q.content.start <= span.start);
    an.quotations[..upto]
        .iter()
        .rev()
        .take(NEIGHBOURS)
        .find(|q| q.depth == 0)
        .filter(|q| q.content.contains(span))
}

/// The features of candidate `a` of the analysis, appended to `out`.
pub fn features(an: &Analysis, text: &str, a: &Attribution, out: &mut Vec<u32>) {
    let mut f = Sink { out };
    let word = |t: usize| an.tokens.get(t).map_or("", |tok| tok.span.slice(text));
    let class = |t: usize| an.tokens.get(t).map_or(Class::Other, |tok| tok.class);
    let kind = kind_name(a.kind);
    f.add("bias", "");
    f.add("kind", kind);
    f.add_fmt("rule", format_args!("{kind}|{:.2}", a.confidence));

    // content
    let content = token_range(an, a.content.start, a.content.end);
    let words = content
        .clone()
        .filter(|&t| !matches!(class(t), Class::Punct | Class::Comma | Class::Quote))
        .count();
    f.add("len", bucket(words));
    // a quoted utterance keeps its own punctuation ("no," "Why?"); a quoted term does not
    let end = a
        .content
        .slice(text)
        .trim_end()
        .chars()
        .last()
        .unwrap_or(' ');
    let end = if matches!(end, '.' | ',' | '?' | '!' | ';' | ':') {
        end
    } else {
        'w'
    };
    f.add_fmt("end|len", format_args!("{end}|{}|{kind}", bucket(words)));
    f.add_fmt("len|kind", format_args!("{}|{kind}", bucket(words)));
    if let (Some(first), Some(last)) = (content.clone().next(), content.clone().last()) {
        f.add_fmt("first", format_args!("{:?}", class(first)));
        if matches!(
            class(first),
            Class::Subord | Class::To | Class::Prep | Class::Wh | Class::Det | Class::Pronoun
        ) {
            f.add("first-word", word(first));
        }
        f.add_fmt("last", format_args!("{:?}", class(last)));
        let s0 = sentence_of(an, first);
        let s1 = sentence_of(an, last);
        f.add("sentences", bucket(s1 - s0 + 1));
        if let Some(s) = an.sentences.get(s0) {
            f.add_fmt("at-start", format_args!("{}", s.tokens.start == first));
            f.add_fmt("paragraph0", format_args!("{}", s.paragraph == 0));
        }
        let before = first.checked_sub(1);
        match before {
            Some(b) => {
                f.add_fmt("before", format_args!("{:?}", class(b)));
                if !matches!(
                    class(b),
                    Class::Noun | Class::Proper | Class::Adj | Class::Num
                ) {
                    f.add("before-word", word(b));
                }
            }
            None => f.add("before", "start"),
        }
        let after = last + 1;
        if after < an.tokens.len() {
            f.add_fmt("after", format_args!("{:?}", class(after)));
            f.add("after-word", word(after));
        }
    }
    // quotations and candidates are sorted by start: every look-up below is a binary
    // search and a bounded scan, so a document with many candidates stays linear
    let from = an
        .quotations
        .partition_point(|q| q.content.start < a.content.start);
    let quotes = an.quotations[from..]
        .iter()
        .take_while(|q| q.content.start < a.content.end)
        .filter(|q| q.depth == 0 && a.content.contains(q.content) && !q.content.is_empty())
        .count();
    f.add_fmt("quotes", format_args!("{}|{kind}", bucket(quotes)));
    let inside = quotation_around(an, a.content).is_some_and(|q| q.content != a.content);
    f.add_fmt("in-quote", format_args!("{inside}|{kind}"));
    // candidates that claim the same words
    let upto = an
        .attributions
        .partition_point(|b| b.content.start < a.content.end);
    let rivals = an.attributions[..upto]
        .iter()
        .rev()
        .take(NEIGHBOURS)
        .filter(|b| !std::ptr::eq(*b, a) && b.content.overlaps(a.content))
        .count();
    f.add_fmt("rivals", format_args!("{}|{kind}", bucket(rivals)));

    // cue
    let cue_tokens = a.cue.map(|cue| token_range(an, cue.start, cue.end));
    let cue_word = cue_tokens.as_ref().map(|r| word(r.start));
    match (a.cue, cue_tokens) {
        (Some(cue), Some(cue_tokens)) => {
            let c = cue_tokens.start;
            let w = word(c);
            f.add("cue", w);
            f.add_fmt("cue|kind", format_args!("{w}|{kind}"));
            f.add("cue-len", bucket(cue_tokens.len()));
            f.add_fmt("cue|len", format_args!("{w}|{}", bucket(words)));
            if let Some(first) = content.clone().next() {
                f.add_fmt("cue|first", format_args!("{w}|{:?}", class(first)));
            }
            if let Some(pos) = an.tokens.get(c).and_then(|t| t.pos) {
                f.add_fmt("cue-pos", format_args!("{pos:?}"));
            }
            match lexicon::cue_verb(w) {
                Some((verb, form)) => {
                    f.add("lemma", verb.lemma);
                    f.add_fmt("lemma|kind", format_args!("{}|{kind}", verb.lemma));
                    f.add("form", form_name(form));
                    for (flag, on) in [
                        ("speech", verb.speech),
                        ("addressee", verb.addressee),
                        ("infinitive", verb.infinitive),
                        ("belief", verb.belief),
                        ("quote-only", verb.quote_only),
                        ("topic", verb.topic),
                        ("object", verb.object),
                        ("naming", verb.naming),
                    ] {
                        if on {
                            f.add("verb", flag);
                            f.add_fmt("verb|kind", format_args!("{flag}|{kind}"));
                        }
                    }
                }
                None if lexicon::is_nominal_cue(w) => f.add("verb", "nominal"),
                None => f.add("verb", "none"),
            }
            // where the frame stands
            let side = if cue.end <= a.content.start {
                "before"
            } else if cue.start >= a.content.end {
                "after"
            } else {
                "inside"
            };
            f.add_fmt("side", format_args!("{side}|{kind}"));
            let gap = if cue.end <= a.content.start {
                token_range(an, cue.end, a.content.start).len()
            } else if cue.start >= a.content.end {
                token_range(an, a.content.end, cue.start).len()
            } else {
                0
            };
            f.add_fmt("gap", format_args!("{}|{side}", bucket(gap)));
            if c > 0 {
                f.add("cue-prev", word(c - 1));
            }
            if let Some(first) = content.clone().next() {
                let same = sentence_of(an, first) == sentence_of(an, c);
                f.add_fmt("same-sentence", format_args!("{same}"));
            }
            let quoted = quotation_around(an, cue).is_some();
            f.add_fmt("cue-quoted", format_args!("{quoted}"));
        }
        _ => f.add("cue", "<none>"),
    }

    // source
    match &a.source_tokens {
        Some(src) if !src.is_empty() => {
            let head = src.end - 1;
            let hc = class(head);
            f.add_fmt("source", format_args!("{hc:?}"));
            f.add_fmt("source|kind", format_args!("{hc:?}|{kind}"));
            f.add("source-len", bucket(src.len()));
            if matches!(hc, Class::Pronoun | Class::Wh | Class::Det) {
                f.add("source-word", word(head));
            }
            if let Some(w) = cue_word {
                f.add_fmt("source|cue", format_args!("{hc:?}|{w}"));
            }
            let side = if src.end <= content.start {
                "before"
            } else {
                "after"
            };
            f.add_fmt("source-side", format_args!("{side}|{kind}"));
        }
        _ => f.add("source", "<none>"),
    }
    let speaker = a
        .speaker
        .and_then(|e| an.entities.get(e))
        .map_or("none", |e| match e.kind {
            EntityType::Person => "person",
            EntityType::Organization => "organization",
            EntityType::Location => "location",
            EntityType::Other => "other",
        });
    f.add_fmt("speaker", format_args!("{speaker}|{kind}"));
}
