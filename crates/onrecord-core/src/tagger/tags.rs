//! The label sets: Penn Treebank part-of-speech tags and named-entity classes.

use std::fmt;
use std::ops::Range;

macro_rules! penn_tags {
    ($($variant:ident = $text:literal,)*) => {
        /// A Penn Treebank part-of-speech tag (the 45 tags CoreNLP uses).
        #[allow(clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Pos {
            $($variant,)*
        }

        impl Pos {
            /// Every tag, in index order.
            pub const ALL: &'static [Pos] = &[$(Pos::$variant,)*];

            /// The tag as Penn Treebank writes it (`NNP`, `PRP$`, `-LRB-`, `` ` ` ``).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Pos::$variant => $text,)*
                }
            }

            /// Parse the Penn Treebank spelling of a tag.
            pub fn from_penn(s: &str) -> Option<Pos> {
                match s {
                    $($text => Some(Pos::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

penn_tags! {
    CC = "CC",
    CD = "CD",
    DT = "DT",
    EX = "EX",
    FW = "FW",
    IN = "IN",
    JJ = "JJ",
    JJR = "JJR",
    JJS = "JJS",
    LS = "LS",
    MD = "MD",
    NN = "NN",
    NNS = "NNS",
    NNP = "NNP",
    NNPS = "NNPS",
    PDT = "PDT",
    POS = "POS",
    PRP = "PRP",
    PRPS = "PRP$",
    RB = "RB",
    RBR = "RBR",
    RBS = "RBS",
    RP = "RP",
    SYM = "SYM",
    TO = "TO",
    UH = "UH",
    VB = "VB",
    VBD = "VBD",
    VBG = "VBG",
    VBN = "VBN",
    VBP = "VBP",
    VBZ = "VBZ",
    WDT = "WDT",
    WP = "WP",
    WPS = "WP$",
    WRB = "WRB",
    Dollar = "$",
    Hash = "#",
    Comma = ",",
    Period = ".",
    Colon = ":",
    LRB = "-LRB-",
    RRB = "-RRB-",
    OpenQuote = "``",
    CloseQuote = "''",
}

impl Pos {
    /// Number of tags.
    pub const COUNT: usize = Pos::ALL.len();

    /// The tag with this index (`Pos as u8`), if there is one.
    pub fn from_index(i: usize) -> Option<Pos> {
        Pos::ALL.get(i).copied()
    }
    pub const fn index(self) -> usize {
        self as usize
    }
    /// NN, NNS, NNP, NNPS.
    pub const fn is_noun(self) -> bool {
        matches!(self, Pos::NN | Pos::NNS | Pos::NNP | Pos::NNPS)
    }
    /// NNP, NNPS.
    pub const fn is_proper(self) -> bool {
        matches!(self, Pos::NNP | Pos::NNPS)
    }
    /// NNS, NNPS.
    pub const fn is_plural_noun(self) -> bool {
        matches!(self, Pos::NNS | Pos::NNPS)
    }
    /// VB, VBD, VBG, VBN, VBP, VBZ (not MD).
    pub const fn is_verb(self) -> bool {
        matches!(
            self,
            Pos::VB | Pos::VBD | Pos::VBG | Pos::VBN | Pos::VBP | Pos::VBZ
        )
    }
    /// A verb that can head a clause on its own: VBD, VBP, VBZ, or MD.
    pub const fn is_finite_verb(self) -> bool {
        matches!(self, Pos::VBD | Pos::VBP | Pos::VBZ | Pos::MD)
    }
    pub const fn is_modal(self) -> bool {
        matches!(self, Pos::MD)
    }
    /// JJ, JJR, JJS.
    pub const fn is_adjective(self) -> bool {
        matches!(self, Pos::JJ | Pos::JJR | Pos::JJS)
    }
    /// RB, RBR, RBS, WRB.
    pub const fn is_adverb(self) -> bool {
        matches!(self, Pos::RB | Pos::RBR | Pos::RBS | Pos::WRB)
    }
    /// PRP, PRP$, WP, WP$.
    pub const fn is_pronoun(self) -> bool {
        matches!(self, Pos::PRP | Pos::PRPS | Pos::WP | Pos::WPS)
    }
    /// PRP$, WP$.
    pub const fn is_possessive_pronoun(self) -> bool {
        matches!(self, Pos::PRPS | Pos::WPS)
    }
    /// DT, PDT, WDT.
    pub const fn is_determiner(self) -> bool {
        matches!(self, Pos::DT | Pos::PDT | Pos::WDT)
    }
    /// WDT, WP, WP$, WRB.
    pub const fn is_wh(self) -> bool {
        matches!(self, Pos::WDT | Pos::WP | Pos::WPS | Pos::WRB)
    }
    pub const fn is_number(self) -> bool {
        matches!(self, Pos::CD)
    }
    /// Punctuation tags, including quotes, brackets, `$` and `#`.
    pub const fn is_punct(self) -> bool {
        matches!(
            self,
            Pos::Comma
                | Pos::Period
                | Pos::Colon
                | Pos::LRB
                | Pos::RRB
                | Pos::OpenQuote
                | Pos::CloseQuote
                | Pos::Dollar
                | Pos::Hash
        )
    }
    /// Opening or closing quotation mark.
    pub const fn is_quote(self) -> bool {
        matches!(self, Pos::OpenQuote | Pos::CloseQuote)
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The four CoNLL named-entity classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum EntityClass {
    Person,
    Organization,
    Location,
    Misc,
}

impl EntityClass {
    pub const ALL: [EntityClass; 4] = [
        EntityClass::Person,
        EntityClass::Organization,
        EntityClass::Location,
        EntityClass::Misc,
    ];

    /// CoreNLP's spelling: PERSON, ORGANIZATION, LOCATION, MISC.
    pub const fn as_str(self) -> &'static str {
        match self {
            EntityClass::Person => "PERSON",
            EntityClass::Organization => "ORGANIZATION",
            EntityClass::Location => "LOCATION",
            EntityClass::Misc => "MISC",
        }
    }

    /// Short CoNLL spelling used in BIO tags: PER, ORG, LOC, MISC.
    pub const fn short(self) -> &'static str {
        match self {
            EntityClass::Person => "PER",
            EntityClass::Organization => "ORG",
            EntityClass::Location => "LOC",
            EntityClass::Misc => "MISC",
        }
    }

    /// Parse CoreNLP's or the CoNLL spelling; other NER classes (DATE, MONEY, ...) give None.
    pub fn parse(s: &str) -> Option<EntityClass> {
        match s {
            "PERSON" | "PER" => Some(EntityClass::Person),
            "ORGANIZATION" | "ORG" => Some(EntityClass::Organization),
            "LOCATION" | "LOC" => Some(EntityClass::Location),
            "MISC" => Some(EntityClass::Misc),
            _ => None,
        }
    }

    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for EntityClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A BIO named-entity tag for one token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum NerTag {
    /// Outside any entity.
    #[default]
    O,
    /// First token of an entity.
    B(EntityClass),
    /// Any later token of an entity.
    I(EntityClass),
}

impl NerTag {
    pub const fn class(self) -> Option<EntityClass> {
        match self {
            NerTag::O => None,
            NerTag::B(c) | NerTag::I(c) => Some(c),
        }
    }
    pub const fn is_begin(self) -> bool {
        matches!(self, NerTag::B(_))
    }
    /// `O`, `B-PER`, `I-ORG`, ...
    pub fn as_str(self) -> &'static str {
        const B: [&str; 4] = ["B-PER", "B-ORG", "B-LOC", "B-MISC"];
        const I: [&str; 4] = ["I-PER", "I-ORG", "I-LOC", "I-MISC"];
        match self {
            NerTag::O => "O",
            NerTag::B(c) => B[c.index()],
            NerTag::I(c) => I[c.index()],
        }
    }
}

impl fmt::Display for NerTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Entity spans of a BIO sequence: token index ranges with their class. An `I` that does
/// not continue an entity of its class starts a new one.
pub fn entity_spans(tags: &[NerTag]) -> Vec<(Range<usize>, EntityClass)> {
    let mut out: Vec<(Range<usize>, EntityClass)> = Vec::new();
    let mut open: Option<(usize, EntityClass)> = None;
    for (i, &tag) in tags.iter().enumerate() {
        let continues = matches!((tag, open), (NerTag::I(c), Some((_, o))) if c == o);
        if continues {
            continue;
        }
        if let Some((start, class)) = open.take() {
            out.push((start..i, class));
        }
        if let Some(class) = tag.class() {
            open = Some((i, class));
        }
    }
    if let Some((start, class)) = open {
        out.push((start..tags.len(), class));
    }
    out
}

/// BIO tags from per-token classes, CoreNLP style: a run of tokens with the same class is
/// one entity.
pub fn bio_from_classes(classes: &[Option<EntityClass>]) -> Vec<NerTag> {
    let mut prev = None;
    classes
        .iter()
        .map(|&c| {
            let tag = match c {
                None => NerTag::O,
                Some(c) if prev == Some(c) => NerTag::I(c),
                Some(c) => NerTag::B(c),
            };
            prev = c;
            tag
        })
        .collect()
}
