//! Input decoding: the bytes of one input (a file, standard input, a record stream) turned
//! into [`Document`]s.
//!
//! Formats are recognised from the content, with the name's extension as a hint:
//!
//! * **JSON Lines**: one object per line with `text` (required), `id`, `date`, `title`,
//!   `url`, `outlet`; every other field goes to [`Document::metadata`]. A line that is not
//!   a JSON object or has no string `text` gives a [`Warning`] and is skipped; it never
//!   stops the input. A record without an id is `NAME-LINENO`.
//! * **JSON**: one object, or an array of objects, with the same fields.
//! * **Dated layout**: a first line ` date YYYY-MM-DD <summary>`, a blank line, the title
//!   line, then paragraphs. The text stays the whole input, so offsets refer to it all;
//!   extraction starts at the title.
//! * **Plain text**: the first line is the title when it looks like a headline.
//!
//! Text is decoded as UTF-8, invalid sequences replaced by U+FFFD (with a warning);
//! UTF-16 with a byte-order mark is decoded too. Nothing else is stripped, a BOM included,
//! so that offsets slice the text as given. Binary input is an error; empty input is one
//! empty document.
//!
//! Large JSON Lines inputs need not be held in memory: [`sniff`] the head, then stream
//! records with [`JsonLines`].

use crate::document::{parse_iso_date, Date, Document};
use crate::span::Span;
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::fmt;
use std::io::BufRead;

/// How much of the head of an input [`sniff`] and the binary check look at.
pub const SNIFF_LEN: usize = 8 * 1024;

/// A headline is shorter than this (in chars).
const MAX_TITLE_CHARS: usize = 200;

/// What the caller knows better than the input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputOptions {
    /// Overrides every document's date.
    pub date: Option<Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    JsonLines,
    Json,
    Dated,
    Plain,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// What the head of an input tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub format: Format,
    pub encoding: Encoding,
}

impl Sniffed {
    /// Whether the input can be read record by record with [`JsonLines`].
    pub fn streamable(&self) -> bool {
        self.format == Format::JsonLines && self.encoding == Encoding::Utf8
    }
}

/// Something wrong with part of an input that did not stop it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The input's name, as the caller gave it.
    pub source: String,
    /// 1-based line (JSON Lines) or record (JSON array) number, when it concerns one.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(n) => write!(f, "{}: line {}: {}", self.source, n, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

/// An input that cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("binary data, not text ({detail})")]
    Binary { detail: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The documents of one input, with what went wrong on the way.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub format: Format,
    pub documents: Vec<Document>,
    pub warnings: Vec<Warning>,
}

/// The document id an input's name gives: the file name without its extension; `-` (or
/// nothing) is `stdin`.
pub fn document_id(name: &str) -> String {
    if name.is_empty() || name == "-" {
        return "stdin".to_string();
    }
    match std::path::Path::new(name).file_stem() {
        Some(stem) => stem.to_string_lossy().into_owned(),
        None => name.to_string(),
    }
}

/// Refuse binary data: a NUL byte, or many control characters, in the first
/// [`SNIFF_LEN`] bytes. UTF-16 with a byte-order mark is text.
pub fn check_text(bytes: &[u8]) -> Result<(), InputError> {
    if utf16_encoding(bytes).is_some() {
        return Ok(());
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if let Some(at) = memchr_nul(head) {
        return Err(InputError::Binary {
            detail: format!("NUL byte at offset {at}"),
        });
    }
    // Tab, newlines, form feed and escape (ANSI colours) occur in text.
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f)
        .count();
    if !head.is_empty() && controls * 10 > head.len() {
        return Err(InputError::Binary {
            detail: format!("{}% control characters", controls * 100 / head.len().max(1)),
        });
    }
    Ok(())
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

fn utf16_encoding(bytes: &[u8]) -> Option<Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(Encoding::Utf16Le),
        [0xFE, 0xFF, ..] => Some(Encoding::Utf16Be),
        _ => None,
    }
}

/// Look at the head of an input (its first [`SNIFF_LEN`] bytes or more; `complete` when it
/// is the whole input) and tell its format, or refuse it as binary.
pub fn sniff(head: &[u8], name: &str, complete: bool) -> Result<Sniffed, InputError> {
    check_text(head)?;
    let encoding = utf16_encoding(head).unwrap_or(Encoding::Utf8);
    let (text, _) = decode(head, encoding);
    Ok(Sniffed {
        format: detect(&text, name, complete),
        encoding,
    })
}

