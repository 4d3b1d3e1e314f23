//! Writing: articles in, their extraction spread over the tables, entities merged and
//! quotes clustered as they arrive; re-extraction of stored articles.

use crate::cluster;
use crate::names::{self, Form, NameKey};
use crate::{content_hash, Result, Store};
use onrecord_core::extraction::{EntityTypeName, QuoteKind};
use onrecord_core::{Document, Extraction, Span};
// Write transactions start IMMEDIATE: two writers then queue on the busy timeout instead of
// one failing when it upgrades a read lock.
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// What became of one article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "status")]
pub enum Ingested {
    /// Stored under this id, with this many quotes.
    Added { article: i64, quotes: usize },
    /// Already stored (same content hash) under this id; nothing changed.
    Duplicate { article: i64 },
}

/// What one batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchReport {
    pub added: usize,
    pub duplicates: usize,
    pub quotes: usize,
}

/// What a re-extraction did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReindexReport {
    pub articles: usize,
    pub quotes: usize,
    /// Articles the extractor gave nothing for (they keep no quotes).
    pub failed: usize,
    /// True when this run finished an earlier, interrupted one instead of starting over.
    pub resumed: bool,
}

impl Store {
    /// Store one article and its extraction, in a transaction of its own.
    pub fn ingest(&mut self, extraction: &Extraction, doc: &Document) -> Result<Ingested> {
        self.writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut touched = BTreeSet::new();
        let out = ingest_one(&tx, extraction, doc, &mut touched)?;
        refresh_names(&tx, &touched)?;
        tx.commit()?;
        Ok(out)
    }

    /// Store many articles in one transaction: all of them or, if the process dies, none.
    pub fn ingest_batch<'a, I>(&mut self, items: I) -> Result<BatchReport>
    where
        I: IntoIterator<Item = (&'a Extraction, &'a Document)>,
    {
        self.writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut touched = BTreeSet::new();
        let mut report = BatchReport::default();
        for (x, doc) in items {
            match ingest_one(&tx, x, doc, &mut touched)? {
                Ingested::Added { quotes, .. } => {
                    report.added += 1;
                    report.quotes += quotes;
                }
                Ingested::Duplicate { .. } => report.duplicates += 1,
            }
        }
        refresh_names(&tx, &touched)?;
        tx.commit()?;
        Ok(report)
    }

