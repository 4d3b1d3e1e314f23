//! Micro-benchmarks of the pipeline, whole and stage by stage, in bytes of article text per
//! second (criterion `Throughput::Bytes`).
//!
//!     cargo bench -p onrecord-core --bench stages                 # all (about a minute)
//!     cargo bench -p onrecord-core --bench stages -- quotes       # one stage (a filter)
//!     cargo bench -p onrecord-core --bench stages -- --quick      # a rough pass
//!
//! The article is synthetic: built here, deterministically, from the sentences below (written
//! for this file; no corpus text), about 50 KB with a title, paragraphs, direct quotes with
//! curly and straight marks, quotes that run over several paragraphs, nested quotes, reported
//! speech, "according to" attributions, dates and some non-ASCII text. `extract` also runs on
//! a ten times larger article: equal throughput at both sizes means linear time.
//!
//! Stages benched, in pipeline order (`Analysis::run`), each on the output of the stages
//! before it, computed once outside the timed loop (see `Prepared`): input decoding
//! (`input::read_documents`, done by the CLI before the pipeline), `analysis::paragraphs`,
//! `segment::segment`, `tag::tag`, `quotes::find`, `attribution::attribute` (cues,
//! sources, contents), `resolve::resolve` (entities, speakers), `judge::apply` (scores and
//! filters the candidates), `dates::find`, the contract
//! conversion (`Extraction::from_analysis`), and the whole `extract`.
//!
//! Keep this list in step with `Analysis::run`: a stage added there (or a signature
//! changed) needs its line in `stages()` below. Loading the models is start-up, paid once
//! per process: it happens in `Prepared::new`, outside the timings (`bench/speed.sh
//! --stress` reports it).
//!
//! Numbers for docs/PERFORMANCE.md: `bench/speed.sh --stages --markdown` on a quiet machine
//! (runs these benches and prints the medians in MB/s, 10^6 bytes, with each stage's share).

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use onrecord_core::analysis::{self, Analysis, Attribution, Sentence, Token};
use onrecord_core::input::{self, InputOptions};
use onrecord_core::judge::{self, Judge};
use onrecord_core::quotes::Quotation;
use onrecord_core::{attribution, dates, quotes, resolve, segment, tag};
use onrecord_core::{Date, Document, Extraction, Span};
use std::hint::black_box;
use std::time::Duration;

const NAMES: &[&str] = &[
    "Elena Marsh",
    "Victor Osei",
    "Dana Whitlock",
    "Rui Tanaka",
    "Marguerite Oyelaran",
    "Tobias Fenwick",
    "Anneliese Vogt",
    "Carlos Ibáñez",
    "Nadia Kherbache",
    "Grant Lowell",
];
const ROLES: &[&str] = &[
    "Sen.",
    "Gov.",
    "Mayor",
    "Rep.",
    "the treasurer",
    "a spokesman for the campaign,",
    "the commission's chair,",
    "Judge",
];
const GROUPS: &[&str] = &[
    "the Budget Office",
    "the Port Commission",
    "the county sheriff's department",
    "Lakeshore Hospital",
    "the teachers' union",
    "the state Supreme Court",
    "the Clearwater Water District",
    "the Federal Highway Administration",
];
const CUES: &[&str] = &[
    "said",
    "told reporters",
    "added",
    "said in an interview",
    "wrote",
    "argued",
    "recalled",
    "said Tuesday",
    "warned",
    "told the committee",
];
const CLAIMS: &[&str] = &[
    "We are not going to balance this budget on the backs of retirees",
    "The bridge will reopen when the engineers say it is safe, and not a day sooner",
    "I don't think anyone in this room read the contract before voting on it",
    "Frankly, the numbers were wrong from the start",
    "This is the third time the deadline has slipped since March",
    "Our members have been working without a contract for two years",
    "Nobody — and I mean nobody — saw that coming",
    "It's a good day for the people of this county",
    "We will appeal, and we expect to win",
    "The report speaks for itself",
    "Voters deserve to know where the money went",
    "There is simply no evidence of that",
];
const FACTS: &[&str] = &[
    "The measure passed 7-2 after a four-hour debate.",
    "Turnout in the primary was the lowest since 1998.",
    "The project, first proposed in 2011, has cost $4.2 million so far.",
    "Officials declined to say how many inspectors had been hired.",
    "The hearing was adjourned until next week.",
    "The agency's budget grew by 12 percent last year.",
    "Construction crews worked through the weekend to clear the site.",
    "The café on Rue Saint-Denis stayed open during the protest.",
];
const DATES: &[&str] = &[
    "on Monday",
    "on Wednesday",
    "last week",
    "on March 3",
    "in January 2016",
    "yesterday",
    "on Sept. 12, 2016",
    "earlier this month",
    "on Friday night",
    "two weeks ago",
];
const THAT: &[&str] = &[
    "the plan would raise property taxes",
    "the audit had found no wrongdoing",
    "the vote should be delayed until the fall",
    "the company had misled regulators",
    "more officers would be on patrol by summer",
];

