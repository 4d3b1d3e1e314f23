//! `onrecord`: the command line over the onrecord-core pipeline.
//!
//! A thin shell: it finds and reads the inputs, hands their bytes to
//! `onrecord_core::input`, runs the extraction in parallel and prints results on stdout,
//! warnings and errors on stderr.

mod eval_cmd;
mod extract;
mod progress;
mod serve;
mod store_cmd;
mod table;
mod train_cmd;
mod train_judge;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  onrecord extract article.txt              one article, one pretty JSON object
  onrecord extract a.txt b.txt > out.jsonl  several: JSON Lines, in input order
  onrecord extract corpus/                  every .txt/.json/.jsonl/.text file below
  cat feed.jsonl | onrecord extract -       JSON Lines records from stdin
  onrecord extract --format table story.txt who said what, for reading";

#[derive(Parser, Debug)]
#[command(
    name = "onrecord",
    version,
    about = "Who said what, when, according to whom: attributed statements from news articles",
    long_about = "Who said what, when, according to whom: attributed statements from news \
                  articles.\n\nonrecord reads articles and writes down every attributed \
                  statement with its evidence: the quoted or reported content, the cue \
                  (\"said\", \"told\"), the source mention and the speaker it resolves to, \
                  as character offsets into the article (JSON schema \"onrecord/1\").",
    after_help = EXAMPLES,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract attributed statements from articles
    #[command(visible_alias = "x")]
    Extract(extract::ExtractArgs),
    /// Score attribution extraction against PolNeAR gold (same numbers as score.py)
    Eval(eval_cmd::EvalArgs),
    /// Train the models: taggers on PolNeAR's silver layers, the judge on its annotations
    Train(train_cmd::TrainArgs),
    /// The corpus: ingest, reindex, search, speakers, speaker, quote, export, serve
    #[command(flatten)]
    Store(store_cmd::StoreCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Eval(args) => eval_cmd::run(args).map(|()| extract::Status::Ok),
        Command::Train(args) => train_cmd::run(args).map(|()| extract::Status::Ok),
        Command::Store(cmd) => store_cmd::run(cmd),
    };
    match result {
        Ok(extract::Status::Ok) => ExitCode::SUCCESS,
        Ok(extract::Status::InputErrors) => ExitCode::from(2),
        Err(e) => {
            eprintln!("onrecord: error: {e:#}");
            ExitCode::from(1)
        }
    }
}
