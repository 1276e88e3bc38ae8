"""Verifying the customer in chat: by email, by name + zip code, or by order id + phone.

Nothing about a customer is shown or changed before this succeeds (or a signed token
named the customer). A failed attempt says the details did not match, never which part,
so kefu does not reveal whether an email, a name or an order exists.
"""

from __future__ import annotations

import re
from typing import Any

from kefu.dialogue.addresses import find_zip
from kefu.dialogue.context import VERIFY_PARTIAL_SLOT, Turn
from kefu.dialogue.events import CustomerVerified
from kefu.errors import KefuError

COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "尉迟", "长孙",
                     "宇文", "司徒", "夏侯", "令狐", "公孙", "端木", "独孤")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BARE_NAME_EN = re.compile(r"^\s*(?:(?:my name is|i am|i'm|this is|name:?)\s+)?"
                           r"([A-Za-z][a-z'-]+(?:\s+[A-Za-z][a-z'-]+){1,2})\s*[.!]?\s*$",
                           re.IGNORECASE)
_BARE_NAME_ZH = re.compile(r"^\s*(?:我叫|我是|姓名[:：]?|名字[:：]?)?([\u4e00-\u9fff]{2,4})"
                           r"\s*[。.！!]?\s*$")
# A name in Latin letters (every tau-bench customer has one), also inside a Chinese message;
# "and", "zip"... end it, so "John Smith and my zip is 12345" gives "John Smith".
_LATIN_NAME = (r"[A-Za-z][A-Za-z'-]+(?:\s+(?!(?:and|my|zip|zipcode|postcode|is|from|with)\b)"
               r"[A-Za-z][A-Za-z'-]+){1,2}")
# "我叫Yusuf Rossi", "my name is Ethan Garcia": a name the customer introduces, anywhere,
# ending the clause. After "I'm" / "this is" only a capitalised name counts ("I'm Ava Lee",
# not "I'm not sure" or "I am looking for a jacket").
_CLAUSE_END = r"(?=\s*(?:$|[,，.。;；!！\d\u4e00-\u9fff]|and\b))"
_INTRODUCED_NAME = re.compile(
    r"(?:(?i:\bmy name is)|我叫|我是|我的名字是|姓名[:：]?|名字[:：]?)\s*(" + _LATIN_NAME + r")"
    + _CLAUSE_END +
    r"|(?i:\bi am|\bi'm|\bthis is)\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){1,2})" + _CLAUSE_END +
    r"|(?:我叫|我的名字是|姓名[:：]?|名字[:：]?)\s*([\u4e00-\u9fff]{2,4})(?=$|[\s,，.。;；!！]|邮编)")
# "Ethan Garcia, 80280", "王芳 100101", "Ethan Garcia, zip 80280": a name and a zip code alone.
_NAME_THEN_ZIP = re.compile(
    r"^\s*(?:(?:my name is|i am|i'm|this is|我叫|我是)\s*)?(" + _LATIN_NAME +
    r"|[\u4e00-\u9fff]{2,4})\s*[,，;；]?\s*(?:and\s+)?(?:my\s+)?(?:zip(?:\s*code)?|postcode|"
    r"postal code|邮编)?\s*(?:is\s*)?[:：]?\s*(\d{5,6})\s*[.。!！]?\s*$", re.IGNORECASE)

Outcome = str  # "verified", "failed", "asked" or "none"


def name_splits(name: str) -> list[tuple[str, str]]:
    """(first name, last name) readings of a full name, most likely first."""
    name = name.strip()
    if _CJK.search(name):
        compact = name.replace(" ", "")
        for surname in COMPOUND_SURNAMES:
            if compact.startswith(surname) and len(compact) > len(surname):
                return [(compact[len(surname):], surname)]
        return [(compact[1:], compact[:1])] if len(compact) >= 2 else []
    parts = name.split()
    if len(parts) < 2:
        return []
    return [(" ".join(parts[:-1]), parts[-1]), (parts[-1], " ".join(parts[:-1]))]


def name_then_zip(text: str) -> tuple[str, str] | None:
    """(name, zip code) of a message that is just those two: "Ethan Garcia, 80280"."""
    match = _NAME_THEN_ZIP.match(text)
    return (match.group(1), match.group(2)) if match else None


def introduced_name(text: str) -> str | None:
    """The name in "my name is ...", "我叫...", "我是Yusuf Rossi，..." (Latin or Chinese)."""
    match = _INTRODUCED_NAME.search(text)
    return (match.group(1) or match.group(2) or match.group(3)) if match else None


