"""kefu's own NLU data stays valid: markup, counts, and a test split apart from training."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "kefu" / "resources" / "nlu"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_shipped_data_passes_its_checks(lang: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_nlu_data.py"),
         str(DATA / lang / "train.yml"), str(DATA / lang / "test.yml")],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "test lines with a train line above Jaccard 0.6: 0" in result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_intent_has_enough_examples(lang: str) -> None:
    from kefu.nlu.data import load_examples
    from kefu.nlu.taxonomy import INTENTS

    for split, minimum in (("train", 60), ("test", 20)):
        examples = load_examples(DATA / lang / f"{split}.yml")
        counts = {intent: 0 for intent in INTENTS}
        for example in examples:
            assert example.intent in counts, f"unknown intent {example.intent}"
            counts[example.intent] += 1
        short = {i: n for i, n in counts.items() if n < minimum}
        assert not short, f"{lang}/{split}: fewer than {minimum} examples: {short}"
