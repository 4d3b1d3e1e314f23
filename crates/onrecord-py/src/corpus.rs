//! `onrecord.Corpus`: the SQLite store (crates/onrecord-store) from Python.
//!
//! Results cross as JSON text (the store's serde types), parsed on the Python side. Every
//! call locks the store and releases the GIL while SQLite (and the extractor) work.

use crate::args::{self, check_threads, date_arg, docs_arg, extract, extract_docs, failure_to_py};
use crate::reader::{open_walk, options, pull, Note};
use crate::StoreError;
use onrecord_core::extraction::QuoteKind;
use onrecord_core::Extraction;
use onrecord_input::Walk;
use onrecord_store::{BatchReport, ExportFormat, Query, Store};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFloat, PyInt, PyString};
use serde::Serialize;
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Mutex;

/// Articles per transaction when ingesting a stream.
const BATCH: usize = 256;

fn store_err(e: onrecord_store::Error) -> PyErr {
    use onrecord_store::Error as E;
    match e {
        E::InvalidQuery(m) => PyValueError::new_err(format!("invalid query: {m}")),
        E::Io(e) => PyOSError::new_err(e.to_string()),
        e => StoreError::new_err(e.to_string()),
    }
}

fn json<T: Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

fn add(total: &mut BatchReport, r: BatchReport) {
    total.added += r.added;
    total.duplicates += r.duplicates;
    total.quotes += r.quotes;
}

/// A value SQLite takes as a parameter.
enum Param {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl rusqlite::ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Param::Null => ValueRef::Null,
            Param::Int(i) => ValueRef::Integer(*i),
            Param::Real(f) => ValueRef::Real(*f),
            Param::Text(s) => ValueRef::Text(s.as_bytes()),
            Param::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

fn param(v: &Bound<'_, PyAny>) -> PyResult<Param> {
    if v.is_none() {
        Ok(Param::Null)
    } else if let Ok(s) = v.cast::<PyString>() {
        Ok(Param::Text(s.to_cow()?.into_owned()))
    } else if v.is_instance_of::<PyInt>() {
        Ok(Param::Int(v.extract()?))
    } else if v.is_instance_of::<PyFloat>() {
        Ok(Param::Real(v.extract()?))
    } else if let Ok(b) = v.cast::<PyBytes>() {
        Ok(Param::Blob(b.as_bytes().to_vec()))
    } else {
        Err(PyTypeError::new_err(format!(
            "SQL parameters must be str, int, float, bytes or None, not {}",
            args::type_name(v)
        )))
    }
}

/// A cell of an SQL result, owned (to cross back to Python).
enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl<'py> IntoPyObject<'py> for Cell {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(match self {
            Cell::Null => py.None().into_bound(py),
            Cell::Int(i) => i.into_pyobject(py)?.into_any(),
            Cell::Real(f) => f.into_pyobject(py)?.into_any(),
            Cell::Text(s) => s.into_pyobject(py)?.into_any(),
            Cell::Blob(b) => PyBytes::new(py, &b).into_any(),
        })
    }
}

/// The native corpus; `onrecord.Corpus` wraps it.
#[pyclass(module = "onrecord._onrecord", name = "Corpus")]
pub struct Corpus {
    store: Mutex<Option<Store>>,
    #[pyo3(get)]
    path: Option<String>,
    #[pyo3(get)]
    read_only: bool,
}

impl Corpus {
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Store) -> PyResult<T> + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            let mut guard = self
                .store
                .lock()
                .map_err(|_| StoreError::new_err("the corpus failed earlier; reopen it"))?;
            match guard.as_mut() {
                Some(store) => f(store),
                None => Err(StoreError::new_err("the corpus is closed")),
            }
        })
    }

    /// Extract and store a walk's documents, BATCH per transaction.
    fn ingest_walk(
        &self,
        py: Python<'_>,
        mut walk: Walk,
        threads: Option<usize>,
    ) -> PyResult<(String, Vec<Note>)> {
        self.with(py, |store| {
            let mut total = BatchReport::default();
            let mut notes = Vec::new();
            loop {
                let (docs, n, done) = pull(&mut walk, BATCH)?;
                let docs: Vec<_> = docs.into_iter().map(|(d, _)| d).collect();
                notes.extend(n);
                let xs = args::parallel(&docs, threads, extract)?;
                let mut pairs: Vec<(&Extraction, &onrecord_core::Document)> = Vec::new();
                let mut owned = Vec::with_capacity(xs.len());
                for (x, d) in xs.into_iter().zip(&docs) {
                    owned.push(x.map_err(|f| failure_to_py(&format!("document {:?}", d.id), f))?);
                }
                for (x, d) in owned.iter().zip(&docs) {
                    pairs.push((x, d));
                }
                add(&mut total, store.ingest_batch(pairs).map_err(store_err)?);
                if done {
                    break;
                }
            }
            Ok((json(&total)?, notes))
        })
    }
}

