"""The store's tables (SQLAlchemy 2.x declarative models).

Money is kept as integer cents in the database (exact on SQLite and PostgreSQL) and seen
as :class:`decimal.Decimal` in Python. Ids are the store's own strings (tau-bench ids such
as ``#W2378156`` or ``credit_card_7815826`` are kept as they are).
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

CENT = Decimal("0.01")


def to_money(value: Decimal | float | int | str) -> Decimal:
    """Round a value to cents, half up, as a Decimal."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


class Money(TypeDecorator[Decimal]):
    """A Decimal amount stored as integer cents."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        return int(to_money(value) * 100)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class AddressMixin:
    """A postal address in tau-bench's shape (address1, address2, city, state, country, zip)."""

    address1: Mapped[str] = mapped_column(String(200), default="")
    address2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    zip: Mapped[str] = mapped_column(String(20), default="", index=True)

    def address_dict(self) -> dict[str, str]:
        return {
            "address1": self.address1, "address2": self.address2, "city": self.city,
            "country": self.country, "state": self.state, "zip": self.zip,
        }


class Customer(AddressMixin, Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), index=True)
    phone: Mapped[str | None] = mapped_column(String(40), index=True, default=None)
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    payment_methods: Mapped[list[PaymentMethod]] = relationship(
        back_populates="customer", order_by="PaymentMethod.position",
        cascade="all, delete-orphan",
    )
    orders: Mapped[list[Order]] = relationship(
        back_populates="customer", order_by="Order.seq", cascade="all, delete-orphan",
    )
    coupons: Mapped[list[Coupon]] = relationship(
        back_populates="customer", cascade="all, delete-orphan",
    )

    @property
    def full_name(self) -> str:
        if self.language == "zh":
            return f"{self.last_name}{self.first_name}"
        return f"{self.first_name} {self.last_name}"


class PaymentMethod(Base):
    """A way a customer pays: credit_card, paypal, gift_card (with a balance), alipay, ..."""

    __tablename__ = "payment_methods"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(32))
    brand: Mapped[str | None] = mapped_column(String(32), default=None)
    last_four: Mapped[str | None] = mapped_column(String(4), default=None)
    balance: Mapped[Decimal | None] = mapped_column(Money, default=None)

    customer: Mapped[Customer] = relationship(back_populates="payment_methods")


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(100))
    name_zh: Mapped[str] = mapped_column(String(100), default="")


class Product(Base):
    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), index=True,
                                                    default=None)
    brand: Mapped[str | None] = mapped_column(String(100), index=True, default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)

    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", order_by="Variant.position", cascade="all, delete-orphan",
    )
    category: Mapped[Category | None] = relationship()


class Variant(Base):
    """A purchasable item of a product: one combination of options with its price."""

    __tablename__ = "variants"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    price: Mapped[Decimal] = mapped_column(Money)
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    stock: Mapped[int | None] = mapped_column(Integer, default=None)

    product: Mapped[Product] = relationship(back_populates="variants")


class Order(AddressMixin, Base):
    """An order. ``status`` is one of ORDER_STATUSES (tau-bench's statuses included)."""

    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(40), index=True)
    placed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    cancel_reason: Mapped[str | None] = mapped_column(String(100), default=None)

    customer: Mapped[Customer] = relationship(back_populates="orders")
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.position", cascade="all, delete-orphan",
    )
    shipments: Mapped[list[Shipment]] = relationship(
        back_populates="order", order_by="Shipment.position", cascade="all, delete-orphan",
    )
    transactions: Mapped[list[Transaction]] = relationship(
        back_populates="order", order_by="Transaction.position", cascade="all, delete-orphan",
    )
    after_sales: Mapped[list[AfterSale]] = relationship(
        back_populates="order", order_by="AfterSale.id", cascade="all, delete-orphan",
    )


class OrderItem(Base):
    """One unit of a variant in an order (tau-bench lists a unit bought twice twice)."""

    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[str] = mapped_column(String(64), index=True)
    item_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Money)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    order: Mapped[Order] = relationship(back_populates="items")


