"""The verified customer's data as the flows need it: profile, orders, lists to choose from."""

from __future__ import annotations

from typing import Any

from kefu.dialogue import wording
from kefu.dialogue.context import CANDIDATES_SLOT, FOCUS_ORDER_SLOT, Turn
from kefu.dialogue.events import Button
from kefu.dialogue.references import resolve

MAX_LISTED = 6


def profile(turn: Turn) -> dict[str, Any]:
    assert turn.customer_id is not None, "flows read customer data only after verification"
    return turn.read("get_user_details", user_id=turn.customer_id)  # type: ignore[no-any-return]


def order(turn: Turn, order_id: str) -> dict[str, Any]:
    """The order, its item names in the reply language ("name"; "name_en" kept)."""
    return _localised(turn, turn.read("get_order_details", order_id=order_id))


def _localised(turn: Turn, order_data: dict[str, Any]) -> dict[str, Any]:
    data = dict(order_data)
    names = turn.services.product_names
    items = []
    for item in data["items"]:
        item = dict(item)
        item["name_en"] = item["name"]
        zh = names.get(item["product_id"], ("", ""))[1]
        item["name_zh"] = zh or item["name"]
        if turn.lang == "zh" and zh:
            item["name"] = zh
        items.append(item)
    data["items"] = items
    return data


def owns(turn: Turn, order_id: str) -> bool:
    return order_id in profile(turn)["orders"]


def orders(turn: Turn) -> list[dict[str, Any]]:
    """The customer's orders, newest first (one read for all of them)."""
    assert turn.customer_id is not None, "flows read customer data only after verification"
    found = turn.read("get_user_orders", user_id=turn.customer_id)
    for data in found:  # a later order(turn, id) this turn needs no read of its own
        turn.remember("get_order_details", data, order_id=data["order_id"])
    return sorted((_localised(turn, o) for o in found),
                  key=lambda o: o.get("placed_at") or "", reverse=True)


def payment_method(turn: Turn, method_id: str) -> dict[str, Any]:
    return dict(profile(turn)["payment_methods"].get(method_id, {"source": method_id,
                                                                 "id": method_id}))


def payment_text(turn: Turn, method_id: str) -> str:
    return wording.payment_name(payment_method(turn, method_id), turn.lang,
                                turn.policy.currency)


def original_payment(order_data: dict[str, Any]) -> str:
    for payment in order_data.get("payment_history", []):
        if payment["transaction_type"] == "payment":
            return str(payment["payment_method_id"])
    return str(order_data["payment_history"][0]["payment_method_id"])


def order_total(order_data: dict[str, Any]) -> float:
    return round(sum(float(i["price"]) for i in order_data["items"]), 2)


def list_orders(turn: Turn, listed: list[dict[str, Any]]) -> None:
    """Show ``listed`` as a numbered list with buttons and remember it for "the second"."""
    listed = listed[:MAX_LISTED]
    lines = [turn.render("order_line", n=n, order_id=o["order_id"],
                         date=wording.day(o.get("placed_at"), turn.lang),
                         status=wording.status_name(o["status"], turn.lang),
                         items=wording.item_names(o["items"], turn.lang))
             for n, o in enumerate(listed, start=1)]
    turn.say_text("\n".join(lines), [Button(o["order_id"], o["order_id"]) for o in listed])
    turn.set_slot(CANDIDATES_SLOT, {"kind": "order", "values": [o["order_id"] for o in listed]})


def focus(turn: Turn, order_id: str) -> None:
    turn.set_slot(FOCUS_ORDER_SLOT, order_id)


def candidates(turn: Turn, kind: str) -> list[str]:
    value = turn.slot(CANDIDATES_SLOT)
    if isinstance(value, dict) and value.get("kind") == kind:
        return list(value.get("values") or [])
    return []


def referenced_order(turn: Turn, current: str | None = None) -> str | None:
    """An order the message names: an order id, "the second one", "上一个", "it".

    Positions ("the second") refer to the last list shown; after a list of items they
    are items, not orders, unless the message says "order".
    """
    named = turn.parse.first("order_id")
    if named:
        return named
    from kefu.dialogue.understanding import mentions_order

    shown = turn.slot(CANDIDATES_SLOT)
    if isinstance(shown, dict) and shown.get("kind") != "order" and \
            not mentions_order(turn.text):
        return None
    from kefu.dialogue.understanding import ordinal, refers_to_focus, refers_to_previous

    if ordinal(turn.text) is None and not refers_to_previous(turn.text) and \
            not refers_to_focus(turn.text):
        return None
    listed = candidates(turn, "order") or [o["order_id"] for o in orders(turn)]
    focus_id = current or turn.slot(FOCUS_ORDER_SLOT)
    return resolve(turn.text, listed, focus_id)
