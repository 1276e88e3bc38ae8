"""Evaluation: metrics, report files, entity scores; and the Parser on top of a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kefu.nlu.classifier import IntentClassifier, IntentPrediction
from kefu.nlu.evaluation import (
    IntentEvaluator,
    evaluate_intents,
    intent_metrics,
    intent_report,
    write_report,
)
from kefu.nlu.parser import Parser, default_model_dir
from kefu.nlu.types import Entity, Example, IntentScore
from kefu.settings import load_settings

pytestmark = pytest.mark.xdist_group("nlu_model")


class FixedModel:
    """A stand-in classifier that answers from a table (tests the evaluator alone)."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers

    def predict(self, texts: list[str]) -> list[IntentPrediction]:
        out = []
        for text in texts:
            score = IntentScore(self.answers[text], 0.8)
            out.append(IntentPrediction(text, score, (score,),
                                        score.name == "out_of_scope"))
        return out


EXAMPLES = [
    Example("a1", "a", source="x.yml:1"), Example("a2", "a", source="x.yml:2"),
    Example("b1", "b", source="y.yml:1"), Example("o1", "out_of_scope", source="y.yml:2"),
    Example("o2", "out_of_scope", source="y.yml:3"),
]
ANSWERS = {"a1": "a", "a2": "b", "b1": "b", "o1": "out_of_scope", "o2": "a"}


def test_metrics_on_known_predictions() -> None:
    metrics = evaluate_intents(FixedModel(ANSWERS), EXAMPLES)
    assert metrics["accuracy"] == pytest.approx(3 / 5)
    assert metrics["oos_recall"] == pytest.approx(0.5)
    assert metrics["in_scope_accuracy"] == pytest.approx(2 / 3)
    # a: P 1/2 R 1/2; b: P 1/2 R 1; oos: P 1 R 1/2
    assert metrics["macro_precision"] == pytest.approx((0.5 + 0.5 + 1) / 3)
    assert metrics["macro_recall"] == pytest.approx((0.5 + 1 + 0.5) / 3)
    assert IntentEvaluator(EXAMPLES, name="dev")(FixedModel(ANSWERS))["dev_accuracy"] == 0.6
    assert IntentEvaluator.primary_metric in metrics
    assert intent_metrics(["a"], ["a"])["macro_f1"] == 1.0


def test_report_files(tmp_path: Path) -> None:
    report = intent_report(FixedModel(ANSWERS), EXAMPLES)
    assert report.labels == ("a", "b", "out_of_scope")
    assert report.confusion == ((1, 1, 0), (0, 1, 0), (1, 0, 1))
    assert [(e.text, e.gold, e.predicted) for e in report.errors] == [
        ("a2", "a", "b"), ("o2", "out_of_scope", "a")]
    assert set(report.by_file) == {"x.yml", "y.yml"}
    assert report.by_file["x.yml"]["accuracy"] == 0.5
    assert report.entity_metrics is None
    assert "no entity annotations" in report.entity_note
    paths = write_report(report, tmp_path / "r")
    png = paths["confusion_matrix"].read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    lines = paths["errors"].read_text(encoding="utf-8").splitlines()
    assert lines[0] == "text\tgold\tpredicted\tconfidence\tsource"
    assert lines[1] == "a2\ta\tb\t0.8000\tx.yml:2"
    data = json.loads(paths["metrics"].read_text(encoding="utf-8"))
    assert data["primary_metric"] == "macro_f1"
    assert data["metrics"]["accuracy"] == 0.6


def test_entities_are_scored_when_annotated() -> None:
    pytest.importorskip("kefu.nlu.entities")
    text = "where is order #W2378156"
    example = Example(text, "order_status",
                      entities=(Entity("order_id", "#W2378156", 15, 24, "#W2378156"),))
    report = intent_report(FixedModel({text: "order_status"}), [example])
    assert report.entity_metrics is not None
    assert report.entity_metrics["order_id_recall"] == 1.0


def test_parser_fills_intent_entities_and_language(frozen_model: IntentClassifier,
                                                   tmp_path: Path) -> None:
    directory = frozen_model.save(tmp_path / "kefu-nlu")
    parser = Parser.load(directory, settings=load_settings(home=tmp_path))
    result = parser.parse("我的订单#W2378156到哪了")
    assert result.intent.name == "order_status"
    assert result.language == "zh"
    assert result.first("order_id") == "#W2378156"
    assert 1 < len(result.ranking) <= 5
    assert not result.out_of_scope
    english = parser.parse("hello there")
    assert (english.intent.name, english.language) == ("greeting", "en")


def test_default_model_dir(tmp_path: Path) -> None:
    assert default_model_dir(load_settings(home=tmp_path)) == tmp_path / "models" / "kefu-nlu"
    chosen = tmp_path / "elsewhere"
    assert default_model_dir(load_settings(home=tmp_path, nlu_model=chosen)) == chosen
