"""Content similarity: product passages embedded once per catalog, queries embedded per call.

With the packaged multilingual-e5 encoder a Chinese query finds an English-only catalog and
the reverse. Embeddings are cached on disk under a hash of the catalog text and the model,
so refitting an unchanged store costs a file read. Without an encoder a character n-gram
TF-IDF stands in (same language only), so the recommender still works where no model is
prepared.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from kefu.knowledge.retrieval import TextEncoder
    from kefu.nlu.encoder import SentenceEncoder

log = logging.getLogger(__name__)

_WORD = re.compile(r"[a-z0-9]*[\u4e00-\u9fff]+|[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOP_WORDS = ("a an the and or for with of to in on my me i want need looking some any "
               "one something like please can you show recommend")
_STOP = frozenset(_STOP_WORDS.split(" "))
# Product vectors already computed in this process, by catalog fingerprint and model: each
# copy of a store (a test per conversation, a worker per store) embeds its catalog once.
_MEMORY: dict[tuple[str, str], np.ndarray] = {}
_MEMORY_SIZE = 8


def query_words(text: str) -> list[str]:
    """Content words of a query: English words, and Chinese runs cut by jieba."""
    words: list[str] = []
    for token in _WORD.findall(text.casefold()):
        if "\u4e00" <= token[-1] <= "\u9fff":
            import jieba

            cut = [w for w in jieba.lcut(token) if len(w) >= 2]
            words += cut if cut else [token] if len(token) >= 2 else []
        elif token not in _STOP and len(token) >= 2:
            words.append(token)
    return words


class ContentIndex:
    """Normalised passage vectors for the products, and similarity to a query or product."""

    def __init__(self, vectors: np.ndarray, encoder: TextEncoder | None,
                 lexical: Any = None) -> None:
        self.vectors = vectors
        self.encoder = encoder
        self.lexical = lexical  # a fitted TfidfVectorizer when there is no encoder

    @classmethod
    def build(cls, texts: Sequence[str], encoder: SentenceEncoder | TextEncoder | None, *,
              fingerprint: str, cache_dir: Path | None = None) -> ContentIndex:
        if encoder is None:
            from sklearn.feature_extraction.text import TfidfVectorizer

            lexical = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
            matrix = lexical.fit_transform([t.casefold() for t in texts])
            return cls(np.asarray(matrix.todense(), dtype=np.float32), None, lexical)
        text_encoder = as_text_encoder(encoder)
        remembered = _MEMORY.get((fingerprint, text_encoder.model_id))
        if remembered is not None and remembered.shape[0] == len(texts):
            return cls(remembered, text_encoder)
        path = None
        if cache_dir is not None:
            model = re.sub(r"[^A-Za-z0-9_.-]", "_", text_encoder.model_id)
            path = Path(cache_dir) / f"products-{fingerprint}-{model}.npy"
            if path.is_file():
                vectors = np.load(path)
                if vectors.shape[0] == len(texts):
                    _remember(fingerprint, text_encoder.model_id, vectors)
                    return cls(vectors, text_encoder)
        vectors = text_encoder.encode_passages(list(texts)).astype(np.float32)
        _remember(fingerprint, text_encoder.model_id, vectors)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp.npy")
                np.save(tmp, vectors)
                tmp.replace(path)
            except OSError as exc:  # a read-only home still recommends, only slower to fit
                log.warning("cannot cache product embeddings at %s: %s", path, exc)
        return cls(vectors, text_encoder)

    def query_vector(self, text: str) -> np.ndarray:
        if self.encoder is None:
            row = self.lexical.transform([text.casefold()])
            vector = np.asarray(row.todense(), dtype=np.float32)[0]
        else:
            vector = self.encoder.encode_queries([text])[0]
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def similarity(self, vector: np.ndarray) -> np.ndarray:
        """Cosine of every product with ``vector`` (both normalised)."""
        return self.vectors @ vector

    def profile_vector(self, rows: Sequence[int], weights: Sequence[float] | None = None
                       ) -> np.ndarray | None:
        """The normalised mean of some products' vectors (a customer's taste), or None."""
        if not rows:
            return None
        w = np.ones(len(rows), dtype=np.float32) if weights is None else np.asarray(
            weights, dtype=np.float32)
        mean = (self.vectors[list(rows)] * w[:, None]).sum(axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm else None


def _remember(fingerprint: str, model_id: str, vectors: np.ndarray) -> None:
    if len(_MEMORY) >= _MEMORY_SIZE:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[(fingerprint, model_id)] = vectors


def as_text_encoder(encoder: Any) -> TextEncoder:
    """The e5 wrapper with query/passage prefixes around a SentenceEncoder (or as given)."""
    if hasattr(encoder, "encode_passages"):
        return encoder  # type: ignore[no-any-return]
    from kefu.knowledge.retrieval import E5Encoder

    return E5Encoder(encoder, passage_max_length=256)
