//! Store tests on hand-made extractions (so they test the store, not the extractor) and a
//! few real extractions of made-up articles.

use crate::query::Query;
use crate::{content_hash, schema, Error, Ingested, Store};
use onrecord_core::extraction::{Entity, EntityTypeName, Quote, QuoteKind, Speaker, TextSpan};
use onrecord_core::{Document, Extraction};

/// A made-up article: quotes given as (speaker name, speaker type, content), each written
/// into the text as `"content," said NAME.` so offsets are real.
fn article(
    id: &str,
    date: &str,
    outlet: &str,
    quotes: &[(&str, EntityTypeName, &str)],
) -> (Extraction, Document) {
    let mut text = format!("Headline of {id}\n\n");
    let mut entities: Vec<Entity> = Vec::new();
    let mut qs = Vec::new();
    for (i, (name, kind, content)) in quotes.iter().enumerate() {
        let start = text.chars().count() + 1;
        text.push('"');
        text.push_str(content);
        let end = text.chars().count();
        text.push_str(",\" said ");
        let cue = (end + 3, end + 7);
        let src_start = text.chars().count();
        text.push_str(name);
        let src_end = text.chars().count();
        text.push_str(".\n\n");
        let eid = match entities.iter().position(|e| e.name == *name) {
            Some(p) => entities[p].id.clone(),
            None => {
                let eid = format!("e{}", entities.len() + 1);
                entities.push(Entity {
                    id: eid.clone(),
                    name: name.to_string(),
                    kind: *kind,
                    mentions: vec![span(&text, src_start, src_end)],
                });
                eid
            }
        };
        qs.push(Quote {
            id: format!("q{}", i + 1),
            kind: QuoteKind::Direct,
            content: span(&text, start, end),
            cue: Some(span(&text, cue.0, cue.1)),
            source: Some(span(&text, src_start, src_end)),
            speaker: Some(Speaker {
                entity: eid,
                name: name.to_string(),
            }),
            confidence: 0.9,
        });
    }
    let doc = Document {
        id: id.to_string(),
        text: text.clone(),
        date: onrecord_core::document::parse_iso_date(date),
        title: Some(format!("Headline of {id}")),
        outlet: Some(outlet.to_string()),
        ..Default::default()
    };
    let x = Extraction {
        schema: onrecord_core::SCHEMA.to_string(),
        id: id.to_string(),
        date: Some(date.to_string()),
        title: doc.title.clone(),
        outlet: doc.outlet.clone(),
        url: None,
        author: None,
        quotes: qs,
        entities,
        dates: Vec::new(),
        text: None,
    };
    (x, doc)
}

fn span(text: &str, start: usize, end: usize) -> TextSpan {
    TextSpan {
        start,
        end,
        text: text.chars().skip(start).take(end - start).collect(),
    }
}

const P: EntityTypeName = EntityTypeName::Person;
const O: EntityTypeName = EntityTypeName::Organization;

fn store_with(articles: &[(Extraction, Document)]) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.ingest_batch(articles.iter().map(|(x, d)| (x, d)))
        .unwrap();
    assert_eq!(s.check().unwrap(), Vec::<String>::new());
    s
}

fn speaker_of(s: &Store, content_word: &str) -> String {
    let hits = s.search(&Query::text(content_word)).unwrap();
    assert!(!hits.is_empty(), "no hit for {content_word}");
    hits[0].speaker.as_ref().unwrap().name.clone()
}

fn entity_of(s: &Store, content_word: &str) -> i64 {
    let hits = s.search(&Query::text(content_word)).unwrap();
    assert_eq!(hits.len(), 1, "{content_word}");
    hits[0].speaker.as_ref().unwrap().id
}

