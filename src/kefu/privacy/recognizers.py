"""kefu's own Presidio recognizers for personal data in Chinese and English messages.

Each is a :class:`presidio_analyzer.PatternRecognizer`: a regular expression finds a
candidate, ``validate_result`` keeps it only when a checksum or a plausibility test
passes (see :mod:`kefu.privacy.checks`). Patterns never use ``\\b`` next to digits,
because Chinese characters count as word characters: "手机13812345678" has no word
boundary before the 1. They use explicit look-arounds instead.

What is deliberately *not* matched (look-alikes that order handling needs):
``#W1234567`` order ids, 10-digit item and product ids, 12-digit tracking numbers,
prices, dates, and zip codes on their own.
"""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer

from kefu.privacy.checks import is_bank_card, is_cn_resident_id

CN_RESIDENT_ID = "CN_RESIDENT_ID"
CN_PHONE = "CN_PHONE"
PHONE_NUMBER = "PHONE_NUMBER"
BANK_CARD = "BANK_CARD"
EMAIL_ADDRESS = "EMAIL_ADDRESS"
STREET_ADDRESS = "STREET_ADDRESS"

PII_ENTITIES: tuple[str, ...] = (CN_RESIDENT_ID, CN_PHONE, PHONE_NUMBER, BANK_CARD,
                                 EMAIL_ADDRESS, STREET_ADDRESS)

# Not preceded / followed by a digit or an ASCII letter (so "#W1234567", "SKU1234..." and
# longer digit runs never match part-way).
_NB = r"(?<![0-9A-Za-z])"
_NA = r"(?![0-9A-Za-z])"
_NB_PLUS = r"(?<![0-9A-Za-z+])"
_CASE = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE


class ChineseResidentIdRecognizer(PatternRecognizer):
    """18-character resident ID numbers (GB 11643 checksum, plausible birth date)."""

    PATTERNS = [
        Pattern("cn_id", _NB + r"[1-9]\d{5}[ -]?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
                r"(?:0[1-9]|[12]\d|3[01])[ -]?\d{3}[0-9Xx]" + _NA, 0.5),
    ]

    def __init__(self, supported_language: str = "zh") -> None:
        super().__init__(supported_entity=CN_RESIDENT_ID, patterns=list(self.PATTERNS),
                         supported_language=supported_language,
                         name=f"kefu_cn_resident_id_{supported_language}",
                         global_regex_flags=_CASE)

    def validate_result(self, pattern_text: str) -> bool:
        return is_cn_resident_id(pattern_text)


class ChineseMobileRecognizer(PatternRecognizer):
    """Mainland mobile numbers (1[3-9] + 9 digits, optional +86/0086, spaces or dashes)
    and landlines written with an area code and a dash (010-12345678)."""

    PATTERNS = [
        Pattern("cn_mobile",
                _NB + r"(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}" + _NA, 0.85),
        Pattern("cn_mobile_bracketed",
                r"\((?:\+|00)?86\)[ -]?1[3-9]\d(?:[ -]?\d{4}){2}" + _NA, 0.85),
        Pattern("cn_landline", _NB + r"(?:(?:\+|00)86[ -]?)?0[1-9]\d{1,2}-\d{7,8}" + _NA, 0.6),
    ]

    def __init__(self, supported_language: str = "zh") -> None:
        super().__init__(supported_entity=CN_PHONE, patterns=list(self.PATTERNS),
                         supported_language=supported_language,
                         name=f"kefu_cn_phone_{supported_language}", global_regex_flags=_CASE)


class InternationalPhoneRecognizer(PatternRecognizer):
    """Phone numbers with a ``+`` country code (checked with libphonenumber) and North
    American numbers written with separators, ``(415) 555-0132`` / ``415-555-0132``.

    A bare run of 10 digits is never a phone here: it is how item ids look.
    """

    PATTERNS = [
        Pattern("intl_plus", r"(?<![0-9A-Za-z+])\+(?!86)[1-9]\d{0,2}[ .-]?(?:\(\d{1,4}\)[ .-]?)?"
                r"\d{1,4}(?:[ .-]?\d{2,4}){1,4}" + _NA, 0.5),
        Pattern("nanp_formatted",
                _NB + r"(?:\(\d{3}\)[ ]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![0-9A-Za-z-])", 0.6),
    ]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entity=PHONE_NUMBER, patterns=list(self.PATTERNS),
                         supported_language=supported_language,
                         name=f"kefu_intl_phone_{supported_language}", global_regex_flags=_CASE)

    def validate_result(self, pattern_text: str) -> bool | None:
        if not pattern_text.startswith("+"):
            return None  # the NANP layout alone is the evidence
        import phonenumbers

        try:
            number = phonenumbers.parse(pattern_text, None)
        except phonenumbers.NumberParseException:
            return False
        return bool(phonenumbers.is_valid_number(number))


