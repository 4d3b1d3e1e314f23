//! Quotation marks paired into quoted spans.
//!
//! Takes the text and its paragraph spans (from [`crate::analysis::paragraphs`]); gives one
//! [`Quotation`] per quoted span and paragraph: the spans of its marks, its content (marks
//! excluded, whitespace trimmed), its nesting depth, and a group id that links the pieces of
//! a quote running over several paragraphs. Output is sorted by content start.
//!
//! One pass per paragraph with a small stack (at most two open frames per kind of mark), so
//! the stage is linear and a stray mark never reaches past its paragraph.
//!
//! Heuristics:
//! * Kinds pair only with their own closers: `"`…`"`, `“`…`”`, `„`…`“`/`”`, `'`…`'`,
//!   `‘`…`’`, `‚`…`‘`/`’`, `«`…`»`, `»`…`«`, `‹`…`›`, `›`…`‹`, and the NYT's `''`…`''`
//!   (read as `"`). A straight/curly mix (`"`…`”`, `‘`…`'`) is tolerated when no mark of
//!   the exact kind is open.
//! * Straight marks (and the ambiguous `”`, `’`, `»`) are read from context. Opening: after
//!   paragraph start, whitespace, an opening bracket, a dash or another quote mark, and
//!   before a non-space. Closing: after a non-space and before whitespace, a non-alphanumeric
//!   character or the end. When both readings fit, or neither does (`said:"No"`), a mark
//!   closes if it can, else opens. A double mark at the start of a paragraph or line opens
//!   even before a space. Invisible format characters are skipped; `="` and `">` are markup.
//! * Apostrophes are not quotes: a mark between two alphanumerics (`don't`, `o'clock`), an
//!   elision at the start of a word (`'90s`, `’tis`, `'em`, `'cause`), and `'n'`.
//! * A single closing mark after `s` (or the `in'` of a dropped g) that is followed by a
//!   word may be a possessive (`the students' union`): it is only remembered, and closes
//!   the quote when no better closer follows before the quote has to end.
//! * Single quotes never nest in their own kind: an opening mark of an open single kind ends
//!   the older frame. Double quotes may (`“he calls “hell” here”`), but an outer one that
//!   never closes was the stray: it is dropped and the inner quotes stand alone.
//! * At the end of a paragraph, the outermost unclosed double quote (or guillemet) ends
//!   there with `close: None`. If the next paragraph opens with a mark of the same family,
//!   the quote continues there (news convention): the pieces share a `group`, and every
//!   piece but the last has `continues` set. A line inside a paragraph that opens with a
//!   mark while a quote is open continues it the same way. Unclosed single quotes are
//!   dropped (they are most often apostrophes) unless they continue in the next paragraph.
//! * Stray closing marks are ignored; quotes with empty content are dropped.

use crate::span::Span;
use std::cmp::Reverse;

/// The family of marks a quotation uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteStyle {
    /// `"…"`, `“…”`, `„…“`, `„…”`.
    Double,
    /// `'…'`, `‘…’`, `‚…‘`.
    Single,
    /// `«…»`, `»…«`, `‹…›`, `›…‹`.
    Guillemet,
}

/// A quoted span within one paragraph: its marks and what stands between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quotation {
    pub open: Span,
    /// `None` when the quote runs to the end of its paragraph without a closing mark.
    pub close: Option<Span>,
    /// Between the marks (or from the open mark to the end of the paragraph), trimmed.
    pub content: Span,
    /// 0 = outermost, 1 = a quote inside a quote, ...
    pub depth: u8,
    pub style: QuoteStyle,
    /// Index into the paragraphs given to [`find`].
    pub paragraph: usize,
    /// Pieces of one quote that runs over several paragraphs share a group; otherwise each
    /// quotation has its own. Numbered from 0 in order of appearance.
    pub group: u32,
    /// The quote goes on in the next piece of the same group (in the next paragraph, or on
    /// the next line of this one).
    pub continues: bool,
}

/// Pair the quotation marks of each paragraph into quotations, sorted by content start.
pub fn find(text: &str, paragraphs: &[Span]) -> Vec<Quotation> {
    let mut scan = Scan {
        text,
        para: Span::default(),
        index: 0,
        stack: Vec::new(),
        pieces: Vec::new(),
        next_group: 0,
    };
    let mut out = Vec::new();
    let mut carry = None;
    for (index, &para) in paragraphs.iter().enumerate() {
        let Some(body) = text.get(para.start..para.end) else {
            carry = None;
            continue;
        };
        let next = paragraphs
            .get(index + 1)
            .and_then(|p| text.get(p.start..p.end));
        scan.para = para;
        scan.index = index;
        carry = scan.paragraph(body, carry, next);
        out.append(&mut scan.pieces);
    }
    out.retain(|q| !is_nickname(text, paragraphs, q));
    out.sort_by_key(|q| (q.content.start, q.open.start));
    link_groups(&mut out, scan.next_group);
    out
}

