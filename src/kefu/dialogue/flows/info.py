"""Answers from the store: order status and tracking, refunds, warranty, offers, products.

Each answer is read from a store operation and worded by a template; when the store holds
nothing on a question (shipping costs, invoices), kefu says so and offers a human.
"""

from __future__ import annotations

import re
from typing import Any

from kefu.dialogue import wording
from kefu.dialogue.context import Turn
from kefu.dialogue.events import Button
from kefu.dialogue.flows import customer
from kefu.dialogue.understanding import is_affirm, is_deny, starts_with_yes
from kefu.errors import KefuError

# How sure the model must be that a message asks for a repair to take it as one.
REQUEST_CONFIDENCE = 0.5

TOPICS: dict[str, tuple[str, str]] = {
    "shipping_info": ("shipping costs and times", "运费和配送时效"),
    "invoice": ("invoices", "发票"),
    "payment_problem": ("payment problems", "支付问题"),
    "product_question": ("product details", "商品详情"),
}


def order_status(turn: Turn, order_id: str) -> None:
    order = customer.order(turn, order_id)
    customer.focus(turn, order_id)
    placed = order.get("placed_at")
    turn.say("order_status" if placed else "order_status_undated", order_id=order_id,
             date=wording.day(placed, turn.lang),
             status=wording.status_name(order["status"], turn.lang),
             items=wording.item_names(order["items"], turn.lang),
             total=turn.money(customer.order_total(order)))
    tracking(turn, order)


def tracking(turn: Turn, order: dict[str, Any]) -> None:
    if order["status"] in ("pending", "cancelled", "pending (item modified)"):
        if order["status"] != "cancelled":
            turn.say("not_shipped")
        return
    try:
        report = turn.read("get_shipment_tracking", order_id=order["order_id"])
    except KefuError:
        return
    lines = []
    for shipment in report["shipments"]:
        events = shipment.get("events") or []
        if not events:
            continue
        last = events[-1]
        location = last.get("location") or ""
        lines.append(turn.render(
            "tracking_line", carrier=shipment.get("carrier") or "",
            tracking=", ".join(shipment["tracking_ids"]),
            event=last["description_zh"] if turn.lang == "zh" else last["description_en"],
            at=wording.moment_text(last["at"], turn.lang),
            location=(f", {location}" if turn.lang == "en" else f"，{location}")
            if location else ""))
    if lines:
        turn.say_text("\n".join(lines))


def refund_status(turn: Turn, order_id: str) -> None:
    order = customer.order(turn, order_id)
    customer.focus(turn, order_id)
    try:
        report = turn.read("refund_status", order_id=order_id)
    except KefuError:
        report = {"refunds": []}
    if not report["refunds"]:
        turn.say("no_refund", order_id=order_id,
                 status=wording.status_name(order["status"], turn.lang))
        return
    for refund in report["refunds"]:
        state = {"refunded": ("sent", "已退款"), "pending": (
            "waiting for the returned items", "待商品寄回后退款")}.get(
            refund["state"], (refund["state"], refund["state"]))
        turn.say("refund_line", amount=turn.money(float(refund["amount"])),
                 payment=customer.payment_text(turn, refund["payment_method_id"]),
                 state=state[1] if turn.lang == "zh" else state[0],
                 timing=refund["expected_zh"] if turn.lang == "zh" else refund["expected_en"])


def warranty(turn: Turn, task: dict[str, Any]) -> bool:
    """Say the warranty status; True when a repair can be offered."""
    order_id, item_id = task["order_id"], task["item_ids"][0]
    try:
        status = turn.read("warranty_status", order_id=order_id, item_id=item_id)
    except KefuError as exc:
        from kefu.dialogue.flows.changes import explain

        explain(turn, exc)
        return False
    until = wording.day(status["warranty_ends"], turn.lang)
    # the item's name in the reply language (the store's status names it in English)
    name = next((i["name"] for i in customer.order(turn, order_id)["items"]
                 if i["item_id"] == item_id), status["product_name"])
    if status["covered"]:
        turn.say("warranty", name=name, order_id=order_id, until=until,
                 days=status["days_left"])
    else:
        turn.say("warranty_over", name=name, order_id=order_id, until=until)
    task["item_name"] = name
    return bool(status["repair_available"])


