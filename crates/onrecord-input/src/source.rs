//! From paths and readers to units: walks directories, opens files, recognises
//! compression and format from the first bytes (the name's extension is a hint), and
//! hands each stream to the reader of its format.

use crate::compress::{self, Compression, Counting};
use crate::jsonl::{self, JsonlUnits};
use crate::warc::WarcUnits;
use crate::{html, At, Format, InputDoc, InputItem, Options, Reason, Skip, Unit};
use onrecord_core::input::{self as core_input, SNIFF_LEN};
use std::collections::VecDeque;
use std::fs;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

type Stream = Box<dyn Iterator<Item = Unit> + Send>;
type Reader = Box<dyn BufRead + Send>;

/// Extensions a directory walk takes (content decides the format; these only select).
const INPUT_EXTENSIONS: &[&str] = &[
    "txt", "text", "json", "jsonl", "ndjson", "html", "htm", "xhtml", "warc", "wet",
];
const COMPRESSED_EXTENSIONS: &[&str] = &["gz", "zst"];

/// An I/O error as a short reason: "no such file or directory".
pub(crate) fn io_reason(e: &io::Error) -> String {
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

fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The name without a compression extension: `feed.jsonl.gz` is `feed.jsonl`.
fn inner_name(name: &str) -> String {
    let ext = extension(name);
    if COMPRESSED_EXTENSIONS.contains(&ext.as_str()) {
        name[..name.len() - ext.len() - 1].to_string()
    } else {
        name.to_string()
    }
}

/// Whether a directory walk takes a file of this name.
fn is_input_name(name: &str) -> bool {
    let ext = extension(name);
    if ext.is_empty() {
        return true;
    }
    if COMPRESSED_EXTENSIONS.contains(&ext.as_str()) {
        let inner = extension(&inner_name(name));
        return inner.is_empty() || INPUT_EXTENSIONS.contains(&inner.as_str());
    }
    INPUT_EXTENSIONS.contains(&ext.as_str())
}

/// Whether a file is read record by record by the producer whatever its size.
fn is_streamed_name(name: &str) -> bool {
    let ext = extension(name);
    COMPRESSED_EXTENSIONS.contains(&ext.as_str()) || matches!(ext.as_str(), "warc" | "wet")
}

fn one(unit: Unit) -> Stream {
    Box::new(std::iter::once(unit))
}

fn fail(source: &Arc<str>, reason: Reason, detail: impl Into<String>) -> Stream {
    one(Unit::Item(Err(Skip::new(source, None, reason, detail))))
}

/// Read up to `n` bytes, fewer only at the end or at an error, which is kept for the
/// reader to meet after the bytes that came before it (a truncated file's records).
fn read_head(r: &mut dyn Read, n: usize) -> (Vec<u8>, Option<io::Error>) {
    let mut head = vec![0; n];
    let mut len = 0;
    let mut error = None;
    while len < n {
        match r.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(k) => len += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    head.truncate(len);
    (head, error)
}

/// A reader whose next read fails with a kept error, then ends.
struct Failing(Option<io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// The units of one stream: `source` names it in messages, `hint` (its name without a
/// compression extension) hints at its format.
pub(crate) fn open_reader(r: Reader, source: Arc<str>, opts: &Options) -> Stream {
    let hint = if &*source == "-" {
        "-".to_string()
    } else {
        source.to_string()
    };
    open_inner(r, source, hint, opts, 0)
}

fn open_inner(mut r: Reader, source: Arc<str>, hint: String, opts: &Options, depth: u8) -> Stream {
    let (head, error) = read_head(&mut r, SNIFF_LEN);
    if let Some(e) = error {
        if head.is_empty() {
            let (reason, detail) = compress::classify(&e);
            return fail(&source, reason, detail);
        }
        r = Box::new(BufReader::new(Failing(Some(e))));
    }
    let complete = head.len() < SNIFF_LEN;
    let chained: Reader = Box::new(Cursor::new(head.clone()).chain(r));
    match compress::sniff(&head) {
        Some(Compression::Gzip) if depth < 2 => {
            let inner = BufReader::with_capacity(1 << 16, compress::gzip(chained));
            return open_inner(Box::new(inner), source, inner_name(&hint), opts, depth + 1);
        }
        Some(Compression::Zstd) if depth < 2 => {
            let inner = BufReader::with_capacity(1 << 16, compress::Zstd::new(chained));
            return open_inner(Box::new(inner), source, inner_name(&hint), opts, depth + 1);
        }
        Some(Compression::Other(name)) => {
            return fail(
                &source,
                Reason::Unsupported,
                format!("{name} compression is not supported; decompress it first"),
            )
        }
        _ => {}
    }
    let stem = core_input::document_id(&hint);
    if head.starts_with(b"WARC/") {
        return Box::new(WarcUnits::new(chained, source, stem, opts));
    }
    let html_name = matches!(extension(&hint).as_str(), "html" | "htm" | "xhtml");
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    if html::looks_like_html(&head) || (html_name && first == Some(&b'<')) {
        let bytes = match read_whole(chained, &source, opts.max_record_bytes, "HTML page") {
            Ok(b) => b,
            Err(skip) => return one(Unit::Item(Err(skip))),
        };
        return one(Unit::Page(Box::new(html::Page::new(
            source,
            stem,
            bytes,
            Format::Html,
        ))));
    }
    let sniffed = match core_input::sniff(&head, &hint, complete) {
        Ok(s) => s,
        Err(e) => return fail(&source, Reason::Binary, e.to_string()),
    };
    if sniffed.streamable() {
        return Box::new(JsonlUnits::new(chained, source, stem, opts));
    }
    let bytes = match read_whole(chained, &source, opts.max_whole_bytes, "input") {
        Ok(b) => b,
        Err(skip) => return one(Unit::Item(Err(skip))),
    };
    Box::new(
        decode_text(&bytes, &source, &hint, opts)
            .into_iter()
            .map(Unit::Item),
    )
}

/// Read a stream to its end, up to `max` bytes.
fn read_whole(r: Reader, source: &Arc<str>, max: usize, what: &str) -> Result<Vec<u8>, Skip> {
    let mut bytes = Vec::new();
    match r.take(max as u64 + 1).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() > max => Err(Skip::new(
            source,
            None,
            Reason::TooLarge,
            format!(
                "{what} larger than {} MiB, the limit for reading one whole; skipped",
                max >> 20
            ),
        )),
        Ok(_) => Ok(bytes),
        Err(e) => {
            let (reason, detail) = compress::classify(&e);
            Err(Skip::new(source, None, reason, detail))
        }
    }
}

/// A whole text input (plain, dated, JSON, JSON Lines) to items.
fn decode_text(bytes: &[u8], source: &Arc<str>, hint: &str, opts: &Options) -> Vec<InputItem> {
    let stem = core_input::document_id(hint);
    let sniffed = match core_input::sniff(bytes, hint, true) {
        Ok(s) => s,
        Err(e) => return vec![Err(Skip::new(source, None, Reason::Binary, e.to_string()))],
    };
    let utf8 = sniffed.encoding == core_input::Encoding::Utf8;
    match sniffed.format {
        core_input::Format::JsonLines if utf8 => {
            return JsonlUnits::new(bytes, source.clone(), stem, opts)
                .filter_map(|u| match u {
                    Unit::Item(i) => Some(i),
                    _ => None,
                })
                .collect();
        }
        core_input::Format::Json if utf8 => {
            let text = String::from_utf8_lossy(bytes);
            if let Some(mut items) = jsonl::json_whole(&text, source, &stem, opts) {
                if let std::borrow::Cow::Owned(_) = text {
                    items.insert(
                        0,
                        Err(Skip::new(
                            source,
                            None,
                            Reason::Encoding,
                            "invalid UTF-8 replaced with U+FFFD",
                        )),
                    );
                }
                return items;
            }
            let lines = is_json_lines_name(hint)
                || text.lines().take(1000).any(|l| {
                    matches!(
                        serde_json::from_str::<serde_json::Value>(l.trim()),
                        Ok(serde_json::Value::Object(_))
                    )
                });
            if lines {
                return JsonlUnits::new(bytes, source.clone(), stem, opts)
                    .filter_map(|u| match u {
                        Unit::Item(i) => Some(i),
                        _ => None,
                    })
                    .collect();
            }
        }
        _ => {}
    }
    // Plain, dated, and what the JSON readers refused: the core decoder, as for files.
    match core_input::read_documents(bytes, hint, &opts.input) {
        Ok(decoded) => {
            let format = match decoded.format {
                core_input::Format::Plain => Format::Plain,
                core_input::Format::Dated => Format::Dated,
                core_input::Format::Json => Format::Json,
                core_input::Format::JsonLines => Format::JsonLines,
            };
            let mut out: Vec<InputItem> = decoded
                .warnings
                .into_iter()
                .map(|w| {
                    let skipped = w.message.ends_with("; skipped");
                    let reason = if !skipped {
                        if w.message.contains("UTF") {
                            Reason::Encoding
                        } else {
                            Reason::Metadata
                        }
                    } else if w.message.contains("JSON") {
                        Reason::BadJson
                    } else {
                        Reason::NoText
                    };
                    Err(Skip::new(
                        source,
                        w.line.map(|n| At::Line(n as u64)),
                        reason,
                        w.message,
                    ))
                })
                .collect();
            out.extend(decoded.documents.into_iter().map(|d| {
                Ok(InputDoc {
                    document: d,
                    source: source.clone(),
                    at: None,
                    format,
                })
            }));
            out
        }
        Err(e) => vec![Err(Skip::new(source, None, Reason::Binary, e.to_string()))],
    }
}

fn is_json_lines_name(name: &str) -> bool {
    matches!(extension(name).as_str(), "jsonl" | "ndjson" | "json")
}

/// A small file, read and decoded whole (in the caller's thread).
pub(crate) fn decode_file(source: &Arc<str>, path: &Path, opts: &Options) -> Vec<InputItem> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return vec![Err(Skip::new(
                source,
                None,
                Reason::Unreadable,
                io_reason(&e),
            ))]
        }
    };
    if let Some(c) = &opts.bytes_read {
        c.fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
    }
    let mut out = Vec::new();
    for unit in open_reader(Box::new(Cursor::new(bytes)), source.clone(), opts) {
        out.extend(unit.decode(opts));
    }
    out
}

