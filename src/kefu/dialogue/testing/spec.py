"""The conversation test format: a YAML file of user turns and what should come of them.

One file holds one conversation (a mapping) or several (a list, or a mapping with a
``conversations:`` list). See docs/conversation-tests.md for the format; every mistake is
reported as ``file:line: what is wrong`` by :func:`load_conversations`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kefu.errors import DataFormatError

STORES = ("taubench", "demo")
_LINE = "__line__"

_CONVERSATION_KEYS = {"name", "store", "language", "customer", "signed_in", "turns", "expect",
                      "description"}
_TURN_KEYS = {"user", "intent", "actions", "writes", "reply_contains", "reply_not_contains",
              "handoff", "verified", "awaiting"}
_EXPECT_KEYS = {"nothing_else_changed", "added", "may_change", "handoffs", "rows"}
_NAMED_TABLES = {"orders", "customers", "payment_methods"}  # expect: {table: {id: fields}}


@dataclass(frozen=True)
class ActionExpectation:
    """An action the turn must have run, with a subset of its arguments."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TurnSpec:
    """One user message and the optional expectations on the assistant's answer.

    ``writes`` (when given) is the exact list of successful store writes of the turn;
    ``actions`` only needs to be found among the turn's actions.
    """

    user: str
    line: int
    intent: str | None = None
    actions: tuple[ActionExpectation, ...] = ()
    writes: tuple[str, ...] | None = None
    reply_contains: tuple[str, ...] = ()
    reply_not_contains: tuple[str, ...] = ()
    handoff: bool | None = None
    verified: bool | None = None
    awaiting: str | None = None  # "" = nothing awaiting a yes


@dataclass(frozen=True)
class StoreExpectation:
    """The store after the conversation.

    ``rows``: table -> primary key -> expected column values. ``added``: table -> number of
    new rows. ``may_change``: tables whose other changes are fine (e.g. a gift card's
    balance). ``nothing_else_changed``: every other row is as it was.
    """

    rows: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)
    may_change: tuple[str, ...] = ()
    nothing_else_changed: bool = False


@dataclass(frozen=True)
class ConversationSpec:
    """One test conversation, as read from its file."""

    name: str
    path: Path
    line: int
    store: str
    turns: tuple[TurnSpec, ...]
    language: str | None = None
    customer: str | None = None  # the customer the user really is (for the leak checks)
    signed_in: bool = False  # the first turn carries a signed token for ``customer``
    expect: StoreExpectation = field(default_factory=StoreExpectation)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records each mapping's line (1-based) under ``__line__``."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=True)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


def _fail(path: Path, line: int | None, message: str) -> DataFormatError:
    return DataFormatError(message, path=str(path), line=line,
                           hint="see docs/conversation-tests.md for the format")


def _keys(data: dict[str, Any], known: set[str], what: str, path: Path) -> None:
    unknown = sorted(k for k in data if k != _LINE and k not in known)
    if unknown:
        raise _fail(path, data.get(_LINE), f"unknown key {unknown[0]!r} in {what} "
                                           f"(known: {', '.join(sorted(known))})")