/// `Dana "Dee" Ortiz`, `Lou "The Anchor" Pratt`: one to three capitalized words in
/// quotation marks between two names are part of the name, not a quotation. Headlines in
/// title case capitalize every word (`Calls Rival 'Reckless' Again`), so the paragraph
/// must read as running text.
fn is_nickname(text: &str, paragraphs: &[Span], q: &Quotation) -> bool {
    let Some(close) = q.close else {
        return false;
    };
    let (Some(content), Some(before), Some(after)) = (
        text.get(q.content.start..q.content.end),
        text.get(..q.open.start),
        text.get(close.end..),
    ) else {
        return false;
    };
    let capitalized = |w: &str| w.starts_with(char::is_uppercase);
    let words = content.split_whitespace().count();
    if !(1..=3).contains(&words)
        || !content.split_whitespace().all(capitalized)
        || content.ends_with(|c: char| c.is_ascii_punctuation())
    {
        return false;
    }
    let name_before = before.strip_suffix(' ').is_some_and(|b| {
        let word = b.rsplit(' ').next().unwrap_or("");
        capitalized(word) && word.chars().all(|c| c.is_alphabetic() || c == '.')
    });
    let name_after = after.strip_prefix(' ').is_some_and(|a| {
        let word = a.split([' ', ',', '(']).next().unwrap_or("");
        capitalized(word)
            && word
                .chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
    });
    if !(name_before && name_after) {
        return false;
    }
    const FUNCTION: &[&str] = &[
        "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "as", "by",
        "with", "from", "vs", "is",
    ];
    // a window around the quote, not the whole paragraph: the check stays constant-time
    let window = paragraphs.get(q.paragraph).and_then(|p| {
        let mut from = q.open.start.saturating_sub(200).max(p.start);
        let mut to = (close.end + 200).min(p.end);
        while from > p.start && !text.is_char_boundary(from) {
            from -= 1;
        }
        while to < p.end && !text.is_char_boundary(to) {
            to += 1;
        }
        text.get(from..to)
    });
    window.is_some_and(|w| {
        w.split_whitespace()
            .filter(|w| w.starts_with(char::is_lowercase) && !FUNCTION.contains(w))
            .nth(1)
            .is_some()
    })
}

/// Renumber groups in order of appearance and mark every piece but a group's last.
fn link_groups(quotes: &mut [Quotation], groups: u32) {
    let mut renumber = vec![u32::MAX; groups as usize];
    let mut last = Vec::new();
    for (i, q) in quotes.iter_mut().enumerate() {
        let slot = &mut renumber[q.group as usize];
        if *slot == u32::MAX {
            *slot = last.len() as u32;
            last.push(i);
        }
        q.group = *slot;
        last[q.group as usize] = i;
    }
    for (i, q) in quotes.iter_mut().enumerate() {
        q.continues = last[q.group as usize] != i;
    }
}

/// The exact kind of an opening mark; it decides which marks close it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    StraightDouble,
    /// Opened by `“` (or a `”` in opening position).
    CurlyDouble,
    /// `„`
    LowDouble,
    /// `«…»`
    AngleRight,
    /// `»…«`
    AngleLeft,
    StraightSingle,
    /// Opened by `‘` (or a `’` in opening position).
    CurlySingle,
    /// `‚`
    LowSingle,
    /// `‹…›`
    SingleAngleRight,
    /// `›…‹`
    SingleAngleLeft,
}

impl Kind {
    fn style(self) -> QuoteStyle {
        match self {
            Kind::StraightDouble | Kind::CurlyDouble | Kind::LowDouble => QuoteStyle::Double,
            Kind::StraightSingle | Kind::CurlySingle | Kind::LowSingle => QuoteStyle::Single,
            Kind::AngleRight | Kind::AngleLeft | Kind::SingleAngleRight | Kind::SingleAngleLeft => {
                QuoteStyle::Guillemet
            }
        }
    }
}

/// Which open frames a closing mark may close: the exact kinds first, then tolerated typos.
#[derive(Clone, Copy)]
struct Closer {
    primary: &'static [Kind],
    secondary: &'static [Kind],
    /// A possible possessive (`students' union`): remembered, not closing at once.
    weak: bool,
}

const fn closer(primary: &'static [Kind], secondary: &'static [Kind]) -> Closer {
    Closer {
        primary,
        secondary,
        weak: false,
    }
}

const CLOSE_STRAIGHT_DOUBLE: Closer = closer(
    &[Kind::StraightDouble],
    &[Kind::CurlyDouble, Kind::LowDouble],
);
const CLOSE_RIGHT_DOUBLE: Closer = closer(
    &[Kind::CurlyDouble, Kind::LowDouble],
    &[Kind::StraightDouble],
);
const CLOSE_LEFT_DOUBLE: Closer = closer(
    &[Kind::LowDouble],
    &[Kind::CurlyDouble, Kind::StraightDouble],
);
const CLOSE_STRAIGHT_SINGLE: Closer = closer(
    &[Kind::StraightSingle],
    &[Kind::CurlySingle, Kind::LowSingle],
);
const CLOSE_RIGHT_SINGLE: Closer = closer(
    &[Kind::CurlySingle, Kind::LowSingle],
    &[Kind::StraightSingle],
);
const CLOSE_LEFT_SINGLE: Closer = closer(
    &[Kind::LowSingle],
    &[Kind::CurlySingle, Kind::StraightSingle],
);
const CLOSE_ANGLE_RIGHT: Closer = closer(&[Kind::AngleRight], &[]);
const CLOSE_ANGLE_LEFT: Closer = closer(&[Kind::AngleLeft], &[]);
const CLOSE_SINGLE_ANGLE_RIGHT: Closer = closer(&[Kind::SingleAngleRight], &[]);
const CLOSE_SINGLE_ANGLE_LEFT: Closer = closer(&[Kind::SingleAngleLeft], &[]);

/// What one mark does, read from its context.
enum Action {
    Ignore,
    Open(Kind),
    Close(Closer),
    /// Close if a matching frame is open, else open.
    Either(Kind, Closer),
}

fn is_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '„' | '‘' | '’' | '‚' | '«' | '»' | '‹' | '›'
    )
}

