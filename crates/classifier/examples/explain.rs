//! Prints the classifier's working for each command-line argument:
//! `cargo run -p classifier --example explain -- "wifi down in dorm"`.

fn main() {
    let model = classifier::Classifier::builtin();
    for text in std::env::args().skip(1) {
        let e = model.explain(&text);
        println!(
            "{text:?} -> {} ({:.2}) terms {:?}",
            e.prediction.category, e.prediction.confidence, e.prediction.terms
        );
        let p = e.probabilities;
        println!("  facility {:.3}  it {:.3}  services {:.3}", p[0], p[1], p[2]);
        for w in &e.words {
            let c = w.contributions;
            println!("  {:<16} push {:+.2}  [{:.2} {:.2} {:.2}]", w.word, w.push, c[0], c[1], c[2]);
        }
    }
}