/// Decode one whole input into its documents.
pub fn read_documents(
    bytes: &[u8],
    name: &str,
    opts: &InputOptions,
) -> Result<Decoded, InputError> {
    check_text(bytes)?;
    let encoding = utf16_encoding(bytes).unwrap_or(Encoding::Utf8);
    let (text, note) = decode(bytes, encoding);
    let mut warnings: Vec<Warning> = note
        .into_iter()
        .map(|message| Warning {
            source: name.to_string(),
            line: None,
            message,
        })
        .collect();
    let stem = document_id(name);
    let format = detect(&text, name, true);
    let mut documents = Vec::new();
    let records =
        |documents: &mut Vec<Document>, warnings: &mut Vec<Warning>, recs: Vec<Record>| {
            for rec in recs {
                match rec {
                    Record::Document(d) => documents.push(d),
                    Record::Warning(w) => warnings.push(w),
                }
            }
        };
    match format {
        Format::JsonLines => {
            let recs = json_lines_of(&text, name, &stem, opts);
            records(&mut documents, &mut warnings, recs);
        }
        Format::Json => match json_whole(&text, name, &stem, opts) {
            Some(recs) => records(&mut documents, &mut warnings, recs),
            None if looks_like_json_lines(&text, name) => {
                let recs = json_lines_of(&text, name, &stem, opts);
                records(&mut documents, &mut warnings, recs);
            }
            None => documents.push(plain(text.into_owned(), stem, opts)),
        },
        Format::Dated => {
            let (doc, warning) = dated(text.into_owned(), stem, opts);
            documents.push(doc);
            warnings.extend(warning.map(|message| Warning {
                source: name.to_string(),
                line: Some(1),
                message,
            }));
        }
        Format::Plain => documents.push(plain(text.into_owned(), stem, opts)),
    }
    Ok(Decoded {
        format,
        documents,
        warnings,
    })
}

/// Decode text; the note says what was replaced.
fn decode(bytes: &[u8], encoding: Encoding) -> (std::borrow::Cow<'_, str>, Option<String>) {
    match encoding {
        Encoding::Utf8 => {
            let text = String::from_utf8_lossy(bytes);
            let note = match std::str::from_utf8(bytes) {
                Ok(_) => None,
                Err(e) => {
                    let bad = bytes
                        .utf8_chunks()
                        .filter(|c| !c.invalid().is_empty())
                        .count();
                    Some(format!(
                        "invalid UTF-8 at byte {} ({bad} sequence{} replaced with U+FFFD)",
                        e.valid_up_to(),
                        if bad == 1 { "" } else { "s" }
                    ))
                }
            };
            (text, note)
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| {
                    let pair = [c[0], c.get(1).copied().unwrap_or(0)];
                    if encoding == Encoding::Utf16Le {
                        u16::from_le_bytes(pair)
                    } else {
                        u16::from_be_bytes(pair)
                    }
                })
                .collect();
            let text = String::from_utf16_lossy(&units);
            let mut note = "decoded from UTF-16".to_string();
            if bytes.len() % 2 == 1 || text.contains('\u{FFFD}') {
                note.push_str(" (invalid sequences replaced with U+FFFD)");
            }
            (text.into(), Some(note))
        }
    }
}

fn extension(name: &str) -> String {
    std::path::Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_json_extension(name: &str) -> bool {
    matches!(extension(name).as_str(), "json" | "jsonl" | "ndjson")
}

/// Tell the format from the text (or its head, unless `complete`).
fn detect(text: &str, name: &str, complete: bool) -> Format {
    let ext = extension(name);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.is_empty() {
        return Format::Plain;
    }
    if t.starts_with('{') {
        return match t.split_once('\n') {
            Some((first, _)) if is_json_object(first) => Format::JsonLines,
            None if !complete || is_json_object(t) => Format::JsonLines,
            // A pretty-printed object, a broken first record, or text.
            _ => Format::Json,
        };
    }
    if t.starts_with('[') {
        return Format::Json;
    }
    match ext.as_str() {
        "jsonl" | "ndjson" => return Format::JsonLines,
        "json" => return Format::Json,
        _ => {}
    }
    if dated_header(first_line(text)).is_some() {
        return Format::Dated;
    }
    Format::Plain
}

fn is_json_object(line: &str) -> bool {
    matches!(
        serde_json::from_str::<Value>(line.trim()),
        Ok(Value::Object(_))
    )
}

/// JSON Lines whose first record is broken: believe the extension, or any good record.
fn looks_like_json_lines(text: &str, name: &str) -> bool {
    is_json_extension(name) || text.lines().take(1000).any(is_json_object)
}

/// One item of a JSON Lines stream.
#[derive(Clone, Debug)]
pub enum Record {
    Document(Document),
    Warning(Warning),
}

fn json_lines_of(text: &str, name: &str, stem: &str, opts: &InputOptions) -> Vec<Record> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        json_line(line, i + 1, name, stem, opts, &mut out);
    }
    out
}

