//! Every input kind end to end, on fixtures written for these tests: HTML pages of several
//! layouts (tests/fixtures), and WARC, WET and compressed JSON Lines files the tests build.

use onrecord_input::{
    self as input, At, Format, InputDoc, InputItem, Options, Outcome, Reason, Skip, Unit,
};
use std::io::Write;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A scratch directory, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("onrecord-input-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn all(paths: &[PathBuf]) -> (Vec<InputDoc>, Vec<Skip>) {
    split(input::walk(paths.to_vec(), &Options::default()).collect())
}

fn split(items: Vec<InputItem>) -> (Vec<InputDoc>, Vec<Skip>) {
    let mut docs = Vec::new();
    let mut skips = Vec::new();
    for i in items {
        match i {
            Ok(d) => docs.push(d),
            Err(s) => skips.push(s),
        }
    }
    (docs, skips)
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn zst(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

const STORY: &str = "<p>The river authority said on Monday that the old weir would be rebuilt before the spring floods arrive in the valley.</p>\
<p>\"We cannot wait another year,\" said engineer Tomas Reyes, who has surveyed the weir since the collapse of its eastern wall.</p>";

fn page(title: &str, extra_head: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title>{extra_head}</head><body>\
         <nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>{title}</h1>{STORY}</article>\
         <footer>Copyright notice and links</footer></body></html>"
    )
}

// ---------------------------------------------------------------- HTML

#[test]
fn news_article_with_nav_ads_footer_and_json_ld() {
    let (docs, skips) = all(&[fixture("news-article.html")]);
    assert!(skips.is_empty(), "{skips:?}");
    let d = &docs[0];
    assert_eq!(d.format, Format::Html);
    assert!(d.text_is_derived());
    let doc = &d.document;
    assert_eq!(doc.id, "news-article");
    assert_eq!(
        doc.title.as_deref(),
        Some("Harbour Ferry Fares Frozen for Two Years")
    );
    let span = doc.title_span.unwrap();
    assert_eq!(
        span.slice(&doc.text),
        "Harbour Ferry Fares Frozen for Two Years"
    );
    assert!(doc.text[doc.body_start..].starts_with("Lakeport's harbour council voted"));
    assert_eq!(doc.date.unwrap().to_string(), "2023-09-14");
    assert_eq!(doc.outlet.as_deref(), Some("The Lakeport Ledger"));
    assert_eq!(
        doc.url.as_deref(),
        Some("https://www.lakeport-ledger.test/news/2023/ferry-fares-frozen")
    );
    assert_eq!(doc.metadata["author"], "Marta Quill");
    // Paragraphs separated by blank lines; the headline once.
    assert_eq!(doc.text.matches("\n\n").count(), 5, "{}", doc.text);
    assert_eq!(doc.text.matches("Frozen for Two Years").count(), 1);
    assert!(doc.text.contains(
        "\"Families on the islands should not pay for our mistakes,\" said councillor Dana Whitby"
    ));
    assert!(doc
        .text
        .contains("According to the Island Travellers Association"));
    for boilerplate in [
        "Subscribe",
        "Advertisement",
        "Sponsored",
        "Related stories",
        "Copyright",
        "Privacy",
        "Bridge repairs",
    ] {
        assert!(
            !doc.text.contains(boilerplate),
            "{boilerplate} in {}",
            doc.text
        );
    }
}

#[test]
fn blog_post_dated_by_a_time_element() {
    let (docs, _) = all(&[fixture("blog-post.html")]);
    let doc = &docs[0].document;
    assert_eq!(doc.date.unwrap().to_string(), "2022-05-21");
    // The site name after the dash is not part of the headline.
    assert_eq!(
        doc.title.as_deref(),
        Some("Notes from the Valley Garden Show")
    );
    assert!(doc
        .text
        .contains("\"Nobody believed they would survive the winter,\" she said."));
    for boilerplate in ["Archives", "Blogroll", "comments", "Great write-up"] {
        assert!(
            !doc.text.contains(boilerplate),
            "{boilerplate} in {}",
            doc.text
        );
    }
    assert_eq!(doc.outlet, None);
}

#[test]
fn hostile_markup_leaves_no_script_style_or_comment_text() {
    let (docs, _) = all(&[fixture("hostile.html")]);
    let doc = &docs[0].document;
    assert!(doc.text.contains(
        "\"We kept every branch open, and that was the hard part,\" Mayor Ines Callow said"
    ));
    assert!(doc
        .text
        .contains("\"Shorter hours are a cut by another name,\" said councillor Petra Oakes"));
    for bad in [
        "Fake quote",
        "Injected",
        "STYLE TEXT",
        "trackView",
        "tracker",
        "commented-out",
        "Template text",
        "alert",
        "enable JavaScript",
        "svg label",
    ] {
        assert!(!doc.text.contains(bad), "{bad} in {}", doc.text);
    }
    // Unclosed <p> tags still give one paragraph each.
    assert_eq!(doc.text.split("\n\n").count(), 5, "{}", doc.text);
}

#[test]
fn pages_without_an_article_are_skipped_with_a_reason() {
    let (docs, skips) = all(&[fixture("index-page.html")]);
    assert!(docs.is_empty());
    assert_eq!(skips.len(), 1);
    assert_eq!(skips[0].reason, Reason::NoArticle);
    assert_eq!(skips[0].outcome(), Outcome::Skipped);
}

#[test]
fn legacy_charsets_without_a_declaration_are_detected() {
    let dir = TempDir::new("charset");
    let html = page("Caf\u{e9} Owner Wins Appeal", "")
        .replace(
            "river authority",
            "caf\u{e9}'s owner, Ren\u{e9}e Dub\u{e9},",
        )
        .replace(
            "spring floods",
            "sp\u{e9}cial \u{ab}f\u{ea}te\u{bb} in S\u{e8}vres",
        );
    for (name, enc) in [
        ("cp1252.html", encoding_rs::WINDOWS_1252),
        ("latin1.htm", encoding_rs::WINDOWS_1252),
    ] {
        let (bytes, _, unmappable) = enc.encode(&html);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8 any more");
        let p = dir.file(name, &bytes);
        let (docs, skips) = all(&[p]);
        assert!(skips.is_empty(), "{skips:?}");
        let doc = &docs[0].document;
        assert_eq!(doc.title.as_deref(), Some("Caf\u{e9} Owner Wins Appeal"));
        assert!(doc.text.contains("Ren\u{e9}e Dub\u{e9}"), "{}", doc.text);
        assert!(
            doc.text.contains("\u{ab}f\u{ea}te\u{bb} in S\u{e8}vres"),
            "{}",
            doc.text
        );
        assert!(!doc.text.contains('\u{fffd}'));
    }
    // A declared charset is believed.
    let declared = page(
        "Na\u{ef}ve Question",
        "<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>",
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&declared);
    let (docs, _) = all(&[dir.file("declared.html", &bytes)]);
    assert_eq!(
        docs[0].document.title.as_deref(),
        Some("Na\u{ef}ve Question")
    );
}

#[test]
fn html_is_recognised_by_content_whatever_the_name() {
    let dir = TempDir::new("sniff");
    let p = dir.file(
        "saved-page",
        page(
            "Weir To Be Rebuilt",
            "<meta property='og:site_name' content='Valley Times'>",
        ),
    );
    let (docs, _) = all(&[p]);
    assert_eq!(docs[0].format, Format::Html);
    assert_eq!(docs[0].document.outlet.as_deref(), Some("Valley Times"));
}

// ---------------------------------------------------------------- WARC

/// A WARC record, as crawlers write it.
fn record(kind: &str, n: usize, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-02-0{}T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012}>\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        n % 9 + 1,
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut b = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    b.extend_from_slice(body);
    b
}

fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in body.chunks(50) {
        out.extend(format!("{:x}\r\n", part.len()).as_bytes());
        out.extend(part);
        out.extend(b"\r\n");
    }
    out.extend(b"0\r\n\r\n");
    out
}

/// The records of a small news crawl: two articles among what else a crawl holds.
fn crawl_records() -> Vec<Vec<u8>> {
    let app = "application/http; msgtype=response";
    let article1 = page(
        "Weir To Be Rebuilt Before Floods",
        "<meta property='article:published_time' content='2024-02-01T06:00:00Z'>",
    );
    let article2 = page("Second Story About The Weir", "");
    let cafe = page("Caf\u{e9} Reopens", "");
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&cafe);
    vec![
        record("warcinfo", 1, "", "application/warc-fields", b"software: onrecord-tests\r\n"),
        record("request", 2, "https://valley.test/weir", "application/http; msgtype=request", b"GET /weir HTTP/1.1\r\nHost: valley.test\r\n\r\n"),
        record("response", 3, "https://valley.test/weir", app, &http("200 OK", "Content-Type: text/html; charset=utf-8\r\n", article1.as_bytes())),
        record("metadata", 4, "https://valley.test/weir", "application/warc-fields", b"fetchTimeMs: 120\r\n"),
        record("response", 5, "https://valley.test/gone", app, &http("404 Not Found", "Content-Type: text/html\r\n", b"<html><body>Not found</body></html>")),
        record("response", 6, "https://valley.test/logo.png", app, &http("200 OK", "Content-Type: image/png\r\n", b"\x89PNG\r\n\x1a\n\x00\x00")),
        record("response", 7, "https://www.valley.test/second", app, &http("200 OK", "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", &chunked(&gz(article2.as_bytes())))),
        record("response", 8, "https://valley.test/bad", app, b"this is no HTTP response"),
        record("revisit", 9, "https://valley.test/weir", app, b"HTTP/1.1 200 OK\r\n\r\n"),
        record("response", 10, "https://cafe.test/", app, &http("200 OK", "Content-Type: text/html; charset=windows-1252\r\n", &latin)),
    ]
}

