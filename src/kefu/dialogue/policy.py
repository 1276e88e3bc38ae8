"""The dialogue policy: what kefu does with one understood message.

In order: a conversation already with a human stays there; a pending confirmation gets
its yes (write) or anything else (revise or drop); an offered hand-off gets its answer;
requests for a human and complaints; verification details; the active task's form is
filled when the message answers it, otherwise a new request pushes a task (a context
switch) and the earlier one resumes when it is done; answers from the store; small talk;
and "I did not understand", which offers a human after two misses in a row.
"""

from __future__ import annotations

import re
from typing import Any

from kefu.dialogue import forms
from kefu.dialogue.context import HANDOFF_OFFERED_SLOT, Turn
from kefu.dialogue.flows import (
    changes,
    info,
    knowledge,
    preferences,
    recommend,
    similar,
    talk,
    verification,
)
from kefu.dialogue.flows.filling import ask, ask_order, fill
from kefu.dialogue.understanding import asks_for_human, is_affirm, is_correction, is_deny

INFO_INTENTS = frozenset({"promotions", "price", "stock_availability", "product_question",
                          "product_recommendation"})
REQUEST_INTENTS = forms.CUSTOMER_TASKS | INFO_INTENTS | knowledge.KNOWLEDGE_INTENTS | {
    "account_login"}
STATUS_CHECKED = frozenset(forms.WRITE_ACTIONS) | {"warranty_repair"}
SWITCH_CONFIDENCE = 0.5
LOOSE_SWITCH_CONFIDENCE = 0.25
# Task values only a customer's answer sets (items can follow from the order alone).
_CHOSEN_VALUES = ("reason", "payment_method_id", "has_address", "new_item_ids")


def decide(turn: Turn) -> None:
    if turn.state.handed_off and not _is_new_request(turn):
        turn.say("handoff_waiting", ref=turn.conversation_id)
        return
    task = forms.active(turn)
    if not (task and _answers_question(turn, task)) and not recommend.about_shown(turn) \
            and knowledge.answer_question(turn):
        _back_to_task(turn)  # a policy question in the middle of a task leaves it as it was
        return
    pending = turn.state.pending_confirmation
    if pending is not None and _answer_pending(turn, pending):
        return
    if turn.slot(HANDOFF_OFFERED_SLOT) and _answer_handoff_offer(turn):
        return
    if not turn.state.verified:
        if _verify(turn):
            return
    elif verification.mentions_other_customer(turn):
        turn.say("other_customer")
        return
    if asks_for_human(turn.text) or (turn.intent == "request_human" and not turn.only_values
                                     and turn.confidence >= SWITCH_CONFIDENCE):
        talk.hand_off(turn, "requested")
        return
    if preferences.handle(turn):
        return
    task = forms.active(turn)
    if task is None and recommend.follow_up(turn):
        return
    if task is not None and turn.state.verified and _work_on(turn, task):
        return
    if turn.intent == "complaint" and turn.confidence >= SWITCH_CONFIDENCE:
        talk.offer_human(turn, "offer_human_complaint", reason="complaint")
        return
    _new_request(turn)


def _is_new_request(turn: Turn) -> bool:
    return turn.intent in REQUEST_INTENTS and turn.confidence >= SWITCH_CONFIDENCE


# Intents the model confuses that share one form: one is not a switch from the other.
_SAME_FORM = ({"modify_order_items", "exchange_item"}, {"modify_order_address",
                                                       "change_default_address"})


def _is_switch(turn: Turn, task: dict[str, Any], threshold: float = SWITCH_CONFIDENCE) -> bool:
    if any({turn.intent, task["name"]} <= group for group in _SAME_FORM):
        return False
    return (turn.intent in REQUEST_INTENTS and turn.intent != task["name"]
            and turn.confidence >= threshold)


def _work_on(turn: Turn, task: dict[str, Any]) -> bool:
    """Fill the active task from the message; False when the message is about something
    else (handled as a new request)."""
    if task.get("stage") == "offer_repair":
        return _answer_repair_offer(turn, task)
    if task.get("stage") == "problem":
        task = {**task, "name": "repair", "problem": turn.text.strip()[:500]}
        task.pop("stage", None)
        forms.pop(turn)
        forms.push(turn, **task)
        continue_task(turn, task)
        return True
    before = forms.missing(task)
    mark = turn.checkpoint()
    filled, changed = fill(turn, task)
    same_order = before == "order" or filled.get("order_id") == task.get("order_id")
    answered = before is not None and forms.missing(filled) != before and same_order
    # "no, the other order" corrects the task; "where is my other order?" is a new request
    threshold = SWITCH_CONFIDENCE if is_correction(turn.text) else LOOSE_SWITCH_CONFIDENCE
    gave_more = any(filled.get(k) != task.get(k) for k in _CHOSEN_VALUES)
    if answered and before == "order" and not gave_more and _is_switch(turn, task) and \
            _is_long(turn.text):
        answered = False  # "when will I get my refund for #W1?" names an order, but asks anew
    on_topic = answered or _answers_question(turn, task)
    if _is_switch(turn, task, threshold) and not on_topic:
        turn.rollback(mark)
        return False
    if changed is None:
        return True
    if on_topic or changed:
        forms.save(turn, filled)
        continue_task(turn, filled)
        return True
    turn.rollback(mark)
    return False


