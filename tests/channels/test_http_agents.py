"""Agents over HTTP: sign-in, the hand-off queue, take-over, live replies, hand-back, and
the admin figures."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from tests.channels.conftest import AGENT_PASSWORD

pytestmark = pytest.mark.slow


def say(client: Any, text: str, conversation_id: str | None = None) -> dict[str, Any]:
    response = client.post("/api/v1/chat", json={"text": text,
                                                 "conversation_id": conversation_id})
    assert response.status_code == 200, response.text
    return response.json()


def login(client: Any, name: str, password: str = AGENT_PASSWORD) -> Any:
    return client.post("/api/v1/agent/login", json={"name": name, "password": password})


def test_sign_in_with_a_password_or_an_api_key(client: Any, agents: dict[str, str]) -> None:
    assert client.get("/api/v1/agent/queue").status_code == 401
    assert login(client, "alice", "wrong password").status_code == 401
    assert login(client, "nobody").status_code == 401
    signed = login(client, "alice")
    assert signed.status_code == 200 and signed.json() == {"name": "alice", "role": "agent"}
    assert client.get("/api/v1/agent/me").json()["name"] == "alice"
    client.post("/api/v1/agent/logout")
    client.cookies.clear()
    assert client.get("/api/v1/agent/me").status_code == 401
    me = client.get("/api/v1/agent/me", headers={"X-API-Key": agents["bob"]})
    assert me.json()["name"] == "bob"
    client.cookies.set("kefu_agent", "forged.cookie")
    assert client.get("/api/v1/agent/me").status_code == 401


def test_take_over_reply_and_hand_back(client: Any, agents: dict[str, str]) -> None:
    start = say(client, "hello")
    cid, key = start["conversation_id"], start["access_key"]
    handed = say(client, "I want to talk to a human", cid)
    assert handed["handoff"] is True
    login(client, "alice")
    queue = client.get("/api/v1/agent/queue").json()
    item = next(q for q in queue if q["conversation_id"] == cid)
    assert item["status"] == "open" and "last message" in item["summary"]

    taken = client.post(f"/api/v1/agent/conversations/{cid}/take")
    assert taken.status_code == 200 and taken.json()["agent"] == "alice"
    bob = {"Authorization": f"Bearer {agents['bob']}"}
    clash = client.post(f"/api/v1/agent/conversations/{cid}/take", headers=bob)
    assert clash.status_code == 409 and "alice" in clash.json()["error"]["message"]
    assert client.post(f"/api/v1/agent/conversations/{cid}/reply", headers=bob,
                       json={"text": "hi"}).status_code == 409
    assert client.get("/api/v1/agent/queue").json()[0]["status"] == "taken"

    waiting = say(client, "are you there? my order never arrived", cid)
    assert waiting["replies"] == [] and waiting["agent"] == "alice" and waiting["handoff"]
    sent = client.post(f"/api/v1/agent/conversations/{cid}/reply",
                       json={"text": "Hi, I'm Alice. Let me check your order."})
    assert sent.status_code == 200 and sent.json()["role"] == "agent"

    lines = client.get(f"/api/v1/conversations/{cid}?key={key}").json()["lines"]
    assert [x["role"] for x in lines[-3:]] == ["system", "customer", "agent"]
    assert lines[-1]["agent"] == "alice" and lines[-2]["intent"] is None

    back = client.post(f"/api/v1/agent/conversations/{cid}/handback")
    assert back.status_code == 200 and back.json()["agent"] is None
    assert all(q["conversation_id"] != cid for q in client.get("/api/v1/agent/queue").json())
    again = say(client, "what promotions do you have?", cid)
    assert again["replies"] and again["agent"] is None and again["handoff"] is False


def test_the_conversation_stream_carries_agent_replies(client: Any,
                                                       agents: dict[str, str]) -> None:
    start = say(client, "please transfer me to a human agent")
    cid, key = start["conversation_id"], start["access_key"]
    bob = {"Authorization": f"Bearer {agents['bob']}"}
    client.post(f"/api/v1/agent/conversations/{cid}/take", headers=bob)
    seen = client.get(f"/api/v1/conversations/{cid}?key={key}").json()["event_count"] - 1
    received: list[dict[str, Any]] = []

    def listen() -> None:
        with client.stream("GET", f"/api/v1/conversations/{cid}/stream?key={key}"
                                  f"&after={seen}") as stream:
            for line in stream.iter_lines():
                if line.startswith("data: "):
                    received.append(json.loads(line[6:]))
                    if received[-1]["role"] == "agent":
                        return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    client.post(f"/api/v1/agent/conversations/{cid}/reply", headers=bob,
                json={"text": "Bob here, how can I help?"})
    listener.join(timeout=60)
    assert received and received[-1]["text"] == "Bob here, how can I help?"


def test_admin_figures_for_admins_only(client: Any, agents: dict[str, str]) -> None:
    say(client, "hello")
    handed = say(client, "转人工")
    assert handed["handoff"]
    bob = {"Authorization": f"Bearer {agents['bob']}"}
    assert client.get("/api/v1/admin/stats", headers=bob).status_code == 403
    root = {"Authorization": f"Bearer {agents['root']}"}
    stats = client.get("/api/v1/admin/stats", headers=root).json()
    assert stats["conversations"] == 2 and stats["engaged"] == 2 and stats["handoffs"] == 1
    assert stats["containment_rate"] == pytest.approx(0.5)
    assert stats["handoff_rate"] == pytest.approx(0.5)
    assert stats["intents"]["greeting"] == 1 and stats["latency_p50_ms"] > 0
    rows = client.get("/api/v1/admin/conversations", headers=root).json()
    assert len(rows) == 2 and {r["handed_off"] for r in rows} == {True, False}
    assert "text" not in rows[0]  # the list carries no message text


def test_an_agent_taking_over_mid_turn_gets_the_message(client: Any) -> None:
    """The agent takes the conversation after the serve layer looked but before the turn
    took the lock: the guard inside the lock hands the message to the agent."""
    import dataclasses
    from datetime import UTC, datetime

    from kefu.agents import AgentInfo

    service = client.app.state.kefu.service
    start = say(client, "hello")
    cid = start["conversation_id"]
    stale = service.state(cid)
    agent = AgentInfo("carol", "agent", True, False, True, datetime.now(UTC))
    service.take(cid, agent)
    looked = service.state
    service.state = lambda _cid: dataclasses.replace(stale)  # what the earlier look saw
    try:
        result = service.chat("is anyone there?", cid)
    finally:
        service.state = looked
    assert result.replies == () and result.agent == "carol"
    lines = service.transcript(cid).lines
    assert [x.role for x in lines[-2:]] == ["system", "customer"]
    assert lines[-1].text == "is anyone there?"
