//! HTTP responses as web archives store them: takes a `response` record's block, gives
//! the status, the headers and the body, with chunked transfer encoding and gzip/deflate
//! content encoding undone.
//!
//! Common Crawl stores bodies already decoded and renames the headers that said how
//! (`X-Crawler-Transfer-Encoding`); other crawlers keep them as sent. Both are read: a
//! body that a `chunked` header claims but that does not parse as chunks is kept as is.

use std::io::Read;

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header names in lower case, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why a response cannot be used.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("malformed HTTP response: {0}")]
    Malformed(String),
    #[error("unsupported content encoding {0:?}")]
    UnsupportedEncoding(String),
    #[error("corrupt {0} content encoding")]
    CorruptEncoding(String),
    #[error("body larger than {0} bytes once decoded")]
    TooLarge(usize),
}

/// How far the header block may go.
const MAX_HEAD: usize = 64 << 10;

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The media type without parameters, lower case: `text/html`.
    pub fn media_type(&self) -> Option<String> {
        let ct = self.header("content-type")?;
        let mt = ct.split(';').next()?.trim().to_ascii_lowercase();
        (!mt.is_empty()).then_some(mt)
    }
}

/// Parse a response; `max_body` bounds the body once content encoding is undone.
pub fn parse(block: &[u8], max_body: usize) -> Result<Response, HttpError> {
    let head_end = find_head_end(&block[..block.len().min(MAX_HEAD)])
        .ok_or_else(|| HttpError::Malformed("no end of headers".into()))?;
    let head = String::from_utf8_lossy(&block[..head_end.0]);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let status_line = lines.next().unwrap_or("");
    let status = parse_status(status_line)
        .ok_or_else(|| HttpError::Malformed(format!("status line {:?}", clip(status_line))))?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            // An obsolete folded continuation of the previous header.
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let mut body = block[head_end.1..].to_vec();
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    let chunked = response
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        if let Some(b) = dechunk(&body) {
            body = b;
        }
    }
    if let Some(enc) = response.header("content-encoding") {
        let enc = enc.trim().to_ascii_lowercase();
        body = match enc.as_str() {
            "" | "identity" | "none" => body,
            "gzip" | "x-gzip" => {
                inflate(flate2::read::MultiGzDecoder::new(&body[..]), &enc, max_body)?
            }
            "deflate" => {
                // "deflate" is zlib-wrapped by the standard, raw by some servers.
                match inflate(flate2::read::ZlibDecoder::new(&body[..]), &enc, max_body) {
                    Ok(b) => b,
                    Err(HttpError::CorruptEncoding(_)) => {
                        inflate(flate2::read::DeflateDecoder::new(&body[..]), &enc, max_body)?
                    }
                    Err(e) => return Err(e),
                }
            }
            _ => return Err(HttpError::UnsupportedEncoding(enc)),
        };
    }
    response.body = body;
    Ok(response)
}

fn inflate(mut r: impl Read, enc: &str, max: usize) -> Result<Vec<u8>, HttpError> {
    let mut out = Vec::new();
    match (&mut r).take(max as u64 + 1).read_to_end(&mut out) {
        Ok(_) if out.len() > max => Err(HttpError::TooLarge(max)),
        Ok(_) => Ok(out),
        Err(_) => Err(HttpError::CorruptEncoding(enc.to_string())),
    }
}

/// (end of the header lines, start of the body): after `\r\n\r\n`, or `\n\n` from sloppy
/// servers.
fn find_head_end(b: &[u8]) -> Option<(usize, usize)> {
    let crlf = b
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4));
    let lf = b.windows(2).position(|w| w == b"\n\n").map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn parse_status(line: &str) -> Option<u16> {
    let mut parts = line.split_whitespace();
    let version = parts.next()?;
    if !version.starts_with("HTTP/") {
        return None;
    }
    let code = parts.next()?;
    if code.len() != 3 {
        return None;
    }
    code.parse().ok()
}

fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Undo chunked transfer encoding; None when the body is not a valid chunk sequence.
pub fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let nl = b.iter().position(|&c| c == b'\n')?;
        let line = std::str::from_utf8(&b[..nl]).ok()?.trim();
        let size_hex = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        b = &b[nl + 1..];
        if size == 0 {
            return Some(out); // trailers, if any, are dropped
        }
        if b.len() < size {
            // A truncated last chunk: keep what came.
            out.extend_from_slice(b);
            return Some(out);
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size..];
        b = b
            .strip_prefix(b"\r\n")
            .or_else(|| b.strip_prefix(b"\n"))
            .unwrap_or(b);
        if b.is_empty() {
            return Some(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn status_headers_body() {
        let r = parse(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Long: a\r\n b\r\n\r\n<p>hi</p>",
            1 << 20,
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.media_type().as_deref(), Some("text/html"));
        assert_eq!(r.header("x-long"), Some("a b"));
        assert_eq!(r.body, b"<p>hi</p>");
        let r = parse(b"HTTP/2 404\n\nnope", 100).unwrap();
        assert_eq!((r.status, &r.body[..]), (404, &b"nope"[..]));
    }

    #[test]
    fn malformed() {
        for b in [
            &b""[..],
            b"HTTP/1.1 200 OK\r\n",
            b"GET / HTTP/1.1\r\n\r\n",
            b"HTTP/1.1 2000 OK\r\n\r\n",
        ] {
            assert!(
                matches!(parse(b, 100), Err(HttpError::Malformed(_))),
                "{b:?}"
            );
        }
    }

    #[test]
    fn chunked_and_gzip() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<p>compressed page</p>").unwrap();
        let gz = gz.finish().unwrap();
        let mut block =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        let (a, b) = gz.split_at(10);
        for part in [a, b] {
            block.extend(format!("{:x}\r\n", part.len()).as_bytes());
            block.extend(part);
            block.extend(b"\r\n");
        }
        block.extend(b"0\r\n\r\n");
        let r = parse(&block, 1 << 20).unwrap();
        assert_eq!(r.body, b"<p>compressed page</p>");
        // A claimed chunked body that is not: kept.
        let r = parse(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<p>x</p>",
            100,
        )
        .unwrap();
        assert_eq!(r.body, b"<p>x</p>");
        // Corrupt gzip, brotli, a gzip bomb.
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nxx", 100),
            Err(HttpError::CorruptEncoding(_))
        ));
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx", 100),
            Err(HttpError::UnsupportedEncoding(_))
        ));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b'a'; 10_000]).unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(gz.finish().unwrap());
        assert_eq!(parse(&block, 100).unwrap_err(), HttpError::TooLarge(100));
    }

    #[test]
    fn dechunk_edges() {
        assert_eq!(dechunk(b"3\r\nabc\r\n0\r\n\r\n").unwrap(), b"abc");
        assert_eq!(dechunk(b"3;ext=1\nabc\n0\n").unwrap(), b"abc");
        assert_eq!(dechunk(b"5\r\nab").unwrap(), b"ab");
        assert_eq!(dechunk(b"zz\r\nabc"), None);
        assert_eq!(dechunk(b"ffffffffffffffffffff\r\n"), None);
    }
}
