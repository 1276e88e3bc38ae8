"""Question-answer pairs: a customer question that is (nearly) an FAQ question gets its answer.

A section whose heading is ``Q: ...`` / ``问：...`` is a pair. Questions are compared after
normalisation (case, punctuation, spaces) with rapidfuzz's ratio; 90 or more is a match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from kefu.knowledge.types import Chunk

MATCH_RATIO = 90.0
_DROP = re.compile(r"[\W_]+", re.UNICODE)


def normalise_question(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return _DROP.sub("", text)


def match_faq(question: str, pairs: Sequence[Chunk], *, min_ratio: float = MATCH_RATIO
              ) -> tuple[Chunk, float] | None:
    """The pair whose question best matches ``question`` with its ratio (0-100), or None."""
    from rapidfuzz import fuzz

    wanted = normalise_question(question)
    if not wanted:
        return None
    best: tuple[Chunk, float] | None = None
    for pair in pairs:
        if not pair.question:
            continue
        ratio = float(fuzz.ratio(wanted, normalise_question(pair.question)))
        if ratio >= min_ratio and (best is None or ratio > best[1]):
            best = (pair, ratio)
    return best
