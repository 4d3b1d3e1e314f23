//! Reading: full-text search with filters, speakers and their timelines, quote clusters,
//! articles with their quotes. Every statement is parameterized; user text reaches FTS5
//! only as quoted strings (see [`fts_query`]).

use crate::names::{self, Form};
use crate::{Error, Result, Store};
use onrecord_core::extraction::QuoteKind;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// The largest page of results a query may ask for.
pub const MAX_LIMIT: usize = 1000;
/// The longest search text accepted.
pub const MAX_TEXT: usize = 1000;
/// Matches ranked by BM25 when a query matches more: the most recent ones.
pub const RANK_WINDOW: usize = 2000;

/// A search: words or "quoted phrases" (all must match), and filters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    /// Words (all must occur; common words such as "the" are ignored unless alone),
    /// "phrases in double quotes", and `word*` prefixes. Empty: every quote, newest first.
    pub text: String,
    /// A speaker's name (merged as in ingest: "Zelensky" finds Volodymyr Zelenskyy, a bare
    /// surname every person of that name) or `#ID`.
    pub speaker: Option<String>,
    /// Articles dated on or after this day (YYYY-MM-DD).
    pub since: Option<String>,
    /// Articles dated on or before this day (YYYY-MM-DD).
    pub until: Option<String>,
    /// The outlet, ignoring case.
    pub outlet: Option<String>,
    pub kind: Option<QuoteKind>,
    /// At most this many hits (default 20, at most [`MAX_LIMIT`]).
    pub limit: Option<usize>,
    /// Skip this many hits (paging).
    pub offset: Option<usize>,
}

impl Query {
    /// A search for `text` with no filters.
    pub fn text(text: impl Into<String>) -> Query {
        Query {
            text: text.into(),
            ..Default::default()
        }
    }
}

/// A merged entity, as results name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRef {
    pub id: i64,
    pub name: String,
}

/// One search result: a quote with where and by whom.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub quote: i64,
    pub cluster: i64,
    /// How many quotes (across articles) the cluster holds.
    pub cluster_size: i64,
    pub article: i64,
    pub kind: String,
    pub content: String,
    pub cue: Option<String>,
    pub source: Option<String>,
    pub speaker: Option<EntityRef>,
    pub confidence: f64,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// BM25 (lower is better, as SQLite gives it); 0 without search text.
    pub score: f64,
}

/// A speaker in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerSummary {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub quotes: i64,
    pub articles: i64,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// One statement on a speaker's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub quote: i64,
    pub cluster: i64,
    pub article: i64,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub kind: String,
    pub content: String,
    /// The name the article used for the speaker.
    pub as_named: Option<String>,
}

/// A speaker with every name it was found under and its statements, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerDetail {
    pub speaker: SpeakerSummary,
    /// Names merged into this speaker, most used first.
    pub names: Vec<String>,
    /// Statements per month (`YYYY-MM`), for a chart; undated statements are not counted.
    pub months: Vec<(String, i64)>,
    /// Statements, oldest first (undated last), at most the `limit` asked for.
    pub timeline: Vec<TimelineEntry>,
}

/// One report of a clustered quote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Occurrence {
    pub quote: i64,
    pub article: i64,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub kind: String,
    pub content: String,
    pub speaker: Option<EntityRef>,
}

/// A quote as reported by many articles: first seen first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub id: i64,
    pub size: i64,
    /// The longest text of the cluster.
    pub text: String,
    /// The earliest dated occurrence (ingest order among equal or missing dates).
    pub first_seen: Option<Occurrence>,
    pub occurrences: Vec<Occurrence>,
    /// Outlets that reported it, in order of first report.
    pub outlets: Vec<String>,
    /// Speakers it was attributed to (a cluster may show misattribution).
    pub speakers: Vec<EntityRef>,
}

