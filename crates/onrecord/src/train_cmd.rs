//! `onrecord train`: train the part-of-speech and named-entity models on PolNeAR's CoreNLP
//! silver layers, write them to `models/`, and report their scores on the dev split.
//!
//! Reads `{train,dev}/corenlp-silver.tar.xz` (`conll/NAME.conllu`) and takes every token as
//! written from `{train,dev}/text/NAME.txt` by its code-point offsets.

use anyhow::{anyhow, bail, Context, Result};
use onrecord_core::tagger::eval::{self, Accuracy, Prf};
use onrecord_core::tagger::train::{self, Config, EpochReport, Sentence};
use onrecord_core::tagger::{EntityClass, NerTagger, Pos, PosTagger};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Which model to train.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// The part-of-speech model (models/pos.bin)
    Pos,
    /// The named-entity model (models/ner.bin)
    Ner,
    /// Both taggers, part of speech first
    All,
    /// The attribution judge (models/judge.bin), trained on the human annotations of
    /// train with the taggers built into this binary
    Judge,
    /// Train nothing: score the models built into this binary on dev and time them
    Check,
}

#[derive(clap::Args, Debug, Clone)]
pub struct TrainArgs {
    /// Which model to train
    #[arg(value_enum)]
    pub target: Target,
    /// The PolNeAR directory (with train/ and dev/)
    #[arg(long, default_value = "../shared/data/polnear")]
    pub data: PathBuf,
    /// Directory the model files are written to
    #[arg(long, default_value = "models")]
    pub out: PathBuf,
    /// Training epochs (default: 8 for pos, 10 for ner, 10 for judge)
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Drop averaged weights smaller than this (default: 1.0 for pos, 2.0 for ner)
    #[arg(long)]
    pub prune: Option<f32>,
    /// Parts the named-entity trainer splits train into to get part-of-speech tags from
    /// models that did not see the sentence, as noisy as at run time (0: silver tags)
    #[arg(long, default_value_t = 0)]
    pub pos_folds: usize,
    /// The judge's shuffling seed (default: the one the shipped judge was trained with);
    /// another seed shows how much the dev scores owe to the order of the examples
    #[arg(long)]
    pub seed: Option<u64>,
}

pub fn run(args: &TrainArgs) -> Result<()> {
    if args.target == Target::Judge {
        return crate::train_judge::run(&args.data, &args.out, args.epochs, args.seed);
    }
    let t0 = Instant::now();
    let dev = load_split(&args.data, "dev")?;
    if args.target == Target::Check {
        return check(&dev);
    }
    let train = load_split(&args.data, "train")?;
    eprintln!(
        "read {} train and {} dev sentences ({} and {} tokens) in {:.1}s",
        train.len(),
        dev.len(),
        tokens(&train),
        tokens(&dev),
        t0.elapsed().as_secs_f64()
    );
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let pos_path = args.out.join("pos.bin");
    if matches!(args.target, Target::Pos | Target::All) {
        let mut cfg = Config::pos();
        cfg.epochs = args.epochs.unwrap_or(cfg.epochs);
        cfg.prune = args.prune.unwrap_or(cfg.prune);
        let t = Instant::now();
        let bytes = train::train_pos(&train, &cfg, &mut log_epoch("pos"));
        write(&pos_path, &bytes)?;
        let tagger = PosTagger::from_bytes(&bytes)?;
        let acc = eval::pos_accuracy(&tagger, &dev);
        eprintln!("pos: trained in {:.1}s", t.elapsed().as_secs_f64());
        println!("{}", pos_line(&pos_path, bytes.len(), acc));
    }
    if matches!(args.target, Target::Ner | Target::All) {
        // score with the part-of-speech model that will ship beside this one
        let loaded;
        let pos_tagger = match std::fs::read(&pos_path) {
            Ok(bytes) => {
                loaded = PosTagger::from_bytes(&bytes)
                    .with_context(|| format!("cannot load {}", pos_path.display()))?;
                &loaded
            }
            Err(_) => {
                eprintln!(
                    "ner: no {}, scoring with the built-in one",
                    pos_path.display()
                );
                PosTagger::try_builtin()?
            }
        };
        let mut cfg = Config::ner();
        cfg.epochs = args.epochs.unwrap_or(cfg.epochs);
        cfg.prune = args.prune.unwrap_or(cfg.prune);
        let t = Instant::now();
        let mut input = train.clone();
        if args.pos_folds > 0 {
            let tags = train::jackknife_pos(&train, args.pos_folds, &Config::pos(), &mut |f, r| {
                eprintln!(
                    "ner: pos fold {}/{}: {}",
                    f + 1,
                    args.pos_folds,
                    epoch_line(r)
                )
            });
            for (s, t) in input.iter_mut().zip(tags) {
                s.pos = t;
            }
        }
        let bytes = train::train_ner(&input, &cfg, &mut log_epoch("ner"));
        let ner_path = args.out.join("ner.bin");
        write(&ner_path, &bytes)?;
        let tagger = NerTagger::from_bytes(&bytes)?;
        let (all, per) = eval::ner_scores(pos_tagger, &tagger, &dev);
        eprintln!("ner: trained in {:.1}s", t.elapsed().as_secs_f64());
        println!("{}", ner_line(&ner_path, bytes.len(), all, &per));
    }
    Ok(())
}

