//! The public output: schema `onrecord/1` (see docs/CONTRACT.md).
//!
//! Offsets here are Unicode code points into the document text, end exclusive; every
//! span carries the text it covers.

use crate::analysis::{Analysis, AttributionKind, EntityType};
use crate::document::Document;
use crate::span::{CharIndex, Span};
use serde::{Deserialize, Serialize};

pub const SCHEMA: &str = "onrecord/1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub schema: String,
    pub id: String,
    pub date: Option<String>,
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The byline, when the input names one (HTML pages, an `author` field in JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub quotes: Vec<Quote>,
    pub entities: Vec<Entity>,
    pub dates: Vec<DateValue>,
    /// The document text every offset refers to, when it is not the input file as given
    /// (the text extracted from an HTML page or a web archive record). Set by the caller
    /// that knows where the text came from; `from_analysis` leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A span of the document in code points, with its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Mixed,
    Indirect,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub id: String,
    pub kind: QuoteKind,
    pub content: TextSpan,
    pub cue: Option<TextSpan>,
    pub source: Option<TextSpan>,
    pub speaker: Option<Speaker>,
    pub confidence: f32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    pub entity: String,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityTypeName {
    Person,
    Organization,
    Location,
    Other,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityTypeName,
    pub mentions: Vec<TextSpan>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateValue {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub value: String,
}

impl Extraction {
    pub fn from_analysis(doc: &Document, analysis: &Analysis) -> Extraction {
        let text = doc.text.as_str();
        let index = CharIndex::new(text);
        let span = |s: Span| TextSpan {
            start: index.chars(s.start),
            end: index.chars(s.end),
            text: s.slice(text).to_string(),
        };
        let entity_id = |i: usize| format!("e{}", i + 1);
        let quotes = analysis
            .attributions
            .iter()
            .enumerate()
            .map(|(i, a)| Quote {
                id: format!("q{}", i + 1),
                kind: match a.kind {
                    AttributionKind::Direct => QuoteKind::Direct,
                    AttributionKind::Mixed => QuoteKind::Mixed,
                    AttributionKind::Indirect => QuoteKind::Indirect,
                },
                content: span(a.content),
                cue: a.cue.map(span),
                source: a.source.map(span),
                speaker: a.speaker.map(|e| Speaker {
                    entity: entity_id(e),
                    name: analysis.entities[e].name.clone(),
                }),
                confidence: (a.confidence * 100.0).round() / 100.0,
            })
            .collect();
        let entities = analysis
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| Entity {
                id: entity_id(i),
                name: e.name.clone(),
                kind: match e.kind {
                    EntityType::Person => EntityTypeName::Person,
                    EntityType::Organization => EntityTypeName::Organization,
                    EntityType::Location => EntityTypeName::Location,
                    EntityType::Other => EntityTypeName::Other,
                },
                mentions: e.mentions.iter().map(|&m| span(m)).collect(),
            })
            .collect();
        let dates = analysis
            .dates
            .iter()
            .map(|d| {
                let t = span(d.span);
                DateValue {
                    start: t.start,
                    end: t.end,
                    text: t.text,
                    value: d.value.clone(),
                }
            })
            .collect();
        Extraction {
            schema: SCHEMA.to_string(),
            id: doc.id.clone(),
            date: doc.date.map(|d| d.to_string()),
            title: doc.title.clone(),
            outlet: doc.outlet.clone(),
            url: doc.url.clone(),
            author: match doc.metadata.get("author") {
                Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
                _ => None,
            },
            quotes,
            entities,
            dates,
            text: None,
        }
    }
}
