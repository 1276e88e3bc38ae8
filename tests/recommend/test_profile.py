"""The profile: derived from orders; stated preferences stored only with consent, shown on
request, and forgotten completely (no row of them left in the database)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from kefu.errors import NotFound, RuleViolation
from kefu.recommend import (
    Need,
    Recommender,
    StatedPreferences,
    forget_profile,
    remember_preferences,
    show_profile,
)
from kefu.store import Store
from kefu.store import models as m
from tests.recommend import shop as s


def preference_rows(store: Store, customer_id: str | None = None) -> int:
    with store.session() as session:
        stmt = select(func.count()).select_from(m.CustomerPreference)
        if customer_id is not None:
            stmt = stmt.where(m.CustomerPreference.customer_id == customer_id)
        return int(session.scalar(stmt) or 0)


def test_profile_is_derived_from_purchase_history(shop: Store) -> None:
    profile = show_profile(shop, s.BOB)
    assert profile.orders == 3
    assert dict(profile.categories) == {"clothing": 2, "sports": 1, "computers": 2}
    assert dict(profile.brands) == {"Maple": 2, "Stride": 1, "Keystone": 2}
    assert profile.options["size"] == ("m", "42")
    assert profile.options["color"][0] == "blue"
    assert (profile.price_min, profile.price_max) == (Decimal("39.00"), Decimal("299.00"))
    assert profile.price_median == Decimal("59.00")
    assert profile.consented_at is None and profile.stated.is_empty
    assert show_profile(shop, s.NEW).orders == 0


def test_nothing_is_stored_without_consent(writable_shop: Store) -> None:
    prefs = StatedPreferences(brands=("Maple",), options={"尺码": "L"})
    with pytest.raises(RuleViolation, match="only with the customer's consent"):
        remember_preferences(writable_shop, s.ALICE, prefs, consent=False)
    assert preference_rows(writable_shop) == 0


def test_remember_show_and_forget(writable_shop: Store) -> None:
    prefs = StatedPreferences(brands=("Maple",), categories=("clothing",),
                              options={"尺码": "L"}, budget_max=Decimal("80"))
    profile = remember_preferences(writable_shop, s.ALICE, prefs, consent=True)
    assert profile.stated.brands == ("Maple",)
    assert profile.stated.options == {"size": "l"}
    assert profile.stated.budget_max == Decimal("80")
    assert profile.consented_at is not None
    assert preference_rows(writable_shop, s.ALICE) == 4
    # merged, not replaced
    profile = remember_preferences(writable_shop, s.ALICE,
                                   StatedPreferences(brands=("Stride",)), consent=True)
    assert profile.stated.brands == ("Maple", "Stride")
    assert show_profile(writable_shop, s.ALICE).stated.categories == ("clothing",)
    remember_preferences(writable_shop, s.BOB, StatedPreferences(brands=("Summit",)),
                         consent=True)

    assert forget_profile(writable_shop, s.ALICE) == 4
    assert preference_rows(writable_shop, s.ALICE) == 0
    with writable_shop.session() as session:  # nothing of it anywhere in the table
        values = session.scalars(select(m.CustomerPreference.value)).all()
    assert all("Maple" not in str(v) and "clothing" not in str(v) for v in values)
    assert preference_rows(writable_shop, s.BOB) == 1  # another customer's are kept
    shown = show_profile(writable_shop, s.ALICE)
    assert shown.stated.is_empty and shown.consented_at is None
    assert forget_profile(writable_shop, s.ALICE) == 0


def test_unknown_customer_is_named(writable_shop: Store) -> None:
    with pytest.raises(NotFound, match="customer nobody_0000 not found"):
        remember_preferences(writable_shop, "nobody_0000", StatedPreferences(brands=("X",)),
                             consent=True)


def test_stated_preferences_steer_ranking_and_variant(recommender: Recommender) -> None:
    plain = recommender.recommend(Need(query="t-shirt"), s.NEW, k=1)[0]
    assert plain.item_id == s.SHIRT_BLUE_M  # cheapest
    sized = recommender.recommend(Need(query="t-shirt"), s.NEW, k=1,
                                  preferences=StatedPreferences(options={"size": "L"}))[0]
    assert sized.item_id == s.SHIRT_RED_L
    liked = recommender.recommend(Need(category="sports"), s.NEW, k=1,
                                  preferences=StatedPreferences(brands=("Stride",)))[0]
    assert liked.product_id == s.SHOES
    reason = liked.reason("profile")
    assert reason is not None and reason.data["brands"] == ["Stride"]


def test_bought_sizes_choose_the_variant(recommender: Recommender) -> None:
    # Alice bought a shirt in M: the M variant is shown to her
    rec = recommender.recommend(Need(query="t-shirt", options={"color": "red"}), s.ALICE)[0]
    assert rec.item_id == s.SHIRT_RED_M
