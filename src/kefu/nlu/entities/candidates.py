"""Candidate spans from the individual finders, and how overlaps between them are settled.

Every finder proposes spans freely; ``resolve`` keeps a non-overlapping set. A span
with a higher ``priority`` wins over one it overlaps; among equal priorities the
longer span wins, then the earlier one. Priorities (higher wins):

    7  email, URLs (blocked)
    6  order_id; runs of 12+ digits (blocked: tracking numbers)
    5  phone, item_id, catalog product matches
    4  money, zip after a cue, address, cancel_reason
    3  dates that resolve to a day, quantities with a unit, options, lexicon products,
       English names after a cue
    2  date periods, LAC nouns as products, Chinese names, lone zips, lone letter sizes
    1  bare quantities ("two shirts"), bare numeric sizes, bare prices ("只卖2690了")

A candidate with ``blocker`` set is a recognised look-alike (a tracking number, a long
digit run): it takes part in the contest with its priority, so it removes weaker spans
it overlaps, but it is never emitted.
"""

from __future__ import annotations

from dataclasses import dataclass

from kefu.nlu.types import Entity


@dataclass(frozen=True)
class Candidate:
    type: str
    value: str
    start: int
    end: int
    priority: int = 2
    confidence: float = 0.9
    source: str = "rule"
    blocker: bool = False  # a look-alike that blocks weaker spans but is not an entity

    @property
    def length(self) -> int:
        return self.end - self.start


def _trim(text: str, cand: Candidate) -> Candidate | None:
    """Drop surrounding white space and punctuation that a pattern may have taken."""
    start, end = cand.start, cand.end
    while start < end and (text[start].isspace() or text[start] in ",，;；、"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",，;；、.。!！?？"):
        end -= 1
    if start >= end:
        return None
    if (start, end) == (cand.start, cand.end):
        return cand
    return Candidate(cand.type, cand.value, start, end, cand.priority, cand.confidence,
                     cand.source, cand.blocker)


# Full-width ASCII ("Ｗ１２３４５６７", "＃", "：") and the ideographic space, mapped one
# character to one character, so offsets in the normalised text are offsets in the original.
FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def normalise_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


def resolve(text: str, candidates: list[Candidate], original: str | None = None) -> list[Entity]:
    """Keep the strongest non-overlapping candidates, sorted by start offset.

    ``text`` is what the finders saw; ``original`` (same length, e.g. before full-width
    normalisation) is what the entities' ``text`` is cut from.
    """
    original = text if original is None else original
    trimmed = [c for c in (_trim(text, c) for c in candidates) if c is not None]
    order = sorted(trimmed, key=lambda c: (-c.priority, -c.length, c.start))
    taken: list[Candidate] = []
    for cand in order:
        if any(cand.start < t.end and t.start < cand.end for t in taken):
            continue
        taken.append(cand)
    taken.sort(key=lambda c: c.start)
    return [
        Entity(type=c.type, value=c.value, start=c.start, end=c.end,
               text=original[c.start:c.end],
               confidence=c.confidence, source=c.source)
        for c in taken
        if not c.blocker
    ]