fn check_crawl(docs: &[InputDoc], skips: &[Skip]) {
    let titles: Vec<_> = docs
        .iter()
        .map(|d| d.document.title.clone().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Weir To Be Rebuilt Before Floods",
            "Second Story About The Weir",
            "Caf\u{e9} Reopens"
        ]
    );
    let d = &docs[0];
    assert_eq!(d.format, Format::Warc);
    assert_eq!(d.at, Some(At::Record(3)));
    assert_eq!(d.document.id, "00000000-0000-0000-0000-000000000003");
    assert_eq!(d.document.url.as_deref(), Some("https://valley.test/weir"));
    assert_eq!(d.document.outlet.as_deref(), Some("valley.test"));
    assert_eq!(d.document.date.unwrap().to_string(), "2024-02-01");
    assert!(d.document.metadata.contains_key("warc_date"));
    assert_eq!(docs[1].document.outlet.as_deref(), Some("valley.test"));
    assert!(docs[1]
        .document
        .text
        .contains("\"We cannot wait another year,\" said engineer Tomas Reyes"));
    let reasons: Vec<(Option<At>, Reason)> = skips.iter().map(|s| (s.at, s.reason)).collect();
    assert_eq!(
        reasons,
        [
            (Some(At::Record(1)), Reason::WarcRecordType),
            (Some(At::Record(2)), Reason::WarcRecordType),
            (Some(At::Record(4)), Reason::WarcRecordType),
            (Some(At::Record(5)), Reason::HttpStatus),
            (Some(At::Record(6)), Reason::NotHtml),
            (Some(At::Record(8)), Reason::BadHttp),
            (Some(At::Record(9)), Reason::WarcRecordType),
        ]
    );
    assert!(skips[3].detail.contains("404"));
    assert!(skips[4].detail.contains("image/png"));
    assert!(skips.iter().all(|s| !s.ends_input()));
}

