"""What one turn of the assistant gives back: replies, the parse, the actions it ran."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kefu.dialogue.events import Button
from kefu.nlu.types import ParseResult


@dataclass(frozen=True)
class Reply:
    """One message to the customer, with optional quick-reply buttons."""

    text: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class ActionRecord:
    """A store operation the turn called: its arguments and how it went.

    ``error`` is the error class name (``RuleViolation``, ``NotFound``...) on failure.
    """

    name: str
    args: dict[str, Any] = field(default_factory=dict)
    ok: bool = True
    error: str | None = None


@dataclass(frozen=True)
class TurnResult:
    """The answer to one customer message."""

    conversation_id: str
    replies: tuple[Reply, ...]
    parse: ParseResult
    language: str
    handoff: bool = False
    actions: tuple[ActionRecord, ...] = ()
    customer_id: str | None = None
    verified: bool = False
    awaiting_confirmation: str | None = None  # the write action waiting for a yes

    @property
    def text(self) -> str:
        """All replies joined, one per line (handy in tests and logs)."""
        return "\n".join(r.text for r in self.replies)

    def wrote(self) -> list[ActionRecord]:
        """The successful store writes of this turn."""
        from kefu.tools import get_tool

        return [a for a in self.actions if a.ok and get_tool(a.name).writes]