/// A whole JSON value: one record or an array of them. None when it is not one.
fn json_whole(text: &str, name: &str, stem: &str, opts: &InputOptions) -> Option<Vec<Record>> {
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    let mut out = Vec::new();
    let warn = |line: Option<usize>, message: String| {
        Record::Warning(Warning {
            source: name.to_string(),
            line,
            message,
        })
    };
    match value {
        Value::Object(obj) => {
            let mut notes = Vec::new();
            match to_document(obj, stem.to_string(), opts, &mut notes) {
                Ok(doc) => out.push(Record::Document(doc)),
                Err(reason) => out.push(warn(None, format!("{reason}; skipped"))),
            }
            out.extend(notes.into_iter().map(|m| warn(None, m)));
        }
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                let n = i + 1;
                let Value::Object(obj) = item else {
                    out.push(warn(
                        None,
                        format!("record {n}: not a JSON object; skipped"),
                    ));
                    continue;
                };
                let mut notes = Vec::new();
                match to_document(obj, format!("{stem}-{n}"), opts, &mut notes) {
                    Ok(doc) => out.push(Record::Document(doc)),
                    Err(reason) => out.push(warn(None, format!("record {n}: {reason}; skipped"))),
                }
                out.extend(
                    notes
                        .into_iter()
                        .map(|m| warn(None, format!("record {n}: {m}"))),
                );
            }
        }
        _ => return None,
    }
    Some(out)
}

/// Parse one line of JSON Lines; blank lines give nothing.
fn json_line(
    line: &str,
    line_no: usize,
    name: &str,
    stem: &str,
    opts: &InputOptions,
    out: &mut Vec<Record>,
) {
    let line = line.trim_start_matches('\u{feff}').trim();
    if line.is_empty() {
        return;
    }
    let warn = |message: String| {
        Record::Warning(Warning {
            source: name.to_string(),
            line: Some(line_no),
            message,
        })
    };
    let obj = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(obj)) => obj,
        Ok(_) => {
            out.push(warn("not a JSON object; skipped".to_string()));
            return;
        }
        Err(e) => {
            out.push(warn(format!(
                "not valid JSON ({} at column {}); skipped",
                json_error_reason(&e),
                e.column()
            )));
            return;
        }
    };
    let mut notes = Vec::new();
    match to_document(obj, format!("{stem}-{line_no}"), opts, &mut notes) {
        Ok(doc) => out.push(Record::Document(doc)),
        Err(reason) => out.push(warn(format!("{reason}; skipped"))),
    }
    out.extend(notes.into_iter().map(warn));
}

/// serde_json's message without its own "at line L column C", which would be misleading
/// for one line of a larger input.
fn json_error_reason(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

/// A record to a document. Err when it has no text; `notes` gets what was dropped.
fn to_document(
    mut obj: Map<String, Value>,
    default_id: String,
    opts: &InputOptions,
    notes: &mut Vec<String>,
) -> Result<Document, String> {
    let text = match obj.remove("text") {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(format!(
                "\"text\" is {}, not a string",
                json_type_name(&other)
            ))
        }
        None => return Err("no \"text\" field".to_string()),
    };
    let id = match obj.remove("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Null) | None => default_id,
        Some(other) => {
            notes.push(format!(
                "\"id\" is {}; using {default_id:?}",
                json_type_name(&other)
            ));
            obj.insert("id".to_string(), other);
            default_id
        }
    };
    let date = match obj.remove("date") {
        Some(Value::String(s)) => match parse_iso_date(&s) {
            Some(d) => Some(d),
            None => {
                if opts.date.is_none() {
                    notes.push(format!(
                        "unrecognised date {s:?} (expected YYYY-MM-DD); kept in metadata"
                    ));
                }
                obj.insert("date".to_string(), Value::String(s));
                None
            }
        },
        Some(Value::Null) | None => None,
        Some(other) => {
            obj.insert("date".to_string(), other);
            None
        }
    };
    let mut take_string = |key: &str| match obj.remove(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        Some(Value::String(_)) | Some(Value::Null) | None => None,
        Some(other) => {
            obj.insert(key.to_string(), other);
            None
        }
    };
    let title = take_string("title");
    let url = take_string("url");
    let outlet = take_string("outlet");
    let mut doc = Document {
        id,
        date: opts.date.or(date),
        url,
        outlet,
        ..Default::default()
    };
    match title {
        Some(title) => {
            let title = title.trim().to_string();
            doc.title_span = title_in_text(&text, &title);
            doc.title = Some(title);
        }
        None => {
            if let Some(span) = headline(&text) {
                doc.title = Some(span.slice(&text).to_string());
                doc.title_span = Some(span);
            }
        }
    }
    doc.text = text;
    doc.metadata = obj;
    Ok(doc)
}

