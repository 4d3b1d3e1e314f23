//! Tagging: a coarse word class for every token.
//!
//! Takes tokens and sentences; gives each token a [`Class`], the few distinctions the
//! attribution rules need (noun, proper noun, verb, preposition, ...). Classes come from
//! closed-class word lists, the cue lexicon and word shape.

use crate::analysis::{Class, Sentence, Token};
use crate::lexicon::{self, Closed, Form};
use crate::tagger::{Pos, PosTagger};
use std::collections::HashSet;

/// Fill in `class` for every token of every sentence: from the learned part-of-speech
/// tagger, with closed-class words and the cue lexicon taking precedence; from word lists
/// and word shape alone if the shipped model cannot be loaded.
pub fn tag(text: &str, tokens: &mut [Token], sentences: &[Sentence]) {
    match PosTagger::try_builtin() {
        Ok(tagger) => tag_learned(tagger, text, tokens, sentences),
        Err(_) => tag_by_rules(text, tokens, sentences),
    }
}

fn tag_learned(tagger: &PosTagger, text: &str, tokens: &mut [Token], sentences: &[Sentence]) {
    let mut words: Vec<&str> = Vec::new();
    let mut tags: Vec<Pos> = Vec::new();
    for s in sentences {
        words.clear();
        words.extend(tokens[s.tokens.clone()].iter().map(|t| t.span.slice(text)));
        tagger.tag(&words, &mut tags);
        let title_case = is_title_case(text, &tokens[s.tokens.clone()]);
        for (k, i) in s.tokens.clone().enumerate() {
            let prev = (k > 0).then(|| tokens[i - 1].class);
            let mut class = class_of(words[k], tags[k], prev);
            if title_case && class == Class::Proper {
                // headlines capitalize verbs too: "Mayor Says ...", "Talks Trusting ..."
                class = headline_class(words[k]);
            } else if matches!(class, Class::Noun) && reads_as_reporting_verb(&words, &tags, k) {
                class = Class::Verb;
            }
            tokens[i].class = class;
            tokens[i].pos = Some(tags[k]);
        }
    }
}

/// The class of a capitalized headline word the tagger called a proper noun.
fn headline_class(word: &str) -> Class {
    match lexicon::cue_verb(word) {
        Some((_, Form::Gerund)) => return Class::Participle,
        Some((_, Form::Third | Form::Past)) => return Class::Verb,
        _ => {}
    }
    if word.len() > 5 && word.ends_with("ing") {
        return Class::Participle;
    }
    if lexicon::closed_class(word).is_some() {
        return classify(word, None, true);
    }
    Class::Proper
}

/// "CNBC reports." / "the agency says that": a reporting verb form tagged as a plural
/// noun after a name, at the end of a clause.
fn reads_as_reporting_verb(words: &[&str], tags: &[Pos], k: usize) -> bool {
    let Some((_, Form::Third | Form::Past)) = lexicon::cue_verb(words[k]) else {
        return false;
    };
    let after_name = k > 0 && matches!(tags[k - 1], Pos::NNP | Pos::NNPS | Pos::NN | Pos::PRP);
    let next = words.get(k + 1).copied().unwrap_or(".");
    after_name && matches!(next, "." | "," | "that" | ":" | ";" | "!" | "?")
}

/// The class of a word the tagger tagged `pos`.
fn class_of(word: &str, pos: Pos, prev: Option<Class>) -> Class {
    use Pos::*;
    let closed = lexicon::closed_class(word);
    match closed {
        Some(Closed::Aux) if pos != POS => return Class::Aux,
        Some(Closed::Modal) if pos == MD => return Class::Modal,
        Some(Closed::Neg) => return Class::Neg,
        Some(Closed::To) => return Class::To,
        Some(Closed::Wh) if matches!(pos, WP | WDT | WPS) => return Class::Wh,
        Some(Closed::Subord) if matches!(pos, IN | WDT) => return Class::Subord,
        _ => {}
    }
    if pos.is_punct() || pos.is_quote() {
        return classify(word, prev, false);
    }
    match pos {
        NN | NNS => Class::Noun,
        NNP | NNPS => Class::Proper,
        PRP | EX => Class::Pronoun,
        PRPS => Class::PossPronoun,
        WP | WDT | WPS => Class::Wh,
        DT | PDT => Class::Det,
        IN => Class::Prep,
        CC => Class::Conj,
        TO => Class::To,
        MD => Class::Modal,
        VBG => Class::Participle,
        VB | VBD | VBN | VBP | VBZ => Class::Verb,
        RB | RBR | RBS | WRB | RP => Class::Adverb,
        JJ | JJR | JJS => Class::Adj,
        CD => Class::Num,
        POS => Class::Possessive,
        _ => Class::Other,
    }
}

fn tag_by_rules(text: &str, tokens: &mut [Token], sentences: &[Sentence]) {
    let mut names: HashSet<&str> = HashSet::new();
    let mut uncertain = Vec::new();
    for s in sentences {
        let title_case = is_title_case(text, &tokens[s.tokens.clone()]);
        for i in s.tokens.clone() {
            let word = tokens[i].span.slice(text);
            let prev = if i > s.tokens.start {
                Some(tokens[i - 1].class)
            } else {
                None
            };
            let capital_uninformative =
                i == s.tokens.start || title_case || prev == Some(Class::Quote);
            let class = classify(word, prev, capital_uninformative);
            tokens[i].class = class;
            if class == Class::Proper && !capital_uninformative {
                names.insert(word);
            } else if capital_uninformative && word.starts_with(char::is_uppercase) {
                uncertain.push(i);
            }
        }
    }
    // A capitalized word at a sentence start or in a headline is a name when the article
    // also writes it capitalized elsewhere.
    for i in uncertain {
        let word = tokens[i].span.slice(text);
        if names.contains(word) && matches!(tokens[i].class, Class::Noun | Class::Proper) {
            tokens[i].class = Class::Proper;
        } else if tokens[i].class == Class::Proper
            && !names.contains(word)
            && is_sentence_initial_common(word)
        {
            tokens[i].class = Class::Noun;
        }
    }
}

