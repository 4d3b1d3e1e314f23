//! A minimal Apache Parquet writer: flat schemas of optional INT64, DOUBLE and UTF-8 string
//! columns, PLAIN encoding, no compression, one data page (format v1) per column per row
//! group, metadata in Thrift's compact protocol. That subset is what every reader (pyarrow,
//! Spark, DuckDB, polars) reads; docs/STORE.md says why it is written here rather than
//! taken from the `parquet` crate (build cost).

use std::io::{self, Write};

/// A column's physical type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    Int64,
    Double,
    Utf8,
}

/// One value of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

/// Writes rows to Parquet, a row group each `group_rows` rows.
pub struct ParquetWriter<W: Write> {
    out: Counting<W>,
    columns: Vec<(String, ColumnType)>,
    buffered: Vec<Vec<Cell>>,
    rows_in_group: usize,
    group_rows: usize,
    groups: Vec<RowGroupMeta>,
    total_rows: i64,
}

struct ColumnChunkMeta {
    data_page_offset: i64,
    size: i64,
    num_values: i64,
}

struct RowGroupMeta {
    columns: Vec<ColumnChunkMeta>,
    num_rows: i64,
}

struct Counting<W> {
    inner: W,
    pos: u64,
}

impl<W: Write> Counting<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.inner.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }
}

impl<W: Write> ParquetWriter<W> {
    pub fn new(out: W, columns: Vec<(String, ColumnType)>, group_rows: usize) -> io::Result<Self> {
        let mut out = Counting { inner: out, pos: 0 };
        out.put(b"PAR1")?;
        let n = columns.len();
        Ok(ParquetWriter {
            out,
            columns,
            buffered: vec![Vec::new(); n],
            rows_in_group: 0,
            group_rows: group_rows.max(1),
            groups: Vec::new(),
            total_rows: 0,
        })
    }