/// Characters after which a mark may open a quote (besides whitespace).
fn opens_after(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '—'
            | '–'
            | '-'
            | '/'
            | '"'
            | '\''
            | '“'
            | '‘'
            | '„'
            | '‚'
            | '«'
            | '»'
            | '‹'
            | '›'
    )
}

/// Words that start with an elision apostrophe (`'tis`, `'em`, `rock 'n' roll`).
const ELISIONS: &[&str] = &[
    "tis", "twas", "twere", "twould", "twill", "til", "em", "cause", "cuz", "cos", "n", "bout",
    "nuff", "ol",
];

/// Whether a mark followed by `after` is an apostrophe starting a word: `'90s`, `’08`,
/// `’tis`.
fn is_elision(after: &str) -> bool {
    let bytes = after.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 2 {
        // all ASCII so far: slicing is on char boundaries
        let rest = &after[2..];
        let rest = rest.strip_prefix(['s', 'S']).unwrap_or(rest);
        return !rest.chars().next().is_some_and(char::is_alphanumeric);
    }
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 6 || after[letters..].starts_with(char::is_alphanumeric) {
        return false;
    }
    let word = &after[..letters];
    ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(word))
}

/// The second apostrophe of `'n'` (rock 'n' roll): `before` ends with ` 'n`.
fn ends_rock_n_roll(before: &str) -> bool {
    let mut r = before.chars().rev();
    matches!(r.next(), Some('n' | 'N'))
        && matches!(r.next(), Some('\'' | '’' | '‘'))
        && r.next().is_none_or(char::is_whitespace)
}

/// A closing single mark that may be a possessive or a dropped g: `students' union`,
/// `Jones' car`, `goin' home`.
fn maybe_apostrophe(before: &str, after: &str) -> bool {
    let mut r = before.chars().rev();
    let prev = r.next();
    let possessive = match prev {
        Some('s' | 'S') => true,
        Some('n') => r.next() == Some('i'),
        _ => false,
    };
    let mut a = after.chars();
    possessive
        && a.next().is_some_and(char::is_whitespace)
        && a.next().is_some_and(char::is_alphanumeric)
}

/// Invisible format characters (directional marks, zero-width spaces) that some sites put
/// before a paragraph's first mark: context skips them.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// Read one mark from its context.
fn action(ch: char, before: &str, after: &str) -> Action {
    let prev = before.chars().rev().find(|&c| !invisible(c));
    let next = after.chars().find(|&c| !invisible(c));
    let open_ctx = prev.is_none_or(|p| p.is_whitespace() || opens_after(p))
        && next.is_some_and(|n| !n.is_whitespace());
    let close_ctx =
        prev.is_some_and(|p| !p.is_whitespace()) && next.is_none_or(|n| !n.is_alphanumeric());
    let close_only = close_ctx && !open_ctx;
    // at the start of a paragraph or line nothing precedes to be closed: a double mark or
    // guillemet there opens even when a space follows (`” … we must`)
    let at_start = prev.is_none_or(|p| p == '\n') && next.is_some();
    let followed = at_start || next.is_some_and(|n| !n.is_whitespace());
    let open_ctx_double = open_ctx || at_start;
    match ch {
        // markup left in scraped text: `author="x">`
        '"' if prev == Some('=') || next == Some('>') => Action::Ignore,
        '"' => match (open_ctx_double, close_ctx) {
            (true, false) => Action::Open(Kind::StraightDouble),
            (false, true) => Action::Close(CLOSE_STRAIGHT_DOUBLE),
            // both readings fit, or neither does (`said:"No"`, `"No,"he said`): the open
            // frames decide
            _ => Action::Either(Kind::StraightDouble, CLOSE_STRAIGHT_DOUBLE),
        },
        '“' if close_only => Action::Close(CLOSE_LEFT_DOUBLE),
        // `“` only opens in English: after a space it opens even before a space (`“ You`)
        '“' if followed || prev.is_none_or(|p| p.is_whitespace() || opens_after(p)) => {
            Action::Open(Kind::CurlyDouble)
        }
        '”' if open_ctx_double && !close_ctx => {
            Action::Either(Kind::CurlyDouble, CLOSE_RIGHT_DOUBLE)
        }
        '”' => Action::Close(CLOSE_RIGHT_DOUBLE),
        '„' if followed => Action::Open(Kind::LowDouble),
        '\'' | '’' | '‘' => single(ch, before, after, open_ctx, close_ctx),
        '‚' if open_ctx => Action::Open(Kind::LowSingle),
        '«' => Action::Either(Kind::AngleRight, CLOSE_ANGLE_LEFT),
        '»' if open_ctx_double => Action::Either(Kind::AngleLeft, CLOSE_ANGLE_RIGHT),
        '»' => Action::Close(CLOSE_ANGLE_RIGHT),
        '‹' => Action::Either(Kind::SingleAngleRight, CLOSE_SINGLE_ANGLE_LEFT),
        '›' if open_ctx_double => Action::Either(Kind::SingleAngleLeft, CLOSE_SINGLE_ANGLE_RIGHT),
        '›' => Action::Close(CLOSE_SINGLE_ANGLE_RIGHT),
        _ => Action::Ignore,
    }
}

