//! The tokenizer of the embedding table: BERT's uncased text normalisation, its pre-tokenizer
//! and greedy longest-match-first WordPiece, as specified by Devlin, Chang, Lee and Toutanova
//! 2019, "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
//! (§A.2 and the reference `tokenization.py`) and Wu et al. 2016, "Google's Neural Machine
//! Translation System" (§4.1, wordpieces), and as configured in all-MiniLM-L6-v2's
//! `tokenizer.json` (`BertNormalizer` with `clean_text`, `handle_chinese_chars`, `lowercase`
//! and accent stripping; `BertPreTokenizer`; `WordPiece` with `##` continuations, at most 100
//! characters a word).
//!
//! Written here rather than taken from the `tokenizers` crate for speed: the classifier runs on
//! every ticket and must stay far below 20 µs a text, and the general library tracks offsets
//! and alignments we never read. `data/embedding/check.tsv`, written by the reference
//! implementation (model2vec over Hugging Face `tokenizers`), keeps it honest: the unit tests
//! compare token ids text by text.
//!
//! Steps for one text:
//! 1. clean: drop NUL, U+FFFD and other control / format / unassigned characters; every white
//!    space becomes a space; CJK ideographs get a space on each side;
//! 2. strip accents (canonical decomposition, then drop non-spacing marks) and lower-case;
//! 3. split at white space, and cut every punctuation character out as a word of its own;
//! 4. each word becomes the longest vocabulary entry it starts with, then the longest `##`
//!    entry the rest starts with, and so on; a word with no such split is unknown (`[UNK]`).

use std::collections::HashMap;

use unicode_general_category::{GeneralCategory, get_general_category};
use unicode_normalization::UnicodeNormalization;

/// Words longer than this (in characters) are unknown, as in BERT's tokenizer.
const MAX_WORD_CHARS: usize = 100;

/// One token of a text: a vocabulary id and the word (pre-token) it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    /// Row of the vocabulary (`data/embedding/vocab.txt`, 0-based line).
    pub(crate) id: u32,
    /// Index of its word in [`Tokens::word`].
    pub(crate) word: u32,
}

/// The pieces and words of one text; reuse across texts to avoid allocating.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tokens {
    normalized: String,
    words: Vec<(usize, usize)>,
    pub(crate) pieces: Vec<Piece>,
}

impl Tokens {
    /// Whether some word of letters or digits is a single vocabulary entry.
    pub(crate) fn has_whole_word(&self) -> bool {
        let pieces = &self.pieces;
        (0..pieces.len()).any(|i| {
            let word = pieces[i].word;
            let alone = (i == 0 || pieces[i - 1].word != word)
                && pieces.get(i + 1).is_none_or(|next| next.word != word);
            alone && self.word(word as usize).chars().any(char::is_alphanumeric)
        })
    }

    /// Number of words (pre-tokens) of the text, known or not.
    pub(crate) fn words(&self) -> usize {
        self.words.len()
    }

    /// The `i`-th word (pre-token) of the text, normalised (lower-case, no accents).
    pub(crate) fn word(&self, i: usize) -> &str {
        let (start, end) = self.words[i];
        &self.normalized[start..end]
    }
}

/// A WordPiece vocabulary, split into word-initial entries and `##` continuations.
#[derive(Debug, Clone)]
pub(crate) struct WordPiece {
    starts: HashMap<Box<str>, u32>,
    continuations: HashMap<Box<str>, u32>,
    len: usize,
}

impl WordPiece {
    /// Reads a vocabulary: one entry per line, line `i` (0-based) is id `i`; `##x` marks a
    /// continuation. Entries in brackets (`[PAD]`, `[UNK]`) are never produced.
    pub(crate) fn from_lines(vocab: &str) -> Self {
        let mut starts = HashMap::new();
        let mut continuations = HashMap::new();
        let mut len = 0;
        for (id, entry) in vocab.lines().enumerate() {
            len = id + 1;
            if entry.starts_with('[') && entry.ends_with(']') && entry.len() > 2 {
                continue;
            }
            match entry.strip_prefix("##") {
                Some(rest) if !rest.is_empty() => continuations.insert(rest.into(), id as u32),
                _ => starts.insert(entry.into(), id as u32),
            };
        }
        WordPiece { starts, continuations, len }
    }

    /// Number of vocabulary entries (ids run from 0 to `len() - 1`).
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Tokenizes `text` into `out` (see the module docs), replacing what it held. Unknown words
    /// give no piece (they are still listed as words).
    pub(crate) fn tokenize(&self, text: &str, out: &mut Tokens) {
        out.normalized.clear();
        out.words.clear();
        out.pieces.clear();
        normalize(text, &mut out.normalized);
        let s = out.normalized.as_str();
        let mut start = None;
        for (i, c) in s.char_indices() {
            if c == ' ' {
                if let Some(st) = start.take() {
                    out.words.push((st, i));
                }
            } else if is_punctuation(c) {
                if let Some(st) = start.take() {
                    out.words.push((st, i));
                }
                out.words.push((i, i + c.len_utf8()));
            } else if start.is_none() {
                start = Some(i);
            }
        }
        if let Some(st) = start {
            out.words.push((st, s.len()));
        }
        for (w, &(start, end)) in out.words.iter().enumerate() {
            self.split_word(&s[start..end], w as u32, &mut out.pieces);
        }
    }