/// A file found by walking, or why one was not taken.
enum Entry {
    File(PathBuf, u64),
    Skip(Skip),
}

/// Files below a directory, sorted by name at each level, with their sizes. Hidden
/// entries and symlinked directories (possible loops) are left out.
fn walk_dir(dir: &Path, out: &mut Vec<Entry>) {
    let name = |p: &Path| -> Arc<str> { Arc::from(p.to_string_lossy().as_ref()) };
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.push(Entry::Skip(Skip::new(
                &name(dir),
                None,
                Reason::Unreadable,
                io_reason(&e),
            )));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk_dir(&path, out);
            continue;
        }
        if !is_input_name(&file_name) {
            out.push(Entry::Skip(Skip::new(
                &name(&path),
                None,
                Reason::NotInputFile,
                "not an input file (by its extension); skipped",
            )));
            continue;
        }
        // Follows a symlinked file.
        match fs::metadata(&path) {
            Ok(m) if m.is_file() => out.push(Entry::File(path, m.len())),
            Ok(_) => {}
            Err(e) => out.push(Entry::Skip(Skip::new(
                &name(&path),
                None,
                Reason::Unreadable,
                io_reason(&e),
            ))),
        }
    }
}

/// The total size of the input files, for progress: None when standard input is one.
pub fn total_size(paths: &[PathBuf]) -> Option<u64> {
    let mut total = 0;
    for p in paths {
        if p == Path::new("-") {
            return None;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut entries = Vec::new();
                walk_dir(p, &mut entries);
                total += entries
                    .iter()
                    .map(|e| match e {
                        Entry::File(_, len) => *len,
                        Entry::Skip(_) => 0,
                    })
                    .sum::<u64>();
            }
            Ok(m) => total += m.len(),
            Err(_) => {}
        }
    }
    Some(total)
}

