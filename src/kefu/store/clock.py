"""The store's notion of "now", which tests and demos can pin to a fixed moment.

Rules that depend on time (return windows, warranty days left, which promotions and
coupons are live) read :func:`now`. ``with frozen_at(datetime(2026, 11, 1))`` pins it for
the current context (thread or task), so that the demo shop, whose data is dated around
its reference date, answers the same way whatever day it is run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_FROZEN: ContextVar[datetime | None] = ContextVar("kefu_store_now", default=None)


def aware(moment: datetime) -> datetime:
    """``moment`` with a time zone: naive values (SQLite returns them) are taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def now() -> datetime:
    """The current time (UTC), or the pinned moment inside :func:`frozen_at`."""
    frozen = _FROZEN.get()
    return frozen if frozen is not None else datetime.now(UTC)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    """Pin :func:`now` to ``moment`` (naive means UTC) inside the block."""
    token = _FROZEN.set(aware(moment))
    try:
        yield aware(moment)
    finally:
        _FROZEN.reset(token)
