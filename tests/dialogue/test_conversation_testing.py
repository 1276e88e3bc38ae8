"""The conversation test machinery itself: the loader's errors, the store checks, and the
invariant checkers (judged on a fake assistant that writes without a yes or leaks data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kefu.dialogue.testing.invariants import (
    PersonalData,
    check_disclosures,
    check_writes,
    is_plain_yes,
)
from kefu.dialogue.testing.runner import Snapshot, check_store
from kefu.dialogue.testing.spec import StoreExpectation, parse_conversations
from kefu.dialogue.types import ActionRecord, Reply, TurnResult
from kefu.errors import DataFormatError
from kefu.nlu.types import IntentScore, ParseResult

GOOD = """\
name: cancel
store: demo
customer: ava_lee_2267
signed_in: true
turns:
  - user: "cancel #W1657502"
    intent: cancel_order
    actions: [get_order_details, {name: cancel_pending_order, args: {order_id: "#W1"}}]
    writes: []
    reply_contains: "#W1657502"
    awaiting: cancel_pending_order
  - "yes"
expect:
  orders:
    "#W1657502": {status: cancelled}
  handoffs: 0
  nothing_else_changed: true
"""


def _parse(text: str) -> list[Any]:
    return parse_conversations(text, Path("convs/x.yml"))


def test_a_good_file_loads_every_field() -> None:
    (spec,) = _parse(GOOD)
    assert spec.store == "demo" and spec.signed_in and spec.customer == "ava_lee_2267"
    first, second = spec.turns
    assert first.user == "cancel #W1657502" and first.line == 6
    assert [a.name for a in first.actions] == ["get_order_details", "cancel_pending_order"]
    assert first.actions[1].args == {"order_id": "#W1"} and first.writes == ()
    assert first.reply_contains == ("#W1657502",) and first.awaiting == "cancel_pending_order"
    assert second.user == "yes" and second.writes is None
    assert spec.expect.rows == {"orders": {"#W1657502": {"status": "cancelled"}}}
    assert spec.expect.added == {"handoffs": 0} and spec.expect.nothing_else_changed


@pytest.mark.parametrize(("text", "line", "message"), [
    ("name: x\nstore: shop\nturns: [hi]\n", 1, "store must be one of taubench, demo"),
    ("name: x\nstore: demo\nturns: []\n", 1, "has no turns"),
    ("name: x\nstore: demo\nturns:\n  - user: hi\n    intnet: greet\n", 4, "unknown key 'intnet'"),
    ("name: x\nstore: demo\nturns:\n  - user: hi\n  - user: yes\n", 5, "quote it"),
    ("name: x\nstore: demo\nturns: [hi]\nexpect:\n  orders:\n    '#W1': cancelled\n", 6,
     "must be a mapping of column: value"),
    ("name: x\nstore: demo\nturns: [hi]\nexpect: {handoffs: -1}\n", 4, "count >= 0"),
    ("name: x\nstore: demo\nsigned_in: true\nturns: [hi]\n", 1, "signed_in needs a customer"),
    ("name: x\nstore: demo\nturns: [hi\n", 4, "not valid YAML"),
])
def test_loader_errors_name_the_file_line_and_the_problem(text: str, line: int,
                                                          message: str) -> None:
    with pytest.raises(DataFormatError) as caught:
        _parse(text)
    assert f"convs/x.yml:{line}:" in str(caught.value)
    assert message in str(caught.value)


def test_yes_is_judged_apart_from_the_engine() -> None:
    for yes in ("yes", "Yes, go ahead", "ok", "确认", "好的", "是的"):
        assert is_plain_yes(yes), yes
    for other in ("no", "yes but not now", "不是这个", "what?", "确认一下不要取消", "I ordered it"):
        assert not is_plain_yes(other), other


def _turn(text: str = "ok", *, actions: tuple[ActionRecord, ...] = (),
          awaiting: str | None = None, verified: bool = False,
          customer: str | None = None) -> TurnResult:
    parse = ParseResult(text="x", intent=IntentScore("affirm", 1.0))
    return TurnResult(conversation_id="c", replies=(Reply(text),), parse=parse, language="en",
                      actions=actions, awaiting_confirmation=awaiting, verified=verified,
                      customer_id=customer)


CANCEL = ActionRecord("cancel_pending_order", {"order_id": "#W1", "reason": "no longer needed"})


def test_a_write_after_a_yes_to_its_proposal_passes() -> None:
    turns = [("cancel #W1", _turn("Cancel #W1? Say yes.", awaiting="cancel_pending_order")),
             ("yes", _turn("Done.", actions=(CANCEL,)))]
    assert check_writes(turns) == []


def test_a_write_without_a_yes_is_flagged() -> None:
    turns = [("cancel #W1", _turn("Cancelled.", actions=(CANCEL,)))]
    (problem,) = check_writes(turns)
    assert "turn 1" in problem and "without a yes" in problem and "awaited None" in problem


def test_a_write_after_a_no_or_of_another_order_is_flagged() -> None:
    proposal = _turn("Cancel #W2? Say yes.", awaiting="cancel_pending_order")
    assert check_writes([("cancel", proposal), ("no", _turn(actions=(CANCEL,)))])
    (problem,) = check_writes([("cancel", proposal), ("yes", _turn(actions=(CANCEL,)))])
    assert "did not name order #W1" in problem


def test_a_hand_off_and_reads_need_no_yes() -> None:
    actions = (ActionRecord("transfer_to_human_agents", {}),
               ActionRecord("get_order_details", {"order_id": "#W1"}))
    assert check_writes([("human please", _turn(actions=actions))]) == []


def _data() -> PersonalData:
    import re

    owner = {"#w1": "ann", "ann@example.com": "ann", "#w2": "bob", "bob@example.com": "bob"}
    pattern = re.compile(r"(?<![\w#@])(#w1|#w2|ann@example\.com|bob@example\.com)(?![\w@])",
                         re.IGNORECASE)
    return PersonalData(owner, pattern)


def test_disclosures_before_and_after_verification() -> None:
    data = _data()
    leak = [("where is my order", _turn("Your orders: #W1"))]
    (problem,) = check_disclosures(leak, data, "ann")
    assert "before verification" in problem and "'#W1'" in problem
    typed = [("where is #W1", _turn("I need to verify you before I look at #W1."))]
    assert check_disclosures(typed, data, "ann") == []
    verified = [("hi", _turn("Your orders: #W1, ann@example.com", verified=True,
                             customer="ann"))]
    assert check_disclosures(verified, data, "ann") == []
    other = [("hi", _turn("Order #W2 belongs to bob@example.com", verified=True,
                          customer="ann"))]
    problems = check_disclosures(other, data, "ann")
    assert len(problems) == 2 and all("another customer's (bob)" in p for p in problems)
    wrong = [("hi", _turn("Hello", verified=True, customer="bob"))]
    assert "verified as bob, but the user is ann" in check_disclosures(wrong, data, "ann")[0]


def test_store_checks_rows_counts_and_nothing_else() -> None:
    before: Snapshot = {"orders": {("#W1",): {"id": "#W1", "status": "pending"},
                                   ("#W2",): {"id": "#W2", "status": "pending"}},
                        "transactions": {}, "handoffs": {}}
    after: Snapshot = {"orders": {("#W1",): {"id": "#W1", "status": "cancelled"},
                                  ("#W2",): {"id": "#W2", "status": "pending"}},
                       "transactions": {(1,): {"id": 1, "order_id": "#W1"}},
                       "handoffs": {}}
    expect = StoreExpectation(rows={"orders": {"#W1": {"status": "cancelled"}}},
                              nothing_else_changed=True)
    assert check_store(before, after, expect) == []
    after["orders"][("#W2",)] = {"id": "#W2", "status": "cancelled"}
    after["handoffs"][(1,)] = {"id": 1}
    problems = check_store(before, after, expect)
    assert any("orders #W2: changed" in p for p in problems)
    assert any("handoffs 1: added" in p for p in problems)
    wrong = StoreExpectation(rows={"orders": {"#W1": {"status": "pending"}}},
                             added={"handoffs": 2})
    problems = check_store(before, after, wrong)
    assert "orders #W1: status is 'cancelled', expected 'pending'" in problems
    assert "handoffs: 1 rows added, expected 2" in problems


class WritesWithoutAsking:
    """A fake assistant with the engine's interface that cancels at the first message."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def handle(self, conversation_id: str, text: str,
               customer_token: str | None = None) -> TurnResult:
        from kefu.tools import call_tool

        args = {"order_id": "#W1657502", "reason": "no longer needed"}
        call_tool(self.store, "cancel_pending_order", args)
        return _turn("Done, I cancelled it.",
                     actions=(ActionRecord("cancel_pending_order", args),))


