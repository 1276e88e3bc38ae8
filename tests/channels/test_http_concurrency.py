"""Two messages of one conversation at once are processed one after the other."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def check_serialised(lines: list[dict[str, Any]], sent: list[str]) -> None:
    """Every message is there once, each followed by its reply before the next message."""
    customer = [x["text"] for x in lines if x["role"] == "customer"]
    assert sorted(customer) == sorted(sent)
    roles = [x["role"] for x in lines if x["role"] in ("customer", "bot")]
    for i, role in enumerate(roles):
        if role == "customer":
            assert roles[i + 1] == "bot", roles  # no other message between a turn's parts


def test_simultaneous_messages_to_one_conversation(client: Any) -> None:
    first = client.post("/api/v1/chat", json={"text": "hello"}).json()
    cid, key = first["conversation_id"], first["access_key"]
    sent = [f"hello, this is message {i}" for i in range(16)]

    def post(text: str) -> int:
        return int(client.post("/api/v1/chat", json={"text": text,
                                                     "conversation_id": cid}).status_code)

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(post, sent))
    assert statuses == [200] * len(sent)
    lines = client.get(f"/api/v1/conversations/{cid}?key={key}").json()["lines"]
    check_serialised(lines, ["hello", *sent])
