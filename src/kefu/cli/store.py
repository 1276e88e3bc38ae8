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
