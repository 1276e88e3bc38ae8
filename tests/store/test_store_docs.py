"""docs/store.md documents every policy setting and every non-tau-bench store tool."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from kefu.store.policy import StorePolicy
from kefu.tools.registry import all_tools

DOC = (Path(__file__).resolve().parents[2] / "docs" / "store.md").read_text(encoding="utf-8")
DOCUMENTED_MODULES = ("lookup", "search", "offers", "aftersales", "handoff")


@pytest.mark.parametrize("setting", [f.name for f in fields(StorePolicy)])
def test_policy_setting_is_documented(setting: str) -> None:
    assert f"| `{setting}` |" in DOC


def test_store_tools_are_documented() -> None:
    tools = [t.name for t in all_tools()
             if t.func.__module__.rsplit(".", 1)[-1] in DOCUMENTED_MODULES]
    assert len(tools) == 12
    missing = [name for name in tools if f"| `{name}` |" not in DOC]
    assert not missing, f"add these tools to docs/store.md: {missing}"
