//! Fast look-ups the model does per text: feature hash -> weight row (an open-addressing hash
//! table), and spelling correction of unknown words against the training vocabulary
//! (precomputed deletion neighbourhoods, as in Wolf Garbe's SymSpell).

use crate::features::{for_each_deletion_hash, within_one_edit, word_hash};

/// Feature hash -> a small payload `T`, by linear probing in a power-of-two table at most half
/// full, payload stored in the slot so a hit costs one memory access. The slot is picked by
/// Fibonacci hashing (Knuth, *TAOCP* vol. 3, §6.4) of the feature hash. Key 0 marks an empty
/// slot, so a key 0 is stored as 1 (a 64-bit hash is 0 or 1 with negligible probability).
#[derive(Debug, Clone)]
pub(crate) struct FeatureIndex<T = u32> {
    slots: Vec<(u64, T)>,
    shift: u32,
}

impl<T: Copy + Default> FeatureIndex<T> {
    /// A table holding `entries` (key, payload); keys must be distinct.
    pub(crate) fn new(entries: impl ExactSizeIterator<Item = (u64, T)>) -> Self {
        let capacity = (entries.len() * 2).max(16).next_power_of_two();
        let shift = 64 - capacity.trailing_zeros();
        let mut index = FeatureIndex { slots: vec![(0, T::default()); capacity], shift };
        for (key, payload) in entries {
            let key = key.max(1);
            let mut slot = index.slot(key);
            while index.slots[slot].0 != 0 {
                slot = (slot + 1) & (capacity - 1);
            }
            index.slots[slot] = (key, payload);
        }
        index
    }

    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The payload of `key`, if it was stored.
    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<T> {
        let key = key.max(1);
        let mask = self.slots.len() - 1;
        let mut slot = self.slot(key);
        loop {
            let (k, payload) = self.slots[slot];
            if k == key {
                return Some(payload);
            }
            if k == 0 {
                return None;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Heap bytes held.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<(u64, T)>()
    }
}

/// The training vocabulary for spelling correction: every kept word, how much training weight it
/// carries, and its unigram feature row; plus, for every word, the hashes of the word itself and
/// of each one-character deletion of it, sorted, pointing back at the word. An unknown word and a
/// vocabulary word one edit apart always share one of those strings (a deletion, insertion,
/// substitution or adjacent swap leaves a common deletion), so candidates are found with
/// `len + 1` binary searches instead of generating every possible edit (Garbe 2012, SymSpell,
/// <https://github.com/wolfgarbe/SymSpell>); candidates are then verified exactly.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    text: String,
    ends: Vec<u32>,
    /// Unigram feature hash of each word.
    hashes: Vec<u64>,
    mass: Vec<f32>,
    /// Deletion hash -> its run in `candidates` (`starts[row]..starts[row + 1]`).
    deletions: Option<FeatureIndex>,
    starts: Vec<u32>,
    /// Word ids, grouped by deletion hash.
    candidates: Vec<u32>,
}

impl Lexicon {
    /// Builds the lexicon from `(word, training weight, _)`, words sorted and distinct.
    pub(crate) fn new(words: &[(String, f64, u32)]) -> Self {
        let mut lexicon = Lexicon::default();
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        for (id, (word, mass, _)) in words.iter().enumerate() {
            lexicon.text.push_str(word);
            lexicon.ends.push(lexicon.text.len() as u32);
            lexicon.hashes.push(word_hash(word));
            lexicon.mass.push(*mass as f32);
            let id = id as u32;
            pairs.push((word_hash(word), id));
            for_each_deletion_hash(word, |h| pairs.push((h, id)));
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut keys = Vec::new();
        for (k, &(hash, id)) in pairs.iter().enumerate() {
            if keys.last() != Some(&hash) {
                keys.push(hash);
                lexicon.starts.push(k as u32);
            }
            lexicon.candidates.push(id);
        }
        lexicon.starts.push(pairs.len() as u32);
        lexicon.deletions = Some(FeatureIndex::new(keys.iter().enumerate().map(|(run, &k)| (k, run as u32))));
        lexicon.text.shrink_to_fit();
        lexicon
    }

    fn word(&self, id: usize) -> &str {
        let start = if id == 0 { 0 } else { self.ends[id - 1] as usize };
        &self.text[start..self.ends[id] as usize]
    }

    /// The unigram feature hash of the vocabulary word one edit away from `unknown` (which must not be
    /// in the vocabulary) that carries the most training weight; ties go to the alphabetically
    /// first word, so the answer does not depend on search order. `None` if there is none.
    pub(crate) fn correct(&self, unknown: &str) -> Option<u64> {
        let deletions = self.deletions.as_ref()?;
        let mut best: Option<usize> = None;
        let mut consider = |hash: u64| {
            let Some(run) = deletions.get(hash) else { return };
            let (from, to) = (self.starts[run as usize] as usize, self.starts[run as usize + 1] as usize);
            for &id in &self.candidates[from..to] {
                let id = id as usize;
                let better = best.is_none_or(|b| {
                    self.mass[id] > self.mass[b] || (self.mass[id] == self.mass[b] && id < b)
                });
                if better && within_one_edit(unknown, self.word(id)) {
                    best = Some(id);
                }
            }
        };
        consider(word_hash(unknown));
        for_each_deletion_hash(unknown, &mut consider);
        best.map(|id| self.hashes[id])
    }

    /// Heap bytes held.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * 4
            + self.hashes.capacity() * 8
            + self.mass.capacity() * 4
            + self.deletions.as_ref().map_or(0, |d| d.memory_bytes())
            + (self.starts.capacity() + self.candidates.capacity()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_finds_every_key_and_nothing_else() {
        let keys: Vec<u64> = (0..1000u64).map(|k| k.wrapping_mul(0x1234_5678_9abc_def1) ^ 7).collect();
        let index = FeatureIndex::new(keys.iter().enumerate().map(|(row, &k)| (k, row as u32)));
        for (row, &k) in keys.iter().enumerate() {
            assert_eq!(index.get(k), Some(row as u32));
        }
        assert_eq!(index.get(3), None);
        assert_eq!(FeatureIndex::<u32>::new(std::iter::empty()).get(0), None);
        assert_eq!(FeatureIndex::new([(0u64, 5u32)].into_iter()).get(0), Some(5));
    }

    #[test]
    fn corrects_to_the_heaviest_word_one_edit_away() {
        let words: Vec<(String, f64, u32)> =
            [("model", 1.0, 10), ("moodle", 5.0, 11), ("wifi", 3.0, 12), ("wise", 9.0, 13)]
                .iter()
                .map(|&(w, m, r)| (w.to_owned(), m, r))
                .collect();
        let lexicon = Lexicon::new(&words);
        let h = word_hash;
        assert_eq!(lexicon.correct("moodel"), Some(h("moodle"))); // swap; "model" is 1 deletion too but lighter
        assert_eq!(lexicon.correct("modle"), Some(h("moodle"))); // one edit from both: the heavier wins
        assert_eq!(lexicon.correct("wfi"), Some(h("wifi")));
        assert_eq!(lexicon.correct("wifiii"), None);
        assert_eq!(lexicon.correct("wisi"), Some(h("wise")));
        assert_eq!(lexicon.correct("printer"), None);
    }
}
