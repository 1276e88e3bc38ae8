"""One turn in the making: the state so far, the parse, and what the turn adds.

Flows read the state and the parse from a :class:`Turn`, call store operations through
:meth:`Turn.call` (recorded as actions and :class:`ActionExecuted` events), set slots and
say replies. The engine appends the turn's events to the tracker store at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kefu.dialogue import nlg, wording
from kefu.dialogue.events import ActionExecuted, Button, Event, JSONValue, SlotSet
from kefu.dialogue.state import ConversationState, apply
from kefu.dialogue.types import ActionRecord, Reply
from kefu.errors import KefuError
from kefu.nlu.types import ParseResult
from kefu.privacy.sealing import SEALED_KEY, Sealer
from kefu.store.policy import StorePolicy

if TYPE_CHECKING:
    from kefu.knowledge.source import KnowledgeSource

TASKS_SLOT = "tasks"
CANDIDATES_SLOT = "candidates"
FOCUS_ORDER_SLOT = "focus_order"
REPLY_LANGUAGE_SLOT = "reply_language"
LANGUAGE_OVERRIDE_SLOT = "language_override"
HANDOFF_OFFERED_SLOT = "handoff_offered"
VERIFY_PARTIAL_SLOT = "verification"
#: Raw personal values a later turn needs (a new address, a phone number), sealed by name.
SEALED_SLOT = SEALED_KEY

#: Below this confidence (and with no entity found) a message counts as not understood.
FALLBACK_CONFIDENCE = 0.5
_WORDS = re.compile(r"[A-Za-z\u4e00-\u9fff]")


@dataclass
class Services:
    """What flows may use: the store, its policy, the sealer of raw personal values and the
    knowledge base."""

    store: Any
    policy: StorePolicy
    sealer: Sealer
    # product id -> (English name, Chinese name), for Chinese replies and item matching
    product_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    knowledge: KnowledgeSource | None = None  # opened on the first question that needs it
    # the NLU model's sentence encoder (already loaded), which also embeds the products
    # the recommender ranks; None: the recommender loads the configured one
    text_encoder: Callable[[], Any] | None = None


class Turn:
    """The working state of one customer message."""

    def __init__(self, conversation_id: str, state: ConversationState, parse: ParseResult,
                 services: Services, lang: str) -> None:
        self.conversation_id = conversation_id
        self.state = state
        self.parse = parse
        self.text = parse.text
        self.services = services
        self.lang = lang
        self.events: list[Event] = []
        self.replies: list[Reply] = []
        self.actions: list[ActionRecord] = []
        self.handoff = False
        self.notes: dict[str, Any] = {}  # things a flow tells a later step of the same turn
        self._cache: dict[tuple[str, str], Any] = {}

    # -- state ---------------------------------------------------------------------------
    @property
    def intent(self) -> str:
        """The model's intent, or "nlu_fallback" when it is too unsure to act on."""
        if self.parse.intent.confidence < FALLBACK_CONFIDENCE and not self.parse.entities:
            return "nlu_fallback"
        return self.parse.intent.name

    @property
    def confidence(self) -> float:
        return self.parse.intent.confidence

    @property
    def only_values(self) -> bool:
        """The message is nothing but values (an item id, an order id, an e-mail...): it
        answers a question, and whatever intent the model gives it means nothing."""
        text = self.parse.text
        spans = sorted((e.start, e.end) for e in self.parse.entities)
        if not spans:
            return False
        rest, at = [], 0
        for start, end in spans:
            rest.append(text[at:max(at, start)])
            at = max(at, end)
        rest.append(text[at:])
        return not _WORDS.search("".join(rest))

    @property
    def customer_id(self) -> str | None:
        return self.state.customer_id if self.state.verified else None

    def add(self, event: Event) -> None:
        self.events.append(event)
        self.state = apply(self.state, event)

    def slot(self, name: str, default: JSONValue = None) -> Any:
        return self.state.slots.get(name, default)

    def set_slot(self, name: str, value: JSONValue) -> None:
        if self.state.slots.get(name) != value:
            self.add(SlotSet(name=name, value=value))

    # -- sealed personal values ----------------------------------------------------------
    def seal(self, name: str, value: Any) -> None:
        """Keep ``value`` for later turns, encrypted (:mod:`kefu.privacy.sealing`); None
        forgets it."""
        sealed = dict(self.slot(SEALED_SLOT) or {})
        if value is None:
            sealed.pop(name, None)
        else:
            sealed[name] = self.seal_value(name, value)
        self.set_slot(SEALED_SLOT, sealed or None)

    def unseal(self, name: str) -> Any:
        """The value :meth:`seal` kept under ``name``, or None (never kept, or unreadable)."""
        return self.open_value(name, (self.slot(SEALED_SLOT) or {}).get(name))

    def seal_value(self, name: str, value: Any) -> str:
        """A token for ``value``, bound to this conversation and ``name``."""
        return self.services.sealer.seal(value, context=f"{self.conversation_id}/{name}")

    def open_value(self, name: str, token: Any) -> Any:
        if not isinstance(token, str):
            return None
        return self.services.sealer.open(token, context=f"{self.conversation_id}/{name}")

    def checkpoint(self) -> tuple[int, int, int, ConversationState, dict[str, Any]]:
        """Where the turn is now, to :meth:`rollback` a step that turned out not to apply."""
        return (len(self.events), len(self.replies), len(self.actions), self.state,
                dict(self.notes))

    def rollback(self, mark: tuple[int, int, int, ConversationState, dict[str, Any]]) -> None:
        events, replies, actions, state, notes = mark
        del self.events[events:]
        del self.replies[replies:]
        del self.actions[actions:]
        self.state = state
        self.notes = notes

    # -- store ---------------------------------------------------------------------------
    @property
    def policy(self) -> StorePolicy:
        return self.services.policy

    def call(self, tool: str, **kwargs: Any) -> Any:
        """Run a store operation; recorded whether it succeeds or raises a KefuError."""
        from kefu.tools import call_tool

        try:
            result = call_tool(self.services.store, tool, kwargs)
        except KefuError as exc:
            self.actions.append(ActionRecord(tool, dict(kwargs), ok=False,
                                             error=type(exc).__name__))
            self.add(ActionExecuted(name=tool, args=_jsonable(kwargs), ok=False,
                                    error=exc.message))
            raise
        self.actions.append(ActionRecord(tool, dict(kwargs)))
        self.add(ActionExecuted(name=tool, args=_jsonable(kwargs), ok=True,
                                result=_summary(result)))
        return result

    def read(self, tool: str, **kwargs: Any) -> Any:
        """A read-only operation, called once per turn for the same arguments."""
        key = (tool, repr(sorted(kwargs.items())))
        if key not in self._cache:
            self._cache[key] = self.call(tool, **kwargs)
        return self._cache[key]

    def remember(self, tool: str, result: Any, **kwargs: Any) -> None:
        """What ``tool`` would give for ``kwargs`` this turn, known from a wider read (each
        order of ``get_user_orders`` is its ``get_order_details``)."""
        self._cache.setdefault((tool, repr(sorted(kwargs.items()))), result)

    def forget_reads(self) -> None:
        self._cache.clear()

    # -- replies -------------------------------------------------------------------------
    def render(self, key: str, **fields: Any) -> str:
        fields.setdefault("store", self.policy.store_name)
        return nlg.render(key, self.lang, (self.conversation_id, self.state.turns,
                                           len(self.replies)), **fields)

    def say(self, key: str, buttons: tuple[Button, ...] | list[Button] = (),
            **fields: Any) -> None:
        self.say_text(self.render(key, **fields), buttons)

    def say_text(self, text: str, buttons: tuple[Button, ...] | list[Button] = ()) -> None:
        self.replies.append(Reply(text, tuple(buttons)))

    def money(self, amount: float) -> str:
        return wording.money(float(amount), self.policy.currency, self.lang)

    def yes_no_buttons(self) -> tuple[Button, ...]:
        if self.lang == "zh":
            return (Button("是", "是"), Button("否", "否"))
        return (Button("Yes", "yes"), Button("No", "no"))


def _jsonable(kwargs: dict[str, Any]) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {}
    for key, value in kwargs.items():
        if isinstance(value, (str, int, float, bool)) or value is None:
            out[key] = value
        elif isinstance(value, (list, tuple)):
            out[key] = [v if isinstance(v, (str, int, float, bool)) else str(v) for v in value]
        else:
            out[key] = str(value)
    return out


def _summary(result: Any) -> str:
    if isinstance(result, dict):
        for key in ("order_id", "status", "request_id"):
            if key in result:
                return f"{key}={result[key]}" + (f" status={result['status']}"
                                                 if key != "status" and "status" in result
                                                 else "")
        return "ok"
    text = str(result)
    return text if len(text) <= 120 else text[:117] + "..."
