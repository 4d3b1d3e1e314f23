use super::model::{self, Kind, ModelData};
use super::train::{self, Config, Sentence};
use super::*;

/// A few hand-tagged sentences: `word/TAG/CLASS` with CLASS one of - P O L M.
const SLICE: &[&str] = &[
    "The/DT/- senator/NN/- said/VBD/- on/IN/- Monday/NNP/- that/IN/- she/PRP/- would/MD/- \
     vote/VB/- against/IN/- the/DT/- bill/NN/- ./././-",
    "Maria/NNP/P Lopez/NNP/P ,/,/- a/DT/- spokeswoman/NN/- for/IN/- Acme/NNP/O Corp./NNP/O \
     ,/,/- declined/VBD/- to/TO/- comment/VB/- ./././-",
    "“/``/- We/PRP/- are/VBP/- not/RB/- going/VBG/- to/TO/- back/VB/- down/RP/- ,/,/- ”/''/- \
     Mr./NNP/- Okafor/NNP/P told/VBD/- reporters/NNS/- in/IN/- Lagos/NNP/L ./././-",
    "The/DT/- Federal/NNP/O Reserve/NNP/O raised/VBD/- rates/NNS/- by/IN/- 0.25/CD/- \
     percentage/NN/- points/NNS/- ./././-",
    "Officials/NNS/- in/IN/- Ohio/NNP/L said/VBD/- the/DT/- count/NN/- was/VBD/- n't/RB/- \
     finished/VBN/- ./././-",
    "He/PRP/- has/VBZ/- visited/VBN/- Paris/NNP/L ,/,/- Berlin/NNP/L and/CC/- Rome/NNP/L \
     this/DT/- year/NN/- ./././-",
    "The/DT/- French/JJ/M ambassador/NN/- met/VBD/- Prime/NNP/- Minister/NNP/- Ana/NNP/P \
     Silva/NNP/P ./././-",
    "Voters/NNS/- who/WP/- backed/VBD/- the/DT/- measure/NN/- said/VBD/- it/PRP/- was/VBD/- \
     about/IN/- jobs/NNS/- ./././-",
    "Greenpeace/NNP/O 's/POS/- report/NN/- ,/,/- released/VBN/- Tuesday/NNP/- ,/,/- \
     warned/VBD/- of/IN/- rising/VBG/- seas/NNS/- ./././-",
    "“/``/- It/PRP/- 's/VBZ/- a/DT/- disaster/NN/- ,/,/- ”/''/- said/VBD/- John/NNP/P \
     Smith/NNP/P ,/,/- 54/CD/- ./././-",
    "The/DT/- company/NN/- earned/VBD/- $/$/- 3/CD/- million/CD/- (/-LRB-/- after/IN/- \
     taxes/NNS/- )/-RRB-/- ./././-",
    "Is/VBZ/- this/DT/- the/DT/- best/JJS/- plan/NN/- ?/././-",
];

fn slice() -> Vec<Sentence> {
    SLICE
        .iter()
        .map(|line| {
            let mut s = Sentence::default();
            for item in line.split_whitespace() {
                let mut parts = item.rsplitn(3, '/');
                let class = parts.next().unwrap();
                let tag = parts.next().unwrap();
                let word = parts.next().unwrap();
                s.words.push(word.to_string());
                s.pos
                    .push(Pos::from_penn(tag).unwrap_or_else(|| panic!("tag {tag}")));
                s.ner.push(match class {
                    "P" => Some(EntityClass::Person),
                    "O" => Some(EntityClass::Organization),
                    "L" => Some(EntityClass::Location),
                    "M" => Some(EntityClass::Misc),
                    _ => None,
                });
            }
            s
        })
        .collect()
}

fn small(cfg: Config) -> Config {
    Config {
        epochs: 5,
        prune: 0.0,
        min_fold_count: 2,
        ..cfg
    }
}

