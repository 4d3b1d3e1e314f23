//! The corpus commands: `ingest`, `reindex`, `search`, `speakers`, `speaker`, `quote`,
//! `export`, and the hidden `gen-corpus` and `bench-search` used by docs/PERFORMANCE.md.
//! The store itself is the `onrecord-store` crate (docs/STORE.md).

use crate::extract::Status;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use onrecord_core::extraction::QuoteKind;
use onrecord_core::input::InputOptions;
use onrecord_core::{Document, Extraction};
use onrecord_store::{ExportFormat, Query, Store};
use rayon::prelude::*;
use std::collections::VecDeque;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

const DEFAULT_DB: &str = "onrecord.db";

#[derive(Subcommand, Debug)]
pub enum StoreCommand {
    /// Add articles to a corpus database (same inputs as extract; idempotent, resumable)
    Ingest(IngestArgs),
    /// Re-extract every stored article (after an upgrade of onrecord)
    Reindex(DbArgs),
    /// Search quotes in a corpus, best match first (BM25)
    Search(SearchArgs),
    /// List the most quoted speakers of a corpus
    Speakers(SpeakersArgs),
    /// One speaker's statements over time
    Speaker(SpeakerArgs),
    /// A quote and every article that reported it, first seen first
    Quote(QuoteArgs),
    /// Write every quote of a corpus as JSON Lines, CSV or Parquet
    Export(ExportArgs),
    /// Serve a corpus: a web page and a JSON API on localhost
    Serve(crate::serve::ServeArgs),
    /// Write a synthetic corpus of JSON Lines articles (for benchmarks)
    #[command(hide = true)]
    GenCorpus(GenCorpusArgs),
    /// Time searches over a corpus (for benchmarks)
    #[command(hide = true)]
    BenchSearch(BenchSearchArgs),
}

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// The corpus database
    #[arg(long, value_name = "FILE", default_value = DEFAULT_DB)]
    pub db: PathBuf,
}

const INGEST_EXAMPLES: &str = "\
Examples:
  onrecord ingest corpus/                    every article below corpus/ into ./onrecord.db
  onrecord ingest --db news.db feed.jsonl    JSON Lines records into news.db
  cat feed.jsonl | onrecord ingest -         from standard input
  onrecord ingest --name-meta polnear/text/  outlet and date from OUTLET_YYYY-MM-DD_slug names

An article already in the database (same outlet and text) is skipped, so an interrupted
ingest is resumed by running the same command again.";

#[derive(Args, Debug)]
#[command(after_help = INGEST_EXAMPLES)]
pub struct IngestArgs {
    /// Articles: files, directories (walked recursively), - for standard input; text, JSON,
    /// JSON Lines, HTML, WARC, gzip or zstd (as `extract` reads them)
    #[arg(value_name = "PATH", required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbArgs,
    /// The publication date of every article, overriding the input's
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<onrecord_core::Date>,
    /// Take a missing outlet and date from file names shaped OUTLET_YYYY-MM-DD_...
    #[arg(long)]
    pub name_meta: bool,
    /// Worker threads for extraction [default: one per core]
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Articles per transaction
    #[arg(long, value_name = "N", default_value_t = 256, hide = true)]
    pub batch: usize,
    /// Print nothing but errors
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Direct,
    Mixed,
    Indirect,
}

const SEARCH_EXAMPLES: &str = "\
Examples:
  onrecord search bridge closure
  onrecord search '\"we will not wait\"' --speaker Marsh
  onrecord search ceasefire --since 2022-03-01 --until 2022-03-31 --outlet Reuters
  onrecord search --speaker Zelensky --kind direct --format json

