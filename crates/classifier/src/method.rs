//! The learning methods the model can be trained with ([`Method`]) and their chosen settings.

/// Smoothing constant α of the naive Bayes part of [`Method::DEFAULT`]; chosen among 0.03, 0.1
/// and 0.3 by leave-one-genre-out cross-validation on `data/train.csv`, plain and with 30 % of
/// the words withheld from training (`cargo run --release -p classifier --example crossval --
/// --all [--withhold 0.3]`; figures in `bench/README.md`).
pub const ALPHA: f64 = 0.1;

/// L2 penalty λ of the embedding head of [`Method::DEFAULT`] (per unit of mean log-loss, see
/// [`Method::Logistic`]), chosen between 1e-5 and 1e-4 as [`ALPHA`] was.
pub const HEAD_LAMBDA: f64 = 1e-5;

/// Weight of the embedding head's log-odds in [`Method::DEFAULT`], chosen among 0.2, 0.3 and 0.5
/// as [`ALPHA`] was: 0.3 gave the best mean of the two leave-one-genre-out macro-F1 figures.
pub const HEAD_WEIGHT: f64 = 0.3;

/// The L2 penalty λ of [`Method::Logistic`] (n-grams only) that did best in
/// leave-one-genre-out cross-validation; logistic regression is a candidate, not the shipped
/// method (see `bench/README.md`).
pub const LAMBDA: f64 = 1e-5;

/// Softmax temperature [`Method::DEFAULT`] uses when the training set is too small to calibrate
/// one (fewer than [`CALIBRATION_MIN_EXAMPLES`](crate::CALIBRATION_MIN_EXAMPLES) examples); the other methods have their own
/// ([`Method::default_temperature`]). Calibration on the bundled corpus picks about 0.2 (see
/// `bench/README.md`).
pub const DEFAULT_TEMPERATURE: f64 = 0.05;

/// A learning method for [`Classifier::train_with`](crate::Classifier::train_with). All read the same n-gram features (word
/// unigrams, word bigrams and character 3- and 4-grams, see the crate docs); [`Method::Blend`]
/// and [`Method::Logistic`] with `embedding > 0` also read the text's static embedding. All
/// produce one linear scorer (see the `model` module docs); the shipped one is
/// [`Method::DEFAULT`], picked by leave-one-genre-out cross-validation on `data/train.csv`
/// (tables in `bench/README.md`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    /// Multinomial naive Bayes with Lidstone smoothing over raw weighted feature counts, as in
    /// Manning, Raghavan and Schütze 2008, *Introduction to Information Retrieval*, §13.2, and
    /// McCallum and Nigam 1998, "A Comparison of Event Models for Naive Bayes Text
    /// Classification":
    /// `W_fc = ln((N_cf + α) / (N_c + α |V|))`, `b_c = ln((D_c + 1) / (D + 3))`, where `N_cf` is the
    /// example-weighted count of feature `f` in category `c`, `N_c` their sum, `|V|` the number
    /// of features, `D_c` the summed weight of the examples of `c`.
    NaiveBayes {
        /// Smoothing constant α > 0.
        alpha: f64,
    },
    /// Complement naive Bayes with the TF-IDF and length transforms and weight normalisation
    /// of Rennie, Shih, Teevan and Karger 2003, "Tackling the Poor Assumptions of Naive Bayes
    /// Text Classifiers" (ICML), Table 4: with `x` the unit-length sublinear TF-IDF vectors,
    /// `θ_cf = (Σ_{y≠c} x_f + α) / (Σ_{y≠c} Σ_k x_k + α |V|)`, `w_cf = ln θ_cf / Σ_k |ln θ_ck|`,
    /// and `W_fc = -|V| w_cf` (the text goes to the category whose complement fits it worst; the
    /// constant factor `|V|` only brings the scores to a readable scale); no bias.
    ComplementNaiveBayes {
        /// Smoothing constant α > 0.
        alpha: f64,
    },
    /// Multinomial (softmax) logistic regression over unit-length sublinear TF-IDF vectors `x_i`
    /// (`x_f = ln(1 + tf_f) · idf_f`, `idf_f = ln((1 + N) / (1 + df_f)) + 1`), minimising the
    /// example-weighted mean cross-entropy plus an L2 penalty on the weights (not the bias):
    /// `Σ_i w_i (logsumexp(z_i) - z_{i,y_i}) / Σ_i w_i + λ/2 ‖W‖²`, `z_i = Wᵀ x_i + b`, as in Bishop
    /// 2006, *Pattern Recognition and Machine Learning*, §4.3.4, and Jurafsky and Martin,
    /// *Speech and Language Processing* (3rd ed. draft), ch. 5. Fitted by L-BFGS (Nocedal and
    /// Wright 2006, *Numerical Optimization*, Algorithm 7.4) from zero: deterministic.
    ///
    /// With `embedding > 0` the vector of each text also holds its static sentence embedding
    /// (see the `embedding` module: the unit-length mean of the text's token vectors from a
    /// table distilled from all-MiniLM-L6-v2) multiplied by `embedding`, so one linear model
    /// reads both the n-grams and general language knowledge; `embedding` sets how much the
    /// second block weighs against the unit-length first one.
    Logistic {
        /// L2 penalty λ > 0.
        lambda: f64,
        /// Scale β ≥ 0 of the embedding block (0: n-grams only).
        embedding: f64,
    },
    /// Complement naive Bayes over the n-grams (as [`Method::ComplementNaiveBayes`]) blended
    /// with a softmax regression over the text's static embedding alone (the "head", fitted
    /// like [`Method::Logistic`] with penalty `lambda` on the 256 embedding dimensions), added
    /// in log-odds: `score_c = s^CNB_c / T_CNB + weight · (V_c · e + b_c)`, where `T_CNB` is the
    /// temperature that calibrates the naive Bayes scores on their own (on the held-out fifth,
    /// as in [`Classifier::train_with`](crate::Classifier::train_with)); the final temperature then calibrates the sum. A
    /// weighted geometric mean of the two models' probabilities (a product of experts, Hinton
    /// 2002, "Training Products of Experts by Minimizing Contrastive Divergence"): where the
    /// n-grams know the words they decide, where the text's words are new to the corpus the
    /// embedding still places it. Still one linear scorer, so every word's push can be shown.
    Blend {
        /// Smoothing constant α > 0 of the naive Bayes part.
        alpha: f64,
        /// L2 penalty λ > 0 of the embedding head.
        lambda: f64,
        /// Weight of the head's log-odds against the n-grams' (≥ 0).
        weight: f64,
    },
}