    /// Articles waiting for (re-)extraction: left by an interrupted `reindex`.
    pub fn pending(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM articles WHERE extracted = 0",
            [],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// Re-extract every stored article with `onrecord_core::extract`, one at a time. See
    /// [`Store::reindex_with`].
    pub fn reindex(&mut self) -> Result<ReindexReport> {
        self.reindex_with(
            256,
            |docs| {
                docs.iter()
                    .map(|d| Some(onrecord_core::extract(d)))
                    .collect()
            },
            |_, _| {},
        )
    }

    /// Re-extract stored articles after an upgrade of the extractor: all derived data is
    /// dropped and rebuilt from the stored texts, `batch` articles per transaction.
    /// `extract` gets a batch of documents and returns one extraction per document (`None`
    /// for a failure); `progress(done, total)` follows along. A run killed part-way leaves
    /// the rest marked pending, and the next call finishes them instead of starting over.
    pub fn reindex_with<F, P>(
        &mut self,
        batch: usize,
        mut extract: F,
        mut progress: P,
    ) -> Result<ReindexReport>
    where
        F: FnMut(&[Document]) -> Vec<Option<Extraction>>,
        P: FnMut(usize, usize),
    {
        self.writable()?;
        let mut report = ReindexReport {
            resumed: self.pending()? > 0,
            ..Default::default()
        };
        if !report.resumed {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(
                "DELETE FROM quotes; DELETE FROM mentions; DELETE FROM article_entities;
                 DELETE FROM names; DELETE FROM entities; DELETE FROM clusters;
                 DELETE FROM cluster_keys; DELETE FROM cluster_fps;
                 INSERT INTO quote_fts(quote_fts) VALUES('delete-all');
                 INSERT INTO name_fts(name_fts) VALUES('delete-all');
                 UPDATE articles SET extracted = 0;",
            )?;
            tx.commit()?;
        }
        let total = self.pending()?;
        let batch = batch.max(1);
        loop {
            let ids_docs = self.pending_documents(batch)?;
            if ids_docs.is_empty() {
                break;
            }
            let docs: Vec<Document> = ids_docs.iter().map(|(_, d)| d.clone()).collect();
            let extractions = extract(&docs);
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut touched = BTreeSet::new();
            for (i, (id, doc)) in ids_docs.iter().enumerate() {
                match extractions.get(i).and_then(Option::as_ref) {
                    Some(x) => report.quotes += write_derived(&tx, *id, x, doc, &mut touched)?,
                    None => report.failed += 1,
                }
                tx.execute("UPDATE articles SET extracted = 1 WHERE id = ?1", [id])?;
                report.articles += 1;
            }
            refresh_names(&tx, &touched)?;
            tx.commit()?;
            progress(report.articles, total);
        }
        Ok(report)
    }

    fn pending_documents(&self, limit: usize) -> Result<Vec<(i64, Document)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, doc_id, text, date, title, title_start, title_end, body_start, outlet,
                    url, metadata
             FROM articles WHERE extracted = 0 ORDER BY id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            let id: i64 = r.get(0)?;
            let date: Option<String> = r.get(3)?;
            let title_start: Option<i64> = r.get(5)?;
            let title_end: Option<i64> = r.get(6)?;
            let metadata: Option<String> = r.get(10)?;
            let doc = Document {
                id: r.get(1)?,
                text: r.get(2)?,
                date: date
                    .as_deref()
                    .and_then(onrecord_core::document::parse_iso_date),
                title: r.get(4)?,
                title_span: match (title_start, title_end) {
                    (Some(s), Some(e)) => Some(Span::new(s as usize, e as usize)),
                    _ => None,
                },
                body_start: r.get::<_, i64>(7)? as usize,
                outlet: r.get(8)?,
                url: r.get(9)?,
                metadata: metadata
                    .and_then(|m| serde_json::from_str(&m).ok())
                    .unwrap_or_default(),
            };
            Ok((id, doc))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, mut doc) = row?;
            // A span that no longer fits the text would make the extractor panic: drop it.
            let fits = |text: &str, s: Span| {
                s.start <= s.end
                    && s.end <= text.len()
                    && text.is_char_boundary(s.start)
                    && text.is_char_boundary(s.end)
            };
            if doc.title_span.is_some_and(|s| !fits(&doc.text, s)) {
                doc.title_span = None;
            }
            if !fits(&doc.text, Span::new(doc.body_start, doc.body_start)) {
                doc.body_start = 0;
            }
            out.push((id, doc));
        }
        Ok(out)
    }
}

fn ingest_one(
    tx: &Transaction,
    x: &Extraction,
    doc: &Document,
    touched: &mut BTreeSet<i64>,
) -> Result<Ingested> {
    let hash = content_hash(doc);
    if let Some(id) = tx
        .prepare_cached("SELECT id FROM articles WHERE content_hash = ?1")?
        .query_row([&hash], |r| r.get::<_, i64>(0))
        .optional()?
    {
        return Ok(Ingested::Duplicate { article: id });
    }
    let metadata = (!doc.metadata.is_empty())
        .then(|| serde_json::to_string(&doc.metadata))
        .transpose()
        .map_err(|e| crate::Error::Corrupt(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO articles (content_hash, doc_id, outlet, url, date, title, text,
                               title_start, title_end, body_start, metadata, extracted,
                               ingested_at, author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1,
                 strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?12)",
    )?
    .execute(params![
        hash,
        doc.id,
        doc.outlet,
        doc.url,
        x.date
            .as_deref()
            .or(doc.date.map(|d| d.to_string()).as_deref()),
        doc.title,
        doc.text,
        doc.title_span.map(|s| s.start as i64),
        doc.title_span.map(|s| s.end as i64),
        doc.body_start as i64,
        metadata,
        x.author,
    ])?;
    let article = tx.last_insert_rowid();
    let quotes = write_derived(tx, article, x, doc, touched)?;
    Ok(Ingested::Added { article, quotes })
}

fn kind_name(k: EntityTypeName) -> &'static str {
    match k {
        EntityTypeName::Person => "person",
        EntityTypeName::Organization => "organization",
        EntityTypeName::Location => "location",
        EntityTypeName::Other => "other",
    }
}