Words must all occur (common words like \"the\" are ignored unless alone); \"quoted
phrases\" must occur as written; word* matches a prefix. Without TEXT, the newest quotes
matching the filters are listed.";

#[derive(Args, Debug)]
#[command(after_help = SEARCH_EXAMPLES)]
pub struct SearchArgs {
    /// Words or "phrases" to find in quotes
    #[arg(value_name = "TEXT")]
    pub text: Vec<String>,
    #[command(flatten)]
    pub db: DbArgs,
    /// Only quotes by this speaker (any spelling the corpus merged, or #ID)
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Only articles dated on or after this day
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<String>,
    /// Only articles dated on or before this day
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<String>,
    /// Only articles from this outlet
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// Only quotes of this kind
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// At most this many results
    #[arg(short = 'n', long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct SpeakersArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// How many speakers
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct SpeakerArgs {
    /// A name (any merged spelling: "Zelensky", "the UN") or #ID
    #[arg(value_name = "NAME")]
    pub name: String,
    #[command(flatten)]
    pub db: DbArgs,
    /// At most this many statements
    #[arg(short = 'n', long, value_name = "N", default_value_t = 200)]
    pub limit: usize,
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct QuoteArgs {
    /// A quote id as search prints it (123 or q123), or a cluster id (c45)
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub db: DbArgs,
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    Jsonl,
    Csv,
    Parquet,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[arg(short, long, value_enum)]
    pub format: ExportFormatArg,
    /// Write here instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct GenCorpusArgs {
    /// About this many quotes (articles of 20 quotes each)
    #[arg(long, default_value_t = 1_000_000)]
    pub quotes: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args, Debug)]
pub struct BenchSearchArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Queries to time
    #[arg(long, default_value_t = 1000)]
    pub queries: usize,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Print the timings as JSON
    #[arg(long)]
    pub json: bool,
    /// Print each query slower than this many milliseconds
    #[arg(long, value_name = "MS")]
    pub show_slow: Option<f64>,
}

fn parse_date(s: &str) -> Result<onrecord_core::Date, String> {
    if s.len() != 10 {
        return Err("expected a date as YYYY-MM-DD, e.g. 2022-03-10".to_string());
    }
    onrecord_core::document::parse_iso_date(s)
        .ok_or_else(|| "expected a date as YYYY-MM-DD, e.g. 2022-03-10".to_string())
}

pub fn run(cmd: &StoreCommand) -> Result<Status> {
    match cmd {
        StoreCommand::Ingest(a) => ingest(a),
        StoreCommand::Reindex(a) => reindex(a).map(|()| Status::Ok),
        StoreCommand::Search(a) => search(a).map(|()| Status::Ok),
        StoreCommand::Speakers(a) => speakers(a).map(|()| Status::Ok),
        StoreCommand::Speaker(a) => speaker(a).map(|()| Status::Ok),
        StoreCommand::Quote(a) => quote(a).map(|()| Status::Ok),
        StoreCommand::Export(a) => export(a).map(|()| Status::Ok),
        StoreCommand::Serve(a) => crate::serve::run(a).map(|()| Status::Ok),
        StoreCommand::GenCorpus(a) => gen_corpus(a).map(|()| Status::Ok),
        StoreCommand::BenchSearch(a) => bench_search(a).map(|()| Status::Ok),
    }
}

/// Open a corpus that must exist (queries never create an empty one by mistake).
fn open_existing(db: &Path) -> Result<Store> {
    if !db.exists() {
        bail!(
            "{}: no such corpus database (create one with `onrecord ingest PATH --db {}`)",
            db.display(),
            db.display()
        );
    }
    Store::open_read_only(db).with_context(|| format!("{}", db.display()))
}

// ---------------------------------------------------------------------------------------
// ingest

fn ingest(args: &IngestArgs) -> Result<Status> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("starting worker threads")?;
    }
    let started = Instant::now();
    let mut store =
        Store::open(&args.db.db).with_context(|| format!("{}", args.db.db.display()))?;
    let pending = store.pending()?;
    if pending > 0 && !args.quiet {
        eprintln!(
            "onrecord: warning: {pending} stored articles wait for re-extraction (an interrupted \
             reindex): run `onrecord reindex --db {}`",
            args.db.db.display()
        );
    }
    let opts = onrecord_input::Options {
        input: InputOptions { date: args.date },
        ..Default::default()
    };
    let mut units = onrecord_input::units(args.inputs.clone(), &opts);
    let progress = !args.quiet && io::stderr().is_terminal();
    let (mut added, mut dups, mut quotes, mut skipped, mut failed) = (0usize, 0, 0, 0, false);
    loop {
        // A batch of units, decoded on the workers (reading files, extracting HTML text).
        let mut batch = Vec::new();
        let mut weight = 0u64;
        while batch.len() < args.batch.max(1) && weight < 32 << 20 {
            let Some(unit) = units.next() else { break };
            weight += unit.weight();
            batch.push(unit);
        }
        if batch.is_empty() {
            break;
        }
        let decoded: Vec<Vec<onrecord_input::InputItem>> =
            batch.into_par_iter().map(|u| u.decode(&opts)).collect();
        let mut docs = Vec::new();
        for item in decoded.into_iter().flatten() {
            match item {
                Ok(d) => {
                    let mut doc = d.document;
                    if args.name_meta {
                        meta_from_name(&mut doc);
                    }
                    docs.push(doc);
                }
                Err(skip) => match skip.outcome() {
                    onrecord_input::Outcome::Failed => {
                        failed = true;
                        eprintln!("onrecord: error: {skip}");
                    }
                    onrecord_input::Outcome::Warning if !args.quiet => {
                        eprintln!("onrecord: warning: {skip}");
                    }
                    onrecord_input::Outcome::Warning => {}
                    _ => skipped += 1,
                },
            }
        }
        // One transaction per `batch` documents (a file of JSON Lines holds many): a kill
        // loses at most the chunk being written, and the next run redoes it (the chunks
        // before are stored and skipped by their hash).
        let mut docs = docs.into_iter().peekable();
        while docs.peek().is_some() {
            let chunk: Vec<Document> = docs.by_ref().take(args.batch.max(1)).collect();
            // Skip what is stored before paying for extraction.
            let mut fresh = Vec::with_capacity(chunk.len());
            for doc in chunk {
                if store.contains(&doc)? {
                    dups += 1;
                } else {
                    fresh.push(doc);
                }
            }
            let extracted: Vec<(Document, Option<Extraction>)> = fresh
                .into_par_iter()
                .map(|doc| {
                    let x = extract_safely(&doc);
                    (doc, x)
                })
                .collect();
            let mut ok = Vec::with_capacity(extracted.len());
            for (doc, x) in extracted {
                match x {
                    Some(x) => ok.push((x, doc)),
                    None => {
                        failed = true;
                        eprintln!(
                            "onrecord: error: document {:?}: internal error during extraction",
                            doc.id
                        );
                    }
                }
            }
            let report = store.ingest_batch(ok.iter().map(|(x, d)| (x, d)))?;
            added += report.added;
            dups += report.duplicates;
            quotes += report.quotes;
        }
        if progress {
            eprint!("\ronrecord: {added} articles added, {dups} already stored ...");
        }
    }
    if progress {
        eprint!("\r\x1b[K");
    }
    if !args.quiet {
        let skipped = if skipped > 0 {
            format!(", {skipped} inputs skipped (not articles)")
        } else {
            String::new()
        };
        eprintln!(
            "onrecord: {added} articles added ({quotes} quotes), {dups} already stored{skipped}, \
             into {} in {:.1} s",
            args.db.db.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if failed {
        Status::InputErrors
    } else {
        Status::Ok
    })
}

