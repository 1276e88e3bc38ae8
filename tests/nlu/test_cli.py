"""The CLI commands, run in process with typer's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kefu.cli.app import app
from kefu.nlu.classifier import _link_tree
from kefu.settings import get_settings

pytestmark = pytest.mark.xdist_group("nlu_model")

TRAIN = """\
version: "3.1"
nlu:
- intent: order_status
  examples: |
    - where is my order [#W2378156](order_id)
    - has my package shipped
    - 我的订单到哪了
    - 快递什么时候到
    - track my parcel
    - 订单[#W1234567](order_id)发货了吗
- intent: greeting
  examples: |
    - hello
    - hi there
    - 你好
    - 在吗
    - good morning
    - 您好
"""


@pytest.fixture()
def home(tmp_path: Path, e5_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A KEFU_HOME whose prepared encoder is the session's (hard-linked, not rebuilt)."""
    _link_tree(e5_dir, tmp_path / "models" / e5_dir.name)
    monkeypatch.setenv("KEFU_HOME", str(tmp_path))
    monkeypatch.delenv("KEFU_NLU_MODEL", raising=False)
    monkeypatch.delenv("KEFU_BASE_MODEL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_help_does_not_import_torch() -> None:
    code = ("import sys; from kefu.cli.app import app; "
            "print(sorted(m for m in ('torch', 'transformers', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
    for command in (["train", "--help"], ["evaluate", "--help"], ["models", "prepare", "--help"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0
        assert "Usage" in result.output


def test_prepare_is_idempotent(home: Path) -> None:
    result = CliRunner().invoke(app, ["models", "prepare"])
    assert result.exit_code == 0, result.output
    assert "Already prepared" in result.output


def test_train_then_evaluate(home: Path, tmp_path: Path) -> None:
    data = tmp_path / "train.yml"
    data.write_text(TRAIN, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["train", str(data), "--validation-fraction", "0.3"])
    assert result.exit_code == 0, result.output
    model_dir = home / "models" / "kefu-nlu"
    meta = json.loads((model_dir / "kefu_nlu.json").read_text(encoding="utf-8"))
    assert meta["labels"] == ["greeting", "order_status"]
    assert list(meta["data"]) == [str(data)]
    assert meta["base_model"].endswith("multilingual-e5-small")

    report_dir = tmp_path / "report"
    result = runner.invoke(app, ["evaluate", str(data), "--json", "--report-dir",
                                 str(report_dir)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["primary_metric"] == "macro_f1"
    assert summary["metrics"]["accuracy"] >= 0.9
    assert (report_dir / "confusion_matrix.png").stat().st_size > 1000
    assert (report_dir / "errors.tsv").is_file()
    if summary["entity_metrics"] is not None:
        assert "order_id_recall" in summary["entity_metrics"]

    result = runner.invoke(app, ["evaluate", str(data), "--no-entities"])
    assert result.exit_code == 0, result.output
    assert "macro P/R/F1" in result.output
    assert "entities: not scored" in result.output


def test_prepare_checks_a_given_base_model(home: Path, e5_dir: Path) -> None:
    result = CliRunner().invoke(app, ["models", "prepare", "--base-model", str(e5_dir)])
    assert result.exit_code == 0, result.output
    assert "BertModel" in result.output and "384-dimensional" in result.output


def test_evaluate_without_a_model_says_how_to_fix(home: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate"])
    assert result.exit_code != 0
    assert "kefu train" in str(result.exception)
