//! What onrecord-input makes of some inputs, for looking at by eye: every document's
//! metadata and text, every skip with its reason.
//!
//!     cargo run -p onrecord-input --example dump -- page.html crawl.warc.gz dir/

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    for item in onrecord_input::walk(paths, &onrecord_input::Options::default()) {
        match item {
            Ok(d) => {
                let doc = &d.document;
                println!(
                    "== {} [{:?}] id={} date={:?} title={:?} outlet={:?} url={:?} \
                     title_span={:?} body_start={} metadata={:?}",
                    d.source,
                    d.format,
                    doc.id,
                    doc.date,
                    doc.title,
                    doc.outlet,
                    doc.url,
                    doc.title_span,
                    doc.body_start,
                    doc.metadata
                );
                println!("{}", doc.text);
            }
            Err(s) => println!("!! {:?} ({:?}): {s}", s.outcome(), s.reason),
        }
    }
}
