//! Attribution: content, cue and source mention for every statement.
//!
//! Takes tagged tokens, sentences and paired quotations; gives [`Attribution`]s without
//! speakers (the resolution stage adds those). Three passes:
//!
//! 1. Direct quotes: a quotation with a reporting frame beside it, after it
//!    (`"...," he said`, `"...," said Smith`, `"...," Smith, who ..., told X`,
//!    `"...," telling X`) or before it (`Smith said: "..."`, `telling X, "..."`,
//!    `with a declaration: "..."`).
//! 2. Cues not used by a direct quote: reported speech before or after its cue
//!    (`X said (that) ...`, `..., X says.`, `X vowed not to ...`, `according to X, ...`).
//!    Content holding a quotation is a mixed quote.
//! 3. Quotations still without a frame take the attribution of the quote they continue
//!    (`"A," he said. "B."`, a quote running over several paragraphs) when the text makes
//!    that clear; others are left out.

use crate::analysis::{Attribution, AttributionKind, Class, Sentence, Token};
use crate::lexicon::{self, CueVerb, Form};
use crate::quotes::Quotation;
use crate::span::Span;
use crate::tagger::Pos;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// What the attribution stage reads.
pub struct Input<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub sentences: &'a [Sentence],
    pub quotations: &'a [Quotation],
    /// The headline (`Analysis::headline`), when the document has one.
    pub headline: Option<Span>,
}

/// A reporting frame: the cue and the mention it points to.
#[derive(Clone, Debug)]
struct Frame {
    cue: Span,
    source: Option<Range<usize>>,
    confidence: f32,
    /// The frame stands after the quotation.
    after: bool,
}

struct Ctx<'a> {
    text: &'a str,
    tokens: &'a [Token],
    sentences: &'a [Sentence],
    quotations: &'a [Quotation],
    /// Sentence index of every token.
    sentence_of: Vec<u32>,
    /// For every token, the top-level quotation whose marks or content hold it.
    quote_of: Vec<Option<u32>>,
    /// Top-level quotations (indices into `quotations`).
    top: Vec<usize>,
    /// Token index of each top-level quotation's opening and closing marks.
    marks: Vec<(Option<usize>, Option<usize>)>,
    /// Whether each sentence is a headline in title case.
    title_case: Vec<bool>,
    /// The reporting verb each token is a form of, looked up once.
    verbs: Vec<Option<(CueVerb, Form)>>,
    headline: Option<Span>,
    /// Attributions a cue gives besides its main one (the first piece of "X, he said,
    /// Y").
    extra: RefCell<Vec<Attribution>>,
}

/// The rule confidence of a content cut short by [`Ctx::shorter_content`]: the judge
/// tells the two apart by it.
pub const SHORTER: f32 = 0.55;

/// The rule confidence of a quotation that names what a verb before it describes
/// ([`Ctx::named_as`]).
pub const NAMED_AS: f32 = 0.45;

/// The rule confidence of a speech verb's object that quotes the words spoken
/// (`proclaimed a goal of "Bridges Before Budgets"`).
pub const SPOKEN_OBJECT: f32 = 0.5;

/// The rule confidence of a headline's claim after a name and a colon
/// ([`Ctx::headline_colon`]).
pub const HEADLINE_COLON: f32 = 0.65;

/// Find every attribution in the document.
pub fn attribute(input: &Input) -> Vec<Attribution> {
    let ctx = Ctx::new(input);
    ctx.run()
}

