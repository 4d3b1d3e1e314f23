//! `onrecord extract`: inputs in, one `onrecord/1` result per document out.
//!
//! Three stages run at once, so reading and decompressing overlap with extraction:
//!
//! * a producer thread turns the inputs into units (`onrecord_input::units`: small files,
//!   HTML pages, decoded records), reading archives and compressed files record by record;
//! * the rayon pool decodes each unit (reads the file, extracts the page's main text) and
//!   runs the pipeline over its documents;
//! * this thread prints results, in input order unless `--unordered`.
//!
//! A window bounds the work in flight (units and bytes taken by the producer but not yet
//! printed), so memory stays bounded however large the input and however slow one
//! document is. Messages, the progress bar and the summary go to stderr.

use crate::progress::{Progress, Summary};
use crate::table::{self, TableStyle};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use onrecord_core::input::InputOptions;
use onrecord_core::{Date, Extraction};
use onrecord_input::{self as input, InputItem, Outcome, Reason, Skip, Unit};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{mpsc, Arc, Condvar, Mutex};

const EXAMPLES: &str = "\
Examples:
  onrecord extract story.txt
  onrecord extract --date 2022-03-10 story.txt
  onrecord extract a.txt b.txt c.jsonl > results.jsonl
  onrecord extract page.html                       main text of a saved web page
  onrecord extract CC-NEWS-20240101.warc.gz > out.jsonl
  onrecord extract --text-field maintext --date-field date_publish dump.jsonl.zst
  onrecord extract corpus/ | jq -c '.quotes[] | [.speaker.name, .content.text]'
  curl -s https://example.org/feed.jsonl | onrecord extract -
  onrecord extract -f table story.txt | less -R

Inputs (recognised from their content; see docs/INPUTS.md):
  plain text   UTF-8; the first line is the title when it looks like a headline
  dated text   a first line ' date YYYY-MM-DD summary', a blank line, the title, the body
  JSON Lines   one object per line: text (required), id, date, title, url, outlet;
               other fields are kept; a broken line is reported and skipped
  JSON         one such object, or an array of them
  HTML         a web page: its main text, title, date, outlet, canonical URL, author
  WARC, WET    web archives (Common Crawl): HTML responses and text conversions
  .gz, .zst    any of these compressed (WARC.gz with one gzip member per record too)
Directories are walked recursively for .txt .text .json .jsonl .ndjson .html .htm
.warc .wet (also .gz/.zst) and extensionless files.

Output: for HTML and web archives the extracted text, which every offset refers to, is
in the result's \"text\" field.

Exit status: 0 on success, 2 when an input could not be read (or ended early: a
truncated archive); the others are still processed; 1 on any other failure.";

/// Work in flight at most: units taken from the inputs but not yet printed.
const WINDOW_UNITS: usize = 1024;
const WINDOW_BYTES: u64 = 64 << 20;

#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct ExtractArgs {
    /// Articles to read: files (text, JSON, JSON Lines, HTML, WARC, WET, gzip or zstd
    /// compressed), directories (walked recursively), or - for standard input
    #[arg(value_name = "FILE", required = true)]
    pub inputs: Vec<PathBuf>,

    /// Output format [default: json for a single document, jsonl for several]
    #[arg(short, long, value_enum)]
    pub format: Option<OutputFormat>,

    /// The publication date of every document, overriding the input's; relative dates
    /// ("on Wednesday") are resolved against it
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,

    /// When to colour the table format (NO_COLOR is honoured in auto)
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Worker threads [default: one per core]
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Print results in input order (the default)
    #[arg(long, overrides_with = "unordered")]
    pub ordered: bool,

    /// Print results as they are ready, not in input order: no document waits for a slow one
    #[arg(long, overrides_with = "ordered")]
    pub unordered: bool,

    /// When to show a progress bar on stderr (documents/s, MB/s, ETA): auto = when stderr
    /// is a terminal
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub progress: ColorChoice,

    /// Print the final summary (documents, quotes, skipped and failed by reason) even when
    /// stderr is not a terminal
    #[arg(long)]
    pub summary: bool,

    /// No progress bar, no summary, no warnings: errors only
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print one line for every skipped record (WARC requests, redirects, ...)
    #[arg(short, long)]
    pub verbose: bool,

    #[command(flatten)]
    pub fields: FieldArgs,
}

