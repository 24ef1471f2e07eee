//! Text -> words -> hashed features: the tokenizer and the feature extractor the model reads.
//!
//! A text becomes a list of kept **words**: maximal runs of letters and digits, lower-cased
//! (Unicode-aware), apostrophes dropped (`don't` -> `dont`), short hyphenated compounds joined
//! (`wi-fi` -> `wifi`, `e-mail` -> `email`), pure numbers, one-letter tokens and a small list of
//! function words ([`STOP_WORDS`]) removed.
//!
//! Each kept word yields three kinds of feature, every one identified by a 64-bit FNV-1a hash
//! (Fowler, Noll, Vo; see <http://www.isthe.com/chongo/tech/comp/fnv/>) of a kind tag plus its
//! text, so nothing is interned and extraction allocates only two reusable buffers:
//!
//! - the word itself (unigram), weight [`UNIGRAM_WEIGHT`];
//! - the pair (previous kept word, this word) (bigram across removed stop words, so
//!   "wifi in the library" gives "wifi library"), weight [`BIGRAM_WEIGHT`], credited half to each
//!   word when explaining;
//! - character 3- and 4-grams of the word padded with boundary marks (`<wifi>` gives `<wi`, `wif`,
//!   `ifi`, `fi>`, `<wif`, `wifi`, `ifi>`), so a misspelt word still shares most grams with the
//!   right one (Cavnar and Trenkle 1994, "N-Gram-Based Text Categorization"). A word's grams
//!   share the weight [`CHAR_GRAMS_WEIGHT`] equally, so long words do not drown short ones.

/// Function words dropped before feature extraction, sorted for binary search. They occur in
/// every category, so they only add noise, and they would make poor explanations.
pub(crate) const STOP_WORDS: &[&str] = &[
    "about", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being",
    "but", "by", "can", "cant", "could", "dear", "did", "didnt", "do", "does", "doesnt", "doing", "dont",
    "for", "from", "had", "has", "have", "having", "he", "hello", "her", "here", "hi", "his", "how", "i",
    "if", "im", "in", "into", "is", "isnt", "it", "its", "ive", "just", "madam", "may", "me", "might",
    "must", "my", "no", "not", "now", "of", "on", "or", "our", "please", "pls", "plz", "regards", "shall",
    "she", "should", "sir", "so", "some", "than", "thank", "thanks", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "to", "too", "us", "very", "was", "wasnt", "we", "were",
    "what", "when", "where", "which", "who", "why", "will", "with", "wont", "would", "you", "your",
];

/// Length in bytes of the longest entry of [`STOP_WORDS`] (longer words skip the search).
const LONGEST_STOP_WORD: usize = 7;

/// Weight of a word unigram feature.
pub(crate) const UNIGRAM_WEIGHT: f32 = 1.0;
/// Weight of a word bigram feature.
pub(crate) const BIGRAM_WEIGHT: f32 = 0.5;
/// Total weight of one word's character n-grams, shared equally among them.
pub(crate) const CHAR_GRAMS_WEIGHT: f32 = 2.0;

/// Unknown words shorter than this (in characters) are not spelling-corrected: too many short
/// words are one edit apart.
pub(crate) const MIN_CORRECTED_LEN: usize = 3;

const TAG_UNIGRAM: u8 = 1;
const TAG_BIGRAM: u8 = 2;
const TAG_CHAR_GRAM: u8 = 3;
/// Stands for the word boundary in character n-grams (never part of a word).
const BOUNDARY: char = '\u{1}';

/// One extracted feature: its hash, its weight, and the kept word(s) it came from (indices into
/// [`Words::word`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Feature {
    /// FNV-1a hash of kind tag and text.
    pub(crate) hash: u64,
    /// Weight (pseudo-count) of this occurrence.
    pub(crate) weight: f32,
    /// The word that produced it.
    pub(crate) word: usize,
    /// For a bigram, the other word (the earlier one).
    pub(crate) other_word: Option<usize>,
}

/// The kept words of one text, lower-cased, stored in one buffer. Reuse it across texts with
/// [`Words::read`] to avoid allocating.
#[derive(Debug, Default, Clone)]
pub(crate) struct Words {
    buf: String,
    spans: Vec<(usize, usize)>,
    chars: Vec<char>,
}

