//! The model file format and the weight table the taggers score with.
//!
//! ```text
//! header   magic "ONRTAGGR" (8 bytes) | format version u16 | kind u8 | 0 u8 | payload length u32
//! payload  feature-set version u16 | label count u8 | label names (u8 length + bytes each)
//!          | weight scale f32 | row count u32
//!          | rows, by increasing key: key delta (varint) | entry count (varint)
//!            | labels (u8 each) | weights (i16 each, times the scale)
//!          | word count u32
//!          | words, by increasing key: key delta (varint) | for each of the 5 window
//!            positions: row count (varint) | row indices, increasing (delta varints)
//! trailer  CRC-32 (IEEE) of header and payload, u32
//! ```
//! All integers are little-endian. A row holds the non-zero weights of one feature. A word
//! entry lists, for a frequent training word, which rows its features at each window
//! position use: the loader sums them into a dense block so that tagging a known word
//! costs one lookup.

use super::ModelError;

pub(crate) const MAGIC: &[u8; 8] = b"ONRTAGGR";
/// Version of the container layout above.
pub const FORMAT_VERSION: u16 = 1;
const HEADER_LEN: usize = 16;

/// Which tagger a model file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Pos = 1,
    Ner = 2,
}

impl Kind {
    pub(crate) fn name(code: u8) -> &'static str {
        match code {
            1 => "part-of-speech",
            2 => "named-entity",
            _ => "unknown",
        }
    }
}

/// The decoded contents of a model file: sparse rows of quantized weights.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ModelData {
    pub(crate) feature_version: u16,
    pub(crate) labels: Vec<String>,
    pub(crate) scale: f32,
    /// (key, [(label, quantized weight)]), by increasing key.
    pub(crate) rows: Vec<(u32, Vec<(u8, i16)>)>,
    /// (word key, per window position the indices of its feature rows), by increasing key.
    pub(crate) words: Vec<(u32, [Vec<u32>; 5])>,
}

pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    };
    let mut c = !0u32;
    for &b in bytes {
        c = TABLE[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(crate) fn encode(kind: Kind, data: &ModelData) -> Vec<u8> {
    let mut p = Vec::new();
    p.extend_from_slice(&data.feature_version.to_le_bytes());
    p.push(data.labels.len() as u8);
    for l in &data.labels {
        p.push(l.len() as u8);
        p.extend_from_slice(l.as_bytes());
    }
    p.extend_from_slice(&data.scale.to_le_bytes());
    p.extend_from_slice(&(data.rows.len() as u32).to_le_bytes());
    let mut prev = 0u32;
    for (key, entries) in &data.rows {
        put_varint(&mut p, (key - prev) as u64);
        prev = *key;
        put_varint(&mut p, entries.len() as u64);
        p.extend(entries.iter().map(|e| e.0));
        for e in entries {
            p.extend_from_slice(&e.1.to_le_bytes());
        }
    }
    p.extend_from_slice(&(data.words.len() as u32).to_le_bytes());
    let mut prev = 0u32;
    for (key, slots) in &data.words {
        put_varint(&mut p, (key - prev) as u64);
        prev = *key;
        for rows in slots {
            put_varint(&mut p, rows.len() as u64);
            let mut last = 0u32;
            for (i, &r) in rows.iter().enumerate() {
                put_varint(&mut p, if i == 0 { r } else { r - last } as u64);
                last = r;
            }
        }
    }
    let mut out = Vec::with_capacity(HEADER_LEN + p.len() + 4);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.push(kind as u8);
    out.push(0);
    out.extend_from_slice(&(p.len() as u32).to_le_bytes());
    out.extend_from_slice(&p);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(ModelError::Malformed(
                "a record runs past the end of the payload",
            ))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Malformed("varint too long"))
    }
}

/// What every onrecord model file is checked for first: not empty, the right magic number
/// (a prefix of it is a truncated file), a whole header.
pub(crate) fn check_prelude(
    bytes: &[u8],
    magic: &[u8; 8],
    header_len: usize,
) -> Result<(), ModelError> {
    if bytes.is_empty() {
        return Err(ModelError::Empty);
    }
    let n = bytes.len().min(magic.len());
    if bytes[..n] != magic[..n] {
        return Err(ModelError::BadMagic);
    }
    if bytes.len() < header_len {
        return Err(ModelError::Truncated {
            expected: header_len,
            actual: bytes.len(),
        });
    }
    Ok(())
}

