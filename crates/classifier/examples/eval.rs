//! Five-fold cross-validation of the classifier on the bundled corpus (fold k holds out the
//! lines whose 0-based index is k mod 5): accuracy, confusion matrix, how often confident
//! answers are wrong, and mean held-out log-loss.
//!
//! `cargo run -p classifier --example eval` (add `-- -v` to list every miss).

use classifier::{Category, Classifier, builtin_corpus};

fn main() {
    let verbose = std::env::args().any(|a| a == "-v");
    let corpus = builtin_corpus();
    let mut confusion = [[0usize; 3]; 3];
    let (mut confident, mut confident_wrong, mut log_loss) = (0usize, 0usize, 0.0f64);
    for fold in 0..5 {
        let model = Classifier::train(
            corpus.iter().enumerate().filter(|(i, _)| i % 5 != fold).map(|(_, (t, c))| (t.as_str(), *c)),
        );
        for (_, (text, truth)) in corpus.iter().enumerate().filter(|(i, _)| i % 5 == fold) {
            let e = model.explain(text);
            let p = &e.prediction;
            confusion[truth.index()][p.category.index()] += 1;
            log_loss -= e.probabilities[truth.index()].max(1e-12).ln();
            if !p.is_uncertain() {
                confident += 1;
                confident_wrong += usize::from(p.category != *truth);
            }
            if verbose && p.category != *truth {
                println!("miss {truth} -> {} ({:.2}) {text:?} {:?}", p.category, p.confidence, p.terms);
            }
        }
    }
    let total: usize = confusion.iter().flatten().sum();
    let right: usize = (0..3).map(|i| confusion[i][i]).sum();
    println!("examples {total}, 5-fold accuracy {:.3}", right as f64 / total as f64);
    println!("mean log-loss {:.3}", log_loss / total as f64);
    let wrong = total - right;
    println!(
        "confident (>= {}): {confident}, of which wrong {confident_wrong}; uncertain: {}, of which wrong {}",
        classifier::UNCERTAIN_BELOW,
        total - confident,
        wrong - confident_wrong
    );
    println!("confusion (rows = truth, columns = predicted):");
    for c in Category::ALL {
        let row = confusion[c.index()];
        println!("  {:<9} {:>4} {:>4} {:>4}", c.as_str(), row[0], row[1], row[2]);
    }
}