/// Extract one document; a bug in a pipeline stage fails this document, not the run.
fn extract_safely(doc: &Document) -> Option<Extraction> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| onrecord_core::extract(doc))).ok()
}

/// `OUTLET_YYYY-MM-DD_slug` (PolNeAR's file names): fill in what the input left out.
fn meta_from_name(doc: &mut Document) {
    let mut parts = doc.id.splitn(3, '_');
    let (Some(outlet), Some(date)) = (parts.next(), parts.next()) else {
        return;
    };
    let Some(date) = onrecord_core::document::parse_iso_date(date).filter(|_| date.len() == 10)
    else {
        return;
    };
    if outlet.is_empty() || !outlet.chars().all(|c| c.is_alphanumeric() || c == '-') {
        return;
    }
    if doc.outlet.is_none() {
        doc.outlet = Some(outlet.to_string());
    }
    if doc.date.is_none() {
        doc.date = Some(date);
    }
}

// ---------------------------------------------------------------------------------------
// reindex

fn reindex(args: &DbArgs) -> Result<()> {
    if !args.db.exists() {
        bail!("{}: no such corpus database", args.db.display());
    }
    let started = Instant::now();
    let mut store = Store::open(&args.db).with_context(|| format!("{}", args.db.display()))?;
    let tty = io::stderr().is_terminal();
    let report = store.reindex_with(
        256,
        |docs| docs.par_iter().map(extract_safely).collect(),
        |done, total| {
            if tty {
                eprint!("\ronrecord: re-extracted {done}/{total} articles ...");
            }
        },
    )?;
    if tty {
        eprint!("\r\x1b[K");
    }
    eprintln!(
        "onrecord: re-extracted {} articles ({} quotes{}{}) in {:.1} s",
        report.articles,
        report.quotes,
        if report.failed > 0 {
            format!(", {} failed", report.failed)
        } else {
            String::new()
        },
        if report.resumed {
            ", resuming an interrupted run"
        } else {
            ""
        },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// queries

fn out() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

/// Write, treating a closed pipe (`| head`) as the end of the output.
fn finish(r: io::Result<()>) -> Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("writing output"),
    }
}

