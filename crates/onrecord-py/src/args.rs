//! Python arguments to Rust values, checked, with messages that name the argument; and
//! the pieces every entry point shares (documents, extraction under `catch_unwind`,
//! thread pools).

use onrecord_core::document::parse_iso_date;
use onrecord_core::input::{InputOptions, JsonLines, Record};
use onrecord_core::{Document, Extraction};
use pyo3::exceptions::{PyKeyError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyString};
use rayon::prelude::*;
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// One document from Python, checked: the fields of a JSON Lines record.
#[derive(Debug, Serialize)]
pub struct DocIn {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    pub text: String,
}

/// What went wrong with one document, before it becomes a Python exception (which needs
/// the GIL).
#[derive(Debug)]
pub enum Failure {
    /// The pipeline panicked.
    Panic(String),
    /// The record was refused (cannot happen for checked input; reported, not hidden).
    Input(String),
}

impl DocIn {
    /// The document the CLI makes of this record: the JSON Lines reader's rules for ids,
    /// dates, titles (the headline rule, the title's span in the text).
    pub fn document(&self) -> Result<Document, Failure> {
        let line = serde_json::to_string(self).map_err(|e| Failure::Input(e.to_string()))?;
        let mut notes = Vec::new();
        for rec in JsonLines::new(line.as_bytes(), "python.jsonl", &InputOptions::default()) {
            match rec {
                Ok(Record::Document(d)) => return Ok(d),
                Ok(Record::Warning(w)) => notes.push(w.message),
                Err(e) => notes.push(e.to_string()),
            }
        }
        Err(Failure::Input(notes.join("; ")))
    }
}

/// Extract one document, a panic caught.
pub fn extract(doc: &Document) -> Result<Extraction, Failure> {
    guarded(|| onrecord_core::extract(doc))
}

/// The contract's JSON line, as the CLI prints it.
pub fn to_json(x: &Extraction) -> Result<String, Failure> {
    serde_json::to_string(x).map_err(|e| Failure::Input(e.to_string()))
}

/// Run `f`, turning a panic into a [`Failure`].
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, Failure> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Failure::Panic(msg)
    })
}

pub fn failure_to_py(what: &str, f: Failure) -> PyErr {
    match f {
        Failure::Panic(msg) => PyRuntimeError::new_err(format!(
            "onrecord failed on {what} (internal error: {msg}); please report it with the text"
        )),
        Failure::Input(msg) => PyValueError::new_err(format!("{what}: {msg}")),
    }
}

/// Map `f` over `items` in parallel (order kept), on `threads` workers or rayon's global
/// pool (one per core).
pub fn parallel<T, R, F>(items: &[T], threads: Option<usize>, f: F) -> PyResult<Vec<R>>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    match threads {
        _ if items.len() <= 1 => Ok(items.iter().map(f).collect()),
        Some(1) => Ok(items.iter().map(f).collect()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| PyRuntimeError::new_err(format!("starting {n} threads: {e}")))?;
            Ok(pool.install(|| items.par_iter().map(f).collect()))
        }
        None => Ok(items.par_iter().map(f).collect()),
    }
}

pub fn check_threads(threads: Option<i64>) -> PyResult<Option<usize>> {
    match threads {
        None => Ok(None),
        Some(n) if n >= 1 => Ok(Some(n as usize)),
        Some(n) => Err(PyValueError::new_err(format!(
            "threads must be a positive integer or None (one per core), got {n}"
        ))),
    }
}

pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_string())
}

/// A date argument as `YYYY-MM-DD`. `prefix` names the argument or document in messages
/// ("date", "docs[3]: date").
pub fn date_arg(obj: Option<&Bound<'_, PyAny>>, prefix: &str) -> PyResult<Option<String>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    let py = obj.py();
    let s: String = if let Ok(s) = obj.cast::<PyString>() {
        s.to_cow()?.into_owned()
    } else if obj.is_instance(&py.import("datetime")?.getattr("date")?)? {
        // datetime.date and datetime.datetime (a subclass): "2022-03-10[T08:00:00...]".
        obj.call_method0("isoformat")?.extract()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "{prefix} must be a str (YYYY-MM-DD), a datetime.date or None, not {}",
            type_name(obj)
        )));
    };
    match parse_iso_date(&s) {
        Some(d) => Ok(Some(d.to_string())),
        None => Err(PyValueError::new_err(format!(
            "{prefix}: invalid date {s:?}: expected a calendar date as YYYY-MM-DD \
             (or an ISO 8601 timestamp), e.g. 2022-03-10"
        ))),
    }
}

pub fn input_options(date: Option<&Bound<'_, PyAny>>) -> PyResult<InputOptions> {
    Ok(InputOptions {
        date: date_arg(date, "date")?.and_then(|s| parse_iso_date(&s)),
    })
}

