"""A small shop for recommendation tests, where every product, price and order is known.

Keyboards and mice are bought together by several customers (a planted co-purchase
signal); the keyboard comes in three switch types; some products are English-only and one
is Chinese-only, for cross-language queries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from kefu.store import Store
from kefu.store import models as m

D = Decimal
T0 = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)

KEYBOARD, MOUSE, CHAIR, SHIRT, SHOES, BOTTLE, FLASK, HEADSET = (
    "1000000001", "1000000002", "1000000003", "1000000004", "1000000005", "1000000006",
    "1000000007", "1000000008")
KB_LINEAR_BLACK, KB_CLICKY_BLACK, KB_CLICKY_WHITE, KB_TACTILE_BLACK = (
    "2000000001", "2000000002", "2000000003", "2000000004")
MOUSE_BLACK = "2000000010"
CHAIR_BLACK = "2000000020"
SHIRT_RED_M, SHIRT_RED_L, SHIRT_BLUE_M, SHIRT_RED_XL = (
    "2000000030", "2000000031", "2000000032", "2000000033")
SHOES_42, SHOES_43 = "2000000040", "2000000041"
BOTTLE_500, BOTTLE_750, BOTTLE_1000 = "2000000050", "2000000051", "2000000052"
FLASK_RED = "2000000060"
HEADSET_SOLD_OUT = "2000000070"

ALICE, BOB, CAROL, DAN, ERIN, NEW = (
    "alice_chen_1001", "bob_li_1002", "carol_wu_1003", "dan_he_1004", "erin_lu_1005",
    "new_customer_1006")

# (id, name, name_zh, description_en, description_zh, category, brand, variants)
# variants: (item id, options, price, available)
PRODUCTS = [
    (KEYBOARD, "Mechanical Keyboard", "", "A full-size mechanical keyboard for typing and "
     "gaming, with RGB backlight.", "", "computers", "Keystone", [
         (KB_LINEAR_BLACK, {"switch type": "linear", "color": "black"}, "129.00", True),
         (KB_CLICKY_BLACK, {"switch type": "clicky", "color": "black"}, "139.00", True),
         (KB_CLICKY_WHITE, {"switch type": "clicky", "color": "white"}, "149.00", True),
         (KB_TACTILE_BLACK, {"switch type": "tactile", "color": "black"}, "135.00", True)]),
    (MOUSE, "Wireless Mouse", "", "An ergonomic wireless mouse with a silent click.", "",
     "computers", "Keystone", [(MOUSE_BLACK, {"color": "black"}, "39.00", True)]),
    (CHAIR, "Office Chair", "", "An ergonomic office chair with lumbar support.", "",
     "furniture", "Sitwell", [(CHAIR_BLACK, {"color": "black"}, "399.00", True)]),
    (SHIRT, "Cotton T-Shirt", "纯棉T恤", "A soft cotton T-shirt.", "柔软的纯棉短袖T恤。",
     "clothing", "Maple", [
         (SHIRT_RED_M, {"color": "red", "size": "M"}, "59.00", True),
         (SHIRT_RED_L, {"color": "red", "size": "L"}, "59.00", True),
         (SHIRT_BLUE_M, {"color": "blue", "size": "M"}, "55.00", True),
         (SHIRT_RED_XL, {"color": "red", "size": "XL"}, "62.00", False)]),
    (SHOES, "Running Shoes", "跑步鞋", "Light running shoes with a cushioned sole.",
     "轻便缓震跑步鞋。", "sports", "Stride", [
         (SHOES_42, {"size": "42", "color": "blue"}, "299.00", True),
         (SHOES_43, {"size": "43", "color": "blue"}, "299.00", True)]),
    (BOTTLE, "Water Bottle", "", "A stainless steel water bottle for hiking.", "", "sports",
     "Summit", [
         (BOTTLE_500, {"capacity": "500ml", "color": "green"}, "25.00", True),
         (BOTTLE_750, {"capacity": "750ml", "color": "green"}, "29.00", True),
         (BOTTLE_1000, {"capacity": "1000ml", "color": "green"}, "35.00", True)]),
    (FLASK, "真空保温杯", "真空保温杯", "", "不锈钢真空保温杯，长效保温保冷，适合泡茶和咖啡。",
     "kitchen", "Jadeware", [(FLASK_RED, {"color": "red"}, "89.00", True)]),
    (HEADSET, "Gaming Headset", "", "Over-ear gaming headset with a microphone.", "",
     "computers", "Sonora", [(HEADSET_SOLD_OUT, {"color": "black"}, "199.00", False)]),
]
CATEGORIES = [("computers", "Computers & Peripherals", "电脑及外设"),
              ("furniture", "Furniture", "家具"), ("clothing", "Clothing", "服装"),
              ("sports", "Sports & Outdoors", "运动户外"), ("kitchen", "Kitchen", "厨房用品")]

# customer -> orders (oldest first), each a list of item ids
ORDERS = {
    ALICE: [[KB_LINEAR_BLACK, MOUSE_BLACK], [SHIRT_RED_M]],
    BOB: [[SHIRT_RED_M], [SHIRT_BLUE_M, SHOES_42], [KB_TACTILE_BLACK, MOUSE_BLACK]],
    CAROL: [[KB_CLICKY_BLACK], [MOUSE_BLACK]],
    DAN: [[KB_LINEAR_BLACK, MOUSE_BLACK, CHAIR_BLACK]],
    ERIN: [[BOTTLE_750], [SHOES_43], [BOTTLE_500]],
}


def build_shop(store: Store) -> None:
    """Fill an empty store with the shop above."""
    with store.transaction() as s:
        s.add_all([m.Category(id=i, name_en=en, name_zh=zh) for i, en, zh in CATEGORIES])
        s.flush()
        variants: dict[str, tuple[m.Product, m.Variant]] = {}
        for position, (pid, name, name_zh, den, dzh, cat, brand, items) in enumerate(PRODUCTS):
            product = m.Product(id=pid, name=name, name_zh=name_zh, description_en=den,
                                description_zh=dzh, category_id=cat, brand=brand,
                                position=position)
            for vpos, (vid, options, price, available) in enumerate(items):
                variant = m.Variant(id=vid, position=vpos, options=options, price=D(price),
                                    available=available, stock=5 if available else 0)
                product.variants.append(variant)
                variants[vid] = (product, variant)
            s.add(product)
        s.flush()
        for cid in (ALICE, BOB, CAROL, DAN, ERIN, NEW):
            first, last = cid.split("_")[0], cid.split("_")[1]
            s.add(m.Customer(id=cid, first_name=first.title(), last_name=last.title(),
                             email=f"{first}@example.com"))
        s.flush()
        number = 1000000
        for cid, orders in ORDERS.items():
            for seq, items in enumerate(orders):
                number += 1
                order = m.Order(id=f"#W{number}", customer_id=cid, status="delivered",
                                seq=seq, placed_at=T0 + timedelta(days=10 * seq))
                for position, vid in enumerate(items):
                    product, variant = variants[vid]
                    order.items.append(m.OrderItem(
                        position=position, product_id=product.id, item_id=vid,
                        name=product.name, price=variant.price, options=dict(variant.options)))
                s.add(order)