#[test]
fn schema_is_created_with_fts5_and_wal_on_disk() {
    let dir = std::env::temp_dir().join(format!("onrecord-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("schema.db");
    let _ = std::fs::remove_file(&path);
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::SCHEMA_VERSION);
    let mode: String = s
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fts: i64 = s
        .connection()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('quote_fts', 'name_fts')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fts, 2);
    drop(s);
    // Read-only: opens, reads, refuses to write.
    let mut ro = Store::open_read_only(&path).unwrap();
    assert_eq!(ro.stats().unwrap().articles, 0);
    let (x, d) = article(
        "a",
        "2024-01-01",
        "X",
        &[("Ann Lee", P, "one two three four")],
    );
    assert!(matches!(ro.ingest(&x, &d), Err(Error::ReadOnly)));
    assert!(ro.connection().execute("DELETE FROM articles", []).is_err());
    assert!(Store::open_read_only(dir.join("missing.db")).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn migrations_run_in_order_and_newer_schemas_are_refused() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    schema::migrate_with(&mut conn, &[schema::MIGRATIONS[0]]).unwrap();
    assert_eq!(schema::version(&conn).unwrap(), 1);
    // A later version adds to what is there, once.
    let v2: &[&str] = &[schema::MIGRATIONS[0], "CREATE TABLE extra (x INTEGER);"];
    schema::migrate_with(&mut conn, v2).unwrap();
    schema::migrate_with(&mut conn, v2).unwrap();
    assert_eq!(schema::version(&conn).unwrap(), 2);
    // A broken migration leaves the version where it was.
    let bad: &[&str] = &[v2[0], v2[1], "CREATE TABLE extra (y);"];
    assert!(schema::migrate_with(&mut conn, bad).is_err());
    assert_eq!(schema::version(&conn).unwrap(), 2);
    // This code knows one version: the database is newer.
    assert!(matches!(
        schema::migrate_with(&mut conn, &schema::MIGRATIONS[..1]),
        Err(Error::SchemaTooNew {
            found: 2,
            supported: 1
        })
    ));
}

#[test]
fn the_same_article_is_stored_once() {
    let a = article(
        "a",
        "2024-01-01",
        "Ledger",
        &[("Ann Lee", P, "we fixed the roof at last")],
    );
    let mut s = Store::open_in_memory().unwrap();
    let first = s.ingest(&a.0, &a.1).unwrap();
    let Ingested::Added { article, quotes } = first else {
        panic!("{first:?}")
    };
    assert_eq!(quotes, 1);
    assert_eq!(
        s.ingest(&a.0, &a.1).unwrap(),
        Ingested::Duplicate { article }
    );
    // Another file name, same text and outlet: the same article.
    let mut renamed = a.1.clone();
    renamed.id = "copy".into();
    assert_eq!(content_hash(&renamed), content_hash(&a.1));
    let r = s.ingest_batch([(&a.0, &renamed), (&a.0, &a.1)]).unwrap();
    assert_eq!((r.added, r.duplicates), (0, 2));
    // The same text from another outlet is another article.
    let mut wire = a.1.clone();
    wire.outlet = Some("Courier".into());
    assert!(!s.contains(&wire).unwrap());
    assert!(matches!(
        s.ingest(&a.0, &wire).unwrap(),
        Ingested::Added { .. }
    ));
    let st = s.stats().unwrap();
    assert_eq!((st.articles, st.quotes), (2, 2));
    assert_eq!(s.check().unwrap(), Vec::<String>::new());
}

#[test]
fn transliterations_and_bare_surnames_merge_when_unambiguous() {
    let s = store_with(&[
        article(
            "a",
            "2022-03-01",
            "A",
            &[("Volodymyr Zelenskyy", P, "alpha words here now")],
        ),
        article(
            "b",
            "2022-03-02",
            "B",
            &[("Zelensky", P, "bravo words here now")],
        ),
        article(
            "c",
            "2022-03-03",
            "C",
            &[("Zelenskiy", P, "charlie words here now")],
        ),
        article(
            "d",
            "2022-03-04",
            "D",
            &[("Volodymyr Zelensky", P, "delta words here now")],
        ),
        article(
            "e",
            "2022-03-05",
            "E",
            &[("Olena Zelenska", P, "echo words here now")],
        ),
    ]);
    let z = entity_of(&s, "alpha");
    for w in ["bravo", "charlie", "delta"] {
        assert_eq!(entity_of(&s, w), z, "{w}");
    }
    assert_ne!(entity_of(&s, "echo"), z);
    assert_eq!(speaker_of(&s, "charlie"), "Volodymyr Zelenskyy");
    // Every spelling finds him.
    for name in ["Zelenskyy", "Zelenskiy", "Volodymyr Zelensky", "zelensky"] {
        let q = Query {
            speaker: Some(name.into()),
            ..Default::default()
        };
        assert_eq!(s.search(&q).unwrap().len(), 4, "{name}");
    }
    let detail = s.speaker(z, 100).unwrap().unwrap();
    assert_eq!(detail.timeline.len(), 4);
    assert_eq!(detail.names.len(), 4);
    assert_eq!(detail.months, vec![("2022-03".to_string(), 4)]);
}

#[test]
fn two_people_sharing_a_surname_are_never_merged() {
    // The bare surname comes first, then one full name (it joins), then a second (it leaves).
    let mut s = Store::open_in_memory().unwrap();
    let bare = article(
        "a",
        "2016-01-01",
        "A",
        &[("Clinton", P, "alpha words here now")],
    );
    let hillary = article(
        "b",
        "2016-01-02",
        "B",
        &[("Hillary Clinton", P, "bravo words here now")],
    );
    let bill = article(
        "c",
        "2016-01-03",
        "C",
        &[("Bill Clinton", P, "charlie words here now")],
    );
    s.ingest(&bare.0, &bare.1).unwrap();
    s.ingest(&hillary.0, &hillary.1).unwrap();
    assert_eq!(entity_of(&s, "alpha"), entity_of(&s, "bravo"));
    s.ingest(&bill.0, &bill.1).unwrap();
    let (a, b, c) = (
        entity_of(&s, "alpha"),
        entity_of(&s, "bravo"),
        entity_of(&s, "charlie"),
    );
    assert!(a != b && a != c && b != c, "{a} {b} {c}");
    assert_eq!(speaker_of(&s, "alpha"), "Clinton");
    assert_eq!(s.check().unwrap(), Vec::<String>::new());
    // The end state does not depend on the order.
    let t = store_with(&[bill, hillary, bare]);
    assert_eq!(speaker_of(&t, "alpha"), "Clinton");
    assert_ne!(entity_of(&t, "alpha"), entity_of(&t, "bravo"));
    // A bare surname searches every person of that name.
    let q = Query {
        speaker: Some("Clinton".into()),
        ..Default::default()
    };
    assert_eq!(t.search(&q).unwrap().len(), 3);
    let q = Query {
        speaker: Some("Bill Clinton".into()),
        ..Default::default()
    };
    assert_eq!(t.search(&q).unwrap().len(), 1);
    // With text, the filter runs in the full-text index: the moved names' rows follow.
    for (store, word) in [(&s, "alpha"), (&t, "alpha"), (&s, "bravo")] {
        let id = entity_of(store, word);
        let q = Query {
            text: "words".into(),
            speaker: Some(format!("#{id}")),
            ..Default::default()
        };
        let hits = store.search(&q).unwrap();
        assert_eq!(hits.len(), 1, "{word}");
        assert!(hits[0].content.starts_with(word));
    }
    // Father and son are two people.
    let u = store_with(&[
        article(
            "d",
            "2016-01-01",
            "A",
            &[("Donald Trump", P, "delta words here now")],
        ),
        article(
            "e",
            "2016-01-02",
            "A",
            &[("Donald Trump Jr.", P, "echo words here now")],
        ),
    ]);
    assert_ne!(entity_of(&u, "delta"), entity_of(&u, "echo"));
}

#[test]
fn a_name_moved_by_a_later_name_of_the_same_article_keeps_its_quotes() {
    // "Clinton" first joins Hillary (the only Clinton); Bill, later in the same article,
    // makes it ambiguous: its quotes must follow it to the bare entity.
    let s = store_with(&[
        article(
            "a",
            "2016-01-01",
            "A",
            &[("Hillary Clinton", P, "alpha words here now")],
        ),
        article(
            "b",
            "2016-01-02",
            "B",
            &[
                ("Clinton", P, "bravo words here now"),
                ("Bill Clinton", P, "charlie words here now"),
            ],
        ),
    ]);
    assert_eq!(speaker_of(&s, "bravo"), "Clinton");
    assert_ne!(entity_of(&s, "bravo"), entity_of(&s, "alpha"));
    assert_ne!(entity_of(&s, "bravo"), entity_of(&s, "charlie"));
}

#[test]
fn organizations_merge_with_their_short_forms() {
    let s = store_with(&[
        article(
            "a",
            "2022-01-01",
            "A",
            &[("the United Nations", O, "alpha words here now")],
        ),
        article("b", "2022-01-02", "B", &[("UN", O, "bravo words here now")]),
        article(
            "c",
            "2022-01-03",
            "C",
            &[("U.N.", O, "charlie words here now")],
        ),
        article(
            "d",
            "2022-01-04",
            "D",
            &[("United Nations", O, "delta words here now")],
        ),
        article(
            "e",
            "2022-01-05",
            "E",
            &[("Reuters", O, "echo words here now")],
        ),
    ]);
    let un = entity_of(&s, "alpha");
    for w in ["bravo", "charlie", "delta"] {
        assert_eq!(entity_of(&s, w), un, "{w}");
    }
    assert_ne!(entity_of(&s, "echo"), un);
    assert_eq!(speaker_of(&s, "bravo"), "the United Nations");
    let q = Query {
        speaker: Some("UN".into()),
        ..Default::default()
    };
    assert_eq!(s.search(&q).unwrap().len(), 4);
}

const LONG: &str = "They promised us a replacement ten years ago and we are still waiting for a \
                    bridge that never comes";

#[test]
fn clusters_hold_exact_repeats_fragments_and_variants() {
    let s = store_with(&[
        article("late", "2024-05-20", "Courier", &[("Elena Marsh", P, LONG)]),
        article("early", "2024-05-16", "Ledger", &[("Elena Marsh", P, LONG)]),
        article(
            "frag",
            "2024-05-18",
            "Gazette",
            &[("Marsh", P, "we are still waiting for a bridge")],
        ),
        article(
            "cut",
            "2024-05-19",
            "Herald",
            &[(
                "Elena Marsh",
                P,
                "They promised us a replacement ten years ago ... still waiting",
            )],
        ),
        article(
            "edit",
            "2024-05-21",
            "Post",
            &[(
                "Elena Marsh",
                P,
                "They promised us a replacement ten years ago, and we are still waiting for \
                 the bridge that never comes",
            )],
        ),
        article(
            "other",
            "2024-05-17",
            "Ledger",
            &[(
                "Elena Marsh",
                P,
                "The ferry schedule will change next week for everyone",
            )],
        ),
        article(
            "short1",
            "2024-05-17",
            "Ledger",
            &[("Ann Lee", P, "Thank you")],
        ),
        article(
            "short2",
            "2024-05-18",
            "Post",
            &[("Bo Chan", P, "Thank you")],
        ),
    ]);
    let hits = s.search(&Query::text("replacement")).unwrap();
    assert_eq!(hits.len(), 4);
    let c = s.cluster(hits[0].cluster).unwrap().unwrap();
    assert_eq!(c.size, 5, "{c:#?}");
    assert!(hits
        .iter()
        .all(|h| h.cluster == c.id && h.cluster_size == 5));
    let first = c.first_seen.as_ref().unwrap();
    assert_eq!(first.date.as_deref(), Some("2024-05-16"));
    assert_eq!(first.outlet.as_deref(), Some("Ledger"));
    let dates: Vec<_> = c
        .occurrences
        .iter()
        .map(|o| o.date.clone().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert_eq!(
        c.outlets,
        ["Ledger", "Gazette", "Herald", "Courier", "Post"]
    );
    assert_eq!(c.speakers.len(), 1);
    // Unrelated and short quotes stay alone.
    let ferry = &s.search(&Query::text("ferry")).unwrap()[0];
    assert_eq!(ferry.cluster_size, 1);
    let thanks = s.search(&Query::text("\"thank you\"")).unwrap();
    assert_eq!(thanks.len(), 2);
    assert_ne!(thanks[0].cluster, thanks[1].cluster);
    assert_eq!(s.cluster_of_quote(first.quote).unwrap().unwrap().id, c.id);
}

#[test]
fn a_longer_quote_bridges_two_clusters() {
    let s = store_with(&[
        article("a", "2024-01-01", "A", &[("Ann Lee", P, "the harbour bridge must reopen soon")]),
        article("b", "2024-01-02", "B", &[("Ann Lee", P, "the ferries cannot carry everyone alone")]),
        article(
            "c",
            "2024-01-03",
            "C",
            &[(
                "Ann Lee",
                P,
                "the harbour bridge must reopen soon because the ferries cannot carry everyone alone",
            )],
        ),
    ]);
    let a = &s.search(&Query::text("harbour")).unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].cluster, a[1].cluster);
    assert_eq!(a[0].cluster_size, 3);
    let st = s.stats().unwrap();
    assert_eq!(st.repeated_quotes, 1);
}