impl Method {
    /// The method [`Classifier::train`](crate::Classifier::train) and [`Classifier::builtin`](crate::Classifier::builtin) use.
    pub const DEFAULT: Method = Method::Blend { alpha: ALPHA, lambda: HEAD_LAMBDA, weight: HEAD_WEIGHT };

    /// Softmax temperature used when a training set is too small to calibrate
    /// ([`CALIBRATION_MIN_EXAMPLES`](crate::CALIBRATION_MIN_EXAMPLES)): 1 for logistic regression and the blend (their scores are
    /// log-odds; the blend's naive Bayes part is scaled by 1 / [`DEFAULT_TEMPERATURE`]), 4
    /// for naive Bayes (its summed log-likelihoods are over-confident), [`DEFAULT_TEMPERATURE`]
    /// for complement naive Bayes.
    pub fn default_temperature(self) -> f64 {
        match self {
            Method::NaiveBayes { .. } => 4.0,
            Method::ComplementNaiveBayes { .. } => DEFAULT_TEMPERATURE,
            Method::Logistic { .. } | Method::Blend { .. } => 1.0,
        }
    }

    /// Whether the method reads the text's static embedding.
    pub(crate) fn reads_embedding(self) -> bool {
        match self {
            Method::Logistic { embedding, .. } => embedding > 0.0,
            Method::Blend { .. } => true,
            _ => false,
        }
    }

    /// The n-gram scale and the temperature used when a training set is too small to
    /// calibrate: [`Method::default_temperature`], split for a blend into the complement naive
    /// Bayes temperature (as an inverse scale) and 1.
    pub(crate) fn default_scales(self) -> (f64, f64) {
        match self {
            Method::Blend { .. } => (1.0 / DEFAULT_TEMPERATURE, 1.0),
            _ => (1.0, self.default_temperature()),
        }
    }

    pub(crate) fn uses_tfidf(self) -> bool {
        !matches!(self, Method::NaiveBayes { .. })
    }
}
