"""Transcripts: the readable lines of a conversation's event log, as stored (masked)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kefu.channels.http.guard import AGENT_SLOT
from kefu.dialogue.events import (
    BotUttered,
    ConversationRestarted,
    Event,
    HandedOff,
    SlotSet,
    UserUttered,
)


@dataclass(frozen=True)
class Line:
    """One line of a transcript: who said it (customer, bot, agent, system) and what."""

    index: int
    role: str
    text: str
    timestamp: float
    buttons: tuple[tuple[str, str], ...] = ()
    intent: str | None = None
    agent: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class Transcript:
    conversation_id: str
    customer_id: str | None
    verified: bool
    handed_off: bool
    agent: str | None
    language: str | None
    lines: tuple[Line, ...]
    event_count: int


def transcript_lines(events: Sequence[Event]) -> list[Line]:
    """The readable lines of an event log (texts are as stored: masked)."""
    lines: list[Line] = []
    agent: str | None = None
    for i, event in enumerate(events):
        match event:
            case UserUttered(text=text, intent=intent, message_id=message_id):
                lines.append(Line(i, "customer", text, event.timestamp, intent=intent,
                                  message_id=message_id))
            case BotUttered(text=text, buttons=buttons):
                lines.append(Line(i, "agent" if agent else "bot", text, event.timestamp,
                                  tuple((b.title, b.payload) for b in buttons), agent=agent))
            case HandedOff(reason=reason):
                lines.append(Line(i, "system", f"handed off to a human ({reason})",
                                  event.timestamp))
            case SlotSet(name=name, value=value) if name == AGENT_SLOT:
                text = f"agent {value} joined" if value else f"agent {agent} handed back to kefu"
                lines.append(Line(i, "system", text, event.timestamp, agent=str(value or agent)))
                agent = str(value) if value else None
            case ConversationRestarted():
                agent = None
    return lines
