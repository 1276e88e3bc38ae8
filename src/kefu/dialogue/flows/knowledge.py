"""Answers from the store's knowledge base: policies, after-sales rules, FAQ.

Two ways in. Intents that are about the store's rules rather than the customer's data
(shipping, invoices, payment) are always answered from it. And a general question under
any other intent ("how long do refunds take?", "what is your return policy?", "保修多久")
is tried there first: a question (by its form) that names no order, item or personal
detail and asks for nothing to be done. When the knowledge base has a good enough
passage, kefu answers with it, condensed, in the customer's language, citing its source;
else a knowledge intent gets an honest "I don't know" and an offer of a human, and any
other intent goes on to its task as before. The question leaves the task in progress
alone: the policy resumes it afterwards.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from kefu.dialogue.context import HANDOFF_OFFERED_SLOT, Turn
from kefu.dialogue.events import ActionExecuted
from kefu.dialogue.flows import info, talk

if TYPE_CHECKING:
    from kefu.knowledge import Answer, KnowledgeBase

log = logging.getLogger(__name__)

#: Intents about the store's rules: answered from the knowledge base whatever their form.
KNOWLEDGE_INTENTS = frozenset({"shipping_info", "invoice", "payment_problem"})
#: Intents a general question is never tried on: small talk and answers, hand-off and
#: complaints, and what the catalog or the live promotions answer better.
NOT_TRIED = frozenset({"greeting", "thanks", "goodbye", "affirm", "deny", "request_human",
                       "complaint", "out_of_scope", "product_recommendation", "promotions"})
#: Entities that make a message about the customer's own data, not the store's rules.
PERSONAL_ENTITIES = frozenset({"order_id", "item_id", "email", "phone", "zip", "address",
                               "person"})
#: Intents the catalog answers: a named product goes there ("how much is the air fryer"),
#: while "what's the warranty on a laptop?" is still a question for the documents.
CATALOG_INTENTS = frozenset({"price", "stock_availability", "product_question"})
#: The name the lookup is logged under (an ActionExecuted event; not a store tool).
LOOKUP = "answer_from_knowledge_base"

_LEAD_IN = r"^\W*(?:(?:wait|hold on|oh|ok|okay|also|and|but|btw|by the way|sorry|hey|hi|" \
           r"quick question|one more thing|one question|another question)\W+)*"
_QUESTION_EN = re.compile(
    _LEAD_IN + r"(how|what|what's|whats|when|which|where|why|who|do|does|did|is|are|can|"
    r"could|will|would|should|may|must|am)\b|\?\s*$|\b(policy|policies|rules?)\b",
    re.IGNORECASE)
_QUESTION_ZH = re.compile(r"[?？]|吗|呢|多久|多长时间|几天|几个|多少|怎么|怎样|如何|什么|哪些|"
                          r"哪种|哪里|哪儿|是否|能不能|可不可以|能否|有没有|是不是|规则|政策|"
                          r"谁出|谁付|谁承担")
# About the customer's own order, parcel or refund: the task flows answer those.
_PERSONAL = re.compile(
    r"\b(my|our)\b[\w\s'-]{0,20}?\b(orders?|packages?|parcels?|deliver(y|ies)|shipments?|"
    r"refunds?|returns?|exchanges?|purchases?|items?|coupons?|account|invoices?|repairs?|"
    r"tracking)\b|\b(this|that|these|those|the) (order|orders|one|parcel|package|item|items)\b|"
    r"\bwhere('s| is| are)\b|"
    r"我的(订单|包裹|快递|退款|退货|换货|优惠券|发票|维修|账户|账号)|这单|那单|这笔|这个订单|"
    r"那个订单|刚才|到哪|在哪|进度|单号", re.IGNORECASE)
# Asking for something to be done ("I want to return it", "我要退货") rather than asking
# how something works; "我想知道..." / "I'd like to know" still ask.
_REQUEST = re.compile(
    r"\b(i want|i wanna|i'd like|i would like|i need|help me|let me)\b(?! to know)|"
    r"(我想|我要|帮我|麻烦|请帮|给我)(?!知道|问|了解|咨询)", re.IGNORECASE)


def is_general_question(turn: Turn) -> bool:
    """A question about how the store works, not about the customer's own data, and not
    a request to do something."""
    text = turn.text
    if not (_QUESTION_EN.search(text) or _QUESTION_ZH.search(text)):
        return False
    if any(e.type in PERSONAL_ENTITIES for e in turn.parse.entities):
        return False
    if turn.intent in CATALOG_INTENTS and turn.parse.entities_of("product"):
        return False
    return not (_PERSONAL.search(text) or _REQUEST.search(text))


def answer_question(turn: Turn) -> bool:
    """Answer a general question from the knowledge base; True when the turn is answered
    (a knowledge intent it cannot answer gets "I don't know" and a human offer)."""
    if turn.intent in NOT_TRIED or not is_general_question(turn):
        return False
    kb = _knowledge(turn)
    if kb is None:
        return False
    answer = _ask(turn, kb)
    if answer is None:
        return False
    if answer.confident:
        _say_answer(turn, answer)
        return True
    if turn.intent in KNOWLEDGE_INTENTS:
        dont_know(turn)
        return True
    return False  # not in the documents: the intent's own flow takes it from here


def answer(turn: Turn) -> None:
    """A knowledge intent's answer: the passage with its source, or "I don't know" and an
    offer of a human (also when no knowledge base is configured)."""
    kb = _knowledge(turn)
    found = _ask(turn, kb) if kb is not None else None
    if found is None:
        info.cannot_answer(turn, turn.intent)
        turn.set_slot(HANDOFF_OFFERED_SLOT, "cannot_solve")
    elif found.confident:
        _say_answer(turn, found)
    else:
        dont_know(turn)


def dont_know(turn: Turn) -> None:
    talk.offer_human(turn, "kb_dont_know", reason="unanswered_question")


def _say_answer(turn: Turn, answer: Answer) -> None:
    source = answer.sources[0]
    key = "kb_answer_other_language" if answer.other_language else "kb_answer"
    turn.say(key, answer=answer.body, title=source.title, source=source.cite())
    # an offer of a human from before is moot once the question is answered
    turn.set_slot(HANDOFF_OFFERED_SLOT, None)


def _knowledge(turn: Turn) -> KnowledgeBase | None:
    source = turn.services.knowledge
    if source is None:
        return None
    try:
        return source.get()
    except Exception:  # noqa: BLE001 - a broken index must not break the conversation
        log.exception("the knowledge base could not be opened")
        return None


def _ask(turn: Turn, kb: KnowledgeBase) -> Answer | None:
    try:
        found = kb.answer(turn.text, turn.lang)
    except Exception:  # noqa: BLE001 - as above: logged, and kefu says it cannot answer
        log.exception("the knowledge base failed on a question")
        return None
    cited = found.sources[0] if found.confident and found.sources else None
    turn.add(ActionExecuted(name=LOOKUP, args={"lang": turn.lang, "faq": found.faq}, ok=True,
                            result=f"{cited.doc}#{cited.section}" if cited
                            else "no confident answer"))
    return found