    /// Greedy longest-match-first split of one word, appended to `pieces`; nothing when the word
    /// has no split (BERT's `[UNK]`, which the embedding skips).
    fn split_word(&self, word: &str, index: u32, pieces: &mut Vec<Piece>) {
        if let Some(&id) = self.starts.get(word) {
            pieces.push(Piece { id, word: index });
            return;
        }
        if word.chars().nth(MAX_WORD_CHARS).is_some() {
            return;
        }
        let before = pieces.len();
        let mut start = 0;
        while start < word.len() {
            let table = if start == 0 { &self.starts } else { &self.continuations };
            let rest = &word[start..];
            let mut end = rest.len();
            let found = loop {
                if let Some(&id) = table.get(&rest[..end]) {
                    break Some(id);
                }
                match rest[..end].char_indices().next_back() {
                    Some((last, _)) if last > 0 => end = last,
                    _ => break None,
                }
            };
            match found {
                Some(id) => {
                    pieces.push(Piece { id, word: index });
                    start += end;
                }
                None => {
                    pieces.truncate(before);
                    return;
                }
            }
        }
    }
}

/// Steps 1 and 2 of the module docs, appended to `out`.
fn normalize(text: &str, out: &mut String) {
    out.reserve(text.len());
    if text.is_ascii() {
        for b in text.bytes() {
            match b {
                b'\t' | b'\n' | b'\r' | b' ' => out.push(' '),
                0..=0x1f | 0x7f => {}
                _ => out.push(b.to_ascii_lowercase() as char),
            }
        }
        return;
    }
    let cleaned = text.chars().filter_map(|c| {
        if c == '\0' || c == '\u{fffd}' {
            None
        } else if matches!(c, '\t' | '\n' | '\r') || c.is_whitespace() {
            Some(' ')
        } else if is_other(c) {
            None
        } else {
            Some(c)
        }
    });
    for c in cleaned.nfd().filter(|&c| get_general_category(c) != GeneralCategory::NonspacingMark) {
        if is_cjk_ideograph(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Unicode "Other" (C*) categories: control, format, unassigned, private use, surrogate.
fn is_other(c: char) -> bool {
    matches!(
        get_general_category(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Unassigned
            | GeneralCategory::PrivateUse
            | GeneralCategory::Surrogate
    )
}

/// ASCII punctuation and symbols, and every Unicode punctuation (P*) character.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || (!c.is_ascii()
            && matches!(
                get_general_category(c),
                GeneralCategory::ConnectorPunctuation
                    | GeneralCategory::DashPunctuation
                    | GeneralCategory::ClosePunctuation
                    | GeneralCategory::FinalPunctuation
                    | GeneralCategory::InitialPunctuation
                    | GeneralCategory::OtherPunctuation
                    | GeneralCategory::OpenPunctuation
            ))
}

/// The CJK Unified Ideographs blocks BERT treats as one word each (its `_is_chinese_char`).
fn is_cjk_ideograph(c: char) -> bool {
    matches!(
        u32::from(c),
        0x4E00..=0x9FFF
            | 0x3400..=0x4DBF
            | 0x20000..=0x2A6DF
            | 0x2A700..=0x2B73F
            | 0x2B740..=0x2B81F
            | 0x2B920..=0x2CEAF
            | 0xF900..=0xFAFF
            | 0x2F800..=0x2FA1F
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> WordPiece {
        WordPiece::from_lines("[PAD]\n[UNK]\n!\nwi\n##fi\ndown\nun\n##aff\n##able\ncafe\n,\n")
    }

    fn ids(text: &str) -> Vec<u32> {
        let mut tokens = Tokens::default();
        vocab().tokenize(text, &mut tokens);
        tokens.pieces.iter().map(|p| p.id).collect()
    }

    #[test]
    fn longest_match_first_with_continuations() {
        assert_eq!(ids("WiFi down!"), [3, 4, 5, 2]);
        assert_eq!(ids("unaffable"), [6, 7, 8]);
        // No split of the whole word: nothing, not a partial split.
        assert_eq!(ids("unaffablez down"), [5]);
    }

    #[test]
    fn accents_control_characters_and_punctuation() {
        assert_eq!(ids("Café,\u{0}down\u{200b}"), [9, 10, 5]);
        let mut tokens = Tokens::default();
        vocab().tokenize("a¡b 中文", &mut tokens);
        let words: Vec<&str> = (0..tokens.words.len()).map(|i| tokens.word(i)).collect();
        assert_eq!(words, ["a", "¡", "b", "中", "文"]);
    }
}
