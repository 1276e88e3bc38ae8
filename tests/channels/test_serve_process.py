"""A real ``kefu serve --workers 2`` on PostgreSQL (store) with conversations in PostgreSQL
or Redis: chat, bad input, simultaneous messages to one conversation, agent take-over, and
metrics added up over both workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from kefu.store.demo import REFERENCE_DATE
from tests.channels.test_http_concurrency import check_serialised
from tests.conftest import POSTGRES_URL, REDIS_URL, require_postgres, require_redis

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.xdist_group("serve")]
SECRET = "serve-process-secret"
START_TIMEOUT = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _schema() -> tuple[str, Any]:
    from sqlalchemy import create_engine, text

    schema = f"kefu_serve_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}", (admin, schema)


def _drop(handle: Any) -> None:
    from sqlalchemy import text

    admin, schema = handle
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


class Server:
    def __init__(self, base: str, env: dict[str, str], process: subprocess.Popen[bytes],
                 log: Path) -> None:
        self.base, self.env, self.process, self.log = base, env, process, log

    def cli(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run([sys.executable, "-m", "kefu.cli.app", *args], env=self.env,
                                input=stdin, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout


def start_server(env: dict[str, str], log: Path, workers: int = 2) -> Server:
    port = free_port()
    handle = log.open("wb")
    process = subprocess.Popen([sys.executable, "-m", "kefu.cli.app", "serve", "--workers",
                                str(workers), "--port", str(port), "--log-level", "warning"],
                               env=env, stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"kefu serve exited: {log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                # both workers answer once each has loaded; give the second a moment
                statuses = {httpx.get(f"{base}/ready", timeout=30).status_code
                            for _ in range(6)}
                if statuses == {200}:
                    return Server(base, env, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(1)
    process.terminate()
    raise AssertionError(f"kefu serve did not get ready: {log.read_text()[-3000:]}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(30)
    except subprocess.TimeoutExpired:
        server.process.kill()


def serve_environment(home: Path, store_url: str, tracker_url: str, model_dir: Path,
                      redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env.update({"KEFU_HOME": str(home), "KEFU_DATABASE_URL": store_url,
                "KEFU_TRACKER_URL": tracker_url, "KEFU_NLU_MODEL": str(model_dir),
                "KEFU_SECRET_KEY": SECRET, "KEFU_STORE_FROZEN_AT": REFERENCE_DATE.isoformat(),
                "KEFU_RATE_LIMIT_PER_MINUTE": "100000", "HF_HUB_OFFLINE": "1"})
    if redis_url:
        env["KEFU_REDIS_URL"] = redis_url
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


@pytest.fixture(scope="module", params=["postgres", pytest.param("redis",
                                                                 marks=pytest.mark.redis)])
def server(request: pytest.FixtureRequest, nlu_model_dir: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_postgres()
    if request.param == "redis":
        require_redis()
    from kefu.store import open_store
    from kefu.store.demo import build_demo_store

    store_url, handle = _schema()
    store = open_store(store_url)
    build_demo_store(store)
    store.dispose()
    prefix = f"kefu_test_{uuid.uuid4().hex[:10]}:"
    tracker_url = store_url if request.param == "postgres" else \
        f"{REDIS_URL}{'&' if '?' in REDIS_URL else '?'}key_prefix={prefix}"
    home = tmp_path_factory.mktemp(f"serve-{request.param}")
    env = serve_environment(home, store_url, tracker_url, nlu_model_dir, REDIS_URL
                            if request.param == "redis" else None)
    running = start_server(env, home / "serve.log")
    yield running
    stop(running)
    _drop(handle)
    if request.param == "redis":
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)


def post(base: str, body: Any, **kwargs: Any) -> Any:
    import httpx

    return httpx.post(f"{base}/api/v1/chat", json=body, timeout=60, **kwargs)


def test_chat_and_bad_input_on_a_real_server(server: Server) -> None:
    import httpx

    first = post(server.base, {"text": "hello"})
    assert first.status_code == 200 and first.json()["intent"]["name"] == "greeting"
    cid = first.json()["conversation_id"]
    chinese = post(server.base, {"text": "你好，请问有什么优惠活动吗？", "conversation_id": cid})
    assert chinese.json()["language"] == "zh"
    assert post(server.base, {"text": ""}).status_code == 422
    assert post(server.base, {"text": "x" * 5000}).status_code == 413
    assert post(server.base, {"text": "hi", "conversation_id": "c_none"}).status_code == 404
    assert post(server.base, {"text": "hi", "customer_token": "a.b"}).status_code == 401
    raw = httpx.post(f"{server.base}/api/v1/chat", content=b"{oops",
                     headers={"Content-Type": "application/json"})
    assert raw.status_code == 422 and raw.json()["error"]["code"] == "invalid_request"
    assert httpx.get(f"{server.base}/docs").status_code == 200


def test_simultaneous_messages_across_workers_are_serialised(server: Server) -> None:
    import httpx

    first = post(server.base, {"text": "hello"}).json()
    cid, key = first["conversation_id"], first["access_key"]
    sent = [f"hi again, message {i}" for i in range(24)]

    def send(text: str) -> int:
        with httpx.Client() as client:  # one connection each: requests spread over workers
            return client.post(f"{server.base}/api/v1/chat", timeout=120,
                               json={"text": text, "conversation_id": cid}).status_code

    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(send, sent))
    assert statuses == [200] * len(sent)
    lines = httpx.get(f"{server.base}/api/v1/conversations/{cid}?key={key}").json()["lines"]
    check_serialised(lines, ["hello", *sent])
    metrics = httpx.get(f"{server.base}/metrics").text
    turns = [line for line in metrics.splitlines()
             if line.startswith('kefu_turns_total{handled_by="kefu"}')]
    assert turns and float(turns[0].split()[-1]) >= 25  # counted over both workers


def test_agent_takes_over_on_any_worker(server: Server) -> None:
    import httpx

    name = f"ops{uuid.uuid4().hex[:6]}"
    output = server.cli("agents", "add", name, "--api-key")
    key = output.split("API key (shown once): ")[1].strip()
    assert name in server.cli("agents", "list")
    auth = {"Authorization": f"Bearer {key}"}
    start = post(server.base, {"text": "I want to speak to a human"}).json()
    cid = start["conversation_id"]
    assert start["handoff"] is True
    queue = httpx.get(f"{server.base}/api/v1/agent/queue", headers=auth).json()
    assert cid in [q["conversation_id"] for q in queue]
    agent_api = f"{server.base}/api/v1/agent/conversations/{cid}"
    assert httpx.post(f"{agent_api}/take", headers=auth).status_code == 200
    for _ in range(4):  # whichever worker gets it, kefu stays quiet
        held = post(server.base, {"text": "hello?", "conversation_id": cid}).json()
        assert held["replies"] == [] and held["agent"] == name
    assert httpx.post(f"{agent_api}/reply", headers=auth,
                      json={"text": "Hello, a person here."}).status_code == 200
    assert httpx.post(f"{agent_api}/handback", headers=auth).status_code == 200
    back = post(server.base, {"text": "hello", "conversation_id": cid}).json()
    assert back["replies"] and back["agent"] is None


def test_a_retry_on_another_worker_gets_the_first_answer(server: Server) -> None:
    import httpx

    mid = str(uuid.uuid4())
    first = post(server.base, {"text": "what promotions do you have?", "message_id": mid})
    assert first.status_code == 200 and first.json()["replayed"] is False
    answer = first.json()
    later = str(uuid.uuid4())

    def retry(_: int) -> dict[str, Any]:
        with httpx.Client() as client:  # one connection each: both workers get some
            return dict(client.post(f"{server.base}/api/v1/chat", timeout=120,
                                    headers={"Idempotency-Key": later},
                                    json={"text": "你好", "conversation_id":
                                          answer["conversation_id"]}).json())

    with ThreadPoolExecutor(6) as pool:  # the same message sent six times at once
        answers = list(pool.map(retry, range(6)))
    assert sum(not a["replayed"] for a in answers) == 1
    assert len({repr(a["replies"]) for a in answers}) == 1
    again = post(server.base, {"text": "what promotions do you have?", "message_id": mid})
    assert again.json()["replayed"] is True
    assert again.json()["conversation_id"] == answer["conversation_id"]
    assert again.json()["replies"] == answer["replies"]
    lines = httpx.get(f"{server.base}/api/v1/conversations/{answer['conversation_id']}",
                      params={"key": answer["access_key"]}).json()["lines"]
    assert [x["text"] for x in lines if x["role"] == "customer"] == [
        "what promotions do you have?", "你好"]
    metrics = httpx.get(f"{server.base}/metrics").text
    assert "kefu_replayed_messages_total 6.0" in metrics  # summed over both workers
