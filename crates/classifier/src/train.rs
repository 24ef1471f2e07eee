//! Training: turning weighted examples into feature vectors, the three learners (multinomial
//! naive Bayes, complement naive Bayes, L2-regularised softmax regression fitted by L-BFGS), and
//! the temperature calibration. Formulas and sources are in the docs of [`crate::Method`].

use std::collections::VecDeque;

use domain::Category;

use crate::features::{Words, word_hash};

/// Weighted training examples as sparse vectors over a sorted feature vocabulary.
pub(crate) struct Prepared {
    /// Feature hashes, sorted ascending and distinct; a feature's row is its position here.
    pub(crate) keys: Vec<u64>,
    /// Example `i`'s entries are `offsets[i]..offsets[i + 1]` of `cols` / `tf`.
    pub(crate) offsets: Vec<usize>,
    /// Feature rows, ascending within an example.
    pub(crate) cols: Vec<u32>,
    /// Summed occurrence weights (term frequency) of each entry.
    pub(crate) tf: Vec<f64>,
    /// Summed `ln(1 + w)` over the occurrences (weights `w`) of each entry.
    pub(crate) log_tf: Vec<f64>,
    /// Summed `ln(1 + w)²` over the occurrences of each entry (for the vector length).
    pub(crate) log_tf_squares: Vec<f64>,
    /// Category index of each example.
    pub(crate) labels: Vec<usize>,
    /// Weight of each example (> 0).
    pub(crate) weights: Vec<f64>,
    /// Every kept word with its summed example weight and its unigram row, sorted by word.
    pub(crate) words: Vec<(String, f64, u32)>,
}

impl Prepared {
    pub(crate) fn len(&self) -> usize {
        self.labels.len()
    }

    fn entries(&self, i: usize) -> std::ops::Range<usize> {
        self.offsets[i]..self.offsets[i + 1]
    }
}

/// Extracts the features of every example (see [`crate::features`]).
pub(crate) fn prepare(examples: &[(&str, Category, f64)]) -> Prepared {
    let mut words = Words::default();
    let mut occurrences: Vec<(u64, f32)> = Vec::new();
    let mut hashes: Vec<u64> = Vec::new();
    let mut tf: Vec<f64> = Vec::new();
    let mut log_tf: Vec<f64> = Vec::new();
    let mut log_tf_squares: Vec<f64> = Vec::new();
    let mut offsets = vec![0usize];
    let mut vocabulary: Vec<(String, f64)> = Vec::new();
    for &(text, _, weight) in examples {
        words.read(text);
        occurrences.clear();
        words.for_each_feature(|f| occurrences.push((f.hash, f.weight)));
        // A stable sort keeps text order among equal hashes, so sums are reproducible.
        occurrences.sort_by_key(|&(hash, _)| hash);
        for &(hash, w) in &occurrences {
            let (w, l) = (f64::from(w), occurrence_value(w));
            if hashes.len() > offsets[offsets.len() - 1] && hashes.last() == Some(&hash) {
                let last = tf.len() - 1;
                tf[last] += w;
                log_tf[last] += l;
                log_tf_squares[last] += l * l;
            } else {
                hashes.push(hash);
                tf.push(w);
                log_tf.push(l);
                log_tf_squares.push(l * l);
            }
        }
        offsets.push(hashes.len());
        vocabulary.extend((0..words.len()).map(|i| (words.word(i).to_owned(), weight)));
    }
    let mut keys = hashes.clone();
    keys.sort_unstable();
    keys.dedup();
    let row = |hash: u64| keys.binary_search(&hash).map_or(u32::MAX, |r| r as u32);
    let cols = hashes.iter().map(|&h| row(h)).collect();
    vocabulary.sort_by(|a, b| a.0.cmp(&b.0));
    let mut words: Vec<(String, f64, u32)> = Vec::new();
    for (word, weight) in vocabulary {
        match words.last_mut() {
            Some(last) if last.0 == word => last.1 += weight,
            _ => {
                let r = row(word_hash(&word));
                words.push((word, weight, r));
            }
        }
    }
    Prepared {
        keys,
        offsets,
        cols,
        tf,
        log_tf,
        log_tf_squares,
        labels: examples.iter().map(|(_, c, _)| c.index()).collect(),
        weights: examples.iter().map(|(_, _, w)| *w).collect(),
        words,
    }
}