#[test]
fn warc_plain_and_gzipped_per_record() {
    let dir = TempDir::new("warc");
    let records = crawl_records();
    let plain = dir.file("crawl.warc", records.concat());
    let (docs, skips) = all(&[plain]);
    check_crawl(&docs, &skips);
    // One gzip member per record, as Common Crawl writes them.
    let members: Vec<u8> = records.iter().flat_map(|r| gz(r)).collect();
    let gzipped = dir.file("crawl.warc.gz", &members);
    let (docs, skips) = all(std::slice::from_ref(&gzipped));
    check_crawl(&docs, &skips);
    // The id of a record without a WARC-Record-ID comes from the file name.
    let bare = String::from_utf8(records[2].clone())
        .unwrap()
        .replace("WARC-Record-ID", "X-Id");
    let (docs, _) = all(&[dir.file("bare.warc", bare)]);
    assert_eq!(docs[0].document.id, "bare-1");
}

#[test]
fn truncated_and_corrupt_archives_yield_what_they_can() {
    let dir = TempDir::new("broken");
    let records = crawl_records();
    let members: Vec<Vec<u8>> = records.iter().map(|r| gz(r)).collect();
    // Cut in the middle of the 7th record's member.
    let mut cut: Vec<u8> = members[..6].concat();
    cut.extend_from_slice(&members[6][..members[6].len() / 2]);
    let (docs, skips) = all(&[dir.file("cut.warc.gz", &cut)]);
    assert_eq!(docs.len(), 1);
    let last = skips.last().unwrap();
    assert_eq!(last.reason, Reason::Truncated, "{last}");
    assert!(last.ends_input());
    // Garbage bytes in the middle of a member.
    let mut bad = members.concat();
    let at = members[..3].iter().map(Vec::len).sum::<usize>() + 30;
    for b in &mut bad[at..at + 40] {
        *b ^= 0xa5;
    }
    let (docs, skips) = all(&[dir.file("bad.warc.gz", &bad)]);
    // Deflate may yield the damaged member before its checksum fails; nothing after it.
    assert!(docs.len() <= 1);
    let last = skips.last().unwrap();
    assert!(
        matches!(last.reason, Reason::Corrupt | Reason::Truncated),
        "{last:?}"
    );
    // An uncompressed WARC cut inside a record's block.
    let plain = records.concat();
    let (docs, skips) = all(&[dir.file("cut.warc", &plain[..plain.len() - 100])]);
    assert_eq!(docs.len(), 2);
    assert_eq!(skips.last().unwrap().reason, Reason::Truncated);
    // Random bytes named .warc.gz: one failure, no panic.
    let noise: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let (docs, skips) = all(&[dir.file("noise.warc.gz", &noise)]);
    assert!(docs.is_empty());
    assert_eq!(skips.len(), 1, "{skips:?}");
    assert_eq!(skips[0].outcome(), Outcome::Failed);
    let mut fake_gz = vec![0x1f, 0x8b];
    fake_gz.extend(&noise);
    let (_, skips) = all(&[dir.file("fake.gz", &fake_gz)]);
    assert_eq!(skips.len(), 1);
    assert!(skips[0].ends_input());
}

#[test]
fn oversized_records_are_skipped_without_being_held() {
    let dir = TempDir::new("large");
    let big = page("A Very Long Page", "").replace(
        "</article>",
        &format!("<p>{}</p></article>", "word ".repeat(50_000)),
    );
    let mut warc = record(
        "response",
        1,
        "https://x.test/",
        "application/http; msgtype=response",
        &http("200 OK", "Content-Type: text/html\r\n", big.as_bytes()),
    );
    warc.extend(crawl_records()[2].clone());
    let opts = Options {
        max_record_bytes: 100_000,
        ..Default::default()
    };
    let (docs, skips) = split(input::walk([dir.file("big.warc", warc)], &opts).collect());
    assert_eq!(docs.len(), 1);
    assert_eq!(skips[0].reason, Reason::TooLarge);
}

