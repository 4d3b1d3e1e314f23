//! onrecord-input: the inputs onrecord reads, as they come, turned into [`Document`]s.
//!
//! Takes paths (files, directories walked recursively, `-` for standard input), readers or
//! bytes; gives a stream of [`InputItem`]s: `Ok(InputDoc)` for each document, `Err(Skip)`
//! for what was skipped, failed or warned about, each with a [`Reason`] to count it by.
//! One bad record never ends a stream; a broken container (a truncated gzip, a corrupt
//! WARC) gives what it could, then one failure.
//!
//! | input | recognised by | documents |
//! |---|---|---|
//! | plain text, dated layout, JSON, JSON Lines | content ([`onrecord_core::input`]) | the text as given |
//! | HTML page | content (`<!doctype html`, `<html`, ...) or `.html`/`.htm` | the main text ([`html`]) |
//! | WARC (`WARC/1.x`) | content | one per HTML `response` record; WET `conversion` records as plain text |
//! | gzip, zstd | magic bytes | whatever they hold (WARC.gz with one gzip member per record too) |
//!
//! Two ways to read:
//!
//! * [`walk`] (or [`open`], [`read`]): a plain iterator of items, decoded in the calling
//!   thread. Simple; one core.
//! * [`units`]: the same inputs as a lazy sequence of [`Unit`]s, cheap to produce in one
//!   thread (walking, reading, decompressing, splitting archives into records) and
//!   [`Unit::decode`]d anywhere (reading a small file, extracting an HTML page's text), so
//!   that a caller can decode them on many threads. Their order is the input order.
//!
//! Memory stays bounded: archives, compressed files and large JSON Lines files are read
//! record by record; only small files, single pages and single records are held whole,
//! each up to a limit in [`Options`].

pub mod charset;
mod compress;
pub mod dates;
pub mod html;
pub mod http;
mod jsonl;
mod source;
pub mod warc;

use onrecord_core::input::InputOptions;
use onrecord_core::Document;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

pub use source::{total_size, Units};

/// One item of an input stream: a document, or why something is not one.
pub type InputItem = Result<InputDoc, Skip>;

/// What the caller knows better than the inputs, and the limits that bound memory.
#[derive(Clone, Debug)]
pub struct Options {
    /// Passed to the plain/dated/JSON decoders: a date that overrides every document's.
    pub input: InputOptions,
    /// Field names of JSON and JSON Lines records.
    pub fields: FieldNames,
    /// Raw bytes read from input files (before decompression) are added here, for
    /// progress reports.
    pub bytes_read: Option<Arc<AtomicU64>>,
    /// Larger archive records, JSON lines and HTML pages are skipped ([`Reason::TooLarge`]).
    pub max_record_bytes: usize,
    /// Larger inputs that must be read whole (a JSON array, a plain text, inside a
    /// compressed file or a very large file) fail with [`Reason::TooLarge`].
    pub max_whole_bytes: usize,
    /// Files up to this size are read whole by [`Unit::decode`] (on a worker); larger ones
    /// and every compressed file or archive are read record by record by [`Units`].
    pub stream_min_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            input: InputOptions::default(),
            fields: FieldNames::default(),
            bytes_read: None,
            max_record_bytes: 32 << 20,
            max_whole_bytes: 512 << 20,
            stream_min_bytes: 16 << 20,
        }
    }
}

/// Where JSON records keep what a document needs: CC-News style dumps name their fields
/// differently (`maintext`, `date_publish`, ...). A mapped field is read as if it had the
/// standard name; the others stay in the document's metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldNames {
    pub text: String,
    pub title: String,
    pub date: String,
    pub url: String,
    pub id: String,
    pub outlet: String,
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames {
            text: "text".into(),
            title: "title".into(),
            date: "date".into(),
            url: "url".into(),
            id: "id".into(),
            outlet: "outlet".into(),
        }
    }
}

impl FieldNames {
    /// Pairs of (standard name, name in the records) that differ.
    pub(crate) fn renamed(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("text", self.text.as_str()),
            ("title", self.title.as_str()),
            ("date", self.date.as_str()),
            ("url", self.url.as_str()),
            ("id", self.id.as_str()),
            ("outlet", self.outlet.as_str()),
        ]
        .into_iter()
        .filter(|(std, name)| std != name)
    }
}

/// What kind of input a document came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Plain,
    Dated,
    Json,
    JsonLines,
    /// An HTML file.
    Html,
    /// An HTML page in a WARC `response` (or `resource`) record.
    Warc,
    /// A WET `conversion` record (plain text extracted by the crawler).
    Wet,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Plain => "plain text",
            Format::Dated => "dated text",
            Format::Json => "JSON",
            Format::JsonLines => "JSON Lines",
            Format::Html => "HTML",
            Format::Warc => "WARC",
            Format::Wet => "WET",
        }
    }
}

