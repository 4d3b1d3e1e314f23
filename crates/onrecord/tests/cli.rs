//! The `onrecord` command as a user runs it: files in a temporary directory, stdout and
//! stderr read back. The articles are made up for these tests.

mod common;

use common::{ids, lines, stderr, stdout, TempDir};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const ARTICLE: &str = "Harbour Council Approves Ferry Plan\n\n\
The new ferry will run every hour, the council said on Monday.\n\n\
\"It is a good day for the island,\" said Mara Quill, who chairs the council.\n\n\
Critics said the fares were too high.\n";

const DATED: &str = " date 2021-11-04 The council voted on the ferry plan\n\n\
Ferry Plan Wins Council Vote\n\n\
\"We have waited long enough,\" Mara Quill said on Wednesday.\n";

fn onrecord(args: &[&str], cwd: &Path, stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onrecord"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run onrecord");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        // Written from a thread so a full stdout pipe cannot deadlock the test.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    child.wait_with_output().expect("wait for onrecord")
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(o), stderr(o)))
}

#[test]
fn one_file_gives_one_pretty_object() {
    let dir = TempDir::new();
    dir.file("ferry-plan.txt", ARTICLE);
    let o = onrecord(&["extract", "ferry-plan.txt"], &dir.0, None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    assert!(stdout(&o).starts_with("{\n"), "pretty-printed");
    let v = json(&o);
    assert_eq!(v["schema"], "onrecord/1");
    assert_eq!(v["id"], "ferry-plan");
    assert_eq!(v["title"], "Harbour Council Approves Ferry Plan");
    assert_eq!(v["date"], Value::Null);
    assert!(v["quotes"].is_array());
    assert!(v["entities"].is_array());
    assert!(v["dates"].is_array());
    // Every quote's content slices the article by code points.
    let chars: Vec<char> = ARTICLE.chars().collect();
    for q in v["quotes"].as_array().unwrap() {
        let c = &q["content"];
        let (s, e) = (c["start"].as_u64().unwrap(), c["end"].as_u64().unwrap());
        let slice: String = chars[s as usize..e as usize].iter().collect();
        assert_eq!(slice, c["text"].as_str().unwrap());
    }
}

#[test]
fn several_files_give_json_lines_in_input_order() {
    let dir = TempDir::new();
    dir.file("b.txt", ARTICLE);
    dir.file("a.txt", DATED);
    dir.file("c", "Plain words here.\n");
    let o = onrecord(&["extract", "b.txt", "a.txt", "c", "b.txt"], &dir.0, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = lines(&o);
    assert_eq!(ids(&out), ["b", "a", "c", "b"]);
    assert!(out.iter().all(|v| v["schema"] == "onrecord/1"));
}

#[test]
fn directories_are_walked_in_sorted_order() {
    let dir = TempDir::new();
    dir.file("corpus/zeta.txt", ARTICLE);
    dir.file("corpus/alpha.text", ARTICLE);
    dir.file(
        "corpus/mid/feed.jsonl",
        "{\"text\": \"One.\"}\n{\"id\": \"r2\", \"text\": \"Two.\"}\n",
    );
    dir.file("corpus/notes.md", "ignored");
    dir.file("corpus/.hidden.txt", "ignored");
    let o = onrecord(&["extract", "corpus"], &dir.0, None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(ids(&lines(&o)), ["alpha", "feed-1", "r2", "zeta"]);
}

#[test]
fn stdin_is_read_with_dash() {
    let dir = TempDir::new();
    let o = onrecord(&["extract", "-"], &dir.0, Some(ARTICLE.as_bytes()));
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["id"], "stdin");
    assert_eq!(v["title"], "Harbour Council Approves Ferry Plan");

    let feed = "{\"id\": \"x1\", \"text\": \"A.\"}\n{\"text\": \"B.\"}\n";
    let o = onrecord(&["extract", "-"], &dir.0, Some(feed.as_bytes()));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(ids(&lines(&o)), ["x1", "stdin-2"]);

    let feed = "{\"text\": \"A.\"}\n{oops\n{\"text\": \"C.\"}\n";
    let o = onrecord(&["extract", "-"], &dir.0, Some(feed.as_bytes()));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(ids(&lines(&o)), ["stdin-1", "stdin-3"]);
    assert!(stderr(&o).starts_with("onrecord: warning: <stdin>: line 2: not valid JSON"));
}

#[test]
fn date_option_sets_and_overrides() {
    let dir = TempDir::new();
    dir.file("plain.txt", ARTICLE);
    dir.file("dated.txt", DATED);
    let o = onrecord(
        &["extract", "--date", "2022-03-10", "plain.txt"],
        &dir.0,
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["date"], "2022-03-10");
    let o = onrecord(
        &["extract", "dated.txt", "--date", "2020-01-31"],
        &dir.0,
        None,
    );
    assert_eq!(json(&o)["date"], "2020-01-31");

    for bad in ["2022-02-30", "10/03/2022", "yesterday"] {
        let o = onrecord(&["extract", "--date", bad, "plain.txt"], &dir.0, None);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("--date"), "{}", stderr(&o));
        assert_eq!(stdout(&o), "");
    }
}

#[test]
fn dated_layout_sets_date_and_title() {
    let dir = TempDir::new();
    dir.file("vote.txt", DATED);
    let o = onrecord(&["extract", "vote.txt"], &dir.0, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["id"], "vote");
    assert_eq!(v["date"], "2021-11-04");
    assert_eq!(v["title"], "Ferry Plan Wins Council Vote");
    // Offsets refer to the whole file, header line included: nothing found in it.
    let header_chars = DATED.find('\n').unwrap() as u64;
    for q in v["quotes"].as_array().unwrap() {
        assert!(q["content"]["start"].as_u64().unwrap() > header_chars);
    }
}

#[test]
fn invalid_utf8_warns_and_still_outputs() {
    let dir = TempDir::new();
    let mut bytes = ARTICLE.as_bytes().to_vec();
    bytes.extend(b"The caf\xe9 owner said \"fine\".\n");
    dir.file("latin.txt", bytes);
    let o = onrecord(&["extract", "latin.txt"], &dir.0, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("onrecord: warning: latin.txt: invalid UTF-8"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
    assert_eq!(json(&o)["id"], "latin");
}

#[test]
fn binary_file_is_one_error_line_and_exit_2() {
    let dir = TempDir::new();
    dir.file("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00");
    let o = onrecord(&["extract", "image.txt"], &dir.0, None);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("onrecord: error: image.txt: binary"),
        "{err}"
    );
}

#[test]
fn missing_file_errors_but_others_are_processed() {
    let dir = TempDir::new();
    dir.file("one.txt", ARTICLE);
    dir.file("two.txt", DATED);
    let o = onrecord(&["extract", "one.txt", "nope.txt", "two.txt"], &dir.0, None);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(ids(&lines(&o)), ["one", "two"]);
    let err = stderr(&o);
    assert_eq!(
        err.trim_end(),
        "onrecord: error: nope.txt: no such file or directory"
    );

    let o = onrecord(&["extract", "nope.txt"], &dir.0, None);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
}

#[test]
fn empty_file_gives_an_empty_result() {
    let dir = TempDir::new();
    dir.file("empty.txt", "");
    let o = onrecord(&["extract", "empty.txt"], &dir.0, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["id"], "empty");
    assert_eq!(v["quotes"], Value::Array(vec![]));
    assert_eq!(v["title"], Value::Null);
}

#[test]
fn table_format_in_a_pipe_has_no_colours() {
    let dir = TempDir::new();
    dir.file("ferry.txt", ARTICLE);
    let o = onrecord(&["extract", "--format", "table", "ferry.txt"], &dir.0, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "{out}");
    assert!(out.starts_with("ferry"), "{out}");
    assert!(out.contains("Harbour Council Approves Ferry Plan"));

    let o = onrecord(
        &["extract", "-f", "table", "--color", "always", "ferry.txt"],
        &dir.0,
        None,
    );
    assert!(stdout(&o).contains("\x1b["));
}

#[test]
fn json_lines_input_with_a_broken_line_warns_and_continues() {
    let dir = TempDir::new();
    dir.file(
        "feed.jsonl",
        "{\"id\": \"first\", \"date\": \"2021-05-06\", \"outlet\": \"Island Post\", \"text\": \"Calm seas.\"}\n\
         {\"id\": \"broken\", \"text\": \n\
         {\"title\": \"no text\"}\n\
         {\"text\": \"Last one.\", \"section\": \"news\"}\n",
    );
    let o = onrecord(&["extract", "feed.jsonl"], &dir.0, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = lines(&o);
    assert_eq!(ids(&out), ["first", "feed-4"]);
    assert_eq!(out[0]["date"], "2021-05-06");
    assert_eq!(out[0]["outlet"], "Island Post");
    let err = stderr(&o);
    let warnings: Vec<&str> = err.lines().collect();
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(warnings[0].starts_with("onrecord: warning: feed.jsonl: line 2:"));
    assert!(warnings[1].starts_with("onrecord: warning: feed.jsonl: line 3:"));
}

#[test]
fn format_overrides() {
    let dir = TempDir::new();
    dir.file("a.txt", ARTICLE);
    dir.file("b.txt", DATED);
    // jsonl for one document: one compact line.
    let o = onrecord(&["extract", "-f", "jsonl", "a.txt"], &dir.0, None);
    assert_eq!(stdout(&o).lines().count(), 1);
    assert_eq!(ids(&lines(&o)), ["a"]);
    // json for several: one array.
    let o = onrecord(&["extract", "-f", "json", "a.txt", "b.txt"], &dir.0, None);
    assert_eq!(ids(json(&o).as_array().unwrap()), ["a", "b"]);
}

#[test]
fn version_and_help() {
    let dir = TempDir::new();
    let o = onrecord(&["--version"], &dir.0, None);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("onrecord "));
    let o = onrecord(&["extract", "--help"], &dir.0, None);
    assert!(o.status.success());
    assert!(stdout(&o).contains("Examples:"));
}
