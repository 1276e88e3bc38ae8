"""How good is an intent classifier: metrics, a per-intent table, confusion matrix, errors.

Evaluators return ``dict[str, float]`` whose primary metric is ``macro_f1`` (as in
sentence-transformers); :func:`intent_report` keeps everything needed for a human report,
and :func:`write_report` writes it (confusion_matrix.png, errors.tsv, metrics.json).
"""

from __future__ import annotations

import csv
import json
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from kefu.nlu.classifier import IntentPrediction
from kefu.nlu.taxonomy import OUT_OF_SCOPE
from kefu.nlu.types import Example

PRIMARY_METRIC = "macro_f1"


class PredictsIntents(Protocol):
    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]: ...


@dataclass(frozen=True)
class PredictionError:
    text: str
    gold: str
    predicted: str
    confidence: float
    source: str = ""


@dataclass(frozen=True)
class IntentReport:
    metrics: dict[str, float]
    per_intent: dict[str, dict[str, float]]  # label -> precision, recall, f1, support
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]  # rows: gold, columns: predicted
    errors: tuple[PredictionError, ...]
    by_file: dict[str, dict[str, float]] = field(default_factory=dict)
    entity_metrics: dict[str, float] | None = None
    entity_note: str = ""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["primary_metric"] = PRIMARY_METRIC
        return data


def intent_metrics(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Accuracy, macro and weighted precision/recall/F1, and out-of-scope recall."""
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    labels = sorted(set(gold) | set(predicted))
    metrics = {"accuracy": float(accuracy_score(gold, predicted)), "examples": float(len(gold))}
    for average in ("macro", "weighted"):
        p, r, f, _ = precision_recall_fscore_support(gold, predicted, labels=labels,
                                                     average=average, zero_division=0)
        metrics.update({f"{average}_precision": float(p), f"{average}_recall": float(r),
                        f"{average}_f1": float(f)})
    oos = [p for g, p in zip(gold, predicted, strict=True) if g == OUT_OF_SCOPE]
    if oos:
        metrics["oos_recall"] = sum(p == OUT_OF_SCOPE for p in oos) / len(oos)
    in_scope = [(g, p) for g, p in zip(gold, predicted, strict=True) if g != OUT_OF_SCOPE]
    if in_scope and oos:
        metrics["in_scope_accuracy"] = sum(g == p for g, p in in_scope) / len(in_scope)
    return metrics


def _file_of(source: str) -> str:
    path, _, line = source.rpartition(":")
    return path if line.isdigit() else source


def _entity_scores(examples: Sequence[Example]) -> tuple[dict[str, float] | None, str]:
    if not any(e.entities for e in examples):
        return None, "the data has no entity annotations"
    try:
        from kefu.nlu.entities import EntityExtractor, evaluate_entities
    except ImportError as exc:
        return None, f"entity extraction is not available ({exc})"
    return evaluate_entities(EntityExtractor(), examples), ""


def intent_report(model: PredictsIntents, examples: Sequence[Example], *,
                  entities: bool = True) -> IntentReport:
    """Predict every example once and gather all the figures of the report."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    predictions = model.predict([e.text for e in examples]) if examples else []
    gold = [e.intent for e in examples]
    predicted = [p.intent.name for p in predictions]
    labels = sorted(set(gold) | set(predicted))
    p, r, f, support = precision_recall_fscore_support(gold, predicted, labels=labels,
                                                       zero_division=0)
    per_intent = {label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                          "support": float(support[i])} for i, label in enumerate(labels)}
    with warnings.catch_warnings():  # one label only: sklearn warns, the shape is right
        warnings.simplefilter("ignore", UserWarning)
        matrix = confusion_matrix(gold, predicted, labels=labels)
    errors = tuple(PredictionError(e.text, e.intent, pr.intent.name, pr.intent.confidence,
                                   e.source)
                   for e, pr in zip(examples, predictions, strict=True)
                   if pr.intent.name != e.intent)
    by_file: dict[str, dict[str, float]] = {}
    files = sorted({_file_of(e.source) for e in examples})
    if len(files) > 1:
        for name in files:
            rows = [i for i, e in enumerate(examples) if _file_of(e.source) == name]
            by_file[name] = intent_metrics([gold[i] for i in rows], [predicted[i] for i in rows])
    entity_metrics, note = _entity_scores(examples) if entities else (None, "not requested")
    return IntentReport(
        metrics=intent_metrics(gold, predicted), per_intent=per_intent, labels=tuple(labels),
        confusion=tuple(tuple(int(v) for v in row) for row in matrix), errors=errors,
        by_file=by_file, entity_metrics=entity_metrics, entity_note=note)


class IntentEvaluator:
    """``IntentEvaluator(examples)(model) -> dict[str, float]``; primary metric macro_f1."""

    primary_metric = PRIMARY_METRIC

    def __init__(self, examples: Sequence[Example], name: str = "") -> None:
        if not examples:
            raise ValueError("an evaluator needs at least one example")
        self.examples = list(examples)
        self.name = name

    def __call__(self, model: PredictsIntents) -> dict[str, float]:
        metrics = intent_report(model, self.examples, entities=False).metrics
        prefix = f"{self.name}_" if self.name else ""
        return {prefix + k: v for k, v in metrics.items()}


def evaluate_intents(model: PredictsIntents, examples: Sequence[Example]) -> dict[str, float]:
    """Intent metrics of ``model`` on ``examples`` (see :func:`intent_metrics`)."""
    return IntentEvaluator(examples)(model)


def plot_confusion_matrix(report: IntentReport, path: Path) -> Path:
    """A PNG of the confusion matrix, coloured by the share of each gold row."""
    import numpy as np
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state

    matrix = np.array(report.confusion, dtype=float)
    n = len(report.labels)
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = max(6.0, 0.42 * n + 2.5)
    figure = Figure(figsize=(size, size), dpi=110)
    axes = figure.add_subplot()
    image = axes.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(n), report.labels, rotation=90, fontsize=8)
    axes.set_yticks(range(n), report.labels, fontsize=8)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    accuracy = report.metrics.get("accuracy", 0.0)
    axes.set_title(f"Intent confusion matrix (accuracy {accuracy:.3f}, "
                   f"macro F1 {report.metrics.get('macro_f1', 0.0):.3f})")
    for i in range(n):
        for j in range(n):
            if matrix[i, j]:
                axes.text(j, i, str(int(matrix[i, j])), ha="center", va="center", fontsize=7,
                          color="white" if shares[i, j] > 0.5 else "black")
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="share of gold row")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    return path


def write_report(report: IntentReport, directory: Path | str) -> dict[str, Path]:
    """Write confusion_matrix.png, errors.tsv and metrics.json into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"confusion_matrix": plot_confusion_matrix(report, directory / "confusion_matrix.png"),
             "errors": directory / "errors.tsv", "metrics": directory / "metrics.json"}
    with open(paths["errors"], "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["text", "gold", "predicted", "confidence", "source"])
        for error in report.errors:
            writer.writerow([error.text, error.gold, error.predicted,
                             f"{error.confidence:.4f}", error.source])
    paths["metrics"].write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
                                + "\n", encoding="utf-8")
    return paths
