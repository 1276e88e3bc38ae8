"""Understanding customer messages: intents, entities and language.

The names below are imported on first use, so ``import kefu.nlu`` stays light (torch and
transformers load only when a model does)::

    from kefu.nlu import Parser
    result = Parser.load().parse("我的订单什么时候发货？")
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import Any

# Threads that sleep instead of spinning while they wait. On a busy 2-core machine, torch's
# spinning OpenMP threads made one message take 2.8 s instead of 90 ms (p50, measured with
# 2 threads under a load of 14). It must be set before torch loads; an explicit
# OMP_WAIT_POLICY wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

_EXPORTS = {
    "Parser": "kefu.nlu.parser",
    "default_model_dir": "kefu.nlu.parser",
    "IntentClassifier": "kefu.nlu.classifier",
    "IntentPrediction": "kefu.nlu.classifier",
    "load_model": "kefu.nlu.classifier",
    "TrainingOptions": "kefu.nlu.options",
    "train_frozen_head": "kefu.nlu.frozen",
    "finetune": "kefu.nlu.finetune",
    "evaluate_intents": "kefu.nlu.evaluation",
    "IntentEvaluator": "kefu.nlu.evaluation",
    "SentenceEncoder": "kefu.nlu.encoder",
    "prepare_base_model": "kefu.nlu.encoder",
    "load_examples": "kefu.nlu.data",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kefu.nlu' has no attribute {name!r}")
    return getattr(import_module(module), name)
