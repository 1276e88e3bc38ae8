"""The chat over a WebSocket: the frames of a turn, the same errors as POST /api/v1/chat
without losing the connection, retries on a new connection, and the origin check."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.channels.conftest import make_client, serve_settings

pytestmark = pytest.mark.slow
URL = "/api/v1/chat/ws"


def turn(socket: Any, body: dict[str, Any] | str | bytes) -> list[dict[str, Any]]:
    """Send one frame; the frames answering it, up to ``done`` or ``error``."""
    if isinstance(body, bytes):
        socket.send_bytes(body)
    else:
        socket.send_text(body if isinstance(body, str) else json.dumps(body))
    frames = []
    while True:
        frames.append(json.loads(socket.receive_text()))
        if frames[-1]["event"] in ("done", "error"):
            return frames


def error_of(frames: list[dict[str, Any]], status: int, code: str) -> dict[str, Any]:
    assert [f["event"] for f in frames] == ["error"], frames
    data = dict(frames[0]["data"])
    assert data["status"] == status and data["code"] == code and data["message"], data
    return data


def test_a_conversation_over_one_socket(client: Any) -> None:
    with client.websocket_connect(URL) as socket:
        first = turn(socket, {"text": "hello", "message_id": "m-" + uuid.uuid4().hex})
        events = [f["event"] for f in first]
        assert events[0] == "typing" and events[-1] == "done" and "reply" in events
        done = first[-1]["data"]
        assert done["replies"] == [f["data"] for f in first if f["event"] == "reply"]
        assert done["conversation_id"].startswith("c_") and done["intent"]["name"] == "greeting"
        assert {f["message_id"] for f in first} == {first[0]["message_id"]}
        second = turn(socket, {"text": "你好，请问有什么优惠活动吗？",
                               "conversation_id": done["conversation_id"]})
        assert second[-1]["data"]["conversation_id"] == done["conversation_id"]
        assert second[-1]["data"]["language"] == "zh"
    lines = client.get(f"/api/v1/conversations/{done['conversation_id']}",
                       headers={"X-Conversation-Key": done["access_key"]}).json()["lines"]
    assert [x["text"] for x in lines if x["role"] == "customer"] == [
        "hello", "你好，请问有什么优惠活动吗？"]


def test_errors_answer_the_message_and_keep_the_connection(client: Any) -> None:
    with client.websocket_connect(URL) as socket:
        error_of(turn(socket, {"text": ""}), 422, "invalid_input")
        too_long = error_of(turn(socket, {"text": "a" * 2001}), 413, "message_too_long")
        assert "2001" in too_long["message"]
        assert "not valid JSON" in error_of(turn(socket, "{oops"), 422,
                                            "invalid_request")["message"]
        assert "text" in error_of(turn(socket, {"txt": "hello"}), 422,
                                  "invalid_request")["message"]
        error_of(turn(socket, b"\x00binary"), 422, "invalid_request")
        error_of(turn(socket, {"text": "hi", "lang": "fr"}), 422, "invalid_request")
        error_of(turn(socket, {"text": "hi", "conversation_id": "c_nope"}), 404, "not_found")
        error_of(turn(socket, {"text": "hi", "customer_token": "garbage"}), 401,
                 "unauthorized")
        bad_id = turn(socket, {"text": "hi", "message_id": "short"})
        assert "'short'" in error_of(bad_id, 422, "invalid_input")["message"]
        ok = turn(socket, {"text": "hello"})
        assert ok[-1]["event"] == "done" and ok[-1]["data"]["replies"]
    metrics = client.get("/metrics").text
    assert 'kefu_errors_total{code="not_found",status="404"} 1.0' in metrics


def test_a_retry_on_a_new_connection_gets_the_first_answer(client: Any) -> None:
    mid = str(uuid.uuid4())
    with client.websocket_connect(URL) as socket:
        first = turn(socket, {"text": "what promotions do you have?", "message_id": mid})[-1]
    with client.websocket_connect(URL) as socket:  # the widget reconnects and resends
        again = turn(socket, {"text": "what promotions do you have?", "message_id": mid})[-1]
    assert first["data"]["replayed"] is False and again["data"]["replayed"] is True
    assert again["data"]["replies"] == first["data"]["replies"]
    assert again["data"]["conversation_id"] == first["data"]["conversation_id"]


def test_too_many_messages_and_foreign_origins(shop: Any, masker: Any,
                                               tmp_path: Path) -> None:
    settings = serve_settings(tmp_path, rate_limit_per_minute=2,
                              cors_origins=["https://shop.example"])
    with make_client(*shop, masker, settings) as client:
        with pytest.raises(WebSocketDisconnect) as refused, \
                client.websocket_connect(URL, headers={"origin": "https://evil.example"}):
            pass
        assert refused.value.code == 1008
        with client.websocket_connect(URL, headers={"origin": "https://shop.example"}) as socket:
            assert turn(socket, {"text": "hello"})[-1]["event"] == "done"
            assert turn(socket, {"text": "hello"})[-1]["event"] == "done"
            limited = error_of(turn(socket, {"text": "hello"}), 429, "too_many_requests")
            assert limited["retry_after"] >= 1
        with client.websocket_connect(URL, headers={"origin": "http://testserver"}):
            pass  # the same origin as kefu itself
