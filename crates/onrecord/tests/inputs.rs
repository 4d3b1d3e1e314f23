//! `onrecord extract` on real-world inputs: HTML pages, WARC and WET archives, compressed
//! JSON Lines, directories of them, broken files. Everything here is written by the tests.

mod common;

use common::{ids, lines, stderr, stdout, TempDir};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn onrecord(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onrecord"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("runs onrecord")
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn zst(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

/// Every span of a result slices its "text" (or `text`) by code points.
fn check_offsets(v: &Value, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    for q in v["quotes"].as_array().unwrap() {
        for k in ["content", "cue", "source"] {
            if q[k].is_object() {
                spans.push(&q[k]);
            }
        }
    }
    for e in v["entities"].as_array().unwrap() {
        spans.extend(e["mentions"].as_array().unwrap());
    }
    spans.extend(v["dates"].as_array().unwrap());
    assert!(!spans.is_empty());
    for s in spans {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        let got: String = chars[a..b].iter().collect();
        assert_eq!(got, s["text"].as_str().unwrap());
    }
}

fn page(title: &str, body: &str, head: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=utf-8><title>{title} | Valley Times</title>{head}</head><body>\
         <nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>\
         <div class='ad'>Advertisement: the best mattress you will ever own</div>\
         <article><h1>{title}</h1>{body}</article>\
         <footer>Copyright Valley Times. <a href='/privacy'>Privacy</a></footer></body></html>"
    )
}

const WEIR: &str = "<p>The river authority said on Monday that the old weir would be rebuilt before the spring floods arrive in the valley towns.</p>\
<p>\"We cannot wait another year,\" said engineer Tomas Reyes, who has surveyed the weir since the collapse of its eastern wall last winter.</p>\
<p>Residents said they were relieved. \"The water came into our kitchens twice,\" said Nell Varga, who lives by the mill.</p>";

fn record(kind: &str, n: usize, uri: &str, block: &[u8]) -> Vec<u8> {
    let ct = match kind {
        "response" => "application/http; msgtype=response",
        "request" => "application/http; msgtype=request",
        "conversion" => "text/plain",
        _ => "application/warc-fields",
    };
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:rec-{n}>\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2024-03-0{n}T12:00:00Z\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn response(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n\r\n{body}").into_bytes()
}

/// A small news crawl, one gzip member per record.
fn crawl() -> Vec<Vec<u8>> {
    let story = page(
        "Weir To Be Rebuilt",
        WEIR,
        "<meta property='article:published_time' content='2024-03-04'><meta name=author content='Ada Brook'>",
    );
    let second = page(
        "Mill Reopens After Flood",
        &WEIR.replace("weir", "mill"),
        "",
    );
    vec![
        record("warcinfo", 1, "", b"software: tests\r\n"),
        record(
            "request",
            2,
            "https://valley.test/weir",
            b"GET /weir HTTP/1.1\r\n\r\n",
        ),
        record(
            "response",
            3,
            "https://valley.test/weir",
            &response("200 OK", "text/html", &story),
        ),
        record(
            "response",
            4,
            "https://valley.test/old",
            &response("301 Moved Permanently", "text/html", ""),
        ),
        record(
            "metadata",
            5,
            "https://valley.test/weir",
            b"fetchTimeMs: 12\r\n",
        ),
        record(
            "response",
            6,
            "https://valley.test/mill",
            &response("200 OK", "text/html; charset=utf-8", &second),
        ),
    ]
}

#[test]
fn an_html_page_gives_its_text_and_metadata_with_offsets_into_it() {
    let dir = TempDir::new();
    dir.file(
        "weir.html",
        page("Weir To Be Rebuilt", WEIR, "<link rel=canonical href='https://valley.test/weir'><script type='application/ld+json'>{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"Weir To Be Rebuilt\",\"datePublished\":\"2024-03-04T09:00:00Z\",\"author\":{\"@type\":\"Person\",\"name\":\"Ada Brook\"},\"publisher\":{\"@type\":\"Organization\",\"name\":\"Valley Times\"}}</script>"),
    );
    let o = onrecord(&["extract", "weir.html"], &dir.0);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["id"], "weir");
    assert_eq!(v["title"], "Weir To Be Rebuilt");
    assert_eq!(v["date"], "2024-03-04");
    assert_eq!(v["outlet"], "Valley Times");
    assert_eq!(v["url"], "https://valley.test/weir");
    assert_eq!(v["author"], "Ada Brook");
    let text = v["text"]
        .as_str()
        .expect("the extracted text is in the output");
    assert!(
        text.starts_with("Weir To Be Rebuilt\n\nThe river authority"),
        "{text}"
    );
    assert!(
        !text.contains("Advertisement") && !text.contains("Copyright") && !text.contains("Sport")
    );
    check_offsets(&v, text);
    let speakers: Vec<&str> = v["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["speaker"]["name"].as_str())
        .collect();
    assert!(speakers.contains(&"Tomas Reyes"), "{speakers:?}");
    assert!(speakers.contains(&"Nell Varga"), "{speakers:?}");
}

#[test]
fn plain_inputs_have_no_text_field() {
    let dir = TempDir::new();
    dir.file("a.txt", "Weir Rebuilt\n\n\"Soon,\" said Tomas Reyes.\n");
    let o = onrecord(&["extract", "a.txt"], &dir.0);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v.get("text").is_none());
    assert!(v.get("author").is_none());
}

#[test]
fn a_gzipped_warc_gives_its_pages_in_order_and_counts_the_rest() {
    let dir = TempDir::new();
    let warc: Vec<u8> = crawl().iter().flat_map(|r| gz(r)).collect();
    dir.file("crawl.warc.gz", &warc);
    let o = onrecord(&["extract", "--summary", "crawl.warc.gz"], &dir.0);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = lines(&o);
    assert_eq!(ids(&out), ["rec-3", "rec-6"]);
    assert_eq!(out[0]["url"], "https://valley.test/weir");
    assert_eq!(out[0]["outlet"], "valley.test");
    assert_eq!(out[0]["author"], "Ada Brook");
    assert_eq!(out[0]["date"], "2024-03-04");
    assert_eq!(out[1]["title"], "Mill Reopens After Flood");
    for v in &out {
        check_offsets(v, v["text"].as_str().unwrap());
    }
    // Skipped records are counted, not printed one by one.
    let err = stderr(&o);
    let summary: Vec<&str> = err.lines().collect();
    assert_eq!(summary.len(), 2, "{err}");
    assert!(summary[0].starts_with("onrecord: 2 documents, "), "{err}");
    assert_eq!(
        summary[1],
        "onrecord: skipped 4: 3 WARC records not pages, 1 HTTP status not 200"
    );
    // --verbose says each one.
    let o = onrecord(&["extract", "-v", "crawl.warc.gz"], &dir.0);
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 4, "{err}");
    assert!(
        err.contains(
            "onrecord: skipped: crawl.warc.gz: record 4: HTTP status 301 (https://valley.test/old)"
        ),
        "{err}"
    );
}

