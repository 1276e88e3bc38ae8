"""Conversations in a SQL database: a SQLite file (the default) or PostgreSQL.

Two small tables of their own, created with ``metadata.create_all`` when the store opens
(they are not part of the store's Alembic history, so the tracker can live in its own
SQLite file or share the store's PostgreSQL database):

* ``kefu_conversations``: one row per conversation with its event count and times;
* ``kefu_conversation_events``: one row per event, keyed by (conversation, ``seq``), the
  event as JSON text.

Appending is one transaction of two statements: an upsert of the conversation row moves
its count on and returns it (PostgreSQL holds the row's lock until commit; SQLite's writing
transaction starts with ``BEGIN IMMEDIATE``, which takes the database's write lock), then
the events are inserted with the sequence numbers before that count.

Per-conversation locks (:meth:`SqlTrackerStore.lock`):

* PostgreSQL: a session advisory lock, ``pg_advisory_lock`` on a 64-bit hash of the
  conversation id, held on a dedicated connection for the ``with`` block, waiting at
  most ``lock_timeout``. It works across processes and hosts and is released by the
  server if the process dies.
* SQLite: an exclusive ``flock`` on a file in ``<database>.locks/`` named after a hash of
  the id. It works across threads and processes on one host (SQLite is single-host
  anyway), and the kernel releases it if the process dies, so no lock is ever left
  stale. Lock files are empty and are not removed. An in-memory SQLite database, or a
  system without ``flock`` (Windows), gets in-process locks only: run one process there.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, OperationalError

from kefu.dialogue.events import Event
from kefu.dialogue.trackers.base import (
    DEFAULT_LOCK_TIMEOUT,
    MAX_CONVERSATION_ID_LENGTH,
    ConversationSummary,
    check_conversation_id,
    check_page,
    check_timeout,
    decode_event,
    encode_event,
    locked_error,
)
from kefu.errors import BackendUnavailable, ConfigError

metadata = MetaData()

conversations_table = Table(
    "kefu_conversations", metadata,
    Column("conversation_id", String(MAX_CONVERSATION_ID_LENGTH), primary_key=True),
    Column("event_count", Integer, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False, index=True),
)

events_table = Table(
    "kefu_conversation_events", metadata,
    Column("conversation_id", String(MAX_CONVERSATION_ID_LENGTH),
           ForeignKey("kefu_conversations.conversation_id", ondelete="CASCADE"),
           primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("type", String(40), nullable=False),
    Column("timestamp", Float, nullable=False),
    Column("data", Text, nullable=False),
)

_LOCK_POLL_S = 0.01

try:
    import fcntl  # noqa: F401  (POSIX only; elsewhere SQLite locks are per process)

    _HAVE_FLOCK = True
except ImportError:  # pragma: no cover - Windows
    _HAVE_FLOCK = False


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN IMMEDIATE instead of pysqlite's
    # deferred BEGIN (pysqlite would only take the write lock at the first write).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Writes take the write lock up front. Reads are single SELECTs, each consistent on its
    # own in autocommit, so they open no transaction (one statement less per read).
    if conn.get_execution_options().get("kefu_write", False):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _advisory_key(conversation_id: str) -> int:
    digest = hashlib.blake2b(f"kefu.tracker:{conversation_id}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def _sqlite_path(url: str) -> Path | None:
    path = url.split("///", 1)[1] if "///" in url else ""
    path = path.split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


class SqlTrackerStore:
    """Tracker store on SQLAlchemy: ``sqlite:///path.db`` or ``postgresql+psycopg://...``."""

    def __init__(self, url: str) -> None:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        self.url = url
        self._local_locks: dict[str, threading.Lock] = {}
        self._local_guard = threading.Lock()
        self._lock_dir: Path | None = None
        self.engine = self._make_engine(url)
        self._create_tables()

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def _make_engine(self, url: str) -> Engine:
        if url.startswith("sqlite"):
            path = _sqlite_path(url)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._lock_dir = path.with_name(path.name + ".locks")
                self._lock_dir.mkdir(exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        if url.startswith("postgresql"):
            return create_engine(url, pool_pre_ping=True)
        raise ConfigError(
            f"unsupported tracker database URL {url!r}",
            hint="use sqlite:///path/conversations.db or postgresql+psycopg://user@host/db",
        )

    def _create_tables(self) -> None:
        try:
            metadata.create_all(self.engine)
        except OperationalError as exc:
            raise BackendUnavailable(
                f"cannot reach the tracker database at {self.engine.url!r}: {exc.orig}",
                hint="check KEFU_TRACKER_URL and that the server is running") from None
        except DBAPIError:
            # two processes creating the tables at once: the other one won
            metadata.create_all(self.engine)

    # -- events ---------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A transaction that commits at the end; on SQLite it holds the write lock."""
        with self.engine.connect().execution_options(kefu_write=True) as conn, conn.begin():
            yield conn

    def append(self, conversation_id: str, events: Sequence[Event]) -> None:
        check_conversation_id(conversation_id)
        if not events:
            return
        rows = [(e.type_name, e.timestamp, encode_event(e)) for e in events]
        now = time.time()
        c = conversations_table
        dialect_insert = pg_insert if self.backend == "postgresql" else sqlite_insert
        # One upsert moves the count on and returns it (PostgreSQL locks the row until
        # commit; SQLite's BEGIN IMMEDIATE already holds the write lock), so the events get
        # their sequence numbers without a read first: two statements per append.
        row = dialect_insert(c).values(conversation_id=conversation_id,
                                       event_count=len(rows), created_at=now, updated_at=now)
        upsert = row.on_conflict_do_update(
            index_elements=[c.c.conversation_id],
            set_={"event_count": c.c.event_count + len(rows), "updated_at": now},
        ).returning(c.c.event_count)
        with self._write() as conn:
            start = int(conn.execute(upsert).scalar_one()) - len(rows)
            conn.execute(insert(events_table), [
                {"conversation_id": conversation_id, "seq": start + i, "type": type_name,
                 "timestamp": timestamp, "data": data}
                for i, (type_name, timestamp, data) in enumerate(rows)
            ])

    def events(self, conversation_id: str) -> list[Event]:
        check_conversation_id(conversation_id)
        e = events_table
        with self.engine.connect() as conn:
            rows = conn.execute(select(e.c.seq, e.c.data)
                                .where(e.c.conversation_id == conversation_id)
                                .order_by(e.c.seq)).all()
        return [decode_event(data, where=f"{conversation_id}#{seq}: ") for seq, data in rows]

    def exists(self, conversation_id: str) -> bool:
        check_conversation_id(conversation_id)
        c = conversations_table
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(c)
                               .where(c.c.conversation_id == conversation_id)) == 1

    def event_count(self, conversation_id: str) -> int:
        check_conversation_id(conversation_id)
        c = conversations_table
        with self.engine.connect() as conn:
            count = conn.scalar(select(c.c.event_count)
                                .where(c.c.conversation_id == conversation_id))
        return int(count or 0)

    def list_conversations(self, limit: int = 50, offset: int = 0) -> list[ConversationSummary]:
        check_page(limit, offset)
        c = conversations_table
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.c.conversation_id, c.c.event_count, c.c.created_at,
                                       c.c.updated_at)
                                .order_by(c.c.updated_at.desc(), c.c.conversation_id)
                                .limit(limit).offset(offset)).all()
        return [ConversationSummary(*row) for row in rows]

    def delete(self, conversation_id: str) -> bool:
        check_conversation_id(conversation_id)
        with self._write() as conn:
            conn.execute(delete(events_table)
                         .where(events_table.c.conversation_id == conversation_id))
            result = conn.execute(delete(conversations_table).where(
                conversations_table.c.conversation_id == conversation_id))
        return bool(result.rowcount)

    # -- locks ----------------------------------------------------------------------

    def lock(self, conversation_id: str, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Any:
        check_conversation_id(conversation_id)
        timeout = check_timeout(timeout)
        if self.backend == "postgresql":
            return self._advisory_lock(conversation_id, timeout)
        if self._lock_dir is not None and _HAVE_FLOCK:
            return self._file_lock(conversation_id, timeout)
        return self._local_lock(conversation_id, timeout)

    @contextmanager
    def _advisory_lock(self, conversation_id: str, timeout: float) -> Iterator[None]:
        key = _advisory_key(conversation_id)
        conn = self.engine.connect()
        try:
            if timeout > 0:
                conn.exec_driver_sql(f"SET lock_timeout = {max(1, int(timeout * 1000))}")
                try:
                    conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
                except OperationalError as exc:
                    if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
                        raise locked_error(conversation_id, timeout) from None
                    raise
                conn.exec_driver_sql("SET lock_timeout = 0")
            elif not conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}):
                raise locked_error(conversation_id, timeout)
            conn.commit()  # the advisory lock is held by the session, not the transaction
            try:
                yield
            finally:
                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()
                except Exception:
                    conn.invalidate()  # closing the session releases its locks
                    raise
        finally:
            conn.close()

    @contextmanager
    def _file_lock(self, conversation_id: str, timeout: float) -> Iterator[None]:
        import fcntl

        assert self._lock_dir is not None
        name = hashlib.sha256(conversation_id.encode()).hexdigest()[:40] + ".lock"
        fd = os.open(self._lock_dir / name, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise locked_error(conversation_id, timeout) from None
                    time.sleep(_LOCK_POLL_S)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @contextmanager
    def _local_lock(self, conversation_id: str, timeout: float) -> Iterator[None]:
        with self._local_guard:
            lock = self._local_locks.setdefault(conversation_id, threading.Lock())
        acquired = lock.acquire(timeout=timeout) if timeout > 0 else lock.acquire(blocking=False)
        if not acquired:
            raise locked_error(conversation_id, timeout)
        try:
            yield
        finally:
            lock.release()

    def close(self) -> None:
        self.engine.dispose()
