"""Fixtures of the knowledge base: the e5 encoder (shared with tests/nlu, prepared once per
session), the shipped knowledge base indexed once per test process (in its own temporary
index), and a fake encoder for the index backends' contract tests."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from kefu.knowledge import KnowledgeBase
from kefu.knowledge.retrieval import E5Encoder
from kefu.knowledge.store import IndexStore
from kefu.knowledge.tokenize import tokenize
from kefu.nlu.encoder import SentenceEncoder
from tests.conftest import shipped_kb_index_url
from tests.nlu.conftest import e5_dir, encoder, models_dir  # noqa: F401 - shared fixtures


class HashingEncoder:
    """A deterministic stand-in for e5: a normalised bag of hashed tokens (64 dimensions).

    It implements the TextEncoder protocol and counts what it embeds, so tests can see
    which texts were (re-)embedded.
    """

    model_id = "hashing/64"

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(64, dtype=np.float32)
        for token in tokenize(text) or ["∅"]:
            vector[int(hashlib.md5(token.encode()).hexdigest(), 16) % 64] += 1.0
        return vector / np.linalg.norm(vector)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts])

    def encode_passages(self, texts: Sequence[str], *, show_progress: bool = False
                        ) -> np.ndarray:
        self.embedded.extend(texts)
        return np.stack([self._vector(t) for t in texts])


@pytest.fixture
def hashing_encoder() -> HashingEncoder:
    return HashingEncoder()


@pytest.fixture(scope="session")
def e5(encoder: SentenceEncoder) -> E5Encoder:  # noqa: F811
    return E5Encoder(encoder)


@pytest.fixture(scope="session")
def shipped_kb(tmp_path_factory: pytest.TempPathFactory,
               e5: E5Encoder) -> Iterator[KnowledgeBase]:  # noqa: F811
    # Shared by the xdist workers and by later runs when KEFU_TEST_MODELS_DIR is set: the
    # index lock makes the second worker wait and then find every file indexed.
    kb = KnowledgeBase(IndexStore(shipped_kb_index_url(tmp_path_factory)), e5)
    kb.index()
    yield kb
    kb.close()


def write_kb(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
