"""``kefu kb``: index the store's knowledge base (Markdown policies and FAQ), search it, ask it."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from kefu.cli.common import print_json

app = typer.Typer(help="The knowledge base: store policies and FAQ in Markdown "
                  "(docs/knowledge.md).",
                  no_args_is_help=True)

IndexUrlOption = typer.Option(
    None, "--index-url",
    help="Database of the index (default: the store's PostgreSQL database when configured, "
    "else knowledge.db in KEFU_HOME).")


def _open(index_url: str | None, *, auto_index: bool = True):  # type: ignore[no-untyped-def]
    from kefu.knowledge import KnowledgeBase

    return KnowledgeBase.open(url=index_url, auto_index=auto_index)


@app.command("index")
def index(
    directory: Path | None = typer.Argument(
        None, help="Folder of .md files (default: the knowledge base shipped with kefu)."),
    force: bool = typer.Option(False, "--force", help="Re-index every file, changed or not."),
    index_url: str | None = IndexUrlOption,
) -> None:
    """Chunk and embed new or changed files; drop files that are gone."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(highlight=False)
    kb = _open(index_url, auto_index=False)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("Indexing", total=None)

        def report(name: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"Indexing {name}")

        result = kb.index(directory, progress=report, force=force)
    kb.close()
    console.print(f"{len(result.added)} added, {len(result.updated)} updated, "
                  f"{len(result.unchanged)} unchanged, {len(result.removed)} removed; "
                  f"{result.chunks} sections indexed ({result.embedded} embedded now) "
                  f"in {result.seconds:.1f} s")
    for label, names in (("added", result.added), ("updated", result.updated),
                         ("removed", result.removed)):
        for name in names:
            console.print(f"  {label}: {name}")


@app.command("search")
def search(
    question: str = typer.Argument(..., help="The question, in Chinese or English."),
    top_k: int = typer.Option(5, "--top-k", "-k", help="How many sections to show."),
    lang: str | None = typer.Option(None, "--lang", help="Show sections in zh or en."),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid, bm25 or dense."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    index_url: str | None = IndexUrlOption,
) -> None:
    """The sections that best answer a question, with their scores."""
    kb = _open(index_url)
    passages = kb.search(question, lang, top_k=top_k, mode=mode)
    kb.close()
    if as_json:
        print_json([asdict(p) | {"key": p.key} for p in passages])
        return
    from rich.console import Console

    console = Console(highlight=False)
    if not passages:
        console.print("The index is empty: run `kefu kb index`.")
    for rank, p in enumerate(passages, start=1):
        console.print(f"[bold]{rank}. {p.key}[/] ({p.lang}) {p.title} › {p.heading}  "
                      f"score {p.score:.4f} (bm25 {p.bm25_score:.2f}, cosine "
                      f"{p.dense_score:.3f})  {p.source_path}")
        console.print("   " + " ".join(p.text.split())[:300])


@app.command("ask")
def ask(
    question: str = typer.Argument(..., help="The question, in Chinese or English."),
    lang: str | None = typer.Option(None, "--lang", help="Answer in zh or en "
                                    "(default: the question's language)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    index_url: str | None = IndexUrlOption,
) -> None:
    """The answer kefu gives from the knowledge base, with its source."""
    kb = _open(index_url)
    answer = kb.answer(question, lang)
    kb.close()
    if as_json:
        data = asdict(answer)
        data.pop("passages")
        print_json(data)
        return
    typer.echo(answer.text)
