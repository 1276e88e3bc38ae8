"""A read-only snapshot of what the recommender needs from the store: products with their
variants, and who bought what (product ids, in order), loaded in a few queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kefu.store import Store
from kefu.store import models as m


@dataclass(frozen=True)
class CatalogVariant:
    item_id: str
    options: dict[str, Any]         # as stored (for display)
    folded: dict[str, str]          # option names and values casefolded (for matching)
    price: Decimal
    available: bool

    def value(self, key: str) -> Any:
        """The stored value of option ``key`` (any case), or None."""
        return next((v for k, v in self.options.items() if str(k).casefold() == key), None)


@dataclass(frozen=True)
class CatalogProduct:
    product_id: str
    name: str
    name_zh: str
    brand: str | None
    category_id: str | None
    category_en: str
    category_zh: str
    description_en: str
    description_zh: str
    variants: tuple[CatalogVariant, ...]

    def text(self) -> str:
        """The product as one passage (both languages, category, brand, option values)."""
        values = sorted({str(v) for variant in self.variants for v in variant.options.values()})
        parts = [self.name, self.name_zh, self.brand or "", self.category_en, self.category_zh,
                 self.description_en, self.description_zh, ", ".join(values)]
        return ". ".join(p for p in parts if p)


@dataclass(frozen=True)
class PurchaseLine:
    order_id: str
    seq: int
    placed_at: datetime | None
    status: str
    product_id: str
    item_id: str
    price: Decimal
    options: dict[str, Any]


def load_catalog(store: Store) -> list[CatalogProduct]:
    """Every product with its variants, in catalog order."""
    with store.session() as session:
        rows = session.scalars(select(m.Product).options(
            selectinload(m.Product.variants), selectinload(m.Product.category))
            .order_by(m.Product.position, m.Product.id)).all()
        return [CatalogProduct(
            product_id=p.id, name=p.name, name_zh=p.name_zh, brand=p.brand,
            category_id=p.category_id,
            category_en=p.category.name_en if p.category else "",
            category_zh=p.category.name_zh if p.category else "",
            description_en=p.description_en, description_zh=p.description_zh,
            variants=tuple(CatalogVariant(
                item_id=v.id, options=dict(v.options),
                folded={str(k).casefold(): str(x).strip().casefold()
                        for k, x in v.options.items()},
                price=v.price, available=bool(v.available)) for v in p.variants),
        ) for p in rows]


def catalog_fingerprint(products: list[CatalogProduct]) -> str:
    """A hash of the catalog's text: embeddings cached under it stay valid until it changes."""
    digest = hashlib.sha256()
    for product in products:
        digest.update(product.product_id.encode())
        digest.update(product.text().encode("utf-8"))
    return digest.hexdigest()[:24]


def load_purchases(store: Store, customer_id: str | None = None
                   ) -> dict[str, list[PurchaseLine]]:
    """Each customer's bought lines, oldest order first (by seq, then placed_at).

    Cancelled orders are left out: the customer did not end up with those items.
    """
    stmt = (select(m.Order.id, m.Order.customer_id, m.Order.seq, m.Order.placed_at,
                   m.Order.status, m.OrderItem.product_id, m.OrderItem.item_id,
                   m.OrderItem.price, m.OrderItem.options)
            .join(m.OrderItem, m.OrderItem.order_id == m.Order.id)
            .where(m.Order.status != "cancelled"))
    if customer_id is not None:
        stmt = stmt.where(m.Order.customer_id == customer_id)
    result: dict[str, list[PurchaseLine]] = {}
    with store.session() as session:
        for row in session.execute(stmt).all():
            result.setdefault(row.customer_id, []).append(PurchaseLine(
                order_id=row.id, seq=row.seq or 0, placed_at=row.placed_at, status=row.status,
                product_id=row.product_id, item_id=row.item_id, price=row.price,
                options=dict(row.options or {})))
    for lines in result.values():
        lines.sort(key=lambda line: (line.seq, line.placed_at.isoformat() if line.placed_at else "",
                                    line.order_id))
    return result