impl<'a> Ctx<'a> {
    fn new(input: &Input<'a>) -> Self {
        let tokens = input.tokens;
        let mut sentence_of = vec![0u32; tokens.len()];
        for (si, s) in input.sentences.iter().enumerate() {
            for t in s.tokens.clone() {
                sentence_of[t] = si as u32;
            }
        }
        let top: Vec<usize> = (0..input.quotations.len())
            .filter(|&i| input.quotations[i].depth == 0)
            .collect();
        let mut quote_of = vec![None; tokens.len()];
        let mut marks = Vec::with_capacity(top.len());
        for (k, &qi) in top.iter().enumerate() {
            let q = &input.quotations[qi];
            let whole = Span::new(q.open.start, q.close.map_or(q.content.end, |c| c.end));
            let first = tokens.partition_point(|t| t.span.end <= whole.start);
            let mut open = None;
            let mut close = None;
            let mut t = first;
            while t < tokens.len() && tokens[t].span.start < whole.end {
                quote_of[t] = Some(k as u32);
                if tokens[t].span.overlaps(q.open) && open.is_none() {
                    open = Some(t);
                }
                if let Some(c) = q.close {
                    if tokens[t].span.overlaps(c) {
                        close = Some(t);
                    }
                }
                t += 1;
            }
            marks.push((open, close));
        }
        let title_case: Vec<bool> = input
            .sentences
            .iter()
            .map(|s| crate::tag::is_title_case(input.text, &tokens[s.tokens.clone()]))
            .collect();
        let verbs = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let headline = title_case[sentence_of[i] as usize];
                let verb_like = matches!(t.class, Class::Verb | Class::Participle);
                (verb_like || headline)
                    .then(|| lexicon::cue_verb(t.span.slice(input.text)))
                    .flatten()
            })
            .collect();
        Ctx {
            headline: input.headline,
            extra: RefCell::new(Vec::new()),
            verbs,
            title_case,
            text: input.text,
            tokens,
            sentences: input.sentences,
            quotations: input.quotations,
            sentence_of,
            quote_of,
            top,
            marks,
        }
    }

    fn word(&self, i: usize) -> &'a str {
        self.tokens[i].span.slice(self.text)
    }

    fn class(&self, i: usize) -> Class {
        self.tokens[i].class
    }

    fn sentence(&self, i: usize) -> &Sentence {
        &self.sentences[self.sentence_of[i] as usize]
    }

    fn is_word(&self, i: usize, w: &str) -> bool {
        i < self.tokens.len() && self.word(i).eq_ignore_ascii_case(w)
    }

    /// A cue verb at token `i` (a verb by its class, or any form in a headline).
    fn cue_at(&self, i: usize) -> Option<(CueVerb, Form)> {
        if i >= self.tokens.len() || self.quote_of[i].is_some() {
            return None;
        }
        let verb = self.verbs[i]?;
        if verb.0.lemma == "put" && !self.is_word(i + 1, "it") {
            return None;
        }
        // "shot back", "fired back", "chimed in": phrasal verbs of reply
        let particle = match verb.0.lemma {
            "shoot" | "fire" | "hit" | "push" => Some("back"),
            "chime" | "weigh" => Some("in"),
            // "ruled that": a verdict, not "ruled the country"
            "rule" => Some("that"),
            _ => None,
        };
        if particle.is_some_and(|p| !self.is_word(i + 1, p)) {
            return None;
        }
        match self.class(i) {
            // "a message posted Friday": a past participle without an auxiliary is no
            // report; after a name or a pronoun, or as the only verb of its clause ("The
            // mayor called on the council to act"), it is a past tense the tagger misread
            Class::Verb if self.tokens[i].pos == Some(Pos::VBN) && !self.misread_past_tense(i) => {
                None
            }
            Class::Verb | Class::Participle => Some(verb),
            Class::Proper | Class::Noun if self.in_title_case(i) && verb.1 != Form::Base => {
                Some(verb)
            }
            _ => None,
        }
    }

    /// Whether a verb the tagger read as a past participle is a past tense: after an
    /// auxiliary, an adverb, a name or a pronoun, or as the only verb of its clause.
    fn misread_past_tense(&self, i: usize) -> bool {
        let after_subject = i > 0
            && (matches!(
                self.class(i - 1),
                Class::Aux | Class::Adverb | Class::Pronoun | Class::Proper
            ) || self.name_read_as_adjective(i - 1));
        after_subject
            || self.sole_verb(i)
            || self.after_relative_subject(i)
            || self.after_appositive_subject(i)
    }

    /// `"...," Devine declared`: a capitalized word inside a sentence that the tagger took
    /// for an adjective is a name (the narrow case of [`Ctx::capitalized_adjective`] that
    /// does not look at the verb after it).
    fn name_read_as_adjective(&self, t: usize) -> bool {
        self.class(t) == Class::Adj
            && t != self.sentence(t).tokens.start
            && !self.in_title_case(t)
            && self.word(t).starts_with(char::is_uppercase)
            && self.word(t).chars().any(char::is_lowercase)
    }

    /// `Okafor, a Reyes ally, called`: a verb right after an appositive that follows the
    /// sentence's subject is its finite verb, whatever the tagger says.
    fn after_appositive_subject(&self, i: usize) -> bool {
        let start = self.sentence(i).tokens.start;
        if i < start + 4 || i - start > 16 || self.class(i - 1) != Class::Comma {
            return false;
        }
        let commas = (start..i)
            .filter(|&t| self.class(t) == Class::Comma)
            .count();
        commas == 2
            && matches!(self.class(start), Class::Proper | Class::Det | Class::Noun)
            && (start..i).all(|t| {
                matches!(
                    self.class(t),
                    Class::Det
                        | Class::Adj
                        | Class::Noun
                        | Class::Proper
                        | Class::PossPronoun
                        | Class::Possessive
                        | Class::Num
                        | Class::Comma
                        | Class::Prep
                )
            })
    }

    /// `which the bank's chief executive, Rena Holt, called`: a verb after a name set off by
    /// commas in a relative clause is its finite verb, whatever the tagger says.
    fn after_relative_subject(&self, i: usize) -> bool {
        let floor = self.sentence(i).tokens.start.max(i.saturating_sub(12));
        i >= floor + 2
            && self.class(i - 1) == Class::Comma
            && self.class(i - 2) == Class::Proper
            && (floor..i - 2).any(|t| self.class(t) == Class::Wh)
    }

    /// Whether the verb at `i` follows its sentence's subject (a noun phrase opening the
    /// sentence, perhaps with a participle phrase: "Protesters marching through the
    /// streets") and no finite verb follows it before a comma or the sentence's end.
    fn sole_verb(&self, i: usize) -> bool {
        let s = self.sentence(i);
        // both scans are bounded: a subject of a dozen words, a clause of forty
        let subject_opens = i > s.tokens.start
            && i - s.tokens.start <= 12
            && matches!(
                self.class(s.tokens.start),
                Class::Det | Class::Adj | Class::Noun | Class::Proper | Class::PossPronoun
            )
            && (s.tokens.start..i).all(|t| {
                matches!(
                    self.class(t),
                    Class::Det
                        | Class::Adj
                        | Class::Noun
                        | Class::Proper
                        | Class::PossPronoun
                        | Class::Possessive
                        | Class::Num
                        | Class::Participle
                        | Class::Prep
                )
            })
            && matches!(self.class(i - 1), Class::Noun | Class::Proper);
        subject_opens
            && (i + 1..s.tokens.end)
                .take(40)
                .take_while(|&t| self.class(t) != Class::Comma && self.quote_of[t].is_none())
                .all(|t| {
                    !(matches!(self.class(t), Class::Aux | Class::Modal)
                        || self.class(t) == Class::Verb
                            && matches!(self.tokens[t].pos, Some(Pos::VBD | Pos::VBZ | Pos::VBP)))
                })
    }

    /// Whether token `t` is the closing mark of a quotation whose words end with a
    /// comma (`"phony system,"`): in American style the comma of the sentence.
    fn closes_on_comma(&self, t: usize) -> bool {
        if t == 0 || self.class(t) != Class::Quote {
            return false;
        }
        // the NYT's `''` is two tokens
        let first = if self.class(t - 1) == Class::Quote && self.quote_of[t - 1] == self.quote_of[t]
        {
            t - 1
        } else {
            t
        };
        first > 0
            && self.class(first - 1) == Class::Comma
            && self.quote_of[t].is_some_and(|q| {
                self.marks[q as usize].1 == Some(t) && self.quote_of[first - 1] == Some(q)
            })
    }

    /// The "going" or "went" of "going on to say" when `c` is its verb.
    fn went_on_to(&self, c: usize) -> Option<usize> {
        (c >= 3
            && self.sentence_of[c - 3] == self.sentence_of[c]
            && self.is_word(c - 1, "to")
            && self.is_word(c - 2, "on")
            && ["going", "went", "goes", "go"]
                .iter()
                .any(|w| self.is_word(c - 3, w)))
        .then(|| c - 3)
    }

    /// A past participle after a form of "be" ("was reported", "is shown").
    fn is_passive(&self, c: usize, form: Form) -> bool {
        form == Form::Past
            && c > 0
            && ["been", "be", "being", "is", "was", "were", "are"]
                .iter()
                .any(|w| self.is_word(c - 1, w))
    }

    fn in_title_case(&self, i: usize) -> bool {
        self.title_case[self.sentence_of[i] as usize]
    }

    fn is_word_in(&self, range: Range<usize>, w: &str) -> bool {
        range.into_iter().any(|t| self.is_word(t, w))
    }

    fn is_according_to(&self, i: usize) -> bool {
        self.is_word(i, "according") && self.is_word(i + 1, "to") && self.quote_of[i].is_none()
    }

    fn is_np_class(c: Class) -> bool {
        matches!(
            c,
            Class::Noun
                | Class::Proper
                | Class::Adj
                | Class::Det
                | Class::Num
                | Class::PossPronoun
                | Class::Possessive
        )
    }

    /// The noun phrase ending at token `end` (inclusive), within its sentence.
    fn np_left(&self, end: usize) -> Option<Range<usize>> {
        let s_start = self.sentence(end).tokens.start;
        match self.class(end) {
            Class::Pronoun | Class::Wh => return Some(end..end + 1),
            Class::Noun | Class::Proper | Class::Num => {}
            _ if self.capitalized_adjective(end) => {}
            _ => return None,
        }
        let mut start = end;
        while start > s_start && end - start < 12 {
            let c = self.class(start - 1);
            if matches!(c, Class::Det | Class::PossPronoun) {
                start -= 1;
                break;
            }
            let of_phrase = c == Class::Prep
                && (self.is_word(start - 1, "of")
                    || self.is_word(start - 1, "to")
                    || self.is_word(start - 1, "for"))
                && start >= s_start + 2
                && matches!(self.class(start - 2), Class::Noun | Class::Proper);
            // "the Commission on Presidential Debates": a name holding a preposition
            let in_name = c == Class::Prep
                && self.is_word(start - 1, "on")
                && start >= s_start + 2
                && self.class(start) == Class::Proper
                && self.class(start - 2) == Class::Proper;
            // "last year Pagliano invoked": a time before a name is not part of it (but
            // "The Sunday Times" is a name)
            if self.class(end) == Class::Proper
                && self.is_time_word(start - 1)
                && self.word(start - 1).starts_with(char::is_lowercase)
            {
                break;
            }
            if Self::is_np_class(c)
                || of_phrase
                || in_name
                || self.is_participle_modifier(start - 1, s_start)
            {
                start -= 1;
            } else {
                break;
            }
        }
        Some(start..end + 1)
    }

    /// A participle standing as an adjective inside a noun phrase: "the married father",
    /// "rising costs" (the tagger may call it a verb).
    fn is_participle_modifier(&self, t: usize, floor: usize) -> bool {
        matches!(self.class(t), Class::Verb | Class::Participle)
            && lexicon::cue_verb(self.word(t)).is_none()
            && t > floor
            && matches!(
                self.class(t - 1),
                Class::Det | Class::Adj | Class::PossPronoun
            )
            && t + 1 < self.tokens.len()
            && matches!(self.class(t + 1), Class::Noun | Class::Adj)
    }

    /// The noun phrase starting at token `start`, up to `limit` (exclusive).
    fn np_right(&self, start: usize, limit: usize) -> Option<Range<usize>> {
        if start >= limit {
            return None;
        }
        if matches!(self.class(start), Class::Pronoun) {
            return Some(start..start + 1);
        }
        let mut end = start;
        // a title led by a participle: "organizing director Kendra Fell", "retired Air
        // Force general Lloyd Newton"
        if matches!(self.class(start), Class::Participle | Class::Verb)
            && lexicon::cue_verb(self.word(start)).is_none()
            && start + 2 < limit
            && matches!(self.class(start + 1), Class::Noun | Class::Proper)
            && (start + 2..limit.min(start + 6)).any(|t| self.class(t) == Class::Proper)
        {
            end += 1;
        }
        let mut has_head = false;
        while end < limit && end - start < 12 {
            let c = if self.capitalized_adjective(end) {
                Class::Proper
            } else {
                self.class(end)
            };
            if matches!(c, Class::Noun | Class::Proper | Class::Num) {
                has_head = true;
                end += 1;
            } else if has_head
                && matches!(c, Class::Det | Class::PossPronoun)
                && !self.is_word(end - 1, "of")
            {
                // a determiner after the head starts another phrase
                break;
            } else if Self::is_np_class(c)
                || self.is_participle_modifier(end, start)
                || (c == Class::Prep
                    && self.is_word(end, "of")
                    && has_head
                    && end + 1 < limit
                    && matches!(
                        self.class(end + 1),
                        Class::Proper | Class::Det | Class::Noun | Class::Num
                    ))
            {
                end += 1;
            } else {
                break;
            }
        }
        // trailing determiners or possessives are not part of a phrase
        while end > start
            && !matches!(
                self.class(end - 1),
                Class::Noun | Class::Proper | Class::Num
            )
            && !self.capitalized_adjective(end - 1)
        {
            end -= 1;
        }
        (has_head && end > start).then_some(start..end)
    }

    /// A capitalized word that the tagger took for an adjective or a participle: a name
    /// it does not know ("said Devine.", "Schilling told WEEI:"), unless the sentence is
    /// in title case. At the start of a sentence, where every word is capitalized, only a
    /// participle right before a cue verb counts.
    fn capitalized_adjective(&self, t: usize) -> bool {
        let start = t == self.sentence(t).tokens.start;
        let misread = match self.class(t) {
            Class::Adj => !start,
            Class::Participle => {
                !start || (t + 1 < self.tokens.len() && self.cue_at(t + 1).is_some())
            }
            _ => false,
        };
        misread
            && !self.in_title_case(t)
            && self.word(t).chars().next().is_some_and(char::is_uppercase)
            && !self.word(t).chars().all(|c| !c.is_lowercase())
    }

    /// Step left from token `k` over what stands between a subject and its verb:
    /// adverbs, auxiliaries, a time ("on Tuesday", "last week") and a parenthesis
    /// ("Sen. Jane Doe (D-Ore.) said").
    fn skip_left_modifiers(&self, mut k: usize, floor: usize) -> Option<usize> {
        loop {
            if k <= floor {
                break;
            }
            let c = self.class(k);
            let time_prefix = matches!(
                self.word(k),
                "on" | "last" | "this" | "early" | "late" | "Last" | "This"
            ) && self.is_time_word(k + 1);
            if matches!(c, Class::Adverb | Class::Aux | Class::Modal | Class::Neg)
                || self.is_time_word(k)
                || time_prefix
            {
                k -= 1;
            } else if k > floor + 1
                && self.is_word(k - 1, "in")
                && self.word(k).len() == 4
                && self.word(k).bytes().all(|b| b.is_ascii_digit())
            {
                // "who in 2010 said"
                k -= 2;
            } else if self.word(k) == ")" {
                let open = (floor..k).rev().take(12).find(|&t| self.word(t) == "(");
                match open {
                    Some(o) if o > floor => k = o - 1,
                    _ => break,
                }
            } else {
                break;
            }
        }
        (k >= floor).then_some(k)
    }

    /// A month name, full or abbreviated ("September", "Sept.").
    fn is_month(&self, t: usize) -> bool {
        t < self.tokens.len()
            && crate::dates::month_of(self.word(t).trim_end_matches('.')).is_some()
    }

    fn is_time_word(&self, t: usize) -> bool {
        const W: &[&str] = &[
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "today",
            "yesterday",
            "tonight",
            "week",
            "weekend",
            "month",
            "year",
            "morning",
            "afternoon",
            "evening",
            "night",
        ];
        t < self.tokens.len() && W.iter().any(|w| self.word(t).eq_ignore_ascii_case(w))
    }

    /// The subject of the main clause of the sentence holding token `i`: the first noun
    /// phrase after an introductory phrase ("Still, ...", "Asked if ..., ...").
    fn main_subject(&self, i: usize) -> Option<Range<usize>> {
        let s = self.sentence(i);
        let mut k = s.tokens.start;
        // a sentence opening with a quotation: the subject follows it
        if let Some(q) = self.quote_of[k] {
            k = self.marks[q as usize].1.map_or(k, |c| c + 1);
            while k < s.tokens.end && matches!(self.class(k), Class::Comma | Class::Dash) {
                k += 1;
            }
            return self.np_right(k, i);
        }
        while k < s.tokens.end && matches!(self.class(k), Class::Quote | Class::Punct) {
            k += 1;
        }
        k = self.after_dateline(k, s.tokens.end);
        if k < s.tokens.end
            && ["and", "but", "or", "yet"]
                .iter()
                .any(|w| self.is_word(k, w))
        {
            k += 1;
        }
        if k >= s.tokens.end {
            return None;
        }
        let intro = matches!(
            self.class(k),
            Class::Participle
                | Class::Verb
                | Class::Subord
                | Class::Prep
                | Class::Adverb
                | Class::Conj
        ) || self.is_according_to(k)
            // "Last year, he ...", "Eight years ago, he ...": a time set off by a comma
            || ((self.is_temporal(k) || self.is_word(k + 2, "ago"))
                && (k + 1..(k + 5).min(i)).any(|t| {
                    self.class(t) == Class::Comma && self.quote_of[t].is_none()
                }));
        if intro {
            // skip to after the first comma outside quotations, before token i, and past
            // further subordinate clauses ("Once in my 20s, when my mother ..., I said")
            let mut j = k;
            for _ in 0..3 {
                while j < i.min(s.tokens.end) {
                    // a comma, or a quotation closing on its own comma ("Bemoaning the
                    // "phony system," Trump accused ...")
                    if self.class(j) == Class::Comma && self.quote_of[j].is_none()
                        || self.closes_on_comma(j)
                    {
                        break;
                    }
                    j += 1;
                }
                if j >= i.min(s.tokens.end) {
                    // "On March 12 they closed ...": a date opening the sentence
                    // without a comma
                    if self.class(k) == Class::Prep {
                        let date = self.np_right(k + 1, i)?;
                        let dated = (date.clone())
                            .any(|t| self.is_time_word(t) || self.class(t) == Class::Num)
                            || self.is_month(date.start);
                        if dated
                            && date.end < i
                            && matches!(self.class(date.end), Class::Pronoun | Class::Proper)
                        {
                            return self.np_right(date.end, i);
                        }
                    }
                    return None;
                }
                k = j + 1;
                let subordinate = matches!(self.class(k), Class::Subord | Class::Wh)
                    || ["when", "where", "while", "after", "before", "since"]
                        .iter()
                        .any(|w| self.is_word(k, w));
                if !(k < i && subordinate) {
                    break;
                }
                j = k;
            }
        }
        self.np_right(k, i)
    }

    /// `issued a statement saying`, `sent an email to supporters saying`: a participle
    /// after a document speaks for whoever issued it, the subject of the verb the document
    /// is the object of (annotators name the issuer, not the paper). `np` is the phrase
    /// just before the participle; a prepositional phrase or a time after the document
    /// ("to supporters", "early Friday") is stepped over.
    fn document_issuer(&self, np: Range<usize>) -> Option<Range<usize>> {
        let floor = self.sentence(np.start).tokens.start;
        let mut doc = np;
        for _ in 0..2 {
            if lexicon::is_document(self.word(doc.end - 1)) {
                break;
            }
            let before = doc.start.checked_sub(1)?;
            let step = if matches!(self.class(before), Class::Prep | Class::To) {
                before
            } else if self.is_time_word(doc.end - 1) || self.is_temporal(doc.start) {
                doc.start
            } else {
                return None;
            };
            if step <= floor {
                return None;
            }
            doc = self.np_left(step - 1)?;
        }
        if !lexicon::is_document(self.word(doc.end - 1)) {
            return None;
        }
        let mut v = doc.start.checked_sub(1)?;
        while v > floor && self.class(v) == Class::Adverb {
            v -= 1;
        }
        if v <= floor || self.class(v) != Class::Verb || !lexicon::is_issuing_verb(self.word(v)) {
            return None;
        }
        self.subject_of(v, Form::Past)
    }

    /// The noun phrase before a participle at `t` that modifies it ("a poll released
    /// ...", "protesters marching ..."), if `t` is one.
    fn before_reduced_relative(&self, t: usize) -> Option<Range<usize>> {
        let floor = self.sentence(t).tokens.start;
        let participle = self.class(t) == Class::Verb && self.tokens[t].pos == Some(Pos::VBN)
            || self.class(t) == Class::Participle;
        if !participle || t <= floor || !matches!(self.class(t - 1), Class::Noun | Class::Proper) {
            return None;
        }
        self.np_left(t - 1)
    }

    /// The speaker of a speech frame set off after its content that ends just before the
    /// comma at `comma` (`"...," X said Friday,` / `..., said X,`).
    fn frame_speaker_before(&self, comma: usize) -> Option<Range<usize>> {
        let floor = self.sentence(comma).tokens.start;
        let verb = (floor.max(comma.saturating_sub(8))..comma)
            .rev()
            .find(|&t| self.cue_at(t).is_some_and(|(v, _)| v.speech))?;
        // the frame must close the clause: a time or place may follow, not a content
        if (verb + 1..comma).any(|t| {
            matches!(
                self.class(t),
                Class::Verb | Class::Aux | Class::Subord | Class::Quote | Class::Comma
            )
        }) {
            return None;
        }
        // a frame set off after its content: a comma or closing quotation mark before it
        let set_off =
            |t: usize| t > floor && matches!(self.class(t - 1), Class::Comma | Class::Quote);
        if verb > floor
            && matches!(
                self.class(verb - 1),
                Class::Noun | Class::Proper | Class::Pronoun
            )
        {
            return self.np_left(verb - 1).filter(|np| set_off(np.start));
        }
        self.np_right(verb + 1, comma)
            .filter(|np| {
                matches!(self.class(np.end - 1), Class::Proper | Class::Pronoun)
                    && !(np.start..np.end).any(|t| self.is_temporal(t))
            })
            .filter(|_| set_off(verb))
    }

    /// The first token after a dateline opening a paragraph at `k` ("WASHINGTON --",
    /// "NEW YORK (AP) —"), or `k` when there is none.
    fn after_dateline(&self, k: usize, end: usize) -> usize {
        if k >= end {
            return k;
        }
        let si = self.sentence_of[k] as usize;
        if si > 0 && self.sentences[si - 1].paragraph == self.sentences[si].paragraph {
            return k;
        }
        let is_caps = |t: usize| {
            let w = self.word(t);
            w.chars().any(char::is_alphabetic)
                && w.chars().all(|c| !c.is_lowercase())
                && w.chars().next().is_some_and(char::is_alphabetic)
        };
        let mut t = k;
        while t < end
            && t - k < 5
            && (is_caps(t)
                || self.class(t) == Class::Comma
                // "DES MOINES, Iowa (AP) --": a state after the city
                || (t > k && self.class(t - 1) == Class::Comma && self.class(t) == Class::Proper))
        {
            t += 1;
        }
        if t > k && t + 2 < end && self.word(t) == "(" && self.word(t + 2) == ")" {
            t += 3;
        }
        if t > k && t + 1 < end && self.class(t) == Class::Dash {
            t + 1
        } else {
            k
        }
    }

    /// The source mention of a cue verb at token `c` that stands after its subject.
    fn subject_of(&self, c: usize, form: Form) -> Option<Range<usize>> {
        // "Sanders said, going on to say that ...": the subject of "going on"
        let (mut c, mut form) = (c, form);
        while let Some(going) = self.went_on_to(c) {
            form = if self.is_word(going, "going") {
                Form::Gerund
            } else {
                Form::Past
            };
            c = going;
        }
        let s = self.sentence(c);
        if c == s.tokens.start {
            // "Bemoaning the "broken process," the senator accused ...": an opening participle
            // speaks for the subject after its clause
            return (form == Form::Gerund)
                .then(|| self.main_subject(s.tokens.end - 1))
                .flatten();
        }
        let k = self.skip_left_modifiers(c - 1, s.tokens.start)?;
        let class = if self.capitalized_adjective(k) {
            Class::Proper
        } else {
            self.class(k)
        };
        match class {
            // "... and vowed", "before asking": the subject of the main clause
            // "After saying ..., she": a participle in an opening clause speaks for the
            // subject after that clause
            Class::Subord | Class::Prep if form == Form::Gerund && k == s.tokens.start => {
                self.main_subject(s.tokens.end - 1)
            }
            Class::Conj | Class::Subord | Class::Prep => self.main_subject(c),
            Class::Comma => {
                if form == Form::Gerund {
                    // `"...," McConnell said in June, citing ...`: the frame's speaker
                    return self
                        .frame_speaker_before(k)
                        .or_else(|| self.main_subject(c));
                }
                // "Smith, who ... , said" / "Smith, the mayor, said"
                let floor = s.tokens.start.max(k.saturating_sub(40));
                let mut m = k;
                while m > floor {
                    m -= 1;
                    if self.class(m) == Class::Comma && m > s.tokens.start {
                        let next = self.class(m + 1);
                        // "the bank's chief executive, Rena Holt, called": a title, then the
                        // name it belongs to
                        if next == Class::Proper
                            && self.class(m - 1) == Class::Noun
                            && (m + 1..k).all(|t| self.class(t) == Class::Proper)
                        {
                            return self.np_left(k - 1);
                        }
                        if matches!(
                            next,
                            Class::Wh | Class::Det | Class::Num | Class::Adj | Class::PossPronoun
                        ) || next == Class::Noun
                        {
                            if let Some(np) = self.np_left(m - 1) {
                                return Some(np);
                            }
                        }
                        break;
                    }
                }
                // "President Obama, dedicating the museum on Saturday, said"
                self.main_subject(c)
            }
            Class::Noun | Class::Proper | Class::Pronoun | Class::Wh | Class::Num => {
                let np = self.np_left(k)?;
                if form == Form::Gerund {
                    if let Some(issuer) = self.document_issuer(np.clone()) {
                        return Some(issuer);
                    }
                }
                // "A poll released in late August found": the phrase after the participle
                // is not the subject
                let floor = s.tokens.start;
                if np.start >= floor + 3 && self.class(np.start - 1) == Class::Prep {
                    if let Some(subject) = self.before_reduced_relative(np.start - 2) {
                        return Some(subject);
                    }
                }
                Some(np)
            }
            // "A report released last year found"
            Class::Verb => self.before_reduced_relative(k).or_else(|| {
                (form == Form::Gerund)
                    .then(|| self.main_subject(c))
                    .flatten()
            }),
            // "Kall -- co-editor of a book on the debates -- said"
            Class::Dash if form != Form::Gerund => {
                let floor = s.tokens.start.max(k.saturating_sub(30));
                let open = (floor..k).rev().find(|&t| self.class(t) == Class::Dash)?;
                (open > s.tokens.start)
                    .then(|| self.np_left(open - 1))
                    .flatten()
            }
            // "interjected to say", "was prompted to say": the subject of the verb the
            // infinitive depends on (not "asked him to say": an object in between)
            Class::To if form == Form::Base && k > s.tokens.start => {
                let v = k - 1;
                let controls = matches!(self.class(v), Class::Verb | Class::Participle)
                    && !matches!(self.word(v).to_ascii_lowercase().as_str(), "going" | "used");
                if !controls {
                    return None;
                }
                let form = if self.class(v) == Class::Participle {
                    Form::Gerund
                } else {
                    Form::Past
                };
                self.subject_of(v, form)
            }
            _ if form == Form::Gerund => self.main_subject(c),
            _ => None,
        }
    }

    fn run(&self) -> Vec<Attribution> {
        let n_top = self.top.len();
        let mut frames: Vec<Option<Frame>> = (0..n_top).map(|k| self.quote_frame(k)).collect();
        let mut used_cues: HashSet<usize> = frames.iter().flatten().map(|f| f.cue.start).collect();
        // Titles of works and headings in quotation marks quote nobody.
        let is_work: Vec<bool> = (0..n_top)
            .map(|k| self.marks[k].0.is_some_and(|o| self.names_a_work(k, o)))
            .collect();
        let mut quote_taken = is_work.clone();
        let mut out = self.transcript_lines();
        // quotations inside a transcript line belong to it
        for a in &out {
            let first = self
                .top
                .partition_point(|&qi| self.quotations[qi].content.end <= a.content.start);
            for k in first..n_top {
                if self.quotations[self.top[k]].content.start >= a.content.end {
                    break;
                }
                quote_taken[k] = true;
                frames[k] = None;
            }
        }

        // Pass 2: cues of reported speech.
        let mut indirect = Vec::new();
        for s in self.sentences {
            let mut i = s.tokens.start;
            while i < s.tokens.end {
                if let Some(a) = self.cue_attribution(i, &used_cues) {
                    if let Some(cue) = a.cue {
                        used_cues.insert(cue.start);
                    }
                    indirect.push(a);
                }
                indirect.append(&mut self.extra.borrow_mut());
                i += 1;
            }
        }
        // "She said she hopes X": the belief inside a report is the same speaker's
        // statement, already covered by the report.
        // The reports' contents sorted by start, with the running widest end, so each
        // belief asks in O(log n) whether a report holds its cue.
        let mut speech: Vec<Span> = indirect
            .iter()
            .filter(|a| a.cue.is_some_and(|c| self.is_speech_cue_at(c)))
            .map(|a| a.content)
            .collect();
        speech.sort_by_key(|c| (c.start, c.end));
        let mut widest: Vec<Span> = Vec::with_capacity(speech.len());
        for &c in &speech {
            let w = match widest.last() {
                Some(&w) if w.end >= c.end => w,
                _ => c,
            };
            widest.push(w);
        }
        let inside_report = |cue: Span, own: Span| {
            let n = speech.partition_point(|c| c.start <= cue.start);
            let Some(&w) = n.checked_sub(1).and_then(|i| widest.get(i)) else {
                return false;
            };
            if w.end < cue.end {
                return false;
            }
            // the widest is the belief's own content: look for another (rare)
            w != own || speech[..n].iter().any(|c| c.contains(cue) && *c != own)
        };
        indirect.retain(|a| {
            let (Some(cue), Some(src)) = (a.cue, &a.source_tokens) else {
                return true;
            };
            let pronoun = src.len() == 1 && self.class(src.start) == Class::Pronoun;
            let belief = !self.is_speech_cue_at(cue);
            !(pronoun && belief && inside_report(cue, a.content))
        });
        for mut a in indirect {
            // A quotation in the content that has a frame of its own inside the content
            // ("..., and when pressed, the mother of three replied, "..."") belongs to that
            // frame: the reported clause ends before the frame's clause.
            let first = self
                .top
                .partition_point(|&qi| self.quotations[qi].content.start < a.content.start);
            for (&qi, frame) in self.top[first..].iter().zip(&frames[first..]) {
                if self.quotations[qi].content.start >= a.content.end {
                    break;
                }
                let Some(f) = frame else { continue };
                let own_cue = a.cue.is_some_and(|c| c == f.cue);
                if own_cue || !a.content.contains(f.cue) {
                    continue;
                }
                let frame_start = f.source.as_ref().map_or(self.token_at(f.cue.start), |r| {
                    r.start.min(self.token_at(f.cue.start))
                });
                let content_first = self.token_at(a.content.start);
                let cut = (content_first + 2..frame_start).rev().find(|&t| {
                    matches!(self.class(t), Class::Comma | Class::Conj)
                        && self.quote_of[t].is_none()
                });
                if let Some(cut) = cut {
                    let mut end = cut;
                    while end > content_first
                        && matches!(self.class(end - 1), Class::Comma | Class::Conj)
                    {
                        end -= 1;
                    }
                    // (`said that or or, "X" said`: nothing left before the frame, no cut)
                    if end > content_first {
                        a.content = Span::new(a.content.start, self.tokens[end - 1].span.end);
                    }
                }
                break;
            }
            // A quotation later in the same sentence with no frame of its own belongs to
            // the reported clause ("said the museum would ... -- ''the president but also
            // the slave''"): the content runs on to its closing mark.
            if a.content.end > a.content.start {
                let last = self.token_at(a.content.end - 1);
                let sentence = self.sentence_of[last];
                let next = self
                    .top
                    .partition_point(|&qi| self.quotations[qi].content.start < a.content.end);
                if let (Some(&qi), Some((Some(open), Some(close)))) =
                    (self.top.get(next), self.marks.get(next).copied())
                {
                    let q = &self.quotations[qi];
                    // an opening clause ends before the main clause's own quotation
                    let intro = a
                        .cue
                        .is_some_and(|c| self.in_intro_clause(self.token_at(c.start)));
                    let free =
                        frames[next].is_none() && !quote_taken[next] && !is_work[next] && !intro;
                    let between_clear = (last + 1..open).all(|t| {
                        !matches!(self.class(t), Class::Quote) && self.cue_at(t).is_none()
                    });
                    if free
                        && between_clear
                        && self.sentence_of[open] == sentence
                        && self.sentence_of[close] == sentence
                    {
                        let end = q.close.map_or(q.content.end, |c| c.end);
                        a.content = trim_punct(self.text, Span::new(a.content.start, end));
                    }
                }
            }
            // `he believes "some officials are playing to the crowd. But those
            // involved ..."`: a quotation opened in the reported clause runs on to its closing mark
            // over the sentence end
            if a.content.end > a.content.start {
                let first = self.token_at(a.content.start);
                let last = self.token_at(a.content.end - 1);
                if let Some(q) = self.quote_of[last] {
                    let (open, close) = self.marks[q as usize];
                    if let (Some(open), Some(close)) = (open, close) {
                        let qi = self.top[q as usize];
                        if open >= first
                            && close > last + 1
                            && close - last < 200
                            && self.sentence(open).paragraph == self.sentence(close).paragraph
                            && !quote_taken[q as usize]
                            && frames[q as usize].is_none()
                        {
                            let end = self.quotations[qi].close.map_or(a.content.end, |c| c.end);
                            a.content = Span::new(a.content.start, end);
                        }
                    }
                }
            }
            let mut holds_quote = false;
            let first = self
                .top
                .partition_point(|&qi| self.quotations[qi].content.start < a.content.start);
            for k in first..n_top {
                let q = &self.quotations[self.top[k]];
                if q.content.start >= a.content.end {
                    break;
                }
                if a.content.contains(q.content) && !q.content.is_empty() && !is_work[k] {
                    holds_quote = true;
                    quote_taken[k] = true;
                    frames[k] = None;
                }
            }
            if holds_quote {
                a.kind = AttributionKind::Mixed;
            }
            // where reported speech ends is a judgment call: offer the clause without its
            // trailing adjunct too, and let the judge keep the likelier one
            if let Some(short) = self.shorter_content(&a) {
                out.push(short);
            }
            out.push(a);
        }

        // Pass 1 results, and pass 3: continuations.
        let mut direct: Vec<Option<Attribution>> = vec![None; n_top];
        for k in 0..n_top {
            if quote_taken[k] {
                continue;
            }
            if let Some(f) = &frames[k] {
                direct[k] = self.direct(k, f);
            }
        }
        // forward then backward: a piece takes the frame of its neighbour
        // (titles in between are stepped over)
        // the nearest quotation before each that is not a title, in one pass (a run of
        // titles must not be walked again for every quotation)
        let mut before_titles = vec![0usize; n_top];
        for k in 1..n_top {
            let j = k - 1;
            before_titles[k] = if j > 0 && is_work[j] {
                before_titles[j]
            } else {
                j
            };
        }
        for k in 1..n_top {
            let j = before_titles[k];
            if direct[k].is_none() && !quote_taken[k] && !is_work[j] && self.continues(j, k) {
                direct[k] = direct[j].clone().and_then(|a| self.inherit(k, &a));
            }
        }
        for k in (0..n_top.saturating_sub(1)).rev() {
            if direct[k].is_none() && !quote_taken[k] && self.continues(k, k + 1) {
                direct[k] = direct[k + 1].clone().and_then(|a| self.inherit(k, &a));
            }
        }
        // A paragraph that opens with an unattributed quote continues the last speaker
        // of the paragraph before (the news convention for runs of quote paragraphs).
        let mut last_in_paragraph: HashMap<usize, Attribution> = HashMap::new();
        let mut last_in_sentence: HashMap<usize, Attribution> = HashMap::new();
        for a in out.iter().chain(direct.iter().flatten()) {
            // a report inside a quotation is the quoted speaker's words, not a new speaker
            let quoted = a
                .cue
                .is_some_and(|c| self.quote_of[self.token_at(c.start)].is_some());
            if a.source.is_none() || quoted {
                continue;
            }
            let t = self.token_at(a.content.start);
            let si = self.sentence_of[t] as usize;
            if last_in_sentence
                .get(&si)
                .is_none_or(|b| b.content.start < a.content.start)
            {
                last_in_sentence.insert(si, a.clone());
            }
            let p = self.paragraph_at(a.content.start);
            let later = last_in_paragraph
                .get(&p)
                .is_none_or(|b| b.content.start < a.content.start);
            if later {
                last_in_paragraph.insert(p, a.clone());
            }
        }
        for k in 0..n_top {
            if direct[k].is_some() || quote_taken[k] {
                continue;
            }
            let Some(open) = self.marks[k].0 else {
                continue;
            };
            let s = self.sentence(open);
            if s.tokens.start != open || self.quotations[self.top[k]].close.is_none() {
                continue;
            }
            let opens_paragraph = open == 0 || self.sentence(open - 1).paragraph != s.paragraph;
            if !opens_paragraph {
                // `Smith said the plan failed. "It's a disaster."` (up to two sentences back)
                let here = self.sentence_of[open] as usize;
                for back in 1..=2 {
                    let Some(prev) = here.checked_sub(back) else {
                        break;
                    };
                    if self.sentences[prev].paragraph != s.paragraph {
                        break;
                    }
                    if let Some(a) = last_in_sentence.get(&prev) {
                        direct[k] = self.inherit(k, a);
                        break;
                    }
                }
                continue;
            }
            if s.paragraph == 0 {
                continue;
            }
            let para = s.paragraph;
            if let Some(a) = last_in_paragraph.get(&(para - 1)) {
                direct[k] = self.inherit(k, a);
                if let Some(d) = &direct[k] {
                    let later = last_in_paragraph
                        .get(&para)
                        .is_none_or(|b| b.content.start < d.content.start);
                    if later {
                        last_in_paragraph.insert(para, d.clone());
                    }
                }
            }
        }
        for k in 0..n_top {
            if direct[k].is_none() && !quote_taken[k] && !is_work[k] {
                out.extend(self.named_as(k));
            }
        }
        if let Some(a) = self.headline_colon() {
            // `Trump: "..."` already has its frame
            if !direct.iter().flatten().any(|d| d.cue == a.cue) {
                // the headline's verbs report the claim, they do not frame one of their own
                let inside = |b: &Attribution| {
                    b.cue.is_some_and(|c| a.content.contains(c)) && a.content.contains(b.content)
                };
                out.retain(|b| !inside(b));
                for d in &mut direct {
                    if d.as_ref().is_some_and(inside) {
                        *d = None;
                    }
                }
                out.push(a);
            }
        }
        out.extend(direct.into_iter().flatten());
        out.sort_by_key(|a| (a.content.start, a.content.end));
        out.dedup_by(|b, a| a.content == b.content);
        out
    }

    /// `Bush referred to Rubio as "a bright leader"`, `has postured himself as the "law
    /// and order candidate"`: a quotation after "as" that no frame claims names what the
    /// verb before it describes, in the words of that verb's subject (of a passive, its
    /// agent: `seen by organizers as "a lifeboat"`; none for `known as "Guccifer"`). The
    /// content runs from the verb's object (from "as" when it has none) to the closing
    /// mark; the judge weighs it by the verb and the rule's own confidence, [`NAMED_AS`].
    fn named_as(&self, k: usize) -> Option<Attribution> {
        let (Some(open), Some(close)) = self.marks[k] else {
            return None;
        };
        let s = self.sentence(open);
        let mut as_at = open.checked_sub(1)?;
        // "as a "lifeboat"", "as, "a little desperate""
        if as_at > s.tokens.start && matches!(self.class(as_at), Class::Det | Class::Comma) {
            as_at -= 1;
        }
        // `arrived as "the vote" began`: "as" opening a clause means "when" (not `known
        // as "Guccifer," was sentenced`, where the comma closes the name)
        let clause_follows = close + 1 < s.tokens.end
            && !self.closes_on_comma(close)
            && matches!(
                self.class(close + 1),
                Class::Verb | Class::Aux | Class::Modal
            );
        if as_at <= s.tokens.start + 1
            || !self.is_word(as_at, "as")
            || self.is_word(as_at - 1, "such")
            || self.sentence_of[close] != self.sentence_of[open]
            || clause_follows
        {
            return None;
        }
        // the nearest verb before "as" in the same clause
        let floor = s.tokens.start.max(as_at.saturating_sub(12));
        let verb = (floor..as_at).rev().find(|&t| {
            self.quote_of[t].is_none() && matches!(self.class(t), Class::Verb | Class::Participle)
        })?;
        if (verb + 1..as_at).any(|t| {
            self.quote_of[t].is_some()
                || matches!(
                    self.class(t),
                    Class::Comma | Class::Subord | Class::Wh | Class::Verb | Class::Punct
                )
        }) {
            return None;
        }
        // "referred to Rubio as", "played down the remarks as": a particle before the
        // object
        let mut object = verb + 1;
        if object < as_at
            && matches!(self.class(object), Class::Prep | Class::Adverb)
            && !self.is_word(object, "by")
        {
            object += 1;
        }
        let word = self.word(verb);
        let form = lexicon::cue_verb(word).map_or(
            if self.class(verb) == Class::Participle {
                Form::Gerund
            } else {
                Form::Past
            },
            |(_, form)| form,
        );
        // "was widely seen as", and "The film, released as": passives
        let mut before = verb;
        while before > s.tokens.start && self.class(before - 1) == Class::Adverb {
            before -= 1;
        }
        // (a participle after "been" is progressive: "has been steadily pounding")
        let passive = before > s.tokens.start
            && self.class(verb) == Class::Verb
            && (self.is_word(before - 1, "known")
                || ["is", "was", "are", "were", "be", "been", "being"]
                    .iter()
                    .any(|w| self.is_word(before - 1, w))
                || self.tokens[verb].pos == Some(Pos::VBN)
                    && self.class(before - 1) == Class::Comma);
        // "seen by organizers as": a passive whose agent is named
        let agent = self
            .is_word(verb + 1, "by")
            .then(|| self.np_right(verb + 2, as_at))
            .flatten();
        let passive = passive || agent.is_some() || word.eq_ignore_ascii_case("known");
        // a passive has no object: what stands before "as" is an adjunct ("known online")
        let start = if !passive && object < as_at && self.class(object) != Class::Prep {
            object
        } else {
            as_at
        };
        let source = if passive {
            agent
        } else {
            self.subject_of(verb, form)
        };
        let content = Span::new(self.tokens[start].span.start, self.tokens[close].span.end);
        let mut a = self.make(content, self.tokens[verb].span, source, NAMED_AS)?;
        a.kind = AttributionKind::Mixed;
        Some(a)
    }

    /// `Okafor: Council's 'Reckless Budget' Sinks the Harbor Plan`, `Obama on Climate
    /// Change: The Trends Are 'Terrifying'`: a headline that opens with a name (and a
    /// topic after "on") and a colon is that name's claim, to the end of the headline.
    /// Column and live-blog labels (`The Latest:`, `Delegate Update:`) and labels in
    /// capitals are not speakers.
    fn headline_colon(&self) -> Option<Attribution> {
        let h = self.headline?;
        let first = self.tokens.partition_point(|t| t.span.start < h.start);
        let end = self.tokens.partition_point(|t| t.span.end <= h.end);
        let colon = (first..end.min(first + 9)).find(|&t| self.word(t) == ":")?;
        if colon == first || self.quote_of[colon].is_some() || colon + 2 > end {
            return None;
        }
        let topic = (first + 1..colon).find(|&t| self.is_word(t, "on"));
        let name = first..topic.unwrap_or(colon);
        let label = [
            "latest",
            "update",
            "daily",
            "breaking",
            "exclusive",
            "watch",
            "video",
        ];
        let capitalized = |t: usize| {
            self.word(t)
                .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                || self.class(t) == Class::Possessive
                || matches!(self.word(t), "&" | "." | "-")
        };
        let all_caps = self
            .text
            .get(self.tokens[name.start].span.start..self.tokens[name.end - 1].span.end)
            .is_some_and(|w| {
                w.chars().filter(|c| c.is_alphabetic()).count() > 3
                    && !w.chars().any(char::is_lowercase)
            });
        if name.len() > 6
            || self.is_word(first, "the")
            || all_caps
            // title case misleads the tagger ("Jane Roe:"): any capitalized word but
            // a function word may open a name
            || matches!(
                self.class(first),
                Class::Det
                    | Class::Pronoun
                    | Class::Wh
                    | Class::Prep
                    | Class::Conj
                    | Class::Subord
                    | Class::Adverb
                    | Class::Quote
            )
            || !name.clone().all(capitalized)
            || name
                .clone()
                .any(|t| label.iter().any(|w| self.is_word(t, w)))
        {
            return None;
        }
        let content = Span::new(
            self.tokens[colon + 1].span.start,
            self.tokens[end - 1].span.end,
        );
        let cue = Span::new(
            self.tokens[topic.unwrap_or(colon)].span.start,
            self.tokens[colon].span.end,
        );
        let mut a = self.make(content, cue, Some(name), HEADLINE_COLON)?;
        if self
            .top
            .iter()
            .any(|&qi| a.content.contains(self.quotations[qi].content))
        {
            a.kind = AttributionKind::Mixed;
        }
        Some(a)
    }

    /// Whether quotation `b` continues quotation `a` with the same speaker: the next
    /// sentence of the same paragraph, or the next paragraph of an unclosed quote.
    fn continues(&self, a: usize, b: usize) -> bool {
        let qa = &self.quotations[self.top[a]];
        let (Some(a_open), _) = self.marks[a] else {
            return false;
        };
        let (Some(b_open), _) = self.marks[b] else {
            return false;
        };
        let pa = self.sentence(a_open).paragraph;
        let pb = self.sentence(b_open).paragraph;
        if qa.close.is_none() {
            return pb == pa + 1 && self.sentence(b_open).tokens.start == b_open;
        }
        if pa != pb {
            return false;
        }
        let a_end = self.marks[a].1.unwrap_or(a_open);
        // the next sentence opens with the quote: `"A," said X, who ... . "B."`
        if self.sentence(b_open).tokens.start == b_open
            && self.sentence_of[b_open] == self.sentence_of[a_end] + 1
        {
            return true;
        }
        // nothing but a frame or nothing at all between the two quotations
        let between = a_end + 1..b_open;
        let other_verb = |t: usize| {
            self.quote_of[t].is_none()
                && matches!(self.class(t), Class::Verb)
                && lexicon::cue_verb(self.word(t)).is_none()
                && !self.in_name(t)
        };
        if between.len() <= 12 && !between.clone().any(other_verb) {
            return true;
        }
        // `"A," said X, an economist who is the director of ..., "B."`: a frame with a long
        // appositive, set off by commas inside one sentence
        let frame_first = (a_end + 1..(a_end + 10).min(b_open))
            .any(|t| self.cue_at(t).is_some_and(|(v, _)| v.speech));
        // (`"A," X wrote in an email to Y, and "B."`: a conjunction may follow the comma)
        let mut joint = b_open - 1;
        if self.class(joint) == Class::Conj && joint > a_end + 1 {
            joint -= 1;
        }
        between.len() <= 45
            && frame_first
            && self.sentence_of[b_open] == self.sentence_of[a_end]
            && self.class(joint) == Class::Comma
            && between.clone().all(|t| self.quote_of[t].is_none())
            && !between
                .clone()
                .any(|t| other_verb(t) && !self.after_relative(t, a_end + 1))
    }

    /// A capitalized word the tagger took for a verb inside a name ("told Capital
    /// Download", "Meet the Press").
    fn in_name(&self, t: usize) -> bool {
        t > 0
            && self.class(t - 1) == Class::Proper
            && !self.in_title_case(t)
            && self.word(t).chars().next().is_some_and(char::is_uppercase)
    }

    /// Transcript lines: a paragraph opening with a speaker label in capitals
    /// (`WALLACE: ...`, `MR. SMITH: ...`) is that speaker's, to the paragraph end.
    fn transcript_lines(&self) -> Vec<Attribution> {
        let mut out = Vec::new();
        let mut si = 0;
        while si < self.sentences.len() {
            let s = &self.sentences[si];
            let para = s.paragraph;
            let first_of_paragraph = si == 0 || self.sentences[si - 1].paragraph != para;
            si += 1;
            if !first_of_paragraph {
                continue;
            }
            let mut t = s.tokens.start;
            while t < s.tokens.end && self.class(t) == Class::Quote {
                t += 1;
            }
            let label_start = t;
            while t < s.tokens.end && t - label_start < 4 && is_caps_label(self.word(t)) {
                t += 1;
            }
            if t == label_start || t >= s.tokens.end || self.word(t) != ":" {
                continue;
            }
            // the paragraph's last word
            let mut last = t;
            let mut j = si - 1;
            while j < self.sentences.len() && self.sentences[j].paragraph == para {
                last = self.sentences[j].tokens.end - 1;
                j += 1;
            }
            if last <= t + 1 {
                continue;
            }
            let content = Span::new(self.tokens[t + 1].span.start, self.tokens[last].span.end);
            if let Some(mut a) = self.make(content, self.tokens[t].span, Some(label_start..t), 0.8)
            {
                a.kind = AttributionKind::Direct;
                out.push(a);
            }
        }
        out
    }

    /// The content of `a` cut before its first trailing adjunct: a comma or dash followed
    /// by a relative clause, a participle, a conjunction or a subordinate clause ("...
    /// should be released, which angered ..."). Marked with its own rule confidence.
    fn shorter_content(&self, a: &Attribution) -> Option<Attribution> {
        if a.content.is_empty() {
            return None;
        }
        let first = self.token_at(a.content.start);
        let last = self.token_at(a.content.end - 1);
        let opens_adjunct = |t: usize| {
            matches!(
                self.class(t),
                Class::Wh | Class::Participle | Class::Conj | Class::Subord
            ) || (self.class(t) == Class::Pronoun
                && t < last
                && matches!(self.class(t + 1), Class::Verb))
        };
        // a quotation that ends the words it quotes with their comma ("corrupt," noting)
        let after_quoted_comma = |t: usize| self.closes_on_comma(t - 1);
        let cut = (first + 3..last).find(|&t| {
            self.quote_of[t].is_none()
                && (self.class(t) == Class::Dash
                    || (self.class(t) == Class::Comma && opens_adjunct(t + 1))
                    // not `"A," and "B"`, a list of quotations
                    || (after_quoted_comma(t)
                        && (self.class(t) != Class::Conj
                            || self.is_word(t, "but")
                            || self.class(t + 1) == Class::Pronoun)
                        && opens_adjunct(t))
                    // `called it "a disaster" and promised to ...`: a second verb phrase
                    || (self.class(t - 1) == Class::Quote
                        && self.quote_of[t - 1].is_some()
                        && (self.is_word(t, "and") || self.is_word(t, "but"))
                        // (not `"come and sign" and then "bring a neighbor"`: more quoted words)
                        && (self.class(t + 1) == Class::Verb
                            || self.class(t + 1) == Class::Adverb
                                && t + 2 < last
                                && self.class(t + 2) == Class::Verb)))
        })?;
        let content = trim_punct(
            self.text,
            Span::new(a.content.start, self.tokens[cut - 1].span.end),
        );
        let holds_quote = (first..cut).any(|t| self.class(t) == Class::Quote);
        Some(Attribution {
            content,
            confidence: SHORTER,
            kind: if a.kind == AttributionKind::Mixed && !holds_quote {
                AttributionKind::Indirect
            } else {
                a.kind
            },
            ..a.clone()
        })
    }

    fn is_speech_cue_at(&self, cue: Span) -> bool {
        let t = self.token_at(cue.start);
        lexicon::cue_verb(self.word(t)).is_some_and(|(v, _)| v.speech) || self.is_according_to(t)
    }

    fn token_at(&self, byte: usize) -> usize {
        self.tokens
            .partition_point(|t| t.span.end <= byte)
            .min(self.tokens.len().saturating_sub(1))
    }

    fn paragraph_at(&self, byte: usize) -> usize {
        let t = self
            .tokens
            .partition_point(|t| t.span.end <= byte)
            .min(self.tokens.len().saturating_sub(1));
        if self.tokens.is_empty() {
            0
        } else {
            self.sentence(t).paragraph
        }
    }

    fn direct(&self, k: usize, f: &Frame) -> Option<Attribution> {
        let q = &self.quotations[self.top[k]];
        if q.content.is_empty() {
            return None;
        }
        // `The summit did "too little," she said.`: the frame reports the whole clause
        // the quotation ends, a mixed quote.
        let (open, close) = self.marks[k];
        let mut kind = AttributionKind::Direct;
        let mut content = q.content;
        let participle_frame = lexicon::cue_verb(&self.text[f.cue.start..f.cue.end])
            .is_some_and(|(_, form)| form == Form::Gerund);
        if let (true, false, Some(open), Some(close)) = (f.after, participle_frame, open, close) {
            let s = self.sentence(open);
            let mut lead = s.tokens.start;
            if ["and", "but", "so", "yet"]
                .iter()
                .any(|w| self.is_word(lead, w))
            {
                lead += 1;
            }
            let clause_before = open >= lead + 2
                && self.sentence_of[close] == self.sentence_of[open]
                && !matches!(self.class(open - 1), Class::Comma | Class::Dash)
                && self.word(open - 1) != ":"
                && (lead..open).all(|t| self.quote_of[t].is_none() && self.cue_at(t).is_none())
                && (lead..open).any(|t| {
                    self.tokens[t]
                        .span
                        .slice(self.text)
                        .chars()
                        .any(char::is_alphanumeric)
                });
            if clause_before {
                kind = AttributionKind::Mixed;
                content = Span::new(self.tokens[lead].span.start, self.tokens[close].span.end);
            }
        }
        Some(Attribution {
            kind,
            content,
            cue: Some(f.cue),
            source: f.source.clone().map(|r| self.span_of(r)),
            source_tokens: f.source.clone(),
            speaker: None,
            confidence: f.confidence,
        })
    }

    fn inherit(&self, k: usize, from: &Attribution) -> Option<Attribution> {
        let q = &self.quotations[self.top[k]];
        if q.content.is_empty() {
            return None;
        }
        Some(Attribution {
            kind: AttributionKind::Direct,
            content: q.content,
            confidence: (from.confidence - 0.15).max(0.3),
            ..from.clone()
        })
    }

    fn span_of(&self, r: Range<usize>) -> Span {
        Span::new(
            self.tokens[r.start].span.start,
            self.tokens[r.end - 1].span.end,
        )
    }

    /// The reporting frame beside top-level quotation `k`.
    fn quote_frame(&self, k: usize) -> Option<Frame> {
        let (open, close) = self.marks[k];
        if open.is_some_and(|o| self.names_a_work(k, o)) {
            return None;
        }
        if let Some(close) = close {
            if let Some(f) = self.frame_after(close) {
                let opening = open.is_some_and(|o| self.in_opening_clause(o, close));
                if !opening || self.frame_ends_clause(&f) {
                    return Some(Frame { after: true, ..f });
                }
            }
        }
        open.and_then(|o| self.frame_before(k, o))
    }

    /// Whether a frame found after a quotation ends there: its cue (and a source after
    /// it) followed by a comma, a closing punctuation mark or the sentence end.
    fn frame_ends_clause(&self, f: &Frame) -> bool {
        let cue = self.token_at(f.cue.start);
        let mut t = self.token_at(f.cue.end.saturating_sub(1)) + 1;
        if let Some(src) = &f.source {
            t = t.max(src.end);
        }
        let end = self.sentence(cue).tokens.end;
        t >= end || matches!(self.class(t), Class::Comma | Class::Punct | Class::Dash)
    }

    /// `Asked about the "phony system," Trump said ...`: a quotation that closes, on its
    /// comma, the participle or subordinate clause opening its sentence belongs to that
    /// clause; a frame after it that goes on with a clause of its own reports that clause
    /// (a frame set off by commas, `If we lose this "fight," Smith said, the city ...`, is
    /// still the quotation's: see [`Self::frame_ends_clause`]).
    fn in_opening_clause(&self, open: usize, close: usize) -> bool {
        let s = self.sentence(open);
        let first = s.tokens.start;
        open > first + 1
            && self.closes_on_comma(close)
            && (matches!(self.class(first), Class::Participle | Class::Subord)
                || self.tokens[first].pos == Some(Pos::VBN))
            && (first..open).all(|t| self.class(t) != Class::Comma && self.quote_of[t].is_none())
    }

    /// A quotation that names a work or a show ("on CNN's "State of the Union"",
    /// "an ad titled "Arrogant"") rather than quoting anyone.
    fn names_a_work(&self, k: usize, open: usize) -> bool {
        if open == 0 {
            return false;
        }
        let prev = self.word(open - 1);
        let naming = [
            "titled",
            "entitled",
            "called",
            "dubbed",
            "named",
            "headlined",
            "nicknamed",
        ];
        if naming.iter().any(|w| prev.eq_ignore_ascii_case(w)) {
            return true;
        }
        let q = &self.quotations[self.top[k]];
        let words: Vec<&str> = self.text[q.content.start..q.content.end]
            .split_whitespace()
            .collect();
        let title_like = words.len() <= 8
            && words
                .iter()
                .map(|w| w.trim_start_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| w.len() > 3)
                .all(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()));
        if !title_like {
            return false;
        }
        let is_media = |t: usize| {
            const MEDIA: &[&str] = &[
                "book",
                "show",
                "documentary",
                "film",
                "movie",
                "program",
                "programme",
                "song",
                "album",
                "column",
                "headline",
                "article",
                "essay",
                "series",
                "podcast",
                "speech",
                "ad",
                "video",
                "play",
                "novel",
                "memoir",
                "report",
                "campaign",
                "slogan",
            ];
            t < self.tokens.len() && MEDIA.iter().any(|m| self.word(t).eq_ignore_ascii_case(m))
        };
        // a section heading: a paragraph that is only a short title-like quotation
        let (_, close) = self.marks[k];
        let heading = close.is_some_and(|c| {
            let s = self.sentence(c);
            self.sentence(open).tokens.start == open
                && (c + 1 == s.tokens.end || c + 2 == s.tokens.end)
                && (open == 0 || self.sentence(open - 1).paragraph != s.paragraph)
                && (c + 1 >= self.tokens.len() || self.sentence(c + 1).paragraph != s.paragraph)
        });
        // the second of two titles: `hits including "Blue Harbor" and "Salt Road"`
        // (one step back, no further: the check stays constant-time)
        let after_title = matches!(prev, "and" | "or")
            && k > 0
            && open >= 2
            && self.marks[k - 1].1 == Some(open - 2)
            && self.marks[k - 1].0.is_some_and(|o| {
                o > 0
                    && (self.is_word(o - 1, "including")
                        || self.is_word(o - 1, "in")
                        || is_media(o - 1))
            });
        heading
            || self.class(open - 1) == Class::Possessive
            || matches!(
                prev,
                "on" | "in" | "of" | "from" | "the" | "his" | "her" | "their" | "its" | "a"
                    | "including"
            )
            // `told "Morning Harbor"`: a show as the addressee
            || self.cue_at(open - 1).is_some_and(|(v, _)| v.addressee)
            || is_media(open - 1)
            || (prev == "," && open >= 2 && is_media(open - 2))
            || close.is_some_and(|c| is_media(c + 1))
            || after_title
    }

    /// `"...," he said` / `"...," said Smith` / `"...," Smith, who ..., told X` /
    /// `"...," telling X`.
    fn frame_after(&self, close: usize) -> Option<Frame> {
        let s = self.sentence(close);
        let (mut j, limit, next_sentence) = if close + 1 < s.tokens.end {
            (close + 1, s.tokens.end, false)
        } else {
            // `"...?" Smith asked.` is split after the question mark: the frame is the
            // whole next sentence.
            let next = self.sentences.get(self.sentence_of[close] as usize + 1)?;
            if next.paragraph != s.paragraph {
                return None;
            }
            (next.tokens.start, next.tokens.end, true)
        };
        // `"..." ― Jane Doe` (a dash before the name, as under letters and reader comments)
        if !next_sentence && j < limit && self.class(j) == Class::Dash {
            if let Some(np) = self.np_right(j + 1, limit) {
                if self.class(np.end - 1) == Class::Proper {
                    return Some(Frame {
                        cue: self.tokens[j].span,
                        source: Some(np),
                        confidence: 0.8,
                        after: false,
                    });
                }
            }
        }
        while j < limit && matches!(self.class(j), Class::Comma | Class::Dash) {
            j += 1;
        }
        if j >= limit || self.quote_of[j].is_some() {
            return None;
        }
        let frame = self.frame_after_at(j, limit)?;
        if next_sentence {
            // the next sentence must be nothing but the frame and its adjuncts
            let cue_tok = self
                .tokens
                .partition_point(|t| t.span.start < frame.cue.start);
            let clause_follows = (cue_tok + 1..limit).any(|t| {
                matches!(self.class(t), Class::Verb | Class::Aux | Class::Modal)
                    || self.is_word(t, "that")
                    || self.quote_of[t].is_some()
            });
            if clause_follows {
                return None;
            }
        }
        Some(frame)
    }

    fn frame_after_at(&self, j: usize, limit: usize) -> Option<Frame> {
        // said Smith / according to Smith
        if let Some((verb, form)) = self.cue_at(j) {
            if form == Form::Gerund {
                if verb.speech {
                    return Some(Frame {
                        cue: self.tokens[j].span,
                        source: self.main_subject(j),
                        confidence: 0.8,
                        after: false,
                    });
                }
                return None;
            }
            if !verb.speech {
                return None;
            }
            let src = self.np_right(j + 1, limit);
            return Some(Frame {
                cue: self.tokens[j].span,
                confidence: if src.is_some() { 0.95 } else { 0.6 },
                source: src,
                after: false,
            });
        }
        if self.is_according_to(j) {
            let src = self.np_right(j + 2, limit)?;
            return Some(Frame {
                cue: Span::new(self.tokens[j].span.start, self.tokens[j + 1].span.end),
                source: Some(src),
                confidence: 0.9,
                after: false,
            });
        }
        // he said / Smith, who ..., told
        let np = self.np_right(j, limit)?;
        let mut c = np.end;
        if c < limit && self.word(c) == "(" {
            while c < limit && c - np.end < 12 && self.word(c) != ")" {
                c += 1;
            }
            c += 1;
        }
        // `"...," a narrator in the ad asks`: a prepositional phrase ends the subject
        if c < limit && self.class(c) == Class::Prep && !self.is_according_to(c) {
            if let Some(pp) = self.np_right(c + 1, limit) {
                let mut v = pp.end;
                while v < limit && matches!(self.class(v), Class::Adverb | Class::Aux) {
                    v += 1;
                }
                if self.cue_at(v).is_some() {
                    c = pp.end;
                }
            }
        }
        while c < limit && matches!(self.class(c), Class::Adverb | Class::Aux | Class::Modal) {
            c += 1;
        }
        if c < limit && matches!(self.class(c), Class::Comma | Class::Dash) {
            // skip an appositive or relative clause up to the next comma (or dash), or the
            // one after when a place holds a comma ("now retired in Salem, Ore., said")
            let delimiter = self.class(c);
            let open = c;
            let mut m = c + 1;
            loop {
                while m < limit && m - open < 40 && self.class(m) != delimiter {
                    if self.quote_of[m].is_some() {
                        return None;
                    }
                    // `another neighbor, Tomas Ruiz told WXYZ`: an appositive name whose
                    // closing comma is missing
                    if self.class(m) == Class::Verb
                        && matches!(self.class(m - 1), Class::Proper)
                        && (open + 1..m).all(|t| self.class(t) == Class::Proper)
                        && self.cue_at(m).is_some_and(|(v, _)| v.speech)
                    {
                        return Some(Frame {
                            cue: self.tokens[m].span,
                            source: Some(np),
                            confidence: 0.95,
                            after: false,
                        });
                    }
                    m += 1;
                }
                if m >= limit || self.class(m) != delimiter {
                    return None;
                }
                c = m + 1;
                while c < limit
                    && matches!(self.class(c), Class::Adverb | Class::Aux | Class::Modal)
                {
                    c += 1;
                }
                if self.cue_at(c).is_some() || m - open >= 40 {
                    break;
                }
                m += 1;
            }
        }
        let (verb, _) = self.cue_at(c)?;
        if !verb.speech && !verb.belief {
            return None;
        }
        Some(Frame {
            cue: self.tokens[c].span,
            source: Some(np),
            confidence: 0.95,
            after: false,
        })
    }

    /// `Smith said: "..."` / `telling X, "..."` / `a declaration: "..."`.
    fn frame_before(&self, k: usize, open: usize) -> Option<Frame> {
        let s = self.sentence(open);
        let mut start = s.tokens.start;
        // a quote opening a paragraph may follow a frame that ends the paragraph before:
        // `He said:` / `"..."`
        if open == s.tokens.start {
            return self.frame_across_paragraphs(open);
        }
        // the frame lies between the previous quotation and this one
        for t in (s.tokens.start..open).rev() {
            if self.quote_of[t].is_some() {
                start = t + 1;
                break;
            }
        }
        if start >= open {
            return None;
        }
        let last = open - 1;
        let punct = matches!(self.word(last), ":" | ",");
        let q = &self.quotations[self.top[k]];
        let full_sentence = self
            .text
            .get(q.content.start..q.content.end)
            .and_then(|t| t.chars().next())
            .is_some_and(|c| c.is_uppercase());
        if !punct && !full_sentence {
            return None;
        }
        // a quotation the clause runs on after ("claimed "X" the level ...") is a
        // fragment: the reported clause holding it is a mixed quote
        if let Some(close) = self.marks[k].1 {
            let runs_on = close + 1 < s.tokens.end
                && self.sentence_of[close + 1] == self.sentence_of[open]
                && matches!(
                    self.class(close + 1),
                    Class::Noun
                        | Class::Det
                        | Class::Adj
                        | Class::Prep
                        | Class::Verb
                        | Class::Adverb
                        | Class::Proper
                        | Class::Num
                        | Class::PossPronoun
                        | Class::To
                        | Class::Subord
                );
            if runs_on && !punct {
                return None;
            }
        }
        for c in (start..open).rev() {
            if open - c > 16 {
                break;
            }
            if self.is_according_to(c) {
                let src = self.np_right(c + 2, open)?;
                return Some(Frame {
                    cue: Span::new(self.tokens[c].span.start, self.tokens[c + 1].span.end),
                    source: Some(src),
                    confidence: 0.85,
                    after: false,
                });
            }
            if let Some((verb, form)) = self.cue_at(c) {
                // the words between the cue and the quote must not hold another clause
                // (but a relative clause on the speaker may stand there: `Said Jane Doe,
                // who grew up here, "..."`)
                // (the word before the quotation counts too unless it is the frame's
                // punctuation: `posted that the ruling was "Shameful!"`)
                let gap_end = if punct { last } else { open };
                let gap_has_verb = (c + 1..gap_end).any(|t| {
                    matches!(self.class(t), Class::Verb | Class::Aux | Class::Modal)
                        && !(self.word(last) == "," && self.after_relative(t, c + 1))
                });
                // `said that after 90 years, "It's our turn."`: a reported clause that ends in
                // the quotation is a mixed quote
                let reported_clause = (c + 1..gap_end)
                    .any(|t| self.is_word(t, "that") && self.class(t) == Class::Subord);
                if gap_has_verb || reported_clause {
                    return None;
                }
                if !(verb.speech || verb.belief && self.word(last) == ":") {
                    return None;
                }
                let source = if self.is_passive(c, form) {
                    // `is shown by this finding: "..."`: the agent, if named
                    self.is_word(c + 1, "by")
                        .then(|| self.np_right(c + 2, last))
                        .flatten()
                } else {
                    self.subject_of(c, form).or_else(|| {
                        // `Said Ellis: "..."`, and `"...," said Ellis, the mayor, "..."`
                        // (not `told reporters`: after such a verb stands its addressee)
                        (c == s.tokens.start
                            || !verb.addressee
                                && matches!(self.class(c - 1), Class::Quote | Class::Comma))
                        .then(|| self.np_right(c + 1, open))
                        .flatten()
                    })
                };
                return Some(Frame {
                    cue: self.tokens[c].span,
                    confidence: if source.is_some() { 0.9 } else { 0.6 },
                    source,
                    after: false,
                });
            }
            if self.word(last) == ":"
                && c + 1 == last
                && lexicon::is_nominal_cue(self.word(c))
                && self.class(c) == Class::Noun
            {
                // "..., that I had to change my answer:": the subject of the noun's clause
                let floor = s.tokens.start.max(c.saturating_sub(12));
                let clause_subject = (floor..c)
                    .rev()
                    .take_while(|&t| self.class(t) != Class::Comma && self.quote_of[t].is_none())
                    .filter(|&t| matches!(self.class(t), Class::Verb | Class::Aux | Class::Modal))
                    .find_map(|t| self.subject_of(t, Form::Past))
                    // not the object of a verb or preposition ("The lawyer who represented
                    // him gave a statement:")
                    .filter(|src| {
                        src.start == 0
                            || !matches!(
                                self.class(src.start - 1),
                                Class::Verb | Class::Participle | Class::Prep
                            )
                    });
                return Some(Frame {
                    cue: self.tokens[c].span,
                    source: clause_subject.or_else(|| self.main_subject(c)),
                    confidence: 0.75,
                    after: false,
                });
            }
            if self.class(c) == Class::Verb && c != last {
                // a relative clause on the speaker or addressee before the frame's comma
                if self.word(last) == "," && self.after_relative(c, start) {
                    continue;
                }
                return self.colon_frame(c, last);
            }
        }
        // `Smith: "..."` (headlines, transcripts)
        if self.word(last) == ":" && last > start {
            if let Some(np) = self.np_left(last - 1) {
                // a headline may lead in to the name ("A lesson from Jane Doe: "..."")
                let headline = self
                    .headline
                    .is_some_and(|h| h.contains(self.tokens[open].span));
                if (np.start == start || headline) && self.class(np.end - 1) == Class::Proper {
                    return Some(Frame {
                        cue: self.tokens[last].span,
                        source: Some(np),
                        confidence: 0.7,
                        after: false,
                    });
                }
            }
        }
        None
    }

    /// A quote opening a paragraph after a paragraph that ends with `... said:`.
    fn frame_across_paragraphs(&self, open: usize) -> Option<Frame> {
        if open == 0 {
            return None;
        }
        let prev = open - 1;
        if self.word(prev) != ":"
            || self.sentence(prev).paragraph + 1 != self.sentence(open).paragraph
        {
            return None;
        }
        let s = self.sentence(prev);
        for c in (s.tokens.start..prev).rev().take(8) {
            if let Some((verb, form)) = self.cue_at(c) {
                if !verb.speech {
                    return None;
                }
                return Some(Frame {
                    cue: self.tokens[c].span,
                    source: self.subject_of(c, form),
                    confidence: 0.85,
                    after: false,
                });
            }
        }
        let verb = (s.tokens.start..prev)
            .rev()
            .take(16)
            .find(|&c| self.class(c) == Class::Verb)?;
        self.colon_frame(verb, prev)
    }

    /// `Sanders made the following comment: "..."`: a clause that no cue verb holds but
    /// that ends in the colon before a quotation frames it, in the words of the verb's
    /// subject: a finite verb in the active voice of the sentence's main clause, its
    /// subject a name, a pronoun or a noun, and a quotation that reads as an utterance
    /// (it opens with a capital; not `bought three things: "milk," "eggs"`). The judge
    /// weighs it by the verb and this frame's confidence.
    fn colon_frame(&self, verb: usize, colon: usize) -> Option<Frame> {
        let s = self.sentence(verb);
        let utterance = self
            .tokens
            .get(colon + 2)
            .is_some_and(|t| t.span.slice(self.text).starts_with(char::is_uppercase));
        if self.word(colon) != ":"
            || !utterance
            || self.tokens[verb].pos == Some(Pos::VBN) && !self.sole_verb(verb)
            || (verb + 1..colon).any(|t| self.quote_of[t].is_some())
            // `Jones smiled when the results came: "..."`: not the main clause
            || (s.tokens.start..verb).any(|t| {
                matches!(self.class(t), Class::Subord | Class::Wh)
                    || ["when", "while", "after", "before", "because", "if", "as", "once"]
                        .iter()
                        .any(|w| self.is_word(t, w))
            })
        {
            return None;
        }
        let source = self.subject_of(verb, Form::Past)?;
        if !matches!(
            self.class(source.end - 1),
            Class::Proper | Class::Pronoun | Class::Noun
        ) {
            return None;
        }
        Some(Frame {
            cue: self.tokens[verb].span,
            source: Some(source),
            confidence: 0.5,
            after: false,
        })
    }

    /// Reported speech around the cue at token `c`.
    fn cue_attribution(&self, c: usize, used: &HashSet<usize>) -> Option<Attribution> {
        let s = self.sentence(c);
        let end = self.content_end(s, c);
        if self.is_according_to(c) {
            return self.according_to(c, s, end);
        }
        let (verb, form) = self.cue_at(c)?;
        let cue = self.tokens[c].span;
        if used.contains(&cue.start) {
            return None;
        }
        // passives ("have been reported dead") name no source
        if self.is_passive(c, form) {
            return None;
        }
        // Postposed: `CONTENT, X said.` / `CONTENT, said X.`
        if verb.speech {
            if let Some(a) = self.postposed(c, s, end, form) {
                return Some(a);
            }
        }
        // "put it" only frames a quotation (`as X put it, "..."`), or a clause that quotes
        // its speaker
        if verb.lemma == "put" {
            return self.put_it_clause(c, s, form);
        }
        // Preposed: `X said (that) CONTENT`
        let source = self.subject_of(c, form);
        if self.went_on_to(c).is_some() {
            source.as_ref()?;
        } else if form == Form::Base
            && source
                .as_ref()
                .is_none_or(|r| self.class(r.end - 1) != Class::Pronoun)
        {
            // a bare verb with no pronoun subject is mostly not a report ("to say", "will say")
            let prev = c.checked_sub(1).map(|p| self.class(p));
            if matches!(prev, Some(Class::To | Class::Modal)) || source.is_none() {
                return None;
            }
        }
        let mut k = c + 1;
        // skip adverbs
        while k < end && self.class(k) == Class::Adverb {
            k += 1;
        }
        if k >= end {
            return None;
        }
        // "appeared to be feeling better and ...", "feels good about": a state, not a
        // belief (unlike "feels certain that ...", "is confident the plan works")
        if verb.belief
            && !verb.speech
            && self.class(k) == Class::Adj
            && (k + 1 >= end
                || matches!(
                    self.class(k + 1),
                    Class::Conj | Class::Prep | Class::Comma | Class::Punct | Class::To
                ))
        {
            return None;
        }
        if verb.infinitive {
            let neg = matches!(self.class(k), Class::Neg);
            let t = if neg { k + 1 } else { k };
            if t < end && self.class(t) == Class::To {
                return self.make(
                    Span::new(self.tokens[k].span.start, self.tokens[end - 1].span.end),
                    cue,
                    source,
                    0.7,
                );
            }
        }
        // `that` within a few tokens of adjuncts
        let mut that = None;
        let mut in_title = None;
        for t in k..end.min(k + 12) {
            // `told MSNBC's "Morning Joe" that ...`: the title of a work is stepped over
            if let Some(q) = self.quote_of[t] {
                if in_title == Some(q) {
                    continue;
                }
                let q = q as usize;
                if self.marks[q].0 == Some(t) && self.names_a_work(q, t) {
                    in_title = Some(q as u32);
                    continue;
                }
            }
            match self.class(t) {
                // "said the demands that come with ...": a relative pronoun, not the
                // complementizer
                Class::Subord if t > k && self.is_relative_that(t, end) => break,
                Class::Subord if self.is_word(t, "that") => {
                    that = Some(t);
                    break;
                }
                Class::Quote => break,
                // a verb after its own subject starts the content clause; a verb-tagged
                // word right after the cue is a mistagged addressee ("told co-host X")
                Class::Verb | Class::Participle | Class::Aux | Class::Modal
                    if t > k
                        && matches!(
                            self.class(t - 1),
                            Class::Pronoun | Class::Noun | Class::Proper | Class::Num
                        ) =>
                {
                    break
                }
                Class::Aux | Class::Modal => break,
                _ => {}
            }
        }
        let (start, confidence) = if let Some(t) = that {
            (t + 1, 0.85)
        } else {
            if verb.addressee {
                if let Some(np) = self.np_right(k, end) {
                    k = np.end;
                }
                // temporal adjuncts after the addressee: "this weekend", "on Tuesday"
                while k < end && self.is_temporal(k) {
                    k += 1;
                }
                // "told his supporters (at a rally) to go vote"
                let mut t = k;
                if t < end && self.class(t) == Class::Prep {
                    if let Some(np) = self.np_right(t + 1, end) {
                        t = np.end;
                    }
                }
                if t < end && self.class(t) == Class::To {
                    let content =
                        Span::new(self.tokens[t].span.start, self.tokens[end - 1].span.end);
                    return self.make(content, cue, source, 0.7);
                }
            } else if self.word(k) == ":" {
                k += 1;
            }
            if k >= end {
                return None;
            }
            if verb.object && !matches!(self.class(k), Class::Subord | Class::To | Class::Prep) {
                // the object, up to the end of the clause or a time or place adjunct
                let stop = (k + 1..end)
                    .find(|&t| {
                        self.quote_of[t].is_none()
                            && (self.class(t) == Class::Comma
                                || self.class(t) == Class::Subord
                                || (self.class(t) == Class::Prep
                                    && [
                                        "during", "at", "after", "before", "in", "on", "while",
                                        "since",
                                    ]
                                    .iter()
                                    .any(|w| self.is_word(t, w))))
                    })
                    .unwrap_or(end);
                let content = Span::new(self.tokens[k].span.start, self.tokens[stop - 1].span.end);
                return self.make(content, cue, source, 0.6);
            }
            // "called for an inquiry", "called on Congress to act"
            if verb.lemma == "call"
                && (self.is_word(k, "for") || self.is_word(k, "on"))
                && k + 1 < end
            {
                let stop = (k + 1..end)
                    .find(|&t| self.class(t) == Class::Comma && self.quote_of[t].is_none())
                    .unwrap_or(end);
                if stop > k + 1 {
                    let content = Span::new(
                        self.tokens[k + 1].span.start,
                        self.tokens[stop - 1].span.end,
                    );
                    let cue = Span::new(cue.start, self.tokens[k].span.end);
                    return self.make(content, cue, source, 0.7);
                }
            }
            if verb.naming {
                // the object and what it is called, up to the end of the clause, when it
                // quotes the name given (the clause may end inside the closing mark: `what
                // she called a "tirade," a string of posts`; not in a list of names)
                let stop = (k..end)
                    .find_map(|t| {
                        // `described her as a "menace" after she criticized ...`: a clause
                        // after the quoted name is not part of it
                        let quoted_before = t > k && (k..t).any(|u| self.quote_of[u].is_some());
                        let new_clause = self.quote_of[t].is_none()
                            && (self.class(t) == Class::Subord
                                || ["after", "before", "while", "because", "since"]
                                    .iter()
                                    .any(|w| self.is_word(t, w)));
                        if self.class(t) == Class::Comma && self.quote_of[t].is_none()
                            || quoted_before && new_clause
                        {
                            Some(t)
                        } else {
                            (self.closes_on_comma(t)
                                && t + 1 < end
                                && (t + 1..end).all(|u| self.quote_of[u].is_none()))
                            .then_some(t + 1)
                        }
                    })
                    .unwrap_or(end);
                let quoted = (k..stop).any(|t| self.quote_of[t].is_some());
                // "called her vote a mistake", "described the plan as reckless": an object
                // and what it is called, quoted or not
                let particle = ["for", "on", "to", "back", "off", "up", "in", "out"]
                    .iter()
                    .any(|w| self.is_word(k, w));
                let named = stop >= k + 3
                    && !particle
                    && (self.is_word_in(k..stop, "as")
                        || (k + 1..stop).any(|t| {
                            matches!(self.class(t), Class::Det | Class::Adj)
                                && matches!(
                                    self.class(t - 1),
                                    Class::Noun | Class::Proper | Class::Pronoun
                                )
                        }));
                if !(quoted || named) || stop <= k {
                    return None;
                }
                let content = Span::new(self.tokens[k].span.start, self.tokens[stop - 1].span.end);
                return self.make(content, cue, source, 0.65);
            }
            if verb.topic {
                return self.make(
                    Span::new(self.tokens[k].span.start, self.tokens[end - 1].span.end),
                    cue,
                    source,
                    0.6,
                );
            }
            // "which he said were accompanied by ...": the relative clause goes on after
            // the cue with its verb
            let relative = source
                .as_ref()
                .is_some_and(|r| r.start > 0 && matches!(self.class(r.start - 1), Class::Wh));
            if relative && matches!(self.class(k), Class::Verb | Class::Aux | Class::Modal) {
                let content = Span::new(self.tokens[k].span.start, self.tokens[end - 1].span.end);
                return self.make(content, cue, source, 0.7);
            }
            // "said after the convention he would ...": step over one prepositional phrase
            if verb.speech && self.class(k) == Class::Prep {
                if let Some(np) = self.np_right(k + 1, end) {
                    if np.end < end && matches!(self.class(np.end), Class::Pronoun | Class::Proper)
                    {
                        k = np.end;
                    }
                }
            }
            let starts_clause = matches!(
                self.class(k),
                Class::Pronoun
                    | Class::Det
                    | Class::Proper
                    | Class::Noun
                    | Class::Num
                    | Class::PossPronoun
                    | Class::Adj
                    | Class::Quote
            ) || [
                "there", "neither", "either", "both", "if", "how", "why", "whether",
            ]
            .iter()
            .any(|w| self.is_word(k, w));
            if !starts_clause {
                return None;
            }
            // the clause needs a verb of its own
            if !(k..end).any(|t| {
                matches!(self.class(t), Class::Verb | Class::Aux | Class::Modal)
                    || (matches!(verb.lemma, "show" | "find") && self.class(t) == Class::Participle)
            }) {
                // `the senator proclaimed a goal of "Bridges Before Budgets."`: a speech verb's
                // object that quotes the words spoken, to the end of the sentence
                // (not a title: `added old hits including "Blue Harbor"`)
                let quoted = (k..end).any(|t| {
                    self.quote_of[t].is_some_and(|q| {
                        let q = q as usize;
                        // (a slogan after "of" names words, not a work: "a goal of")
                        self.marks[q].0 == Some(t)
                            && (!self.names_a_work(q, t) || self.is_word(t - 1, "of"))
                    })
                });
                if verb.speech && !verb.belief && quoted && self.class(k) != Class::Quote {
                    let content =
                        Span::new(self.tokens[k].span.start, self.tokens[end - 1].span.end);
                    return self.make(content, cue, source, SPOKEN_OBJECT);
                }
                return None;
            }
            (k, if verb.belief { 0.6 } else { 0.75 })
        };
        if start >= end {
            return None;
        }
        let content = Span::new(self.tokens[start].span.start, self.tokens[end - 1].span.end);
        self.make(content, cue, source, confidence)
    }

    /// `As Ms. Park put it in a statement, the station is "giving a view ..."`: the
    /// clause after "as X put it," is X's claim when it quotes X. (A quotation right after
    /// the comma is a direct quote with this frame, found in pass 1.)
    fn put_it_clause(&self, c: usize, s: &Sentence, form: Form) -> Option<Attribution> {
        let source = self.subject_of(c, form)?;
        if source.start == 0 || !self.is_word(source.start - 1, "as") {
            return None;
        }
        let comma = (c + 2..s.tokens.end.min(c + 24))
            .find(|&t| self.class(t) == Class::Comma && self.quote_of[t].is_none())?;
        let start = comma + 1;
        let end = self.content_stop(s.tokens.end);
        if start >= end || self.class(start) == Class::Quote {
            return None;
        }
        if !(start..end).any(|t| self.quote_of[t].is_some()) {
            return None;
        }
        let content = Span::new(self.tokens[start].span.start, self.tokens[end - 1].span.end);
        let cue = Span::new(self.tokens[c].span.start, self.tokens[c + 1].span.end);
        self.make(content, cue, Some(source), 0.7)
    }

    fn make(
        &self,
        content: Span,
        cue: Span,
        source: Option<Range<usize>>,
        confidence: f32,
    ) -> Option<Attribution> {
        let content = trim_punct(self.text, content);
        if content.is_empty()
            || !self.text[content.start..content.end]
                .chars()
                .any(|c| c.is_alphanumeric())
        {
            return None;
        }
        Some(Attribution {
            kind: AttributionKind::Indirect,
            content,
            cue: Some(cue),
            source: source.clone().map(|r| self.span_of(r)),
            source_tokens: source,
            speaker: None,
            confidence,
        })
    }

    /// "... but noted that", "— and he added that": a conjunction that opens another
    /// report of the same or another source ends the content before it.
    fn new_report_starts(&self, t: usize, end: usize) -> bool {
        if !(self.is_word(t, "and") || self.is_word(t, "but") || self.class(t) == Class::Dash) {
            return false;
        }
        let mut u = t + 1;
        if u < end && matches!(self.class(u), Class::Conj) {
            u += 1;
        }
        if u < end && matches!(self.class(u), Class::Pronoun | Class::Proper) {
            u += 1;
        }
        while u < end && matches!(self.class(u), Class::Adverb | Class::Aux) {
            u += 1;
        }
        u < end
            && self.quote_of[u].is_none()
            && self
                .cue_at(u)
                .is_some_and(|(v, f)| v.speech && matches!(f, Form::Past | Form::Third))
    }

    /// `..., the existing military alliance that includes ...`: a noun phrase after a
    /// comma with no verb of its own up to the end describes the noun before it.
    fn appositive_ends_sentence(&self, t: usize, end: usize) -> bool {
        t < end
            && matches!(self.class(t), Class::Det | Class::PossPronoun | Class::Num)
            // "..., the baseball player X and the justice Y" is a list, not an apposition
            && !(t..end).any(|u| self.is_word(u, "and"))
            && !(t..end).any(|u| {
                matches!(self.class(u), Class::Verb | Class::Aux | Class::Modal)
                    && !self.after_relative(u, t)
            })
    }

    /// Whether the verb at `u` stands in a relative clause opened after `from` ("that
    /// includes ...").
    fn after_relative(&self, u: usize, from: usize) -> bool {
        (from..u).any(|w| self.class(w) == Class::Wh || (self.is_word(w, "that") && w > from))
    }

    /// Whether token `c` stands in a relative clause: "in which he vows", "who said".
    fn in_relative_clause(&self, c: usize) -> bool {
        let s = self.sentence(c);
        (s.tokens.start..c)
            .rev()
            .take(6)
            .any(|t| self.class(t) == Class::Wh)
            && (s.tokens.start..c).rev().take(6).all(|t| {
                self.class(t) != Class::Comma
                    || self.class(t + 1) == Class::Wh
                    || self.class(t + 1) == Class::Prep
            })
    }

    /// Whether token `c` stands before the comma that ends an introductory clause
    /// ("Asked if he thinks ..., Smith said").
    fn in_intro_clause(&self, c: usize) -> bool {
        let s = self.sentence(c);
        let first = s.tokens.start;
        let intro = matches!(
            self.class(first),
            Class::Subord | Class::Verb | Class::Participle
        ) && !self
            .cue_at(first)
            .is_some_and(|(_, f)| f != Form::Gerund && c == first);
        // "Writing in the Times, Smith noted ...": the participle's own clause ends at
        // the comma too
        let opening_participle =
            c == first && self.class(c) == Class::Participle && !self.is_according_to(c);
        // "After saying ..., she": a preposition opening the sentence with the participle
        let after_preposition = c == first + 1
            && self.class(first) == Class::Prep
            && self.class(c) == Class::Participle;
        (intro || after_preposition)
            && (c > first || opening_participle)
            && (first..c).all(|t| self.class(t) != Class::Comma)
    }

    /// `NP CUE` or `CUE NP` closing the sentence from token `t`: ", CNBC reports."
    fn postposed_frame_follows(&self, t: usize, end: usize) -> bool {
        let stop = self.content_stop(end);
        if let Some(np) = self.np_right(t, stop) {
            let mut c = np.end;
            while c < stop && matches!(self.class(c), Class::Adverb | Class::Aux) {
                c += 1;
            }
            return c + 1 == stop && self.cue_at(c).is_some_and(|(v, _)| v.speech);
        }
        self.cue_at(t)
            .is_some_and(|(v, f)| v.speech && f != Form::Gerund)
            && self.np_right(t + 1, stop).is_some_and(|np| np.end == stop)
    }

    /// A "that" at `t` that is a relative pronoun after a noun ("the demands that come
    /// ...", "a rally that drew ..."), not a complementizer.
    fn is_relative_that(&self, t: usize, end: usize) -> bool {
        self.is_word(t, "that")
            && t > 0
            && matches!(self.class(t - 1), Class::Noun | Class::Proper)
            && !self.is_temporal(t - 1)
            && t + 1 < end
            && matches!(self.class(t + 1), Class::Verb | Class::Modal)
    }

    /// A participle at `t` that opens an adjunct (", citing ...", not ", including ..."),
    /// rather than a gerund subject of what follows (", replacing her would be ...").
    fn participle_adjunct(&self, t: usize, end: usize) -> bool {
        self.class(t) == Class::Participle
            && !self.is_word(t, "including")
            && !(t + 1..end.min(t + 6))
                .take_while(|&u| !matches!(self.class(u), Class::Comma | Class::Subord))
                .any(|u| self.class(u) == Class::Modal)
    }

    /// The sentence end without its final punctuation.
    fn content_stop(&self, end: usize) -> usize {
        let mut e = end;
        while e > 0
            && matches!(self.class(e - 1), Class::Punct | Class::Quote)
            && self.quote_of[e - 1].is_none()
        {
            e -= 1;
        }
        e
    }

    /// A time word, or a word that starts a time phrase ("this weekend", "on Tuesday").
    fn is_temporal(&self, t: usize) -> bool {
        const W: &[&str] = &["this", "last", "next", "on", "earlier", "recently"];
        self.is_time_word(t) || W.iter().any(|x| self.word(t).eq_ignore_ascii_case(x))
    }

    /// The end (exclusive token index) of a sentence's content: before its final
    /// punctuation and any closing quote after it.
    fn content_end(&self, s: &Sentence, cue: usize) -> usize {
        let mut end = s.tokens.end;
        // What follows a comma is not part of what was said when it is a participial
        // adjunct (", citing ..."), a postposed frame of its own (", CNBC reports") or
        // the end of a relative or introductory clause holding the cue.
        // "Smith, asked whether he would run, said ...": a cue set off after the subject,
        // with the main clause's own frame after it, is a clause that ends at its comma
        let set_off_participle = cue > s.tokens.start + 1
            && self.class(cue - 1) == Class::Comma
            && matches!(self.class(cue - 2), Class::Noun | Class::Proper)
            && (cue + 2..s.tokens.end).any(|t| {
                self.class(t - 1) == Class::Comma
                    && self.quote_of[t].is_none()
                    && self
                        .cue_at(t)
                        .is_some_and(|(v, f)| v.speech && matches!(f, Form::Past | Form::Third))
            });
        let clause_ends_at_comma =
            self.in_relative_clause(cue) || self.in_intro_clause(cue) || set_off_participle;
        if let Some(c) = (cue + 1..s.tokens.end.saturating_sub(1)).find(|&t| {
            self.quote_of[t].is_none() && matches!(self.word(t), ";" | "--") && t > cue + 2
                || t > cue + 2 && self.new_report_starts(t, s.tokens.end)
                || self.class(t) == Class::Comma
                    && self.quote_of[t].is_none()
                    && (clause_ends_at_comma
                        || self.is_word(t + 1, "which")
                        || self.appositive_ends_sentence(t + 1, s.tokens.end)
                        || self.participle_adjunct(t + 1, s.tokens.end)
                        || self.postposed_frame_follows(t + 1, s.tokens.end))
                // `After saying her foot was "so swollen,"`: the clause's comma may stand
                // inside the quotation's closing mark
                || clause_ends_at_comma && self.closes_on_comma(t)
        }) {
            end = if self.closes_on_comma(c) { c + 1 } else { c };
        }
        while end > s.tokens.start
            && matches!(self.class(end - 1), Class::Punct | Class::Quote)
            && self.quote_of[end - 1].is_none()
        {
            end -= 1;
        }
        end
    }

    fn postposed(&self, c: usize, s: &Sentence, end: usize, form: Form) -> Option<Attribution> {
        if form == Form::Gerund || form == Form::Base {
            return None;
        }
        // "Before ..., Trump said at an event that ...": the content follows the cue (not
        // "..., Obama said at a rally that drew thousands")
        if (c + 1..end.min(c + 12))
            .take_while(|&t| !matches!(self.class(t), Class::Comma | Class::Quote | Class::Dash))
            .any(|t| {
                self.is_word(t, "that")
                    && self.class(t) == Class::Subord
                    && !self.is_relative_that(t, end)
            })
        {
            return None;
        }
        // what follows the cue must end the sentence or be a comma-separated adjunct
        let after_ok = |mut t: usize| {
            while t < end && matches!(self.class(t), Class::Adverb) {
                t += 1;
            }
            t >= end || self.class(t) == Class::Comma || self.class(t) == Class::Prep
        };
        // `CONTENT, X said`
        let source = self.subject_of(c, form);
        let (comma, source) = if let Some(src) = source.clone().filter(|_| after_ok(c + 1)) {
            let before = src.start.checked_sub(1)?;
            if before <= s.tokens.start || !matches!(self.class(before), Class::Comma | Class::Dash)
            {
                return None;
            }
            (before, Some(src))
        } else {
            // `CONTENT, said X` (not `..., told The Huffington Post`: X is the addressee)
            let before = c.checked_sub(1)?;
            if before <= s.tokens.start
                || self.class(before) != Class::Comma
                || self.cue_at(c).is_some_and(|(v, _)| v.addressee)
            {
                return None;
            }
            let src = self.np_right(c + 1, end)?;
            if !after_ok(src.end) {
                return None;
            }
            (before, Some(src))
        };
        if self.quote_of[comma - 1].is_some() {
            return None;
        }
        // `X, he said, Y`: what was said is the clause after the frame
        let mut after = source.as_ref().map_or(c + 1, |src| src.end.max(c + 1));
        while after < end && self.class(after) == Class::Adverb {
            after += 1;
        }
        if after + 2 < end
            && self.class(after) == Class::Comma
            && !self.participle_adjunct(after + 1, end)
            && (after + 1..end)
                .any(|t| matches!(self.class(t), Class::Verb | Class::Aux | Class::Modal))
        {
            let content = Span::new(
                self.tokens[after + 1].span.start,
                self.tokens[end - 1].span.end,
            );
            // what stands before the frame was said too: "The test, North Korea said,
            // was its biggest" is one statement in two pieces
            let mut lead = s.tokens.start;
            if ["and", "but", "or", "so"]
                .iter()
                .any(|w| self.is_word(lead, w))
            {
                lead += 1;
            }
            let before_frame = source.as_ref().map_or(c, |src| src.start.min(c));
            // (not a bare prepositional phrase: "In contrast, Berkman said, ...")
            let adjunct = self.class(lead) == Class::Prep
                && !(lead..before_frame.saturating_sub(1))
                    .any(|t| matches!(self.class(t), Class::Verb | Class::Aux | Class::Modal));
            if before_frame > lead + 1
                && !adjunct
                && self.class(before_frame - 1) == Class::Comma
                && (lead..before_frame - 1).all(|t| self.quote_of[t].is_none())
            {
                let first = Span::new(
                    self.tokens[lead].span.start,
                    self.tokens[before_frame - 2].span.end,
                );
                if let Some(a) = self.make(first, self.tokens[c].span, source.clone(), 0.75) {
                    self.extra.borrow_mut().push(a);
                }
            }
            return self.make(content, self.tokens[c].span, source, 0.8);
        }
        // the content runs from the sentence start (after a leading conjunction)
        let mut start = s.tokens.start;
        if ["and", "but", "or"].iter().any(|w| self.is_word(start, w)) {
            start += 1;
        }
        // what was said is a clause: "Ivanka Trump, the nominee's daughter, noted the rule"
        // has none before its comma
        let has_verb = (start..comma)
            .any(|t| matches!(self.class(t), Class::Verb | Class::Aux | Class::Modal));
        if comma <= start + 2 || !has_verb {
            return None;
        }
        let content = Span::new(
            self.tokens[start].span.start,
            self.tokens[comma - 1].span.end,
        );
        self.make(content, self.tokens[c].span, source, 0.85)
    }

    fn according_to(&self, c: usize, s: &Sentence, end: usize) -> Option<Attribution> {
        let cue = Span::new(self.tokens[c].span.start, self.tokens[c + 1].span.end);
        // the source runs to the next comma or the end
        let mut src_end = c + 2;
        while src_end < end && self.class(src_end) != Class::Comma && src_end - c < 16 {
            src_end += 1;
        }
        if src_end == c + 2 {
            return None;
        }
        let source = Some(c + 2..src_end);
        let content = if c == s.tokens.start
            || (c > s.tokens.start && self.class(c - 1) != Class::Comma && c - s.tokens.start <= 1)
        {
            // According to X, CONTENT.
            // the content starts after the comma that closes the source
            let first = src_end + 1;
            if first >= end {
                return None;
            }
            Span::new(self.tokens[first].span.start, self.tokens[end - 1].span.end)
        } else {
            // CONTENT, according to X.
            let stop = if self.class(c - 1) == Class::Comma {
                c - 1
            } else {
                c
            };
            if stop <= s.tokens.start {
                return None;
            }
            Span::new(
                self.tokens[s.tokens.start].span.start,
                self.tokens[stop - 1].span.end,
            )
        };
        self.make(content, cue, source, 0.85)
    }
}

