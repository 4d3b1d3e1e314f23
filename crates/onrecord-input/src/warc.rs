//! WARC (ISO 28500) and WET files, record by record: takes a decompressed byte stream,
//! gives each record's header and lets the caller read its block (bounded) or skip it
//! without holding it, so a 10 GB archive streams in the memory of one record.
//!
//! A record is a version line (`WARC/1.0`, `WARC/1.1`), `Name: value` header lines, a
//! blank line, then exactly `Content-Length` bytes of block, then two line breaks. Data
//! that is not a record (garbage after a broken one) is skipped up to the next version
//! line and reported once.
//!
//! `WarcUnits` (crate-private) turns records into units: HTML `response` and `resource`
//! records become pages, WET `conversion` records plain-text documents, and everything
//! else (`request`, `metadata`, `warcinfo`, `revisit`, non-200 or non-HTML responses) a
//! counted skip.

use crate::{html, http, At, Format, InputDoc, Options, Reason, Skip, Unit};
use std::io::{self, BufRead, Read};
use std::sync::Arc;

/// A header line longer than this is cut; a header block larger than this is an error.
const MAX_LINE: usize = 64 << 10;
const MAX_HEADER: usize = 1 << 20;

#[derive(Clone, Debug)]
pub struct Header {
    /// 1-based position of the record in the file.
    pub number: u64,
    /// The version line: `WARC/1.0`, `WARC/1.1`.
    pub version: String,
    /// Field names in lower case, in order.
    pub fields: Vec<(String, String)>,
    pub content_length: u64,
}

impl Header {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lower case.
    pub fn warc_type(&self) -> String {
        self.get("warc-type").unwrap_or("").to_ascii_lowercase()
    }

    /// `WARC-Target-URI`, without the angle brackets WARC/1.0 examples put around it.
    pub fn target_uri(&self) -> Option<&str> {
        let u = self.get("warc-target-uri")?.trim();
        let u = u
            .strip_prefix('<')
            .and_then(|u| u.strip_suffix('>'))
            .unwrap_or(u);
        (!u.is_empty()).then_some(u)
    }

