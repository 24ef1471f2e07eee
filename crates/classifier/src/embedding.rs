//! General language knowledge at n-gram speed: a static token-embedding table distilled from the
//! sentence-embedding model all-MiniLM-L6-v2 by the model2vec method (Tulkens and van Dongen
//! 2024, "Model2Vec"), made by `tools/distill.py` (inputs, versions and licence named there)
//! and bundled as `data/embedding/vocab.txt` + `data/embedding/vectors.i8`.
//!
//! A text's embedding is the mean of its WordPiece tokens' vectors (unknown tokens skipped),
//! scaled to unit length, as model2vec's `StaticModel.encode` computes it; a text without a
//! single whole known word has none (see [`Embedding::embed`]). The table
//! has 29,525 rows of [`DIMS`] dimensions, each row quantised to `i8` with one `f32` scale
//! (`value * scale`), about 7.7 MB in memory.
//!
//! Because the embedding is a mean, a linear model over it decomposes per token: with `V` the
//! model's weights on the embedding dimensions, token `t`'s share of the score is
//! `(e_t · V) / (n ‖mean‖)`, so the words behind a decision can still be listed
//! ([`Projection`]).

use std::sync::OnceLock;

use crate::wordpiece::{Tokens, WordPiece};

/// Number of dimensions of the bundled table (the PCA size of `tools/distill.py`).
pub(crate) const DIMS: usize = 256;

const VOCAB: &str = include_str!("../data/embedding/vocab.txt");
const VECTORS: &[u8] = include_bytes!("../data/embedding/vectors.i8");
const MAGIC: &[u8; 8] = b"CDEMB001";

/// The token table and its tokenizer.
#[derive(Debug)]
pub(crate) struct Embedding {
    tokenizer: WordPiece,
    scales: Vec<f32>,
    values: Vec<i8>,
}

/// Per-token scores `e_t · V` of one trained model for every vocabulary row, indexed by
/// `id * 3 + category`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Projection(Vec<f32>);

impl Projection {
    /// The three per-category scores of token `id`.
    pub(crate) fn row(&self, id: u32) -> [f32; 3] {
        let i = id as usize * 3;
        [self.0[i], self.0[i + 1], self.0[i + 2]]
    }

    /// Heap bytes held.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.0.capacity() * size_of::<f32>()
    }
}

