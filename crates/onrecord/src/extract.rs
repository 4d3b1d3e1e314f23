//! `onrecord extract`: inputs in, one `onrecord/1` result per document out.
//!
//! Inputs are turned into a lazy sequence of units (a small file to read and decode, a
//! document from a stream, a message), taken in batches, processed in parallel with rayon
//! and printed in input order, so memory stays bounded however large the input.

use crate::table::{self, TableStyle};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use onrecord_core::input::{self, InputOptions, JsonLines, Record, SNIFF_LEN};
use onrecord_core::{Date, Document, Extraction};
use rayon::prelude::*;
use std::collections::VecDeque;
use std::fs;
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const EXAMPLES: &str = "\
Examples:
  onrecord extract story.txt
  onrecord extract --date 2022-03-10 story.txt
  onrecord extract a.txt b.txt c.jsonl > results.jsonl
  onrecord extract corpus/ | jq -c '.quotes[] | [.speaker.name, .content.text]'
  curl -s https://example.org/feed.jsonl | onrecord extract -
  onrecord extract -f table story.txt | less -R

Inputs (recognised from their content):
  JSON Lines   one object per line: text (required), id, date, title, url, outlet;
               other fields are kept; a broken line is reported and skipped
  JSON         one such object, or an array of them
  dated text   a first line ' date YYYY-MM-DD summary', a blank line, the title, the body
  plain text   UTF-8; the first line is the title when it looks like a headline

Exit status: 0 on success, 2 when an input could not be read (the others are still
processed), 1 on any other failure.";

/// Files larger than this are read by the producer, JSON Lines streamed record by record,
/// instead of whole by one worker.
const STREAM_MIN: u64 = 16 << 20;
/// A batch ends at this many units or this many bytes of text.
const BATCH_UNITS: usize = 256;
const BATCH_BYTES: u64 = 32 << 20;

#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct ExtractArgs {
    /// Articles to read: files, directories (walked recursively for .txt, .text, .json,
    /// .jsonl, .ndjson and extensionless files), or - for standard input
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
    let opts = InputOptions { date: args.date };
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
    let stdout = io::stdout().lock();
    let mut emitter = Emitter::new(io::BufWriter::new(stdout), mode);
    let mut units = Units::new(args.inputs.clone(), opts.clone());
    let result = (|| -> io::Result<()> {
        loop {
            let mut batch = Vec::new();
            let mut bytes = 0;
            while batch.len() < BATCH_UNITS && bytes < BATCH_BYTES {
                let Some(unit) = units.next() else { break };
                bytes += unit.weight();
                batch.push(unit);
            }
            if batch.is_empty() {
                break;
            }
            let outs: Vec<Vec<Out>> = batch
                .into_par_iter()
                .map(|unit| process(unit, &opts))
                .collect();
            for out in outs.into_iter().flatten() {
                emitter.emit(out)?;
            }
            emitter.out.flush()?;
        }
        emitter.finish()
    })();
    match result {
        Ok(()) => {}
        // A closed pipe (`| head`) ends the output, quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("writing results"),
    }
    Ok(if emitter.failed {
        Status::InputErrors
    } else {
        Status::Ok
    })
}

/// One piece of work.
enum Unit {
    /// A file to read, decode and extract, all in a worker.
    File {
        name: Arc<str>,
        path: PathBuf,
        len: u64,
    },
    /// A document already decoded (from a stream or a large file).
    Doc {
        name: Arc<str>,
        doc: Document,
    },
    Note(Note),
}

impl Unit {
    fn weight(&self) -> u64 {
        match self {
            Unit::File { len, .. } => *len,
            Unit::Doc { doc, .. } => doc.text.len() as u64,
            Unit::Note(_) => 0,
        }
    }
}

enum Note {
    Warning(String),
    Error(String),
}

enum Out {
    Doc(Box<Extraction>),
    Note(Note),
}

/// The lazy sequence of units from the command-line inputs, in order.
struct Units {
    inputs: std::vec::IntoIter<PathBuf>,
    opts: InputOptions,
    /// Units of the input being opened (a large file's documents, errors), first out.
    ready: VecDeque<Unit>,
    /// The JSON Lines stream being read, after `ready`.
    stream: Option<(Arc<str>, RecordStream)>,
    /// The files of a directory argument still to come, after the stream.
    pending: VecDeque<Pending>,
}