/// Score the built-in models on dev and measure their speed.
fn check(dev: &[Sentence]) -> Result<()> {
    let t = Instant::now();
    let pos = PosTagger::try_builtin()?;
    let ner = NerTagger::try_builtin()?;
    eprintln!(
        "loaded the built-in models in {:.3}s",
        t.elapsed().as_secs_f64()
    );
    println!(
        "{}",
        pos_line(Path::new("built-in pos"), 0, eval::pos_accuracy(pos, dev))
    );
    let (all, per) = eval::ner_scores(pos, ner, dev);
    println!("{}", ner_line(Path::new("built-in ner"), 0, all, &per));
    let (pos_rate, ner_rate) = speed(pos, ner, dev);
    println!(
        "speed (one core): pos {:.2}M tokens/s, ner {:.2}M tokens/s, both {:.2}M tokens/s",
        pos_rate / 1e6,
        ner_rate / 1e6,
        1.0 / (1.0 / pos_rate + 1.0 / ner_rate) / 1e6
    );
    Ok(())
}

/// Tokens per CPU-second of each tagger over the sentences, repeated for at least a second.
pub fn speed(pos: &PosTagger, ner: &NerTagger, sents: &[Sentence]) -> (f64, f64) {
    let words: Vec<Vec<&str>> = sents.iter().map(|s| s.word_refs()).collect();
    let n = tokens(sents).max(1);
    let mut tags: Vec<Vec<Pos>> = vec![Vec::new(); words.len()];
    let mut out = Vec::new();
    let time = |f: &mut dyn FnMut()| {
        let (t, cpu) = (Instant::now(), cpu_seconds());
        let mut rounds = 0usize;
        while rounds == 0 || t.elapsed().as_secs_f64() < 1.0 {
            f();
            rounds += 1;
        }
        let secs = match (cpu, cpu_seconds()) {
            (Some(a), Some(b)) if b > a => b - a,
            _ => t.elapsed().as_secs_f64(),
        };
        (rounds * n) as f64 / secs
    };
    let pos_rate = time(&mut || {
        for (w, t) in words.iter().zip(tags.iter_mut()) {
            pos.tag(w, t);
        }
    });
    let ner_rate = time(&mut || {
        for (w, t) in words.iter().zip(&tags) {
            ner.tag(w, t, &mut out);
        }
    });
    (pos_rate, ner_rate)
}

/// CPU time of this thread, where Linux tells it: other processes on a shared machine
/// would distort wall-clock rates.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn tokens(sents: &[Sentence]) -> usize {
    sents.iter().map(|s| s.words.len()).sum()
}

fn log_epoch(name: &'static str) -> impl FnMut(&EpochReport) {
    move |r| eprintln!("{name}: {}", epoch_line(r))
}

fn epoch_line(r: &EpochReport) -> String {
    format!(
        "epoch {}/{}: {:.2}% of train tokens right",
        r.epoch,
        r.epochs,
        100.0 * r.train_accuracy
    )
}

