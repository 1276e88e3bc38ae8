"""The benchmarks' embedding cache keeps one store per kind of vector: the last layer's
embeddings and the wider last-and-middle-layer ones never mix, in memory or on disk."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from _nlu_common import install_embedding_cache  # noqa: E402


class CountingEncoder:
    prefix = "query: "

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def encode(self, texts: Any, *, middle_layer: bool = False,
               show_progress: bool = False) -> np.ndarray:
        self.calls.append(tuple(texts))
        width = 8 if middle_layer else 4
        return np.full((len(texts), width), float(width), dtype=np.float32)


def test_each_kind_of_vector_has_its_own_store(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    install_embedding_cache(encoder, tmp_path / "set.npz")
    assert encoder.encode(["a", "b"]).shape == (2, 4)
    assert encoder.encode(["a", "b"], middle_layer=True).shape == (2, 8)  # not the cached 4
    assert len(encoder.calls) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set.middle.npz", "set.npz"]

    again = CountingEncoder()
    install_embedding_cache(again, tmp_path / "set.npz")
    np.testing.assert_array_equal(again.encode(["b"], middle_layer=True), np.full((1, 8), 8.0))
    np.testing.assert_array_equal(again.encode(["a"]), np.full((1, 4), 4.0))
    assert again.calls == []  # both came from disk


def test_precompute_shards_are_read_by_kind(tmp_path: Path) -> None:
    shard = CountingEncoder()
    install_embedding_cache(shard, tmp_path / "set.shard0.npz")
    shard.encode(["c"], middle_layer=True)
    assert (tmp_path / "set.middle.shard0.npz").is_file()
    reader = CountingEncoder()
    install_embedding_cache(reader, tmp_path / "set.npz")
    assert reader.encode(["c"], middle_layer=True).shape == (1, 8)
    assert reader.calls == []