class BankCardRecognizer(PatternRecognizer):
    """Bank and payment cards: 13-19 digits, continuous or in groups, with the Luhn check."""

    PATTERNS = [
        Pattern("card_continuous", _NB_PLUS + r"\d{13,19}" + _NA, 0.4),
        Pattern("card_groups_4", _NB_PLUS + r"\d{4}(?:[ -]\d{4}){3}" + _NA, 0.4),
        Pattern("card_groups_19", _NB_PLUS + r"\d{4}(?:[ -]\d{4}){3}[ -]\d{3}" + _NA, 0.4),
        Pattern("card_amex", _NB_PLUS + r"\d{4}[ -]\d{6}[ -]\d{5}" + _NA, 0.4),
    ]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entity=BANK_CARD, patterns=list(self.PATTERNS),
                         supported_language=supported_language,
                         name=f"kefu_bank_card_{supported_language}", global_regex_flags=_CASE)

    def validate_result(self, pattern_text: str) -> bool:
        return is_bank_card(pattern_text)


class EmailRecognizer(PatternRecognizer):
    """E-mail addresses. Offline (Presidio's own one looks top-level domains up online)."""

    PATTERNS = [
        Pattern("email", r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
                r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}"
                r"(?![A-Za-z0-9-])", 0.9),
    ]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entity=EMAIL_ADDRESS, patterns=list(self.PATTERNS),
                         supported_language=supported_language,
                         name=f"kefu_email_{supported_language}", global_regex_flags=_CASE)


_EN_STOP = ("the|a|an|of|by|to|my|on|in|at|for|and|or|is|it|this|that|with|from|your|our|"
            "items?|pieces?|pairs?|orders?|days?|weeks?|months?|years?|times?|usd|dollars?")
_EN_SUFFIX = ("street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|"
              "place|pl|terrace|ter|parkway|pkwy|highway|hwy|circle|cir|square|sq|trail|trl|"
              "alley|row|crescent|close|plaza")
_EN_UNIT = r"(?:,?\s*(?:apt|apartment|suite|ste|unit|floor|fl|room|rm|#)\.?\s*#?[A-Za-z0-9-]{1,6})?"
# Chinese place-name characters: any Han character except the words around an address
# ("我住在…", "寄到…", "地址是…") so a match starts at the place name itself.
_HAN = r"(?:(?![在住是到寄往送址为的我你他她请帮把给改成换这那：:])\p{Han})"
_ZH_ADMIN = (rf"(?:{_HAN}{{2,7}}?(?:省|自治区))?(?:{_HAN}{{1,7}}?市)?"
             rf"(?:{_HAN}{{1,7}}?(?:区|县|旗|镇))?")
# After the number: buildings, units, floors and rooms ("3号楼2单元501室", "B座1203室",
# "财富大厦25楼", "1栋602"); each part ends with a unit word, a bare room number last.
_ZH_UNIT = r"(?:号楼|栋|幢|座|单元|层|楼|室|号|户)"
_ZH_TAIL = (r"(?:\s?[\p{Han}A-Za-z]{0,8}?(?:\d{1,5}|[A-Za-z一二三四五六七八九十]{1,3})"
            + _ZH_UNIT + r"|-\d{1,5})*(?:(?<=" + _ZH_UNIT + r")\d{3,4}(?!\d))?")


class StreetAddressRecognizer(PatternRecognizer):
    """Street addresses: English "445 Maple Drive, Suite 394" (the street line; city, state
    and zip stay readable) and Chinese 省/市/区 + 路/街 + 号 (+ 栋/单元/室), or a residential
    compound with a building number (万科城市花园5栋2单元301)."""

    PATTERNS = [
        Pattern("en_street", r"(?<![0-9A-Za-z#$¥€£.,])\d{1,6}[A-Za-z]?\s+"
                rf"(?:(?!(?:{_EN_STOP})\b)[A-Za-z0-9][A-Za-z0-9.'-]*\s+){{1,3}}"
                rf"(?:{_EN_SUFFIX})\b\.?" + _EN_UNIT, 0.7),
        Pattern("en_street_named", r"(?<![0-9A-Za-z#$¥€£.,])\d{1,6}[A-Za-z]?\s+"
                r"(?:Broadway|Bowery|Embarcadero)\b" + _EN_UNIT, 0.7),
        Pattern("zh_street", _ZH_ADMIN + rf"{_HAN}(?:{_HAN}|[A-Za-z0-9]){{0,11}}?"
                r"(?:路|街|大道|道|巷|弄|胡同|里)(?:[东南西北中]?[一二三四五六七八九十]*段)?"
                r"\s?\d+(?:-\d+)?\s?号" + _ZH_TAIL, 0.7),
        Pattern("zh_compound", _ZH_ADMIN + rf"{_HAN}(?:{_HAN}|[A-Za-z0-9]){{1,10}}?"
                r"(?:小区|花园|公寓|家园|新村|大厦|苑|庭|府|城)"
                r"(?:\d{1,4}|[A-Za-z一二三四五六七八九十]{1,3})(?:号楼|栋|幢|座)" + _ZH_TAIL,
                0.6),
    ]

    def __init__(self, supported_language: str = "zh") -> None:
        super().__init__(supported_entity=STREET_ADDRESS, patterns=list(self.PATTERNS),
                         supported_language=supported_language,
                         name=f"kefu_street_address_{supported_language}",
                         global_regex_flags=_CASE)


def kefu_recognizers(language: str) -> list[PatternRecognizer]:
    """One instance of each kefu recognizer for ``language`` ("en" or "zh")."""
    return [
        ChineseResidentIdRecognizer(language),
        ChineseMobileRecognizer(language),
        InternationalPhoneRecognizer(language),
        BankCardRecognizer(language),
        EmailRecognizer(language),
        StreetAddressRecognizer(language),
    ]
