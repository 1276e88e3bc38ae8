"""Identifying a customer by phone number (never revealing anything but the user id)."""

from __future__ import annotations

import re

from sqlalchemy import select

from kefu.errors import InvalidInput, NotFound, RuleViolation
from kefu.store.db import Store
from kefu.store.models import Customer
from kefu.tools.registry import tool


def normalize_phone(phone: str) -> str:
    """The national digits of a phone number: separators and +86/0086/+1/001 removed.

    ``"+86 138-0013-8000"``, ``"0086 13800138000"`` and ``"138 0013 8000"`` all give
    ``"13800138000"``; ``"+1 (415) 555-0123"`` gives ``"4155550123"``.
    """
    text = phone.strip()
    if re.search(r"[^\d\s\-+().]", text):
        raise InvalidInput(f"{phone!r} is not a phone number: only digits, spaces, dashes, "
                           "dots, brackets and a leading + are allowed")
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        if digits.startswith("86"):
            digits = digits[2:]
        elif digits.startswith("1"):
            digits = digits[1:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("001"):
        digits = digits[3:]
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if len(digits) < 7:
        raise InvalidInput(f"{phone!r} is too short to be a phone number",
                           hint="give the full number, e.g. 138 0013 8000 or +1 415 555 0123")
    return digits


def _fallback(digits: str) -> str | None:
    # "1 415 555 0123" typed without the +: a US number with its country code. Tried only
    # when nobody has the number as typed (11 digits starting with 1 are also mainland
    # mobile numbers).
    if len(digits) == 11 and digits.startswith("1") and digits[1] in "23456789":
        return digits[1:]
    return None


def _customers_with(store: Store, digits: str) -> list[str]:
    with store.session() as session:
        rows = session.execute(
            select(Customer.id, Customer.phone).where(Customer.phone.like(f"%{digits[-4:]}"))
            .order_by(Customer.id)
        ).all()
    matches = []
    for user_id, stored in rows:
        if stored is None:
            continue
        try:
            if normalize_phone(stored) == digits:
                matches.append(user_id)
        except InvalidInput:
            continue
    return matches


@tool()
def find_customer_by_phone(store: Store, phone: str) -> str:
    """Find a customer's user id by their phone number. Returns only the user id; use it
    with get_user_details after the customer is authenticated. Spaces, dashes, brackets and
    the +86/0086 (China) or +1 (US) prefixes are ignored.

    Args:
        phone: The phone number the customer gives, e.g. '138 0013 8000' or '+1 415-555-0123'.
    """
    digits = normalize_phone(phone)
    matches = _customers_with(store, digits)
    fallback = _fallback(digits)
    if not matches and fallback is not None:
        matches = _customers_with(store, fallback)
    if not matches:
        raise NotFound(f"no customer has the phone number {phone!r}",
                       hint="check the number, or find the customer by email "
                            "(find_user_id_by_email) or by name and zip code")
    if len(matches) > 1:
        raise RuleViolation("more than one customer has this phone number, so it cannot "
                            "identify the customer",
                            hint="find the customer by email or by name and zip code instead")
    return matches[0]
