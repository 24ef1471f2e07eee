//! Ticket categorisation: text -> ([`Category`], confidence, the words that decided it).
//!
//! (Interface fixed; the model is being written.)

use domain::Category;

/// The classifier's answer for one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The most likely category.
    pub category: Category,
    /// Its posterior probability, 0.0 to 1.0.
    pub confidence: f64,
    /// The words that pushed the decision towards `category` most, strongest first (at most 5).
    pub terms: Vec<String>,
}

/// A trained model. Cheap to share behind an `Arc`; classification takes `&self`.
#[derive(Debug, Clone)]
pub struct Classifier {}

impl Classifier {
    /// The model trained on the corpus bundled with the crate (`data/`).
    pub fn builtin() -> Self {
        Classifier {}
    }

    /// A model trained on `examples` (text, category).
    pub fn train<'a>(_examples: impl IntoIterator<Item = (&'a str, Category)>) -> Self {
        Classifier {}
    }

    /// Categorises `text`.
    pub fn classify(&self, _text: &str) -> Prediction {
        Prediction { category: Category::Facility, confidence: 1.0 / 3.0, terms: Vec::new() }
    }
}
