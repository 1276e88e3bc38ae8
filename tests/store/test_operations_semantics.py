"""What each tau-bench operation does when it is allowed, including tau-bench's quirks."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from kefu.store import Store, open_store
from kefu.store import models as m
from kefu.store.operations.calculate import evaluate
from kefu.tools import call_tool
from tests.store.tau_shop import (
    BLUE_M,
    CARD,
    GIFT,
    PAYPAL,
    RED_M,
    SHIRT,
    SHOE_40,
    SHOE_41,
    USER,
    WHITE_S,
    build_tau_shop,
)


@pytest.fixture
def shop(sqlite_url: str) -> Iterator[Store]:
    store = open_store(sqlite_url)
    build_tau_shop(store)
    yield store
    store.dispose()


def _balance(store: Store, pm_id: str) -> Decimal | None:
    with store.session() as session:
        pm = session.get(m.PaymentMethod, pm_id)
        assert pm is not None
        return pm.balance


def test_lookups(shop: Store) -> None:
    assert call_tool(shop, "find_user_id_by_email", {"email": "wei.zhang@EXAMPLE.com"}) == USER
    assert call_tool(shop, "find_user_id_by_name_zip",
                     {"first_name": "wei", "last_name": "ZHANG", "zip": "200001"}) == USER
    user = call_tool(shop, "get_user_details", {"user_id": USER})
    assert user["orders"] == ["#W1000001", "#W1000002", "#W1000003", "#W1000004",
                              "#W1000005"]
    assert user["payment_methods"][GIFT] == {"source": "gift_card", "id": GIFT,
                                             "balance": 7.5}
    assert "phone" not in user  # unset kefu extras are left out, as in tau-bench's JSON
    assert call_tool(shop, "list_all_product_types", {}) == {
        "Running Shoes": "6000000002", "T-Shirt": SHIRT}
    product = call_tool(shop, "get_product_details", {"product_id": SHIRT})
    assert list(product["variants"]) == [RED_M, BLUE_M, "1000000003", WHITE_S]
    assert call_tool(shop, "get_item_details", {"item_id": BLUE_M}) == {
        "item_id": BLUE_M, "product_id": SHIRT, "product_name": "T-Shirt",
        "options": {"color": "blue", "size": "M"}, "available": True, "price": 22.5}


def test_cancel_refunds_each_payment_and_a_gift_card_at_once(shop: Store) -> None:
    order = call_tool(shop, "cancel_pending_order",
                      {"order_id": "#W1000005", "reason": "ordered by mistake"})
    assert order["status"] == "cancelled"
    assert order["cancel_reason"] == "ordered by mistake"
    assert order["payment_history"] == [
        {"transaction_type": "payment", "amount": 18.0, "payment_method_id": GIFT},
        {"transaction_type": "refund", "amount": 18.0, "payment_method_id": GIFT},
    ]
    assert _balance(shop, GIFT) == Decimal("25.50")


def test_cancel_after_a_payment_change_refunds_every_entry(shop: Store) -> None:
    """tau-bench refunds each payment-history entry, refunds included (a quirk kept)."""
    call_tool(shop, "modify_pending_order_payment",
              {"order_id": "#W1000001", "payment_method_id": PAYPAL})
    order = call_tool(shop, "cancel_pending_order",
                      {"order_id": "#W1000001", "reason": "no longer needed"})
    assert [(p["transaction_type"], p["payment_method_id"]) for p in
            order["payment_history"]] == [
        ("payment", CARD), ("payment", PAYPAL), ("refund", CARD),
        ("refund", CARD), ("refund", PAYPAL), ("refund", CARD)]


def test_modify_payment_pays_with_the_new_method_and_refunds_the_old(shop: Store) -> None:
    with shop.transaction() as session:
        gift = session.get(m.PaymentMethod, GIFT)
        assert gift is not None
        gift.balance = Decimal("200.00")
    order = call_tool(shop, "modify_pending_order_payment",
                      {"order_id": "#W1000001", "payment_method_id": GIFT})
    assert order["status"] == "pending"
    assert order["payment_history"][1:] == [
        {"transaction_type": "payment", "amount": 120.0, "payment_method_id": GIFT},
        {"transaction_type": "refund", "amount": 120.0, "payment_method_id": CARD},
    ]
    assert _balance(shop, GIFT) == Decimal("80.00")


def test_modify_items_changes_the_first_lines_and_settles_the_difference(shop: Store) -> None:
    order = call_tool(shop, "modify_pending_order_items", {
        "order_id": "#W1000001", "item_ids": [RED_M, SHOE_40],
        "new_item_ids": [BLUE_M, SHOE_41], "payment_method_id": GIFT})
    assert [line["item_id"] for line in order["items"]] == [BLUE_M, RED_M, SHOE_41]
    assert order["items"][0]["price"] == 22.5
    assert order["items"][0]["options"] == {"color": "blue", "size": "M"}
    assert order["status"] == "pending (item modified)"
    assert order["payment_history"][-1] == {"transaction_type": "payment", "amount": 7.5,
                                            "payment_method_id": GIFT}
    assert _balance(shop, GIFT) == Decimal("0.00")


def test_modify_an_item_named_twice_changes_two_lines(shop: Store) -> None:
    order = call_tool(shop, "modify_pending_order_items", {
        "order_id": "#W1000001", "item_ids": [RED_M, RED_M],
        "new_item_ids": [WHITE_S, BLUE_M], "payment_method_id": CARD})
    assert [line["item_id"] for line in order["items"]] == [WHITE_S, BLUE_M, SHOE_40]
    assert order["payment_history"][-1] == {"transaction_type": "payment", "amount": 0.5,
                                            "payment_method_id": CARD}


def test_return_records_sorted_items_and_the_refund_destination(shop: Store) -> None:
    order = call_tool(shop, "return_delivered_order_items", {
        "order_id": "#W1000002", "item_ids": [SHOE_41, BLUE_M], "payment_method_id": GIFT})
    assert order["status"] == "return requested"
    assert order["return_items"] == [BLUE_M, SHOE_41]
    assert order["return_payment_method_id"] == GIFT
    assert len(order["payment_history"]) == 1  # money moves when the items arrive
    with shop.session() as session:
        request = session.query(m.AfterSale).one()
        assert request.refund_amount == Decimal("107.50")


def test_exchange_records_the_price_difference_without_charging(shop: Store) -> None:
    order = call_tool(shop, "exchange_delivered_order_items", {
        "order_id": "#W1000002", "item_ids": [SHOE_41, BLUE_M],
        "new_item_ids": [SHOE_40, BLUE_M], "payment_method_id": CARD})
    assert order["status"] == "exchange requested"
    assert order["exchange_items"] == [BLUE_M, SHOE_41]
    assert order["exchange_new_items"] == [BLUE_M, SHOE_40]
    assert order["exchange_price_difference"] == -5.0
    assert order["exchange_payment_method_id"] == CARD
    assert len(order["payment_history"]) == 1


def test_addresses(shop: Store) -> None:
    new = {"address1": "5 Xizang Road", "address2": "Room 3", "city": "Shanghai",
           "state": "SH", "country": "China", "zip": "200003"}
    order = call_tool(shop, "modify_pending_order_address", {"order_id": "#W1000001", **new})
    assert order["address"] == new
    user = call_tool(shop, "modify_user_address", {"user_id": USER, **new})
    assert user["address"] == new
    assert call_tool(shop, "get_order_details",
                     {"order_id": "#W1000005"})["address"]["zip"] == "200001"


@pytest.mark.parametrize(("expression", "value"), [
    ("2 + 2", 4), ("155.33 - 147.05 + 268.77 - 235.13", 155.33 - 147.05 + 268.77 - 235.13),
    ("(148.5 - 99.99) * 2", 97.02), ("-3 / 4", -0.75), (" 164.28 ", 164.28),
])
def test_calculate(shop: Store, expression: str, value: float) -> None:
    assert evaluate(expression) == pytest.approx(value)
    assert call_tool(shop, "calculate", {"expression": expression}) == round(value, 2)


@pytest.mark.postgres
def test_concurrent_writes_to_one_gift_card_are_serialized(
        postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two agents at once: a cancel refunding a gift card and a payment change taking from
    it. Each loads the balance, then waits; the customer lock makes the second wait for the
    first to commit and read the new balance, so neither change is lost."""
    import threading
    import time

    from kefu.store.operations import _load

    store = open_store(postgres_url)
    build_tau_shop(store)
    with store.transaction() as session:
        gift = session.get(m.PaymentMethod, GIFT)
        assert gift is not None
        gift.balance = Decimal("120.00")
    load_order = _load.order

    def slow_order(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = load_order(*args, **kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(_load, "order", slow_order)
    errors: list[BaseException] = []

    def run(name: str, kwargs: dict[str, str]) -> None:
        try:
            call_tool(store, name, kwargs)
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=("cancel_pending_order",
                                           {"order_id": "#W1000005",
                                            "reason": "no longer needed"})),
        threading.Thread(target=run, args=("modify_pending_order_payment",
                                           {"order_id": "#W1000001",
                                            "payment_method_id": GIFT})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _balance(store, GIFT) == Decimal("18.00")  # 120 + 18 refunded - 120 paid
    store.dispose()
