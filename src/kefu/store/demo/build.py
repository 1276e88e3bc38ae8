"""Generating the demo shop from the hand-written tables, deterministically.

Everything comes from ``random.Random(seed)`` and the fixed :data:`REFERENCE_DATE`, never
from the clock, so the same seed gives the same store, row for row.
"""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from kefu.store import models as m
from kefu.store.db import Store, delete_all
from kefu.store.demo import catalog, offers, people, tastes
from kefu.store.policy import StorePolicy, save_policy

REFERENCE_DATE = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
DEFAULT_SEED = 2026
STORE_NAME = "kefu 示例商城 / kefu Demo Shop"

# How many orders of each status the demo has (600 in all).
STATUS_COUNTS = {
    "pending": 80, "pending (item modified)": 40, "processed": 90, "delivered": 220,
    "cancelled": 70, "return requested": 50, "exchange requested": 50,
}
N_CUSTOMERS = 100


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    counts: dict[str, int]
    orders_by_status: dict[str, int]
    seconds: float = field(default=0.0, compare=False)


def demo_policy() -> StorePolicy:
    return StorePolicy(store_name=STORE_NAME, currency="CNY", return_window_days=7,
                       exchange_window_days=15)


class _Ids:
    """Unique random digit ids (product, item, order, tracking numbers...)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def digits(self, n: int, prefix: str = "") -> str:
        while True:
            value = prefix + str(self.rng.randrange(10 ** (n - 1), 10 ** n))
            if value not in self.used:
                self.used.add(value)
                return value


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def _retail_price(rng: random.Random, low: int, high: int) -> Decimal:
    """A shop-like price: 199.00, 1299.00, 89.90 ..."""
    base = rng.uniform(low, high)
    if base >= 100:
        return Decimal(int(base / 10) * 10 + 9)
    return _money(int(base) + 0.9)


# -- catalog ------------------------------------------------------------------------------

@dataclass
class _Catalog:
    categories: list[m.Category]
    terms: list[m.WarrantyTerm]
    products: list[m.Product]
    by_type: dict[str, list[m.Product]]


def _options_text(dims: Sequence[catalog.OptionDim], chosen: Sequence[Sequence[int]]
                  ) -> tuple[str, str]:
    en = "; ".join(f"{d.key}: {', '.join(d.values[i][0] for i in idx)}"
                   for d, idx in zip(dims, chosen, strict=True))
    zh = "；".join(f"{d.name_zh}：{'、'.join(d.values[i][1] for i in idx)}"
                   for d, idx in zip(dims, chosen, strict=True))
    return f"Options — {en}.", f"可选{zh}。"


def _build_catalog(rng: random.Random, ids: _Ids) -> _Catalog:
    categories = [m.Category(id=c.id, name_en=c.name_en, name_zh=c.name_zh)
                  for c in catalog.CATEGORIES]
    terms = [m.WarrantyTerm(category_id=c.id, months=c.warranty_months,
                            repair_available=c.repair_available, description_en=c.warranty_en,
                            description_zh=c.warranty_zh) for c in catalog.CATEGORIES]
    products: list[m.Product] = []
    by_type: dict[str, list[m.Product]] = {}
    for ptype in catalog.PRODUCT_TYPES:
        brands = catalog.BRANDS[ptype.category]
        if ptype.titles:
            names = [(title_en, title_zh, brands[i % len(brands)][0])
                     for i, (title_en, title_zh) in enumerate(ptype.titles)]
        else:
            count = rng.choice((2, 2, 3))
            picked = rng.sample(brands, k=min(count, len(brands)))
            names = []
            for brand_en, brand_zh in picked:
                series = rng.choice(catalog.SERIES)
                names.append((f"{brand_en} {ptype.en} {series}".strip(),
                              f"{brand_zh}{ptype.zh} {series}".strip(), brand_en))
        for name_en, name_zh, brand in names:
            chosen = [sorted(rng.sample(range(len(d.values)), k=min(len(d.values),
                                                                   rng.choice((2, 3, 3, 4)))))
                      for d in ptype.dims]
            opt_en, opt_zh = _options_text(ptype.dims, chosen)
            product = m.Product(
                id=ids.digits(10), name=name_en, name_zh=name_zh,
                description_en=f"{ptype.desc_en} {opt_en}",
                description_zh=f"{ptype.desc_zh}{opt_zh}",
                category_id=ptype.category, brand=brand, position=len(products))
            base = _retail_price(rng, *ptype.price)
            combos = list(itertools.product(*chosen))[:8]
            for position, combo in enumerate(combos):
                options = {d.key: d.values[i][0] for d, i in zip(ptype.dims, combo, strict=True)}
                steps = sum(rank for d, idx, i in zip(ptype.dims, chosen, combo, strict=True)
                            if d.priced for rank in [idx.index(i)])
                price = base * (Decimal(1) + Decimal("0.25") * steps)
                price = price.quantize(Decimal("1")) if price >= 100 else _money(float(price))
                available = rng.random() > 0.15
                product.variants.append(m.Variant(
                    id=ids.digits(10), position=position, options=options, price=price,
                    available=available, stock=rng.randrange(5, 300) if available else 0))
            products.append(product)
            by_type.setdefault(ptype.en, []).append(product)
    return _Catalog(categories, terms, products, by_type)


# -- customers ----------------------------------------------------------------------------

def _chinese_customer(rng: random.Random, ids: _Ids, number: str) -> m.Customer:
    surname, surname_py = rng.choice(people.CN_SURNAMES)
    given, given_py = rng.choice(people.CN_GIVEN)
    province, city, post, districts = rng.choice(people.CN_PLACES)
    district, streets = rng.choice(districts)
    phone = f"{rng.choice(people.CN_MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
    return m.Customer(
        id=f"{given_py}_{surname_py}_{number}", first_name=given, last_name=surname,
        email=f"{given_py}.{surname_py}{number}@example.com",
        phone=f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}", language="zh",
        address1=f"{district}{rng.choice(streets)}{rng.randrange(1, 300)}号",
        address2=f"{rng.choice(people.CN_BUILDINGS)}{rng.randrange(1, 30)}栋"
                 f"{rng.randrange(1, 33)}{rng.randrange(1, 5):02d}室",
        city=city, state=province, country="China", zip=f"{post}{rng.randrange(1000):03d}",
    )


def _western_customer(rng: random.Random, ids: _Ids, number: str) -> m.Customer:
    first = rng.choice(people.WESTERN_FIRST)
    last = rng.choice(people.WESTERN_LAST)
    state, city, zip_prefix, area, streets = rng.choice(people.US_PLACES)
    return m.Customer(
        id=f"{first.lower()}_{last.lower()}_{number}", first_name=first, last_name=last,
        email=f"{first.lower()}.{last.lower()}{number}@example.com",
        phone=f"+1 {area}-555-{rng.randrange(10000):04d}", language="en",
        address1=f"{rng.randrange(10, 9999)} {rng.choice(streets)}",
        address2=rng.choice(("", f"Suite {rng.randrange(100, 999)}",
                             f"Apt {rng.randrange(1, 30)}{rng.choice('ABCD')}")),
        city=city, state=state, country="USA", zip=f"{zip_prefix}{rng.randrange(100):02d}",
    )


def _payment_methods(rng: random.Random, ids: _Ids, customer: m.Customer) -> None:
    if customer.language == "zh":
        sources = ["alipay", "wechat_pay"]
        sources = rng.sample(sources, k=rng.choice((1, 2))) + (
            ["credit_card"] if rng.random() < 0.4 else [])
    else:
        sources = ["credit_card"] + rng.sample(["paypal", "gift_card", "credit_card"],
                                               k=rng.choice((0, 1, 2)))
    if rng.random() < 0.3 and "gift_card" not in sources:
        sources.append("gift_card")
    for position, source in enumerate(sources):
        method = m.PaymentMethod(id=f"{source}_{ids.digits(7)}", position=position,
                                 source=source)
        if source == "credit_card":
            method.brand = "unionpay" if customer.language == "zh" else rng.choice(
                ("visa", "mastercard", "amex"))
            method.last_four = f"{rng.randrange(10000):04d}"
        elif source == "gift_card":
            method.balance = Decimal(rng.choice((0, 50, 100, 200, 500, 1000, 2000)))
        customer.payment_methods.append(method)


def _build_customers(rng: random.Random, ids: _Ids) -> list[m.Customer]:
    customers: list[m.Customer] = []
    seen: set[str] = set()
    while len(customers) < N_CUSTOMERS:
        make = _chinese_customer if len(customers) % 2 == 0 else _western_customer
        customer = make(rng, ids, f"{rng.randrange(1000, 10000)}")
        if customer.id in seen:
            continue
        seen.add(customer.id)
        customer.created_at = REFERENCE_DATE - timedelta(days=rng.randrange(30, 900))
        _payment_methods(rng, ids, customer)
        customers.append(customer)
    return customers


# -- orders -------------------------------------------------------------------------------

def _events(rng: random.Random, customer: m.Customer, carrier: tuple[str, str, str, str],
            placed: datetime, shipped: datetime,
            delivered: datetime | None) -> list[m.TrackingEvent]:
    name, name_zh, hub_en, hub_zh = carrier
    zh = customer.language == "zh"
    city = customer.city if zh else f"{customer.city}, {customer.state}"
    city_en = people.CN_CITY_EN.get(customer.city, customer.city) if zh else city
    hub = hub_zh if zh else hub_en
    steps = [
        # the label is printed after the order is placed, some hours before pickup
        (max(shipped - timedelta(hours=rng.randrange(2, 10)), placed + timedelta(minutes=20)),
         "label_created", hub,
         f"{name}: shipping label created, waiting for pickup",
         f"【{name_zh}】商家已发货，等待揽收"),
        (shipped, "picked_up", hub, f"{name}: picked up", f"【{name_zh}】快件已揽收"),
        (shipped + timedelta(hours=rng.randrange(6, 20)), "in_transit", hub,
         f"{name}: departed {hub_en}", f"【{name_zh}】快件已从{hub_zh}发出"),
        (shipped + timedelta(hours=rng.randrange(24, 40)), "arrived", city,
         f"{name}: arrived at the {city_en} sorting facility",
         f"【{name_zh}】快件已到达{customer.city}分拣中心"),
    ]
    if delivered is not None:
        steps = [s for s in steps if s[0] < delivered - timedelta(hours=4)]
        steps += [
            (delivered - timedelta(hours=3), "out_for_delivery", city,
             f"{name}: out for delivery", f"【{name_zh}】快递员正在派送中，请保持电话畅通"),
            (delivered, "delivered", city, f"{name}: delivered, signed for by the recipient",
             f"【{name_zh}】已签收，签收人：本人"),
        ]
    else:
        steps = [s for s in steps if s[0] <= REFERENCE_DATE]
    return [m.TrackingEvent(at=at, status=status, location=loc, description_en=en,
                            description_zh=zh_text)
            for at, status, loc, en, zh_text in steps]


def _pay_with(rng: random.Random, customer: m.Customer, amount: Decimal) -> str:
    methods = [pm for pm in customer.payment_methods
               if pm.source != "gift_card" or (pm.balance or 0) >= amount]
    return rng.choice(methods).id


def _placed(rng: random.Random, status: str) -> datetime:
    if status in ("pending", "pending (item modified)"):
        days = rng.uniform(0.05, 2)
    elif status == "processed":
        days = rng.uniform(1.5, 4)
    elif status in ("return requested", "exchange requested"):
        days = rng.uniform(4, 12)
    elif status == "delivered":
        # A quarter delivered recently (inside the 7-day return window), the rest earlier.
        days = rng.uniform(4, 10) if rng.random() < 0.25 else rng.uniform(10, 180)
    else:
        days = rng.uniform(1, 150)
    return (REFERENCE_DATE - timedelta(days=days)).replace(microsecond=0)


def _other_variant(rng: random.Random, variant: m.Variant) -> m.Variant | None:
    others = [v for v in variant.product.variants if v.id != variant.id and v.available]
    return rng.choice(others) if others else None


def _build_order(rng: random.Random, ids: _Ids, customer: m.Customer, status: str,
                 variants: list[m.Variant]) -> m.Order:
    placed = _placed(rng, status)
    order = m.Order(id=f"#W{ids.digits(7)}", customer_id=customer.id, status=status,
                    placed_at=placed, **customer.address_dict())
    units = rng.choices(variants, k=rng.choices((1, 2, 3, 4), weights=(40, 30, 20, 10))[0])
    for position, variant in enumerate(units):
        order.items.append(m.OrderItem(
            position=position, product_id=variant.product.id, item_id=variant.id,
            name=variant.product.name, price=variant.price, options=dict(variant.options)))
    total = sum((line.price for line in order.items), Decimal("0.00"))
    method = _pay_with(rng, customer, total)
    order.transactions.append(m.Transaction(position=0, transaction_type="payment",
                                            amount=total, payment_method_id=method,
                                            created_at=placed))
    if status == "cancelled":
        order.cancel_reason = rng.choice(("no longer needed", "ordered by mistake"))
        order.transactions.append(m.Transaction(
            position=1, transaction_type="refund", amount=total, payment_method_id=method,
            created_at=placed + timedelta(hours=rng.randrange(1, 30))))
    elif status == "pending (item modified)":
        line = order.items[0]
        variant = next(v for v in variants if v.id == line.item_id)
        new = _other_variant(rng, variant)
        if new is not None:
            difference = new.price - line.price
            line.item_id, line.price, line.options = new.id, new.price, dict(new.options)
            if difference:
                order.transactions.append(m.Transaction(
                    position=1, transaction_type="payment" if difference > 0 else "refund",
                    amount=abs(difference), payment_method_id=method,
                    created_at=placed + timedelta(minutes=rng.randrange(10, 600))))
    if status in ("processed", "delivered", "return requested", "exchange requested"):
        _ship(rng, ids, customer, order, status)
    if status in ("return requested", "exchange requested"):
        _after_sale(rng, order, variants, method, status)
    return order


def _ship(rng: random.Random, ids: _Ids, customer: m.Customer, order: m.Order,
          status: str) -> None:
    assert order.placed_at is not None
    carriers = people.CN_CARRIERS if customer.language == "zh" else people.US_CARRIERS
    item_ids = [line.item_id for line in order.items]
    parcels = [item_ids]
    if len(item_ids) >= 3 and rng.random() < 0.3:
        parcels = [item_ids[:1], item_ids[1:]]
    latest: datetime | None = None
    for position, parcel in enumerate(parcels):
        carrier = rng.choice(carriers)
        shipped = order.placed_at + timedelta(hours=rng.randrange(6, 30))
        delivered = None
        if status != "processed":
            delivered = shipped + timedelta(hours=rng.randrange(30, 90))
            if delivered > REFERENCE_DATE - timedelta(hours=1):
                delivered = REFERENCE_DATE - timedelta(hours=rng.randrange(1, 5))
            latest = max(latest, delivered) if latest else delivered
        order.shipments.append(m.Shipment(
            position=position, carrier=carrier[0], tracking_ids=[ids.digits(12)],
            item_ids=list(parcel), shipped_at=shipped, delivered_at=delivered,
            events=_events(rng, customer, carrier, order.placed_at, shipped, delivered)))
    order.delivered_at = latest


def _after_sale(rng: random.Random, order: m.Order, variants: list[m.Variant], method: str,
                status: str) -> None:
    assert order.delivered_at is not None
    lines = rng.sample(order.items, k=rng.randrange(1, len(order.items) + 1))
    asked = order.delivered_at + timedelta(
        hours=rng.uniform(1, max(1.5, (REFERENCE_DATE - order.delivered_at).total_seconds()
                                 / 3600 - 1)))
    item_ids = sorted(line.item_id for line in lines)
    if status == "return requested":
        order.after_sales.append(m.AfterSale(
            kind="return", status="requested", item_ids=item_ids, new_item_ids=[],
            payment_method_id=method, created_at=asked,
            refund_amount=sum((line.price for line in lines), Decimal("0.00"))))
        return
    by_id = {v.id: v for v in variants}
    old, new, difference = [], [], Decimal("0.00")
    for line in sorted(lines, key=lambda x: x.item_id):
        replacement = _other_variant(rng, by_id[line.item_id])
        if replacement is None:
            continue
        old.append(line.item_id)
        new.append(replacement.id)
        difference += replacement.price - line.price
    if not old:  # nothing to exchange it for: the customer asked for a return instead
        order.status = "return requested"
        _after_sale(rng, order, variants, method, "return requested")
        return
    order.after_sales.append(m.AfterSale(
        kind="exchange", status="requested", item_ids=old, new_item_ids=new,
        payment_method_id=method, price_difference=difference, created_at=asked))


def _build_orders(rng: random.Random, ids: _Ids, customers: list[m.Customer],
                  products: list[m.Product]) -> list[m.Order]:
    statuses = [s for s, n in STATUS_COUNTS.items() for _ in range(n)]
    rng.shuffle(statuses)
    variants = [v for p in products for v in p.variants if v.available]
    owners = customers + [rng.choice(customers) for _ in range(len(statuses) - len(customers))]
    orders = [_build_order(rng, ids, owner, status, variants)
              for owner, status in zip(owners, statuses, strict=True)]
    # Each customer's orders in the order they were placed (tau-bench lists them so).
    by_customer: dict[str, list[m.Order]] = {}
    for order in orders:
        by_customer.setdefault(order.customer_id, []).append(order)
    for own in by_customer.values():
        for seq, order in enumerate(sorted(own, key=lambda o: (o.placed_at, o.id))):
            order.seq = seq
    return orders


# -- offers -------------------------------------------------------------------------------

def _build_promotions(cat: _Catalog) -> list[m.Promotion]:
    result = []
    for spec in offers.PROMOTIONS:
        values = [cat.by_type[v[len("{product:"):-1]][0].id if v.startswith("{product:") else v
                  for v in spec.scope_values]
        starts, ends = spec.window()
        result.append(m.Promotion(
            id=spec.id, name_en=spec.name_en, name_zh=spec.name_zh,
            description_en=spec.description_en, description_zh=spec.description_zh,
            kind=spec.kind, value=Decimal(spec.value),
            threshold=Decimal(spec.threshold) if spec.threshold else None,
            scope=spec.scope, scope_values=values, starts_at=starts, ends_at=ends))
    return result


def _build_coupons(rng: random.Random, ids: _Ids, customers: list[m.Customer],
                   orders: list[m.Order]) -> list[m.Coupon]:
    paid: dict[str, m.Order] = {}
    for order in orders:
        if order.status != "cancelled":
            paid.setdefault(order.customer_id, order)
    coupons = []
    states = itertools.cycle(("usable", "usable", "expired", "used", "usable", "upcoming"))
    for customer in customers:
        for _ in range(rng.choice((0, 1, 2, 3))):
            spec = rng.choice(offers.COUPONS)
            state = next(states)
            starts = REFERENCE_DATE - timedelta(days=rng.randrange(5, 60))
            expires = REFERENCE_DATE + timedelta(days=rng.randrange(20, 150))
            coupon = m.Coupon(
                id=f"CP{ids.digits(8)}", customer_id=customer.id, name_en=spec.name_en,
                name_zh=spec.name_zh, kind=spec.kind, value=Decimal(spec.value),
                threshold=Decimal(spec.threshold),
                max_discount=Decimal(spec.max_discount) if spec.max_discount else None,
                scope=spec.scope, scope_values=list(spec.scope_values))
            if state == "expired":
                expires = REFERENCE_DATE - timedelta(days=rng.randrange(1, 40))
                starts = expires - timedelta(days=30)
            elif state == "upcoming":
                starts = REFERENCE_DATE + timedelta(days=rng.randrange(3, 30))
            elif state == "used" and customer.id in paid:
                order = paid[customer.id]
                coupon.used_order_id = order.id
                coupon.used_at = order.placed_at
                starts = min(starts, (order.placed_at or starts) - timedelta(days=1))
            coupon.starts_at, coupon.expires_at = starts, expires
            coupons.append(coupon)
    return coupons


# -- the whole shop -----------------------------------------------------------------------

def build_demo_store(store: Store, seed: int = DEFAULT_SEED, *, replace: bool = False,
                     progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Fill ``store`` with the demo shop in one transaction.

    With ``replace`` the store's current data is deleted in that same transaction, so a
    failed build leaves the old data in place.
    """
    started = time.perf_counter()
    say = progress or (lambda _message: None)
    rng = random.Random(seed)
    ids = _Ids(rng)
    say("catalog")
    cat = _build_catalog(rng, ids)
    say("customers")
    customers = _build_customers(rng, ids)
    say("orders")
    orders = _build_orders(rng, ids, customers, cat.products)
    # after the main stream's draws, so ids, dates and statuses stay as they were
    tastes.fill_baskets(orders, customers, cat.by_type, seed)
    promotions = _build_promotions(cat)
    coupons = _build_coupons(rng, ids, customers, orders)
    say("writing")
    with store.transaction() as session:
        if replace:
            delete_all(session)
        session.add_all(cat.categories)
        session.flush()
        session.add_all([*cat.terms, *cat.products])
        session.flush()
        session.add_all(customers)
        session.flush()
        session.add_all(orders)
        session.flush()
        session.add_all([*promotions, *coupons])
        save_policy(session, demo_policy())
    counts: dict[str, Any] = {
        "categories": len(cat.categories), "products": len(cat.products),
        "variants": sum(len(p.variants) for p in cat.products),
        "customers": len(customers), "orders": len(orders),
        "promotions": len(promotions), "coupons": len(coupons),
    }
    return DemoSummary(seed, counts, dict(sorted(Counter(o.status for o in orders).items())),
                       round(time.perf_counter() - started, 3))
