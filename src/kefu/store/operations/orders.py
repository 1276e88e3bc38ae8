"""Reading an order and changing a pending one: cancel, address, payment method, items.

The semantics are tau-bench retail's (statuses, refunds, gift-card arithmetic), so that
tau-bench's gold actions leave the same database here as there.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from kefu.store import clock, rules
from kefu.store import models as m
from kefu.store.db import Store
from kefu.store.operations import _load
from kefu.store.policy import load_policy
from kefu.store.views import OrderView, order_view
from kefu.tools import tool


def add_transaction(order: m.Order, kind: str, amount: Decimal, payment_method_id: str) -> None:
    """Append a payment or refund to the order's payment history."""
    order.transactions.append(m.Transaction(
        position=len(order.transactions), transaction_type=kind, amount=amount,
        payment_method_id=payment_method_id, created_at=clock.now()))


def credit_gift_card(customer: m.Customer, payment_method_id: str, amount: Decimal) -> None:
    """Add ``amount`` (negative: take it) to a gift card's balance; other methods: nothing."""
    for pm in customer.payment_methods:
        if pm.id == payment_method_id and pm.source == rules.GIFT_CARD:
            pm.balance = (pm.balance or Decimal(0)) + amount


@tool()
def get_order_details(store: Store, order_id: str) -> OrderView:
    """Get an order: its status, items (with item ids, options and prices), shipping
    address, shipments with tracking ids, and payment history.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at
            the beginning of the order id.
    """
    with store.session() as session:
        return order_view(_load.order_for_view(session, order_id))


@tool()
def get_user_orders(store: Store, user_id: str) -> list[OrderView]:
    """Get every order of a customer, each as get_order_details gives it, in the order of
    their order ids in get_user_details. One call instead of one per order.

    Args:
        user_id: The user id, such as 'sara_doe_496'.
    """
    with store.session() as session:
        return [order_view(o) for o in _load.customer_orders(session, user_id)]


@tool(writes=True)
def cancel_pending_order(store: Store, order_id: str, reason: str) -> OrderView:
    """Cancel a pending order. Orders already processed, delivered or modified cannot be
    cancelled.

    Every payment of the order is refunded to the method it came from: a gift card at once,
    other methods in 5-7 business days. The order's status becomes 'cancelled'. Explain the
    cancellation to the customer and get an explicit 'yes' before calling. Returns the
    order after the cancellation.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at
            the beginning of the order id.
        reason: Why the customer cancels: 'no longer needed' or 'ordered by mistake'.
    """
    with store.transaction() as session:
        order = _load.order(session, order_id, lock=True)
        rules.ensure_pending(order, "cancelled")
        rules.ensure_cancel_reason(load_policy(session), reason)
        # tau-bench refunds each entry of the payment history as it stands.
        for payment in list(order.transactions):
            add_transaction(order, "refund", payment.amount, payment.payment_method_id)
            credit_gift_card(order.customer, payment.payment_method_id, payment.amount)
        order.status = rules.CANCELLED
        order.cancel_reason = reason
        return _flushed_view(session, order)


@tool(writes=True)
def modify_pending_order_address(store: Store, order_id: str, address1: str, address2: str,
                                 city: str, state: str, country: str, zip: str) -> OrderView:
    """Change the shipping address of a pending order (the customer's default address is
    not changed; use modify_user_address for that).

    Explain the new address to the customer and get an explicit 'yes' before calling.
    Returns the order after the change.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at
            the beginning of the order id.
        address1: The first line of the address, such as '123 Main St'.
        address2: The second line of the address, such as 'Apt 1' or ''.
        city: The city, such as 'San Francisco'.
        state: The state or province, such as 'CA'.
        country: The country, such as 'USA'.
        zip: The zip code, such as '12345'.
    """
    address = {"address1": address1, "address2": address2, "city": city, "state": state,
               "country": country, "zip": zip}
    rules.check_address(address)
    with store.transaction() as session:
        order = _load.order(session, order_id, lock=True)
        rules.ensure_pending(order, "modified")
        for name, value in address.items():
            setattr(order, name, value)
        return _flushed_view(session, order)


@tool(writes=True)
def modify_pending_order_payment(store: Store, order_id: str,
                                 payment_method_id: str) -> OrderView:
    """Pay a pending order with another of the customer's payment methods.

    The order must have exactly one payment so far. The new method is charged the order
    total and the old one refunded (a gift card at once, others in 5-7 business days); a
    gift card must hold enough balance for the total. The status stays 'pending'. Explain
    the change and get an explicit 'yes' before calling. Returns the order after the change.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at
            the beginning of the order id.
        payment_method_id: The new payment method, such as 'gift_card_0000000' or
            'credit_card_0000000', from the customer's details.
    """
    rules.check_id("payment method", payment_method_id)
    with store.transaction() as session:
        order = _load.order(session, order_id, lock=True)
        rules.ensure_pending(order, "modified")
        new = rules.ensure_payment_method(order.customer, payment_method_id)
        payment = rules.ensure_single_payment(order)
        rules.ensure_different_payment(order, payment, new)
        amount = payment.amount
        rules.ensure_gift_card_covers(new, amount, f"order {order.id}")
        old_id = payment.payment_method_id
        add_transaction(order, "payment", amount, new.id)
        add_transaction(order, "refund", amount, old_id)
        credit_gift_card(order.customer, new.id, -amount)
        credit_gift_card(order.customer, old_id, amount)
        return _flushed_view(session, order)


@tool(writes=True)
def modify_pending_order_items(store: Store, order_id: str, item_ids: list[str],
                               new_item_ids: list[str], payment_method_id: str) -> OrderView:
    """Change items of a pending order to other options (size, color, ...) of the same
    product. This can be done only once per order: afterwards its status is
    'pending (item modified)' and it can no longer be modified or cancelled, so collect
    every item to change first and ask the customer to confirm the list is complete.

    Each new item must be an available variant of the same product as the item it
    replaces (no change of product type). The price difference is charged to, or refunded
    to, the given payment method; a gift card must hold enough balance to pay it. Explain
    the details and get an explicit 'yes' before calling. Returns the order after the change.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at
            the beginning of the order id.
        item_ids: The item ids to modify, each such as '1008292230'. An item bought twice
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
        rules.ensure_pending(order, "modified")
        variants = _load.variants(session, new_item_ids)
        plan = rules.plan_item_change(order, item_ids, new_item_ids, payment_method_id,
                                      variants, "modified")
        difference = plan.price_difference
        add_transaction(order, "payment" if difference > 0 else "refund", abs(difference),
                        plan.payment_method.id)
        credit_gift_card(order.customer, plan.payment_method.id, -difference)
        for change in plan.changes:
            # The first line still holding the old id changes (tau-bench's order), so an
            # item named twice changes two lines.
            line = rules.first_line(order, change.item_id)
            line.item_id = change.new_variant.id
            line.price = change.new_variant.price
            line.options = dict(change.new_variant.options)
        order.status = rules.ITEMS_MODIFIED
        return _flushed_view(session, order)


def _flushed_view(session: Session, order: m.Order) -> OrderView:
    session.flush()
    return order_view(order)
