"""Who the customer is: nothing before verification, four ways to verify, one customer."""

from __future__ import annotations

import pytest

from kefu.errors import Unauthorized
from kefu.identity import sign_customer_token
from tests.dialogue.engine_support import SECRET, Chat, find_shopper

# One worker trains the NLU model and runs every test that needs it.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dialogue_engine")]


def test_nothing_is_shown_before_verification(demo_chat: Chat) -> None:
    shopper = find_shopper(demo_chat.assistant.services.store, pending=1)
    order_id = shopper.of("pending")[0]["order_id"]
    result = demo_chat.say(f"where is my order {order_id}?")
    assert result.actions == ()  # not even a read
    assert "confirm it's you" in result.text and "phone" in result.text
    assert not result.verified
    assert shopper.of("pending")[0]["items"][0]["name"] not in result.text


def test_verify_by_email_then_order_status(demo_chat: Chat) -> None:
    shopper = find_shopper(demo_chat.assistant.services.store, chinese=False, pending=1)
    demo_chat.say("where is my order?")
    result = demo_chat.say(f"my email is {shopper.email}")
    assert result.verified and result.customer_id == shopper.user_id
    assert shopper.first_name in result.text
    assert [a.name for a in result.actions][0] == "find_user_id_by_email"
    # the pending question resumes: which order (with the customer's own orders listed)
    assert any(b.payload.startswith("#W") for r in result.replies for b in r.buttons)


def test_verify_by_name_and_zip_in_chinese(demo_chat: Chat) -> None:
    shopper = find_shopper(demo_chat.assistant.services.store, chinese=True, pending=1)
    first = demo_chat.say("我想查一下我的订单")
    assert "验证" in first.text or "核实" in first.text
    result = demo_chat.say(f"我叫{shopper.last_name}{shopper.first_name}，邮编{shopper.zip}")
    assert result.verified and result.customer_id == shopper.user_id
    assert result.language == "zh"
    assert "订单" in result.text


def test_verify_by_name_then_zip_in_two_turns(demo_chat: Chat) -> None:
    shopper = find_shopper(demo_chat.assistant.services.store, chinese=False, pending=1)
    demo_chat.say("I want to check my order")
    asked = demo_chat.say(f"I'm {shopper.first_name} {shopper.last_name}")
    assert not asked.verified and "zip" in asked.text.lower()
    result = demo_chat.say(shopper.zip)
    assert result.verified and result.customer_id == shopper.user_id


def test_verify_by_order_id_and_phone(demo_chat: Chat) -> None:
    shopper = find_shopper(demo_chat.assistant.services.store, chinese=False, pending=1,
                           extra=lambda s: s.phone)
    order = shopper.of("pending")[0]
    demo_chat.say("can you check an order for me")
    result = demo_chat.say(f"order {order['order_id']}, my phone is {shopper.phone}")
    assert result.verified and result.customer_id == shopper.user_id


def test_signed_token_verifies_without_asking(demo_chat: Chat) -> None:
    shopper = find_shopper(demo_chat.assistant.services.store, chinese=False, pending=1)
    token = sign_customer_token(shopper.user_id, SECRET, ttl=600)
    result = demo_chat.say("I want to cancel an order", token=token)
    assert result.verified and result.customer_id == shopper.user_id
    assert "confirm who you are" not in result.text
    assert demo_chat.assistant.state(demo_chat.conversation_id).verification_method == "token"


def test_bad_or_foreign_token_is_refused(demo_chat: Chat) -> None:
    store = demo_chat.assistant.services.store
    with pytest.raises(Unauthorized):
        demo_chat.say("hi", token=sign_customer_token("someone", "another-secret"))
    first = find_shopper(store, chinese=False, pending=1)
    demo_chat.say("hi", token=sign_customer_token(first.user_id, SECRET))
    other = find_shopper(store, chinese=True, pending=1)
    with pytest.raises(Unauthorized, match="another customer"):
        demo_chat.say("hi", token=sign_customer_token(other.user_id, SECRET))


def test_failed_verification_does_not_say_which_detail_was_wrong(demo_chat: Chat) -> None:
    shopper = find_shopper(demo_chat.assistant.services.store, chinese=False, pending=1)
    demo_chat.say("where is my order")
    unknown = demo_chat.say("my email is nobody.at.all@example.com")
    wrong_zip = demo_chat.say(f"I'm {shopper.first_name} {shopper.last_name}, zip 00000")
    assert not unknown.verified and not wrong_zip.verified
    assert unknown.replies[0].text == wrong_zip.replies[0].text


def test_another_customers_order_is_refused_like_a_missing_one(demo_chat: Chat) -> None:
    store = demo_chat.assistant.services.store
    me = find_shopper(store, chinese=False, pending=1)
    other = find_shopper(store, chinese=False, pending=1,
                         extra=lambda s: s.user_id != me.user_id)
    theirs = other.of("pending")[0]["order_id"]
    demo_chat.say(f"hi, my email is {me.email}")
    refused = demo_chat.say(f"what's the status of order {theirs}?")
    missing = demo_chat.say("what's the status of order #W0000001?")
    assert refused.replies[0].text.replace(theirs, "#X") == \
        missing.replies[0].text.replace("#W0000001", "#X")
    assert other.of("pending")[0]["items"][0]["name"] not in refused.text
    emails = demo_chat.say(f"and what about the account {other.email}?")
    assert "anyone else" in emails.text or "only help" in emails.text
