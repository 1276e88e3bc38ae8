"""Changes to the store: state the exact change, wait for a yes, then write it.

:func:`propose` turns a complete task into a pending confirmation (the store operation
and its arguments) and says what will happen, with amounts and refund timing from the
store's data and policy. :func:`execute` runs it after the customer's explicit yes.
Raw personal values (a new address) go into the pending confirmation sealed
(:meth:`kefu.dialogue.context.Turn.seal_value`); its readable arguments are masked on store.
"""

from __future__ import annotations

import re
from typing import Any

from kefu.dialogue import wording
from kefu.dialogue.context import Turn
from kefu.dialogue.flows import customer
from kefu.dialogue.flows.filling import ask, verb
from kefu.dialogue.forms import ELIGIBLE_STATUSES, WRITE_ACTIONS
from kefu.dialogue.state import clear_confirmation, request_confirmation
from kefu.errors import KefuError
from kefu.privacy.sealing import SEALED_KEY

ADDRESS_FIELDS = ("address1", "address2", "city", "state", "country", "zip")


def _timing(turn: Turn, method_id: str) -> str:
    source = customer.payment_method(turn, method_id).get("source", "")
    timing = turn.policy.refund_time(str(source))
    text = timing.describe(turn.lang)
    if turn.lang == "en":
        return text if timing.max_days == 0 else f"within {text}"
    return text if timing.max_days == 0 else f"预计{text}内到账"


def status_allows(turn: Turn, task: dict[str, Any]) -> bool:
    """Say why not and return False when the order's status does not allow the task."""
    allowed = ELIGIBLE_STATUSES.get(task["name"])
    if not allowed or not task.get("order_id"):
        return True
    order = customer.order(turn, task["order_id"])
    if order["status"] in allowed:
        return True
    turn.say("refused_status", order_id=order["order_id"],
             status=wording.status_name(order["status"], turn.lang),
             allowed=wording.join([wording.status_name(s, turn.lang) for s in allowed],
                                  turn.lang),
             verb=verb(task["name"], turn.lang))
    if order["status"] == "delivered" and task["name"].startswith(("cancel", "modify")):
        turn.say("alt_return")
    elif order["status"] == "pending" and task["name"] in ("return_item", "exchange_item"):
        turn.say("alt_pending")
    else:
        turn.say("alt_human")
    return False


def _changes(turn: Turn, order: dict[str, Any], task: dict[str, Any]
             ) -> tuple[str, float, list[str], list[str]]:
    """(description, price difference, item ids, new item ids) of an items change."""
    by_id = {i["item_id"]: i for i in order["items"]}
    lines, difference = [], 0.0
    item_ids = list(task["item_ids"])
    new_ids = [task["new_item_ids"][str(n)] for n in range(len(item_ids))]
    for old_id, new_id in zip(item_ids, new_ids, strict=True):
        item = by_id[old_id]
        product = turn.read("get_product_details", product_id=item["product_id"])
        new = product["variants"][new_id]
        difference += float(new["price"]) - float(item["price"])
        arrow = " → "
        lines.append(f"{item['name']} {wording.options_text(item['options'], turn.lang)}"
                     f"{arrow}{wording.options_text(new['options'], turn.lang)}")
    return wording.join(lines, turn.lang), round(difference, 2), item_ids, new_ids


def _difference_text(turn: Turn, difference: float, method_id: str) -> str:
    payment = customer.payment_text(turn, method_id)
    if difference > 0:
        return turn.render("difference_pay", amount=turn.money(difference), payment=payment)
    if difference < 0:
        return turn.render("difference_refund", amount=turn.money(-difference),
                           payment=payment)
    return turn.render("difference_none")


def _paid(order: dict[str, Any]) -> float:
    """What the order's payments come to, less its refunds."""
    total = 0.0
    for payment in order.get("payment_history", []):
        sign = -1 if payment["transaction_type"] == "refund" else 1
        total += sign * float(payment["amount"])
    return round(total, 2)


