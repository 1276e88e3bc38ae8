"""``kefu config``: the settings in force and where each value came from."""

from __future__ import annotations

import os

import typer


def config(
    json_output: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
) -> None:
    """Show the configuration in force (environment, kefu.toml, defaults)."""
    import tomllib

    from kefu.cli.common import print_json
    from kefu.settings import Settings, config_file, get_settings

    settings = get_settings()
    path = config_file()
    from_file = tomllib.loads(path.read_text(encoding="utf-8")) if path else {}
    rows = []
    for name in Settings.model_fields:
        if f"KEFU_{name.upper()}" in os.environ:
            source = f"KEFU_{name.upper()}"
        elif name in from_file:
            source = str(path)
        else:
            source = "default"
        value = getattr(settings, name)
        if name == "secret_key":
            value = "(set)" if source != "default" else "(development default)"
        rows.append({"setting": name, "value": None if value is None else str(value),
                     "source": source})
    if json_output:
        print_json({"config_file": str(path) if path else None, "settings": rows,
                    "store_url": settings.store_url})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"kefu configuration (file: {path or 'none'})")
    for column in ("setting", "value", "source"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["setting"], row["value"] or "-", row["source"])
    Console().print(table)
