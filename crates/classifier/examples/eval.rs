//! Evaluates the shipped model ([`Classifier::builtin`], trained on `data/train.csv` only) on a
//! labelled CSV file: `cargo run --release -p classifier --example eval -- FILE.csv`.
//!
//! FILE.csv has the header `text,category` and categories `facility`, `it` or `services` (RFC
//! 4180 quoting; see `classifier::parse_corpus`). Prints accuracy, macro-F1, log-loss,
//! per-category precision / recall / F1 with support, the confusion matrix (rows = true,
//! columns = predicted), the reliability table with the expected calibration error, and the 20
//! most confident mistakes. A malformed file prints `FILE.csv:LINE: what is wrong` and exits
//! with status 1; a missing argument or unreadable file exits with status 2.

use std::process::ExitCode;

use classifier::{Classifier, Evaluation, parse_corpus};

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
    let examples = match parse_corpus(&csv) {
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
    print!("{}", Evaluation::of(&model, &examples).report(20));
    ExitCode::SUCCESS
}
