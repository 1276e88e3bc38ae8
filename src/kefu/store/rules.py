"""The store's business rules, as small checks run before any write.

Every operation that changes an order calls these (and only these), so the dialogue
engine, the HTTP API and an LLM agent are held to the same rules. Each check raises a
:class:`~kefu.errors.KefuError` that names the record, the rule and, where it helps, what
to do instead. The rules and their order follow tau-bench retail's tools, so that a
tau-bench action that fails there fails here and one that succeeds there succeeds here.

The ``plan_*`` functions run every check for an action and return what the action would
do (a price difference, the lines it touches) without writing, so a caller can show the
customer the details before asking for confirmation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from kefu.errors import InvalidInput, NotFound, RuleViolation
from kefu.store import clock
from kefu.store import models as m
from kefu.store.policy import StorePolicy

ORDER_ID = re.compile(r"#W\d+")
PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")

PENDING = "pending"
DELIVERED = "delivered"
CANCELLED = "cancelled"
ITEMS_MODIFIED = "pending (item modified)"
RETURN_REQUESTED = "return requested"
EXCHANGE_REQUESTED = "exchange requested"
GIFT_CARD = "gift_card"


# -- input shape -------------------------------------------------------------------------

def check_order_id(order_id: str) -> str:
    """An order id is '#W' followed by digits, such as '#W0000000'."""
    if ORDER_ID.fullmatch(order_id):
        return order_id
    hint = "order ids look like '#W0000000'"
    stripped = order_id.strip()
    if ORDER_ID.fullmatch(stripped):
        hint = f"remove the spaces: {stripped!r}"
    elif re.fullmatch(r"W?\d+", stripped):
        hint = f"did you mean '#W{stripped.removeprefix('W')}'?"
    elif re.fullmatch(r"#\d+", stripped):
        hint = f"did you mean '#W{stripped[1:]}'?"
    raise InvalidInput(f"malformed order id {order_id!r}", hint=hint)


def check_id(kind: str, value: str) -> str:
    """A user, product, item or payment method id: letters, digits, '_', '-', '.'."""
    if len(value) <= 64 and PLAIN_ID.fullmatch(value):
        return value
    raise InvalidInput(f"malformed {kind} id {value!r}",
                       hint=f"{kind} ids are letters, digits, '_', '-' and '.', "
                            "as shown by the lookup tools")


def check_item_lists(item_ids: Sequence[str], new_item_ids: Sequence[str] | None = None) -> None:
    """Items are named, one id per unit; new items pair up with the old ones by position."""
    if not item_ids:
        raise InvalidInput("item_ids is empty: name at least one item")
    for item_id in [*item_ids, *(new_item_ids or [])]:
        check_id("item", item_id)
    if new_item_ids is not None and len(item_ids) != len(new_item_ids):
        raise InvalidInput(
            f"item_ids has {len(item_ids)} items but new_item_ids has {len(new_item_ids)}",
            hint="give one new item id for each item id, in the same position")


def check_address(fields: Mapping[str, str]) -> None:
    """An address needs its first line, city, country and zip (address2, state may be '')."""
    missing = [name for name in ("address1", "city", "country", "zip")
               if not fields.get(name, "").strip()]
    if missing:
        raise InvalidInput(f"the address lacks {', '.join(missing)}")


# -- order state ---------------------------------------------------------------------------

def ensure_status(order: m.Order, allowed: str, action: str) -> None:
    """The order must be in status ``allowed`` for ``action`` (e.g. 'cancelled')."""
    if order.status == allowed:
        return
    hint = None
    if order.status == ITEMS_MODIFIED:
        hint = "its items were already modified; a pending order can be changed only once"
    elif allowed == DELIVERED and order.status in (PENDING, "processed"):
        hint = "it has not been delivered yet"
    elif allowed == PENDING and order.status == DELIVERED:
        hint = "delivered items can be returned or exchanged instead"
    elif allowed == PENDING and order.status == "processed":
        hint = "it is already being prepared for shipping"
    raise RuleViolation(
        f"order {order.id} is {order.status}; only {allowed} orders can be {action}", hint=hint)


def ensure_pending(order: m.Order, action: str) -> None:
    ensure_status(order, PENDING, action)


def ensure_delivered(order: m.Order, action: str) -> None:
    ensure_status(order, DELIVERED, action)


def ensure_within_window(order: m.Order, days: int, action: str,
                         now: datetime | None = None) -> None:
    """Delivered items may be returned/exchanged within ``days`` of delivery (when known)."""
    if order.delivered_at is None:
        return
    delivered = clock.aware(order.delivered_at)
    now = now or clock.now()
    if now - delivered > timedelta(days=days):
        raise RuleViolation(
            f"order {order.id} was delivered on {delivered:%Y-%m-%d}, more than {days} days "
            f"ago; items can be {action} only within {days} days of delivery")


def ensure_cancel_reason(policy: StorePolicy, reason: str) -> None:
    if reason not in policy.cancellation_reasons:
        allowed = " or ".join(repr(r) for r in policy.cancellation_reasons)
        raise InvalidInput(f"invalid cancellation reason {reason!r}",
                           hint=f"the reason must be {allowed}")


def ensure_items_in_order(order: m.Order, item_ids: Sequence[str]) -> None:
    """Each item id must be in the order at least as many times as it is named."""
    have = Counter(line.item_id for line in order.items)
    for item_id, wanted in Counter(item_ids).items():
        if wanted > have[item_id]:
            if have[item_id] == 0:
                raise NotFound(f"item {item_id} is not in order {order.id}",
                               hint="item ids are listed in the order details")
            raise NotFound(f"item {item_id} is named {wanted} times but order {order.id} "
                           f"holds {have[item_id]}")


def first_line(order: m.Order, item_id: str) -> m.OrderItem:
    """The first line of the order holding ``item_id`` (tau-bench changes that one first)."""
    return next(line for line in order.items if line.item_id == item_id)


# -- payment -------------------------------------------------------------------------------

def ensure_payment_method(customer: m.Customer, payment_method_id: str) -> m.PaymentMethod:
    """The payment method must be one of the order's customer's own."""
    for pm in customer.payment_methods:
        if pm.id == payment_method_id:
            return pm
    own = ", ".join(pm.id for pm in customer.payment_methods) or "none"
    raise NotFound(f"payment method {payment_method_id} not found for customer {customer.id}",
                   hint=f"their payment methods: {own}")


def ensure_gift_card_covers(pm: m.PaymentMethod, amount: Decimal, what: str) -> None:
    """A gift card must hold at least ``amount`` to pay for ``what``."""
    if pm.source == GIFT_CARD and (pm.balance or Decimal(0)) < amount:
        raise RuleViolation(
            f"gift card {pm.id} has a balance of {pm.balance or Decimal('0.00')}, "
            f"less than the {amount} needed to pay for {what}",
            hint="choose another payment method")


def ensure_refund_destination(order: m.Order, pm: m.PaymentMethod) -> None:
    """Refunds go to the order's original payment method or to a gift card."""
    original = order.transactions[0].payment_method_id if order.transactions else None
    if pm.source != GIFT_CARD and pm.id != original:
        raise RuleViolation(
            f"a refund for order {order.id} cannot go to {pm.id}",
            hint=f"refunds go to the original payment method ({original}) or a gift card")