fn json_out(value: &impl serde::Serialize) -> Result<()> {
    let mut o = out();
    finish((|| {
        serde_json::to_writer_pretty(&mut o, value)?;
        writeln!(o)?;
        o.flush()
    })())
}

/// Text cut to `n` characters with an ellipsis, on one line.
fn clip(s: &str, n: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= n {
        return flat;
    }
    let mut t: String = flat.chars().take(n.saturating_sub(1)).collect();
    t.push('…');
    t
}

fn search(args: &SearchArgs) -> Result<()> {
    let store = open_existing(&args.db.db)?;
    let q = Query {
        text: args.text.join(" "),
        speaker: args.speaker.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
        outlet: args.outlet.clone(),
        kind: args.kind.map(|k| match k {
            KindArg::Direct => QuoteKind::Direct,
            KindArg::Mixed => QuoteKind::Mixed,
            KindArg::Indirect => QuoteKind::Indirect,
        }),
        limit: Some(args.limit),
        offset: None,
    };
    let hits = store.search(&q)?;
    if args.format == Format::Json {
        return json_out(&hits);
    }
    if hits.is_empty() {
        eprintln!("onrecord: no quotes match");
        return Ok(());
    }
    let mut o = out();
    finish((|| {
        for h in &hits {
            let speaker = h.speaker.as_ref().map_or("(unknown speaker)", |s| &s.name);
            let repeated = if h.cluster_size > 1 {
                format!(
                    ", reported {} times: onrecord quote c{}",
                    h.cluster_size, h.cluster
                )
            } else {
                String::new()
            };
            writeln!(
                o,
                "q{}  {}  {}  {} ({}{})",
                h.quote,
                h.date.as_deref().unwrap_or("----------"),
                h.outlet.as_deref().unwrap_or("-"),
                speaker,
                h.kind,
                repeated
            )?;
            writeln!(o, "    \"{}\"", clip(&h.content, 300))?;
        }
        o.flush()
    })())
}

fn speakers(args: &SpeakersArgs) -> Result<()> {
    let store = open_existing(&args.db.db)?;
    let list = store.speakers(args.top)?;
    if args.format == Format::Json {
        return json_out(&list);
    }
    let mut o = out();
    finish((|| {
        writeln!(
            o,
            "{:>6}  {:<32}  {:<12}  {:>6}  {:>8}  first       last",
            "id", "speaker", "kind", "quotes", "articles"
        )?;
        for s in &list {
            writeln!(
                o,
                "{:>6}  {:<32}  {:<12}  {:>6}  {:>8}  {:<10}  {}",
                format!("#{}", s.id),
                clip(&s.name, 32),
                s.kind,
                s.quotes,
                s.articles,
                s.first.as_deref().unwrap_or("-"),
                s.last.as_deref().unwrap_or("-")
            )?;
        }
        o.flush()
    })())
}