/// JSON field names, for dumps that name them differently (CC-News: maintext,
/// date_publish, source_domain).
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "JSON fields")]
pub struct FieldArgs {
    /// The field that holds the article text
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,
    /// The field that holds the headline
    #[arg(long, value_name = "NAME", default_value = "title")]
    pub title_field: String,
    /// The field that holds the publication date (YYYY-MM-DD, or an ISO timestamp)
    #[arg(long, value_name = "NAME", default_value = "date")]
    pub date_field: String,
    /// The field that holds the article's URL
    #[arg(long, value_name = "NAME", default_value = "url")]
    pub url_field: String,
    /// The field that holds the record's id
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,
    /// The field that holds the outlet's name
    #[arg(long, value_name = "NAME", default_value = "outlet")]
    pub outlet_field: String,
}

impl FieldArgs {
    pub fn names(&self) -> input::FieldNames {
        input::FieldNames {
            text: self.text_field.clone(),
            title: self.title_field.clone(),
            date: self.date_field.clone(),
            url: self.url_field.clone(),
            id: self.id_field.clone(),
            outlet: self.outlet_field.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Pretty-printed JSON: an object for one document, an array for several
    Json,
    /// One compact JSON object per line
    Jsonl,
    /// A readable view of each quote: speaker, cue, kind and content
    Table,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Some input could not be read; the others were processed.
    InputErrors,
}

fn parse_date(s: &str) -> Result<Date, String> {
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err("expected a date as YYYY-MM-DD, e.g. 2022-03-10".to_string());
    }
    onrecord_core::document::parse_iso_date(s).ok_or_else(|| "not a calendar date".to_string())
}

pub fn run(args: &ExtractArgs) -> Result<Status> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("starting worker threads")?;
    }
    let bytes_read = Arc::new(AtomicU64::new(0));
    let opts = input::Options {
        input: InputOptions { date: args.date },
        fields: args.fields.names(),
        bytes_read: Some(bytes_read.clone()),
        ..Default::default()
    };
    let single =
        args.inputs.len() == 1 && (args.inputs[0] == Path::new("-") || !args.inputs[0].is_dir());
    let mode = match args.format {
        None if single => Mode::One,
        None | Some(OutputFormat::Jsonl) => Mode::Lines,
        Some(OutputFormat::Json) => Mode::Json,
        Some(OutputFormat::Table) => Mode::Table(TableStyle::for_stdout(match args.color {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        })),
    };
    let stderr_tty = io::stderr().is_terminal();
    let show_bar = !args.quiet
        && match args.progress {
            ColorChoice::Auto => stderr_tty,
            ColorChoice::Always => true,
            ColorChoice::Never => false,
        };
    let progress = Progress::new(show_bar, bytes_read, &args.inputs);
    let mut report = Report {
        progress,
        quiet: args.quiet,
        verbose: args.verbose,
        summary: Summary::default(),
        failed: false,
    };
    let stdout = io::stdout().lock();
    let mut emitter = Emitter::new(io::BufWriter::new(stdout), mode);
    let units = input::units(args.inputs.clone(), &opts);
    let ordered = !args.unordered;
    let result = pipeline(units, &opts, ordered, |outs| {
        for out in outs {
            match out {
                Out::Doc(x) => {
                    report.summary.documents += 1;
                    report.summary.quotes += x.quotes.len() as u64;
                    emitter.document(x)?;
                }
                Out::Skip(skip) => report.skip(&skip),
                Out::Internal(msg) => {
                    report.summary.count(Outcome::Failed, "internal errors");
                    report.line(&format!("onrecord: error: {msg}"));
                    report.failed = true;
                }
            }
        }
        report.progress.update(&report.summary);
        Ok(())
    })
    .and_then(|()| emitter.finish());
    report.progress.finish();
    if !args.quiet && (args.summary || stderr_tty) {
        for line in report
            .summary
            .lines(report.progress.bytes(), report.progress.elapsed())
        {
            eprintln!("onrecord: {line}");
        }
    }
    match result {
        Ok(()) => {}
        // A closed pipe (`| head`) ends the output, quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("writing results"),
    }
    Ok(if report.failed {
        Status::InputErrors
    } else {
        Status::Ok
    })
}

