"""How store facts read in a reply: statuses, money, dates, payment methods, item lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

STATUS_NAMES: dict[str, tuple[str, str]] = {
    "pending": ("pending (not shipped yet)", "待发货"),
    "processed": ("processed (being shipped)", "已出库，正在配送"),
    "delivered": ("delivered", "已签收"),
    "cancelled": ("cancelled", "已取消"),
    "return requested": ("waiting for the return", "退货处理中"),
    "exchange requested": ("waiting for the exchange", "换货处理中"),
    "pending (item modified)": ("pending, with modified items", "待发货（商品已修改）"),
}

SOURCE_NAMES: dict[str, tuple[str, str]] = {
    "credit_card": ("credit card", "信用卡"),
    "debit_card": ("debit card", "借记卡"),
    "gift_card": ("gift card", "礼品卡"),
    "paypal": ("PayPal", "PayPal"),
    "alipay": ("Alipay", "支付宝"),
    "wechat_pay": ("WeChat Pay", "微信支付"),
}

CANCEL_REASONS: dict[str, tuple[str, str]] = {
    "no longer needed": ("no longer needed", "不再需要"),
    "ordered by mistake": ("ordered by mistake", "误下单"),
}

TASK_NAMES: dict[str, tuple[str, str]] = {
    "order_status": ("your order status", "查询订单"),
    "cancel_order": ("cancelling an order", "取消订单"),
    "modify_order_address": ("changing an order's address", "修改订单地址"),
    "modify_order_items": ("changing items of an order", "修改订单商品"),
    "modify_order_payment": ("changing an order's payment method", "修改支付方式"),
    "change_default_address": ("changing your default address", "修改默认地址"),
    "return_item": ("a return", "退货"),
    "exchange_item": ("an exchange", "换货"),
    "refund_status": ("a refund", "查询退款"),
    "warranty_repair": ("a repair", "保修维修"),
    "delivery_problem": ("a delivery problem", "物流问题"),
    "coupons": ("your coupons", "查询优惠券"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def status_name(status: str, lang: str) -> str:
    return _pick(STATUS_NAMES.get(status, (status, status)), lang)


def reason_name(reason: str, lang: str) -> str:
    return _pick(CANCEL_REASONS.get(reason, (reason, reason)), lang)


def task_name(intent: str, lang: str) -> str:
    return _pick(TASK_NAMES.get(intent, (intent.replace("_", " "), intent)), lang)


def money(amount: float, currency: str, lang: str) -> str:
    symbols = {"USD": "$", "CNY": "¥", "EUR": "€", "GBP": "£"}
    value = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    if currency in symbols:
        return f"{sign}{symbols[currency]}{value}"
    return f"{sign}{value} {currency}"


def day(moment: str | datetime | None, lang: str) -> str:
    """A date as the customer reads it ("Sep 12, 2026" / "2026年9月12日")."""
    if moment is None:
        return "-"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if lang == "zh":
        return f"{moment.year}年{moment.month}月{moment.day}日"
    return moment.strftime("%b %-d, %Y")


def moment_text(moment: str | datetime, lang: str) -> str:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return f"{day(moment, lang)} {moment:%H:%M}"


def payment_name(method: Mapping[str, Any], lang: str, currency: str = "USD") -> str:
    """"Mastercard credit card ending 5659" / "尾号5659的Mastercard信用卡"."""
    source = str(method.get("source", ""))
    kind = _pick(SOURCE_NAMES.get(source, (source.replace("_", " "), source)), lang)
    brand = str(method.get("brand") or "").title()
    last_four = method.get("last_four")
    if last_four:
        if lang == "zh":
            return f"尾号{last_four}的{brand}{kind}"
        return f"{brand} {kind} ending {last_four}".strip()
    if source == "gift_card" and method.get("balance") is not None:
        balance = money(float(method["balance"]), currency, lang)
        return f"{kind}（余额 {balance}）" if lang == "zh" else f"{kind} (balance {balance})"
    return kind


def options_text(options: Mapping[str, Any], lang: str) -> str:
    return (", " if lang == "en" else "，").join(f"{v}" for v in options.values()) or "-"


def join(parts: Iterable[str], lang: str) -> str:
    items = list(parts)
    if lang == "zh":
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def item_names(items: Iterable[Mapping[str, Any]], lang: str) -> str:
    """"Nordlys Bookshelf Max (pine) and ..." - repeated items counted."""
    counts: dict[str, int] = {}
    for item in items:
        label = f"{item['name']} ({options_text(item.get('options') or {}, lang)})"
        if lang == "zh":
            label = f"{item['name']}（{options_text(item.get('options') or {}, lang)}）"
        counts[label] = counts.get(label, 0) + 1
    return join([f"{n} x {label}" if n > 1 else label for label, n in counts.items()], lang)


def address_text(address: Mapping[str, Any], lang: str) -> str:
    if lang == "zh" or address.get("country") in ("China", "中国"):
        return "".join(str(address.get(k) or "") for k in ("state", "city", "address1",
                                                            "address2")) + \
            f"（邮编 {address.get('zip', '')}）"
    parts = [address.get("address1"), address.get("address2"), address.get("city"),
             f"{address.get('state', '')} {address.get('zip', '')}".strip(),
             address.get("country")]
    return ", ".join(str(p) for p in parts if p)
