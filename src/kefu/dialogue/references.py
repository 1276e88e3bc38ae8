"""Which earlier-mentioned thing a message points at: "the second one", "上一个", "它".

Pure functions over the last list shown to the customer (``candidates``) and the thing in
focus (the order or item last talked about), so they can be tested without a store.
"""

from __future__ import annotations

from collections.abc import Sequence

from kefu.dialogue.understanding import (
    ordinal,
    refers_above,
    refers_to_focus,
    refers_to_previous,
)


def by_ordinal(text: str, candidates: Sequence[str]) -> str | None:
    """The candidate at the position the message names, if any."""
    position = ordinal(text)
    if position is None or not candidates:
        return None
    if position == -1:
        return candidates[-1]
    return candidates[position - 1] if 1 <= position <= len(candidates) else None


def other_than(focus: str | None, candidates: Sequence[str], *, above_first: bool = False
               ) -> str | None:
    """The candidate next to ``focus``: "the other one" looks below it in the list first,
    "上一个" / "the previous one" (``above_first``) looks above it first."""
    if not candidates:
        return None
    if focus is None or focus not in candidates:
        return candidates[0] if len(candidates) == 1 else None
    index = list(candidates).index(focus)
    order = (index - 1, index + 1) if above_first else (index + 1, index - 1)
    for position in order:
        if 0 <= position < len(candidates):
            return candidates[position]
    return None


def resolve(text: str, candidates: Sequence[str], focus: str | None) -> str | None:
    """What ``text`` refers to among ``candidates`` (ordinal, "the other", "it"), or None."""
    chosen = by_ordinal(text, candidates)
    if chosen is not None:
        return chosen
    if refers_to_previous(text):
        return other_than(focus, candidates, above_first=refers_above(text))
    if refers_to_focus(text) and focus is not None:
        return focus
    return None
