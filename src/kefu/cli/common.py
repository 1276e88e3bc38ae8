"""Small pieces every CLI module shares: opening the store, printing JSON and progress."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from kefu.store import Store

DatabaseUrlOption = typer.Option(
    None, "--database-url", envvar="KEFU_DATABASE_URL",
    help="Store database URL (default: the configured store, a SQLite file in KEFU_HOME).",
)


def open_cli_store(database_url: str | None) -> Store:
    """Open the store named on the command line, or the configured one."""
    from kefu.store import open_store

    return open_store(database_url)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
