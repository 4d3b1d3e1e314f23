//! Python bindings for onrecord: the native module `onrecord._onrecord`.
//!
//! This is the native half of the `onrecord` Python package; `python/onrecord/__init__.py`
//! is its public face (docs/PYTHON.md). Every function here returns the `onrecord/1`
//! contract as JSON text, the very line `onrecord extract --format jsonl` prints, and the
//! Python side parses it with `json.loads`. So the dicts Python sees are the CLI's JSON by
//! construction: same keys in the same order, same numbers (a confidence of `0.96` is the
//! float `0.96`, not the `f32` widened to `0.9599999785`).
//!
//! A document given from Python is turned into a JSON Lines record and read by the same
//! code as the CLI's JSON Lines input (`onrecord_core::input::JsonLines`), so `extract(text, id=..,
//! date=.., title=..)` is `onrecord extract` on `{"id": .., "date": .., "title": ..,
//! "text": ..}`: the headline rule, the title's span and the id rules are the CLI's.
//!
//! Work runs with the GIL released, on rayon's global pool or on a pool of `threads`. Every
//! document is extracted under `catch_unwind`: a panic in the pipeline becomes a Python
//! `RuntimeError` naming the document, never an abort of the interpreter.

mod args;
mod cluster;
mod corpus;
mod reader;

use args::{
    check_threads, date_arg, docs_arg, extract, failure_to_py, id_arg, opt_str, text_arg, to_json,
    DocIn,
};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;

create_exception!(
    _onrecord,
    StoreError,
    PyException,
    "The corpus could not do what was asked (a database error, a closed or read-only corpus)."
);

/// Extract one document; returns its `onrecord/1` JSON (one line).
#[pyfunction]
#[pyo3(signature = (text, *, date=None, title=None, id=None, url=None, outlet=None))]
fn extract_json(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    date: Option<&Bound<'_, PyAny>>,
    title: Option<&Bound<'_, PyAny>>,
    id: Option<&Bound<'_, PyAny>>,
    url: Option<&Bound<'_, PyAny>>,
    outlet: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let doc = DocIn {
        text: text_arg(text)?,
        id: id_arg(id, "doc".to_string(), "id")?,
        date: date_arg(date, "date")?,
        title: opt_str(title, "title")?,
        url: opt_str(url, "url")?,
        outlet: opt_str(outlet, "outlet")?,
    };
    py.detach(|| {
        let d = doc.document()?;
        to_json(&extract(&d)?)
    })
    .map_err(|f| failure_to_py(&format!("document {:?}", doc.id), f))
}

/// Extract many documents in parallel; returns their JSON lines in input order.
#[pyfunction]
#[pyo3(signature = (docs, threads=None))]
fn extract_many_json(
    py: Python<'_>,
    docs: &Bound<'_, PyAny>,
    threads: Option<i64>,
) -> PyResult<Vec<String>> {
    let threads = check_threads(threads)?;
    let items = docs_arg(docs)?;
    let results = py.detach(|| {
        args::parallel(&items, threads, |d| {
            let doc = d.document()?;
            to_json(&extract(&doc)?)
        })
    })?;
    results
        .into_iter()
        .zip(&items)
        .enumerate()
        .map(|(i, (r, d))| r.map_err(|f| failure_to_py(&format!("docs[{i}] (id {:?})", d.id), f)))
        .collect()
}

/// A date as `YYYY-MM-DD`, from a str (a date or an ISO 8601 timestamp) or a
/// `datetime.date`; ValueError when it is no calendar date.
#[pyfunction]
fn normalize_date(value: &Bound<'_, PyAny>) -> PyResult<String> {
    date_arg(Some(value), "date")?.ok_or_else(|| PyValueError::new_err("date is None"))
}

#[pymodule]
fn _onrecord(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SCHEMA", onrecord_core::SCHEMA)?;
    m.add("StoreError", m.py().get_type::<StoreError>())?;
    m.add_function(wrap_pyfunction!(extract_json, m)?)?;
    m.add_function(wrap_pyfunction!(extract_many_json, m)?)?;
    m.add_function(wrap_pyfunction!(reader::read_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(reader::read_path, m)?)?;
    m.add_function(wrap_pyfunction!(cluster::normalize_quote, m)?)?;
    m.add_function(wrap_pyfunction!(cluster::quote_signature, m)?)?;
    m.add_function(wrap_pyfunction!(cluster::cluster_quotes, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_date, m)?)?;
    m.add_class::<reader::Reader>()?;
    m.add_class::<corpus::Corpus>()?;
    m.add_class::<cluster::QuoteClusterer>()?;
    Ok(())
}
