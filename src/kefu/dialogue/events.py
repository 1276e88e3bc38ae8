"""The events a conversation is made of.

A conversation is an append-only log of these frozen events; its current state is
rebuilt by folding them (:mod:`kefu.dialogue.state`). Events are stored as JSON objects
(:func:`event_to_dict` / :func:`event_from_dict`) carrying a ``type`` tag and a format
version ``v``, so a log written today can be read by a later kefu.

Text in events is what the tracker store persists, and it is masked personal data
(:mod:`kefu.privacy`): the raw value of a phone number or an address only lives in the
turn that needs it, never in an event that reaches storage.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias

from kefu.errors import DataFormatError
from kefu.nlu.types import Entity, ParseResult

# A JSON value: what a slot or an action argument may hold. Sequence and Mapping (not
# list and dict) so that a list[dict[str, str]] is accepted where a JSONValue is expected.
JSONValue: TypeAlias = (
    None | bool | int | float | str | Sequence["JSONValue"] | Mapping[str, "JSONValue"]
)

#: Format version written in every serialised event; readers accept this or older.
EVENT_VERSION = 1


@dataclass(frozen=True)
class Button:
    """A quick reply offered with a bot message: what it shows and what it sends back."""

    title: str
    payload: str


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event. ``timestamp`` is seconds since the epoch (UTC)."""

    type_name: ClassVar[str] = "event"
    timestamp: float = field(default_factory=time.time)


@dataclass(frozen=True, kw_only=True)
class ConversationStarted(Event):
    """A new conversation. ``customer_id`` is known when the channel signed the customer in."""

    type_name: ClassVar[str] = "conversation_started"
    customer_id: str | None = None
    channel: str | None = None


@dataclass(frozen=True, kw_only=True)
class ConversationRestarted(Event):
    """Everything before this event is forgotten (slots, verification, hand-off)."""

    type_name: ClassVar[str] = "conversation_restarted"
    customer_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class UserUttered(Event):
    """A customer message with what kefu understood of it.

    ``text`` and entity values are masked before they are stored. Entity offsets refer to
    ``text`` as stored (masking maps them). ``intent`` is None when nothing was understood.
    """

    type_name: ClassVar[str] = "user"
    text: str
    intent: str | None = None
    confidence: float = 0.0
    entities: tuple[Entity, ...] = ()
    language: str | None = None
    message_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class SlotSet(Event):
    """A slot takes a value; ``None`` clears it."""

    type_name: ClassVar[str] = "slot"
    name: str
    value: JSONValue = None


@dataclass(frozen=True, kw_only=True)
class ActionExecuted(Event):
    """An action (a store operation or a dialogue step) ran with ``args``.

    ``result`` is a short summary on success, ``error`` the reason on failure.
    """

    type_name: ClassVar[str] = "action"
    name: str
    args: dict[str, JSONValue] = field(default_factory=dict)
    ok: bool = True
    result: str | None = None
    error: str | None = None


@dataclass(frozen=True, kw_only=True)
class BotUttered(Event):
    """A reply sent to the customer."""

    type_name: ClassVar[str] = "bot"
    text: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, kw_only=True)
class HandedOff(Event):
    """The conversation went to a human agent."""

    type_name: ClassVar[str] = "handed_off"
    reason: str
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class CustomerVerified(Event):
    """The customer proved who they are (``method``: e.g. "email", "phone+zip", "token")."""

    type_name: ClassVar[str] = "customer_verified"
    customer_id: str
    method: str


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type_name: cls
    for cls in (ConversationStarted, ConversationRestarted, UserUttered, SlotSet,
                ActionExecuted, BotUttered, HandedOff, CustomerVerified)
}


def event_to_dict(event: Event) -> dict[str, Any]:
    """The JSON object of an event: ``{"type": ..., "v": 1, "timestamp": ..., fields}``."""
    if type(event).type_name not in EVENT_TYPES:
        raise TypeError(f"{type(event).__name__} is not a known kefu event type")
    data: dict[str, Any] = {"type": event.type_name, "v": EVENT_VERSION}
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        if f.name == "entities":
            value = [dataclasses.asdict(e) for e in value]
        elif f.name == "buttons":
            value = [{"title": b.title, "payload": b.payload} for b in value]
        data[f.name] = value
    return data


def _entity_from_dict(raw: Any, where: str) -> Entity:
    if not isinstance(raw, Mapping):
        raise DataFormatError(f"{where}: an entity must be an object, got {raw!r}")
    try:
        return Entity(**raw)
    except TypeError as exc:
        raise DataFormatError(f"{where}: bad entity {dict(raw)!r}: {exc}") from None


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """Rebuild an event from :func:`event_to_dict`'s output.

    Raises :class:`DataFormatError` naming the problem for an unknown type, a newer
    format version, a missing or an unknown field.
    """
    if not isinstance(data, Mapping):
        raise DataFormatError(f"an event must be a JSON object, got {type(data).__name__}")
    type_name = data.get("type")
    cls = EVENT_TYPES.get(type_name) if isinstance(type_name, str) else None
    if cls is None:
        raise DataFormatError(
            f"unknown event type {type_name!r}; known types: {', '.join(sorted(EVENT_TYPES))}",
            hint="the log may come from a newer kefu; upgrade kefu to read it",
        )
    version = data.get("v", EVENT_VERSION)
    if not isinstance(version, int) or version > EVENT_VERSION:
        raise DataFormatError(
            f"event {type_name!r} has format version {version!r}; this kefu reads up to "
            f"{EVENT_VERSION}",
            hint="upgrade kefu to read this conversation log",
        )
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = {k: v for k, v in data.items() if k not in ("type", "v")}
    unknown = set(kwargs) - names
    if unknown:
        raise DataFormatError(
            f"event {type_name!r} has unknown field(s) {sorted(unknown)}; "
            f"expected some of {sorted(names)}"
        )
    if "entities" in kwargs:
        kwargs["entities"] = tuple(
            _entity_from_dict(e, f"event {type_name!r}") for e in kwargs["entities"] or ()
        )
    try:
        if "buttons" in kwargs:
            kwargs["buttons"] = tuple(Button(b["title"], b["payload"])
                                      for b in kwargs["buttons"] or ())
        return cls(**kwargs)
    except (TypeError, KeyError) as exc:
        raise DataFormatError(f"event {type_name!r} is incomplete: {exc}") from None


def user_uttered_from_parse(parse: ParseResult, *, timestamp: float | None = None,
                            message_id: str | None = None) -> UserUttered:
    """A :class:`UserUttered` from what the NLU understood. The text is raw: the tracker
    store masks it on append (:class:`kefu.dialogue.trackers.masking.MaskingTrackerStore`)."""
    kwargs: dict[str, Any] = {}
    if timestamp is not None:
        kwargs["timestamp"] = timestamp
    return UserUttered(text=parse.text, intent=parse.intent.name,
                       confidence=parse.intent.confidence,
                       entities=tuple(parse.entities), language=parse.language,
                       message_id=message_id, **kwargs)