fn trained() -> (Vec<u8>, Vec<u8>) {
    let sents = slice();
    let pos = train::train_pos(&sents, &small(Config::pos()), &mut |_| {});
    let ner = train::train_ner(&sents, &small(Config::ner()), &mut |_| {});
    (pos, ner)
}

#[test]
fn training_is_deterministic() {
    let (pos_a, ner_a) = trained();
    let (pos_b, ner_b) = trained();
    assert_eq!(pos_a, pos_b);
    assert_eq!(ner_a, ner_b);
}

#[test]
fn trained_models_round_trip_and_fit_their_data() {
    let (pos_bytes, ner_bytes) = trained();
    let data = model::decode(Kind::Pos, &pos_bytes).unwrap();
    assert!(!data.rows.is_empty() && !data.words.is_empty());
    assert_eq!(model::encode(Kind::Pos, &data), pos_bytes);
    let data = model::decode(Kind::Ner, &ner_bytes).unwrap();
    assert_eq!(model::encode(Kind::Ner, &data), ner_bytes);

    let sents = slice();
    let pos = PosTagger::from_bytes(&pos_bytes).unwrap();
    let acc = eval::pos_accuracy(&pos, &sents);
    assert!(acc.value() > 0.95, "{acc:?}");
    let ner = NerTagger::from_bytes(&ner_bytes).unwrap();
    let (prf, _) = eval::ner_scores(&pos, &ner, &sents);
    assert!(prf.f1() > 0.9, "{prf:?}");
}

#[test]
fn hand_built_model_data_round_trips() {
    let data = ModelData {
        feature_version: 7,
        labels: vec!["A".into(), "B".into(), "C".into()],
        scale: 0.5,
        rows: vec![
            (3, vec![(0, 5), (2, -7)]),
            (9, vec![(1, i16::MAX)]),
            (u32::MAX, vec![(2, i16::MIN)]),
        ],
        words: vec![
            (1, [vec![0, 2], vec![], vec![1], vec![0, 1, 2], vec![]]),
            (70_000, Default::default()),
        ],
    };
    let bytes = model::encode(Kind::Ner, &data);
    assert_eq!(model::decode(Kind::Ner, &bytes).unwrap(), data);
}

#[test]
fn bad_bytes_give_typed_errors() {
    let (pos_bytes, ner_bytes) = trained();
    assert_eq!(PosTagger::from_bytes(&[]).unwrap_err(), ModelError::Empty);
    assert_eq!(
        PosTagger::from_bytes(b"PK\x03\x04 not a model").unwrap_err(),
        ModelError::BadMagic
    );
    // cut anywhere: truncated, never a panic
    for cut in [
        1,
        5,
        8,
        12,
        16,
        17,
        pos_bytes.len() / 2,
        pos_bytes.len() - 1,
    ] {
        let err = PosTagger::from_bytes(&pos_bytes[..cut]).unwrap_err();
        assert!(
            matches!(err, ModelError::Truncated { .. }),
            "cut {cut}: {err}"
        );
    }
    // one flipped bit in the payload
    let mut corrupt = pos_bytes.clone();
    let mid = corrupt.len() / 2;
    corrupt[mid] ^= 0x10;
    assert!(matches!(
        PosTagger::from_bytes(&corrupt).unwrap_err(),
        ModelError::Checksum { .. }
    ));
    // another format version
    let mut newer = pos_bytes.clone();
    newer[8..10].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    assert_eq!(
        PosTagger::from_bytes(&newer).unwrap_err(),
        ModelError::UnsupportedVersion {
            found: FORMAT_VERSION + 1,
            supported: FORMAT_VERSION
        }
    );
    // the other tagger's model
    assert!(matches!(
        NerTagger::from_bytes(&pos_bytes).unwrap_err(),
        ModelError::WrongKind { .. }
    ));
    assert!(matches!(
        PosTagger::from_bytes(&ner_bytes).unwrap_err(),
        ModelError::WrongKind { .. }
    ));
    let mut longer = pos_bytes.clone();
    longer.push(0);
    assert!(matches!(
        PosTagger::from_bytes(&longer).unwrap_err(),
        ModelError::Malformed(_)
    ));
    // every error says what went wrong
    assert!(ModelError::Empty.to_string().contains("empty"));
}

