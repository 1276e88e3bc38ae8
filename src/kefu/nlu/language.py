"""Which language a customer wrote in: "zh", "en" or "mixed".

The rule, in order:

1. Ids, numbers, e-mail addresses and URLs are removed first: they are not English
   ("W1234567", "#W2378156", "13812345678", "a@b.com" say nothing about language).
2. Count CJK characters (Han, plus kana) and Latin words (two letters or more, or "I"/"a").
3. Only one kind present → that language; neither → "en" (punctuation, emoji, bare ids:
   kefu answers in English unless the conversation says otherwise).
4. Both present: a Chinese sentence that carries a few English words - a product or
   brand name ("我想买 iPhone 15 Pro", "订单什么时候 ship") - is "zh": at least 2 CJK
   characters and no more than 3 Latin words in all, with CJK characters making up at
   least half of the "weight" (CJK characters count 1, Latin words 1.5).
5. Otherwise the share of weight decides: English weight >= 80% → "en" ("where is my
   order 亲"), CJK weight >= 80% → "zh", anything between → "mixed".
"""

from __future__ import annotations

import re

_NOISE = re.compile(
    r"(?:https?://|www\.)[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|[#＃]?[A-Za-z]*\d[A-Za-z0-9_-]*"  # ids and numbers with letters stuck to them: W1234567
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")

LANGUAGES = ("zh", "en", "mixed")
_LATIN_WORD_WEIGHT = 1.5  # one English word carries about as much as 1.5 Chinese characters


def detect_language(text: str) -> str:
    """"zh", "en" or "mixed" for ``text``; see the module docstring for the rule."""
    cleaned = _NOISE.sub(" ", text)
    cjk = len(_CJK.findall(cleaned))
    latin_words = [w for w in _LATIN_WORD.findall(cleaned) if len(w) > 1 or w in ("I", "a")]
    if not latin_words:
        return "zh" if cjk else "en"
    if not cjk:
        return "en"
    latin_weight = _LATIN_WORD_WEIGHT * len(latin_words)
    if cjk >= 2 and len(latin_words) <= 3 and cjk >= latin_weight:
        return "zh"
    share_en = latin_weight / (latin_weight + cjk)
    if share_en >= 0.8:
        return "en"
    if share_en <= 0.2:
        return "zh"
    return "mixed"
