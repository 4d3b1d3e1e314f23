//! Agreement with shared/eval/score.py on the real PolNeAR data: the same gold, and the
//! same table (every number to 3 decimals) and JSON for the gold itself and for a
//! perturbed copy, in both units. Skips, saying so, when ../shared or python3 is absent.

use onrecord_eval::{
    error_analysis, read_predictions_file, score, write_predictions_file, Attribution,
    PredictionDoc, Split, Unit,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared() -> Option<PathBuf> {
    // crates/onrecord-eval -> workspace root -> its sibling ../shared
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let ok = dir.join("data/polnear").is_dir() && dir.join("eval/score.py").is_file();
    if !ok {
        eprintln!(
            "SKIP: {} has no data/polnear or eval/score.py",
            dir.display()
        );
        return None;
    }
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("SKIP: python3 is not available");
        return None;
    }
    Some(dir)
}

fn scratch(tag: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("onrecord-eval-agree-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run score.py; returns its stdout.
fn score_py(shared: &Path, comps: &[&str], args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg(shared.join("eval/score.py"))
        .arg("--data")
        .arg(shared.join("data/polnear"))
        .arg("--comp")
        .args(comps)
        .args(args)
        .output()
        .expect("run score.py");
    assert!(
        out.status.success(),
        "score.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Deterministic damage: drop every third attribution, shift content boundaries, blank
/// and move sources and cues, split discontinuous contents, add false positives, an
/// unknown id, an empty and a duplicated record.
fn perturb(gold: &[PredictionDoc]) -> Vec<PredictionDoc> {
    let mut out = Vec::new();
    let mut k = 0usize;
    for (d, doc) in gold.iter().enumerate() {
        let mut quotes = Vec::new();
        for q in &doc.quotes {
            k += 1;
            if k % 3 == 2 {
                continue;
            }
            let mut q = q.clone();
            if k.is_multiple_of(4) {
                if let Some(first) = q.content.first_mut() {
                    first.0 += 2;
                }
                if let Some(last) = q.content.last_mut() {
                    last.1 = last.1.saturating_sub(3);
                }
            }
            if k % 5 == 1 {
                q.source.clear();
            }
            if k % 7 == 3 {
                q.cue = q.cue.iter().map(|&(s, e)| (s + 1, e + 1)).collect();
            }
            if k % 13 == 6 {
                let fp = Attribution {
                    content: q.content.iter().map(|&(s, e)| (s + 40, e + 40)).collect(),
                    source: q.source.clone(),
                    cue: vec![],
                };
                quotes.push(fp);
            }
            if k % 11 == 5 && q.content.len() > 1 {
                for &piece in &q.content {
                    quotes.push(Attribution {
                        content: vec![piece],
                        ..q.clone()
                    });
                }
                continue;
            }
            if k.is_multiple_of(17) {
                q.content.reverse();
                q.content.push((5, 5));
            }
            quotes.push(q);
        }
        if d % 9 == 4 {
            quotes.reverse();
        }
        if d % 10 == 7 {
            // Split the article's predictions over two records.
            let rest = quotes.split_off(quotes.len() / 2);
            out.push(PredictionDoc {
                id: doc.id.clone(),
                quotes: rest,
            });
        }
        if d % 23 == 11 {
            quotes.push(Attribution::default());
        }
        if d % 31 == 30 {
            continue; // an article without predictions
        }
        out.push(PredictionDoc {
            id: doc.id.clone(),
            quotes,
        });
    }
    out.push(PredictionDoc {
        id: "no_such_article".into(),
        quotes: vec![],
    });
    out
}

fn agree(comps: &[&str]) {
    let Some(shared) = shared() else { return };
    let tmp = scratch(&comps.join("+"));
    let split = Split::load_pooled(&shared.join("data/polnear"), comps).unwrap();

    // The gold as score.py reads it.
    let gold_file = tmp.join("gold.jsonl");
    score_py(
        &shared,
        comps,
        &["--dump-gold", gold_file.to_str().unwrap()],
    );
    let gold = read_predictions_file(&gold_file).unwrap();
    for article in &split.articles {
        let date = article.publication_date.as_deref().unwrap_or("");
        assert!(
            date.len() == 10 && date.as_bytes()[4] == b'-',
            "{}: date {date:?}",
            article.name
        );
    }
    assert_eq!(gold.len(), split.articles.len());
    for doc in &gold {
        let article = split.get(&doc.id).expect("article");
        assert_eq!(doc.quotes, article.gold, "gold of {}", doc.id);
    }

    let damaged = perturb(&gold);
    let damaged_file = tmp.join("damaged.jsonl");
    write_predictions_file(&damaged_file, &damaged).unwrap();

    for (label, file, preds) in [
        ("gold", &gold_file, &gold),
        ("damaged", &damaged_file, &damaged),
    ] {
        for unit in [Unit::Piece, Unit::Attr] {
            let json_file = tmp.join(format!("{label}-{unit}.json"));
            let stdout = score_py(
                &shared,
                comps,
                &[
                    "--pred",
                    file.to_str().unwrap(),
                    "--unit",
                    unit.as_str(),
                    "--json",
                    json_file.to_str().unwrap(),
                ],
            );
            let py_table: Vec<&str> = stdout.lines().skip(1).collect();
            let report = score(&split, preds, unit);
            println!("{label} {unit}\n{}", report.table());
            assert_eq!(
                report.table(),
                py_table.join("\n"),
                "table differs: {label}, unit {unit}"
            );
            let py_json = std::fs::read_to_string(&json_file).unwrap();
            assert_eq!(
                report.to_json(),
                py_json,
                "JSON differs: {label}, unit {unit}"
            );

            // The error listing accounts for every gold item not counted by ATTR and
            // every prediction without a c50 match.
            let errs = error_analysis(&split, preds, unit);
            let missed: usize = errs.iter().map(|a| a.missed.len()).sum();
            let fps: usize = errs.iter().map(|a| a.false_positives.len()).sum();
            let all = &report.all;
            let attr_g = (all.attr.r * all.n_gold as f64).round() as usize;
            let c50_p = (all.c50.p * all.n_pred as f64).round() as usize;
            assert_eq!(missed, all.n_gold as usize - attr_g, "{label} {unit}");
            assert_eq!(fps, all.n_pred as usize - c50_p, "{label} {unit}");
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn agrees_with_score_py_on_dev() {
    agree(&["dev"]);
}

/// The training split too (slower): `cargo test -p onrecord-eval -- --ignored`.
#[test]
#[ignore]
fn agrees_with_score_py_on_dev_and_train() {
    agree(&["dev", "train"]);
}
