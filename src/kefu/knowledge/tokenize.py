"""Words for BM25: jieba for Chinese runs, a small normaliser for English, both in mixed text.

English words are lower-cased, stop words dropped and a light suffix rule applied
("refunds", "refunded" -> "refund"), so BM25 matches inflected forms. Chinese runs are cut
with jieba's search mode (which also emits the shorter words inside long ones) and lose
their function words.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_RUNS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([A-Za-z][A-Za-z'’-]*|\d+)")

_EN_STOPWORDS = """
a an and are as at be been but by can could do does did for from had has have how i if in
into is it its me my of on or our please so that the their them then there these they this
to was we were what when where which who will with would you your yours i'm it's i'd i've
"""
_ZH_STOPWORDS = """
的 了 吗 呢 吧 啊 呀 是 我 你 您 他 她 它 我们 你们 在 和 与 及 或 就 都 也 还 又 要 会 能 可以
怎么 怎样 如何 什么 请问 一下 这个 那个 这 那 有 没有 吗 么 哪 哪些 多少 几 个 给 让 被 把 对
"""
EN_STOPWORDS = frozenset(_EN_STOPWORDS.split())
ZH_STOPWORDS = frozenset(_ZH_STOPWORDS.split())


@cache
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def stem_en(word: str) -> str:
    """A deliberately light stemmer: plural and -ed/-ing forms onto one form."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""),
                         ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            stem = word[: -len(suffix)] + keep
            # "shipping" -> "shipp" -> "ship"
            if suffix in ("ing", "ed") and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]
            return stem
    return word


def tokenize(text: str) -> list[str]:
    """BM25 tokens of ``text`` in any of kefu's languages."""
    tokens: list[str] = []
    for match in _RUNS.finditer(text):
        chinese, other = match.group(1), match.group(2)
        if chinese:
            tokens.extend(w for w in _jieba().lcut_for_search(chinese)
                          if w not in ZH_STOPWORDS)
        else:
            word = other.lower().strip("'’-")
            if word and word not in EN_STOPWORDS:
                tokens.append(stem_en(word))
    return tokens
