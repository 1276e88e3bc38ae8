"""What the demo shop's customers buy: each one has stable tastes, so their histories are
learnable the way a real shop's are.

A taste is two favourite categories, a preferred brand in each, a price band, a clothing
and a shoe size and two favourite colours. A customer's orders, oldest first, are filled
from it: now and then a product bought before again (consumables), often something that
goes with an earlier purchase (a case for the phone, a mouse for the keyboard), mostly a
product of a favourite category, rarely anything at all.

:func:`fill_baskets` rewrites the items of already generated orders. The orders themselves
(ids, dates, statuses, payments, parcels) are drawn first exactly as before, from the main
random stream, so the shop's ids stay what tests and documents quote; the items come from
a second stream seeded from the same seed, so the shop stays deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from kefu.store import models as m

# Product types bought again after a while (by type name, as in catalog.PRODUCT_TYPES).
REPEAT_TYPES = frozenset({"Shampoo", "Facial Cleanser", "Moisturising Cream", "Sunscreen",
                          "Lipstick", "USB-C Cable", "Screen Protector", "Phone Case",
                          "Slippers", "T-Shirt", "Novel", "Children's Picture Book"})

# What goes with what: after buying the key, customers often buy one of the values.
COMPLEMENTS: dict[str, tuple[str, ...]] = {
    "Smartphone": ("Phone Case", "Screen Protector", "Fast Charger", "Power Bank"),
    "Phone Case": ("Screen Protector",),
    "Laptop": ("Wireless Mouse", "Mechanical Keyboard", "Portable SSD", "Monitor"),
    "Mechanical Keyboard": ("Wireless Mouse", "Monitor"),
    "Wireless Mouse": ("Mechanical Keyboard",),
    "Monitor": ("Webcam", "Mechanical Keyboard"),
    "Wireless Earbuds": ("Fast Charger", "USB-C Cable"),
    "Smart Watch": ("Fast Charger", "Running Shoes"),
    "Action Camera": ("Portable SSD", "Power Bank"),
    "E-Reader": ("Novel",),
    "Running Shoes": ("Smart Watch", "T-Shirt"),
    "Hiking Boots": ("Hiking Backpack", "Camping Tent"),
    "Camping Tent": ("Hiking Backpack", "Hiking Boots"),
    "Hiking Backpack": ("Hiking Boots",),
    "Yoga Mat": ("Dumbbell Set",),
    "Rice Cooker": ("Cookbook",),
    "Frying Pan": ("Knife Set", "Cookbook"),
    "Air Fryer": ("Cookbook",),
    "Moisturising Cream": ("Facial Cleanser", "Sunscreen"),
    "Facial Cleanser": ("Moisturising Cream",),
    "Jeans": ("T-Shirt", "Hoodie"),
    "Down Jacket": ("Wool Sweater",),
    "Dress": ("Leather Loafers",),
    "Standing Desk": ("Office Chair", "Monitor"),
    "Office Chair": ("Standing Desk",),
    "Sofa": ("Coffee Table",),
    "Bed Frame": ("Bookshelf",),
    "Bookshelf": ("Novel",),
    "Children's Picture Book": ("Plush Toy", "Building Blocks"),
    "Building Blocks": ("Jigsaw Puzzle",),
    "Board Game": ("Jigsaw Puzzle",),
    "Programming Guide": ("Mechanical Keyboard",),
}

# How a unit is chosen (shares of the draws, in this order of trying).
REPEAT_SHARE = 0.12
COMPLEMENT_SHARE = 0.25
FAVOURITE_SHARE = 0.85  # of the rest: a favourite category, else anything
BRAND_WEIGHT = 4.0
BAND_WEIGHT = 3.0
COLOR_WEIGHT = 4.0

CLOTH_SIZES = ("S", "M", "L", "XL", "XXL")
SHOE_SIZES_ZH = ("36", "37", "38", "39", "40", "41", "42", "43")
SHOE_SIZES_EN = ("38", "39", "40", "41", "42", "43", "44", "45")
COLORS = ("black", "white", "red", "blue", "green", "pink", "gray", "silver", "gold",
          "purple")


@dataclass(frozen=True)
class Taste:
    """One customer's lasting preferences."""

    categories: tuple[str, str]        # favourite first
    brands: Mapping[str, str]          # category -> preferred brand
    band: int                          # 0 cheap, 1 middle, 2 dear (within a product type)
    cloth_size: str
    shoe_size: str
    colors: tuple[str, str]


