//! Scoring one text: the n-gram part, the embedding part, each word's contribution, the
//! deciding words, and the softmax.

use domain::Category;

use super::{Classifier, Entry, MAX_TERMS, MIN_TERM_PUSH, Scratch, TYPO_WEIGHT};
use crate::embedding::{DIMS, Embedding};
use crate::features::{Feature, MIN_CORRECTED_LEN, Words};
use crate::train;
use crate::wordpiece::Tokens;

impl Classifier {
    /// Raw scores (before the temperature) of `text`, indexed by [`Category::index`]; leaves the
    /// text's kept words in `scratch.words` and each word's raw contributions in
    /// `scratch.per_word`.
    pub(super) fn score(&self, text: &str, scratch: &mut Scratch) -> [f64; 3] {
        let (ngrams, embedding) = self.score_parts(text, scratch);
        std::array::from_fn(|c| ngrams[c] * self.ngram_scale + embedding[c])
    }

    /// The n-gram part (before [`Classifier::ngram_scale`]) and the embedding part of
    /// [`Classifier::score`]; leaves per-word contributions to the total in `scratch.per_word`.
    pub(super) fn score_parts(&self, text: &str, scratch: &mut Scratch) -> ([f64; 3], [f64; 3]) {
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
    pub(super) fn top_terms(&self, scratch: &mut Scratch, category: Category) -> Vec<String> {
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
pub(super) fn softmax(raw: [f64; 3], temperature: f64) -> [f64; 3] {
    let scaled = raw.map(|x| x / temperature);
    let max = scaled.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp = scaled.map(|x| (x - max).exp());
    let sum: f64 = exp.iter().sum();
    exp.map(|e| e / sum)
}

/// The most probable category; ties go to the earlier one in [`Category::ALL`].
pub(super) fn argmax(probabilities: [f64; 3]) -> Category {
    let mut best = Category::ALL[0];
    for c in Category::ALL {
        if probabilities[c.index()] > probabilities[best.index()] {
            best = c;
        }
    }
    best
}

/// Which kept word ([`Words`]) each tokenizer word ([`Tokens`]) belongs to, so the embedding's
/// per-token shares can be listed under the words staff see. The two tokenizers differ (stop
/// words, `wi-fi` -> `wifi`, accents), so a tokenizer word is credited to the next kept word (at
/// most three ahead) that equals it, or that starts or ends with it when it has two or more
/// characters (the parts of a joined compound); otherwise to none (its share still counts in
/// the score).
pub(super) fn credit_tokens(words: &Words, tokens: &Tokens, credited: &mut Vec<Option<u32>>) {
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

pub(super) fn push(contributions: &[f64; 3], towards: Category) -> f64 {
    let k = towards.index();
    let others: f64 = (0..3).filter(|&c| c != k).map(|c| contributions[c]).sum();
    contributions[k] - others / 2.0
}
