"""Events survive a JSON round trip, and folding them gives the conversation state."""

from __future__ import annotations

import json

import pytest

from kefu.dialogue.events import (
    EVENT_TYPES,
    EVENT_VERSION,
    ActionExecuted,
    BotUttered,
    Button,
    ConversationRestarted,
    ConversationStarted,
    CustomerVerified,
    Event,
    HandedOff,
    SlotSet,
    UserUttered,
    event_from_dict,
    event_to_dict,
    user_uttered_from_parse,
)
from kefu.dialogue.state import (
    PENDING_CONFIRMATION_SLOT,
    ConversationState,
    clear_confirmation,
    fold,
    request_confirmation,
)
from kefu.errors import DataFormatError
from kefu.nlu.types import Entity, IntentScore, ParseResult


def sample_events() -> list[Event]:
    """One event of every type, with non-default values everywhere."""
    return [
        ConversationStarted(customer_id="yusuf_rossi_9620", channel="web", timestamp=100.0),
        UserUttered(text="我的订单 #W2378156 到哪了", intent="order_status", confidence=0.93,
                    entities=(Entity("order_id", "#W2378156", 5, 14, "#W2378156", 1.0,
                                     "rule"),),
                    language="zh", message_id="m1", timestamp=101.0),
        SlotSet(name="order_id", value="#W2378156", timestamp=101.5),
        SlotSet(name="cart", value={"items": [1, 2.5, None, True], "note": "红色"},
                timestamp=101.6),
        ActionExecuted(name="get_order_details", args={"order_id": "#W2378156"}, ok=True,
                       result="pending, 2 items", timestamp=102.0),
        ActionExecuted(name="cancel_order", args={"order_id": "#W0000000"}, ok=False,
                       error="order #W0000000 not found", timestamp=102.5),
        BotUttered(text="您的订单已发货。", buttons=(Button("查看物流", "/track"),),
                   timestamp=103.0),
        CustomerVerified(customer_id="yusuf_rossi_9620", method="email", timestamp=104.0),
        HandedOff(reason="customer asked for a human", summary="wants a refund", timestamp=105.0),
        ConversationRestarted(customer_id=None, timestamp=106.0),
    ]


def test_every_event_type_is_covered_by_the_sample() -> None:
    assert {type(e).type_name for e in sample_events()} == set(EVENT_TYPES)


@pytest.mark.parametrize("event", sample_events(), ids=lambda e: type(e).type_name)
def test_json_round_trip(event: Event) -> None:
    data = event_to_dict(event)
    assert data["type"] == type(event).type_name
    assert data["v"] == EVENT_VERSION
    again = event_from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
    assert again == event
    assert type(again) is type(event)


def test_unknown_type_names_the_type_and_the_known_ones() -> None:
    with pytest.raises(DataFormatError, match=r"unknown event type 'typing_indicator'.*user"):
        event_from_dict({"type": "typing_indicator", "v": 1, "timestamp": 1.0})


def test_newer_version_is_refused() -> None:
    with pytest.raises(DataFormatError, match="format version 99"):
        event_from_dict({"type": "slot", "v": 99, "name": "a", "value": 1, "timestamp": 1.0})


def test_unknown_and_missing_fields_are_refused() -> None:
    with pytest.raises(DataFormatError, match=r"unknown field\(s\) \['colour'\]"):
        event_from_dict({"type": "slot", "v": 1, "name": "a", "colour": "red"})
    with pytest.raises(DataFormatError, match="'bot' is incomplete"):
        event_from_dict({"type": "bot", "v": 1})


def test_events_are_frozen() -> None:
    event = SlotSet(name="a", value=1)
    with pytest.raises(AttributeError):
        event.name = "b"  # type: ignore[misc]


def test_user_uttered_from_parse() -> None:
    parse = ParseResult(text="cancel #W1234567", intent=IntentScore("cancel_order", 0.8),
                        entities=(Entity("order_id", "#W1234567", 7, 16),), language="en")
    event = user_uttered_from_parse(parse, timestamp=5.0)
    assert (event.text, event.intent, event.confidence, event.language) == (
        "cancel #W1234567", "cancel_order", 0.8, "en")
    assert event.entities[0].value == "#W1234567"


def test_fold_builds_the_state() -> None:
    events = sample_events()[:-1]  # without the restart
    state = fold(events)
    assert state.slots == {"order_id": "#W2378156",
                           "cart": {"items": [1, 2.5, None, True], "note": "红色"}}
    assert state.customer_id == "yusuf_rossi_9620"
    assert state.verified and state.verification_method == "email"
    assert state.language == "zh"
    assert state.last_intent == "order_status"
    assert state.last_action == "cancel_order"
    assert state.last_bot_text == "您的订单已发货。"
    assert state.turns == 1
    assert state.handed_off and state.handoff_reason == "customer asked for a human"
    assert state.channel == "web"
    assert (state.started_at, state.updated_at, state.event_count) == (100.0, 105.0, 9)


def test_fold_is_pure_and_deterministic() -> None:
    events = sample_events()
    assert fold(events) == fold(list(events))
    first = fold(events[:3])
    fold(events[3:], first)
    assert first == fold(events[:3])  # the earlier state was not changed


def test_restart_forgets_everything_but_the_channel() -> None:
    state = fold(sample_events())
    assert state.slots == {}
    assert not state.verified and state.customer_id is None
    assert not state.handed_off
    assert state.turns == 0
    assert state.channel == "web"
    assert state.event_count == 10


def test_slot_set_to_none_clears_it() -> None:
    state = fold([SlotSet(name="a", value=1), SlotSet(name="b", value="x"),
                  SlotSet(name="a", value=None)])
    assert state.slots == {"b": "x"}
    assert state.slot("a", "default") == "default"


def test_pending_confirmation_is_a_reserved_slot() -> None:
    ask = request_confirmation("cancel_order", {"order_id": "#W1234567"},
                               prompt="Cancel #W1234567?")
    state = fold([ask])
    assert ask.name == PENDING_CONFIRMATION_SLOT
    assert state.pending_confirmation == {"action": "cancel_order",
                                          "args": {"order_id": "#W1234567"},
                                          "prompt": "Cancel #W1234567?"}
    assert fold([ask, clear_confirmation()]).pending_confirmation is None
    # it survives serialisation like any slot
    assert event_from_dict(event_to_dict(ask)) == ask


def test_consecutive_misunderstandings() -> None:
    def user(intent: str | None) -> UserUttered:
        return UserUttered(text="…", intent=intent, confidence=0.1)

    state = fold([user(None), user("out_of_scope"), user("nlu_fallback")])
    assert state.misunderstandings == 3 and state.turns == 3
    assert fold([user(None), user("greeting")]).misunderstandings == 0
    assert fold([user("greeting"), user(None)]).misunderstandings == 1


def test_language_keeps_the_last_known() -> None:
    state = fold([UserUttered(text="你好", intent="greeting", language="zh"),
                  UserUttered(text="#W1234567", intent="order_status", language=None)])
    assert state.language == "zh"
    assert ConversationState().pending_confirmation is None
