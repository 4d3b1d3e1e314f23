//! Web pages: takes an HTML page's bytes, gives a [`Document`] of its main text, without
//! navigation, ads and boilerplate (dom_smoothie, a port of Mozilla's Readability), with
//! its title, publication date, outlet, canonical URL and author.
//!
//! The text is the title, a blank line, then the article's paragraphs separated by blank
//! lines; `title_span` covers the title so quotes in a headline are found. Metadata comes
//! from JSON-LD, then `<meta>` tags (Open Graph, Dublin Core, `article:*`, `parsely-*`),
//! then `<time>` elements and `<link rel=canonical>`; the outlet falls back to the host
//! name. The charset is decoded by [`crate::charset`].

use crate::{charset, dates, At, Format, InputDoc, Options, Reason, Skip};
use dom_smoothie::{Config, Readability, TextMode};
use onrecord_core::{Document, Span};
use serde_json::Value;
use std::sync::Arc;

/// An HTML page to decode, with what its container said about it.
#[derive(Debug)]
pub struct Page {
    pub source: Arc<str>,
    pub at: Option<At>,
    pub id: String,
    pub bytes: Vec<u8>,
    /// The URL it was fetched from (a WARC record's target).
    pub url: Option<String>,
    /// The charset the HTTP header declared.
    pub charset: Option<String>,
    /// When it was fetched (WARC-Date), kept as metadata.
    pub fetched: Option<String>,
    pub format: Format,
}

impl Page {
    pub fn new(source: Arc<str>, id: String, bytes: Vec<u8>, format: Format) -> Page {
        Page {
            source,
            at: None,
            id,
            bytes,
            url: None,
            charset: None,
            fetched: None,
            format,
        }
    }
}

/// Whether bytes start like an HTML document (after a BOM, white space and comments).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let lower: Vec<u8> = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .map(u8::to_ascii_lowercase)
        .collect();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return true;
    }
    // <?xml ...?> or <!-- comment --> first, or a fragment with a head or body.
    lower.starts_with(b"<")
        && ["<html", "<head", "<body", "<title"]
            .iter()
            .any(|t| lower.windows(t.len()).any(|w| w == t.as_bytes()))
}

/// The outlet a URL names when nothing else does: its host without `www.`.
pub fn host_outlet(url: &str) -> Option<String> {
    let host = host(url)?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_string())
}

fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    (!host.is_empty()).then_some(host)
}

/// Extract a page's article; never panics (a panic in the HTML extractor becomes a
/// [`Reason::HtmlError`] failure).
pub fn decode_page(page: Page, opts: &Options) -> Result<InputDoc, Skip> {
    let source = page.source.clone();
    let at = page.at;
    let about = page
        .url
        .as_deref()
        .map(|u| format!(" ({u})"))
        .unwrap_or_default();
    if page.bytes.len() > opts.max_record_bytes {
        return Err(Skip::new(
            &source,
            at,
            Reason::TooLarge,
            format!(
                "HTML page of {} bytes, over the limit{about}",
                page.bytes.len()
            ),
        ));
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extract(page, opts)));
    match result {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err((reason, detail))) => {
            Err(Skip::new(&source, at, reason, format!("{detail}{about}")))
        }
        Err(_) => Err(Skip::new(
            &source,
            at,
            Reason::HtmlError,
            format!("the HTML extractor failed on this page{about}"),
        )),
    }
}

/// What the page says about itself beyond what dom_smoothie reads.
#[derive(Default)]
struct Extra {
    canonical: Option<String>,
    date: Option<String>,
    /// The page's only `<h1>`.
    h1: Option<String>,
}

