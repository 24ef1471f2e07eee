//! The model: a linear scorer over hashed word and character n-gram features (trained as
//! logistic regression, complement or multinomial naive Bayes, see [`Method`]), a softmax
//! temperature calibrated on held-out examples, and the explanation of each answer.
//!
//! # Scoring
//!
//! Every method ends in the same shape: a weight row `W_f` (one weight per category) for each
//! training feature `f`, a bias `b`, and a feature transform (raw weighted counts for naive
//! Bayes, length-normalised sublinear TF-IDF otherwise). For a text with feature values `x_f`:
//!
//! ```text
//! score_c(t) = b_c + sum over features f of t seen in training of  x_f * W_fc
//! P(c | t)   = softmax_c(score_c(t) / T)
//! ```
//!
//! Features never seen in training are skipped (they carry no evidence), except that an unseen
//! *word* borrows the unigram of its nearest training word (see [`TYPO_WEIGHT`]). The temperature
//! `T` (Guo, Pleiss, Sun and Weinberger 2017, "On Calibration of Modern Neural Networks", ICML,
//! §4.2) is fitted on a held-out fifth of the training examples, see [`Classifier::train`].

use std::cell::RefCell;
use std::sync::OnceLock;

use domain::Category;

use crate::corpus::builtin_corpus;
use crate::embedding::{DIMS, Embedding, Projection};
use crate::features::Words;
use crate::lookup::{FeatureIndex, Lexicon};
use crate::method::Method;
use crate::train;
use crate::wordpiece::Tokens;

/// Training sets with fewer examples than this are not split for temperature calibration; they
/// use [`Method::default_temperature`].
pub const CALIBRATION_MIN_EXAMPLES: usize = 100;

/// A prediction whose confidence is below this (0.0 to 1.0) is "uncertain": the ticket service
/// should still file it, but it is the one staff are asked to check. With three categories pure
/// guessing gives about 0.33.
///
/// Tuned on the answers of leave-one-genre-out cross-validation with 30 % of the vocabulary
/// withheld from training (`crossval -- --withhold 0.3 -v`; the nearest stand-in here for
/// tickets in words the corpus lacks; `bench/README.md`): at 0.7, 9.8 % of the answers are
/// marked and they hold 63 % of the mistakes (31 % of the marked answers are wrong, 1.9 % of the
/// others); the former 0.6 marked 5.3 % and caught 41 %, 0.8 would mark 15.5 % to catch 77 %.
pub const UNCERTAIN_BELOW: f64 = 0.7;

/// How much one staff correction counts in training, relative to one corpus line (weight 1.0),
/// for callers of [`Classifier::train_weighted`].
///
/// Measured with `cargo run --release -p classifier --example correction_weight`: 40 tickets of
/// `data/heldout.csv` are each re-labelled with the category the model ranks second, the model is
/// retrained on `data/train.csv` (7,060 lines when measured) plus that one correction, and a
/// near-identical new ticket (last word replaced) is classified, while 300 other held-out tickets
/// are watched. Weight 1 made 9 of 40 near-identical tickets follow the correction, 4 made 27,
/// 8 made 34, 12 made 39 and 16 made all 40; meanwhile the 300 other tickets changed 0.72
/// answers on average at weight 12 and 0.75 at 16 (never more than 2 of 300), against 0.88 at
/// 32 (and 0.47 at weight 1: any retraining nudges a few near-tied tickets). 16 is the smallest
/// tried weight where every near-identical ticket followed: the correction wins near its own
/// words and hardly anywhere else. Figures in `bench/README.md`.
pub const CORRECTION_WEIGHT: f64 = 16.0;

/// Spelling tolerance beyond character n-grams: a word never seen in training also counts as
/// the training word one edit away from it that carries the most training weight (a deletion,
/// insertion, substitution or adjacent swap, as in Damerau 1964, "A technique for computer
/// detection and correction of spelling errors", CACM 7(3)), with this weight relative to a
/// seen word's unigram. So `wfi` counts as `wifi` and `moodel` as `moodle` (or `model`, whichever
/// the corpus holds more of). Words under 3 characters are not corrected. Candidates are found
/// through precomputed deletion neighbourhoods (Garbe, SymSpell), not by trying every edit.
pub const TYPO_WEIGHT: f64 = 0.8;

/// The most words [`Prediction::terms`] lists.
pub const MAX_TERMS: usize = 5;

/// A word's push (see [`WordWeight::push`], in calibrated log-odds units) must exceed this to be
/// listed in [`Prediction::terms`], so stray n-gram matches in gibberish are not presented as
/// reasons.
pub const MIN_TERM_PUSH: f64 = 0.1;