/// Smoothed inverse document frequency of every feature, documents counted with their weights:
/// `idf_f = ln((1 + N) / (1 + df_f)) + 1` (the smoothed form scikit-learn uses; Manning,
/// Raghavan and Schütze 2008, *Introduction to Information Retrieval*, §6.2.1 for the idea).
pub(crate) fn inverse_document_frequency(p: &Prepared) -> Vec<f64> {
    let mut df = vec![0.0f64; p.keys.len()];
    for i in 0..p.len() {
        for e in p.entries(i) {
            df[p.cols[e] as usize] += p.weights[i];
        }
    }
    let n: f64 = p.weights.iter().sum();
    df.into_iter().map(|d| ((1.0 + n) / (1.0 + d)).ln() + 1.0).collect()
}

/// The sublinear term weight `ln(1 + w)` of one feature occurrence of weight `w`; a feature's
/// TF-IDF value is the sum of its occurrences' term weights times its IDF. (Summing per
/// occurrence rather than taking `ln(1 + Σ w)` lets a text be scored in one pass with no
/// grouping; the two differ only for features repeated within one text.)
#[inline]
pub(crate) fn occurrence_value(w: f32) -> f64 {
    f64::from(w).ln_1p()
}

/// Every entry's TF-IDF value, each example scaled to unit Euclidean length, where the length
/// counts every occurrence separately: `sqrt(Σ_occurrences (ln(1 + w) · idf)²)`, exactly as
/// [`crate::Classifier`] computes it when scoring.
pub(crate) fn tfidf_values(p: &Prepared, idf: &[f64]) -> Vec<f64> {
    let mut x: Vec<f64> = p.cols.iter().zip(&p.log_tf).map(|(&c, &l)| l * idf[c as usize]).collect();
    for i in 0..p.len() {
        let r = p.entries(i);
        let norm =
            r.clone().map(|e| p.log_tf_squares[e] * idf[p.cols[e] as usize].powi(2)).sum::<f64>().sqrt();
        if norm > 0.0 {
            x[r].iter_mut().for_each(|v| *v /= norm);
        }
    }
    x
}

/// Per-feature, per-category weighted sums of `x`, and per-category totals.
fn class_sums(p: &Prepared, x: &[f64]) -> (Vec<[f64; 3]>, [f64; 3]) {
    let mut sums = vec![[0.0f64; 3]; p.keys.len()];
    let mut totals = [0.0f64; 3];
    for i in 0..p.len() {
        let (c, w) = (p.labels[i], p.weights[i]);
        for e in p.entries(i) {
            sums[p.cols[e] as usize][c] += w * x[e];
            totals[c] += w * x[e];
        }
    }
    (sums, totals)
}

/// Multinomial naive Bayes weights and log-priors (see [`crate::Method::NaiveBayes`]).
pub(crate) fn naive_bayes(p: &Prepared, alpha: f64) -> (Vec<[f32; 3]>, [f64; 3]) {
    let (counts, totals) = class_sums(p, &p.tf);
    let vocabulary = p.keys.len() as f64;
    let denominators = totals.map(|t| (t + alpha * vocabulary).ln());
    let weights = counts
        .iter()
        .map(|row| std::array::from_fn(|c| ((row[c] + alpha).ln() - denominators[c]) as f32))
        .collect();
    let mut docs = [0.0f64; 3];
    for i in 0..p.len() {
        docs[p.labels[i]] += p.weights[i];
    }
    let total: f64 = docs.iter().sum();
    (weights, docs.map(|d| ((d + 1.0) / (total + 3.0)).ln()))
}

