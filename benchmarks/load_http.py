"""Load on ``kefu serve``: latency percentiles and throughput at 1, 16 and 64 concurrent
conversations, with the error count.

    .venv/bin/python benchmarks/load_http.py [--url http://host:port] [--workers 2]
        [--tracker-url redis://127.0.0.1:6379/14] [--nlu-model DIR] [--levels 1,16,64]
        [--seconds 20] [--think 0,2] [--server-keep-alive S] [--no-write]

Without ``--url`` it starts ``kefu serve --workers N`` over a fresh demo shop (SQLite store,
conversations in Redis by default; PostgreSQL with ``--tracker-url postgresql+psycopg://...``)
and stops it afterwards. Each simulated customer runs conversations of six messages (English
and Chinese: greeting, promotions, stock, hand-picked questions) through ``POST /api/v1/chat``,
one message after the reply to the previous one: with no pause (closed loop, the server is
saturated), then waiting ``--think`` seconds between messages as a person typing would.
Each customer has its own keep-alive connection and sends each message with a fresh
message id; a message whose connection fails before the answer is sent again with the
same id (counted as *resent*; the server answers it once). Latency is measured at the
client (first attempt sent to response read). Writes the section ``load_http`` of
docs/benchmarks.md; the started server's log is kept (its path is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import machine, today, write_section  # noqa: E402

if TYPE_CHECKING:
    import httpx

RETRIES = 2  # resends of a message whose connection failed

SCRIPT = ("hello", "what promotions do you have right now?",
          "do you have wireless earbuds in stock?", "你好", "有什么优惠活动吗？", "thanks, bye")


@dataclass
class Level:
    concurrency: int
    think: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    retry_kinds: dict[str, int] = field(default_factory=dict)  # connection failures resent
    replays: int = 0  # resent messages the server had answered already
    seconds: float = 0.0

    @staticmethod
    def count(kinds: dict[str, int], exc: BaseException) -> None:
        kind = f"{type(exc).__name__}: {exc}"[:80] if str(exc) else type(exc).__name__
        kinds[kind] = kinds.get(kind, 0) + 1

    @property
    def retries(self) -> int:
        return sum(self.retry_kinds.values())

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def send(client: httpx.AsyncClient, url: str, level: Level,
               body: dict[str, str | None]) -> httpx.Response:
    """POST one message; resend it with the same message id when the connection failed
    before the answer came back (what the documented client does: the server answers a
    retry of an answered message id with the first answer, so nothing runs twice). A
    timeout is not retried: the server may still be working on it."""
    import httpx

    for attempt in range(RETRIES + 1):
        try:
            return await client.post(f"{url}/api/v1/chat", json=body)
        except httpx.TransportError as exc:
            if isinstance(exc, httpx.TimeoutException) or attempt == RETRIES:
                raise
            level.count(level.retry_kinds, exc)
    raise AssertionError("unreachable")


async def customer(client: httpx.AsyncClient, url: str, level: Level, stop_at: float) -> None:
    rng = random.Random()
    if level.think:  # customers arrive independently, not all in the same instant
        await asyncio.sleep(rng.uniform(0, level.think))
    while time.monotonic() < stop_at:
        conversation: str | None = None
        for text in SCRIPT:
            if time.monotonic() >= stop_at:
                return
            started = time.perf_counter()
            try:
                response = await send(client, url, level, {
                    "text": text, "conversation_id": conversation,
                    "message_id": uuid.uuid4().hex})
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise RuntimeError(f"HTTP {response.status_code}")
                answer = response.json()
                conversation = answer["conversation_id"]
                level.replays += bool(answer.get("replayed"))
                level.latencies.append(elapsed)
            except Exception as exc:  # every failure is counted, none stops the run
                level.errors += 1
                level.count(level.error_kinds, exc)
                break
            if level.think:
                await asyncio.sleep(rng.uniform(0.5, 1.5) * level.think)


async def run_level(url: str, concurrency: int, seconds: float, think: float) -> Level:
    """``concurrency`` customers, each with its own keep-alive connection, as browsers have.
    (One pool shared by all of them is not what a server sees from its customers, and
    httpcore's pool, under 64 requests at once, hands every waiting request the same free
    connection while others stay idle: requests wait in the client for seconds.)"""
    import httpx

    level = Level(concurrency, think)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(timeout=60, limits=limits) for _ in range(concurrency)]
    started = time.monotonic()
    stop_at = started + seconds
    try:
        await asyncio.gather(*(customer(client, url, level, stop_at) for client in clients))
    finally:
        level.seconds = time.monotonic() - started
        await asyncio.gather(*(client.aclose() for client in clients))
    return level


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(workers: int, tracker_url: str, nlu_model: str | None, home: Path,
                 keep_alive: int | None) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env.update({"KEFU_HOME": str(home), "KEFU_TRACKER_URL": tracker_url,
                "KEFU_RATE_LIMIT_PER_MINUTE": "0", "HF_HUB_OFFLINE": "1",
                "KEFU_LOG_LEVEL": "WARNING"})
    if nlu_model:
        env["KEFU_NLU_MODEL"] = nlu_model
    log = (home / "serve.log").open("wb")
    command = [sys.executable, "-m", "kefu.cli.app", "serve", "--demo", "--workers",
               str(workers), "--port", str(port), "--log-level", "info"]
    if keep_alive is not None:
        command += ["--keep-alive", str(keep_alive)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"kefu serve exited: {(home / 'serve.log').read_text()[-2000:]}")
        try:
            if all(httpx.get(f"{url}/ready", timeout=30).status_code == 200
                   for _ in range(workers * 3)):
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(1)
    process.terminate()
    raise SystemExit("kefu serve did not get ready in 15 minutes")


def load_average() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def started_backend() -> str:
    """The encoder backend of a server this script starts (it inherits these settings)."""
    from kefu.settings import get_settings

    return get_settings().nlu_backend


def report(levels: list[Level], workers: int, tracker: str, command: str,
           backend: str) -> str:
    lines = [
        "## HTTP load (`kefu serve`)", "",
        f"`{command}` on {today()}: {machine()}; {workers} worker(s), conversations in "
        f"{tracker}, demo shop in SQLite, real NLU model (encoder backend "
        f"{backend}). Each customer sends six-message "
        "conversations (English and Chinese) over its own connection, the next message after "
        "the previous reply, "
        "either at once (pause 0: a closed loop that saturates the server) or after a pause "
        "like a person typing (the mean; each pause is drawn between half and 1.5 times it, "
        "and customers start at random moments). Latency is measured at the client. "
        f"Load average of the machine after the run: {load_average()}.", "",
        "| concurrent conversations | pause s | messages | p50 ms | p95 ms | p99 ms "
        "| messages/s | errors | resent |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for level in levels:
        lines.append(f"| {level.concurrency} | {level.think:g} | {len(level.latencies)} | "
                     f"{level.percentile(0.5):.0f} | {level.percentile(0.95):.0f} | "
                     f"{level.percentile(0.99):.0f} | {level.throughput:.1f} | "
                     f"{level.errors} | {level.retries} |")
    lines += ["", "*resent*: messages the client sent again, with the same message id, after "
              "the connection failed before the answer; the server answered "
              f"{sum(level.replays for level in levels)} of them from the first attempt."]
    for name, attribute in (("Errors", "error_kinds"), ("Resent after", "retry_kinds")):
        kinds: dict[str, int] = {}
        for level in levels:
            for kind, n in getattr(level, attribute).items():
                kinds[kind] = kinds.get(kind, 0) + n
        if kinds:
            lines += ["", f"{name}: " + ", ".join(f"{k} ({v})" for k, v in kinds.items())]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="A running kefu server (default: start one).")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tracker-url", default=None,
                        help="Where the started server keeps conversations "
                        "(default: Redis db 14 under a fresh key prefix).")
    parser.add_argument("--nlu-model", default=os.environ.get("KEFU_NLU_MODEL"))
    parser.add_argument("--levels", default="1,16,64")
    parser.add_argument("--seconds", type=float, default=20.0, help="Per level.")
    parser.add_argument("--think", default="0,2",
                        help="Seconds a customer waits after each reply; one run per value.")
    parser.add_argument("--server-keep-alive", type=int, default=None,
                        help="Seconds the started server keeps idle connections "
                        "(default: kefu serve's).")
    parser.add_argument("--section", default="load_http")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    process = None
    tracker = "the running server's tracker store"
    url = args.url
    if url is None:
        tracker_url = args.tracker_url or \
            f"redis://127.0.0.1:6379/14?key_prefix=kefu-bench-{uuid.uuid4().hex[:8]}:"
        tracker = "Redis" if tracker_url.startswith("redis") else "PostgreSQL" \
            if tracker_url.startswith("postgresql") else tracker_url
        home = Path(tempfile.mkdtemp(prefix="kefu-bench-"))
        print(f"starting kefu serve --workers {args.workers} in {home}", file=sys.stderr)
        process, url = start_server(args.workers, tracker_url, args.nlu_model, home,
                                    args.server_keep_alive)
    try:
        asyncio.run(run_level(url, 4, 5, 0))  # warm-up: every worker answers a few
        levels = []
        runs = [(float(t), int(c)) for t in args.think.split(",") for c in args.levels.split(",")]
        for think, concurrency in runs:
            level = asyncio.run(run_level(url, concurrency, args.seconds, think))
            print(f"{concurrency:3d} concurrent, pause {think:g} s: {len(level.latencies)} "
                  f"messages, p50 "
                  f"{level.percentile(0.5):.0f} ms, p95 {level.percentile(0.95):.0f} ms, p99 "
                  f"{level.percentile(0.99):.0f} ms, {level.throughput:.1f}/s, "
                  f"{level.errors} errors, {level.retries} resent {level.retry_kinds}",
                  file=sys.stderr)
            levels.append(level)
    finally:
        if process is not None:
            process.terminate()
            process.wait(30)
            print(f"server log: {home / 'serve.log'}", file=sys.stderr)
    command = "python benchmarks/load_http.py " + " ".join(sys.argv[1:])
    backend = f"`{started_backend()}`" if args.url is None else "as configured there"
    body = report(levels, args.workers if args.url is None else 0, tracker, command.strip(),
                  backend)
    print(body)
    if not args.no_write:
        print(f"wrote {write_section(args.section, body)}", file=sys.stderr)


if __name__ == "__main__":
    main()
