"""A tiny store in tau-bench's shape, built from model rows, for operation tests.

Customer ``wei_zhang_1001`` has a credit card, a PayPal account and a gift card holding
7.50. Products: a T-Shirt (red M 20.00, blue M 22.50, green L 25.00 unavailable, white S
18.00) and Running Shoes (size 40 80.00, size 41 85.00). Orders:

- ``#W1000001`` pending: two red M T-Shirts and shoes size 40, paid 120.00 by credit card
- ``#W1000002`` delivered: blue M T-Shirt and shoes size 41, paid 107.50 by credit card
- ``#W1000003`` processed, ``#W1000004`` cancelled (each a white S T-Shirt)
- ``#W1000005`` pending: a white S T-Shirt paid 18.00 with the gift card

Customer ``li_na_2002`` owns order ``#W2000001`` (pending) and PayPal ``paypal_2002``.
"""

from __future__ import annotations

from decimal import Decimal

from kefu.store import Store
from kefu.store import models as m

SHIRT, SHOES = "6000000001", "6000000002"
RED_M, BLUE_M, GREEN_L, WHITE_S = "1000000001", "1000000002", "1000000003", "1000000004"
SHOE_40, SHOE_41 = "2000000001", "2000000002"
USER, OTHER_USER = "wei_zhang_1001", "li_na_2002"
CARD, PAYPAL, GIFT = "credit_card_1001", "paypal_1001", "gift_card_1001"

VARIANTS = {
    RED_M: (SHIRT, {"color": "red", "size": "M"}, "20.00", True),
    BLUE_M: (SHIRT, {"color": "blue", "size": "M"}, "22.50", True),
    GREEN_L: (SHIRT, {"color": "green", "size": "L"}, "25.00", False),
    WHITE_S: (SHIRT, {"color": "white", "size": "S"}, "18.00", True),
    SHOE_40: (SHOES, {"size": "40"}, "80.00", True),
    SHOE_41: (SHOES, {"size": "41"}, "85.00", True),
}
NAMES = {SHIRT: "T-Shirt", SHOES: "Running Shoes"}


def _line(position: int, item_id: str) -> m.OrderItem:
    product_id, options, price, _ = VARIANTS[item_id]
    return m.OrderItem(position=position, product_id=product_id, item_id=item_id,
                       name=NAMES[product_id], price=Decimal(price), options=dict(options))


def _order(order_id: str, user: str, seq: int, status: str, items: list[str],
           paid_with: str) -> m.Order:
    lines = [_line(i, item) for i, item in enumerate(items)]
    total = sum((line.price for line in lines), Decimal("0.00"))
    transactions = [m.Transaction(position=0, transaction_type="payment", amount=total,
                                  payment_method_id=paid_with)]
    if status == "cancelled":
        transactions.append(m.Transaction(position=1, transaction_type="refund",
                                          amount=total, payment_method_id=paid_with))
    shipments = []
    if status in ("processed", "delivered"):
        shipments = [m.Shipment(position=0, tracking_ids=[f"9{order_id[2:]}"],
                                item_ids=list(items))]
    return m.Order(id=order_id, customer_id=user, seq=seq, status=status,
                   address1="1 Nanjing Road", address2="", city="Shanghai", state="SH",
                   country="China", zip="200001", items=lines, transactions=transactions,
                   shipments=shipments)


def build_tau_shop(store: Store) -> None:
    with store.transaction() as session:
        for product_id, name in NAMES.items():
            session.add(m.Product(id=product_id, name=name, position=len(name)))
        for position, (item_id, (product_id, options, price, available)) in enumerate(
                VARIANTS.items()):
            session.add(m.Variant(id=item_id, product_id=product_id, position=position,
                                  options=options, price=Decimal(price), available=available))
        session.add(m.Customer(
            id=USER, first_name="Wei", last_name="Zhang", email="Wei.Zhang@example.com",
            address1="1 Nanjing Road", address2="", city="Shanghai", state="SH",
            country="China", zip="200001",
            payment_methods=[
                m.PaymentMethod(id=CARD, position=0, source="credit_card", brand="visa",
                                last_four="4242"),
                m.PaymentMethod(id=PAYPAL, position=1, source="paypal"),
                m.PaymentMethod(id=GIFT, position=2, source="gift_card",
                                balance=Decimal("7.50")),
            ]))
        session.add(m.Customer(
            id=OTHER_USER, first_name="Na", last_name="Li", email="li.na@example.com",
            address1="2 Huaihai Road", address2="", city="Shanghai", state="SH",
            country="China", zip="200002",
            payment_methods=[m.PaymentMethod(id="paypal_2002", position=0, source="paypal")]))
        session.flush()
        session.add_all([
            _order("#W1000001", USER, 0, "pending", [RED_M, RED_M, SHOE_40], CARD),
            _order("#W1000002", USER, 1, "delivered", [BLUE_M, SHOE_41], CARD),
            _order("#W1000003", USER, 2, "processed", [WHITE_S], CARD),
            _order("#W1000004", USER, 3, "cancelled", [WHITE_S], PAYPAL),
            _order("#W1000005", USER, 4, "pending", [WHITE_S], GIFT),
            _order("#W2000001", OTHER_USER, 0, "pending", [WHITE_S], "paypal_2002"),
        ])
