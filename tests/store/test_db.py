"""The store opens on each backend with its schema migrated; transactions are all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kefu.errors import BackendUnavailable, ConfigError
from kefu.store import Store, open_store
from kefu.store.migrate import alembic_config, current_revision
from kefu.store.models import Customer


def _head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def test_schema_is_at_latest_revision(empty_store: Store) -> None:
    assert current_revision(empty_store.engine) == _head()
    assert empty_store.is_empty()


def test_migrate_twice_is_harmless(empty_store: Store) -> None:
    empty_store.migrate()
    assert current_revision(empty_store.engine) == _head()


def test_models_and_migrations_agree(empty_store: Store) -> None:
    """A model change without its migration shows up here as a non-empty diff."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kefu.store.migrate import include_object
    from kefu.store.models import Base

    with empty_store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []



def test_transaction_rolls_back_on_error(empty_store: Store) -> None:
    with pytest.raises(RuntimeError), empty_store.transaction() as session:
        session.add(Customer(id="c1", first_name="Wei", last_name="Zhang",
                             email="wei@example.com"))
        session.flush()
        raise RuntimeError("boom")
    with empty_store.session() as session:
        assert session.scalars(select(Customer)).all() == []


def test_unknown_url_scheme_is_refused() -> None:
    with pytest.raises(ConfigError, match="unsupported database URL 'mysql://x'"):
        Store("mysql://x")


def test_unreachable_postgres_is_reported() -> None:
    with pytest.raises(BackendUnavailable, match="cannot reach the store database"):
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none")