/// Re-seal a payload with a valid checksum, so the decoder has to cope with its content.
fn reseal(mut bytes: Vec<u8>) -> Vec<u8> {
    let n = bytes.len() - 4;
    let crc = model::crc32(&bytes[..n]);
    bytes[n..].copy_from_slice(&crc.to_le_bytes());
    bytes
}

#[test]
fn corrupt_payloads_with_valid_checksums_never_panic() {
    let (pos_bytes, ner_bytes) = trained();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..400 {
        let base = if round % 2 == 0 {
            &pos_bytes
        } else {
            &ner_bytes
        };
        let mut bytes = base.clone();
        for _ in 0..1 + next() % 4 {
            let i = 16 + (next() as usize) % (bytes.len() - 20);
            bytes[i] = next() as u8;
        }
        let bytes = reseal(bytes);
        // either error is fine; a model that loads must also tag
        if let Ok(t) = PosTagger::from_bytes(&bytes) {
            t.tag_vec(&["A", "test", "."]);
        }
        if let Ok(t) = NerTagger::from_bytes(&bytes) {
            t.entities(&["A", "test", "."], &[]);
        }
    }
}

#[test]
fn other_feature_sets_and_labels_are_refused() {
    let (pos_bytes, _) = trained();
    let mut data = model::decode(Kind::Pos, &pos_bytes).unwrap();
    data.feature_version += 1;
    assert!(matches!(
        PosTagger::from_bytes(&model::encode(Kind::Pos, &data)).unwrap_err(),
        ModelError::FeatureMismatch { .. }
    ));
    data.feature_version -= 1;
    data.labels.swap(0, 1);
    assert_eq!(
        PosTagger::from_bytes(&model::encode(Kind::Pos, &data)).unwrap_err(),
        ModelError::LabelMismatch
    );
}

