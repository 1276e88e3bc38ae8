"""A retried message is processed once: the retry gets the first attempt's answer, on a
new conversation, an existing one, one an agent holds, and when both arrive at once."""

from __future__ import annotations

import importlib
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from kefu.channels.http.idempotency import check_message_id, conversation_id_for
from kefu.errors import InvalidInput
from tests.channels.conftest import run_async
from tests.dialogue.engine_support import find_shopper, order_status

pytestmark = pytest.mark.slow


def send(client: Any, text: str, message_id: str, conversation_id: str | None = None,
         **extra: Any) -> dict[str, Any]:
    response = client.post("/api/v1/chat", json={"text": text, "message_id": message_id,
                                                 "conversation_id": conversation_id, **extra})
    assert response.status_code == 200, response.text
    return dict(response.json())


def customer_lines(client: Any, first: dict[str, Any]) -> list[dict[str, Any]]:
    transcript = client.get(f"/api/v1/conversations/{first['conversation_id']}",
                            headers={"X-Conversation-Key": first["access_key"]}).json()
    return [line for line in transcript["lines"] if line["role"] == "customer"]


def same_answer(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("conversation_id", "replies", "handoff", "language", "agent", "access_key")
    return all(a[k] == b[k] for k in keys) and a["intent"]["name"] == b["intent"]["name"]


def test_the_retry_of_a_first_message_reaches_the_same_conversation(client: Any) -> None:
    mid = str(uuid.uuid4())
    first = send(client, "hello", mid)
    retry = send(client, "hello", mid)
    assert first["replayed"] is False and retry["replayed"] is True
    assert same_answer(first, retry)
    lines = customer_lines(client, first)
    assert [(x["text"], x["message_id"]) for x in lines] == [("hello", mid)]
    other = send(client, "hello", str(uuid.uuid4()))
    assert other["conversation_id"] != first["conversation_id"]


def test_a_retried_confirmation_cancels_the_order_once(client: Any, shop: Any) -> None:
    shopper = find_shopper(shop[0], chinese=False, pending=1)
    order_id = shopper.of("pending")[0]["order_id"]
    start = send(client, "I want to cancel an order", str(uuid.uuid4()))
    cid = start["conversation_id"]
    send(client, f"my email is {shopper.email}", str(uuid.uuid4()), cid)
    send(client, order_id, str(uuid.uuid4()), cid)
    send(client, "I ordered it by mistake", str(uuid.uuid4()), cid)
    mid = str(uuid.uuid4())
    done = send(client, "yes", mid, cid)
    assert order_status(shop[0], order_id) == "cancelled"
    again = client.post("/api/v1/chat", json={"text": "yes", "conversation_id": cid},
                        headers={"Idempotency-Key": mid}).json()
    assert again["replayed"] is True and same_answer(done, again)
    events = client.app.state.kefu.service.tracker.events(cid)
    cancels = [e for e in events if getattr(e, "name", None) == "cancel_pending_order"]
    assert len(cancels) == 1, cancels
    assert [x["message_id"] for x in customer_lines(client, start)].count(mid) == 1
    metrics = client.get("/metrics").text
    assert "kefu_replayed_messages_total 1.0" in metrics


def test_attempts_arriving_together_are_processed_once(client: Any) -> None:
    start = send(client, "hello", str(uuid.uuid4()))
    mid = str(uuid.uuid4())

    def attempt(_: int) -> dict[str, Any]:
        return send(client, "what promotions do you have?", mid, start["conversation_id"])

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(attempt, range(6)))
    assert sum(not a["replayed"] for a in answers) == 1
    assert all(same_answer(answers[0], a) for a in answers)
    texts = [x["text"] for x in customer_lines(client, start)]
    assert texts == ["hello", "what promotions do you have?"]


def test_first_attempts_arriving_together_open_one_conversation(client: Any) -> None:
    mid = str(uuid.uuid4())
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: send(client, "你好", mid), range(4)))
    assert len({a["conversation_id"] for a in answers}) == 1
    assert sum(not a["replayed"] for a in answers) == 1
    assert len(customer_lines(client, answers[0])) == 1


def test_a_retry_while_an_agent_holds_the_conversation(client: Any,
                                                       agents: dict[str, str]) -> None:
    asked = str(uuid.uuid4())
    start = send(client, "I want to talk to a human", asked)
    cid = start["conversation_id"]
    assert start["handoff"] is True and start["replies"]
    bob = {"Authorization": f"Bearer {agents['bob']}"}
    assert client.post(f"/api/v1/agent/conversations/{cid}/take",
                       headers=bob).status_code == 200
    mid = str(uuid.uuid4())
    held = send(client, "are you there?", mid, cid)
    again = send(client, "are you there?", mid, cid)
    assert held["agent"] == again["agent"] == "bob" and again["replies"] == []
    assert again["replayed"] is True
    assert [x["text"] for x in customer_lines(client, start)].count("are you there?") == 1
    # what kefu answered before the take-over is replayed as kefu's answer
    before = send(client, "I want to talk to a human", asked)
    assert before["replayed"] is True and same_answer(start, before)


def test_bad_message_ids_are_refused(client: Any) -> None:
    for bad in ("short", "x" * 101, "has spaces in it, ok?"):
        response = client.post("/api/v1/chat", json={"text": "hi", "message_id": bad})
        assert response.status_code == 422, bad
        assert bad[:20] in response.json()["error"]["message"]
    clash = client.post("/api/v1/chat", json={"text": "hi", "message_id": "a" * 20},
                        headers={"Idempotency-Key": "b" * 20})
    assert clash.status_code == 422 and "differ" in clash.json()["error"]["message"]
    stream = client.post("/api/v1/chat/stream", json={"text": "hi", "message_id": "short"})
    assert stream.status_code == 422


def test_message_ids_and_derived_conversation_ids() -> None:
    uid = "0b6f6a52-2d2f-4a9e-9d4c-7f1f3d7e5c11"
    assert check_message_id(uid) == uid
    with pytest.raises(InvalidInput, match="'nope'"):
        check_message_id("nope")
    one = conversation_id_for(uid, None, "secret")
    assert one == conversation_id_for(uid, None, "secret") and one.startswith("c_")
    assert len(one) == 34
    assert conversation_id_for(uid, "cust_1", "secret") != one  # scoped to the customer
    assert conversation_id_for(uid, None, "other secret") != one


class LosesFirstAnswer(httpx.AsyncBaseTransport):
    """An httpx transport over the app that drops the first answer after the server made
    it, as a connection closed under the client would: the client sees a ReadError."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.lost:
            return response
        self.lost += 1
        await response.aread()
        raise httpx.ReadError("the connection closed before the answer", request=request)


def test_the_load_benchmark_client_resends_a_lost_answer_once(
        client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """benchmarks/load_http.py resends with the same message id after a connection error
    (as docs/serving.md asks of clients); the server answers from the first attempt."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "benchmarks"))
    load_http = importlib.import_module("load_http")
    level = load_http.Level(1, 0.0)
    mid = str(uuid.uuid4())

    async def post() -> dict[str, Any]:
        transport = LosesFirstAnswer(client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kefu") as http:
            response = await load_http.send(http, "http://kefu", level,
                                            {"text": "hello", "message_id": mid})
        assert response.status_code == 200, response.text
        return dict(response.json())

    answer = run_async(post())
    assert answer["replayed"] is True and answer["replies"]
    assert level.retry_kinds == {"ReadError: the connection closed before the answer": 1}
    assert [x["message_id"] for x in customer_lines(client, answer)] == [mid]
