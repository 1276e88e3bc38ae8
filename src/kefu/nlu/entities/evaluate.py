"""Precision, recall and F1 of an entity extractor on annotated examples.

A predicted entity counts as correct only when its type and its span (start, end) equal
a gold entity's: the exact-match scoring of CoNLL/seqeval. Values are not compared here;
normalisation has its own unit tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from kefu.nlu.types import Entity, Example


class ExtractsEntities(Protocol):
    def extract(self, text: str, lang: str | None = None) -> list[Entity]: ...


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate_entities(extractor: ExtractsEntities, examples: Iterable[Example],
                      types: Iterable[str] | None = None) -> dict[str, float]:
    """Scores by type and overall (micro average).

    Keys: ``"<type>_precision"``, ``"<type>_recall"``, ``"<type>_f1"`` and ``"<type>_support"``
    (gold count) for every type seen in gold or predictions, plus ``"micro_precision"``,
    ``"micro_recall"`` and ``"micro_f1"`` (the primary metric) and ``"examples"``.
    ``types`` limits scoring to those entity types (others are ignored on both sides).
    """
    wanted = set(types) if types is not None else None
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_examples = 0
    for example in examples:
        n_examples += 1
        gold = {(e.type, e.start, e.end) for e in example.entities
                if wanted is None or e.type in wanted}
        pred = {(e.type, e.start, e.end) for e in extractor.extract(example.text)
                if wanted is None or e.type in wanted}
        for key in gold:
            n_gold[key[0]] += 1
        for key in pred:
            n_pred[key[0]] += 1
            if key in gold:
                tp[key[0]] += 1
    scores: dict[str, float] = {}
    for type_ in sorted(set(n_gold) | set(n_pred)):
        p = tp[type_] / n_pred[type_] if n_pred[type_] else 0.0
        r = tp[type_] / n_gold[type_] if n_gold[type_] else 0.0
        scores[f"{type_}_precision"] = p
        scores[f"{type_}_recall"] = r
        scores[f"{type_}_f1"] = _f1(p, r)
        scores[f"{type_}_support"] = float(n_gold[type_])
    total_tp, total_pred, total_gold = sum(tp.values()), sum(n_pred.values()), sum(
        n_gold.values())
    micro_p = total_tp / total_pred if total_pred else 0.0
    micro_r = total_tp / total_gold if total_gold else 0.0
    scores["micro_precision"] = micro_p
    scores["micro_recall"] = micro_r
    scores["micro_f1"] = _f1(micro_p, micro_r)
    scores["examples"] = float(n_examples)
    return scores
