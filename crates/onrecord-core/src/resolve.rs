//! Resolution: mentions clustered into entities, and speakers for attributions.
//!
//! Takes tagged tokens, sentences, quotations and attributions; gives [`Entity`]s (a
//! canonical name — the fullest proper name, without titles — a type and the mentions)
//! and sets each attribution's `speaker`. Mentions are:
//! * names: runs of proper nouns ("44-year-old President Volodymyr Zelenskyy" gives the
//!   name "Volodymyr Zelenskyy" with the role "president");
//! * descriptions: "the Russian president", "Ukraine's leader", "the married father of
//!   two", matched to the entity whose titles and country fit, or, for a description that
//!   is a source and fits no one, to the person in focus;
//! * pronouns that are sources ("he said"): the previous speaker when compatible, else the
//!   nearest compatible person named before.
//!
//! Names in headlines (title case) only join entities named in the body. A speaker is
//! left unknown rather than guessed when nothing compatible is in reach.

use crate::analysis::{Attribution, Class, Entity, EntityType, Sentence, Token};
use crate::lexicon::{self, PronounKind};
use crate::quotes::Quotation;
use crate::span::Span;
use crate::tag::is_title_case;
use crate::tagger::{entity_spans, EntityClass, NerTagger, Pos};
use std::collections::HashMap;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gender {
    Unknown,
    Male,
    Female,
}

struct Builder {
    /// Lowercased name words, fullest seen.
    key: Vec<String>,
    /// The fullest name as written.
    name: String,
    kind: EntityType,
    gender: Gender,
    /// (demonym, role) pairs from titles and descriptions.
    descriptors: Vec<(Option<&'static str>, Option<String>)>,
    mentions: Vec<Span>,
    person_evidence: bool,
    org_evidence: bool,
    loc_evidence: bool,
}

/// A mention found in the text, with the entity it joined.
#[derive(Clone, Debug)]
struct Mention {
    tokens: Range<usize>,
    entity: usize,
    in_quote: bool,
}

/// How many mentions back (or ahead) a description or pronoun looks for its referent;
/// it bounds the work per mention, whatever the length of the article.
const MENTIONS_IN_REACH: usize = 300;

pub struct Input<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub sentences: &'a [Sentence],
    pub quotations: &'a [Quotation],
}

struct Resolver<'a> {
    text: &'a str,
    tokens: &'a [Token],
    sentences: &'a [Sentence],
    quoted: Vec<Span>,
    entities: Vec<Builder>,
    by_last: HashMap<String, Vec<usize>>,
    by_first: HashMap<String, Vec<usize>>,
    /// Multi-word names by their initials, for acronyms ("UN").
    by_initials: HashMap<String, Vec<usize>>,
    mentions: Vec<Mention>,
    ner: Ner,
    /// Tokens inside an attribution's source mention.
    in_source: Vec<bool>,
}

/// The entity tagger's classes, filled sentence by sentence as new names appear.
#[derive(Default)]
struct Ner {
    tagger: Option<&'static NerTagger>,
    available: bool,
    class: Vec<Option<EntityClass>>,
    done: Vec<bool>,
}

/// Cluster mentions into entities and set the speaker of every attribution.
pub fn resolve(input: &Input, attributions: &mut [Attribution]) -> Vec<Entity> {
    let mut r = Resolver {
        text: input.text,
        tokens: input.tokens,
        sentences: input.sentences,
        quoted: input
            .quotations
            .iter()
            .filter(|q| q.depth == 0)
            .map(|q| q.content)
            .collect(),
        entities: Vec::new(),
        by_last: HashMap::new(),
        by_first: HashMap::new(),
        by_initials: HashMap::new(),
        mentions: Vec::new(),
        ner: Ner::default(),
        in_source: vec![false; input.tokens.len()],
    };
    // Names that are sources are entities even when the entity tagger missed them
    // ("CNBC reports").
    for a in attributions.iter() {
        if let Some(src) = &a.source_tokens {
            for t in src.clone() {
                if let Some(flag) = r.in_source.get_mut(t) {
                    *flag = true;
                }
            }
        }
    }
    r.names();
    r.descriptions();
    r.speakers(attributions);
    r.finish(attributions)
}

