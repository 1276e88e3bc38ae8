"""A full dump of a store database, to assert that a refused action changed nothing.

``db_dump(store)`` reads every row of every store table (ordered by primary key) through
SQLAlchemy Core, so two dumps compare equal exactly when the database holds the same data::

    before = db_dump(store)
    with pytest.raises(RuleViolation):
        call_tool(store, "cancel_pending_order", {...})
    assert db_dump(store) == before
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kefu.store import Store
from kefu.store.models import Base


def db_dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every store table, by table name, in primary-key order."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            dump[table.name] = [tuple(row) for row in conn.execute(query)]
    return dump


def dump_diff(before: dict[str, list[tuple[Any, ...]]],
              after: dict[str, list[tuple[Any, ...]]]) -> dict[str, dict[str, list[Any]]]:
    """The rows only in ``before`` (removed) and only in ``after`` (added), per table."""
    diff: dict[str, dict[str, list[Any]]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, []), after.get(name, [])
        removed = [row for row in old if row not in new]
        added = [row for row in new if row not in old]
        if removed or added:
            diff[name] = {"removed": removed, "added": added}
    return diff
