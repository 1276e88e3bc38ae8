"""Calibrated confidences and the out-of-scope threshold, both fitted on validation data.

Temperature scaling (Guo et al., 2017): one scalar T divides the logits so that the
softmax confidence matches how often the classifier is right; it changes no ranking.
The threshold turns low-confidence predictions into ``out_of_scope``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    import numpy as np

    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(logits: np.ndarray, targets: np.ndarray) -> float:
    """The T in [0.05, 20] that minimises the negative log-likelihood of ``targets``."""
    import numpy as np
    from scipy.optimize import minimize_scalar

    if len(targets) == 0:
        return 1.0

    def nll(log_t: float) -> float:
        p = softmax(logits, float(np.exp(log_t)))
        return float(-np.log(p[np.arange(len(targets)), targets] + 1e-12).mean())

    result = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(result.x))


def expected_calibration_error(probs: np.ndarray, targets: np.ndarray, bins: int = 10) -> float:
    """Gap between confidence and accuracy, averaged over confidence bins."""
    import numpy as np

    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == targets
    edges = np.linspace(0.0, 1.0, bins + 1)
    error = 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            error += inside.mean() * abs(confidence[inside].mean() - correct[inside].mean())
    return float(error)


#: The highest out-of-scope threshold chosen without out-of-scope examples.
MAX_THRESHOLD = 0.99


def choose_threshold(probs: np.ndarray, targets: np.ndarray, labels: Sequence[str],
                     out_of_scope: str, max_in_scope_rejection: float) -> float:
    """Confidence below which a prediction becomes ``out_of_scope``.

    With out-of-scope examples in validation: the threshold that maximises accuracy with
    out-of-scope as a class (ties: the lowest). Without: the highest threshold that
    rejects at most ``max_in_scope_rejection`` of the correctly classified messages.
    """
    import numpy as np

    if len(targets) == 0:
        return 0.0
    predicted = probs.argmax(axis=1)
    confidence = probs.max(axis=1)
    oos = labels.index(out_of_scope) if out_of_scope in labels else -1
    if oos >= 0 and (targets == oos).any():
        best, best_accuracy = 0.0, -1.0
        for threshold in np.round(np.arange(0.0, 0.96, 0.025), 3):
            final = np.where(confidence < threshold, oos, predicted)
            accuracy = float((final == targets).mean())
            if accuracy > best_accuracy + 1e-9:
                best, best_accuracy = float(threshold), accuracy
        return best
    correct = confidence[(predicted == targets) & (targets != oos)]
    if len(correct) == 0 or max_in_scope_rejection <= 0:
        return 0.0
    # A model sure of every validation message (confidence 1.0 in float32) would get a
    # threshold of 1.0, which rejects everything it is less than sure of: cap it.
    return min(float(np.quantile(correct, max_in_scope_rejection)), MAX_THRESHOLD)
