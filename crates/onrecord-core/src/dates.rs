//! Temporal expressions, normalized against the article date.
//!
//! [`find`] takes the text, the region to read (byte offsets) and the article date (the
//! *anchor*), and gives every date expression it recognizes in the region, in text order
//! and without overlaps, each with its byte span and an ISO 8601 value at the precision
//! the text gives:
//!
//! | text (anchor 2022-03-10, a Thursday)       | value         | [`Precision`] |
//! | ------------------------------------------ | ------------- | ------------- |
//! | "March 10, 2022", "10 March 2022", "2022-03-10", "3/10/22" | `2022-03-10` | `Day` |
//! | "Feb. 24", "February 24th", "24th of February" | `2022-02-24` | `Day` |
//! | "today", "yesterday", "Wednesday", "two days ago" | `2022-03-10`, ... | `Day` |
//! | "last week", "three weeks ago", "earlier this week" | `2022-W09`, ... | `Week` |
//! | "last weekend", "this weekend"             | `2022-W09-WE` | `Weekend` |
//! | "May 2019", "last month", "in March", "earlier this month" | `2019-05`, ... | `Month` |
//! | "in 2019", "last year", "a year ago"       | `2019`, ...   | `Year` |
//! | "the 1990s", "a decade ago"                | `199`, `201`  | `Decade` |
//!
//! Spans cover the expression only: no surrounding punctuation or preposition ("on Feb.
//! 24." gives "Feb. 24", the abbreviation's dot included), but the words that decide the
//! value ("last week", "this coming Wednesday", "earlier this month", "two days ago").
//!
//! # Conventions
//!
//! * **Weeks** are ISO 8601 weeks (Monday to Sunday), written `YYYY-Www` with the ISO
//!   week-numbering year; a weekend is written `YYYY-Www-WE` (the TIMEX3 form). "Last
//!   week" is the week before the anchor's, "last weekend" the weekend of that week.
//! * **Decades** are written with the first three digits of the year, `199` for "the
//!   1990s": ISO 8601 reduced precision, as TIMEX3 writes them. "The 1900s" and other
//!   years ending in `00` are skipped: they mean a century as often as a decade.
//! * **Month-days and months without a year** ("Feb. 24", "in December") take the
//!   occurrence nearest to the anchor (within about six months; a tie goes to the past),
//!   so "Dec. 28" in an article of 2022-01-03 is 2021-12-28. "Since May" takes the latest
//!   May not after the anchor's month, "last May" the latest before it, "next May" the
//!   first after it, "this May" the anchor's year.
//! * **Weekdays**: a bare weekday ("said Wednesday", "Wednesday's interview") is the most
//!   recent such day *on or before* the anchor, so the anchor's own weekday is the anchor
//!   itself ("said Thursday" in a Thursday article is that day). When the clause before it
//!   marks the future ("will", "shall", "'ll", "scheduled", "expected", "due", "plans",
//!   ...), before any past marker ("said", a word in "-ed", ...), it is the first such day
//!   on or after the anchor. "Last Wednesday" and "this past Wednesday" are strictly
//!   before the anchor, "next Wednesday" and "this coming Wednesday" strictly after it;
//!   "this Wednesday" is the nearest one (at most three days away). A weekday followed by
//!   a date ("Wednesday, March 9") is one expression valued by the date.
//! * **Two-digit years** ("9/17/16") take the century that puts the year at most ten years
//!   after the anchor's (without an anchor: 00-69 are 20xx, 70-99 are 19xx).
//! * **Standalone years** (1900-2099) count only in a date context: after "in", "since",
//!   "until", "during", "before", "after", "early", "late", "mid-", "between", ...; after
//!   "of", "by", "from", "through" unless a lowercase content word follows ("a crowd of
//!   2019 people"); as the second year of a range ("between 2019 and 2021", "2019-2021");
//!   and before a few event nouns ("the 2019 election"). Amounts ("$2019", "2,019") and
//!   seasons ("2019-20") are not years.
//! * **Month names** need a day number, a year or a strong context ("in", "since",
//!   "until", "early", "late", "mid-", "last", "next", "this", "the end of"), and an
//!   initial capital, so the verb "may", "the march on Washington", "they March" and "Mr.
//!   May" are not dates. Weekday abbreviations ("Sun", "Sat", "Wed") are never read.
//! * **Without an anchor**, expressions that need it (every relative one, and month-days
//!   or months without a year) are still recognized, so that their words are not read
//!   again as something else, but they are left out of the output: their value is
//!   unknown. Absolute dates are given as usual.
//!
//! # Cost
//!
//! One pass: the region is cut into tokens (letter runs, ASCII digit runs, single
//! punctuation marks) once, and patterns are tried only at tokens that can start a date,
//! each looking at most a dozen tokens around. Tokens are kept in a small window, so
//! memory stays bounded on large inputs. Any input is accepted; arithmetic is checked and
//! a value outside years 0000-9999 is dropped.

use crate::document::Date;
use crate::span::Span;

/// How much of the calendar a value pins down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    /// `2022-02-24`
    Day,
    /// `2022-W09-WE`
    Weekend,
    /// `2022-W09`
    Week,
    /// `2019-05`
    Month,
    /// `2019`
    Year,
    /// `199` (the 1990s)
    Decade,
}

/// One date expression of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateMention {
    /// Byte offsets into the text.
    pub span: Span,
    /// ISO 8601 at the precision of the text (see the module doc).
    pub value: String,
    pub precision: Precision,
    /// True when the value was worked out from the article date (relative expressions
    /// and dates without a year).
    pub anchored: bool,
}

/// Find the date expressions inside `region` of `text` and normalize them against
/// `anchor`, the article date. See the module doc for what is recognized and how.
pub fn find(text: &str, region: Span, anchor: Option<Date>) -> Vec<DateMention> {
    let len = text.len();
    let mut start = region.start.min(len);
    while start < len && !text.is_char_boundary(start) {
        start += 1;
    }
    let mut end = region.end.min(len);
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = Vec::new();
    if start >= end {
        return out;
    }
    let mut tokens = Tokenizer {
        text,
        pos: start,
        end,
        first: true,
    };
    let mut buf: Vec<Tok> = Vec::new();
    let mut exhausted = false;
    let mut state = State::default();
    let mut i = 0usize;
    loop {
        while !exhausted && buf.len() < i + LOOKAHEAD {
            match tokens.next() {
                Some(t) => buf.push(t),
                None => exhausted = true,
            }
        }
        if i >= buf.len() {
            break;
        }
        let cx = Ctx {
            text,
            toks: &buf,
            anchor,
        };
        match cx.at(i, &state) {
            Some(hit) => {
                let last = hit.end.max(i + 1) - 1;
                if let Some(t) = cx.tok(last) {
                    if matches!(cx.num(last), Some((_, 4))) {
                        state.last_year_end = Some(t.end);
                    }
                }
                if let Some((value, precision)) = hit.when.and_then(render) {
                    out.push(DateMention {
                        span: hit.span,
                        value,
                        precision,
                        anchored: hit.anchored,
                    });
                }
                i = hit.end.max(i + 1);
            }
            None => i += 1,
        }
        if i > COMPACT_AT {
            let drop = i - KEEP;
            buf.drain(..drop);
            i -= drop;
        }
    }
    out
}

/// Tokens a pattern may look at after its first one.
const LOOKAHEAD: usize = 16;
/// Tokens kept before the current one when the window is compacted (at least the
/// deepest look-behind, 10 tokens, plus one).
const KEEP: usize = 16;
const COMPACT_AT: usize = 4096;

// ---------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A run of letters (and non-ASCII digits).
    Word,
    /// A run of ASCII digits.
    Num,
    /// One other non-space character.
    Punct(char),
}

/// What separates a token from the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gap {
    /// Nothing: the tokens touch.
    None,
    /// Spaces, at most one line break.
    Space,
    /// A blank line, or the start of the region.
    Break,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
    gap: Gap,
}

struct Tokenizer<'t> {
    text: &'t str,
    pos: usize,
    end: usize,
    first: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Digit,
    Punct,
}