    /// `WARC-Record-ID` without `<urn:uuid:` and `>`.
    pub fn record_id(&self) -> Option<&str> {
        let id = self.get("warc-record-id")?.trim();
        let id = id
            .strip_prefix('<')
            .and_then(|u| u.strip_suffix('>'))
            .unwrap_or(id);
        let id = id.strip_prefix("urn:uuid:").unwrap_or(id);
        (!id.is_empty()).then_some(id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    /// The underlying stream failed (a corrupt or truncated gzip member, a read error).
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The file ends inside a record.
    #[error("file ends inside record {0}")]
    Truncated(u64),
    #[error("{0}")]
    Malformed(String),
}

/// Reads records off a stream.
pub struct WarcReader<R> {
    r: R,
    records: u64,
    /// Bytes of the current block not yet read.
    remaining: u64,
    /// A version line found while skipping garbage, to start the next record.
    pending: Option<Vec<u8>>,
    /// After a malformed header: skip silently to the next record.
    resyncing: bool,
    done: bool,
}

impl<R: BufRead> WarcReader<R> {
    /// Records whose version line was read so far: the number of the current one.
    pub fn records(&self) -> u64 {
        self.records
    }

    pub fn new(r: R) -> Self {
        WarcReader {
            r,
            records: 0,
            remaining: 0,
            pending: None,
            resyncing: false,
            done: false,
        }
    }

    /// The next record's header. Its block is skipped unless read with
    /// [`read_block`](Self::read_block) before the next call. After an `Err` the reader
    /// goes on with the next record it can find, unless the stream itself failed.
    pub fn next_header(&mut self) -> Option<Result<Header, WarcError>> {
        if self.done {
            return None;
        }
        let r = self.header();
        match &r {
            Ok(None) | Err(WarcError::Io(_)) | Err(WarcError::Truncated(_)) => self.done = true,
            _ => {}
        }
        r.transpose()
    }

    fn header(&mut self) -> Result<Option<Header>, WarcError> {
        self.skip_block()?;
        let mut line = Vec::new();
        let mut garbage = 0u64;
        let version = loop {
            if let Some(l) = self.pending.take() {
                break l;
            }
            line.clear();
            if read_line(&mut self.r, &mut line, MAX_LINE)? == 0 {
                if garbage > 0 && !self.resyncing {
                    return Err(WarcError::Malformed(format!(
                        "followed by {garbage} bytes that are no WARC record, at the end"
                    )));
                }
                return Ok(None);
            }
            if line.starts_with(b"WARC/") {
                if garbage > 0 && !std::mem::take(&mut self.resyncing) {
                    self.pending = Some(line);
                    return Err(WarcError::Malformed(format!(
                        "followed by {garbage} bytes that are no WARC record"
                    )));
                }
                break std::mem::take(&mut line);
            }
            if !line.iter().all(u8::is_ascii_whitespace) {
                garbage += line.len() as u64;
            }
        };
        self.resyncing = false;
        self.records += 1;
        let number = self.records;
        let version = String::from_utf8_lossy(&version).trim().to_string();
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut size = 0;
        loop {
            line.clear();
            let n = read_line(&mut self.r, &mut line, MAX_LINE)?;
            if n == 0 {
                return Err(WarcError::Truncated(number));
            }
            size += n;
            if size > MAX_HEADER {
                self.resyncing = true;
                return Err(WarcError::Malformed(format!(
                    "WARC header larger than {MAX_HEADER} bytes"
                )));
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                break;
            }
            if text.starts_with([' ', '\t']) {
                if let Some((_, v)) = fields.last_mut() {
                    v.push(' ');
                    v.push_str(text.trim());
                }
                continue;
            }
            match text.split_once(':') {
                Some((k, v)) => fields.push((k.trim().to_ascii_lowercase(), v.trim().to_string())),
                None => {
                    self.resyncing = true;
                    return Err(WarcError::Malformed(
                        "WARC header line without a colon".to_string(),
                    ));
                }
            }
        }
        let header = Header {
            number,
            version,
            content_length: 0,
            fields,
        };
        let Some(len) = header
            .get("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok())
        else {
            self.resyncing = true;
            return Err(WarcError::Malformed(
                "WARC record without a valid Content-Length".to_string(),
            ));
        };
        self.remaining = len;
        Ok(Some(Header {
            content_length: len,
            ..header
        }))
    }

    /// The current record's block, or None (skipped) when it is larger than `max`.
    pub fn read_block(&mut self, max: usize) -> Result<Option<Vec<u8>>, WarcError> {
        if self.remaining > max as u64 {
            self.skip_block()?;
            return Ok(None);
        }
        let want = self.remaining;
        let mut block = Vec::with_capacity(want as usize);
        let got = (&mut self.r).take(want).read_to_end(&mut block);
        self.remaining = 0;
        match got {
            Ok(n) if (n as u64) < want => {
                self.done = true;
                Err(WarcError::Truncated(self.records))
            }
            Ok(_) => Ok(Some(block)),
            Err(e) => {
                self.done = true;
                Err(e.into())
            }
        }
    }

    fn skip_block(&mut self) -> Result<(), WarcError> {
        if self.remaining == 0 {
            return Ok(());
        }
        let want = std::mem::take(&mut self.remaining);
        let n = io::copy(&mut (&mut self.r).take(want), &mut io::sink()).inspect_err(|_| {
            self.done = true;
        })?;
        if n < want {
            self.done = true;
            return Err(WarcError::Truncated(self.records));
        }
        Ok(())
    }
}

/// Read a line (through `\n`) keeping at most `cap` bytes of it; returns the bytes
/// consumed (0 at the end).
pub(crate) fn read_line<R: BufRead>(r: &mut R, out: &mut Vec<u8>, cap: usize) -> io::Result<usize> {
    let mut consumed = 0;
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(consumed);
        }
        let (take, found) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = cap.saturating_sub(out.len());
        out.extend_from_slice(&buf[..take.min(room)]);
        r.consume(take);
        consumed += take;
        if found {
            return Ok(consumed);
        }
    }
}

/// Units from a WARC or WET stream.
pub(crate) struct WarcUnits<R> {
    reader: WarcReader<R>,
    source: Arc<str>,
    stem: String,
    opts: Options,
    done: bool,
}

impl<R: BufRead> WarcUnits<R> {
    /// `stem` makes the ids of records without a WARC-Record-ID: `STEM-N`.
    pub(crate) fn new(r: R, source: Arc<str>, stem: String, opts: &Options) -> Self {
        WarcUnits {
            reader: WarcReader::new(r),
            source,
            stem,
            opts: opts.clone(),
            done: false,
        }
    }

