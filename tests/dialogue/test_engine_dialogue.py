"""Conversation skills: context switches, references, misunderstandings, hand-off,
language, small talk and answers from the store."""

from __future__ import annotations

from typing import Any

import pytest

from kefu.identity import sign_customer_token
from kefu.tools import call_tool
from tests.dialogue.engine_support import SECRET, Chat, find_shopper, write_names

# One worker trains the NLU model and runs every test that needs it.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dialogue_engine")]


def _signed_in(chat: Chat, shopper: Any, text: str) -> Any:
    return chat.say(text, token=sign_customer_token(shopper.user_id, SECRET))


def test_which_order_lists_candidates_with_dates_and_buttons(demo_chat: Chat) -> None:
    shopper = find_shopper(demo_chat.assistant.services.store, chinese=False, pending=2)
    result = _signed_in(demo_chat, shopper, "I want to cancel an order")
    pending = [o["order_id"] for o in shopper.of("pending")]
    buttons = [b.payload for r in result.replies for b in r.buttons]
    assert buttons[:len(pending)] == pending
    assert "2026" in result.text  # dates
    assert shopper.of("pending")[0]["items"][0]["name"] in result.text
    picked = demo_chat.say("the second one")
    assert "cancel" in picked.text.lower() and "mistake" in picked.text.lower()
    state = demo_chat.assistant.state(demo_chat.conversation_id)
    assert state.slots["tasks"][-1]["order_id"] == pending[1]


def test_context_switch_and_resumption(demo_chat: Chat) -> None:
    store = demo_chat.assistant.services.store
    shopper = find_shopper(store, chinese=False, pending=1, delivered_recently=1,
                           extra=lambda s: len(s.of("delivered")[0]["items"]) > 1)
    delivered = shopper.of("delivered")[0]["order_id"]
    pending = shopper.of("pending")[0]["order_id"]
    asked = _signed_in(demo_chat, shopper, f"I want to return items from order {delivered}")
    assert asked.replies[-1].buttons  # which items?
    switched = demo_chat.say(f"wait, where is my other order {pending}?")
    assert pending in switched.text
    assert "back to your earlier request" in switched.text.lower()
    assert delivered in switched.text  # the items question again, for the return
    done = demo_chat.say("all of them")
    assert done.awaiting_confirmation == "return_delivered_order_items"
    assert done.actions == () or all(not a.name.startswith("return") for a in done.actions)


def test_two_misunderstandings_offer_a_human_and_yes_hands_off(demo_chat: Chat) -> None:
    first = demo_chat.say("qwzx plorf vrum")
    assert not first.handoff and "didn't" in first.text.lower() or "not sure" in first.text
    second = demo_chat.say("blarg snoof quux")
    assert "human agent" in second.text
    handed = demo_chat.say("yes")
    assert handed.handoff and write_names(handed) == ["transfer_to_human_agents"]
    record = call_tool(demo_chat.assistant.services.store, "list_open_handoffs", {})[-1]
    assert record["conversation_id"] == demo_chat.conversation_id
    assert "last message" in record["summary"]
    after = demo_chat.say("hello?")
    assert "human colleague" in after.text and not after.actions


def test_request_for_a_human_writes_a_handoff_record_in_chinese(demo_chat: Chat) -> None:
    shopper = find_shopper(demo_chat.assistant.services.store, chinese=True, pending=1)
    _signed_in(demo_chat, shopper, "我想取消订单")
    result = demo_chat.say("转人工客服")
    assert result.handoff and result.language == "zh" and "人工客服" in result.text
    record = call_tool(demo_chat.assistant.services.store, "list_open_handoffs", {})[-1]
    assert record["user_id"] == shopper.user_id
    assert "cancelling an order" in record["summary"]


def test_language_follows_the_customer(demo_chat: Chat) -> None:
    assert demo_chat.say("hello").language == "en"
    switched = demo_chat.say("你好，我想问一下有什么优惠活动")
    assert switched.language == "zh"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in switched.text)
    assert demo_chat.say("#W1234567").language == "zh"  # an id alone keeps the language
    demo_chat.assistant.set_language(demo_chat.conversation_id, "en")
    forced = demo_chat.say("谢谢")
    assert forced.language == "en"


def test_small_talk_and_store_answers(demo_chat: Chat) -> None:
    assert "help" in demo_chat.say("hi there").text.lower()
    promotions = demo_chat.say("are there any sales going on right now?")
    offers = call_tool(demo_chat.assistant.services.store, "list_active_promotions", {})
    if offers:
        assert offers[0]["name_en"] in promotions.text
    shipping = demo_chat.say("how much does shipping cost to Canada?")
    assert "human" in shipping.text and not shipping.handoff


def test_same_conversation_reads_the_same(demo_store: Any, demo_nlu: Any, tmp_path: Any,
                                          masker: Any, demo_day: None) -> None:
    from tests.dialogue.engine_support import make_assistant

    texts = ["hi", "I want to cancel an order", "no idea", "thanks, bye"]
    runs = []
    for name in ("a", "b"):
        assistant = make_assistant(demo_store, demo_nlu, f"sqlite:///{tmp_path / name}.db",
                                   masker)
        runs.append([assistant.handle("same-id", t).text for t in texts])
        assistant.close()
    assert runs[0] == runs[1]
