//! JSON and JSON Lines records, with field names mapped ([`crate::FieldNames`]): takes
//! lines (streamed, one at a time) or a whole JSON value, gives documents through
//! [`onrecord_core::input::record_to_document`], the same decoding as uncompressed input.

use crate::{
    compress, warc::read_line, At, Format, InputDoc, InputItem, Options, Reason, Skip, Unit,
};
use onrecord_core::input::record_to_document;
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::io::BufRead;
use std::sync::Arc;

/// Units from a JSON Lines stream, one line held at a time.
pub(crate) struct JsonlUnits<R> {
    r: R,
    source: Arc<str>,
    stem: String,
    opts: Options,
    line_no: u64,
    buf: Vec<u8>,
    pending: VecDeque<InputItem>,
    done: bool,
}

impl<R: BufRead> JsonlUnits<R> {
    /// `stem` makes the ids of records without one: `STEM-LINENO`.
    pub(crate) fn new(r: R, source: Arc<str>, stem: String, opts: &Options) -> Self {
        JsonlUnits {
            r,
            stem,
            source,
            opts: opts.clone(),
            line_no: 0,
            buf: Vec::new(),
            pending: VecDeque::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonlUnits<R> {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(Unit::Item(item));
            }
            if self.done {
                return None;
            }
            self.buf.clear();
            let cap = self.opts.max_record_bytes;
            let n = match read_line(&mut self.r, &mut self.buf, cap + 1) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    let (reason, detail) = compress::classify(&e);
                    let at = Some(At::Line(self.line_no + 1));
                    return Some(Unit::Item(Err(Skip::new(&self.source, at, reason, detail))));
                }
            };
            self.line_no += 1;
            let at = Some(At::Line(self.line_no));
            if n > cap {
                self.pending.push_back(Err(Skip::new(
                    &self.source,
                    at,
                    Reason::TooLarge,
                    format!("a line of {n} bytes, over the record limit; skipped"),
                )));
                continue;
            }
            let line = String::from_utf8_lossy(&self.buf);
            if matches!(line, std::borrow::Cow::Owned(_)) {
                self.pending.push_back(Err(Skip::new(
                    &self.source,
                    at,
                    Reason::Encoding,
                    "invalid UTF-8 replaced with U+FFFD",
                )));
            }
            let items = json_line(&line, self.line_no, &self.source, &self.stem, &self.opts);
            self.pending.extend(items);
        }
    }
}

/// One line of JSON Lines: nothing for a blank line.
pub(crate) fn json_line(
    line: &str,
    line_no: u64,
    source: &Arc<str>,
    stem: &str,
    opts: &Options,
) -> Vec<InputItem> {
    let line = line.trim_start_matches('\u{feff}').trim();
    if line.is_empty() {
        return Vec::new();
    }
    let at = Some(At::Line(line_no));
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(obj)) => record(
            obj,
            format!("{stem}-{line_no}"),
            at,
            source,
            opts,
            Format::JsonLines,
        ),
        Ok(_) => vec![Err(Skip::new(
            source,
            at,
            Reason::BadJson,
            "not a JSON object; skipped",
        ))],
        Err(e) => vec![Err(Skip::new(
            source,
            at,
            Reason::BadJson,
            format!(
                "not valid JSON ({} at column {}); skipped",
                json_error_reason(&e),
                e.column()
            ),
        ))],
    }
}

/// A whole JSON value, an object or an array of objects; None when the text is not one.
pub(crate) fn json_whole(
    text: &str,
    source: &Arc<str>,
    stem: &str,
    opts: &Options,
) -> Option<Vec<InputItem>> {
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    Some(match value {
        Value::Object(obj) => record(obj, stem.to_string(), None, source, opts, Format::Json),
        Value::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                let n = i as u64 + 1;
                let at = Some(At::Record(n));
                match item {
                    Value::Object(obj) => out.extend(record(
                        obj,
                        format!("{stem}-{n}"),
                        at,
                        source,
                        opts,
                        Format::Json,
                    )),
                    _ => out.push(Err(Skip::new(
                        source,
                        at,
                        Reason::BadJson,
                        "not a JSON object; skipped",
                    ))),
                }
            }
            out
        }
        _ => return None,
    })
}

