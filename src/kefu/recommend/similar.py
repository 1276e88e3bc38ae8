""""Like the one I bought, but ...": other variants of a purchased product first (which is
also what an exchange may offer: the store allows exchanges only within the same product),
then similar products with the changed options.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from kefu.errors import InvalidInput, NotFound
from kefu.recommend import types as t
from kefu.recommend.catalog import CatalogProduct, CatalogVariant, PurchaseLine
from kefu.recommend.content import query_words
from kefu.recommend.engine import Recommender
from kefu.recommend.types import Need, Reason, Recommendation, _normalize_options


def find_purchase(recommender: Recommender, customer_id: str, text: str
                  ) -> PurchaseLine | None:
    """The customer's bought line that ``text`` names best ("the keyboard", "那个键盘"), the
    most recent one of that product; None when they bought nothing."""
    lines = recommender.history(customer_id)
    if not lines:
        return None
    rows = {recommender.row_of[line.product_id] for line in lines
            if line.product_id in recommender.row_of}
    if not rows:
        return None
    vector = recommender.content.query_vector(text) if text.strip() else None
    words = query_words(text)

    def score(row: int) -> float:
        lexical = sum(w in recommender.texts[row] for w in words) / max(len(words), 1)
        dense = float(recommender.content.vectors[row] @ vector) if vector is not None else 0.0
        return lexical + dense

    best = max(sorted(rows), key=score)
    product_id = recommender.products[best].product_id
    return [line for line in lines if line.product_id == product_id][-1]


def _resolve_keys(product: CatalogProduct, changed: Mapping[str, str]) -> dict[str, str]:
    """Option names as the product has them: {"switch": "clicky"} → {"switch type": ...}."""
    keys = {k for v in product.variants for k in v.folded}
    result = {}
    for key, value in changed.items():
        if key not in keys:
            key = next((k for v in product.variants for k, x in v.folded.items() if x == value),
                       key)
        result[key] = value
    return result


def similar_to_purchase(recommender: Recommender, customer_id: str | None,
                        product_or_item: str, changed_options: Mapping[str, str] | None = None,
                        *, k: int = 3, same_product_only: bool = False,
                        budget_max: Decimal | None = None) -> list[Recommendation]:
    """Variants of the bought product with ``changed_options`` (closest to what they have
    first), then — unless ``same_product_only`` (exchanges) — similar products with them.

    With ``customer_id`` the product must be one they bought; its bought options are the
    starting point ("the same, but with clicky switches").
    """
    product = recommender.product(product_or_item)
    bought: PurchaseLine | None = None
    if customer_id is not None:
        lines = [line for line in recommender.history(customer_id)
                 if line.product_id == product.product_id]
        if not lines:
            raise NotFound(f"{customer_id} has not bought {product.name} "
                           f"({product.product_id})",
                           hint="use an item or product id from the customer's orders")
        bought = next((line for line in reversed(lines) if line.item_id == product_or_item),
                      lines[-1])
    changed = _resolve_keys(product, _normalize_options(changed_options or {},
                                                        "changed_options"))
    base = {str(key).casefold(): str(value).casefold()
            for key, value in (bought.options if bought else {}).items()}
    same = _same_product(product, base, changed, bought, budget_max)
    if len(same) >= k or same_product_only:
        return same[:k]
    need = Need(options=changed, reference=product.product_id,
                exclude=frozenset({product.product_id}), budget_max=budget_max)
    return same + recommender.recommend(need, customer_id, k=k - len(same))


def _same_product(product: CatalogProduct, base: Mapping[str, str], changed: Mapping[str, str],
                  bought: PurchaseLine | None, budget_max: Decimal | None
                  ) -> list[Recommendation]:
    if changed and not any(k in v.folded for v in product.variants for k in changed):
        return []
    fits = [v for v in product.variants
            if v.available and (bought is None or v.item_id != bought.item_id)
            and all(v.folded.get(key) == value for key, value in changed.items())
            and (budget_max is None or v.price <= budget_max)]
    if not changed and not fits:
        raise InvalidInput("say what should change (e.g. {'color': 'red'})")
    paid = bought.price if bought else None

    def closeness(v: CatalogVariant) -> tuple[int, Decimal, str]:
        kept = sum(1 for key, value in base.items()
                   if key not in changed and v.folded.get(key) == value)
        return -kept, abs(v.price - paid) if paid is not None else v.price, v.item_id

    result = []
    for variant in sorted(fits, key=closeness):
        kept = {key: variant.value(key) for key, value in base.items()
                if key not in changed and variant.folded.get(key) == value}
        reasons = [
            Reason(t.SAME_PRODUCT, {"product_id": product.product_id, "name": product.name,
                                    "name_zh": product.name_zh,
                                    "item_id": bought.item_id if bought else None}),
            Reason(t.PRICE, {"price": variant.price, "budget_min": None,
                             "budget_max": budget_max,
                             "difference": variant.price - paid if paid is not None
                             else None}),
        ]
        if changed:
            reasons.append(Reason(t.MATCHED_OPTIONS, {"options": {
                key: variant.value(key) or value for key, value in changed.items()},
                "kept": kept}))
        result.append(Recommendation(product_id=product.product_id, item_id=variant.item_id,
                                     name=product.name, name_zh=product.name_zh,
                                     price=variant.price, options=dict(variant.options),
                                     score=1.0, reasons=tuple(reasons)))
    return result
