"""How each kind of personal data is written once masked.

Masks stay readable, so a transcript or a log still says what the customer gave:

=================  ==========================  ===================================
kind               raw                         masked
=================  ==========================  ===================================
mainland mobile    13812345678                 138****5678
  with prefix      +86 138-1234-5678           +86 138-****-5678
landline           010-12345678                010-****5678
other phone        +1 415-555-0132             +1 415-***-0132
e-mail             john.doe@example.com        j***@example.com
resident ID        11010519491231002X          110***********002X
bank card          6222 0212 3456 7890         **** **** **** 7890
street address     445 Maple Drive, Suite 394  <ADDRESS>
  Chinese          北京市朝阳区建国路88号3号楼  北京市朝阳区<ADDRESS>
=================  ==========================  ===================================

Separators are kept, so the length and layout of a number remain visible. No mask
contains a run of digits that a recognizer would find again: masking is idempotent.
"""

from __future__ import annotations

import regex

ADDRESS_MASK = "<ADDRESS>"

_ZH_ADMIN_PREFIX = regex.compile(
    r"^(?:\p{Han}{2,7}?(?:省|自治区))?(?:\p{Han}{1,7}?市)?(?:\p{Han}{1,7}?(?:区|县|旗|镇))?"
)


def mask_digits(span: str, keep_head: int, keep_tail: int, *, mask: str = "*") -> str:
    """Replace every digit of ``span`` but the first ``keep_head`` and the last
    ``keep_tail`` ones with ``mask``; other characters stay."""
    total = sum(ch.isdigit() for ch in span)
    out, seen = [], 0
    for ch in span:
        if ch.isdigit():
            keep = seen < keep_head or seen >= total - keep_tail
            out.append(ch if keep else mask)
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def _country_code_digits(span: str) -> int:
    """How many leading digits of ``span`` are an international prefix (00 + country code)."""
    s = span.lstrip("( ")
    if not (s.startswith(("+", "00")) or span.startswith("(86)")):
        return 0
    rest = s.removeprefix("+")
    zeros = 2 if rest.startswith("00") else 0
    rest = rest[zeros:]
    if rest.startswith("86"):
        return zeros + 2
    import phonenumbers

    try:
        code = phonenumbers.parse("+" + rest, None).country_code
    except phonenumbers.NumberParseException:
        return zeros + 1
    return zeros + len(str(code))


def mask_phone(span: str) -> str:
    """Keep the international prefix, the first 3 digits (the mobile prefix or the area
    code) and the last 4."""
    prefix = _country_code_digits(span)
    digits = [ch for ch in span if ch.isdigit()]
    national = "".join(digits[prefix:])
    head = 3
    body = span
    if prefix == 0 and national.startswith("0") and "-" in span:
        head = sum(ch.isdigit() for ch in span.split("-", 1)[0])  # landline area code
    elif prefix == 0 and body.lstrip().startswith("("):
        head = 3  # (415) 555-0132
    if len(national) - head - 4 < 2:
        head = max(0, len(national) - 6)
    return mask_digits(span, prefix + head, 4)


def mask_email(span: str) -> str:
    """First character of the local part, then ``***``; the domain stays."""
    local, _, domain = span.rpartition("@")
    return f"{local[:1]}***@{domain}"


def mask_resident_id(span: str) -> str:
    """Keep the first 3 and the last 4 characters (the birth date is always hidden)."""
    total = sum(ch.isalnum() for ch in span)
    out, seen = [], 0
    for ch in span:
        if ch.isalnum():
            out.append(ch if seen < 3 or seen >= total - 4 else "*")
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def mask_bank_card(span: str) -> str:
    """Only the last 4 digits stay."""
    return mask_digits(span, 0, 4)


def mask_address(span: str) -> str:
    """English: the street line becomes ``<ADDRESS>``. Chinese: the province, city and
    district stay, the road, number and rooms become ``<ADDRESS>``."""
    prefix = _ZH_ADMIN_PREFIX.match(span)
    keep = prefix.group(0) if prefix else ""
    if keep and len(keep) < len(span):
        return keep + ADDRESS_MASK
    return ADDRESS_MASK
