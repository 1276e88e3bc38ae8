"""Wrong actions are refused with a message naming the reason, and change nothing.

Each case compares a full dump of the database before and after the refused call, on
SQLite and on PostgreSQL. The refusal cases share one shop per backend (each proves it
left the shop as it found it); tests that change the shop get their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from kefu.errors import InvalidInput, KefuError, NotFound, RuleViolation
from kefu.store import Store, open_store
from kefu.store import models as m
from kefu.store.clock import frozen_at
from kefu.tools import call_tool
from tests.conftest import POSTGRES_URL, require_postgres
from tests.store.dump import db_dump
from tests.store.tau_shop import (
    BLUE_M,
    CARD,
    GIFT,
    GREEN_L,
    PAYPAL,
    RED_M,
    SHOE_40,
    SHOE_41,
    WHITE_S,
    build_tau_shop,
)


@pytest.fixture
def shop(store_url: str) -> Iterator[Store]:
    store = open_store(store_url)
    build_tau_shop(store)
    yield store
    store.dispose()


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_shop(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One shop per backend for the whole module (only for calls that must change nothing)."""
    if request.param == "sqlite":
        store = open_store(f"sqlite:///{tmp_path_factory.mktemp('shop') / 'store.db'}")
        build_tau_shop(store)
        yield store
        store.dispose()
        return
    require_postgres()
    schema = f"kefu_test_refusals_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    store = open_store(f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}")
    try:
        build_tau_shop(store)
        yield store
    finally:
        store.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _refused(store: Store, error: type[KefuError], match: str, name: str,
             **kwargs: Any) -> KefuError:
    before = db_dump(store)
    with pytest.raises(error, match=match) as caught:
        call_tool(store, name, kwargs)
    assert db_dump(store) == before, f"{name} changed the store although it was refused"
    return caught.value


ITEMS = {"item_ids": [RED_M], "new_item_ids": [BLUE_M], "payment_method_id": CARD}
ADDRESS = {"address1": "5 Xizang Road", "address2": "", "city": "Shanghai", "state": "SH",
           "country": "China", "zip": "200003"}

