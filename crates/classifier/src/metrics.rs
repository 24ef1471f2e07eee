//! Measuring a model on labelled texts: accuracy, per-category precision / recall / F1,
//! macro-F1, the confusion matrix, log-loss, calibration (reliability table and expected
//! calibration error) and the most confident mistakes.

use std::fmt::Write as _;

use domain::Category;

use crate::model::{Classifier, UNCERTAIN_BELOW};

/// Number of equal-width confidence bins of the reliability table (0.0-0.1, ..., 0.9-1.0).
const BINS: usize = 10;

/// A wrong answer, kept by [`Evaluation`] to show the worst ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    /// The text as given.
    pub text: String,
    /// Its true category.
    pub truth: Category,
    /// The category the model gave.
    pub predicted: Category,
    /// The model's confidence in `predicted`, 0.0 to 1.0.
    pub confidence: f64,
}

/// One row of [`Evaluation::reliability`]: the answers whose confidence fell in `[low, high)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReliabilityBin {
    /// Lower bound of the bin's confidence range.
    pub low: f64,
    /// Upper bound (the last bin includes 1.0).
    pub high: f64,
    /// Answers in the bin.
    pub count: usize,
    /// Their mean confidence (0 when empty).
    pub mean_confidence: f64,
    /// The share of them that was right (0 when empty).
    pub accuracy: f64,
}

/// Accumulated results of classifying labelled texts: add answers with [`Evaluation::add`]
/// (or build one with [`Evaluation::of`]), merge folds with [`Evaluation::merge`], then read
/// the figures or print [`Evaluation::report`].
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// `confusion[truth][predicted]`, indexed by [`Category::index`] (rows = true category).
    pub confusion: [[usize; 3]; 3],
    log_loss: f64,
    /// Per bin: count, summed confidence, right answers.
    bins: [(usize, f64, usize); BINS],
    mistakes: Vec<Mistake>,
}

impl Evaluation {
    /// Classifies every `(text, true category)` with `model` and accumulates the results.
    pub fn of(model: &Classifier, examples: &[(String, Category)]) -> Self {
        let mut evaluation = Evaluation::default();
        for (text, truth) in examples {
            evaluation.add(text, *truth, model.probabilities(text));
        }
        evaluation
    }

    /// Records one answer: `probabilities` of every category (indexed by [`Category::index`],
    /// summing to 1) for `text`, whose true category is `truth`. The predicted category is the
    /// most probable one, ties going to the earlier one in [`Category::ALL`].
    pub fn add(&mut self, text: &str, truth: Category, probabilities: [f64; 3]) {
        let mut predicted = Category::ALL[0];
        for c in Category::ALL {
            if probabilities[c.index()] > probabilities[predicted.index()] {
                predicted = c;
            }
        }
        let confidence = probabilities[predicted.index()];
        let right = predicted == truth;
        self.confusion[truth.index()][predicted.index()] += 1;
        self.log_loss -= probabilities[truth.index()].max(1e-15).ln();
        let bin = ((confidence * BINS as f64) as usize).min(BINS - 1);
        self.bins[bin].0 += 1;
        self.bins[bin].1 += confidence;
        self.bins[bin].2 += usize::from(right);
        if !right {
            self.mistakes.push(Mistake { text: text.to_owned(), truth, predicted, confidence });
        }
    }

    /// Adds everything `other` recorded (e.g. the folds of a cross-validation).
    pub fn merge(&mut self, other: Evaluation) {
        for (row, other_row) in self.confusion.iter_mut().zip(other.confusion) {
            for (cell, other_cell) in row.iter_mut().zip(other_row) {
                *cell += other_cell;
            }
        }
        self.log_loss += other.log_loss;
        for (bin, other_bin) in self.bins.iter_mut().zip(other.bins) {
            bin.0 += other_bin.0;
            bin.1 += other_bin.1;
            bin.2 += other_bin.2;
        }
        self.mistakes.extend(other.mistakes);
    }

    /// Number of answers recorded.
    pub fn total(&self) -> usize {
        self.confusion.iter().flatten().sum()
    }

    /// Share of right answers, 0.0 to 1.0 (0 when empty).
    pub fn accuracy(&self) -> f64 {
        ratio((0..3).map(|c| self.confusion[c][c]).sum(), self.total())
    }