class Shipment(Base):
    """A fulfilment: which items left in which parcel(s), with tracking."""

    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    carrier: Mapped[str | None] = mapped_column(String(64), default=None)
    tracking_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    item_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    order: Mapped[Order] = relationship(back_populates="shipments")
    events: Mapped[list[TrackingEvent]] = relationship(
        back_populates="shipment", order_by="TrackingEvent.at", cascade="all, delete-orphan",
    )


class TrackingEvent(Base):
    __tablename__ = "tracking_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"),
                                             index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(40))
    location: Mapped[str] = mapped_column(String(200), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")

    shipment: Mapped[Shipment] = relationship(back_populates="events")


class Transaction(Base):
    """A payment or a refund on an order (tau-bench's payment_history)."""

    __tablename__ = "transactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    transaction_type: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money)
    payment_method_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    order: Mapped[Order] = relationship(back_populates="transactions")


class AfterSale(Base):
    """A requested return or exchange of delivered items.

    ``item_ids`` and ``new_item_ids`` are sorted, as tau-bench records them.
    """

    __tablename__ = "after_sales"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "return" or "exchange"
    status: Mapped[str] = mapped_column(String(24), default="requested")
    item_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    new_item_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    payment_method_id: Mapped[str] = mapped_column(String(64))
    price_difference: Mapped[Decimal | None] = mapped_column(Money, default=None)
    refund_amount: Mapped[Decimal | None] = mapped_column(Money, default=None)
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    order: Mapped[Order] = relationship(back_populates="after_sales")


class Promotion(Base):
    """A time-limited store promotion.

    ``kind``: ``percentage`` (value = percent off), ``fixed`` (value off each qualifying
    unit) or ``threshold`` (spend ``threshold`` on qualifying items, get ``value`` off).
    ``scope``: ``all``, ``category``, ``brand`` or ``product`` with ``scope_values``.
    """

    __tablename__ = "promotions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Money)
    threshold: Mapped[Decimal | None] = mapped_column(Money, default=None)
    scope: Mapped[str] = mapped_column(String(16), default="all")
    scope_values: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Coupon(Base):
    """A coupon held by one customer: ``kind`` percentage or fixed, min spend ``threshold``."""

    __tablename__ = "coupons"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Money)
    threshold: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    max_discount: Mapped[Decimal | None] = mapped_column(Money, default=None)
    scope: Mapped[str] = mapped_column(String(16), default="all")
    scope_values: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    used_order_id: Mapped[str | None] = mapped_column(String(64), default=None)

    customer: Mapped[Customer] = relationship(back_populates="coupons")


class WarrantyTerm(Base):
    __tablename__ = "warranty_terms"

    category_id: Mapped[str] = mapped_column(ForeignKey("categories.id"), primary_key=True)
    months: Mapped[int] = mapped_column(Integer)
    repair_available: Mapped[bool] = mapped_column(Boolean, default=True)
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")


class RepairRequest(Base):
    __tablename__ = "repair_requests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    problem: Mapped[str] = mapped_column(Text)
    in_warranty: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(24), default="requested")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Handoff(Base):
    """A conversation handed to a human agent, with why and a summary."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    summary: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(64), default="requested")
    status: Mapped[str] = mapped_column(String(16), default="open")
    agent: Mapped[str | None] = mapped_column(String(100), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PolicySetting(Base):
    """One named store policy value (JSON); read through :class:`kefu.store.policy.StorePolicy`."""

    __tablename__ = "policy_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


Index("ix_customers_name", Customer.last_name, Customer.first_name)


class CustomerPreference(Base):
    """A preference a customer stated and agreed to have remembered (kefu.recommend.profile).

    One row per kind (``brands``, ``categories``, ``options``, ``budget_max``); rows exist
    only with the customer's consent, and "forget my preferences" deletes all of them.
    """

    __tablename__ = "customer_preferences"
    __table_args__ = (UniqueConstraint("customer_id", "key",
                                       name="uq_customer_preferences_customer_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    key: Mapped[str] = mapped_column(String(32))
    value: Mapped[Any] = mapped_column(JSON)
    consented_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
