use super::train::{train, Config, Example};
use super::*;
use crate::document::Document;
use crate::tagger::ModelError;

fn analysis(text: &str) -> (Document, Analysis) {
    let doc = Document::from_text("t", text);
    let an = Analysis::run_with(&doc, None);
    (doc, an)
}

/// Examples from a few articles written here: candidates labelled right when their cue is
/// "said", wrong otherwise (a rule the model can learn).
fn examples() -> Vec<Example> {
    let texts = [
        "Mayor Ana Ruiz said the bridge would reopen in June. Critics believe it will not.",
        "\"We are ready,\" the engineer said. She thinks the repairs are done.",
        "The council said it would vote on Friday. Residents fear the tolls will rise.",
        "Officials said the span was safe. Drivers feel the delays are too long.",
    ];
    let mut out = Vec::new();
    for text in texts {
        let (_, an) = analysis(text);
        for a in &an.attributions {
            let mut features = Vec::new();
            super::features(&an, text, a, &mut features);
            let label = a.cue.is_some_and(|c| c.slice(text) == "said");
            out.push(Example { features, label });
        }
    }
    out
}

#[test]
fn training_is_deterministic_and_learns() {
    let ex = examples();
    assert!(ex.iter().any(|e| e.label) && ex.iter().any(|e| !e.label));
    let cfg = Config::default();
    let a = train(&ex, &cfg);
    let b = train(&ex, &cfg);
    assert_eq!(a.to_bytes(), b.to_bytes());
    for e in &ex {
        let p = a.probability(&e.features);
        assert_eq!(p >= 0.5, e.label, "p = {p}");
    }
    let other = train(&ex, &Config { seed: 7, ..cfg });
    assert!(!other.is_empty());
}

#[test]
fn the_judge_averages_its_fits() {
    let ex = examples();
    let one = Config {
        fits: 1,
        ..Config::default()
    };
    // no fits at all still trains one
    let none = train(
        &ex,
        &Config {
            fits: 0,
            ..one.clone()
        },
    );
    assert_eq!(none.to_bytes(), train(&ex, &one).to_bytes());
    // the average of several fits differs from any one of them, and is as deterministic
    let many = Config {
        fits: 4,
        ..Config::default()
    };
    let averaged = train(&ex, &many);
    assert_eq!(averaged.to_bytes(), train(&ex, &many).to_bytes());
    assert_ne!(averaged.to_bytes(), train(&ex, &one).to_bytes());
    for e in &ex {
        assert_eq!(averaged.probability(&e.features) >= 0.5, e.label);
    }
}

#[test]
fn a_saved_model_round_trips() {
    let j = train(&examples(), &Config::default()).with_threshold(0.3);
    let bytes = j.to_bytes();
    let back = Judge::from_bytes(&bytes).unwrap();
    assert_eq!(back, j);
    assert_eq!(back.to_bytes(), bytes);
    assert_eq!(back.threshold(), 0.3);
}

#[test]
fn damaged_model_files_give_clear_errors() {
    let bytes = train(&examples(), &Config::default()).to_bytes();
    assert_eq!(Judge::from_bytes(&[]), Err(ModelError::Empty));
    assert_eq!(
        Judge::from_bytes(b"ONRTAGGR...."),
        Err(ModelError::BadMagic)
    );
    assert!(matches!(
        Judge::from_bytes(&bytes[..bytes.len() - 5]),
        Err(ModelError::Truncated { .. })
    ));
    assert!(matches!(
        Judge::from_bytes(&bytes[..12]),
        Err(ModelError::Truncated { .. })
    ));
    let mut other_version = bytes.clone();
    other_version[8] = 9;
    assert!(matches!(
        Judge::from_bytes(&other_version),
        Err(ModelError::UnsupportedVersion { found: 9, .. })
    ));
    let mut corrupt = bytes.clone();
    let mid = corrupt.len() / 2;
    corrupt[mid] ^= 0x40;
    assert!(matches!(
        Judge::from_bytes(&corrupt),
        Err(ModelError::Checksum { .. })
    ));
    let msg = Judge::from_bytes(&bytes[..bytes.len() - 5])
        .unwrap_err()
        .to_string();
    assert!(msg.contains("truncated"), "{msg}");
}