CASES: list[tuple[str, type[KefuError], str, str, dict[str, Any]]] = [
    # (case id, error, message pattern, tool, arguments)
    ("cancel delivered", RuleViolation,
     r"order #W1000002 is delivered; only pending orders can be cancelled",
     "cancel_pending_order", {"order_id": "#W1000002", "reason": "no longer needed"}),
    ("cancel processed", RuleViolation, r"is processed; only pending orders can be cancelled",
     "cancel_pending_order", {"order_id": "#W1000003", "reason": "ordered by mistake"}),
    ("cancel cancelled", RuleViolation, r"is cancelled; only pending",
     "cancel_pending_order", {"order_id": "#W1000004", "reason": "ordered by mistake"}),
    ("cancel bad reason", InvalidInput, r"invalid cancellation reason 'too slow'.*'no longer "
     r"needed' or 'ordered by mistake'",
     "cancel_pending_order", {"order_id": "#W1000001", "reason": "too slow"}),
    ("return pending", RuleViolation,
     r"order #W1000001 is pending; only delivered orders can be returned.*not been delivered",
     "return_delivered_order_items",
     {"order_id": "#W1000001", "item_ids": [RED_M], "payment_method_id": CARD}),
    ("exchange pending", RuleViolation, r"only delivered orders can be exchanged",
     "exchange_delivered_order_items", {"order_id": "#W1000001", **ITEMS}),
    ("modify delivered", RuleViolation, r"is delivered; only pending orders can be modified",
     "modify_pending_order_items",
     {"order_id": "#W1000002", "item_ids": [BLUE_M], "new_item_ids": [RED_M],
      "payment_method_id": CARD}),
    ("address of processed", RuleViolation, r"only pending orders can be modified",
     "modify_pending_order_address", {"order_id": "#W1000003", **ADDRESS}),
    ("exchange to another product", RuleViolation,
     r"item 2000000001 is a Running Shoes, not a T-Shirt; items can only be exchanged to "
     r"another option of the same product",
     "exchange_delivered_order_items",
     {"order_id": "#W1000002", "item_ids": [BLUE_M], "new_item_ids": [SHOE_40],
      "payment_method_id": CARD}),
    ("modify to another product", RuleViolation, r"same product",
     "modify_pending_order_items",
     {"order_id": "#W1000001", "item_ids": [SHOE_40], "new_item_ids": [WHITE_S],
      "payment_method_id": CARD}),
    ("modify to unavailable item", RuleViolation, r"item 1000000003 \(T-Shirt\) is not "
     r"available", "modify_pending_order_items",
     {"order_id": "#W1000001", "item_ids": [RED_M], "new_item_ids": [GREEN_L],
      "payment_method_id": CARD}),
    ("underfunded gift card pays order", RuleViolation,
     r"gift card gift_card_1001 has a balance of 7.50, less than the 120.00 needed",
     "modify_pending_order_payment", {"order_id": "#W1000001", "payment_method_id": GIFT}),
    ("underfunded gift card pays difference", RuleViolation,
     r"gift card gift_card_1001 has a balance of 7.50, less than the 10.00 needed to pay "
     r"for the modified items", "modify_pending_order_items",
     {"order_id": "#W1000001", "item_ids": [RED_M, RED_M, SHOE_40],
      "new_item_ids": [BLUE_M, BLUE_M, SHOE_41], "payment_method_id": GIFT}),
    ("pay with the same method", RuleViolation, r"already paid with credit_card_1001",
     "modify_pending_order_payment", {"order_id": "#W1000001", "payment_method_id": CARD}),
    ("refund to a third method", RuleViolation,
     r"refund for order #W1000002 cannot go to paypal_1001.*original payment method "
     r"\(credit_card_1001\) or a gift card",
     "return_delivered_order_items",
     {"order_id": "#W1000002", "item_ids": [BLUE_M], "payment_method_id": PAYPAL}),
    ("unknown order", NotFound, r"order #W9999999 not found",
     "get_order_details", {"order_id": "#W9999999"}),
    ("cancel unknown order", NotFound, r"order #W9999999 not found",
     "cancel_pending_order", {"order_id": "#W9999999", "reason": "no longer needed"}),
    ("unknown item in order", NotFound, r"item 1000000004 is not in order #W1000001",
     "modify_pending_order_items",
     {"order_id": "#W1000001", "item_ids": [WHITE_S], "new_item_ids": [BLUE_M],
      "payment_method_id": CARD}),
    ("item named more times than bought", NotFound,
     r"item 1000000002 is named 2 times but order #W1000002 holds 1",
     "return_delivered_order_items",
     {"order_id": "#W1000002", "item_ids": [BLUE_M, BLUE_M], "payment_method_id": CARD}),
    ("unknown new item", NotFound, r"item 1234567890 not found",
     "exchange_delivered_order_items",
     {"order_id": "#W1000002", "item_ids": [BLUE_M], "new_item_ids": ["1234567890"],
      "payment_method_id": CARD}),
    ("unknown payment method", NotFound,
     r"payment method paypal_9999 not found for customer wei_zhang_1001.*credit_card_1001",
     "modify_pending_order_items", {"order_id": "#W1000001", **ITEMS,
                                    "payment_method_id": "paypal_9999"}),
    ("another customer's payment method", NotFound, r"payment method paypal_2002 not found",
     "modify_pending_order_payment",
     {"order_id": "#W1000001", "payment_method_id": "paypal_2002"}),
    ("unknown user", NotFound, r"user nobody_1 not found",
     "modify_user_address", {"user_id": "nobody_1", **ADDRESS}),
    ("unknown product", NotFound, r"product 9999999999 not found",
     "get_product_details", {"product_id": "9999999999"}),
    ("item id given as product id", NotFound, r"1000000001 is an item id, not a product id",
     "get_product_details", {"product_id": RED_M}),
    ("unknown email", NotFound, r"no user with email a@b.c",
     "find_user_id_by_email", {"email": "a@b.c"}),
    ("malformed order id", InvalidInput, r"malformed order id 'W1000001'.*'#W1000001'",
     "cancel_pending_order", {"order_id": "W1000001", "reason": "no longer needed"}),
    ("order id without W", InvalidInput, r"malformed order id '#1000001'",
     "get_order_details", {"order_id": "#1000001"}),
    ("order id with letters", InvalidInput, r"malformed order id '#W10x'",
     "return_delivered_order_items",
     {"order_id": "#W10x", "item_ids": [BLUE_M], "payment_method_id": CARD}),
    ("malformed item id", InvalidInput, r"malformed item id '1000000001; drop'",
     "modify_pending_order_items",
     {"order_id": "#W1000001", "item_ids": ["1000000001; drop"], "new_item_ids": [BLUE_M],
      "payment_method_id": CARD}),
    ("malformed payment method id", InvalidInput, r"malformed payment method id ''",
     "modify_pending_order_payment", {"order_id": "#W1000001", "payment_method_id": ""}),
    ("empty item list", InvalidInput, r"item_ids is empty",
     "return_delivered_order_items",
     {"order_id": "#W1000002", "item_ids": [], "payment_method_id": CARD}),
    ("lists of different length", InvalidInput,
     r"item_ids has 2 items but new_item_ids has 1",
     "modify_pending_order_items",
     {"order_id": "#W1000001", "item_ids": [RED_M, RED_M], "new_item_ids": [BLUE_M],
      "payment_method_id": CARD}),
    ("wrong type", InvalidInput, r"order_id: Input should be a valid string",
     "get_order_details", {"order_id": 1000001}),
    ("string for a list", InvalidInput, r"item_ids: Input should be a valid list",
     "return_delivered_order_items",
     {"order_id": "#W1000002", "item_ids": BLUE_M, "payment_method_id": CARD}),
    ("missing argument", InvalidInput, r"reason: Field required",
     "cancel_pending_order", {"order_id": "#W1000001"}),
    ("extra argument", InvalidInput, r"refund_now: Extra inputs are not permitted",
     "cancel_pending_order",
     {"order_id": "#W1000001", "reason": "no longer needed", "refund_now": True}),
    ("empty city", InvalidInput, r"the address lacks city",
     "modify_pending_order_address", {"order_id": "#W1000001", **ADDRESS, "city": " "}),
    ("calculator code", InvalidInput, r"invalid characters in expression",
     "calculate", {"expression": "__import__('os').system('true')"}),
    ("calculator division by zero", InvalidInput, r"division by zero",
     "calculate", {"expression": "1 / (2 - 2)"}),
    ("calculator power", InvalidInput, r"unsupported operation",
     "calculate", {"expression": "9 ** 9 ** 9"}),
]


