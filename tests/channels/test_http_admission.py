"""A worker holds at most ``max_turns_in_flight`` chat messages; one more gets a fast 503
``overloaded`` with Retry-After rather than a wait."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from kefu.channels.http.admission import TurnAdmission
from kefu.channels.http.metrics import make_metrics
from kefu.errors import ConfigError
from kefu.settings import load_settings
from tests.channels.conftest import run_async


class HeldTurns:
    """An ASGI app whose chat requests wait until released (turns still being answered)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.started = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["path"].startswith("/api/v1/chat"):
            self.started += 1
            await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


def test_one_message_over_the_limit_is_refused_at_once() -> None:
    metrics = make_metrics()
    held = HeldTurns()
    admission = TurnAdmission(held, limit=2, errors=metrics.errors)

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=admission)
        async with httpx.AsyncClient(transport=transport, base_url="http://kefu") as http:
            first = [asyncio.create_task(http.post("/api/v1/chat", json={}))
                     for _ in range(2)]
            while held.started < 2:
                await asyncio.sleep(0.01)
            refused = await asyncio.wait_for(http.post("/api/v1/chat/stream", json={}), 5)
            assert refused.status_code == 503
            assert refused.headers["Retry-After"] == "2"
            error = refused.json()["error"]
            assert error["code"] == "overloaded" and "same message id" in error["hint"]
            assert (await http.get("/health")).status_code == 200  # not a chat request
            held.release.set()
            assert [r.status_code for r in await asyncio.gather(*first)] == [200, 200]
            assert admission.in_flight == 0
            assert (await http.post("/api/v1/chat", json={})).status_code == 200

    run_async(scenario())
    assert metrics.registry.get_sample_value(
        "kefu_errors_total", {"status": "503", "code": "overloaded"}) == 1


def test_a_limit_of_zero_admits_everything() -> None:
    held = HeldTurns()
    held.release.set()
    admission = TurnAdmission(held, limit=0, errors=make_metrics().errors)

    async def scenario() -> list[int]:
        transport = httpx.ASGITransport(app=admission)
        async with httpx.AsyncClient(transport=transport, base_url="http://kefu") as http:
            answers = await asyncio.gather(*(http.post("/api/v1/chat") for _ in range(5)))
        return [a.status_code for a in answers]

    assert run_async(scenario()) == [200] * 5


def test_the_app_admits_the_setting_s_number_of_messages(client: Any,
                                                          tmp_path: Path) -> None:
    admissions = [m for m in client.app.user_middleware if m.cls is TurnAdmission]
    assert [m.kwargs["limit"] for m in admissions] == [256]  # well above 64 conversations
    assert load_settings(home=tmp_path, max_turns_in_flight=0).max_turns_in_flight == 0
    with pytest.raises(ConfigError, match="max_turns_in_flight must be 0 \\(off\\) or more"):
        load_settings(home=tmp_path, max_turns_in_flight=-1)
