"""Shared by the NLU benchmarks: the public data sets as kefu ``Example`` lists, an embedding
cache for the benchmark runs, and latency/throughput measurement.

The data sets are read from ``../shared/data`` (or ``$KEFU_BENCH_DATA``) and never copied.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kefu.nlu.taxonomy import OUT_OF_SCOPE
from kefu.nlu.types import Example

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = Path(os.environ.get("KEFU_BENCH_DATA", ROOT.parent / "shared" / "data"))
ARTIFACTS = ROOT / "artifacts"
BASE_MODEL_DIR = ARTIFACTS / "models" / "multilingual-e5-small"


@dataclass(frozen=True)
class IntentDataset:
    name: str
    train: list[Example]
    test: list[Example]
    validation: list[Example]  # official validation split ([] when there is none)
    published: str
    target: str


def _banking77() -> IntentDataset:
    root = DATA_ROOT / "banking77"

    def read(split: str) -> list[Example]:
        with open(root / f"{split}.csv", encoding="utf-8", newline="") as handle:
            return [Example(row["text"].strip(), row["category"].strip(), source=f"{split}:{i}")
                    for i, row in enumerate(csv.DictReader(handle), start=2)]

    return IntentDataset("banking77", read("train"), read("test"), [],
                         "BERT-Large fine-tuned 93.66% (Casanueva et al. 2020)",
                         "accuracy >= 93.7%")


def _clinc150() -> IntentDataset:
    data = json.loads((DATA_ROOT / "clinc150" / "data_full.json").read_text(encoding="utf-8"))

    def read(*keys: str) -> list[Example]:
        return [Example(text, OUT_OF_SCOPE if label == "oos" else label, source=f"{key}:{i}")
                for key in keys for i, (text, label) in enumerate(data[key])]

    return IntentDataset("clinc150", read("train", "oos_train"), read("test", "oos_test"),
                         read("val", "oos_val"),
                         "BERT oos-threshold: in-scope 96.2%, OOS recall 52.3% (Larson et al. "
                         "2019)", "in-scope accuracy >= 96.5% with OOS recall >= 0.75")


def _cais() -> IntentDataset:
    root = DATA_ROOT / "cais_zh"

    def read(split: str) -> list[Example]:
        sentences: list[str] = []
        chars: list[str] = []
        for line in (root / f"ch.{split}").read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                if chars:
                    sentences.append("".join(chars))
                    chars = []
                continue
            chars.append(line.rsplit(" ", 1)[0] or " ")  # "  O" is a space character
        if chars:
            sentences.append("".join(chars))
        intents = (root / f"ch.{split}.intent").read_text(encoding="utf-8").split()
        if len(intents) != len(sentences):
            raise SystemExit(f"ch.{split}: {len(sentences)} utterances, {len(intents)} intents")
        return [Example(s.strip(), i, source=f"{split}:{n}")
                for n, (s, i) in enumerate(zip(sentences, intents, strict=True))]

    return IntentDataset("cais", read("train"), read("test"), read("valid"),
                         "MLWA 94.66% intent accuracy (Teng et al. 2021)", "accuracy >= 94.7%")


def _kefu() -> IntentDataset:
    from kefu.nlu.data import load_many, shipped_data

    return IntentDataset("kefu", load_many(shipped_data("train")),
                         load_many(shipped_data("test")), [], "-",
                         "macro F1 >= 0.95 per language (benchmarks/nlu_shipped.py)")


LOADERS: dict[str, Callable[[], IntentDataset]] = {
    "banking77": _banking77, "clinc150": _clinc150, "cais": _cais, "kefu": _kefu}


def load_dataset(name: str) -> IntentDataset:
    if name not in LOADERS:
        raise SystemExit(f"unknown dataset {name!r}; choose from {sorted(LOADERS)}")
    folder = {"cais": "cais_zh"}.get(name, name)
    if name != "kefu" and not (DATA_ROOT / folder).is_dir():
        raise SystemExit(f"{DATA_ROOT / folder} is missing; set KEFU_BENCH_DATA to the folder "
                         "that holds the public data sets")
    return LOADERS[name]()


def sample(examples: Sequence[Example], limit: int | None, seed: int = 13) -> list[Example]:
    """``limit`` examples chosen at random (all when ``limit`` is None or larger)."""
    if limit is None or limit >= len(examples):
        return list(examples)
    rng = random.Random(seed)
    return rng.sample(list(examples), limit)


def ensure_base_model(directory: Path = BASE_MODEL_DIR) -> Path:
    from kefu.nlu.encoder import prepare_base_model

    return prepare_base_model(directory).directory


def install_embedding_cache(encoder: Any, cache_file: Path) -> None:
    """Make ``encoder.encode`` reuse embeddings of texts it already saw (kept in
    ``cache_file`` across runs), while ``encoder.use_cache`` is true.

    Only valid while the encoder's weights are the base model's: the fine-tuning run turns
    it off before the encoder changes. Latency is never measured through the cache.
    """
    import numpy as np

    original = encoder.encode
    # one store (and file) per kind of vector: the last layer's, or last and middle layers'
    stem, _, shard = cache_file.stem.partition(".shard")
    middle_file = cache_file.with_name(f"{stem}.middle{'.shard' + shard if shard else ''}.npz")
    files = {False: cache_file, True: middle_file}
    stores: dict[bool, dict[str, np.ndarray]] = {False: {}, True: {}}
    for middle, file in files.items():
        # the file itself and the shards that parallel --precompute runs wrote beside it
        for path in [file, *sorted(file.parent.glob(file.stem + ".shard*.npz"))]:
            if path.is_file():
                data = np.load(path, allow_pickle=False)
                stores[middle].update(zip(data["keys"].tolist(), data["vectors"], strict=True))
    encoder.use_cache = True

    def key(text: str) -> str:
        return hashlib.sha1(f"{encoder.prefix}\x00{text}".encode()).hexdigest()

    def encode(texts: Sequence[str], **kwargs: Any) -> np.ndarray:
        if not encoder.use_cache:
            return original(texts, **kwargs)
        middle = bool(kwargs.get("middle_layer", False))
        store, file = stores[middle], files[middle]
        texts = list(texts)
        keys = [key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True)
                          if k not in store}.items())
        if missing:
            kwargs["show_progress"] = True
            vectors = original([t for _, t in missing], **kwargs)
            store.update(zip([k for k, _ in missing], vectors, strict=True))
            file.parent.mkdir(parents=True, exist_ok=True)
            np.savez(file, keys=np.array(list(store)), vectors=np.stack(list(store.values())))
        return np.stack([store[k] for k in keys]) if keys else original(texts, **kwargs)

    encoder.encode = encode


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float
    mean_ms: float
    n: int

    def to_dict(self) -> dict[str, float]:
        return {"p50_ms": self.p50_ms, "p95_ms": self.p95_ms, "mean_ms": self.mean_ms,
                "n": self.n}


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_latency(call: Callable[[str], Any], texts: Sequence[str], warmup: int = 10) -> Latency:
    """Per-message latency of ``call(text)`` (batch of one) after ``warmup`` calls."""
    for text in list(texts)[:warmup]:
        call(text)
    times: list[float] = []
    for text in texts:
        started = time.perf_counter()
        call(text)
        times.append((time.perf_counter() - started) * 1000)
    return Latency(round(percentile(times, 0.5), 2), round(percentile(times, 0.95), 2),
                   round(statistics.fmean(times), 2), len(times))


def measure_throughput(call: Callable[[list[str]], Any], texts: Sequence[str],
                       batch_size: int = 32) -> float:
    """Messages per second of ``call(batch)`` over ``texts``."""
    texts = list(texts)
    call(texts[:batch_size])  # warm-up
    started = time.perf_counter()
    for start in range(0, len(texts), batch_size):
        call(texts[start:start + batch_size])
    return round(len(texts) / (time.perf_counter() - started), 1)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}/{fifteen:.1f}"