/// One JSON record (an object with a string `text`, and optionally `id`, `date`, `title`,
/// `url`, `outlet`) to a document, as the JSON and JSON Lines formats decode it: for readers
/// of other containers (compressed dumps, renamed fields). Err says why the record is
/// skipped; `notes` gets what was kept in metadata instead of being understood.
pub fn record_to_document(
    obj: Map<String, Value>,
    default_id: String,
    opts: &InputOptions,
    notes: &mut Vec<String>,
) -> Result<Document, String> {
    to_document(obj, default_id, opts, notes)
}

/// Text already decoded (a web archive's plain-text record, say) as a plain text document:
/// its first line is the title when it looks like a headline.
pub fn plain_document(text: String, id: String, opts: &InputOptions) -> Document {
    plain(text, id, opts)
}

fn json_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Where a record's title stands in its text: when the text opens with it, on a line of
/// its own.
fn title_in_text(text: &str, title: &str) -> Option<Span> {
    if title.is_empty() {
        return None;
    }
    let start = text.len() - text.trim_start_matches('\u{feff}').trim_start().len();
    let rest = &text[start..];
    let after = rest.strip_prefix(title)?;
    let line_rest = after.split('\n').next().unwrap_or("");
    line_rest
        .trim()
        .is_empty()
        .then(|| Span::new(start, start + title.len()))
}

fn first_line(text: &str) -> &str {
    text.split('\n').next().unwrap_or("")
}

/// The date and summary of a ` date YYYY-MM-DD summary` header line: the date as written
/// and the summary's byte span within the line.
fn dated_header(line: &str) -> Option<(&str, Span)> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let lead = line.len() - line.trim_start_matches([' ', '\t', '\u{feff}']).len();
    let rest = line[lead..].strip_prefix("date")?;
    let sep = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if sep == 0 {
        return None;
    }
    let rest = &rest[sep..];
    let date = rest.get(..10)?;
    let b = date.as_bytes();
    let shape = b.iter().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            *c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    if !shape {
        return None;
    }
    let after = &rest[10..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let summary_start = line.len() - after.trim_start().len();
    let summary = Span::new(summary_start, line.len()).trim(line);
    Some((date, summary))
}

/// A document in the dated layout. The warning is about an impossible header date.
fn dated(text: String, id: String, opts: &InputOptions) -> (Document, Option<String>) {
    let mut doc = Document {
        id,
        ..Default::default()
    };
    let header = first_line(&text);
    let mut warning = None;
    if let Some((date, summary)) = dated_header(header) {
        match parse_iso_date(date) {
            Some(d) => doc.date = Some(d),
            None if opts.date.is_none() => {
                warning = Some(format!("impossible date {date:?} in the header line"))
            }
            None => {}
        }
        if !summary.is_empty() {
            doc.metadata.insert(
                "summary".to_string(),
                Value::String(summary.slice(header).to_string()),
            );
        }
    }
    // After the header: skip blank lines, the title is the next line.
    let mut pos = (header.len() + 1).min(text.len());
    pos = skip_blank_lines(&text, pos);
    if pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let span = Span::new(pos, line_end).trim(&text);
        if !span.is_empty() {
            doc.title = Some(span.slice(&text).to_string());
            doc.title_span = Some(span);
        }
        pos = skip_blank_lines(&text, (line_end + 1).min(text.len()));
    }
    doc.body_start = pos;
    doc.date = opts.date.or(doc.date);
    doc.text = text;
    (doc, warning)
}

/// The start of the first line at or after `pos` (a line start) with something on it.
fn skip_blank_lines(text: &str, mut pos: usize) -> usize {
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if !text[pos..line_end].trim().is_empty() {
            break;
        }
        pos = (line_end + 1).min(text.len());
    }
    pos
}

