"""Numbers written as words: Chinese numerals (两千, 三百五十, 1.5万) and English words.

A small converter instead of a dependency: customer messages need integers up to
亿 and a few decimals, nothing more.
"""

from __future__ import annotations

import re

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "两": 2, "俩": 2,
    "三": 3, "叁": 3, "仨": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}

CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS) + "".join(_CN_BIG_UNITS)

# A number as customers write it in Chinese: digits, Chinese numerals, or a mix ("1.5万",
# "3千", "两千五"). Used inside bigger patterns, so it has no anchors.
CN_NUMBER = rf"(?:\d+(?:\.\d+)?[{CN_NUMERAL_CHARS}]*|[{CN_NUMERAL_CHARS}]+)"


def cn_to_number(text: str) -> float | None:
    """Value of a Chinese (or mixed digit/Chinese) numeral, None if it is not one.

    >>> [cn_to_number(s) for s in ("三百五十", "两千", "1.5万", "两千五")]
    [350.0, 2000.0, 15000.0, 2500.0]
    """
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    total = 0.0  # finished sections above 万/亿
    section = 0.0  # current section below 万
    digit: float | None = None
    last_unit = 0
    i = 0
    while i < len(text):
        ch = text[i]
        m = re.match(r"\d+(?:\.\d+)?", text[i:])
        if m:
            digit = float(m.group())
            i += len(m.group())
            continue
        if ch in _CN_DIGITS:
            value = _CN_DIGITS[ch]
            digit = float(value) if digit is None or digit == 0 else digit * 10 + value
        elif ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            section += (1.0 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        elif ch in _CN_BIG_UNITS:
            unit = _CN_BIG_UNITS[ch]
            section += digit or 0.0
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section = 0.0
            digit = None
            last_unit = unit
        else:
            return None
        i += 1
    if digit is not None:
        # "两千五" means 2500: a trailing digit counts one unit below the last one.
        if last_unit >= 100 and digit < 10 and not re.search(r"[零〇\d]", text[-2:-1] or "x"):
            section += digit * (last_unit // 10)
        else:
            section += digit
    return total + section


_EN_UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "a couple of": 2, "couple of": 2, "a pair of": 2,
    "pair of": 2, "a dozen": 12, "dozen": 12,
}
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "k": 1000, "grand": 1000, "million": 1_000_000}

EN_NUMBER_WORD = (
    r"(?:(?:" + "|".join(sorted(_EN_TENS, key=len, reverse=True)) + r")(?:[- ](?:"
    + "|".join(w for w in _EN_UNITS if " " not in w and len(w) > 2) + r"))?|"
    + "|".join(w for w in sorted(_EN_UNITS, key=len, reverse=True) if len(w) > 2) + r")"
    r"(?:[- ](?:hundred|thousand)(?: and)?(?:[- ][a-z]+)?)*"
)


def en_to_number(text: str) -> float | None:
    """Value of an English number ("two", "fifty", "1,299.99", "two hundred", "3k")."""
    raw = text.strip().lower().replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        return float(raw)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(k|thousand|grand|hundred|million)", raw)
    if m:
        return float(m.group(1)) * _EN_SCALES[m.group(2)]
    if raw in _EN_UNITS:
        return float(_EN_UNITS[raw])
    total = 0.0
    current = 0.0
    seen = False
    for word in re.split(r"[\s-]+", raw):
        if word == "and":
            continue
        if word in _EN_UNITS:
            current += _EN_UNITS[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million"):
            total += (current or 1) * _EN_SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def format_number(value: float) -> str:
    """Decimal string without a useless ``.0``: 2000.0 → "2000", 19.9 → "19.9"."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")
