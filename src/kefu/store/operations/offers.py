"""Promotions, coupons and pricing a cart (the stacking rule is in kefu.store.pricing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kefu.errors import InvalidInput, NotFound, RuleViolation
from kefu.store import clock
from kefu.store.db import Store
from kefu.store.models import Coupon, Customer, Product, Promotion, Variant
from kefu.store.operations import _load
from kefu.store.policy import load_policy
from kefu.store.pricing import (
    AppliedOffer,
    CartLine,
    Offer,
    PricedLine,
    apply_promotions,
    check_coupon,
    coupon_blocker,
    is_live,
    price_lines,
)
from kefu.tools.registry import tool

MAX_CART = 50


@dataclass(frozen=True)
class PromotionInfo:
    promotion_id: str
    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    kind: str
    value: Decimal
    threshold: Decimal | None
    scope: str
    scope_values: list[str]
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class CouponInfo:
    """A coupon a customer holds; ``discount`` is what it takes off the given cart."""

    coupon_id: str
    name_en: str
    name_zh: str
    kind: str
    value: Decimal
    threshold: Decimal
    max_discount: Decimal | None
    scope: str
    scope_values: list[str]
    starts_at: datetime | None
    expires_at: datetime
    discount: Decimal | None = None


@dataclass(frozen=True)
class CartQuote:
    """A priced cart: each unit, the promotions and coupon applied, and the total to pay."""

    currency: str
    subtotal: Decimal
    lines: list[PricedLine]
    promotions: list[AppliedOffer]
    promotion_discount: Decimal
    coupon: AppliedOffer | None
    coupon_discount: Decimal
    total: Decimal
    suggested_coupon: AppliedOffer | None = None
    stacking_rule: str = (
        "best single per-item promotion per unit, then at most one threshold promotion on "
        "the discounted prices, then at most one coupon on what is left")


def promotion_offer(p: Promotion) -> Offer:
    return Offer(p.id, p.name_en, p.name_zh, p.kind, p.value, p.threshold, None, p.scope,
                 tuple(p.scope_values))


def coupon_offer(c: Coupon) -> Offer:
    return Offer(c.id, c.name_en, c.name_zh, c.kind, c.value, c.threshold, c.max_discount,
                 c.scope, tuple(c.scope_values))


def active_promotions(session: Session, at: datetime) -> list[Promotion]:
    rows = session.scalars(select(Promotion).order_by(Promotion.id)).all()
    return [p for p in rows if is_live(p.starts_at, p.ends_at, at)]


def usable_coupons(customer: Customer, at: datetime) -> list[Coupon]:
    """Coupons not used, started and not expired at ``at``."""
    return sorted((c for c in customer.coupons
                   if coupon_blocker(c.used_at, c.used_order_id, c.starts_at, c.expires_at,
                                     at) is None),
                  key=lambda c: c.id)


def cart_lines(session: Session, item_ids: Sequence[str]) -> list[CartLine]:
    """The units of a cart (an item id listed twice is two units); unknown or sold-out
    items are refused with what is available instead."""
    if not item_ids:
        raise InvalidInput("the cart is empty: give at least one item id")
    if len(item_ids) > MAX_CART:
        raise InvalidInput(f"a cart holds at most {MAX_CART} units, got {len(item_ids)}")
    variants = {v.id: v for v in session.scalars(
        select(Variant).where(Variant.id.in_(set(item_ids)))
        .options(selectinload(Variant.product).selectinload(Product.variants)))}
    lines = []
    for item_id in item_ids:
        variant = variants.get(item_id)
        if variant is None:
            raise NotFound(f"no item {item_id!r}",
                           hint="item ids are the variant ids search_products returns")
        if not variant.available:
            others = [v.id for v in variant.product.variants if v.available]
            raise RuleViolation(
                f"item {item_id} ({variant.product.name}, {variant.options}) is out of stock",
                hint=(f"available items of this product: {', '.join(others)}" if others
                      else "no variant of this product is available now"))
        product = variant.product
        lines.append(CartLine(item_id, product.id, product.name, variant.price,
                              product.category_id, product.brand))
    return lines


def _customer(session: Session, user_id: str) -> Customer:
    customer = _load.customer(session, user_id)
    customer.coupons  # noqa: B018 - load while the session is open
    return customer


def _promotion_info(p: Promotion) -> PromotionInfo:
    return PromotionInfo(p.id, p.name_en, p.name_zh, p.description_en, p.description_zh,
                         p.kind, p.value, p.threshold, p.scope, list(p.scope_values),
                         clock.aware(p.starts_at), clock.aware(p.ends_at))


def _coupon_info(c: Coupon, discount: Decimal | None = None) -> CouponInfo:
    return CouponInfo(c.id, c.name_en, c.name_zh, c.kind, c.value, c.threshold,
                      c.max_discount, c.scope, list(c.scope_values),
                      clock.aware(c.starts_at) if c.starts_at else None,
                      clock.aware(c.expires_at), discount)


@tool()
def list_active_promotions(
    store: Store,
    at: datetime | None = None,
    category: str | None = None,
    brand: str | None = None,
    product_id: str | None = None,
) -> list[PromotionInfo]:
    """List the store promotions running now (or at a given time), optionally only those
    that apply to a category, a brand or a product. Store-wide promotions apply to all.

    Args:
        at: The moment to check (ISO 8601); default now.
        category: Only promotions covering this category id.
        brand: Only promotions covering this brand.
        product_id: Only promotions covering this product (its category and brand count).
    """
    moment = clock.aware(at) if at else clock.now()
    with store.session() as session:
        probe: CartLine | None = None
        if product_id is not None:
            product = session.get(Product, product_id)
            if product is None:
                raise NotFound(f"no product {product_id!r}",
                               hint="product ids are those search_products returns")
            probe = CartLine("", product.id, product.name, Decimal(0), product.category_id,
                             product.brand)
        return [_promotion_info(p) for p in active_promotions(session, moment)
                if _covers(promotion_offer(p), category, brand, probe)]


def _covers(offer: Offer, category: str | None, brand: str | None,
            product: CartLine | None) -> bool:
    if category is not None and not (
            offer.scope == "all"
            or (offer.scope == "category" and category in offer.scope_values)):
        return False
    if brand is not None and not (
            offer.scope == "all" or (offer.scope == "brand" and brand.casefold()
                                     in {v.casefold() for v in offer.scope_values})):
        return False
    return product is None or offer.covers(product)


@tool()
def list_usable_coupons(store: Store, user_id: str, item_ids: list[str] | None = None,
                        ) -> list[CouponInfo]:
    """List the coupons a customer can use now: not used, started and not expired. Given a
    cart, only the coupons that apply to it (scope and minimum spend after promotions), each
    with the discount it would give, largest first.

    Args:
        user_id: The customer's user id, e.g. 'wei_zhang_1234'.
        item_ids: Optional cart: the item ids to buy (repeat an id to buy it twice).
    """
    moment = clock.now()
    with store.session() as session:
        coupons = usable_coupons(_customer(session, user_id), moment)
        if item_ids is None:
            return [_coupon_info(c) for c in coupons]
        lines = cart_lines(session, item_ids)
        offers = [promotion_offer(p) for p in active_promotions(session, moment)]
        priced, _ = apply_promotions(lines, offers)
        fitting = []
        for coupon in coupons:
            check = check_coupon(coupon_offer(coupon), lines, priced)
            if check.applies:
                fitting.append(_coupon_info(coupon, check.discount))
        return sorted(fitting, key=lambda c: (-(c.discount or 0), c.coupon_id))


@tool()
def price_cart(store: Store, item_ids: list[str], user_id: str | None = None,
               coupon_id: str | None = None) -> CartQuote:
    """Price a cart with the promotions running now and, optionally, one of the customer's
    coupons. Stacking rule: each unit gets its best single per-item promotion; then at most
    one threshold promotion (spend X get Y off) on the discounted prices; then at most one
    coupon on what is left. Without a coupon id, the customer's best coupon for this cart is
    suggested (not applied). Returns the subtotal, every discount and the total.

    Args:
        item_ids: The item ids to buy (repeat an id to buy it twice).
        user_id: The customer's user id; needed to use or suggest coupons.
        coupon_id: A coupon of this customer to apply.
    """
    moment = clock.now()
    with store.session() as session:
        currency = load_policy(session).currency
        lines = cart_lines(session, item_ids)
        promotions = [promotion_offer(p) for p in active_promotions(session, moment)]
        coupon: Offer | None = None
        suggestion: AppliedOffer | None = None
        if coupon_id is not None and user_id is None:
            raise InvalidInput("a coupon needs the customer: give user_id with coupon_id")
        if user_id is not None:
            customer = _customer(session, user_id)
            usable = usable_coupons(customer, moment)
            if coupon_id is not None:
                coupon = _chosen_coupon(customer, usable, coupon_id, moment)
                priced, _ = apply_promotions(lines, promotions)
                check = check_coupon(coupon, lines, priced)
                if not check.applies:
                    raise RuleViolation(check.reason,
                                        hint="list_usable_coupons with this cart shows the "
                                             "coupons that apply")
            else:
                suggestion = _best_coupon(lines, promotions, usable)
    quote = price_lines(lines, promotions, coupon)
    return CartQuote(currency, quote.subtotal, list(quote.lines), list(quote.promotions),
                     quote.promotion_discount, quote.coupon, quote.coupon_discount,
                     quote.total, suggestion)


def _chosen_coupon(customer: Customer, usable: list[Coupon], coupon_id: str,
                   at: datetime) -> Offer:
    for coupon in usable:
        if coupon.id == coupon_id:
            return coupon_offer(coupon)
    held = {c.id: c for c in customer.coupons}
    if coupon_id not in held:
        raise NotFound(f"customer {customer.id} has no coupon {coupon_id!r}",
                       hint="list_usable_coupons shows the customer's coupons")
    coupon = held[coupon_id]
    why = coupon_blocker(coupon.used_at, coupon.used_order_id, coupon.starts_at,
                         coupon.expires_at, at)
    raise RuleViolation(f"coupon {coupon_id} {why}",
                        hint="list_usable_coupons shows the coupons that can be used")


def _best_coupon(lines: list[CartLine], promotions: list[Offer], usable: list[Coupon]
                 ) -> AppliedOffer | None:
    best: AppliedOffer | None = None
    for coupon in usable:
        quote = price_lines(lines, promotions, coupon_offer(coupon))
        if quote.coupon is not None and (best is None or quote.coupon.discount > best.discount):
            best = quote.coupon
    return best