/// The file must be exactly `total` bytes long: shorter is truncated, longer has bytes after
/// its checksum.
pub(crate) fn check_length(bytes: &[u8], total: usize) -> Result<(), ModelError> {
    if bytes.len() < total {
        return Err(ModelError::Truncated {
            expected: total,
            actual: bytes.len(),
        });
    }
    if bytes.len() > total {
        return Err(ModelError::Malformed("trailing bytes after the checksum"));
    }
    Ok(())
}

/// Check the container and decode the payload.
pub(crate) fn decode(kind: Kind, bytes: &[u8]) -> Result<ModelData, ModelError> {
    check_prelude(bytes, MAGIC, HEADER_LEN)?;
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != FORMAT_VERSION {
        return Err(ModelError::UnsupportedVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    if bytes[10] != kind as u8 {
        return Err(ModelError::WrongKind {
            expected: Kind::name(kind as u8),
            found: Kind::name(bytes[10]),
        });
    }
    let payload_len = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    let total = HEADER_LEN + payload_len + 4;
    check_length(bytes, total)?;
    let body = &bytes[..HEADER_LEN + payload_len];
    let stored = u32::from_le_bytes([
        bytes[total - 4],
        bytes[total - 3],
        bytes[total - 2],
        bytes[total - 1],
    ]);
    let computed = crc32(body);
    if stored != computed {
        return Err(ModelError::Checksum { stored, computed });
    }
    let mut r = Reader {
        bytes: &body[HEADER_LEN..],
        pos: 0,
    };
    let feature_version = r.u16()?;
    let nlabels = r.u8()? as usize;
    let mut labels = Vec::with_capacity(nlabels);
    for _ in 0..nlabels {
        let len = r.u8()? as usize;
        let s = std::str::from_utf8(r.take(len)?)
            .map_err(|_| ModelError::Malformed("label name is not UTF-8"))?;
        labels.push(s.to_string());
    }
    let scale = f32::from_bits(r.u32()?);
    if !scale.is_finite() || scale < 0.0 {
        return Err(ModelError::Malformed(
            "weight scale is not a finite positive number",
        ));
    }
    let nrows = r.u32()? as usize;
    // each row takes at least two bytes: never trust a count the payload cannot hold
    if nrows > r.bytes.len() / 2 {
        return Err(ModelError::Malformed("row count exceeds the payload"));
    }
    let mut rows = Vec::with_capacity(nrows);
    let mut key = 0u32;
    for i in 0..nrows {
        let delta = r.varint()?;
        key = u32::try_from(key as u64 + delta)
            .map_err(|_| ModelError::Malformed("feature key out of range"))?;
        if key == 0 || (i > 0 && delta == 0) {
            return Err(ModelError::Malformed(
                "feature keys not strictly increasing",
            ));
        }
        let n = r.varint()? as usize;
        if n > nlabels {
            return Err(ModelError::Malformed("row longer than the label set"));
        }
        let tags = r.take(n)?;
        let ws = r.take(2 * n)?;
        let mut entries = Vec::with_capacity(n);
        for (j, &t) in tags.iter().enumerate() {
            if t as usize >= nlabels {
                return Err(ModelError::Malformed(
                    "weight for a label outside the label set",
                ));
            }
            entries.push((t, i16::from_le_bytes([ws[2 * j], ws[2 * j + 1]])));
        }
        rows.push((key, entries));
    }
    let nwords = r.u32()? as usize;
    // each word takes at least six bytes
    if nwords > (r.bytes.len() - r.pos) / 6 {
        return Err(ModelError::Malformed("word count exceeds the payload"));
    }
    let mut words = Vec::with_capacity(nwords);
    let mut key = 0u32;
    for i in 0..nwords {
        let delta = r.varint()?;
        key = u32::try_from(key as u64 + delta)
            .map_err(|_| ModelError::Malformed("word key out of range"))?;
        if key == 0 || (i > 0 && delta == 0) {
            return Err(ModelError::Malformed("word keys not strictly increasing"));
        }
        let mut slots: [Vec<u32>; 5] = Default::default();
        for slot in slots.iter_mut() {
            let n = r.varint()? as usize;
            if n > nrows {
                return Err(ModelError::Malformed("word uses more rows than there are"));
            }
            let mut row = 0u64;
            for j in 0..n {
                let d = r.varint()?;
                row = if j == 0 { d } else { row + d };
                if row >= nrows as u64 || (j > 0 && d == 0) {
                    return Err(ModelError::Malformed("word row index out of range"));
                }
                slot.push(row as u32);
            }
        }
        words.push((key, slots));
    }
    if r.pos != r.bytes.len() {
        return Err(ModelError::Malformed(
            "unread bytes at the end of the payload",
        ));
    }
    Ok(ModelData {
        feature_version,
        labels,
        scale,
        rows,
        words,
    })
}

/// Check that the model's labels are the ones this build predicts, in the same order.
pub(crate) fn check_labels(
    data: &ModelData,
    feature_version: u16,
    expected: impl ExactSizeIterator<Item = &'static str>,
) -> Result<(), ModelError> {
    if data.feature_version != feature_version {
        return Err(ModelError::FeatureMismatch {
            found: data.feature_version,
            expected: feature_version,
        });
    }
    if data.labels.len() != expected.len() || data.labels.iter().zip(expected).any(|(a, b)| a != b)
    {
        return Err(ModelError::LabelMismatch);
    }
    Ok(())
}

/// Open-addressing (linear probing) map from non-zero u32 keys to u32 values, at most
/// half full so that an empty slot ends every probe sequence.
struct KeyIndex {
    slots: Vec<(u32, u32)>,
    mask: usize,
}

impl KeyIndex {
    fn new<'a>(keys: impl ExactSizeIterator<Item = &'a u32>) -> KeyIndex {
        let cap = (keys.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![(0u32, 0u32); cap];
        for (v, &k) in keys.enumerate() {
            let mut i = k as usize & (cap - 1);
            while slots[i].0 != 0 {
                i = (i + 1) & (cap - 1);
            }
            slots[i] = (k, v as u32);
        }
        KeyIndex {
            slots,
            mask: cap - 1,
        }
    }

    #[inline]
    fn get(&self, key: u32) -> Option<u32> {
        let mut i = key as usize & self.mask;
        loop {
            let (k, v) = self.slots[i];
            if k == key {
                return Some(v);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// A table slot: the key, and the row inline when it has at most two entries (most do),
/// which saves a cache miss per lookup.
#[derive(Clone, Copy, Default)]
struct RowSlot {
    key: u32,
    /// Start of the entries of a longer row.
    start: u32,
    len: u16,
    w: [i16; 2],
    t: [u8; 2],
}

/// Feature key -> sparse row of quantized weights, in an open-addressing table (linear
/// probing, at most half full, so an empty slot ends every probe sequence).
pub(crate) struct Table {
    slots: Vec<RowSlot>,
    mask: usize,
    /// Per row index: start of its entries, and one past the end.
    bounds: Vec<u32>,
    entries: Vec<(u8, i16)>,
}

impl Table {
    pub(crate) fn new(data: &ModelData) -> Table {
        let total: usize = data.rows.iter().map(|r| r.1.len()).sum();
        let mut entries = Vec::with_capacity(total);
        let mut bounds = Vec::with_capacity(data.rows.len() + 1);
        let cap = (data.rows.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![RowSlot::default(); cap];
        bounds.push(0);
        for (key, row) in &data.rows {
            let mut slot = RowSlot {
                key: *key,
                start: entries.len() as u32,
                // rows never hold more entries than labels (at most 255)
                len: row.len().min(u16::MAX as usize) as u16,
                ..RowSlot::default()
            };
            for (i, &(t, w)) in row.iter().take(2).enumerate() {
                slot.t[i] = t;
                slot.w[i] = w;
            }
            entries.extend_from_slice(row);
            bounds.push(entries.len() as u32);
            let mut i = *key as usize & (cap - 1);
            while slots[i].key != 0 {
                i = (i + 1) & (cap - 1);
            }
            slots[i] = slot;
        }
        Table {
            slots,
            mask: cap - 1,
            bounds,
            entries,
        }
    }

    #[inline]
    fn add_entries(entries: &[(u8, i16)], acc: &mut [i32]) {
        for &(t, w) in entries {
            if let Some(x) = acc.get_mut(t as usize) {
                *x += w as i32;
            }
        }
    }

    /// Add row number `row` (in key order) to `acc`.
    #[inline]
    fn add_row(&self, row: usize, acc: &mut [i32]) {
        let (a, b) = (self.bounds[row] as usize, self.bounds[row + 1] as usize);
        Self::add_entries(&self.entries[a..b], acc);
    }

    /// Add the row of `key` to `acc`; false if the feature has no weights.
    #[inline]
    pub(crate) fn add(&self, key: u32, acc: &mut [i32]) -> bool {
        let mut i = key as usize & self.mask;
        let s = loop {
            let s = &self.slots[i];
            if s.key == key {
                break s;
            }
            if s.key == 0 {
                return false;
            }
            i = (i + 1) & self.mask;
        };
        if s.len <= 2 {
            for j in 0..s.len as usize {
                if let Some(x) = acc.get_mut(s.t[j] as usize) {
                    *x += s.w[j] as i32;
                }
            }
        } else {
            let a = s.start as usize;
            Self::add_entries(&self.entries[a..a + s.len as usize], acc);
        }
        true
    }

    pub(crate) fn memory(&self) -> usize {
        self.slots.len() * std::mem::size_of::<RowSlot>()
            + self.bounds.len() * 4
            + self.entries.len() * 4
    }
}

/// Frequent words' features summed per window position into dense blocks of `W` labels
/// (padded), plus a last block holding the padding rows used past the sentence ends.
pub(crate) struct Blocks<const W: usize> {
    index: KeyIndex,
    rows: Vec<[i16; W]>,
}

impl<const W: usize> Blocks<W> {
    pub(crate) fn new(data: &ModelData, table: &Table, pad_keys: [u32; 5]) -> Blocks<W> {
        let mut rows = Vec::with_capacity(5 * (data.words.len() + 1));
        let mut acc = [0i32; W];
        let mut push = |acc: &mut [i32; W]| {
            // the trainer sized the scale so that known words' sums fit
            rows.push(acc.map(|x| x.clamp(i16::MIN as i32, i16::MAX as i32) as i16));
            *acc = [0; W];
        };
        for (_, slots) in &data.words {
            for ids in slots {
                for &r in ids {
                    table.add_row(r as usize, &mut acc);
                }
                push(&mut acc);
            }
        }
        for k in pad_keys {
            table.add(k, &mut acc);
            push(&mut acc);
        }
        Blocks {
            index: KeyIndex::new(data.words.iter().map(|w| &w.0)),
            rows,
        }
    }

    /// The block of the word whose key this is.
    #[inline]
    pub(crate) fn find(&self, key: u32) -> Option<u32> {
        self.index.get(key)
    }

    /// The padding block.
    #[inline]
    pub(crate) fn pad(&self) -> u32 {
        (self.rows.len() / 5 - 1) as u32
    }

    /// Row of block `b` for window position `slot`.
    #[inline]
    pub(crate) fn row(&self, b: u32, slot: usize) -> &[i16; W] {
        &self.rows[b as usize * 5 + slot]
    }

    pub(crate) fn memory(&self) -> usize {
        self.index.slots.len() * 8 + self.rows.len() * W * 2
    }
}

#[inline]
pub(crate) fn add_i16<const W: usize>(acc: &mut [i32; W], row: &[i16; W]) {
    for (a, &r) in acc.iter_mut().zip(row) {
        *a += r as i32;
    }
}

#[inline]
pub(crate) fn add_i32<const W: usize>(acc: &mut [i32; W], row: &[i32; W]) {
    for (a, &r) in acc.iter_mut().zip(row) {
        *a += r;
    }
}