fn class_of(c: char) -> Class {
    if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Punct
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = Tok;

    fn next(&mut self) -> Option<Tok> {
        let rest = self.text.get(self.pos..self.end)?;
        let mut chars = rest.char_indices();
        let mut newlines = 0u32;
        let mut spaced = false;
        let (off, c) = loop {
            let Some((o, c)) = chars.next() else {
                self.pos = self.end;
                return None;
            };
            if c.is_whitespace() {
                spaced = true;
                if c == '\n' {
                    newlines += 1;
                }
            } else {
                break (o, c);
            }
        };
        let class = class_of(c);
        let mut end_off = off + c.len_utf8();
        if class != Class::Punct {
            for (o, c2) in chars.by_ref() {
                if class_of(c2) != class {
                    break;
                }
                end_off = o + c2.len_utf8();
            }
        }
        let gap = if self.first || newlines >= 2 {
            Gap::Break
        } else if spaced {
            Gap::Space
        } else {
            Gap::None
        };
        self.first = false;
        let start = self.pos + off;
        self.pos += end_off;
        Some(Tok {
            start,
            end: self.pos,
            kind: match class {
                Class::Word => Kind::Word,
                Class::Digit => Kind::Num,
                Class::Punct => Kind::Punct(c),
            },
            gap,
        })
    }
}

/// An ASCII word lowercased on the stack (words longer than any keyword are left out).
struct Lc {
    buf: [u8; 16],
    len: usize,
}

impl Lc {
    fn as_str(&self) -> &str {
        std::str::from_utf8(self.buf.get(..self.len).unwrap_or(&[])).unwrap_or("")
    }
}

fn lc(w: &str) -> Option<Lc> {
    if w.len() > 16 || !w.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 16];
    for (b, c) in buf.iter_mut().zip(w.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    Some(Lc { buf, len: w.len() })
}

/// "March", "Sept" (first letter capital, the rest small).
fn is_title(w: &str) -> bool {
    let mut b = w.bytes();
    b.next().is_some_and(|c| c.is_ascii_uppercase()) && b.all(|c| c.is_ascii_lowercase())
}

/// "March" or "MARCH".
fn is_cased(w: &str) -> bool {
    is_title(w) || (!w.is_empty() && w.bytes().all(|c| c.is_ascii_uppercase()))
}

fn starts_upper(w: &str) -> bool {
    w.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
}

/// Month number and whether the word is an abbreviation.
pub(crate) fn month_of(w: &str) -> Option<(i8, bool)> {
    let l = lc(w)?;
    Some(match l.as_str() {
        "january" => (1, false),
        "jan" => (1, true),
        "february" => (2, false),
        "feb" => (2, true),
        "march" => (3, false),
        "mar" => (3, true),
        "april" => (4, false),
        "apr" => (4, true),
        "may" => (5, false),
        "june" => (6, false),
        "jun" => (6, true),
        "july" => (7, false),
        "jul" => (7, true),
        "august" => (8, false),
        "aug" => (8, true),
        "september" => (9, false),
        "sept" | "sep" => (9, true),
        "october" => (10, false),
        "oct" => (10, true),
        "november" => (11, false),
        "nov" => (11, true),
        "december" => (12, false),
        "dec" => (12, true),
        _ => return None,
    })
}

/// Weekday as days from Monday; full names only.
fn weekday_of(w: &str) -> Option<i8> {
    let l = lc(w)?;
    Some(match l.as_str() {
        "monday" => 0,
        "tuesday" => 1,
        "wednesday" => 2,
        "thursday" => 3,
        "friday" => 4,
        "saturday" => 5,
        "sunday" => 6,
        _ => return None,
    })
}

fn count_word(w: &str) -> Option<i64> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "hundred" => 100,
        _ => return None,
    })
}

/// Words before a name: "Mr. May", "Prime Minister May".
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "miss",
    "sir",
    "lady",
    "lord",
    "prof",
    "sen",
    "rep",
    "gov",
    "minister",
    "president",
    "judge",
    "mayor",
    "theresa",
    "brian",
];
/// Words that may follow a year after "of", "by", "from" ("by 2030 the ...").
const FOLLOW_OK: &[&str] = &[
    "and", "or", "but", "to", "through", "until", "when", "as", "at", "in", "on", "with", "for",
    "after", "before", "the", "a", "an", "it", "he", "she", "they", "we", "i", "there", "this",
    "that", "which", "while", "because", "if", "was", "were", "is", "are", "will", "had", "has",
    "have", "would", "could", "should", "can", "onward", "onwards", "levels",
];
/// Nouns after which "the 2019" is a year: "the 2019 election".
const EVENT_NOUNS: &[&str] = &[
    "election",
    "elections",
    "campaign",
    "season",
    "census",
    "budget",
    "midterm",
    "midterms",
    "referendum",
    "invasion",
    "summit",
    "olympics",
    "games",
    "pandemic",
    "war",
    "crisis",
    "vote",
    "protests",
    "earthquake",
    "floods",
    "tournament",
    "world",
    "championship",
];
/// Words before a weekday that make it a named day: "Super Tuesday".
const NAMED_DAYS: &[&str] = &[
    "super", "black", "good", "ash", "easter", "cyber", "bloody", "holy", "palm", "maundy",
    "shrove", "giving", "fat", "manic",
];

// ---------------------------------------------------------------------------------------
// Values

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum When {
    Day(Date),
    /// Any day of the week.
    Week(Date),
    /// Any day of the week whose weekend is meant.
    Weekend(Date),
    /// `year * 12 + month - 1`
    Month(i64),
    Year(i64),
    /// `year / 10`
    Decade(i64),
}

fn in_years(y: i64) -> bool {
    (0..=9999).contains(&y)
}

fn render(w: When) -> Option<(String, Precision)> {
    Some(match w {
        When::Day(d) => {
            let y = i64::from(d.year());
            if !in_years(y) {
                return None;
            }
            (
                format!("{:04}-{:02}-{:02}", y, d.month(), d.day()),
                Precision::Day,
            )
        }
        When::Week(d) | When::Weekend(d) => {
            let iso = d.iso_week_date();
            let y = i64::from(iso.year());
            if !in_years(y) {
                return None;
            }
            if matches!(w, When::Week(_)) {
                (format!("{:04}-W{:02}", y, iso.week()), Precision::Week)
            } else {
                (
                    format!("{:04}-W{:02}-WE", y, iso.week()),
                    Precision::Weekend,
                )
            }
        }
        When::Month(ix) => {
            let y = ix.div_euclid(12);
            if !in_years(y) {
                return None;
            }
            (
                format!("{:04}-{:02}", y, ix.rem_euclid(12) + 1),
                Precision::Month,
            )
        }
        When::Year(y) => {
            if !in_years(y) {
                return None;
            }
            (format!("{y:04}"), Precision::Year)
        }
        When::Decade(d) => {
            if !(0..=999).contains(&d) {
                return None;
            }
            (format!("{d:03}"), Precision::Decade)
        }
    })
}

fn date(y: i64, m: i64, d: i64) -> Option<Date> {
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().try_days(n).ok()?).ok()
}

fn month_ix(d: Date) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month()) - 1
}

