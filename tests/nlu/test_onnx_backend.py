"""The ONNX Runtime backend gives the PyTorch encoder's embeddings and predictions."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from kefu.errors import InvalidInput
from kefu.nlu.classifier import IntentClassifier, _link_tree
from kefu.nlu.encoder import SentenceEncoder
from kefu.nlu.encoder.onnx import (
    FP32_FILE,
    INT8_FILE,
    OnnxSentenceEncoder,
    _fp32_nodes,
    _same_weights,
    check_backend,
    export_onnx,
    onnx_path,
)

pytestmark = pytest.mark.xdist_group("nlu_model")

TEXTS = ["where is my order #W2378156?", "我的订单什么时候发货", "hi",
         "I want to return the red shoes I bought last week, they do not fit " * 20,
         "帮我查一下 order #W1234567 的物流"]


@pytest.fixture(scope="module")
def saved_model(frozen_model: IntentClassifier, tmp_path_factory: pytest.TempPathFactory
                ) -> Path:
    return frozen_model.save(tmp_path_factory.mktemp("onnx") / "model")


def test_tokenizer_matches_transformers(encoder: SentenceEncoder, saved_model: Path) -> None:
    onnx = IntentClassifier.load(saved_model, backend="onnx").encoder
    assert isinstance(onnx, OnnxSentenceEncoder)
    expected = encoder.tokenize(TEXTS)
    for i, encoding in enumerate(onnx.tokenizer.encode_batch([onnx.prefix + t for t in TEXTS])):
        length = int(expected["attention_mask"][i].sum())
        assert encoding.ids[:length] == expected["input_ids"][i][:length].tolist()
        assert len(encoding.ids) == expected["input_ids"].shape[1]  # padded alike


@pytest.mark.parametrize(("backend", "min_cosine"), [("onnx", 0.9999), ("onnx-int8", 0.99)])
def test_embeddings_and_predictions_match_torch(encoder: SentenceEncoder, saved_model: Path,
                                                frozen_model: IntentClassifier, backend: str,
                                                min_cosine: float) -> None:
    model = IntentClassifier.load(saved_model, backend=backend)
    reference = encoder.encode(TEXTS)
    got = model.encoder.encode(TEXTS)
    assert got.shape == reference.shape and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * reference).sum(axis=1).min() >= min_cosine
    # the middle layer the classifier also pools comes out of the same graph
    both, reference_both = (e.encode(TEXTS, middle_layer=True) for e in (model.encoder,
                                                                         encoder))
    assert both.shape == (len(TEXTS), 2 * encoder.dimension)
    np.testing.assert_allclose(both[:, :encoder.dimension] * np.sqrt(2), got, atol=1e-5)
    middle, reference_middle = (b[:, encoder.dimension:] * np.sqrt(2)
                                for b in (both, reference_both))
    assert (middle * reference_middle).sum(axis=1).min() >= min_cosine
    if backend == "onnx":
        assert [p.intent.name for p in model.predict(TEXTS)] == \
            [p.intent.name for p in frozen_model.predict(TEXTS)]
        np.testing.assert_allclose(model.predict_proba(TEXTS), frozen_model.predict_proba(TEXTS),
                                   atol=1e-3)
    assert (saved_model / "encoder" / "onnx" /
            (INT8_FILE if backend == "onnx-int8" else FP32_FILE)).is_file()


def test_int8_keeps_the_feed_forward_outputs_in_fp32(saved_model: Path) -> None:
    import onnx

    IntentClassifier.load(saved_model, backend="onnx-int8")
    graph = onnx.load(str(saved_model / "encoder" / "onnx" / INT8_FILE),
                      load_external_data=False).graph
    kept = _fp32_nodes(saved_model / "encoder" / "onnx" / FP32_FILE)
    assert len(kept) == 12  # one per layer of e5-small
    assert all("/output/dense/" in name and "/attention/" not in name for name in kept)
    float_products = {node.name for node in graph.node if node.op_type == "MatMul"}
    assert set(kept) <= float_products
    assert sum(node.op_type == "MatMulInteger" for node in graph.node) == 60  # 72 - 12


def test_batch_results_equal_single_results(saved_model: Path) -> None:
    encoder = IntentClassifier.load(saved_model, backend="onnx").encoder
    batch = encoder.encode(TEXTS)
    single = np.vstack([encoder.encode([t]) for t in TEXTS])
    assert np.allclose(batch, single, atol=1e-4)  # padding does not change an embedding


def test_a_variant_is_made_once_and_keeps_its_own_truncation(saved_model: Path) -> None:
    encoder = IntentClassifier.load(saved_model, backend="onnx").encoder
    assert isinstance(encoder, OnnxSentenceEncoder)
    passages = encoder.variant(prefix="passage: ", max_length=16, batch_size=8)
    assert encoder.variant(prefix="passage: ", max_length=16, batch_size=8) is passages
    assert encoder.variant(prefix="passage: ", max_length=32, batch_size=8) is not passages
    long_text = TEXTS[3]
    assert len(passages.tokenizer.encode(long_text).ids) == 16
    assert len(encoder.tokenizer.encode(long_text).ids) == encoder.max_length  # untouched
    assert passages.session is encoder.session


def test_concurrent_exports_write_one_file(e5_dir: Path, tmp_path: Path) -> None:
    directory = tmp_path / "encoder"
    _link_tree(e5_dir, directory)
    results: list[Path] = []
    threads = [threading.Thread(target=lambda: results.append(export_onnx(directory,
                                                                           int8=False)))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [onnx_path(directory, False)] * 2
    assert sorted(p.name for p in (directory / "onnx").iterdir()) == [".export.lock",
                                                                      FP32_FILE]


def test_unknown_backend_is_refused_with_its_name(saved_model: Path) -> None:
    with pytest.raises(InvalidInput, match="tensorrt"):
        check_backend("tensorrt")
    with pytest.raises(InvalidInput, match="onnx-int8"):
        IntentClassifier.load(saved_model, backend="int8")


def test_settings_refuse_an_unknown_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    from kefu.errors import ConfigError
    from kefu.settings import Settings

    monkeypatch.setenv("KEFU_NLU_BACKEND", "gpu")
    with pytest.raises((ConfigError, ValueError), match="nlu_backend"):
        Settings()


def test_a_model_on_onnx_cannot_be_saved_as_finetuned(saved_model: Path, tmp_path: Path) -> None:
    model = IntentClassifier.load(saved_model, backend="onnx")
    model.metadata["kind"] = "finetuned"
    with pytest.raises(InvalidInput, match="torch backend"):
        model.save(tmp_path / "copy")
    assert not (tmp_path / "copy").exists() and not (tmp_path / "copy.partial").exists()


def test_knowledge_and_recommender_encoder_follows_the_backend(
        e5_dir: Path, encoder: SentenceEncoder, tmp_path: Path) -> None:
    from kefu.knowledge.base import load_encoder
    from kefu.settings import Settings

    _link_tree(e5_dir, tmp_path / "models" / e5_dir.name)
    onnx = load_encoder(Settings(home=tmp_path, nlu_backend="onnx-int8"))
    # always fp32: the knowledge index and the product vectors are embedded in fp32
    assert isinstance(onnx, OnnxSentenceEncoder) and onnx.backend == "onnx"
    assert (onnx.encode(TEXTS) * encoder.encode(TEXTS)).sum(axis=1).min() >= 0.9999
    assert isinstance(load_encoder(Settings(home=tmp_path, nlu_backend="torch")),
                      SentenceEncoder)


def test_a_frozen_models_graph_is_linked_from_its_base_encoder(e5_dir: Path,
                                                               tmp_path: Path) -> None:
    base = tmp_path / "base"
    _link_tree(e5_dir, base)  # stands for the prepared encoder, with no export yet
    model_encoder = tmp_path / "model" / "encoder"
    _link_tree(base, model_encoder)  # what a frozen model's save does
    path = export_onnx(model_encoder, int8=False, base_dir=base)
    assert path == onnx_path(model_encoder, False)
    assert path.samefile(onnx_path(base, False))  # one export, two names
    # weights of its own (a copy, or a fine-tuned encoder): no sharing
    assert _same_weights(model_encoder, base)
    assert not _same_weights(model_encoder, model_encoder)
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "model.safetensors").write_bytes(b"not the same file")
    assert not _same_weights(copy, base)
    assert not _same_weights(tmp_path / "missing", base)
