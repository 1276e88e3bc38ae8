"""``kefu serve`` hands uvicorn the keep-alive timeout: ``--keep-alive``, else the
``keep_alive`` setting, whose default outlasts the idle timeout of pooling clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from kefu.cli.app import app


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """What ``kefu serve`` passes to ``uvicorn.run`` (nothing is prepared or served)."""
    import uvicorn

    from kefu.settings import get_settings

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("kefu.cli.serve.prepare", lambda demo: None)
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: calls.append(options))
    monkeypatch.delenv("KEFU_KEEP_ALIVE", raising=False)
    monkeypatch.delenv("KEFU_CONFIG", raising=False)
    # serve sets a default thread count in the environment: keep it to this test
    monkeypatch.setenv("OMP_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "1"))
    get_settings.cache_clear()
    yield calls
    get_settings.cache_clear()


def serve(*args: str) -> None:
    result = CliRunner().invoke(app, ["serve", *args])
    assert result.exit_code == 0, result.output


def test_the_default_keep_alive_outlasts_pooling_clients(
        uvicorn_calls: list[dict[str, Any]]) -> None:
    serve()
    # httpx drops idle pooled connections after 5 s, proxies and load balancers after 60 s
    assert uvicorn_calls[0]["timeout_keep_alive"] == 65


def test_keep_alive_comes_from_the_setting_or_the_option(
        uvicorn_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    from kefu.settings import get_settings

    monkeypatch.setenv("KEFU_KEEP_ALIVE", "30")
    get_settings.cache_clear()
    serve()
    serve("--keep-alive", "7")
    assert [call["timeout_keep_alive"] for call in uvicorn_calls] == [30, 7]


def test_a_keep_alive_of_zero_is_refused(uvicorn_calls: list[dict[str, Any]],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(app, ["serve", "--keep-alive", "0"])
    assert result.exit_code != 0 and "--keep-alive" in result.output
    from kefu.errors import ConfigError
    from kefu.settings import load_settings

    with pytest.raises(ConfigError, match="keep_alive must be greater than 0, got 0"):
        load_settings(keep_alive=0)
    assert uvicorn_calls == []
