"""``kefu serve`` (the HTTP API, web chat and agent console) and ``kefu agents``.

The CLI only translates: the app is :func:`kefu.channels.http.create_app`, agents are
:class:`kefu.agents.AgentDirectory`.
"""

from __future__ import annotations

import os
import sys

import typer

from kefu.cli.common import DatabaseUrlOption, open_cli_store

agents_app = typer.Typer(help="Human agents who sign in to the console at /agent.",
                         no_args_is_help=True)


def prepare(demo: bool) -> None:
    """Once, before the workers start: migrate the store (and build the demo shop), make
    sure the NLU model exists and the tracker store's tables are there."""
    from kefu.dialogue.setup import ensure_default_model
    from kefu.dialogue.trackers import open_raw_tracker_store
    from kefu.settings import get_settings
    from kefu.store import open_store

    settings = get_settings()
    store = open_store(settings.store_url)
    if demo:
        from kefu.store.demo import REFERENCE_DATE, build_demo_store

        if store.is_empty():
            typer.echo("building the demo shop", err=True)
            build_demo_store(store)
        if settings.store_frozen_at is None:
            os.environ["KEFU_STORE_FROZEN_AT"] = REFERENCE_DATE.isoformat()
    store.dispose()
    ensure_default_model(settings, lambda message: typer.echo(message, err=True))
    open_raw_tracker_store(settings.tracker_store_url).close()
    get_settings.cache_clear()


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes; with more "
                                "than one, keep conversations in PostgreSQL or Redis "
                                "(KEFU_TRACKER_URL)."),
    demo: bool = typer.Option(False, "--demo", help="Build the demo shop when the store is "
                              "empty and pin the clock to its reference date."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn's log level."),
    keep_alive: int | None = typer.Option(
        None, "--keep-alive", min=1, help="Seconds an idle connection stays open for the "
        "client's next request (default: the keep_alive setting, 65)."),
) -> None:
    """Serve the chat API (/api/v1), the web chat (/), the agent console (/agent), the admin
    view (/admin), metrics (/metrics) and the API docs (/docs)."""
    import tempfile

    import uvicorn

    from kefu.settings import get_settings

    prepare(demo)
    if keep_alive is None:
        keep_alive = get_settings().keep_alive
    # Each worker's PyTorch gets its share of the cores: more threads than cores, across
    # processes, slows every turn down.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, cores // workers)))
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kefu-metrics-")
    typer.echo(f"kefu serving on http://{host}:{port} with {workers} worker(s)", err=True)
    uvicorn.run("kefu.channels.http.app:app_from_environment", factory=True, host=host,
                port=port, workers=workers, log_level=log_level, access_log=False,
                timeout_keep_alive=keep_alive)


@agents_app.command("add")
def add(
    name: str = typer.Argument(..., help="The agent's sign-in name."),
    password: bool = typer.Option(False, "--password", help="Ask for a password."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input."),
    api_key: bool = typer.Option(False, "--api-key", help="Create an API key (shown once)."),
    admin: bool = typer.Option(False, "--admin", help="May also open the admin view."),
    database_url: str | None = DatabaseUrlOption,
) -> None:
    """Create an agent who signs in with a password, an API key, or both."""
    from kefu.agents import AgentDirectory

    secret: str | None = None
    if password_stdin:
        secret = sys.stdin.readline().rstrip("\n")
    elif password:
        secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    created = AgentDirectory(open_cli_store(database_url)).add(
        name, password=secret, api_key=api_key, role="admin" if admin else "agent")
    typer.echo(f"agent {created.agent.name} ({created.agent.role}) created")
    if created.api_key:
        typer.echo(f"API key (shown once): {created.api_key}")


@agents_app.command("list")
def list_agents(database_url: str | None = DatabaseUrlOption) -> None:
    """The agents, with how they sign in."""
    from kefu.agents import AgentDirectory

    for agent in AgentDirectory(open_cli_store(database_url)).list():
        ways = [w for w, has in (("password", agent.has_password),
                                 ("api-key", agent.has_api_key)) if has]
        typer.echo(f"{agent.name}\t{agent.role}\t{'+'.join(ways)}\t"
                   f"{'active' if agent.active else 'disabled'}")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(agents_app, name="agents")
