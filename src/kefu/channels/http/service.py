"""What the HTTP channel does, apart from HTTP: chat turns, transcripts and agent take-over.

The routes only translate requests into these calls. Everything lives in the tracker store
(and the store database for hand-off records), never in process memory, so any number of
worker processes serve the same conversations; each turn runs under the conversation's lock.

While an agent holds a conversation (the slot :data:`AGENT_SLOT` names them), customer
messages are stored as events for the agent and the assistant does not answer. Handing
back restarts the conversation's dialogue state, keeping who the customer is and the
language, so kefu does not resume a request the agent has dealt with.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kefu.channels.http.guard import (
    AGENT_SLOT,
    AgentHolds,
    Check,
    TurnGuard,
    agent_of,
    turn_check,
)
from kefu.channels.http.idempotency import (
    MessageSeen,
    check_message_id,
    conversation_id_for,
    find_message,
    turn_end,
)
from kefu.channels.http.transcripts import Line, Transcript, transcript_lines
from kefu.dialogue.context import LANGUAGE_OVERRIDE_SLOT, REPLY_LANGUAGE_SLOT
from kefu.dialogue.events import (
    BotUttered,
    ConversationRestarted,
    ConversationStarted,
    CustomerVerified,
    Event,
    HandedOff,
    SlotSet,
    UserUttered,
)
from kefu.dialogue.state import ConversationState, fold
from kefu.dialogue.trackers.base import check_conversation_id
from kefu.dialogue.types import Reply
from kefu.errors import InvalidInput, KefuError, NotFound, RuleViolation

if TYPE_CHECKING:
    from kefu.agents import AgentInfo
    from kefu.dialogue.engine import Assistant
    from kefu.dialogue.trackers import TrackerStore
    from kefu.settings import Settings
    from kefu.store import Store

CHANNEL = "web"


class MessageTooLong(KefuError):
    """A customer message is longer than ``max_message_chars``."""

    status_code = 413
    code = "message_too_long"


@dataclass(frozen=True)
class ChatOutcome:
    conversation_id: str
    replies: tuple[Reply, ...]
    intent: str | None
    confidence: float
    handoff: bool
    language: str | None
    agent: str | None = None
    created: bool = False
    replayed: bool = False  # the answer of an earlier attempt of the same message id


def replay(conversation_id: str, events: Sequence[Event], index: int) -> ChatOutcome:
    """The answer the customer message at ``index`` got, rebuilt from the log: its turn's
    replies (as stored: masked), intent and language, or the agent who held it then."""
    uttered = events[index]
    assert isinstance(uttered, UserUttered)
    end = turn_end(events, index)
    state = fold(events[:end])
    language = str(state.slots.get(REPLY_LANGUAGE_SLOT) or uttered.language or "") or None
    agent = agent_of(events[:index])
    if agent:
        return ChatOutcome(conversation_id, (), None, 0.0, True, language, agent=agent,
                           replayed=True)
    turn = events[index:end]
    replies = tuple(Reply(text=e.text, buttons=e.buttons) for e in turn
                    if isinstance(e, BotUttered))
    return ChatOutcome(conversation_id, replies, uttered.intent, uttered.confidence,
                       any(isinstance(e, HandedOff) for e in turn), language, replayed=True)


class ChatService:
    """The HTTP channel's operations over an :class:`Assistant`."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        tracker = assistant.components.tracker
        self.guard = tracker if isinstance(tracker, TurnGuard) else TurnGuard(tracker)
        assistant.components.tracker = self.guard
        self.assistant = assistant
        self.settings = settings

    @property
    def tracker(self) -> TrackerStore:
        return self.assistant.components.tracker

    @property
    def store(self) -> Store:
        return self.assistant.components.store

    # -- access --------------------------------------------------------------------------
    def access_token(self, conversation_id: str) -> str:
        """The key the customer's browser holds to read its conversation back."""
        key = hashlib.sha256(f"kefu-conversation:{self.settings.secret_key}".encode()).digest()
        return hmac.new(key, conversation_id.encode(), hashlib.sha256).hexdigest()[:40]

    def has_access(self, conversation_id: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.access_token(conversation_id),
                                                   str(token))

    def customer_of(self, customer_token: str | None) -> str | None:
        if customer_token is None:
            return None
        from kefu.identity import verify_customer_token

        return verify_customer_token(customer_token, self.settings.secret_key)

    def state(self, conversation_id: str) -> ConversationState:
        """The state of an existing conversation; :class:`NotFound` for an unknown id."""
        check_conversation_id(conversation_id)
        events = self.tracker.events(conversation_id)
        if not events:
            raise NotFound(f"no conversation {conversation_id!r}",
                           hint="leave conversation_id out to start a new conversation")
        return fold(events)

    def check_owner(self, conversation_id: str, state: ConversationState,
                    customer: str | None) -> None:
        """A signed-in customer only reaches their own conversations (others: not found)."""
        if customer is not None and state.customer_id not in (None, customer):
            raise NotFound(f"no conversation {conversation_id!r} for this customer")

    # -- chat ------------------------------------------------------------------------------
    def check_text(self, text: str) -> str:
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("the message text is empty", hint="send what the customer typed")
        limit = self.settings.max_message_chars
        if len(text) > limit:
            raise MessageTooLong(f"the message has {len(text)} characters; the limit is {limit}",
                                 hint="split the message or raise KEFU_MAX_MESSAGE_CHARS")
        return text

    def chat(self, text: str, conversation_id: str | None = None,
             customer_token: str | None = None, lang: str | None = None,
             message_id: str | None = None) -> ChatOutcome:
        """One customer message: answered by the assistant, or passed to the agent holding
        the conversation. A ``message_id`` already answered in the conversation gets the
        first answer again (:mod:`kefu.channels.http.idempotency`)."""
        self.check_text(text)
        if lang not in (None, "zh", "en"):
            raise InvalidInput(f"lang must be 'zh' or 'en', got {lang!r}")
        if message_id is not None:
            check_message_id(message_id)
        customer = self.customer_of(customer_token)
        created = conversation_id is None
        state: ConversationState | None = None
        if conversation_id is None:
            conversation_id, state = self._open(customer, lang, message_id)
        else:
            check_conversation_id(conversation_id)
            if lang:
                state = self.state(conversation_id)
                self.check_owner(conversation_id, state, customer)
                if state.slots.get(LANGUAGE_OVERRIDE_SLOT) != lang:
                    self.tracker.append(conversation_id,
                                        [SlotSet(name=LANGUAGE_OVERRIDE_SLOT, value=lang)])
        # The rest is checked on the events the turn reads under its lock (one read a turn).
        check = self._turn_check(conversation_id, customer, message_id)
        while True:
            try:
                if state is not None and state.slots.get(AGENT_SLOT):
                    held = self._to_agent(conversation_id, text, message_id)
                    if held is not None:
                        return held
                with self._clock(), self.guard.armed(check):
                    result = self.assistant.handle(conversation_id, text,
                                                   customer_token=customer_token,
                                                   message_id=message_id)
                break
            except AgentHolds:  # the agent gets the message
                state = fold(self.tracker.events(conversation_id))
            except MessageSeen as seen:  # a retry: the first attempt's answer
                return replay(conversation_id, seen.events, seen.index)
        return ChatOutcome(conversation_id, result.replies, result.parse.intent.name,
                           float(result.parse.intent.confidence), result.handoff,
                           result.language, created=created)

    def _turn_check(self, conversation_id: str, customer: str | None,
                    message_id: str | None) -> Check:
        """What a turn checks on the events it reads under the lock: the conversation
        exists and is the customer's, then :func:`turn_check` (a retry, an agent)."""
        retry_or_agent = turn_check(message_id)

        def check(events: Sequence[Event]) -> None:
            if not events:
                raise NotFound(f"no conversation {conversation_id!r}",
                               hint="leave conversation_id out to start a new conversation")
            self.check_owner(conversation_id, fold(events), customer)
            retry_or_agent(events)

        return check

    def _open(self, customer: str | None, lang: str | None,
              message_id: str | None) -> tuple[str, ConversationState]:
        """A new conversation's id and state. With a message id the id is derived from it,
        so a retry of the first message finds the conversation its first attempt opened."""
        if message_id is None:
            conversation_id = "c_" + secrets.token_hex(16)
        else:
            conversation_id = conversation_id_for(message_id, customer,
                                                  self.settings.secret_key)
        opening: list[Event] = [ConversationStarted(customer_id=customer, channel=CHANNEL)]
        if lang:
            opening.append(SlotSet(name=LANGUAGE_OVERRIDE_SLOT, value=lang))
        with self.tracker.lock(conversation_id):
            events = self.tracker.events(conversation_id)
            if events:  # opened by an earlier attempt of this message
                return conversation_id, fold(events)
            self.tracker.append(conversation_id, opening)
        return conversation_id, fold(opening)

    def _to_agent(self, conversation_id: str, text: str,
                  message_id: str | None) -> ChatOutcome | None:
        from kefu.nlu.language import detect_language

        with self.tracker.lock(conversation_id):
            events = self.tracker.events(conversation_id)
            index = find_message(events, message_id) if message_id is not None else None
            if index is not None:
                raise MessageSeen(events, index)
            state = fold(events)
            agent = state.slots.get(AGENT_SLOT)
            if not agent:  # handed back meanwhile: the assistant answers
                return None
            language = detect_language(text)
            self.tracker.append(conversation_id, [UserUttered(text=text.strip(),
                                                              language=language,
                                                              message_id=message_id)])
        return ChatOutcome(conversation_id, (), None, 0.0, True,
                           str(state.slots.get(REPLY_LANGUAGE_SLOT) or language),
                           agent=str(agent))

    @contextmanager
    def _clock(self) -> Iterator[None]:
        if self.settings.store_frozen_at is None:
            yield
            return
        from kefu.store import clock

        with clock.frozen_at(self.settings.store_frozen_at):
            yield

    # -- reading ---------------------------------------------------------------------------
    def transcript(self, conversation_id: str) -> Transcript:
        check_conversation_id(conversation_id)
        events = self.tracker.events(conversation_id)
        if not events:
            raise NotFound(f"no conversation {conversation_id!r}")
        state = fold(events)
        agent = state.slots.get(AGENT_SLOT)
        return Transcript(conversation_id, state.customer_id, state.verified, state.handed_off,
                          str(agent) if agent else None,
                          str(state.slots.get(REPLY_LANGUAGE_SLOT) or state.language or "")
                          or None, tuple(transcript_lines(events)), len(events))

    # -- agents ----------------------------------------------------------------------------
    def take(self, conversation_id: str, agent: AgentInfo) -> Transcript:
        """``agent`` takes the conversation: from now on they answer, not the assistant."""
        with self.tracker.lock(conversation_id):
            state = self.state(conversation_id)
            holder = state.slots.get(AGENT_SLOT)
            if holder and holder != agent.name:
                raise RuleViolation(f"agent {holder} already holds conversation "
                                    f"{conversation_id!r}", hint="pick another conversation")
            if not holder:
                self.tracker.append(conversation_id,
                                    [SlotSet(name=AGENT_SLOT, value=agent.name)])
        self._set_handoff_status(conversation_id, ("open",), "taken", agent.name)
        return self.transcript(conversation_id)

    def reply(self, conversation_id: str, agent: AgentInfo, text: str) -> Line:
        """The agent's message to the customer."""
        self.check_text(text)
        with self.tracker.lock(conversation_id):
            self._held_by(conversation_id, agent)
            self.tracker.append(conversation_id, [BotUttered(text=text.strip())])
            events = self.tracker.events(conversation_id)
        return transcript_lines(events)[-1]

    def hand_back(self, conversation_id: str, agent: AgentInfo) -> Transcript:
        """Give the conversation back to the assistant, keeping customer and language."""
        from kefu.dialogue.nlg import render

        with self.tracker.lock(conversation_id):
            state = self._held_by(conversation_id, agent)
            lang = str(state.slots.get(REPLY_LANGUAGE_SLOT) or state.language or "zh")
            lang = lang if lang in ("en", "zh") else "zh"
            events: list[Event] = [SlotSet(name=AGENT_SLOT, value=None),
                                   ConversationRestarted(customer_id=state.customer_id)]
            if state.verified and state.customer_id:
                events.append(CustomerVerified(customer_id=state.customer_id,
                                               method=state.verification_method or "agent"))
            events.append(SlotSet(name=REPLY_LANGUAGE_SLOT, value=lang))
            override = state.slots.get(LANGUAGE_OVERRIDE_SLOT)
            if override:
                events.append(SlotSet(name=LANGUAGE_OVERRIDE_SLOT, value=override))
            events.append(BotUttered(text=render("anything_else", lang,
                                                 (conversation_id, state.event_count))))
            self.tracker.append(conversation_id, events)
        self._set_handoff_status(conversation_id, ("open", "taken"), "closed", agent.name)
        return self.transcript(conversation_id)

    def _held_by(self, conversation_id: str, agent: AgentInfo) -> ConversationState:
        state = self.state(conversation_id)
        holder = state.slots.get(AGENT_SLOT)
        if holder != agent.name:
            raise RuleViolation(
                f"conversation {conversation_id!r} is "
                + (f"held by agent {holder}" if holder else "not taken by any agent"),
                hint="take it first (POST .../take)")
        return state

    def _set_handoff_status(self, conversation_id: str, current: tuple[str, ...], status: str,
                            agent: str) -> None:
        from sqlalchemy import update

        from kefu.store.models import Handoff

        with self.store.transaction() as session:
            session.execute(update(Handoff).where(Handoff.conversation_id == conversation_id,
                                                  Handoff.status.in_(current))
                            .values(status=status, agent=agent))
