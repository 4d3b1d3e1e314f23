//! brat standoff (.ann) reader, with PolNeAR's quirks. Takes the text of an .ann file,
//! gives its text-bound spans and events, and the gold attributions exactly as score.py's
//! `load_gold_ann` builds them.
//!
//! Quirks handled: discontinuous spans (`START END;START END`), span texts that run onto
//! the next line (lines matching no pattern are skipped), events that refer to T ids
//! defined later (events are resolved after the whole file is read), `Content2`, events
//! without source or cue, annotator flags (`Discuss`/`Discard`: never referenced as a
//! role, so ignored), events without content (dropped). The span text column is never
//! used: text comes from the article by offsets.

use crate::preds::{Attribution, CharSpan};
use crate::word::is_py_space;
use std::collections::HashMap;

/// A `T` line: a labelled, possibly discontinuous span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextBound {
    pub label: String,
    /// The pieces in file order, code points, end exclusive.
    pub spans: Vec<CharSpan>,
}

/// An `E` line: its id and its `ROLE:ID` arguments in file order (the trigger, e.g.
/// `Attribution:T4`, included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub roles: Vec<(String, String)>,
}

/// A parsed .ann file.
#[derive(Clone, Debug, Default)]
pub struct Ann {
    /// Text-bound annotations by id (a repeated id keeps the last definition).
    pub text_bounds: HashMap<String, TextBound>,
    pub events: Vec<Event>,
    /// Lines that were neither a valid `T` nor an `E` line (notes, run-on text, junk).
    pub skipped_lines: usize,
}

impl Ann {
    /// Parse an .ann file. Never fails: malformed lines are counted and skipped.
    pub fn parse(src: &str) -> Ann {
        let mut ann = Ann::default();
        for line in py_lines(src) {
            let mut fields = line.split('\t');
            let (Some(id), Some(body)) = (fields.next(), fields.next()) else {
                ann.skipped_lines += 1;
                continue;
            };
            if id.starts_with('T') {
                match parse_text_bound(body) {
                    Some(tb) => {
                        ann.text_bounds.insert(id.to_string(), tb);
                    }
                    None => ann.skipped_lines += 1,
                }
            } else if id.starts_with('E') {
                let roles = py_split(body)
                    .map(|r| match r.split_once(':') {
                        Some((k, v)) => (k.to_string(), v.to_string()),
                        None => (r.to_string(), String::new()),
                    })
                    .collect();
                ann.events.push(Event {
                    id: id.to_string(),
                    roles,
                });
            } else {
                ann.skipped_lines += 1;
            }
        }
        ann
    }

    /// The gold attributions, one per event with content: `Content` and `Content2`
    /// merged, each role's spans sorted; references to unknown ids are ignored.
    pub fn attributions(&self) -> Vec<Attribution> {
        self.events
            .iter()
            .filter_map(|ev| {
                let content = self.role_spans(ev, &["Content", "Content2"]);
                if content.is_empty() {
                    return None;
                }
                Some(Attribution {
                    content,
                    source: self.role_spans(ev, &["Source"]),
                    cue: self.role_spans(ev, &["Cue"]),
                })
            })
            .collect()
    }