@pytest.mark.parametrize(("error", "match", "name", "kwargs"),
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_refused_and_nothing_changed(shared_shop: Store, error: type[KefuError], match: str,
                                     name: str, kwargs: dict[str, Any]) -> None:
    _refused(shared_shop, error, match, name, **kwargs)


def test_items_are_modified_only_once(shop: Store) -> None:
    call_tool(shop, "modify_pending_order_items", {"order_id": "#W1000001", **ITEMS})
    error = _refused(shop, RuleViolation,
                     r"order #W1000001 is pending \(item modified\); only pending orders can "
                     r"be modified", "modify_pending_order_items",
                     order_id="#W1000001", item_ids=[RED_M], new_item_ids=[BLUE_M],
                     payment_method_id=CARD)
    assert "already modified" in str(error)
    _refused(shop, RuleViolation, r"only pending orders can be cancelled",
             "cancel_pending_order", order_id="#W1000001", reason="no longer needed")


def test_a_delivered_order_is_returned_or_exchanged_once(shop: Store) -> None:
    call_tool(shop, "return_delivered_order_items",
              {"order_id": "#W1000002", "item_ids": [BLUE_M], "payment_method_id": CARD})
    _refused(shop, RuleViolation, r"is return requested; only delivered orders can be "
             r"exchanged", "exchange_delivered_order_items", order_id="#W1000002",
             item_ids=[SHOE_41], new_item_ids=[SHOE_40], payment_method_id=CARD)


def test_return_window_is_enforced_when_delivery_date_is_known(shop: Store) -> None:
    with shop.transaction() as session:
        order = session.get(m.Order, "#W1000002")
        assert order is not None
        order.delivered_at = datetime(2026, 11, 1, 12, tzinfo=UTC)
    with frozen_at(datetime(2026, 11, 30, tzinfo=UTC)):
        _refused(shop, RuleViolation, r"delivered on 2026-11-01, more than 7 days ago",
                 "return_delivered_order_items", order_id="#W1000002", item_ids=[BLUE_M],
                 payment_method_id=CARD)
    with frozen_at(datetime(2026, 11, 5, tzinfo=UTC)):
        result = call_tool(shop, "return_delivered_order_items",
                           {"order_id": "#W1000002", "item_ids": [BLUE_M],
                            "payment_method_id": CARD})
    assert result["status"] == "return requested"


def test_a_failing_write_rolls_back_everything(shop: Store,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the first change (here: while building the result) leaves no trace."""
    from kefu.store.operations import orders

    def broken_view(order: m.Order) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(orders, "order_view", broken_view)
    before = db_dump(shop)
    with pytest.raises(RuntimeError, match="disk full"):
        call_tool(shop, "cancel_pending_order",
                  {"order_id": "#W1000005", "reason": "no longer needed"})
    assert db_dump(shop) == before