@dataclass(frozen=True)
class Shelf:
    """The products to choose from, with their type and price band within the type."""

    products: Sequence[m.Product]
    type_of: Mapping[str, str]             # product id -> type name
    band_of: Mapping[str, int]             # product id -> 0, 1, 2
    by_type: Mapping[str, Sequence[m.Product]]
    by_category: Mapping[str, Sequence[m.Product]]


def make_shelf(by_type: Mapping[str, Sequence[m.Product]]) -> Shelf:
    type_of: dict[str, str] = {}
    band_of: dict[str, int] = {}
    by_category: dict[str, list[m.Product]] = {}
    for type_name, products in by_type.items():
        ranked = sorted(products, key=lambda p: (min(v.price for v in p.variants), p.id))
        for rank, product in enumerate(ranked):
            type_of[product.id] = type_name
            band_of[product.id] = min(2, rank * 3 // max(len(ranked), 1))
            by_category.setdefault(product.category_id or "", []).append(product)
    products = [p for ps in by_type.values() for p in ps]
    return Shelf(products, type_of, band_of, dict(by_type), by_category)


def make_taste(rng: random.Random, shelf: Shelf, chinese: bool) -> Taste:
    categories = sorted(shelf.by_category)
    first, second = rng.sample(categories, 2)
    brands = {}
    for category in categories:
        names = sorted({p.brand for p in shelf.by_category[category] if p.brand})
        if names:
            brands[category] = rng.choice(names)
    return Taste(categories=(first, second), brands=brands, band=rng.choice((0, 0, 1, 1, 2)),
                 cloth_size=rng.choice(CLOTH_SIZES),
                 shoe_size=rng.choice(SHOE_SIZES_ZH if chinese else SHOE_SIZES_EN),
                 colors=tuple(rng.sample(COLORS, 2)))  # type: ignore[arg-type]


def _open_variants(product: m.Product) -> list[m.Variant]:
    return [v for v in product.variants if v.available]


def _product_weight(product: m.Product, taste: Taste, shelf: Shelf) -> float:
    weight = 1.0
    if taste.brands.get(product.category_id or "") == product.brand:
        weight *= BRAND_WEIGHT
    if shelf.band_of.get(product.id) == taste.band:
        weight *= BAND_WEIGHT
    return weight


def _pick_product(rng: random.Random, pool: Sequence[m.Product], taste: Taste,
                  shelf: Shelf) -> m.Product | None:
    pool = [p for p in pool if _open_variants(p)]
    if not pool:
        return None
    weights = [_product_weight(p, taste, shelf) for p in pool]
    return rng.choices(pool, weights=weights, k=1)[0]


def pick_variant(rng: random.Random, product: m.Product, taste: Taste) -> m.Variant:
    """The variant this customer would take: their size, their colours, their price band."""
    variants = _open_variants(product)
    sizes = [v for v in variants if str(v.options.get("size")) in (taste.cloth_size,
                                                                  taste.shoe_size)]
    if sizes:
        variants = sizes
    ranked = sorted(variants, key=lambda v: (v.price, v.id))

    def weight(index: int, variant: m.Variant) -> float:
        w = COLOR_WEIGHT if variant.options.get("color") in taste.colors else 1.0
        band = min(2, index * 3 // len(ranked))
        return w * (BAND_WEIGHT if band == taste.band else 1.0)

    return rng.choices(ranked, weights=[weight(i, v) for i, v in enumerate(ranked)], k=1)[0]


def choose_unit(rng: random.Random, taste: Taste, shelf: Shelf,
                bought: Sequence[m.Variant]) -> m.Variant:
    """One unit for a customer with ``taste`` who bought ``bought`` before (oldest first)."""
    draw = rng.random()
    repeatable = [v for v in bought if shelf.type_of.get(v.product.id) in REPEAT_TYPES
                  and v.available]
    if draw < REPEAT_SHARE and repeatable:
        return rng.choice(repeatable)
    if draw < REPEAT_SHARE + COMPLEMENT_SHARE and bought:
        wanted = [t for v in bought[-4:] for t in COMPLEMENTS.get(
            shelf.type_of.get(v.product.id, ""), ())]
        goes_with = [p for t in wanted for p in shelf.by_type.get(t, ())]
        product = _pick_product(rng, goes_with, taste, shelf)
        if product is not None:
            return pick_variant(rng, product, taste)
    if rng.random() < FAVOURITE_SHARE:
        category = taste.categories[0] if rng.random() < 0.6 else taste.categories[1]
        pool: Sequence[m.Product] = shelf.by_category.get(category, ())
    else:
        pool = shelf.products
    product = _pick_product(rng, pool, taste, shelf) or _pick_product(rng, shelf.products,
                                                                       taste, shelf)
    assert product is not None, "the demo catalog has available products"
    return pick_variant(rng, product, taste)


def _other_variant(rng: random.Random, variant: m.Variant) -> m.Variant | None:
    others = [v for v in variant.product.variants if v.id != variant.id and v.available]
    return rng.choice(others) if others else None


def fill_baskets(orders: Sequence[m.Order], customers: Sequence[m.Customer],
                 by_type: Mapping[str, Sequence[m.Product]], seed: int) -> dict[str, Taste]:
    """Give every order the items its customer's taste picks; returns the tastes.

    The number of units, and everything about an order but its items and the amounts that
    follow from them, stay as generated.
    """
    rng = random.Random(f"kefu-demo-tastes:{seed}")
    shelf = make_shelf(by_type)
    variant_of = {v.id: v for p in shelf.products for v in p.variants}
    tastes = {c.id: make_taste(rng, shelf, c.language == "zh") for c in customers}
    by_customer: dict[str, list[m.Order]] = {}
    for order in orders:
        by_customer.setdefault(order.customer_id, []).append(order)
    for customer in customers:
        bought: list[m.Variant] = []
        for order in sorted(by_customer.get(customer.id, []), key=lambda o: (o.seq, o.id)):
            units = [choose_unit(rng, tastes[customer.id], shelf, bought) for _ in order.items]
            _refill(rng, order, units, variant_of)
            bought += units
    return tastes


def _refill(rng: random.Random, order: m.Order, units: list[m.Variant],
            variant_of: Mapping[str, m.Variant]) -> None:
    """Put ``units`` in the order's lines and make the amounts, parcels and after-sales
    requests that named the old items follow."""
    old_ids = [line.item_id for line in order.items]
    new_of = dict(zip(old_ids, (u.id for u in units), strict=True))
    for line, unit in zip(order.items, units, strict=True):
        line.product_id, line.item_id, line.name = unit.product.id, unit.id, unit.product.name
        line.price, line.options = unit.price, dict(unit.options)
    total = sum((u.price for u in units), Decimal("0.00"))
    payment, *rest = sorted(order.transactions, key=lambda t: t.position)
    payment.amount = total
    if order.status == "cancelled":
        for refund in rest:
            refund.amount = total
    elif order.status == "pending (item modified)":
        _modify_first_line(rng, order, units[0], payment)
    for shipment in order.shipments:
        shipment.item_ids = [new_of[i] for i in shipment.item_ids]
    for request in order.after_sales:
        lines = {line.item_id: line for line in order.items}
        request.item_ids = sorted(new_of[i] for i in request.item_ids)
        if request.kind == "return":
            request.refund_amount = sum((lines[i].price for i in request.item_ids),
                                        Decimal("0.00"))
        else:
            _redo_exchange(rng, order, request, lines, variant_of)


def _modify_first_line(rng: random.Random, order: m.Order, unit: m.Variant,
                       payment: m.Transaction) -> None:
    """The customer changed the first item to another option of the same product."""
    for extra in [t for t in order.transactions if t is not payment]:
        order.transactions.remove(extra)
    new = _other_variant(rng, unit)
    if new is None:
        return
    line = order.items[0]
    difference = new.price - line.price
    line.item_id, line.price, line.options = new.id, new.price, dict(new.options)
    if difference:
        assert order.placed_at is not None
        order.transactions.append(m.Transaction(
            position=1, transaction_type="payment" if difference > 0 else "refund",
            amount=abs(difference), payment_method_id=payment.payment_method_id,
            created_at=order.placed_at + timedelta(minutes=rng.randrange(10, 600))))


def _redo_exchange(rng: random.Random, order: m.Order, request: m.AfterSale,
                   lines: Mapping[str, m.OrderItem], variant_of: Mapping[str, m.Variant]
                   ) -> None:
    """New options of the same products for an exchange request (a product with no other
    option left makes it a return, as when the shop was generated)."""
    old, new, difference = [], [], Decimal("0.00")
    for item_id in request.item_ids:
        replacement = _other_variant(rng, variant_of[item_id])
        if replacement is None:
            continue
        old.append(item_id)
        new.append(replacement.id)
        difference += replacement.price - lines[item_id].price
    if not old:
        order.status = "return requested"
        request.kind, request.new_item_ids, request.price_difference = "return", [], None
        request.refund_amount = sum((lines[i].price for i in request.item_ids),
                                    Decimal("0.00"))
        return
    request.item_ids, request.new_item_ids, request.price_difference = old, new, difference

