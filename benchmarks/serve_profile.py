"""Where a served turn's time goes: one ``kefu serve`` worker (uvicorn, in this process)
over a fresh demo shop, C closed-loop conversations through ``POST /api/v1/chat``, and the
time of each part of the server path per message.

    .venv/bin/python benchmarks/serve_profile.py [--concurrency 1,8] [--seconds 15]
        [--tracker-url redis://127.0.0.1:6379/14] [--nlu-model DIR]

The parts are timed by wrapping them on the running app's objects (tracker store reads,
appends with and without masking, the conversation lock, the NLU batcher's wait and its
batches, the encoder, entity extraction, the dialogue policy); an asyncio task measures how
late the event loop wakes from 5 ms sleeps, which shows blocking calls on the loop. Each
concurrency level prints its table; nothing is written to docs/benchmarks.md. One process
is one worker: ``kefu serve --workers 2`` splits the conversations over two of these.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCRIPT = ("hello", "what promotions do you have right now?",
          "do you have wireless earbuds in stock?", "你好", "有什么优惠活动吗？", "thanks, bye")


class Timings:
    """Durations per part, from any thread."""

    def __init__(self) -> None:
        self.parts: dict[str, list[float]] = defaultdict(list)
        self.batch_sizes: list[int] = []
        self.loop_lags: list[float] = []
        self.guard = threading.Lock()

    def add(self, part: str, seconds: float) -> None:
        with self.guard:
            self.parts[part].append(seconds)

    def clear(self) -> None:
        self.parts.clear()
        self.batch_sizes.clear()
        self.loop_lags.clear()

    def wrap(self, owner: Any, name: str, part: str,
             also: Callable[[Any], None] | None = None) -> None:
        """Time ``owner.name(...)`` as ``part`` from now on."""
        inner = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.add(part, time.perf_counter() - started)
                if also is not None:
                    also(args)

        setattr(owner, name, timed)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000 if ordered \
        else float("nan")


def instrument(app: Any, timings: Timings) -> None:
    service = app.state.kefu.service
    masking = service.guard.inner
    backend = getattr(masking, "inner", masking)
    timings.wrap(service, "chat", "server turn (ChatService.chat)")
    timings.wrap(backend, "events", "tracker: read and decode events")
    timings.wrap(backend, "append", "tracker: write events")
    timings.wrap(masking, "append", "tracker: mask and write events")
    lock = backend.lock

    def timed_lock(conversation_id: str, timeout: float = 10.0) -> Any:
        @contextmanager
        def held() -> Iterator[None]:
            started = time.perf_counter()
            with lock(conversation_id, timeout):
                timings.add("conversation lock: acquire", time.perf_counter() - started)
                yield

        return held()

    backend.lock = timed_lock
    nlu = service.assistant.components.nlu
    timings.wrap(nlu, "parse", "NLU: wait for and run a batch")
    parser = getattr(nlu, "inner", nlu)
    timings.wrap(parser, "parse_batch", "NLU batch (all texts)",
                 also=lambda args: timings.batch_sizes.append(len(args[0])))
    timings.wrap(parser.classifier, "predict", "NLU batch: encoder and head")
    if getattr(parser, "extractor", None) is not None:
        timings.wrap(parser.extractor, "extract", "NLU: entities (per text)")
    import kefu.dialogue.policy as policy

    timings.wrap(policy, "decide", "dialogue policy (decide)")

    async def probe() -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            timings.loop_lags.append(time.perf_counter() - started - 0.005)

    async def start_probe() -> None:
        asyncio.get_running_loop().create_task(probe())

    app.router.on_startup.append(start_probe)


async def customers(url: str, concurrency: int, seconds: float) -> list[float]:
    import httpx

    latencies: list[float] = []

    async def customer(client: httpx.AsyncClient, stop_at: float) -> None:
        while time.monotonic() < stop_at:
            conversation = None
            for text in SCRIPT:
                if time.monotonic() >= stop_at:
                    return
                started = time.perf_counter()
                response = await client.post(f"{url}/api/v1/chat", json={
                    "text": text, "conversation_id": conversation})
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()
                conversation = response.json()["conversation_id"]

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        stop_at = time.monotonic() + seconds
        await asyncio.gather(*(customer(client, stop_at) for _ in range(concurrency)))
    return latencies


def report(concurrency: int, latencies: list[float], wall: float, cpu: float,
           timings: Timings) -> str:
    sizes = timings.batch_sizes or [0]
    lags = timings.loop_lags
    lines = [
        f"{concurrency} concurrent: {len(latencies)} messages in {wall:.1f} s "
        f"({len(latencies) / wall:.1f}/s), client latency p50 {percentile(latencies, .5):.0f} "
        f"p95 {percentile(latencies, .95):.0f} ms; process CPU {cpu / wall * 100:.0f}% of a "
        f"core; load average {os.getloadavg()[0]:.1f}",
        f"NLU batches: {len(timings.batch_sizes)}, mean size {statistics.mean(sizes):.2f}, "
        f"largest {max(sizes)}; event loop late by p50 {percentile(lags, .5):.1f}, p99 "
        f"{percentile(lags, .99):.1f} ms",
        "| part | calls | mean ms | p95 ms | total s |", "|---|---:|---:|---:|---:|"]
    for part, values in sorted(timings.parts.items(), key=lambda kv: -sum(kv[1])):
        lines.append(f"| {part} | {len(values)} | {statistics.mean(values) * 1000:.1f} | "
                     f"{percentile(values, .95):.1f} | {sum(values):.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--tracker-url", default=None,
                        help="Default: Redis db 14 under a fresh key prefix.")
    parser.add_argument("--nlu-model", default=os.environ.get("KEFU_NLU_MODEL"))
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # as each of `kefu serve --workers 2`
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import uvicorn

    from kefu.channels.http import create_app
    from kefu.settings import load_settings
    from kefu.store import open_store
    from kefu.store.demo import REFERENCE_DATE, build_demo_store

    home = Path(tempfile.mkdtemp(prefix="kefu-profile-"))
    store_url = f"sqlite:///{home / 'store.db'}"
    store = open_store(store_url)
    build_demo_store(store)
    store.dispose()
    tracker_url = args.tracker_url or \
        f"redis://127.0.0.1:6379/14?key_prefix=kefu-profile-{uuid.uuid4().hex[:8]}:"
    overrides: dict[str, Any] = {"nlu_model": args.nlu_model} if args.nlu_model else {}
    settings = load_settings(home=home, database_url=store_url, tracker_url=tracker_url,
                             rate_limit_per_minute=0, store_frozen_at=REFERENCE_DATE,
                             **overrides)
    app = create_app(settings)
    timings = Timings()
    instrument(app, timings)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(customers(url, 2, 4))  # warm-up
        for concurrency in (int(c) for c in args.concurrency.split(",")):
            timings.clear()
            cpu, started = time.process_time(), time.perf_counter()
            latencies = asyncio.run(customers(url, concurrency, args.seconds))
            wall = time.perf_counter() - started
            print(report(concurrency, latencies, wall, time.process_time() - cpu, timings))
            print()
    finally:
        server.should_exit = True
        thread.join(10)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