fn speaker(args: &SpeakerArgs) -> Result<()> {
    let store = open_existing(&args.db.db)?;
    let found = store.find_speakers(&args.name)?;
    let chosen = match found.as_slice() {
        [] => bail!(
            "no speaker matches {:?} (see `onrecord speakers`)",
            args.name
        ),
        [one] => one.id,
        many => {
            // Several people answer to this name: never pick one silently.
            let mut msg = format!(
                "{:?} names {} speakers; pick one by id:",
                args.name,
                many.len()
            );
            for s in many.iter().take(20) {
                msg.push_str(&format!(
                    "\n  onrecord speaker '#{}'   {} ({}, {} quotes)",
                    s.id, s.name, s.kind, s.quotes
                ));
            }
            bail!("{msg}");
        }
    };
    let Some(d) = store.speaker(chosen, args.limit)? else {
        bail!("no speaker #{chosen}");
    };
    if args.format == Format::Json {
        return json_out(&d);
    }
    let mut o = out();
    finish((|| {
        let s = &d.speaker;
        writeln!(o, "#{} {} ({})", s.id, s.name, s.kind)?;
        writeln!(
            o,
            "{} quotes in {} articles, {} to {}",
            s.quotes,
            s.articles,
            s.first.as_deref().unwrap_or("?"),
            s.last.as_deref().unwrap_or("?")
        )?;
        if d.names.len() > 1 {
            writeln!(o, "also named: {}", d.names.join("; "))?;
        }
        if !d.months.is_empty() {
            let max = d.months.iter().map(|m| m.1).max().unwrap_or(1).max(1);
            writeln!(o)?;
            for (month, n) in &d.months {
                let bar = "█".repeat(((n * 40 + max - 1) / max) as usize);
                writeln!(o, "{month}  {bar} {n}")?;
            }
        }
        writeln!(o)?;
        for t in &d.timeline {
            writeln!(
                o,
                "{}  {}  q{} ({}): \"{}\"",
                t.date.as_deref().unwrap_or("----------"),
                t.outlet.as_deref().unwrap_or("-"),
                t.quote,
                t.kind,
                clip(&t.content, 200)
            )?;
        }
        o.flush()
    })())
}

fn quote(args: &QuoteArgs) -> Result<()> {
    let store = open_existing(&args.db.db)?;
    let id = args.id.trim();
    let parse = |s: &str| {
        s.parse::<i64>().with_context(|| {
            format!(
                "{:?} is not a quote id (123, q123) or cluster id (c45)",
                args.id
            )
        })
    };
    let cluster = if let Some(c) = id.strip_prefix('c') {
        store.cluster(parse(c)?)?
    } else {
        store.cluster_of_quote(parse(id.strip_prefix('q').unwrap_or(id))?)?
    };
    let Some(c) = cluster else {
        bail!("no quote {id}");
    };
    if args.format == Format::Json {
        return json_out(&c);
    }
    let mut o = out();
    finish((|| {
        writeln!(o, "c{}: \"{}\"", c.id, clip(&c.text, 400))?;
        writeln!(
            o,
            "reported {} time{} by {}",
            c.size,
            if c.size == 1 { "" } else { "s" },
            if c.outlets.is_empty() {
                "unknown outlets".to_string()
            } else {
                c.outlets.join(", ")
            }
        )?;
        if let Some(f) = &c.first_seen {
            writeln!(
                o,
                "first seen {} in {} ({})",
                f.date.as_deref().unwrap_or("(undated)"),
                f.outlet.as_deref().unwrap_or("-"),
                f.title.as_deref().unwrap_or("untitled")
            )?;
        }
        writeln!(o)?;
        for x in &c.occurrences {
            writeln!(
                o,
                "q{}  {}  {}  {}: \"{}\"",
                x.quote,
                x.date.as_deref().unwrap_or("----------"),
                x.outlet.as_deref().unwrap_or("-"),
                x.speaker.as_ref().map_or("(unknown speaker)", |s| &s.name),
                clip(&x.content, 200)
            )?;
        }
        o.flush()
    })())
}

