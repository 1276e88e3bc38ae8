"""Fixtures for the HTTP channel: the app over the real assistant (the session's trained
NLU model, a copy of the demo shop), a test client, agents, and shoppers of the demo shop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from kefu.privacy import PiiMasker, get_masker
from kefu.store import Store
from kefu.store.demo import REFERENCE_DATE
from tests.dialogue.engine_support import SECRET

T = TypeVar("T")

AGENT_PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def masker() -> PiiMasker:
    m = get_masker()
    m.mask("0")
    return m


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coroutine)`` in a thread of its own: a test worker that has run the
    browser tests keeps Playwright's sync API, and with it a running event loop, in the main
    thread, where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def serve_settings(tmp_path: Path, **overrides: Any) -> Any:
    from kefu.settings import load_settings

    values: dict[str, Any] = {
        "home": tmp_path, "secret_key": SECRET, "rate_limit_per_minute": 0,
        "store_frozen_at": REFERENCE_DATE,
        "tracker_url": f"sqlite:///{tmp_path / 'conversations.db'}",
    }
    values.update(overrides)
    return load_settings(**values)


def make_client(store: Store, nlu: Any, masker: PiiMasker, settings: Any) -> Any:
    from fastapi.testclient import TestClient

    from kefu.channels.http import create_app
    from kefu.dialogue.engine import Assistant, Components
    from kefu.dialogue.trackers import open_tracker_store

    tracker = open_tracker_store(url=settings.tracker_store_url, masker=masker)
    assistant = Assistant(Components(store=store, tracker=tracker, nlu=nlu,
                                     secret_key=settings.secret_key))
    return TestClient(create_app(settings, assistant=assistant))


@pytest.fixture
def shop(request: pytest.FixtureRequest) -> tuple[Store, Any]:
    """A copy of the demo shop and the parser that knows its catalog."""
    return request.getfixturevalue("demo_store"), request.getfixturevalue("demo_nlu")


@pytest.fixture
def client(shop: tuple[Store, Any], masker: PiiMasker, tmp_path: Path) -> Iterator[Any]:
    with make_client(*shop, masker, serve_settings(tmp_path)) as test_client:
        yield test_client


@pytest.fixture
def agents(shop: tuple[Store, Any]) -> dict[str, str]:
    """Three agents: alice and bob (passwords, bob also an API key), root (admin)."""
    from kefu.agents import AgentDirectory

    directory = AgentDirectory(shop[0])
    directory.add("alice", password=AGENT_PASSWORD)
    bob = directory.add("bob", password=AGENT_PASSWORD, api_key=True)
    root = directory.add("root", api_key=True, role="admin")
    assert bob.api_key and root.api_key
    return {"bob": bob.api_key, "root": root.api_key}


# The dialogue engine's session fixtures: the NLU model trained once, the demo shop built once.
from tests.dialogue.engine_support import (  # noqa: E402, F401
    demo_nlu,
    demo_store,
    demo_template,
    nlu_model_dir,
)
