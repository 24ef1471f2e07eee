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
//! - [`Classifier`], [`Prediction`], [`Explanation`]: the multinomial naive Bayes model with a
//!   calibrated softmax temperature; method and sources in the docs of [`Classifier`]'s module.
//! - [`builtin_corpus`], [`parse_corpus`]: the bundled training corpus (`data/train.csv`,
//!   label rules in `data/README.md`) and the reader for corpus files of that shape.
//!
//! The crate has no I/O and no dependency besides `domain`.

mod corpus;
mod features;
mod model;

pub use corpus::{BUILTIN_CSV, CorpusError, builtin_corpus, parse_corpus};
pub use domain::Category;
pub use model::{
    ALPHA, CALIBRATION_MIN_EXAMPLES, Classifier, DEFAULT_TEMPERATURE, Explanation, MAX_TERMS, MIN_TERM_PUSH,
    Prediction, TYPO_WEIGHT, UNCERTAIN_BELOW, WordWeight,
};