/// Capitalized words that headlines and sentence starts make look like names.
fn is_sentence_initial_common(word: &str) -> bool {
    lexicon::closed_class(word).is_some()
}

/// Whether most words of a sentence are capitalized, as in headlines; capitals then say
/// nothing about names.
pub fn is_title_case(text: &str, tokens: &[Token]) -> bool {
    let mut words = 0;
    let mut caps = 0;
    for t in tokens {
        let w = t.span.slice(text);
        let Some(c) = w.chars().next() else { continue };
        // headlines leave short function words in lower case; everything else counts
        let minor = matches!(
            w,
            "a" | "an"
                | "the"
                | "and"
                | "but"
                | "or"
                | "nor"
                | "for"
                | "of"
                | "in"
                | "on"
                | "at"
                | "to"
                | "by"
                | "as"
                | "vs"
                | "via"
                | "per"
                | "with"
                | "from"
                | "into"
                | "if"
                | "up"
                | "off"
                | "over"
        );
        if c.is_alphabetic() && w.len() > 1 && !minor && !w.starts_with('\'') {
            words += 1;
            caps += c.is_uppercase() as usize;
        }
    }
    // every word but the minor ones is capitalized
    words >= 4 && caps == words
}

fn classify(word: &str, prev: Option<Class>, capital_uninformative: bool) -> Class {
    let Some(c) = word.chars().next() else {
        return Class::Other;
    };
    if !c.is_alphanumeric() {
        return match word {
            "," => Class::Comma,
            "'s" | "’s" | "'S" => Class::Possessive,
            "'" | "’" if prev == Some(Class::Noun) || prev == Some(Class::Proper) => {
                Class::Possessive
            }
            _ if word.chars().count() == 1 && is_quote_char(c) => Class::Quote,
            "-" | "--" | "—" | "–" | "―" => Class::Dash,
            _ => {
                if word.starts_with('\'') || word.starts_with('’') {
                    // 're 've 'll 'd 'm and 90s-style elisions
                    match lexicon::closed_class(word) {
                        Some(Closed::Aux) => Class::Aux,
                        Some(Closed::Modal) => Class::Modal,
                        _ => Class::Other,
                    }
                } else {
                    Class::Punct
                }
            }
        };
    }
    if c.is_ascii_digit() {
        return Class::Num;
    }
    if let Some(closed) = lexicon::closed_class(word) {
        return match closed {
            Closed::Det => Class::Det,
            Closed::Pronoun => Class::Pronoun,
            Closed::Possessive => Class::PossPronoun,
            Closed::Prep => Class::Prep,
            Closed::Conj => Class::Conj,
            Closed::Subord => Class::Subord,
            Closed::Aux => Class::Aux,
            Closed::Modal => Class::Modal,
            Closed::Neg => Class::Neg,
            Closed::Wh => Class::Wh,
            Closed::Adverb => Class::Adverb,
            Closed::To => Class::To,
        };
    }
    let after_det = matches!(prev, Some(Class::Det | Class::PossPronoun | Class::Adj));
    if let Some((_, form)) = lexicon::cue_verb(word) {
        if !after_det {
            return if form == Form::Gerund {
                Class::Participle
            } else {
                Class::Verb
            };
        }
    }
    if c.is_uppercase() && !capital_uninformative {
        return Class::Proper;
    }
    if c.is_uppercase() && word.len() > 1 && word.chars().all(|c| c.is_uppercase() || c == '.') {
        return Class::Proper;
    }
    let lower_end = |s: &str| word.len() > s.len() + 2 && word.ends_with(s);
    if lower_end("ly") {
        return Class::Adverb;
    }
    if lower_end("ing") && !after_det {
        return Class::Participle;
    }
    if lower_end("ed") && !after_det {
        return Class::Verb;
    }
    if c.is_uppercase() && capital_uninformative && prev.is_some() {
        // Headline words: keep capitalized words that are not common verbs as names.
        return Class::Proper;
    }
    Class::Noun
}

pub fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '‘' | '’' | '\'' | '«' | '»' | '„' | '‚' | '‹' | '›' | '`'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::paragraphs;
    use crate::segment::segment;
    use crate::span::Span;

    fn classes(text: &str) -> Vec<Class> {
        let paras = paragraphs(text, Span::new(0, text.len()));
        let (mut tokens, sentences) = segment(text, &paras);
        tag(text, &mut tokens, &sentences);
        tokens.iter().map(|t| t.class).collect()
    }

    #[test]
    fn classes_of_a_reporting_sentence() {
        use Class::*;
        assert_eq!(
            classes("The senator told reporters that Smith's plan failed."),
            [Det, Noun, Verb, Noun, Subord, Proper, Possessive, Noun, Verb, Punct]
        );
    }

    #[test]
    fn a_determiner_makes_a_cue_word_a_noun() {
        assert_eq!(classes("the report")[1], Class::Noun);
        assert_eq!(classes("He said")[1], Class::Verb);
    }

    #[test]
    fn headlines_are_title_case() {
        let text = "Mayor Says City Will Rebuild Bridges Soon";
        let paras = paragraphs(text, Span::new(0, text.len()));
        let (tokens, _) = segment(text, &paras);
        assert!(is_title_case(text, &tokens));
    }
}
