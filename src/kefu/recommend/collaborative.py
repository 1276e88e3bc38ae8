"""Signals from orders: item-item co-purchase, popularity, and (optionally) ALS factors.

Co-purchase treats each customer's bought products as one basket and scores a candidate by
its cosine co-occurrence with what the customer has (item-based collaborative filtering,
Sarwar et al., 2001). Popularity counts distinct buyers. :class:`AlsModel` wraps the
``implicit`` library's ALS, used when it is installed and only where it measured better
(see docs/recommendations.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def basket_matrix(baskets: Mapping[str, Sequence[int]], n_products: int) -> np.ndarray:
    """``(customers, products)`` 0/1 matrix: who bought which product (rows in key order)."""
    matrix = np.zeros((len(baskets), n_products), dtype=np.float32)
    for row, products in enumerate(baskets.values()):
        matrix[row, list(set(products))] = 1.0
    return matrix


class CoPurchase:
    """Item-item cosine over customers' baskets; the diagonal is zero."""

    def __init__(self, similarity: np.ndarray) -> None:
        self.similarity = similarity

    @classmethod
    def fit(cls, baskets: Mapping[str, Sequence[int]], n_products: int,
            *, shrink: float = 2.0) -> CoPurchase:
        matrix = basket_matrix(baskets, n_products)
        counts = matrix.T @ matrix
        buyers = np.diag(counts).copy()
        norm = np.sqrt(np.outer(buyers, buyers)) + shrink  # shrink: few co-buyers count less
        similarity = np.where(norm > 0, counts / norm, 0.0).astype(np.float32)
        np.fill_diagonal(similarity, 0.0)
        return cls(similarity)

    def scores(self, history: Sequence[int]) -> np.ndarray:
        """Sum of each product's similarity to the products in ``history``."""
        if not history:
            return np.zeros(self.similarity.shape[0], dtype=np.float32)
        return self.similarity[list(set(history))].sum(axis=0)

    def strongest(self, product: int, history: Sequence[int]) -> int | None:
        """Which product of ``history`` a product is bought with most (for the reason)."""
        if not history:
            return None
        best = max(set(history), key=lambda h: self.similarity[h, product])
        return best if self.similarity[best, product] > 0 else None


class Popularity:
    """Distinct buyers per product."""

    def __init__(self, buyers: np.ndarray) -> None:
        self.buyers = buyers

    @classmethod
    def fit(cls, baskets: Mapping[str, Sequence[int]], n_products: int) -> Popularity:
        return cls(basket_matrix(baskets, n_products).sum(axis=0))

    def scores(self) -> np.ndarray:
        return self.buyers


class AlsModel:
    """Implicit-feedback ALS (Hu, Koren and Volinsky, 2008) from the ``implicit`` package."""

    def __init__(self, item_factors: np.ndarray, regularization: float) -> None:
        self.item_factors = item_factors
        self.regularization = regularization

    @classmethod
    def fit(cls, baskets: Mapping[str, Sequence[int]], n_products: int, *, factors: int = 16,
            iterations: int = 20, regularization: float = 0.1, alpha: float = 10.0,
            seed: int = 0) -> AlsModel:
        from implicit.als import AlternatingLeastSquares
        from scipy.sparse import csr_matrix

        matrix = csr_matrix(basket_matrix(baskets, n_products) * alpha)
        model = AlternatingLeastSquares(factors=factors, iterations=iterations,
                                        regularization=regularization, random_state=seed,
                                        use_gpu=False)
        model.fit(matrix, show_progress=False)
        return cls(np.asarray(model.item_factors, dtype=np.float32), regularization)

    def scores(self, history: Sequence[int]) -> np.ndarray:
        """Scores for a customer folded in from ``history`` (least squares on item factors)."""
        if not history:
            return np.zeros(self.item_factors.shape[0], dtype=np.float32)
        y = self.item_factors[list(set(history))]
        gram = y.T @ y + self.regularization * np.eye(y.shape[1], dtype=np.float32)
        user = np.linalg.solve(gram, y.sum(axis=0))
        return self.item_factors @ user