/// A quote as an article holds it: code-point offsets into [`Article::text`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleQuote {
    pub id: i64,
    pub local_id: String,
    pub kind: String,
    pub content: (i64, i64),
    pub cue: Option<(i64, i64)>,
    pub source: Option<(i64, i64)>,
    pub content_text: String,
    pub cue_text: Option<String>,
    pub source_text: Option<String>,
    pub speaker: Option<EntityRef>,
    pub confidence: f64,
    pub cluster: i64,
    pub cluster_size: i64,
}

/// An entity as an article has it, with its mentions (code-point offsets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleEntity {
    pub local_id: String,
    pub kind: String,
    pub name: String,
    pub entity: i64,
    pub mentions: Vec<(i64, i64)>,
}

/// A stored article with its quotes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: i64,
    pub doc_id: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub text: String,
    pub quotes: Vec<ArticleQuote>,
    pub entities: Vec<ArticleEntity>,
}

/// The size of the corpus.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub schema_version: u32,
    pub articles: i64,
    pub quotes: i64,
    pub speakers: i64,
    /// Clusters with more than one quote.
    pub repeated_quotes: i64,
    pub outlets: Vec<String>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub pending: i64,
}

/// Words ignored in a search with other words (they match most quotes).
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have",
    "he", "her", "his", "i", "in", "is", "it", "its", "of", "on", "or", "our", "she", "that",
    "the", "their", "they", "this", "to", "was", "we", "were", "will", "with", "you",
];

/// The FTS5 expression for a user's search text: every word and phrase as a quoted string
/// (so no FTS syntax can be injected), all required. `None` when there is nothing to
/// search for.
pub fn fts_query(text: &str) -> Option<String> {
    let mut terms: Vec<(String, bool)> = Vec::new(); // (expression, is a stopword)
    let mut in_phrase = false;
    for (i, part) in text.split(['"', '“', '”']).enumerate() {
        in_phrase = i % 2 == 1;
        if in_phrase {
            let words = words_of(part);
            if !words.is_empty() {
                terms.push((format!("\"{}\"", words.join(" ")), false));
            }
            continue;
        }
        for raw in part.split_whitespace() {
            let prefix = raw.ends_with('*');
            for w in words_of(raw) {
                let stop = STOPWORDS.contains(&w.as_str());
                let expr = if prefix {
                    format!("\"{w}\" *")
                } else {
                    format!("\"{w}\"")
                };
                terms.push((expr, stop && !prefix));
            }
        }
    }
    let _ = in_phrase;
    let content: Vec<&str> = terms
        .iter()
        .filter(|t| !t.1)
        .map(|t| t.0.as_str())
        .collect();
    let chosen: Vec<&str> = if content.is_empty() {
        terms.iter().map(|t| t.0.as_str()).collect()
    } else {
        content
    };
    (!chosen.is_empty()).then(|| chosen.join(" "))
}

/// Lower-case letters and digits of a piece of text, split at anything else.
fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn check_date(d: &Option<String>, what: &str) -> Result<()> {
    if let Some(d) = d {
        if onrecord_core::document::parse_iso_date(d).is_none() || d.len() != 10 {
            return Err(Error::InvalidQuery(format!(
                "{what} must be a date as YYYY-MM-DD, got {d:?}"
            )));
        }
    }
    Ok(())
}

fn entity_ref(id: Option<i64>, name: Option<String>) -> Option<EntityRef> {
    Some(EntityRef {
        id: id?,
        name: name?,
    })
}

fn kind_str(k: QuoteKind) -> &'static str {
    crate::ingest::quote_kind_name(k)
}

/// The filter tags of a quote's full-text row: its speaker, outlet, kind and year.
pub(crate) fn tags(
    entity: Option<i64>,
    outlet: Option<&str>,
    kind: &str,
    date: Option<&str>,
) -> String {
    let mut t = vec![format!("k{kind}")];
    if let Some(e) = entity {
        t.push(format!("s{e}"));
    }
    if let Some(o) = outlet.filter(|o| !o.trim().is_empty()) {
        t.push(outlet_tag(o));
    }
    if let Some(d) = date.filter(|d| d.len() >= 4) {
        t.push(format!("y{}", &d[..4]));
    }
    t.join(" ")
}