#[test]
fn the_builtin_model_loads() {
    Judge::try_builtin().unwrap();
}

#[test]
fn apply_sets_confidence_and_drops_what_falls_under_the_threshold() {
    let text = "Mayor Ana Ruiz said the bridge would reopen in June. Critics believe it will not.";
    let (_, mut an) = analysis(text);
    let n = an.attributions.len();
    assert!(n >= 2, "{:?}", an.attributions);
    let j = train(&examples(), &Config::default());
    apply(&j, &mut an, text);
    assert!(an.attributions.len() < n);
    for a in &an.attributions {
        assert!(a.confidence >= 0.5 && a.confidence <= 1.0);
        assert_eq!(a.cue.map(|c| c.slice(text)), Some("said"));
    }
}

/// A candidate of `kind` over bytes `start..end`, its cue at 0..4.
fn candidate(
    kind: crate::analysis::AttributionKind,
    start: usize,
    end: usize,
) -> crate::analysis::Attribution {
    use crate::span::Span;
    crate::analysis::Attribution {
        kind,
        content: Span::new(start, end),
        cue: Some(Span::new(0, 4)),
        source: None,
        source_tokens: None,
        speaker: None,
        confidence: 0.5,
    }
}

#[test]
fn of_two_readings_of_one_report_the_likelier_stays() {
    use crate::analysis::{Attribution, AttributionKind};
    use crate::span::Span;
    let reading = |start, end| candidate(AttributionKind::Indirect, start, end);
    let other_cue = Attribution {
        cue: Some(Span::new(40, 44)),
        ..reading(10, 20)
    };
    let all = [reading(10, 30), reading(10, 20), other_cue];
    let judge = Judge::new([], 0.0, 0.3);
    assert_eq!(
        selection(&judge, &all, &[0.6, 0.8, 0.5], None),
        [false, true, true]
    );
    assert_eq!(
        selection(&judge, &all, &[0.6, 0.2, 0.5], None),
        [true, false, true]
    );
}

#[test]
fn direct_quotes_go_only_under_their_floor() {
    use super::{keeps, DIRECT_FLOOR};
    use crate::analysis::AttributionKind::{Direct, Indirect, Mixed};
    let judge = Judge::new([], 0.0, 0.3);
    // a framed quotation the judge doubts stays; one it all but rules out goes
    assert!(keeps(&judge, Direct, 0.1));
    assert!(keeps(&judge, Direct, DIRECT_FLOOR));
    assert!(!keeps(&judge, Direct, DIRECT_FLOOR / 2.0));
    // reported speech goes under the trained threshold
    assert!(!keeps(&judge, Indirect, 0.1));
    assert!(!keeps(&judge, Mixed, 0.29));
    assert!(keeps(&judge, Mixed, 0.3));
}

#[test]
fn a_headline_quote_stays_at_any_score() {
    use crate::analysis::AttributionKind;
    use crate::span::Span;
    let quote = |start, end| candidate(AttributionKind::Direct, start, end);
    let all = [quote(10, 20), quote(60, 70)];
    let judge = Judge::new([], 0.0, 0.3);
    let headline = Some(Span::new(0, 40));
    assert_eq!(
        selection(&judge, &all, &[0.01, 0.01], headline),
        [true, false]
    );
    assert_eq!(selection(&judge, &all, &[0.01, 0.01], None), [false, false]);
}

#[test]
fn the_headline_is_a_title_line_or_a_known_title() {
    use crate::analysis::Analysis;
    use crate::document::Document;
    let titled = Analysis::run_with(
        &Document::from_text("t", "Mayor Vows Action\n\nThe mayor spoke. She left."),
        None,
    );
    assert_eq!(
        titled
            .headline
            .map(|h| h.slice("Mayor Vows Action\n\nThe mayor spoke. She left.")),
        Some("Mayor Vows Action")
    );
    // one paragraph, or a first paragraph of several sentences: no headline, so the
    // floor applies to every direct quote
    let single = Analysis::run_with(
        &Document::from_text("t", "The mayor spoke. She left."),
        None,
    );
    assert_eq!(single.headline, None);
    let lede = Analysis::run_with(
        &Document::from_text("t", "The mayor spoke. She left.\n\nThe council met."),
        None,
    );
    assert_eq!(lede.headline, None);
}
