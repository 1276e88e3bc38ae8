"""What agents and admins look at: the hand-off queue and conversation statistics.

Statistics are computed from the stored event logs (the latest ``limit`` conversations),
so every worker reports the same figures: turns, intents, hand-offs, containment (the
share of conversations with at least one customer message that never went to a human)
and reply latency (from a customer message's event to the first reply's event).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kefu.channels.http.service import AGENT_SLOT
from kefu.dialogue.events import BotUttered, HandedOff, SlotSet, UserUttered
from kefu.dialogue.state import fold

if TYPE_CHECKING:
    from kefu.dialogue.trackers import TrackerStore
    from kefu.store import Store


@dataclass(frozen=True)
class QueueItem:
    conversation_id: str
    customer_id: str | None
    reason: str
    summary: str
    status: str  # open | taken
    agent: str | None
    created_at: datetime


@dataclass(frozen=True)
class ConversationRow:
    conversation_id: str
    customer_id: str | None
    turns: int
    last_intent: str | None
    handed_off: bool
    agent: str | None
    language: str | None
    updated_at: float


@dataclass(frozen=True)
class Stats:
    conversations: int
    engaged: int  # with at least one customer message
    turns: int
    handoffs: int
    handoff_rate: float
    containment_rate: float
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    intents: dict[str, int]
    rows: tuple[ConversationRow, ...]


def queue(store: Store, limit: int = 100) -> list[QueueItem]:
    """Conversations handed to a human and not yet handed back, oldest first."""
    from sqlalchemy import select

    from kefu.store.clock import aware
    from kefu.store.models import Handoff

    with store.session() as session:
        rows = session.scalars(select(Handoff).where(Handoff.status.in_(("open", "taken")),
                                                     Handoff.conversation_id.is_not(None))
                               .order_by(Handoff.created_at, Handoff.id).limit(limit))
        return [QueueItem(str(h.conversation_id), h.customer_id, h.reason, h.summary, h.status,
                          h.agent, aware(h.created_at)) for h in rows]


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def stats(tracker: TrackerStore, limit: int = 500) -> Stats:
    """Figures over the latest ``limit`` conversations."""
    intents: Counter[str] = Counter()
    latencies: list[float] = []
    rows: list[ConversationRow] = []
    turns = handoffs = engaged = 0
    for summary in tracker.list_conversations(limit=limit):
        events = tracker.events(summary.conversation_id)
        state = fold(events)
        handed = any(isinstance(e, HandedOff) for e in events)
        said = [e for e in events if isinstance(e, UserUttered)]
        waiting: float | None = None
        held = False  # an agent's replies are not the assistant's latency
        for event in events:
            if isinstance(event, SlotSet) and event.name == AGENT_SLOT:
                held, waiting = bool(event.value), None
            elif isinstance(event, UserUttered) and not held:
                waiting = event.timestamp
            elif isinstance(event, BotUttered) and waiting is not None:
                latencies.append((event.timestamp - waiting) * 1000)
                waiting = None
        intents.update(e.intent for e in said if e.intent)
        turns += len(said)
        engaged += bool(said)
        handoffs += handed
        agent = state.slots.get(AGENT_SLOT)
        rows.append(ConversationRow(summary.conversation_id, state.customer_id, len(said),
                                    state.last_intent, handed, str(agent) if agent else None,
                                    state.language, summary.updated_at))
    contained = sum(1 for r in rows if r.turns and not r.handed_off)
    return Stats(conversations=len(rows), engaged=engaged, turns=turns, handoffs=handoffs,
                 handoff_rate=handoffs / engaged if engaged else 0.0,
                 containment_rate=contained / engaged if engaged else 0.0,
                 latency_p50_ms=_percentile(latencies, 0.5),
                 latency_p95_ms=_percentile(latencies, 0.95),
                 intents=dict(intents.most_common()), rows=tuple(rows))
