"""Fixtures and helpers for the dialogue engine tests.

The real NLU model is trained once per test session (the shipped data on the prepared
multilingual-e5-small); set KEFU_TEST_MODELS_DIR to a directory CI caches to train it
once across runs. Stores are built once per session (the demo shop, the tau-bench
import) and copied per test, so each test writes to its own SQLite file.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kefu.dialogue.engine import Assistant, Components, store_catalog
from kefu.dialogue.types import TurnResult
from kefu.knowledge.source import KnowledgeSource
from kefu.store import Store, clock, open_store
from kefu.store.demo import REFERENCE_DATE

SECRET = "test-secret-key"


@pytest.fixture(scope="session")
def nlu_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kefu.dialogue.setup import ensure_default_model
    from kefu.settings import load_settings

    cached = os.environ.get("KEFU_TEST_MODELS_DIR")
    models = Path(cached) if cached else tmp_path_factory.mktemp("models")
    return ensure_default_model(load_settings(), models_dir=models)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kefu.store.demo import build_demo_store

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = open_store(f"sqlite:///{path}")
    build_demo_store(store)
    store.dispose()
    return path


@pytest.fixture(scope="session")
def taubench_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kefu.store.taubench import import_taubench
    from tests.conftest import TAU1, require_taubench

    require_taubench()
    path = tmp_path_factory.mktemp("tau") / "tau.db"
    store = open_store(f"sqlite:///{path}")
    import_taubench(store, TAU1)
    store.dispose()
    return path


def _parser(model_dir: Path, template: Path) -> Any:
    from kefu.dialogue.understanding import load_understander

    store = open_store(f"sqlite:///{template}")
    try:
        return load_understander(model_dir, catalog=store_catalog(store))
    finally:
        store.dispose()


@pytest.fixture(scope="session")
def demo_nlu(nlu_model_dir: Path, demo_template: Path) -> Any:
    return _parser(nlu_model_dir, demo_template)


@pytest.fixture(scope="session")
def tau_nlu(demo_nlu: Any, taubench_template: Path) -> Any:
    from kefu.nlu.entities.extractor import EntityExtractor

    store = open_store(f"sqlite:///{taubench_template}")
    try:
        extractor = EntityExtractor(catalog=store_catalog(store))
    finally:
        store.dispose()
    return type(demo_nlu)(demo_nlu.classifier, extractor)


@pytest.fixture(scope="session")
def demo_knowledge(demo_nlu: Any, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[KnowledgeSource]:
    """The shipped knowledge base with the NLU model's own encoder, as build_components
    shares it; indexed on the first question that needs it."""
    from kefu.dialogue.engine import retrieval_encoder
    from kefu.knowledge import KnowledgeBase
    from kefu.knowledge.retrieval import E5Encoder
    from kefu.knowledge.source import KnowledgeSource
    from kefu.knowledge.store import IndexStore
    from tests.conftest import shipped_kb_index_url

    shared = retrieval_encoder(demo_nlu)
    assert shared is not None, "the default NLU model is a frozen head on e5"
    url = shipped_kb_index_url(tmp_path_factory)

    def opener() -> KnowledgeBase:
        kb = KnowledgeBase(IndexStore(url), E5Encoder(shared))
        kb.index()
        return kb

    source = KnowledgeSource(opener)
    yield source
    source.close()


def _copy_store(template: Path, tmp_path: Path, name: str) -> Iterator[Store]:
    path = tmp_path / name
    shutil.copy(template, path)
    store = open_store(f"sqlite:///{path}")
    yield store
    store.dispose()


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Iterator[Store]:
    yield from _copy_store(demo_template, tmp_path, "demo.db")


@pytest.fixture
def tau_store(taubench_template: Path, tmp_path: Path) -> Iterator[Store]:
    yield from _copy_store(taubench_template, tmp_path, "tau.db")


@pytest.fixture
def demo_day() -> Iterator[None]:
    """The store's clock on the demo shop's reference day (its data is dated around it)."""
    with clock.frozen_at(REFERENCE_DATE):
        yield


def make_assistant(store: Store, nlu: Any, tracker_url: str, masker: Any,
                   knowledge: KnowledgeSource | None = None) -> Assistant:
    from kefu.dialogue.trackers import open_tracker_store

    tracker = open_tracker_store(url=tracker_url, masker=masker)
    return Assistant(Components(store=store, tracker=tracker, nlu=nlu, secret_key=SECRET,
                                knowledge=knowledge))


@dataclass
class Chat:
    """One conversation with an assistant, keeping every turn's result."""

    assistant: Assistant
    conversation_id: str = "test-conversation"
    turns: list[TurnResult] = field(default_factory=list)

    def say(self, text: str, token: str | None = None) -> TurnResult:
        result = self.assistant.handle(self.conversation_id, text, customer_token=token)
        self.turns.append(result)
        return result


