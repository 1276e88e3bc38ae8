"""Loading the records an operation works on, or a NotFound that names the missing id.

Writes first lock the customer row with ``SELECT ... FOR UPDATE`` (PostgreSQL), so two
agents changing the same customer's orders or gift-card balances are serialized and each
reads the balances the other committed; SQLite serializes writers by itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kefu.errors import NotFound
from kefu.store import models as m
from kefu.store import rules


def order(session: Session, order_id: str, *, lock: bool = False) -> m.Order:
    rules.check_order_id(order_id)
    query = (
        select(m.Order).where(m.Order.id == order_id)
        .options(selectinload(m.Order.items), selectinload(m.Order.transactions),
                 selectinload(m.Order.after_sales), selectinload(m.Order.shipments),
                 selectinload(m.Order.customer).selectinload(m.Customer.payment_methods))
    )
    if lock:
        owner = session.scalar(select(m.Order.customer_id).where(m.Order.id == order_id))
        if owner is not None:
            _lock_customer(session, owner)
    found = session.scalars(query).first()
    if found is None:
        raise NotFound(f"order {order_id} not found",
                       hint="the customer's order ids are listed by get_user_details")
    return found


# What an order's view reads (no customer: the view only names the user id), each
# relationship in one SELECT ... IN for all the orders loaded together.
_VIEW_OPTIONS = (selectinload(m.Order.items), selectinload(m.Order.transactions),
                 selectinload(m.Order.after_sales),
                 selectinload(m.Order.shipments).selectinload(m.Shipment.events))


def order_for_view(session: Session, order_id: str) -> m.Order:
    """The order with what :func:`kefu.store.views.order_view` reads (no writes)."""
    rules.check_order_id(order_id)
    found = session.scalars(select(m.Order).where(m.Order.id == order_id)
                            .options(*_VIEW_OPTIONS)).first()
    if found is None:
        raise NotFound(f"order {order_id} not found",
                       hint="the customer's order ids are listed by get_user_details")
    return found


def customer_orders(session: Session, user_id: str) -> list[m.Order]:
    """Every order of the customer, loaded for their views in a fixed number of queries."""
    rules.check_id("user", user_id)
    if session.scalar(select(m.Customer.id).where(m.Customer.id == user_id)) is None:
        raise NotFound(f"user {user_id} not found",
                       hint="find the user id with find_user_id_by_email or "
                            "find_user_id_by_name_zip")
    return list(session.scalars(select(m.Order).where(m.Order.customer_id == user_id)
                                .options(*_VIEW_OPTIONS).order_by(m.Order.seq)).all())


def customer(session: Session, user_id: str, *, lock: bool = False) -> m.Customer:
    rules.check_id("user", user_id)
    if lock:
        _lock_customer(session, user_id)
    query = (select(m.Customer).where(m.Customer.id == user_id)
             .options(selectinload(m.Customer.payment_methods),
                      selectinload(m.Customer.orders)))
    found = session.scalars(query).first()
    if found is None:
        raise NotFound(f"user {user_id} not found",
                       hint="find the user id with find_user_id_by_email or "
                            "find_user_id_by_name_zip")
    return found


def product(session: Session, product_id: str) -> m.Product:
    rules.check_id("product", product_id)
    found = session.scalars(select(m.Product).where(m.Product.id == product_id)
                            .options(selectinload(m.Product.variants))).first()
    if found is None:
        hint = "product ids are listed by list_all_product_types"
        if session.get(m.Variant, product_id) is not None:
            hint = f"{product_id} is an item id, not a product id; use get_item_details"
        raise NotFound(f"product {product_id} not found", hint=hint)
    return found


def variants(session: Session, item_ids: Iterable[str]) -> dict[str, m.Variant]:
    """The variants among ``item_ids`` that exist, by id (with their products loaded)."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    rows = session.scalars(select(m.Variant).where(m.Variant.id.in_(ids))
                           .options(selectinload(m.Variant.product))).all()
    return {v.id: v for v in rows}


def _lock_customer(session: Session, customer_id: str) -> None:
    session.execute(select(m.Customer.id).where(m.Customer.id == customer_id)
                    .with_for_update())