/// A plain text document, its first line the title when it looks like a headline.
fn plain(text: String, id: String, opts: &InputOptions) -> Document {
    let mut doc = Document {
        id,
        date: opts.date,
        ..Default::default()
    };
    if let Some(span) = headline(&text) {
        doc.title = Some(span.slice(&text).to_string());
        doc.title_span = Some(span);
    }
    doc.text = text;
    doc
}

/// The first non-blank line, when it looks like a headline: short, not ending like a
/// sentence, and standing alone (a blank line after it, or no blank lines anywhere, so
/// it is not the first line of a hard-wrapped paragraph).
fn headline(text: &str) -> Option<Span> {
    let lead = text.len() - text.trim_start_matches('\u{feff}').len();
    let start = skip_blank_lines(text, lead);
    let line_end = start + text[start..].find('\n')?;
    let span = Span::new(start, line_end).trim(text);
    let line = span.slice(text);
    if line.is_empty() || line.chars().count() >= MAX_TITLE_CHARS {
        return None;
    }
    if line.split_whitespace().count() < 2 || !ends_like_headline(line) {
        return None;
    }
    let after = line_end + 1;
    let next = skip_blank_lines(text, after.min(text.len()));
    let blank_after = next > after;
    if next >= text.len() {
        return None; // nothing after it: the line is the text
    }
    let has_blank_lines = text[after..]
        .trim()
        .split('\n')
        .any(|l| l.trim().is_empty());
    if blank_after || !has_blank_lines {
        Some(span)
    } else {
        None
    }
}

fn ends_like_headline(line: &str) -> bool {
    let line = line.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    let Some(last) = line.chars().last() else {
        return false;
    };
    match last {
        ',' | ';' | ':' | '-' | '–' | '—' => false,
        // "U.S.", "Inc.", "..." end headlines; "said." ends a sentence.
        '.' => {
            let word = line.split_whitespace().last().unwrap_or("");
            let word = word.trim_end_matches('.');
            word.is_empty()
                || line.ends_with("...")
                || word.contains('.')
                || matches!(word, "Inc" | "Co" | "Corp" | "Ltd" | "Jr" | "Sr" | "St")
        }
        _ => true,
    }
}

