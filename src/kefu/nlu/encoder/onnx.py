"""The sentence encoder on ONNX Runtime: the same embeddings as :class:`SentenceEncoder`,
a few times faster for one message at a time on a CPU.

The encoder's graph is exported once from the Hugging Face model (``torch.onnx.export``)
into ``<encoder dir>/onnx/model-v2.onnx``, with two outputs: ``last_hidden_state`` and
``middle_hidden_state`` (the layer the intent classifier also pools, see
:func:`~kefu.nlu.encoder.sentence.middle_layer_index`). ``onnx-int8`` adds
``model-v2-int8.onnx`` with its matrix weights quantised to int8, one scale per output
column (ONNX Runtime dynamic quantisation), but for the feed-forward output projections.
Pooling and normalisation are done in numpy, and the tokenizer is the model's own
``tokenizer.json`` through the ``tokenizers`` library, so loading needs neither torch
nor transformers once the export exists.
"""

from __future__ import annotations

import json
import logging
import os
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kefu.errors import InvalidInput, ModelNotReady
from kefu.nlu.encoder.sentence import (
    join_layers,
    length_batches,
    middle_layer_index,
    usable_cores,
)

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

#: How a model's encoder runs: PyTorch as saved, ONNX Runtime fp32, or int8 weights.
BACKENDS = ("torch", "onnx", "onnx-int8")
ONNX_DIR = "onnx"
# v2: the graph has the middle layer as a second output. The names change with the graph,
# so an export of an older kefu is never taken for this one.
FP32_FILE = "model-v2.onnx"
# int8 weights with one scale per output column (one scale per matrix gave cosine 0.990 to
# fp32), except the feed-forward output projections, which stay fp32: see _fp32_nodes.
INT8_FILE = "model-v2-int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
WEIGHTS_FILE = "model.safetensors"
OUTPUTS = ("last_hidden_state", "middle_hidden_state")


def check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise InvalidInput(f"NLU backend must be one of {', '.join(BACKENDS)}, got {backend!r}",
                           hint="set KEFU_NLU_BACKEND or nlu_backend in kefu.toml")
    return backend


def onnx_path(encoder_dir: Path, int8: bool) -> Path:
    return Path(encoder_dir) / ONNX_DIR / (INT8_FILE if int8 else FP32_FILE)


def export_onnx(encoder_dir: Path | str, *, int8: bool, base_dir: Path | None = None) -> Path:
    """The ONNX graph of ``encoder_dir`` (a Hugging Face encoder), exported once.

    Several processes may ask at once (serve workers, test workers): a file lock makes one
    of them export and the others wait for its result. ``base_dir``: an encoder directory
    whose weights ``encoder_dir`` hard-links (a frozen-recipe model and the base encoder it
    was trained on); the graphs are exported there and linked here, so the knowledge base,
    which runs the base encoder, finds its graph made.
    """
    from filelock import FileLock

    encoder_dir = Path(encoder_dir)
    target = onnx_path(encoder_dir, int8)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.parent / ".export.lock")):
        if target.is_file():
            return target
        if base_dir is not None and _same_weights(encoder_dir, Path(base_dir)):
            for path in {onnx_path(Path(base_dir), False), export_onnx(base_dir, int8=int8)}:
                (target.parent / path.name).unlink(missing_ok=True)
                os.link(path, target.parent / path.name)
            return target
        started = time.perf_counter()
        fp32 = onnx_path(encoder_dir, False)
        if not fp32.is_file():
            _export_fp32(encoder_dir, fp32)
        if int8:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            partial = target.with_name(target.name + ".partial")
            # onnxruntime logs a generic "consider pre-processing" warning on the root logger
            logging.disable(logging.WARNING)
            try:
                quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8,
                                 per_channel=True, nodes_to_exclude=_fp32_nodes(fp32))
            finally:
                logging.disable(logging.NOTSET)
            os.replace(partial, target)
        log.info("exported %s in %.1f s", target, time.perf_counter() - started)
    return target


def _fp32_nodes(graph: Path) -> list[str]:
    """The matrix products int8 would hurt most: each layer's feed-forward output
    projection. Its input, the GELU of a 1,536-wide layer, has a few large values, and
    dynamic quantization gives a whole activation one scale, so the small values lose
    their precision. Kept in fp32 (12 of 72 weight matrices), e5-small's embeddings of 600
    training messages came closer to fp32 (mean cosine 0.9990 against 0.9975 for the last
    layer, 0.9988 against 0.9937 for the middle one; worst 0.9972 against 0.9823) for 1 ms
    more a message."""
    import onnx

    model = onnx.load(str(graph), load_external_data=False)
    return [node.name for node in model.graph.node
            if node.op_type == "MatMul" and "/output/dense/" in node.name
            and "/attention/" not in node.name]


def _same_weights(encoder_dir: Path, other: Path) -> bool:
    """Whether two directories hold the same weights file (hard links of one file)."""
    if encoder_dir.resolve() == other.resolve():
        return False
    try:
        return os.path.samefile(encoder_dir / WEIGHTS_FILE, other / WEIGHTS_FILE)
    except OSError:
        return False


