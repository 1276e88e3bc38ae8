"""Intent classification on public sets: kefu's frozen head and fine-tuning vs TF-IDF+SVM.

    .venv/bin/python benchmarks/nlu_intents.py --dataset banking77|clinc150|cais|all \
        [--mode frozen|finetune|both] [--limit-train N] [--limit-test N] [--epochs E] \
        [--max-minutes M] [--output-dir DIR] [--no-write]

For each data set: a TF-IDF (word + character n-grams) + LinearSVC baseline, then kefu's
frozen-embedding classifier (``train_frozen_head``) and/or fine-tuning (``finetune``, cut to
``--max-minutes``), evaluated on the official test split; CLINC150 also gets the
out-of-scope threshold trade-off calibrated on its validation split. Latency is measured on
the path a conversation uses (``IntentClassifier.predict([text])`` and ``Parser.parse``),
batch of one after warm-up, with the baseline's latency in the same run as a reference for
a loaded machine. Results go to DIR/results/<dataset>.json; the section ``nlu-intents`` of
docs/benchmarks.md is rebuilt from every results file there.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nlu_common import (  # noqa: E402
    ARTIFACTS,
    IntentDataset,
    ensure_base_model,
    install_embedding_cache,
    load_average,
    load_dataset,
    measure_latency,
    measure_throughput,
    sample,
)
from _report import machine, today, write_section  # noqa: E402

from kefu.nlu.taxonomy import OUT_OF_SCOPE  # noqa: E402
from kefu.nlu.types import Example  # noqa: E402

LATENCY_MESSAGES = 100
THROUGHPUT_MESSAGES = 512
OOS_RECALL_TARGET = 0.75
IN_SCOPE_TARGET = 0.965


def scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    from kefu.nlu.evaluation import intent_metrics

    metrics = intent_metrics(gold, predicted)
    if any(g == OUT_OF_SCOPE for g in gold):  # CLINC150 convention: in-scope accuracy
        pairs = [(g, p) for g, p in zip(gold, predicted, strict=True) if g != OUT_OF_SCOPE]
        metrics["in_scope_accuracy"] = sum(g == p for g, p in pairs) / len(pairs)
    return {k: round(v, 4) for k, v in metrics.items()}


def predict_both(model: Any, test: list[Example]) -> dict[str, dict[str, float]]:
    """Metrics as deployed (kefu's out-of-scope threshold applied) and closed-set (argmax,
    the convention of the published BANKING77/CAIS figures)."""
    texts, gold = [e.text for e in test], [e.intent for e in test]
    probs = model.predict_proba(texts)
    deployed = [p.intent.name for p in model.predictions_from_proba(texts, probs)]
    closed = [model.labels[i] for i in probs.argmax(axis=1)]
    return {"metrics": scores(gold, deployed), "metrics_closed_set": scores(gold, closed)}


# -- the baseline ---------------------------------------------------------------------
def run_baseline(data: IntentDataset, train: list[Example], test: list[Example]) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    started = time.perf_counter()
    pipeline = make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                   TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)),
        LinearSVC(C=0.5))
    pipeline.fit([e.text for e in train], [e.intent for e in train])
    seconds = time.perf_counter() - started
    predicted = list(pipeline.predict([e.text for e in test]))
    texts = [e.text for e in test[:LATENCY_MESSAGES]]
    latency = measure_latency(lambda t: pipeline.predict([t]), texts)
    return {"metrics": scores([e.intent for e in test], predicted),
            "train_seconds": round(seconds, 1), "latency": latency.to_dict()}


# -- CLINC150: the out-of-scope threshold, calibrated on validation --------------------
def oos_tradeoff(model: Any, validation: list[Example], test: list[Example]) -> dict:
    import numpy as np

    labels = list(model.labels)
    oos = labels.index(OUT_OF_SCOPE) if OUT_OF_SCOPE in labels else -1

    def evaluate(probs: np.ndarray, gold: list[str], threshold: float) -> tuple[float, float]:
        predicted = probs.argmax(axis=1)
        predicted = np.where(probs.max(axis=1) < threshold, oos, predicted)
        names = [labels[i] if i >= 0 else OUT_OF_SCOPE for i in predicted]
        inscope = [n == g for n, g in zip(names, gold, strict=True) if g != OUT_OF_SCOPE]
        rejected = [n == OUT_OF_SCOPE for n, g in zip(names, gold, strict=True)
                    if g == OUT_OF_SCOPE]
        return float(np.mean(inscope)), float(np.mean(rejected))

    pv = model.predict_proba([e.text for e in validation])
    pt = model.predict_proba([e.text for e in test])
    gv, gt = [e.intent for e in validation], [e.intent for e in test]
    grid = [round(t, 3) for t in np.arange(0.0, 0.99, 0.01)]
    curve = {t: evaluate(pv, gv, t) for t in grid}
    choices = {"oos class only (no threshold)": 0.0,
               "kefu's calibrated threshold": round(model.threshold, 3)}
    reaching = [t for t in grid if curve[t][1] >= OOS_RECALL_TARGET]
    if reaching:
        choices[f"lowest with validation OOS recall >= {OOS_RECALL_TARGET}"] = reaching[0]
    keeping = [t for t in grid if curve[t][0] >= IN_SCOPE_TARGET]
    if keeping:
        choices[f"highest with validation in-scope >= {IN_SCOPE_TARGET}"] = keeping[-1]
    best = max(grid, key=lambda t: sum(curve[t]))
    choices["max of validation in-scope + OOS recall"] = best
    rows = []
    for name, threshold in choices.items():
        vi, vr = evaluate(pv, gv, threshold)
        ti, tr = evaluate(pt, gt, threshold)
        rows.append({"choice": name, "threshold": threshold, "val_in_scope": round(vi, 4),
                     "val_oos_recall": round(vr, 4), "test_in_scope": round(ti, 4),
                     "test_oos_recall": round(tr, 4)})
    return {"rows": rows}


# -- kefu's recipes ---------------------------------------------------------------------
def run_frozen(data: IntentDataset, train: list[Example], test: list[Example],
               validation: list[Example], base: Path, cache: Path, model_dir: Path,
               latency: bool = True) -> dict:
    from kefu.nlu import Parser
    from kefu.nlu.encoder import SentenceEncoder
    from kefu.nlu.entities import EntityExtractor
    from kefu.nlu.frozen import train_frozen_head

    encoder = SentenceEncoder.load(base)
    install_embedding_cache(encoder, cache)
    started = time.perf_counter()
    model = train_frozen_head(train, encoder)
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        **predict_both(model, test),
        "train_seconds": round(seconds, 1),
        "embedding_seconds": model.metadata["seconds"]["embedding"],
        "note": "train time includes embedding the training set unless it was cached "
                "by an earlier run (see embedding_seconds)",
        "c": model.metadata["c"], "threshold": round(model.threshold, 3)}
    if validation and data.name == "clinc150":
        result["oos_tradeoff"] = oos_tradeoff(model, validation, test)
    model.save(model_dir)
    if not latency:
        return result
    encoder.use_cache = False  # from here on every call runs the encoder
    texts = [e.text for e in test[:LATENCY_MESSAGES]]
    result["latency_predict"] = measure_latency(lambda t: model.predict([t]), texts).to_dict()
    parser = Parser(model, EntityExtractor())
    result["latency_parse"] = measure_latency(parser.parse, texts).to_dict()
    result["throughput_batch32"] = measure_throughput(
        model.predict, [e.text for e in test[:THROUGHPUT_MESSAGES]])
    return result


def seconds_per_step(base: Path, texts: list[str], batch_size: int) -> float:
    """Time of one training step (forward + backward, word embeddings frozen)."""
    from kefu.nlu.encoder import SentenceEncoder

    encoder = SentenceEncoder.load(base)
    encoder.model.train()
    encoder.model.embeddings.word_embeddings.weight.requires_grad_(False)
    times = []
    for i in range(3):
        batch = dict(encoder.tokenize(texts[i * batch_size:(i + 1) * batch_size]))
        started = time.perf_counter()
        encoder.embed_batch(batch).sum().backward()
        times.append(time.perf_counter() - started)
    del encoder
    return min(times[1:]) * 1.15  # + the optimiser step


def run_finetune(data: IntentDataset, train: list[Example], test: list[Example], base: Path,
                 cache: Path, epochs: float, max_minutes: float) -> dict:
    import transformers

    import kefu.nlu.finetune as ft
    from kefu.nlu.encoder import SentenceEncoder
    from kefu.nlu.options import TrainingOptions

    defaults = TrainingOptions()
    per_step = seconds_per_step(base, [e.text for e in train], defaults.batch_size)
    n_train = round(len(train) * (1 - defaults.validation_fraction))
    steps_per_epoch = math.ceil(n_train / defaults.batch_size)
    # 75% of the budget for training steps; the rest for the frozen start and evaluations
    budget_steps = int(max_minutes * 60 * 0.75 / per_step)
    max_steps = max(2, min(int(epochs * steps_per_epoch), budget_steps))
    options = TrainingOptions(epochs=epochs, max_steps=max_steps,
                              eval_steps=max(1, math.ceil(max_steps / 2)))
    deadline = time.monotonic() + max_minutes * 60
    print(f"[{data.name}] fine-tuning: {per_step:.1f} s/step, {max_steps} steps "
          f"({max_steps / steps_per_epoch:.2f} epochs), budget {max_minutes} min", flush=True)

    class Budgeted(transformers.EarlyStoppingCallback):
        """Early stopping, and a hard stop (with a last evaluation) at the deadline."""

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
            if time.monotonic() > deadline:
                control.should_training_stop = True
                control.should_evaluate = control.should_save = True
            return control

    class CachedLoad:
        @staticmethod
        def load(directory: Path, **kwargs: Any) -> Any:
            encoder = SentenceEncoder.load(directory, **kwargs)
            install_embedding_cache(encoder, cache)
            return encoder

    def frozen_then_uncached(examples: Any, encoder: Any, opts: Any) -> Any:
        model = original_frozen(examples, encoder, opts)
        encoder.use_cache = False  # the encoder is about to change
        return model

    patches = [(ft, "train_frozen_head", frozen_then_uncached),
               (transformers, "EarlyStoppingCallback", Budgeted),
               (ft, "SentenceEncoder", CachedLoad)]
    original_frozen = ft.train_frozen_head
    saved = [(module, name, getattr(module, name)) for module, name, _ in patches]
    for module, name, value in patches:
        setattr(module, name, value)
    try:
        started = time.perf_counter()
        model = ft.finetune(train, base, options)
        seconds = time.perf_counter() - started
    finally:
        for module, name, value in saved:
            setattr(module, name, value)
    history = [h for h in model.metadata["history"] if "eval_accuracy" in h]
    return {**predict_both(model, test),
            "train_seconds": round(seconds, 1), "steps": model.metadata["steps"],
            "epochs_done": round(model.metadata["steps"] / steps_per_epoch, 2),
            "planned_steps": max_steps, "max_minutes": max_minutes,
            "seconds_per_step_estimate": round(per_step, 2),
            "validation": [{"step": h.get("step"), "accuracy": round(h["eval_accuracy"], 4)}
                           for h in history],
            "threshold": round(model.threshold, 3)}


# -- the report -------------------------------------------------------------------------
def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.2f}"


def primary(name: str, metrics: dict[str, float]) -> str:
    if name == "clinc150":
        return (f"in-scope {pct(metrics.get('in_scope_accuracy'))}, "
                f"OOS recall {pct(metrics.get('oos_recall'))}")
    return f"accuracy {pct(metrics.get('accuracy'))}"


def closed_from_tradeoff(result: dict) -> dict[str, float] | None:
    """CLINC150 runs that predate ``metrics_closed_set``: the no-threshold row."""
    for row in result.get("oos_tradeoff", {}).get("rows", []):
        if row["threshold"] == 0.0:
            return {"in_scope_accuracy": row["test_in_scope"],
                    "oos_recall": row["test_oos_recall"]}
    return None


def render(results: list[dict]) -> str:
    lines = ["## Intent classification (public sets)", "",
             "Produced by `benchmarks/nlu_intents.py`; each data set's own run is listed "
             "with its command, date and load. The machine was shared with other jobs "
             "(load average shown as 1/5/15 min over 2 cores), so times are noisy: compare "
             "them with the TF-IDF + LinearSVC baseline measured in the same run.", ""]
    for r in results:
        name = r["dataset"]
        lines += [f"### {name}", "",
                  f"- Command: `{r['command']}`", f"- Date: {r['date']}; machine: {r['machine']}; "
                  f"load average at start {r['load_start']}, at end {r['load_end']}",
                  f"- Data: {r['train_examples']} training, {r['test_examples']} test messages"
                  + (" (**sliced: not comparable with published figures**)"
                     if r.get("sliced") else ""),
                  f"- Published: {r['published']}. Target: {r['target']}.", "",
                  "| recipe | test, argmax over the labels | test, with kefu's out-of-scope "
                  "threshold | macro F1 (argmax) | training time (s) |",
                  "| --- | --- | --- | --- | --- |"]
        for key, label in (("baseline", "TF-IDF + LinearSVC (reference)"),
                           ("frozen", "kefu frozen encoder + logistic regression"),
                           ("finetune", "kefu fine-tuned")):
            if key in r:
                m = r[key]["metrics"]
                closed = r[key].get("metrics_closed_set") or closed_from_tradeoff(r[key]) or m
                extra = ""
                if key == "finetune":
                    ft = r[key]
                    extra = (f" ({ft['steps']} steps = {ft['epochs_done']} epochs, budget "
                             f"{ft['max_minutes']} min)")
                deployed = primary(name, m) if key != "baseline" else "(no threshold)"
                lines.append(f"| {label}{extra} | {primary(name, closed)} | {deployed} | "
                             f"{pct(closed.get('macro_f1'))} | {r[key]['train_seconds']} |")
        if "finetune" not in r:
            lines.append("| kefu fine-tuned | not run (see below) | | | |")
        frozen = r.get("frozen")
        if frozen and "oos_tradeoff" in frozen:
            lines += ["", "Out-of-scope threshold (frozen model; chosen on the validation "
                      "split incl. oos_val, applied to test):", "",
                      "| threshold chosen as | threshold | val in-scope | val OOS recall | "
                      "test in-scope | test OOS recall |", "| --- | --- | --- | --- | --- | --- |"]
            for row in frozen["oos_tradeoff"]["rows"]:
                lines.append(f"| {row['choice']} | {row['threshold']} | "
                             f"{pct(row['val_in_scope'])} | {pct(row['val_oos_recall'])} | "
                             f"{pct(row['test_in_scope'])} | {pct(row['test_oos_recall'])} |")
        if frozen and "latency_predict" not in frozen:
            lines += ["", "Latency: not measured in this run (`--no-latency`); the encoder and "
                      "the predict path are the same as for the other data sets."]
        if frozen and "latency_predict" in frozen:
            lp, pp = frozen["latency_predict"], frozen["latency_parse"]
            reference = frozen.get("reference_latency", r["baseline"]["latency"])
            same_run = ("in the same run, load " + frozen["load"] if "load" in frozen
                        else "from a later run of this data set, not the same run")
            ratio = lp["p50_ms"] / max(reference["p50_ms"], 1e-6)
            lines += ["", "Latency per message (batch of one, after 10 warm-up calls, "
                      f"{lp['n']} test messages) and batched throughput:", "",
                      "| path | p50 ms | p95 ms |", "| --- | --- | --- |",
                      f"| `IntentClassifier.predict([text])` | {lp['p50_ms']} | {lp['p95_ms']} |",
                      f"| `Parser.parse(text)` (intent + entities + language) | {pp['p50_ms']} "
                      f"| {pp['p95_ms']} |",
                      f"| TF-IDF + LinearSVC predict (reference, {same_run}) | "
                      f"{reference['p50_ms']} | {reference['p95_ms']} |", "",
                      f"Encoder p50 / baseline p50 = {ratio:.0f}x. Throughput of "
                      f"`predict` in batches of 32: {frozen['throughput_batch32']} messages/s. "
                      "The fine-tuned model has the same architecture, so the same latency."]
        if "finetune" in r and r["finetune"].get("validation"):
            curve = ", ".join(f"step {v['step']}: {pct(v['accuracy'])}"
                              for v in r["finetune"]["validation"])
            lines += ["", f"Fine-tuning validation accuracy (kefu's internal 15% split): {curve}."]
        if r.get("notes"):
            lines += ["", *r["notes"]]
        lines.append("")
    lines += summary(results)
    return "\n".join(lines)


def summary(results: list[dict]) -> list[str]:
    """What was and was not run, with the measured cost of a fine-tuning step."""
    tuned = [r for r in results if "finetune" in r]
    untuned = [r["dataset"] for r in results if "finetune" not in r]
    lines = ["### Fine-tuning: what was run", ""]
    if not tuned:
        return [*lines, "No fine-tuning run yet.", ""]
    for r in tuned:
        ft = r["finetune"]
        per_step = ft["seconds_per_step_estimate"]
        lines.append(f"- {r['dataset']}: {ft['steps']} optimiser steps of 32 messages "
                     f"({ft['epochs_done']} epochs) in a {ft['max_minutes']}-minute budget; a "
                     f"step took about {per_step} s on this loaded machine.")
    if untuned:
        per_step = max(r["finetune"]["seconds_per_step_estimate"] for r in tuned)
        sizes = {r["dataset"]: math.ceil(r["train_examples"] * 0.85 / 32) for r in results}
        cost = ", ".join(f"{name} {sizes[name]} steps ≈ {sizes[name] * per_step / 60:.0f} min"
                         for name in untuned)
        lines.append(f"- Not fine-tuned: {', '.join(untuned)}. One epoch at ~{per_step} s/step "
                     f"would take {cost}, more than the session allowed on a machine shared "
                     "with other jobs (the idle-machine figure in the offline-models note is "
                     "about 1.2 s/step).")
    return [*lines, ""]


def rescore(name: str, test: list[Example], output_dir: Path, cache: Path) -> None:
    from kefu.nlu.classifier import IntentClassifier

    path = output_dir / "results" / f"{name}.json"
    result = json.loads(path.read_text())
    model = IntentClassifier.load(output_dir / "models" / f"{name}-frozen")
    install_embedding_cache(model.encoder, cache)
    result["frozen"].update(predict_both(model, test))
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"[{name}] rescored: {result['frozen']['metrics_closed_set']}", flush=True)


def precompute(shard: str, examples: list[Example], base: Path, cache: Path) -> None:
    from kefu.nlu.encoder import SentenceEncoder
    from kefu.nlu.options import TrainingOptions

    index, count = (int(x) for x in shard.split("/"))
    texts = sorted({e.text for e in examples})[index::count]
    encoder = SentenceEncoder.load(base)
    install_embedding_cache(encoder, cache.with_name(f"{cache.stem}.shard{index}.npz"))
    # the vectors the default recipe trains on (with the middle layer, if it uses one)
    encoder.encode(texts, middle_layer=TrainingOptions().middle_layer)
    print(f"embedded shard {index}/{count}: {len(texts)} texts", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="all",
                        choices=["banking77", "clinc150", "cais", "all"])
    parser.add_argument("--mode", default="frozen", choices=["frozen", "finetune", "both"])
    parser.add_argument("--limit-train", type=int, default=None, help="random slice (smoke runs)")
    parser.add_argument("--limit-test", type=int, default=None, help="random slice (smoke runs)")
    parser.add_argument("--epochs", type=float, default=3.0, help="fine-tuning epochs")
    parser.add_argument("--max-minutes", type=float, default=20.0,
                        help="fine-tuning time budget per data set")
    parser.add_argument("--output-dir", type=Path, default=ARTIFACTS / "benchmarks" / "nlu")
    parser.add_argument("--base-model", type=Path, default=None,
                        help="prepared encoder directory (default: artifacts/models/...)")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--precompute", default=None, metavar="I/N",
                        help="only embed shard I of N of the data set's texts into the cache "
                        "(run N of these in parallel on a shared machine), then exit")
    parser.add_argument("--no-latency", action="store_true",
                        help="skip the latency and throughput measurement")
    parser.add_argument("--rescore", action="store_true",
                        help="recompute the frozen model's test metrics from the saved model "
                        "and the embedding cache (no training, no latency), then render")
    parser.add_argument("--note", default=None,
                        help="with --render-only: add this remark to the data set's results")
    parser.add_argument("--render-only", action="store_true",
                        help="rebuild the docs section from the results files, run nothing")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    names = ["banking77", "clinc150", "cais"] if args.dataset == "all" else [args.dataset]
    if args.render_only:
        for name in names if args.note else []:
            path = args.output_dir / "results" / f"{name}.json"
            noted = json.loads(path.read_text())
            noted["notes"] = [*noted.get("notes", []), args.note]
            path.write_text(json.dumps(noted, indent=2, ensure_ascii=False) + "\n")
        names = []
    base = args.base_model or (None if args.render_only else ensure_base_model())
    results_dir = args.output_dir / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    command = "python " + " ".join([Path(sys.argv[0]).as_posix()] + sys.argv[1:])
    for name in names:
        assert base is not None
        data = load_dataset(name)
        train = sample(data.train, args.limit_train)
        test = sample(data.test, args.limit_test)
        validation = sample(data.validation, args.limit_test)
        path = results_dir / f"{name}.json"
        old = json.loads(path.read_text()) if path.is_file() else {}
        sliced = args.limit_train is not None or args.limit_test is not None
        if old.get("sliced") != sliced:
            old = {}  # never mix a smoke run with a full one
        result: dict[str, Any] = {
            "dataset": name, "command": command, "date": today(), "machine": machine(),
            "load_start": load_average(), "train_examples": len(train),
            "test_examples": len(test), "published": data.published, "target": data.target,
            "sliced": sliced}
        cache = args.output_dir / "cache" / f"{name}.npz"
        if args.rescore:
            rescore(name, test, args.output_dir, cache)
            continue
        if args.precompute:
            precompute(args.precompute, [*train, *test, *validation], base, cache)
            continue
        print(f"[{name}] {len(train)} train / {len(test)} test; load {load_average()}",
              flush=True)
        result["baseline"] = run_baseline(data, train, test)
        print(f"[{name}] baseline {result['baseline']['metrics']}", flush=True)
        if args.mode in ("frozen", "both"):
            result["frozen"] = run_frozen(data, train, test, validation, base, cache,
                                          args.output_dir / "models" / f"{name}-frozen",
                                          latency=not args.no_latency)
            # the reference measured in the same run as the encoder's latency
            result["frozen"]["reference_latency"] = result["baseline"]["latency"]
            result["frozen"]["load"] = f"{result['load_start']} -> {load_average()}"
            print(f"[{name}] frozen {result['frozen']['metrics']}", flush=True)
        elif "frozen" in old:
            result["frozen"] = old["frozen"]
        if args.mode in ("finetune", "both"):
            result["finetune"] = run_finetune(data, train, test, base, cache, args.epochs,
                                              args.max_minutes)
            print(f"[{name}] fine-tuned {result['finetune']['metrics']}", flush=True)
        elif "finetune" in old:
            result["finetune"] = old["finetune"]
        result["notes"] = old.get("notes", [])
        result["load_end"] = load_average()
        # another run (say, fine-tuning in parallel) may have written meanwhile: keep its parts
        latest = json.loads(path.read_text()) if path.is_file() else {}
        for key in ("frozen", "finetune"):
            if key not in result and key in latest and latest.get("sliced") == sliced:
                result[key] = latest[key]
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    if not args.no_write:
        order = {"banking77": 0, "clinc150": 1, "cais": 2}
        results = sorted((json.loads(p.read_text()) for p in results_dir.glob("*.json")),
                         key=lambda r: order.get(r["dataset"], 9))
        written = write_section("nlu-intents", render(results))
        print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
