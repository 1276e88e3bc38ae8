"""Pricing a cart: the one place where promotions and coupons are combined.

The stacking rule (also in docs/store.md, and tested in tests/store/test_offers.py):

1. **Per-item promotions** (``percentage``, ``fixed``): each unit gets at most one, the one
   that takes the most off it. A percentage is rounded to cents (half up); a fixed amount
   never takes a unit below zero.
2. **Threshold promotions** (满减, "spend X get Y off"): at most one per cart. A threshold
   promotion qualifies when the units it covers add up to at least its threshold *after*
   the per-item discounts of step 1; of those that qualify, the one that takes the most off
   applies. Its discount is shared over the units it covers in proportion to their price
   (to the cent, the remainder on the last unit), so every unit has a net price.
3. **One coupon** at most, applied after all promotions: its minimum spend (``threshold``)
   and its percentage are computed on the net prices of the units it covers; a percentage
   coupon is capped by its ``max_discount``; a coupon never takes more than those units cost.

When offers are live: a promotion runs while ``starts_at <= now < ends_at``; a coupon can be
used while ``starts_at <= now < expires_at`` and only if it was never used
(:func:`is_live`, :func:`coupon_blocker`).

Money is :class:`~decimal.Decimal`, rounded to cents; no amount is ever negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kefu.errors import InvalidInput
from kefu.store.clock import aware
from kefu.store.models import to_money

ZERO = Decimal("0.00")
PROMOTION_KINDS = ("percentage", "fixed", "threshold")
COUPON_KINDS = ("percentage", "fixed")
SCOPES = ("all", "category", "brand", "product")


def is_live(starts_at: datetime | None, ends_at: datetime, at: datetime) -> bool:
    """Whether an offer running from ``starts_at`` (None: always) until ``ends_at``
    (excluded) is live at ``at``."""
    return (starts_at is None or aware(starts_at) <= at) and at < aware(ends_at)


def coupon_blocker(used_at: datetime | None, used_order_id: str | None,
                   starts_at: datetime | None, expires_at: datetime, at: datetime
                   ) -> str | None:
    """Why a coupon cannot be used at ``at`` (None when it can)."""
    if used_at is not None:
        return f"was already used on order {used_order_id}"
    if starts_at is not None and aware(starts_at) > at:
        return f"cannot be used before {aware(starts_at):%Y-%m-%d}"
    if at >= aware(expires_at):
        return f"expired on {aware(expires_at):%Y-%m-%d}"
    return None


@dataclass(frozen=True)
class CartLine:
    """One unit in a cart, with what promotions are scoped on."""

    item_id: str
    product_id: str
    name: str
    price: Decimal
    category_id: str | None = None
    brand: str | None = None


@dataclass(frozen=True)
class Offer:
    """The terms of a promotion or a coupon."""

    id: str
    name_en: str
    name_zh: str
    kind: str
    value: Decimal
    threshold: Decimal | None = None
    max_discount: Decimal | None = None
    scope: str = "all"
    scope_values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in PROMOTION_KINDS:
            raise InvalidInput(f"offer {self.id}: kind must be one of {PROMOTION_KINDS}, "
                               f"got {self.kind!r}")
        if self.scope not in SCOPES:
            raise InvalidInput(f"offer {self.id}: scope must be one of {SCOPES}, "
                               f"got {self.scope!r}")
        if self.value < 0:
            raise InvalidInput(f"offer {self.id}: value must be 0 or more, got {self.value}")

    def covers(self, line: CartLine) -> bool:
        """Whether this offer's scope includes the unit ``line``."""
        if self.scope == "all":
            return True
        if self.scope == "category":
            return line.category_id in self.scope_values
        if self.scope == "brand":
            wanted = {v.casefold() for v in self.scope_values}
            return line.brand is not None and line.brand.casefold() in wanted
        return line.product_id in self.scope_values

    def unit_discount(self, price: Decimal) -> Decimal:
        """What a per-item promotion takes off one unit of ``price``."""
        if self.kind == "percentage":
            return min(price, to_money(price * min(self.value, Decimal(100)) / 100))
        if self.kind == "fixed":
            return min(price, to_money(self.value))
        return ZERO


@dataclass(frozen=True)
class PricedLine:
    item_id: str
    name: str
    price: Decimal
    promotion_id: str | None
    promotion_discount: Decimal
    threshold_discount: Decimal
    net: Decimal


@dataclass(frozen=True)
class AppliedOffer:
    """A promotion or coupon that applied, what it took off and on which units."""

    id: str
    name_en: str
    name_zh: str
    kind: str
    discount: Decimal
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class CouponCheck:
    """Whether a coupon applies to priced lines, its discount, and if not, why not."""

    applies: bool
    discount: Decimal
    reason: str = ""


@dataclass(frozen=True)
class PriceBreakdown:
    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    promotions: tuple[AppliedOffer, ...]
    promotion_discount: Decimal
    coupon: AppliedOffer | None
    coupon_discount: Decimal
    total: Decimal