#[test]
fn wet_conversion_records_are_plain_text() {
    let dir = TempDir::new("wet");
    let text1 = "Weir To Be Rebuilt\n\"We cannot wait another year,\" said engineer Tomas Reyes.\nThe authority agreed.";
    let wet = [
        record(
            "warcinfo",
            1,
            "",
            "application/warc-fields",
            b"software: onrecord-tests\r\n",
        ),
        record(
            "conversion",
            2,
            "https://valley.test/weir",
            "text/plain",
            text1.as_bytes(),
        ),
        record(
            "conversion",
            3,
            "https://valley.test/empty",
            "text/plain",
            b"  \n",
        ),
    ]
    .concat();
    let p = dir.file("crawl.warc.wet.gz", gz(&wet));
    let (docs, skips) = all(&[p]);
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(d.format, Format::Wet);
    assert!(d.text_is_derived());
    assert_eq!(d.document.text, text1);
    assert_eq!(d.document.url.as_deref(), Some("https://valley.test/weir"));
    assert_eq!(d.document.outlet.as_deref(), Some("valley.test"));
    assert_eq!(d.document.title.as_deref(), Some("Weir To Be Rebuilt"));
    let reasons: Vec<_> = skips.iter().map(|s| s.reason).collect();
    assert_eq!(reasons, [Reason::WarcRecordType, Reason::NoArticle]);
}

// ---------------------------------------------------------------- JSON Lines

const FEED: &str =
    "{\"id\": \"a\", \"text\": \"The mayor said it was overdue.\", \"date\": \"2021-06-01\"}\n\
                    {\"oops\n\
                    {\"id\": \"c\", \"text\": \"Second.\", \"url\": \"https://x.test/c\"}\n";

