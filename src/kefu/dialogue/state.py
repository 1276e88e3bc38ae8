"""The state of a conversation, rebuilt by folding its events.

Pure functions, no I/O: :func:`apply` takes a state and one event and returns the next
state; :func:`fold` replays a whole log. Whatever the tracker store backend, the same
events give the same state, which is what lets a conversation survive a restart.

A pending confirmation (an action waiting for the customer's yes or no) is kept in the
reserved slot :data:`PENDING_CONFIRMATION_SLOT`; :func:`request_confirmation` and
:func:`clear_confirmation` make the :class:`SlotSet` events that set and clear it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kefu.dialogue.events import (
    ActionExecuted,
    BotUttered,
    ConversationRestarted,
    ConversationStarted,
    CustomerVerified,
    Event,
    HandedOff,
    JSONValue,
    SlotSet,
    UserUttered,
)
from kefu.errors import InvalidInput

#: The slot that holds the action awaiting a yes/no: {"action": ..., "args": {...}, ...}.
PENDING_CONFIRMATION_SLOT = "_pending_confirmation"

#: Intents that mean "kefu did not understand this message".
FALLBACK_INTENTS: frozenset[str] = frozenset({"nlu_fallback", "out_of_scope"})


@dataclass(frozen=True)
class ConversationState:
    """What is known about a conversation after its events so far.

    ``slots`` is a fresh dict at every change; treat it as read-only.
    ``turns`` counts customer messages since the (re)start;
    ``misunderstandings`` counts consecutive customer messages that were not understood
    (no intent, or an intent in :data:`FALLBACK_INTENTS`), reset by an understood one.
    """

    slots: Mapping[str, JSONValue] = field(default_factory=dict)
    customer_id: str | None = None
    verified: bool = False
    verification_method: str | None = None
    language: str | None = None
    last_intent: str | None = None
    last_action: str | None = None
    last_bot_text: str | None = None
    turns: int = 0
    misunderstandings: int = 0
    handed_off: bool = False
    handoff_reason: str | None = None
    channel: str | None = None
    started_at: float | None = None
    updated_at: float | None = None
    event_count: int = 0

    @property
    def pending_confirmation(self) -> dict[str, JSONValue] | None:
        """The action awaiting the customer's yes or no, or None."""
        value = self.slots.get(PENDING_CONFIRMATION_SLOT)
        return value if isinstance(value, dict) else None

    def slot(self, name: str, default: JSONValue = None) -> JSONValue:
        return self.slots.get(name, default)


def _with_slot(slots: Mapping[str, JSONValue], name: str,
               value: JSONValue) -> dict[str, JSONValue]:
    new = dict(slots)
    if value is None:
        new.pop(name, None)
    else:
        new[name] = value
    return new


def apply(state: ConversationState, event: Event) -> ConversationState:
    """The state after ``event``."""
    base = dataclasses.replace(
        state, event_count=state.event_count + 1, updated_at=event.timestamp,
        started_at=state.started_at if state.started_at is not None else event.timestamp,
    )
    match event:
        case ConversationStarted(customer_id=customer_id, channel=channel):
            return dataclasses.replace(base, customer_id=customer_id or state.customer_id,
                                       channel=channel or state.channel)
        case ConversationRestarted(customer_id=customer_id):
            return ConversationState(customer_id=customer_id, channel=state.channel,
                                     started_at=event.timestamp, updated_at=event.timestamp,
                                     event_count=base.event_count)
        case UserUttered(intent=intent, language=language):
            understood = intent is not None and intent not in FALLBACK_INTENTS
            return dataclasses.replace(
                base, turns=state.turns + 1, last_intent=intent,
                language=language or state.language,
                misunderstandings=0 if understood else state.misunderstandings + 1,
            )
        case SlotSet(name=name, value=value):
            return dataclasses.replace(base, slots=_with_slot(state.slots, name, value))
        case ActionExecuted(name=name):
            return dataclasses.replace(base, last_action=name)
        case BotUttered(text=text):
            return dataclasses.replace(base, last_bot_text=text)
        case HandedOff(reason=reason):
            return dataclasses.replace(base, handed_off=True, handoff_reason=reason)
        case CustomerVerified(customer_id=customer_id, method=method):
            return dataclasses.replace(base, customer_id=customer_id, verified=True,
                                       verification_method=method)
    raise InvalidInput(f"cannot apply {type(event).__name__}: not a kefu dialogue event")


def fold(events: Iterable[Event], initial: ConversationState | None = None) -> ConversationState:
    """Replay ``events`` (oldest first) onto ``initial`` (default: an empty state)."""
    state = initial if initial is not None else ConversationState()
    for event in events:
        state = apply(state, event)
    return state


def request_confirmation(action: str, args: Mapping[str, JSONValue] | None = None,
                         **extra: JSONValue) -> SlotSet:
    """The event that makes ``action`` (with ``args``) wait for the customer's yes/no."""
    if not action:
        raise InvalidInput("a pending confirmation needs the name of the action it confirms")
    value: dict[str, JSONValue] = {"action": action, "args": dict(args or {})}
    value.update(extra)
    return SlotSet(name=PENDING_CONFIRMATION_SLOT, value=value)


def clear_confirmation() -> SlotSet:
    """The event that drops the pending confirmation (answered, cancelled or expired)."""
    return SlotSet(name=PENDING_CONFIRMATION_SLOT, value=None)
