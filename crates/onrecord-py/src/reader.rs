//! Raw inputs (bytes or paths) read by `onrecord-input` as the CLI reads files: plain and
//! dated text, JSON, JSON Lines, HTML pages, WARC/WET archives, gzip or zstd compressed;
//! their documents extracted a batch at a time, so that an archive of any size streams.

use crate::args::{self, check_threads, extract, failure_to_py, guarded, input_options, to_json};
use onrecord_core::Document;
use onrecord_input::{InputItem, Options, Outcome, Walk};
use pyo3::exceptions::{PyFileNotFoundError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A note about an input: (outcome, reason, message). The outcome is `skipped` (not an
/// article, by design: a WARC request record), `failed` (a broken record or file) or
/// `warning` (a document was still produced).
pub type Note = (&'static str, &'static str, String);

pub fn note_of(skip: &onrecord_input::Skip) -> Note {
    let outcome = match skip.outcome() {
        Outcome::Skipped => "skipped",
        Outcome::Failed => "failed",
        Outcome::Warning => "warning",
    };
    (outcome, skip.reason.label(), skip.to_string())
}

/// Pull up to `max_docs` documents from `walk`, with the notes met on the way; `true` when
/// the walk is over.
/// Documents (each with whether its text is derived), notes, and whether the walk is over.
pub type Pulled = (Vec<(Document, bool)>, Vec<Note>, bool);

/// Each document comes with whether its text was derived from the input (an HTML page, a
/// WARC record): the CLI then prints the text with the result, and so do we.
pub fn pull(walk: &mut Walk, max_docs: usize) -> PyResult<Pulled> {
    let mut docs = Vec::new();
    let mut notes = Vec::new();
    while docs.len() < max_docs {
        let item: Option<InputItem> =
            guarded(|| walk.next()).map_err(|f| failure_to_py("reading the input", f))?;
        match item {
            Some(Ok(d)) => {
                let derived = d.text_is_derived();
                docs.push((d.document, derived))
            }
            Some(Err(skip)) => notes.push(note_of(&skip)),
            None => return Ok((docs, notes, true)),
        }
    }
    Ok((docs, notes, false))
}

/// A batch of results: JSON lines, the UTF-8 length of each document's text, the texts
/// (when asked for), the notes, and whether the input is exhausted.
type Batch = (
    Vec<String>,
    Vec<usize>,
    Option<Vec<String>>,
    Vec<Note>,
    bool,
);

/// An input being read and extracted batch by batch (`next_batch`); see `onrecord.iter_extract_bytes`.
#[pyclass(module = "onrecord._onrecord")]
pub struct Reader {
    walk: Mutex<Option<Walk>>,
    threads: Option<usize>,
    with_text: bool,
}

#[pymethods]
impl Reader {
    /// Read up to `max_docs` documents and extract them (GIL released).
    #[pyo3(signature = (max_docs=64))]
    fn next_batch(&self, py: Python<'_>, max_docs: usize) -> PyResult<Batch> {
        if max_docs == 0 {
            return Err(PyValueError::new_err("max_docs must be at least 1"));
        }
        py.detach(|| {
            let (docs, notes, done) = {
                let mut guard = self
                    .walk
                    .lock()
                    .map_err(|_| PyRuntimeError::new_err("the reader failed earlier"))?;
                let Some(walk) = guard.as_mut() else {
                    return Ok((Vec::new(), Vec::new(), None, Vec::new(), true));
                };
                let out = pull(walk, max_docs)?;
                if out.2 {
                    *guard = None;
                }
                out
            };
            let results = args::parallel(&docs, self.threads, |(d, derived)| {
                extract(d).and_then(|mut x| {
                    if *derived {
                        x.text = Some(d.text.clone());
                    }
                    to_json(&x)
                })
            })?;
            let mut lines = Vec::with_capacity(docs.len());
            for (r, (d, _)) in results.into_iter().zip(&docs) {
                lines.push(r.map_err(|f| failure_to_py(&format!("document {:?}", d.id), f))?);
            }
            let sizes = docs.iter().map(|(d, _)| d.text.len()).collect();
            let texts = self
                .with_text
                .then(|| docs.into_iter().map(|(d, _)| d.text).collect());
            Ok((lines, sizes, texts, notes, done))
        })
    }
}

pub fn options(date: Option<&Bound<'_, PyAny>>) -> PyResult<Options> {
    Ok(Options {
        input: input_options(date)?,
        ..Default::default()
    })
}

/// Read `data` as the input `name` (its extension is a hint, as for files).
#[pyfunction]
#[pyo3(signature = (data, name="-", *, date=None, threads=None, with_text=false))]
pub fn read_bytes(
    data: Cow<'_, [u8]>,
    name: &str,
    date: Option<&Bound<'_, PyAny>>,
    threads: Option<i64>,
    with_text: bool,
) -> PyResult<Reader> {
    let opts = options(date)?;
    let walk = onrecord_input::read(std::io::Cursor::new(data.into_owned()), name, &opts);
    Ok(Reader {
        walk: Mutex::new(Some(walk)),
        threads: check_threads(threads)?,
        with_text,
    })
}

pub fn open_walk(path: &Path, opts: &Options) -> PyResult<Walk> {
    if path.as_os_str() != "-" && !path.exists() {
        return Err(PyFileNotFoundError::new_err(format!(
            "{}: no such file or directory",
            path.display()
        )));
    }
    Ok(onrecord_input::walk([path.to_path_buf()], opts))
}

/// Read a file or a directory (walked recursively for input files), as the CLI does.
#[pyfunction]
#[pyo3(signature = (path, *, date=None, threads=None, with_text=false))]
pub fn read_path(
    path: PathBuf,
    date: Option<&Bound<'_, PyAny>>,
    threads: Option<i64>,
    with_text: bool,
) -> PyResult<Reader> {
    let opts = options(date)?;
    let walk = open_walk(&path, &opts)?;
    Ok(Reader {
        walk: Mutex::new(Some(walk)),
        threads: check_threads(threads)?,
        with_text,
    })
}