def _gift_card_short(turn: Turn, task: dict[str, Any], method_id: str, amount: float) -> bool:
    """True (said, and another payment method asked for) when ``method_id`` is a gift card
    holding less than ``amount``: the store would refuse it at the yes, so kefu does not
    ask for a yes it cannot act on."""
    method = customer.payment_method(turn, method_id)
    balance = float(method.get("balance") or 0)
    if method.get("source") != "gift_card" or amount <= 0 or balance >= amount:
        return False
    turn.say("gift_card_short", balance=turn.money(balance), amount=turn.money(amount))
    task.pop("payment_method_id", None)
    task.pop("payment_explicit", None)
    ask(turn, task, "payment")
    return True


def propose(turn: Turn, task: dict[str, Any]) -> bool:
    """Ask for confirmation of the task's write; False when it cannot be proposed."""
    name = task["name"]
    if not status_allows(turn, task):
        return False
    order = customer.order(turn, task["order_id"]) if task.get("order_id") else None
    fields: dict[str, Any] = {}
    sealed = False
    if order is not None:
        original = customer.original_payment(order)
        payment_id = task.get("payment_method_id") or original
        fields.update(order_id=order["order_id"], total=turn.money(customer.order_total(order)),
                      items=wording.item_names(order["items"], turn.lang),
                      payment=customer.payment_text(turn, payment_id))
    if name == "cancel_order":
        assert order is not None
        args: dict[str, Any] = {"order_id": order["order_id"], "reason": task["reason"]}
        fields.update(reason=wording.reason_name(task["reason"], turn.lang),
                      timing=_timing(turn, original))
        key = "confirm_cancel"
    elif name in ("modify_order_address", "change_default_address"):
        address = turn.unseal("address")
        if not address:
            turn.say("address_again")
            task["has_address"] = False
            task["asked"] = "address"
            return False
        sealed = True
        fields["address"] = wording.address_text(address, turn.lang)
        if name == "modify_order_address":
            assert order is not None
            args = {"order_id": order["order_id"], **address}
            key = "confirm_modify_address"
        else:
            args = {"user_id": turn.customer_id, **address}
            key = "confirm_user_address"
    elif name == "modify_order_payment":
        assert order is not None
        if _gift_card_short(turn, task, payment_id, _paid(order)):
            return False
        args = {"order_id": order["order_id"], "payment_method_id": payment_id}
        fields.update(old_payment=customer.payment_text(turn, original),
                      timing=_timing(turn, original))
        key = "confirm_modify_payment"
    elif name in ("modify_order_items", "exchange_item"):
        assert order is not None
        changes, difference, item_ids, new_ids = _changes(turn, order, task)
        if _gift_card_short(turn, task, payment_id, difference):
            return False
        args = {"order_id": order["order_id"], "item_ids": item_ids,
                "new_item_ids": new_ids, "payment_method_id": payment_id}
        fields.update(changes=changes, difference=_difference_text(turn, difference,
                                                                   payment_id))
        key = "confirm_modify_items" if name == "modify_order_items" else "confirm_exchange"
    elif name == "return_item":
        assert order is not None
        by_id = {i["item_id"]: i for i in order["items"]}
        chosen = [by_id[i] for i in task["item_ids"]]
        args = {"order_id": order["order_id"], "item_ids": list(task["item_ids"]),
                "payment_method_id": payment_id}
        fields.update(items=wording.item_names(chosen, turn.lang),
                      total=turn.money(sum(float(i["price"]) for i in chosen)),
                      timing=_timing(turn, payment_id))
        key = "confirm_return"
    elif name == "repair":
        args = {"order_id": task["order_id"], "item_id": task["item_ids"][0],
                "problem": task["problem"]}
        fields.update(name=task["item_name"], problem=task["problem"])
        key = "confirm_repair"
    else:
        raise ValueError(f"task {name!r} does not write")
    action = WRITE_ACTIONS[name]
    extra = {SEALED_KEY: turn.seal_value("pending", args)} if sealed else {}
    turn.add(request_confirmation(action, args, task=name,
                                  fields={k: str(v) for k, v in fields.items()}, **extra))
    turn.say(key, turn.yes_no_buttons(), **fields)
    return True


