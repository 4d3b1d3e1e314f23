//! The database schema and its migrations (docs/STORE.md, "Schema").
//!
//! The schema version is SQLite's `PRAGMA user_version`. Each migration moves the database
//! from version `n` to `n + 1` inside one transaction, so an interrupted upgrade leaves the
//! older version intact. A database newer than this code is refused, never touched.

use crate::Error;
use rusqlite::Connection;

/// The version this code writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// `MIGRATIONS[i]` upgrades version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[V1];

const V1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per distinct article (content_hash: SHA-256 of outlet, NUL, text).
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    doc_id       TEXT NOT NULL,
    outlet       TEXT COLLATE NOCASE,
    url          TEXT,
    date         TEXT,
    title        TEXT,
    author       TEXT,
    text         TEXT NOT NULL,
    -- What re-extraction needs to rebuild the Document (byte offsets into text).
    title_start  INTEGER,
    title_end    INTEGER,
    body_start   INTEGER NOT NULL DEFAULT 0,
    metadata     TEXT,
    -- 0 while the article waits for (re-)extraction: its derived rows are absent.
    extracted    INTEGER NOT NULL DEFAULT 1,
    ingested_at  TEXT NOT NULL
);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_pending ON articles(extracted) WHERE extracted = 0;

-- Referents merged across articles (docs/STORE.md, "Merging entities").
CREATE TABLE entities (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    name    TEXT NOT NULL,
    -- full | surname | acronym | plain: the form of the names that created it.
    form    TEXT NOT NULL,
    -- The skeleton surname of a full-name person; the initials of an organization.
    last    TEXT,
    initials TEXT,
    UNIQUE (kind, key)
);
CREATE INDEX entities_last ON entities(kind, last) WHERE last IS NOT NULL;
CREATE INDEX entities_initials ON entities(kind, initials) WHERE initials IS NOT NULL;

-- Every distinct name string (per kind), and the entity it currently names.
CREATE TABLE names (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    norm      TEXT NOT NULL,
    name      TEXT NOT NULL,
    form      TEXT NOT NULL,
    last      TEXT,
    initials  TEXT,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    uses      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, norm)
);
CREATE INDEX names_entity ON names(entity_id);
CREATE INDEX names_last ON names(kind, last) WHERE form = 'surname';
CREATE INDEX names_initials ON names(kind, initials) WHERE form = 'acronym';

-- An entity as one article's extraction has it.
CREATE TABLE article_entities (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    local_id   TEXT NOT NULL,
    name_id    INTEGER NOT NULL REFERENCES names(id),
    kind       TEXT NOT NULL,
    UNIQUE (article_id, local_id)
);
CREATE INDEX article_entities_name ON article_entities(name_id);

CREATE TABLE mentions (
    article_entity_id INTEGER NOT NULL REFERENCES article_entities(id),
    start INTEGER NOT NULL,
    end   INTEGER NOT NULL,
    text  TEXT NOT NULL
);
CREATE INDEX mentions_entity ON mentions(article_entity_id);

CREATE TABLE clusters (
    id       INTEGER PRIMARY KEY,
    -- The longest text of the cluster, normalized (words separated by spaces).
    rep_norm TEXT NOT NULL,
    size     INTEGER NOT NULL DEFAULT 0
);

-- Offsets are code points into articles.text; entity_id is the merged speaker (kept in
-- step with names.entity_id), article_entity_id the speaker as the article has it.
CREATE TABLE quotes (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles(id),
    local_id          TEXT NOT NULL,
    kind              TEXT NOT NULL,
    content_start     INTEGER NOT NULL,
    content_end       INTEGER NOT NULL,
    content           TEXT NOT NULL,
    cue_start         INTEGER,
    cue_end           INTEGER,
    cue               TEXT,
    source_start      INTEGER,
    source_end        INTEGER,
    source            TEXT,
    article_entity_id INTEGER REFERENCES article_entities(id),
    entity_id         INTEGER REFERENCES entities(id),
    confidence        REAL NOT NULL,
    cluster_id        INTEGER NOT NULL REFERENCES clusters(id)
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_entity ON quotes(entity_id);
CREATE INDEX quotes_article_entity ON quotes(article_entity_id);
CREATE INDEX quotes_cluster ON quotes(cluster_id);

-- Exact-match keys of the distinct normalized texts of each cluster (64-bit FNV-1a).
CREATE TABLE cluster_keys (
    key        INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL
);
CREATE INDEX cluster_keys_cluster ON cluster_keys(cluster_id);

-- Winnowed shingle fingerprints of those texts: fragment and variant candidates.
CREATE TABLE cluster_fps (
    fp         INTEGER NOT NULL,
    cluster_id INTEGER NOT NULL,
    PRIMARY KEY (fp, cluster_id)
) WITHOUT ROWID;
CREATE INDEX cluster_fps_cluster ON cluster_fps(cluster_id);

-- Full text: quote content, the speaker's name as the article gives it, and filter tags
-- (s<entity id>, o<outlet hash>, k<kind>, y<year>: see query.rs) so that filtered searches
-- intersect posting lists instead of scanning (rowid = quotes.id); names (rowid =
-- names.id). Contentless: the text lives in quotes and names.
CREATE VIRTUAL TABLE quote_fts USING fts5(
    content, speaker, tags,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE name_fts USING fts5(
    name,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
"#;

/// Bring `conn` to [`SCHEMA_VERSION`].
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), Error> {
    migrate_with(conn, MIGRATIONS)
}

/// Apply `migrations` from the database's version on, one transaction each.
pub(crate) fn migrate_with(conn: &mut Connection, migrations: &[&str]) -> Result<(), Error> {
    let known = migrations.len() as u32;
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > known {
            return Err(Error::SchemaTooNew {
                found: version,
                supported: known,
            });
        }
        if version == known {
            return Ok(());
        }
        tx.execute_batch(migrations[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

/// The version of an open database.
pub(crate) fn version(conn: &Connection) -> Result<u32, Error> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}
