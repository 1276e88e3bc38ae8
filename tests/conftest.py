"""Shared fixtures: real backends (a SQLite file, the PostgreSQL and Redis servers).

PostgreSQL tests run in a schema of their own (dropped afterwards) in the database named
by KEFU_TEST_POSTGRES_URL (default: the local server, database ``test``); they skip with
the reason when no server answers. Redis tests use KEFU_TEST_REDIS_URL likewise.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest

from kefu.store import Store, open_store

POSTGRES_URL = os.environ.get("KEFU_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KEFU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TAU1 = Path(os.environ.get("KEFU_TAUBENCH_DIR", SHARED_DATA / "taubench_retail" / "tau1"))


@cache
def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: skip
        return f"no PostgreSQL server answers at {POSTGRES_URL}: {exc.__class__.__name__}"
    return None


@cache
def redis_unavailable() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        return f"no Redis server answers at {REDIS_URL}: {exc.__class__.__name__}"
    return None


def require_postgres() -> None:
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)


def require_redis() -> None:
    reason = redis_unavailable()
    if reason:
        pytest.skip(reason)


def shipped_kb_index_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Where tests index the shipped knowledge base: next to the cached models when
    KEFU_TEST_MODELS_DIR is set (indexing is incremental and locked, so test processes
    and later runs share it), else a fresh temporary file."""
    cached = os.environ.get("KEFU_TEST_MODELS_DIR")
    folder = Path(cached) if cached else tmp_path_factory.mktemp("kb")
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'kb-index.db'}"


def require_taubench() -> None:
    if not (TAU1 / "users.json").is_file():
        pytest.skip(f"tau-bench retail data not found at {TAU1} (set KEFU_TAUBENCH_DIR)")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL schema, dropped after the test."""
    require_postgres()
    from sqlalchemy import create_engine, text

    schema = f"kefu_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """Each test using it runs once on a SQLite file and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def empty_store(store_url: str) -> Iterator[Store]:
    store = open_store(store_url)
    yield store
    store.dispose()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the developer's own kefu home or config."""
    home = tmp_path_factory.mktemp("kefu-home")
    monkeypatch.setenv("KEFU_HOME", str(home))
    monkeypatch.delenv("KEFU_DATABASE_URL", raising=False)
    monkeypatch.delenv("KEFU_CONFIG", raising=False)
    from kefu.settings import get_settings

    get_settings.cache_clear()
