//! Quote clusters from Python: the store's own code (`onrecord_store::cluster`), so that the
//! Spark job clusters exactly as `onrecord ingest` does (docs/SCALE.md, "Clusters").
//!
//! * `normalize_quote` is the store's normalization, its plain words joined by one space;
//! * `quote_signature` is what the store's index sees of a quote: exact key, probe shingles,
//!   fingerprints (the Spark job joins quotes on them to find which can meet);
//! * `QuoteClusterer` and `cluster_quotes` replay the store's clustering over quotes given
//!   in ingest order.

use onrecord_store::cluster;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

/// The store's normalized words of a quote, without ellipsis marks, joined by one space.
#[pyfunction]
pub fn normalize_quote(text: &str) -> String {
    cluster::plain(&cluster::normalize(text)).join(" ")
}

/// (exact key or None, probe shingles, fingerprints) of a quote, as the store indexes it.
#[pyfunction]
pub fn quote_signature(text: &str) -> (Option<i64>, Vec<i64>, Vec<i64>) {
    let s = cluster::signature(text);
    (s.key, s.shingles, s.fingerprints)
}

/// The texts of a Python iterable of str (a TypeError names the first item that is not).
fn texts(items: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if items.is_instance_of::<pyo3::types::PyString>() {
        return Err(PyTypeError::new_err(
            "texts must be an iterable of str, not a str",
        ));
    }
    let mut out = Vec::new();
    for (i, item) in items.try_iter()?.enumerate() {
        let item = item?;
        let text: String = item.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "texts[{i}]: expected str, got {}",
                item.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        out.push(text);
    }
    Ok(out)
}

/// For each quote, in ingest order, the position of the first quote of its cluster.
#[pyfunction]
pub fn cluster_quotes(py: Python<'_>, texts_in: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    let items = texts(texts_in)?;
    Ok(py.detach(|| cluster::assign(items.iter().map(String::as_str))))
}

/// The store's clustering, one quote at a time.
#[pyclass(module = "onrecord._onrecord")]
#[derive(Default)]
pub struct QuoteClusterer {
    inner: cluster::Clusterer,
}

#[pymethods]
impl QuoteClusterer {
    #[new]
    fn new() -> Self {
        QuoteClusterer::default()
    }

    /// Add the next quote; the cluster it joins now (a later quote may merge it further).
    fn add(&mut self, text: &str) -> usize {
        self.inner.add(text)
    }

    /// Add quotes in order (the GIL released).
    fn extend(&mut self, py: Python<'_>, texts_in: &Bound<'_, PyAny>) -> PyResult<()> {
        let items = texts(texts_in)?;
        let inner = &mut self.inner;
        py.detach(|| {
            for t in &items {
                inner.add(t);
            }
        });
        Ok(())
    }

    /// For every quote added, the position of the first quote of its cluster now.
    fn assignments(&self, py: Python<'_>) -> Vec<usize> {
        py.detach(|| self.inner.assignments())
    }

    /// The normalized longest text of the cluster the quote at `position` is in now (the
    /// store's `rep_norm`); None past the end.
    fn representative(&self, position: usize) -> Option<String> {
        self.inner.representative(position).map(str::to_string)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}
