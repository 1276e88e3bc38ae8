"""The recommender's plain data: what the customer needs, and what it recommends and why.

Reasons are data (a kind and its values), never sentences: the dialogue layer renders them
in Chinese or English from its templates, so nothing said to a customer is invented here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from kefu.errors import InvalidInput

# Reason kinds and the keys of their data.
PRICE = "price"                      # {"price": Decimal, "budget_max": Decimal | None}
MATCHED_OPTIONS = "matched_options"  # {"options": {key: value}}
MATCHED_WORDS = "matched_words"      # {"words": [str, ...]}
CATEGORY = "category"                # {"category_id", "name_en", "name_zh"}
BRAND = "brand"                      # {"brand": str}
SAME_PRODUCT = "same_product"        # {"product_id", "name", "name_zh", "item_id"}: a variant
SIMILAR_TO = "similar_to"            # {"product_id", "name", "name_zh"} (like what they bought)
BOUGHT_WITH = "bought_with"          # {"product_id", "name", "name_zh"} (co-purchased)
PROFILE = "profile"                  # {"categories": [...], "brands": [...]} they often buy
POPULAR = "popular"                  # {"customers": int} who bought it
REASON_KINDS = (PRICE, MATCHED_OPTIONS, MATCHED_WORDS, CATEGORY, BRAND, SAME_PRODUCT,
                SIMILAR_TO, BOUGHT_WITH, PROFILE, POPULAR)


def _normalize_options(options: Mapping[str, Any] | None, what: str) -> dict[str, str]:
    from kefu.store.glossary import option_key, option_value

    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise InvalidInput(f"{what} must be a mapping of option name to value, "
                           f"got {type(options).__name__}")
    result = {}
    for key, value in options.items():
        text = str(value).strip()
        if not str(key).strip() or not text:
            raise InvalidInput(f"{what}: empty option name or value in {dict(options)!r}")
        result[option_key(str(key)).casefold()] = (option_value(text) or text).casefold()
    return result


@dataclass(frozen=True)
class Need:
    """What the customer asked for so far; every field narrows or steers the choice.

    ``options`` must match exactly (``{"color": "red"}``, Chinese names and values are
    translated: ``{"颜色": "红色"}``); ``above``/``below`` ask for an option value bigger or
    smaller than the one given (``{"size": "M"}`` → L, XL, ...). ``exclude`` holds product ids
    (already shown, or not wanted). ``reference`` is a product or item id for "like X".
    """

    category: str | None = None
    query: str = ""
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    above: Mapping[str, str] = field(default_factory=dict)
    below: Mapping[str, str] = field(default_factory=dict)
    brand: str | None = None
    exclude: frozenset[str] = frozenset()
    reference: str | None = None
    available_only: bool = True
    products: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in ("budget_min", "budget_max"):
            value = getattr(self, name)
            if value is not None:
                value = Decimal(str(value))
                if value < 0:
                    raise InvalidInput(f"{name} must not be negative, got {value}")
                object.__setattr__(self, name, value)
        if (self.budget_min is not None and self.budget_max is not None
                and self.budget_min > self.budget_max):
            raise InvalidInput(f"budget_min ({self.budget_min}) is above budget_max "
                               f"({self.budget_max})", hint="swap them or drop one")
        for name in ("options", "above", "below"):
            object.__setattr__(self, name, _normalize_options(getattr(self, name), name))
        object.__setattr__(self, "exclude", frozenset(self.exclude))
        object.__setattr__(self, "products", frozenset(self.products))
        object.__setattr__(self, "query", (self.query or "").strip())

    def but(self, **changes: Any) -> Need:
        """A copy with ``changes`` (``need.but(budget_max=Decimal("50"))``)."""
        return replace(self, **changes)

    @property
    def is_empty(self) -> bool:
        return not (self.category or self.query or self.budget_min is not None
                    or self.budget_max is not None or self.options or self.above
                    or self.below or self.brand or self.reference or self.products)


@dataclass(frozen=True)
class Reason:
    """Why an item was recommended: a kind from REASON_KINDS and its data."""

    kind: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Recommendation:
    """One recommended item (a variant) of a product, best first, with its reasons."""

    product_id: str
    item_id: str
    name: str
    name_zh: str
    price: Decimal
    options: Mapping[str, Any]
    score: float
    reasons: tuple[Reason, ...] = ()

    def reason(self, kind: str) -> Reason | None:
        return next((r for r in self.reasons if r.kind == kind), None)


@dataclass(frozen=True)
class Difference:
    """One attribute of a comparison: its name and each product's value (None: has none)."""

    attribute: str
    first: Any
    second: Any


@dataclass(frozen=True)
class Comparison:
    """Two recommendations side by side: prices, the options they share and those that differ."""

    first: Recommendation
    second: Recommendation
    price_difference: Decimal          # second minus first
    cheaper: str | None                # product id of the cheaper one, None when equal
    same: Mapping[str, Any]            # option name -> the value both have
    different: tuple[Difference, ...]  # options (and category/brand) that differ


@dataclass(frozen=True)
class Clarification:
    """The one question that splits the matching products best, while too many match.

    ``kind``: "category", "budget" or "option" (then ``key`` names the option). ``values``
    are the choices with how many products have each, most common first; for "budget"
    they are "low", "mid" and "high", split at the two prices in ``bounds``.
    """

    kind: str
    key: str | None
    values: tuple[tuple[str, int], ...]
    matching: int
    bounds: tuple[Decimal, ...] = ()