impl<'a> Resolver<'a> {
    fn word(&self, i: usize) -> &'a str {
        self.tokens[i].span.slice(self.text)
    }

    fn class(&self, i: usize) -> Class {
        self.tokens[i].class
    }

    fn in_quote(&self, span: Span) -> bool {
        let i = self.quoted.partition_point(|q| q.end <= span.start);
        self.quoted.get(i).is_some_and(|q| q.contains(span))
    }

    fn span_of(&self, r: &Range<usize>) -> Span {
        Span::new(
            self.tokens[r.start].span.start,
            self.tokens[r.end - 1].span.end,
        )
    }

    /// Name mentions: body sentences first, then headlines (which only join).
    fn names(&mut self) {
        let mut headline = Vec::new();
        self.ner = Ner {
            tagger: NerTagger::try_builtin().ok(),
            available: NerTagger::try_builtin().is_ok(),
            class: vec![None; self.tokens.len()],
            done: vec![false; self.sentences.len()],
        };
        for (si, s) in self.sentences.iter().enumerate() {
            if is_title_case(self.text, &self.tokens[s.tokens.clone()]) {
                headline.push(si);
                continue;
            }
            self.names_in(s.tokens.clone(), false);
        }
        for si in headline {
            let range = self.sentences[si].tokens.clone();
            self.names_in(range, true);
        }
        self.mentions.sort_by_key(|m| m.tokens.start);
    }

    /// The entity tagger's class for a run of tokens, tagging its sentence on first use.
    fn ner_class(&mut self, run: Range<usize>) -> Option<EntityClass> {
        let tagger = self.ner.tagger?;
        let si = self
            .sentences
            .partition_point(|s| s.tokens.end <= run.start);
        let s = self.sentences.get(si)?;
        if !self.ner.done[si] {
            self.ner.done[si] = true;
            let toks = &self.tokens[s.tokens.clone()];
            if toks.iter().all(|t| t.pos.is_some()) {
                let words: Vec<&str> = toks.iter().map(|t| t.span.slice(self.text)).collect();
                let pos: Vec<Pos> = toks.iter().filter_map(|t| t.pos).collect();
                let mut tags = Vec::new();
                tagger.tag(&words, &pos, &mut tags);
                for (range, class) in entity_spans(&tags) {
                    for t in range {
                        self.ner.class[s.tokens.start + t] = Some(class);
                    }
                }
            }
        }
        run.into_iter().find_map(|t| self.ner.class[t])
    }

    fn names_in(&mut self, range: Range<usize>, join_only: bool) {
        let mut i = range.start;
        while i < range.end {
            if self.class(i) != Class::Proper {
                i += 1;
                continue;
            }
            let start = i;
            while i < range.end && self.class(i) == Class::Proper {
                i += 1;
            }
            self.name_run(start..i, join_only);
        }
    }

    /// One run of proper nouns: strip titles and demonyms into descriptors, then join or
    /// start an entity.
    fn name_run(&mut self, run: Range<usize>, join_only: bool) {
        let force = run.clone().any(|t| self.in_source[t]);
        let mut k = run.start;
        let mut role: Option<String> = None;
        let mut demonym = None;
        // a possessive country before the run: "Ukraine's President Zelenskyy"
        if run.start >= 2 && self.class(run.start - 1) == Class::Possessive {
            demonym = lexicon::demonym(self.word(run.start - 2));
        } else if run.start >= 1 && lexicon::is_title(self.word(run.start)) {
            // "German Chancellor Karl Weber" with the demonym tagged as an adjective
            demonym = lexicon::demonym(self.word(run.start - 1));
        }
        // an adjective demonym before: "Russian President Vladimir Putin" is all proper
        while k < run.end {
            let w = self.word(k);
            let next_is_title = k + 1 < run.end && lexicon::is_title(self.word(k + 1));
            // "Vice News" and "Union" are names; "Vice President" and "Russian President"
            // are titles
            let title = lexicon::is_title(w) && (!w.eq_ignore_ascii_case("vice") || next_is_title);
            if title {
                if lexicon::is_person_role(w) || role.is_none() {
                    role = Some(w.to_lowercase().trim_end_matches('.').to_string());
                }
                k += 1;
            } else if lexicon::demonym(w).is_some() && next_is_title && !is_country_name(w) {
                demonym = lexicon::demonym(w);
                k += 1;
            } else {
                break;
            }
        }
        if k >= run.end {
            return;
        }
        let name_tokens = k..run.end;
        let key: Vec<String> = name_tokens
            .clone()
            .map(|t| self.word(t).trim_end_matches('.').to_lowercase())
            .collect();
        let titled = k > run.start;
        // Months and weekdays are dates, not entities; a capitalized run the entity tagger
        // does not mark (when it ran) only joins entities named otherwise.
        if name_tokens.clone().all(|t| is_date_word(self.word(t))) {
            return;
        }
        // a lone nationality adjective ("the German chancellor") names no one, nor does a
        // lone letter (the "Q" of an interview transcript)
        if name_tokens.len() == 1 {
            let w = self.word(name_tokens.start);
            if w.trim_end_matches('.').chars().count() <= 1 {
                return;
            }
            if lexicon::demonym(w).is_some_and(|d| d.eq_ignore_ascii_case(w)) {
                return;
            }
        }
        // The entity tagger runs only where a name is new: names that join an entity
        // already have its type.
        let existing = self.find_entity(&key);
        let ner_class = if existing.is_none() && !join_only {
            self.ner_class(name_tokens.clone())
        } else {
            None
        };
        // a lone capitalized word inside a quotation is too often a sentence start
        let quoted_word = key.len() == 1 && self.in_quote(self.tokens[run.start].span);
        let untagged = self.ner.available && (ner_class.is_none() || quoted_word) && !titled;
        let entity = match existing {
            Some(e) => e,
            None if join_only || (untagged && !force) => return,
            None => {
                let name = self.span_of(&name_tokens).slice(self.text).to_string();
                self.new_entity(key.clone(), name)
            }
        };
        {
            let full = self.span_of(&name_tokens).slice(self.text).to_string();
            if key.len() > self.entities[entity].key.len() {
                self.index_initials(entity, &key);
                let b = &mut self.entities[entity];
                b.key = key.clone();
                b.name = full;
            }
            let b = &mut self.entities[entity];
            match ner_class {
                Some(EntityClass::Person) => b.person_evidence = true,
                Some(EntityClass::Organization) if !b.person_evidence => b.org_evidence = true,
                Some(EntityClass::Location) if !b.person_evidence && !b.org_evidence => {
                    b.loc_evidence = true
                }
                _ => {}
            }
            if titled || demonym.is_some() {
                b.descriptors.push((demonym, role.clone()));
            }
            if let Some(r) = &role {
                if lexicon::is_person_role(r)
                    || matches!(
                        r.as_str(),
                        "mr" | "mrs" | "ms" | "dr" | "sen" | "rep" | "gov"
                    )
                {
                    b.person_evidence = true;
                }
                match r.as_str() {
                    "mr" | "sir" | "king" | "prince" => b.gender = Gender::Male,
                    "mrs" | "ms" | "miss" | "queen" | "princess" | "dame" => {
                        b.gender = Gender::Female
                    }
                    _ => {}
                }
            }
        }
        let in_quote = self.in_quote(self.tokens[run.start].span);
        let span = self.span_of(&run);
        self.entities[entity].mentions.push(span);
        self.mentions.push(Mention {
            tokens: run,
            entity,
            in_quote,
        });
    }

    fn index_initials(&mut self, id: usize, key: &[String]) {
        if key.len() < 2 {
            return;
        }
        let initials: String = key
            .iter()
            .filter(|w| !matches!(w.as_str(), "of" | "the" | "and" | "for"))
            .filter_map(|w| w.chars().next())
            .collect();
        self.by_initials.entry(initials).or_default().push(id);
    }

    fn new_entity(&mut self, key: Vec<String>, name: String) -> usize {
        let id = self.entities.len();
        self.index_initials(id, &key);
        let org = key.iter().any(|w| is_org_word(w))
            || (key.len() == 1
                && name.len() >= 2
                && name
                    .chars()
                    .all(|c| c.is_uppercase() || c == '.' || c == '&'));
        let loc = key.len() <= 2
            && (lexicon::demonym(&key.join(" ")).is_some() || is_place(&key.join(" ")));
        if let Some(last) = key.last() {
            self.by_last.entry(last.clone()).or_default().push(id);
        }
        if let Some(first) = key.first() {
            self.by_first.entry(first.clone()).or_default().push(id);
        }
        self.entities.push(Builder {
            key,
            name,
            kind: EntityType::Other,
            gender: Gender::Unknown,
            descriptors: Vec::new(),
            mentions: Vec::new(),
            person_evidence: false,
            org_evidence: org,
            loc_evidence: loc,
        });
        id
    }

    /// The entity a name refers to: same surname with compatible other words, a first name
    /// alone, or an acronym of a longer name.
    fn find_entity(&mut self, key: &[String]) -> Option<usize> {
        let last = key.last()?;
        let mut best: Option<usize> = None;
        if let Some(ids) = self.by_last.get(last) {
            for &e in ids.iter().rev() {
                let ek = &self.entities[e].key;
                let sub = key.iter().all(|w| ek.contains(w)) || ek.iter().all(|w| key.contains(w));
                if sub {
                    // an exact key wins over a partial one
                    if ek.as_slice() == key {
                        return Some(e);
                    }
                    best = best.or(Some(e));
                }
            }
        }
        if best.is_some() {
            let e = best?;
            // the fuller name joins: reindex it under its new first word
            if key.len() > self.entities[e].key.len() {
                if let Some(first) = key.first() {
                    self.by_first.entry(first.clone()).or_default().push(e);
                }
            }
            return best;
        }
        if key.len() == 1 {
            if let Some(ids) = self.by_first.get(&key[0]) {
                if let Some(&e) = ids.iter().rev().find(|&&e| self.entities[e].key.len() > 1) {
                    return Some(e);
                }
            }
            // acronyms: "UN" / "U.N" for "United Nations"
            let letters: String = key[0].chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() >= 2 {
                if let Some(&e) = self.by_initials.get(&letters).and_then(|ids| ids.last()) {
                    return Some(e);
                }
            }
        }
        None
    }

    /// Descriptions: `the [demonym] ROLE`, `COUNTRY's ROLE`, `the ROLE of COUNTRY`.
    fn descriptions(&mut self) {
        let mut found = Vec::new();
        for s in self.sentences {
            let mut i = s.tokens.start;
            while i < s.tokens.end {
                if let Some((range, demonym, role)) = self.description_at(i, s.tokens.end) {
                    i = range.end;
                    found.push((range, demonym, role));
                } else {
                    i += 1;
                }
            }
        }
        for (range, demonym, role) in found {
            if let Some(e) = self.match_description(range.start, demonym, &role) {
                let span = self.span_of(&range);
                let in_quote = self.in_quote(span);
                self.entities[e].mentions.push(span);
                if demonym.is_some() {
                    self.entities[e].descriptors.push((demonym, Some(role)));
                }
                self.mentions.push(Mention {
                    tokens: range,
                    entity: e,
                    in_quote,
                });
            }
        }
        self.mentions.sort_by_key(|m| m.tokens.start);
    }

    fn description_at(
        &self,
        i: usize,
        end: usize,
    ) -> Option<(Range<usize>, Option<&'static str>, String)> {
        let w = self.word(i);
        let (demonym, mut j) = if w.eq_ignore_ascii_case("the") {
            let d = (i + 1 < end)
                .then(|| lexicon::demonym(self.word(i + 1)))
                .flatten();
            (d, if d.is_some() { i + 2 } else { i + 1 })
        } else if i + 2 < end && self.class(i + 1) == Class::Possessive && is_country_name(w) {
            (lexicon::demonym(w), i + 2)
        } else if i + 2 < end
            && self.class(i + 1) == Class::Possessive
            && self.class(i) == Class::Proper
        {
            // "Lakeport's mayor": a place we know nothing of narrows nothing
            (None, i + 2)
        } else {
            return None;
        };
        if j >= end {
            return None;
        }
        // "prime minister"
        let mut role_end = j + 1;
        if self.word(j).eq_ignore_ascii_case("prime") && role_end < end {
            role_end += 1;
        }
        let role_word = self.word(role_end - 1);
        if !is_leader_role(role_word) {
            return None;
        }
        j = role_end;
        // a name follows: this is a title, not a description
        if j < end && self.class(j) == Class::Proper {
            return None;
        }
        let mut demonym = demonym;
        let mut stop = j;
        // "the president of Russia"
        if demonym.is_none() && j + 1 < end && self.word(j).eq_ignore_ascii_case("of") {
            if let Some(d) = lexicon::demonym(self.word(j + 1)) {
                demonym = Some(d);
                stop = j + 2;
            }
        }
        Some((i..stop, demonym, role_word.to_lowercase()))
    }

    fn match_description(
        &self,
        at: usize,
        demonym: Option<&'static str>,
        role: &str,
    ) -> Option<usize> {
        let before = self.mentions.partition_point(|m| m.tokens.start < at);
        let fits = |e: usize| {
            self.entities[e]
                .descriptors
                .iter()
                .any(|(d, r)| match demonym {
                    Some(dem) => {
                        *d == Some(dem) && r.as_deref().is_none_or(|r| roles_compatible(r, role))
                    }
                    None => r.as_deref().is_some_and(|r| roles_compatible(r, role)),
                })
        };
        if let Some(m) = self.mentions[..before]
            .iter()
            .rev()
            .take(MENTIONS_IN_REACH)
            .find(|m| fits(m.entity))
        {
            return Some(m.entity);
        }
        // a description may come first and the name soon after: "the city's mayor ...
        // Mayor Jane Doe said"
        let para = self.sentence_of(at)?.paragraph;
        self.mentions[before..]
            .iter()
            .take(MENTIONS_IN_REACH)
            .take_while(|m| {
                self.sentence_of(m.tokens.start)
                    .is_some_and(|s| s.paragraph <= para + 2)
            })
            .find(|m| fits(m.entity))
            .map(|m| m.entity)
    }

    /// Set the speaker of every attribution from its source mention.
    fn speakers(&mut self, attributions: &mut [Attribution]) {
        let mut order: Vec<usize> = (0..attributions.len()).collect();
        order.sort_by_key(|&i| {
            attributions[i]
                .cue
                .map_or(attributions[i].content.start, |c| c.start)
        });
        let mut previous: Option<(usize, usize)> = None; // (entity, token position)
        for ai in order {
            let Some(src) = attributions[ai].source_tokens.clone() else {
                continue;
            };
            let speaker = self.speaker_of(&src, previous);
            if let Some(e) = speaker {
                attributions[ai].speaker = Some(e);
                previous = Some((e, src.start));
                // the source mention is a mention of the speaker (overlaps with names
                // inside it are removed when entities are finished)
                let span = self.span_of(&src);
                self.entities[e].mentions.push(span);
                if let Some(g) = self.pronoun_gender(&src) {
                    let b = &mut self.entities[e];
                    if b.gender == Gender::Unknown {
                        b.gender = g;
                    }
                    b.person_evidence = true;
                }
            }
        }
    }

    fn pronoun_gender(&self, src: &Range<usize>) -> Option<Gender> {
        if src.len() != 1 {
            return None;
        }
        match lexicon::pronoun(self.word(src.start))? {
            PronounKind::He => Some(Gender::Male),
            PronounKind::She => Some(Gender::Female),
            _ => None,
        }
    }

    fn speaker_of(&self, src: &Range<usize>, previous: Option<(usize, usize)>) -> Option<usize> {
        // a mention already found inside the source: the last name, else a description
        // a name in a possessive ("Ukraine's leader") is a modifier, not the head
        let lo = self
            .mentions
            .partition_point(|m| m.tokens.start + 16 < src.start);
        let hi = self.mentions.partition_point(|m| m.tokens.start < src.end);
        let near = &self.mentions[lo..hi.max(lo)];
        let inside = near
            .iter()
            .filter(|m| m.tokens.start >= src.start && m.tokens.end <= src.end)
            .filter(|m| !self.is_possessive(m))
            .max_by_key(|m| (self.is_name(m), m.tokens.end));
        if let Some(m) = inside {
            return Some(m.entity);
        }
        let overlapping = near
            .iter()
            .filter(|m| !self.is_possessive(m))
            .find(|m| m.tokens.start < src.end && src.start < m.tokens.end);
        if let Some(m) = overlapping {
            return Some(m.entity);
        }
        if src.len() == 1 {
            if let Some(p) = lexicon::pronoun(self.word(src.start)) {
                if let Some(e) = self.cataphora(src.start) {
                    return Some(e);
                }
                return match p {
                    PronounKind::He => self.salient_person(src.start, Gender::Male, previous),
                    PronounKind::She => self.salient_person(src.start, Gender::Female, previous),
                    PronounKind::Relative => self.relative_antecedent(src.start),
                    _ => None,
                };
            }
        }
        // a definite description of a person with no better match: the person in focus
        // the head noun stands before an "of" phrase: "the father of two"
        let head_at = (src.start..src.end)
            .find(|&t| self.word(t).eq_ignore_ascii_case("of"))
            .map_or(src.end - 1, |t| t.saturating_sub(1).max(src.start));
        let head = self.word(head_at);
        if self.word(src.start).eq_ignore_ascii_case("the")
            && lexicon::is_person_role(head)
            && !head.ends_with('s')
        {
            let g = match head.to_lowercase().as_str() {
                "father" | "man" | "husband" | "son" | "brother" | "businessman"
                | "congressman" | "spokesman" => Gender::Male,
                "mother" | "woman" | "wife" | "daughter" | "sister" | "businesswoman"
                | "congresswoman" | "spokeswoman" | "actress" | "widow" => Gender::Female,
                _ => Gender::Unknown,
            };
            return self.salient_person(src.start, g, previous);
        }
        None
    }

    fn is_possessive(&self, m: &Mention) -> bool {
        self.tokens
            .get(m.tokens.end)
            .is_some_and(|t| t.class == Class::Possessive)
    }

    fn is_name(&self, m: &Mention) -> bool {
        self.class(m.tokens.end - 1) == Class::Proper
    }

    /// The antecedent of "who"/"which": the name just before the comma.
    fn relative_antecedent(&self, at: usize) -> Option<usize> {
        let comma = at.checked_sub(1)?;
        if self.class(comma) != Class::Comma {
            return None;
        }
        let i = self.mentions.partition_point(|m| m.tokens.end <= comma);
        let m = self.mentions[..i].last()?;
        (m.tokens.end == comma).then_some(m.entity)
    }

    /// The person a pronoun or bare description most likely refers to: the previous
    /// speaker if compatible and close, else the nearest compatible person named before
    /// (outside quotations), within a few paragraphs.
    fn salient_person(
        &self,
        at: usize,
        gender: Gender,
        previous: Option<(usize, usize)>,
    ) -> Option<usize> {
        let para = |t: usize| self.sentence_of(t).map(|s| s.paragraph);
        let here = para(at)?;
        let compatible = |e: usize| {
            let b = &self.entities[e];
            let g_ok =
                gender == Gender::Unknown || b.gender == Gender::Unknown || b.gender == gender;
            g_ok && self.is_person(e)
        };
        if let Some((e, pos)) = previous {
            if compatible(e) && para(pos).is_some_and(|p| here - p.min(here) <= 2) {
                // unless another compatible person was named since, outside quotes
                let lo = self.mentions.partition_point(|m| m.tokens.start <= pos);
                let hi = self.mentions.partition_point(|m| m.tokens.start < at);
                let since = self.mentions[lo.max(hi.saturating_sub(MENTIONS_IN_REACH))..hi.max(lo)]
                    .iter()
                    .filter(|m| !m.in_quote)
                    .filter(|m| m.entity != e && compatible(m.entity))
                    .filter(|m| self.is_subject_mention(m))
                    .count();
                if since == 0 {
                    return Some(e);
                }
            }
        }
        let before = self.mentions.partition_point(|m| m.tokens.start < at);
        for m in self.mentions[..before].iter().rev().take(40) {
            if para(m.tokens.start).is_some_and(|p| here - p.min(here) > 3) {
                break;
            }
            if !m.in_quote && compatible(m.entity) && self.is_subject_mention(m) {
                return Some(m.entity);
            }
        }
        for m in self.mentions[..before].iter().rev().take(40) {
            if para(m.tokens.start).is_some_and(|p| here - p.min(here) > 3) {
                break;
            }
            if !m.in_quote && compatible(m.entity) {
                return Some(m.entity);
            }
        }
        None
    }

    /// A mention followed by its verb (a rough test for subjects).
    fn is_subject_mention(&self, m: &Mention) -> bool {
        let s = m.tokens.start;
        let after_prep = s > 0 && matches!(self.class(s - 1), Class::Prep);
        let next = self.tokens.get(m.tokens.end).map(|t| t.class);
        !after_prep
            && matches!(
                next,
                Some(
                    Class::Verb
                        | Class::Aux
                        | Class::Modal
                        | Class::Adverb
                        | Class::Comma
                        | Class::Possessive
                )
            )
    }

    /// A pronoun in an introductory clause refers forward to the subject of the main
    /// clause: "Asked if he agreed, the mayor said ...".
    fn cataphora(&self, at: usize) -> Option<usize> {
        let s = self.sentence_of(at)?;
        let first = s.tokens.start;
        let intro = matches!(
            self.class(first),
            Class::Subord | Class::Verb | Class::Participle
        );
        if !intro {
            return None;
        }
        let comma = (first..s.tokens.end).find(|&t| self.class(t) == Class::Comma)?;
        if comma < at {
            return None;
        }
        let i = self.mentions.partition_point(|m| m.tokens.start <= comma);
        let first = self.mentions.get(i)?;
        let m = self.mentions[i..]
            .iter()
            .take_while(|m| m.tokens.start == first.tokens.start)
            .max_by_key(|m| m.tokens.end)?;
        if self.is_possessive(m) {
            return None;
        }
        (m.tokens.start <= comma + 3 && m.tokens.start < s.tokens.end).then_some(m.entity)
    }

    fn sentence_of(&self, t: usize) -> Option<&Sentence> {
        let i = self.sentences.partition_point(|s| s.tokens.end <= t);
        self.sentences.get(i)
    }

    fn is_person(&self, e: usize) -> bool {
        let b = &self.entities[e];
        if b.person_evidence {
            return true;
        }
        !(b.org_evidence || b.loc_evidence || b.key.len() < 2 && b.gender == Gender::Unknown)
    }

    fn finish(self, attributions: &mut [Attribution]) -> Vec<Entity> {
        // keep entities with mentions, in order of first mention
        let mut order: Vec<usize> = (0..self.entities.len())
            .filter(|&e| !self.entities[e].mentions.is_empty())
            .collect();
        order.sort_by_key(|&e| self.entities[e].mentions.iter().map(|m| m.start).min());
        let mut new_id = vec![usize::MAX; self.entities.len()];
        for (i, &e) in order.iter().enumerate() {
            new_id[e] = i;
        }
        for a in attributions.iter_mut() {
            a.speaker = a.speaker.map(|e| new_id[e]).filter(|&e| e != usize::MAX);
        }
        let person: Vec<bool> = (0..self.entities.len())
            .map(|e| self.is_person(e))
            .collect();
        let mut out = Vec::with_capacity(order.len());
        for e in order {
            let b = &self.entities[e];
            let mut mentions = b.mentions.clone();
            mentions.sort();
            // overlapping mentions (a name inside its source phrase) keep the first, longest
            let mut kept: Vec<Span> = Vec::with_capacity(mentions.len());
            for m in mentions {
                match kept.last_mut() {
                    Some(last) if last.overlaps(m) => {
                        if m.len() > last.len() && m.start == last.start {
                            *last = m;
                        }
                    }
                    _ => kept.push(m),
                }
            }
            let mentions = kept;
            let kind = if b.org_evidence {
                EntityType::Organization
            } else if b.loc_evidence {
                EntityType::Location
            } else if person[e] {
                EntityType::Person
            } else {
                b.kind
            };
            out.push(Entity {
                name: b.name.clone(),
                kind,
                mentions,
            });
        }
        out
    }
}