    /// Add a row: one cell per column, of the column's type or null.
    pub fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        if cells.len() != self.columns.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a row must have one cell per column",
            ));
        }
        for (i, c) in cells.into_iter().enumerate() {
            let ok = matches!(
                (&c, self.columns[i].1),
                (Cell::Null, _)
                    | (Cell::Int(_), ColumnType::Int64)
                    | (Cell::Float(_), ColumnType::Double)
                    | (Cell::Text(_), ColumnType::Utf8)
            );
            if !ok {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("a value of the wrong type for column {}", self.columns[i].0),
                ));
            }
            self.buffered[i].push(c);
        }
        self.rows_in_group += 1;
        if self.rows_in_group >= self.group_rows {
            self.flush_group()?;
        }
        Ok(())
    }

    fn flush_group(&mut self) -> io::Result<()> {
        if self.rows_in_group == 0 {
            return Ok(());
        }
        let rows = self.rows_in_group;
        let mut metas = Vec::with_capacity(self.columns.len());
        for i in 0..self.columns.len() {
            let cells = std::mem::take(&mut self.buffered[i]);
            let page = encode_page(&cells);
            let mut header = Thrift::default();
            // PageHeader
            header.i32_field(1, 0); // DATA_PAGE
            header.i32_field(2, page.len() as i32);
            header.i32_field(3, page.len() as i32);
            header.struct_begin(5); // DataPageHeader
            header.i32_field(1, rows as i32);
            header.i32_field(2, 0); // PLAIN
            header.i32_field(3, 3); // RLE definition levels
            header.i32_field(4, 3); // RLE repetition levels (none written)
            header.struct_end();
            header.stop();
            let offset = self.out.pos as i64;
            self.out.put(&header.buf)?;
            self.out.put(&page)?;
            metas.push(ColumnChunkMeta {
                data_page_offset: offset,
                size: (header.buf.len() + page.len()) as i64,
                num_values: rows as i64,
            });
        }
        self.groups.push(RowGroupMeta {
            columns: metas,
            num_rows: rows as i64,
        });
        self.total_rows += rows as i64;
        self.rows_in_group = 0;
        Ok(())
    }

    /// Write the last row group and the footer; returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush_group()?;
        let mut t = Thrift::default();
        // FileMetaData
        t.i32_field(1, 1);
        t.list_begin(2, STRUCT, self.columns.len() + 1);
        // The root of the schema: a group of the columns.
        t.struct_elem_begin();
        t.binary_field(4, b"schema");
        t.i32_field(5, self.columns.len() as i32);
        t.struct_elem_end();
        for (name, ty) in &self.columns {
            t.struct_elem_begin();
            t.i32_field(1, physical(*ty));
            t.i32_field(3, 1); // OPTIONAL
            t.binary_field(4, name.as_bytes());
            if *ty == ColumnType::Utf8 {
                t.i32_field(6, 0); // ConvertedType UTF8
                t.struct_begin(10); // LogicalType
                t.struct_begin(1); // STRING
                t.struct_end();
                t.struct_end();
            }
            t.struct_elem_end();
        }
        t.i64_field(3, self.total_rows);
        t.list_begin(4, STRUCT, self.groups.len());
        for g in &self.groups {
            t.struct_elem_begin();
            t.list_begin(1, STRUCT, g.columns.len());
            for (c, (name, ty)) in g.columns.iter().zip(&self.columns) {
                t.struct_elem_begin();
                t.i64_field(2, c.data_page_offset);
                t.struct_begin(3); // ColumnMetaData
                t.i32_field(1, physical(*ty));
                t.list_begin(2, I32, 2);
                t.varint(zigzag(0)); // PLAIN
                t.varint(zigzag(3)); // RLE
                t.list_begin(3, BINARY, 1);
                t.bytes(name.as_bytes());
                t.i32_field(4, 0); // UNCOMPRESSED
                t.i64_field(5, c.num_values);
                t.i64_field(6, c.size);
                t.i64_field(7, c.size);
                t.i64_field(9, c.data_page_offset);
                t.struct_end();
                t.struct_elem_end();
            }
            let total: i64 = g.columns.iter().map(|c| c.size).sum();
            t.i64_field(2, total);
            t.i64_field(3, g.num_rows);
            if let Some(first) = g.columns.first() {
                t.i64_field(5, first.data_page_offset);
            }
            t.i64_field(6, total);
            t.struct_elem_end();
        }
        t.binary_field(
            6,
            format!("onrecord version {}", env!("CARGO_PKG_VERSION")).as_bytes(),
        );
        t.stop();
        self.out.put(&t.buf)?;
        self.out.put(&(t.buf.len() as u32).to_le_bytes())?;
        self.out.put(b"PAR1")?;
        self.out.inner.flush()?;
        Ok(self.out.inner)
    }
}

fn physical(t: ColumnType) -> i32 {
    match t {
        ColumnType::Int64 => 2,
        ColumnType::Double => 5,
        ColumnType::Utf8 => 6,
    }
}

/// Definition levels (RLE runs, bit width 1, with their 4-byte length) then the PLAIN values
/// of the non-null cells.
fn encode_page(cells: &[Cell]) -> Vec<u8> {
    let mut levels = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let defined = !matches!(cells[i], Cell::Null);
        let mut j = i;
        while j < cells.len() && !matches!(cells[j], Cell::Null) == defined {
            j += 1;
        }
        put_varint(&mut levels, ((j - i) as u64) << 1);
        levels.push(u8::from(defined));
        i = j;
    }
    let mut page = Vec::with_capacity(levels.len() + 4 + cells.len() * 8);
    page.extend_from_slice(&(levels.len() as u32).to_le_bytes());
    page.extend_from_slice(&levels);
    for c in cells {
        match c {
            Cell::Null => {}
            Cell::Int(v) => page.extend_from_slice(&v.to_le_bytes()),
            Cell::Float(v) => page.extend_from_slice(&v.to_le_bytes()),
            Cell::Text(s) => {
                page.extend_from_slice(&(s.len() as u32).to_le_bytes());
                page.extend_from_slice(s.as_bytes());
            }
        }
    }
    page
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

