"""Readable rich renderings of store views for ``kefu store show-order/show-customer``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from kefu.store.views import CustomerView, OrderView

STATUS_STYLE = {
    "pending": "yellow", "pending (item modified)": "yellow", "processed": "cyan",
    "delivered": "green", "cancelled": "red", "return requested": "magenta",
    "exchange requested": "magenta",
}


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _options(options: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in options.items())


def _status(status: str) -> str:
    return f"[{STATUS_STYLE.get(status, 'white')}]{status}[/]"


def _address(view: OrderView | CustomerView) -> str:
    a = view.address
    return ", ".join(part for part in (a.address1, a.address2, a.city, a.state, a.zip,
                                       a.country) if part)


def render_order(console: Console, view: OrderView, *, money: str = "") -> None:
    header = Table.grid(padding=(0, 2))
    header.add_row("Status", _status(view.status))
    header.add_row("Customer", view.user_id)
    header.add_row("Placed", _when(view.placed_at))
    header.add_row("Delivered", _when(view.delivered_at))
    header.add_row("Ship to", _address(view))
    if view.cancel_reason:
        header.add_row("Cancel reason", view.cancel_reason)
    console.print(Panel(header, title=f"Order {view.order_id}", expand=False))

    items = Table(title="Items", title_justify="left")
    items.add_column("Item id")
    items.add_column("Product")
    items.add_column("Options")
    items.add_column("Price", justify="right")
    for line in view.items:
        items.add_row(line.item_id, line.name, _options(line.options), f"{money}{line.price:.2f}")
    items.add_row("", "[bold]Total[/]", "",
                  f"[bold]{money}{sum(line.price for line in view.items):.2f}[/]")
    console.print(items)

    for number, shipment in enumerate(view.fulfillments, start=1):
        events = Table(show_header=True, box=None, padding=(0, 1))
        events.add_column("When")
        events.add_column("Status")
        events.add_column("Where")
        events.add_column("Description")
        for event in shipment.events or []:
            events.add_row(_when(event.at), event.status, event.location,
                           f"{event.description_en}\n{event.description_zh}")
        info = (f"{shipment.carrier or 'carrier unknown'} · tracking "
                f"{', '.join(shipment.tracking_id)} · items {', '.join(shipment.item_ids)}\n"
                f"shipped {_when(shipment.shipped_at)} · delivered "
                f"{_when(shipment.delivered_at)}")
        console.print(Panel(Group(info, events), title=f"Shipment {number}",
                            title_align="left"))
    if not view.fulfillments:
        console.print("[dim]No shipments yet.[/]")

    payments = Table(title="Payments", title_justify="left")
    payments.add_column("Type")
    payments.add_column("Amount", justify="right")
    payments.add_column("Payment method")
    for payment in view.payment_history:
        payments.add_row(payment.transaction_type, f"{money}{payment.amount:.2f}",
                         payment.payment_method_id)
    console.print(payments)
    if view.return_items:
        console.print(f"Return requested for {', '.join(view.return_items)} "
                      f"(refund to {view.return_payment_method_id})")
    if view.exchange_items:
        console.print(f"Exchange requested: {', '.join(view.exchange_items)} → "
                      f"{', '.join(view.exchange_new_items or [])} (price difference "
                      f"{money}{view.exchange_price_difference or 0:.2f}, via "
                      f"{view.exchange_payment_method_id})")


def render_customer(console: Console, view: CustomerView, user_id: str,
                    orders: list[tuple[str, str, datetime | None]], *, money: str = "") -> None:
    header = Table.grid(padding=(0, 2))
    if view.language == "zh":  # Chinese names read surname first, without a space
        header.add_row("Name", f"{view.name.last_name}{view.name.first_name}")
    else:
        header.add_row("Name", f"{view.name.first_name} {view.name.last_name}")
    header.add_row("Email", view.email)
    header.add_row("Phone", view.phone or "-")
    header.add_row("Language", view.language or "en")
    header.add_row("Address", _address(view))
    console.print(Panel(header, title=f"Customer {user_id}", expand=False))

    methods = Table(title="Payment methods", title_justify="left")
    methods.add_column("Id")
    methods.add_column("Source")
    methods.add_column("Details")
    for method in view.payment_methods.values():
        details = []
        if method.brand:
            details.append(f"{method.brand} ····{method.last_four or ''}")
        if method.balance is not None:
            details.append(f"balance {money}{method.balance:.2f}")
        methods.add_row(method.id, method.source, ", ".join(details))
    console.print(methods)

    table = Table(title="Orders", title_justify="left")
    table.add_column("Order")
    table.add_column("Status")
    table.add_column("Placed")
    for order_id, status, placed in orders:
        table.add_row(order_id, _status(status), _when(placed))
    console.print(table)