/// `'`, `’` and `‘`: quote marks or apostrophes.
fn single(ch: char, before: &str, after: &str, open_ctx: bool, close_ctx: bool) -> Action {
    let (kind, mut close) = match ch {
        '\'' => (Kind::StraightSingle, CLOSE_STRAIGHT_SINGLE),
        '’' => (Kind::CurlySingle, CLOSE_RIGHT_SINGLE),
        _ => (Kind::CurlySingle, CLOSE_LEFT_SINGLE),
    };
    if close_ctx && !open_ctx {
        if ch == '‘' {
            return Action::Close(close);
        }
        if ends_rock_n_roll(before) {
            return Action::Ignore;
        }
        close.weak = maybe_apostrophe(before, after);
        Action::Close(close)
    } else if open_ctx {
        if is_elision(after) {
            Action::Ignore
        } else if close_ctx {
            Action::Either(kind, close)
        } else {
            Action::Open(kind)
        }
    } else {
        // inside a word (don't, o'clock) or between spaces
        Action::Ignore
    }
}

/// If `para` opens with a mark that continues a `kind` quote from the previous paragraph:
/// the kind of the new frame and the byte range of its mark in `para`.
fn continuation(kind: Kind, para: &str) -> Option<(Kind, usize, usize)> {
    let lead = para.len() - para.trim_start_matches(invisible).len();
    let (kind, len) = continuation_mark(kind, &para[lead..])?;
    Some((kind, lead, lead + len))
}

fn continuation_mark(kind: Kind, para: &str) -> Option<(Kind, usize)> {
    // NYT-style '' as a double quote
    if kind.style() == QuoteStyle::Double && para.starts_with("''") {
        let followed = para[2..].starts_with(|c: char| !c.is_whitespace() && c != '\'');
        return followed.then_some((Kind::StraightDouble, 2));
    }
    let mut chars = para.chars();
    let first = chars.next()?;
    let second = chars.next();
    let followed = second.is_some_and(|c| !c.is_whitespace());
    // guillemets may be spaced off their text; a paragraph that is just a mark continues
    // nothing
    let more = second.is_some();
    let after = &para[first.len_utf8()..];
    let next = match (kind.style(), first) {
        (QuoteStyle::Double, '"') if followed => Kind::StraightDouble,
        (QuoteStyle::Double, '“') if followed => Kind::CurlyDouble,
        (QuoteStyle::Double, '„') if followed => Kind::LowDouble,
        (QuoteStyle::Single, '\'') if followed && !is_elision(after) => Kind::StraightSingle,
        (QuoteStyle::Single, '‘') if followed && !is_elision(after) => Kind::CurlySingle,
        (QuoteStyle::Single, '‚') if followed => Kind::LowSingle,
        // French continuation paragraphs may open with »
        (QuoteStyle::Guillemet, '«' | '»') if more && kind == Kind::AngleRight => kind,
        (QuoteStyle::Guillemet, '»') if more && kind == Kind::AngleLeft => kind,
        (QuoteStyle::Guillemet, '‹' | '›') if more && kind == Kind::SingleAngleRight => kind,
        (QuoteStyle::Guillemet, '›') if more && kind == Kind::SingleAngleLeft => kind,
        _ => return None,
    };
    Some((next, first.len_utf8()))
}

/// At most this many open frames of one kind (double quotes may nest in their own kind).
const MAX_SAME_KIND: usize = 2;

/// An opening mark waiting for its closer.
struct Frame {
    kind: Kind,
    open: Span,
    /// Set when the frame continues a quote from the previous paragraph or line.
    group: Option<u32>,
    /// The first possible-possessive closer seen while this frame was innermost.
    weak: Option<Span>,
    /// A mark of the same kind opened inside this frame: if this one never closes, it was
    /// the stray, and the inner quotes stand alone.
    nested_same: bool,
}

impl Frame {
    fn new(kind: Kind, open: Span, group: Option<u32>) -> Self {
        Frame {
            kind,
            open,
            group,
            weak: None,
            nested_same: false,
        }
    }
}

/// State of the pass; `stack` and `pieces` are per paragraph.
struct Scan<'t> {
    text: &'t str,
    para: Span,
    index: usize,
    stack: Vec<Frame>,
    pieces: Vec<Quotation>,
    next_group: u32,
}

