"""After the sale: shipment tracking, refund status, warranty and repair requests."""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.errors import InvalidInput, NotFound, RuleViolation
from kefu.store import clock
from kefu.store.db import Store
from kefu.store.models import (
    Order,
    OrderItem,
    PaymentMethod,
    Product,
    RepairRequest,
    WarrantyTerm,
)
from kefu.store.operations import _load
from kefu.store.policy import load_policy
from kefu.tools.registry import tool

# Orders whose items reached the customer (a return or exchange is asked after delivery).
DELIVERED_STATUSES = ("delivered", "return requested", "exchange requested")


@dataclass(frozen=True)
class TrackingEventInfo:
    at: datetime
    status: str
    location: str
    description_en: str
    description_zh: str


@dataclass(frozen=True)
class ShipmentInfo:
    carrier: str | None
    tracking_ids: list[str]
    item_ids: list[str]
    shipped_at: datetime | None
    delivered_at: datetime | None
    events: list[TrackingEventInfo]


@dataclass(frozen=True)
class TrackingReport:
    """Every fulfilment of an order; ``note`` says why there is none yet."""

    order_id: str
    status: str
    shipments: list[ShipmentInfo]
    note: str = ""


@dataclass(frozen=True)
class RefundInfo:
    amount: Decimal
    payment_method_id: str
    source: str
    state: str  # "refunded" (money sent back) or "pending" (sent when the return arrives)
    expected_en: str
    expected_zh: str


@dataclass(frozen=True)
class RefundStatus:
    order_id: str
    status: str
    refunds: list[RefundInfo]
    total: Decimal


@dataclass(frozen=True)
class WarrantyStatus:
    order_id: str
    item_id: str
    product_name: str
    category_id: str
    covered: bool
    months: int
    delivered_at: datetime
    warranty_ends: datetime
    days_left: int
    repair_available: bool
    terms_en: str
    terms_zh: str


@dataclass(frozen=True)
class RepairRequestInfo:
    request_id: str
    order_id: str
    item_id: str
    in_warranty: bool
    status: str
    created_at: datetime


def load_order(session: Session, order_id: str) -> Order:
    """The order (its shipments' events loaded too), or NotFound/InvalidInput."""
    order = _load.order(session, order_id)
    for shipment in order.shipments:
        shipment.events  # noqa: B018 - load while the session is open
    return order


def _item(order: Order, item_id: str) -> OrderItem:
    for line in order.items:
        if line.item_id == item_id:
            return line
    listed = ", ".join(f"{line.item_id} ({line.name})" for line in order.items)
    raise NotFound(f"item {item_id!r} is not in order {order.id}",
                   hint=f"the order's items are: {listed}")


def delivered_on(order: Order) -> datetime:
    """When the order was delivered; refused when it was not (or the date is unknown)."""
    if order.status not in DELIVERED_STATUSES:
        raise RuleViolation(f"order {order.id} is {order.status!r}, not delivered yet",
                            hint="warranty and repairs start once the order is delivered; "
                                 "get_shipment_tracking shows where it is")
    dates = [order.delivered_at] if order.delivered_at else [
        s.delivered_at for s in order.shipments if s.delivered_at]
    if not dates:
        raise RuleViolation(f"the delivery date of order {order.id} is not recorded",
                            hint="transfer to a human agent to check the delivery")
    return clock.aware(max(clock.aware(d) for d in dates if d))


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus calendar months (31 Jan + 1 month = 28/29 Feb)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _warranty(session: Session, order: Order, item_id: str) -> WarrantyStatus:
    line = _item(order, item_id)
    delivered = delivered_on(order)
    product = session.get(Product, line.product_id)
    if product is None or product.category_id is None:
        raise RuleViolation(f"the product of item {item_id} has no category, so no warranty "
                            "term applies", hint="transfer to a human agent")
    term = session.get(WarrantyTerm, product.category_id)
    if term is None:
        raise RuleViolation(f"category {product.category_id!r} has no warranty term",
                            hint="transfer to a human agent to ask about a warranty")
    ends = add_months(delivered, term.months)
    at = clock.now()
    days_left = max(0, (ends.date() - at.date()).days)
    return WarrantyStatus(
        order_id=order.id, item_id=item_id, product_name=line.name,
        category_id=product.category_id, covered=at < ends, months=term.months,
        delivered_at=delivered, warranty_ends=ends, days_left=days_left,
        repair_available=term.repair_available, terms_en=term.description_en,
        terms_zh=term.description_zh)


@tool()
def warranty_status(store: Store, order_id: str, item_id: str) -> WarrantyStatus:
    """Check whether an item of a delivered order is still under warranty: the warranty
    ends the given number of months (from the product category's term) after delivery.
    Returns covered or not, the end date, days left and whether repairs are offered.

    Args:
        order_id: The order id, e.g. '#W1234567'.
        item_id: The item id of the unit in that order, e.g. '1008292230'.
    """
    with store.session() as session:
        return _warranty(session, load_order(session, order_id), item_id)


def _repair_id(session: Session, order_id: str, item_id: str) -> str:
    for attempt in range(1000):
        digest = hashlib.sha256(f"{order_id}|{item_id}|{attempt}".encode()).hexdigest()
        candidate = f"R{int(digest, 16) % 10**8:08d}"
        if session.get(RepairRequest, candidate) is None:
            return candidate
    raise RuleViolation("could not allocate a repair request id")  # pragma: no cover