/// Complement naive Bayes weights over TF-IDF values `x` (see
/// [`crate::Method::ComplementNaiveBayes`]); the bias is zero, as in the paper.
pub(crate) fn complement_naive_bayes(p: &Prepared, x: &[f64], alpha: f64) -> (Vec<[f32; 3]>, [f64; 3]) {
    let (sums, totals) = class_sums(p, x);
    let vocabulary = p.keys.len() as f64;
    let all: f64 = totals.iter().sum();
    let denominators: [f64; 3] = std::array::from_fn(|c| (all - totals[c] + alpha * vocabulary).ln());
    let log_theta: Vec<[f64; 3]> = sums
        .iter()
        .map(|row| {
            let total: f64 = row.iter().sum();
            std::array::from_fn(|c| (total - row[c] + alpha).ln() - denominators[c])
        })
        .collect();
    let mut norms = [0.0f64; 3];
    for row in &log_theta {
        for c in 0..3 {
            norms[c] += row[c].abs();
        }
    }
    let weights = log_theta
        .iter()
        .map(|row| {
            std::array::from_fn(
                |c| if norms[c] > 0.0 { (-row[c] * vocabulary / norms[c]) as f32 } else { 0.0 },
            )
        })
        .collect();
    (weights, [0.0; 3])
}

/// Dense features of the training examples: `values[i * dims..(i + 1) * dims]` belong to
/// example `i` (`dims` may be 0: no dense block).
pub(crate) struct Dense<'a> {
    /// Row-major values, `len() == examples * dims`.
    pub(crate) values: &'a [f32],
    /// Values per example.
    pub(crate) dims: usize,
}

/// Weights of a fitted softmax regression: one row of three per sparse feature, one per dense
/// dimension, and the bias.
pub(crate) struct LogisticWeights {
    pub(crate) sparse: Vec<[f32; 3]>,
    pub(crate) dense: Vec<[f64; 3]>,
    pub(crate) bias: [f64; 3],
}

/// L2-regularised softmax regression over TF-IDF values `x` and the dense block `dense` (see
/// [`crate::Method::Logistic`]), fitted by L-BFGS from zero.
pub(crate) fn logistic(p: &Prepared, x: &[f64], dense: &Dense<'_>, lambda: f64) -> LogisticWeights {
    let features = p.keys.len();
    let dims = dense.dims;
    let total_weight: f64 = p.weights.iter().sum();
    let scale: Vec<f64> = p.weights.iter().map(|w| w / total_weight.max(f64::MIN_POSITIVE)).collect();
    let mut objective = |theta: &[f64], grad: &mut [f64]| -> f64 {
        grad.iter_mut().for_each(|g| *g = 0.0);
        let (w, rest) = theta.split_at(3 * features);
        let (v, b) = rest.split_at(3 * dims);
        let (gw, grest) = grad.split_at_mut(3 * features);
        let (gv, gb) = grest.split_at_mut(3 * dims);
        let mut loss = 0.0;
        for (i, &scale) in scale.iter().enumerate() {
            let range = p.entries(i);
            let row = &dense.values[i * dims..(i + 1) * dims];
            let mut z = [b[0], b[1], b[2]];
            for e in range.clone() {
                let (j, value) = (p.cols[e] as usize * 3, x[e]);
                z[0] += value * w[j];
                z[1] += value * w[j + 1];
                z[2] += value * w[j + 2];
            }
            for (d, &value) in row.iter().enumerate() {
                let value = f64::from(value);
                z[0] += value * v[3 * d];
                z[1] += value * v[3 * d + 1];
                z[2] += value * v[3 * d + 2];
            }
            let max = z[0].max(z[1]).max(z[2]);
            let exp = z.map(|v| (v - max).exp());
            let sum: f64 = exp.iter().sum();
            let y = p.labels[i];
            loss += scale * (max + sum.ln() - z[y]);
            let g: [f64; 3] = std::array::from_fn(|c| scale * (exp[c] / sum - f64::from(u8::from(c == y))));
            for e in range {
                let (j, value) = (p.cols[e] as usize * 3, x[e]);
                gw[j] += g[0] * value;
                gw[j + 1] += g[1] * value;
                gw[j + 2] += g[2] * value;
            }
            for (d, &value) in row.iter().enumerate() {
                let value = f64::from(value);
                gv[3 * d] += g[0] * value;
                gv[3 * d + 1] += g[1] * value;
                gv[3 * d + 2] += g[2] * value;
            }
            for c in 0..3 {
                gb[c] += g[c];
            }
        }
        // The penalty covers every weight but the bias.
        let mut penalty = 0.0;
        let weights = 3 * (features + dims);
        for (g, &value) in grad[..weights].iter_mut().zip(&theta[..weights]) {
            penalty += value * value;
            *g += lambda * value;
        }
        loss + 0.5 * lambda * penalty
    };
    let theta =
        lbfgs(vec![0.0; 3 * (features + dims) + 3], &mut objective, LBFGS_MAX_ITERATIONS, LBFGS_TOLERANCE);
    let (w, rest) = theta.split_at(3 * features);
    let (v, b) = rest.split_at(3 * dims);
    LogisticWeights {
        sparse: w.chunks_exact(3).map(|r| [r[0] as f32, r[1] as f32, r[2] as f32]).collect(),
        dense: v.chunks_exact(3).map(|r| [r[0], r[1], r[2]]).collect(),
        bias: [b[0], b[1], b[2]],
    }
}

