"""Filling a task's form from the customer's message, and asking for what is missing.

Every ``fill_*`` reads what the current message says (entities, references, keywords),
updates the task and says whether something changed; :func:`ask` asks one clear question
for the first missing piece, with quick replies where there is a list to choose from.
"""

from __future__ import annotations

import re
from typing import Any

from kefu.dialogue import wording
from kefu.dialogue.addresses import find_zip, parse_address
from kefu.dialogue.context import CANDIDATES_SLOT, Turn
from kefu.dialogue.events import Button
from kefu.dialogue.flows import customer
from kefu.dialogue.forms import (
    ELIGIBLE_STATUSES,
    SINGLE_ITEM_TASKS,
    TASK_SLOTS,
    reset_after_order_change,
)
from kefu.dialogue.understanding import is_correction, means_all, ordinals, payment_mentions

_NO_LONGER = re.compile(r"no longer|don'?t (need|want)|not needed|changed my mind|不需要|不想要|"
                        r"不要了|用不上|不用了", re.IGNORECASE)
_MISTAKE = re.compile(r"mistake|by accident|accidental|wrong(ly)? order|买错|误下单|下错|拍错|"
                      r"误拍|点错", re.IGNORECASE)
_WORD = re.compile(r"[a-z]{4,}")
_GENERIC_WORDS = {"with", "plus", "pro", "max", "mini", "lite", "air"}


def fill_order(turn: Turn, task: dict[str, Any]) -> tuple[dict[str, Any], bool | None]:
    """(task, changed); changed is None when the message named an order not theirs."""
    wanted = customer.referenced_order(turn, task.get("order_id"))
    # An order named before the customer was verified is checked now, once.
    named = task.pop("named_order", None)
    if not wanted and not task.get("order_id"):
        wanted = named or order_with_mentioned_item(turn, task["name"])
    if not wanted or wanted == task.get("order_id"):
        return task, named is not None
    if not customer.owns(turn, wanted):
        turn.say("order_not_found", order_id=wanted)
        # an earlier message named it: ask which order rather than drop the request
        return task, (True if wanted == named else None)
    if task.get("order_id"):
        task = reset_after_order_change(task)
        turn.say("order_switched", order_id=wanted)
    task["order_id"] = wanted
    customer.focus(turn, wanted)
    return task, True


def _mentions(turn: Turn) -> list[str]:
    return [m.lower() for e in turn.parse.entities_of("product") for m in (e.value, e.text) if m]


def order_with_mentioned_item(turn: Turn, name: str) -> str | None:
    """The one order (of those the task may act on) holding the product the message names."""
    mentions = _mentions(turn)
    if not mentions:
        return None
    holding = [o["order_id"] for o in eligible_orders(turn, name)
               if any(i["product_id"] in mentions or _name_matches(turn.text, i, mentions)
                      for i in customer.order(turn, o["order_id"])["items"])]
    return holding[0] if len(holding) == 1 else None


def fill_reason(turn: Turn, task: dict[str, Any]) -> bool:
    reason = turn.parse.first("cancel_reason")
    if reason is None:
        if _MISTAKE.search(turn.text):
            reason = "ordered by mistake"
        elif _NO_LONGER.search(turn.text):
            reason = "no longer needed"
    if reason and reason in turn.policy.cancellation_reasons and reason != task.get("reason"):
        task["reason"] = reason
        return True
    return False


def _name_matches(text: str, item: dict[str, Any], mentions: list[str]) -> bool:
    """The message names the item: a product word of its name, or a product mention."""
    lowered = text.lower()
    en, zh = str(item.get("name_en", item["name"])).lower(), str(item.get("name_zh", ""))
    if any(m and (m in en or (zh and m in zh)) for m in mentions):
        return True
    return any(w in lowered for w in _WORD.findall(en) if w not in _GENERIC_WORDS)


