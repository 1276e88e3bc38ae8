"""Two processes preparing the same model directory at once: one builds, one waits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import json, sys
from pathlib import Path
from kefu.nlu.encoder import prepare_base_model
result = prepare_base_model(Path(sys.argv[1]))
print(json.dumps({"built": result.built}))
"""


@pytest.mark.slow
def test_concurrent_prepare_builds_once(tmp_path: Path) -> None:
    target = tmp_path / "multilingual-e5-small"
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT, str(target)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=900) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err[-2000:] for _, err in outputs]
    built = sorted(json.loads(out.strip().splitlines()[-1])["built"] for out, _ in outputs)
    assert built == [False, True]
    assert (target / "model.safetensors").is_file()
    assert not (tmp_path / "multilingual-e5-small.partial").exists()