/// L2-regularised softmax regression over dense rows only (`rows[i * dims..(i + 1) * dims]` is
/// example `i`), the same objective as [`logistic`] with no sparse block, fitted by L-BFGS from
/// zero. Weights are kept per
/// category (`[V_0, V_1, V_2]`, each `dims` long), so the per-example dot products and gradient
/// updates run over contiguous memory; returns them with the bias.
pub(crate) fn softmax_head(
    rows: &[f32],
    dims: usize,
    labels: &[usize],
    weights: &[f64],
    lambda: f64,
) -> DenseHead {
    let total_weight: f64 = weights.iter().sum();
    let scale: Vec<f64> = weights.iter().map(|w| w / total_weight.max(f64::MIN_POSITIVE)).collect();
    let mut per_category = [vec![0.0f32; dims], vec![0.0f32; dims], vec![0.0f32; dims]];
    let mut gradients = [vec![0.0f32; dims], vec![0.0f32; dims], vec![0.0f32; dims]];
    let mut objective = |theta: &[f64], grad: &mut [f64]| -> f64 {
        for (c, v) in per_category.iter_mut().enumerate() {
            v.iter_mut().zip(&theta[c * dims..(c + 1) * dims]).for_each(|(v, t)| *v = *t as f32);
        }
        gradients.iter_mut().for_each(|g| g.fill(0.0));
        let bias = [theta[3 * dims], theta[3 * dims + 1], theta[3 * dims + 2]];
        let mut gb = [0.0f64; 3];
        let mut loss = 0.0;
        for (i, &scale) in scale.iter().enumerate() {
            let row = &rows[i * dims..(i + 1) * dims];
            let z: [f64; 3] = std::array::from_fn(|c| bias[c] + f64::from(dot(row, &per_category[c])));
            let max = z[0].max(z[1]).max(z[2]);
            let exp = z.map(|v| (v - max).exp());
            let sum: f64 = exp.iter().sum();
            let y = labels[i];
            loss += scale * (max + sum.ln() - z[y]);
            for c in 0..3 {
                let g = scale * (exp[c] / sum - f64::from(u8::from(c == y)));
                gb[c] += g;
                let g = g as f32;
                gradients[c].iter_mut().zip(row).for_each(|(acc, x)| *acc += g * x);
            }
        }
        let mut penalty = 0.0;
        for c in 0..3 {
            for d in 0..dims {
                let t = theta[c * dims + d];
                penalty += t * t;
                grad[c * dims + d] = f64::from(gradients[c][d]) + lambda * t;
            }
            grad[3 * dims + c] = gb[c];
        }
        loss + 0.5 * lambda * penalty
    };
    let theta = lbfgs(vec![0.0; 3 * dims + 3], &mut objective, LBFGS_MAX_ITERATIONS, LBFGS_TOLERANCE);
    DenseHead {
        weights: theta[..3 * dims].to_vec(),
        bias: [theta[3 * dims], theta[3 * dims + 1], theta[3 * dims + 2]],
    }
}