fn extract(page: Page, opts: &Options) -> Result<InputDoc, (Reason, String)> {
    let host = page.url.as_deref().and_then(host).map(str::to_string);
    let decoded = charset::decode(&page.bytes, page.charset.as_deref(), host.as_deref());
    drop(page.bytes);
    let dom = dom_query::Document::from(decoded.text.as_str());
    let extra = extra_metadata(&dom);
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let mut readability = Readability::with_document(dom, None, Some(cfg))
        .map_err(|e| (Reason::HtmlError, e.to_string()))?;
    let article = readability.parse().map_err(|_| {
        (
            Reason::NoArticle,
            "no article text on this page".to_string(),
        )
    })?;
    let mut title = clean(&article.title);
    let mut body = paragraphs(&article.text_content);
    // Readability keeps a short title whole ("Mill Reopens | Valley Times"): the page's
    // own headline, when the title starts with it, is the better one.
    if let Some(t) = &title {
        let mut heads = body.first().into_iter().chain(extra.h1.as_ref());
        if let Some(h) = heads.find(|h| is_title_prefix(h, t)) {
            title = Some(h.clone());
        }
    }
    // Readability often keeps the headline as the body's first paragraph.
    if let (Some(t), Some(first)) = (&title, body.first()) {
        if same_words(t, first) {
            body.remove(0);
        }
    }
    if prose_chars(&body) < MIN_PROSE_CHARS {
        return Err((Reason::NoArticle, "no article text on this page".into()));
    }
    let mut doc = Document {
        id: page.id,
        ..Default::default()
    };
    let mut text = String::new();
    if let Some(t) = &title {
        text.push_str(t);
        doc.title_span = Some(Span::new(0, t.len()));
        text.push_str("\n\n");
        doc.body_start = text.len();
    }
    text.push_str(&body.join("\n\n"));
    text.push('\n');
    doc.text = text;
    doc.title = title;
    let published = article
        .published_time
        .as_deref()
        .and_then(dates::parse)
        .or_else(|| extra.date.as_deref().and_then(dates::parse));
    doc.date = opts.input.date.or(published);
    let url = extra
        .canonical
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .or_else(|| article.url.clone().filter(|u| u.starts_with("http")))
        .or(page.url);
    doc.outlet = article
        .site_name
        .as_deref()
        .and_then(clean)
        .or_else(|| url.as_deref().and_then(host_outlet));
    doc.url = url;
    if let Some(author) = article.byline.as_deref().and_then(byline) {
        doc.metadata.insert("author".into(), Value::String(author));
    }
    if let Some(lang) = article.lang.as_deref().and_then(clean) {
        doc.metadata.insert("lang".into(), Value::String(lang));
    }
    if let Some(f) = page.fetched {
        doc.metadata.insert("warc_date".into(), Value::String(f));
    }
    if decoded.had_errors {
        doc.metadata.insert(
            "charset_errors".into(),
            Value::String(decoded.encoding.name().into()),
        );
    }
    Ok(InputDoc {
        document: doc,
        source: page.source,
        at: page.at,
        format: page.format,
    })
}

fn extra_metadata(dom: &dom_query::Document) -> Extra {
    let mut extra = Extra {
        canonical: dom
            .select("link[rel=canonical]")
            .attr("href")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        date: None,
        h1: None,
    };
    let h1 = dom.select("h1");
    if h1.length() == 1 {
        extra.h1 = clean(&h1.text());
    }
    if extra.canonical.is_none() {
        extra.canonical = dom
            .select("meta[property=\"og:url\"]")
            .attr("content")
            .map(|s| s.trim().to_string());
    }
    // Dates dom_smoothie's meta list misses, most specific first.
    let candidates = [
        ("meta[itemprop=datePublished]", "content"),
        ("meta[name=pubdate]", "content"),
        ("meta[name=publishdate]", "content"),
        ("meta[name=publish-date]", "content"),
        ("meta[name=\"sailthru.date\"]", "content"),
        ("meta[name=\"dc.date\"]", "content"),
        ("meta[name=\"dc.date.issued\"]", "content"),
        ("meta[name=date]", "content"),
        ("time[itemprop=datePublished]", "datetime"),
        ("time[pubdate]", "datetime"),
        ("article time[datetime]", "datetime"),
        ("time[datetime]", "datetime"),
    ];
    for (sel, attr) in candidates {
        if let Some(v) = dom.select(sel).attr(attr) {
            if dates::parse(&v).is_some() {
                extra.date = Some(v.to_string());
                break;
            }
        }
    }
    extra
}

/// The article's paragraphs: lines trimmed, blank runs collapsed.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            out.push(lines.join("\n"));
        }
    }
    out
}