#[test]
fn a_truncated_archive_gives_what_it_holds_and_exit_2() {
    let dir = TempDir::new();
    let members: Vec<Vec<u8>> = crawl().iter().map(|r| gz(r)).collect();
    let mut cut = members[..5].concat();
    cut.extend_from_slice(&members[5][..members[5].len() / 2]);
    dir.file("cut.warc.gz", &cut);
    dir.file("after.txt", "Weir Rebuilt\n\n\"Soon,\" said Tomas Reyes.\n");
    let o = onrecord(&["extract", "cut.warc.gz", "after.txt"], &dir.0);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(ids(&lines(&o)), ["rec-3", "after"]);
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("onrecord: error: cut.warc.gz: "), "{err}");
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn wet_files_give_plain_text_documents() {
    let dir = TempDir::new();
    let text = "Weir To Be Rebuilt\n\"We cannot wait another year,\" said engineer Tomas Reyes.\n";
    let wet = [
        record("warcinfo", 1, "", b"software: tests\r\n"),
        record("conversion", 2, "https://valley.test/weir", text.as_bytes()),
    ]
    .concat();
    dir.file("crawl.warc.wet", &wet);
    let o = onrecord(&["extract", "crawl.warc.wet"], &dir.0);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["id"], "rec-2");
    assert_eq!(v["text"], text);
    assert_eq!(v["quotes"][0]["speaker"]["name"], "Tomas Reyes");
    check_offsets(&v, text);
}

