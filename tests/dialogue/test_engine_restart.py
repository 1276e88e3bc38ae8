"""A conversation survives a restart: a new Assistant on the same tracker store continues
it (SQLite, PostgreSQL and Redis), and what is stored is masked; a proposed address waits
for its yes across the restart, sealed."""

from __future__ import annotations

from typing import Any

import pytest

from kefu.dialogue.engine import Assistant, Components
from kefu.dialogue.events import event_to_dict
from kefu.dialogue.trackers import open_tracker_store
from kefu.identity import sign_customer_token
from kefu.tools import call_tool
from tests.dialogue.engine_support import SECRET, find_shopper, make_assistant, order_status

NEW_ADDRESS = "445 Maple Drive, Suite 394, Fort Worth, TX 76165"

# One worker trains the NLU model and runs every test that needs it.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dialogue_engine")]


def test_new_assistant_continues_the_conversation(tracker_url: str, demo_store: Any,
                                                  demo_nlu: Any, masker: Any,
                                                  demo_day: None) -> None:
    shopper = find_shopper(demo_store, chinese=False, pending=1)
    order_id = shopper.of("pending")[0]["order_id"]
    first = make_assistant(demo_store, demo_nlu, tracker_url, masker)
    first.handle("restart-1", "I want to cancel an order")
    verified = first.handle("restart-1", f"my email is {shopper.email}")
    assert verified.verified
    proposal = first.handle("restart-1", f"{order_id}, I ordered it by mistake")
    assert proposal.awaiting_confirmation == "cancel_pending_order"
    first.close()

    second = make_assistant(demo_store, demo_nlu, tracker_url, masker)
    state = second.state("restart-1")
    assert state.verified and state.customer_id == shopper.user_id
    assert state.pending_confirmation is not None
    done = second.handle("restart-1", "yes")
    assert [a.name for a in done.wrote()] == ["cancel_pending_order"]
    assert order_status(demo_store, order_id) == "cancelled"

    stored = repr([event_to_dict(e) for e in second.components.tracker.events("restart-1")])
    assert shopper.email not in stored  # masked before it was stored
    second.reset("restart-1")
    assert not second.state("restart-1").verified
    again = second.handle("restart-1", "where is my order?")
    assert not again.verified and again.actions == ()
    second.close()


def _propose_new_address(assistant: Assistant, conversation_id: str, shopper: Any,
                         order_id: str) -> None:
    token = sign_customer_token(shopper.user_id, SECRET)
    proposal = assistant.handle(conversation_id, f"please ship order {order_id} to "
                                f"{NEW_ADDRESS}", customer_token=token)
    assert proposal.awaiting_confirmation == "modify_pending_order_address", proposal.text
    assert "445 Maple Drive" in proposal.text


def _stored(assistant: Assistant, conversation_id: str) -> str:
    return repr([event_to_dict(e) for e in assistant.components.tracker.events(conversation_id)])


def test_a_proposed_address_survives_a_restart_before_the_yes(
        tracker_url: str, demo_store: Any, demo_nlu: Any, masker: Any, demo_day: None) -> None:
    shopper = find_shopper(demo_store, chinese=False, pending=1)
    order_id = shopper.of("pending")[0]["order_id"]
    first = make_assistant(demo_store, demo_nlu, tracker_url, masker)
    _propose_new_address(first, "restart-address", shopper, order_id)
    first.close()

    second = make_assistant(demo_store, demo_nlu, tracker_url, masker)
    stored = _stored(second, "restart-address")
    assert "Maple" not in stored and "Suite 394" not in stored  # sealed and masked
    done = second.handle("restart-address", "yes")
    assert [a.name for a in done.wrote()] == ["modify_pending_order_address"]
    assert "445 Maple Drive" in done.text  # the real address, from the sealed value
    address = call_tool(demo_store, "get_order_details", {"order_id": order_id})["address"]
    assert (address["address1"], address["address2"], address["zip"]) == (
        "445 Maple Drive", "Suite 394", "76165")
    assert "Maple" not in _stored(second, "restart-address")
    second.close()


def test_with_another_secret_the_sealed_address_is_asked_again(
        tracker_url: str, demo_store: Any, demo_nlu: Any, masker: Any, demo_day: None) -> None:
    shopper = find_shopper(demo_store, chinese=False, pending=1)
    order = shopper.of("pending")[0]
    first = make_assistant(demo_store, demo_nlu, tracker_url, masker)
    _propose_new_address(first, "rotated-secret", shopper, order["order_id"])
    first.close()

    tracker = open_tracker_store(url=tracker_url, masker=masker)
    rotated = Assistant(Components(store=demo_store, tracker=tracker, nlu=demo_nlu,
                                   secret_key="a-rotated-secret"))
    answer = rotated.handle("rotated-secret", "yes")
    assert answer.wrote() == []  # the masked arguments are never written
    assert rotated.state("rotated-secret").pending_confirmation is None
    after = call_tool(demo_store, "get_order_details", {"order_id": order["order_id"]})
    assert after["address"] == order["address"]
    again = rotated.handle("rotated-secret", NEW_ADDRESS)
    assert again.awaiting_confirmation == "modify_pending_order_address", again.text
    rotated.close()
