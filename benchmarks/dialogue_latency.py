"""Per-turn latency of the dialogue engine in process, over the test conversations.

    .venv/bin/python benchmarks/dialogue_latency.py [--model DIR] [--rounds N] [--no-write]
        [CONVERSATIONS...]

Plays every conversation of tests/conversations/ (not engine_gaps/) through
``Assistant.handle`` with the NLU model loaded and the store and conversation log on
SQLite (a fresh copy of the store per conversation, as ``kefu test-conversations``
does). Model loading, store building and a warm-up pass over every conversation (which
opens the knowledge base and fits the recommender once) are excluded. Reports p50/p95 of
a whole turn, of the NLU parse inside it and of the rest (policy, store, rendering,
masking, tracker), the NLU share of the time, and a baseline measured in the same run:
the same messages through the NLU parser alone, so that machine load can be told apart
from engine cost. Writes the section ``dialogue_latency`` of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import ROOT, machine, today, write_section  # noqa: E402

TARGET_P50_MS, TARGET_P95_MS = 20.0, 50.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


class TimedParser:
    """The understander, recording how long each parse takes."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.times: list[float] = []

    def parse(self, text: str) -> Any:
        started = time.perf_counter()
        result = self.inner.parse(text)
        self.times.append((time.perf_counter() - started) * 1000)
        return result


