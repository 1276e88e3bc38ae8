"""The recommendation and preference tools, called as the engine and LLM agents call them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from kefu.errors import InvalidInput, RuleViolation
from kefu.recommend import Recommender
from kefu.recommend.tools import forget_recommenders, use_recommender
from kefu.store import Store
from kefu.store import models as m
from kefu.tools import all_tools, call_tool, get_tool
from tests.recommend import shop as s

TOOLS = ("recommend_products", "similar_to_purchase", "show_preferences",
         "remember_customer_preferences", "forget_preferences")
DOC = (Path(__file__).resolve().parents[2] / "docs" / "recommendations.md").read_text(
    encoding="utf-8")


@pytest.fixture
def served(writable_shop: Store, recommender: Recommender) -> Store:
    use_recommender(writable_shop, recommender)
    yield writable_shop
    forget_recommenders()


def test_tools_are_registered_documented_and_described() -> None:
    names = {t.name for t in all_tools()}
    assert set(TOOLS) <= names
    for name in TOOLS:
        assert f"| `{name}` |" in DOC, f"document {name} in docs/recommendations.md"
        schema = get_tool(name).schema()["function"]
        assert schema["description"]
        assert all(p.get("description") for p in schema["parameters"]["properties"].values())
    assert get_tool("forget_preferences").writes
    assert not get_tool("recommend_products").writes


def test_recommend_products_returns_json_with_reasons(served: Store) -> None:
    out = call_tool(served, "recommend_products",
                    {"query": "机械键盘", "budget_max": "140", "user_id": s.ALICE, "limit": 2})
    assert out["matching"] >= 1
    first = out["items"][0]
    assert first["product_id"] == s.KEYBOARD and float(first["price"]) <= 140
    assert first["reasons"][0] == {"kind": "price", "data": {
        "price": first["price"], "budget_min": None, "budget_max": "140"}}
    with pytest.raises(InvalidInput, match="limit must be between 1 and 10, got 11"):
        call_tool(served, "recommend_products", {"limit": 11})


def test_similar_to_purchase_tool(served: Store) -> None:
    out = call_tool(served, "similar_to_purchase",
                    {"user_id": s.ALICE, "product_or_item_id": s.KB_LINEAR_BLACK,
                     "changed_options": {"switch type": "clicky"}, "same_product_only": True})
    assert [i["item_id"] for i in out["items"]] == [s.KB_CLICKY_BLACK, s.KB_CLICKY_WHITE]


def test_preference_tools_consent_show_forget(served: Store) -> None:
    with pytest.raises(RuleViolation):
        call_tool(served, "remember_customer_preferences",
                  {"user_id": s.BOB, "consent": False, "brands": ["Maple"]})
    remembered = call_tool(served, "remember_customer_preferences",
                           {"user_id": s.BOB, "consent": True, "options": {"尺码": "M"}})
    assert remembered["stated"]["options"] == {"size": "m"}
    shown = call_tool(served, "show_preferences", {"user_id": s.BOB})
    assert shown["stated"]["options"] == {"size": "m"} and shown["consented_at"]
    assert shown["orders"] == 3
    assert call_tool(served, "forget_preferences", {"user_id": s.BOB}) == {
        "user_id": s.BOB, "deleted": 1}
    with served.session() as session:
        assert session.scalar(select(func.count()).select_from(m.CustomerPreference)) == 0


def test_a_tool_call_without_an_encoder_reuses_the_last_fits(
        writable_shop: Store, shop: Store, encoder, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
        ) -> None:
    import kefu.knowledge.base as kb
    from kefu.recommend.tools import recommender_for

    loads: list[int] = []
    monkeypatch.setattr(kb, "load_encoder", lambda settings: loads.append(1) or encoder)
    forget_recommenders()
    try:
        recommender_for(shop, encoder)  # the engine's fit, with its NLU encoder
        fitted = recommender_for(writable_shop)  # a tool call on another store
        assert loads == [] and fitted is recommender_for(writable_shop)
        forget_recommenders()
        recommender_for(writable_shop)  # nothing fitted in this process yet: load once
        recommender_for(shop)
        assert loads == [1]
    finally:
        forget_recommenders()