fn is_date_word(w: &str) -> bool {
    let w = w.trim_end_matches('.').to_ascii_lowercase();
    matches!(
        w.as_str(),
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
    )
}

fn is_leader_role(w: &str) -> bool {
    matches!(
        w.to_lowercase().as_str(),
        "president"
            | "leader"
            | "minister"
            | "premier"
            | "chancellor"
            | "king"
            | "queen"
            | "dictator"
            | "ruler"
            | "head"
            | "governor"
            | "mayor"
            | "senator"
            | "candidate"
            | "nominee"
            | "secretary"
            | "ambassador"
            | "envoy"
            | "spokesman"
            | "spokeswoman"
            | "chairman"
            | "chairwoman"
            | "general"
            | "commander"
            | "pope"
            | "emperor"
    )
}

fn roles_compatible(a: &str, b: &str) -> bool {
    let top = |r: &str| {
        matches!(
            r,
            "president"
                | "leader"
                | "premier"
                | "chancellor"
                | "minister"
                | "ruler"
                | "head"
                | "king"
                | "queen"
                | "dictator"
                | "emperor"
        )
    };
    a == b || (top(a) && top(b))
}

fn is_country_name(w: &str) -> bool {
    let base = w.trim_end_matches("'s").trim_end_matches("’s");
    lexicon::demonym(base).is_some_and(|d| !d.eq_ignore_ascii_case(base))
}

