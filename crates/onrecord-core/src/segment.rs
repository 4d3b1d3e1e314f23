//! Segmentation: tokens and sentences.
//!
//! Takes the text and its paragraphs; gives tokens (byte spans, Penn Treebank
//! conventions: punctuation and clitics `'s n't 're 've 'll 'd 'm` split off, abbreviations
//! and initials keep their dot, numbers keep their inner `,` and `.`) and sentences (token
//! ranges that never cross a paragraph). One pass over the text, no backtracking.

use crate::analysis::{Sentence, Token};
use crate::span::Span;

/// Tokenize every paragraph and split it into sentences.
pub fn segment(text: &str, paragraphs: &[Span]) -> (Vec<Token>, Vec<Sentence>) {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut sentences = Vec::new();
    for (p, para) in paragraphs.iter().enumerate() {
        let first = tokens.len();
        tokenize_into(text, *para, &mut tokens);
        split_sentences(text, &tokens, first, p, &mut sentences);
    }
    (tokens, sentences)
}

/// Tokens of one span of text, appended to `out`.
pub fn tokenize_into(text: &str, span: Span, out: &mut Vec<Token>) {
    let s = span.slice(text);
    let mut chunk_start: Option<usize> = None;
    for (i, ch) in s.char_indices() {
        if ch.is_whitespace() {
            if let Some(cs) = chunk_start.take() {
                split_chunk(text, span.start + cs, span.start + i, out);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(cs) = chunk_start {
        split_chunk(text, span.start + cs, span.end, out);
    }
}

fn push(out: &mut Vec<Token>, start: usize, end: usize) {
    if end > start {
        out.push(Token::new(Span::new(start, end)));
    }
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '‘' | '«' | '»' | '„' | '‚' | '\'' | '`' | '(' | '[' | '{' | '‹' | '›'
    )
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '”' | '’' | '»' | '«' | '\'' | ')' | ']' | '}' | '›' | '‹' | '“' | '‘'
    )
}

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '―')
}

/// Characters that always stand as tokens of their own inside a chunk.
fn is_inner_break(c: char) -> bool {
    matches!(
        c,
        '"' | '“'
            | '”'
            | '«'
            | '»'
            | '„'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | ';'
            | '!'
            | '?'
            | '…'
    ) || is_dash(c)
}

/// Split one whitespace-free chunk `text[start..end]` into tokens.
fn split_chunk(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    if matches!(&text[start..end], "'n'" | "’n’" | "‘n’") {
        return push(out, start, end);
    }
    let mut lo = start;
    let mut hi = end;
    // Leading openers, currency and dashes.
    while lo < hi {
        let c = text[lo..hi].chars().next().unwrap_or(' ');
        let rest = &text[lo + c.len_utf8()..hi];
        let split = if c == '\'' || c == '’' || c == '‘' {
            // '90s, 'em, 'n' keep their apostrophe.
            let elided_number =
                rest.starts_with(|d: char| d.is_ascii_digit()) && digits_then_s(rest);
            !(elided_number || is_leading_elision(rest))
        } else {
            is_opener(c) || is_dash(c) || matches!(c, '$' | '£' | '€' | '¥' | '#' | '¿' | '¡')
        };
        if split {
            push(out, lo, lo + c.len_utf8());
            lo += c.len_utf8();
        } else {
            break;
        }
    }
    if lo >= hi {
        return;
    }
    // Trailing closers and punctuation, collected right to left.
    let mut tail: Vec<(usize, usize)> = Vec::new();
    loop {
        if lo >= hi {
            break;
        }
        let body = &text[lo..hi];
        if body.ends_with("...") && body.len() > 3 {
            tail.push((hi - 3, hi));
            hi -= 3;
            continue;
        }
        let c = body.chars().next_back().unwrap_or(' ');
        let cl = c.len_utf8();
        if hi - lo == cl {
            break;
        }
        let split = match c {
            ',' | ';' | ':' | '!' | '?' | '…' | '%' => true,
            '.' => !keeps_dot(&body[..body.len() - 1]),
            // A final apostrophe is split off: the quotes stage decides what it is.
            '\'' | '’' => true,
            _ => is_closer(c) || is_dash(c),
        };
        if split {
            tail.push((hi - cl, hi));
            hi -= cl;
        } else {
            break;
        }
    }
    split_middle(text, lo, hi, out);
    for &(s, e) in tail.iter().rev() {
        push(out, s, e);
    }
}

