"""``kefu chat`` (talk to the assistant in the terminal) and ``kefu demo`` (prepare, then chat).

Commands: /reset, /lang zh|en|auto, /debug, /quit. The CLI only translates: every answer
comes from :class:`kefu.dialogue.engine.Assistant`.
"""

from __future__ import annotations

import uuid
from typing import Any

import typer

HELP_LINE = "Commands: /reset  /lang zh|en|auto  /debug  /quit"


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def _show(console: Any, result: Any, debug: bool) -> None:
    for reply in result.replies:
        console.print(f"[bold cyan]kefu[/]  {reply.text}", soft_wrap=True)
        if reply.buttons:
            console.print("      " + "  ".join(f"[reverse] {b.title} [/]" for b in reply.buttons))
    if debug:
        parse = result.parse
        ranking = ", ".join(f"{s.name} {s.confidence:.2f}" for s in parse.ranking[:3])
        entities = ", ".join(f"{e.type}={e.value!r}" for e in parse.entities) or "-"
        actions = ", ".join(f"{a.name}{'' if a.ok else ' ✗'}" for a in result.actions) or "-"
        console.print(f"[dim]  intent {parse.intent.name} ({parse.intent.confidence:.2f}) | "
                      f"{ranking} | lang {parse.language} | entities {entities} | "
                      f"actions {actions} | verified {result.verified}[/]")


def run_chat(assistant: Any, *, token: str | None = None, debug: bool = False) -> None:
    """The read-reply loop over ``assistant`` until /quit or end of input."""
    console = _console()
    conversation = f"cli-{uuid.uuid4().hex[:12]}"
    console.print(f"[dim]{HELP_LINE}[/]")
    while True:
        try:
            text = console.input("[bold green]you[/]   ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        command = text.strip()
        if not command:
            continue
        if command in ("/quit", "/exit"):
            return
        if command == "/reset":
            assistant.reset(conversation)
            console.print("[dim]conversation restarted[/]")
            continue
        if command == "/debug":
            debug = not debug
            console.print(f"[dim]debug {'on' if debug else 'off'}[/]")
            continue
        if command.startswith("/lang"):
            choice = command.removeprefix("/lang").strip()
            assistant.set_language(conversation, None if choice in ("", "auto") else choice)
            console.print(f"[dim]language: {choice or 'auto'}[/]")
            continue
        if command.startswith("/"):
            console.print(f"[dim]{HELP_LINE}[/]")
            continue
        from kefu.errors import KefuError

        try:
            result = assistant.handle(conversation, text, customer_token=token)
        except KefuError as exc:
            console.print(f"[red]error:[/] {exc}")
            continue
        token = None  # the token verifies the customer once
        _show(console, result, debug)


def chat(
    customer: str | None = typer.Option(
        None, "--customer", help="Sign in as this customer id (a signed token is made)."),
    debug: bool = typer.Option(False, "--debug", help="Show the parse of each message."),
) -> None:
    """Chat with the assistant in the terminal, against the configured store."""
    from kefu.dialogue.engine import Assistant
    from kefu.settings import get_settings

    settings = get_settings()
    console = _console()
    with console.status("loading the assistant"):
        assistant = Assistant.from_settings(settings, background=True)
    _chat_with(assistant, settings, customer, debug)


def _chat_with(assistant: Any, settings: Any, customer: str | None, debug: bool) -> None:
    token = None
    if customer:
        from kefu.identity import sign_customer_token

        token = sign_customer_token(customer, settings.secret_key)
    try:
        run_chat(assistant, token=token, debug=debug)
    finally:
        assistant.close()


def demo(
    customer: str | None = typer.Option(
        None, "--customer", help="Sign in as this demo customer id."),
    debug: bool = typer.Option(False, "--debug", help="Show the parse of each message."),
) -> None:
    """Prepare what is missing (demo shop, encoder, NLU model, knowledge base index), then
    open the chat."""
    from kefu.dialogue.engine import Assistant
    from kefu.dialogue.setup import ensure_default_model
    from kefu.settings import get_settings
    from kefu.store import clock, open_store
    from kefu.store.demo import REFERENCE_DATE, build_demo_store

    settings = get_settings()
    console = _console()
    with console.status("opening the store") as status:
        store = open_store(settings.store_url)
        if store.is_empty():
            status.update("building the demo shop")
            build_demo_store(store)
        ensure_default_model(settings, lambda message: status.update(message))
        status.update("checking the knowledge base index")
        from kefu.knowledge.source import prepare

        prepare(settings, lambda name, done, total: status.update(
            f"indexing the knowledge base: {name} ({done}/{total})"))
        status.update("loading the assistant")
        assistant = Assistant.from_settings(settings, store=store, background=True)
    console.print(f"[bold]kefu demo[/]: the demo shop as of {REFERENCE_DATE:%Y-%m-%d}. Try "
                  "\"where is my order?\" or \"我想退货\"; verify with a demo customer's email "
                  "(`kefu store show-customer`).")
    with clock.frozen_at(REFERENCE_DATE):
        _chat_with(assistant, settings, customer, debug)


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)
    app.command("demo")(demo)
