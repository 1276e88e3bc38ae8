"""``kefu demo`` and ``kefu chat``, run in process with typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kefu.cli.app import app
from kefu.settings import get_settings

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dialogue_engine")]


def test_demo_builds_the_shop_then_chats(nlu_model_dir: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_NLU_MODEL", str(nlu_model_dir))
    get_settings.cache_clear()
    home = get_settings().home
    chat = "hi\n/debug\nwhere is my order?\n/lang zh\nthanks\n/reset\n/quit\n"
    result = CliRunner().invoke(app, ["demo"], input=chat)
    assert result.exit_code == 0, result.output
    assert (home / "store.db").is_file() and (home / "conversations.db").is_file()
    assert "kefu demo" in result.output
    assert "Demo Shop" in result.output  # the greeting names the store
    assert "intent order_status" in result.output  # /debug shows the parse
    assert "email" in result.output  # verification is asked before any order is shown
    assert "不客气" in result.output or "很高兴" in result.output  # /lang zh
    assert "conversation restarted" in result.output


def test_chat_signs_in_a_customer(nlu_model_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                  demo_template: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copy(demo_template, tmp_path / "shop.db")
    monkeypatch.setenv("KEFU_NLU_MODEL", str(nlu_model_dir))
    monkeypatch.setenv("KEFU_DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
    get_settings.cache_clear()
    from kefu.store import open_store
    from tests.dialogue.engine_support import find_shopper

    store = open_store(f"sqlite:///{tmp_path / 'shop.db'}")
    shopper = find_shopper(store, chinese=False, pending=1)
    store.dispose()
    result = CliRunner().invoke(app, ["chat", "--customer", shopper.user_id],
                                input="what are my coupons?\n/quit\n")
    assert result.exit_code == 0, result.output
    assert "coupon" in result.output.lower()
    assert "confirm who you are" not in result.output
