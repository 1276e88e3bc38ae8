"""Plain data types of the understanding layer, shared by every engine and caller."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entity:
    """A piece of information found in a message.

    ``value`` is the normalised value (``#W2378156``, ``+8613812345678``, ``no longer
    needed``); ``text`` is the span as written, ``start``/``end`` its character offsets.
    """

    type: str
    value: str
    start: int
    end: int
    text: str = ""
    confidence: float = 1.0
    source: str = "rule"


@dataclass(frozen=True)
class IntentScore:
    name: str
    confidence: float


@dataclass(frozen=True)
class ParseResult:
    """What kefu understood of one message."""

    text: str
    intent: IntentScore
    ranking: tuple[IntentScore, ...] = ()
    entities: tuple[Entity, ...] = ()
    language: str = "en"  # "zh", "en" or "mixed"
    out_of_scope: bool = False

    def entities_of(self, type_: str) -> list[Entity]:
        return [e for e in self.entities if e.type == type_]

    def first(self, type_: str) -> str | None:
        for e in self.entities:
            if e.type == type_:
                return e.value
        return None


@dataclass(frozen=True)
class Example:
    """One labelled training or test message."""

    text: str
    intent: str
    entities: tuple[Entity, ...] = field(default_factory=tuple)
    source: str = ""  # "file:line" where it was read, for error reports
