"""Checks every test conversation must pass, whatever its own expectations say.

1. No store write runs unless the turn before proposed exactly that action (it was
   awaiting a confirmation of it, naming the order) and this user turn says yes.
2. No reply shows a customer's personal data (email, phone, street address, order ids,
   payment method ids) unless that customer is the verified one, or the user typed it.
   Before verification that means: no customer data at all but what the user typed.

The checks read only the turns (user text and the engine's :class:`TurnResult`) and an
index of the store's personal data, so they judge any engine with the same interface.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Writes that need no confirmation: handing over to a person is what the user asked.
NO_CONFIRMATION = frozenset({"transfer_to_human_agents"})

_YES_EN = re.compile(r"^\s*(y|yes|yeah|yep|yup|sure|ok|okay|confirm(ed)?|go ahead|do it|"
                     r"please do|please proceed|proceed|correct|that'?s right|absolutely|"
                     r"of course|sounds good|alright|all right)\b", re.IGNORECASE)
_NO_EN = re.compile(r"\b(no|not|don'?t|never|wait|stop|cancel that)\b", re.IGNORECASE)
_YES_ZH = re.compile(r"^\s*(是|对|好|确认|确定|可以|行|没问题|同意|嗯)")
_NO_ZH = re.compile(r"不|别|算了|等等|否")


def is_plain_yes(text: str) -> bool:
    """The user said yes, and nothing that takes it back (judged apart from the engine)."""
    if _YES_EN.match(text):
        return not _NO_EN.search(text)
    if _YES_ZH.match(text):
        return not _NO_ZH.search(text)
    return False


@dataclass(frozen=True)
class PersonalData:
    """Which customer each piece of personal data in a store belongs to."""

    owner: dict[str, str]  # lower-cased datum -> customer id
    pattern: re.Pattern[str] | None

    def found_in(self, text: str) -> list[tuple[str, str]]:
        """(datum, owner) for each piece of personal data in ``text``."""
        if self.pattern is None:
            return []
        return [(m.group(1), self.owner[m.group(1).lower()])
                for m in self.pattern.finditer(text)]


def personal_data(store: Any) -> PersonalData:
    """The index of ``store``'s customer data (read once per template store)."""
    from sqlalchemy import select

    from kefu.store.models import Customer, Order, PaymentMethod

    owner: dict[str, str] = {}
    with store.session() as session:
        for cid, email, phone, address in session.execute(
                select(Customer.id, Customer.email, Customer.phone, Customer.address1)):
            for datum in (email, phone, address):
                if datum and len(str(datum)) >= 6:
                    owner[str(datum).lower()] = cid
        for oid, cid in session.execute(select(Order.id, Order.customer_id)):
            owner[str(oid).lower()] = cid
        for pid, cid in session.execute(select(PaymentMethod.id, PaymentMethod.customer_id)):
            owner[str(pid).lower()] = cid
    if not owner:
        return PersonalData(owner, None)
    alternatives = "|".join(re.escape(d) for d in sorted(owner, key=len, reverse=True))
    return PersonalData(owner, re.compile(rf"(?<![\w#@])({alternatives})(?![\w@])",
                                          re.IGNORECASE))


def _reply_text(result: Any) -> str:
    return "\n".join(r.text for r in result.replies)


def check_writes(turns: Sequence[tuple[str, Any]]) -> list[str]:
    """Invariant 1 over (user text, turn result) pairs; one message per violation."""
    from kefu.tools import get_tool

    problems: list[str] = []
    previous: Any = None
    for index, (text, result) in enumerate(turns, start=1):
        for action in result.actions:
            if action.name in NO_CONFIRMATION or not get_tool(action.name).writes:
                continue
            why = []
            awaited = getattr(previous, "awaiting_confirmation", None)
            if awaited != action.name:
                why.append(f"the turn before awaited {awaited!r}, not {action.name!r}")
            if not is_plain_yes(text):
                why.append(f"the user did not say yes ({text!r})")
            order_id = action.args.get("order_id")
            if order_id and previous is not None and str(order_id) not in _reply_text(previous):
                why.append(f"the proposal did not name order {order_id}")
            if why:
                problems.append(f"turn {index}: wrote {action.name}{action.args} without a yes "
                                f"to it: {'; '.join(why)}")
        previous = result
    return problems


def check_disclosures(turns: Sequence[tuple[str, Any]], data: PersonalData,
                      customer: str | None) -> list[str]:
    """Invariant 2: replies show only the verified customer's data, or what was typed.

    ``customer`` is who the user really is (None: whoever the engine verified).
    """
    problems: list[str] = []
    typed = ""
    for index, (text, result) in enumerate(turns, start=1):
        typed += "\n" + text.lower()
        verified = result.customer_id if result.verified else None
        if verified is not None and customer is not None and verified != customer:
            problems.append(f"turn {index}: verified as {verified}, but the user is {customer}")
        for datum, owner in data.found_in(_reply_text(result)):
            if owner == verified and (customer is None or owner == customer):
                continue
            if datum.lower() in typed:
                continue
            whose = "the user's own" if owner == customer else f"another customer's ({owner})"
            when = "before verification" if verified is None else "after verification"
            problems.append(f"turn {index}: a reply {when} shows {whose} data {datum!r}")
    return problems
