"""Dates in English and Chinese, resolved to ISO dates relative to a reference day.

Customer-service dates are mostly about the past (when an order was placed or
delivered), so a bare weekday ("on Monday", "周五") or a bare month-day ("Nov 3",
"11月3日") resolves to the most recent such day on or before the reference day.
Expressions that name a period rather than a day ("last week", "上个月", "前几天")
keep their text as the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from kefu.nlu.entities.candidates import Candidate
from kefu.nlu.entities.numerals import CN_NUMBER, cn_to_number, en_to_number

_WEEKDAYS_EN = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}
_MONTHS_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_RELATIVE_ZH = {"大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "昨晚": -1, "今天": 0, "今日": 0,
                "今晚": 0, "今早": 0,
                "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_RELATIVE_EN = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
                "the day before yesterday": -2, "day before yesterday": -2,
                "the day after tomorrow": 2, "day after tomorrow": 2}
_FESTIVALS_ZH = {"双十一": (11, 11), "双11": (11, 11), "双十二": (12, 12), "双12": (12, 12)}
_PERIODS_ZH = (r"上个?月|这个?月|本月|下个?月|上周|上星期|上礼拜|这周|本周|下周|前几天|这几天|"
               r"最近几天|去年|今年")

_MONTH_NAMES = "|".join(sorted(_MONTHS_EN, key=len, reverse=True))
_WEEKDAY_NAMES = "|".join(sorted(_WEEKDAYS_EN, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"

_EN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\d-])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d-])")),
    ("us", re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")),
    ("month_day", re.compile(
        rf"\b(?:on\s+)?({_MONTH_NAMES})\.?\s+(\d{{1,2}}){_ORD}"
        r"(?:,?\s+(\d{4})(?![\d-]))?\b", re.I)),
    ("day_month", re.compile(
        rf"\b(?:the\s+)?(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_MONTH_NAMES})\.?(?:,?\s+(\d{{4}}))?\b",
        re.I)),
    ("relative", re.compile(
        r"\b(?:the\s+)?day\s+(?:before\s+yesterday|after\s+tomorrow)\b|\b(?:today|tonight|"
        r"yesterday|tomorrow)\b", re.I)),
    ("weekday", re.compile(rf"\b(last|this|next|past)?\s*({_WEEKDAY_NAMES})\b", re.I)),
    ("ago", re.compile(
        r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few)\s+"
        r"(days?|weeks?)\s+ago\b", re.I)),
    ("period", re.compile(
        r"\b(?:last|this|next|past)\s+(?:week(?:end)?|month|year|morning|afternoon|evening|night)\b"
        r"|\bearlier this (?:week|month)\b|\ba few days ago\b|\ban? (?:hour|minute|while) ago\b",
        re.I)),
    ("holiday", re.compile(
        r"\b(?:Black Friday|Cyber Monday|Prime Day|Valentine'?s Day|Mother'?s Day|Father'?s Day|"
        r"Christmas(?: Eve| Day)?|Thanksgiving|Chinese New Year|Lunar New Year|"
        r"New Year'?s(?: Day| Eve)?|"
        r"Labor Day|Memorial Day|Boxing Day|Singles'? Day|Double (?:11|12|Eleven|Twelve)|Easter|"
        r"Halloween)\b|(?<![\d$¥￥#.])618(?![\d%元块.])", re.I)),
    ("month", re.compile(
        r"\b(?:January|February|April|June|July|August|September|October|November|December|"
        r"March)\b")),
]

_ZH_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("zh_ymd", re.compile(r"(?:(\d{4}|今年|去年)年?)?(\d{1,2}|[一二三四五六七八九十]{1,3})月"
                          r"(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]")),
    ("zh_festival", re.compile("|".join(_FESTIVALS_ZH))),
    ("zh_relative", re.compile("|".join(sorted(_RELATIVE_ZH, key=len, reverse=True)))),
    ("zh_weekday", re.compile(
        r"(上上|上个?|这个?|本|下个?)?(?:周|星期|礼拜)([一二三四五六日天])")),
    ("zh_ago", re.compile(rf"({CN_NUMBER})(天|周|个星期|星期|个礼拜)(?:以?前|之前)")),
    ("zh_day", re.compile(
        r"(?<![\d月大小加换])(\d{1,2}|[一二三四五六七八九十]{1,3})号(?=[下买收到的那之前后,，。\s]|$)")),
    ("zh_period", re.compile(
        r"(?:去年|今年)(?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:初|底|中旬)?|" + _PERIODS_ZH)),
]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _past_month_day(month: int, day: int, today: date) -> date | None:
    """The most recent ``month``/``day`` on or before ``today`` (next one if within 30 days)."""
    this_year = _safe_date(today.year, month, day)
    if this_year is None:
        return None
    if this_year <= today or (this_year - today).days <= 30:
        return this_year
    return _safe_date(today.year - 1, month, day)


def _weekday(target: int, modifier: str, today: date) -> date:
    """Resolve a weekday; "last" means the previous calendar week, "this" the current one."""
    monday = today - timedelta(days=today.weekday())
    modifier = modifier.lower()
    if modifier in ("last", "上", "上个", "past"):
        return monday - timedelta(days=7) + timedelta(days=target)
    if modifier == "上上":
        return monday - timedelta(days=14) + timedelta(days=target)
    if modifier in ("this", "这", "这个", "本"):
        return monday + timedelta(days=target)
    if modifier in ("next", "下", "下个"):
        return monday + timedelta(days=7 + target)
    back = (today.weekday() - target) % 7
    return today - timedelta(days=back)


def _small_number(text: str) -> int | None:
    value = cn_to_number(text)
    return int(value) if value is not None else None


def _resolve(kind: str, m: re.Match[str], today: date) -> str | None:  # noqa: C901
    if kind == "iso":
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d.isoformat() if d else None
    if kind == "us":
        month, day = int(m.group(1)), int(m.group(2))
        if m.group(3):
            year = int(m.group(3))
            year = year + 2000 if year < 100 else year
            d = _safe_date(year, month, day)
        else:
            d = _past_month_day(month, day, today)
        return d.isoformat() if d else None
    if kind in ("month_day", "day_month"):
        a, b = m.group(1), m.group(2)
        month_name, day_text = (a, b) if kind == "month_day" else (b, a)
        month, day = _MONTHS_EN[month_name.lower()], int(day_text)
        d = _safe_date(int(m.group(3)), month, day) if m.group(3) else _past_month_day(
            month, day, today)
        return d.isoformat() if d else None
    if kind == "relative":
        key = re.sub(r"\s+", " ", m.group().lower())
        return (today + timedelta(days=_RELATIVE_EN[key])).isoformat()
    if kind == "weekday":
        return _weekday(_WEEKDAYS_EN[m.group(2).lower()], m.group(1) or "", today).isoformat()
    if kind == "ago":
        n = en_to_number(m.group(1)) if m.group(1).lower() not in ("a couple of", "a few") else None
        if n is None:
            return m.group()
        days = int(n) * (7 if m.group(2).lower().startswith("week") else 1)
        return (today - timedelta(days=days)).isoformat()
    if kind == "zh_ymd":
        month_or_none, day_or_none = _small_number(m.group(2)), _small_number(m.group(3))
        if month_or_none is None or day_or_none is None:
            return None
        month, day = month_or_none, day_or_none
        year_text = m.group(1)
        if year_text and year_text.isdigit():
            d = _safe_date(int(year_text), month, day)
        elif year_text == "今年":
            d = _safe_date(today.year, month, day)
        elif year_text == "去年":
            d = _safe_date(today.year - 1, month, day)
        else:
            d = _past_month_day(month, day, today)
        return d.isoformat() if d else None
    if kind == "zh_festival":
        month, day = _FESTIVALS_ZH[m.group()]
        d = _past_month_day(month, day, today)
        return d.isoformat() if d else m.group()
    if kind == "zh_relative":
        return (today + timedelta(days=_RELATIVE_ZH[m.group()])).isoformat()
    if kind == "zh_weekday":
        target = _WEEKDAYS_ZH[m.group(2)]
        return _weekday(target, m.group(1) or "", today).isoformat()
    if kind == "zh_ago":
        n = cn_to_number(m.group(1))
        if n is None:
            return m.group()
        days = int(n) * (1 if m.group(2) == "天" else 7)
        return (today - timedelta(days=days)).isoformat()
    if kind == "zh_day":
        day_of_month = _small_number(m.group(1))
        if day_of_month is None or not 1 <= day_of_month <= 31:
            return None
        day = day_of_month
        d = _safe_date(today.year, today.month, day)
        if d is None or d > today:
            prev = today.replace(day=1) - timedelta(days=1)
            d = _safe_date(prev.year, prev.month, day)
        return d.isoformat() if d else None
    return m.group()  # periods keep their text


def find_dates(text: str, today: date) -> Iterator[Candidate]:
    """Every date expression in ``text``; overlapping ones are settled by the extractor."""
    for patterns in (_EN_PATTERNS, _ZH_PATTERNS):
        for kind, pattern in patterns:
            for m in pattern.finditer(text):
                start, end = m.span()
                if kind == "weekday" and m.group(2).lower() in ("sat", "sun", "mar", "wed") \
                        and not m.group(1):
                    continue  # "sun", "sat" and short forms alone are too often other words
                if kind == "us" and not _plausible_us_date(text, m):
                    continue
                value = _resolve(kind, m, today)
                if value is None:
                    continue
                if text[start:end].lower().startswith("on "):
                    start += 3
                priority = 2 if kind.endswith("period") or kind == "month" else 3
                yield Candidate("date", value, start, end, priority=priority,
                                confidence=0.9 if value[:1].isdigit() else 0.7)


def _plausible_us_date(text: str, m: re.Match[str]) -> bool:
    """"11/3" is a date, but "1/2" (a half) and "3/4" need a date word nearby."""
    month, day = int(m.group(1)), int(m.group(2))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    if m.group(3):
        return True
    window = text[max(0, m.start() - 20):m.start()].lower()
    return bool(re.search(r"\b(on|since|by|from|ordered|placed|bought|date)\b", window)) \
        or day > 12
