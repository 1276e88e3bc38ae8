"""A small hand-made shop for operation tests, where every number is known.

Its clock is :data:`NOW`; tests run operations inside ``clock.frozen_at(NOW)``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from kefu.store import Store
from kefu.store import models as m
from kefu.store.policy import StorePolicy, save_policy

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
D = Decimal

EARBUDS, SHIRT, BLOCKS = "1000000001", "1000000002", "1000000003"
EAR_BLACK, EAR_RED, EAR_WHITE = "2000000001", "2000000002", "2000000003"  # 300, 320, 300 (sold out)
SHIRT_RED_M, SHIRT_BLUE_L = "2000000004", "2000000005"  # 100, 120
BLOCKS_300 = "2000000006"  # 59.90

WEI, EMMA = "wei_zhang_1234", "emma_johnson_5678"
DELIVERED, PENDING, CANCELLED, RETURNING, OLD, UNDATED = (
    "#W1000001", "#W1000002", "#W1000003", "#W1000004", "#W1000005", "#W1000006")


def _order(order_id: str, customer: str, status: str, items: list[m.Variant], *,
           delivered_days_ago: float | None = None, seq: int = 0) -> m.Order:
    placed = NOW - timedelta(days=(delivered_days_ago or 0) + 3)
    order = m.Order(id=order_id, customer_id=customer, status=status, seq=seq,
                    placed_at=placed, address1="建国路88号", city="北京市", state="北京市",
                    country="China", zip="100022")
    for position, v in enumerate(items):
        order.items.append(m.OrderItem(position=position, product_id=v.product_id,
                                       item_id=v.id, name=v.product_name,  # type: ignore
                                       price=v.price, options=dict(v.options)))
    total = sum((v.price for v in items), D("0"))
    order.transactions.append(m.Transaction(position=0, transaction_type="payment",
                                            amount=total, payment_method_id="alipay_1111111",
                                            created_at=placed))
    if delivered_days_ago is not None:
        delivered = NOW - timedelta(days=delivered_days_ago)
        order.delivered_at = delivered
        shipment = m.Shipment(position=0, carrier="SF Express", tracking_ids=["123456789012"],
                              item_ids=[v.id for v in items], shipped_at=placed,
                              delivered_at=delivered)
        shipment.events = [
            m.TrackingEvent(at=placed, status="picked_up", location="深圳",
                            description_en="SF Express: picked up",
                            description_zh="【顺丰速运】快件已揽收"),
            m.TrackingEvent(at=delivered, status="delivered", location="北京市",
                            description_en="SF Express: delivered",
                            description_zh="【顺丰速运】已签收"),
        ]
        order.shipments.append(shipment)
    return order


def build_small_shop(store: Store) -> None:
    with store.transaction() as s:
        s.add_all([
            m.Category(id="electronics", name_en="Electronics", name_zh="数码电子"),
            m.Category(id="clothing", name_en="Clothing", name_zh="服装"),
            m.Category(id="toys", name_en="Toys", name_zh="玩具"),
        ])
        s.flush()
        s.add_all([
            m.WarrantyTerm(category_id="electronics", months=12, repair_available=True,
                           description_en="12 months", description_zh="12 个月"),
            m.WarrantyTerm(category_id="clothing", months=3, repair_available=False,
                           description_en="replaced, not repaired", description_zh="只换不修"),
        ])
        products = [
            m.Product(id=EARBUDS, name="Aurora Wireless Earbuds", name_zh="极光无线蓝牙耳机",
                      description_en="Noise-cancelling earbuds.",
                      description_zh="主动降噪蓝牙耳机，可选颜色：黑色、红色、白色。",
                      category_id="electronics", brand="Aurora", position=0, variants=[
                          m.Variant(id=EAR_BLACK, position=0, options={"color": "black"},
                                    price=D("300"), available=True, stock=5),
                          m.Variant(id=EAR_RED, position=1, options={"color": "red"},
                                    price=D("320"), available=True, stock=5),
                          m.Variant(id=EAR_WHITE, position=2, options={"color": "white"},
                                    price=D("300"), available=False, stock=0)]),
            m.Product(id=SHIRT, name="Maple T-Shirt", name_zh="枫叶T恤",
                      description_en="Cotton T-shirt.", description_zh="纯棉T恤。",
                      category_id="clothing", brand="Maple", position=1, variants=[
                          m.Variant(id=SHIRT_RED_M, position=0,
                                    options={"color": "Red", "size": "M"}, price=D("100"),
                                    available=True, stock=9),
                          m.Variant(id=SHIRT_BLUE_L, position=1,
                                    options={"color": "blue", "size": "L"}, price=D("120"),
                                    available=True, stock=9)]),
            m.Product(id=BLOCKS, name="Playnest Building Blocks", name_zh="乐巢积木",
                      description_en="300 pieces.", description_zh="300 颗粒。",
                      category_id="toys", brand="Playnest", position=2, variants=[
                          m.Variant(id=BLOCKS_300, position=0, options={"pieces": "300"},
                                    price=D("59.90"), available=True, stock=3)]),
        ]
        s.add_all(products)
        s.flush()
        variant = {v.id: v for p in products for v in p.variants}
        for p in products:
            for v in p.variants:
                v.product_name = p.name  # type: ignore[attr-defined]
        s.add_all([
            m.Customer(id=WEI, first_name="伟", last_name="张", email="wei@example.com",
                       phone="+86 139 1234 5678", language="zh", payment_methods=[
                           m.PaymentMethod(id="alipay_1111111", position=0, source="alipay"),
                           m.PaymentMethod(id="gift_card_2222222", position=1,
                                           source="gift_card", balance=D("50")),
                           m.PaymentMethod(id="credit_card_3333333", position=2,
                                           source="credit_card", brand="visa",
                                           last_four="4242")]),
            m.Customer(id=EMMA, first_name="Emma", last_name="Johnson",
                       email="emma@example.com", phone="+1 (415) 555-0123"),
            m.Customer(id="li_wang_1111", first_name="丽", last_name="王",
                       email="li@example.com", phone="138-0013-8000", language="zh"),
            m.Customer(id="na_wang_2222", first_name="娜", last_name="王",
                       email="na@example.com", phone="13800138000", language="zh"),
        ])
        s.flush()
        returning = _order(RETURNING, WEI, "return requested", [variant[SHIRT_BLUE_L]],
                           delivered_days_ago=3, seq=3)
        returning.after_sales.append(m.AfterSale(
            kind="return", status="requested", item_ids=[SHIRT_BLUE_L],
            payment_method_id="gift_card_2222222", refund_amount=D("120"), created_at=NOW))
        cancelled = _order(CANCELLED, WEI, "cancelled", [variant[EAR_RED]], seq=2)
        cancelled.cancel_reason = "no longer needed"
        cancelled.transactions.append(m.Transaction(
            position=1, transaction_type="refund", amount=D("320"),
            payment_method_id="alipay_1111111", created_at=NOW - timedelta(days=1)))
        s.add_all([
            _order(DELIVERED, WEI, "delivered",
                   [variant[EAR_BLACK], variant[SHIRT_RED_M], variant[BLOCKS_300]],
                   delivered_days_ago=10, seq=0),
            _order(PENDING, WEI, "pending", [variant[EAR_RED]], seq=1),
            cancelled, returning,
            _order(OLD, WEI, "delivered", [variant[EAR_BLACK]], delivered_days_ago=400,
                   seq=4),
            _order(UNDATED, EMMA, "delivered", [variant[EAR_BLACK]], seq=0),
        ])
        day = timedelta(days=1)
        s.add_all([
            _promo("clothes_20", "percentage", "20", None, "category", ["clothing"]),
            _promo("shirt_minus_22", "fixed", "22", None, "product", [SHIRT]),
            _promo("playnest_10", "fixed", "10", None, "brand", ["playnest"]),
            _promo("all_300_50", "threshold", "50", "300", "all", []),
            _promo("elec_600_80", "threshold", "80", "600", "category", ["electronics"]),
            _promo("old_half", "percentage", "50", None, "all", [],
                   NOW - 30 * day, NOW - 20 * day),
            _promo("soon_100", "fixed", "100", None, "all", [], NOW + 5 * day, NOW + 9 * day),
        ])
        s.add_all([
            _coupon("CP1", WEI, "fixed", "20", "199"),
            _coupon("CP2", WEI, "percentage", "10", "0", max_discount="25"),
            _coupon("CP3", WEI, "fixed", "15", "150", scope="category", values=["clothing"]),
            _coupon("CP4", WEI, "fixed", "99", "0", expires=NOW - day),
            _coupon("CP5", WEI, "fixed", "99", "0", used=True),
            _coupon("CP6", WEI, "fixed", "99", "0", starts=NOW + day),
            _coupon("CP7", EMMA, "fixed", "30", "0"),
        ])
        save_policy(s, StorePolicy(store_name="Small Shop", currency="CNY"))


def _promo(pid: str, kind: str, value: str, threshold: str | None, scope: str,
           values: list[str], starts: datetime | None = None, ends: datetime | None = None
           ) -> m.Promotion:
    return m.Promotion(id=pid, name_en=pid.replace("_", " "), name_zh=f"促销{pid}",
                       kind=kind, value=D(value), threshold=D(threshold) if threshold else None,
                       scope=scope, scope_values=values,
                       starts_at=starts or NOW - timedelta(days=10),
                       ends_at=ends or NOW + timedelta(days=10))


def _coupon(cid: str, customer: str, kind: str, value: str, threshold: str, *,
            max_discount: str | None = None, scope: str = "all", values: list[str] | None = None,
            expires: datetime | None = None, starts: datetime | None = None,
            used: bool = False) -> m.Coupon:
    return m.Coupon(id=cid, customer_id=customer, name_en=f"coupon {cid}",
                    name_zh=f"优惠券{cid}", kind=kind, value=D(value), threshold=D(threshold),
                    max_discount=D(max_discount) if max_discount else None, scope=scope,
                    scope_values=values or [], starts_at=starts or NOW - timedelta(days=5),
                    expires_at=expires or NOW + timedelta(days=30),
                    used_at=NOW - timedelta(days=2) if used else None,
                    used_order_id=DELIVERED if used else None)
