"""Fixtures of the understanding layer: the base encoder, prepared once per test session.

Preparing costs about 7 s and 1.3 GB; set KEFU_TEST_MODELS_DIR to a directory CI caches
to do it once across runs. Tests that use the model share one xdist group, so a single
worker prepares and loads it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kefu.nlu.encoder import SentenceEncoder, default_base_model_dir, prepare_base_model


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cached = os.environ.get("KEFU_TEST_MODELS_DIR")
    if cached:
        return Path(cached)
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def e5_dir(models_dir: Path) -> Path:
    return prepare_base_model(default_base_model_dir(models_dir)).directory


@pytest.fixture(scope="session")
def encoder(e5_dir: Path) -> SentenceEncoder:
    return SentenceEncoder.load(e5_dir)