    fn role_spans(&self, ev: &Event, keys: &[&str]) -> Vec<CharSpan> {
        let mut out = Vec::new();
        for key in keys {
            for (k, tid) in &ev.roles {
                if k == key {
                    if let Some(tb) = self.text_bounds.get(tid) {
                        out.extend_from_slice(&tb.spans);
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }
}

/// `TYPE START END[;START END...]` (the text column is not part of `body`).
fn parse_text_bound(body: &str) -> Option<TextBound> {
    let (label, offsets) = body.split_once(' ').unwrap_or((body, ""));
    let mut spans = Vec::new();
    for piece in offsets.split(';') {
        let mut nums = py_split(piece).map(parse_offset);
        // score.py would crash later on anything but two integers: treat as malformed.
        match (nums.next(), nums.next(), nums.next()) {
            (Some(Some(s)), Some(Some(e)), None) => spans.push((s, e)),
            _ => return None,
        }
    }
    Some(TextBound {
        label: label.to_string(),
        spans,
    })
}

/// A non-negative decimal offset (`+` sign allowed, as Python's `int` allows it).
fn parse_offset(s: &str) -> Option<usize> {
    let digits = s.strip_prefix('+').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Python's `str.split()` without arguments.
pub(crate) fn py_split(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_py_space).filter(|p| !p.is_empty())
}

/// The lines of a file as Python's text mode yields them (universal newlines: `\n`,
/// `\r\n` and `\r` all end a line), without their line ends.
fn py_lines(src: &str) -> impl Iterator<Item = &str> {
    let mut rest = src;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\n', '\r']) {
            Some(i) => {
                let line = &rest[..i];
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
                Some(line)
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Offsets refer to no real text: the reader never looks at the span text column.
    const ANN: &str = "T1\tSource 0 9\tThe mayor\n\
E1\tAttribution:T3 Content:T4 Source:T1 Cue:T2\n\
T2\tCue 10 14\tsaid\n\
T3\tAttribution 10 14\tsaid\n\
T4\tContent 20 30;40 50\tfirst part second\n\
part that ran onto the next line\n\
T5\tContent 60 70\tmore\n\
T6\tAttribution-no-source 71 75\tcue\n\
T7\tCue 71 75\tcue\n\
E2\tAttribution-no-source:T6 Cue:T7 Content:T8\n\
T8\tContent 80 90\tlater\n\
T9\tDiscuss 0 5\tflag\n\
T10\tContent 100 110\ttwo\n\
T11\tContent 95 99\tone\n\
E3\tAttribution:T3 Content2:T10 Content:T11\n\
E4\tAttribution:T3 Source:T1 Cue:T2\n\
E5\tAttribution:T3 Content:T99\n\
#1\tAnnotatorNotes T4\ta note\n\
T12\tContent 5 x\tbad\n\
T13\tContent 1 2 3\tbad\n\
T14\tContent\n\
E6\tContent:T12 Source:T5\n";

    #[test]
    fn reads_events_with_quirks() {
        let ann = Ann::parse(ANN);
        assert_eq!(ann.text_bounds["T4"].spans, vec![(20, 30), (40, 50)]);
        assert_eq!(ann.text_bounds["T9"].label, "Discuss");
        assert!(!ann.text_bounds.contains_key("T12"));
        assert!(!ann.text_bounds.contains_key("T13"));
        assert!(!ann.text_bounds.contains_key("T14"));
        // run-on line, note line, T12, T13, T14
        assert_eq!(ann.skipped_lines, 5);
        let a = ann.attributions();
        assert_eq!(
            a,
            vec![
                Attribution {
                    content: vec![(20, 30), (40, 50)],
                    source: vec![(0, 9)],
                    cue: vec![(10, 14)],
                },
                // E2: refers to T8, defined after it; no source.
                Attribution {
                    content: vec![(80, 90)],
                    source: vec![],
                    cue: vec![(71, 75)],
                },
                // E3: Content2 merged with Content and sorted; no source, no cue.
                Attribution {
                    content: vec![(95, 99), (100, 110)],
                    source: vec![],
                    cue: vec![],
                },
                // E4 (no content), E5 (unknown content id), E6 (malformed content):
                // dropped.
            ]
        );
    }

    #[test]
    fn universal_newlines() {
        let ann = Ann::parse("T1\tContent 1 4\tabc\r\nT2\tCue 5 6\tx\rE1\tContent:T1 Cue:T2");
        assert_eq!(ann.events.len(), 1);
        assert_eq!(ann.attributions()[0].cue, vec![(5, 6)]);
        assert_eq!(ann.skipped_lines, 0);
    }

    #[test]
    fn garbage_never_panics() {
        for src in [
            "",
            "\t",
            "T",
            "T\t",
            "E\t",
            "E1\t:::",
            "T1\tContent 9 3",
            "\u{feff}T1\tA",
        ] {
            let _ = Ann::parse(src).attributions();
        }
        // A reversed span is kept as score.py keeps it (it simply covers no token).
        assert_eq!(
            Ann::parse("T1\tContent 9 3").text_bounds["T1"].spans,
            vec![(9, 3)]
        );
    }
}
