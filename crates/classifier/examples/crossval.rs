//! Cross-validation of the learning methods on a labelled CSV file (default: the bundled
//! `data/train.csv`; never point it at `data/heldout.csv` to tune).
//!
//! `cargo run --release -p classifier --example crossval -- [FILE.csv] [--by genre|batch|fold]
//! [--all] [-v] [--test TEST.csv]`
//!
//! - `--by genre` (the default when the file has a `genre` column): leave-one-genre-out. For each
//!   genre, train on every other genre and test on it: how the model does on a kind of text it
//!   never saw. The figure models are chosen by is the **mean macro-F1 over genres**.
//! - `--by batch`: leave-one-batch-out, the same over the writing batches (`batch` column).
//! - `--by fold`: five folds by position (example `i` is in fold `i mod 5`), as before the corpus
//!   had tags; measures memory of the corpus's own style more than generalisation.
//! - `--test TEST.csv`: train on all of FILE.csv and score TEST.csv instead.
//! - `--withhold F` (0 to 1): before training, delete from every training text the words (runs
//!   of letters, compared lower-cased) whose FNV-1a hash falls in the lowest fraction `F` of the
//!   hash range; test texts keep them. About `F` of the vocabulary is then unseen in training, as
//!   the words of other writers and organisations are: it measures how a model copes with words
//!   its corpus lacks. The models here are chosen by the mean of the plain and the `--withhold
//!   0.3` leave-one-genre-out figures.
//!
//! Prints one line per method: the mean macro-F1 over groups, the pooled accuracy, macro-F1,
//! log-loss and expected calibration error, the mean training time, then each group's macro-F1.
//! `--all` tries every candidate setting (otherwise the shipped method and the best of each
//! family); `-v` prints the full pooled report of the shipped method. Groups are trained two at a
//! time (one thread per core on the 2-core reference machine).

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use classifier::{Category, Classifier, Evaluation, Example, Method, parse_examples};

/// How examples are split into a test group and its training set.
#[derive(Clone, Copy, PartialEq)]
enum Split {
    Genre,
    Batch,
    Fold,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all = args.iter().any(|a| a == "--all");
    let verbose = args.iter().any(|a| a == "-v");
    let value_of = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let test_path = value_of("--test");
    let withhold: f64 = match value_of("--withhold").map(|v| v.parse::<f64>()) {
        None => 0.0,
        Some(Ok(f)) if (0.0..=1.0).contains(&f) => f,
        Some(_) => {
            eprintln!("--withhold takes a fraction from 0 to 1");
            return ExitCode::from(2);
        }
    };
    let by = value_of("--by");
    let path = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with('-')
                && (*i == 0 || !matches!(args[i - 1].as_str(), "--test" | "--by" | "--withhold"))
        })
        .map(|(_, a)| a)
        .cloned()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/data/train.csv").to_owned());
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .map_err(|e| format!("{path}: {e}"))
            .and_then(|csv| parse_examples(&csv).map_err(|e| format!("{path}:{}: {}", e.line, e.message)))
    };
    let (corpus, test) = match (read(&path), test_path.as_deref().map(read).transpose()) {
        (Ok(corpus), Ok(test)) => (corpus, test),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let split = match by.as_deref() {
        Some("genre") => Split::Genre,
        Some("batch") => Split::Batch,
        Some("fold") => Split::Fold,
        None if corpus.iter().all(|e| e.genre.is_some()) => Split::Genre,
        None => Split::Fold,
        Some(other) => {
            eprintln!("--by takes genre, batch or fold, not {other:?}");
            return ExitCode::from(2);
        }
    };
    let mut methods = vec![
        Method::DEFAULT,
        Method::ComplementNaiveBayes { alpha: 0.1 },
        Method::Logistic { lambda: 1e-5, embedding: 0.5 },
    ];
    if all {
        methods = vec![Method::NaiveBayes { alpha: 0.1 }];
        methods.extend([0.03, 0.1, 0.3].map(|alpha| Method::ComplementNaiveBayes { alpha }));
        methods.extend([1e-5, 1e-4].map(|lambda| Method::Logistic { lambda, embedding: 0.0 }));
        methods.push(Method::Logistic { lambda: 1e-5, embedding: 0.5 });
        for lambda in [1e-5, 1e-4] {
            methods.extend([0.2, 0.3, 0.5].map(|weight| Method::Blend { alpha: 0.1, lambda, weight }));
        }
    }
    methods.dedup();
    let groups = match &test {
        Some(test) => {
            println!(
                "trained on {path} ({}), tested on {} ({})",
                corpus.len(),
                test_path.unwrap_or_default(),
                test.len()
            );
            vec![("test".to_owned(), corpus.iter().collect(), test.iter().collect())]
        }
        None => {
            let groups = groups(&corpus, split);
            let kind = match split {
                Split::Genre => "leave-one-genre-out",
                Split::Batch => "leave-one-batch-out",
                Split::Fold => "5-fold",
            };
            println!("{path}: {} examples, {kind} over {} groups", corpus.len(), groups.len());
            groups
        }
    };
    let names: Vec<&str> = groups.iter().map(|g| g.0.as_str()).collect();
    println!(
        "{:<46} {:>6} {:>8} {:>8} {:>8} {:>6} {:>8}  per group: {}",
        "method",
        "mean F1",
        "accuracy",
        "macro-F1",
        "log-loss",
        "ECE",
        "train ms",
        names.join(" | ")
    );
    for method in methods {
        let started = Instant::now();
        let results = run(method, &groups, withhold);
        let millis = started.elapsed().as_secs_f64() * 1000.0 / groups.len() as f64;
        let mut pooled = Evaluation::default();
        let per_group: Vec<f64> = results.iter().map(|e| e.macro_f1()).collect();
        for e in results {
            pooled.merge(e);
        }
        let mean = per_group.iter().sum::<f64>() / per_group.len().max(1) as f64;
        println!(
            "{:<46} {:>6.3} {:>8.3} {:>8.3} {:>8.3} {:>6.3} {:>8.0}  {}",
            format!("{method:?}"),
            mean,
            pooled.accuracy(),
            pooled.macro_f1(),
            pooled.log_loss(),
            pooled.expected_calibration_error(),
            millis,
            per_group.iter().map(|f| format!("{f:.3}")).collect::<Vec<_>>().join(" | ")
        );
        if verbose && method == Method::DEFAULT {
            println!("{}", pooled.report(20));
        }
    }
    ExitCode::SUCCESS
}

