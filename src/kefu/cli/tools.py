"""``kefu tools``: list and call the store operations (the agent's tool layer)."""

from __future__ import annotations

import typer

app = typer.Typer(help="List and call the store operations that agents use as tools.",
                  no_args_is_help=True)