fn is_org_word(w: &str) -> bool {
    matches!(
        w,
        "news"
            | "times"
            | "post"
            | "party"
            | "committee"
            | "nations"
            | "union"
            | "council"
            | "department"
            | "ministry"
            | "agency"
            | "bank"
            | "inc"
            | "corp"
            | "company"
            | "university"
            | "institute"
            | "association"
            | "court"
            | "congress"
            | "senate"
            | "house"
            | "administration"
            | "commission"
            | "foundation"
            | "network"
            | "group"
            | "campaign"
            | "club"
            | "church"
            | "board"
            | "office"
            | "bureau"
            | "service"
            | "forces"
            | "army"
            | "navy"
            | "nato"
            | "journal"
            | "tribune"
            | "press"
            | "reuters"
            | "cnn"
            | "cnbc"
            | "nbc"
            | "abc"
            | "cbs"
            | "fox"
            | "bbc"
            | "npr"
            | "pac"
            | "fund"
            | "center"
            | "centre"
            | "organization"
            | "coalition"
            | "alliance"
            | "federation"
            | "police"
            | "fbi"
            | "cia"
            | "pentagon"
            | "white"
            | "co"
            | "llc"
            | "ltd"
            | "media"
            | "magazine"
            | "review"
            | "daily"
            | "gazette"
            | "herald"
            | "telegraph"
            | "guardian"
            | "caucus"
            | "legislature"
            | "parliament"
            | "government"
            | "republicans"
            | "democrats"
    )
}

