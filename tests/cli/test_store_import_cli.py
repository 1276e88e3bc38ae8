"""`kefu store import/export` as a user runs them (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import TAU1, require_taubench

KEFU = [sys.executable, "-m", "kefu.cli.app"]


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KEFU, *args], capture_output=True, text=True, env=env, timeout=120)


def test_import_export_cli(tmp_path: Path) -> None:
    require_taubench()
    env = {**os.environ, "KEFU_HOME": str(tmp_path / "home")}
    result = run("store", "import", "--format", "taubench", str(TAU1), env=env)
    assert result.returncode == 0, result.stderr
    assert "Imported 500 customers" in result.stdout
    assert (tmp_path / "home" / "store.db").is_file()

    again = run("store", "import", str(TAU1), env=env)
    assert again.returncode == 1
    assert "already holds data" in again.stderr and "--replace" in again.stderr

    out = run("store", "export", "--format", "taubench", str(tmp_path / "out"), env=env)
    assert out.returncode == 0, out.stderr
    exported = json.loads((tmp_path / "out" / "users.json").read_text())
    assert exported == json.loads((TAU1 / "users.json").read_text())


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, "KEFU_HOME": str(tmp_path / "home")}
    result = run("store", "import", "--format", "csv", str(tmp_path), env=env)
    assert result.returncode == 1
    assert "unknown format 'csv'" in result.stderr
