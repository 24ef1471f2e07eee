//! Ticket categorisation: text -> ([`Category`], confidence, the words that decided it).
//!
//! ```
//! use classifier::Classifier;
//! use domain::Category;
//!
//! let model = Classifier::builtin();
//! let p = model.classify("the projector in lecture hall 3 does not turn on");
//! assert_eq!(p.category, Category::It);
//! assert!(p.terms.iter().any(|t| t == "projector"));
//! ```
//!
//! - `features` (private): tokenizer and hashed word / bigram / character n-gram features.
//! - `lookup` (private): the feature hash table and the spelling-correction lexicon.
//! - `train` (private): the learners, L-BFGS and the temperature calibration.
//! - [`Classifier`], [`Prediction`], [`Explanation`], [`Method`]: the trained model, its answers
//!   and the learning methods; formulas and sources in the docs of [`Method`].
//! - [`builtin_corpus`], [`parse_corpus`]: the bundled training corpus (`data/train.csv`,
//!   label rules in `data/README.md`) and the strict reader for labelled CSV files.
//! - [`Evaluation`]: accuracy, macro-F1, per-category precision / recall, confusion matrix and
//!   calibration error of a model on labelled texts (used by the `eval` and `crossval` examples).
//!
//! The crate has no I/O and no dependency besides `domain`.

mod corpus;
mod features;
mod lookup;
mod metrics;
mod model;
mod train;

pub use corpus::{BUILTIN_CSV, CorpusError, builtin_corpus, parse_corpus};
pub use domain::Category;
pub use metrics::{Evaluation, Mistake, ReliabilityBin};
pub use model::{
    ALPHA, CALIBRATION_MIN_EXAMPLES, CORRECTION_WEIGHT, Classifier, DEFAULT_TEMPERATURE, Explanation, LAMBDA,
    MAX_TERMS, MIN_TERM_PUSH, Method, Prediction, TYPO_WEIGHT, UNCERTAIN_BELOW, WordWeight,
};