def _answers_question(turn: Turn, task: dict[str, Any]) -> bool:
    """The message is about what kefu just asked, even if it cannot be used as it is
    ("size 39" when there is no 39): kefu stays on the question and says why."""
    from kefu.dialogue.understanding import ordinals, payment_mentions

    parse, asked = turn.parse, task.get("asked")
    if asked == "new_items":
        return bool(parse.entities_of("option") or parse.entities_of("item_id"))
    if asked == "items":
        return bool(parse.entities_of("product") or ordinals(turn.text))
    if asked == "reason":
        return bool(parse.entities_of("cancel_reason"))
    if asked == "payment":
        return any(payment_mentions(turn.text))
    if asked in ("address", "address_zip"):
        return bool(parse.entities_of("address") or parse.entities_of("zip"))
    return False


def _is_long(text: str) -> bool:
    """More than a bare answer: four words or more, or eight Chinese characters."""
    return len(text.split()) >= 4 or len(re.findall(r"[\u4e00-\u9fff]", text)) >= 8


def _new_request(turn: Turn) -> None:
    intent = turn.intent
    task = forms.active(turn)
    if intent in forms.CUSTOMER_TASKS:
        if not turn.state.verified:
            _push_unverified(turn, intent)
            verification.ask(turn)
            return
        if task is not None and task["name"] == intent:
            continue_task(turn, task)
            return
        new = forms.push(turn, intent)
        new, changed = fill(turn, new)
        if changed is None:
            forms.pop(turn)
            return
        forms.save(turn, new)
        continue_task(turn, new)
        return
    if intent == "product_recommendation":
        recommend.start(turn)
    elif intent in INFO_INTENTS:
        info.promotions(turn) if intent == "promotions" else info.products(turn)
    elif intent in knowledge.KNOWLEDGE_INTENTS:
        knowledge.answer(turn)
    elif intent == "account_login":
        turn.say("account_login", info.offer_buttons(turn))
        turn.set_slot(HANDOFF_OFFERED_SLOT, "cannot_solve")
    elif intent in talk.SMALLTALK:
        talk.smalltalk(turn)
    elif intent in ("affirm", "deny"):
        turn.say("anything_else")
    elif talk.not_understood(turn):
        return
    if task is not None and not turn.handoff:
        _reask(turn, task)


def _back_to_task(turn: Turn) -> None:
    task = forms.active(turn)
    if task is None or turn.slot(HANDOFF_OFFERED_SLOT):
        return
    if not turn.state.verified:
        verification.ask(turn)
        return
    resume(turn)


def _push_unverified(turn: Turn, intent: str) -> None:
    """A request before verification; the order it names is kept, unchecked, until the
    customer is verified (:func:`kefu.dialogue.flows.filling.fill_order` checks it)."""
    named = turn.parse.first("order_id")
    forms.push(turn, intent, **({"named_order": named} if named else {}))


def _reask(turn: Turn, task: dict[str, Any]) -> None:
    if not turn.state.verified:
        verification.ask(turn)
        return
    need = forms.missing(task)
    if need is not None:
        ask_need(turn, task, need)


def ask_need(turn: Turn, task: dict[str, Any], need: str) -> None:
    if need == "order":
        order_id = ask_order(turn, task)
        if order_id == "":
            forms.pop(turn)
            return
        if order_id:
            task["order_id"] = order_id
            continue_task(turn, task)
            return
        task["asked"] = "order"
    else:
        ask(turn, task, need)
    forms.save(turn, task)


def continue_task(turn: Turn, task: dict[str, Any]) -> None:
    """Ask for the next missing piece, or finish the task (answer or propose the write)."""
    from kefu.dialogue.flows import customer

    task = forms.form_for_status(turn, task)
    if task.get("order_id") and task["name"] in STATUS_CHECKED and \
            not changes.status_allows(turn, task):
        forms.pop(turn)
        resume(turn)
        return
    need = forms.missing(task)
    if need == "order":
        order_id = ask_order(turn, task)
        if order_id == "":
            forms.pop(turn)
            return
        if order_id is None:
            task["asked"] = "order"
            forms.save(turn, task)
            return
        task["order_id"] = order_id
        customer.focus(turn, order_id)
        forms.save(turn, task)
        continue_task(turn, task)
        return
    if need is not None:
        ask(turn, task, need)
        forms.save(turn, task)
        return
    _finish(turn, task)


