//! Character sets of web pages: takes a page's bytes (and what the HTTP header declared),
//! gives its text as UTF-8.
//!
//! The order is the HTML standard's, simplified: a byte-order mark; the HTTP `charset`;
//! a `<meta charset>` (or `http-equiv` Content-Type) near the start; then, with nothing
//! declared, UTF-8 when the bytes are valid UTF-8, else chardetng's guess (which the
//! page's top-level domain informs). A declared UTF-8 that the bytes contradict is not
//! believed: such pages are mislabelled Latin-1 far more often than broken UTF-8.

use encoding_rs::{Encoding, UTF_8};

/// How far into a page a `<meta charset>` is looked for (the standard says 1024 bytes;
/// pages with long `<head>` preambles put it later).
const PRESCAN: usize = 4096;

/// A page's text and how it was decoded.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Where the encoding came from.
    pub source: CharsetSource,
    /// Some bytes were invalid in that encoding and replaced by U+FFFD.
    pub had_errors: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharsetSource {
    Bom,
    Http,
    Meta,
    /// Valid UTF-8 with nothing declared.
    Utf8,
    Detected,
}

/// Decode a page: `declared` is the HTTP Content-Type's charset, `host` the page's host
/// name (its top-level domain helps the detector).
pub fn decode(bytes: &[u8], declared: Option<&str>, host: Option<&str>) -> Decoded {
    let (encoding, source) = choose(bytes, declared, host);
    // `decode` sniffs and strips a byte-order mark itself.
    let (text, _, had_errors) = encoding.decode(bytes);
    Decoded {
        text: text.into_owned(),
        encoding,
        source,
        had_errors,
    }
}

fn choose(
    bytes: &[u8],
    declared: Option<&str>,
    host: Option<&str>,
) -> (&'static Encoding, CharsetSource) {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return (enc, CharsetSource::Bom);
    }
    let valid_utf8 = || std::str::from_utf8(bytes).is_ok();
    for (label, source) in [
        (declared.map(str::to_string), CharsetSource::Http),
        (meta_charset(bytes), CharsetSource::Meta),
    ] {
        let Some(enc) = label.and_then(|l| Encoding::for_label(l.trim().as_bytes())) else {
            continue;
        };
        // A page cannot be UTF-16 once it reached here without a BOM: the standard
        // reads a declared UTF-16 as UTF-8.
        let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            UTF_8
        } else {
            enc
        };
        if enc == UTF_8 && !valid_utf8() {
            break; // mislabelled: let the detector look
        }
        return (enc, source);
    }
    if valid_utf8() {
        return (UTF_8, CharsetSource::Utf8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let tld = host.and_then(tld);
    let enc = detector.guess(
        tld.as_deref().map(str::as_bytes),
        chardetng::Utf8Detection::Allow,
    );
    (enc, CharsetSource::Detected)
}

/// The top-level domain of a host, as chardetng wants it: lower case, ASCII letters and
/// digits only (it asserts that), else none.
fn tld(host: &str) -> Option<String> {
    let last = host.trim_end_matches('.').rsplit('.').next()?;
    let last = last.to_ascii_lowercase();
    (!last.is_empty()
        && last
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    .then_some(last)
}

/// The charset a `<meta>` near the start declares: `<meta charset="x">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=x">`.
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(PRESCAN)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i + 5;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |j| start + j);
        let tag = &lower[start..end];
        if let Some(j) = find(tag, b"charset") {
            let rest = &tag[j + 7..];
            let rest = trim_ascii_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_ascii_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let label: Vec<u8> = rest
                    .iter()
                    .copied()
                    .take_while(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
                    .collect();
                if !label.is_empty() {
                    return Some(String::from_utf8_lossy(&label).into_owned());
                }
            }
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// The charset parameter of a Content-Type value: `text/html; charset=ISO-8859-1`.
pub fn content_type_charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_forms() {
        assert_eq!(
            meta_charset(b"<html><head><META CHARSET='Windows-1252'>").as_deref(),
            Some("windows-1252")
        );
        assert_eq!(
            meta_charset(
                b"<meta name=x><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
            )
            .as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(meta_charset(b"<meta name=charset>"), None);
        assert_eq!(meta_charset(b"<meta charset="), None);
        assert_eq!(meta_charset(b"<meta"), None);
    }

    #[test]
    fn declared_detected_and_utf8() {
        // "café" in windows-1252, declared by HTTP.
        let d = decode(b"caf\xe9", Some("windows-1252"), None);
        assert_eq!(d.text, "café");
        assert_eq!(d.source, CharsetSource::Http);
        // Undeclared Latin-1 text: detected, not replaced.
        let page = "<p>Le caf\u{e9} \u{e9}tait ferm\u{e9}, a d\u{e9}clar\u{e9} le propri\u{e9}taire \u{e0} la presse.</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(page);
        let d = decode(&bytes, None, Some("www.example.fr"));
        assert_eq!(d.source, CharsetSource::Detected);
        assert_eq!(d.text, page);
        assert!(!d.had_errors);
        // Declared UTF-8 that is not: detected instead.
        let d = decode(&bytes, Some("utf-8"), None);
        assert_eq!(d.text, page);
        // Valid UTF-8, nothing declared.
        let d = decode("naïve “quotes”".as_bytes(), None, None);
        assert_eq!(d.source, CharsetSource::Utf8);
        // BOM wins, and is removed.
        let d = decode(b"\xef\xbb\xbfhi", Some("windows-1252"), None);
        assert_eq!((d.text.as_str(), d.source), ("hi", CharsetSource::Bom));
    }

    #[test]
    fn odd_hosts_never_reach_the_detector_badly() {
        for host in [
            "",
            ".",
            "EXAMPLE.COM",
            "xn--p1ai",
            "bücher.de",
            "a..",
            "10.0.0.1",
        ] {
            let _ = decode(b"\xe9\xe8 abc", None, Some(host));
        }
    }

    #[test]
    fn content_type_parameters() {
        assert_eq!(
            content_type_charset("text/html; Charset=\"UTF-8\"").as_deref(),
            Some("UTF-8")
        );
        assert_eq!(content_type_charset("text/html"), None);
        assert_eq!(content_type_charset("text/html; charset="), None);
    }
}
