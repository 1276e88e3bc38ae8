"""What a turn checks inside the conversation's lock: who holds the conversation, and
whether its message was answered before.

The serve layer looks at the conversation before a turn, but between that look and the
moment the turn gets the conversation's lock an agent may take the conversation, or the
first attempt of a retried message may finish. :class:`TurnGuard` wraps the tracker store
the assistant reads: while a turn is *armed* (:meth:`TurnGuard.armed`), the first read of
the events, which the engine does right after taking the lock, runs the turn's check on
them before anything is parsed or appended. :func:`turn_check` is that check: it raises
:class:`~kefu.channels.http.idempotency.MessageSeen` for a message id already in the log
and :class:`AgentHolds` when an agent holds the conversation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from kefu.dialogue.events import ConversationRestarted, Event, SlotSet
from kefu.dialogue.trackers.base import TrackerStore, TrackerStoreWrapper

AGENT_SLOT = "_agent"

Check = Callable[[Sequence[Event]], None]


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


def turn_check(message_id: str | None) -> Check:
    """The check of a turn carrying ``message_id`` (None: no id, only the agent check)."""
    from kefu.channels.http.idempotency import MessageSeen, find_message

    def check(events: Sequence[Event]) -> None:
        if message_id is not None:
            index = find_message(events, message_id)
            if index is not None:
                raise MessageSeen(events, index)
        agent = agent_of(events)
        if agent:
            raise AgentHolds(agent)

    return check


class TurnGuard(TrackerStoreWrapper):
    """A tracker store that runs an armed turn's check on its first read of the events."""

    def __init__(self, inner: TrackerStore) -> None:
        super().__init__(inner)
        self._local = threading.local()

    @contextmanager
    def armed(self, check: Check) -> Iterator[None]:
        self._local.check = check
        try:
            yield
        finally:
            self._local.check = None

    def events(self, conversation_id: str) -> list[Event]:
        events = self.inner.events(conversation_id)
        check = getattr(self._local, "check", None)
        if check is not None:
            self._local.check = None  # only the turn's first read, under its lock
            check(events)
        return events

