//! The `table` output format: each document's quotes for reading in a terminal.

use onrecord_core::extraction::{Extraction, Quote, QuoteKind};
use std::io::{self, Write};

#[derive(Clone, Copy, Debug)]
pub struct TableStyle {
    /// ANSI colours on.
    pub color: bool,
    /// Columns to wrap at.
    pub width: usize,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Write one document: a header (id, date, title), then each quote.
pub fn render(
    out: &mut impl Write,
    x: &Extraction,
    style: &TableStyle,
    first: bool,
) -> io::Result<()> {
    let p = Paint { on: style.color };
    if !first {
        writeln!(out)?;
    }
    let mut header = p.paint("1", &x.id);
    if let Some(date) = &x.date {
        header.push_str("  ");
        header.push_str(&p.paint("2", date));
    }
    let n = x.quotes.len();
    header.push_str(&p.paint(
        "2",
        &format!("  {n} quote{}", if n == 1 { "" } else { "s" }),
    ));
    writeln!(out, "{header}")?;
    if let Some(title) = &x.title {
        for line in wrap(title, style.width) {
            writeln!(out, "{}", p.paint("1", &line))?;
        }
    }
    let id_width = x.quotes.iter().map(|q| q.id.len() + 2).max().unwrap_or(0);
    for q in &x.quotes {
        quote(out, q, id_width, style, &p)?;
    }
    Ok(())
}

fn quote(
    out: &mut impl Write,
    q: &Quote,
    id_width: usize,
    style: &TableStyle,
    p: &Paint,
) -> io::Result<()> {
    let who = match (&q.speaker, &q.source) {
        // The source only when it adds something: "he", not "Zelenskyy".
        (Some(s), Some(src)) if !contains_ci(&s.name, &src.text) => {
            format!("{} ({})", p.paint("1;36", &s.name), one_line(&src.text))
        }
        (Some(s), _) => p.paint("1;36", &s.name),
        (None, Some(src)) => p.paint("36", &one_line(&src.text)),
        (None, None) => p.paint("2", "unattributed"),
    };
    let cue = match &q.cue {
        Some(c) => p.paint("33", &one_line(&c.text)),
        None => p.paint("2", "no cue"),
    };
    let kind = match q.kind {
        QuoteKind::Direct => "direct",
        QuoteKind::Mixed => "mixed",
        QuoteKind::Indirect => "indirect",
    };
    let id = format!("{:<id_width$}", q.id);
    writeln!(
        out,
        "  {}{who} \u{b7} {cue} \u{b7} {}",
        p.paint("2", &id),
        p.paint("2", kind)
    )?;
    let content = match q.kind {
        QuoteKind::Direct => format!("\u{201c}{}\u{201d}", one_line(&q.content.text)),
        _ => one_line(&q.content.text),
    };
    // Content lines align with the speaker, after "  q1  ".
    let indent = " ".repeat(2 + id_width);
    for line in wrap(&content, style.width.saturating_sub(indent.len())) {
        writeln!(out, "{indent}{line}")?;
    }
    Ok(())
}

fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack
        .to_lowercase()
        .contains(&needle.trim().to_lowercase())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Greedy word wrap to `width` chars; a longer word stands on a line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(20);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if len > 0 && len + 1 + w > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_width() {
        let lines = wrap("aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk", 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(
            lines.join(" "),
            "aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk"
        );
        assert_eq!(wrap("", 30), Vec::<String>::new());
        assert_eq!(wrap(&"x".repeat(50), 20), vec!["x".repeat(50)]);
    }
}