@tool(writes=True)
def create_repair_request(store: Store, order_id: str, item_id: str, problem: str
                          ) -> RepairRequestInfo:
    """Open a repair request for an item of a delivered order whose category offers
    repairs. Records whether the item is still under warranty (repairs after the warranty
    are charged). Refused for undelivered orders, items being returned or exchanged, and
    items that already have an open repair request. Confirm with the customer first.

    Args:
        order_id: The order id, e.g. '#W1234567'.
        item_id: The item id of the broken unit in that order.
        problem: What is wrong, in the customer's words.
    """
    if not problem.strip():
        raise InvalidInput("describe the problem: problem must not be empty")
    with store.transaction() as session:
        order = load_order(session, order_id)
        status = _warranty(session, order, item_id)
        for after_sale in order.after_sales:
            if item_id in after_sale.item_ids:
                raise RuleViolation(f"item {item_id} is already in a {after_sale.kind} request "
                                    f"on order {order.id}",
                                    hint="a unit being returned or exchanged is not repaired")
        if not status.repair_available:
            raise RuleViolation(
                f"items of category {status.category_id!r} are not repaired",
                hint=f"warranty terms: {status.terms_en}" if status.terms_en else
                "a return within the return window or a human agent may help")
        open_request = session.scalars(select(RepairRequest).where(
            RepairRequest.order_id == order.id, RepairRequest.item_id == item_id,
            RepairRequest.status == "requested")).first()
        if open_request is not None:
            raise RuleViolation(f"item {item_id} already has an open repair request "
                                f"{open_request.id}", hint="give the customer that id")
        request = RepairRequest(
            id=_repair_id(session, order.id, item_id), customer_id=order.customer_id,
            order_id=order.id, item_id=item_id, problem=problem.strip(),
            in_warranty=status.covered, status="requested", created_at=clock.now())
        session.add(request)
        return RepairRequestInfo(request.id, order.id, item_id, request.in_warranty,
                                 request.status, request.created_at)


@tool()
def refund_status(store: Store, order_id: str) -> RefundStatus:
    """Show the refunds of a cancelled order or of an order with a return (or an exchange
    that costs less): the amount, the payment method it goes back to, whether it was sent
    or waits for the returned items, and how long it takes to arrive (store policy).

    Args:
        order_id: The order id, e.g. '#W1234567'.
    """
    with store.session() as session:
        order = load_order(session, order_id)
        policy = load_policy(session)
        sources = {pm.id: pm.source for pm in session.scalars(
            select(PaymentMethod).where(PaymentMethod.customer_id == order.customer_id))}

        def info(amount: Decimal, method: str, state: str) -> RefundInfo:
            source = sources.get(method, method.rsplit("_", 1)[0])
            timing = policy.refund_time(source)
            return RefundInfo(amount, method, source, state, timing.describe("en"),
                              timing.describe("zh"))

        refunds = [info(t.amount, t.payment_method_id, "refunded")
                   for t in order.transactions if t.transaction_type == "refund"]
        for after_sale in order.after_sales:
            if after_sale.status in ("refunded", "completed", "rejected"):
                continue
            if after_sale.kind == "return":
                amount = after_sale.refund_amount
                if amount is None:
                    prices = {line.item_id: line.price for line in order.items}
                    amount = sum((prices.get(i, Decimal(0)) for i in after_sale.item_ids),
                                 Decimal("0.00"))
                refunds.append(info(amount, after_sale.payment_method_id, "pending"))
            elif after_sale.price_difference is not None and after_sale.price_difference < 0:
                refunds.append(info(-after_sale.price_difference,
                                    after_sale.payment_method_id, "pending"))
        if not refunds:
            raise RuleViolation(
                f"order {order.id} is {order.status!r} and has no refund",
                hint="refunds follow a cancellation (cancel_pending_order) or a return of "
                     "delivered items (return_delivered_order_items)")
        return RefundStatus(order.id, order.status, refunds,
                            sum((r.amount for r in refunds), Decimal("0.00")))


@tool()
def get_shipment_tracking(store: Store, order_id: str) -> TrackingReport:
    """Track an order's parcels: for each fulfilment the carrier, tracking numbers, items,
    ship and delivery dates and the tracking events (with English and Chinese text).

    Args:
        order_id: The order id, e.g. '#W1234567'.
    """
    with store.session() as session:
        order = load_order(session, order_id)
        shipments = [
            ShipmentInfo(
                carrier=s.carrier, tracking_ids=list(s.tracking_ids), item_ids=list(s.item_ids),
                shipped_at=clock.aware(s.shipped_at) if s.shipped_at else None,
                delivered_at=clock.aware(s.delivered_at) if s.delivered_at else None,
                events=[TrackingEventInfo(clock.aware(e.at), e.status, e.location,
                                          e.description_en, e.description_zh)
                        for e in s.events])
            for s in order.shipments
        ]
        note = ""
        if not shipments:
            note = {"cancelled": "the order was cancelled before it shipped"}.get(
                order.status, "the order has not shipped yet")
        return TrackingReport(order.id, order.status, shipments, note)