/// A word of a transcript speaker label: capitals, at least two letters or a title.
fn is_caps_label(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    (letters >= 2 || word == "Q")
        && word
            .chars()
            .all(|c| c.is_uppercase() || c == '.' || c == '\'' || c == '-')
}

/// Shrink a content span so that it starts and ends with a word, a number or a quotation
/// mark (never with a comma or a dash).
fn trim_punct(text: &str, span: Span) -> Span {
    let Some(s) = text.get(span.start..span.end) else {
        return Span::new(span.start, span.start);
    };
    let keep = |c: char| {
        c.is_alphanumeric()
            || crate::tag::is_quote_char(c)
            || matches!(c, '%' | '$' | ')' | '?' | '!' | '.')
    };
    let lead = s
        .find(|c: char| keep(c) && c != ')' && c != '.' && c != '?' && c != '!')
        .unwrap_or(s.len());
    let trail = s
        .char_indices()
        .rev()
        .find(|&(_, c)| keep(c))
        .map_or(lead, |(i, c)| i + c.len_utf8());
    if trail <= lead {
        return Span::new(span.start, span.start);
    }
    Span::new(span.start + lead, span.start + trail)
}

#[cfg(test)]
mod tests {
    use crate::analysis::{Analysis, AttributionKind};
    use crate::document::Document;

