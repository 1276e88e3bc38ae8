"""The admin view's API: conversations (masked) and figures over them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from kefu.channels.http.deps import AdminAgent, Context
from kefu.channels.http.reports import stats
from kefu.channels.http.schemas import ConversationRowOut, ErrorOut, StatsOut

router = APIRouter(prefix="/api/v1/admin", tags=["admin"],
                   responses={c: {"model": ErrorOut} for c in (401, 403)})

Limit = Annotated[int, Query(ge=1, le=5000, description="How many recent conversations")]


@router.get("/stats", response_model=StatsOut)
async def admin_stats(agent: AdminAgent, context: Context, limit: Limit = 500) -> StatsOut:
    """Containment and hand-off rates, reply latency and intents over recent conversations."""
    figures = await run_in_threadpool(stats, context.service.tracker, limit)
    data = {k: v for k, v in figures.__dict__.items() if k != "rows"}
    return StatsOut(**data)


@router.get("/conversations", response_model=list[ConversationRowOut])
async def admin_conversations(agent: AdminAgent, context: Context,
                              limit: Limit = 100) -> list[ConversationRowOut]:
    """The most recently updated conversations (ids and figures; no message text)."""
    figures = await run_in_threadpool(stats, context.service.tracker, limit)
    return [ConversationRowOut(**row.__dict__) for row in figures.rows]