/// Where in an input something is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// 1-based line of JSON Lines.
    Line(u64),
    /// 1-based record of a WARC file or a JSON array.
    Record(u64),
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Line(n) => write!(f, "line {n}"),
            At::Record(n) => write!(f, "record {n}"),
        }
    }
}

/// A decoded document and where it came from.
#[derive(Clone, Debug)]
pub struct InputDoc {
    pub document: Document,
    /// The input's name as the caller gave it (`-` for standard input).
    pub source: Arc<str>,
    pub at: Option<At>,
    pub format: Format,
}

impl InputDoc {
    /// Whether the document's text was made from the input (HTML main text, a web
    /// archive's record) rather than taken as given: offsets then refer to a text the
    /// reader does not have unless it is passed along with them.
    pub fn text_is_derived(&self) -> bool {
        matches!(self.format, Format::Html | Format::Warc | Format::Wet)
    }
}

/// How a [`Skip`] counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Not an article, by design (a WARC request record, a redirect, an image).
    Skipped,
    /// Something that should have been read could not be: a broken record or file.
    Failed,
    /// A document was still produced (or nothing was lost), but something was off.
    Warning,
}

/// Why something was skipped, failed or warned about: the key a summary counts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reason {
    /// A WARC record that is not a page: request, metadata, warcinfo, revisit.
    WarcRecordType,
    /// An HTTP response whose status is not 200.
    HttpStatus,
    /// An HTTP response or archive record that is not HTML (an image, a style sheet).
    NotHtml,
    /// An HTML page with no article text (an index page, an empty page).
    NoArticle,
    /// A record or page larger than the limit in [`Options`].
    TooLarge,
    /// A file in a walked directory whose name says it is no input (`.md`, `.png`).
    NotInputFile,
    /// An input that cannot be opened or read.
    Unreadable,
    /// Binary data where text was expected.
    Binary,
    /// Compressed data that ends early.
    Truncated,
    /// Compressed data that is corrupt.
    Corrupt,
    /// A compression or content encoding this reader does not decode (xz, bzip2, brotli).
    Unsupported,
    /// A WARC record whose header is malformed.
    BadWarc,
    /// An HTTP response that cannot be parsed.
    BadHttp,
    /// A JSON record that is not valid JSON or not an object.
    BadJson,
    /// A JSON record without a string text field.
    NoText,
    /// The HTML extractor failed on a page.
    HtmlError,
    /// Text in an encoding other than declared, or invalid: replaced characters.
    Encoding,
    /// A field that was not understood (an unrecognised date) and was kept in metadata.
    Metadata,
    /// A directory with no input file in it.
    NoInput,
}

impl Reason {
    pub fn outcome(self) -> Outcome {
        use Reason::*;
        match self {
            WarcRecordType | HttpStatus | NotHtml | NoArticle | TooLarge | NotInputFile => {
                Outcome::Skipped
            }
            Unreadable | Binary | Truncated | Corrupt | Unsupported | BadWarc | BadHttp
            | BadJson | NoText | HtmlError => Outcome::Failed,
            Encoding | Metadata | NoInput => Outcome::Warning,
        }
    }

    /// A short label for summaries: "HTTP status not 200".
    pub fn label(self) -> &'static str {
        use Reason::*;
        match self {
            WarcRecordType => "WARC records not pages",
            HttpStatus => "HTTP status not 200",
            NotHtml => "not HTML",
            NoArticle => "no article text",
            TooLarge => "too large",
            NotInputFile => "not input files",
            Unreadable => "unreadable",
            Binary => "binary data",
            Truncated => "truncated",
            Corrupt => "corrupt",
            Unsupported => "unsupported compression or encoding",
            BadWarc => "malformed WARC records",
            BadHttp => "malformed HTTP responses",
            BadJson => "invalid JSON records",
            NoText => "records without text",
            HtmlError => "HTML extraction errors",
            Encoding => "encoding problems",
            Metadata => "metadata not understood",
            NoInput => "directories without inputs",
        }
    }
}

/// Something in an input that is not a document (or a note about one), with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    pub source: Arc<str>,
    pub at: Option<At>,
    pub reason: Reason,
    /// A readable sentence: "WARC request record", "HTTP status 404".
    pub detail: String,
}

impl Skip {
    pub fn new(
        source: &Arc<str>,
        at: Option<At>,
        reason: Reason,
        detail: impl Into<String>,
    ) -> Skip {
        Skip {
            source: source.clone(),
            at,
            reason,
            detail: detail.into(),
        }
    }

    pub fn outcome(&self) -> Outcome {
        self.reason.outcome()
    }

