"""Money amounts, budgets and quantities, in English and Chinese.

Money values are decimal strings with an optional bound marker, one convention for
every caller:

    "50"       an amount ("$50", "五百块", "¥199")
    "<=2000"   an upper bound ("under 2000", "两千以内", "不超过500元")
    ">=100"    a lower bound ("over $100", "1000元以上")
    "100-200"  a range ("between $100 and $200", "100到200块")

The span includes the bound and approximation words ("under $100", "about $400",
"500元以内", "500块左右"). A bare number counts as
money only with a currency sign or word, or after a budget cue (under, 预算, 以内...).

Quantities are integer strings ("2" for "two", "x2", "两个", "2 pcs").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kefu.nlu.entities.candidates import Candidate
from kefu.nlu.entities.numerals import (
    CN_NUMBER,
    EN_NUMBER_WORD,
    cn_to_number,
    en_to_number,
    format_number,
)

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?(?:\s?[kK](?![a-zA-Z]))?"
_EN_AMOUNT = rf"(?:{_NUM}|{EN_NUMBER_WORD})"
_CUR_BEFORE = r"(?:US\s?\$|\$|USD\s?|RMB\s?|CNY\s?|¥|￥|人民币\s?)"
_CUR_AFTER_EN = r"(?:dollars?|bucks|usd|USD|rmb|RMB|yuan|CNY)\b"
_CUR_AFTER_ZH = r"(?:块钱|块|元|圆|美元|美金|刀|rmb|RMB)"

_EN_UPPER = r"under|below|less than|no more than|not more than|at most|max(?:imum)?|up to|" \
            r"within|cheaper than|lower than|no higher than|below about"
_EN_LOWER = r"over|above|more than|at least|min(?:imum)?|no less than|higher than|from"
_ZH_UPPER_PRE = r"不超过|不超|不到|低于|少于|最多|小于|不高于|控制在"
_ZH_UPPER_POST = r"以内|之内|以下|内|封顶"
_ZH_LOWER_PRE = r"超过|高于|至少|大于|不低于|不少于"
_ZH_LOWER_POST = r"以上|起"
_ZH_APPROX_POST = r"左右|上下|出头"

_EN_MONEY = re.compile(
    rf"(?:\b(?P<bound>{_EN_UPPER}|{_EN_LOWER}|around|about|approximately|roughly)\s+)?"
    rf"(?:(?P<cur1>{_CUR_BEFORE})\s?(?P<n1>{_NUM})|(?P<n2>{_EN_AMOUNT})\s?{_CUR_AFTER_EN})",
    re.I)
_EN_RANGE = re.compile(
    rf"\bbetween\s+(?:{_CUR_BEFORE})?(?P<a>{_NUM})\s*(?:and|-|to)\s*(?:{_CUR_BEFORE})?"
    rf"(?P<b>{_NUM})(?:\s?{_CUR_AFTER_EN})?", re.I)
# "under 200" without a currency: a budget only when no other unit follows.
_EN_BARE_BOUND = re.compile(
    rf"\b(?P<bound>{_EN_UPPER}|(?!from)(?:{_EN_LOWER})|budget(?: is| of)?)\s+(?P<n>{_NUM})"
    r"(?!\s?(?:%|percent|days?|weeks?|months?|years?|hours?|minutes?|mins?|GB|TB|MB|ml|mAh|"
    r"inch|inches|ft|feet|lbs?|kg|g|W|pcs|pieces|items|units|orders?|times|people|cm|mm)\b)"
    r"(?![\d.,/:-])", re.I)

_ZH_MONEY = re.compile(
    rf"(?P<pre>{_ZH_UPPER_PRE}|{_ZH_LOWER_PRE}|预算(?:是|在|为|大概|大约)?|大概|大约|满)?"
    rf"(?:(?P<cur>{_CUR_BEFORE})\s?(?P<n1>{_NUM}|{CN_NUMBER})|(?P<n2>{_NUM}|{CN_NUMBER})\s?"
    rf"{_CUR_AFTER_ZH}(?!儿))"
    rf"(?P<post>{_ZH_UPPER_POST}|{_ZH_LOWER_POST}|{_ZH_APPROX_POST})?")
_ZH_RANGE = re.compile(
    rf"(?P<a>{_NUM}|{CN_NUMBER})\s?(?:{_CUR_AFTER_ZH})?\s?(?:到|至|-|~|～)\s?"
    rf"(?P<b>{_NUM}|{CN_NUMBER})\s?(?:{_CUR_AFTER_ZH}|(?=能买|之间|价位|的预算|左右))")
# A bare number after a price word is a price: "只卖2690了", "扣了1299两次", "退1299的那笔".
_ZH_PRICE_CONTEXT = re.compile(
    r"(?:卖|价|付了?|扣了?|退了?|看到|花了?|只要|才|还是|就|降了?|涨了?|便宜|转账了?|差了?|补)\s?"
    r"(?P<n>\d{2,6}(?:\.\d{1,2})?)(?![\d.%A-Za-z码号个件天年月日岁度寸米次单]|的券|减)"
    r"|(?P<m>\d{2,6}(?:\.\d{1,2})?)(?=的那笔)")
# "两千以内", "预算3000": a number made a budget by the words around it.
_ZH_BARE_BOUND = re.compile(
    rf"(?:(?P<pre>预算(?:是|在|为|大概|大约)?|满|{_ZH_UPPER_PRE}|{_ZH_LOWER_PRE})\s?(?P<n1>{_NUM}"
    rf"|{CN_NUMBER})(?![\d个件台天周月年号点岁人次条GgTtMm%])(?P<post1>{_ZH_UPPER_POST}|"
    rf"{_ZH_LOWER_POST}|{_ZH_APPROX_POST})?|(?P<n2>{_NUM}|{CN_NUMBER})(?P<post2>以内|之内|以下|"
    rf"以上|左右))")


def _bound_marker(word: str | None) -> str:
    if not word:
        return ""
    w = word.lower()
    if re.fullmatch(_EN_UPPER, w) or re.fullmatch(_ZH_UPPER_PRE, w) or re.fullmatch(
            _ZH_UPPER_POST, w) or w.startswith("budget") or w.startswith("预算"):
        return "<="
    if re.fullmatch(_EN_LOWER, w) or re.fullmatch(_ZH_LOWER_PRE, w) or re.fullmatch(
            _ZH_LOWER_POST, w):
        return ">="
    return ""


def _number(text: str) -> float | None:
    raw = text.replace(",", "").replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?[kK]", raw):
        return float(raw[:-1]) * 1000
    value = en_to_number(raw) if re.search(r"[A-Za-z]", raw) else cn_to_number(raw)
    if value is None and re.search(r"[A-Za-z]", text):
        value = en_to_number(text)
    return value


def find_money(text: str) -> Iterator[Candidate]:
    for m in _EN_RANGE.finditer(text):
        a, b = _number(m.group("a")), _number(m.group("b"))
        if a is not None and b is not None:
            yield Candidate("money", f"{format_number(a)}-{format_number(b)}", m.start(),
                            m.end(), priority=4)
    for m in _ZH_RANGE.finditer(text):
        a, b = _number(m.group("a")), _number(m.group("b"))
        if a is not None and b is not None and a < b:
            yield Candidate("money", f"{format_number(a)}-{format_number(b)}", m.start(),
                            m.end(), priority=4)
    for m in _EN_MONEY.finditer(text):
        value = _number(m.group("n1") or m.group("n2"))
        if value is None:
            continue
        marker = _bound_marker(m.group("bound"))
        # the span keeps bound and approximation words: "under $100", "around $80"
        start = m.start() if m.group("bound") else (
            m.start("cur1") if m.group("cur1") else m.start("n2"))
        yield Candidate("money", marker + format_number(value), start, m.end(), priority=4)
    for m in _EN_BARE_BOUND.finditer(text):
        value = _number(m.group("n"))
        if value is None:
            continue
        start = m.start() if not m.group("bound").lower().startswith("budget") else m.start("n")
        yield Candidate("money", _bound_marker(m.group("bound")) + format_number(value), start,
                        m.end(), priority=4, confidence=0.7)
    for m in _ZH_MONEY.finditer(text):
        raw = m.group("n1") or m.group("n2")
        value = _number(raw)
        if value is None or value == 0:
            continue
        marker = _bound_marker(m.group("post")) or _bound_marker(m.group("pre"))
        pre = m.group("pre") or ""
        if marker and pre and _bound_marker(pre) and not pre.startswith("预算"):
            start = m.start()  # "不超过500元": the bound word is part of the span
        else:
            start = m.start("cur") if m.group("cur") else m.start("n2")
        end = m.end() if marker or m.group("post") else m.end() - len(m.group("post") or "")
        yield Candidate("money", marker + format_number(value), start, end, priority=4)
    for m in _ZH_PRICE_CONTEXT.finditer(text):
        group = "n" if m.group("n") else "m"
        yield Candidate("money", m.group(group), m.start(group), m.end(group), priority=1,
                        confidence=0.5)
    for m in _ZH_BARE_BOUND.finditer(text):
        raw = m.group("n1") or m.group("n2")
        value = _number(raw)
        if value is None or value < 10:
            continue  # "三以内" is not a budget
        pre = m.group("pre")
        post = m.group("post1") or m.group("post2")
        marker = _bound_marker(post) or _bound_marker(pre)
        keep_pre = pre and _bound_marker(pre) and not pre.startswith("预算")
        start = m.start() if keep_pre or not pre else m.start("n1")
        yield Candidate("money", marker + format_number(value), start, m.end(), priority=4,
                        confidence=0.7)


_EN_QTY_WORDS = r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a dozen|a couple of"
# English quantities are the number alone ("[3] pcs", "[two] shirts", "x2"), as annotated.
_EN_QTY = re.compile(
    rf"(?<![\w$€£¥￥#.,/-])(?P<n>[1-9]\d?|{_EN_QTY_WORDS})(?=\s+(?:more\s+|extra\s+|of\s+(?:them|these|"
    rf"those|the|my)\b|(?:(?!(?:and|or|but|to|in|for|of|with|at|on|is|are|was|were)\b)"
    rf"[a-z][a-z-]*\s+)?[a-z][a-z-]*[a-rt-z]s\b|pairs?\b|sets?\b))"
    rf"|\bx\s?(?P<x>\d{{1,3}})\b|\b(?P<y>\d{{1,2}})\s?x(?=\s|$|[,.])|\b(?P<twice>twice)\b", re.I)
# A count right after a buying verb, or "2 out of 3": "can I order 3?", "if I buy 10".
_EN_QTY_AFTER_VERB = re.compile(
    rf"\b(?:buy|order|need|want|get|take|purchase|add|received|got)\s+(?:another\s+|only\s+)?"
    rf"(?P<n>[1-9]\d?|{_EN_QTY_WORDS})(?=\s*(?:[?.!,]|$|more\b|of\b|(?:please|pls)\b))"
    rf"|(?<![\w$#.])(?P<o>[1-9]\d?|{_EN_QTY_WORDS})\s+out of\s+\d+", re.I)
_EN_QTY_NOT_BEFORE = re.compile(
    r"\s+(?:business\s+|working\s+|more\s+)?(?:days?|weeks?|months?|years?|hours?|minutes?|mins?|"
    r"seconds?|times|ways|dollars|bucks|usd|cents|percent|stars?|inch(?:es)?|ft|feet|lbs?|kg|"
    r"gb|tb|mb|ml|mah|am|pm|o'?clock|%|th|st|nd|rd|of (?:you|us)|people|years? old|"
    r"[ap]\.m\.|times)\b", re.I)
_ZH_MEASURE = (r"个|件|台|双|条|套|盒|瓶|包|只|部|份|张|箱|支|把|副|对|本|袋|罐|组|桶|卷|片|顶|单|"
               r"块(?=[手表]|电池)")
_ZH_QTY = re.compile(rf"(?<!第)(?P<n>{CN_NUMBER})(?P<unit>{_ZH_MEASURE})"
                     r"(?!月|星期|礼拜|小时|工作日|人|问题|多月|钟|字|邮|号码|政策|服务|凭证|期)")
# "只来了一瓶", "只想退一个", "其中一件": one is a count when it is contrasted.
_ZH_ONE_COUNTED = re.compile(r"(?:只|仅|就|才|其中|单单|光)[\u4e00-\u9fff]{0,3}$")


def find_quantities(text: str) -> Iterator[Candidate]:
    sizes_talk = re.search(r"\bsizes?\b", text, re.I)
    for m in _EN_QTY_AFTER_VERB.finditer(text):
        if m.group("n") and sizes_talk:
            continue  # "I need 39" in a message about sizes is a size
        group = "n" if m.group("n") else "o"
        value = _number(m.group(group))
        if value:
            yield Candidate("quantity", format_number(value), m.start(group), m.end(group),
                            priority=1, confidence=0.6)
    for m in _EN_QTY.finditer(text):
        if m.group("twice"):
            continue  # "ordered twice" is a count of orders, rarely what the customer wants
        raw = m.group("n") or m.group("x") or m.group("y")
        if m.group("n") and _EN_QTY_NOT_BEFORE.match(text, m.end()):
            continue
        value = _number(raw)
        if value is None or value <= 0:
            continue
        priority = 1 if m.group("n") else 3
        yield Candidate("quantity", format_number(value), m.start(), m.end(), priority=priority,
                        confidence=0.6 if m.group("n") else 0.85)
    for m in _ZH_QTY.finditer(text):
        value = cn_to_number(m.group("n"))
        # "一个/一件/一只" is mostly an article, not a count the customer cares about.
        if value == 1 and _ZH_ONE_COUNTED.search(text[max(0, m.start() - 5):m.start()]):
            pass
        elif value is None or value <= 1 or value != int(value):
            continue
        yield Candidate("quantity", format_number(value), m.start(), m.end(), priority=3,
                        confidence=0.8)