fn pos_line(path: &Path, size: usize, acc: Accuracy) -> String {
    format!(
        "{}: {}dev token accuracy {:.2}% ({} of {})",
        path.display(),
        size_note(size),
        100.0 * acc.value(),
        acc.right,
        acc.total
    )
}

fn ner_line(path: &Path, size: usize, all: Prf, per: &[Prf; 4]) -> String {
    let classes: Vec<String> = EntityClass::ALL
        .iter()
        .map(|c| format!("{} {:.1}", c.short(), 100.0 * per[c.index()].f1()))
        .collect();
    format!(
        "{}: {}dev entity P {:.2}% R {:.2}% F1 {:.2}% ({} entities; {})",
        path.display(),
        size_note(size),
        100.0 * all.precision(),
        100.0 * all.recall(),
        100.0 * all.f1(),
        all.expected,
        classes.join(", ")
    )
}

fn size_note(size: usize) -> String {
    if size == 0 {
        String::new()
    } else {
        format!("{} bytes, ", size)
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Read one split's silver sentences: every `conll/NAME.conllu` in
/// `SPLIT/corenlp-silver.tar.xz`, with tokens as written in `SPLIT/text/NAME.txt`.
pub fn load_split(data: &Path, split: &str) -> Result<Vec<Sentence>> {
    let dir = data.join(split);
    let xz_path = dir.join("corenlp-silver.tar.xz");
    let xz = std::fs::read(&xz_path).with_context(|| {
        format!(
            "cannot read {} (is --data the PolNeAR directory?)",
            xz_path.display()
        )
    })?;
    let mut tar_bytes = Vec::new();
    lzma_rs::xz_decompress(&mut &xz[..], &mut tar_bytes)
        .map_err(|e| anyhow!("cannot decompress {}: {e:?}", xz_path.display()))?;
    let mut docs = Vec::new();
    let mut archive = tar::Archive::new(&tar_bytes[..]);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.into_owned();
        if path.extension().and_then(|e| e.to_str()) != Some("conllu") {
            continue;
        }
        let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        let mut conllu = String::new();
        entry
            .read_to_string(&mut conllu)
            .with_context(|| format!("{}: {}", xz_path.display(), path.display()))?;
        docs.push((name, conllu));
    }
    // archive order is the packer's; sort so training sees the same order everywhere
    docs.sort();
    let mut sents = Vec::new();
    for (name, conllu) in &docs {
        let text_path = dir.join("text").join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&text_path)
            .with_context(|| format!("cannot read {}", text_path.display()))?;
        parse_conllu(conllu, &text, &mut sents)
            .with_context(|| format!("{split}/conll/{name}.conllu"))?;
    }
    if sents.is_empty() {
        bail!("no sentences in {}", xz_path.display());
    }
    Ok(sents)
}

