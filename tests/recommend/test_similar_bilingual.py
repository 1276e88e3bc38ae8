""""Like the one I bought but ...", and queries across languages (the encoder is
multilingual: a Chinese query finds English-only products and the reverse)."""

from __future__ import annotations

import pytest

from kefu.errors import NotFound
from kefu.recommend import Need, Recommender, find_purchase, similar_to_purchase
from tests.recommend import shop as s


def test_similar_to_purchase_prefers_variants_of_the_same_product(
        recommender: Recommender) -> None:
    recs = similar_to_purchase(recommender, s.ALICE, s.KB_LINEAR_BLACK,
                               {"switch": "clicky"}, k=3)
    # the same keyboard with clicky switches, the bought colour (black) kept first
    assert [r.item_id for r in recs[:2]] == [s.KB_CLICKY_BLACK, s.KB_CLICKY_WHITE]
    first = recs[0]
    assert first.reasons[0].kind == "same_product"
    assert first.reason("matched_options").data == {  # type: ignore[union-attr]
        "options": {"switch type": "clicky"}, "kept": {"color": "black"}}
    assert first.reason("price").data["difference"] == 10  # type: ignore[union-attr]
    assert len(recs) == 2  # no other product has clicky switches


def test_similar_products_follow_when_the_product_lacks_the_option(
        recommender: Recommender) -> None:
    recs = similar_to_purchase(recommender, s.ALICE, s.MOUSE_BLACK, {"color": "white"})
    assert [r.item_id for r in recs] == [s.KB_CLICKY_WHITE]  # the only other white item
    similar = recs[0].reason("similar_to")
    assert similar is not None and similar.data["product_id"] == s.MOUSE


def test_exchange_offers_only_the_same_product(recommender: Recommender) -> None:
    recs = similar_to_purchase(recommender, s.BOB, s.SHIRT_RED_M, {"尺码": "L"}, k=3,
                               same_product_only=True)
    assert [r.item_id for r in recs] == [s.SHIRT_RED_L]  # XL sold out; colour kept
    assert similar_to_purchase(recommender, s.BOB, s.SHIRT_RED_M, {"color": "green"},
                               same_product_only=True) == []


def test_similar_to_something_not_bought_is_refused(recommender: Recommender) -> None:
    with pytest.raises(NotFound, match="has not bought Office Chair"):
        similar_to_purchase(recommender, s.ALICE, s.CHAIR, {"color": "red"})


def test_find_purchase_by_words_in_either_language(recommender: Recommender) -> None:
    line = find_purchase(recommender, s.ALICE, "the keyboard I bought")
    assert line is not None and line.item_id == s.KB_LINEAR_BLACK
    line = find_purchase(recommender, s.ALICE, "我买的那件T恤")
    assert line is not None and line.item_id == s.SHIRT_RED_M
    assert find_purchase(recommender, s.NEW, "keyboard") is None


@pytest.mark.parametrize(("query", "product"), [
    ("机械键盘", s.KEYBOARD),              # Chinese query, English-only product
    ("无线鼠标", s.MOUSE),
    ("办公椅", s.CHAIR),
    ("跑步鞋", s.SHOES),
    ("a vacuum flask to keep my tea hot", s.FLASK),  # English query, Chinese-only product
    ("running shoes", s.SHOES),
])
def test_queries_cross_languages(recommender: Recommender, query: str, product: str) -> None:
    assert recommender.recommend(Need(query=query), k=1)[0].product_id == product


def test_a_new_customer_gets_popular_items_under_the_constraints(
        recommender: Recommender) -> None:
    recs = recommender.recommend(Need(category="computers"), s.NEW, k=2)
    # the mouse was bought by four customers, the keyboard by four: both, popular first
    assert {r.product_id for r in recs} == {s.KEYBOARD, s.MOUSE}
    assert all(r.reason("popular") for r in recs)
    anything = recommender.recommend(Need(), s.NEW, k=1)
    assert anything[0].product_id in (s.KEYBOARD, s.MOUSE)


def test_history_steers_an_open_request(recommender: Recommender) -> None:
    # Erin buys bottles and shoes (sports); an open request leans to sports products
    recs = recommender.recommend(Need(), s.ERIN, k=2)
    assert {r.product_id for r in recs} <= {s.BOTTLE, s.SHOES, s.KEYBOARD, s.MOUSE}
    assert any(r.reason("profile") for r in recs)


def test_co_purchase_gives_a_bought_with_reason(recommender: Recommender) -> None:
    # Carol bought a keyboard and a mouse; others buying keyboards bought mice and a chair
    recs = recommender.recommend(Need(category="furniture"), s.CAROL, k=1)
    assert recs[0].product_id == s.CHAIR
    reason = recs[0].reason("bought_with")
    assert reason is not None and reason.data["product_id"] in (s.KEYBOARD, s.MOUSE)