    /// (kind, content, cue, source) of every attribution in `text`.
    fn attributions(text: &str) -> Vec<(AttributionKind, String, String, String)> {
        let a = Analysis::run(&Document::from_text("t", text));
        let slice = |s: Option<crate::Span>| s.map_or(String::new(), |s| s.slice(text).to_string());
        a.attributions
            .iter()
            .map(|x| {
                (
                    x.kind,
                    x.content.slice(text).to_string(),
                    slice(x.cue),
                    slice(x.source),
                )
            })
            .collect()
    }

    fn has(text: &str, kind: AttributionKind, content: &str, cue: &str, source: &str) {
        let found = attributions(text);
        assert!(
            found
                .iter()
                .any(|(k, c, q, s)| *k == kind && c == content && q == cue && s == source),
            "{text}\nwanted {kind:?} {content:?} / {cue:?} / {source:?}\ngot {found:#?}"
        );
    }

    /// A candidate of the rules, before the judge.
    #[derive(Debug)]
    struct Candidate {
        kind: AttributionKind,
        content: String,
        cue: String,
        source: String,
        confidence: f32,
    }

    /// Every candidate of the rules, before the judge.
    fn candidates(text: &str) -> Vec<Candidate> {
        let a = Analysis::run_with(&Document::from_text("t", text), None);
        let slice = |s: Option<crate::Span>| s.map_or(String::new(), |s| s.slice(text).to_string());
        a.attributions
            .iter()
            .map(|x| Candidate {
                kind: x.kind,
                content: x.content.slice(text).to_string(),
                cue: slice(x.cue),
                source: slice(x.source),
                confidence: x.confidence,
            })
            .collect()
    }