/// The classifier's answer for one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The most likely category.
    pub category: Category,
    /// Its calibrated posterior probability, 0.0 to 1.0 (about the corpus share of the category,
    /// near 0.33, when the text says nothing the model knows, e.g. an empty text).
    pub confidence: f64,
    /// The words of the text (lower-cased, as written) that pushed the decision towards
    /// `category` most, strongest first; at most [`MAX_TERMS`], possibly none.
    pub terms: Vec<String>,
}

impl Prediction {
    /// True when `confidence` is below [`UNCERTAIN_BELOW`].
    pub fn is_uncertain(&self) -> bool {
        self.confidence < UNCERTAIN_BELOW
    }
}

/// One kept word of a text and what it contributed, from [`Classifier::explain`].
#[derive(Debug, Clone, PartialEq)]
pub struct WordWeight {
    /// The word, lower-cased (stop words, numbers and one-letter words are not listed).
    pub word: String,
    /// Its contribution to each category's score, indexed by [`Category::index`], already
    /// divided by the temperature (calibrated log-odds units): its unigram, its character
    /// n-grams and half of each bigram it is part of. Only differences between categories matter.
    pub contributions: [f64; 3],
    /// How far it pushed towards the predicted category: its contribution there minus the mean
    /// of its contributions to the other two. Positive = for the prediction.
    pub push: f64,
}

/// Everything behind one [`Prediction`], for staff wondering why.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The prediction itself, exactly as [`Classifier::classify`] gives it.
    pub prediction: Prediction,
    /// Posterior probability of every category, indexed by [`Category::index`]; sums to 1.
    pub probabilities: [f64; 3],
    /// Every kept word of the text, in text order (repeats listed each time).
    pub words: Vec<WordWeight>,
}

/// A trained model. Cheap to share behind an `Arc`; classification takes `&self`.
///
/// Deterministic: the same training examples in the same order give the same model and the
/// same predictions, on every run and platform (no randomness, no hash-map iteration order).
#[derive(Debug, Clone)]
pub struct Classifier {
    method: Method,
    /// Feature hash -> its IDF and weights.
    index: FeatureIndex<Entry>,
    /// Whether features are TF-IDF weighted and the vector length-normalised.
    tfidf: bool,
    /// The IDF a feature never seen in training would have, `ln(1 + N) + 1`.
    unseen_idf: f64,
    /// `b`, indexed by [`Category::index`].
    bias: [f64; 3],
    /// Softmax temperature, > 0.
    temperature: f64,
    /// Training words, for spelling correction.
    lexicon: Lexicon,
    /// Factor of the n-gram scores (with their bias) in the total: 1, or for
    /// [`Method::Blend`] the inverse of the n-gram model's own calibrated temperature.
    ngram_scale: f64,
    /// Whether the model reads the text's embedding.
    embedding: bool,
    /// The embedding part's bias (the blend's head; zero otherwise), added to the total.
    head_bias: [f64; 3],
    /// Each vocabulary token's score on the embedding weights (already multiplied by the
    /// method's embedding scale or weight).
    projection: Projection,
}

/// What the model holds per training feature.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// Inverse document frequency (1 for raw-count methods).
    idf: f32,
    /// `idf · W_f`, indexed by [`Category::index`].
    weights: [f32; 3],
}

/// Buffers reused across calls on one thread, so classifying allocates only the answer.
#[derive(Default)]
struct Scratch {
    words: Words,
    per_word: Vec<[f64; 3]>,
    ranking: Vec<(u32, f64)>,
    tokens: Tokens,
    vector: Vec<f32>,
    /// For each word of `tokens`, the kept word of `words` it is credited to.
    credited: Vec<Option<u32>>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        // Only reachable if a caller re-enters from inside a classification; stay correct.
        Err(_) => f(&mut Scratch::default()),
    })
}