/// What stderr gets: messages (through the progress bar), and the counts for the summary.
struct Report {
    progress: Progress,
    quiet: bool,
    verbose: bool,
    summary: Summary,
    failed: bool,
}

impl Report {
    fn line(&self, line: &str) {
        self.progress.println(line);
    }

    /// One line per failed input (an error: exit status 2) and per broken record or
    /// warning; skipped records are only counted unless `--verbose`, but a whole input
    /// skipped (a page with no article) is said.
    fn skip(&mut self, skip: &Skip) {
        let outcome = skip.outcome();
        self.summary.count(outcome, skip.reason.label());
        let (level, shown) = match outcome {
            Outcome::Failed if skip.ends_input() => {
                self.failed = true;
                ("error", true)
            }
            Outcome::Failed | Outcome::Warning => ("warning", !self.quiet),
            Outcome::Skipped => {
                let whole = skip.at.is_none() && skip.reason != Reason::NotInputFile;
                ("skipped", self.verbose || (whole && !self.quiet))
            }
        };
        if shown {
            self.line(&format!("onrecord: {level}: {skip}"));
        }
    }
}

/// One result of a unit.
enum Out {
    Doc(Box<Extraction>),
    Skip(Skip),
    Internal(String),
}

/// Units taken but not yet printed: the producer waits when the window is full.
struct Window {
    state: Mutex<(usize, u64, bool)>,
    freed: Condvar,
}

impl Window {
    fn new() -> Window {
        Window {
            state: Mutex::new((0, 0, false)),
            freed: Condvar::new(),
        }
    }

    /// Wait for room for a unit of `weight` bytes; false once closed. One unit is always
    /// let in, however large.
    fn acquire(&self, weight: u64) -> bool {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !s.2 && s.0 > 0 && (s.0 >= WINDOW_UNITS || s.1 + weight > WINDOW_BYTES) {
            s = self.freed.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        if s.2 {
            return false;
        }
        s.0 += 1;
        s.1 += weight;
        true
    }

    fn release(&self, weight: u64) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 = s.0.saturating_sub(1);
        s.1 = s.1.saturating_sub(weight);
        self.freed.notify_all();
    }

    fn is_closed(&self) -> bool {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).2
    }

    fn close(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).2 = true;
        self.freed.notify_all();
    }
}

/// Produce units in one thread, process them on the rayon pool, and hand each unit's
/// results to `sink` on this thread (in unit order when `ordered`). An error from the sink
/// stops everything and is returned.
fn pipeline<F>(
    units: input::Units,
    opts: &input::Options,
    ordered: bool,
    mut sink: F,
) -> io::Result<()>
where
    F: FnMut(Vec<Out>) -> io::Result<()>,
{
    let window = Window::new();
    let (unit_tx, unit_rx) = mpsc::sync_channel::<(u64, u64, Unit)>(WINDOW_UNITS);
    let (out_tx, out_rx) = mpsc::channel::<(u64, u64, Vec<Out>)>();
    std::thread::scope(|s| {
        let window = &window;
        s.spawn(move || {
            for (seq, unit) in (0u64..).zip(units) {
                let weight = unit.weight();
                if !window.acquire(weight) || unit_tx.send((seq, weight, unit)).is_err() {
                    break;
                }
            }
        });
        s.spawn(move || {
            unit_rx
                .into_iter()
                .par_bridge()
                .for_each_with(out_tx, |tx, (seq, weight, unit)| {
                    // After the output closed (`| head`), drain without working.
                    if !window.is_closed() {
                        let _ = tx.send((seq, weight, process(unit, opts)));
                    }
                });
        });
        let mut next = 0u64;
        let mut held: BTreeMap<u64, (u64, Vec<Out>)> = BTreeMap::new();
        let mut result = Ok(());
        for (seq, weight, outs) in out_rx.iter() {
            if !ordered {
                window.release(weight);
                result = sink(outs);
            } else {
                held.insert(seq, (weight, outs));
                while let Some((weight, outs)) = held.remove(&next) {
                    next += 1;
                    window.release(weight);
                    result = sink(outs);
                    if result.is_err() {
                        break;
                    }
                }
            }
            if result.is_err() {
                break;
            }
        }
        // Unblock the producer; the workers finish what they hold and stop.
        window.close();
        drop(out_rx);
        result
    })
}

