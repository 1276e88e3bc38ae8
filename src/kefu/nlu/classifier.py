"""The intent classifier: sentence encoder -> mean pooling -> linear head -> calibrated softmax.

Both recipes produce this one class: the frozen-embedding classifier (the encoder as
prepared, a logistic-regression head) and the fine-tuned one (the encoder tuned, the head
tuned from that starting point). A model is a directory that loads with one call::

    model_dir/
      kefu_nlu.json      labels, temperature, threshold, base model, data hashes, metrics
      head.safetensors   weight (labels x hidden), bias (labels) and, with character
                         n-gram features, ngram_weight (n-grams x labels)
      ngrams.json        the n-gram vocabulary and idf weights (kefu.nlu.ngrams), if used
      encoder/           a Hugging Face model directory (AutoModel.from_pretrained)

The frozen recipe hard-links the base model's weights into ``encoder/`` when it can, so
the directory is self-contained without a second 470 MB copy.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kefu.errors import InvalidInput, ModelNotReady
from kefu.nlu.calibration import softmax
from kefu.nlu.encoder.sentence import SentenceEncoder
from kefu.nlu.taxonomy import OUT_OF_SCOPE
from kefu.nlu.types import IntentScore

if TYPE_CHECKING:
    import numpy as np

    from kefu.nlu.encoder.onnx import OnnxSentenceEncoder
    from kefu.nlu.ngrams import CharNgrams

MODEL_FILE = "kefu_nlu.json"
HEAD_FILE = "head.safetensors"
NGRAMS_FILE = "ngrams.json"
ENCODER_DIR = "encoder"
FORMAT_VERSION = 1
TOP_K = 5


@dataclass(frozen=True)
class IntentPrediction:
    """The classifier's answer for one message."""

    text: str
    intent: IntentScore
    ranking: tuple[IntentScore, ...]
    out_of_scope: bool