def execute(turn: Turn, pending: dict[str, Any]) -> bool:
    """Write the confirmed change; True when it was written."""
    turn.add(clear_confirmation())
    action, task_name = str(pending["action"]), str(pending.get("task"))
    args = dict(pending.get("args") or {})
    if needs_raw_values(pending):  # the stored args are masked: the sealed ones are raw
        raw = turn.open_value("pending", pending.get(SEALED_KEY))
        if not raw:
            turn.say("address_again")
            return False
        args = raw
    fields = dict(pending.get("fields") or {})
    if "address1" in args:  # the stored fields are masked; the reply shows the real one
        fields["address"] = wording.address_text(
            {k: args[k] for k in ADDRESS_FIELDS if k in args}, turn.lang)
    try:
        result = turn.call(action, **args)
    except KefuError as exc:
        explain(turn, exc)
        return False
    turn.forget_reads()
    if task_name == "cancel_order":
        turn.say("done_cancel", **_pick(fields, "order_id", "total", "payment", "timing"))
    elif task_name == "modify_order_address":
        turn.say("done_modify_address", **_pick(fields, "order_id", "address"))
    elif task_name == "change_default_address":
        turn.say("done_user_address", **_pick(fields, "address"))
    elif task_name == "modify_order_payment":
        turn.say("done_modify_payment", **_pick(fields, "order_id", "payment"))
    elif task_name == "modify_order_items":
        turn.say("done_modify_items", order_id=result["order_id"],
                 items=wording.item_names(result["items"], turn.lang))
    elif task_name == "return_item":
        turn.say("done_return", **_pick(fields, "order_id", "items", "total", "payment",
                                         "timing"))
    elif task_name == "exchange_item":
        turn.say("done_exchange", **_pick(fields, "order_id"))
    elif task_name == "repair":
        turn.say("done_repair", repair_id=result["request_id"], **_pick(fields, "name"))
    turn.seal("address", None)
    return True


def needs_raw_values(pending: dict[str, Any]) -> bool:
    """The pending write needs raw personal values (its stored arguments are masked).
    "vault" marks those of logs written before values were sealed: they ask again."""
    return SEALED_KEY in pending or bool(pending.get("vault"))


def _pick(fields: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: fields[n] for n in names}


_EXPLANATIONS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"order (\S+) is ([a-z ()]+); only ([a-z ,]+) orders can be (\w+)"),
     "order {0} is {1}; only {2} orders can be {3}.",
     "订单 {0} 当前状态为“{1}”，只有“{2}”状态的订单可以办理。"),
    (re.compile(r"more than (\d+) days ago"),
     "it was delivered more than {0} days ago, which is past the window for this.",
     "该订单签收已超过 {0} 天，超出了可办理的期限。"),
    (re.compile(r"gift card (\S+) has a balance of ([\d.]+), less than the ([\d.]+)"),
     "the gift card's balance ({1}) is less than the {2} needed.",
     "礼品卡余额（{1}）不足以支付所需的 {2}。"),
    (re.compile(r"cannot go to (\S+)"),
     "refunds can only go to the original payment method or a gift card.",
     "退款只能退回原支付方式或礼品卡。"),
    (re.compile(r"already paid with (\S+)"),
     "the order is already paid with that payment method.",
     "该订单已经在使用这个支付方式。"),
    (re.compile(r"is not available"),
     "the option you chose is not available right now.",
     "您选择的款式目前缺货。"),
    (re.compile(r"transactions; its payment"),
     "its payment can't be changed any more.",
     "该订单的支付方式已无法再修改。"),
)


def explain(turn: Turn, exc: KefuError) -> None:
    """Why the store refused, in the customer's language, and what they can do instead."""
    message = exc.message
    for pattern, en, zh in _EXPLANATIONS:
        match = pattern.search(message)
        if match:
            why = (zh if turn.lang == "zh" else en).format(*match.groups())
            break
    else:
        why = ("店铺规则不允许这项操作。" if turn.lang == "zh"
               else message.rstrip(".") + ".")
    turn.say("refused", why=why)
    turn.say("alt_human")