pub(crate) fn quote_kind_name(k: QuoteKind) -> &'static str {
    match k {
        QuoteKind::Direct => "direct",
        QuoteKind::Mixed => "mixed",
        QuoteKind::Indirect => "indirect",
    }
}

/// Entities, mentions and quotes of one article. Returns the number of quotes.
fn write_derived(
    tx: &Transaction,
    article: i64,
    x: &Extraction,
    doc: &Document,
    touched: &mut BTreeSet<i64>,
) -> Result<usize> {
    // local entity id -> (article_entity id, name id, name as written)
    let mut local: HashMap<&str, (i64, i64, &str)> = HashMap::new();
    for e in &x.entities {
        let kind = kind_name(e.kind);
        let Some(key) = names::analyse(&e.name, kind) else {
            continue;
        };
        let (name_id, _) = name_entity(tx, &e.name, kind, &key, touched)?;
        tx.prepare_cached(
            "INSERT INTO article_entities (article_id, local_id, name_id, kind)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![article, e.id, name_id, kind])?;
        let ae = tx.last_insert_rowid();
        let mut stmt = tx.prepare_cached(
            "INSERT INTO mentions (article_entity_id, start, end, text) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for m in &e.mentions {
            stmt.execute(params![ae, m.start as i64, m.end as i64, m.text])?;
        }
        local.insert(e.id.as_str(), (ae, name_id, e.name.as_str()));
    }
    for q in &x.quotes {
        let speaker = q
            .speaker
            .as_ref()
            .and_then(|s| local.get(s.entity.as_str()));
        // The name's entity now: a later name of this same article may have moved it.
        let entity: Option<i64> = match speaker {
            Some(&(_, name_id, _)) => Some(
                tx.prepare_cached("SELECT entity_id FROM names WHERE id = ?1")?
                    .query_row([name_id], |r| r.get(0))?,
            ),
            None => None,
        };
        let cluster = cluster::place(&mut Tables { tx }, &q.content.text)?;
        tx.prepare_cached(
            "INSERT INTO quotes (article_id, local_id, kind, content_start, content_end, content,
                                 cue_start, cue_end, cue, source_start, source_end, source,
                                 article_entity_id, entity_id, confidence, cluster_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?
        .execute(params![
            article,
            q.id,
            quote_kind_name(q.kind),
            q.content.start as i64,
            q.content.end as i64,
            q.content.text,
            q.cue.as_ref().map(|c| c.start as i64),
            q.cue.as_ref().map(|c| c.end as i64),
            q.cue.as_ref().map(|c| c.text.as_str()),
            q.source.as_ref().map(|c| c.start as i64),
            q.source.as_ref().map(|c| c.end as i64),
            q.source.as_ref().map(|c| c.text.as_str()),
            speaker.map(|s| s.0),
            entity,
            // f32 to f64 without the binary noise (0.9, not 0.8999999761581421).
            (f64::from(q.confidence) * 10_000.0).round() / 10_000.0,
            cluster,
        ])?;
        let id = tx.last_insert_rowid();
        let tags = crate::query::tags(
            entity,
            x.outlet.as_deref().or(doc.outlet.as_deref()),
            quote_kind_name(q.kind),
            x.date.as_deref(),
        );
        tx.prepare_cached(
            "INSERT INTO quote_fts (rowid, content, speaker, tags) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, q.content.text, speaker.map(|s| s.2), tags])?;
    }
    Ok(x.quotes.len())
}

/// The name row for `name` and the entity it names, creating both as needed and
/// re-balancing bare surnames and acronyms when a new full entity appears.
fn name_entity(
    tx: &Transaction,
    name: &str,
    kind: &str,
    key: &NameKey,
    touched: &mut BTreeSet<i64>,
) -> Result<(i64, i64)> {
    if let Some((id, entity)) = tx
        .prepare_cached("SELECT id, entity_id FROM names WHERE kind = ?1 AND norm = ?2")?
        .query_row(params![kind, key.norm], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
    {
        tx.prepare_cached("UPDATE names SET uses = uses + 1 WHERE id = ?1")?
            .execute([id])?;
        touched.insert(entity);
        return Ok((id, entity));
    }
    let (entity, created) = match key.form {
        Form::Full | Form::Plain => entity_for(tx, kind, &key.key, key, key.form)?,
        Form::Surname | Form::Acronym => (bare_target(tx, kind, key)?, false),
    };
    tx.prepare_cached(
        "INSERT INTO names (kind, norm, name, form, last, initials, entity_id, uses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
    )?
    .execute(params![
        kind,
        key.norm,
        name,
        key.form.as_str(),
        key.last,
        key.initials,
        entity
    ])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO name_fts (rowid, name) VALUES (?1, ?2)")?
        .execute(params![id, name])?;
    touched.insert(entity);
    if created {
        // A new full name may make a bare surname (or acronym) unambiguous, or ambiguous.
        match key.form {
            Form::Full => {
                if let Some(last) = &key.last {
                    rebalance(tx, kind, Form::Surname, last, touched)?;
                }
            }
            _ => {
                if let Some(initials) = &key.initials {
                    rebalance(tx, kind, Form::Acronym, initials, touched)?;
                }
            }
        }
    }
    Ok((id, entity))
}

/// The entity of `kind` with `ekey`, created if missing; true when created.
fn entity_for(
    tx: &Transaction,
    kind: &str,
    ekey: &str,
    key: &NameKey,
    form: Form,
) -> Result<(i64, bool)> {
    if let Some(id) = tx
        .prepare_cached("SELECT id FROM entities WHERE kind = ?1 AND key = ?2")?
        .query_row(params![kind, ekey], |r| r.get(0))
        .optional()?
    {
        return Ok((id, false));
    }
    // The entity's own attributes: a full person is found by its surname, a full
    // organization by its initials; bare entities by neither.
    let (last, initials) = match form {
        Form::Full => (key.last.as_deref(), None),
        Form::Plain => (None, key.initials.as_deref()),
        Form::Surname | Form::Acronym => (None, None),
    };
    tx.prepare_cached(
        "INSERT INTO entities (kind, key, name, form, last, initials)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![kind, ekey, key.norm, form.as_str(), last, initials])?;
    Ok((tx.last_insert_rowid(), true))
}

/// The full entities a bare surname or acronym could name.
fn candidates(tx: &Transaction, kind: &str, form: Form, value: &str) -> Result<Vec<i64>> {
    let sql = match form {
        Form::Surname => "SELECT id FROM entities WHERE kind = ?1 AND last = ?2 ORDER BY id",
        _ => "SELECT id FROM entities WHERE kind = ?1 AND initials = ?2 ORDER BY id",
    };
    let mut stmt = tx.prepare_cached(sql)?;
    let ids = stmt
        .query_map(params![kind, value], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Where a bare surname or acronym goes: the one candidate, or its own bare entity.
fn bare_target(tx: &Transaction, kind: &str, key: &NameKey) -> Result<i64> {
    let value = match key.form {
        Form::Surname => key.last.as_deref(),
        _ => key.initials.as_deref(),
    };
    let Some(value) = value else {
        return Ok(entity_for(tx, kind, &key.key, key, key.form)?.0);
    };
    let c = candidates(tx, kind, key.form, value)?;
    if let [only] = c.as_slice() {
        return Ok(*only);
    }
    Ok(entity_for(tx, kind, &key.key, key, key.form)?.0)
}

/// Re-attach the bare names (surnames or acronyms equal to `value`) after the set of full
/// entities they could name changed.
fn rebalance(
    tx: &Transaction,
    kind: &str,
    form: Form,
    value: &str,
    touched: &mut BTreeSet<i64>,
) -> Result<()> {
    let sql = match form {
        Form::Surname => {
            "SELECT id, norm, entity_id FROM names WHERE kind = ?1 AND form = 'surname' AND last = ?2"
        }
        _ => {
            "SELECT id, norm, entity_id FROM names WHERE kind = ?1 AND form = 'acronym' AND initials = ?2"
        }
    };
    let bare: Vec<(i64, String, i64)> = tx
        .prepare_cached(sql)?
        .query_map(params![kind, value], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if bare.is_empty() {
        return Ok(());
    }
    let c = candidates(tx, kind, form, value)?;
    for (name_id, norm, old) in bare {
        let target = match c.as_slice() {
            [only] => *only,
            _ => {
                let key = NameKey {
                    key: format!("~{value}"),
                    norm,
                    form,
                    last: None,
                    initials: None,
                };
                entity_for(tx, kind, &key.key, &key, form)?.0
            }
        };
        if target != old {
            move_name(tx, name_id, old, target)?;
            touched.insert(old);
            touched.insert(target);
        }
    }
    Ok(())
}

/// What a quote's full-text row is made of.
struct FtsRow {
    id: i64,
    content: String,
    speaker: Option<String>,
    outlet: Option<String>,
    kind: String,
    date: Option<String>,
}

/// Point a name, and every quote spoken under it, at another entity; drop the old entity
/// if no name is left for it.
fn move_name(tx: &Transaction, name_id: i64, old: i64, new: i64) -> Result<()> {
    tx.prepare_cached("UPDATE names SET entity_id = ?2 WHERE id = ?1")?
        .execute(params![name_id, new])?;
    tx.prepare_cached(
        "UPDATE quotes SET entity_id = ?2 WHERE article_entity_id IN
             (SELECT id FROM article_entities WHERE name_id = ?1)",
    )?
    .execute(params![name_id, new])?;
    // Their full-text rows carry the speaker's id as a tag: rewrite them.
    let rows: Vec<FtsRow> = tx
        .prepare_cached(
            "SELECT q.id, q.content, n.name, a.outlet, q.kind, a.date
             FROM quotes q JOIN article_entities ae ON ae.id = q.article_entity_id
             JOIN names n ON n.id = ae.name_id JOIN articles a ON a.id = q.article_id
             WHERE ae.name_id = ?1",
        )?
        .query_map([name_id], |r| {
            Ok(FtsRow {
                id: r.get(0)?,
                content: r.get(1)?,
                speaker: r.get(2)?,
                outlet: r.get(3)?,
                kind: r.get(4)?,
                date: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    for row in rows {
        tx.prepare_cached("DELETE FROM quote_fts WHERE rowid = ?1")?
            .execute([row.id])?;
        let tags = crate::query::tags(
            Some(new),
            row.outlet.as_deref(),
            &row.kind,
            row.date.as_deref(),
        );
        tx.prepare_cached(
            "INSERT INTO quote_fts (rowid, content, speaker, tags) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![row.id, row.content, row.speaker, tags])?;
    }
    tx.prepare_cached(
        "DELETE FROM entities WHERE id = ?1 AND NOT EXISTS
             (SELECT 1 FROM names WHERE entity_id = ?1)",
    )?
    .execute([old])?;
    Ok(())
}

/// Give each touched entity the display name its names now suggest: a full name before a
/// bare one, then the most used, then the longest.
pub(crate) fn refresh_names(tx: &Transaction, touched: &BTreeSet<i64>) -> Result<()> {
    let mut pick = tx.prepare_cached(
        "SELECT name FROM names WHERE entity_id = ?1
         ORDER BY form IN ('full', 'plain') DESC, uses DESC, length(name) DESC, id LIMIT 1",
    )?;
    let mut set = tx.prepare_cached("UPDATE entities SET name = ?2 WHERE id = ?1")?;
    for &id in touched {
        if let Some(name) = pick.query_row([id], |r| r.get::<_, String>(0)).optional()? {
            set.execute(params![id, name])?;
        }
    }
    Ok(())
}

/// The store's clusters as [`cluster::place`] sees them: the `clusters`, `cluster_keys` and
/// `cluster_fps` tables, and the quotes pointing at them.
struct Tables<'a, 'c> {
    tx: &'a Transaction<'c>,
}

impl cluster::Index for Tables<'_, '_> {
    type Error = crate::Error;

    fn by_key(&mut self, key: i64) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached("SELECT cluster_id FROM cluster_keys WHERE key = ?1")?
            .query_row([key], |r| r.get::<_, i64>(0))
            .optional()?)
    }

    fn candidates(&mut self, probe: &[i64], limit: usize) -> Result<Vec<(i64, String)>> {
        let list =
            serde_json::to_string(probe).map_err(|e| crate::Error::Corrupt(e.to_string()))?;
        // The order is part of the decision (cluster::place): most shared first, then by id.
        let mut stmt = self.tx.prepare_cached(
            "SELECT f.cluster_id, c.rep_norm FROM
                 (SELECT cluster_id, count(*) AS n FROM cluster_fps
                  WHERE fp IN (SELECT value FROM json_each(?1))
                  GROUP BY cluster_id ORDER BY n DESC, cluster_id LIMIT ?2) f
             JOIN clusters c ON c.id = f.cluster_id
             ORDER BY f.n DESC, f.cluster_id",
        )?;
        let rows = stmt.query_map(params![list, limit as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn create(&mut self, rep: &str) -> Result<i64> {
        self.tx
            .prepare_cached("INSERT INTO clusters (rep_norm, size) VALUES (?1, 1)")?
            .execute([rep])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn grow(&mut self, id: i64, rep: Option<&str>) -> Result<()> {
        match rep {
            None => self
                .tx
                .prepare_cached("UPDATE clusters SET size = size + 1 WHERE id = ?1")?
                .execute([id])?,
            Some(rep) => self
                .tx
                .prepare_cached("UPDATE clusters SET size = size + 1, rep_norm = ?2 WHERE id = ?1")?
                .execute(params![id, rep])?,
        };
        Ok(())
    }

    fn merge(&mut self, into: i64, from: i64) -> Result<()> {
        let tx = self.tx;
        tx.prepare_cached("UPDATE quotes SET cluster_id = ?1 WHERE cluster_id = ?2")?
            .execute(params![into, from])?;
        tx.prepare_cached("UPDATE cluster_keys SET cluster_id = ?1 WHERE cluster_id = ?2")?
            .execute(params![into, from])?;
        tx.prepare_cached(
            "INSERT OR IGNORE INTO cluster_fps (fp, cluster_id)
             SELECT fp, ?1 FROM cluster_fps WHERE cluster_id = ?2",
        )?
        .execute(params![into, from])?;
        tx.prepare_cached("DELETE FROM cluster_fps WHERE cluster_id = ?1")?
            .execute([from])?;
        tx.prepare_cached(
            "UPDATE clusters SET size = size + (SELECT size FROM clusters WHERE id = ?2)
             WHERE id = ?1",
        )?
        .execute(params![into, from])?;
        tx.prepare_cached("DELETE FROM clusters WHERE id = ?1")?
            .execute([from])?;
        Ok(())
    }

    fn index(&mut self, id: i64, key: i64, fps: &[i64]) -> Result<()> {
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO cluster_keys (key, cluster_id) VALUES (?1, ?2)")?
            .execute(params![key, id])?;
        let mut stmt = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO cluster_fps (fp, cluster_id) VALUES (?1, ?2)")?;
        for fp in fps {
            stmt.execute(params![fp, id])?;
        }
        Ok(())
    }
}