/// Days since 1970-01-01 (proleptic Gregorian).
fn day_number(d: Date) -> i64 {
    let (y, m, dd) = (
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    /// Closest to the anchor; a tie goes to the past.
    Nearest,
    /// The latest not after the anchor.
    PastOrSame,
    /// The latest strictly before the anchor.
    Past,
    /// The first not before the anchor.
    FutureOrSame,
    /// The first strictly after the anchor.
    Future,
    /// In the anchor's year.
    SameYear,
}

/// Choose among candidates by their signed distance to the anchor.
fn choose(dir: Dir, diffs: impl Iterator<Item = (i64, i64)>) -> Option<i64> {
    let mut best: Option<(i64, i64)> = None; // (diff, value)
    for (diff, v) in diffs {
        let better = match (dir, best) {
            (Dir::Nearest, None) => true,
            (Dir::Nearest, Some((b, _))) => {
                diff.abs() < b.abs() || (diff.abs() == b.abs() && diff < b)
            }
            (Dir::PastOrSame, b) => diff <= 0 && b.is_none_or(|(b, _)| diff > b),
            (Dir::Past, b) => diff < 0 && b.is_none_or(|(b, _)| diff > b),
            (Dir::FutureOrSame, b) => diff >= 0 && b.is_none_or(|(b, _)| diff < b),
            (Dir::Future, b) => diff > 0 && b.is_none_or(|(b, _)| diff < b),
            (Dir::SameYear, _) => diff == 0,
        };
        if better {
            best = Some((diff, v));
        }
    }
    best.map(|(_, v)| v)
}

/// A month and day without a year: the occurrence nearest to the anchor.
fn month_day(anchor: Date, m: i8, d: i8) -> Option<When> {
    let y = i64::from(anchor.year());
    let a = day_number(anchor);
    let mut found = [None; 3];
    for (slot, cy) in found.iter_mut().zip(y - 1..=y + 1) {
        *slot = date(cy, i64::from(m), i64::from(d));
    }
    let years = found
        .iter()
        .flatten()
        .map(|c| (day_number(*c) - a, i64::from(c.year())));
    let cy = choose(Dir::Nearest, years)?;
    date(cy, i64::from(m), i64::from(d)).map(When::Day)
}

/// A month without a year.
fn month_alone(anchor: Date, m: i8, dir: Dir) -> Option<When> {
    let y = i64::from(anchor.year());
    let a = month_ix(anchor);
    let cands = (y - 1..=y + 1).map(|cy| {
        let ix = cy * 12 + i64::from(m) - 1;
        let diff = if dir == Dir::SameYear { cy - y } else { ix - a };
        (diff, ix)
    });
    choose(dir, cands).map(When::Month)
}

/// A weekday (days from Monday) relative to the anchor.
fn weekday(anchor: Date, wd: i8, dir: Dir) -> Option<When> {
    let a = i64::from(anchor.weekday().to_monday_zero_offset());
    let back = (a - i64::from(wd)).rem_euclid(7);
    let fwd = (i64::from(wd) - a).rem_euclid(7);
    let delta = match dir {
        Dir::PastOrSame => -back,
        Dir::Past => {
            if back == 0 {
                -7
            } else {
                -back
            }
        }
        Dir::FutureOrSame => fwd,
        Dir::Future => {
            if fwd == 0 {
                7
            } else {
                fwd
            }
        }
        Dir::Nearest | Dir::SameYear => {
            if back <= 3 {
                -back
            } else {
                fwd
            }
        }
    };
    add_days(anchor, delta).map(When::Day)
}

// ---------------------------------------------------------------------------------------
// Patterns

#[derive(Default)]
struct State {
    /// Where the last mention ending in a four-digit year ended (ranges of years).
    last_year_end: Option<usize>,
}

struct Hit {
    span: Span,
    /// Token index after the expression.
    end: usize,
    /// None when the value is unknown (no anchor, impossible date).
    when: Option<When>,
    anchored: bool,
}

struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Tok],
    anchor: Option<Date>,
}

/// Marks that may stand glued before a number that starts a date.
const OPENERS: &[char] = &['(', '[', '{', '"', '\'', '“', '‘', '«', '—', '*', '_', '>'];
/// Marks that may stand glued after a date.
const CLOSERS: &[char] = &[
    '.', ',', ':', ';', ')', ']', '}', '"', '\'', '”', '’', '!', '?', '—', '»', '*', '_', '…', '<',
];

impl<'a> Ctx<'a> {
    fn tok(&self, i: usize) -> Option<Tok> {
        self.toks.get(i).copied()
    }

    fn back(&self, i: usize, k: usize) -> Option<usize> {
        i.checked_sub(k)
    }