fn export(args: &ExportArgs) -> Result<()> {
    let store = open_existing(&args.db.db)?;
    let format = match args.format {
        ExportFormatArg::Jsonl => ExportFormat::Jsonl,
        ExportFormatArg::Csv => ExportFormat::Csv,
        ExportFormatArg::Parquet => ExportFormat::Parquet,
    };
    let n = match &args.output {
        Some(path) => {
            let f = fs::File::create(path).with_context(|| format!("{}", path.display()))?;
            store.export(format, f)?
        }
        None => {
            if format == ExportFormat::Parquet && io::stdout().is_terminal() {
                bail!("Parquet is binary: give --output FILE or redirect standard output");
            }
            match store.export(format, io::stdout().lock()) {
                Err(onrecord_store::Error::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
                    return Ok(())
                }
                r => r?,
            }
        }
    };
    eprintln!("onrecord: exported {n} quotes");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// benchmarks

/// A small deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// Zipf-like rank in 0..n: small ranks far more often.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64 + 1.0).powf(u) - 1.0) as usize).min(n - 1)
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ran", "te", "vo", "su", "den", "pa", "ri", "gel", "no", "fa", "tur", "bi",
    "es", "mon", "ha", "ul", "zer", "qua", "ni", "dor", "sa", "vel", "im", "cor", "ta", "pen",
    "wa", "lis", "o", "ber", "ga", "thi", "ro",
];
const COMMON: &[&str] = &[
    "the", "we", "will", "not", "and", "is", "a", "to", "of", "this", "that", "our", "they",
    "have", "it", "for", "in", "be", "are", "all",
];

