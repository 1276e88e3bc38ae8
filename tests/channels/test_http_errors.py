"""Bad input gets a clear 4xx and loses nothing; no request produces a 500."""

from __future__ import annotations

import random
import string
from pathlib import Path
from typing import Any

import pytest

from kefu.identity import sign_customer_token
from tests.channels.conftest import make_client, serve_settings
from tests.dialogue.engine_support import SECRET

pytestmark = pytest.mark.slow


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["code"] == code and body["message"]
    return body


def test_each_kind_of_bad_input_has_its_status(client: Any) -> None:
    post = client.post
    error(post("/api/v1/chat", json={"text": ""}), 422, "invalid_input")
    error(post("/api/v1/chat", json={"text": " \n\t"}), 422, "invalid_input")
    too_long = error(post("/api/v1/chat", json={"text": "a" * 2001}), 413, "message_too_long")
    assert "2001" in too_long["message"] and "2000" in too_long["message"]
    error(post("/api/v1/chat", content=b"{not json", headers={"Content-Type":
                                                               "application/json"}),
          422, "invalid_request")
    error(post("/api/v1/chat", json={"txt": "hello"}), 422, "invalid_request")
    error(post("/api/v1/chat", json={"text": 42}), 422, "invalid_request")
    error(post("/api/v1/chat", json=["hello"]), 422, "invalid_request")
    error(post("/api/v1/chat", json={"text": "hi", "lang": "fr"}), 422, "invalid_request")
    error(post("/api/v1/chat", json={"text": "hi", "conversation_id": "c_nope"}),
          404, "not_found")
    error(post("/api/v1/chat", json={"text": "hi", "conversation_id": "x" * 200}),
          422, "invalid_request")
    error(post("/api/v1/chat", json={"text": "hi", "customer_token": "garbage"}),
          401, "unauthorized")
    expired = sign_customer_token("some_user", SECRET, ttl=1, now=1_000_000)
    assert "expired" in error(post("/api/v1/chat", json={"text": "hi",
                                                          "customer_token": expired}),
                              401, "unauthorized")["message"]
    forged = sign_customer_token("some_user", "another-secret")
    error(post("/api/v1/chat", json={"text": "hi", "customer_token": forged}), 401,
          "unauthorized")
    error(client.get("/api/v1/nothing-here"), 404, "http_error")
    error(client.put("/api/v1/chat", json={"text": "hi"}), 405, "http_error")


def test_a_refused_message_loses_nothing(client: Any) -> None:
    first = client.post("/api/v1/chat", json={"text": "hello"}).json()
    cid, key = first["conversation_id"], first["access_key"]
    client.post("/api/v1/chat", json={"text": "b" * 5000, "conversation_id": cid})
    client.post("/api/v1/chat", json={"text": "", "conversation_id": cid})
    client.post("/api/v1/chat", json={"text": "hi", "conversation_id": cid,
                                      "customer_token": "bad.token"})
    ok = client.post("/api/v1/chat", json={"text": "where is my order?", "conversation_id": cid})
    assert ok.status_code == 200
    lines = client.get(f"/api/v1/conversations/{cid}?key={key}").json()["lines"]
    assert [x["text"] for x in lines if x["role"] == "customer"] == ["hello",
                                                                     "where is my order?"]


def test_random_junk_never_gives_a_500(client: Any) -> None:
    rng = random.Random(7)
    alphabet = string.printable + "你好订单取消退货😀\u200b\x00"
    bodies: list[Any] = [None, 1, "text", [], {}, {"text": None}, {"text": []},
                         {"text": {"a": 1}}, {"text": "hi", "conversation_id": 5},
                         {"text": "hi", "customer_token": 5}, {"text": "\x00"}]
    for _ in range(40):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        bodies.append({"text": text, "conversation_id": rng.choice([None, text[:20] or None])})
    for body in bodies:
        response = client.post("/api/v1/chat", json=body)
        assert response.status_code < 500, (body, response.text)
    for raw in (b"", b"\xff\xfe", b'{"text": "unterminated', b"null", b"[" * 500):
        response = client.post("/api/v1/chat", content=raw,
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 422, (raw, response.text)


def test_too_many_requests_from_one_client(shop: Any, masker: Any, tmp_path: Path) -> None:
    settings = serve_settings(tmp_path, rate_limit_per_minute=3)
    with make_client(*shop, masker, settings) as client:
        statuses = [client.post("/api/v1/chat", json={"text": "hello"}).status_code
                    for _ in range(5)]
        assert statuses[:3] == [200, 200, 200]
        assert statuses[3] == 429
        refused = client.post("/api/v1/chat", json={"text": "hello"})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"]["code"] == "too_many_requests"