def _finish(turn: Turn, task: dict[str, Any]) -> None:
    name = task["name"]
    if name in ("order_status", "delivery_problem"):
        info.order_status(turn, task["order_id"])
        if name == "delivery_problem":
            talk.offer_human(turn, "delivery_problem", reason="delivery_problem")
    elif name == "refund_status":
        info.refund_status(turn, task["order_id"])
    elif name == "coupons":
        info.coupons(turn)
    elif name == "warranty_repair":
        if info.warranty(turn, task):
            task["stage"] = "offer_repair"
            forms.save(turn, task)
            turn.say("offer_repair", turn.yes_no_buttons())
            return
    else:
        task["asked"] = "confirm"
        proposed = changes.propose(turn, task)
        forms.save(turn, task)
        if not proposed and task.get("asked") == "confirm":  # else it asks again for a value
            forms.pop(turn)
            resume(turn)
        return
    forms.pop(turn)
    resume(turn)


def resume(turn: Turn) -> None:
    """Back to the task below the one just finished, with a short reminder."""
    from kefu.dialogue import wording

    task = forms.active(turn)
    if task is None or turn.handoff or turn.slot(HANDOFF_OFFERED_SLOT):
        return
    turn.say("resume", task=wording.task_name(task["name"], turn.lang))
    if task.get("stage") == "offer_repair":
        turn.say("offer_repair", turn.yes_no_buttons())
        return
    if forms.missing(task) is None and task.get("asked") == "confirm":
        changes.propose(turn, task)
        return
    continue_task(turn, task)


def _answer_repair_offer(turn: Turn, task: dict[str, Any]) -> bool:
    if info.accepts_repair(turn, task):
        task["stage"] = "problem"
        forms.save(turn, task)
        turn.say("ask_problem", name=task.get("item_name", ""))
        return True
    if is_deny(turn.text, turn.intent):
        forms.pop(turn)
        turn.say("anything_else")
        return True
    forms.pop(turn)
    return False


def _answer_pending(turn: Turn, pending: dict[str, Any]) -> bool:
    """True when the message was the answer to the pending confirmation."""
    if pending.get("flow") == preferences.FLOW:
        return preferences.answer(turn, pending)
    task = forms.active(turn)
    if is_affirm(turn.text, turn.intent, turn.confidence):
        written = changes.execute(turn, pending)
        if not written and task is not None and turn.unseal("address") is None and \
                changes.needs_raw_values(pending):
            task["has_address"] = False
            ask_need(turn, task, "address")
            return True
        forms.pop(turn)
        resume(turn)
        return True
    from kefu.dialogue.state import clear_confirmation

    turn.add(clear_confirmation())
    if task is not None and task["name"] == pending.get("task"):
        mark = turn.checkpoint()
        revised, changed = fill(turn, task)
        gave_more = any(revised.get(k) and revised.get(k) != task.get(k)
                        for k in _CHOSEN_VALUES)
        if not gave_more and not is_correction(turn.text) and _is_switch(turn, task):
            # "by the way, where is my other order?": answered next; the change waits
            # (still at its confirmation) and is proposed again when the task resumes
            turn.rollback(mark)
            return False
        if changed is None:
            forms.pop(turn)
            return True
        if changed:
            forms.save(turn, revised)
            continue_task(turn, revised)
            return True
        if _restates(turn, task) and changes.propose(turn, task):
            return True  # "ok, go on with the return": the same change, asked again
    forms.pop(turn)
    if is_deny(turn.text, turn.intent) or turn.intent not in REQUEST_INTENTS:
        turn.say("not_done")
        resume(turn)
        return True
    turn.say("not_done")
    return False


def _restates(turn: Turn, task: dict[str, Any]) -> bool:
    """The message asks again for the task waiting for its yes, changing nothing."""
    intent = "warranty_repair" if task["name"] == "repair" else task["name"]
    return turn.intent == intent and turn.confidence >= SWITCH_CONFIDENCE and \
        not is_deny(turn.text, turn.intent)


def _answer_handoff_offer(turn: Turn) -> bool:
    reason = str(turn.slot(HANDOFF_OFFERED_SLOT))
    turn.set_slot(HANDOFF_OFFERED_SLOT, None)
    if is_affirm(turn.text, turn.intent, turn.confidence) or turn.intent == "request_human":
        talk.hand_off(turn, reason)
        return True
    if is_deny(turn.text, turn.intent):
        turn.say("handoff_declined")
        task = forms.active(turn)
        if task is not None:
            _reask(turn, task)
        return True
    return False


def _verify(turn: Turn) -> bool:
    """Verification first; True when the turn is done."""
    outcome = verification.try_verify(turn)
    if outcome == "none":
        return False
    intent = turn.intent
    # "my email is ..., where is my order?" asks something too; a bare answer to the
    # verification question does not (its intent is whatever the model guesses)
    if intent in forms.CUSTOMER_TASKS and forms.active(turn) is None and \
            turn.confidence >= SWITCH_CONFIDENCE:
        _push_unverified(turn, intent)
    if outcome != "verified":
        return True
    task = forms.active(turn)
    if task is None:
        if not similar.resume(turn):  # a request that waited for verification
            turn.say("verified_how_help")
        return True
    task, changed = fill(turn, task)
    if changed is None:
        return True
    forms.save(turn, task)
    continue_task(turn, task)
    return True