impl Classifier {
    /// The model trained on the corpus bundled with the crate (`data/train.csv`, embedded at
    /// compile time, so no file is read at run time). Trained once per process, then cloned.
    pub fn builtin() -> Self {
        static BUILTIN: OnceLock<Classifier> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let corpus = builtin_corpus();
                Classifier::train(corpus.iter().map(|(text, c)| (text.as_str(), *c)))
            })
            .clone()
    }

    /// A model trained with [`Method::DEFAULT`] on `examples` (text, category), each of weight 1.
    /// Same as [`Classifier::train_weighted`] with all weights 1.0.
    pub fn train<'a>(examples: impl IntoIterator<Item = (&'a str, Category)>) -> Self {
        Self::train_with(Method::DEFAULT, examples.into_iter().map(|(t, c)| (t, c, 1.0)))
    }

    /// A model trained with [`Method::DEFAULT`] on `examples` (text, category, weight): an
    /// example of weight `w` counts `w` times as much as one of weight 1.0 in every sum of the
    /// training objective (fractional weights are exact, not rounded to copies). Use
    /// [`CORRECTION_WEIGHT`] for staff corrections and 1.0 for corpus lines. Examples with a
    /// weight that is not a positive finite number are ignored.
    pub fn train_weighted<'a>(examples: impl IntoIterator<Item = (&'a str, Category, f64)>) -> Self {
        Self::train_with(Method::DEFAULT, examples)
    }

    /// A model trained with `method` on weighted `examples` (see [`Classifier::train_weighted`]).
    ///
    /// With at least [`CALIBRATION_MIN_EXAMPLES`] examples the softmax temperature is calibrated
    /// first: a model is fitted on all examples but every 5th one (by position among the
    /// examples, so a heavy example is held out or kept as a whole, never split into copies),
    /// and the temperature minimising the weighted negative log-likelihood of the held-out
    /// examples is kept. Smaller sets use [`Method::default_temperature`]. Any set works, even an
    /// empty one (every text then gets 1/3 confidence).
    pub fn train_with<'a>(
        method: Method,
        examples: impl IntoIterator<Item = (&'a str, Category, f64)>,
    ) -> Self {
        let examples: Vec<(&str, Category, f64)> =
            examples.into_iter().filter(|&(_, _, w)| w.is_finite() && w > 0.0).collect();
        let embedded = if method.reads_embedding() { embed_all(&examples) } else { Vec::new() };
        let rows = |keep: &dyn Fn(usize) -> bool| -> (Vec<(&str, Category, f64)>, Vec<f32>) {
            let mut chosen = Vec::new();
            let mut vectors = Vec::new();
            for (i, e) in examples.iter().enumerate().filter(|(i, _)| keep(*i)) {
                chosen.push(*e);
                if !embedded.is_empty() {
                    vectors.extend_from_slice(&embedded[i * DIMS..(i + 1) * DIMS]);
                }
            }
            (chosen, vectors)
        };
        let (ngram_scale, temperature) = if examples.len() >= CALIBRATION_MIN_EXAMPLES {
            let is_held_out = |i: usize| i % 5 == 4;
            let (fitting, fitting_embedded) = rows(&|i| !is_held_out(i));
            let model = Self::fit(method, &fitting, &fitting_embedded, 1.0, 1.0);
            let held: Vec<([f64; 3], [f64; 3], usize, f64)> = with_scratch(|scratch| {
                examples
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| is_held_out(*i))
                    .map(|(_, &(text, c, w))| {
                        let (ngrams, embedding) = model.score_parts(text, scratch);
                        (ngrams, embedding, c.index(), w)
                    })
                    .collect()
            });
            // A blend first brings its n-gram scores to log-odds on their own, then weighs the
            // embedding head against them; other methods have one score to calibrate.
            let ngram_scale = if matches!(method, Method::Blend { .. }) {
                let ngrams: Vec<_> = held.iter().map(|&(n, _, c, w)| (n, c, w)).collect();
                1.0 / train::fit_temperature(&ngrams)
            } else {
                1.0
            };
            let combined: Vec<_> = held
                .iter()
                .map(|&(n, e, c, w)| (std::array::from_fn(|k| n[k] * ngram_scale + e[k]), c, w))
                .collect();
            (ngram_scale, train::fit_temperature(&combined))
        } else {
            method.default_scales()
        };
        Self::fit(method, &examples, &embedded, ngram_scale, temperature)
    }

    /// Fits `method` to `examples` (whose unit-length embeddings, when the method reads them,
    /// are `embedded`, [`DIMS`] values per example) and keeps the given n-gram scale and
    /// temperature (no calibration).
    fn fit(
        method: Method,
        examples: &[(&str, Category, f64)],
        embedded: &[f32],
        ngram_scale: f64,
        temperature: f64,
    ) -> Self {
        let prepared = train::prepare(examples);
        let idf = if method.uses_tfidf() { train::inverse_document_frequency(&prepared) } else { Vec::new() };
        let unseen_idf = (1.0 + examples.iter().map(|e| e.2).sum::<f64>()).ln() + 1.0;
        let mut head_bias = [0.0; 3];
        let mut projection = Projection::default();
        let (weights, bias) = match method {
            Method::NaiveBayes { alpha } => train::naive_bayes(&prepared, alpha),
            Method::ComplementNaiveBayes { alpha } => {
                train::complement_naive_bayes(&prepared, &train::tfidf_values(&prepared, &idf), alpha)
            }
            Method::Logistic { lambda, embedding } => {
                let scaled: Vec<f32> = embedded.iter().map(|v| (f64::from(*v) * embedding) as f32).collect();
                let dims = if method.reads_embedding() { DIMS } else { 0 };
                let dense = train::Dense { values: &scaled, dims };
                let fitted =
                    train::logistic(&prepared, &train::tfidf_values(&prepared, &idf), &dense, lambda);
                if dims > 0 {
                    let weights: Vec<[f64; 3]> =
                        fitted.dense.iter().map(|w| w.map(|v| v * embedding)).collect();
                    projection = Embedding::builtin().project(&weights);
                }
                (fitted.sparse, fitted.bias)
            }
            Method::Blend { alpha, lambda, weight } => {
                let labels: Vec<usize> = examples.iter().map(|e| e.1.index()).collect();
                let example_weights: Vec<f64> = examples.iter().map(|e| e.2).collect();
                let head = train::softmax_head(embedded, DIMS, &labels, &example_weights, lambda);
                let weights: Vec<[f64; 3]> = head.rows().iter().map(|w| w.map(|v| v * weight)).collect();
                projection = Embedding::builtin().project(&weights);
                head_bias = head.bias.map(|b| b * weight);
                train::complement_naive_bayes(&prepared, &train::tfidf_values(&prepared, &idf), alpha)
            }
        };
        let entries = prepared.keys.iter().zip(weights).enumerate().map(|(row, (&key, w))| {
            let idf = idf.get(row).copied().unwrap_or(1.0);
            (key, Entry { idf: idf as f32, weights: w.map(|v| (f64::from(v) * idf) as f32) })
        });
        Classifier {
            method,
            index: FeatureIndex::new(entries),
            tfidf: method.uses_tfidf(),
            bias,
            ngram_scale,
            temperature,
            unseen_idf,
            lexicon: Lexicon::new(&prepared.words),
            embedding: method.reads_embedding(),
            head_bias,
            projection,
        }
    }

    /// The method this model was trained with.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The softmax temperature in use (chosen by [`Classifier::train_with`]).
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// An estimate of the heap memory the model holds, in bytes: the capacities of its tables
    /// (feature index, weights, IDF, spelling lexicon), not counting allocator overhead or the
    /// per-thread scratch buffers of classification (a few kilobytes per thread).
    /// With the embedding block, the shared token table (about 7.7 MB, once per process) and
    /// this model's per-token projection (about 0.35 MB) are included.
    pub fn memory_bytes(&self) -> usize {
        let embedding = if self.embedding { Embedding::builtin().memory_bytes() } else { 0 };
        self.index.memory_bytes() + self.lexicon.memory_bytes() + self.projection.memory_bytes() + embedding
    }

    /// Categorises `text`. Never fails: an empty or meaningless text gets a low-confidence
    /// answer (see [`Prediction::is_uncertain`]).
    pub fn classify(&self, text: &str) -> Prediction {
        with_scratch(|scratch| {
            let raw = self.score(text, scratch);
            let probabilities = softmax(raw, self.temperature);
            let category = argmax(probabilities);
            let terms = self.top_terms(scratch, category);
            Prediction { category, confidence: probabilities[category.index()], terms }
        })
    }

    /// The calibrated probability of every category for `text`, indexed by [`Category::index`];
    /// sums to 1. The same figures as [`Explanation::probabilities`], without the explanation.
    pub fn probabilities(&self, text: &str) -> [f64; 3] {
        with_scratch(|scratch| softmax(self.score(text, scratch), self.temperature))
    }

    /// Categorises `text` and shows the working: every category's probability and every word's
    /// contribution. `explain(t).prediction == classify(t)`.
    pub fn explain(&self, text: &str) -> Explanation {
        with_scratch(|scratch| {
            let raw = self.score(text, scratch);
            let probabilities = softmax(raw, self.temperature);
            let category = argmax(probabilities);
            let terms = self.top_terms(scratch, category);
            let words = scratch
                .per_word
                .iter()
                .enumerate()
                .map(|(i, raw)| {
                    let contributions = raw.map(|v| v / self.temperature);
                    WordWeight {
                        word: scratch.words.word(i).to_owned(),
                        contributions,
                        push: push(&contributions, category),
                    }
                })
                .collect();
            Explanation {
                prediction: Prediction { category, confidence: probabilities[category.index()], terms },
                probabilities,
                words,
            }
        })
    }
}

/// The unit-length embeddings of `examples`, row after row ([`DIMS`] values each).
fn embed_all(examples: &[(&str, Category, f64)]) -> Vec<f32> {
    let embedding = Embedding::builtin();
    let mut tokens = Tokens::default();
    let mut vector = [0.0f32; DIMS];
    let mut values = Vec::with_capacity(examples.len() * DIMS);
    for (text, _, _) in examples {
        embedding.embed(text, &mut tokens, &mut vector);
        values.extend_from_slice(&vector);
    }
    values
}

mod score;

use score::{argmax, push, softmax};
#[cfg(test)]
mod tests;
