"""The tracker store interface every backend implements, and what they share.

A tracker store keeps each conversation as an append-only list of events, in order.
It never rewrites an event; the state is rebuilt from them
(:func:`kefu.dialogue.state.fold`). :meth:`TrackerStore.lock` serialises the turns of one
conversation across threads, processes and workers: a turn takes the lock, reads the
events, decides, appends its events, and releases the lock.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from kefu.dialogue.events import Event, event_from_dict, event_to_dict
from kefu.dialogue.state import ConversationState, fold
from kefu.errors import InvalidInput, KefuError

MAX_CONVERSATION_ID_LENGTH = 128
DEFAULT_LOCK_TIMEOUT = 10.0


class ConversationLocked(KefuError):
    """Another turn of the same conversation held its lock for longer than the timeout."""

    status_code = 409
    code = "conversation_locked"


@dataclass(frozen=True)
class ConversationSummary:
    """One line of a conversation list: times are seconds since the epoch (UTC)."""

    conversation_id: str
    event_count: int
    created_at: float
    updated_at: float


@runtime_checkable
class TrackerStore(Protocol):
    """Where conversations live. Backends: SQL (SQLite, PostgreSQL) and Redis."""

    def append(self, conversation_id: str, events: Sequence[Event]) -> None:
        """Add ``events`` at the end of the conversation, all or none, in order."""
        ...

    def events(self, conversation_id: str) -> list[Event]:
        """Every event of the conversation, oldest first; [] for an unknown one."""
        ...

    def exists(self, conversation_id: str) -> bool: ...

    def event_count(self, conversation_id: str) -> int:
        """How many events the conversation has (0 for an unknown one), without reading
        them: what a poller asks to learn whether anything new was stored."""
        ...

    def list_conversations(self, limit: int = 50, offset: int = 0) -> list[ConversationSummary]:
        """Conversations, the most recently updated first."""
        ...

    def delete(self, conversation_id: str) -> bool:
        """Forget a conversation; True when it existed."""
        ...

    def lock(self, conversation_id: str,
             timeout: float = DEFAULT_LOCK_TIMEOUT) -> AbstractContextManager[None]:
        """Hold the conversation's lock for the ``with`` block (not re-entrant).

        Raises :class:`ConversationLocked` when it is not free within ``timeout`` seconds.
        """
        ...

    def close(self) -> None:
        """Release connections; the stored conversations stay."""
        ...


class TrackerStoreWrapper:
    """A tracker store around ``inner`` that passes every call through; wrappers (masking,
    the serve layer's turn guard) override only what they change."""

    def __init__(self, inner: TrackerStore) -> None:
        self.inner = inner

    def append(self, conversation_id: str, events: Sequence[Event]) -> None:
        self.inner.append(conversation_id, events)

    def events(self, conversation_id: str) -> list[Event]:
        return self.inner.events(conversation_id)

    def exists(self, conversation_id: str) -> bool:
        return self.inner.exists(conversation_id)

    def event_count(self, conversation_id: str) -> int:
        return self.inner.event_count(conversation_id)

    def list_conversations(self, limit: int = 50, offset: int = 0) -> list[ConversationSummary]:
        return self.inner.list_conversations(limit, offset)

    def delete(self, conversation_id: str) -> bool:
        return self.inner.delete(conversation_id)

    def lock(self, conversation_id: str,
             timeout: float = DEFAULT_LOCK_TIMEOUT) -> AbstractContextManager[None]:
        return self.inner.lock(conversation_id, timeout)

    def close(self) -> None:
        self.inner.close()


def check_conversation_id(conversation_id: str) -> str:
    """The id itself, or :class:`InvalidInput` naming what is wrong with it."""
    if not isinstance(conversation_id, str) or not conversation_id.strip():
        raise InvalidInput(f"a conversation id must be a non-empty string, got "
                           f"{conversation_id!r}")
    if len(conversation_id) > MAX_CONVERSATION_ID_LENGTH:
        raise InvalidInput(
            f"conversation id is {len(conversation_id)} characters long; the limit is "
            f"{MAX_CONVERSATION_ID_LENGTH}", hint="use a shorter id, e.g. a UUID")
    return conversation_id


def check_page(limit: int, offset: int) -> None:
    if limit <= 0:
        raise InvalidInput(f"limit must be greater than 0, got {limit}")
    if offset < 0:
        raise InvalidInput(f"offset must be 0 or more, got {offset}")


def check_timeout(timeout: float) -> float:
    if timeout < 0:
        raise InvalidInput(f"lock timeout must be 0 or more seconds, got {timeout}")
    return float(timeout)


def locked_error(conversation_id: str, timeout: float) -> ConversationLocked:
    return ConversationLocked(
        f"conversation {conversation_id!r} is busy: its lock was not free within "
        f"{timeout:g} s", hint="another turn of this conversation is still running; retry")


def encode_event(event: Event) -> str:
    """The JSON text stored for an event (UTF-8, Chinese kept readable)."""
    return json.dumps(event_to_dict(event), ensure_ascii=False, separators=(",", ":"))


def decode_event(raw: str | bytes, *, where: str = "") -> Event:
    from kefu.errors import DataFormatError

    try:
        data: Any = json.loads(raw)
    except ValueError as exc:
        raise DataFormatError(f"{where}stored event is not JSON: {exc}") from None
    return event_from_dict(data)


def conversation_state(store: TrackerStore, conversation_id: str) -> ConversationState:
    """The current state of a conversation, rebuilt from its events."""
    return fold(store.events(conversation_id))
