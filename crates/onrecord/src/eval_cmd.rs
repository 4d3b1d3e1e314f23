//! `onrecord eval`: run the extractor over PolNeAR splits (or read a predictions file)
//! and score it as shared/eval/score.py does; optionally write the predictions, the
//! metrics JSON, an error listing, and check or record the regression baseline.

use anyhow::{bail, Context, Result};
use onrecord_eval::{
    error_analysis, from_extraction, read_predictions_file, score, write_predictions_file,
    ErrorItem, ErrorKind, PredictionDoc, Report, Split, Subset, Unit,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How far below the baseline an F1 may fall before the gate fails (rounding noise).
pub const GATE_TOLERANCE: f64 = 0.0005;

const EXAMPLES: &str = "\
Examples:
  onrecord eval                                 score the extractor on dev
  onrecord eval --unit attr --errors 20         whole attributions; list 20 errors
  onrecord eval --split dev train --json m.json pooled splits; metrics as JSON
  onrecord eval --pred peer.jsonl               score another system's predictions
  onrecord eval --gate eval/baseline.json       fail if ATTR F1 fell below the baseline";

/// Score attribution extraction against PolNeAR gold (same numbers as score.py)
#[derive(clap::Args, Debug, Clone)]
#[command(after_help = EXAMPLES)]
pub struct EvalArgs {
    /// PolNeAR data directory (holds metadata.tsv and one directory per split)
    #[arg(long, value_name = "DIR", default_value = "../shared/data/polnear")]
    pub data: PathBuf,
    /// Split(s) to score; several are pooled, like score.py's --comp
    #[arg(
        long = "split",
        value_name = "NAME",
        num_args = 1..,
        value_delimiter = ',',
        default_value = "dev"
    )]
    pub splits: Vec<String>,
    /// Scoring unit: `piece` (contiguous content pieces) or `attr` (whole attributions)
    #[arg(long, value_name = "UNIT", default_value_t = Unit::Piece)]
    pub unit: Unit,
    /// Score this predictions file (score.py's JSON Lines, or onrecord/1 records)
    /// instead of running the extractor
    #[arg(long, value_name = "FILE")]
    pub pred: Option<PathBuf>,
    /// Write the predictions that were scored here (JSON Lines, score.py's format)
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    /// Write the metrics here, as score.py's --json does
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// After the table, print N missed or wrongly attributed gold items and N false
    /// positives, spread over the split, with context
    #[arg(long, value_name = "N")]
    pub errors: Option<usize>,
    /// After the table, count the errors by category: missed (no prediction overlaps the
    /// gold content), content boundary (overlap under 50%), wrong source, false positive
    #[arg(long)]
    pub breakdown: bool,
    /// Regression gate: fail when an ATTR F1 recorded in FILE drops by more than 0.0005
    #[arg(long, value_name = "FILE")]
    pub gate: Option<PathBuf>,
    /// Record the current ATTR F1 (both units) as the baseline in FILE
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

pub fn run(args: &EvalArgs) -> Result<()> {
    let split = Split::load_pooled(&args.data, &args.splits)
        .with_context(|| format!("loading PolNeAR from {}", args.data.display()))?;
    let (preds, origin) = match &args.pred {
        Some(path) => (read_predictions_file(path)?, path.display().to_string()),
        None => {
            let t = Instant::now();
            let preds = extract_split(&split)?;
            eprintln!(
                "extracted {} articles in {:.2}s",
                split.articles.len(),
                t.elapsed().as_secs_f64()
            );
            (preds, "onrecord".to_string())
        }
    };
    if let Some(path) = &args.predictions {
        write_predictions_file(path, &preds)?;
    }

    let report = score(&split, &preds, args.unit);
    if !report.unknown_ids.is_empty() {
        eprintln!(
            "warning: {} predicted ids not in {} (ignored): {:?}",
            report.unknown_ids.len(),
            split.name,
            &report.unknown_ids[..report.unknown_ids.len().min(3)]
        );
    }
    println!(
        "comp={} unit={} pred={} articles={}",
        split.name, args.unit, origin, report.articles
    );
    println!("{}", report.table());
    if let Some(path) = &args.json {
        std::fs::write(path, report.to_json())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if args.breakdown {
        print_breakdown(&split, &preds, args.unit, report.all.n_gold as usize);
    }
    if let Some(n) = args.errors {
        print_errors(&split, &preds, args.unit, n);
    }
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::measure(&split, &preds);
        let json = serde_json::to_string_pretty(&baseline)? + "\n";
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("baseline written to {}", path.display());
    }
    if let Some(path) = &args.gate {
        check_gate(path, &split, &preds)?;
    }
    Ok(())
}

/// Run the extractor over every article of the split, in parallel, dating each article
/// from metadata.tsv. A panic in the extractor is reported with the article's name.
pub fn extract_split(split: &Split) -> Result<Vec<PredictionDoc>> {
    split
        .articles
        .par_iter()
        .map(|a| {
            let doc = document(a);
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                from_extraction(&onrecord_core::extract(&doc))
            }))
            .map_err(|_| anyhow::anyhow!("the extractor panicked on article {}", a.name))
        })
        .collect()
}

/// An article as the extractor reads it, dated from metadata.tsv.
pub fn document(a: &onrecord_eval::Article) -> onrecord_core::Document {
    let doc = onrecord_core::Document::from_text(a.name.as_str(), a.text.as_str());
    match a
        .publication_date
        .as_deref()
        .and_then(onrecord_core::document::parse_iso_date)
    {
        Some(date) => doc.with_date(date),
        None => doc,
    }
}