/// The inputs as units, in order (see [`crate::units`]).
pub struct Units {
    inputs: VecDeque<PathBuf>,
    opts: Options,
    ready: VecDeque<Unit>,
    stream: Option<Stream>,
    pending: VecDeque<Entry>,
}

impl Units {
    pub(crate) fn new(inputs: Vec<PathBuf>, opts: Options) -> Units {
        Units {
            inputs: inputs.into(),
            opts,
            ready: VecDeque::new(),
            stream: None,
            pending: VecDeque::new(),
        }
    }

    fn counted<R: Read + Send + 'static>(&self, r: R) -> Reader {
        Box::new(BufReader::with_capacity(
            1 << 16,
            Counting {
                inner: r,
                counter: self.opts.bytes_read.clone(),
            },
        ))
    }

    fn open_arg(&mut self, path: PathBuf) {
        if path == Path::new("-") {
            let reader = self.counted(io::stdin());
            self.stream = Some(open_reader(reader, Arc::from("-"), &self.opts));
            return;
        }
        let name: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        match fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                let mut entries = Vec::new();
                walk_dir(&path, &mut entries);
                if !entries.iter().any(|e| matches!(e, Entry::File(..))) {
                    entries.push(Entry::Skip(Skip::new(
                        &name,
                        None,
                        Reason::NoInput,
                        "no input files in this directory",
                    )));
                }
                self.pending.extend(entries);
            }
            Ok(m) => self.pending.push_back(Entry::File(path, m.len())),
            Err(e) => self.ready.push_back(Unit::Item(Err(Skip::new(
                &name,
                None,
                Reason::Unreadable,
                io_reason(&e),
            )))),
        }
    }

    fn open_file(&mut self, path: PathBuf, len: u64) -> Option<Unit> {
        let name: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        if len <= self.opts.stream_min_bytes && !is_streamed_name(&name) {
            return Some(Unit::File {
                source: name,
                path,
                len,
            });
        }
        match fs::File::open(&path) {
            Ok(f) => {
                let reader = self.counted(f);
                self.stream = Some(open_reader(reader, name, &self.opts));
                None
            }
            Err(e) => Some(Unit::Item(Err(Skip::new(
                &name,
                None,
                Reason::Unreadable,
                io_reason(&e),
            )))),
        }
    }
}

