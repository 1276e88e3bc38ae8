"""The intent classifier: sentence encoder -> mean pooling -> linear head -> calibrated softmax.

Both recipes produce this one class: the frozen-embedding classifier (the encoder as
prepared, a logistic-regression head) and the fine-tuned one (the encoder tuned, the head
tuned from that starting point). A model is a directory that loads with one call::

    model_dir/
      kefu_nlu.json      labels, temperature, threshold, base model, data hashes, metrics
      head.safetensors   weight (labels x features), bias (labels) and, with character
                         n-gram features, ngram_weight (n-grams x labels); with the
                         frozen recipe's second head, its mlp_* tensors (kefu.nlu.mlp)
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
from kefu.nlu.ngrams import ngram_scores
from kefu.nlu.taxonomy import OUT_OF_SCOPE
from kefu.nlu.types import IntentScore

if TYPE_CHECKING:
    import numpy as np

    from kefu.nlu.encoder.onnx import OnnxSentenceEncoder
    from kefu.nlu.mlp import MlpHead
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
    """Predicts an intent, a calibrated confidence and the next-best intents.

    The features are the sentence embedding (with ``middle_layer``, the last and a middle
    layer's, see :meth:`SentenceEncoder.encode`) and, if given, character n-grams. The
    linear head (``weight``, ``bias``, ``ngram_weight``) scores them; with an ``mlp`` head
    too, the two heads' probabilities are mixed, ``mlp_share`` of them the MLP's.
    """

    def __init__(self, encoder: SentenceEncoder | OnnxSentenceEncoder, weight: np.ndarray,
                 bias: np.ndarray, labels: Sequence[str], *, temperature: float = 1.0,
                 threshold: float = 0.0,
                 metadata: dict[str, Any] | None = None, ngrams: CharNgrams | None = None,
                 ngram_weight: np.ndarray | None = None, middle_layer: bool = False,
                 mlp: MlpHead | None = None, mlp_share: float = 0.0) -> None:
        features = encoder.dimension * (2 if middle_layer else 1)
        if weight.shape != (len(labels), features) or bias.shape != (len(labels),):
            raise ValueError(f"head shape {weight.shape}/{bias.shape} does not fit "
                             f"{len(labels)} labels x {features} features")
        if mlp is not None and (mlp.features != features or mlp.labels != len(labels)
                                or ngrams is None or mlp.ngram_weight.shape[0] != ngrams.size):
            raise ValueError(f"the MLP head ({mlp.labels} labels x {mlp.features} features) "
                             f"does not fit {len(labels)} labels x {features} features with "
                             "the model's n-grams")
        if not 0.0 <= mlp_share <= 1.0 or (mlp is None and mlp_share):
            raise ValueError(f"mlp_share must be in [0, 1] and 0 without an MLP head, "
                             f"got {mlp_share}")
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
        self.middle_layer = middle_layer
        self.mlp = mlp
        self.mlp_share = float(mlp_share)

    # -- inference -------------------------------------------------------------------
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.encode(texts, middle_layer=self.middle_layer)

    def logits_from_embeddings(self, embeddings: np.ndarray) -> np.ndarray:
        return embeddings @ self.weight.T + self.bias

    def ngram_logits(self, texts: Sequence[str]) -> np.ndarray:
        """What the character n-grams add to each label's score (zeros without them)."""
        return self._ngram_logits(self._ngram_rows(texts))

    def _ngram_rows(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        return [self.ngrams.features(t) for t in texts] if self.ngrams is not None else []

    def _ngram_logits(self, rows: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        import numpy as np

        if self.ngram_weight is None:
            return np.zeros((len(rows), len(self.labels)), dtype=np.float32)
        return ngram_scores(rows, self.ngram_weight)

    def combined_logits(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """The scores the softmax turns into probabilities (before the temperature): the
        linear head's logits, or with an MLP head, the log of the two heads' mixed
        probabilities."""
        import numpy as np

        rows = self._ngram_rows(texts)
        linear = self.logits_from_embeddings(embeddings)
        if rows:
            linear = linear + self._ngram_logits(rows)
        if self.mlp is None:
            return linear
        mixed = ((1.0 - self.mlp_share) * softmax(linear)
                 + self.mlp_share * softmax(self.mlp.logits(embeddings, rows)))
        return np.log(np.maximum(mixed, 1e-30)).astype(np.float32)

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        return self.combined_logits(self.embed(texts), texts)

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
        if self.mlp is not None:
            tensors.update(self.mlp.to_tensors())
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
            "middle_layer": self.middle_layer,
            "mlp_share": self.mlp_share,
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
        from kefu.nlu.mlp import MlpHead

        reserved = {"format_version", "labels", "temperature", "threshold", "prefix",
                    "max_length", "middle_layer", "mlp_share"}
        try:
            return cls(encoder, head["weight"], head["bias"], config["labels"],
                       temperature=config["temperature"], threshold=config["threshold"],
                       metadata={k: v for k, v in config.items() if k not in reserved},
                       ngrams=ngrams, ngram_weight=head.get("ngram_weight"),
                       middle_layer=bool(config.get("middle_layer", False)),
                       mlp=MlpHead.from_tensors(head),
                       mlp_share=float(config.get("mlp_share", 0.0)))
        except ValueError as exc:
            raise ModelNotReady(f"{directory} is inconsistent: {exc}",
                                hint="retrain the model with `kefu train`") from exc


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
