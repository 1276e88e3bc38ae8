"""Import and export a store in tau-bench retail's JSON files (users, products, orders).

Ids, statuses, payment histories and the tau-bench fields that its tools add to orders
(``cancel_reason``, ``return_items``, ``exchange_*``) survive a round trip unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from kefu.errors import DataFormatError, RuleViolation
from kefu.store import models as m
from kefu.store.db import Store, delete_all
from kefu.store.policy import StorePolicy, save_policy
from kefu.store.views import TAUBENCH_ORDER_KEYS, order_view

FILES = ("users.json", "products.json", "orders.json")
Progress = Callable[[str, int], None]


def _read(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    if not path.is_file():
        raise DataFormatError(f"missing {name}",
                              path=str(directory),
                              hint="a tau-bench retail data directory holds "
                                   "users.json, products.json and orders.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFormatError(f"invalid JSON: {exc.msg}", path=str(path),
                              line=exc.lineno) from None
    if not isinstance(data, dict):
        raise DataFormatError("expected a JSON object keyed by id", path=str(path))
    return data


def _require(record: dict[str, Any], keys: tuple[str, ...], what: str, path: Path) -> None:
    missing = [k for k in keys if k not in record]
    if missing:
        raise DataFormatError(f"{what} lacks {', '.join(missing)}", path=str(path))


def _rows(directory: Path) -> dict[type[m.Base], list[dict[str, Any]]]:
    """Turn the three files into table rows, checking their shape."""
    users = _read(directory, "users.json")
    products = _read(directory, "products.json")
    orders = _read(directory, "orders.json")
    rows: dict[type[m.Base], list[dict[str, Any]]] = {
        model: [] for model in (m.Customer, m.PaymentMethod, m.Product, m.Variant, m.Order,
                                m.OrderItem, m.Shipment, m.Transaction, m.AfterSale)
    }
    seq_of: dict[str, int] = {}
    for user_id, user in users.items():
        _require(user, ("name", "address", "email", "payment_methods", "orders"),
                 f"user {user_id}", directory / "users.json")
        rows[m.Customer].append({
            "id": user_id, "first_name": user["name"]["first_name"],
            "last_name": user["name"]["last_name"], "email": user["email"],
            "language": "en", **_address(user["address"]),
        })
        for position, (pm_id, pm) in enumerate(user["payment_methods"].items()):
            rows[m.PaymentMethod].append({
                "id": pm_id, "customer_id": user_id, "position": position,
                "source": pm["source"], "brand": pm.get("brand"),
                "last_four": pm.get("last_four"), "balance": pm.get("balance"),
            })
        for seq, order_id in enumerate(user["orders"]):
            seq_of[order_id] = seq
    for position, (product_id, product) in enumerate(products.items()):
        _require(product, ("name", "product_id", "variants"), f"product {product_id}",
                 directory / "products.json")
        rows[m.Product].append({"id": product_id, "name": product["name"],
                                "position": position})
        for vpos, (item_id, variant) in enumerate(product["variants"].items()):
            rows[m.Variant].append({
                "id": item_id, "product_id": product_id, "position": vpos,
                "options": variant["options"], "price": variant["price"],
                "available": bool(variant["available"]),
            })
    for order_id, order in orders.items():
        _require(order, ("user_id", "address", "items", "fulfillments", "status",
                         "payment_history"), f"order {order_id}", directory / "orders.json")
        if order["user_id"] not in users:
            raise DataFormatError(f"order {order_id} names unknown user {order['user_id']}",
                                  path=str(directory / "orders.json"))
        rows[m.Order].append({
            "id": order_id, "customer_id": order["user_id"], "status": order["status"],
            "seq": seq_of.get(order_id, 0), "cancel_reason": order.get("cancel_reason"),
            **_address(order["address"]),
        })
        for position, item in enumerate(order["items"]):
            rows[m.OrderItem].append({
                "order_id": order_id, "position": position, "product_id": item["product_id"],
                "item_id": item["item_id"], "name": item["name"], "price": item["price"],
                "options": item["options"],
            })
        for position, fulfillment in enumerate(order["fulfillments"]):
            rows[m.Shipment].append({
                "order_id": order_id, "position": position,
                "tracking_ids": list(fulfillment["tracking_id"]),
                "item_ids": list(fulfillment["item_ids"]),
            })
        for position, payment in enumerate(order["payment_history"]):
            rows[m.Transaction].append({
                "order_id": order_id, "position": position,
                "transaction_type": payment["transaction_type"], "amount": payment["amount"],
                "payment_method_id": payment["payment_method_id"],
            })
        if "return_items" in order:
            rows[m.AfterSale].append({
                "order_id": order_id, "kind": "return", "item_ids": order["return_items"],
                "new_item_ids": [], "payment_method_id": order["return_payment_method_id"],
            })
        if "exchange_items" in order:
            rows[m.AfterSale].append({
                "order_id": order_id, "kind": "exchange", "item_ids": order["exchange_items"],
                "new_item_ids": order["exchange_new_items"],
                "payment_method_id": order["exchange_payment_method_id"],
                "price_difference": order.get("exchange_price_difference"),
            })
    return rows


def _address(address: dict[str, str]) -> dict[str, str]:
    return {key: address.get(key, "") for key in
            ("address1", "address2", "city", "state", "country", "zip")}


def import_taubench(store: Store, directory: str | Path, *, replace: bool = False,
                    progress: Progress | None = None) -> dict[str, int]:
    """Load tau-bench's users.json, products.json and orders.json into ``store``.

    Refuses a store that already holds data unless ``replace`` is true (then the old data
    is deleted in the same transaction). Returns the number of rows per table.
    """
    directory = Path(directory)
    rows = _rows(directory)
    if not replace and not store.is_empty():
        raise RuleViolation("the store already holds data",
                            hint="pass --replace to delete it and import")
    counts: dict[str, int] = {}
    with store.transaction() as session:
        if replace:
            delete_all(session)
        for model, table_rows in rows.items():
            if table_rows:
                session.execute(insert(model), table_rows)
            counts[model.__tablename__] = len(table_rows)
            if progress:
                progress(model.__tablename__, len(table_rows))
        save_policy(session, StorePolicy(store_name="tau-bench retail", currency="USD"))
    return counts


def _payment_method_json(pm: m.PaymentMethod) -> dict[str, Any]:
    data: dict[str, Any] = {"source": pm.source}
    if pm.brand is not None:
        data["brand"] = pm.brand
    if pm.last_four is not None:
        data["last_four"] = pm.last_four
    if pm.balance is not None:
        data["balance"] = float(pm.balance)
    data["id"] = pm.id
    return data


def taubench_state(store: Store) -> dict[str, dict[str, Any]]:
    """The whole store as tau-bench's three JSON objects: users, products, orders."""
    with store.session() as session:
        customers = session.scalars(
            select(m.Customer).options(selectinload(m.Customer.payment_methods),
                                       selectinload(m.Customer.orders))
            .order_by(m.Customer.id)
        ).all()
        products = session.scalars(
            select(m.Product).options(selectinload(m.Product.variants))
            .order_by(m.Product.position, m.Product.id)
        ).all()
        orders = session.scalars(
            select(m.Order).options(selectinload(m.Order.items), selectinload(m.Order.shipments),
                                    selectinload(m.Order.transactions),
                                    selectinload(m.Order.after_sales))
            .order_by(m.Order.id)
        ).all()
        users_json = {
            c.id: {
                "name": {"first_name": c.first_name, "last_name": c.last_name},
                "address": {k: v for k, v in c.address_dict().items()},
                "email": c.email,
                "payment_methods": {pm.id: _payment_method_json(pm) for pm in c.payment_methods},
                "orders": [o.id for o in c.orders],
            }
            for c in customers
        }
        products_json = {
            p.id: {
                "name": p.name, "product_id": p.id,
                "variants": {v.id: {"item_id": v.id, "options": dict(v.options),
                                    "available": v.available, "price": float(v.price)}
                             for v in p.variants},
            }
            for p in products
        }
        orders_json = {}
        for order in orders:
            view = order_view(order, with_events=False).model_dump(mode="json")
            record = {key: view[key] for key in TAUBENCH_ORDER_KEYS if view.get(key) is not None}
            record["fulfillments"] = [{"tracking_id": f["tracking_id"], "item_ids": f["item_ids"]}
                                      for f in record["fulfillments"]]
            orders_json[order.id] = record
    return {"users": users_json, "products": products_json, "orders": orders_json}


def export_taubench(store: Store, directory: str | Path) -> dict[str, int]:
    """Write users.json, products.json and orders.json in tau-bench's shape."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    state = taubench_state(store)
    for key in ("users", "products", "orders"):
        (directory / f"{key}.json").write_text(
            json.dumps(state[key], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {key: len(value) for key, value in state.items()}
