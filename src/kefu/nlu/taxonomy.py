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

INTENT_DESCRIPTIONS: dict[str, str] = {
    "order_status": "Where an order or parcel is; tracking numbers and progress.",
    "cancel_order": "Cancel an order that has not shipped yet.",
    "modify_order_address": "Change the shipping address of a pending order.",
    "modify_order_items": "Change options (size, colour...) of items in a pending order.",
    "modify_order_payment": "Pay a pending order with another payment method.",
    "change_default_address": "Update the default address on the customer's account.",
    "return_item": "Return delivered items for a refund.",
    "exchange_item": "Swap delivered items for other options of the same product.",
    "refund_status": "Where a refund is and when the money arrives.",
    "shipping_info": "General shipping times, costs, regions and carriers.",
    "delivery_problem": "A parcel that is late, damaged, missing or holds the wrong item.",
    "product_question": "Specifications, materials, compatibility, how to use a product.",
    "product_recommendation": "Asking what to buy for a need or a budget.",
    "stock_availability": "Whether an item, size or colour is in stock; restock dates.",
    "promotions": "Current sales, events and discount campaigns.",
    "coupons": "The customer's coupons, whether a coupon applies, coupon codes.",
    "price": "The price of a product, price changes, price protection.",
    "payment_problem": "Paying: accepted methods and currencies, failed or double payments, "
                       "declined cards.",
    "invoice": "Invoices, fapiao (发票) and receipts.",
    "warranty_repair": "Warranty periods and repairs of items that broke in use.",
    "complaint": "Dissatisfaction with the store, a product or the service.",
    "request_human": "Asking explicitly for a human agent.",
    "account_login": "Login problems, passwords, account details and verification codes.",
    "greeting": "Hello and opening small talk.",
    "thanks": "Thanking the assistant.",
    "goodbye": "Ending the conversation.",
    "affirm": "Yes, confirm, go ahead (an answer to a question).",
    "deny": "No, don't, stop (an answer to a question).",
    "chitchat": "Social talk with the assistant itself (are you a bot, how are you).",
    "out_of_scope": "Requests a store assistant cannot serve (weather, homework, stocks).",
}