def closest_item(text: str, items: list[dict[str, Any]]) -> list[str]:
    """The one item whose name shares the longest run of characters with the message, or
    [] when several share it."""
    from difflib import SequenceMatcher

    lowered = text.lower()

    def overlap(item: dict[str, Any]) -> int:
        best = 0
        for name in (str(item.get("name_en", item["name"])), str(item.get("name_zh", ""))):
            name = name.lower()
            if name:
                match = SequenceMatcher(None, lowered, name, autojunk=False).find_longest_match()
                best = max(best, match.size)
        return best

    scores = {i["item_id"]: overlap(i) for i in items}
    top = max(scores.values(), default=0)
    leaders = [item_id for item_id, score in scores.items() if score == top]
    return leaders if len(leaders) == 1 else []


def fill_items(turn: Turn, task: dict[str, Any]) -> bool:
    if not task.get("order_id"):
        return False
    if task.get("item_ids") and task.get("asked") not in (None, "items", "confirm") and \
            not is_correction(turn.text):
        return False  # "size 39 for the slippers" answers the option, not which items
    items = customer.order(turn, task["order_id"])["items"]
    ids = [i["item_id"] for i in items]
    picked: list[str] = []
    if len(items) == 1:
        picked = ids
    if not picked:
        named = [e.value for e in turn.parse.entities_of("item_id") if e.value in ids]
        picked = named
    if not picked and customer.candidates(turn, "item"):
        listed = customer.candidates(turn, "item")
        positions = ordinals(turn.text)
        picked = [listed[p - 1] if p > 0 else listed[-1] for p in positions
                  if -1 <= p <= len(listed) and p != 0]
    if not picked and means_all(turn.text) and task["name"] not in SINGLE_ITEM_TASKS:
        picked = ids
    if not picked:
        mentions = _mentions(turn)
        picked = [i["item_id"] for i in items
                  if i["product_id"] in mentions or _name_matches(turn.text, i, mentions)]
    if task["name"] in SINGLE_ITEM_TASKS and len(set(picked)) > 1:
        # "the 家悦 air purifier" names one of two; "the air purifier" leaves it open: ask
        picked = closest_item(turn.text, [i for i in items if i["item_id"] in picked])
    picked = picked[:1] if task["name"] in SINGLE_ITEM_TASKS else picked
    if picked and picked != task.get("item_ids"):
        task["item_ids"] = picked
        task.pop("new_item_ids", None)
        return True
    return False


def _variants(turn: Turn, item: dict[str, Any]) -> list[dict[str, Any]]:
    product = turn.read("get_product_details", product_id=item["product_id"])
    return [v for v in product["variants"].values()
            if v["available"] and v["item_id"] != item["item_id"]]


def _wanted_values(turn: Turn, variants: list[dict[str, Any]]) -> set[str]:
    wanted = {e.value.lower() for e in turn.parse.entities_of("option")}
    lowered = turn.text.lower()
    for v in variants:
        for value in v["options"].values():
            text = str(value).lower()
            if re.search(r"(?<![a-z0-9])" + re.escape(text) + r"(?![a-z0-9])", lowered):
                wanted.add(text)
    return wanted


def pick_variant(turn: Turn, item: dict[str, Any]) -> str | None:
    """The available variant of the item's product that the message asks for.

    When the message asks for options no available variant has, they are noted in
    ``turn.notes["unavailable"]`` so the question can say so.
    """
    variants = _variants(turn, item)
    explicit = {e.value for e in turn.parse.entities_of("item_id")}
    for v in variants:
        if v["item_id"] in explicit:
            return str(v["item_id"])
    wanted = _wanted_values(turn, variants)
    asked = [e.value for e in turn.parse.entities_of("option")]
    if asked and not any(a.lower() in wanted and any(
            a.lower() == str(x).lower() for v in variants for x in v["options"].values())
            for a in asked):
        turn.notes["unavailable"] = ", ".join(asked)
    if not wanted:
        return None
    current = {str(x).lower() for x in item["options"].values()}

    def score(v: dict[str, Any]) -> tuple[int, int]:
        values = {str(x).lower() for x in v["options"].values()}
        return len(values & wanted), len(values & current)

    best = max(variants, key=score, default=None)
    if best is None or score(best)[0] == 0:
        return None
    return str(best["item_id"])