    fn skipped(&self, at: u64, reason: Reason, detail: impl Into<String>) -> Unit {
        Unit::Item(Err(Skip::new(
            &self.source,
            Some(At::Record(at)),
            reason,
            detail,
        )))
    }

    fn record(&mut self, h: Header) -> Unit {
        let n = h.number;
        let kind = h.warc_type();
        let url = h.target_uri().map(str::to_string);
        let about = url
            .as_deref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default();
        if !matches!(kind.as_str(), "response" | "resource" | "conversion") {
            let kind = if kind.is_empty() { "untyped" } else { &kind };
            return self.skipped(n, Reason::WarcRecordType, format!("WARC {kind} record"));
        }
        let block = match self.reader.read_block(self.opts.max_record_bytes) {
            Ok(Some(b)) => b,
            Ok(None) => {
                return self.skipped(
                    n,
                    Reason::TooLarge,
                    format!("{} bytes, over the record limit{about}", h.content_length),
                )
            }
            Err(e) => return self.failure(Some(n), e),
        };
        let id = h
            .record_id()
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}-{n}", self.stem));
        let record_type = h.get("content-type").unwrap_or("").to_ascii_lowercase();
        if kind == "conversion" {
            return self.conversion(n, id, url, &h, block);
        }
        // A response holds an HTTP message; a resource holds the page itself.
        let (media, charset, body) = if kind == "response"
            && (record_type.is_empty() || record_type.contains("application/http"))
        {
            let resp = match http::parse(&block, self.opts.max_record_bytes) {
                Ok(r) => r,
                Err(e) => {
                    let reason = match e {
                        http::HttpError::Malformed(_) => Reason::BadHttp,
                        http::HttpError::UnsupportedEncoding(_) => Reason::Unsupported,
                        http::HttpError::CorruptEncoding(_) => Reason::BadHttp,
                        http::HttpError::TooLarge(_) => Reason::TooLarge,
                    };
                    return self.skipped(n, reason, format!("{e}{about}"));
                }
            };
            if resp.status != 200 {
                return self.skipped(
                    n,
                    Reason::HttpStatus,
                    format!("HTTP status {}{about}", resp.status),
                );
            }
            let charset = resp
                .header("content-type")
                .and_then(crate::charset::content_type_charset);
            (resp.media_type(), charset, resp.body)
        } else {
            let media = record_type
                .split(';')
                .next()
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty());
            (
                media,
                crate::charset::content_type_charset(&record_type),
                block,
            )
        };
        let is_html = match media.as_deref() {
            Some("text/html" | "application/xhtml+xml") => true,
            // Unlabelled or generic: believe the bytes.
            None | Some("application/octet-stream" | "unknown/unknown") => {
                html::looks_like_html(&body)
            }
            Some(_) => false,
        };
        if !is_html {
            let media = media.unwrap_or_else(|| "unlabelled".into());
            return self.skipped(n, Reason::NotHtml, format!("not HTML ({media}){about}"));
        }
        let mut page = html::Page::new(self.source.clone(), id, body, Format::Warc);
        page.at = Some(At::Record(n));
        page.url = url;
        page.charset = charset;
        page.fetched = h.get("warc-date").map(str::to_string);
        Unit::Page(Box::new(page))
    }

    fn conversion(
        &self,
        n: u64,
        id: String,
        url: Option<String>,
        h: &Header,
        block: Vec<u8>,
    ) -> Unit {
        let text = match String::from_utf8(block) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        if text.trim().is_empty() {
            return self.skipped(n, Reason::NoArticle, "empty WET conversion record");
        }
        let mut doc = onrecord_core::input::plain_document(text, id, &self.opts.input);
        if let Some(u) = &url {
            doc.outlet = html::host_outlet(u);
        }
        doc.url = url;
        if let Some(d) = h.get("warc-date") {
            doc.metadata.insert("warc_date".into(), d.into());
        }
        Unit::Item(Ok(InputDoc {
            document: doc,
            source: self.source.clone(),
            at: Some(At::Record(n)),
            format: Format::Wet,
        }))
    }

    fn failure(&mut self, at: Option<u64>, e: WarcError) -> Unit {
        let (reason, detail) = match &e {
            WarcError::Io(io) => crate::compress::classify(io),
            WarcError::Truncated(_) => (
                Reason::Truncated,
                "truncated: the file ends inside this record".to_string(),
            ),
            WarcError::Malformed(_) => (Reason::BadWarc, e.to_string()),
        };
        Unit::Item(Err(Skip::new(
            &self.source,
            at.map(At::Record),
            reason,
            detail,
        )))
    }
}