#[test]
fn compressed_json_lines_with_mapped_fields() {
    let dir = TempDir::new();
    let dump: String = (0..50)
        .map(|i| {
            format!(
                "{{\"uid\": \"n{i}\", \"maintext\": \"\\\"Item {i} is ready,\\\" said Tomas Reyes.\", \"date_publish\": \"2019-04-0{} 10:00:00\", \"source_domain\": \"n.test\"}}\n",
                i % 9 + 1
            )
        })
        .collect();
    dir.file("dump.jsonl.zst", zst(dump.as_bytes()));
    dir.file("dump2.jsonl.gz", gz(dump.as_bytes()));
    let args = [
        "extract",
        "--text-field",
        "maintext",
        "--date-field",
        "date_publish",
        "--id-field",
        "uid",
        "--outlet-field",
        "source_domain",
    ];
    for file in ["dump.jsonl.zst", "dump2.jsonl.gz"] {
        let mut a = args.to_vec();
        a.push(file);
        let o = onrecord(&a, &dir.0);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stderr(&o), "");
        let out = lines(&o);
        let want: Vec<String> = (0..50).map(|i| format!("n{i}")).collect();
        assert_eq!(ids(&out), want);
        assert_eq!(out[3]["date"], "2019-04-04");
        assert_eq!(out[3]["outlet"], "n.test");
        assert!(out[3].get("text").is_none(), "the text is the record's own");
        assert_eq!(out[3]["quotes"][0]["content"]["text"], "Item 3 is ready,");
    }
    // Without the mapping every record lacks "text": one warning each, nothing printed.
    let o = onrecord(&["extract", "dump.jsonl.zst"], &dir.0);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "");
    assert_eq!(stderr(&o).lines().count(), 50);
    let o = onrecord(&["extract", "-q", "dump.jsonl.zst"], &dir.0);
    assert_eq!(stderr(&o), "");
}

#[test]
fn directories_of_mixed_inputs_in_stable_order_on_any_number_of_threads() {
    let dir = TempDir::new();
    let many: String = (0..300)
        .map(|i| {
            format!("{{\"id\": \"j{i:03}\", \"text\": \"\\\"Line {i},\\\" said Nell Varga.\"}}\n")
        })
        .collect();
    dir.file("in/a.jsonl.gz", gz(many.as_bytes()));
    dir.file("in/b/page.htm", page("Weir To Be Rebuilt", WEIR, ""));
    dir.file(
        "in/b/crawl.warc.gz",
        crawl().iter().flat_map(|r| gz(r)).collect::<Vec<u8>>(),
    );
    dir.file("in/c.txt", "Weir Rebuilt\n\n\"Soon,\" said Tomas Reyes.\n");
    dir.file("in/d.png", b"\x89PNG\r\n");
    let ordered = onrecord(&["extract", "in"], &dir.0);
    assert!(ordered.status.success(), "{}", stderr(&ordered));
    assert_eq!(stderr(&ordered), "", "skips are counted, not printed");
    let got = ids(&lines(&ordered));
    let mut want: Vec<String> = (0..300).map(|i| format!("j{i:03}")).collect();
    want.extend(["rec-3", "rec-6", "page", "c"].map(String::from));
    assert_eq!(got, want);
    for threads in ["1", "2", "3"] {
        let o = onrecord(&["extract", "-j", threads, "in"], &dir.0);
        assert_eq!(stdout(&o), stdout(&ordered), "-j {threads}");
    }
    let o = onrecord(&["extract", "--unordered", "in"], &dir.0);
    let mut a = lines(&o).iter().map(|v| v.to_string()).collect::<Vec<_>>();
    let mut b = lines(&ordered)
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let o = onrecord(&["extract", "--summary", "in"], &dir.0);
    let err = stderr(&o);
    assert!(err.contains("onrecord: 304 documents, "), "{err}");
    assert!(err.contains("1 not input files"), "{err}");
}

#[test]
fn no_progress_bar_in_a_pipe_unless_asked() {
    let dir = TempDir::new();
    dir.file("c.txt", "Weir Rebuilt\n\n\"Soon,\" said Tomas Reyes.\n");
    let o = onrecord(&["extract", "c.txt"], &dir.0);
    assert_eq!(stderr(&o), "");
    let o = onrecord(
        &["extract", "--progress", "never", "--summary", "c.txt"],
        &dir.0,
    );
    assert_eq!(stderr(&o).lines().count(), 1);
    let o = onrecord(&["extract", "--progress", "always", "c.txt"], &dir.0);
    assert!(o.status.success());
    let o = onrecord(
        &["extract", "--progress", "always", "--quiet", "c.txt"],
        &dir.0,
    );
    assert_eq!(stderr(&o), "");
}

#[test]
fn pages_and_files_that_are_no_articles() {
    let dir = TempDir::new();
    dir.file(
        "index.html",
        "<html><head><title>Home</title></head><body><ul><li><a href=/a>One story</a></li><li><a href=/b>Another story</a></li></ul></body></html>",
    );
    dir.file("x.jsonl.xz", b"\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4\x46");
    let o = onrecord(&["extract", "index.html", "x.jsonl.xz"], &dir.0);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    let l: Vec<&str> = err.lines().collect();
    assert_eq!(l.len(), 2, "{err}");
    assert_eq!(
        l[0],
        "onrecord: skipped: index.html: no article text on this page"
    );
    assert!(
        l[1].starts_with("onrecord: error: x.jsonl.xz: xz compression is not supported"),
        "{err}"
    );
}
