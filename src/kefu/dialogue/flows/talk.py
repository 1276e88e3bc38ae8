"""Small talk, not understanding, and handing the conversation to a human agent."""

from __future__ import annotations

from kefu.dialogue import wording
from kefu.dialogue.context import HANDOFF_OFFERED_SLOT, Turn
from kefu.dialogue.events import HandedOff
from kefu.dialogue.flows.info import offer_buttons
from kefu.dialogue.forms import stack

SMALLTALK = {"greeting": "greet", "thanks": "thanks", "goodbye": "goodbye",
             "chitchat": "chitchat"}


def smalltalk(turn: Turn) -> None:
    turn.say(SMALLTALK[turn.intent])


def offer_human(turn: Turn, key: str = "offer_human", reason: str = "cannot_solve") -> None:
    turn.set_slot(HANDOFF_OFFERED_SLOT, reason)
    turn.say(key, turn.yes_no_buttons())


def summary(turn: Turn) -> str:
    """What a human agent needs: who, what is open, what was last said (masked)."""
    from kefu.privacy import get_masker

    state = turn.state
    parts = [f"customer: {turn.customer_id or 'not verified'}"
             + (f" (verified by {state.verification_method})" if state.verified else ""),
             f"language: {turn.lang}", f"turns: {state.turns}"]
    tasks = stack(turn)
    if tasks:
        parts.append("open requests: " + "; ".join(
            wording.task_name(t["name"], "en") + (f" for order {t['order_id']}"
                                                   if t.get("order_id") else "")
            for t in tasks))
    if state.last_intent:
        parts.append(f"last intent: {state.last_intent}")
    parts.append(f"last message: {get_masker().mask_text(turn.text)}")
    return "; ".join(parts)


def hand_off(turn: Turn, reason: str) -> None:
    """Write the hand-off record and tell the customer what happens next."""
    note = summary(turn)
    turn.call("transfer_to_human_agents", summary=note, conversation_id=turn.conversation_id,
              user_id=turn.customer_id, reason=reason)
    turn.add(HandedOff(reason=reason, summary=note))
    turn.set_slot(HANDOFF_OFFERED_SLOT, None)
    turn.handoff = True
    turn.say("handoff_done", ref=turn.conversation_id)


def not_understood(turn: Turn) -> bool:
    """Say so; after two misunderstandings in a row, offer a human. True when offered."""
    if turn.state.misunderstandings >= 2:
        offer_human(turn)
        return True
    turn.say("not_understood")
    return False


__all__ = ["hand_off", "not_understood", "offer_buttons", "offer_human", "smalltalk"]