    fn word(&self, i: usize) -> Option<&'a str> {
        let t = self.tok(i)?;
        if t.kind == Kind::Word {
            self.text.get(t.start..t.end)
        } else {
            None
        }
    }

    fn wlc(&self, i: usize) -> Option<Lc> {
        lc(self.word(i)?)
    }

    fn is_word(&self, i: usize, w: &str) -> bool {
        self.word(i).is_some_and(|x| x.eq_ignore_ascii_case(w))
    }

    /// Value and digit count of a number token (None past nine digits).
    fn num(&self, i: usize) -> Option<(i64, usize)> {
        let t = self.tok(i)?;
        if t.kind != Kind::Num {
            return None;
        }
        let s = self.text.get(t.start..t.end)?;
        if s.len() > 9 {
            return None;
        }
        Some((s.parse().ok()?, s.len()))
    }

    fn punct(&self, i: usize) -> Option<char> {
        match self.tok(i)?.kind {
            Kind::Punct(c) => Some(c),
            _ => None,
        }
    }

    /// Token `i` exists and touches the one before it.
    fn glued(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| t.gap == Gap::None)
    }

    /// Token `i` exists and is separated from the one before by spaces (no blank line).
    fn spaced(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| t.gap == Gap::Space)
    }

    /// The word before token `i`, when only spaces separate them.
    fn prev_word(&self, i: usize) -> Option<Lc> {
        if !self.spaced(i) {
            return None;
        }
        self.wlc(self.back(i, 1)?)
    }

    fn span(&self, first: usize, end: usize) -> Option<Span> {
        let a = self.tok(first)?;
        let b = self.tok(end.checked_sub(1)?)?;
        Some(Span::new(a.start, b.end))
    }

    fn hit(&self, first: usize, end: usize, when: Option<When>, anchored: bool) -> Option<Hit> {
        Some(Hit {
            span: self.span(first, end)?,
            end,
            when,
            anchored,
        })
    }

    /// Nothing glued before token `i` but an opening mark.
    fn clean_left(&self, i: usize) -> bool {
        if !self.glued(i) {
            return self.tok(i).is_some();
        }
        self.back(i, 1)
            .and_then(|k| self.punct(k))
            .is_some_and(|c| OPENERS.contains(&c))
    }

    /// Nothing glued at token `j` (the one after an expression) but a closing mark not
    /// followed by a digit.
    fn clean_right(&self, j: usize) -> bool {
        if !self.glued(j) {
            return true;
        }
        match self.punct(j) {
            Some('.' | ',' | ':') => !(self.glued(j + 1) && self.num(j + 1).is_some()),
            Some(c) => CLOSERS.contains(&c),
            None => false,
        }
    }

    /// "mid-" glued before token `i`.
    fn mid_prefix(&self, i: usize) -> bool {
        let (Some(d), Some(m)) = (self.back(i, 1), self.back(i, 2)) else {
            return false;
        };
        self.glued(i) && self.punct(d) == Some('-') && self.glued(d) && self.is_word(m, "mid")
    }

    /// Token `i` begins a sentence or a line of its own.
    fn sentence_start(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else { return false };
        if t.gap == Gap::Break {
            return true;
        }
        match self.back(i, 1).and_then(|k| self.punct(k)) {
            Some(c) => matches!(
                c,
                '.' | '!'
                    | '?'
                    | ':'
                    | '"'
                    | '“'
                    | '”'
                    | '\''
                    | '‘'
                    | '’'
                    | '('
                    | '['
                    | '—'
                    | '–'
                    | '-'
                    | '*'
                    | '«'
                    | '»'
                    | '|'
            ),
            None => false,
        }
    }

    /// An ordinal suffix glued at token `i`: "24th".
    fn ordinal(&self, i: usize) -> bool {
        self.glued(i)
            && self
                .wlc(i)
                .is_some_and(|l| matches!(l.as_str(), "st" | "nd" | "rd" | "th"))
    }

    /// A year after a day: ", 2022" or " 2022" at token `k`. Gives the year and the
    /// token after it.
    fn trailing_year(&self, k: usize) -> Option<(i64, usize)> {
        let y_at = if self.glued(k) && self.punct(k) == Some(',') && self.spaced(k + 1) {
            k + 1
        } else if self.spaced(k) {
            k
        } else {
            return None;
        };
        let (y, nd) = self.num(y_at)?;
        (nd == 4 && (1000..=2999).contains(&y) && self.clean_right(y_at + 1))
            .then_some((y, y_at + 1))
    }

    /// A month name at token `i` (capitalized, or all capitals when `caps`): its number
    /// and the token after it (after an abbreviation's dot).
    fn month_at(&self, i: usize, caps: bool) -> Option<(i8, usize)> {
        let w = self.word(i)?;
        let ok = if caps { is_cased(w) } else { is_title(w) };
        if !ok {
            return None;
        }
        let (m, abbr) = month_of(w)?;
        if abbr && self.glued(i + 1) && self.punct(i + 1) == Some('.') {
            Some((m, i + 2))
        } else {
            Some((m, i + 1))
        }
    }

    fn weekday_at(&self, i: usize) -> Option<i8> {
        let w = self.word(i)?;
        if !is_cased(w) {
            return None;
        }
        weekday_of(w)
    }

    /// A title before token `i`: "Mr. May", "Prime Minister May".
    fn honorific(&self, i: usize) -> bool {
        let Some(mut k) = self.back(i, 1) else {
            return false;
        };
        if !self.spaced(i) {
            return false;
        }
        if self.punct(k) == Some('.') && self.glued(k) {
            match self.back(k, 1) {
                Some(j) => k = j,
                None => return false,
            }
        }
        self.wlc(k)
            .is_some_and(|l| HONORIFICS.contains(&l.as_str()))
    }

    /// Whether the clause before token `i` speaks of the future.
    fn future_context(&self, i: usize) -> bool {
        for back in 1..=10 {
            let Some(k) = self.back(i, back) else { break };
            if self.tok(k + 1).is_some_and(|t| t.gap == Gap::Break) {
                break;
            }
            let Some(t) = self.tok(k) else { break };
            match t.kind {
                Kind::Punct('.' | '!' | '?' | ';') => break,
                Kind::Word => {
                    let Some(l) = self.wlc(k) else { continue };
                    match l.as_str() {
                        "will" | "shall" | "scheduled" | "slated" | "expected" | "due"
                        | "upcoming" | "planned" | "plans" | "going" => return true,
                        "ll" if self.glued(k) => return true,
                        "said" | "says" | "told" | "was" | "were" | "had" | "did" | "met"
                        | "took" | "made" | "went" | "came" | "gave" | "began" | "spoke" => {
                            return false
                        }
                        s if s.len() > 4 && s.ends_with("ed") => return false,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Try every pattern that can start at token `i`.
    fn at(&self, i: usize, st: &State) -> Option<Hit> {
        let t = self.tok(i)?;
        match t.kind {
            Kind::Num => self
                .iso(i)
                .or_else(|| self.us_numeric(i))
                .or_else(|| self.ago(i))
                .or_else(|| self.day_month(i))
                .or_else(|| self.decade(i))
                .or_else(|| self.year(i, st)),
            Kind::Word => {
                let l = self.wlc(i)?;
                match l.as_str() {
                    "today" | "tonight" | "yesterday" | "tomorrow" => self.deictic(i, l.as_str()),
                    "last" | "next" | "this" => self.modified(i, l.as_str()),
                    "earlier" | "later" => self.earlier_this(i),
                    "the" => self.the_day(i),
                    s if count_word(s).is_some() => self.ago(i),
                    s if month_of(s).is_some() => self.month_led(i),
                    s if weekday_of(s).is_some() => self.weekday_led(i),
                    _ => None,
                }
            }
            Kind::Punct(_) => None,
        }
    }

    /// "2022-03-10" (a timestamp's time is left out).
    fn iso(&self, i: usize) -> Option<Hit> {
        let (y, 4) = self.num(i)? else { return None };
        let (m, md) = self.num(i + 2)?;
        let (d, dd) = self.num(i + 4)?;
        let shape = self.glued(i + 1)
            && self.punct(i + 1) == Some('-')
            && self.glued(i + 2)
            && md <= 2
            && self.glued(i + 3)
            && self.punct(i + 3) == Some('-')
            && self.glued(i + 4)
            && dd <= 2;
        let time = self.glued(i + 5)
            && self.word(i + 5).is_some_and(|w| w == "T" || w == "t")
            && self.glued(i + 6)
            && self.num(i + 6).is_some();
        if !shape || !self.clean_left(i) || !(self.clean_right(i + 5) || time) {
            return None;
        }
        let d = date(y, m, d)?;
        self.hit(i, i + 5, Some(When::Day(d)), false)
    }

    /// "9/17/16", "9/17/2016" (US order: month, day, year).
    fn us_numeric(&self, i: usize) -> Option<Hit> {
        let (m, md) = self.num(i)?;
        let (d, dd) = self.num(i + 2)?;
        let (y, yd) = self.num(i + 4)?;
        let shape = md <= 2
            && self.glued(i + 1)
            && self.punct(i + 1) == Some('/')
            && self.glued(i + 2)
            && dd <= 2
            && self.glued(i + 3)
            && self.punct(i + 3) == Some('/')
            && self.glued(i + 4)
            && (yd == 2 || yd == 4);
        if !shape || !self.clean_left(i) || !self.clean_right(i + 5) {
            return None;
        }
        let y = if yd == 4 {
            y
        } else if let Some(a) = self.anchor {
            let a = i64::from(a.year());
            let c = a.div_euclid(100) * 100 + y;
            if c > a + 10 {
                c - 100
            } else {
                c
            }
        } else if y < 70 {
            2000 + y
        } else {
            1900 + y
        };
        let d = date(y, m, d)?;
        self.hit(i, i + 5, Some(When::Day(d)), false)
    }

    /// "two days ago", "3 weeks ago", "a year ago", "a decade ago".
    fn ago(&self, i: usize) -> Option<Hit> {
        let n = match self.num(i) {
            Some((n, _)) => {
                if !self.clean_left(i) {
                    return None;
                }
                n
            }
            None => count_word(self.wlc(i)?.as_str())?,
        };
        if !self.spaced(i + 1) || !self.spaced(i + 2) || !self.is_word(i + 2, "ago") {
            return None;
        }
        let unit = self.wlc(i + 1)?;
        let a = self.anchor;
        let when = match unit.as_str() {
            "day" | "days" => a.and_then(|a| add_days(a, n.checked_neg()?).map(When::Day)),
            "week" | "weeks" => a.and_then(|a| add_days(a, n.checked_mul(-7)?).map(When::Week)),
            "month" | "months" => a.and_then(|a| month_ix(a).checked_sub(n).map(When::Month)),
            "year" | "years" => a.and_then(|a| i64::from(a.year()).checked_sub(n).map(When::Year)),
            "decade" | "decades" => a.and_then(|a| {
                let y = i64::from(a.year()).checked_sub(n.checked_mul(10)?)?;
                Some(When::Decade(y.div_euclid(10)))
            }),
            _ => return None,
        };
        self.hit(i, i + 3, when, true)
    }

    /// "10 March 2022", "24th of February", "10 March".
    fn day_month(&self, i: usize) -> Option<Hit> {
        let (d, nd) = self.num(i)?;
        if nd > 2 || !(1..=31).contains(&d) || !self.clean_left(i) {
            return None;
        }
        let mut j = i + 1;
        if self.ordinal(j) {
            j += 1;
        } else if self.glued(j) {
            return None;
        }
        if self.spaced(j) && self.is_word(j, "of") {
            j += 1;
        }
        if !self.spaced(j) {
            return None;
        }
        let (m, next) = self.month_at(j, true)?;
        if let Some((y, end)) = self.trailing_year(next) {
            let when = date(y, i64::from(m), d).map(When::Day);
            return self.hit(i, end, when, false);
        }
        if !self.clean_right(next) {
            return None;
        }
        let d = i8::try_from(d).ok()?;
        let when = self.anchor.and_then(|a| month_day(a, m, d));
        self.hit(i, next, when, true)
    }

    /// "the 1990s", "mid-1980s".
    fn decade(&self, i: usize) -> Option<Hit> {
        let (v, 4) = self.num(i)? else { return None };
        if v % 10 != 0 || v % 100 == 0 || !(1000..=2990).contains(&v) {
            return None;
        }
        let end = if self.glued(i + 1) && self.word(i + 1) == Some("s") {
            i + 2
        } else if self.glued(i + 1)
            && matches!(self.punct(i + 1), Some('\'' | '’'))
            && self.glued(i + 2)
            && self.word(i + 2) == Some("s")
        {
            i + 3
        } else {
            return None;
        };
        if !(self.clean_left(i) || self.mid_prefix(i)) || !self.clean_right(end) {
            return None;
        }
        self.hit(i, end, Some(When::Decade(v / 10)), false)
    }

    /// A year standing alone in a date context: "in 2019", "mid-2019", "the 2019
    /// election", "between 2019 and 2021", "in 2001, 2003 and 2005".
    fn year(&self, i: usize, st: &State) -> Option<Hit> {
        let (v, 4) = self.num(i)? else { return None };
        if !(1900..=2099).contains(&v) {
            return None;
        }
        // the token before the connective ended the previous year mention
        let after_year = |conn: usize| {
            self.back(conn, 1)
                .and_then(|k| self.tok(k))
                .is_some_and(|t| st.last_year_end == Some(t.end))
        };
        let mid = self.mid_prefix(i);
        let dash = self.glued(i)
            && self.back(i, 1).is_some_and(|k| {
                matches!(self.punct(k), Some('-' | '–')) && self.glued(k) && after_year(k)
            });
        // "in 2001, 2003 and 2005"
        let listed = self.spaced(i)
            && self
                .back(i, 1)
                .is_some_and(|k| self.punct(k) == Some(',') && self.glued(k) && after_year(k));
        if !(mid || dash || self.clean_left(i)) {
            return None;
        }
        let range_next = self.glued(i + 1)
            && matches!(self.punct(i + 1), Some('-' | '–'))
            && self.glued(i + 2)
            && matches!(self.num(i + 2), Some((_, 4)));
        if !(self.clean_right(i + 1) || range_next) {
            return None;
        }
        let context = mid
            || dash
            || listed
            || match self.prev_word(i) {
                None => false,
                Some(p) => match p.as_str() {
                    "in" | "since" | "until" | "till" | "during" | "before" | "after" | "early"
                    | "late" | "throughout" | "circa" | "between" | "year" | "spring"
                    | "summer" | "autumn" | "fall" | "winter" => true,
                    "and" | "to" | "or" | "through" if self.back(i, 1).is_some_and(after_year) => {
                        true
                    }
                    "of" | "by" | "from" | "through" => self.follow_ok(i + 1),
                    "the" | "its" | "his" | "her" | "their" | "our" | "this" => {
                        self.event_noun(i + 1)
                    }
                    _ => false,
                },
            };
        if !context {
            return None;
        }
        self.hit(i, i + 1, Some(When::Year(v)), false)
    }

    /// After a year: nothing that makes it an amount ("of 2019 people").
    fn follow_ok(&self, j: usize) -> bool {
        let Some(t) = self.tok(j) else { return true };
        if t.gap == Gap::Break {
            return true;
        }
        match t.kind {
            Kind::Punct(_) => true,
            Kind::Num => false,
            Kind::Word => {
                let Some(w) = self.word(j) else { return false };
                if starts_upper(w) {
                    return true;
                }
                self.wlc(j).is_some_and(|l| FOLLOW_OK.contains(&l.as_str()))
            }
        }
    }

    fn event_noun(&self, j: usize) -> bool {
        self.spaced(j)
            && self
                .wlc(j)
                .is_some_and(|l| EVENT_NOUNS.contains(&l.as_str()))
    }

    /// "March 10, 2022", "Feb. 24", "February 24th", "May 2019", "March of 2019", and a
    /// month alone in a strong context.
    fn month_led(&self, i: usize) -> Option<Hit> {
        if self.honorific(i) {
            return None;
        }
        if let Some(h) = self.month_day_led(i) {
            return Some(h);
        }
        let (m, after) = self.month_at(i, true)?;
        // "May 2019", "March of 2019"
        let y_at = if self.spaced(after) && self.is_word(after, "of") {
            after + 1
        } else {
            after
        };
        if self.spaced(y_at) {
            if let Some((y, 4)) = self.num(y_at) {
                if (1000..=2999).contains(&y) && self.clean_right(y_at + 1) {
                    let when = When::Month(y * 12 + i64::from(m) - 1);
                    return self.hit(i, y_at + 1, Some(when), false);
                }
            }
        }
        self.bare_month(i)
    }

    /// A month followed by a day: "March 10, 2022", "Feb. 24", "February 24th".
    fn month_day_led(&self, i: usize) -> Option<Hit> {
        let (m, after) = self.month_at(i, true)?;
        if !self.spaced(after) {
            return None;
        }
        let (d, nd) = self.num(after)?;
        if nd > 2 || !(1..=31).contains(&d) {
            return None;
        }
        let mut k = after + 1;
        if self.ordinal(k) {
            k += 1;
        }
        let range = self.glued(k)
            && matches!(self.punct(k), Some('-' | '–'))
            && self.glued(k + 1)
            && self.num(k + 1).is_some_and(|(_, n)| n <= 2);
        if !(self.clean_right(k) || range) {
            return None;
        }
        if let Some((y, end)) = self.trailing_year(k) {
            let when = date(y, i64::from(m), d).map(When::Day);
            return self.hit(i, end, when, false);
        }
        let d = i8::try_from(d).ok()?;
        let when = self.anchor.and_then(|a| month_day(a, m, d));
        self.hit(i, k, when, true)
    }

    /// A month name alone after "in", "since", "until", "early", "late", "mid-", "the
    /// end of", ...
    fn bare_month(&self, i: usize) -> Option<Hit> {
        let (m, after) = self.month_at(i, false)?;
        if m == 5 && self.glued(i + 1) && matches!(self.punct(i + 1), Some('\'' | '’')) {
            return None; // "May's government"
        }
        let dir = if self.mid_prefix(i) {
            Dir::Nearest
        } else {
            let p = self.prev_word(i)?;
            match p.as_str() {
                "in" | "until" | "till" | "early" | "late" | "during" | "through"
                | "throughout" => Dir::Nearest,
                "since" => Dir::PastOrSame,
                "of" => {
                    let k = self.back(i, 2)?;
                    let q = self.wlc(k)?;
                    if !self.spaced(i - 1)
                        || !matches!(
                            q.as_str(),
                            "end" | "beginning" | "start" | "middle" | "half" | "month"
                        )
                    {
                        return None;
                    }
                    Dir::Nearest
                }
                _ => return None,
            }
        };
        let when = self.anchor.and_then(|a| month_alone(a, m, dir));
        self.hit(i, after, when, true)
    }

    /// "Wednesday", "Wednesday's", "Wednesday, March 9".
    fn weekday_led(&self, i: usize) -> Option<Hit> {
        let wd = self.weekday_at(i)?;
        if let Some(p) = self.prev_word(i) {
            if NAMED_DAYS.contains(&p.as_str()) {
                return None;
            }
        }
        // a weekday with its date
        let k = if self.glued(i + 1) && self.punct(i + 1) == Some(',') {
            i + 2
        } else {
            i + 1
        };
        if self.spaced(k) {
            if let Some(h) = self.month_day_led(k).or_else(|| self.day_month(k)) {
                return Some(Hit {
                    span: Span::new(self.tok(i)?.start, h.span.end),
                    ..h
                });
            }
        }
        // "the Sunday Times"
        if self.prev_word(i).is_some_and(|p| p.as_str() == "the")
            && self.spaced(i + 1)
            && self.word(i + 1).is_some_and(|w| {
                starts_upper(w) && month_of(w).is_none() && weekday_of(w).is_none()
            })
        {
            return None;
        }
        let dir = if self.future_context(i) {
            Dir::FutureOrSame
        } else {
            Dir::PastOrSame
        };
        let when = self.anchor.and_then(|a| weekday(a, wd, dir));
        self.hit(i, i + 1, when, true)
    }

    /// "today", "yesterday", "tomorrow", "tonight"; capitalized only at a sentence start
    /// ("USA Today" is a newspaper).
    fn deictic(&self, i: usize, w: &str) -> Option<Hit> {
        if starts_upper(self.word(i)?) {
            if !self.sentence_start(i) {
                return None;
            }
            // a title in quotes: NBC's “Today”, ''Today''
            let is_quote =
                |k: usize| matches!(self.punct(k), Some('"' | '“' | '”' | '\'' | '‘' | '’'));
            let opened = self.glued(i) && self.back(i, 1).is_some_and(is_quote);
            let closed = self.glued(i + 1)
                && is_quote(i + 1)
                && !(self.glued(i + 2) && self.word(i + 2) == Some("s"));
            if opened && closed {
                return None;
            }
        }
        let n = match w {
            "yesterday" => -1,
            "tomorrow" => 1,
            _ => 0,
        };
        let when = self.anchor.and_then(|a| add_days(a, n)).map(When::Day);
        self.hit(i, i + 1, when, true)
    }

    /// "the day before yesterday", "the day after tomorrow".
    fn the_day(&self, i: usize) -> Option<Hit> {
        if !(self.spaced(i + 1)
            && self.is_word(i + 1, "day")
            && self.spaced(i + 2)
            && self.spaced(i + 3))
        {
            return None;
        }
        let n = if self.is_word(i + 2, "before") && self.is_word(i + 3, "yesterday") {
            -2
        } else if self.is_word(i + 2, "after") && self.is_word(i + 3, "tomorrow") {
            2
        } else {
            return None;
        };
        let when = self.anchor.and_then(|a| add_days(a, n)).map(When::Day);
        self.hit(i, i + 4, when, true)
    }

    /// "last week", "next month", "this year", "last night", "this morning", "last
    /// Wednesday", "this coming Wednesday", "next May", "this weekend".
    fn modified(&self, i: usize, which: &str) -> Option<Hit> {
        if which != "this"
            && self
                .prev_word(i)
                .is_some_and(|p| matches!(p.as_str(), "the" | "very"))
        {
            // "over the last year" is a duration, "the very next year" a narrative one
            return None;
        }
        if !self.spaced(i + 1) {
            return None;
        }
        let step: i64 = match which {
            "last" => -1,
            "next" => 1,
            _ => 0,
        };
        let a = self.anchor;
        let unit = self.wlc(i + 1)?;
        let when = match unit.as_str() {
            "week" => a.and_then(|a| add_days(a, 7 * step).map(When::Week)),
            "weekend" => a.and_then(|a| add_days(a, 7 * step).map(When::Weekend)),
            "month" => a.map(|a| When::Month(month_ix(a) + step)),
            "year" => a.map(|a| When::Year(i64::from(a.year()) + step)),
            "night" if step == -1 => a.and_then(|a| add_days(a, -1).map(When::Day)),
            "morning" | "afternoon" | "evening" | "night" if step == 0 => a.map(When::Day),
            "coming" | "past" if step == 0 => {
                if !self.spaced(i + 2) {
                    return None;
                }
                let dir = if unit.as_str() == "coming" {
                    Dir::Future
                } else {
                    Dir::Past
                };
                let when = if self.is_word(i + 2, "weekend") {
                    // the weekend of the next Saturday, or of the last Sunday
                    let wd = if dir == Dir::Future { 5 } else { 6 };
                    a.and_then(|a| match weekday(a, wd, dir) {
                        Some(When::Day(d)) => Some(When::Weekend(d)),
                        _ => None,
                    })
                } else {
                    let wd = self.weekday_at(i + 2)?;
                    a.and_then(|a| weekday(a, wd, dir))
                };
                return self.hit(i, i + 3, when, true);
            }
            _ => {
                if let Some(wd) = self.weekday_at(i + 1) {
                    let dir = match step {
                        -1 => Dir::Past,
                        1 => Dir::Future,
                        _ => Dir::Nearest,
                    };
                    let when = a.and_then(|a| weekday(a, wd, dir));
                    return self.hit(i, i + 2, when, true);
                }
                let (m, after) = self.month_at(i + 1, false)?;
                let dir = match step {
                    -1 => Dir::Past,
                    1 => Dir::Future,
                    _ => Dir::SameYear,
                };
                let when = a.and_then(|a| month_alone(a, m, dir));
                return self.hit(i, after, when, true);
            }
        };
        self.hit(i, i + 2, when, true)
    }

    /// "earlier this month", "later this year", "earlier this week".
    fn earlier_this(&self, i: usize) -> Option<Hit> {
        if !(self.spaced(i + 1) && self.is_word(i + 1, "this") && self.spaced(i + 2)) {
            return None;
        }
        let a = self.anchor;
        let when = match self.wlc(i + 2)?.as_str() {
            "week" => a.map(When::Week),
            "month" => a.map(|a| When::Month(month_ix(a))),
            "year" => a.map(|a| When::Year(i64::from(a.year()))),
            _ => return None,
        };
        self.hit(i, i + 3, when, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;
    use proptest::prelude::*;

    /// 2022-03-10 is a Thursday.
    const ANCHOR: Date = d(2022, 3, 10);

    fn run_at(text: &str, anchor: Option<Date>) -> Vec<(String, String)> {
        find(text, Span::new(0, text.len()), anchor)
            .into_iter()
            .map(|m| (m.span.slice(text).to_string(), m.value))
            .collect()
    }

    fn run(text: &str) -> Vec<(String, String)> {
        run_at(text, Some(ANCHOR))
    }

    fn one(text: &str) -> (String, String) {
        let got = run(text);
        assert_eq!(got.len(), 1, "{text:?} gave {got:?}");
        got.into_iter().next().unwrap_or_default()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn acceptance_examples() {
        assert_eq!(
            one("The report was published Wednesday."),
            pair("Wednesday", "2022-03-09")
        );
        assert_eq!(
            one("The troops crossed on Feb. 24, officials said."),
            pair("Feb. 24", "2022-02-24")
        );
        assert_eq!(
            one("She left the company in May 2019."),
            pair("May 2019", "2019-05")
        );
        assert_eq!(
            one("He repeated the claim in Wednesday's interview."),
            pair("Wednesday", "2022-03-09")
        );
    }

    #[test]
    fn month_day_year() {
        assert_eq!(
            one("The ceasefire began on March 10, 2022, at noon."),
            pair("March 10, 2022", "2022-03-10")
        );
        assert_eq!(
            one("Ballots were counted on 10 March 2022."),
            pair("10 March 2022", "2022-03-10")
        );
        assert_eq!(
            one("It ended (July 4th, 1976)."),
            pair("July 4th, 1976", "1976-07-04")
        );
        assert_eq!(
            one("Filed on DEC 3, 2020."),
            pair("DEC 3, 2020", "2020-12-03")
        );
        assert!(run("Due on February 30, 2021.").is_empty());
    }

    #[test]
    fn month_day_without_year() {
        assert_eq!(
            one("It opened February 24th."),
            pair("February 24th", "2022-02-24")
        );
        assert_eq!(one("It opened Feb 24."), pair("Feb 24", "2022-02-24"));
        assert_eq!(
            one("We met on Sept. 8 in Paris."),
            pair("Sept. 8", "2022-09-08")
        );
        assert_eq!(
            one("The vote on the 24th of February passed."),
            pair("24th of February", "2022-02-24")
        );
        assert_eq!(
            one("Talks resume 14 March."),
            pair("14 March", "2022-03-14")
        );
        assert_eq!(
            one("The fair runs March 12-14."),
            pair("March 12", "2022-03-12")
        );
    }

    #[test]
    fn year_boundary() {
        let jan = Some(d(2022, 1, 3));
        assert_eq!(
            run_at("It began Dec. 28.", jan),
            [pair("Dec. 28", "2021-12-28")]
        );
        assert_eq!(
            run_at("Sales dipped in December.", jan),
            [pair("December", "2021-12")]
        );
        let dec = Some(d(2021, 12, 30));
        assert_eq!(
            run_at("It reopens Jan. 2.", dec),
            [pair("Jan. 2", "2022-01-02")]
        );
        assert_eq!(
            run_at("It reopens in January.", dec),
            [pair("January", "2022-01")]
        );
        // "last week" across a new year: ISO week-numbering year
        assert_eq!(
            run_at("Prices fell last week.", jan),
            [pair("last week", "2021-W52")]
        );
        // a Feb 29 without a year in a leap-year neighbourhood
        let leap = Some(d(2024, 3, 1));
        assert_eq!(
            run_at("since Feb. 29", leap),
            [pair("Feb. 29", "2024-02-29")]
        );
        assert!(run_at("since Feb. 29", Some(d(2022, 3, 1))).is_empty());
    }

    #[test]
    fn month_and_year() {
        assert_eq!(one("Sales fell in May 2019."), pair("May 2019", "2019-05"));
        assert_eq!(
            one("In March of 2019, it closed."),
            pair("March of 2019", "2019-03")
        );
        assert_eq!(
            one("Since Jan. 2020 it has grown."),
            pair("Jan. 2020", "2020-01")
        );
    }

    #[test]
    fn standalone_years() {
        assert_eq!(one("The plant closed in 2019."), pair("2019", "2019"));
        assert_eq!(
            one("It has grown since 1998, he said."),
            pair("1998", "1998")
        );
        assert_eq!(one("Work stopped in mid-2019."), pair("2019", "2019"));
        assert_eq!(one("The 2016 election changed that."), pair("2016", "2016"));
        assert_eq!(
            one("By 2030 the fleet will be electric."),
            pair("2030", "2030")
        );
        assert_eq!(
            run("Rents rose between 2019 and 2021."),
            [pair("2019", "2019"), pair("2021", "2021")]
        );
        assert_eq!(
            run("It was built from 1998 to 2004."),
            [pair("1998", "1998"), pair("2004", "2004")]
        );
        assert_eq!(
            run("Bans passed in 2001, 2003 and 2005."),
            [
                pair("2001", "2001"),
                pair("2003", "2003"),
                pair("2005", "2005")
            ]
        );
        assert_eq!(
            run("in 2018–2020"),
            [pair("2018", "2018"), pair("2020", "2020")]
        );
    }

    #[test]
    fn years_that_are_not_dates() {
        for text in [
            "2019 people attended.",
            "The fine was $2019.",
            "A crowd of 2019 people gathered.",
            "Room 2019 is closed.",
            "It won 2019 votes.",
            "The team improved in 2019-20.",
            "In 1,2019 cases.",
            "Growth hit 2019% in the model.",
            "Call 555-2019 now.",
            "The year 3019 is far.",
            "in 20199",
        ] {
            assert!(run(text).is_empty(), "{text:?} gave {:?}", run(text));
        }
    }

    #[test]
    fn iso_and_numeric_dates() {
        assert_eq!(one("Updated 2022-03-10."), pair("2022-03-10", "2022-03-10"));
        assert_eq!(
            one("At 2022-03-10T08:00:00Z the site went down."),
            pair("2022-03-10", "2022-03-10")
        );
        assert!(run("Updated 2022-02-30.").is_empty());
        assert!(run("Part 2022-03-10-7 of the file.").is_empty());
        assert_eq!(
            one("Signed 9/17/16 in Ohio."),
            pair("9/17/16", "2016-09-17")
        );
        assert_eq!(one("Signed 9/17/2016."), pair("9/17/2016", "2016-09-17"));
        assert_eq!(one("Born 3/2/85."), pair("3/2/85", "1985-03-02"));
        assert!(run("Signed 13/17/2016.").is_empty());
        assert!(run("A 1/2 share, 3/4/5/6 ratio.").is_empty());
        // no anchor: the two-digit pivot
        assert_eq!(
            run_at("Signed 9/17/16.", None),
            [pair("9/17/16", "2016-09-17")]
        );
    }

    #[test]
    fn decades() {
        assert_eq!(one("Popular in the 1990s, it faded."), pair("1990s", "199"));
        assert_eq!(one("Built in the mid-1980s."), pair("1980s", "198"));
        assert_eq!(one("Back in the 1970's."), pair("1970's", "197"));
        assert!(run("In the 1900s, cities grew.").is_empty());
        assert!(run("It cost $1990s.").is_empty());
    }

    #[test]
    fn month_alone_needs_context() {
        assert_eq!(one("Prices rose in March."), pair("March", "2022-03"));
        assert_eq!(one("It has fallen since May."), pair("May", "2021-05"));
        assert_eq!(one("It will last until June."), pair("June", "2022-06"));
        assert_eq!(
            one("Expect it by the end of April."),
            pair("April", "2022-04")
        );
        assert_eq!(one("Rain is due in early June."), pair("June", "2022-06"));
        assert_eq!(one("He quit last May."), pair("last May", "2021-05"));
        assert_eq!(one("He quits next May."), pair("next May", "2022-05"));
        assert_eq!(one("The vote is this May."), pair("this May", "2022-05"));
        assert_eq!(one("We met in Jan. and left."), pair("Jan.", "2022-01"));
        assert_eq!(one("Last March it snowed."), pair("Last March", "2021-03"));
    }

    #[test]
    fn month_names_that_are_not_dates() {
        for text in [
            "He may go to the hearing.",
            "May I ask a question?",
            "They joined the march on Washington.",
            "They March to the square every week.",
            "The March on Washington was in summer.",
            "Mr. May said nothing.",
            "Mr. May 5 times refused.",
            "Theresa May said the deal was done.",
            "The vote in May's government failed.",
            "Open Sun and Sat only.",
            "Wed the couple did.",
            "Sales peaked in march 10 days later.",
            "The Sunday Times reported it.",
            "Voters went out on Super Tuesday.",
            "Sales rose on Black Friday.",
            "She said it to USA Today.",
            "He hosts the Today programme.",
            "He goes there on Wednesdays.",
            "She told NBC’s “Today” she would run.",
            "He won the very next year.",
        ] {
            assert!(run(text).is_empty(), "{text:?} gave {:?}", run(text));
        }
    }

    #[test]
    fn deictic_days() {
        assert_eq!(one("He resigned today."), pair("today", "2022-03-10"));
        assert_eq!(one("Today, he resigned."), pair("Today", "2022-03-10"));
        assert_eq!(one("“Today’s vote matters.”"), pair("Today", "2022-03-10"));
        assert_eq!(
            one("He arrived yesterday."),
            pair("yesterday", "2022-03-09")
        );
        assert_eq!(one("She speaks tomorrow."), pair("tomorrow", "2022-03-11"));
        assert_eq!(one("He spoke tonight."), pair("tonight", "2022-03-10"));
        assert_eq!(
            one("It began the day before yesterday."),
            pair("the day before yesterday", "2022-03-08")
        );
        assert_eq!(
            one("It snowed last night."),
            pair("last night", "2022-03-09")
        );
        assert_eq!(
            one("He spoke this morning."),
            pair("this morning", "2022-03-10")
        );
    }

    #[test]
    fn weekdays() {
        assert_eq!(
            one("The minister said Friday."),
            pair("Friday", "2022-03-04")
        );
        assert_eq!(
            one("Officials met on Thursday."),
            pair("Thursday", "2022-03-10")
        );
        assert_eq!(
            one("They will meet on Friday."),
            pair("Friday", "2022-03-11")
        );
        assert_eq!(
            one("The vote is scheduled for Monday."),
            pair("Monday", "2022-03-14")
        );
        assert_eq!(
            one("He said he would go, and left Monday."),
            pair("Monday", "2022-03-07")
        );
        assert_eq!(
            one("It ends next Wednesday."),
            pair("next Wednesday", "2022-03-16")
        );
        assert_eq!(
            one("It ends this coming Wednesday."),
            pair("this coming Wednesday", "2022-03-16")
        );
        assert_eq!(
            one("It began last Wednesday."),
            pair("last Wednesday", "2022-03-09")
        );
        assert_eq!(
            one("It began last Thursday."),
            pair("last Thursday", "2022-03-03")
        );
        assert_eq!(
            one("It began this past Thursday."),
            pair("this past Thursday", "2022-03-03")
        );
        assert_eq!(
            one("It opens this Saturday."),
            pair("this Saturday", "2022-03-12")
        );
        assert_eq!(one("MONDAY: talks resume."), pair("MONDAY", "2022-03-07"));
        assert_eq!(
            one("It was signed Wednesday, March 9, in Rome."),
            pair("Wednesday, March 9", "2022-03-09")
        );
        assert_eq!(
            one("Sunday night's game was close."),
            pair("Sunday", "2022-03-06")
        );
    }

    #[test]
    fn weeks_weekends_months_years() {
        assert_eq!(one("Prices fell last week."), pair("last week", "2022-W09"));
        assert_eq!(one("Prices fall this week."), pair("this week", "2022-W10"));
        assert_eq!(one("Prices fall next week."), pair("next week", "2022-W11"));
        assert_eq!(
            one("He said so earlier this week."),
            pair("earlier this week", "2022-W10")
        );
        assert_eq!(
            one("It rained last weekend."),
            pair("last weekend", "2022-W09-WE")
        );
        assert_eq!(
            one("It rains this weekend."),
            pair("this weekend", "2022-W10-WE")
        );
        assert_eq!(one("Sales fell last month."), pair("last month", "2022-02"));
        assert_eq!(one("Sales rise next month."), pair("next month", "2022-04"));
        assert_eq!(
            one("She said so earlier this month."),
            pair("earlier this month", "2022-03")
        );
        assert_eq!(one("It was built last year."), pair("last year", "2021"));
        assert_eq!(one("Last year's budget grew."), pair("Last year", "2021"));
        assert_eq!(one("It opens this year."), pair("this year", "2022"));
        assert_eq!(one("It opens next year."), pair("next year", "2023"));
        assert_eq!(
            one("It opens later this year."),
            pair("later this year", "2022")
        );
        // durations are not dates
        assert!(run("Prices rose over the last year.").is_empty());
        assert!(run("In the next week, we will see.").is_empty());
        assert!(run("The last time he spoke.").is_empty());
    }

    #[test]
    fn ago() {
        assert_eq!(
            one("It began two days ago."),
            pair("two days ago", "2022-03-08")
        );
        assert_eq!(
            one("It began 3 weeks ago."),
            pair("3 weeks ago", "2022-W07")
        );
        assert_eq!(one("It began a month ago."), pair("a month ago", "2022-02"));
        assert_eq!(one("It began a year ago."), pair("a year ago", "2021"));
        assert_eq!(
            one("It began ten years ago."),
            pair("ten years ago", "2012")
        );
        assert_eq!(one("It began a decade ago."), pair("a decade ago", "201"));
        assert!(run("A few days ago it began.").is_empty());
        assert!(run("Three days later it ended.").is_empty());
    }

    #[test]
    fn without_anchor_only_absolute_dates() {
        let text = "On Wednesday, a week after Feb. 24 and in May, last week, he recalled \
                    March 10, 2022, 2022-03-11 and the plant he built in 2019 two years ago.";
        assert_eq!(
            run_at(text, None),
            [
                pair("March 10, 2022", "2022-03-10"),
                pair("2022-03-11", "2022-03-11"),
                pair("2019", "2019"),
            ]
        );
        // relative words are still consumed: "24" is not read as a day-month
        assert!(run_at("Feb. 24 March", None).is_empty());
    }

    #[test]
    fn anchored_flag_and_precision() {
        let text = "On Feb. 24 and on March 10, 2022, and in the 1990s.";
        let got = find(text, Span::new(0, text.len()), Some(ANCHOR));
        let flags: Vec<_> = got.iter().map(|m| (m.anchored, m.precision)).collect();
        assert_eq!(
            flags,
            [
                (true, Precision::Day),
                (false, Precision::Day),
                (false, Precision::Decade)
            ]
        );
    }

    #[test]
    fn spans_respect_the_region_and_punctuation() {
        let text = "Header of March 3, 2020.\n\n“Yesterday,” he said (on Feb. 24).";
        let start = text.find('“').unwrap_or(0);
        let got: Vec<_> = find(text, Span::new(start, text.len()), Some(ANCHOR))
            .into_iter()
            .map(|m| (m.span.slice(text).to_string(), m.value))
            .collect();
        assert_eq!(
            got,
            [
                pair("Yesterday", "2022-03-09"),
                pair("Feb. 24", "2022-02-24")
            ]
        );
        // region ends in the middle: "March 10" is cut to "March"
        let text = "He left in March 10";
        let cut = text.len() - 3;
        let got = find(text, Span::new(0, cut), Some(ANCHOR));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].span.slice(text), "March");
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let big = Some(d(9999, 12, 31));
        let small = Some(d(-9999, 1, 1));
        for text in [
            "",
            " ",
            "99999999999999999999 days ago",
            "999999999 years ago, 999999999 weeks ago, 999999999 decades ago",
            "next year, next month, next week, tomorrow, next Monday, Dec. 31",
            "last year, last month, last week, yesterday, last Monday, Jan. 1",
            "in 2019 é 日本 March 10, 2022 “May 2019” Ünïcödé 10 Märch",
            "9/17/99999 2022-99-99 2022-03-10T 0/0/00 31 February 2021",
        ] {
            for anchor in [None, Some(ANCHOR), big, small] {
                let got = find(text, Span::new(0, text.len()), anchor);
                for m in &got {
                    assert!(m.span.end <= text.len());
                }
                // regions past the end and inside a character
                let _ = find(text, Span::new(text.len(), text.len() + 10), anchor);
                let _ = find(text, Span::new(1, 1_000_000), anchor);
            }
        }
        assert!(run_at("next year", Some(d(9999, 6, 1))).is_empty());
        assert!(run_at("last year", Some(d(0, 6, 1))).is_empty());
        let text = "日本March 10, 2022";
        let _ = find(text, Span::new(1, text.len() - 1), Some(ANCHOR));
    }

    #[test]
    fn long_inputs_stay_linear_and_correct_across_windows() {
        let mut text = String::new();
        for _ in 0..3000 {
            text.push_str("The talks resumed on Feb. 24 and stalled in 2019. ");
        }
        let got = find(&text, Span::new(0, text.len()), Some(ANCHOR));
        assert_eq!(got.len(), 6000);
        assert!(got.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    }

    fn vocab() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("May".to_string()),
            Just("Feb.".to_string()),
            Just("March".to_string()),
            Just("Wednesday".to_string()),
            Just("last".to_string()),
            Just("next".to_string()),
            Just("this".to_string()),
            Just("coming".to_string()),
            Just("week".to_string()),
            Just("year".to_string()),
            Just("ago".to_string()),
            Just("in".to_string()),
            Just("the".to_string()),
            Just("day".to_string()),
            Just("mid".to_string()),
            Just("s".to_string()),
            Just("th".to_string()),
            "[0-9]{1,22}",
            "[-/.,'’ T\n]{1,2}",
            "\\PC{0,3}",
        ]
    }

    proptest! {
        #[test]
        fn spans_lie_on_boundaries_inside_the_region(
            text in "\\PC{0,80}",
            a in 0usize..100,
            b in 0usize..100,
            y in -9999i16..=9999,
            m in 1i8..=12,
            day in 1i8..=28,
            with_anchor in any::<bool>(),
        ) {
            check(&text, a, b, y, m, day, with_anchor);
        }

        #[test]
        fn date_like_words_never_panic(
            words in prop::collection::vec(vocab(), 0..24),
            a in 0usize..200,
            b in 0usize..200,
            y in -9999i16..=9999,
            m in 1i8..=12,
            day in 1i8..=28,
            with_anchor in any::<bool>(),
        ) {
            let text = words.join(" ");
            check(&text, a, b, y, m, day, with_anchor);
        }
    }

    fn check(text: &str, a: usize, b: usize, y: i16, m: i8, day: i8, with_anchor: bool) {
        let anchor = if with_anchor {
            Date::new(y, m, day).ok()
        } else {
            None
        };
        let region = Span::new(a.min(b), a.max(b));
        let got = find(text, region, anchor);
        let mut last_end = 0;
        for mention in &got {
            let s = mention.span;
            assert!(s.start < s.end);
            assert!(region.start <= s.start && s.end <= region.end.min(text.len()));
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            assert!(last_end <= s.start, "mentions overlap");
            last_end = s.end;
            assert!(!mention.value.is_empty());
        }
    }
}