    fn has_candidate(text: &str, content: &str, cue: &str, source: &str) {
        let found = candidates(text);
        assert!(
            found
                .iter()
                .any(|c| c.content == content && c.cue == cue && c.source == source),
            "{text}\nwanted {content:?} / {cue:?} / {source:?}\ngot {found:#?}"
        );
    }

    /// Asserts that no candidate of the rules in `text` is `unwanted`.
    fn no_candidate(text: &str, unwanted: impl Fn(&Candidate) -> bool) {
        let found = candidates(text);
        assert!(!found.iter().any(unwanted), "{text}\ngot {found:#?}");
    }

    use AttributionKind::*;

    #[test]
    fn a_document_speaks_for_whoever_issued_it() {
        has_candidate(
            r#"On Saturday, the governor issued a statement saying that the judge was "a fine person.""#,
            r#"the judge was "a fine person.""#,
            "saying",
            "the governor",
        );
        has_candidate(
            r#"Her campaign quickly sent out an email to supporters saying, "We are not done yet.""#,
            "We are not done yet.",
            "saying",
            "Her campaign",
        );
        // a document someone received is not theirs
        no_candidate(
            r#"The mayor received a letter saying, "We are not done yet.""#,
            |c| c.source == "The mayor",
        );
    }

    #[test]
    fn a_headline_opening_with_a_name_and_a_colon_is_that_name_s_claim() {
        let text = "Jane Doe on Schools: The Budget Is 'a Disgrace'\n\nThe city council met on Monday. It voted.";
        has_candidate(
            text,
            "The Budget Is 'a Disgrace'",
            "on Schools:",
            "Jane Doe",
        );
        let text =
            "Senator Roe: Budget Talks Will Fail\n\nThe city council met on Monday. It voted.";
        has_candidate(text, "Budget Talks Will Fail", ":", "Senator Roe");
        // a live blog's label is nobody
        let text =
            "The Latest: Budget Talks Will Fail\n\nThe city council met on Monday. It voted.";
        no_candidate(text, |c| c.cue == ":");
        // nor is a headline colon after a sentence
        let text =
            "Why the Budget Talks Failed: A Guide\n\nThe city council met on Monday. It voted.";
        no_candidate(text, |c| c.cue == ":");
    }

