//! Progress on stderr for long runs: a bar (documents per second, MB per second, and an
//! ETA once the total size of the inputs is known), and the final summary: documents,
//! quotes, and what was skipped or failed, by reason.
//!
//! The bar is drawn only when asked (by default when stderr is a terminal); messages
//! printed while it is shown go above it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use onrecord_input::Outcome;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Progress {
    bar: Option<ProgressBar>,
    bytes_read: Arc<AtomicU64>,
    start: Instant,
    last: Instant,
}

impl Progress {
    /// `bytes_read` is the counter the input readers add to.
    pub fn new(show: bool, bytes_read: Arc<AtomicU64>, inputs: &[PathBuf]) -> Progress {
        let now = Instant::now();
        let bar = show.then(|| {
            // Drawn even when stderr is not a terminal if asked (`--progress always`).
            let target =
                ProgressDrawTarget::term_like_with_hz(Box::new(console::Term::stderr()), 8);
            let bar = ProgressBar::with_draw_target(None, target);
            bar.set_style(style(false));
            bar.enable_steady_tick(Duration::from_millis(250));
            // The total is known once the inputs are walked, in the background.
            let inputs = inputs.to_vec();
            let b = bar.clone();
            std::thread::spawn(move || {
                if let Some(total) = onrecord_input::total_size(&inputs) {
                    b.set_length(total);
                    b.set_style(style(true));
                }
            });
            bar
        });
        Progress {
            bar,
            bytes_read,
            start: now,
            last: now,
        }
    }

    /// Print a line above the bar (or plainly without one).
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    pub fn update(&mut self, summary: &Summary) {
        let Some(bar) = &self.bar else { return };
        let now = Instant::now();
        if now.duration_since(self.last) < Duration::from_millis(100) {
            return;
        }
        self.last = now;
        bar.set_position(self.bytes());
        let secs = self.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{} docs ({:.0}/s), {} quotes",
            count(summary.documents),
            summary.documents as f64 / secs,
            count(summary.quotes)
        ));
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    pub fn bytes(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}

fn style(with_total: bool) -> ProgressStyle {
    let template = if with_total {
        "{spinner} {elapsed_precise} [{bar:24}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}  {msg}"
    } else {
        "{spinner} {elapsed_precise} {bytes} {bytes_per_sec}  {msg}"
    };
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// Counts for the final summary.
#[derive(Default)]
pub struct Summary {
    pub documents: u64,
    pub quotes: u64,
    by_reason: BTreeMap<(Outcome, &'static str), u64>,
}

impl Summary {
    pub fn count(&mut self, outcome: Outcome, label: &'static str) {
        *self.by_reason.entry((outcome, label)).or_default() += 1;
    }

    fn total(&self, outcome: Outcome) -> u64 {
        self.by_reason
            .iter()
            .filter(|((o, _), _)| *o == outcome)
            .map(|(_, n)| n)
            .sum()
    }

    fn reasons(&self, outcome: Outcome) -> String {
        let mut rs: Vec<(u64, &str)> = self
            .by_reason
            .iter()
            .filter(|((o, _), _)| *o == outcome)
            .map(|((_, label), n)| (*n, *label))
            .collect();
        rs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        rs.iter()
            .map(|(n, label)| format!("{} {label}", count(*n)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The summary's lines: totals, then skipped, failed and warned-about by reason.
    pub fn lines(&self, bytes: u64, elapsed: Duration) -> Vec<String> {
        let secs = elapsed.as_secs_f64().max(1e-3);
        let mut lines = vec![format!(
            "{} document{}, {} quote{} in {:.1} s ({:.1} MB read, {:.1} MB/s, {:.0} documents/s)",
            count(self.documents),
            if self.documents == 1 { "" } else { "s" },
            count(self.quotes),
            if self.quotes == 1 { "" } else { "s" },
            secs,
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / secs,
            self.documents as f64 / secs,
        )];
        for (outcome, name) in [
            (Outcome::Skipped, "skipped"),
            (Outcome::Failed, "failed"),
            (Outcome::Warning, "warnings"),
        ] {
            let n = self.total(outcome);
            if n > 0 {
                lines.push(format!("{name} {}: {}", count(n), self.reasons(outcome)));
            }
        }
        lines
    }
}

/// 1234567 as "1,234,567".
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
    }

    #[test]
    fn summary_lines_by_reason() {
        let mut s = Summary {
            documents: 2,
            quotes: 1,
            ..Default::default()
        };
        s.count(Outcome::Skipped, "WARC records not pages");
        s.count(Outcome::Skipped, "WARC records not pages");
        s.count(Outcome::Skipped, "not HTML");
        s.count(Outcome::Failed, "truncated");
        let lines = s.lines(2_000_000, Duration::from_secs(2));
        assert!(
            lines[0].starts_with("2 documents, 1 quote in 2.0 s (2.0 MB read, 1.0 MB/s"),
            "{}",
            lines[0]
        );
        assert_eq!(lines[1], "skipped 3: 2 WARC records not pages, 1 not HTML");
        assert_eq!(lines[2], "failed 1: 1 truncated");
        assert_eq!(lines.len(), 3);
    }
}
