"""``kefu store``: import, export, demo data and readable views of the store."""

from __future__ import annotations

import typer

app = typer.Typer(help="Manage the store: import, export, demo data, show records.",
                  no_args_is_help=True)
