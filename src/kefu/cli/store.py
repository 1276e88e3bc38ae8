"""``kefu store``: import, export, demo data and readable views of the store."""

from __future__ import annotations

from pathlib import Path

import typer

from kefu.cli.common import DatabaseUrlOption, open_cli_store, print_json

app = typer.Typer(help="Manage the store: import, export, demo data, show records.",
                  no_args_is_help=True)

FormatOption = typer.Option("taubench", "--format", help="Data format (only `taubench`).")


def _check_format(fmt: str) -> None:
    if fmt != "taubench":
        from kefu.errors import InvalidInput

        raise InvalidInput(f"unknown format {fmt!r}", hint="the supported format is taubench")


@app.command("import")
def import_(
    path: Path = typer.Argument(..., help="Directory with users.json, products.json, orders.json."),
    fmt: str = FormatOption,
    replace: bool = typer.Option(False, "--replace", help="Delete the store's data first."),
    database_url: str | None = DatabaseUrlOption,
    json_output: bool = typer.Option(False, "--json", help="Print the row counts as JSON."),
) -> None:
    """Import a store from tau-bench retail's JSON files (ids kept as they are)."""
    import time

    from rich.console import Console
    from rich.progress import Progress

    from kefu.store.taubench import import_taubench

    _check_format(fmt)
    store = open_cli_store(database_url)
    started = time.perf_counter()
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("importing", total=9)
        counts = import_taubench(
            store, path, replace=replace,
            progress=lambda table, n: progress.update(task, advance=1,
                                                      description=f"{table}: {n}"),
        )
    elapsed = time.perf_counter() - started
    if json_output:
        print_json(counts)
        return
    summary = ", ".join(f"{n} {table}" for table, n in counts.items() if n)
    typer.echo(f"Imported {summary} in {elapsed:.1f} s into {store.backend}.")


@app.command("export")
def export(
    directory: Path = typer.Argument(..., help="Directory to write the files into."),
    fmt: str = FormatOption,
    database_url: str | None = DatabaseUrlOption,
) -> None:
    """Export the store as tau-bench's users.json, products.json and orders.json."""
    from kefu.store.taubench import export_taubench

    _check_format(fmt)
    counts = export_taubench(open_cli_store(database_url), directory)
    typer.echo(f"Wrote {counts['users']} users, {counts['products']} products and "
               f"{counts['orders']} orders to {directory}.")


# -- demo shop and readable views ----------------------------------------------------------

_CURRENCY_SIGNS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


@app.command("demo")
def demo(
    seed: int | None = typer.Option(None, "--seed", help="Random seed (default 2026); the "
                                    "same seed always gives the same shop."),
    database_url: str | None = DatabaseUrlOption,
    force: bool = typer.Option(False, "--force", help="Replace a store that holds data."),
) -> None:
    """Fill the store with the bilingual demo shop (products, customers, orders, offers)."""
    from rich.console import Console
    from rich.progress import Progress

    from kefu.errors import RuleViolation
    from kefu.store.demo import DEFAULT_SEED, build_demo_store

    store = open_cli_store(database_url)
    if not store.is_empty() and not force:
        raise RuleViolation("the store already holds data",
                            hint="add --force to replace it with the demo shop")
    steps = ("catalog", "customers", "orders", "writing")
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("building the demo shop", total=len(steps))
        summary = build_demo_store(
            store, seed=DEFAULT_SEED if seed is None else seed, replace=force,
            progress=lambda step: progress.update(task, completed=steps.index(step),
                                                  description=step))
    counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
    typer.echo(f"Built the demo shop (seed {summary.seed}) in {summary.seconds:.1f} s into "
               f"{store.backend}: {counts}.")


def _money_sign(store: object) -> str:
    from kefu.store.policy import load_policy

    with store.session() as session:  # type: ignore[attr-defined]
        currency = load_policy(session).currency
    return _CURRENCY_SIGNS.get(currency, currency + " ")


@app.command("show-order")
def show_order(
    order_id: str = typer.Argument(..., help="The order id, e.g. '#W1234567'."),
    database_url: str | None = DatabaseUrlOption,
    json_output: bool = typer.Option(False, "--json", help="Print the order view as JSON."),
) -> None:
    """Show an order: items, status, shipments with tracking events, payments."""
    from rich.console import Console

    from kefu.cli.store_show import render_order
    from kefu.store.operations import _load
    from kefu.store.views import order_view

    store = open_cli_store(database_url)
    with store.session() as session:
        view = order_view(_load.order(session, order_id))
    if json_output:
        print_json(view.to_json())
        return
    render_order(Console(), view, money=_money_sign(store))


@app.command("show-customer")
def show_customer(
    user_id: str = typer.Argument(..., help="The user id, e.g. 'wei_zhang_1234'."),
    database_url: str | None = DatabaseUrlOption,
    json_output: bool = typer.Option(False, "--json", help="Print the customer view as JSON."),
) -> None:
    """Show a customer: contact details, address, payment methods and orders."""
    from rich.console import Console

    from kefu.cli.store_show import render_customer
    from kefu.store.operations import _load
    from kefu.store.views import customer_view

    store = open_cli_store(database_url)
    with store.session() as session:
        customer = _load.customer(session, user_id)
        view = customer_view(customer)
        orders = [(o.id, o.status, o.placed_at) for o in customer.orders]
    if json_output:
        print_json(view.to_json())
        return
    render_customer(Console(), view, user_id, orders, money=_money_sign(store))
