"""How many SQL statements a turn costs (store and SQLite tracker together).

Counts are deterministic, unlike times: a budget per typical turn catches a read that
starts running once per order, per item or twice per turn. A turn reads the conversation
once (one SELECT) and appends its events in one transaction (BEGIN IMMEDIATE, an upsert
of the conversation row, one INSERT of the events); listing the customer's orders costs
the same whatever their number (one more query when some order has shipped: its
tracking events).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event

from kefu.identity import sign_customer_token
from tests.dialogue.engine_support import SECRET, Chat

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dialogue_engine")]


@contextmanager
def counting(*engines: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


def _engines(chat: Chat) -> tuple[Engine, Engine]:
    tracker = chat.assistant.components.tracker
    return chat.assistant.services.store.engine, tracker.inner.engine  # type: ignore[attr-defined]


def _turn(chat: Chat, text: str, customer: str | None = None) -> list[str]:
    token = sign_customer_token(customer, SECRET) if customer else None
    with counting(*_engines(chat)) as statements:
        chat.say(text, token)
    return list(statements)


def _tracker_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if "kefu_conversation" in s or s.startswith("BEGIN")]


# (message, at most this many statements): a signed-in customer cancels a pending order.
CANCEL = [("I want to cancel order #W1657502", 13), ("I ordered it by mistake", 15),
          ("yes", 17), ("thanks", 4)]


def test_a_typical_conversation_stays_within_its_statement_budget(demo_chat: Chat) -> None:
    spent = []
    for n, (text, budget) in enumerate(CANCEL):
        statements = _turn(demo_chat, text, "ava_lee_2267" if n == 0 else None)
        spent.append(len(statements))
        assert len(statements) <= budget, (text, len(statements), statements)
        tracker = _tracker_statements(statements)
        assert len(tracker) == 4, tracker  # one read; BEGIN, upsert, insert
    assert demo_chat.turns[2].wrote()[0].name == "cancel_pending_order"
    assert sum(spent) <= sum(b for _, b in CANCEL)


def test_listing_orders_costs_the_same_for_two_orders_or_fourteen(demo_chat: Chat) -> None:
    store = demo_chat.assistant.services.store
    from kefu.tools import call_tool

    few, many = "benjamin_harris_9609", "william_white_8370"
    counts = {}
    for customer in (few, many):
        counts[customer] = len(call_tool(store, "get_user_details",
                                         {"user_id": customer})["orders"])
    assert (counts[few], counts[many]) == (2, 14)
    spent = []
    for customer in (few, many):
        demo_chat.conversation_id = f"listing-{customer}"
        statements = _turn(demo_chat, "where is my order?", customer)
        listed = demo_chat.turns[-1]
        assert "which" in listed.text.lower()
        assert [a.name for a in listed.actions] == ["get_user_orders"]  # one read for all
        spent.append(len(statements))
    # only the tracking events' query is extra, when some order has shipped
    assert spent[0] <= spent[1] <= spent[0] + 1 <= 12, spent
