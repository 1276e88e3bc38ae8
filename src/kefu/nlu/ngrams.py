"""Character n-gram TF-IDF features, the second input of the frozen-encoder classifier.

Sentence embeddings carry the meaning of a message; the surface cues that separate
neighbouring intents of a shop ("still being packed" against "still in stock", 改地址
against 改默认地址, typos and slang) are often clearer in its characters. The frozen
recipe feeds both to one logistic regression. The features are those of scikit-learn's
``TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)``; only the
vocabulary and the idf weights are kept, as JSON (no pickles in a model directory).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kefu.errors import ModelNotReady

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

NGRAM_RANGE = (1, 4)
_SPACES = re.compile(r"\s\s+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
#: Below this share of known 3-4-grams, Latin-script words are taken for keyboard mashing.
UNKNOWN_SHARE = 0.35


def ngram_scores(rows: Sequence[tuple[np.ndarray, np.ndarray]], weight: np.ndarray
                 ) -> np.ndarray:
    """Each text's n-gram vector times ``weight`` (n-grams x labels): ``rows`` are the
    (column ids, values) pairs of :meth:`CharNgrams.features`, a sparse product that never
    builds the dense vectors."""
    import numpy as np

    out = np.zeros((len(rows), weight.shape[1]), dtype=np.float32)
    for row, (ids, values) in enumerate(rows):
        if len(ids):
            out[row] = values @ weight[ids]
    return out


class CharNgrams:
    """Maps texts to L2-normalised, sublinear TF-IDF vectors over a fixed n-gram vocabulary."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray,
                 ngram_range: tuple[int, int] = NGRAM_RANGE) -> None:
        if len(vocabulary) != len(idf):
            raise ValueError(f"{len(vocabulary)} n-grams but {len(idf)} idf weights")
        self.vocabulary = vocabulary
        self.idf = idf
        self.ngram_range = ngram_range

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    @classmethod
    def fit(cls, texts: Sequence[str], *, min_df: int = 2) -> CharNgrams:
        """Vocabulary: n-grams in at least ``min_df`` texts; smoothed idf as in scikit-learn."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = list(texts)
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE,
                                     lowercase=True, sublinear_tf=True,
                                     min_df=min_df if len(texts) >= 10 * min_df else 1)
        vectorizer.fit(texts)
        vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
        return cls(vocabulary, vectorizer.idf_.astype("float32"))

    def ngrams(self, text: str) -> list[str]:
        """scikit-learn's ``char_wb`` analyzer: n-grams inside each space-padded word."""
        low, high = self.ngram_range
        out: list[str] = []
        for word in _SPACES.sub(" ", text.lower()).split():
            word = f" {word} "
            for n in range(low, high + 1):
                out += [word[i:i + n] for i in range(max(len(word) - n, 0) + 1)]
                if len(word) <= n:  # a short word counts once, as in scikit-learn
                    break
        return out

    def looks_like_noise(self, text: str) -> bool:
        """Two or more Latin-script words of which few 3- and 4-grams were ever seen in
        training ("qwzx plorf vrum"): no intent should claim such a message, however the
        embedding places it. Chinese text is never judged (its 3-grams are too sparse)."""
        if _CJK.search(text):
            return False
        words = _LATIN_WORD.findall(text)
        if len(words) < 2:
            return False
        grams = [g for w in words for g in self.ngrams(w) if len(g) >= 3]
        known = sum(g in self.vocabulary for g in grams)
        return bool(grams) and known / len(grams) < UNKNOWN_SHARE

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column ids, values) of one text's vector: written here rather than through
        scikit-learn's vectorizer, whose per-call overhead is milliseconds per message."""
        import numpy as np

        counts: dict[int, int] = {}
        for gram in self.ngrams(text):
            column = self.vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        ids = np.fromiter(counts, dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32,
                                           count=len(counts)))) * self.idf[ids]
        norm = float(np.sqrt((values * values).sum()))
        return ids, values / norm if norm > 0 else values

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        import numpy as np
        from scipy.sparse import csr_matrix

        rows = [self.features(t) for t in texts]
        indptr = np.cumsum([0] + [len(ids) for ids, _ in rows])
        indices = np.concatenate([ids for ids, _ in rows]) if rows else np.zeros(0, np.int64)
        data = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, np.float32)
        return csr_matrix((data.astype(np.float32), indices, indptr),
                          shape=(len(rows), self.size))

    # -- persistence ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {"analyzer": "char_wb", "ngram_range": list(self.ngram_range),
                "sublinear_tf": True, "terms": terms,
                "idf": [round(float(v), 6) for v in self.idf]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CharNgrams:
        import numpy as np

        try:
            terms, idf = data["terms"], np.asarray(data["idf"], dtype=np.float32)
            ngram_range = (int(data["ngram_range"][0]), int(data["ngram_range"][1]))
        except (KeyError, TypeError, IndexError, ValueError) as exc:
            raise ModelNotReady(f"the model's n-gram features are unreadable ({exc!r})",
                                hint="retrain the model with `kefu train`") from exc
        return cls({t: i for i, t in enumerate(terms)}, idf, ngram_range)
