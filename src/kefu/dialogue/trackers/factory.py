"""Open the configured tracker store from a URL (``KEFU_TRACKER_URL``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kefu.dialogue.trackers.base import TrackerStore
from kefu.errors import ConfigError

if TYPE_CHECKING:
    from kefu.privacy import PiiMasker
    from kefu.settings import Settings


def open_raw_tracker_store(url: str) -> TrackerStore:
    """The backend for ``url``, without masking (tests and tools that read raw rows)."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from kefu.dialogue.trackers.redis_store import RedisTrackerStore

        return RedisTrackerStore(url)
    if url.startswith(("sqlite", "postgresql")):
        from kefu.dialogue.trackers.sql_store import SqlTrackerStore

        return SqlTrackerStore(url)
    raise ConfigError(
        f"unsupported tracker store URL {url!r}",
        hint="set KEFU_TRACKER_URL to sqlite:///path.db, postgresql+psycopg://user@host/db "
        "or redis://host:6379/0",
    )


def open_tracker_store(settings: Settings | None = None, *, url: str | None = None,
                       masker: PiiMasker | None = None, mask: bool = True) -> TrackerStore:
    """The tracker store of ``settings`` (or ``url``), masking personal data on append.

    ``mask=False`` gives the bare backend; only use it for data already masked.
    """
    if url is None:
        if settings is None:
            from kefu.settings import get_settings

            settings = get_settings()
        url = settings.tracker_store_url
    store = open_raw_tracker_store(url)
    if not mask:
        return store
    from kefu.dialogue.trackers.masking import MaskingTrackerStore
    from kefu.privacy import get_masker

    return MaskingTrackerStore(store, masker or get_masker())
