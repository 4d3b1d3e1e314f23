//! Predictions in score.py's JSON Lines format: reading, writing, and conversion from
//! onrecord's own output.
//!
//! One line per article: `{"id": NAME, "quotes": [{"content": [[s,e],...], "source":
//! [[s,e],...], "cue": [[s,e],...]}]}`, offsets in code points, end exclusive; a missing
//! or null role is an empty list. The reader also accepts `onrecord/1` extraction records
//! (lines with a `"schema"` field), converted with [`from_extraction`].

use crate::EvalError;
use serde::{Deserialize, Deserializer, Serialize};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

/// A half-open code-point range `(start, end)` into an article's text.
pub type CharSpan = (usize, usize);

/// One attribution, gold or predicted: content, source and cue, each a list of spans
/// (empty when absent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub content: Vec<CharSpan>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub source: Vec<CharSpan>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub cue: Vec<CharSpan>,
}

/// The predictions for one article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PredictionDoc {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub quotes: Vec<Attribution>,
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// The predictions of onrecord's extractor for one article: one attribution per quote,
/// a missing source or cue becoming an empty list.
pub fn from_extraction(ex: &onrecord_core::Extraction) -> PredictionDoc {
    let span = |t: &onrecord_core::extraction::TextSpan| (t.start, t.end);
    PredictionDoc {
        id: ex.id.clone(),
        quotes: ex
            .quotes
            .iter()
            .map(|q| Attribution {
                content: vec![span(&q.content)],
                source: q.source.iter().map(span).collect(),
                cue: q.cue.iter().map(span).collect(),
            })
            .collect(),
    }
}

/// Read predictions from JSON Lines. Blank lines are skipped; a line that is neither a
/// prediction record nor an `onrecord/1` extraction is an error naming `origin` and the
/// line number. Several lines with the same id are kept: scoring pools them.
pub fn read_predictions(
    reader: impl BufRead,
    origin: &str,
) -> Result<Vec<PredictionDoc>, EvalError> {
    let mut docs = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let bad = |message: String| EvalError::BadPrediction {
            origin: origin.to_string(),
            line: i + 1,
            message,
        };
        let line = line.map_err(|e| bad(e.to_string()))?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let doc = if value.get("schema").is_some() {
            let ex: onrecord_core::Extraction =
                serde_json::from_value(value).map_err(|e| bad(format!("onrecord record: {e}")))?;
            from_extraction(&ex)
        } else {
            serde_json::from_value(value).map_err(|e| bad(e.to_string()))?
        };
        docs.push(doc);
    }
    Ok(docs)
}

/// Read a predictions file (see [`read_predictions`]).
pub fn read_predictions_file(path: &Path) -> Result<Vec<PredictionDoc>, EvalError> {
    let file = std::fs::File::open(path).map_err(|e| EvalError::io(path, e))?;
    read_predictions(BufReader::new(file), &path.display().to_string())
}

/// Write predictions as JSON Lines, one article a line.
pub fn write_predictions(mut writer: impl Write, docs: &[PredictionDoc]) -> std::io::Result<()> {
    for doc in docs {
        serde_json::to_writer(&mut writer, doc)?;
        writer.write_all(b"\n")?;
    }
    writer.flush()
}

/// Write a predictions file (see [`write_predictions`]).
pub fn write_predictions_file(path: &Path, docs: &[PredictionDoc]) -> Result<(), EvalError> {
    let write = || -> std::io::Result<()> {
        let file = std::fs::File::create(path)?;
        write_predictions(BufWriter::new(file), docs)
    };
    write().map_err(|source| EvalError::Write {
        what: path.display().to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nulls_missing_and_blank_lines() {
        let src = r#"{"id": "a", "quotes": [{"content": [[5, 9], [1, 3]], "source": null}]}

{"id": "b"}
{"id": "a", "quotes": [{"content": [[20, 25]], "source": [[0, 2]], "cue": []}], "extra": 1}
"#;
        let docs = read_predictions(src.as_bytes(), "mem").unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].quotes[0].content, vec![(5, 9), (1, 3)]);
        assert!(docs[0].quotes[0].source.is_empty() && docs[0].quotes[0].cue.is_empty());
        assert!(docs[1].quotes.is_empty());
        assert_eq!(docs[2].quotes[0].source, vec![(0, 2)]);
    }

    #[test]
    fn bad_lines_are_typed_errors() {
        for src in [
            "{\"id\": 1}",
            "{\"quotes\": []}",
            "not json",
            "{\"id\":\"a\",\"quotes\":[{\"content\":[[-1,2]]}]}",
        ] {
            let err = read_predictions(format!("\n{src}\n").as_bytes(), "p.jsonl").unwrap_err();
            assert!(
                matches!(err, EvalError::BadPrediction { line: 2, .. }),
                "{src}: {err}"
            );
        }
    }

    #[test]
    fn round_trip() {
        let docs = vec![PredictionDoc {
            id: "x_1".into(),
            quotes: vec![Attribution {
                content: vec![(1, 2), (4, 8)],
                source: vec![],
                cue: vec![(9, 10)],
            }],
        }];
        let mut buf = Vec::new();
        write_predictions(&mut buf, &docs).unwrap();
        assert_eq!(
            String::from_utf8(buf.clone()).unwrap(),
            "{\"id\":\"x_1\",\"quotes\":[{\"content\":[[1,2],[4,8]],\"source\":[],\"cue\":[[9,10]]}]}\n"
        );
        assert_eq!(read_predictions(&buf[..], "mem").unwrap(), docs);
    }

    #[test]
    fn converts_extractions() {
        let ex: onrecord_core::Extraction = serde_json::from_str(
            r#"{"schema":"onrecord/1","id":"doc","date":null,"title":null,
                "quotes":[{"id":"q1","kind":"direct",
                  "content":{"start":10,"end":20,"text":"x"},
                  "cue":{"start":22,"end":26,"text":"said"},"source":null,
                  "speaker":null,"confidence":0.9}],
                "entities":[],"dates":[]}"#,
        )
        .unwrap();
        let doc = from_extraction(&ex);
        assert_eq!(doc.id, "doc");
        assert_eq!(
            doc.quotes,
            vec![Attribution {
                content: vec![(10, 20)],
                source: vec![],
                cue: vec![(22, 26)],
            }]
        );
        let line = serde_json::to_string(&ex).unwrap();
        assert_eq!(read_predictions(line.as_bytes(), "mem").unwrap(), vec![doc]);
    }
}
