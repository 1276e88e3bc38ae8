"""The test conversations in tests/conversations/ pass against the real engine and model.

Each conversation runs on a fresh copy of its store (the session's demo shop or tau-bench
import) with the session's NLU model, and must meet its own expectations and the
invariants (no write without a yes to it, no data of an unverified or other customer).
tests/conversations/engine_gaps/ is for conversations the engine still fails; they are not
run here (`kefu test-conversations tests/conversations/engine_gaps` runs them by hand).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kefu.dialogue.testing import ConversationRunner, ConversationSpec, load_conversations
from kefu.knowledge.source import KnowledgeSource

CONVERSATIONS = Path(__file__).resolve().parents[1] / "conversations"
SPECS = load_conversations([CONVERSATIONS])
WRITE_ACTIONS = {"cancel_pending_order", "modify_pending_order_address",
                 "modify_pending_order_items", "modify_pending_order_payment",
                 "modify_user_address", "return_delivered_order_items",
                 "exchange_delivered_order_items", "create_repair_request",
                 "transfer_to_human_agents"}


def _chinese(spec: ConversationSpec) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", " ".join(t.user for t in spec.turns)))


def test_the_conversations_cover_both_languages_stores_and_every_write() -> None:
    assert len(SPECS) >= 40
    assert sum(s.language == "zh" for s in SPECS) >= 15
    assert sum(s.language == "en" for s in SPECS) >= 15
    assert all(_chinese(s) for s in SPECS if s.language == "zh")
    assert {s.store for s in SPECS} == {"demo", "taubench"}
    written = {w for s in SPECS for t in s.turns for w in (t.writes or ())}
    assert written >= WRITE_ACTIONS, WRITE_ACTIONS - written
    assert any(s.expect.added.get("handoffs") for s in SPECS)
    declined = [s for s in SPECS if s.expect.nothing_else_changed and not s.expect.rows
                and not s.expect.added]
    assert len(declined) >= 10  # refusals, declines, failed verification: nothing written


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory,
           demo_knowledge: KnowledgeSource) -> Iterator[ConversationRunner]:
    r = ConversationRunner(workdir=tmp_path_factory.mktemp("conversations"),
                           knowledge=demo_knowledge)
    yield r
    r.close()


@pytest.mark.slow
@pytest.mark.xdist_group("dialogue_engine")
@pytest.mark.parametrize("spec", SPECS, ids=[s.path.stem for s in SPECS])
def test_conversation_passes(spec: ConversationSpec, runner: ConversationRunner,
                             request: pytest.FixtureRequest, masker: Any) -> None:
    if spec.store == "demo":
        runner.provide("demo", request.getfixturevalue("demo_template"),
                       request.getfixturevalue("demo_nlu"))
    else:
        runner.provide("taubench", request.getfixturevalue("taubench_template"),
                       request.getfixturevalue("tau_nlu"))
    result = runner.run(spec)
    transcript = "\n".join(f"  user: {t.user}\n  kefu: {t.replies}" for t in result.turns)
    assert result.passed, "\n".join(result.failures) + "\n" + transcript
