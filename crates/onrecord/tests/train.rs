//! `onrecord train judge` on a small PolNeAR-shaped corpus written here: it trains,
//! writes a model that loads, gives the same bytes twice, and fails clearly without data.

mod common;

use common::{stderr, stdout, TempDir};
use std::process::Command;

fn onrecord() -> Command {
    Command::new(env!("CARGO_BIN_EXE_onrecord"))
}

/// Sentences with and without reports; the annotation marks the reports of "said".
const ARTICLES: &[&str] = &[
    "Mayor Ana Ruiz said the bridge would reopen in June. Critics believe it will not.",
    "The council said it would vote on Friday. Residents fear the tolls will rise.",
    "Officials said the span was safe. Drivers feel the delays are too long.",
    "\"We are ready,\" the engineer said. She thinks the repairs are done.",
    "The governor said the state would pay. Many doubt the money will come.",
    "Engineers said the cables were sound. Some worry the deck is weak.",
];

/// A brat annotation of `said` in `text`: source before it, content after (or the quote
/// before it).
fn annotation(text: &str) -> String {
    let said = text.find(" said").unwrap() + 1;
    let (content, source) = if let Some(rest) = text.strip_prefix('"') {
        let close = rest.find('"').unwrap() + 1;
        ((1, close - 1), (close + 2, said - 1))
    } else {
        let end = text.find('.').unwrap();
        ((said + 5, end), (0, said - 1))
    };
    let chars = |b: usize| text[..b].chars().count();
    let span = |(s, e): (usize, usize)| format!("{} {}\t{}", chars(s), chars(e), &text[s..e]);
    format!(
        "T1\tSource {}\nT2\tCue {}\nT3\tContent {}\nT4\tAttribution {}\n\
         E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        span(source),
        span((said, said + 4)),
        span(content),
        span((said, said + 4)),
    )
}

fn corpus(dir: &TempDir) {
    let mut meta = String::from("compartment\tfilename\tpublication_date\n");
    for (i, text) in ARTICLES.iter().enumerate() {
        let split = if i < 4 { "train" } else { "dev" };
        let name = format!("paper_2016-09-0{i}_story");
        dir.file(&format!("polnear/{split}/text/{name}.txt"), text);
        dir.file(
            &format!("polnear/{split}/attributions/{name}_ab12.ann"),
            annotation(text),
        );
        meta.push_str(&format!("{split}\t{name}\t2016-09-0{}\n", i + 1));
    }
    dir.file("polnear/metadata.tsv", meta);
}

#[test]
fn train_judge_writes_a_model_that_loads_and_is_deterministic() {
    let dir = TempDir::new();
    corpus(&dir);
    let mut outputs = Vec::new();
    for out in ["m1", "m2"] {
        let o = onrecord()
            .args(["train", "judge", "--data", &dir.path("polnear"), "--out"])
            .arg(dir.path(out))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("dev ATTR F1"), "{}", stdout(&o));
        outputs.push(std::fs::read(dir.0.join(out).join("judge.bin")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1], "same data, same seed, same bytes");
    let judge = onrecord_core::judge::Judge::from_bytes(&outputs[0]).unwrap();
    assert!(!judge.is_empty());
}

#[test]
fn train_judge_without_data_fails_in_one_line() {
    let dir = TempDir::new();
    let o = onrecord()
        .args(["train", "judge", "--data", &dir.path("nowhere"), "--out"])
        .arg(dir.path("m"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("nowhere"), "{err}");
    assert!(!dir.0.join("m/judge.bin").exists());
}
