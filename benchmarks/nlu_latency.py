"""Intent latency per message: kefu's backends (``torch``, ``onnx``, ``onnx-int8``, the
setting ``nlu_backend``) and PyTorch's dynamic int8, and what each costs in accuracy.

    .venv/bin/python benchmarks/nlu_latency.py [--model DIR] [--dataset kefu]
        [--accuracy-messages N] [--latency-messages N] [--no-write]

``--model`` is a kefu model directory (default: the shipped-data model that
benchmarks/nlu_shipped.py saved; ``--dataset`` then is ``kefu``, its test split; a
BANKING77 model from benchmarks/nlu_intents.py goes with ``--dataset banking77``). Each
backend replaces only the encoder; the head (with its n-gram features), the
calibration and ``IntentClassifier.predict`` (the path a conversation uses) stay the same.
Latency: batch of one after warm-up, interleaved backend by backend over the same
messages so that a change in machine load hits every backend alike. Accuracy: on a random
slice of the official test split, one message at a time as in a chat, with agreement and
embedding cosine against fp32.
Writes the section ``nlu-latency`` of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nlu_common import ARTIFACTS, load_average, load_dataset, percentile, sample  # noqa: E402
from _report import machine, today, write_section  # noqa: E402

DEFAULT_MODEL = ARTIFACTS / "benchmarks" / "shipped" / "default"


def build_backends(directory: Path) -> tuple[dict[str, Any], list[str]]:
    """The model under each backend: kefu's own (torch, onnx, onnx-int8, exported into
    the model directory once) and PyTorch's dynamic int8 for comparison."""
    import torch

    from kefu.nlu.classifier import IntentClassifier
    from kefu.nlu.encoder.onnx import export_onnx

    notes: list[str] = []
    backends: dict[str, Any] = {"PyTorch fp32 (`torch`)": IntentClassifier.load(directory)}
    int8 = IntentClassifier.load(directory)
    int8.encoder.model = torch.ao.quantization.quantize_dynamic(  # type: ignore[union-attr]
        int8.encoder.model, {torch.nn.Linear}, dtype=torch.qint8)  # type: ignore[union-attr]
    backends["PyTorch dynamic int8 (Linear layers)"] = int8
    for backend, label in (("onnx", "ONNX Runtime fp32 (`onnx`)"),
                           ("onnx-int8", "ONNX Runtime int8 (`onnx-int8`)")):
        started = time.perf_counter()
        path = export_onnx(directory / "encoder", int8=backend == "onnx-int8")
        seconds = time.perf_counter() - started
        backends[label] = IntentClassifier.load(directory, backend=backend)
        notes.append(f"`{backend}`: {path.name} {path.stat().st_size / 1e6:.0f} MB"
                     + (f", exported in {seconds:.0f} s." if seconds > 1 else
                        " (exported earlier)."))
    return backends, notes


def interleaved_latency(backends: dict[str, Any], texts: Sequence[str],
                        warmup: int = 10) -> dict[str, dict[str, float]]:
    def call_of(model: Any) -> Callable[[str], Any]:
        return lambda text: model.predict([text])

    calls = {name: call_of(model) for name, model in backends.items()}
    for text in texts[:warmup]:
        for call in calls.values():
            call(text)
    import random

    times: dict[str, list[float]] = {n: [] for n in calls}
    names = list(calls)
    rng = random.Random(0)
    for text in texts:
        rng.shuffle(names)  # no backend always runs first (or after a given other one)
        for name in names:
            call = calls[name]
            started = time.perf_counter()
            call(text)
            times[name].append((time.perf_counter() - started) * 1000)
    return {n: {"p50_ms": round(percentile(v, 0.5), 2), "p95_ms": round(percentile(v, 0.95), 2),
                "mean_ms": round(statistics.fmean(v), 2), "n": len(v)} for n, v in times.items()}


def main() -> int:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--dataset", default="kefu")
    parser.add_argument("--accuracy-messages", type=int, default=500)
    parser.add_argument("--latency-messages", type=int, default=100)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not args.model.is_dir():
        raise SystemExit(f"no model at {args.model}; run benchmarks/nlu_shipped.py first "
                         "(or benchmarks/nlu_intents.py --dataset NAME), or pass --model")
    data = load_dataset(args.dataset)
    test = sample(data.test, args.accuracy_messages, seed=7)
    load_start = load_average()
    backends, notes = build_backends(args.model)
    latency_texts = [e.text for e in sample(data.test, args.latency_messages, seed=3)]
    latency = interleaved_latency(backends, latency_texts)
    rows: list[dict[str, Any]] = []
    reference_pred, reference_emb = None, None
    gold = [e.intent for e in test]
    for name, model in backends.items():
        # one message at a time, as a chat turn runs: int8 models quantize activations
        # per run, so in a batch a message's result depends on its neighbours
        texts = [e.text for e in test]
        emb = np.vstack([model.encoder.encode([t]) for t in texts])
        pred = [model.predict([t])[0].intent.name for t in texts]
        if reference_pred is None:
            reference_pred, reference_emb = pred, emb
        accuracy = float(np.mean([p == g for p, g in zip(pred, gold, strict=True)]))
        agreement = float(np.mean([p == r for p, r in zip(pred, reference_pred,
                                                           strict=True)]))
        cosine = float(np.mean((emb * reference_emb).sum(axis=1)))
        rows.append({"backend": name, **latency[name], "accuracy": round(accuracy, 4),
                     "agreement": round(agreement, 4), "cosine": round(cosine, 4)})
        print(rows[-1], flush=True)
    import torch

    recipe = next(iter(backends.values())).metadata.get("head", "fine-tuned encoder")
    lines = ["## Intent latency by inference backend", "",
             f"- Command: `python {' '.join([Path(sys.argv[0]).as_posix()] + sys.argv[1:])}`",
             f"- Date: {today()}; machine: {machine()}; torch threads "
             f"{torch.get_num_threads()}; load average {load_start} at start, "
             f"{load_average()} at end (shared machine: absolute times are inflated, compare "
             "the backends with each other; they were timed interleaved, message by message, "
             "in a shuffled order)",
             f"- Model: `{args.model.name}` ({recipe}); latency of "
             f"`IntentClassifier.predict([text])` over {args.latency_messages} {args.dataset} "
             f"test messages after 10 warm-up calls; accuracy on {len(test)} random test "
             "messages (agreement and mean embedding cosine against fp32).", "",
             "Accuracy is as deployed: one message at a time, kefu's out-of-scope threshold "
             "applied.", "",
             "| backend | p50 ms | p95 ms | accuracy % | agreement with fp32 % | cosine |",
             "| --- | --- | --- | --- | --- | --- |"]
    base_p50 = rows[0]["p50_ms"]
    for r in rows:
        lines.append(f"| {r['backend']} | {r['p50_ms']} ({r['p50_ms'] / base_p50:.2f}x) | "
                     f"{r['p95_ms']} | {100 * r['accuracy']:.1f} | {100 * r['agreement']:.1f} | "
                     f"{r['cosine']:.4f} |")
    lines += ["", *notes]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        write_section("nlu-latency", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