/// Print `n` gold-side errors and `n` false positives, evenly spread over the split.
fn print_errors(split: &Split, preds: &[PredictionDoc], unit: Unit, n: usize) {
    let per_article = error_analysis(split, preds, unit);
    let missed: Vec<&ErrorItem> = per_article.iter().flat_map(|a| &a.missed).collect();
    let fps: Vec<&ErrorItem> = per_article
        .iter()
        .flat_map(|a| &a.false_positives)
        .collect();
    for (title, items) in [
        ("missed or wrongly attributed gold items", &missed),
        ("false positives", &fps),
    ] {
        let shown = spread(items, n);
        println!(
            "\n== {title} (unit {unit}): {} of {} ==",
            shown.len(),
            items.len()
        );
        for item in shown {
            println!("\n{item}");
        }
    }
}

/// Count gold items by what went wrong, and false positives.
fn print_breakdown(split: &Split, preds: &[PredictionDoc], unit: Unit, n_gold: usize) {
    let per_article = error_analysis(split, preds, unit);
    let (mut missed, mut boundary, mut source, mut false_positives) = (0, 0, 0, 0);
    for article in &per_article {
        for item in &article.missed {
            match (item.kind, &item.pred) {
                (ErrorKind::WrongSource, _) => source += 1,
                (_, Some(_)) if item.overlap > 0 => boundary += 1,
                _ => missed += 1,
            }
        }
        false_positives += article.false_positives.len();
    }
    let correct = n_gold.saturating_sub(missed + boundary + source);
    let pct = |n: usize| 100.0 * n as f64 / n_gold.max(1) as f64;
    println!("\n== error breakdown (unit {unit}, all attributions) ==");
    println!("gold items                          {n_gold:6}");
    println!(
        "  found (content c50, right source) {correct:6}  {:5.1}%",
        pct(correct)
    );
    println!(
        "  missed (nothing overlaps)         {missed:6}  {:5.1}%",
        pct(missed)
    );
    println!(
        "  content boundary (overlap < 50%)  {boundary:6}  {:5.1}%",
        pct(boundary)
    );
    println!(
        "  wrong source                      {source:6}  {:5.1}%",
        pct(source)
    );
    println!("false positives (no c50 match)      {false_positives:6}");
}

/// Up to `n` items at even intervals (all of them when there are fewer).
fn spread<'a, T>(items: &[&'a T], n: usize) -> Vec<&'a T> {
    if items.len() <= n {
        return items.to_vec();
    }
    (0..n).map(|k| items[k * items.len() / n]).collect()
}

/// The committed regression baseline (eval/baseline.json): ATTR F1 per unit and subset
/// on one split (or `+`-joined pooled splits).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub split: String,
    /// Unit (`piece`, `attr`) -> subset (`all`, `direct`, `strict`) -> ATTR F1.
    pub attr_f1: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Baseline {
    /// The current figures of `preds` on `split`, rounded to 4 decimals.
    pub fn measure(split: &Split, preds: &[PredictionDoc]) -> Baseline {
        let mut attr_f1 = BTreeMap::new();
        for unit in [Unit::Piece, Unit::Attr] {
            let report = score(split, preds, unit);
            let f1s = Subset::ALL
                .iter()
                .map(|&s| {
                    let f = report.subset(s).attr.f;
                    (s.name().to_string(), (f * 1e4).round() / 1e4)
                })
                .collect();
            attr_f1.insert(unit.to_string(), f1s);
        }
        Baseline {
            split: split.name.clone(),
            attr_f1,
        }
    }
}

/// Regression gate: score `preds` on `split` in every unit the baseline file records
/// and fail, naming each figure, when an ATTR F1 is below its baseline minus
/// [`GATE_TOLERANCE`]. Also fails when the baseline is for another split or unreadable.
pub fn check_gate(baseline_path: &Path, split: &Split, preds: &[PredictionDoc]) -> Result<()> {
    let src = std::fs::read_to_string(baseline_path)
        .with_context(|| format!("reading baseline {}", baseline_path.display()))?;
    let baseline: Baseline = serde_json::from_str(&src)
        .with_context(|| format!("parsing baseline {}", baseline_path.display()))?;
    if baseline.split != split.name {
        bail!(
            "baseline {} is for split {:?} but this run scored {:?}: run with --split {}",
            baseline_path.display(),
            baseline.split,
            split.name,
            baseline.split.replace('+', " ")
        );
    }
    let mut failures = Vec::new();
    for (unit_name, subsets) in &baseline.attr_f1 {
        let unit: Unit = unit_name
            .parse()
            .map_err(|e: String| anyhow::anyhow!("baseline {}: {e}", baseline_path.display()))?;
        let report: Report = score(split, preds, unit);
        for (subset_name, &want) in subsets {
            let Some(subset) = Subset::ALL.into_iter().find(|s| s.name() == subset_name) else {
                bail!(
                    "baseline {}: unknown subset {subset_name:?}",
                    baseline_path.display()
                );
            };
            let got = report.subset(subset).attr.f;
            let ok = got >= want - GATE_TOLERANCE;
            eprintln!(
                "gate {unit}/{subset_name}: ATTR F1 {got:.4} (baseline {want:.4}) {}",
                if ok { "ok" } else { "REGRESSION" }
            );
            if !ok {
                failures.push(format!(
                    "{unit}/{subset_name} ATTR F1 {got:.4} < baseline {want:.4} - {GATE_TOLERANCE}"
                ));
            }
        }
    }
    if !failures.is_empty() {
        bail!("regression gate failed: {}", failures.join("; "));
    }
    Ok(())
}
