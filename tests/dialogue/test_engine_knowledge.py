"""Answers from the knowledge base inside the conversation (kefu.dialogue.flows.knowledge):
which messages go there, answers with sources in both languages, "I don't know" with a
human offer, the task in progress left as it was, and no knowledge base loaded for turns
that do not need one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kefu.dialogue.context import HANDOFF_OFFERED_SLOT, Services, Turn
from kefu.dialogue.events import ActionExecuted
from kefu.dialogue.flows.knowledge import LOOKUP, is_general_question
from kefu.dialogue.state import ConversationState
from kefu.identity import sign_customer_token
from kefu.knowledge import KnowledgeBase
from kefu.knowledge.source import KnowledgeSource
from kefu.nlu.types import Entity, IntentScore, ParseResult
from kefu.privacy.sealing import Sealer
from kefu.store.policy import StorePolicy
from tests.dialogue.engine_support import SECRET, Chat, make_assistant

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dialogue_engine")]


def _turn(text: str, intent: str, *entities: tuple[str, str]) -> Turn:
    parse = ParseResult(text=text, intent=IntentScore(intent, 0.95), entities=tuple(
        Entity(type=kind, value=value, start=0, end=len(value)) for kind, value in entities))
    services = Services(store=None, policy=StorePolicy(), sealer=Sealer("test-secret"))
    return Turn("c", ConversationState(), parse, services, "en")


@pytest.mark.parametrize(("text", "intent", "entities"), [
    ("what is your return policy?", "return_item", ()),
    ("wait, how long do refunds take?", "refund_status", ()),
    ("how long does a refund take to my card?", "refund_status", ()),
    ("how long is the warranty on a laptop?", "warranty_repair", (("product", "1"),)),
    ("保修多久", "warranty_repair", ()),
    ("我想知道退货运费谁出", "return_item", ()),
])
def test_general_questions_are_for_the_knowledge_base(
        text: str, intent: str, entities: tuple[tuple[str, str], ...]) -> None:
    assert is_general_question(_turn(text, intent, *entities))


@pytest.mark.parametrize(("text", "intent", "entities"), [
    ("I want to return my order", "return_item", ()),  # a request, not a question
    ("where is my refund?", "refund_status", ()),  # about the customer's own refund
    ("can you cancel order #W1657502?", "cancel_order", (("order_id", "#W1657502"),)),
    ("how much is the air fryer?", "price", (("product", "3"),)),  # the catalog's
    ("我要退货", "return_item", ()),
    ("我的订单到哪了？", "order_status", ()),
    ("all of them", "affirm", ()),
])
def test_requests_and_personal_questions_are_not(
        text: str, intent: str, entities: tuple[tuple[str, str], ...]) -> None:
    assert not is_general_question(_turn(text, intent, *entities))


def _signed_in(chat: Chat, customer: str, text: str) -> Any:
    return chat.say(text, token=sign_customer_token(customer, SECRET))


def _lookups(chat: Chat) -> list[ActionExecuted]:
    from kefu.dialogue.events import Event

    events: list[Event] = chat.assistant.components.tracker.events(chat.conversation_id)
    return [e for e in events if isinstance(e, ActionExecuted) and e.name == LOOKUP]


def test_a_shipping_question_is_answered_with_its_source_in_both_languages(
        demo_kb_chat: Chat) -> None:
    english = demo_kb_chat.say("do you ship to Hong Kong?")
    assert "Hong Kong" in english.text and "(Source: Shipping › Where we ship)" in english.text
    assert not english.handoff and english.actions == ()  # no store operation, no write
    chinese = demo_kb_chat.say("寄到香港的运费是多少？")
    assert "35 元" in chinese.text and "来源：配送说明 › 运费" in chinese.text
    assert [e.result for e in _lookups(demo_kb_chat)] == ["shipping#regions", "shipping#costs"]


def test_an_unanswerable_question_says_so_and_a_yes_hands_off(demo_kb_chat: Chat) -> None:
    result = demo_kb_chat.say("Do you deliver by drone?")
    assert "Source" not in result.text and "human agent" in result.text
    assert not result.handoff
    state = demo_kb_chat.assistant.state(demo_kb_chat.conversation_id)
    assert state.slots.get(HANDOFF_OFFERED_SLOT) == "unanswered_question"
    assert [e.result for e in _lookups(demo_kb_chat)] == ["no confident answer"]
    assert demo_kb_chat.say("yes").handoff


def test_a_policy_question_keeps_the_pending_confirmation(demo_kb_chat: Chat) -> None:
    _signed_in(demo_kb_chat, "ava_lee_2267", "I want to return items from order #W5827229")
    proposed = demo_kb_chat.say("all of them")
    assert proposed.awaiting_confirmation == "return_delivered_order_items"
    question = demo_kb_chat.say("how long does a refund take to my card?")
    assert "(Source: Refunds › How long a refund takes)" in question.text
    assert "5-7 business days" in question.text
    assert question.awaiting_confirmation == "return_delivered_order_items"
    assert question.wrote() == [] and "#W5827229" in question.replies[-1].text
    done = demo_kb_chat.say("yes")
    assert [a.name for a in done.wrote()] == ["return_delivered_order_items"]


def test_a_question_the_documents_do_not_cover_goes_on_to_its_task(
        demo_kb_chat: Chat) -> None:
    """Under a task intent a question the knowledge base cannot answer is not refused:
    the task flow takes it (here: verification first)."""
    # (A cancellation question no longer fits: the documents' cancellation rules answer
    # "can I cancel the blue one I bought for my cousin?" confidently.)
    result = demo_kb_chat.say("can I return the blue one I bought for my cousin?")
    assert "Source" not in result.text and "verify" in result.text
    assert [e.result for e in _lookups(demo_kb_chat)] == ["no confident answer"]


def test_turns_that_do_not_need_it_never_open_the_knowledge_base(
        demo_store: Any, demo_nlu: Any, demo_knowledge: KnowledgeSource, tmp_path: Path,
        masker: Any, demo_day: None) -> None:
    opened: list[KnowledgeBase] = []

    def opener() -> KnowledgeBase:
        opened.append(demo_knowledge.get())
        return opened[-1]

    assistant = make_assistant(demo_store, demo_nlu, f"sqlite:///{tmp_path / 'conv.db'}",
                               masker, KnowledgeSource(opener))
    chat = Chat(assistant)
    _signed_in(chat, "ava_lee_2267", "where is my order #W1657502?")
    chat.say("I want to return the toothbrush from order #W5827229")
    chat.say("thanks")
    assert opened == []
    chat.say("what is your return policy?")
    assert len(opened) == 1
    assistant.close()


def test_without_a_knowledge_base_a_shipping_question_offers_a_human(
        demo_chat: Chat) -> None:
    result = demo_chat.say("do you ship to Hong Kong?")
    assert "human agent" in result.text and "Source" not in result.text


def test_retrieval_shares_only_a_frozen_intent_models_encoder(demo_nlu: Any) -> None:
    from kefu.dialogue.engine import retrieval_encoder
    from kefu.nlu.classifier import IntentClassifier

    frozen = demo_nlu.classifier
    assert retrieval_encoder(demo_nlu) is frozen.encoder
    tuned = IntentClassifier(frozen.encoder, frozen.weight, frozen.bias, frozen.labels,
                             metadata={"kind": "finetuned"}, middle_layer=frozen.middle_layer)
    assert retrieval_encoder(type(demo_nlu)(tuned, None)) is None
    # ONNX Runtime in fp32 gives the same embeddings: shared; int8 weights do not: not shared
    from pathlib import Path

    from kefu.nlu.encoder.onnx import OnnxSentenceEncoder

    for backend, shared in (("onnx", True), ("onnx-int8", False)):
        runtime = OnnxSentenceEncoder(None, None, prefix="query: ", max_length=128,
                                      dimension=frozen.encoder.dimension,
                                      directory=Path("encoder"), backend=backend)
        model = IntentClassifier(runtime, frozen.weight, frozen.bias, frozen.labels,
                                 metadata={"kind": "frozen"}, middle_layer=frozen.middle_layer)
        assert (retrieval_encoder(type(demo_nlu)(model, None)) is runtime) is shared