def _share(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``amount`` over ``weights`` in proportion, to the cent, remainder on the last."""
    total = sum(weights, ZERO)
    if total <= 0:
        return [ZERO for _ in weights]
    shares = [to_money(amount * w / total) for w in weights[:-1]]
    shares.append(to_money(amount - sum(shares, ZERO)))
    return shares


def apply_promotions(lines: Sequence[CartLine], promotions: Sequence[Offer]
                     ) -> tuple[list[PricedLine], list[AppliedOffer]]:
    """Steps 1 and 2 of the stacking rule: per-item promotions, then one threshold one."""
    per_item = sorted((p for p in promotions if p.kind != "threshold"), key=lambda p: p.id)
    thresholds = sorted((p for p in promotions if p.kind == "threshold"), key=lambda p: p.id)
    best: list[tuple[Offer | None, Decimal]] = []
    for line in lines:
        choice: tuple[Offer | None, Decimal] = (None, ZERO)
        for promo in per_item:
            if promo.covers(line):
                off = promo.unit_discount(line.price)
                if off > choice[1]:
                    choice = (promo, off)
        best.append(choice)
    nets = [to_money(line.price - off) for line, (_, off) in zip(lines, best, strict=True)]

    chosen: tuple[Offer, Decimal, list[int]] | None = None
    for promo in thresholds:
        covered = [i for i, line in enumerate(lines) if promo.covers(line)]
        spend = sum((nets[i] for i in covered), ZERO)
        if not covered or spend < (promo.threshold or ZERO):
            continue
        off = min(to_money(promo.value), spend)
        if off > 0 and (chosen is None or off > chosen[1]):
            chosen = (promo, off, covered)
    threshold_off = [ZERO for _ in lines]
    if chosen is not None:
        for i, share in zip(chosen[2], _share(chosen[1], [nets[i] for i in chosen[2]]),
                            strict=True):
            threshold_off[i] = share

    priced = [
        PricedLine(item_id=line.item_id, name=line.name, price=line.price,
                   promotion_id=promo.id if promo else None, promotion_discount=off,
                   threshold_discount=threshold_off[i],
                   net=max(ZERO, to_money(nets[i] - threshold_off[i])))
        for i, (line, (promo, off)) in enumerate(zip(lines, best, strict=True))
    ]
    applied: list[AppliedOffer] = []
    for promo in per_item:
        hits = [(line, off) for line, (p, off) in zip(lines, best, strict=True) if p is promo]
        if hits:
            applied.append(AppliedOffer(
                promo.id, promo.name_en, promo.name_zh, promo.kind,
                sum((off for _, off in hits), ZERO), tuple(line.item_id for line, _ in hits)))
    if chosen is not None:
        promo, off, covered = chosen
        applied.append(AppliedOffer(promo.id, promo.name_en, promo.name_zh, promo.kind, off,
                                    tuple(lines[i].item_id for i in covered)))
    return priced, applied


def check_coupon(coupon: Offer, lines: Sequence[CartLine], priced: Sequence[PricedLine]
                 ) -> CouponCheck:
    """Step 3: whether ``coupon`` applies after promotions, and what it takes off."""
    covered = [p for line, p in zip(lines, priced, strict=True) if coupon.covers(line)]
    if not covered:
        return CouponCheck(False, ZERO, f"coupon {coupon.id} covers none of the items in the "
                                        f"cart (it is for {coupon.scope} "
                                        f"{', '.join(coupon.scope_values) or 'items'})")
    spend = sum((p.net for p in covered), ZERO)
    minimum = coupon.threshold or ZERO
    if spend < minimum:
        return CouponCheck(False, ZERO, f"coupon {coupon.id} needs a spend of {minimum} on the "
                                        f"items it covers; the cart has {spend} after "
                                        f"promotions ({to_money(minimum - spend)} short)")
    if coupon.kind == "percentage":
        off = to_money(spend * min(coupon.value, Decimal(100)) / 100)
        if coupon.max_discount is not None:
            off = min(off, to_money(coupon.max_discount))
    else:
        off = to_money(coupon.value)
    return CouponCheck(True, min(off, spend))


def price_lines(lines: Sequence[CartLine], promotions: Sequence[Offer],
                coupon: Offer | None = None) -> PriceBreakdown:
    """Price ``lines`` with the stacking rule; a coupon that does not apply adds nothing.

    Use :func:`check_coupon` first to tell a customer why a coupon does not apply.
    """
    priced, applied = apply_promotions(lines, promotions)
    subtotal = sum((line.price for line in lines), ZERO)
    after = sum((p.net for p in priced), ZERO)
    coupon_applied: AppliedOffer | None = None
    coupon_off = ZERO
    if coupon is not None:
        check = check_coupon(coupon, lines, priced)
        if check.applies:
            coupon_off = check.discount
            coupon_applied = AppliedOffer(
                coupon.id, coupon.name_en, coupon.name_zh, coupon.kind, coupon_off,
                tuple(line.item_id for line in lines if coupon.covers(line)))
    return PriceBreakdown(
        lines=tuple(priced), subtotal=to_money(subtotal), promotions=tuple(applied),
        promotion_discount=to_money(subtotal - after), coupon=coupon_applied,
        coupon_discount=coupon_off, total=max(ZERO, to_money(after - coupon_off)),
    )