/// A record to a document (and notes), its fields renamed first.
fn record(
    mut obj: Map<String, Value>,
    default_id: String,
    at: Option<At>,
    source: &Arc<str>,
    opts: &Options,
    format: Format,
) -> Vec<InputItem> {
    let text_name = opts.fields.text.as_str();
    if !obj.contains_key(text_name) {
        return vec![Err(Skip::new(
            source,
            at,
            Reason::NoText,
            format!("no {text_name:?} field; skipped"),
        ))];
    }
    // Values a mapped field displaces go back into metadata under their own name.
    let mut displaced = Vec::new();
    for (std, name) in opts.fields.renamed() {
        if let Some(v) = obj.remove(name) {
            if let Some(old) = obj.insert(std.to_string(), v) {
                displaced.push((std, old));
            }
        }
    }
    let mut notes = Vec::new();
    let mut out = Vec::new();
    match record_to_document(obj, default_id, &opts.input, &mut notes) {
        Ok(mut doc) => {
            for (k, v) in displaced {
                doc.metadata.insert(k.to_string(), v);
            }
            out.push(Ok(InputDoc {
                document: doc,
                source: source.clone(),
                at,
                format,
            }));
        }
        Err(reason) => {
            // The only refusal is a text that is missing or not a string.
            let reason = reason.replace("\"text\"", &format!("{text_name:?}"));
            out.push(Err(Skip::new(
                source,
                at,
                Reason::NoText,
                format!("{reason}; skipped"),
            )));
        }
    }
    out.extend(
        notes
            .into_iter()
            .map(|n| Err(Skip::new(source, at, Reason::Metadata, n))),
    );
    out
}

/// serde_json's message without its own "at line L column C".
fn json_error_reason(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldNames;

    fn src() -> Arc<str> {
        Arc::from("dump.jsonl")
    }

    #[test]
    fn mapped_fields() {
        let opts = Options {
            fields: FieldNames {
                text: "maintext".into(),
                date: "date_publish".into(),
                outlet: "source_domain".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let line = r#"{"maintext": "Body.", "text": "teaser", "date_publish": "2019-04-01 10:00:00", "source_domain": "x.test", "title": "T"}"#;
        let items = json_line(line, 4, &src(), "dump", &opts);
        assert_eq!(items.len(), 1);
        let d = items[0].as_ref().unwrap();
        assert_eq!(d.document.text, "Body.");
        assert_eq!(d.document.id, "dump-4");
        assert_eq!(d.document.date.unwrap().to_string(), "2019-04-01");
        assert_eq!(d.document.outlet.as_deref(), Some("x.test"));
        assert_eq!(d.document.metadata["text"], "teaser");
        let items = json_line(r#"{"text": "x"}"#, 5, &src(), "dump", &opts);
        let e = items[0].as_ref().unwrap_err();
        assert_eq!(e.reason, Reason::NoText);
        assert!(e.detail.contains("\"maintext\""), "{}", e.detail);
        let items = json_line(r#"{"maintext": 3}"#, 5, &src(), "dump", &opts);
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .detail
            .contains("\"maintext\" is a number"));
    }

    #[test]
    fn broken_lines_and_notes() {
        let opts = Options::default();
        assert!(json_line("  ", 1, &src(), "d", &opts).is_empty());
        let e = json_line("{oops", 2, &src(), "d", &opts);
        assert_eq!(e[0].as_ref().unwrap_err().reason, Reason::BadJson);
        let e = json_line("[1]", 2, &src(), "d", &opts);
        assert_eq!(e[0].as_ref().unwrap_err().reason, Reason::BadJson);
        let items = json_line(r#"{"text": "a", "date": "soon"}"#, 3, &src(), "d", &opts);
        assert!(items[0].is_ok());
        assert_eq!(items[1].as_ref().unwrap_err().reason, Reason::Metadata);
    }

    #[test]
    fn streaming_lines() {
        let input = b"{\"text\": \"A.\"}\nnope\n\n{\"text\": \"B\xff.\"}\n{\"id\": \"z\", \"text\": \"C.\"}";
        let units: Vec<_> =
            JsonlUnits::new(&input[..], src(), "dump".into(), &Options::default()).collect();
        let got: Vec<String> = units
            .into_iter()
            .map(|u| match u {
                Unit::Item(Ok(d)) => d.document.id,
                Unit::Item(Err(s)) => format!("{:?}", s.reason),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(got, ["dump-1", "BadJson", "Encoding", "dump-4", "z"]);
    }

    #[test]
    fn whole_json() {
        let items = json_whole(
            r#"[{"text": "A."}, 3, {"id": "x", "text": "B."}]"#,
            &src(),
            "m",
            &Options::default(),
        )
        .unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].as_ref().unwrap().document.id, "m-1");
        assert_eq!(items[1].as_ref().unwrap_err().at, Some(At::Record(2)));
        assert!(json_whole("3", &src(), "m", &Options::default()).is_none());
        assert!(json_whole("{", &src(), "m", &Options::default()).is_none());
    }
}
