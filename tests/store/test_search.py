"""Catalog search (English and Chinese, filters), categories, and lookup by phone."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from kefu.errors import InvalidInput, NotFound, RuleViolation
from kefu.store import Store
from kefu.store.operations.lookup import find_customer_by_phone, normalize_phone
from kefu.store.operations.search import list_categories, search_products
from kefu.tools.registry import call_tool
from tests.store.small_shop import (
    BLOCKS,
    EAR_BLACK,
    EAR_RED,
    EAR_WHITE,
    EARBUDS,
    EMMA,
    SHIRT,
    SHIRT_RED_M,
    WEI,
    build_small_shop,
)

D = Decimal


@pytest.fixture
def shop(empty_store: Store) -> Iterator[Store]:
    build_small_shop(empty_store)
    yield empty_store


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.product_id for p in result.products]


def test_text_search_in_english_and_chinese(shop: Store) -> None:
    assert ids(search_products(shop, "EARBUDS")) == [EARBUDS]
    assert ids(search_products(shop, "蓝牙耳机")) == [EARBUDS]
    assert ids(search_products(shop, "耳机 降噪")) == [EARBUDS]
    assert ids(search_products(shop, "aurora wireless")) == [EARBUDS]
    assert ids(search_products(shop, "服装")) == [SHIRT]  # the category's Chinese name
    assert ids(search_products(shop, "maple")) == [SHIRT]  # brand
    assert search_products(shop, "earbuds 积木").total == 0
    assert search_products(shop, "100%_").total == 0  # LIKE wildcards are literal


def test_filters(shop: Store) -> None:
    result = search_products(shop, "earbuds")
    (earbuds,) = result.products
    # The sold-out white pair is left out unless asked for.
    assert [v.item_id for v in earbuds.variants] == [EAR_BLACK, EAR_RED]
    assert (earbuds.min_price, earbuds.max_price) == (D("300.00"), D("320.00"))
    everything = search_products(shop, "earbuds", available_only=False).products[0]
    assert EAR_WHITE in [v.item_id for v in everything.variants]

    red = search_products(shop, options={"Color": "RED"})
    assert {v.item_id for p in red.products for v in p.variants} == {EAR_RED, SHIRT_RED_M}
    assert ids(search_products(shop, options={"color": "red", "size": "m"})) == [SHIRT]
    assert ids(search_products(shop, min_price=D("50"), max_price=D("110"))) == [SHIRT,
                                                                                 BLOCKS]
    cheap_earbuds = search_products(shop, max_price=D("310"), category="数码电子")
    assert [v.item_id for p in cheap_earbuds.products for v in p.variants] == [EAR_BLACK]
    assert ids(search_products(shop, category="Clothing")) == [SHIRT]
    assert ids(search_products(shop, category="toys")) == [BLOCKS]


def test_limit_total_and_refusals(shop: Store) -> None:
    result = search_products(shop, limit=1)
    assert result.total == 3 and len(result.products) == 1
    with pytest.raises(NotFound, match="no category 'garden'") as err:
        search_products(shop, category="garden")
    assert "clothing (Clothing/服装)" in str(err.value)
    with pytest.raises(InvalidInput, match="limit must be between 1 and 50, got 0"):
        search_products(shop, limit=0)
    with pytest.raises(InvalidInput, match="above max_price"):
        search_products(shop, min_price=D("10"), max_price=D("5"))


def test_categories(shop: Store) -> None:
    assert [(c.category_id, c.name_zh, c.product_count) for c in list_categories(shop)] == [
        ("clothing", "服装", 1), ("electronics", "数码电子", 1), ("toys", "玩具", 1)]


def test_search_as_a_tool_call(shop: Store) -> None:
    result = call_tool(shop, "search_products",
                       {"query": "耳机", "options": {"color": "black"}, "max_price": 500})
    assert result["total"] == 1
    assert result["products"][0]["variants"][0]["price"] == "300.00"


@pytest.mark.parametrize(("given", "digits"), [
    ("+86 139 1234 5678", "13912345678"), ("0086-139-1234-5678", "13912345678"),
    ("8613912345678", "13912345678"), ("+1 (415) 555-0123", "4155550123"),
    ("001 415 555 0123", "4155550123"), ("139.1234.5678", "13912345678"),
])
def test_normalize_phone(given: str, digits: str) -> None:
    assert normalize_phone(given) == digits


def test_find_customer_by_phone(shop: Store) -> None:
    assert find_customer_by_phone(shop, "139 1234 5678") == WEI
    assert find_customer_by_phone(shop, "+8613912345678") == WEI
    assert find_customer_by_phone(shop, "4155550123") == EMMA
    assert find_customer_by_phone(shop, "1-415-555-0123") == EMMA
    with pytest.raises(NotFound, match="no customer has the phone number") as err:
        find_customer_by_phone(shop, "139 1234 0000")
    assert WEI not in str(err.value)
    # Two customers share a number: it identifies nobody, and names neither.
    with pytest.raises(RuleViolation, match="more than one customer") as shared:
        find_customer_by_phone(shop, "13800138000")
    assert "wang" not in str(shared.value)
    with pytest.raises(InvalidInput, match="too short"):
        find_customer_by_phone(shop, "12 34")
    with pytest.raises(InvalidInput, match="not a phone number"):
        find_customer_by_phone(shop, "wei@example.com")


def test_demo_shop_search(demo_store: Store) -> None:
    earbuds = search_products(demo_store, "无线蓝牙耳机")
    assert earbuds.total >= 2
    assert all("耳机" in p.name_zh for p in earbuds.products)
    english = search_products(demo_store, "wireless earbuds")
    assert ids(english) == ids(earbuds)
    red_shirts = search_products(demo_store, "t-shirt", options={"color": "red"},
                                 category="服装", limit=50)
    for product in red_shirts.products:
        assert all(v.options["color"] == "red" for v in product.variants)
    laptops = search_products(demo_store, "laptop", min_price=D("5000"), limit=50)
    assert all(v.price >= 5000 for p in laptops.products for v in p.variants)
    assert len(list_categories(demo_store)) == 12


def test_options_in_chinese_and_option_words_in_the_query(shop: Store) -> None:
    red = search_products(shop, options={"颜色": "红色"})
    assert {v.item_id for p in red.products for v in p.variants} == {EAR_RED, SHIRT_RED_M}
    for query in ("red earbuds", "红色 耳机", "耳机 RED"):
        result = search_products(shop, query)
        assert [(p.product_id, [v.item_id for v in p.variants])
                for p in result.products] == [(EARBUDS, [EAR_RED])], query
    assert search_products(shop, "purple earbuds").total == 0
    # 'wireless' is an option value elsewhere, but these earbuds have it in their name.
    assert ids(search_products(shop, "wireless")) == [EARBUDS]