def _name_in(turn: Turn, asked: bool) -> str | None:
    person = turn.parse.first("person")
    if person:
        return person
    both = name_then_zip(turn.text)
    name = both[0] if both else introduced_name(turn.text)
    if name:
        return name
    if asked:
        match = _BARE_NAME_EN.match(turn.text) or _BARE_NAME_ZH.match(turn.text)
        if match:
            return match.group(1)
    return None


def _zip_in(turn: Turn, asked: bool) -> str | None:
    """The zip code of the message: a tagged one, the number after a bare name, or any
    zip-like number when kefu asked for the zip."""
    zip_code = turn.parse.first("zip")
    both = name_then_zip(turn.text)
    if zip_code is None and both:
        zip_code = both[1]
    if zip_code is None and asked:
        zip_code = find_zip(turn.text)
    return zip_code


def _succeed(turn: Turn, user_id: str, method: str) -> Outcome:
    turn.add(CustomerVerified(customer_id=user_id, method=method))
    turn.set_slot(VERIFY_PARTIAL_SLOT, None)
    turn.seal("phone", None)
    profile = turn.read("get_user_details", user_id=user_id)
    name = profile["name"]
    shown = (name["last_name"] + name["first_name"]) if turn.lang == "zh" and \
        _CJK.search(name["first_name"]) else name["first_name"]
    turn.say("verified", name=shown)
    return "verified"


def _fail(turn: Turn) -> Outcome:
    turn.set_slot(VERIFY_PARTIAL_SLOT, None)
    turn.seal("phone", None)
    turn.say("verify_failed")
    return "failed"


def _lookup(turn: Turn, tool: str, **kwargs: Any) -> str | None:
    try:
        return str(turn.call(tool, **kwargs))
    except KefuError:
        return None


def try_verify(turn: Turn) -> Outcome:
    """Use whatever identifying details the message (and earlier turns) give."""
    partial: dict[str, Any] = dict(turn.slot(VERIFY_PARTIAL_SLOT) or {})
    email = turn.parse.first("email")
    if email:
        user_id = _lookup(turn, "find_user_id_by_email", email=email)
        return _succeed(turn, user_id, "email") if user_id else _fail(turn)
    name = _name_in(turn, partial.get("asked") == "name")
    zip_code = _zip_in(turn, partial.get("asked") == "zip")
    order_id = turn.parse.first("order_id")
    phone = turn.parse.first("phone")
    if phone:  # kept for the turn that brings the order id, sealed (it is personal data)
        turn.seal("phone", phone)
    phone = phone or turn.unseal("phone")
    if name:
        partial["name"] = name
    if zip_code:
        partial["zip"] = zip_code
    if order_id:
        partial["order_id"] = order_id
    if partial.get("name") and partial.get("zip"):
        for first, last in name_splits(str(partial["name"])):
            user_id = _lookup(turn, "find_user_id_by_name_zip", first_name=first,
                              last_name=last, zip=str(partial["zip"]))
            if user_id:
                return _succeed(turn, user_id, "name+zip")
        return _fail(turn)
    if partial.get("order_id") and phone:
        by_phone = _lookup(turn, "find_customer_by_phone", phone=phone)
        try:
            owner = turn.call("get_order_details", order_id=str(partial["order_id"]))["user_id"]
        except KefuError:
            owner = None
        if by_phone and owner == by_phone:
            return _succeed(turn, by_phone, "order+phone")
        return _fail(turn)
    if partial.get("name"):
        partial["asked"] = "zip"
        turn.set_slot(VERIFY_PARTIAL_SLOT, partial)
        turn.say("verify_need_zip")
        return "asked"
    if partial.get("zip"):
        partial["asked"] = "name"
        turn.set_slot(VERIFY_PARTIAL_SLOT, partial)
        turn.say("verify_need_name")
        return "asked"
    if phone:
        turn.set_slot(VERIFY_PARTIAL_SLOT, {**partial, "asked": "order"})
        turn.say("verify_need_order")
        return "asked"
    if partial.get("order_id") and (order_id or partial.get("asked") == "phone"):
        partial["asked"] = "phone"
        turn.set_slot(VERIFY_PARTIAL_SLOT, partial)
        turn.say("verify_need_phone")
        return "asked"
    return "none"


def ask(turn: Turn) -> None:
    turn.say("verify_ask")


def mentions_other_customer(turn: Turn) -> bool:
    """The verified customer gives another customer's email or name."""
    email = turn.parse.first("email")
    if not email or turn.customer_id is None:
        return False
    profile = turn.read("get_user_details", user_id=turn.customer_id)
    return bool(email.lower() != str(profile["email"]).lower())