#[pymethods]
impl Corpus {
    #[new]
    #[pyo3(signature = (path=None, *, read_only=false))]
    fn new(py: Python<'_>, path: Option<PathBuf>, read_only: bool) -> PyResult<Self> {
        let shown = path.as_ref().map(|p| p.display().to_string());
        let store = py.detach(|| match (&path, read_only) {
            (None, false) => Store::open_in_memory(),
            (None, true) => Err(onrecord_store::Error::InvalidQuery(
                "a corpus in memory cannot be read-only".into(),
            )),
            (Some(p), false) => Store::open(p),
            (Some(p), true) => Store::open_read_only(p),
        });
        let store = store.map_err(|e| match e {
            onrecord_store::Error::InvalidQuery(m) => PyValueError::new_err(m),
            e => StoreError::new_err(format!("{}: {e}", shown.as_deref().unwrap_or(":memory:"))),
        })?;
        Ok(Corpus {
            store: Mutex::new(Some(store)),
            path: shown,
            read_only,
        })
    }

    /// Extract and store documents (as extract_many takes them); a JSON report.
    #[pyo3(signature = (docs, threads=None))]
    fn ingest(
        &self,
        py: Python<'_>,
        docs: &Bound<'_, PyAny>,
        threads: Option<i64>,
    ) -> PyResult<String> {
        let threads = check_threads(threads)?;
        let items = docs_arg(docs)?;
        self.with(py, |store| {
            let mut total = BatchReport::default();
            for chunk in items.chunks(BATCH) {
                let pairs = extract_docs(chunk, threads)?;
                let r = store
                    .ingest_batch(pairs.iter().map(|(d, x)| (x, d)))
                    .map_err(store_err)?;
                add(&mut total, r);
            }
            json(&total)
        })
    }

    /// Extract and store an input's documents (as extract_bytes reads it).
    #[pyo3(signature = (data, name="-", *, date=None, threads=None))]
    fn ingest_bytes(
        &self,
        py: Python<'_>,
        data: Cow<'_, [u8]>,
        name: &str,
        date: Option<&Bound<'_, PyAny>>,
        threads: Option<i64>,
    ) -> PyResult<(String, Vec<Note>)> {
        let opts = options(date)?;
        let threads = check_threads(threads)?;
        let walk = onrecord_input::read(std::io::Cursor::new(data.into_owned()), name, &opts);
        self.ingest_walk(py, walk, threads)
    }

