"""Tracking, refunds, warranty, repair requests and handoffs on the small shop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kefu.errors import InvalidInput, NotFound, RuleViolation
from kefu.store import Store, clock
from kefu.store.demo import REFERENCE_DATE
from kefu.store.models import Handoff, Order, RepairRequest
from kefu.store.operations.aftersales import (
    add_months,
    create_repair_request,
    get_shipment_tracking,
    refund_status,
    warranty_status,
)
from kefu.store.operations.handoff import list_open_handoffs, transfer_to_human_agents
from kefu.tools.registry import call_tool, get_tool
from tests.store.demo_support import snapshot
from tests.store.small_shop import (
    BLOCKS_300,
    CANCELLED,
    DELIVERED,
    EAR_BLACK,
    EAR_RED,
    NOW,
    OLD,
    PENDING,
    RETURNING,
    SHIRT_BLUE_L,
    SHIRT_RED_M,
    UNDATED,
    WEI,
    build_small_shop,
)

D = Decimal


@pytest.fixture
def shop(empty_store: Store) -> Iterator[Store]:
    build_small_shop(empty_store)
    with clock.frozen_at(NOW):
        yield empty_store


def test_add_months_clamps_the_day() -> None:
    start = NOW.replace(month=1, day=31)
    assert add_months(start, 1).day == 28
    assert add_months(start, 13) == start.replace(year=2027, month=2, day=28)
    assert add_months(start.replace(year=2027), 13).day == 29  # 2028 is a leap year


def test_warranty_in_and_out_of_window(shop: Store) -> None:
    inside = warranty_status(shop, DELIVERED, EAR_BLACK)
    assert inside.covered and inside.months == 12 and inside.repair_available
    assert inside.warranty_ends == add_months(NOW - timedelta(days=10), 12)
    assert inside.days_left == (inside.warranty_ends.date() - NOW.date()).days == 355
    expired = warranty_status(shop, OLD, EAR_BLACK)
    assert not expired.covered and expired.days_left == 0
    with clock.frozen_at(NOW + timedelta(days=356)):
        assert not warranty_status(shop, DELIVERED, EAR_BLACK).covered


def test_warranty_refusals(shop: Store) -> None:
    with pytest.raises(RuleViolation, match="'pending', not delivered"):
        warranty_status(shop, PENDING, EAR_RED)
    with pytest.raises(NotFound, match=f"item '{EAR_RED}' is not in order") as err:
        warranty_status(shop, DELIVERED, EAR_RED)
    assert EAR_BLACK in str(err.value)  # the hint lists the order's items
    with pytest.raises(RuleViolation, match="'toys' has no warranty term"):
        warranty_status(shop, DELIVERED, BLOCKS_300)
    with pytest.raises(RuleViolation, match="delivery date .* is not recorded"):
        warranty_status(shop, UNDATED, EAR_BLACK)
    with pytest.raises(NotFound):
        warranty_status(shop, "#W9999999", EAR_BLACK)
    with pytest.raises(InvalidInput, match="malformed order id"):
        warranty_status(shop, "order 1", EAR_BLACK)


def test_repair_request_records_warranty_and_is_unique(shop: Store) -> None:
    first = create_repair_request(shop, DELIVERED, EAR_BLACK, "left earbud is silent")
    assert first.request_id.startswith("R") and len(first.request_id) == 9
    assert first.in_warranty and first.status == "requested"
    out = create_repair_request(shop, OLD, EAR_BLACK, "battery drains")
    assert not out.in_warranty and out.request_id != first.request_id
    with shop.session() as session:
        rows = session.scalars(select(RepairRequest).order_by(RepairRequest.created_at)).all()
        assert {(r.order_id, r.customer_id, r.in_warranty) for r in rows} == {
            (DELIVERED, WEI, True), (OLD, WEI, False)}
    before = snapshot(shop)
    with pytest.raises(RuleViolation, match=f"already has an open repair request "
                                            f"{first.request_id}"):
        create_repair_request(shop, DELIVERED, EAR_BLACK, "still silent")
    assert snapshot(shop) == before


@pytest.mark.parametrize(("order_id", "item_id", "error", "message"), [
    (PENDING, EAR_RED, RuleViolation, "not delivered yet"),
    (DELIVERED, SHIRT_RED_M, RuleViolation, "'clothing' are not repaired"),
    (RETURNING, SHIRT_BLUE_L, RuleViolation, "already in a return request"),
    (DELIVERED, EAR_RED, NotFound, "is not in order"),
    (DELIVERED, EAR_BLACK, InvalidInput, "problem must not be empty"),
])
def test_repair_refusals_change_nothing(shop: Store, order_id: str, item_id: str,
                                        error: type[Exception], message: str) -> None:
    before = snapshot(shop)
    problem = "" if error is InvalidInput else "broken"
    with pytest.raises(error, match=message):
        create_repair_request(shop, order_id, item_id, problem)
    assert snapshot(shop) == before


def test_refund_status(shop: Store) -> None:
    cancelled = refund_status(shop, CANCELLED)
    assert [(r.amount, r.source, r.state) for r in cancelled.refunds] == [
        (D("320.00"), "alipay", "refunded")]
    assert cancelled.refunds[0].expected_en == "1-3 business days"
    assert cancelled.refunds[0].expected_zh == "1-3 个工作日"
    returning = refund_status(shop, RETURNING)
    assert [(r.amount, r.payment_method_id, r.state, r.expected_en)
            for r in returning.refunds] == [
        (D("120.00"), "gift_card_2222222", "pending", "immediately")]
    assert returning.total == D("120.00")
    with pytest.raises(RuleViolation, match="'delivered' and has no refund"):
        refund_status(shop, DELIVERED)


def test_tracking(shop: Store) -> None:
    report = get_shipment_tracking(shop, DELIVERED)
    (parcel,) = report.shipments
    assert parcel.carrier == "SF Express" and parcel.tracking_ids == ["123456789012"]
    assert [e.status for e in parcel.events] == ["picked_up", "delivered"]
    assert parcel.events[-1].description_zh == "【顺丰速运】已签收"
    pending = get_shipment_tracking(shop, PENDING)
    assert pending.shipments == [] and "not shipped" in pending.note
    assert "cancelled" in get_shipment_tracking(shop, CANCELLED).note


def test_handoff_is_recorded_and_listed(shop: Store) -> None:
    assert transfer_to_human_agents(shop, "wants a refund to a new card") == \
        "Transfer successful"
    assert call_tool(shop, "transfer_to_human_agents", {
        "summary": "complains about delivery", "user_id": WEI, "conversation_id": "c-1",
        "reason": "complaint"}) == "Transfer successful"
    listed = list_open_handoffs(shop)
    assert [(h.summary, h.user_id, h.reason) for h in listed] == [
        ("wants a refund to a new card", None, "requested"),
        ("complains about delivery", WEI, "complaint")]
    with shop.session() as session:
        assert session.scalars(select(Handoff.conversation_id)).all() == [None, "c-1"]
    with pytest.raises(InvalidInput, match="summary must not be empty"):
        transfer_to_human_agents(shop, "  ")
    assert get_tool("transfer_to_human_agents").writes
    assert get_tool("transfer_to_human_agents").parameters_schema()["required"] == ["summary"]


def test_demo_shop_after_sales(demo_store: Store) -> None:
    with demo_store.session() as session:
        orders = {status: session.scalars(select(Order).where(Order.status == status)
                                          .order_by(Order.id)).first()
                  for status in ("delivered", "cancelled", "return requested", "processed")}
        items = {status: order.items[0].item_id for status, order in orders.items() if order}
        ids = {status: order.id for status, order in orders.items() if order}
        exchanges = session.scalars(select(Order).where(Order.status == "exchange requested")
                                    .options(selectinload(Order.after_sales))).all()
        session.expunge_all()
    with clock.frozen_at(REFERENCE_DATE):
        status = warranty_status(demo_store, ids["delivered"], items["delivered"])
        assert status.months >= 1 and status.warranty_ends > status.delivered_at
        assert refund_status(demo_store, ids["cancelled"]).refunds[0].state == "refunded"
        assert refund_status(demo_store, ids["return requested"]).refunds[0].state == "pending"
        cheaper = next(o for o in exchanges if o.after_sales[0].price_difference < 0)
        (refund,) = refund_status(demo_store, cheaper.id).refunds
        assert refund.amount == -cheaper.after_sales[0].price_difference
        assert refund.state == "pending"
        tracking = get_shipment_tracking(demo_store, ids["processed"])
        assert tracking.shipments and all(
            e.status != "delivered" for s in tracking.shipments for e in s.events)
