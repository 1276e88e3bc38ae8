"""Full fine-tuning: the encoder, mean pooling and a linear head, trained end to end.

e5 was trained for mean pooling, so the model keeps it (no [CLS] pooler), and the head
starts from the frozen-embedding classifier, so training begins at that accuracy instead
of at chance. Training runs through the Hugging Face ``Trainer`` (accelerate): a progress
bar, evaluation on a validation split, early stopping, and the same code on a GPU or
under ``torchrun``. The result is an ordinary :class:`IntentClassifier`.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kefu.nlu.calibration import (
    choose_threshold,
    expected_calibration_error,
    fit_temperature,
    softmax,
)
from kefu.nlu.classifier import IntentClassifier
from kefu.nlu.encoder.sentence import SentenceEncoder, mean_pool
from kefu.nlu.frozen import check_examples, stratified_split, train_frozen_head
from kefu.nlu.options import TrainingOptions
from kefu.nlu.taxonomy import OUT_OF_SCOPE
from kefu.nlu.types import Example

if TYPE_CHECKING:
    import numpy as np
    import torch

log = logging.getLogger(__name__)


def _module_class() -> type:
    """Defined lazily so that importing this module does not import torch."""
    import torch

    class MeanPoolingClassifier(torch.nn.Module):
        """``BertModel`` -> mean over tokens -> L2 norm -> linear layer."""

        def __init__(self, encoder: Any, weight: np.ndarray, bias: np.ndarray) -> None:
            super().__init__()
            self.encoder = encoder
            self.head = torch.nn.Linear(weight.shape[1], weight.shape[0])
            with torch.no_grad():
                self.head.weight.copy_(torch.from_numpy(weight))
                self.head.bias.copy_(torch.from_numpy(bias))

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    labels: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
            hidden = self.encoder(input_ids=input_ids,
                                  attention_mask=attention_mask).last_hidden_state
            logits = self.head(mean_pool(hidden, attention_mask))
            out = {"logits": logits}
            if labels is not None:
                out["loss"] = torch.nn.functional.cross_entropy(logits, labels)
            return out

    return MeanPoolingClassifier


class _Collator:
    def __init__(self, encoder: SentenceEncoder) -> None:
        self.encoder = encoder

    def __call__(self, rows: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        import torch

        batch = dict(self.encoder.tokenize([r["text"] for r in rows]))
        batch.pop("token_type_ids", None)
        batch["labels"] = torch.tensor([r["label"] for r in rows], dtype=torch.long)
        return batch


def _accuracy(prediction: Any) -> dict[str, float]:
    logits, labels = prediction.predictions, prediction.label_ids
    if isinstance(logits, tuple):
        logits = logits[0]
    return {"accuracy": float((logits.argmax(axis=-1) == labels).mean())}


def finetune(examples: Sequence[Example], base_model_dir: Path | str,
             options: TrainingOptions | None = None, *,
             prefix: str | None = None) -> IntentClassifier:
    """Fine-tune ``base_model_dir`` (a local HF encoder) into an intent classifier."""
    import numpy as np
    import torch
    from transformers import (
        EarlyStoppingCallback,
        Trainer,
        TrainerCallback,
        TrainingArguments,
    )

    options = options or TrainingOptions()
    started = time.perf_counter()
    labels = check_examples(examples)
    index = {label: i for i, label in enumerate(labels)}
    split = stratified_split([e.intent for e in examples], options.validation_fraction,
                             options.seed)
    train_examples = [examples[i] for i in split.train]
    val_examples = [examples[i] for i in split.validation]

    # 1. the head's starting point: the frozen-embedding classifier on the training part
    encoder = SentenceEncoder.load(base_model_dir, prefix=prefix, max_length=options.max_length,
                                   batch_size=options.batch_size)
    # (the fine-tuned model is the encoder and a linear head on its last layer: no
    # n-gram features, no middle layer, no second head)
    frozen = train_frozen_head(train_examples, encoder,
                               dataclasses.replace(options, char_ngrams=False,
                                                   middle_layer=False, mlp_hidden=0))
    weight = np.zeros((len(labels), encoder.dimension), dtype=np.float32)
    bias = np.full(len(labels), -30.0, dtype=np.float32)
    for row, label in enumerate(frozen.labels):
        weight[index[label]], bias[index[label]] = frozen.weight[row], frozen.bias[row]

    # 2. end-to-end training
    model = _module_class()(encoder.model, weight, bias)
    model.train()
    if options.freeze_word_embeddings:
        encoder.model.embeddings.word_embeddings.weight.requires_grad_(False)
    head_params = list(model.head.parameters())
    encoder_params = [p for p in model.encoder.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        [{"params": encoder_params, "lr": options.learning_rate},
         {"params": head_params, "lr": options.head_learning_rate}],
        weight_decay=options.weight_decay)
    rows = [{"text": e.text, "label": index[e.intent]} for e in train_examples]
    val_rows = [{"text": e.text, "label": index[e.intent]} for e in val_examples]
    evaluate = bool(val_rows)
    strategy = "no" if not evaluate else ("steps" if options.eval_steps else "epoch")
    with tempfile.TemporaryDirectory(prefix="kefu-finetune-") as scratch:
        args = TrainingArguments(
            output_dir=scratch,
            num_train_epochs=options.epochs,
            max_steps=options.max_steps,
            per_device_train_batch_size=options.batch_size,
            per_device_eval_batch_size=options.batch_size * 2,
            learning_rate=options.learning_rate,
            warmup_steps=options.warmup_ratio,  # a float below 1 is a ratio in transformers 5
            weight_decay=options.weight_decay,
            lr_scheduler_type="linear",
            eval_strategy=strategy,
            save_strategy=strategy,
            eval_steps=options.eval_steps or None,
            save_steps=options.eval_steps or 500,
            load_best_model_at_end=evaluate,
            metric_for_best_model="accuracy" if evaluate else None,
            greater_is_better=True,
            save_total_limit=1,
            logging_steps=10,
            report_to="none",
            remove_unused_columns=False,
            seed=options.seed,
            dataloader_num_workers=0,
            dataloader_pin_memory=torch.cuda.is_available(),
        )
        callbacks: list[TrainerCallback] = ([EarlyStoppingCallback(options.early_stopping_patience)]
                     if evaluate and options.early_stopping_patience > 0 else [])
        trainer = Trainer(model=model, args=args, train_dataset=rows,
                          eval_dataset=val_rows or None, data_collator=_Collator(encoder),
                          compute_metrics=_accuracy, optimizers=(optimizer, None),
                          callbacks=callbacks)
        result = trainer.train()
        history = [dict(entry) for entry in trainer.state.log_history]
    model.eval()

    # 3. calibration on the validation part, as for the frozen recipe
    head_weight = model.head.weight.detach().cpu().numpy().astype(np.float32)
    head_bias = model.head.bias.detach().cpu().numpy().astype(np.float32)
    classifier = IntentClassifier(encoder, head_weight, head_bias, labels)
    metrics: dict[str, float] = {"train_loss": float(result.training_loss)}
    temperature, threshold = 1.0, 0.0
    if val_examples:
        logits = classifier.logits_from_embeddings(
            classifier.embed([e.text for e in val_examples]))
        targets = np.array([index[e.intent] for e in val_examples])
        temperature = fit_temperature(logits, targets)
        probs = softmax(logits, temperature)
        threshold = choose_threshold(probs, targets, labels, OUT_OF_SCOPE,
                                     options.max_in_scope_rejection)
        metrics.update({
            "validation_accuracy": float((logits.argmax(axis=1) == targets).mean()),
            "validation_accuracy_frozen_init": frozen.metadata["metrics"].get(
                "validation_accuracy", float("nan")),
            "validation_ece": expected_calibration_error(probs, targets),
        })
    classifier.temperature, classifier.threshold = temperature, threshold
    classifier.metadata = {
        "kind": "finetuned",
        "base_model": str(base_model_dir),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "examples": len(examples),
        "validation_examples": len(val_examples),
        "steps": int(result.global_step),
        "metrics": metrics,
        "history": history,
        "options": options.to_dict(),
        "seconds": {"total": round(time.perf_counter() - started, 2)},
    }
    return classifier