fn is_place(w: &str) -> bool {
    matches!(
        w,
        "washington"
            | "new york"
            | "kyiv"
            | "kiev"
            | "moscow"
            | "london"
            | "paris"
            | "berlin"
            | "beijing"
            | "tokyo"
            | "california"
            | "texas"
            | "florida"
            | "ohio"
            | "iowa"
            | "virginia"
            | "pennsylvania"
            | "michigan"
            | "wisconsin"
            | "arizona"
            | "nevada"
            | "georgia"
            | "carolina"
            | "north carolina"
            | "south carolina"
            | "new hampshire"
            | "colorado"
            | "illinois"
            | "chicago"
            | "los angeles"
            | "boston"
            | "europe"
            | "asia"
            | "africa"
            | "africa's"
            | "vermont"
            | "massachusetts"
            | "new jersey"
            | "maryland"
            | "minnesota"
            | "missouri"
            | "indiana"
            | "kentucky"
            | "tennessee"
            | "alabama"
            | "louisiana"
            | "utah"
            | "oregon"
            | "kansas"
            | "nebraska"
            | "mississippi"
            | "oklahoma"
            | "arkansas"
            | "connecticut"
            | "delaware"
            | "maine"
            | "montana"
            | "alaska"
            | "hawaii"
            | "idaho"
            | "wyoming"
            | "dakota"
            | "west virginia"
            | "new mexico"
            | "rhode island"
            | "charlotte"
            | "philadelphia"
            | "miami"
            | "dallas"
            | "houston"
            | "atlanta"
            | "detroit"
            | "cleveland"
            | "denver"
            | "seattle"
    )
}