fn digits_then_s(rest: &str) -> bool {
    let d = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    d.is_empty() || d == "s" || d.starts_with(|c: char| !c.is_alphanumeric())
}

fn is_leading_elision(rest: &str) -> bool {
    let lower = rest.trim_end_matches(|c: char| !c.is_alphanumeric());
    matches!(
        lower.to_ascii_lowercase().as_str(),
        "em" | "n" | "tis" | "twas" | "cause" | "til"
    ) && rest.len() <= 5
}

/// Abbreviations that keep their final dot.
fn keeps_dot(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    // Initials and dotted acronyms: J. / U.S. / a.m. / D.C.
    let letters_and_dots = word.chars().all(|c| c.is_alphabetic() || c == '.');
    if letters_and_dots {
        let n_letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if n_letters == 1 && word.chars().next().is_some_and(|c| c.is_uppercase()) {
            return true;
        }
        if word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2) {
            return true;
        }
    }
    is_abbreviation(word)
}

/// Known abbreviations written with a dot (without it).
pub fn is_abbreviation(word: &str) -> bool {
    const ABBR: &[&str] = &[
        "mr", "mrs", "ms", "dr", "sen", "sens", "rep", "reps", "gov", "govs", "gen", "lt", "col",
        "sgt", "capt", "cmdr", "adm", "maj", "prof", "rev", "st", "jr", "sr", "inc", "corp", "co",
        "ltd", "llc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "vs",
        "etc", "no", "nos", "vol", "pres", "atty", "supt", "det", "mt", "ft", "ave", "blvd",
        "dept", "univ", "assn", "bros", "messrs", "mmes", "esq", "hon", "gens", "pp", "fig",
        "approx", "est", "ariz", "calif", "colo", "conn", "fla", "ga", "ill", "ind", "kan", "ky",
        "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore",
        "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "del", "sup", "cf", "al",
    ];
    if word.len() > 6 {
        return false;
    }
    let mut buf = [0u8; 6];
    for (i, b) in word.bytes().enumerate() {
        buf[i] = b.to_ascii_lowercase();
    }
    let lower = &buf[..word.len()];
    ABBR.iter().any(|a| a.as_bytes() == lower)
}

