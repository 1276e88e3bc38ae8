"""Hard constraints (budget, options, availability, category, brand, exclusions) hold for
every recommendation, on the small shop and on random needs over the demo shop."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from kefu.errors import InvalidInput
from kefu.recommend import Need, Recommender
from kefu.recommend.catalog import load_catalog
from kefu.recommend.ordering import compare_values
from kefu.store import open_store
from tests.recommend import shop as s


def test_budget_is_a_hard_limit(recommender: Recommender) -> None:
    recs = recommender.recommend(Need(query="keyboard", budget_max=Decimal("136")), k=5)
    assert recs, "the linear and tactile keyboards fit under 136"
    assert all(r.price <= Decimal("136") for r in recs)
    keyboard = [r for r in recs if r.product_id == s.KEYBOARD]
    assert keyboard and keyboard[0].item_id in (s.KB_LINEAR_BLACK, s.KB_TACTILE_BLACK)
    low = recommender.recommend(Need(budget_min=Decimal("290")), k=10)
    assert {r.product_id for r in low} == {s.SHOES, s.CHAIR}


def test_options_pick_the_variant_and_chinese_options_are_translated(
        recommender: Recommender) -> None:
    recs = recommender.recommend(Need(query="T恤", options={"颜色": "红色", "尺码": "L"}), k=3)
    assert [r.item_id for r in recs] == [s.SHIRT_RED_L]
    reason = recs[0].reason("matched_options")
    assert reason is not None and reason.data["options"] == {"color": "red", "size": "L"}


def test_unavailable_items_are_never_recommended(recommender: Recommender) -> None:
    recs = recommender.recommend(Need(query="gaming headset"), k=10)
    assert s.HEADSET not in {r.product_id for r in recs}
    xl = recommender.recommend(Need(options={"size": "XL"}), k=10)
    assert xl == []  # the only XL shirt is sold out
    with_sold_out = recommender.recommend(Need(options={"size": "XL"}, available_only=False))
    assert [r.item_id for r in with_sold_out] == [s.SHIRT_RED_XL]


def test_category_brand_and_exclusions(recommender: Recommender) -> None:
    recs = recommender.recommend(Need(category="电脑及外设"), k=10)
    assert {r.product_id for r in recs} == {s.KEYBOARD, s.MOUSE}
    assert all(r.reason("category") for r in recs)
    recs = recommender.recommend(Need(brand="summit"), k=10)
    assert [r.product_id for r in recs] == [s.BOTTLE]
    recs = recommender.recommend(Need(category="computers", exclude=frozenset({s.KEYBOARD})))
    assert [r.product_id for r in recs] == [s.MOUSE]


def test_an_unknown_category_is_read_as_words(recommender: Recommender) -> None:
    recs = recommender.recommend(Need(category="water bottle"), k=1)
    assert recs[0].product_id == s.BOTTLE


def test_bad_needs_are_refused_with_the_value() -> None:
    with pytest.raises(InvalidInput, match="budget_min .*50.* is above budget_max .*20"):
        Need(budget_min=Decimal("50"), budget_max=Decimal("20"))
    with pytest.raises(InvalidInput, match="must not be negative, got -1"):
        Need(budget_max=Decimal("-1"))


def test_k_is_checked(recommender: Recommender) -> None:
    with pytest.raises(InvalidInput, match="k must be between 1 and 50, got 0"):
        recommender.recommend(Need(), k=0)


def test_random_needs_on_the_demo_shop_respect_every_constraint() -> None:
    from tests.store.demo_support import built_demo

    url, _, _ = built_demo("sqlite")
    store = open_store(url, migrate=False)
    recommender = Recommender().fit(store, None)  # lexical content: no model needed here
    products = {p.product_id: p for p in load_catalog(store)}
    rng = random.Random(3)
    keys = sorted({k for p in products.values() for v in p.variants for k in v.folded})
    checked = 0
    for _ in range(60):
        product = rng.choice(list(products.values()))
        variant = rng.choice(product.variants)
        key = rng.choice(sorted(variant.folded)) if variant.folded else rng.choice(keys)
        budget = Decimal(rng.choice(["100", "300", "1000", "5000"]))
        need = Need(query=rng.choice(["", product.name_zh, product.name.split()[-1]]),
                    budget_max=budget, options={key: variant.folded.get(key, "black")},
                    above={}, exclude=frozenset({product.product_id}))
        for rec in recommender.recommend(need, k=5):
            item = next(v for v in products[rec.product_id].variants if v.item_id == rec.item_id)
            assert item.available and item.price <= budget
            assert rec.product_id != product.product_id
            if key in item.folded:
                assert item.folded[key] == need.options[key]
            checked += 1
        bigger = recommender.recommend(Need(above={"size": "M"}), k=5)
        for rec in bigger:
            assert compare_values(str(rec.options["size"]), "M") == 1
    assert checked > 50
    store.dispose()
