//! Acceptance on the flagship article in ../shared/examples: what any reader of it expects.
//! Skips (with a message) when ../shared is not beside the repository.

use onrecord_core::extraction::{Extraction, Quote, QuoteKind};
use onrecord_core::input::{read_documents, InputOptions};
use std::path::PathBuf;

const ARTICLE: &str = "zelenskyy-vice-interview-2022-03-10.txt";

fn load() -> Option<(String, Extraction)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/examples")
        .join(ARTICLE);
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!(
            "skipping: {} not found (../shared is absent)",
            path.display()
        );
        return None;
    };
    let decoded = read_documents(&bytes, ARTICLE, &InputOptions::default()).expect("decodes");
    assert_eq!(decoded.documents.len(), 1);
    let doc = &decoded.documents[0];
    Some((doc.text.clone(), onrecord_core::extract(doc)))
}

fn speaker(q: &Quote) -> &str {
    q.speaker.as_ref().map_or("", |s| s.name.as_str())
}

/// The quotes whose content holds every one of `parts`.
fn holding<'e>(ex: &'e Extraction, parts: &[&str]) -> Vec<&'e Quote> {
    ex.quotes
        .iter()
        .filter(|q| parts.iter().all(|p| q.content.text.contains(p)))
        .collect()
}

fn assert_said_by(ex: &Extraction, parts: &[&str], who: &str, kinds: &[QuoteKind]) {
    let found = holding(ex, parts);
    assert!(
        found
            .iter()
            .any(|q| speaker(q) == who && kinds.contains(&q.kind)),
        "expected {parts:?} ({kinds:?}) by {who}; got {:?}",
        found
            .iter()
            .map(|q| (q.kind, speaker(q), q.content.text.as_str()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn direct_quotes_are_zelenskyys() {
    let Some((_, ex)) = load() else { return };
    let zelenskyy = "Volodymyr Zelenskyy";
    for quote in [
        "I trust only my family.",
        "How to solve this war?",
        "They came to our land",
        "Right now, stop the war.",
        "I need ammunition, not a ride.",
        "Nobody is going to break us",
        "Life will win over death.",
        "We need some time,",
        "no,",
    ] {
        let exact: Vec<_> = ex
            .quotes
            .iter()
            .filter(|q| q.content.text.starts_with(quote))
            .collect();
        assert!(
            exact
                .iter()
                .any(|q| q.kind == QuoteKind::Direct && speaker(q) == zelenskyy),
            "{quote:?}: {:?}",
            exact
                .iter()
                .map(|q| (q.kind, speaker(q)))
                .collect::<Vec<_>>()
        );
    }
    // the headline's 'Oh, No'
    assert_said_by(
        &ex,
        &["Oh, No"],
        zelenskyy,
        &[QuoteKind::Direct, QuoteKind::Mixed],
    );
}

#[test]
fn mixed_quotes_give_the_reported_clause() {
    let Some((_, ex)) = load() else { return };
    assert_said_by(
        &ex,
        &["\"has to\"", "work with Putin"],
        "Volodymyr Zelenskyy",
        &[QuoteKind::Mixed],
    );
    assert_said_by(
        &ex,
        &["\"will\"", "eventually"],
        "Volodymyr Zelenskyy",
        &[QuoteKind::Mixed],
    );
}

#[test]
fn claims_of_outlets_institutions_and_people() {
    let Some((_, ex)) = load() else { return };
    let any = [QuoteKind::Indirect, QuoteKind::Mixed];
    assert_said_by(&ex, &["24-hour cease fire"], "CNBC", &any);
    assert_said_by(
        &ex,
        &["More than a million Ukrainians have also fled"],
        "United Nations",
        &any,
    );
    assert_said_by(
        &ex,
        &["Ukraine has historic ties to Russia"],
        "Vladimir Putin",
        &any,
    );
    assert_said_by(&ex, &["not to bend"], "Volodymyr Zelenskyy", &any);
}

#[test]
fn dates_are_normalized() {
    let Some((_, ex)) = load() else { return };
    assert_eq!(ex.date.as_deref(), Some("2022-03-10"));
    let value = |text: &str| {
        ex.dates
            .iter()
            .find(|d| d.text == text)
            .map(|d| d.value.as_str())
    };
    assert_eq!(value("Wednesday"), Some("2022-03-09"));
    assert_eq!(value("Feb. 24"), Some("2022-02-24"));
    assert_eq!(value("May 2019"), Some("2019-05"));
}

#[test]
fn entities_gather_names_and_descriptions() {
    let Some((_, ex)) = load() else { return };
    let mentions = |name: &str| -> Vec<String> {
        ex.entities
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.mentions.iter().map(|m| m.text.clone()).collect())
            .unwrap_or_default()
    };
    let z = mentions("Volodymyr Zelenskyy");
    assert!(z.iter().any(|m| m == "Ukraine's leader"), "{z:?}");
    assert!(z.iter().any(|m| m == "The Ukrainian president"), "{z:?}");
    let p = mentions("Vladimir Putin");
    assert!(p.iter().any(|m| m == "the Russian president"), "{p:?}");
}

#[test]
fn every_span_slices_the_text() {
    let Some((text, ex)) = load() else { return };
    let chars: Vec<char> = text.chars().collect();
    let check = |start: usize, end: usize, t: &str| {
        assert!(start <= end && end <= chars.len());
        assert_eq!(chars[start..end].iter().collect::<String>(), t);
    };
    for q in &ex.quotes {
        check(q.content.start, q.content.end, &q.content.text);
        for s in [&q.cue, &q.source].into_iter().flatten() {
            check(s.start, s.end, &s.text);
        }
    }
    for e in &ex.entities {
        for m in &e.mentions {
            check(m.start, m.end, &m.text);
        }
    }
    for d in &ex.dates {
        check(d.start, d.end, &d.text);
    }
}
