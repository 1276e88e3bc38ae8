"""Entry point of the ``kefu`` command.

Subcommand modules import heavy libraries (torch, transformers, SQLAlchemy models) inside
their functions, so that ``kefu --help`` answers at once.
"""

from __future__ import annotations

import sys

import typer

from kefu import __version__
from kefu.errors import KefuError

app = typer.Typer(
    name="kefu",
    help="kefu (客服): a self-hosted, bilingual AI customer-service assistant for online stores.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kefu {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """kefu (客服): a self-hosted, bilingual AI customer-service assistant for online stores."""


def _register() -> None:
    # One line per subcommand group; each module defines `app` (a typer.Typer) or commands.
    from kefu.cli import store as store_cli
    from kefu.cli import tools as tools_cli

    app.add_typer(store_cli.app, name="store")
    app.add_typer(tools_cli.app, name="tools")
    from kefu.cli import config as config_cli

    app.command("config")(config_cli.config)
    from kefu.cli import nlu as nlu_cli

    nlu_cli.register(app)  # models prepare, train, evaluate
    from kefu.cli import kb as kb_cli

    app.add_typer(kb_cli.app, name="kb")  # index, search, ask
    from kefu.cli import chat as chat_cli

    chat_cli.register(app)  # chat, demo
    from kefu.cli import serve as serve_cli

    serve_cli.register(app)  # serve, agents
    from kefu.cli import conversation_tests as conversation_tests_cli

    conversation_tests_cli.register(app)  # test-conversations


_register()


def main() -> None:
    """Run the CLI, turning kefu's own errors into a clear message and exit status 1."""
    try:
        app()
    except KefuError as exc:
        from rich.console import Console

        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
