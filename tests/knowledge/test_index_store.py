"""The index backends (SQLite file, PostgreSQL schema) and incremental indexing: one
contract, run on both through the ``store_url`` fixture."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kefu.knowledge import KnowledgeBase
from kefu.knowledge.chunking import chunk_markdown
from kefu.knowledge.store import IndexStore
from tests.knowledge.conftest import HashingEncoder, write_kb

FILES = {
    "en/shipping.md": "# Shipping\n\n## Costs {#costs}\n\nOrders over 99 yuan ship free.\n\n"
                      "## Carriers {#carriers}\n\nWe ship with SF Express.\n",
    "zh/shipping.md": "# 配送\n\n## 运费 {#costs}\n\n满 99 元包邮。\n\n"
                      "## 快递 {#carriers}\n\n我们使用顺丰速运。\n",
    "en/returns.md": "# Returns\n\n## Window {#window}\n\nReturn within 7 days of delivery.\n",
}


def test_chunks_and_embeddings_round_trip(store_url: str) -> None:
    store = IndexStore(store_url)
    chunks = chunk_markdown(FILES["zh/shipping.md"], "zh/shipping.md")
    vectors = np.arange(2 * 4, dtype=np.float32).reshape(2, 4) / 10
    per_sentence = [vectors[:1] * 2, np.zeros((0, 4), dtype=np.float32)]
    per_pair = [vectors * 3, np.zeros((0, 4), dtype=np.float32)]
    no_questions = [np.zeros((0, 4), dtype=np.float32)] * 2
    store.replace_document("zh/shipping.md", "abc", chunks, [["满", "包邮"], ["顺丰"]], vectors,
                           per_sentence, per_pair, no_questions)
    loaded = store.load()
    assert [s.chunk for s in loaded] == chunks
    assert [s.tokens for s in loaded] == [("满", "包邮"), ("顺丰",)]
    np.testing.assert_array_equal(np.stack([s.embedding for s in loaded]), vectors)
    np.testing.assert_array_equal(loaded[0].sentence_embeddings, vectors[:1] * 2)
    assert loaded[1].sentence_embeddings.shape == (0, 4)
    np.testing.assert_array_equal(loaded[0].pair_embeddings, vectors * 3)
    assert loaded[1].pair_embeddings.shape == (0, 4)
    assert [s.question_embeddings.shape for s in loaded] == [(0, 4), (0, 4)]
    assert store.document_hashes() == {"zh/shipping.md": "abc"}
    # replacing a document replaces its chunks, not adds to them
    store.replace_document("zh/shipping.md", "def", chunks[:1], [["满"]], vectors[:1],
                           per_sentence[:1], per_pair[:1], no_questions[:1])
    assert len(store.load()) == 1 and store.document_hashes() == {"zh/shipping.md": "def"}
    store.set_meta("encoder", "x")
    store.set_meta("encoder", "y")
    assert store.get_meta("encoder") == "y" and store.get_meta("missing") is None
    store.remove_document("zh/shipping.md")
    assert store.load() == [] and store.document_hashes() == {}
    store.dispose()


def test_only_changed_files_are_reindexed(store_url: str, tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", FILES)
    encoder = HashingEncoder()
    kb = KnowledgeBase(IndexStore(store_url), encoder)
    first = kb.index(root)
    assert sorted(first.added) == sorted(FILES) and first.chunks == 5 and first.embedded == 5

    encoder.embedded.clear()
    again = kb.index(root)
    assert again.added == again.updated == again.removed == ()
    assert sorted(again.unchanged) == sorted(FILES) and encoder.embedded == []

    (root / "en" / "returns.md").write_text(
        "# Returns\n\n## Window {#window}\n\nReturn within 7 days of delivery.\n\n"
        "## Costs {#costs}\n\nFaulty items come back free. Others pay.\n", encoding="utf-8")
    (root / "zh" / "shipping.md").unlink()
    changed = kb.index(root)
    assert changed.updated == ("en/returns.md",)
    assert changed.removed == ("zh/shipping.md",)
    assert changed.embedded == 2
    # two sections, their three sentences and the one pair of adjacent sentences, all
    # from the changed file
    assert len(encoder.embedded) == 6
    assert "Costs: Faulty items come back free. Others pay." in encoder.embedded
    assert all("Return" in text or "Faulty" in text or text.startswith(("Window", "Costs"))
               for text in encoder.embedded)
    assert {c.key for c in kb.chunks} == {"shipping#costs", "shipping#carriers",
                                          "returns#window", "returns#costs"}
    kb.close()


def test_the_index_persists_and_loads_without_re_embedding(store_url: str,
                                                           tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", FILES)
    KnowledgeBase(IndexStore(store_url), HashingEncoder()).index(root)
    encoder = HashingEncoder()
    reopened = KnowledgeBase(IndexStore(store_url), encoder)
    hits = reopened.search("which courier do you ship with", "en", top_k=1)
    assert hits[0].key == "shipping#carriers" and encoder.embedded == []
    # BM25 runs on the stored jieba tokens
    assert reopened.search("快递用哪家", "zh", top_k=1, mode="bm25")[0].text == "我们使用顺丰速运。"


def test_another_encoder_or_folder_re_indexes_everything(store_url: str,
                                                         tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", FILES)
    kb = KnowledgeBase(IndexStore(store_url), HashingEncoder())
    kb.index(root)

    class OtherEncoder(HashingEncoder):
        model_id = "other/64"

    other = KnowledgeBase(IndexStore(store_url), OtherEncoder())
    assert other.index(root).embedded == 5
    moved = write_kb(tmp_path / "moved", FILES)
    assert other.index(moved).embedded == 5
