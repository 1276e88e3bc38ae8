"""Read views of store records, in tau-bench's JSON shape (plus kefu's optional extras).

These are what the operations return and what the CLI, HTTP API and dialogue engine read.
Dumped with ``exclude_none=True`` a view of a tau-bench record is exactly tau-bench's JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from kefu.store import models as m


class View(BaseModel):
    model_config = ConfigDict(frozen=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class Name(View):
    first_name: str
    last_name: str


class Address(View):
    address1: str
    address2: str
    city: str
    country: str
    state: str
    zip: str


class PaymentMethodView(View):
    source: str
    id: str
    brand: str | None = None
    last_four: str | None = None
    balance: float | None = None


class CustomerView(View):
    """A customer as tau-bench's get_user_details shows it."""

    name: Name
    address: Address
    email: str
    payment_methods: dict[str, PaymentMethodView]
    orders: list[str]
    phone: str | None = None
    language: str | None = None


class ItemLine(View):
    name: str
    product_id: str
    item_id: str
    price: float
    options: dict[str, Any]


class TrackingEventView(View):
    at: datetime
    status: str
    location: str = ""
    description_en: str = ""
    description_zh: str = ""


class Fulfillment(View):
    tracking_id: list[str]
    item_ids: list[str]
    carrier: str | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    events: list[TrackingEventView] | None = None


class Payment(View):
    transaction_type: str
    amount: float
    payment_method_id: str


class OrderView(View):
    """An order as tau-bench's get_order_details shows it."""

    order_id: str
    user_id: str
    address: Address
    items: list[ItemLine]
    fulfillments: list[Fulfillment]
    status: str
    payment_history: list[Payment]
    cancel_reason: str | None = None
    return_items: list[str] | None = None
    return_payment_method_id: str | None = None
    exchange_items: list[str] | None = None
    exchange_new_items: list[str] | None = None
    exchange_payment_method_id: str | None = None
    exchange_price_difference: float | None = None
    placed_at: datetime | None = None
    delivered_at: datetime | None = None


class VariantView(View):
    item_id: str
    options: dict[str, Any]
    available: bool
    price: float
    stock: int | None = None


class ProductView(View):
    """A product as tau-bench's get_product_details shows it."""

    name: str
    product_id: str
    variants: dict[str, VariantView]
    name_zh: str | None = None
    description_en: str | None = None
    description_zh: str | None = None
    category: str | None = None
    brand: str | None = None


# tau-bench's own keys, in its order; everything else on a view is a kefu extra.
TAUBENCH_ORDER_KEYS = (
    "order_id", "user_id", "address", "items", "fulfillments", "status", "payment_history",
    "cancel_reason", "return_items", "return_payment_method_id", "exchange_items",
    "exchange_new_items", "exchange_payment_method_id", "exchange_price_difference",
)


def _address(record: m.AddressMixin) -> Address:
    return Address(**record.address_dict())


def customer_view(customer: m.Customer) -> CustomerView:
    return CustomerView(
        name=Name(first_name=customer.first_name, last_name=customer.last_name),
        address=_address(customer),
        email=customer.email,
        payment_methods={
            pm.id: PaymentMethodView(
                source=pm.source, id=pm.id, brand=pm.brand, last_four=pm.last_four,
                balance=float(pm.balance) if pm.balance is not None else None,
            )
            for pm in customer.payment_methods
        },
        orders=[order.id for order in customer.orders],
        phone=customer.phone,
        language=customer.language if customer.language != "en" else None,
    )


def order_view(order: m.Order, *, with_events: bool = True) -> OrderView:
    fields: dict[str, Any] = {}
    if order.cancel_reason is not None:
        fields["cancel_reason"] = order.cancel_reason
    for after_sale in order.after_sales:
        if after_sale.kind == "return":
            fields["return_items"] = list(after_sale.item_ids)
            fields["return_payment_method_id"] = after_sale.payment_method_id
        elif after_sale.kind == "exchange":
            fields["exchange_items"] = list(after_sale.item_ids)
            fields["exchange_new_items"] = list(after_sale.new_item_ids)
            fields["exchange_payment_method_id"] = after_sale.payment_method_id
            if after_sale.price_difference is not None:
                fields["exchange_price_difference"] = float(after_sale.price_difference)
    return OrderView(
        order_id=order.id,
        user_id=order.customer_id,
        address=_address(order),
        items=[
            ItemLine(name=line.name, product_id=line.product_id, item_id=line.item_id,
                     price=float(line.price), options=dict(line.options))
            for line in order.items
        ],
        fulfillments=[
            Fulfillment(
                tracking_id=list(s.tracking_ids), item_ids=list(s.item_ids),
                carrier=s.carrier, shipped_at=s.shipped_at, delivered_at=s.delivered_at,
                events=[
                    TrackingEventView(at=e.at, status=e.status, location=e.location,
                                      description_en=e.description_en,
                                      description_zh=e.description_zh)
                    for e in s.events
                ] if with_events and s.events else None,
            )
            for s in order.shipments
        ],
        status=order.status,
        payment_history=[
            Payment(transaction_type=t.transaction_type, amount=float(t.amount),
                    payment_method_id=t.payment_method_id)
            for t in order.transactions
        ],
        placed_at=order.placed_at,
        delivered_at=order.delivered_at,
        **fields,
    )


def product_view(product: m.Product) -> ProductView:
    return ProductView(
        name=product.name,
        product_id=product.id,
        variants={
            v.id: VariantView(item_id=v.id, options=dict(v.options), available=v.available,
                              price=float(v.price), stock=v.stock)
            for v in product.variants
        },
        name_zh=product.name_zh or None,
        description_en=product.description_en or None,
        description_zh=product.description_zh or None,
        category=product.category_id,
        brand=product.brand,
    )