def _strings(value: Any, what: str, path: Path, line: int | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return tuple(str(v) for v in value)
    raise _fail(path, line, f"{what} must be a string or a list of strings, got {value!r}")


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items() if k != _LINE}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _actions(value: Any, path: Path, line: int | None) -> tuple[ActionExpectation, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        value = [value]
    found = []
    for item in value:
        if isinstance(item, str):
            found.append(ActionExpectation(item))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            _keys(item, {"name", "args"}, "an action", path)
            args = item.get("args") or {}
            if not isinstance(args, dict):
                raise _fail(path, item.get(_LINE), f"args of {item['name']} must be a mapping")
            found.append(ActionExpectation(item["name"], _clean(args)))
        else:
            raise _fail(path, line, "each action is a name or {name: ..., args: {...}}, "
                                    f"got {_clean(item)!r}")
    return tuple(found)


def _turn(data: Any, index: int, path: Path, parent_line: int) -> TurnSpec:
    if isinstance(data, str | int) and not isinstance(data, bool):
        return TurnSpec(user=str(data), line=parent_line)
    if not isinstance(data, dict):
        raise _fail(path, parent_line, f"turn {index} must be a mapping with 'user:' or a "
                                       f"string, got {data!r}")
    line = data.get(_LINE, parent_line)
    _keys(data, _TURN_KEYS, f"turn {index}", path)
    user = data.get("user")
    if isinstance(user, bool) or user is None and "user" in data:
        raise _fail(path, line, f"turn {index}: YAML read the user text as {user!r}; quote "
                                "it (user: \"yes\", user: \"no\")")
    if not isinstance(user, str | int) or not str(user).strip():
        raise _fail(path, line, f"turn {index} has no 'user:' text")
    for flag in ("handoff", "verified"):
        if flag in data and not isinstance(data[flag], bool):
            raise _fail(path, line, f"turn {index}: {flag} must be true or false, "
                                    f"got {data[flag]!r}")
    writes = data.get("writes")
    awaiting = data.get("awaiting")
    return TurnSpec(
        user=str(user), line=line, intent=data.get("intent"),
        actions=_actions(data.get("actions"), path, line),
        writes=None if writes is None else _strings(writes, "writes", path, line),
        reply_contains=_strings(data.get("reply_contains"), "reply_contains", path, line),
        reply_not_contains=_strings(data.get("reply_not_contains"), "reply_not_contains",
                                    path, line),
        handoff=data.get("handoff"), verified=data.get("verified"),
        awaiting=None if awaiting is None else ("" if awaiting is False else str(awaiting)))


def _expect(data: Any, path: Path, line: int) -> StoreExpectation:
    if data is None:
        return StoreExpectation()
    if not isinstance(data, dict):
        raise _fail(path, line, f"expect must be a mapping, got {data!r}")
    line = data.get(_LINE, line)
    _keys(data, _EXPECT_KEYS | _NAMED_TABLES, "expect", path)
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    tables = {t: data[t] for t in _NAMED_TABLES if t in data}
    extra = data.get("rows") or {}
    if not isinstance(extra, dict):
        raise _fail(path, line, "expect.rows must map table -> id -> {column: value}")
    tables.update({k: v for k, v in extra.items() if k != _LINE})
    for table, by_id in tables.items():
        if not isinstance(by_id, dict):
            raise _fail(path, line, f"expect.{table} must map an id to {{column: value}}")
        for key, columns in by_id.items():
            if key == _LINE:
                continue
            if not isinstance(columns, dict):
                raise _fail(path, by_id.get(_LINE, line),
                            f"expect.{table}[{key!r}] must be a mapping of column: value")
            rows.setdefault(table, {})[str(key)] = _clean(columns)
    added = _clean(data.get("added") or {})
    if "handoffs" in data:
        added["handoffs"] = data["handoffs"]
    for table, count in added.items():
        if not isinstance(count, int) or count < 0:
            raise _fail(path, line, f"expected added rows of {table} must be a count >= 0, "
                                    f"got {count!r}")
    nothing = data.get("nothing_else_changed", False)
    if not isinstance(nothing, bool):
        raise _fail(path, line, f"nothing_else_changed must be true or false, got {nothing!r}")
    return StoreExpectation(rows=rows, added=added, nothing_else_changed=nothing,
                            may_change=_strings(data.get("may_change"), "may_change",
                                                path, line))


def _conversation(data: Any, index: int, path: Path) -> ConversationSpec:
    if not isinstance(data, dict):
        raise _fail(path, None, f"conversation {index} must be a mapping, got {data!r}")
    line = data.get(_LINE, 1)
    _keys(data, _CONVERSATION_KEYS, f"conversation {index}", path)
    name = data.get("name") or f"{path.stem}#{index}"
    store = data.get("store")
    if store not in STORES:
        raise _fail(path, line, f"conversation {name!r}: store must be one of "
                                f"{', '.join(STORES)}, got {store!r}")
    language = data.get("language")
    if language not in (None, "en", "zh"):
        raise _fail(path, line, f"conversation {name!r}: language must be en or zh, "
                                f"got {language!r}")
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns:
        raise _fail(path, line, f"conversation {name!r} has no turns (a list under 'turns:')")
    signed_in = data.get("signed_in", False)
    customer = data.get("customer")
    if signed_in and not customer:
        raise _fail(path, line, f"conversation {name!r}: signed_in needs a customer id")
    return ConversationSpec(
        name=str(name), path=path, line=line, store=store, language=language,
        customer=None if customer is None else str(customer), signed_in=bool(signed_in),
        turns=tuple(_turn(t, i + 1, path, line) for i, t in enumerate(turns)),
        expect=_expect(data.get("expect"), path, line))


def parse_conversations(text: str, path: Path) -> list[ConversationSpec]:
    """The conversations of one file's text (``path`` names it in errors)."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(path, mark.line + 1 if mark else None, f"not valid YAML: {exc}") from exc
    if isinstance(data, dict) and "conversations" in data:
        data = data["conversations"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        raise _fail(path, None, "expected a conversation (a mapping with name, store, turns) "
                                "or a list of them")
    return [_conversation(c, i + 1, path) for i, c in enumerate(data)]


def load_conversations(paths: list[Path]) -> list[ConversationSpec]:
    """Every conversation in ``paths`` (files, or folders searched for *.yml / *.yaml)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.y*ml")))
        elif path.is_file():
            files.append(path)
        else:
            raise DataFormatError("no conversation file or folder here", path=str(path),
                                  hint="pass .yml files or folders holding them")
    found: list[ConversationSpec] = []
    for file in files:
        found.extend(parse_conversations(file.read_text(encoding="utf-8"), file))
    return found