#[cfg(test)]
mod tests {
    use crate::analysis::Analysis;
    use crate::document::Document;

    /// The speaker name of the attribution whose content starts with `content`.
    fn speaker_of(text: &str, content: &str) -> Option<String> {
        let a = Analysis::run(&Document::from_text("t", text));
        let at = a
            .attributions
            .iter()
            .find(|x| x.content.slice(text).starts_with(content))?;
        at.speaker.map(|e| a.entities[e].name.clone())
    }

    fn entity_names(text: &str) -> Vec<String> {
        Analysis::run(&Document::from_text("t", text))
            .entities
            .iter()
            .map(|e| e.name.clone())
            .collect()
    }

    #[test]
    fn surnames_join_the_full_name() {
        let text = "Governor Maria Lopez spoke on Monday. \"We are ready,\" Lopez said.";
        assert_eq!(
            speaker_of(text, "We are ready").as_deref(),
            Some("Maria Lopez")
        );
    }

    #[test]
    fn pronouns_take_the_previous_speaker() {
        let text = "\"The water is safe,\" said Tom Baker, the city engineer. \"We tested it twice,\" he said.";
        assert_eq!(
            speaker_of(text, "We tested it").as_deref(),
            Some("Tom Baker")
        );
    }

    #[test]
    fn country_descriptions_pick_the_right_leader() {
        let text = "French President Anne Moreau met German Chancellor Karl Weber in Paris. \
                    \"We agree on trade,\" the German chancellor said.";
        assert_eq!(
            speaker_of(text, "We agree on trade").as_deref(),
            Some("Karl Weber")
        );
    }

    #[test]
    fn a_person_description_refers_to_the_person_in_focus() {
        let text = "Anna Kowalski won the race. The mother of two told reporters, \"It was a long night.\"";
        assert_eq!(
            speaker_of(text, "It was a long night").as_deref(),
            Some("Anna Kowalski")
        );
    }

    #[test]
    fn unknown_is_better_than_wrong() {
        // nobody is named before the pronoun: no speaker
        assert_eq!(speaker_of("\"It is over,\" he said.", "It is over"), None);
    }

    #[test]
    fn acronyms_join_the_organization() {
        let text = "The United Nations met on Friday. \"Aid is late,\" the UN said.";
        assert_eq!(
            speaker_of(text, "Aid is late").as_deref(),
            Some("United Nations")
        );
    }

    #[test]
    fn dates_are_not_entities() {
        let names = entity_names("On Monday, March 4, Maria Lopez said the bridge would open.");
        assert!(
            names.iter().all(|n| n != "Monday" && n != "March"),
            "{names:?}"
        );
    }
}
