"""The chat API in process: conversations, verification and a cancellation over HTTP,
the streaming variant, transcripts and who may read them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kefu.identity import sign_customer_token
from tests.dialogue.engine_support import SECRET, find_shopper, order_status

pytestmark = pytest.mark.slow


def say(client: Any, text: str, conversation_id: str | None = None, **extra: Any) -> Any:
    response = client.post("/api/v1/chat", json={"text": text,
                                                 "conversation_id": conversation_id, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_new_conversation_gets_an_id_and_continues(client: Any) -> None:
    first = say(client, "hello")
    assert first["conversation_id"].startswith("c_") and first["replies"]
    assert first["intent"]["name"] == "greeting" and 0 < first["intent"]["confidence"] <= 1
    assert first["handoff"] is False and first["language"] == "en"
    second = say(client, "你好，请问有什么优惠活动吗？", first["conversation_id"])
    assert second["conversation_id"] == first["conversation_id"]
    assert second["language"] == "zh"
    other = say(client, "hello")
    assert other["conversation_id"] != first["conversation_id"]


def test_verify_by_email_and_cancel_an_order(client: Any, shop: Any) -> None:
    shopper = find_shopper(shop[0], chinese=False, pending=1)
    order_id = shopper.of("pending")[0]["order_id"]
    start = say(client, "I want to cancel an order")
    cid = start["conversation_id"]
    verified = say(client, f"my email is {shopper.email}", cid)
    assert shopper.first_name in " ".join(r["text"] for r in verified["replies"])
    say(client, order_id, cid)
    proposal = say(client, "I ordered it by mistake", cid)
    buttons = [b["payload"] for r in proposal["replies"] for b in r["buttons"]]
    assert buttons, proposal  # confirm / cancel quick replies
    assert order_status(shop[0], order_id) == "pending"
    say(client, "yes", cid)
    assert order_status(shop[0], order_id) == "cancelled"
    transcript = client.get(f"/api/v1/conversations/{cid}",
                            headers={"X-Conversation-Key": start["access_key"]}).json()
    texts = " ".join(line["text"] for line in transcript["lines"])
    assert shopper.email not in texts  # personal data is masked in what is stored
    assert transcript["verified"] and transcript["customer_id"] == shopper.user_id
    roles = [line["role"] for line in transcript["lines"]]
    assert roles.count("customer") == 5 and "bot" in roles


def test_a_customer_token_verifies_and_owns_the_conversation(client: Any,
                                                             shop: Any) -> None:
    shopper = find_shopper(shop[0], chinese=True, pending=1)
    token = sign_customer_token(shopper.user_id, SECRET)
    result = say(client, "我的订单到哪了", customer_token=token)
    cid = result["conversation_id"]
    assert result["language"] == "zh"
    mine = client.get(f"/api/v1/conversations/{cid}", headers={"X-Customer-Token": token})
    assert mine.status_code == 200 and mine.json()["customer_id"] == shopper.user_id
    other = find_shopper(shop[0], chinese=False)
    foreign = sign_customer_token(other.user_id, SECRET)
    read = client.get(f"/api/v1/conversations/{cid}", headers={"X-Customer-Token": foreign})
    assert read.status_code == 404
    write = client.post("/api/v1/chat", json={"text": "hi", "conversation_id": cid,
                                              "customer_token": foreign})
    assert write.status_code == 404 and write.json()["error"]["code"] == "not_found"


def test_reading_a_conversation_needs_a_credential(client: Any, agents: dict[str, str]) -> None:
    result = say(client, "hello")
    cid = result["conversation_id"]
    assert client.get(f"/api/v1/conversations/{cid}").status_code == 401
    assert client.get(f"/api/v1/conversations/{cid}",
                      headers={"X-Conversation-Key": "0" * 40}).status_code == 401
    assert client.get(f"/api/v1/conversations/{cid}?key={result['access_key']}").status_code == 200
    staff = client.get(f"/api/v1/conversations/{cid}",
                       headers={"Authorization": f"Bearer {agents['bob']}"})
    assert staff.status_code == 200 and staff.json()["lines"][0]["text"] == "hello"
    assert client.get("/api/v1/conversations/c_unknown",
                      headers={"Authorization": f"Bearer {agents['bob']}"}).status_code == 404
    bad_key = client.get(f"/api/v1/conversations/{cid}",
                         headers={"Authorization": "Bearer kefu_wrong"})
    assert bad_key.status_code == 401


def test_lang_forces_the_reply_language(client: Any) -> None:
    result = say(client, "hello", lang="zh")
    assert result["language"] == "zh"
    assert any("\u4e00" <= ch <= "\u9fff" for r in result["replies"] for ch in r["text"])


def _events(body: str) -> list[tuple[str, Any]]:
    out = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            out.append((fields["event"], json.loads(fields["data"])))
    return out


def test_the_streaming_variant_sends_typing_replies_then_done(client: Any) -> None:
    with client.stream("POST", "/api/v1/chat/stream", json={"text": "hello"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _events(response.read().decode())
    names = [name for name, _ in events]
    assert names[0] == "typing" and names[-1] == "done" and "reply" in names
    done = events[-1][1]
    assert done["replies"] == [data for name, data in events if name == "reply"]
    bad = client.post("/api/v1/chat/stream", json={"text": "  "})
    assert bad.status_code == 422  # bad input is refused before the stream starts


def test_health_ready_metrics_and_docs(client: Any) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {"tracker": "ok",
                                                                   "store": "ok"}
    say(client, "hello")
    client.post("/api/v1/chat", json={"text": ""})
    metrics = client.get("/metrics").text
    assert 'kefu_turns_total{handled_by="kefu"} 1.0' in metrics
    assert 'kefu_intents_total{intent="greeting"} 1.0' in metrics
    assert "kefu_turn_latency_seconds_bucket" in metrics
    assert 'kefu_errors_total{code="invalid_input",status="422"} 1.0' in metrics
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/chat", "/api/v1/chat/stream", "/api/v1/conversations/{conversation_id}",
            "/api/v1/agent/queue"} <= set(paths)


def test_pages_and_widget_are_served(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/widget.js" in page.text
    widget = client.get("/static/widget.js")
    assert widget.status_code == 200 and "kefuWidget" in widget.text
    assert "agent.js" in client.get("/agent").text
    assert "admin.js" in client.get("/admin").text


def test_a_turn_reads_the_conversation_once(client: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks before a turn (the conversation exists, is the customer's, no agent
    holds it, the message is not a retry) use the events the turn reads under its lock."""
    cid = say(client, "hello")["conversation_id"]
    backend = client.app.state.kefu.service.guard.inner.inner
    reads: list[str] = []
    read = backend.events

    def counted(conversation_id: str) -> Any:
        reads.append(conversation_id)
        return read(conversation_id)

    monkeypatch.setattr(backend, "events", counted)
    say(client, "what promotions do you have?", cid, message_id="m-" + "0" * 20)
    assert reads == [cid]
    unknown = client.post("/api/v1/chat", json={"text": "hi", "conversation_id": "c_nope"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