/// A small deterministic generator (64-bit LCG), so that every run benches the same text.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next() % xs.len()]
    }
}

fn sentence(r: &mut Lcg, out: &mut String) {
    let (name, role, group) = (r.pick(NAMES), r.pick(ROLES), r.pick(GROUPS));
    let (cue, claim, date) = (r.pick(CUES), r.pick(CLAIMS), r.pick(DATES));
    let s = match r.next() % 10 {
        0 => format!("“{claim},” {name} {cue}."),
        1 => format!("\"{claim},\" {cue} {role} {name}."),
        2 => format!("{name}, {role} {cue} {date}: “{claim}.”"),
        3 => format!("{name} {cue} {date} that {}.", r.pick(THAT)),
        4 => format!("According to {group}, {}.", r.pick(THAT)),
        5 => format!("“{claim},” {name} {cue}. “{}.”", r.pick(CLAIMS)),
        6 => format!(
            "{name} called the decision “{}” and said {}.",
            "a mistake",
            r.pick(THAT)
        ),
        7 => format!("“When I asked him, he said ‘{claim},’ and left,” {name} recalled."),
        _ => r.pick(FACTS).to_string(),
    };
    out.push_str(&s);
}

/// A synthetic news article of about `size` bytes.
fn article(size: usize, seed: u64) -> String {
    let mut r = Lcg(seed);
    let mut text = String::with_capacity(size + 1024);
    text.push_str("Council Delays Vote on Harbor Bridge as Costs Climb\n\n");
    while text.len() < size {
        match r.next() % 12 {
            // a quote that runs over two paragraphs: the first is not closed
            0 => {
                text.push_str(&format!("“{}. ", r.pick(CLAIMS)));
                sentence(&mut r, &mut text);
                text.push_str(&format!(
                    "\n\n“{},” {} {}.",
                    r.pick(CLAIMS),
                    r.pick(NAMES),
                    r.pick(CUES)
                ));
            }
            _ => {
                for i in 0..1 + r.next() % 4 {
                    if i > 0 {
                        text.push(' ');
                    }
                    sentence(&mut r, &mut text);
                }
            }
        }
        text.push_str("\n\n");
    }
    text
}

fn date() -> Date {
    Date::new(2016, 9, 12).expect("a valid date")
}

/// The inputs of each stage, computed once outside the timed loops.
struct Prepared {
    text: String,
    doc: Document,
    region: Span,
    paragraphs: Vec<Span>,
    /// As segmentation leaves them, before tagging.
    untagged: Vec<Token>,
    tokens: Vec<Token>,
    sentences: Vec<Sentence>,
    quotations: Vec<Quotation>,
    /// As attribution leaves them, before resolution.
    attributions: Vec<Attribution>,
    /// Every stage run but the judge: what the judge takes.
    unjudged: Analysis,
    analysis: Analysis,
}

