"""The demo shop: its size, every order status, bilingual text, consistency, determinism."""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from kefu.store import Store, open_store
from kefu.store.demo import REFERENCE_DATE, STATUS_COUNTS, build_demo_store
from kefu.store.models import (
    Category,
    Coupon,
    Customer,
    Order,
    Product,
    Promotion,
    Shipment,
    WarrantyTerm,
)
from kefu.store.policy import load_policy
from tests.store.demo_support import DEMO_SEED, built_demo, snapshot

log = logging.getLogger(__name__)


def aware(moment):  # type: ignore[no-untyped-def]
    from kefu.store.clock import aware as to_aware

    return to_aware(moment)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres",
                                                            marks=pytest.mark.postgres)])
def test_builds_quickly(backend: str) -> None:
    _, summary, seconds = built_demo(backend)
    log.warning("demo shop on %s built in %.2f s: %s", backend, seconds, summary.counts)
    assert seconds < 30


def test_counts_and_every_status(demo_store: Store) -> None:
    with demo_store.session() as session:
        def count(model: type) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        assert count(Product) >= 150
        assert count(Category) >= 10
        assert count(Customer) == 100
        assert count(Order) == 600
        statuses = Counter(session.scalars(select(Order.status)))
    assert set(statuses) == set(STATUS_COUNTS)
    assert all(n >= 30 for n in statuses.values())


def test_text_is_bilingual(demo_store: Store) -> None:
    with demo_store.session() as session:
        for product in session.scalars(select(Product)):
            assert product.name and product.description_en
            assert re.search(r"[\u4e00-\u9fff]", product.name_zh + product.description_zh)
        for category in session.scalars(select(Category)):
            assert category.name_en and category.name_zh
        for promo in session.scalars(select(Promotion)):
            assert promo.name_en and promo.name_zh and promo.description_zh
        terms = {t.category_id for t in session.scalars(select(WarrantyTerm))}
        assert terms == set(session.scalars(select(Category.id)))
        for shipment in session.scalars(select(Shipment).options(
                selectinload(Shipment.events))):
            assert shipment.events
            for event in shipment.events:
                assert event.description_en and re.search(r"[\u4e00-\u9fff]",
                                                          event.description_zh)


def test_customers_are_half_chinese_half_western(demo_store: Store) -> None:
    with demo_store.session() as session:
        customers = session.scalars(select(Customer)).all()
        session.expunge_all()
    zh = [c for c in customers if c.language == "zh"]
    assert len(zh) == 50
    for c in zh:
        assert re.fullmatch(r"\d{6}", c.zip) and c.phone and c.phone.startswith("+86 1")
        assert re.search(r"[\u4e00-\u9fff]", c.last_name + c.address1 + c.city)
    for c in customers:
        assert re.fullmatch(r"[a-z]+_[a-z]+_\d{4}", c.id)
        if c.language == "en":
            assert re.fullmatch(r"\d{5}", c.zip) and c.country == "USA"


def test_orders_are_consistent(demo_store: Store) -> None:
    with demo_store.session() as session:
        orders = session.scalars(select(Order).options(
            selectinload(Order.items), selectinload(Order.transactions),
            selectinload(Order.shipments).selectinload(Shipment.events),
            selectinload(Order.after_sales))).all()
        recent = old = 0
        for order in orders:
            assert re.fullmatch(r"#W\d{7}", order.id)
            assert order.items and all(re.fullmatch(r"\d{10}", i.item_id) for i in order.items)
            payments = [t for t in order.transactions if t.transaction_type == "payment"]
            refunds = [t for t in order.transactions if t.transaction_type == "refund"]
            assert payments
            if order.status == "cancelled":
                assert order.cancel_reason and not order.shipments
                assert sum(t.amount for t in refunds) == payments[0].amount
            for s in order.shipments:  # nothing happens before the order is placed
                assert aware(order.placed_at) <= aware(s.shipped_at)
                assert all(aware(order.placed_at) <= aware(e.at) for e in s.events)
            if order.status in ("pending", "pending (item modified)"):
                assert not order.shipments and order.delivered_at is None
            if order.status == "processed":
                assert order.shipments and order.delivered_at is None
                assert all(s.events[-1].status != "delivered" for s in order.shipments)
            if order.status in ("delivered", "return requested", "exchange requested"):
                assert order.delivered_at is not None
                delivered = aware(order.delivered_at)
                assert aware(order.placed_at) < delivered <= REFERENCE_DATE
                for s in order.shipments:
                    assert s.carrier in ("SF Express", "JD Logistics", "ZTO Express", "UPS",
                                         "FedEx", "USPS")
                    assert all(re.fullmatch(r"\d{12}", t) for t in s.tracking_ids)
                    assert s.events[-1].status == "delivered"
                    times = [aware(e.at) for e in s.events]
                    assert times == sorted(times)
                if order.status == "delivered":
                    if REFERENCE_DATE - delivered <= timedelta(days=7):
                        recent += 1
                    else:
                        old += 1
            if order.status == "return requested":
                assert [a.kind for a in order.after_sales] == ["return"]
            if order.status == "exchange requested":
                (exchange,) = order.after_sales
                assert exchange.kind == "exchange"
                assert len(exchange.item_ids) == len(exchange.new_item_ids)
                assert exchange.item_ids == sorted(exchange.item_ids)
        # Some delivered orders are inside the 7-day return window, most are past it.
        assert recent >= 10 and old >= 100