    #[test]
    fn a_frame_may_hold_a_long_appositive() {
        let text = r#""We were never consulted," Mr. Varga, now 78 and retired in Salem, Ore., said by telephone."#;
        has_candidate(text, "We were never consulted,", "said", "Mr. Varga");
        // the quotation after such a frame is the same speaker's
        let text = r#""The risk," said Ada Brill, an economist who is the director of the Lakeport Institute, "is that we lose jobs.""#;
        has_candidate(text, "is that we lose jobs.", "said", "Ada Brill");
        // a relative clause on the addressee may stand between a frame and its quotation
        let text =
            r#"Jane Doe told reporters, who had gathered outside the hall, "We will appeal.""#;
        has_candidate(text, "We will appeal.", "told", "Jane Doe");
    }

    #[test]
    fn a_participle_in_an_opening_clause_speaks_for_the_main_subject() {
        let text = r#"After saying her foot was "so sore I could hardly stand," she was taken to the hospital for tests."#;
        has_candidate(
            text,
            r#"her foot was "so sore I could hardly stand,""#,
            "saying",
            "she",
        );
    }

    #[test]
    fn an_opening_participle_speaks_for_the_subject_after_its_clause() {
        let text = r#"Bemoaning the "broken process," the senator accused the moderator of bias."#;
        has_candidate(text, r#"the "broken process,""#, "Bemoaning", "the senator");
    }

    #[test]
    fn singing_frames_a_quotation() {
        let text = r#""Hold on to the night," Marla sings to the crowd."#;
        has_candidate(text, "Hold on to the night,", "sings", "Marla");
    }

    #[test]
    fn a_name_given_ends_before_a_clause_after_it() {
        let text =
            r#"The governor described the mayor as a "menace" after she criticized the police."#;
        has_candidate(
            text,
            r#"the mayor as a "menace""#,
            "described",
            "The governor",
        );
        // the clause may end inside the closing marks, NYT style
        let text =
            "Given the levy, which Rena Holt called ''utter nonsense,'' one question has emerged.";
        has_candidate(text, "''utter nonsense,''", "called", "Rena Holt");
    }

    #[test]
    fn a_title_set_off_before_a_name_leaves_the_name_as_subject() {
        let text = "Given the levy -- which the bank's chief executive, Rena Holt, called ''utter nonsense'' -- one question has emerged.";
        has_candidate(text, "''utter nonsense''", "called", "Rena Holt");
    }

    #[test]
    fn a_past_tense_read_as_a_participle_is_still_a_cue() {
        // after a name the tagger took for an adjective
        let text = "“We are far from the finish line,” Devine declared.";
        has_candidate(
            text,
            "We are far from the finish line,",
            "declared",
            "Devine",
        );
        // after an appositive on the subject
        let text = "Okafor, a Reyes ally, called Ohio’s rules “sound.”";
        has_candidate(text, "Ohio’s rules “sound.”", "called", "Okafor");
    }

    #[test]
    fn an_appositive_name_may_lack_its_closing_comma() {
        let text = "“He coached here for years,” another neighbor, Tomas Ruiz told WXYZ.";
        has_candidate(
            text,
            "He coached here for years,",
            "told",
            "another neighbor",
        );
    }

    #[test]
    fn phrasal_verbs_of_reply_frame_quotations_with_their_particle() {
        let text = "“They only came for the snacks,” Harlan shot back with a grin.";
        has_candidate(text, "They only came for the snacks,", "shot", "Harlan");
        no_candidate(
            "He shot the deer. “It was huge,” a friend recalled.",
            |c| c.cue == "shot",
        );
        let text = "The panel then ruled that the claim about “hundreds of permits” is “accurate.”";
        has_candidate(
            text,
            "the claim about “hundreds of permits” is “accurate.”",
            "ruled",
            "The panel",
        );
        no_candidate("The family ruled the country for decades.", |c| {
            c.cue == "ruled"
        });
    }

    #[test]
    fn an_infinitive_speaks_for_the_subject_of_its_verb() {
        let text = "The hearing was so calm that Mr. Abney was prompted to say, “I cannot believe how polite it is.”";
        has_candidate(
            text,
            "I cannot believe how polite it is.",
            "say",
            "Mr. Abney",
        );
        let text = "Delacroix, who wrote the zoning code as mayor, interjected to say: \"They have both been careless.\"";
        has_candidate(text, "They have both been careless.", "say", "Delacroix");
    }

    #[test]
    fn a_time_ago_opening_the_sentence_is_not_the_subject() {
        let text =
            "Eight years ago, he backed the councilor and said, “She never came to our street.”";
        has_candidate(text, "She never came to our street.", "said", "he");
    }

    #[test]
    fn a_quotation_after_a_long_frame_and_a_conjunction_continues_it() {
        let text = "The chef is “sharp as a tack,” Ivo Brandt wrote in a note to the station’s Lena Moss, and “full of nonsense.”";
        has_candidate(text, "full of nonsense.", "wrote", "Ivo Brandt");
    }

    #[test]
    fn titles_of_shows_and_songs_quote_nobody() {
        no_candidate(
            "The band added old hits including \"Blue Harbor\" and \"Salt Road (Reprise).\" One fan came.",
            |c| c.content.contains("Salt"),
        );
        no_candidate(
            "Pryce said in May on the podcast “Around the Table.” He left.",
            |c| c.content.contains("Table"),
        );
        let text =
            "\"Of course she is fair game,\" Lindqvist told \"Morning Harbor,\" reminding the hosts.";
        no_candidate(text, |c| c.content.contains("Harbor"));
        has_candidate(text, "Of course she is fair game,", "told", "Lindqvist");
    }

    #[test]
    fn a_quotation_ending_a_reported_clause_is_a_mixed_quote() {
        let text = r#"He posted that the ruling was "Shameful!""#;
        has_candidate(text, r#"the ruling was "Shameful!""#, "posted", "He");
        no_candidate(text, |c| c.content == "Shameful!");
        let text =
            r#"The senator said Tuesday that after 90 years and 30 mayors, "It's our turn.""#;
        has_candidate(
            text,
            r#"after 90 years and 30 mayors, "It's our turn.""#,
            "said",
            "The senator",
        );
        no_candidate(text, |c| c.content == "It's our turn.");
    }

    #[test]
    fn a_date_opening_the_sentence_without_a_comma_is_not_the_subject() {
        let text =
            "On March 12 they closed their review by announcing that the figure was “sound.”";
        has_candidate(text, "the figure was “sound.”", "announcing", "they");
    }

    #[test]
    fn a_speech_verb_s_object_may_quote_the_words_spoken() {
        let text = r#"In his speech, the senator proclaimed a goal of "Bridges Before Budgets.""#;
        has_candidate(
            text,
            r#"a goal of "Bridges Before Budgets.""#,
            "proclaimed",
            "the senator",
        );
        no_candidate("In his speech, the senator proclaimed a new goal.", |c| {
            c.cue == "proclaimed"
        });
    }

    #[test]
    fn a_quotation_opened_in_a_reported_clause_runs_to_its_closing_mark() {
        let text = r#"He said he believes "some officials are playing to the crowd. But those involved are careful." Then he left."#;
        has_candidate(
            text,
            r#"he believes "some officials are playing to the crowd. But those involved are careful.""#,
            "said",
            "He",
        );
    }

    #[test]
    fn a_reported_clause_of_nothing_but_conjunctions_before_a_frame_does_not_panic() {
        // the cut before the quotation's own frame once ended before the content began
        for text in [
            "He said that or or, “Fine” said",
            "L TWEETED THAT OR OR, ‘L’ SAID",
        ] {
            for (_, content, _, _) in attributions(text) {
                assert!(text.contains(&content));
            }
        }
    }

    #[test]
    fn put_it_frames_a_quote_and_nothing_else() {
        has_candidate(
            "As Jane Roe, a lawyer at the firm, recently put it, \"The rules are broken.\"",
            "The rules are broken.",
            "put",
            "Jane Roe",
        );
        no_candidate("She put it on the table and left the room.", |c| {
            c.cue == "put"
        });
        // the clause after the frame, when it quotes the speaker
        has_candidate(
            "As the Ledger's Nia Park puts it, the mayor is handing the council \"a bill it cannot dodge.\"",
            "the mayor is handing the council \"a bill it cannot dodge.\"",
            "puts it",
            "the Ledger's Nia Park",
        );
        no_candidate(
            "As the Ledger's Nia Park puts it, the mayor is handing over a bill.",
            |c| c.cue.starts_with("put"),
        );
    }

    #[test]
    fn a_prepositional_phrase_may_end_the_subject_of_a_frame_after_the_quote() {
        has_candidate(
            "\"You pay your taxes. Why didn't he?\" a narrator in the new ad asks.",
            "You pay your taxes. Why didn't he?",
            "asks",
            "a narrator",
        );
    }

    #[test]
    fn a_capitalized_name_between_two_pieces_does_not_break_the_quote() {
        let text = "\"That is not new,\" Doe told Capital Download on Wednesday, \"but the \
                    attempt to interfere is new.\"";
        has_candidate(text, "That is not new,", "told", "Doe");
        has_candidate(text, "but the attempt to interfere is new.", "told", "Doe");
    }

    #[test]
    fn an_appositive_between_dashes_sits_between_subject_and_cue() {
        has_candidate(
            "Kall -- co-editor of a book on the debates -- said the candidate tended to \
             make announcements.",
            "the candidate tended to make announcements",
            "said",
            "Kall",
        );
        has_candidate(
            "\"We will not back down,\" Kall -- the co-editor of a book -- said on Monday.",
            "We will not back down,",
            "said",
            "Kall",
        );
    }

    #[test]
    fn a_name_may_hold_on_and_a_time_before_a_name_is_not_part_of_it() {
        has_candidate(
            "The Commission on Presidential Debates announced that the microphone failed.",
            "the microphone failed",
            "announced",
            "The Commission on Presidential Debates",
        );
        has_candidate(
            "Democrats noted that last year Pagliano invoked his rights in a closed session.",
            "his rights",
            "invoked",
            "Pagliano",
        );
    }

    #[test]
    fn a_gerund_subject_after_a_frame_is_what_was_said() {
        has_candidate(
            "The last change went smoothly, he said, replacing her would be much harder.",
            "replacing her would be much harder",
            "said",
            "he",
        );
        // a participle that is an adjunct is not
        let found = candidates("The plan was sound, he said, citing the figures.");
        assert!(
            found
                .iter()
                .all(|c| !(c.cue == "said" && c.content.contains("citing"))),
            "{found:?}"
        );
    }

    #[test]
    fn a_participle_phrase_after_the_subject_is_stepped_over() {
        has_candidate(
            "A university poll released in late August found that most voters want change.",
            "most voters want change",
            "found",
            "A university poll",
        );
        has_candidate(
            "A federal report released last year found that the program lost money.",
            "the program lost money",
            "found",
            "A federal report",
        );
        // a present participle too, and with a verb the tagger read as a participle
        has_candidate(
            "Officials speaking at the event said the plant would close.",
            "the plant would close",
            "said",
            "Officials",
        );
        has_candidate(
            "Protesters marching through the streets chanted \"What curfew?\" and kept going.",
            "What curfew?",
            "chanted",
            "Protesters",
        );
    }

    #[test]
    fn reported_clauses_may_open_with_neither_if_or_how() {
        has_candidate(
            "A spokeswoman says neither the nominee nor her campaign helped her.",
            "neither the nominee nor her campaign helped her",
            "says",
            "A spokeswoman",
        );
        has_candidate(
            "The pollster told the host on Thursday how surprised he is that health mattered.",
            "how surprised he is that health mattered",
            "told",
            "The pollster",
        );
    }

    #[test]
    fn a_document_ending_in_a_comma_and_a_pronoun_does_not_panic() {
        candidates("Smith said the plan would fail because of costs, we");
        candidates("\"We will win,\" Smith -- the mayor");
    }

    #[test]
    fn a_relative_that_after_a_postposed_frame_keeps_the_frame() {
        has_candidate(
            "The economy is strong, Obama said at a rally that drew thousands of people.",
            "The economy is strong",
            "said",
            "Obama",
        );
    }

    #[test]
    fn a_time_is_not_a_speaker_and_a_capitalized_one_may_be_a_name() {
        has_candidate(
            "Smith, the mayor, said Monday, citing new figures from the agency.",
            "new figures from the agency",
            "citing",
            "Smith",
        );
        has_candidate(
            "The Sunday Times reported that the minister would resign.",
            "the minister would resign",
            "reported",
            "The Sunday Times",
        );
    }

    #[test]
    fn a_cue_set_off_after_the_subject_ends_at_its_comma() {
        has_candidate(
            "Smith, asked whether he would run, said he would decide soon.",
            "whether he would run",
            "asked",
            "Smith",
        );
        has_candidate(
            "Smith, asked whether he would run, said he would decide soon.",
            "he would decide soon",
            "said",
            "Smith",
        );
    }

    #[test]
    fn an_unclosed_appositive_does_not_reach_into_the_next_sentence() {
        let found = candidates("\"We will win,\" Smith -- the mayor. He said nothing.");
        assert!(
            found.iter().all(|c| c.content != "We will win,"),
            "{found:?}"
        );
    }

    #[test]
    fn a_dateline_may_name_a_state() {
        has_candidate(
            "DES MOINES, Iowa (AP) -- President Smith, opening the museum on Saturday, said \
             it would tell an American story.",
            "it would tell an American story",
            "said",
            "President Smith",
        );
    }

    #[test]
    fn only_a_headline_may_lead_in_to_a_name_before_a_colon() {
        let text = "Clinton had a message for Trump supporters in Ohio: \"Come home.\" She \
                    spoke on Monday.\n\nThe rally was large.";
        no_candidate(text, |c| c.source == "Ohio");
    }

    #[test]
    fn a_dateline_is_not_the_subject() {
        has_candidate(
            "WASHINGTON -- President Smith, opening the museum on Saturday, said it would \
             tell an American story.",
            "it would tell an American story",
            "said",
            "President Smith",
        );
    }

    #[test]
    fn the_subject_follows_every_introductory_clause() {
        has_candidate(
            "Once in my early 20s, when my mother mentioned the devil to me, I laughed and \
             said, \"I don't believe in the devil.\"",
            "I don't believe in the devil.",
            "said",
            "I",
        );
    }

    #[test]
    fn a_participle_after_a_postposed_frame_takes_its_speaker() {
        has_candidate(
            "The country \"has made dramatic changes,\" Smith said in June, citing the \
             release of prisoners.",
            "the release of prisoners",
            "citing",
            "Smith",
        );
    }

    #[test]
    fn a_relative_that_does_not_open_the_content() {
        has_candidate(
            "Lynch said the demands that come with the job erase the old barriers.",
            "the demands that come with the job erase the old barriers",
            "said",
            "Lynch",
        );
    }

    #[test]
    fn a_clause_before_a_frame_with_that_is_not_its_content() {
        let text = "Before officials spoke, the nominee said at a rally that a bomb had exploded.";
        has_candidate(text, "a bomb had exploded", "said", "the nominee");
        let found = candidates(text);
        assert!(
            found.iter().all(|c| c.content != "Before officials spoke"),
            "{found:?}"
        );
    }

    #[test]
    fn a_headline_may_lead_in_to_the_name_before_its_colon() {
        has_candidate(
            "A lesson from Jane Roe: \"Be the voice that people hear.\"\n\nShe spoke on Monday.",
            "Be the voice that people hear.",
            ":",
            "Jane Roe",
        );
    }

    #[test]
    fn reported_speech_is_also_offered_cut_before_a_new_clause() {
        let found = candidates("Smith said the plan would fail, we heard later that week.");
        assert!(
            found.iter().any(|c| c.content == "the plan would fail"),
            "{found:?}"
        );
    }

    #[test]
    fn reported_speech_is_offered_with_and_without_its_trailing_adjunct() {
        let text = "The mayor said the bridge would reopen in June, but only for cars and buses.";
        let found = candidates(text);
        let contents: Vec<&str> = found.iter().map(|c| c.content.as_str()).collect();
        assert!(
            contents.contains(&"the bridge would reopen in June"),
            "{found:?}"
        );
        assert!(
            contents.contains(&"the bridge would reopen in June, but only for cars and buses"),
            "{found:?}"
        );
        let short = found
            .iter()
            .find(|c| c.content == "the bridge would reopen in June");
        assert_eq!(short.map(|c| c.confidence), Some(super::SHORTER));
    }

    #[test]
    fn a_mixed_quote_is_offered_without_the_verb_phrase_or_adjunct_after_it() {
        // a second verb phrase after the quotation
        let text = "The senator called the plan \"a disaster\" and promised to fight it.";
        let found = candidates(text);
        let short = found
            .iter()
            .find(|c| c.content == "the plan \"a disaster\"")
            .unwrap_or_else(|| panic!("{found:#?}"));
        assert_eq!((short.kind, short.confidence), (Mixed, super::SHORTER));
        assert!(found
            .iter()
            .any(|c| c.content == "the plan \"a disaster\" and promised to fight it"));
        // but not before more quoted words
        no_candidate(
            "He urged them to \"come to the hall and sign\" and then \"bring a neighbor along.\"",
            |c| c.content.ends_with("sign\""),
        );
        // a participle after a quotation that closes on its own comma
        has_candidate(
            "Smith said the system was \"corrupt,\" noting that the bank paid a fine.",
            "the system was \"corrupt,\"",
            "said",
            "Smith",
        );
        // a cut that leaves no quotation makes reported speech of the rest
        let found = candidates("Smith said the plan would fail -- \"badly.\"");
        let cut = found
            .iter()
            .find(|c| c.content == "the plan would fail")
            .unwrap_or_else(|| panic!("{found:#?}"));
        assert_eq!(cut.kind, Indirect);
        assert!(found.iter().any(|c| c.kind == Mixed), "{found:#?}");
    }

    #[test]
    fn a_quotation_after_as_names_what_the_verb_before_it_describes() {
        let text = "In recent weeks, Jones has gone after the mayor as a \"reckless spender.\"";
        has_candidate(
            text,
            "the mayor as a \"reckless spender.\"",
            "gone",
            "Jones",
        );
        let found = candidates(text);
        let named = found.iter().find(|c| c.cue == "gone").unwrap();
        assert_eq!((named.kind, named.confidence), (Mixed, super::NAMED_AS));
        // a particle before the object
        has_candidate(
            "Last year, he played down the remarks as \"just part of the campaign.\"",
            "the remarks as \"just part of the campaign.\"",
            "played",
            "he",
        );
        // a passive names no speaker but its agent
        has_candidate(
            "The hacker, known online as \"Guccifer,\" was sentenced on Friday.",
            "as \"Guccifer,\"",
            "known",
            "",
        );
        has_candidate(
            "It is an option seen by organizers as a \"lifeboat\" for the party.",
            "as a \"lifeboat\"",
            "seen",
            "organizers",
        );
        // "such as" introduces examples, not a name
        let found = candidates("They searched for words such as \"ambassador.\"");
        assert!(found.is_empty(), "{found:#?}");
        // passives after an adverb or a comma name no speaker; "has been pounding" is no
        // passive
        has_candidate(
            "He was widely seen as \"a reformer.\"",
            "as \"a reformer.\"",
            "seen",
            "",
        );
        has_candidate(
            "The film, released as \"Night Moves,\" flopped.",
            "as \"Night Moves,\"",
            "released",
            "",
        );
        has_candidate(
            "Reid has been steadily pounding the mayor as a \"con artist.\"",
            "the mayor as a \"con artist.\"",
            "pounding",
            "Reid",
        );
        // "as" opening a clause means "when"
        no_candidate("The senator arrived as \"the vote\" began.", |c| {
            c.cue == "arrived"
        });
    }

    #[test]
    fn a_clause_ending_in_a_colon_frames_the_quotation_after_it() {
        has_candidate(
            "The senator ended the debate the same way: \"We will fix the roads before winter.\"",
            "We will fix the roads before winter.",
            "ended",
            "The senator",
        );
        has_candidate(
            "On Monday, Smith made the following comment:\n\n\"The rate for young people is far higher.\"",
            "The rate for young people is far higher.",
            "made",
            "Smith",
        );
        // not a list, nor a clause that is not the main one
        for text in [
            "I bought three things: \"milk,\" \"eggs\" and \"bread.\"",
            "Jones smiled when the results came: \"We won.\"",
        ] {
            no_candidate(text, |c| c.cue == "bought" || c.cue == "came");
        }
        // a passive frames the quotation in the words of its agent
        has_candidate(
            "The problem is shown by this finding: \"Most firms paid nothing.\"",
            "Most firms paid nothing.",
            "shown",
            "this finding",
        );
    }

    #[test]
    fn the_title_of_a_show_between_cue_and_that_is_stepped_over() {
        has_candidate(
            "Heading into the debate, Sanders told MSNBC's \"Morning Joe\" that nobody would question her record.",
            "nobody would question her record",
            "told",
            "Sanders",
        );
    }

    #[test]
    fn going_on_to_say_reports_for_the_subject_of_going_on() {
        has_candidate(
            "\"The debate is insane,\" Sanders said, going on to say that the country has moved on.",
            "the country has moved on",
            "say",
            "Sanders",
        );
        has_candidate(
            "The mayor went on to say that the bridge would reopen.",
            "the bridge would reopen",
            "say",
            "The mayor",
        );
        // "on to say" at a paragraph's start does not reach back into the paragraph before
        no_candidate("They go\n\non to say that it works.", |c| {
            c.source == "They"
        });
        // a bare "to say" still reports nothing
        no_candidate("It is too early to say that the bridge will reopen.", |c| {
            c.cue == "say"
        });
    }

    #[test]
    fn a_frame_set_off_after_a_quotation_in_an_opening_clause_is_still_its_frame() {
        let found = candidates("If we lose this \"fight,\" Smith said, the city will suffer.");
        assert!(
            found
                .iter()
                .any(|c| c.source == "Smith" && c.content.contains("fight")),
            "{found:#?}"
        );
    }

    #[test]
    fn a_quotation_closing_on_its_comma_ends_an_introductory_clause() {
        has_candidate(
            "Asked about the \"phony system,\" Trump said the moderators were biased.",
            "the moderators were biased",
            "said",
            "Trump",
        );
        // and a new clause after it opens a shorter reading of a mixed quote
        has_candidate(
            "Trump is promising lower taxes and \"jobs, jobs, jobs,\" but he has also raised his warnings.",
            "lower taxes and \"jobs, jobs, jobs,\"",
            "promising",
            "Trump",
        );
    }

    #[test]
    fn a_noun_before_a_colon_frames_the_quotation_for_its_own_clause() {
        has_candidate(
            "She became so upset that I had to change my answer: \"Of course I believe in it.\"",
            "Of course I believe in it.",
            "answer",
            "I",
        );
        // the object of a relative clause is not that subject
        has_candidate(
            "The lawyer who represented him gave a statement: \"We will appeal.\"",
            "We will appeal.",
            "statement",
            "The lawyer",
        );
    }

    #[test]
    fn a_capitalized_word_read_as_an_adjective_is_a_name() {
        has(
            "\"It is a cause,\" said Devine.",
            Direct,
            "It is a cause,",
            "said",
            "Devine",
        );
        has_candidate(
            "Asked about the plan, Devine responded: \"We are going to fight on.\"",
            "We are going to fight on.",
            "responded",
            "Devine",
        );
        // a name the tagger read as a participle, before its verb
        has_candidate(
            "Schilling told the station: \"I am not sorry.\"",
            "I am not sorry.",
            "told",
            "Schilling",
        );
        // a participle opening a sentence is still a participle
        has_candidate(
            "Looking ahead, the mayor said the budget would pass.",
            "the budget would pass",
            "said",
            "the mayor",
        );
    }

    #[test]
    fn a_frame_inverted_between_two_quotations_speaks_for_both() {
        has(
            "\"We won the county,\" said Jane Roe, the campaign's director, \"and we will win it again.\"",
            Direct,
            "and we will win it again.",
            "said",
            "Jane Roe",
        );
        // after "told" stands the addressee, never the speaker
        no_candidate(
            "The plan will fail, his top aide, Tad Roe, told The Daily Ledger. \"No money.\"",
            |c| c.source == "The Daily Ledger",
        );
    }

    #[test]
    fn going_on_to_say_before_a_colon_frames_the_quotation() {
        has_candidate(
            "The report was blunt. She went on to say: \"The status quo cannot hold.\"",
            "The status quo cannot hold.",
            "say",
            "She",
        );
    }

    #[test]
    fn a_report_inside_a_quotation_does_not_become_the_next_paragraph_speaker() {
        let text = "\"On that day, the governor called on lawmakers to close the loophole,\" Sanders said.\n\n\"We have waited long enough.\"";
        has(
            text,
            Direct,
            "We have waited long enough.",
            "said",
            "Sanders",
        );
    }

    #[test]
    fn manners_of_speaking_frame_quotations() {
        has(
            "\"That would have been a start,\" Toomey fumed on Tuesday.",
            Direct,
            "That would have been a start,",
            "fumed",
            "Toomey",
        );
        has(
            "\"This is fantastic!\" beamed Donald Hart of Madison.",
            Direct,
            "This is fantastic!",
            "beamed",
            "Donald Hart of Madison",
        );
    }

    #[test]
    fn a_belief_verb_before_an_adjective_is_a_state() {
        no_candidate(
            "She said the senator appeared to be feeling better and looks forward to the race.",
            |c| c.cue == "feeling",
        );
        has_candidate(
            "He feels certain that the bill will pass.",
            "the bill will pass",
            "feels",
            "He",
        );
    }

    #[test]
    fn a_participle_can_lead_a_title_before_a_name() {
        has(
            "\"They care about wages,\" organizing director Kendra Fell told Channel 6.",
            Direct,
            "They care about wages,",
            "told",
            "organizing director Kendra Fell",
        );
        has(
            "\"She is the only candidate with the experience,\" retired Air Force general Lloyd Newton said.",
            Direct,
            "She is the only candidate with the experience,",
            "said",
            "retired Air Force general Lloyd Newton",
        );
    }

    #[test]
    fn a_time_set_off_by_a_comma_is_not_the_subject() {
        has_candidate(
            "Last year, he played down the remarks and argued that the party would unite.",
            "the party would unite",
            "argued",
            "he",
        );
    }

    #[test]
    fn a_verb_read_as_a_participle_is_a_cue_when_the_clause_has_no_other_verb() {
        has_candidate(
            "The mayor called on the council to approve the budget.",
            "the council to approve the budget",
            "called on",
            "The mayor",
        );
        // with a verb of its own later, the participle is a reduced relative
        no_candidate(
            "A report released Friday said the plant would close.",
            |c| c.cue == "released",
        );
        has_candidate(
            "A report released Friday said the plant would close.",
            "the plant would close",
            "said",
            "A report",
        );
    }

    #[test]
    fn a_frameless_quotation_later_in_the_sentence_joins_the_reported_clause() {
        let text = "The engineer said the cables were sound -- \"a job well finished.\"";
        let found = candidates(text);
        assert!(
            found.iter().any(|c| c.kind == Mixed
                && c.content.starts_with("the cables were sound")
                && c.content.contains("a job well finished")
                && c.cue == "said"),
            "{found:?}"
        );
    }

    #[test]
    fn verbs_that_mostly_frame_quotes_also_report_speech() {
        let text = "The senator asked the council to delay the vote on the bridge.";
        let found = candidates(text);
        assert!(
            found.iter().any(|c| c.kind == Indirect
                && c.content.contains("to delay the vote")
                && c.cue == "asked"),
            "{found:?}"
        );
    }

    #[test]
    fn quote_then_pronoun_frame() {
        has(
            "\"We will rebuild the bridge,\" she said.",
            Direct,
            "We will rebuild the bridge,",
            "said",
            "she",
        );
    }

    #[test]
    fn quote_then_inverted_frame_with_apposition() {
        has(
            "\"The budget is gone,\" said Maria Lopez, the city treasurer.",
            Direct,
            "The budget is gone,",
            "said",
            "Maria Lopez",
        );
    }

    #[test]
    fn quote_then_subject_with_relative_clause() {
        has(
            "\"It was a hard year,\" Lopez, who took office in 2019, told reporters.",
            Direct,
            "It was a hard year,",
            "told",
            "Lopez",
        );
    }

    #[test]
    fn frame_before_with_colon() {
        has(
            "The mayor said: \"Open the bridge now.\"",
            Direct,
            "Open the bridge now.",
            "said",
            "The mayor",
        );
    }

    #[test]
    fn participle_frame_takes_the_main_subject() {
        has(
            "The governor gave a short answer, telling the council, \"We have no money.\"",
            Direct,
            "We have no money.",
            "telling",
            "The governor",
        );
    }

    #[test]
    fn a_quote_broken_by_a_frame_gives_two_quotes() {
        let text = "\"We tried,\" he said. \"We failed.\"";
        has(text, Direct, "We tried,", "said", "he");
        has(text, Direct, "We failed.", "said", "he");
    }

    #[test]
    fn a_quote_paragraph_continues_the_previous_speaker() {
        let text = "\"The roads are closed,\" the sheriff said.\n\n\"Stay home tonight.\"";
        has(text, Direct, "Stay home tonight.", "said", "the sheriff");
    }

    #[test]
    fn mixed_quote_gives_the_reported_clause() {
        has(
            "The senator said the plan \"has to\" pass before winter.",
            Mixed,
            "the plan \"has to\" pass before winter",
            "said",
            "The senator",
        );
    }

    #[test]
    fn indirect_speech_with_and_without_that() {
        has(
            "Smith said that the talks had failed.",
            Indirect,
            "the talks had failed",
            "said",
            "Smith",
        );
        has(
            "The minister insists the deal is dead.",
            Indirect,
            "the deal is dead",
            "insists",
            "The minister",
        );
    }

    #[test]
    fn postposed_claims_of_outlets_and_institutions() {
        has(
            "Prices rose sharply in March, the central bank says.",
            Indirect,
            "Prices rose sharply in March",
            "says",
            "the central bank",
        );
    }

    #[test]
    fn according_to_before_and_after() {
        has(
            "According to the police, the driver fled the scene.",
            Indirect,
            "the driver fled the scene",
            "According to",
            "the police",
        );
        has(
            "The driver fled the scene, according to the police.",
            Indirect,
            "The driver fled the scene",
            "according to",
            "the police",
        );
    }

    #[test]
    fn infinitive_content_of_promises() {
        has(
            "Lopez vowed not to resign.",
            Indirect,
            "not to resign",
            "vowed",
            "Lopez",
        );
    }

    #[test]
    fn the_addressee_is_not_the_source() {
        has(
            "He told the committee that the records were lost.",
            Indirect,
            "the records were lost",
            "told",
            "He",
        );
    }

    #[test]
    fn titles_of_works_are_not_quotes() {
        let found = attributions("She appeared on the show \"Morning Report\" and said nothing.");
        assert!(found.iter().all(|(k, _, _, _)| *k != Direct), "{found:?}");
    }

    #[test]
    fn scare_quotes_without_a_frame_are_left_out() {
        assert!(attributions("The so-called \"reform\" passed on Tuesday.").is_empty());
    }

    #[test]
    fn transcript_lines_belong_to_their_label() {
        has(
            "SMITH: We will win this race.",
            Direct,
            "We will win this race.",
            ":",
            "SMITH",
        );
    }
}
