"""What the dialogue layer keeps between turns, as JSON, and one entry point for follow-ups.

A conversation keeps the current :class:`Need` and the items shown (slots hold JSON), so
"cheaper", "in red", "a bigger one" or "show me more" in the next turn become
``refine(need, shown, Feedback(...))`` and a new ``recommend``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from kefu.errors import InvalidInput
from kefu.recommend import refine as r
from kefu.recommend.types import Need, Reason, Recommendation

FEEDBACK_KINDS = ("cheaper", "option", "bigger", "smaller", "more")


@dataclass(frozen=True)
class Feedback:
    """A follow-up: ``cheaper``; ``option`` (``value``, optional ``key``: "in red");
    ``bigger`` / ``smaller`` (optional ``key``; ``which`` shown item, 0-based); ``more``."""

    kind: str
    key: str | None = None
    value: str | None = None
    which: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FEEDBACK_KINDS:
            raise InvalidInput(f"feedback kind must be one of {', '.join(FEEDBACK_KINDS)}, "
                               f"got {self.kind!r}")
        if self.kind == "option" and not self.value:
            raise InvalidInput("option feedback needs a value, e.g. Feedback('option', "
                               "value='red')")


def refine(need: Need, shown: Sequence[Recommendation], feedback: Feedback) -> Need:
    """The next need after ``feedback`` on the items ``shown``."""
    if feedback.kind == "cheaper":
        return r.cheaper(need, shown)
    if feedback.kind == "option":
        return r.with_option(need, feedback.key, feedback.value or "", shown)
    if feedback.kind == "bigger":
        return r.bigger(need, shown, feedback.key, which=feedback.which)
    if feedback.kind == "smaller":
        return r.smaller(need, shown, feedback.key, which=feedback.which)
    return r.more(need, shown)


class EntityLike(Protocol):
    type: str
    value: str


def _budget(value: str) -> tuple[Decimal | None, Decimal | None]:
    """(min, max) from a money entity value: "<=2000", ">=100", "100-200" or "50" (an
    amount said alone is read as the most they want to spend)."""
    text = value.replace(",", "").strip()
    try:
        if text.startswith("<="):
            return None, Decimal(text[2:])
        if text.startswith(">="):
            return Decimal(text[2:]), None
        if "-" in text.strip("-"):
            low, high = text.split("-", 1)
            return Decimal(low), Decimal(high)
        return None, Decimal(text)
    except ArithmeticError:
        raise InvalidInput(f"cannot read the budget {value!r}",
                           hint="money values look like '<=2000', '>=100', '100-200'") from None


def need_from_entities(entities: Sequence[EntityLike], previous: Need | None = None) -> Need:
    """The need after a message: its product, option and money entities over ``previous``.

    A product mention replaces the query (a new thing is wanted: the options asked for the
    old one are dropped); options are added under the option they belong to (a value
    whose option is unknown joins the query words); a budget replaces the budget.
    """
    need = previous or Need()
    products = [e.value for e in entities if e.type == "product"]
    if products:
        need = Need(query=" ".join(products), budget_min=need.budget_min,
                    budget_max=need.budget_max, brand=need.brand)
    options = dict(need.options)
    extra: list[str] = []
    for entity in entities:
        if entity.type == "option":
            key = r.infer_option_key(entity.value)
            if key is None:
                extra.append(entity.value)
            else:
                options[key] = entity.value
        elif entity.type == "money":
            low, high = _budget(entity.value)
            need = need.but(budget_min=low, budget_max=high)
    query = " ".join([need.query, *extra]).strip()
    return need.but(options=options, query=query)


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def need_to_json(need: Need) -> dict[str, Any]:
    return {
        "category": need.category, "query": need.query,
        "budget_min": None if need.budget_min is None else str(need.budget_min),
        "budget_max": None if need.budget_max is None else str(need.budget_max),
        "options": dict(need.options), "above": dict(need.above), "below": dict(need.below),
        "brand": need.brand, "exclude": sorted(need.exclude), "reference": need.reference,
        "available_only": need.available_only, "products": sorted(need.products),
    }


def need_from_json(data: Mapping[str, Any]) -> Need:
    return Need(category=data.get("category"), query=data.get("query") or "",
                budget_min=_money(data.get("budget_min")),
                budget_max=_money(data.get("budget_max")),
                options=dict(data.get("options") or {}), above=dict(data.get("above") or {}),
                below=dict(data.get("below") or {}), brand=data.get("brand"),
                exclude=frozenset(data.get("exclude") or ()), reference=data.get("reference"),
                available_only=bool(data.get("available_only", True)),
                products=frozenset(data.get("products") or ()))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def recommendation_to_json(rec: Recommendation) -> dict[str, Any]:
    return {"product_id": rec.product_id, "item_id": rec.item_id, "name": rec.name,
            "name_zh": rec.name_zh, "price": str(rec.price), "options": dict(rec.options),
            "score": rec.score,
            "reasons": [{"kind": x.kind, "data": _plain(x.data)} for x in rec.reasons]}


def recommendation_from_json(data: Mapping[str, Any]) -> Recommendation:
    """Back from JSON (money in reason data stays a string: it is for rendering only)."""
    return Recommendation(
        product_id=data["product_id"], item_id=data["item_id"], name=data["name"],
        name_zh=data.get("name_zh", ""), price=Decimal(str(data["price"])),
        options=dict(data.get("options") or {}), score=float(data.get("score", 0.0)),
        reasons=tuple(Reason(x["kind"], dict(x.get("data") or {}))
                      for x in data.get("reasons") or ()))
