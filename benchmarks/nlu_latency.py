"""Intent latency per message: PyTorch fp32 vs dynamic int8 vs ONNX Runtime, and what each
costs in accuracy.

    .venv/bin/python benchmarks/nlu_latency.py [--model DIR] [--dataset banking77]
        [--accuracy-messages N] [--latency-messages N] [--no-write]

``--model`` is a kefu model directory (default: the BANKING77 frozen model that
benchmarks/nlu_intents.py saved). Each backend replaces only the encoder; the head, the
calibration and ``IntentClassifier.predict`` (the path a conversation uses) stay the same.
Latency: batch of one after warm-up, interleaved backend by backend over the same
messages so that a change in machine load hits every backend alike. Accuracy: on a random
slice of the official test split, with agreement and embedding cosine against fp32.
Writes the section ``nlu-latency`` of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nlu_common import ARTIFACTS, load_average, load_dataset, percentile, sample  # noqa: E402
from _report import machine, today, write_section  # noqa: E402

DEFAULT_MODEL = ARTIFACTS / "benchmarks" / "nlu" / "models" / "banking77-frozen"


class OnnxEncoder:
    """The SentenceEncoder interface over an ONNX Runtime session (mean pooling, L2 norm)."""

    def __init__(self, torch_encoder: Any, path: Path, threads: int) -> None:
        import onnxruntime as ort

        self.prefix = torch_encoder.prefix
        self.max_length = torch_encoder.max_length
        self.tokenizer = torch_encoder.tokenizer
        self.dimension = torch_encoder.dimension
        self.directory = torch_encoder.directory
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options,
                                            providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str], **_: Any) -> Any:
        import numpy as np

        batch = self.tokenizer([self.prefix + t for t in texts], padding=True, truncation=True,
                               max_length=self.max_length, return_tensors="np")
        mask = batch["attention_mask"].astype(np.int64)
        (hidden,) = self.session.run(None, {"input_ids": batch["input_ids"].astype(np.int64),
                                            "attention_mask": mask})
        pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


def export_onnx(model: Any, path: Path) -> None:
    import torch

    class LastHidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.ones((2, 12), dtype=torch.long)
    with torch.inference_mode():
        torch.onnx.export(LastHidden(model).eval(), (ids, torch.ones_like(ids)), str(path),
                          input_names=["input_ids", "attention_mask"],
                          output_names=["last_hidden_state"], opset_version=17,
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                                        "attention_mask": {0: "batch", 1: "seq"},
                                        "last_hidden_state": {0: "batch", 1: "seq"}},
                          dynamo=False)


def build_backends(directory: Path, scratch: Path) -> tuple[dict[str, Any], list[str]]:
    import torch

    from kefu.nlu.classifier import IntentClassifier

    notes: list[str] = []
    fp32 = IntentClassifier.load(directory)
    backends: dict[str, Any] = {"PyTorch fp32 (default)": fp32}
    int8 = IntentClassifier.load(directory)
    int8.encoder.model = torch.ao.quantization.quantize_dynamic(
        int8.encoder.model, {torch.nn.Linear}, dtype=torch.qint8)
    backends["PyTorch dynamic int8 (Linear layers)"] = int8
    try:
        onnx_path = scratch / "encoder.onnx"
        started = time.perf_counter()
        # a separate copy: tracing for the export must not touch the model timed as fp32
        export_onnx(IntentClassifier.load(directory).encoder.model, onnx_path)
        encoder = OnnxEncoder(fp32.encoder, onnx_path, torch.get_num_threads())
        backends["ONNX Runtime fp32"] = IntentClassifier(
            encoder, fp32.weight, fp32.bias, fp32.labels, temperature=fp32.temperature,  # type: ignore[arg-type]
            threshold=fp32.threshold)
        notes.append(f"ONNX export took {time.perf_counter() - started:.0f} s "
                     f"({onnx_path.stat().st_size / 1e6:.0f} MB).")
        try:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            q_path = scratch / "encoder-int8.onnx"
            quantize_dynamic(str(onnx_path), str(q_path), weight_type=QuantType.QInt8)
            encoder = OnnxEncoder(fp32.encoder, q_path, torch.get_num_threads())
            backends["ONNX Runtime dynamic int8"] = IntentClassifier(
                encoder, fp32.weight, fp32.bias, fp32.labels,  # type: ignore[arg-type]
                temperature=fp32.temperature, threshold=fp32.threshold)
        except Exception as exc:  # report, do not fail the other backends
            notes.append(f"ONNX Runtime int8 quantisation failed: {exc!r}"[:300])
    except Exception as exc:
        notes.append(f"ONNX export failed: {exc!r}"[:300])
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
    parser.add_argument("--dataset", default="banking77")
    parser.add_argument("--accuracy-messages", type=int, default=500)
    parser.add_argument("--latency-messages", type=int, default=100)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not args.model.is_dir():
        raise SystemExit(f"no model at {args.model}; run benchmarks/nlu_intents.py "
                         f"--dataset {args.dataset} first, or pass --model")
    data = load_dataset(args.dataset)
    test = sample(data.test, args.accuracy_messages, seed=7)
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="kefu-onnx-") as scratch:
        backends, notes = build_backends(args.model, Path(scratch))
        latency_texts = [e.text for e in sample(data.test, args.latency_messages, seed=3)]
        latency = interleaved_latency(backends, latency_texts)
        rows: list[dict[str, Any]] = []
        reference_pred, reference_emb = None, None
        gold = [e.intent for e in test]
        for name, model in backends.items():
            emb = model.encoder.encode([e.text for e in test])
            pred = [p.intent.name for p in model.predictions_from_proba(
                [e.text for e in test], model.predict_proba([e.text for e in test]))]
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

    lines = ["## Intent latency by inference backend", "",
             f"- Command: `python {' '.join([Path(sys.argv[0]).as_posix()] + sys.argv[1:])}`",
             f"- Date: {today()}; machine: {machine()}; torch threads "
             f"{torch.get_num_threads()}; load average {load_start} at start, "
             f"{load_average()} at end (shared machine: absolute times are inflated, compare "
             "the backends with each other; they were timed interleaved, message by message, "
             "in a shuffled order)",
             f"- Model: `{args.model.name}` (frozen encoder + logistic regression); latency of "
             f"`IntentClassifier.predict([text])` over {args.latency_messages} {args.dataset} "
             f"test messages after 10 warm-up calls; accuracy on {len(test)} random test "
             "messages (agreement and mean embedding cosine against fp32).", "",
             "Accuracy is as deployed (kefu's out-of-scope threshold applied).", "",
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