/// Split the core of a chunk: clitics, dashes and inner punctuation.
fn split_middle(text: &str, lo: usize, hi: usize, out: &mut Vec<Token>) {
    let mut start = lo;
    let mut i = lo;
    let bytes = text.as_bytes();
    while i < hi {
        let c = text[i..hi].chars().next().unwrap_or(' ');
        let cl = c.len_utf8();
        // "--" as a dash
        if c == '-' && i + 1 < hi && bytes[i + 1] == b'-' {
            push(out, start, i);
            let mut j = i;
            while j < hi && bytes[j] == b'-' {
                j += 1;
            }
            push(out, i, j);
            start = j;
            i = j;
            continue;
        }
        if is_inner_break(c) {
            push(out, start, i);
            push(out, i, i + cl);
            start = i + cl;
            i += cl;
            continue;
        }
        // A comma or colon between letters (not inside a number) breaks the chunk.
        if matches!(c, ',' | ':') && i > start {
            let prev = text[..i].chars().next_back().unwrap_or(' ');
            let next = text[i + 1..hi].chars().next().unwrap_or(' ');
            if !(prev.is_ascii_digit() && next.is_ascii_digit()) {
                push(out, start, i);
                push(out, i, i + 1);
                start = i + 1;
                i += 1;
                continue;
            }
        }
        // Clitics: 's n't 're 've 'll 'd 'm (straight or curly apostrophe).
        if (c == '\'' || c == '’') && i > start {
            let after = &text[i + cl..hi];
            let lower_is = |s: &str| after.eq_ignore_ascii_case(s);
            if lower_is("s")
                || lower_is("re")
                || lower_is("ve")
                || lower_is("ll")
                || lower_is("d")
                || lower_is("m")
            {
                let prev = text[..i].chars().next_back().unwrap_or(' ');
                if prev.is_alphabetic() {
                    push(out, start, i);
                    push(out, i, hi);
                    return;
                }
            }
            if lower_is("t") && i >= start + 2 {
                let n = bytes[i - 1];
                if n == b'n' || n == b'N' {
                    push(out, start, i - 1);
                    push(out, i - 1, hi);
                    return;
                }
            }
        }
        i += cl;
    }
    push(out, start, hi);
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

/// Words that start sentences and are rarely proper nouns: after an ambiguous
/// abbreviation ("U.S."), a capitalized one of these means a new sentence.
fn is_sentence_starter(word: &str) -> bool {
    const W: &[&str] = &[
        "The",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "But",
        "And",
        "In",
        "A",
        "An",
        "This",
        "That",
        "There",
        "Those",
        "These",
        "His",
        "Her",
        "Their",
        "Its",
        "Our",
        "If",
        "When",
        "While",
        "As",
        "After",
        "Before",
        "Still",
        "So",
        "Yet",
        "Now",
        "Then",
        "However",
        "Some",
        "Many",
        "Most",
        "One",
        "Two",
        "Asked",
        "According",
        "At",
        "On",
        "For",
        "Meanwhile",
    ];
    W.contains(&word)
}

/// The longest sentence the splitter emits, in tokens.
pub const MAX_SENTENCE_TOKENS: usize = 250;

/// Split the tokens `tokens[first..]` of paragraph `para` into sentences.
fn split_sentences(
    text: &str,
    tokens: &[Token],
    first: usize,
    para: usize,
    out: &mut Vec<Sentence>,
) {
    let n = tokens.len();
    let mut start = first;
    let mut i = first;
    while i < n {
        // Run-on text without punctuation is cut into pieces of bounded length, so that
        // every later stage works on sentences of bounded size.
        if i - start >= MAX_SENTENCE_TOKENS {
            push_sentence(tokens, start, i, para, out);
            start = i;
        }
        let w = tokens[i].span.slice(text);
        let terminal = matches!(w, "." | "!" | "?" | "..." | "…" | "?!" | "!?");
        let abbrev_end = !terminal && w.len() > 1 && w.ends_with('.');
        if terminal || abbrev_end {
            // closing quotes and brackets stay with the sentence they close
            let mut j = i + 1;
            while j < n {
                let t = tokens[j].span.slice(text);
                let c = first_char(t);
                if t.chars().count() == 1
                    && (is_closer(c) && !matches!(c, '«' | '‹'))
                    && !opens_next(text, tokens, j)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let boundary = if j >= n {
                true
            } else {
                let next = tokens[j].span.slice(text);
                let c = first_char(next);
                let capital_like = c.is_uppercase() || c.is_ascii_digit() || is_opener(c);
                if abbrev_end {
                    let core = &w[..w.len() - 1];
                    let title_like = is_abbreviation(core) || core.chars().count() == 1;
                    !title_like && is_sentence_starter(next)
                } else if matches!(w, "..." | "…") {
                    c.is_uppercase() && is_sentence_starter(next)
                } else {
                    capital_like
                }
            };
            if boundary {
                push_sentence(tokens, start, j, para, out);
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if start < n {
        push_sentence(tokens, start, n, para, out);
    }
}

/// Whether the quote-like token at `j` opens something (it is followed, with no space,
/// by a word) rather than closing the sentence before it.
fn opens_next(text: &str, tokens: &[Token], j: usize) -> bool {
    let t = tokens[j].span;
    let prev_adjacent = j > 0 && tokens[j - 1].span.end == t.start;
    let next_adjacent = tokens.get(j + 1).is_some_and(|n| n.span.start == t.end);
    let c = first_char(t.slice(text));
    matches!(c, '“' | '‘') || (next_adjacent && !prev_adjacent)
}

fn push_sentence(tokens: &[Token], start: usize, end: usize, para: usize, out: &mut Vec<Sentence>) {
    if end > start {
        out.push(Sentence {
            span: Span::new(tokens[start].span.start, tokens[end - 1].span.end),
            tokens: start..end,
            paragraph: para,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::paragraphs;

    fn toks(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize_into(text, Span::new(0, text.len()), &mut out);
        out.iter().map(|t| t.span.slice(text)).collect()
    }

    fn sents(text: &str) -> Vec<&str> {
        let paras = paragraphs(text, Span::new(0, text.len()));
        let (_, sentences) = segment(text, &paras);
        sentences.iter().map(|s| s.span.slice(text)).collect()
    }

    #[test]
    fn splits_punctuation_and_clitics() {
        assert_eq!(
            toks("\"We don't know,\" the mayor's aide said."),
            [
                "\"", "We", "do", "n't", "know", ",", "\"", "the", "mayor", "'s", "aide", "said",
                "."
            ]
        );
        assert_eq!(toks("can't"), ["ca", "n't"]);
        assert_eq!(
            toks("They’re here—now."),
            ["They", "’re", "here", "—", "now", "."]
        );
    }

    #[test]
    fn keeps_abbreviations_numbers_and_elisions() {
        assert_eq!(
            toks("Mr. Smith paid $1,250.50 in the U.S. on Feb. 24 at 5 p.m."),
            [
                "Mr.", "Smith", "paid", "$", "1,250.50", "in", "the", "U.S.", "on", "Feb.", "24",
                "at", "5", "p.m."
            ]
        );
        assert_eq!(
            toks("the '90s and rock 'n' roll"),
            ["the", "'90s", "and", "rock", "'n'", "roll"]
        );
        assert_eq!(toks("a 24-hour cease-fire"), ["a", "24-hour", "cease-fire"]);
        assert_eq!(toks("wait... what"), ["wait", "...", "what"]);
        assert_eq!(toks("J. Edgar Hoover"), ["J.", "Edgar", "Hoover"]);
    }

    #[test]
    fn splits_quotes_from_words() {
        assert_eq!(
            toks("“Yes,” she said"),
            ["“", "Yes", ",", "”", "she", "said"]
        );
        assert_eq!(toks("('Oh, No')"), ["(", "'", "Oh", ",", "No", "'", ")"]);
        assert_eq!(
            toks("the students' union"),
            ["the", "students", "'", "union"]
        );
    }

    #[test]
    fn sentences_survive_abbreviations_and_initials() {
        assert_eq!(
            sents("Mr. Smith met Sen. J. Doe on Feb. 24 in Washington. They talked."),
            [
                "Mr. Smith met Sen. J. Doe on Feb. 24 in Washington.",
                "They talked."
            ]
        );
        assert_eq!(
            sents("He lives in the U.S. The trip was long."),
            ["He lives in the U.S.", "The trip was long."]
        );
        assert_eq!(sents("The U.S. Senate voted."), ["The U.S. Senate voted."]);
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sents("\"Stop the war. Begin to speak.\" He left. \"Why?\" she asked."),
            [
                "\"Stop the war.",
                "Begin to speak.\"",
                "He left.",
                "\"Why?\" she asked."
            ]
        );
    }

    #[test]
    fn ellipsis_splits_only_before_a_new_sentence() {
        assert_eq!(
            sents("to our homes ... we did not invite them. Then ... The end."),
            [
                "to our homes ... we did not invite them.",
                "Then ...",
                "The end."
            ]
        );
    }

    #[test]
    fn sentences_never_cross_paragraphs() {
        assert_eq!(
            sents("A headline\n\nBody one. Body two"),
            ["A headline", "Body one.", "Body two"]
        );
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for text in [
            "", " ", "'", "\"", "...", "'''", "—", "x.", "’s", "n't", "é’", "a\u{a0}b",
        ] {
            let _ = toks(text);
            let _ = sents(text);
        }
    }
}
