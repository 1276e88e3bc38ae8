"""tau-bench's gold actions give the same final database here as tau-bench's own tools.

For each of the 115 retail test tasks, the task's gold actions run in order through
``kefu tools call --batch`` on a fresh copy of the imported tau-bench store (a real CLI
subprocess for every third task, the same batch function in process for the others).
The exported store must equal tau-bench's final state: the original data with the
records that tau-bench's tools changed (``fixtures/taubench_gold_states.json``, made by
``scripts/taubench_gold_states.py``) applied, money compared to the cent. Each action
must also fail here exactly where it failed in tau-bench.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kefu.store import Store, open_store
from kefu.store.taubench import import_taubench, taubench_state
from kefu.tools.batch import run_batch
from tests.conftest import TAU1, require_taubench

FIXTURE = Path(__file__).parent / "fixtures" / "taubench_gold_states.json"
TABLES = ("users", "products", "orders")
SUBPROCESS_EVERY = 3  # every third task runs through a real `kefu` process

pytestmark = pytest.mark.slow


@cache
def _expected() -> list[dict[str, Any]]:
    return list(json.loads(FIXTURE.read_text())["tasks"])


@cache
def _original() -> dict[str, dict[str, Any]]:
    return {table: json.loads((TAU1 / f"{table}.json").read_text()) for table in TABLES}


@cache
def _tasks() -> list[dict[str, Any]]:
    return list(json.loads((TAU1 / "tasks_test.json").read_text()))


def cents(value: Any) -> Any:
    """``value`` with every number as a string of cents, to compare money exactly."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    if isinstance(value, dict):
        return {k: cents(v) for k, v in value.items()}
    if isinstance(value, list):
        return [cents(v) for v in value]
    return value


def differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """Readable differences between two tau-bench states (records by id)."""
    problems = []
    for table in TABLES:
        have, need = cents(got[table]), cents(want[table])
        for key in sorted(set(have) | set(need)):
            if have.get(key) != need.get(key):
                problems.append(f"{table}[{key}]: got {json.dumps(have.get(key))}\n"
                                f"    want {json.dumps(need.get(key))}")
    return problems


@pytest.fixture(scope="session")
def taubench_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the imported tau-bench store, copied by each task."""
    require_taubench()
    path = tmp_path_factory.mktemp("taubench") / "template.db"
    store = open_store(f"sqlite:///{path}")
    import_taubench(store, TAU1)
    store.dispose()
    return path


def test_fixture_covers_every_test_task() -> None:
    require_taubench()
    expected = _expected()
    assert [t["task"] for t in expected] == list(range(len(_tasks())))
    assert len(expected) == 115
    for outcome, task in zip(expected, _tasks(), strict=True):
        assert len(outcome["ok"]) == len(task["actions"])
        assert "products" not in outcome  # tau-bench's tools never change products


def test_template_is_the_original_data(taubench_template: Path) -> None:
    store = open_store(f"sqlite:///{taubench_template}", migrate=False)
    try:
        assert differences(taubench_state(store), _original()) == []
    finally:
        store.dispose()


def test_fixture_script_records_errors_and_changed_records() -> None:
    """scripts/taubench_gold_states.py: an error answer or an exception is a failed action,
    and only records that differ afterwards are kept."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "taubench_gold_states", Path(__file__).parents[2] / "scripts" / "taubench_gold_states.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    class Rename:
        @staticmethod
        def invoke(data: dict[str, Any], user_id: str, name: str) -> str:
            if user_id not in data["users"]:
                return "Error: user not found"
            data["users"][user_id]["name"] = name
            return "done"

    class Broken:
        @staticmethod
        def invoke(data: dict[str, Any]) -> str:
            raise KeyError("boom")

    original = {"users": {"a": {"name": "A"}, "b": {"name": "B"}}, "orders": {},
                "products": {}}
    outcome = script.run_task({"rename": Rename, "broken": Broken}, original, [
        {"name": "rename", "kwargs": {"user_id": "b", "name": "Bee"}},
        {"name": "rename", "kwargs": {"user_id": "zz", "name": "?"}},
        {"name": "broken", "kwargs": {}},
    ])
    assert outcome == {"ok": [True, False, False], "users": {"b": {"name": "Bee"}}}
    assert original["users"]["b"] == {"name": "B"}  # ran on a copy


def _run_subprocess(store_url: str, actions: list[dict[str, Any]], tmp_path: Path) -> list[bool]:
    batch = tmp_path / "actions.jsonl"
    batch.write_text("".join(json.dumps(a) + "\n" for a in actions), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kefu.cli.app", "tools", "call", "--batch", str(batch),
         "--database-url", store_url],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    outcomes = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["line"] for o in outcomes] == list(range(1, len(actions) + 1))
    return [o["ok"] for o in outcomes]


def _run_in_process(store: Store, actions: list[dict[str, Any]]) -> list[bool]:
    return [o.ok for o in run_batch(store, [json.dumps(a) for a in actions])]


@pytest.mark.parametrize("index", range(115))
def test_gold_actions_reach_taubench_final_state(index: int, taubench_template: Path,
                                                 tmp_path: Path) -> None:
    task, expected = _tasks()[index], _expected()[index]
    db = tmp_path / "store.db"
    shutil.copyfile(taubench_template, db)
    url = f"sqlite:///{db}"
    if index % SUBPROCESS_EVERY == 0:
        ok = _run_subprocess(url, task["actions"], tmp_path)
        store = open_store(url, migrate=False)
    else:
        store = open_store(url, migrate=False)
        ok = _run_in_process(store, task["actions"])
    try:
        state = taubench_state(store)
    finally:
        store.dispose()

    calls = [(a["name"], got) for a, got in zip(task["actions"], ok, strict=False)]
    assert ok == expected["ok"], f"ok/error per action differs: {calls}"
    want = {table: dict(records) for table, records in _original().items()}
    for table in ("users", "orders"):
        want[table].update(expected.get(table, {}))
    problems = differences(state, want)
    assert not problems, "\n".join(problems[:5])