def fill_new_items(turn: Turn, task: dict[str, Any]) -> bool:
    item_ids = task.get("item_ids") or []
    if not item_ids or not task.get("order_id"):
        return False
    order = customer.order(turn, task["order_id"])
    by_id = {i["item_id"]: i for i in order["items"]}
    chosen: dict[str, str] = dict(task.get("new_item_ids") or {})
    pending = [str(n) for n in range(len(item_ids)) if str(n) not in chosen]
    targets = pending[:1] if pending else ([str(len(item_ids) - 1)] if len(item_ids) == 1
                                           else [])
    changed = False
    for index in targets:
        variant = pick_variant(turn, by_id[item_ids[int(index)]])
        if variant and chosen.get(index) != variant:
            chosen[index] = variant
            changed = True
    if changed:
        task["new_item_ids"] = chosen
    return changed


def fill_payment(turn: Turn, task: dict[str, Any]) -> bool:
    ids, sources = payment_mentions(turn.text)
    if not ids and not sources:
        return False
    methods = customer.profile(turn)["payment_methods"]
    original = None
    if task.get("order_id"):
        original = customer.original_payment(customer.order(turn, task["order_id"]))
    chosen = next((i for i in ids if i in methods), None)
    if chosen is None and "original" in sources and original:
        chosen = original
    if chosen is None:
        matching = [m for m in methods.values() if m["source"] in sources]
        if task["name"] == "modify_order_payment":
            matching = [m for m in matching if m["id"] != original] or matching
        digits = set(re.findall(r"\d{4}", turn.text))
        by_digits = [m for m in matching if m.get("last_four") in digits]
        if len(by_digits) == 1:
            matching = by_digits
        if len(matching) == 1:
            chosen = matching[0]["id"]
    if chosen and chosen != task.get("payment_method_id"):
        task["payment_method_id"] = chosen
        task["payment_explicit"] = True
        return True
    return False


def fill_address(turn: Turn, task: dict[str, Any]) -> bool:
    """A new address, sealed (raw values never go into a slot in clear)."""
    if task.get("asked") == "address_zip":
        zip_code = turn.parse.first("zip") or find_zip(turn.text)
        partial = turn.unseal("address")
        if zip_code and partial:
            turn.seal("address", {**partial, "zip": zip_code})
            task["has_address"] = True
            return True
        return False
    asked = task.get("asked") == "address"
    if not (asked or turn.parse.entities_of("address") or turn.intent in (
            "modify_order_address", "change_default_address")):
        return False
    country = "USA"
    if turn.customer_id:
        country = str(customer.profile(turn)["address"].get("country") or "USA")
    address = parse_address(turn.text, country=country)
    if address is None:
        return False
    if not address["zip"]:
        address["zip"] = turn.parse.first("zip") or ""
    turn.seal("address", address)
    task["has_address"] = bool(address["zip"])
    task["address_needs_zip"] = not address["zip"]
    return True


def fill(turn: Turn, task: dict[str, Any]) -> tuple[dict[str, Any], bool | None]:
    """Everything the message gives the task. changed is None after a refused order."""
    needs = TASK_SLOTS.get(task["name"], ())
    changed: bool | None = False
    task = dict(task)
    if "order" in needs:
        task, order_changed = fill_order(turn, task)
        if order_changed is None:
            return task, None
        changed = order_changed
    if "reason" in needs:
        changed = fill_reason(turn, task) or changed
    if "items" in needs:
        changed = fill_items(turn, task) or changed
    if "new_items" in needs:
        changed = fill_new_items(turn, task) or changed
    if task.get("order_id") and task["name"] in ("modify_order_payment", "modify_order_items",
                                                 "return_item", "exchange_item"):
        changed = fill_payment(turn, task) or changed
    if "address" in needs:
        changed = fill_address(turn, task) or changed
    return task, changed


# -- asking -----------------------------------------------------------------------------

def eligible_orders(turn: Turn, name: str) -> list[dict[str, Any]]:
    statuses = ELIGIBLE_STATUSES.get(name)
    orders = customer.orders(turn)
    return [o for o in orders if statuses is None or o["status"] in statuses]