class TimedTracker:
    """The tracker store, recording the time spent reading and appending (with masking)."""

    def __init__(self, inner: Any, sink: list[float]) -> None:
        self.inner = inner
        self.sink = sink

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def events(self, conversation_id: str) -> Any:
        started = time.perf_counter()
        try:
            return self.inner.events(conversation_id)
        finally:
            self.sink.append((time.perf_counter() - started) * 1000)

    def append(self, conversation_id: str, events: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.inner.append(conversation_id, events)
        finally:
            self.sink.append((time.perf_counter() - started) * 1000)


def run(paths: list[Path], model_dir: Path, rounds: int,
        profile: Path | None = None) -> dict[str, Any]:
    from kefu.dialogue.engine import Assistant, Components
    from kefu.dialogue.testing import ConversationRunner, load_conversations
    from kefu.dialogue.testing.runner import SECRET
    from kefu.dialogue.trackers import open_tracker_store
    from kefu.privacy import get_masker

    specs = load_conversations(paths)
    timed: dict[str, TimedParser] = {}
    tracking: list[float] = []  # tracker time per call; summed per turn below
    runner: ConversationRunner

    def factory(store: Any, kind: str, workdir: Path) -> Any:
        if kind not in timed:
            timed[kind] = TimedParser(runner.nlu(kind, store))
        tracker = TimedTracker(open_tracker_store(
            url=f"sqlite:///{workdir / 'conversations.db'}", masker=get_masker()), tracking)
        # the knowledge base too, as `kefu test-conversations` runs them: without it every
        # policy question would be answered "I can't answer that" at no cost
        return Assistant(Components(store=store, tracker=tracker, nlu=timed[kind],
                                    secret_key=SECRET,
                                    knowledge=runner.knowledge(timed[kind].inner)))

    runner = ConversationRunner(model_dir=model_dir, assistant_factory=factory)
    try:
        load_started = time.perf_counter()
        for kind in sorted({s.store for s in specs}):  # build stores, load the model
            runner.template(kind)
        # A whole warm-up pass: the first knowledge question opens the knowledge base and
        # the first recommendation fits the recommender (seconds, once per process); those
        # one-time costs are setup, not turn latency.
        for spec in specs:
            runner.run(spec)
        setup_s = time.perf_counter() - load_started
        for parser in timed.values():
            parser.times.clear()
        turns: list[float] = []
        nlu: list[float] = []
        tracker_ms: list[float] = []  # per conversation
        passed = total = 0
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        for _ in range(rounds):
            for spec in specs:
                before = {k: len(p.times) for k, p in timed.items()}
                tracking.clear()
                result = runner.run(spec)
                tracker_ms.append(sum(tracking))
                parser = timed[spec.store]
                parses = parser.times[before.get(spec.store, 0):]
                turns.extend(t.ms for t in result.turns)
                nlu.extend(parses[:len(result.turns)])
                passed += result.passed
                total += 1
        wall_s = time.perf_counter() - started
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        texts = [t.user for s in specs for t in s.turns]
        baseline: list[float] = []
        for spec in specs:  # the same messages through the parser alone
            inner = timed[spec.store].inner
            for turn in spec.turns:
                t0 = time.perf_counter()
                inner.parse(turn.user)
                baseline.append((time.perf_counter() - t0) * 1000)
    finally:
        runner.close()
    rest = [t - n for t, n in zip(turns, nlu, strict=False)]
    tracker_share = sum(tracker_ms) / sum(turns) if turns else 0.0
    from kefu.settings import get_settings

    return {"tracker_share": tracker_share, "rounds": rounds, "conversations": total,
            "backend": get_settings().nlu_backend,
            "passed": passed, "turns": len(turns),
            "messages": len(texts), "setup_s": setup_s, "wall_s": wall_s,
            "turn": turns, "nlu": nlu, "rest": rest, "baseline": baseline}


def _row(name: str, values: list[float]) -> str:
    return (f"| {name} | {percentile(values, 0.5):.1f} | {percentile(values, 0.95):.1f} | "
            f"{statistics.fmean(values):.1f} | {max(values):.1f} |")


def report(data: dict[str, Any], command: str, load_before: str, load_after: str) -> str:
    turn, nlu = data["turn"], data["nlu"]
    share = sum(nlu) / sum(turn) if turn else 0.0
    p50, p95 = percentile(turn, 0.5), percentile(turn, 0.95)
    verdict = ("meets" if p50 <= TARGET_P50_MS and p95 <= TARGET_P95_MS else "misses")
    return f"""## Dialogue turn latency (in process)

`{command}` on {today()}: {machine()}. {data['conversations'] // data['rounds']} test
conversations x {data['rounds']} round(s) ({data['passed']} of {data['conversations']} runs
passed), {data['turns']} turns through `Assistant.handle`, NLU model
loaded (encoder backend `{data.get('backend', '?')}`, the setting `nlu_backend`), store
and conversation log on SQLite (a fresh store copy per conversation).
Store building, model loading and a warm-up pass over every conversation (opening the
knowledge base, fitting the recommender: {data['setup_s']:.0f} s in all) are excluded.
Load average before / after: {load_before} / {load_after} (on a shared machine; the
baseline row, the same messages through the parser alone in
the same run, shows what that load does to the model's part).

| per turn, ms | p50 | p95 | mean | max |
|---|---|---|---|---|
{_row("whole turn (`handle`)", turn)}
{_row("NLU parse inside the turn", nlu)}
{_row("rest of the turn (policy, store, replies, masking, log)", data["rest"])}
{_row("baseline: NLU parse alone, same messages", data["baseline"])}

Share of turn time: NLU parse {share:.0%}, conversation log (reading the events, masking
and appending them) {data['tracker_share']:.0%}, the rest (policy, store reads and writes
through the tools, replies) {1 - share - data['tracker_share']:.0%}.
Target p50 ≤ {TARGET_P50_MS:.0f} ms and p95 ≤ {TARGET_P95_MS:.0f} ms: this run {verdict} it
(p50 {p50:.1f} ms, p95 {p95:.1f} ms).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("conversations", nargs="*", type=Path,
                        default=[ROOT / "tests" / "conversations"])
    parser.add_argument("--model", type=Path, default=None,
                        help="trained kefu NLU model directory (default: the configured one)")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the conversations")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs")
    parser.add_argument("--profile", type=Path, default=None,
                        help="write a cProfile of the timed rounds to this file (for "
                             "`python -m pstats`); profiling slows every turn down")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = args.model
    if model is None:
        from kefu.dialogue.setup import ensure_default_model
        from kefu.settings import get_settings

        model = ensure_default_model(get_settings())
    load_before = load_average()
    data = run(args.conversations, model, args.rounds, args.profile)
    command = "python benchmarks/dialogue_latency.py " + " ".join(sys.argv[1:])
    body = report(data, command.strip(), load_before, load_average())
    print(body)
    if not args.no_write:
        print(f"wrote {write_section('dialogue_latency', body)}")


if __name__ == "__main__":
    main()