impl Scan<'_> {
    /// Pair the marks of the current paragraph; returns the kind and group of a quote that
    /// continues into the next paragraph.
    fn paragraph(
        &mut self,
        body: &str,
        carry: Option<(Kind, u32)>,
        next: Option<&str>,
    ) -> Option<(Kind, u32)> {
        let mut skip_until = 0;
        if let Some((kind, group)) = carry {
            if let Some((kind, start, end)) = continuation(kind, body) {
                skip_until = end;
                let open = Span::new(self.para.start + start, self.para.start + end);
                self.stack.push(Frame::new(kind, open, Some(group)));
            }
        }
        for (i, ch) in body.char_indices() {
            if i < skip_until || !is_mark(ch) {
                continue;
            }
            if ch == '\'' && body[i + 1..].starts_with('\'') {
                // a run of straight singles: '' is a double quote (NYT style)
                let run = body[i..].bytes().take_while(|&b| b == b'\'').count();
                skip_until = i + run;
                let closing = body[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| !p.is_whitespace() && !opens_after(p));
                match (run, closing) {
                    (2, _) => self.mark(body, '"', i, i + 2),
                    // an inner single closes before the double, or opens after it
                    (3, true) => {
                        self.mark(body, '\'', i, i + 1);
                        self.mark(body, '"', i + 1, i + 3);
                    }
                    (3, false) => {
                        self.mark(body, '"', i, i + 2);
                        self.mark(body, '\'', i + 2, i + 3);
                    }
                    _ => {}
                }
                continue;
            }
            self.mark(body, ch, i, i + ch.len_utf8());
        }
        let carry = self.finish(next);
        self.set_depths();
        carry
    }

    /// Handle the mark `ch` at `start..end` of the paragraph `body`.
    fn mark(&mut self, body: &str, ch: char, start: usize, end: usize) {
        let before = &body[..start];
        let mark = Span::new(self.para.start + start, self.para.start + end);
        let line_start = before
            .trim_end_matches(|c: char| (c.is_whitespace() && c != '\n') || invisible(c))
            .ends_with('\n');
        match action(ch, before, &body[end..]) {
            Action::Ignore => {}
            Action::Open(kind) => self.open(kind, mark, line_start),
            Action::Close(closer) => {
                self.close(closer, mark);
            }
            Action::Either(kind, closer) => {
                if !self.close(closer, mark) {
                    self.open(kind, mark, line_start);
                }
            }
        }
    }

    fn open(&mut self, kind: Kind, mark: Span, line_start: bool) {
        let style = kind.style();
        if line_start && style != QuoteStyle::Single {
            // a line that opens with a mark while a quote is open continues it, as a new
            // paragraph would
            if let Some(at) = self.stack.iter().position(|f| f.kind.style() == style) {
                self.unwind(at + 1);
                if let Some(mut frame) = self.stack.pop() {
                    let group = self.group(frame.group);
                    frame.group = Some(group);
                    self.emit(&frame, None, mark.start);
                    self.stack.push(Frame::new(kind, mark, Some(group)));
                    return;
                }
            }
        }
        let same = self.stack.iter().filter(|f| f.kind == kind).count();
        if style == QuoteStyle::Single || same >= MAX_SAME_KIND {
            // single quotes never nest in their own kind: the older frame was stray (or an
            // apostrophe, or closed by a possessive)
            if let Some(at) = self.stack.iter().position(|f| f.kind == kind) {
                self.unwind(at);
            }
        } else {
            for frame in self.stack.iter_mut().filter(|f| f.kind == kind) {
                frame.nested_same = true;
            }
        }
        self.stack.push(Frame::new(kind, mark, None));
    }

    /// Returns false when no open frame matches the closer.
    fn close(&mut self, closer: Closer, mark: Span) -> bool {
        let find = |kinds: &[Kind]| self.stack.iter().rposition(|f| kinds.contains(&f.kind));
        let Some(at) = find(closer.primary).or_else(|| find(closer.secondary)) else {
            return false;
        };
        if closer.weak {
            // only the innermost frame, so that a fallback pairing never crosses another
            if at + 1 == self.stack.len() && self.stack[at].weak.is_none() {
                self.stack[at].weak = Some(mark);
            }
            return true;
        }
        self.unwind(at + 1);
        if let Some(frame) = self.stack.pop() {
            self.emit(&frame, Some(mark), mark.start);
        }
        true
    }

    /// End the frames above `len` without their own closer.
    fn unwind(&mut self, len: usize) {
        while self.stack.len() > len {
            if let Some(frame) = self.stack.pop() {
                if let Some(weak) = frame.weak {
                    self.emit(&frame, Some(weak), weak.start);
                }
            }
        }
    }

    /// End of paragraph: resolve what is still open; returns the quote that continues.
    fn finish(&mut self, next: Option<&str>) -> Option<(Kind, u32)> {
        let mut stack = std::mem::take(&mut self.stack);
        let mut carry = None;
        let mut ended = false;
        let end = self.para.end;
        for mut frame in stack.drain(..) {
            if let Some(weak) = frame.weak {
                self.emit(&frame, Some(weak), weak.start);
            } else if !ended && !frame.nested_same {
                if next.and_then(|n| continuation(frame.kind, n)).is_some() {
                    let group = self.group(frame.group);
                    frame.group = Some(group);
                    carry = Some((frame.kind, group));
                    self.emit(&frame, None, end);
                    ended = true;
                } else if frame.kind.style() != QuoteStyle::Single {
                    self.emit(&frame, None, end);
                    ended = true;
                }
            }
        }
        self.stack = stack;
        carry
    }

    fn group(&mut self, group: Option<u32>) -> u32 {
        group.unwrap_or_else(|| {
            let group = self.next_group;
            self.next_group = group.saturating_add(1);
            group
        })
    }

    /// Record the quotation of `frame` closed by `close`, its content ending at `end`.
    fn emit(&mut self, frame: &Frame, close: Option<Span>, end: usize) {
        let content = Span::new(frame.open.end, end).trim(self.text);
        if content.is_empty() {
            return;
        }
        let group = self.group(frame.group);
        self.pieces.push(Quotation {
            open: frame.open,
            close,
            content,
            depth: 0,
            style: frame.kind.style(),
            paragraph: self.index,
            group,
            continues: false,
        });
    }

    /// Depth from containment of the paragraph's pieces (pairings may have been resolved
    /// out of order).
    fn set_depths(&mut self) {
        let reach = |q: &Quotation| q.close.map_or(q.content.end, |c| c.end);
        self.pieces
            .sort_by_key(|q| (q.open.start, Reverse(reach(q))));
        let mut ends: Vec<usize> = Vec::new();
        for q in &mut self.pieces {
            while ends.last().is_some_and(|&e| e <= q.open.start) {
                ends.pop();
            }
            q.depth = u8::try_from(ends.len()).unwrap_or(u8::MAX);
            ends.push(reach(q));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::paragraphs;

    fn run(text: &str) -> Vec<Quotation> {
        find(text, &paragraphs(text, Span::new(0, text.len())))
    }

    /// (content, depth) of every quotation.
    fn quotes(text: &str) -> Vec<(&str, u8)> {
        run(text)
            .iter()
            .map(|q| (q.content.slice(text), q.depth))
            .collect()
    }

    fn contents(text: &str) -> Vec<&str> {
        quotes(text).into_iter().map(|(c, _)| c).collect()
    }

    #[test]
    fn a_nickname_between_names_is_not_a_quotation() {
        assert_eq!(
            contents(r#""We won!" said state Del. Dana "Dee" Ortiz, who ran the race."#),
            ["We won!"]
        );
        assert_eq!(
            contents(r#"The actor Lou "The Anchor" Pratt said "hello" to fans."#),
            ["hello"]
        );
        // a title-case headline capitalizes its scare quotes too
        assert_eq!(contents("Mayor Calls Rival 'Reckless' Again"), ["Reckless"]);
        // a sentence ends the quote: not a name
        assert_eq!(
            contents(r#"She said "Thanks." Then Smith left the room."#),
            ["Thanks."]
        );
    }

    #[test]
    fn straight_double() {
        let text = r#"The mayor said "we will rebuild the bridge" on Monday."#;
        let q = run(text);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].content.slice(text), "we will rebuild the bridge");
        assert_eq!(q[0].open.slice(text), "\"");
        assert_eq!(q[0].close.unwrap().slice(text), "\"");
        assert_eq!(q[0].style, QuoteStyle::Double);
        assert!(!q[0].continues);
    }

    #[test]
    fn curly_double() {
        assert_eq!(
            contents("She called it “a very long week” and left."),
            ["a very long week"]
        );
    }

    #[test]
    fn straight_single_in_text() {
        assert_eq!(
            contents("The sign read 'closed for lunch' all afternoon."),
            ["closed for lunch"]
        );
    }

    #[test]
    fn curly_single() {
        assert_eq!(
            contents("They named the plan ‘Operation Teapot’ for a reason."),
            ["Operation Teapot"]
        );
    }

    #[test]
    fn guillemets_both_directions() {
        assert_eq!(
            contents("Il a dit « nous partons » hier."),
            ["nous partons"]
        );
        assert_eq!(contents("Er sagte »wir gehen« und ging."), ["wir gehen"]);
        let q = run("Il a dit « nous partons » hier.");
        assert_eq!(q[0].style, QuoteStyle::Guillemet);
    }

    #[test]
    fn low_high_quotes() {
        assert_eq!(
            contents("Er sagte „wir kommen“, dann nichts."),
            ["wir kommen"]
        );
        assert_eq!(
            contents("Powiedział „jutro wrócę” i wyszedł."),
            ["jutro wrócę"]
        );
        assert_eq!(
            contents("Er sagte „sie nannte es ‚Unsinn‘ laut“ gestern."),
            ["sie nannte es ‚Unsinn‘ laut", "Unsinn"]
        );
    }

    #[test]
    fn mixed_straight_and_curly_typo() {
        assert_eq!(
            contents("He said “we are done\" and hung up."),
            ["we are done"]
        );
        assert_eq!(
            contents("He said \"we are done” and hung up."),
            ["we are done"]
        );
    }

    #[test]
    fn kinds_pair_only_with_their_own() {
        // the guillemet never closes the curly quote
        assert_eq!(contents("A “b » c” d."), ["b » c"]);
    }

    #[test]
    fn apostrophe_possessive_and_contraction() {
        assert!(run("Ukraine's army said it won't retreat and didn't.").is_empty());
        assert!(run("Ukraine’s army said it won’t retreat and didn’t.").is_empty());
    }

    #[test]
    fn apostrophe_decades() {
        assert!(run("Back in the '90s, and again in '08, prices rose.").is_empty());
        assert!(run("Music of the ’80s was loud.").is_empty());
        assert_eq!(
            contents("\"In the '90s we were 'kids,' really,\" she said."),
            ["In the '90s we were 'kids,' really,", "kids,"]
        );
    }

    #[test]
    fn apostrophe_rock_n_roll() {
        assert!(run("He loved rock 'n' roll all his life.").is_empty());
        assert_eq!(
            contents("'Rock 'n' roll is dead,' he said."),
            ["Rock 'n' roll is dead,"]
        );
    }

    #[test]
    fn apostrophe_plural_possessive() {
        assert!(run("The students' union met the teachers' council.").is_empty());
        assert!(run("The players’ union disagreed.").is_empty());
    }

    #[test]
    fn apostrophe_inside_words() {
        assert!(run("At six o'clock y'all said ma'am to O'Brien.").is_empty());
    }

    #[test]
    fn apostrophe_after_s_before_noun() {
        assert!(run("Mr. Jones' car was parked outside.").is_empty());
        // a better closer follows: the possessive stays inside the quote
        assert_eq!(
            contents("He called it 'Mr. Jones' car' twice."),
            ["Mr. Jones' car"]
        );
        // no better closer: the s' closes
        assert_eq!(contents("The 'experts' claims were wrong."), ["experts"]);
    }

    #[test]
    fn apostrophe_tis() {
        assert!(run("’Tis the season, they say.").is_empty());
        assert!(run("'Twas a cold night and we let 'em in 'cause it rained.").is_empty());
    }

    #[test]
    fn headline_single_quotes() {
        let text = "Trump Says 'Oh, No' to Border Plan\n\nThe body follows.";
        assert_eq!(contents(text), ["Oh, No"]);
        assert_eq!(
            contents("Officials Call Trends 'Terrifying.'"),
            ["Terrifying."]
        );
    }

    #[test]
    fn nested_quotes() {
        let text = r#""He told me, 'never again,' and left.""#;
        assert_eq!(
            quotes(text),
            [
                ("He told me, 'never again,' and left.", 0),
                ("never again,", 1)
            ]
        );
        let text = "“She said ‘no’ twice,” he recalled.";
        assert_eq!(quotes(text), [("She said ‘no’ twice,", 0), ("no", 1)]);
    }

    #[test]
    fn nested_quote_closing_together() {
        let text = r#""It feels like, 'Meh, we can wait,'" he said."#;
        assert_eq!(
            quotes(text),
            [
                ("It feels like, 'Meh, we can wait,'", 0),
                ("Meh, we can wait,", 1)
            ]
        );
    }

    #[test]
    fn multi_paragraph_quote() {
        let text = "\"We began in March. The work was slow.\n\n\
                    \"Then the rain came and stopped us.\n\n\
                    \"Now we are done,\" the foreman said.\n\n\
                    Next paragraph.";
        let q = run(text);
        assert_eq!(q.len(), 3);
        assert_eq!(
            q.iter().map(|q| q.content.slice(text)).collect::<Vec<_>>(),
            [
                "We began in March. The work was slow.",
                "Then the rain came and stopped us.",
                "Now we are done,"
            ]
        );
        assert!(q.iter().all(|p| p.group == q[0].group && p.depth == 0));
        assert_eq!(
            q.iter().map(|q| q.continues).collect::<Vec<_>>(),
            [true, true, false]
        );
        assert!(q[0].close.is_none() && q[1].close.is_none() && q[2].close.is_some());
        assert_eq!(q.iter().map(|q| q.paragraph).collect::<Vec<_>>(), [0, 1, 2]);
    }

    #[test]
    fn multi_paragraph_quote_after_attribution() {
        let text = "“I am tired,” she said. “We have worked all year.\n\n“And we will rest.”";
        let q = run(text);
        assert_eq!(q.len(), 3);
        assert_ne!(q[0].group, q[1].group);
        assert_eq!(q[1].group, q[2].group);
        assert!(q[1].continues && !q[2].continues);
        assert_eq!(q[2].content.slice(text), "And we will rest.");
    }

    #[test]
    fn french_continuation_opens_with_closing_guillemet() {
        let text = "« Nous partons demain.\n\n» Et nous reviendrons. »";
        let q = run(text);
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].group, q[1].group);
        assert_eq!(q[1].content.slice(text), "Et nous reviendrons.");
    }

    #[test]
    fn unclosed_quote_ends_with_its_paragraph() {
        let text = "He said \"we will never give up and left.\n\nThe next day it rained.";
        let q = run(text);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].content.slice(text), "we will never give up and left.");
        assert_eq!(q[0].close, None);
        assert!(!q[0].continues);
    }

    #[test]
    fn stray_opening_mark_stays_local() {
        let text = "A stray “ mark here and an “open one.\n\n“Real,” she said.";
        let q = run(text);
        assert_eq!(contents(text), ["open one.", "Real,"]);
        // a new paragraph opening with a mark continues the unclosed quote
        assert_eq!(q[0].group, q[1].group);
        let text = "An “open one.\n\nShe said “real” things.";
        let q = run(text);
        assert_eq!(q.len(), 2);
        assert_ne!(q[0].group, q[1].group);
    }

    #[test]
    fn stray_opener_ended_by_a_new_opener() {
        assert_eq!(contents(r#"He said "yes. Then "no" again."#), ["no"]);
    }

    #[test]
    fn double_quotes_nested_in_their_own_kind() {
        let text = "“I would rather live in what he calls “hell” than that,” she wrote.";
        assert_eq!(
            quotes(text),
            [
                ("I would rather live in what he calls “hell” than that,", 0),
                ("hell", 1)
            ]
        );
    }

    #[test]
    fn two_straight_singles_as_a_double_quote() {
        let text = "He said, ''I call it 'fair,' not reform,'' and sat down.";
        assert_eq!(
            quotes(text),
            [("I call it 'fair,' not reform,", 0), ("fair,", 1)]
        );
        let q = run(text);
        assert_eq!(q[0].open.slice(text), "''");
        assert_eq!(q[0].style, QuoteStyle::Double);
        // an inner single closing right before the double
        assert_eq!(
            contents("He asked, ''Who called it 'fair'''? Nobody."),
            ["Who called it 'fair'", "fair"]
        );
    }

    #[test]
    fn quote_continued_on_a_new_line_of_the_paragraph() {
        let text = "Intro line.\n\n“First part of it.\n“Second part,” she said.";
        let q = run(text);
        assert_eq!(
            q.iter().map(|q| q.content.slice(text)).collect::<Vec<_>>(),
            ["First part of it.", "Second part,"]
        );
        assert_eq!(q[0].group, q[1].group);
        assert!(q[0].continues && q[0].close.is_none() && q[1].depth == 0);
    }

    #[test]
    fn mark_at_paragraph_start_opens_despite_a_space() {
        let text = "Intro.\n\n” … and then we left,” he said.";
        assert_eq!(contents(text), ["… and then we left,"]);
    }

    #[test]
    fn invisible_format_characters_are_skipped() {
        let text = "Intro.\n\n\u{202a}”We won,” she wrote.\n\n\u{202a}“More\n\n\u{202a}“and more.”";
        let q = run(text);
        assert_eq!(
            q.iter().map(|q| q.content.slice(text)).collect::<Vec<_>>(),
            ["We won,", "More", "and more."]
        );
        assert_eq!(q[1].group, q[2].group);
        assert_eq!(q[2].open.slice(text), "“");
    }

    #[test]
    fn left_curly_quote_opens_before_a_space() {
        assert_eq!(
            contents("He said, “ you have to try.” Then he left."),
            ["you have to try."]
        );
    }

    #[test]
    fn markup_attributes_are_not_quotes() {
        assert_eq!(
            contents("<tweet author=\"@someone\" date=\"May 1\n\">We \"won\" today.</tweet>"),
            ["won"]
        );
    }

    #[test]
    fn stray_closing_mark_is_ignored() {
        assert_eq!(
            contents("Nothing” here. Then “a quote” follows."),
            ["a quote"]
        );
        assert!(run("He paused\" and went on.").is_empty());
    }

    #[test]
    fn quote_at_paragraph_start_then_attribution() {
        let text = "\"We are ready for the storm,\" he said.";
        let q = run(text);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].content.slice(text), "We are ready for the storm,");
        assert_eq!(q[0].open, Span::new(0, 1));
        assert_eq!(q[0].depth, 0);
    }

    #[test]
    fn quote_with_ellipsis_and_several_sentences() {
        let text =
            "She said: \"I don't know... Maybe. We'll see what happens next year!\" Then she left.";
        assert_eq!(
            contents(text),
            ["I don't know... Maybe. We'll see what happens next year!"]
        );
        assert_eq!(
            contents("“Well… we tried. It failed…” he admitted."),
            ["Well… we tried. It failed…"]
        );
    }

    #[test]
    fn missing_spaces_around_marks() {
        assert_eq!(contents(r#"He said:"No way,"and left."#), ["No way,"]);
    }

    #[test]
    fn dashes_and_brackets_open() {
        assert_eq!(
            contents(r#"The reply—"not now"—came fast (and "firmly")."#),
            ["not now", "firmly"]
        );
    }

    #[test]
    fn several_quotes_sorted_by_content() {
        let text = r#""One," he said. "Two," she said. 'Three,' they said."#;
        assert_eq!(contents(text), ["One,", "Two,", "Three,"]);
        let q = run(text);
        assert!(q.windows(2).all(|w| w[0].group != w[1].group));
    }

    #[test]
    fn empty_quotes_are_dropped() {
        assert!(run(r#"He said "" and "   " today."#).is_empty());
    }

    #[test]
    fn bad_paragraph_spans_do_not_panic() {
        let text = "a “é” b";
        let spans = [
            Span::new(0, 100),
            Span::new(3, 4),
            Span::new(5, 2),
            Span::new(0, text.len()),
        ];
        let q = find(text, &spans);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].content.slice(text), "é");
    }

    #[test]
    fn long_line_of_unbalanced_marks_is_fast() {
        let unit = "ab \"cd “ef ‘gh 'ij s' kl « ";
        let mut text = String::new();
        while text.len() < 1 << 20 {
            text.push_str(unit);
        }
        let started = std::time::Instant::now();
        let q = run(&text);
        let elapsed = started.elapsed();
        assert!(!q.is_empty());
        // generous for unoptimized builds; an optimized build takes a few milliseconds
        assert!(elapsed.as_millis() < 2000, "took {elapsed:?}");
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn arbitrary_text() -> impl Strategy<Value = String> {
            let piece = prop::sample::select(vec![
                "\"", "'", "“", "”", "‘", "’", "„", "‚", "«", "»", "‹", "›", "a", "s", "n", "é",
                "9", " ", " ", "\n", "\n\n", ".", ",", "—", "(", "''", "s' a", "'90s", " 'n' ",
                "’tis", "\u{202a}",
            ]);
            prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
        }

        proptest! {
            // failures are reported, not saved into the source tree
            #![proptest_config(ProptestConfig {
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            #[test]
            fn spans_are_well_formed(text in arbitrary_text()) {
                let paras = paragraphs(&text, Span::new(0, text.len()));
                let q = find(&text, &paras);
                for (i, x) in q.iter().enumerate() {
                    let para = paras[x.paragraph];
                    let mut spans = vec![x.open, x.content];
                    spans.extend(x.close);
                    for s in spans {
                        prop_assert!(para.contains(s));
                        prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                    }
                    prop_assert!(is_mark(x.open.slice(&text).chars().next().unwrap()));
                    prop_assert!(x.open.end <= x.content.start);
                    prop_assert!(!x.content.is_empty());
                    if let Some(c) = x.close {
                        prop_assert!(x.content.end <= c.start);
                        prop_assert!(!x.continues);
                    }
                    if i > 0 {
                        prop_assert!(q[i - 1].content.start <= x.content.start);
                    }
                }
                // pieces of one paragraph nest or are disjoint
                for a in &q {
                    for b in &q {
                        let ra = Span::new(a.open.start, a.close.map_or(a.content.end, |c| c.end));
                        let rb = Span::new(b.open.start, b.close.map_or(b.content.end, |c| c.end));
                        prop_assert!(!ra.overlaps(rb) || ra.contains(rb) || rb.contains(ra));
                    }
                }
            }

            #[test]
            fn groups_link_consecutive_paragraphs(text in arbitrary_text()) {
                let paras = paragraphs(&text, Span::new(0, text.len()));
                let q = find(&text, &paras);
                for (i, x) in q.iter().enumerate() {
                    if x.continues {
                        // the next piece follows in the same paragraph (a new line) or the next
                        let next = q[i + 1..].iter().find(|y| y.group == x.group);
                        prop_assert!(next.is_some_and(|y| y.paragraph <= x.paragraph + 1
                            && y.open.start >= x.content.end));
                        prop_assert!(x.close.is_none());
                    }
                }
            }

            #[test]
            fn any_text_does_not_panic(text in "\\PC{0,200}") {
                let paras = paragraphs(&text, Span::new(0, text.len()));
                let _ = find(&text, &paras);
            }
        }
    }
}
