//! Evaluates the shipped model ([`Classifier::builtin`], trained on `data/train.csv` only) on a
//! labelled CSV file: `cargo run --release -p classifier --example eval -- FILE.csv`.
//!
//! FILE.csv has the header `text,category` (optionally with `genre` and `batch` columns) and
//! categories `facility`, `it` or `services` (RFC 4180 quoting; see
//! `classifier::parse_examples`). Prints accuracy, macro-F1, log-loss, per-category precision /
//! recall / F1 with support, the confusion matrix (rows = true, columns = predicted), the
//! reliability table with the expected calibration error, and the 20 most confident mistakes.
//! When the file has a `genre` column, a table of accuracy and macro-F1 per genre follows (and
//! their unweighted mean). A malformed file prints `FILE.csv:LINE: what is wrong` and exits with
//! status 1; a missing argument or unreadable file exits with status 2.

use std::collections::BTreeMap;
use std::process::ExitCode;

use classifier::{Classifier, Evaluation, parse_examples};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --release -p classifier --example eval -- FILE.csv");
        return ExitCode::from(2);
    };
    let csv = match std::fs::read_to_string(&path) {
        Ok(csv) => csv,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let examples = match parse_examples(&csv) {
        Ok(examples) => examples,
        Err(e) => {
            eprintln!("{path}:{}: {}", e.line, e.message);
            return ExitCode::FAILURE;
        }
    };
    let model = Classifier::builtin();
    println!(
        "{path}: model {:?}, temperature {:.3e}, about {:.1} MB",
        model.method(),
        model.temperature(),
        model.memory_bytes() as f64 / 1e6
    );
    let mut all = Evaluation::default();
    let mut genres: BTreeMap<&str, Evaluation> = BTreeMap::new();
    for e in &examples {
        let probabilities = model.probabilities(&e.text);
        all.add(&e.text, e.category, probabilities);
        if let Some(genre) = &e.genre {
            genres.entry(genre).or_default().add(&e.text, e.category, probabilities);
        }
    }
    print!("{}", all.report(20));
    if !genres.is_empty() {
        println!("\nper genre:\n{:<16} {:>7} {:>9} {:>9}", "genre", "texts", "accuracy", "macro-F1");
        for (genre, e) in &genres {
            println!("{genre:<16} {:>7} {:>9.3} {:>9.3}", e.total(), e.accuracy(), e.macro_f1());
        }
        let mean = genres.values().map(Evaluation::macro_f1).sum::<f64>() / genres.len() as f64;
        println!("{:<16} {:>7} {:>9} {:>9.3}", "mean of genres", examples.len(), "", mean);
    }
    ExitCode::SUCCESS
}