const I32: u8 = 5;
const I64: u8 = 6;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const STRUCT: u8 = 12;

/// Thrift compact protocol, just what the footer and page headers need.
#[derive(Default)]
struct Thrift {
    buf: Vec<u8>,
    /// The last field id of each open struct.
    last: Vec<i16>,
    current: i16,
}

impl Thrift {
    fn field(&mut self, id: i16, ty: u8) {
        let delta = id - self.current;
        if (1..=15).contains(&delta) {
            self.buf.push(((delta as u8) << 4) | ty);
        } else {
            self.buf.push(ty);
            put_varint(&mut self.buf, zigzag(i64::from(id)));
        }
        self.current = id;
    }
    fn varint(&mut self, v: u64) {
        put_varint(&mut self.buf, v);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.buf.extend_from_slice(b);
    }
    fn i32_field(&mut self, id: i16, v: i32) {
        self.field(id, I32);
        self.varint(zigzag(i64::from(v)));
    }
    fn i64_field(&mut self, id: i16, v: i64) {
        self.field(id, I64);
        self.varint(zigzag(v));
    }
    fn binary_field(&mut self, id: i16, b: &[u8]) {
        self.field(id, BINARY);
        self.bytes(b);
    }
    fn list_begin(&mut self, id: i16, elem: u8, n: usize) {
        self.field(id, LIST);
        if n < 15 {
            self.buf.push(((n as u8) << 4) | elem);
        } else {
            self.buf.push(0xf0 | elem);
            self.varint(n as u64);
        }
    }
    fn struct_begin(&mut self, id: i16) {
        self.field(id, STRUCT);
        self.struct_elem_begin();
    }
    /// A struct inside a list: no field header.
    fn struct_elem_begin(&mut self) {
        self.last.push(self.current);
        self.current = 0;
    }
    fn struct_end(&mut self) {
        self.struct_elem_end();
    }
    fn struct_elem_end(&mut self) {
        self.buf.push(0);
        self.current = self.last.pop().unwrap_or(0);
    }
    fn stop(&mut self) {
        self.buf.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_has_magic_and_footer() {
        let cols = vec![
            ("id".to_string(), ColumnType::Int64),
            ("score".to_string(), ColumnType::Double),
            ("text".to_string(), ColumnType::Utf8),
        ];
        let mut w = ParquetWriter::new(Vec::new(), cols, 2).unwrap();
        w.row(vec![Cell::Int(1), Cell::Float(0.5), Cell::Text("a".into())])
            .unwrap();
        w.row(vec![Cell::Int(2), Cell::Null, Cell::Text("bé".into())])
            .unwrap();
        w.row(vec![Cell::Null, Cell::Float(1.0), Cell::Null])
            .unwrap();
        assert!(w.row(vec![Cell::Int(1)]).is_err());
        assert!(w
            .row(vec![Cell::Text("x".into()), Cell::Null, Cell::Null])
            .is_err());
        let bytes = w.finish().unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
        let n = bytes.len();
        let footer = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().unwrap()) as usize;
        assert!(footer > 20 && footer < n - 12);
    }

    #[test]
    fn definition_levels_are_rle_runs() {
        let page = encode_page(&[Cell::Int(7), Cell::Int(8), Cell::Null]);
        // length 4, then runs: 2 x defined, 1 x null; then two INT64 values.
        assert_eq!(&page[..8], &[4, 0, 0, 0, 4, 1, 2, 0]);
        assert_eq!(page.len(), 8 + 16);
    }

    #[test]
    fn compact_protocol_basics() {
        assert_eq!(zigzag(0), 0);
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
        let mut t = Thrift::default();
        t.i32_field(1, 3);
        t.i32_field(20, 1);
        t.stop();
        assert_eq!(t.buf, vec![0x15, 6, 0x05, 40, 2, 0]);
    }
}