impl Iterator for Units {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        loop {
            if let Some(unit) = self.ready.pop_front() {
                return Some(unit);
            }
            if let Some(stream) = &mut self.stream {
                match stream.next() {
                    Some(unit) => return Some(unit),
                    None => self.stream = None,
                }
                continue;
            }
            match self.pending.pop_front() {
                Some(Entry::Skip(skip)) => return Some(Unit::Item(Err(skip))),
                Some(Entry::File(path, len)) => {
                    if let Some(unit) = self.open_file(path, len) {
                        return Some(unit);
                    }
                }
                None => {
                    let path = self.inputs.pop_front()?;
                    self.open_arg(path);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(inner_name("a/feed.jsonl.gz"), "a/feed.jsonl");
        assert_eq!(inner_name("x.warc"), "x.warc");
        for n in [
            "a.txt",
            "a.warc.gz",
            "a.wet.gz",
            "a.jsonl.zst",
            "a.gz",
            "README",
            "p.HTML",
        ] {
            assert!(is_input_name(n), "{n}");
        }
        for n in ["a.md", "a.tar.gz", "a.png", "a.csv.zst"] {
            assert!(!is_input_name(n), "{n}");
        }
        assert!(is_streamed_name("a.warc") && is_streamed_name("a.txt.gz"));
        assert!(!is_streamed_name("a.jsonl"));
    }
}
