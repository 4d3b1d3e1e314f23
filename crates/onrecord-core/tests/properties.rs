//! Properties that hold for any input: every reported span slices the text to its `text`,
//! spans lie inside the document, nothing panics, and long inputs stay linear.

use onrecord_core::{extract, Document, Extraction};
use proptest::prelude::*;

fn check_spans(text: &str, ex: &Extraction) {
    let chars: Vec<char> = text.chars().collect();
    let slice = |start: usize, end: usize| -> String {
        assert!(
            start <= end && end <= chars.len(),
            "span {start}..{end} outside 0..{}",
            chars.len()
        );
        chars[start..end].iter().collect()
    };
    for q in &ex.quotes {
        assert_eq!(slice(q.content.start, q.content.end), q.content.text);
        assert!(!q.content.text.is_empty());
        for s in [&q.cue, &q.source].into_iter().flatten() {
            assert_eq!(slice(s.start, s.end), s.text);
        }
        if let Some(sp) = &q.speaker {
            assert!(ex
                .entities
                .iter()
                .any(|e| e.id == sp.entity && e.name == sp.name));
        }
        assert!((0.0..=1.0).contains(&q.confidence));
    }
    for e in &ex.entities {
        for m in &e.mentions {
            assert_eq!(slice(m.start, m.end), m.text);
        }
    }
    for d in &ex.dates {
        assert_eq!(slice(d.start, d.end), d.text);
    }
}

/// Text made of the pieces that stress the stages: quotes of every kind, apostrophes,
/// cue words, names, abbreviations, dates, line breaks and non-ASCII letters.
fn newsy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\"",
        "“",
        "”",
        "'",
        "‘",
        "’",
        "«",
        "»",
        "„",
        " ",
        " ",
        " ",
        "\n",
        "\n\n",
        ",",
        ".",
        ":",
        "?",
        "—",
        "...",
        "said",
        "says",
        "told",
        "according to",
        "he",
        "She",
        "Mr.",
        "Smith",
        "Jane Doe",
        "the president",
        "Ukraine's",
        "U.S.",
        "Feb. 24",
        "Wednesday",
        "2019",
        "that",
        "is",
        "not",
        "to",
        "vowed",
        "é",
        "ß",
        "日本",
        "🙂",
        "\u{a0}",
        "\r\n",
        "(",
        ")",
        "'90s",
    ]);
    prop::collection::vec(pieces, 0..120).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        // more with ONRECORD_PROPTEST_CASES=20000 for a long search
        cases: std::env::var("ONRECORD_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(400),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn spans_slice_the_text_for_newsy_inputs(text in newsy()) {
        let ex = extract(&Document::from_text("p", text.clone()));
        check_spans(&text, &ex);
    }

    #[test]
    fn spans_slice_the_text_for_any_string(text in any::<String>()) {
        let ex = extract(&Document::from_text("p", text.clone()));
        check_spans(&text, &ex);
    }
}

#[test]
fn long_inputs_finish() {
    // a long single line full of unbalanced marks, and a long article of paragraphs
    let line = "He said \"no, it's 'fine and “open ".repeat(20_000);
    let ex = extract(&Document::from_text("line", line.clone()));
    check_spans(&line, &ex);
    let para = "\"We will rebuild,\" Mayor Jane Doe said on Feb. 24. She told reporters that the bridge would open in May 2019, according to the city.\n\n";
    let article = para.repeat(8_000);
    let ex = extract(&Document::from_text("article", article.clone()));
    assert!(ex.quotes.len() >= 8_000);
    check_spans(&article, &ex);
}

#[test]
fn empty_and_blank_documents_give_empty_results() {
    for text in ["", " ", "\n\n\n", "\u{feff}"] {
        let ex = extract(&Document::from_text("e", text));
        assert!(ex.quotes.is_empty() && ex.entities.is_empty());
    }
}
