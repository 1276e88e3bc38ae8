"""Running a sequence of tool calls (JSON lines), as ``kefu tools call --batch`` does.

Each input line is ``{"name": "cancel_pending_order", "kwargs": {...}}`` (tau-bench's action
format). Each call gives one outcome, ``{"line": 3, "ok": true, "result": ...}`` or
``{"line": 3, "ok": false, "error": {"code": "rule_violation", "message": "..."}}``; an error
never stops the batch, and a failed call changes nothing (each call is its own transaction).
Blank lines are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kefu.errors import KefuError
from kefu.tools.registry import call_tool


@dataclass(frozen=True)
class CallOutcome:
    """The outcome of one call of a batch: its result, or the error that refused it."""

    line: int
    name: str | None
    ok: bool
    result: Any = None
    error_code: str | None = None
    error_message: str | None = None

    def to_json(self) -> dict[str, Any]:
        if self.ok:
            return {"line": self.line, "name": self.name, "ok": True, "result": self.result}
        return {"line": self.line, "name": self.name, "ok": False,
                "error": {"code": self.error_code, "message": self.error_message}}


def _failure(line: int, name: str | None, code: str, message: str) -> CallOutcome:
    return CallOutcome(line=line, name=name, ok=False, error_code=code, error_message=message)


def parse_call(text: str, line: int) -> tuple[str, dict[str, Any]]:
    """Read one ``{"name": ..., "kwargs": {...}}`` line; raise ValueError saying what is wrong."""
    try:
        call = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {line}: invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(call, dict):
        raise ValueError(f"line {line}: expected a JSON object with name and kwargs")
    unknown = sorted(set(call) - {"name", "kwargs"})
    if unknown:
        raise ValueError(f"line {line}: unknown keys {', '.join(unknown)} "
                         "(a call has only name and kwargs)")
    name, kwargs = call.get("name"), call.get("kwargs", {})
    if not isinstance(name, str) or not name:
        raise ValueError(f"line {line}: 'name' must be a tool name")
    if not isinstance(kwargs, dict):
        raise ValueError(f"line {line}: 'kwargs' must be a JSON object")
    return name, kwargs


def run_call(store: Any, name: str, kwargs: dict[str, Any], line: int = 1) -> CallOutcome:
    """Call one tool; a kefu error (or any failure) becomes a failed outcome."""
    try:
        return CallOutcome(line=line, name=name, ok=True,
                           result=call_tool(store, name, kwargs))
    except KefuError as exc:
        return _failure(line, name, exc.code, str(exc))
    except Exception as exc:  # a bug or a backend failure: report it, keep going
        return _failure(line, name, "internal_error", f"{type(exc).__name__}: {exc}")


def run_batch(store: Any, lines: Iterable[str]) -> Iterator[CallOutcome]:
    """Run each JSON line in order, yielding one outcome per non-blank line."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            name, kwargs = parse_call(text, number)
        except ValueError as exc:
            yield _failure(number, None, "invalid_input", str(exc))
            continue
        yield run_call(store, name, kwargs, number)