impl Words {
    /// Tokenizes `text` (see the module docs), replacing what was held before.
    pub(crate) fn read(&mut self, text: &str) {
        self.buf.clear();
        self.spans.clear();
        let is_chunk_char = |c: char| c.is_alphanumeric() || is_apostrophe(c) || c == '-';
        for chunk in text.split(|c: char| !is_chunk_char(c)) {
            let mut parts = chunk.split('-').filter(|p| p.chars().any(char::is_alphanumeric));
            let (Some(first), second, rest) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            match (second, rest) {
                // `wi-fi`, `e-mail`, `re-enter`: glue a two-part compound with a short part.
                (Some(second), None) if letter_count(first) <= 2 || letter_count(second) <= 2 => {
                    let start = self.buf.len();
                    self.push_lowercase(first);
                    self.push_lowercase(second);
                    self.keep_or_drop(start);
                }
                _ => {
                    for part in chunk.split('-') {
                        let start = self.buf.len();
                        self.push_lowercase(part);
                        self.keep_or_drop(start);
                    }
                }
            }
        }
    }

    fn push_lowercase(&mut self, part: &str) {
        for c in part.chars().filter(|c| c.is_alphanumeric()) {
            self.buf.extend(c.to_lowercase());
        }
    }

    /// Keeps `buf[start..]` as a word unless it is a stop word, a number or one character long.
    fn keep_or_drop(&mut self, start: usize) {
        let word = &self.buf[start..];
        let keep = word.chars().nth(1).is_some()
            && !word.chars().all(|c| c.is_numeric())
            && (word.len() > LONGEST_STOP_WORD || STOP_WORDS.binary_search(&word).is_err());
        if keep {
            self.spans.push((start, self.buf.len()));
        } else {
            self.buf.truncate(start);
        }
    }

    /// Number of kept words.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// The `i`-th kept word, lower-cased.
    pub(crate) fn word(&self, i: usize) -> &str {
        let (start, end) = self.spans[i];
        &self.buf[start..end]
    }

    /// Hash of the `i`-th word's unigram feature.
    pub(crate) fn unigram_hash(&self, i: usize) -> u64 {
        hash_parts(TAG_UNIGRAM, &[self.word(i)])
    }

    /// Calls `emit` once per feature of the kept words, in text order.
    pub(crate) fn for_each_feature(&mut self, mut emit: impl FnMut(Feature)) {
        let mut chars = std::mem::take(&mut self.chars);
        for i in 0..self.spans.len() {
            let word = self.word(i);
            emit(Feature {
                hash: hash_parts(TAG_UNIGRAM, &[word]),
                weight: UNIGRAM_WEIGHT,
                word: i,
                other_word: None,
            });
            if i > 0 {
                emit(Feature {
                    hash: hash_parts(TAG_BIGRAM, &[self.word(i - 1), word]),
                    weight: BIGRAM_WEIGHT,
                    word: i,
                    other_word: Some(i - 1),
                });
            }
            chars.clear();
            chars.push(BOUNDARY);
            chars.extend(word.chars());
            chars.push(BOUNDARY);
            let grams: usize = (3..=4).map(|n| chars.len().saturating_sub(n - 1)).sum();
            if grams == 0 {
                continue;
            }
            let weight = CHAR_GRAMS_WEIGHT / grams as f32;
            // The 4-gram at a position extends the 3-gram there, so its hash continues from it.
            for start in 0..chars.len().saturating_sub(2) {
                let trigram = chars[start..start + 3].iter().fold(CHAR_GRAM_SEED, |h, &c| char_step(h, c));
                emit(Feature { hash: trigram, weight, word: i, other_word: None });
                if let Some(&fourth) = chars.get(start + 3) {
                    emit(Feature { hash: char_step(trigram, fourth), weight, word: i, other_word: None });
                }
            }
        }
        self.chars = chars;
    }
}

/// Hash of `word`'s unigram feature (the same as [`Words::unigram_hash`] gives for it).
pub(crate) fn word_hash(word: &str) -> u64 {
    hash_parts(TAG_UNIGRAM, &[word])
}

/// Calls `emit` with [`word_hash`] of every string made by deleting one character of `word`
/// (once per position, so a doubled letter gives the same hash twice). Deletion neighbourhoods
/// as in Wolf Garbe's SymSpell (2012, <https://github.com/wolfgarbe/SymSpell>); hashed
/// in place, without building the strings.
pub(crate) fn for_each_deletion_hash(word: &str, mut emit: impl FnMut(u64)) {
    let start = fnv(FNV_OFFSET, &[TAG_UNIGRAM]);
    for (at, c) in word.char_indices() {
        let before = fnv(start, &word.as_bytes()[..at]);
        let after = fnv(before, &word.as_bytes()[at + c.len_utf8()..]);
        emit(fnv(after, &[0xff]));
    }
}