/// A fitted [`softmax_head`]: `weights[c * dims + d]` is category `c`'s weight on dimension `d`.
#[derive(Debug, Clone)]
pub(crate) struct DenseHead {
    pub(crate) weights: Vec<f64>,
    pub(crate) bias: [f64; 3],
}

impl DenseHead {
    /// The weights as one row of three per dimension.
    pub(crate) fn rows(&self) -> Vec<[f64; 3]> {
        let dims = self.weights.len() / 3;
        (0..dims).map(|d| std::array::from_fn(|c| self.weights[c * dims + d])).collect()
    }
}

/// `Σ a_i b_i` in eight independent lanes (so the compiler can keep them in vector registers).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks.remainder().iter().zip(b_chunks.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

const LBFGS_MAX_ITERATIONS: usize = 500;
/// [`lbfgs`] stops when the largest gradient component is below this.
const LBFGS_TOLERANCE: f64 = 1e-5;
/// Number of correction pairs L-BFGS keeps.
const LBFGS_MEMORY: usize = 8;

/// Minimises a smooth function from `x` with limited-memory BFGS: the two-loop recursion of
/// Nocedal and Wright 2006, *Numerical Optimization* (2nd ed.), Algorithm 7.4 (initial Hessian
/// `γ I`, eq. 7.20), with a backtracking line search on the Armijo condition (ibid. Algorithm
/// 3.1, `c1 = 1e-4`). `f(x, grad)` returns the value and writes the gradient. Deterministic.
fn lbfgs(
    mut x: Vec<f64>,
    f: &mut impl FnMut(&[f64], &mut [f64]) -> f64,
    max_iter: usize,
    tol: f64,
) -> Vec<f64> {
    let n = x.len();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    let mut history: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::new();
    let (mut d, mut x_new, mut g_new) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut alphas = Vec::with_capacity(LBFGS_MEMORY);
    for _ in 0..max_iter {
        if g.iter().all(|v| v.abs() < tol) {
            break;
        }
        // Two-loop recursion: d = -H g.
        d.copy_from_slice(&g);
        alphas.clear();
        for (s, y, rho) in history.iter().rev() {
            let a = rho * dot(s, &d);
            d.iter_mut().zip(y).for_each(|(di, yi)| *di -= a * yi);
            alphas.push(a);
        }
        let gamma =
            history.back().map_or(1.0 / dot(&g, &g).sqrt().max(1.0), |(s, y, _)| dot(s, y) / dot(y, y));
        d.iter_mut().for_each(|di| *di *= gamma);
        for ((s, y, rho), a) in history.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(y, &d);
            d.iter_mut().zip(s).for_each(|(di, si)| *di += (a - b) * si);
        }
        d.iter_mut().for_each(|di| *di = -*di);
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            history.clear();
            d.iter_mut().zip(&g).for_each(|(di, gi)| *di = -gi);
            slope = -dot(&g, &g);
        }
        let mut step = 1.0;
        let mut f_new;
        loop {
            x_new.iter_mut().zip(x.iter().zip(&d)).for_each(|(xn, (xi, di))| *xn = xi + step * di);
            f_new = f(&x_new, &mut g_new);
            if f_new <= fx + 1e-4 * step * slope || step < 1e-10 {
                break;
            }
            step *= 0.5;
        }
        let (mut s, mut y) = if history.len() == LBFGS_MEMORY {
            history.pop_front().map(|(s, y, _)| (s, y)).unwrap_or_default()
        } else {
            (vec![0.0; n], vec![0.0; n])
        };
        s.iter_mut().zip(x_new.iter().zip(&x)).for_each(|(si, (a, b))| *si = a - b);
        y.iter_mut().zip(g_new.iter().zip(&g)).for_each(|(yi, (a, b))| *yi = a - b);
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            history.push_back((s, y, 1.0 / sy));
        }
        let converged = fx - f_new <= 1e-10 * fx.abs().max(1.0);
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut g, &mut g_new);
        fx = f_new;
        if converged {
            break;
        }
    }
    x
}

