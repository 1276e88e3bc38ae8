"""Reading a conversation back: the masked transcript, and a live stream of new lines."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from kefu.channels.http.deps import Context, OptionalAgent, client_key
from kefu.channels.http.schemas import ButtonOut, ErrorOut, LineOut, TranscriptOut
from kefu.channels.http.transcripts import Line, Transcript
from kefu.errors import NotFound, Unauthorized

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])
POLL_SECONDS = 1.0
STREAM_SECONDS = 300  # the browser's EventSource reconnects after this


def line_out(line: Line) -> LineOut:
    return LineOut(index=line.index, role=line.role, text=line.text,  # type: ignore[arg-type]
                   timestamp=line.timestamp, intent=line.intent, agent=line.agent,
                   message_id=line.message_id,
                   buttons=[ButtonOut(title=t, payload=p) for t, p in line.buttons])


def transcript_out(t: Transcript) -> TranscriptOut:
    return TranscriptOut(conversation_id=t.conversation_id, customer_id=t.customer_id,
                         verified=t.verified, handed_off=t.handed_off, agent=t.agent,
                         language=t.language, event_count=t.event_count,
                         lines=[line_out(x) for x in t.lines])


def readable(context: Context, conversation_id: str, agent: object, key: str | None,
             customer_token: str | None) -> Transcript:
    """The transcript, for staff, the customer it belongs to, or the browser holding its
    key. Another customer's conversation is 'not found', as an unknown one."""
    service = context.service
    customer = service.customer_of(customer_token)  # 401 for a bad or expired token
    if agent is None and customer is None and not key:
        raise Unauthorized("reading a conversation needs an agent's API key, the customer's "
                           "token (X-Customer-Token) or the conversation's key",
                           hint="the key comes with every /api/v1/chat response")
    transcript = service.transcript(conversation_id)
    if agent is not None:
        return transcript
    if key and service.has_access(conversation_id, key):
        return transcript
    if customer is not None and transcript.customer_id == customer:
        return transcript
    if key and customer is None:
        raise Unauthorized("wrong conversation key")
    raise NotFound(f"no conversation {conversation_id!r} for this customer")


@router.get("/{conversation_id}", response_model=TranscriptOut,
            responses={c: {"model": ErrorOut} for c in (401, 404, 422, 429)})
def get_conversation(
    conversation_id: str, request: Request, context: Context, agent: OptionalAgent,
    x_conversation_key: Annotated[str | None, Header()] = None,
    x_customer_token: Annotated[str | None, Header()] = None,
    key: Annotated[str | None, Query(description="The conversation key (browsers)")] = None,
) -> TranscriptOut:
    """The conversation with personal data masked."""
    context.limiter.hit(client_key(request, x_customer_token))
    return transcript_out(readable(context, conversation_id, agent,
                                   x_conversation_key or key, x_customer_token))


@router.get("/{conversation_id}/stream", response_class=StreamingResponse)
def stream_conversation(
    conversation_id: str, request: Request, context: Context, agent: OptionalAgent,
    key: Annotated[str | None, Query()] = None,
    after: Annotated[int, Query(ge=-1, description="Send lines after this event index")] = -1,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """New lines of the conversation as Server-Sent Events (``line``), as they are stored,
    whichever worker stored them: the agent's replies reach the customer's page this way."""
    transcript = readable(context, conversation_id, agent, key, None)
    if last_event_id and last_event_id.lstrip("-").isdigit():
        after = max(after, int(last_event_id))
    if after < 0:
        after = transcript.event_count - 1

    async def lines() -> AsyncIterator[str]:
        seen = after
        waited = 0.0
        tracker = context.service.tracker
        yield "retry: 1000\n\n"
        while waited < STREAM_SECONDS:
            if await request.is_disconnected():
                return
            # Each poll asks for the count of events (one small query); the transcript is
            # read and rebuilt only when something new was stored.
            if await run_in_threadpool(tracker.event_count, conversation_id) - 1 > seen:
                current = await run_in_threadpool(context.service.transcript, conversation_id)
                for line in current.lines:
                    if line.index > seen:
                        data = line_out(line).model_dump()
                        yield f"id: {line.index}\nevent: line\ndata: {json.dumps(data)}\n\n"
                seen = max(seen, current.event_count - 1)
            await asyncio.sleep(POLL_SECONDS)
            waited += POLL_SECONDS
            if int(waited) % 15 == 0:
                yield ": keep-alive\n\n"

    return StreamingResponse(lines(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
