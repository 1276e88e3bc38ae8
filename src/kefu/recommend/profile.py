"""The customer profile: derived from purchase history, plus preferences they stated.

Derived parts (categories, brands, price range, sizes and other options they bought) come
from the store's orders each time and are not stored. Stated preferences are kept in the
``customer_preferences`` table only when the customer consents; :func:`forget_profile`
deletes every row of them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select

from kefu.errors import InvalidInput, RuleViolation
from kefu.recommend.catalog import CatalogProduct, PurchaseLine, load_catalog, load_purchases
from kefu.recommend.types import _normalize_options
from kefu.store import Store, clock
from kefu.store import models as m

# Option names whose bought values say something about the person (fit, taste).
PERSONAL_OPTIONS = ("size", "shoe size", "color", "material", "fit", "skin type", "shade")


@dataclass(frozen=True)
class StatedPreferences:
    """What the customer said they like: brands, categories, options (size: M), a budget."""

    brands: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    options: Mapping[str, str] = field(default_factory=dict)
    budget_max: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "brands", tuple(str(b).strip() for b in self.brands
                                                 if str(b).strip()))
        object.__setattr__(self, "categories", tuple(str(c).strip() for c in self.categories
                                                     if str(c).strip()))
        object.__setattr__(self, "options", _normalize_options(self.options, "options"))
        if self.budget_max is not None:
            budget = Decimal(str(self.budget_max))
            if budget < 0:
                raise InvalidInput(f"budget_max must not be negative, got {budget}")
            object.__setattr__(self, "budget_max", budget)

    @property
    def is_empty(self) -> bool:
        return not (self.brands or self.categories or self.options
                    or self.budget_max is not None)

    def merged(self, other: StatedPreferences) -> StatedPreferences:
        """These preferences updated by ``other`` (its values win, lists are joined)."""
        return StatedPreferences(
            brands=tuple(dict.fromkeys(self.brands + other.brands)),
            categories=tuple(dict.fromkeys(self.categories + other.categories)),
            options={**self.options, **other.options},
            budget_max=other.budget_max if other.budget_max is not None else self.budget_max)


@dataclass(frozen=True)
class Profile:
    """What the store knows of a customer's taste; ``consented_at`` is None when nothing of
    it is remembered (``stated`` is then empty)."""

    customer_id: str
    orders: int
    categories: tuple[tuple[str, int], ...]        # category id, items bought; most first
    brands: tuple[tuple[str, int], ...]
    options: Mapping[str, tuple[str, ...]]         # option name -> values bought, most first
    price_min: Decimal | None
    price_max: Decimal | None
    price_median: Decimal | None
    stated: StatedPreferences = StatedPreferences()
    consented_at: datetime | None = None

    def preferred_options(self) -> dict[str, str]:
        """Options to pick a variant by: stated ones, else the size bought most often."""
        preferred = {k: v[0] for k, v in self.options.items() if k in ("size", "shoe size")
                     and v}
        return {**preferred, **self.stated.options}


def derive_profile(customer_id: str, lines: Sequence[PurchaseLine],
                   products: Mapping[str, CatalogProduct],
                   stated: StatedPreferences | None = None,
                   consented_at: datetime | None = None) -> Profile:
    """The profile of a customer from their bought lines (pure: no database)."""
    categories: Counter[str] = Counter()
    brands: Counter[str] = Counter()
    options: dict[str, Counter[str]] = {}
    for line in lines:
        product = products.get(line.product_id)
        if product is not None and product.category_id:
            categories[product.category_id] += 1
        brand = (product.brand if product else None) or line.options.get("brand")
        if brand:
            brands[str(brand)] += 1
        for key, value in line.options.items():
            name = str(key).casefold()
            if name in PERSONAL_OPTIONS:
                options.setdefault(name, Counter())[str(value).casefold()] += 1
    prices = [line.price for line in lines]
    median = Decimal(str(statistics.median(prices))).quantize(Decimal("0.01")) if prices else None
    return Profile(
        customer_id=customer_id, orders=len({line.order_id for line in lines}),
        categories=tuple(categories.most_common()), brands=tuple(brands.most_common()),
        options={k: tuple(v for v, _ in c.most_common()) for k, c in sorted(options.items())},
        price_min=min(prices) if prices else None, price_max=max(prices) if prices else None,
        price_median=median, stated=stated or StatedPreferences(), consented_at=consented_at)


# -- remembered preferences (the only part that is stored) --------------------------------

def _check_customer(session: Any, customer_id: str) -> None:
    from kefu.errors import NotFound

    if session.get(m.Customer, customer_id) is None:
        raise NotFound(f"customer {customer_id} not found",
                       hint="identify the customer first (find_user_id_by_email)")


def load_stated(store: Store, customer_id: str) -> tuple[StatedPreferences, datetime | None]:
    """The remembered preferences and when the customer consented (None: nothing stored)."""
    with store.session() as session:
        rows = session.scalars(select(m.CustomerPreference).where(
            m.CustomerPreference.customer_id == customer_id)).all()
        stated, consented = _stated_from_rows(rows)
    return stated, clock.aware(consented) if consented else None


def remember_preferences(store: Store, customer_id: str, preferences: StatedPreferences, *,
                         consent: bool) -> Profile:
    """Store ``preferences`` (merged into what is remembered) — only with consent.

    Without consent nothing is written and RuleViolation says so: the caller asks first.
    """
    if consent is not True:
        raise RuleViolation("preferences are remembered only with the customer's consent",
                            hint="ask the customer and pass consent=True if they agree")
    now = clock.now()
    with store.transaction() as session:
        _check_customer(session, customer_id)
        current = {row.key: row for row in session.scalars(select(m.CustomerPreference).where(
            m.CustomerPreference.customer_id == customer_id))}
        old, _ = _stated_from_rows(current.values())
        merged = old.merged(preferences)
        values: dict[str, Any] = {
            "brands": list(merged.brands), "categories": list(merged.categories),
            "options": dict(merged.options),
            "budget_max": str(merged.budget_max) if merged.budget_max is not None else None,
        }
        for key, value in values.items():
            row = current.get(key)
            if value in (None, [], {}):
                if row is not None:
                    session.delete(row)
                continue
            if row is None:
                session.add(m.CustomerPreference(customer_id=customer_id, key=key, value=value,
                                                 consented_at=now, updated_at=now))
            else:
                row.value, row.updated_at = value, now
    return show_profile(store, customer_id)


def _stated_from_rows(rows: Iterable[m.CustomerPreference]
                      ) -> tuple[StatedPreferences, datetime | None]:
    rows = list(rows)
    values = {row.key: row.value for row in rows}
    budget = values.get("budget_max")
    stated = StatedPreferences(
        brands=tuple(values.get("brands") or ()), categories=tuple(values.get("categories") or ()),
        options=dict(values.get("options") or {}),
        budget_max=Decimal(str(budget)) if budget is not None else None)
    return stated, (min(row.consented_at for row in rows) if rows else None)


def forget_profile(store: Store, customer_id: str) -> int:
    """Delete every remembered preference of the customer; the number of rows deleted."""
    with store.transaction() as session:
        result = session.execute(delete(m.CustomerPreference).where(
            m.CustomerPreference.customer_id == customer_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def show_profile(store: Store, customer_id: str) -> Profile:
    """The customer's profile: derived from their orders, with what they asked us to remember."""
    with store.session() as session:
        _check_customer(session, customer_id)
    products = {p.product_id: p for p in load_catalog(store)}
    lines = load_purchases(store, customer_id).get(customer_id, [])
    stated, consented = load_stated(store, customer_id)
    return derive_profile(customer_id, lines, products, stated, consented)
