"""The default recipe: logistic regression on the frozen encoder's sentence embeddings.

Embeddings are computed once; C is chosen on a stratified validation split, the
temperature and the out-of-scope threshold are fitted on that split's predictions, then
(by default) the classifier is refitted on every example with the chosen C.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kefu.errors import InvalidInput
from kefu.nlu.calibration import (
    choose_threshold,
    expected_calibration_error,
    fit_temperature,
    softmax,
)
from kefu.nlu.classifier import IntentClassifier
from kefu.nlu.encoder.sentence import SentenceEncoder
from kefu.nlu.ngrams import CharNgrams
from kefu.nlu.options import TrainingOptions
from kefu.nlu.taxonomy import OUT_OF_SCOPE
from kefu.nlu.types import Example

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Split:
    """Indices of the training and validation parts of a list of examples."""

    train: list[int]
    validation: list[int]


def stratified_split(labels: Sequence[str], fraction: float, seed: int) -> Split:
    """Hold out ``fraction`` of each label (at least one when it has 2+ examples)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    train: list[int] = []
    validation: list[int] = []
    for indices in by_label.values():
        shuffled = [indices[i] for i in rng.permutation(len(indices))]
        n_val = 0
        if fraction > 0 and len(shuffled) >= 2:
            n_val = min(max(int(round(len(shuffled) * fraction)), 1), len(shuffled) - 1)
        validation += shuffled[:n_val]
        train += shuffled[n_val:]
    return Split(sorted(train), sorted(validation))


def check_examples(examples: Sequence[Example]) -> list[str]:
    """The sorted label list; refuses data a classifier cannot learn from."""
    if not examples:
        raise InvalidInput("no training examples", hint="pass a data file with examples")
    labels = sorted({e.intent for e in examples})
    if len(labels) < 2:
        raise InvalidInput(f"need at least 2 intents to train a classifier, got {labels}")
    return labels


def fit_logistic_regression(x: np.ndarray, y: np.ndarray, c: float, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    model = LogisticRegression(C=c, max_iter=2000, random_state=seed)
    # One BLAS thread: the problem is small, and on a busy 2-core machine BLAS threads
    # spinning against torch's made a 1 s fit take 30 s.
    with threadpool_limits(limits=1, user_api="blas"):
        model.fit(x, y)
    return model


def head_from_sklearn(model: Any, n_labels: int, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(weight, bias) over all labels, even those absent from this fit (very negative bias)."""
    import numpy as np

    weight = np.zeros((n_labels, dim), dtype=np.float32)
    bias = np.full(n_labels, -30.0, dtype=np.float32)
    classes = list(model.classes_)
    if len(classes) == 2:  # sklearn stores one row for two classes
        coef = np.vstack([-model.coef_[0] / 2, model.coef_[0] / 2])
        intercept = np.array([-model.intercept_[0] / 2, model.intercept_[0] / 2])
    else:
        coef, intercept = model.coef_, model.intercept_
    for row, cls in enumerate(classes):
        weight[cls] = coef[row]
        bias[cls] = intercept[row]
    return weight, bias


def _features(embeddings: np.ndarray, ngram_vectors: Any, scale: float) -> Any:
    """The logistic regression's input: scaled embeddings, then n-gram TF-IDF (if any)."""
    if ngram_vectors is None:
        return embeddings
    from scipy.sparse import csr_matrix, hstack

    return hstack([csr_matrix(embeddings * scale), ngram_vectors]).tocsr()


def _fit_head(x: np.ndarray, y: np.ndarray, texts: Sequence[str], n_labels: int, c: float,
              options: TrainingOptions) -> tuple[np.ndarray, np.ndarray, CharNgrams | None,
                                                 np.ndarray | None]:
    """(embedding weight, bias, n-gram features, n-gram weight) fitted on these examples."""
    ngrams = CharNgrams.fit(texts) if options.char_ngrams else None
    scale = options.embedding_scale if ngrams is not None else 1.0
    vectors = ngrams.transform(texts) if ngrams is not None else None
    model = fit_logistic_regression(_features(x, vectors, scale), y, c, options.seed)
    dim = x.shape[1]
    weight, bias = head_from_sklearn(model, n_labels, dim + (ngrams.size if ngrams else 0))
    ngram_weight = weight[:, dim:].T.copy() if ngrams is not None else None
    return weight[:, :dim] * scale, bias, ngrams, ngram_weight


def train_frozen_head(examples: Sequence[Example], encoder: SentenceEncoder,
                      options: TrainingOptions | None = None) -> IntentClassifier:
    """Train the default classifier; returns it with metrics in ``model.metadata``."""
    import numpy as np

    options = options or TrainingOptions()
    started = time.perf_counter()
    labels = check_examples(examples)
    index = {label: i for i, label in enumerate(labels)}
    y = np.array([index[e.intent] for e in examples])
    texts = [e.text for e in examples]
    x = encoder.encode(texts, show_progress=len(examples) > 256)
    embed_seconds = time.perf_counter() - started
    split = stratified_split([e.intent for e in examples], options.validation_fraction,
                             options.seed)
    metrics: dict[str, float] = {}
    best_c, temperature, threshold = options.c_values[0], 1.0, 0.0
    if split.validation:
        train_texts = [texts[i] for i in split.train]
        val_texts = [texts[i] for i in split.validation]
        xv, yv = x[split.validation], y[split.validation]
        best_logits, best_accuracy = None, -1.0
        for c in options.c_values:
            weight, bias, ngrams, ngram_weight = _fit_head(
                x[split.train], y[split.train], train_texts, len(labels), c, options)
            candidate = IntentClassifier(encoder, weight, bias, labels, ngrams=ngrams,
                                         ngram_weight=ngram_weight)
            logits = candidate.logits_from_embeddings(xv) + candidate.ngram_logits(val_texts)
            accuracy = float((logits.argmax(axis=1) == yv).mean())
            metrics[f"validation_accuracy_c{c:g}"] = accuracy
            if accuracy > best_accuracy + 1e-9:
                best_c, best_accuracy, best_logits = c, accuracy, logits
        assert best_logits is not None
        temperature = fit_temperature(best_logits, yv)
        probs = softmax(best_logits, temperature)
        threshold = choose_threshold(probs, yv, labels, OUT_OF_SCOPE,
                                     options.max_in_scope_rejection)
        metrics.update({
            "validation_accuracy": best_accuracy,
            "validation_ece_before": expected_calibration_error(softmax(best_logits), yv),
            "validation_ece": expected_calibration_error(probs, yv),
        })
    rows = (list(range(len(examples))) if options.refit_on_all or not split.validation
            else split.train)
    weight, bias, ngrams, ngram_weight = _fit_head(x[rows], y[rows], [texts[i] for i in rows],
                                                   len(labels), best_c, options)
    metadata = {
        "kind": "frozen",
        "head": ("logistic regression on the sentence embedding and character n-grams"
                 if ngrams is not None else "logistic regression on the sentence embedding"),
        "base_model": str(encoder.directory) if encoder.directory else None,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "c": best_c,
        "examples": len(examples),
        "validation_examples": len(split.validation),
        "metrics": metrics,
        "options": options.to_dict(),
        "seconds": {"embedding": round(embed_seconds, 2),
                    "total": round(time.perf_counter() - started, 2)},
    }
    log.info("frozen head: C=%s T=%.3f threshold=%.3f", best_c, temperature, threshold)
    return IntentClassifier(encoder, weight, bias, labels, temperature=temperature,
                            threshold=threshold, metadata=metadata, ngrams=ngrams,
                            ngram_weight=ngram_weight)