@pytest.mark.slow
@pytest.mark.xdist_group("dialogue_engine")
def test_runner_flags_a_fake_engine_that_writes_without_a_yes(demo_template: Path,
                                                              tmp_path: Path) -> None:
    from kefu.dialogue.testing import ConversationRunner

    (spec,) = _parse("name: eager\nstore: demo\ncustomer: ava_lee_2267\nturns:\n"
                     "  - user: I might cancel #W1657502, not sure\n"
                     "expect: {nothing_else_changed: true}\n")
    runner = ConversationRunner(workdir=tmp_path, templates={"demo": demo_template},
                                assistant_factory=lambda store, kind, wd:
                                WritesWithoutAsking(store))
    result = runner.run(spec)
    assert not result.passed
    text = "\n".join(result.failures)
    assert "wrote cancel_pending_order" in text and "without a yes" in text
    assert "orders #W1657502: changed" in text  # and the store check saw the write


def test_cli_reports_a_bad_file_before_loading_anything(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kefu.cli.app import app

    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\nstore: demo\nturns:\n  - user: hi\n    reply: hello\n",
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["test-conversations", str(bad)])
    assert isinstance(result.exception, DataFormatError)
    assert f"{bad}:4: unknown key 'reply' in turn 1" in str(result.exception)
    wrong = CliRunner().invoke(app, ["test-conversations", str(bad), "--store", "shop"])
    assert "--store must be one of taubench, demo" in str(wrong.exception)
