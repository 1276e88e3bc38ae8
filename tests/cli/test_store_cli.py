"""`kefu store demo`, `show-order` and `show-customer`, run in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from kefu.cli.app import app
from kefu.errors import InvalidInput, NotFound, RuleViolation
from kefu.store import open_store
from kefu.store.models import Customer, Order
from tests.store.demo_support import built_demo

runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env={"COLUMNS": "160"})


@pytest.fixture(scope="module")
def demo_url() -> str:
    return built_demo("sqlite")[0]


@pytest.mark.slow
def test_demo_builds_and_refuses_to_overwrite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    result = invoke("store", "demo", "--seed", "3", "--database-url", url)
    assert result.exit_code == 0, result.output
    assert "Built the demo shop (seed 3)" in result.output
    assert "100 customers, 600 orders" in result.output

    again = invoke("store", "demo", "--database-url", url)
    assert isinstance(again.exception, RuleViolation)
    assert "--force" in str(again.exception)

    forced = invoke("store", "demo", "--seed", "4", "--force", "--database-url", url)
    assert forced.exit_code == 0, forced.output
    with open_store(url).session() as session:
        assert len(session.scalars(select(Order.id)).all()) == 600


def test_show_order_table_and_json(demo_url: str) -> None:
    with open_store(demo_url, migrate=False).session() as session:
        order = session.scalars(select(Order).where(Order.status == "delivered")
                                .order_by(Order.id)).first()
        assert order is not None
        order_id, first_item = order.id, order.items[0]
        carrier = order.shipments[0].carrier
        item_id, name = first_item.item_id, first_item.name
    result = invoke("store", "show-order", order_id, "--database-url", demo_url)
    assert result.exit_code == 0, result.output
    for text in (f"Order {order_id}", "delivered", item_id, name, carrier, "Payments", "¥",
                 "已签收"):
        assert text in result.output

    as_json = invoke("store", "show-order", order_id, "--json", "--database-url", demo_url)
    data = json.loads(as_json.output)
    assert data["order_id"] == order_id and data["status"] == "delivered"
    assert data["fulfillments"][0]["events"][-1]["status"] == "delivered"


def test_show_customer_table_and_json(demo_url: str) -> None:
    with open_store(demo_url, migrate=False).session() as session:
        customer = session.scalars(select(Customer).where(Customer.language == "zh")
                                   .order_by(Customer.id)).first()
        assert customer is not None
        user_id, email, first_order = customer.id, customer.email, customer.orders[0].id
    result = invoke("store", "show-customer", user_id, "--database-url", demo_url)
    assert result.exit_code == 0, result.output
    for text in (f"Customer {user_id}", email, "Payment methods", first_order):
        assert text in result.output
    data = json.loads(invoke("store", "show-customer", user_id, "--json",
                             "--database-url", demo_url).output)
    assert data["email"] == email and data["language"] == "zh"
    assert first_order in data["orders"]


def test_show_unknown_records_are_refused(demo_url: str) -> None:
    missing = invoke("store", "show-order", "#W0000000", "--database-url", demo_url)
    assert isinstance(missing.exception, NotFound)
    malformed = invoke("store", "show-order", "12345", "--database-url", demo_url)
    assert isinstance(malformed.exception, InvalidInput)
    nobody = invoke("store", "show-customer", "nobody_here_0000", "--database-url", demo_url)
    assert isinstance(nobody.exception, NotFound)
