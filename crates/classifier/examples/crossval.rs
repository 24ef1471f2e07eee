//! Five-fold cross-validation of the learning methods on a labelled CSV file (default: the
//! bundled `data/train.csv`; never point it at `data/heldout.csv` to tune). Fold k holds out the
//! examples whose 0-based position is k mod 5; each method is trained on the other four folds
//! (with its own temperature calibration inside) and scored on the held-out one.
//!
//! `cargo run --release -p classifier --example crossval [-- FILE.csv] [--all] [-v] [--test TEST.csv]`
//!
//! With `--test TEST.csv`, each method is instead trained on all of FILE.csv and scored on
//! TEST.csv (e.g. to train on some writers' texts and test on another's).
//!
//! Prints one line per method: accuracy, macro-F1, log-loss, expected calibration error and
//! the mean training time per fold. `--all` tries every candidate setting (otherwise only the
//! best setting of each family); `-v` prints the full report of the shipped method.

use std::process::ExitCode;
use std::time::Instant;

use classifier::{Category, Classifier, Evaluation, Method, parse_corpus};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all = args.iter().any(|a| a == "--all");
    let verbose = args.iter().any(|a| a == "-v");
    let test_path = args.iter().position(|a| a == "--test").and_then(|i| args.get(i + 1)).cloned();
    let path = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with('-') && (*i == 0 || args[i - 1] != "--test"))
        .map(|(_, a)| a)
        .cloned()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/data/train.csv").to_owned());
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .map_err(|e| format!("{path}: {e}"))
            .and_then(|csv| parse_corpus(&csv).map_err(|e| format!("{path}:{}: {}", e.line, e.message)))
    };
    let corpus = match read(&path) {
        Ok(corpus) => corpus,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let test = match test_path.as_deref().map(read).transpose() {
        Ok(test) => test,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut methods = vec![
        Method::NaiveBayes { alpha: 0.1 },
        Method::ComplementNaiveBayes { alpha: 0.3 },
        Method::Logistic { lambda: 1e-4 },
    ];
    if all {
        methods = [0.03, 0.1, 0.3, 1.0].map(|alpha| Method::NaiveBayes { alpha }).to_vec();
        methods.extend([0.03, 0.1, 0.3, 1.0].map(|alpha| Method::ComplementNaiveBayes { alpha }));
        methods.extend([1e-5, 3e-5, 1e-4, 3e-4, 1e-3].map(|lambda| Method::Logistic { lambda }));
    }
    match (&test_path, &test) {
        (Some(t), Some(test)) => {
            println!("trained on {path} ({}), tested on {t} ({})", corpus.len(), test.len())
        }
        _ => println!("{path}: {} examples, 5-fold cross-validation", corpus.len()),
    }
    println!(
        "{:<40} {:>8} {:>8} {:>8} {:>6} {:>9}",
        "method", "accuracy", "macro-F1", "log-loss", "ECE", "train ms"
    );
    for method in methods {
        let (evaluation, millis) = match &test {
            Some(test) => {
                let started = Instant::now();
                let model = Classifier::train_with(method, corpus.iter().map(|(t, c)| (t.as_str(), *c, 1.0)));
                let millis = started.elapsed().as_secs_f64() * 1000.0;
                (Evaluation::of(&model, test), millis)
            }
            None => cross_validate(method, &corpus),
        };
        println!(
            "{:<40} {:>8.3} {:>8.3} {:>8.3} {:>6.3} {:>9.0}",
            format!("{method:?}"),
            evaluation.accuracy(),
            evaluation.macro_f1(),
            evaluation.log_loss(),
            evaluation.expected_calibration_error(),
            millis
        );
        if verbose && method == Method::DEFAULT {
            println!("{}", evaluation.report(20));
        }
    }
    ExitCode::SUCCESS
}

/// The pooled evaluation of the five folds and the mean training time per fold (ms).
fn cross_validate(method: Method, corpus: &[(String, Category)]) -> (Evaluation, f64) {
    let mut pooled = Evaluation::default();
    let mut millis = 0.0;
    for fold in 0..5 {
        let training =
            corpus.iter().enumerate().filter(|(i, _)| i % 5 != fold).map(|(_, (t, c))| (t.as_str(), *c, 1.0));
        let started = Instant::now();
        let model = Classifier::train_with(method, training);
        millis += started.elapsed().as_secs_f64() * 1000.0 / 5.0;
        let held: Vec<(String, Category)> =
            corpus.iter().enumerate().filter(|(i, _)| i % 5 == fold).map(|(_, e)| e.clone()).collect();
        pooled.merge(Evaluation::of(&model, &held));
    }
    (pooled, millis)
}
