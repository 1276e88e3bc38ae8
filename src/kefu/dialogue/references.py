"""Which earlier-mentioned thing a message points at: "the second one", "上一个", "它".

Pure functions over the last list shown to the customer (``candidates``) and the thing in
focus (the order or item last talked about), so they can be tested without a store.
"""

from __future__ import annotations

from collections.abc import Sequence

from kefu.dialogue.understanding import ordinal, refers_to_focus, refers_to_previous


def by_ordinal(text: str, candidates: Sequence[str]) -> str | None:
    """The candidate at the position the message names, if any."""
    position = ordinal(text)
    if position is None or not candidates:
        return None
    if position == -1:
        return candidates[-1]
    return candidates[position - 1] if 1 <= position <= len(candidates) else None


def other_than(focus: str | None, candidates: Sequence[str]) -> str | None:
    """"the other one" / "上一个": the candidate next to ``focus`` (the one after it in the
    list, which is the earlier order when lists are newest first; else the one before)."""
    if not candidates:
        return None
    if focus not in candidates:
        return candidates[0] if len(candidates) == 1 else None
    index = list(candidates).index(focus)
    if index + 1 < len(candidates):
        return candidates[index + 1]
    return candidates[index - 1] if index > 0 else None


def resolve(text: str, candidates: Sequence[str], focus: str | None) -> str | None:
    """What ``text`` refers to among ``candidates`` (ordinal, "the other", "it"), or None."""
    chosen = by_ordinal(text, candidates)
    if chosen is not None:
        return chosen
    if refers_to_previous(text):
        return other_than(focus, candidates)
    if refers_to_focus(text) and focus is not None:
        return focus
    return None
