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
use crate::features::{Feature, MIN_CORRECTED_LEN, Words};
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

    /// Raw scores (before the temperature) of `text`, indexed by [`Category::index`]; leaves the
    /// text's kept words in `scratch.words` and each word's raw contributions in
    /// `scratch.per_word`.
    fn score(&self, text: &str, scratch: &mut Scratch) -> [f64; 3] {
        let (ngrams, embedding) = self.score_parts(text, scratch);
        std::array::from_fn(|c| ngrams[c] * self.ngram_scale + embedding[c])
    }

    /// The n-gram part (before [`Classifier::ngram_scale`]) and the embedding part of
    /// [`Classifier::score`]; leaves per-word contributions to the total in `scratch.per_word`.
    fn score_parts(&self, text: &str, scratch: &mut Scratch) -> ([f64; 3], [f64; 3]) {
        let Scratch { words, per_word, .. } = scratch;
        words.read(text);
        per_word.clear();
        per_word.resize(words.len(), [0.0; 3]);
        let tfidf = self.tfidf;
        // Sum of the feature scores, and the squared length of the text's TF-IDF vector.
        let mut sum = [0.0f64; 3];
        let mut length = 0.0f64;
        // `ln(1 + w)` of the last weight seen: all character n-grams of a word share one weight.
        let mut last_log = (f32::NAN, 0.0f64);
        let mut value = |w: f32| -> f64 {
            if last_log.0 != w {
                last_log = (w, train::occurrence_value(w));
            }
            last_log.1
        };
        // `x` times the entry's weights (already multiplied by its IDF).
        let mut add = |entry: Entry, x: f64, word: usize, other: Option<usize>, sum: &mut [f64; 3]| {
            let weights = entry.weights;
            for c in 0..3 {
                let contribution = x * f64::from(weights[c]);
                sum[c] += contribution;
                match other {
                    None => per_word[word][c] += contribution,
                    Some(other) => {
                        per_word[word][c] += contribution / 2.0;
                        per_word[other][c] += contribution / 2.0;
                    }
                }
            }
        };
        let index = &self.index;
        words.for_each_feature(|Feature { hash, weight, word, other_word }| {
            let entry = index.get(hash);
            if !tfidf {
                if let Some(entry) = entry {
                    add(entry, f64::from(weight), word, other_word, &mut sum);
                }
                return;
            }
            let v = value(weight);
            match entry {
                Some(entry) => {
                    length += (v * f64::from(entry.idf)).powi(2);
                    add(entry, v, word, other_word, &mut sum);
                }
                // Unseen features carry no evidence but count in the length at the IDF of a
                // feature in no training text, so a text of mostly unknown words gets a modest
                // score rather than a unit-length blow-up of a few stray character n-grams.
                None => length += (v * self.unseen_idf).powi(2),
            }
        });
        for i in 0..words.len() {
            let word = words.word(i);
            let long_enough = word.chars().nth(MIN_CORRECTED_LEN - 1).is_some();
            if long_enough
                && index.get(words.unigram_hash(i)).is_none()
                && let Some(entry) = self.lexicon.correct(word).and_then(|hash| index.get(hash))
            {
                let x = if tfidf {
                    let v = value(TYPO_WEIGHT as f32);
                    length += (v * f64::from(entry.idf)).powi(2);
                    v
                } else {
                    TYPO_WEIGHT
                };
                add(entry, x, i, None, &mut sum);
            }
        }
        let scale = if tfidf && length > 0.0 { 1.0 / length.sqrt() } else { 1.0 };
        let word_scale = scale * self.ngram_scale;
        if word_scale != 1.0 {
            per_word.iter_mut().flatten().for_each(|v| *v *= word_scale);
        }
        let ngrams: [f64; 3] = std::array::from_fn(|c| self.bias[c] + sum[c] * scale);
        let mut embedding = self.head_bias;
        if self.embedding {
            self.add_embedding(text, scratch, &mut embedding);
        }
        (ngrams, embedding)
    }

    /// Adds the embedding block's score of `text` to `scores` and credits each token's share to
    /// the kept word it belongs to (see [`credit_tokens`]).
    fn add_embedding(&self, text: &str, scratch: &mut Scratch, scores: &mut [f64; 3]) {
        let Scratch { words, per_word, tokens, vector, credited, .. } = scratch;
        vector.resize(DIMS, 0.0);
        let Ok(vector) = <&mut [f32; DIMS]>::try_from(vector.as_mut_slice()) else { return };
        let factor = f64::from(Embedding::builtin().embed(text, tokens, vector));
        if factor == 0.0 {
            return;
        }
        credit_tokens(words, tokens, credited);
        for piece in &tokens.pieces {
            let row = self.projection.row(piece.id);
            let share: [f64; 3] = std::array::from_fn(|c| f64::from(row[c]) * factor);
            for c in 0..3 {
                scores[c] += share[c];
            }
            if let Some(word) = credited[piece.word as usize] {
                let target = &mut per_word[word as usize];
                for c in 0..3 {
                    target[c] += share[c];
                }
            }
        }
    }

    /// The distinct words of the last scored text pushing most towards `category`, strongest
    /// first (ties by word).
    fn top_terms(&self, scratch: &mut Scratch, category: Category) -> Vec<String> {
        let Scratch { words, per_word, ranking, .. } = scratch;
        ranking.clear();
        ranking.extend(
            per_word.iter().enumerate().map(|(i, c)| (i as u32, push(c, category) / self.temperature)),
        );
        let word = |i: u32| words.word(i as usize);
        ranking.sort_by(|a, b| word(a.0).cmp(word(b.0)));
        ranking.dedup_by(|later, earlier| {
            let same = word(later.0) == word(earlier.0);
            if same {
                earlier.1 += later.1;
            }
            same
        });
        ranking.retain(|&(_, p)| p > MIN_TERM_PUSH);
        ranking.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| word(a.0).cmp(word(b.0))));
        ranking.iter().take(MAX_TERMS).map(|&(i, _)| word(i).to_owned()).collect()
    }
}