impl Embedding {
    /// The bundled table, decoded once per process.
    ///
    /// # Panics
    /// Never for the bundled files (a unit test decodes them); a corrupt build would panic here.
    pub(crate) fn builtin() -> &'static Embedding {
        static BUILTIN: OnceLock<Embedding> = OnceLock::new();
        BUILTIN.get_or_init(|| match Embedding::decode(VOCAB, VECTORS) {
            Ok(embedding) => embedding,
            Err(e) => panic!("the bundled embedding table is corrupt: {e}"),
        })
    }

    /// Decodes a vocabulary and a `vectors.i8` file (format in `tools/distill.py`).
    fn decode(vocab: &str, bytes: &[u8]) -> Result<Embedding, String> {
        let tokenizer = WordPiece::from_lines(vocab);
        let header = bytes.get(..16).ok_or("shorter than its header")?;
        if &header[..8] != MAGIC {
            return Err("wrong magic bytes".into());
        }
        let u32_at = |i: usize| u32::from_le_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
        let (rows, dims) = (u32_at(8) as usize, u32_at(12) as usize);
        if dims != DIMS || rows != tokenizer.len() {
            return Err(format!("{rows} x {dims} table for {} tokens x {DIMS}", tokenizer.len()));
        }
        let body = &bytes[16..];
        if body.len() != rows * 4 + rows * dims {
            return Err(format!("{} bytes of data for {rows} x {dims}", body.len()));
        }
        let (scales, values) = body.split_at(rows * 4);
        let scales = scales.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        let values = values.iter().map(|&b| b as i8).collect();
        Ok(Embedding { tokenizer, scales, values })
    }

    /// Number of vocabulary rows.
    pub(crate) fn rows(&self) -> usize {
        self.scales.len()
    }

    /// Heap bytes held by the table (not the tokenizer's hash maps, about 2 MB more).
    pub(crate) fn memory_bytes(&self) -> usize {
        self.values.capacity() + self.scales.capacity() * size_of::<f32>()
    }

    /// Tokenizes `text` into `tokens` and writes its embedding to `out`: the unit-length mean
    /// of its tokens' vectors, as model2vec computes it. A text with no **whole word** (a word of
    /// letters or digits that is one vocabulary entry, such as `heating` or `wifi`) has no
    /// embedding: `out` is all zeros, `tokens.pieces` is emptied and the result is 0. Gibberish
    /// (`asdkjh qwpoeiru`, only fragments such as `as ##d ##k`), punctuation (`?!?!`) and
    /// symbols thus get no opinion from the embedding; the character n-grams read them.
    ///
    /// Returns `1 / (n ‖mean‖)`, the factor that turns a pooled token's projection into its share
    /// of a linear score (`tokens.pieces` holds the pooled tokens).
    pub(crate) fn embed(&self, text: &str, tokens: &mut Tokens, out: &mut [f32; DIMS]) -> f32 {
        self.tokenizer.tokenize(text, tokens);
        out.fill(0.0);
        if !tokens.has_whole_word() {
            tokens.pieces.clear();
            return 0.0;
        }
        self.sum_pieces(tokens, out);
        let norm = out.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm == 0.0 {
            return 0.0;
        }
        out.iter_mut().for_each(|v| *v /= norm);
        // ‖sum‖ = n ‖mean‖.
        1.0 / norm
    }

    /// Adds the vectors of `tokens.pieces` to `out`.
    fn sum_pieces(&self, tokens: &Tokens, out: &mut [f32; DIMS]) {
        for piece in &tokens.pieces {
            let row = piece.id as usize;
            let scale = self.scales[row];
            let values = &self.values[row * DIMS..(row + 1) * DIMS];
            for (o, &v) in out.iter_mut().zip(values) {
                *o += f32::from(v) * scale;
            }
        }
    }

    /// `e_t · V` for every row `t`, with `V` given as [`DIMS`] rows of three category weights.
    pub(crate) fn project(&self, weights: &[[f64; 3]]) -> Projection {
        let mut out = vec![0.0f32; self.rows() * 3];
        for (row, chunk) in out.chunks_exact_mut(3).enumerate() {
            let values = &self.values[row * DIMS..(row + 1) * DIMS];
            let mut sum = [0.0f64; 3];
            for (&v, w) in values.iter().zip(weights) {
                let v = f64::from(v);
                sum[0] += v * w[0];
                sum[1] += v * w[1];
                sum[2] += v * w[2];
            }
            let scale = f64::from(self.scales[row]);
            for c in 0..3 {
                chunk[c] = (sum[c] * scale) as f32;
            }
        }
        Projection(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// `data/embedding/check.tsv`: text (with `\t`, `\n`, `\\` escaped), the reference token ids,
    /// and the first 8 dimensions of the reference mean (not unit-length) vector.
    fn reference() -> Vec<(String, Vec<u32>, Vec<f32>)> {
        let tsv = include_str!("../data/embedding/check.tsv");
        tsv.lines()
            .map(|line| {
                let mut fields = line.split('\t');
                let mut text = String::new();
                let mut chars = fields.next().unwrap().chars();
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        match chars.next() {
                            Some('t') => text.push('\t'),
                            Some('n') => text.push('\n'),
                            Some(other) => text.push(other),
                            None => {}
                        }
                    } else {
                        text.push(c);
                    }
                }
                let ids = fields.next().unwrap().split_whitespace().map(|v| v.parse().unwrap()).collect();
                let dims = fields.next().unwrap().split_whitespace().map(|v| v.parse().unwrap()).collect();
                (text, ids, dims)
            })
            .collect()
    }

    #[test]
    fn tokens_match_the_reference_tokenizer() {
        let embedding = Embedding::builtin();
        let mut tokens = Tokens::default();
        let cases = reference();
        assert!(cases.len() >= 150, "{} reference texts", cases.len());
        for (text, expected, _) in &cases {
            embedding.tokenizer.tokenize(text, &mut tokens);
            let ids: Vec<u32> = tokens.pieces.iter().map(|p| p.id).collect();
            assert_eq!(&ids, expected, "{text:?}");
        }
    }

    #[test]
    fn mean_vectors_match_the_reference_within_quantisation() {
        let embedding = Embedding::builtin();
        let mut tokens = Tokens::default();
        let mut out = [0.0f32; DIMS];
        let mut compared = 0;
        for (text, ids, expected) in reference() {
            let inverse = embedding.embed(&text, &mut tokens, &mut out);
            if inverse == 0.0 {
                // No whole word: no embedding by design (checked below).
                continue;
            }
            // The reference gives the plain mean; ours is unit length: undo the scaling.
            let n = ids.len() as f32;
            for (d, want) in expected.iter().enumerate() {
                let got = out[d] / (inverse * n);
                assert!((got - want).abs() < 0.02, "{text:?} dim {d}: {got} vs {want}");
            }
            compared += 1;
        }
        assert!(compared >= 150, "{compared}");
    }

    #[test]
    fn no_embedding_without_a_whole_word() {
        let embedding = Embedding::builtin();
        let mut tokens = Tokens::default();
        let mut out = [0.0f32; DIMS];
        for text in ["asdkjh qwpoeiru zxmcnb", "?!?! :-)", "", "🙂🚌"] {
            assert_eq!(embedding.embed(text, &mut tokens, &mut out), 0.0, "{text:?}");
            assert!(out.iter().all(|v| *v == 0.0) && tokens.pieces.is_empty(), "{text:?}");
        }
        // One whole word is enough; the fragments of the others are pooled with it.
        assert!(embedding.embed("heating asdkjh", &mut tokens, &mut out) > 0.0);
        assert!(tokens.pieces.len() > 2);
        let length: f32 = out.iter().map(|v| v * v).sum();
        assert!((length - 1.0).abs() < 1e-4, "{length}");
    }

    #[test]
    fn projection_shares_add_up_to_the_score() {
        let embedding = Embedding::builtin();
        let weights: Vec<[f64; 3]> = (0..DIMS).map(|d| [d as f64 / 100.0, -1.0, (d % 7) as f64]).collect();
        let projection = embedding.project(&weights);
        let mut tokens = Tokens::default();
        let mut out = [0.0f32; DIMS];
        let inverse = embedding.embed("the wifi in the library is down again", &mut tokens, &mut out);
        for c in 0..3 {
            let direct: f64 = out.iter().zip(&weights).map(|(x, w)| f64::from(*x) * w[c]).sum();
            let shares: f64 =
                tokens.pieces.iter().map(|p| f64::from(projection.row(p.id)[c]) * f64::from(inverse)).sum();
            assert!((direct - shares).abs() < 1e-3 * direct.abs().max(1.0), "{c}: {direct} vs {shares}");
        }
    }
}