/// (name, training examples, test examples) for each group of `split`.
type Group<'a> = (String, Vec<&'a Example>, Vec<&'a Example>);

fn groups(corpus: &[Example], split: Split) -> Vec<Group<'_>> {
    let key = |i: usize, e: &Example| match split {
        Split::Genre => e.genre.clone().unwrap_or_else(|| "(none)".into()),
        Split::Batch => e.batch.clone().unwrap_or_else(|| "(none)".into()),
        Split::Fold => format!("fold {}", i % 5),
    };
    let mut names: BTreeMap<String, ()> = BTreeMap::new();
    for (i, e) in corpus.iter().enumerate() {
        names.insert(key(i, e), ());
    }
    names
        .into_keys()
        .map(|name| {
            let (test, train): (Vec<_>, Vec<_>) =
                corpus.iter().enumerate().partition(|(i, e)| key(*i, e) == name);
            (name, train.into_iter().map(|p| p.1).collect(), test.into_iter().map(|p| p.1).collect())
        })
        .collect()
}

/// Trains `method` for every group (two at a time, training texts without the `withhold`
/// fraction of words) and evaluates it on the group's test set.
fn run(method: Method, groups: &[Group<'_>], withhold: f64) -> Vec<Evaluation> {
    let evaluate = |(_, train, test): &Group<'_>| {
        let texts: Vec<String> = train.iter().map(|e| without_withheld(&e.text, withhold)).collect();
        let model = Classifier::train_with(
            method,
            train.iter().zip(&texts).map(|(e, text)| (text.as_str(), e.category, 1.0)),
        );
        let test: Vec<(String, Category)> = test.iter().map(|e| (e.text.clone(), e.category)).collect();
        Evaluation::of(&model, &test)
    };
    let mut out = Vec::with_capacity(groups.len());
    for pair in groups.chunks(2) {
        std::thread::scope(|scope| {
            let handles: Vec<_> = pair.iter().map(|g| scope.spawn(move || evaluate(g))).collect();
            for handle in handles {
                out.push(handle.join().unwrap_or_default());
            }
        });
    }
    out
}

/// `text` without the words (runs of letters) whose lower-cased FNV-1a 64-bit hash is below
/// `fraction` of the hash range.
fn without_withheld(text: &str, fraction: f64) -> String {
    if fraction <= 0.0 {
        return text.to_owned();
    }
    let limit = (fraction * u64::MAX as f64) as u64;
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let hash = word
            .to_lowercase()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
        if word.is_empty() || hash >= limit {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