/// Parse CoreNLP CoNLL-U into sentences, taking each token's text from `text` by the
/// code-point offsets in its MISC column.
pub fn parse_conllu(conllu: &str, text: &str, out: &mut Vec<Sentence>) -> Result<()> {
    let bytes_at: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut sent = Sentence::default();
    for (n, line) in conllu.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !sent.words.is_empty() {
                out.push(std::mem::take(&mut sent));
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            bail!("line {}: {} columns, expected 10", n + 1, cols.len());
        }
        let pos = Pos::from_penn(cols[4])
            .ok_or_else(|| anyhow!("line {}: unknown tag {:?}", n + 1, cols[4]))?;
        let (mut ner, mut start, mut end) = (None, None, None);
        for field in cols[9].split('|') {
            if let Some(v) = field.strip_prefix("NER=") {
                ner = EntityClass::parse(v);
            } else if let Some(v) = field.strip_prefix("Start=") {
                start = v.parse::<usize>().ok();
            } else if let Some(v) = field.strip_prefix("End=") {
                end = v.parse::<usize>().ok();
            }
        }
        let word = match (start, end) {
            (Some(s), Some(e)) if s < e && e < bytes_at.len() => &text[bytes_at[s]..bytes_at[e]],
            _ => bail!("line {}: no valid Start/End offsets", n + 1),
        };
        sent.words.push(word.to_string());
        sent.pos.push(pos);
        sent.ner.push(ner);
    }
    if !sent.words.is_empty() {
        out.push(sent);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PolNeAR next to the workspace (../shared/data/polnear) or at $POLNEAR_DIR, if there.
    fn polnear() -> Option<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dir = std::env::var_os("POLNEAR_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/data/polnear"));
        dir.join("dev/corenlp-silver.tar.xz")
            .exists()
            .then_some(dir)
    }

    #[test]
    fn parses_conllu_with_offsets_into_the_text() {
        let text = "“Yes,” Ms. Ávila said.";
        let conllu = "# sent_id = 1\n\
            1\t``\t_\t_\t``\t_\t5\tpunct\t_\tNER=O|Start=0|End=1\n\
            2\tYes\t_\t_\tUH\t_\t5\tdiscourse\t_\tNER=O|Start=1|End=4\n\
            3\t,\t_\t_\t,\t_\t5\tpunct\t_\tNER=O|Start=4|End=5\n\
            4\t''\t_\t_\t''\t_\t5\tpunct\t_\tNER=O|Start=5|End=6\n\
            5\tMs.\t_\t_\tNNP\t_\t6\tcompound\t_\tNER=O|Start=7|End=10\n\
            6\tÁvila\t_\t_\tNNP\t_\t7\tnsubj\t_\tNER=PERSON|Start=11|End=16\n\
            7\tsaid\t_\t_\tVBD\t_\t0\troot\t_\tNER=O|Start=17|End=21\n\
            8\t.\t_\t_\t.\t_\t7\tpunct\t_\tNER=O|Start=21|End=22\n\n";
        let mut sents = Vec::new();
        parse_conllu(conllu, text, &mut sents).unwrap();
        assert_eq!(sents.len(), 1);
        let s = &sents[0];
        assert_eq!(s.words, ["“", "Yes", ",", "”", "Ms.", "Ávila", "said", "."]);
        assert_eq!(s.pos[0], Pos::OpenQuote);
        assert_eq!(s.ner[5], Some(EntityClass::Person));
        assert_eq!(s.ner[4], None);
    }

    #[test]
    fn bad_conllu_is_an_error() {
        let mut sents = Vec::new();
        assert!(parse_conllu("1\tx\t_\t_\tNN\n", "x", &mut sents).is_err());
        let bad_tag = "1\tx\t_\t_\tXX\t_\t0\troot\t_\tNER=O|Start=0|End=1\n";
        assert!(parse_conllu(bad_tag, "x", &mut sents).is_err());
        let bad_offsets = "1\tx\t_\t_\tNN\t_\t0\troot\t_\tNER=O|Start=0|End=9\n";
        assert!(parse_conllu(bad_offsets, "x", &mut sents).is_err());
    }

    /// The shipped models reach their targets on the silver dev layer.
    #[test]
    fn shipped_models_reach_their_dev_targets() {
        let Some(data) = polnear() else {
            eprintln!("skipped: no PolNeAR data at ../shared/data/polnear");
            return;
        };
        let dev = load_split(&data, "dev").unwrap();
        let pos = PosTagger::builtin();
        let acc = eval::pos_accuracy(pos, &dev);
        eprintln!("dev pos accuracy {:.2}%", 100.0 * acc.value());
        assert!(acc.value() >= 0.96, "pos accuracy {:.4}", acc.value());
        let (all, _) = eval::ner_scores(pos, NerTagger::builtin(), &dev);
        eprintln!("dev ner F1 {:.2}%", 100.0 * all.f1());
        assert!(all.f1() >= 0.85, "ner F1 {:.4}", all.f1());
    }

    /// Tagging speed over dev: `cargo test --release -p onrecord -- --ignored --nocapture speed`.
    #[test]
    #[ignore]
    fn speed_on_dev() {
        let Some(data) = polnear() else {
            eprintln!("skipped: no PolNeAR data at ../shared/data/polnear");
            return;
        };
        let dev = load_split(&data, "dev").unwrap();
        let (p, n) = speed(PosTagger::builtin(), NerTagger::builtin(), &dev);
        eprintln!("pos {:.2}M tokens/s, ner {:.2}M tokens/s", p / 1e6, n / 1e6);
    }
}
