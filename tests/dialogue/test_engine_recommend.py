"""Recommendations and preferences in the engine: state that survives a restart, history
only for a verified customer, and forgetting that leaves nothing in the store (SQLite and
PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kefu.dialogue.flows.recommend import RECOMMEND_SLOT
from kefu.identity import sign_customer_token
from kefu.store import Store, open_store
from kefu.store.models import CustomerPreference
from tests.dialogue.engine_support import SECRET, make_assistant

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dialogue_engine")]

# A demo customer whose orders hold a mechanical keyboard with red (linear) switches.
KEYBOARD_BUYER = ("grace_harris_7810", "grace.harris7810@example.com")


def _prices(result: Any) -> list[Decimal]:
    import re

    return [Decimal(p.replace(",", "")) for p in re.findall(r"¥([\d,]+\.\d\d)\.", result.text)]


def test_follow_ups_survive_a_restart(tracker_url: str, demo_store: Store, demo_nlu: Any,
                                      masker: Any, demo_day: None) -> None:
    first = make_assistant(demo_store, demo_nlu, tracker_url, masker)
    asked = first.handle("rec-1", "can you recommend some shoes?")
    assert asked.parse.intent.name == "product_recommendation"
    assert not asked.actions  # twelve pairs fit: a question first, no list yet
    shown = first.handle("rec-1", "anything is fine")
    assert [a.name for a in shown.actions] == ["recommend_products"]
    before = _prices(shown)
    assert 1 <= len(before) <= 3
    first.close()

    second = make_assistant(demo_store, demo_nlu, tracker_url, masker)
    state = second.state("rec-1").slots[RECOMMEND_SLOT]
    assert isinstance(state, dict) and len(state["shown"]) == len(before)
    cheaper = second.handle("rec-1", "something cheaper")
    (action,) = cheaper.actions
    assert action.name == "recommend_products"
    assert Decimal(action.args["budget_max"]) == min(before) - Decimal("0.01")
    assert action.args["category"] == "shoes"
    after = _prices(cheaper)
    assert after and max(after) < min(before)
    second.close()


def test_similar_to_a_purchase_waits_for_verification(demo_store: Store, demo_nlu: Any,
                                                      masker: Any, demo_day: None,
                                                      tmp_path: Path) -> None:
    chat = make_assistant(demo_store, demo_nlu, f"sqlite:///{tmp_path / 'c.db'}", masker)
    asked = chat.handle("rec-2", "something like the keyboard I bought but with clicky switches")
    assert not asked.verified and not asked.actions  # orders are personal: verify first
    answered = chat.handle("rec-2", f"my email is {KEYBOARD_BUYER[1]}")
    assert answered.verified
    similar = [a for a in answered.actions if a.name == "similar_to_purchase"]
    assert similar and similar[0].args["changed_options"] == {"switch type": "blue switch"}
    assert "blue switch" in answered.text and "Keyboard" in answered.text
    chat.close()


def _remembered(store: Store, customer_id: str | None = None) -> int:
    with store.session() as session:
        query = select(func.count()).select_from(CustomerPreference)
        if customer_id is not None:
            query = query.where(CustomerPreference.customer_id == customer_id)
        return int(session.scalar(query) or 0)


def test_forgetting_leaves_nothing_in_the_database(store_url: str, demo_nlu: Any,
                                                   masker: Any, demo_day: None,
                                                   tmp_path: Path) -> None:
    from kefu.store.demo import build_demo_store

    store = open_store(store_url)
    build_demo_store(store)
    customer = KEYBOARD_BUYER[0]
    token = sign_customer_token(customer, SECRET)
    chat = make_assistant(store, demo_nlu, f"sqlite:///{tmp_path / 'c.db'}", masker)
    try:
        proposal = chat.handle("prefs", "remember that I like black", customer_token=token)
        assert proposal.awaiting_confirmation == "remember_customer_preferences"
        assert _remembered(store) == 0  # nothing is stored before the customer agrees
        agreed = chat.handle("prefs", "yes")
        assert [a.name for a in agreed.wrote()] == ["remember_customer_preferences"]
        assert _remembered(store, customer) >= 1
        shown = chat.handle("prefs", "what do you know about me")
        assert "color: black" in shown.text

        asked = chat.handle("prefs", "forget my preferences")
        assert asked.awaiting_confirmation == "forget_preferences"
        forgotten = chat.handle("prefs", "yes")
        assert [a.name for a in forgotten.wrote()] == ["forget_preferences"]
        assert _remembered(store) == 0
        again = chat.handle("prefs", "show my preferences")
        assert "color: black" not in again.text
    finally:
        chat.close()
        store.dispose()