pub fn opt_str(obj: Option<&Bound<'_, PyAny>>, prefix: &str) -> PyResult<Option<String>> {
    match obj.filter(|o| !o.is_none()) {
        None => Ok(None),
        Some(o) => match o.cast::<PyString>() {
            Ok(s) => Ok(Some(s.to_cow()?.into_owned())),
            Err(_) => Err(PyTypeError::new_err(format!(
                "{prefix} must be a str or None, not {}",
                type_name(o)
            ))),
        },
    }
}

pub fn id_arg(obj: Option<&Bound<'_, PyAny>>, default: String, prefix: &str) -> PyResult<String> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(default);
    };
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_cow()?.into_owned();
        if s.trim().is_empty() {
            return Err(PyValueError::new_err(format!(
                "{prefix} is empty: give a non-empty id, or None for the default"
            )));
        }
        return Ok(s);
    }
    if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        return Ok(obj.str()?.to_cow()?.into_owned());
    }
    Err(PyTypeError::new_err(format!(
        "{prefix} must be a str, an int or None, not {}",
        type_name(obj)
    )))
}

/// The text argument of `extract`.
pub fn text_arg(text: &Bound<'_, PyAny>) -> PyResult<String> {
    match text.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => {
            let hint = if text.is_instance_of::<PyBytes>() {
                " (decode it first, or use extract_bytes)"
            } else {
                ""
            };
            Err(PyTypeError::new_err(format!(
                "text must be a str, not {}{hint}",
                type_name(text)
            )))
        }
    }
}

/// One item of `docs`: a str, or a mapping with a "text" key. `i` is its 0-based position.
fn doc_item(item: &Bound<'_, PyAny>, i: usize) -> PyResult<DocIn> {
    let default_id = format!("doc-{}", i + 1);
    if let Ok(s) = item.cast::<PyString>() {
        return Ok(DocIn {
            id: default_id,
            text: s.to_cow()?.into_owned(),
            date: None,
            title: None,
            url: None,
            outlet: None,
        });
    }
    let is_dict = item.is_instance_of::<PyDict>();
    let is_mapping = is_dict || (item.hasattr("keys")? && item.hasattr("__getitem__")?);
    if !is_mapping {
        return Err(PyTypeError::new_err(format!(
            "docs[{i}] must be a str or a dict with a \"text\" key, not {}",
            type_name(item)
        )));
    }
    let get = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        if let Ok(d) = item.cast::<PyDict>() {
            return d.get_item(key);
        }
        match item.get_item(key) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_instance_of::<PyKeyError>(item.py()) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let text = match get("text")? {
        Some(t) => match t.cast::<PyString>() {
            Ok(s) => s.to_cow()?.into_owned(),
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "docs[{i}][\"text\"] must be a str, not {}",
                    type_name(&t)
                )))
            }
        },
        None => {
            return Err(PyValueError::new_err(format!(
                "docs[{i}] has no \"text\" key (a document needs its text)"
            )))
        }
    };
    let id = id_arg(
        get("id")?.as_ref(),
        default_id,
        &format!("docs[{i}][\"id\"]"),
    )?;
    let at = format!("docs[{i}] (id {id:?})");
    Ok(DocIn {
        date: date_arg(get("date")?.as_ref(), &format!("{at}: date"))?,
        title: opt_str(get("title")?.as_ref(), &format!("{at}: title"))?,
        url: opt_str(get("url")?.as_ref(), &format!("{at}: url"))?,
        outlet: opt_str(get("outlet")?.as_ref(), &format!("{at}: outlet"))?,
        id,
        text,
    })
}

/// The `docs` argument: an iterable of documents (not a single str, bytes or dict).
pub fn docs_arg(docs: &Bound<'_, PyAny>) -> PyResult<Vec<DocIn>> {
    if docs.is_instance_of::<PyString>()
        || docs.is_instance_of::<PyBytes>()
        || docs.is_instance_of::<PyDict>()
    {
        return Err(PyTypeError::new_err(format!(
            "docs must be an iterable of documents (str or dict), not a single {}; \
             use extract() for one document",
            type_name(docs)
        )));
    }
    let iter = docs.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "docs must be an iterable of str or dict, not {}",
            type_name(docs)
        ))
    })?;
    let mut items = Vec::new();
    for (i, item) in iter.enumerate() {
        items.push(doc_item(&item?, i)?);
    }
    Ok(items)
}

/// Documents and their extractions, in parallel; the first failure names its document.
pub fn extract_docs(
    items: &[DocIn],
    threads: Option<usize>,
) -> PyResult<Vec<(Document, Extraction)>> {
    let results = parallel(items, threads, |d| {
        let doc = d.document()?;
        let x = extract(&doc)?;
        Ok::<_, Failure>((doc, x))
    })?;
    results
        .into_iter()
        .zip(items)
        .enumerate()
        .map(|(i, (r, d))| r.map_err(|f| failure_to_py(&format!("docs[{i}] (id {:?})", d.id), f)))
        .collect()
}
