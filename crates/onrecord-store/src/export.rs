//! Export: one flat row per quote, with its article, speaker and cluster, as JSON Lines,
//! CSV (RFC 4180) or Parquet, streamed from the database in quote order.

use crate::parquet::{Cell, ColumnType, ParquetWriter};
use crate::{Result, Store};
use std::io::Write;

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    Parquet,
}

/// The columns of an export, in order, with their types.
const COLUMNS: &[(&str, ColumnType)] = &[
    ("quote_id", ColumnType::Int64),
    ("cluster_id", ColumnType::Int64),
    ("cluster_size", ColumnType::Int64),
    ("article_id", ColumnType::Int64),
    ("doc_id", ColumnType::Utf8),
    ("date", ColumnType::Utf8),
    ("outlet", ColumnType::Utf8),
    ("url", ColumnType::Utf8),
    ("title", ColumnType::Utf8),
    ("kind", ColumnType::Utf8),
    ("content", ColumnType::Utf8),
    ("content_start", ColumnType::Int64),
    ("content_end", ColumnType::Int64),
    ("cue", ColumnType::Utf8),
    ("source", ColumnType::Utf8),
    ("speaker_id", ColumnType::Int64),
    ("speaker", ColumnType::Utf8),
    ("speaker_as_named", ColumnType::Utf8),
    ("speaker_kind", ColumnType::Utf8),
    ("confidence", ColumnType::Double),
];

const SQL: &str = "
    SELECT q.id, q.cluster_id, c.size, q.article_id, a.doc_id, a.date, a.outlet, a.url, a.title,
           q.kind, q.content, q.content_start, q.content_end, q.cue, q.source,
           q.entity_id, e.name, n.name, e.kind, q.confidence
    FROM quotes q
    JOIN articles a ON a.id = q.article_id
    JOIN clusters c ON c.id = q.cluster_id
    LEFT JOIN entities e ON e.id = q.entity_id
    LEFT JOIN article_entities ae ON ae.id = q.article_entity_id
    LEFT JOIN names n ON n.id = ae.name_id
    ORDER BY q.id";

/// Rows per Parquet row group.
const GROUP_ROWS: usize = 65_536;

impl Store {
    /// Write every quote to `out` in `format`; returns the number of rows.
    pub fn export(&self, format: ExportFormat, out: impl Write) -> Result<u64> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        let mut stmt = self.conn.prepare(SQL)?;
        let mut rows = stmt.query([])?;
        let mut n = 0u64;
        match format {
            ExportFormat::Jsonl => {
                while let Some(r) = rows.next()? {
                    let cells = cells(r)?;
                    let mut obj = serde_json::Map::new();
                    for ((name, _), cell) in COLUMNS.iter().zip(cells) {
                        obj.insert(name.to_string(), cell_json(cell));
                    }
                    serde_json::to_writer(&mut out, &obj)
                        .map_err(|e| crate::Error::Io(e.into()))?;
                    out.write_all(b"\n")?;
                    n += 1;
                }
            }
            ExportFormat::Csv => {
                let header: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
                out.write_all(header.join(",").as_bytes())?;
                out.write_all(b"\r\n")?;
                while let Some(r) = rows.next()? {
                    let fields: Vec<String> = cells(r)?.into_iter().map(csv_field).collect();
                    out.write_all(fields.join(",").as_bytes())?;
                    out.write_all(b"\r\n")?;
                    n += 1;
                }
            }
            ExportFormat::Parquet => {
                let cols = COLUMNS.iter().map(|(n, t)| (n.to_string(), *t)).collect();
                let mut w = ParquetWriter::new(&mut out, cols, GROUP_ROWS)?;
                while let Some(r) = rows.next()? {
                    w.row(cells(r)?)?;
                    n += 1;
                }
                w.finish()?;
            }
        }
        out.flush()?;
        Ok(n)
    }
}

fn cells(r: &rusqlite::Row) -> rusqlite::Result<Vec<Cell>> {
    COLUMNS
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| {
            Ok(match ty {
                ColumnType::Int64 => r.get::<_, Option<i64>>(i)?.map_or(Cell::Null, Cell::Int),
                ColumnType::Double => r.get::<_, Option<f64>>(i)?.map_or(Cell::Null, Cell::Float),
                ColumnType::Utf8 => r
                    .get::<_, Option<String>>(i)?
                    .map_or(Cell::Null, Cell::Text),
            })
        })
        .collect()
}

fn cell_json(c: Cell) -> serde_json::Value {
    match c {
        Cell::Null => serde_json::Value::Null,
        Cell::Int(v) => v.into(),
        Cell::Float(v) => {
            serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into)
        }
        Cell::Text(s) => s.into(),
    }
}

/// A CSV field: quoted when it holds a comma, quote or line break; empty for null.
fn csv_field(c: Cell) -> String {
    match c {
        Cell::Null => String::new(),
        Cell::Int(v) => v.to_string(),
        Cell::Float(v) => v.to_string(),
        Cell::Text(s) => {
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s
            }
        }
    }
}