#[test]
fn json_lines_plain_gzip_and_zstd_agree() {
    let dir = TempDir::new("jsonl");
    let mut zstd_two_frames = zst(&FEED.as_bytes()[..FEED.len() / 2]);
    zstd_two_frames.extend(zst(&FEED.as_bytes()[FEED.len() / 2..]));
    let paths = [
        dir.file("feed.jsonl", FEED),
        dir.file("feed.jsonl.gz", gz(FEED.as_bytes())),
        dir.file("feed.jsonl.zst", zst(FEED.as_bytes())),
        dir.file("frames.jsonl.zst", zstd_two_frames),
        dir.file("noext.gz", gz(FEED.as_bytes())),
    ];
    for p in &paths {
        let (docs, skips) = all(std::slice::from_ref(p));
        let ids: Vec<_> = docs.iter().map(|d| d.document.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"], "{p:?}");
        assert_eq!(docs[0].format, Format::JsonLines);
        assert!(!docs[0].text_is_derived());
        assert_eq!(docs[1].document.url.as_deref(), Some("https://x.test/c"));
        assert_eq!(skips.len(), 1, "{p:?}: {skips:?}");
        assert_eq!(
            (skips[0].at, skips[0].reason),
            (Some(At::Line(2)), Reason::BadJson)
        );
        assert!(!skips[0].ends_input());
    }
    // Ids of records without one come from the name without its compression extension.
    let (docs, _) = all(&[dir.file("dump.jsonl.gz", gz(b"{\"text\": \"x\"}\n"))]);
    assert_eq!(docs[0].document.id, "dump-1");
}

#[test]
fn cc_news_style_fields_are_mapped() {
    let dir = TempDir::new("fields");
    let line = "{\"maintext\": \"Body text.\", \"title\": \"Headline\", \"date_publish\": \"2017-12-01 19:39:07\", \"url\": \"https://n.test/1\", \"source_domain\": \"n.test\", \"uid\": \"n1\"}\n";
    let p = dir.file("cc.jsonl.zst", zst(line.as_bytes()));
    let opts = Options {
        fields: input::FieldNames {
            text: "maintext".into(),
            date: "date_publish".into(),
            id: "uid".into(),
            outlet: "source_domain".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let (docs, skips) = split(input::walk([p], &opts).collect());
    assert!(skips.is_empty(), "{skips:?}");
    let doc = &docs[0].document;
    assert_eq!(doc.id, "n1");
    assert_eq!(doc.text, "Body text.");
    assert_eq!(doc.date.unwrap().to_string(), "2017-12-01");
    assert_eq!(doc.outlet.as_deref(), Some("n.test"));
}

#[test]
fn truncated_and_corrupt_compressed_json_lines() {
    let dir = TempDir::new("jsonl-broken");
    // Large enough for several zstd blocks: a cut block is lost whole.
    let many: String = (0..20_000)
        .map(|i| format!("{{\"id\": \"r{i}\", \"text\": \"Record number {i} said something.\"}}\n"))
        .collect();
    for (name, bytes) in [
        ("cut.jsonl.gz", gz(many.as_bytes())),
        ("cut.jsonl.zst", zst(many.as_bytes())),
    ] {
        let cut = &bytes[..bytes.len() * 2 / 3];
        let (docs, skips) = all(&[dir.file(name, cut)]);
        assert!(
            docs.len() > 1000 && docs.len() < 20_000,
            "{name}: {}",
            docs.len()
        );
        // The records read are whole and in order.
        assert!(docs
            .iter()
            .enumerate()
            .all(|(i, d)| d.document.id == format!("r{i}")));
        assert_eq!(skips.len(), 1, "{name}: {skips:?}");
        assert!(skips[0].ends_input(), "{name}: {:?}", skips[0]);
        assert_eq!(skips[0].outcome(), Outcome::Failed);
    }
    let (docs, skips) = all(&[dir.file("x.jsonl.xz", b"\xfd7zXZ\x00\x00\x04")]);
    assert!(docs.is_empty());
    assert_eq!(skips[0].reason, Reason::Unsupported);
}

// ---------------------------------------------------------------- walking and units

#[test]
fn directories_are_walked_in_order_with_skips_counted() {
    let dir = TempDir::new("walk");
    dir.file("c/b.txt", "Second file.\n");
    dir.file("c/a.html", page("Weir Story", ""));
    dir.file(
        "c/z/deep.jsonl.gz",
        gz(b"{\"id\": \"deep\", \"text\": \"Deep.\"}\n"),
    );
    dir.file("c/notes.md", "not an input");
    dir.file("c/backup.tar.gz", gz(b"tar"));
    dir.file("c/.hidden.txt", "hidden");
    dir.file("empty/.keep", "");
    let (docs, skips) = all(&[dir.0.join("c"), dir.0.join("empty"), dir.0.join("missing")]);
    let ids: Vec<_> = docs.iter().map(|d| d.document.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "deep"]);
    let reasons: Vec<_> = skips.iter().map(|s| s.reason).collect();
    assert_eq!(
        reasons,
        [
            Reason::NotInputFile,
            Reason::NotInputFile,
            Reason::NoInput,
            Reason::Unreadable
        ]
    );
    assert_eq!(
        input::total_size(&[dir.0.join("c")]),
        Some(
            std::fs::metadata(dir.0.join("c/b.txt")).unwrap().len()
                + std::fs::metadata(dir.0.join("c/a.html")).unwrap().len()
                + std::fs::metadata(dir.0.join("c/z/deep.jsonl.gz"))
                    .unwrap()
                    .len()
        )
    );
    assert_eq!(input::total_size(&["-".into()]), None);
}

#[test]
fn units_decoded_on_threads_give_the_same_items() {
    let dir = TempDir::new("units");
    let records = crawl_records();
    let members: Vec<u8> = records.iter().flat_map(|r| gz(r)).collect();
    let paths = vec![
        dir.file("crawl.warc.gz", &members),
        fixture("news-article.html"),
        dir.file("feed.jsonl", FEED),
    ];
    let opts = Options::default();
    let sequential: Vec<String> = input::walk(paths.clone(), &opts)
        .map(|i| describe(&i))
        .collect();
    let units: Vec<Unit> = input::units(paths, &opts).collect();
    assert!(
        units.iter().any(|u| matches!(u, Unit::Page(_))),
        "pages are left to the workers"
    );
    let handles: Vec<_> = units
        .into_iter()
        .map(|u| {
            let opts = opts.clone();
            std::thread::spawn(move || u.decode(&opts))
        })
        .collect();
    let parallel: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .map(|i| describe(&i))
        .collect();
    assert_eq!(sequential, parallel);
    assert_eq!(
        sequential.iter().filter(|s| s.starts_with("doc")).count(),
        6
    );
}

fn describe(i: &InputItem) -> String {
    match i {
        Ok(d) => format!("doc {} {}", d.document.id, d.document.text.len()),
        Err(s) => format!("skip {s}"),
    }
}

#[test]
fn readers_and_open() {
    let walk = input::read(
        std::io::Cursor::new(gz(FEED.as_bytes())),
        "feed.jsonl.gz",
        &Options::default(),
    );
    let (docs, _) = split(walk.collect());
    assert_eq!(docs.len(), 2);
    let err = input::open("/nonexistent/file.warc", &Options::default())
        .err()
        .unwrap();
    assert_eq!(err.reason, Reason::Unreadable);
    let (docs, _) = split(
        input::open(fixture("blog-post.html"), &Options::default())
            .unwrap()
            .collect(),
    );
    assert_eq!(docs.len(), 1);
}

#[test]
fn bytes_read_are_counted() {
    let dir = TempDir::new("count");
    let gzipped = gz(FEED.as_bytes());
    let paths = [
        dir.file("a.jsonl.gz", &gzipped),
        dir.file("b.txt", "Plain.\n"),
    ];
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let opts = Options {
        bytes_read: Some(counter.clone()),
        ..Default::default()
    };
    let n = input::walk(paths, &opts).count();
    assert!(n > 0);
    assert_eq!(
        counter.load(std::sync::atomic::Ordering::Relaxed),
        gzipped.len() as u64 + 7
    );
}

#[test]
fn mangled_inputs_never_panic() {
    let records = crawl_records();
    let warc: Vec<u8> = records.concat();
    let warc_gz: Vec<u8> = records.iter().flat_map(|r| gz(r)).collect();
    let html = std::fs::read(fixture("news-article.html")).unwrap();
    let seeds: [(&str, Vec<u8>); 5] = [
        ("a.warc", warc),
        ("a.warc.gz", warc_gz),
        ("a.html", html),
        ("a.jsonl.zst", zst(FEED.as_bytes())),
        ("a.jsonl.gz", gz(FEED.as_bytes())),
    ];
    // A small deterministic generator: the same cases on every run.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let opts = Options::default();
    for (name, seed) in &seeds {
        for case in 0..40 {
            let mut bytes = seed.clone();
            match case % 4 {
                0 => bytes.truncate(next() as usize % bytes.len().max(1)),
                1 => {
                    for _ in 0..1 + next() % 8 {
                        let i = next() as usize % bytes.len();
                        bytes[i] = next() as u8;
                    }
                }
                2 => {
                    let i = next() as usize % bytes.len();
                    let n = (next() as usize % 64).min(bytes.len() - i);
                    bytes.drain(i..i + n);
                }
                _ => {
                    let i = next() as usize % bytes.len();
                    let junk: Vec<u8> = (0..next() % 200).map(|_| next() as u8).collect();
                    bytes.splice(i..i, junk);
                }
            }
            for d in input::read(std::io::Cursor::new(bytes), name, &opts).flatten() {
                let doc = &d.document;
                if let Some(s) = doc.title_span {
                    assert!(doc.text.get(s.start..s.end).is_some());
                }
                assert!(doc
                    .text
                    .is_char_boundary(doc.body_start.min(doc.text.len())));
            }
        }
    }
}
