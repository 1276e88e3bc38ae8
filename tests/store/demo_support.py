"""Shared helpers for store tests: a demo shop built once per backend, and a snapshot of
every table to compare a store before and after an operation.

Test modules import the fixtures they use (``from tests.store.demo_support import
demo_store``); the build is cached per process, so each backend builds the shop once.
"""

from __future__ import annotations

import atexit
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from kefu.store import Store, open_store
from kefu.store.demo import DemoSummary, build_demo_store
from tests.conftest import POSTGRES_URL, require_postgres
from tests.store.dump import db_dump

DEMO_SEED = 7


def snapshot(store: Store) -> str:
    """Every row of every store table as canonical JSON, comparable across backends."""
    dump = db_dump(store)
    data = {name: [[_plain(v) for v in row] for row in rows] for name, rows in dump.items()}
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        # SQLite gives naive datetimes (UTC), PostgreSQL aware ones: compare them in UTC.
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, (int, float, str, bool, type(None), list, dict)):
        return value
    return str(value)


def new_postgres_schema() -> str:
    """A fresh PostgreSQL schema's URL, dropped when the test process ends."""
    require_postgres()
    from sqlalchemy import create_engine, text

    schema = f"kefu_demo_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    atexit.register(drop)
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}"


@cache
def _built(backend: str, seed: int) -> tuple[str, DemoSummary, float]:
    if backend == "postgres":
        url = new_postgres_schema()
    else:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="kefu-demo-"))
        url = f"sqlite:///{folder / 'demo.db'}"
    store = open_store(url)
    started = time.perf_counter()
    summary = build_demo_store(store, seed=seed)
    seconds = time.perf_counter() - started
    store.dispose()
    return url, summary, seconds


def built_demo(backend: str, seed: int = DEMO_SEED) -> tuple[str, DemoSummary, float]:
    """(url, summary, seconds) of the demo shop on ``backend``, built once per process."""
    if backend == "postgres":
        require_postgres()
    return _built(backend, seed)


@pytest.fixture(scope="session",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The demo shop (read-only: tests must not write to it), once per backend."""
    url, _, _ = built_demo(request.param)
    store = open_store(url, migrate=False)
    yield store
    store.dispose()
