"""Record what tau-bench's own retail tools do with each test task's gold actions.

Writes the expected-outcome fixture that ``tests/store/test_operations_taubench.py`` checks
kefu's store operations against: for each task of ``tasks_test.json``, whether each gold
action answered an error (tau-bench tools answer ``"Error: ..."`` instead of raising) and
every user and order record that differs from the original data afterwards, in
tau-bench's JSON.

It needs a checkout of tau-bench (github.com/sierra-research/tau-bench, MIT, Copyright
(c) 2024 Sierra); it imports the tools from it and runs them the way tau-bench's
``Env.step`` does (an exception becomes an error answer). Nothing of tau-bench is copied
into kefu. Usage::

    python scripts/taubench_gold_states.py --taubench ~/src/tau-bench \\
        --data ../shared/data/taubench_retail/tau1 \\
        --out tests/store/fixtures/taubench_gold_states.json
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import sys
import types
from pathlib import Path
from typing import Any


def load_tools(checkout: Path) -> dict[str, Any]:
    """Import tau-bench's retail tools from ``checkout`` without its heavy package imports."""
    root = checkout / "tau_bench"
    if not (root / "envs" / "retail" / "tools" / "__init__.py").is_file():
        sys.exit(f"{checkout} is not a tau-bench checkout (no tau_bench/envs/retail/tools)")
    sys.path.insert(0, str(checkout))
    # The package __init__ files import agents and model clients; the tools need none of it.
    for name, folder in (("tau_bench", root), ("tau_bench.envs", root / "envs"),
                         ("tau_bench.envs.retail", root / "envs" / "retail")):
        package = types.ModuleType(name)
        package.__path__ = [str(folder)]
        sys.modules[name] = package
    module = importlib.import_module("tau_bench.envs.retail.tools")
    return {tool.get_info()["function"]["name"]: tool for tool in module.ALL_TOOLS}


def run_task(tools: dict[str, Any], original: dict[str, Any],
             actions: list[dict[str, Any]]) -> dict[str, Any]:
    data = copy.deepcopy(original)
    ok: list[bool] = []
    for action in actions:
        try:
            answer = tools[action["name"]].invoke(data=data, **action["kwargs"])
        except Exception as exc:  # tau-bench's Env.step turns any exception into an error
            answer = f"Error: {exc}"
        ok.append(not str(answer).startswith("Error"))
    changed: dict[str, Any] = {"ok": ok}
    for table in ("users", "orders", "products"):
        diff = {key: record for key, record in data[table].items()
                if original[table].get(key) != record}
        if set(data[table]) - set(original[table]):
            raise SystemExit(f"a task added {table} records; the fixture format cannot hold it")
        if diff:
            changed[table] = diff
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--taubench", type=Path, required=True,
                        help="path of a tau-bench checkout")
    parser.add_argument("--data", type=Path, required=True,
                        help="folder with users.json, products.json, orders.json, "
                             "tasks_test.json (kefu's shared tau1 folder)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    tools = load_tools(args.taubench)
    original = {table: json.loads((args.data / f"{table}.json").read_text())
                for table in ("users", "products", "orders")}
    tasks = json.loads((args.data / "tasks_test.json").read_text())
    results = []
    for index, task in enumerate(tasks):
        outcome = run_task(tools, original, task["actions"])
        results.append({"task": index, **outcome})
    errors = sum(not ok for r in results for ok in r["ok"])
    payload = {
        "source": "tau-bench retail tools (MIT, Copyright (c) 2024 Sierra), "
                  "run by scripts/taubench_gold_states.py",
        "split": "test",
        "tasks": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w") as out:
        out.write('{"source": ' + json.dumps(payload["source"]) + ', "split": "test", '
                  '"tasks": [\n')
        out.write(",\n".join(json.dumps(r, separators=(",", ":"), sort_keys=True)
                             for r in results))
        out.write("\n]}\n")
    print(f"{len(results)} tasks, {sum(len(r['ok']) for r in results)} actions, "
          f"{errors} error answers -> {args.out}")


if __name__ == "__main__":
    main()
