"""A conversation survives a restart: a new Assistant on the same tracker store continues
it (SQLite, PostgreSQL and Redis), and what is stored is masked."""

from __future__ import annotations

from typing import Any

import pytest

from kefu.dialogue.events import event_to_dict
from tests.dialogue.engine_support import find_shopper, make_assistant, order_status

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
