"""Play test conversations against the assistant, each on a fresh copy of its store.

A :class:`ConversationRunner` builds each store once per run (the imported tau-bench
store, the demo shop) and loads the NLU model once; every conversation then gets a copy
of its store's SQLite file and a new tracker store. After the turns it checks the turn
expectations, the expected store changes and the invariants of
:mod:`kefu.dialogue.testing.invariants`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kefu.dialogue.testing.invariants import (
    PersonalData,
    check_disclosures,
    check_writes,
    personal_data,
)
from kefu.dialogue.testing.spec import ConversationSpec, StoreExpectation, TurnSpec
from kefu.errors import ConfigError

if TYPE_CHECKING:
    from kefu.knowledge.source import KnowledgeSource

#: Builds the assistant for one conversation: (store, store kind, workdir) -> assistant.
AssistantFactory = Callable[[Any, str, Path], Any]
SECRET = "conversation-tests-secret"
Snapshot = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


@dataclass(frozen=True)
class TurnLog:
    user: str
    replies: str
    intent: str
    actions: tuple[str, ...]
    ms: float


@dataclass(frozen=True)
class ConversationResult:
    """How one conversation went: ``passed`` means task success."""

    name: str
    where: str
    store: str
    failures: tuple[str, ...]
    turns: tuple[TurnLog, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "file": self.where, "store": self.store,
                "passed": self.passed, "failures": list(self.failures),
                "turns": [{"user": t.user, "reply": t.replies, "intent": t.intent,
                           "actions": list(t.actions), "ms": round(t.ms, 2)}
                          for t in self.turns]}


@dataclass(frozen=True)
class RunReport:
    results: tuple[ConversationResult, ...]

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def success_rate(self) -> float:
        return self.passed / len(self.results) if self.results else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"conversations": len(self.results), "passed": self.passed,
                "task_success": round(self.success_rate, 4),
                "results": [r.to_dict() for r in self.results]}


def snapshot(store: Any) -> Snapshot:
    """Every row of every store table, keyed by table and primary key."""
    from sqlalchemy import select

    from kefu.store.models import Base

    dump: Snapshot = {}
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            keys = [c.name for c in table.primary_key.columns]
            rows = {}
            for row in conn.execute(select(table)):
                mapping = dict(row._mapping)
                rows[tuple(mapping[k] for k in keys)] = mapping
            dump[table.name] = rows
    return dump


def _same(actual: Any, expected: Any) -> bool:
    if actual == expected:
        return True
    if isinstance(expected, float | int) and isinstance(actual, float | int):
        return abs(float(actual) - float(expected)) < 1e-6
    return str(actual) == str(expected)


def check_store(before: Snapshot, after: Snapshot, expect: StoreExpectation) -> list[str]:
    """The expected rows, counts of added rows, and (optionally) nothing else changed."""
    problems: list[str] = []
    for table, by_id in expect.rows.items():
        if table not in after:
            problems.append(f"expect names table {table!r}, which the store does not have")
            continue
        for key, columns in by_id.items():
            row = after[table].get((key,))
            if row is None:
                problems.append(f"{table} {key}: no such row after the conversation")
                continue
            for column, value in columns.items():
                if column not in row:
                    problems.append(f"{table} {key}: no column {column!r}")
                elif not _same(row[column], value):
                    problems.append(f"{table} {key}: {column} is {row[column]!r}, "
                                    f"expected {value!r}")
    for table, count in expect.added.items():
        added = len(set(after.get(table, {})) - set(before.get(table, {})))
        if added != count:
            problems.append(f"{table}: {added} rows added, expected {count}")
    if expect.nothing_else_changed:
        problems.extend(_unexpected_changes(before, after, expect))
    return problems


def _unexpected_changes(before: Snapshot, after: Snapshot,
                        expect: StoreExpectation) -> list[str]:
    orders = set(expect.rows.get("orders", {}))
    problems = []
    for table in sorted(set(before) | set(after)):
        if table in expect.may_change:
            continue
        old, new = before.get(table, {}), after.get(table, {})
        named = {k for k in expect.rows.get(table, {})}
        for key in sorted(set(old) | set(new), key=str):
            if old.get(key) == new.get(key):
                continue
            if key not in old and table in expect.added:
                continue
            row = new.get(key) or old.get(key) or {}
            if (len(key) == 1 and str(key[0]) in named) or row.get("order_id") in orders:
                continue
            change = "added" if key not in old else "removed" if key not in new else "changed"
            problems.append(f"{table} {key[0] if len(key) == 1 else key}: {change}, and "
                            "nothing else should have changed")
    return problems[:10]


def _check_turn(index: int, spec: TurnSpec, result: Any) -> list[str]:
    where = f"turn {index} (line {spec.line}, {spec.user!r})"
    text = "\n".join(r.text for r in result.replies)
    problems = []
    if spec.intent is not None and result.parse.intent.name != spec.intent:
        problems.append(f"{where}: intent {result.parse.intent.name}, expected {spec.intent}")
    ran = [(a.name, a.args) for a in result.actions]
    for expected in spec.actions:
        if not any(name == expected.name and all(
                _same(args.get(k), v) for k, v in expected.args.items()) for name, args in ran):
            problems.append(f"{where}: expected action {expected.name}{expected.args or ''}, "
                            f"ran {[n for n, _ in ran]}")
    if spec.writes is not None:
        wrote = [a.name for a in result.wrote()]
        if wrote != list(spec.writes):
            problems.append(f"{where}: wrote {wrote}, expected {list(spec.writes)}")
    for part in spec.reply_contains:
        if part.lower() not in text.lower():
            problems.append(f"{where}: the reply lacks {part!r}: {text!r}")
    for part in spec.reply_not_contains:
        if part.lower() in text.lower():
            problems.append(f"{where}: the reply contains {part!r}: {text!r}")
    if spec.handoff is not None and result.handoff != spec.handoff:
        problems.append(f"{where}: handoff {result.handoff}, expected {spec.handoff}")
    if spec.verified is not None and result.verified != spec.verified:
        problems.append(f"{where}: verified {result.verified}, expected {spec.verified}")
    if spec.awaiting is not None and (result.awaiting_confirmation or "") != spec.awaiting:
        problems.append(f"{where}: awaiting {result.awaiting_confirmation!r}, "
                        f"expected {spec.awaiting or None!r}")
    return problems


def default_taubench_dir() -> Path:
    env = os.environ.get("KEFU_TAUBENCH_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[5] / "shared" / "data" / "taubench_retail" / "tau1"


class ConversationRunner:
    """Runs conversations; stores and the model are built on first use and reused."""

    def __init__(self, *, model_dir: Path | None = None, workdir: Path | None = None,
                 taubench_dir: Path | None = None,
                 assistant_factory: AssistantFactory | None = None,
                 templates: dict[str, Path] | None = None,
                 understanders: dict[str, Any] | None = None,
                 knowledge: KnowledgeSource | None = None) -> None:
        """``templates`` (store kind -> SQLite file), ``understanders`` (store kind ->
        loaded NLU) and ``knowledge`` reuse what a caller has already built, e.g. test
        session fixtures. Without ``knowledge`` the configured knowledge base is opened
        on the first question that needs it, sharing the NLU model's encoder."""
        self.model_dir = model_dir
        self.taubench_dir = taubench_dir or default_taubench_dir()
        self._tmp = None if workdir else tempfile.TemporaryDirectory(prefix="kefu-convtest-")
        self.workdir = Path(workdir or self._tmp.name)  # type: ignore[union-attr]
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.factory = assistant_factory or self._real_assistant
        self._templates: dict[str, Path] = dict(templates or {})
        self._data: dict[str, PersonalData] = {}
        self._nlu: dict[str, Any] = dict(understanders or {})
        self._knowledge = knowledge
        self._count = 0

    # -- stores and model ----------------------------------------------------------------
    def provide(self, kind: str, template: Path, understander: Any | None = None) -> None:
        """Use an already built store file (and loaded NLU) for ``kind`` conversations."""
        self._templates.setdefault(kind, template)
        if understander is not None:
            self._nlu.setdefault(kind, understander)

    def template(self, kind: str) -> Path:
        """The SQLite file of a freshly built ``kind`` store ("taubench" or "demo")."""
        if kind not in self._templates:
            from kefu.store import open_store

            path = self.workdir / f"template-{kind}.db"
            path.unlink(missing_ok=True)
            store = open_store(f"sqlite:///{path}")
            try:
                if kind == "demo":
                    from kefu.store.demo import build_demo_store

                    build_demo_store(store)
                else:
                    from kefu.store.taubench import import_taubench

                    if not (self.taubench_dir / "users.json").is_file():
                        raise ConfigError(f"no tau-bench retail data at {self.taubench_dir}",
                                          hint="set KEFU_TAUBENCH_DIR to its tau1 folder")
                    import_taubench(store, self.taubench_dir)
            finally:
                store.dispose()
            self._templates[kind] = path
        if kind not in self._data:
            from kefu.store import open_store

            store = open_store(f"sqlite:///{self._templates[kind]}")
            try:
                self._data[kind] = personal_data(store)
            finally:
                store.dispose()
        return self._templates[kind]

    def nlu(self, kind: str, store: Any) -> Any:
        if kind not in self._nlu:
            from kefu.dialogue.engine import store_catalog
            from kefu.dialogue.understanding import load_understander
            from kefu.nlu.entities.extractor import EntityExtractor
            from kefu.settings import get_settings

            if self.model_dir is None:
                from kefu.dialogue.setup import ensure_default_model

                self.model_dir = ensure_default_model(get_settings())
            other = next(iter(self._nlu.values()), None)
            if other is None:  # the configured backend: conversations run as a chat would
                self._nlu[kind] = load_understander(self.model_dir, catalog=store_catalog(store),
                                                    backend=get_settings().nlu_backend)
            else:  # the same classifier, this store's products for the entity extractor
                extractor = EntityExtractor(catalog=store_catalog(store))
                self._nlu[kind] = type(other)(other.classifier, extractor)
        return self._nlu[kind]

    def knowledge(self, nlu: Any) -> KnowledgeSource:
        """The knowledge base every conversation shares (opened on first need)."""
        if self._knowledge is None:
            from kefu.dialogue.engine import retrieval_encoder
            from kefu.knowledge.source import KnowledgeSource
            from kefu.settings import get_settings

            self._knowledge = KnowledgeSource.from_settings(
                get_settings(), lambda: retrieval_encoder(nlu))
        return self._knowledge

    def _real_assistant(self, store: Any, kind: str, workdir: Path) -> Any:
        from kefu.dialogue.engine import Assistant, Components
        from kefu.dialogue.trackers import open_tracker_store
        from kefu.privacy import get_masker

        tracker = open_tracker_store(url=f"sqlite:///{workdir / 'conversations.db'}",
                                     masker=get_masker())
        nlu = self.nlu(kind, store)
        return Assistant(Components(store=store, tracker=tracker, nlu=nlu, secret_key=SECRET,
                                    knowledge=self.knowledge(nlu)))

    # -- running -------------------------------------------------------------------------
    def run_all(self, specs: list[ConversationSpec],
                on_result: Callable[[ConversationResult], None] | None = None) -> RunReport:
        results = []
        for spec in specs:
            result = self.run(spec)
            if on_result is not None:
                on_result(result)
            results.append(result)
        return RunReport(tuple(results))

    def run(self, spec: ConversationSpec) -> ConversationResult:
        """Play one conversation on a fresh store copy and check everything."""
        from kefu.store import open_store

        self._count += 1
        workdir = self.workdir / f"conversation-{self._count}"
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir()
        shutil.copy(self.template(spec.store), workdir / "store.db")
        store = open_store(f"sqlite:///{workdir / 'store.db'}")
        try:
            return self._play(spec, store, workdir)
        finally:
            store.dispose()
            shutil.rmtree(workdir, ignore_errors=True)

    def _play(self, spec: ConversationSpec, store: Any, workdir: Path) -> ConversationResult:
        before = snapshot(store)
        assistant = self.factory(store, spec.store, workdir)
        # the same id whatever the run order, so the engine picks the same wordings
        digest = hashlib.sha1(f"{spec.path.name}:{spec.name}".encode()).hexdigest()[:12]
        conversation_id = f"convtest-{digest}"
        failures: list[str] = []
        played: list[tuple[str, Any]] = []
        logs: list[TurnLog] = []
        try:
            with _clock_for(spec.store):
                for index, turn in enumerate(spec.turns, start=1):
                    token = None
                    if index == 1 and spec.signed_in:
                        from kefu.identity import sign_customer_token

                        token = sign_customer_token(str(spec.customer), SECRET)
                    started = time.perf_counter()
                    try:
                        result = assistant.handle(conversation_id, turn.user,
                                                  customer_token=token)
                    except Exception as exc:  # noqa: BLE001 - a failed conversation, reported
                        failures.append(f"turn {index} (line {turn.line}): the assistant "
                                        f"raised {type(exc).__name__}: {exc}")
                        break
                    ms = (time.perf_counter() - started) * 1000
                    played.append((turn.user, result))
                    logs.append(TurnLog(turn.user, "\n".join(r.text for r in result.replies),
                                        result.parse.intent.name,
                                        tuple(a.name for a in result.actions), ms))
                    failures.extend(_check_turn(index, turn, result))
        finally:
            close = getattr(assistant, "close", None)
            if close is not None:
                close()
        failures.extend(check_writes(played))
        failures.extend(check_disclosures(played, self._data[spec.store], spec.customer))
        failures.extend(check_store(before, snapshot(store), spec.expect))
        return ConversationResult(spec.name, spec.where, spec.store, tuple(failures),
                                  tuple(logs))

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


@contextlib.contextmanager
def _clock_for(kind: str) -> Iterator[None]:
    """The demo shop's data is dated around its reference day: run its conversations then."""
    if kind != "demo":
        yield
        return
    from kefu.store import clock
    from kefu.store.demo import REFERENCE_DATE

    with clock.frozen_at(REFERENCE_DATE):
        yield
