"""``kefu tools``: list and call the store operations (the agent's tool layer)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from kefu.cli.common import DatabaseUrlOption, open_cli_store, print_json

app = typer.Typer(help="List and call the store operations that agents use as tools.",
                  no_args_is_help=True)


def _paragraphs(text: str) -> list[str]:
    """A docstring's paragraphs, each on one line (the terminal wraps them)."""
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _summary(text: str) -> str:
    """The first sentence of a description."""
    first = _paragraphs(text)[0] if text.strip() else ""
    head, sep, _ = first.partition(". ")
    return head + "." if sep else first


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


@app.command("list")
def list_tools(
    json_output: bool = typer.Option(False, "--json",
                                     help="Print the OpenAI function-calling schemas."),
    name: str | None = typer.Option(None, "--name", help="Show only this tool, in full."),
) -> None:
    """List the tools: name, whether it writes, and what it does."""
    from kefu.errors import KefuError
    from kefu.tools import all_tools, get_tool

    try:
        tools = [get_tool(name)] if name else all_tools()
    except KefuError as exc:
        raise _fail(str(exc)) from None
    if json_output:
        print_json([t.schema() for t in tools])
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if name:
        tool = tools[0]
        console.print(f"[bold]{tool.name}[/] ({'writes' if tool.writes else 'reads'})\n",
                      highlight=False)
        for paragraph in _paragraphs(tool.description):
            console.print(paragraph + "\n", highlight=False)
        params = tool.parameters_schema()
        required = set(params.get("required", []))
        for arg, spec in params.get("properties", {}).items():
            kind = spec.get("type") or "/".join(
                s.get("type", "?") for s in spec.get("anyOf", []))
            flag = "" if arg in required else ", optional"
            console.print(f"  [bold]{arg}[/] ({kind}{flag}): {spec.get('description', '')}",
                          highlight=False)
        return
    table = Table("name", "writes", "description")
    for tool in tools:
        table.add_row(tool.name, "yes" if tool.writes else "", _summary(tool.description))
    console.print(table)


@app.command("call")
def call(
    name: str | None = typer.Argument(None, help="The tool to call, e.g. get_order_details."),
    args: str | None = typer.Argument(None, help='Its arguments as a JSON object, e.g. '
                                                 '\'{"order_id": "#W2378156"}\'.'),
    batch: Path | None = typer.Option(
        None, "--batch", help="Run a JSON-lines file of {\"name\": ..., \"kwargs\": {...}} "
                              "calls in order ('-' reads standard input); prints one JSON "
                              "outcome per line, and an error does not stop the batch."),
    database_url: str | None = DatabaseUrlOption,
) -> None:
    """Call one tool and print its JSON result, or run a batch of calls."""
    import json

    from kefu.errors import InvalidInput, KefuError

    if batch is not None:
        if name is not None:
            raise _fail("give either a tool name or --batch FILE, not both")
        _run_batch(batch, database_url)
        return
    if name is None:
        raise _fail("name the tool to call (see `kefu tools list`) or give --batch FILE")
    try:
        try:
            kwargs = json.loads(args) if args else {}
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"the arguments are not valid JSON: {exc.msg} "
                               f"(column {exc.colno})",
                               hint='write them as a JSON object, e.g. \'{"order_id": '
                                    '"#W2378156"}\'') from None
        from kefu.tools import call_tool, get_tool

        get_tool(name)  # an unknown name fails before the store is opened
        result = call_tool(open_cli_store(database_url), name, kwargs)
    except KefuError as exc:
        raise _fail(str(exc)) from None
    print_json(result)


def _run_batch(path: Path, database_url: str | None) -> None:
    import json

    from kefu.errors import KefuError
    from kefu.tools.batch import run_batch

    try:
        handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror}") from None
    try:
        store = open_cli_store(database_url)
        with handle:
            for outcome in run_batch(store, handle):
                typer.echo(json.dumps(outcome.to_json(), ensure_ascii=False))
    except UnicodeDecodeError as exc:
        raise _fail(f"{path} is not UTF-8 text: {exc.reason}") from None
    except KefuError as exc:
        raise _fail(str(exc)) from None