/// A JSON Lines reader that holds one line at a time: for inputs too large to read whole.
/// It yields documents and warnings in input order; an I/O error ends it.
pub struct JsonLines<R> {
    reader: R,
    name: String,
    stem: String,
    opts: InputOptions,
    line_no: usize,
    buf: Vec<u8>,
    pending: VecDeque<Record>,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    pub fn new(reader: R, name: &str, opts: &InputOptions) -> Self {
        JsonLines {
            reader,
            name: name.to_string(),
            stem: document_id(name),
            opts: opts.clone(),
            line_no: 0,
            buf: Vec::new(),
            pending: VecDeque::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(rec) = self.pending.pop_front() {
                return Some(Ok(rec));
            }
            if self.done {
                return None;
            }
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e.into()));
                }
            }
            self.line_no += 1;
            let line = String::from_utf8_lossy(&self.buf);
            let mut out = Vec::new();
            if matches!(line, std::borrow::Cow::Owned(_)) {
                out.push(Record::Warning(Warning {
                    source: self.name.clone(),
                    line: Some(self.line_no),
                    message: "invalid UTF-8 replaced with U+FFFD".to_string(),
                }));
            }
            json_line(
                &line,
                self.line_no,
                &self.name,
                &self.stem,
                &self.opts,
                &mut out,
            );
            self.pending.extend(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn read(bytes: &[u8], name: &str) -> Decoded {
        read_documents(bytes, name, &InputOptions::default()).unwrap()
    }

    fn one(bytes: &[u8], name: &str) -> Document {
        let d = read(bytes, name);
        assert_eq!(d.documents.len(), 1, "{d:?}");
        d.documents.into_iter().next().unwrap()
    }

    #[test]
    fn ids_come_from_the_name() {
        assert_eq!(document_id("dir/a-story.txt"), "a-story");
        assert_eq!(document_id("noext"), "noext");
        assert_eq!(document_id("-"), "stdin");
        assert_eq!(document_id(""), "stdin");
    }

    #[test]
    fn empty_input_is_one_empty_document() {
        let doc = one(b"", "empty.txt");
        assert_eq!(doc.id, "empty");
        assert_eq!(doc.text, "");
        assert!(doc.title.is_none());
        let doc = one(b"", "empty.jsonl");
        assert_eq!(doc.text, "");
    }

    #[test]
    fn json_lines_records_and_broken_lines() {
        let input = concat!(
            "{\"id\": \"a1\", \"date\": \"2021-06-01\", \"title\": \"Mayor opens bridge\", ",
            "\"text\": \"The mayor said it was overdue.\", \"url\": \"http://x.test/a\", ",
            "\"outlet\": \"Gazette\", \"section\": \"local\"}\n",
            "this is not json\n",
            "\n",
            "{\"title\": \"no text here\"}\n",
            "{\"text\": \"A second story.\", \"date\": \"2021-06-02T10:00:00Z\"}\n",
            "[1, 2]\n",
            "{\"id\": 7, \"text\": \"Numbered.\", \"date\": \"soon\"}",
        );
        let d = read(input.as_bytes(), "feed.jsonl");
        assert_eq!(d.format, Format::JsonLines);
        let ids: Vec<_> = d.documents.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["a1", "feed-5", "7"]);
        let a = &d.documents[0];
        assert_eq!(a.date, Some(date(2021, 6, 1)));
        assert_eq!(a.title.as_deref(), Some("Mayor opens bridge"));
        assert_eq!(a.title_span, None);
        assert_eq!(a.url.as_deref(), Some("http://x.test/a"));
        assert_eq!(a.outlet.as_deref(), Some("Gazette"));
        assert_eq!(a.metadata.get("section"), Some(&Value::from("local")));
        assert!(!a.metadata.contains_key("text"));
        assert_eq!(d.documents[1].date, Some(date(2021, 6, 2)));
        assert_eq!(d.documents[2].date, None);
        assert_eq!(
            d.documents[2].metadata.get("date"),
            Some(&Value::from("soon"))
        );
        let lines: Vec<_> = d.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(2), Some(4), Some(6), Some(7)]);
        assert!(d.warnings[0]
            .to_string()
            .starts_with("feed.jsonl: line 2: not valid JSON"));
        assert!(d.warnings[1].message.contains("no \"text\""));
    }

    #[test]
    fn json_lines_detected_without_extension_and_first_line_broken() {
        let d = read(b"{\"text\": \"One.\"}\n{\"text\": \"Two.\"}\n", "-");
        assert_eq!(d.format, Format::JsonLines);
        let ids: Vec<_> = d.documents.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["stdin-1", "stdin-2"]);

        let d = read(b"{\"text\": broken\n{\"text\": \"Two.\"}\n", "-");
        assert_eq!(d.documents.len(), 1);
        assert_eq!(d.documents[0].id, "stdin-2");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn json_object_and_array() {
        let d = read(
            b"{\n  \"text\": \"Pretty.\",\n  \"title\": \"T\"\n}\n",
            "one.json",
        );
        assert_eq!(d.format, Format::Json);
        assert_eq!(d.documents.len(), 1);
        assert_eq!(d.documents[0].id, "one");
        let d = read(
            b"[{\"text\": \"A.\"}, 3, {\"id\": \"x\", \"text\": \"B.\"}]",
            "many.json",
        );
        let ids: Vec<_> = d.documents.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["many-1", "x"]);
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].message.starts_with("record 2"));
    }

    #[test]
    fn text_that_starts_with_a_brace_or_bracket_is_plain() {
        let doc = one(
            b"[Updated] Council votes\n\nThe council voted.\n",
            "story.txt",
        );
        assert_eq!(doc.text, "[Updated] Council votes\n\nThe council voted.\n");
        assert_eq!(doc.title.as_deref(), Some("[Updated] Council votes"));
        let doc = one(b"{Photo} The harbour at dawn.", "-");
        assert!(doc.title.is_none());
    }

    #[test]
    fn title_of_a_record_located_in_its_text() {
        let d = read(
            b"{\"title\": \"Storm hits coast\", \"text\": \"Storm hits coast\\n\\nWinds rose.\"}",
            "s.jsonl",
        );
        assert_eq!(d.documents[0].title_span, Some(Span::new(0, 16)));
        // No title field: a headline in the text is found as in plain text.
        let d = read(
            b"{\"text\": \"Storm hits coast\\n\\nWinds rose.\"}",
            "s.jsonl",
        );
        assert_eq!(d.documents[0].title.as_deref(), Some("Storm hits coast"));
    }

    #[test]
    fn dated_layout() {
        let text = " date 2020-02-29 A short summary of it\n\nCouncil Backs New Park Plan\n\nThe council said \"yes\" on Monday.\n\nMore.\n";
        let doc = one(text.as_bytes(), "park.txt");
        assert_eq!(doc.text, text);
        assert_eq!(doc.id, "park");
        assert_eq!(doc.date, Some(date(2020, 2, 29)));
        assert_eq!(doc.title.as_deref(), Some("Council Backs New Park Plan"));
        let span = doc.title_span.unwrap();
        assert_eq!(span.slice(&doc.text), "Council Backs New Park Plan");
        assert_eq!(&doc.text[doc.body_start..doc.body_start + 3], "The");
        assert_eq!(
            doc.metadata.get("summary"),
            Some(&Value::from("A short summary of it"))
        );
    }

    #[test]
    fn dated_layout_variants() {
        let text = " date 2020-02-30\r\n\r\nTitle Here Now\r\n\r\nBody.\r\n";
        let d = read(text.as_bytes(), "x");
        assert_eq!(d.format, Format::Dated);
        let doc = &d.documents[0];
        assert_eq!(doc.date, None);
        assert_eq!(d.warnings.len(), 1);
        assert_eq!(doc.title_span.unwrap().slice(text), "Title Here Now");
        assert_eq!(&text[doc.body_start..], "Body.\r\n");
        // Only a header.
        let doc = one(b" date 2020-01-01", "x");
        assert_eq!(doc.date, Some(date(2020, 1, 1)));
        assert!(doc.title.is_none());
        assert_eq!(doc.body_start, 16);
        // Not a header.
        assert_eq!(
            read(b" date 2020-01-01x\n\nA b\n\nc", "x").format,
            Format::Plain
        );
        assert_eq!(read(b"date: 2020-01-01\n", "x").format, Format::Plain);
    }

    #[test]
    fn date_override() {
        let opts = InputOptions {
            date: Some(date(1999, 12, 31)),
        };
        let text = b" date 2020-02-29 s\n\nT t\n\nBody.";
        let d = read_documents(text, "x.txt", &opts).unwrap();
        assert_eq!(d.documents[0].date, Some(date(1999, 12, 31)));
        let d = read_documents(b"{\"text\": \"a\", \"date\": \"2001-01-01\"}", "x", &opts).unwrap();
        assert_eq!(d.documents[0].date, Some(date(1999, 12, 31)));
        let d = read_documents(b"Plain.", "x", &opts).unwrap();
        assert_eq!(d.documents[0].date, Some(date(1999, 12, 31)));
    }

    #[test]
    fn plain_headlines() {
        let title = |s: &str| one(s.as_bytes(), "p.txt").title;
        assert_eq!(
            title("Mayor Quits After Vote\n\nThe mayor left.").as_deref(),
            Some("Mayor Quits After Vote")
        );
        assert_eq!(
            title("\u{feff}\n  Rates rise in U.S.\nPrices fell.\nThen rose.").as_deref(),
            Some("Rates rise in U.S.")
        );
        // A sentence, a lone line, a hard-wrapped paragraph, a long line.
        assert_eq!(title("The mayor resigned today.\n\nMore."), None);
        assert_eq!(title("Just one line with no newline"), None);
        assert_eq!(title("Just one line\n"), None);
        assert_eq!(
            title("The mayor said on Monday that the\ncity would pay.\n\nNext paragraph."),
            None
        );
        assert_eq!(title(&format!("{}\n\nBody.", "word ".repeat(60))), None);
        assert_eq!(title("He said:\n\n\"Go.\""), None);
        let doc = one("\u{feff}Big Win\n\nBody.".as_bytes(), "p.txt");
        assert_eq!(doc.title_span.unwrap().slice(&doc.text), "Big Win");
        assert_eq!(doc.body_start, 0);
        assert!(doc.text.starts_with('\u{feff}'));
    }

    #[test]
    fn invalid_utf8_is_replaced_with_a_warning() {
        let d = read(b"Caf\xe9 owner speaks\n\nShe said \xff\xfe hi.", "c.txt");
        let doc = &d.documents[0];
        assert_eq!(doc.text.matches('\u{FFFD}').count(), 3);
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].message.contains("byte 3"));
        assert!(d.warnings[0].message.contains("3 sequences"));
    }

    #[test]
    fn binary_input_is_refused() {
        assert!(matches!(
            read_documents(b"PK\x03\x04\x00\x00", "a.txt", &InputOptions::default()),
            Err(InputError::Binary { .. })
        ));
        let controls: Vec<u8> = (0..100)
            .map(|i| if i % 3 == 0 { 1 } else { b'a' })
            .collect();
        assert!(read_documents(&controls, "a", &InputOptions::default()).is_err());
        // Tabs, form feeds and a few odd bytes are still text.
        assert!(read_documents(b"a\tb\x0cc\x07d efgh ijkl", "a", &InputOptions::default()).is_ok());
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Hi “there”".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let d = read(&bytes, "u.txt");
        assert_eq!(d.documents[0].text, "\u{feff}Hi “there”");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn sniff_tells_streamable_inputs() {
        let s = sniff(b"{\"text\": \"a\"}\n{\"te", "-", false).unwrap();
        assert!(s.streamable());
        // A long first record cut by the head.
        assert!(sniff(b"{\"text\": \"aaaa", "-", false)
            .unwrap()
            .streamable());
        assert_eq!(
            sniff(b"{\n \"text\": 1", "x.json", false).unwrap().format,
            Format::Json
        );
        assert_eq!(
            sniff(b" date 2022-01-01 x\n", "x", false).unwrap().format,
            Format::Dated
        );
        assert!(sniff(b"\x00\x01", "x", false).is_err());
    }

    #[test]
    fn streaming_reader_matches_whole_reading() {
        let input =
            b"{\"text\": \"A.\"}\nnope\n{\"text\": \"B\xff.\"}\n{\"id\": \"z\", \"text\": \"C.\"}";
        let mut docs = Vec::new();
        let mut warnings = Vec::new();
        for rec in JsonLines::new(&input[..], "f.jsonl", &InputOptions::default()) {
            match rec.unwrap() {
                Record::Document(d) => docs.push(d.id),
                Record::Warning(w) => warnings.push(w.line),
            }
        }
        assert_eq!(docs, ["f-1", "f-3", "z"]);
        assert_eq!(warnings, [Some(2), Some(3)]);
    }

    #[test]
    fn no_panics_on_odd_inputs() {
        let inputs: [&[u8]; 12] = [
            b"\n",
            b"\r\n\r\n",
            b" date ",
            b" date 2020-01-0",
            b" date 2020-01-01\n",
            b" date 2020-01-01 \xc3",
            b"{",
            b"[",
            b"{}\n",
            b"\xef\xbb\xbf",
            b"\xef\xbb\xbf{\"text\": \"x\"}",
            b"\xfe\xff\x00",
        ];
        for input in inputs {
            for name in ["a.txt", "a.jsonl", "a.json", "-"] {
                let d = read_documents(input, name, &InputOptions::default());
                if let Ok(d) = d {
                    for doc in &d.documents {
                        if let Some(s) = doc.title_span {
                            assert!(doc.text.get(s.start..s.end).is_some());
                        }
                        assert!(doc.text.is_char_boundary(doc.body_start));
                    }
                }
            }
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        /// Bytes drawn from the pieces the format rules look at.
        fn input() -> impl Strategy<Value = Vec<u8>> {
            let piece = prop_oneof![
                Just(b" date 2021-02-03 ".to_vec()),
                Just(b"{\"text\": \"a\"}".to_vec()),
                Just(b"\n".to_vec()),
                Just(b"\r\n".to_vec()),
                Just(b"{".to_vec()),
                Just(b"[".to_vec()),
                Just("\u{feff}".as_bytes().to_vec()),
                Just("“é”".as_bytes().to_vec()),
                Just(b"Word U.S. said.".to_vec()),
                any::<u8>().prop_map(|b| vec![b]),
            ];
            prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
        }

        proptest! {
            #[test]
            fn any_input_decodes_to_valid_spans(bytes in input()) {
                for name in ["a.txt", "a.jsonl", "a.json", "-"] {
                    let Ok(d) = read_documents(&bytes, name, &InputOptions::default()) else {
                        continue;
                    };
                    for doc in &d.documents {
                        if let Some(s) = doc.title_span {
                            prop_assert!(doc.text.get(s.start..s.end).is_some());
                            prop_assert_eq!(Some(s.slice(&doc.text)), doc.title.as_deref());
                        }
                        prop_assert!(doc.body_start <= doc.text.len());
                        prop_assert!(doc.text.is_char_boundary(doc.body_start));
                    }
                    let _ = sniff(&bytes, name, false);
                }
            }
        }
    }
}
