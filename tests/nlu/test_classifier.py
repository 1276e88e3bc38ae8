"""The frozen-embedding intent classifier: training, prediction, calibration, save/load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kefu.errors import InvalidInput, ModelNotReady
from kefu.nlu import load_model
from kefu.nlu.calibration import choose_threshold, fit_temperature, softmax
from kefu.nlu.classifier import IntentClassifier
from kefu.nlu.encoder import SentenceEncoder
from kefu.nlu.frozen import stratified_split, train_frozen_head
from kefu.nlu.options import TrainingOptions
from kefu.nlu.types import Example

pytestmark = pytest.mark.xdist_group("nlu_model")

HELD_OUT = [
    ("where's my package", "order_status"), ("我的快递到哪了", "order_status"),
    ("I need to return this jacket", "return_item"), ("我要退货", "return_item"),
    ("hello!", "greeting"), ("你好呀", "greeting"),
]


def test_frozen_head_learns_the_intents(frozen_model: IntentClassifier) -> None:
    assert frozen_model.labels == ("greeting", "order_status", "out_of_scope", "return_item")
    predictions = frozen_model.predict([t for t, _ in HELD_OUT])
    correct = sum(p.intent.name == gold for p, (_, gold) in zip(predictions, HELD_OUT,
                                                                 strict=True))
    assert correct >= 5, [(p.text, p.intent) for p in predictions]
    for p in predictions:
        assert len(p.ranking) == 4  # top 5, capped by the number of labels
        scores = [s.confidence for s in p.ranking]
        assert scores == sorted(scores, reverse=True)
        assert abs(sum(scores) - 1.0) < 1e-4
        assert 0.0 < p.intent.confidence <= 1.0


def test_training_metadata(frozen_model: IntentClassifier) -> None:
    meta = frozen_model.metadata
    assert meta["kind"] == "frozen"
    assert "character n-grams" in meta["head"]
    assert meta["examples"] == 40
    assert meta["validation_examples"] == 8
    assert meta["c"] in (4.0, 16.0)
    assert 0.0 <= meta["metrics"]["validation_accuracy"] <= 1.0
    assert frozen_model.temperature > 0


def test_save_and_load_round_trip(frozen_model: IntentClassifier, tmp_path: Path) -> None:
    target = frozen_model.save(tmp_path / "model")
    assert {p.name for p in target.iterdir()} == {"kefu_nlu.json", "head.safetensors",
                                                  "ngrams.json", "encoder"}
    loaded = load_model(target)
    assert loaded.ngrams is not None and loaded.ngrams.vocabulary == \
        frozen_model.ngrams.vocabulary  # type: ignore[union-attr]
    assert loaded.labels == frozen_model.labels
    assert loaded.temperature == pytest.approx(frozen_model.temperature)
    assert loaded.threshold == pytest.approx(frozen_model.threshold)
    assert loaded.metadata["kind"] == "frozen"
    texts = [t for t, _ in HELD_OUT]
    np.testing.assert_allclose(loaded.predict_proba(texts), frozen_model.predict_proba(texts),
                               atol=1e-5)
    # the encoder's weights are hard-linked, not copied, when on the same file system
    encoder_file = target / "encoder" / "model.safetensors"
    assert encoder_file.stat().st_size > 400_000_000


def test_ngrams_add_to_the_embedding_scores(frozen_model: IntentClassifier) -> None:
    texts = [t for t, _ in HELD_OUT]
    ngram_part = frozen_model.ngram_logits(texts)
    assert ngram_part.shape == (len(texts), len(frozen_model.labels))
    assert np.abs(ngram_part).max() > 0
    # the linear head alone (the mix with the second head is tested in test_mlp.py)
    linear = IntentClassifier(frozen_model.encoder, frozen_model.weight, frozen_model.bias,
                              frozen_model.labels, ngrams=frozen_model.ngrams,
                              ngram_weight=frozen_model.ngram_weight, middle_layer=True)
    np.testing.assert_allclose(
        linear.logits(texts),
        linear.logits_from_embeddings(linear.embed(texts)) + ngram_part, atol=1e-5)


def test_without_ngrams_the_head_uses_the_embedding_alone(
        small_examples: list[Example], encoder: SentenceEncoder) -> None:
    model = train_frozen_head(small_examples, encoder, TrainingOptions(
        validation_fraction=0.0, c_values=(16.0,), char_ngrams=False))
    assert model.ngrams is None and "character" not in model.metadata["head"]
    assert not model.ngram_logits(["where is my order"]).any()
    assert model.predict(["where is my order #W2378156"])[0].intent.name == "order_status"


def test_threshold_turns_low_confidence_into_out_of_scope(
        frozen_model: IntentClassifier) -> None:
    strict = IntentClassifier(frozen_model.encoder, frozen_model.weight, frozen_model.bias,
                              frozen_model.labels, temperature=frozen_model.temperature,
                              threshold=0.999, middle_layer=frozen_model.middle_layer)
    prediction = strict.predict(["could you maybe help me with something"])[0]
    assert prediction.out_of_scope
    assert prediction.intent.name == "out_of_scope"
    assert prediction.ranking[0].confidence < 0.999


def test_out_of_scope_class_is_predicted(frozen_model: IntentClassifier) -> None:
    prediction = frozen_model.predict(["what is the population of Brazil"])[0]
    assert prediction.intent.name == "out_of_scope"
    assert prediction.out_of_scope


def test_predict_refuses_a_bare_string(frozen_model: IntentClassifier) -> None:
    with pytest.raises(InvalidInput, match="list of texts"):
        frozen_model.predict("hello")  # type: ignore[arg-type]
    assert frozen_model.predict([]) == []


def test_load_missing_model_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelNotReady, match="kefu train"):
        load_model(tmp_path)


def test_needs_two_intents(encoder) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="at least 2 intents"):
        train_frozen_head([Example("hi", "greeting"), Example("hey", "greeting")], encoder)


def test_stratified_split_keeps_every_label_in_training() -> None:
    labels = ["a"] * 10 + ["b"] * 3 + ["c"]
    split = stratified_split(labels, 0.2, seed=1)
    assert sorted(split.train + split.validation) == list(range(len(labels)))
    assert [labels[i] for i in split.validation].count("a") == 2
    assert [labels[i] for i in split.validation].count("b") == 1
    assert "c" not in [labels[i] for i in split.validation]
    assert split == stratified_split(labels, 0.2, seed=1)


def test_temperature_scaling_softens_overconfident_logits() -> None:
    rng = np.random.default_rng(0)
    targets = rng.integers(0, 3, size=300)
    logits = rng.normal(size=(300, 3))
    logits[np.arange(300), targets] += 1.0  # right about 60% of the time...
    overconfident = logits * 10  # ...but claims ~100%
    temperature = fit_temperature(overconfident, targets)
    assert 5 < temperature < 20
    calibrated = softmax(overconfident, temperature).max(axis=1).mean()
    assert calibrated < softmax(overconfident).max(axis=1).mean()


def test_choose_threshold_with_and_without_out_of_scope_examples() -> None:
    labels = ["a", "b", "out_of_scope"]
    probs = np.array([[0.9, 0.05, 0.05], [0.85, 0.1, 0.05], [0.4, 0.35, 0.25],
                      [0.45, 0.3, 0.25]])
    with_oos = choose_threshold(probs, np.array([0, 0, 2, 2]), labels, "out_of_scope", 0.02)
    assert 0.45 < with_oos <= 0.85
    without = choose_threshold(probs[:2], np.array([0, 0]), labels, "out_of_scope", 0.5)
    assert without == pytest.approx(0.875)
    certain = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    assert choose_threshold(certain, np.array([0, 1]), labels, "out_of_scope", 0.02) == 0.99


def test_options_validate_their_values() -> None:
    with pytest.raises(ValueError, match="batch_size must be greater than 0, got 0"):
        TrainingOptions(batch_size=0)
    with pytest.raises(ValueError, match="c_values"):
        TrainingOptions(c_values=(0.0,))
    assert set(TrainingOptions.help()) >= {"epochs", "learning_rate", "validation_fraction"}