/// `exp(x_c / t) / sum exp(x_k / t)`, computed stably.
fn softmax(raw: [f64; 3], temperature: f64) -> [f64; 3] {
    let scaled = raw.map(|x| x / temperature);
    let max = scaled.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp = scaled.map(|x| (x - max).exp());
    let sum: f64 = exp.iter().sum();
    exp.map(|e| e / sum)
}

/// The most probable category; ties go to the earlier one in [`Category::ALL`].
fn argmax(probabilities: [f64; 3]) -> Category {
    let mut best = Category::ALL[0];
    for c in Category::ALL {
        if probabilities[c.index()] > probabilities[best.index()] {
            best = c;
        }
    }
    best
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

/// Which kept word ([`Words`]) each tokenizer word ([`Tokens`]) belongs to, so the embedding's
/// per-token shares can be listed under the words staff see. The two tokenizers differ (stop
/// words, `wi-fi` -> `wifi`, accents), so a tokenizer word is credited to the next kept word (at
/// most three ahead) that equals it, or that starts or ends with it when it has two or more
/// characters (the parts of a joined compound); otherwise to none (its share still counts in
/// the score).
fn credit_tokens(words: &Words, tokens: &Tokens, credited: &mut Vec<Option<u32>>) {
    credited.clear();
    let mut next = 0usize;
    for i in 0..tokens.words() {
        let piece = tokens.word(i);
        let mut found = None;
        for k in next..words.len().min(next + 3) {
            let word = words.word(k);
            if word == piece {
                found = Some(k);
                next = k + 1;
                break;
            }
            if piece.len() >= 2 && (word.starts_with(piece) || word.ends_with(piece)) {
                found = Some(k);
                next = k;
                break;
            }
        }
        credited.push(found.map(|k| k as u32));
    }
}

fn push(contributions: &[f64; 3], towards: Category) -> f64 {
    let k = towards.index();
    let others: f64 = (0..3).filter(|&c| c != k).map(|c| contributions[c]).sum();
    contributions[k] - others / 2.0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn category(text: &str) -> Category {
        Classifier::builtin().classify(text).category
    }

    #[test]
    fn obvious_examples_of_each_category() {
        let cases = [
            ("The elevator in building B is stuck between floors", Category::Facility),
            ("toilet on the second floor is blocked and flooding", Category::Facility),
            ("radiator in my dorm room is cold", Category::Facility),
            ("cannot connect to eduroam on my laptop", Category::It),
            ("Moodle is down and I cannot submit my assignment", Category::It),
            ("I forgot my password and my account is locked", Category::It),
            ("canteen food is too expensive and cold", Category::Services),
            ("the shuttle bus was late again this morning", Category::Services),
            ("the registrar office never answers my emails", Category::Services),
        ];
        for (text, expected) in cases {
            assert_eq!(category(text), expected, "{text:?}");
        }
    }

    #[test]
    fn confusable_places_decided_by_what_is_wrong() {
        let cases = [
            ("the wifi in the library is down", Category::It),
            ("the library is always closed early", Category::Services),
            ("the library lift is stuck", Category::Facility),
            ("projector in lecture hall 3 does not turn on", Category::It),
            ("lecture hall 3 is freezing, heating off", Category::Facility),
            // Borderline rule (data/README.md): payment hardware faults are IT, prices are services.
            ("canteen card reader rejects my card", Category::It),
            ("canteen prices are a rip-off", Category::Services),
            ("dirty tables and a leaking roof in the canteen", Category::Facility),
        ];
        for (text, expected) in cases {
            let p = Classifier::builtin().classify(text);
            assert_eq!(p.category, expected, "{text:?} -> {p:?}");
        }
    }

    #[test]
    fn survives_typos() {
        let cases = [
            ("wfi not wroking in dorm", Category::It),
            ("the projecter in hal 2 is brokn", Category::It),
            ("elevatr stuk on 3rd flor", Category::Facility),
            ("cantine fud is discusting and to expensiv", Category::Services),
        ];
        for (text, expected) in cases {
            let p = Classifier::builtin().classify(text);
            assert_eq!(p.category, expected, "{text:?} -> {p:?}");
        }
    }

    #[test]
    fn deterministic_across_trainings_and_calls() {
        let text = "the printer on floor 2 is jammed and the heating is off";
        let a = Classifier::builtin().classify(text);
        let corpus = builtin_corpus();
        let retrained = Classifier::train(corpus.iter().map(|(t, c)| (t.as_str(), *c)));
        assert_eq!(retrained.classify(text), a);
        assert_eq!(retrained.temperature(), Classifier::builtin().temperature());
        assert_eq!(Classifier::builtin().classify(text), a);
    }

    #[test]
    fn terms_name_the_deciding_words() {
        let p = Classifier::builtin().classify("The printer in the library prints only blank pages");
        assert_eq!(p.category, Category::It);
        assert!(p.terms.contains(&"printer".to_owned()), "{:?}", p.terms);
        assert!(p.terms.len() <= MAX_TERMS);
        let p = Classifier::builtin().classify(
            "hello, the lift is stuck again and the toilets, the showers and the heating are broken",
        );
        assert_eq!(p.terms.len(), MAX_TERMS, "{:?}", p.terms);
        assert!(p.terms.iter().all(|t| !t.contains(' ')), "whole words only: {:?}", p.terms);
        assert!(!p.terms.iter().any(|t| t == "hello" || t == "the"), "{:?}", p.terms);
    }

    #[test]
    fn misspelt_words_are_reported_as_written() {
        let p = Classifier::builtin().classify("moodel is down");
        assert_eq!(p.category, Category::It);
        assert!(p.terms.contains(&"moodel".to_owned()), "{:?}", p.terms);
        let p = Classifier::builtin().classify("wfi not wroking in dorm");
        assert_eq!(p.terms.first().map(String::as_str), Some("wfi"), "{:?}", p.terms);
    }

    #[test]
    fn confidence_is_a_probability_and_low_for_gibberish() {
        let model = Classifier::builtin();
        for text in ["", "   ", "?!?!", "asdkjh qwpoeiru zxmcnb", "12345 678", "the a of and is"] {
            let p = model.classify(text);
            assert!((0.0..=1.0).contains(&p.confidence), "{text:?}: {p:?}");
            assert!(p.is_uncertain(), "{text:?} should be uncertain: {p:?}");
            assert!(p.confidence < 0.5, "{text:?}: {p:?}");
        }
        let clear = model.classify("no hot water in the dorm showers, and the toilet is blocked");
        assert!((0.0..=1.0).contains(&clear.confidence));
        assert!(!clear.is_uncertain(), "{clear:?}");
        assert!(model.classify("").terms.is_empty());
    }

    #[test]
    fn explanation_matches_classification() {
        let model = Classifier::builtin();
        let text = "the wifi in the library is down again";
        let e = model.explain(text);
        assert_eq!(e.prediction, model.classify(text));
        assert!((e.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let words: Vec<&str> = e.words.iter().map(|w| w.word.as_str()).collect();
        assert_eq!(words, ["wifi", "library", "down"]);
        let wifi = &e.words[0];
        assert!(wifi.push > 0.0, "{wifi:?}");
        let library = &e.words[1];
        assert!(library.push < wifi.push, "{library:?}");
    }

    #[test]
    fn trains_on_a_tiny_custom_set() {
        let model = Classifier::train([
            ("broken chair", Category::Facility),
            ("leaking tap", Category::Facility),
            ("laptop will not boot", Category::It),
            ("password expired", Category::It),
            ("rude cashier", Category::Services),
            ("overpriced sandwiches", Category::Services),
        ]);
        // Too few examples to calibrate: the blend's naive Bayes part is scaled by
        // 1 / DEFAULT_TEMPERATURE and the sum by temperature 1.
        assert_eq!(model.temperature(), 1.0);
        assert_eq!(model.classify("the tap is leaking").category, Category::Facility);
        assert_eq!(model.classify("my password expired yesterday").category, Category::It);
        assert_eq!(model.classify("sandwiches are overpriced").category, Category::Services);
        assert_eq!(model.classify("the cashier").terms, ["cashier"]);
    }

    /// The builtin corpus with weight 1 plus `corrections` (text, category) at
    /// [`CORRECTION_WEIGHT`].
    fn with_corrections(corrections: &[(&str, Category)]) -> Classifier {
        let corpus = builtin_corpus();
        Classifier::train_weighted(
            corpus
                .iter()
                .map(|(t, c)| (t.as_str(), *c, 1.0))
                .chain(corrections.iter().map(|&(t, c)| (t, c, CORRECTION_WEIGHT))),
        )
    }

    #[test]
    fn one_correction_decides_a_near_identical_ticket() {
        let base = Classifier::builtin();
        let cases = [
            "the vending machine in building C swallowed my coins and gave no drink",
            "my dorm room door handle is loose and the wifi router fell off the wall",
            "the lecture hall 2 clock is wrong by ten minutes",
        ];
        for text in cases {
            // Staff disagree with the model and pick its runner-up.
            let p = base.explain(text).probabilities;
            let mut order = Category::ALL;
            order.sort_by(|a, b| p[b.index()].total_cmp(&p[a.index()]));
            let corrected = order[1];
            let model = with_corrections(&[(text, corrected)]);
            let near = format!("{text} today");
            assert_eq!(model.classify(&near).category, corrected, "{near:?} should follow the correction");
        }
    }

    #[test]
    fn one_correction_leaves_unrelated_tickets_alone() {
        let model = with_corrections(&[(
            "the vending machine in building C swallowed my coins and gave no drink",
            Category::Facility,
        )]);
        let unrelated = [
            "cannot connect to eduroam on my laptop",
            "the shuttle bus was late again this morning",
            "canteen food is too expensive and cold",
            "the registrar office never answers my emails",
            "Moodle is down and I cannot submit my assignment",
            "the library is always closed early",
            "projector in lecture hall 3 does not turn on",
        ];
        let base = Classifier::builtin();
        for text in unrelated {
            assert_eq!(model.classify(text).category, base.classify(text).category, "{text:?}");
        }
    }

    #[test]
    fn weights_are_exact_fractions_not_copies() {
        let set = |w: f64| {
            vec![
                ("broken chair", Category::Facility, 1.0),
                ("leaking tap", Category::Facility, 1.0),
                ("laptop will not boot", Category::It, 1.0),
                ("password expired", Category::It, 1.0),
                ("rude cashier chair", Category::Services, w),
                ("overpriced sandwiches", Category::Services, 1.0),
            ]
        };
        let doubled: Vec<_> =
            set(1.0).into_iter().chain([("rude cashier chair", Category::Services, 1.0)]).collect();
        let text = "chair at the cashier";
        let a = Classifier::train_weighted(set(2.0)).probabilities(text);
        let b = Classifier::train_weighted(doubled).probabilities(text);
        assert!(a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9), "{a:?} vs {b:?}");
        let half = Classifier::train_weighted(set(0.5)).probabilities(text);
        let one = Classifier::train_weighted(set(1.0)).probabilities(text);
        assert!(half[2] < one[2] && one[2] < a[2], "{half:?} {one:?} {a:?}");
        // Zero, negative and non-finite weights are ignored.
        let ignored: Vec<_> = set(1.0)
            .into_iter()
            .chain([("chair", Category::It, 0.0), ("chair", Category::It, f64::NAN)])
            .collect();
        assert_eq!(Classifier::train_weighted(ignored).probabilities(text), one);
    }

    #[test]
    fn empty_training_set_gives_uniform_answers() {
        let model = Classifier::train(std::iter::empty());
        let p = model.classify("lift stuck");
        assert!((p.confidence - 1.0 / 3.0).abs() < 1e-9, "{p:?}");
        assert!(p.terms.is_empty());
    }

    /// Sanity bar, not a benchmark (`--example eval` is): the shipped model on
    /// `data/heldout.csv`, which it was not trained on.
    #[test]
    fn held_out_macro_f1() {
        let held = crate::corpus::heldout_corpus().expect("data/heldout.csv is missing");
        let evaluation = crate::Evaluation::of(&Classifier::builtin(), &held);
        println!("{}", evaluation.report(10));
        assert!(evaluation.macro_f1() >= 0.88, "held-out macro-F1 {:.3}", evaluation.macro_f1());
        assert!(evaluation.expected_calibration_error() < 0.08, "{}", evaluation.report(0));
    }
}