fn pseudo_word(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Synthetic articles (JSON Lines on stdout): 20 quotes each, from a Zipf vocabulary of
/// 60,000 made-up words, 20,000 speakers and 40 outlets over ten years; one quote in
/// twenty repeats an earlier one, whole or in part, so that clusters form.
fn gen_corpus(args: &GenCorpusArgs) -> Result<()> {
    let mut rng = Rng::new(args.seed);
    let vocab: Vec<String> = (0..60_000)
        .map(|i| {
            let n = 2 + (i % 3);
            pseudo_word(&mut rng, n)
        })
        .collect();
    let people: Vec<String> = (0..20_000)
        .map(|_| {
            format!(
                "{} {}",
                capitalized(&pseudo_word(&mut rng, 2)),
                capitalized(&pseudo_word(&mut rng, 3))
            )
        })
        .collect();
    let outlets: Vec<String> = (0..40)
        .map(|_| format!("The {} Times", capitalized(&pseudo_word(&mut rng, 3))))
        .collect();
    let mut recent: VecDeque<String> = VecDeque::new();
    let per_article = 20;
    let articles = args.quotes.div_ceil(per_article);
    let mut o = out();
    finish((|| {
        for a in 0..articles {
            let date = format!(
                "{}-{:02}-{:02}",
                2015 + rng.below(10),
                1 + rng.below(12),
                1 + rng.below(28)
            );
            let mut text = format!(
                "Council {} debates {}\n\n",
                capitalized(&vocab[rng.zipf(5000)]),
                vocab[rng.zipf(5000)]
            );
            for _ in 0..per_article {
                let sentence = if !recent.is_empty() && rng.below(20) == 0 {
                    let old = &recent[rng.below(recent.len())];
                    let words: Vec<&str> = old.split(' ').collect();
                    if words.len() > 10 && rng.below(2) == 0 {
                        words[2..words.len() - 1].join(" ")
                    } else {
                        old.clone()
                    }
                } else {
                    let n = 8 + rng.below(18);
                    let words: Vec<&str> = (0..n)
                        .map(|_| {
                            if rng.below(3) == 0 {
                                COMMON[rng.below(COMMON.len())]
                            } else {
                                vocab[rng.zipf(vocab.len())].as_str()
                            }
                        })
                        .collect();
                    let s = capitalized(&words.join(" "));
                    if recent.len() >= 5000 {
                        recent.pop_front();
                    }
                    recent.push_back(s.clone());
                    s
                };
                let who = &people[rng.zipf(people.len())];
                if rng.below(4) == 0 {
                    text.push_str(&format!("{who} said that {}.\n\n", sentence.to_lowercase()));
                } else {
                    text.push_str(&format!("\"{sentence},\" said {who}.\n\n"));
                }
            }
            let rec = serde_json::json!({
                "id": format!("synth-{a}"),
                "date": date,
                "outlet": outlets[rng.zipf(outlets.len())],
                "text": text,
            });
            serde_json::to_writer(&mut o, &rec)?;
            o.write_all(b"\n")?;
        }
        o.flush()
    })())
}

/// Time `--queries` searches built from the corpus's own quotes: one or two rare-ish words
/// (60%), a three-word phrase (20%), a word with a speaker (10%) or a date range (10%).
fn bench_search(args: &BenchSearchArgs) -> Result<()> {
    let store = open_existing(&args.db.db)?;
    let max_id: i64 =
        store
            .connection()
            .query_row("SELECT coalesce(max(id), 0) FROM quotes", [], |r| r.get(0))?;
    if max_id == 0 {
        bail!("the corpus has no quotes");
    }
    let mut rng = Rng::new(args.seed);
    let mut queries = Vec::with_capacity(args.queries);
    while queries.len() < args.queries {
        let id = 1 + rng.below(max_id as usize) as i64;
        let row: Option<(String, Option<String>, Option<String>)> = store
            .connection()
            .query_row(
                "SELECT q.content, e.name, a.date FROM quotes q JOIN articles a ON a.id = q.article_id
                 LEFT JOIN entities e ON e.id = q.entity_id WHERE q.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .ok();
        let Some((content, speaker, date)) = row else {
            continue;
        };
        let words: Vec<String> = content
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 3)
            .map(str::to_lowercase)
            .collect();
        if words.len() < 3 {
            continue;
        }
        let pick = rng.below(10);
        let i = rng.below(words.len());
        let mut q = Query::text(words[i].clone());
        match pick {
            0..=3 => {}
            4..=5 => q.text = format!("{} {}", words[i], words[rng.below(words.len())]),
            6..=7 => {
                let all: Vec<&str> = content.split_whitespace().collect();
                if all.len() >= 3 {
                    let s = rng.below(all.len() - 2);
                    q.text = format!("\"{}\"", all[s..s + 3].join(" "));
                }
            }
            8 => q.speaker = speaker,
            _ => {
                if let Some(d) = date {
                    q.since = Some(format!("{}-01-01", &d[..4]));
                    q.until = Some(format!("{}-12-31", &d[..4]));
                }
            }
        }
        queries.push(q);
    }
    // Warm the page cache as a running server would be.
    for q in queries.iter().take(50) {
        store.search(q)?;
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut total_hits = 0usize;
    for q in &queries {
        let t = Instant::now();
        total_hits += store.search(q)?.len();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if args.show_slow.is_some_and(|slow| ms > slow) {
            eprintln!("{ms:.1} ms: {q:?}");
        }
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    let stats = store.stats()?;
    let report = serde_json::json!({
        "db": args.db.db.display().to_string(),
        "quotes": stats.quotes,
        "articles": stats.articles,
        "queries": times.len(),
        "mean_hits": total_hits as f64 / times.len() as f64,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": times[times.len() - 1],
    });
    if args.json {
        return json_out(&report);
    }
    println!(
        "{} queries over {} quotes: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms \
         ({:.1} hits each on average)",
        times.len(),
        stats.quotes,
        pct(0.5),
        pct(0.95),
        pct(0.99),
        times[times.len() - 1],
        total_hits as f64 / times.len() as f64
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_outlet_and_date() {
        let mut d = Document::from_text("breitbart_2016-09-12_stealth-over-health", "x");
        meta_from_name(&mut d);
        assert_eq!(d.outlet.as_deref(), Some("breitbart"));
        assert_eq!(d.date.map(|d| d.to_string()).as_deref(), Some("2016-09-12"));
        let mut d = Document::from_text("notes_about_things", "x");
        meta_from_name(&mut d);
        assert_eq!((d.outlet, d.date), (None, None));
        let mut d = Document::from_text("cnn_2016-10-01_x", "x");
        d.outlet = Some("CNN".into());
        meta_from_name(&mut d);
        assert_eq!(d.outlet.as_deref(), Some("CNN"));
    }

    #[test]
    fn clipping_keeps_one_line() {
        assert_eq!(clip("a\nb", 10), "a b");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
