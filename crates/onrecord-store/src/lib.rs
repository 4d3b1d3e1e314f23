//! onrecord-store: the corpus. One SQLite file holds articles, the quotes extracted from
//! them, entities merged across articles, and clusters of the same quote reported by many
//! articles, with full-text search over quotes and names.
//!
//! ```no_run
//! use onrecord_store::{Query, Store};
//! # fn main() -> Result<(), onrecord_store::Error> {
//! let mut store = Store::open("corpus.db")?;
//! let doc = onrecord_core::Document::from_text("a1", "\"We will not wait,\" Elena Marsh said.");
//! store.ingest(&onrecord_core::extract(&doc), &doc)?;
//! for hit in store.search(&Query::text("wait"))? {
//!     println!("{:?}: {}", hit.speaker.map(|s| s.name), hit.content);
//! }
//! # Ok(()) }
//! ```
//!
//! * Writes go through [`Store::ingest_batch`]: one transaction per batch, so a process killed
//!   mid-ingest leaves the batches before it, whole, and nothing of the one it was writing.
//! * An article is identified by its content hash ([`content_hash`]): ingesting it again
//!   changes nothing.
//! * The schema (docs/STORE.md) is versioned with `PRAGMA user_version` and migrated on open.
//! * Quotes are clustered as they arrive by [`cluster`], whose decision also runs in memory
//!   ([`cluster::assign`]): what the Python bindings and the Spark job replay.
//!
//! Nothing here prints or panics; every failure is an [`Error`].

pub mod cluster;
mod export;
mod ingest;
pub mod names;
mod parquet;
mod query;
mod schema;

pub use export::ExportFormat;
pub use ingest::{BatchReport, Ingested, ReindexReport};
pub use query::{
    Article, ArticleEntity, ArticleQuote, Cluster, EntityRef, Hit, Occurrence, Query,
    SpeakerDetail, SpeakerSummary, Stats, TimelineEntry,
};
pub use schema::SCHEMA_VERSION;

use onrecord_core::Document;
use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::Duration;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database has schema version {found}; this onrecord reads up to {supported}: upgrade onrecord")]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("not an onrecord database (schema version 0); ingest into it first")]
    NotInitialized,
    #[error("the database is open read-only")]
    ReadOnly,
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An open corpus.
pub struct Store {
    conn: Connection,
    read_only: bool,
}

impl Store {
    /// Open (creating it if needed) a corpus for reading and writing, and migrate its
    /// schema to [`SCHEMA_VERSION`].
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let conn = Connection::open(path)?;
        Store::setup(conn)
    }

    /// A corpus in memory, for tests and one-off analyses.
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(10))?;
        // WAL: readers (serve) never block the writer; NORMAL sync is crash-safe in WAL mode
        // (a killed process loses at most the transaction it was writing).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 128 MB of page cache: ingest updates B-trees (full-text, fingerprints) all over the file.
        conn.pragma_update(None, "cache_size", -128_000)?;
        schema::migrate(&mut conn)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Store {
            conn,
            read_only: false,
        })
    }

    /// Open an existing corpus read-only (what `onrecord serve` does): no statement can
    /// write, and a missing file is an error rather than a new empty corpus.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "query_only", "ON")?;
        conn.pragma_update(None, "cache_size", -16_000)?;
        conn.set_prepared_statement_cache_capacity(64);
        let version = schema::version(&conn)?;
        if version == 0 {
            return Err(Error::NotInitialized);
        }
        if version > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(Store {
            conn,
            read_only: true,
        })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32> {
        schema::version(&self.conn)
    }

    /// Is this article (by [`content_hash`]) already stored?
    pub fn contains(&self, doc: &Document) -> Result<bool> {
        let hash = content_hash(doc);
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM articles WHERE content_hash = ?1")?
            .exists([hash])?)
    }

    /// Run SQLite's own consistency check and the store's invariants; the list of problems
    /// (empty when all is well).
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let checks: &[(&str, &str)] = &[
            (
                "quotes whose article is missing",
                "SELECT count(*) FROM quotes q LEFT JOIN articles a ON a.id = q.article_id \
                 WHERE a.id IS NULL",
            ),
            (
                "quotes of articles waiting for extraction",
                "SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id \
                 WHERE a.extracted = 0",
            ),
            (
                "quotes whose cluster is missing",
                "SELECT count(*) FROM quotes q LEFT JOIN clusters c ON c.id = q.cluster_id \
                 WHERE c.id IS NULL",
            ),
            (
                "clusters whose size is wrong",
                "SELECT count(*) FROM clusters c WHERE size <> \
                 (SELECT count(*) FROM quotes q WHERE q.cluster_id = c.id)",
            ),
            (
                "quotes whose speaker disagrees with its name",
                "SELECT count(*) FROM quotes q JOIN article_entities ae ON ae.id = \
                 q.article_entity_id JOIN names n ON n.id = ae.name_id \
                 WHERE q.entity_id IS NOT n.entity_id",
            ),
            (
                "quotes missing from the full-text index",
                "SELECT (SELECT count(*) FROM quotes) - (SELECT count(*) FROM quote_fts)",
            ),
        ];
        for (what, sql) in checks {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            if n != 0 {
                problems.push(format!("{n} {what}"));
            }
        }
        Ok(problems)
    }

    /// The underlying connection, for read-only ad-hoc SQL (the schema is documented in
    /// docs/STORE.md). Writing through it bypasses the store's invariants.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn writable(&self) -> Result<()> {
        if self.read_only {
            Err(Error::ReadOnly)
        } else {
            Ok(())
        }
    }
}

/// An article's identity: the SHA-256 (hex) of its outlet, a NUL byte and its text. The
/// same text from two outlets (a wire story) is two articles; the same article read twice
/// from any file is one.
pub fn content_hash(doc: &Document) -> String {
    let mut h = Sha256::new();
    h.update(doc.outlet.as_deref().unwrap_or("").as_bytes());
    h.update([0u8]);
    h.update(doc.text.as_bytes());
    let digest = h.finalize();
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests;