fn process(unit: Unit, opts: &input::Options) -> Vec<Out> {
    let items = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| unit.decode(opts))) {
        Ok(items) => items,
        Err(_) => {
            return vec![Out::Internal(
                "internal error while reading an input".into(),
            )]
        }
    };
    // A file of many records spreads over the workers too.
    if items.len() > 1 {
        items.into_par_iter().map(extract_one).collect()
    } else {
        items.into_iter().map(extract_one).collect()
    }
}

/// Extract one document; a bug in a pipeline stage fails this document, not the run.
fn extract_one(item: InputItem) -> Out {
    let d = match item {
        Ok(d) => d,
        Err(skip) => return Out::Skip(skip),
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        onrecord_core::extract(&d.document)
    }));
    match result {
        Ok(mut x) => {
            if d.text_is_derived() {
                x.text = Some(d.document.text);
            }
            Out::Doc(Box::new(x))
        }
        Err(_) => Out::Internal(format!(
            "{}: document {:?}: internal error during extraction",
            if &*d.source == "-" {
                "<stdin>"
            } else {
                &d.source
            },
            d.document.id
        )),
    }
}

enum Mode {
    /// Auto for a single input: one pretty object if it holds one document, else lines.
    One,
    Lines,
    /// Pretty: one object, or an array of several.
    Json,
    Table(TableStyle),
}

struct Emitter<W: Write> {
    out: W,
    mode: Mode,
    /// The first document, held until we know whether another follows.
    held: Option<Box<Extraction>>,
    count: usize,
}

impl<W: Write> Emitter<W> {
    fn new(out: W, mode: Mode) -> Self {
        Emitter {
            out,
            mode,
            held: None,
            count: 0,
        }
    }

    fn document(&mut self, x: Box<Extraction>) -> io::Result<()> {
        self.count += 1;
        match &self.mode {
            Mode::Lines => self.line(&x),
            Mode::Table(style) => table::render(&mut self.out, &x, style, self.count == 1),
            Mode::One | Mode::Json => {
                if self.count == 1 {
                    self.held = Some(x);
                    return Ok(());
                }
                if let Some(first) = self.held.take() {
                    if matches!(self.mode, Mode::Json) {
                        self.out.write_all(b"[\n")?;
                        self.pretty(&first)?;
                    } else {
                        self.line(&first)?;
                    }
                }
                if matches!(self.mode, Mode::Json) {
                    self.out.write_all(b",\n")?;
                    self.pretty(&x)
                } else {
                    self.line(&x)
                }
            }
        }
    }

    fn line(&mut self, x: &Extraction) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, x)?;
        self.out.write_all(b"\n")
    }

    fn pretty(&mut self, x: &Extraction) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut self.out, x).map_err(io::Error::from)
    }

    fn finish(&mut self) -> io::Result<()> {
        if let Some(first) = self.held.take() {
            self.pretty(&first)?;
            self.out.write_all(b"\n")?;
        } else if matches!(self.mode, Mode::Json) {
            self.out
                .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}

impl TableStyle {
    /// Colour and width for stdout: colour when it is a terminal and NO_COLOR is unset,
    /// unless forced.
    fn for_stdout(force_color: Option<bool>) -> TableStyle {
        let tty = io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = force_color.unwrap_or(tty && !no_color);
        let width = tty
            .then(|| terminal_size::terminal_size().map(|(w, _)| w.0 as usize))
            .flatten()
            .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
            .unwrap_or(100);
        TableStyle {
            color,
            width: width.clamp(40, 200),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(parse_date("2022-03-10").is_ok());
        assert!(parse_date("2022-02-30").is_err());
        assert!(parse_date("2022-3-10").is_err());
        assert!(parse_date("2022-03-10T00:00").is_err());
    }

    #[test]
    fn the_window_lets_one_large_unit_in_and_closes() {
        let w = Window::new();
        assert!(w.acquire(WINDOW_BYTES * 4));
        w.release(WINDOW_BYTES * 4);
        assert!(w.acquire(1));
        w.close();
        assert!(!w.acquire(1));
    }
}
