//! The corpus commands as a user runs them: `ingest`, `reindex`, `search`, `speakers`,
//! `speaker`, `quote`, `export`, and `serve` spoken to over loopback HTTP. The articles are
//! made up for these tests, some of them hostile (markup in the text).

mod common;

use common::{stderr, TempDir};
use onrecord_store::Store;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn onrecord(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onrecord"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Three outlets report the same statement of a made-up mayor; one of them spells her
/// colleague's name another way.
fn corpus(dir: &TempDir) {
    dir.file(
        "news/ledger.jsonl",
        [
            serde_json::json!({
                "id": "ledger-1", "date": "2024-05-16", "outlet": "Lakeport Ledger",
                "title": "Mayor Pushes Harbor Bridge Plan",
                "text": "Mayor Pushes Harbor Bridge Plan\n\n\"They promised us a replacement ten years ago and we are still waiting for a bridge,\" said Elena Marsh, the mayor of Lakeport.\n\nCouncillor Tomas Oyelaran said the budget could not carry the cost this year.\n"
            }),
            serde_json::json!({
                "id": "ledger-2", "date": "2024-06-02", "outlet": "Lakeport Ledger",
                "title": "Ferry Service Expands",
                "text": "Ferry Service Expands\n\n\"The ferries will run every hour from Monday,\" said Tomas Oyelaran, who chairs the transport committee.\n"
            }),
        ]
        .iter()
        .map(|v| v.to_string() + "\n")
        .collect::<String>(),
    );
    dir.file(
        "news/courier-2024-05-18.json",
        serde_json::json!({
            "id": "courier-1", "date": "2024-05-18", "outlet": "Harbor Courier",
            "title": "Bridge Closure Drags On",
            "text": "Bridge Closure Drags On\n\n\"They promised us a replacement ten years ago and we are still waiting for a bridge,\" Elena Marsh told reporters on Friday.\n\n\"We will keep the ferries running,\" said Tomas Oyelaran.\n"
        })
        .to_string(),
    );
    dir.file(
        "news/gazette.txt",
        "Waiting for the Bridge\n\n\"We are still waiting for a bridge,\" Marsh said at the council meeting.\n",
    );
}

fn search_json(dir: &TempDir, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search", "--db", "c.db", "--format", "json"];
    all.extend_from_slice(args);
    let out = ok(&onrecord(&all, &dir.0));
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn ingest_search_and_browse_from_the_command_line() {
    let dir = TempDir::new();
    corpus(&dir);
    let out = onrecord(&["ingest", "news", "--db", "c.db"], &dir.0);
    ok(&out);
    assert!(
        stderr(&out).contains("4 articles added"),
        "{}",
        stderr(&out)
    );
    // Again: nothing changes.
    let out = onrecord(&["ingest", "news", "--db", "c.db"], &dir.0);
    ok(&out);
    assert!(
        stderr(&out).contains("0 articles added"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("4 already stored"),
        "{}",
        stderr(&out)
    );
    let store = Store::open_read_only(dir.0.join("c.db")).unwrap();
    assert_eq!(store.stats().unwrap().articles, 4);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    drop(store);

    // Search: ranked, filtered, as a table and as JSON.
    let table = ok(&onrecord(
        &["search", "replacement", "--db", "c.db"],
        &dir.0,
    ));
    assert!(table.contains("Elena Marsh"), "{table}");
    assert!(table.contains("reported 3 times"), "{table}");
    let hits = search_json(&dir, &["waiting", "bridge"]);
    assert!(hits.len() >= 3, "{hits:#?}");
    assert!(
        hits.iter().all(|h| h["speaker"]["name"] == "Elena Marsh"),
        "{hits:#?}"
    );
    assert_eq!(
        search_json(&dir, &["replacement", "--outlet", "harbor courier"]).len(),
        1
    );
    assert_eq!(
        search_json(&dir, &["replacement", "--since", "2024-05-17"]).len(),
        1
    );
    assert_eq!(
        search_json(&dir, &["replacement", "--until", "2024-05-17"]).len(),
        1
    );
    assert_eq!(
        search_json(&dir, &["replacement", "--kind", "indirect"]).len(),
        0
    );
    assert_eq!(
        search_json(&dir, &["ferries", "--speaker", "Oyelaran"]).len(),
        2
    );
    assert_eq!(
        search_json(&dir, &["--speaker", "Marsh", "--limit", "1"]).len(),
        1
    );
    let bad = onrecord(&["search", "x", "--db", "c.db", "--since", "May 1"], &dir.0);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("YYYY-MM-DD"), "{}", stderr(&bad));

    // The bare "Marsh" of the gazette is the one Elena Marsh of the corpus.
    let speakers = ok(&onrecord(
        &["speakers", "--db", "c.db", "--format", "json"],
        &dir.0,
    ));
    let speakers: Value = serde_json::from_str(&speakers).unwrap();
    let marsh = speakers
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Elena Marsh")
        .unwrap();
    assert_eq!(marsh["quotes"], 3, "{speakers:#}");
    let timeline = ok(&onrecord(&["speaker", "marsh", "--db", "c.db"], &dir.0));
    assert!(timeline.starts_with('#'), "{timeline}");
    assert!(timeline.contains("2024-05"), "{timeline}");
    let first = timeline.find("2024-05-16").unwrap();
    let later = timeline.find("2024-05-18").unwrap();
    assert!(first < later, "{timeline}");
    let missing = onrecord(&["speaker", "Nobody", "--db", "c.db"], &dir.0);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(stderr(&missing).lines().count(), 1, "{}", stderr(&missing));

    // The cluster: first seen in the Ledger, reported by three outlets.
    let quote_id = format!("q{}", hits[0]["quote"]);
    let cluster = ok(&onrecord(
        &["quote", &quote_id, "--db", "c.db", "--format", "json"],
        &dir.0,
    ));
    let cluster: Value = serde_json::from_str(&cluster).unwrap();
    assert_eq!(cluster["size"], 3, "{cluster:#}");
    assert_eq!(cluster["first_seen"]["outlet"], "Lakeport Ledger");
    assert_eq!(cluster["occurrences"][0]["date"], "2024-05-16");
    let text = ok(&onrecord(&["quote", &quote_id, "--db", "c.db"], &dir.0));
    assert!(
        text.contains("first seen 2024-05-16 in Lakeport Ledger"),
        "{text}"
    );
    assert_eq!(
        onrecord(&["quote", "q99999", "--db", "c.db"], &dir.0)
            .status
            .code(),
        Some(1)
    );

    // Reindex keeps the corpus as it was (same extractor).
    let before = search_json(&dir, &["bridge"]).len();
    ok(&onrecord(&["reindex", "--db", "c.db"], &dir.0));
    assert_eq!(search_json(&dir, &["bridge"]).len(), before);

    // A query on a missing corpus is an error, and creates nothing.
    let out = onrecord(&["search", "x", "--db", "none.db"], &dir.0);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.0.join("none.db").exists());
}

#[test]
fn exports_read_back() {
    let dir = TempDir::new();
    corpus(&dir);
    ok(&onrecord(&["ingest", "news", "--db", "c.db", "-q"], &dir.0));
    let n = Store::open_read_only(dir.0.join("c.db"))
        .unwrap()
        .stats()
        .unwrap()
        .quotes as usize;
    let jsonl = ok(&onrecord(
        &["export", "--db", "c.db", "--format", "jsonl"],
        &dir.0,
    ));
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), n);
    assert!(rows
        .iter()
        .any(|r| r["speaker"] == "Elena Marsh" && r["cluster_size"] == 3));
    let csv = ok(&onrecord(
        &["export", "--db", "c.db", "--format", "csv"],
        &dir.0,
    ));
    assert!(csv.starts_with("quote_id,"));
    ok(&onrecord(
        &[
            "export",
            "--db",
            "c.db",
            "--format",
            "parquet",
            "-o",
            "q.parquet",
        ],
        &dir.0,
    ));
    let bytes = std::fs::read(dir.0.join("q.parquet")).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
    // pyarrow, when this machine has it, reads the file back.
    let python = std::env::var("ONRECORD_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_pyarrow = Command::new(&python)
        .args(["-c", "import pyarrow.parquet"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_pyarrow {
        eprintln!(
            "skipped: pyarrow check of the Parquet export ({python} cannot import pyarrow; \
             `python3 -m pip install pyarrow` or set ONRECORD_PYTHON to run it)"
        );
        return;
    }
    let script = format!(
        "import pyarrow.parquet as pq, json\n\
         f = pq.ParquetFile({path:?})\n\
         t = f.read()\n\
         print(json.dumps({{'rows': t.num_rows, 'groups': f.metadata.num_row_groups,\n\
           'speakers': sorted(set(x for x in t.column('speaker').to_pylist() if x)),\n\
           'types': {{n: str(t.schema.field(n).type) for n in t.schema.names}}}}))\n",
        path = dir.path("q.parquet")
    );
    let out = Command::new(&python)
        .args(["-c", &script])
        .output()
        .unwrap();
    let got: Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(got["rows"], n);
    assert_eq!(got["types"]["quote_id"], "int64");
    assert_eq!(got["types"]["content"], "string");
    assert_eq!(got["types"]["confidence"], "double");
    assert!(got["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "Elena Marsh"));
}

/// Many small articles in one JSON Lines file.
fn many_articles(dir: &TempDir, n: usize) -> PathBuf {
    let mut text = String::new();
    for i in 0..n {
        let outlet = ["Ledger", "Courier", "Post"][i % 3];
        let rec = serde_json::json!({
            "id": format!("a{i}"),
            "date": format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            "outlet": outlet,
            "text": format!(
                "Council Notes {i}\n\n\"Item {i} on the agenda will be settled by the council this week,\" said Mara Quill.\n\nThe committee said item {i} needs more study.\n"
            ),
        });
        text.push_str(&rec.to_string());
        text.push('\n');
    }
    dir.file("many.jsonl", &text)
}

fn count_articles(db: &Path) -> i64 {
    match Store::open_read_only(db) {
        Ok(s) => s.stats().map(|s| s.articles).unwrap_or(0),
        Err(_) => 0,
    }
}

#[test]
fn a_killed_ingest_leaves_a_consistent_corpus_and_resumes() {
    let dir = TempDir::new();
    let total = 4000;
    let input = many_articles(&dir, total);
    let db = dir.0.join("k.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_onrecord"))
        .args(["ingest", "--batch", "5", "-j", "1", "--db"])
        .arg(&db)
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some batches are in, well before the end.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = 0;
    while Instant::now() < deadline {
        seen = count_articles(&db);
        if seen >= 20 {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let stored = count_articles(&db);
    assert!(seen >= 20, "the ingest never got going");
    assert!(
        stored < total as i64,
        "the ingest finished before it could be killed ({stored} articles)"
    );
    // Whole batches only, and every invariant holds.
    let store = Store::open(&db).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    assert_eq!(stored % 5, 0, "{stored} articles: a batch was cut");
    drop(store);
    // The same command picks up where it stopped.
    let out = onrecord(&["ingest", "--db", "k.db", "many.jsonl"], &dir.0);
    ok(&out);
    assert!(
        stderr(&out).contains(&format!("{} articles added", total as i64 - stored)),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains(&format!("{stored} already stored")),
        "{}",
        stderr(&out)
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(store.stats().unwrap().articles, total as i64);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    // Each "Item N" quote is stored once: none lost, none twice.
    let (all, distinct): (i64, i64) = store
        .connection()
        .query_row(
            "SELECT count(*), count(DISTINCT content) FROM quotes WHERE content GLOB 'Item *'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((all, distinct), (total as i64, total as i64));
}

// ---- serve --------------------------------------------------------------------------

/// A running `onrecord serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(dir: &TempDir, db: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_onrecord"))
            .args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
            .current_dir(&dir.0)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let stderr = child.stderr.take().unwrap();
        BufReader::new(stderr).read_line(&mut line).unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// One HTTP/1.1 request; (status, headers lower-cased, body).
    fn request(&self, method: &str, target: &str, host: Option<&str>) -> (u16, String, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let host = host.unwrap_or(&self.addr);
        write!(
            s,
            "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, head.to_lowercase(), body.to_string())
    }

    fn get_json(&self, target: &str) -> Value {
        let (status, head, body) = self.request("GET", target, None);
        assert_eq!(status, 200, "{target}: {body}");
        assert!(head.contains("content-type: application/json"), "{head}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{target}: {e}: {body}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const HOSTILE: &str = "<script>window.__pwned = 1</script> Harbor <img src=x onerror=\"window.__pwned=2\"> Report\n\n\
\"Nobody should <b>trust</b> a bridge built on promises & <script>alert('x')</script>,\" said Ivo Brandt, an engineer.\n";

#[test]
fn the_api_answers_and_refuses_what_it_should() {
    let dir = TempDir::new();
    corpus(&dir);
    dir.file("news/hostile.txt", HOSTILE);
    ok(&onrecord(&["ingest", "news", "--db", "c.db", "-q"], &dir.0));
    let server = Server::start(&dir, "c.db");

    // The page and its assets, under a strict policy.
    let (status, head, body) = server.request("GET", "/", None);
    assert_eq!(status, 200);
    assert!(body.contains("<script src=\"/app.js\""));
    assert!(head.contains("content-security-policy: default-src 'none'; script-src 'self'"));
    assert!(head.contains("x-content-type-options: nosniff"));
    assert!(
        !body.contains("Harbor Report"),
        "the page embeds no corpus text"
    );
    for asset in ["/app.js", "/app.css"] {
        assert_eq!(server.request("GET", asset, None).0, 200, "{asset}");
    }

    // The OpenAPI document lists the API, and every listed GET answers.
    let doc = server.get_json("/openapi.json");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 7);
    let stats = server.get_json("/api/stats");
    assert_eq!(stats["articles"], 5);

    let hits = server.get_json("/api/search?q=replacement&limit=10")["hits"].clone();
    assert_eq!(hits.as_array().unwrap().len(), 2);
    let quote = &hits[0]["quote"];
    let cluster = server.get_json(&format!("/api/quotes/{quote}"));
    assert_eq!(cluster["size"], 3);
    assert_eq!(cluster["first_seen"]["date"], "2024-05-16");
    let by_id = server.get_json(&format!("/api/clusters/{}", cluster["id"]));
    assert_eq!(by_id["occurrences"], cluster["occurrences"]);
    let speaker = &hits[0]["speaker"]["id"];
    let detail = server.get_json(&format!("/api/speakers/{speaker}"));
    assert_eq!(detail["speaker"]["name"], "Elena Marsh");
    assert!(!detail["months"].as_array().unwrap().is_empty());
    let list = server.get_json("/api/speakers?top=5");
    assert!(!list["speakers"].as_array().unwrap().is_empty());
    let named = server.get_json("/api/speakers?name=oyelaran");
    assert_eq!(named["speakers"][0]["name"], "Tomas Oyelaran");
    let filtered = server.get_json(
        "/api/search?q=replacement&outlet=Harbor%20Courier&since=2024-05-01&until=2024-05-31&kind=direct&speaker=Marsh",
    );
    assert_eq!(filtered["hits"].as_array().unwrap().len(), 1);

    // The hostile article comes back as data, markup and all, in JSON.
    let hostile = server.get_json("/api/search?q=promises")["hits"][0].clone();
    assert!(hostile["content"].as_str().unwrap().contains("<script>"));
    let article = server.get_json(&format!("/api/articles/{}", hostile["article"]));
    let text = article["text"].as_str().unwrap();
    assert!(text.starts_with("<script>window.__pwned"));
    // Offsets are code points into the text.
    let q = &article["quotes"][0];
    let chars: Vec<char> = text.chars().collect();
    let (s, e) = (
        q["content"][0].as_u64().unwrap() as usize,
        q["content"][1].as_u64().unwrap() as usize,
    );
    assert_eq!(
        chars[s..e].iter().collect::<String>(),
        q["content_text"].as_str().unwrap()
    );

    // Refusals: a clear status and a JSON error, never a crash.
    let refuse = |method: &str, target: &str, host: Option<&str>, want: u16| {
        let (status, _, body) = server.request(method, target, host);
        assert_eq!(status, want, "{method} {target}: {body}");
        if want != 405 || !body.is_empty() {
            let v: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
            assert!(v["error"].is_string(), "{body}");
        }
    };
    refuse("POST", "/api/search", None, 405);
    refuse("DELETE", "/api/articles/1", None, 405);
    refuse("GET", "/api/articles/999999", None, 404);
    refuse("GET", "/api/articles/abc", None, 400);
    refuse("GET", "/api/search?kind=bogus", None, 400);
    refuse("GET", "/api/search?since=yesterday", None, 400);
    refuse("GET", "/api/search?limit=-1", None, 400);
    refuse("GET", "/nope", None, 404);
    refuse(
        "GET",
        &format!("/api/search?q={}", "a".repeat(5000)),
        None,
        414,
    );
    refuse("GET", "/api/stats", Some("evil.example"), 421);
    refuse("GET", "/api/stats", Some("evil.example:8787"), 421);
    // SQL and FTS syntax in a query are only words.
    let sneaky =
        server.get_json("/api/search?q=%22)%20OR%201%3D1%3B%20DROP%20TABLE%20quotes%3B%20--");
    assert!(sneaky["hits"].is_array());
    assert_eq!(server.get_json("/api/stats")["quotes"], stats["quotes"]);
}

#[test]
fn serve_is_read_only_and_local_by_default() {
    let dir = TempDir::new();
    let out = onrecord(
        &["serve", "--db", "missing.db", "--addr", "127.0.0.1:0"],
        &dir.0,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no such corpus"), "{}", stderr(&out));
    assert!(!dir.0.join("missing.db").exists());
    corpus(&dir);
    ok(&onrecord(&["ingest", "news", "--db", "c.db", "-q"], &dir.0));
    let out = onrecord(&["serve", "--db", "c.db", "--addr", "0.0.0.0:0"], &dir.0);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--public"), "{}", stderr(&out));
    // While it serves, an ingest into the same file goes on (WAL) and shows up.
    let server = Server::start(&dir, "c.db");
    let before = server.get_json("/api/stats")["articles"].as_i64().unwrap();
    dir.file(
        "more/extra.txt",
        "Extra Edition\n\n\"The tide is late today,\" said Ola Berg.\n",
    );
    ok(&onrecord(&["ingest", "more", "--db", "c.db", "-q"], &dir.0));
    assert_eq!(
        server.get_json("/api/stats")["articles"].as_i64().unwrap(),
        before + 1
    );
}
