"""Tracker stores: where conversations live as append-only event logs.

Backends: :class:`~kefu.dialogue.trackers.sql_store.SqlTrackerStore` (SQLite file by
default, or PostgreSQL) and :class:`~kefu.dialogue.trackers.redis_store.RedisTrackerStore`.
:func:`open_tracker_store` opens the configured one, wrapped so that personal data is
masked before it is stored.
"""

from kefu.dialogue.trackers.base import (
    ConversationLocked,
    ConversationSummary,
    TrackerStore,
    conversation_state,
)
from kefu.dialogue.trackers.factory import open_raw_tracker_store, open_tracker_store

__all__ = [
    "ConversationLocked",
    "ConversationSummary",
    "TrackerStore",
    "conversation_state",
    "open_raw_tracker_store",
    "open_tracker_store",
]