/// The temperature `T` minimising the weighted negative log-likelihood of held-out examples
/// `(raw scores, true category index, weight)` under `softmax(raw / T)` (Guo, Pleiss, Sun and
/// Weinberger 2017, "On Calibration of Modern Neural Networks", ICML, §4.2). The likelihood is
/// convex in `β = 1/T`, so the zero of its derivative `Σ w (E_β[s] - s_y)` (increasing in `β`)
/// is found by bisection on `ln β` over `[1e-4, 1e6]`.
pub(crate) fn fit_temperature(held: &[([f64; 3], usize, f64)]) -> f64 {
    let derivative = |beta: f64| -> f64 {
        held.iter()
            .map(|(s, y, w)| {
                let max = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let exp = s.map(|v| (beta * (v - max)).exp());
                let sum: f64 = exp.iter().sum();
                let expected: f64 = (0..3).map(|c| exp[c] / sum * s[c]).sum();
                w * (expected - s[*y])
            })
            .sum()
    };
    let (mut lo, mut hi) = (1e-4f64.ln(), 1e6f64.ln());
    if derivative(hi.exp()) <= 0.0 {
        return 1.0 / hi.exp();
    }
    if derivative(lo.exp()) >= 0.0 {
        return 1.0 / lo.exp();
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if derivative(mid.exp()) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    1.0 / (0.5 * (lo + hi)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lbfgs_finds_the_minimum_of_a_quadratic() {
        let mut f = |x: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * (x[0] - 3.0);
            g[1] = 20.0 * (x[1] + 1.0);
            (x[0] - 3.0).powi(2) + 10.0 * (x[1] + 1.0).powi(2)
        };
        let x = lbfgs(vec![0.0, 0.0], &mut f, 100, 1e-9);
        assert!((x[0] - 3.0).abs() < 1e-6 && (x[1] + 1.0).abs() < 1e-6, "{x:?}");
    }

    #[test]
    fn temperature_recovers_a_known_scale() {
        // Scores that are exactly 2x the true log-odds are best read with T = 2.
        let mut held = Vec::new();
        for k in 0..300 {
            let truth_logits = [1.0, 0.0, -0.5];
            let probs = {
                let e = truth_logits.map(|v: f64| v.exp());
                let s: f64 = e.iter().sum();
                e.map(|v| v / s)
            };
            // A deterministic sample in proportion to the probabilities.
            let u = (k as f64 + 0.5) / 300.0;
            let y = if u < probs[0] {
                0
            } else if u < probs[0] + probs[1] {
                1
            } else {
                2
            };
            held.push((truth_logits.map(|v| 2.0 * v), y, 1.0));
        }
        let t = fit_temperature(&held);
        assert!((t - 2.0).abs() < 0.1, "{t}");
    }

    #[test]
    fn prepared_examples_sum_repeated_features_and_words() {
        let p = prepare(&[("wifi wifi", Category::It, 2.0), ("lift", Category::Facility, 1.0)]);
        assert_eq!(p.labels, [1, 0]);
        let wifi = p.words.iter().find(|w| w.0 == "wifi").map(|w| w.1);
        assert_eq!(wifi, Some(4.0));
        let unigram = p.keys.binary_search(&word_hash("wifi")).map(|r| r as u32).ok();
        let e = (p.offsets[0]..p.offsets[1]).find(|&e| Some(p.cols[e]) == unigram);
        assert_eq!(e.map(|e| p.tf[e]), Some(2.0));
    }
}
