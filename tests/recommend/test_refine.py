"""Follow-ups: cheaper, in red, bigger, show me more, compare the first two, why this one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.errors import InvalidInput
from kefu.recommend import (
    Need,
    Recommender,
    bigger,
    cheaper,
    compare,
    more,
    smaller,
    why,
    with_option,
)
from kefu.recommend.ordering import compare_values, option_rank
from tests.recommend import shop as s


def test_cheaper_is_below_the_cheapest_shown(recommender: Recommender) -> None:
    need = Need(category="computers")
    shown = recommender.recommend(need, k=1)
    assert shown[0].product_id == s.KEYBOARD or shown[0].product_id == s.MOUSE
    cheapest = min(r.price for r in shown)
    follow = recommender.recommend(cheaper(need, shown), k=5)
    assert follow and all(r.price < cheapest for r in follow)
    assert cheaper(need, shown).budget_max == cheapest - Decimal("0.01")


def test_in_red_changes_one_option_and_keeps_the_rest(recommender: Recommender) -> None:
    need = Need(query="t-shirt", options={"size": "M"})
    shown = recommender.recommend(need, k=1)
    assert shown[0].item_id == s.SHIRT_BLUE_M  # blue M is the cheaper M
    red = with_option(need, None, "红色", shown)
    assert red.options == {"size": "m", "color": "red"}
    assert [r.item_id for r in recommender.recommend(red, k=1)] == [s.SHIRT_RED_M]


def test_bigger_follows_the_size_order(recommender: Recommender) -> None:
    need = Need(query="t-shirt", options={"size": "M", "color": "red"})
    shown = recommender.recommend(need, k=1)
    assert shown[0].item_id == s.SHIRT_RED_M
    up = bigger(need, shown)
    assert up.above == {"size": "m"} and "size" not in up.options
    assert recommender.recommend(up, k=1)[0].item_id == s.SHIRT_RED_L  # XL is sold out
    bottle = recommender.recommend(Need(query="water bottle", budget_max=Decimal("29")), k=1)
    assert bottle[0].item_id == s.BOTTLE_500
    larger = recommender.recommend(bigger(Need(query="water bottle"), bottle), k=1)
    assert larger[0].item_id in (s.BOTTLE_750, s.BOTTLE_1000)
    down = recommender.recommend(smaller(Need(query="water bottle"), larger), k=1)
    assert compare_values(str(down[0].options["capacity"]),
                          str(larger[0].options["capacity"])) == -1


def test_bigger_without_an_ordered_option_is_refused(recommender: Recommender) -> None:
    shown = recommender.recommend(Need(query="wireless mouse"), k=1)
    assert shown[0].product_id == s.MOUSE
    with pytest.raises(InvalidInput, match="Wireless Mouse has no option that comes in sizes"):
        bigger(Need(query="wireless mouse"), shown)


def test_show_me_more_never_repeats(recommender: Recommender) -> None:
    need = Need()
    seen: set[str] = set()
    shown = recommender.recommend(need, k=3)
    while shown:
        ids = {r.product_id for r in shown}
        assert not ids & seen
        seen |= ids
        need = more(need, shown)
        shown = recommender.recommend(need, k=3)
    assert len(seen) == 7  # every product with an available variant, each once


def test_compare_the_first_two() -> None:
    from kefu.recommend.types import Recommendation

    a = Recommendation(s.KEYBOARD, s.KB_LINEAR_BLACK, "Mechanical Keyboard", "",
                       Decimal("129.00"), {"switch type": "linear", "color": "black"}, 1.0)
    b = Recommendation(s.KEYBOARD, s.KB_CLICKY_WHITE, "Mechanical Keyboard", "",
                       Decimal("149.00"), {"switch type": "clicky", "color": "white"}, 0.9)
    result = compare(a, b)
    assert result.price_difference == Decimal("20.00") and result.cheaper == s.KEYBOARD
    assert result.same == {}
    assert [(d.attribute, d.first, d.second) for d in result.different] == [
        ("color", "black", "white"), ("switch type", "linear", "clicky")]
    c = Recommendation(s.MOUSE, s.MOUSE_BLACK, "Wireless Mouse", "", Decimal("39.00"),
                       {"color": "black"}, 0.5)
    other = compare(a, c)
    assert other.same == {"color": "black"} and other.cheaper == s.MOUSE
    assert other.different[0].attribute == "product"


def test_why_gives_reasons_as_data(recommender: Recommender) -> None:
    rec = recommender.recommend(Need(query="keyboard", budget_max=Decimal("200")),
                                s.ALICE, k=1)[0]
    kinds = [r.kind for r in why(rec)]
    assert kinds[0] == "price" and "matched_words" in kinds
    assert why(rec)[0].data["price"] == rec.price
    assert why(rec)[0].data["budget_max"] == Decimal("200")
    words = rec.reason("matched_words")
    assert words is not None and words.data["words"] == ["keyboard"]
    for reason in why(rec):  # data only: no sentence made up by the recommender
        assert all(not (isinstance(v, str) and len(v.split()) > 6) for v in reason.data.values())


def test_option_ranks() -> None:
    assert compare_values("1.5L", "1000ml") == 1
    assert compare_values("1TB", "512GB") == 1
    assert compare_values("S", "XL") == -1
    assert compare_values("大号", "中号") == 1
    assert compare_values("15.6 inch", "13-inch") == 1
    assert compare_values("red", "blue") is None
    assert compare_values("42", "1L") is None  # different families do not compare
    assert option_rank("RGB") is None
