"""A recommendation conversation at the library level, as the dialogue layer will drive it:
the need and the shown items kept as JSON between turns, a clarifying question while too
many products fit, follow-ups through ``refine``."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from kefu.errors import InvalidInput
from kefu.recommend import (
    Feedback,
    Need,
    Recommender,
    compare,
    need_from_entities,
    need_from_json,
    need_to_json,
    recommendation_from_json,
    recommendation_to_json,
    refine,
)
from tests.recommend import shop as s


def roundtrip(need: Need, shown: list) -> tuple[Need, list]:
    """What a tracker slot does to them: JSON text and back."""
    need_json = json.loads(json.dumps(need_to_json(need)))
    shown_json = json.loads(json.dumps([recommendation_to_json(x) for x in shown]))
    return need_from_json(need_json), [recommendation_from_json(x) for x in shown_json]


def test_clarify_asks_one_question_while_too_many_fit(recommender: Recommender) -> None:
    question = recommender.clarify(Need())
    assert question is not None and question.kind == "category"
    assert dict(question.values)["computers"] == 2 and question.matching == 7
    # shoes at 299 and bottles from 25: no option splits them well, the budget does
    budget = recommender.clarify(Need(category="sports"), enough=1)
    assert budget is not None and budget.kind == "budget"
    assert budget.bounds == (Decimal("25"), Decimal("299")) and budget.matching == 2
    assert dict(budget.values) == {"low": 1, "mid": 1, "high": 0}
    # among keyboards and mice with a budget, the switch type or colour is asked
    option = recommender.clarify(Need(category="computers", budget_max=Decimal("200")),
                                 enough=1)
    assert option is not None and option.kind == "option"
    assert option.key in ("color", "switch type")
    assert recommender.clarify(Need(category="computers")) is None  # 2 fit: recommend


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_recommendation_conversation(recommender: Recommender, language: str) -> None:
    query = {"en": "a t-shirt", "zh": "T恤"}[language]
    red = {"en": "red", "zh": "红色"}[language]
    need = Need(query=query, budget_max=Decimal("60"))
    shown = recommender.recommend(need, s.NEW, k=1)
    assert shown[0].product_id == s.SHIRT and shown[0].price <= 60
    need, shown = roundtrip(need, shown)

    need = refine(need, shown, Feedback("option", value=red))       # "in red"
    shown = recommender.recommend(need, s.NEW, k=1)
    assert shown[0].options["color"] == "red"
    need, shown = roundtrip(need, shown)

    need = refine(need, shown, Feedback("bigger"))                  # "a bigger one"
    bigger = recommender.recommend(need, s.NEW, k=1)
    assert bigger[0].item_id == s.SHIRT_RED_L
    need, shown = roundtrip(need, bigger)

    comparison = compare(*recommender.recommend(Need(query="bottle"), k=2))
    assert comparison.first.product_id == s.BOTTLE

    need = refine(need, shown, Feedback("more"))                    # "show me more"
    assert s.SHIRT in need.exclude
    assert all(x.product_id != s.SHIRT for x in recommender.recommend(need, s.NEW, k=3))


def test_feedback_is_checked() -> None:
    with pytest.raises(InvalidInput, match="feedback kind must be one of .*got 'louder'"):
        Feedback("louder")
    with pytest.raises(InvalidInput, match="option feedback needs a value"):
        Feedback("option")
    with pytest.raises(InvalidInput, match="cheaper needs the items shown before"):
        refine(Need(), [], Feedback("cheaper"))


def test_need_from_entities_over_turns(recommender: Recommender) -> None:
    from kefu.nlu.types import Entity

    def e(kind: str, value: str) -> Entity:
        return Entity(kind, value, 0, len(value))

    # "想买件T恤，100块以内" / then "要红色的" / then "L码"
    need = need_from_entities([e("product", "T恤"), e("money", "<=100")])
    assert need.query == "T恤" and need.budget_max == Decimal("100")
    need = need_from_entities([e("option", "red")], need)
    need = need_from_entities([e("option", "L")], need)
    assert need.options == {"color": "red", "size": "l"}
    assert [x.item_id for x in recommender.recommend(need, k=1)] == [s.SHIRT_RED_L]
    # a new product: the old options go, the budget stays; a range is read as a range
    need = need_from_entities([e("product", "running shoes"), e("money", "200-300")], need)
    assert need.options == {} and need.query == "running shoes"
    assert (need.budget_min, need.budget_max) == (Decimal("200"), Decimal("300"))
    assert recommender.recommend(need, k=1)[0].product_id == s.SHOES
    with pytest.raises(InvalidInput, match="cannot read the budget 'lots'"):
        need_from_entities([e("money", "lots")])
