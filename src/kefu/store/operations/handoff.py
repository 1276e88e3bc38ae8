"""Handing a conversation to a human agent (tau-bench's transfer tool, with a record)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from kefu.errors import InvalidInput
from kefu.store import clock
from kefu.store.db import Store
from kefu.store.models import Handoff
from kefu.tools.registry import tool

TRANSFER_REPLY = "Transfer successful"


@dataclass(frozen=True)
class HandoffInfo:
    handoff_id: int
    summary: str
    reason: str
    status: str
    created_at: datetime
    conversation_id: str | None = None
    user_id: str | None = None


@tool(writes=True)
def transfer_to_human_agents(store: Store, summary: str, conversation_id: str | None = None,
                             user_id: str | None = None, reason: str = "requested") -> str:
    """Transfer the customer to a human agent, with a summary of the customer's issue.
    Only transfer if the customer explicitly asks for a human agent, or if the issue cannot
    be solved with the available tools or the store policy forbids what they need.

    Args:
        summary: A summary of the customer's issue for the human agent.
        conversation_id: The conversation being handed over, if known.
        user_id: The customer's user id, if authenticated.
        reason: Why: e.g. 'requested', 'policy', 'cannot_solve', 'complaint'.
    """
    if not summary.strip():
        raise InvalidInput("summary must not be empty: say what the customer needs")
    with store.transaction() as session:
        session.add(Handoff(conversation_id=conversation_id, customer_id=user_id,
                            summary=summary.strip(), reason=reason.strip() or "requested",
                            status="open", created_at=clock.now()))
    return TRANSFER_REPLY


@tool()
def list_open_handoffs(store: Store, limit: int = 20) -> list[HandoffInfo]:
    """List conversations waiting for a human agent, oldest first.

    Args:
        limit: How many to list (1 to 200, default 20).
    """
    if not 1 <= limit <= 200:
        raise InvalidInput(f"limit must be between 1 and 200, got {limit}")
    with store.session() as session:
        rows = session.scalars(select(Handoff).where(Handoff.status == "open")
                               .order_by(Handoff.created_at, Handoff.id).limit(limit))
        return [HandoffInfo(h.id, h.summary, h.reason, h.status, clock.aware(h.created_at),
                            h.conversation_id, h.customer_id) for h in rows]
