"""benchmarks/nlu_intents.py keeps working: a tiny slice of CAIS, frozen head, into a tmp dir.

Skips when the public data sets (../shared/data, or $KEFU_BENCH_DATA) are absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("KEFU_BENCH_DATA", ROOT.parent / "shared" / "data"))

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (DATA / "cais_zh").is_dir(),
                                 reason=f"public data sets not found at {DATA}")]


def test_intent_benchmark_runs_on_a_slice(tmp_path: Path) -> None:
    from kefu.nlu.encoder import default_base_model_dir, prepare_base_model

    models = Path(os.environ.get("KEFU_TEST_MODELS_DIR", tmp_path / "models"))
    base = prepare_base_model(default_base_model_dir(models)).directory
    out = tmp_path / "bench"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "KEFU_BENCH_DATA": str(DATA)}
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "nlu_intents.py"), "--dataset", "cais",
         "--mode", "frozen", "--limit-train", "200", "--limit-test", "40",
         "--base-model", str(base), "--output-dir", str(out), "--no-write"],
        capture_output=True, text=True, env=env, timeout=1800, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads((out / "results" / "cais.json").read_text(encoding="utf-8"))
    assert result["sliced"] is True
    assert (result["train_examples"], result["test_examples"]) == (200, 40)
    for recipe in ("baseline", "frozen"):
        accuracy = result[recipe]["metrics"]["accuracy"]
        assert 0.5 < accuracy <= 1.0, (recipe, accuracy)  # 87% of CAIS is one intent
    latency = result["frozen"]["latency_predict"]
    assert 0 < latency["p50_ms"] <= latency["p95_ms"]
    assert result["frozen"]["throughput_batch32"] > 0
    assert (out / "models" / "cais-frozen" / "kefu_nlu.json").is_file()
