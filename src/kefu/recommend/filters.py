"""Hard constraints: which variants of a product satisfy a need (budget, options, stock).

A product fits when at least one of its variants does; the variant shown is chosen among
those by the customer's preferred options, then by price.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kefu.recommend.catalog import CatalogProduct, CatalogVariant
from kefu.recommend.ordering import compare_values
from kefu.recommend.types import Need


def category_matches(product: CatalogProduct, category: str) -> bool:
    wanted = category.strip().casefold()
    return wanted in {(product.category_id or "").casefold(), product.category_en.casefold(),
                      product.category_zh.casefold()}


def _option_ok(product: CatalogProduct, variant: CatalogVariant, key: str, value: str) -> bool:
    have = variant.folded.get(key)
    if have is not None:
        return have == value
    # A product without that option may say it in its text ("wireless" in a name).
    if any(key in v.folded for v in product.variants) or len(value) < 3:
        return False
    return re.search(rf"(?<![a-z0-9]){re.escape(value)}(?![a-z0-9])",
                     product.text().casefold()) is not None


def _ordered_ok(variant: CatalogVariant, key: str, value: str, sign: int) -> bool:
    have = variant.folded.get(key)
    return have is not None and compare_values(have, value) == sign


def variant_fits(product: CatalogProduct, variant: CatalogVariant, need: Need) -> bool:
    if need.available_only and not variant.available:
        return False
    if need.budget_min is not None and variant.price < need.budget_min:
        return False
    if need.budget_max is not None and variant.price > need.budget_max:
        return False
    if need.options and not all(_option_ok(product, variant, k, v)
                                for k, v in need.options.items()):
        return False
    if need.above and not all(_ordered_ok(variant, k, v, 1) for k, v in need.above.items()):
        return False
    return not need.below or all(_ordered_ok(variant, k, v, -1) for k, v in need.below.items())


def product_fits(product: CatalogProduct, need: Need, *, category: str | None,
                 brand_of: Mapping[str, str]) -> list[CatalogVariant]:
    """The variants of ``product`` that fit ``need`` ([] when the product does not)."""
    if product.product_id in need.exclude or (need.products
                                               and product.product_id not in need.products):
        return []
    if category is not None and not category_matches(product, category):
        return []
    variants = [v for v in product.variants if variant_fits(product, v, need)]
    if need.brand is not None:
        wanted = need.brand.strip().casefold()
        if brand_of.get(product.product_id, "") != wanted:
            # tau-bench keeps the brand as an option of the variant
            variants = [v for v in variants if v.folded.get("brand") == wanted]
    return variants


def choose_variant(variants: list[CatalogVariant], preferred: Mapping[str, str]
                   ) -> CatalogVariant:
    """The variant with most of the preferred option values, then the cheapest."""
    return min(variants, key=lambda v: (
        -sum(1 for k, x in preferred.items() if v.folded.get(k) == x), v.price, v.item_id))