def ensure_single_payment(order: m.Order) -> m.Transaction:
    """A pending order whose payment is changed must have exactly one payment so far."""
    txs = order.transactions
    if len(txs) != 1 or txs[0].transaction_type != "payment":
        raise RuleViolation(f"order {order.id} has {len(txs)} transactions; its payment "
                            "method can be changed only while it has exactly one payment")
    return txs[0]


def ensure_different_payment(order: m.Order, current: m.Transaction,
                             pm: m.PaymentMethod) -> None:
    if current.payment_method_id == pm.id:
        raise RuleViolation(f"order {order.id} is already paid with {pm.id}",
                            hint="choose a payment method different from the current one")


# -- plans (all checks of one action, no writes) --------------------------------------------

@dataclass(frozen=True)
class ItemChange:
    """One line of an order and the variant it becomes."""

    item_id: str
    new_variant: m.Variant
    old_price: Decimal


@dataclass(frozen=True)
class ItemChangePlan:
    """What modifying or exchanging items would do: the pairs and the price difference."""

    changes: tuple[ItemChange, ...]
    price_difference: Decimal  # positive: the customer pays; negative: refunded
    payment_method: m.PaymentMethod


def plan_item_change(order: m.Order, item_ids: Sequence[str], new_item_ids: Sequence[str],
                     payment_method_id: str, variants: Mapping[str, m.Variant],
                     what: str) -> ItemChangePlan:
    """Check an item modification (pending) or exchange (delivered) and price it.

    ``variants`` maps each new item id to its variant (ids not found are absent). The
    checks run in tau-bench's order: items in the order, counts, new items of the same
    product and available, the payment method, a gift card's balance.
    """
    ensure_items_in_order(order, item_ids)
    check_item_lists(item_ids, new_item_ids)
    changes = []
    difference = Decimal("0.00")
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        line = first_line(order, item_id)
        variant = variants.get(new_item_id)
        if variant is None:
            raise NotFound(f"item {new_item_id} not found",
                           hint=f"the product's item ids are listed by get_product_details "
                                f"with product_id {line.product_id}")
        if variant.product_id != line.product_id:
            raise RuleViolation(
                f"item {new_item_id} is a {variant.product.name}, not a {line.name}; items "
                f"can only be {what} to another option of the same product",
                hint=f"choose an item of product {line.product_id}")
        if not variant.available:
            raise RuleViolation(f"item {new_item_id} ({line.name}) is not available")
        changes.append(ItemChange(item_id, variant, line.price))
        difference += variant.price - line.price
    pm = ensure_payment_method(order.customer, payment_method_id)
    ensure_gift_card_covers(pm, difference, f"the {what} items")
    return ItemChangePlan(tuple(changes), difference, pm)