    /// Texts whose true category is `c`.
    pub fn support(&self, c: Category) -> usize {
        self.confusion[c.index()].iter().sum()
    }

    /// Of the texts predicted as `c`, the share truly `c` (0 when none was predicted `c`).
    pub fn precision(&self, c: Category) -> f64 {
        let k = c.index();
        ratio(self.confusion[k][k], (0..3).map(|t| self.confusion[t][k]).sum())
    }

    /// Of the texts truly `c`, the share predicted `c` (0 when there are none).
    pub fn recall(&self, c: Category) -> f64 {
        let k = c.index();
        ratio(self.confusion[k][k], self.support(c))
    }

    /// Harmonic mean of [`Evaluation::precision`] and [`Evaluation::recall`] for `c`.
    pub fn f1(&self, c: Category) -> f64 {
        let (p, r) = (self.precision(c), self.recall(c));
        if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 }
    }

    /// Unweighted mean of the three categories' F1 (Manning, Raghavan and Schütze 2008,
    /// *Introduction to Information Retrieval*, §13.6, "macroaveraging").
    pub fn macro_f1(&self) -> f64 {
        Category::ALL.iter().map(|&c| self.f1(c)).sum::<f64>() / 3.0
    }

    /// Mean negative natural log of the probability given to the true category.
    pub fn log_loss(&self) -> f64 {
        if self.total() == 0 { 0.0 } else { self.log_loss / self.total() as f64 }
    }

    /// The reliability table: answers binned by confidence into ten equal-width bins.
    pub fn reliability(&self) -> Vec<ReliabilityBin> {
        self.bins
            .iter()
            .enumerate()
            .map(|(i, &(count, confidence, right))| ReliabilityBin {
                low: i as f64 / BINS as f64,
                high: (i + 1) as f64 / BINS as f64,
                count,
                mean_confidence: if count == 0 { 0.0 } else { confidence / count as f64 },
                accuracy: ratio(right, count),
            })
            .collect()
    }

    /// Expected calibration error over the ten bins of [`Evaluation::reliability`]:
    /// `Σ_bins (n_b / n) |accuracy_b - mean confidence_b|` (Naeini, Cooper and Hauskrecht 2015,
    /// "Obtaining Well Calibrated Probabilities Using Bayesian Binning", AAAI; Guo et al. 2017,
    /// eq. 3). 0 is perfectly calibrated.
    pub fn expected_calibration_error(&self) -> f64 {
        let n = self.total() as f64;
        if n == 0.0 {
            return 0.0;
        }
        self.reliability().iter().map(|b| b.count as f64 / n * (b.accuracy - b.mean_confidence).abs()).sum()
    }

    /// `(answers at or above UNCERTAIN_BELOW, of which wrong, answers below it, of which wrong)`.
    pub fn uncertainty_split(&self) -> (usize, usize, usize, usize) {
        let (mut sure, mut sure_right, mut unsure, mut unsure_right) = (0, 0, 0, 0);
        for b in self.reliability() {
            let right = (b.accuracy * b.count as f64).round() as usize;
            if b.low + 1e-9 >= UNCERTAIN_BELOW {
                sure += b.count;
                sure_right += right;
            } else {
                unsure += b.count;
                unsure_right += right;
            }
        }
        (sure, sure - sure_right, unsure, unsure - unsure_right)
    }

    /// The `n` wrong answers given with the highest confidence, most confident first (ties
    /// keep the order they were added in).
    pub fn worst_mistakes(&self, n: usize) -> Vec<&Mistake> {
        let mut worst: Vec<&Mistake> = self.mistakes.iter().collect();
        worst.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        worst.truncate(n);
        worst
    }

    /// A plain-text report: accuracy, macro-F1, log-loss, per-category precision / recall / F1
    /// and support, the confusion matrix (rows = true, columns = predicted), the reliability
    /// table with the expected calibration error, and the `worst` most confident mistakes
    /// (texts cut to 90 characters).
    pub fn report(&self, worst: usize) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "examples   {}", self.total());
        let _ = writeln!(out, "accuracy   {:.3}", self.accuracy());
        let _ = writeln!(out, "macro-F1   {:.3}", self.macro_f1());
        let _ = writeln!(out, "log-loss   {:.3}", self.log_loss());
        let _ = writeln!(out, "\ncategory   precision  recall     F1  support");
        for c in Category::ALL {
            let _ = writeln!(
                out,
                "{:<9}  {:>9.3}  {:>6.3}  {:>5.3}  {:>7}",
                c.as_str(),
                self.precision(c),
                self.recall(c),
                self.f1(c),
                self.support(c)
            );
        }
        let _ = writeln!(out, "\nconfusion (rows = true, columns = predicted)");
        let _ = writeln!(out, "{:<9}  {:>8}  {:>8}  {:>8}", "", "facility", "it", "services");
        for c in Category::ALL {
            let row = self.confusion[c.index()];
            let _ = writeln!(out, "{:<9}  {:>8}  {:>8}  {:>8}", c.as_str(), row[0], row[1], row[2]);
        }
        let _ = writeln!(out, "\nreliability (confidence bin: answers, mean confidence, accuracy)");
        for b in self.reliability().iter().filter(|b| b.count > 0) {
            let _ = writeln!(
                out,
                "  {:.1}-{:.1}  {:>5}  {:.3}  {:.3}",
                b.low, b.high, b.count, b.mean_confidence, b.accuracy
            );
        }
        let _ = writeln!(out, "expected calibration error {:.3}", self.expected_calibration_error());
        let (sure, sure_wrong, unsure, unsure_wrong) = self.uncertainty_split();
        let _ = writeln!(
            out,
            "confidence >= {UNCERTAIN_BELOW}: {sure} answers, {sure_wrong} wrong; below: {unsure} answers \
             (marked \"please check\"), {unsure_wrong} wrong"
        );
        let mistakes = self.worst_mistakes(worst);
        if !mistakes.is_empty() {
            let _ =
                writeln!(out, "\n{} most confident mistakes (true -> predicted, confidence)", mistakes.len());
            for m in mistakes {
                let one_line = m.text.split_whitespace().collect::<Vec<_>>().join(" ");
                let mut shown: String = one_line.chars().take(90).collect();
                if shown.len() < one_line.len() {
                    shown.push('…');
                }
                let _ = writeln!(
                    out,
                    "  {:<8} -> {:<8} {:.2}  {shown}",
                    m.truth.as_str(),
                    m.predicted.as_str(),
                    m.confidence
                );
            }
        }
        out
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_from_a_small_confusion() {
        let mut e = Evaluation::default();
        // Two facility right, one facility taken for it, one it right, one services taken for it.
        e.add("a", Category::Facility, [0.9, 0.05, 0.05]);
        e.add("b", Category::Facility, [0.7, 0.2, 0.1]);
        e.add("c", Category::Facility, [0.3, 0.6, 0.1]);
        e.add("d", Category::It, [0.1, 0.8, 0.1]);
        e.add("e", Category::Services, [0.05, 0.9, 0.05]);
        assert_eq!(e.total(), 5);
        assert_eq!(e.confusion, [[2, 1, 0], [0, 1, 0], [0, 1, 0]]);
        assert!((e.accuracy() - 0.6).abs() < 1e-12);
        assert!((e.precision(Category::It) - 1.0 / 3.0).abs() < 1e-12);
        assert!((e.recall(Category::Facility) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(e.f1(Category::Services), 0.0);
        let f_fac = 2.0 * 1.0 * (2.0 / 3.0) / (1.0 + 2.0 / 3.0);
        let f_it = 2.0 * (1.0 / 3.0) * 1.0 / (1.0 / 3.0 + 1.0);
        assert!((e.macro_f1() - (f_fac + f_it) / 3.0).abs() < 1e-12);
        let worst: Vec<&str> = e.worst_mistakes(20).iter().map(|m| m.text.as_str()).collect();
        assert_eq!(worst, ["e", "c"]);
        let report = e.report(20);
        assert!(report.contains("macro-F1"), "{report}");
        assert!(report.contains("services  ->") || report.contains("services -> it"), "{report}");
    }

    #[test]
    fn calibration_error_is_zero_when_confidence_matches_accuracy() {
        let mut e = Evaluation::default();
        for k in 0..10 {
            let truth = if k < 7 { Category::It } else { Category::Services };
            e.add("x", truth, [0.1, 0.7, 0.2]);
        }
        assert!(e.expected_calibration_error() < 1e-9);
        let mut merged = Evaluation::default();
        merged.merge(e.clone());
        merged.merge(e);
        assert_eq!(merged.total(), 20);
        assert_eq!(merged.uncertainty_split(), (20, 6, 0, 0));
    }
}
