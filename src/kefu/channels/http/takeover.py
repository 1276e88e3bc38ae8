"""Who holds a conversation, checked inside the turn's lock.

While an agent holds a conversation the assistant must not answer it. The serve layer
looks before a turn, but an agent may take the conversation between that look and the
moment the turn gets the conversation's lock. :class:`AgentGuard` wraps the tracker store
the assistant reads: while a turn is *armed* (:meth:`AgentGuard.armed`), the first read of
the events, which the engine does right after taking the lock, raises :class:`AgentHolds`
when an agent holds the conversation, before anything is parsed or appended.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager

from kefu.dialogue.events import ConversationRestarted, Event, SlotSet
from kefu.dialogue.trackers.base import DEFAULT_LOCK_TIMEOUT, ConversationSummary, TrackerStore

AGENT_SLOT = "_agent"


class AgentHolds(Exception):
    """Raised inside an armed turn: ``agent`` holds the conversation."""

    def __init__(self, agent: str) -> None:
        super().__init__(agent)
        self.agent = agent


def agent_of(events: Sequence[Event]) -> str | None:
    """The agent holding the conversation after ``events``, or None."""
    agent: str | None = None
    for event in events:
        if isinstance(event, SlotSet) and event.name == AGENT_SLOT:
            agent = str(event.value) if event.value else None
        elif isinstance(event, ConversationRestarted):
            agent = None
    return agent


class AgentGuard:
    """A tracker store that refuses armed turns of conversations an agent holds."""

    def __init__(self, inner: TrackerStore) -> None:
        self.inner = inner
        self._local = threading.local()

    @contextmanager
    def armed(self) -> Iterator[None]:
        self._local.armed = True
        try:
            yield
        finally:
            self._local.armed = False

    def events(self, conversation_id: str) -> list[Event]:
        events = self.inner.events(conversation_id)
        if getattr(self._local, "armed", False):
            self._local.armed = False  # only the turn's first read, under its lock
            agent = agent_of(events)
            if agent:
                raise AgentHolds(agent)
        return events

    def append(self, conversation_id: str, events: Sequence[Event]) -> None:
        self.inner.append(conversation_id, events)

    def exists(self, conversation_id: str) -> bool:
        return self.inner.exists(conversation_id)

    def list_conversations(self, limit: int = 50, offset: int = 0) -> list[ConversationSummary]:
        return self.inner.list_conversations(limit, offset)

    def delete(self, conversation_id: str) -> bool:
        return self.inner.delete(conversation_id)

    def lock(self, conversation_id: str,
             timeout: float = DEFAULT_LOCK_TIMEOUT) -> AbstractContextManager[None]:
        return self.inner.lock(conversation_id, timeout)

    def close(self) -> None:
        self.inner.close()
