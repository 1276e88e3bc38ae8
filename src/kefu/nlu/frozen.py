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


def train_frozen_head(examples: Sequence[Example], encoder: SentenceEncoder,
                      options: TrainingOptions | None = None) -> IntentClassifier:
    """Train the default classifier; returns it with metrics in ``model.metadata``."""
    import numpy as np

    options = options or TrainingOptions()
    started = time.perf_counter()
    labels = check_examples(examples)
    index = {label: i for i, label in enumerate(labels)}
    y = np.array([index[e.intent] for e in examples])
    x = encoder.encode([e.text for e in examples], show_progress=len(examples) > 256)
    embed_seconds = time.perf_counter() - started
    split = stratified_split([e.intent for e in examples], options.validation_fraction,
                             options.seed)
    dim = encoder.dimension
    metrics: dict[str, float] = {}
    best_c, temperature, threshold = options.c_values[0], 1.0, 0.0
    if split.validation:
        xt, yt, xv, yv = x[split.train], y[split.train], x[split.validation], y[split.validation]
        best_logits, best_accuracy = None, -1.0
        for c in options.c_values:
            weight, bias = head_from_sklearn(fit_logistic_regression(xt, yt, c, options.seed),
                                             len(labels), dim)
            logits = xv @ weight.T + bias
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
    final_x, final_y = (x, y) if options.refit_on_all or not split.validation else (
        x[split.train], y[split.train])
    weight, bias = head_from_sklearn(fit_logistic_regression(final_x, final_y, best_c,
                                                             options.seed), len(labels), dim)
    metadata = {
        "kind": "frozen",
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
                            threshold=threshold, metadata=metadata)