def accepts_repair(turn: Turn, task: dict[str, Any]) -> bool:
    """A yes to the repair offer: a plain yes, or "yes, please file a repair" / "帮我申请维修"
    (a yes word, or the repair request itself, about the same order)."""
    if is_affirm(turn.text, turn.intent, turn.confidence):
        return True
    if is_deny(turn.text, turn.intent):
        return False
    named = turn.parse.first("order_id")
    if named and named != task.get("order_id"):
        return False
    return starts_with_yes(turn.text) or (turn.intent == "warranty_repair"
                                          and turn.confidence >= REQUEST_CONFIDENCE)


def promotions(turn: Turn) -> None:
    found = turn.read("list_active_promotions")
    if not found:
        turn.say("no_promotions")
        return
    names = [(p["name_zh"] or p["name_en"]) if turn.lang == "zh" else p["name_en"]
             for p in found[:6]]
    turn.say("promotions", list="; ".join(names))


def coupons(turn: Turn) -> None:
    found = turn.read("list_usable_coupons", user_id=turn.customer_id)
    if not found:
        turn.say("no_coupons")
        return
    names = []
    for c in found[:6]:
        name = (c["name_zh"] or c["name_en"]) if turn.lang == "zh" else c["name_en"]
        until = wording.day(c["expires_at"], turn.lang)
        names.append(f"{name}（有效期至 {until}）" if turn.lang == "zh"
                     else f"{name} (valid until {until})")
    turn.say("coupons", list="; ".join(names))


_FILLER = re.compile(r"\b(do you have|is|are|the|a|an|in stock|available|how much|price|of|"
                     r"for|what|does|cost|any|you|have|please|i want|looking|recommend)\b|"
                     r"有没有|有货吗|有货|多少钱|价格|还有|吗|呢|请问|推荐|一下|[?？!！,.，。]",
                     re.IGNORECASE)


def products(turn: Turn) -> None:
    """Price, stock or a product question: what the catalog says about the product."""
    product_ids = [e.value for e in turn.parse.entities_of("product") if e.value.isdigit()]
    matches: list[dict[str, Any]] = []
    if product_ids:
        for product_id in product_ids[:3]:
            try:
                matches.append(turn.read("get_product_details", product_id=product_id))
            except KefuError:
                continue
    else:
        words = [e.text or e.value for e in turn.parse.entities_of("product")]
        query = " ".join(words) or _FILLER.sub(" ", turn.text).strip()
        if not query:
            turn.say("ask_product")
            return
        try:
            result = turn.read("search_products", query=query, limit=3, available_only=False)
        except KefuError:
            result = {"products": []}
        matches = result["products"]
    if not matches:
        turn.say("no_products")
        return
    turn.say("products", list="; ".join(_product_line(turn, p) for p in matches[:3]))


def _product_line(turn: Turn, product: dict[str, Any]) -> str:
    variants = product.get("variants") or {}
    rows = list(variants.values()) if isinstance(variants, dict) else list(variants)
    prices = [float(v["price"]) for v in rows] or [0.0]
    in_stock = [v for v in rows if v.get("available")]
    name = (product.get("name_zh") or product["name"]) if turn.lang == "zh" else product["name"]
    low, high = turn.money(min(prices)), turn.money(max(prices))
    price = low if low == high else f"{low}-{high}"
    if turn.lang == "zh":
        stock = f"{len(in_stock)}/{len(rows)} 个款式有货" if rows else ""
        return f"{name}：{price}，{stock}"
    stock = f"{len(in_stock)} of {len(rows)} options in stock" if rows else ""
    return f"{name}: {price}, {stock}"


def cannot_answer(turn: Turn, intent: str) -> None:
    topic = TOPICS.get(intent, (intent.replace("_", " "), intent))
    turn.say("cannot_answer_yet", offer_buttons(turn),
             topic=topic[1] if turn.lang == "zh" else topic[0])


def offer_buttons(turn: Turn) -> tuple[Button, ...]:
    if turn.lang == "zh":
        return (Button("转人工", "转人工客服"),)
    return (Button("Talk to a human", "I want to talk to a human agent"),)