#[test]
fn search_ranks_with_bm25_and_filters() {
    let s = store_with(&[
        article(
            "a",
            "2024-01-10",
            "Ledger",
            &[
                ("Ann Lee", P, "the tunnel tunnel tunnel is the answer"),
                (
                    "Bo Chan",
                    P,
                    "a tunnel might help the city, among many other things we could try",
                ),
            ],
        ),
        article(
            "b",
            "2024-02-10",
            "Courier",
            &[("Ann Lee", P, "no tunnel will be built this year")],
        ),
        article(
            "c",
            "2024-03-10",
            "Courier",
            &[("Bo Chan", P, "the bridge is fine as it is")],
        ),
    ]);
    let hits = s.search(&Query::text("tunnel")).unwrap();
    assert_eq!(hits.len(), 3);
    assert!(hits[0].content.starts_with("the tunnel tunnel"));
    assert!(hits.windows(2).all(|w| w[0].score <= w[1].score));
    // Stemming: "tunnels" finds "tunnel".
    assert_eq!(s.search(&Query::text("tunnels")).unwrap().len(), 3);
    let q = |f: &dyn Fn(&mut Query)| {
        let mut q = Query::text("tunnel");
        f(&mut q);
        s.search(&q).unwrap().len()
    };
    assert_eq!(q(&|q| q.speaker = Some("Ann Lee".into())), 2);
    assert_eq!(q(&|q| q.speaker = Some("Lee".into())), 2);
    assert_eq!(q(&|q| q.speaker = Some("Nobody Known".into())), 0);
    assert_eq!(q(&|q| q.outlet = Some("courier".into())), 1);
    assert_eq!(q(&|q| q.since = Some("2024-02-01".into())), 1);
    assert_eq!(q(&|q| q.until = Some("2024-01-31".into())), 2);
    assert_eq!(q(&|q| q.kind = Some(QuoteKind::Indirect)), 0);
    assert_eq!(q(&|q| q.limit = Some(1)), 1);
    assert_eq!(q(&|q| q.offset = Some(2)), 1);
    // Filters alone list newest first.
    let all = s
        .search(&Query {
            outlet: Some("Courier".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all[0].date.as_deref(), Some("2024-03-10"));
    // Bad input is an error, not a crash or an injection.
    assert!(s
        .search(&Query {
            since: Some("yesterday".into()),
            ..Default::default()
        })
        .is_err());
    assert!(s
        .search(&Query::text("\") OR 1=1; DROP TABLE quotes; --"))
        .is_ok());
    assert_eq!(s.stats().unwrap().quotes, 4);
    // Speakers by quote count, and by name.
    let top = s.speakers(10).unwrap();
    assert_eq!(top.len(), 2);
    assert_eq!(top[0].quotes, 2);
    assert_eq!(s.find_speakers("Chan").unwrap()[0].name, "Bo Chan");
}

#[test]
fn reindex_rebuilds_and_resumes() {
    let (x, d) = article(
        "a",
        "2024-01-10",
        "Ledger",
        &[("Ann Lee", P, "hand made quote text")],
    );
    let real = Document {
        id: "real".into(),
        text: "Ferry Plan Wins Vote\n\n\"We have waited long enough for this ferry,\" Mara \
               Quill said on Wednesday.\n"
            .into(),
        date: onrecord_core::document::parse_iso_date("2021-11-04"),
        outlet: Some("Ledger".into()),
        ..Default::default()
    };
    let mut s = Store::open_in_memory().unwrap();
    s.ingest(&x, &d).unwrap();
    s.ingest(&onrecord_core::extract(&real), &real).unwrap();
    let before = s.stats().unwrap();
    let r = s.reindex().unwrap();
    assert!(!r.resumed);
    assert_eq!(r.articles, 2);
    // The hand-made extraction is replaced by the extractor's own reading of the text.
    let after = s.stats().unwrap();
    assert_eq!(after.articles, before.articles);
    assert!(!s.search(&Query::text("waited")).unwrap().is_empty());
    assert_eq!(s.check().unwrap(), Vec::<String>::new());
    // An interrupted run (articles left pending) is finished, not restarted.
    s.connection()
        .execute_batch(
            "DELETE FROM quotes WHERE article_id = 2;
             DELETE FROM mentions WHERE article_entity_id IN
                 (SELECT id FROM article_entities WHERE article_id = 2);
             DELETE FROM article_entities WHERE article_id = 2;
             DELETE FROM quote_fts WHERE rowid NOT IN (SELECT id FROM quotes);
             UPDATE clusters SET size = (SELECT count(*) FROM quotes q WHERE q.cluster_id = clusters.id);
             UPDATE articles SET extracted = 0 WHERE id = 2;",
        )
        .unwrap();
    assert_eq!(s.pending().unwrap(), 1);
    let calls = std::cell::Cell::new(0);
    let r = s
        .reindex_with(
            10,
            |docs| {
                calls.set(calls.get() + docs.len());
                docs.iter()
                    .map(|d| Some(onrecord_core::extract(d)))
                    .collect()
            },
            |_, _| {},
        )
        .unwrap();
    assert!(r.resumed);
    assert_eq!((r.articles, calls.get()), (1, 1));
    assert_eq!(s.pending().unwrap(), 0);
}

#[test]
fn articles_come_back_with_offsets() {
    let (x, d) = article(
        "a",
        "2024-01-10",
        "Ledger",
        &[("Ann Lee", P, "the tunnel is the answer")],
    );
    let mut s = Store::open_in_memory().unwrap();
    let Ingested::Added { article: id, .. } = s.ingest(&x, &d).unwrap() else {
        panic!()
    };
    let a = s.article(id).unwrap().unwrap();
    assert_eq!(a.text, d.text);
    let q = &a.quotes[0];
    let chars: Vec<char> = a.text.chars().collect();
    let slice = |(s, e): (i64, i64)| chars[s as usize..e as usize].iter().collect::<String>();
    assert_eq!(slice(q.content), "the tunnel is the answer");
    assert_eq!(slice(q.cue.unwrap()), "said");
    assert_eq!(slice(q.source.unwrap()), "Ann Lee");
    assert_eq!(q.speaker.as_ref().unwrap().name, "Ann Lee");
    assert_eq!(a.entities[0].mentions.len(), 1);
    assert!(s.article(999).unwrap().is_none());
    assert!(s.cluster(999).unwrap().is_none());
    assert!(s.speaker(999, 10).unwrap().is_none());
}

#[test]
fn exports_every_quote() {
    let s = store_with(&[
        article(
            "a",
            "2024-01-10",
            "Ledger, Inc.",
            &[("Ann Lee", P, "say \"yes\", then\nno")],
        ),
        article(
            "b",
            "2024-01-11",
            "Post",
            &[("Bo Chan", P, "fine words here")],
        ),
    ]);
    let mut out = Vec::new();
    assert_eq!(s.export(crate::ExportFormat::Jsonl, &mut out).unwrap(), 2);
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["speaker"], "Ann Lee");
    assert_eq!(lines[0]["outlet"], "Ledger, Inc.");
    assert_eq!(lines[1]["date"], "2024-01-11");
    let mut csv = Vec::new();
    s.export(crate::ExportFormat::Csv, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("quote_id,cluster_id,"));
    assert!(csv.contains("\"Ledger, Inc.\""));
    assert!(csv.contains("\"say \"\"yes\"\", then\nno\""));
    let mut pq = Vec::new();
    assert_eq!(s.export(crate::ExportFormat::Parquet, &mut pq).unwrap(), 2);
    assert_eq!(&pq[..4], b"PAR1");
}

/// A made-up corpus where quotes repeat, cut, edit, extend and bridge each other, with
/// common phrases that make many clusters candidates at once.
fn tangled_quotes(n: usize) -> Vec<String> {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |m: usize| -> usize {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % m.max(1)
    };
    let vocab: Vec<String> = (0..60)
        .map(|i| {
            let syl = ["ka", "lo", "mi", "su", "te", "ra", "no", "vi"];
            format!("{}{}{}", syl[i % 8], syl[(i / 8) % 8], syl[(i * 5 + 3) % 8])
        })
        .collect();
    let common = [
        "at the end of the day",
        "we are going to",
        "i do not think that",
    ];
    let bases: Vec<Vec<String>> = (0..25)
        .map(|_| {
            let len = 8 + next(16);
            let mut w: Vec<String> = (0..len).map(|_| vocab[next(vocab.len())].clone()).collect();
            if next(2) == 0 {
                let at = next(w.len());
                let phrase = common[next(common.len())].split(' ').map(str::to_string);
                w.splice(at..at, phrase);
            }
            w
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let b = &bases[next(bases.len())];
        let q = match next(9) {
            0 => b.join(" ").to_uppercase() + ".",
            1 | 2 => {
                let len = 5 + next(b.len().saturating_sub(5).max(1));
                let from = next(b.len().saturating_sub(len) + 1);
                b[from..(from + len).min(b.len())].join(" ")
            }
            3 => {
                let cut = 2 + next(b.len().saturating_sub(4).max(1));
                let rest = cut + next(3);
                format!(
                    "{} ... {}",
                    b[..cut].join(" "),
                    b[rest.min(b.len())..].join(" ")
                )
            }
            4 => {
                let mut w = b.clone();
                let at = next(w.len());
                match next(3) {
                    0 => w[at] = vocab[next(vocab.len())].clone(),
                    1 => w.insert(at, vocab[next(vocab.len())].clone()),
                    _ => {
                        w.remove(at);
                    }
                }
                w.join(" ")
            }
            5 => {
                let c = &bases[next(bases.len())];
                format!("{}, and {}", b.join(" "), c.join(" "))
            }
            6 => format!("{} {}", b.join(" "), vocab[next(vocab.len())]),
            7 => (0..1 + next(3))
                .map(|_| vocab[next(vocab.len())].as_str())
                .collect::<Vec<_>>()
                .join(" "),
            _ => {
                let mut w: Vec<&str> = (0..6 + next(8))
                    .map(|_| vocab[next(vocab.len())].as_str())
                    .collect();
                let phrase = common[next(common.len())];
                w.insert(next(w.len()), phrase);
                w.join(" ")
            }
        };
        out.push(q);
    }
    out
}

#[test]
fn the_store_clusters_as_cluster_assign_replays() {
    let quotes = tangled_quotes(600);
    let mut articles = Vec::new();
    let mut i = 0;
    while i < quotes.len() {
        let take = 1 + (i * 7 % 4);
        let qs: Vec<(&str, EntityTypeName, &str)> = quotes[i..(i + take).min(quotes.len())]
            .iter()
            .map(|q| ("Ann Lee", P, q.as_str()))
            .collect();
        articles.push(article(&format!("a{i}"), "2024-05-16", "Ledger", &qs));
        i += take;
    }
    // Several transactions and a single ingest: clustering spans them.
    let mut s = Store::open_in_memory().unwrap();
    let (head, tail) = articles.split_at(articles.len() / 2);
    let (one, rest) = tail.split_first().unwrap();
    s.ingest_batch(head.iter().map(|(x, d)| (x, d))).unwrap();
    s.ingest(&one.0, &one.1).unwrap();
    s.ingest_batch(rest.iter().map(|(x, d)| (x, d))).unwrap();
    assert_eq!(s.check().unwrap(), Vec::<String>::new());

    let rows: Vec<(String, i64, String)> = s
        .connection()
        .prepare(
            "SELECT q.content, q.cluster_id, c.rep_norm FROM quotes q
             JOIN clusters c ON c.id = q.cluster_id ORDER BY q.id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(rows.len(), quotes.len());
    // The store's clusters, named by their first quote.
    let mut first: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    let store: Vec<usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| *first.entry(r.1).or_insert(i))
        .collect();

    let mut c = crate::cluster::Clusterer::new();
    let mut moved = 0;
    for (i, r) in rows.iter().enumerate() {
        let now = c.add(&r.0);
        if now != store[i] {
            moved += 1; // merged later into an older cluster
        }
    }
    assert_eq!(c.assignments(), store);
    assert_eq!(
        crate::cluster::assign(rows.iter().map(|r| r.0.as_str())),
        store
    );
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(c.representative(i), Some(r.2.as_str()), "quote {i}");
    }
    // Store ids grow with the first quote, as the replay's names do.
    let mut by_id: Vec<(i64, usize)> = first.into_iter().collect();
    by_id.sort();
    assert!(by_id.windows(2).all(|w| w[0].1 < w[1].1));
    // The corpus exercises what it should: merges, many multi-quote clusters.
    let multi = by_id
        .iter()
        .filter(|(_, f)| store.iter().filter(|s| *s == f).count() > 1)
        .count();
    assert!(moved > 0 && multi >= 10, "moved {moved}, multi {multi}");
}