    /// Whether the rest of the input is lost: it could not be opened or read, or its
    /// compressed data or archive ends or breaks here. A failed record is not.
    pub fn ends_input(&self) -> bool {
        match self.reason {
            Reason::Unreadable | Reason::Binary | Reason::Truncated | Reason::Corrupt => true,
            r => r.outcome() == Outcome::Failed && self.at.is_none(),
        }
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = if &*self.source == "-" {
            "<stdin>"
        } else {
            &self.source
        };
        match self.at {
            Some(at) => write!(f, "{source}: {at}: {}", self.detail),
            None => write!(f, "{source}: {}", self.detail),
        }
    }
}

impl std::error::Error for Skip {}

/// A piece of input work: produced in order by [`Units`], decoded anywhere.
#[derive(Debug)]
pub enum Unit {
    /// A small file, read and decoded whole by whoever decodes the unit.
    File {
        source: Arc<str>,
        path: PathBuf,
        len: u64,
    },
    /// An HTML page whose text is still to be extracted.
    Page(Box<html::Page>),
    /// A document or skip already decoded.
    Item(InputItem),
}

impl Unit {
    /// Bytes of input the unit stands for: to bound the work in flight.
    pub fn weight(&self) -> u64 {
        match self {
            Unit::File { len, .. } => *len,
            Unit::Page(p) => p.bytes.len() as u64,
            Unit::Item(Ok(d)) => d.document.text.len() as u64,
            Unit::Item(Err(_)) => 0,
        }
    }

    /// Decode the unit: read the file, extract the page's text. Never panics on any
    /// input; problems become `Err` items.
    pub fn decode(self, opts: &Options) -> Vec<InputItem> {
        match self {
            Unit::File { source, path, .. } => source::decode_file(&source, &path, opts),
            Unit::Page(page) => vec![html::decode_page(*page, opts)],
            Unit::Item(item) => vec![item],
        }
    }
}

/// The inputs as a lazy sequence of units, in input order (see the crate docs).
/// Paths are files, directories (walked recursively, sorted by name, hidden entries
/// skipped) or `-` for standard input.
pub fn units<P: Into<PathBuf>>(paths: impl IntoIterator<Item = P>, opts: &Options) -> Units {
    Units::new(paths.into_iter().map(Into::into).collect(), opts.clone())
}

/// Every document of the inputs, decoded in the calling thread, in input order.
pub fn walk<P: Into<PathBuf>>(paths: impl IntoIterator<Item = P>, opts: &Options) -> Walk {
    Walk::new(Box::new(units(paths, opts)), opts.clone())
}

/// One file (of any supported kind; `-` is standard input): Err when it cannot be
/// opened. Its broken records come as `Err` items.
pub fn open(path: impl Into<PathBuf>, opts: &Options) -> Result<Walk, Skip> {
    let path = path.into();
    if path != std::path::Path::new("-") {
        let name: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        if let Err(e) = std::fs::File::open(&path) {
            return Err(Skip::new(
                &name,
                None,
                Reason::Unreadable,
                source::io_reason(&e),
            ));
        }
    }
    Ok(walk([path], opts))
}

/// A reader's documents, `name` standing for it in messages and ids (its extension is a
/// hint to the format, as for files).
pub fn read(reader: impl std::io::Read + Send + 'static, name: &str, opts: &Options) -> Walk {
    let name: Arc<str> = Arc::from(name);
    let reader = Box::new(std::io::BufReader::with_capacity(1 << 16, reader));
    Walk::new(source::open_reader(reader, name, opts), opts.clone())
}

/// Documents decoded from units, one unit at a time.
pub struct Walk {
    units: Box<dyn Iterator<Item = Unit> + Send>,
    opts: Options,
    ready: std::collections::VecDeque<InputItem>,
}

impl Walk {
    fn new(units: Box<dyn Iterator<Item = Unit> + Send>, opts: Options) -> Walk {
        Walk {
            units,
            opts,
            ready: Default::default(),
        }
    }
}

impl Iterator for Walk {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            let unit = self.units.next()?;
            self.ready.extend(unit.decode(&self.opts));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_have_an_outcome_and_a_label() {
        assert_eq!(Reason::HttpStatus.outcome(), Outcome::Skipped);
        assert_eq!(Reason::Truncated.outcome(), Outcome::Failed);
        assert_eq!(Reason::Encoding.outcome(), Outcome::Warning);
        assert!(!Reason::BadJson.label().is_empty());
    }

    #[test]
    fn skips_display_their_place() {
        let s: Arc<str> = Arc::from("-");
        let skip = Skip::new(&s, Some(At::Line(3)), Reason::BadJson, "not valid JSON");
        assert_eq!(skip.to_string(), "<stdin>: line 3: not valid JSON");
    }

    #[test]
    fn only_renamed_fields_are_mapped() {
        let f = FieldNames {
            text: "maintext".into(),
            ..Default::default()
        };
        assert_eq!(f.renamed().collect::<Vec<_>>(), [("text", "maintext")]);
    }
}
