"""Promotions, coupons and cart pricing: the stacking rule in worked examples."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from kefu.errors import InvalidInput, NotFound, RuleViolation
from kefu.store import Store, clock
from kefu.store.demo import REFERENCE_DATE
from kefu.store.operations.offers import list_active_promotions, list_usable_coupons, price_cart
from kefu.store.pricing import CartLine, Offer, price_lines
from kefu.tools.registry import call_tool
from tests.store.small_shop import (
    BLOCKS_300,
    EAR_BLACK,
    EAR_RED,
    EAR_WHITE,
    EMMA,
    NOW,
    SHIRT,
    SHIRT_BLUE_L,
    SHIRT_RED_M,
    WEI,
    build_small_shop,
)

D = Decimal


@pytest.fixture
def shop(empty_store: Store) -> Iterator[Store]:
    build_small_shop(empty_store)
    with clock.frozen_at(NOW):
        yield empty_store


# -- the rule on plain lines (no database) --------------------------------------------------

def line(item: str, price: str, category: str = "c", brand: str = "b") -> CartLine:
    return CartLine(item, "p" + item, item, D(price), category, brand)


def test_percentage_rounds_half_up_and_fixed_never_goes_below_zero() -> None:
    pct = Offer("p", "p", "p", "percentage", D("15"))
    fixed = Offer("f", "f", "f", "fixed", D("80"))
    quote = price_lines([line("a", "33.30"), line("b", "50.00")], [pct, fixed])
    # Fixed 80 takes a whole unit (33.30 or 50), more than 15% would.
    assert [p.promotion_discount for p in quote.lines] == [D("33.30"), D("50.00")]
    assert quote.total == D("0.00")
    only_pct = price_lines([line("a", "33.30")], [pct])
    assert only_pct.lines[0].promotion_discount == D("5.00")
    assert only_pct.total == D("28.30")


def test_only_the_best_threshold_promotion_applies_on_discounted_prices() -> None:
    pct = Offer("pct", "", "", "percentage", D("50"), scope="category", scope_values=("c",))
    small = Offer("t1", "", "", "threshold", D("30"), threshold=D("100"))
    big = Offer("t2", "", "", "threshold", D("60"), threshold=D("150"))
    # 200 list price, 100 after 50% off: t2 (needs 150) does not qualify, t1 does.
    quote = price_lines([line("a", "200")], [pct, small, big])
    assert [a.id for a in quote.promotions] == ["pct", "t1"]
    assert quote.total == D("70.00")


def test_coupon_percentage_is_capped_and_never_exceeds_the_covered_amount() -> None:
    coupon = Offer("cp", "", "", "percentage", D("50"), threshold=D("0"), max_discount=D("10"))
    assert price_lines([line("a", "100")], [], coupon).coupon_discount == D("10.00")
    fixed = Offer("cf", "", "", "fixed", D("500"), threshold=D("0"))
    quote = price_lines([line("a", "100")], [], fixed)
    assert quote.coupon_discount == D("100.00") and quote.total == D("0.00")


# -- the worked examples of docs/store.md, on both backends ----------------------------------

def test_worked_example_promotions_threshold_and_best_coupon(shop: Store) -> None:
    quote = price_cart(shop, [EAR_BLACK, SHIRT_RED_M, SHIRT_BLUE_L], user_id=WEI)
    assert quote.currency == "CNY"
    assert quote.subtotal == D("520.00")
    # Shirt 100: fixed 22 beats 20%; shirt 120: 20% (24) beats fixed 22.
    assert [(p.promotion_id, p.promotion_discount) for p in quote.lines] == [
        (None, D("0.00")), ("shirt_minus_22", D("22.00")), ("clothes_20", D("24.00"))]
    # 300 + 78 + 96 = 474 >= 300: 50 off shared 31.65 / 8.23 / 10.12.
    assert [p.threshold_discount for p in quote.lines] == [D("31.65"), D("8.23"), D("10.12")]
    assert {a.id: a.discount for a in quote.promotions} == {
        "shirt_minus_22": D("22.00"), "clothes_20": D("24.00"), "all_300_50": D("50.00")}
    assert quote.promotion_discount == D("96.00")
    assert quote.coupon is None and quote.total == D("424.00")
    # CP2: 10% of 424 = 42.40, capped at 25, beats CP1 (20) and CP3 (15).
    assert quote.suggested_coupon is not None
    assert (quote.suggested_coupon.id, quote.suggested_coupon.discount) == ("CP2", D("25.00"))

    with_cp3 = price_cart(shop, [EAR_BLACK, SHIRT_RED_M, SHIRT_BLUE_L], user_id=WEI,
                          coupon_id="CP3")
    # CP3 covers the shirts: 69.77 + 85.88 = 155.65 >= 150.
    assert with_cp3.coupon_discount == D("15.00") and with_cp3.total == D("409.00")


def test_one_threshold_promotion_per_cart(shop: Store) -> None:
    quote = price_cart(shop, [EAR_BLACK, EAR_RED])
    # 620: both "300 - 50" and "electronics 600 - 80" qualify; the larger one applies.
    assert [a.id for a in quote.promotions] == ["elec_600_80"]
    assert quote.total == D("540.00")
    assert quote.suggested_coupon is None


def test_brand_promotion_per_unit_and_repeated_items(shop: Store) -> None:
    quote = price_cart(shop, [BLOCKS_300, BLOCKS_300])
    assert quote.promotions[0].id == "playnest_10"
    assert quote.promotions[0].discount == D("20.00")
    assert quote.total == D("99.80")


def test_coupon_refusals_say_why(shop: Store) -> None:
    with pytest.raises(RuleViolation, match=r"needs a spend of 199.00.*121.00 short"):
        price_cart(shop, [SHIRT_RED_M], user_id=WEI, coupon_id="CP1")
    with pytest.raises(RuleViolation, match="expired on"):
        price_cart(shop, [SHIRT_RED_M], user_id=WEI, coupon_id="CP4")
    with pytest.raises(RuleViolation, match=r"already used on order #W1000001"):
        price_cart(shop, [SHIRT_RED_M], user_id=WEI, coupon_id="CP5")
    with pytest.raises(RuleViolation, match="cannot be used before"):
        price_cart(shop, [SHIRT_RED_M], user_id=WEI, coupon_id="CP6")
    with pytest.raises(NotFound, match="has no coupon 'CP7'"):
        price_cart(shop, [SHIRT_RED_M], user_id=WEI, coupon_id="CP7")
    with pytest.raises(InvalidInput, match="give user_id"):
        price_cart(shop, [SHIRT_RED_M], coupon_id="CP1")


def test_cart_refusals(shop: Store) -> None:
    with pytest.raises(RuleViolation, match=f"{EAR_WHITE}.*out of stock") as err:
        price_cart(shop, [EAR_WHITE])
    assert EAR_BLACK in str(err.value) and EAR_RED in str(err.value)
    with pytest.raises(NotFound, match="no item '999'"):
        price_cart(shop, ["999"])
    with pytest.raises(InvalidInput, match="empty"):
        price_cart(shop, [])


def test_usable_coupons_by_time_and_by_cart(shop: Store) -> None:
    assert [c.coupon_id for c in list_usable_coupons(shop, WEI)] == ["CP1", "CP2", "CP3"]
    # One shirt (78 after promotions): only CP2 applies (CP1 needs 199, CP3 needs 150).
    fitting = list_usable_coupons(shop, WEI, [SHIRT_RED_M])
    assert [(c.coupon_id, c.discount) for c in fitting] == [("CP2", D("7.80"))]
    big = list_usable_coupons(shop, WEI, [EAR_BLACK, SHIRT_RED_M, SHIRT_BLUE_L])
    assert [(c.coupon_id, c.discount) for c in big] == [
        ("CP2", D("25.00")), ("CP1", D("20.00")), ("CP3", D("15.00"))]
    assert [c.coupon_id for c in list_usable_coupons(shop, EMMA)] == ["CP7"]
    with pytest.raises(NotFound):
        list_usable_coupons(shop, "nobody_0000")


def test_active_promotions_and_filters(shop: Store) -> None:
    ids = [p.promotion_id for p in list_active_promotions(shop)]
    assert ids == ["all_300_50", "clothes_20", "elec_600_80", "playnest_10", "shirt_minus_22"]
    assert [p.promotion_id for p in list_active_promotions(shop, category="clothing")] == [
        "all_300_50", "clothes_20"]
    assert [p.promotion_id for p in list_active_promotions(shop, product_id=SHIRT)] == [
        "all_300_50", "clothes_20", "shirt_minus_22"]
    assert [p.promotion_id for p in list_active_promotions(shop, brand="PLAYNEST")] == [
        "all_300_50", "playnest_10"]
    later = list_active_promotions(shop, at=NOW.replace(day=7))
    assert "soon_100" in [p.promotion_id for p in later]
    earlier = list_active_promotions(shop, at=NOW.replace(month=10, day=5))
    assert [p.promotion_id for p in earlier] == ["old_half"]


def test_tool_call_gives_json_money(shop: Store) -> None:
    result = call_tool(shop, "price_cart", {"item_ids": [SHIRT_RED_M], "user_id": WEI})
    assert result["total"] == "78.00" and result["suggested_coupon"]["id"] == "CP2"


def test_demo_shop_offers_at_its_reference_date(demo_store: Store) -> None:
    with clock.frozen_at(REFERENCE_DATE):
        active = {p.promotion_id for p in list_active_promotions(demo_store)}
    assert {"double11_2026", "winter_clothing_20", "aurora_brand_day"} <= active
    assert not {"national_day_10", "double12_2026"} & active


def test_policy_of_an_older_store_still_loads(sqlite_url: str) -> None:
    """A store saved by an older kefu keeps a retired setting; it is ignored, not fatal."""
    from kefu.store import open_store
    from kefu.store.models import PolicySetting
    from kefu.store.policy import load_policy

    store = open_store(sqlite_url)
    with store.transaction() as session:
        session.add(PolicySetting(key="max_item_modifications", value=1))
        session.add(PolicySetting(key="return_window_days", value=10))
    with store.session() as session:
        assert load_policy(session).return_window_days == 10