/// True when `a` and `b` are at most one edit apart: equal, or one deletion, insertion,
/// substitution or swap of two adjacent characters (Damerau 1964, "A technique for computer
/// detection and correction of spelling errors", CACM 7(3)).
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let prefix: usize = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum();
    let suffix: usize = a[prefix..]
        .chars()
        .rev()
        .zip(b[prefix..].chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    // What is left in the middle of each after the common prefix and suffix.
    let mid_a = &a[prefix..a.len() - suffix];
    let mid_b = &b[prefix..b.len() - suffix];
    let (na, nb) = (mid_a.chars().count(), mid_b.chars().count());
    match (na, nb) {
        (0, 0 | 1) | (1, 1) => true,
        (2, 2) => {
            let (mut x, mut y) = (mid_a.chars(), mid_b.chars());
            let (a0, a1, b0, b1) = (x.next(), x.next(), y.next(), y.next());
            a0 == b1 && a1 == b0
        }
        _ => false,
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn letter_count(part: &str) -> usize {
    part.chars().filter(|c| c.is_alphanumeric()).count()
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// FNV-1a of `tag`, then each part followed by a 0xff separator (never in UTF-8).
fn hash_parts(tag: u8, parts: &[&str]) -> u64 {
    parts.iter().fold(fnv(FNV_OFFSET, &[tag]), |h, part| fnv(fnv(h, part.as_bytes()), &[0xff]))
}

/// Starting state of a character n-gram hash: FNV-1a of the kind tag.
const CHAR_GRAM_SEED: u64 = (FNV_OFFSET ^ TAG_CHAR_GRAM as u64).wrapping_mul(FNV_PRIME);

/// One FNV-1a step over a whole character (its scalar value as one 32-bit "byte"): a
/// character n-gram hash is `n` of these from [`CHAR_GRAM_SEED`], one multiply per character.
#[inline]
fn char_step(hash: u64, c: char) -> u64 {
    (hash ^ u64::from(u32::from(c))).wrapping_mul(FNV_PRIME)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut w = Words::default();
        w.read(text);
        (0..w.len()).map(|i| w.word(i).to_owned()).collect()
    }

    #[test]
    fn one_edit_distance() {
        for (a, b) in
            [("wifi", "wifi"), ("wfi", "wifi"), ("wifii", "wifi"), ("wifu", "wifi"), ("wfii", "wifi")]
        {
            assert!(within_one_edit(a, b) && within_one_edit(b, a), "{a} {b}");
        }
        for (a, b) in [("wf", "wifi"), ("fiwi", "wifi"), ("abcd", "bcda"), ("müll", "mll"), ("aaa", "a")] {
            assert_eq!(within_one_edit(a, b), a == "müll", "{a} {b}");
        }
        assert!(within_one_edit("müll", "mull") && within_one_edit("aab", "aaab"));
    }

    #[test]
    fn deletion_hashes_are_hashes_of_the_deleted_strings() {
        let mut got = Vec::new();
        for_each_deletion_hash("wifü", |h| got.push(h));
        assert_eq!(got, ["ifü", "wfü", "wiü", "wif"].map(word_hash));
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|p| p[0] < p[1]));
        assert_eq!(STOP_WORDS.iter().map(|w| w.len()).max(), Some(LONGEST_STOP_WORD));
    }

    #[test]
    fn words_are_lowercased_and_function_words_dropped() {
        assert_eq!(words("The WiFi in the Library is DOWN!!"), ["wifi", "library", "down"]);
    }

    #[test]
    fn apostrophes_hyphens_numbers_and_single_letters() {
        assert_eq!(words("Projector doesn't work in hall 3"), ["projector", "work", "hall"]);
        assert_eq!(words("wi-fi and e-mail"), ["wifi", "email"]);
        assert_eq!(words("lecture-hall x ground-floor"), ["lecture", "hall", "ground", "floor"]);
        assert_eq!(words("Ärger über Müll"), ["ärger", "über", "müll"]);
    }

    #[test]
    fn empty_and_punctuation_only_texts_have_no_words() {
        assert!(words("").is_empty());
        assert!(words("  ?!... --- ''  ").is_empty());
    }

    #[test]
    fn a_word_yields_unigram_char_grams_and_bigrams_with_its_neighbour() {
        let mut w = Words::default();
        w.read("wifi down");
        let mut features = Vec::new();
        w.for_each_feature(|f| features.push(f));
        // `<wifi>`: 1 unigram + 4 trigrams + 3 four-grams; `<down>`: the same + 1 bigram.
        assert_eq!(features.len(), 8 + 9);
        let bigrams: Vec<_> = features.iter().filter(|f| f.other_word.is_some()).collect();
        assert_eq!(bigrams.len(), 1);
        assert_eq!((bigrams[0].word, bigrams[0].other_word), (1, Some(0)));
        let wifi_weight: f32 = features.iter().filter(|f| f.word == 0).map(|f| f.weight).sum();
        assert!((wifi_weight - (UNIGRAM_WEIGHT + CHAR_GRAMS_WEIGHT)).abs() < 1e-5);
    }
}
