"""The frozen recipe's second head: training, numpy inference, the mix, persistence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.numpy import load_file, save_file

from kefu.errors import ModelNotReady
from kefu.nlu import load_model
from kefu.nlu.calibration import softmax
from kefu.nlu.classifier import HEAD_FILE, MODEL_FILE, IntentClassifier
from kefu.nlu.encoder import SentenceEncoder
from kefu.nlu.frozen import train_frozen_head
from kefu.nlu.mlp import MlpHead, fit_mlp_head, gelu
from kefu.nlu.ngrams import CharNgrams
from kefu.nlu.options import TrainingOptions
from kefu.nlu.types import Example

pytestmark = pytest.mark.xdist_group("nlu_model")

TEXTS = ["where's my package", "我的快递到哪了", "I need to return this jacket", "hello!"]


def test_numpy_gelu_is_torchs_tanh_gelu() -> None:
    x = np.linspace(-6, 6, 101, dtype=np.float32)
    expected = torch.nn.GELU(approximate="tanh")(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(gelu(x), expected, atol=1e-6)


def test_the_frozen_model_mixes_both_heads(frozen_model: IntentClassifier) -> None:
    assert frozen_model.middle_layer and frozen_model.mlp is not None
    assert frozen_model.mlp_share == TrainingOptions().mlp_share
    assert "MLP" in frozen_model.metadata["head"]
    assert "middle layers" in frozen_model.metadata["head"]
    embeddings = frozen_model.embed(TEXTS)
    assert embeddings.shape == (len(TEXTS), 2 * frozen_model.encoder.dimension)
    linear = frozen_model.logits_from_embeddings(embeddings) + frozen_model.ngram_logits(TEXTS)
    rows = [frozen_model.ngrams.features(t) for t in TEXTS]  # type: ignore[union-attr]
    mlp = frozen_model.mlp.logits(embeddings, rows)
    share = frozen_model.mlp_share
    mixed = (1 - share) * softmax(linear) + share * softmax(mlp)
    np.testing.assert_allclose(softmax(frozen_model.logits(TEXTS)), mixed, atol=1e-5)
    # the heads are not copies of each other: each has its own view
    assert not np.allclose(softmax(linear), softmax(mlp), atol=1e-2)


def test_numpy_logits_equal_a_torch_forward_pass() -> None:
    rng = np.random.default_rng(0)
    texts = ["track my order", "我要退货", "where is it", "退款多久到账"] * 5
    ngrams = CharNgrams.fit(texts, min_df=1)
    x = rng.normal(size=(len(texts), 12)).astype(np.float32)
    y = np.arange(len(texts)) % 3
    head = fit_mlp_head(x, texts, y, 3, ngrams, hidden=8, epochs=3, dropout=0.0, seed=1)
    assert head.in_weight.shape == (8, 12) and head.ngram_weight.shape == (ngrams.size, 3)
    dense = ngrams.transform(texts).toarray()
    t = {k: torch.from_numpy(v) for k, v in head.to_tensors().items()}
    xt = torch.from_numpy(x)
    expected = (torch.nn.functional.gelu(xt @ t["mlp_in_weight"].T + t["mlp_in_bias"],
                                         approximate="tanh") @ t["mlp_out_weight"].T
                + xt @ t["mlp_linear_weight"].T + t["mlp_bias"]
                + torch.from_numpy(dense.astype(np.float32)) @ t["mlp_ngram_weight"])
    got = head.logits(x, [ngrams.features(s) for s in texts])
    np.testing.assert_allclose(got, expected.numpy(), atol=1e-4)
    # scaled(s) expects embeddings s times smaller and scores them the same
    np.testing.assert_allclose(head.scaled(2.0).logits(x / 2, [ngrams.features(s) for s in texts]),
                               got, atol=1e-4)


def test_training_is_reproducible_with_a_seed() -> None:
    texts = ["track my order", "我要退货", "where is it", "退款多久到账"] * 3
    ngrams = CharNgrams.fit(texts, min_df=1)
    x = np.random.default_rng(0).normal(size=(len(texts), 6)).astype(np.float32)
    y = np.arange(len(texts)) % 2
    a, b = (fit_mlp_head(x, texts, y, 2, ngrams, hidden=4, epochs=2, dropout=0.3, seed=7)
            for _ in range(2))
    for name, value in a.to_tensors().items():
        np.testing.assert_array_equal(value, b.to_tensors()[name], err_msg=name)


def test_without_a_second_head_the_logits_are_linear(
        small_examples: list[Example], encoder: SentenceEncoder) -> None:
    model = train_frozen_head(small_examples, encoder, TrainingOptions(
        validation_fraction=0.0, c_values=(16.0,), mlp_hidden=0, middle_layer=False))
    assert model.mlp is None and model.mlp_share == 0.0 and not model.middle_layer
    assert "MLP" not in model.metadata["head"]
    np.testing.assert_allclose(
        model.logits(TEXTS),
        model.logits_from_embeddings(model.embed(TEXTS)) + model.ngram_logits(TEXTS),
        atol=1e-5)
    assert model.embed(TEXTS).shape == (len(TEXTS), encoder.dimension)


def test_save_and_load_keep_the_second_head(frozen_model: IntentClassifier,
                                            tmp_path: Path) -> None:
    target = frozen_model.save(tmp_path / "model")
    config = json.loads((target / MODEL_FILE).read_text(encoding="utf-8"))
    assert config["middle_layer"] is True and config["mlp_share"] == frozen_model.mlp_share
    loaded = load_model(target)
    assert loaded.middle_layer and loaded.mlp is not None
    for name, value in frozen_model.mlp.to_tensors().items():  # type: ignore[union-attr]
        np.testing.assert_array_equal(loaded.mlp.to_tensors()[name], value, err_msg=name)
    np.testing.assert_allclose(loaded.predict_proba(TEXTS), frozen_model.predict_proba(TEXTS),
                               atol=1e-5)


def test_a_head_that_does_not_fit_is_refused_on_load(frozen_model: IntentClassifier,
                                                     tmp_path: Path) -> None:
    target = frozen_model.save(tmp_path / "model")
    tensors = load_file(str(target / HEAD_FILE))
    tensors["mlp_out_weight"] = tensors["mlp_out_weight"][:, :-1].copy()
    save_file(tensors, str(target / HEAD_FILE))
    with pytest.raises(ModelNotReady, match="inconsistent.*mlp_out_weight"):
        load_model(target)


def test_a_share_without_a_head_is_refused(frozen_model: IntentClassifier) -> None:
    with pytest.raises(ValueError, match="mlp_share"):
        IntentClassifier(frozen_model.encoder, frozen_model.weight, frozen_model.bias,
                         frozen_model.labels, middle_layer=True, mlp_share=0.5)
    with pytest.raises(ValueError, match="does not fit"):
        IntentClassifier(frozen_model.encoder, frozen_model.weight, frozen_model.bias,
                         frozen_model.labels, middle_layer=False)
    assert MlpHead.from_tensors({"weight": np.zeros(1)}) is None  # a model without one


def test_options_check_the_second_head() -> None:
    with pytest.raises(ValueError, match="mlp_share must be in"):
        TrainingOptions(mlp_share=1.5)
    with pytest.raises(ValueError, match="mlp_hidden must be 0 or more"):
        TrainingOptions(mlp_hidden=-1)
