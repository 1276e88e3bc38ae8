"""Opening a store database (SQLite by default, PostgreSQL by URL) and its transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kefu.errors import BackendUnavailable, ConfigError


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for a store URL, with the settings each backend needs."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql"):
        return create_engine(url, pool_pre_ping=True)
    raise ConfigError(
        f"unsupported database URL {url!r}",
        hint="use sqlite:///path/to/store.db or postgresql+psycopg://user@host:5432/db",
    )


class Store:
    """A store database: an engine, a session factory and the schema at its latest version.

    Every write goes through :meth:`transaction`, which commits all or nothing.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the latest migration (creating it on an empty database)."""
        from kefu.store.migrate import upgrade

        try:
            upgrade(self.engine)
        except OperationalError as exc:
            raise BackendUnavailable(
                f"cannot reach the store database at {self.engine.url.render_as_string()}: "
                f"{exc.orig}",
                hint="check KEFU_DATABASE_URL and that the server is running",
            ) from None

    def is_empty(self) -> bool:
        from sqlalchemy import func, select

        from kefu.store.models import Customer, Product

        if not inspect(self.engine).has_table("customers"):
            return True
        with self.session() as session:
            customers = session.scalar(select(func.count()).select_from(Customer)) or 0
            products = session.scalar(select(func.count()).select_from(Product)) or 0
        return customers == 0 and products == 0

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session (rolled back at the end)."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def clear(self) -> None:
        """Delete every row of every store table (schema kept)."""
        with self.transaction() as session:
            delete_all(session)

    def dispose(self) -> None:
        self.engine.dispose()


def delete_all(session: Session) -> None:
    """Delete every row of every store table within ``session``'s transaction."""
    from kefu.store.models import Base

    for table in reversed(Base.metadata.sorted_tables):
        session.execute(table.delete())


def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """Open the configured store (or ``url``) with its schema up to date."""
    if url is None:
        from kefu.settings import get_settings

        url = get_settings().store_url
    store = Store(url)
    if migrate:
        store.migrate()
    return store
