//! Measures how strongly one staff correction should count ([`classifier::CORRECTION_WEIGHT`]).
//!
//! `cargo run --release -p classifier --example correction_weight [-- TRAIN.csv HELDOUT.csv]`
//! (defaults: the crate's `data/train.csv` and `data/heldout.csv`).
//!
//! For 40 held-out tickets spread over the file, staff "correct" the ticket to the category the
//! model ranks second (a plausible disagreement). For each candidate weight the model is retrained
//! on TRAIN.csv plus that one correction, and two things are counted:
//! - *follows*: a near-identical new ticket (the same text with its last word replaced by
//!   "today") now gets the corrected category;
//! - *swings*: of 300 other held-out tickets, how many changed their answer.

use classifier::{Category, Classifier, parse_corpus};

fn read(path: &str) -> Vec<(String, Category)> {
    let csv = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_corpus(&csv).unwrap_or_else(|e| panic!("{path}:{}: {}", e.line, e.message))
}

fn near_identical(text: &str) -> String {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 3 {
        words.pop();
    }
    words.push("today");
    words.join(" ")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    let train = read(args.first().map_or(&format!("{dir}/train.csv"), |a| a));
    let held = read(args.get(1).map_or(&format!("{dir}/heldout.csv"), |a| a));
    let base = Classifier::train(train.iter().map(|(t, c)| (t.as_str(), *c)));
    let step = (held.len() / 40).max(1);
    let corrected: Vec<usize> = (0..held.len()).step_by(step).take(40).collect();
    let others: Vec<usize> = (0..held.len()).filter(|i| i % step != 0).step_by(2).take(300).collect();
    let base_answers: Vec<Category> = others.iter().map(|&i| base.classify(&held[i].0).category).collect();
    println!(
        "train {} examples, {} corrections tried, {} other tickets watched",
        train.len(),
        corrected.len(),
        others.len()
    );
    println!("{:>6} {:>10} {:>18} {:>16}", "weight", "follows", "swings (mean/300)", "swings (max)");
    for weight in [1.0, 2.0, 4.0, 6.0, 8.0, 12.0, 16.0, 32.0] {
        let (mut follows, mut swings, mut max_swing) = (0usize, 0usize, 0usize);
        for &i in &corrected {
            let text = &held[i].0;
            let p = base.probabilities(text);
            let mut order = Category::ALL;
            order.sort_by(|a, b| p[b.index()].total_cmp(&p[a.index()]));
            let correction = order[1];
            let model = Classifier::train_weighted(
                train.iter().map(|(t, c)| (t.as_str(), *c, 1.0)).chain([(text.as_str(), correction, weight)]),
            );
            follows += usize::from(model.classify(&near_identical(text)).category == correction);
            let swung = others
                .iter()
                .zip(&base_answers)
                .filter(|&(&j, &answer)| model.classify(&held[j].0).category != answer)
                .count();
            swings += swung;
            max_swing = max_swing.max(swung);
        }
        println!(
            "{weight:>6} {:>10} {:>18.2} {:>16}",
            format!("{follows}/{}", corrected.len()),
            swings as f64 / corrected.len() as f64,
            max_swing
        );
    }
}
