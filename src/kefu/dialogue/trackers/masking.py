"""Personal data never reaches a tracker store: events are masked before they are stored.

:func:`mask_event` masks every text an event carries (the customer's message and its
entity values, bot replies, slot values, action arguments and results, hand-off notes)
with a :class:`kefu.privacy.PiiMasker`. Ids (conversation, customer, order, item) are
references, not personal data, and stay as they are. :class:`MaskingTrackerStore` wraps
any backend and masks on :meth:`~MaskingTrackerStore.append`; the raw values only live
in the turn that handles them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kefu.dialogue.events import (
    ActionExecuted,
    BotUttered,
    Event,
    HandedOff,
    JSONValue,
    SlotSet,
    UserUttered,
)
from kefu.dialogue.trackers.base import TrackerStore, TrackerStoreWrapper
from kefu.nlu.types import Entity
from kefu.privacy.sealing import SEALED_KEY, is_token

if TYPE_CHECKING:
    from kefu.privacy import PiiMasker

# NLU entity types that are personal data even when no recognizer matches the value
# (an address without a house number, a phone written in an odd way).
PERSONAL_ENTITY_TYPES = frozenset({"phone", "email", "address"})


def _fallback_mask(entity_type: str, value: str) -> str:
    from kefu.privacy import masks

    if "*" in value or value == f"<{entity_type.upper()}>" or value == masks.ADDRESS_MASK:
        return value  # masked already
    if entity_type == "email" and "@" in value:
        return masks.mask_email(value)
    if entity_type == "phone" and sum(ch.isdigit() for ch in value) >= 7:
        return masks.mask_phone(value)
    return f"<{entity_type.upper()}>"


# Argument and slot keys whose string values are personal data whatever they look like
# ("Suite 394" alone matches no recognizer, but as address2 it is part of an address).
PERSONAL_KEYS: dict[str, str] = {
    "address": "address", "address1": "address", "address2": "address",
    "street": "address", "phone": "phone", "phone_number": "phone", "mobile": "phone",
    "email": "email",
}


def mask_json(value: JSONValue, masker: PiiMasker, *, key: str | None = None) -> JSONValue:
    """Mask every string inside a JSON value (object keys stay). Strings under a key of
    :data:`PERSONAL_KEYS` are masked even when no recognizer finds anything in them;
    sealed tokens under :data:`~kefu.privacy.sealing.SEALED_KEY` stay (they are ciphertext)."""
    if key == SEALED_KEY:
        return _keep_sealed(value, masker)
    if isinstance(value, str):
        kind = PERSONAL_KEYS.get(key.lower()) if key else None
        return _mask_value(kind, value, masker) if kind else masker.mask_text(value)
    if isinstance(value, list | tuple):
        return [mask_json(v, masker, key=key) for v in value]
    if isinstance(value, Mapping):
        return {k: mask_json(v, masker, key=k) for k, v in value.items()}
    return value


def _keep_sealed(value: JSONValue, masker: PiiMasker) -> JSONValue:
    """Sealed tokens as they are; anything else found under the sealed key is masked."""
    if is_token(value):
        return value
    if isinstance(value, Mapping):
        return {k: v if is_token(v) else mask_json(v, masker, key=k) for k, v in value.items()}
    return mask_json(value, masker)


def _mask_value(entity_type: str, value: str, masker: PiiMasker) -> str:
    """``value`` masked; a personal entity type is masked even when nothing is found."""
    masked = masker.mask_text(value)
    if entity_type in PERSONAL_ENTITY_TYPES and value and masked == value:
        masked = _fallback_mask(entity_type, value)
    return masked


def _mask_entity(entity: Entity, start: int, end: int, masker: PiiMasker) -> Entity:
    return dataclasses.replace(
        entity, value=_mask_value(entity.type, entity.value, masker),
        text=_mask_value(entity.type, entity.text, masker) if entity.text else "",
        start=start, end=end)


def mask_event(event: Event, masker: PiiMasker) -> Event:
    """``event`` with its personal data masked (the same event when there is none)."""
    match event:
        case UserUttered():
            masked = masker.mask(event.text, event.language)
            entities = tuple(
                _mask_entity(e, masked.map_offset(e.start), masked.map_offset(e.end), masker)
                for e in event.entities)
            return dataclasses.replace(event, text=masked.text, entities=entities)
        case BotUttered():
            return dataclasses.replace(event, text=masker.mask_text(event.text))
        case SlotSet():
            return dataclasses.replace(event, value=mask_json(event.value, masker,
                                                              key=event.name))
        case ActionExecuted():
            return dataclasses.replace(
                event, args={k: mask_json(v, masker, key=k) for k, v in event.args.items()},
                result=masker.mask_text(event.result) if event.result else event.result,
                error=masker.mask_text(event.error) if event.error else event.error)
        case HandedOff():
            return dataclasses.replace(event, reason=masker.mask_text(event.reason),
                                       summary=masker.mask_text(event.summary))
    return event


class MaskingTrackerStore(TrackerStoreWrapper):
    """A tracker store that masks personal data in events before ``inner`` stores them."""

    def __init__(self, inner: TrackerStore, masker: PiiMasker) -> None:
        super().__init__(inner)
        self.masker = masker

    def append(self, conversation_id: str, events: Sequence[Event]) -> None:
        self.inner.append(conversation_id, [mask_event(e, self.masker) for e in events])