def test_customers_buy_to_a_taste(demo_store: Store) -> None:
    """Histories are learnable: a customer's units come mostly from two categories and
    products are bought again (uniform random baskets give about 0.44 and 0.41 here)."""
    from kefu.store.models import OrderItem

    with demo_store.session() as session:
        rows = session.execute(
            select(Order.customer_id, Product.category_id, Product.id)
            .join(OrderItem, OrderItem.order_id == Order.id)
            .join(Product, Product.id == OrderItem.product_id)).all()
    bought: dict[str, list[tuple[str, str]]] = {}
    for customer_id, category_id, product_id in rows:
        bought.setdefault(customer_id, []).append((category_id, product_id))
    shares, repeats = [], []
    for lines in bought.values():
        if len(lines) >= 5:
            top = Counter(c for c, _ in lines).most_common(2)
            shares.append(sum(n for _, n in top) / len(lines))
            repeats.append(len({p for _, p in lines}) < len(lines))
    assert len(shares) >= 80
    assert sum(shares) / len(shares) >= 0.65
    assert sum(repeats) / len(repeats) >= 0.6


def test_offers_policy_and_coupons(demo_store: Store) -> None:
    with demo_store.session() as session:
        promotions = session.scalars(select(Promotion)).all()
        coupons = session.scalars(select(Coupon)).all()
        policy = load_policy(session)
        session.expunge_all()
    states = Counter(
        "active" if aware(p.starts_at) <= REFERENCE_DATE < aware(p.ends_at)
        else "expired" if aware(p.ends_at) <= REFERENCE_DATE else "upcoming"
        for p in promotions)
    assert set(states) == {"active", "expired", "upcoming"}
    assert {p.kind for p in promotions} == {"percentage", "fixed", "threshold"}
    assert {p.scope for p in promotions} == {"all", "category", "brand", "product"}
    assert any(p.name_zh.startswith("双十一") and p.threshold == Decimal("300")
               for p in promotions)
    assert any(c.used_at is not None and c.used_order_id for c in coupons)
    assert any(aware(c.expires_at) < REFERENCE_DATE for c in coupons)
    assert any(c.used_at is None and aware(c.expires_at) > REFERENCE_DATE for c in coupons)
    assert policy.currency == "CNY" and policy.return_window_days == 7
    assert "kefu Demo Shop" in policy.store_name and "示例商城" in policy.store_name


@pytest.mark.slow
def test_same_seed_gives_identical_stores(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = built_demo("sqlite")
    first = snapshot(open_store(url, migrate=False))
    second_store = open_store(f"sqlite:///{tmp_path / 'again.db'}")
    build_demo_store(second_store, seed=DEMO_SEED)
    assert snapshot(second_store) == first
    # The tau-bench export of both builds is byte-identical too.
    from kefu.store.taubench import export_taubench

    export_taubench(open_store(url, migrate=False), tmp_path / "first")
    export_taubench(second_store, tmp_path / "second")
    for name in ("users.json", "products.json", "orders.json"):
        assert (tmp_path / "first" / name).read_bytes() == \
            (tmp_path / "second" / name).read_bytes()
    other_store = open_store(f"sqlite:///{tmp_path / 'other.db'}")
    build_demo_store(other_store, seed=DEMO_SEED + 1)
    assert snapshot(other_store) != first


@pytest.mark.postgres
def test_postgres_build_equals_sqlite_build() -> None:
    sqlite_url, _, _ = built_demo("sqlite")
    postgres_url, _, _ = built_demo("postgres")
    assert snapshot(open_store(postgres_url, migrate=False)) == \
        snapshot(open_store(sqlite_url, migrate=False))


def test_failed_replace_keeps_the_old_data(sqlite_url: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from kefu.store.demo import build as demo_build

    store = open_store(sqlite_url)
    build_demo_store(store, seed=7)
    with store.session() as session:
        before = sorted(session.scalars(select(Customer.id)).all())

    def broken_policy(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_build, "save_policy", broken_policy)
    with pytest.raises(RuntimeError, match="disk full"):
        build_demo_store(store, seed=8, replace=True)
    with store.session() as session:
        assert sorted(session.scalars(select(Customer.id)).all()) == before