/// An article has at least this much prose: Readability's own minimum content length.
/// A list of links (an index page, a section front) has none.
const MIN_PROSE_CHARS: usize = 140;

/// Characters in lines that read as prose: ten words or more, ending like a sentence.
fn prose_chars(paragraphs: &[String]) -> usize {
    paragraphs
        .iter()
        .flat_map(|p| p.lines())
        .filter(|l| {
            let l = l.trim_end_matches(['"', '\'', '”', '’', ')']);
            l.split_whitespace().count() >= 10 && l.ends_with(['.', '!', '?', ':', ';'])
        })
        .map(str::len)
        .sum()
}

/// White space collapsed; None when empty.
fn clean(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// Whether `title` is `head` then a separator and more: "Head | Site", "Head - Site".
fn is_title_prefix(head: &str, title: &str) -> bool {
    let Some(rest) = title.strip_prefix(head) else {
        return false;
    };
    let rest = rest.trim_start();
    !head.is_empty()
        && head.split_whitespace().count() >= 2
        && [
            "|", "-", "\u{2013}", "\u{2014}", "::", "\u{b7}", "\u{bb}", "/", ":",
        ]
        .iter()
        .any(|sep| rest.starts_with(sep))
}

fn same_words(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(|w| w.to_lowercase())
            .collect::<Vec<_>>()
    };
    norm(a) == norm(b)
}

/// An author from a byline: "By Jane Doe" is "Jane Doe"; a URL is no name.
fn byline(s: &str) -> Option<String> {
    let s = clean(s)?;
    let s = match s.get(..2) {
        Some(by)
            if by.eq_ignore_ascii_case("by") && s[2..].starts_with(' ')
                || s.len() == 2 && s.eq_ignore_ascii_case("by") =>
        {
            s[2..].trim().to_string()
        }
        _ => s,
    };
    (!s.is_empty() && !s.contains("://") && s.chars().count() <= 200).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_recognised() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"\xef\xbb\xbf<html lang=en>"));
        assert!(looks_like_html(b"<?xml version=\"1.0\"?>\n<html xmlns=x>"));
        assert!(looks_like_html(b"<!-- c --><head><title>x</title>"));
        assert!(!looks_like_html(b"The <html> tag is old."));
        assert!(!looks_like_html(b"{\"text\": \"<html>\"}"));
        assert!(!looks_like_html(b""));
    }

    #[test]
    fn hosts_and_outlets() {
        assert_eq!(
            host_outlet("https://www.example.com/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            host_outlet("http://user@news.test:8080/").as_deref(),
            Some("news.test")
        );
        assert_eq!(host_outlet("not a url"), None);
        assert_eq!(host_outlet("http:///path"), None);
    }

    #[test]
    fn titles_lose_the_site_name_after_their_headline() {
        assert!(is_title_prefix(
            "Mill Reopens",
            "Mill Reopens | Valley Times"
        ));
        assert!(is_title_prefix(
            "Mill Reopens",
            "Mill Reopens \u{2014} Valley Times"
        ));
        assert!(!is_title_prefix("Mill", "Mill | Valley Times"));
        assert!(!is_title_prefix("Mill Reopens", "Mill Reopens After Flood"));
        assert!(!is_title_prefix("Mill Reopens", "Mill Reopens"));
    }

    #[test]
    fn bylines() {
        assert_eq!(byline("  By  Jane   Doe ").as_deref(), Some("Jane Doe"));
        assert_eq!(byline("https://x.test/jane"), None);
        assert_eq!(byline("by "), None);
    }

    #[test]
    fn prose_is_measured_in_sentences() {
        let links = ["Harbour ferry fares frozen\nBridge repairs delayed".to_string()];
        assert_eq!(prose_chars(&links), 0);
        let story = [
            "The council voted on Wednesday to freeze the fares until the autumn.\nShort line."
                .to_string(),
        ];
        assert_eq!(prose_chars(&story), 68);
    }

    #[test]
    fn paragraph_cleanup() {
        assert_eq!(
            paragraphs("  One\n two \n\n\n\n Three \n\n \n"),
            ["One\ntwo", "Three"]
        );
    }
}
