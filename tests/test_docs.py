"""The documentation that is generated from code and data is up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_taxonomy_doc_is_current() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "taxonomy_doc.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