def ask_order(turn: Turn, task: dict[str, Any]) -> str | None:
    """Ask which order; returns the order id when only one fits, "" when none can."""
    orders = customer.orders(turn)
    if not orders:
        turn.say("no_orders")
        return ""
    fitting = eligible_orders(turn, task["name"])
    if len(fitting) == 1 and task["name"] not in ("order_status", "delivery_problem"):
        return str(fitting[0]["order_id"])
    if len(orders) == 1:
        return str(orders[0]["order_id"])
    if not fitting:
        statuses = ELIGIBLE_STATUSES.get(task["name"]) or ()
        turn.say("no_eligible_orders", verb=verb(task["name"], turn.lang),
                 status=wording.join([wording.status_name(s, turn.lang) for s in statuses],
                                     turn.lang))
        customer.list_orders(turn, orders)
        return ""
    turn.say("which_order")
    customer.list_orders(turn, fitting)
    return None


def ask(turn: Turn, task: dict[str, Any], need: str) -> None:
    """One question for ``need``; remembers it in ``task["asked"]``."""
    task["asked"] = need
    if need == "reason":
        reasons = turn.policy.cancellation_reasons
        turn.say("ask_cancel_reason", [Button(wording.reason_name(r, turn.lang), r)
                                       for r in reasons])
    elif need == "items":
        order = customer.order(turn, task["order_id"])
        lines = [turn.render("item_line", n=n, name=i["name"],
                             options=wording.options_text(i["options"], turn.lang),
                             price=turn.money(i["price"]))
                 for n, i in enumerate(order["items"], start=1)]
        turn.say("ask_items", order_id=task["order_id"])
        turn.say_text("\n".join(lines), [Button(i["name"], i["item_id"])
                                         for i in order["items"]])
        turn.set_slot(CANDIDATES_SLOT, {"kind": "item",
                                        "values": [i["item_id"] for i in order["items"]]})
    elif need == "new_items":
        ask_new_item(turn, task)
    elif need == "payment":
        ask_payment(turn, task)
    elif need == "address":
        if task.get("address_needs_zip"):
            task["asked"] = "address_zip"
            turn.say("ask_address_zip")
        else:
            turn.say("ask_address")


def ask_new_item(turn: Turn, task: dict[str, Any]) -> None:
    order = customer.order(turn, task["order_id"])
    by_id = {i["item_id"]: i for i in order["items"]}
    chosen = task.get("new_item_ids") or {}
    index = next(n for n in range(len(task["item_ids"])) if str(n) not in chosen)
    item = by_id[task["item_ids"][index]]
    variants = _variants(turn, item)[:6]
    fields = {"name": item["name"], "options": wording.options_text(item["options"], turn.lang)}
    if not variants:
        turn.say("no_other_option", **fields)
        task["asked"] = "stuck"
        return
    choices = [wording.options_text(v["options"], turn.lang) for v in variants]
    if turn.notes.get("unavailable"):
        turn.say("option_not_available", [Button(c, v["item_id"]) for c, v in zip(
            choices, variants, strict=True)], name=item["name"],
            wanted=turn.notes["unavailable"], choices="; ".join(choices))
        return
    turn.say("ask_new_option", [Button(c, v["item_id"]) for c, v in zip(choices, variants,
                                                                         strict=True)],
             choices="; ".join(choices), **fields)


def ask_payment(turn: Turn, task: dict[str, Any]) -> None:
    methods = list(customer.profile(turn)["payment_methods"].values())
    original = customer.original_payment(customer.order(turn, task["order_id"]))
    if task["name"] == "modify_order_payment":
        methods = [m for m in methods if m["id"] != original]
    names = [wording.payment_name(m, turn.lang, turn.policy.currency) for m in methods]
    purpose = {"en": "pay for the order", "zh": "支付该订单"}[turn.lang]
    turn.say("ask_payment", [Button(n, m["id"]) for n, m in zip(names, methods, strict=True)],
             purpose=purpose, choices=wording.join(names, turn.lang))


def verb(name: str, lang: str) -> str:
    en = {"cancel_order": "cancelled", "return_item": "returned", "exchange_item": "exchanged",
          "warranty_repair": "repaired", "refund_status": "refunded"}
    zh = {"cancel_order": "取消", "return_item": "退货", "exchange_item": "换货",
          "warranty_repair": "维修", "refund_status": "退款"}
    if lang == "zh":
        return zh.get(name, "修改")
    return en.get(name, "modified")
