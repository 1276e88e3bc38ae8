"""Training options, one dataclass with a help string per field (shown by ``kefu train --help``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


def _opt(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class TrainingOptions:
    """How an intent classifier is trained. Every field has a ``help`` in its metadata."""

    validation_fraction: float = _opt(
        0.15, "Share of the examples held out (stratified) to tune C, the temperature and "
        "the out-of-scope threshold, and for early stopping when fine-tuning.")
    seed: int = _opt(13, "Random seed of the split, the classifier and fine-tuning.")
    c_values: tuple[float, ...] = _opt(
        (16.0,),
        "Inverse regularisation strengths of the logistic regression tried on validation "
        "(the first wins ties). On kefu's validation split 16 did better than 64.")
    char_ngrams: bool = _opt(
        True, "Frozen recipe: also feed character 1-4-gram TF-IDF features of the message "
        "to the classifier (surface cues such as typos, slang and Chinese wording that "
        "separate neighbouring intents).")
    embedding_scale: float = _opt(
        2.0, "Frozen recipe with character n-grams: weight of the (unit-length) sentence "
        "embedding against the (unit-length) n-gram vector.")
    middle_layer: bool = _opt(
        True, "Frozen recipe: also pool a middle layer of the encoder (two-thirds up) "
        "beside the last one; its tokens keep more of the wording.")
    mlp_hidden: int = _opt(
        512, "Frozen recipe with character n-grams: hidden units of the second head, a "
        "small neural network mixed with the logistic regression (0: no second head).")
    mlp_share: float = _opt(
        0.7, "Frozen recipe: share of the second head in the mixed probabilities.")
    mlp_epochs: int = _opt(30, "Frozen recipe: training passes of the second head.")
    mlp_dropout: float = _opt(0.3, "Frozen recipe: dropout of the second head.")
    refit_on_all: bool = _opt(
        True, "After tuning, refit the frozen-embedding classifier on all examples.")
    max_in_scope_rejection: float = _opt(
        0.02, "When the validation data has no out_of_scope examples, the confidence "
        "threshold rejects at most this share of correctly classified in-scope messages.")
    max_length: int = _opt(128, "Longest input in tokens; longer messages are truncated.")
    batch_size: int = _opt(32, "Messages per batch when embedding and fine-tuning.")
    # fine-tuning only
    epochs: float = _opt(4.0, "Fine-tuning: passes over the training examples.")
    max_steps: int = _opt(-1, "Fine-tuning: stop after this many optimiser steps (-1: no limit).")
    learning_rate: float = _opt(3e-5, "Fine-tuning: peak learning rate of the encoder.")
    head_learning_rate: float = _opt(
        1e-3, "Fine-tuning: learning rate of the classification head (initialised from the "
        "frozen-embedding classifier).")
    weight_decay: float = _opt(0.01, "Fine-tuning: AdamW weight decay.")
    warmup_ratio: float = _opt(0.1, "Fine-tuning: share of steps spent warming up.")
    freeze_word_embeddings: bool = _opt(
        True, "Fine-tuning: keep the 96M-parameter word embedding table fixed (about 3x "
        "faster on CPU, and words unseen in training keep their meaning).")
    early_stopping_patience: int = _opt(
        2, "Fine-tuning: stop after this many evaluations without a better validation "
        "accuracy (0: never stop early).")
    eval_steps: int = _opt(0, "Fine-tuning: evaluate every N steps (0: once per epoch).")

    def __post_init__(self) -> None:
        if not 0.0 <= self.validation_fraction < 0.9:
            raise ValueError("validation_fraction must be in [0, 0.9), "
                             f"got {self.validation_fraction}")
        if not self.c_values or any(c <= 0 for c in self.c_values):
            raise ValueError(f"c_values must be positive numbers, got {self.c_values}")
        if self.embedding_scale <= 0:
            raise ValueError(f"embedding_scale must be greater than 0, got {self.embedding_scale}")
        if self.mlp_hidden < 0 or self.mlp_epochs <= 0:
            raise ValueError("mlp_hidden must be 0 or more and mlp_epochs more than 0, got "
                             f"{self.mlp_hidden} and {self.mlp_epochs}")
        if not 0.0 <= self.mlp_share <= 1.0 or not 0.0 <= self.mlp_dropout < 1.0:
            raise ValueError("mlp_share must be in [0, 1] and mlp_dropout in [0, 1), got "
                             f"{self.mlp_share} and {self.mlp_dropout}")
        if self.batch_size <= 0:
            raise ValueError(f"batch_size must be greater than 0, got {self.batch_size}")
        if self.max_length <= 2:
            raise ValueError(f"max_length must be greater than 2, got {self.max_length}")
        if self.epochs <= 0 and self.max_steps <= 0:
            raise ValueError(f"epochs must be greater than 0, got {self.epochs}")
        if not 0.0 <= self.max_in_scope_rejection < 1.0:
            raise ValueError("max_in_scope_rejection must be in [0, 1), "
                             f"got {self.max_in_scope_rejection}")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["c_values"] = list(self.c_values)
        return data

    @classmethod
    def help(cls) -> dict[str, str]:
        """Field name -> help string."""
        return {f.name: f.metadata["help"] for f in fields(cls)}