impl<R: BufRead> Iterator for WarcUnits<R> {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        if self.done {
            return None;
        }
        match self.reader.next_header() {
            None => {
                self.done = true;
                None
            }
            Some(Ok(h)) => Some(self.record(h)),
            Some(Err(e)) => {
                let at = self.reader.records();
                Some(self.failure((at > 0).then_some(at), e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, body: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-1>\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn headers(bytes: &[u8]) -> Vec<Result<(String, Vec<u8>), String>> {
        let mut r = WarcReader::new(bytes);
        let mut out = Vec::new();
        while let Some(h) = r.next_header() {
            out.push(match h {
                Ok(h) => {
                    let block = r.read_block(1 << 20).map_err(|e| e.to_string());
                    block.map(|b| (h.warc_type(), b.unwrap()))
                }
                Err(e) => Err(e.to_string()),
            });
        }
        out
    }

    #[test]
    fn records_in_order() {
        let mut b = record("warcinfo", b"software: test");
        b.extend(record("request", b"GET / HTTP/1.1\r\n\r\n"));
        b.extend(record("response", b"HTTP/1.1 200 OK\r\n\r\nhi"));
        let got = headers(&b);
        let kinds: Vec<_> = got.iter().map(|r| r.as_ref().unwrap().0.as_str()).collect();
        assert_eq!(kinds, ["warcinfo", "request", "response"]);
        assert_eq!(got[2].as_ref().unwrap().1, b"HTTP/1.1 200 OK\r\n\r\nhi");
    }

    #[test]
    fn garbage_and_bad_headers_resync() {
        let mut b = record("warcinfo", b"x");
        b.extend(b"some junk line\r\nmore junk\r\n");
        b.extend(record("response", b"ok"));
        b.extend(b"WARC/1.0\r\nWARC-Type: response\r\nno colon here\r\n\r\nblock\r\n\r\n");
        b.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: many\r\n\r\nblock\r\n\r\n");
        b.extend(record("metadata", b"m"));
        let got = headers(&b);
        assert_eq!(got.len(), 6, "{got:?}");
        assert!(got[0].is_ok());
        assert!(got[1]
            .as_ref()
            .unwrap_err()
            .contains("bytes that are no WARC record"));
        assert!(got[2].is_ok());
        assert!(got[3].as_ref().unwrap_err().contains("without a colon"));
        assert!(got[4].as_ref().unwrap_err().contains("Content-Length"));
        assert_eq!(got[5].as_ref().unwrap().0, "metadata");
    }

    #[test]
    fn truncated_block_and_header() {
        let b = record("response", b"0123456789");
        let got = headers(&b[..b.len() - 8]);
        assert_eq!(got.len(), 1);
        assert!(got[0]
            .as_ref()
            .unwrap_err()
            .contains("ends inside record 1"));
        let got = headers(b"WARC/1.0\r\nWARC-Type: resp");
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
        assert!(headers(b"").is_empty());
        assert!(headers(b"\r\n\r\n").is_empty());
    }

    #[test]
    fn skipping_blocks_without_reading_them() {
        let mut b = record("resource", &vec![b'x'; 5000]);
        b.extend(record("response", b"ok"));
        let mut r = WarcReader::new(&b[..]);
        let h = r.next_header().unwrap().unwrap();
        assert_eq!(h.content_length, 5000);
        assert_eq!(h.record_id(), Some("resource-1"));
        assert_eq!(h.version, "WARC/1.0");
        assert!(r.read_block(100).unwrap().is_none());
        let h = r.next_header().unwrap().unwrap();
        assert_eq!(r.read_block(100).unwrap().unwrap(), b"ok");
        assert_eq!(h.number, 2);
        assert!(r.next_header().is_none());
    }

    #[test]
    fn long_lines_are_capped() {
        let mut r = &b"abcdefgh\nij"[..];
        let mut out = Vec::new();
        assert_eq!(read_line(&mut r, &mut out, 3).unwrap(), 9);
        assert_eq!(out, b"abc");
        out.clear();
        assert_eq!(read_line(&mut r, &mut out, 3).unwrap(), 2);
        assert_eq!(out, b"ij");
    }
}
