"""``kefu kb index / search / ask``, run in process with typer's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kefu.cli.app import app
from kefu.settings import get_settings
from tests.knowledge.conftest import write_kb

pytestmark = pytest.mark.xdist_group("nlu_model")

KB = {
    "en/shipping.md": "# Shipping\n\n## Costs {#costs}\n\nOrders of 99 yuan or more ship "
                      "free. Smaller orders pay 10 yuan.\n\n## Carriers {#carriers}\n\n"
                      "We ship with SF Express and JD Logistics.\n",
    "zh/shipping.md": "# 配送\n\n## 运费 {#costs}\n\n满 99 元包邮，不满 99 元收取 10 元运费。\n\n"
                      "## 快递公司 {#carriers}\n\n我们使用顺丰速运和京东物流。\n",
}


@pytest.fixture()
def home(tmp_path: Path, e5_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A KEFU_HOME that uses the session's prepared encoder."""
    monkeypatch.setenv("KEFU_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KEFU_BASE_MODEL", str(e5_dir))
    get_settings.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()


def test_index_search_and_ask(home: Path, tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", KB)
    runner = CliRunner()
    first = runner.invoke(app, ["kb", "index", str(root)])
    assert first.exit_code == 0, first.output
    assert "2 added, 0 updated, 0 unchanged, 0 removed; 4 sections indexed" in first.output
    assert (home / "knowledge.db").is_file()

    again = runner.invoke(app, ["kb", "index", str(root)])
    assert "0 added, 0 updated, 2 unchanged, 0 removed" in again.output

    found = runner.invoke(app, ["kb", "search", "运费多少钱", "--top-k", "1", "--json"])
    assert found.exit_code == 0, found.output
    hits = json.loads(found.output)
    assert [(h["key"], h["lang"], h["source_path"]) for h in hits] == [
        ("shipping#costs", "zh", "zh/shipping.md")]
    assert hits[0]["score"] > 0

    shown = runner.invoke(app, ["kb", "search", "which courier?", "--lang", "en"])
    assert "1. shipping#carriers (en) Shipping › Carriers" in shown.output

    asked = runner.invoke(app, ["kb", "ask", "Which courier companies do you ship with?",
                                "--json"])
    answer = json.loads(asked.output)
    assert answer["confident"] and answer["lang"] == "en"
    assert answer["text"] == ("We ship with SF Express and JD Logistics.\n"
                              "(Source: Shipping › Carriers)")
    assert answer["sources"][0]["source_path"] == "en/shipping.md"


def test_a_folder_that_is_not_there_is_a_clear_error(home: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["kb", "index", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert "is not a directory" in str(result.exception)
