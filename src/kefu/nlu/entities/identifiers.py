"""Shaped identifiers: order ids, item ids, e-mail addresses, phone numbers.

These share one concern: digit strings that look alike. An order id is ``#W`` and 7
digits, an item id 10 digits, a Chinese mobile 11 digits starting ``1[3-9]``, a
tracking number 12 or more digits. Every pattern refuses to start or end inside a
longer run of letters or digits, and runs of 12+ digits are blocked outright, so a
tracking number never yields a phone or an item id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kefu.nlu.entities.candidates import Candidate

_NOT_ALNUM_BEFORE = r"(?<![A-Za-z0-9])"
_NOT_ALNUM_AFTER = r"(?![A-Za-z0-9])"
_NOT_DIGIT_AFTER = r"(?!\d)"

_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+"
                    r"(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9])")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s，。、]+", re.I)
_LONG_DIGITS = re.compile(
    r"(?<![\d+])(?!0086)\d{12,}(?!\d)|(?<![A-Za-z0-9])[A-Za-z]{1,4}\d{9,}(?!\d)")

_ORDER_ID = re.compile(r"(?<![A-Za-z0-9#＃])(?:[#＃]\s?)?[Ww](\d{7})" + _NOT_DIGIT_AFTER)
# "order 1234567", "order number: 1234567", "订单号1234567": a bare 7-digit order number.
_ORDER_CUE_DIGITS = re.compile(
    r"(?:\border(?:\s+(?:id|no\.?|number|num))?|订单(?:号|编号)?|单号)\s*(?:is\s+)?[:：#＃]?\s*"
    r"(?<!\d)([#＃]?\d{7})(?!\d)", re.I)

_ITEM_ID = re.compile(r"(?<![A-Za-z0-9#＃+-])(\d{10})" + _NOT_ALNUM_AFTER)

_CN_MOBILE = re.compile(
    r"(?<![\d+])(?:(?:\+\s?|00)86[\s-]?|\(\+?86\)\s?)?(1[3-9]\d)([\s-]?)(\d{4})\2(\d{4})(?!\d)")
_NANP = re.compile(
    r"(?<![\d+])(?:\+?1[\s.-]?)?(?:\((\d{3})\)\s?|(\d{3})[\s.-])(\d{3})[\s.-](\d{4})(?!\d)")
_NANP_PLUS = re.compile(r"(?<!\d)\+1(\d{10})(?!\d)")
_INTL = re.compile(r"(?<![\d+])(?:\+|00)([1-9]\d{0,2})[\s.-]?(?:\(?\d{1,4}\)?[\s.-]?){2,5}\d"
                   r"(?![\d])")
_CN_LANDLINE = re.compile(r"(?<![\d-])0(\d{2,3})-(\d{7,8})(?![\d-])")
_PHONE_CUE = re.compile(r"(phone|mobile|cell|call|text me|tel|number|contact|电话|手机|号码|联系)",
                        re.I)


def find_emails_and_urls(text: str) -> Iterator[Candidate]:
    for m in _EMAIL.finditer(text):
        yield Candidate("email", m.group().lower(), m.start(), m.end(), priority=7,
                        confidence=0.99)
    for m in _URL.finditer(text):
        yield Candidate("url", m.group(), m.start(), m.end(), priority=7, blocker=True)
    for m in _LONG_DIGITS.finditer(text):
        # Tracking numbers and other long codes: never phones or item ids.
        yield Candidate("tracking", m.group(), m.start(), m.end(), priority=6, blocker=True)


def find_order_ids(text: str) -> Iterator[Candidate]:
    for m in _ORDER_ID.finditer(text):
        yield Candidate("order_id", f"#W{m.group(1)}", m.start(), m.end(), priority=6,
                        confidence=0.99)
    for m in _ORDER_CUE_DIGITS.finditer(text):
        digits = m.group(1).lstrip("#＃")
        yield Candidate("order_id", f"#W{digits}", m.start(1), m.end(1), priority=6,
                        confidence=0.8)


def _phone_cue_before(text: str, start: int) -> bool:
    return bool(_PHONE_CUE.search(text[max(0, start - 25):start]))


def find_phones(text: str) -> Iterator[Candidate]:
    for m in _CN_MOBILE.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4)
        yield Candidate("phone", f"+86{digits}", m.start(), m.end(), priority=5,
                        confidence=0.95)
    for m in _NANP.finditer(text):
        area = m.group(1) or m.group(2)
        if area[0] in "01":
            continue  # NANP area codes never start with 0 or 1
        yield Candidate("phone", f"+1{area}{m.group(3)}{m.group(4)}", m.start(), m.end(),
                        priority=5, confidence=0.9)
    for m in _NANP_PLUS.finditer(text):
        yield Candidate("phone", f"+1{m.group(1)}", m.start(), m.end(), priority=5,
                        confidence=0.9)
    for m in _CN_LANDLINE.finditer(text):
        yield Candidate("phone", f"+86{m.group(1)}{m.group(2)}", m.start(), m.end(),
                        priority=5, confidence=0.85)
    for m in _INTL.finditer(text):
        value = _e164(m.group())
        if value:
            yield Candidate("phone", value, m.start(), m.end(), priority=5, confidence=0.85)
    # A bare 10-digit number is an item id, unless the words before it say "phone".
    for m in _ITEM_ID.finditer(text):
        if _phone_cue_before(text, m.start()) and m.group(1)[0] not in "01":
            yield Candidate("phone", f"+1{m.group(1)}", m.start(), m.end(), priority=5,
                            confidence=0.7)


def find_item_ids(text: str) -> Iterator[Candidate]:
    for m in _ITEM_ID.finditer(text):
        if _phone_cue_before(text, m.start()) and m.group(1)[0] not in "01":
            continue
        yield Candidate("item_id", m.group(1), m.start(), m.end(), priority=5, confidence=0.9)


def _e164(raw: str) -> str | None:
    """International number with its country code, as E.164; None if implausible."""
    import phonenumbers  # only when a "+CC ..." shape appears

    try:
        number = phonenumbers.parse(raw.replace("00", "+", 1) if raw.startswith("00") else raw,
                                    None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
