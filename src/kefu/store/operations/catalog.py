"""Reading the catalog: product types, a product's variants, one item."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kefu.errors import NotFound
from kefu.store import models as m
from kefu.store import rules
from kefu.store.db import Store
from kefu.store.operations import _load
from kefu.store.views import ProductView, product_view
from kefu.tools import tool


class ItemDetails(BaseModel):
    """One purchasable item (variant) with the product it belongs to."""

    model_config = ConfigDict(frozen=True)

    item_id: str
    product_id: str
    product_name: str
    options: dict[str, Any]
    available: bool
    price: float


@tool()
def list_all_product_types(store: Store) -> dict[str, str]:
    """List every product type of the store: its name and product id, sorted by name.
    Each product type has variant items (options such as size or color) with their own
    item ids, listed by get_product_details.
    """
    with store.session() as session:
        rows = session.execute(select(m.Product.name, m.Product.id)).all()
    return {name: product_id for name, product_id in sorted(rows)}


@tool()
def get_product_details(store: Store, product_id: str) -> ProductView:
    """Get a product type and all its variant items: item id, options, availability and
    price. The product id is not an item id; they are unrelated numbers.

    Args:
        product_id: The product id, such as '6086499569', from list_all_product_types or
            an order's items.
    """
    with store.session() as session:
        return product_view(_load.product(session, product_id))


@tool()
def get_item_details(store: Store, item_id: str) -> ItemDetails:
    """Get one item (a variant of a product): its options, availability, price and the
    product it belongs to.

    Args:
        item_id: The item id, such as '1008292230'.
    """
    rules.check_id("item", item_id)
    with store.session() as session:
        variant = session.scalars(select(m.Variant).where(m.Variant.id == item_id)
                                  .options(selectinload(m.Variant.product))).first()
        if variant is None:
            hint = "item ids are listed by get_product_details"
            if session.get(m.Product, item_id) is not None:
                hint = f"{item_id} is a product id, not an item id; use get_product_details"
            raise NotFound(f"item {item_id} not found", hint=hint)
        return ItemDetails(item_id=variant.id, product_id=variant.product_id,
                           product_name=variant.product.name, options=dict(variant.options),
                           available=variant.available, price=float(variant.price))
