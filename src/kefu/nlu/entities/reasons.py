"""Cancellation reasons, mapped to the two values a store's cancel action accepts.

τ-bench (and kefu's store) accept exactly "no longer needed" and "ordered by mistake".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kefu.nlu.entities.candidates import Candidate

ORDERED_BY_MISTAKE = "ordered by mistake"
NO_LONGER_NEEDED = "no longer needed"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (ORDERED_BY_MISTAKE, re.compile(
        r"\b(?:(?:ordered|bought|purchased)(?: it| this| that| them)?|placed (?:it|the order|"
        r"this order)|clicked|did it)\s+(?:by|in)\s+(?:mistake|error|accident)"
        r"|\bby (?:mistake|accident)\b|\baccidental(?:ly)? (?:order(?:ed)?|bought|purchased|"
        r"placed)\b|\bmistaken(?:ly)? (?:order(?:ed)?|bought|purchased)\b"
        r"|\b(?:ordered|bought|picked|chose|selected) the wrong (?:one|item|size|color|colour|"
        r"model|thing)\b|\bwrong (?:order|purchase)\b|\bmis-?ordered\b"
        r"|\bwrong (?:item|size|color|colour|one) (?:ordered|bought)\b", re.I)),
    (ORDERED_BY_MISTAKE, re.compile(
        r"(?:买|拍|点|选|订)错(?:了|[\u4e00-\u9fff]{1,2}了)?|下错单?了?|下单下错了?|误拍|误购|"
        r"不小心(?:下单|拍|买|点)(?!错)了?|手滑(?:下单|拍|买)?(?!错)了?|(?:拍|买|下单)重复了?|重复(?:下单|购买|拍)了?|"
        r"买多了|多拍了|地址(?:写|填)错了?")),
    (NO_LONGER_NEEDED, re.compile(
        r"\b(?:(?:do not|don't|dont|no longer|not|won't|wont) (?:really )?need (?:it|this|that|"
        r"them|these|those|the \w+)(?: any ?more)?|no longer (?:need(?:ed)?|want(?:ed)?|"
        r"necessary|required)|(?:do not|don't|dont) want (?:it|this|that|them) any ?more|"
        r"(?:changed|change) my mind|not needed any ?more|(?:i )?(?:don't|do not) need it now|"
        r"(?:i )?found (?:it|one|a better (?:deal|price))(?: cheaper)?"
        r"(?: elsewhere| somewhere else| online)?|"
        r"(?:it'?s |it is )?taking (?:too|way too) long|(?:the )?shipping is (?:too|way too) slow|"
        r"my plans (?:have )?changed|no need for (?:it|this|them) any ?more)\b", re.I)),
    (NO_LONGER_NEEDED, re.compile(
        r"不想要了|不需要了|用不上了?|用不到了?|没用了|不需要这个了|暂时不需要了?|"
        r"不想买了?|改主意了|已经买了别的|(?:在|去|换)?别(?:处|家|的地方)买了|不想等了|等(?:太|得太)久了|"
        r"冲动消费了?|不想用了")),
)


# A reason only counts in a message asking to cancel (in Chinese also to return, as
# kefu's Chinese data marks it): "拍错了尺码" in a request to change an order is not a
# cancellation reason.
_CANCEL_TALK = re.compile(
    r"取消|撤销|撤回|撤单|退货|退款|退掉|退了|要退|想退|"
    r"\bcancel(?!led (?:yesterday|order|already))|\bvoid\b|call off|withdraw|kill the order|"
    r"stop (?:my|the) order", re.I)


# Customers give free-form reasons as the last clause of a cancellation: "cancel it, my
# plans changed", "please cancel - the shipping is too slow", "because I found it cheaper".
_REASON_CLAUSE = re.compile(
    r"(?:,|\s-\s|\breason(?: is)?\s*[:：]|\bbecause(?: i\b)?|\bsince(?: i\b)?|，)\s*"
    r"(?P<clause>[^,，.。!！?？;；]{3,80}?)\s*[.。!！]?\s*$", re.I)
_NOT_A_REASON = re.compile(
    r"cancel|refund|\bplease\b|\bpls\b|\bplz\b|thank|\basap\b|\bnow\b|\bquick|\bthe whole|"
    r"\bhasn'?t shipped|\bshould be\b|\bcan you\b|\bcould you\b|\bhelp\b|\bok\b|\d|@|取消|退|谢|"
    r"^(?:how|what|when|where|why|can|could|will|would|is|are|do|does)\b|^(?:and|or|but)\b", re.I)
_MISTAKE_WORDS = re.compile(r"mistake|wrong|accident|error|twice|duplicate|错|重复|多了", re.I)


def find_cancel_reasons(text: str) -> Iterator[Candidate]:
    if not _CANCEL_TALK.search(text):
        return
    for value, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            yield Candidate("cancel_reason", value, m.start(), m.end(), priority=4,
                            confidence=0.85)
    # Only English: Chinese reasons are short set phrases, which the patterns above know.
    last = _REASON_CLAUSE.search(text)
    if last and _CANCEL_TALK.search(text[:last.start()]) and not re.search(
            r"[\u4e00-\u9fff]", last.group("clause")):
        clause = last.group("clause")
        if not _NOT_A_REASON.search(clause) and 1 <= len(clause.split()) <= 10:
            value = ORDERED_BY_MISTAKE if _MISTAKE_WORDS.search(clause) else NO_LONGER_NEEDED
            yield Candidate("cancel_reason", value, last.start("clause"), last.end("clause"),
                            priority=3, confidence=0.6)