type RecordStream = JsonLines<Box<dyn BufRead>>;

enum Pending {
    Unit(Unit),
    /// A file large enough to be opened by the producer, when its turn comes.
    Large(PathBuf),
}

impl Units {
    fn new(inputs: Vec<PathBuf>, opts: InputOptions) -> Self {
        Units {
            inputs: inputs.into_iter(),
            opts,
            ready: VecDeque::new(),
            stream: None,
            pending: VecDeque::new(),
        }
    }

    fn error(&mut self, msg: String) {
        self.ready.push_back(Unit::Note(Note::Error(msg)));
    }

    fn open(&mut self, path: PathBuf) {
        if path == Path::new("-") {
            self.open_reader(Arc::from("-"), Box::new(io::stdin().lock()));
            return;
        }
        let name: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return self.error(format!("{}: {}", shown(&name), io_reason(&e))),
        };
        if !meta.is_dir() {
            self.pending.push_back(file_unit(path, meta.len()));
            return;
        }
        let mut files = Vec::new();
        let mut errors = Vec::new();
        walk(&path, &mut files, &mut errors);
        for e in errors {
            self.error(e);
        }
        if files.is_empty() {
            self.ready.push_back(Unit::Note(Note::Warning(format!(
                "{name}: no input files in this directory"
            ))));
        }
        for (path, len) in files {
            self.pending.push_back(file_unit(path, len));
        }
    }

    fn open_large(&mut self, path: PathBuf) {
        let name: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        match fs::File::open(&path) {
            Ok(f) => self.open_reader(name, Box::new(BufReader::with_capacity(1 << 16, f))),
            Err(e) => self.error(format!("{}: {}", shown(&name), io_reason(&e))),
        }
    }

    /// Sniff a reader's head: stream JSON Lines, read anything else whole.
    fn open_reader(&mut self, name: Arc<str>, mut reader: Box<dyn BufRead>) {
        let mut head = Vec::with_capacity(SNIFF_LEN);
        if let Err(e) = (&mut reader).take(SNIFF_LEN as u64).read_to_end(&mut head) {
            return self.error(format!("{}: {}", shown(&name), io_reason(&e)));
        }
        let complete = head.len() < SNIFF_LEN;
        let sniffed = match input::sniff(&head, &name, complete) {
            Ok(s) => s,
            Err(e) => return self.error(format!("{}: {e}", shown(&name))),
        };
        if sniffed.streamable() {
            let chained: Box<dyn BufRead> = Box::new(io::Cursor::new(head).chain(reader));
            self.stream = Some((name.clone(), JsonLines::new(chained, &name, &self.opts)));
            return;
        }
        let mut bytes = head;
        if let Err(e) = reader.read_to_end(&mut bytes) {
            return self.error(format!("{}: {}", shown(&name), io_reason(&e)));
        }
        match input::read_documents(&bytes, &name, &self.opts) {
            Ok(decoded) => {
                for w in decoded.warnings {
                    self.ready
                        .push_back(Unit::Note(Note::Warning(warning_text(&w))));
                }
                for doc in decoded.documents {
                    self.ready.push_back(Unit::Doc {
                        name: name.clone(),
                        doc,
                    });
                }
            }
            Err(e) => self.error(format!("{}: {e}", shown(&name))),
        }
    }
}

fn file_unit(path: PathBuf, len: u64) -> Pending {
    if len > STREAM_MIN {
        return Pending::Large(path);
    }
    let name = Arc::from(path.to_string_lossy().as_ref());
    Pending::Unit(Unit::File { name, path, len })
}

impl Iterator for Units {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        loop {
            if let Some(unit) = self.ready.pop_front() {
                return Some(unit);
            }
            if let Some((name, stream)) = &mut self.stream {
                let name = name.clone();
                match stream.next() {
                    Some(Ok(Record::Document(doc))) => return Some(Unit::Doc { name, doc }),
                    Some(Ok(Record::Warning(w))) => {
                        return Some(Unit::Note(Note::Warning(warning_text(&w))))
                    }
                    Some(Err(e)) => {
                        self.stream = None;
                        return Some(Unit::Note(Note::Error(format!("{}: {e}", shown(&name)))));
                    }
                    None => self.stream = None,
                }
                continue;
            }
            match self.pending.pop_front() {
                Some(Pending::Unit(unit)) => return Some(unit),
                Some(Pending::Large(path)) => self.open_large(path),
                None => {
                    let path = self.inputs.next()?;
                    self.open(path);
                }
            }
        }
    }
}

