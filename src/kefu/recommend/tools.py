"""Recommendations and the customer's remembered preferences as store tools.

The dialogue engine and LLM agents call these through :func:`kefu.tools.call_tool`. Each
store gets one fitted :class:`Recommender`, refitted after ``REFIT_SECONDS`` so new orders
count; tests and the engine may install their own with :func:`use_recommender`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kefu.recommend.engine import Recommender
from kefu.recommend.profile import (
    Profile,
    StatedPreferences,
    forget_profile,
    load_stated,
    remember_preferences,
    show_profile,
)
from kefu.recommend.similar import similar_to_purchase
from kefu.recommend.types import Need, Recommendation
from kefu.store import Store
from kefu.tools.registry import tool

REFIT_SECONDS = 600.0
_FITTED: dict[str, tuple[float, Recommender]] = {}
_LOCK = threading.Lock()
# The encoder of the last fit: a tool call without one (the agents' path) reuses it rather
# than loading e5 again for every store (2 s and 500 MB each time).
_ENCODER: list[Any] = []


def use_recommender(store: Store, recommender: Recommender) -> None:
    """Serve ``store``'s recommendation tools from ``recommender`` (already fitted)."""
    with _LOCK:
        _FITTED[store.url] = (float("inf"), recommender)


def forget_recommenders() -> None:
    with _LOCK:
        _FITTED.clear()
        _ENCODER.clear()


def recommender_for(store: Store, encoder: Any = None) -> Recommender:
    """The store's fitted recommender: fitted on first use (with ``encoder``, else the
    configured one, and the embedding cache in kefu's home), refitted when older than
    REFIT_SECONDS. The dialogue engine passes its NLU model's encoder, already loaded."""
    with _LOCK:
        entry = _FITTED.get(store.url)
        if entry is not None and time.monotonic() - entry[0] < REFIT_SECONDS:
            return entry[1]
        from kefu.settings import get_settings

        settings = get_settings()
        if encoder is None and _ENCODER:
            encoder = _ENCODER[0]
        if encoder is None:
            from kefu.knowledge.base import load_encoder

            encoder = load_encoder(settings)
        _ENCODER[:] = [encoder]
        recommender = Recommender(cache_dir=settings.home / "cache" / "recommend")
        recommender.fit(store, encoder)
        _FITTED[store.url] = (time.monotonic(), recommender)
        return recommender


@dataclass(frozen=True)
class Recommendations:
    """Recommended items, best first; an empty list means nothing fits the constraints."""

    items: list[Recommendation]
    matching: int  # how many products fit the constraints in all


@tool()
def recommend_products(
    store: Store,
    query: str | None = None,
    category: str | None = None,
    budget_min: Decimal | None = None,
    budget_max: Decimal | None = None,
    options: dict[str, str] | None = None,
    brand: str | None = None,
    user_id: str | None = None,
    exclude_product_ids: list[str] | None = None,
    like_product_id: str | None = None,
    larger_than: dict[str, str] | None = None,
    smaller_than: dict[str, str] | None = None,
    product_ids: list[str] | None = None,
    limit: int = 3,
) -> Recommendations:
    """Recommend available products for a need, ranked by fit to the need, then the
    customer's purchase history and remembered preferences, then co-purchase and
    popularity. Each item has reasons as data (price, matched options and words, bought
    with, similar to, popular) to explain the choice with.

    Args:
        query: What the customer wants, in English or Chinese, e.g. 'quiet keyboard for the
            office' or '适合跑步的鞋'. Optional.
        category: A category id or its English or Chinese name (an unknown one is read as
            part of the query).
        budget_min: Lowest price to include.
        budget_max: Highest price to include.
        options: Options the item must have, e.g. {"color": "red"} or {"颜色": "红色"}.
        brand: Only this brand.
        user_id: The identified customer, to personalise; optional.
        exclude_product_ids: Products not to recommend (e.g. already shown).
        like_product_id: A product or item id the result should resemble.
        larger_than: Options whose value must be bigger, e.g. {"size": "M"} (L, XL, ...) or
            {"capacity": "1L"}.
        smaller_than: Options whose value must be smaller, e.g. {"storage": "512GB"}.
        product_ids: Only these products (e.g. the ones the customer named).
        limit: How many items (1 to 10, default 3).
    """
    from kefu.errors import InvalidInput

    if not 1 <= limit <= 10:
        raise InvalidInput(f"limit must be between 1 and 10, got {limit}")
    need = Need(category=category, query=query or "", budget_min=budget_min,
                budget_max=budget_max, options=options or {}, above=larger_than or {},
                below=smaller_than or {}, brand=brand,
                exclude=frozenset(exclude_product_ids or ()), reference=like_product_id,
                products=frozenset(product_ids or ()))
    recommender = recommender_for(store)
    preferences = load_stated(store, user_id)[0] if user_id else None
    items = recommender.recommend(need, user_id, k=limit, preferences=preferences)
    return Recommendations(items=items, matching=recommender.count_matching(need))


@tool(name="similar_to_purchase")
def similar_to_purchase_tool(store: Store, user_id: str, product_or_item_id: str,
                             changed_options: dict[str, str] | None = None, limit: int = 3,
                             same_product_only: bool = False) -> Recommendations:
    """Items like one the customer bought but with some options changed ("like my keyboard
    but with clicky switches"): other variants of the same product first, then similar
    products. With same_product_only only the same product's variants (what an exchange
    may offer).

    Args:
        user_id: The customer who bought it.
        product_or_item_id: The bought item id (or its product id), from their orders.
        changed_options: What should differ, e.g. {"switch type": "clicky"} or {"颜色": "红色"}.
        limit: How many items (1 to 10, default 3).
        same_product_only: Only variants of the same product (for exchanges).
    """
    recommender = recommender_for(store)
    items = similar_to_purchase(recommender, user_id, product_or_item_id, changed_options,
                                k=limit, same_product_only=same_product_only)
    return Recommendations(items=items, matching=len(items))


@tool()
def show_preferences(store: Store, user_id: str) -> Profile:
    """Show what the store knows of a customer's taste: categories, brands, price range and
    sizes from their orders, and the preferences they asked us to remember (with when they
    consented; none without consent).

    Args:
        user_id: The identified customer.
    """
    return show_profile(store, user_id)


@tool(writes=True)
def remember_customer_preferences(store: Store, user_id: str, consent: bool,
                                  brands: list[str] | None = None,
                                  categories: list[str] | None = None,
                                  options: dict[str, str] | None = None,
                                  budget_max: Decimal | None = None) -> Profile:
    """Remember preferences the customer stated, for later conversations. Only with their
    explicit consent: ask first; without consent=true nothing is stored.

    Args:
        user_id: The identified customer.
        consent: True only if the customer agreed to have these remembered.
        brands: Brands they like.
        categories: Categories they shop for.
        options: Options they prefer, e.g. {"size": "M"} or {"尺码": "L"}.
        budget_max: Their usual budget ceiling.
    """
    prefs = StatedPreferences(brands=tuple(brands or ()), categories=tuple(categories or ()),
                              options=options or {}, budget_max=budget_max)
    return remember_preferences(store, user_id, prefs, consent=consent)


@dataclass(frozen=True)
class Forgotten:
    user_id: str
    deleted: int  # rows of remembered preferences deleted


@tool(writes=True)
def forget_preferences(store: Store, user_id: str) -> Forgotten:
    """Forget everything remembered of the customer's preferences ("forget my preferences",
    "删除我的偏好"). Their orders are not touched.

    Args:
        user_id: The identified customer.
    """
    return Forgotten(user_id, forget_profile(store, user_id))
