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
//! - `wordpiece` (private): BERT's uncased WordPiece tokenizer, for the embedding table.
//! - `embedding` (private): the static token-embedding table distilled from all-MiniLM-L6-v2
//!   (`data/embedding/`, made by `tools/distill.py`) and the text embedding it gives.
//! - `lookup` (private): the feature hash table and the spelling-correction lexicon.
//! - `train` (private): the learners, L-BFGS and the temperature calibration.
//! - [`Classifier`], [`Prediction`], [`Explanation`]: the trained model and its answers.
//! - [`Method`]: the learning methods and their chosen settings; formulas and sources in its
//!   docs.
//! - [`builtin_corpus`], [`parse_corpus`]: the bundled training corpus (`data/train.csv`,
//!   label rules in `data/README.md`) and the strict reader for labelled CSV files.
//! - [`Evaluation`]: accuracy, macro-F1, per-category precision / recall, confusion matrix and
//!   calibration error of a model on labelled texts (used by the `eval` and `crossval` examples).
//!
//! The crate has no I/O (the corpus and the embedding table are compiled in) and depends only on
//! `domain` and two Unicode table crates (`unicode-normalization` for the tokenizer's accent
//! stripping, `unicode-general-category` for its punctuation and control characters).

mod corpus;
mod embedding;
mod features;
mod lookup;
mod method;
mod metrics;
mod model;
mod train;
mod wordpiece;

pub use corpus::{
    BUILTIN_CSV, CorpusError, Example, builtin_corpus, builtin_examples, parse_corpus, parse_examples,
};
pub use domain::Category;
pub use method::{ALPHA, DEFAULT_TEMPERATURE, HEAD_LAMBDA, HEAD_WEIGHT, LAMBDA, Method};
pub use metrics::{Evaluation, Mistake, ReliabilityBin};
pub use model::{
    CALIBRATION_MIN_EXAMPLES, CORRECTION_WEIGHT, Classifier, Explanation, MAX_TERMS, MIN_TERM_PUSH,
    Prediction, TYPO_WEIGHT, UNCERTAIN_BELOW, WordWeight,
};