/// Files below a directory, sorted by name at each level, with their sizes. Hidden entries
/// and symlinked directories (possible loops) are skipped.
fn walk(dir: &Path, files: &mut Vec<(PathBuf, u64)>, errors: &mut Vec<String>) {
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(format!("{}: {}", dir.display(), io_reason(&e)));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, files, errors);
            continue;
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let wanted = match ext.as_deref() {
            None => true,
            Some(e) => matches!(e, "txt" | "text" | "json" | "jsonl" | "ndjson"),
        };
        if !wanted {
            continue;
        }
        // Follows a symlinked file.
        match fs::metadata(&path) {
            Ok(m) if m.is_file() => files.push((path, m.len())),
            Ok(_) => {}
            Err(e) => errors.push(format!("{}: {}", path.display(), io_reason(&e))),
        }
    }
}

/// How an input is named in messages.
fn shown(name: &str) -> &str {
    if name == "-" {
        "<stdin>"
    } else {
        name
    }
}

fn warning_text(w: &input::Warning) -> String {
    match w.line {
        Some(n) => format!("{}: line {n}: {}", shown(&w.source), w.message),
        None => format!("{}: {}", shown(&w.source), w.message),
    }
}

/// An I/O error as a short reason: "no such file or directory".
fn io_reason(e: &io::Error) -> String {
    let msg = e.to_string();
    let msg = match msg.find(" (os error") {
        Some(i) => &msg[..i],
        None => &msg,
    };
    let mut chars = msg.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => msg.to_string(),
    }
}

fn process(unit: Unit, opts: &InputOptions) -> Vec<Out> {
    match unit {
        Unit::Note(n) => vec![Out::Note(n)],
        Unit::Doc { name, doc } => vec![extract_one(&name, &doc)],
        Unit::File { name, path, .. } => {
            let bytes = match fs::read(&path) {
                Ok(b) => b,
                Err(e) => {
                    return vec![Out::Note(Note::Error(format!(
                        "{}: {}",
                        shown(&name),
                        io_reason(&e)
                    )))]
                }
            };
            match input::read_documents(&bytes, &name, opts) {
                Ok(decoded) => {
                    let mut out: Vec<Out> = decoded
                        .warnings
                        .into_iter()
                        .map(|w| Out::Note(Note::Warning(warning_text(&w))))
                        .collect();
                    // A file of many records spreads over the workers too.
                    let docs: Vec<Out> = decoded
                        .documents
                        .par_iter()
                        .map(|doc| extract_one(&name, doc))
                        .collect();
                    out.extend(docs);
                    out
                }
                Err(e) => vec![Out::Note(Note::Error(format!("{}: {e}", shown(&name))))],
            }
        }
    }
}

/// Extract one document; a bug in a pipeline stage fails this document, not the run.
fn extract_one(name: &str, doc: &Document) -> Out {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| onrecord_core::extract(doc))) {
        Ok(x) => Out::Doc(Box::new(x)),
        Err(_) => Out::Note(Note::Error(format!(
            "{}: document {:?}: internal error during extraction",
            shown(name),
            doc.id
        ))),
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
    failed: bool,
}

impl<W: Write> Emitter<W> {
    fn new(out: W, mode: Mode) -> Self {
        Emitter {
            out,
            mode,
            held: None,
            count: 0,
            failed: false,
        }
    }

    fn emit(&mut self, out: Out) -> io::Result<()> {
        match out {
            Out::Note(Note::Warning(msg)) => {
                eprintln!("onrecord: warning: {msg}");
                Ok(())
            }
            Out::Note(Note::Error(msg)) => {
                self.failed = true;
                eprintln!("onrecord: error: {msg}");
                Ok(())
            }
            Out::Doc(x) => self.document(x),
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
    fn io_reasons_are_short() {
        let e = io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(io_reason(&e), "entity not found");
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&e), "no such file or directory");
    }
}
