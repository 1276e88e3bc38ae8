"""kefu's own intent model on its held-apart test split, per language.

    .venv/bin/python benchmarks/nlu_shipped.py [--model DIR ...] [--no-train] [--no-write]
        [--backend onnx-int8|onnx|torch]

Trains the default recipe (what `kefu demo` and `kefu train` build) on the shipped training
data of both languages, then scores it, and every ``--model`` directory given (e.g. one
that `kefu train --finetune` wrote), on ``src/kefu/resources/nlu/{en,zh}/test.yml``:
accuracy and macro F1 as deployed (kefu's out-of-scope threshold applied) and closed-set
(argmax), out-of-scope recall, the weakest intents, the training time. The trained model
is scored as trained (PyTorch) and as kefu serves it (``--backend``, by default the
setting ``nlu_backend``). Writes the section
``nlu-shipped`` of docs/benchmarks.md. Target: macro F1 >= 0.95 in each language.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nlu_common import ARTIFACTS, BASE_MODEL_DIR, ensure_base_model, load_average  # noqa: E402
from _report import machine, today, write_section  # noqa: E402

TARGET = 0.95
LANGUAGES = ("en", "zh")


def score(model: Any, language: str, *, one_by_one: bool = False) -> dict[str, Any]:
    """``one_by_one``: predict each message alone, as a chat turn does. int8 ONNX models
    quantize activations per run, so their results depend on the batch a message is in."""
    import numpy as np

    from kefu.nlu.data import load_many, shipped_data
    from kefu.nlu.evaluation import intent_metrics

    test = load_many(shipped_data("test", languages=(language,)))
    texts, gold = [e.text for e in test], [e.intent for e in test]
    probs = (np.vstack([model.predict_proba([t]) for t in texts]) if one_by_one
             else model.predict_proba(texts))
    deployed = [p.intent.name for p in model.predictions_from_proba(texts, probs)]
    closed = [model.labels[i] for i in probs.argmax(axis=1)]
    from sklearn.metrics import f1_score

    labels = sorted(set(gold))
    per_intent = dict(zip(labels, f1_score(gold, deployed, labels=labels, average=None,
                                           zero_division=0), strict=True))
    weakest = sorted(per_intent.items(), key=lambda item: item[1])[:4]
    return {"deployed": intent_metrics(gold, deployed),
            "closed": intent_metrics(gold, closed),
            "weakest": [(name, round(float(f1), 3)) for name, f1 in weakest]}


def describe(model: Any) -> str:
    meta = model.metadata
    kind = meta.get("kind", "?")
    if kind == "finetuned":
        options = meta.get("options", {})
        return (f"fine-tuned ({meta.get('steps')} steps, {options.get('epochs')} epochs, "
                f"lr {options.get('learning_rate')}) on {meta.get('examples')} examples")
    return (f"frozen encoder + {meta.get('head', 'logistic regression')} (C={meta.get('c')}) "
            f"on {meta.get('examples')} examples")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, action="append", default=[],
                        help="also score this trained model directory (repeatable)")
    parser.add_argument("--no-train", action="store_true",
                        help="do not train the default recipe (score --model dirs only)")
    parser.add_argument("--output-dir", type=Path, default=ARTIFACTS / "benchmarks" / "shipped")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--backend", default=None,
                        help="also score the trained model on this encoder backend (default: "
                             "the setting nlu_backend; torch: only the PyTorch row)")
    args = parser.parse_args()
    if args.backend is None:
        from kefu.settings import get_settings

        args.backend = get_settings().nlu_backend

    from kefu.nlu.classifier import IntentClassifier

    load_start = load_average()
    rows: list[dict[str, Any]] = []
    if not args.no_train:
        from kefu.nlu.data import load_many, shipped_data
        from kefu.nlu.encoder import SentenceEncoder
        from kefu.nlu.frozen import train_frozen_head

        encoder = SentenceEncoder.load(ensure_base_model(BASE_MODEL_DIR))
        examples = load_many(shipped_data("train"))
        started = time.perf_counter()
        model = train_frozen_head(examples, encoder)
        seconds = time.perf_counter() - started
        model.save(args.output_dir / "default")
        rows.append({"name": "default recipe (trained now)", "model": model,
                     "seconds": seconds})
        if args.backend != "torch":  # as kefu runs it: the saved model on that backend
            served = IntentClassifier.load(args.output_dir / "default", backend=args.backend)
            rows.append({"name": f"the same, served on `{args.backend}` (one message at a "
                                 "time, as in a chat)", "model": served, "seconds": None,
                         "one_by_one": True})
    for directory in args.model:
        model = IntentClassifier.load(directory)
        rows.append({"name": f"`{directory.name}`", "model": model,
                     "seconds": model.metadata.get("seconds", {}).get("total")})
    if not rows:
        raise SystemExit("nothing to score: drop --no-train or pass --model DIR")

    lines = ["## kefu's intent model (shipped data, held-apart test split)", "",
             f"- Command: `python {' '.join([Path(sys.argv[0]).as_posix()] + sys.argv[1:])}`",
             f"- Date: {today()}; machine: {machine()}; load average {load_start} at start, "
             f"{load_average()} at end (a shared machine: training times are inflated)",
             "- Data: `src/kefu/resources/nlu/{en,zh}/train.yml` (one bilingual model), scored "
             "on each language's `test.yml`, which no training example paraphrases "
             "(`scripts/check_nlu_data.py` checks it). Target: macro F1 >= 0.95 per language.",
             "",
             "| model | recipe | lang | test | accuracy | macro F1 | macro F1 (argmax) | "
             "out-of-scope recall | weakest intents (F1) | training s |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    summary: list[dict[str, Any]] = []
    for row in rows:
        for language in LANGUAGES:
            result = score(row["model"], language, one_by_one=row.get("one_by_one", False))
            deployed, closed = result["deployed"], result["closed"]
            seconds = row["seconds"]
            lines.append(
                f"| {row['name']} | {describe(row['model'])} | {language} | "
                f"{int(deployed['examples'])} | {deployed['accuracy']:.3f} | "
                f"**{deployed['macro_f1']:.4f}** | {closed['macro_f1']:.4f} | "
                f"{deployed.get('oos_recall', float('nan')):.2f} | "
                f"{', '.join(f'{n} {f:.2f}' for n, f in result['weakest'])} | "
                f"{'' if seconds is None else f'{float(seconds):.0f}'} |")
            summary.append({"model": row["name"], "language": language,
                            "macro_f1": deployed["macro_f1"], "accuracy": deployed["accuracy"]})
            print(lines[-1], flush=True)
    met = [s for s in summary if s["macro_f1"] >= TARGET]
    lines += ["", f"Target met by {len(met)} of {len(summary)} model/language rows."]
    text = "\n".join(lines) + "\n"
    print(text)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / "results.json").write_text(json.dumps(summary, indent=2) + "\n",
                                                  encoding="utf-8")
    if not args.no_write:
        write_section("nlu-shipped", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
