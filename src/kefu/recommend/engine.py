"""The recommender: hard constraints first, then a ranking by fit to the need, the customer's
profile, co-purchase and popularity.

``mode`` picks the signals (the evaluation compares them): ``hybrid`` (all), ``content``
(need and taste from product text only), ``co_purchase``, ``popularity`` or ``random``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from kefu.errors import InvalidInput, ModelNotReady, NotFound
from kefu.recommend import types as t
from kefu.recommend.catalog import (
    CatalogProduct,
    PurchaseLine,
    catalog_fingerprint,
    load_catalog,
    load_purchases,
)
from kefu.recommend.collaborative import AlsModel, CoPurchase, Popularity
from kefu.recommend.content import ContentIndex, query_words
from kefu.recommend.filters import category_matches, choose_variant, product_fits
from kefu.recommend.profile import Profile, StatedPreferences, derive_profile
from kefu.recommend.types import Need, Reason, Recommendation

MODES = ("hybrid", "content", "co_purchase", "als", "popularity", "random")
MAX_K = 50


@dataclass(frozen=True)
class Weights:
    """How much each signal counts; each is scaled to [0, 1] over the candidates first.

    Fit to the stated need counts most. The other three were chosen on a validation split
    (each customer's second-to-last order, on tau-bench and the demo shop; see
    docs/recommendations.md): there co-purchase validated better than taste.
    """

    need: float = 1.0
    profile: float = 0.25
    co_purchase: float = 0.6
    popularity: float = 0.15

    def __post_init__(self) -> None:
        for name in ("need", "profile", "co_purchase", "popularity"):
            if getattr(self, name) < 0:
                raise ValueError(f"weight {name} must not be negative, got {getattr(self, name)}")


def _scaled(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    if high - low <= 1e-9:
        return np.zeros_like(values)
    return (values - low) / (high - low)


class Recommender:
    """Fit once per store (seconds; embeddings are cached), then recommend in milliseconds."""

    def __init__(self, *, mode: str = "hybrid", weights: Weights | None = None,
                 cache_dir: Path | None = None, seed: int = 0) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.mode = mode
        self.weights = weights or Weights()
        self.cache_dir = cache_dir
        self.seed = seed
        self.products: list[CatalogProduct] = []
        self.fit_seconds = 0.0
        self._fitted = False

    # -- fitting ---------------------------------------------------------------------------

    def fit(self, store: Any, encoder: Any = None) -> Recommender:
        """Read the catalog and the orders of ``store`` and build every signal."""
        started = time.perf_counter()
        products = load_catalog(store)
        content = ContentIndex.build([p.text() for p in products], encoder,
                                     fingerprint=catalog_fingerprint(products),
                                     cache_dir=self.cache_dir)
        self.fit_from(products, load_purchases(store), content)
        self.fit_seconds = time.perf_counter() - started
        return self

    def fit_from(self, products: Sequence[CatalogProduct],
                 purchases: Mapping[str, Sequence[PurchaseLine]],
                 content: ContentIndex) -> Recommender:
        """Build the signals from given data (the evaluation holds orders out this way)."""
        if content.vectors.shape[0] != len(products):
            raise InvalidInput(f"content index has {content.vectors.shape[0]} products, "
                               f"the catalog {len(products)}; build it from the same catalog")
        self.products = list(products)
        self.row_of = {p.product_id: i for i, p in enumerate(self.products)}
        self.by_id = {p.product_id: p for p in self.products}
        self.item_row = {v.item_id: i for i, p in enumerate(self.products) for v in p.variants}
        self.brand_of = {p.product_id: (p.brand or "").casefold() for p in self.products}
        self.texts = [p.text().casefold() for p in self.products]
        self.content = content
        self.purchases = {c: list(lines) for c, lines in purchases.items()}
        baskets = {c: self._rows(lines) for c, lines in self.purchases.items()}
        n = len(self.products)
        self.co_purchase = CoPurchase.fit(baskets, n)
        self.popularity = Popularity.fit(baskets, n)
        self.als = AlsModel.fit(baskets, n, seed=self.seed) if self.mode == "als" else None
        self._query_cache: dict[str, np.ndarray] = {}
        self._open = {only: {row: variants for row, p in enumerate(self.products)
                             if (variants := [v for v in p.variants if v.available or not only])}
                      for only in (True, False)}
        self._fitted = True
        return self

    def _rows(self, lines: Sequence[PurchaseLine]) -> list[int]:
        return [self.row_of[line.product_id] for line in lines if line.product_id in self.row_of]

    def _require_fitted(self) -> None:
        if not self._fitted:
            raise ModelNotReady("the recommender is not fitted",
                                hint="call Recommender().fit(store, encoder) first")

    # -- looking things up -----------------------------------------------------------------

    def product(self, product_or_item: str) -> CatalogProduct:
        """A product by product id or by one of its item ids."""
        self._require_fitted()
        row = self.row_of.get(product_or_item, self.item_row.get(product_or_item))
        if row is None:
            raise NotFound(f"no product or item {product_or_item!r} in the catalog",
                           hint="use a product id or item id from search_products")
        return self.products[row]

    def history(self, customer_id: str | None) -> list[PurchaseLine]:
        return list(self.purchases.get(customer_id, [])) if customer_id else []

    def profile(self, customer_id: str, stated: StatedPreferences | None = None) -> Profile:
        return derive_profile(customer_id, self.history(customer_id), self.by_id, stated)

    # -- candidates and clarifying questions -----------------------------------------------

    def _category_filter(self, need: Need) -> tuple[str | None, str]:
        """(category to filter by, extra query text): an unknown category is a query word."""
        if need.category is None:
            return None, ""
        if any(category_matches(p, need.category) for p in self.products):
            return need.category, ""
        return None, need.category

    def candidates(self, need: Need) -> dict[int, list[Any]]:
        """Row -> fitting variants, for every product that satisfies the need's constraints."""
        self._require_fitted()
        if not (need.category or need.budget_min is not None or need.budget_max is not None
                or need.options or need.above or need.below or need.brand or need.products):
            # only availability and exclusions: start from the lists made at fit time
            return {row: variants for row, variants in self._open[need.available_only].items()
                    if self.products[row].product_id not in need.exclude}
        category, _ = self._category_filter(need)
        result = {}
        for row, product in enumerate(self.products):
            variants = product_fits(product, need, category=category, brand_of=self.brand_of)
            if variants:
                result[row] = variants
        return result

    def named_products(self, text: str) -> frozenset[str]:
        """The products whose name says what ``text`` asks for ("mechanical keyboard",
        "耳机"): every content word in the name, else the most words (at least one); empty
        when no name has any of them (the need is then ranked by meaning only)."""
        self._require_fitted()
        words = query_words(text)
        if not words:
            return frozenset()
        names = [f"{p.name} {p.name_zh}".casefold() for p in self.products]
        found = [sum(w in name for w in words) for name in names]
        best = max(found)
        if best == 0:
            return frozenset()
        return frozenset(p.product_id for p, n in zip(self.products, found, strict=True)
                         if n == best)

    def count_matching(self, need: Need) -> int:
        return len(self.candidates(need))

    def clarify(self, need: Need, *, enough: int = 3) -> t.Clarification | None:
        """The one question to ask while more than ``enough`` products fit, else None."""
        found = self.candidates(need)
        if len(found) <= enough:
            return None
        products = [self.products[r] for r in found]
        if need.category is None:
            counts = Counter(p.category_id for p in products if p.category_id)
            if len(counts) >= 2:
                return t.Clarification("category", None, tuple(counts.most_common()), len(found))
        best: tuple[float, str, Counter[str]] | None = None
        for key in sorted({k for vs in found.values() for v in vs for k in v.folded}):
            if key in need.options or key == "brand":
                continue
            having = [{x.folded[key] for x in vs if key in x.folded} for vs in found.values()]
            having = [values for values in having if values]
            counts = Counter(v for values in having for v in values)
            if len(counts) < 2:
                continue
            # how evenly the answer splits the products (entropy, nats), times the share
            # of products the question applies to
            shares = np.array(list(counts.values()), dtype=float) / sum(counts.values())
            spread = float(-(shares * np.log(shares)).sum()) * len(having) / len(found)
            if best is None or spread > best[0]:
                best = (spread, key, counts)
        if need.budget_max is None and need.budget_min is None:
            prices = sorted(float(min(v.price for v in vs)) for vs in found.values())
            if prices[-1] >= 2 * max(prices[0], 0.01) and (best is None or best[0] < 1.0):
                thirds = [prices[len(prices) // 3], prices[2 * len(prices) // 3]]
                bands = (("low", sum(p <= thirds[0] for p in prices)),
                         ("mid", sum(thirds[0] < p <= thirds[1] for p in prices)),
                         ("high", sum(p > thirds[1] for p in prices)))
                return t.Clarification("budget", None, bands, len(found),
                                       tuple(Decimal(str(x)) for x in thirds))
        if best is not None:
            return t.Clarification("option", best[1], tuple(best[2].most_common()), len(found))
        return None

    # -- ranking ---------------------------------------------------------------------------

    def _query_vector(self, text: str) -> np.ndarray:
        vector = self._query_cache.get(text)
        if vector is None:
            vector = self.content.query_vector(text)
            if len(self._query_cache) > 512:
                self._query_cache.clear()
            self._query_cache[text] = vector
        return vector

    def recommend(self, need: Need | None = None, customer_id: str | None = None, k: int = 3,
                  *, preferences: StatedPreferences | None = None,
                  history: Sequence[PurchaseLine] | None = None) -> list[Recommendation]:
        """Up to ``k`` fitting items, best first, each with its reasons (as data).

        ``history`` overrides the customer's fitted purchases (the evaluation uses it);
        ``preferences`` are remembered or stated ones that steer ranking and variant choice.
        """
        self._require_fitted()
        if not 1 <= k <= MAX_K:
            raise InvalidInput(f"k must be between 1 and {MAX_K}, got {k}")
        need = need or Need()
        found = self.candidates(need)
        if not found:
            return []
        rows = np.array(sorted(found), dtype=int)
        lines = list(history) if history is not None else self.history(customer_id)
        owned = self._rows(lines)
        profile = derive_profile(customer_id or "", lines, self.by_id, preferences)
        scores, _ = self._score(need, rows, owned, profile)
        order = rows[np.lexsort((rows, -scores))][:k]
        index = {int(r): i for i, r in enumerate(rows)}
        preferred = {**profile.preferred_options(), **need.options}
        return [self._recommendation(int(r), float(scores[index[int(r)]]), found[int(r)],
                                     need, owned, profile, preferred)
                for r in order]

    def _score(self, need: Need, rows: np.ndarray, owned: list[int], profile: Profile
               ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        zeros = np.zeros(len(rows), dtype=np.float32)
        if self.mode == "random":
            rng = np.random.default_rng(self.seed + len(owned) * 7919 + len(rows))
            return rng.random(len(rows)).astype(np.float32), {}
        if self.mode == "popularity":
            return self.popularity.scores()[rows], {}
        if self.mode == "co_purchase":
            return self.co_purchase.scores(owned)[rows], {}
        if self.mode == "als":
            assert self.als is not None
            return self.als.scores(owned)[rows], {}
        parts: dict[str, np.ndarray] = {}
        parts["need"] = self._need_score(need, rows)
        taste = self.content.profile_vector(owned)
        profile_part = _scaled(self.content.similarity(taste)[rows]) if taste is not None else zeros
        liked_categories = {c for c, _ in profile.categories[:3]} | set(profile.stated.categories)
        liked_brands = {b.casefold() for b, _ in profile.brands[:3]} | {
            b.casefold() for b in profile.stated.brands}
        if liked_categories or liked_brands:
            affinity = np.array([
                0.5 * (self.products[r].category_id in liked_categories)
                + 0.5 * (self.brand_of[self.products[r].product_id] in liked_brands)
                for r in rows], dtype=np.float32)
            profile_part = profile_part + affinity
        parts["profile"] = profile_part
        if self.mode == "hybrid":
            parts["co_purchase"] = _scaled(self.co_purchase.scores(owned)[rows])
            parts["popularity"] = _scaled(self.popularity.scores()[rows])
        w = self.weights
        weights = {"need": w.need, "profile": w.profile, "co_purchase": w.co_purchase,
                   "popularity": w.popularity}
        total = sum((weights[n] * p for n, p in parts.items()), zeros)
        return total, parts

    def _need_score(self, need: Need, rows: np.ndarray) -> np.ndarray:
        _, extra = self._category_filter(need)
        text = " ".join(x for x in (need.query, extra) if x)
        score = np.zeros(len(rows), dtype=np.float32)
        if text:
            score += _scaled(self.content.similarity(self._query_vector(text))[rows])
            words = query_words(text)
            if words:
                score += 0.5 * np.array([sum(w in self.texts[r] for w in words) / len(words)
                                         for r in rows], dtype=np.float32)
        if need.reference is not None:
            ref = self.row_of.get(need.reference, self.item_row.get(need.reference))
            if ref is None:
                raise NotFound(f"reference {need.reference!r} is not a product or item id")
            score += _scaled(self.content.similarity(self.content.vectors[ref])[rows])
        return score

    def _recommendation(self, row: int, score: float, variants: list[Any], need: Need,
                        owned: list[int], profile: Profile, preferred: Mapping[str, str]
                        ) -> Recommendation:
        product = self.products[row]
        variant = choose_variant(variants, preferred)
        reasons: list[Reason] = [Reason(t.PRICE, {
            "price": variant.price, "budget_min": need.budget_min,
            "budget_max": need.budget_max})]
        asked = [*need.options, *need.above, *need.below]
        if asked:
            reasons.append(Reason(t.MATCHED_OPTIONS, {"options": {
                k: variant.value(k) or need.options.get(k) for k in asked}}))
        _, extra = self._category_filter(need)
        words = [w for w in query_words(" ".join((need.query, extra))) if w in self.texts[row]]
        if words:
            reasons.append(Reason(t.MATCHED_WORDS, {"words": words}))
        if need.category is not None and category_matches(product, need.category):
            reasons.append(Reason(t.CATEGORY, {"category_id": product.category_id,
                                               "name_en": product.category_en,
                                               "name_zh": product.category_zh}))
        if need.brand is not None:
            reasons.append(Reason(t.BRAND, {"brand": product.brand or variant.value("brand")
                                         or need.brand}))
        if need.reference is not None:
            ref = self.product(need.reference)
            kind = t.SAME_PRODUCT if ref.product_id == product.product_id else t.SIMILAR_TO
            reasons.append(Reason(kind, {"product_id": ref.product_id, "name": ref.name,
                                         "name_zh": ref.name_zh}))
        if self.mode in ("hybrid", "co_purchase"):
            with_row = self.co_purchase.strongest(row, owned)
            if with_row is not None:
                other = self.products[with_row]
                reasons.append(Reason(t.BOUGHT_WITH, {"product_id": other.product_id,
                                                      "name": other.name,
                                                      "name_zh": other.name_zh}))
        liked = [c for c, _ in profile.categories[:3]] + list(profile.stated.categories)
        brands = [b for b, _ in profile.brands[:3]] + list(profile.stated.brands)
        hit_categories = [c for c in dict.fromkeys(liked) if c == product.category_id]
        hit_brands = [b for b in dict.fromkeys(brands)
                      if b.casefold() == self.brand_of[product.product_id]]
        if hit_categories or hit_brands:
            reasons.append(Reason(t.PROFILE, {"categories": hit_categories,
                                              "brands": hit_brands}))
        buyers = int(self.popularity.scores()[row])
        if buyers:
            reasons.append(Reason(t.POPULAR, {"customers": buyers}))
        return Recommendation(product_id=product.product_id, item_id=variant.item_id,
                              name=product.name, name_zh=product.name_zh, price=variant.price,
                              options=dict(variant.options), score=round(score, 6),
                              reasons=tuple(reasons))