def _export_fp32(encoder_dir: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(encoder_dir), local_files_only=True,
                                      add_pooling_layer=False).eval()

    middle = middle_layer_index(int(model.config.num_hidden_layers))

    class LastAndMiddle(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> Any:
            states = self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                output_hidden_states=True).hidden_states
            return states[-1], states[middle]

    ids = torch.ones((2, 12), dtype=torch.long)
    partial = target.with_name(target.name + ".partial")
    axes = {0: "batch", 1: "sequence"}
    # The tracer warns about Python-level branches in transformers' attention code; they
    # do not depend on the inputs' shapes here (checked: the same embeddings as PyTorch).
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(LastAndMiddle(model), (ids, torch.ones_like(ids)), str(partial),
                          input_names=["input_ids", "attention_mask"],
                          output_names=list(OUTPUTS), opset_version=17,
                          dynamic_axes={"input_ids": axes, "attention_mask": axes,
                                        **{name: axes for name in OUTPUTS}},
                          dynamo=False)
    os.replace(partial, target)


def _threads() -> int:
    """OMP_NUM_THREADS when the user set it (as for torch), else every usable core."""
    if os.environ.get("OMP_NUM_THREADS", "").isdigit():
        return max(1, int(os.environ["OMP_NUM_THREADS"]))
    return usable_cores()


class OnnxSentenceEncoder:
    """:class:`SentenceEncoder`'s ``encode`` on an ONNX Runtime session."""

    def __init__(self, session: Any, tokenizer: Any, *, prefix: str, max_length: int,
                 dimension: int, directory: Path, batch_size: int = 32,
                 backend: str = "onnx") -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.prefix = prefix
        self.max_length = max_length
        self.dimension = dimension
        self.directory = directory
        self.batch_size = batch_size
        self.backend = backend
        self._variants: dict[tuple[str, int, int], OnnxSentenceEncoder] = {}

    @classmethod
    def load(cls, encoder_dir: Path | str, *, prefix: str, max_length: int,
             int8: bool = False, batch_size: int = 32) -> OnnxSentenceEncoder:
        """Load (exporting first if needed) the ONNX encoder of a Hugging Face model dir."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        encoder_dir = Path(encoder_dir)
        tokenizer_file = encoder_dir / TOKENIZER_FILE
        if not tokenizer_file.is_file():
            raise ModelNotReady(f"{encoder_dir} has no {TOKENIZER_FILE}; the ONNX backend "
                                "needs a fast tokenizer", hint="use KEFU_NLU_BACKEND=torch")
        path = export_onnx(encoder_dir, int8=int8)
        options = ort.SessionOptions()
        options.intra_op_num_threads = _threads()
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # ONNX Runtime's worker threads busy-wait after each run by default. On a 2-core
        # machine that spin takes the CPU from the rest of the turn (policy, store, masking)
        # and from the other server workers: measured over the test conversations, turns
        # took about a quarter less time with spinning off.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.enable_truncation(max_length)
        pad_id = tokenizer.token_to_id("<pad>")
        tokenizer.enable_padding(pad_id=0 if pad_id is None else pad_id)
        config = json.loads((encoder_dir / "config.json").read_text(encoding="utf-8"))
        return cls(session, tokenizer, prefix=prefix, max_length=max_length,
                   dimension=int(config["hidden_size"]), directory=encoder_dir,
                   batch_size=batch_size, backend="onnx-int8" if int8 else "onnx")

    def variant(self, *, prefix: str, max_length: int, batch_size: int
                ) -> OnnxSentenceEncoder:
        """The same session with other input conventions (e.g. e5's ``passage: `` prefix).

        The tokenizer is copied, since truncation is part of its state; copying the
        XLM-R tokenizer takes over a second, so each variant is made once and kept (the
        knowledge base and every recommender fit ask for the same ``passage: `` one)."""
        from tokenizers import Tokenizer

        key = (prefix, max_length, batch_size)
        if key not in self._variants:
            tokenizer = Tokenizer.from_str(self.tokenizer.to_str())
            tokenizer.enable_truncation(max_length)
            self._variants[key] = OnnxSentenceEncoder(
                self.session, tokenizer, prefix=prefix, max_length=max_length,
                dimension=self.dimension, directory=self.directory, batch_size=batch_size,
                backend=self.backend)
        return self._variants[key]

    def encode(self, texts: Sequence[str], *, batch_size: int | None = None,
               show_progress: bool = False, middle_layer: bool = False) -> np.ndarray:
        """``(len(texts), dimension)`` float32 array of L2-normalised embeddings; with
        ``middle_layer``, twice as wide (see :meth:`SentenceEncoder.encode`)."""
        import numpy as np

        texts = list(texts)
        outputs = list(OUTPUTS if middle_layer else OUTPUTS[:1])
        out = np.zeros((len(texts), self.dimension * len(outputs)), dtype=np.float32)
        for index in length_batches(texts, batch_size or self.batch_size, show_progress):
            encodings = self.tokenizer.encode_batch([self.prefix + texts[i] for i in index])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            states = self.session.run(outputs, {"input_ids": ids, "attention_mask": mask})
            pooled = [_mean_pool(hidden, mask) for hidden in states]
            out[index] = join_layers(*pooled) if middle_layer else pooled[0]
        return out


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """numpy's :func:`~kefu.nlu.encoder.sentence.mean_pool`."""
    import numpy as np

    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