/// An outlet as one token: `o` and a hash of its trimmed, lower-cased name.
pub(crate) fn outlet_tag(outlet: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in outlet.trim().to_lowercase().bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("o{h:016x}")
}

/// An FTS5 filter on the tags column: any of these tags.
fn any_tag(tags: impl IntoIterator<Item = String>) -> String {
    let list: Vec<String> = tags.into_iter().map(|t| format!("\"{t}\"")).collect();
    format!("tags : ({})", list.join(" OR "))
}

fn year_of(date: &str) -> i32 {
    date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
}

impl Store {
    /// Search quotes, best first (BM25 over the quote's content, and less over the speaker's
    /// name), filtered.
    pub fn search(&self, q: &Query) -> Result<Vec<Hit>> {
        if q.text.chars().count() > MAX_TEXT {
            return Err(Error::InvalidQuery(format!(
                "search text longer than {MAX_TEXT} characters"
            )));
        }
        check_date(&q.since, "since")?;
        check_date(&q.until, "until")?;
        let limit = q.limit.unwrap_or(20).min(MAX_LIMIT);
        let offset = q.offset.unwrap_or(0).min(100_000);
        let text = fts_query(&q.text);
        // Filters go into the full-text query as tags where they can (an intersection of
        // posting lists is cheap, a scan of a common word's matches is not), and into SQL,
        // which keeps them exact (dates) and applies them without text.
        let mut tag_filters: Vec<String> = Vec::new();
        let mut args: Vec<Value> = vec![Value::Null];
        let mut conds: Vec<String> = Vec::new();
        if let Some(name) = q.speaker.as_deref().filter(|s| !s.trim().is_empty()) {
            let ids = self.speaker_ids(name)?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            tag_filters.push(any_tag(ids.iter().map(|id| format!("s{id}"))));
            args.push(Value::Text(
                serde_json::to_string(&ids).map_err(|e| Error::Corrupt(e.to_string()))?,
            ));
            conds.push(format!(
                "q.entity_id IN (SELECT value FROM json_each(?{}))",
                args.len()
            ));
        }
        if let (Some(since), Some(until)) = (&q.since, &q.until) {
            let (a, b) = (year_of(since), year_of(until));
            if a <= b && b - a < 100 {
                tag_filters.push(any_tag((a..=b).map(|y| format!("y{y}"))));
            }
        }
        if let Some(since) = &q.since {
            args.push(Value::Text(since.clone()));
            conds.push(format!("a.date >= ?{}", args.len()));
        }
        if let Some(until) = &q.until {
            args.push(Value::Text(until.clone()));
            conds.push(format!("a.date <= ?{}", args.len()));
        }
        if let Some(outlet) = q.outlet.as_deref().filter(|s| !s.trim().is_empty()) {
            tag_filters.push(any_tag([outlet_tag(outlet)]));
            args.push(Value::Text(outlet.trim().to_string()));
            conds.push(format!("a.outlet = ?{} COLLATE NOCASE", args.len()));
        }
        if let Some(kind) = q.kind {
            tag_filters.push(any_tag([format!("k{}", kind_str(kind))]));
            args.push(Value::Text(kind_str(kind).to_string()));
            conds.push(format!("q.kind = ?{}", args.len()));
        }
        let fts = text.as_ref().map(|t| {
            let mut expr = format!("{{content speaker}} : ({t})");
            for f in &tag_filters {
                expr.push_str(" AND ");
                expr.push_str(f);
            }
            expr
        });
        if let Some(expr) = &fts {
            args[0] = Value::Text(expr.clone());
            conds.insert(0, "quote_fts MATCH ?1".to_string());
        }
        let where_ = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        // The candidates, with their scores. FTS5 computes BM25 for every match it is asked
        // to order, which for a common word in a large corpus is most of the corpus; so the
        // index is read newest quote first and the first RANK_WINDOW matches (filters
        // included) are ranked: exactly BM25 order when fewer match, else the best of the
        // most recent RANK_WINDOW matches (docs/STORE.md, "Search").
        let candidates = match &fts {
            Some(_) => format!(
                "SELECT q.id AS id, bm25(quote_fts, 1.0, 0.4, 0.0) AS score
                 FROM quote_fts JOIN quotes q ON q.id = quote_fts.rowid
                 JOIN articles a ON a.id = q.article_id {where_}
                 ORDER BY quote_fts.rowid DESC LIMIT {RANK_WINDOW}"
            ),
            // Without text: the newest articles first.
            None => format!(
                "SELECT q.id AS id, 0.0 AS score FROM quotes q
                 JOIN articles a ON a.id = q.article_id {where_}
                 ORDER BY a.date IS NULL, a.date DESC, q.id DESC
                 LIMIT {}",
                limit + offset
            ),
        };
        let order = if fts.is_some() {
            "c.score, q.id"
        } else {
            "a.date IS NULL, a.date DESC, q.id DESC"
        };
        args.push(Value::Integer(limit as i64));
        let lim = args.len();
        args.push(Value::Integer(offset as i64));
        let off = args.len();
        let sql = format!(
            "SELECT q.id, q.cluster_id, cl.size, q.article_id, q.kind, q.content, q.cue, q.source,
                    q.entity_id, e.name, q.confidence, a.date, a.outlet, a.title, a.url, c.score
             FROM ({candidates}) c
             JOIN quotes q ON q.id = c.id
             JOIN articles a ON a.id = q.article_id
             JOIN clusters cl ON cl.id = q.cluster_id
             LEFT JOIN entities e ON e.id = q.entity_id
             ORDER BY {order}
             LIMIT ?{lim} OFFSET ?{off}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(Hit {
                quote: r.get(0)?,
                cluster: r.get(1)?,
                cluster_size: r.get(2)?,
                article: r.get(3)?,
                kind: r.get(4)?,
                content: r.get(5)?,
                cue: r.get(6)?,
                source: r.get(7)?,
                speaker: entity_ref(r.get(8)?, r.get(9)?),
                confidence: r.get(10)?,
                date: r.get(11)?,
                outlet: r.get(12)?,
                title: r.get(13)?,
                url: r.get(14)?,
                score: r.get(15)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The merged entities a name (or `#ID`) designates, by the ingest's merging rules;
    /// failing those, entities with a name containing all its words.
    pub fn speaker_ids(&self, name: &str) -> Result<Vec<i64>> {
        let name = name.trim();
        if let Some(id) = name.strip_prefix('#').and_then(|s| s.parse::<i64>().ok()) {
            return Ok(vec![id]);
        }
        let mut ids: Vec<i64> = Vec::new();
        let run = |sql: &str, a: &str, b: &str| -> Result<Vec<i64>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let found = stmt
                .query_map(params![a, b], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(found)
        };
        let mut collect = |sql: &str, a: &str, b: &str| -> Result<()> {
            ids.extend(run(sql, a, b)?);
            Ok(())
        };
        if let Some(k) = names::analyse(name, "person") {
            match k.form {
                Form::Full => collect(
                    "SELECT id FROM entities WHERE kind = 'person' AND key = ?1 AND ?2 = ?2",
                    &k.key,
                    "",
                )?,
                _ => {
                    let last = k.last.unwrap_or_default();
                    collect(
                        "SELECT id FROM entities WHERE kind = 'person' AND (last = ?1 OR key = ?2)",
                        &last,
                        &format!("~{last}"),
                    )?
                }
            }
        }
        if let Some(k) = names::analyse(name, "organization") {
            match k.form {
                Form::Acronym => collect(
                    "SELECT id FROM entities WHERE kind <> 'person' AND (initials = ?1 OR key = ?2)",
                    k.initials.as_deref().unwrap_or_default(),
                    &k.key,
                )?,
                _ => collect(
                    "SELECT id FROM entities WHERE kind <> 'person' AND key = ?1 AND ?2 = ?2",
                    &k.key,
                    "",
                )?,
            }
        }
        if ids.is_empty() {
            let words = words_of(name);
            if !words.is_empty() {
                let expr = words
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(" ");
                ids.extend(run(
                    "SELECT DISTINCT n.entity_id FROM name_fts JOIN names n ON n.id = name_fts.rowid
                     WHERE name_fts MATCH ?1 AND ?2 = ?2 LIMIT 50",
                    &expr,
                    "",
                )?);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Speakers with the most quotes first.
    pub fn speakers(&self, top: usize) -> Result<Vec<SpeakerSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, e.name, e.kind, count(*) AS n, count(DISTINCT q.article_id),
                    min(a.date), max(a.date)
             FROM quotes q JOIN entities e ON e.id = q.entity_id
             JOIN articles a ON a.id = q.article_id
             GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?1",
        )?;
        let rows = stmt.query_map([top.min(100_000) as i64], summary_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Speakers matching a name (see [`Store::speaker_ids`]), most quoted first.
    pub fn find_speakers(&self, name: &str) -> Result<Vec<SpeakerSummary>> {
        let ids = self.speaker_ids(name)?;
        let list = serde_json::to_string(&ids).map_err(|e| Error::Corrupt(e.to_string()))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, e.name, e.kind, count(q.id) AS n, count(DISTINCT q.article_id),
                    min(a.date), max(a.date)
             FROM entities e LEFT JOIN quotes q ON q.entity_id = e.id
             LEFT JOIN articles a ON a.id = q.article_id
             WHERE e.id IN (SELECT value FROM json_each(?1))
             GROUP BY e.id ORDER BY n DESC, e.name",
        )?;
        let rows = stmt.query_map([list], summary_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A speaker by id: names, monthly counts and up to `limit` statements, oldest first.
    pub fn speaker(&self, id: i64, limit: usize) -> Result<Option<SpeakerDetail>> {
        let speaker = self
            .conn
            .prepare_cached(
                "SELECT e.id, e.name, e.kind, count(q.id), count(DISTINCT q.article_id),
                        min(a.date), max(a.date)
                 FROM entities e LEFT JOIN quotes q ON q.entity_id = e.id
                 LEFT JOIN articles a ON a.id = q.article_id
                 WHERE e.id = ?1 GROUP BY e.id",
            )?
            .query_row([id], summary_row)
            .optional()?;
        let Some(speaker) = speaker else {
            return Ok(None);
        };
        let names = self
            .conn
            .prepare_cached("SELECT name FROM names WHERE entity_id = ?1 ORDER BY uses DESC, id")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        let months = self
            .conn
            .prepare_cached(
                "SELECT substr(a.date, 1, 7) AS m, count(*) FROM quotes q
                 JOIN articles a ON a.id = q.article_id
                 WHERE q.entity_id = ?1 AND a.date IS NOT NULL GROUP BY m ORDER BY m",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(String, i64)>>>()?;
        let timeline = self
            .conn
            .prepare_cached(
                "SELECT q.id, q.cluster_id, q.article_id, a.date, a.outlet, a.title, q.kind,
                        q.content, n.name
                 FROM quotes q JOIN articles a ON a.id = q.article_id
                 LEFT JOIN article_entities ae ON ae.id = q.article_entity_id
                 LEFT JOIN names n ON n.id = ae.name_id
                 WHERE q.entity_id = ?1
                 ORDER BY a.date IS NULL, a.date, a.id, q.content_start LIMIT ?2",
            )?
            .query_map(params![id, limit.min(100_000) as i64], |r| {
                Ok(TimelineEntry {
                    quote: r.get(0)?,
                    cluster: r.get(1)?,
                    article: r.get(2)?,
                    date: r.get(3)?,
                    outlet: r.get(4)?,
                    title: r.get(5)?,
                    kind: r.get(6)?,
                    content: r.get(7)?,
                    as_named: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(SpeakerDetail {
            speaker,
            names,
            months,
            timeline,
        }))
    }

    /// The cluster holding quote `quote`.
    pub fn cluster_of_quote(&self, quote: i64) -> Result<Option<Cluster>> {
        let id: Option<i64> = self
            .conn
            .prepare_cached("SELECT cluster_id FROM quotes WHERE id = ?1")?
            .query_row([quote], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => self.cluster(id),
            None => Ok(None),
        }
    }

    /// A cluster by id, with every occurrence, first seen first.
    pub fn cluster(&self, id: i64) -> Result<Option<Cluster>> {
        let head: Option<(i64, String)> = self
            .conn
            .prepare_cached("SELECT size, rep_norm FROM clusters WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((size, _)) = head else {
            return Ok(None);
        };
        let occurrences = self
            .conn
            .prepare_cached(
                "SELECT q.id, q.article_id, a.date, a.outlet, a.title, a.url, q.kind, q.content,
                        q.entity_id, e.name
                 FROM quotes q JOIN articles a ON a.id = q.article_id
                 LEFT JOIN entities e ON e.id = q.entity_id
                 WHERE q.cluster_id = ?1
                 ORDER BY a.date IS NULL, a.date, a.id, q.content_start",
            )?
            .query_map([id], |r| {
                Ok(Occurrence {
                    quote: r.get(0)?,
                    article: r.get(1)?,
                    date: r.get(2)?,
                    outlet: r.get(3)?,
                    title: r.get(4)?,
                    url: r.get(5)?,
                    kind: r.get(6)?,
                    content: r.get(7)?,
                    speaker: entity_ref(r.get(8)?, r.get(9)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut outlets: Vec<String> = Vec::new();
        let mut speakers: Vec<EntityRef> = Vec::new();
        for o in &occurrences {
            if let Some(out) = &o.outlet {
                if !outlets.iter().any(|x| x.eq_ignore_ascii_case(out)) {
                    outlets.push(out.clone());
                }
            }
            if let Some(s) = &o.speaker {
                if !speakers.iter().any(|x| x.id == s.id) {
                    speakers.push(s.clone());
                }
            }
        }
        let text = occurrences
            .iter()
            .map(|o| o.content.as_str())
            .max_by_key(|c| c.chars().count())
            .unwrap_or_default()
            .to_string();
        Ok(Some(Cluster {
            id,
            size,
            text,
            first_seen: occurrences.first().cloned(),
            occurrences,
            outlets,
            speakers,
        }))
    }

    /// A stored article with its quotes and entities.
    pub fn article(&self, id: i64) -> Result<Option<Article>> {
        let head = self
            .conn
            .prepare_cached(
                "SELECT id, doc_id, title, date, outlet, url, text FROM articles WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(Article {
                    id: r.get(0)?,
                    doc_id: r.get(1)?,
                    title: r.get(2)?,
                    date: r.get(3)?,
                    outlet: r.get(4)?,
                    url: r.get(5)?,
                    text: r.get(6)?,
                    quotes: Vec::new(),
                    entities: Vec::new(),
                })
            })
            .optional()?;
        let Some(mut article) = head else {
            return Ok(None);
        };
        article.quotes = self
            .conn
            .prepare_cached(
                "SELECT q.id, q.local_id, q.kind, q.content_start, q.content_end, q.cue_start,
                        q.cue_end, q.source_start, q.source_end, q.content, q.cue, q.source,
                        q.entity_id, e.name, q.confidence, q.cluster_id, c.size
                 FROM quotes q LEFT JOIN entities e ON e.id = q.entity_id
                 JOIN clusters c ON c.id = q.cluster_id
                 WHERE q.article_id = ?1 ORDER BY q.content_start, q.id",
            )?
            .query_map([id], |r| {
                let pair = |a: usize| -> rusqlite::Result<Option<(i64, i64)>> {
                    Ok(
                        match (r.get::<_, Option<i64>>(a)?, r.get::<_, Option<i64>>(a + 1)?) {
                            (Some(s), Some(e)) => Some((s, e)),
                            _ => None,
                        },
                    )
                };
                Ok(ArticleQuote {
                    id: r.get(0)?,
                    local_id: r.get(1)?,
                    kind: r.get(2)?,
                    content: (r.get(3)?, r.get(4)?),
                    cue: pair(5)?,
                    source: pair(7)?,
                    content_text: r.get(9)?,
                    cue_text: r.get(10)?,
                    source_text: r.get(11)?,
                    speaker: entity_ref(r.get(12)?, r.get(13)?),
                    confidence: r.get(14)?,
                    cluster: r.get(15)?,
                    cluster_size: r.get(16)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut entities: Vec<ArticleEntity> = self
            .conn
            .prepare_cached(
                "SELECT ae.id, ae.local_id, ae.kind, e.name, e.id
                 FROM article_entities ae JOIN names n ON n.id = ae.name_id
                 JOIN entities e ON e.id = n.entity_id
                 WHERE ae.article_id = ?1 ORDER BY ae.id",
            )?
            .query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    ArticleEntity {
                        local_id: r.get(1)?,
                        kind: r.get(2)?,
                        name: r.get(3)?,
                        entity: r.get(4)?,
                        mentions: Vec::new(),
                    },
                ))
            })?
            .map(|row| {
                let (ae, mut ent) = row?;
                ent.mentions = self
                    .conn
                    .prepare_cached(
                        "SELECT start, end FROM mentions WHERE article_entity_id = ?1 ORDER BY start",
                    )?
                    .query_map([ae], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(ent)
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        entities.sort_by(|a, b| {
            a.local_id
                .len()
                .cmp(&b.local_id.len())
                .then(a.local_id.cmp(&b.local_id))
        });
        article.entities = entities;
        Ok(Some(article))
    }

    /// Counts and ranges of the corpus.
    pub fn stats(&self) -> Result<Stats> {
        let one = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let (first_date, last_date) =
            self.conn
                .query_row("SELECT min(date), max(date) FROM articles", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        let outlets = self
            .conn
            .prepare_cached(
                "SELECT outlet FROM articles WHERE outlet IS NOT NULL
                 GROUP BY outlet ORDER BY count(*) DESC, outlet LIMIT 200",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(Stats {
            schema_version: self.schema_version()?,
            articles: one("SELECT count(*) FROM articles")?,
            quotes: one("SELECT count(*) FROM quotes")?,
            speakers: one("SELECT count(DISTINCT entity_id) FROM quotes")?,
            repeated_quotes: one("SELECT count(*) FROM clusters WHERE size > 1")?,
            outlets,
            first_date,
            last_date,
            pending: one("SELECT count(*) FROM articles WHERE extracted = 0")?,
        })
    }
}

fn summary_row(r: &Row) -> rusqlite::Result<SpeakerSummary> {
    Ok(SpeakerSummary {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        quotes: r.get(3)?,
        articles: r.get(4)?,
        first: r.get(5)?,
        last: r.get(6)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_quoted_terms() {
        assert_eq!(
            fts_query("bridge closure").as_deref(),
            Some("\"bridge\" \"closure\"")
        );
        assert_eq!(fts_query("the bridge").as_deref(), Some("\"bridge\""));
        assert_eq!(fts_query("the").as_deref(), Some("\"the\""));
        assert_eq!(
            fts_query("\"we will not wait\" mayor").as_deref(),
            Some("\"we will not wait\" \"mayor\"")
        );
        assert_eq!(fts_query("brid*").as_deref(), Some("\"brid\" *"));
        // FTS operators and quotes in the input are only words.
        assert_eq!(
            fts_query("NEAR(a b) OR x:y ^z -w").as_deref(),
            Some("\"near\" \"b\" \"x\" \"y\" \"z\" \"w\"")
        );
        assert_eq!(fts_query("  \"\" ... "), None);
    }
}
