"""kefu's e-commerce intent taxonomy (documented in docs/taxonomy.md)."""

from __future__ import annotations

INTENTS: tuple[str, ...] = (
    "order_status",
    "cancel_order",
    "modify_order_address",
    "modify_order_items",
    "modify_order_payment",
    "change_default_address",
    "return_item",
    "exchange_item",
    "refund_status",
    "shipping_info",
    "delivery_problem",
    "product_question",
    "product_recommendation",
    "stock_availability",
    "promotions",
    "coupons",
    "price",
    "payment_problem",
    "invoice",
    "warranty_repair",
    "complaint",
    "request_human",
    "account_login",
    "greeting",
    "thanks",
    "goodbye",
    "affirm",
    "deny",
    "chitchat",
    "out_of_scope",
)

OUT_OF_SCOPE = "out_of_scope"

ENTITY_TYPES: tuple[str, ...] = (
    "order_id",       # #W2378156
    "item_id",        # 10-digit item or product id
    "email",
    "phone",
    "zip",
    "person",
    "address",
    "product",        # a product mention ("wireless earbuds", "机械键盘")
    "option",         # a product option value ("red", "XL", "256GB", "红色")
    "quantity",
    "money",          # an amount or budget ("under $100", "500元以内")
    "date",
    "cancel_reason",  # "no longer needed" or "ordered by mistake"
)
