"""Postal addresses and zip codes, English and Chinese.

- English: a house number, street words and a street suffix, then optionally a unit
  ("Apt 4", "Suite 259"), a city and a state ("123 Main St, Apt 4, Springfield, IL").
  The value is the text as written, trimmed. The zip after it is not part of the
  address: it is its own ``zip`` entity, as kefu's annotated data marks it and as the
  store's tools want it (τ-bench looks customers up by name and zip).
- Chinese: administrative units (省/市/区/县/镇/街道), roads (路/街/大道/巷/弄), numbers
  (号/栋/幢/单元/楼/层/室) and estates (小区/花园/公寓/大厦) in a row. LAC's LOC words
  anchor the run; a run needs at least two parts ("上海市浦东新区", "张江路88号"), so a
  lone city name ("发到北京要几天") is not an address.
- Zips: a US zip (5 digits, or ZIP+4) or a Chinese postcode (6 digits) after a cue
  ("zip", "zip code", "postal code", "邮编") or after a US state; in a message about a
  zip or an address, a lone 5- or 6-digit number too. Prices and counts are not zips.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kefu.nlu.entities.candidates import Candidate
from kefu.nlu.entities.chinese import Word

US_STATES: tuple[str, ...] = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC",
)
US_STATE_NAMES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
    "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
    "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
    "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
    "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota",
    "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "West Virginia",
    "Wisconsin", "Wyoming")
_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|"
    r"Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Alley|Row|"
    r"Plaza|Crescent|Close)\.?")
_WORD = r"(?:[A-Z][A-Za-z'-]*|\d+(?:st|nd|rd|th))"
_STATE = r"(?:" + "|".join(US_STATES) + "|" + "|".join(US_STATE_NAMES) + r")"
_ZIP_US = r"\d{5}(?:-\d{4})?"
_CITY = r"[A-Z][A-Za-z'.-]+(?:\s+[A-Z][A-Za-z'.-]+){0,2}"
_UNIT = r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Room|Rm|Floor|Fl|#)\.?\s*#?\s*[A-Za-z0-9-]+)?"
_EN_ADDRESS = re.compile(
    rf"(?<![\w#-])\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?{_WORD}(?:\s+{_WORD}){{0,3}}\s+"
    rf"{_STREET_SUFFIX}(?![A-Za-z]){_UNIT}"
    rf"(?:,?\s+{_CITY},?\s+{_STATE}(?![A-Za-z])|,\s+{_CITY}(?=\s*(?:[,.;!?)]|$|\s+(?:not|instead|"
    rf"please|and|but|or|for|as|now|pls|thanks)\b|\s+\d{{5}})))?"
    # a street without a suffix ("2250 Broadway, New York, NY") needs its city and state
    rf"|(?<![\w#-])\d{{1,6}}\s+{_WORD}{_UNIT},\s+{_CITY},\s+{_STATE}(?![A-Za-z])")
# A street named without a number, when the message talks about the street.
_EN_STREET_ONLY = re.compile(
    rf"\b(?:be|is|to|on)\s+((?:[A-Z][a-z]+\s+){{1,2}}{_STREET_SUFFIX})(?![A-Za-z])")
_ZIP_CUE = re.compile(
    rf"(?:\bzip(?:\s*code)?|\bpostal\s*code|\bpostcode|邮编|邮政编码)\s*(?:is|was|是|为|改成|改为)?"
    rf"\s*[:：]?\s*(?:#\s*)?({_ZIP_US}|\d{{6}})(?![\d-])", re.I)
_ZIP_TALK = re.compile(r"\bzip\b|\bpostal\b|\bpostcode\b|邮编|邮政编码|\baddress\b|\bmoved to\b|"
                       r"\blive in\b|\bship(?:ping)? to\b", re.I)
_LONE_ZIP = re.compile(
    r"(?<![\d$¥￥./-])(?<!\d[,:])(\d{5}(?:-\d{4})?|\d{6})"
    r"(?![\d%/-]|[.,]\d|\s?(?:元|块|dollars?))")
_STATE_ZIP = re.compile(rf"\b{_STATE},?\s+({_ZIP_US})(?![\d-])")

_ZH_ADMIN = r"省|自治区|特别行政区|市|区|县|旗|镇|乡|街道|村"
_ZH_ROAD = r"路|街|大道|大街|巷|弄|胡同|道"
_ZH_DETAIL = r"号楼|号院|号|栋|幢|座|单元|楼|层|室|户|门|期|区"
_ZH_ESTATE = r"小区|花园|公寓|大厦|广场|苑|园|村|家园|新村|中心|大楼|社区|宿舍|校区|公馆"
_ZH_PART = re.compile(
    rf"\d+(?:单元|栋|幢|号楼)\d+(?![\d单元栋幢室楼层号户座])"
    rf"|[0-9A-Za-z一二三四五六七八九十零-]*[0-9A-Za-z](?:{_ZH_DETAIL})|[0-9]+(?:-[0-9]+)+")
# What may follow a found address part and still belong to it: a road with its number,
# an estate or building name, a detail ("高新南一道9号", "中石化大厦").
_ZH_CONTINUATION = re.compile(
    rf"[\u4e00-\u9fff]{{1,6}}?(?:{_ZH_ROAD})(?:[0-9A-Za-z-]+(?:{_ZH_DETAIL}))?"
    rf"|[\u4e00-\u9fff]{{1,6}}?(?:{_ZH_ESTATE})|[0-9A-Za-z-]+(?:{_ZH_DETAIL})")
# A message about an address: there a lone "18栋" or "3单元502" is an address.
_ADDRESS_TALK = re.compile(r"地址|门牌|楼号|住址|收货|寄到|送到|改到|改成|\baddress\b", re.I)
_ZH_NAMED_PART = re.compile(rf"(?:{_ZH_ADMIN}|{_ZH_ROAD}|{_ZH_ESTATE})$")
_NOT_PLACES = re.compile(r"地区|专区|分期|\d+期")
_ZH_STRONG = re.compile(rf"(?:{_ZH_ROAD})|\d+(?:{_ZH_DETAIL})|{_ZH_ESTATE}|省|市|区|县|\d+单元\d+")
# Chinese words ending in an address character that are not places.
_ZH_FALSE_PARTS = re.compile(r"^(?:地区|专区|售后区|评论区|问题|小区门口|城市|市场|超市|门市|"
                             r"社区团购|校区|园区)$")


def find_english_addresses(text: str) -> Iterator[Candidate]:
    """Street addresses up to the state; a zip after them is its own entity."""
    for m in _EN_ADDRESS.finditer(text):
        value = m.group().strip(" ,")
        yield Candidate("address", value, m.start(), m.start() + len(m.group().rstrip(" ,")),
                        priority=4, confidence=0.85)
    if re.search(r"\bstreet\b|\baddress\b", text, re.I):
        for m in _EN_STREET_ONLY.finditer(text):
            yield Candidate("address", m.group(1), m.start(1), m.end(1), priority=4,
                            confidence=0.6)


def find_zips(text: str) -> Iterator[Candidate]:
    for pattern in (_ZIP_CUE, _STATE_ZIP):
        for m in pattern.finditer(text):
            yield Candidate("zip", m.group(1), m.start(1), m.end(1), priority=4,
                            confidence=0.9)
    if _ZIP_TALK.search(text):
        # "邮编也写错了，应该是310012": the message is about a zip, the number is one.
        for m in _LONE_ZIP.finditer(text):
            yield Candidate("zip", m.group(1), m.start(1), m.end(1), priority=2,
                            confidence=0.6)


def find_chinese_addresses(text: str, words: Iterable[Word]) -> Iterator[Candidate]:
    """Runs of LOC words and address parts (路, 号, 栋, 室...) merged into one span."""
    words = list(words)
    parts: list[tuple[int, int]] = []
    for w in words:
        if w.tag == "LOC" or (w.tag in ("ORG", "nz", "n", "s", "ns") and len(w.text) >= 2
                              and _ZH_NAMED_PART.search(w.text)
                              and not _ZH_FALSE_PARTS.match(w.text)):
            parts.append((w.start, w.end))
    for m in _ZH_PART.finditer(text):
        if not _ZH_FALSE_PARTS.match(m.group()):
            parts.append(m.span())
    if not parts:
        return
    parts.sort()
    runs: list[list[int]] = []
    for start, end in parts:
        if runs and start <= runs[-1][1] + _gap(text, runs[-1][1], start):
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    address_talk = bool(_ADDRESS_TALK.search(text))
    for run in runs:
        while True:
            more = _ZH_CONTINUATION.match(text, run[1])
            if not more or not re.search(rf"{_ZH_ADMIN}|{_ZH_ROAD}", text[run[0]:run[1]]):
                break
            run[1] = more.end()
    for start, end in runs:
        while end > start and text[end - 1] in "吧呢啊吗了的呀哦哈":
            end -= 1  # LAC sometimes keeps a sentence particle in a place name
        span = text[start:end]
        if address_talk and len(span) >= 3 and re.search(r"\d", span) and (
                _ZH_STRONG.search(span) or re.fullmatch(r"\d+(?:-\d+){2,}", span)):
            pass  # "18栋", "3单元502", "12-3-401" when the message is about an address
        elif len(span) < 4 or not _ZH_STRONG.search(span) or _NOT_PLACES.search(span):
            continue  # a lone place name ("新疆西藏", "北京") is not an address
        elif not re.search(r"[\u4e00-\u9fff]", span):
            continue
        yield Candidate("address", span, start, end, priority=4, confidence=0.8,
                        source="lac")


def _gap(text: str, end: int, start: int) -> int:
    """How far apart two address parts may be: spaces or a dash may separate them."""
    between = text[end:start]
    if re.fullmatch(r"[\s-]*", between):
        return len(between)
    return 0
