"""The retrievers and their fusion: BM25 (bm25s), dense (e5 embeddings, cosine), RRF.

Scores are computed for every section; the rankings are then fused with reciprocal rank
fusion, ``sum(1 / (k + rank))`` (Cormack et al., 2009), which needs no calibration
between BM25's unbounded scores and cosines.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from kefu.nlu.encoder import SentenceEncoder
    from kefu.nlu.encoder.onnx import OnnxSentenceEncoder

RRF_K = 60


class TextEncoder(Protocol):
    """What dense retrieval needs from an encoder (the e5 one, or a fake in tests)."""

    model_id: str

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str], *, show_progress: bool = False
                        ) -> np.ndarray: ...


class E5Encoder:
    """multilingual-e5 with its prefixes: ``query: `` for questions, ``passage: `` for text."""

    def __init__(self, encoder: SentenceEncoder | OnnxSentenceEncoder, *,
                 passage_max_length: int = 512) -> None:
        self.queries = encoder
        e5 = encoder.prefix.strip() == "query:"
        self.passages = encoder.variant(prefix="passage: " if e5 else encoder.prefix,
                                        max_length=passage_max_length, batch_size=8)
        self.model_id = encoder_identity(encoder)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.queries.encode(texts)

    def encode_passages(self, texts: Sequence[str], *, show_progress: bool = False
                        ) -> np.ndarray:
        return self.passages.encode(texts, show_progress=show_progress)


def encoder_identity(encoder: SentenceEncoder | OnnxSentenceEncoder) -> str:
    """What an index records as the model its embeddings come from.

    The weights' origin when kefu prepared them (``kefu_encoder.json`` names the source
    file's SHA-256), so the prepared e5 directory and the copy a frozen intent model links
    to it count as one model and the dialogue can share the intent model's encoder with
    retrieval; else the directory's name.
    """
    import json

    from kefu.nlu.encoder.prepare import METADATA_FILE

    directory = encoder.directory
    if directory is None:
        return f"{type(getattr(encoder, 'model', encoder)).__name__}/{encoder.dimension}"
    meta = directory / METADATA_FILE
    if meta.is_file():
        data = json.loads(meta.read_text(encoding="utf-8"))
        if data.get("source_sha256"):
            return f"{data.get('name', 'e5')}@{str(data['source_sha256'])[:12]}/{encoder.dimension}"
    return f"{directory.name}/{encoder.dimension}"


class Bm25Index:
    """Okapi BM25 over pre-tokenised sections (bm25s, its default k1=1.5, b=0.75)."""

    def __init__(self, corpus_tokens: Sequence[Sequence[str]]) -> None:
        import bm25s

        # bm25s sets its own logger to DEBUG; its per-index messages are not for our logs
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.size = len(corpus_tokens)
        self.retriever = bm25s.BM25()
        if self.size:
            # An empty section still needs a token, or bm25s drops it and shifts the ids.
            self.retriever.index([list(t) or ["∅"] for t in corpus_tokens],
                                 show_progress=False)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        known = [t for t in query_tokens if t in self.retriever.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(known), dtype=np.float32)


def ranking(scores: np.ndarray, *, positive_only: bool = False) -> list[int]:
    """Indices by decreasing score (ties keep index order); optionally only scores > 0."""
    order = np.argsort(-scores, kind="stable")
    if positive_only:
        order = order[scores[order] > 0]
    return [int(i) for i in order]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], *, k: int = RRF_K,
                           weights: Sequence[float] | None = None) -> dict[int, float]:
    """``item -> sum(weight / (k + rank))`` over the rankings (ranks start at 1)."""
    if k <= 0:
        raise ValueError(f"k must be greater than 0, got {k}")
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for weight, ranked in zip(weights, rankings, strict=True):
        for rank, item in enumerate(ranked, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused
