"""Customer messages: ``POST /api/v1/chat`` and its streaming variant (Server-Sent Events).

The WebSocket variant (:mod:`kefu.channels.http.routers.chat_ws`) shares :func:`run_turn`,
:func:`check_streamed` and :func:`to_response` with these routes.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from kefu.channels.http.deps import Context, client_key
from kefu.channels.http.idempotency import pick_message_id
from kefu.channels.http.schemas import (
    ButtonOut,
    ChatRequest,
    ChatResponse,
    ErrorOut,
    IntentOut,
    ReplyOut,
)
from kefu.channels.http.service import ChatOutcome
from kefu.errors import KefuError

router = APIRouter(prefix="/api/v1", tags=["chat"])

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorOut} for code in (401, 404, 409, 413, 422, 429)}


def to_response(context: Context, outcome: ChatOutcome) -> ChatResponse:
    return ChatResponse(
        conversation_id=outcome.conversation_id,
        replies=[ReplyOut(text=r.text, buttons=[ButtonOut(title=b.title, payload=b.payload)
                                                for b in r.buttons]) for r in outcome.replies],
        intent=IntentOut(name=outcome.intent, confidence=round(outcome.confidence, 4)),
        handoff=outcome.handoff, language=outcome.language, agent=outcome.agent,
        access_key=context.service.access_token(outcome.conversation_id),
        replayed=outcome.replayed)


IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", description="The message id, as a header (see message_id).")]


def with_message_id(body: ChatRequest, idempotency_key: str | None) -> ChatRequest:
    """The request with its message id taken from the body or the header, checked."""
    message_id = pick_message_id(body.message_id, idempotency_key)
    return body.model_copy(update={"message_id": message_id})


def run_turn(context: Context, body: ChatRequest) -> ChatOutcome:
    """One turn, counted in the metrics (a replayed answer only as a replay)."""
    started = time.perf_counter()
    outcome = context.service.chat(body.text, body.conversation_id, body.customer_token,
                                   body.lang, body.message_id)
    metrics = context.metrics
    if outcome.replayed:
        metrics.replays.inc()
        return outcome
    metrics.latency.observe(time.perf_counter() - started)
    metrics.turns.labels(handled_by="agent" if outcome.agent else "kefu").inc()
    if outcome.intent:
        metrics.intents.labels(intent=outcome.intent).inc()
    if outcome.handoff and not outcome.agent:
        metrics.handoffs.inc()
    return outcome


@router.post("/chat", response_model=ChatResponse, responses=ERRORS)
def chat(body: ChatRequest, request: Request, context: Context,
         idempotency_key: IdempotencyKey = None) -> ChatResponse:
    """Send a customer message; get kefu's replies (or, under an agent, an empty list).
    Send a message id (``message_id`` or ``Idempotency-Key``) and the same one on a retry:
    the retry gets the first answer rather than the message being processed twice."""
    context.limiter.hit(client_key(request, body.customer_token))
    return to_response(context, run_turn(context, with_message_id(body, idempotency_key)))


def check_streamed(context: Context, body: ChatRequest) -> None:
    """What a streamed turn refuses before it starts, with the same 4xx as ``/chat``."""
    service = context.service
    service.check_text(body.text)
    customer = service.customer_of(body.customer_token)
    if body.conversation_id is not None:
        service.check_owner(body.conversation_id, service.state(body.conversation_id), customer)


def _sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/chat/stream", responses=ERRORS,
             response_class=StreamingResponse)
def chat_stream(body: ChatRequest, request: Request, context: Context,
                idempotency_key: IdempotencyKey = None) -> StreamingResponse:
    """The same turn as Server-Sent Events: ``typing``, then one ``reply`` per message,
    then ``done`` (the whole response), or ``error``. Bad input is answered before the
    stream starts, with the same 4xx as ``/chat``."""
    context.limiter.hit(client_key(request, body.customer_token))
    body = with_message_id(body, idempotency_key)
    check_streamed(context, body)

    async def events() -> AsyncIterator[str]:
        yield _sse("typing", {"typing": True})
        try:
            outcome = await run_in_threadpool(run_turn, context, body)
        except KefuError as exc:
            context.metrics.errors.labels(status=str(exc.status_code), code=exc.code).inc()
            yield _sse("error", {"code": exc.code, "message": exc.message, "hint": exc.hint,
                                 "status": exc.status_code})
            return
        response = to_response(context, outcome)
        for reply in response.replies:
            yield _sse("reply", reply.model_dump())
        yield _sse("done", response.model_dump())

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
