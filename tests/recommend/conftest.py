"""Fixtures of the recommender tests: the small shop (tests/recommend/shop.py), fitted once
per session with the e5 encoder (prepared once, shared with the NLU tests' fixtures), and a
fresh writable copy of the shop for tests that write preferences."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kefu.recommend import Recommender
from kefu.store import Store, open_store
from tests.nlu.conftest import e5_dir, encoder, models_dir  # noqa: F401 - shared fixtures
from tests.recommend.shop import build_shop


@pytest.fixture(scope="session")
def shop_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("rec-shop")
    url = f"sqlite:///{folder / 'shop.db'}"
    store = open_store(url)
    build_shop(store)
    store.dispose()
    return url


@pytest.fixture(scope="session")
def shop(shop_url: str) -> Iterator[Store]:
    """The small shop, read-only."""
    store = open_store(shop_url, migrate=False)
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def recommender(shop: Store, encoder, tmp_path_factory: pytest.TempPathFactory  # noqa: F811
                ) -> Recommender:
    """The hybrid recommender on the small shop, with the e5 encoder."""
    cache = tmp_path_factory.mktemp("rec-cache")
    return Recommender(cache_dir=cache).fit(shop, encoder)


@pytest.fixture
def writable_shop(tmp_path: Path) -> Iterator[Store]:
    """A fresh copy of the small shop that a test may write to."""
    store = open_store(f"sqlite:///{tmp_path / 'shop.db'}")
    build_shop(store)
    yield store
    store.dispose()
