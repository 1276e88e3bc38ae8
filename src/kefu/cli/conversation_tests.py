"""``kefu test-conversations FILES...``: play YAML test conversations against the assistant.

Each conversation runs on a fresh copy of its store (tau-bench import or demo shop, built
once per run) with the trained NLU model; the command prints task success per
conversation and overall, and exits 1 when any conversation fails.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from kefu.dialogue.testing import ConversationResult


def test_conversations(
    files: list[Path] = typer.Argument(..., help="Conversation .yml files or folders of them."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    store: str | None = typer.Option(
        None, "--store", help="Run every conversation on this store (taubench or demo) "
                              "instead of the one its file names."),
    model_dir: Path | None = typer.Option(
        None, "--model-dir", help="The trained NLU model (default: the configured one, "
                                  "trained first if missing)."),
    show: bool = typer.Option(False, "--show", help="Print the transcript of failures."),
) -> None:
    """Run test conversations and report task success per conversation and overall."""
    from kefu.cli.common import print_json
    from kefu.dialogue.testing import ConversationRunner, load_conversations
    from kefu.dialogue.testing.spec import STORES
    from kefu.errors import InvalidInput

    if store is not None and store not in STORES:
        raise InvalidInput(f"--store must be one of {', '.join(STORES)}, got {store!r}")
    specs = load_conversations(files)
    if store is not None:
        specs = [dataclasses.replace(s, store=store) for s in specs]
    runner = ConversationRunner(model_dir=model_dir)

    def progress(result: ConversationResult) -> None:
        if as_json:
            return
        typer.echo(f"{'PASS' if result.passed else 'FAIL'}  {result.name}  ({result.where})")
        for failure in result.failures:
            typer.echo(f"      - {failure}")
        if show and not result.passed:
            for turn in result.turns:
                typer.echo(f"      user: {turn.user}\n      kefu: {turn.replies}  "
                           f"[{turn.intent}; {', '.join(turn.actions) or '-'}]")

    try:
        report = runner.run_all(specs, on_result=progress)
    finally:
        runner.close()
    if as_json:
        print_json(report.to_dict())
    else:
        typer.echo(f"\ntask success: {report.passed}/{len(report.results)} "
                   f"({report.success_rate:.0%})")
    if report.passed != len(report.results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("test-conversations")(test_conversations)
