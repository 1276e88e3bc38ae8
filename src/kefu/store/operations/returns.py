"""Returning or exchanging items of a delivered order (tau-bench retail's semantics).

Both record the request on the order (status 'return requested' / 'exchange requested');
the customer then gets an email on how to send the items back. Neither moves money now:
the refund or the price difference is settled when the items arrive.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from kefu.store import clock, rules
from kefu.store import models as m
from kefu.store.db import Store
from kefu.store.operations import _load
from kefu.store.policy import load_policy
from kefu.store.views import OrderView, order_view
from kefu.tools import tool


def _returned_value(order: m.Order, item_ids: list[str]) -> Decimal:
    """What the named units cost (the first lines holding each id)."""
    total = Decimal("0.00")
    for item_id, count in Counter(item_ids).items():
        lines = [line for line in order.items if line.item_id == item_id][:count]
        total += sum((line.price for line in lines), Decimal("0.00"))
    return total


@tool(writes=True)
def return_delivered_order_items(store: Store, order_id: str, item_ids: list[str],
                                 payment_method_id: str) -> OrderView:
    """Request the return of items of a delivered order, for a refund.

    The refund goes to the order's original payment method or to one of the customer's
    gift cards. The order's status becomes 'return requested' and the customer receives an
    email on how and where to send the items. A delivered order can be returned or
    exchanged only once, so collect every item first. Explain the details and get an
    explicit 'yes' before calling. Returns the order after the request.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at
            the beginning of the order id.
        item_ids: The item ids to return, each such as '1008292230'. An item bought twice
            may be named twice.
        payment_method_id: The payment method that receives the refund: the original one
            or a gift card, such as 'gift_card_0000000' or 'credit_card_0000000'.
    """
    rules.check_item_lists(item_ids)
    rules.check_id("payment method", payment_method_id)
    with store.transaction() as session:
        order = _load.order(session, order_id, lock=True)
        rules.ensure_delivered(order, "returned")
        rules.ensure_within_window(order, load_policy(session).return_window_days, "returned")
        pm = rules.ensure_payment_method(order.customer, payment_method_id)
        rules.ensure_refund_destination(order, pm)
        rules.ensure_items_in_order(order, item_ids)
        order.after_sales.append(m.AfterSale(
            kind="return", item_ids=sorted(item_ids), new_item_ids=[],
            payment_method_id=pm.id, refund_amount=_returned_value(order, item_ids),
            created_at=clock.now()))
        order.status = rules.RETURN_REQUESTED
        session.flush()
        return order_view(order)


@tool(writes=True)
def exchange_delivered_order_items(store: Store, order_id: str, item_ids: list[str],
                                   new_item_ids: list[str],
                                   payment_method_id: str) -> OrderView:
    """Request the exchange of items of a delivered order for other options (size, color,
    ...) of the same product; an item may also be exchanged for a new one of the same
    item id. A delivered order can be returned or exchanged only once, so collect every
    item first and ask the customer to confirm the list is complete.

    Each new item must be an available variant of the same product as the item it
    replaces (no change of product type). The price difference will be charged to, or
    refunded to, the given payment method; a gift card must hold enough balance to pay it.
    The order's status becomes 'exchange requested' and the customer receives an email on
    how to send the items back; no new order is needed. Explain the details and get an
    explicit 'yes' before calling. Returns the order after the request.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at
            the beginning of the order id.
        item_ids: The item ids to exchange, each such as '1008292230'. An item bought twice
            may be named twice.
        new_item_ids: The new item ids, in the same positions as item_ids, each a variant
            of the same product, such as '1008292230'.
        payment_method_id: The payment method that pays or receives the price difference,
            such as 'gift_card_0000000' or 'credit_card_0000000'.
    """
    rules.check_item_lists(item_ids, new_item_ids)
    rules.check_id("payment method", payment_method_id)
    with store.transaction() as session:
        order = _load.order(session, order_id, lock=True)
        rules.ensure_delivered(order, "exchanged")
        rules.ensure_within_window(order, load_policy(session).exchange_window_days,
                                   "exchanged")
        plan = rules.plan_item_change(order, item_ids, new_item_ids, payment_method_id,
                                      _load.variants(session, new_item_ids), "exchanged")
        order.after_sales.append(m.AfterSale(
            kind="exchange", item_ids=sorted(item_ids), new_item_ids=sorted(new_item_ids),
            payment_method_id=plan.payment_method.id,
            price_difference=plan.price_difference, created_at=clock.now()))
        order.status = rules.EXCHANGE_REQUESTED
        session.flush()
        return order_view(order)