    /// Extract and store a file's or a directory's documents (as the CLI reads them).
    #[pyo3(signature = (path, *, date=None, threads=None))]
    fn ingest_path(
        &self,
        py: Python<'_>,
        path: PathBuf,
        date: Option<&Bound<'_, PyAny>>,
        threads: Option<i64>,
    ) -> PyResult<(String, Vec<Note>)> {
        let opts = options(date)?;
        let threads = check_threads(threads)?;
        let walk = open_walk(&path, &opts)?;
        self.ingest_walk(py, walk, threads)
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (text="", *, speaker=None, since=None, until=None, outlet=None, kind=None, limit=None, offset=None))]
    fn search(
        &self,
        py: Python<'_>,
        text: &str,
        speaker: Option<String>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
        outlet: Option<String>,
        kind: Option<&str>,
        limit: Option<usize>,
        offset: Option<usize>,
    ) -> PyResult<String> {
        let kind = match kind {
            None => None,
            Some(k) => Some(
                serde_json::from_value::<QuoteKind>(serde_json::Value::String(k.to_string()))
                    .map_err(|_| {
                        PyValueError::new_err(format!(
                            "kind must be \"direct\", \"mixed\" or \"indirect\", not {k:?}"
                        ))
                    })?,
            ),
        };
        let q = Query {
            text: text.to_string(),
            speaker,
            since: date_arg(since, "since")?,
            until: date_arg(until, "until")?,
            outlet,
            kind,
            limit,
            offset,
        };
        self.with(py, |s| json(&s.search(&q).map_err(store_err)?))
    }

    #[pyo3(signature = (top=20))]
    fn speakers(&self, py: Python<'_>, top: usize) -> PyResult<String> {
        self.with(py, |s| json(&s.speakers(top).map_err(store_err)?))
    }

    fn find_speakers(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        self.with(py, |s| json(&s.find_speakers(name).map_err(store_err)?))
    }

    #[pyo3(signature = (id, limit=50))]
    fn speaker(&self, py: Python<'_>, id: i64, limit: usize) -> PyResult<String> {
        self.with(py, |s| json(&s.speaker(id, limit).map_err(store_err)?))
    }

    fn cluster(&self, py: Python<'_>, id: i64) -> PyResult<String> {
        self.with(py, |s| json(&s.cluster(id).map_err(store_err)?))
    }

    fn cluster_of_quote(&self, py: Python<'_>, quote: i64) -> PyResult<String> {
        self.with(py, |s| json(&s.cluster_of_quote(quote).map_err(store_err)?))
    }

    fn article(&self, py: Python<'_>, id: i64) -> PyResult<String> {
        self.with(py, |s| json(&s.article(id).map_err(store_err)?))
    }

    fn stats(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |s| json(&s.stats().map_err(store_err)?))
    }

    fn check(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.with(py, |s| s.check().map_err(store_err))
    }

    /// Write every quote to `path` as jsonl, csv or parquet; the number of rows.
    #[pyo3(signature = (path, format="jsonl"))]
    fn export(&self, py: Python<'_>, path: PathBuf, format: &str) -> PyResult<u64> {
        let format = match format.to_ascii_lowercase().as_str() {
            "jsonl" => ExportFormat::Jsonl,
            "csv" => ExportFormat::Csv,
            "parquet" => ExportFormat::Parquet,
            other => {
                return Err(PyValueError::new_err(format!(
                    "format must be \"jsonl\", \"csv\" or \"parquet\", not {other:?}"
                )))
            }
        };
        self.with(py, |s| {
            let file = std::fs::File::create(&path)
                .map_err(|e| PyOSError::new_err(format!("{}: {e}", path.display())))?;
            s.export(format, file).map_err(store_err)
        })
    }

    /// Re-extract every stored article with this version of the extractor.
    #[pyo3(signature = (threads=None))]
    fn reindex(&self, py: Python<'_>, threads: Option<i64>) -> PyResult<String> {
        let threads = check_threads(threads)?;
        self.with(py, |s| {
            let mut failure = None;
            let report = s
                .reindex_with(
                    BATCH,
                    |docs| match args::parallel(docs, threads, extract) {
                        Ok(xs) => xs.into_iter().map(|x| x.ok()).collect(),
                        Err(e) => {
                            failure = Some(e);
                            vec![None; docs.len()]
                        }
                    },
                    |_, _| {},
                )
                .map_err(store_err)?;
            if let Some(e) = failure {
                return Err(e);
            }
            json(&report)
        })
    }

    /// Read-only SQL over the corpus (docs/STORE.md has the schema): (columns, rows).
    #[pyo3(signature = (query, params=None))]
    fn sql(
        &self,
        py: Python<'_>,
        query: &str,
        params: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(Vec<String>, Vec<Vec<Cell>>)> {
        let mut ps = Vec::new();
        if let Some(p) = params.filter(|p| !p.is_none()) {
            for v in p.try_iter()? {
                ps.push(param(&v?)?);
            }
        }
        let query = query.to_string();
        self.with(py, move |s| {
            let sql_err = |e: rusqlite::Error| PyValueError::new_err(format!("SQL: {e}"));
            let conn = s.connection();
            let mut stmt = conn.prepare(&query).map_err(sql_err)?;
            if !stmt.readonly() {
                return Err(PyValueError::new_err(
                    "Corpus.sql runs read-only statements only (SELECT, read-only PRAGMA); \
                     change the corpus with ingest() and reindex()",
                ));
            }
            let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
            let n = columns.len();
            let mut rows = stmt
                .query(rusqlite::params_from_iter(ps.iter()))
                .map_err(sql_err)?;
            let mut out = Vec::new();
            while let Some(r) = rows.next().map_err(sql_err)? {
                let mut row = Vec::with_capacity(n);
                for i in 0..n {
                    use rusqlite::types::ValueRef;
                    row.push(match r.get_ref(i).map_err(sql_err)? {
                        ValueRef::Null => Cell::Null,
                        ValueRef::Integer(v) => Cell::Int(v),
                        ValueRef::Real(v) => Cell::Real(v),
                        ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                        ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
                    });
                }
                out.push(row);
            }
            Ok((columns, out))
        })
    }

    /// Close the database (further calls raise StoreError).
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| {
            if let Ok(mut g) = self.store.lock() {
                g.take();
            }
        });
        Ok(())
    }

    fn __repr__(&self) -> String {
        format!(
            "Corpus({}{})",
            self.path
                .as_deref()
                .map_or("None".to_string(), |p| format!("{p:?}")),
            if self.read_only {
                ", read_only=True"
            } else {
                ""
            }
        )
    }
}
