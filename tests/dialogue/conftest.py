"""Fixtures for dialogue tests: one tracker store URL per backend, and the PII masker.

A test that takes ``tracker_url`` runs on a SQLite file, on a throw-away PostgreSQL
schema and on Redis db 15 under a key prefix of its own (deleted afterwards); the
PostgreSQL and Redis runs skip with the reason when no server answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kefu.privacy import PiiMasker, get_masker
from tests.conftest import REDIS_URL, require_redis


@pytest.fixture
def redis_tracker_url() -> Iterator[str]:
    require_redis()
    import redis

    prefix = f"kefu_test_{uuid.uuid4().hex[:12]}:"
    sep = "&" if "?" in REDIS_URL else "?"
    yield f"{REDIS_URL}{sep}key_prefix={prefix}"
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres),
                        pytest.param("redis", marks=pytest.mark.redis)])
def tracker_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using it runs once per tracker store backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'conversations.db'}"
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return str(request.getfixturevalue("redis_tracker_url"))


@pytest.fixture(scope="session")
def masker() -> PiiMasker:
    m = get_masker()
    m.mask("0")  # build the Presidio engines once, outside timed tests
    return m


# The dialogue engine's fixtures (real NLU model, demo and tau-bench stores, chats).
from tests.dialogue.engine_support import (  # noqa: E402, F401
    demo_chat,
    demo_day,
    demo_kb_chat,
    demo_knowledge,
    demo_nlu,
    demo_store,
    demo_template,
    nlu_model_dir,
    tau_chat,
    tau_nlu,
    tau_store,
    taubench_template,
)
