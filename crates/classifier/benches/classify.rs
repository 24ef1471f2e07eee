//! Speed of the shipped model: `cargo bench -p classifier` (release build, criterion).
//!
//! - `classify/short` and `classify/long`: one call of `Classifier::classify` on a one-line and a
//!   paragraph-long description;
//! - `classify/typos`: a short description full of misspellings (the spelling-correction path);
//! - `classify/batch_heldout_10000`: 10,000 texts of `data/heldout.csv` (repeated in file order
//!   if it holds fewer), one after another on one thread; throughput is reported per text;
//! - `train/builtin_corpus`: training on the bundled `data/train.csv`, calibration included.
//!
//! Printed first: the start-up time (the first `Classifier::builtin()` of the process: decoding
//! the bundled embedding table and training on the bundled corpus, calibration included) and
//! the model's estimated memory (`Classifier::memory_bytes`).

use std::hint::black_box;

use classifier::{Classifier, builtin_corpus, parse_corpus};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SHORT: &str = "wifi not working in my dorm room";
const LONG: &str = "Hello, I am writing because since Monday the heating in lecture hall B2 does not work at all \
    and it is freezing during the morning lectures, students sit in their coats. On top of that the \
    projector flickers every few minutes and the microphone cuts out, so the people at the back cannot \
    hear anything. We already told the porter twice but nothing happened. Could someone please have a \
    look this week? The exams start soon and we need the room. Thank you very much, kind regards.";
const TYPOS: &str = "elevatr stuk on 3rd flor, the projecter in hal 2 is brokn and cantine fud discusting";

fn heldout_texts(n: usize) -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/heldout.csv");
    let csv = std::fs::read_to_string(path).expect("data/heldout.csv");
    let held = parse_corpus(&csv).expect("data/heldout.csv parses");
    held.iter().cycle().take(n).map(|(t, _)| t.clone()).collect()
}

fn benches(c: &mut Criterion) {
    let started = std::time::Instant::now();
    let model = Classifier::builtin();
    eprintln!("start-up (table decode + training): {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
    eprintln!("model {:?}: about {} bytes of heap", model.method(), model.memory_bytes());

    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Elements(1));
    group.bench_function("short", |b| b.iter(|| model.classify(black_box(SHORT))));
    group.bench_function("long", |b| b.iter(|| model.classify(black_box(LONG))));
    group.bench_function("typos", |b| b.iter(|| model.classify(black_box(TYPOS))));
    let texts = heldout_texts(10_000);
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.sample_size(20);
    group.bench_function("batch_heldout_10000", |b| {
        b.iter(|| texts.iter().map(|t| model.classify(black_box(t)).confidence).sum::<f64>())
    });
    group.finish();

    let corpus = builtin_corpus();
    let mut group = c.benchmark_group("train");
    group.sample_size(10);
    group.bench_function("builtin_corpus", |b| {
        b.iter(|| Classifier::train(black_box(&corpus).iter().map(|(t, c)| (t.as_str(), *c))))
    });
    group.finish();
}

criterion_group!(classify, benches);
criterion_main!(classify);