fn tags(words: &str) -> String {
    let words: Vec<&str> = words.split(' ').collect();
    let tags = PosTagger::builtin().tag_vec(&words);
    tags.iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn builtin_pos_tagger_tags_plain_sentences() {
    assert_eq!(
        tags("The president said he would sign the bill ."),
        "DT NN VBD PRP MD VB DT NN ."
    );
    assert_eq!(
        tags("“ We do n't know , ” the mayor 's spokesman told reporters on Tuesday ."),
        "`` PRP VBP RB VB , '' DT NN POS NN VBD NNS IN NNP ."
    );
    assert_eq!(
        tags("Two U.S. officials said the talks had collapsed ."),
        "CD NNP NNS VBD DT NNS VBD VBN ."
    );
    assert_eq!(
        tags("She expects prices to rise by 5 % next year ."),
        "PRP VBZ NNS TO VB IN CD NN JJ NN ."
    );
}

#[test]
fn builtin_ner_tagger_finds_entities() {
    let words: Vec<&str> = "Senator Elizabeth Warren met officials from the World Bank in Paris ."
        .split(' ')
        .collect();
    let pos = PosTagger::builtin().tag_vec(&words);
    let mut found = NerTagger::builtin().entities(&words, &pos);
    found.sort_by_key(|e| e.0.start);
    let found: Vec<(String, EntityClass)> = found
        .into_iter()
        .map(|(r, c)| (words[r].join(" "), c))
        .collect();
    assert_eq!(
        found,
        [
            ("Elizabeth Warren".to_string(), EntityClass::Person),
            ("World Bank".to_string(), EntityClass::Organization),
            ("Paris".to_string(), EntityClass::Location),
        ]
    );
}

#[test]
fn taggers_cope_with_any_input() {
    let pos = PosTagger::builtin();
    let ner = NerTagger::builtin();
    let (mut p, mut n) = (vec![Pos::CC; 3], vec![NerTag::O; 3]);
    pos.tag(&[], &mut p);
    assert!(p.is_empty());
    ner.tag(&[], &[], &mut n);
    assert!(n.is_empty());

    for short in [&["Yes"][..], &["Obama", "spoke"][..], &["“", "No", "."][..]] {
        pos.tag(short, &mut p);
        assert_eq!(p.len(), short.len());
        ner.tag(short, &p, &mut n);
        assert_eq!(n.len(), short.len());
    }

    let odd = [
        "",
        " ",
        "Ελλάδα",
        "北京",
        "🙂",
        "İstanbul",
        "ǅ",
        "\u{0}",
        "a\u{301}",
        "--",
        "...",
        "x".repeat(300).leak(),
    ];
    pos.tag(&odd, &mut p);
    assert_eq!(p.len(), odd.len());
    ner.tag(&odd, &p, &mut n);
    assert_eq!(n.len(), odd.len());
    // tags missing or too many: still one label per word
    ner.tag(&odd, &p[..2], &mut n);
    assert_eq!(n.len(), odd.len());

    let long: Vec<&str> = (0..10_000)
        .map(|i| {
            [
                "The", "Senate", "voted", "on", "Friday", ",", "said", "Smith",
            ][i % 8]
        })
        .collect();
    pos.tag(&long, &mut p);
    assert_eq!(p.len(), long.len());
    ner.tag(&long, &p, &mut n);
    assert_eq!(n.len(), long.len());
    // BIO output is well formed: an I continues an entity of its class
    for w in n.windows(2) {
        if let NerTag::I(c) = w[1] {
            assert_eq!(w[0].class(), Some(c));
        }
    }
}

#[test]
fn entity_spans_read_bio() {
    use EntityClass::*;
    use NerTag::*;
    let tags = [
        B(Person),
        I(Person),
        O,
        I(Location),
        B(Organization),
        B(Organization),
    ];
    assert_eq!(
        entity_spans(&tags),
        [
            (0..2, Person),
            (3..4, Location),
            (4..5, Organization),
            (5..6, Organization)
        ]
    );
    assert_eq!(entity_spans(&[I(Misc), I(Misc)]), [(0..2, Misc)]);
    assert!(entity_spans(&[]).is_empty());
    let classes = [None, Some(Person), Some(Person), Some(Location)];
    assert_eq!(
        bio_from_classes(&classes),
        [O, B(Person), I(Person), B(Location)]
    );
}

#[test]
fn tag_names_round_trip() {
    for &p in Pos::ALL {
        assert_eq!(Pos::from_penn(p.as_str()), Some(p));
        assert_eq!(Pos::from_index(p.index()), Some(p));
    }
    assert_eq!(Pos::COUNT, 45);
    assert!(Pos::NNP.is_proper() && Pos::NNP.is_noun() && !Pos::NN.is_proper());
    assert!(Pos::VBD.is_verb() && !Pos::MD.is_verb() && Pos::MD.is_finite_verb());
    assert!(Pos::OpenQuote.is_punct() && Pos::OpenQuote.is_quote());
    assert_eq!(Pos::PRPS.as_str(), "PRP$");
    for c in EntityClass::ALL {
        assert_eq!(EntityClass::parse(c.as_str()), Some(c));
        assert_eq!(EntityClass::parse(c.short()), Some(c));
    }
    assert_eq!(EntityClass::parse("DATE"), None);
    assert_eq!(NerTag::B(EntityClass::Misc).as_str(), "B-MISC");
}

#[test]
fn builtin_models_load() {
    let t = std::time::Instant::now();
    PosTagger::try_builtin().unwrap();
    NerTagger::try_builtin().unwrap();
    // generous: debug builds on a busy machine; release loads both in ~0.05 s
    assert!(t.elapsed().as_secs_f64() < 10.0);
}