class IntentClassifier:
    """Predicts an intent, a calibrated confidence and the next-best intents."""

    def __init__(self, encoder: SentenceEncoder | OnnxSentenceEncoder, weight: np.ndarray,
                 bias: np.ndarray, labels: Sequence[str], *, temperature: float = 1.0,
                 threshold: float = 0.0,
                 metadata: dict[str, Any] | None = None, ngrams: CharNgrams | None = None,
                 ngram_weight: np.ndarray | None = None) -> None:
        if weight.shape != (len(labels), encoder.dimension) or bias.shape != (len(labels),):
            raise ValueError(f"head shape {weight.shape}/{bias.shape} does not fit "
                             f"{len(labels)} labels x {encoder.dimension} dimensions")
        if (ngrams is None) != (ngram_weight is None) or (
                ngrams is not None and ngram_weight is not None
                and ngram_weight.shape != (ngrams.size, len(labels))):
            raise ValueError("n-gram features need both the vocabulary and a weight of shape "
                             "(n-grams x labels)")
        if temperature <= 0:
            raise ValueError(f"temperature must be greater than 0, got {temperature}")
        if not 0.0 <= threshold < 1.0:
            raise ValueError(f"threshold must be in [0, 1), got {threshold}")
        self.encoder = encoder
        self.weight = weight
        self.bias = bias
        self.labels = tuple(labels)
        self.temperature = float(temperature)
        self.threshold = float(threshold)
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.ngrams = ngrams
        self.ngram_weight = ngram_weight

    # -- inference -------------------------------------------------------------------
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.encode(texts)

    def logits_from_embeddings(self, embeddings: np.ndarray) -> np.ndarray:
        return embeddings @ self.weight.T + self.bias

    def ngram_logits(self, texts: Sequence[str]) -> np.ndarray:
        """What the character n-grams add to each label's score (zeros without them)."""
        import numpy as np

        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        if self.ngrams is None or self.ngram_weight is None:
            return out
        for row, text in enumerate(texts):
            ids, values = self.ngrams.features(text)
            if len(ids):
                out[row] = values @ self.ngram_weight[ids]
        return out

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return self.logits_from_embeddings(self.embed(texts)) + self.ngram_logits(texts)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, ``(len(texts), len(labels))``."""
        return softmax(self.logits(texts), self.temperature)

    def predict(self, texts: Sequence[str] | str, top_k: int = TOP_K) -> list[IntentPrediction]:
        if isinstance(texts, str):
            raise InvalidInput("predict() takes a list of texts, got one str",
                               hint="wrap it: model.predict([text])")
        texts = list(texts)
        if not texts:
            return []
        return self.predictions_from_proba(texts, self.predict_proba(texts), top_k=top_k)

    def predictions_from_proba(self, texts: Sequence[str], probs: np.ndarray,
                               top_k: int = TOP_K) -> list[IntentPrediction]:
        import numpy as np

        order = np.argsort(-probs, axis=1)[:, :top_k]
        out: list[IntentPrediction] = []
        for text, row, ranked in zip(texts, probs, order, strict=True):
            ranking = tuple(IntentScore(self.labels[i], float(row[i])) for i in ranked)
            best = ranking[0]
            rejected = best.name != OUT_OF_SCOPE and (
                best.confidence < self.threshold
                or (self.ngrams is not None and self.ngrams.looks_like_noise(text)))
            intent = IntentScore(OUT_OF_SCOPE, 1.0 - best.confidence) if rejected else best
            out.append(IntentPrediction(text=text, intent=intent, ranking=ranking,
                                        out_of_scope=intent.name == OUT_OF_SCOPE))
        return out

    # -- persistence -----------------------------------------------------------------
    def save(self, directory: Path | str) -> Path:
        """Write the model directory (replacing it). A frozen-encoder model hard-links the
        encoder's files (copies them across file systems) instead of re-saving them."""
        import torch
        from safetensors.torch import save_file

        directory = Path(directory)
        link_encoder_from = (self.encoder.directory if self.metadata.get("kind") == "frozen"
                             else None)
        if link_encoder_from is None and not isinstance(self.encoder, SentenceEncoder):
            raise InvalidInput("only a model loaded with the torch backend can be saved with "
                               "its own encoder weights, this one runs on "
                               f"{getattr(self.encoder, 'backend', '?')}")
        staging = directory.with_name(directory.name + ".partial")
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        encoder_dir = staging / ENCODER_DIR
        if link_encoder_from is not None:
            _link_tree(Path(link_encoder_from), encoder_dir)
        else:
            assert isinstance(self.encoder, SentenceEncoder)  # checked above
            self.encoder.model.save_pretrained(str(encoder_dir))
            self.encoder.tokenizer.save_pretrained(str(encoder_dir))
            meta = {"conventions": {"prefix": self.encoder.prefix, "pooling": "mean",
                                    "normalize": True}}
            from kefu.nlu.encoder.prepare import METADATA_FILE

            (encoder_dir / METADATA_FILE).write_text(json.dumps(meta, indent=2) + "\n",
                                                     encoding="utf-8")
        tensors = {"weight": self.weight, "bias": self.bias}
        if self.ngrams is not None and self.ngram_weight is not None:
            tensors["ngram_weight"] = self.ngram_weight
            (staging / NGRAMS_FILE).write_text(json.dumps(self.ngrams.to_dict(),
                                                          ensure_ascii=False) + "\n",
                                               encoding="utf-8")
        save_file({k: torch.from_numpy(v.astype("float32")).contiguous()
                   for k, v in tensors.items()}, str(staging / HEAD_FILE))
        config = {
            "format_version": FORMAT_VERSION,
            "labels": list(self.labels),
            "temperature": self.temperature,
            "threshold": self.threshold,
            "prefix": self.encoder.prefix,
            "max_length": self.encoder.max_length,
            **self.metadata,
        }
        (staging / MODEL_FILE).write_text(json.dumps(config, indent=2, ensure_ascii=False)
                                          + "\n", encoding="utf-8")
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
        return directory

    @classmethod
    def load(cls, directory: Path | str, *, backend: str = "torch") -> IntentClassifier:
        """Load a model directory written by :meth:`save`.

        ``backend`` runs the encoder on PyTorch (``torch``, as saved) or on ONNX Runtime
        (``onnx``, or ``onnx-int8`` with int8 matrix weights), exported into the model
        directory on first use; see :mod:`kefu.nlu.encoder.onnx`.
        """
        from safetensors.numpy import load_file

        from kefu.nlu.encoder.onnx import OnnxSentenceEncoder, check_backend

        check_backend(backend)

        directory = Path(directory)
        config_path = directory / MODEL_FILE
        if not config_path.is_file():
            raise ModelNotReady(f"no trained NLU model at {directory} ({MODEL_FILE} is missing)",
                                hint="train one with `kefu train`")
        config = json.loads(config_path.read_text(encoding="utf-8"))
        if config.get("format_version") != FORMAT_VERSION:
            raise ModelNotReady(f"{config_path} has format {config.get('format_version')!r}, "
                                f"this kefu reads {FORMAT_VERSION}", hint="retrain the model")
        encoder: SentenceEncoder | OnnxSentenceEncoder
        if backend == "torch":
            encoder = SentenceEncoder.load(directory / ENCODER_DIR, prefix=config["prefix"],
                                           max_length=int(config["max_length"]))
        else:
            encoder = OnnxSentenceEncoder.load(directory / ENCODER_DIR, prefix=config["prefix"],
                                               max_length=int(config["max_length"]),
                                               int8=backend == "onnx-int8")
        head = load_file(str(directory / HEAD_FILE))
        ngrams = None
        if (directory / NGRAMS_FILE).is_file():
            from kefu.nlu.ngrams import CharNgrams

            ngrams = CharNgrams.from_dict(json.loads((directory / NGRAMS_FILE).read_text(
                encoding="utf-8")))
        reserved = {"format_version", "labels", "temperature", "threshold", "prefix",
                    "max_length"}
        return cls(encoder, head["weight"], head["bias"], config["labels"],
                   temperature=config["temperature"], threshold=config["threshold"],
                   metadata={k: v for k, v in config.items() if k not in reserved},
                   ngrams=ngrams, ngram_weight=head.get("ngram_weight"))


def _link_tree(source: Path, target: Path) -> None:
    target.mkdir(parents=True)
    for item in source.iterdir():
        if item.is_dir():
            continue
        try:
            os.link(item, target / item.name)
        except OSError:  # another file system, or links not allowed
            shutil.copy2(item, target / item.name)


def load_model(directory: Path | str, *, backend: str = "torch") -> IntentClassifier:
    """``IntentClassifier.load(directory, backend=backend)``."""
    return IntentClassifier.load(directory, backend=backend)