impl Prepared {
    fn new(size: usize) -> Prepared {
        let text = article(size, 0x5eed);
        let doc = Document::from_text("bench", text.clone()).with_date(date());
        let region = Span::new(0, text.len());
        let paragraphs = analysis::paragraphs(&text, region);
        let (untagged, sentences) = segment::segment(&text, &paragraphs);
        let mut tokens = untagged.clone();
        tag::tag(&text, &mut tokens, &sentences);
        let quotations = quotes::find(&text, &paragraphs);
        let attributions = attribution::attribute(&attribution::Input {
            text: &text,
            tokens: &tokens,
            sentences: &sentences,
            quotations: &quotations,
            headline: None,
        });
        let analysis = Analysis::run(&doc);
        let unjudged = Analysis::run_with(&doc, None);
        Prepared {
            text,
            doc,
            region,
            paragraphs,
            untagged,
            tokens,
            sentences,
            quotations,
            attributions,
            unjudged,
            analysis,
        }
    }
}

fn stages(c: &mut Criterion) {
    let p = Prepared::new(50_000);
    let bytes = p.text.len() as u64;
    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::Bytes(bytes))
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    g.bench_function("input::read_documents", |b| {
        let opts = InputOptions::default();
        b.iter(|| input::read_documents(black_box(p.text.as_bytes()), "bench.txt", &opts))
    });
    g.bench_function("analysis::paragraphs", |b| {
        b.iter(|| analysis::paragraphs(black_box(&p.text), p.region))
    });
    g.bench_function("segment::segment", |b| {
        b.iter(|| segment::segment(black_box(&p.text), &p.paragraphs))
    });
    g.bench_function("tag::tag", |b| {
        b.iter_batched_ref(
            || p.untagged.clone(),
            |tokens| tag::tag(black_box(&p.text), tokens, &p.sentences),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("quotes::find", |b| {
        b.iter(|| quotes::find(black_box(&p.text), &p.paragraphs))
    });
    g.bench_function("attribution::attribute", |b| {
        let input = attribution::Input {
            text: &p.text,
            tokens: &p.tokens,
            sentences: &p.sentences,
            quotations: &p.quotations,
            headline: None,
        };
        b.iter(|| attribution::attribute(black_box(&input)))
    });
    g.bench_function("resolve::resolve", |b| {
        let input = resolve::Input {
            text: &p.text,
            tokens: &p.tokens,
            sentences: &p.sentences,
            quotations: &p.quotations,
        };
        b.iter_batched_ref(
            || p.attributions.clone(),
            |attributions| resolve::resolve(black_box(&input), attributions),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("judge::apply", |b| {
        let judge = Judge::builtin();
        b.iter_batched_ref(
            || p.unjudged.clone(),
            |analysis| judge::apply(judge, black_box(analysis), &p.text),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("dates::find", |b| {
        b.iter(|| dates::find(black_box(&p.text), p.region, Some(date())))
    });
    g.bench_function("Extraction::from_analysis", |b| {
        b.iter(|| Extraction::from_analysis(&p.doc, black_box(&p.analysis)))
    });
    g.finish();
}

fn whole(c: &mut Criterion) {
    let mut g = c.benchmark_group("extract");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for size in [50_000, 500_000] {
        let p = Prepared::new(size);
        g.throughput(Throughput::Bytes(p.text.len() as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{}KB", size / 1000)),
            &p.doc,
            |b, doc| b.iter(|| onrecord_core::extract(black_box(doc))),
        );
    }
    g.finish();
}

/// Not timed: the generated article must look like one to the pipeline, or the numbers
/// mean little. Printed once so that a reader sees what was benched.
fn describe(_: &mut Criterion) {
    let p = Prepared::new(50_000);
    let a = &p.analysis;
    let non_ascii = p.text.chars().filter(|c| !c.is_ascii()).count();
    eprintln!(
        "synthetic article: {} bytes, {} non-ASCII chars, {} paragraphs, {} sentences, {} tokens, \
         {} quotations, {} attributions, {} entities, {} dates",
        p.text.len(),
        non_ascii,
        a.paragraphs.len(),
        a.sentences.len(),
        a.tokens.len(),
        a.quotations.len(),
        a.attributions.len(),
        a.entities.len(),
        a.dates.len()
    );
}

criterion_group!(benches, describe, stages, whole);
criterion_main!(benches);
