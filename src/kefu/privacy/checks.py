"""Checksums and plausibility tests that tell personal numbers from look-alikes.

Pure functions over strings, no Presidio import, so they are cheap to test and reuse.
"""

from __future__ import annotations

import datetime as _dt
import re

_CN_MOBILE_WITH_PREFIX = re.compile(r"(?:0086|86)1[3-9]\d{9}")

# GB 11643-1999: weights of the first 17 digits and the check character for sum % 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def digits_of(text: str) -> str:
    """The digits of ``text`` (ASCII or full-width), as ASCII, separators dropped."""
    return "".join(str(int(ch)) for ch in text if ch.isdigit())


def cn_id_check_char(first17: str) -> str:
    """The GB 11643 check character (0-9 or X) for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"expected the first 17 digits of an ID number, got {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_cn_resident_id(text: str, *, today: _dt.date | None = None) -> bool:
    """True for a valid 18-character Chinese resident ID number.

    The check character must match (GB 11643), the birth date (characters 7-14) must be a
    real date, not in the future and at most 130 years ago, and the region code must not
    start with 0. Spaces and dashes between the groups are ignored.
    """
    compact = "".join(ch for ch in text if ch not in " -\u3000").upper()
    if len(compact) != 18 or not compact[:17].isascii() or not compact[:17].isdigit():
        return False
    if compact[0] == "0" or compact[17] not in "0123456789X":
        return False
    try:
        born = _dt.date(int(compact[6:10]), int(compact[10:12]), int(compact[12:14]))
    except ValueError:
        return False
    today = today or _dt.date.today()
    if born > today or today.year - born.year > 130:
        return False
    return cn_id_check_char(compact[:17]) == compact[17]


def luhn_valid(number: str) -> bool:
    """The Luhn (mod 10) check used by bank and payment cards."""
    digits = digits_of(number)
    if not digits:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def ean13_valid(digits: str) -> bool:
    """The EAN-13 (and ISBN-13) check digit: weights 1 and 3 alternating, mod 10."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def is_bank_card(text: str) -> bool:
    """True for 13-19 digits passing the Luhn check that are not a resident ID number,
    a mainland mobile number with its country code, or an EAN-13 barcode / ISBN (13-digit
    cards are all but retired; barcodes are common in shop conversations).

    A number made of one repeated digit (``0000000000000``) is not a card.
    """
    digits = digits_of(text)
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    if len(digits) == 18 and is_cn_resident_id(digits):
        return False
    if _CN_MOBILE_WITH_PREFIX.fullmatch(digits):  # 0086/86 + a mobile number
        return False
    if len(digits) == 13 and ean13_valid(digits):  # a product barcode or an ISBN
        return False
    return luhn_valid(digits)
