"""Fine-tuning runs end to end (a couple of steps on a tiny slice) and saves a loadable model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kefu.nlu import load_model
from kefu.nlu.finetune import finetune
from kefu.nlu.options import TrainingOptions
from kefu.nlu.types import Example

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nlu_model")]


def test_finetune_a_few_steps_then_save_and_load(small_examples: list[Example], e5_dir: Path,
                                                  tmp_path: Path) -> None:
    examples = [e for e in small_examples if e.intent != "out_of_scope"]
    options = TrainingOptions(max_steps=2, batch_size=4, eval_steps=1, validation_fraction=0.2,
                              c_values=(16.0,), max_length=32)
    model = finetune(examples, e5_dir, options)
    assert model.metadata["kind"] == "finetuned"
    assert model.metadata["steps"] == 2
    assert model.labels == ("greeting", "order_status", "return_item")
    assert any("eval_accuracy" in entry for entry in model.metadata["history"])
    # the head started from the frozen classifier, so it is right from the first step
    assert model.metadata["metrics"]["validation_accuracy"] >= 0.8
    saved = load_model(model.save(tmp_path / "ft"))
    texts = ["where is my parcel", "我要退货"]
    np.testing.assert_allclose(saved.predict_proba(texts), model.predict_proba(texts),
                               atol=1e-4)
    assert [p.intent.name for p in saved.predict(texts)] == ["order_status", "return_item"]
