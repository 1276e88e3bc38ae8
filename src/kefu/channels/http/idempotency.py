"""A retried message is answered once: client message ids (idempotency keys).

A client that sent a message and lost the connection before the answer came back cannot
know whether the server processed it. It sends the same message again with the same
*message id* (the ``message_id`` field or the ``Idempotency-Key`` header); kefu records
the id on the stored :class:`~kefu.dialogue.events.UserUttered` event, and a turn that
finds the id already in the conversation's log, under the conversation's lock, answers with
the first attempt's replies instead of processing the message again. The record lives in
the conversation itself (the tracker store), so the retry may reach any worker, and a retry
that arrives while the first attempt is still running waits for its lock and then finds it.

A first message has no conversation id yet (the client lost the answer that carried it),
so the id of a conversation opened with a message id is derived from that id (an HMAC with
the secret key, scoped to the signed-in customer): the retry reaches the same conversation.
A message id therefore stands for the conversation until the client learns its id, and
must be unguessable: :func:`check_message_id` asks for 16 to 100 characters (a UUID fits).

Replayed replies are the stored ones, so they show personal data masked.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence

from kefu.channels.http.guard import AGENT_SLOT
from kefu.dialogue.events import ConversationRestarted, Event, SlotSet, UserUttered
from kefu.errors import InvalidInput

MESSAGE_ID_PATTERN = re.compile(r"[A-Za-z0-9_.:\-]{16,100}")


class MessageSeen(Exception):
    """Raised inside a turn: the conversation's log already holds this message id."""

    def __init__(self, events: Sequence[Event], index: int) -> None:
        super().__init__(index)
        self.events = list(events)
        self.index = index


def check_message_id(message_id: str) -> str:
    """The id itself, or :class:`InvalidInput` naming what is wrong with it."""
    if not isinstance(message_id, str) or not MESSAGE_ID_PATTERN.fullmatch(message_id):
        shown = message_id if not isinstance(message_id, str) else message_id[:120]
        raise InvalidInput(
            f"a message id must be 16 to 100 letters, digits or '_.:-', got {shown!r}",
            hint="send a fresh random id per message (e.g. a UUID) and the same one on retry")
    return message_id


def pick_message_id(field: str | None, header: str | None) -> str | None:
    """The message id from the body and the ``Idempotency-Key`` header (at most one value)."""
    if field is not None and header is not None and field != header:
        raise InvalidInput(f"message_id {field!r} and the Idempotency-Key header {header!r} "
                           "differ", hint="send the id once, in either place")
    chosen = field if field is not None else header
    return check_message_id(chosen) if chosen is not None else None


def conversation_id_for(message_id: str, customer: str | None, secret_key: str) -> str:
    """The id of the conversation a message id opens: the same for every retry."""
    key = hashlib.sha256(f"kefu-message-conversation:{secret_key}".encode()).digest()
    scoped = f"{customer or ''}\x00{message_id}".encode()
    return "c_" + hmac.new(key, scoped, hashlib.sha256).hexdigest()[:32]


def find_message(events: Sequence[Event], message_id: str) -> int | None:
    """The index of the customer message carrying ``message_id``, or None."""
    for i, event in enumerate(events):
        if isinstance(event, UserUttered) and event.message_id == message_id:
            return i
    return None


def turn_end(events: Sequence[Event], index: int) -> int:
    """Where the turn of the message at ``index`` ends (exclusive): the next customer
    message, an agent joining or leaving, or a restart begins something else."""
    for j in range(index + 1, len(events)):
        event = events[j]
        if isinstance(event, UserUttered | ConversationRestarted):
            return j
        if isinstance(event, SlotSet) and event.name == AGENT_SLOT:
            return j
    return len(events)
