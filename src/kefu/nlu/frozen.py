"""The default recipe: two heads on the frozen encoder's sentence embeddings.

The features are the embeddings of the encoder's last and middle layers and the message's
character n-grams. A logistic regression and a small neural network (:mod:`kefu.nlu.mlp`)
both learn from them; their probabilities are mixed. Embeddings are computed once; C is
chosen on a stratified validation split, the temperature and the out-of-scope threshold
are fitted on that split's mixed predictions, then (by default) both heads are refitted on
every example.
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
from kefu.nlu.mlp import MlpHead, fit_mlp_head
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


@dataclass
class _Heads:
    """What one fit on a set of examples gives."""

    weight: np.ndarray
    bias: np.ndarray
    ngrams: CharNgrams | None
    ngram_weight: np.ndarray | None
    mlp: MlpHead | None


def _fit_heads(x: np.ndarray, y: np.ndarray, texts: Sequence[str], n_labels: int,
               c_values: Sequence[float], ngrams: CharNgrams | None,
               options: TrainingOptions) -> list[_Heads]:
    """Both heads fitted on these examples: a logistic regression per C, and the MLP head
    (if any), which has no C. The MLP trains in a thread of its own meanwhile: each fit
    uses one core, so on a 2-core machine the two take the time of the longer."""
    from concurrent.futures import ThreadPoolExecutor

    scale = options.embedding_scale if ngrams is not None else 1.0
    dim = x.shape[1]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kefu-mlp") as pool:
        mlp = pool.submit(_fit_mlp, x, y, texts, n_labels, ngrams, options)
        vectors = ngrams.transform(texts) if ngrams is not None else None
        linear = []
        for c in c_values:
            model = fit_logistic_regression(_features(x, vectors, scale), y, c, options.seed)
            weight, bias = head_from_sklearn(model, n_labels,
                                             dim + (ngrams.size if ngrams else 0))
            ngram_weight = weight[:, dim:].T.copy() if ngrams is not None else None
            linear.append((weight[:, :dim] * scale, bias, ngram_weight))
        second = mlp.result()
    return [_Heads(weight, bias, ngrams, ngram_weight, second)
            for weight, bias, ngram_weight in linear]


def _fit_mlp(x: np.ndarray, y: np.ndarray, texts: Sequence[str], n_labels: int,
             ngrams: CharNgrams | None, options: TrainingOptions) -> MlpHead | None:
    if ngrams is None or options.mlp_hidden == 0 or options.mlp_share == 0:
        return None
    scale = options.embedding_scale
    return fit_mlp_head(x * scale, texts, y, n_labels, ngrams, hidden=options.mlp_hidden,
                        epochs=options.mlp_epochs, dropout=options.mlp_dropout,
                        seed=options.seed).scaled(scale)


def _ngrams(texts: Sequence[str], options: TrainingOptions) -> CharNgrams | None:
    return CharNgrams.fit(texts) if options.char_ngrams else None


def _classifier(encoder: SentenceEncoder, heads: _Heads, labels: Sequence[str],
                options: TrainingOptions, **kwargs: Any) -> IntentClassifier:
    return IntentClassifier(encoder, heads.weight, heads.bias, labels, ngrams=heads.ngrams,
                            ngram_weight=heads.ngram_weight, middle_layer=options.middle_layer,
                            mlp=heads.mlp,
                            mlp_share=options.mlp_share if heads.mlp is not None else 0.0,
                            **kwargs)


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
    x = encoder.encode(texts, show_progress=len(examples) > 256,
                       middle_layer=options.middle_layer)
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
        fits = _fit_heads(x[split.train], y[split.train], train_texts, len(labels),
                          options.c_values, _ngrams(train_texts, options), options)
        for c, heads in zip(options.c_values, fits, strict=True):
            candidate = _classifier(encoder, heads, labels, options)
            logits = candidate.combined_logits(xv, val_texts)
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
    final_texts = [texts[i] for i in rows]
    (heads,) = _fit_heads(x[rows], y[rows], final_texts, len(labels), [best_c],
                          _ngrams(final_texts, options), options)
    metadata = {
        "kind": "frozen",
        "head": _describe(heads, options),
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
    return _classifier(encoder, heads, labels, options, temperature=temperature,
                       threshold=threshold, metadata=metadata)


def _describe(heads: _Heads, options: TrainingOptions) -> str:
    features = ("the last and middle layers' sentence embeddings" if options.middle_layer
                else "the sentence embedding")
    if heads.ngrams is not None:
        features += " and character n-grams"
    if heads.mlp is not None:
        return (f"logistic regression and a {heads.mlp.in_weight.shape[0]}-unit MLP "
                f"({options.mlp_share:g} of the mix) on {features}")
    return f"logistic regression on {features}"