@pytest.fixture
def demo_chat(demo_store: Store, demo_nlu: Any, tmp_path: Path, masker: Any,
              demo_day: None) -> Iterator[Chat]:
    assistant = make_assistant(demo_store, demo_nlu, f"sqlite:///{tmp_path / 'conv.db'}",
                               masker)
    yield Chat(assistant)
    assistant.close()


@pytest.fixture
def demo_kb_chat(demo_store: Store, demo_nlu: Any, demo_knowledge: KnowledgeSource,
                 tmp_path: Path, masker: Any, demo_day: None) -> Iterator[Chat]:
    """A demo shop chat whose assistant answers from the shipped knowledge base."""
    assistant = make_assistant(demo_store, demo_nlu, f"sqlite:///{tmp_path / 'conv.db'}",
                               masker, demo_knowledge)
    yield Chat(assistant)
    assistant.close()


@pytest.fixture
def tau_chat(tau_store: Store, tau_nlu: Any, tmp_path: Path, masker: Any) -> Iterator[Chat]:
    assistant = make_assistant(tau_store, tau_nlu, f"sqlite:///{tmp_path / 'conv.db'}", masker)
    yield Chat(assistant)
    assistant.close()


def order_status(store: Store, order_id: str) -> str:
    from kefu.tools import call_tool

    return str(call_tool(store, "get_order_details", {"order_id": order_id})["status"])


def write_names(result: TurnResult) -> list[str]:
    return [a.name for a in result.wrote()]


@dataclass(frozen=True)
class Shopper:
    """A store customer with what a test needs to know about them."""

    user_id: str
    email: str
    first_name: str
    last_name: str
    zip: str
    phone: str | None
    orders: dict[str, list[dict[str, Any]]]  # status -> orders, newest first
    payment_methods: dict[str, Any]

    def of(self, status: str) -> list[dict[str, Any]]:
        return self.orders.get(status, [])


def shoppers(store: Store, limit: int | None = None) -> Iterator[Shopper]:
    """The store's customers with their orders, in a stable order."""
    from sqlalchemy import select

    from kefu.store.models import Customer
    from kefu.tools import call_tool

    with store.session() as session:
        ids = sorted(session.scalars(select(Customer.id)).all())
    for user_id in ids[:limit]:
        user = call_tool(store, "get_user_details", {"user_id": user_id})
        orders: dict[str, list[dict[str, Any]]] = {}
        for order_id in user["orders"]:
            order = call_tool(store, "get_order_details", {"order_id": order_id})
            orders.setdefault(order["status"], []).append(order)
        for listed in orders.values():
            listed.sort(key=lambda o: o.get("placed_at") or "", reverse=True)
        yield Shopper(user_id, user["email"], user["name"]["first_name"],
                      user["name"]["last_name"], user["address"]["zip"], user.get("phone"),
                      orders, user["payment_methods"])


def find_shopper(store: Store, *, chinese: bool | None = None, pending: int = 0,
                 delivered_recently: int = 0, limit: int | None = None,
                 extra: Any = None) -> Shopper:
    """The first customer that fits (demo orders delivered within 5 days of its day)."""
    import re
    from datetime import datetime

    for shopper in shoppers(store, limit):
        if chinese is not None and bool(re.search(r"[\u4e00-\u9fff]",
                                                  shopper.first_name)) != chinese:
            continue
        recent = [o for o in shopper.of("delivered") if o.get("delivered_at") is None or (
            REFERENCE_DATE.replace(tzinfo=None) - datetime.fromisoformat(o["delivered_at"])
        ).days < 5]
        if len(shopper.of("pending")) < pending or len(recent) < delivered_recently:
            continue
        if extra is not None and not extra(shopper):
            continue
        return shopper
    pytest.skip("no customer in this store fits the test")
